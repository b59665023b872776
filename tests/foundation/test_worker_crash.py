"""A file that kills its worker (a decoder crash) is named; the rest of the intake goes on."""

from __future__ import annotations

import os
from pathlib import Path

from enquiry.intake.extract import Extraction
from enquiry.intake.pipeline import IntakeOptions, add_paths
from enquiry.store import open_store
from enquiry.store.verify import verify


class CrashingDecoder:
    """Stands for a native decoder that dies on one hostile file."""

    name = "crash"

    def accepts(self, media_type: str, kind: str) -> bool:
        return True

    def extract(self, path: Path, media_type: str) -> Extraction:
        if path.read_bytes().startswith(b"POISON"):
            os._exit(139)
        return Extraction()


def test_a_dying_worker_leaves_the_store_intact(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(40):
        (folder / f"f{index:02d}.txt").write_text(f"file {index}\n", encoding="utf-8")
    (folder / "z-poison.txt").write_text("POISON\n", encoding="utf-8")
    store = open_store(home, "tester")
    report = add_paths(
        store, [folder], IntakeOptions(case="c", jobs=2, progress=False), [CrashingDecoder()]
    )
    # The crashing file is preserved (it was stored before its reader ran) and named once.
    assert report.count("stored") == 41 and report.failed
    assert report.problems == [
        f"{folder / 'z-poison.txt'}: its reader crashed (exit status 139); stored without what"
        " its readers would have found"
    ]
    checked = verify(store)
    assert checked.intact, checked.failures
