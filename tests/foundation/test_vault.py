"""The vault stores bytes once, by hash, read-only, streamed, never half-written."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from enquiry.store.vault import CHUNK, Vault, VaultError


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    v = Vault(tmp_path / "vault")
    v.ensure()
    return v


def test_large_file_is_hashed_while_streaming_and_stored_read_only(
    vault: Vault, tmp_path: Path
) -> None:
    source = tmp_path / "big.bin"
    data = os.urandom(3 * CHUNK + 12345)
    source.write_bytes(data)
    stored = vault.put_file(source)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data) and stored.new
    blob = vault.path(stored.sha256)
    assert blob.read_bytes() == data
    assert not blob.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert vault.rehash(stored.sha256) == stored.sha256


def test_identical_bytes_are_stored_once(vault: Vault, tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"same bytes")
    (tmp_path / "b").write_bytes(b"same bytes")
    first, second = vault.put_file(tmp_path / "a"), vault.put_file(tmp_path / "b")
    assert first.sha256 == second.sha256 and first.new and not second.new
    assert list(vault.iter_hashes()) == [first.sha256]


def test_oversized_file_is_refused_and_leaves_nothing(vault: Vault, tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    source.write_bytes(b"x" * 5000)
    with pytest.raises(VaultError, match="too large"):
        vault.put_file(source, max_size=4096)
    assert list(vault.iter_hashes()) == [] and list(vault.tmp.iterdir()) == []


def test_leftovers_of_dead_writers_are_cleaned_but_live_ones_kept(vault: Vault) -> None:
    dead = vault.tmp / "999999999-abc.part"
    live = vault.tmp / f"{os.getpid()}-def.part"
    dead.write_bytes(b"partial")
    live.write_bytes(b"in progress")
    assert vault.clean_temp() == 1
    assert not dead.exists() and live.exists()
