"""Sources judged by their record, and the truth of many claims judged from many reports.

A *report* is one source's stance (``for`` / ``against`` / ``observing``) on one claim. Three
things are computed from reports, all pure (data in, result out; no database, no clock, no
randomness):

- **Track record** (:func:`track_record`): for each source, how many of its reports on claims
  whose outcome is known were right (``for`` a true claim, ``against`` a false one) and how many
  wrong, as a Beta posterior. The prior of a source is its *kind's* pooled record (itself
  pooled toward all sources'), so a new ministry starts from what ministries have earned.
  :func:`suggested_grade` turns the posterior into an Admiralty reliability grade, never
  applied by itself.
- **Truth discovery** (:func:`estimate`): claims whose outcome is unknown are estimated from the
  reports on them and the sources' records, iterating source reliability and claim truth (the
  EM of Dawid and Skene with a Beta prior per source). Reports that repeat another report's
  wording on the same claim — or the same source repeating itself — are *copies* and counted
  once, like the engine's dependence clusters (:func:`copy_clusters`). When enough outcomes are
  known, a small logistic model learnt on them maps the weighted stance counts and the
  reliability vote to a calibrated ``p_true``; without outcomes, the vote alone is used. A
  claim is ``true`` or ``false`` only when its log-odds stand clear of even by more than the
  model's own uncertainty allows ("cannot tell" otherwise); how far is learnt from known claims
  whose outcome stayed unknown, when there are some.
- **Baselines** for the benchmark and for honest comparison: majority vote of stances, naive
  Bayes over stances, and TruthFinder (Yin, Han and Yu 2007).

``p_true`` is the probability that the claim is true given that it is settled one way or the
other; the verdict ``unknown`` says the evidence does not carry a conclusion.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

STANCES = ("for", "against", "observing")
TRUTHS = ("true", "false", "unknown")
SIGN = {"for": 1.0, "against": -1.0, "observing": 0.0}
_ONE_HOT = {
    "for": (1.0, 0.0, 0.0),
    "against": (0.0, 1.0, 0.0),
    "observing": (0.0, 0.0, 1.0),
}

COPY_SIMILARITY = 0.6
"""Word-set Jaccard at or above which two reports on one claim share their wording."""
FOLLOW_SIMILARITY = 0.35
"""Shared wording enough to call a report that closely follows another a copy of it."""
FOLLOW_DAYS = 2
POOL_STRENGTH = 4.0
"""Pseudo-reports a kind's pooled record weighs as the prior of each of its sources."""
GLOBAL_STRENGTH = 4.0
"""Pseudo-reports of :data:`PRIOR_RIGHT` the all-sources record starts from, and what each
kind's prior is pooled toward."""
PRIOR_RIGHT = 0.7
"""A source is taken to be right more often than not until the records say otherwise (without
it, reports with no outcome known could not tell truth from falsehood at all)."""
"""Pseudo-reports the all-sources record weighs as the prior of each kind."""
SOFT_WEIGHT = 0.5
"""How much a report on a claim whose truth is only estimated counts toward a source's record."""
MIN_KNOWN = 8
"""Known true and known false claims needed (each) before a model is learnt from outcomes."""
DEFAULT_BAND = 0.1
"""Half-width of the "cannot tell" band around 0.5 of the reliability vote (no outcomes)."""
DEFAULT_CAUTION = 0.1
"""Standard errors of its log-odds within which a learnt estimate cannot tell, unless known
claims whose outcome stayed unknown teach another threshold."""
CAUTION_COST = 0.01
"""Accuracy on settled claims the learnt cannot-tell threshold may give up for the three-way."""
CAUTION_GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)
MIN_REPORTS = 3
"""Reports on settled claims a record needs before it suggests a grade."""
INTERVAL = 0.9
"""Credible level of the reliability intervals."""
EM_ROUNDS = 10
RIDGE = 1.0
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Report:
    """One source's stance on one claim; ``text`` and ``date`` (ISO) are optional."""

    claim: str
    source: str
    stance: str
    date: str | None = None
    text: str | None = None
    kind: str = ""
    scores: tuple[float, float, float] | None = None
    """P(for), P(against), P(observing) when the stance is predicted (a stance model's
    calibrated probabilities); ``stance`` is then the likeliest. ``None``: the stance is given."""

    def weights(self) -> tuple[float, float, float]:
        """How much the report counts as for, against and observing: its stance's
        probabilities when predicted, else all of it on the given stance."""
        if self.scores is not None:
            return self.scores
        return _ONE_HOT[self.stance]


