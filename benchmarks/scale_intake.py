"""Cluster mode, part (a): intake + enrichment throughput on ``local:1`` against ``local:2``.

A mixed corpus where enrichment dominates — news articles (claims are read from each), photos
of 1280x960 (metadata, perceptual hashes, OCR) and a few short videos (metadata, frame hashes)
— is taken in by ``enquiry ingest`` (intake, then claims) on fresh homes, in the same run:

* with no cluster (this machine's own worker processes): the baseline of today;
* with ``--cluster local:1`` (a LocalCluster of one single-threaded worker);
* with ``--cluster local:2``.

Each figure is items per second of the whole command as a user runs it (cluster start and model
loading included). The ratio local:2 / local:1 is the goal (>= 1.7x on an idle 2-core machine).
The articles are bodies from the FNC-1 training set (``../shared/data/fnc-1-train``), written
to files at run time; photos and videos are generated. Usage:

    .venv/bin/python benchmarks/scale_intake.py [--articles 300] [--photos 40] [--videos 3]
        [--workdir DIR] [--json] [--stages] [--rounds N]

``--stages`` runs each ingest in this process (not as a command) and prints each stage's
seconds too — intake, then claims — with the CPU seconds the coordinator (this process: the
writing of rows and events, and talking to the cluster) and the workers (its descendant
processes) spent in it.

``--rounds N`` runs the three in turn N times, each time on fresh homes, and reports every
round's ratio and their median: on a shared virtual machine one run's ratio can move across the
goal and back (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENQUIRY = [sys.executable, "-m", "enquiry.cli"]
BODIES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fnc-1-train"


def _articles(folder: Path, count: int) -> int:
    """News article bodies (FNC-1), long enough to hold attributions, one per file."""
    csv.field_size_limit(1 << 24)
    written = 0
    with (BODIES / "train_bodies.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            body = row["articleBody"].strip()
            if len(body) < 800:
                continue
            (folder / f"article-{written:04d}.txt").write_text(body + "\n", encoding="utf-8")
            written += 1
            if written == count:
                break
    return written


def _photos(folder: Path, count: int) -> int:
    """Photo-like pictures of 1280x960: a sky gradient, ground, shapes, sensor noise."""
    import numpy as np
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(2026)
    for index in range(count):
        height, width = 960, 1280
        rows = np.linspace(0, 1, height)[:, None, None]
        sky = (np.array([90, 140, 220]) * (1 - rows) + np.array([200, 210, 230]) * rows).astype(
            np.float32
        )
        pixels = np.broadcast_to(sky, (height, width, 3)).copy()
        horizon = int(height * rng.uniform(0.45, 0.7))
        pixels[horizon:] = np.array([110, 100, 70]) + rng.normal(0, 12, (height - horizon, 1, 3))
        pixels += rng.normal(0, 6, pixels.shape)
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
        draw = ImageDraw.Draw(image)
        for _ in range(12):
            x, y = int(rng.integers(0, width - 200)), int(rng.integers(horizon - 300, height - 50))
            w, h = int(rng.integers(40, 260)), int(rng.integers(40, 300))
            colour = tuple(int(c) for c in rng.integers(30, 230, 3))
            draw.rectangle((x, y, x + w, y + h), fill=colour)
        image.save(folder / f"photo-{index:03d}.jpg", quality=90)
    return count


def _videos(folder: Path, count: int, seconds: float = 4.0, fps: int = 10) -> int:
    """Short moving-picture MP4s (320x240)."""
    import av
    import numpy as np

    for index in range(count):
        path = folder / f"clip-{index}.mp4"
        with av.open(str(path), "w") as container:
            stream = container.add_stream("mpeg4", rate=fps)
            stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
            for frame_index in range(int(seconds * fps)):
                frame = np.full((240, 320, 3), 40 + 10 * index, dtype=np.uint8)
                left = (frame_index * 7) % 320
                frame[60:180, left : left + 60] = (220, 180, 40)
                for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
    return count


def build(folder: Path, articles: int, photos: int, videos: int) -> dict[str, int]:
    folder.mkdir(parents=True)
    made = {
        "articles": _articles(folder, articles),
        "photos": _photos(folder, photos),
        "videos": _videos(folder, videos),
    }
    for path in folder.iterdir():  # into the page cache, so every run reads the same way
        path.read_bytes()
    return made


def ingest(folder: Path, home: Path, cluster: str | None) -> float:
    """Seconds of one ``enquiry ingest`` into a fresh home."""
    env = dict(os.environ, ENQUIRY_HOME=str(home))
    env.pop("ENQUIRY_DB", None)
    env.pop("ENQUIRY_CLUSTER", None)
    command = [*ENQUIRY, "ingest", str(folder), "--case", "bench", "--quiet"]
    if cluster:
        command += ["--cluster", cluster]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def _workers_cpu() -> float:
    """CPU seconds of this process's descendants (the cluster's worker processes and their
    reading processes, or the intake's own workers), those still running and those ended."""
    import psutil

    total = sum(os.times()[2:4])
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


