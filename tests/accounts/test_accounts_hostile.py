"""Accounts against a hostile insider: an owner cannot manage accounts or reach past their own
user, a grant cannot list a right that means nothing, a new account cannot wear a name the
ledger already records acts by, awkward names are refused, and the sign-in throttle counts what
it must however the guesses are timed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from enquiry.app import Enquiry, accounts, evidence
from enquiry.cli import main
from enquiry.errors import BadRequest, Forbidden, NotFound, Refused, Unauthorized
from enquiry.store.tables import ApiToken, CustodyEvent, User

PASSWORD = "correct horse battery"


@pytest.fixture
def home(tmp_path: Path) -> Enquiry:
    """One case, alpha, with a plain and a protected item; olga owns it, vera views it."""
    admin = Enquiry.at(tmp_path / "home", "chief")
    files = tmp_path / "files"
    files.mkdir()
    (files / "report.txt").write_text("The hospital received 60 patients.\n", encoding="utf-8")
    (files / "witness.txt").write_text("I am Salma from the north district.\n", encoding="utf-8")
    evidence.add(admin, [files / "report.txt"], case="alpha")
    evidence.add(admin, [files / "witness.txt"], case="alpha", protected=True)
    for name in ("olga", "vera"):
        accounts.add_user(admin, name, PASSWORD)
    accounts.grant(admin, "olga", "alpha", "owner")
    accounts.grant(admin, "vera", "alpha", "viewer")
    return admin


def _as(admin: Enquiry, name: str) -> Enquiry:
    return admin.acting_as(accounts.authenticate_password(admin, name, PASSWORD))


# --- an owner is no administrator -------------------------------------------------------------


def test_an_owner_can_neither_grant_nor_manage_accounts(home: Enquiry) -> None:
    """The owner's right to manage a case covers sealing items, not roles: granting (themselves
    the right to identities, someone a role, anyone anything) and every account change are the
    administrator's alone."""
    olga = _as(home, "olga")
    refusals = {
        "grant self": lambda: accounts.grant(olga, "olga", "alpha", "owner", see_protected=True),
        "grant other": lambda: accounts.grant(olga, "vera", "alpha", "analyst"),
        "revoke": lambda: accounts.revoke(olga, "vera", "alpha"),
        "add admin": lambda: accounts.add_user(olga, "mallory", PASSWORD, admin=True),
        "disable": lambda: accounts.disable_user(olga, "vera"),
        "list": lambda: accounts.list_users(olga),
    }
    for what, attempt in refusals.items():
        with pytest.raises(Forbidden, match="administrator"):
            attempt()
        assert what
    # Another user's secrets are not theirs to set or make: refused as if the user did not exist.
    with pytest.raises(NotFound) as other:
        accounts.set_password(olga, "vera", "a password of mine")
    with pytest.raises(NotFound) as nobody:
        accounts.set_password(olga, "nobody", "a password of mine")
    assert str(other.value) == str(nobody.value).replace("nobody", "vera")
    with pytest.raises(NotFound):
        accounts.create_token(olga, "vera")
    veras = accounts.create_token(home, "vera")
    with pytest.raises(NotFound):
        accounts.revoke_token(olga, str(veras.view.id))
    assert [t.user for t in accounts.list_tokens(olga)] == []
    assert accounts.authenticate_token(home, veras.token).name == "vera"
    assert accounts.list_users(home)[0].roles == {"alpha": "owner"}


def test_the_right_to_identities_is_not_granted_to_a_viewer(home: Enquiry) -> None:
    """A viewer never sees a protected item, so the right to its identities would be listed
    ("viewer+protected") while granting nothing: refused, saying which roles may hold it."""
    with pytest.raises(BadRequest, match="viewer does not see protected items"):
        accounts.grant(home, "vera", "alpha", "viewer", see_protected=True)
    assert accounts.list_users(home)[1].roles == {"alpha": "viewer"}
    accounts.grant(home, "vera", "alpha", "reviewer", see_protected=True)
    assert accounts.list_users(home)[1].roles == {"alpha": "reviewer+protected"}


# --- names --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["--admin", "-rf", ".hidden", "@team", "_x"])
def test_a_name_starts_with_a_letter_or_digit(home: Enquiry, name: str) -> None:
    """A name such as ``--admin`` would read as an option to every command managing it."""
    with pytest.raises(BadRequest, match="start with a letter or digit"):
        accounts.add_user(home, name, PASSWORD)


@pytest.mark.parametrize("name", ["a\x1bb", "ali ce", "ali\u200bce", "\u0430lice", "al\u202eice"])
def test_a_name_holds_no_control_invisible_or_lookalike_character(home: Enquiry, name: str) -> None:
    """Escape sequences, spaces, zero-width and direction marks, and a Cyrillic ``а`` that
    looks like ``a``: a name is plain ASCII, so two accounts never look alike."""
    with pytest.raises(BadRequest, match="user name"):
        accounts.add_user(home, name, PASSWORD)


