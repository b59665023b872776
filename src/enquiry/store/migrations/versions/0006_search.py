"""search: the full-text index of items, texts and claims (FTS5 on SQLite, tsvector on PostgreSQL)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:00:00.000000

The index is derived data (enquiry.store.index): a catalogue upgraded from an older schema
has it filled when it is opened (store.db.upgrade), and ``enquiry reindex`` makes it again.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # rowid is the document number; date is stored, not searched.
        op.execute(
            "CREATE VIRTUAL TABLE search_index USING fts5("
            "title, fields, body, date UNINDEXED,"
            " tokenize = 'unicode61 remove_diacritics 2')"
        )
        return
    op.execute(
        "CREATE TABLE search_index ("
        " doc BIGINT NOT NULL CONSTRAINT pk_search_index PRIMARY KEY,"
        " title TEXT NOT NULL, fields TEXT NOT NULL, body TEXT NOT NULL,"
        " date VARCHAR(10), tsv TSVECTOR NOT NULL)"
    )
    op.execute("CREATE INDEX ix_search_index_tsv ON search_index USING GIN (tsv)")


def downgrade() -> None:
    op.execute("DROP TABLE search_index")
