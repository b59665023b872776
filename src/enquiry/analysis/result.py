"""The engine's answer as typed, frozen data, and its one JSON form.

Code that reads a result (the report, the command line, the application core) reads attributes,
so a misspelt field is a type error rather than a silent ``None``. Scripts and stored findings
read :meth:`AnalysisResult.to_dict`, whose field names, order and values are the published
contract (docs/analysis.md): a field added here must not change the JSON of an existing case.

Every float is already rounded by the engine (:mod:`enquiry.analysis.precision`) when it is put
here, so the object and its JSON carry the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]


@dataclass(frozen=True)
class HypothesisResult:
    """One hypothesis with its prior, posterior (dependent, and its dependence bounds), Heuer's
    inconsistency scores and its ICD 203 band."""

    id: str
    label: str
    is_other: bool
    prior: float
    posterior: float
    posterior_low: float
    posterior_high: float
    posterior_independent: float
    log_lr_total: float
    band: str
    inconsistency: float
    weighted_inconsistency: float

    def to_dict(self) -> JSON:
        """The published form (field names as in docs/analysis.md)."""
        return {
            "id": self.id,
            "label": self.label,
            "is_other": self.is_other,
            "prior": self.prior,
            "posterior": self.posterior,
            "posterior_low": self.posterior_low,
            "posterior_high": self.posterior_high,
            "posterior_independent": self.posterior_independent,
            "log_lr_total": self.log_lr_total,
            "band": self.band,
            "inconsistency": self.inconsistency,
            "weighted_inconsistency": self.weighted_inconsistency,
        }


@dataclass(frozen=True)
class ConfidenceDetail:
    """The three criteria behind the confidence level, each good, fair or poor."""

    evidence_quality: str
    agreement: str
    sensitivity: str
    favouring_clusters: int
    conflict_share: float

    def to_dict(self) -> JSON:
        """The published form."""
        return {
            "evidence_quality": self.evidence_quality,
            "agreement": self.agreement,
            "sensitivity": self.sensitivity,
            "favouring_clusters": self.favouring_clusters,
            "conflict_share": self.conflict_share,
        }


@dataclass(frozen=True)
class Confidence:
    """High, moderate or low, and the sentences that say which criterion decided."""

    level: str
    reasons: tuple[str, ...]
    detail: ConfidenceDetail


@dataclass(frozen=True)
class Standard:
    """One standard of proof: its threshold and whether the leader's lower bound exceeds it."""

    name: str
    threshold: float
    met: bool


STANDARDS_RULE = "the leader's posterior_low must exceed the threshold"


@dataclass(frozen=True)
class Standards:
    """The standards of proof in threshold order, judged on the leader's conservative posterior."""

    posterior: float
    levels: tuple[Standard, ...]
    rule: str = STANDARDS_RULE

    def met(self) -> tuple[str, ...]:
        """Names of the standards met, lowest threshold first."""
        return tuple(s.name for s in self.levels if s.met)

    def is_met(self, name: str) -> bool:
        """Whether the named standard is met (False for a standard not in the table)."""
        return any(s.met for s in self.levels if s.name == name)


@dataclass(frozen=True)
class KindSurvival:
    """One family of perturbations: how many were tried, how many changed the leader, and the
    leader's lowest posterior among them (None when the family had nothing to perturb)."""

    kind: str
    perturbations: int
    flips: int
    min_leader_posterior: float | None

    def to_dict(self) -> JSON:
        """The published form; the minimum is left out when nothing was perturbed."""
        entry: JSON = {"perturbations": self.perturbations, "flips": self.flips}
        if self.min_leader_posterior is not None:
            entry["min_leader_posterior"] = self.min_leader_posterior
        return entry


