"""Recycled footage as it is checked from outside: a fast-panning scene, trimmed at a phase that
falls between the stored copy's one-a-second samples, re-encoded to VP9 in WebM at another size
and frame rate, and a mirrored copy; plus bad input to ``media match`` and ``media sun``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from enquiry.cli import main
from enquiry.enrich.media import samples

FPS = 25


def _pan(seconds: float, fps: int = FPS) -> list[np.ndarray]:
    """A camera panning across a photograph at a quarter of the frame width per second, the
    speed of a handheld pan: frames half a second apart share little."""
    big = np.asarray(Image.fromarray(samples.photo("astronaut")).resize((640, 640)))
    frames = []
    for i in range(round(seconds * fps)):
        t = i / fps
        x, y = round(60 * t), round(200 + 40 * np.sin(t))
        frames.append(np.ascontiguousarray(big[y : y + 180, x : x + 240]))
    return frames


@pytest.fixture(scope="module")
def footage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("recycled")
    frames = _pan(9.0)
    samples.write_video(
        folder / "source.mp4", frames, metadata={"creation_time": "2015-06-02T09:12:00Z"}
    )
    # seconds 2.5–7.5, every other frame (12.5 fps), shrunk, re-encoded to VP9
    samples.write_video(
        folder / "copy.webm",
        frames[62:188:2],
        fps=12,
        codec="libvpx-vp9",
        transform=lambda f: np.asarray(Image.fromarray(f).resize((160, 120))),
    )
    samples.write_video(folder / "mirrored.mp4", [f[:, ::-1] for f in frames[40:200]])
    other = samples.scene_frames(samples.photo("rocket"), 4.0, fps=FPS, size=(240, 180), seed=5)
    samples.write_video(folder / "other.mp4", other)
    (folder / "empty.mp4").write_bytes(b"")
    (folder / "notes.mp4").write_text("not a video at all\n")
    data = (folder / "source.mp4").read_bytes()
    (folder / "cut.mp4").write_bytes(data[: len(data) // 3])  # its index (moov) is at the end
    data = (folder / "copy.webm").read_bytes()
    (folder / "cut.webm").write_bytes(data[: len(data) // 2])  # WebM streams: a prefix plays
    return folder


def _run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    return result.exit_code, result.output


def test_trimmed_vp9_copy_out_of_phase_matches_with_its_offset(home: Path, footage: Path) -> None:
    code, out = _run(
        home,
        "add",
        str(footage / "source.mp4"),
        str(footage / "other.mp4"),
        "--case",
        "qa",
        "--field",
        "first_seen=2016-01-01T00:00:00Z",
    )
    assert code == 0, out
    code, out = _run(home, "media", "match", str(footage / "copy.webm"), "--json")
    assert code == 0, out
    matches = json.loads(out)["matches"]
    assert [m["item"] for m in matches] == [1]
    [m] = matches
    assert len(m["frames"]) >= 3
    assert 2.0 <= m["offset_s"] <= 3.0  # the copy starts 2.5 s into the source
    assert all(abs(b - a - 2.5) <= 0.6 for a, b in m["frames"])
    assert m["earliest"].startswith("2015-06-02T09:12:00")  # container beats first_seen
    # the copy taken in as an item and matched by its number finds the same
    code, out = _run(home, "add", str(footage / "copy.webm"), "--case", "qa")
    code, out = _run(home, "media", "match", "3", "--json")
    assert code == 0, out
    [again] = json.loads(out)["matches"]
    assert again["item"] == 1 and 2.0 <= again["offset_s"] <= 3.0
    code, out = _run(home, "media", "match", str(footage / "mirrored.mp4"), "--json")
    mirrored = [m for m in json.loads(out)["matches"] if m["item"] == 1]
    assert mirrored and len(mirrored[0]["frames"]) >= 3
    assert any("mirror" in v for v in mirrored[0]["variants"])


@pytest.mark.parametrize("name", ["empty.mp4", "notes.mp4", "missing.mp4", "cut.mp4"])
def test_bad_query_files_fail_in_one_line(home: Path, footage: Path, name: str) -> None:
    code, out = _run(home, "media", "match", str(footage / name))
    assert code != 0 and "Traceback" not in out
    assert len(out.strip().splitlines()) == 1 and name in out
    reason = {"empty.mp4": "empty file", "notes.mp4": "not a photo or video"}.get(name, "")
    assert reason in out


def test_a_folder_is_not_a_query(home: Path, footage: Path) -> None:
    code, out = _run(home, "media", "match", str(footage))
    assert code != 0 and out.strip().endswith("is a folder; give one photo or video")


def test_truncated_query_still_matches_what_it_has(home: Path, footage: Path) -> None:
    _run(home, "add", str(footage / "source.mp4"), "--case", "qa")
    code, out = _run(home, "media", "match", str(footage / "cut.webm"), "--json")
    assert code == 0, out
    assert [m["item"] for m in json.loads(out)["matches"]] == [1]


@pytest.mark.parametrize(
    "args",
    [
        ["--lat", "95", "--lon", "0", "--time", "2017-04-04T06:45Z"],
        ["--lat", "north", "--lon", "0", "--time", "2017-04-04T06:45Z"],
        ["--lat", "35", "--lon", "36", "--time", "yesterday"],
        ["--lat", "35", "--lon", "36", "--time", "2017-04-04T06:45Z", "--shadow-bearing", "400"],
        ["--lat", "nan", "--lon", "36", "--time", "2017-04-04T06:45Z"],
        ["--lat", "35", "--lon", "36", "--time", "2017-04-04T06:45Z", "--shadow-bearing", "nan"],
        ["--lat", "35", "--lon", "36", "--time", "9999-12-31T23:59Z", "--shadow-bearing", "90"],
    ],
)
def test_bad_sun_arguments_fail_without_traceback(home: Path, args: list[str]) -> None:
    code, out = _run(home, "media", "sun", *args)
    assert code != 0 and "Traceback" not in out
    assert out.startswith(("enquiry: Invalid value", "enquiry: --time")), out
    assert out.count("\n") == 1, out  # one line


def test_a_sped_up_copy_aligns_at_its_speed(home: Path, footage: Path, tmp_path: Path) -> None:
    """Every other frame at the same frame rate: the copy plays the source at twice the speed,
    so the offset drifts a second per second; aligning at speed 2 keeps the whole segment."""
    _run(home, "add", str(footage / "source.mp4"), str(footage / "other.mp4"), "--case", "qa")
    fast = samples.write_video(tmp_path / "fast.mp4", _pan(9.0)[::2])
    code, out = _run(home, "media", "match", str(fast), "--json")
    assert code == 0, out
    [m] = json.loads(out)["matches"]
    assert m["item"] == 1 and m["speed"] == 2.0 and len(m["frames"]) >= 6
    assert all(abs(b - 2 * a) <= 1.0 for a, b in m["frames"])
    code, out = _run(home, "media", "match", str(footage / "copy.webm"), "--json")
    assert json.loads(out)["matches"][0]["speed"] == 1.0
