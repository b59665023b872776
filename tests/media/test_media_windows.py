"""Photo windows: the default `enquiry media match` finds crops, caption banners and logos."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image, ImageDraw, ImageFilter
from sqlalchemy import delete, func, select
from test_media_match import _add, _match

from enquiry.cli import main
from enquiry.enrich.media import samples
from enquiry.enrich.media.catalogue import (
    find_matches,
    open_index,
    open_probe_index,
    query_frames,
    window_hits,
)
from enquiry.enrich.media.extractor import hash_file
from enquiry.enrich.media.pdq import canonical, distance
from enquiry.enrich.media.points import ALGORITHM as POINT_ALGORITHM
from enquiry.enrich.media.points import STORED as STORED_POINTS
from enquiry.enrich.media.windows import ALGORITHM as WINDOW_ALGORITHM
from enquiry.enrich.media.windows import (
    INSET_BOXES,
    QUERY_WINDOWS,
    ROTATED_WINDOWS,
    ROTATIONS,
    STORED_WINDOWS,
    inset_boxes,
    lookups,
    query_entries,
    rotated_hashes,
    stored_boxes,
    stored_entries,
)
from enquiry.store import open_store
from enquiry.store.tables import MediaHash


def _crop(path: Path, out: Path, fraction: float, corner: bool) -> Path:
    """The photo with ``fraction`` of its area cut away: from the left and bottom, or evenly."""
    image = Image.open(path)
    keep = (1 - fraction) ** 0.5
    w, h = round(image.width * keep), round(image.height * keep)
    x, y = (image.width - w, 0) if corner else ((image.width - w) // 2, (image.height - h) // 2)
    image.crop((x, y, x + w, y + h)).save(out, quality=85)
    return out


def _banner(path: Path, out: Path) -> Path:
    """A news-style caption banner over the bottom seventh of the photo."""
    image = Image.open(path).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, image.height * 6 // 7, image.width, image.height), fill=(180, 0, 0))
    draw.text((10, image.height * 6 // 7 + 10), "BREAKING: footage from today", fill="white")
    image.save(out, quality=85)
    return out


def _window_rows(home: Path) -> int:
    store = open_store(home, "tester")
    with store.session() as session:
        count = session.scalar(
            select(func.count(MediaHash.id)).where(MediaHash.algorithm == WINDOW_ALGORITHM)
        )
    return int(count or 0)


def test_windows_cover_the_picture_inside_its_bounds() -> None:
    assert stored_boxes() == STORED_WINDOWS and len(STORED_WINDOWS) == 24
    assert STORED_WINDOWS[0] == QUERY_WINDOWS[0] == (0.0, 0.0, 1.0, 1.0)  # the whole picture
    for left, top, right, bottom in STORED_WINDOWS + QUERY_WINDOWS:
        assert 0 <= left < right <= 1 and 0 <= top < bottom <= 1


def test_default_match_finds_crops_and_banners_not_other_photos(
    home: Path, media_dir: Path, tmp_path: Path
) -> None:
    ids = _add(home, [media_dir / f"{n}.jpg" for n in ("astronaut", "coffee", "chelsea", "camera")])
    astronaut, coffee = ids[0], ids[1]
    for query, expected in (
        (_crop(media_dir / "astronaut.jpg", tmp_path / "corner.jpg", 0.2, corner=True), astronaut),
        (_crop(media_dir / "astronaut.jpg", tmp_path / "centre.jpg", 0.2, corner=False), astronaut),
        (_banner(media_dir / "coffee.jpg", tmp_path / "banner.jpg"), coffee),
    ):
        matches = _match(home, str(query))
        assert [m["item"] for m in matches] == [expected], query.name
        # found through the windows: a whole-picture hash is too far from these copies
        assert any("window" in v for v in matches[0]["variants"]), matches[0]
    # a photo that is not in the store, whole or cut, matches nothing
    assert _match(home, str(media_dir / "rocket.jpg")) == []
    assert _match(home, str(_crop(media_dir / "rocket.jpg", tmp_path / "r.jpg", 0.2, True))) == []


def test_photos_hashed_before_windows_still_match_and_media_hash_adds_them(
    home: Path, media_dir: Path, tmp_path: Path
) -> None:
    [astronaut] = _add(home, [media_dir / "astronaut.jpg"])
    _add(home, [media_dir / "coffee.jpg"])
    store = open_store(home, "tester")
    with store.engine.begin() as conn:  # a home hashed before windows and corners were stored
        conn.execute(
            delete(MediaHash).where(MediaHash.algorithm.in_([WINDOW_ALGORITHM, POINT_ALGORITHM]))
        )
    assert _window_rows(home) == 0
    copy = tmp_path / "copy.jpg"
    Image.open(media_dir / "astronaut.jpg").resize((300, 300)).save(copy, quality=50)
    assert [m["item"] for m in _match(home, str(copy))] == [astronaut]
    crop = _crop(media_dir / "astronaut.jpg", tmp_path / "crop.jpg", 0.2, corner=True)
    assert _match(home, str(crop)) == []
    # `media hash` with no item hashes again the photos that have no windows yet
    result = CliRunner().invoke(main, ["--home", str(home), "media", "hash"])
    assert result.exit_code == 0, result.output
    assert "2 item(s) hashed" in result.output
    assert _window_rows(home) == 2 * len(STORED_WINDOWS)
    with store.session() as session:
        corners = session.scalar(
            select(func.count(MediaHash.id)).where(MediaHash.algorithm == POINT_ALGORITHM)
        )
    assert corners == 2 * STORED_POINTS
    assert [m["item"] for m in _match(home, str(crop))] == [astronaut]


def _inset(path: Path, out: Path, share: float, x: float, y: float, quality: int = 85) -> Path:
    """The photo at ``share`` of each side, pasted at (x, y) over a blurred, flipped copy of
    itself (picture-in-picture off centre), saved as JPEG at ``quality``."""
    image = Image.open(path).convert("RGB")
    canvas = image.transpose(Image.Transpose.FLIP_TOP_BOTTOM).filter(ImageFilter.GaussianBlur(8))
    small = image.resize((round(image.width * share), round(image.height * share)))
    canvas.paste(small, (round(image.width * x), round(image.height * y)))
    canvas.save(out, quality=quality)
    return out


def _logo(path: Path, out: Path) -> Path:
    """A broadcaster's logo over the top right corner."""
    image = Image.open(path).convert("RGB")
    side = image.width // 5
    logo = Image.fromarray(samples.photo_rgba("logo")).resize((side, side))
    image.paste(logo, (image.width - side - 8, 8), logo)
    image.save(out, quality=85)
    return out


