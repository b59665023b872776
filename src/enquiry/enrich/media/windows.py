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
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image
from threadpoolctl import ThreadpoolController

from enquiry.enrich.media.pdq import MIN_QUALITY, border_box, canonical

# An algorithm name of its own: window rows are kept out of the whole-picture index (older
# homes' indexes stay valid) and looked up in an index of their own.
ALGORITHM = "dct-window"
VERSION = "dct-window 2"
# Windows narrower than this share of a side are not hashed (too few pixels to say anything).
MIN_WINDOW = 0.1
# Stored: 3×3 windows of 90 % and of 80 % of each side (at the corners, the edge middles and
# the centre), and 60 % at the centre and the four corners: 23 windows, 24 hashes with the whole
# picture. The 60 % corners are there for logos: a broadcaster's logo in a corner reaches into
# every 80 % window (on text and fine detail, a sliver of logo at a window's edge moves its hash
# by 40 bits), while the 60 % window at the opposite corner stays clear of a logo up to ~40 % of
# the width and height (15 % of the frame). Version 1 stored the centre 60 % only.
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


WHOLE: Box = (0.0, 0.0, 1.0, 1.0)


def stored_boxes() -> list[Box]:
    """The windows stored for every photo: the whole picture (hashed like the windows, so that
    a query's windows find it inset in another picture) and 23 windows."""
    boxes = [WHOLE] + [box for scale in STORED_SCALES for box in _anchored(scale, scale)]
    margin = round((1 - CENTRE_SCALE) / 2, 4)
    boxes.append((margin, margin, round(1 - margin, 4), round(1 - margin, 4)))
    # the corners last, so that version 1's 20 boxes keep their order
    corners = [
        b for b in _anchored(CENTRE_SCALE, CENTRE_SCALE) if b[0] != margin and b[1] != margin
    ]
    return boxes + corners


STORED_WINDOWS = stored_boxes()


def query_boxes(scales: Iterable[float] = QUERY_SCALES) -> list[Box]:
    """The windows a query always hashes: the whole picture (a crop that is a stored window)
    and squares at nine anchored places."""
    boxes: dict[Box, None] = {WHOLE: None}
    for scale in scales:
        if scale < 1.0:
            for box in _anchored(scale, scale):
                boxes.setdefault(box, None)
    return list(boxes)


QUERY_WINDOWS = query_boxes()

# Turned copies (a scan or a photograph of a print, a picture straightened or tilted by hand):
# a window 2° off its stored window's angle lands ~10–60 bits away (~28 typically), and no
# upright query window lines up with a stored one. So a query is also turned back by each of
# these angles (degrees counter-clockwise, the way Pillow turns) and hashed at the stored centre
# windows, which stay (nearly) clear of the corners a turn of up to ~8° blackens: 30 more
# look-ups. Between two of these angles a copy is at most 0.75° off one; on the robustness
# benchmark's photographs turned by 17 angles from -8° to 8.5° (not only its 2° and 5°), the
# turned-back windows found 283 of the 289 copies that have windows with features, and none of
# them came within 86 bits of another photograph's windows (docs/benchmarks.md).
ROTATIONS = (-7.5, -6.0, -4.5, -3.0, -1.5, 1.5, 3.0, 4.5, 6.0, 7.5)
ROTATED_WINDOWS: list[Box] = [
    box
    for box in STORED_WINDOWS
    if box != WHOLE
    and box[0] == box[1]
    and round(box[0] + box[2], 4) == 1 == round(box[1] + box[3], 4)
]


# The hash of a window: PDQ's recipe (luminance shrunk to 64 × 64 by area, the 16 × 16 lowest
# non-constant DCT coefficients, each bit "above the median") computed for all windows of a
# picture at once, as matrix products (see :func:`window_hashes`).
WORKING_SIDE = 128
CELLS = 64
FREQUENCIES = 16
_K = np.arange(1, FREQUENCIES + 1)[:, None]
_J = np.arange(CELLS)[None, :]
_DCT = np.sqrt(2 / CELLS) * np.cos(np.pi / (2 * CELLS) * _K * (2 * _J + 1))  # (16, 64)
# The DCT of the 64 cell averages, as weights of the cumulative coverage at the 65 cell edges:
# D @ diff(F) == _EDGES @ F.
_EDGES = np.zeros((FREQUENCIES, CELLS + 1))
_EDGES[:, :CELLS] -= _DCT
_EDGES[:, 1:] += _DCT
# Quality 0–100 like PDQ's: the mean size of the 256 coefficients, scaled so that flat windows
# (a silhouette's, ~0.7) score under MIN_QUALITY and textured ones (the clock's, ~25) near 100.
QUALITY_SCALE = 4.0


