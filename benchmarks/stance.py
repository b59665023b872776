"""Stance of a text toward a claim: grouped cross-validation, scored by the shared scorer.

    .venv/bin/python scripts/stance_data.py      # once: the embedding cache (outside the repo)
    .venv/bin/python benchmarks/stance.py [--folds 5] [--hidden 128] [--no-baseline] [--no-words]

Five folds, grouped so that no Emergent claim and no FNC-1 or ARC body is on both sides of a
split; each fold's model is trained exactly as ``scripts/train_stance.py`` trains the shipped one
(constructed unrelated pairs from the training claims only; temperature fitted on a held-out
part of the training folds; the headline word model learnt on the fold's training headlines and
read with the network, unless ``--no-words``). FNC-1 and ARC pairs whose headline is a held-out
Emergent claim or headline are left out of that fold's training (FNC-1 is built from Emergent). Held-out
predictions are written as CSV and scored by ``../shared/eval/stance_score.py``: the FNC score
(% of the maximum) and macro-F1 for FNC-1 and ARC, accuracy and macro-F1 for Emergent (supports
→ for, refutes → against, discusses and unrelated → observing).

Baselines, run in the same command on the same folds: always the majority class, and today's
headline model (the logistic regression shipped before this model, read from git at
``BASELINE_COMMIT``; on articles its for / against / observing read as agree / disagree /
discuss, and a pair is unrelated when the claim–text cosine is under a threshold chosen on the
training folds). Calibration: expected calibration error (15 bins of the top score) on the
held-out folds, at temperature 1 and at the fitted temperature.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import itertools
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from stance_data import TO_FNC, CachedEmbedder  # noqa: E402
from train_stance import Matrix, fit, fit_words, load, unrelated_pairs  # noqa: E402

from enquiry.enrich.text.stance import AS_EMERGENT, CLASSES, StanceModel, sentences  # noqa: E402

SCORER = ROOT.parent / "shared" / "eval" / "stance_score.py"
BASELINE_COMMIT = "43f2695"
TO_EMERGENT = {"supports": "for", "refutes": "against", "discusses": "observing"}


def assign_folds(groups: np.ndarray, folds: int) -> np.ndarray:
    from sklearn.model_selection import GroupKFold

    out = np.zeros(len(groups), dtype=int)
    for number, (_, test) in enumerate(GroupKFold(n_splits=folds).split(groups, groups=groups)):
        out[test] = number
    return out


def topics(pairs: Any) -> tuple[np.ndarray, np.ndarray]:
    """(the topic of each pair's body, the topic of each pair's headline) for FNC-style data.

    A topic is a connected part of the graph whose edges are the related pairs (agree,
    disagree, discuss): the bodies and headlines written about one story. The challenge's
    competition test has bodies and headlines of its own, so a split by body alone leaves a
    held-out body's story, and its headlines, in training; a split by topic does not."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for claim, body, label in zip(pairs.claims, pairs.ids, pairs.labels, strict=True):
        if label != "unrelated":
            parent[root("h:" + claim)] = root("b:" + body)
    body_topic = np.array([f"{pairs.source}:{root('b:' + b)}" for b in pairs.ids])
    claim_topic = np.array([f"{pairs.source}:{root('h:' + c)}" for c in pairs.claims])
    return body_topic, claim_topic


def score(kind: str, gold: list[dict[str, str]], predicted: list[str]) -> str:
    """The shared scorer's line for these held-out predictions."""
    with tempfile.TemporaryDirectory() as directory:
        gold_path, pred_path = Path(directory, "gold.csv"), Path(directory, "pred.csv")
        for path, rows in ((gold_path, gold), (pred_path, _predictions(kind, gold, predicted))):
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        result = subprocess.run(
            [sys.executable, str(SCORER), kind, str(gold_path), str(pred_path)],
            check=True,
            capture_output=True,
            text=True,
        )
    return result.stdout.strip()


def _predictions(kind: str, gold: list[dict[str, str]], labels: list[str]) -> list[dict[str, str]]:
    if kind == "emergent":
        return [
            {"articleId": row["articleId"], "articleHeadlineStance": label}
            for row, label in zip(gold, labels, strict=True)
        ]
    return [
        {"Headline": row["Headline"], "Body ID": row["Body ID"], "Stance": label}
        for row, label in zip(gold, labels, strict=True)
    ]


def gold_rows(matrix: Matrix) -> list[dict[str, str]]:
    pairs = matrix.pairs
    if pairs.source == "emergent":
        return [
            {"articleId": i, "articleHeadlineStance": TO_EMERGENT[label]}
            for i, label in zip(pairs.ids, pairs.labels, strict=True)
        ]
    return [
        {"Headline": claim, "Body ID": i, "Stance": TO_FNC[label]}
        for claim, i, label in zip(pairs.claims, pairs.ids, pairs.labels, strict=True)
    ]


def as_scored(source: str, labels: list[str]) -> list[str]:
    if source == "emergent":
        return [AS_EMERGENT[label] for label in labels]
    return [TO_FNC[label] for label in labels]


