"""Recycled pictures: hashing stored items, the persisted index and `enquiry media match`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image
from sqlalchemy import func, select

from enquiry.cli import main
from enquiry.enrich import default_extractors
from enquiry.enrich.media import catalogue
from enquiry.enrich.media.align import Hit, align
from enquiry.enrich.media.catalogue import (
    earliest_evidence,
    item_entries,
    open_index,
    open_probe_index,
)
from enquiry.enrich.media.extractor import PdqExtractor
from enquiry.enrich.media.index import HammingIndex, Tiered, as_rows
from enquiry.enrich.media.points import ALGORITHM as POINT_ALGORITHM
from enquiry.enrich.media.windows import ALGORITHM as WINDOW_ALGORITHM
from enquiry.enrich.media.windows import STORED_WINDOWS
from enquiry.intake.pipeline import IntakeOptions, add_paths
from enquiry.store import open_store
from enquiry.store.tables import CustodyEvent, MediaHash


def _add(
    home: Path, paths: list[Path], fields: dict[str, str] | None = None, pdq: bool = True
) -> list[int]:
    store = open_store(home, "tester")
    extractors = [e for e in default_extractors() if not isinstance(e, PdqExtractor)]
    extractors += [PdqExtractor()] if pdq else []
    report = add_paths(
        store,
        paths,
        IntakeOptions(case="test", fields=fields or {}, progress=False, jobs=1),
        extractors,
    )
    ids = [r.item_id for r in report.results]
    assert all(i is not None for i in ids), report.results
    return [int(i) for i in ids if i is not None]


def _match(home: Path, target: str) -> list[dict]:
    result = CliRunner().invoke(main, ["--home", str(home), "media", "match", target, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["matches"]


def test_align_finds_the_shared_segment_and_ignores_stray_hits() -> None:
    hits = [
        Hit(item=7, query_t=float(q), match_t=float(q) + 2.0 + 0.3 * (q % 2), distance=10)
        for q in range(5)
    ]
    hits.append(Hit(item=7, query_t=1.0, match_t=40.0, distance=25))  # a flat frame elsewhere
    hits.append(Hit(item=8, query_t=None, match_t=None, distance=4))
    matches = align(hits, 31)
    by_item = {m.item: m for m in matches}
    seven = by_item[7]
    assert seven.segment == {"query": [0.0, 4.0], "match": [2.0, 6.0]}
    assert 2.0 <= (seven.offset_s or 0) <= 2.3 and len(seven.frames) == 5
    assert (1.0, 40.0) not in seven.frames
    assert by_item[8].frames == [(None, None)] and by_item[8].segment is None


def test_distant_hits_count_only_when_several_frames_line_up() -> None:
    weak = [Hit(item=5, query_t=float(q), match_t=float(q) + 10.0, distance=40) for q in range(3)]
    assert [m.item for m in align(weak, 31)] == [5]
    assert align(weak[:2], 31) == []
    scattered = [Hit(item=6, query_t=float(q), match_t=float(q * 7), distance=40) for q in range(4)]
    assert align(scattered, 31) == []
    one_strong = [*scattered, Hit(item=6, query_t=9.0, match_t=3.0, distance=20)]
    assert align(one_strong, 31)[0].frames == [(9.0, 3.0)]


def _flipped(row: np.ndarray, bits: int, seed: int) -> str:
    flat = np.unpackbits(row)
    flat[np.random.default_rng(seed).choice(256, bits, replace=False)] ^= 1
    return np.packbits(flat).tobytes().hex()


def test_a_photo_hit_in_the_last_bits_of_the_radius_needs_a_second_agreement() -> None:
    # Two stored photos; queries 20 and 30 bits from the first. At 30 bits (the last
    # UNSURE_BITS of the radius 31) a hit counts only when a window hit on the same item
    # backs it, or when the voucher names the item (keypoints agree; no windows to ask).
    rows = np.random.default_rng(1).integers(0, 256, (2, 32), dtype=np.uint8)
    index = HammingIndex(rows, np.arange(2), np.array([5, 6]), np.full(2, np.nan))
    near = [catalogue.QueryFrame(t=None, variants={"original": _flipped(rows[0], 20, 2)})]
    far = [catalogue.QueryFrame(t=None, variants={"original": _flipped(rows[0], 30, 3)})]
    nobody = lambda items: set()  # noqa: E731
    everyone = lambda items: set(items)  # noqa: E731
    window_hit = [Hit(item=5, query_t=None, match_t=None, distance=12, variant="window")]
    asked: list[set[int]] = []

    def found(frames: list[catalogue.QueryFrame], **options: object) -> list[int]:
        return [m.item for m in catalogue.find_matches(index, frames, **options)]  # type: ignore[arg-type]

    def noting(items: set[int]) -> set[int]:
        asked.append(items)
        return set()

    assert found(near, vouch=noting) == [5] and asked == []  # sure: nobody asked
    assert found(far) == [5]  # no check: every hit within the radius
    assert found(far, vouch=noting) == [] and asked == [{5}]
    assert found(far, vouch=everyone) == [5]
    assert found(far, vouch=nobody, extra=window_hit) == [5]


def test_a_single_window_pair_in_the_last_bits_of_the_radius_needs_a_second_agreement() -> None:
    # Stored photo 5 and 6; the query's whole picture is 30 bits from photo 5 and far from 6.
    rows = np.random.default_rng(2).integers(0, 256, (2, 32), dtype=np.uint8)
    index = HammingIndex(rows, np.arange(2), np.array([5, 6]), np.full(2, np.nan))
    far = [catalogue.QueryFrame(t=None, variants={"original": _flipped(rows[0], 30, 3)})]
    elsewhere = [catalogue.QueryFrame(t=None, variants={"original": _flipped(rows[1], 90, 4)})]

    def window(item: int, distance: int, query_t: float | None = None) -> Hit:
        return Hit(item=item, query_t=query_t, match_t=None, distance=distance, variant="window")

    def found(frames: list[catalogue.QueryFrame], extra: list[Hit]) -> list[int]:
        return sorted(
            m.item
            for m in catalogue.find_matches(index, frames, extra=extra, vouch=lambda items: set())
        )

    assert found(elsewhere, [window(6, 30)]) == []  # one pair at 30 bits: chance
    assert found(elsewhere, [window(6, 30), window(6, 31)]) == [6]  # two pairs agree
    assert found(elsewhere, [window(6, 27)]) == [6]  # one pair clear of the last bits
    assert found(far, [window(5, 30)]) == [5]  # the whole picture and a window pair agree
    assert found(far, [window(6, 30)]) == []  # ... about different photos: neither counts
    assert found(elsewhere, [window(6, 30, query_t=1.0)]) == [6]  # a video's frames: aligned
    assert catalogue.agreed([], [29, 30]) and not catalogue.agreed([30, 29], [])
    assert catalogue.agreed([28], []) and not catalogue.agreed([], [31])


def test_unsure_photos_are_vouched_for_by_their_keypoints_or_for_having_no_windows(
    home: Path, tmp_path: Path
) -> None:
    # The voucher `media match` gives find_matches, on a real catalogue and vault: a photo
    # whose keypoints agree with the query's counts; an unrelated one does not; one stored
    # before windows existed (its window rows gone) counts, having none to agree.
    from enquiry.app.media import _voucher
    from enquiry.enrich.media import samples

    paths = []
    for name in ("astronaut", "coffee", "rocket"):
        paths.append(tmp_path / f"{name}.png")
        Image.fromarray(samples.photo(name)).save(paths[-1])
    astronaut, coffee, rocket = _add(home, paths)
    store = open_store(home, "tester")
    with store.session() as session, session.begin():
        session.execute(
            MediaHash.__table__.delete().where(
                MediaHash.item_id == rocket, MediaHash.algorithm == WINDOW_ALGORITHM
            )
        )
    query = tmp_path / "copy.jpg"
    Image.open(paths[0]).convert("RGB").rotate(4, expand=False).save(query, quality=70)
    confirmed: dict = {}
    vouch = _voucher(store, query, confirmed)
    assert vouch({astronaut, coffee, rocket}) == {astronaut, rocket}
    assert set(confirmed) == {astronaut} and confirmed[astronaut].keypoints["inliers"] > 0


def test_the_catalogue_says_which_photos_have_windows(home: Path, tmp_path: Path) -> None:
    picture = tmp_path / "street.png"
    Image.fromarray(np.random.default_rng(4).integers(0, 256, (120, 160, 3), dtype=np.uint8)).save(
        picture
    )
    with_windows = _add(home, [picture])[0]
    store = open_store(home, "tester")
    assert catalogue.windowed_items(store)({with_windows, with_windows + 1000}) == {with_windows}


def test_earliest_evidence_picks_the_oldest_time_with_its_basis() -> None:
    meta = {
        "photo": {"taken_at": "2015-06-02T10:00:00", "offset": "+03:00"},
        "video": {"creation_time": "2016-01-01T00:00:00.000000Z"},
    }
    fields = {"collected_at": "2017-04-05T00:00:00Z", "first_seen": "2015-06-02T09:00:00Z"}
    assert earliest_evidence(fields, meta) == ("2015-06-02T10:00:00+03:00", "photo taken (EXIF)")
    assert earliest_evidence({"first_seen": "2014-01-01"}, {}) == ("2014-01-01", "first_seen field")
    assert earliest_evidence({"collected_at": "not a date"}, {}) is None


def test_photo_copies_match_with_earliest_and_distractors_do_not(
    home: Path, media_dir: Path, tmp_path: Path
) -> None:
    [astronaut] = _add(home, [media_dir / "astronaut.jpg"], {"first_seen": "2015-06-02T00:00:00Z"})
    _add(home, [media_dir / p for p in ("coffee.jpg", "chelsea.jpg", "camera.jpg")])
    image = Image.open(media_dir / "astronaut.jpg")
    w, h = image.size
    copy = (
        image.crop((0, 8, w - 6, h)).resize((300, 300)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    )
    copy.save(tmp_path / "repost.jpg", quality=45)
    matches = _match(home, str(tmp_path / "repost.jpg"))
    assert [m["item"] for m in matches] == [astronaut]
    assert matches[0]["distance"] <= 31 and "mirror" in matches[0]["variants"]
    assert matches[0]["earliest"] == "2015-06-02T00:00:00Z"
    assert (home / "index" / "pdq.npz").is_file()
    # ITEM form: the item itself is left out, so nothing else matches.
    assert _match(home, str(astronaut)) == []


def test_trimmed_reencoded_video_matches_its_source_with_the_overlap(
    home: Path, media_dir: Path
) -> None:
    ids = _add(home, [media_dir / "scene.mp4", media_dir / "other.mp4"])
    scene = ids[0]
    matches = _match(home, str(media_dir / "trimmed.mp4"))
    assert matches and matches[0]["item"] == scene
    assert all(m["item"] != ids[1] for m in matches)
    segment = matches[0]["segment"]
    # the copy is seconds 2–5 of the source: offset ≈ +2 s, overlap about 3 s long
    assert 1.0 <= matches[0]["offset_s"] <= 3.0
    assert segment["match"][0] >= 1.0 and segment["match"][1] <= 6.0
    assert segment["query"][1] - segment["query"][0] >= 1.5
    for query_t, match_t in matches[0]["frames"]:
        assert abs(match_t - query_t - matches[0]["offset_s"]) <= 1.0


def test_media_hash_rehashes_items_and_records_custody(
    backend: str, home: Path, media_dir: Path
) -> None:
    ids = _add(home, [media_dir / "coffee.jpg", media_dir / "scene.mp4"], pdq=False)
    store = open_store(home, "tester")
    runner = CliRunner()
    result = runner.invoke(main, ["--home", str(home), "media", "hash"])
    assert result.exit_code == 0, result.output
    assert "2 item(s) hashed" in result.output
    with store.session() as session:
        count = session.scalar(select(func.count(MediaHash.id)))
        events = session.scalars(select(CustodyEvent).where(CustodyEvent.action == "derived")).all()
    assert count is not None and count >= 7
    assert {e.item_id for e in events} == set(ids)
    assert all(json.loads(e.details)["algorithm"].startswith("pdqhash") for e in events)
    # Re-hashing replaces rows (the index is rebuilt to match) instead of adding duplicates.
    result = runner.invoke(main, ["--home", str(home), "media", "hash", str(ids[0])])
    assert result.exit_code == 0, result.output
    with store.session() as session:
        assert session.scalar(select(func.count(MediaHash.id))) == count
        whole = session.scalar(select(func.count(MediaHash.id)).where(MediaHash.algorithm == "pdq"))
    # the photo's windows and corners are indexed apart from whole pictures and video frames
    assert len(open_index(store)) == whole
    assert (
        len(open_index(store))
        + len(open_index(store, algorithm=WINDOW_ALGORITHM))
        + len(open_index(store, algorithm=POINT_ALGORITHM))
        == count
    )
    verify = runner.invoke(main, ["--home", str(home), "verify"])
    assert verify.exit_code == 0, verify.output


def test_match_refuses_bad_targets(home: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(
        main, ["--home", str(home), "media", "match", str(tmp_path / "nope.jpg")]
    )
    assert missing.exit_code != 0 and "no such file" in missing.output
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    wrong = runner.invoke(main, ["--home", str(home), "media", "match", str(text)])
    assert wrong.exit_code != 0 and "notes.txt" in wrong.output
    flat = tmp_path / "grey.png"
    Image.new("RGB", (300, 200), (128, 128, 128)).save(flat)
    featureless = runner.invoke(main, ["--home", str(home), "media", "match", str(flat)])
    assert featureless.exit_code != 0 and "too featureless" in featureless.output
    unknown = runner.invoke(main, ["--home", str(home), "media", "match", "12345"])
    assert unknown.exit_code != 0 and "no such item" in unknown.output


def test_index_follows_the_table(
    home: Path, media_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(home, [media_dir / "coffee.jpg"])
    store = open_store(home, "tester")
    first = open_index(store)
    open_probe_index(store, algorithm=WINDOW_ALGORITHM)
    _add(home, [media_dir / "rocket.jpg"])
    # A few hashes stored since the save: indexed apart, the saved index left as it was.
    second = open_index(store)
    with store.session() as session:
        whole = select(func.count(MediaHash.id)).where(MediaHash.algorithm == "pdq")
        assert len(second) == session.scalar(whole) > len(first)
    assert isinstance(second, Tiered) and np.array_equal(second.main.rows, first.rows)
    rocket = item_entries(store, 2)[0]["hash"]
    assert [m.item for m in second.search(rocket, 0)] == [2]
    windows = open_probe_index(store, algorithm=WINDOW_ALGORITHM)
    assert isinstance(windows, Tiered) and len(windows.recent) == len(STORED_WINDOWS)
    with store.session() as session:
        window = session.scalars(
            select(MediaHash.hash).where(
                MediaHash.item_id == 2, MediaHash.algorithm == WINDOW_ALGORITHM
            )
        ).first()
    assert window is not None
    _asked, positions, _ = windows.search_many(as_rows([window]), 0)
    assert {windows.match(int(p), 0).item for p in positions} == {2}
    # Once the new hashes are more than their share, the two are merged and saved.
    monkeypatch.setattr(catalogue, "RECENT_ROWS", 0)
    monkeypatch.setattr(catalogue, "RECENT_SHARE", 0.0)
    merged = open_index(store)
    assert isinstance(merged, HammingIndex) and len(merged) == len(second)
    assert isinstance(open_index(store), HammingIndex)  # saved: read back as one


def test_earliest_reads_exif_as_the_consistency_check_does() -> None:
    """EXIF's colon form is a time too, and an impossible offset is not applied."""
    later = {"first_seen": "2020-01-01T00:00:00Z"}
    colon = {"photo": {"taken_at": "2016:08:14 10:10:00", "offset": "+05:30"}}
    assert earliest_evidence(later, colon) == ("2016-08-14T10:10:00+05:30", "photo taken (EXIF)")
    odd = {"photo": {"taken_at": "2016-08-14T10:10:00", "offset": "+19:00"}}
    assert earliest_evidence(later, odd) == ("2016-08-14T10:10:00", "photo taken (EXIF)")
    sooner = {"first_seen": "2016-08-14T04:00:00Z"}  # 40 minutes before 10:10 at +05:30
    assert earliest_evidence(sooner, colon) == ("2016-08-14T04:00:00Z", "first_seen field")
