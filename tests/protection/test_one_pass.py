"""A protected file taken into a case that has its key is encrypted as it is read: the vault
never holds its plaintext as a blob, not even for a moment, and what comes back out is the
original, byte for byte."""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from protection_helpers import Cli

from enquiry.store import vault as vault_module
from enquiry.store.crypt import CHUNK, decrypt_stream, encrypt_chunks, encrypt_stream, new_data_key

WORDS = "the lantern-maker saw four vehicles at the cistern before dawn"


def test_a_protected_file_is_encrypted_as_it_is_read(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every file renamed into the vault is logged (workers are forked, and append).
    settled = tmp_path / "settled.log"
    real_replace = os.replace

    def logging_replace(src: str | Path, dst: str | Path) -> None:
        folder = Path(dst).parent.parent.parent.name  # the hash that names the blob
        if folder in ("sha256", "blake3"):
            with settled.open("a", encoding="ascii") as log:
                log.write(f"{folder}:{Path(dst).name}\n")
        real_replace(src, dst)

    monkeypatch.setattr(vault_module.os, "replace", logging_replace)
    # And every plaintext copy made for the readers: where it was.
    copies = tmp_path / "copies.log"
    real_make = vault_module.PlainCopy.make

    def logging_make(disk: Path, size: int) -> vault_module.PlainCopy:
        copy = real_make(disk, size)
        with copies.open("a", encoding="ascii") as log:
            log.write(f"{'memory' if copy.in_memory else copy.path}\n")
        return copy

    monkeypatch.setattr(vault_module.PlainCopy, "make", staticmethod(logging_make))
    cli = Cli(tmp_path / "home")
    first = tmp_path / "first.txt"
    first.write_text("the first protected note makes the case key\n", encoding="utf-8")
    cli("add", str(first), "--case", "pass", "--kind", "document", "--protected")
    folder = tmp_path / "in"
    folder.mkdir()
    big = os.urandom(3 * CHUNK + 5)  # several chunks and a short last one
    (folder / "recording.bin").write_bytes(big)
    (folder / "note.txt").write_text(f"Field note: {WORDS}.\n", encoding="utf-8")
    settled.write_text("", encoding="ascii")
    copies.write_text("", encoding="ascii")
    cli("add", str(folder), "--case", "pass", "--kind", "document", "--protected")

    items = {
        row["sha256"]: row["id"]
        for row in json.loads(cli("item", "list", "--json").stdout)["items"]
    }
    big_sha = hashlib.sha256(big).hexdigest()
    note_sha = hashlib.sha256((folder / "note.txt").read_bytes()).hexdigest()
    assert big_sha in items and note_sha in items
    written = settled.read_text(encoding="ascii").split()
    # The two ciphertexts, and nothing else: each under its BLAKE3, in the BLAKE3 folder.
    assert len(written) == 2 and all(name.startswith("blake3:") for name in written)
    assert not {f"blake3:{big_sha}", f"blake3:{note_sha}"} & set(written)
    vault = cli.home / "vault"
    blobs = {path.name for path in vault.glob("*/*/*/*") if path.is_file()}
    assert big_sha not in blobs and note_sha not in blobs
    assert not list((vault / "tmp").iterdir())
    # The note's readers had a plaintext copy, held in memory, never in a file; the recording
    # had none (no reader takes it).
    assert copies.read_text(encoding="ascii").split() == ["memory"]
    # The readers did read the note (through that copy) ...
    shown = json.loads(
        cli("item", "show", str(items[note_sha]), "--json", "--reveal", "--text").stdout
    )
    assert any(WORDS in text for text in shown["text"].values())
    # ... and the original comes back exactly, checked against its hash.
    cli("item", "copy", str(items[big_sha]), "-o", str(tmp_path / "back.bin"), "--reveal")
    assert (tmp_path / "back.bin").read_bytes() == big
    cli("verify")


def test_the_same_bytes_held_in_the_clear_are_repaired_and_encrypted(
    tmp_path: Path, backend: str
) -> None:
    cli = Cli(tmp_path / "home")
    seed = tmp_path / "seed.txt"
    seed.write_text("the case key is made by this protected note\n", encoding="utf-8")
    cli("add", str(seed), "--case", "pass", "--kind", "document", "--protected")
    open_file = tmp_path / "open.bin"
    open_file.write_bytes(os.urandom(CHUNK + 9))
    cli("add", str(open_file), "--case", "pass", "--kind", "document")
    sha = hashlib.sha256(open_file.read_bytes()).hexdigest()
    blob = cli.home / "vault" / "sha256" / sha[:2] / sha[2:4] / sha
    blob.chmod(0o644)
    blob.write_bytes(b"damaged")
    copy = tmp_path / "again" / "open.bin"
    copy.parent.mkdir()
    copy.write_bytes(open_file.read_bytes())
    cli("add", str(copy), "--case", "pass", "--kind", "document", "--protected")
    assert blob.read_bytes() == open_file.read_bytes()  # repaired, and still there for its item
    cli("verify")


@settings(max_examples=40, deadline=None)
@given(
    size=st.integers(min_value=0, max_value=3 * CHUNK + 3),
    piece=st.sampled_from([1, 4096, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK]),
)
def test_pieces_of_any_size_make_the_same_stream(size: int, piece: int) -> None:
    data = os.urandom(size)
    key = new_data_key()
    pieces = [data[i : i + piece] for i in range(0, size, piece)]
    joined = b"".join(encrypt_chunks(key, pieces))
    reference = b"".join(encrypt_stream(key, io.BytesIO(data)))
    assert len(joined) == len(reference)
    assert b"".join(decrypt_stream(key, io.BytesIO(joined), "x")) == data
