"""Redacted derivatives of video: every frame covered, container and stream tags gone (read
back with PyAV), sound dropped unless asked for, a damaged video refused in one line."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image
from redaction_helpers import (
    body_differs,
    centre_in,
    face_video,
    lbp_faces,
    placed_video,
    turned_midway,
    video_face_box,
    video_frames,
    with_cover_first,
)
from sqlalchemy import select

from enquiry.app import Enquiry
from enquiry.cli import main
from enquiry.enrich.media import samples
from enquiry.enrich.media.faces import FaceDetector
from enquiry.enrich.media.frames import frame_orientation
from enquiry.enrich.media.redact import Request, redact_video
from enquiry.enrich.media.samples import write_video
from enquiry.store.tables import Item

FRAMES = 20
# The clips whose every frame the second detector checks are quarter-VGA: it tries every
# window of a frame, so its time follows the pixels, while the face is as large as in a
# 480×360 clip (some 64 pixels) and inside the picture in every frame.
SMALL = (320, 240)
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


@pytest.fixture(scope="module")
def small_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """:func:`clip` at :data:`SMALL`, for the tests that look for faces in every frame."""
    folder = tmp_path_factory.mktemp("redact-video-small")
    return face_video(folder / "witness.mp4", frames=FRAMES, size=SMALL)


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
def test_every_frame_is_covered_and_no_tag_is_left(
    home: Path, small_clip: Path, tmp_path: Path
) -> None:
    """On SQLite; the pixels do not depend on the back end, and the second detector takes
    a tenth of a second or more a frame (the catalogue's part runs on PostgreSQL below)."""
    before = _frames(small_clip)
    seen = [
        i
        for i, f in enumerate(before)
        if any(centre_in(b, video_face_box(i)) for b in lbp_faces(f))
    ]
    assert len(seen) >= FRAMES * 3 // 4  # the second detector sees the face in the original
    after = _frames(_redact_faces(home, small_clip, tmp_path))
    assert len(after) == FRAMES
    for index, pixels in enumerate(after):
        assert not [b for b in lbp_faces(pixels) if centre_in(b, video_face_box(index))], index


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_the_redacted_video_is_recorded_and_untagged_on_postgresql(
    backend: str, home: Path, small_clip: Path, tmp_path: Path
) -> None:
    assert len(_frames(_redact_faces(home, small_clip, tmp_path))) == FRAMES


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


@pytest.fixture(scope="module")
def seen(clip: Path) -> list[np.ndarray]:
    """The frames of the clip as a viewer sees them: the picture every other video here is
    stored as, turned or mirrored, with a display matrix that shows it this way again."""
    return [np.asarray(f) for f in _frames(clip)[:10]]


def _redacted(source: Path, tmp_path: Path, **asked: Any) -> tuple[dict[str, Any], list[Any]]:
    made = redact_video(source, tmp_path / "redacted", Request(faces=True, **asked))
    assert "error" not in made, made
    return made["transformation"], video_frames(Path(made["path"]))


@pytest.mark.parametrize(
    ("rotation", "hflip", "vflip", "stored", "said"),
    [
        (0, True, False, lambda f: f[:, ::-1], "mirrored left to right"),
        (0, False, True, lambda f: f[::-1], "mirrored top to bottom"),
        (
            90,
            True,
            False,
            lambda f: np.rot90(f[:, ::-1], -1),
            "turned 90° counter-clockwise and mirrored left to right",
        ),
    ],
)
def test_a_mirror_in_the_display_matrix_is_applied_not_taken_for_a_turn(
    seen: list[np.ndarray],
    tmp_path: Path,
    rotation: int,
    hflip: bool,
    vflip: bool,
    stored: Callable[[np.ndarray], np.ndarray],
    said: str,
) -> None:
    """A left-right mirror reads as a half turn to FFmpeg's rotation angle: the frames were
    turned upside down, and no face was found in any of them."""
    source = placed_video(
        tmp_path / "mirrored.mp4", [stored(f) for f in seen], rotation, hflip, vflip
    )
    done, after = _redacted(source, tmp_path)
    assert done["display_rotation"] == said
    assert done["frames_searched"] == done["frames_with_faces"] == 2
    assert (done["width"], done["height"]) == (480, 360) and len(after) == len(seen)
    for index, pixels in enumerate(after):
        assert body_differs(pixels, seen[index]) < 12, index  # the right way up and round


def test_the_orientation_is_read_from_every_frame(seen: list[np.ndarray], tmp_path: Path) -> None:
    """A stream's own orientation messages can turn some frames and not others: each frame is
    placed as a player places it, so the upside-down half is searched upright too."""
    source = turned_midway(tmp_path / "turning.mp4", seen, turned_from=5)
    with av.open(str(source)) as container:
        assert [round(f.rotation) % 360 for f in container.decode(video=0)] == [0] * 5 + [180] * 5
    done, after = _redacted(source, tmp_path)
    assert done["frames_searched"] == done["frames_with_faces"] == 2
    for index in [*range(5, 10), *range(5)]:  # the turned frames first
        assert body_differs(after[index], seen[index]) < 12, index
    assert done["display_rotation"] == "none"
    assert done["display_rotation_changes"] == [[5, "turned upright (180°)"]]


def test_a_cover_picture_is_not_taken_for_the_video(clip: Path, tmp_path: Path) -> None:
    """Cover art is a one-frame video stream to FFmpeg, and it can come first: the redaction
    was of the cover, a one-frame 'video', and the film itself was dropped."""
    cover = io.BytesIO()
    Image.fromarray(samples.photo("astronaut")).save(cover, format="JPEG")
    source = with_cover_first(clip, tmp_path / "covered.mp4", cover.getvalue())
    with av.open(str(source)) as container:
        assert [s.codec_context.name for s in container.streams] == ["mjpeg", "h264"]
    done, after = _redacted(source, tmp_path)
    assert done["frames"] == FRAMES == len(after) and done["source_video_stream"] == 1
    assert (done["width"], done["height"]) == (480, 360) and done["frames_with_faces"] >= 1
    sound_only = with_cover_first(clip, tmp_path / "song.mp4", cover.getvalue(), video=False)
    refused = redact_video(sound_only, tmp_path / "song", Request(faces=True))
    assert refused == {"error": "the file holds no video, only a cover picture"}


def test_pixels_that_are_not_square_are_widened_as_a_player_shows_them(
    seen: list[np.ndarray], tmp_path: Path
) -> None:
    """A camcorder's 4:3 pixels: the picture is stored 360 wide and shown 480 wide. It was
    redacted squeezed, and a region given in the picture as seen was refused as outside."""
    import cv2

    source = tmp_path / "anamorphic.mp4"
    with av.open(str(source), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 360, 360, "yuv420p"
        stream.codec_context.sample_aspect_ratio = Fraction(4, 3)
        for pixels in seen:
            narrow = cv2.resize(pixels, (360, 360), interpolation=cv2.INTER_AREA)
            for packet in stream.encode(av.VideoFrame.from_ndarray(narrow, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    done, after = _redacted(source, tmp_path, regions=((400, 300, 60, 50),))
    assert (done["width"], done["height"]) == (480, 360)
    assert done["pixel_aspect"] == "4:3, widened from 360 to square pixels"
    assert after[0].shape[:2] == (360, 480) and done["frames_with_faces"] >= 1
    for index, pixels in enumerate(after):
        assert body_differs(pixels, seen[index]) < 14, index


def test_an_odd_sized_turned_video_is_padded_and_says_so(tmp_path: Path) -> None:
    """4:2:0 video needs even sizes: a 101×77 picture (shown 77×101, turned) is written with one
    edge row and column repeated, and the record says so beside the picture's own size."""
    source = tmp_path / "odd.mkv"
    stored = np.zeros((77, 101, 3), dtype=np.uint8)
    stored[:, 100] = 255  # the right-hand column: the top row once turned counter-clockwise
    with av.open(str(source), "w") as container:
        stream = container.add_stream("ffv1", rate=25)
        stream.width, stream.height, stream.pix_fmt = 101, 77, "yuv444p"
        stream.set_display_rotation(90)
        for _ in range(3):
            for packet in stream.encode(av.VideoFrame.from_ndarray(stored, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    made = redact_video(source, tmp_path / "out", Request(regions=((70, 95, 7, 6),)))
    done = made["transformation"]
    assert (done["width"], done["height"], done["encoded_size"]) == (77, 101, [78, 102])
    after = video_frames(Path(made["path"]))[0]
    assert (
        after.shape[:2] == (102, 78) and after[0, :70].min() > 200 and after[10:90, :70].max() < 40
    )


def _ffmpeg_places(rotation: float, matrix: tuple[int, ...], pixels: np.ndarray) -> np.ndarray:
    """How FFmpeg's own command line turns a frame for showing (fftools' autorotate): the angle
    read from the matrix, then the signs of its cells for the mirrors."""
    theta = -rotation
    theta -= 360 * np.floor(theta / 360 + 0.9 / 360)
    if abs(theta - 90) < 1:
        return pixels.transpose(1, 0, 2) if matrix[3] > 0 else np.rot90(pixels, -1)
    if abs(theta - 180) < 1:
        pixels = pixels[:, ::-1] if matrix[0] < 0 else pixels
        return pixels[::-1] if matrix[4] < 0 else pixels
    if abs(theta - 270) < 1:
        return np.rot90(pixels, -1)[::-1] if matrix[3] < 0 else np.rot90(pixels, 1)
    return pixels[::-1] if matrix[4] < 0 else pixels


def test_every_turn_and_mirror_is_placed_as_ffmpeg_places_it(tmp_path: Path) -> None:
    import struct

    pattern = np.arange(6 * 4 * 3, dtype=np.uint8).reshape(6, 4, 3)
    for rotation in (0, 90, 180, 270):
        for hflip, vflip in ((False, False), (True, False), (False, True), (True, True)):
            source = placed_video(
                tmp_path / "placed.mp4", [np.zeros((16, 16, 3), np.uint8)], rotation, hflip, vflip
            )
            with av.open(str(source)) as container:
                frame = next(container.decode(video=0))
                matrix = next(
                    (struct.unpack("=9i", bytes(d)) for d in frame.side_data
                     if d.type == av.sidedata.sidedata.Type.DISPLAYMATRIX),
                    (65536, 0, 0, 0, 65536, 0, 0, 0, 1 << 30),
                )  # fmt: skip
                placed = frame_orientation(frame).apply(pattern)
                expected = _ffmpeg_places(float(frame.rotation), matrix, pattern)
            assert np.array_equal(placed, expected), (rotation, hflip, vflip)


def test_a_display_matrix_with_no_angle_turns_nothing(tmp_path: Path) -> None:
    """An all-zero matrix has no angle (FFmpeg reads NaN, PyAV a huge integer) and players leave
    the picture as stored; it was taken for a quarter turn, and the picture written sideways."""
    source = tmp_path / "degenerate.mp4"
    with av.open(str(source), "w") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.set_display_matrix([0] * 9)
        for _ in range(3):
            blank = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            for packet in stream.encode(blank):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    made = redact_video(source, tmp_path / "out", Request(regions=((0, 0, 4, 4),)))
    done = made["transformation"]
    assert (done["width"], done["height"], done["display_rotation"]) == (64, 48, "none")


@pytest.mark.slow
def test_a_face_on_its_side_in_a_video_is_covered(home: Path, tmp_path: Path) -> None:
    """A casualty lying on the ground, filmed from above: the face is on its side in every
    upright frame. Video frames are searched a quarter turn each way too."""
    from PIL import Image

    from enquiry.enrich.media import samples

    lying = Image.fromarray(np.ascontiguousarray(np.rot90(samples.photo("astronaut"), 1)))
    lying = lying.resize((300, 300))
    frames = []
    for index in range(FRAMES):
        canvas = Image.new("RGB", SMALL, (40, 60, 80))
        canvas.paste(lying, (20 + 3 * index, 10 + index))
        frames.append(np.asarray(canvas))
    clip = write_video(tmp_path / "lying.mp4", frames)
    # the face, turned back upright, as a second detector sees it in the original
    upright = [np.ascontiguousarray(np.rot90(f, -1)) for f in _frames(clip)]
    assert any(lbp_faces(f) for f in upright[:5])
    item = _add(home, clip)
    code, out, err = _cli(home, "media", "redact", str(item), "--faces", "--json")
    assert code == 0, err
    done = json.loads(out)["transformation"]["redaction"]
    assert done["detector"]["quarter_turns"] == [0, 1, 3]
    assert done["frames_with_faces"] >= 1
    after = _frames(_stored(home, json.loads(out)["item"], tmp_path))
    assert len(after) == FRAMES
    # the face as the second detector sees it (the suit's badge, a 27-pixel box, is not it)
    faces = {i: [b for b in lbp_faces(upright[i]) if b[2] >= 40] for i in range(FRAMES)}
    assert sum(bool(f) for f in faces.values()) >= FRAMES // 2
    for index, boxes in faces.items():
        left = lbp_faces(np.ascontiguousarray(np.rot90(after[index], -1)))
        assert not [b for b in left if any(centre_in(b, face) for face in boxes)], index
