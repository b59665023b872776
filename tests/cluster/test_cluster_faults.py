"""Faults on a cluster: a worker killed mid-file, a file that exhausts memory or keeps killing
workers, the scheduler lost, the coordinator killed. Each time what was committed stays,
running the same command again completes the work, nothing is stored twice and ``verify`` is
clean. Real Dask (LocalCluster, or ``dask scheduler`` / ``dask worker`` processes), real SQLite.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cloudpickle
import dask
import distributed  # noqa: F401  (its defaults in dask.config before they are changed here)
import pytest
from cluster_helpers import clean, counts
from sqlalchemy import select

import enquiry.cluster
from enquiry.cluster import Cluster, ClusterUnavailable, Killed, open_cluster
from enquiry.intake.extract import Extraction
from enquiry.intake.pipeline import (
    IntakeOptions,
    _GivenUp,
    _Job,
    _reading_mark,
    _StoreOnly,
    _task_path,
    add_paths,
)
from enquiry.intake.walk import Entry
from enquiry.store import open_store
from enquiry.store.tables import Item

# The readers below are defined here, not in an installed module: Dask's workers get them by
# value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


class Slow:
    """A reader that takes its time on every file and notes, per file, the cluster worker (the
    parent of the reading process) it ran under; on ``POISON`` files it misbehaves as told."""

    name = "slow"

    def __init__(self, notes: Path, seconds: float = 0.4, poison: str = "") -> None:
        self.notes = notes
        self.seconds = seconds
        self.poison = poison

    def accepts(self, media_type: str, kind: str) -> bool:
        return True

    def extract(self, path: Path, media_type: str) -> Extraction:
        data = path.read_bytes()
        (self.notes / f"{path.name}.{os.getpid()}").write_text(str(os.getppid()))
        if data.startswith(b"POISON") and self.poison == "balloon":
            hoard = []
            for _ in range(64):  # 4 GB at most: a missing limit fails the test, not the host
                hoard.append(bytearray(64 * 1024 * 1024))
        if data.startswith(b"POISON") and self.poison == "kill-worker":
            os.kill(os.getppid(), signal.SIGKILL)  # the cluster worker itself, not the reader
            time.sleep(5)
        time.sleep(self.seconds)
        return Extraction(metadata={"bytes": len(data)})


def _files(folder: Path, count: int, poison: int | None = None) -> Path:
    folder.mkdir()
    for index in range(count):
        body = "POISON\n" if index == poison else f"statement {index}\n"
        (folder / f"f{index:02d}.txt").write_text(body, encoding="utf-8")
    return folder


@pytest.fixture
def local2(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    # A task is given up after its workers died more than three times, Dask's default and
    # what users run with. Not fewer: the tasks queued on a worker that dies count as
    # suspects too, so with one or two deaths a file is now and then blamed for its
    # neighbour's fault.
    allowed = getattr(request, "param", 3)
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": allowed}),
        open_cluster("local:2") as client,
    ):
        assert client is not None
        yield Cluster(client, "local:2")


@pytest.mark.slow
def test_a_worker_killed_mid_file_costs_nothing(
    local2: Cluster, home: Path, tmp_path: Path
) -> None:
    folder = _files(tmp_path / "in", 16)
    notes = tmp_path / "notes"
    notes.mkdir()
    killed: list[int] = []

    def kill_a_busy_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(notes.iterdir())) < 3:
            time.sleep(0.05)
        note = sorted(notes.iterdir())[-1]
        pid = int(note.read_text())
        os.kill(pid, signal.SIGKILL)  # the cluster worker; its reading child dies with it
        killed.append(pid)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    store = open_store(home, "tester")
    options = IntakeOptions(case="c", progress=False)
    report = add_paths(store, [folder], options, [Slow(notes)], cluster=local2)
    killer.join()
    pids = {int(p.read_text()) for p in notes.iterdir()}
    assert killed and killed[0] in pids and len(pids) >= 2  # one died, others took its work
    # The killed worker's files were read again elsewhere: every file is in, unflagged.
    assert report.count("stored") == 16 and not report.problems
    assert counts(home) == (16, 16)
    again = add_paths(store, [folder], options, [Slow(notes)], cluster=local2)
    assert again.count("unchanged") == 16 and counts(home) == (16, 16)
    clean(home)


def test_a_file_that_exhausts_memory_costs_its_reading_only(
    local2: Cluster, home: Path, tmp_path: Path
) -> None:
    folder = _files(tmp_path / "in", 6, poison=3)
    notes = tmp_path / "notes"
    notes.mkdir()
    store = open_store(home, "tester")
    options = IntakeOptions(case="c", progress=False, decode_mb=256)
    report = add_paths(
        store, [folder], options, [Slow(notes, 0.0, poison="balloon")], cluster=local2
    )
    assert report.count("stored") == 6
    assert report.problems == [
        f"{folder / 'f03.txt'}: needed more than 256 MB to read; stored without what its readers"
        " would have found"
    ]
    clean(home)


@pytest.mark.slow
def test_a_file_that_keeps_killing_workers_is_stored_unread(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _files(tmp_path / "in", 6, poison=1)
    notes = tmp_path / "notes"
    notes.mkdir()
    store = open_store(home, "tester")
    options = IntakeOptions(case="c", progress=False)
    reader = Slow(notes, 0.0, poison="kill-worker")
    # Now and then a LocalCluster whose workers were killed over and over does not bring them
    # back; the command then stops with one line after a while without workers, and running it
    # again finishes the work — what the line tells the user, so what is tested here too.
    monkeypatch.setattr(enquiry.cluster, "WORKERLESS_SECONDS", 30.0)
    stopped = []
    for _attempt in range(3):
        with (
            dask.config.set({"distributed.scheduler.allowed-failures": 3}),
            open_cluster("local:2") as client,
        ):
            assert client is not None
            try:
                add_paths(store, [folder], options, [reader], cluster=Cluster(client, "local:2"))
                break
            except ClusterUnavailable as exc:
                assert "no worker left" in str(exc)
                stopped.append(str(exc))
    else:
        raise AssertionError(f"the intake never finished: {stopped}")
    # Its chunk was tried file by file; only the file at fault went unread, and said so.
    with store.engine.connect() as connection:
        read = connection.execute(select(Item.original_name, Item.meta)).all()
    assert len(read) == 6
    assert {name for name, meta in read if "slow" in meta} == {
        f"f{i:02d}.txt" for i in range(6) if i != 1
    }
    problems = {name: (meta.get("intake") or {}).get("problems", []) for name, meta in read}
    assert problems["f01.txt"] == [
        "the cluster workers reading it kept dying; stored without what its readers would"
        " have found"
    ]
    assert all(not found for name, found in problems.items() if name != "f01.txt")
    clean(home)


def test_only_the_file_being_read_as_its_worker_died_is_stored_unread(home: Path) -> None:
    """A worker's death counts against every file it held, so the file at fault is told from
    the files queued beside it by the mark its readers leave while they run."""
    store = open_store(home, "tester")
    store.vault.ensure()
    job = _Job(store.vault, IntakeOptions(case="c", progress=False), (), run="r1", marked=True)
    given_up = _GivenUp(job)
    culprit, bystander = Entry(home / "poison.txt", 7), Entry(home / "fine.txt", 5)
    # A chunk is tried file by file.
    assert given_up(Killed([culprit, bystander], "died")) == ([[culprit], [bystander]], None)
    mark = _reading_mark(job, _task_path(culprit))
    mark.touch()  # as a reader does; a process that dies while reading leaves it
    replacements, _ = given_up(Killed([culprit], "died"))
    assert replacements is not None
    assert [type(task) for task in replacements[0]] == [_StoreOnly]
    assert not mark.exists()
    # Without a mark the file only sat beside the one at fault: it is tried again, once.
    assert given_up(Killed([bystander], "died")) == ([[bystander]], None)
    replacements, _ = given_up(Killed([bystander], "died"))
    assert replacements is not None
    assert [type(task) for task in replacements[0]] == [_StoreOnly]
    # Stored unread and still killing workers: named as not stored.
    settled, prepared = given_up(Killed(replacements[0], "died"))
    assert settled is None
    assert prepared is not None and prepared[0].rejected
    assert "not stored" in prepared[0].problems[0]
    clean(home)
