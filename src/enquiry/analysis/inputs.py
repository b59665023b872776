"""What the analysis engine takes in: plain, frozen data, no database.

The catalogue (``enquiry.store``) is turned into an :class:`AnalysisInput` by the caller; the
engine never reaches into storage, so the same input always gives the same output.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from enquiry.model.grades import RATINGS as RATINGS
from enquiry.model.grades import RELIABILITY as RELIABILITY


@dataclass(frozen=True)
class Hypothesis:
    """One of the incident's mutually exclusive explanations."""

    id: str
    label: str
    is_other: bool = False
    prior: float | None = None


@dataclass(frozen=True)
class Evidence:
    """An item or a claim as the matrix sees it: graded, rated against each hypothesis.

    ``ratings`` map hypothesis id to one of :data:`RATINGS`; ``likelihoods`` (hypothesis id to
    P(E|H)) override ratings where an analyst gave numbers. ``cluster`` names the dependence
    cluster (items sharing an origin or derived one from another); None means its own.
    ``credibility`` is the Admiralty information grade 1 (confirmed) .. 6 (cannot be judged).
    """

    id: str
    label: str
    kind: str
    reliability: str = "F"
    credibility: int = 6
    source: str | None = None
    ratings: Mapping[str, str] = field(default_factory=dict)
    likelihoods: Mapping[str, float] = field(default_factory=dict)
    relevance: float = 1.0
    cluster: str | None = None
    rationale: Mapping[str, str] = field(default_factory=dict)
    sha256: str | None = None
    derived_from: tuple[str, ...] = ()
    """Evidence ids this one was derived from or repeats; the engine joins them into one
    dependence cluster with ``cluster`` (either link is enough)."""
    sealed: bool = False
    """The item (or the item a claim was read from) was sealed when its witness withdrew
    consent: its content is destroyed, its ratings stand, and the result says what rested on
    it (:class:`~enquiry.analysis.result.SealedImpact`)."""


@dataclass(frozen=True)
class Claim:
    """A party's assertion, for narrative tracking.

    ``slots`` may hold ``time_window`` ({"start", "end"} ISO 8601), ``place`` ({"name", "lat",
    "lon"}), ``means`` and ``agent`` (text). ``supports`` lists the hypotheses it backs;
    ``evidence`` the evidence ids offered for it (empty: an assertion without support).
    """

    id: str
    party: str
    date: str
    text: str
    forum: str = ""
    supports: tuple[str, ...] = ()
    slots: Mapping[str, Any] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class EstablishedFacts:
    """What the evidence has fixed, against which claims are checked.

    ``time_window`` is {"start", "end"} in ISO 8601; ``place`` is {"name", "lat", "lon",
    "radius_km"}; ``means`` lists accepted descriptions of the means (e.g. "aerial bomb", "sarin").
    """

    time_window: Mapping[str, str] | None = None
    place: Mapping[str, Any] | None = None
    means: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceRecord:
    """What a source's reports on settled claims earned it (see ``enquiry.analysis.truth``):
    ``right`` of ``reports``, the learnt reliability with its interval, and the grade the record
    supports (empty while the record is too short to suggest one)."""

    right: int
    reports: int
    reliability: float
    low: float
    high: float
    suggested: str = ""


@dataclass(frozen=True)
class AnalysisInput:
    """Everything one analysis of one incident needs."""

    incident: str
    hypotheses: tuple[Hypothesis, ...]
    evidence: tuple[Evidence, ...]
    claims: tuple[Claim, ...] = ()
    facts: EstablishedFacts = field(default_factory=EstablishedFacts)
    thresholds: Mapping[str, float] | None = None
    affiliations: Mapping[str, str] = field(default_factory=dict)
    """Actor -> the actor it speaks for (a spokesman -> a ministry -> a state). Narratives group
    claims by party and also by the party's root, its "line"."""
    rating_table: Mapping[str, float] | None = None
    """Overrides of :data:`enquiry.analysis.tables.RATING_LIKELIHOOD` (rating -> P(E|H))."""
    reliability_table: Mapping[str, float] | None = None
    """Overrides of :data:`enquiry.analysis.tables.RELIABILITY_HIT` (grade A-F -> hit factor)."""
    credibility_table: Mapping[int, float] | None = None
    """Overrides of :data:`enquiry.analysis.tables.CREDIBILITY_HIT` (grade 1-6 -> factor)."""
    records: Mapping[str, SourceRecord] = field(default_factory=dict)
    """Source name -> its track record: shown beside the analyst's grade, and the sensitivity
    scenario "grade each source by its record". Never changes a grade by itself."""


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{where}: expected an object, not {type(value).__name__}")
    return value


