"""Text out of pictures of text: image-only PDF pages, scanned statements, photographed documents.

The engine is Tesseract (Debian's ``tesseract-ocr`` with English, Arabic and Russian), run as a
separate program on one page image at a time; PDF pages are rendered by Poppler's ``pdftoppm``.
Both run as children of the reading process, so they inherit its memory limit, are given what is
left of its clock as their timeout, and die with it (``PR_SET_PDEATHSIG``): a hostile file costs
one reading, as with every other decoder (:mod:`enquiry.intake.limits`).

What is read, and why:

* a PDF page is read when it carries no text layer (no font) but does carry an image — a scan.
  Pages with a text layer keep that text, so the OCR text of a PDF is the whole document, each
  page from the better source, and ``pages_ocr`` in the metadata says which pages were read from
  pixels;
* an image (every frame of a multi-page TIFF) is read when it looks like a page: a mostly
  light, unsaturated picture whose grey levels split cleanly into paper and ink
  (:func:`looks_like_page`) — a scan or a photographed sheet, not a scene. Its text is kept
  only when Tesseract finds words it is confident of (:data:`MIN_WORDS` words, mean confidence
  at least :data:`MIN_CONFIDENCE`); otherwise the metadata says none was kept. Asked explicitly
  (``enquiry ocr ITEM``), any image is read and its text kept, with its confidence;
* the language is chosen per document by Tesseract's script detection (OSD) on the first page:
  Latin → ``eng``, Cyrillic → ``rus+eng``, Arabic → ``ara+eng``; when the script cannot be told,
  all three (``eng+ara+rus``). Script detection costs as much as reading a page, so it is
  asked only when an English reading of the first page is not confident (fewer than
  :data:`MIN_WORDS` words or mean confidence below :data:`ENGLISH_CONFIDENCE`): English text,
  the common case, is read once. The engine, its version, the languages, the detected script and
  the mean word confidence are recorded with the text.

Before Tesseract sees a page it is prepared (:func:`prepare`): straightened when it is skewed
by more than half a degree, and enlarged when its lines of text are too small for the engine.
``benchmarks/ocr.py`` measures the result against plain ``tesseract`` on the same images.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFilter, ImageOps
from sqlalchemy import Connection, select

from enquiry.enrich.base import Enrichment, FileEnricher, Target
from enquiry.enrich.documents import (
    PDF_ENCRYPTED,
    PDF_NO_PAGES,
    open_encrypted,
    pdf_damage,
    pdf_errors,
)
from enquiry.intake.extract import Extraction
from enquiry.intake.limits import die_with_parent, open_picture
from enquiry.store.tables import Item
from enquiry.store.vault import scratch_folder

ENGINE = "tesseract"
IMAGE_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/tiff", "image/gif", "image/webp", "image/bmp"}
)
SCRIPTS = {"Latin": "eng", "Cyrillic": "rus+eng", "Arabic": "ara+eng"}
ALL_LANGUAGES = "eng+ara+rus"
MAX_PAGES = 500
MAX_PIXELS = 89_478_485
RENDER_DPI = 300
MAX_RENDER_SIDE = 5000
MIN_WORDS = 5
MIN_CONFIDENCE = 60.0
ENGLISH_CONFIDENCE = 75.0
MIN_TEXT_LAYER = 20
MARGIN_SECONDS = 3.0
TARGET_LINE = 36
MAX_UPSCALE = 4.0
MIN_SKEW = 0.5
SPECKS = 0.003
MAX_SKEW = 15.0


class OcrUnavailable(Exception):
    """Tesseract (or its languages) is not installed on this machine."""


class EncryptedPdf(Exception):
    """The PDF is encrypted: its pages cannot be read."""


@functools.cache
def tesseract_version() -> str | None:
    """The installed engine's version (``5.3.0``), or None when it is not installed."""
    program = shutil.which("tesseract")
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"tesseract\s+v?(\S+)", done.stdout + done.stderr)
    return match.group(1) if match else None


