"""The matrix as analysts and reviewers work on it, on the built-in demonstration case.

Roles decide in the core who may read, rate, change hypotheses, run an analysis, comment and
sign off; the latest rating of a cell counts while every analyst's stays visible, with their
disagreement; every change is a ledger event naming the user; a protected witness stays
withheld; the posterior follows a new rating; and verify stays intact throughout.

The demonstration case is loaded once per module (SQLite) and copied for each test. PostgreSQL
runs the combined scenario (:func:`test_the_whole_review_cycle`) on its own database.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from enquiry.app import Enquiry, accounts, cases, evidence, review
from enquiry.app import matrix as mx
from enquiry.cli import main
from enquiry.errors import BadRequest, Forbidden, NotFound, Refused
from enquiry.store.tables import CustodyEvent
from enquiry.store.verify import verify

INCIDENT = "khan-shaykhun-2017-04-04"
CASE = "khan-shaykhun"
PASSWORD = "correct horse battery"
WITNESS = "Salma Haddad"
USERS = {
    "ana": (CASE, "analyst"),
    "bob": (CASE, "analyst"),
    "rita": (CASE, "reviewer"),
    "vera": (CASE, "viewer"),
    "otto": ("other", "analyst"),
}


def _make(home: Path, files: Path) -> Enquiry:
    """The demo case, a protected testimony naming its witness, a second case, five users."""
    admin = Enquiry.at(home, "admin")
    cases.load(admin, cases.demo_case_file())
    files.mkdir(parents=True, exist_ok=True)
    (files / "interview-w9.txt").write_text("I saw the aircraft at dawn.\n", encoding="utf-8")
    (files / "other.txt").write_text("Another case entirely.\n", encoding="utf-8")
    evidence.add(
        admin,
        [files / "interview-w9.txt"],
        case=CASE,
        kind="testimony",
        fields={"witness_pseudonym": "W-9", "witness_name": WITNESS},
    )
    evidence.add(admin, [files / "other.txt"], case="other")
    for name, (case, role) in USERS.items():
        accounts.add_user(admin, name, PASSWORD)
        accounts.grant(admin, name, case, role)
    return admin


def _as(admin: Enquiry, name: str) -> Enquiry:
    return admin.acting_as(accounts.authenticate_password(admin, name, PASSWORD))


def _row(app: Enquiry, evidence_id: str) -> mx.RowView:
    return next(r for r in mx.matrix(app, INCIDENT).rows if r.evidence == evidence_id)


def _item_id(admin: Enquiry, key: str) -> str:
    return str(_row(admin, key).target_id)


def _events(admin: Enquiry, action: str) -> list[CustodyEvent]:
    with admin.store().session() as session:
        return list(
            session.scalars(
                select(CustodyEvent).where(CustodyEvent.action == action).order_by(CustodyEvent.seq)
            )
        )


def _intact(admin: Enquiry) -> None:
    report = verify(admin.store())
    assert report.intact, report.failures


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demonstration case on SQLite, made once for the module."""
    base = tmp_path_factory.mktemp("matrix")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        _make(base / "home", base / "files")
    yield base / "home"


