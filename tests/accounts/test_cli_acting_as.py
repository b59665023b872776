"""The command line never records an act under an account's name unless it is that account.

``--as NAME`` (and, without it, the operating-system user) says under which name the ledger
records what the administrator does. An account's name is refused there — in any case, in
compatibility forms, enabled or disabled — with one line and nothing recorded, unless the
command presents one of the account's API tokens in ``ENQUIRY_TOKEN``; it then acts as that
account, with that account's rights, decided by the same core checks as the web app's.
Otherwise anyone at the command line could confirm a redaction, rate a cell or sign off a
finding in a reviewer's name, indistinguishable from the reviewer's own acts.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from demo_helpers import DemoRun, HomeTemplates
from enquiry.app import Enquiry, accounts, evidence
from enquiry.app import matrix as mx
from enquiry.cli import main
from enquiry.errors import Forbidden, Unauthorized
from enquiry.store.tables import CustodyEvent, Rating

PASSWORD = "correct horse battery"
INCIDENT = "khan-shaykhun-2017-04-04"
CASE = "khan-shaykhun"
TOKEN_ENV = "ENQUIRY_TOKEN"  # the documented name, spelled out: it is part of the interface


def _build_team(home: Path) -> str:
    """Cases alpha and beta; accounts alice (reviewer on alpha), vera (viewer on alpha) and
    dora (disabled); the files added beside the home, in ``files``."""
    admin = Enquiry.at(home, "chief")
    files = home.parent / "files"
    files.mkdir()
    (files / "report.txt").write_text("The hospital received 60 patients.\n", encoding="utf-8")
    (files / "beta.txt").write_text("Another case entirely.\n", encoding="utf-8")
    evidence.add(admin, [files / "report.txt"], case="alpha")
    evidence.add(admin, [files / "beta.txt"], case="beta")
    for name in ("alice", "vera", "dora"):
        accounts.add_user(admin, name, PASSWORD)
    accounts.grant(admin, "alice", "alpha", "reviewer")
    accounts.grant(admin, "vera", "alpha", "viewer")
    accounts.disable_user(admin, "dora")
    # closed before the home is copied (SQLite removes its -wal and -shm files as it closes)
    admin.store().engine.dispose()
    return ""


@pytest.fixture
def team(home_templates: HomeTemplates, tmp_path: Path, backend: str) -> Enquiry:
    """The test's own copy of a home with cases alpha and beta and accounts alice (reviewer on
    alpha), vera (viewer on alpha) and dora (disabled), built once per back end and test
    process (each account's password is hashed on purpose slowly), with its ``files`` beside
    it."""
    run = home_templates.copy(
        "cli-acting-as-team", _build_team, tmp_path / "home", os.environ.get("ENQUIRY_DB")
    )
    shutil.copytree(run.ran_in.parent / "files", tmp_path / "files")
    return Enquiry.at(run.home, "chief")


def _cli(
    home: Path, *args: str, env: Mapping[str, str | None] | None = None, stdin: str = ""
) -> Result:
    """``enquiry --home HOME ARGS...`` with no token in the environment unless ``env`` gives
    one."""
    chosen: dict[str, str | None] = {TOKEN_ENV: None}
    chosen.update(env or {})
    return CliRunner().invoke(main, ["--home", str(home), *args], env=chosen, input=stdin)


def _token(admin: Enquiry, name: str) -> str:
    return accounts.create_token(admin, name, "command line").token


def _events(admin: Enquiry) -> list[tuple[int, str, str]]:
    with admin.store().session() as session:
        rows = session.execute(
            select(CustodyEvent.seq, CustodyEvent.actor, CustodyEvent.action).order_by(
                CustodyEvent.seq
            )
        ).all()
    return [(int(r.seq), str(r.actor), str(r.action)) for r in rows]


def _new(admin: Enquiry, before: list[tuple[int, str, str]]) -> set[tuple[str, str]]:
    """(actor, action) of the events recorded since ``before``."""
    return {(actor, action) for _seq, actor, action in _events(admin)[len(before) :]}


def _one_line(result: Result, status: int = 1) -> str:
    assert result.exit_code == status, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- an account's name, without its token --------------------------------------------------


LOOKALIKES = [
    "\u0430lice",  # a Cyrillic а
    "\u0430l\u0456\u0441\u0435",  # Cyrillic а, і, с, е: not one Latin letter but the l
    "al\u00efce",  # an accent
    "\u03b1lice",  # a Greek α
    "aIice",  # a capital I for the l
    "alIce",  # ... and for the i
    "a1ice",  # a one for the l
]


@pytest.mark.parametrize("name", ["alice", "Alice", " ALICE ", "ａｌｉｃｅ", "dora", *LOOKALIKES])
def test_an_accounts_name_is_refused_without_its_token(team: Enquiry, name: str) -> None:
    """Written as the account's own name, in capitals, with spaces, in fullwidth letters, with
    letters of other scripts drawn alike or accents — all of which read as the account in the
    ledger — or a disabled account's name: refused, nothing recorded. (Invisible characters,
    a zero-width space, are refused in any name given with ``--as``.)"""
    before = _events(team)
    note = team.home.parent / "files" / "report.txt"
    for args in (
        ("comment", "alpha", "case", "the count holds"),
        ("add", str(note), "--case", "alpha", "--kind", "document"),
    ):
        line = _one_line(_cli(team.home, "--as", name, *args))
        assert line.startswith("enquiry: --as "), line
        assert ": that is the account 'alice'" in line or ": that is the account 'dora'" in line
        assert TOKEN_ENV in line
    assert _events(team) == before


def test_the_operating_system_user_is_held_to_the_same_rule(team: Enquiry) -> None:
    """The default of ``--as`` is read from LOGNAME or USER, which anyone sets: an OS user
    named as an account proves no more than ``--as`` and is refused alike; naming oneself
    with ``--as`` goes ahead under that name."""
    before = _events(team)
    posing = {"LOGNAME": "alice", "USER": "alice", "LNAME": None, "USERNAME": None}
    line = _one_line(_cli(team.home, "comment", "alpha", "case", "hi", env=posing))
    assert line.startswith("enquiry: the OS user 'alice': that is the account 'alice'"), line
    assert _events(team) == before
    named = _cli(team.home, "--as", "panel", "comment", "alpha", "case", "hi", env=posing)
    assert named.exit_code == 0, named.output
    assert ("panel", "commented") in _new(team, before)


def test_names_that_are_no_accounts_act_as_the_administrator(team: Enquiry) -> None:
    before = _events(team)
    # a lower-case i and l are two letters: "allce" is someone else
    other = _cli(team.home, "--as", "allce", "comment", "beta", "case", "seen")
    assert other.exit_code == 0, other.output
    done = _cli(team.home, "--as", "alice-cli", "comment", "beta", "case", "reviewed")
    assert done.exit_code == 0, done.output
    assert {actor for actor, _action in _new(team, before)} == {"allce", "alice-cli"}
    # a command that opens no home does not check the name against its accounts
    kinds = _cli(team.home, "--as", "alice", "kinds", "list")
    assert kinds.exit_code == 0 and "testimony" in kinds.output


def test_serve_is_refused_under_an_accounts_name(
    team: Enquiry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server's own name is the command line's: refused before anything is served."""
    import uvicorn

    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: served.append(a))
    line = _one_line(_cli(team.home, "--as", "alice", "serve", "--port", "8765"))
    assert "that is the account 'alice'" in line and not served