@dataclass(frozen=True)
class Reliability:
    """A source's record as a Beta(alpha, beta) posterior of being right."""

    source: str
    kind: str
    n: int
    right: float
    wrong: float
    alpha: float
    beta: float
    low: float
    high: float

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "reliability": round(self.mean, 4),
            "low": round(self.low, 4),
            "high": round(self.high, 4),
            "n": self.n,
        }


@dataclass(frozen=True)
class ClaimEstimate:
    """The estimate for one claim: ``p_true`` and the verdict it supports."""

    claim: str
    p_true: float
    verdict: str
    reports: int = 0
    independent: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"claim": self.claim, "p_true": round(self.p_true, 4), "verdict": self.verdict}


@dataclass(frozen=True)
class TruthResult:
    """Every claim's estimate, every source's reliability, and how they were reached."""

    claims: tuple[ClaimEstimate, ...]
    sources: tuple[Reliability, ...]
    method: str
    caution: float
    copies: tuple[tuple[int, ...], ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "claims": [c.to_dict() for c in self.claims],
            "sources": [s.to_dict() for s in self.sources],
        }


# -- small numerical helpers -------------------------------------------------------------------


def beta_interval(alpha: float, beta: float, level: float = INTERVAL) -> tuple[float, float]:
    """The equal-tailed credible interval of Beta(alpha, beta), on a fine grid (numpy only)."""
    grid = np.linspace(0.0, 1.0, 4001)[1:-1]
    log_pdf = (alpha - 1) * np.log(grid) + (beta - 1) * np.log1p(-grid)
    pdf = np.exp(log_pdf - log_pdf.max())
    cdf = np.cumsum(pdf)
    cdf /= cdf[-1]
    tail = (1.0 - level) / 2
    low = float(np.interp(tail, cdf, grid))
    high = float(np.interp(1.0 - tail, cdf, grid))
    return low, high


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _sigmoid(x: NDArray[np.float64]) -> NDArray[np.float64]:
    out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))
    return out


def fit_logistic(
    x: NDArray[np.float64], y: NDArray[np.float64], ridge: float = RIDGE
) -> NDArray[np.float64]:
    """Weights of an L2-penalised logistic regression (Newton's method; the last column of
    ``x`` is the unpenalised intercept)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], ridge)
    penalty[-1] = 0.0
    for _ in range(50):
        p = _sigmoid(x @ w)
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return w


def verdict(p_true: float, band: float) -> str:
    """``true`` / ``false`` outside the cannot-tell band around 0.5, else ``unknown``."""
    if p_true >= 0.5 + band and p_true > 0.5:
        return "true"
    if p_true <= 0.5 - band and p_true < 0.5:
        return "false"
    return "unknown"


# -- copies ------------------------------------------------------------------------------------


def _words(text: str | None) -> frozenset[str]:
    return frozenset(_WORD.findall((text or "").lower()))


def _follows(a: Report, b: Report) -> bool:
    """Whether one of two dated reports came out within :data:`FOLLOW_DAYS` after the other."""
    if not a.date or not b.date:
        return False
    try:
        first = dt.date.fromisoformat(a.date[:10])
        second = dt.date.fromisoformat(b.date[:10])
    except ValueError:
        return False
    return abs((second - first).days) <= FOLLOW_DAYS


def copy_clusters(reports: Sequence[Report]) -> tuple[list[int], list[tuple[int, ...]]]:
    """Group each claim's reports into copy clusters; return each report's cluster number and
    the clusters of more than one report.

    Two reports on one claim with the same stance are copies when the same source made both,
    when their wordings share at least :data:`COPY_SIMILARITY` of their words (Jaccard), or
    when one follows the other within :data:`FOLLOW_DAYS` days and they share at least
    :data:`FOLLOW_SIMILARITY` (reports without dates are compared on wording alone). A copy
    adds no independent evidence, so every cluster counts once."""
    parent = list(range(len(reports)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_claim: dict[str, list[int]] = defaultdict(list)
    for n, report in enumerate(reports):
        by_claim[report.claim].append(n)
    for members in by_claim.values():
        seen: dict[tuple[str, str], int] = {}
        for n in members:
            key = (reports[n].source, reports[n].stance)
            if key in seen:
                join(seen[key], n)
            else:
                seen[key] = n
        wording = [(n, _words(reports[n].text)) for n in members if reports[n].text]
        for i, (a, words_a) in enumerate(wording):
            for b, words_b in wording[i + 1 :]:
                if reports[a].stance != reports[b].stance or not words_a or not words_b:
                    continue
                shared = len(words_a & words_b) / len(words_a | words_b)
                if shared >= COPY_SIMILARITY or (
                    shared >= FOLLOW_SIMILARITY and _follows(reports[a], reports[b])
                ):
                    join(a, b)
    roots = [find(n) for n in range(len(reports))]
    groups: dict[int, list[int]] = defaultdict(list)
    for n, root in enumerate(roots):
        groups[root].append(n)
    return roots, [tuple(g) for g in groups.values() if len(g) > 1]


def copy_weights(reports: Sequence[Report]) -> list[float]:
    """Each report's weight: one over the size of its copy cluster."""
    roots, _ = copy_clusters(reports)
    size: dict[int, int] = defaultdict(int)
    for root in roots:
        size[root] += 1
    return [1.0 / size[root] for root in roots]


