"""The exact Hamming-radius index against brute force."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from enquiry.enrich.media.index import HammingIndex, ProbeIndex, Tiered, as_rows, brute_force


def _near(rng: np.random.Generator, row: np.ndarray, flips: int) -> np.ndarray:
    bits = np.unpackbits(row)
    bits[rng.choice(256, flips, replace=False)] ^= 1
    return np.packbits(bits)


def _corpus(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    # clusters of near-duplicates, as re-uploads and neighbouring video frames make
    for centre in range(0, n // 2, 50):
        for k in range(1, 10):
            rows[centre + k] = _near(rng, rows[centre], int(rng.integers(0, 40)))
    return rows


@pytest.mark.parametrize("radius", [0, 5, 15, 16, 31, 32, 47, 70])
def test_index_returns_exactly_brute_force(radius: int) -> None:
    rows = _corpus(5000)
    n = len(rows)
    index = HammingIndex(rows, np.arange(n), np.arange(n) // 3, np.full(n, np.nan))
    rng = np.random.default_rng(radius)
    for _ in range(40):
        query = _near(rng, rows[rng.integers(n)], int(rng.integers(0, radius + 10)))
        got = index.search_positions(query, radius)
        expected = brute_force(rows, query, radius)
        assert np.array_equal(got[0], expected[0]) and np.array_equal(got[1], expected[1])


def test_search_reports_payload_nearest_first_and_persists(tmp_path: Path) -> None:
    rows = _corpus(500)
    index = HammingIndex(rows, np.arange(500) + 1000, np.arange(500) // 10, np.arange(500) * 0.5)
    found = index.search(rows[50].tobytes().hex(), 31)
    assert found[0].key == 1050 and found[0].distance == 0 and found[0].item == 5
    assert found[0].t == 25.0
    assert [m.distance for m in found] == sorted(m.distance for m in found)
    assert len(found) >= 2  # its cluster
    index.save(tmp_path, {"count": 500, "max_id": 1499})
    loaded = HammingIndex.load(tmp_path)
    assert loaded is not None and loaded[1]["max_id"] == 1499
    assert [(m.key, m.distance) for m in loaded[0].search(rows[50], 31)] == [
        (m.key, m.distance) for m in found
    ]
    bigger = index.extended(rows[:1], np.array([9999]), np.array([77]), np.array([np.nan]))
    assert {m.key for m in bigger.search(rows[0], 0)} == {1000, 9999}


def test_bad_input_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        as_rows(["abc"])
    empty = HammingIndex.empty()
    assert empty.search("00" * 32) == []
    assert HammingIndex.load(tmp_path) is None
    (tmp_path / "pdq.json").write_text("{broken")
    assert HammingIndex.load(tmp_path) is None


# --- the probed window index ---------------------------------------------------------------------


def _probe(rows: np.ndarray) -> ProbeIndex:
    n = len(rows)
    return ProbeIndex(rows, np.arange(n) + 10, np.arange(n) // 4, np.full(n, np.nan))


def test_probe_index_finds_a_subset_of_brute_force_and_all_within_7_bits() -> None:
    rows = _corpus(6000, seed=3)
    index = _probe(rows)
    rng = np.random.default_rng(7)
    queries = np.array(
        [_near(rng, rows[rng.integers(len(rows))], int(rng.integers(0, 36))) for _ in range(300)]
    )
    asked, positions, distances = index.search_many(queries, 31)
    found = expected = 0
    for i, query in enumerate(queries):
        want, want_dist = brute_force(rows, query, 31)
        mine = dict(
            zip(positions[asked == i].tolist(), distances[asked == i].tolist(), strict=True)
        )
        truth = dict(zip(want.tolist(), want_dist.tolist(), strict=True))
        assert all(truth.get(p) == d for p, d in mine.items())  # no false hit, true distance
        assert {p for p, d in truth.items() if d <= 7} <= set(mine)  # pigeonhole: exact to 7
        found, expected = found + len(mine), expected + len(truth)
    # beyond 7 bits a pair is found when one of its 16 keys is intact: most are
    assert expected > 300 and found >= 0.9 * expected
    # a hash found through several of its keys is reported once, in order of query, position
    pairs = list(zip(asked.tolist(), positions.tolist(), strict=True))
    assert pairs == sorted(set(pairs))
    # one query at a time gives the same as the batch
    single = index.search(queries[5], 31)
    assert sorted(m.key - 10 for m in single) == sorted(positions[asked == 5].tolist())


def test_probe_index_skips_stop_words_but_still_finds_through_other_keys() -> None:
    rng = np.random.default_rng(1)
    rows = rng.integers(0, 256, (5000, 32), dtype=np.uint8)
    rows[:3000, :6] = 0  # a flat region: 3,000 hashes share their first keys
    index = _probe(rows)
    asked, positions, _ = index.search_many(rows[[10, 4000]], 0)
    assert positions.tolist() == [10, 4000] and asked.tolist() == [0, 1]


def test_probe_index_is_saved_and_loaded_memory_mapped(tmp_path: Path) -> None:
    rows = _corpus(3000, seed=5)
    times = np.where(np.arange(3000) % 2 == 0, np.nan, np.arange(3000) * 0.5)
    index = ProbeIndex(rows, np.arange(3000), np.arange(3000) // 3, times)
    index.save(tmp_path, {"count": 3000, "max_id": 2999}, "w")
    loaded = ProbeIndex.load(tmp_path, "w")
    assert loaded is not None and loaded[1]["max_id"] == 2999
    again = loaded[0]
    assert isinstance(again.rows, np.memmap) and isinstance(again._order, np.memmap)
    for a, b in zip(
        index.search_many(rows[:50], 31), again.search_many(rows[:50], 31), strict=True
    ):
        assert np.array_equal(a, b)
    assert again.search(rows[3], 0)[0].t == 1.5 and again.search(rows[2], 0)[0].t is None
    bigger = again.extended(rows[:1], np.array([9999]), np.array([77]), np.array([np.nan]))
    assert {m.key for m in bigger.search(rows[0], 0)} == {0, 9999}
    # saved again: one generation folder, the earlier one removed once the stamp names the new
    first = json.loads((tmp_path / "w.json").read_text())["generation"]
    bigger.save(tmp_path, {"count": 3001, "max_id": 9999}, "w")
    second = json.loads((tmp_path / "w.json").read_text())["generation"]
    assert second != first and not (tmp_path / first).exists()
    reloaded = ProbeIndex.load(tmp_path, "w")
    assert reloaded is not None and len(reloaded[0]) == 3001
    # a stamp naming anything but a generation folder beside it: no index
    stamp = json.loads((tmp_path / "w.json").read_text())
    for hostile in ("../w." + "0" * 32, "/tmp", "x." + "0" * 32):
        (tmp_path / "w.json").write_text(json.dumps({**stamp, "generation": hostile}))
        assert ProbeIndex.load(tmp_path, "w") is None
    (tmp_path / "w.json").write_text(json.dumps(stamp))
    # a part missing or of another length: no index (it is rebuilt from the table)
    (tmp_path / second / "items.npy").unlink()
    assert ProbeIndex.load(tmp_path, "w") is None
    np.save(tmp_path / second / "items.npy", np.arange(10))
    assert ProbeIndex.load(tmp_path, "w") is None
    assert ProbeIndex.load(tmp_path, "absent") is None
    assert ProbeIndex.empty().search("00" * 32) == []


def test_a_saved_index_and_the_hashes_since_answer_as_one() -> None:
    rows = _corpus(6000, seed=5)
    n = len(rows)
    keys, items, times = np.arange(n) + 10, np.arange(n) // 4, np.full(n, np.nan)
    whole = HammingIndex(rows, keys, items, times)
    saved = HammingIndex(rows[:5500], keys[:5500], items[:5500], times[:5500])
    since = HammingIndex(rows[5500:], keys[5500:], items[5500:], times[5500:])
    tiered = Tiered(saved, since)
    assert len(tiered) == n
    rng = np.random.default_rng(11)
    for _ in range(30):
        query = _near(rng, rows[rng.integers(n)], int(rng.integers(0, 30)))
        got = [(m.key, m.distance) for m in tiered.search(query, 31)]
        assert sorted(got) == sorted((m.key, m.distance) for m in whole.search(query, 31))
        assert [d for _k, d in got] == sorted(d for _k, d in got)  # nearest first
    probed = Tiered(
        _probe(rows[:5500]), ProbeIndex(rows[5500:], keys[5500:], items[5500:], times[5500:])
    )
    queries = np.array([_near(rng, rows[i], 3) for i in (1, 5600, 5999)])
    asked, positions, distances = probed.search_many(queries, 7)
    for i, query in enumerate(queries):
        want, want_dist = brute_force(rows, query, 7)  # exact to 7 bits
        mine = sorted(
            (probed.match(int(p), int(d)).key - 10, int(d))
            for p, d in zip(positions[asked == i], distances[asked == i], strict=True)
        )
        assert mine == sorted(zip(want.tolist(), want_dist.tolist(), strict=True))