# --- with the account's token ------------------------------------------------------------------


def test_with_its_token_the_command_line_acts_as_the_account_with_its_rights(
    team: Enquiry,
) -> None:
    """alice's token: her comment is recorded as hers; what her role does not allow, what
    only the administrator may do and a case she holds no role on are refused as the web app
    refuses them, and nothing is recorded for them."""
    alice = {TOKEN_ENV: _token(team, "alice")}
    vera = {TOKEN_ENV: _token(team, "vera")}
    for as_named in ((), ("--as", "alice"), ("--as", "ALICE")):
        before = _events(team)
        done = _cli(team.home, *as_named, "comment", "alpha", "case", "agreed", env=alice)
        assert done.exit_code == 0, done.output
        assert {actor for actor, _action in _new(team, before)} == {"alice"}
        assert ("alice", "commented") in _new(team, before)
    before = _events(team)
    note = team.home.parent / "files" / "report.txt"
    adding = _one_line(_cli(team.home, "add", str(note), "--case", "alpha", env=alice))
    assert "you may not add evidence" in adding
    managing = _one_line(_cli(team.home, "users", "list", env=alice))
    assert "only the home's administrator" in managing
    other = _one_line(_cli(team.home, "comment", "beta", "case", "x", env=alice))
    missing = _one_line(_cli(team.home, "comment", "gamma", "case", "x", env=alice))
    assert other == missing.replace("gamma", "beta")
    viewer = _one_line(_cli(team.home, "comment", "alpha", "case", "x", env=vera))
    assert "you may not comment" in viewer
    assert _events(team) == before


