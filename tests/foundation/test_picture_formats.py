"""Evidence is never handed to another program to be decoded: Pillow renders EPS by running
Ghostscript (whose flaws a crafted file can exploit), so every reader of pictures opens them
through ``open_picture``, which does not know EPS — even a file named like a photograph."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, UnidentifiedImageError

from enquiry.enrich.media.pdq import load_rgb
from enquiry.enrich.photo import PhotoMetadata
from enquiry.intake.limits import open_picture

EPS = b"""%!PS-Adobe-3.0 EPSF-3.0
%%BoundingBox: 0 0 10 10
%%EndComments
newpath 0 0 moveto 10 10 lineto stroke
showpage
%%EOF
"""


@pytest.fixture
def disguised(tmp_path: Path) -> Path:
    path = tmp_path / "holiday.jpg"
    path.write_bytes(EPS)
    return path


def test_pillow_would_take_it_for_an_eps_picture(disguised: Path) -> None:
    with Image.open(disguised) as image:  # what every reader did before
        assert image.format == "EPS"


def test_open_picture_does_not_know_it(disguised: Path, tmp_path: Path) -> None:
    with pytest.raises(UnidentifiedImageError):
        open_picture(disguised)
    png = tmp_path / "plain.png"
    Image.new("RGB", (4, 4), (10, 20, 30)).save(png)
    with open_picture(png) as image:  # an ordinary picture opens as before
        assert image.format == "PNG" and image.getpixel((0, 0)) == (10, 20, 30)


def test_the_readers_name_it_unreadable(disguised: Path) -> None:
    found = PhotoMetadata().extract(disguised, "image/jpeg")
    assert found.problems and "width" not in found.metadata
    with pytest.raises((OSError, ValueError)):
        load_rgb(disguised)
