"""Heuer's analysis of competing hypotheses, scored as he taught it: count what is inconsistent.

Kept beside the Bayesian engine for familiarity (analysts know it) and as the baseline the
benchmark measures against. It ignores consistent evidence and dependence by design.
"""

from __future__ import annotations

import numpy as np

from enquiry.analysis.inputs import RATINGS
from enquiry.analysis.matrix import FloatArray, IntArray

INCONSISTENCY_POINTS: FloatArray = np.array(
    [{"I": 1.0, "II": 2.0}.get(r, 0.0) for r in RATINGS] + [0.0]
)
"""Points per rating code (I = 1, II = 2, others 0); the last entry serves explicit likelihoods."""


def inconsistency(codes: IntArray) -> FloatArray:
    """Heuer's inconsistency score per hypothesis (lower is better)."""
    result: FloatArray = INCONSISTENCY_POINTS[codes].sum(axis=0)
    return result


def weighted_inconsistency(codes: IntArray, weight: FloatArray) -> FloatArray:
    """The same, each item's points multiplied by its credibility x relevance weight."""
    result: FloatArray = (INCONSISTENCY_POINTS[codes] * weight[:, None]).sum(axis=0)
    return result
