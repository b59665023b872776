"""One world for the API tests (helpers; the fixtures are in conftest.py), built once per module on the back end asked for: the built-in
Khan Shaykhun case, a protected testimony whose identifying values are known to the test (so
that a leak can be looked for in every response), another case with an item of its own, and one
user with a token for each role."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from enquiry.app import Enquiry, accounts, cases, evidence
from enquiry.web.app import create_app

CASE = "khan-shaykhun"
INCIDENT = "khan-shaykhun-2017-04-04"
OTHER = "othercase-lumen"
PASSWORD = "correct horse battery"

# What a protected witness's testimony says about who they are: never in a response to a user
# who did not ask (with the right) to see it.
SECRETS = ("Qorvash", "7731 5550", "Tel Qamar")
# What the other case holds: never in a response to a user without a role on it (beyond the
# case's name as they typed it into a request).
OTHER_SECRETS = ("Lumenwick", "lumenwick-exhibit")

# Roles on CASE; "revealer" is an analyst who may also see protected identities, "norole" holds
# nothing, "admin" is the home's administrator.
ROLES = ("owner", "investigator", "analyst", "reviewer", "viewer", "revealer", "norole", "admin")
PG_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


@dataclass
class World:
    home: Path
    client: TestClient
    tokens: dict[str, str]
    protected_item: int
    plain_item: int
    other_item: int
    claim: int
    admin: Enquiry
    extra: dict[str, int] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def get(self, role: str, path: str, **kwargs: object) -> httpx.Response:
        return self.client.get(f"/api/v1{path}", headers=self.headers(role), **kwargs)  # type: ignore[arg-type]

    def post(self, role: str, path: str, **kwargs: object) -> httpx.Response:
        return self.client.post(f"/api/v1{path}", headers=self.headers(role), **kwargs)  # type: ignore[arg-type]


def build_world(root: Path) -> World:
    """The world above, in ``root`` (ENQUIRY_DB chooses the back end)."""
    home = root / "home"
    admin = Enquiry.at(home, "admin")
    cases.load(admin, cases.demo_case_file())
    files = root / "files"
    files.mkdir()
    witness = files / "qorvash-interview.txt"
    witness.write_text("I am Zaynab Qorvash from Tel Qamar; call 7731 5550.\n", encoding="utf-8")
    evidence.add(
        admin,
        [witness],
        case=CASE,
        kind="testimony",
        fields={
            "title": "Interview of a witness to the morning strike",
            "witness_pseudonym": "W-KS-77",
            "witness_name": "Zaynab Qorvash",
            "witness_contact": "7731 5550",
            "interview_place": "Tel Qamar",
        },
        protected=True,
    )
    exhibit = files / "lumenwick-exhibit.txt"
    exhibit.write_text("Lumenwick ledger of the other case.\n", encoding="utf-8")
    evidence.add(admin, [exhibit], case=OTHER, fields={"title": "Lumenwick exhibit"})
    tokens: dict[str, str] = {}
    for role in ROLES:
        accounts.add_user(admin, role, PASSWORD, admin=role == "admin")
        if role in ("owner", "investigator", "analyst", "reviewer", "viewer"):
            accounts.grant(admin, role, CASE, role)
        elif role == "revealer":
            accounts.grant(admin, role, CASE, "analyst", see_protected=True)
        tokens[role] = accounts.create_token(admin, role, "tests").token
    rows = evidence.list_items(admin, limit=1000).items
    protected_item = next(
        r.id
        for r in rows
        if r.case == CASE
        and r.kind == "testimony"
        and r.protected
        and r.title.startswith("Interview")
    )
    plain_item = next(r.id for r in rows if r.case == CASE and not r.protected and r.sha256)
    other_item = next(r.id for r in rows if r.case == OTHER)
    from enquiry.app import claims

    claim = claims.list_claims(admin, CASE)[0].id
    client = TestClient(create_app(home), base_url="https://testserver")
    return World(home, client, tokens, protected_item, plain_item, other_item, claim, admin)


def create_pg_database() -> str:
    import psycopg

    name = f"enquiry_test_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(PG_DSN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        pytest.fail(f"PostgreSQL is not reachable on 127.0.0.1:5432 ({exc})")
    return name


def drop_pg_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def unique_bytes(label: str = "upload") -> bytes:
    """Content no earlier upload had (an identical file would be a duplicate)."""
    return f"{label} {uuid.uuid4().hex} {os.getpid()}\n".encode()


def run_asgi(call: Coroutine[object, object, None]) -> None:
    """Run an ASGI call on an event loop of its own thread: a browser test run earlier in the
    same process may leave a loop running in this one (Playwright's synchronous API), where
    ``asyncio.run`` refuses to start another."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, call).result()
