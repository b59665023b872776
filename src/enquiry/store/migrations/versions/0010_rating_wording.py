"""rating wording: each rating records the wording of the hypothesis it was made under

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 09:00:00.000000

A rating judges evidence against a hypothesis as written; when the hypothesis is reworded, a
rating made before bears on a different question. ``ratings.wording`` holds the SHA-256 of the
wording (``enquiry.model.wording``) the rating was made under, so that ratings of an earlier
wording are told apart from current ones and left out of the analysis until re-rated.

Ratings made before this revision keep NULL: nothing is written into existing rows (the
ledger's digests of them must still match), and a NULL wording is left out of a row's digest
(``store/rows.py``). Whether such a rating predates a rewording is read from the ledger's
``updated`` events of its hypothesis instead (``publish/inputs.py``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("ratings", sa.Column("wording", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # SQLite (3.35 and later) drops a column in place, as PostgreSQL does.
    op.drop_column("ratings", "wording")