class _Clock:
    """A progress that notes when each stage (intake, claims) starts and ends, the CPU this
    process (the coordinator: writing, and talking to the cluster) spent in it, and the CPU of
    the worker processes."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.stages: list[tuple[str, float, float]] = []
        self.cpu: list[tuple[float, float]] = []

    def start(self, stage: str, total: int | None = None, unit: str = "item") -> None:
        self.stages.append((stage, time.perf_counter() - self.started, 0.0))
        self.cpu.append((time.process_time(), _workers_cpu()))

    def advance(self, amount: int = 1) -> None:
        return None

    def problem(self, line: str) -> None:
        return None

    def finish(self) -> None:
        stage, began, _ = self.stages[-1]
        self.stages[-1] = (stage, began, time.perf_counter() - self.started)
        own, workers = self.cpu[-1]
        self.cpu[-1] = (time.process_time() - own, _workers_cpu() - workers)


Stage = tuple[str, float, float, float]


def staged(folder: Path, home: Path, cluster: str | None) -> tuple[float, list[Stage]]:
    """One ingest in this process, with the seconds of each stage and the CPU seconds the
    coordinator and the workers spent in it (``--stages``)."""
    from enquiry.app import Enquiry
    from enquiry.app.claims import ingest as ingest_service

    clock = _Clock()
    app = Enquiry.at(home, "bench")
    ingest_service(app, [folder], case="bench", progress=clock, cluster=cluster)
    total = time.perf_counter() - clock.started
    return total, [
        (stage, end - began, own, workers)
        for (stage, began, end), (own, workers) in zip(clock.stages, clock.cpu, strict=True)
    ]


def _round(
    workdir: Path, items: int, number: int, stages_too: bool, quiet: bool
) -> dict[str, dict[str, float]]:
    """One run of each configuration, in turn, on fresh homes: seconds and items per second
    (and with ``stages_too`` each stage's seconds and CPU)."""
    results: dict[str, dict[str, float]] = {}
    if not quiet and number:
        print(f"round {number + 1}")
    for label, cluster in (
        ("no cluster", None),
        ("local:1", "local:1"),
        ("local:2", "local:2"),
    ):
        home = workdir / f"home-{number}-{label.replace(' ', '-')}"
        stages: list[Stage] = []
        if stages_too:
            seconds, stages = staged(workdir / "corpus", home, cluster)
        else:
            seconds = ingest(workdir / "corpus", home, cluster)
        results[label] = {
            "seconds": round(seconds, 2),
            "items_per_s": round(items / seconds, 2),
        }
        for stage, took, own, workers in stages:
            results[label][f"{stage} seconds"] = round(took, 2)
            results[label][f"{stage} coordinator cpu"] = round(own, 2)
            results[label][f"{stage} workers cpu"] = round(workers, 2)
        if not quiet:
            print(
                f"{label:>10}: {items} items in {seconds:7.2f} s = {items / seconds:6.2f} items/s"
            )
            for stage, took, own, workers in stages:
                print(
                    f"{'':>12}{stage}: {took:.1f} s (CPU: coordinator {own:.1f} s,"
                    f" workers {workers:.1f} s)"
                )
            if stages:
                rest = seconds - sum(took for _stage, took, _own, _workers in stages)
                print(f"{'':>12}outside the stages (opening, cluster start and stop): {rest:.1f} s")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--photos", type=int, default=40)
    parser.add_argument("--videos", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="Print one JSON object only.")
    parser.add_argument(
        "--rounds", type=int, default=1, help="run the three in turn this many times"
    )
    parser.add_argument(
        "--stages",
        action="store_true",
        help="Run ingest in this process and time each stage (intake, claims) too.",
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="scale-intake-", dir=args.workdir))
    try:
        made = build(workdir / "corpus", args.articles, args.photos, args.videos)
        items = sum(made.values())
        rounds = [
            _round(workdir, items, number, args.stages, args.json)
            for number in range(max(1, args.rounds))
        ]
        ratios = [
            results["local:2"]["items_per_s"] / results["local:1"]["items_per_s"]
            for results in rounds
        ]
        baselines = [
            results["local:2"]["items_per_s"] / results["no cluster"]["items_per_s"]
            for results in rounds
        ]
        ratio, baseline = statistics.median(ratios), statistics.median(baselines)
        summary = {
            "corpus": made,
            "items": items,
            "runs": rounds[0] if len(rounds) == 1 else rounds,
            "ratio_local2_over_local1": round(ratio, 2),
            "ratio_local2_over_no_cluster": round(baseline, 2),
            "ratios_by_round": [round(r, 2) for r in ratios],
            "goal": 1.7,
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        }
        if args.json:
            print(json.dumps(summary))
        else:
            if len(ratios) > 1:
                print("local:2 / local:1 by round: " + ", ".join(f"{r:.2f}x" for r in ratios))
            print(
                f"local:2 / local:1 = {ratio:.2f}x{' (median)' if len(ratios) > 1 else ''}"
                f" (goal >= 1.7x); local:2 / no cluster = {baseline:.2f}x;"
                f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
