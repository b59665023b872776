"""Local features for the copies a perceptual hash cannot see: crops, small rotations, banners.

PDQ describes a whole picture, so cutting 10 % off a side or turning it by 3° moves most of its
bits. Keypoints do not care: ORB corners (OpenCV's) are matched between two pictures, and
RANSAC (scikit-image's) keeps the matches that one similarity transform (shift, scale,
rotation) explains. Two different photographs leave almost none (0 in the benchmark); a crop, a
rotated or captioned copy leaves dozens. It costs ~2 ms per picture to describe (scikit-image's
ORB, used before, took ~0.2 s) and ~10 ms per pair to compare, so it is a second look over a
case's photos (``enquiry media match --deep``), and the check of the few photos whose hashes only
just agree with a query (see ``catalogue.agreed``), not an index.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from importlib import import_module
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController

from enquiry.enrich.media.pdq import MAX_SIDE, canonical

N_KEYPOINTS = 400
# FAST's corner threshold in grey levels: 0.05 of the range, as scikit-image's ORB was given.
FAST_THRESHOLD = 13
MIN_INLIERS = 12
# Lowe's ratio test: a match whose second-best candidate is almost as near is ambiguous.
MAX_RATIO = 0.8
CACHE_FORMAT = 3  # 1: scikit-image's ORB; 2: scaled in colour, then made grey
# The descriptor product is small: BLAS's threads cost more to wake than they save.
_BLAS = ThreadpoolController()


def engine() -> str:
    """The method and library versions, as recorded with results."""
    return (
        f"ORB (OpenCV {version('opencv-python-headless')}) + RANSAC similarity"
        f" (scikit-image {version('scikit-image')})"
    )


def _skimage(module: str) -> Any:
    # scikit-image ships no type hints; its functions are used through this untyped handle.
    return import_module(f"skimage.{module}")


@dataclass
class Features:
    """Keypoints ((row, col) in the picture scaled to at most MAX_SIDE) and their descriptors."""

    keypoints: NDArray[np.float64]
    descriptors: NDArray[np.bool_]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".tmp.npz")
        with temp.open("wb") as handle:
            np.savez(
                handle, format=CACHE_FORMAT, keypoints=self.keypoints, descriptors=self.descriptors
            )
        temp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Features | None:
        try:
            with np.load(path) as saved:
                if int(saved["format"]) != CACHE_FORMAT:
                    return None
                return cls(saved["keypoints"], saved["descriptors"])
        except (OSError, ValueError, KeyError):
            return None


def grey_at(rgb: NDArray[np.uint8], side: int = MAX_SIDE) -> NDArray[np.uint8]:
    """The picture in grey, scaled so that its long side is ``side`` pixels by
    :func:`~.pdq.canonical` (area-averaged when shrinking, bilinear when enlarging).

    Grey first, then scaled: ORB looks at grey only, and a third of the pixels scale three
    times as fast (~1 ms instead of ~3.5 ms for a reduced photo enlarged to 512 pixels).
    Pillow scales, not OpenCV, though OpenCV's resize takes a tenth of that: with it the
    robustness benchmark found fewer copies by their corners, twice (unlisted recall 0.893
    against 0.909; docs/benchmarks.md)."""
    return canonical(_grey(rgb), side)


def _grey(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """The picture in grey as OpenCV's ORB would make it (ITU-R BT.601 weights)."""
    import cv2

    if rgb.ndim == 2:
        return np.ascontiguousarray(rgb)
    return np.asarray(cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY))