@functools.cache
def installed_languages() -> frozenset[str]:
    """The language models the engine has (``eng``, ``ara``, ``rus``, ``osd``, ...)."""
    program = shutil.which("tesseract")
    if program is None:
        return frozenset()
    try:
        done = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = (done.stdout + done.stderr).splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def unavailable() -> str | None:
    """Why OCR cannot run here (one line), or None when it can."""
    if tesseract_version() is None:
        return "OCR unavailable: tesseract is not installed (apt-get install tesseract-ocr)"
    if "eng" not in installed_languages():
        return "OCR unavailable: tesseract has no English model (apt-get install tesseract-ocr-eng)"
    return None


def check_languages(languages: str) -> str | None:
    """Why ``languages`` (``eng+rus``) cannot be used, or None when they can."""
    parts = languages.split("+")  # "eng+" and "eng++rus" name a language that is not there
    if any(not re.fullmatch(r"[a-z_]{3,12}", part) for part in parts):
        return f"{languages!r} is not a language list such as eng, rus or ara+eng"
    missing = [part for part in parts if part not in installed_languages()]
    if missing:
        return f"tesseract has no model for {'+'.join(missing)} (apt-get install tesseract-ocr-…)"
    return None


# --- the clock ---------------------------------------------------------------------------------


class Clock:
    """What is left of the reading's time: the process's alarm (set by the intake worker or by
    :func:`~enquiry.intake.limits.run_limited`) less a margin, so a child program is stopped
    before the alarm ends the whole reading and what was read so far is kept."""

    def __init__(self) -> None:
        remaining = signal.getitimer(signal.ITIMER_REAL)[0]
        self.deadline = time.monotonic() + remaining - MARGIN_SECONDS if remaining else None

    def left(self) -> float | None:
        """Seconds left (None: no limit); never below zero."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.monotonic())

    @property
    def out(self) -> bool:
        left = self.left()
        return left is not None and left <= 0.5


class TimeUp(Exception):
    """The reading's time ran out before this page was read."""


def _run(command: list[str], clock: Clock, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run a helper program under the reading's clock; it dies with this process."""
    left = clock.left()
    if left is not None and left <= 0.5:
        raise TimeUp
    parent = os.getpid()
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=left,
            check=False,
            env=environment,
            preexec_fn=lambda: die_with_parent(parent),
            **kwargs,
        )
    except subprocess.TimeoutExpired:
        raise TimeUp from None


# --- preparing a page --------------------------------------------------------------------------


def _otsu(gray: np.ndarray) -> tuple[int, float]:
    """Otsu's threshold of an 8-bit image and how well it separates two classes (0–1)."""
    histogram = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = histogram.sum()
    if total == 0:
        return 128, 0.0
    p = histogram / total
    levels = np.arange(256)
    omega = np.cumsum(p)
    mu = np.cumsum(p * levels)
    mu_t = mu[-1]
    variance = float((p * (levels - mu_t) ** 2).sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mu_t * omega - mu) ** 2 / (omega * (1 - omega))
    between = np.nan_to_num(between)
    threshold = int(np.argmax(between))
    separation = float(between[threshold] / variance) if variance > 0 else 0.0
    return threshold, separation


def _ink(gray: np.ndarray) -> np.ndarray:
    threshold, _ = _otsu(gray)
    return gray <= threshold


def _skew(gray: np.ndarray) -> float:
    """The angle (degrees, counter-clockwise) that straightens the lines of text: the one whose
    rows of ink are sharpest (largest variance of the row sums), found coarse then fine."""
    small = Image.fromarray(gray)
    scale = min(1.0, 1000 / max(small.size))
    if scale < 1.0:
        small = small.resize(
            (max(1, round(small.width * scale)), max(1, round(small.height * scale))),
            Image.Resampling.BILINEAR,
        )
    ink = Image.fromarray((_ink(np.asarray(small)) * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        turned = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST, expand=True))
        return float(np.var(turned.sum(axis=1, dtype=np.float64)))

    coarse = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 1.0), key=sharpness)
    fine = max(np.arange(coarse - 1.0, coarse + 1.01, 0.1), key=sharpness)
    return round(float(fine), 1)


