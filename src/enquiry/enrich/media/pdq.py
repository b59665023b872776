"""PDQ perceptual hashes of pictures: the 256-bit hash, its quality, and its mirrored variants.

PDQ (Meta's open standard, computed by the ``pdqhash`` binding of the reference C++ code) is
what platforms and archives exchange to find recycled images, so hashes made here can be compared
with theirs. Two images are "the same picture" when their hashes differ in at most ~31 of 256
bits. PDQ reduces every image to 64×64 internally; here every picture is first brought to
:data:`CANONICAL_SIDE` pixels on its long side (see :func:`canonical`), which makes the hash
independent of the size of the copy and makes big photos hash many times faster.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pdqhash
from numpy.typing import NDArray
from PIL import Image, ImageOps
from threadpoolctl import ThreadpoolController

from enquiry.intake.limits import open_picture

ALGORITHM = "pdq"
# Recorded with every hash (and for the item, with its windows): since photos are decoded near
# 256 pixels rather than 512, a large JPEG's hashes sit a few bits from those made before
# ("pdqhash 0.2.8": 6-7 bits on average, at most 28 of 256, docs/benchmarks.md). Both are
# compared alike; the version says which decoding made a hash. Since "luma", a JPEG's
# luminance is its decoder's own (its Y channel) rather than computed from the decoded colours:
# whole-picture hashes moved by 0.07 bits on average (at most 2), windows by 0.4 (at most 12).
VERSION = f"pdqhash {pdqhash.__version__}; JPEG luma decoded near 256 px"
BITS = 256
MAX_SIDE = 512
# Hashes of flat, featureless pictures (a black frame, a silhouette, a blank page) match
# unrelated pictures, so below this quality they are stored but never matched. Meta suggests 50,
# but quality follows contrast: a real low-contrast photograph (scikit-image's "clock") scores
# 35, and 18–22 once darkened or flattened, while the silhouettes and phantoms that collided
# with each other in the benchmark, and black or grey frames, score 0.
MIN_QUALITY = 10
CANONICAL_SIDE = 256
# The eight ways a picture can be turned or flipped (the dihedral group of the square).
DIHEDRAL = (
    "original",
    "rot90",
    "rot180",
    "rot270",
    "flip_vertical",
    "mirror",
    "transpose",
    "transverse",
)
MIRROR = DIHEDRAL.index("mirror")

# A border row: at least this share of its pixels within this many grey levels of its median
# (bars and margins are flat to within compression noise; dark or plain content rarely is).
BORDER_LEVELS = 6
BORDER_SHARE = 0.97
BORDER_MAX_SIDE = 0.35
BORDER_MIN_TRIM = 0.04
BORDER_RUN_SHARE = 0.45

# Satellite scenes are big, decompression bombs bigger: past this, pixels are not decoded (the
# same limit as the photo metadata extractor's). Checked here because Pillow's own limit is a
# process-wide setting that other code may change.
MAX_PIXELS = 200_000_000

# The hash's matrix products are small: BLAS's threads cost more to wake than they save.
_BLAS = ThreadpoolController()


def to_hex(bits: NDArray[np.integer]) -> str:
    """The 64-hex-digit form of a 256-bit hash (first bit = most significant of the first digit)."""
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


def from_hex(text: str) -> NDArray[np.uint8]:
    """The 32 bytes of a hash given in hex; raises ValueError for anything but 64 hex digits."""
    raw = bytes.fromhex(text)
    if len(raw) != BITS // 8:
        raise ValueError(f"a PDQ hash has {BITS // 4} hex digits, not {len(text)}")
    return np.frombuffer(raw, dtype=np.uint8)


def distance(a: str, b: str) -> int:
    """Hamming distance between two hex hashes (bits that differ, 0–256)."""
    return int(np.bitwise_count(np.bitwise_xor(from_hex(a), from_hex(b))).sum())


def canonical(rgb: NDArray[np.uint8], side: int = CANONICAL_SIDE) -> NDArray[np.uint8]:
    """The picture scaled so that its long side is exactly ``side`` pixels (area-averaged when
    shrinking, bilinear when enlarging). PDQ's hash moves with the size it is given (10–20 bits
    between 512 and 256 pixels for the same photograph), so every picture, photo or video frame,
    large original or small copy, is hashed at the same size."""
    height, width = rgb.shape[:2]
    if max(height, width) == side:
        return rgb
    scale = side / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    method = Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR
    return np.asarray(Image.fromarray(rgb).resize(size, method))


_ORIENT = {
    "original": lambda a: a,
    "rot90": lambda a: np.rot90(a, 1),
    "rot180": lambda a: np.rot90(a, 2),
    "rot270": lambda a: np.rot90(a, 3),
    "flip_vertical": lambda a: a[::-1],
    "mirror": lambda a: a[:, ::-1],
    "transpose": lambda a: a.transpose(1, 0, 2),
    "transverse": lambda a: np.rot90(a, 2).transpose(1, 0, 2),
}


# PDQ, as the reference code computes it (Meta's pdqhashing.cpp and downscaling.cpp, which
# ``pdqhash`` binds): luminance; along each axis of n pixels two passes of a box filter
# (n + 127) // 128 pixels wide, then one pixel kept every n / 64 (at the centres); the 16 × 16
# lowest non-constant DCT coefficients; a bit per coefficient above their median; a quality
# from the 64 × 64 gradients. All of it before the median is linear along each axis, so here
# it is written as matrices (:func:`_axis`), and the eight turned pictures share one product.
GRID = 64
FREQUENCIES = 16
_MIN_SIDE = 5  # the reference code hashes smaller pictures as all zeros, quality 0
_DCT = (
    np.sqrt(2 / GRID)
    * np.cos(
        np.pi / (2 * GRID) * np.arange(1, FREQUENCIES + 1)[:, None] * (2 * np.arange(GRID) + 1)
    )
).astype(np.float32)


@lru_cache(maxsize=64)
def _axis(n: int) -> NDArray[np.float32]:
    """(96, n): along an axis of ``n`` pixels, PDQ's blur-and-keep to 64 (rows 0–63), its
    DCT (rows 64–79), and the DCT of the axis reversed (rows 80–95).

    The box filter of the reference code: a window of w pixels from a pixels before to
    b after, cut at the ends and averaged over what is left; two passes; then pixel
    int((i + 0.5) n / 64) is kept. The window is not centred when w is even, and the kept
    pixels are not placed symmetrically, so a reversed axis needs a matrix of its own (PDQ's
    dihedral shortcut flips signs instead, which at 256 pixels lands 15–25 bits away)."""
    width = (n + 2 * GRID - 1) // (2 * GRID)
    after = (width + 2) // 2 - 1
    before = width - 1 - after
    at = np.arange(n)
    low, high = np.maximum(at - before, 0), np.minimum(at + after, n - 1)
    box = (at[None, :] >= low[:, None]) & (at[None, :] <= high[:, None])
    box = box / (high - low + 1)[:, None]
    kept = ((np.arange(GRID) + 0.5) * n / GRID).astype(int)
    shrink = (box @ box)[kept]
    return np.vstack([shrink, _DCT @ shrink, _DCT @ shrink[:, ::-1]]).astype(np.float32)


def _luma(rgb: NDArray[np.uint8]) -> NDArray[np.float32]:
    """PDQ's luminance (the same weights and rounding as ``pdqhash``); a grey picture (a JPEG's
    own luma, see :func:`load_rgb`) is its luminance already."""
    if rgb.ndim == 2:
        return rgb.astype(np.float32)
    return np.asarray(
        (rgb[:, :, 0] * 0.299 + rgb[:, :, 1] * 0.587 + rgb[:, :, 2] * 0.114).astype(np.float32)
    )


def _bits(coefficients: NDArray[np.floating[Any]]) -> str:
    """The hex hash of 16 × 16 coefficients: bit 16 i + j is set when coefficient (i, j) is
    above their (lower) median, bit 255 written first, as ``pdqhash`` orders them."""
    median = np.partition(coefficients.ravel(), 127)[127]
    return to_hex((coefficients > median).ravel()[::-1])


def _quality(grid: NDArray[np.floating[Any]]) -> int:
    """PDQ's quality from the 64 × 64 picture: its significant gradients, scaled to 0–100."""
    down = np.trunc((grid[:-1] - grid[1:]) * 100 / 255)
    across = np.trunc((grid[:, :-1] - grid[:, 1:]) * 100 / 255)
    return int(min(100, int(np.abs(down).sum() + np.abs(across).sum()) // 90))


# How each of DIHEDRAL turns the picture's pixels: (transposed, rows reversed, columns
# reversed) of the picture before any transposition, read off _ORIENT itself.
def _turn_of(name: str) -> tuple[bool, int, int]:
    probe = np.arange(6).reshape(2, 3)
    turned = _ORIENT[name](probe[:, :, None])[:, :, 0]
    flipped = turned.T if turned.shape != probe.shape else turned
    for rows in (0, 1):
        for cols in (0, 1):
            if np.array_equal(flipped, probe[:: -1 if rows else 1, :: -1 if cols else 1]):
                return turned.shape != probe.shape, rows, cols
    raise AssertionError(name)


_TURNS = {name: _turn_of(name) for name in DIHEDRAL}


def hash_rgb(
    rgb: NDArray[np.uint8], orientations: tuple[str, ...] = DIHEDRAL
) -> tuple[str, int, list[str]]:
    """Hash an RGB array: (hash, quality 0–100, the hashes of the picture turned or flipped as
    named in ``orientations``, :data:`DIHEDRAL` by default). Quality under ~50 means a flat or
    featureless picture whose hash matches too much.

    PDQ of the picture's :func:`canonical` copy, and the hashes of that copy turned or
    flipped, all from one luminance array and two matrix products (:func:`_axis`): the same
    bits as ``pdqhash`` on the turned pixels (but for a coefficient within rounding of the
    median), in a fraction of the time of eight calls."""
    pixels = canonical(rgb)
    height, width = pixels.shape[:2]
    if min(height, width) < _MIN_SIDE:
        bits, quality = pdqhash.compute(np.ascontiguousarray(_colour(pixels)))
        return to_hex(bits), int(quality), [to_hex(bits)] * len(orientations)
    along_rows, along_cols = _axis(height), _axis(width)
    with _BLAS.limit(limits=1, user_api="blas"):
        products = (along_rows @ _luma(pixels)) @ along_cols.T  # (96, 96)
    quality = _quality(products[:GRID, :GRID])
    # the coefficients with rows (a) and columns (b) of the picture reversed or not
    blocks = {
        (a, b): products[
            GRID + FREQUENCIES * a : GRID + FREQUENCIES * (a + 1),
            GRID + FREQUENCIES * b : GRID + FREQUENCIES * (b + 1),
        ]
        for a in (0, 1)
        for b in (0, 1)
    }
    hexes = []
    for name in orientations:
        transposed, rows, cols = _TURNS[name]
        block = blocks[(rows, cols)]
        hexes.append(_bits(block.T if transposed else block))
    return hexes[0], quality, hexes


def _colour(pixels: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Three equal channels for a grey picture (for code that takes RGB only)."""
    return pixels if pixels.ndim == 3 else np.repeat(pixels[:, :, None], 3, axis=2)


def load_rgb(
    path: Path, max_side: int = MAX_SIDE, *, least_side: int | None = None, grey: bool = False
) -> NDArray[np.uint8]:
    """Decode an image file to RGB, upright (EXIF orientation applied, as a viewer shows it), at
    most ``max_side`` pixels on its long side, asking the JPEG decoder for a reduced size (DCT
    scaling by 1/2, 1/4 or 1/8) when the picture is much larger than needed: a long side of at
    least ``least_side`` (``max_side`` by default). The hashes need only
    :data:`CANONICAL_SIDE`, and a phone photo decoded at 1/8 costs a fraction of 1/4.

    With ``grey``, the picture's luminance (a 2-D array) instead: every hash here looks at
    luminance only. A JPEG stores it (its Y channel has PDQ's weights), so the decoder is asked
    for it alone and skips the colour channels' transforms and conversion (:data:`VERSION`);
    another image is converted by Pillow (the same weights, rounded).

    Raises ``OSError``/``ValueError`` (from Pillow) for files that are not readable images."""
    with open_picture(path) as image:
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ValueError(
                f"{width}×{height} pixels: a decompression bomb is suspected, "
                "so the picture is not decoded"
            )
        if image.format == "JPEG":
            # a JPEG in YCbCr (nearly all) gives its luma alone when asked; CMYK and the like
            # keep their mode and are converted below
            mode = "L" if grey else "RGB"
            if least_side is None:
                image.draft(mode, (max_side, max_side))
            else:
                # each side at least its share of least_side, so the long side keeps it
                scale = least_side / max(width, height, 1)
                image.draft(mode, (math.ceil(width * scale), math.ceil(height * scale)))
        image.seek(0)
        # turned in place: the opened file's pixels, not a copy of them
        ImageOps.exif_transpose(image, in_place=True)
        upright: Image.Image = image
        if upright.mode not in ("RGB", "L"):
            background = Image.new("RGBA", upright.size, (255, 255, 255, 255))
            if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
                upright = Image.alpha_composite(background, upright.convert("RGBA"))
        want = "L" if grey else "RGB"
        pixels = upright if upright.mode == want else upright.convert(want)
        if max(pixels.size) > max_side:
            pixels.thumbnail((max_side, max_side), Image.Resampling.BOX)
        return np.asarray(pixels)


def _grey_levels(pixels: NDArray[np.uint8]) -> NDArray[np.int16]:
    """The mean of the three channels, rounded down, as int16 (for the border search).
    Added channel by channel: numpy's sum over a last axis of three is several times slower."""
    if pixels.ndim == 2:
        return pixels.astype(np.int16)
    total = pixels[..., 0].astype(np.int16)
    total += pixels[..., 1]
    total += pixels[..., 2]
    total //= 3
    return total


def _border_like(lines: NDArray[np.int16]) -> NDArray[np.bool_]:
    """Which rows of a (rows, pixels) grey array (levels 0–255) look like a border: nearly all
    pixels within a few levels of the row's median (flat bars; bars with a line of caption
    text pass too). Counted from each row's histogram of levels, which gives the median and
    the pixels near it without sorting the rows."""
    rows, pixels = lines.shape
    counts = np.bincount(
        (np.arange(rows)[:, None] * 256 + lines).ravel(), minlength=rows * 256
    ).reshape(rows, 256)
    below = np.zeros((rows, 257), dtype=np.int64)  # below[:, v]: pixels under level v
    np.cumsum(counts, axis=1, out=below[:, 1:])
    # twice the median: the two middle levels of the sorted row (the same level if odd)
    twice = (below[:, 1:] <= (pixels - 1) // 2).sum(axis=1) + (below[:, 1:] <= pixels // 2).sum(
        axis=1
    )
    low = np.clip((twice - 2 * BORDER_LEVELS + 1) // 2, 0, 256)
    high = np.clip((twice + 2 * BORDER_LEVELS) // 2 + 1, 0, 256)
    near = below[np.arange(rows), high] - below[np.arange(rows), low]
    return np.asarray(near / pixels >= BORDER_SHARE, dtype=np.bool_)


def border_box(rgb: NDArray[np.uint8]) -> tuple[int, int, int, int] | None:
    """The (top, bottom, left, right) box inside letterbox bars, screenshot margins or caption
    banners, or None when the picture has no such border (or trimming would leave too little).

    Re-uploads add such frames, and PDQ — a transform of the whole picture — changes a lot
    when they are added; hashing the content inside them as well finds those copies.

    A border starts at the picture's edge, so when none of its four edge lines is flat there
    is none, and the search stops there (most photos): the whole search only for the rest."""
    columns = rgb[:, [0, -1]]
    edges = (rgb[[0, -1]], columns.T if rgb.ndim == 2 else columns.transpose(1, 0, 2))
    if not any(_border_like(_grey_levels(lines)).any() for lines in edges):
        return None
    grey = _grey_levels(rgb)
    height, width = grey.shape

    def inward(flags: NDArray[np.bool_], limit: int) -> int:
        # The deepest border row such that most rows out to the edge are border rows too: a
        # margin's line of caption text breaks the run of flat rows but not the margin. A run
        # that reaches the limit is flat content (sky, a wall), not a border.
        if limit < 1:
            return 0
        share = np.cumsum(flags[:limit]) / np.arange(1, limit + 1)
        ok = np.flatnonzero(flags[:limit] & (share >= BORDER_RUN_SHARE))
        depth = int(ok[-1]) + 1 if len(ok) and flags[0] else 0
        return 0 if depth >= limit else depth

    rows = _border_like(grey)
    top = inward(rows, int(height * BORDER_MAX_SIDE))
    bottom = height - inward(rows[::-1], int(height * BORDER_MAX_SIDE))
    if bottom - top < 32:
        return None
    cols = _border_like(grey[top:bottom].T)
    left = inward(cols, int(width * BORDER_MAX_SIDE))
    right = width - inward(cols[::-1], int(width * BORDER_MAX_SIDE))
    trimmed = (top + height - bottom) / height + (left + width - right) / width
    if trimmed < BORDER_MIN_TRIM or (bottom - top) < 32 or (right - left) < 32:
        return None
    return top, bottom, left, right


def picture_entries(
    rgb: NDArray[np.uint8],
    t: float | None,
    *,
    all_orientations: bool,
    small: NDArray[np.uint8] | None = None,
) -> list[dict[str, Any]]:
    """Hash entries (``{"algorithm", "t", "hash", "quality", "data"}``) for one picture: the
    picture itself, with its seven turned and flipped hashes (photos) or its mirror's hash (video
    frames: rotated footage is rare, mirrored re-uploads common) in ``data``, plus — when it has
    a border — the content inside the border (``data.variant`` is ``"deborder"``), so that
    bordered copies and their sources find each other either way. ``small`` is the picture's
    :func:`canonical` copy if the caller has made it already (the hashes are the same)."""
    orientations = DIHEDRAL if all_orientations else ("original", "mirror")
    value, quality, variants = hash_rgb(rgb if small is None else small, orientations)
    data: dict[str, Any] = (
        {"dihedral": variants[1:]} if all_orientations else {"mirror": variants[1]}
    )
    entries = [
        {
            "algorithm": ALGORITHM,
            "t": t,
            "hash": value,
            "quality": quality,
            "data": {**data, "version": VERSION},
        }
    ]
    # Found at full size: a box off by a canonical pixel or two is a crop of 1–2 %, which
    # moves a PDQ hash by 20–40 bits.
    box = border_box(rgb)
    if box is not None:
        top, bottom, left, right = box
        content = rgb[top:bottom, left:right]
        inner, inner_quality, inner_variants = hash_rgb(
            np.ascontiguousarray(content), ("original", "mirror")
        )
        entries.append(
            {
                "algorithm": ALGORITHM,
                "t": t,
                "hash": inner,
                "quality": inner_quality,
                "data": {
                    "variant": "deborder",
                    "box": list(box),
                    "mirror": inner_variants[1],
                    "version": VERSION,
                },
            }
        )
    return entries


def hash_image_file(path: Path) -> dict[str, Any]:
    """The main hash entry of an image file (see :func:`image_entries` for all of them)."""
    return image_entries(path)[0]


def image_entries(path: Path) -> list[dict[str, Any]]:
    """Hash entries for an image file, decoded upright: see :func:`picture_entries`."""
    return picture_entries(
        load_rgb(path, least_side=CANONICAL_SIDE, grey=True), None, all_orientations=True
    )
