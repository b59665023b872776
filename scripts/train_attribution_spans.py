"""Train the learnt choice of source and content spans on PolNeAR's training split.

    nice -n 10 .venv/bin/python scripts/train_attribution_spans.py \
        [--data ../shared/data/polnear/train] [--docs parsed.spacy] [--save-docs parsed.spacy]
        [--ranker logistic|ridge] [--out src/enquiry/enrich/text/attribution_spans.json]

Data: the 840 training articles of PolNeAR (first annotation file per article), read where
they lie; nothing of them is copied into the repository, and the development split is not read.

For every relation the shipped extractor finds without its span model (rules' proposals that
pass the learnt filter of ``attribution_model.json``, after the clean-up that continues, cuts and
drops them) whose cue word lies in an annotated cue, the candidates of
``enquiry.enrich.text.spans`` are built for content and source and each is labelled with its
token-overlap F1 (the shared scorer's tokens) against the annotated span (for the source, a
relation annotated without one labels "no source" 1). A linear ranker per role (scikit-learn:
logistic regression on "is a best candidate", or ridge regression on the F1) is trained; the
margin by which a candidate must beat the rules' own to replace it is chosen on out-of-fold
scores of a 5-fold cross-validation grouped by article, for the most relations right (content
F1 >= 0.5 and, where annotated, a source that overlaps — the scorer's test) plus the summed
token F1 of content and source (each counts over about as many relations in the scorer). A
role that no margin improves is left to the rules.

The filter model must be trained first (``scripts/train_attribution.py``): the span model is
trained on the relations that filter keeps, and is to be retrained whenever it changes.

Settings tried, cross-validated on train (2026-12-02, 13,550 relations on an annotated cue; rules
12,327 right, mean content F1 0.894, source 0.931): logistic ranker, C = 0.3 (shipped): 12,369
right, content 0.898, source 0.948, margins content 0.0 / source 0.2; C = 1.0: 12,348; C = 0.1:
12,339 (both before pruning, against 12,364 for C = 0.3); ridge on the F1: no gain for content.
Retrained 2026-12-04 after the filter (13,848 relations on an annotated cue): 12,744 right
against the rules' 12,720, content F1 0.905 (rules 0.902), source 0.948 (0.931), margins 0.0 and
0.0.
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GroupKFold
from spacy.tokens import DocBin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.text.attribution import (  # noqa: E402
    AttributionExtractor,
    blank_datelines,
    load_nlp,
    quotations,
)
from enquiry.enrich.text.brat import read_split  # noqa: E402
from enquiry.enrich.text.spans import (  # noqa: E402
    SPANS_FILE,
    content_candidates,
    content_features,
    source_candidates,
    source_features,
)

OUT = ROOT / "src" / "enquiry" / "enrich" / "text" / SPANS_FILE
FOLDS = 5
C = 0.3
ALPHA = 3.0
MIN_WEIGHT = 0.1
MARGINS = [0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0]
_WORD = re.compile(r"\w+|[^\w\s]")


def _tokens(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def _covered(bounds: list[tuple[int, int]], ranges: Any) -> frozenset[int]:
    return frozenset(n for n, (s, e) in enumerate(bounds) for a, b in ranges if s < b and e > a)


def _f1(p: frozenset[int], g: frozenset[int]) -> float:
    if not p and not g:
        return 1.0
    common = len(p & g)
    return 2 * common / (len(p) + len(g)) if common else 0.0


class Group:
    """The candidates of one role for one relation: features, labels, and what they cover."""

    def __init__(self, rows: list[list[str]], labels: list[float], covers: list[frozenset[int]]):
        self.rows, self.labels, self.covers = rows, labels, covers


def collect(docs_path: Path | None, save: Path | None, data: Path) -> dict[str, Any]:
    articles = read_split(data)
    nlp = load_nlp()
    if docs_path is not None:
        docs = list(DocBin().from_disk(docs_path).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((blank_datelines(a.text) for a in articles), batch_size=16))
        if save is not None:
            store = DocBin()
            for doc in docs:
                store.add(doc)
            store.to_disk(save)
    extractor = AttributionExtractor(nlp, learnt=True)
    extractor.spans = None  # the relations as the rules and the filter leave them
    model = extractor.model
    assert model is not None, "the filter model must be shipped first"
    keys = set(extractor.cues) | set(model.extra_cues)
    content_groups: list[Group] = []
    source_groups: list[Group] = []
    gold_of: list[tuple[frozenset[int], frozenset[int] | None]] = []
    groups: list[int] = []
    unmatched = 0
    for number, (article, doc) in enumerate(zip(articles, docs, strict=True)):
        bounds = _tokens(article.text)
        gold = [
            (
                rel.cue.fragments,
                _covered(bounds, rel.content.fragments),
                _covered(bounds, rel.source.fragments) if rel.source else None,
            )
            for rel in article.relations
            if rel.content is not None
        ]
        quotes = quotations(doc.text)
        previous = None
        for attribution in extractor.from_doc(doc):
            prior = previous
            if attribution.source is not None:
                previous = attribution.source
            if attribution.cue_i < 0:
                continue
            cue = doc[attribution.cue_i]
            at, to = cue.idx, cue.idx + len(cue.text)
            rules_content = _covered(bounds, [(p.start, p.end) for p in attribution.content.pieces])
            matches = [g for g in gold if any(a < to and at < b for a, b in g[0])]
            if not matches:
                unmatched += 1
                continue
            _, g_content, g_source = max(matches, key=lambda g: _f1(rules_content, g[1]))
            candidates = content_candidates(doc, cue, attribution, quotes, keys)
            covers = [_covered(bounds, c.pieces) for c in candidates]
            content_groups.append(
                Group(
                    [content_features(doc, cue, c, candidates[0], quotes) for c in candidates],
                    [_f1(cover, g_content) for cover in covers],
                    covers,
                )
            )
            candidates = source_candidates(doc, cue, attribution, prior)
            covers = [_covered(bounds, c.pieces) for c in candidates]
            source_groups.append(
                Group(
                    [source_features(doc, cue, c, candidates[0]) for c in candidates],
                    [_f1(cover, g_source or frozenset()) for cover in covers],
                    covers,
                )
            )
            gold_of.append((g_content, g_source))
            groups.append(number)
    print(
        f"{len(articles)} articles, {len(content_groups)} kept relations on an annotated cue "
        f"({unmatched} kept on no annotated cue)",
        file=sys.stderr,
    )
    return {
        "content": content_groups,
        "source": source_groups,
        "gold": gold_of,
        "groups": groups,
        "articles": len(articles),
    }


def _flat(role_groups: list[Group], index: list[int], ranker: str) -> tuple[list[Any], Any]:
    rows, ys = [], []
    for n in index:
        group = role_groups[n]
        best = max(group.labels)
        for row, label in zip(group.rows, group.labels, strict=True):
            rows.append(dict.fromkeys(row, 1))
            ys.append(label if ranker == "ridge" else float(best > 0 and label >= best - 1e-9))
    return rows, np.array(ys)


def _fit(rows: list[Any], ys: Any, ranker: str) -> tuple[DictVectorizer, Any]:
    vectoriser = DictVectorizer()
    x = vectoriser.fit_transform(rows)
    if ranker == "ridge":
        model: Any = Ridge(alpha=ALPHA)
    else:
        model = LogisticRegression(C=C, max_iter=3000)
    model.fit(x, ys.astype(int) if ranker != "ridge" else ys)
    # the shipped table keeps only weights of some size; folds are pruned alike so that the
    # cross-validated figures are those of what is shipped
    model.coef_[np.abs(model.coef_) < MIN_WEIGHT] = 0.0
    return vectoriser, model


def _scores(vectoriser: DictVectorizer, model: Any, group: Group) -> Any:
    x = vectoriser.transform([dict.fromkeys(row, 1) for row in group.rows])
    return model.decision_function(x) if hasattr(model, "decision_function") else model.predict(x)


def _choose(scores: Any, margin: float) -> int:
    best = int(np.argmax(scores))
    return best if best != 0 and scores[best] >= scores[0] + margin else 0


def _right(content: frozenset[int], source: frozenset[int], gold: Any) -> bool:
    g_content, g_source = gold
    return _f1(content, g_content) >= 0.5 and (g_source is None or bool(source & g_source))


def _gain(result: tuple[int, float, float], total: int) -> float:
    """Relations right plus the summed F1 of both roles: each counts in the scorer's figures
    over about the same number of relations (relation F1; source and content overlap F1)."""
    return result[0] + total * (result[1] + result[2])


def main() -> None:
    global C, ALPHA
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/polnear/train")
    parser.add_argument("--docs", type=Path, default=None, help="a parse saved by --save-docs")
    parser.add_argument("--save-docs", type=Path, default=None)
    parser.add_argument("--ranker", choices=("logistic", "ridge"), default="logistic")
    parser.add_argument("--c", type=float, default=C)
    parser.add_argument("--alpha", type=float, default=ALPHA)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--cache", type=Path, default=None, help="keep the candidates here (pickle) for reruns"
    )
    args = parser.parse_args()
    C, ALPHA = args.c, args.alpha
    began = time.perf_counter()
    if args.cache is not None and args.cache.is_file():
        data = pickle.loads(args.cache.read_bytes())
    else:
        data = collect(args.docs, args.save_docs, args.data)
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(data))
    groups = np.array(data["groups"])
    total = len(groups)
    oof: dict[str, list[Any]] = {"content": [None] * total, "source": [None] * total}
    for role in ("content", "source"):
        role_groups = data[role]
        for train, test in GroupKFold(FOLDS).split(np.zeros(total), groups=groups):
            vectoriser, model = _fit(*_flat(role_groups, list(train), args.ranker), args.ranker)
            for n in test:
                oof[role][n] = _scores(vectoriser, model, role_groups[n])
    oracle = {
        role: float(np.mean([max(g.labels) for g in data[role]])) for role in ("content", "source")
    }
    rules = {
        role: float(np.mean([g.labels[0] for g in data[role]])) for role in ("content", "source")
    }

    def evaluate(content_margin: float, source_margin: float) -> tuple[int, float, float]:
        right, content_f1, source_f1 = 0, 0.0, 0.0
        for n in range(total):
            c_group, s_group = data["content"][n], data["source"][n]
            ci = _choose(oof["content"][n], content_margin) if content_margin < 1e6 else 0
            si = _choose(oof["source"][n], source_margin) if source_margin < 1e6 else 0
            right += _right(c_group.covers[ci], s_group.covers[si], data["gold"][n])
            content_f1 += c_group.labels[ci]
            source_f1 += s_group.labels[si]
        return right, content_f1 / total, source_f1 / total

    off = 1e9
    baseline = evaluate(off, off)
    print(
        f"rules: {baseline[0]} of {total} right, mean content F1 {rules['content']:.3f} "
        f"(best candidate {oracle['content']:.3f}), source {rules['source']:.3f} "
        f"(best candidate {oracle['source']:.3f})",
        file=sys.stderr,
    )
    chosen = {"content": off, "source": off}
    best = baseline
    for role in ("content", "source"):
        for margin in MARGINS:
            trial = {**chosen, role: margin}
            result = evaluate(trial["content"], trial["source"])
            print(
                f"  {role} margin {margin}: {result[0]} right, "
                f"content {result[1]:.3f}, source {result[2]:.3f}",
                file=sys.stderr,
            )
            if _gain(result, total) > _gain(best, total):
                best, chosen = result, trial
    print(
        f"cross-validated: {best[0]} of {total} right (rules {baseline[0]}), content F1 "
        f"{best[1]:.3f} (rules {baseline[1]:.3f}), source F1 {best[2]:.3f} (rules "
        f"{baseline[2]:.3f}); margins {chosen}",
        file=sys.stderr,
    )
    out: dict[str, Any] = {
        "learnt_from": "PolNeAR train split (networkdynamics/PolNeAR @ c3eee833), "
        f"{data['articles']} articles, first annotator per article",
        "settings": {
            "ranker": args.ranker,
            "C": C,
            "alpha": ALPHA,
            "folds": FOLDS,
            "min_weight": MIN_WEIGHT,
        },
        "cross_validated": {
            "relations": total,
            "right_rules": baseline[0],
            "right_learnt": best[0],
            "content_f1_rules": round(baseline[1], 4),
            "content_f1_learnt": round(best[1], 4),
            "source_f1_rules": round(baseline[2], 4),
            "source_f1_learnt": round(best[2], 4),
        },
        "content_margin": chosen["content"],
        "source_margin": chosen["source"],
    }
    for role in ("content", "source"):
        weights: dict[str, float] = {}
        if chosen[role] < 1e6:
            vectoriser, model = _fit(
                *_flat(data[role], list(range(total)), args.ranker), args.ranker
            )
            coef = np.ravel(model.coef_)
            weights = {
                name: round(float(w), 3)
                for name, w in zip(vectoriser.get_feature_names_out(), coef, strict=True)
                if w != 0.0
            }
        out[f"{role}_weights"] = dict(sorted(weights.items()))
    args.out.write_text(
        json.dumps(out, indent=0, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"written to {args.out} in {time.perf_counter() - began:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
