"""search window: the search index's documents found by range of number (PostgreSQL)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 17:00:00.000000

A search reads a window of its newest matches (``app/search.py``), slice by slice of document
numbers: the word's GIN index and a range of ``doc`` together, so that only the matches inside
the slice are read from the table. The primary key can give that range too, but as a bitmap of
every entry in it (a quarter of a million for a middling word's slice: 15–25 ms); a BRIN index
gives it as the table's page ranges, in microseconds — the index's rows are written in document
order (appended as items and claims arrive), so a range of numbers is a run of pages. Should
that order wear (rows re-indexed land wherever there is room), the BRIN still answers rightly,
only with more pages to check. ``autosummarize`` has autovacuum summarise page ranges as they
fill. SQLite's FTS5 table seeks a range of rowids itself: nothing is added there.

The index is derived data (``rows.EXEMPT``): no watched row changes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_search_index_doc_brin"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(
        f"CREATE INDEX {NAME} ON search_index USING BRIN (doc)"
        " WITH (pages_per_range = 32, autosummarize = on)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(f"DROP INDEX {NAME}")
