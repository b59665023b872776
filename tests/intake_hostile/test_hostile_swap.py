"""A file swapped between being listed and being read (someone else still writes to the folder:
a shared drive, a disk an adversary's tool keeps open). What is read must be what was listed:
a FIFO put in its place must not make intake wait for ever, a link put in its place must not
take in the file it leads to."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from enquiry.store import open_store
from enquiry.store.tables import Item, ItemText

SECRET = "SECRET-OF-THE-READING-MACHINE"

# Runs one intake whose progress display swaps a listed file for something else as it starts,
# which is after the folder was walked and before any file is opened: the race, made certain.
SWAPPING_INTAKE = """
import os, sys
from pathlib import Path
from enquiry.enrich import default_extractors
from enquiry.intake.pipeline import IntakeOptions, add_paths
from enquiry.progress import Silent
from enquiry.store import open_store

how, folder, home, secret = sys.argv[1:5]
victim = Path(folder) / "b-statement.txt"

class Swapping(Silent):
    def start(self, stage, total=None, unit="item"):
        victim.unlink()
        if how == "fifo":
            os.mkfifo(victim)
        else:
            victim.symlink_to(secret)

store = open_store(Path(home), "tester", create=True)
report = add_paths(store, [Path(folder)], IntakeOptions(case="ks", jobs=1),
                   default_extractors(), progress=Swapping())
for line in report.problems:
    print(line)
print(report.summary())
"""


@pytest.mark.parametrize("how", ["fifo", "link"])
def test_a_file_swapped_after_it_was_listed_is_refused(
    home: Path, tmp_path: Path, how: str
) -> None:
    secret = tmp_path / "passwd"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    folder = tmp_path / "seized"
    folder.mkdir()
    for name in ("a-note.txt", "b-statement.txt", "c-note.txt"):
        (folder / name).write_text(f"the words of {name}\n", encoding="utf-8")
    try:
        done = subprocess.run(
            [sys.executable, "-c", SWAPPING_INTAKE, how, str(folder), str(home), str(secret)],
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("intake waited for ever on a FIFO put where a file had been listed")
    finally:
        # a worker still blocked on the FIFO is freed by a writer (none waits: ENXIO)
        if how == "fifo" and (folder / "b-statement.txt").is_fifo():
            with contextlib.suppress(OSError):
                os.close(os.open(folder / "b-statement.txt", os.O_WRONLY | os.O_NONBLOCK))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2, lines
    assert "b-statement.txt" in lines[0]
    assert ("not a regular file" if how == "fifo" else "replaced by another file") in lines[0]
    assert lines[1].startswith("2 stored, 1 rejected")
    store = open_store(home, "tester")
    with store.session() as session:
        names = sorted(session.scalars(select(Item.original_name)))
        texts = [text or "" for text in session.scalars(select(ItemText.text))]
    assert names == ["a-note.txt", "c-note.txt"]
    assert not any(SECRET in text for text in texts)
