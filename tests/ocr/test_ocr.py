"""OCR through the real Tesseract: scanned PDFs and pictures of statements at intake, claims read
from their text, ``enquiry ocr`` on request, other scripts, and what happens without the engine
or when a scan takes too long."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from sqlalchemy import select

from enquiry.cli import main
from enquiry.enrich import ocr
from enquiry.publish.pdf import html_to_pdf
from enquiry.store import open_store
from enquiry.store.tables import Actor, Claim, CustodyEvent, Item, ItemText

SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

STATEMENT = (
    "Press release of the Ministry of Defence, 12 April 2017.\n"
    "The ministry said that the convoy had left the town two days before the attack. "
    "General Ivan Petrov told reporters that no aircraft had flown over the area that morning. "
    "The spokesman added that the photographs shown by the commission were staged."
)


@pytest.fixture(autouse=True)
def _engine() -> None:
    ocr.tesseract_version.cache_clear()
    ocr.installed_languages.cache_clear()
    assert ocr.unavailable() is None, "the set-up installs tesseract-ocr (make test does)"


def page(text: str, *, font: str = SERIF, size: int = 40, width: int = 2000) -> Image.Image:
    """A clean page at about 300 dpi with ``text`` wrapped in paragraphs."""
    face = ImageFont.truetype(font, size)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, 70))
        lines.append("")
    image = Image.new("L", (width, 240 + len(lines) * round(size * 1.45)), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((120, 120 + number * round(size * 1.45)), line, font=face, fill=0)
    return image


def scanned_pdf(path: Path, *images: Image.Image) -> Path:
    """An image-only PDF (no font, no text layer), as a scanner makes."""
    first, *rest = [im.convert("RGB") for im in images]
    first.save(path, "PDF", resolution=300.0, save_all=True, append_images=rest)
    return path


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    return result.output


def texts(home: Path) -> dict[int, dict[str, str]]:
    store = open_store(home, "tester")
    found: dict[int, dict[str, str]] = {}
    with store.session() as session:
        for item_id, extractor, text in session.execute(
            select(ItemText.item_id, ItemText.extractor, ItemText.text)
        ):
            found.setdefault(item_id, {})[extractor] = text
    return found


def meta(home: Path, item_id: int) -> dict:
    store = open_store(home, "tester")
    with store.session() as session:
        return dict(session.get(Item, item_id).meta or {})


def words(text: str) -> str:
    return " ".join(text.split())


# --- intake ------------------------------------------------------------------------------------


def test_image_only_pdf_is_read_at_intake_with_engine_version_and_language(
    home: Path, tmp_path: Path
) -> None:
    pdf = scanned_pdf(tmp_path / "scan.pdf", page(STATEMENT))
    run("add", "--case", "c", str(pdf))
    stored = texts(home)[1]
    assert words(stored["text/1"]) == ""  # no text layer: the text extractor finds nothing
    assert "no aircraft had flown over the area" in words(stored["ocr/1"])
    found = meta(home, 1)["ocr"]
    assert found["engine"] == "tesseract"
    assert found["engine_version"] == ocr.tesseract_version()
    assert found["languages"] == "eng" and found["script"] == "Latin"
    assert found["pages_ocr"] == [1]
    assert found["confidence"] > 80 and found["words"] > 40
    # the received event vouches for the OCR text like any other derived text
    store = open_store(home, "tester")
    with store.session() as session:
        event = session.scalars(select(CustodyEvent).where(CustodyEvent.action == "received")).one()
    assert "ocr/1" in json.loads(event.details)["texts"]
    assert "intact" in run("verify")


def test_pages_are_rendered_and_read_in_memory_not_in_the_system_temporary_folder(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rendered page is the evidence's content (a protected witness statement's, maybe): it
    is made in a memory file system, never in the system's temporary folder on disk, from
    which a deleted file can be read back. With that folder unusable, OCR still reads."""
    import tempfile

    from enquiry.store import vault

    assert vault.MEMORY_FOLDER.is_dir()  # Linux: /dev/shm
    blocked = tmp_path / "system-temp"
    blocked.write_text("a file where the temporary folder should be")
    monkeypatch.setattr(tempfile, "tempdir", str(blocked))
    pdf = scanned_pdf(tmp_path / "scan.pdf", page(STATEMENT))
    run("add", "--case", "c", str(pdf))
    assert "no aircraft had flown over the area" in words(texts(home)[1]["ocr/1"])
    with vault.scratch_folder("enquiry-ocr-") as folder:
        assert Path(folder).parent == vault.MEMORY_FOLDER
        assert Path(folder).stat().st_mode & 0o777 == 0o700


