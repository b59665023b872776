"""A bundle's PDF report is read back against its checked page: both verifiers extract the
PDF's text (with the standard library only) and require every character of the page, in the
same order, with nothing added but what the print styles add (list numbers, the running head,
page numbers, the contents' leaders, a table's head on each page it runs over).

The page's figures are checked against the finding; before this, the PDF beside it — the file
most people are sent and quote — was signed but never compared with anything, so a signer
could publish a PDF that says something else."""

from __future__ import annotations

import base64
import io
import random
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from bundle_helpers import SLUG, Made, failed_lines, resign, resigned, tool, verify_both

from enquiry.app import Enquiry, bundles
from enquiry.errors import Unverified
from enquiry.publish import bundle_check
from enquiry.publish.bundle_check import (
    PdfError,
    PdfFile,
    page_pictures,
    pdf_additions,
    pdf_pictures,
    pdf_problem,
    pdf_text,
    picture_size,
    pictures_problem,
    read_pdf,
)
from enquiry.publish.pdf import html_to_pdf

PAGE = f"report/{SLUG}.html"
PDF = f"report/{SLUG}.pdf"


def _page(made: Made) -> str:
    with zipfile.ZipFile(made.bundle) as archive:
        return archive.read(PAGE).decode("utf-8")


def test_an_honest_pdf_reads_back_as_its_page(made: Made) -> None:
    code, stdout, _ = verify_both(made.bundle, "--key", made.key)
    assert code == 0, stdout
    line = next(x for x in stdout.splitlines() if x.startswith(f"report {PDF}:"))
    with zipfile.ZipFile(made.bundle) as archive:
        pages = pdf_text(archive.read(PDF))
    assert f"its {len(pages)} pages print the checked page" in line
    assert pdf_problem(_page(made), pages) is None


def _edited(page: str, how: str) -> str:
    if how == "a figure":
        marked = re.search(r'data-show="share">([^<]+)<', page)
        assert marked is not None
        start, end = marked.span(1)
        return page[:start] + "above 99%" + page[end:]
    if how == "a sentence added":
        return page.replace("<h2", "<p>The panel doubts all of this.</p><h2", 1)
    if how == "a heading left out":
        heading = re.search(r"<h2[^>]*>([^<]+)</h2>", page)
        assert heading is not None
        return page[: heading.start(1)] + page[heading.end(1) :]
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["a figure", "a sentence added", "a heading left out"])
def test_a_pdf_printed_from_another_page_fails(made: Made, tmp_path: Path, how: str) -> None:
    page = _page(made)
    forged = html_to_pdf(_edited(page, how))
    cooked = resigned(made, tmp_path / "cooked.zip", {PDF: forged})
    code, stdout, _ = verify_both(cooked, "--key", made.key)
    assert code == 1, stdout
    failed = failed_lines(stdout)
    assert len(failed) == 1, stdout
    assert failed[0].startswith(f"FAILED: report {PDF}: it does not print its page: on its page")
    # the checked page itself still holds, and says so
    assert f"report {PAGE}: its" in stdout
    successor = Enquiry.at(tmp_path / "successor", "successor")
    with pytest.raises(Unverified, match="it does not print its page"):
        bundles.import_bundle(successor, cooked, key=made.key)