# The products are small (a few million multiply-adds): BLAS's threads cost more to wake than
# they save, and on a busy machine waiting for them took 30 ms instead of 2 for a photo's
# windows. So they run on the calling thread (a limit local to these products).
_BLAS = ThreadpoolController()


def _grey(rgb: NDArray[np.uint8]) -> NDArray[np.float32]:
    """Luminance (ITU-R 601 weights, as PDQ's) as float32 (a grey picture is its own)."""
    pixels = rgb.astype(np.float32)
    if pixels.ndim == 2:
        return pixels
    with _BLAS.limit(limits=1, user_api="blas"):
        return np.asarray(pixels @ np.array([0.299, 0.587, 0.114], dtype=np.float32))


@lru_cache(maxsize=256)
def _basis(intervals: tuple[tuple[float, float], ...], pixels: int) -> NDArray[np.float32]:
    """(m, 16, pixels): for each interval (fractions of the side), the weights that turn a
    line of ``pixels`` into the 16 DCT coefficients of its 64 area-averaged cells."""
    spans = np.asarray(intervals, dtype=np.float64) * pixels
    step = (spans[:, 1] - spans[:, 0]) / CELLS
    edges = spans[:, :1] + step[:, None] * np.arange(CELLS + 1)[None, :]
    coverage = np.clip(edges[:, :, None] - np.arange(pixels)[None, None, :], 0, 1)
    basis = np.einsum("kj,mjn->mkn", _EDGES, coverage, optimize=True) / step[:, None, None]
    return np.asarray(basis, dtype=np.float32)


@lru_cache(maxsize=64)
def _layout(
    boxes: tuple[Box, ...],
) -> tuple[
    tuple[tuple[float, float], ...],
    NDArray[np.intp],
    tuple[tuple[float, float], ...],
    NDArray[np.intp],
]:
    """The distinct row and column intervals of some windows, and each window's: the same for
    every stored photo, so found once."""
    spans = np.asarray(boxes, dtype=np.float64)
    rows, row_of = np.unique(spans[:, [1, 3]], axis=0, return_inverse=True)
    cols, col_of = np.unique(spans[:, [0, 2]], axis=0, return_inverse=True)
    return (
        tuple(map(tuple, rows.tolist())),
        row_of.ravel(),
        tuple(map(tuple, cols.tolist())),
        col_of.ravel(),
    )


def window_hashes(rgb: NDArray[np.uint8], boxes: Iterable[Box]) -> list[tuple[Box, str, int]]:
    """(box, hash, quality) of each window of a picture.

    Each window's coefficients are ``Ay @ grey @ Ax.T`` where ``Ay`` depends only on the
    window's rows and ``Ax`` on its columns (area shrinking and the DCT are both linear), so
    the hundreds of windows of a query share a few dozen row and column bases: 225 windows
    take a few milliseconds, against ~0.35 ms each through pdqhash. The hash follows PDQ's
    recipe but is not bit-identical to pdqhash's (which blurs with a tent filter), hence its
    own algorithm name: stored and query windows are always made by this function."""
    chosen = [
        box for box in boxes if box[2] - box[0] >= MIN_WINDOW and box[3] - box[1] >= MIN_WINDOW
    ]
    if not chosen:
        return []
    # through the canonical copy the whole picture is hashed from, so that a caller holding
    # it (intake) and one holding the decoded picture get the same hashes
    grey = _grey(canonical(canonical(rgb), WORKING_SIDE))
    height, width = grey.shape
    rows, row_of, cols, col_of = _layout(tuple(chosen))
    ay = _basis(rows, height)
    ax = _basis(cols, width)
    with _BLAS.limit(limits=1, user_api="blas"):
        partial = (ay.reshape(-1, height) @ grey).reshape(len(rows), FREQUENCIES, width)
        coefficients = np.matmul(partial[row_of], ax[col_of].transpose(0, 2, 1)).reshape(
            len(chosen), FREQUENCIES * FREQUENCIES
        )
    return _bits(coefficients, chosen)


