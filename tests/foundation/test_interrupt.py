"""An intake killed midway (kill -9 or Ctrl-C) leaves a consistent store; a re-run completes it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import runner_for

ENQUIRY = [sys.executable, "-m", "enquiry.cli"]
# Enough files that the intake is still running when it is interrupted after its 50th event.
FILES = 800


def _events(home: Path) -> int:
    try:
        with sqlite3.connect(home / "enquiry.db", timeout=30) as db:
            return int(db.execute("SELECT count(*) FROM custody_events").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _many_files(root: Path, count: int) -> Path:
    root.mkdir()
    for index in range(count):
        (root / f"f{index:05d}.txt").write_text(
            f"file {index} " + "x" * (index % 97), encoding="utf-8"
        )
    return root


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ENQUIRY, "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_intake_is_consistent_and_a_rerun_completes_it(
    tmp_path: Path, sig: signal.Signals
) -> None:
    home = tmp_path / "home"
    root = _many_files(tmp_path / "in", FILES)
    process = subprocess.Popen(
        [*ENQUIRY, "--home", str(home), "add", str(root), "--case", "ks", "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while _events(home) < 50 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert process.poll() is None, "intake finished before it could be interrupted"
    os.killpg(process.pid, sig)
    _out, err = process.communicate(timeout=120)
    if sig == signal.SIGINT:
        assert process.returncode == 130, err
        assert "interrupted" in err
    else:
        assert process.returncode == -signal.SIGKILL
    partial = _events(home)
    assert 0 < partial < FILES + 1
    runner_for(home)("verify")
    rerun = _run(home, "add", str(root), "--case", "ks")
    assert rerun.returncode == 0, rerun.stderr
    runner_for(home)("verify")
    log = json.loads(runner_for(home)("log", "--json").stdout)
    received = [e for e in log if e["action"] == "received"]
    assert len(received) == FILES
    assert len({e["item"] for e in received}) == FILES


@pytest.mark.slow
def test_two_intakes_at_once_share_one_unbroken_chain(tmp_path: Path, backend: str) -> None:
    home = tmp_path / "home"
    first = _many_files(tmp_path / "a", 500)
    second = _many_files(tmp_path / "b", 500)
    for path in second.iterdir():
        path.write_text("other " + path.read_text(encoding="utf-8"), encoding="utf-8")
    env = dict(os.environ)
    runs = [
        subprocess.Popen(
            [*ENQUIRY, "--home", str(home), "add", str(folder), "--case", "ks", "-j", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for folder in (first, second)
    ]
    for process in runs:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    runner_for(home)("verify")
    log = json.loads(runner_for(home)("log", "--json").stdout)
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    assert sum(1 for e in log if e["action"] == "received") == 1000
    assert sum(1 for e in log if e["action"] == "created") == 1


@pytest.mark.slow
def test_the_same_files_added_twice_at_once_are_stored_once(tmp_path: Path, backend: str) -> None:
    home = tmp_path / "home"
    folder = _many_files(tmp_path / "a", 1000)
    runs = [
        subprocess.Popen(
            [*ENQUIRY, "--home", str(home), "add", str(folder), "--case", "ks", "-j", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in runs:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    runner_for(home)("verify")
    log = json.loads(runner_for(home)("log", "--json").stdout)
    received = [e for e in log if e["action"] == "received"]
    assert len(received) == 1000
    assert len({e["item"] for e in received}) == 1000
