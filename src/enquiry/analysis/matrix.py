"""The evidence x hypothesis matrix in numbers: ratings -> P(E|H) -> P(report|H) -> log-LR.

The hit/false-alarm form: a report is true to what it describes with probability ``r`` (from
the source's reliability and the information's credibility); otherwise it is produced whatever
the truth, at the base rate ``q``. So P(report | H) = r * P(E | H) + (1 - r) * q. With ``q`` the
prior-weighted mean of P(E | H) over the hypotheses, P(report) = q, and the log-LR contribution
of an item to hypothesis H is log(P(report | H) / q): as r -> 0 every contribution -> 0 (LR 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from enquiry.analysis.inputs import RATINGS, AnalysisInput
from enquiry.analysis.tables import RATING_SCALE, Tables

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

EXPLICIT = -1
"""Rating code of a cell whose P(E|H) the analyst gave as a number."""

P_FLOOR = 1e-4
"""Explicit likelihoods are clipped to [P_FLOOR, 1 - P_FLOOR] so no single item is decisive."""


@dataclass(frozen=True)
class Matrix:
    """Arrays for N evidence rows and K hypotheses, in input order."""

    codes: IntArray
    """N x K index into :data:`enquiry.analysis.inputs.RATINGS`, or EXPLICIT."""
    rated: npt.NDArray[np.bool_]
    """N x K: the analyst rated this cell (missing ratings count as NA)."""
    p: FloatArray
    """N x K: P(E | H)."""
    r: FloatArray
    """N: probability the report is true to what it describes."""
    prior: FloatArray
    """K: prior probability of each hypothesis."""
    q: FloatArray
    """N: base rate, the prior-weighted mean of P(E | H)."""
    contrib: FloatArray
    """N x K: log(P(report | H) / q), the log-LR contribution."""
    cluster: IntArray
    """N: index of the dependence cluster."""
    cluster_ids: tuple[str, ...]
    source: IntArray
    """N: index of the source (an item without one is its own)."""
    source_ids: tuple[str, ...]


def hit_probability(reliability: str, credibility: int, tables: Tables) -> float:
    """r: the chance a report from this grade of source and information is true to its object."""
    if reliability not in tables.reliability:
        raise ValueError(f"unknown source reliability grade {reliability!r} (expected A-F)")
    if credibility not in tables.credibility:
        raise ValueError(f"unknown information credibility {credibility!r} (expected 1-6)")
    return tables.reliability[reliability] * tables.credibility[credibility]


def contributions(p: FloatArray, r: FloatArray, prior: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(q, log-LR contributions) for rows of P(E|H) and their report-true probabilities.

    Works on any leading shape, so sensitivity can evaluate many perturbed rows at once.
    """
    q = p @ prior
    report = r[..., None] * p + (1.0 - r)[..., None] * q[..., None]
    return q, np.log(report) - np.log(q)[..., None]


def priors(inp: AnalysisInput) -> FloatArray:
    """Stated priors kept, the remaining mass shared equally by the rest; normalised to 1."""
    given = [h.prior for h in inp.hypotheses]
    for h in inp.hypotheses:
        if h.prior is not None and not 0.0 < h.prior <= 1.0:
            raise ValueError(f"hypothesis {h.id}: prior {h.prior} is not in (0, 1]")
    stated = sum(g for g in given if g is not None)
    missing = sum(1 for g in given if g is None)
    rest = max(1.0 - stated, 0.0) / missing if missing else 0.0
    if missing and rest == 0.0:
        rest = 1.0 / len(given)
    values = np.array([g if g is not None else rest for g in given], dtype=np.float64)
    result: FloatArray = values / values.sum()
    return result


