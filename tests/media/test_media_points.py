"""Corners in the index: the default `enquiry media match` finds crops no window lines up with."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from sqlalchemy import func, select
from test_media_match import _add, _match
from test_media_windows import _inset

from enquiry.enrich.media import points, samples
from enquiry.enrich.media.catalogue import open_probe_index, point_candidates
from enquiry.enrich.media.extractor import hash_file
from enquiry.store import open_store
from enquiry.store.tables import MediaHash


def _uneven(path: Path, out: Path, left: float, top: float, right: float, bottom: float) -> Path:
    """The photo with each side cut by a different share (no stored window is kept whole at
    an anchored place of the copy)."""
    image = Image.open(path)
    w, h = image.size
    box = (round(w * left), round(h * top), round(w * (1 - right)), round(h * (1 - bottom)))
    image.crop(box).save(out, quality=85)
    return out


def test_a_photo_stores_its_strongest_corners_and_a_query_asks_more(media_dir: Path) -> None:
    stored, _ = hash_file(media_dir / "astronaut.jpg", "image/jpeg")
    query, _ = hash_file(media_dir / "astronaut.jpg", "image/jpeg", query=True)
    kept = [e for e in stored if e["algorithm"] == points.ALGORITHM]
    asked = [e for e in query if e["algorithm"] == points.ALGORITHM]
    fine = [e for e in asked if e["data"].get("fine")]
    assert len(kept) == points.STORED
    assert len(asked) == points.QUERIED + points.QUERIED_FINE and len(fine) == points.QUERIED_FINE
    # the fine corners' places are given at the stored corners' size, like the others'
    assert max(max(e["data"]["at"]) for e in fine) <= 512
    assert max(max(e["data"]["at"]) for e in fine) > 400
    assert not any(e["data"].get("query") for e in kept)
    assert all(e["data"]["query"] for e in asked) and points.lookups(query)
    assert points.lookups(stored) == []  # stored corners are never looked up as a query's
    # the same picture: its strongest corner leads both; the stored ones are spread over the
    # picture (the strongest of each grid cell first), so a crop cannot cut them all away
    assert kept[0]["hash"] == asked[0]["hash"]
    cells = {
        (int(r * points.GRID // 512), int(c * points.GRID // 512))
        for r, c in (e["data"]["at"] for e in kept)
    }
    assert len(cells) >= 10
    near = [e["data"]["at"] for e in asked[: points.STORED]]
    assert len({(int(r * points.GRID // 512), int(c * points.GRID // 512)) for r, c in near}) < len(
        cells
    )
    assert all(len(bytes.fromhex(e["hash"])) == 32 for e in kept)
    # a flat picture has no corners, which is not a problem
    flat = Image.new("RGB", (320, 240), (90, 90, 90))
    assert points.point_entries(np.asarray(flat)) == []


def test_default_match_finds_uneven_crops_through_corners_not_other_photos(
    home: Path, media_dir: Path, tmp_path: Path
) -> None:
    names = ("astronaut", "coffee", "chelsea", "rocket", "camera")
    ids = dict(zip(names, _add(home, [media_dir / f"{n}.jpg" for n in names]), strict=True))
    store = open_store(home, "tester")
    with store.session() as session:
        rows = session.scalar(
            select(func.count(MediaHash.id)).where(MediaHash.algorithm == points.ALGORITHM)
        )
    assert rows == points.STORED * len(names)
    sides = {"astronaut": (0.2, 0.08, 0.0, 0.12), "chelsea": (0.05, 0.15, 0.18, 0.0)}
    for name, cut in sides.items():
        copy = _uneven(media_dir / f"{name}.jpg", tmp_path / f"{name}-cut.jpg", *cut)
        found = _match(home, str(copy))
        assert [m["item"] for m in found] == [ids[name]], (name, found)
        # found by the corners and decided by the keypoints, which say how
        assert found[0]["method"] == "keypoints"
        assert found[0]["keypoints"]["inliers"] >= 12
    # photographs not in the store, whole or cut unevenly, match nothing
    for other in ("coins", "moon"):
        picture = tmp_path / f"{other}.jpg"
        Image.fromarray(samples.photo(other)).convert("RGB").save(picture, quality=90)
        assert _match(home, str(picture)) == [], other
        cut = _uneven(picture, tmp_path / f"{other}-cut.jpg", 0.2, 0.08, 0.0, 0.12)
        assert _match(home, str(cut)) == [], other


def test_default_match_finds_a_half_size_inset_off_centre_by_its_fine_corners(
    home: Path, media_dir: Path, tmp_path: Path
) -> None:
    # A stored corner found on a fine level of the 512-pixel picture is finer, in a copy inset
    # at half size, than anything the query's own pyramid holds: only the query enlarged twice
    # has it. Before the query was described at that size too, the rocket below, inset at half
    # size off centre, shared one corner with its original: no candidate.
    names = ("astronaut", "coffee", "chelsea", "rocket", "camera")
    ids = dict(zip(names, _add(home, [media_dir / f"{n}.jpg" for n in names]), strict=True))
    copy = _inset(media_dir / "rocket.jpg", tmp_path / "rocket-inset.jpg", 0.5, 0.45, 0.1, 90)
    query, _ = hash_file(copy, "image/jpeg", query=True)
    coarse = [
        e["hash"] for e in query if e["algorithm"] == points.ALGORITHM and not e["data"].get("fine")
    ]
    index = open_probe_index(open_store(home, "tester"), algorithm=points.ALGORITHM)
    assert ids["rocket"] not in point_candidates(index, coarse)
    found = _match(home, str(copy))
    assert [m["item"] for m in found] == [ids["rocket"]], found
    assert found[0]["method"] == "keypoints"
    # the geometry tells the inset's size: the query's picture is twice the stored one's
    assert 1.8 < found[0]["keypoints"]["scale"] < 2.2
    # a picture not in the store, inset the same way, matches nothing
    moon = tmp_path / "moon.jpg"
    Image.fromarray(samples.photo("moon")).convert("RGB").save(moon, quality=90)
    assert _match(home, str(_inset(moon, tmp_path / "moon-inset.jpg", 0.5, 0.45, 0.1, 90))) == []


def test_candidates_need_two_corners_and_leave_out_the_query_item(
    home: Path, media_dir: Path
) -> None:
    [astronaut] = _add(home, [media_dir / "astronaut.jpg"])
    store = open_store(home, "tester")
    index = open_probe_index(store, algorithm=points.ALGORITHM)
    stored, _ = hash_file(media_dir / "astronaut.jpg", "image/jpeg")
    corners = [e["hash"] for e in stored if e["algorithm"] == points.ALGORITHM]
    assert point_candidates(index, corners[:2]) == [astronaut]
    assert point_candidates(index, corners[:1]) == []  # one corner alone is chance
    assert point_candidates(index, corners, exclude=astronaut) == []
    assert point_candidates(index, []) == []


def test_a_stored_crop_asked_about_finds_its_original_by_corners(
    home: Path, media_dir: Path, tmp_path: Path
) -> None:
    cut = _uneven(media_dir / "rocket.jpg", tmp_path / "rocket-cut.jpg", 0.12, 0.04, 0.0, 0.08)
    rocket, _coffee, copy = _add(home, [media_dir / "rocket.jpg", media_dir / "coffee.jpg", cut])
    found = _match(home, str(copy))
    assert [m["item"] for m in found] == [rocket]
    assert found[0]["method"] == "keypoints"


def test_query_corners_are_the_features_the_keypoints_compare(media_dir: Path) -> None:
    query, _ = hash_file(media_dir / "camera.jpg", "image/jpeg", query=True)
    features = points.query_features(query)
    corners = [e for e in query if e["algorithm"] == points.ALGORITHM]
    assert features.descriptors.shape == (len(corners), 256)
    assert features.keypoints.shape == (len(corners), 2)
    first = np.packbits(features.descriptors[0]).tobytes().hex()
    assert first == corners[0]["hash"]
    assert features.keypoints[0].tolist() == corners[0]["data"]["at"]
    # stored corners are not a query's, and a query without corners has no features
    stored, _ = hash_file(media_dir / "camera.jpg", "image/jpeg")
    assert len(points.query_features(stored).descriptors) == 0
