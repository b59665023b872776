"""Every reader runs in a worker under a time and a memory limit; workers die with their parent.

The hostile readers here are real: one loops forever, one in native code (``time.sleep`` holds no
Python frame that a watchdog thread could interrupt), one allocates without end. Each is handed
to intake the way the real readers are, so what is tested is the limit mechanism itself.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from enquiry.intake.extract import Extraction
from enquiry.intake.pipeline import (
    IntakeError,
    IntakeOptions,
    add_bytes,
    add_paths,
    decode_limits,
)
from enquiry.store import open_store
from enquiry.store.verify import verify

ENQUIRY = [sys.executable, "-m", "enquiry.cli"]


class Hostile:
    """A reader that misbehaves on files starting with ``trigger`` and reads the rest."""

    name = "hostile"

    def __init__(self, how: str, report_to: Path | None = None) -> None:
        self.how = how
        self.report_to = report_to

    def accepts(self, media_type: str, kind: str) -> bool:
        return True

    def extract(self, path: Path, media_type: str) -> Extraction:
        if not path.read_bytes().startswith(b"HOSTILE"):
            return Extraction(metadata={"read": True})
        if self.how == "loop":
            while True:
                pass
        if self.how == "native":
            time.sleep(3600)
        if self.how == "balloon":
            hoard = []
            for _ in range(64):  # 4 GB at most, so a missing limit fails the test, not the host
                hoard.append(bytearray(64 * 1024 * 1024))
            raise AssertionError("4 GB allocated: no memory limit applied")
        if self.how == "parent" and self.report_to is not None:
            # Reports its pid, then works as long as it is let.
            self.report_to.write_text(str(os.getpid()))
            time.sleep(3600)
        raise AssertionError(self.how)


def _folder(tmp_path: Path, count: int = 12) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(count):
        (folder / f"f{index:02d}.txt").write_text(f"statement {index}\n", encoding="utf-8")
    (folder / "m-hostile.txt").write_text("HOSTILE\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("how", ["loop", "native"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_reader_that_never_ends_is_stopped_and_named(
    home: Path, tmp_path: Path, how: str, jobs: int
) -> None:
    folder = _folder(tmp_path)
    store = open_store(home, "tester")
    options = IntakeOptions(case="c", jobs=jobs, progress=False, decode_seconds=1)
    started = time.monotonic()
    report = add_paths(store, [folder], options, [Hostile(how)])
    assert time.monotonic() - started < 30
    assert report.problems == [
        f"{folder / 'm-hostile.txt'}: took longer than 1 s to read; stored without what its"
        " readers would have found"
    ]
    assert report.count("stored") == 13 and report.failed
    assert all(r.item_id for r in report.results)
    checked = verify(store)
    assert checked.intact, checked.failures


def test_a_reader_that_balloons_is_refused_memory_and_named(home: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    store = open_store(home, "tester")
    options = IntakeOptions(case="c", jobs=2, progress=False, decode_mb=300)
    report = add_paths(store, [folder], options, [Hostile("balloon")])
    assert report.problems == [
        f"{folder / 'm-hostile.txt'}: needed more than 300 MB to read; stored without what its"
        " readers would have found"
    ]
    assert report.count("stored") == 13
    assert verify(store).intact


def test_content_taken_in_as_bytes_is_read_under_the_same_limits(home: Path) -> None:
    store = open_store(home, "tester")
    options = IntakeOptions(case="c", progress=False, decode_seconds=0.5)
    report = add_bytes(
        store, b"HOSTILE feed entry\n", "https://example.org/1", options, [Hostile("loop")]
    )
    assert report.results[0].status == "stored"
    assert report.problems == [
        "https://example.org/1: took longer than 0.5 s to read; stored without what its"
        " readers would have found"
    ]
    assert os.getpid() == os.getpid()  # the main process survived the loop to get here
    assert verify(store).intact


def test_limits_come_from_the_options_the_environment_or_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ENQUIRY_DECODE_SECONDS", raising=False)
    monkeypatch.delenv("ENQUIRY_DECODE_MB", raising=False)
    assert decode_limits(IntakeOptions(case="c")) == (120.0, 2048)
    monkeypatch.setenv("ENQUIRY_DECODE_SECONDS", "7.5")
    monkeypatch.setenv("ENQUIRY_DECODE_MB", "512")
    assert decode_limits(IntakeOptions(case="c")) == (7.5, 512)
    assert decode_limits(IntakeOptions(case="c", decode_seconds=3, decode_mb=64)) == (3.0, 64)
    monkeypatch.setenv("ENQUIRY_DECODE_MB", "lots")
    with pytest.raises(IntakeError, match="ENQUIRY_DECODE_MB='lots' is not a number"):
        decode_limits(IntakeOptions(case="c"))


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("ENQUIRY_DECODE_MB", "1e400", "must be at most 1,073,741,824"),
        ("ENQUIRY_DECODE_MB", "inf", "must be at most 1,073,741,824"),
        ("ENQUIRY_DECODE_MB", "nan", "must be positive"),
        ("ENQUIRY_DECODE_SECONDS", "inf", "must be at most 1,000,000"),
        ("ENQUIRY_DECODE_SECONDS", "1e300", "must be at most 1,000,000"),
        ("ENQUIRY_DECODE_SECONDS", "-nan", "must be positive"),
        ("ENQUIRY_DECODE_SECONDS", "0", "must be positive"),
    ],
)
def test_a_limit_no_timer_or_kernel_can_take_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, text: str, said: str
) -> None:
    """ "1e400" megabytes reached ``int()`` as infinity (a traceback), "nan" passed as
    positive, and eleven days or more is no limit: each is named with the variable instead."""
    monkeypatch.delenv("ENQUIRY_DECODE_SECONDS", raising=False)
    monkeypatch.delenv("ENQUIRY_DECODE_MB", raising=False)
    monkeypatch.setenv(name, text)
    with pytest.raises(IntakeError) as caught:
        decode_limits(IntakeOptions(case="c"))
    assert str(caught.value) == f"{name}={text!r} {said}"


def test_the_command_line_names_the_file_and_goes_on(home: Path, tmp_path: Path) -> None:
    folder = _folder(tmp_path, count=3)
    # A real decoder given a file it must give up on within a tiny time: the limit applies to
    # the real readers the command line hands to intake.
    env = {**os.environ, "ENQUIRY_DECODE_SECONDS": "0.000001"}
    done = subprocess.run(
        [*ENQUIRY, "--home", str(home), "add", str(folder), "--case", "c"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    named = [line for line in done.stderr.splitlines() if "took longer than 1e-06 s" in line]
    assert len(named) == 4, done.stderr
    assert "4 stored" in done.stdout


def test_an_oversized_picture_is_named_in_one_line_without_a_python_warning(
    home: Path, tmp_path: Path
) -> None:
    """Past Pillow's pixel limit (but under twice it, where Pillow only warns) the readers name
    the picture themselves; Pillow's warning, with its source path, must not reach the user."""
    from PIL import Image

    picture = tmp_path / "huge.png"
    Image.new("1", (12_000, 12_000), 0).save(picture)  # 144 million pixels in 17 KB
    done = subprocess.run(
        [*ENQUIRY, "--home", str(home), "add", str(picture), "--case", "c"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Warning" not in done.stderr and "warnings.warn" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "huge.png" in lines[0], done.stderr
    assert "decompression bomb suspected" in lines[0]
    assert "1 stored" in done.stdout
    # read in the command's own process, as a picture to match is
    matched = subprocess.run(
        [*ENQUIRY, "--home", str(home), "media", "match", str(picture)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Warning" not in matched.stderr and "warnings.warn" not in matched.stderr
    assert len(matched.stderr.splitlines()) == 1 and "huge.png" in matched.stderr


def _children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (read from /proc, as ps would)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
def test_workers_end_with_their_parent_even_on_kill_9(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(400):
        (folder / f"f{index:03d}.txt").write_text(f"statement {index}\n" * 50, encoding="utf-8")
    script = tmp_path / "run_add.py"
    # The intake runs with a reader that hangs on one file, so workers are surely alive (one
    # busy in native code) when the parent is killed.
    (folder / "zz-hostile.txt").write_text("HOSTILE\n", encoding="utf-8")
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from pathlib import Path\n"
        "from test_decoder_limits import Hostile\n"
        "from enquiry.intake.pipeline import IntakeOptions, add_paths\n"
        "from enquiry.store import open_store\n"
        f"store = open_store(Path({str(tmp_path / 'home')!r}), 'tester')\n"
        f"add_paths(store, [Path({str(folder)!r})],"
        " IntakeOptions(case='c', jobs=2, progress=False),"
        f" [Hostile('parent', Path({str(tmp_path / 'reader.pid')!r}))])\n",
        encoding="utf-8",
    )
    parent = subprocess.Popen([sys.executable, str(script)])
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "reader.pid").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (tmp_path / "reader.pid").exists(), "the intake never reached the hostile file"
        workers = _children(parent.pid)
        assert int((tmp_path / "reader.pid").read_text()) in workers and workers
    finally:
        _kill_and_expect_no_survivors(parent, workers)


def _kill_and_expect_no_survivors(parent: subprocess.Popen[bytes], workers: set[int]) -> None:
    """kill -9 the parent; every worker seen must be gone within a few seconds."""
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)], "workers outlived their parent"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
def test_enquiry_add_killed_leaves_no_worker_behind(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(3000):
        (folder / f"f{index:04d}.txt").write_text(f"statement {index}\n", encoding="utf-8")
    command = [*ENQUIRY, "--home", str(tmp_path / "home"), "add", str(folder), "--case", "c"]
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while not workers and time.monotonic() < deadline and parent.poll() is None:
            workers = _children(parent.pid)
            time.sleep(0.01)
        assert workers, "no worker process was seen"
    finally:
        _kill_and_expect_no_survivors(parent, workers)


def test_a_file_taken_in_inside_a_larger_transaction_is_read_under_the_limits(
    home: Path, tmp_path: Path
) -> None:
    from enquiry.intake.pipeline import add_within

    hostile = tmp_path / "attachment.txt"
    hostile.write_text("HOSTILE attachment\n", encoding="utf-8")
    store = open_store(home, "tester")
    options = IntakeOptions(case="c", progress=False, decode_seconds=0.5)
    with store.writing() as (connection, writer):
        store.ensure_case(connection, writer, "c")
        result = add_within(
            connection, writer, store, hostile, "attachment.txt", options, [Hostile("native")]
        )
    assert result.status == "stored" and result.item_id is not None
    assert result.problems == [
        "took longer than 0.5 s to read; stored without what its readers would have found"
    ]
    assert verify(store).intact
