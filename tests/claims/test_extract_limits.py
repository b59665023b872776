"""``enquiry claims extract FILE`` reads an HTML page or a PDF under the same time and memory
limits as intake: a hostile file is one line naming it and a non-zero exit, never a hang."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from enquiry.cli import main


def test_a_document_that_reads_too_long_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "deep.html"
    depth = 100_000
    page.write_text(
        "<html><body>"
        + "<div>" * depth
        + "<p>The minister said the plan would fail.</p>"
        + "</div>" * depth
        + "</body></html>",
        encoding="utf-8",
    )
    monkeypatch.setenv("ENQUIRY_DECODE_SECONDS", "0.05")
    result = CliRunner().invoke(main, ["claims", "extract", str(page), "--json"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [f"enquiry: {page}: took longer than 0.05 s to read"]


def test_a_plain_page_is_read_as_before(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Statement</title></head><body><article><p>The minister said on"
        " Tuesday that the plan would fail, according to officials.</p></article></body></html>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["claims", "extract", str(page), "--json"])
    assert result.exit_code == 0, result.output
    assert "the plan would fail" in result.output