def _clusters(inp: AnalysisInput) -> tuple[IntArray, tuple[str, ...]]:
    """Union of explicit clusters and derived_from links; each cluster named by its first id."""
    ids = [e.id for e in inp.evidence]
    index = {eid: i for i, eid in enumerate(ids)}
    parent = list(range(len(ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    named: dict[str, int] = {}
    for i, e in enumerate(inp.evidence):
        if e.cluster is not None:
            if e.cluster in named:
                union(named[e.cluster], i)
            else:
                named[e.cluster] = i
        for other in e.derived_from:
            if other in index:
                union(index[other], i)
    label_of_root: dict[int, str] = {}
    for name, i in named.items():
        label_of_root.setdefault(find(i), name)
    roots = [find(i) for i in range(len(ids))]
    order: dict[int, int] = {}
    names: list[str] = []
    for i, root in enumerate(roots):
        if root not in order:
            order[root] = len(names)
            names.append(label_of_root.get(root, ids[i]))
    return np.array([order[r] for r in roots], dtype=np.int64), tuple(names)


def build(inp: AnalysisInput, tables: Tables) -> Matrix:
    """The matrix of one input; raises ValueError naming the evidence and field at fault."""
    hyp = [h.id for h in inp.hypotheses]
    col = {h: j for j, h in enumerate(hyp)}
    n, k = len(inp.evidence), len(hyp)
    hyp_set = set(hyp)
    code_of = {rating: code for code, rating in enumerate(RATINGS)}
    na = code_of["NA"]
    rows: list[list[int]] = []
    r = np.empty(n, dtype=np.float64)
    seen: set[str] = set()
    explicit: list[int] = []
    for i, e in enumerate(inp.evidence):
        if e.id in seen:
            raise ValueError(f"evidence {e.id}: the id appears twice")
        seen.add(e.id)
        try:
            r[i] = hit_probability(e.reliability, e.credibility, tables)
        except ValueError as exc:
            raise ValueError(f"evidence {e.id}: {exc}") from None
        ratings = e.ratings
        if not hyp_set.issuperset(ratings):
            unknown = sorted(set(ratings) - hyp_set)[0]
            raise ValueError(f"evidence {e.id}: rated against unknown hypothesis {unknown!r}")
        try:
            rows.append([code_of[ratings[h]] if h in ratings else na for h in hyp])
        except KeyError as exc:
            raise ValueError(
                f"evidence {e.id}: unknown rating {exc.args[0]!r} (expected {'/'.join(RATINGS)})"
            ) from None
        if e.likelihoods:
            explicit.append(i)
    codes = np.array(rows, dtype=np.int64).reshape(n, k)
    by_code = np.array([tables.rating[rating] for rating in RATINGS], dtype=np.float64)
    p = by_code[codes]
    rated = codes != na
    for i in explicit:
        e = inp.evidence[i]
        for hid, value in e.likelihoods.items():
            if hid not in col:
                raise ValueError(f"evidence {e.id}: likelihood for unknown hypothesis {hid!r}")
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"evidence {e.id}: P(E|{hid}) = {value} is not a probability")
            codes[i, col[hid]] = EXPLICIT
            rated[i, col[hid]] = True
            p[i, col[hid]] = min(max(value, P_FLOOR), 1.0 - P_FLOOR)
    p = np.clip(p, P_FLOOR, 1.0 - P_FLOOR)
    prior = priors(inp)
    q, contrib = contributions(p, r, prior)
    cluster, cluster_ids = _clusters(inp)
    source_names: dict[str, int] = {}
    source = np.empty(n, dtype=np.int64)
    for i, e in enumerate(inp.evidence):
        key = e.source if e.source is not None else f"(no source: {e.id})"
        source[i] = source_names.setdefault(key, len(source_names))
    return Matrix(
        codes=codes,
        rated=rated,
        p=p,
        r=r,
        prior=prior,
        q=q,
        contrib=contrib,
        cluster=cluster,
        cluster_ids=cluster_ids,
        source=source,
        source_ids=tuple(source_names),
    )


def step_values(tables: Tables) -> tuple[FloatArray, FloatArray, IntArray, IntArray]:
    """Per rating code: P(E|H) one step up and down the scale, and the codes reached (-2: none)."""
    up = np.full(len(RATINGS), np.nan)
    down = np.full(len(RATINGS), np.nan)
    up_code = np.full(len(RATINGS), -2, dtype=np.int64)
    down_code = np.full(len(RATINGS), -2, dtype=np.int64)
    for code, rating in enumerate(RATINGS):
        if rating not in RATING_SCALE:
            continue
        pos = RATING_SCALE.index(rating)
        if pos + 1 < len(RATING_SCALE):
            up[code] = tables.rating[RATING_SCALE[pos + 1]]
            up_code[code] = RATINGS.index(RATING_SCALE[pos + 1])
        if pos > 0:
            down[code] = tables.rating[RATING_SCALE[pos - 1]]
            down_code[code] = RATINGS.index(RATING_SCALE[pos - 1])
    return up, down, up_code, down_code
