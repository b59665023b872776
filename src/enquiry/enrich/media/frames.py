"""Frames of a video worth hashing: every keyframe, plus at most one frame per second between.

Keyframes follow cuts (encoders put one at a scene change), and the one-per-second samples cover
long shots, so a copy trimmed anywhere still shares frames with its source. Every frame has to be
decoded (inter frames depend on earlier ones) but only the chosen ones are scaled and converted,
which is where the time goes; decoding runs on the codec's own threads.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import av
import numpy as np
from numpy.typing import NDArray

from enquiry.enrich.media.pdq import MAX_SIDE
from enquiry.enrich.video import picture_stream

SAMPLE_EVERY_S = 1.0
# A query video is sampled from every frame (non-reference frames too, up to 25 a second).
# Stored and query copies are each sampled at their own phase, so with one sample a second the
# nearest pair of samples can be half a second apart, and a panning or shaking camera moves the
# picture by a quarter of its width in that time: 50-120 bits of PDQ, no match (measured on a
# panning scene trimmed and re-encoded to VP9: 46-98 bits; even 0.08 s apart gave 36). Every
# query frame leaves some query frame within half a frame of each stored one. Only the query
# pays for it (a 14 s clip: ~2 s); the stored index stays at about one frame a second.
QUERY_EVERY_S = 0.04
# Past this many samples (24 s at 25 fps) a query is thinned evenly, so long queries stay bounded
# in time (a 60 s query: a frame each 0.1 s, ~5 s to match); alignment then rests on the frames
# whose phase happens to agree, of which a long query has many.
QUERY_MAX_FRAMES = 600
# Intra-only streams (MJPEG, ProRes, some phones' slow motion) make every frame a keyframe; a
# keyframe closer than this to the last chosen frame adds nothing but time.
MIN_KEYFRAME_GAP_S = 0.25


@dataclass
class Frame:
    """One decoded frame: seconds from the start of the stream, whether it was a keyframe, and
    its pixels (RGB, at most :data:`~enquiry.enrich.media.pdq.MAX_SIDE` on the long side, as
    photos are decoded, so that both reach the canonical hashing size the same way)."""

    t: float
    keyframe: bool
    rgb: NDArray[np.uint8]


def _scaled_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    if max(width, height) <= max_side:
        return width, height
    scale = max_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def sample_frames(
    path: Path,
    every_s: float = SAMPLE_EVERY_S,
    max_side: int = MAX_SIDE,
    *,
    every_frame: bool = False,
) -> Iterator[Frame]:
    """Yield the keyframes and at most one frame each ``every_s`` seconds of the first video
    stream, in order. Raises ``av.FFmpegError`` for files PyAV cannot open, ``ValueError`` for
    files without a video stream. A frame that fails to decode mid-stream ends the iteration
    early (a truncated file still yields what it has).

    Decoding is the cost, so it is avoided where no sample can come from: once the next sample
    would fall at or after the next keyframe (predicted from the spacing of the keyframes seen
    so far), packets are dropped until that keyframe arrives. With the usual 1–2 s keyframe
    spacing of phones and platforms this decodes a fraction of the frames. If a keyframe comes
    later than predicted, the samples of that stretch are lost, never wrong. ``every_frame``
    decodes every frame instead (non-reference ones too), for a query sampled densely."""
    with av.open(str(path)) as container:
        stream = picture_stream(container)
        if stream is None:
            raise ValueError("no video stream")
        stream.thread_type = "AUTO"
        # Non-reference frames (most B-frames) are never needed by another frame, and skipping
        # them saves decoding time; a sample simply falls on the next decoded frame.
        if not every_frame:
            stream.codec_context.skip_frame = "NONREF"
        # Deblocking only smooths block edges, which shrinking to 256 pixels averages away.
        stream.codec_context.options = {"skip_loop_filter": "all", "flags2": "+fast"}
        base = stream.time_base
        start = float(stream.start_time * base) if stream.start_time is not None and base else 0.0
        picker = _Picker(every_s, never_skip=every_frame)
        size: tuple[int, int] | None = None
        try:
            for packet in container.demux(stream):
                if packet.is_keyframe:
                    picker.keyframe_packet(packet, start)
                elif picker.skipping:
                    continue
                for frame in packet.decode():
                    if frame.pts is None or frame.time_base is None:
                        continue
                    t = max(0.0, float(frame.pts * frame.time_base) - start)
                    keyframe = bool(frame.key_frame)
                    if not picker.wants(t, keyframe):
                        continue
                    if size is None:
                        size = _scaled_size(frame.width, frame.height, max_side)
                    rgb = np.asarray(
                        frame.to_ndarray(
                            format="rgb24", width=size[0], height=size[1], interpolation="AREA"
                        ),
                        dtype=np.uint8,
                    )
                    # Phones store portrait video sideways, with a display matrix players
                    # apply; copies re-encoded by platforms are upright: hash what is seen.
                    rgb = frame_orientation(frame).apply(rgb)
                    picker.took(t, keyframe)
                    yield Frame(t=round(t, 3), keyframe=keyframe, rgb=rgb)
        except av.FFmpegError:
            return


@dataclass(frozen=True)
class Orientation:
    """How a player turns and mirrors a stored frame to show it: the frame's display matrix,
    reduced to one of the eight quarter-turn-and-mirror placements.

    ``swap`` exchanges rows and columns (a quarter turn); ``mirror_x`` then reverses the
    columns and ``mirror_y`` the rows. A display matrix can mirror as well as turn (an editor's
    or a front camera's mirror): reading only its rotation angle takes a left-right mirror for a
    half turn, and the detector, which finds upright faces only, is then shown every face upside
    down."""

    swap: bool = False
    mirror_x: bool = False
    mirror_y: bool = False
    # A matrix that turns by another angle than a quarter: the nearest quarter turn is applied.
    approximate: bool = False

    def apply(self, pixels: NDArray[np.uint8]) -> NDArray[np.uint8]:
        """``pixels`` (H×W×C) as a viewer is shown them."""
        if self.swap:
            pixels = pixels.transpose(1, 0, 2)
        if self.mirror_x:
            pixels = pixels[:, ::-1]
        if self.mirror_y:
            pixels = pixels[::-1]
        return np.ascontiguousarray(pixels)

    def describe(self) -> str:
        """What was done, in words, for the recorded transformation."""
        said = _PLACEMENTS[(self.swap, self.mirror_x, self.mirror_y)]
        return f"{said} (nearest quarter turn to the display matrix)" if self.approximate else said


_PLACEMENTS = {
    (False, False, False): "none",
    (True, False, True): "turned upright (90° counter-clockwise)",
    (False, True, True): "turned upright (180°)",
    (True, True, False): "turned upright (90° clockwise)",
    (False, True, False): "mirrored left to right",
    (False, False, True): "mirrored top to bottom",
    (True, False, False): "turned 90° clockwise and mirrored left to right",
    (True, True, True): "turned 90° counter-clockwise and mirrored left to right",
}


def orientation(matrix: Sequence[int] | None, rotation: float = 0.0) -> Orientation:
    """The placement a player gives a frame with this display ``matrix`` (FFmpeg's nine 16.16
    fixed-point integers, which map a stored pixel (x, y) to (a·x + c·y, b·x + d·y)), or
    ``rotation`` (degrees counter-clockwise, FFmpeg's reading of the matrix) rounded to a
    quarter turn when the matrix turns by some other angle."""
    if matrix is not None and len(matrix) >= 5:
        a, b, c, d = (float(v) for v in (matrix[0], matrix[1], matrix[3], matrix[4]))
        straight, crossed = abs(a) + abs(d), abs(b) + abs(c)
        if straight == crossed == 0:
            return Orientation()  # a degenerate matrix: no angle, and players ignore it
        if straight > 0 and crossed <= straight * 1e-3 and a and d:
            return Orientation(False, a < 0, d < 0)
        if crossed > 0 and straight <= crossed * 1e-3 and b and c:
            return Orientation(True, c < 0, b < 0)
    if matrix is None and not rotation:
        return Orientation()
    turns = round(rotation / 90) % 4
    placed = (
        Orientation(),
        Orientation(True, False, True),
        Orientation(False, True, True),
        Orientation(True, True, False),
    )[turns]
    return Orientation(placed.swap, placed.mirror_x, placed.mirror_y, approximate=True)


def frame_orientation(frame: Any) -> Orientation:
    """The placement a player gives this decoded frame (its display-matrix side data, which
    FFmpeg sets from the container's track and from the stream's own orientation messages)."""
    from av.sidedata.sidedata import Type

    for data in frame.side_data:
        if data.type == Type.DISPLAYMATRIX:
            raw = bytes(data)
            if len(raw) >= 36:
                try:
                    angle = float(frame.rotation or 0)
                except (TypeError, ValueError, OverflowError):
                    angle = 0.0
                # PyAV gives the angle of a matrix that has none (NaN) as a huge integer.
                usable = math.isfinite(angle) and abs(angle) <= 360
                return orientation(struct.unpack("=9i", raw[:36]), angle if usable else 0.0)
    return Orientation()


class _Picker:
    """Which decoded frames to keep, and when decoding can pause until the next keyframe."""

    def __init__(self, every_s: float, never_skip: bool = False) -> None:
        self.every_s = every_s
        self.never_skip = never_skip
        self.next_sample = 0.0
        self.last = -MIN_KEYFRAME_GAP_S
        self.keyframes: list[float] = []
        self.skipping = False

    def keyframe_packet(self, packet: Any, start: float) -> None:
        self.skipping = False
        if packet.pts is not None and packet.time_base is not None:
            self.keyframes.append(float(packet.pts * packet.time_base) - start)

    def wants(self, t: float, keyframe: bool) -> bool:
        if t + 1e-6 >= self.next_sample:
            return True
        return keyframe and t + 1e-6 >= self.last + MIN_KEYFRAME_GAP_S

    def took(self, t: float, keyframe: bool) -> None:
        self.next_sample = t + self.every_s
        self.last = t
        if keyframe or len(self.keyframes) < 2 or self.never_skip:
            return
        if self.keyframes[-1] > t:
            return  # the next keyframe's packet is already in the decoder: nothing to drop
        gaps = [b - a for a, b in pairwise(self.keyframes[-4:])]
        spacing = min(gaps)
        if spacing > 0 and self.next_sample + 1e-6 >= self.keyframes[-1] + spacing:
            self.skipping = True
