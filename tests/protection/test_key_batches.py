"""Data keys sealed in batches: one X25519 exchange for the protected files of an intake (per
worker process), a key-encryption key of each item's own, and a random data key per item —
so that shredding one item's wrapped key loses that item alone, even to someone who can
recompute the batch's secret (the test plays that attacker). Data keys wrapped the first way (a sealed box per item), as
homes made before hold them, still open."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from protection_helpers import Cli, steal
from sqlalchemy import select

from enquiry.errors import Corrupt
from enquiry.store import open_store
from enquiry.store import protected as protected_module
from enquiry.store.crypt import (
    MAGIC,
    WRAP_V1_SIZE,
    WRAP_V2,
    WRAP_V2_SIZE,
    KeyBatch,
    key_source,
    new_data_key,
    open_data_key,
    seal_data_key,
)
from enquiry.store.protected import Opener, at_rest
from enquiry.store.tables import ItemKey

SHA = hashlib.sha256(b"a witness statement").hexdigest()


def _raw(key: X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _seal_first_form(public: bytes, data_key: bytes, sha256: str) -> bytes:
    """A data key wrapped as before batches, written out from the format, not by enquiry:
    an ephemeral key pair and exchange per item, HKDF-SHA256 over the shared secret (salt:
    the two public keys; info: 'enquiry item data key'), AES-256-GCM bound to the item's hash."""
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    eph = _raw(ephemeral)
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=eph + public, info=b"enquiry item data key"
    ).derive(shared)
    nonce = os.urandom(12)
    return eph + nonce + AESGCM(key).encrypt(nonce, data_key, _aad(sha256))


def _aad(sha256: str) -> bytes:
    return b"enquiry item key|" + sha256.encode("ascii")


def test_both_forms_open_and_a_batch_shares_one_exchange() -> None:
    case = X25519PrivateKey.generate()
    public = _raw(case)
    keys = [new_data_key() for _ in range(3)]
    batch = KeyBatch(public)
    wrapped = [batch.seal(key, SHA) for key in keys]
    old = _seal_first_form(public, keys[0], SHA)
    assert len(old) == WRAP_V1_SIZE and all(len(w) == WRAP_V2_SIZE for w in wrapped)
    assert all(w[:1] == WRAP_V2 for w in wrapped)
    # One ephemeral public key for the batch; a salt (and so a key-encryption key) per item.
    assert len({w[1:33] for w in wrapped}) == 1 and wrapped[0][1:33] == batch.ephemeral
    assert len({w[33:49] for w in wrapped}) == 3
    cache: dict[bytes, bytes] = {}
    assert [open_data_key(case, w, SHA, cache) for w in wrapped] == keys
    assert len(cache) == 1  # the exchange was made once for the three
    assert open_data_key(case, old, SHA) == keys[0]
    # Without a batch, every data key gets an exchange of its own.
    alone = [seal_data_key(public, keys[0], SHA) for _ in range(2)]
    assert alone[0][1:33] != alone[1][1:33]
    assert all(open_data_key(case, w, SHA) == keys[0] for w in alone)


def test_a_wrapped_key_opens_only_whole_for_its_item_and_its_case() -> None:
    case = X25519PrivateKey.generate()
    other = X25519PrivateKey.generate()
    data_key = new_data_key()
    for wrapped in (
        KeyBatch(_raw(case)).seal(data_key, SHA),
        _seal_first_form(_raw(case), data_key, SHA),
    ):
        with pytest.raises(Corrupt, match="does not open"):
            open_data_key(case, wrapped, hashlib.sha256(b"another item").hexdigest())
        with pytest.raises(Corrupt, match="does not open"):
            open_data_key(other, wrapped, SHA)
        for position in range(len(wrapped)):
            changed = bytearray(wrapped)
            changed[position] ^= 0x40
            with pytest.raises(Corrupt):
                open_data_key(case, bytes(changed), SHA)
        with pytest.raises(Corrupt, match="no known form"):
            open_data_key(case, wrapped[:-1], SHA)
    with pytest.raises(ValueError, match="another case key"):
        seal_data_key(_raw(other), data_key, SHA, KeyBatch(_raw(case)))


def test_a_key_batch_is_never_pickled() -> None:
    with pytest.raises(TypeError, match="never pickled"):
        pickle.dumps(KeyBatch(_raw(X25519PrivateKey.generate())))