def test_a_name_in_capitals_or_with_spaces_around_is_the_same_name(home: Enquiry) -> None:
    """``VERA``, `` vera`` and ``vera`` are one account: taken, and one sign-in."""
    for variant in ("VERA", " vera", "Vera\t"):
        with pytest.raises(Refused, match="in use"):
            accounts.add_user(home, variant, PASSWORD)
        assert accounts.authenticate_password(home, variant, PASSWORD).name == "vera"


def test_the_command_line_refuses_an_option_like_name(home: Enquiry) -> None:
    runner = CliRunner()
    made = runner.invoke(
        main,
        ["--home", str(home.home), "users", "add", "--", "--admin"],
        input=PASSWORD + "\n",
    )
    assert made.exit_code == 2 and "start with a letter or digit" in made.stderr
    assert len(made.stderr.strip().splitlines()) == 1


def test_an_account_cannot_take_a_name_the_ledger_records_acts_by(
    home: Enquiry, tmp_path: Path
) -> None:
    """The ledger names an actor by name alone: an account called ``root`` (or ``ROOT``) would
    make its web acts look like those of whoever worked as root on the command line."""
    root = Enquiry.at(home.home, "Root")
    (tmp_path / "note.txt").write_text("A note added from the command line.\n", encoding="utf-8")
    evidence.add(root, [tmp_path / "note.txt"], case="alpha")
    for name in ("root", "ROOT"):
        with pytest.raises(Refused, match="already records acts by 'root'"):
            accounts.add_user(home, name, PASSWORD)
    # The administrator may make an account under the very name they act by.
    assert accounts.add_user(home, "chief", PASSWORD).name == "chief"
    # An account's own acts do not bar anything: its name is simply in use.
    with pytest.raises(Refused, match="the name is in use"):
        accounts.add_user(home, "chief", PASSWORD)


# --- sessions and tokens when things change -------------------------------------------------


def test_what_a_password_change_a_withdrawal_and_disabling_end(home: Enquiry) -> None:
    """A new password ends the user's sessions (tokens are separate credentials, made only by
    the administrator, and stay until revoked); a withdrawn role is gone at the next request;
    disabling ends sessions and stops tokens at once."""
    token = accounts.create_token(home, "vera").token
    signed = accounts.open_session(home, accounts.authenticate_password(home, "vera", PASSWORD))
    accounts.set_password(home, "vera", "a brand new password")
    with pytest.raises(Unauthorized):
        accounts.session_principal(home, signed.cookie)
    vera = home.acting_as(accounts.authenticate_token(home, token))
    assert [c.name for c in evidence.list_cases(vera)] == ["alpha"]
    accounts.revoke(home, "vera", "alpha")
    vera = home.acting_as(accounts.authenticate_token(home, token))
    assert evidence.list_cases(vera) == []
    with pytest.raises(NotFound):
        evidence.list_items(vera, case="alpha")
    again = accounts.open_session(
        home, accounts.authenticate_password(home, "vera", "a brand new password")
    )
    accounts.disable_user(home, "vera")
    with pytest.raises(Unauthorized):
        accounts.session_principal(home, again.cookie)
    with pytest.raises(Unauthorized):
        accounts.authenticate_token(home, token)


# --- the sign-in throttle -------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_attempts_in_flight_count_before_their_passwords_are_checked() -> None:
    """Guesses sent at once: each is counted as it starts, so the sixth is refused even though
    none of the five has been answered yet."""
    throttle = accounts.LoginThrottle(limit=5, window=300)
    for _ in range(5):
        throttle.attempt("name:vera", "addr:10.0.0.1")
    with pytest.raises(Unauthorized, match="too many"):
        throttle.attempt("name:vera", "addr:10.0.0.2")
    with pytest.raises(Unauthorized, match="too many"):
        throttle.attempt("name:ana", "addr:10.0.0.1")


def test_signing_in_to_ones_own_account_does_not_reset_an_address() -> None:
    """An insider who guesses at others' passwords and signs in as themselves in between must
    not get the address's count back: a success takes back its own attempt only."""
    throttle = accounts.LoginThrottle(limit=5, window=300)
    for victim in ("ana", "bob", "cyd", "dan"):
        throttle.attempt(f"name:{victim}", "addr:10.0.0.1")
    stamp = throttle.attempt("name:mallory", "addr:10.0.0.1")
    throttle.forgive(stamp, "addr:10.0.0.1")
    throttle.succeeded("name:mallory")
    throttle.attempt("name:eve", "addr:10.0.0.1")
    with pytest.raises(Unauthorized, match="too many"):
        throttle.attempt("name:fay", "addr:10.0.0.1")
    throttle.attempt("name:mallory", "addr:10.0.0.9")  # their own name was not held against them


