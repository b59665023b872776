"""The key hierarchy in use: protecting an item after it arrived, unprotecting it (key needed),
rotating the key without touching content, a passphrase instead of a key file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from protection_helpers import Cli, steal

from enquiry.store import open_store
from enquiry.store.protected import at_rest

SECRET = "the ferryman counted nine trucks past the lighthouse road"


def _held(home: Path, item: int):  # type: ignore[no-untyped-def]
    store = open_store(home, "reader", create=False)
    with store.engine.connect() as connection:
        found = at_rest(connection, [item]).get(item)
    store.engine.dispose()
    return found


def _added(cli: Cli, tmp_path: Path, *extra: str) -> tuple[int, str]:
    note = tmp_path / "in" / "note.txt"
    note.parent.mkdir(exist_ok=True)
    note.write_text(f"Field note: {SECRET}.\n", encoding="utf-8")
    cli("add", str(note), "--case", "keys", "--kind", "document", *extra)
    row = json.loads(cli("item", "list", "--json").stdout)["items"][-1]
    return int(row["id"]), str(row["sha256"])


def test_protecting_later_encrypts_and_removes_the_plain_copies(
    tmp_path: Path, backend: str
) -> None:
    cli = Cli(tmp_path / "home")
    item, sha = _added(cli, tmp_path)
    vault = cli.home / "vault"
    assert (vault / "sha256" / sha[:2] / sha[2:4] / sha).exists()
    cli("item", "update", str(item), "--protect")
    held = _held(cli.home, item)
    assert held is not None and not held.sealed
    assert not (vault / "sha256" / sha[:2] / sha[2:4] / sha).exists()
    events = json.loads(cli("log", "--json", "--item", str(item)).stdout)
    assert events[-1]["action"] == "updated" and events[-1]["details"]["protected"] is True
    cli("verify")
    text = json.loads(cli("item", "show", str(item), "--json", "--reveal", "--text").stdout)
    assert any(SECRET in t for t in text["text"].values())
    # The words are gone from the home; (the path it first arrived under stays in the
    # ledger's earlier events, which cannot be rewritten — see docs/protection.md).
    stolen = steal(cli.home, tmp_path / "stolen")
    for path in stolen.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data, path
            assert SECRET.encode("utf-16-le") not in data, path


def test_unprotecting_needs_the_key_and_is_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(tmp_path / "home")
    item, sha = _added(cli, tmp_path, "--protected")
    saved = os.environ["ENQUIRY_PROTECTION_KEY_FILE"]
    monkeypatch.delenv("ENQUIRY_PROTECTION_KEY_FILE")
    refused = cli("item", "update", str(item), "--unprotect", expect=1)
    assert "protection key is needed" in refused.stderr
    assert _held(cli.home, item) is not None
    monkeypatch.setenv("ENQUIRY_PROTECTION_KEY_FILE", saved)
    cli("item", "update", str(item), "--unprotect")
    assert _held(cli.home, item) is None
    vault = cli.home / "vault" / "sha256"
    assert (vault / sha[:2] / sha[2:4] / sha).exists()
    assert len([p for p in vault.rglob("*") if p.is_file()]) == 1  # the ciphertext is gone
    shown = json.loads(cli("item", "show", str(item), "--json", "--text").stdout)
    assert shown["name"] == "note.txt" and not shown["protected"]
    events = json.loads(cli("log", "--json", "--item", str(item)).stdout)
    updated = [e for e in events if e["action"] == "updated"]
    assert updated[-1]["details"].get("decrypted") is True and updated[-1]["actor"] == "tester"
    cli("verify")


def test_rotation_rewraps_without_reencrypting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    cli = Cli(tmp_path / "home")
    item, _sha = _added(cli, tmp_path, "--protected")
    before = _held(cli.home, item)
    new_key = tmp_path / "new.key"
    cli("protection", "keyfile", str(new_key))
    assert oct(new_key.stat().st_mode & 0o777) == "0o600"
    cli("protection", "keyfile", str(new_key), expect=1)  # never overwritten
    cli("protection", "rotate", "--case", "keys", "--new-key-file", str(new_key))
    after = _held(cli.home, item)
    assert after == before  # same ciphertext, same address: nothing re-encrypted
    old = cli("item", "show", str(item), "--reveal", "--text", expect=1)
    assert "does not open" in old.stderr
    monkeypatch.setenv("ENQUIRY_PROTECTION_KEY_FILE", str(new_key))
    shown = cli("item", "show", str(item), "--reveal", "--text").stdout
    assert SECRET in shown
    status = cli("protection", "status").stdout
    assert "keys: key (keyfile); 1 encrypted, 0 sealed" in status
    cli("verify")


def test_a_passphrase_works_like_a_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENQUIRY_PROTECTION_KEY_FILE")
    monkeypatch.setenv("ENQUIRY_PROTECTION_PASSPHRASE", "correct horse battery staple")
    cli = Cli(tmp_path / "home")
    item, _sha = _added(cli, tmp_path, "--protected")
    assert SECRET in cli("item", "show", str(item), "--reveal", "--text").stdout
    monkeypatch.setenv("ENQUIRY_PROTECTION_PASSPHRASE", "incorrect horse battery staple")
    wrong = cli("item", "show", str(item), "--reveal", "--text", expect=1)
    assert "does not open" in wrong.stderr
    monkeypatch.setenv("ENQUIRY_PROTECTION_PASSPHRASE", "short")
    assert "too short" in cli("item", "show", str(item), "--reveal", expect=1).stderr


def test_a_protected_file_without_any_key_is_refused_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENQUIRY_PROTECTION_KEY_FILE")
    cli = Cli(tmp_path / "home")
    note = tmp_path / "in" / "note.txt"
    note.parent.mkdir()
    note.write_text(f"{SECRET}\n", encoding="utf-8")
    refused = cli("add", str(note), "--case", "keys", "--protected", expect=1)
    assert "no key yet" in refused.stderr
    for path in (cli.home / "vault").rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_a_passphrase_that_is_not_utf8_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes that are not UTF-8 in the variable (a terminal in another encoding) reached
    ``str.encode`` as lone surrogates: a traceback. A key made from them could only be opened
    by the same bytes, which the same words typed in a UTF-8 terminal are not."""
    monkeypatch.delenv("ENQUIRY_PROTECTION_KEY_FILE", raising=False)
    # b"caf\xe9 au lait, sans sucre": Latin-1, as os.environ holds bytes it cannot decode
    monkeypatch.setenv("ENQUIRY_PROTECTION_PASSPHRASE", "caf\udce9 au lait, sans sucre")
    monkeypatch.setenv("ENQUIRY_KEY_PASSPHRASE", "caf\udce9 au lait, sans sucre")
    cli = Cli(tmp_path / "home")
    note = tmp_path / "note.txt"
    note.write_text(f"Field note: {SECRET}.\n", encoding="utf-8")
    added = cli("add", str(note), "--case", "keys", "--protected", expect=2)
    assert added.stderr == (
        "enquiry: ENQUIRY_PROTECTION_PASSPHRASE: not UTF-8 text (set it from a terminal or"
        " file that uses UTF-8)\n"
    )
    assert json.loads(cli("item", "list", "--json").stdout)["items"] == []
    made = cli("keys", "create", "panel", expect=2)
    assert made.stderr.startswith("enquiry: the key's passphrase: not UTF-8 text")
    assert not (cli.home / "keys").exists()


