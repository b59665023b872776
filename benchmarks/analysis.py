"""The analysis engine: speed at scale, and calibration on synthetic worlds with known truth.

    .venv/bin/python benchmarks/analysis.py [--items 10000] [--hypotheses 20] [--worlds 400]

(a) Speed. One incident with 10,000 evidence items x 20 hypotheses (seeded: random ratings and
    grades, 1,000 sources, a third of the items in dependence clusters). Timed: the full
    ``analyse()`` (log-odds posterior with dependence bounds, every sensitivity perturbation —
    each cluster left out, each rated cell moved one step up and down, each source downgraded —
    linchpins, milestones, wording, the JSON-ready matrix). Baseline in the same run, same input:
    plain ACH scoring (the matrix built from the same input, Heuer's inconsistency count).
    Goal: analyse <= 1 s. Also shown: the cost of the sensitivity done naively (re-running the
    engine once per perturbation), extrapolated from a timed sample of re-runs.

(b) Calibration. Seeded synthetic worlds, each with a known true hypothesis among five. Sources
    of known reliability report candidate evidence through the hit/false-alarm process the
    engine assumes (a graded source's report is true to the world with the probability its grade
    stands for; F sources have an unknown reliability drawn at random). Some worlds add echo
    chains (one origin repeated by 5-20 outlets, graded no better than the origin, same
    cluster); some add an adversarial flood (20-300 F-graded items, each its own source,
    backing one false hypothesis and rating the truth II). Scored: Brier score (sum over
    hypotheses of squared error, mean over worlds) and leading-hypothesis accuracy of enquiry
    against Heuer's inconsistency count, naive Bayes without dependence (graded and ungraded),
    and majority vote; and how often a flood changes enquiry's conclusion (must be never).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.analysis import (  # noqa: E402
    AnalysisInput,
    AnalysisResult,
    Evidence,
    Hypothesis,
    ach,
    analyse,
)
from enquiry.analysis.matrix import build  # noqa: E402
from enquiry.analysis.posterior import posteriors, representatives  # noqa: E402
from enquiry.analysis.tables import (  # noqa: E402
    CREDIBILITY_HIT,
    RATING_LIKELIHOOD,
    RELIABILITY_HIT,
    resolve,
)

SCALE = ("CC", "C", "N", "I", "II")
GRADES = "ABCDE"


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time of ``repeat`` runs, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


# ---------------------------------------------------------------------------------------- speed


def large_input(n_items: int, n_hyp: int, seed: int = 1) -> AnalysisInput:
    rng = np.random.default_rng(seed)
    hyps = tuple(Hypothesis(f"H{j}", f"hypothesis {j}", is_other=j == 0) for j in range(n_hyp))
    ratings = rng.choice(len(SCALE) + 1, size=(n_items, n_hyp), p=[0.1, 0.2, 0.35, 0.2, 0.1, 0.05])
    labels = (*SCALE, "NA")
    n_sources = max(1, n_items // 10)
    evidence = []
    for i in range(n_items):
        clustered = rng.random() < 1 / 3
        evidence.append(
            Evidence(
                id=f"E{i}",
                label=f"item {i}",
                kind="document",
                reliability="ABCDEF"[int(rng.integers(6))],
                credibility=int(rng.integers(1, 7)),
                source=f"S{int(rng.integers(n_sources))}",
                ratings={hyps[j].id: labels[int(ratings[i, j])] for j in range(n_hyp)},
                cluster=f"K{int(rng.integers(n_items // 8))}" if clustered else None,
            )
        )
    return AnalysisInput(incident="speed", hypotheses=hyps, evidence=tuple(evidence))


def plain_ach(inp: AnalysisInput) -> Any:
    """The baseline: the same input read into a matrix, scored by Heuer's inconsistency count."""
    return ach.inconsistency(build(inp, resolve(inp)).codes)


def headline_only(inp: AnalysisInput) -> Any:
    """One engine run without sensitivity: what a naive sensitivity repeats per perturbation."""
    m = build(inp, resolve(inp))
    return posteriors(m, representatives(m))


