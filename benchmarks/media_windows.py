"""Photo windows at archive scale: memory and query time of `enquiry media match` (whole picture
plus windows) with an archive of N photos, each with its whole-picture hash and its windows.

    .venv/bin/python benchmarks/media_windows.py [--photos 100000 1000000] [--queries 40]

(Superseded by benchmarks/scale_match.py, which makes its filler from real hashes.)

The archive is N random 256-bit hashes in the whole-picture index and N × 20 in the window index
(what N stored photos make, see enquiry.enrich.media.windows), plus the real photographs of the
robustness benchmark with their real hashes. Queries are altered copies of those photographs
(crops, a caption banner, a logo, picture-in-picture), hashed and looked up exactly as `media
match` does (catalogue.query_frames, catalogue.window_hits, catalogue.find_matches): the time
includes hashing the query's 225 windows. A query must find its source and nothing else.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from enquiry.enrich.media import pdq, samples, windows
from enquiry.enrich.media.catalogue import find_matches, query_frames, window_hits
from enquiry.enrich.media.extractor import hash_file
from enquiry.enrich.media.index import HammingIndex, ProbeIndex, as_rows
from media_robustness import PHOTOS, TRANSFORMS, UNLISTED

QUERIES = ("crop 20% centre", "crop 20% corner", "crop 10% corner", "caption banner", "logo")


def _index(
    random_rows: int,
    real: list[tuple[int, str]],
    rng: np.random.Generator,
    kind: type = HammingIndex,
) -> HammingIndex:
    """An index of ``random_rows`` random hashes (items from 1,000,000,000 up) and real ones."""
    rows = np.concatenate(
        [
            rng.integers(0, 256, (random_rows, 32), dtype=np.uint8),
            as_rows([value for _, value in real]),
        ]
    )
    items = np.concatenate(
        [
            np.arange(random_rows, dtype=np.int64) + 1_000_000_000,
            np.array([item for item, _ in real], dtype=np.int64),
        ]
    )
    return kind(rows, np.arange(len(rows)), items, np.full(len(rows), np.nan))


def index_bytes(index: HammingIndex) -> int:
    """Memory the index holds: hashes, payloads, the 16 sorted tables and their offsets."""
    return sum(
        a.nbytes
        for a in (index.rows, index.keys, index.items, index.times, index._order, index._offsets)
    )


def run(n: int, queries: list[tuple[str, int, Path]], real: dict[int, list[dict]]) -> None:
    rng = np.random.default_rng(n)
    whole_real = [
        (item, e["hash"])
        for item, entries in real.items()
        for e in entries
        if e["algorithm"] == pdq.ALGORITHM and e["quality"] >= pdq.MIN_QUALITY
    ]
    window_real = [
        (item, e["hash"])
        for item, entries in real.items()
        for e in entries
        if e["algorithm"] == windows.ALGORITHM and e["quality"] >= pdq.MIN_QUALITY
    ]
    started = time.perf_counter()
    whole = _index(n, whole_real, rng)
    window_index = _index(n * len(windows.STORED_WINDOWS), window_real, rng, ProbeIndex)
    build = time.perf_counter() - started
    memory = index_bytes(whole) + index_bytes(window_index)
    times, found, wrong = [], 0, 0
    for _, source, path in queries:
        t0 = time.perf_counter()
        entries, _ = hash_file(path, "image/png", query=True)
        frames = query_frames(entries)
        extra = window_hits(window_index, windows.lookups(entries))
        # all have windows; the keypoints `media match` asks of unsure photos are not (synthetic)
        matches = find_matches(whole, frames, extra=extra, vouch=lambda items: set())
        times.append(time.perf_counter() - t0)
        items = {m.item for m in matches}
        found += source in items
        wrong += len(items - {source})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(
        f"| {n:,} | {len(whole):,} + {len(window_index):,} | {build:.0f} s "
        f"| {memory / 2**30:.2f} GiB ({memory / n:,.0f} B/photo) | {peak:.1f} GiB "
        f"| {np.percentile(times, 50) * 1000:.0f} | {np.percentile(times, 95) * 1000:.0f} "
        f"| {found}/{len(queries)} | {wrong} |",
        flush=True,
    )
    del whole, window_index


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    transforms = {**TRANSFORMS, "inset in another picture": UNLISTED["inset in another picture"]}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        real: dict[int, list[dict]] = {}
        queries: list[tuple[str, int, Path]] = []
        for item, name in enumerate(PHOTOS, start=1):
            image = Image.fromarray(samples.photo(name))
            image.save(folder / f"{name}.png")
            real[item], _ = hash_file(folder / f"{name}.png", "image/png")
            for t_name in (*QUERIES, "inset in another picture"):
                path = folder / f"{name}-{len(queries)}.png"
                transforms[t_name](image).convert("RGB").save(path)
                queries.append((t_name, item, path))
        picks = np.random.default_rng(0).permutation(len(queries))[: args.queries]
        chosen = [queries[i] for i in sorted(picks)]
        print(
            f"{len(chosen)} queries ({', '.join((*QUERIES, 'inset'))} of the "
            f"{len(PHOTOS)} photographs)\n"
        )
        print(
            "| photos | hashes (whole + windows) | build | index memory | peak RSS "
            "| query p50 ms | query p95 ms | sources found | other items found |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for n in args.photos:
            run(n, chosen, real)
    return 0


if __name__ == "__main__":
    sys.exit(main())