# -- track record ------------------------------------------------------------------------------


def _pooled_priors(
    tallies: Mapping[str, tuple[float, float]], kinds: Mapping[str, str]
) -> dict[str, tuple[float, float]]:
    """Each kind's Beta prior: its sources' pooled record, pooled in turn toward everyone's."""
    right_all = sum(r for r, _ in tallies.values())
    wrong_all = sum(w for _, w in tallies.values())
    mean_all = (right_all + PRIOR_RIGHT * GLOBAL_STRENGTH) / (
        right_all + wrong_all + GLOBAL_STRENGTH
    )
    by_kind: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for source, (right, wrong) in tallies.items():
        by_kind[kinds.get(source, "")][0] += right
        by_kind[kinds.get(source, "")][1] += wrong
    priors = {}
    for kind in set(kinds.values()) | set(by_kind):
        right, wrong = by_kind.get(kind, [0.0, 0.0])
        mean = (right + GLOBAL_STRENGTH * mean_all) / (right + wrong + GLOBAL_STRENGTH)
        priors[kind] = (POOL_STRENGTH * mean, POOL_STRENGTH * (1 - mean))
    priors.setdefault("", (POOL_STRENGTH * mean_all, POOL_STRENGTH * (1 - mean_all)))
    return priors


def _tally(
    reports: Sequence[Report],
    weights: Sequence[float],
    truth: Mapping[str, float],
    soft: Mapping[str, float] | None = None,
) -> tuple[dict[str, tuple[float, float]], dict[str, int]]:
    """Right and wrong (weighted) per source over reports on claims of known (or, with
    ``soft``, estimated) truth; ``truth`` maps a claim to 1.0 (true) or 0.0 (false)."""
    right: dict[str, float] = defaultdict(float)
    wrong: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for report, weight in zip(reports, weights, strict=True):
        yes, no, _ = report.weights()
        if yes + no <= 0.0:
            continue
        if report.claim in truth:
            p, scale = truth[report.claim], 1.0
            count[report.source] += int(SIGN[report.stance] != 0.0)
        elif soft is not None and report.claim in soft:
            p, scale = soft[report.claim], SOFT_WEIGHT
        else:
            continue
        right[report.source] += scale * weight * (yes * p + no * (1.0 - p))
        wrong[report.source] += scale * weight * (yes * (1.0 - p) + no * p)
    sources = set(right) | set(wrong)
    return {s: (right[s], wrong[s]) for s in sources}, dict(count)


def _binary(known: Mapping[str, str]) -> dict[str, float]:
    return {c: 1.0 if t == "true" else 0.0 for c, t in known.items() if t in ("true", "false")}


def track_record(
    reports: Sequence[Report],
    known: Mapping[str, str],
    weights: Sequence[float] | None = None,
    soft: Mapping[str, float] | None = None,
    *,
    intervals: bool = True,
) -> dict[str, Reliability]:
    """Every reporting source's Beta posterior of being right, from its reports on claims of
    known outcome (``known``: claim -> true / false / unknown) and, weighted down, on claims
    whose truth is estimated (``soft``: claim -> p_true). Without ``intervals`` the credible
    intervals are left out (NaN), for the rounds of an iteration that needs only the means."""
    weights = list(weights) if weights is not None else [1.0] * len(reports)
    kinds = {r.source: r.kind for r in reports}
    tallies, counts = _tally(reports, weights, _binary(known), soft)
    priors = _pooled_priors(tallies, kinds)
    out = {}
    for source in sorted(kinds):
        right, wrong = tallies.get(source, (0.0, 0.0))
        a0, b0 = priors.get(kinds[source], priors[""])
        alpha, beta = a0 + right, b0 + wrong
        low, high = beta_interval(alpha, beta) if intervals else (math.nan, math.nan)
        out[source] = Reliability(
            source, kinds[source], counts.get(source, 0), right, wrong, alpha, beta, low, high
        )
    return out


