"""Character accuracy of enquiry's OCR against plain ``tesseract`` on the same page images.

    .venv/bin/python benchmarks/ocr.py [--data ../shared/data/polnear/train/text] [--pages 8]

Pages are rendered here from texts we have: paragraphs of PolNeAR train articles (never the
dev or test split), about 700 characters a page, in DejaVu Serif or Sans (the fonts Debian
ships) at 300 dpi, then spoilt the way scans and photographs are: lower resolution, noise,
blur and JPEG, skew, uneven light. Each image is read twice in the same run: by the plain
command line ``tesseract IMAGE stdout -l eng`` (the baseline), and by enquiry's
:class:`~enquiry.enrich.ocr.OcrText` as ``enquiry ocr`` runs it (preparation, language choice,
the same engine). Character accuracy is 1 − CER: one minus the Levenshtein distance between
the text and the reading, over the text's length, with runs of white space counted as one
space; it is summed over the pages of a variant (micro-average).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.ocr import OcrText, tesseract_version  # noqa: E402

FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
PAGE_CHARS = 700
WIDTH = 2000  # pixels at 300 dpi: about 17 cm of text


def _paragraphs(folder: Path, pages: int) -> list[str]:
    """``pages`` texts of about PAGE_CHARS characters: whole paragraphs, from articles spread
    over the sorted folder."""
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise SystemExit(f"{folder}: no .txt files")
    step = max(1, len(files) // pages)
    texts: list[str] = []
    spread = files[::step] + [path for path in files if path not in files[::step]]
    for path in spread:
        paragraphs = [
            " ".join(p.split())
            for p in path.read_text(encoding="utf-8").split("\n")
            if len(p.split()) >= 8
        ]
        page = ""
        for paragraph in paragraphs[1:]:  # the first line is the headline
            if len(page) + len(paragraph) > PAGE_CHARS and page:
                break
            page = f"{page}\n{paragraph}".strip()
        if len(page) >= PAGE_CHARS // 2:
            texts.append(page[: PAGE_CHARS * 2])
        if len(texts) == pages:
            break
    return texts


def render(text: str, font_path: str, size: int = 42) -> Image.Image:
    """A clean page at 300 dpi: black text on white, paragraphs wrapped at ~75 characters."""
    font = ImageFont.truetype(font_path, size)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, 75))
        lines.append("")
    step = round(size * 1.45)
    image = Image.new("L", (WIDTH + 300, 300 + step * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((150, 150 + number * step), line, font=font, fill=0)
    return image


def _scale(factor: float) -> Callable[[Image.Image], Image.Image]:
    def apply(image: Image.Image) -> Image.Image:
        size = (round(image.width * factor), round(image.height * factor))
        return image.resize(size, Image.Resampling.LANCZOS)

    return apply


def _noise(sigma: float, salt: float, seed: int = 7) -> Callable[[Image.Image], Image.Image]:
    def apply(image: Image.Image) -> Image.Image:
        rng = np.random.default_rng(seed)
        pixels = np.asarray(image, dtype=np.float64)
        pixels = pixels + rng.normal(0, sigma, pixels.shape)
        spots = rng.random(pixels.shape)
        pixels[spots < salt / 2] = 0
        pixels[spots > 1 - salt / 2] = 255
        return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))

    return apply


def _skew(degrees: float) -> Callable[[Image.Image], Image.Image]:
    return lambda image: image.rotate(
        degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255
    )


def _jpeg(quality: int) -> Callable[[Image.Image], Image.Image]:
    def apply(image: Image.Image) -> Image.Image:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        return Image.open(io.BytesIO(buffer.getvalue())).convert("L")

    return apply


def _blur(radius: float) -> Callable[[Image.Image], Image.Image]:
    return lambda image: image.filter(ImageFilter.GaussianBlur(radius))


def _light(image: Image.Image) -> Image.Image:
    """Uneven light, as on a sheet photographed by a window: darker towards one corner."""
    pixels = np.asarray(image, dtype=np.float64)
    ys, xs = np.mgrid[0 : pixels.shape[0], 0 : pixels.shape[1]]
    shade = 1.0 - 0.45 * (xs / pixels.shape[1] + ys / pixels.shape[0]) / 2
    return Image.fromarray(np.clip(pixels * shade, 0, 255).astype(np.uint8))


def _chain(*steps: Callable[[Image.Image], Image.Image]) -> Callable[[Image.Image], Image.Image]:
    def apply(image: Image.Image) -> Image.Image:
        for step in steps:
            image = step(image)
        return image

    return apply


VARIANTS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "clean 300 dpi": lambda image: image,
    "150 dpi": _scale(0.5),
    "100 dpi": _scale(1 / 3),
    "75 dpi": _scale(0.25),
    "noise (σ 40, 4 % salt and pepper)": _noise(40, 0.04),
    "blur + JPEG q 30, 150 dpi": _chain(_blur(1.5), _scale(0.5), _jpeg(30)),
    "skew 3°": _skew(3),
    "skew 8°": _skew(8),
    "photo: light, skew 5°, noise, 100 dpi, JPEG": _chain(
        _light, _skew(-5), _noise(12, 0.0), _scale(1 / 3), _jpeg(60)
    ),
}


def distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions of characters)."""
    if len(a) < len(b):
        a, b = b, a
    previous = np.arange(len(b) + 1)
    codes = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    for i, char in enumerate(a, 1):
        cost = (codes != ord(char)).astype(np.int64)
        current = np.empty_like(previous)
        current[0] = i
        # substitution and deletion first, then insertion as a running minimum along the row
        np.minimum(previous[1:] + 1, previous[:-1] + cost, out=current[1:])
        current = np.minimum.accumulate(current - np.arange(len(b) + 1)) + np.arange(len(b) + 1)
        previous = current
    return int(previous[-1])


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def plain(path: Path) -> str:
    done = subprocess.run(
        ["tesseract", str(path), "stdout", "-l", "eng"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/polnear/train/text")
    parser.add_argument("--pages", type=int, default=8)
    args = parser.parse_args()
    texts = _paragraphs(args.data, args.pages)
    reader = OcrText(insist=True)
    print(f"tesseract {tesseract_version()}; {len(texts)} pages of PolNeAR train text")
    print(f"{'variant':46} {'plain':>7} {'enquiry':>7} {'ratio':>6} {'time ×':>6}")
    totals = {"plain": [0, 0], "enquiry": [0, 0]}
    with tempfile.TemporaryDirectory() as folder:
        for variant, spoil in VARIANTS.items():
            edits = {"plain": 0, "enquiry": 0}
            seconds = {"plain": 0.0, "enquiry": 0.0}
            chars = 0
            for number, text in enumerate(texts):
                path = Path(folder) / f"page{number}.png"
                spoil(render(text, FONTS[number % 2])).save(path)
                reference = normal(text)
                chars += len(reference)
                # which reader goes first alternates, so neither always finds a warm cache
                order = ("plain", "enquiry") if number % 2 == 0 else ("enquiry", "plain")
                for who in order:
                    start = time.perf_counter()
                    if who == "plain":
                        reading = plain(path)
                    else:
                        reading = reader.extract(path, "image/png").text or ""
                    seconds[who] += time.perf_counter() - start
                    edits[who] += distance(reference, normal(reading))
            for who in edits:
                totals[who][0] += edits[who]
                totals[who][1] += chars
            ours, theirs = 1 - edits["enquiry"] / chars, 1 - edits["plain"] / chars
            print(
                f"{variant:46} {theirs:7.4f} {ours:7.4f} {ours / theirs if theirs else 0:6.3f}"
                f" {seconds['enquiry'] / seconds['plain']:6.2f}",
                flush=True,
            )
    ours = 1 - totals["enquiry"][0] / totals["enquiry"][1]
    theirs = 1 - totals["plain"][0] / totals["plain"][1]
    print(f"{'all variants':46} {theirs:7.4f} {ours:7.4f} {ours / theirs:6.3f}")


if __name__ == "__main__":
    main()
