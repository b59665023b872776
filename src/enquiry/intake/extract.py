"""The one small interface between intake and the enrichers that read what comes in.

Intake owns storing; an :class:`Extractor` only reads a stored original (the vault copy, never
the user's file) and returns what it found. Extractors live in ``enquiry.enrich`` and are handed
to the intake pipeline by the caller, so intake never imports upward.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass
class Extraction:
    """What an extractor found in one original.

    ``metadata`` is merged into the item's metadata under the extractor's name; ``text`` is kept
    as a derived text of the item; ``problems`` are one-line descriptions of what was wrong with
    the file (truncated, wrongly encoded, hostile, ...); ``hashes`` are perceptual hashes
    (``{"algorithm", "t", "hash", "quality", "data"}``) stored as derived records of the item.
    """

    metadata: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    problems: list[str] = field(default_factory=list)
    hashes: list[dict[str, Any]] = field(default_factory=list)


class Extractor(Protocol):
    """Reads one kind of file. ``name`` labels its output and its derived records."""

    name: str

    def accepts(self, media_type: str, kind: str) -> bool:
        """Whether this extractor has anything to say about such a file."""
        ...

    def extract(self, path: Path, media_type: str) -> Extraction:
        """Read ``path`` (a read-only vault blob). Never raise for bad content: report it in
        ``problems``; an exception is treated as a crash of the extractor on that file."""
        ...