def record_line(grade: str, right: int, reports: int) -> str:
    """A grade beside its record, as the matrix, the report and the commands show it."""
    if not reports:
        return f"graded {grade}; no record"
    return f"graded {grade}; record {right} right of {reports}"


def suggested_grade(record: Reliability, min_reports: int = MIN_REPORTS) -> str:
    """The Admiralty reliability grade a record supports: F (cannot be judged) below
    ``min_reports`` judged reports; otherwise by where the interval lies (A: its low end at
    0.8 or more; B: 0.6 or more; C: the mean at 0.6 or more; D: the high end at 0.4 or more;
    E below)."""
    if record.n < min_reports:
        return "F"
    if record.low >= 0.8:
        return "A"
    if record.low >= 0.6:
        return "B"
    if record.mean >= 0.6:
        return "C"
    if record.high >= 0.4:
        return "D"
    return "E"


# -- truth discovery ---------------------------------------------------------------------------


def _validate(reports: Sequence[Report], known: Mapping[str, str]) -> None:
    for report in reports:
        if report.stance not in STANCES:
            raise ValueError(f"report by {report.source!r}: stance {report.stance!r} unknown")
        if report.scores is not None:
            scores = report.scores
            if (
                len(scores) != 3
                or not all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in scores)
                or abs(sum(scores) - 1.0) > 1e-3
            ):
                raise ValueError(
                    f"report by {report.source!r}: stance probabilities {scores!r} are not "
                    "three probabilities summing to one"
                )
    for claim, truth in known.items():
        if truth not in TRUTHS:
            raise ValueError(f"claim {claim!r}: truth {truth!r} unknown")


def _claim_features(
    reports: Sequence[Report],
    weights: Sequence[float],
    claims: Sequence[str],
    reliability: Mapping[str, float],
    own: Mapping[tuple[str, str], tuple[float, float]] | None = None,
    tallies: Mapping[str, tuple[float, float]] | None = None,
    priors: Mapping[str, tuple[float, float]] | None = None,
) -> NDArray[np.float64]:
    """Per claim: log weighted counts of each stance, the shares of for and against, the
    reliability vote (sum of stance sign x logit reliability, copies once), and an intercept.

    With ``own``, ``tallies`` and ``priors`` a source's reliability for a claim leaves out that
    claim's own reports, so a model learnt on known claims never sees their answer twice."""
    index = {c: n for n, c in enumerate(claims)}
    counts = np.zeros((len(claims), 3))
    vote = np.zeros(len(claims))
    for report, weight in zip(reports, weights, strict=True):
        row = index.get(report.claim)
        if row is None:
            continue
        shares_of = report.weights()
        counts[row] += weight * np.asarray(shares_of)
        sign = shares_of[0] - shares_of[1]
        if not sign:
            continue
        r = reliability.get(report.source, 0.5)
        if own is not None and tallies is not None and priors is not None:
            mine = own.get((report.source, report.claim))
            if mine is not None:
                right, wrong = tallies.get(report.source, (0.0, 0.0))
                a0, b0 = priors[report.kind] if report.kind in priors else priors[""]
                r = (a0 + right - mine[0]) / (a0 + b0 + right + wrong - mine[0] - mine[1])
        vote[row] += weight * sign * _logit(r)
    total = counts.sum(axis=1, keepdims=True)
    shares = counts / np.maximum(total, 1e-9)
    return np.column_stack([np.log1p(counts), shares[:, :2], vote, np.ones(len(claims))]).astype(
        np.float64
    )


def _own_contributions(
    reports: Sequence[Report], weights: Sequence[float], truth: Mapping[str, float]
) -> dict[tuple[str, str], tuple[float, float]]:
    own: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for report, weight in zip(reports, weights, strict=True):
        yes, no, _ = report.weights()
        if yes + no > 0.0 and report.claim in truth:
            p = truth[report.claim]
            own[(report.source, report.claim)][0] += weight * (yes * p + no * (1.0 - p))
            own[(report.source, report.claim)][1] += weight * (yes * (1.0 - p) + no * p)
    return {k: (v[0], v[1]) for k, v in own.items()}


