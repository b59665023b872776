"""Near-duplicate index: query time of enquiry's multi-index hashing against numpy brute force,
on the same hashes and queries, asserting identical results for every query.

    .venv/bin/python benchmarks/media_index.py [--sizes 100000 1000000] [--queries 500]

The hashes imitate an archive: mostly unrelated pictures (random 256-bit hashes), plus clusters
of near-duplicates (re-uploads of one picture, 0–40 bits apart) and runs of video frames that
drift a few bits from one sample to the next. Half the queries are altered copies of stored
hashes (0–40 bits flipped), half are new pictures.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from enquiry.enrich.media.index import DEFAULT_RADIUS, HammingIndex, brute_force


def _flip(rng: np.random.Generator, rows: np.ndarray, max_bits: int) -> np.ndarray:
    """Each row with a random number (0..max_bits) of its bits flipped."""
    bits = np.unpackbits(rows, axis=1)
    counts = rng.integers(0, max_bits + 1, len(rows))
    scores = rng.random(bits.shape)
    threshold = np.sort(scores, axis=1)[np.arange(len(rows)), np.maximum(counts - 1, 0)]
    mask = (scores <= threshold[:, None]) & (counts[:, None] > 0)
    return np.packbits(bits ^ mask, axis=1)


def archive(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    chunk = 50_000
    # 20 %: clusters of 10 re-uploads around a picture
    cluster_end = n // 5
    for start in range(0, cluster_end, chunk):
        stop = min(start + chunk, cluster_end)
        centres = rows[(np.arange(start, stop) // 10) * 10]
        rows[start:stop] = _flip(rng, centres, 40)
        rows[(np.arange(start, stop, 10))] = centres[::10]
    # 30 %: video frames, each a few bits from the one before
    runs = (3 * n) // 10 // 60
    steps = _flip(rng, np.zeros((runs * 60, 32), dtype=np.uint8), 6).reshape(runs, 60, 32)
    steps[:, 0] = rows[cluster_end : cluster_end + runs * 60 : 60]
    rows[cluster_end : cluster_end + runs * 60] = np.bitwise_xor.accumulate(steps, axis=1).reshape(
        -1, 32
    )
    return rows


def percentile_ms(times: list[float], q: float) -> float:
    return float(np.percentile(times, q) * 1000)


def run(n: int, queries: int, radius: int) -> None:
    rows = archive(n)
    started = time.perf_counter()
    index = HammingIndex(rows, np.arange(n), np.arange(n), np.full(n, np.nan))
    build = time.perf_counter() - started
    rng = np.random.default_rng(n)
    picks = rows[rng.integers(0, n, queries // 2)]
    query_rows = np.concatenate(
        [_flip(rng, picks, 40), rng.integers(0, 256, (queries - queries // 2, 32), dtype=np.uint8)]
    )
    mih_times, brute_times, found = [], [], 0
    for query in query_rows:
        t0 = time.perf_counter()
        positions, distances = index.search_positions(query, radius)
        t1 = time.perf_counter()
        expected_positions, expected_distances = brute_force(rows, query, radius)
        t2 = time.perf_counter()
        assert np.array_equal(positions, expected_positions), "index and brute force differ"
        assert np.array_equal(distances, expected_distances), "index and brute force differ"
        mih_times.append(t1 - t0)
        brute_times.append(t2 - t1)
        found += len(positions)
    p50, p95 = percentile_ms(mih_times, 50), percentile_ms(mih_times, 95)
    b50, b95 = percentile_ms(brute_times, 50), percentile_ms(brute_times, 95)
    print(
        f"| {n:,} | {queries} | {build:.2f} s | {p50:.3f} | {p95:.3f} | {b50:.2f} | {b95:.2f} "
        f"| {b50 / p50:.0f}× | {found / queries:.1f} | identical |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--radius", type=int, default=DEFAULT_RADIUS)
    args = parser.parse_args()
    print(f"radius {args.radius} of 256 bits")
    print(
        "| hashes | queries | build | index p50 ms | index p95 ms | brute p50 ms | brute p95 ms "
        "| speed-up (p50) | hits/query | results |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        run(n, args.queries, args.radius)
    return 0


if __name__ == "__main__":
    sys.exit(main())