def test_a_flood_of_made_up_names_does_not_stay_in_memory() -> None:
    clock = Clock()
    throttle = accounts.LoginThrottle(limit=5, window=300, clock=clock)
    for number in range(2000):
        throttle.attempt(f"name:nobody-{number}", f"addr:10.0.{number // 250}.{number % 250}")
    assert len(throttle._failures) == 4000
    clock.now += 301
    throttle.attempt("name:vera", "addr:10.9.9.9")
    assert len(throttle._failures) == 2
    clock.now += 301
    throttle.check("name:vera")
    assert throttle._failures == {}


def _guess_in_another_process(path: str) -> int:
    """Five guesses at one name from one server process; how many were let through."""
    throttle = accounts.LoginThrottle(
        limit=5, window=300, shared=accounts.SharedFailures(Path(path))
    )
    let = 0
    for _ in range(5):
        try:
            throttle.attempt("name:vera", "addr:10.0.0.1")
            let += 1
        except Unauthorized:
            pass
    return let


def test_server_processes_share_one_count(tmp_path: Path) -> None:
    """'enquiry serve --workers 4': before, each process counted its own failures, so a guesser
    had four times the tries. Four real processes guessing at once now get five in all."""
    import multiprocessing

    path = tmp_path / "home" / accounts.THROTTLE_FILE
    accounts.SharedFailures(path)  # made once, as the server does before its workers start
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        let = sum(pool.map(_guess_in_another_process, [str(path)] * 4))
    assert let == 5, f"{let} guesses were let through"
    assert path.stat().st_mode & 0o077 == 0  # names tried and addresses: the owner's only


def test_a_shared_count_keeps_the_rules_of_one_process(tmp_path: Path) -> None:
    """Two processes' throttles on one file: a success takes back its own attempt only, a
    name's owner clears their name, and failures older than the window are swept."""
    clock = Clock()
    path = tmp_path / accounts.THROTTLE_FILE
    one, two = (
        accounts.LoginThrottle(
            limit=5, window=300, clock=clock, shared=accounts.SharedFailures(path)
        )
        for _ in range(2)
    )
    for victim in ("ana", "bob"):
        one.attempt(f"name:{victim}", "addr:10.0.0.1")
    for victim in ("cyd", "dan"):
        two.attempt(f"name:{victim}", "addr:10.0.0.1")
    stamp = one.attempt("name:mallory", "addr:10.0.0.1")
    one.forgive(stamp, "addr:10.0.0.1")
    two.succeeded("name:mallory")
    two.attempt("name:eve", "addr:10.0.0.1")
    with pytest.raises(Unauthorized, match="too many"):
        one.attempt("name:fay", "addr:10.0.0.1")
    with pytest.raises(Unauthorized, match="too many"):
        two.check("addr:10.0.0.1")
    one.check("name:mallory")
    clock.now += 301
    two.attempt("name:fay", "addr:10.0.0.1")  # the window has passed
    assert accounts.SharedFailures(path).keys() == 2  # the old failures are swept


def test_revoking_or_disabling_again_keeps_the_first_record(home: Enquiry) -> None:
    """A second revocation (or disabling) must not rewrite when the first happened, nor log a
    second one: the record of when a credential stopped is evidence in itself."""

    def account_events() -> int:
        with home.store().engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count()).where(CustodyEvent.action == "account")
                ).scalar_one()
            )

    made = accounts.create_token(home, "vera")
    accounts.revoke_token(home, str(made.view.id))
    accounts.disable_user(home, "vera")
    with home.store().session() as session:
        first = (
            session.get(ApiToken, made.view.id).revoked_at,  # type: ignore[union-attr]
            session.scalars(select(User.disabled_at).where(User.name == "vera")).one(),
        )
    before = account_events()
    accounts.revoke_token(home, str(made.view.id))
    accounts.disable_user(home, "vera")
    with home.store().session() as session:
        again = (
            session.get(ApiToken, made.view.id).revoked_at,  # type: ignore[union-attr]
            session.scalars(select(User.disabled_at).where(User.name == "vera")).one(),
        )
    assert again == first and account_events() == before


PROBE = """
import sys

import argon2

made = []
plain = argon2.PasswordHasher.hash
argon2.PasswordHasher.hash = lambda self, *a, **k: made.append(1) or plain(self, *a, **k)

from click.testing import CliRunner

from enquiry.app import Enquiry, accounts
from enquiry.cli import main

Enquiry.at(sys.argv[1], "t").store(create=True)
listed = CliRunner().invoke(main, ["--home", sys.argv[1], "case", "list"])
assert listed.exit_code == 0, listed.output
print(len(made))
from enquiry.web import create_app

create_app(sys.argv[1])
print(len(made))
try:
    accounts.authenticate_password(Enquiry.at(sys.argv[1], "t"), "nobody", "a wrong password")
except accounts.Unauthorized:
    print(len(made))
"""


def test_a_command_hashes_no_password_it_does_not_check(tmp_path: Path) -> None:
    """A hash takes a tenth of a second or more: a command that checks no password makes none
    as it starts. A server makes the one an unknown name is checked against as it starts, so
    that its first sign-in with an unknown name takes as long as any other, and uses it."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "home")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "1", "1"]
