"""Damaged and hostile files given to OCR: a PDF that cannot be read is never recorded as read
(no empty ``enriched`` event standing for "done, no text"), each run names it in one line and
fails, the stored evidence is untouched; limits on pages, pixels and page sizes hold."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from sqlalchemy import select
from test_ocr import STATEMENT, damaged_pdfs, page, run, scanned_pdf, texts, words

from enquiry.enrich import ocr
from enquiry.intake.limits import run_limited
from enquiry.store import open_store
from enquiry.store.tables import CustodyEvent, Item


@pytest.fixture(autouse=True)
def _engine() -> None:
    ocr.tesseract_version.cache_clear()
    ocr.installed_languages.cache_clear()
    assert ocr.unavailable() is None, "the set-up installs tesseract-ocr (make test does)"


def encrypted_pdf(path: Path, source: Path, user_password: str) -> Path:
    """``source`` encrypted (AES-128); with an empty user password any viewer opens it."""
    writer = PdfWriter(clone_from=source)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def unrenderable_pdf(path: Path, source: Path) -> Path:
    """A scan whose trailer lost its /Root: pypdf finds the catalogue by searching, Poppler
    refuses the file, so no page can be rendered."""
    path.write_bytes(source.read_bytes().replace(b"/Root", b"/Rxxt"))
    return path


def ocr_events(home: Path) -> list[CustodyEvent]:
    store = open_store(home, "tester")
    with store.session() as session:
        return list(
            session.scalars(
                select(CustodyEvent).where(
                    CustodyEvent.action == "enriched",
                    CustodyEvent.details.like('%"enricher":"ocr"%'),
                )
            )
        )


def blobs(home: Path) -> dict[int, str]:
    """Each item's stored bytes, hashed afresh from the vault."""
    store = open_store(home, "tester")
    with store.session() as session:
        items = {i.id: i.sha256 for i in session.scalars(select(Item))}
    return {
        item_id: hashlib.sha256(store.vault.read_verified(sha)).hexdigest()
        for item_id, sha in items.items()
        if sha
    }


def test_enrich_records_no_reading_of_a_damaged_pdf_and_says_so_on_every_run(
    backend: str, home: Path, tmp_path: Path
) -> None:
    corrupt, truncated, looping, empty = damaged_pdfs(tmp_path)
    scan = scanned_pdf(tmp_path / "scan.pdf", page(STATEMENT))
    locked = encrypted_pdf(tmp_path / "locked.pdf", scan, "secret")
    files = [corrupt, truncated, looping, empty, locked]
    run("add", "--case", "c", *map(str, files), code=1)
    before = blobs(home)
    reasons = {
        1: "corrupt.pdf: PDF is damaged (",
        2: "truncated.pdf: PDF is damaged (",
        3: "looping.pdf: PDF is damaged (PdfReadError: Detected cyclic page references",
        4: "empty.pdf: PDF has no pages",
        5: "locked.pdf: PDF is encrypted with a password; its pages cannot be read",
    }
    ids = [str(n) for n in reasons]
    # The first run, a forced one, and one after it: each names every item's damage once,
    # fails, and records no reading; the damaged items are never "done".
    for args in (["enrich", *ids], ["enrich", "--force", *ids], ["enrich", *ids]):
        output = run(*args, code=1)
        for number, reason in reasons.items():
            named = [line for line in output.splitlines() if reason in line]
            assert len(named) == 1 and named[0].startswith(f"enquiry: item {number}: "), output
        assert "ocr: 0 enriched, 0 already done, 5 failed" in output, output
        assert not ocr_events(home)
    assert not any("ocr/1" in found for found in texts(home).values())
    assert blobs(home) == before
    assert "intact" in run("verify")


def test_ocr_command_fails_an_encrypted_or_unrenderable_scan_and_records_nothing(
    backend: str, home: Path, tmp_path: Path
) -> None:
    scan = scanned_pdf(tmp_path / "scan.pdf", page(STATEMENT))
    locked = encrypted_pdf(tmp_path / "locked.pdf", scan, "secret")
    broken = unrenderable_pdf(tmp_path / "broken.pdf", scan)
    run("add", "--case", "c", str(locked), code=1)
    # Poppler's refusal is named at intake, and the reading noted as not made.
    assert "could not be rendered" in run("add", "--case", "c", str(broken), code=1)
    store = open_store(home, "tester")
    with store.session() as session:
        assert "rendered" in session.get(Item, 2).meta["ocr"]["unread"]
    for _ in range(2):  # a second run says the same: nothing was recorded as read
        output = run("ocr", "1", "2", code=1)
        assert "item 1: locked.pdf: PDF is encrypted with a password" in output, output
        assert "item 2: broken.pdf: OCR: page 1 could not be rendered" in output, output
        assert "0 item(s) read, 0 not readable, 2 failed" in output
        assert not ocr_events(home)
    # `enquiry enrich` reads the item intake could not render again, and fails it again.
    output = run("enrich", "2", code=1)
    assert "ocr: 0 enriched, 0 already done, 1 failed" in output, output
    assert not ocr_events(home)
    assert "intact" in run("verify")


def test_a_pdf_encrypted_without_a_user_password_is_read(home: Path, tmp_path: Path) -> None:
    """A PDF that only restricts printing or copying opens in any viewer: its scanned pages
    are read like any other's, and its text reader notes the encryption."""
    scan = scanned_pdf(tmp_path / "scan.pdf", page(STATEMENT))
    restricted = encrypted_pdf(tmp_path / "restricted.pdf", scan, "")
    run("add", "--case", "c", str(restricted))
    assert "General Ivan Petrov told reporters" in words(texts(home)[1]["ocr/1"])
    store = open_store(home, "tester")
    with store.session() as session:
        assert session.get(Item, 1).meta["text"]["encrypted"] == "without a user password"