def corners(
    rgb: NDArray[np.uint8], side: int = MAX_SIDE
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.uint8], tuple[int, int]]:
    """ORB corners of a picture scaled to ``side`` pixels on its long side
    (:data:`~.pdq.MAX_SIDE` unless asked): their places ((row, col) at that size), strengths,
    packed 32-byte descriptors, and that size (height, width). A flat picture has none, which is
    not an error."""
    import cv2

    grey = grey_at(rgb, side)
    # ORB_create is missing from the stubs OpenCV ships
    orb = cv2.ORB_create(  # type: ignore[attr-defined]
        nfeatures=N_KEYPOINTS, fastThreshold=FAST_THRESHOLD
    )
    found, descriptors = orb.detectAndCompute(grey, None)
    size = (int(grey.shape[0]), int(grey.shape[1]))
    if descriptors is None or not len(found):
        return np.zeros((0, 2)), np.zeros(0), np.zeros((0, 32), dtype=np.uint8), size
    convert = cv2.KeyPoint_convert  # type: ignore[attr-defined]  # missing from the stubs too
    places = np.asarray(convert(found), dtype=np.float64)[:, ::-1].copy()
    strengths = np.fromiter((p.response for p in found), dtype=np.float64, count=len(found))
    return places, strengths, np.ascontiguousarray(descriptors, dtype=np.uint8), size


def features(rgb: NDArray[np.uint8]) -> Features:
    """ORB keypoints of a picture (at most MAX_SIDE pixels on its long side). A flat picture
    has none, which is not an error."""
    places, _, descriptors, _ = corners(rgb)
    return Features(places, np.unpackbits(descriptors, axis=1).astype(bool))


def match_descriptors(
    first: NDArray[np.bool_], second: NDArray[np.bool_], max_ratio: float = MAX_RATIO
) -> NDArray[np.intp]:
    """(k, 2) index pairs of the descriptors that are each other's nearest (Hamming distance)
    and whose nearest is clearly nearer than the second nearest (Lowe's ratio test): what
    scikit-image's ``match_descriptors(first, second, cross_check=True, max_ratio=...)`` returns,
    pair for pair (a test compares them), several times faster.

    scikit-image counts the differing bits of every pair through SciPy's ``cdist``, a third of
    a comparison's whole time with 400 corners a side. Here the counts come from one matrix
    product of the bits (differing = ones in a + ones in b - 2 × ones in common), exact in
    float32 for 256 bits; ties fall to the first index, as there."""
    if not len(first) or not len(second):
        return np.zeros((0, 2), dtype=np.intp)
    a = first.astype(np.float32)
    b = second.astype(np.float32)
    with _BLAS.limit(limits=1, user_api="blas"):
        common = a @ b.T
    distances = a.sum(axis=1)[:, None] + b.sum(axis=1)[None, :] - 2 * common
    rows = np.arange(len(first))
    nearest = np.argmin(distances, axis=1)
    back = np.argmin(distances, axis=0)
    keep = rows == back[nearest]
    rows, nearest = rows[keep], nearest[keep]
    best = distances[rows, nearest].astype(np.float64)
    distances[rows, nearest] = np.inf
    second_best = distances[rows].min(axis=1).astype(np.float64)
    second_best[second_best == 0] = np.finfo(np.float64).eps
    keep = best / second_best < max_ratio
    return np.column_stack((rows[keep], nearest[keep]))


@dataclass
class KeypointMatch:
    """Matches one similarity transform explains, and that transform (query → stored)."""

    inliers: int
    matches: int
    scale: float
    rotation_deg: float


def compare(query: Features, stored: Features) -> KeypointMatch | None:
    """The geometric agreement between two pictures, or None below :data:`MIN_INLIERS`."""
    if len(query.descriptors) < MIN_INLIERS or len(stored.descriptors) < MIN_INLIERS:
        return None
    pairs = match_descriptors(query.descriptors, stored.descriptors)
    if len(pairs) < MIN_INLIERS:
        return None
    source = query.keypoints[pairs[:, 0]][:, ::-1]
    target = stored.keypoints[pairs[:, 1]][:, ::-1]
    # A fixed seed: the same two pictures always give the same answer. No transform found is
    # an answer (None below), not something to warn a user about.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        model, inliers = _skimage("measure").ransac(
            (source, target),
            _skimage("transform").SimilarityTransform,
            min_samples=3,
            residual_threshold=3,
            max_trials=500,
            rng=0,
        )
    if model is None or inliers is None or int(inliers.sum()) < MIN_INLIERS:
        return None
    return KeypointMatch(
        inliers=int(inliers.sum()),
        matches=len(pairs),
        scale=round(float(model.scale), 3),
        rotation_deg=round(math.degrees(float(model.rotation)), 2),
    )
