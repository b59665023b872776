"""A folder from an adversary, walked: links out of it, a tree deeper than any recursion,
folders and files it will not let us read. Nothing outside what was named is read, and every
bad path is one line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from enquiry.cli import main
from enquiry.store import open_store
from enquiry.store.tables import Item, ItemText

SECRET = "SECRET-OF-THE-READING-MACHINE"
ENQUIRY = [sys.executable, "-m", "enquiry.cli"]


def _cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), "--as", "tester", *args])


def _stored(home: Path) -> tuple[list[str], list[str]]:
    """The names the items arrived under, and every text read from them."""
    store = open_store(home, "tester")
    with store.session() as session:
        names = list(session.scalars(select(Item.original_name)))
        texts = [text or "" for text in session.scalars(select(ItemText.text))]
    return names, texts


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file and a folder of the reading machine, outside the folder taken in."""
    mine = tmp_path / "machine"
    (mine / "etc").mkdir(parents=True)
    (mine / "etc" / "shadow").write_text(SECRET + " in a folder\n", encoding="utf-8")
    (mine / "passwd").write_text(SECRET + " in a file\n", encoding="utf-8")
    return mine


def test_links_out_of_a_folder_are_named_not_followed(
    home: Path, tmp_path: Path, outside: Path
) -> None:
    seized = tmp_path / "seized"
    (seized / "inner").mkdir(parents=True)
    (seized / "inner" / "statement.txt").write_text("What the witness saw.\n", encoding="utf-8")
    (seized / "passwd").symlink_to(outside / "passwd")
    (seized / "etc").symlink_to(outside / "etc")
    (seized / "up").symlink_to("../machine/passwd")
    (seized / "again.txt").symlink_to("inner/statement.txt")  # inside: followed
    (seized / "inner-too").symlink_to(seized / "inner")
    result = _cli(home, "add", str(seized), "--case", "ks")
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line]
    assert all(line.startswith("enquiry: ") for line in lines), lines
    refused = {line.split(": ")[1].rsplit("/", 1)[-1]: line for line in lines}
    for name in ("passwd", "etc", "up"):
        assert "outside the folder given; not followed" in refused[name], lines
    assert "Traceback" not in result.output
    names, texts = _stored(home)
    assert names == ["again.txt"]  # one item: the statement, reached twice inside the folder
    assert texts == ["What the witness saw.\n"]
    # A link the user names is what the user asked for.
    named = _cli(home, "add", str(seized / "passwd"), "--case", "ks")
    assert named.exit_code == 0, named.output
    assert any(SECRET in text for text in _stored(home)[1])


def test_ingest_of_a_folder_with_a_feed_follows_no_link_out_of_it(
    home: Path, tmp_path: Path, outside: Path
) -> None:
    """``ingest`` picks the feeds out of a folder and hands the rest to intake: it must hand on
    what the walk found, not paths that would count as named by the user."""
    seized = tmp_path / "seized"
    seized.mkdir()
    (seized / "statements.rss").write_text(
        '<rss version="2.0"><channel><title>MFA</title><item><guid>st-1</guid>'
        "<title>Briefing</title><description>The minister said the report was false."
        "</description></item></channel></rss>",
        encoding="utf-8",
    )
    (seized / "note.txt").write_text("A plain statement.\n", encoding="utf-8")
    (seized / "leak.txt").symlink_to(outside / "passwd")
    result = CliRunner().invoke(
        main, ["--home", str(home), "ingest", "--quiet", "--case", "ks", str(seized)]
    )
    assert result.exit_code == 1, result.output
    assert "leak.txt: symbolic link to" in result.stderr
    names, texts = _stored(home)
    assert "leak.txt" not in names and "note.txt" in names
    assert not any(SECRET in text for text in texts)


def test_a_folder_nested_past_any_recursion_limit_is_walked(home: Path, tmp_path: Path) -> None:
    depth = sys.getrecursionlimit() + 200
    top = tmp_path / "deep"
    top.mkdir()
    # Made relative to an open folder: the whole path is longer than some tools accept.
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        leaf = os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(leaf, b"found at the bottom\n")
        os.close(leaf)
    finally:
        os.close(fd)
    try:
        result = _cli(home, "add", str(top), "--case", "ks")
    finally:
        _remove_deep(top, depth)  # shutil.rmtree, pytest's cleaner, is recursive too
    assert result.exit_code == 0, result.output
    assert "1 stored" in result.stdout
    assert _stored(home)[0] == ["bottom.txt"]


def _remove_deep(top: Path, depth: int) -> None:
    """Remove the chain of ``depth`` folders named ``d`` under ``top``, from the bottom up."""
    fds = [os.open(top, os.O_RDONLY)]
    try:
        for _ in range(depth):
            fds.append(os.open("d", os.O_RDONLY, dir_fd=fds[-1]))
        os.unlink("bottom.txt", dir_fd=fds[-1])
        while len(fds) > 1:
            os.close(fds.pop())
            os.rmdir("d", dir_fd=fds[-1])
    finally:
        for fd in fds:
            os.close(fd)


def _without_root_powers() -> list[str] | None:
    """A prefix that runs a command without the capabilities that let root read any file, so
    that a folder of mode 000 refuses it as it would anyone; None when not root (chmod is
    enough) — or when it cannot be had, and the test is skipped."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    dropped = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={dropped}", f"--bounding-set={dropped}"]


def test_what_cannot_be_read_is_named_and_the_rest_taken_in(home: Path, tmp_path: Path) -> None:
    prefix = _without_root_powers()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions would not stop a read")
    seized = tmp_path / "seized"
    for name in ("a-locked", "b-open"):
        (seized / name).mkdir(parents=True)
    (seized / "a-locked" / "hidden.txt").write_text("unseen\n", encoding="utf-8")
    (seized / "b-open" / "seen.txt").write_text("seen\n", encoding="utf-8")
    (seized / "c-unreadable.txt").write_text("unread\n", encoding="utf-8")
    (seized / "a-locked").chmod(0)
    (seized / "c-unreadable.txt").chmod(0)
    try:
        done = subprocess.run(
            [*prefix, *ENQUIRY, "--home", str(home), "add", str(seized), "--case", "ks"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        (seized / "a-locked").chmod(0o755)
        (seized / "c-unreadable.txt").chmod(0o644)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 2, lines
    assert "a-locked: folder cannot be read: permission denied" in lines[0]
    assert "c-unreadable.txt: permission denied" in lines[1]
    assert "1 stored, 2 rejected" in done.stdout
