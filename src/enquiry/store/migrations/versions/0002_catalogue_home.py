"""catalogue home: the database records which home it belongs to

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 01:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # One row (id 1), written when a home first opens this database; the home's own home.json
    # records the same id, so neither can be paired with a stranger unnoticed.
    op.create_table(
        "catalogue_home",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("home_id", sa.String(length=64), nullable=False),
        sa.Column("home_path", sa.Text(), nullable=False),
        sa.Column("bound_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_home")),
    )


def downgrade() -> None:
    op.drop_table("catalogue_home")