def _wrapped_keys(home: Path) -> dict[int, bytes | None]:
    store = open_store(home, "reader", create=False)
    with store.engine.connect() as connection:
        rows = connection.execute(select(ItemKey.item_id, ItemKey.wrapped_key)).all()
    store.engine.dispose()
    return {int(item): (bytes(key) if key is not None else None) for item, key in rows}


def _ids(cli: Cli) -> dict[str, int]:
    return {
        row["sha256"]: int(row["id"])
        for row in json.loads(cli("item", "list", "--json").stdout)["items"]
    }


def test_one_intake_seals_in_batches_and_a_seal_shreds_one_item(
    tmp_path: Path, backend: str
) -> None:
    cli = Cli(tmp_path / "home")
    seed = tmp_path / "seed.txt"
    seed.write_text("the first protected note makes the case key\n", encoding="utf-8")
    cli("add", str(seed), "--case", "b", "--kind", "document", "--protected")
    folder = tmp_path / "in"
    folder.mkdir()
    notes = {}
    for n in range(6):
        words = f"note {n}: the courier crossed the dry riverbed at dusk, witness {n}"
        (folder / f"n{n}.txt").write_text(words, encoding="utf-8")
        notes[hashlib.sha256(words.encode()).hexdigest()] = words
    cli("add", str(folder), "--case", "b", "--kind", "document", "--protected")
    ids = _ids(cli)
    wrapped = _wrapped_keys(cli.home)
    batch = {sha: wrapped[ids[sha]] for sha in notes}
    assert all(w is not None and len(w) == WRAP_V2_SIZE for w in batch.values())
    ephemerals = {w[1:33] for w in batch.values() if w is not None}
    # One exchange per worker process of the run (two at most here), not one per file; the
    # seed's intake, an earlier run, had its own.
    assert 1 <= len(ephemerals) <= 2
    seed_key = wrapped[ids[hashlib.sha256(seed.read_bytes()).hexdigest()]]
    assert seed_key is not None and seed_key[1:33] not in ephemerals

    # Shred one item of the batch: it alone is gone; its batch-mates still open.
    shredded_sha = next(iter(notes))
    shredded = ids[shredded_sha]
    old_wrapped = batch[shredded_sha]
    assert old_wrapped is not None
    cli("item", "seal", str(shredded), "--reason", "consent withdrawn")
    refused = cli("item", "show", str(shredded), "--reveal", "--text", expect=1)
    assert "sealed" in refused.stderr
    for sha, words in notes.items():
        if sha == shredded_sha:
            continue
        shown = json.loads(
            cli("item", "show", str(ids[sha]), "--json", "--reveal", "--text").stdout
        )
        assert any(words in text for text in shown["text"].values())
    assert "sealed at" in cli("verify").stdout
    stolen = steal(cli.home, tmp_path / "stolen")
    for path in stolen.rglob("*"):
        if path.is_file():
            assert old_wrapped not in path.read_bytes(), path

    # An attacker with the home and the protection key recomputes the batch secret from any
    # kept item of the batch, and every key-encryption key the home's salts give. That opens
    # the kept items (their wrapped keys are still there) but not the shredded one: its data
    # key was drawn at random, and its one wrapped copy is gone.
    kept_sha = next(sha for sha, w in batch.items() if sha != shredded_sha and w is not None)
    kept = batch[kept_sha]
    assert kept is not None and kept[1:33] == old_wrapped[1:33]  # the same batch
    candidates = _batch_derived_keys(cli.home, kept, [w for w in batch.values() if w])
    assert _opens(cli.home, ids[kept_sha], candidates, wrapped=kept, sha=kept_sha)
    assert not _opens(cli.home, shredded, candidates)