def _line_height(gray: np.ndarray) -> float | None:
    """The median height (pixels) of the bands of rows that hold ink: the size of the text."""
    ink = _ink(gray)
    rows = ink.mean(axis=1) > 0.002
    heights: list[int] = []
    run = 0
    for filled in rows:
        if filled:
            run += 1
        elif run:
            heights.append(run)
            run = 0
    if run:
        heights.append(run)
    heights = [h for h in heights if h >= 3]
    if len(heights) < 3:
        return None
    return float(np.median(heights))


def _background(gray: Image.Image) -> np.ndarray:
    """The paper's brightness under the text, everywhere: the brightest level around each point
    of a reduced page (text strokes vanish), smoothed and brought back to full size."""
    factor = max(1, round(max(gray.size) / 200))
    small = gray.resize(
        (max(1, gray.width // factor), max(1, gray.height // factor)), Image.Resampling.BOX
    )
    small = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(4))
    return np.asarray(small.resize(gray.size, Image.Resampling.BILINEAR), dtype=np.float64)


def _flatten(gray: Image.Image) -> Image.Image | None:
    """The page with its light made even (each point divided by the paper's brightness there),
    or None when the light is even already (paper within 12 % everywhere)."""
    background = _background(gray)
    low, high = np.percentile(background, [2, 98])
    if high <= 0 or (high - low) / high <= 0.12:
        return None
    pixels = np.asarray(gray, dtype=np.float64) * 255.0 / np.maximum(background, 1.0)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def _specks(gray: np.ndarray) -> float:
    """The share of pixels that are dark dots on their own (no dark neighbour): pepper noise.
    Text, however thin its strokes, has almost none."""
    dark = _ink(gray)
    padded = np.pad(dark, 1)
    neighbours = sum(
        padded[1 + dy : padded.shape[0] - 1 + dy, 1 + dx : padded.shape[1] - 1 + dx].astype(np.int8)
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
        if dy or dx
    )
    return float((dark & (neighbours == 0)).mean())


def prepare(image: Image.Image) -> tuple[Image.Image, list[str]]:
    """The page as Tesseract should see it, and the steps taken (recorded with the text):
    grey; its light made even when uneven (a photographed sheet); dots of noise removed when
    there are many; straightened when skewed; enlarged when its text is small."""
    gray = ImageOps.exif_transpose(image) or image
    if gray.mode in ("RGBA", "LA", "P", "PA"):
        background = Image.new("RGBA", gray.size, "white")
        gray = Image.alpha_composite(background, gray.convert("RGBA"))
    gray = gray.convert("L")
    steps: list[str] = []
    flat = _flatten(gray)
    if flat is not None:
        gray = flat
        steps.append("flatten light")
    if _specks(np.asarray(gray)) > SPECKS:
        gray = gray.filter(ImageFilter.MedianFilter(3))
        steps.append("denoise median 3")
    pixels = np.asarray(gray)
    angle = _skew(pixels)
    if abs(angle) >= MIN_SKEW:
        paper = int(np.percentile(pixels, 90))
        gray = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=paper)
        steps.append(f"deskew {angle:+.1f}°")
        pixels = np.asarray(gray)
    height = _line_height(pixels)
    if height is not None and height < TARGET_LINE * 0.75:
        factor = min(MAX_UPSCALE, TARGET_LINE / height)
        if gray.width * gray.height * factor * factor <= MAX_PIXELS:
            gray = gray.resize(
                (round(gray.width * factor), round(gray.height * factor)),
                Image.Resampling.LANCZOS,
            )
            steps.append(f"upscale ×{factor:.1f}")
    return gray, steps


