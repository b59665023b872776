"""Text out of documents: plain text (with its encoding found), HTML (trafilatura) and PDF.

The extracted text is a derived artefact: it records the extractor, and the original stays as
it came. Text that is not valid UTF-8 is still read (as UTF-16 with a BOM, or as Windows-1252,
which can decode any byte) and the problem is reported, because an investigator must see the
words and know they may be garbled.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from enquiry.enrich.base import Enricher, FileEnricher
from enquiry.intake.extract import Extraction
from enquiry.intake.sniff import utf16_order
from enquiry.store.tables import ItemText

MAX_TEXT_BYTES = 64 * 1024 * 1024
MAX_PDF_PAGES = 5000
MAX_ZIP_RATIO = 100
MAX_ZIP_TOTAL = 2 * 1024 * 1024 * 1024

TEXT_TYPES = {"text/plain", "text/markdown", "text/csv", "application/json", "application/xml"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
OFFICE_PREFIX = "application/vnd.openxmlformats-officedocument"


def decode_text(data: bytes) -> tuple[str, str, str | None]:
    """Decode bytes as text: (text, encoding used, problem or None)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", None
        except UnicodeDecodeError as exc:
            return (
                data.decode("utf-16", errors="replace"),
                "utf-16",
                f"not valid UTF-16 at byte {exc.start}; unreadable characters replaced",
            )
    order = utf16_order(data)
    if order:
        return (
            data.decode(order, errors="replace"),
            order,
            f"UTF-16 ({order[-2:].upper()}) without a byte-order mark; read as such",
        )
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError as exc:
        position = exc.start
    text = data.decode("cp1252", errors="replace")
    return (
        text,
        "cp1252",
        f"not valid UTF-8 (first bad byte at offset {position}); read as Windows-1252",
    )


def _read_limited(path: Path) -> tuple[bytes, bool]:
    with path.open("rb") as handle:
        data = handle.read(MAX_TEXT_BYTES + 1)
    return data[:MAX_TEXT_BYTES], len(data) > MAX_TEXT_BYTES


class DocumentText(FileEnricher):
    """Text and basic metadata of text, HTML, PDF and office files (an intake extractor and an
    enricher of stored items alike)."""

    name = "text"
    version = "1"

    def accepts(self, media_type: str, kind: str) -> bool:
        return (
            media_type in TEXT_TYPES
            or media_type in HTML_TYPES
            or media_type == "application/pdf"
            or media_type.startswith(OFFICE_PREFIX)
            or media_type in ("application/zip", "application/atom+xml")
        )

    def done(self, connection: Connection, item_ids: Sequence[int]) -> set[int]:
        """Items with a text from this version of the extractor (most were read at intake);
        the text's label says the version, which the metadata kept at intake does not."""
        stored = connection.execute(
            select(ItemText.item_id).where(
                ItemText.item_id.in_(list(item_ids)), ItemText.extractor == self.label
            )
        ).scalars()
        return Enricher.done(self, connection, item_ids) | {int(i) for i in stored}

    def extract(self, path: Path, media_type: str) -> Extraction:
        if media_type == "application/pdf":
            return _pdf(path)
        if media_type.startswith(OFFICE_PREFIX) or media_type == "application/zip":
            return _zip_guard(path)
        data, cut = _read_limited(path)
        text, encoding, problem = decode_text(data)
        found = Extraction(metadata={"encoding": encoding})
        if problem:
            found.problems.append(problem)
        nuls = text.count("\x00")
        if nuls:
            # Kept in the original; the stored text shows each as U+FFFD (a database's text
            # cannot hold NUL), so that every offset into it stays where it was.
            found.problems.append(f"holds {nuls} NUL byte(s); each read as U+FFFD")
        if cut:
            found.problems.append(f"text longer than {MAX_TEXT_BYTES} bytes; only the start read")
        if media_type in HTML_TYPES:
            return _html(text, found)
        found.text = text
        found.metadata["chars"] = len(text)
        return found


