"""Input a user can get wrong: each gives one line naming the file and a non-zero exit, never a
traceback; a file that is merely not UTF-8 is read, with a warning naming it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from enquiry.cli import main


def _one_line_error(args: list[str], name: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert name in lines[0] and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("noise.txt", bytes(range(256)) * 8),
        ("blank.txt", b"  \n\n \t\n"),
        ("page.html", b"<html><head><title>x</title></head><body></body></html>"),
    ],
)
def test_extract_unreadable_file_is_one_line(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    _one_line_error(["claims", "extract", str(path)], name)


def test_extract_missing_file_is_one_line(tmp_path: Path) -> None:
    _one_line_error(["claims", "extract", str(tmp_path / "gone.txt")], "gone.txt")


def test_extract_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    _one_line_error(["claims", "extract", str(tmp_path / "articles")], "articles")


def test_extract_windows_1252_text_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Le ministère said the café was a target.\n".encode("cp1252"))
    result = CliRunner().invoke(main, ["claims", "extract", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert "latin.txt" in result.stderr and "UTF-8" in result.stderr
    assert "café" in result.stdout


def test_ingest_names_the_file_that_gave_no_text(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "note.txt").write_text("Russia said the report was biased.\n", encoding="utf-8")
    (folder / "noise.bin").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["ingest", "--quiet", "--case", "c", str(folder)])
    assert result.exit_code != 0  # the empty file was rejected
    problems = [line for line in result.stderr.splitlines() if line.startswith("enquiry:")]
    assert any("noise.bin" in line and "no text" in line for line in problems), problems
    assert sum("empty.txt" in line for line in problems) == 1, problems
    assert "1 claims from 1 documents" in result.stdout


def test_extract_feed_without_entries_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "quiet.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
        encoding="utf-8",
    )
    _one_line_error(["claims", "extract", str(path)], "quiet.rss")


def test_truncated_feed_is_read_with_a_warning(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Russia '
        "says the report is biased</title><description>Russia said on Tuesday that the report "
        "was biased.</description></item><item><title>Cut",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["claims", "extract", str(path)])
    assert result.exit_code == 0, result.output
    assert "cut.rss: feed is not well-formed" in result.stderr
    assert "report was biased" in result.stdout
    result = CliRunner().invoke(main, ["ingest", "--quiet", "--case", "c", str(path)])
    assert "cut.rss: feed is not well-formed" in result.stderr