def looks_like_page(image: Image.Image) -> bool:
    """Whether a picture looks like a page of writing: little colour (mean saturation below
    0.2) and — its light evened as :func:`prepare` would — grey levels that split cleanly into
    paper and ink (Otsu's separation at least 0.7, ink 0.5–35 % of the picture) with even paper
    (the light class's grey levels vary by at most 16). A photograph of a person, a street or a
    landscape fails; a scan, a fax or a photographed sheet passes. It only decides whether to
    try: the text is kept only when the engine is confident of enough words."""
    small = image.copy()
    small.thumbnail((400, 400))
    rgb = np.asarray(small.convert("RGB"), dtype=np.float64)
    saturation = (rgb.max(axis=2) - rgb.min(axis=2)).mean() / 255
    if saturation >= 0.2:
        return False
    gray_image = small.convert("L")
    gray = np.asarray(_flatten(gray_image) or gray_image)
    threshold, separation = _otsu(gray)
    ink = gray <= threshold
    paper = gray[~ink]
    return (
        separation >= 0.7
        and 0.005 <= float(ink.mean()) <= 0.35
        and paper.size > 0
        and float(paper.std()) <= 16.0
    )


# --- the engine --------------------------------------------------------------------------------


@dataclass
class PageText:
    """One page read: its text, the mean confidence (0–100) and number of its words."""

    text: str
    confidence: float
    words: int
    steps: list[str] = field(default_factory=list)


def detect_script(image: Image.Image, clock: Clock) -> tuple[str | None, float]:
    """The page's script as Tesseract's OSD tells it (``Latin``, ``Cyrillic``, ``Arabic``, …)
    and its confidence; (None, 0) when there are too few letters to tell."""
    if "osd" not in installed_languages():
        return None, 0.0
    with scratch_folder("enquiry-ocr-") as folder:
        path = Path(folder) / "page.png"
        image.save(path)
        done = _run(["tesseract", str(path), "stdout", "--psm", "0", "-l", "osd"], clock)
    script = re.search(r"^Script:\s*(\S+)", done.stdout, re.MULTILINE)
    confidence = re.search(r"^Script confidence:\s*([\d.]+)", done.stdout, re.MULTILINE)
    if done.returncode != 0 or script is None:
        return None, 0.0
    return script.group(1), float(confidence.group(1)) if confidence else 0.0


def languages_for(image: Image.Image, clock: Clock) -> tuple[str, str | None]:
    """The languages to read a page in, from its script (OSD), and that script; all three
    languages when the script cannot be told."""
    script, confidence = detect_script(image, clock)
    wanted = SCRIPTS.get(script or "") if confidence >= 1.0 else None
    if wanted and all(part in installed_languages() for part in wanted.split("+")):
        return wanted, script
    have = [part for part in ALL_LANGUAGES.split("+") if part in installed_languages()]
    return "+".join(have) or "eng", None


def read_image(image: Image.Image, languages: str, clock: Clock) -> PageText:
    """One prepared page through Tesseract (page segmentation 3, the engine's default)."""
    with scratch_folder("enquiry-ocr-") as folder:
        path = Path(folder) / "page.png"
        image.save(path)
        base = Path(folder) / "out"
        done = _run(
            ["tesseract", str(path), str(base), "-l", languages, "--psm", "3", "txt", "tsv"],
            clock,
        )
        if done.returncode != 0:
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            raise RuntimeError(f"tesseract failed: {lines[-1] if lines else done.returncode}")
        text = base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
        table = base.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace")
    confidences = []
    for row in csv.DictReader(io.StringIO(table), delimiter="\t", quoting=csv.QUOTE_NONE):
        word = (row.get("text") or "").strip()
        try:
            confidence = float(row.get("conf") or -1)
        except ValueError:
            continue
        if word and confidence >= 0:
            confidences.append(confidence)
    mean = float(np.mean(confidences)) if confidences else 0.0
    return PageText(reflow(text.replace("\f", "")), round(mean, 1), len(confidences))


