"""Sub-window PDQ hashes of photos: finding crops, caption banners, logos and
picture-in-picture copies with the same exact Hamming index as whole pictures.

PDQ hashes the whole frame, so a copy cropped by more than ~1 % of a side, or with a banner or a
logo over part of it, lands too far from its source. But a crop keeps most of the picture, and a
banner or a logo spares most of it: so each stored photo also keeps the hashes of a few windows
of itself (:data:`STORED_WINDOWS`), and a query hashes many windows of itself
(:func:`query_boxes`): for a copy that kept the region C of the source, some query window holds
exactly the content of a stored window that lies inside C (a crop), or the query's clean part
(a banner or logo elsewhere), or the whole source (picture-in-picture). Every window is scaled
to :data:`WINDOW_SIDE` pixels before hashing so that the same content hashes alike whatever its
size in either picture, and the small size keeps a window's hash at ~0.3 ms.

A window pair within the radius counts as a whole picture's hit does: on the robustness
benchmark's training photographs no window pair of different pictures came within 70 bits,
while the pairs of a crop and its source were typically 10–20 apart (docs/benchmarks.md). The
windows and scales were chosen on those training photographs only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pdqhash
from numpy.typing import NDArray
from PIL import Image

from enquiry.enrich.media.pdq import MIN_QUALITY, VERSION, canonical, to_hex

# An algorithm name of its own: window rows are kept out of the whole-picture index (older
# homes' indexes stay valid) and looked up in an index of their own.
ALGORITHM = "pdq-window"
WINDOW_SIDE = 128
# Stored: 3×3 windows of 90 % and of 80 % of each side (at the corners, the edge middles and
# the centre), and the central 60 %: 19 windows, 20 hashes with the whole picture.
STORED_SCALES = (0.9, 0.8)
CENTRE_SCALE = 0.6
# Query windows: squares of these fractions of each side (1.0 down to 0.5 in steps of 0.02:
# a window more than ~2 % off in size lands too far) at the same nine anchored positions.
QUERY_SCALES = tuple(round(1 - 0.02 * i, 2) for i in range(26))

Box = tuple[float, float, float, float]  # left, top, right, bottom as fractions


def _anchored(scale_x: float, scale_y: float) -> list[Box]:
    xs = sorted({0.0, round((1 - scale_x) / 2, 4), round(1 - scale_x, 4)})
    ys = sorted({0.0, round((1 - scale_y) / 2, 4), round(1 - scale_y, 4)})
    return [(x, y, round(x + scale_x, 4), round(y + scale_y, 4)) for y in ys for x in xs]


def stored_boxes() -> list[Box]:
    """The windows stored for every photo (besides the whole picture)."""
    boxes = [box for scale in STORED_SCALES for box in _anchored(scale, scale)]
    margin = round((1 - CENTRE_SCALE) / 2, 4)
    boxes.append((margin, margin, round(1 - margin, 4), round(1 - margin, 4)))
    return boxes


STORED_WINDOWS = stored_boxes()


def query_boxes(scales: Iterable[float] = QUERY_SCALES) -> list[Box]:
    """The windows a query hashes (not the whole picture: that is hashed as before)."""
    boxes: dict[Box, None] = {}
    for scale in scales:
        if scale < 1.0:
            for box in _anchored(scale, scale):
                boxes.setdefault(box, None)
    return list(boxes)


QUERY_WINDOWS = query_boxes()


def window_hashes(rgb: NDArray[np.uint8], boxes: Iterable[Box]) -> list[tuple[Box, str, int]]:
    """(box, hash, quality) of each window of a picture, cut from one canonical copy of it
    (the decode and the shrink are shared by all windows)."""
    pixels = canonical(rgb)
    height, width = pixels.shape[:2]
    image = Image.fromarray(pixels)
    found = []
    for box in boxes:
        left, top, right, bottom = (
            round(box[0] * width),
            round(box[1] * height),
            round(box[2] * width),
            round(box[3] * height),
        )
        if right - left < 8 or bottom - top < 8:
            continue
        window = image.crop((left, top, right, bottom))
        scale = WINDOW_SIDE / max(window.size)
        size = (max(1, round(window.width * scale)), max(1, round(window.height * scale)))
        method = Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR
        bits, quality = pdqhash.compute(np.ascontiguousarray(window.resize(size, method)))
        found.append((box, to_hex(bits), int(quality)))
    return found


def stored_entries(rgb: NDArray[np.uint8], t: float | None = None) -> list[dict[str, Any]]:
    """Hash entries (``media_hashes`` rows) of a picture's stored windows; ``data.box`` is the
    window as fractions of the picture (left, top, right, bottom)."""
    return [
        {
            "algorithm": ALGORITHM,
            "t": t,
            "hash": value,
            "quality": quality,
            "data": {"box": list(box), "version": VERSION},
        }
        for box, value, quality in window_hashes(rgb, STORED_WINDOWS)
    ]


def query_hashes(rgb: NDArray[np.uint8]) -> list[str]:
    """The hashes of a query picture's windows worth looking up (featureless ones left out)."""
    return [
        value for _, value, quality in window_hashes(rgb, QUERY_WINDOWS) if quality >= MIN_QUALITY
    ]