def _html(html: str, found: Extraction) -> Extraction:
    import trafilatura

    # A date is taken from the page's markup only: a date in the body text ("on 4 April 2017")
    # is what the article is about, not when it was published.
    extracted = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    document = (
        extracted.as_dict()
        if extracted is not None and not isinstance(extracted, dict)
        else extracted
    )
    if not isinstance(document, dict) or not document.get("text"):
        found.problems.append("HTML page has no readable main text")
        found.text = ""
        return found
    found.text = str(document["text"])
    for key in ("title", "author", "date", "sitename", "hostname", "url", "description"):
        value = document.get(key)
        if value:
            found.metadata[key] = str(value)
    found.metadata["chars"] = len(found.text)
    return found


# One wording for a PDF that cannot be read, whichever reader finds it (the text reader, the
# OCR): ``enquiry enrich`` runs both and names the same damage of the same item once.
PDF_ENCRYPTED = "PDF is encrypted with a password; its pages cannot be read"
PDF_NO_PAGES = "PDF has no pages"


def pdf_errors() -> tuple[type[BaseException], ...]:
    """What pypdf raises on a PDF whose structure is broken (a damaged file, not a bug of ours):
    its own errors and the Python ones its parser lets through. Imported when first needed."""
    from pypdf.errors import PyPdfError

    return (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
        RecursionError,
    )


def pdf_damage(exc: BaseException) -> str:
    """The line for a PDF whose structure could not be parsed (``exc`` says where it broke)."""
    reason = " ".join(f"{type(exc).__name__}: {exc}".split())
    return f"PDF is damaged ({reason})"[:300]


def open_encrypted(reader: Any) -> bool:
    """Whether a pypdf reader's pages can be read: it is not encrypted, or encrypted with an
    empty user password (a PDF that only restricts printing or copying: any viewer opens it,
    so its words are as readable as an unencrypted one's). A real password is never guessed."""
    if not reader.is_encrypted:
        return True
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unknown or broken security handler: it stays unread
        return False


def _pdf(path: Path) -> Extraction:
    # pypdf logs what it repairs ("EOF marker not found"); the problems list says it instead,
    # with the file's name, which a bare log line would not.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    from pypdf import PdfReader

    found = Extraction()
    try:
        reader = PdfReader(str(path), strict=False)
        if not open_encrypted(reader):
            found.problems.append(PDF_ENCRYPTED)
            return found
        if reader.is_encrypted:
            found.metadata["encrypted"] = "without a user password"
        pages = reader.pages
        count = len(pages)
        found.metadata["pages"] = count
        if not count:
            found.problems.append(PDF_NO_PAGES)
        info: dict[str, Any] = {}
        for key, value in (reader.metadata or {}).items():
            info[str(key).lstrip("/").lower()] = str(value)[:500]
        for key in ("title", "author", "producer", "creator", "creationdate", "moddate"):
            if key in info:
                found.metadata[key] = info[key]
        texts = []
        for number, page in enumerate(pages):
            if number >= MAX_PDF_PAGES:
                found.problems.append(f"more than {MAX_PDF_PAGES} pages; the rest not read")
                break
            texts.append(page.extract_text() or "")
        found.text = "\n\f".join(texts)
        found.metadata["chars"] = len(found.text)
    except pdf_errors() as exc:
        found.problems.append(pdf_damage(exc))
    if not _pdf_complete(path):
        found.problems.append("PDF has no end-of-file marker (truncated?)")
    return found


def _pdf_complete(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 2048))
        return b"%%EOF" in handle.read()


def _zip_guard(path: Path) -> Extraction:
    """Look inside a zip container (office files) without unpacking it: refuse bombs."""
    found = Extraction()
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            found.metadata["entries"] = len(infos)
            found.metadata["unpacked_bytes"] = total
            if total > MAX_ZIP_TOTAL or total / packed > MAX_ZIP_RATIO:
                found.problems.append(
                    f"decompression bomb suspected: {packed} bytes unpack to {total}; not unpacked"
                )
                found.metadata["hostile"] = "decompression bomb"
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        found.problems.append(f"damaged or truncated zip container ({exc})"[:300])
    return found