def test_a_pdf_that_cannot_be_read_back_fails_in_one_line(made: Made, tmp_path: Path) -> None:
    with zipfile.ZipFile(made.bundle) as archive:
        honest = archive.read(PDF)
    cooked = resigned(made, tmp_path / "cut.zip", {PDF: honest[: len(honest) // 2]})
    code, stdout, stderr = verify_both(cooked, "--key", made.key)
    assert code == 1, stdout
    failed = failed_lines(stdout)
    assert len(failed) == 1 and "Traceback" not in stdout + stderr, stdout + stderr
    assert failed[0].startswith(f"FAILED: report {PDF}: it cannot be read back (")


# --- PDFs made by hand: what the reader knows beyond what WeasyPrint writes, and hostile files


def _pdf(objects: dict[int, bytes], root: int = 1) -> bytes:
    """A PDF with a classic cross-reference table over ``objects`` (number -> body)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 00000 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    body = zlib.compress(data) if compress else data
    flate = b"/Filter /FlateDecode " if compress else b""
    return b"<< %s/Length %d %s>>\nstream\n" % (flate, len(body), extra) + body + b"\nendstream"


CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <0048> <0002> <0069> endbfchar
1 beginbfrange <0010> <0019> <0030> endbfrange
1 beginbfrange <0020> <0021> [<00E9> <FB01>] endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""


def _document(
    content: bytes, font: bytes | None = None, extra: dict[int, bytes] | None = None
) -> bytes:
    fonts = font if font is not None else b"<< /Type /Font /Subtype /Type0 /ToUnicode 6 0 R >>"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 7 0 R] /Count 2 /Resources << /Font << /F1 5 0 R >> "
        b"/XObject << /X1 8 0 R >> >> >>",
        3: b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        4: _stream(content),
        5: fonts,
        6: _stream(CMAP),
        7: b"<< /Type /Page /Parent 2 0 R /Contents [9 0 R] >>",
        8: _stream(b"BT /F1 9 Tf <00200021> Tj ET", b"/Type /XObject /Subtype /Form "),
        9: _stream(b"BT /F1 9 Tf (\\000\\001) Tj ET", compress=False),
        **(extra or {}),
    }
    return _pdf(objects)


def test_a_pdf_is_read_page_by_page_and_block_by_block() -> None:
    content = (
        b"BT /F1 12 Tf [<0001> -250 <0002>] TJ ET q BT /F1 9 Tf <00100011 0019> Tj ET Q /X1 Do"
    )
    pages = pdf_text(_document(content))
    # inherited resources, a form drawn, hexadecimal and literal strings, ranges and arrays
    assert pages == [["Hi", "019", "\u00e9\ufb01"], ["H"]]


@pytest.mark.parametrize(
    ("shown", "text"),
    [
        (b"[<0001>-250<0002>]", "Hi"),  # as WeasyPrint writes it: no space at all
        (b"[ <00 01> 12.5\n<0002> -.5 ]", "Hi"),  # blanks inside a string, decimals
        (b"[<000>]", "\ufffd"),  # an odd digit count: a last 0 is supplied
        (b"[<0001> % a comment\n<0002>]", "Hi"),  # a comment: read token by token
        (b"[(\\000\\001) 5 <0002>]", "Hi"),  # a literal string among them, likewise
        (b"[1234567890123456789 <0001>]", "H"),  # a long number, likewise
        (b"[<0001> [<0002>]]", "H"),  # an array inside: strings only at the top are shown
    ],
)
def test_an_array_of_shown_strings_reads_the_same_however_it_is_spaced(
    shown: bytes, text: str
) -> None:
    assert pdf_text(_document(b"BT /F1 12 Tf " + shown + b" TJ ET"))[0] == [text]


@pytest.mark.parametrize(
    ("shown", "problem"),
    [
        (b"[<00zz>]", "hexadecimal string holds other characters"),
        (b"[<0001> 123456789012345678901234 <0002>]", "number too long"),
        (b"[<0001>", "an unexpected 'TJ'"),  # unclosed: the operator is read as in it
    ],
)
def test_an_array_of_shown_strings_that_is_malformed_is_refused(shown: bytes, problem: str) -> None:
    with pytest.raises(PdfError, match=problem):
        pdf_text(_document(b"BT /F1 12 Tf " + shown + b" TJ ET"))


def _pdf_with_object_stream(objects: dict[int, bytes]) -> bytes:
    """A PDF as WeasyPrint writes one: ``objects`` (number -> body, no streams among them)
    packed in one object stream, found through a cross-reference stream."""
    numbers = sorted(objects)
    bodies = [objects[n] + b"\n" for n in numbers]
    offsets, at = [], 0
    for body in bodies:
        offsets.append(at)
        at += len(body)
    head = b" ".join(b"%d %d" % pair for pair in zip(numbers, offsets, strict=True)) + b"\n"
    container, xref = max(numbers) + 1, max(numbers) + 2
    packed = zlib.compress(head + b"".join(bodies))
    out = bytearray(b"%PDF-1.7\n")
    container_at = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        container,
        len(numbers),
        len(head),
        len(packed),
    )
    out += b"stream\n" + packed + b"\nendstream\nendobj\n"
    rows = bytearray(b"\0\0\0\0\0")  # object 0 is free
    for number in range(1, xref + 1):
        if number in objects:
            rows += (
                bytes([2]) + container.to_bytes(2, "big") + numbers.index(number).to_bytes(2, "big")
            )
        elif number == container:
            rows += bytes([1]) + container_at.to_bytes(4, "big")
        else:
            rows += bytes([1]) + len(out).to_bytes(4, "big")
    xref_at = len(out)
    out += b"%d 0 obj\n<< /Type /XRef /W [1 2 2] /Size %d /Root 1 0 R /Length %d >>\n" % (
        xref,
        xref + 1,
        len(rows),
    )
    out += b"stream\n" + rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def test_an_object_stream_is_inflated_once_however_many_objects_it_holds() -> None:
    # a long report's objects are packed in one stream: inflated again for each of them,
    # a report of a thousand pages would be read over a gigabyte of streams and refused
    pages = 300
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Count %d /Kids [%s] >>"
        % (pages, b" ".join(b"%d 0 R" % (10 + n) for n in range(pages))),
        **{
            10 + n: b"<< /Type /Page /Parent 2 0 R /Filler (%s) >>" % (b"x" * 200)
            for n in range(pages)
        },
    }
    data = _pdf_with_object_stream(objects)
    pdf, read = read_pdf(data)
    assert read == [[]] * pages
    packed = sum(len(body) + 1 for body in objects.values())
    assert packed < pdf.stream_bytes < 2 * packed


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("not a PDF", b"GIF89a" + b"\0" * 100, "does not begin as a PDF"),
        ("no end", b"%PDF-1.4\n1 0 obj << >> endobj\n", "no startxref"),
        (
            "a deflate bomb",
            _document(b"BT ET", extra={4: _stream(b"\0" * (3 << 20))}),
            "more than 2 MiB",
        ),
        (
            "an unknown filter",
            _document(
                b"BT ET", extra={4: b"<< /Filter /LZWDecode /Length 1 >>\nstream\nx\nendstream"}
            ),
            "LZWDecode",
        ),
        (
            "no ToUnicode",
            _document(b"BT /F1 9 Tf (a) Tj ET", font=b"<< /Type /Font /Subtype /Type1 >>"),
            "no ToUnicode",
        ),
        ("nested arrays", _document(b"[" * 5000 + b"]" * 5000 + b" TJ"), "nested too deep"),
        ("a string that never ends", _document(b"BT /F1 9 Tf (abc Tj ET"), "never ends"),
        (
            "a page tree that loops",
            _document(b"BT ET", extra={2: b"<< /Type /Pages /Kids [2 0 R] >>"}),
            "page tree loops",
        ),
        (
            "a form that draws itself",
            _document(
                b"/X1 Do",
                extra={8: _stream(b"q /X1 Do Q", b"/Type /XObject /Subtype /Form ")},
            ),
            "draw each other in a loop",
        ),
        ("too much drawn", _document(b"q Q " * 3000), "draws too much"),
        ("invisible text", _document(b"BT 3 Tr /F1 9 Tf <0001> Tj ET"), "invisibly"),
        (
            "a predictor over a large stream",
            _document(
                b"BT ET",
                extra={
                    4: _stream(b"\0" * (3 << 19), b"/DecodeParms << /Predictor 12 /Columns 4 >> ")
                },
            ),
            "under a predictor",
        ),
        (
            "a reference to itself",
            _document(b"BT ET", extra={5: b"5 0 R"}),
            "loop",
        ),
        (
            # stored as it is, not deflated: each drawing of it is read again all the same
            "a form drawn again and again",
            _document(
                b"/X1 Do " * 60,
                extra={
                    8: _stream(
                        b"BT /F1 9 Tf (" + b"\\000\\001" * 5000 + b") Tj ET",
                        b"/Type /XObject /Subtype /Form ",
                        compress=False,
                    )
                },
            ),
            "more than 2 MiB",
        ),
        (
            "a ToUnicode entry too long",
            _document(
                b"BT /F1 9 Tf <0001> Tj ET",
                extra={6: _stream(b"1 beginbfchar <0001> <" + b"0041" * 300 + b"> endbfchar")},
            ),
            "longer than 512 bytes",
        ),
        (
            # each code is 256 letters: a few kilobytes of codes would be millions of letters
            "text that grows",
            _document(
                b"BT /F1 9 Tf <" + b"0001" * 5000 + b"> Tj ET",
                extra={6: _stream(b"1 beginbfchar <0001> <" + b"0041" * 256 + b"> endbfchar")},
            ),
            "more than 1,048,576 characters",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else "",
)
def test_a_hostile_pdf_is_refused_in_one_line(
    name: str, data: bytes, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # streams may inflate to 2 MiB here, not 512: the bomb need not be large to be one
    monkeypatch.setattr(bundle_check, "MAX_PDF_INFLATED", 2 << 20)
    monkeypatch.setattr(bundle_check, "MAX_PDF_OPERATORS", 2000)
    monkeypatch.setattr(bundle_check, "MAX_PDF_PREDICTED", 1 << 20)
    monkeypatch.setattr(bundle_check, "MAX_PDF_TEXT", 1 << 20)
    with pytest.raises(PdfError, match=problem):
        pages = pdf_text(data)
        # a reader that read it must at least not have made text up
        raise PdfError(f"read {pages!r}")


def test_what_the_print_styles_add_is_passed_over_and_nothing_else() -> None:
    page = (
        "<html><head><title>Not shown</title><style>h1 { color: red }</style></head><body>"
        '<h1>The title</h1><nav class="toc"><ol><li><a href="#s">Summary</a></li></ol></nav>'
        "<p>Posterior <span>97%</span></p><svg><title>hidden</title><text>1</text></svg>"
        "<table><thead><tr><th>Item</th><th>H1</th></tr></thead>"
        "<tr><td>a</td><td>CC</td></tr><tr><td>b</td><td>I</td></tr></table></body></html>"
    )
    printed = [
        ["The title", "Summary........2", "Posterior 97%", "1", "ItemH1aCC", "1. ", "Page 1 of 2"],
        ["The title", "Item H1b I", "Page 2 of 2"],
    ]
    assert pdf_problem(page, printed) is None
    changed = [["The title", "Summary........2", "Posterior 87%", "1", "ItemH1aCC"], printed[1]]
    assert "it prints '87%" in (pdf_problem(page, changed) or "")
    short = [printed[0]]
    assert "it ends where the page goes on 'b" in (pdf_problem(page, short) or "")
    unlabelled = [[block for block in printed[0] if block != "1"], printed[1]]
    assert "it does not print '1', drawn on its page" in (pdf_problem(page, unlabelled) or "")
    added = [printed[0], ["Page 3 of 2"], ["The title", "Item H1b I", "It was staged."]]
    assert "it prints 'itwasstaged.'" in (pdf_problem(page, added) or "")
    # a contents leader and page number are the contents' only: dots and a digit slipped into
    # a figure elsewhere would make 97% read as 97..5%
    dotted = [["The title", "Summary........2", "Posterior 97..5%", *printed[0][3:]], printed[1]]
    assert "it prints '..5%" in (pdf_problem(page, dotted) or "")


def test_long_runs_are_read_in_one_pass() -> None:
    # a number run into a word, a long string and a long comment: none is read back and forth
    content = (
        b"1" * 200_000
        + b"x % "
        + b"c " * 200_000
        + b"\nBT /F1 9 Tf ("
        + b"\\(" * 100_000
        + b") Tj ET"
    )
    pages = pdf_text(_document(content))
    # 100,000 escaped "(" are 50,000 two-byte codes the font's map does not name
    assert pages == [["\ufffd" * 50_000], ["H"]]


# --- what a report's PDF may not carry beside its pages' text and pictures


def _annotated(annotation: bytes, *more: tuple[int, bytes]) -> bytes:
    """The hand-made document with one annotation on its first page."""
    page = b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots [10 0 R] >>"
    return _document(b"BT ET", extra={3: page, 10: annotation, **dict(more)})


def _saved_over(data: bytes, objects: dict[int, bytes]) -> bytes:
    """``data`` saved over once, as an editor's incremental update does: ``objects`` (number
    -> body) written in a section appended after the first, which stays in the file."""
    root = PdfFile(data).trailer["Root"].number
    start = data.rindex(b"startxref")
    previous = int(data[start + len(b"startxref") :].split()[0])
    update, offsets = bytearray(), {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(data) + len(update)
        update += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data) + len(update)
    update += b"xref\n"
    for number, offset in offsets.items():
        update += b"%d 1\n%010d 00000 n \n" % (number, offset)
    update += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        max(objects) + 1,
        root,
        previous,
        xref,
    )
    return data + bytes(update)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (_annotated(b"<< /Type /Annot /Subtype /Link /Dest (summary) >>"), None),
        (
            _annotated(b"<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://x.org) >> >>"),
            None,
        ),
        (
            # text laid over the page, which a viewer shows and the text check never reads
            _annotated(b"<< /Type /Annot /Subtype /FreeText /Contents (It was staged.) >>"),
            "a FreeText annotation",
        ),
        (
            _annotated(
                b"<< /Type /Annot /Subtype /Link /AP << /N 11 0 R >> >>",
                (11, _stream(b"BT /F1 9 Tf <0001> Tj ET", b"/Type /XObject /Subtype /Form ")),
            ),
            "drawn with an appearance of its own",
        ),
        (
            _annotated(b"<< /Type /Annot /Subtype /Link /A << /S /Launch /F (x.exe) >> >>"),
            "a Launch action",
        ),
        (
            _annotated(
                b"<< /Type /Annot /Subtype /FileAttachment /FS 11 0 R >>",
                (11, b"<< /Type /Filespec /F (face.jpg) /EF << /F 12 0 R >> >>"),
                (12, _stream(b"\xff\xd8\xff", b"/Type /EmbeddedFile ")),
            ),
            "a FileAttachment annotation",
        ),
        (
            _document(
                b"BT ET",
                extra={
                    1: b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 11 0 R >> >>",
                    11: b"<< /Names [(face.jpg) 12 0 R] >>",
                    12: b"<< /Type /Filespec /F (face.jpg) /EF << /F 13 0 R >> >>",
                    13: _stream(b"\xff\xd8\xff", b"/Type /EmbeddedFile "),
                },
            ),
            "an attached file",
        ),
        (
            _document(
                b"BT ET",
                extra={
                    1: b"<< /Type /Catalog /Pages 2 0 R "
                    b"/OpenAction << /S /JavaScript /JS (this.print()) >> >>"
                },
            ),
            "a script or an action that runs by itself",
        ),
        (
            # the first page's content replaced; what it said stays in the file
            _saved_over(_document(b"BT ET"), {4: _stream(b"BT /F1 9 Tf <0001> Tj ET")}),
            "saved over 1 time(s)",
        ),
    ],
    ids=[
        "link",
        "web link",
        "text laid over",
        "link's appearance",
        "launch",
        "attachment",
        "attached file",
        "script",
        "saved over",
    ],
)
def test_a_pdf_carries_nothing_but_its_pages(data: bytes, problem: str | None) -> None:
    # a viewer shows an annotation's text or appearance over the page, opens an attached
    # file, runs a script and keeps what an incremental update replaced: none of it is the
    # checked page's, and none of it is what the text and picture checks read
    pdf, _pages = read_pdf(data)
    found = pdf_additions(pdf)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found, found


def test_the_demo_pdf_saved_over_fails(made: Made, tmp_path: Path) -> None:
    # an editor's incremental update leaves the honest PDF whole in the file and adds to it
    with zipfile.ZipFile(made.bundle) as archive:
        honest = archive.read(PDF)
    note = b"<< /Type /Annot /Subtype /FreeText /Rect [0 0 200 20] /Contents (It was staged.) >>"
    cooked = resigned(made, tmp_path / "saved-over.zip", {PDF: _saved_over(honest, {9999: note})})
    code, stdout, stderr = verify_both(cooked, "--key", made.key)
    assert code == 1, stdout
    failed = failed_lines(stdout)
    assert len(failed) == 1 and "Traceback" not in stdout + stderr, stdout + stderr
    assert failed[0] == (
        f"FAILED: report {PDF}: it was saved over 1 time(s) (an incremental update keeps in the"
        " file what it replaced), where a report's PDF is written once"
    )


def test_an_inline_image_is_refused() -> None:
    # a picture drawn in the page's own content, not as an image of its own: it could be any
    # picture, beside the page's, and the picture check would never meet it
    with pytest.raises(PdfError, match="inline image"):
        pdf_text(_document(b"q 10 0 0 10 0 0 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q"))


# --- pictures: the PDF carries the page's pictures and no other


def _encoded(image: Any, form: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=form, **options)
    return buffer.getvalue()


def _noise(mode: str, size: tuple[int, int], seed: int) -> Any:
    from PIL import Image

    rng = random.Random(seed)
    channels = len(mode)
    return Image.frombytes(
        mode, size, bytes(rng.randrange(256) for _ in range(size[0] * size[1] * channels))
    )


def _img(data: bytes, kind: str) -> str:
    return f'<img src="data:image/{kind};base64,{base64.b64encode(data).decode("ascii")}">'


def test_pictures_are_compared_byte_for_byte_pixel_for_pixel_or_by_size() -> None:
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # taken on its side: WeasyPrint draws it upright, so it is redrawn
    pictures = [
        (_encoded(_noise("RGB", (64, 48), 1), "PNG"), "png"),
        (_encoded(_noise("RGBA", (40, 30), 2), "PNG"), "png"),
        (_encoded(Image.new("L", (20, 10), 128), "PNG"), "png"),
        (_encoded(Image.new("RGB", (30, 20), (255, 0, 0)), "GIF"), "gif"),
        (_encoded(_noise("RGB", (33, 22), 3), "JPEG"), "jpeg"),
        (_encoded(_noise("RGB", (36, 24), 4), "JPEG", exif=exif.tobytes()), "jpeg"),
    ]
    body = "".join(_img(data, kind) for data, kind in pictures)
    page = f"<html><body><h1>T</h1><p>x</p>{body}{_img(*pictures[0])}</body></html>"
    pdf, pages = read_pdf(html_to_pdf(page))
    assert pdf_problem(page, pages) is None
    problem, how = pictures_problem(page, pdf_pictures(pdf))
    assert problem is None
    assert how == "6 picture(s) of the page, 1 byte for byte and 3 pixel for pixel, 2 by size only"
    assert picture_size(pictures[5][0]) == (36, 24)  # and 24×36 in the PDF, upright


@pytest.mark.parametrize("change", ["same size, other pixels", "a JPEG encoded again", "one more"])
def test_a_pdf_with_other_pictures_fails(change: str) -> None:
    photo = _encoded(_noise("RGB", (48, 32), 5), "JPEG")
    drawing = _encoded(_noise("RGB", (64, 48), 6), "PNG")
    page = (
        f"<html><body><h1>T</h1><p>x</p>{_img(photo, 'jpeg')}{_img(drawing, 'png')}</body></html>"
    )
    if change == "same size, other pixels":
        forged = page.replace(
            _img(drawing, "png"), _img(_encoded(_noise("RGB", (64, 48), 7), "PNG"), "png")
        )
        expected = "it does not carry the page's picture 2 (64×48) as it is"
    elif change == "a JPEG encoded again":
        from PIL import Image

        again = _encoded(Image.open(io.BytesIO(photo)), "JPEG", quality=40)
        forged = page.replace(_img(photo, "jpeg"), _img(again, "jpeg"))
        expected = "it does not carry the page's picture 1 (48×32) as it is"
    else:
        forged = page.replace(
            "<p>x</p>", f"<p>x</p>{_img(_encoded(_noise('RGB', (8, 8), 8), 'PNG'), 'png')}"
        )
        expected = "it carries a picture (8×8) its page does not show"
    pdf, pages = read_pdf(html_to_pdf(forged))
    assert pdf_problem(page, pages) is None  # the text is the page's: only the pictures differ
    assert pictures_problem(page, pdf_pictures(pdf)) == (expected, "")


def test_the_demo_pdf_with_another_photograph_fails(demo_home: Any, tmp_path: Path) -> None:
    """The demo's report publishes a redacted photograph; a PDF beside it that carries another
    picture of the same size (here the same photograph encoded again) fails both verifiers."""
    from PIL import Image

    home = demo_home.home
    bundle, public = home / "bundles" / "khan-shaykhun.zip", home / "bundles" / "demo.pub.json"
    passphrase = (home / "keys" / "demo.passphrase").read_text(encoding="utf-8").strip()
    slug = "khan-shaykhun-2017-04-04"
    with zipfile.ZipFile(bundle) as archive:
        page = archive.read(f"report/{slug}.html").decode("utf-8")
    # the demo home the tests copy is made without a PDF (WeasyPrint is slow): print it here
    pdf = html_to_pdf(page)
    printed = resign(
        bundle, tmp_path / "printed.zip", {f"report/{slug}.pdf": pdf}, home, "demo", passphrase
    )
    honest = tool(printed, "--key", public)
    assert honest.returncode == 0, honest.stdout
    assert "it carries 1 picture(s) of the page, 1 byte for byte" in honest.stdout
    (photo,) = page_pictures(page)
    # the same photograph encoded again, put in its place in the PDF (WeasyPrint embeds a
    # JPEG as it is): padded after its end to the same length, so nothing else moves
    again = _encoded(Image.open(io.BytesIO(photo)), "JPEG", quality=50)
    assert len(again) < len(photo) and pdf.count(photo) == 1
    forged = pdf.replace(photo, again.ljust(len(photo), b"\0"))
    cooked = resign(
        bundle, tmp_path / "cooked.zip", {f"report/{slug}.pdf": forged}, home, "demo", passphrase
    )
    code, stdout, _ = verify_both(cooked, "--key", public)
    assert code == 1, stdout
    size = picture_size(photo)
    assert size is not None
    assert failed_lines(stdout) == [
        f"FAILED: report report/{slug}.pdf: it does not carry the page's picture 1"
        f" ({size[0]}×{size[1]}) as it is"
    ]


def test_a_picture_drawn_otherwise_than_its_samples_say_is_no_match() -> None:
    drawing = _encoded(_noise("RGB", (64, 48), 6), "PNG")
    page = f"<html><body><h1>T</h1><p>x</p>{_img(drawing, 'png')}</body></html>"
    honest = html_to_pdf(page)
    assert honest.count(b"/Interpolate true") == 1
    # the same samples, drawn through a /Decode array (of the same length: no offset moves)
    inverted = honest.replace(b"/Interpolate true", b"/Decode [1 0 1 0]")
    for data, expected in ((honest, None), (inverted, "picture 1 (64×48) as it is")):
        pdf, _ = read_pdf(data)
        problem, _how = pictures_problem(page, pdf_pictures(pdf))
        assert (problem is None) if expected is None else (expected in (problem or "")), problem
