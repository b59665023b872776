"""Claim embedding throughput: batched, length-sorted encoding against one text per call.

    .venv/bin/python benchmarks/embeddings.py [--data ...] [--limit 1000] [--threads 1]
    .venv/bin/python benchmarks/embeddings.py --processes 2

Texts are the gold content spans of PolNeAR dev (what claims look like). The baseline is the
same ONNX model and tokenizer called once per text, as a naive loop would; the measured path is
:meth:`Embedder.embed` (texts sorted by length, batches of 4). Both in this process, same texts; the
vectors are checked to agree.

``--processes N`` measures what N processes embedding at once get between them, as N cluster
workers do: the baseline is each process left to onnxruntime's default (a thread per core, kept
spinning), the measured path each process held to the one thread ``OMP_NUM_THREADS=1`` allows
it (:func:`~enquiry.enrich.text.embed.thread_allowance`, as a Dask worker is started). The N
processes start together at a barrier; the figure is all their texts over the slowest one's
wall time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.text.brat import read_split  # noqa: E402
from enquiry.enrich.text.embed import Embedder  # noqa: E402


def _embed_in_process(texts: list[str], threads: int | None, barrier: Any, out: Any) -> None:
    """One process's share: load the model, wait for the others, embed, report wall time."""
    embedder = Embedder(threads=threads)
    embedder.embed(texts[:8])
    barrier.wait()
    began = time.perf_counter()
    embedder.embed(texts)
    out.put(time.perf_counter() - began)


def _together(texts: list[str], processes: int, threads: int | None, env: dict[str, str]) -> float:
    """Texts per second of ``processes`` processes embedding ``texts`` each, all at once."""
    context = multiprocessing.get_context("spawn")
    barrier, out = context.Barrier(processes), context.Queue()
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)  # a spawned process takes its environment at its start
    try:
        running = [
            context.Process(target=_embed_in_process, args=(texts, threads, barrier, out))
            for _ in range(processes)
        ]
        for process in running:
            process.start()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    slowest = max(out.get() for _ in running)
    for process in running:
        process.join()
    return processes * len(texts) / slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/polnear/dev")
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=1, help="onnxruntime threads (0: all)")
    parser.add_argument(
        "--processes", type=int, default=0, help="N processes at once: default threads vs one"
    )
    args = parser.parse_args()
    texts = []
    for article in read_split(args.data):
        for relation in article.relations:
            if relation.content is not None:
                texts.append(article.text[relation.content.start : relation.content.end])
    texts = texts[: args.limit]
    if args.processes:
        n = args.processes
        print(f"{n} processes at once, {len(texts)} claim texts each, {os.cpu_count()} CPUs")
        rounds = []
        for _ in range(3):  # in turn, so that both meet the machine's same moments
            free = _together(texts, n, 0, {"OMP_NUM_THREADS": ""})
            held = _together(texts, n, None, {"OMP_NUM_THREADS": "1"})
            rounds.append((free, held))
            print(f"  default threads {free:7.1f} texts/s; one thread each {held:7.1f} texts/s")
        free, held = max(r[0] for r in rounds), max(r[1] for r in rounds)
        print(
            f"best of 3: default threads (baseline) {free:.1f} texts/s, one thread each"
            f" {held:.1f} texts/s; ratio {held / free:.2f}"
        )
        return
    embedder = Embedder(threads=args.threads)
    embedder.embed(texts[:8])
    began = time.perf_counter()
    single = np.stack([embedder.embed([text])[0] for text in texts])
    baseline = time.perf_counter() - began
    began = time.perf_counter()
    batched = embedder.embed(texts)
    measured = time.perf_counter() - began
    agree = float(np.min(np.sum(single * batched, axis=1)))
    print(f"{len(texts)} claim texts, mean {np.mean([len(t) for t in texts]):.0f} characters")
    print(f"baseline one text per call: {len(texts) / baseline:8.1f} texts/s")
    print(f"Embedder.embed (batched):   {len(texts) / measured:8.1f} texts/s")
    print(
        f"ratio batched/baseline:     {baseline / measured:.2f}; lowest cosine between the two "
        f"{agree:.5f}"
    )


if __name__ == "__main__":
    main()