@dataclass(frozen=True)
class Linchpin:
    """A single change that flips the leader, costs it a standard it met, or lowers its
    posterior by the linchpin margin, with what the change was and what it did."""

    kind: str
    target: str
    evidence: tuple[str, ...]
    change: str
    leader_after: str
    leader_posterior_after: float
    flips: bool
    standards_lost: tuple[str, ...]

    def to_dict(self) -> JSON:
        """The published form."""
        return {
            "kind": self.kind,
            "target": self.target,
            "evidence": list(self.evidence),
            "change": self.change,
            "leader_after": self.leader_after,
            "leader_posterior_after": self.leader_posterior_after,
            "flips": self.flips,
            "standards_lost": list(self.standards_lost),
        }


@dataclass(frozen=True)
class Sensitivity:
    """Heuer's step 6: does the leader survive every single change, and which changes matter."""

    leader: str
    leader_posterior: float
    leader_survives: bool
    perturbations: int
    min_leader_posterior: float
    by_kind: tuple[KindSurvival, ...]
    linchpin_rule: str
    linchpins: tuple[Linchpin, ...]
    """The worst linchpins, at most the engine's MAX_LINCHPINS."""
    linchpins_total: int
    """How many linchpins there were before the list was cut."""

    @property
    def flips(self) -> dict[str, int]:
        """Changes of leader per family of perturbation."""
        return {k.kind: k.flips for k in self.by_kind}

    def to_dict(self) -> JSON:
        """The published ``sensitivity`` summary (linchpins are published beside it)."""
        return {
            "leader": self.leader,
            "leader_posterior": self.leader_posterior,
            "leader_survives": self.leader_survives,
            "perturbations": self.perturbations,
            "flips": self.flips,
            "min_leader_posterior": self.min_leader_posterior,
            "by_kind": {k.kind: k.to_dict() for k in self.by_kind},
            "linchpin_rule": self.linchpin_rule,
        }


@dataclass(frozen=True)
class DiagnosticEntry:
    """An evidence item and the spread of its log-likelihoods across the hypotheses."""

    evidence: str
    log_lr_range: float


@dataclass(frozen=True)
class Diagnosticity:
    """Which evidence discriminates between the hypotheses, and which does not."""

    threshold: float
    non_diagnostic: tuple[str, ...]
    most_diagnostic: tuple[DiagnosticEntry, ...]

    def to_dict(self) -> JSON:
        """The published form."""
        return {
            "threshold": self.threshold,
            "non_diagnostic": list(self.non_diagnostic),
            "most_diagnostic": [
                {"evidence": d.evidence, "log_lr_range": d.log_lr_range}
                for d in self.most_diagnostic
            ],
        }


