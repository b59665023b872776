"""The claims services at the core: ingest through intake and the claims enricher, typed
results, domain errors, and a protected witness's words withheld from every listing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from enquiry.app import Enquiry
from enquiry.app import claims as service
from enquiry.app.evidence import update_item
from enquiry.app.protection import WITHHELD, WITHHELD_IDENTITY
from enquiry.cli import main
from enquiry.enrich.documents import DocumentText
from enquiry.enrich.runner import run_enrichers
from enquiry.enrich.text.claims import ClaimExtractor
from enquiry.enrich.text.enrichers import ClaimsEnricher
from enquiry.errors import NotFound
from enquiry.intake.pipeline import IntakeOptions, add_paths
from enquiry.progress import Silent
from enquiry.store.tables import CustodyEvent

WITNESS = "Amina Yusuf"
WORDS = "the shell came from the orchard behind the mill"
SECRETS = ("Amina", "Yusuf", "orchard behind the mill")


def test_ingest_reports_documents_claims_and_files_without_text(
    home: Path, tmp_path: Path, claim_extractor: ClaimExtractor
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "note.txt").write_text("Russia said the report was biased.\n", encoding="utf-8")
    (folder / "noise.bin").write_bytes(bytes(range(256)) * 8)
    app = Enquiry.at(home, "tester")
    progress = Silent()
    report = service.ingest(app, [folder], case="c", progress=progress, extractor=claim_extractor)
    assert (report.documents, report.claims) == (1, 1)
    [noise] = report.without_text
    assert progress.problems == [
        f"{folder / 'noise.bin'}: no text to read claims from (item {noise})"
    ]
    store = app.store()
    with store.session() as session:
        [event] = session.scalars(select(CustodyEvent).where(CustodyEvent.action == "enriched"))
    details = json.loads(event.details)
    assert details["enricher"] == "claims" and details["version"] == claim_extractor.version
    assert set(details["inputs"]) == {"text", "text_sha256", "document_date"}
    again = service.ingest(app, [folder], case="c", progress=Silent(), extractor=claim_extractor)
    assert (again.documents, again.claims) == (0, 0)


def test_errors_are_domain_errors(home: Path, tmp_path: Path) -> None:
    app = Enquiry.at(home, "tester")
    with pytest.raises(NotFound, match="no such file or folder"):
        service.ingest(app, [tmp_path / "gone"], case="c")
    app.store(create=True)
    with pytest.raises(NotFound, match="case 'nope': no such case"):
        service.list_claims(app, "nope")
    with pytest.raises(NotFound, match="claim 99: no such claim"):
        service.accept(app, 99, "H1")
    with pytest.raises(NotFound, match="no such file"):
        service.extract_file(tmp_path / "gone.txt")


@pytest.fixture
def witnessed(home: Path, tmp_path: Path, claim_extractor: ClaimExtractor) -> Enquiry:
    """A case with a public statement and a protected one whose file is named after the witness."""
    public = tmp_path / "public.txt"
    public.write_text("Russia said the report was biased.\n", encoding="utf-8")
    secret = tmp_path / f"{WITNESS}.txt"
    secret.write_text(f"{WITNESS} said that {WORDS}.\n", encoding="utf-8")
    app = Enquiry.at(home, "tester")
    store = app.store(create=True)
    ids = []
    for path in (public, secret):
        options = IntakeOptions(case="c", kind="statement", progress=False, jobs=1)
        report = add_paths(store, [path], options, [DocumentText()])
        ids.append(report.results[0].item_id)
    run_enrichers(store, ids, [ClaimsEnricher(claim_extractor)])
    # Protected once its claims were read (a protected file's text is stored encrypted and
    # no claims are read from it: see docs/protection.md).
    update_item(app, str(ids[1]), protect=True)
    return app


def test_claims_of_a_protected_item_are_withheld_unless_revealed(witnessed: Enquiry) -> None:
    listed = service.list_claims(witnessed, "c")
    hidden = [claim for claim in listed if claim.withheld]
    assert len(listed) == 2 and len(hidden) == 1
    claim = hidden[0]
    assert (claim.item, claim.actor, claim.content["text"]) == (
        WITHHELD,
        WITHHELD_IDENTITY,
        WITHHELD,
    )
    text = json.dumps([c.as_json() for c in listed])
    assert not any(secret in text for secret in SECRETS)
    store = witnessed.store()
    with store.session() as session:
        assert (
            session.scalars(select(CustodyEvent).where(CustodyEvent.action == "revealed")).all()
            == []
        )
    shown = service.list_claims(witnessed, "c", reveal=True)
    assert any(WORDS in c.content["text"] for c in shown)
    with store.session() as session:
        [event] = session.scalars(select(CustodyEvent).where(CustodyEvent.action == "revealed"))
    assert json.loads(event.details)["shown"] == "claims list"


def test_no_command_of_the_family_shows_the_witness(witnessed: Enquiry) -> None:
    runner = CliRunner()
    home = str(witnessed.home)
    outputs = []
    # the ledger names no speaker of a protected document either
    for args in (
        ["claims", "list", "--case", "c"],
        ["claims", "list", "--case", "c", "--json"],
        ["log"],
        ["log", "--json"],
    ):
        result = runner.invoke(main, ["--home", home, *args])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    listed = service.list_claims(witnessed, "c")
    for claim in listed:
        result = runner.invoke(main, ["--home", home, "claims", "similar", str(claim.id), "--json"])
        if claim.withheld:  # its words went into the protected item's secret record
            assert result.exit_code == 1 and "held encrypted" in result.output, result.output
        else:
            assert result.exit_code == 0, result.output
        outputs.append(result.output)
        result = runner.invoke(main, ["--home", home, "claims", "similar", str(claim.id)])
        outputs.append(result.output)
    for output in outputs:
        assert not any(secret in output for secret in SECRETS), output
    revealed = runner.invoke(main, ["--home", home, "claims", "list", "--case", "c", "--reveal"])
    assert WORDS in revealed.output


def test_ingest_names_a_protected_file_without_text_by_its_number(
    home: Path, tmp_path: Path, claim_extractor: ClaimExtractor
) -> None:
    app = Enquiry.at(home, "tester")
    store = app.store(create=True)
    blank = tmp_path / f"{WITNESS}.txt"
    blank.write_text("   \n", encoding="utf-8")
    options = IntakeOptions(case="c", kind="statement", progress=False, jobs=1, protected=True)
    [result] = add_paths(store, [blank], options, [DocumentText()]).results
    progress = Silent()
    report = service.ingest(app, [blank], case="c", progress=progress, extractor=claim_extractor)
    assert report.without_text == []
    assert progress.problems == [
        f"item {result.item_id}: protected and stored encrypted; not read by claims"
    ]


def test_parts_of_a_protected_split_quotation_are_withheld(
    home: Path, tmp_path: Path, claim_extractor: ClaimExtractor
) -> None:
    secret = tmp_path / "statement.txt"
    secret.write_text(f'"I saw the convoy," {WITNESS} said, "near the {WORDS[4:]}."\n', "utf-8")
    app = Enquiry.at(home, "tester")
    store = app.store(create=True)
    options = IntakeOptions(case="c", kind="statement", progress=False, jobs=1)
    report = add_paths(store, [secret], options, [DocumentText()])
    run_enrichers(store, [report.results[0].item_id], [ClaimsEnricher(claim_extractor)])
    # Protected once its claims were read (no claims are read from an encrypted item).
    update_item(app, str(report.results[0].item_id), protect=True)
    [hidden] = service.list_claims(app, "c")
    assert hidden.withheld and len(hidden.content["parts"]) == 2
    assert {part["text"] for part in hidden.content["parts"]} == {WITHHELD}
    assert not any(secret_word in json.dumps(hidden.as_json()) for secret_word in SECRETS)
    [shown] = service.list_claims(app, "c", reveal=True)
    assert [part["text"] for part in shown.content["parts"]] == [
        '"I saw the convoy,"',
        f'"near the {WORDS[4:]}."',
    ]