def _bits(coefficients: NDArray[np.float32], boxes: list[Box]) -> list[tuple[Box, str, int]]:
    """(box, hash, quality) from each window's 256 DCT coefficients (a row each, boxes in turn)."""
    median = np.median(coefficients, axis=1, keepdims=True)
    packed = np.packbits(coefficients > median, axis=1)
    quality = np.minimum(100, np.round(QUALITY_SCALE * np.abs(coefficients).mean(axis=1)))
    return [(box, packed[i].tobytes().hex(), int(quality[i])) for i, box in enumerate(boxes)]


def _entries(
    rgb: NDArray[np.uint8], boxes: list[Box], t: float | None, query: bool
) -> list[dict[str, Any]]:
    data = {"version": VERSION, **({"query": True} if query else {})}
    return [
        {
            "algorithm": ALGORITHM,
            "t": t,
            "hash": value,
            "quality": quality,
            "data": {"box": list(box), **data},
        }
        for box, value, quality in window_hashes(rgb, boxes)
    ]


def stored_entries(rgb: NDArray[np.uint8], t: float | None = None) -> list[dict[str, Any]]:
    """Hash entries (``media_hashes`` rows) of a picture's stored windows; ``data.box`` is the
    window as fractions of the picture (left, top, right, bottom)."""
    return _entries(rgb, STORED_WINDOWS, t, query=False)


def query_entries(
    rgb: NDArray[np.uint8],
    border: Iterable[int] | None = None,
    small: NDArray[np.uint8] | None = None,
) -> list[dict[str, Any]]:
    """Hash entries of the windows a query picture is looked up by (``data.query`` is true:
    they are never stored): :data:`QUERY_WINDOWS` and the boxes framed by straight edges
    (:func:`inset_boxes`), and the content inside the picture's ``border`` (top, bottom, left,
    right in pixels, as :func:`~.pdq.border_box` finds it; looked for when not given); the
    centre windows turned back (``data.rotation``) and mirrored (``data.mirror``).
    ``small`` is the picture's canonical copy, if the caller has it already."""
    small = canonical(rgb) if small is None else small
    boxes = list(dict.fromkeys(QUERY_WINDOWS + content_boxes(rgb, border) + inset_boxes(small)))
    turned = [
        {
            "algorithm": ALGORITHM,
            "t": None,
            "hash": value,
            "quality": quality,
            "data": {"box": list(box), "rotation": angle, "version": VERSION, "query": True},
        }
        for angle, box, value, quality in rotated_hashes(small)
    ]
    # A mirrored copy's whole picture is looked up mirrored (PDQ's dihedral hashes), but on
    # text and fine detail a re-encoded mirror can land beyond the radius there; its centre
    # windows mirrored back are the stored centre windows (those boxes are their own mirror
    # images): 3 more look-ups.
    mirrored = [
        {**entry, "data": {**entry["data"], "mirror": True}}
        for entry in _entries(
            np.ascontiguousarray(small[:, ::-1]), ROTATED_WINDOWS, None, query=True
        )
    ]
    return _entries(small, boxes, None, query=True) + turned + mirrored


