"""PDQ perceptual hashes of pictures: the 256-bit hash, its quality, and its mirrored variants.

PDQ (Meta's open standard, computed by the ``pdqhash`` binding of the reference C++ code) is
what platforms and archives exchange to find recycled images, so hashes made here can be compared
with theirs. Two images are "the same picture" when their hashes differ in at most ~31 of 256
bits. PDQ reduces every image to 64×64 internally, so pictures are first shrunk to at most
:data:`MAX_SIDE` pixels: the hash barely moves and big photos hash many times faster.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pdqhash
from numpy.typing import NDArray
from PIL import Image, ImageOps

ALGORITHM = "pdq"
VERSION = f"pdqhash {pdqhash.__version__}"
BITS = 256
MAX_SIDE = 512
# Order of pdqhash.compute_dihedral's outputs (checked in the tests against real flips).
DIHEDRAL = ("original", "rot90", "rot180", "rot270", "flip_vertical", "mirror", "transpose",
            "transverse")
MIRROR = DIHEDRAL.index("mirror")

Image.MAX_IMAGE_PIXELS = 400_000_000  # satellite scenes are big; decompression bombs are bigger


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


def shrink(rgb: NDArray[np.uint8], max_side: int = MAX_SIDE) -> NDArray[np.uint8]:
    """The picture at most ``max_side`` pixels on its long side (area-averaged, as PDQ itself
    averages); smaller pictures are returned as they are."""
    height, width = rgb.shape[:2]
    if max(height, width) <= max_side:
        return rgb
    scale = max_side / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BOX))


def hash_rgb(rgb: NDArray[np.uint8]) -> tuple[str, int, list[str]]:
    """Hash an RGB array: (hash, quality 0–100, the eight dihedral hashes in :data:`DIHEDRAL`
    order). Quality under ~50 means a flat or featureless picture whose hash matches too much."""
    pixels = np.ascontiguousarray(shrink(rgb))
    variants, quality = pdqhash.compute_dihedral(pixels)
    hexes = [to_hex(v) for v in variants]
    return hexes[0], int(quality), hexes


def load_rgb(path: Path, max_side: int = MAX_SIDE) -> NDArray[np.uint8]:
    """Decode an image file to RGB, upright (EXIF orientation applied, as a viewer shows it),
    asking the JPEG decoder for a reduced size when the picture is much larger than needed.

    Raises ``OSError``/``ValueError`` (from Pillow) for files that are not readable images."""
    with Image.open(path) as image:
        if image.format == "JPEG":
            image.draft("RGB", (max_side, max_side))
        image.seek(0)
        upright = ImageOps.exif_transpose(image)
        if upright.mode not in ("RGB", "L"):
            background = Image.new("RGBA", upright.size, (255, 255, 255, 255))
            if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
                upright = Image.alpha_composite(background, upright.convert("RGBA"))
        rgb = upright.convert("RGB")
        if max(rgb.size) > max_side:
            rgb.thumbnail((max_side, max_side), Image.Resampling.BOX)
        return np.asarray(rgb)


def hash_image_file(path: Path) -> dict[str, object]:
    """One hash entry (``{"algorithm", "t", "hash", "quality", "data"}``) for an image file;
    ``data`` carries the dihedral hashes so that mirrored or rotated copies can be looked up."""
    rgb = load_rgb(path)
    value, quality, variants = hash_rgb(rgb)
    return {
        "algorithm": ALGORITHM,
        "t": None,
        "hash": value,
        "quality": quality,
        "data": {"dihedral": variants[1:], "version": VERSION},
    }
