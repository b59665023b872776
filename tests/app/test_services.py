"""The application core, called as the web app and the API will call it, and through the CLI.

No finding is computed or published from a catalogue that fails verification; errors are domain
errors, never exits; the acting user is the one recorded; listings page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from demo_helpers import DemoRun
from enquiry.app import Enquiry, cases, evidence, publishing
from enquiry.cli import hoist_global_options, main
from enquiry.errors import BadRequest, Corrupt, NotFound, Refused, Unverified
from enquiry.store.tables import CustodyEvent, Finding

INCIDENT = "khan-shaykhun-2017-04-04"

TAMPERING = [
    "UPDATE ratings SET rating = 'CC' WHERE id = (SELECT MIN(id) FROM ratings)",
    "UPDATE sources SET reliability = 'A' WHERE id = (SELECT MAX(id) FROM sources)",
    "UPDATE hypotheses SET is_other = FALSE WHERE is_other = TRUE",
]


@pytest.fixture
def demo(demo_case_home: DemoRun, backend: str) -> Enquiry:
    """The test's copy of a home where the built-in case was loaded by analyst-1."""
    return Enquiry.at(demo_case_home.home, "analyst-1")


def _sql(app: Enquiry, statement: str) -> None:
    with app.store().engine.begin() as connection:
        connection.execute(text(statement))


def _count(app: Enquiry, model: Any, *where: Any) -> int:
    with app.store().session() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.mark.parametrize("statement", TAMPERING)
