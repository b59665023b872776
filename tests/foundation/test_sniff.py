"""Types come from the first bytes; the name is only a hint."""

from __future__ import annotations

import pytest

from enquiry.intake.pipeline import detect_kind
from enquiry.intake.sniff import name_mismatch, sniff


@pytest.mark.parametrize(
    ("head", "name", "media_type", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "x.bin", "image/jpeg", "photo"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "x", "image/png", "photo"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "x", "image/webp", "photo"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00", "clip.dat", "video/mp4", "video"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00", "clip", "video/quicktime", "video"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "v", "video/webm", "video"),
        (b"%PDF-1.7\n", "victims.jpg", "application/pdf", "document"),
        (b"  <!DOCTYPE html><html>", "page.txt", "text/html", "document"),
        (b"\xef\xbb\xbfPlain words", "note", "text/plain", "document"),
        (b"\xff\xfeT\x00e\x00", "utf16.txt", "text/plain", "document"),
        (b"\x00\x01\x02\x03\x04\x05binary", "blob", "application/octet-stream", "document"),
    ],
)
def test_sniffing(head: bytes, name: str, media_type: str, kind: str) -> None:
    assert sniff(head, name) == media_type
    assert detect_kind(media_type) == kind


def test_a_name_that_lies_is_noted() -> None:
    assert name_mismatch("victims.jpg", "application/pdf") == (
        "named like image/jpeg but the content is application/pdf"
    )
    assert name_mismatch("report.pdf", "application/pdf") is None
