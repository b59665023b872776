"""A home and its catalogue database belong together: each records the other's identity.

Forgetting ENQUIRY_DB, pointing it at another home's database, or mistyping it must each be one
clear line — never a new empty catalogue beside the vault, never a traceback, never a password.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from enquiry.errors import CatalogueError
from enquiry.intake.pipeline import IntakeOptions, add_bytes
from enquiry.store import open_store
from enquiry.store.db import HOME_FILE, make_engine, read_binding
from enquiry.store.verify import verify

ENQUIRY = [sys.executable, "-m", "enquiry.cli"]


def _take_in(home: Path, content: bytes = b"a statement\n") -> None:
    store = open_store(home, "tester")
    report = add_bytes(store, content, "note.txt", IntakeOptions(case="c", progress=False), [])
    assert report.count("stored") == 1
    store.engine.dispose()


def _db_home_id(url: str) -> str:
    engine = make_engine(url)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT home_id FROM catalogue_home")).scalar_one()
    engine.dispose()
    return str(found)


def _url(home: Path) -> str:
    return os.environ.get("ENQUIRY_DB") or f"sqlite:///{home / 'enquiry.db'}"


def test_a_new_home_and_its_database_record_one_identity(backend: str, home: Path) -> None:
    _take_in(home)
    binding = read_binding(home)
    assert binding is not None and len(binding.home_id) == 32
    assert binding.kind == backend
    assert _db_home_id(_url(home)) == binding.home_id
    recorded = json.loads((home / HOME_FILE).read_text(encoding="utf-8"))
    assert recorded["catalogue"]["kind"] == backend
    # Opening again keeps the same identity and the same evidence.
    store = open_store(home, "tester", create=False)
    assert read_binding(home) == binding
    assert verify(store).intact
    store.engine.dispose()


@pytest.mark.postgres
def test_a_postgresql_home_without_enquiry_db_is_refused_not_replaced(
    home: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENQUIRY_DB", pg_url)
    _take_in(home)
    monkeypatch.delenv("ENQUIRY_DB")
    with pytest.raises(CatalogueError) as caught:
        open_store(home, "tester")
    message = str(caught.value)
    assert f"home {home} uses a PostgreSQL catalogue" in message
    assert pg_url.rsplit("/", 1)[1] in message and "set ENQUIRY_DB" in message
    assert not (home / "enquiry.db").exists()


@pytest.mark.postgres
def test_a_database_bound_to_another_home_is_refused_naming_both(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENQUIRY_DB", pg_url)
    first, second = tmp_path / "first", tmp_path / "second"
    _take_in(first)
    with pytest.raises(CatalogueError) as caught:
        open_store(second, "tester")
    message = str(caught.value)
    assert str(first) in message and str(second) in message
    assert "give each home its own database" in message
    # The refused home was not bound to anything, and the first home is untouched.
    assert read_binding(second) is None
    store = open_store(first, "tester")
    assert verify(store).intact
    store.engine.dispose()


@pytest.mark.postgres
def test_a_sqlite_home_pointed_at_an_empty_database_is_refused(
    home: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENQUIRY_DB", raising=False)
    _take_in(home)
    monkeypatch.setenv("ENQUIRY_DB", pg_url)
    with pytest.raises(CatalogueError, match=r"is empty, but home .* has its catalogue at"):
        open_store(home, "tester")
    engine = make_engine(pg_url)
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        ).scalar_one()
    engine.dispose()
    assert tables == 0, "no catalogue may be started in the wrong database"


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql+psycopg://postgres:s3cret-pw@127.0.0.1:5432/enquiry_no_such_db",
            'database "enquiry_no_such_db" does not exist',
        ),
        ("postgresql+psycopg://postgres:s3cret-pw@127.0.0.1:1/x", "cannot be opened"),
        ("not a database url s3cret-pw", "ENQUIRY_DB is not a database URL such as"),
        ("mysql+nodriver://root:s3cret-pw@localhost/x", "no driver for it is installed"),
        # A bracket that does not close: SQLAlchemy's parser stopped with a ValueError.
        ("postgresql+psycopg://u:s3cret-pw@[::1/x", "ENQUIRY_DB is not a database URL such as"),
        ("postgresql+psycopg://u:s3cret-pw@127.0.0.1:x1/x", "ENQUIRY_DB is not a database URL"),
    ],
)
def test_an_unusable_url_is_one_line_without_the_password(
    home: Path, monkeypatch: pytest.MonkeyPatch, url: str, expected: str
) -> None:
    monkeypatch.setenv("ENQUIRY_DB", url)
    with pytest.raises(CatalogueError) as caught:
        open_store(home, "tester")
    message = str(caught.value)
    assert expected in message
    assert "s3cret-pw" not in message and "\n" not in message
    assert caught.value.__cause__ is None


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///file::memory:?cache=shared",
        "sqlite:///catalogue.db?mode=memory&uri=true",
    ],
)
def test_an_in_memory_catalogue_is_refused_before_anything_is_written(
    home: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    """Its custody records would vanish with the command while the vault kept the blobs
    they named (SQLAlchemy also stopped with a TypeError on the pool's settings)."""
    monkeypatch.setenv("ENQUIRY_DB", url)
    before = sorted(p.name for p in home.iterdir()) if home.exists() else []
    with pytest.raises(CatalogueError) as caught:
        open_store(home, "tester")
    assert str(caught.value).startswith("ENQUIRY_DB names an in-memory SQLite database")
    assert (sorted(p.name for p in home.iterdir()) if home.exists() else []) == before


@pytest.mark.postgres
def test_the_command_line_shows_one_line_for_a_wrong_database(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (tmp_path / "note.txt").write_text("a statement\n", encoding="utf-8")
    env = {
        **os.environ,
        "ENQUIRY_DB": "postgresql+psycopg://postgres:s3cret-pw@127.0.0.1:5432/enquiry_missing",
    }
    started = time.monotonic()
    done = subprocess.run(
        [*ENQUIRY, "--home", str(home), "add", str(tmp_path / "note.txt"), "--case", "c"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "s3cret-pw" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and 'database "enquiry_missing" does not exist' in lines[0]
    assert time.monotonic() - started < 30


def _unbind(home: Path) -> None:
    """Make the home look as it did before homes and databases recorded each other."""
    engine = make_engine(_url(home))
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE catalogue_home"))
        for later in (  # tables of later revisions, too
            "search_index",
            "comments",
            "web_sessions",
            "api_tokens",
            "memberships",
            "users",
            "withheld_items",
            "bundle_imports",
            "signing_keys",
            "item_keys",
            "case_keys",
        ):
            connection.execute(text(f"DROP TABLE IF EXISTS {later}"))
        for index in (  # and the items' later indexes and derived date column
            "ix_items_case_id_id",
            "ix_items_case_id_kind_id",
            "ix_items_case_id_source_id_id",
            "ix_items_case_id_item_date_id",
        ):
            connection.execute(text(f"DROP INDEX IF EXISTS {index}"))
        connection.execute(text("ALTER TABLE items DROP COLUMN item_date"))
        connection.execute(text("ALTER TABLE ratings DROP COLUMN wording"))
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    (home / HOME_FILE).unlink()


def test_a_home_made_before_the_binding_is_bound_on_first_open(backend: str, home: Path) -> None:
    _take_in(home)
    _unbind(home)
    store = open_store(home, "tester")
    binding = read_binding(home)
    assert binding is not None and _db_home_id(_url(home)) == binding.home_id
    report = verify(store)
    assert report.intact, report.failures
    store.engine.dispose()


@pytest.mark.postgres
def test_an_unbound_postgresql_home_without_enquiry_db_is_refused(
    home: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENQUIRY_DB", pg_url)
    _take_in(home)
    _unbind(home)
    monkeypatch.delenv("ENQUIRY_DB")
    with pytest.raises(CatalogueError, match="holds evidence but its catalogue is not in it"):
        open_store(home, "tester")
    assert not (home / "enquiry.db").exists()


@pytest.mark.postgres
def test_a_new_home_on_an_unbound_catalogue_of_another_is_refused(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENQUIRY_DB", pg_url)
    first = tmp_path / "first"
    _take_in(first)
    _unbind(first)
    with pytest.raises(CatalogueError, match="already holds another home's catalogue"):
        open_store(tmp_path / "second", "tester")


def test_a_deleted_sqlite_catalogue_is_refused_not_recreated(home: Path) -> None:
    _take_in(home)
    (home / "enquiry.db").unlink()
    for extra in ("enquiry.db-wal", "enquiry.db-shm"):
        (home / extra).unlink(missing_ok=True)
    with pytest.raises(CatalogueError, match=r"its catalogue .*enquiry\.db is missing"):
        open_store(home, "tester")
    assert not (home / "enquiry.db").exists()


def test_a_damaged_home_file_is_one_line(home: Path) -> None:
    _take_in(home)
    (home / HOME_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"home\.json: unreadable"):
        open_store(home, "tester")


def test_a_crash_after_the_first_commit_is_a_note_not_a_failure(backend: str, home: Path) -> None:
    store = open_store(home, "tester")
    head = home / "ledger.head"
    assert head.read_text(encoding="ascii").split() == ["0", "0" * 64]
    genesis = head.read_bytes()
    add_bytes(store, b"a statement\n", "note.txt", IntakeOptions(case="c", progress=False), [])
    # As if killed between the commit and the head file's update.
    head.write_bytes(genesis)
    report = verify(store)
    assert report.intact, report.failures
    assert any("the newest commit did not update it" in note for note in report.notes)
    store.engine.dispose()


def test_a_home_whose_path_is_not_utf8_is_named_not_enquiry_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLAlchemy's URL cannot carry such a path: the line blamed ENQUIRY_DB, which was not
    even set (and before that, the ValueError was a traceback)."""
    monkeypatch.delenv("ENQUIRY_DB", raising=False)
    home = tmp_path / os.fsdecode(b"case-\xff")
    with pytest.raises(CatalogueError) as caught:
        open_store(home, "tester")
    message = str(caught.value)
    assert message.startswith("home b'") and "\\xff" in message and "ENQUIRY_DB" not in message
    assert "its path holds bytes that are not UTF-8" in message
