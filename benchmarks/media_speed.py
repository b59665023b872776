"""Hashing speed: photos per second through enquiry's PDQ extractor against the bare
decode + PDQ loop on the same files, and video seconds hashed per wall-clock second against a
bare decode of every frame of the same files.

    .venv/bin/python benchmarks/media_speed.py [--photos 24] [--video-seconds 60] [--photos-only]
        [--rounds 3] [--processes N]

Photos have two baselines: the bare decode + PDQ loop, and the same with the JPEG decoder asked
for a reduced size (``draft``), which is what PDQ alone costs at best.

Each photo loop runs ``--rounds`` times, the three loops taking turns, and the fastest round of
each counts: on a shared virtual machine a round can take half as long again for no reason of
its own (time stolen by the host), and taking turns exposes every loop to the same spells.

With ``--processes N`` every photo loop runs in N processes at once, one per core, as intake's
workers run: the rates are then photos per second per core with every core busy (the mean over
the processes). Each process runs every loop once before timing: ``pdqhash.compute`` allocates
its buffers on every call, and ran about three times as slow in a new process as in one that
had already freed large blocks (docs/benchmarks.md).

Photos are the scikit-image photographs, enlarged and saved as JPEG at phone-camera size
(4032×3024) and at messaging-app size (1280×960). Videos are generated moving scenes (H.264,
30 fps, GOP 60) at 720p and 1080p.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import av
import numpy as np
import pdqhash
from PIL import Image

from enquiry.enrich.media import samples
from enquiry.enrich.media.extractor import PdqExtractor

NAMES = (
    "astronaut",
    "coffee",
    "chelsea",
    "rocket",
    "hubble_deep_field",
    "retina",
    "camera",
    "moon",
)


def make_photos(folder: Path, count: int, size: tuple[int, int]) -> list[Path]:
    paths = []
    for i in range(count):
        image = Image.fromarray(samples.photo(NAMES[i % len(NAMES)])).resize(
            size, Image.Resampling.BICUBIC
        )
        path = folder / f"photo-{size[0]}-{i}.jpg"
        image.save(path, quality=90)
        paths.append(path)
    return paths


def bare_photo_loop(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        with Image.open(path) as image:
            pdqhash.compute(np.asarray(image.convert("RGB")))
    return time.perf_counter() - started


def bare_draft_loop(paths: list[Path]) -> float:
    """The bare loop with the JPEG decoder asked for a reduced size (to at least 2× PDQ's
    working size): what PDQ alone costs end to end at best."""
    started = time.perf_counter()
    for path in paths:
        with Image.open(path) as image:
            image.draft("RGB", (256, 256))
            pdqhash.compute(np.asarray(image.convert("RGB")))
    return time.perf_counter() - started


def our_photo_loop(paths: list[Path]) -> float:
    extractor = PdqExtractor()
    started = time.perf_counter()
    for path in paths:
        found = extractor.extract(path, "image/jpeg")
        assert found.hashes and not found.problems
    return time.perf_counter() - started


LOOPS = (bare_photo_loop, bare_draft_loop, our_photo_loop)


def best_rounds(paths: list[Path], rounds: int, barrier: Any = None) -> list[float]:
    """The fastest of ``rounds`` turns of each loop of :data:`LOOPS` over ``paths`` (after one
    warm-up turn each); with a ``barrier`` (shared by the processes of ``--processes``), every
    loop starts in all processes at once, so each one runs beside copies of itself."""
    for loop in LOOPS:
        loop(paths[:2])  # warm the caches of every path alike
    times: list[list[float]] = [[] for _ in LOOPS]
    for _ in range(max(1, rounds)):
        for index, loop in enumerate(LOOPS):
            if barrier is not None:
                barrier.wait()
            times[index].append(loop(paths))
    return [min(each) for each in times]


def _in_process(paths: list[Path], rounds: int, barrier: Any, results: Any) -> None:
    results.put(best_rounds(paths, rounds, barrier))


def photo_rates(paths: list[Path], rounds: int, processes: int) -> list[float]:
    """Photos per second of each loop of :data:`LOOPS`: in this process, or per core with
    ``processes`` processes running each loop at once (the mean of their rates)."""
    if processes <= 1:
        return [len(paths) / seconds for seconds in best_rounds(paths, rounds)]
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(processes), context.Queue()
    workers = [
        context.Process(target=_in_process, args=(paths, rounds, barrier, results))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    found = [results.get() for _ in workers]
    for worker in workers:
        worker.join()
    return [
        sum(len(paths) / times[index] for times in found) / processes for index in range(len(LOOPS))
    ]


def bare_decode(path: Path) -> float:
    started = time.perf_counter()
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for _ in container.decode(stream):
            pass
    return time.perf_counter() - started


def our_video(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    found = PdqExtractor().extract(path, "video/mp4")
    assert found.hashes and not found.problems
    return time.perf_counter() - started, len(found.hashes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=24)
    parser.add_argument("--video-seconds", type=float, default=60.0)
    parser.add_argument("--photos-only", action="store_true", help="skip the videos")
    parser.add_argument(
        "--rounds", type=int, default=3, help="photo loops run, taking turns; the fastest counts"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="run every photo loop in this many processes at once (photos/s per core)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(
            "| photos | files | bare decode+PDQ (photos/s) | bare reduced decode+PDQ (photos/s) "
            "| enquiry extractor (photos/s) | ratio to bare | ratio to bare reduced |"
        )
        print("|---|---|---|---|---|---|---|")
        for size in ((4032, 3024), (1280, 960)):
            paths = make_photos(folder, args.photos, size)
            bare, draft, ours = photo_rates(paths, args.rounds, args.processes)
            print(
                f"| JPEG {size[0]}×{size[1]} | {len(paths)} | {bare:.1f} "
                f"| {draft:.1f} | {ours:.1f} | {ours / bare:.2f}× "
                f"| {ours / draft:.2f}× |",
                flush=True,
            )
        if args.photos_only:
            return 0
        print(
            "\n| video | duration | bare decode (× real time) | enquiry hashing (× real time) "
            "| frames hashed | ratio to bare decode |"
        )
        print("|---|---|---|---|---|---|")
        for size, seconds in (
            ((1280, 720), args.video_seconds),
            ((1920, 1080), args.video_seconds / 2),
        ):
            frames = samples.scene_frames(samples.photo("astronaut"), seconds, fps=30, size=size)
            path = samples.write_video(folder / f"v{size[1]}.mp4", frames, fps=30, gop=60)
            del frames
            bare = bare_decode(path)
            ours, hashed = our_video(path)
            print(
                f"| H.264 {size[0]}×{size[1]} 30 fps | {seconds:.0f} s | {seconds / bare:.1f}× "
                f"| {seconds / ours:.1f}× | {hashed} | {bare / ours:.2f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
