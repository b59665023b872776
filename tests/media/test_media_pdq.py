"""PDQ hashing of photos and video frames."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import numpy as np
import pdqhash
from PIL import Image

from enquiry.enrich.media import pdq, samples
from enquiry.enrich.media.extractor import PdqExtractor, hash_video_file
from enquiry.enrich.media.frames import sample_frames
from enquiry.enrich.media.windows import ALGORITHM as WINDOW_ALGORITHM
from enquiry.enrich.media.windows import STORED_WINDOWS, stored_entries
from enquiry.enrich.media.windows import VERSION as WINDOW_VERSION


def test_hex_round_trip_and_distance() -> None:
    bits = np.random.default_rng(0).integers(0, 2, 256)
    text = pdq.to_hex(bits)
    assert len(text) == 64
    assert np.array_equal(np.unpackbits(pdq.from_hex(text)), bits)
    flipped = bits.copy()
    flipped[[0, 100, 255]] ^= 1
    assert pdq.distance(text, pdq.to_hex(flipped)) == 3


def test_recompressed_photo_is_near_and_other_photo_far(media_dir: Path, tmp_path: Path) -> None:
    original = pdq.hash_image_file(media_dir / "astronaut.jpg")
    Image.open(media_dir / "astronaut.jpg").resize((200, 200)).save(
        tmp_path / "small.jpg", quality=40
    )
    copy = pdq.hash_image_file(tmp_path / "small.jpg")
    other = pdq.hash_image_file(media_dir / "coffee.jpg")
    assert pdq.distance(str(original["hash"]), str(copy["hash"])) <= 31
    assert pdq.distance(str(original["hash"]), str(other["hash"])) > 60
    assert isinstance(original["quality"], int) and original["quality"] >= 50


def test_dihedral_variants_match_real_flips(media_dir: Path, tmp_path: Path) -> None:
    entry = pdq.hash_image_file(media_dir / "chelsea.jpg")
    variants = dict(zip(pdq.DIHEDRAL[1:], entry["data"]["dihedral"], strict=True))
    image = Image.open(media_dir / "chelsea.jpg")
    image.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(tmp_path / "mirror.jpg", quality=85)
    image.transpose(Image.Transpose.FLIP_TOP_BOTTOM).save(tmp_path / "upside.jpg", quality=85)
    mirror = pdq.hash_image_file(tmp_path / "mirror.jpg")["hash"]
    upside = pdq.hash_image_file(tmp_path / "upside.jpg")["hash"]
    assert pdq.distance(str(entry["hash"]), str(mirror)) > 31  # plain PDQ misses a mirror ...
    assert pdq.distance(variants["mirror"], str(mirror)) <= 31  # ... its dihedral variant does not
    assert pdq.distance(variants["flip_vertical"], str(upside)) <= 31


def test_exif_orientation_is_applied(media_dir: Path, tmp_path: Path) -> None:
    image = Image.open(media_dir / "rocket.jpg")
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated; a viewer turns it 90° clockwise
    image.transpose(Image.Transpose.ROTATE_90).save(tmp_path / "tagged.jpg", exif=exif, quality=90)
    upright = pdq.hash_image_file(media_dir / "rocket.jpg")["hash"]
    tagged = pdq.hash_image_file(tmp_path / "tagged.jpg")["hash"]
    assert pdq.distance(str(upright), str(tagged)) <= 31


def test_video_frames_keyframes_and_at_most_one_per_second(media_dir: Path) -> None:
    frames = list(sample_frames(media_dir / "scene.mp4"))
    times = [f.t for f in frames]
    assert times == sorted(times) and times[0] == 0.0 and times[-1] >= 5.0
    assert frames[0].keyframe
    non_key = [f.t for f in frames if not f.keyframe]
    assert all(b - a >= 0.99 for a, b in pairwise(non_key))
    assert len(frames) <= 6 * 2
    assert max(frames[0].rgb.shape[:2]) <= pdq.MAX_SIDE


def test_extractor_hashes_photo_and_video_and_reports_bad_files(
    media_dir: Path, tmp_path: Path
) -> None:
    extractor = PdqExtractor()
    assert extractor.accepts("image/jpeg", "photo") and extractor.accepts("video/mp4", "video")
    assert not extractor.accepts("application/pdf", "document")
    photo = extractor.extract(media_dir / "coffee.jpg", "image/jpeg")
    whole = [h for h in photo.hashes if h["algorithm"] == "pdq"]
    assert len(whole) == 1 and whole[0]["t"] is None and not photo.problems
    # and the photo's windows, cut from the same decode (see windows.STORED_WINDOWS)
    windows = [h for h in photo.hashes if h["algorithm"] == WINDOW_ALGORITHM]
    assert len(windows) == len(STORED_WINDOWS) and all(min(h["data"]["box"]) >= 0 for h in windows)
    video = extractor.extract(media_dir / "scene.mp4", "video/mp4")
    assert len(video.hashes) >= 6 and all(h["t"] is not None for h in video.hashes)
    again = hash_video_file(media_dir / "scene.mp4", keyframe_windows=True)
    assert [h["hash"] for h in video.hashes] == [h["hash"] for h in again]  # deterministic
    # keyframes also keep their windows, with the keyframe's time (see windows.STORED_WINDOWS)
    keyframes = {h["t"] for h in video.hashes if h["algorithm"] == "pdq" and h["data"]["keyframe"]}
    framed = [h for h in video.hashes if h["algorithm"] == WINDOW_ALGORITHM]
    assert keyframes and len(framed) == len(keyframes) * len(STORED_WINDOWS)
    assert {h["t"] for h in framed} == keyframes
    assert len(hash_video_file(media_dir / "scene.mp4")) == len(video.hashes) - len(framed)
    assert all(h["data"]["version"].startswith("pdqhash") for h in video.hashes if h not in framed)
    assert all(h["data"]["version"] == WINDOW_VERSION for h in framed)
    broken = tmp_path / "broken.mp4"
    broken.write_bytes((media_dir / "scene.mp4").read_bytes()[:300])
    result = extractor.extract(broken, "video/mp4")
    assert result.hashes == [] and result.problems and "video" in result.problems[0]
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"\xff\xd8\xff not really a jpeg")
    assert extractor.extract(junk, "image/jpeg").problems


def test_letterboxed_copy_is_found_through_its_border_free_content(media_dir: Path) -> None:
    for name in ("coffee", "rocket"):  # rocket's flat sky is trimmed too, in source and copy alike
        rgb = np.asarray(Image.open(media_dir / f"{name}.jpg").convert("RGB"))
        boxed = np.zeros((rgb.shape[0] + 160, rgb.shape[1], 3), dtype=np.uint8)
        boxed[80 : 80 + rgb.shape[0]] = rgb
        plain = pdq.picture_entries(rgb, None, all_orientations=True)
        copy = pdq.picture_entries(boxed, None, all_orientations=True)
        assert len(copy) == 2 and copy[1]["data"]["variant"] == "deborder"
        assert pdq.distance(copy[0]["hash"], plain[0]["hash"]) > 31
        assert min(pdq.distance(c["hash"], p["hash"]) for c in copy[1:] for p in plain) <= 31
    coffee = np.asarray(Image.open(media_dir / "coffee.jpg").convert("RGB"))
    assert pdq.border_box(pdq.canonical(coffee)) is None
    boxed = np.zeros((coffee.shape[0] + 160, coffee.shape[1], 3), dtype=np.uint8)
    boxed[80 : 80 + coffee.shape[0]] = coffee
    top, bottom, _, _ = pdq.picture_entries(boxed, None, all_orientations=False)[1]["data"]["box"]
    assert abs(top - 80) <= 2 and abs(bottom - (80 + coffee.shape[0])) <= 2


def test_decompression_bomb_is_refused_without_decoding(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    Image.new("1", (20_000, 12_000)).save(bomb)  # 240 Mpixel, a few kB on disk
    result = PdqExtractor().extract(bomb, "image/png")
    assert result.hashes == [] and "decompression bomb" in result.problems[0]


def test_phone_video_stored_sideways_is_hashed_as_shown(tmp_path: Path) -> None:
    frames = samples.scene_frames(samples.photo("coffee"), 3.0, fps=25, size=(320, 240))
    upright = samples.write_video(tmp_path / "upright.mp4", frames)
    sideways = samples.write_video(
        tmp_path / "sideways.mp4",
        [np.ascontiguousarray(np.rot90(f, -1)) for f in frames],
        rotation=90,
    )
    shown = list(sample_frames(sideways))
    assert shown[0].rgb.shape[:2] == (240, 320)
    for a, b in zip(sample_frames(upright), shown, strict=True):
        assert pdq.distance(pdq.hash_rgb(a.rgb)[0], pdq.hash_rgb(b.rgb)[0]) <= 31


def test_all_eight_orientations_equal_pdqhash_of_the_turned_pixels(media_dir: Path) -> None:
    """The eight hashes come from one pair of matrix products; each must be the hash that the
    reference binding gives for the picture really turned (up to a coefficient that rounding
    moves across the median), with the binding's quality."""
    pictures = [
        pdq.canonical(np.asarray(Image.open(media_dir / "chelsea.jpg").convert("RGB"))),
        pdq.canonical(np.asarray(Image.open(media_dir / "camera.jpg").convert("RGB"))),
        np.random.default_rng(3).integers(0, 256, (171, 256, 3), dtype=np.uint8),
        np.random.default_rng(4).integers(0, 256, (256, 97, 3), dtype=np.uint8),
    ]
    for rgb in pictures:
        value, quality, variants = pdq.hash_rgb(rgb)
        expected_bits, expected_quality = pdqhash.compute(np.ascontiguousarray(rgb))
        assert value == variants[0]
        assert abs(quality - int(expected_quality)) <= 1
        for name, mine in zip(pdq.DIHEDRAL, variants, strict=True):
            turned = np.ascontiguousarray(pdq._ORIENT[name](rgb))
            assert pdq.distance(mine, pdq.to_hex(pdqhash.compute(turned)[0])) <= 2, name
        assert pdq.distance(value, pdq.to_hex(expected_bits)) <= 2
    # the turned hashes are not all alike: each orientation is a different picture to PDQ
    assert len(set(pdq.hash_rgb(pictures[0])[2])) == 8


