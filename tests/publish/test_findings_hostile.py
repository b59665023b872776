"""Findings and sign-offs under attack, on the built-in Khan Shaykhun case and real homes.

A hostile state reads a signed-off finding as "errors and systemic problems": numbers shown under
a sign-off they were never signed with, a finding row edited by hand, a sign-off moved onto
another finding, a report whose numbers nobody outside can recompute. Each test makes one of
those happen and checks that it shows, or is refused.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from demo_helpers import DemoRun
from enquiry.analysis import analyse
from enquiry.analysis.inputs import input_from_dict
from enquiry.app import Enquiry, review, sources
from enquiry.app import matrix as mx
from enquiry.app.bundles import export_bundle
from enquiry.cli import main
from enquiry.errors import Refused, Unverified
from enquiry.store.ledger import canonical
from enquiry.store.tables import Comment, CustodyEvent, Finding
from enquiry.store.verify import verify

INCIDENT = "khan-shaykhun-2017-04-04"
CASE = "khan-shaykhun"


@pytest.fixture
def admin(demo_case_home: DemoRun) -> Enquiry:
    return Enquiry.at(demo_case_home.home, "panel-reviewer")


def _signed(admin: Enquiry) -> int:
    """Run the analysis and sign off the finding it stores; its number."""
    _analysis, finding = mx.run_analysis(admin, INCIDENT)
    review.sign_off(admin, INCIDENT, finding, "the panel agrees with this finding")
    return finding


def _latest(admin: Enquiry) -> mx.LatestResult:
    latest = mx.latest_result(admin, INCIDENT)
    assert latest is not None
    return latest


def _row(admin: Enquiry, key: str) -> mx.RowView:
    return next(r for r in mx.matrix(admin, INCIDENT).rows if r.evidence == key)


def _edit_behind_the_ledger(admin: Enquiry, statement: object) -> None:
    """Change the catalogue as someone holding the database file would: no ledger event."""
    with admin.store().engine.begin() as connection:
        connection.execute(statement)  # type: ignore[arg-type]


@pytest.mark.usefixtures("backend")
def test_a_rating_changed_after_the_sign_off_makes_it_stale(admin: Enquiry) -> None:
    signed = _signed(admin)
    latest = _latest(admin)
    assert latest.standing is not None and latest.standing.status == "current"
    assert [(s.finding_id, s.status) for s in latest.sign_offs] == [(signed, "current")]

    row = _row(admin, "med-clinical-signs")
    mx.rate(admin, INCIDENT, "H1", item=str(row.target_id), rating="II", rationale="re-read")

    # the stored finding is still the latest, but it is not what the matrix gives now
    latest = _latest(admin)
    assert latest.finding_id == signed and latest.standing is not None
    assert latest.standing.status == "stale"
    assert "changed since" in latest.standing.explanation
    assert [s.status for s in latest.sign_offs] == ["stale"]
    # and a reviewer cannot sign it (again) as if it were
    with pytest.raises(Refused, match=r"sign-off refused: finding .* changed since"):
        review.sign_off(admin, INCIDENT, signed, "still agree")

    # a new run is current and unsigned; the old sign-off is listed, and says it is stale
    _analysis, newer = mx.run_analysis(admin, INCIDENT)
    latest = _latest(admin)
    assert latest.finding_id == newer and latest.standing is not None
    assert latest.standing.status == "current"
    assert [(s.finding_id, s.status) for s in latest.sign_offs] == [(signed, "stale")]
    assert verify(admin.store()).intact


def test_a_hypothesis_reworded_after_the_sign_off_makes_it_stale(admin: Enquiry) -> None:
    # the ratings stay, but they now bear on a differently worded claim: not what was signed
    _signed(admin)
    mx.update_hypothesis(admin, INCIDENT, "H1", label="rebels dropped it", rationale="reworded")
    latest = _latest(admin)
    assert latest.standing is not None and latest.standing.status == "stale"
    assert [s.status for s in latest.sign_offs] == ["stale"]


def test_a_source_regraded_after_the_sign_off_makes_it_stale(admin: Enquiry) -> None:
    signed = _signed(admin)
    row = _row(admin, "med-clinical-signs")
    assert row.source is not None
    sources.accept(admin, row.source, "E", case=CASE)
    latest = _latest(admin)
    assert latest.finding_id == signed and latest.standing is not None
    assert latest.standing.status == "stale"
    with pytest.raises(Refused, match="sign-off refused"):
        review.sign_off(admin, INCIDENT, signed, "agree")


def test_a_finding_edited_by_hand_is_seen_and_never_signed(admin: Enquiry) -> None:
    _analysis, finding = mx.run_analysis(admin, INCIDENT)
    with admin.store().session() as session:
        result = dict(session.get_one(Finding, finding).result)
    result["hypotheses"] = [
        {**h, "posterior": 0.5} if h["id"] == result["leading"] else h for h in result["hypotheses"]
    ]
    _edit_behind_the_ledger(
        admin, update(Finding).where(Finding.id == finding).values(result=result)
    )

    latest = _latest(admin)
    assert latest.result["hypotheses"][0]["posterior"] == 0.5  # shown as stored...
    assert latest.standing is not None and latest.standing.status == "altered"  # ...and flagged
    with pytest.raises(Refused, match="not what the engine computes from its inputs"):
        review.sign_off(admin, INCIDENT, finding, "agree")
    assert not verify(admin.store()).intact
    # the analysis page does not present the edited row as the finding it shows: it runs the
    # analysis again, which verifies the catalogue first, and that fails
    with pytest.raises(Unverified):
        mx.current_analysis(admin, INCIDENT)


def test_a_finding_computed_on_a_tampered_catalogue_is_never_signed(admin: Enquiry) -> None:
    _analysis, finding = mx.run_analysis(admin, INCIDENT)
    with admin.store().session() as session:
        result = dict(session.get_one(Finding, finding).result)
    _edit_behind_the_ledger(
        admin,
        update(Finding).where(Finding.id == finding).values(result={**result, "unverified": True}),
    )
    with pytest.raises(Refused, match="failed verification"):
        review.sign_off(admin, INCIDENT, finding, "agree")


def test_the_sign_off_binds_the_result_and_a_sign_off_moved_or_a_row_edited_reads_unbound(
    admin: Enquiry,
) -> None:
    signed = _signed(admin)
    with admin.store().session() as session:
        event = session.scalars(
            select(CustodyEvent)
            .where(CustodyEvent.action == "commented")
            .order_by(CustodyEvent.seq.desc())
        ).first()
        stored = dict(session.get_one(Finding, signed).result)
    assert event is not None
    details = json.loads(event.details)
    assert details["result_sha256"] == mx.result_digest(stored)
    assert (
        details["leading"] == "H1" and details["posterior"] == stored["hypotheses"][0]["posterior"]
    )

    # the same input run again: a new finding, equal numbers; move the sign-off onto it
    _analysis, newer = mx.run_analysis(admin, INCIDENT)
    _edit_behind_the_ledger(
        admin,
        update(Comment).where(Comment.kind == "sign-off").values(subject=f"finding:{newer}"),
    )
    latest = _latest(admin)
    assert [(s.finding_id, s.status) for s in latest.sign_offs] == [(newer, "unbound")]


def test_finding_json_on_the_command_line_says_when_it_is_stale(admin: Enquiry) -> None:
    runner = CliRunner()
    home = ["--home", str(admin.home)]
    signed = _signed(admin)
    row = _row(admin, "med-clinical-signs")
    mx.rate(admin, INCIDENT, "H1", item=str(row.target_id), rating="II", rationale="re-read")
    done = runner.invoke(main, [*home, "finding", INCIDENT, "--json"])
    assert done.exit_code == 0, done.output
    shown = json.loads(done.output)
    assert shown["finding_id"] == signed
    assert shown["standing"]["status"] == "stale"
    assert [s["status"] for s in shown["sign_offs"]] == ["stale"]
    plain = runner.invoke(main, [*home, "finding", INCIDENT])
    assert plain.exit_code == 0, plain.output
    assert "\nstanding: stale (" in plain.output
    assert f"of finding {signed} by " in plain.output and "): stale (" in plain.output
    refused = runner.invoke(
        main, [*home, "sign-off", INCIDENT, "--finding", str(signed), "--statement", "agree"]
    )
    assert refused.exit_code != 0 and "sign-off refused" in refused.output


def test_an_outsider_recomputes_the_finding_from_the_bundle_alone(
    admin: Enquiry, tmp_path: Path
) -> None:
    output = tmp_path / "ks.zip"
    export_bundle(admin, output, incident=INCIDENT, pdf=False)
    with zipfile.ZipFile(output) as archive:
        body = json.loads(archive.read(f"findings/{INCIDENT}.json"))
    # nothing but the bundle's member: its inputs hash to what the finding names, and the
    # engine gives the published result again from them, digit for digit
    inputs = input_from_dict(body["inputs"])
    digest = hashlib.sha256(canonical(dataclasses.asdict(inputs)).encode("utf-8")).hexdigest()
    assert digest == body["inputs_sha256"]
    again = json.loads(canonical(analyse(inputs).to_dict()))
    assert canonical(again) == canonical(body["result"])
    # and the finding the bundle stored in the home is current, the one the report printed
    latest = _latest(admin)
    assert latest.inputs_hash == body["inputs_sha256"]
    assert latest.standing is not None and latest.standing.status == "current"


def test_the_analysis_page_shows_an_earlier_sign_off_as_not_vouching_for_the_numbers(
    admin: Enquiry,
) -> None:
    """After a rating changes, the page shows a new finding: the sign-off of the old one is
    listed apart, marked stale, never among the new finding's own."""
    import re

    from fastapi.testclient import TestClient

    from enquiry.app import accounts
    from enquiry.web.app import create_app

    signed = _signed(admin)
    row = _row(admin, "med-clinical-signs")
    mx.rate(admin, INCIDENT, "H1", item=str(row.target_id), rating="II", rationale="re-read")
    shown = mx.current_analysis(admin, INCIDENT)
    assert shown.finding_id != signed
    assert [(s.finding_id, s.status) for s in shown.sign_offs] == [(signed, "stale")]
    accounts.add_user(admin, "reader", "correct horse battery")
    accounts.grant(admin, "reader", CASE, "viewer")
    browser = TestClient(create_app(admin.home), base_url="https://testserver")
    form = browser.get("/login")
    token = re.search(r'name="csrf" value="([^"]*)"', form.text)
    assert token is not None
    browser.post(
        "/login",
        data={"name": "reader", "password": "correct horse battery", "csrf": token.group(1)},
    )
    page = browser.get(f"/incidents/{INCIDENT}/analysis")
    assert page.status_code == 200, page.text[:300]
    assert "Sign-offs of earlier findings" in page.text
    assert f"signed off finding {signed}" in page.text
    assert '<span class="tag bad">stale</span>' in page.text
