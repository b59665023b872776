"""Opening the catalogue database: SQLite inside the home by default, PostgreSQL by URL.

The schema is owned by the Alembic migrations shipped in the package; opening a database brings
it to the newest revision, so a user never runs a migration step by hand.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event

MIGRATIONS = Path(__file__).parent / "migrations"


def database_url(home: Path) -> str:
    """``ENQUIRY_DB`` if set, else the SQLite file ``enquiry.db`` inside the home."""
    return os.environ.get("ENQUIRY_DB") or f"sqlite:///{home / 'enquiry.db'}"


def _sqlite_begin(connection: Connection) -> None:
    # A writing transaction takes SQLite's write lock at once (BEGIN IMMEDIATE), so two writers
    # queue on the busy timeout instead of one failing when its read snapshot turns stale.
    immediate = connection.info.pop("immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (log, show) run while an intake writes; NORMAL sync in WAL mode never
    # corrupts the database on a crash, it can only lose the last commits, which a re-run redoes.
    dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings enquiry relies on."""
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, lock_path: Path | None = None) -> None:
    """Bring the schema to the newest revision (a no-op when it is there already).

    Two processes opening a new home at once must not both create the tables: SQLite homes are
    serialised by a lock file beside the database, PostgreSQL by an advisory lock.
    """
    config = _alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        if _current(connection) == head:
            return
    with contextlib.ExitStack() as stack:
        if lock_path is not None:
            handle = stack.enter_context(lock_path.open("a"))
            fcntl.flock(handle, fcntl.LOCK_EX)
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(5117)")
            if _current(connection) == head:
                return
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