def test_subset_of_orientations_and_tiny_pictures() -> None:
    rgb = np.random.default_rng(5).integers(0, 256, (120, 256, 3), dtype=np.uint8)
    _, _, every = pdq.hash_rgb(rgb)
    value, _, pair = pdq.hash_rgb(rgb, ("original", "mirror"))
    assert pair == [every[0], every[pdq.MIRROR]] and value == every[0]
    # a sliver the reference code does not hash (a side under 5 pixels): its zero hash, as before
    sliver = np.full((2, 256, 3), 128, dtype=np.uint8)
    value, quality, variants = pdq.hash_rgb(sliver)
    assert value == "0" * 64 and quality == 0 and len(variants) == 8


def test_border_rows_counted_from_histograms_equal_the_median_definition() -> None:
    rng = np.random.default_rng(6)
    for _ in range(200):
        rows, pixels = int(rng.integers(1, 40)), int(rng.integers(1, 90))
        level = int(rng.integers(0, 256))
        spread = int(rng.integers(1, 14))
        noisy = np.clip(level + rng.integers(-spread, spread + 1, (rows, pixels)), 0, 255)
        noisy[rng.random((rows, pixels)) < 0.05] = rng.integers(0, 256)
        lines = noisy.astype(np.int16)
        median = np.median(lines, axis=1, keepdims=True)
        expected = (np.abs(lines - median) <= pdq.BORDER_LEVELS).mean(axis=1) >= pdq.BORDER_SHARE
        assert np.array_equal(pdq._border_like(lines), expected)


