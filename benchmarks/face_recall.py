"""Face detection recall of the redactor, on the faces that ship inside installed packages, against
a single frontal Haar cascade (OpenCV's ``haarcascade_frontalface_default`` with its usual
parameters) run in the same command.

    .venv/bin/python benchmarks/face_recall.py

Sets (nothing downloaded; nothing here was used to choose the redactor's parameters, which are
OpenCV's customary ones moved towards recall):
- LFW: the 100 face crops of ``skimage.data.lfw_subset()`` (25×25 pixels, Labeled Faces in the
  Wild), enlarged to 100×100 on a grey 200×200 canvas; its 100 non-face crops, treated the
  same way, count false alarms.
- Size: the astronaut on a 800×600 photograph, scaled so that the face is 16 to 160 pixels wide.
- Turn: the astronaut turned in the picture's plane by 0 to 45 degrees, and by a quarter and a
  half turn (a person lying down).
- Occlusion: a grey band over the eyes, over the mouth and nose, over the left half of the face.
- Video: frames of a 720p H.264 clip (CRF 35, motion) with the face 60 to 240 pixels wide, found
  as the video redactor looks (at 640 pixels on the long side).

A face counts as found when the centre of its true box lies inside a box the detector returns.
No profile faces ship in any installed package, so profile recall is not measured here.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.media import samples  # noqa: E402
from enquiry.enrich.media.faces import (  # noqa: E402
    SEARCH_TURNS,
    VIDEO_MAX_SIDE,
    Box,
    FaceDetector,
)
from enquiry.enrich.media.redact import VIDEO_SCALE_FACTOR  # noqa: E402

FACE = (176, 66, 95, 95)  # the astronaut's face in scikit-image's 512×512 picture
Detect = Callable[[NDArray[np.uint8]], list[Box]]


def single_cascade() -> Detect:
    import cv2

    folder = str(cv2.data.haarcascades)  # type: ignore[attr-defined]
    cascade = cv2.CascadeClassifier(folder + "haarcascade_frontalface_default.xml")

    def detect(rgb: NDArray[np.uint8]) -> list[Box]:
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        found = cascade.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=(30, 30))
        return [tuple(int(v) for v in box) for box in found]  # type: ignore[misc]

    return detect


def _hit(boxes: list[Box], truth: Box) -> bool:
    cx, cy = truth[0] + truth[2] / 2, truth[1] + truth[3] / 2
    return any(x <= cx <= x + w and y <= cy <= y + h for x, y, w, h in boxes)


def lfw() -> tuple[list[tuple[NDArray[np.uint8], Box]], list[NDArray[np.uint8]]]:
    from skimage import data

    crops = data.lfw_subset()

    def canvas(crop: NDArray[np.floating]) -> NDArray[np.uint8]:
        face = Image.fromarray((crop * 255).astype(np.uint8)).resize((100, 100))
        board = Image.new("L", (200, 200), 128)
        board.paste(face, (50, 50))
        return np.asarray(board.convert("RGB"))

    faces = [(canvas(c), (50, 50, 100, 100)) for c in crops[:100]]
    others = [canvas(c) for c in crops[100:]]
    return faces, others


def astronaut_at(
    face_width: int, size: tuple[int, int] = (800, 600)
) -> tuple[NDArray[np.uint8], Box]:
    scale = face_width / FACE[2]
    side = round(512 * scale)
    board = Image.fromarray(samples.photo("coffee")).resize(size)
    photo = Image.fromarray(samples.photo("astronaut")).resize((side, side))
    x0 = (size[0] - min(side, size[0])) // 2
    y0 = max(0, (size[1] - side) // 3)
    board.paste(photo, (x0, y0))
    truth = (
        x0 + round(FACE[0] * scale),
        y0 + round(FACE[1] * scale),
        round(FACE[2] * scale),
        round(FACE[3] * scale),
    )
    return np.asarray(board), truth


def turned(degrees: float) -> tuple[NDArray[np.uint8], Box]:
    photo = Image.fromarray(samples.photo("astronaut"))
    centre = (FACE[0] + FACE[2] / 2, FACE[1] + FACE[3] / 2)
    return np.asarray(photo.rotate(degrees, center=centre, fillcolor=(128, 128, 128))), FACE


def occluded(part: str) -> tuple[NDArray[np.uint8], Box]:
    photo = Image.fromarray(samples.photo("astronaut"))
    x, y, w, h = FACE
    band = {
        "eyes": (x, y + h * 0.25, x + w, y + h * 0.5),
        "mouth and nose": (x, y + h * 0.5, x + w, y + h),
        "left half": (x, y, x + w / 2, y + h),
    }[part]
    ImageDraw.Draw(photo).rectangle(band, fill=(90, 90, 90))
    return np.asarray(photo), FACE


def video_frames(face_width: int, count: int = 25) -> list[tuple[NDArray[np.uint8], Box]]:
    import av

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "clip.mp4"
        scale = face_width / FACE[2]
        side = round(512 * scale)
        photo = Image.fromarray(samples.photo("astronaut")).resize((side, side))
        background = Image.fromarray(samples.photo("coffee")).resize((1280, 720))
        truths = []
        with av.open(str(path), "w") as container:
            stream = container.add_stream("libx264", rate=25)
            stream.width, stream.height, stream.pix_fmt = 1280, 720, "yuv420p"
            stream.options = {"crf": "35", "preset": "veryfast"}
            for index in range(count):
                board = background.copy()
                x0, y0 = 40 + 9 * index, max(0, 20 + 3 * index - max(0, side - 700))
                board.paste(photo, (x0, y0))
                truths.append(
                    (
                        x0 + round(FACE[0] * scale),
                        y0 + round(FACE[1] * scale),
                        round(FACE[2] * scale),
                        round(FACE[3] * scale),
                    )
                )
                frame = av.VideoFrame.from_ndarray(np.asarray(board), format="rgb24")
                for packet in stream.encode(frame):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
        with av.open(str(path)) as container:
            frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    return list(zip(frames, truths, strict=True))


def main() -> dict[str, float]:
    ours = FaceDetector(turns=SEARCH_TURNS)  # searched as the redactor searches
    ours_video = FaceDetector(
        max_side=VIDEO_MAX_SIDE, scale_factor=VIDEO_SCALE_FACTOR, turns=SEARCH_TURNS
    )
    base = single_cascade()
    rows: list[tuple[str, str, str]] = []
    results: dict[str, float] = {}

    def score(name: str, cases: list[tuple[NDArray[np.uint8], Box]], mine: Detect) -> None:
        a = sum(_hit(mine(p), t) for p, t in cases)
        b = sum(_hit(base(p), t) for p, t in cases)
        results[f"{name}_recall"], results[f"{name}_baseline_recall"] = (
            a / len(cases),
            b / len(cases),
        )
        rows.append(
            (
                name,
                f"{b}/{len(cases)} ({b / len(cases):.0%})",
                f"{a}/{len(cases)} ({a / len(cases):.0%})",
            )
        )

    faces, others = lfw()
    score("LFW crops, 100 px", faces, ours.detect)
    alarms_ours = sum(bool(ours.detect(p)) for p in others)
    alarms_base = sum(bool(base(p)) for p in others)
    rows.append(("LFW non-faces with a false alarm", f"{alarms_base}/100", f"{alarms_ours}/100"))
    results["lfw_false_alarms"], results["lfw_baseline_false_alarms"] = alarms_ours, alarms_base
    for width in (16, 24, 32, 48, 64, 96, 160):
        score(f"astronaut, face {width} px", [astronaut_at(width)], ours.detect)
    for degrees in (0, 15, 30, 45, 90, 180, 270):
        score(f"astronaut turned {degrees}°", [turned(degrees)], ours.detect)
    for part in ("eyes", "mouth and nose", "left half"):
        score(f"astronaut, {part} covered", [occluded(part)], ours.detect)
    for width in (60, 120, 240):
        score(f"720p video frames, face {width} px", video_frames(width), ours_video.detect)
    print("| set | baseline: one frontal Haar cascade | redactor's detector |")
    print("|---|---|---|")
    for row in rows:
        print(f"| {row[0]} | {row[1]} | {row[2]} |")
    return results


if __name__ == "__main__":
    main()