@pytest.fixture
def admin(demo_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Enquiry:
    """A copy of the module's demo home (SQLite), for one test to change."""
    monkeypatch.delenv("ENQUIRY_DB", raising=False)
    shutil.copytree(demo_home, tmp_path / "home")
    return Enquiry.at(tmp_path / "home", "admin")


def test_roles_decide_who_may_read_rate_and_sign(admin: Enquiry) -> None:
    ana, rita, vera, otto = (_as(admin, n) for n in ("ana", "rita", "vera", "otto"))
    item = _item_id(admin, "doc-jim-report")
    with pytest.raises(Forbidden, match="ratings"):
        mx.rate(vera, INCIDENT, "H1", item=item, rating="C", rationale="because")
    with pytest.raises(Forbidden):
        mx.rate(rita, INCIDENT, "H1", item=item, rating="C", rationale="because")
    with pytest.raises(Forbidden):
        mx.add_hypothesis(rita, INCIDENT, "H5", "a fifth")
    with pytest.raises(Forbidden, match="run an analysis"):
        mx.run_analysis(vera, INCIDENT)
    with pytest.raises(Forbidden, match="comment"):
        review.comment(vera, INCIDENT, "case", "a viewer's view")
    # an analyst of another case cannot tell this incident from one that does not exist
    with pytest.raises(NotFound) as hidden:
        mx.rate(otto, INCIDENT, "H1", item=item, rating="C", rationale="because")
    with pytest.raises(NotFound) as missing:
        mx.rate(otto, "no-such-incident", "H1", item=item, rating="C", rationale="because")
    assert str(hidden.value).split("(")[0] == str(missing.value).split("(")[0].replace(
        "no-such-incident", INCIDENT
    )
    assert INCIDENT not in str(hidden.value).split("(")[1]
    with pytest.raises(NotFound):
        mx.matrix(otto, INCIDENT)
    with pytest.raises(NotFound, match="no such case or incident"):
        review.comment(otto, CASE, "case", "hello")
    # an analyst of the case may rate its items, not another case's
    other_item = str(evidence.list_items(admin, case="other").items[0].id)
    with pytest.raises(NotFound):
        mx.rate(ana, INCIDENT, "H1", item=other_item, rating="C", rationale="because")
    # a reviewer runs the analysis and signs off; an analyst may not sign off
    _analysis, finding = mx.run_analysis(rita, INCIDENT)
    with pytest.raises(Forbidden):
        review.sign_off(ana, INCIDENT, finding, "I agree")
    signed = review.sign_off(rita, INCIDENT, finding, "I have checked the matrix and agree")
    assert (signed.kind, signed.subject, signed.author) == (
        "sign-off",
        f"finding:{finding}",
        "rita",
    )
    assert review.list_comments(vera, INCIDENT)[0].kind == "sign-off"
    _intact(admin)


def test_the_latest_rating_counts_and_disagreement_shows(admin: Enquiry) -> None:
    ana, bob = _as(admin, "ana"), _as(admin, "bob")
    item = _item_id(admin, "doc-jim-report")
    assert not _row(admin, "doc-jim-report").counted
    first = mx.rate(ana, INCIDENT, "H2", item=item, rating="cc", rationale="fits the depot")
    assert (first.rating, first.previous) == ("CC", None)
    second = mx.rate(bob, INCIDENT, "H2", item=item, rating="I", rationale="times do not fit")
    assert (second.previous, second.previous_analyst) == ("CC", "ana")
    row = _row(admin, "doc-jim-report")
    cell = row.cells["H2"]
    assert row.counted and (row.reliability, row.credibility) == ("B", 2)
    assert (cell.rating, cell.analyst, cell.rationale) == ("I", "bob", "times do not fit")
    assert [(a.analyst, a.rating) for a in cell.analysts] == [("ana", "CC"), ("bob", "I")]
    assert cell.disagreement and cell.spread == 3 and cell.ratings == 2
    assert mx.matrix(admin, INCIDENT).disagreements == 1
    # the engine counts the latest rating too
    analysis, _finding = mx.run_analysis(ana, INCIDENT)
    counted = next(e for e in analysis.input.evidence if e.id == "doc-jim-report")
    assert counted.ratings == {"H2": "I"}
    # ana comes round: the analysts agree again, and all three ratings stay on record
    mx.rate(ana, INCIDENT, "H2", item=item, rating="I", rationale="bob is right on the times")
    cell = _row(admin, "doc-jim-report").cells["H2"]
    assert (cell.analyst, cell.disagreement, cell.spread, cell.ratings) == ("ana", False, 0, 3)
    rated = [e for e in _events(admin, "rated") if e.actor in ("ana", "bob")]
    assert [e.actor for e in rated] == ["ana", "bob", "ana"]
    details = json.loads(rated[1].details)
    assert details["previous"] == {"rating": "CC", "analyst": "ana"}
    assert (details["hypothesis"], details["item"], details["rating"]) == ("H2", int(item), "I")
    assert details["analyst"] == "bob" and rated[1].item_id == int(item)
    with pytest.raises(BadRequest, match="rationale"):
        mx.rate(ana, INCIDENT, "H2", item=item, rating="C", rationale="  ")
    with pytest.raises(BadRequest, match="not a rating"):
        mx.rate(ana, INCIDENT, "H2", item=item, rating="very", rationale="x")
    with pytest.raises(NotFound, match="known: H1"):
        mx.rate(ana, INCIDENT, "H9", item=item, rating="C", rationale="x")
    with pytest.raises(BadRequest, match="exactly one"):
        mx.rate(ana, INCIDENT, "H2", rating="C", rationale="x")
    _intact(admin)


def test_a_protected_witness_is_withheld_and_hidden_from_viewers(admin: Enquiry) -> None:
    ana, vera = _as(admin, "ana"), _as(admin, "vera")
    interview = next(
        r for r in mx.matrix(admin, INCIDENT).rows if r.protected and r.evidence.startswith("item-")
    )
    mx.rate(
        ana,
        INCIDENT,
        "H1",
        item=str(interview.target_id),
        rating="C",
        rationale=f"{WITNESS} saw the aircraft",
    )
    seen = mx.matrix(ana, INCIDENT)
    row = next(r for r in seen.rows if r.target_id == interview.target_id)
    assert row.protected and row.cells["H1"].rationale == "[withheld] saw the aircraft"
    assert WITNESS not in json.dumps(seen.to_dict())
    assert "interview-w9" not in json.dumps(seen.to_dict())
    viewed = mx.matrix(vera, INCIDENT)
    assert not any(r.protected for r in viewed.rows)
    assert {r.evidence for r in seen.rows} - {r.evidence for r in viewed.rows} == {
        r.evidence for r in seen.rows if r.protected
    }
    with pytest.raises(NotFound):
        mx.rate(_as(admin, "bob"), INCIDENT, "H1", item="999999", rating="C", rationale="x")
    # comments on a protected item are for those who may know it exists
    review.comment(ana, INCIDENT, f"cell:H1/item:{interview.target_id}", "credible witness")
    review.comment(ana, INCIDENT, "hypothesis:H1", "the main account")
    assert len(review.list_comments(ana, CASE)) == 2
    assert [c.subject for c in review.list_comments(vera, CASE)] == ["hypothesis:H1"]
    mx.run_analysis(ana, INCIDENT)
    latest = mx.latest_result(vera, INCIDENT)
    assert latest is not None
    shown = {r["evidence"] for r in latest.result["matrix"]["rows"]}
    assert "tst-eyewitness-aircraft" not in shown and "med-clinical-signs" in shown
    full = mx.latest_result(ana, INCIDENT)
    assert full is not None and "tst-eyewitness-aircraft" in {
        r["evidence"] for r in full.result["matrix"]["rows"]
    }
    _intact(admin)


def test_hypotheses_change_on_the_record_and_keep_one_catch_all(admin: Enquiry) -> None:
    ana = _as(admin, "ana")
    added = mx.add_hypothesis(ana, INCIDENT, "H5", "a leak from a storage site", prior=0.05)
    assert (added.key, added.is_other, added.prior) == ("H5", False, 0.05)
    view = mx.matrix(ana, INCIDENT)
    assert [h.key for h in view.hypotheses][-1] == "H5"
    assert sum(h.is_other for h in view.hypotheses) == 1
    with pytest.raises(Refused, match="exactly one"):
        mx.add_hypothesis(ana, INCIDENT, "H6", "anything else", other=True)
    with pytest.raises(Refused, match="already"):
        mx.add_hypothesis(ana, INCIDENT, "H5", "again")
    with pytest.raises(BadRequest, match="key"):
        mx.add_hypothesis(ana, INCIDENT, "H 6/x", "bad key")
    with pytest.raises(BadRequest, match="prior"):
        mx.add_hypothesis(ana, INCIDENT, "H6", "too sure", prior=1.5)
    with pytest.raises(BadRequest, match="rationale"):
        mx.update_hypothesis(ana, INCIDENT, "H5", label="x", rationale="")
    changed = mx.update_hypothesis(
        ana, INCIDENT, "H5", label="a leak at a depot", rationale="narrower"
    )
    assert changed.changed == {"label": "a leak at a depot"}
    assert changed.was == {"label": "a leak from a storage site"}
    with pytest.raises(BadRequest, match="nothing to change"):
        mx.update_hypothesis(ana, INCIDENT, "H5", label="a leak at a depot", rationale="same")
    created = [e for e in _events(admin, "created") if e.actor == "ana"]
    updated = [e for e in _events(admin, "updated") if e.actor == "ana"]
    assert json.loads(created[-1].details)["hypothesis"] == "H5"
    details = json.loads(updated[-1].details)
    assert details["rationale"] == "narrower" and details["was"] == changed.was
    analysis, _finding = mx.run_analysis(ana, INCIDENT)
    assert "H5" in [h.id for h in analysis.result.hypotheses]
    _intact(admin)


def test_sign_off_names_the_latest_finding_and_its_inputs(admin: Enquiry) -> None:
    ana, rita = _as(admin, "ana"), _as(admin, "rita")
    assert mx.latest_result(rita, INCIDENT) is None
    _first, older = mx.run_analysis(ana, INCIDENT)
    _second, newer = mx.run_analysis(rita, INCIDENT)
    with pytest.raises(Refused, match=f"finding {newer} is"):
        review.sign_off(rita, INCIDENT, older, "too late")
    with pytest.raises(NotFound):
        review.sign_off(rita, INCIDENT, newer + 10, "no such")
    with pytest.raises(BadRequest, match="empty"):
        review.sign_off(rita, INCIDENT, newer, " ")
    review.sign_off(rita, INCIDENT, newer, "signed")
    latest = mx.latest_result(rita, INCIDENT)
    assert latest is not None and latest.finding_id == newer
    event = [e for e in _events(admin, "commented") if e.actor == "rita"][-1]
    details = json.loads(event.details)
    assert details["kind"] == "sign-off" and details["finding"] == newer
    assert details["inputs_sha256"] == latest.inputs_hash
    with pytest.raises(BadRequest, match="not a subject"):
        review.comment(rita, INCIDENT, "finding:one", "x")
    with pytest.raises(NotFound, match="no such finding"):
        review.comment(rita, INCIDENT, f"finding:{newer + 10}", "x")
    other_item = evidence.list_items(admin, case="other").items[0].id
    with pytest.raises(NotFound, match="no such item"):
        review.comment(rita, INCIDENT, f"item:{other_item}", "x")
    note = review.comment(rita, CASE, f"finding:{older}", "superseded")
    assert [c.id for c in review.list_comments(ana, CASE, f"finding:{older}")] == [note.id]
    _intact(admin)


def test_the_command_line_rates_shows_and_signs(admin: Enquiry) -> None:
    runner = CliRunner()
    home = ["--home", str(admin.home)]
    item = _item_id(admin, "doc-jim-report")

    def run(*args: str, token: str | None = None) -> tuple[int, str, str]:
        env = {"ENQUIRY_TOKEN": token} if token else None
        done = runner.invoke(main, [*home, *args], env=env, catch_exceptions=False)
        return done.exit_code, done.stdout, done.stderr

    # ana and bob are accounts: the command line acts as them only with their own tokens
    code, _, err = run(
        "--as", "ana", "rate", INCIDENT, "H2", "CC", "--item", item, "--rationale", "x"
    )
    assert code != 0 and "ENQUIRY_TOKEN" in err
    ana, bob = (accounts.create_token(admin, name).token for name in ("ana", "bob"))
    code, out, _ = run(
        "rate", INCIDENT, "H2", "CC", "--item", item, "--rationale", "fits", token=ana
    )
    assert code == 0 and "CC, rated by ana" in out
    code, out, _ = run(
        "--as",
        "bob",
        "rate",
        INCIDENT,
        "H2",
        "II",
        "--item",
        item,
        "--rationale",
        "no",
        token=bob,
    )
    assert code == 0 and "(was CC by ana)" in out
    code, _, err = run("rate", INCIDENT, "H2", "ZZ", "--item", item, "--rationale", "x")
    assert code == 2 and err.startswith("enquiry: rating 'ZZ'") and err.count("\n") == 1
    code, out, _ = run("matrix", INCIDENT)
    assert code == 0 and "doc-jim-report" in out and "ana CC, bob II, 4 step(s) apart" in out
    code, out, _ = run("matrix", INCIDENT, "--json")
    shown = json.loads(out)
    cell = next(r for r in shown["rows"] if r["evidence"] == "doc-jim-report")["cells"]["H2"]
    assert cell["rating"] == "II" and cell["disagreement"] is True
    code, out, _ = run("hypothesis", "add", INCIDENT, "H5", "a fifth account")
    assert code == 0
    code, out, _ = run(
        "hypothesis", "update", INCIDENT, "H5", "--prior", "0.1", "--rationale", "rare"
    )
    assert code == 0 and "prior None -> 0.1" in out
    code, out, _ = run("finding", INCIDENT, "--run")
    assert code == 0 and out.startswith("finding 1 of")
    code, out, _ = run("comment", INCIDENT, f"cell:H2/item:{item}", "why II?")
    assert code == 0
    code, out, _ = run("sign-off", INCIDENT, "--finding", "1", "--statement", "agreed")
    assert code == 0 and "signed off" in out
    code, out, _ = run("comments", CASE, "--json")
    assert [c["kind"] for c in json.loads(out)] == ["comment", "sign-off"]
    code, out, _ = run("verify")
    assert code == 0


def _scenario(admin: Enquiry) -> None:
    """Rate, disagree, add a hypothesis, analyse, comment and sign off; the posterior follows
    the ratings and verify stays intact throughout."""
    ana, bob, rita = _as(admin, "ana"), _as(admin, "bob"), _as(admin, "rita")
    before, _ = mx.run_analysis(ana, INCIDENT)
    item = _item_id(admin, "doc-jim-report")
    # the JIM's report (graded B2) read as strongly consistent with H2 alone
    mx.rate(ana, INCIDENT, "H2", item=item, rating="CC", rationale="a depot is described")
    mx.rate(bob, INCIDENT, "H1", item=item, rating="II", rationale="no aircraft in this")
    after, finding = mx.run_analysis(rita, INCIDENT)
    posterior = {h.id: h.posterior for h in before.result.hypotheses}
    moved = {h.id: h.posterior for h in after.result.hypotheses}
    assert moved["H2"] > posterior["H2"] and moved["H1"] < posterior["H1"]
    assert after.inputs_hash != before.inputs_hash
    latest = mx.latest_result(ana, INCIDENT)
    assert latest is not None and latest.finding_id == finding
    assert latest.result["hypotheses"] == after.result.to_dict()["hypotheses"]
    mx.rate(bob, INCIDENT, "H2", item=item, rating="N", rationale="the depot is hearsay")
    cell = _row(ana, "doc-jim-report").cells["H2"]
    assert (cell.rating, cell.analyst, cell.disagreement, cell.spread) == ("N", "bob", True, 2)
    mx.add_hypothesis(ana, INCIDENT, "H5", "a leak from a storage site")
    mx.update_hypothesis(ana, INCIDENT, "H5", prior=0.02, rationale="no storage site is known")
    review.comment(rita, INCIDENT, f"cell:H2/item:{item}", "ana and bob differ here")
    _, finding = mx.run_analysis(rita, INCIDENT)
    signed = review.sign_off(rita, INCIDENT, finding, "I agree with the finding")
    assert [c.kind for c in review.list_comments(bob, CASE)] == ["comment", "sign-off"]
    assert signed.subject == f"finding:{finding}"
    actors = {e.actor for e in _events(admin, "rated")} | {
        e.actor for e in _events(admin, "commented")
    }
    assert {"ana", "bob", "rita"} <= actors
    _intact(admin)


def test_the_whole_review_cycle(backend: str, tmp_path: Path) -> None:
    """On both back ends: the demo case loaded afresh (PostgreSQL cannot be copied as a home
    can), then the whole cycle."""
    if backend == "postgresql":
        assert os.environ["ENQUIRY_DB"].startswith("postgresql")
    admin = _make(tmp_path / "home", tmp_path / "files")
    _scenario(admin)


def test_a_view_shows_the_stored_finding_until_the_inputs_change(admin: Enquiry) -> None:
    ana, vera = _as(admin, "ana"), _as(admin, "vera")
    first = mx.current_analysis(vera, INCIDENT)
    assert not first.reused and first.finding_id is None, "a viewer's view stores nothing"
    ran = mx.current_analysis(ana, INCIDENT)
    assert not ran.reused and ran.finding_id is not None
    again = mx.current_analysis(vera, INCIDENT)
    assert again.reused and again.finding_id == ran.finding_id
    assert again.analysis.result.to_dict() == ran.analysis.result.to_dict()
    before = {h.id: h.posterior for h in again.analysis.result.hypotheses}
    mx.rate(ana, INCIDENT, "H1", item="1", rating="II", rationale="contradicts H1")
    after = mx.current_analysis(ana, INCIDENT)
    assert not after.reused and after.finding_id != ran.finding_id
    assert {h.id: h.posterior for h in after.analysis.result.hypotheses} != before
    assert mx.current_analysis(vera, INCIDENT).finding_id == after.finding_id