def test_grey_levels_are_the_mean_of_the_channels_rounded_down() -> None:
    rng = np.random.default_rng(7)
    whole = rng.integers(0, 256, (48, 64, 3), dtype=np.uint8)
    whole[0] = 255  # the largest sum, 765, must not wrap
    edges = whole[:, [0, -1]].transpose(1, 0, 2)  # a strided view, as the edge test passes
    for pixels in (whole, edges, whole[[0, -1]]):
        expected = pixels.astype(np.int64).sum(axis=-1) // 3
        levels = pdq._grey_levels(pixels)
        assert levels.dtype == np.int16
        assert np.array_equal(levels, expected)
    assert np.array_equal(pdq._grey_levels(whole[:, :, 0]), whole[:, :, 0])


def test_reduced_decoding_keeps_the_hash_near_the_full_decode(tmp_path: Path) -> None:
    """Intake asks the JPEG decoder for a long side of at least 256 pixels (a phone photo at
    1/8): the picture is at least that big, and its hash stays near the one of the picture
    decoded at full size and shrunk by area."""
    photo = Image.fromarray(samples.photo("astronaut")).resize((1280, 960))
    photo.save(tmp_path / "big.jpg", quality=90)
    reduced = pdq.load_rgb(tmp_path / "big.jpg", least_side=pdq.CANONICAL_SIDE)
    assert pdq.CANONICAL_SIDE <= max(reduced.shape[:2]) < 2 * pdq.CANONICAL_SIDE
    full = np.asarray(Image.open(tmp_path / "big.jpg").convert("RGB"))
    assert pdq.distance(pdq.hash_rgb(reduced)[0], pdq.hash_rgb(full)[0]) <= 8
    # the picture's own shape is kept (no square decoding of a wide photo)
    assert reduced.shape[0] * 4 == reduced.shape[1] * 3


