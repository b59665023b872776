"""Frames of a video worth hashing: every keyframe, plus at most one frame per second between.

Keyframes follow cuts (encoders put one at a scene change), and the one-per-second samples cover
long shots, so a copy trimmed anywhere still shares frames with its source. Every frame has to be
decoded (inter frames depend on earlier ones) but only the chosen ones are scaled and converted,
which is where the time goes; decoding runs on the codec's own threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

from enquiry.enrich.media.pdq import MAX_SIDE

SAMPLE_EVERY_S = 1.0
# Intra-only streams (MJPEG, ProRes, some phones' slow motion) make every frame a keyframe; a
# keyframe closer than this to the last chosen frame adds nothing but time.
MIN_KEYFRAME_GAP_S = 0.25


@dataclass
class Frame:
    """One decoded frame: seconds from the start of the stream, whether it was a keyframe, and
    its pixels (RGB, at most :data:`~enquiry.enrich.media.pdq.MAX_SIDE` on the long side)."""

    t: float
    keyframe: bool
    rgb: NDArray[np.uint8]


def _scaled_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    if max(width, height) <= max_side:
        return width, height
    scale = max_side / max(width, height)
    # Even sizes keep swscale on its fast paths.
    return max(2, round(width * scale) // 2 * 2), max(2, round(height * scale) // 2 * 2)


def sample_frames(
    path: Path, every_s: float = SAMPLE_EVERY_S, max_side: int = MAX_SIDE
) -> Iterator[Frame]:
    """Yield the keyframes and at most one frame each ``every_s`` seconds of the first video
    stream, in order. Raises ``av.FFmpegError`` for files PyAV cannot open, ``ValueError`` for
    files without a video stream. A frame that fails to decode mid-stream ends the iteration
    early (a truncated file still yields what it has)."""
    with av.open(str(path)) as container:
        if not container.streams.video:
            raise ValueError("no video stream")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        # Non-reference frames (most B-frames) are never needed by another frame, and skipping
        # them saves decoding time; a sample simply falls on the next decoded frame.
        stream.codec_context.skip_frame = "NONREF"
        base = stream.time_base
        start = float(stream.start_time * base) if stream.start_time is not None and base else 0.0
        next_sample = 0.0
        last = -MIN_KEYFRAME_GAP_S
        size: tuple[int, int] | None = None
        try:
            for frame in container.decode(stream):
                if frame.pts is None or frame.time_base is None:
                    continue
                t = max(0.0, float(frame.pts * frame.time_base) - start)
                keyframe = bool(frame.key_frame)
                due = t + 1e-6 >= next_sample
                if not due and not (keyframe and t + 1e-6 >= last + MIN_KEYFRAME_GAP_S):
                    continue
                if size is None:
                    size = _scaled_size(frame.width, frame.height, max_side)
                rgb = np.asarray(frame.to_ndarray(format="rgb24", width=size[0], height=size[1]),
                                 dtype=np.uint8)
                next_sample = t + every_s
                last = t
                yield Frame(t=round(t, 3), keyframe=keyframe, rgb=rgb)
        except av.FFmpegError:
            return
