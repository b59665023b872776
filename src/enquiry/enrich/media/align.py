"""From frame-level hash hits to item-level matches, aligning video against video.

A copy of a video that was trimmed keeps its frames but shifts their times by a constant: the
hits that belong to the shared segment all have (nearly) the same offset ``match_t - query_t``,
while chance hits between unrelated frames (a flat sky, a black frame) scatter. So for every
matched item we keep the largest group of hits that agree on one offset — the overlapping
segment — and report its frame pairs and bounds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Frames are sampled about once a second in each copy, at phases that need not agree, so two
# samples of the same moment can be up to a second apart.
OFFSET_TOLERANCE_S = 1.0
# Video frames are also looked up this many bits beyond the radius; such distant hits count only
# when at least MIN_ALIGNED_FRAMES query frames agree on one offset with the same stored video.
ALIGNED_EXTRA_BITS = 16
MIN_ALIGNED_FRAMES = 3
# Playback speeds of a copy relative to its source tried besides 1 (see :func:`_aligned`).
SPEEDS = (0.5, 2.0 / 3.0, 0.8, 1.25, 1.5, 2.0)


@dataclass(frozen=True)
class Hit:
    """One query frame (or photo: ``query_t`` None) within the radius of one stored hash."""

    item: int
    query_t: float | None
    match_t: float | None
    distance: int
    variant: str = "original"


@dataclass
class ItemMatch:
    """An item that shares pictures with the query, with the aligned frame pairs. ``method`` is
    ``"pdq"``, or ``"keypoints"`` for a photo found only by local features (``distance`` is then
    None and ``keypoints`` holds the inliers and the transform)."""

    item: int
    distance: int | None
    frames: list[tuple[float | None, float | None]]
    offset_s: float | None = None
    speed: float | None = None
    segment: dict[str, list[float]] | None = None
    variants: list[str] = field(default_factory=list)
    earliest: str | None = None
    earliest_basis: str | None = None
    method: str = "pdq"
    keypoints: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of ``enquiry media match --json``."""
        return {
            "item": self.item,
            "distance": self.distance,
            "frames": [list(pair) for pair in self.frames],
            "earliest": self.earliest,
            "earliest_basis": self.earliest_basis,
            "offset_s": self.offset_s,
            "speed": self.speed,
            "segment": self.segment,
            "variants": self.variants,
            "method": self.method,
            "keypoints": self.keypoints,
        }


def _best_per_query_frame(hits: list[Hit]) -> list[Hit]:
    best: dict[tuple[float | None, float | None], Hit] = {}
    for hit in hits:
        key = (hit.query_t, hit.match_t)
        if key not in best or hit.distance < best[key].distance:
            best[key] = hit
    by_query: dict[float | None, Hit] = {}
    for hit in sorted(best.values(), key=lambda h: (h.distance, h.match_t or 0.0)):
        by_query.setdefault(hit.query_t, hit)
    # A query video is sampled more densely than stored ones (frames.QUERY_EVERY_S): several
    # query frames then land on one stored frame; the closest speaks for it.
    by_match: dict[object, Hit] = {}
    for hit in sorted(by_query.values(), key=lambda h: (h.distance, h.query_t or 0.0)):
        slot: object = hit.match_t if hit.match_t is not None else ("photo", hit.query_t)
        by_match.setdefault(slot, hit)
    return sorted(by_match.values(), key=lambda h: (h.query_t or 0.0, h.match_t or 0.0))


