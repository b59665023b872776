"""cipher address: a protected item's ciphertext may be addressed by BLAKE3

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 14:00:00.000000

``item_keys.cipher_sha256`` holds the vault address of a protected item's ciphertext: a bare
SHA-256 hex digest (64 characters) for ciphertexts stored so far, ``blake3:<hex>``
(71 characters) for those stored from now on (see ``store/vault.py``). The column is widened to
80 characters; its name and every stored value stay as they were, so the ledger's digests of
existing rows still match. SQLite does not enforce a VARCHAR's length, so there the table is
left as it is rather than rebuilt, row by row, for nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _widen(to: int, was: int) -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column(
        "item_keys",
        "cipher_sha256",
        type_=sa.String(length=to),
        existing_type=sa.String(length=was),
        existing_nullable=False,
    )


def upgrade() -> None:
    _widen(80, 64)


def downgrade() -> None:
    # Fails, as it should, while any ciphertext is addressed by BLAKE3: such a home needs 0008.
    _widen(64, 80)
