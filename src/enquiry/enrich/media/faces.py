"""Face detection for redaction: OpenCV's Haar cascades, as shipped inside its 4.x wheel.

A redaction errs towards covering too much: a patch of wall blurred by mistake costs nothing,
a face left visible can cost a life. So three cascades are run — two frontal ones and the
profile one, on the picture and on its mirror image (the cascade knows only left profiles) —
with a low neighbour threshold, and every box is grown well beyond the inner face the cascades
outline, to take in the hair, ears and jaw. The detector is never the last word: a person
confirms every redaction before it may be published (see ``docs/redaction.md``), and its
measured limits (profiles beyond about 60°, faces smaller than ``MIN_FACE`` pixels on the
working picture, occlusion, strong rotation) are stated there.

Detection runs on a copy scaled to at most ``max_side`` pixels on the long side (small faces
in a large photograph shrink with it); the boxes come back in the picture's own pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Box = tuple[int, int, int, int]  # x, y, width, height in pixels

CASCADES = (
    "haarcascade_frontalface_default.xml",
    "haarcascade_frontalface_alt2.xml",
    "haarcascade_profileface.xml",
)
SCALE_FACTOR = 1.1
MIN_NEIGHBOURS = 3
MIN_FACE = 20  # pixels on the working picture; the cascades' own window is 20-24 pixels
PHOTO_MAX_SIDE = 1600
VIDEO_MAX_SIDE = 640
# How far each side of a detected box is pushed out, as a fraction of its size: the cascades
# outline eyebrows to mouth, not the head a viewer recognises.
MARGIN = 0.35
# The quarter turns (counter-clockwise) a picture is searched at, photo and video frame alike:
# the cascades find faces within about 15° of upright, and a person lying down — a casualty on
# the ground, photographed or filmed from above — shows a face on its side. Upside down (2) is
# left out: a face upside down in a picture is rare. On a turned picture only the first
# frontal cascade runs, so the two turns cost about 0.4 of an upright search.
SEARCH_TURNS = (0, 1, 3)


@dataclass(frozen=True)
class FaceDetector:
    """The cascades, loaded once, and the parameters every detection is recorded with."""

    max_side: int = PHOTO_MAX_SIDE
    scale_factor: float = SCALE_FACTOR
    min_neighbours: int = MIN_NEIGHBOURS
    min_face: int = MIN_FACE
    margin: float = MARGIN
    turns: tuple[int, ...] = (0,)

    def __post_init__(self) -> None:
        import cv2

        loaded = []
        for name in CASCADES:
            folder = str(cv2.data.haarcascades)  # type: ignore[attr-defined]
            cascade = cv2.CascadeClassifier(folder + name)
            if cascade.empty():
                raise RuntimeError(f"OpenCV cascade {name} is missing from the installed wheel")
            loaded.append((name, cascade))
        object.__setattr__(self, "_cascades", tuple(loaded))

    def describe(self) -> dict[str, Any]:
        """What a derived item records about the detector that chose its regions."""
        import cv2

        return {
            "name": "opencv-haar",
            "library": f"opencv-python-headless {cv2.__version__}",
            "cascades": list(CASCADES),
            "mirrored_profile": True,
            "scale_factor": self.scale_factor,
            "min_neighbours": self.min_neighbours,
            "min_face_px": self.min_face,
            "working_max_side": self.max_side,
            "margin": self.margin,
            "quarter_turns": list(self.turns),
        }

    def detect(self, rgb: NDArray[np.uint8]) -> list[Box]:
        """Faces in an RGB (or grey) picture, grown by the margin and clipped to the picture."""
        import cv2

        height, width = rgb.shape[:2]
        grey = rgb if rgb.ndim == 2 else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        scale = min(1.0, self.max_side / max(width, height))
        if scale < 1.0:
            grey = cv2.resize(
                grey,
                (max(1, round(width * scale)), max(1, round(height * scale))),
                interpolation=cv2.INTER_AREA,
            )
        grey = cv2.equalizeHist(grey)
        found: list[Box] = []
        for turn in self.turns:
            turned = np.ascontiguousarray(np.rot90(grey, turn)) if turn % 4 else grey
            # on a turned picture, the first frontal cascade alone: a third of the cost
            for box in self._search(turned, every=turn % 4 == 0):
                x, y, w, h = _turned_back(box, turn % 4, grey.shape[1], grey.shape[0])
                found.append(self._grown(x, y, w, h, scale, width, height, upright=turn % 4 == 0))
        return merge(found)

    def _search(self, grey: NDArray[Any], *, every: bool = True) -> list[Box]:
        """Inner-face boxes the cascades find in ``grey`` (and profiles in its mirror image);
        ``every`` off runs the first frontal cascade alone."""
        import cv2

        mirrored = cv2.flip(grey, 1)
        work_w = grey.shape[1]
        found: list[Box] = []
        size = (self.min_face, self.min_face)
        cascades = self._cascades if every else self._cascades[:1]  # type: ignore[attr-defined]
        for name, cascade in cascades:
            for picture, flipped in ((grey, False), (mirrored, True)):
                if flipped and "profile" not in name:
                    continue  # frontal cascades are symmetric: the mirror finds the same faces
                boxes = cascade.detectMultiScale(
                    picture,
                    scaleFactor=self.scale_factor,
                    minNeighbors=self.min_neighbours,
                    minSize=size,
                )
                for x, y, w, h in boxes if len(boxes) else ():
                    if flipped:
                        x = work_w - x - w
                    found.append((int(x), int(y), int(w), int(h)))
        return found

    def _grown(
        self,
        x: int,
        y: int,
        w: int,
        h: int,
        scale: float,
        width: int,
        height: int,
        *,
        upright: bool = True,
    ) -> Box:
        pad_x, pad_y = w * self.margin, h * self.margin
        if not upright:  # which side the forehead lies on is not known: grow every side as much
            pad_x = pad_y = max(w, h) * self.margin * 1.2
        left = max(0, int((x - pad_x) / scale))
        top = max(0, int((y - pad_y * (1.2 if upright else 1.0)) / scale))  # forehead, hair
        right = min(width, int(np.ceil((x + w + pad_x) / scale)))
        bottom = min(height, int(np.ceil((y + h + pad_y) / scale)))
        return (left, top, right - left, bottom - top)


def _turned_back(box: Box, turn: int, width: int, height: int) -> Box:
    """A box found in a picture turned ``turn`` quarter turns counter-clockwise (``np.rot90``),
    in the pixels of the picture before it was turned (``width`` × ``height``)."""
    x, y, w, h = box
    if turn == 1:  # turned[i][j] = picture[j][width - 1 - i]
        return (width - y - h, x, h, w)
    if turn == 2:
        return (width - x - w, height - y - h, w, h)
    if turn == 3:  # turned[i][j] = picture[height - 1 - j][i]
        return (y, height - x - w, h, w)
    return box


def overlap(a: Box, b: Box) -> bool:
    """Whether two boxes share any pixel."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def merge(boxes: list[Box]) -> list[Box]:
    """Overlapping boxes joined into their bounding box (the same face found by several
    cascades, or at neighbouring scales), until none overlap; sorted for a stable record."""
    pending = sorted(set(boxes))
    changed = True
    while changed:
        changed = False
        out: list[Box] = []
        for box in pending:
            for index, kept in enumerate(out):
                if overlap(box, kept):
                    left, top = min(box[0], kept[0]), min(box[1], kept[1])
                    right = max(box[0] + box[2], kept[0] + kept[2])
                    bottom = max(box[1] + box[3], kept[1] + kept[3])
                    out[index] = (left, top, right - left, bottom - top)
                    changed = True
                    break
            else:
                out.append(box)
        pending = sorted(out)
    return [tuple(int(v) for v in box) for box in pending]  # type: ignore[misc]