def speed(n_items: int, n_hyp: int) -> dict[str, float]:
    inp = large_input(n_items, n_hyp)
    t_ach, _ = timed(lambda: plain_ach(inp), 5)
    t_engine, result = timed(lambda: analyse(inp), 3)
    t_one, _ = timed(lambda: headline_only(inp), 3)
    sens = result.sensitivity
    naive = t_one * sens.perturbations
    print(f"(a) speed: {n_items} items x {n_hyp} hypotheses, {sens.perturbations} perturbations")
    print(f"    plain ACH scoring (baseline)          {t_ach * 1000:9.1f} ms")
    print(
        f"    enquiry analyse, full sensitivity     {t_engine * 1000:9.1f} ms   ratio {t_engine / t_ach:6.1f}x the baseline"
    )
    print(
        f"    naive sensitivity (re-run per change) {naive:9.0f} s    (one run {t_one * 1000:.1f} ms x {sens.perturbations})"
    )
    print(f"    goal analyse <= 1 s: {'met' if t_engine <= 1.0 else 'NOT met'}")
    return {
        "ach": t_ach,
        "engine": t_engine,
        "naive": naive,
        "perturbations": sens.perturbations,
    }


# ----------------------------------------------------------------------------------- calibration

K = 5


def world(seed: int, echo: bool, flood: bool) -> tuple[int, AnalysisInput, AnalysisInput]:
    """(truth, the world's evidence, the same world without its flood)."""
    rng = np.random.default_rng(seed)
    truth = int(rng.integers(K))
    hyps = tuple(Hypothesis(f"H{j}", f"h{j}", is_other=j == 0) for j in range(K))
    n_sources = 30
    grades = [
        "ABCDEF"[int(g)] for g in rng.choice(6, size=n_sources, p=[0.1, 0.2, 0.25, 0.2, 0.15, 0.1])
    ]
    creds = [int(c) for c in rng.integers(1, 7, size=n_sources)]
    true_r = []
    for g, c in zip(grades, creds, strict=True):
        if g == "F":
            true_r.append(float(rng.uniform(0.0, 0.9)))
        else:
            true_r.append(RELIABILITY_HIT[g] * CREDIBILITY_HIT[c])
    evidence: list[Evidence] = []
    prior = np.full(K, 1 / K)
    for cand in range(int(rng.integers(30, 91))):
        row = [SCALE[int(x)] for x in rng.choice(len(SCALE), size=K, p=[0.15, 0.2, 0.3, 0.2, 0.15])]
        p = np.array([RATING_LIKELIHOOD[x] for x in row])
        s = int(rng.integers(n_sources))
        q = float(p @ prior)
        if rng.random() < true_r[s] * p[truth] + (1 - true_r[s]) * q:
            evidence.append(
                Evidence(
                    id=f"E{cand}",
                    label=f"candidate {cand}",
                    kind="document",
                    reliability=grades[s],
                    credibility=creds[s],
                    source=f"S{s}",
                    ratings={hyps[j].id: row[j] for j in range(K)},
                )
            )
    if echo and evidence:
        for c in range(int(rng.integers(1, 4))):
            origin = evidence[int(rng.integers(len(evidence)))]
            cluster = f"chain{c}-{origin.id}"
            idx = evidence.index(origin)
            evidence[idx] = replace(origin, cluster=cluster)
            for m in range(int(rng.integers(5, 21))):
                outlet = "ABCDE"[int(rng.integers(5))]
                worse = max(outlet, origin.reliability)
                evidence.append(
                    replace(
                        origin,
                        id=f"{origin.id}-echo{c}-{m}",
                        source=f"outlet{c}-{m}",
                        reliability=worse,
                        cluster=cluster,
                    )
                )
    clean = AnalysisInput(incident=f"world{seed}", hypotheses=hyps, evidence=tuple(evidence))
    if not flood:
        return truth, clean, clean
    target = int(rng.choice([j for j in range(K) if j != truth]))
    fakes = []
    for f in range(int(rng.integers(20, 301))):
        ratings = {hyps[j].id: SCALE[int(rng.integers(len(SCALE)))] for j in range(K)}
        ratings[hyps[target].id] = "CC"
        ratings[hyps[truth].id] = "II"
        fakes.append(
            Evidence(
                id=f"fake{f}",
                label="fabricated",
                kind="statement",
                reliability="F",
                credibility=int(rng.integers(1, 7)),
                source=f"bot{f}",
                ratings=ratings,
            )
        )
    return truth, replace(clean, evidence=clean.evidence + tuple(fakes)), clean


def point(scores: np.ndarray, best_is_low: bool) -> np.ndarray:
    """A ranking as a forecast: the best hypothesis (ties split) gets all the probability."""
    best = scores.min() if best_is_low else scores.max()
    hit = np.isclose(scores, best)
    return hit / hit.sum()


