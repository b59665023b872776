"""A stolen home: everything of a worked case copied (and its PostgreSQL database dumped) by
someone without the protection key. No protected name, word or original byte may be found in
any file, raw or decoded — yet the copy still verifies, and the key still opens it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import blake3
import pytest
from click.testing import CliRunner
from protection_helpers import BLOB, NAME, WORDS, Cli, findings, item_id, steal

from enquiry.cli import main


def test_a_stolen_home_gives_away_no_protected_witness(
    worked: Cli, tmp_path: Path, backend: str
) -> None:
    stolen = steal(worked.home, tmp_path / "stolen")
    assert not findings(stolen)


def test_the_search_finds_what_is_not_protected(worked: Cli, tmp_path: Path, backend: str) -> None:
    """The attacker's search is real: the same secrets, received unprotected, are found."""
    plain = tmp_path / "plain" / "notes.bin"
    plain.parent.mkdir()
    plain.write_bytes(BLOB[: len(BLOB) // 2 + 4096] + f"\n{NAME}: {WORDS}\n".encode())
    worked("add", str(plain), "--case", "saltworks", "--kind", "document")
    stolen = steal(worked.home, tmp_path / "stolen")
    assert findings(stolen)


def test_without_the_key_protected_items_are_received_and_verified_never_read(
    worked: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENQUIRY_PROTECTION_KEY_FILE")
    more = tmp_path / "more" / f"{NAME} third interview.txt"
    more.parent.mkdir()
    more.write_text(f"Again {WORDS}.\n", encoding="utf-8")
    worked(
        "add",
        str(more),
        "--case",
        "saltworks",
        "--kind",
        "testimony",
        "--field",
        "witness_pseudonym=W-Z3",
    )
    verified = worked("verify")
    assert "ciphertext only" in verified.stdout
    witness = item_id(worked, "Eyewitness at the saltworks")
    refused = worked("item", "show", str(witness), "--reveal", expect=1)
    assert "protection key is needed" in refused.stderr
    worked("item", "copy", str(witness), "-o", str(tmp_path / "c"), "--reveal", expect=1)
    assert not (tmp_path / "c").exists()
    assert not findings(steal(worked.home, tmp_path / "stolen"))


def test_a_wrong_key_opens_nothing(
    worked: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = tmp_path / "wrong.key"
    CliRunner().invoke(main, ["protection", "keyfile", str(wrong)], catch_exceptions=False)
    monkeypatch.setenv("ENQUIRY_PROTECTION_KEY_FILE", str(wrong))
    witness = item_id(worked, "Eyewitness at the saltworks")
    refused = worked("item", "show", str(witness), "--reveal", expect=1)
    assert "does not open" in refused.stderr
    assert worked("verify", expect=1).stdout.count("does not open") >= 1


def test_tampered_ciphertext_fails_verify_without_the_key(
    worked: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from enquiry.store import open_store
    from enquiry.store.protected import at_rest

    store = open_store(worked.home, "attacker", create=False)
    with store.engine.connect() as connection:
        held = sorted(at_rest(connection).values(), key=lambda h: h.item_id)[0]
    # A ciphertext is addressed by its BLAKE3, which the blake3 package itself confirms.
    assert held.cipher_address.startswith("blake3:")
    digest = held.cipher_address.removeprefix("blake3:")
    path = worked.home / "vault" / "blake3" / digest[:2] / digest[2:4] / digest
    assert blake3.blake3(path.read_bytes()).hexdigest() == digest
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[-5] ^= 1
    path.write_bytes(bytes(data))
    monkeypatch.delenv("ENQUIRY_PROTECTION_KEY_FILE")
    out = worked("verify", expect=1).stdout
    assert f"blob blake3:{digest[:12]} changed" in out


def test_a_protected_blob_is_not_addressed_by_its_plaintext_hash(worked: Cli) -> None:
    listing = json.loads(worked("item", "list", "--json").stdout)["items"]
    vault = worked.home / "vault"
    names = {p.name for p in vault.rglob("*") if p.is_file()}
    assert any(p.is_file() for p in (vault / "blake3").rglob("*"))
    for row in listing:
        if row["protected"]:
            assert row["sha256"] not in names
    # Nor by any hash of its plaintext: the recording's bytes are known to the test.
    assert hashlib.sha256(BLOB).hexdigest() not in names
    assert blake3.blake3(BLOB).hexdigest() not in names
