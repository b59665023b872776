"""Media fixtures: real photographs shipped with scikit-image and small videos encoded here."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from enquiry.enrich.media import samples


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with photos (JPEG) and a 6-second moving scene plus altered copies of it."""
    folder = tmp_path_factory.mktemp("media")
    for name in ("astronaut", "coffee", "chelsea", "rocket", "camera"):
        Image.fromarray(samples.photo(name)).save(folder / f"{name}.jpg", quality=90)
    frames = samples.scene_frames(samples.photo("coffee"), 6.0, fps=25, size=(320, 240))
    samples.write_video(folder / "scene.mp4", frames, fps=25)
    # A copy trimmed to seconds 2–5, re-encoded smaller at a lower quality and frame rate.
    trimmed = frames[50:125:2]
    samples.write_video(
        folder / "trimmed.mp4",
        trimmed,
        fps=12,
        crf=35,
        transform=lambda f: np.asarray(Image.fromarray(f).resize((240, 180))),
    )
    other = samples.scene_frames(samples.photo("rocket"), 4.0, fps=25, size=(320, 240), seed=3)
    samples.write_video(folder / "other.mp4", other, fps=25)
    return folder
