"""Turning the paths a user names into the files to take in, and naming what cannot be.

Folders are walked in a stable order, with a stack of their own rather than by recursion, so a
tree of any depth is walked (a folder nested thousands deep is a trick to crash a recursive
walker). A path the user names is taken wherever it leads; inside a folder, a symbolic link is
followed only when it leads somewhere inside that folder: a folder from an untrusted disk holding
``passwd -> /etc/passwd`` must not pull the reading machine's own files into the case. A folder
reached twice (a link loop) is reported once and not entered again. Anything that is not a
regular file (a FIFO, a socket, a device) is reported, never opened: opening a FIFO would block.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import unicodedata
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
    # (device, inode) of the file when it was listed: the file opened later to be stored must be
    # that one, not whatever (a link elsewhere, a FIFO) was put at its path in between.
    identity: tuple[int, int] | None = None


# The characters that printable shows escaped. Control characters: C0 (a newline forges a line,
# a carriage return or backspace hides what came before, ESC starts the sequences that colour,
# move the cursor over earlier lines, set the title, write the clipboard, make hyperlinks), DEL
# and C1 (0x9b is CSI on terminals that read 8-bit controls). Surrogates: undecodable bytes
# (surrogateescape) and halves that cannot even be encoded for output. Invisible format
# characters that make a line read otherwise than it is: the soft hyphen, zero-width space,
# joiners and word joiner, line and paragraph separators, the bidirectional embeddings,
# overrides and isolates, invisible operators, the byte-order mark, interlinear annotations,
# musical format controls, and the tag characters (invisible ASCII). Variation selectors and
# the zero-width (non-)joiners are matched too, but kept where a script or an emoji needs them
# (see _kept). Marks that right-to-left scripts need (U+061C, U+200E, U+200F) and visible
# format characters (the Arabic number signs, Egyptian and shorthand format controls) are not
# matched; neither are private-use or unassigned code points.
_ODD = re.compile(
    "(?P<flag>\U0001f3f4[\U000e0020-\U000e007e]{1,16}\U000e007f)"  # a subdivision flag
    "|[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufe00-\ufe0f\ufeff\ufff9-\ufffb\ud800-\udfff\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f\U000e0100-\U000e01ef]"
)
_JOINERS = "\u200c\u200d"
_INVISIBLE = frozenset(("Cc", "Cf", "Cs", "Zs", "Zl", "Zp"))


def _visible_letter(char: str) -> bool:
    """A character of a script or an emoji a joiner may stand beside: not ASCII (a joiner
    inside ``report.pdf`` is only there to make two names differ unseen), not itself
    invisible."""
    return char > "\x7f" and unicodedata.category(char) not in _INVISIBLE


def _kept(match: re.Match[str]) -> bool:
    """Whether a matched character is one a script or an emoji needs where it stands: a
    subdivision flag's tag sequence; a zero-width joiner or non-joiner between two letters of
    a script or two emoji (Persian, the Indic scripts, family and profession emoji); one
    variation selector after a visible character (emoji and text presentation). A run of
    selectors after one character is how text is hidden in an emoji: it is escaped."""
    if match.group("flag"):
        return True
    text, start = match.string, match.start()
    char = text[start]
    previous = text[start - 1] if start else ""
    if char in _JOINERS:
        following = text[start + 1 : start + 2]
        return bool(previous and following) and all(
            _visible_letter(c) for c in (previous, following)
        )
    if "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef":
        return bool(previous) and not (
            "\ufe00" <= previous <= "\ufe0f"
            or "\U000e0100" <= previous <= "\U000e01ef"
            or unicodedata.category(previous) in _INVISIBLE - {"Zs"}
        )
    return False


def _shown(char: str) -> str:
    """``char`` as Python writes it in a string literal, a byte of a name that was not UTF-8
    (kept by surrogateescape) as that byte."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def printable(text: str, *, multiline: bool = False, in_json: bool = False) -> str:
    """``text`` safe to print and to store, with whatever could attack or mislead a terminal
    shown as a visible escape (``\\x1b``, ``\\u202e``) so that a reader sees something odd is
    there: control characters (escape sequences, carriage returns, backspaces, C1 controls),
    undecodable bytes, and the invisible format characters with which ``report\\u202etxt.exe``
    shows as a text file's name or two names that differ look the same (see ``_ODD``). Text of
    any script, accents and emoji are unchanged. With ``multiline``, line feeds and tabs are
    kept, for a block of text (a document's extracted text) rather than one field of a line.
    Applying it twice gives what once did.

    With ``in_json``, ``text`` is JSON (``json.dumps(..., ensure_ascii=False)``) and the same
    characters are written as JSON ``\\uXXXX`` escapes, so that the JSON still decodes to the
    exact values: ``json.dumps`` escapes C0 controls but writes DEL, C1 controls (0x9b is
    CSI), the bidirectional overrides, zero-width and tag characters and lone surrogates raw,
    and they would reach the terminal of whoever reads ``--json`` output. A C0 control left in
    JSON text is its layout (every one inside a string was escaped) and is kept."""

    def shown(match: re.Match[str]) -> str:
        found = match.group()
        if _kept(match):
            return found
        if in_json:
            # \uXXXX (a surrogate pair beyond the BMP) as JSON writes it
            return found if found < "\x20" else json.dumps(found)[1:-1]
        if multiline and found in "\n\t":
            return found
        return _shown(found)

    return _ODD.sub(shown, text)


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
        yield from _walk_one(path, seen_dirs)


def _walk_one(top: Path, seen_dirs: set[tuple[int, int]]) -> Iterator[Entry]:
    """The files under one path the user named, depth first in sorted order."""
    found = _look(top, None, seen_dirs)
    if isinstance(found, Entry):
        yield found
        return
    root = os.path.realpath(top)
    stack: list[tuple[Path, Iterator[str]]] = [(top, iter(found))]
    while stack:
        folder, names = stack[-1]
        name = next(names, None)
        if name is None:
            stack.pop()
            continue
        path = folder / name
        found = _look(path, root, seen_dirs)
        if isinstance(found, Entry):
            yield found
        else:
            stack.append((path, iter(found)))


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _look(path: Path, root: str | None, seen_dirs: set[tuple[int, int]]) -> Entry | list[str]:
    """What ``path`` is: a file (or a problem) as an entry, or a folder as its sorted names.

    ``root`` is the real path of the folder the user named, for a path found inside it (None
    for a path the user named): a symbolic link there that leads outside it is not followed.
    """
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            if root is not None:
                target = os.path.realpath(path)
                if not _inside(target, root):
                    return Entry(
                        path,
                        problem=f"symbolic link to '{printable(target)}', outside the folder"
                        " given; not followed",
                    )
            info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Entry(path, problem="symbolic link loop")
        if path.is_symlink():
            return Entry(path, problem="broken symbolic link (its target does not exist)")
        return Entry(path, problem=describe_os_error(exc))
    if stat.S_ISDIR(info.st_mode):
        key = (info.st_dev, info.st_ino)
        if key in seen_dirs:
            return Entry(path, problem="symbolic link loop (folder already visited); skipped")
        seen_dirs.add(key)
        try:
            return sorted(os.listdir(path))
        except OSError as exc:
            return Entry(path, problem=f"folder cannot be read: {describe_os_error(exc)}")
    if not stat.S_ISREG(info.st_mode):
        return Entry(path, problem=f"{_kind_of(info.st_mode)}, not a regular file; skipped")
    return Entry(
        path, size=info.st_size, mtime_ns=info.st_mtime_ns, identity=(info.st_dev, info.st_ino)
    )