def rotated_hashes(
    small: NDArray[np.uint8], angles: Iterable[float] = ROTATIONS
) -> list[tuple[float, Box, str, int]]:
    """(angle, box, hash, quality) of the :data:`ROTATED_WINDOWS` of a picture turned back by
    each angle (a copy turned ``angle`` degrees counter-clockwise is turned back clockwise; see
    :data:`ROTATIONS`). ``small`` is the picture's canonical copy: its luminance is turned at
    that size taking the nearest pixel, and each window's 64 × 64 cells average the turned pixels
    they cover, as a window's cells average the pixels of the copy at :data:`WORKING_SIDE`
    (shrinking by area first or not comes to nearly the same cells). All the turns are hashed in one
    batch of products: ~0.2–0.3 ms a turn."""
    angles = tuple(angles)
    if not angles:
        return []
    small = canonical(small)
    grey = Image.fromarray(_grey(small))  # 32-bit float: no rounding before the hash
    turned = np.stack(
        [
            np.asarray(grey.rotate(-angle, resample=Image.Resampling.NEAREST), dtype=np.float32)
            for angle in angles
        ]
    )
    _, height, width = turned.shape
    rows, row_of, cols, col_of = _layout(tuple(ROTATED_WINDOWS))
    ay = _basis(rows, height)
    ax = _basis(cols, width)
    with _BLAS.limit(limits=1, user_api="blas"):
        partial = np.matmul(ay.reshape(-1, height), turned).reshape(
            len(angles), len(rows), FREQUENCIES, width
        )
        coefficients = np.matmul(partial[:, row_of], ax[col_of].transpose(0, 2, 1)).reshape(
            len(angles) * len(ROTATED_WINDOWS), FREQUENCIES * FREQUENCIES
        )
    boxes = ROTATED_WINDOWS * len(angles)
    turns = [angle for angle in angles for _ in ROTATED_WINDOWS]
    return [(turn, *hashed) for turn, hashed in zip(turns, _bits(coefficients, boxes), strict=True)]


def content_boxes(rgb: NDArray[np.uint8], border: Iterable[int] | None = None) -> list[Box]:
    """The picture inside its border (letterbox bars, a screenshot's margins), if it has one
    (see :func:`~.pdq.border_box`)."""
    found = border_box(rgb) if border is None else tuple(border)
    if not found:
        return []
    top, bottom, left, right = found
    height, width = rgb.shape[:2]
    return [(left / width, top / height, right / width, bottom / height)]


# Picture-in-picture: an inset's sides are straight edges. A row boundary is an edge where
# the 2 rows above and the 2 below differ by more than EDGE_LEVELS grey levels; a side of a box
# is supported when at least SIDE_SUPPORT of its length lies on such an edge.
EDGE_LEVELS = 8.0
SIDE_SUPPORT = 0.6
INSET_MIN = 0.45
# Boundaries tried as sides, per direction (besides the frame's own), the likeliest first; and
# the most boxes a query keeps, the best supported first.
EDGE_CANDIDATES = 16
INSET_BOXES = 40


def _edge_map(grey: NDArray[np.float32]) -> NDArray[np.bool_]:
    """(height + 1, width): whether the boundary above each row (and below the last) is an
    edge at each column; the frame's own top and bottom count as edges."""
    height = grey.shape[0]
    padded = np.vstack([grey[:1], grey[:1], grey, grey[-1:], grey[-1:]])
    csum = np.cumsum(np.vstack([np.zeros((1, grey.shape[1]), np.float32), padded]), axis=0)
    y = np.arange(height + 1) + 2  # boundary above padded row y
    above = (csum[y] - csum[y - 2]) / 2
    below = (csum[y + 2] - csum[y]) / 2
    edges: NDArray[np.bool_] = np.abs(above - below) > EDGE_LEVELS
    edges[0] = edges[height] = True
    return edges


def _candidates(edges: NDArray[np.bool_], run: NDArray[np.float64]) -> list[int]:
    """Boundaries that could be a side of an inset, the likeliest first, and the frame's own.

    A side spans at least :data:`INSET_MIN` of the picture and lies on edges along at least
    :data:`SIDE_SUPPORT` of its length, so some stretch of that minimum length along its
    boundary is at least that dense in edges: boundaries without one cannot be sides and are
    left out. The others are ranked by their densest such stretch (local maxima only), which
    tells an inset's side (dense along the inset, whatever lies beside it) from a row of texture
    or of detail (edges scattered along the whole picture) better than the share of the whole
    line does."""
    length = edges.shape[1]
    span = max(1, int(np.ceil(INSET_MIN * length)))
    score = (run[:, span:] - run[:, :-span]).max(axis=1) / span
    score[0] = score[-1] = 0
    peaks = [
        i
        for i in range(1, len(score) - 1)
        if score[i] >= SIDE_SUPPORT and score[i] >= score[i - 1] and score[i] > score[i + 1]
    ]
    peaks.sort(key=lambda i: -score[i])
    return [0, len(score) - 1, *peaks[:EDGE_CANDIDATES]]


