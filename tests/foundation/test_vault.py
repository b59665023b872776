"""The vault stores bytes once, by hash, read-only, streamed, never half-written."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import blake3
import pytest

from enquiry.errors import Corrupt
from enquiry.store import vault as vault_module
from enquiry.store.crypt import decrypt_stream, new_data_key
from enquiry.store.protected import sealing
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


KILLED = """
import os, sys
from pathlib import Path
from enquiry.store.vault import Vault
folder = Vault(Path(sys.argv[1])).temp_folder("enquiry-import-")
(Path(folder.name) / "testimony.txt").write_text("W-3 saw the convoy", encoding="utf-8")
print(folder.name, flush=True)
os._exit(0)  # killed before it could remove the folder
"""


def test_a_killed_processs_folder_and_its_plaintext_go_at_the_next_clean(vault: Vault) -> None:
    """A redaction, a bundle taken in or an upload too large for memory works in a folder of
    ``vault/tmp``: killed, its process leaves the plaintext there; the next clean removes the
    folders of processes that are gone, and keeps those of the living."""
    done = subprocess.run(
        [sys.executable, "-c", KILLED, str(vault.root)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    left = Path(done.stdout.strip())
    assert left.parent == vault.tmp and (left / "testimony.txt").is_file()
    with vault.temp_folder("enquiry-redact-") as mine:
        (Path(mine) / "frame.png").write_bytes(b"in progress")
        assert vault.clean_temp() == 1
        assert not left.exists()
        assert (Path(mine) / "frame.png").exists()  # this process's own: kept
    assert list(vault.tmp.iterdir()) == []


def test_reading_marks_a_stopped_cluster_intake_left_go_after_a_day(vault: Vault) -> None:
    old, recent = vault.tmp / "reading-run1-aa", vault.tmp / "reading-run2-bb"
    old.touch()
    recent.touch()
    two_days_ago = time.time() - 2 * 86_400
    os.utime(old, (two_days_ago, two_days_ago))
    assert vault.clean_temp() == 1
    assert not old.exists() and recent.exists()


@pytest.mark.parametrize("size", [5000, 2 * CHUNK + 3], ids=["one piece", "streamed"])
def test_a_sealed_file_is_stored_under_the_blake3_of_its_ciphertext(
    vault: Vault, tmp_path: Path, size: int
) -> None:
    source = tmp_path / "witness.bin"
    data = os.urandom(size)
    source.write_bytes(data)
    key = new_data_key()
    stored = vault.put_file(source, sealing=lambda: sealing(key, plain_copy=True))
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.size == size
    cipher = stored.cipher_address
    assert cipher is not None and cipher.startswith("blake3:")
    digest = cipher.removeprefix("blake3:")
    blob = vault.path(cipher)
    assert blob == vault.root / "blake3" / digest[:2] / digest[2:4] / digest
    assert blake3.blake3(blob.read_bytes()).hexdigest() == digest  # the library's own word
    assert list(vault.iter_hashes()) == [cipher]  # and no plain blob
    with blob.open("rb") as handle:
        assert b"".join(decrypt_stream(key, handle, "witness")) == data
    copy = stored.plain_copy
    assert copy is not None and copy.path.read_bytes() == data
    # In memory here (Linux): no name in any filesystem, read-only, its owner's alone.
    assert copy.in_memory and not list(vault.tmp.iterdir())
    assert stat.S_IMODE(copy.path.stat().st_mode) == 0o400
    with pytest.raises(PermissionError), copy.path.open("r+b") as handle:
        handle.write(b"changed")
    copy.remove()
    assert not copy.path.exists()

    assert vault.rehash(cipher) == cipher
    blob.chmod(0o644)
    changed = bytearray(blob.read_bytes())
    changed[len(changed) // 2] ^= 1
    blob.write_bytes(bytes(changed))
    assert vault.rehash(cipher) != cipher and vault.rehash(cipher).startswith("blake3:")
    with pytest.raises(Corrupt, match=rf"blob blake3:{digest[:12]} is corrupt"):
        vault.read_verified(cipher)


@pytest.mark.parametrize("size", [5000, 2 * CHUNK + 3], ids=["one piece", "streamed"])
def test_a_plain_copy_too_large_for_memory_is_a_private_file_removed_after(
    vault: Vault, tmp_path: Path, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vault_module, "MEMORY_COPY_LIMIT", size - 1)
    source = tmp_path / "recording.bin"
    data = os.urandom(size)
    source.write_bytes(data)
    stored = vault.put_file(source, sealing=lambda: sealing(new_data_key(), plain_copy=True))
    copy = stored.plain_copy
    assert copy is not None and not copy.in_memory and copy.path.parent == vault.tmp
    assert copy.path.read_bytes() == data
    assert stat.S_IMODE(copy.path.stat().st_mode) == 0o600
    copy.remove()
    copy.remove()  # twice is harmless
    assert not list(vault.tmp.iterdir())
