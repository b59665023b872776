"""Redacted derivatives of video: every frame covered, container and stream tags gone (read
back with PyAV), sound dropped unless asked for, a damaged video refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
import pytest
from click.testing import CliRunner
from redaction_helpers import centre_in, face_video, lbp_faces, video_face_box
from sqlalchemy import select

from enquiry.app import Enquiry
from enquiry.cli import main
from enquiry.enrich.media.faces import FaceDetector
from enquiry.enrich.media.samples import write_video
from enquiry.store.tables import Item

FRAMES = 20
# What an MP4 muxer writes of itself in every file (brand, a generic handler, no language):
# none of it says anything about who filmed, where or with what.
STRUCTURAL = {"major_brand", "minor_version", "compatible_brands"}
GENERIC_STREAM = {"language": "und"}


def _cli(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return face_video(tmp_path_factory.mktemp("redact-video") / "witness.mp4", frames=FRAMES)


def _stored(home: Path, item_id: int, tmp_path: Path) -> Path:
    store = Enquiry.at(home, "t").store(create=False)
    with store.session() as session:
        sha = session.get(Item, item_id).sha256  # type: ignore[union-attr]
    target = tmp_path / f"item-{item_id}.mp4"
    store.vault.copy_verified(str(sha), target)
    return target


def _frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def _add(home: Path, path: Path) -> int:
    code, _, err = _cli(home, "add", str(path), "--case", "c")
    assert code == 0, err
    with Enquiry.at(home, "t").store(create=False).session() as session:
        return max(session.scalars(select(Item.id)).all())


def _redact_faces(home: Path, clip: Path, tmp_path: Path) -> Path:
    """Add the clip, redact its faces, check what the catalogue records and that no tag or
    sound is left; the redacted video, read back from the vault."""
    item = _add(home, clip)
    with av.open(str(clip)) as source:
        assert "Jane Q. Witness" in source.metadata.values()
        assert [s.type for s in source.streams] == ["video", "audio"]
    code, out, err = _cli(home, "media", "redact", str(item), "--faces", "--json")
    assert code == 0, err
    made = json.loads(out)
    assert made["media_type"] == "video/mp4" and made["derived_from"] == item
    done = made["transformation"]["redaction"]
    assert done["frames"] == FRAMES and done["audio"] == "dropped"
    assert done["frames_with_faces"] >= 1
    output = _stored(home, made["item"], tmp_path)
    with av.open(str(output)) as redacted:
        assert set(redacted.metadata) <= STRUCTURAL
        assert [s.type for s in redacted.streams] == ["video"]
        for stream in redacted.streams:
            assert {k: v for k, v in stream.metadata.items() if k != "handler_name"} in (
                {},
                GENERIC_STREAM,
            )
            assert "Witness" not in stream.metadata.get("handler_name", "")
    assert b"Jane Q. Witness" not in output.read_bytes()
    assert b"+35.4400" not in output.read_bytes()
    return output


@pytest.mark.slow
def test_every_frame_is_covered_and_no_tag_is_left(home: Path, clip: Path, tmp_path: Path) -> None:
    """On SQLite; the pixels do not depend on the back end, and the second detector takes
    most of a second a frame (the catalogue's part runs on PostgreSQL below)."""
    before = _frames(clip)
    seen = [
        i
        for i, f in enumerate(before)
        if any(centre_in(b, video_face_box(i)) for b in lbp_faces(f))
    ]
    assert len(seen) >= FRAMES * 3 // 4  # the second detector sees the face in the original
    after = _frames(_redact_faces(home, clip, tmp_path))
    assert len(after) == FRAMES
    for index, pixels in enumerate(after):
        assert not [b for b in lbp_faces(pixels) if centre_in(b, video_face_box(index))], index


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_redacted_video_is_recorded_and_untagged_on_postgresql(
    backend: str, home: Path, clip: Path, tmp_path: Path
) -> None:
    assert len(_frames(_redact_faces(home, clip, tmp_path))) == FRAMES


def test_sound_is_kept_only_when_asked_and_then_without_its_tags(
    home: Path, clip: Path, tmp_path: Path
) -> None:
    item = _add(home, clip)
    code, out, err = _cli(
        home, "media", "redact", str(item), "--regions", "0,0,100,50", "--keep-audio", "--json"
    )
    assert code == 0, err
    made = json.loads(out)
    assert made["transformation"]["redaction"]["audio"].startswith("kept")
    output = _stored(home, made["item"], tmp_path)
    with av.open(str(output)) as redacted:
        assert [s.type for s in redacted.streams] == ["video", "audio"]
        assert set(redacted.metadata) <= STRUCTURAL
        sound = sum(f.samples for f in redacted.decode(audio=0))
    assert sound >= 48000 * FRAMES // 25 * 0.9
    first = _frames(output)[0][4:46, 4:96]  # away from the codec's smearing at the box's edge
    steps = np.abs(np.diff(first.astype(int), axis=1)).max(axis=2)
    assert (steps > 12).mean() < 0.1  # a mosaic: flat cells, steps only where two cells meet
    code, out, err = _cli(home, "media", "redact", str(item), "--regions", "400,300,100,100")
    assert code == 2
    assert err.strip() == (
        f"enquiry: item {item}: --regions 400,300,100,100: outside the 480×360 video"
    )


def test_a_video_that_cannot_be_opened_is_one_line(home: Path, clip: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(clip.read_bytes()[:32] + bytes(20000))  # an MP4 'ftyp' box, then nothing
    code, _, _ = _cli(home, "add", str(broken), "--case", "c")
    assert code == 1  # stored as received, its problem reported
    with Enquiry.at(home, "t").store(create=False).session() as session:
        item = max(session.scalars(select(Item.id)).all())
    code, out, err = _cli(home, "media", "redact", str(item), "--faces")
    assert code == 1
    assert err.strip().startswith(f"enquiry: item {item}: the video cannot be opened")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in out + err


@pytest.mark.slow
def test_a_portrait_phone_video_is_redacted_as_it_is_seen(home: Path, tmp_path: Path) -> None:
    """Phones store portrait video sideways with a display rotation. The detector finds upright
    faces only: the frames are turned as a player turns them before faces are looked for, and
    the output (which carries no rotation) is upright; regions are given as a viewer sees it."""
    upright = _frames(face_video(tmp_path / "upright.mp4", frames=FRAMES))
    # Stored a quarter turn counter-clockwise; the player turns it back clockwise (-90).
    sideways = write_video(
        tmp_path / "portrait.mp4", [np.rot90(f, 1) for f in upright], rotation=-90
    )
    with av.open(str(sideways)) as container:
        first = next(container.decode(video=0))
        assert (first.width, first.height, first.rotation) == (360, 480, -90)
        assert not FaceDetector().detect(first.to_ndarray(format="rgb24"))  # sideways
    item = _add(home, sideways)
    code, out, err = _cli(home, "media", "redact", str(item), "--faces", "--json")
    assert code == 0, err
    done = json.loads(out)["transformation"]["redaction"]
    assert done["frames_with_faces"] >= 1
    assert (done["width"], done["height"]) == (480, 360)
    assert done["display_rotation"] == "turned upright (90° clockwise)"
    after = _frames(_stored(home, json.loads(out)["item"], tmp_path))
    assert len(after) == FRAMES and after[0].shape[:2] == (360, 480)
    for index, pixels in enumerate(after):
        assert not [b for b in lbp_faces(pixels) if centre_in(b, video_face_box(index))], index
    # The picture is the right way up: the background left of the face is as it was.
    assert np.abs(after[0][100:200, 0:15].astype(int) - upright[0][100:200, 0:15]).mean() < 8
    code, _, err = _cli(home, "media", "redact", str(item), "--regions", "400,300,60,50")
    assert code == 0, err  # inside 480×360 as seen, though outside the stored 360×480
