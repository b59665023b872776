"""Redaction speed: photos per second and 720p video real-time factor, each against a bare
decode + encode of the same files in the same run.

    .venv/bin/python benchmarks/redaction.py [--photos 8] [--large 2] [--seconds 10]

Photos: JPEGs composed from scikit-image's astronaut (one face each, at 1280×960 and at
4032×3024, the size of a phone's photo). Timed: ``redact_file`` with face detection (three
Haar cascades, the profile one mirrored too), the mosaic and the encoding of a new JPEG from
the pixels. Baseline: Pillow decodes the same file (orientation applied) and encodes a JPEG from
the pixels at the same quality — the work any metadata-free re-encode must do.

Video: a 720p H.264 clip at 25 fps in which the astronaut's face drifts across the frame, with
a sound track. Timed: ``redact_file`` with face detection (one frame in five searched, at 640
pixels on the long side) over every frame, encoded again (libx264, veryfast, CRF 20).
Baseline: PyAV decodes every frame to RGB and encodes it with the same settings. Reported as
real-time factor (seconds of video per second of work) and the ratio to the baseline.

Both run in this process, without the child-process limits and the catalogue the ``media
redact`` command adds (a few hundred milliseconds per item). ``main()`` returns the figures;
``benchmarks/protection.py`` calls it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.media import samples  # noqa: E402
from enquiry.enrich.media.redact import JPEG_QUALITY, VIDEO_CRF, Request, redact_file  # noqa: E402


def _photo(path: Path, size: tuple[int, int], seed: int) -> Path:
    """The astronaut at a random place and scale on a textured background of ``size``."""
    rng = np.random.default_rng(seed)
    width, height = size
    background = Image.fromarray(samples.photo("coffee")).resize(size)
    side = int(min(width, height) * rng.uniform(0.4, 0.7))
    face = Image.fromarray(samples.photo("astronaut")).resize((side, side))
    background.paste(
        face, (int(rng.integers(0, width - side)), int(rng.integers(0, height - side)))
    )
    background.save(path, quality=90)
    return path


def _bare_photo(source: Path, target: Path) -> None:
    with Image.open(source) as image:
        pixels = np.asarray(ImageOps.exif_transpose(image).convert("RGB"))
    Image.fromarray(pixels).save(target, format="JPEG", quality=JPEG_QUALITY, optimize=True)


def _video(path: Path, seconds: float, size: tuple[int, int] = (1280, 720)) -> Path:
    import av

    width, height = size
    count = round(seconds * 25)
    face = Image.fromarray(samples.photo("astronaut")).resize((400, 400))
    background = Image.fromarray(samples.photo("coffee")).resize(size)
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=25)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"crf": "23", "preset": "veryfast"}
        for index in range(count):
            canvas = background.copy()
            canvas.paste(face, (40 + (index * 3) % (width - 480), 60 + (index % 200)))
            for packet in video.encode(av.VideoFrame.from_ndarray(np.asarray(canvas), "rgb24")):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
    return path


def _bare_video(source: Path, target: Path) -> None:
    import av

    with av.open(str(source)) as container, av.open(str(target), "w", format="mp4") as out:
        stream = container.streams.video[0]
        rate = Fraction(stream.average_rate or 25)
        encoder = out.add_stream("libx264", rate=rate)
        encoder.width, encoder.height = stream.codec_context.width, stream.codec_context.height
        encoder.pix_fmt = "yuv420p"
        encoder.options = {"crf": str(VIDEO_CRF), "preset": "veryfast"}
        for index, frame in enumerate(container.decode(stream)):
            pixels = frame.to_ndarray(format="rgb24")
            fresh = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            fresh.pts, fresh.time_base = index, Fraction(1) / rate
            out.mux(encoder.encode(fresh))
        out.mux(encoder.encode(None))


class Clock:
    """Wall time and this process's CPU time (all its threads) of the work inside it: on a
    shared, loaded machine the CPU time is the steadier measure of the work's cost."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the benchmark, print its table, return its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=8, help="1280×960 photos")
    parser.add_argument("--large", type=int, default=2, help="4032×3024 photos")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the 720p clip")
    args = parser.parse_args(argv)
    results: dict[str, float] = {}
    request = Request(faces=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for label, size, count in (
            ("photo_1280", (1280, 960), args.photos),
            ("photo_4032", (4032, 3024), args.large),
        ):
            if count <= 0:
                continue
            paths = [_photo(work / f"{label}-{i}.jpg", size, i) for i in range(count)]
            with Clock() as bare:
                for path in paths:
                    _bare_photo(path, work / "bare.jpg")
            found = 0
            with Clock() as ours:
                for index, path in enumerate(paths):
                    done = redact_file(path, "image/jpeg", work / f"red-{label}-{index}", request)
                    found += int(bool(done["transformation"]["faces_found"]))
            results[f"{label}_baseline_per_s"] = count / bare.wall
            results[f"{label}_per_s"] = count / ours.wall
            results[f"{label}_ratio"] = bare.wall / ours.wall
            results[f"{label}_baseline_per_cpu_s"] = count / bare.cpu
            results[f"{label}_per_cpu_s"] = count / ours.cpu
            results[f"{label}_cpu_ratio"] = bare.cpu / ours.cpu
            results[f"{label}_with_face_found"] = found / count
        if args.seconds > 0:
            clip = _video(work / "clip.mp4", args.seconds)
            with Clock() as bare:
                _bare_video(clip, work / "bare.mp4")
            with Clock() as ours:
                done = redact_file(clip, "video/mp4", work / "red-clip", request)
            results["video_720p_baseline_rtf"] = args.seconds / bare.wall
            results["video_720p_rtf"] = args.seconds / ours.wall
            results["video_720p_ratio"] = bare.wall / ours.wall
            results["video_720p_baseline_cpu_rtf"] = args.seconds / bare.cpu
            results["video_720p_cpu_rtf"] = args.seconds / ours.cpu
            results["video_720p_cpu_ratio"] = bare.cpu / ours.cpu
            info = done["transformation"]
            results["video_720p_searched_with_face"] = info["frames_with_faces"] / max(
                1, info["frames_searched"]
            )
    print(
        "| measure (wall / per CPU second) | baseline: bare decode + encode | redaction | ratio |"
    )
    print("|---|---|---|---|")
    for label in ("photo_1280", "photo_4032"):
        if f"{label}_per_s" in results:
            r = {k.removeprefix(label + "_"): v for k, v in results.items() if k.startswith(label)}
            print(
                f"| {label} photos/s | {r['baseline_per_s']:.2f} / {r['baseline_per_cpu_s']:.2f}"
                f" | {r['per_s']:.3f} / {r['per_cpu_s']:.3f} (face found in "
                f"{r['with_face_found']:.0%}) | {r['ratio']:.3f} / {r['cpu_ratio']:.3f} |"
            )
    if "video_720p_rtf" in results:
        r = {k.removeprefix("video_720p_"): v for k, v in results.items()}
        print(
            f"| 720p video, × real time | {r['baseline_rtf']:.2f} / {r['baseline_cpu_rtf']:.2f}"
            f" | {r['rtf']:.3f} / {r['cpu_rtf']:.3f} (face in {r['searched_with_face']:.0%} of"
            f" searched frames) | {r['ratio']:.3f} / {r['cpu_ratio']:.3f} |"
        )
    return results


if __name__ == "__main__":
    main()
