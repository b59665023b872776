"""Accounts and rights, decided in the core: what each role may see and do, on both back ends.

A user without a right on a case cannot tell it from a case that does not exist; a viewer does
not learn that protected items exist; a role that may see a case but not change it is refused
by name; every account change is a ledger event, and a role written into the database behind
the ledger's back is caught by verify.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import insert, select, text

from demo_helpers import HomeTemplates
from enquiry.app import Enquiry, accounts, evidence
from enquiry.app.access import Right, rights_on
from enquiry.cli import main
from enquiry.errors import BadRequest, Forbidden, NotFound, Refused, Unauthorized
from enquiry.store.ledger import utc_now
from enquiry.store.tables import CustodyEvent, Membership
from enquiry.store.verify import verify

PASSWORD = "correct horse battery"


def _build(home: Path) -> str:
    """Two cases: alpha (a report and a protected testimony) and beta (one photo's stand-in);
    users: vera (viewer on alpha), ana (analyst on alpha, may see identities), ivo
    (investigator on beta)."""
    admin = Enquiry.at(home, "admin")
    files = home.parent / "files"
    files.mkdir()
    (files / "report.txt").write_text("The hospital received 60 patients.\n", encoding="utf-8")
    (files / "witness.txt").write_text("I am Salma from the north district.\n", encoding="utf-8")
    (files / "beta.txt").write_text("Another case entirely.\n", encoding="utf-8")
    evidence.add(admin, [files / "report.txt"], case="alpha")
    evidence.add(admin, [files / "witness.txt"], case="alpha", protected=True)
    evidence.add(admin, [files / "beta.txt"], case="beta")
    for name in ("vera", "ana", "ivo"):
        accounts.add_user(admin, name, PASSWORD)
    accounts.grant(admin, "vera", "alpha", "viewer")
    accounts.grant(admin, "ana", "alpha", "analyst", see_protected=True)
    accounts.grant(admin, "ivo", "beta", "investigator")
    # closed before the home is copied (SQLite removes its -wal and -shm files as it closes)
    admin.store().engine.dispose()
    return ""


@pytest.fixture
def home(home_templates: HomeTemplates, tmp_path: Path, backend: str) -> Enquiry:
    """The test's own copy of a home built by :func:`_build` once per back end and test
    process (each account's password is hashed on purpose slowly)."""
    run = home_templates.copy(
        "access-alpha-beta", _build, tmp_path / "home", os.environ.get("ENQUIRY_DB")
    )
    return Enquiry.at(run.home, "admin")


def _as(admin: Enquiry, name: str) -> Enquiry:
    return admin.acting_as(accounts.authenticate_password(admin, name, PASSWORD))


def _ids(app: Enquiry, case: str | None = None) -> dict[str, int]:
    page = evidence.list_items(app, case=case)
    return {row.case + ("/protected" if row.protected else ""): row.id for row in page.items}


def test_a_user_sees_only_their_cases_and_others_look_absent(home: Enquiry) -> None:
    vera, ivo = _as(home, "vera"), _as(home, "ivo")
    assert [c.name for c in evidence.list_cases(vera)] == ["alpha"]
    assert [c.name for c in evidence.list_cases(ivo)] == ["beta"]
    beta_item = _ids(home, "beta")["beta"]
    with pytest.raises(NotFound) as other:
        evidence.list_items(vera, case="beta")
    with pytest.raises(NotFound) as missing:
        evidence.list_items(vera, case="no-such-case")
    assert str(other.value) == str(missing.value).replace("no-such-case", "beta")
    with pytest.raises(NotFound) as hidden_item:
        evidence.show_item(vera, str(beta_item))
    with pytest.raises(NotFound) as no_item:
        evidence.show_item(vera, "999999")
    assert str(hidden_item.value) == str(no_item.value).replace("999999", str(beta_item))
    assert all(e.case != _case_id(home, "beta") for e in evidence.read_log(vera))
    assert all(e.case is not None for e in evidence.read_log(vera)), "home-wide events are hidden"


def _case_id(app: Enquiry, name: str) -> int:
    with app.store().engine.connect() as connection:
        return int(
            connection.execute(text("SELECT id FROM cases WHERE name = :n"), {"n": name}).scalar()
        )


def test_a_viewer_does_not_learn_that_protected_items_exist(home: Enquiry) -> None:
    vera, ana = _as(home, "vera"), _as(home, "ana")
    protected_id = _ids(home, "alpha")["alpha/protected"]
    assert set(_ids(vera)) == {"alpha"}
    assert evidence.list_cases(vera)[0].items == 1
    assert set(_ids(ana)) == {"alpha", "alpha/protected"}
    with pytest.raises(NotFound):
        evidence.show_item(vera, str(protected_id))
    with pytest.raises(NotFound):
        evidence.read_log(vera, item=str(protected_id))
    assert all(e.item != protected_id for e in evidence.read_log(vera))
    shown = evidence.show_item(ana, str(protected_id))
    assert shown.protected and "Salma" not in repr(shown)


def test_identities_need_their_own_right_and_each_sight_is_logged(
    home: Enquiry, tmp_path: Path
) -> None:
    accounts.grant(home, "vera", "alpha", "reviewer")  # sees protected items, not identities
    vera, ana = _as(home, "vera"), _as(home, "ana")
    protected_id = str(_ids(home, "alpha")["alpha/protected"])
    with pytest.raises(Forbidden, match="protected identities"):
        evidence.show_item(vera, protected_id, with_text=True, reveal=True)
    with pytest.raises(Forbidden):
        evidence.copy_item(vera, protected_id, tmp_path / "copy.txt", reveal=True)
    assert not (tmp_path / "copy.txt").exists()
    shown = evidence.show_item(ana, protected_id, with_text=True, reveal=True)
    assert "Salma" in "".join((shown.text or {}).values())
    with home.store().session() as session:
        reveals = session.scalars(
            select(CustodyEvent.actor).where(CustodyEvent.action == "revealed")
        ).all()
    assert "ana" in reveals and "vera" not in reveals


def test_roles_allow_what_they_name_and_refuse_the_rest_by_name(
    home: Enquiry, tmp_path: Path
) -> None:
    ana, ivo = _as(home, "ana"), _as(home, "ivo")
    new = tmp_path / "new.txt"
    new.write_text("more evidence\n", encoding="utf-8")
    with pytest.raises(Forbidden, match="add evidence"):
        evidence.add(ana, [new], case="alpha")
    with pytest.raises(NotFound):
        evidence.add(ivo, [new], case="alpha")
    with pytest.raises(NotFound):
        evidence.add(ivo, [new], case="gamma")  # only the administrator opens a case
    report = evidence.add(ivo, [new], case="beta")
    assert report.count("stored") == 1
    with home.store().session() as session:
        actor = session.scalars(
            select(CustodyEvent.actor)
            .where(CustodyEvent.action == "received")
            .order_by(CustodyEvent.seq.desc())
        ).first()
    assert actor == "ivo"
    assert Right.ANALYSE in rights_on(ana, _case_id(home, "alpha"))
    assert rights_on(ana, _case_id(home, "beta")) == frozenset()
    with pytest.raises(Forbidden, match="administrator"):
        accounts.add_user(ana, "mallory", PASSWORD)


def test_credentials_fail_alike_and_tokens_and_accounts_can_be_withdrawn(home: Enquiry) -> None:
    store = home
    with pytest.raises(Unauthorized) as wrong:
        accounts.authenticate_password(store, "vera", "not the password")
    with pytest.raises(Unauthorized) as unknown:
        accounts.authenticate_password(store, "nobody", "not the password")
    assert str(wrong.value) == str(unknown.value)
    made = accounts.create_token(home, "vera", "laptop")
    assert accounts.authenticate_token(store, made.token).name == "vera"
    with home.store().engine.connect() as connection:
        stored = connection.execute(text("SELECT token_sha256 FROM api_tokens")).scalars().all()
    assert made.token not in stored and all(len(s) == 64 for s in stored)
    accounts.revoke_token(home, made.view.prefix)
    with pytest.raises(Unauthorized):
        accounts.authenticate_token(store, made.token)
    signed = accounts.open_session(store, accounts.authenticate_password(store, "ivo", PASSWORD))
    assert accounts.session_principal(store, signed.cookie)[0].name == "ivo"
    accounts.disable_user(home, "ivo")
    with pytest.raises(Unauthorized):
        accounts.session_principal(store, signed.cookie)
    with pytest.raises(Unauthorized):
        accounts.authenticate_password(store, "ivo", PASSWORD)
    with pytest.raises(BadRequest):
        accounts.add_user(home, "Bad Name!", PASSWORD)
    with pytest.raises(Refused):
        accounts.add_user(home, "vera", PASSWORD)


def test_the_login_throttle_stops_guessing() -> None:
    throttle = accounts.LoginThrottle(limit=3, window=60)
    for _ in range(3):
        throttle.check("vera", "10.0.0.1")
        throttle.failed("vera", "10.0.0.1")
    with pytest.raises(Unauthorized, match="too many"):
        throttle.check("vera", "10.0.0.9")
    throttle.check("ana", "10.0.0.9")


def test_a_role_slipped_into_the_database_is_caught_by_verify(home: Enquiry) -> None:
    assert verify(home.store()).intact
    with home.store().engine.begin() as connection:
        user_id = connection.execute(text("SELECT id FROM users WHERE name = 'ivo'")).scalar()
        connection.execute(
            insert(Membership).values(
                user_id=user_id,
                case_id=_case_id(home, "alpha"),
                role="owner",
                see_protected=True,
                granted_at=utc_now(),
                granted_by="nobody",
            )
        )
    report = verify(home.store())
    assert not report.intact
    assert any("membership" in line for line in report.failures)


def test_the_command_line_manages_accounts(home: Enquiry) -> None:
    runner = CliRunner()
    args = ["--home", str(home.home), "--as", "chief"]
    made = runner.invoke(main, [*args, "users", "add", "zoe"], input=PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    short = runner.invoke(main, [*args, "users", "add", "yan"], input="short\n")
    assert short.exit_code == 2 and "at least" in short.stderr
    granted = runner.invoke(main, [*args, "users", "grant", "zoe", "alpha", "reviewer"])
    assert granted.exit_code == 0 and "alpha: reviewer" in granted.output
    bad_role = runner.invoke(main, [*args, "users", "grant", "zoe", "alpha", "boss"])
    assert bad_role.exit_code == 2
    missing_case = runner.invoke(main, [*args, "users", "grant", "zoe", "nope", "viewer"])
    assert missing_case.exit_code == 1 and "no such case" in missing_case.stderr
    token = runner.invoke(main, [*args, "tokens", "create", "zoe"])
    assert token.exit_code == 0
    last = token.stdout.strip().splitlines()[-1]
    assert last.startswith("enq_") and " " not in last
    assert accounts.authenticate_token(home, last).name == "zoe"
    listed = runner.invoke(main, [*args, "users", "list", "--json"])
    assert '"zoe"' in listed.output and "password" not in listed.output
    with home.store().session() as session:
        events = session.execute(
            select(CustodyEvent.actor, CustodyEvent.action).where(
                CustodyEvent.action.in_(["account", "granted"])
            )
        ).all()
    assert ("chief", "granted") in events and ("chief", "account") in events
    withdrawn = runner.invoke(main, [*args, "users", "revoke", "zoe", "alpha"])
    assert withdrawn.exit_code == 0 and "no case" in withdrawn.output


def test_a_refusal_names_a_case_the_user_may_see_by_its_name(home: Enquiry, tmp_path: Path) -> None:
    """A viewer may read the case but not export its whole record: told so by the case's name,
    not by its internal number."""
    from enquiry.app import exports

    with pytest.raises(Forbidden) as refused:
        exports.export(_as(home, "vera"), "csv", tmp_path / "out.zip", case="alpha")
    assert "case 'alpha': you may not" in str(refused.value), str(refused.value)
    assert not (tmp_path / "out.zip").exists()
