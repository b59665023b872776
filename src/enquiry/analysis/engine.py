"""analyse(): one incident's evidence and claims in, a typed verdict with its reasoning out.

Pure: no database, no clock, no randomness. The same input gives the same output byte for byte
(``json.dumps(result.to_dict())``), so a stored finding can be re-derived by anyone; floats
are published to ten significant digits (:mod:`enquiry.analysis.precision`) so that last-bit
differences between machines do not show.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from enquiry.analysis import ach
from enquiry.analysis.inputs import RATINGS, RELIABILITY, AnalysisInput
from enquiry.analysis.matrix import Matrix, build
from enquiry.analysis.milestones import milestones
from enquiry.analysis.narratives import narratives
from enquiry.analysis.posterior import Posteriors, Representatives, posteriors, representatives
from enquiry.analysis.precision import published, published_number, rounded
from enquiry.analysis.priors import prior_bounds
from enquiry.analysis.result import (
    AnalysisResult,
    Cluster,
    DiagnosticEntry,
    Diagnosticity,
    EvidenceSetAside,
    HypothesisResult,
    IcdBand,
    KindSurvival,
    Linchpin,
    MatrixResult,
    MatrixRow,
    RecordScenario,
    SealedImpact,
    Sensitivity,
    TablesUsed,
)
from enquiry.analysis.sensitivity import Outcome, leave_out_evidence, run
from enquiry.analysis.tables import (
    CREDIBILITY_HIT,
    ICD203_BANDS,
    LINCHPIN_DROP,
    NON_DIAGNOSTIC_RANGE,
    RATING_LIKELIHOOD,
    RELIABILITY_HIT,
    Tables,
    band,
    resolve,
)
from enquiry.analysis.truth import record_line
from enquiry.analysis.wording import confidence, standards, statement

ENGINE_VERSION = "2"
"""Bumped whenever a table default or a rule changes the numbers; stored with every finding."""

MAX_LINCHPINS = 20
"""Linchpins listed (worst first); ``linchpins_total`` gives how many there were."""


def analyse(inp: AnalysisInput) -> AnalysisResult:
    """The full analysis of one incident (its JSON form is :meth:`AnalysisResult.to_dict`).

    Raises ValueError with a one-line message naming the evidence or hypothesis at fault when
    the input is inconsistent (unknown hypothesis, unknown grade, fewer than two hypotheses).
    """
    tables, m, reps, post, leader = _weighed(inp)
    leader_independent = int(np.argmax(post.independent))
    outcomes = run(inp, m, reps, post, tables, leader)
    survival = _survival(inp, m, outcomes, leader, float(post.dependent[leader]), tables)
    level = confidence(inp, m.contrib, m.prior, reps.rep, leader, leader_independent, survival)
    met = standards(float(post.low[leader]), tables.standards)
    hyp = inp.hypotheses
    name, lo, hi = band(float(post.dependent[leader]))
    incons = ach.inconsistency(m.codes)
    weighted = ach.weighted_inconsistency(
        m.codes, m.r * np.array([e.relevance for e in inp.evidence], dtype=np.float64)
    )
    counted = np.zeros(len(inp.evidence), dtype=np.bool_)
    counted[reps.rep] = True
    result = AnalysisResult(
        engine_version=ENGINE_VERSION,
        incident=inp.incident,
        hypotheses=tuple(
            HypothesisResult(
                id=h.id,
                label=h.label,
                is_other=h.is_other,
                prior=published(float(m.prior[j])),
                posterior=published(float(post.dependent[j])),
                posterior_low=published(float(post.low[j])),
                posterior_high=published(float(post.high[j])),
                posterior_independent=published(float(post.independent[j])),
                log_lr_total=published(float(post.dependent_total[j])),
                band=band(float(post.dependent[j]))[0],
                inconsistency=published(float(incons[j])),
                weighted_inconsistency=published(float(weighted[j])),
            )
            for j, h in enumerate(hyp)
        ),
        leading=hyp[leader].id,
        leading_if_independent=hyp[leader_independent].id,
        band=name,
        band_range=(published_number(lo), published_number(hi)),
        confidence=level,
        standards=met,
        statement=statement(
            hyp[leader].label,
            hyp[leader].id,
            float(post.dependent[leader]),
            float(post.low[leader]),
            float(post.high[leader]),
            level.level,
            met.met(),
        ),
        sensitivity=survival,
        diagnosticity=_diagnosticity(inp, reps),
        milestones=milestones(inp, m.prior, post.dependent_total, tables),
        clusters=_clusters(inp, m, reps),
        narratives=narratives(inp),
        warnings=tuple(_warnings(inp, m)),
        tables=TablesUsed(
            rating_likelihood={r: published_number(tables.rating[r]) for r in RATINGS},
            reliability_hit={g: published_number(tables.reliability[g]) for g in RELIABILITY},
            credibility_hit={
                str(c): published_number(tables.credibility[c]) for c in sorted(tables.credibility)
            },
            icd203=tuple(
                IcdBand(band=b, low=published_number(low), high=published_number(high))
                for b, low, high in ICD203_BANDS
            ),
            defaults_overridden=tuple(_overridden(tables)),
        ),
        matrix=_matrix(inp, m, reps, counted),
        by_record=_by_record(inp, tables, leader) if inp.records else None,
        prior_bounds=prior_bounds(m, leader, dict(tables.standards)),
    )
    if any(e.sealed for e in inp.evidence):
        result = replace(result, sealed=_sealed_impact(inp, result))
    return result


def _weighed(inp: AnalysisInput) -> tuple[Tables, Matrix, Representatives, Posteriors, int]:
    """The input checked, its tables resolved, its matrix built and weighed: what every
    analysis starts from, and the leading hypothesis (by the dependent posterior)."""
    _check(inp)
    tables = resolve(inp)
    m = build(inp, tables)
    reps = representatives(m)
    post = posteriors(m, reps)
    return tables, m, reps, post, int(np.argmax(post.dependent))


def without_evidence(inp: AnalysisInput, evidence: Collection[str]) -> EvidenceSetAside:
    """Whether the leading hypothesis still leads with ``evidence`` (ids) set aside together:
    one more perturbation of the sensitivity analysis (:func:`leave_out_evidence`), computed
    from the same matrix and totals as :func:`analyse`'s, not a second engine. Ids the input
    does not weigh (unrated items) are passed over; with none left nothing moves.

    Raises ValueError as :func:`analyse` does on an inconsistent input."""
    tables, m, reps, post, leader = _weighed(inp)
    wanted = set(evidence)
    rows = np.array([i for i, e in enumerate(inp.evidence) if e.id in wanted], dtype=np.int64)
    outcome = leave_out_evidence(m, reps, post, leader, rows)
    p0 = float(post.dependent[leader])
    after = float(outcome.leader_posterior[0])
    new_leader = int(outcome.leader[0])
    hyp = inp.hypotheses
    return EvidenceSetAside(
        evidence=tuple(inp.evidence[int(i)].id for i in rows),
        leading=hyp[leader].id,
        leader_posterior=published(p0),
        leading_without=hyp[new_leader].id,
        leader_posterior_without=published(after),
        leader_survives=new_leader == leader,
        standards_lost=tuple(
            sorted(name for name, t in tables.standards.items() if p0 > t >= after)
        ),
    )


def _by_record(inp: AnalysisInput, tables: Tables, leader: int) -> RecordScenario:
    """Every source whose record suggests a grade takes it, and the posterior is recomputed:
    does the leader survive the grades the sources earned instead of the ones they were given?"""
    changed: dict[str, str] = {}
    evidence = []
    for e in inp.evidence:
        record = inp.records.get(e.source or "")
        if record is not None and record.suggested and record.suggested != e.reliability:
            changed[e.source or ""] = f"{e.source}: {e.reliability} -> {record.suggested}"
            e = replace(e, reliability=record.suggested)
        evidence.append(e)
    m = build(replace(inp, evidence=tuple(evidence)), tables)
    post = posteriors(m, representatives(m))
    new_leader = int(np.argmax(post.dependent))
    hyp = inp.hypotheses
    return RecordScenario(
        regraded=tuple(changed[s] for s in sorted(changed)),
        leader=hyp[new_leader].id,
        leader_posterior=published(float(post.dependent[new_leader])),
        leader_survives=new_leader == leader,
        posteriors={h.id: published(float(post.dependent[j])) for j, h in enumerate(hyp)},
    )


def _sealed_impact(inp: AnalysisInput, result: AnalysisResult) -> SealedImpact:
    """Which conclusions rested on sealed evidence: the analysis (and its sensitivity) re-run
    with the sealed evidence set aside, compared with the result that still counts it."""
    sealed = tuple(e.id for e in inp.evidence if e.sealed)
    linchpins = tuple(
        sorted({e for p in result.sensitivity.linchpins for e in p.evidence if e in sealed})
    )
    rest = replace(inp, evidence=tuple(e for e in inp.evidence if not e.sealed))
    met = set(result.standards.met())
    try:
        without = analyse(rest)
    except ValueError as exc:
        return SealedImpact(
            sealed,
            linchpins,
            None,
            None,
            None,
            (),
            tuple(sorted(met)),
            True,
            None,
            f"without the sealed evidence no analysis can be made: {exc}",
        )
    kept = without.hypothesis(result.leading)
    standards = tuple(without.standards.met()) if without.leading == result.leading else ()
    changes = without.leading != result.leading
    note = (
        f"without the sealed evidence the leading hypothesis would be {without.leading},"
        f" not {result.leading}"
        if changes
        else f"the leading hypothesis {result.leading} stands without the sealed evidence"
    )
    return SealedImpact(
        evidence=sealed,
        linchpins=linchpins,
        leading_without=without.leading,
        leader_posterior_without=kept.posterior if kept else None,
        band_without=without.band,
        standards_without=standards,
        standards_lost=tuple(sorted(met - set(standards))),
        leader_changes=changes,
        sensitivity_without=without.sensitivity,
        note=note,
    )


def _check(inp: AnalysisInput) -> None:
    if len(inp.hypotheses) < 2:
        raise ValueError(
            f"incident {inp.incident}: at least two hypotheses are needed (one of them 'other')"
        )
    ids = [h.id for h in inp.hypotheses]
    if len(set(ids)) != len(ids):
        raise ValueError(f"incident {inp.incident}: hypothesis ids repeat ({', '.join(ids)})")
    known = set(ids)
    for c in inp.claims:
        for h in c.supports:
            if h not in known:
                raise ValueError(f"claim {c.id}: supports unknown hypothesis {h!r}")
        _finite_place(c.slots.get("place"), f"claim {c.id}")
    for e in inp.evidence:
        relevance = e.relevance
        if (
            isinstance(relevance, bool)
            or not isinstance(relevance, int | float)
            or not 0.0 <= relevance < math.inf
        ):
            raise ValueError(
                f"evidence {e.id}: relevance {relevance!r} is not a finite number of 0 or more"
            )
    _finite_place(inp.facts.place, "established facts")


def _finite_place(place: object, where: str) -> None:
    """Coordinates and radius given as numbers must be finite: a NaN distance is never
    "farther than the radius", so a place check would pass silently whatever was claimed."""
    if not isinstance(place, Mapping):
        return
    for key in ("lat", "lon", "radius_km"):
        value = place.get(key)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and not math.isfinite(value):  # type: ignore[arg-type]
            raise ValueError(f"{where}: place {key} {value} is not a finite number")


def _warnings(inp: AnalysisInput, m: Matrix) -> list[str]:
    """What a panel should fix before signing: gaps that make the numbers less than they seem."""
    found = []
    if not any(h.is_other for h in inp.hypotheses):
        found.append("no explicit 'other' hypothesis: the posterior assumes the list is complete")
    for j, h in enumerate(inp.hypotheses):
        if len(inp.evidence) and not m.rated[:, j].any():
            found.append(f"hypothesis {h.id} is rated against no evidence")
    unrated = [e.id for i, e in enumerate(inp.evidence) if not m.rated[i].any()]
    if unrated:
        found.append(
            f"{len(unrated)} evidence item(s) rated against no hypothesis: {', '.join(unrated[:10])}"
        )
    ungraded = int(np.sum(m.r == 0.0))
    if ungraded:
        found.append(
            f"{ungraded} evidence item(s) from sources whose reliability cannot be judged (F) "
            "carry no weight until graded"
        )
    return found


def _overridden(tables: Tables) -> list[str]:
    changed = []
    if dict(tables.rating) != dict(RATING_LIKELIHOOD):
        changed.append("rating_likelihood")
    if dict(tables.reliability) != dict(RELIABILITY_HIT):
        changed.append("reliability_hit")
    if dict(tables.credibility) != dict(CREDIBILITY_HIT):
        changed.append("credibility_hit")
    return changed


def _survival(
    inp: AnalysisInput, m: Matrix, outcomes: list[Outcome], leader: int, p0: float, tables: Tables
) -> Sensitivity:
    """Summary per family, and the linchpins: the evidence whose single change flips the leader,
    costs it a standard of proof it met, or lowers its posterior by ``LINCHPIN_DROP`` or more.
    Each target (cluster, evidence item, source) is listed once, with its worst change."""
    by_kind: list[KindSurvival] = []
    total = 0
    worst_p = p0
    met = [t for t in tables.standards.values() if p0 > t]
    candidates: list[tuple[bool, float, int, int, Outcome, int]] = []
    hyp = [h.id for h in inp.hypotheses]
    for kind_index, o in enumerate(outcomes):
        n = len(o.leader)
        total += n
        flipped = o.leader != leader
        lowest = float(o.leader_posterior.min()) if n else None
        if lowest is not None:
            worst_p = min(worst_p, lowest)
        by_kind.append(
            KindSurvival(
                kind=o.kind,
                perturbations=n,
                flips=int(flipped.sum()),
                min_leader_posterior=published(lowest) if lowest is not None else None,
            )
        )
        lost = np.zeros(n, dtype=np.bool_)
        for t in met:
            lost |= o.leader_posterior <= t
        hit = flipped | lost | (o.leader_posterior <= p0 - LINCHPIN_DROP)
        idx = np.nonzero(hit)[0]
        if not len(idx):
            continue
        # worst perturbation per target: flips first, then the lowest leader posterior
        order = np.lexsort((idx, o.leader_posterior[idx], ~flipped[idx], o.target[idx]))
        targets = o.target[idx][order]
        first = np.ones(len(order), dtype=np.bool_)
        first[1:] = targets[1:] != targets[:-1]
        for k in idx[order][first]:
            candidates.append(
                (
                    not bool(flipped[k]),
                    float(o.leader_posterior[k]),
                    kind_index,
                    int(o.target[k]),
                    o,
                    int(k),
                )
            )
    candidates.sort(key=lambda c: c[:4])
    members = _Members(inp, m)
    linchpins = tuple(
        Linchpin(
            kind=o.kind,
            target=target,
            evidence=touched,
            change=change,
            leader_after=hyp[int(o.leader[k])],
            leader_posterior_after=published(after),
            flips=not survived,
            standards_lost=tuple(
                sorted(name for name, t in tables.standards.items() if p0 > t >= after)
            ),
        )
        for survived, after, _, _, o, k in candidates[:MAX_LINCHPINS]
        for target, touched, change in (_describe(inp, m, members, o, k),)
    )
    return Sensitivity(
        leader=hyp[leader],
        leader_posterior=published(p0),
        leader_survives=sum(k.flips for k in by_kind) == 0,
        perturbations=total,
        min_leader_posterior=published(worst_p),
        by_kind=tuple(by_kind),
        linchpin_rule=(
            f"a single change that flips the leader, costs it a standard it met, or lowers its "
            f"posterior by {LINCHPIN_DROP} or more"
        ),
        linchpins=linchpins,
        linchpins_total=len(candidates),
    )


class _Members:
    """Evidence ids per cluster and per source, gathered once for describing linchpins."""

    def __init__(self, inp: AnalysisInput, m: Matrix) -> None:
        self.cluster: list[list[str]] = [[] for _ in m.cluster_ids]
        self.source: list[list[str]] = [[] for _ in m.source_ids]
        self.grades: list[set[str]] = [set() for _ in m.source_ids]
        for i, e in enumerate(inp.evidence):
            self.cluster[int(m.cluster[i])].append(e.id)
            self.source[int(m.source[i])].append(e.id)
            self.grades[int(m.source[i])].add(e.reliability)


def _describe(
    inp: AnalysisInput, m: Matrix, index: _Members, o: Outcome, k: int
) -> tuple[str, tuple[str, ...], str]:
    """A linchpin's target, the evidence it touches and the change in words."""
    target = int(o.target[k])
    if o.kind == "leave_out_cluster":
        cluster = m.cluster_ids[target]
        return cluster, tuple(index.cluster[target]), f"leave out cluster {cluster}"
    if o.kind == "rating_step":
        e = inp.evidence[target]
        h = inp.hypotheses[int(o.column[k])].id
        old = RATINGS[int(m.codes[target, int(o.column[k])])]
        new = RATINGS[int(o.new_code[k])]
        return e.id, (e.id,), f"rate {e.id} on {h} {new} instead of {old}"
    source = m.source_ids[target]
    grades = "/".join(sorted(index.grades[target]))
    return (
        source,
        tuple(index.source[target]),
        f"downgrade source {source} one grade (from {grades})",
    )


