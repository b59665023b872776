"""A party that wants a witness named, holding only what was published without the reveal right:
a bundle, a report (HTML and PDF) and the exports. Every member is decoded (zip, PDF text and
metadata, base64, JSON) and searched for what identifies the protected witness — her name as
the analysts typed it elsewhere in the case (an actor, a rationale, another item's title), and
the words of a claim read from her testimony, which the report withholds."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bundle_helpers import PASSPHRASE, tool
from pypdf import PdfReader

from enquiry.app import Enquiry, bundles, cases, exports, keys, publishing
from enquiry.errors import EnquiryError

NAME = "Ottoline Vasquez-Abara"
WORDS = "the lantern market burned at dawn"
SECRETS = (NAME, "Vasquez-Abara", WORDS, "lantern market")
SLUG = "lantern-strike"
CASE = f"""
format: enquiry-case/1
case: {{name: lantern, title: Strike on the market}}
actors:
- {{name: Ministry, type: organisation}}
- {{name: {NAME}, type: person}}
sources: [{{name: Field team, reliability: B}}]
incidents:
- slug: {SLUG}
  title: Strike on the market
  window: {{start: '2022-02-01T05:00:00+00:00', end: '2022-02-01T06:00:00+00:00'}}
  place: {{name: market, lat: 12.5, lon: 30.25}}
  hypotheses:
  - {{id: H1, label: an air strike}}
  - {{id: H0, label: something else, other: true}}
items:
- key: witness-1
  kind: testimony
  source: Field team
  credibility: 2
  fields: {{title: Eyewitness, witness_pseudonym: W-9, witness_name: {NAME}}}
  file: {NAME}.txt
- key: note-1
  kind: document
  source: Field team
  credibility: 3
  fields: {{title: Note after meeting {NAME}}}
  text: The team's note on the market.
- key: notes-1
  kind: document
  source: Field team
  credibility: 4
  file: {NAME} notes.txt
claims:
- key: claim-w
  actor: Ministry
  item: witness-1
  incident: {SLUG}
  date: '2022-02-01'
  text: {WORDS}
  supports: [H1]
- key: claim-n
  actor: {NAME}
  item: note-1
  incident: {SLUG}
  date: '2022-02-01'
  text: the stalls were hit from above
  supports: [H1]
