"""scale indexes: listing a case by kind, source and date stays fast at a million items

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:30:00.000000

A case's items are listed oldest first, a page at a time, often filtered by kind, source or
date. With an index on ``case_id`` alone, PostgreSQL walks the items' primary key and throws
away those of other cases or kinds, or counts and sorts every match; the composite indexes
below hand it the page (and the capped count) from one index range.

The date an item speaks of was kept only in the search index (derived data); it is now also
kept on the item (``items.item_date``, derived the same way, by the same code: see
``store/index.py``), so that a date range of one case is one index range. It is filled here
from the search index, which every catalogue of revision 0006 holds; a catalogue older than
that has its search index, and with it these dates, made when it is opened (``store.db``).
No table is added: the ledger's watch list (``store/rows.py``) is unchanged, and the new
column is not part of the state the ledger vouches for (it is derived, like the index).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ITEM_INDEXES = {
    "ix_items_case_id_id": ["case_id", "id"],
    "ix_items_case_id_kind_id": ["case_id", "kind", "id"],
    "ix_items_case_id_source_id_id": ["case_id", "source_id", "id"],
    "ix_items_case_id_item_date_id": ["case_id", "item_date", "id"],
}


def upgrade() -> None:
    op.add_column("items", sa.Column("item_date", sa.String(length=10), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # FTS5 keeps each document's columns in its content table: c3 is the date.
        op.execute(
            "UPDATE items SET item_date = (SELECT c3 FROM search_index_content"
            " WHERE search_index_content.id = 2 * items.id)"
        )
    else:
        op.execute(
            "UPDATE items SET item_date = search_index.date FROM search_index"
            " WHERE search_index.doc = 2 * items.id AND search_index.date IS NOT NULL"
        )
    for name, columns in ITEM_INDEXES.items():
        op.create_index(name, "items", columns)


def downgrade() -> None:
    for name in reversed(ITEM_INDEXES):
        op.drop_index(name, table_name="items")
    # SQLite (3.35 and later) drops a column in place, as PostgreSQL does.
    op.drop_column("items", "item_date")