def _table(value: Any, where: str) -> dict[str, Any] | None:
    return None if value is None else dict(_mapping(value, where))


def input_from_dict(data: Mapping[str, Any]) -> AnalysisInput:
    """The input back from its published JSON (``dataclasses.asdict`` of an
    :class:`AnalysisInput`, as a bundle's ``findings/<incident>.json`` carries it under
    ``inputs``), so that a reviewer re-runs the engine on exactly what the finding names.

    The result hashes as the original did (same canonical JSON) and analyses to the same
    result; a member missing or of the wrong shape is one ``ValueError`` naming it.
    """
    try:
        hypotheses = tuple(
            Hypothesis(
                id=str(h["id"]),
                label=str(h["label"]),
                is_other=bool(h.get("is_other", False)),
                prior=h.get("prior"),
            )
            for h in data["hypotheses"]
        )
        evidence = tuple(
            Evidence(
                id=str(e["id"]),
                label=str(e["label"]),
                kind=str(e["kind"]),
                reliability=str(e.get("reliability", "F")),
                credibility=int(e.get("credibility", 6)),
                source=e.get("source"),
                ratings=dict(_mapping(e.get("ratings"), f"evidence {e['id']} ratings")),
                likelihoods=dict(_mapping(e.get("likelihoods"), f"evidence {e['id']} likelihoods")),
                relevance=e.get("relevance", 1.0),
                cluster=e.get("cluster"),
                rationale=dict(_mapping(e.get("rationale"), f"evidence {e['id']} rationale")),
                sha256=e.get("sha256"),
                derived_from=tuple(str(x) for x in e.get("derived_from") or ()),
                sealed=bool(e.get("sealed", False)),
            )
            for e in data["evidence"]
        )
        claims = tuple(
            Claim(
                id=str(c["id"]),
                party=str(c["party"]),
                date=str(c["date"]),
                text=str(c["text"]),
                forum=str(c.get("forum", "")),
                supports=tuple(str(x) for x in c.get("supports") or ()),
                slots=dict(_mapping(c.get("slots"), f"claim {c['id']} slots")),
                evidence=tuple(str(x) for x in c.get("evidence") or ()),
            )
            for c in data.get("claims") or ()
        )
        facts = _mapping(data.get("facts"), "facts")
        records = {
            str(name): SourceRecord(**dict(_mapping(record, f"record of {name}")))
            for name, record in _mapping(data.get("records"), "records").items()
        }
        return AnalysisInput(
            incident=str(data["incident"]),
            hypotheses=hypotheses,
            evidence=evidence,
            claims=claims,
            facts=EstablishedFacts(
                time_window=_table(facts.get("time_window"), "facts time_window"),
                place=_table(facts.get("place"), "facts place"),
                means=tuple(str(m) for m in facts.get("means") or ()),
            ),
            thresholds=_table(data.get("thresholds"), "thresholds"),
            affiliations={
                str(k): str(v)
                for k, v in _mapping(data.get("affiliations"), "affiliations").items()
            },
            rating_table=_table(data.get("rating_table"), "rating_table"),
            reliability_table=_table(data.get("reliability_table"), "reliability_table"),
            # JSON keys are text; the hash is taken of the JSON, so they are kept as given
            credibility_table=cast(
                "Mapping[int, float] | None",
                _table(data.get("credibility_table"), "credibility_table"),
            ),
            records=records,
        )
    except KeyError as exc:
        raise ValueError(f"analysis input: {exc.args[0]!r} is missing") from None
    except (TypeError, AttributeError) as exc:
        raise ValueError(f"analysis input: malformed ({exc})") from None
