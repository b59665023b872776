"""A sub-folder swapped for a symbolic link while the folder is walked (someone who controls the
folder taken in: a seized disk mounted read-write, a shared folder). Between the walk's look at
``victim`` (a folder) and its listing, ``victim`` becomes a link to a folder of the reading
machine: nothing behind the link may be listed or read, and the swap is named on one line.

The swap is made at the exact moment by wrapping the calls the walk makes (the look at an entry,
the listing of a folder) in this process: the swap itself is a real change on disk."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from enquiry.cli import main
from enquiry.intake import walk as walk_module
from enquiry.intake.walk import Entry, walk
from enquiry.store import open_store
from enquiry.store.tables import Item, ItemText

SECRET = "SECRET-OF-THE-READING-MACHINE"


class Seized:
    """A folder taken in, a folder of the reading machine outside it, and the swap of the
    sub-folder ``victim`` for a link to the latter."""

    def __init__(self, tmp_path: Path) -> None:
        self.folder = tmp_path / "seized"
        self.victim = self.folder / "victim"
        self.victim.mkdir(parents=True)
        (self.folder / "a-note.txt").write_text("the first note\n", encoding="utf-8")
        (self.victim / "statement.txt").write_text("what the witness saw\n", encoding="utf-8")
        (self.folder / "z-note.txt").write_text("the last note\n", encoding="utf-8")
        self.etc = tmp_path / "machine" / "etc"
        self.etc.mkdir(parents=True)
        (self.etc / "shadow").write_text(SECRET + " shadow\n", encoding="utf-8")
        # the same name as the victim's file: a path that now leads here must not be read
        (self.etc / "statement.txt").write_text(SECRET + " statement\n", encoding="utf-8")
        self.moved = tmp_path / "moved-aside"
        self.inside = {_identity(p) for p in self.folder.rglob("*")}
        self.victim_identity = _identity(self.victim)
        self.done = False

    def swap(self) -> None:
        """Put a link to the machine's folder where ``victim`` was (once)."""
        if not self.done:
            self.done = True
            self.victim.rename(self.moved)
            self.victim.symlink_to(self.etc)

    def names_victim(self, path: Any, dir_fd: int | None) -> bool:
        if isinstance(path, int):
            return _identity_fd(path) == self.victim_identity
        name = os.fspath(path)
        if isinstance(name, bytes):
            name = os.fsdecode(name)
        if dir_fd is None:
            return name == str(self.victim)
        return name == "victim" and _identity_fd(dir_fd) == _identity(self.folder)


def _identity(path: Path) -> tuple[int, int]:
    info = os.lstat(path)
    return (info.st_dev, info.st_ino)


def _identity_fd(fd: int) -> tuple[int, int]:
    info = os.fstat(fd)
    return (info.st_dev, info.st_ino)


def _swap_after_look(seized: Seized, monkeypatch: pytest.MonkeyPatch) -> None:
    """Swap ``victim`` right after the walk has looked at it, without following links, and
    seen a folder: the walk's next step with it is to list it."""

    def wrapped(real: Callable[..., os.stat_result], follows: bool) -> Callable[..., Any]:
        def look(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
            info = real(path, *args, **kwargs)
            if (
                not kwargs.get("follow_symlinks", follows)
                and stat.S_ISDIR(info.st_mode)
                and seized.names_victim(path, kwargs.get("dir_fd"))
            ):
                seized.swap()
            return info

        return look

    monkeypatch.setattr(os, "lstat", wrapped(os.lstat, False))
    monkeypatch.setattr(os, "stat", wrapped(os.stat, True))


def _swap_before_listing(seized: Seized, monkeypatch: pytest.MonkeyPatch) -> None:
    """Swap ``victim`` just before the walk lists it (by path, or by an open folder)."""

    def wrapped(real: Callable[..., Any]) -> Callable[..., Any]:
        def listing(path: Any = ".") -> Any:
            if seized.names_victim(path, None):
                seized.swap()
            return real(path)

        return listing

    monkeypatch.setattr(os, "listdir", wrapped(os.listdir))
    monkeypatch.setattr(os, "scandir", wrapped(os.scandir))


SWAPS = {"after-look": _swap_after_look, "before-listing": _swap_before_listing}


@pytest.mark.parametrize("when", sorted(SWAPS))
def test_a_folder_swapped_for_a_link_is_not_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    seized = Seized(tmp_path)
    SWAPS[when](seized, monkeypatch)
    entries = list(walk([seized.folder]))
    monkeypatch.undo()
    assert seized.done, "the walk never came to the sub-folder"
    listed = [e for e in entries if e.problem is None]
    outside = {_identity(p) for p in seized.etc.iterdir()}
    assert not any(e.identity in outside for e in listed), entries
    assert all(e.identity in seized.inside for e in listed), entries
    assert {e.path.name for e in listed} >= {"a-note.txt", "z-note.txt"}
    problems = [e for e in entries if e.problem is not None]
    if when == "after-look":
        # the swapped folder fails to open as a folder; one line names it and the link
        assert [e.path for e in problems] == [seized.victim], problems
        assert "replaced by a symbolic link" in (problems[0].problem or "")
        assert str(seized.etc) in (problems[0].problem or "")
    else:
        # the folder was already open: what is listed is the folder that was there
        assert problems == [], problems


@pytest.mark.parametrize("when", sorted(SWAPS))
def test_nothing_behind_a_swapped_folder_is_taken_in(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    seized = Seized(tmp_path)
    SWAPS[when](seized, monkeypatch)
    result = CliRunner().invoke(
        main, ["--home", str(home), "--as", "tester", "add", str(seized.folder), "--case", "ks"]
    )
    monkeypatch.undo()
    assert seized.done
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line]
    assert len(lines) == 1 and "victim" in lines[0], lines
    store = open_store(home, "tester")
    with store.session() as session:
        names = sorted(session.scalars(select(Item.original_name)))
        texts = [text or "" for text in session.scalars(select(ItemText.text))]
    assert names == ["a-note.txt", "z-note.txt"]
    assert not any(SECRET in text for text in texts)


def _tree(top: Path, depth: int) -> list[Path]:
    """Two sub-folders and a file at every level, ``depth`` deep; the files in walk order."""
    files: list[Path] = []
    pending: list[tuple[Path, int]] = [(top, 0)]
    while pending:
        folder, level = pending.pop()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "file.txt").write_text(f"{folder}\n", encoding="utf-8")
        if level < depth:
            pending.extend((folder / name, level + 1) for name in ("b", "a"))
    for folder, _, names in sorted(os.walk(top)):
        files.extend(Path(folder) / name for name in names)
    return files


