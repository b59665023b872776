"""Turning the paths a user names into the files to take in, and naming what cannot be.

Folders are walked in a stable order, with a stack of their own rather than by recursion, so a
tree of any depth is walked (a folder nested thousands deep is a trick to crash a recursive
walker). A path the user names is taken wherever it leads; inside a folder, a symbolic link is
followed only when it leads somewhere inside that folder: a folder from an untrusted disk holding
``passwd -> /etc/passwd`` must not pull the reading machine's own files into the case. A folder
reached twice (a link loop) is reported once and not entered again. Anything that is not a
regular file (a FIFO, a socket, a device) is reported, never opened: opening a FIFO would block.

Whoever controls the folder may change it while it is walked. Checking that a sub-folder is not
a link and then listing it by path would let them swap it for a link to /etc in between, so
every folder under the one named is opened by its name in its already open parent, refusing a
link (``_FOLDER``), and listed and looked into through that descriptor: what is listed is
provably inside the folder given. A link inside is judged by where it leads, resolved by path;
what it leads to is then opened from the folder named, by the resolved names, refusing links on
the way. Files are opened later, by path, by :meth:`~enquiry.store.vault.Vault.put_file`, which
checks they are the very file (device and inode) listed here.
"""

from __future__ import annotations

import contextlib
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
    listings and in every command's summary, where a newline in it would forge another line —
    or ``.`` or ``..``, which no web address can reach."""
    text = name.strip()
    if not text:
        return "a case must have a name"
    if len(text) > CASE_NAME_MAX:
        return f"{len(text)} characters; a case name has at most {CASE_NAME_MAX}"
    if printable(text) != text:
        return f"'{printable(text[:80])}': a case name may not hold control characters"
    if text in (".", ".."):
        # browsers and HTTP clients resolve such a segment away: no address could reach it
        return f"'{text}': a case may not be called '.' or '..'"
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


# A folder is opened by its name in a folder already open, never by a path, and never through
# a symbolic link: what is listed is then provably inside the folder given, even if someone
# swaps a sub-folder for a link to /etc between the look at it and the listing.
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC

OPEN_FOLDERS = 64
"""The most folders a walk holds open at once: a tree deep and wide at every level would
otherwise need a descriptor per level, past the process's limit. Folders further up are closed
and opened again, checked to be the same folder, when the walk comes back to them."""


class _Replaced(Exception):
    """A folder opened again is not the folder the walk listed: it was swapped meanwhile."""


class _Place:
    """A folder the walk opened, and how to open it again: by ``route``, names opened one at a
    time without following links, from the folder ``parent``; it must then be ``identity``."""

    __slots__ = ("fd", "identity", "parent", "route")

    def __init__(
        self,
        parent: _Place | None,
        route: tuple[str, ...],
        identity: tuple[int, int],
        fd: int | None,
    ) -> None:
        self.parent = parent
        self.route = route
        self.identity = identity
        self.fd = fd


@dataclass
class _Frame:
    """A folder being walked: its path as shown, where it is, its sorted names, the next one."""

    path: Path
    place: _Place
    names: list[str]
    at: int = 0


def _open_route(fd: int, route: tuple[str, ...]) -> int:
    """A new descriptor for the folder reached from ``fd`` by ``route``, one name at a time:
    ELOOP or ENOTDIR where any of them is (now) a link or not a folder."""
    current = fd
    try:
        for name in route:
            following = os.open(name, _FOLDER, dir_fd=current)
            if current != fd:
                os.close(current)
            current = following
    except BaseException:
        if current != fd:
            os.close(current)
        raise
    return current


def _file_entry(path: Path, info: os.stat_result) -> Entry:
    if not stat.S_ISREG(info.st_mode):
        return Entry(path, problem=f"{_kind_of(info.st_mode)}, not a regular file; skipped")
    return Entry(
        path, size=info.st_size, mtime_ns=info.st_mtime_ns, identity=(info.st_dev, info.st_ino)
    )


def _link_problem(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if path.is_symlink():
        return "broken symbolic link (its target does not exist)"
    return describe_os_error(exc)


def _walk_one(top: Path, seen_dirs: set[tuple[int, int]]) -> Iterator[Entry]:
    """The files under one path the user named, depth first in sorted order.

    The path itself is taken wherever it leads; everything under it is reached from the folder
    it opened, by name (see ``_FOLDER``)."""
    try:
        info = os.stat(top)
    except OSError as exc:
        yield Entry(top, problem=_link_problem(top, exc))
        return
    if not stat.S_ISDIR(info.st_mode):
        yield _file_entry(top, info)
        return
    try:
        fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        yield Entry(top, problem=f"folder cannot be read: {describe_os_error(exc)}")
        return
    try:
        opened = os.fstat(fd)
        key = (opened.st_dev, opened.st_ino)
        if key in seen_dirs:
            yield Entry(top, problem="symbolic link loop (folder already visited); skipped")
            return
        seen_dirs.add(key)
        # Links inside are judged by where they lead, against the folder's real path: it must
        # be the folder opened.
        root = os.path.realpath(top)
        if _identity_of(root) != key:
            yield Entry(top, problem="folder replaced while being walked; not read")
            return
        try:
            names = sorted(os.listdir(fd))
        except OSError as exc:
            yield Entry(top, problem=f"folder cannot be read: {describe_os_error(exc)}")
            return
        walk_ = _Walk(root, _Place(None, (), key, fd), seen_dirs)
        yield from walk_.entries(_Frame(top, walk_.top, names))
    finally:
        os.close(fd)


def _identity_of(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _reopen_problem(exc: Exception) -> str:
    """Why a folder the walk closed cannot be opened again to walk the rest of it."""
    if isinstance(exc, OSError) and exc.errno not in (errno.ELOOP, errno.ENOTDIR, errno.ENOENT):
        return f"folder cannot be read again: {describe_os_error(exc)}; the rest of it not read"
    return "folder replaced while being walked; the rest of it not read"


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


class _Walk:
    """The walk of one folder the user named, with a stack of its own (no recursion).

    Folders on the stack hold a descriptor each, for their names not yet looked at; only the
    ``OPEN_FOLDERS`` nearest the top do, the ones below are closed and opened again (through
    their own ``_Place``) when the walk returns to them. A folder with no names left is taken
    off the stack before its last sub-folder is walked, so a chain of folders nested thousands
    deep keeps one or two open."""

    def __init__(self, root: str, top: _Place, seen_dirs: set[tuple[int, int]]) -> None:
        self.root = root
        self.top = top
        self.seen_dirs = seen_dirs
        self.stack: list[_Frame] = []
        self.lowest_open = 1  # stack[lowest_open:] are open; stack[0] is the top, always open

    def entries(self, first: _Frame) -> Iterator[Entry]:
        stack = self.stack
        stack.append(first)
        try:
            while stack:
                frame = stack[-1]
                if frame.at == len(frame.names):
                    self._pop()
                    continue
                try:
                    fd = self._fd(len(stack) - 1)
                except (OSError, _Replaced) as exc:
                    yield Entry(frame.path, problem=_reopen_problem(exc))
                    self._pop()
                    continue
                name = frame.names[frame.at]
                frame.at += 1
                found = self._look(frame, fd, name)
                if isinstance(found, Entry):
                    yield found
                    continue
                if frame.at == len(frame.names) and len(stack) > 1:
                    self._pop()
                stack.append(found)
                if len(stack) - self.lowest_open > OPEN_FOLDERS:
                    self._close(stack[self.lowest_open])
                    self.lowest_open += 1
        finally:
            while stack:
                self._pop()

    def _close(self, frame: _Frame) -> None:
        place = frame.place
        if place is not self.top and place.fd is not None:
            os.close(place.fd)
            place.fd = None

    def _pop(self) -> None:
        self._close(self.stack.pop())
        self.lowest_open = min(self.lowest_open, max(len(self.stack), 1))

    def _fd(self, index: int) -> int:
        """The descriptor of the folder at ``stack[index]``, opening it again (and the folders
        just below it on the stack, the next ones the walk returns to) if it was closed."""
        place = self.stack[index].place
        if place.fd is not None:
            return place.fd
        lowest = max(1, index - OPEN_FOLDERS // 2)
        for below in range(lowest, index):
            # ahead of need; one that fails is named when the walk returns to it
            with contextlib.suppress(OSError, _Replaced):
                self._reopen(self.stack[below].place)
        fd = self._reopen(place)
        self.lowest_open = lowest
        return fd

    def _reopen(self, place: _Place) -> int:
        """Open ``place`` again from its nearest open ancestor, checking that every folder on
        the way is the one listed (raises ``_Replaced``, or OSError for a link or a file)."""
        chain: list[_Place] = []
        ancestor: _Place | None = place
        while ancestor is not None and ancestor.fd is None:
            chain.append(ancestor)
            ancestor = ancestor.parent
        if ancestor is None or ancestor.fd is None:
            raise _Replaced
        fd = ancestor.fd
        opened: list[int] = []
        try:
            for step in reversed(chain):
                fd = _open_route(fd, step.route)
                opened.append(fd)
                info = os.fstat(fd)
                if (info.st_dev, info.st_ino) != step.identity:
                    raise _Replaced
        except BaseException:
            for each in opened:
                os.close(each)
            raise
        for each in opened[:-1]:
            os.close(each)
        place.fd = fd
        return fd

    def _look(self, frame: _Frame, fd: int, name: str) -> Entry | _Frame:
        """What ``name`` in the folder open as ``fd`` is: a file (or a problem) as an entry, or
        a folder to walk."""
        path = frame.path / name
        try:
            info = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except OSError as exc:
            return Entry(path, problem=describe_os_error(exc))
        if stat.S_ISDIR(info.st_mode):
            return self._enter(path, frame.place, fd, (name,), name)
        if stat.S_ISLNK(info.st_mode):
            return self._follow(path)
        return _file_entry(path, info)

    def _enter(
        self, path: Path, parent: _Place, fd: int, route: tuple[str, ...], swapped: str | None
    ) -> Entry | _Frame:
        """The folder reached from ``fd`` by ``route``, opened and listed. ``swapped`` is its
        name in ``fd`` when it was seen there as a folder: failing to open it as one then means
        it was replaced, by a link perhaps, since."""
        try:
            opened = _open_route(fd, route)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                return Entry(path, problem=self._replaced(fd, swapped))
            return Entry(path, problem=f"folder cannot be read: {describe_os_error(exc)}")
        try:
            info = os.fstat(opened)
            key = (info.st_dev, info.st_ino)
            if key in self.seen_dirs:
                os.close(opened)
                return Entry(path, problem="symbolic link loop (folder already visited); skipped")
            self.seen_dirs.add(key)
            names = sorted(os.listdir(opened))
        except OSError as exc:
            os.close(opened)
            return Entry(path, problem=f"folder cannot be read: {describe_os_error(exc)}")
        return _Frame(path, _Place(parent, route, key, opened), names)

    @staticmethod
    def _replaced(fd: int, name: str | None) -> str:
        if name is None:
            return "symbolic link changed while being walked; not followed"
        try:
            target = os.readlink(name, dir_fd=fd)
        except OSError:
            return "no longer a folder (replaced since it was listed); not entered"
        return (
            f"folder replaced by a symbolic link to '{printable(target)}' since it was listed;"
            " not followed"
        )

    def _follow(self, path: Path) -> Entry | _Frame:
        """Where the link ``path`` inside the folder leads, if inside it.

        The link is resolved by path to judge where it leads, as the folder's own real path is;
        what is then read is reached from the folder given, by the resolved names, without
        following any link: a link changed in between is refused, not followed."""
        target = os.path.realpath(path)
        if not _inside(target, self.root):
            return Entry(
                path,
                problem=f"symbolic link to '{printable(target)}', outside the folder given;"
                " not followed",
            )
        try:
            os.stat(path)  # names a loop or a broken link
        except OSError as exc:
            return Entry(path, problem=_link_problem(path, exc))
        top = self.top.fd
        assert top is not None
        route = Path(os.path.relpath(target, self.root)).parts or (".",)
        try:
            holder = _open_route(top, route[:-1] or (".",))
        except OSError:
            return Entry(path, problem=self._replaced(top, None))
        try:
            info = os.stat(route[-1], dir_fd=holder, follow_symlinks=False)
        except OSError as exc:
            return Entry(path, problem=describe_os_error(exc))
        finally:
            os.close(holder)
        if stat.S_ISDIR(info.st_mode):
            return self._enter(path, self.top, top, route, None)
        if stat.S_ISLNK(info.st_mode):
            return Entry(path, problem=self._replaced(top, None))
        return _file_entry(path, info)
