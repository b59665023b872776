"""Shared fixtures: a fresh home, and databases on both back ends (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _pg_available() -> bool:
    import psycopg

    try:
        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3
        ):
            return True
    except psycopg.Error:
        return False


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    import psycopg

    if not _pg_available():
        pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432")
    name = f"enquiry_test_{uuid.uuid4().hex[:12]}"
    dsn = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Runs a test once on SQLite and once on PostgreSQL (``ENQUIRY_DB`` set for the latter)."""
    if request.param == "sqlite":
        monkeypatch.delenv("ENQUIRY_DB", raising=False)
        yield "sqlite"
    else:
        url_fixture = request.getfixturevalue("pg_url")
        monkeypatch.setenv("ENQUIRY_DB", url_fixture)
        yield "postgresql"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty enquiry home (the test's own), on SQLite unless a test asks for a backend."""
    path = tmp_path / "home"
    monkeypatch.setenv("ENQUIRY_HOME", str(path))
    if "ENQUIRY_DB" in os.environ and not os.environ["ENQUIRY_DB"].startswith(
        "postgresql+psycopg://postgres@127.0.0.1:5432/enquiry_test_"
    ):
        monkeypatch.delenv("ENQUIRY_DB")
    return path


@pytest.fixture
def shared_data() -> Path:
    """The third-party evaluation data (never copied into the repository)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def protection_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One random protection key file for the run (outside every home, as it must be)."""
    path = tmp_path_factory.mktemp("protection-key") / "enquiry.key"
    path.write_text(os.urandom(32).hex() + "\n", encoding="ascii")
    return path


@pytest.fixture(scope="session", autouse=True)
def _protection_key(protection_key_file: Path) -> Iterator[Path]:
    """Protected evidence is stored encrypted: the whole session (module fixtures too) is given
    the protection key in the environment; a test of the keyless case removes it with its own
    ``monkeypatch``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ENQUIRY_PROTECTION_KEY_FILE", str(protection_key_file))
        patch.delenv("ENQUIRY_PROTECTION_PASSPHRASE", raising=False)
        yield protection_key_file