def test_a_jpegs_own_luma_hashes_as_its_decoded_colours_do(tmp_path: Path) -> None:
    """Intake asks a JPEG's decoder for its luma alone (no hash looks at colour): the grey
    picture is the luminance of the colour one to within rounding, and every hash made from
    it lands within a few bits of the same hash made from the colours."""
    photo = Image.fromarray(samples.photo("coffee")).resize((1280, 960))
    photo.save(tmp_path / "coffee.jpg", quality=90)
    colour = pdq.load_rgb(tmp_path / "coffee.jpg", least_side=pdq.CANONICAL_SIDE)
    grey = pdq.load_rgb(tmp_path / "coffee.jpg", least_side=pdq.CANONICAL_SIDE, grey=True)
    assert grey.ndim == 2 and grey.shape == colour.shape[:2]
    assert np.abs(grey - pdq._luma(colour)).max() <= 2
    mine = pdq.picture_entries(grey, None, all_orientations=True)
    theirs = pdq.picture_entries(colour, None, all_orientations=True)
    assert pdq.distance(mine[0]["hash"], theirs[0]["hash"]) <= 4
    for a, b in zip(mine[0]["data"]["dihedral"], theirs[0]["data"]["dihedral"], strict=True):
        assert pdq.distance(a, b) <= 4
    assert mine[0]["quality"] == theirs[0]["quality"]
    stored = stored_entries(pdq.canonical(grey))
    assert len(stored) == len(STORED_WINDOWS)
    for a, b in zip(stored, stored_entries(pdq.canonical(colour)), strict=True):
        assert a["data"]["box"] == b["data"]["box"] and pdq.distance(a["hash"], b["hash"]) <= 16


def test_grey_decoding_of_pictures_that_are_not_plain_jpegs(tmp_path: Path) -> None:
    # a CMYK JPEG keeps its mode when asked for luma and is converted; a PNG with transparency
    # is laid on white first, as in colour; a bordered picture's border is found in grey too
    rgb = samples.photo("rocket")
    Image.fromarray(rgb).convert("CMYK").save(tmp_path / "cmyk.jpg", quality=92)
    rgba = Image.fromarray(rgb).convert("RGBA")
    rgba.putalpha(0)
    rgba.save(tmp_path / "clear.png")
    cmyk = pdq.load_rgb(tmp_path / "cmyk.jpg", grey=True)
    in_colour = pdq.load_rgb(tmp_path / "cmyk.jpg")
    assert cmyk.ndim == 2 and cmyk.shape == in_colour.shape[:2]
    assert pdq.distance(pdq.hash_rgb(cmyk)[0], pdq.hash_rgb(in_colour)[0]) <= 4
    clear = pdq.load_rgb(tmp_path / "clear.png", grey=True)
    assert clear.ndim == 2 and int(clear.min()) == 255  # wholly transparent: white
    framed = np.full((300, 400), 0, dtype=np.uint8)
    framed[40:260] = np.asarray(Image.fromarray(rgb).convert("L").resize((400, 220)))
    assert pdq.border_box(framed) == pdq.border_box(np.repeat(framed[:, :, None], 3, axis=2))
    assert pdq.border_box(framed) is not None
    # a sliver too small to hash gives the reference code's zero hash in grey too
    assert pdq.hash_rgb(np.full((2, 256), 128, dtype=np.uint8))[0] == "0" * 64