def _stance_counts(
    reports: Sequence[Report], weights: Sequence[float], claims: Sequence[str]
) -> NDArray[np.float64]:
    """Per claim, the copy-weighted expected count of each stance."""
    index = {c: n for n, c in enumerate(claims)}
    counts = np.zeros((len(claims), 3))
    for report, weight in zip(reports, weights, strict=True):
        row = index.get(report.claim)
        if row is not None:
            counts[row] += weight * np.asarray(report.weights())
    return counts


def _surest_denial(reports: Sequence[Report], claims: Sequence[str]) -> NDArray[np.float64]:
    """Per claim, the largest probability of ``against`` among its reports (1 for a given
    ``against``). A claim that turns out false is often denied outright by one outlet among
    many that repeat it; pooled over reports, one sure denial weighs as much as several unsure
    ones, which a stance model spreads over every headline it cannot read. The surest denial
    tells the two apart (on Emergent with predicted stances it lowered the Brier score on every
    fold seed, docs/benchmarks.md)."""
    index = {c: n for n, c in enumerate(claims)}
    out = np.zeros(len(claims))
    for report in reports:
        row = index.get(report.claim)
        if row is not None:
            out[row] = max(out[row], report.weights()[1])
    return out


class _Evidence:
    """What each stance says about a claim's truth, pooled over every source: the log-ratio of
    its share among the reports on true and on false known claims (add-one, copies once), as
    naive Bayes learns it — over expected counts when stances are predicted, so that a stance
    the model was unsure of weighs little, and what the stance model tends to get wrong is
    learnt with the rest. A claim's evidence is the sum over its reports; a known claim is
    scored by the ratio learnt without its own reports."""

    def __init__(
        self, reports: Sequence[Report], weights: Sequence[float], truth: Mapping[str, float]
    ) -> None:
        self.weights = weights
        self.truth = truth
        claims = sorted(truth)
        self.own = dict(zip(claims, _stance_counts(reports, weights, claims), strict=True))
        self.totals = np.ones((2, 3))
        for claim in claims:
            self.totals[int(truth[claim])] += self.own[claim]

    @staticmethod
    def _ratio(totals: NDArray[np.float64]) -> NDArray[np.float64]:
        log_like = np.log(totals / totals.sum(axis=1, keepdims=True))
        out: NDArray[np.float64] = log_like[1] - log_like[0]
        return out

    def __call__(
        self, reports: Sequence[Report], claims: Sequence[str], leave_out: bool = False
    ) -> NDArray[np.float64]:
        counts = _stance_counts(reports, self.weights, claims)
        ratio = self._ratio(self.totals)
        out = np.zeros(len(claims))
        for n, claim in enumerate(claims):
            if leave_out and claim in self.truth:
                totals = self.totals.copy()
                totals[int(self.truth[claim])] -= self.own[claim]
                out[n] = counts[n] @ self._ratio(totals)
            else:
                out[n] = counts[n] @ ratio
        return out


FEATURES = ("records", "stances")
"""What the learnt model reads. ``records``: each claim's stance counts and shares and the
reliability vote (every independent report's stance weighted by its source's record).
``stances``: the pooled stance evidence (:class:`_Evidence`), the log expected count of each
stance (copies once) and the surest denial (:func:`_surest_denial`), no per-source records — what holds up when the stances are predicted: a
source's record learnt from predicted stances measures the stance model's errors as much as the
source, over the two or three reports most sources have."""


