"""scale indexes: listing a case by kind, source and date stays fast at a million items

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:30:00.000000

A case's items are listed oldest first, a page at a time, often filtered by kind or source.
With an index on ``case_id`` alone, PostgreSQL walks the items' primary key and throws away
those of other cases or kinds, or sorts every match; the composite indexes below hand it the
page already in order. The date an item speaks of is kept in the search index (derived data,
``store/index.py``): on PostgreSQL it gets an index so that a date range is found without
reading every document. (On SQLite the index lives in FTS5's own tables, which take none.)
No table is added: the ledger's watch list (``store/rows.py``) is unchanged.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ITEM_INDEXES = {
    "ix_items_case_id_id": ["case_id", "id"],
    "ix_items_case_id_kind_id": ["case_id", "kind", "id"],
    "ix_items_case_id_source_id_id": ["case_id", "source_id", "id"],
}


def upgrade() -> None:
    for name, columns in ITEM_INDEXES.items():
        op.create_index(name, "items", columns)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_search_index_date ON search_index (date, doc)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_search_index_date")
    for name in reversed(ITEM_INDEXES):
        op.drop_index(name, table_name="items")
