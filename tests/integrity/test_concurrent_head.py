"""Writers that commit at once must leave ``ledger.head`` naming the newest event: the file is
what shows the newest events were not deleted, and a head set back by a slower writer would
let the events after it go unnoticed."""

from __future__ import annotations

import time
from pathlib import Path

from integrity_helpers import cli, driven

from enquiry.store import open_store
from enquiry.store.ledger import read_head_file
from enquiry.store.verify import verify

# The first writer reads the head file, then is held (as a descheduled process would be) until
# the second has committed and written its own head, or for four seconds.
HOLD = """
import sys, time
from pathlib import Path
import enquiry.store.ledger as _ledger

_read = _ledger.read_head_file

def _held(home):
    found = _read(home)
    if sys._getframe(1).f_code.co_name == "write_head_file":
        (home.parent / "paused").touch()
        deadline = time.monotonic() + 4
        while not (home.parent / "go").exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    return found

_ledger.read_head_file = _held
"""


def test_a_slow_writer_never_sets_the_head_file_back(tmp_path: Path, backend: str) -> None:
    home = tmp_path / "home"
    for name in ("one", "two"):
        (tmp_path / f"{name}.txt").write_text(f"file {name}\n", encoding="utf-8")
    cli(home, "add", str(tmp_path / "one.txt"), "--case", "c")
    slow = driven(home, HOLD, "add", str(tmp_path / "two.txt"), "--case", "c")
    deadline = time.monotonic() + 60
    while not (tmp_path / "paused").exists():
        assert slow.poll() is None, slow.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    # Another writer commits after the slow one, and writes its head first.
    verified = cli(home, "verify")
    (tmp_path / "go").touch()
    out, err = slow.communicate(timeout=60)
    assert slow.returncode == 0, (out, err)
    assert "intact" in verified.stdout
    store = open_store(home, "tester", create=False)
    try:
        report = verify(store)
        recorded = read_head_file(home)
    finally:
        store.engine.dispose()
    assert report.intact, report.failures
    assert recorded is not None and recorded.seq == report.head[0], (recorded, report.head)
    assert not [n for n in report.notes if "ledger.head names event" in n], report.notes
