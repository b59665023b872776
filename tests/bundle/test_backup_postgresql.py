"""Backups of a home whose catalogue is PostgreSQL: the same verifiable format as a SQLite
home's, restored onto either back end — PostgreSQL → SQLite → PostgreSQL proves the format
carries the catalogue whole, with every ledger link, row digest and blob checked by verify."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from bundle_helpers import (
    CASE_NAME,
    PASSPHRASE,
    SLUG,
    Made,
    enquiry,
    environment,
    tool,
    write_case,
)
from sqlalchemy import func, select, text

from enquiry.app import Enquiry, bundles, cases, keys
from enquiry.app.evidence import list_cases, verify_home
from enquiry.errors import CatalogueError, Refused
from enquiry.publish.bundle import catalogue_tables
from enquiry.store.tables import CustodyEvent, Item, LedgerHead

pytestmark = pytest.mark.postgres

ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


@pytest.fixture
def second_pg_url() -> Iterator[str]:
    """Another new, empty database (a restore needs one of its own)."""
    name = f"enquiry_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rows(app: Enquiry) -> dict[str, list[tuple[object, ...]]]:
    """Every catalogue row but the home's own binding row, table by table, in key order."""
    engine = app.store(create=False).engine
    out: dict[str, list[tuple[object, ...]]] = {}
    with engine.connect() as connection:
        for table in catalogue_tables():
            if table.name == "catalogue_home":
                continue
            query = select(table).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(row) for row in connection.execute(query)]
    return out


def _actions(app: Enquiry) -> list[str]:
    with app.store(create=False).session() as session:
        return list(session.scalars(select(CustodyEvent.action).order_by(CustodyEvent.seq)))


def _head(app: Enquiry) -> tuple[int, str]:
    with app.store(create=False).session() as session:
        row = session.execute(select(LedgerHead.seq, LedgerHead.hash)).one()
    return int(row.seq), str(row.hash)


