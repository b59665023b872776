"""No command that writes a file the user names can write it over the home's own files.

Every writer of a user-named output (export in each format, report, bundle export, backup, dump,
item copy, keys export-public) is pointed, through the real command line, at the home's catalogue
database and at an original in the vault: each is refused with one line naming the path, exits
non-zero, and leaves the database's and the original's bytes as they were. A path elsewhere
still works, and a catalogue kept outside the home (``ENQUIRY_DB``) is guarded too.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from conftest import Run
from demo_helpers import DemoRun
from enquiry.store import open_store
from enquiry.store.tables import Item

CASE = "khan-shaykhun"
INCIDENT = "khan-shaykhun-2017-04-04"
KEY = "signer"

# Each writer's arguments; "{out}" is the file it is told to write and "{item}" an item number.
WRITERS: dict[str, tuple[str, ...]] = {
    "export csv": ("export", "csv", "--case", CASE, "-o", "{out}"),
    "export geojson": ("export", "geojson", "--case", CASE, "-o", "{out}"),
    "export kml": ("export", "kml", "--incident", INCIDENT, "-o", "{out}"),
    "export prov": ("export", "prov", "--case", CASE, "-o", "{out}"),
    "export case-uco": ("export", "case-uco", "--case", CASE, "-o", "{out}"),
    "report": ("report", INCIDENT, "-o", "{out}"),
    "bundle export": ("bundle", "export", "--case", CASE, "-o", "{out}"),
    "backup": ("backup", "-o", "{out}"),
    "dump": ("dump", CASE, "-o", "{out}"),
    "item copy": ("item", "copy", "{item}", "-o", "{out}", "--force"),
    "keys export-public": ("keys", "export-public", KEY, "-o", "{out}"),
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _database_sha256(database: Path) -> str:
    """The catalogue file's SHA-256 once SQLite has moved its write-ahead log into it: an idle
    connection of an earlier command closing later would do so, changing the file's bytes but
    not its data. (A file that is no longer a database is hashed as it is.)"""
    with contextlib.suppress(sqlite3.DatabaseError):
        connection = sqlite3.connect(database)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
    return _sha256(database)


def _args(writer: str, out: Path, item: int) -> list[str]:
    return [arg.format(out=out, item=item) for arg in WRITERS[writer]]


@pytest.fixture
def case_home(demo_case_home: DemoRun, monkeypatch: pytest.MonkeyPatch) -> DemoRun:
    """The built-in case loaded, and a signing key for the key and bundle writers."""
    monkeypatch.setenv("ENQUIRY_KEY_PASSPHRASE", "correct horse battery staple")
    return demo_case_home


def _original(home: Path) -> tuple[int, Path]:
    """An item stored in the clear, and its original's file in the vault."""
    store = open_store(home, "tester", create=False)
    try:
        with store.session() as session:
            item = session.scalars(
                select(Item)
                .where(Item.sha256.is_not(None), Item.protected.is_(False))
                .order_by(Item.id)
            ).first()
        assert item is not None and item.sha256 is not None
        blob = store.vault.path(item.sha256)
    finally:
        store.engine.dispose()
    assert blob.is_file() and blob.resolve().is_relative_to(home.resolve())
    return item.id, blob


def _refused(run: Run, args: list[str], named: Path) -> None:
    result = run(*args, expect=None)
    assert result.exit_code != 0, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(named) in lines[0] and "write it elsewhere" in lines[0], lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("writer", list(WRITERS))
def test_writer_refuses_the_catalogue_and_the_vault(
    writer: str, case_home: DemoRun, run: Run, tmp_path: Path
) -> None:
    home = case_home.home
    database = home / "enquiry.db"
    item, blob = _original(home)
    run("keys", "create", KEY)
    before = (_database_sha256(database), _sha256(blob))
    for target in (database, blob, blob.parent / "new-file", home / "reports" / "out.html"):
        _refused(run, _args(writer, target, item), target)
        assert (_database_sha256(database), _sha256(blob)) == before, f"{writer} -o {target}"
        assert not (blob.parent / "new-file").exists()
    # followed through a symbolic link to the home, too
    link = tmp_path / "link"
    link.symlink_to(home, target_is_directory=True)
    _refused(run, _args(writer, link / "enquiry.db", item), link / "enquiry.db")
    assert (_database_sha256(database), _sha256(blob)) == before
    assert run("case", "list").exit_code == 0
    # and a file outside the home is written as before
    out = tmp_path / "elsewhere" / "out.html"
    out.parent.mkdir()
    result = run(*_args(writer, out, item))
    assert result.exit_code == 0 and out.is_file() and out.stat().st_size > 0, result.output


def test_backup_keeps_its_refusal(case_home: DemoRun, run: Run) -> None:
    target = case_home.home / "backup.zip"
    result = run("backup", "-o", str(target), expect=None)
    assert result.exit_code != 0
    assert "inside the home it backs up" in result.stderr
    assert not target.exists()


def test_a_catalogue_kept_elsewhere_is_guarded(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    database = tmp_path / "catalogue" / "cases.db"
    database.parent.mkdir()
    monkeypatch.setenv("ENQUIRY_DB", f"sqlite:///{database}")
    evidence = tmp_path / "note.txt"
    evidence.write_text("seen at the crossing at noon\n", encoding="utf-8")
    run("add", str(evidence), "--case", "c")
    assert not (home / "enquiry.db").exists() and database.is_file()
    before = _database_sha256(database)
    hard = tmp_path / "hard-link.db"
    hard.hardlink_to(database)
    for target in (database, database.with_name("cases.db-wal"), hard):
        for args in (
            ["export", "csv", "--case", "c", "-o", str(target)],
            ["dump", "c", "-o", str(target)],
            ["item", "copy", "1", "-o", str(target), "--force"],
        ):
            result = run(*args, expect=None)
            assert result.exit_code != 0, (args, result.output)
            line = result.stderr.strip()
            assert "\n" not in line and str(target) in line and "catalogue database" in line
            assert _database_sha256(database) == before
    assert "1 items" in run("case", "list").stdout


def test_a_dumps_attachments_stay_out_of_the_home(
    case_home: DemoRun, run: Run, tmp_path: Path
) -> None:
    """A dump copies the originals into ``<stem>.files/`` beside it: a dump named so that
    this folder is the home (here through a link) is refused, though the file itself is not."""
    home = case_home.home
    database = home / "enquiry.db"
    before = _database_sha256(database)
    folder = tmp_path / "case.files"
    folder.symlink_to(home, target_is_directory=True)
    target = tmp_path / "case.yaml"
    _refused(run, ["dump", CASE, "-o", str(target)], folder)
    assert not target.exists() and _database_sha256(database) == before


def test_a_link_planted_beside_an_output_is_not_followed(
    home: Path, tmp_path: Path, run: Run
) -> None:
    """An output is written through a temporary file beside it whose name nobody can guess,
    created afresh: a link planted in a shared folder under a predictable name ("out.csv.tmp")
    does not make the writer replace the file it points to."""
    evidence = tmp_path / "note.txt"
    evidence.write_text("seen at the crossing at noon\n", encoding="utf-8")
    run("add", str(evidence), "--case", "c")
    shared = tmp_path / "shared"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file\n", encoding="utf-8")
    output = shared / "out.csv"
    (shared / "out.csv.tmp").symlink_to(victim)
    run("export", "csv", "--case", "c", "-o", str(output))
    assert victim.read_text(encoding="utf-8") == "someone else's file\n"
    assert output.is_file() and not output.is_symlink()
    assert sorted(p.name for p in shared.iterdir()) == ["out.csv", "out.csv.tmp"]
