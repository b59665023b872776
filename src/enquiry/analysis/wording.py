"""From numbers to the words a panel signs: ICD 203 band, confidence, standards of proof."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from enquiry.analysis.inputs import AnalysisInput
from enquiry.analysis.matrix import FloatArray, IntArray
from enquiry.analysis.precision import published, published_number
from enquiry.analysis.result import (
    Confidence,
    ConfidenceDetail,
    Sensitivity,
    Standard,
    Standards,
)
from enquiry.analysis.tables import GOOD_CREDIBILITY, GOOD_RELIABILITY, NON_DIAGNOSTIC_RANGE, band

QUALITY_GOOD = 3
"""Independent, well-graded clusters favouring the leader needed for "good" evidence quality."""

CONFLICT_GOOD = 0.20
CONFLICT_FAIR = 0.40
"""Share of the counted evidence's weight of evidence that tells against the leader."""


def standards(p: float, thresholds: Mapping[str, float]) -> Standards:
    """Each standard of proof, lowest threshold first: does the leader's conservative posterior
    exceed its threshold? The numbers are judged unrounded and published rounded."""
    return Standards(
        posterior=published(p),
        levels=tuple(
            Standard(name=name, threshold=published_number(t), met=bool(p > t))
            for name, t in sorted(thresholds.items(), key=lambda kv: (kv[1], kv[0]))
        ),
    )


def weight_of_evidence(rows: FloatArray, prior: FloatArray, leader: int) -> FloatArray:
    """Per row, log P(report | leader) / P(report | not leader), the rivals weighted by prior.

    Good's weight of evidence for the leading hypothesis against all its alternatives at once:
    positive rows support the leader, negative rows tell against it.
    """
    if not len(rows):
        return np.zeros(0, dtype=np.float64)
    rivals = np.delete(np.arange(rows.shape[1]), leader)
    w = prior[rivals] / prior[rivals].sum()
    top = rows[:, rivals].max(axis=1)
    mixture = top + np.log(np.exp(rows[:, rivals] - top[:, None]) @ w)
    result: FloatArray = rows[:, leader] - mixture
    return result


def confidence(
    inp: AnalysisInput,
    contrib: FloatArray,
    prior: FloatArray,
    counted: IntArray,
    leader: int,
    leader_independent: int,
    survival: Sensitivity,
) -> Confidence:
    """High, moderate or low, from evidence quality, agreement and sensitivity survival.

    Each criterion is good, fair or poor; all good gives high, any poor gives low, otherwise
    moderate. The reasons say which criterion decided.
    """
    rows = contrib[counted]
    woe = weight_of_evidence(rows, prior, leader)
    if len(rows):
        diagnostic = rows.max(axis=1) - rows.min(axis=1) >= NON_DIAGNOSTIC_RANGE
    else:
        diagnostic = np.zeros(0, dtype=np.bool_)
    good_grade = np.array(
        [
            inp.evidence[i].reliability in GOOD_RELIABILITY
            and inp.evidence[i].credibility in GOOD_CREDIBILITY
            for i in counted
        ],
        dtype=np.bool_,
    )
    favouring = int(np.sum((woe > 0) & diagnostic & good_grade))
    quality = "good" if favouring >= QUALITY_GOOD else "fair" if favouring >= 1 else "poor"
    weight = float(np.abs(woe).sum())
    against = float(np.clip(-woe, 0.0, None).sum())
    conflict = against / weight if weight > 0 else 1.0
    agreement = (
        "good" if conflict <= CONFLICT_GOOD else "fair" if conflict <= CONFLICT_FAIR else "poor"
    )
    if leader_independent != leader and agreement == "good":
        agreement = "fair"
    flips = survival.flips
    if survival.leader_survives:
        robustness = "good"
    elif flips.get("leave_out_cluster", 0) == 0 and flips.get("downgrade_source", 0) == 0:
        robustness = "fair"
    else:
        robustness = "poor"
    grades = (quality, agreement, robustness)
    level = (
        "high" if all(g == "good" for g in grades) else "low" if "poor" in grades else "moderate"
    )
    reasons = [
        f"evidence quality {quality}: {favouring} independent well-graded (reliability "
        f"{'/'.join(GOOD_RELIABILITY)}, credibility {'/'.join(map(str, GOOD_CREDIBILITY))}) evidence "
        f"cluster(s) favour the leader (good needs {QUALITY_GOOD})",
        f"agreement {agreement}: {conflict:.0%} of the weight of evidence (each counted item's log-LR "
        f"for the leader against its prior-weighted rivals) tells against it (good <= {CONFLICT_GOOD:.0%}, fair <= {CONFLICT_FAIR:.0%})"
        + (
            "; counting every item independently would change the leader"
            if leader_independent != leader
            else ""
        ),
        f"sensitivity {robustness}: "
        + (
            f"the leader survives all {survival.perturbations} single perturbations"
            if survival.leader_survives
            else f"{sum(flips.values())} of {survival.perturbations} single perturbations change the leader "
            f"({', '.join(f'{k}: {v}' for k, v in flips.items() if v)})"
        ),
    ]
    detail = ConfidenceDetail(
        evidence_quality=quality,
        agreement=agreement,
        sensitivity=robustness,
        favouring_clusters=favouring,
        conflict_share=published(conflict),
    )
    return Confidence(level=level, reasons=tuple(reasons), detail=detail)


def statement(
    label: str, hid: str, p: float, low: float, high: float, level: str, met: Sequence[str]
) -> str:
    """The one calibrated sentence: the band's words and range, the number with its dependence
    bounds, the confidence, and the highest standard of proof met (``met`` is in threshold
    order). A leader that is not more likely than not is called the leading hypothesis only."""
    name, lo, hi = band(p)
    numbers = (
        f"posterior {p:.3f}, {low:.3f}\u2013{high:.3f} between fully dependent and independent "
        f"evidence; confidence: {level}"
    )
    span = f"{lo * 100:.0f}\u2013{hi * 100:.0f}%"
    if p > 0.5:
        sentence = f"It is {name} ({span}) that {label} ({hid}): {numbers}"
    else:
        sentence = (
            f"No hypothesis is more likely than not; the leading one, that {label} ({hid}), "
            f"is {name} ({span}): {numbers}"
        )
    if met:
        sentence += f"; meets the standard \u201c{met[-1]}\u201d"
    else:
        sentence += "; meets no standard of proof"
    return sentence + "."