def test_a_page_of_sixty_thousand_points_is_rendered_at_a_bounded_size(tmp_path: Path) -> None:
    """A page can declare sides of tens of thousands of points: it is rendered no larger than
    MAX_RENDER_SIDE pixels a side (a floor of 30 dpi made it 25,000 pixels a side, 40 s of
    rendering, then a picture too large to open: nothing read)."""
    for size in [(595.0, 842.0), (60_000.0, 78_000.0), (1e6, 1e6), (0.0, 0.0)]:
        dpi = ocr.render_dpi(size)
        assert 0 < dpi <= ocr.RENDER_DPI
        assert max(size) / 72 * dpi <= ocr.MAX_RENDER_SIDE + 1
    small = scanned_pdf(tmp_path / "small.pdf", page(STATEMENT))
    writer = PdfWriter(clone_from=small)
    sheet = writer.pages[0]
    sheet.scale_by(60_000 / float(sheet.mediabox.width))
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:
        writer.write(handle)
    assert float(PdfReader(huge).pages[0].mediabox.width) == pytest.approx(60_000)
    found = run_limited(
        ocr.OcrText(alone=True).extract, huge, "application/pdf", seconds=120, megabytes=1500
    )
    assert found.problems == [], found.problems
    assert found.metadata["pages_ocr"] == [1]
    assert "General Ivan Petrov" in words(found.text or "")


def _tiff_with_a_huge_second_page(path: Path) -> Path:
    """A two-page TIFF whose second page's header claims 60000×60000 pixels."""
    first = page(STATEMENT)
    first.save(path, "TIFF", save_all=True, append_images=[Image.new("L", (64, 64), 255)])
    data = bytearray(path.read_bytes())
    assert data[:2] == b"II"
    offset = struct.unpack_from("<I", data, 4)[0]
    count = struct.unpack_from("<H", data, offset)[0]
    offset = struct.unpack_from("<I", data, offset + 2 + 12 * count)[0]  # the second IFD
    count = struct.unpack_from("<H", data, offset)[0]
    for entry in range(count):
        at = offset + 2 + 12 * entry
        tag, kind = struct.unpack_from("<HH", data, at)
        if tag in (256, 257):  # ImageWidth, ImageLength
            if kind == 3:
                struct.pack_into("<H", data, at + 8, 60000)
            else:
                struct.pack_into("<I", data, at + 8, 60000)
    path.write_bytes(bytes(data))
    return path


def test_a_later_page_of_a_tiff_claiming_billions_of_pixels_is_not_decoded(
    tmp_path: Path,
) -> None:
    """Each page is checked before it is decoded; the pages read before a page too large to
    decode are kept (Pillow's own error on such a page ended the whole reading)."""
    tiff = _tiff_with_a_huge_second_page(tmp_path / "fax.tiff")
    with Image.open(tiff) as image:
        image.seek(1)
        assert image.size == (60000, 60000)
    found = run_limited(
        ocr.OcrText(insist=True, alone=True).extract,
        tiff,
        "image/tiff",
        seconds=120,
        megabytes=1024,
    )
    assert found.problems == [
        f"page 2 of the image claims 60000×60000 pixels (more than {ocr.MAX_PIXELS}): a"
        " decompression bomb is suspected; it and the pages after it are not read"
    ]
    assert found.metadata["pages_ocr"] == [1]
    assert "General Ivan Petrov" in words(found.text or "")


def test_a_pdf_of_thousands_of_pages_is_read_within_the_page_and_time_limits(
    tmp_path: Path,
) -> None:
    """A PDF bomb of 3000 scanned pages: at most MAX_PAGES pages are looked at, the clock
    stops the reading, and both are said."""
    blank = scanned_pdf(tmp_path / "blank.pdf", Image.new("L", (40, 40), 255))
    writer = PdfWriter()
    source = PdfReader(blank).pages[0]
    for _ in range(3000):
        writer.add_page(source)
    bomb = tmp_path / "bomb.pdf"
    with bomb.open("wb") as handle:
        writer.write(handle)
    found = run_limited(
        ocr.OcrText(alone=True).extract, bomb, "application/pdf", seconds=10, megabytes=1500
    )
    assert f"more than {ocr.MAX_PAGES} pages; OCR did not read the rest" in found.problems
    assert any("before the time limit" in p for p in found.problems), found.problems
    assert (found.text or "").count("\f") == ocr.MAX_PAGES - 1
    assert 0 < len(found.metadata["pages_ocr"]) < ocr.MAX_PAGES


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("empty.png", b"", "image/png"),
        ("empty.pdf", b"", "application/pdf"),
        ("header.png", b"\x89PNG\r\n\x1a\n", "image/png"),
        ("scan.png", b"%PDF-1.4\n%%EOF\n", "image/png"),  # a PDF called a PNG
        ("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "application/pdf"),  # and the reverse
    ],
)
def test_empty_and_misnamed_files_are_one_problem_line(
    tmp_path: Path, name: str, data: bytes, media_type: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    found = ocr.OcrText(insist=True, alone=True).extract(path, media_type)
    assert len(found.problems) == 1 and found.text is None, found.problems
    assert "\n" not in found.problems[0]
