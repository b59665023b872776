"""A picture made of markup (SVG) is evidence like any other, but a report inlines only
pixels: an SVG can name other files and addresses — the PDF renderer then stops the whole
report — and can hold script. It is listed as not inlined, and the report is still written."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from enquiry.app import Enquiry, cases, evidence, publishing
from enquiry.publish.photographs import Photograph, screened
from small_case import one_incident_case

INCIDENT = "yard-2021"
CASE = one_incident_case("yard", "The yard", INCIDENT, place="yard")
SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 width="64" height="64"><script>alert(document.cookie)</script>
<image xlink:href="file:///etc/hostname" width="64" height="64"/>
<image href="http://127.0.0.1:9/tracker.png" width="64" height="64"/></svg>
"""


@pytest.fixture
def yard(tmp_path: Path) -> Enquiry:
    admin = Enquiry.at(tmp_path / "home", "admin")
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    cases.load(admin, tmp_path / "case.yaml")
    files = tmp_path / "files"
    files.mkdir()
    (files / "drawing.svg").write_text(SVG, encoding="utf-8")
    pixels = np.full((48, 64, 3), (200, 120, 40), dtype=np.uint8)
    Image.fromarray(pixels).save(files / "yard.png")
    evidence.add(admin, [files], case="yard", kind="photo")
    return admin


def _inlined_types(page: str) -> list[str]:
    return re.findall(r'<img src="data:(image/[\w.+-]+);base64,', page)


def test_a_report_inlines_pixels_only(yard: Enquiry, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    publishing.report(yard, INCIDENT, out)
    page = out.read_text(encoding="utf-8")
    assert _inlined_types(page) == ["image/png"]
    assert base64.b64encode(SVG.encode()[:30]).decode()[:20] not in page
    assert "<script>alert" not in page


def test_the_last_check_before_inlining_refuses_markup(yard: Enquiry) -> None:
    """However a picture's type was decided (intake reads an SVG as text, so it is never taken
    for a photograph today), the last check before inlining lets pixels through only."""
    store = yard.store(create=False)
    svg = next(i for i in evidence.list_items(yard, limit=10).items if i.title == "drawing.svg")
    offered = Photograph(svg.id, svg.id, "a drawing", "image/svg+xml", SVG.encode("utf-8"))
    [kept] = screened(store, [offered], reveal=False)
    assert not kept.data and "is not inlined in a report" in kept.note
    png = next(i for i in evidence.list_items(yard, limit=10).items if i.title == "yard.png")
    data = (yard.home.parent / "files" / "yard.png").read_bytes()
    [fine] = screened(
        store, [Photograph(png.id, png.id, "the yard", "image/png", data)], reveal=False
    )
    assert fine.data == data


def test_the_pdf_report_is_written_whatever_the_svg_names(yard: Enquiry, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    publishing.report(yard, INCIDENT, out)
    assert out.read_bytes().startswith(b"%PDF")
