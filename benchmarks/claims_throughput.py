"""Throughput of the whole claim pipeline against bare spaCy on the same articles.

    .venv/bin/python benchmarks/claims_throughput.py [--data ../shared/data/polnear/dev] [--rounds 3]

The pipeline is what ``enquiry ingest`` runs per document: parse, attribution (learnt cues and
paths, quotations, speaker naming and pronoun resolution) and statement dating. The baseline is
``nlp.pipe`` of the same spaCy model with nothing after it. Both run in this process on the same
texts, alternately (which goes first alternates too), and the best round of each counts. Goal: ratio >= 0.7.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import spacy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.text.attribution import SPACY_MODEL  # noqa: E402
from enquiry.enrich.text.brat import read_split  # noqa: E402
from enquiry.enrich.text.claims import ClaimExtractor  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/polnear/dev")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = [article.text for article in read_split(args.data)]
    bare = spacy.load(SPACY_MODEL)
    pipeline = ClaimExtractor()
    anchor = dt.date(2016, 3, 1)
    best_bare = best_pipeline = float("inf")
    claims = 0
    for round_number in range(args.rounds):
        # Alternate which runs first, so that neither always meets a cold or a warm machine.
        order = ("bare", "pipeline") if round_number % 2 == 0 else ("pipeline", "bare")
        for which in order:
            began = time.perf_counter()
            if which == "bare":
                for _doc in bare.pipe(texts, batch_size=16):
                    pass
                best_bare = min(best_bare, time.perf_counter() - began)
            else:
                claims = sum(
                    len(found) for found in pipeline.extract_many(((t, anchor) for t in texts), 16)
                )
                best_pipeline = min(best_pipeline, time.perf_counter() - began)
    chars = sum(len(text) for text in texts)
    bare_rate, pipe_rate = len(texts) / best_bare, len(texts) / best_pipeline
    print(f"{len(texts)} articles, {chars} characters, {claims} claims; best of {args.rounds}")
    print(f"baseline spaCy nlp.pipe:  {bare_rate:7.2f} articles/s")
    print(f"claim pipeline:           {pipe_rate:7.2f} articles/s")
    print(f"ratio pipeline/baseline:  {pipe_rate / bare_rate:.2f} (goal >= 0.7)")


if __name__ == "__main__":
    main()