def test_pdf_with_a_text_page_and_a_scanned_page_gives_the_whole_document(
    home: Path, tmp_path: Path
) -> None:
    typed = html_to_pdf(
        "<html><body><p>Page one was typed: the ministry denied the report.</p></body></html>"
    )
    scan = scanned_pdf(tmp_path / "scan.pdf", page(STATEMENT))
    writer = PdfWriter()
    for source in (PdfReader(io.BytesIO(typed)), PdfReader(scan)):
        for sheet in source.pages:
            writer.add_page(sheet)
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as handle:
        writer.write(handle)
    run("add", "--case", "c", str(mixed))
    text = texts(home)[1]["ocr/1"]
    first, second = text.split("\f")
    assert "ministry denied the report" in words(first)
    assert "convoy had left the town" in words(second)
    assert meta(home, 1)["ocr"]["pages_ocr"] == [2]


def test_pdf_with_a_text_layer_is_not_read_again(home: Path, tmp_path: Path) -> None:
    typed = tmp_path / "typed.pdf"
    typed.write_bytes(html_to_pdf("<html><body><p>Typed, not scanned.</p></body></html>"))
    run("add", "--case", "c", str(typed))
    assert set(texts(home)[1]) == {"text/1"}
    assert "ocr" not in meta(home, 1)


def test_photo_of_a_scene_is_not_read_but_can_be_on_request(home: Path, tmp_path: Path) -> None:
    from skimage import data

    photo = tmp_path / "street.jpg"
    Image.fromarray(data.astronaut()).save(photo, quality=90)
    scan = tmp_path / "letter.png"
    page(STATEMENT).save(scan)
    run("add", "--case", "c", str(photo), str(scan))
    stored = texts(home)
    assert 1 not in stored and "ocr" not in meta(home, 1)
    assert "convoy had left the town" in words(stored[2]["ocr/1"])
    # asked for, any picture is read and whatever is read is kept with its confidence
    output = run("ocr", "1")
    assert "1 item(s) read" in output
    assert "ocr/1" in texts(home)[1]
    assert meta(home, 1)["ocr"]["confidence"] < ocr.MIN_CONFIDENCE or (
        meta(home, 1)["ocr"]["words"] < ocr.MIN_WORDS
    )


def test_rule_for_pictures_that_look_like_pages() -> None:
    from skimage import data

    scenes = ("astronaut", "camera", "coffee", "chelsea", "coins", "brick", "grass", "clock")
    for name in (*scenes, "hubble_deep_field", "moon", "retina", "colorwheel", "checkerboard"):
        assert not ocr.looks_like_page(Image.fromarray(getattr(data, name)())), name
    assert ocr.looks_like_page(page(STATEMENT))
    # a photographed page of a book (scikit-image's "page": uneven light, textured paper)
    assert ocr.looks_like_page(Image.fromarray(data.page()))
    photographed = np.asarray(page(STATEMENT), dtype=np.float64) * 0.8 + 20
    assert ocr.looks_like_page(Image.fromarray(photographed.astype(np.uint8)).convert("RGB"))


# --- preparation -------------------------------------------------------------------------------


def test_pictures_that_only_look_like_pages_keep_no_text(tmp_path: Path) -> None:
    from skimage import data

    for name in ("rocket", "horse", "cell"):
        path = tmp_path / f"{name}.png"
        Image.fromarray(getattr(data, name)()).save(path)
        found = ocr.OcrText().extract(path, "image/png")
        assert found.text is None and found.metadata.get("kept") is False, name


