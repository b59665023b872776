"""Near-duplicate search at a million photos: recall, precision, query time and index memory of
`enquiry media match` (no --deep), against the default before it (PDQ windows) and `--deep`.

    nice -n 10 .venv/bin/python benchmarks/scale_match.py            # --photos 1000000
    nice -n 10 .venv/bin/python benchmarks/scale_match.py --quick    # 100,000 photos, fewer queries
    nice -n 10 .venv/bin/python benchmarks/scale_match.py --deep     # also --deep's recall

The archive: the robustness benchmark's 22 real pictures (18 photographs, 4 distractors) and 3
generated videos, hashed as intake hashes them (whole picture, windows, video keyframes' windows),
plus N - 22 synthetic photos, each with a whole-picture hash and one hash per stored window.
Random 256-bit hashes would be far easier than real ones (real hashes share bit patterns; random
ones spread evenly over the index's buckets and lie ~128 bits from everything), so the filler is
made from real hashes: a pool of PDQ and window hashes of random boxes of the real pictures
(mirrored too), each filler hash a pool hash with ~48 or ~64 of its bits flipped — hard distractors
near the source photographs of the queries — and a tenth of the filler photos in clusters of
re-uploads (members within 0–20 bits of one another), as archives hold.

Queries: copies of the 18 photographs under the robustness benchmark's transforms (the required
23) and the ones this benchmark adds (uneven crops, picture-in-picture off centre, a 15 % logo, a
still of stored footage), each written as a file and looked up exactly as `media match` does
(catalogue.query_frames, windows.query_hashes, catalogue.window_hits, catalogue.find_matches).
A query must find its source; every other item it finds is a false match.

"before": the default as it was (whole-picture variants, and pdqhash windows — 19 stored, 225 per
query — compared exactly) on the real pictures: its recall; its query time at a million photos
was 2.05 s p50 (docs/benchmarks.md). "--deep": the default, else ORB keypoints compared with
every real picture (a linear scan, so measured on the real pictures only).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pdqhash
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from enquiry.enrich.media import keypoints, pdq, points, samples, windows
from enquiry.enrich.media.catalogue import (
    find_matches,
    point_candidates,
    query_frames,
    upright_hashes,
    window_hits,
)
from enquiry.enrich.media.extractor import hash_file
from enquiry.enrich.media.index import HammingIndex, ProbeIndex, as_rows
from media_robustness import (
    DISTRACTORS,
    PHOTOS,
    TRANSFORMS,
    UNLISTED,
    _keypoints_agree,
    _lazy_keys,
    _logo,
    samples_logo,
)

FILLER_ITEM = 10_000_000
VIDEO_ITEM = 1_000


# --- the transforms this benchmark adds -----------------------------------------------------------


def _crop_sides(left: float, top: float, right: float, bottom: float):
    return lambda im: im.crop(
        (
            round(im.width * left),
            round(im.height * top),
            round(im.width * (1 - right)),
            round(im.height * (1 - bottom)),
        )
    )


def _inset_at(share: float, x: float, y: float):
    def apply(image: Image.Image) -> Image.Image:
        rgb = image.convert("RGB")
        canvas = rgb.transpose(Image.Transpose.FLIP_TOP_BOTTOM).filter(ImageFilter.GaussianBlur(8))
        canvas.paste(
            rgb.resize((round(rgb.width * share), round(rgb.height * share))),
            (round(rgb.width * x), round(rgb.height * y)),
        )
        return canvas

    return apply


def _big_logo(im: Image.Image) -> Image.Image:
    """A logo over 15 % of the frame (a square of 39 % of the width), top left."""
    out = im.convert("RGB")
    side = round((0.15 * im.width * im.height) ** 0.5)
    logo = samples_logo().convert("RGBA").resize((side, side))
    out.paste(logo, (round(im.width * 0.04), round(im.height * 0.04)), logo)
    return out


def _banner(share: float):
    def apply(im: Image.Image) -> Image.Image:
        out = im.convert("RGB")
        draw = ImageDraw.Draw(out)
        top = round(im.height * (1 - share))
        draw.rectangle((0, top, im.width, im.height), fill=(20, 20, 120))
        font = ImageFont.load_default(size=max(10, round(im.height * share * 0.4)))
        draw.text((10, top + 4), "LIVE: scenes from the city centre", fill="white", font=font)
        return out

    return apply


ADDED = {
    "crop 20% left, 8% top, 12% bottom": _crop_sides(0.20, 0.08, 0.0, 0.12),
    "crop 12% left, 4% top, 8% bottom": UNLISTED["crop 12% left, 4% top, 8% bottom"],
    "crop 5% left, 15% top, 18% right": _crop_sides(0.05, 0.15, 0.18, 0.0),
    "caption banner 15%": _banner(0.15),
    "logo over 15% of the frame": _big_logo,
    "logo + crop 10% corner": lambda im: _logo(TRANSFORMS["crop 10% corner"](im)),
    "inset 50% off-centre": _inset_at(0.5, 0.45, 0.1),
    "inset 60% off-centre": UNLISTED["inset 60% off-centre"],
    "inset 50% centred": UNLISTED["inset in another picture"],
}


# --- the filler -----------------------------------------------------------------------------------


def _sparse_mask(rng: np.random.Generator, n: int, quarter: bool) -> np.ndarray:
    """(n, 4) uint64 masks with ~64 (``quarter``) or ~48 bits set at random places."""
    a, b, c, d = (rng.integers(0, 2**64, (n, 4), dtype=np.uint64) for _ in range(4))
    return a & b if quarter else a & b & (c | d)


def _perturbed(rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
    """``n`` hashes: pool hashes each with ~48 or ~64 random bits flipped."""
    out = pool[rng.integers(0, len(pool), n)].view(np.uint64).copy()
    half = n // 2
    out[:half] ^= _sparse_mask(rng, half, True)
    out[half:] ^= _sparse_mask(rng, n - half, False)
    return out.view(np.uint8).reshape(n, 32)


def _near_copies(rng: np.random.Generator, rows: np.ndarray, max_bits: int) -> np.ndarray:
    """Each row with up to ``max_bits`` random bits flipped (re-uploads of one picture)."""
    bits = np.unpackbits(rows, axis=1)
    flips = rng.random(bits.shape) < (rng.integers(0, max_bits + 1, len(rows)) / 256)[:, None]
    return np.packbits(bits ^ flips, axis=1)


def _random_crop(picture: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random square-fraction crop of 50-100 % of each side of ``picture``."""
    h, w = picture.shape[:2]
    s = rng.uniform(0.5, 1.0)
    x, y = rng.uniform(0, 1 - s, 2)
    return picture[int(y * h) : int((y + s) * h), int(x * w) : int((x + s) * w)]


