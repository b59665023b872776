"""The API tests' shared worlds: built once per module (see api_world)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_world import World, build_world, create_pg_database, drop_pg_database


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The world, once per module and back end (a PostgreSQL database of its own)."""
    with pytest.MonkeyPatch.context() as patch:
        name = None
        if request.param == "postgresql":
            name = create_pg_database()
            patch.setenv("ENQUIRY_DB", f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
        else:
            patch.delenv("ENQUIRY_DB", raising=False)
        try:
            built = build_world(tmp_path_factory.mktemp(f"api-{request.param}"))
            with built.client:
                yield built
        finally:
            if name is not None:
                drop_pg_database(name)


@pytest.fixture(scope="module")
def sqlite_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The world on SQLite only (the big access matrix)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        built = build_world(tmp_path_factory.mktemp("api-sqlite"))
        with built.client:
            yield built