def ece(probabilities: np.ndarray, truth: np.ndarray, bins: int = 15) -> float:
    top = probabilities.max(axis=1)
    right = probabilities.argmax(axis=1) == truth
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for low, high in itertools.pairwise(edges):
        inside = (top > low) & (top <= high)
        if inside.any():
            total += inside.mean() * abs(right[inside].mean() - top[inside].mean())
    return float(total)


def reliability(probabilities: np.ndarray, truth: np.ndarray, bins: int = 5) -> str:
    top = probabilities.max(axis=1)
    right = probabilities.argmax(axis=1) == truth
    edges = np.linspace(0, 1, bins + 1)
    cells = []
    for low, high in itertools.pairwise(edges):
        inside = (top > low) & (top <= high)
        if inside.any():
            cells.append(f"{low:.1f}-{high:.1f}: {right[inside].mean():.2f} (n={inside.sum()})")
    return "; ".join(cells)


def old_model() -> tuple[Any, Any]:
    """Today's headline model, its code and weights read from git at BASELINE_COMMIT."""
    directory = Path(tempfile.mkdtemp(prefix="stance-baseline-"))
    for name in ("stance.py", "stance.npz"):
        blob = subprocess.run(
            ["git", "show", f"{BASELINE_COMMIT}:src/enquiry/enrich/text/{name}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        (directory / name).write_bytes(blob)
    spec = importlib.util.spec_from_file_location("baseline_stance", directory / "stance.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    data = np.load(io.BytesIO((directory / "stance.npz").read_bytes()), allow_pickle=False)
    return module.StanceModel(
        data["coef"], data["intercept"], [str(c) for c in data["classes"]], "baseline"
    ), module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--baseline-only", action="store_true", help="Run today's model alone on the folds."
    )
    parser.add_argument("--sources", default="emergent,fnc,arc")
    parser.add_argument(
        "--by-topic",
        action="store_true",
        help="Split FNC-1 and ARC by topic (bodies and headlines of one story together), and "
        "train on no pair whose headline is of a held-out topic, instead of by body alone.",
    )
    parser.add_argument(
        "--no-words",
        action="store_true",
        help="The network alone, without the headline word model the shipped model reads too.",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    real, extra = load(sources=tuple(dict.fromkeys(args.sources.split(","))))
    folds = [assign_folds(m.groups, args.folds) for m in real]
    claim_folds = [None] * len(real)
    if args.by_topic:
        for n, m in enumerate(real):
            if m.pairs.source != "emergent":
                body_topic, claim_topic = topics(m.pairs)
                folds[n] = assign_folds(body_topic, args.folds)
                fold_of = dict(zip(body_topic, folds[n], strict=True))
                claim_folds[n] = np.array([fold_of.get(t, -1) for t in claim_topic])
    if args.baseline_only:
        print(f"today's headline model (git {BASELINE_COMMIT}), {args.folds} folds:")
        baseline(real, folds, args.folds)
        return
    emergent = real[0]
    held_texts = {
        k: set(np.array(emergent.pairs.claims)[folds[0] == k])
        | set(np.array(emergent.pairs.texts)[folds[0] == k])
        for k in range(args.folds)
    }
    probabilities = [np.zeros((len(m.y), len(CLASSES))) for m in real]
    raw = [np.zeros((len(m.y), len(CLASSES))) for m in real]
    extra_fold = folds[0]  # constructed pairs share their headline's group
    for k in range(args.folds):
        parts_x, parts_y, parts_g, parts_s = [], [], [], []
        for m, fold, claim_fold in zip(real, folds, claim_folds, strict=True):
            keep = fold != k
            if claim_fold is not None:
                keep &= claim_fold != k
            if m.pairs.source != "emergent":
                keep &= ~np.isin(np.array(m.pairs.claims), list(held_texts[k]))
            parts_x.append(m.x[keep])
            parts_y.append(m.y[keep])
            parts_g.append(m.groups[keep])
            parts_s.append(np.full(keep.sum(), m.pairs.source))
        keep = (extra_fold != k) & ~np.isin(np.array(extra.pairs.claims), list(held_texts[k]))
        parts_x.append(extra.x[keep])
        parts_y.append(extra.y[keep])
        parts_g.append(extra.groups[keep])
        parts_s.append(np.full(keep.sum(), "emergent"))
        parameters = fit(
            np.vstack(parts_x),
            np.concatenate(parts_y),
            np.concatenate(parts_g),
            np.concatenate(parts_s),
            seed=k,
            hidden=args.hidden,
        )
        if not args.no_words:  # learnt on this fold's training headlines, as the shipped one
            train = np.flatnonzero(folds[0] != k)
            parameters |= fit_words(
                [emergent.pairs.claims[n] for n in train],
                [emergent.pairs.texts[n] for n in train],
                emergent.y[train],
                emergent.groups[train],
            ).parameters()
        model = StanceModel(parameters, CLASSES, f"fold {k}")
        for m, fold, out, out_raw in zip(real, folds, probabilities, raw, strict=True):
            held = np.flatnonzero(fold == k)
            texts = [m.pairs.texts[n] for n in held]
            claims = [m.pairs.claims[n] for n in held]
            out[held] = model.probabilities(m.x[held], texts, claims)
            fitted = model.temperatures
            model.temperatures = np.ones(1)
            out_raw[held] = model.probabilities(m.x[held], texts, claims)
            model.temperatures = fitted
        print(
            f"  fold {k + 1}/{args.folds} done ({time.perf_counter() - started:.0f} s, "
            f"temperatures {parameters['temperature'].round(2).tolist()})",
            file=sys.stderr,
        )

    print(
        f"Stance, {args.folds}-fold cross-validation grouped by claim (Emergent) and by "
        f"{'topic' if args.by_topic else 'body'} (FNC-1 train, ARC); "
        f"{time.perf_counter() - started:.0f} s"
    )
    for m, p, p_raw in zip(real, probabilities, raw, strict=True):
        kind = "emergent" if m.pairs.source == "emergent" else "fnc"
        gold = gold_rows(m)
        labels = [CLASSES[i] for i in p.argmax(axis=1)]
        truth = np.array([CLASSES.index(label) for label in m.y])
        print(f"\n{m.pairs.source} ({len(m.y)} pairs)")
        print(f"  model          {score(kind, gold, as_scored(m.pairs.source, labels))}")
        majority = max(set(m.pairs.labels), key=m.pairs.labels.count)
        print(
            f"  always {majority:<7} "
            f"{score(kind, gold, as_scored(m.pairs.source, [majority] * len(m.y)))}"
        )
        print(
            f"  calibration: ECE {ece(p_raw, truth):.3f} at temperature 1, "
            f"{ece(p, truth):.3f} at the fitted temperature; reliability "
            f"{reliability(p, truth)}"
        )
    if args.no_baseline:
        return
    print(f"\ntoday's headline model (git {BASELINE_COMMIT}):")
    baseline(real, folds, args.folds)


def baseline(real: list[Matrix], folds: list[np.ndarray], count: int) -> None:
    """Today's model on the same folds. On Emergent it is retrained on each fold's training part
    as its own script did (its features, logistic regression with C = 4 and balanced classes,
    unrelated pairs added as observing); on FNC-1 the shipped weights are used as they are, with
    the claim–text cosine taken against the mean of the text's sentence embeddings (the cache
    holds sentences, not whole articles)."""
    from sklearn.linear_model import LogisticRegression

    model, module = old_model()
    embedder = CachedEmbedder()
    for m, fold in zip(real[:2], folds[:2], strict=True):
        pairs = m.pairs
        unique = sorted(set(pairs.claims))
        claim_vectors = dict(zip(unique, embedder.embed(unique), strict=True))
        text_vectors = {}
        for text in set(pairs.texts):
            mean = embedder.embed(sentences(text)).mean(axis=0)
            text_vectors[text] = mean / max(float(np.linalg.norm(mean)), 1e-9)
        cosine = np.array(
            [
                float(claim_vectors[c] @ text_vectors[t])
                for c, t in zip(pairs.claims, pairs.texts, strict=True)
            ]
        )
        rows = np.stack(
            [
                module.features(c, t, float(s))
                for c, t, s in zip(pairs.claims, pairs.texts, cosine, strict=True)
            ]
        )
        if pairs.source == "emergent":
            old = np.empty(len(pairs), dtype=object)
            truth = np.array([TO_EMERGENT[label] for label in pairs.labels])
            for k in range(count):
                train = np.flatnonzero(fold != k)
                extra = unrelated_pairs(pairs, train, k)
                extra_vectors = {c: v for c, v in claim_vectors.items()}
                extra_rows = np.stack(
                    [
                        module.features(c, t, float(extra_vectors[c] @ text_vectors[t]))
                        for c, t in zip(extra.claims, extra.texts, strict=True)
                    ]
                )
                fitted = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced").fit(
                    np.vstack([rows[train], extra_rows]),
                    np.concatenate([truth[train], np.full(len(train), "observing")]),
                )
                old[fold == k] = fitted.predict(rows[fold == k])
            print(f"  {pairs.source:<12} {score('emergent', gold_rows(m), list(old))}")
            continue
        labels = [model.classes[i] for i in model.probabilities(rows).argmax(axis=1)]
        mapped = np.array(
            [{"for": "agree", "against": "disagree"}.get(o, "discuss") for o in labels],
            dtype=object,
        )
        related = m.y != "unrelated"
        for k in range(count):
            train, test = fold != k, fold == k
            candidates = np.quantile(cosine[train], np.linspace(0.02, 0.98, 49))
            best = max(
                candidates, key=lambda t: float(((cosine[train] >= t) == related[train]).mean())
            )
            mapped[test & (cosine < best)] = "unrelated"
        print(
            f"  {pairs.source:<12} {score('fnc', gold_rows(m), list(mapped))}  "
            "(unrelated: cosine threshold chosen on the training folds)"
        )


if __name__ == "__main__":
    main()
