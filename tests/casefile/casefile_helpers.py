"""Shared helpers for the case-file tests: a small case, and a snapshot of a whole catalogue."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from enquiry.store import Store
from enquiry.store.tables import Base

HEAD = """format: enquiry-case/1
case: {name: small}
sources:
- {name: Field team, reliability: B}
incidents:
- slug: small-incident
  hypotheses:
  - {id: H1, label: A shell hit the square}
  - {id: H0, label: Something else, other: true}
"""


def write(folder: Path, text: str, name: str = "case.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def catalogue(store: Store) -> dict[str, int]:
    """How many rows every catalogue table holds (the ledger's events included)."""
    counts = {}
    with store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = int(
                conn.execute(select(func.count()).select_from(table)).scalar() or 0
            )
    return counts
