"""Turning the paths a user names into the files to take in, and naming what cannot be.

Folders are walked recursively in a stable order. Symbolic links are followed, but a folder
reached twice (a link loop) is reported once and not entered again. Anything that is not a
regular file (a FIFO, a socket, a device) is reported, never opened: opening a FIFO would block.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from enquiry.store.vault import describe_os_error


@dataclass(frozen=True)
class Entry:
    """A file to take in, or a path that cannot be, with the reason."""

    path: Path
    size: int = 0
    mtime_ns: int = 0
    problem: str | None = None


def printable(text: str) -> str:
    """``text`` safe to print and to store: control characters and undecodable bytes escaped,
    and the bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069),
    with which ``report\u202etxt.exe`` shows as a text file's name in every listing. Marks that
    right-to-left scripts need (U+200E, U+200F, zero-width joiners) are kept."""
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not valid UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 32 or code == 127 or 0x80 <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


CASE_NAME_MAX = 200
"""The longest case name the catalogue holds (its column is 200 characters wide)."""


def case_name_problem(name: str) -> str | None:
    """Why ``name`` (stripped) cannot name a case, or None: empty, longer than the catalogue
    holds, or carrying control characters — a case's name is printed on its own line in
    listings and in every command's summary, where a newline in it would forge another line."""
    text = name.strip()
    if not text:
        return "a case must have a name"
    if len(text) > CASE_NAME_MAX:
        return f"{len(text)} characters; a case name has at most {CASE_NAME_MAX}"
    if printable(text) != text:
        return f"'{printable(text[:80])}': a case name may not hold control characters"
    return None


def name_problem(path: Path) -> str | None:
    """A note when a file's name holds control characters or bytes that are not UTF-8."""
    name = path.name
    if printable(name) != name:
        return f"name contains control characters or invalid UTF-8; recorded as '{printable(name)}'"
    return None


def _kind_of(mode: int) -> str:
    for test, label in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return label
    return "not a regular file"


def walk(paths: list[Path]) -> Iterator[Entry]:
    """Every file under ``paths`` (recursively), in sorted order, with problems as entries."""
    seen_dirs: set[tuple[int, int]] = set()
    for path in paths:
        yield from _visit(path, seen_dirs)


def _visit(path: Path, seen_dirs: set[tuple[int, int]]) -> Iterator[Entry]:
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            yield Entry(path, problem="symbolic link loop")
        elif path.is_symlink():
            yield Entry(path, problem="broken symbolic link (its target does not exist)")
        else:
            yield Entry(path, problem=describe_os_error(exc))
        return
    if stat.S_ISDIR(info.st_mode):
        key = (info.st_dev, info.st_ino)
        if key in seen_dirs:
            yield Entry(path, problem="symbolic link loop (folder already visited); skipped")
            return
        seen_dirs.add(key)
        try:
            names = sorted(os.listdir(path))
        except OSError as exc:
            yield Entry(path, problem=f"folder cannot be read: {describe_os_error(exc)}")
            return
        for name in names:
            yield from _visit(path / name, seen_dirs)
        return
    if not stat.S_ISREG(info.st_mode):
        yield Entry(path, problem=f"{_kind_of(info.st_mode)}, not a regular file; skipped")
        return
    yield Entry(path, size=info.st_size, mtime_ns=info.st_mtime_ns)
