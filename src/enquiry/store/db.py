"""Opening the catalogue database: SQLite inside the home by default, PostgreSQL by URL.

The schema is owned by the Alembic migrations shipped in the package; opening a database brings
it to the newest revision, so a user never runs a migration step by hand.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError

from enquiry.errors import CatalogueError
from enquiry.model.types import is_utf8
from enquiry.store.tables import Base

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).parent / "migrations"


def database_url(home: Path) -> str:
    """``ENQUIRY_DB`` if set, else the SQLite file ``enquiry.db`` inside the home."""
    return os.environ.get("ENQUIRY_DB") or f"sqlite:///{home / 'enquiry.db'}"


def _sqlite_begin(connection: Connection) -> None:
    # A writing transaction takes SQLite's write lock at once (BEGIN IMMEDIATE), so two writers
    # queue on the busy timeout instead of one failing when its read snapshot turns stale.
    immediate = connection.info.pop("immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
    connection.info["write_locked"] = immediate


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` into ``table``; their new ids, in the rows' order.

    SQLite cannot say which new id belongs to which row of a many-row INSERT, so asked for
    them in order SQLAlchemy runs one INSERT per row: thousands for a batch of claims, the
    coordinator's largest cost. In a writing transaction (``BEGIN IMMEDIATE``: no one else
    can write until it ends) the ids are given here as SQLite gives them — one above the
    largest — and the rows go in as one ``executemany``. Elsewhere (PostgreSQL, whose
    RETURNING keeps the order in one statement; a SQLite transaction without the write lock)
    the database gives them.
    """
    if not rows:
        return []
    if connection.dialect.name == "sqlite" and connection.info.get("write_locked"):
        top = int(connection.execute(select(func.max(table.c.id))).scalar() or 0)
        ids = list(range(top + 1, top + 1 + len(rows)))
        connection.execute(
            insert(table), [{**row, "id": new} for row, new in zip(rows, ids, strict=True)]
        )
        return ids
    returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [int(new) for new in connection.execute(returning, rows).scalars()]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (log, show) run while an intake writes. FULL flushes the log at every
    # commit: NORMAL never corrupts the database on a power cut, but it can lose the last
    # commits, and a lost commit is a custody event the user was told is recorded, or a seal
    # whose destroyed key comes back. An intake commits once a batch, so the cost is small.
    dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    # Deleted content (a sealed item's key) is overwritten with zeros, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


BUSY_MS = 60000
"""How long a SQLite statement waits for another connection's lock before giving up."""

SCRUB_PENDING = ".wal-scrub-pending"
"""A file in a SQLite home saying that the write-ahead log may still hold what a seal or an
encryption removed from the database, because a reader kept it from being emptied then."""


