"""protection keys: case key pairs and protected items' encrypted form

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 04:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("wrapped_private", sa.LargeBinary(), nullable=False),
        sa.Column("kdf", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_keys_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_keys")),
        sa.UniqueConstraint("case_id", name=op.f("uq_case_keys_case_id")),
    )
    op.create_table(
        "item_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("cipher_sha256", sa.String(length=64), nullable=False),
        sa.Column("cipher_size", sa.BigInteger(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=True),
        sa.Column("secret", sa.LargeBinary(), nullable=True),
        sa.Column("sealed_at", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_item_keys_case_id_cases")),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name=op.f("fk_item_keys_item_id_items")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_keys")),
        sa.UniqueConstraint("item_id", name=op.f("uq_item_keys_item_id")),
    )
    with op.batch_alter_table("item_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_keys_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_item_keys_cipher_sha256"), ["cipher_sha256"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("item_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_keys_cipher_sha256"))
        batch_op.drop_index(batch_op.f("ix_item_keys_case_id"))
    op.drop_table("item_keys")
    op.drop_table("case_keys")
