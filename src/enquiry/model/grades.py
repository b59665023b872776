"""The scales analysts grade with, shared by case files (intake) and the engine (analysis)."""

from __future__ import annotations

RATINGS = ("CC", "C", "N", "I", "II", "NA")
"""Heuer's scale: very consistent, consistent, neutral, inconsistent, very inconsistent,
not applicable."""

RELIABILITY = ("A", "B", "C", "D", "E", "F")
"""Admiralty source reliability: A completely reliable ... F reliability cannot be judged."""

CREDIBILITY = (1, 2, 3, 4, 5, 6)
"""Admiralty information credibility: 1 confirmed ... 6 truth cannot be judged."""
