"""The intake extractor that PDQ-hashes photos, satellite images and video frames.

It follows :class:`enquiry.intake.extract.Extractor`: it reads the vault copy and returns hash
entries, which intake stores as derived records (table ``media_hashes``) of the item; the
original is never touched. For items already in the store the same class runs as an enricher
(``enquiry media hash``), and ``media match`` reuses :func:`hash_file` for its query.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import av
from PIL import Image
from sqlalchemy import Connection, select

from enquiry.enrich.base import Enrichment, FileEnricher, Target
from enquiry.enrich.media.frames import (
    QUERY_EVERY_S,
    QUERY_MAX_FRAMES,
    SAMPLE_EVERY_S,
    sample_frames,
)
from enquiry.enrich.media.pdq import (
    ALGORITHM,
    CANONICAL_SIDE,
    VERSION,
    canonical,
    load_rgb,
    picture_entries,
)
from enquiry.enrich.media.points import ALGORITHM as POINT_ALGORITHM
from enquiry.enrich.media.points import VERSION as POINT_VERSION
from enquiry.enrich.media.points import point_entries
from enquiry.enrich.media.windows import ALGORITHM as WINDOW_ALGORITHM
from enquiry.enrich.media.windows import VERSION as WINDOW_VERSION
from enquiry.enrich.media.windows import frame_query_entries, query_entries, stored_entries
from enquiry.intake.extract import Extraction
from enquiry.store.tables import MediaHash

VIDEO_KINDS = ("video",)
IMAGE_KINDS = ("photo", "satellite_image")


def is_video(media_type: str) -> bool:
    """Whether a media type is a moving picture (animated GIFs are hashed as their first image)."""
    return media_type.startswith("video/")


def is_image(media_type: str) -> bool:
    """Whether a media type is a still picture that Pillow can decode."""
    return media_type.startswith("image/") and media_type != "image/svg+xml"


def hash_video_file(
    path: Path,
    every_s: float = SAMPLE_EVERY_S,
    *,
    every_frame: bool = False,
    keyframe_windows: bool = False,
) -> list[dict[str, Any]]:
    """Hash entries for the sampled frames of a video (see :func:`~.frames.sample_frames`), each
    with its time in seconds; ``data`` keeps the keyframe flag and the mirrored frame's hash.
    With ``keyframe_windows`` (what intake stores) each keyframe also gets its window hashes
    (:mod:`.windows`, algorithm ``pdq-window`` with the frame's time): a cropped or captioned
    still of the footage, or a frame of it inset in another picture, then finds the video. Only
    keyframes (at cuts, every 1–2 s), to keep the index at a few rows per second of footage."""
    entries: list[dict[str, Any]] = []
    for frame in sample_frames(path, every_s=every_s, every_frame=every_frame):
        small = canonical(frame.rgb)  # one shrink for the frame's hashes and its windows
        for entry in picture_entries(frame.rgb, frame.t, all_orientations=False, small=small):
            entry["data"]["keyframe"] = frame.keyframe
            entries.append(entry)
        if keyframe_windows and frame.keyframe:
            entries.extend(stored_entries(small, frame.t))
        if every_frame:  # a query: each frame is also looked up among stored windows
            entries.extend(frame_query_entries(small, frame.t))
    return entries


def query_interval(path: Path) -> float:
    """How often to sample a query video: every frame (up to :data:`~.frames.QUERY_EVERY_S`)
    for a clip, thinning out past :data:`~.frames.QUERY_MAX_FRAMES` samples so an hour-long
    query still takes a bounded time."""
    with av.open(str(path)) as container:
        duration = container.duration / 1_000_000 if container.duration else 0.0
    return max(QUERY_EVERY_S, min(SAMPLE_EVERY_S, duration / QUERY_MAX_FRAMES))


def hash_file(
    path: Path, media_type: str, *, query: bool = False
) -> tuple[list[dict[str, Any]], list[str]]:
    """(hash entries, problems) for one file; unreadable content is a problem, not an error.
    A ``query`` video is sampled more densely than a stored one, from every decoded frame
    (see :data:`~.frames.QUERY_EVERY_S`). A photo also gets its window hashes (:mod:`.windows`),
    from the same decode: the stored windows, or for a ``query`` the many windows it is looked
    up by (``data.query`` true; never stored); and the descriptors of its strongest corners
    (:mod:`.points`), a few to store or, for a ``query``, more to look up."""
    try:
        if is_video(media_type):
            entries = (
                hash_video_file(path, query_interval(path), every_frame=True)
                if query
                else hash_video_file(path, keyframe_windows=True)
            )
            if not entries:
                return [], ["video: no frame could be decoded"]
            return entries, []
        if is_image(media_type):
            # no bigger than the hashes need, and luminance only: no hash looks at colour
            rgb = load_rgb(path, least_side=CANONICAL_SIDE, grey=True)
            small = canonical(rgb)  # one shrink for the whole picture's hashes and the windows
            whole = picture_entries(rgb, None, all_orientations=True, small=small)
            points = point_entries(rgb, query=query)
            if not query:
                return whole + stored_entries(small) + points, []
            # the border found for the whole picture's hashes, not looked for again
            inner = [e["data"]["box"] for e in whole if e["data"].get("variant") == "deborder"]
            return whole + query_entries(rgb, inner[0] if inner else (), small) + points, []
    except Image.DecompressionBombError as exc:
        return [], [
            f"image: a decompression bomb is suspected, so the picture is not decoded ({exc})"
        ]
    except (OSError, ValueError, SyntaxError, av.FFmpegError) as exc:
        kind = "video" if is_video(media_type) else "image"
        # FFmpeg and Pillow quote the path they opened: the vault's copy, which names nothing
        # the reader of the line knows (the line already names the file as it arrived).
        reason = str(getattr(exc, "strerror", None) or exc).replace(str(path), "the file")
        return [], [f"{kind}: cannot be decoded for hashing ({exc.__class__.__name__}: {reason})"]
    return [], []


class PdqExtractor(FileEnricher):
    """PDQ hashes for photos, satellite images and videos (keyframes + ≤ 1 frame per second):
    an intake extractor, and the enricher behind ``enquiry media hash``."""

    name = "pdq"
    # A photo read by an older version of any of its hashes (its windows, say) is hashed again
    # by `enquiry enrich`.
    version = f"{VERSION}; {WINDOW_VERSION}; {POINT_VERSION}"
    action = "derived"

    def accepts(self, media_type: str, kind: str) -> bool:
        return is_video(media_type) or is_image(media_type) or kind in VIDEO_KINDS + IMAGE_KINDS

    def done(self, connection: Connection, item_ids: Sequence[int]) -> set[int]:
        """Items hashed by this version (at intake, which writes no event of its own for them,
        or since) that have PDQ hashes, and, for a photo, window hashes too: photos hashed
        before windows were stored, or by another version, are hashed again."""
        rows = connection.execute(
            select(MediaHash.item_id, MediaHash.algorithm, MediaHash.t).where(
                MediaHash.item_id.in_(list(item_ids)),
                MediaHash.algorithm.in_([ALGORITHM, WINDOW_ALGORITHM]),
            )
        ).all()
        hashed = {int(r[0]) for r in rows if r[1] == ALGORITHM}
        photos = {int(r[0]) for r in rows if r[1] == ALGORITHM and r[2] is None}
        windowed = {int(r[0]) for r in rows if r[1] == WINDOW_ALGORITHM}
        return (hashed - (photos - windowed)) & super().done(connection, item_ids)

    def enrich(self, target: Target) -> Enrichment:
        found = super().enrich(target)
        found.details = {"derived": "media_hashes", "algorithm": VERSION}
        return found

    def extract(self, path: Path, media_type: str) -> Extraction:
        hashes, problems = hash_file(path, media_type)
        main = [h for h in hashes if h["algorithm"] == ALGORITHM]
        metadata: dict[str, Any] = (
            {
                "algorithm": VERSION,
                "count": len(main),
                "windows": sum(1 for h in hashes if h["algorithm"] == WINDOW_ALGORITHM),
                "points": sum(1 for h in hashes if h["algorithm"] == POINT_ALGORITHM),
            }
            if hashes
            else {}
        )
        return Extraction(metadata=metadata, problems=problems, hashes=hashes)
