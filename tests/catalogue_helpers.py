"""Shared by tests of upgrades: a home's catalogue taken back to an earlier schema revision."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from enquiry.store.db import MIGRATIONS, database_url, make_engine


def downgrade_catalogue(home: Path, revision: str) -> None:
    """Take the home's catalogue back to ``revision``, as a home made before it has it (the
    migrations' own downgrade, on the home's own database)."""
    engine = make_engine(database_url(home))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    engine.dispose()
