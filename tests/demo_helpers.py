"""Homes built once per test process and back end (the demo, a worked case...) and copied for
each test that needs one: building costs seconds, a copy a fraction of one."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PG_TEST_PREFIX = "postgresql+psycopg://postgres@127.0.0.1:5432/enquiry_test_"
PG_SERVER = PG_TEST_PREFIX.removesuffix("enquiry_test_")

DEMO_ACTOR = "demo-reviewer"

# Builds a home at the given path (the environment names its database) and returns what it
# printed; the folder beside the home is its own, for the files it needs.
Build = Callable[[Path], str]


@dataclass(frozen=True)
class DemoRun:
    """A test's own copy of a home built once, and what building it printed.

    ``ran_in`` is the home it was built in: the paths in ``output`` and in the ledger's events
    (a report's, a bundle's) name it, not the copy.
    """

    home: Path
    output: str
    ran_in: Path


def run_demo(home: Path) -> str:
    """``enquiry --as demo-reviewer demo --no-serve --no-pdf``: the built-in case loaded, its
    photograph redacted and confirmed, analysed, its report and signed bundle written."""
    from click.testing import CliRunner

    from enquiry.cli import main

    result = CliRunner().invoke(
        main, ["--home", str(home), "--as", DEMO_ACTOR, "demo", "--no-serve", "--no-pdf"]
    )
    assert result.exit_code == 0, result.output
    return result.output


def load_demo_case(home: Path) -> str:
    """The built-in Khan Shaykhun case file loaded (as ``analyst-1``), nothing more."""
    from enquiry.app import Enquiry, cases

    app = Enquiry.at(home, "analyst-1")
    try:
        return cases.load(app, cases.demo_case_file()).summary()
    finally:
        # Closed now rather than when collected: SQLite deletes the home's -wal and -shm files
        # as its last connection closes, which must not happen while the home is being copied.
        app.store().engine.dispose()


class HomeTemplates:
    """Homes built at most once per test process, name and back end; tests get copies.

    A copy is the template home's folder copied and, on PostgreSQL, the test's database made
    from the template's database (``CREATE DATABASE ... TEMPLATE``). Copies are always taken,
    so a test may change its home without disturbing another.
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self.built: dict[tuple[str, str], tuple[Path, str, str | None]] = {}

    def _build(self, name: str, backend: str, build: Build) -> tuple[Path, str, str | None]:
        if (name, backend) in self.built:
            return self.built[name, backend]
        home = self.base / f"{name}-{backend}" / "home"
        home.parent.mkdir(parents=True)
        database = None
        with pytest.MonkeyPatch.context() as patch:
            patch.delenv("ENQUIRY_DB", raising=False)
            patch.delenv("ENQUIRY_HOME", raising=False)
            if backend == "postgresql":
                import psycopg

                database = f"enquiry_test_template_{uuid.uuid4().hex[:12]}"
                with psycopg.connect(PG_DSN, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{database}"')
                patch.setenv("ENQUIRY_DB", PG_SERVER + database)
            output = build(home)
        self.built[name, backend] = (home, output, database)
        return self.built[name, backend]

    def copy(self, name: str, build: Build, home: Path, database_url: str | None = None) -> DemoRun:
        """The template ``name`` (built by ``build`` on first use) copied to ``home``, which
        must not exist; on PostgreSQL (``database_url``, a test database, given) its database
        replaces that one."""
        backend = "postgresql" if database_url else "sqlite"
        template, output, database = self._build(name, backend, build)
        if database_url:
            import psycopg

            assert database_url.startswith(PG_TEST_PREFIX), database_url
            target = database_url.rsplit("/", 1)[1]
            with psycopg.connect(PG_DSN, autocommit=True) as conn:
                # the build's own engines may still hold pooled connections to the template
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    (database,),
                )
                conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{database}"')
        shutil.copytree(template, home, symlinks=True)
        return DemoRun(home, output, template)

    def demo(self, home: Path, database_url: str | None = None) -> DemoRun:
        """A copy of a home where the demo ran (``--no-pdf``)."""
        return self.copy("demo", run_demo, home, database_url)

    def demo_case(self, home: Path, database_url: str | None = None) -> DemoRun:
        """A copy of a home where the built-in case was loaded (and nothing else done)."""
        return self.copy("demo-case", load_demo_case, home, database_url)

    def close(self) -> None:
        """Drop the template databases."""
        databases = [database for _home, _output, database in self.built.values() if database]
        if databases:
            import psycopg

            with psycopg.connect(PG_DSN, autocommit=True) as conn:
                for database in databases:
                    conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