def _open_in(top: Path) -> int:
    """How many of this process's descriptors are open on ``top`` or anything under it: the
    folders the walk holds open. (A count of every descriptor would also see those other
    threads of the test runner open and close meanwhile.)"""
    real = top.resolve()
    count = 0
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue  # closed since it was listed
        if target == str(real) or target.startswith(f"{real}/"):
            count += 1
    return count


def test_a_deep_wide_tree_is_walked_within_a_few_open_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folders above the few held open are closed, and opened again when the walk returns."""
    monkeypatch.setattr(walk_module, "OPEN_FOLDERS", 2)
    top = tmp_path / "tree"
    expected = _tree(top, 7)
    peak = 0

    def counted() -> Iterator[Entry]:
        nonlocal peak
        for entry in walk([top]):
            peak = max(peak, _open_in(top))
            yield entry

    entries = list(counted())
    assert [e.problem for e in entries if e.problem] == []
    assert sorted(e.path for e in entries) == sorted(expected)
    assert peak <= 2 + 2  # the top folder, the folders held open, one being opened
    assert _open_in(top) == 0


def test_a_folder_closed_and_swapped_meanwhile_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder the walk closed (too many open) and opens again must be the one it listed."""
    monkeypatch.setattr(walk_module, "OPEN_FOLDERS", 1)
    top = tmp_path / "tree"
    _tree(top, 3)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "z-planted.txt").write_text(SECRET + "\n", encoding="utf-8")
    entries: list[Entry] = []
    for entry in walk([top]):
        entries.append(entry)
        if entry.path == top / "a" / "a" / "a" / "file.txt":
            # the walk is deep in a/a/a: a (closed) is replaced by another real folder
            (top / "a").rename(tmp_path / "a-moved")
            elsewhere.rename(top / "a")
    problems = [e for e in entries if e.problem]
    assert [e.path.name for e in entries if e.problem is None].count("z-planted.txt") == 0
    assert problems and all("replaced while being walked" in (e.problem or "") for e in problems)
    assert any(e.path == top / "b" / "file.txt" for e in entries)  # the rest goes on


def test_generator_closed_early_leaves_no_folder_open(tmp_path: Path) -> None:
    top = tmp_path / "tree"
    _tree(top, 3)
    walking = walk([top])
    next(walking)
    next(walking)
    assert _open_in(top) > 0
    walking.close()
    assert _open_in(top) == 0


def test_names_that_are_not_utf8_are_walked_in_sub_folders(tmp_path: Path) -> None:
    inner = tmp_path / "seized" / "inner"
    inner.mkdir(parents=True)
    raw = os.fsencode(inner) + b"/caf\xe9.txt"
    with open(raw, "wb") as out:
        out.write(b"latin-1 name\n")
    entries = list(walk([tmp_path / "seized"]))
    assert [os.fsencode(e.path) for e in entries] == [raw]
    assert entries[0].problem is None and entries[0].size == len(b"latin-1 name\n")
