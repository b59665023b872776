"""Shared fixtures: a fresh home, and databases on both back ends (SQLite and PostgreSQL)."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo_helpers import PG_DSN, PG_SERVER, PG_TEST_PREFIX, DemoRun, HomeTemplates

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
def pg_name() -> Iterator[str]:
    """A name for the test's own PostgreSQL database (not created here), dropped afterwards."""
    import psycopg

    if not _pg_available():
        pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432")
    name = f"enquiry_test_{uuid.uuid4().hex[:12]}"
    try:
        yield name
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_name: str) -> str:
    """A new, empty PostgreSQL database, dropped afterwards."""
    import psycopg

    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{pg_name}"')
    return PG_SERVER + pg_name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Runs a test once on SQLite and once on PostgreSQL (``ENQUIRY_DB`` set for the latter).

    A test whose home is copied from a template (it uses ``home_templates``) gets its database
    made as a copy of the template's, so none is created for it here."""
    if request.param == "sqlite":
        monkeypatch.delenv("ENQUIRY_DB", raising=False)
        yield "sqlite"
    else:
        if "home_templates" in request.fixturenames:
            url = PG_SERVER + request.getfixturevalue("pg_name")
        else:
            url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("ENQUIRY_DB", url)
        yield "postgresql"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty enquiry home (the test's own), on SQLite unless a test asks for a backend."""
    path = tmp_path / "home"
    monkeypatch.setenv("ENQUIRY_HOME", str(path))
    if "ENQUIRY_DB" in os.environ and not os.environ["ENQUIRY_DB"].startswith(PG_TEST_PREFIX):
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


@pytest.fixture(scope="session", autouse=True)
def _no_account_token() -> Iterator[None]:
    """The command line acts as the account whose token ``ENQUIRY_TOKEN`` holds: a token in
    the developer's environment must not change who the tests' commands act as."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_TOKEN", raising=False)
        yield


@pytest.fixture(scope="session", autouse=True)
def shipped_password_hasher() -> Iterator[object]:
    """Passwords hashed in the tests' own process (accounts made, servers run in threads) with
    argon2id at its lightest cost instead of the shipped one: the same algorithm, hash format
    and checks, without a fifth of a second of CPU for each of the hundreds of accounts the
    suite makes. A password is checked at the cost its stored hash names, so an account made
    by a command in its own process is checked at the shipped cost. The fixture's value is the
    hasher enquiry ships, which ``tests/accounts/test_password_cost.py`` holds to its cost."""
    from argon2 import PasswordHasher

    from enquiry.app import accounts

    shipped = accounts._hasher
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        )
        yield shipped


@pytest.fixture(scope="session")
def home_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HomeTemplates]:
    """Homes (the demo's, a worked case's) built at most once per back end in this test
    process, on first use, and copied for each test."""
    templates = HomeTemplates(tmp_path_factory.mktemp("templates"))
    try:
        yield templates
    finally:
        templates.close()


def database_for(request: pytest.FixtureRequest) -> str | None:
    """The test's PostgreSQL database if it runs on PostgreSQL (the ``backend`` fixture set up
    first, so that ENQUIRY_DB is set before a template is copied), else None (SQLite)."""
    if "backend" in request.fixturenames:
        request.getfixturevalue("backend")
    return os.environ.get("ENQUIRY_DB") or None


@pytest.fixture
def demo_home(home_templates: HomeTemplates, home: Path, request: pytest.FixtureRequest) -> DemoRun:
    """The test's own copy of a home where the demo ran (``--no-pdf``), on the test's back end
    (SQLite unless it also asks for ``backend``)."""
    return home_templates.demo(home, database_for(request))


@pytest.fixture
def demo_case_home(
    home_templates: HomeTemplates, home: Path, request: pytest.FixtureRequest
) -> DemoRun:
    """The test's own copy of a home where the built-in case was loaded (as ``analyst-1``),
    on the test's back end (SQLite unless it also asks for ``backend``)."""
    return home_templates.demo_case(home, database_for(request))


@pytest.fixture(scope="session")
def demo_with_pdf(tmp_path_factory: pytest.TempPathFactory, _protection_key: Path) -> DemoRun:
    """A home where ``enquiry demo --no-serve`` ran in full (HTML and PDF report, signed
    bundle with its PDF), as a user runs it: its own process, no passphrase in the
    environment, nothing on stdin.

    Rendering the PDF takes a minute, so it is done once for the whole run: the first test
    process to need it builds it (under a lock) in the folder the parallel workers share, and
    the others wait for it. Only tests that read the home, and need neither its protection
    key nor to change it, may use it."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    home = shared / "demo-pdf" / "home"
    printed = shared / "demo-pdf" / "output.txt"
    with (shared / "demo-pdf.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not printed.exists():
            env = {k: v for k, v in os.environ.items() if k not in ("ENQUIRY_DB", "ENQUIRY_HOME")}
            env.pop("ENQUIRY_KEY_PASSPHRASE", None)  # the demo must not ask for one
            result = subprocess.run(
                [sys.executable, "-m", "enquiry.cli", "--home", str(home), "demo", "--no-serve"],
                capture_output=True,
                text=True,
                env=env,
                stdin=subprocess.DEVNULL,
                timeout=900,
                check=False,
            )
            assert result.returncode == 0, result.stderr
            printed.write_text(result.stdout, encoding="utf-8")
    return DemoRun(home, printed.read_text(encoding="utf-8"), home)