def _support(run: NDArray[np.float64], lines: list[int], ends: list[int]) -> NDArray[np.float64]:
    """(lines, ends, ends): the share of the stretch between each two ``ends`` that lies on
    edges along each of the ``lines`` (0 where the stretch is empty or reversed)."""
    sums = run[lines][:, ends]  # (lines, ends)
    a = np.asarray(ends, dtype=np.float64)
    length = a[None, :] - a[:, None]  # (ends, ends)
    covered = sums[:, None, :] - sums[:, :, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(length > 0, covered / np.where(length > 0, length, 1), 0.0)
    return np.asarray(share, dtype=np.float64)


def inset_boxes(rgb: NDArray[np.uint8]) -> list[Box]:
    """Boxes, at least :data:`INSET_MIN` of each side, whose four sides lie on straight edges
    of the picture (or on its frame): where an inset picture (picture-in-picture, a collage, a
    photo on a screen) would be, wherever it sits. A PDQ-like hash moves ~30 bits when its
    window is 1 % of a side off, which anchored query windows cannot promise for an inset off
    centre; the edges give its place to the pixel. All candidate boxes are tested at once;
    at most :data:`INSET_BOXES` are kept, those whose weakest side is best supported first."""
    grey = _grey(canonical(rgb))
    height, width = grey.shape
    if height < 8 or width < 8:
        return []
    across = _edge_map(grey)  # horizontal sides: (height + 1, width)
    down = _edge_map(np.ascontiguousarray(grey.T))  # vertical sides: (width + 1, height)
    # edges along each boundary up to each point, by prefix sums
    run_across = np.concatenate([np.zeros((len(across), 1)), np.cumsum(across, 1)], 1)
    run_down = np.concatenate([np.zeros((len(down), 1)), np.cumsum(down, 1)], 1)
    rows, cols = _candidates(across, run_across), _candidates(down, run_down)
    along_rows = _support(run_across, rows, cols)  # [row k, left i, right j]
    along_cols = _support(run_down, cols, rows)  # [col k, top i, bottom j]
    r = np.asarray(rows)
    c = np.asarray(cols)
    tall = (r[None, :] - r[:, None]) >= INSET_MIN * height  # [top, bottom]
    wide = (c[None, :] - c[:, None]) >= INSET_MIN * width  # [left, right]
    # weakest side of each box [top, bottom, left, right]
    by_col = along_cols.transpose(1, 2, 0)  # [top, bottom, col]
    weakest = np.minimum(
        np.minimum(along_rows[:, None, :, :], along_rows[None, :, :, :]),  # top, bottom sides
        np.minimum(by_col[:, :, :, None], by_col[:, :, None, :]),  # left, right sides
    )
    ok = (weakest >= SIDE_SUPPORT) & tall[:, :, None, None] & wide[None, None, :, :]
    ok[0, 1, 0, 1] = False  # the frame itself (the candidates' first two are the frame's own)
    found = np.argwhere(ok)
    order = np.argsort(-weakest[tuple(found.T)], kind="stable")[:INSET_BOXES]
    boxes = []
    for ti, bi, li, ri in found[order].tolist():
        boxes.append(
            (
                round(cols[li] / width, 4),
                round(rows[ti] / height, 4),
                round(cols[ri] / width, 4),
                round(rows[bi] / height, 4),
            )
        )
    return boxes


def frame_query_entries(rgb: NDArray[np.uint8], t: float) -> list[dict[str, Any]]:
    """A query video frame's entry for the window index: the whole frame hashed as windows
    are (a frame that is a crop of a stored photo or keyframe is one of its windows)."""
    return _entries(rgb, [WHOLE], t, query=True)


def query_hashes(rgb: NDArray[np.uint8]) -> list[str]:
    """The hashes of a query picture's windows worth looking up (featureless ones left out)."""
    return [value for _, value in lookups(query_entries(rgb))]


def lookups(entries: list[dict[str, Any]]) -> list[tuple[float | None, str]]:
    """(time, hash) of the query windows among hash entries, featureless ones left out."""
    return [
        (e["t"], e["hash"])
        for e in entries
        if e["algorithm"] == ALGORITHM
        and (e.get("data") or {}).get("query")
        and e["quality"] >= MIN_QUALITY
    ]
