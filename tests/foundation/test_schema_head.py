"""A catalogue at the newest schema is opened without loading the migration machinery, which
costs every command a tenth of a second to start; one at an older schema is still brought up to
date, and the revision the fast path trusts is the migrations' own head."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from enquiry.app import Enquiry, evidence
from enquiry.store import db

OPEN_AND_TELL = """
import sys
from enquiry.app import Enquiry, evidence
app = Enquiry.at(sys.argv[1], "reader")
print(len(evidence.list_items(app).items), "alembic" in sys.modules)
"""


def test_the_trusted_head_is_the_migrations_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == db.HEAD_REVISION


def _note(home: Path) -> None:
    note = home.parent / "note.txt"
    note.write_text("Seen at the crossing.\n", encoding="utf-8")
    evidence.add(Enquiry.at(home, "maker"), [note], case="c")


def _open_elsewhere(home: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "ENQUIRY_DB"}
    done = subprocess.run(
        [sys.executable, "-c", OPEN_AND_TELL, str(home)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return done.stdout.strip()


def test_a_home_at_the_newest_schema_opens_without_alembic(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _note(home)
    assert _open_elsewhere(home) == "1 False"


def test_a_catalogue_at_an_older_schema_is_still_migrated(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _note(home)
    engine = db.make_engine(f"sqlite:///{home / db.SQLITE_FILE}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0009'"))
        connection.execute(text("ALTER TABLE ratings DROP COLUMN wording"))  # as 0009 made it
    engine.dispose()
    # the migration runs (and so alembic is loaded), and the item is still there
    assert _open_elsewhere(home) == "1 True"
    engine = db.make_engine(f"sqlite:///{home / db.SQLITE_FILE}")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            db.HEAD_REVISION
        )
        connection.execute(text("SELECT wording FROM ratings"))  # the column is back
    engine.dispose()