# The same words as two sequences of code points: é precomposed (as most keyboards type it)
# and decomposed (e and a combining accent, as some systems give it), with an Arabic alef
# with hamza above as one letter and as alef and a combining hamza.
COMPOSED = "Témoin protégé \u0623\u0645\u0627\u0646 2017"
DECOMPOSED = "Te\u0301moin prote\u0301ge\u0301 \u0627\u0654\u0645\u0627\u0646 2017"


def test_a_passphrase_opens_its_key_however_its_letters_were_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typed on one system and then another, the same passphrase may arrive as other code
    points: as typed, it derived another key, and the protected evidence stayed shut."""
    assert COMPOSED != DECOMPOSED
    monkeypatch.delenv("ENQUIRY_PROTECTION_KEY_FILE", raising=False)
    monkeypatch.setenv("ENQUIRY_PROTECTION_PASSPHRASE", COMPOSED)
    cli = Cli(tmp_path / "home")
    item, _sha = _added(cli, tmp_path, "--protected")
    monkeypatch.setenv("ENQUIRY_PROTECTION_PASSPHRASE", DECOMPOSED)
    text = json.loads(cli("item", "show", str(item), "--json", "--reveal", "--text").stdout)
    assert any(SECRET in t for t in text["text"].values())
    monkeypatch.setenv("ENQUIRY_PROTECTION_PASSPHRASE", "Temoin protege " + "x" * 12)
    refused = cli("item", "show", str(item), "--json", "--reveal", "--text", expect=None)
    assert refused.exit_code != 0 and SECRET not in refused.output


def test_a_key_made_before_passphrases_were_normalised_still_opens_as_typed() -> None:
    """Its parameters name no form: it opens with the bytes it was made from, as before."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from enquiry.store.crypt import (
        KeySource,
        KeyUnavailable,
        new_case_key,
        unwrap_private,
        wrap_private,
    )

    typed = KeySource("passphrase", DECOMPOSED.encode("utf-8"))
    made = new_case_key(7, typed)
    assert made.params["normalized"] == "NFKC"
    older = {k: v for k, v in made.params.items() if k != "normalized"}
    private = X25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    wrapped = wrap_private(7, public, private, typed, older)
    opened = unwrap_private(7, public, wrapped, older, typed)
    assert opened.private_bytes_raw() == private.private_bytes_raw()
    other_form = KeySource("passphrase", COMPOSED.encode("utf-8"))
    with pytest.raises(KeyUnavailable):
        unwrap_private(7, public, wrapped, older, other_form)
    # and a key that names a form nobody knows is refused, not guessed at
    with pytest.raises(KeyUnavailable, match="unknown passphrase form"):
        unwrap_private(7, public, wrapped, {**older, "normalized": "NFX"}, typed)
