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


def _hear_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupted(home: Path, root: Path, sig: signal.Signals) -> tuple[int, str] | None:
    """Start an intake of ``root``, send ``sig`` once it has written 50 events, and return its
    exit status and standard error; None when the signal came too late (every file was
    already committed), so that nothing was interrupted."""
    process = subprocess.Popen(
        [*ENQUIRY, "--home", str(home), "add", str(root), "--case", "ks", "--jobs", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # A shell without job control starts background commands with Ctrl-C ignored, and an
        # ignored signal stays ignored across exec: the intake must hear it as a user's would.
        preexec_fn=_hear_ctrl_c,
    )
    deadline = time.monotonic() + 120
    while _events(home) < 50 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert process.poll() is None, "intake finished before it could be interrupted"
    os.killpg(process.pid, sig)
    _out, err = process.communicate(timeout=120)
    finished = process.returncode == 0 and "interrupted" not in err
    if finished or _events(home) > FILES:  # every file committed: nothing was interrupted
        return None
    return process.returncode, err


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_intake_is_consistent_and_a_rerun_completes_it(
    tmp_path: Path, sig: signal.Signals
) -> None:
    root = _many_files(tmp_path / "in", FILES)
    # The files are read faster than they are written, in batches of up to 500: on a busy
    # machine the 50th event can be seen only once the last batch is being written, and a
    # signal that lands after it interrupts nothing. Such a run is tried again.
    for attempt in range(3):
        home = tmp_path / f"home{attempt}"
        outcome = _interrupted(home, root, sig)
        if outcome is not None:
            break
    assert outcome is not None, "three intakes finished before the signal reached them"
    returncode, err = outcome
    if sig == signal.SIGINT:
        assert returncode == 130, err
        assert "interrupted" in err
    else:
        assert returncode == -signal.SIGKILL
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
