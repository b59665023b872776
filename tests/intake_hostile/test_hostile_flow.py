"""Memory stays bounded when the readers outpace the writer: a leaked archive of long texts
(each up to 64 MB of words once read) must wait in the files, not in the intake process."""

from __future__ import annotations

import time
from pathlib import Path

from enquiry.enrich import default_extractors
from enquiry.intake.pipeline import AHEAD_TASKS, IntakeOptions, add_paths
from enquiry.progress import Silent
from enquiry.store import open_store


class SlowWriter(Silent):
    """A display that holds up the process writing the catalogue at the first file it hears
    of, as a batch of long texts to index does, and counts what was stored meanwhile."""

    def __init__(self, vault: Path) -> None:
        super().__init__()
        self.vault = vault
        self.stored_meanwhile: int | None = None

    def advance(self, amount: int = 1) -> None:
        if self.stored_meanwhile is not None:
            return
        count, steady_since = -1, time.monotonic()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and time.monotonic() - steady_since < 1.5:
            now = sum(1 for _ in (self.vault / "sha256").glob("*/*/*"))
            if now != count:
                count, steady_since = now, time.monotonic()
            time.sleep(0.1)
        self.stored_meanwhile = count


def test_readers_wait_for_a_slow_writer(home: Path, tmp_path: Path) -> None:
    files = AHEAD_TASKS * 3
    folder = tmp_path / "leak"
    folder.mkdir()
    for index in range(files):
        (folder / f"{index:05d}.txt").write_text(f"log line {index}\n", encoding="utf-8")
    store = open_store(home, "tester", create=True)
    slow = SlowWriter(home / "vault")
    report = add_paths(
        store, [folder], IntakeOptions(case="ks", jobs=1), default_extractors(), progress=slow
    )
    assert report.count("stored") == files
    assert slow.stored_meanwhile is not None
    # One worker: its window of tasks and the chunks it holds, not the whole folder.
    assert slow.stored_meanwhile <= AHEAD_TASKS + 64, slow.stored_meanwhile