def test_preparation_straightens_enlarges_cleans_and_evens_the_light() -> None:
    clean = page(STATEMENT)
    assert ocr.prepare(clean)[1] == []
    _, steps = ocr.prepare(clean.rotate(6, expand=True, fillcolor=255))
    assert steps and steps[0].startswith("deskew")
    assert abs(float(steps[0].split()[1].rstrip("°")) + 6) <= 0.3
    small = clean.resize((clean.width // 4, clean.height // 4), Image.Resampling.LANCZOS)
    assert [s.split()[0] for s in ocr.prepare(small)[1]] == ["upscale"]
    rng = np.random.default_rng(1)
    pixels = np.asarray(clean).copy()
    pixels[rng.random(pixels.shape) < 0.02] = 0
    assert "denoise median 3" in ocr.prepare(Image.fromarray(pixels))[1]
    ramp = np.linspace(1.0, 0.5, clean.width)[None, :]
    shaded = Image.fromarray((np.asarray(clean) * ramp).astype(np.uint8))
    assert "flatten light" in ocr.prepare(shaded)[1]


def test_low_resolution_noisy_skewed_photo_reads_better_than_plain_tesseract(
    tmp_path: Path,
) -> None:
    """The preparation earns its place: on a spoilt picture of a page, the words come back."""
    spoilt = page(STATEMENT).rotate(-7, expand=True, fillcolor=255)
    spoilt = spoilt.resize((spoilt.width // 3, spoilt.height // 3), Image.Resampling.LANCZOS)
    path = tmp_path / "spoilt.png"
    spoilt.save(path)
    found = ocr.OcrText(insist=True).extract(path, "image/png")
    assert "no aircraft had flown over the area" in words(found.text or "")
    assert {"deskew", "upscale"} <= set(found.metadata["preprocessing"])


def test_printed_lines_are_joined_into_paragraphs() -> None:
    assert ocr.reflow(
        "The minister said that the con-\nvoy had left\nthe town.\n\nNext one.\n"
    ) == ("The minister said that the con-voy had left the town.\n\nNext one.")
    assert ocr.reflow("a well-\n42 figure") == "a well- 42 figure"


# --- other scripts -----------------------------------------------------------------------------


def test_russian_statement_is_read_in_russian(tmp_path: Path) -> None:
    path = tmp_path / "ru.png"
    page(
        "Министерство обороны заявило, что колонна покинула город за два дня до удара. "
        "Представитель ведомства сообщил журналистам, что самолёты над районом не летали.",
        font=SANS,
    ).save(path)
    found = ocr.OcrText().extract(path, "image/png")
    assert found.metadata["script"] == "Cyrillic"
    assert found.metadata["languages"] == "rus+eng"
    assert "самолёты над районом не летали" in words(found.text or "")


def test_arabic_statement_is_read_in_arabic(tmp_path: Path) -> None:
    lines = [
        "قالت وزارة الخارجية إن تقرير اللجنة يستند إلى",
        "معلومات لم يتم التحقق منها ولا يمكن اعتباره دليلا",
        "على استخدام الأسلحة الكيميائية في المنطقة.",
        "وأضاف المتحدث باسم الوزارة أن التحقيق جرى",
    ]
    face = ImageFont.truetype(SANS, 40)
    image = Image.new("L", (2000, 500), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((1880, 80 + number * 70), line, font=face, fill=0, direction="rtl", anchor="ra")
    path = tmp_path / "ar.png"
    image.save(path)
    found = ocr.OcrText().extract(path, "image/png")
    assert found.metadata["script"] == "Arabic"
    assert found.metadata["languages"] == "ara+eng"
    assert "وزارة الخارجية" in (found.text or "")


# --- claims ------------------------------------------------------------------------------------


def test_claims_are_read_from_a_scanned_statement_at_ingest(home: Path, tmp_path: Path) -> None:
    picture = tmp_path / "statement.png"
    page(STATEMENT).save(picture)
    pdf = scanned_pdf(tmp_path / "release.pdf", page(STATEMENT))
    output = run("ingest", "--quiet", "--case", "c", "--kind", "statement", str(picture))
    assert "claims from 1 documents" in output
    run("ingest", "--quiet", "--case", "c", str(pdf))
    store = open_store(home, "tester")
    with store.session() as session:
        claims = session.scalars(select(Claim).order_by(Claim.id)).all()
        speakers = {a.id: a.name for a in session.scalars(select(Actor))}
        events = [
            json.loads(e.details)
            for e in session.scalars(select(CustodyEvent).where(CustodyEvent.action == "enriched"))
        ]
    for item_id in (1, 2):
        said = {c.text: speakers.get(c.actor_id or 0, "") for c in claims if c.item_id == item_id}
        aircraft = [who for text, who in said.items() if "no aircraft had flown" in text]
        assert aircraft and "Petrov" in aircraft[0], said
    # the claims say which text they were read from
    assert {e["inputs"]["text"] for e in events if e["enricher"] == "claims"} == {"ocr/1"}


def test_claims_extract_reads_a_picture_and_a_scanned_pdf(tmp_path: Path) -> None:
    picture = tmp_path / "statement.jpg"
    page(STATEMENT).convert("RGB").save(picture, quality=85)
    for path in (picture, scanned_pdf(tmp_path / "scan.pdf", page(STATEMENT))):
        found = json.loads(run("claims", "extract", "--json", str(path)))
        assert any("Petrov" in c["source"]["text"] for c in found["claims"] if c.get("source"))


# --- on request, and bad input -----------------------------------------------------------------


def test_ocr_command_reads_in_the_language_asked_and_records_it(home: Path, tmp_path: Path) -> None:
    scan = tmp_path / "letter.png"
    page(STATEMENT).save(scan)
    run("add", "--case", "c", "--kind", "statement", str(scan))
    output = run("ocr", "1", "--lang", "eng+rus")
    assert "(eng+rus; pages 1" in output
    assert meta(home, 1)["ocr"]["languages"] == "eng+rus"
    store = open_store(home, "tester")
    with store.session() as session:
        event = session.scalars(
            select(CustodyEvent).where(CustodyEvent.action == "enriched").order_by(CustodyEvent.seq)
        ).first()
    details = json.loads(event.details)
    assert details["enricher"] == "ocr" and "ocr/1" in details["texts"]
    assert "intact" in run("verify")


def test_ocr_command_refuses_bad_requests_in_one_line(home: Path, tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("plain text", encoding="utf-8")
    run("add", "--case", "c", str(note))
    assert "not an image or PDF" in run("ocr", "1", code=1)
    output = run("ocr", "1", "--lang", "klingon", code=2)
    assert "tesseract has no model for klingon" in output
    for listed in ("eng+", "+eng", "eng++rus"):  # an empty name in the list is no language
        assert "is not a language list" in run("ocr", "1", "--lang", listed, code=2)
    assert "enquiry:" in run("ocr", "99", code=1)
    assert "Missing argument" in run("ocr", code=2)


def test_truncated_scan_is_stored_and_flagged_not_lost(home: Path, tmp_path: Path) -> None:
    whole = io.BytesIO()
    page(STATEMENT).save(whole, "PNG")
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    output = run("add", "--case", "c", str(cut), code=1)
    assert "truncated" in output
    store = open_store(home, "tester")
    with store.session() as session:
        item = session.get(Item, 1)
        assert item is not None and item.sha256
    assert "intact" in run("verify")


def looping_pdf(path: Path) -> Path:
    """A PDF whose page tree names itself as its own page: parsed, its pages never end."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]
    data = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data)
    data += b"xref\n0 3\n0000000000 65535 f \n"
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(data))
    return path


def damaged_pdfs(tmp_path: Path) -> list[Path]:
    """Garbage after a PDF header, the first half of a scan, a looping page tree, no pages."""
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    whole = scanned_pdf(tmp_path / "whole.pdf", page(STATEMENT)).read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(whole[: len(whole) // 2])
    empty = tmp_path / "empty.pdf"
    with empty.open("wb") as handle:
        PdfWriter().write(handle)
    return [corrupt, truncated, looping_pdf(tmp_path / "looping.pdf"), empty]


def test_ocr_command_names_a_damaged_or_empty_pdf_and_records_nothing(
    home: Path, tmp_path: Path
) -> None:
    files = damaged_pdfs(tmp_path)
    for path in files:  # stored, each with its problem
        run("add", "--case", "c", str(path), code=1)
    output = run("ocr", "1", "2", "3", "4", code=1)
    lines = output.splitlines()
    for number, reason in [
        (1, "corrupt.pdf: PDF is damaged ("),
        (2, "truncated.pdf: PDF is damaged ("),
        (3, "looping.pdf: PDF is damaged (PdfReadError: Detected cyclic page references"),
        (4, "empty.pdf: PDF has no pages"),
    ]:
        named = [line for line in lines if f"item {number}: " in line]
        assert len(named) == 1 and reason in named[0], output
    assert "text layer only" not in output
    assert "0 item(s) read, 0 not readable, 4 failed" in output
    assert not any("ocr/1" in found for found in texts(home).values())
    store = open_store(home, "tester")
    with store.session() as session:
        assert not session.scalars(
            select(CustodyEvent).where(CustodyEvent.action == "enriched")
        ).all()
    assert "intact" in run("verify")


def test_enrich_names_the_damage_of_a_pdf_once(home: Path, tmp_path: Path) -> None:
    corrupt, truncated, looping, _empty = damaged_pdfs(tmp_path)
    for path in (corrupt, truncated, looping):
        run("add", "--case", "c", str(path), code=1)
    output = run("enrich", "--force", "1", "2", "3", code=1)
    for number in (1, 2, 3):
        damage = [
            line for line in output.splitlines() if f"item {number}: " in line and "damaged" in line
        ]
        assert len(damage) == 1, output


def test_scan_too_long_to_read_keeps_the_pages_read_and_says_so(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENQUIRY_DECODE_SECONDS", "6")
    pdf = scanned_pdf(tmp_path / "long.pdf", *[page(STATEMENT)] * 12)
    assert "before the time limit" in run("add", "--case", "c", str(pdf), code=1)
    problems = meta(home, 1)["intake"]["problems"]
    assert any("before the time limit" in p and "ENQUIRY_DECODE_SECONDS" in p for p in problems)
    assert meta(home, 1)["ocr"]["pages_ocr"] != list(range(1, 13))
    assert "intact" in run("verify")


def test_without_the_engine_a_scan_is_stored_with_a_warning(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = scanned_pdf(tmp_path / "scan.pdf", page(STATEMENT))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    ocr.tesseract_version.cache_clear()
    ocr.installed_languages.cache_clear()
    output = run("add", "--case", "c", str(pdf), code=1)  # stored, with a problem
    assert "images without a text layer" in output and "tesseract is not installed" in output
    assert "ocr/1" not in texts(home)[1]
    assert meta(home, 1)["ocr"]["pages_without_text"] == [1]
    assert "tesseract is not installed" in run("ocr", "1", code=1)
    monkeypatch.undo()
    ocr.tesseract_version.cache_clear()
    ocr.installed_languages.cache_clear()


def test_ocr_command_withholds_a_protected_items_name(home: Path, tmp_path: Path) -> None:
    scan = tmp_path / "witness-amal-k.png"
    page(STATEMENT).save(scan)
    run("add", "--case", "c", "--kind", "testimony", "--field", "witness_pseudonym=W-1", str(scan))
    # A protected item is stored encrypted, and no enricher reads it after intake (what it
    # derived would lie in the catalogue in the clear: docs/protection.md); the refusal names
    # the item by its number only.
    output = run("ocr", "1", code=1)
    assert "not read by ocr" in output and "0 item(s) read" in output and "1 failed" in output
    assert "amal" not in output.lower() and "withheld" in output


def test_ocr_command_says_a_blank_scan_holds_no_text(home: Path, tmp_path: Path) -> None:
    """A blank page asked to be read is read (exit 0) and said to hold no text; the claims step
    is not run on nothing, so no claims problem is printed for it."""
    blank = scanned_pdf(tmp_path / "blank.pdf", Image.new("L", (2000, 2600), 255))
    run("add", "--case", "c", "--kind", "statement", str(blank))
    output = run("ocr", "1")
    line = next(line for line in output.splitlines() if line.startswith("item 1\t"))
    assert line.startswith("item 1\tno text found (") and line.endswith("\tblank.pdf"), output
    assert "claims" not in output, output
    assert "1 item(s) read, 0 not readable, 0 failed" in output