def _aligned_at(timed: list[Hit], tolerance: float, speed: float) -> tuple[list[Hit], float, float]:
    """The largest group of hits agreeing on ``match_t - speed * query_t`` (± tolerance), its
    median offset and how far its offsets spread around it. Sorting makes this O(n log n)."""
    timed = sorted(timed, key=lambda h: h.match_t - speed * h.query_t)  # type: ignore[operator]
    offsets = np.array([h.match_t - speed * h.query_t for h in timed])  # type: ignore[operator]
    distances = np.cumsum([0] + [h.distance for h in timed])
    left = np.searchsorted(offsets, offsets - tolerance, side="left")
    right = np.searchsorted(offsets, offsets + tolerance, side="right")
    support = right - left
    mean_distance = (distances[right] - distances[left]) / support
    # most hits first, then the closest on average
    best = int(np.lexsort((mean_distance, -support))[0])
    group = timed[left[best] : right[best]]
    chosen = offsets[left[best] : right[best]]
    offset = float(np.median(chosen))
    # how tightly the group agrees: the right speed lines the offsets up, a wrong one smears them
    spread = float(np.mean(np.abs(chosen - offset)))
    return group, round(offset, 3), spread


def _aligned(hits: list[Hit], tolerance: float) -> tuple[list[Hit], float | None, float | None]:
    """The hits that agree on the most common time offset, that offset and the playback speed
    of the query relative to the match (None, None when the query or the match is a still
    picture, so there is nothing to align).

    Copies are re-posted sped up or slowed down (2×, 0.5×, 25 → 24 fps): the offset then drifts
    with time, so other speeds are tried too; one wins only with clearly more hits in step than
    normal speed (half as many again, and at least :data:`MIN_ALIGNED_FRAMES` more)."""
    timed = [h for h in hits if h.query_t is not None and h.match_t is not None]
    if len(timed) < 2:
        return hits, None, None
    group, offset, _ = _aligned_at(timed, tolerance, 1.0)
    normal = len({h.match_t for h in group})
    ranked = []
    for speed in SPEEDS:
        other, other_offset, spread = _aligned_at(timed, tolerance, speed)
        ranked.append((-len({h.match_t for h in other}), spread, speed, other, other_offset))
    frames, _, speed, other, other_offset = min(ranked, key=lambda r: (r[0], r[1]))
    if -frames >= max(1.5 * normal, normal + MIN_ALIGNED_FRAMES):
        return other, other_offset, speed
    chosen = group, offset, 1.0
    return chosen


def _match(
    item: int, group: list[Hit], offset: float | None, speed: float | None = None
) -> ItemMatch:
    chosen = _best_per_query_frame(group)
    segment = None
    if offset is not None:
        q_times = [h.query_t for h in chosen if h.query_t is not None]
        m_times = [h.match_t for h in chosen if h.match_t is not None]
        segment = {"query": [min(q_times), max(q_times)], "match": [min(m_times), max(m_times)]}
    return ItemMatch(
        item=item,
        distance=min(h.distance for h in chosen),
        frames=[(h.query_t, h.match_t) for h in chosen],
        offset_s=offset,
        speed=None if speed is None else round(speed, 3),
        segment=segment,
        variants=sorted({h.variant for h in chosen}),
    )


def align(hits: list[Hit], radius: int, tolerance: float = OFFSET_TOLERANCE_S) -> list[ItemMatch]:
    """Item matches from frame hits, most shared frames first, then nearest: for each item, the
    hits of its longest consistently offset segment, one (the closest) per query frame.

    Hits farther than ``radius`` (looked up for video frames, see
    :data:`ALIGNED_EXTRA_BITS`) count only inside a segment of at least
    :data:`MIN_ALIGNED_FRAMES` query frames that agree on one offset: one frame that far away
    could be chance, several in step are the same footage."""
    by_item: dict[int, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_item[hit.item].append(hit)
    matches = []
    for item, item_hits in by_item.items():
        group, offset, speed = _aligned(item_hits, tolerance)
        if (
            offset is not None
            and len({h.query_t for h in group}) >= MIN_ALIGNED_FRAMES
            and len({h.match_t for h in group}) >= MIN_ALIGNED_FRAMES
        ):
            matches.append(_match(item, group, offset, speed))
            continue
        strong = [h for h in item_hits if h.distance <= radius]
        if strong:
            matches.append(_match(item, *_aligned(strong, tolerance)))
    matches.sort(key=lambda m: (-len(m.frames), m.distance or 0, m.item))
    return matches
