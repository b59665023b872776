"""The API tests' shared worlds: built once per module (see api_world)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from api_world import World, build_world, create_pg_database, drop_pg_database

from enquiry.app.accounts import THROTTLE_FILE, SharedFailures


@contextmanager
def _world(backend: str, factory: pytest.TempPathFactory) -> Iterator[World]:
    with pytest.MonkeyPatch.context() as patch:
        name = None
        if backend == "postgresql":
            name = create_pg_database()
            patch.setenv("ENQUIRY_DB", f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
        else:
            patch.delenv("ENQUIRY_DB", raising=False)
        try:
            built = build_world(factory.mktemp(f"api-{backend}"))
            with built.client:
                yield built
        finally:
            if name is not None:
                drop_pg_database(name)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The world, once per module and back end (a PostgreSQL database of its own)."""
    with _world(request.param, tmp_path_factory) as built:
        yield built


@pytest.fixture(scope="module")
def sqlite_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world on SQLite only (the big access matrix)."""
    with _world("sqlite", tmp_path_factory) as built:
        yield built


@pytest.fixture(scope="module")
def pg_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world on PostgreSQL only (a subset of the matrix)."""
    with _world("postgresql", tmp_path_factory) as built:
        yield built


@pytest.fixture(autouse=True)
def _sign_in_failures_forgotten(request: pytest.FixtureRequest) -> None:
    """Each test starts with no failed sign-in on record: a module's world is one home, and
    the server's count of failures lives in the home, shared by every app made on it."""
    for name in ("world", "sqlite_world", "pg_world"):
        if name in request.fixturenames:
            home = request.getfixturevalue(name).home
            if (home / THROTTLE_FILE).exists():
                SharedFailures(home / THROTTLE_FILE).clear()
