"""Compact local features in the index: the copies no window lines up with.

A window's hash moves ~30 bits when the window is 1 % of a side off, so the windows (see
:mod:`.windows`) find a crop only where it keeps one of the stored windows whole at an anchored
place: a crop that cuts each side by a different amount, a picture inset off centre whose edges
cannot be seen, or a logo on a cropped copy are missed. Keypoints do not care where the frame
is: a corner of the picture gets much the same ORB descriptor in a copy cut anywhere around it.

So every photo also keeps the descriptors of its :data:`STORED` strongest ORB corners (at
:data:`~.pdq.MAX_SIDE` pixels, as ``--deep`` compares them), stored in ``media_hashes`` like the
windows (algorithm :data:`ALGORITHM`, 256 bits each, the corner's place in ``data.at``), and
looked up in a probed index of their own (:class:`~.index.ProbeIndex`, the windows' kind). A
query's :data:`QUERIED` strongest corners are looked up within :data:`RADIUS` bits; a stored photo
with at least :data:`MIN_HITS` of its corners found is a candidate, and a candidate is a match
only when the keypoints of the two photos agree under one similarity transform, as ``--deep``
decides (:func:`~.catalogue.keypoint_matches`) — for those few photos, not for every stored one.
The descriptors find candidates; the geometry decides.

A query is also described at twice that size (:data:`FINE_SIDE`, :data:`QUERIED_FINE` more
corners). ORB's pyramid only shrinks: a stored corner found on one of the finer levels of a
512-pixel picture is, in a copy inset at half size, finer than the query's own finest level, so
the query never has it. Enlarged twice, the inset is at the stored picture's scale again, and
off-centre insets whose corners were out of reach are found (docs/benchmarks.md). Only queries
pay for it; what intake stores does not change.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from enquiry.enrich.media.keypoints import Features, corners
from enquiry.enrich.media.pdq import MAX_SIDE

ALGORITHM = "orb-point"
VERSION = "orb-point 2"  # 1: scaled in colour, then made grey
# Corners stored per photo (16 million descriptors for a million photos, ~2.5 GiB of index), and
# looked up per query.
STORED = 16
QUERIED = 200
# A query's corners found on it enlarged to twice the stored corners' size, for copies inset at
# about half size (their places are given at the stored size, like the others'). 400: in the
# robustness photographs fewer (200), or ORB's 4 finest levels alone, found fewer insets and
# uneven crops (docs/benchmarks.md).
FINE_SIDE = 2 * MAX_SIDE
QUERIED_FINE = 400
# A stored corner is found within this many bits (a copy's corners lie within ~24 bits of the
# original's far more often than unrelated pictures' corners do), and a photo becomes a candidate
# with this many of its corners found.
RADIUS = 24
MIN_HITS = 2
# Candidates whose keypoints are compared, most corners found first.
MAX_CHECKED = 8
# Stored corners are spread over a grid of this many cells a side (see :func:`strongest`).
GRID = 4


def strongest(
    rgb: NDArray[np.uint8], count: int, spread: bool = False, side: int = MAX_SIDE
) -> tuple[NDArray[np.float64], NDArray[np.uint8]]:
    """The ``count`` strongest ORB corners of a picture scaled to ``side`` pixels (by default
    :data:`~.pdq.MAX_SIDE`): their places ((row, col) in the picture scaled to
    :data:`~.pdq.MAX_SIDE`, whatever ``side``) and packed 32-byte descriptors, strongest first.

    With ``spread``, the strongest corner of each cell of a :data:`GRID` × :data:`GRID` grid
    comes first (then the strongest of the rest): the strongest corners of a picture often
    crowd into one textured part of it, which a crop can cut away whole."""
    places, strengths, descriptors, (height, width) = corners(rgb, side)
    order = np.argsort(-strengths, kind="stable")
    if spread and len(order):
        cells = (places[order, 0] * GRID // height) * GRID + places[order, 1] * GRID // width
        # strongest first: the first of a cell in this order is its strongest
        _, first = np.unique(cells, return_index=True)
        leading = np.zeros(len(order), dtype=bool)
        leading[first] = True
        order = np.concatenate([order[leading], order[~leading]])
    chosen = order[:count]
    return (
        places[chosen].reshape(-1, 2) * (MAX_SIDE / side),
        np.ascontiguousarray(descriptors[chosen]),
    )


def point_entries(rgb: NDArray[np.uint8], *, query: bool = False) -> list[dict[str, Any]]:
    """Hash entries of a photo's strongest corners: :data:`STORED` to keep, or for a ``query``
    :data:`QUERIED` to look up and :data:`QUERIED_FINE` more found at :data:`FINE_SIDE`
    (``data.query`` true, and ``data.fine`` for the latter; never stored). A flat picture has
    none."""
    if query:
        coarse = strongest(rgb, QUERIED)
        fine = strongest(rgb, QUERIED_FINE, side=FINE_SIDE)
        places = np.concatenate([coarse[0], fine[0]])
        descriptors = np.concatenate([coarse[1], fine[1]])
        is_fine = [False] * len(coarse[0]) + [True] * len(fine[0])
    else:
        places, descriptors = strongest(rgb, STORED, spread=True)
        is_fine = [False] * len(places)
    entries = []
    for (row, col), descriptor, finer in zip(places.tolist(), descriptors, is_fine, strict=True):
        data: dict[str, Any] = {"version": VERSION, "at": [round(row, 1), round(col, 1)]}
        if query:
            data["query"] = True
        if finer:
            data["fine"] = True
        entries.append(
            {
                "algorithm": ALGORITHM,
                "t": None,
                "hash": bytes(descriptor).hex(),
                "quality": None,
                "data": data,
            }
        )
    return entries


def lookups(entries: list[dict[str, Any]]) -> list[str]:
    """The query corners' descriptors among hash entries."""
    return [
        e["hash"]
        for e in entries
        if e["algorithm"] == ALGORITHM and (e.get("data") or {}).get("query")
    ]


def query_features(entries: list[dict[str, Any]]) -> Features:
    """The query's corners as keypoint features (places and descriptors), to compare with a
    candidate's as ``--deep`` does (see :func:`~.keypoints.compare`), without decoding the
    query again or describing it a second time: the :data:`QUERIED` strongest of the corners
    ``--deep`` would describe."""
    corners = [
        e for e in entries if e["algorithm"] == ALGORITHM and (e.get("data") or {}).get("query")
    ]
    if not corners:
        return Features(np.zeros((0, 2)), np.zeros((0, 256), dtype=bool))
    places = np.array([e["data"]["at"] for e in corners], dtype=np.float64)
    packed = np.frombuffer(b"".join(bytes.fromhex(e["hash"]) for e in corners), dtype=np.uint8)
    return Features(places, np.unpackbits(packed.reshape(-1, 32), axis=1).astype(bool))
