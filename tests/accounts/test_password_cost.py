"""The cost at which enquiry hashes passwords. The suite hashes the passwords of the accounts
it makes at argon2id's lightest cost (``tests/conftest.py``); what ships is held here."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from enquiry.app import Enquiry, accounts
from enquiry.store.tables import User


def test_a_password_is_stored_as_argon2id_at_the_shipped_cost(
    home: Path, monkeypatch: pytest.MonkeyPatch, shipped_password_hasher: object
) -> None:
    assert isinstance(shipped_password_hasher, PasswordHasher)
    shipped = shipped_password_hasher
    # RFC 9106's second recommended option (64 MiB, three passes), four lanes
    assert (shipped.memory_cost, shipped.time_cost, shipped.parallelism) == (65536, 3, 4)
    monkeypatch.setattr(accounts, "_hasher", shipped)
    admin = Enquiry.at(home, "admin")
    accounts.add_user(admin, "witness-desk", "a long enough passphrase")
    with admin.store().engine.connect() as connection:
        stored = connection.execute(select(User.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert "a long enough passphrase" not in stored
    principal = accounts.authenticate_password(admin, "witness-desk", "a long enough passphrase")
    assert principal.user_id is not None
