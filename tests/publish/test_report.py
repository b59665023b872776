"""The demo, analyse, report: the built-in case end to end, through the real command line."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from demo_helpers import DemoRun
from enquiry.cli import main
from enquiry.publish.inputs import build_input, inputs_hash
from enquiry.store import open_store
from enquiry.store.tables import CustodyEvent, Finding, Item
from enquiry.store.verify import verify

SLUG = "khan-shaykhun-2017-04-04"


def _cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), "--as", "tester", *args])


def _analysis(home: Path) -> dict[str, Any]:
    result = _cli(home, "analyse", SLUG, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.fixture
def demo(demo_home: DemoRun) -> Path:
    """The test's copy of a home where the demo ran."""
    return demo_home.home


def test_demo_reaches_the_mechanisms_conclusion_and_flags_the_russian_line(
    demo_home: DemoRun, backend: str
) -> None:
    home = demo_home.home
    assert str(demo_home.ran_in / "reports" / f"{SLUG}.html") in demo_home.output
    assert (home / "reports" / f"{SLUG}.html").is_file()
    data = _analysis(home)
    assert data["incident"] == SLUG and data["title"]
    assert data["leading"] == "H1"
    assert abs(sum(h["posterior"] for h in data["hypotheses"]) - 1) < 1e-9
    assert data["standards"]["confident"] is True
    assert [h["id"] for h in data["hypotheses"] if h["id"] == "H0"] == ["H0"]
    russia = next(n for n in data["narratives"] if n["party"] == "Russian Federation")
    assert {"Igor Konashenkov", "Mikhail Ulyanov", "Vladimir Safronkov"} <= set(russia["members"])
    exclusive = next(f for f in russia["flags"] if f["type"] == "mutually_exclusive")
    assert {"ru-mod-2017-04-05", "ulyanov-2017-10-13", "safronkov-2017-11-07"} <= set(
        exclusive["claims"]
    )
    line_flags = [
        f for n in data["narratives"] if n["line"] == "Russian Federation" for f in n["flags"]
    ]
    depot = [
        f
        for f in line_flags
        if f["type"] == "contradicts_facts" and "ru-mod-2017-04-05" in f["claims"]
    ]
    assert depot and "time window" in depot[0]["explanation"]
    assert "place" in depot[0]["explanation"]
    assert verify(open_store(home, "tester")).intact


def test_demo_is_idempotent_and_analysis_reproducible(demo: Path) -> None:
    first = _analysis(demo)
    again = _cli(demo, "demo", "--no-serve", "--no-pdf")
    assert again.exit_code == 0, again.output
    assert "created: nothing" in again.output
    store = open_store(demo, "tester")
    with store.session() as session:
        items = session.execute(select(Item.id)).all()
    assert len(items) == 31  # the case file's 30, and the confirmed redaction of its photograph
    assert _analysis(demo) == first


def test_report_is_self_contained_and_traceable(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.html"
    result = _cli(demo, "report", SLUG, "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert digest in result.output
    # Nothing is fetched from elsewhere: no scripts, no links, no external URLs in attributes.
    assert "<script" not in page and "<link" not in page
    # The one picture, the demo photograph's confirmed redaction, is inline.
    assert re.findall(r"<img src=\"(\w+):", page) == ["data"]
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    store = open_store(demo, "tester")
    with store.session() as session:
        hashes = session.execute(select(Item.sha256)).scalars().all()
        inp, _context = build_input(session, SLUG)
        exports = [
            json.loads(e.details)
            for e in session.execute(
                select(CustodyEvent).where(CustodyEvent.action == "exported")
            ).scalars()
        ]
        finding = session.get(Finding, exports[-1]["finding"])
    assert hashes and all(h and h in page for h in hashes)
    assert exports[-1]["sha256"] == digest
    assert finding is not None and finding.inputs_hash == inputs_hash(inp)
    assert finding.result["leading"] == "H1"
    for figure in ("87", "at least 83", "50–100", "at least 92"):
        assert figure in page
    assert "almost certain" in page and "Annex: the items" in page
    assert "hospital admission times" in page  # the JIM's own anomaly is shown


def test_protected_identities_stay_out_of_reports(tmp_path: Path, home: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(
        """
format: enquiry-case/1
case: {name: small}
sources: [{name: Field team, reliability: B}]
incidents:
- slug: small-incident
  hypotheses:
  - {id: H1, label: a shell hit the square}
  - {id: H0, label: something else, other: true}
items:
- key: witness-1
  kind: testimony
  source: Field team
  credibility: 2
  fields: {witness_pseudonym: W-1, witness_name: Jane Roe, witness_contact: '+1 555 0100'}
  text: I saw the shell land.
ratings:
- {incident: small-incident, item: witness-1, values: {H1: C, H0: I}}
""",
        encoding="utf-8",
    )
    assert _cli(home, "load", str(case)).exit_code == 0
    out = tmp_path / "small.html"
    assert _cli(home, "report", "small-incident", "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "Jane Roe" not in page and "555 0100" not in page
    assert "protected" in page


def test_unknown_incident_is_one_line(demo: Path, tmp_path: Path) -> None:
    for args in (("analyse", "nowhere"), ("report", "nowhere", "-o", str(tmp_path / "x.html"))):
        result = _cli(demo, *args)
        assert result.exit_code != 0
        assert result.output.strip().count("\n") == 0
        assert "no incident 'nowhere'" in result.output and SLUG in result.output
