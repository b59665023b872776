"""bundles: signing keys, imported bundles and the items whose bytes were withheld

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-02 04:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signing_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("algorithm", sa.String(length=20), nullable=False),
        sa.Column("public_key", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("revoked_at", sa.String(length=40), nullable=True),
        sa.Column("revocation", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_keys")),
        sa.UniqueConstraint("name", name=op.f("uq_signing_keys_name")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_signing_keys_fingerprint")),
    )
    op.create_table(
        "bundle_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("head_seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("signer", sa.String(length=64), nullable=True),
        sa.Column("imported_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_bundle_imports_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bundle_imports")),
    )
    op.create_index(op.f("ix_bundle_imports_case_id"), "bundle_imports", ["case_id"])
    op.create_table(
        "withheld_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("bundle_import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_withheld_items_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["bundle_import_id"],
            ["bundle_imports.id"],
            name=op.f("fk_withheld_items_bundle_import_id_bundle_imports"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_withheld_items")),
    )
    op.create_index(op.f("ix_withheld_items_item_id"), "withheld_items", ["item_id"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_withheld_items_item_id"), table_name="withheld_items")
    op.drop_table("withheld_items")
    op.drop_index(op.f("ix_bundle_imports_case_id"), table_name="bundle_imports")
    op.drop_table("bundle_imports")
    op.drop_table("signing_keys")
