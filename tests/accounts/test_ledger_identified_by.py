"""Every ledger event says how its actor was established, beside the name.

The ledger names an actor by name; that name is worth only as much as the way it was
established. An act under ``alice`` may come from her API token (and the administrator can make
one for her), from a browser session she opened with her password, or — for a name that is no
account's — from the command line's word. Each event carries that in ``identified_by``,
covered by its hash: ``API token enq_…`` (``, command line`` when given in ``ENQUIRY_TOKEN``),
``web session <fingerprint>`` (named by the ``signed in`` event that opened it), ``password``
(the sign-in itself), ``command line, --as``, ``command line, OS user``, ``home's files``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from enquiry.app import Enquiry, accounts, evidence
from enquiry.app.evidence import verify_home
from enquiry.cli import main
from enquiry.store.tables import CustodyEvent
from enquiry.web.app import create_app
from web_helpers import sign_in, signed_in

PASSWORD = "correct horse battery"
TOKEN_ENV = "ENQUIRY_TOKEN"


@pytest.fixture
def team(tmp_path: Path, backend: str) -> Enquiry:
    """A case ``alpha`` with one note, and the account alice, a reviewer on it (may comment)."""
    admin = Enquiry.at(tmp_path / "home", "chief")
    note = tmp_path / "note.txt"
    note.write_text("The hospital received 60 patients.\n", encoding="utf-8")
    evidence.add(admin, [note], case="alpha")
    accounts.add_user(admin, "alice", PASSWORD)
    accounts.grant(admin, "alice", "alpha", "reviewer")
    return admin


def _events(app: Enquiry, since: int = 0) -> list[dict[str, Any]]:
    """Every event after ``since``: seq, actor, action and details as a mapping."""
    with app.store().session() as session:
        rows = session.execute(
            select(CustodyEvent).where(CustodyEvent.seq > since).order_by(CustodyEvent.seq)
        ).scalars()
        return [
            {"seq": e.seq, "actor": e.actor, "action": e.action, **json.loads(e.details)}
            for e in rows
        ]


def _head(app: Enquiry) -> int:
    return max(e["seq"] for e in _events(app))


def _cli(home: Path, *args: str, env: dict[str, str | None] | None = None) -> Result:
    chosen: dict[str, str | None] = {TOKEN_ENV: None}
    chosen.update(env or {})
    return CliRunner().invoke(main, ["--home", str(home), *args], env=chosen)


def _commented(app: Enquiry, since: int) -> dict[str, Any]:
    """The one ``commented`` event after ``since`` (a comment's text is not in its event)."""
    found = [e for e in _events(app, since) if e["action"] == "commented"]
    assert len(found) == 1, found
    return found[0]


def _comment(home: Path, text: str, *first: str, env: dict[str, str | None] | None = None) -> Any:
    """The ``commented`` event of ``enquiry [FIRST…] comment alpha case TEXT``."""
    reader = Enquiry.at(home, "reader")
    since = _head(reader)
    result = _cli(home, *first, "comment", "alpha", "case", text, env=env)
    assert result.exit_code == 0, result.output
    return _commented(reader, since)


def test_the_command_line_records_whose_word_names_the_actor(team: Enquiry) -> None:
    """A name given with ``--as`` and the operating-system user's name are the command line's
    word, and the events say which; code holding the home's files says that."""
    by_as = _comment(team.home, "counted twice", "--as", "clerk-1")
    assert (by_as["actor"], by_as["identified_by"]) == ("clerk-1", "command line, --as")

    by_os = _comment(team.home, "counted thrice", env={"LOGNAME": "clerk-2", "USER": "clerk-2"})
    assert (by_os["actor"], by_os["identified_by"]) == ("clerk-2", "command line, OS user")

    added = next(e for e in _events(team) if e["action"] == "account")
    assert (added["actor"], added["identified_by"]) == ("chief", "home's files")

    # shown beside the name, where a listing cut at the details would lose it
    log = _cli(team.home, "--as", "clerk-1", "log")
    assert log.exit_code == 0, log.output
    line = next(x for x in log.output.splitlines() if x.startswith(f"#{by_as['seq']} "))
    assert "by clerk-1 (command line, --as) " in line
    assert "identified_by" not in line
    plain = _cli(team.home, "--as", "clerk-1", "item", "show", "1")
    assert plain.exit_code == 0, plain.output
    assert " received   by chief (home's files)" in plain.output
    shown = _cli(team.home, "--as", "clerk-1", "item", "show", "1", "--json")
    assert shown.exit_code == 0, shown.output
    received = json.loads(shown.output)["custody"][0]
    assert (received["actor"], received["identified_by"]) == ("chief", "home's files")


def test_an_accounts_token_is_named_at_the_command_line_and_in_the_api(team: Enquiry) -> None:
    """The same token's public prefix, whether it was given in ``ENQUIRY_TOKEN`` or as the
    API's bearer token — the prefix its ``token created`` event names with whoever made it."""
    made = accounts.create_token(team, "alice", "laptop")
    prefix = made.view.prefix
    created = [e for e in _events(team) if e.get("change") == "token created"]
    assert [(e["actor"], e["token"]) for e in created] == [("chief", prefix)]

    cli = _comment(team.home, "seen at the command line", env={TOKEN_ENV: made.token})
    assert (cli["actor"], cli["identified_by"]) == ("alice", f"API token {prefix}, command line")

    client = TestClient(create_app(team.home), base_url="https://testserver")
    since = _head(team)
    answer = client.post(
        "/api/v1/cases/alpha/comments",
        json={"body": "seen over the API"},
        headers={"Authorization": f"Bearer {made.token}"},
    )
    assert answer.status_code == 201, answer.text
    api = _commented(team, since)
    assert (api["actor"], api["identified_by"]) == ("alice", f"API token {prefix}")


def test_a_browser_sessions_acts_lead_back_to_its_sign_in(team: Enquiry) -> None:
    """Signing in is an event under the user's name (established by password) naming the
    session's fingerprint; every act in the session names that fingerprint; signing out is an
    event too. The fingerprint tells nothing of the cookie."""
    app = create_app(team.home)
    before = _head(team)
    browser = signed_in(app, "alice", PASSWORD)
    cookie = next(iter(browser.cookies.values()))
    opened = [e for e in _events(team, before) if e["action"] == "account"]
    assert len(opened) == 1
    sign_in = opened[0]
    assert (sign_in["actor"], sign_in["change"], sign_in["identified_by"]) == (
        "alice",
        "signed in",
        "password",
    )
    session = sign_in["session"]
    assert re.fullmatch(r"[0-9a-f]{12}", session)
    assert session not in cookie

    page = browser.get("/")
    since = _head(team)
    csrf = re.search(r'action="/logout".*?name="csrf" value="([^"]*)"', page.text, re.S)
    assert csrf is not None
    answer = browser.post(
        "/api/v1/cases/alpha/comments",
        json={"body": "seen in the browser"},
        headers={"X-CSRF-Token": csrf.group(1)},
    )
    assert answer.status_code == 201, answer.text
    act = _commented(team, since)
    assert (act["actor"], act["identified_by"]) == ("alice", f"web session {session}")
    # the case's activity and an item's custody show it beside the name
    assert (
        f'alice <span class="muted">(web session {session})</span>'
        in browser.get("/cases/alpha").text
    )
    assert 'by chief <span class="muted">(home&#39;s files)</span>' in browser.get("/items/1").text

    out = browser.post("/logout", data={"csrf": csrf.group(1)}, follow_redirects=False)
    assert out.status_code == 303
    closed = [e for e in _events(team, act["seq"]) if e.get("change") == "signed out"]
    assert [(e["actor"], e["session"], e["identified_by"]) for e in closed] == [
        ("alice", session, f"web session {session}")
    ]
    assert browser.get("/api/v1/cases").status_code == 401


def test_a_failed_sign_in_opens_no_session_and_records_nothing(team: Enquiry) -> None:
    app = create_app(team.home)
    before = _head(team)
    answer = sign_in(TestClient(app, base_url="https://testserver"), "alice", "wrong " + PASSWORD)
    assert answer.status_code == 401
    assert _events(team, before) == []


def test_how_an_actor_was_established_cannot_be_changed_unseen(team: Enquiry) -> None:
    """``identified_by`` is part of the event's details, which its hash covers: rewriting a
    command-line act as a token's is named by ``verify``."""
    act = _comment(team.home, "counted twice", "--as", "clerk-1")
    assert not verify_home(team).failures
    forged = {k: v for k, v in act.items() if k not in ("seq", "actor", "action")}
    forged["identified_by"] = "API token enq_AbCdEf"
    with team.store().engine.begin() as connection:
        connection.execute(
            update(CustodyEvent)
            .where(CustodyEvent.seq == act["seq"])
            .values(details=json.dumps(forged, sort_keys=True, separators=(",", ":")))
        )
    failures = verify_home(team).failures
    assert any(f"event {act['seq']} (commented" in f and "edited" in f for f in failures), failures


def test_a_protected_items_events_withhold_its_name_not_how_the_actor_was_established(
    team: Enquiry, tmp_path: Path
) -> None:
    """The log withholds what a protected item's events say of its names and paths (they may
    name the witness); who acted, and how that was established, is no secret of the witness."""
    statement = tmp_path / "Witness-Jane-Roe.txt"
    statement.write_text("I saw the aircraft at dawn.\n", encoding="utf-8")
    result = _cli(
        team.home, "--as", "clerk-1", "add", str(statement), "--case", "alpha", "--protected"
    )
    assert result.exit_code == 0, result.output
    log = _cli(team.home, "--as", "clerk-1", "log")
    assert log.exit_code == 0, log.output
    received = [x for x in log.output.splitlines() if " received " in x and "by clerk-1" in x]
    assert received, log.output
    assert all("by clerk-1 (command line, --as)" in line for line in received), received
    assert "Jane-Roe" not in log.output


def test_a_token_is_listed_with_who_made_it(team: Enquiry) -> None:
    """The administrator may make a token for any account and so act in its name: the
    listing says who made each token, from its ledger event, so that such a token does not
    pass for the account's own."""
    by_admin = accounts.create_token(team, "alice", "made for her")
    alice = team.acting_as(accounts.authenticate_password(team, "alice", PASSWORD))
    by_herself = accounts.create_token(alice, "alice", "her laptop")
    listed = {t.id: t for t in accounts.list_tokens(team)}
    assert listed[by_admin.view.id].made_by == "chief"
    assert listed[by_herself.view.id].made_by == "alice"
    assert [t.made_by for t in accounts.list_tokens(alice)] == ["chief", "alice"]

    shown = _cli(team.home, "--as", "clerk-1", "tokens", "list").output.splitlines()
    assert any(
        f"{by_admin.view.prefix}… alice active" in x and " made by chief " in x for x in shown
    )
    assert any(
        f"{by_herself.view.prefix}… alice active" in x and " made by alice " in x for x in shown
    ), shown
    as_json = json.loads(_cli(team.home, "--as", "clerk-1", "tokens", "list", "--json").output)
    assert {t["prefix"]: t["made_by"] for t in as_json} == {
        by_admin.view.prefix: "chief",
        by_herself.view.prefix: "alice",
    }


def test_a_tokens_maker_is_found_by_prefix_for_events_that_carry_no_number(
    team: Enquiry,
) -> None:
    """Tokens made before the ``token created`` event carried the token's number are found
    by account and prefix."""
    made = accounts.create_token(team, "alice", "old")
    with team.store().engine.begin() as connection:
        for seq, text in connection.execute(
            select(CustodyEvent.seq, CustodyEvent.details).where(
                CustodyEvent.details.contains('"change":"token created"')
            )
        ):
            details = {k: v for k, v in json.loads(text).items() if k != "id"}
            connection.execute(
                update(CustodyEvent)
                .where(CustodyEvent.seq == seq)
                .values(details=json.dumps(details, sort_keys=True, separators=(",", ":")))
            )
    assert [t.made_by for t in accounts.list_tokens(team)] == ["chief"]
    assert made.view.prefix == accounts.list_tokens(team)[0].prefix


def test_the_log_lists_every_act_under_one_token_or_one_name(team: Enquiry) -> None:
    """After a token leaks, every act made with it is found by its prefix — and only those:
    another token of the same account, or one whose prefix differs only in case, is not."""
    first = accounts.create_token(team, "alice", "laptop")
    second = accounts.create_token(team, "alice", "phone")
    for made, text in ((first, "one"), (second, "two"), (first, "three")):
        done = _cli(team.home, "comment", "alpha", "case", text, env={TOKEN_ENV: made.token})
        assert done.exit_code == 0, done.output
    _comment(team.home, "by the clerk", "--as", "clerk-1")

    def listed(*args: str) -> list[dict[str, Any]]:
        result = _cli(team.home, "--as", "clerk-1", "log", "--json", *args)
        assert result.exit_code == 0, result.output
        return list(json.loads(result.output))

    leaked = listed("--identified-by", f"API token {first.view.prefix}")
    assert [e["action"] for e in leaked] == ["commented", "recorded"] * 2
    assert {e["details"]["identified_by"] for e in leaked} == {
        f"API token {first.view.prefix}, command line"
    }
    swapped = first.view.prefix[:4] + first.view.prefix[4:].swapcase()
    if swapped != first.view.prefix:
        assert listed("--identified-by", f"API token {swapped}") == []
    by_tokens = listed("--identified-by", "API token ")
    assert len(by_tokens) == 6
    by_clerk = listed("--actor", "clerk-1")
    assert {e["details"]["identified_by"] for e in by_clerk} == {"command line, --as"}
    assert "commented" in {e["action"] for e in by_clerk}
    assert listed("--actor", "clerk-1", "--identified-by", "API token") == []

    # the API's case log takes the same filters
    client = TestClient(create_app(team.home), base_url="https://testserver")
    answer = client.get(
        "/api/v1/cases/alpha/custody",
        params={"identified_by": f"API token {first.view.prefix}"},
        headers={"Authorization": f"Bearer {first.token}"},
    )
    assert answer.status_code == 200, answer.text
    assert [e["details"]["identified_by"] for e in answer.json()] == [
        f"API token {first.view.prefix}, command line"
    ] * 2
    # a case alice holds no role on is not found, filters or not
    other = team.home.parent / "other.txt"
    other.write_text("Another case entirely.\n", encoding="utf-8")
    evidence.add(team, [other], case="beta")
    for params in ({"actor": "chief"}, {"identified_by": "home's files"}):
        refused = client.get(
            "/api/v1/cases/beta/custody",
            params=params,
            headers={"Authorization": f"Bearer {first.token}"},
        )
        assert refused.status_code == 404, refused.text
    result = _cli(team.home, "log", "--json", "--actor", "chief", env={TOKEN_ENV: first.token})
    assert result.exit_code == 0, result.output
    seen = json.loads(result.output)
    assert seen and {e["case"] for e in seen} == {1}, seen  # alpha's, never beta's
