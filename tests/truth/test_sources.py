"""Track records in a home: the demo case's outcomes give its sources a record; suggestions
change nothing; accepting a grade is a ledger event naming the analyst; outcomes can be closed
and imported; the analysis shows the record beside the grade. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from sqlalchemy import select

from demo_helpers import DemoRun
from enquiry.app import Enquiry, cases, publishing
from enquiry.app import sources as service
from enquiry.cli import main
from enquiry.errors import BadRequest, EnquiryError, NotFound
from enquiry.store.tables import CustodyEvent, Source

INCIDENT = "khan-shaykhun-2017-04-04"
CASE = "khan-shaykhun"


@pytest.fixture
def demo(demo_case_home: DemoRun, backend: str) -> Enquiry:
    """The test's copy of a home where the built-in case was loaded by analyst-1."""
    return Enquiry.at(demo_case_home.home, "analyst-1")


def _grades(app: Enquiry) -> dict[str, str]:
    with app.store().session() as session:
        return {s.name: s.reliability for s in session.scalars(select(Source))}


def test_the_demo_cases_sources_have_a_record(demo: Enquiry) -> None:
    before = _grades(demo)
    found = {s.source: s for s in service.suggest(demo, CASE)}
    mfa = found["Russian Ministry of Foreign Affairs"]
    assert mfa.record is not None and mfa.record.n == 3 and mfa.record.wrong == 3
    assert mfa.suggested in ("D", "E")
    jim = found["OPCW-UN Joint Investigative Mechanism"]
    assert jim.record is not None and (jim.record.n, jim.record.right) == (1, 1)
    assert jim.suggested is None  # one report is too short a record to suggest a grade
    assert found["Commercial satellite imagery"].record is None or (
        found["Commercial satellite imagery"].record.n == 0
    )
    assert _grades(demo) == before  # a suggestion changes nothing


def test_accept_applies_a_grade_as_a_ledger_event_naming_the_analyst(demo: Enquiry) -> None:
    app = Enquiry.at(demo.home, "Panel member Ortiz")
    done = service.accept(app, "Russian Ministry of Defence", "e", CASE)
    assert (done.before, done.grade, done.analyst) == ("D", "E", "Panel member Ortiz")
    assert _grades(demo)["Russian Ministry of Defence"] == "E"
    with demo.store().session() as session:
        event = session.scalars(
            select(CustodyEvent)
            .where(CustodyEvent.action == "updated")
            .order_by(CustodyEvent.seq.desc())
        ).first()
    assert event is not None and event.actor == "Panel member Ortiz"
    details = json.loads(event.details)
    assert details["reliability"] == {"before": "D", "after": "E"}
    assert details["record"]["reports"] == 1
    # the change went through the ledger: the catalogue still verifies
    assert (
        publishing.verified(demo, case_id=None, blobs=[], purpose="test", allow_unverified=False)
        == []
    )


def test_accept_refuses_bad_grades_and_unknown_sources(demo: Enquiry) -> None:
    with pytest.raises(BadRequest, match="grade 'Z'"):
        service.accept(demo, "Russian Ministry of Defence", "Z")
    with pytest.raises(NotFound, match="source 'Nobody'"):
        service.accept(demo, "Nobody", "B")


def test_closing_and_importing_outcomes_extend_the_record(demo: Enquiry, tmp_path: Path) -> None:
    first = {s.source: s for s in service.suggest(demo)}["Theodore Postol"]
    assert first.record is not None and first.record.n == 1
    # a new claim by the same source, then closed by an analyst
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        yaml.safe_dump(
            {
                "case": {"name": CASE},
                "claims": [
                    {
                        "key": "postol-later",
                        "actor": "Theodore Postol",
                        "date": "2017-05-01",
                        "text": "The crater was made on the ground (reported).",
                    },
                    {
                        "key": "postol-later-2",
                        "actor": "Theodore Postol",
                        "date": "2017-06-01",
                        "text": "The samples were mishandled (reported).",
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    cases.load(demo, extra)
    service.close(demo, {"postol-later": "false"}, case=CASE, basis="the JIM's crater analysis")
    known = tmp_path / "known.csv"
    known.write_text("claim,truth\npostol-later-2,false\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["--home", str(demo.home), "truth", "outcomes", str(known), "--case", CASE],
    )
    assert result.exit_code == 0, result.output
    after = {s.source: s for s in service.suggest(demo)}["Theodore Postol"]
    assert after.record is not None and after.record.n == 3 and after.record.wrong == 3
    assert after.suggested in ("D", "E")
    with pytest.raises(NotFound, match="claim 'no-such'"):
        service.close(demo, {"no-such": "true"})


def test_the_analysis_shows_records_and_grades_sources_by_them(demo: Enquiry) -> None:
    analysis = publishing.analyse(demo, INCIDENT)
    result = analysis.result
    rows = {r.evidence: r for r in result.matrix.rows}
    recorded = [r.record for r in rows.values() if r.record]
    assert "graded D; record 0 right of 2" in recorded
    assert "graded B; record 1 right of 1" in recorded
    assert result.by_record is not None and result.by_record.leader == "H1"
    data = result.to_dict()
    assert data["sensitivity_by_record"]["leader_survives"] is True


def test_the_cli_lists_suggestions(demo: Enquiry) -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["--home", str(demo.home), "sources", "suggest", "--case", CASE])
    assert listed.exit_code == 0
    assert "Russian Ministry of Foreign Affairs: graded D" in listed.output
    assert "3 reports, 0 right / 3 wrong" in listed.output
    as_json = runner.invoke(main, ["--home", str(demo.home), "sources", "suggest", "--json"])
    rows = {r["source"]: r for r in json.loads(as_json.output)}
    assert rows["Russian Ministry of Foreign Affairs"]["reports"] == 3
    bad = runner.invoke(main, ["--home", str(demo.home), "sources", "accept", "X", "Q"])
    assert bad.exit_code == 2 and bad.stderr.startswith("enquiry: grade 'Q'")


def test_a_dump_carries_the_outcomes_back(demo: Enquiry) -> None:
    dumped = cases.dump(demo, CASE, None).text
    doc = yaml.safe_load(dumped)
    outcomes = {c["key"]: c.get("outcome", {}).get("truth") for c in doc["claims"]}
    assert outcomes["jim-2017-10-26"] == "true"
    assert outcomes["ru-mod-2017-04-05"] == "false"


def test_a_case_file_outcome_must_be_true_false_or_unknown(tmp_path: Path) -> None:
    app = Enquiry.at(tmp_path / "home", "analyst-1")
    path = tmp_path / "bad.yaml"
    path.write_text(
        "case: {name: small}\n"
        "actors:\n- {name: Ministry, type: organisation}\n"
        "claims:\n- key: c1\n  actor: Ministry\n  text: A depot was struck.\n"
        "  outcome: {truth: maybe}\n",
        encoding="utf-8",
    )
    with pytest.raises(EnquiryError, match=r"claims\[0\]\.outcome\.truth: 'maybe' is not one of"):
        cases.load(app, path)
    path.write_text(path.read_text(encoding="utf-8").replace("maybe", "no"), encoding="utf-8")
    cases.load(app, path)  # YAML's booleans read as true / false
    with app.store().session() as session:
        from enquiry.store.tables import Claim

        stored = session.scalars(select(Claim)).one()
    assert stored.data["outcome"] == {"truth": "false"}
