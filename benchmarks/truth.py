"""Truth discovery measured on real outcomes: the Emergent claims and the outlets' reports on them.

    .venv/bin/python benchmarks/truth.py [--data ../shared/data/emergent] [--folds 5]
                                         [--seeds 13] [--no-predicted] [--no-shipped]

240 claims, each with its final truth (true / false / unknown), and 2,071 reports by named
outlets (source = the site), each with its headline and its stance toward the claim. Grouped
cross-validation by claim (seeded): each fold's claims are held out; the outcomes of the other
claims are ``--known``; every report, held-out claims' included, is given (as an outsider would
give ``enquiry truth estimate`` a reports file). Nothing is learnt from a held-out claim's truth.

Scored on the held-out claims, pooled over folds: accuracy on claims whose truth is true or
false (an ``unknown`` verdict counts as wrong there), three-way accuracy over all claims
(``unknown`` right only on claims whose truth is unknown), Brier score and expected calibration
error (ten equal bins) of p_true on the true/false claims. Methods in the same run: enquiry's
``estimate`` as shipped; the previous estimator (hard stance labels, the claim model reading the
sources' records: ``estimate(..., features="records")`` on reports without probabilities);
majority vote of stances; naive Bayes over stances (learnt on the training folds), on hard
labels and on expected counts; TruthFinder. The baselines decide every claim they can (no
cannot-tell band).

Three stance settings: the given stances; stances predicted from the headlines by the shipped
stance model through the command's own adapter (``enquiry.app.truth.predicted_stances``; the
model was fitted on all of these headlines, so an optimistic figure); and the honest one:
the stance recipe of ``scripts/train_stance.py`` on Emergent alone (``--sources emergent``:
the headlines plus constructed unrelated pairs, temperatures on held-out training claims)
refitted on the other folds' claims, so every headline's stance and probabilities come from a
model that saw neither it nor any headline of its claim (cross-fitted: a training claim's
stance comes from a model that saw the held-out claims' headlines and stance labels, never
their truth). The recipe is refitted twice per seed: the network alone, and the network with
the headline word model (fitted on the same training headlines, its C chosen within them), as
the shipped model reads a headline. Embeddings are cached outside the repository
(``scripts/stance_data.py``).
With several ``--seeds`` the whole run (folds and stance refits) is repeated per seed and the
mean is printed too: with 140 true/false claims one claim is 0.7 points.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from enquiry.analysis import truth as td  # noqa: E402

SEED = 13


def read(data: Path) -> tuple[list[td.Report], dict[str, str], dict[str, str]]:
    reports, known, claim_text = [], {}, {}
    with (data / "edata_train.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            reports.append(
                td.Report(
                    claim=row["claimId"],
                    source=row["source"],
                    stance=row["articleHeadlineStance"],
                    text=row["articleHeadline"],
                )
            )
            known[row["claimId"]] = row["claimTruth"]
            claim_text[row["claimId"]] = row["claimHeadline"]
    return reports, known, claim_text


def folds(claims: Sequence[str], k: int, seed: int = SEED) -> list[list[str]]:
    order = list(claims)
    np.random.default_rng(seed).shuffle(order)
    return [sorted(order[n::k]) for n in range(k)]


def ece(p: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    edges = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = edges == b
        if mask.any():
            total += mask.sum() / len(p) * abs(p[mask].mean() - y[mask].mean())
    return float(total)


Method = Callable[[list[td.Report], dict[str, str]], dict[str, tuple[float, str]]]


def enquiry_method(reports: list[td.Report], known: dict[str, str]) -> dict[str, tuple[float, str]]:
    result = td.estimate(reports, known)
    return {c.claim: (c.p_true, c.verdict) for c in result.claims}


def previous_method(
    reports: list[td.Report], known: dict[str, str]
) -> dict[str, tuple[float, str]]:
    """The estimator before stance probabilities: hard labels, the records model."""
    hard = [replace(r, scores=None) for r in reports]
    result = td.estimate(hard, known, features="records")
    return {c.claim: (c.p_true, c.verdict) for c in result.claims}


def decided(scores: Mapping[str, float]) -> dict[str, tuple[float, str]]:
    return {c: (p, td.verdict(p, 0.0)) for c, p in scores.items()}


ENQUIRY = "enquiry"
METHODS: dict[str, Method] = {
    ENQUIRY: enquiry_method,
    "previous enquiry (hard labels, records)": previous_method,
    "majority vote": lambda r, k: decided(td.majority_vote(r)),
    "naive Bayes": lambda r, k: decided(td.naive_bayes(r, k)),
    "naive Bayes, expected counts": lambda r, k: decided(td.naive_bayes(r, k, soft=True)),
    "TruthFinder": lambda r, k: decided(td.truthfinder(r, k)),
}


def evaluate(
    reports: list[td.Report],
    known: dict[str, str],
    splits: list[list[str]],
) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name, method in METHODS.items():
        p_all, y_all, right_tf, right3, n3 = [], [], 0, 0, 0
        for held in splits:
            held_set = set(held)
            train = {c: t for c, t in known.items() if c not in held_set}
            result = method(reports, train)
            for claim in held:
                p, said = result.get(claim, (0.5, "unknown"))
                truth = known[claim]
                n3 += 1
                right3 += said == truth
                if truth in ("true", "false"):
                    p_all.append(p)
                    y_all.append(1.0 if truth == "true" else 0.0)
                    right_tf += said == truth
        p_arr, y_arr = np.array(p_all), np.array(y_all)
        out[name] = {
            "acc_tf": right_tf / len(y_arr),
            "acc3": right3 / n3,
            "brier": float(np.mean((p_arr - y_arr) ** 2)),
            "ece": ece(p_arr, y_arr),
            "n_tf": float(len(y_arr)),
            "n": float(n3),
        }
    return out


def show(title: str, scores: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    print(f"{'method':40} {'acc t/f':>8} {'acc 3-way':>9} {'Brier':>7} {'ECE':>7}")
    for name, s in scores.items():
        print(f"{name:40} {s['acc_tf']:8.3f} {s['acc3']:9.3f} {s['brier']:7.4f} {s['ece']:7.4f}")
    mine = scores[ENQUIRY]
    for name, s in scores.items():
        if name != ENQUIRY:
            print(f"  Brier ratio {name} / enquiry: {s['brier'] / mine['brier']:.2f}")


def with_predicted(
    reports: list[td.Report], found: Sequence[tuple[str, tuple[float, float, float] | None]]
) -> list[td.Report]:
    return [replace(r, stance=s, scores=p) for r, (s, p) in zip(reports, found, strict=True)]


def agreement(reports: list[td.Report], predicted: list[td.Report]) -> float:
    return float(np.mean([a.stance == b.stance for a, b in zip(reports, predicted, strict=True)]))


def predicted_shipped(reports: list[td.Report], claim_text: Mapping[str, str]) -> list[td.Report]:
    """Stances and probabilities as ``truth estimate --stance-from-text`` predicts them."""
    from enquiry.app.truth import predicted_stances

    found = predicted_stances(
        [claim_text[r.claim] for r in reports], [r.text or "" for r in reports]
    )
    return with_predicted(reports, found)


def predicted_in_folds(
    reports: list[td.Report],
    claim_text: Mapping[str, str],
    splits: list[list[str]],
    words: bool = True,
) -> list[td.Report]:
    """Every report's stance and probabilities from the stance recipe (Emergent only) fitted
    on the other folds' claims (the same folds as the truth cross-validation): no headline is
    predicted by a model that saw it or any headline of its claim. With ``words`` the headline
    word model is fitted on the same headlines (its C chosen within them) and read with the
    network, as the shipped model reads a headline; without, the network alone."""
    import train_stance as ts
    from stance_data import FROM_EMERGENT, CachedEmbedder, Pairs

    from enquiry.app.truth import as_report_stance
    from enquiry.enrich.text.stance import CLASSES, StanceModel, Vectors, feature_matrix

    embedder = CachedEmbedder()
    vectors = Vectors(embedder)
    pairs = Pairs("emergent")
    for n, r in enumerate(reports):
        pairs.claims.append(claim_text[r.claim])
        pairs.texts.append(r.text or "")
        pairs.labels.append(FROM_EMERGENT[r.stance])
        pairs.groups.append(r.claim)
        pairs.ids.append(str(n))
    x = feature_matrix(pairs.claims, pairs.texts, embedder, vectors)
    y = np.array(pairs.labels)
    groups = np.array(pairs.groups)
    found: list[tuple[str, tuple[float, float, float] | None]] = [("observing", None)] * len(
        reports
    )
    for n, held in enumerate(splits):
        held_set = set(held)
        train = np.array([i for i, g in enumerate(groups) if g not in held_set])
        test = np.array([i for i, g in enumerate(groups) if g in held_set])
        unrelated = ts.unrelated_pairs(pairs, train, n)
        x_fit = np.vstack(
            [x[train], feature_matrix(unrelated.claims, unrelated.texts, embedder, vectors)]
        )
        y_fit = np.concatenate([y[train], np.array(unrelated.labels)])
        g_fit = np.concatenate([groups[train], np.array(unrelated.groups)])
        parameters = ts.fit(x_fit, y_fit, g_fit, np.array(["emergent"] * len(y_fit)), n)
        if words:
            claims = [pairs.claims[i] for i in train]
            texts = [pairs.texts[i] for i in train]
            parameters |= ts.fit_words(claims, texts, y[train], groups[train]).parameters()
        model = StanceModel(parameters, CLASSES, f"fold {n}")
        held_texts = [pairs.texts[i] for i in test]
        held_claims = [pairs.claims[i] for i in test]
        for i, stance in zip(test, model.stances(x[test], held_texts, held_claims), strict=True):
            found[i] = as_report_stance(stance)
        print(f"  stance fold {n + 1}/{len(splits)} fitted", file=sys.stderr)
    return with_predicted(reports, found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/emergent")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", default=str(SEED), help="fold seeds, comma-separated")
    parser.add_argument("--no-predicted", action="store_true")
    parser.add_argument("--no-shipped", action="store_true")
    args = parser.parse_args()
    reports, known, claim_text = read(args.data)
    claims = sorted(known)
    counts = {t: sum(v == t for v in known.values()) for t in td.TRUTHS}
    print(
        f"Emergent: {len(claims)} claims ({counts}), {len(reports)} reports, "
        f"{len({r.source for r in reports})} sources; {args.folds}-fold CV grouped by claim"
    )
    started = time.perf_counter()
    shipped = None
    if not args.no_predicted and not args.no_shipped:
        shipped = predicted_shipped(reports, claim_text)
    totals: dict[str, list[dict[str, dict[str, float]]]] = {}
    for seed in [int(s) for s in args.seeds.split(",")]:
        splits = folds(claims, args.folds, seed)
        print(f"\n== fold seed {seed}")
        runs = {"given stances": evaluate(reports, known, splits)}
        show("Given stances", runs["given stances"])
        if shipped is not None:
            runs["shipped model, in-sample"] = evaluate(shipped, known, splits)
            show(
                "Stances predicted by the shipped model (in-sample, stance accuracy "
                f"{agreement(reports, shipped):.3f})",
                runs["shipped model, in-sample"],
            )
        if not args.no_predicted:
            network = predicted_in_folds(reports, claim_text, splits, words=False)
            runs["refitted, network alone"] = evaluate(network, known, splits)
            show(
                "Stances predicted by the network alone, refitted on the other folds "
                f"(held-out stance accuracy {agreement(reports, network):.3f})",
                runs["refitted, network alone"],
            )
            refit = predicted_in_folds(reports, claim_text, splits)
            runs["refitted on the other folds"] = evaluate(refit, known, splits)
            show(
                "Stances predicted by the recipe (network and headline words) refitted on the "
                f"other folds (held-out stance accuracy {agreement(reports, refit):.3f})",
                runs["refitted on the other folds"],
            )
        for name, scores in runs.items():
            totals.setdefault(name, []).append(scores)
    if len(args.seeds.split(",")) > 1:
        for name, runs_of in totals.items():
            mean = {
                method: {
                    k: float(np.mean([r[method][k] for r in runs_of])) for k in runs_of[0][method]
                }
                for method in runs_of[0]
            }
            show(f"Mean over the seeds: {name}", mean)
    print(f"\n({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
