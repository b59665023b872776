"""What a file is, from its first bytes (magic numbers), not from its name.

A file called ``victims.jpg`` that is really a PDF is a PDF: the name is only a hint, and a
mismatch between name and content is itself worth recording. The table covers what an inquiry
meets (images, videos, audio, office documents, archives, text); anything else is
``application/octet-stream``.
"""

from __future__ import annotations

import mimetypes
import re
from collections import Counter

_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"BM", "image/bmp"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"\x1a\x45\xdf\xa3", "video/x-matroska"),
    (0, b"OggS", "audio/ogg"),
    (0, b"fLaC", "audio/flac"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"\x00\x00\x01\xba", "video/mpeg"),
    (0, b"\x00\x00\x01\xb3", "video/mpeg"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"\x1f\x8b", "application/gzip"),
    (0, b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (0, b"Rar!\x1a\x07", "application/vnd.rar"),
    (0, b"{\\rtf", "application/rtf"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (0, b"SQLite format 3\x00", "application/vnd.sqlite3"),
)

_FTYP_BRANDS = {
    b"qt  ": "video/quicktime",
    b"3gp": "video/3gpp",
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heif",
    b"avif": "image/avif",
    b"M4A ": "audio/mp4",
}

_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<!--)", re.IGNORECASE)
_XML_FEED = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)


def _riff(head: bytes) -> str | None:
    if head[:4] != b"RIFF" or len(head) < 12:
        return None
    return {b"WEBP": "image/webp", b"AVI ": "video/x-msvideo", b"WAVE": "audio/wav"}.get(
        head[8:12], "application/octet-stream"
    )


def _iso_media(head: bytes) -> str | None:
    if head[4:8] != b"ftyp":
        return None
    brand = head[8:12]
    for prefix, media_type in _FTYP_BRANDS.items():
        if brand.startswith(prefix):
            return media_type
    return "video/mp4"


def _webm(head: bytes) -> bool:
    return head[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in head[:64]


def utf16_order(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for text in UTF-16 without a byte-order mark, else None.

    Mostly-Latin text in UTF-16 has a NUL in every other byte; which half holds them tells the
    byte order. Text in one of the alphabets between U+0100 and U+1FFF — Greek, Cyrillic,
    Hebrew, Arabic, the Indic scripts: a Russian ministry's statement, an Arabic testimony —
    has that alphabet's block number (0x04, 0x06, ...) in nearly every other byte instead, a
    byte that is a control character, so that the file would otherwise be taken for binary and
    its words never read.
    """
    sample = data[: len(data) - len(data) % 2][:4096]
    if len(sample) < 8:
        return None
    even = sample[0::2].count(0) / (len(sample) // 2)
    odd = sample[1::2].count(0) / (len(sample) // 2)
    if odd > 0.6 and even < 0.05:
        return "utf-16-le"
    if even > 0.6 and odd < 0.05:
        return "utf-16-be"
    for order, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if _one_alphabet(high) and _reads_as_text(sample, order):
            return order
    return None


def _one_alphabet(high: bytes) -> bool:
    """Whether the high bytes of UTF-16 code units are those of text in one alphabet of
    U+0100–U+1FFF: its block's byte in a good share of them, NUL (spaces, digits,
    punctuation) in nearly all the rest."""
    counts = Counter(high)
    block, found = max(
        ((byte, n) for byte, n in counts.items() if byte), key=lambda pair: pair[1], default=(0, 0)
    )
    return 0 < block < 0x20 and found >= 0.3 * len(high) and found + counts[0] >= 0.95 * len(high)


def _reads_as_text(sample: bytes, order: str) -> bool:
    """Whether ``sample`` decodes in ``order`` to characters nearly all printable or spacing."""
    try:
        text = sample.decode(order)
    except UnicodeDecodeError:
        return False
    readable = sum(1 for char in text if char.isprintable() or char in "\t\n\r\f")
    return readable >= 0.95 * len(text)


def _text_kind(head: bytes) -> str | None:
    """Text if few of the bytes are control characters (or they are UTF-16); HTML/XML by their
    opening. A NUL counts as one control character among the others, not as proof of a binary
    file: a log or a statement with a stray NUL (a crash, a bad export) is still words to
    read, and its reader says the NULs are there."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_order(head):
        return "text/plain"
    sample = head.removeprefix(b"\xef\xbb\xbf")
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if sample and controls / len(sample) > 0.05:
        return None
    if _HTML.match(sample):
        return "text/html"
    if sample.lstrip().startswith(b"<?xml"):
        return "application/atom+xml" if _XML_FEED.search(sample) else "application/xml"
    return "text/plain"


def sniff(head: bytes, name: str = "") -> str:
    """The media type of a file whose first bytes are ``head`` (a few KB suffice)."""
    if _webm(head):
        return "video/webm"
    for offset, magic, media_type in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            if media_type == "application/zip":
                return _office(head, name)
            return media_type
    found = _riff(head) or _iso_media(head)
    if found:
        return found
    if head[:1] == b"\x47" and len(head) > 188 and head[188:189] == b"\x47":
        return "video/mp2t"
    text = _text_kind(head) if head else None
    if text:
        guessed = mimetypes.guess_type(name)[0] if name else None
        if text == "text/plain" and guessed in {"text/markdown", "text/csv", "application/json"}:
            return guessed
        return text
    return "application/octet-stream"


def _office(head: bytes, name: str) -> str:
    if b"word/" in head:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if b"xl/" in head:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if b"ppt/" in head:
        return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    guessed = mimetypes.guess_type(name)[0] if name else None
    return (
        guessed if guessed and guessed.startswith("application/vnd.openxml") else "application/zip"
    )


def name_mismatch(name: str, media_type: str) -> str | None:
    """A note when the file's extension promises a different type than its content."""
    guessed = mimetypes.guess_type(name)[0]
    if not guessed or guessed == media_type:
        return None
    family = guessed.split("/")[0]
    if family == media_type.split("/")[0] and family in ("text",):
        return None
    return f"named like {guessed} but the content is {media_type}"