def test_no_finding_from_a_catalogue_that_fails_verification(
    demo: Enquiry, tmp_path: Path, statement: str
) -> None:
    clean = publishing.analyse(demo, INCIDENT)
    assert not clean.to_dict().get("unverified")
    _sql(demo, statement)
    with pytest.raises(Unverified) as refused:
        publishing.analyse(demo, INCIDENT)
    assert refused.value.failures, "the refusal carries the verify lines"
    assert "--allow-unverified" in str(refused.value)
    findings = _count(demo, Finding)
    with pytest.raises(Unverified):
        publishing.report(demo, INCIDENT, tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()
    with pytest.raises(Unverified):
        cases.dump(demo, "khan-shaykhun", tmp_path / "dump.yaml")
    assert not (tmp_path / "dump.yaml").exists()
    assert cases.dump(demo, "khan-shaykhun", None, allow_unverified=True).text
    assert _count(demo, Finding) == findings, "no finding is recorded from a tampered catalogue"

    published = publishing.report(demo, INCIDENT, tmp_path / "r.html", allow_unverified=True)
    assert published.analysis.to_dict().get("unverified") is True
    assert "failed verification" in (tmp_path / "r.html").read_text(encoding="utf-8")
    stamped = _count(
        demo, CustodyEvent, CustodyEvent.action == "analysed", CustodyEvent.actor == "analyst-1"
    )
    assert stamped >= 2  # the go-ahead on an unverified catalogue, and the finding


def test_the_cli_refuses_in_one_line_and_stamps_when_allowed(demo: Enquiry, tmp_path: Path) -> None:
    _sql(demo, TAMPERING[0])
    runner = CliRunner()
    base = ["--home", str(demo.home), "--as", "panel"]
    refused = runner.invoke(main, [*base, "analyse", INCIDENT])
    assert refused.exit_code == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "failed verification" in lines[0], refused.stderr
    allowed = runner.invoke(main, [*base, "analyse", INCIDENT, "--json", "--allow-unverified"])
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(allowed.stdout)["unverified"] is True


def test_copy_refuses_corrupt_bytes_and_records_nothing(demo: Enquiry, tmp_path: Path) -> None:
    page = evidence.list_items(demo, kind="photo")
    item = next(row for row in page.items if row.sha256 and not row.protected)
    blob = demo.store().vault.path(item.sha256 or "")
    good = blob.read_bytes()
    blob.chmod(0o644)
    blob.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
    copies = _count(demo, CustodyEvent, CustodyEvent.action == "copied")
    with pytest.raises(Corrupt):
        evidence.copy_item(demo, str(item.id), tmp_path / "copy.bin")
    assert not (tmp_path / "copy.bin").exists()
    assert _count(demo, CustodyEvent, CustodyEvent.action == "copied") == copies


def test_errors_are_domain_errors(demo: Enquiry, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        evidence.show_item(demo, "99999")
    with pytest.raises(NotFound):
        publishing.analyse(demo, "no-such-incident")
    with pytest.raises(BadRequest):
        evidence.list_items(demo, kind="no-such-kind")
    protected = next(row for row in evidence.list_items(demo, limit=500).items if row.protected)
    with pytest.raises(Refused):
        evidence.copy_item(demo, str(protected.id), tmp_path / "x")
    with pytest.raises(BadRequest):
        Enquiry.at(tmp_path, "  ")


def test_item_list_pages_and_filters(demo: Enquiry) -> None:
    everything = evidence.list_items(demo, limit=1000)
    assert everything.total == len(everything.items) > 10
    first = evidence.list_items(demo, limit=5)
    second = evidence.list_items(demo, offset=5, limit=5)
    assert [r.id for r in first.items + second.items] == [r.id for r in everything.items[:10]]
    photos = evidence.list_items(demo, case="khan-shaykhun", kind="photo", limit=1000)
    assert photos.items and all(r.kind == "photo" for r in photos.items)
    assert photos.total == sum(1 for r in everything.items if r.kind == "photo")
    with pytest.raises(NotFound):
        evidence.list_items(demo, case="nobody")


def test_the_acting_user_is_the_one_recorded(demo: Enquiry) -> None:
    other = Enquiry.at(demo.home, "reviewer-7")
    protected = next(row for row in evidence.list_items(other, limit=500).items if row.protected)
    evidence.show_item(other, str(protected.id), reveal=True)
    events = evidence.read_log(other, item=str(protected.id))
    assert events[-1].action == "revealed" and events[-1].actor == "reviewer-7"


def test_global_options_after_the_command(demo: Enquiry) -> None:
    assert hoist_global_options(["verify", "--home", "h", "--json"]) == [
        "--home",
        "h",
        "verify",
        "--json",
    ]
    assert hoist_global_options(["--home", "h", "log", "--as=x"]) == [
        "--as=x",
        "--home",
        "h",
        "log",
    ]
    assert hoist_global_options(["add", "--", "--home"]) == ["add", "--", "--home"]
    runner = CliRunner()
    result = runner.invoke(main, ["case", "list", "--json", "--home", str(demo.home)])
    assert result.exit_code == 0, result.output
    assert [c["name"] for c in json.loads(result.stdout)] == ["khan-shaykhun"]


def test_a_progress_callback_sees_the_work(demo: Enquiry) -> None:
    seen: list[tuple[str, Any]] = []

    class Recorder:
        def start(self, stage: str, total: int | None = None, unit: str = "item") -> None:
            seen.append(("start", stage))

        def advance(self, amount: int = 1) -> None:
            seen.append(("advance", amount))

        def problem(self, line: str) -> None:
            seen.append(("problem", line))

        def finish(self) -> None:
            seen.append(("finish", None))

    report = evidence.verify_home(demo, Recorder())
    assert report.intact
    advanced = sum(amount for kind, amount in seen if kind == "advance")
    assert advanced == report.blobs > 0
    assert seen[0][0] == "start" and seen[-1][0] == "finish"


def test_every_command_is_found_by_its_family() -> None:
    """A command registered by a family module but missing from FAMILIES would be listed in
    help yet unknown when run by name in a fresh process."""
    import click

    from enquiry.cli import FAMILIES

    listed = set(main.list_commands(click.Context(main)))
    assert listed == {name for names in FAMILIES.values() for name in names}


def test_reading_an_items_text_is_an_access_in_the_ledger(demo: Enquiry) -> None:
    reader = Enquiry.at(demo.home, "reader-3")
    document = next(r for r in evidence.list_items(reader, kind="document").items)
    before = evidence.read_log(reader, item=str(document.id))
    evidence.show_item(reader, str(document.id))
    assert evidence.read_log(reader, item=str(document.id)) == before, "a plain show is no access"
    shown = evidence.show_item(reader, str(document.id), with_text=True)
    assert shown.text
    last = evidence.read_log(reader, item=str(document.id))[-1]
    assert (last.action, last.actor, last.details) == (
        "accessed",
        "reader-3",
        {"text": sorted(shown.text), "identified_by": "home's files"},
    )
