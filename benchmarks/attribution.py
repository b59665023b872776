"""Attribution extraction measured on PolNeAR's development split.

    .venv/bin/python benchmarks/attribution.py [--data ../shared/data/polnear/dev] [--limit N]

Scores source, cue and content spans (exact match, and token-overlap F1 in which a span earns
the share of its tokens that the best-matching span on the other side covers) and whole
relations (a predicted relation is right when its cue, content and source each overlap those of
one gold relation, a missing source matching a missing source; "exact" needs all three exact).
The baseline named in the same run is the cue-only lexicon: every occurrence of a learnt cue
word counted as a cue, which shows what the dependency patterns add on top of the word list.
The cues were learnt from the training split only (scripts/learn_cues.py).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.text.attribution import Attribution, AttributionExtractor  # noqa: E402
from enquiry.enrich.text.brat import ROLES, GoldArticle, GoldRelation, GoldSpan, read_split  # noqa: E402
from enquiry.enrich.text.patterns import key_of  # noqa: E402

Tokens = frozenset[int]
Found = tuple[int, int, Tokens] | None
Relation = dict[str, Found]
_WORD = re.compile(r"\w+|[^\w\s]")


def token_sets(text: str) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in _WORD.finditer(text)]


def tokens_of(bounds: list[tuple[int, int]], fragments: Iterable[tuple[int, int]]) -> Tokens:
    found = set()
    for start, end in fragments:
        for number, (t_start, t_end) in enumerate(bounds):
            if t_start < end and t_end > start:
                found.add(number)
    return frozenset(found)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


class Scores:
    """Accumulates span and relation counts over articles."""

    def __init__(self) -> None:
        self.exact = {role: [0, 0, 0] for role in ROLES}  # hits, predicted, gold
        self.soft = {role: [0.0, 0.0, 0, 0] for role in ROLES}  # p-sum, r-sum, predicted, gold
        self.relations = [0, 0, 0, 0, 0]  # pred-right, gold-found, exact-right, predicted, gold

    def add(self, article: GoldArticle, predicted: list[Attribution]) -> None:
        bounds = token_sets(article.text)

        def gold_spans(relation: GoldRelation) -> dict[str, GoldSpan | None]:
            return {"source": relation.source, "cue": relation.cue, "content": relation.content}

        gold_rel: list[Relation] = []
        for gold in article.relations:
            spans = gold_spans(gold)
            gold_rel.append(
                {
                    role: (
                        (span.start, span.end, tokens_of(bounds, span.fragments))
                        if span is not None
                        else None
                    )
                    for role, span in spans.items()
                }
            )
        pred_rel: list[Relation] = []
        for attribution in predicted:
            found = {
                "source": attribution.source,
                "cue": attribution.cue,
                "content": attribution.content,
            }
            relation: Relation = {
                role: (
                    (
                        span.start,
                        span.end,
                        tokens_of(bounds, [(part.start, part.end) for part in span.pieces]),
                    )
                    if span is not None
                    else None
                )
                for role, span in found.items()
            }
            pred_rel.append(relation)
        for role in ROLES:
            golds = {span for rel in gold_rel if (span := rel[role]) is not None}
            preds = {span for rel in pred_rel if (span := rel[role]) is not None}
            gold_bounds = {(start, end) for start, end, _ in golds}
            self.exact[role][0] += sum(1 for start, end, _ in preds if (start, end) in gold_bounds)
            self.exact[role][1] += len(preds)
            self.exact[role][2] += len(golds)
            gold_tokens = [tokens for _, _, tokens in golds if tokens]
            pred_tokens = [tokens for _, _, tokens in preds if tokens]
            for tokens in pred_tokens:
                best = max((len(tokens & other) for other in gold_tokens), default=0)
                self.soft[role][0] += best / len(tokens)
            for tokens in gold_tokens:
                best = max((len(tokens & other) for other in pred_tokens), default=0)
                self.soft[role][1] += best / len(tokens)
            self.soft[role][2] += len(pred_tokens)
            self.soft[role][3] += len(gold_tokens)

        def overlaps(a: Relation, b: Relation) -> bool:
            for role in ROLES:
                x, y = a[role], b[role]
                if x is None or y is None:
                    if (x is None) != (y is None):
                        return False
                    continue
                if not (x[2] & y[2]):
                    return False
            return True

        def exact(a: Relation, b: Relation) -> bool:
            for role in ROLES:
                x, y = a[role], b[role]
                if x is None or y is None:
                    if (x is None) != (y is None):
                        return False
                elif x[:2] != y[:2]:
                    return False
            return True

        self.relations[0] += sum(1 for p in pred_rel if any(overlaps(p, g) for g in gold_rel))
        self.relations[1] += sum(1 for g in gold_rel if any(overlaps(p, g) for p in pred_rel))
        self.relations[2] += sum(1 for p in pred_rel if any(exact(p, g) for g in gold_rel))
        self.relations[3] += len(pred_rel)
        self.relations[4] += len(gold_rel)

    def table(self) -> list[tuple[str, float, float, float]]:
        rows = []
        for role in ROLES:
            hits, pred, gold = self.exact[role]
            p, r = hits / max(pred, 1), hits / max(gold, 1)
            rows.append((f"{role} exact", p, r, _f1(p, r)))
            p_sum, r_sum, n_pred, n_gold = self.soft[role]
            p, r = p_sum / max(n_pred, 1), r_sum / max(n_gold, 1)
            rows.append((f"{role} token-overlap", p, r, _f1(p, r)))
        right, found, exact_right, pred, gold = self.relations
        p, r = right / max(pred, 1), found / max(gold, 1)
        rows.append(("relation (overlap)", p, r, _f1(p, r)))
        p, r = exact_right / max(pred, 1), exact_right / max(gold, 1)
        rows.append(("relation (exact)", p, r, _f1(p, r)))
        return rows


def cue_only_f1(articles: list[GoldArticle], extractor: AttributionExtractor) -> float:
    """Baseline: every learnt cue word is a cue, exact cue-span F1."""
    hits = pred = gold = 0
    for article, doc in zip(articles, extractor.nlp.pipe(a.text for a in articles), strict=True):
        golds = {(rel.cue.start, rel.cue.end) for rel in article.relations}
        preds = {
            (token.idx, token.idx + len(token.text))
            for token in doc
            if key_of(token) in extractor.cues
        }
        hits += len(golds & preds)
        pred += len(preds)
        gold += len(golds)
    p, r = hits / max(pred, 1), hits / max(gold, 1)
    return _f1(p, r)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/polnear/dev")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    articles = read_split(args.data)
    if args.limit:
        articles = articles[: args.limit]
    extractor = AttributionExtractor()
    scores = Scores()
    began = time.perf_counter()
    texts = (article.text for article in articles)
    for article, predicted in zip(articles, extractor.extract_many(texts), strict=True):
        scores.add(article, predicted)
    elapsed = time.perf_counter() - began
    gold = sum(len(article.relations) for article in articles)
    print(
        f"PolNeAR {args.data.name}: {len(articles)} articles, {gold} gold attributions, "
        f"{elapsed:.1f} s"
    )
    print(f"{'measure':<26}{'P':>7}{'R':>7}{'F1':>7}")
    for name, p, r, f1 in scores.table():
        print(f"{name:<26}{p:7.3f}{r:7.3f}{f1:7.3f}")
    cue_exact = scores.table()[2][3]
    baseline = cue_only_f1(articles, extractor)
    print(
        f"baseline (cue words alone) cue exact F1 {baseline:.3f}; "
        f"extractor/baseline = {cue_exact / max(baseline, 1e-9):.2f}"
    )


if __name__ == "__main__":
    main()
