"""Keypoint comparison: the second look that finds crops, small rotations and captioned copies."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image

from enquiry.cli import main
from enquiry.enrich import default_extractors
from enquiry.enrich.media import keypoints, samples
from enquiry.intake.pipeline import IntakeOptions, add_paths
from enquiry.store import open_store


def test_crop_and_rotation_agree_and_other_photos_do_not(tmp_path: Path) -> None:
    astronaut = samples.photo("astronaut")
    copy = np.asarray(Image.fromarray(astronaut).crop((60, 0, 512, 450)).rotate(4))
    found = keypoints.compare(keypoints.features(copy), keypoints.features(astronaut))
    assert found is not None and found.inliers >= 3 * keypoints.MIN_INLIERS
    assert abs(abs(found.rotation_deg) - 4) <= 0.5
    assert abs(found.scale - 452 / 512) <= 0.03
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no transform found is an answer, not a warning
        for other in ("coffee", "rocket", "camera"):
            assert (
                keypoints.compare(
                    keypoints.features(copy), keypoints.features(samples.photo(other))
                )
                is None
            )
    assert len(keypoints.features(np.full((64, 64, 3), 128, np.uint8)).descriptors) == 0
    flat = keypoints.features(np.full((200, 200, 3), 128, dtype=np.uint8))
    assert (
        len(flat.descriptors) == 0
        and keypoints.compare(flat, keypoints.features(astronaut)) is None
    )
    saved = tmp_path / "f.npz"
    keypoints.features(astronaut).save(saved)
    loaded = keypoints.Features.load(saved)
    assert loaded is not None and keypoints.compare(keypoints.features(copy), loaded) == found


def test_descriptor_matching_gives_scikit_images_pairs() -> None:
    # The matrix-product matcher must pick exactly the pairs scikit-image's cross-checked ratio
    # test picks (what --deep and the corners' check decided with before), ties included.
    from skimage.feature import match_descriptors

    names = ("astronaut", "coffee", "rocket", "text", "brick")
    whole = {n: keypoints.features(samples.photo(n)).descriptors for n in names}
    cut = {
        n: keypoints.features(np.ascontiguousarray(samples.photo(n)[30:-20, 25:])).descriptors
        for n in names
    }
    matched = 0
    for a in names:
        for b in names:
            want = match_descriptors(cut[a], whole[b], cross_check=True, max_ratio=0.8)
            got = keypoints.match_descriptors(cut[a], whole[b])
            assert np.array_equal(got, want), (a, b)
            matched += len(got)
    assert matched > 5 * 100  # the crops do match their originals
    rng = np.random.default_rng(5)
    for _ in range(30):
        first = rng.random((int(rng.integers(1, 40)), 256)) < 0.5
        second = rng.random((int(rng.integers(1, 40)), 256)) < 0.5
        second[: len(first) // 2] = first[: len(second)][: len(first) // 2]  # exact twins
        second = np.concatenate([second, second[:3]])  # and ties for the nearest
        want = match_descriptors(first, second, cross_check=True, max_ratio=0.8)
        assert np.array_equal(keypoints.match_descriptors(first, second), want)
    none = np.zeros((0, 256), dtype=bool)
    assert keypoints.match_descriptors(none, whole["coffee"]).shape == (0, 2)


def test_match_deep_finds_a_cropped_captioned_copy(
    home: Path, media_dir: Path, tmp_path: Path
) -> None:
    store = open_store(home, "tester")
    paths = [media_dir / n for n in ("chelsea.jpg", "coffee.jpg", "rocket.jpg")]
    report = add_paths(
        store, paths, IntakeOptions(case="test", progress=False, jobs=1), default_extractors()
    )
    chelsea = report.results[0].item_id
    image = Image.open(media_dir / "chelsea.jpg")
    w, h = image.size
    copy = image.crop((int(w * 0.18), 0, w, int(h * 0.88))).rotate(3).convert("RGB")
    copy.paste((200, 0, 0), (0, copy.height - 30, copy.width, copy.height))  # a banner
    copy.save(tmp_path / "cropped.jpg", quality=60)
    runner = CliRunner()
    plain = runner.invoke(
        main, ["--home", str(home), "media", "match", str(tmp_path / "cropped.jpg"), "--json"]
    )
    # beyond what PDQ and the windows can see; the default finds it through its strongest
    # corners (see points.py), comparing keypoints with that one candidate only
    assert plain.exit_code == 0, plain.output
    assert [m["item"] for m in json.loads(plain.output)["matches"]] == [chelsea]
    assert json.loads(plain.output)["matches"][0]["method"] == "keypoints"
    assert len(list((home / "index" / "orb").glob("*.npz"))) == 1
    deep = runner.invoke(
        main,
        ["--home", str(home), "media", "match", str(tmp_path / "cropped.jpg"), "--deep", "--json"],
    )
    assert deep.exit_code == 0, deep.output
    matches = json.loads(deep.output)["matches"]
    assert [m["item"] for m in matches] == [chelsea]
    assert matches[0]["method"] == "keypoints" and matches[0]["distance"] is None
    assert matches[0]["keypoints"]["inliers"] >= keypoints.MIN_INLIERS
    assert len(list((home / "index" / "orb").glob("*.npz"))) == 3  # features cached