def empty_wal(connection: Connection, wait_ms: int) -> bool:
    """Copy SQLite's write-ahead log into the database and empty it, waiting at most
    ``wait_ms`` for readers; whether it was emptied. A reader holding an older snapshot keeps
    the pages it may still read in the log, and no checkpoint may remove them until it ends."""
    raw = connection.connection.driver_connection
    assert raw is not None
    cursor = raw.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={int(wait_ms)}")
        row = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        cursor.close()
    return row is not None and int(row[0]) == 0


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the settings enquiry relies on."""
    if url.startswith("sqlite"):
        # A server answers many requests at once from its thread pool; SQLite's readers do not
        # block one another (WAL), so each may hold a connection rather than queue for one.
        engine = create_engine(url, pool_size=20, max_overflow=40)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if url.startswith("postgresql"):
        # An unreachable server is one clear line after a few seconds, not a hang.
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=20,
            connect_args={"connect_timeout": 10},
        )
    return create_engine(url, pool_pre_ping=True)


HEAD_REVISION = "0010"
"""The newest migration's revision. A catalogue already at it is opened without loading the
migration machinery (alembic), which would cost every command a tenth of a second to start;
``tests/foundation/test_schema_head.py`` holds this to the migrations' own head."""


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _current(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _recorded_revision(connection: Connection) -> str | None:
    """The schema revision the catalogue records (None: no schema yet), read without alembic."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    found = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    return str(found[0][0]) if len(found) == 1 else None


def _refuse_unknown_revision(scripts: ScriptDirectory, current: str | None, engine: Engine) -> None:
    """Refuse a catalogue whose schema revision no migration here knows: a newer enquiry made
    or upgraded it. Nothing is migrated or written: the newer version can still open it."""
    from alembic.util import CommandError as AlembicError

    if current is None:
        return
    try:
        known = scripts.get_revision(current) is not None
    except AlembicError:
        known = False
    if not known:
        url = engine.url.render_as_string(hide_password=True)
        raise CatalogueError(
            f"catalogue database {url} has schema revision '{current}', which this enquiry"
            " does not know (a newer version made or upgraded it); open it with that version"
        )


def upgrade(engine: Engine, lock_path: Path | None = None) -> None:
    """Bring the schema to the newest revision (a no-op when it is there already).

    Two processes opening a new home at once must not both create the tables: SQLite homes are
    serialised by a lock file beside the database, PostgreSQL by an advisory lock.
    """
    with engine.connect() as connection:
        if _recorded_revision(connection) == HEAD_REVISION:
            return
    from alembic import command
    from alembic.script import ScriptDirectory

    config = _alembic_config()
    scripts = ScriptDirectory.from_config(config)
    head = scripts.get_current_head()
    with engine.connect() as connection:
        current = _current(connection)
        if current == head:
            return
    _refuse_unknown_revision(scripts, current, engine)
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
            # A catalogue made before the search index existed has it filled now, by the
            # code that keeps it (the index is derived data, not part of any migration).
            from enquiry.store.index import needs_rebuild, rebuild

            if needs_rebuild(connection):
                rebuild(connection)


# --- Home ↔ catalogue binding -------------------------------------------------------------------
#
# A home (vault + ledger.head) and its catalogue database are one body of evidence: pairing a
# home with a stranger's database, or with a new empty one, would make every check against the
# other half report false failures — or, worse, silently start a second catalogue. So each home
# has an identity, written in ``home.json`` together with where its catalogue lives, and the
# database records the same identity in its ``catalogue_home`` row. Opening checks both halves.

HOME_FILE = "home.json"
SQLITE_FILE = "enquiry.db"

catalogue_home = Table(
    "catalogue_home",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("home_id", String(64), nullable=False),
    Column("home_path", Text, nullable=False),
    Column("bound_at", String(40), nullable=False),
)


@dataclass(frozen=True)
class HomeBinding:
    """What ``home.json`` records: the home's identity and where its catalogue lives.

    ``url`` never holds a password; for the default SQLite catalogue it is the file's name
    inside the home, so a home folder can be moved or copied whole.
    """

    home_id: str
    kind: str
    url: str


@dataclass(frozen=True)
class _CatalogueState:
    has_schema: bool
    has_events: bool
    home_id: str | None
    home_path: str | None


def public_url(url: str) -> str:
    """``url`` fit to print or record: any password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        return "(not a database URL)"


def _backend(url: str) -> str:
    return make_url(url).get_backend_name()


def read_binding(home: Path) -> HomeBinding | None:
    """The binding recorded in ``home.json``, or None for a home that has none yet."""
    path = home / HOME_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        catalogue = data["catalogue"]
        return HomeBinding(str(data["home_id"]), str(catalogue["kind"]), str(catalogue["url"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogueError(
            f"{path}: unreadable ({type(exc).__name__}); it records which catalogue database"
            " belongs to this home — restore it from a backup of the home"
        ) from None


def _write_binding(home: Path, binding: HomeBinding) -> None:
    body = {
        "home_id": binding.home_id,
        "catalogue": {"kind": binding.kind, "url": binding.url},
        "written_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    temp = home / f".{HOME_FILE}.{os.getpid()}.tmp"
    temp.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    os.replace(temp, home / HOME_FILE)


def _describe_binding(home: Path, binding: HomeBinding) -> str:
    if binding.kind == "sqlite" and binding.url == SQLITE_FILE:
        return str(home / SQLITE_FILE)
    return binding.url


def _cannot_open(url: str, exc: BaseException) -> CatalogueError:
    """One line for a catalogue that cannot be reached: no traceback, no password."""
    if isinstance(exc, NoSuchModuleError | ImportError):
        return CatalogueError(
            f"catalogue database URL '{public_url(url)}': no driver for it is installed"
            " (use postgresql+psycopg://… or sqlite:///…)"
        )
    if isinstance(exc, ArgumentError | ValueError):
        # Not echoed: what cannot be parsed cannot be stripped of a password either.
        return CatalogueError(
            "ENQUIRY_DB is not a database URL such as postgresql+psycopg://user@host:5432/name"
        )
    shown = public_url(url)
    original = getattr(exc, "orig", None) or exc
    reason = " ".join(str(original).split()) or type(original).__name__
    password = make_url(url).password if "://" in url else None
    if password:
        reason = reason.replace(str(password), "***")
    return CatalogueError(f"catalogue database {shown} cannot be opened: {reason[:300]}")


def _state(engine: Engine) -> _CatalogueState:
    with engine.connect() as connection:
        names = set(inspect(connection).get_table_names())
        has_events = (
            "custody_events" in names
            and connection.exec_driver_sql("SELECT seq FROM custody_events LIMIT 1").first()
            is not None
        )
        row = (
            connection.execute(select(catalogue_home.c.home_id, catalogue_home.c.home_path)).first()
            if "catalogue_home" in names
            else None
        )
    return _CatalogueState(
        has_schema="alembic_version" in names,
        has_events=has_events,
        home_id=row.home_id if row else None,
        home_path=row.home_path if row else None,
    )


def _record_home(engine: Engine, home: Path, home_id: str) -> str:
    """Write the database's ``catalogue_home`` row; return the id it holds afterwards (another
    home's, if one bound the database first)."""
    try:
        with engine.begin() as connection:
            connection.execute(
                insert(catalogue_home).values(
                    id=1,
                    home_id=home_id,
                    home_path=str(home),
                    bound_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                )
            )
    except IntegrityError:
        pass
    with engine.connect() as connection:
        return str(connection.execute(select(catalogue_home.c.home_id)).scalar_one())


def _someone_elses(url: str, home: Path, state: _CatalogueState, own_id: str | None) -> str:
    ours = f"home {home}" + (f" (id {own_id[:8]})" if own_id else "")
    theirs = f"home {state.home_path} (id {(state.home_id or '')[:8]})"
    return (
        f"catalogue database {public_url(url)} belongs to {theirs}, not to {ours};"
        " give each home its own database"
    )


def _holds_evidence(home: Path) -> bool:
    if (home / "ledger.head").exists():
        return True
    for folder in ("sha256", "blake3"):  # the vault's blobs, by the hash that names them
        blobs = home / "vault" / folder
        if blobs.is_dir() and any(blobs.iterdir()):
            return True
    return False


@contextlib.contextmanager
def _home_lock(home: Path) -> Iterator[None]:
    with (home / ".migrate.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def open_catalogue(home: Path) -> Engine:
    """The engine of the home's own catalogue, migrated to the newest schema.

    Raises :class:`CatalogueError` (one line, no password) when the database cannot be reached
    or does not belong to this home; a home and a database meeting for the first time are bound
    to each other, including homes made before the binding existed.
    """
    configured = os.environ.get("ENQUIRY_DB") or None
    binding = read_binding(home)
    if binding is not None and binding.kind != "sqlite" and configured is None:
        raise CatalogueError(
            f"home {home} uses a {_KIND_NAMES.get(binding.kind, binding.kind)} catalogue"
            f" ({binding.url}); set ENQUIRY_DB to its URL"
        )
    url = configured or f"sqlite:///{home / SQLITE_FILE}"
    if configured is None and not is_utf8(str(home)):
        # SQLAlchemy's URL cannot carry a name that is not UTF-8 (a folder named in Latin-1 on
        # an old disk): said of the home, since no ENQUIRY_DB was given to blame.
        raise CatalogueError(
            f"home {os.fsencode(home)!r}: its path holds bytes that are not UTF-8, where the"
            " catalogue cannot be opened; use a folder whose path is UTF-8"
        )
    engine: Engine | None = None
    try:
        _refuse_in_memory(url)
        engine = make_engine(url)
        if binding is None:
            with _home_lock(home):
                binding = read_binding(home)
                if binding is None:
                    _bind(engine, home, url)
                    return engine
        _check_bound(engine, home, url, binding)
        return engine
    except CatalogueError:
        if engine is not None:
            engine.dispose()
        raise
    except (SQLAlchemyError, ImportError, OSError, ValueError) as exc:
        if engine is not None:
            engine.dispose()
        raise _cannot_open(url, exc) from None


def _refuse_in_memory(url: str) -> None:
    """A SQLite catalogue held in memory would vanish, with every custody record written to
    it, when the command ends, while the vault kept the blobs it named: refused before
    anything is written."""
    if not url.startswith("sqlite"):
        return
    parsed = make_url(url)
    database = parsed.database or ""
    if (
        database in ("", ":memory:")
        or database.startswith("file::memory:")
        or parsed.query.get("mode") == "memory"
    ):
        raise CatalogueError(
            "ENQUIRY_DB names an in-memory SQLite database, which would"
            " be lost, with its custody records, when the command ends; name a file"
            " (sqlite:////path/to/catalogue.db) or leave ENQUIRY_DB unset"
        )


_KIND_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def _check_bound(engine: Engine, home: Path, url: str, binding: HomeBinding) -> None:
    if url == f"sqlite:///{home / SQLITE_FILE}" and not (home / SQLITE_FILE).exists():
        raise CatalogueError(
            f"home {home}: its catalogue {home / SQLITE_FILE} is missing (deleted or not"
            " copied with the home); restore it from a backup"
        )
    state = _state(engine)
    if state.home_id == binding.home_id:
        upgrade(engine, lock_path=home / ".migrate.lock")
        recorded = _binding_for(url, binding.home_id)
        if binding.kind != "sqlite" and recorded != binding:
            _write_binding(home, recorded)  # the same database reached by a new address
        return
    if state.home_id is not None:
        raise CatalogueError(_someone_elses(url, home, state, binding.home_id))
    where = _describe_binding(home, binding)
    if not state.has_schema:
        raise CatalogueError(
            f"catalogue database {public_url(url)} is empty, but home {home} has its catalogue"
            f" at {where}; set ENQUIRY_DB to that database (a new catalogue is never started"
            " for a home that has one)"
        )
    raise CatalogueError(
        f"catalogue database {public_url(url)} belongs to no home, but home {home} has its"
        f" catalogue at {where}; set ENQUIRY_DB to that database"
    )


def _binding_for(url: str, home_id: str) -> HomeBinding:
    kind = _backend(url)
    default = url.startswith("sqlite:///") and url.endswith(f"/{SQLITE_FILE}")
    return HomeBinding(
        home_id, kind, SQLITE_FILE if kind == "sqlite" and default else public_url(url)
    )


def _bind(engine: Engine, home: Path, url: str) -> None:
    """First meeting of a home and a database (the caller holds the home's lock)."""
    evidence = _holds_evidence(home)
    default = url == f"sqlite:///{home / SQLITE_FILE}"
    # Checked before the first connection, which would create an empty SQLite file.
    if default and evidence and not (home / SQLITE_FILE).exists():
        raise CatalogueError(
            f"home {home} holds evidence but its catalogue is not in it; if the catalogue"
            " is a PostgreSQL database, set ENQUIRY_DB to its URL"
        )
    state = _state(engine)
    if state.home_id is not None:
        if state.home_path != str(home):
            raise CatalogueError(_someone_elses(url, home, state, None))
        # This home bound the database, then stopped before writing home.json: finish.
        upgrade(engine)
        _write_binding(home, _binding_for(url, state.home_id))
        return
    if state.has_events and not evidence:
        raise CatalogueError(
            f"catalogue database {public_url(url)} already holds another home's catalogue,"
            f" and home {home} is new; give each home its own database"
        )
    upgrade(engine)
    home_id = uuid.uuid4().hex
    held = _record_home(engine, home, home_id)
    if held != home_id:
        raise CatalogueError(_someone_elses(url, home, _state(engine), None))
    _write_binding(home, _binding_for(url, home_id))


def migrate_within(connection: Connection) -> None:
    """Create the newest schema inside the caller's transaction, so that a restore which fails
    half-way leaves the database as empty as it found it (PostgreSQL's DDL is transactional)."""
    from alembic import command

    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def bind_restored(home: Path, url: str, home_id: str) -> None:
    """Write ``home.json`` for a home restored from a backup: its identity stays the backed-up
    one (which the restored ``catalogue_home`` row holds), its catalogue is where it now lives."""
    _write_binding(home, _binding_for(url, home_id))