def test_default_match_finds_logo_inset_and_stills_of_footage_not_other_pictures(
    home: Path, media_dir: Path, tmp_path: Path
) -> None:
    names = ("astronaut", "chelsea", "camera", "rocket")
    ids = dict(zip(names, _add(home, [media_dir / f"{n}.jpg" for n in names]), strict=True))
    scene, other = _add(home, [media_dir / "scene.mp4", media_dir / "other.mp4"])
    # a still of the footage (its first keyframe), cropped by a fifth of its area
    frame = samples.scene_frames(samples.photo("coffee"), 6.0, fps=25, size=(320, 240))[0]
    still = tmp_path / "still.png"
    Image.fromarray(frame).save(still)
    cropped_still = _crop(still, tmp_path / "still-crop.jpg", 0.2, corner=True)
    for query, expected in (
        (_banner(media_dir / "astronaut.jpg", tmp_path / "banner.jpg"), ids["astronaut"]),
        (_logo(media_dir / "chelsea.jpg", tmp_path / "logo.jpg"), ids["chelsea"]),
        (_inset(media_dir / "camera.jpg", tmp_path / "inset.jpg", 0.5, 0.45, 0.1), ids["camera"]),
        (cropped_still, scene),
    ):
        matches = _match(home, str(query))
        assert [m["item"] for m in matches] == [expected], (query.name, matches)
        assert "window" in matches[0]["variants"]
    # the still is placed in the footage: the keyframe it came from, at 0 s
    assert [pair[1] for pair in _match(home, str(cropped_still))[0]["frames"]] == [0.0]
    # pictures not in the store, whole, cut or inset, match nothing
    for name in ("moon", "hubble_deep_field", "brick"):
        Image.fromarray(samples.photo(name)).save(tmp_path / f"{name}.jpg", quality=90)
        assert _match(home, str(tmp_path / f"{name}.jpg")) == [], name
        inset = _inset(tmp_path / f"{name}.jpg", tmp_path / f"{name}-inset.jpg", 0.5, 0.45, 0.1)
        assert _match(home, str(inset)) == [], name
    assert other not in {m["item"] for m in _match(home, str(cropped_still))}


def _turn(path: Path, out: Path, degrees: float) -> Path:
    """The photo turned counter-clockwise on its own canvas (black corners), as a scan or a
    straightened repost is."""
    image = Image.open(path).convert("RGB")
    image.rotate(degrees, resample=Image.Resampling.BICUBIC).save(out, quality=85)
    return out