def _both_ways(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A picture and its mirror image."""
    return rgb, np.ascontiguousarray(rgb[:, ::-1])


def pools(
    pictures: dict[str, np.ndarray], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """PDQ hashes of random boxes of the real pictures (and their mirror images), and window
    hashes of many more random boxes: the material of the filler."""
    whole, window = [], []
    for rgb in pictures.values():
        for picture in _both_ways(rgb):
            for _ in range(25):
                value, quality, _ = pdq.hash_rgb(_random_crop(picture, rng), ("original",))
                if quality >= pdq.MIN_QUALITY:
                    whole.append(value)
            boxes = []
            for _ in range(800):
                sx, sy = rng.uniform(0.3, 1.0, 2)
                x, y = rng.uniform(0, 1 - sx), rng.uniform(0, 1 - sy)
                boxes.append((x, y, x + sx, y + sy))
            window += [
                v for _, v, q in windows.window_hashes(picture, boxes) if q >= pdq.MIN_QUALITY
            ]
    return as_rows(whole), as_rows(window)


def corner_pool(pictures: dict[str, np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """ORB descriptors of the strongest corners of random crops of the real pictures (and of
    their mirror images): the material of the filler's corners."""
    found = []
    for rgb in pictures.values():
        for picture in _both_ways(rgb):
            for _ in range(10):
                found.append(points.strongest(_random_crop(picture, rng), 100)[1])
    return np.concatenate(found)


def filler(rng: np.random.Generator, pool: np.ndarray, photos: int, per_photo: int) -> np.ndarray:
    """(photos × per_photo, 32) hashes: perturbed pool hashes, a tenth of the photos in clusters
    of 5 re-uploads of one picture."""
    rows = np.empty((photos * per_photo, 32), dtype=np.uint8)
    step = 200_000
    for lo in range(0, photos, step):
        hi = min(photos, lo + step)
        block = _perturbed(rng, pool, (hi - lo) * per_photo).reshape(hi - lo, per_photo, 32)
        clustered = (hi - lo) // 10 // 5 * 5
        if clustered:
            centres = np.repeat(block[:clustered:5], 5, axis=0).reshape(-1, 32)
            block[:clustered] = _near_copies(rng, centres, 20).reshape(clustered, per_photo, 32)
        rows[lo * per_photo : hi * per_photo] = block.reshape(-1, 32)
    return rows


# --- the default before (pdqhash windows, compared exactly) --------------------------------------


def pdq_windows(
    rgb: np.ndarray, boxes: list[tuple[float, float, float, float]]
) -> list[tuple[str, int]]:
    """(hash, quality) of each window as the default before hashed them: cut from the canonical
    256-pixel copy, scaled to 128 pixels, hashed by pdqhash."""
    pixels = pdq.canonical(rgb)
    height, width = pixels.shape[:2]
    image = Image.fromarray(pixels)
    found = []
    for box in boxes:
        crop = image.crop(
            (
                round(box[0] * width),
                round(box[1] * height),
                round(box[2] * width),
                round(box[3] * height),
            )
        )
        scale = 128 / max(crop.size)
        size = (max(1, round(crop.width * scale)), max(1, round(crop.height * scale)))
        method = Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR
        bits, quality = pdqhash.compute(np.ascontiguousarray(crop.resize(size, method)))
        found.append((pdq.to_hex(bits), int(quality)))
    return found


BEFORE_QUERY_WINDOWS = windows.query_boxes(tuple(round(1 - 0.02 * i, 2) for i in range(26)))


def _within(a: np.ndarray, b: np.ndarray, radius: int = 31) -> bool:
    if not len(a) or not len(b):
        return False
    return bool((np.bitwise_count(a[:, None, :] ^ b[None, :, :]).sum(axis=2) <= radius).any())


# --- the run ----------------------------------------------------------------------------------------


def _vouched(
    names: dict[int, str],
    features: dict[str, keypoints.Features],
    query: Callable[[], tuple[keypoints.Features, ...]],
    spent: list[float],
    items: set[int],
) -> set[int]:
    """`media match`'s voucher here: of the photos whose hashes only just agree with a query,
    the real ones whose keypoints agree with its keypoints. A synthetic filler photo has no
    picture; its keypoints are stood in for by a distractor picture's, so that the query pays
    what it would pay in an archive of real photos (its own keypoints, one comparison per
    photo), and it is never vouched for. The seconds spent are added to ``spent``."""
    started = time.perf_counter()
    vouched = set()
    for i in items:
        agree = _keypoints_agree(features[names.get(i, DISTRACTORS[0])], query)
        if agree and i in names:
            vouched.add(i)
    spent.append(time.perf_counter() - started)
    return vouched


def rss_bytes(kind: str = "VmRSS") -> int:
    """Resident memory: all of it (``VmRSS``), or the process's own (``RssAnon``) apart from
    mapped file pages (``RssFile``: the memory-mapped index, clean pages the kernel can drop)."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(kind + ":"):
                return int(line.split()[1]) * 1024
    return 0


def _stored(entries: list[dict[str, Any]], item: int, table: dict[str, list]) -> None:
    kinds = {pdq.ALGORITHM: "whole", windows.ALGORITHM: "window", points.ALGORITHM: "point"}
    for e in entries:
        if e["quality"] is not None and e["quality"] < pdq.MIN_QUALITY:
            continue
        table[kinds[e["algorithm"]]].append((e["hash"], item, np.nan if e["t"] is None else e["t"]))


def _reusable(index_dir: Path, photos: int, per_photo: int) -> bool:
    """Whether ``index_dir`` holds indexes this benchmark built for the same archive."""
    try:
        kept = json.loads((index_dir / "bench.json").read_text())
    except (OSError, ValueError):
        return False
    return kept == _stamp(photos, per_photo)


def _stamp(photos: int, per_photo: int) -> dict[str, Any]:
    """What the kept indexes were built from: sizes and the hash versions."""
    return {
        "photos": photos,
        "windows": per_photo,
        "window_version": windows.VERSION,
        "points": points.STORED,
        "point_version": points.VERSION,
        "grid": points.GRID,
    }


def build(
    rng: np.random.Generator,
    pictures: dict[str, np.ndarray],
    stored: dict[str, list],
    index_dir: Path,
    filler_photos: int,
    per_photo: int,
) -> int:
    """Make the archive (the real pictures' hashes in ``stored`` plus the synthetic filler),
    index it, save the indexes in ``index_dir``; the bytes of memory the built indexes took."""
    whole_pool, window_pool = pools(pictures, rng)
    point_pool = corner_pool(pictures, rng)
    print(
        f"archive: {len(pictures)} real pictures + 3 videos ({len(stored['whole'])} whole-picture "
        f"and {len(stored['window'])} window hashes) + {filler_photos:,} synthetic photos "
        f"(pools of {len(whole_pool):,} PDQ and {len(window_pool):,} window hashes of real "
        f"pictures), {per_photo} windows a photo",
        flush=True,
    )

    def real(kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        values, items, times = zip(*stored[kind], strict=True)
        return as_rows(list(values)), np.array(items, dtype=np.int64), np.array(times)

    rss_before = rss_bytes()
    t0 = time.perf_counter()
    parts = {}
    for kind, pool, count in (
        ("whole", whole_pool, 1),
        ("window", window_pool, per_photo),
        ("point", point_pool, points.STORED),
    ):
        rows_real, items_real, times_real = real(kind)
        synthetic = filler(rng, pool, filler_photos, count)
        rows = np.concatenate([rows_real, synthetic])
        del synthetic
        items = np.concatenate(
            [items_real, FILLER_ITEM + np.repeat(np.arange(filler_photos), count)]
        )
        times = np.concatenate([times_real, np.full(filler_photos * count, np.nan)])
        parts[kind] = (rows, np.arange(len(rows), dtype=np.int64), items, times)
    t1 = time.perf_counter()
    exact_whole = HammingIndex(*parts["whole"])
    window_probe = ProbeIndex(*parts["window"])
    point_probe = ProbeIndex(*parts["point"])
    took = time.perf_counter() - t1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    in_memory = rss_bytes() - rss_before
    print(
        f"filler made in {t1 - t0:.0f} s; indexes built in {took:.0f} s: "
        f"{len(exact_whole):,} whole-picture PDQ hashes (exact index), "
        f"{len(window_probe):,} window hashes and {len(point_probe):,} corners (probed "
        f"indexes; corners from a pool of {len(point_pool):,}); RSS +{in_memory / 2**30:.2f} GiB "
        f"built in memory (peak RSS {peak / 2**30:.2f} GiB)",
        flush=True,
    )
    # saved, then loaded memory-mapped, as a home keeps them
    exact_whole.save(index_dir, {"count": len(exact_whole)}, "pdq")
    window_probe.save(index_dir, {"count": len(window_probe)}, "window-probe")
    point_probe.save(index_dir, {"count": len(point_probe)}, "point-probe")
    return in_memory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 photos, every 3rd transform")
    parser.add_argument("--deep", action="store_true", help="also --deep's recall (minutes more)")
    parser.add_argument(
        "--index",
        type=Path,
        help="keep the built indexes in this folder and reuse them when they were built for the "
        "same number of photos and windows (building takes most of the run at a million)",
    )
    args = parser.parse_args()
    photos = min(100_000, args.photos) if args.quick else args.photos
    rng = np.random.default_rng(11)
    transforms = {**TRANSFORMS, **{f"{k} (added)": v for k, v in ADDED.items()}}
    if args.quick:
        transforms = dict(list(transforms.items())[::3])
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        stored: dict[str, list] = defaultdict(list)
        names = {i: n for i, n in enumerate(PHOTOS + DISTRACTORS, start=1)}
        pictures = {n: samples.photo(n) for n in names.values()}
        before_stored: dict[int, np.ndarray] = {}
        for item, name in names.items():
            path = folder / f"{name}.png"
            Image.fromarray(pictures[name]).convert("RGB").save(path)
            entries, problems = hash_file(path, "image/png")
            assert entries and not problems, problems
            _stored(entries, item, stored)
            rgb = pdq.load_rgb(path)
            old = [h for h, q in pdq_windows(rgb, windows.STORED_WINDOWS) if q >= pdq.MIN_QUALITY]
            before_stored[item] = as_rows(old)
        # stored footage: 3 generated scenes, hashed as intake hashes videos
        scenes = {}
        # The footage pans over a photograph of the archive: a still of it shares that photo's
        # content, so finding the photo is right too (not a false match).
        related: dict[int, set[int]] = defaultdict(set)
        for k, name in enumerate(("astronaut", "rocket", "coffee")):
            frames = samples.scene_frames(samples.photo(name), 6.0, fps=25, size=(480, 270), seed=k)
            scenes[VIDEO_ITEM + k] = frames
            related[VIDEO_ITEM + k] = {i for i, n in names.items() if n == name}
            path = samples.write_video(folder / f"scene-{k}.mp4", frames, fps=25, gop=50)
            entries, problems = hash_file(path, "video/mp4")
            assert entries and not problems, problems
            _stored(entries, VIDEO_ITEM + k, stored)
        per_photo = len(windows.STORED_WINDOWS)
        filler_photos = photos - len(names)
        index_dir = args.index or folder / "index"
        reuse = _reusable(index_dir, photos, per_photo)
        in_memory = 0
        if not reuse:
            in_memory = build(rng, pictures, stored, index_dir, filler_photos, per_photo)
            if args.index:
                (index_dir / "bench.json").write_text(json.dumps(_stamp(photos, per_photo)))
        else:
            print(f"archive: the indexes kept in {index_dir} ({photos:,} photos)", flush=True)
        disk = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())
        gc.collect()
        rss_empty = rss_bytes()
        anon_empty = rss_bytes("RssAnon")
        t2 = time.perf_counter()
        exact_whole = HammingIndex.load(index_dir, "pdq")[0]  # type: ignore[index]
        window_probe = ProbeIndex.load(index_dir, "window-probe")[0]  # type: ignore[index]
        point_probe = ProbeIndex.load(index_dir, "point-probe")[0]  # type: ignore[index]
        load = time.perf_counter() - t2
        rss_loaded = rss_bytes()
        print(
            f"saved: {disk / 2**30:.2f} GiB on disk; loaded in {load:.1f} s: RSS "
            f"+{(rss_loaded - rss_empty) / 2**30:.2f} GiB (the exact whole-picture index is read "
            f"into memory, the window index is memory-mapped)",
            flush=True,
        )
        # the queries
        queries: list[tuple[str, int, Path, str]] = []
        for item, name in names.items():
            if name not in PHOTOS:
                continue
            image = Image.fromarray(pictures[name])
            for t_name, transform in transforms.items():
                path = folder / f"q-{len(queries)}.png"
                transform(image).convert("RGB").save(path)
                queries.append((t_name, item, path, "image/png"))
        for item, frames in scenes.items():  # stills of stored footage (a keyframe), altered
            still = Image.fromarray(frames[0])
            for t_name in ("crop 20% corner", "caption banner", "logo"):
                path = folder / f"q-{len(queries)}.png"
                TRANSFORMS[t_name](still).convert("RGB").save(path)
                queries.append((f"video still, {t_name} (added)", item, path, "image/png"))
        if args.quick:
            queries = queries[::2]
        counts: dict[str, dict[str, list[int]]] = defaultdict(
            lambda: defaultdict(lambda: [0, 0, 0])
        )
        lookup_ms, total_ms, hashing_ms, vouch_ms, probe_ms = [], [], [], [], []
        corner_ms: list[float] = []
        corner_checked: list[int] = []
        # The default's false matches by the route that found them and their distance.
        false_routes: Counter[tuple[str, int | None]] = Counter()
        whole_of = {i: as_rows([h for h, it, _ in stored["whole"] if it == i]) for i in names}
        deep_features = {n: keypoints.features(pictures[n]) for n in pictures}
        for t_name, source, path, media_type in queries:
            q0 = time.perf_counter()
            entries, _ = hash_file(path, media_type, query=True)
            frames = query_frames(entries)
            q1 = time.perf_counter()
            extra = window_hits(window_probe, windows.lookups(entries))
            probe_ms.append((time.perf_counter() - q1) * 1000)
            # Every photo of this archive has stored windows, so an unsure hit that no second pair
            # of pictures backs counts only when the keypoints of the two photos agree, as
            # `media match` decides (catalogue.agreed, and its voucher); the synthetic filler
            # has no pictures, so no keypoints to agree.
            spent: list[float] = []
            keys = _lazy_keys(partial(pdq.load_rgb, path))
            own = points.query_features(entries)
            keys_own = lambda own=own: (own,)  # noqa: E731 - the query's corners, as media match
            vouch = partial(_vouched, names, deep_features, keys, spent)
            matches = find_matches(exact_whole, frames, extra=extra, vouch=vouch)
            vouch_ms.append(sum(spent) * 1000)
            # the query's strongest corners: candidates beyond the matches, their keypoints asked
            # as `media match` asks them (points.py; app.media._by_corners)
            c0 = time.perf_counter()
            asked = [
                i
                for i in point_candidates(point_probe, points.lookups(entries))
                if i not in {m.item for m in matches}
            ]
            corner_items = (
                _vouched(names, deep_features, keys_own, [], set(asked)) if asked else set()
            )
            q2 = time.perf_counter()
            corner_ms.append((q2 - c0) * 1000)
            corner_checked.append(len(asked))
            unchecked = {m.item for m in find_matches(exact_whole, frames, extra=extra)}
            hashing_ms.append((q1 - q0) * 1000)
            lookup_ms.append((q2 - q1) * 1000)
            total_ms.append((q2 - q0) * 1000)
            found = {m.item for m in matches} | corner_items
            wrong = corner_items - {source} - related[source]
            if wrong:  # keypoints agreed with a photo that is not the source's
                false_routes[("corners, inliers", 0)] += len(wrong)
            for m in matches:
                if m.item != source and m.item not in related[source]:
                    route = "windows" if set(m.variants) <= {"window"} else "whole picture"
                    if route != "windows" and "window" in m.variants:
                        route = "whole picture and windows"
                    false_routes[(route, m.distance)] += 1
            rgb = pdq.load_rgb(path)
            # the default before, on the real pictures (exact comparisons, as its index was exact)
            old_windows = as_rows(
                [h for h, q in pdq_windows(rgb, BEFORE_QUERY_WINDOWS) if q >= pdq.MIN_QUALITY]
            )
            upright = as_rows(upright_hashes(frames))
            variants = as_rows([v for f in frames for v in f.variants.values()])
            before = {
                i
                for i in names
                if _within(variants, whole_of[i])
                or _within(old_windows, np.concatenate([whole_of[i], before_stored[i]]))
                or _within(upright, before_stored[i])
            }
            results = {
                "enquiry default (probed windows and corners)": found,
                "the same, no corners": {m.item for m in matches},
                "the same, unsure hits not checked": unchecked,
                "default before (pdqhash windows)": before,
            }
            if args.deep:
                query = (
                    keypoints.features(rgb),
                    keypoints.features(np.ascontiguousarray(rgb[:, ::-1])),
                )
                deep = set(found)
                for i, n in names.items():
                    if i not in deep and any(
                        keypoints.compare(q, deep_features[n]) is not None for q in query
                    ):
                        deep.add(i)
                results["--deep (default, else keypoints; real pictures)"] = deep
            for method, items in results.items():
                cell = counts[method][t_name]
                if source in items:
                    cell[0] += 1
                else:
                    cell[1] += 1
                cell[2] += len(items - {source} - related[source])
        methods = list(counts)
        print(
            f"\n{len(queries)} queries; {photos:,} photos in the archive ({time.perf_counter() - started:.0f} s)\n"
        )
        print("| transform | " + " | ".join(methods) + " |")
        print("|---|" + "---|" * len(methods))
        for t_name in counts[methods[0]]:
            cells = []
            for m in methods:
                tp, fn, fp = counts[m][t_name]
                cells.append(f"{tp}/{tp + fn}" + (f" ({fp} false)" if fp else ""))
            print(f"| {t_name} | " + " | ".join(cells) + " |")
        print("\n| transforms | method | recall | precision | false matches |")
        print("|---|---|---|---|---|")
        for title, chosen in (
            ("the required 23", [t for t in counts[methods[0]] if "(added)" not in t]),
            ("added here", [t for t in counts[methods[0]] if "(added)" in t]),
            ("all", list(counts[methods[0]])),
        ):
            for m in methods:
                tp = sum(counts[m][t][0] for t in chosen)
                fn = sum(counts[m][t][1] for t in chosen)
                fp = sum(counts[m][t][2] for t in chosen)
                precision = tp / (tp + fp) if tp + fp else float("nan")
                print(f"| {title} | {m} | {tp / (tp + fn):.3f} | {precision:.3f} | {fp} |")
        print(
            "\nfalse matches of the default, by route (distance: count): "
            + "; ".join(
                f"{route} {distance}: {n}" for (route, distance), n in sorted(false_routes.items())
            )
        )
        print(
            f"\nquery time (ms), {len(queries)} queries: "
            f"look-up p50 {np.percentile(lookup_ms, 50):.1f}, p95 {np.percentile(lookup_ms, 95):.1f} "
            f"(of which the window index p50 {np.percentile(probe_ms, 50):.1f}, "
            f"p95 {np.percentile(probe_ms, 95):.1f}); "
            f"hashing the query p50 {np.percentile(hashing_ms, 50):.1f}, p95 {np.percentile(hashing_ms, 95):.1f}; "
            f"end to end p50 {np.percentile(total_ms, 50):.1f}, p95 {np.percentile(total_ms, 95):.1f}; "
            f"keypoints of unsure photos (in the look-up): asked in {sum(1 for v in vouch_ms if v)} "
            f"queries, p95 {np.percentile(vouch_ms, 95):.1f}, max {max(vouch_ms):.1f}; "
            f"corners (index and keypoints of their candidates, in the look-up) p50 "
            f"{np.percentile(corner_ms, 50):.1f}, p95 {np.percentile(corner_ms, 95):.1f}, "
            f"candidates checked in {sum(1 for n in corner_checked if n)} queries, "
            f"{sum(corner_checked)} in all"
        )
        print(
            "index memory: "
            + (f"RSS +{in_memory / 2**30:.2f} GiB built in memory, " if in_memory else "")
            + f"+{(rss_bytes() - rss_empty) / 2**30:.2f} GiB memory-mapped after the queries "
            f"(of which mapped file pages {rss_bytes('RssFile') / 2**30:.2f} GiB, the process's own "
            f"{(rss_bytes('RssAnon') - anon_empty) / 2**30:+.2f} GiB); "
            f"{disk / 2**30:.2f} GiB on disk; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