def _batch_derived_keys(home: Path, kept: bytes, wrapped: list[bytes]) -> list[bytes]:
    """Every key an attacker can make from the batch with the case private key: the exchange,
    the batch secret, and HKDF of it under each salt found (the items' and their ciphertexts'
    nonce prefixes), with each label the format uses or none."""
    store = open_store(home, "reader", create=False)
    try:
        with store.engine.connect() as connection:
            case_id = connection.execute(select(ItemKey.case_id)).scalars().first()
            private = Opener(connection, key_source()).case_key(int(case_id or 0))
            prefixes = [
                store.vault.path(held.cipher_address).read_bytes()[len(MAGIC) : len(MAGIC) + 8]
                for held in at_rest(connection).values()
            ]
    finally:
        store.engine.dispose()
    shared = private.exchange(X25519PublicKey.from_public_bytes(kept[1:33]))
    secret = _hkdf(shared, kept[1:33] + _raw(private), b"enquiry item key batch v2")
    salts = [w[33:49] for w in wrapped] + prefixes + [b""]
    infos = (b"enquiry item key-encryption key v2", b"enquiry item data key", b"")
    return [shared, secret] + [_hkdf(secret, salt, info) for salt in salts for info in infos]


def _hkdf(material: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(material)


def _opens(
    home: Path,
    item: int,
    candidates: list[bytes],
    wrapped: bytes | None = None,
    sha: str = "",
) -> bool:
    """Whether any candidate opens the item's ciphertext directly, or (given its wrapped key)
    opens the wrapped key to a data key that opens it."""
    store = open_store(home, "reader", create=False)
    try:
        with store.engine.connect() as connection:
            blob = store.vault.path(at_rest(connection, [item])[item].cipher_address).read_bytes()
    finally:
        store.engine.dispose()
    prefix, body = blob[len(MAGIC) : len(MAGIC) + 8], blob[len(MAGIC) + 8 :]
    keys = list(candidates)
    if wrapped is not None:
        for kek in candidates:
            with contextlib.suppress(InvalidTag):
                keys.append(AESGCM(kek).decrypt(wrapped[49:61], wrapped[61:], _aad(sha)))
    for key in keys:
        try:
            AESGCM(key).decrypt(prefix + (0).to_bytes(4, "big"), body, b"last")
            return True
        except InvalidTag:
            pass
    return False


def test_data_keys_wrapped_the_first_way_still_open(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A home whose data keys were all wrapped one sealed box per item (as before batches),
    and items added since in batches: every one opens, verifies and seals as before."""
    cli = Cli(tmp_path / "home")
    old_note = tmp_path / "old" / "note.txt"
    old_note.parent.mkdir()
    old_note.write_text("an old note: the bridge at the mill was down by noon\n", encoding="utf-8")
    old_bin = tmp_path / "old" / "recording.bin"
    old_bin.write_bytes(os.urandom(3 * (1 << 20) + 11))

    def first_form(public: bytes, data_key: bytes, sha256: str, batch: object = None) -> bytes:
        return _seal_first_form(public, data_key, sha256)

    with monkeypatch.context() as patch:
        patch.setattr(protected_module, "seal_data_key", first_form)
        cli("add", str(old_note), "--case", "o", "--kind", "document", "--protected")
        cli("add", str(old_bin), "--case", "o", "--kind", "document", "--protected")
    new_note = tmp_path / "new" / "note.txt"
    new_note.parent.mkdir()
    new_note.write_text("a new note: the well by the school was dry\n", encoding="utf-8")
    cli("add", str(new_note), "--case", "o", "--kind", "document", "--protected")

    ids = _ids(cli)
    wrapped = _wrapped_keys(cli.home)
    sha = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in (old_note, old_bin, new_note)}
    assert len(wrapped[ids[sha[old_note]]] or b"") == WRAP_V1_SIZE
    assert len(wrapped[ids[sha[old_bin]]] or b"") == WRAP_V1_SIZE
    assert len(wrapped[ids[sha[new_note]]] or b"") == WRAP_V2_SIZE

    cli("verify")  # with the key: every data key opened, every plaintext checked
    back = tmp_path / "back.bin"
    cli("item", "copy", str(ids[sha[old_bin]]), "-o", str(back), "--reveal")
    assert back.read_bytes() == old_bin.read_bytes()
    for path in (old_note, new_note):
        shown = json.loads(
            cli("item", "show", str(ids[sha[path]]), "--json", "--reveal", "--text").stdout
        )
        assert any(path.read_text(encoding="utf-8").strip() in t for t in shown["text"].values())
    cli("item", "seal", str(ids[sha[old_note]]), "--reason", "consent withdrawn")
    cli("item", "show", str(ids[sha[old_note]]), "--reveal", "--text", expect=1)
    cli("item", "copy", str(ids[sha[old_bin]]), "-o", str(back), "--reveal", "--force")
    assert back.read_bytes() == old_bin.read_bytes()
