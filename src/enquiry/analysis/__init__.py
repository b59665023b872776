"""Analysis: pure functions from an AnalysisInput to a result; no database.

The public contract is :func:`analyse` (see docs/analysis.md for every key it returns).
"""

from enquiry.analysis.engine import ENGINE_VERSION, analyse
from enquiry.analysis.inputs import AnalysisInput, Claim, EstablishedFacts, Evidence, Hypothesis

__all__ = [
    "ENGINE_VERSION",
    "AnalysisInput",
    "Claim",
    "EstablishedFacts",
    "Evidence",
    "Hypothesis",
    "analyse",
]
