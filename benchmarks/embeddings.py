"""Claim embedding throughput: batched, length-sorted encoding against one text per call.

    .venv/bin/python benchmarks/embeddings.py [--data ...] [--limit 1000] [--threads 1]

Texts are the gold content spans of PolNeAR dev (what claims look like). The baseline is the
same ONNX model and tokenizer called once per text, as a naive loop would; the measured path is
:meth:`Embedder.embed` (texts sorted by length, batches of 4). Both in this process, same texts; the
vectors are checked to agree.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.text.brat import read_split  # noqa: E402
from enquiry.enrich.text.embed import Embedder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/polnear/dev")
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=1, help="onnxruntime threads (0: all)")
    args = parser.parse_args()
    texts = []
    for article in read_split(args.data):
        for relation in article.relations:
            if relation.content is not None:
                texts.append(article.text[relation.content.start : relation.content.end])
    texts = texts[: args.limit]
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
