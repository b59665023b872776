"""Losing the scheduler, or the coordinator (the process that started the command), in the
middle of ``enquiry add --cluster``: what was committed stays and verifies, and running the same
command again (on a new scheduler) completes the work without storing anything twice. Real
``dask scheduler`` / ``dask worker`` processes and a real LocalCluster, real SQLite.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from cluster_helpers import clean, counts, run_here
from PIL import Image
from sqlalchemy import select

from enquiry.cluster import ClusterUnavailable, parse_address
from enquiry.store import open_store
from enquiry.store.tables import Item

# Enough photos that reading them (metadata, perceptual hashes) outlasts the first batch the
# coordinator commits (a batch is at most a second of results): there is a middle to be cut.
PHOTOS = 80


def _photos(folder: Path) -> Path:
    """Photos enough that reading them takes a few seconds on two workers."""
    folder.mkdir()
    noise = np.random.default_rng(7)
    for index in range(PHOTOS):
        pixels = noise.integers(0, 255, (900, 1200, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / f"p{index:02d}.jpg", quality=85)
    return folder


def _wait_for_first_commit(home: Path, command: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and command.poll() is None:
        if (home / "enquiry.db").exists() and counts(home)[1] > 0:
            return
        time.sleep(0.1)
    raise AssertionError(f"nothing committed before the command ended ({command.poll()})")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Dask:
    """A ``dask scheduler`` and one ``dask worker`` as separate processes, as on a team's
    machines (here all on this one, sharing its filesystem)."""

    def __init__(self, log: Path) -> None:
        port = _free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        bin_dir = Path(sys.executable).parent
        out = log.open("ab")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        self.scheduler = subprocess.Popen(
            [bin_dir / "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--no-dashboard"],
            stdout=out, stderr=out, env=env,
        )  # fmt: skip
        self.worker = subprocess.Popen(
            [bin_dir / "dask", "worker", self.address, "--nthreads", "1", "--nworkers", "1",
             "--no-dashboard"],
            stdout=out, stderr=out, env=env,
        )  # fmt: skip

    def stop(self) -> None:
        for process in (self.worker, self.scheduler):
            if process.poll() is None:
                process.kill()
            process.wait()


def _add(home: Path, folder: Path, cluster: str) -> list[str]:
    return [sys.executable, "-m", "enquiry.cli", "--home", str(home), "add", str(folder),
            "--case", "c", "--cluster", cluster]  # fmt: skip


def _complete(home: Path) -> None:
    """Every photo in once, read once (metadata and hashes), and the whole store verifies."""
    assert counts(home) == (PHOTOS, PHOTOS)
    store = open_store(home, "tester")
    with store.engine.connect() as connection:
        metas = connection.execute(select(Item.meta)).scalars().all()
    store.engine.dispose()
    assert all("photo" in meta and "pdq" in meta for meta in metas), metas
    clean(home)


@pytest.mark.slow
def test_the_scheduler_lost_then_a_new_one(home: Path, tmp_path: Path) -> None:
    folder = _photos(tmp_path / "in")
    cluster = _Dask(tmp_path / "dask.log")
    try:
        command = subprocess.Popen(
            _add(home, folder, cluster.address), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        _wait_for_first_commit(home, command)
        cluster.scheduler.kill()
        _out, err = command.communicate(timeout=120)
    finally:
        cluster.stop()
    lines = [line for line in err.splitlines() if line.strip()]
    assert command.returncode == ClusterUnavailable.exit_code, err
    # A line saying the scheduler is in the clear (before any work), then the one that says
    # what went wrong.
    assert len(lines) == 2, err
    assert lines[0] == f"enquiry: {parse_address(cluster.address).exposure}"
    assert lines[1].startswith(f"enquiry: --cluster {cluster.address}: the cluster's scheduler")
    assert "run the same command again" in lines[1]
    kept = counts(home)
    assert 0 < kept[0] < PHOTOS and kept[0] == kept[1]  # what was committed stays, whole
    clean(home)
    fresh = _Dask(tmp_path / "dask2.log")
    try:
        done = subprocess.run(
            _add(home, folder, fresh.address), capture_output=True, text=True, timeout=240
        )
    finally:
        fresh.stop()
    assert done.returncode == 0, done.stderr
    assert f"{kept[0]} unchanged" in done.stdout
    _complete(home)


@pytest.mark.slow
def test_the_coordinator_killed_then_run_again(home: Path, tmp_path: Path) -> None:
    folder = _photos(tmp_path / "in")
    command = subprocess.Popen(
        _add(home, folder, "local:2"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        text=True, start_new_session=True,
    )  # fmt: skip
    _wait_for_first_commit(home, command)
    command.send_signal(signal.SIGKILL)
    command.wait()
    # Its LocalCluster's processes (and their reading children) end with it.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.killpg(command.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("the killed command's cluster processes are still running")
    kept = counts(home)
    assert 0 < kept[0] < PHOTOS and kept[0] == kept[1]
    clean(home)
    done = run_here(home, "add", str(folder), "--case", "c", "--cluster", "local:2")
    assert done.returncode == 0, done.stderr
    assert f"{kept[0]} unchanged" in done.stdout
    _complete(home)
