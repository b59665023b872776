"""Extractors read what is there and say plainly what is wrong, without inventing anything."""

from __future__ import annotations

from pathlib import Path

import samples

from enquiry.enrich.documents import DocumentText
from enquiry.enrich.photo import PhotoMetadata


def test_utf16_without_a_byte_order_mark_is_read_and_flagged(tmp_path: Path) -> None:
    path = tmp_path / "statement.txt"
    path.write_bytes("Statement of witness W-4".encode("utf-16-be"))
    found = DocumentText().extract(path, "text/plain")
    assert found.text == "Statement of witness W-4"
    assert found.problems == ["UTF-16 (BE) without a byte-order mark; read as such"]


def test_a_date_in_the_body_is_not_taken_for_the_publication_date(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Eyewitness</title></head><body><article><p>The attack happened on"
        " 4 April 2017 early in the morning, and dozens were killed, doctors said.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    assert "date" not in DocumentText().extract(page, "text/html").metadata
    dated = DocumentText().extract(samples.html(tmp_path / "dated.html"), "text/html")
    assert dated.metadata["date"] == "2017-04-05"


def test_an_impossible_exif_time_is_a_problem(tmp_path: Path) -> None:
    photo = samples.jpeg_with_exif(tmp_path / "p.jpg", taken="2020:02:30 25:61:00")
    found = PhotoMetadata().extract(photo, "image/jpeg")
    assert found.metadata["taken_at"] == "2020-02-30T25:61:00"
    assert any("EXIF time '2020-02-30T25:61:00' is impossible" in p for p in found.problems)
