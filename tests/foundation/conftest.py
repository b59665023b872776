"""Helpers for the foundation tests: run the CLI in-process, tamper with the database."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))

from enquiry.cli import main
from enquiry.store.db import database_url, make_engine

Run = Callable[..., Result]


@pytest.fixture
def run(home: Path) -> Run:
    """Invoke ``enquiry --home HOME ARGS...`` in-process; returns click's Result."""
    return runner_for(home)


def runner_for(home: Path) -> Run:
    """Invoke ``enquiry --home HOME --as tester ARGS...`` in-process; returns click's Result
    (and checks the exit code is ``expect`` unless that is None)."""
    runner = CliRunner()

    def invoke(*args: str, expect: int | None = 0) -> Result:
        result = runner.invoke(
            main, ["--home", str(home), "--as", "tester", *args], catch_exceptions=False
        )
        if expect is not None:
            assert result.exit_code == expect, (result.exit_code, result.output, result.stderr)
        return result

    return invoke


@pytest.fixture
def sql(home: Path) -> Callable[[str], Any]:
    """Run one SQL statement against the home's database (as an attacker with DB access would)."""

    def execute(statement: str) -> Any:
        engine = make_engine(database_url(home))
        with engine.begin() as connection:
            result = connection.execute(text(statement))
            rows = result.fetchall() if result.returns_rows else None
        engine.dispose()
        return rows

    return execute


def show(run: Run, item: int | str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run("item", "show", str(item), "--json").stdout)
    return data