class _Model:
    """The logistic map from a claim's features (:data:`FEATURES`) to p_true, learnt on known
    claims."""

    def __init__(
        self,
        reports: Sequence[Report],
        weights: Sequence[float],
        truth: Mapping[str, float],
        features: str = "records",
    ) -> None:
        self.features = features
        self.evidence = _Evidence(reports, weights, truth) if features == "stances" else None
        claims = sorted(truth)
        if self.evidence is not None:
            x = self._stances(reports, claims, leave_out=True)
        else:
            kinds = {r.source: r.kind for r in reports}
            tallies, _ = _tally(reports, weights, truth)
            priors = _pooled_priors(tallies, kinds)
            own = _own_contributions(reports, weights, truth)
            full = {}
            for source, kind in kinds.items():
                right, wrong = tallies.get(source, (0.0, 0.0))
                a0, b0 = priors.get(kind, priors[""])
                full[source] = (a0 + right) / (a0 + b0 + right + wrong)
            x = _claim_features(reports, weights, claims, full, own, tallies, priors)
        y = np.array([truth[c] for c in claims])
        self.w = fit_logistic(x, y)
        q = _sigmoid(x @ self.w)
        penalty = np.full(x.shape[1], RIDGE)
        penalty[-1] = 1e-9
        hess = (x * (q * (1 - q))[:, None]).T @ x + np.diag(penalty)
        self.covariance = np.linalg.inv(hess)

    def _stances(
        self, reports: Sequence[Report], claims: Sequence[str], leave_out: bool = False
    ) -> NDArray[np.float64]:
        assert self.evidence is not None
        evidence = self.evidence(reports, claims, leave_out)
        counts = _stance_counts(reports, self.evidence.weights, claims)
        denial = _surest_denial(reports, claims)
        return np.column_stack([evidence, np.log1p(counts), denial, np.ones(len(claims))])

    def _features(
        self,
        reports: Sequence[Report],
        weights: Sequence[float],
        claims: Sequence[str],
        reliability: Mapping[str, float],
    ) -> NDArray[np.float64]:
        if self.evidence is not None:
            return self._stances(reports, claims)
        return _claim_features(reports, weights, claims, reliability)

    def predict(
        self,
        reports: Sequence[Report],
        weights: Sequence[float],
        claims: Sequence[str],
        reliability: Mapping[str, float],
    ) -> NDArray[np.float64]:
        x = self._features(reports, weights, claims, reliability)
        return _sigmoid(x @ self.w)

    def spread(
        self,
        reports: Sequence[Report],
        weights: Sequence[float],
        claims: Sequence[str],
        reliability: Mapping[str, float],
    ) -> NDArray[np.float64]:
        """Each claim's log-odds over its standard error (the model's own uncertainty)."""
        x = self._features(reports, weights, claims, reliability)
        se = np.sqrt(np.einsum("ij,jk,ik->i", x, self.covariance, x))
        out: NDArray[np.float64] = (x @ self.w) / np.maximum(se, 1e-9)
        return out


def _vote_probability(
    reports: Sequence[Report],
    weights: Sequence[float],
    claims: Sequence[str],
    reliability: Mapping[str, float],
    prior: float,
) -> NDArray[np.float64]:
    """Dawid–Skene's posterior with symmetric source accuracies: prior log-odds plus each
    independent report's stance sign times the log-odds of its source being right."""
    x = _claim_features(reports, weights, claims, reliability)
    return _sigmoid(_logit(prior) + x[:, 5])


def _inner_predictions(
    reports: Sequence[Report], weights: Sequence[float], known: Mapping[str, str], features: str
) -> dict[str, tuple[float, float]] | None:
    """Every known claim's p_true and log-odds over its standard error, each predicted by a
    model learnt on the other two thirds of the known claims; ``None`` when a third leaves too
    few true or false claims to learn from."""
    claims = sorted(known)
    predicted: dict[str, tuple[float, float]] = {}
    for n in range(3):
        fold = claims[n::3]
        held = set(fold)
        train = {c: t for c, t in known.items() if c not in held}
        binary = _binary(train)
        if sum(binary.values()) < 2 or len(binary) - sum(binary.values()) < 2:
            return None
        model = _Model(reports, weights, binary, features)
        records = track_record(reports, train, weights, intervals=False)
        reliability = {s: r.mean for s, r in records.items()}
        p = model.predict(reports, weights, fold, reliability)
        z = model.spread(reports, weights, fold, reliability)
        for claim, p_c, z_c in zip(fold, p, z, strict=True):
            predicted[claim] = (float(p_c), float(z_c))
    return predicted


def _learn_caution(
    reports: Sequence[Report], weights: Sequence[float], known: Mapping[str, str], features: str
) -> float:
    """The cannot-tell threshold (in standard errors of a claim's log-odds) learnt on known
    claims, each predicted by a model learnt on the other two thirds: the one with the best
    three-way accuracy (claims whose outcome stayed unknown count) among those that lose at
    most :data:`CAUTION_COST` of the accuracy on true and false claims — a "cannot tell" on a
    claim that was settled is a wrong answer. :data:`DEFAULT_CAUTION` when fewer than
    :data:`MIN_KNOWN` known claims stayed unknown."""
    if sum(t == "unknown" for t in known.values()) < MIN_KNOWN:
        return DEFAULT_CAUTION
    predicted = _inner_predictions(reports, weights, known, features)
    if predicted is None:
        return DEFAULT_CAUTION
    claims = sorted(known)
    decided = [c for c in claims if known[c] != "unknown"]
    scores = []
    for threshold in CAUTION_GRID:
        said = {c: _say(*predicted[c], threshold) for c in claims}
        two_way = sum(said[c] == known[c] for c in decided) / max(len(decided), 1)
        three_way = sum(said[c] == known[c] for c in claims) / len(claims)
        scores.append((threshold, two_way, three_way))
    best_two_way = max(two_way for _, two_way, _ in scores)
    allowed = [s for s in scores if s[1] >= best_two_way - CAUTION_COST]
    return float(max(allowed, key=lambda s: (s[2], -s[0]))[0])


