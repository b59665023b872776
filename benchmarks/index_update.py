"""Bringing the window index up to date after a small intake into a large archive.

    nice -n 10 .venv/bin/python benchmarks/index_update.py [--photos 100000] [--new 100]

The archive: N photos' window hashes (20 a photo, as intake stores them; random 256-bit rows,
which cost the same to index as real ones), saved as `enquiry media match` saves its index
(memory-mapped generation files). Then `--new` photos arrive. Timed, each from the saved index
on disk, best of three:

- baseline, merge and save: the saved index extended by the new rows (its tables rebuilt over
  the whole archive) and saved — what every `media match` or `media hash` after an intake cost
  before the new rows were indexed apart;
- enquiry: the saved index opened memory-mapped and the new rows indexed apart
  (:class:`enquiry.enrich.media.index.Tiered`), what it costs now while the new rows are a
  small share;
- and one look-up of a query's 225 window hashes in each, to show the search stays as fast.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.media.index import ProbeIndex, Tiered  # noqa: E402

WINDOWS = 20


def _rows(rng: np.random.Generator, photos: int, first_item: int) -> tuple[np.ndarray, ...]:
    n = photos * WINDOWS
    rows = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    keys = np.arange(n, dtype=np.int64) + first_item * WINDOWS
    items = keys // WINDOWS
    return rows, keys, items, np.full(n, np.nan)


def _best(fn, repeats: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=100)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    archive = _rows(rng, args.photos, 0)
    new = _rows(rng, args.new, args.photos)
    queries = rng.integers(0, 256, (225, 32), dtype=np.uint8)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        ProbeIndex(*archive).save(folder, {"count": len(archive[0])}, "bench")
        built = time.perf_counter() - start

        def merged() -> ProbeIndex:
            loaded = ProbeIndex.load(folder, "bench")
            assert loaded is not None
            index = loaded[0].extended(*new)
            index.save(folder / "merged", {"count": len(index)}, "bench")
            return index

        def tiered() -> Tiered:
            loaded = ProbeIndex.load(folder, "bench")
            assert loaded is not None
            return Tiered(loaded[0], ProbeIndex(*new))

        (folder / "merged").mkdir()
        merge_s, one = _best(merged)
        tier_s, other = _best(tiered)
        search_one, _ = _best(lambda: one.search_many(queries))  # type: ignore[attr-defined]
        search_other, _ = _best(lambda: other.search_many(queries))  # type: ignore[attr-defined]
    print(
        f"archive {args.photos:,} photos ({len(archive[0]):,} window hashes; built and saved"
        f" in {built:.1f} s), {args.new} new photos ({len(new[0]):,} hashes)"
    )
    print(f"  baseline, merge and save: {merge_s * 1000:,.0f} ms")
    print(f"  enquiry, new rows apart:  {tier_s * 1000:,.1f} ms  ({merge_s / tier_s:,.0f}x faster)")
    print(
        f"  one query's 225 windows: merged {search_one * 1000:.1f} ms,"
        f" saved + new {search_other * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
