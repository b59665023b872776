"""The exact Hamming-radius index against brute force."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from enquiry.enrich.media.index import HammingIndex, as_rows, brute_force


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
        (m.key, m.distance) for m in found]
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