ratings:
- {{incident: {SLUG}, item: witness-1, values: {{H1: CC, H0: I}}}}
- {{incident: {SLUG}, item: note-1, values: {{H1: C, H0: N}}, rationale: {NAME} confirmed it}}
- {{incident: {SLUG}, claim: claim-w, values: {{H1: C, H0: N}}}}
"""


def _decoded(name: str, data: bytes) -> Iterator[tuple[str, str]]:
    """A published file and everything inside it, as text an attacker would search."""
    yield name, data.decode("utf-8", "replace")
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                yield f"{name}!{member} (its name)", member
                yield from _decoded(f"{name}!{member}", archive.read(member))
    if data[:5] == b"%PDF-":
        reader = PdfReader(io.BytesIO(data))
        yield f"{name} (metadata)", repr(reader.metadata)
        yield f"{name} (text)", "\n".join(page.extract_text() for page in reader.pages)
    for found in re.finditer(rb"base64,([A-Za-z0-9+/=]{16,})", data):
        yield from _decoded(f"{name} (data URI)", base64.b64decode(found.group(1)))
    if name.endswith((".json", ".jsonl")):
        for line in data.decode("utf-8", "replace").splitlines():
            with contextlib.suppress(ValueError):
                parsed = json.dumps(json.loads(line), ensure_ascii=False)
                yield f"{name} (JSON)", parsed


def _leaks(path: Path) -> list[str]:
    found = []
    for where, text in _decoded(path.name, path.read_bytes()):
        found += [f"{where}: {s}" for s in SECRETS if s.casefold() in text.casefold()]
    return found


@pytest.fixture(scope="module")
def lantern(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Enquiry, Path]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        root = tmp_path_factory.mktemp("lantern")
        folder = root / "case"
        folder.mkdir()
        (folder / f"{NAME}.txt").write_text(f"I am {NAME}. I saw how {WORDS}.", encoding="utf-8")
        (folder / f"{NAME} notes.txt").write_text("Smoke over the stalls.", encoding="utf-8")
        (folder / "case.yaml").write_text(CASE, encoding="utf-8")
        app = Enquiry.at(root / "home", "panel-secretary")
        cases.load(app, folder / "case.yaml")
        keys.create(app, "panel", PASSPHRASE)
        keys.export_public(app, "panel", root / "panel.pub.json")
        yield app, root


def test_a_redacted_bundle_names_the_witness_nowhere(
    lantern: tuple[Enquiry, Path], tmp_path: Path
) -> None:
    app, root = lantern
    bundle = tmp_path / "lantern.zip"
    bundles.export_bundle(app, bundle, case="lantern", sign="panel", passphrase=PASSPHRASE)
    assert _leaks(bundle) == []
    # Carried by hash only, the events that named her still chain: the bundle verifies.
    checked = tool(bundle, "--key", root / "panel.pub.json")
    assert checked.returncode == 0, checked.stdout
    with zipfile.ZipFile(bundle) as archive:
        casefile = archive.read("case/case.yaml").decode("utf-8")
        items = {i["key"]: i for i in json.loads(archive.read("manifest.json"))["items"]}
    # her name, where the analysts typed it, reads as one placeholder throughout
    placeholder = re.search(r"Note after meeting (\[withheld \d+\])", casefile)
    assert placeholder is not None, casefile
    for where in ("- name: '{}'", "actor: '{}'", "rationale: '{} confirmed it'"):
        assert where.format(placeholder.group(1)) in casefile, (where, casefile)
    # the receipt of a file that arrived under her name is carried by hash only, and said so
    assert items["notes-1"]["ledger"] == "elided" and items["note-1"]["ledger"] == "full"

    # A successor takes the redacted case in: the placeholders are names like any other.
    successor = Enquiry.at(tmp_path / "successor", "successor")
    imported = bundles.import_bundle(successor, bundle, key=root / "panel.pub.json")
    assert imported.case == "lantern" and imported.withheld == 1


def test_the_report_and_exports_name_the_witness_nowhere(
    lantern: tuple[Enquiry, Path], tmp_path: Path
) -> None:
    app, _root = lantern
    outputs = [tmp_path / "report.html", tmp_path / "report.pdf"]
    publishing.report(app, SLUG, outputs[0], also=[outputs[1]])
    for fmt in ("csv", "geojson", "kml", "prov", "case-uco"):
        outputs.append(tmp_path / f"export.{fmt}")
        exports.export(app, fmt, outputs[-1], case="lantern")
    assert [leak for path in outputs for leak in _leaks(path)] == []


def test_without_the_key_nothing_is_published(
    lantern: tuple[Enquiry, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Her name typed elsewhere is found only by opening her record: without the key the
    search would find nothing and let it out, so the report, the export and the bundle are
    refused with one line, and no file is written."""
    app, _root = lantern
    monkeypatch.delenv("ENQUIRY_PROTECTION_KEY_FILE")
    monkeypatch.delenv("ENQUIRY_PROTECTION_PASSPHRASE", raising=False)
    attempts = {
        "report": lambda out: publishing.report(app, SLUG, out),
        "export": lambda out: exports.export(app, "csv", out, case="lantern"),
        "bundle": lambda out: bundles.export_bundle(app, out, case="lantern"),
    }
    for what, attempt in attempts.items():
        out = tmp_path / f"{what}.out"
        with pytest.raises(EnquiryError) as refused:
            attempt(out)
        message = str(refused.value)
        assert "\n" not in message and "protection key is needed" in message, message
        assert "1 protected item(s) are stored encrypted" in message
        assert not out.exists()


def _posteriors(app: Enquiry) -> dict[str, float]:
    found = publishing.analyse(app, SLUG).result
    return {h.id: round(h.posterior, 6) for h in found.hypotheses}


def test_a_redacted_bundle_imported_analyses_as_the_case_does(
    lantern: tuple[Enquiry, Path], tmp_path: Path
) -> None:
    """The rating of a claim read from her testimony weighs in the finding. The bundle carries
    the claim with its words and speaker withheld, so the successor's analysis of the imported
    case comes to the same posteriors — and a dump loaded back into its own home leaves the
    claim's words and speaker as they were."""
    app, root = lantern
    bundle = tmp_path / "lantern.zip"
    bundles.export_bundle(app, bundle, case="lantern", sign="panel", passphrase=PASSPHRASE)
    successor = Enquiry.at(tmp_path / "successor", "successor")
    bundles.import_bundle(successor, bundle, key=root / "panel.pub.json")
    assert _posteriors(successor) == _posteriors(app)
    said = [c.text for c in claims_of(successor)]
    assert "[withheld: said in a protected item]" in said and WORDS not in said

    dump = tmp_path / "lantern.yaml"
    cases.dump(app, "lantern", dump)
    loaded = cases.load(app, dump)
    assert "created: nothing" in loaded.summary() and "updated: nothing" in loaded.summary()
    assert WORDS in [c.text for c in claims_of(app)]


def claims_of(app: Enquiry) -> list[Any]:
    from sqlalchemy import select

    from enquiry.store.tables import Claim

    with app.store().session() as session:
        return list(session.scalars(select(Claim)))