def test_a_postgresql_home_restores_onto_sqlite_and_back(
    pg_url: str, second_pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENQUIRY_DB", pg_url)
    origin = Enquiry.at(tmp_path / "origin", "panel-secretary")
    cases.load(origin, write_case(tmp_path / "case"))
    keys.create(origin, "panel", PASSPHRASE)
    keys.export_public(origin, "panel", tmp_path / "panel.pub.json")
    assert origin.store().engine.dialect.name == "postgresql"
    before = _rows(origin)
    assert before["items"] and before["custody_events"]

    head = _head(origin)
    backed = bundles.backup(origin, tmp_path / "pg.zip", sign="panel", passphrase=PASSPHRASE)
    assert tool(backed.path, "--key", tmp_path / "panel.pub.json").returncode == 0
    names = {str(member["path"]) for member in json.loads(_manifest(backed.path))["members"]}
    assert "home/enquiry.db" in names and "home/home.json" in names

    # PostgreSQL → SQLite: the catalogue arrives whole, bound to the new home.
    monkeypatch.delenv("ENQUIRY_DB")
    on_sqlite = Enquiry.at(tmp_path / "on-sqlite", "successor")
    restored = bundles.restore(on_sqlite, backed.path, key=tmp_path / "panel.pub.json")
    assert on_sqlite.store().engine.dialect.name == "sqlite"
    assert restored.catalogue == str(tmp_path / "on-sqlite" / "enquiry.db")
    assert verify_home(on_sqlite).intact
    binding = json.loads((tmp_path / "on-sqlite" / "home.json").read_text(encoding="utf-8"))
    assert binding["catalogue"] == {"kind": "sqlite", "url": "enquiry.db"}
    assert restored.head == head
    restored_rows = _rows(on_sqlite)
    events = restored_rows.pop("custody_events")
    expected = {name: rows for name, rows in before.items() if name != "custody_events"}
    assert events[: len(before["custody_events"])] == before["custody_events"]
    assert _actions(on_sqlite)[len(before["custody_events"]) :] == ["transferred"]
    restored_rows.pop("ledger_head")
    expected.pop("ledger_head")
    assert restored_rows == expected
    assert [c.name for c in list_cases(on_sqlite)] == [CASE_NAME]
    assert keys.unlock(on_sqlite, "panel", PASSPHRASE)[0].name == "panel"

    # SQLite → PostgreSQL: sequences continue after the copied ids.
    again = bundles.backup(on_sqlite, tmp_path / "sqlite.zip")
    monkeypatch.setenv("ENQUIRY_DB", second_pg_url)
    on_pg = Enquiry.at(tmp_path / "on-pg", "third")
    bundles.restore(on_pg, again.path, accept_signer="unsigned")
    assert not (tmp_path / "on-pg" / "enquiry.db").exists()
    binding = json.loads((tmp_path / "on-pg" / "home.json").read_text(encoding="utf-8"))
    assert binding["catalogue"]["kind"] == "postgresql"
    assert verify_home(on_pg).intact
    assert _rows(on_pg)["items"] == before["items"]
    store = on_pg.store()
    with store.session() as session:
        largest = session.scalar(select(func.max(CustodyEvent.seq)))
        items = session.scalar(select(func.max(Item.id)))
    second = write_case(tmp_path / "second-case")
    body = second.read_text(encoding="utf-8")
    body = body.replace(f"name: {CASE_NAME},", "name: second,").replace(SLUG, "second-strike")
    second.write_text(body, encoding="utf-8")
    cases.load(on_pg, second)
    with store.session() as session:
        new_items = session.scalars(select(Item.id).where(Item.id > (items or 0))).all()
        assert new_items and min(new_items) == (items or 0) + 1
        assert (session.scalar(select(func.max(CustodyEvent.seq))) or 0) > (largest or 0)
    assert verify_home(on_pg).intact

    # A table the catalogue's schema does not name refuses the backup; nothing is left out.
    with origin.store().engine.begin() as connection:
        connection.execute(text("CREATE TABLE stray (id integer PRIMARY KEY)"))
    with pytest.raises(Refused, match=r"does not know \(stray\)"):
        bundles.backup(origin, tmp_path / "stray.zip")
    assert not (tmp_path / "stray.zip").exists()


def _manifest(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("manifest.json").decode("utf-8")


def test_a_sqlite_home_restores_into_postgresql_by_the_command_line(
    made: Made, pg_url: str, tmp_path: Path
) -> None:
    """The real commands in child processes: a SQLite backup restored into an empty PostgreSQL
    database holds the same rows, verifies, and refuses a second restore into that database."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        head = _head(Enquiry.at(made.home, "reader"))
    backed = enquiry("--home", made.home, "backup", "-o", tmp_path / "home.zip", "--sign", "panel")
    assert backed.returncode == 0, backed.stderr
    on_pg = environment(ENQUIRY_DB=pg_url)
    restored = enquiry(
        "--home", tmp_path / "on-pg", "restore", tmp_path / "home.zip", "--key", made.key, env=on_pg
    )
    assert restored.returncode == 0, restored.stderr
    assert f"; catalogue {pg_url}; verified" in restored.stdout
    assert not (tmp_path / "on-pg" / "enquiry.db").exists()
    verified = enquiry("--home", tmp_path / "on-pg", "verify", env=on_pg)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ENQUIRY_DB", pg_url)
        restored_app = Enquiry.at(tmp_path / "on-pg", "reader")
        rows = _rows(restored_app)
        actions = _actions(restored_app)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        original = _rows(Enquiry.at(made.home, "reader"))
    assert rows["items"] and rows["custody_events"]
    assert rows.pop("custody_events")[: head[0]] == original.pop("custody_events")[: head[0]]
    rows.pop("ledger_head")
    original.pop("ledger_head")
    assert rows == original
    # The backup's own event came after its snapshot: what follows the head is the restore,
    # then the head the command line's full verify proved.
    assert actions[head[0] :] == ["transferred", "verified"]

    again = enquiry(
        "--home", tmp_path / "again", "restore", tmp_path / "home.zip", "--key", made.key, env=on_pg
    )
    assert again.returncode != 0
    assert again.stderr.strip().endswith("is not empty; restore into a new, empty database")
    assert "\n" not in again.stderr.strip()
    assert not (tmp_path / "again").exists() or not any((tmp_path / "again").iterdir())


def test_restore_refuses_a_catalogue_it_cannot_fill(
    made: Made, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENQUIRY_DB", raising=False)
    backed = bundles.backup(Enquiry.at(made.home, "panel-secretary"), tmp_path / "home.zip")
    monkeypatch.setenv("ENQUIRY_DB", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    with pytest.raises(Refused, match="unset ENQUIRY_DB or give a postgresql"):
        bundles.restore(Enquiry.at(tmp_path / "a", "x"), backed.path)
    monkeypatch.setenv("ENQUIRY_DB", "postgresql+psycopg://postgres@127.0.0.1:1/none")
    with pytest.raises(CatalogueError, match="cannot be opened"):
        bundles.restore(Enquiry.at(tmp_path / "b", "x"), backed.path)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_a_restore_postgresql_cannot_take_leaves_the_database_empty(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite does not hold a column to its declared length, PostgreSQL does: a value too long
    for it fails the copy half-way, and the one transaction takes the schema back with it."""
    monkeypatch.delenv("ENQUIRY_DB", raising=False)
    origin = Enquiry.at(tmp_path / "origin", "panel-secretary")
    origin.store(create=True)
    with sqlite3.connect(tmp_path / "origin" / "enquiry.db") as connection:
        connection.execute("UPDATE catalogue_home SET bound_at = ?", ("x" * 60,))
    backed = bundles.backup(origin, tmp_path / "home.zip")

    monkeypatch.setenv("ENQUIRY_DB", pg_url)
    with pytest.raises(CatalogueError, match=r"cannot be restored into it .*it was left empty"):
        bundles.restore(
            Enquiry.at(tmp_path / "restored", "x"), backed.path, accept_signer="unsigned"
        )
    with psycopg.connect(pg_url.replace("postgresql+psycopg", "postgresql")) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)
    assert not (tmp_path / "restored").exists() or not any((tmp_path / "restored").iterdir())
