"""Moving test scenes, encoded with PyAV, for the demo, the tests and the robustness benchmark.

A scene pans a virtual camera across a real photograph (shipped with scikit-image) while a few
shapes move over it, so that consecutive frames differ the way filmed footage does: hashing a
still or random noise would tell nothing about how frames of real video behave.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray
from PIL import Image


def photo(name: str) -> NDArray[np.uint8]:
    """A photograph shipped inside scikit-image's wheel (no download), as RGB."""
    from skimage import data

    pixels = np.asarray(getattr(data, name)())
    if pixels.ndim == 2:
        pixels = np.stack([pixels] * 3, axis=-1)
    return np.ascontiguousarray(pixels[..., :3]).astype(np.uint8)


def photo_rgba(name: str) -> NDArray[np.uint8]:
    """A picture shipped inside scikit-image's wheel with its alpha channel (e.g. the logo)."""
    from importlib import import_module

    return np.asarray(getattr(import_module("skimage.data"), name)()).astype(np.uint8)


def scene_frames(
    background: NDArray[np.uint8],
    seconds: float,
    fps: int = 25,
    size: tuple[int, int] = (320, 240),
    seed: int = 0,
) -> list[NDArray[np.uint8]]:
    """Frames of a camera panning and zooming over ``background`` with moving discs and bars."""
    rng = np.random.default_rng(seed)
    width, height = size
    source = Image.fromarray(background)
    big = source.resize((width * 2, round(width * 2 * source.height / source.width)))
    bh, bw = big.height, big.width
    count = max(1, round(seconds * fps))
    shapes = [
        (
            rng.uniform(0, width),
            rng.uniform(0, height),
            rng.uniform(-4, 4),
            rng.uniform(-3, 3),
            tuple(int(c) for c in rng.integers(0, 255, 3)),
            int(rng.integers(8, 30)),
        )
        for _ in range(4)
    ]
    frames = []
    for i in range(count):
        phase = i / max(1, count - 1)
        zoom = 1.0 + 0.35 * np.sin(np.pi * phase)
        crop_w = min(bw, round(width * 1.4 / zoom))
        crop_h = min(bh, round(height * 1.4 / zoom))
        x0 = round((bw - crop_w) * (0.5 + 0.5 * np.sin(2 * np.pi * phase * 0.7)))
        y0 = round((bh - crop_h) * (0.5 + 0.4 * np.cos(2 * np.pi * phase * 0.5)))
        view = np.asarray(big.crop((x0, y0, x0 + crop_w, y0 + crop_h)).resize(size)).copy()
        yy, xx = np.mgrid[0:height, 0:width]
        for sx, sy, vx, vy, colour, radius in shapes:
            cx, cy = (sx + vx * i) % width, (sy + vy * i) % height
            view[(xx - cx) ** 2 + (yy - cy) ** 2 < radius**2] = colour
        frames.append(view)
    return frames


def write_video(
    path: Path,
    frames: list[NDArray[np.uint8]],
    fps: int = 25,
    codec: str = "libx264",
    crf: int = 23,
    gop: int = 50,
    transform: Callable[[NDArray[np.uint8]], NDArray[np.uint8]] | None = None,
    metadata: dict[str, str] | None = None,
    rotation: int = 0,
) -> Path:
    """Encode RGB frames to ``path`` (container from its suffix), optionally transforming each;
    ``rotation`` (degrees counter-clockwise) is stored as the display rotation, as phones do."""
    with av.open(str(path), "w") as container:
        if metadata:
            container.metadata.update(metadata)
        stream = container.add_stream(codec, rate=Fraction(fps))
        assert isinstance(stream, av.VideoStream)
        first = transform(frames[0]) if transform else frames[0]
        stream.height, stream.width = (first.shape[0] // 2 * 2, first.shape[1] // 2 * 2)
        stream.pix_fmt = "yuv420p"
        stream.gop_size = gop
        if rotation:
            stream.set_display_rotation(rotation)
        if codec == "libx264":
            stream.options = {"crf": str(crf), "preset": "veryfast"}
        for pixels in frames:
            pixels = transform(pixels) if transform else pixels
            even = np.ascontiguousarray(pixels[: stream.height, : stream.width])
            for packet in stream.encode(av.VideoFrame.from_ndarray(even, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path