def _say(p_true: float, z: float, caution: float) -> str:
    """The verdict of a learnt estimate: cannot tell while the log-odds lie within
    ``caution`` standard errors of even."""
    if abs(z) < caution or p_true == 0.5:
        return "unknown"
    return "true" if p_true > 0.5 else "false"


def estimate(
    reports: Sequence[Report],
    known: Mapping[str, str] | None = None,
    *,
    caution: float | None = None,
    copies: bool = True,
    features: str | None = None,
) -> TruthResult:
    """Estimate every reported claim's truth and every source's reliability at once.

    ``known`` maps claims to their outcome (true / false / unknown); known true and false
    claims keep their outcome and teach the sources' records; when at least :data:`MIN_KNOWN`
    of each are known a logistic model is learnt on them, else the reliability vote alone is
    used. Claims of unknown truth are estimated by EM: their estimates feed the records
    (weighted by :data:`SOFT_WEIGHT`), the records re-estimate them, up to :data:`EM_ROUNDS`
    times. A learnt estimate cannot tell while its log-odds lie within ``caution`` standard
    errors of even (learnt from the known claims whose outcome stayed unknown when not given);
    the vote cannot tell within :data:`DEFAULT_BAND` of 0.5.

    Reports whose stance was predicted carry its probabilities (:attr:`Report.scores`) and
    count toward each stance by them. What the learnt model reads (``features``, one of
    :data:`FEATURES`) is, unless given, the sources' records when every stance is given and the
    pooled stance evidence when any was predicted (measured on Emergent, docs/benchmarks.md)."""
    known = dict(known or {})
    _validate(reports, known)
    weights = copy_weights(reports) if copies else [1.0] * len(reports)
    clusters = copy_clusters(reports)[1] if copies else []
    truth = _binary(known)
    claims = sorted({r.claim for r in reports} | set(known))
    open_claims = [c for c in claims if c not in truth]
    n_true = sum(truth.values())
    supervised = n_true >= MIN_KNOWN and len(truth) - n_true >= MIN_KNOWN
    prior = (n_true + 1.0) / (len(truth) + 2.0)
    if features is None:
        predicted = any(r.scores is not None for r in reports)
        features = "stances" if predicted else "records"
    if features not in FEATURES:
        raise ValueError(f"features {features!r} unknown (one of {', '.join(FEATURES)})")
    model = _Model(reports, weights, truth, features) if supervised else None
    if caution is None:
        caution = (
            _learn_caution(reports, weights, known, features) if supervised else DEFAULT_CAUTION
        )
    soft: dict[str, float] = {}
    records = track_record(reports, known, weights, intervals=False)
    for _ in range(EM_ROUNDS if open_claims else 1):
        reliability = {s: r.mean for s, r in records.items()}
        if model is not None:
            p = model.predict(reports, weights, open_claims, reliability)
        else:
            p = _vote_probability(reports, weights, open_claims, reliability, prior)
        new = {c: float(v) for c, v in zip(open_claims, p, strict=True)}
        settled = bool(soft) and max(abs(new[c] - soft[c]) for c in open_claims) < 1e-6
        soft = new
        records = track_record(reports, known, weights, soft, intervals=False)
        if settled:
            break
    records = track_record(reports, known, weights, soft)
    reliability = {s: r.mean for s, r in records.items()}
    if model is not None:
        z = model.spread(reports, weights, open_claims, reliability)
        said = {
            c: _say(soft[c], float(z_c), caution) for c, z_c in zip(open_claims, z, strict=True)
        }
    else:
        said = {c: verdict(soft[c], DEFAULT_BAND) for c in open_claims}
    counted: dict[str, int] = defaultdict(int)
    independent: dict[str, float] = defaultdict(float)
    for report, weight in zip(reports, weights, strict=True):
        counted[report.claim] += 1
        independent[report.claim] += weight
    estimates = []
    for claim in claims:
        if claim in truth:
            p_true, answer = truth[claim], known[claim]
        else:
            p_true, answer = soft[claim], said[claim]
        estimates.append(
            ClaimEstimate(claim, p_true, answer, counted[claim], round(independent[claim], 6))
        )
    method = "reliability vote"
    if supervised:
        method = "learnt from outcomes" + (" (pooled stances)" if features == "stances" else "")
    return TruthResult(tuple(estimates), tuple(records.values()), method, caution, tuple(clusters))


