"""An enricher run again over stored items reads each original as intake does: in a child
process under the time and memory limits. A file that makes a reader loop or balloon costs one
problem line; the other items are read and recorded, and the catalogue stays intact."""

from __future__ import annotations

import ctypes
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from enquiry.cli import main
from enquiry.enrich.base import FileEnricher
from enquiry.enrich.runner import run_enrichers
from enquiry.intake.extract import Extraction
from enquiry.intake.limits import LimitExceeded, run_limited
from enquiry.intake.pipeline import IntakeOptions, add_paths
from enquiry.progress import Silent
from enquiry.store import open_store


class Hostile(FileEnricher):
    """Reads 'loop' files for ever inside native code, 'balloon' files into ever more memory."""

    name = "hostile"

    @property
    def version(self) -> str:
        return "1"

    def accepts(self, media_type: str, kind: str) -> bool:
        return True

    def extract(self, path: Path, media_type: str) -> Extraction:
        content = path.read_bytes()
        if content.startswith(b"loop"):
            ctypes.CDLL(None).sleep(3600)  # native code: no Python signal handler runs here
        if content.startswith(b"balloon"):
            hoard = []
            while True:
                hoard.append(bytearray(64 * 1024 * 1024))
        return Extraction(metadata={"bytes": len(content)})


def test_a_reader_that_loops_or_balloons_costs_one_line(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENQUIRY_DECODE_SECONDS", "2")
    monkeypatch.setenv("ENQUIRY_DECODE_MB", "256")
    files = {"a-loop.txt": b"loop\n", "b-balloon.txt": b"balloon\n", "c-plain.txt": b"plain\n"}
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    store = open_store(home, "tester")
    report = add_paths(
        store,
        [tmp_path / name for name in files],
        IntakeOptions(case="c", progress=False, jobs=1),
        [],
    )
    ids = sorted(r.item_id for r in report.results if r.item_id is not None)
    assert len(ids) == 3
    progress = Silent()
    started = time.monotonic()
    run = run_enrichers(store, ids, [Hostile()], progress=progress)
    assert time.monotonic() - started < 60, "the loop was ended by its clock"
    status = {o.item_id: o.status for o in run.outcomes}
    assert status == {ids[0]: "failed", ids[1]: "failed", ids[2]: "enriched"}
    lines = " | ".join(progress.problems)
    assert "took longer than 2 s to read" in lines
    assert "needed more than 256 MB to read" in lines
    verified = CliRunner().invoke(main, ["--home", str(home), "verify"])
    assert verified.exit_code == 0, verified.output


def test_run_limited_returns_the_result_or_names_the_limit() -> None:
    assert run_limited(sum, [1, 2, 3], seconds=5, megabytes=64) == 6
    with pytest.raises(LimitExceeded, match="ZeroDivisionError"):
        run_limited(divmod, 1, 0, seconds=5, megabytes=64)
    with pytest.raises(LimitExceeded, match=r"took longer than 0\.5 s"):
        run_limited(time.sleep, 30, seconds=0.5, megabytes=64)
