"""Truth discovery measured on real outcomes: the Emergent claims and the outlets' reports on them.

    .venv/bin/python benchmarks/truth.py [--data ../shared/data/emergent] [--folds 5]
                                         [--no-predicted]

240 claims, each with its final truth (true / false / unknown), and 2,071 reports by named
outlets (source = the site), each with its headline and its stance toward the claim. Grouped
cross-validation by claim (seeded): each fold's claims are held out; the outcomes of the other
claims are ``--known``; every report, held-out claims' included, is given (as an outsider would
give ``enquiry truth estimate`` a reports file). Nothing is learnt from a held-out claim's truth.

Scored on the held-out claims, pooled over folds: accuracy on claims whose truth is true or
false (an ``unknown`` verdict counts as wrong there), three-way accuracy over all claims
(``unknown`` right only on claims whose truth is unknown), Brier score and expected calibration
error (ten equal bins) of p_true on the true/false claims. Methods in the same run: enquiry's
``estimate``, majority vote of stances, naive Bayes over stances (learnt on the training folds),
TruthFinder; the baselines decide every claim they can (no cannot-tell band).

Three stance settings: the given stances; stances predicted from the headlines by the shipped
stance model (``enquiry.enrich.text.stance.default_model()``, which was fitted on all of these
headlines, so its stances are better here than on new claims: an optimistic figure); and the
honest one, the same model recipe (``scripts/train_stance.py``) refitted on the other folds, so
every headline's stance comes from a model that saw neither it nor any headline of its claim
(cross-fitted: a training claim's stance comes from a model that saw the held-out claims'
headlines and stance labels, never their truth).
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


def folds(claims: Sequence[str], k: int) -> list[list[str]]:
    order = list(claims)
    np.random.default_rng(SEED).shuffle(order)
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


def decided(scores: Mapping[str, float]) -> dict[str, tuple[float, str]]:
    return {c: (p, td.verdict(p, 0.0)) for c, p in scores.items()}


METHODS: dict[str, Method] = {
    "enquiry (EM + record + copies)": enquiry_method,
    "majority vote": lambda r, k: decided(td.majority_vote(r)),
    "naive Bayes": lambda r, k: decided(td.naive_bayes(r, k)),
    "TruthFinder": lambda r, k: decided(td.truthfinder(r, k)),
}


def evaluate(
    reports_for_fold: Callable[[int], list[td.Report]],
    known: dict[str, str],
    splits: list[list[str]],
) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name, method in METHODS.items():
        p_all, y_all, right_tf, right3, n3 = [], [], 0, 0, 0
        for n, held in enumerate(splits):
            held_set = set(held)
            train = {c: t for c, t in known.items() if c not in held_set}
            result = method(reports_for_fold(n), train)
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
    print(f"{'method':34} {'acc t/f':>8} {'acc 3-way':>9} {'Brier':>7} {'ECE':>7}")
    for name, s in scores.items():
        print(f"{name:34} {s['acc_tf']:8.3f} {s['acc3']:9.3f} {s['brier']:7.4f} {s['ece']:7.4f}")
    base = min(v["brier"] for k, v in scores.items() if not k.startswith("enquiry"))
    mine = next(v for k, v in scores.items() if k.startswith("enquiry"))
    print(f"Brier ratio, best baseline / enquiry: {base / mine['brier']:.2f}")


def predicted_shipped(reports: list[td.Report], claim_text: Mapping[str, str]) -> list[str]:
    from enquiry.enrich.text.embed import Embedder
    from enquiry.enrich.text.stance import default_model

    model = default_model()
    found = model.predict(
        [claim_text[r.claim] for r in reports], [r.text or "" for r in reports], Embedder()
    )
    return [s.label for s in found]


def predicted_in_folds(
    reports: list[td.Report], claim_text: Mapping[str, str], splits: list[list[str]]
) -> list[str]:
    """Every report's stance predicted by the stance model's recipe fitted on the other folds'
    claims (the same folds as the truth cross-validation): no headline is predicted by a model
    that saw it or any headline of its claim."""
    import train_stance as ts

    claims = [claim_text[r.claim] for r in reports]
    heads = [r.text or "" for r in reports]
    groups = [r.claim for r in reports]
    pairs = ts.Pairs(claims, heads, groups)
    y = np.array([r.stance for r in reports])
    out = [""] * len(reports)
    for n, held in enumerate(splits):
        held_set = set(held)
        train_rows = np.array([i for i, g in enumerate(groups) if g not in held_set])
        test_rows = [i for i, g in enumerate(groups) if g in held_set]
        model = ts.fit(pairs, y, train_rows, n)
        for i, label in zip(test_rows, model.predict(pairs.real[test_rows]), strict=True):
            out[i] = str(label)
        print(f"  stance fold {n + 1}/{len(splits)} fitted", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/emergent")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-predicted", action="store_true")
    args = parser.parse_args()
    reports, known, claim_text = read(args.data)
    claims = sorted(known)
    splits = folds(claims, args.folds)
    counts = {t: sum(v == t for v in known.values()) for t in td.TRUTHS}
    print(
        f"Emergent: {len(claims)} claims ({counts}), {len(reports)} reports, "
        f"{len({r.source for r in reports})} sources; {args.folds}-fold CV grouped by claim"
    )
    started = time.perf_counter()
    show("Given stances", evaluate(lambda n: reports, known, splits))
    if not args.no_predicted:
        labels = predicted_shipped(reports, claim_text)
        agree = np.mean([a == r.stance for a, r in zip(labels, reports, strict=True)])
        shipped = [replace(r, stance=s) for r, s in zip(reports, labels, strict=True)]
        show(
            f"Stances predicted by the shipped model (in-sample, stance accuracy {agree:.3f})",
            evaluate(lambda n: shipped, known, splits),
        )
        refit = predicted_in_folds(reports, claim_text, splits)
        agree = np.mean([a == r.stance for a, r in zip(refit, reports, strict=True)])
        refitted = [replace(r, stance=s) for r, s in zip(reports, refit, strict=True)]
        show(
            "Stances predicted by the model refitted on the other folds "
            f"(held-out stance accuracy {agree:.3f})",
            evaluate(lambda n: refitted, known, splits),
        )
    print(f"\n({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