def forecasts(inp: AnalysisInput, result: AnalysisResult) -> dict[str, np.ndarray]:
    hyps = [h.id for h in inp.hypotheses]
    enquiry = np.array([h.posterior for h in result.hypotheses])
    graded_nb = np.array([h.posterior_independent for h in result.hypotheses])
    heuer = point(np.array([h.inconsistency for h in result.hypotheses]), best_is_low=True)
    logp = np.zeros(len(hyps))
    votes = np.zeros(len(hyps))
    for e in inp.evidence:
        p = np.array([RATING_LIKELIHOOD[e.ratings.get(h, "NA")] for h in hyps])
        logp += np.log(p)
        votes += np.isclose(p, p.max()) / np.isclose(p, p.max()).sum()
    ungraded = np.exp(logp - logp.max())
    ungraded /= ungraded.sum()
    majority = votes / votes.sum() if votes.sum() else np.full(len(hyps), 1 / len(hyps))
    return {
        "enquiry": enquiry,
        "naive Bayes, graded": graded_nb,
        "naive Bayes, ungraded": ungraded,
        "Heuer inconsistency": heuer,
        "majority vote": majority,
    }


def expected_calibration_error(pairs: list[tuple[float, float]], bins: int = 10) -> float:
    """How far stated probabilities sit from observed frequencies: per bin of stated
    probability, |mean stated - share true|, weighted by the bin's size."""
    p = np.array([a for a, _ in pairs])
    y = np.array([b for _, b in pairs])
    which = np.minimum((p * bins).astype(int), bins - 1)
    error = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            error += mask.sum() / len(p) * abs(p[mask].mean() - y[mask].mean())
    return float(error)


def calibration(n_worlds: int) -> dict[str, dict[str, float]]:
    scenarios = {
        "plain": (False, False),
        "echo chains": (True, False),
        "floods": (False, True),
        "echo + flood": (True, True),
    }
    scores: dict[str, dict[str, list[tuple[float, float]]]] = {}
    stated: dict[str, list[tuple[float, float]]] = {}
    flips = 0
    flood_worlds = 0
    for w in range(n_worlds):
        name = list(scenarios)[w % len(scenarios)]
        echo, flood = scenarios[name]
        truth, inp, clean = world(w, echo, flood)
        result = analyse(inp)
        if flood:
            flood_worlds += 1
            flips += analyse(clean).leading != result.leading
        target = np.eye(K)[truth]
        for method, f in forecasts(inp, result).items():
            brier = float(((f - target) ** 2).sum())
            # a tie for the lead earns the truth its share of the tie
            acc = float(np.isclose(f, f.max())[truth] / np.isclose(f, f.max()).sum())
            for key in (name, "all"):
                scores.setdefault(key, {}).setdefault(method, []).append((brier, acc))
            stated.setdefault(method, []).extend(zip(f.tolist(), target.tolist(), strict=True))
    print(
        f"\n(b) calibration: {n_worlds} seeded worlds, {K} hypotheses each (Brier: lower is better)"
    )
    methods = list(scores["all"])
    header = f"    {'worlds':<14}" + "".join(f"{m:>24}" for m in methods)
    print(header)
    summary: dict[str, dict[str, float]] = {}
    for key in [*scenarios, "all"]:
        cells = []
        for m in methods:
            values = scores[key][m]
            b = statistics.fmean(v[0] for v in values)
            a = statistics.fmean(v[1] for v in values)
            summary.setdefault(key, {})[m] = b
            cells.append(f"{b:>11.3f} / {a:>6.1%} acc")
        print(f"    {key:<14}" + "".join(f"{c:>24}" for c in cells))
    best = min(summary["all"], key=lambda m: summary["all"][m])
    print(f"    best Brier overall: {best}")
    print(
        "    expected calibration error (every stated probability, 10 bins): "
        + ", ".join(f"{m} {expected_calibration_error(stated[m]):.3f}" for m in methods)
    )
    print(f"    floods that changed enquiry's conclusion: {flips} of {flood_worlds}")
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--hypotheses", type=int, default=20)
    parser.add_argument("--worlds", type=int, default=400)
    args = parser.parse_args()
    speed(args.items, args.hypotheses)
    summary = calibration(args.worlds)
    ok = min(summary["all"], key=lambda m: summary["all"][m]) == "enquiry"
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