def test_a_token_that_fails_or_disagrees_with_as_is_refused(team: Enquiry) -> None:
    """A wrong, revoked or disabled account's token: one line naming ENQUIRY_TOKEN, the same
    for every failure; ``--as`` naming someone else than the token's account: a wrong request.
    Nothing is recorded for any of them."""
    revoked = accounts.create_token(team, "vera")
    accounts.revoke_token(team, str(revoked.view.id))
    disabled = _token(team, "alice")
    accounts.disable_user(team, "alice")
    before = _events(team)
    failures = set()
    for token in ("enq_" + "x" * 43, "not-a-token", revoked.token, disabled):
        line = _one_line(_cli(team.home, "comment", "alpha", "case", "x", env={TOKEN_ENV: token}))
        failures.add(line)
    assert failures == {f"enquiry: {TOKEN_ENV}: {accounts.CREDENTIALS}"}
    assert _events(team) == before
    vera = {TOKEN_ENV: _token(team, "vera")}
    before = _events(team)
    for name in ("chief", "alice", "panel"):
        args = ("--as", name, "comment", "alpha", "case", "x")
        line = _one_line(_cli(team.home, *args, env=vera), status=2)
        assert line.startswith(f"enquiry: --as {name}: {TOKEN_ENV} holds a token of 'vera'")
    assert _events(team) == before
    nowhere = _cli(team.home.parent / "no-home", "case", "list", env=vera)
    assert _one_line(nowhere).startswith(f"enquiry: {TOKEN_ENV}:")


def test_the_claim_is_checked_before_any_right_and_stays_refused(team: Enquiry) -> None:
    """The core object the command line makes settles who acts before the first access
    decision (an administrator-only service asks before it opens the home), and a refused
    name is refused again on every use rather than let through the second time."""
    posing = Enquiry.command_line(team.home, "alice", named=True)
    for _attempt in range(2):
        with pytest.raises(Unauthorized):
            evidence.list_cases(posing)
        with pytest.raises(Unauthorized):
            accounts.add_user(posing, "mallory", PASSWORD)
    vera = Enquiry.command_line(team.home, "root", named=False, token=_token(team, "vera"))
    with pytest.raises(Forbidden):
        accounts.add_user(vera, "mallory", PASSWORD)
    assert vera.actor == "vera" and [c.name for c in evidence.list_cases(vera)] == ["alpha"]