@dataclass(frozen=True)
class Milestone:
    """What one new high-grade item would do to a hypothesis, and how many it would take to make
    it lead (or, for the leader, to overturn it; None when no number would)."""

    hypothesis: str
    posterior: float
    grade: str
    if_confirming_item: float
    if_refuting_item: float
    leads: bool
    items_needed: int | None
    explanation: str

    def to_dict(self) -> JSON:
        """The published form: ``items_to_overturn`` for the leader, ``items_to_lead`` else."""
        return {
            "hypothesis": self.hypothesis,
            "posterior": self.posterior,
            "grade": self.grade,
            "if_confirming_item": self.if_confirming_item,
            "if_refuting_item": self.if_refuting_item,
            ("items_to_overturn" if self.leads else "items_to_lead"): self.items_needed,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Cluster:
    """A dependence cluster: its members, and the one item that counts for all of them."""

    id: str
    members: tuple[str, ...]
    counted: str

    def to_dict(self) -> JSON:
        """The published form."""
        return {"id": self.id, "members": list(self.members), "counted": self.counted}


@dataclass(frozen=True)
class NarrativeClaim:
    """A party's claim as a narrative shows it: when, where, what, and what it backs."""

    id: str
    party: str
    date: str
    forum: str
    text: str
    supports: tuple[str, ...]
    supports_labels: tuple[str, ...]
    evidence: tuple[str, ...]

    def to_dict(self) -> JSON:
        """The published form."""
        return {
            "id": self.id,
            "party": self.party,
            "date": self.date,
            "forum": self.forum,
            "text": self.text,
            "supports": list(self.supports),
            "supports_labels": list(self.supports_labels),
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True)
class Flag:
    """A flag on a narrative: ``mutually_exclusive`` (with the hypotheses backed),
    ``contradicts_facts`` or ``unsupported``, citing its claims."""

    type: str
    claims: tuple[str, ...]
    explanation: str
    hypotheses: tuple[str, ...] = ()

    def to_dict(self) -> JSON:
        """The published form; only a mutually-exclusive flag lists hypotheses."""
        out: JSON = {"type": self.type, "claims": list(self.claims)}
        if self.type == "mutually_exclusive":
            out["hypotheses"] = list(self.hypotheses)
        out["explanation"] = self.explanation
        return out


@dataclass(frozen=True)
class Narrative:
    """One party's claims in date order (or a whole line's, when ``members`` has several)."""

    party: str
    line: str
    affiliation: tuple[str, ...]
    members: tuple[str, ...]
    claims: tuple[NarrativeClaim, ...]
    flags: tuple[Flag, ...]

    def to_dict(self) -> JSON:
        """The published form."""
        return {
            "party": self.party,
            "line": self.line,
            "affiliation": list(self.affiliation),
            "members": list(self.members),
            "claims": [c.to_dict() for c in self.claims],
            "flags": [f.to_dict() for f in self.flags],
        }


@dataclass(frozen=True)
class IcdBand:
    """One ICD 203 likelihood band and its range."""

    band: str
    low: float
    high: float


@dataclass(frozen=True)
class TablesUsed:
    """The tables the numbers came from, so a reader can redo any cell by hand."""

    rating_likelihood: Mapping[str, float]
    reliability_hit: Mapping[str, float]
    credibility_hit: Mapping[str, float]
    icd203: tuple[IcdBand, ...]
    defaults_overridden: tuple[str, ...]

    def to_dict(self) -> JSON:
        """The published form."""
        return {
            "rating_likelihood": dict(self.rating_likelihood),
            "reliability_hit": dict(self.reliability_hit),
            "credibility_hit": dict(self.credibility_hit),
            "icd203": [{"band": b.band, "low": b.low, "high": b.high} for b in self.icd203],
            "defaults_overridden": list(self.defaults_overridden),
        }


@dataclass(frozen=True)
class Cell:
    """One cell of the matrix: the rating given (or ``explicit`` for a likelihood), P(E|H) and
    the log-likelihood contribution after source reliability and credibility."""

    hypothesis: str
    rating: str
    p: float
    log_lr: float


@dataclass(frozen=True)
class MatrixRow:
    """One evidence row as the engine weighed it.

    The cells are kept as columns (``ratings``, ``p``, ``log_lr`` in the order of
    ``hypotheses``) because a large case has hundreds of thousands of them; :attr:`cells` and
    :meth:`cell` give them one by one.
    """

    evidence: str
    label: str
    kind: str
    source: str | None
    reliability: str
    credibility: int
    relevance: float
    r: float
    q: float
    cluster: str
    counted: bool
    log_lr_range: float
    diagnostic: bool
    hypotheses: tuple[str, ...]
    ratings: tuple[str, ...]
    p: tuple[float, ...]
    log_lr: tuple[float, ...]
    record: str = ""
    """The source's grade beside its record ("graded B; record 14 right of 17"), when the
    input carried records."""

    @property
    def cells(self) -> tuple[Cell, ...]:
        """Every cell of the row, in hypothesis order."""
        return tuple(
            Cell(hypothesis=h, rating=r, p=p, log_lr=w)
            for h, r, p, w in zip(self.hypotheses, self.ratings, self.p, self.log_lr, strict=True)
        )

    def cell(self, hypothesis: str) -> Cell | None:
        """The cell in the given hypothesis's column, if there is one."""
        if hypothesis not in self.hypotheses:
            return None
        j = self.hypotheses.index(hypothesis)
        return Cell(
            hypothesis=hypothesis, rating=self.ratings[j], p=self.p[j], log_lr=self.log_lr[j]
        )

    def to_dict(self) -> JSON:
        """The published form: cells keyed by hypothesis id."""
        return {
            "evidence": self.evidence,
            "label": self.label,
            "kind": self.kind,
            "source": self.source,
            "reliability": self.reliability,
            "credibility": self.credibility,
            "relevance": self.relevance,
            "r": self.r,
            "q": self.q,
            "cluster": self.cluster,
            "counted": self.counted,
            "log_lr_range": self.log_lr_range,
            "diagnostic": self.diagnostic,
            "cells": {
                h: {"rating": r, "p": p, "log_lr": w}
                for h, r, p, w in zip(
                    self.hypotheses, self.ratings, self.p, self.log_lr, strict=True
                )
            },
        } | ({"record": self.record} if self.record else {})


@dataclass(frozen=True)
class MatrixResult:
    """The evidence x hypothesis matrix the posterior was computed from."""

    hypotheses: tuple[str, ...]
    rows: tuple[MatrixRow, ...]

    def row(self, evidence: str) -> MatrixRow | None:
        """The row of the given evidence id, if it was rated."""
        return next((r for r in self.rows if r.evidence == evidence), None)

    def to_dict(self) -> JSON:
        """The published form."""
        return {"hypotheses": list(self.hypotheses), "rows": [r.to_dict() for r in self.rows]}


@dataclass(frozen=True)
class EarlierWording:
    """A cell whose latest rating was made under an earlier wording of its hypothesis.

    The hypothesis was reworded after the rating (or, for the catch-all, a rival was added or
    reworded, which changes what "other" covers), so the rating judged a different question.
    It is left out of the engine's input: ``counts`` is the rating that counts instead (the
    latest one made under the current wording), or None when there is none and the cell
    counts as unrated. An analyst's new rating of the cell, under the current wording, ends
    the entry."""

    evidence: str
    hypothesis: str
    rating: str | None
    likelihood: float | None
    analyst: str
    rated_at: str
    counts: str | None = None

    def given(self) -> str:
        """The rating as given: a code, or ``p=…`` for an explicit likelihood."""
        if self.likelihood is not None and not self.rating:
            return f"p={self.likelihood:g}"
        return str(self.rating or "?")

    def to_dict(self) -> JSON:
        """The published form."""
        return {
            "evidence": self.evidence,
            "hypothesis": self.hypothesis,
            "rating": self.rating,
            "likelihood": self.likelihood,
            "analyst": self.analyst,
            "rated_at": self.rated_at,
            "counts": self.counts,
        }


def earlier_wording_warnings(entries: Sequence[EarlierWording]) -> tuple[str, ...]:
    """One warning per reworded hypothesis, naming the cells whose ratings were set aside: a
    panel re-rates them (or accepts them left out) before signing."""
    by_hypothesis: dict[str, list[EarlierWording]] = {}
    for entry in entries:
        by_hypothesis.setdefault(entry.hypothesis, []).append(entry)
    out = []
    for hypothesis, found in by_hypothesis.items():
        cells = ", ".join(
            f"{e.evidence} ({e.given()} by {e.analyst or 'unnamed'})" for e in found[:10]
        )
        more = f" and {len(found) - 10} more" if len(found) > 10 else ""
        out.append(
            f"hypothesis {hypothesis} was reworded after {len(found)} rating(s) were made: they "
            f"judged an earlier wording and are left out until re-rated: {cells}{more}"
        )
    return tuple(out)


@dataclass(frozen=True)
class SealedImpact:
    """What rested on sealed evidence (consent withdrawn), and the analysis re-run without it.

    A sealed item's ratings stay in the record, so the result is still computed with them; a
    reader must also see what would be concluded if they were set aside, since the evidence
    behind them can no longer be shown to anyone.
    """

    evidence: tuple[str, ...]
    linchpins: tuple[str, ...]
    leading_without: str | None
    leader_posterior_without: float | None
    band_without: str | None
    standards_without: tuple[str, ...]
    standards_lost: tuple[str, ...]
    leader_changes: bool
    sensitivity_without: Sensitivity | None
    note: str

    def to_dict(self) -> JSON:
        """The published form."""
        return {
            "evidence": list(self.evidence),
            "linchpins": list(self.linchpins),
            "leading_without": self.leading_without,
            "leader_posterior_without": self.leader_posterior_without,
            "band_without": self.band_without,
            "standards_without": list(self.standards_without),
            "standards_lost": list(self.standards_lost),
            "leader_changes": self.leader_changes,
            "sensitivity_without": (
                self.sensitivity_without.to_dict() if self.sensitivity_without else None
            ),
            "note": self.note,
        }


@dataclass(frozen=True)
class RecordScenario:
    """The sensitivity scenario "grade each source by its record": every source whose record
    suggests a grade takes it, all at once, and the posterior is computed again."""

    regraded: tuple[str, ...]
    """"source: B -> D" for each source whose grade the scenario changed."""
    leader: str
    leader_posterior: float
    leader_survives: bool
    posteriors: Mapping[str, float]

    def to_dict(self) -> JSON:
        return {
            "regraded": list(self.regraded),
            "leader": self.leader,
            "leader_posterior": self.leader_posterior,
            "leader_survives": self.leader_survives,
            "posteriors": dict(self.posteriors),
        }


@dataclass(frozen=True)
class EvidenceSetAside:
    """One scenario of the sensitivity analysis: some evidence set aside together (the
    samples whose chain of custody is broken), and whether the leading hypothesis still leads
    without it (:func:`~enquiry.analysis.engine.without_evidence`)."""

    evidence: tuple[str, ...]
    """The evidence set aside (those of the ids asked for that the analysis weighs)."""
    leading: str
    """The leading hypothesis with every item counted."""
    leader_posterior: float
    leading_without: str
    """The leading hypothesis once the evidence is set aside."""
    leader_posterior_without: float
    """The first leader's posterior once the evidence is set aside."""
    leader_survives: bool
    standards_lost: tuple[str, ...]
    """Standards of proof the leader meets with the evidence and not without it."""

    def to_dict(self) -> JSON:
        """The published form."""
        return {
            "evidence": list(self.evidence),
            "leading": self.leading,
            "leader_posterior": self.leader_posterior,
            "leading_without": self.leading_without,
            "leader_posterior_without": self.leader_posterior_without,
            "leader_survives": self.leader_survives,
            "standards_lost": list(self.standards_lost),
        }


@dataclass(frozen=True)
class PriorBounds:
    """How low the leader's prior could go, every rival keeping its share of the rest, before
    the conclusion changes (:mod:`enquiry.analysis.priors`): the answer to "you assumed it"."""

    prior: float
    """The leader's prior as the analysis used it."""
    leads_above: float
    """The smallest prior at which the leader still leads (0: down to 10⁻⁹ at least)."""
    standards_above: Mapping[str, float]
    """For each standard of proof met now: the smallest prior at which it still holds."""
    rule: str = (
        "the leader's prior lowered, every rival keeping its share of the rest; each trial "
        "prior runs through the base rates, the members counted and the posterior again"
    )

    def to_dict(self) -> JSON:
        """The published form."""
        return {
            "prior": self.prior,
            "leads_above": self.leads_above,
            "standards_above": dict(self.standards_above),
            "rule": self.rule,
        }


@dataclass(frozen=True)
class AnalysisResult:
    """The full analysis of one incident, as :func:`enquiry.analysis.analyse` returns it."""

    engine_version: str
    incident: str
    hypotheses: tuple[HypothesisResult, ...]
    leading: str
    leading_if_independent: str
    band: str
    band_range: tuple[float, float]
    confidence: Confidence
    standards: Standards
    statement: str
    sensitivity: Sensitivity
    diagnosticity: Diagnosticity
    milestones: tuple[Milestone, ...]
    clusters: tuple[Cluster, ...]
    narratives: tuple[Narrative, ...]
    warnings: tuple[str, ...]
    tables: TablesUsed
    matrix: MatrixResult
    unverified: tuple[str, ...] = ()
    """The verify failures of the catalogue the input was read from, when the caller chose to
    compute on it anyway; empty for a catalogue that verified."""
    sealed: SealedImpact | None = None
    """Present when some evidence is sealed: what rested on it, and the result without it."""
    by_record: RecordScenario | None = None
    """"Grade each source by its record", when the input carried records."""
    prior_bounds: PriorBounds | None = None
    """How low the leader's prior could go before it stops leading or a standard it meets
    fails; None with a single hypothesis or a leader whose stated prior is 1."""
    earlier_wording: tuple[EarlierWording, ...] = ()
    """Cells whose latest rating was made under an earlier wording of its hypothesis, left
    out of the input by the catalogue reader (the engine never sees them); each also named
    in ``warnings``. Empty when every rating judged the wording it is shown against."""

    @property
    def leader(self) -> HypothesisResult:
        """The leading hypothesis's entry."""
        return next(h for h in self.hypotheses if h.id == self.leading)

    def hypothesis(self, hid: str) -> HypothesisResult | None:
        """The entry of the hypothesis with this id, if there is one."""
        return next((h for h in self.hypotheses if h.id == hid), None)

    def to_dict(self) -> JSON:
        """The published JSON (``enquiry analyse --json``, stored findings): the field names,
        order and values documented in docs/analysis.md. ``unverified: true`` appears only for
        a result computed on a catalogue that failed verification."""
        out: JSON = {
            "engine_version": self.engine_version,
            "incident": self.incident,
            "hypotheses": [h.to_dict() for h in self.hypotheses],
            "leading": self.leading,
            "leading_if_independent": self.leading_if_independent,
            "band": self.band,
            "band_range": list(self.band_range),
            "confidence": self.confidence.level,
            "confidence_reasons": list(self.confidence.reasons),
            "confidence_detail": self.confidence.detail.to_dict(),
            "standards": {s.name: s.met for s in self.standards.levels},
            "standards_basis": {
                "posterior": self.standards.posterior,
                "thresholds": {
                    s.name: s.threshold for s in sorted(self.standards.levels, key=_name)
                },
                "rule": self.standards.rule,
            },
            "statement": self.statement,
            "sensitivity": self.sensitivity.to_dict(),
            "linchpins": [p.to_dict() for p in self.sensitivity.linchpins],
            "linchpins_total": self.sensitivity.linchpins_total,
            "prior_bounds": self.prior_bounds.to_dict() if self.prior_bounds else None,
            "diagnosticity": self.diagnosticity.to_dict(),
            "milestones": [m.to_dict() for m in self.milestones],
            "clusters": [c.to_dict() for c in self.clusters],
            "narratives": [n.to_dict() for n in self.narratives],
            "warnings": list(self.warnings),
            "tables": self.tables.to_dict(),
            "matrix": self.matrix.to_dict(),
        }
        if self.sealed is not None:
            out["sealed"] = self.sealed.to_dict()
        if self.by_record is not None:
            out["sensitivity_by_record"] = self.by_record.to_dict()
        if self.unverified:
            out["unverified"] = True
        if self.earlier_wording:
            out["earlier_wording"] = [e.to_dict() for e in self.earlier_wording]
        return out


def _name(standard: Standard) -> str:
    return standard.name
