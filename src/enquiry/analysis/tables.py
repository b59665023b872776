"""The documented tables the engine reasons with, and how an input may override them.

Every number the engine produces is computed from these tables and the input; docs/analysis.md
prints them. They are data, not code branches, so a panel can change them (and the change is
visible in the input it signs) without touching the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from enquiry.analysis.inputs import AnalysisInput

RATING_LIKELIHOOD: Mapping[str, float] = MappingProxyType(
    {"CC": 0.90, "C": 0.70, "N": 0.50, "I": 0.25, "II": 0.05, "NA": 0.50}
)
"""Heuer rating -> P(E|H), the chance of seeing this evidence were the hypothesis true.

Only ratios between hypotheses matter: CC against II is a likelihood ratio of 18 (about 2.9 in
natural log), C against I is 2.8. NA (and a missing rating) is treated as N: it does not
discriminate."""

RATING_SCALE: tuple[str, ...] = ("II", "I", "N", "C", "CC")
"""The ordered scale along which sensitivity moves a rating one step (NA is never moved)."""

RELIABILITY_HIT: Mapping[str, float] = MappingProxyType(
    {"A": 0.95, "B": 0.85, "C": 0.70, "D": 0.50, "E": 0.25, "F": 0.0}
)
"""Admiralty source reliability -> the chance that the source's report reflects what it
observed. F ("reliability cannot be judged") is 0: an unvetted source adds nothing until it is
graded, which is what makes a flood of fabricated, ungraded claims powerless."""

CREDIBILITY_HIT: Mapping[int, float] = MappingProxyType(
    {1: 1.0, 2: 0.90, 3: 0.70, 4: 0.45, 5: 0.20, 6: 0.70}
)
"""Admiralty information credibility -> factor on the report-true probability. 1 confirmed by
other sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 truth cannot be
judged (treated as "possibly true": no judgement either way)."""

ICD203_BANDS: tuple[tuple[str, float, float], ...] = (
    ("almost no chance", 0.01, 0.05),
    ("very unlikely", 0.05, 0.20),
    ("unlikely", 0.20, 0.45),
    ("roughly even chance", 0.45, 0.55),
    ("likely", 0.55, 0.80),
    ("very likely", 0.80, 0.95),
    ("almost certain", 0.95, 0.99),
)
"""ICD 203 expressions of likelihood and the probability ranges they stand for (the directive
gives 01-05, 05-20, 20-45, 45-55, 55-80, 80-95, 95-99 per cent)."""

STANDARDS: Mapping[str, float] = MappingProxyType(
    {
        "balance of probabilities": 0.50,
        "reasonable grounds to believe": 0.60,
        "clear and convincing": 0.75,
        "confident": 0.90,
        "beyond reasonable doubt": 0.98,
    }
)
"""Standard of proof -> the posterior the leading hypothesis must exceed, judged on the
conservative end of its dependence bounds. These are the project's documented reading of
legal and intelligence standards, not law; a panel sets its own through
``AnalysisInput.thresholds``."""

LINCHPIN_DROP = 0.10
"""A perturbation that lowers the leader's posterior by this much (or flips the leader, or
costs it a standard it met) makes the evidence it touches a linchpin."""

NON_DIAGNOSTIC_RANGE = 0.25
"""An item whose log-likelihood contributions differ by less than this across hypotheses
(a likelihood ratio under about 1.28 between any two) "supports every hypothesis alike"."""

MILESTONE_GRADE = ("A", 2)
"""The grade of the hypothetical item milestones imagine: a completely reliable source whose
information is probably true."""

GOOD_RELIABILITY = ("A", "B", "C")
GOOD_CREDIBILITY = (1, 2, 3)
"""Grades that count as good evidence quality for the confidence rule."""


@dataclass(frozen=True)
class Tables:
    """The tables one analysis uses: the defaults above with the input's overrides applied."""

    rating: Mapping[str, float]
    reliability: Mapping[str, float]
    credibility: Mapping[int, float]
    standards: Mapping[str, float]


def resolve(inp: AnalysisInput) -> Tables:
    """The defaults overlaid with what the input overrides, so the input alone fixes the result."""
    rating = dict(RATING_LIKELIHOOD)
    rating.update(inp.rating_table or {})
    reliability = dict(RELIABILITY_HIT)
    reliability.update(inp.reliability_table or {})
    credibility = dict(CREDIBILITY_HIT)
    for key, value in (inp.credibility_table or {}).items():
        try:
            grade = int(key)
        except (TypeError, ValueError):
            raise ValueError(f"credibility table: {key!r} is not a grade 1-6") from None
        if grade not in CREDIBILITY_HIT:
            raise ValueError(f"credibility table: {key!r} is not a grade 1-6")
        credibility[grade] = value
    standards = dict(STANDARDS)
    standards.update(inp.thresholds or {})
    # A NaN passes no comparison, so each check is written to fail on it; an infinity or a
    # threshold outside [0, 1] would make a standard of proof met (or unmeetable) whatever
    # the evidence, and would publish as JSON no strict reader accepts.
    checked: tuple[tuple[str, Mapping[Any, float]], ...] = (
        ("rating", rating),
        ("reliability", reliability),
        ("credibility", credibility),
        ("standards of proof", standards),
    )
    for name, table in checked:
        for key, value in table.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{name} table: {key} = {value!r} is not a number")
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} table: {key} = {value} is not a probability")
    return Tables(
        rating=rating, reliability=reliability, credibility=credibility, standards=standards
    )


def band(p: float) -> tuple[str, float, float]:
    """The ICD 203 band a probability falls in, with its range."""
    for name, low, high in ICD203_BANDS:
        if p < high:
            return name, low, high
    name, low, high = ICD203_BANDS[-1]
    return name, low, high