def reflow(text: str) -> str:
    """Paragraphs as running text: the engine ends every printed line with a line break, which
    would cut a sentence (and a quotation) in two for the claims reader; a blank line still
    parts paragraphs. A word broken at a hyphen is joined and keeps its hyphen."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        joined = ""
        for line in lines:
            if joined.endswith("-") and joined[-2:-1].isalpha() and line[:1].isalpha():
                joined += line
            else:
                joined = f"{joined} {line}" if joined else line
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


# --- pages of a file ---------------------------------------------------------------------------


class PageTooLarge(Exception):
    """A page of a multi-page picture claims more pixels than are decoded (:data:`MAX_PIXELS`)."""


def _image_frames(path: Path) -> Generator[Image.Image, None, None]:
    """The frames of an image file (a multi-page TIFF or a fax holds several pages).

    Every frame's size is checked against :data:`MAX_PIXELS` before it is decoded, not only
    the first's: a TIFF's pages each declare their own, and Pillow's own check on a later page
    only raises above twice its limit, as an error that ended the whole reading — the pages
    already read were lost with it. Such a page stops the reading there
    (:class:`PageTooLarge`), the pages before it kept."""
    with open_picture(path) as image:
        if image.width * image.height > MAX_PIXELS:
            raise Image.DecompressionBombError(
                f"{image.width}×{image.height} pixels exceed {MAX_PIXELS}"
            )
        for number in range(min(getattr(image, "n_frames", 1), MAX_PAGES)):
            image.seek(number)
            if image.width * image.height > MAX_PIXELS:
                raise PageTooLarge(
                    f"page {number + 1} of the image claims {image.width}×{image.height} pixels"
                    f" (more than {MAX_PIXELS}): a decompression bomb is suspected; it and the"
                    " pages after it are not read"
                )
            frame = image.copy()
            frame.load()
            yield frame


def _pdf_pages(path: Path) -> tuple[list[str | None], int, list[tuple[float, float]]]:
    """Each page's text layer (None for a page that has only pictures: no font, an image), the
    page count and each page's size in points. Pages with a font keep their text; a scanned
    page has none. An encrypted PDF has no page to read (:class:`EncryptedPdf`)."""
    import logging

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    from pypdf import PdfReader

    reader = PdfReader(str(path), strict=False)
    if not open_encrypted(reader):
        raise EncryptedPdf
    pages = reader.pages
    count = len(pages)
    layers: list[str | None] = []
    sizes: list[tuple[float, float]] = []
    for number, page in enumerate(pages):
        if number >= MAX_PAGES:
            break
        fonts, images = _contents(page.get("/Resources"))
        layers.append(None if images and not fonts else "")
        box = page.mediabox
        sizes.append((abs(float(box.width)), abs(float(box.height))))
    if any(layer is None for layer in layers):
        # Only now is the text layer of the other pages worth extracting: the OCR text stands
        # for the whole document.
        for number, layer in enumerate(layers):
            if layer is not None:
                layers[number] = pages[number].extract_text() or ""
    return layers, count, sizes


def _contents(resources: Any, depth: int = 0) -> tuple[bool, bool]:
    """Whether a page's resources hold a font (a text layer) and an image, looking inside its
    form XObjects too (a few levels: a hostile file may nest them without end)."""
    try:
        resources = resources.get_object() if resources is not None else None
        if not hasattr(resources, "get"):
            return False, False
        fonts = bool(resources.get("/Font"))
        images = False
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for value in list(xobjects.values())[:200] if hasattr(xobjects, "values") else []:
            xobject = value.get_object()
            subtype = xobject.get("/Subtype") if hasattr(xobject, "get") else None
            if subtype == "/Image":
                images = True
            elif subtype == "/Form" and depth < 4:
                inner_fonts, inner_images = _contents(xobject.get("/Resources"), depth + 1)
                fonts, images = fonts or inner_fonts, images or inner_images
            if fonts and images:
                break
        return fonts, images
    except (AttributeError, KeyError, TypeError, ValueError, RecursionError):
        return False, False


def render_dpi(size: tuple[float, float]) -> float:
    """The resolution a page of ``size`` points is rendered at: 300 dpi, less for a page so
    large that its longest side would pass :data:`MAX_RENDER_SIDE` pixels — with no lower
    bound, since a hostile page can declare a side of a million points (a floor of 30 dpi
    made that a bitmap of 400,000 pixels a side: minutes of rendering, then no page read)."""
    longest = max(size) / 72 or 1.0
    return min(float(RENDER_DPI), MAX_RENDER_SIDE / longest)


def _render(path: Path, number: int, clock: Clock, size: tuple[float, float]) -> Image.Image:
    """Page ``number`` (from 0) of a PDF as a grey image at 300 dpi (less for a huge page).
    The output is cropped to :data:`MAX_RENDER_SIDE` pixels a side whatever the page's boxes
    say (``pdftoppm`` may size a page otherwise than the page tree read here, through a user
    unit or a broken box), so no page costs more than that bitmap."""
    dpi = render_dpi(size)
    with scratch_folder("enquiry-ocr-") as folder:
        base = Path(folder) / "page"
        done = _run(
            [
                "pdftoppm",
                "-f",
                str(number + 1),
                "-l",
                str(number + 1),
                "-r",
                f"{dpi:.4f}",
                "-W",
                str(MAX_RENDER_SIDE),
                "-H",
                str(MAX_RENDER_SIDE),
                "-gray",
                "-png",
                "-singlefile",
                str(path),
                str(base),
            ],
            clock,
        )
        output = base.with_suffix(".png")
        if done.returncode != 0 or not output.exists():
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            raise RuntimeError(f"page {number + 1} could not be rendered: {lines[-1:] or '?'}")
        with Image.open(output) as image:
            image.load()
            return image.copy()


# --- the enricher ------------------------------------------------------------------------------


@dataclass
class _Reading:
    languages: str | None
    script: str | None = None
    texts: list[str] = field(default_factory=list)
    confidences: list[tuple[float, int]] = field(default_factory=list)
    steps: set[str] = field(default_factory=set)


class OcrText(FileEnricher):
    """Text read from the pixels of scans and photographed documents (an intake extractor and
    an enricher of stored items alike). ``languages`` fixes the languages (default: chosen by
    script detection); ``insist`` reads every image, however unlike a page, and keeps its text
    whatever the engine's confidence — for an item someone asked to have read. ``alone`` says
    no text reader runs beside it (``enquiry ocr``): a PDF that is damaged, encrypted or has no
    pages is then a problem of its own; beside the text reader at intake it is that reader's
    to name, and the reading only notes why nothing was read (``unread`` in its metadata).

    A file that could not be read is never recorded as read: run over a stored item (``enquiry
    ocr``, ``enquiry enrich``) such a reading is a failure — no text, no ``enriched`` event, the
    reason on one line (the text reader's own words for a damaged PDF, so ``enquiry enrich``
    shows it once) — and an item whose reading at intake was ``unread`` is not done: every
    later run reads it again and says the same."""

    name = "ocr"
    version = "1"

    def __init__(
        self, languages: str | None = None, *, insist: bool = False, alone: bool = False
    ) -> None:
        self.languages = languages
        self.insist = insist
        self.alone = alone

    def accepts(self, media_type: str, kind: str) -> bool:
        return media_type == "application/pdf" or media_type in IMAGE_TYPES

    def done(self, connection: Connection, item_ids: Sequence[int]) -> set[int]:
        """The items read by this version (see :meth:`FileEnricher.done`), less those whose
        reading found the file unreadable (``unread``): a damaged PDF is not "done, no text",
        and each run over it says why it cannot be read."""
        done = super().done(connection, item_ids)
        if not done:
            return done
        unread = {
            int(item_id)
            for item_id, meta in connection.execute(
                select(Item.id, Item.meta).where(Item.id.in_(list(done)))
            )
            if isinstance((meta or {}).get(self.name), dict) and meta[self.name].get("unread")
        }
        return done - unread

    def enrich(self, target: Target) -> Enrichment:
        """Read a stored item; a file found unreadable is a failure with its reason (the
        runner then records nothing for it), never an empty reading."""
        found = super().enrich(target)
        reason = found.metadata.get("unread")
        if reason:
            return Enrichment(inputs=found.inputs, problems=found.problems or [str(reason)])
        return found

    def _unread(self, found: Extraction, reason: str) -> None:
        """Note why the file could not be read: a problem line when no other reader names it
        (``alone``), else only ``unread`` in the metadata (intake's text reader names it)."""
        if self.alone:
            found.problems.append(reason)
        found.metadata["unread"] = reason

    def extract(self, path: Path, media_type: str) -> Extraction:
        found = Extraction()
        try:
            if media_type == "application/pdf":
                self._pdf(path, found)
            else:
                self._image(path, found)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
            found.problems.append(
                f"OCR could not read the file ({type(exc).__name__}: {exc})"[:300]
            )
        return found

    def _metadata(self, found: Extraction, reading: _Reading) -> None:
        words = sum(n for _, n in reading.confidences)
        mean = sum(c * n for c, n in reading.confidences) / words if words else 0.0
        found.metadata.update(
            {
                "engine": ENGINE,
                "engine_version": tesseract_version(),
                "languages": reading.languages,
                "script": reading.script,
                "confidence": round(mean, 1),
                "words": words,
                "preprocessing": sorted(reading.steps),
            }
        )

    def _read(self, image: Image.Image, reading: _Reading, clock: Clock) -> PageText:
        prepared, steps = prepare(image)
        if reading.languages is not None:
            page = read_image(prepared, reading.languages, clock)
        else:
            page = read_image(prepared, "eng", clock)
            reading.languages = "eng"
            if page.words < MIN_WORDS or page.confidence < ENGLISH_CONFIDENCE:
                languages, reading.script = languages_for(prepared, clock)
                if languages != "eng":
                    other = read_image(prepared, languages, clock)
                    if (other.confidence, other.words) > (page.confidence, page.words):
                        page, reading.languages = other, languages
            else:
                reading.script = "Latin"
        page.steps = steps
        reading.steps.update(step.split()[0] for step in steps)
        reading.confidences.append((page.confidence, page.words))
        return page

    def _pdf(self, path: Path, found: Extraction) -> None:

        try:
            layers, count, sizes = _pdf_pages(path)
        except pdf_errors() as exc:
            self._unread(found, pdf_damage(exc))
            return
        except EncryptedPdf:
            self._unread(found, PDF_ENCRYPTED)
            return
        if not count:
            self._unread(found, PDF_NO_PAGES)
            return
        scanned = [number for number, layer in enumerate(layers) if layer is None]
        if not scanned:
            return
        why = unavailable()
        if why:
            found.problems.append(
                f"{len(scanned)} of {count} page(s) are images without a text layer; {why}"
                "; no text read from them"
            )
            found.metadata["pages_without_text"] = [n + 1 for n in scanned]
            return
        clock = Clock()
        reading = _Reading(self.languages)
        read: list[int] = []
        spoilt: list[int] = []
        for number in scanned:
            try:
                page = self._read(_render(path, number, clock, sizes[number]), reading, clock)
            except TimeUp:
                break
            except (RuntimeError, OSError, Image.DecompressionBombError) as exc:
                found.problems.append(f"OCR: {exc}"[:300])
                layers[number] = ""
                spoilt.append(number)
                continue
            layers[number] = page.text
            read.append(number)
        if spoilt and not read and len(spoilt) == len(scanned):
            # Not one scanned page could be rendered: nothing was read, and an empty text
            # would stand for the document as if its pages held no writing.
            found.metadata["unread"] = (
                f"none of its {len(scanned)} scanned page(s) could be rendered"
            )
            return
        unread = [n + 1 for n in scanned if n not in read and layers[n] is None]
        if unread:
            found.problems.append(
                f"OCR read {len(read)} of {len(scanned)} scanned page(s) before the time limit;"
                f" pages {_ranges(unread)} have no text (raise ENQUIRY_DECODE_SECONDS and run"
                " enquiry ocr on the item)"
            )
        if count > MAX_PAGES:
            found.problems.append(f"more than {MAX_PAGES} pages; OCR did not read the rest")
        found.text = "\n\f".join(layer or "" for layer in layers)
        self._metadata(found, reading)
        found.metadata["pages_ocr"] = [n + 1 for n in read]
        found.metadata["chars"] = len(found.text)

    def _image(self, path: Path, found: Extraction) -> None:
        if not (self.insist or _page_like(path)):
            return
        why = unavailable()
        if why:
            found.problems.append(
                f"{why}; no text read from the image"
                if self.insist
                else f"the image looks like a page of writing; {why}"
            )
            return
        clock = Clock()
        reading = _Reading(self.languages)
        texts: list[str] = []
        frames = _image_frames(path)
        try:
            while True:
                try:
                    frame = next(frames, None)
                except PageTooLarge as exc:
                    found.problems.append(str(exc))
                    break
                except (OSError, ValueError, SyntaxError) as exc:
                    if not texts:
                        raise  # the file itself is unreadable: extract says so
                    # A later page is damaged: the pages before it are kept, and it is named.
                    found.problems.append(
                        f"page {len(texts) + 1} of the image cannot be decoded"
                        f" ({type(exc).__name__}: {exc}); it and the pages after it are not read"[
                            :300
                        ]
                    )
                    break
                if frame is None:
                    break
                try:
                    page = self._read(frame, reading, clock)
                except TimeUp:
                    found.problems.append(
                        f"OCR read {len(texts)} page(s) of the image before the time limit"
                        " (raise ENQUIRY_DECODE_SECONDS and run enquiry ocr on the item)"
                    )
                    break
                except RuntimeError as exc:
                    found.problems.append(f"OCR: {exc}"[:300])
                    break
                texts.append(page.text)
        finally:
            frames.close()
        self._metadata(found, reading)
        found.metadata["pages_ocr"] = list(range(1, len(texts) + 1))
        confident = (
            found.metadata["words"] >= MIN_WORDS and found.metadata["confidence"] >= MIN_CONFIDENCE
        )
        if texts and (self.insist or confident):
            found.text = "\n\f".join(texts)
            found.metadata["chars"] = len(found.text)
        elif texts:
            # A picture that only looked like a page: what the engine guessed is not kept.
            found.metadata["kept"] = False


def _page_like(path: Path) -> bool:
    """Whether an image file looks like a page (:func:`looks_like_page`), judged on a reduced
    decoding (a JPEG is decoded at an eighth of its size). A file that cannot be decoded, or is
    too large to, is not read here: the photo reader already says what is wrong with it."""
    try:
        with open_picture(path) as image:
            if image.width * image.height > MAX_PIXELS:
                return False
            image.draft("RGB", (300, 300))
            image.load()
            return looks_like_page(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return False


def _ranges(numbers: Sequence[int]) -> str:
    """``1–3, 7`` for [1, 2, 3, 7]."""
    parts: list[str] = []
    start = previous = None
    for number in numbers:
        if start is None:
            start = previous = number
        elif previous is not None and number == previous + 1:
            previous = number
        else:
            parts.append(f"{start}–{previous}" if start != previous else f"{start}")
            start = previous = number
    if start is not None:
        parts.append(f"{start}–{previous}" if start != previous else f"{start}")
    return ", ".join(parts)


__all__ = [
    "ENGINE",
    "OcrText",
    "OcrUnavailable",
    "PageText",
    "check_languages",
    "looks_like_page",
    "prepare",
    "read_image",
    "reflow",
    "tesseract_version",
    "unavailable",
]