def test_inset_sides_are_found_among_detail_and_the_boxes_are_capped() -> None:
    """An inset off centre over a busy picture: rows and columns of detail have edges along
    much of the picture too, and ranking boundaries by their share of the whole line left the
    inset's sides out (astronaut, coins). Ranked by their densest stretch, they are in, and the
    inset's box is found to the pixel of the 256-pixel copy; a plain picture gives no box."""
    for name, share, x, y in (("astronaut", 0.5, 0.45, 0.1), ("coins", 0.5, 0.45, 0.1)):
        image = Image.fromarray(samples.photo(name)).convert("RGB")
        canvas = image.transpose(Image.Transpose.FLIP_TOP_BOTTOM).filter(
            ImageFilter.GaussianBlur(8)
        )
        small = image.resize((round(image.width * share), round(image.height * share)))
        canvas.paste(small, (round(image.width * x), round(image.height * y)))
        boxes = inset_boxes(np.asarray(canvas))
        assert 0 < len(boxes) <= INSET_BOXES, name
        want = (x, y, x + share, y + share)
        assert any(
            max(abs(a - b) for a, b in zip(box, want, strict=True)) <= 1 / 200 for box in boxes
        ), (
            name,
            boxes[:5],
        )
        plain = inset_boxes(samples.photo(name))
        assert not any(
            max(abs(a - b) for a, b in zip(box, want, strict=True)) <= 0.02 for box in plain
        )


def test_turned_back_windows_follow_pillows_turn_and_are_never_stored() -> None:
    photo = samples.photo("chelsea")
    small = canonical(photo)
    stored = {tuple(e["data"]["box"]): e["hash"] for e in stored_entries(small)}
    turned = canonical(np.asarray(Image.fromarray(photo).rotate(4.5, Image.Resampling.BICUBIC)))
    found = rotated_hashes(turned)
    assert len(found) == len(ROTATIONS) * len(ROTATED_WINDOWS) == 30
    # turned back by the copy's own angle, the centre windows are close to the stored ones; by
    # the opposite angle (the wrong way) they are as far as an unrelated picture's
    for angle, box, value, _ in found:
        if angle == 4.5:
            assert distance(value, stored[box]) <= 12, box
        if angle == -4.5:
            assert distance(value, stored[box]) > 60, box
    entries = query_entries(np.asarray(turned))
    marked = [e for e in entries if "rotation" in e["data"]]
    assert len(marked) == 30 and all(e["data"]["query"] for e in marked)
    assert not any("rotation" in e["data"] or "query" in e["data"] for e in stored_entries(small))
    # a picture one pixel high is turned without error (its windows are featureless)
    assert len(rotated_hashes(np.zeros((1, 300, 3), np.uint8))) == 30


def test_default_match_finds_turned_copies_not_other_photos(
    home: Path, media_dir: Path, tmp_path: Path
) -> None:
    names = ("astronaut", "coffee", "chelsea", "camera")
    ids = dict(zip(names, _add(home, [media_dir / f"{n}.jpg" for n in names]), strict=True))
    store = open_store(home, "tester")
    window_index = open_probe_index(store, algorithm=WINDOW_ALGORITHM)
    for name, degrees in (("astronaut", 5.0), ("coffee", -5.5), ("chelsea", 6.8)):
        query = _turn(media_dir / f"{name}.jpg", tmp_path / f"{name}-turned.jpg", degrees)
        matches = _match(home, str(query))
        assert [m["item"] for m in matches] == [ids[name]], (name, matches)
        assert "window" in matches[0]["variants"]
        # the turned-back windows found it: the whole picture's hashes and the upright windows
        # are too far from a copy turned this much
        entries, _ = hash_file(query, "image/jpeg", query=True)
        upright = [e for e in entries if "rotation" not in (e.get("data") or {})]
        assert find_matches(open_index(store), query_frames(entries)) == []
        assert window_hits(window_index, lookups(upright)) == []
        assert {h.item for h in window_hits(window_index, lookups(entries))} == {ids[name]}
    # photos not in the store, turned or not, match nothing
    for name in ("rocket", "moon", "brick"):
        Image.fromarray(samples.photo(name)).save(tmp_path / f"{name}.jpg", quality=90)
        for degrees in (0.0, 3.0, -6.0):
            query = _turn(tmp_path / f"{name}.jpg", tmp_path / f"{name}-{degrees}.jpg", degrees)
            assert _match(home, str(query)) == [], (name, degrees)
