"""A report's PDF read back against its page, against poppler's `pdftotext` on the same PDF.

The bundle verifiers (`tools/verify_bundle.py`, `enquiry bundle verify`) read a report's PDF
back with the standard library only: every page's text, compared with the checked page, and
every picture, compared with the page's. This times that check (``read_pdf``, ``pdf_problem``,
``pdf_pictures`` and ``pictures_problem``) in-process, and, as the baseline, `pdftotext`
(poppler, a C++ PDF reader: text extraction alone, nothing compared) run on the same file, with
and without its process start (`pdftotext -v` is the start alone). Best of ``--repeat``.

The PDF comes from a bundle (by default the demo's, which `make demo` writes), or, with
``--pages N``, from the bundle's page printed N times over (one long report) by WeasyPrint,
so the cost can be read against length. Usage:

    .venv/bin/python benchmarks/pdf_read_back.py [--bundle enquiry-data/bundles/khan-shaykhun.zip]
        [--times 1] [--repeat 5]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from enquiry.publish.bundle_check import (
    pdf_pictures,
    pdf_problem,
    pictures_problem,
    read_pdf,
)

ROOT = Path(__file__).resolve().parents[1]


def _best(work: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def _check(page: str, data: bytes) -> None:
    pdf, pages = read_pdf(data)
    assert pdf_problem(page, pages) is None, "the PDF does not read back as its page"
    problem, _how = pictures_problem(page, pdf_pictures(pdf))
    assert problem is None, problem


def _longer(page: str, times: int) -> str:
    """The page's body repeated ``times`` times: a report as long as that many of it."""
    body = re.search(r"<body[^>]*>(.*)</body>", page, re.S)
    assert body is not None
    return page[: body.start(1)] + body.group(1) * times + page[body.end(1) :]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bundle", type=Path, default=ROOT / "enquiry-data" / "bundles" / "khan-shaykhun.zip"
    )
    parser.add_argument("--times", type=int, default=1, help="print the page N times over")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("pdftotext") is None:
        print("pdftotext is missing: make ocr-tools installs poppler-utils", file=sys.stderr)
        return 2
    with zipfile.ZipFile(args.bundle) as archive:
        name = next(n for n in archive.namelist() if re.fullmatch(r"report/[^/]+\.html", n))
        page = archive.read(name).decode("utf-8")
        data = archive.read(name[:-5] + ".pdf")
    if args.times > 1:
        from enquiry.publish.pdf import html_to_pdf

        page = _longer(page, args.times)
        data = html_to_pdf(page)
    pages = len(read_pdf(data)[1])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(data)
        ours = _best(lambda: _check(page, data), args.repeat)
        theirs = _best(
            lambda: subprocess.run(
                ["pdftotext", str(path), str(Path(folder) / "out.txt")], check=True
            ),
            args.repeat,
        )
        start = _best(
            lambda: subprocess.run(["pdftotext", "-v"], capture_output=True, check=False),
            args.repeat,
        )
    print(f"PDF: {pages} pages, {len(data):,} bytes ({name[:-5]}.pdf, printed x{args.times})")
    print(f"enquiry read-back (text and pictures compared): {ours:.3f} s")
    print(f"pdftotext (text extracted only):                {theirs:.3f} s")
    print(f"pdftotext's process start alone:                {start:.3f} s")
    print(f"ratio, pdftotext / enquiry: {theirs / ours:.2f}x;")
    print(f"  without pdftotext's start: {max(theirs - start, 1e-9) / ours:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
