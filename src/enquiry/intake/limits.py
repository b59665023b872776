"""Reading hostile files safely: decoders run in a child process under a time and memory limit.

A file can be built to make a decoder (FFmpeg, Pillow, a PDF or HTML parser) loop for ever or
allocate without end, often inside native code that never returns to Python. The only limits
that hold there are the kernel's: SIGALRM with its default action ends the process wherever it
is, and an address-space limit makes the allocation fail. So every reading of an original —
at intake (in the intake workers) and afterwards (an enricher run again, ``media hash``) — happens
in a process that may die, and whoever started it names the file and goes on.
"""

from __future__ import annotations

import ctypes
import math
import multiprocessing
import os
import resource
import signal
import sys
import warnings
from collections.abc import Callable
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, TypeVar

from enquiry.errors import EnquiryError

DECODE_SECONDS = 120.0
DECODE_MB = 2048

_PR_SET_PDEATHSIG = 1

T = TypeVar("T")


class LimitExceeded(EnquiryError):
    """A reader took longer, or needed more memory, than a file is allowed; or it crashed."""


# The largest limits the environment may set: beyond them a timer or the kernel's memory limit
# cannot take the value (eleven days of decoding, or a pebibyte of memory, is no limit anyway).
MOST_SECONDS = 1e6
MOST_MB = 2**30


def env_number(name: str, default: float, most: float = math.inf) -> float:
    """A positive number from the environment, no larger than ``most``, or ``default`` when
    the variable is unset. "nan", "inf" and the like are refused with the rest: they would
    reach a timer or ``setrlimit`` as a value it cannot take."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise EnquiryError(f"{name}={text!r} is not a number") from None
    if not value > 0:  # also nan
        raise EnquiryError(f"{name}={text!r} must be positive")
    if not value <= most:  # also inf
        raise EnquiryError(f"{name}={text!r} must be at most {most:,.0f}")
    return value


def limits(seconds: float | None = None, megabytes: int | None = None) -> tuple[float, int]:
    """The time (seconds) and memory (MB) one file's readers may take: those given, else
    ``ENQUIRY_DECODE_SECONDS`` / ``ENQUIRY_DECODE_MB``, else 120 s and 2048 MB."""
    if seconds is None:
        seconds = env_number("ENQUIRY_DECODE_SECONDS", DECODE_SECONDS, MOST_SECONDS)
    if megabytes is None:
        megabytes = int(env_number("ENQUIRY_DECODE_MB", DECODE_MB, MOST_MB))
    return float(seconds), int(megabytes)


def address_space() -> int:
    """This process's mapped address space in bytes (what RLIMIT_AS counts)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def limit_memory(megabytes: int) -> None:
    """Let this process map at most ``megabytes`` more than it holds now: enough for any honest
    reader, too little for one that balloons (its allocation then fails)."""
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    ceiling = address_space() + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies, even by ``kill -9``."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # The parent may have died before the request was made: then nobody would send the signal.
    if os.getppid() != parent:
        os._exit(1)


def exit_reason(code: int) -> str:
    """How a child process ended, in words."""
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def quiet_decoders() -> None:
    """Silence the warnings Pillow prints about a picture it reads, in a reading process.

    Each reader checks a picture's size itself and names an oversized one in its problems, in
    one line; Pillow's warning would add a second, with a source path, on standard error. An
    image past twice the limit still raises Pillow's error, which the readers catch. Pillow also
    warns as it reads a damaged TIFF or EXIF block ("Tag data larger than file", "Corrupt EXIF
    data"): lines that name neither the file nor anything to do, a Python source path instead,
    written among the lines that name the files. A hostile file could print dozens of them.
    """
    warnings.filterwarnings("ignore", message=r"Image size \(\d+ pixels\) exceeds limit")
    warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL(\.|$)")


# Formats Pillow reads by running another program: EPS is rendered by Ghostscript, a program
# with a long record of flaws a crafted file can exploit. Evidence is never handed to it.
EXTERNAL_PICTURE_FORMATS = frozenset({"EPS"})


def open_picture(path: Path | str) -> Any:
    """Pillow's ``Image.open`` for evidence: any format Pillow decodes itself, none it hands to
    another program (:data:`EXTERNAL_PICTURE_FORMATS`); such a file is not identified as a
    picture (``UnidentifiedImageError``), as if Pillow did not know it."""
    from PIL import Image

    Image.init()
    allowed = [name for name in Image.OPEN if name not in EXTERNAL_PICTURE_FORMATS]
    return Image.open(path, formats=allowed)


def _child(
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    seconds: float,
    megabytes: int,
    conn: Any,
    parent: int,
) -> None:
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    quiet_decoders()
    limit_memory(megabytes)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        outcome: tuple[str, Any] = ("ok", fn(*args))
    except MemoryError:
        outcome = ("error", f"needed more than {megabytes} MB to read")
    except Exception as exc:  # the caller decides what a failed reading means
        outcome = ("error", f"{type(exc).__name__}: {exc}"[:300])
    signal.setitimer(signal.ITIMER_REAL, 0)
    conn.send(outcome)
    conn.close()
    os._exit(0)


def run_limited(fn: Callable[..., T], *args: Any, seconds: float, megabytes: int) -> T:
    """``fn(*args)`` in a forked child under the limits; its (picklable) result comes back.

    Raises :class:`LimitExceeded` naming the limit when the child is ended by its clock, runs
    out of memory or dies; an exception inside ``fn`` comes back as one too, with its words.
    """
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(fn, args, seconds, megabytes, theirs, os.getpid()), daemon=True
    )
    process.start()
    theirs.close()
    try:
        outcome: tuple[str, Any] | None = None
        while outcome is None:
            ready = wait([ours, process.sentinel])
            if ours in ready:
                try:
                    outcome = ours.recv()
                except EOFError:
                    break
            elif process.sentinel in ready:
                break
        process.join()
    finally:
        if process.is_alive():
            process.kill()
            process.join()
        ours.close()
    if outcome is None:
        code = process.exitcode or 0
        if code == -signal.SIGALRM:
            raise LimitExceeded(f"took longer than {seconds:g} s to read")
        raise LimitExceeded(f"its reader crashed ({exit_reason(code)})")
    status, value = outcome
    if status != "ok":
        raise LimitExceeded(str(value))
    result: T = value
    return result