def _diagnosticity(inp: AnalysisInput, reps: Representatives) -> Diagnosticity:
    d = reps.spread
    order = np.lexsort((np.arange(len(d)), -d))
    return Diagnosticity(
        threshold=published_number(NON_DIAGNOSTIC_RANGE),
        non_diagnostic=tuple(
            inp.evidence[i].id for i in range(len(d)) if d[i] < NON_DIAGNOSTIC_RANGE
        ),
        most_diagnostic=tuple(
            DiagnosticEntry(evidence=inp.evidence[i].id, log_lr_range=published(float(d[i])))
            for i in order[:10]
        ),
    )


def _matrix(
    inp: AnalysisInput, m: Matrix, reps: Representatives, counted: np.ndarray[Any, Any]
) -> MatrixResult:
    hyp = tuple(h.id for h in inp.hypotheses)
    p = rounded(m.p).tolist()
    contrib = rounded(m.contrib).tolist()
    r = rounded(m.r).tolist()
    q = rounded(m.q).tolist()
    spread = rounded(reps.spread).tolist()
    names = np.array([*RATINGS, "explicit"], dtype=object)  # EXPLICIT is -1: the last name
    ratings = names[m.codes].tolist() if len(inp.evidence) else []
    rows = tuple(
        MatrixRow(
            evidence=e.id,
            label=e.label,
            kind=e.kind,
            source=e.source,
            reliability=e.reliability,
            credibility=e.credibility,
            relevance=e.relevance,
            r=r[i],
            q=q[i],
            cluster=m.cluster_ids[int(m.cluster[i])],
            counted=bool(counted[i]),
            log_lr_range=spread[i],
            diagnostic=spread[i] >= NON_DIAGNOSTIC_RANGE,
            hypotheses=hyp,
            ratings=tuple(ratings[i]),
            p=tuple(p[i]),
            log_lr=tuple(contrib[i]),
            record=_record_of(inp, e.source, e.reliability),
        )
        for i, e in enumerate(inp.evidence)
    )
    return MatrixResult(hypotheses=hyp, rows=rows)


def _record_of(inp: AnalysisInput, source: str | None, grade: str) -> str:
    if not inp.records:
        return ""
    record = inp.records.get(source or "")
    return record_line(grade, record.right, record.reports) if record else ""


def _clusters(inp: AnalysisInput, m: Matrix, reps: Representatives) -> tuple[Cluster, ...]:
    members: list[list[str]] = [[] for _ in m.cluster_ids]
    for i, e in enumerate(inp.evidence):
        members[int(m.cluster[i])].append(e.id)
    return tuple(
        Cluster(id=cid, members=tuple(members[c]), counted=inp.evidence[int(reps.rep[c])].id)
        for c, cid in enumerate(m.cluster_ids)
    )


__all__ = ["ENGINE_VERSION", "analyse", "without_evidence"]
