"""Homes made before protected ciphertexts were addressed by BLAKE3 keep working: their
ciphertexts, addressed by SHA-256, still verify (with the key and without), still open, and
a changed byte in one still fails a keyless verify — beside new ones addressed by BLAKE3."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import blake3
import pytest
from protection_helpers import Cli

from catalogue_helpers import downgrade_catalogue
from enquiry.store import open_store
from enquiry.store.crypt import CHUNK
from enquiry.store.protected import at_rest
from enquiry.store.vault import SHA256, Vault


def _addresses(home: Path) -> dict[str, str]:
    """Plaintext SHA-256 → ciphertext address, of every protected item with bytes."""
    store = open_store(home, "tester", create=False)
    try:
        listing = {
            int(row["id"]): str(row["sha256"])
            for row in json.loads(Cli(home)("item", "list", "--json").stdout)["items"]
        }
        with store.engine.connect() as connection:
            return {
                listing[held.item_id]: held.cipher_address
                for held in at_rest(connection).values()
                if held.cipher_address
            }
    finally:
        store.engine.dispose()


def _blob(home: Path, folder: str, digest: str) -> Path:
    return home / "vault" / folder / digest[:2] / digest[2:4] / digest


def test_sha256_addressed_ciphertexts_of_an_older_home_still_verify(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(tmp_path / "home")
    note = tmp_path / "old" / "note.txt"  # makes the case key: a plain blob, then encrypted
    note.parent.mkdir()
    note.write_text("the first protected note of the case\n", encoding="utf-8")
    old = tmp_path / "old" / "recording.bin"  # encrypted as it is read
    old.write_bytes(os.urandom(2 * CHUNK + 7))
    # Written the old way: ciphertexts addressed by the SHA-256 of their bytes, in a catalogue
    # of revision 0007 (whose column takes no longer address).
    with monkeypatch.context() as patch:
        patch.setattr(Vault, "cipher_hash", SHA256)
        cli("add", str(note), "--case", "c", "--kind", "document", "--protected")
        cli("add", str(old), "--case", "c", "--kind", "document", "--protected")
    downgrade_catalogue(tmp_path / "home", "0007")
    new = tmp_path / "new" / "recording.bin"
    new.parent.mkdir()
    new.write_bytes(os.urandom(2 * CHUNK + 9))
    cli("add", str(new), "--case", "c", "--kind", "document", "--protected")  # migrates, too

    addresses = _addresses(cli.home)
    old_sha = hashlib.sha256(old.read_bytes()).hexdigest()
    note_sha = hashlib.sha256(note.read_bytes()).hexdigest()
    new_sha = hashlib.sha256(new.read_bytes()).hexdigest()
    for plain in (old_sha, note_sha):  # the old form: a bare SHA-256 of the ciphertext
        cipher = addresses[plain]
        assert len(cipher) == 64 and cipher != plain
        assert hashlib.sha256(_blob(cli.home, "sha256", cipher).read_bytes()).hexdigest() == cipher
    assert addresses[new_sha].startswith("blake3:")
    digest = addresses[new_sha].removeprefix("blake3:")
    assert blake3.blake3(_blob(cli.home, "blake3", digest).read_bytes()).hexdigest() == digest

    cli("verify")  # with the key: every ciphertext re-hashed, every plaintext decrypted
    back = tmp_path / "back.bin"
    listing = json.loads(cli("item", "list", "--json").stdout)["items"]
    old_id = next(row["id"] for row in listing if row["sha256"] == old_sha)
    cli("item", "copy", str(old_id), "-o", str(back), "--reveal")
    assert back.read_bytes() == old.read_bytes()

    monkeypatch.delenv("ENQUIRY_PROTECTION_KEY_FILE")
    assert "ciphertext only" in cli("verify").stdout
    blob = _blob(cli.home, "sha256", addresses[old_sha])
    blob.chmod(0o644)
    data = bytearray(blob.read_bytes())
    data[CHUNK] ^= 1
    blob.write_bytes(bytes(data))
    out = cli("verify", expect=1).stdout
    assert f"item {old_id}: blob {addresses[old_sha][:12]} changed" in out
    assert out.count("FAIL") == 1  # the note's and the new ciphertexts are still intact
