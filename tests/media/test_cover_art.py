"""A file with cover art: FFmpeg lists its cover as a one-frame video stream, and it can come
first. The metadata reader looks at the film (or, for sound, the sound track) to tell whether
the file is truncated; reading the cover, it called every such file truncated."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from redaction_helpers import face_video, with_cover_first

from enquiry.enrich.media import samples
from enquiry.enrich.video import VideoMetadata


@pytest.fixture(scope="module")
def cover() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(samples.photo("astronaut")).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize(("film", "media_type"), [(True, "video/mp4"), (False, "audio/mp4")])
def test_a_file_with_cover_art_first_is_not_called_truncated(
    tmp_path: Path, cover: bytes, film: bool, media_type: str
) -> None:
    clip = face_video(tmp_path / "clip.mp4", frames=75)
    path = with_cover_first(clip, tmp_path / "covered.mp4", cover, video=film)
    found = VideoMetadata().extract(path, media_type)
    assert found.problems == []
    assert found.metadata["streams"][0]["codec"] == "mjpeg"  # the cover does come first


def test_a_truncated_file_with_cover_art_is_still_called_truncated(
    tmp_path: Path, cover: bytes
) -> None:
    clip = face_video(tmp_path / "clip.mp4", frames=250)
    path = with_cover_first(clip, tmp_path / "covered.mp4", cover)
    data = path.read_bytes()
    # cut the media data short: the boxes still declare ten seconds
    cut = tmp_path / "cut.mp4"
    mdat = data.index(b"mdat")
    cut.write_bytes(data[: mdat + (len(data) - mdat) // 4])
    found = VideoMetadata().extract(cut, "video/mp4")
    assert any("truncated" in p or "damaged" in p for p in found.problems), found.problems


def test_a_video_file_holding_only_a_cover_says_so(tmp_path: Path, cover: bytes) -> None:
    clip = face_video(tmp_path / "clip.mp4", frames=25)
    path = with_cover_first(clip, tmp_path / "covered.mp4", cover, video=False)
    found = VideoMetadata().extract(path, "video/mp4")
    assert "no video stream in the container (only a cover picture)" in found.problems
