"""Analysis: pure functions from an AnalysisInput to a result; no database.

The public contract is :func:`analyse`, which returns an :class:`AnalysisResult`; its
``to_dict()`` is the published JSON (see docs/analysis.md for every field).
"""

from enquiry.analysis.engine import ENGINE_VERSION, analyse
from enquiry.analysis.inputs import AnalysisInput, Claim, EstablishedFacts, Evidence, Hypothesis
from enquiry.analysis.result import AnalysisResult

__all__ = [
    "ENGINE_VERSION",
    "AnalysisInput",
    "AnalysisResult",
    "Claim",
    "EstablishedFacts",
    "Evidence",
    "Hypothesis",
    "analyse",
]
