"""A backup taken while others write must restore to a home that verifies: its catalogue, its
ledger and its ``ledger.head`` are of one moment, whatever was committed while it was made."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from integrity_helpers import cli, driven

# The backup is held just after it took its snapshot of the catalogue, until another writer
# has committed (or for ten seconds).
HOLD = """
import time
from pathlib import Path
import enquiry.publish.bundle as _bundle

_snapshot = _bundle._snapshot

def _held(store, copy):
    _snapshot(store, copy)
    (store.home.parent / "paused").touch()
    deadline = time.monotonic() + 10
    while not (store.home.parent / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.01)

_bundle._snapshot = _held
"""


@pytest.mark.slow
def test_a_backup_taken_while_another_writes_restores_and_verifies(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    (tmp_path / "in").mkdir()
    for index in range(3):
        (tmp_path / "in" / f"f{index}.txt").write_text(f"file {index}\n", encoding="utf-8")
    cli(home, "add", str(tmp_path / "in" / "f0.txt"), "--case", "c")
    backup = tmp_path / "home.backup"
    taking = driven(home, HOLD, "backup", "-o", str(backup))
    deadline = time.monotonic() + 120
    while not (tmp_path / "paused").exists():
        assert taking.poll() is None, taking.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    # Work committed after the snapshot, before the backup copied the home's files.
    cli(home, "add", str(tmp_path / "in" / "f1.txt"), "--case", "c")
    cli(home, "add", str(tmp_path / "in" / "f2.txt"), "--case", "c")
    (tmp_path / "go").touch()
    out, err = taking.communicate(timeout=120)
    assert taking.returncode == 0, (out, err)
    if backend == "postgresql":
        monkeypatch.delenv("ENQUIRY_DB")  # restored into SQLite: the back end is not the point
    restored = tmp_path / "restored"
    done = cli(restored, "restore", str(backup), "--accept-signer", "unsigned", check=False)
    assert done.returncode == 0, (done.stdout, done.stderr)
    verified = cli(restored, "verify", check=False)
    assert verified.returncode == 0, (verified.stdout, verified.stderr)
    assert "ledger.head" not in verified.stdout + verified.stderr
