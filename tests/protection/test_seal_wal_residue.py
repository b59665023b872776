"""A seal while another reader holds an older snapshot of a SQLite catalogue: that reader keeps
the write-ahead log from being emptied, so the destroyed key could stay in the home's files.
The seal says so, marks the home, and the next command that opens it empties the log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from protection_helpers import Cli, item_id, wrapped_key

from enquiry.store.db import SCRUB_PENDING, SQLITE_FILE


def _holding(home: Path, secret: bytes) -> list[str]:
    return [
        path.name
        for path in home.glob(f"{SQLITE_FILE}*")
        if path.is_file() and secret in path.read_bytes()
    ]


def test_a_seal_beside_an_old_reader_is_finished_by_the_next_command(worked: Cli) -> None:
    if not (worked.home / SQLITE_FILE).exists():
        pytest.skip("a PostgreSQL catalogue is scrubbed by VACUUM FULL, which waits for readers")
    witness = item_id(worked, "Eyewitness at the saltworks")
    old_key = wrapped_key(worked.home, witness)
    assert old_key is not None
    reader = sqlite3.connect(worked.home / SQLITE_FILE, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM items").fetchone()  # a snapshot from before
        done = worked("item", "seal", str(witness), "--reason", "consent withdrawn by W-1")
        assert "sealed" in done.stdout
        assert "write-ahead log" in done.stderr and "next enquiry command" in done.stderr
        assert (worked.home / SCRUB_PENDING).exists()
        # the reader's snapshot still needs the page with the key: it is still on disk
        assert _holding(worked.home, old_key)
    finally:
        reader.close()
    worked("log", "--item", str(witness))
    assert not (worked.home / SCRUB_PENDING).exists()
    assert not _holding(worked.home, old_key)


def test_a_seal_with_no_other_reader_leaves_nothing_to_finish(worked: Cli) -> None:
    witness = item_id(worked, "Eyewitness at the saltworks")
    old_key = wrapped_key(worked.home, witness)
    assert old_key is not None
    done = worked("item", "seal", str(witness), "--reason", "consent withdrawn by W-1")
    assert "write-ahead log" not in done.stderr
    assert not (worked.home / SCRUB_PENDING).exists()
    assert not _holding(worked.home, old_key)