def test_making_an_account_under_ones_own_name_says_what_follows(team: Enquiry) -> None:
    """The administrator may make an account under the name they act by; the command line
    says that from then on that name is the account's, taken only with its token (and says
    nothing of the kind for an account of another name)."""
    other = _cli(team.home, "--as", "chief", "users", "add", "zed", stdin=PASSWORD + "\n")
    assert other.exit_code == 0 and TOKEN_ENV not in other.stderr, other.output
    made = _cli(team.home, "--as", "chief", "users", "add", "chief", stdin=PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    assert f"only with one of the account's tokens in {TOKEN_ENV}" in made.stderr
    line = _one_line(_cli(team.home, "--as", "chief", "case", "list"))
    assert "that is the account 'chief'" in line
    chief = {TOKEN_ENV: _token(team, "chief")}
    assert _one_line(_cli(team.home, "users", "list", env=chief)).endswith(
        "only the home's administrator may do this"
    ), "an account made without --admin has a user's rights, whatever its name"


def test_an_account_cannot_take_a_name_the_ledger_records_in_a_form_that_reads_as_it(
    team: Enquiry,
) -> None:
    """The other way round: acts recorded under ``ＭＡＲＡ`` (fullwidth) read as ``mara``'s, so
    no account ``mara`` may be made after them — the very forms the command line refuses once
    an account exists."""
    done = _cli(team.home, "--as", "ＭＡＲＡ", "comment", "alpha", "case", "seen")
    assert done.exit_code == 0, done.output
    made = _cli(team.home, "--as", "chief", "users", "add", "mara", stdin=PASSWORD + "\n")
    line = _one_line(made)
    assert "already records acts by 'mara'" in line, line


# --- the review the ledger vouches for -----------------------------------------------------------


def test_a_sign_off_and_a_rating_in_a_reviewers_name_need_the_reviewers_token(
    demo_case_home: DemoRun,
) -> None:
    """The acts an independent review rests on — a rating and a sign-off — cannot be put in a
    reviewer's or an analyst's name from the command line; with their own tokens they are
    recorded as theirs."""
    admin = Enquiry.at(demo_case_home.home, "panel")
    for name, role in (("rev", "reviewer"), ("ana", "analyst")):
        accounts.add_user(admin, name, PASSWORD)
        accounts.grant(admin, name, CASE, role)
    tokens = {name: {TOKEN_ENV: _token(admin, name)} for name in ("rev", "ana")}
    _analysis, finding = mx.run_analysis(admin, INCIDENT)
    item = str(next(r for r in mx.matrix(admin, INCIDENT).rows).target_id)
    sign = ("sign-off", INCIDENT, "--finding", str(finding), "--statement", "reviewed")
    rate = ("rate", INCIDENT, "H2", "CC", "--item", item, "--rationale", "fits")
    before = _events(admin)
    assert "that is the account 'rev'" in _one_line(_cli(admin.home, "--as", "rev", *sign))
    assert "that is the account 'ana'" in _one_line(_cli(admin.home, "--as", "ana", *rate))
    assert _events(admin) == before
    signed = _cli(admin.home, *sign, env=tokens["rev"])
    assert signed.exit_code == 0 and "signed off by rev" in signed.output, signed.output
    rated = _cli(admin.home, *rate, env=tokens["ana"])
    assert rated.exit_code == 0, rated.output
    with admin.store().session() as session:
        assert session.scalars(select(func.count()).where(Rating.analyst == "ana")).one() == 1
    assert {actor for actor, _action in _new(admin, before)} == {"rev", "ana"}


def test_a_token_that_is_not_the_administrators_may_not_verify_the_whole_home(
    team: Enquiry,
) -> None:
    """``verify`` reads every case of the home and records a ``verified`` event: an account's
    token does not make its holder the home's administrator."""
    token = _token(team, "vera")
    before = _events(team)
    done = _cli(team.home, "verify", env={TOKEN_ENV: token})
    assert done.exit_code != 0
    assert "verify: only the home's administrator may do this" in done.stderr
    assert done.stderr.count("\n") == 1
    assert _events(team) == before  # nothing recorded under vera
    assert _cli(team.home, "--as", "chief-clerk", "verify").exit_code == 0