# -- baselines ---------------------------------------------------------------------------------


def _by_claim(reports: Iterable[Report]) -> dict[str, list[Report]]:
    out: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        out[report.claim].append(report)
    return out


def majority_vote(reports: Sequence[Report]) -> dict[str, float]:
    """p_true as the (add-one) share of ``for`` among a claim's for and against reports;
    a tie gives 0.5, which reads as unknown."""
    out = {}
    for claim, rows in _by_claim(reports).items():
        yes = sum(r.stance == "for" for r in rows)
        no = sum(r.stance == "against" for r in rows)
        out[claim] = (yes + 1.0) / (yes + no + 2.0)
    return out


def naive_bayes(
    reports: Sequence[Report], known: Mapping[str, str], *, soft: bool = False
) -> dict[str, float]:
    """Every report independent, stance counts multinomial given the truth (add-one), learnt
    on the known true and false claims; p_true for every reported claim. With ``soft``, a
    report with predicted stance probabilities counts fractionally toward each stance (the
    expected counts), in learning and in scoring."""

    def shares(report: Report) -> NDArray[np.float64]:
        if soft:
            return np.asarray(report.weights(), dtype=np.float64)
        return np.asarray(_ONE_HOT[report.stance], dtype=np.float64)

    truth = _binary(known)
    counts = np.ones((2, 3))
    for report in reports:
        if report.claim in truth:
            counts[int(truth[report.claim])] += shares(report)
    log_like = np.log(counts / counts.sum(axis=1, keepdims=True))
    ratio = log_like[1] - log_like[0]
    n_true = sum(truth.values())
    prior = _logit((n_true + 1.0) / (len(truth) + 2.0))
    out = {}
    for claim, rows in _by_claim(reports).items():
        odds = prior + sum(float(shares(r) @ ratio) for r in rows)
        out[claim] = float(_sigmoid(np.array([odds]))[0])
    return out


def truthfinder(
    reports: Sequence[Report],
    known: Mapping[str, str] | None = None,
    *,
    initial: float = 0.9,
    dampening: float = 0.3,
    implication: float = 0.5,
    rounds: int = 20,
) -> dict[str, float]:
    """TruthFinder (Yin, Han and Yu 2007) with two facts per claim, "true" (backed by ``for``
    reports) and "false" (``against``), which imply each other's falsehood; observing reports
    back neither. Known outcomes fix their facts' confidence. p_true is the true fact's
    confidence over the sum of both."""
    truth = _binary(known or {})
    facts = sorted({(r.claim, v) for r in reports for v in (1, 0)})
    index = {f: n for n, f in enumerate(facts)}
    backers: dict[int, list[str]] = defaultdict(list)
    for report in reports:
        sign = SIGN[report.stance]
        if sign:
            backers[index[(report.claim, 1 if sign > 0 else 0)]].append(report.source)
    trust = {r.source: initial for r in reports}
    confidence = np.zeros(len(facts))
    for _ in range(rounds):
        tau = {s: -math.log(max(1.0 - t, 1e-9)) for s, t in trust.items()}
        score = np.array([sum(tau[s] for s in backers.get(n, [])) for n in range(len(facts))])
        adjusted = score.copy()
        for (claim, value), n in index.items():
            adjusted[n] -= implication * score[index[(claim, 1 - value)]]
        confidence = 1.0 / (1.0 + np.exp(-dampening * adjusted))
        for (claim, value), n in index.items():
            if claim in truth:
                confidence[n] = 1.0 if truth[claim] == value else 0.0
        sums: dict[str, list[float]] = defaultdict(list)
        for n, sources in backers.items():
            for source in sources:
                sums[source].append(float(confidence[n]))
        trust = {s: (sum(v) / len(v) if v else initial) for s, v in sums.items()} | {
            s: initial for s in trust if s not in sums
        }
        trust = {s: min(t, 0.99) for s, t in trust.items()}
    out = {}
    for claim in sorted({r.claim for r in reports}):
        yes, no = confidence[index[(claim, 1)]], confidence[index[(claim, 0)]]
        out[claim] = float(yes / (yes + no)) if yes + no > 0 else 0.5
    return out
