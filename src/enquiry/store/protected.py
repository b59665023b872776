"""Protected items at rest: encrypted at intake, opened only with the key, sealed for good.

The key hierarchy and the ciphers are in :mod:`enquiry.store.crypt`; this module applies them to
the catalogue and the vault. A protected item's row keeps what every listing shows anyway — its
plaintext SHA-256 (its identity in the custody chain), size, kind, non-identifying fields —
and everything that could name a witness moves into the item's secret record, sealed under its
data key: the name and path it arrived under, its identifying fields, its metadata and its
extracted texts. Its bytes live in the vault only as ciphertext, under the ciphertext's own
address — its BLAKE3 (``blake3:<hex>``), or its SHA-256 for ciphertexts stored before BLAKE3 was
used — so the vault alone does not say which original it holds, and anyone can check without a
key that the ciphertext is unchanged. The ``item_keys.cipher_sha256`` column holds that address
whichever hash it names (the column keeps its name: the ledger's records of existing rows are
digests over their column names).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import Connection, insert, select, update

from enquiry.errors import Corrupt, NotFound, Refused
from enquiry.store.crypt import (
    WITHHELD_AT_REST,
    KeyBatch,
    KeySource,
    KeyUnavailable,
    decrypt_secret,
    decrypt_stream,
    encrypt_chunks,
    encrypt_secret,
    encrypt_stream,
    key_source,
    new_case_key,
    new_data_key,
    open_data_key,
    seal_data_key,
    unwrap_private,
    wrap_private,
)
from enquiry.store.ledger import utc_now
from enquiry.store.tables import CaseKey, Item, ItemKey
from enquiry.store.vault import CHUNK, PlainCopy, Sealing, Unnamed, Vault, write_hashed


@dataclass(frozen=True)
class AtRest:
    """How a protected item is held: its ciphertext's address and size, and whether sealed."""

    item_id: int
    cipher_address: str
    cipher_size: int
    sealed: bool
    sealed_at: str | None


def at_rest(connection: Connection, item_ids: list[int] | None = None) -> dict[int, AtRest]:
    """Every encrypted item (or those of ``item_ids``), by item id."""
    query = select(
        ItemKey.item_id,
        ItemKey.cipher_sha256,
        ItemKey.cipher_size,
        ItemKey.wrapped_key.is_(None),
        ItemKey.sealed_at,
    )
    if item_ids is not None:
        query = query.where(ItemKey.item_id.in_(item_ids))
    return {
        int(row[0]): AtRest(int(row[0]), str(row[1]), int(row[2]), bool(row[3]), row[4])
        for row in connection.execute(query)
    }


def case_public_key(connection: Connection, case_id: int) -> bytes:
    """The case's public key, making the case key pair on first use (which needs the key)."""
    found = connection.execute(
        select(CaseKey.public_key).where(CaseKey.case_id == case_id)
    ).scalar()
    if found is not None:
        return bytes(found)
    source = key_source()
    if source is None:
        raise KeyUnavailable(
            "protected items are stored encrypted, and this case has no key yet: give the"
            " protection key once (ENQUIRY_PROTECTION_KEY_FILE or"
            " ENQUIRY_PROTECTION_PASSPHRASE) to make it; nothing was stored"
        )
    made = new_case_key(case_id, source)
    connection.execute(
        insert(CaseKey).values(
            case_id=case_id,
            public_key=made.public,
            wrapped_private=made.wrapped,
            kdf=made.params,
            created_at=utc_now(),
        )
    )
    return made.public


class _Hashing:
    """A reader that hashes what passes through it."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def encrypt_item(
    connection: Connection,
    vault: Vault,
    *,
    case_id: int,
    item_id: int,
    sha256: str,
    secret: Mapping[str, Any],
) -> str:
    """Encrypt a stored plain blob under a new data key sealed to the case key; record it.

    Returns the ciphertext's address. The plain blob is left for the caller to remove after
    its transaction commits (:func:`plain_copies`), so a rollback never loses the original.
    """
    row = encrypted_row(
        vault,
        public=case_public_key(connection, case_id),
        case_id=case_id,
        item_id=item_id,
        sha256=sha256,
        secret=secret,
    )
    connection.execute(insert(ItemKey).values(**row))
    return str(row["cipher_sha256"])


def encrypted_row(
    vault: Vault,
    *,
    public: bytes,
    case_id: int,
    item_id: int,
    sha256: str,
    secret: Mapping[str, Any],
    rehash: bool = True,
    batch: KeyBatch | None = None,
) -> dict[str, Any]:
    """Encrypt a stored plain blob into the vault; return its ``item_keys`` row to insert
    (an intake inserts a batch's rows in one statement).

    ``rehash`` checks that the bytes encrypted still hash to ``sha256``; an intake worker that
    has just stored and hashed them itself skips that second pass. ``batch`` (for ``public``)
    seals the data key without an exchange of its own (see :class:`KeyBatch`).
    """
    data_key = new_data_key()
    try:
        handle = vault.open(sha256)
    except OSError:
        raise Corrupt(f"item {item_id}: its blob {sha256[:12]} is missing; not encrypted") from None
    with handle:
        reader = _Hashing(handle) if rehash else None
        stored = vault.put_chunks(
            encrypt_stream(data_key, reader or handle),  # type: ignore[arg-type]
            algorithm=vault.cipher_hash,
        )
    if reader is not None and reader.digest.hexdigest() != sha256:
        raise Corrupt(
            f"item {item_id}: its blob {sha256[:12]} no longer matches its hash; not encrypted"
            " (run 'enquiry verify')"
        )
    return key_row(
        public=public,
        batch=batch,
        data_key=data_key,
        case_id=case_id,
        item_id=item_id,
        sha256=sha256,
        cipher=(stored.sha256, stored.size),
        secret=secret,
    )


def key_row(
    *,
    public: bytes,
    data_key: bytes,
    case_id: int,
    item_id: int,
    sha256: str,
    cipher: tuple[str, int],
    secret: Mapping[str, Any],
    batch: KeyBatch | None = None,
) -> dict[str, Any]:
    """The ``item_keys`` row of an item whose ciphertext, under ``data_key``, is in the vault
    at ``cipher`` (its address and size); its data key sealed to ``public``, in ``batch`` if
    given (made for ``public``), else with an exchange of its own."""
    return {
        "item_id": item_id,
        "case_id": case_id,
        "cipher_sha256": cipher[0],
        "cipher_size": cipher[1],
        "wrapped_key": seal_data_key(public, data_key, sha256, batch),
        "secret": encrypt_secret(data_key, sha256, dict(secret)),
        "sealed_at": None,
        "created_at": utc_now(),
    }


def sealing(data_key: bytes, *, plain_copy: bool) -> Sealing:
    """How the vault stores a protected file encrypted under ``data_key`` as it reads it
    (:meth:`Vault.put_file`), so its plaintext never becomes a blob."""
    return Sealing(partial(encrypt_chunks, data_key), plain_copy=plain_copy)


def encrypt_description(
    connection: Connection, *, case_id: int, item_id: int, secret: Mapping[str, Any]
) -> None:
    """Seal the secret record of an item that has no bytes yet (known by its description)."""
    public = case_public_key(connection, case_id)
    data_key = new_data_key()
    connection.execute(
        insert(ItemKey).values(
            item_id=item_id,
            case_id=case_id,
            cipher_sha256="",
            cipher_size=0,
            wrapped_key=seal_data_key(public, data_key, ""),
            secret=encrypt_secret(data_key, "", dict(secret)),
            sealed_at=None,
            created_at=utc_now(),
        )
    )


def plain_copies(connection: Connection, shas: set[str]) -> set[str]:
    """Of these plaintext hashes, those no unencrypted item needs: their blobs are to go."""
    if not shas:
        return set()
    needed = {
        str(sha)
        for sha in connection.execute(
            select(Item.sha256).where(
                Item.sha256.in_(sorted(shas)),
                Item.id.not_in(select(ItemKey.item_id)),
            )
        ).scalars()
    }
    return shas - needed


def secret_record(
    name: str,
    fields: Mapping[str, Any],
    identifying: tuple[str, ...],
    meta: Mapping[str, Any],
    paths: list[str],
    texts: Mapping[str, str],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the secret record, the fields as stored in the row) for a protected item."""
    secret_fields = {k: fields[k] for k in identifying if k in fields}
    stored = {k: (WITHHELD_AT_REST if k in secret_fields else v) for k, v in fields.items()}
    record = {
        "name": name,
        "fields": secret_fields,
        "meta": dict(meta),
        "paths": list(paths),
        "texts": dict(texts),
    }
    return record, stored


# --- Opening ------------------------------------------------------------------------------------


class Opener:
    """Opens protected items of a home with the key given to this process; caches case keys."""

    def __init__(self, connection: Connection, source: KeySource | None = None) -> None:
        self.connection = connection
        self.source = source
        self._cases: dict[int, X25519PrivateKey] = {}
        # Batch secrets already computed, by ephemeral public key: the items of one intake
        # share one, and verify or a dump opens them all (see :class:`KeyBatch`).
        self._batches: dict[bytes, bytes] = {}

    def _source(self) -> KeySource:
        if self.source is None:
            from enquiry.store.crypt import require_key

            self.source = require_key()
        return self.source

    def case_key(self, case_id: int) -> X25519PrivateKey:
        if case_id not in self._cases:
            row = self.connection.execute(
                select(CaseKey.public_key, CaseKey.wrapped_private, CaseKey.kdf).where(
                    CaseKey.case_id == case_id
                )
            ).first()
            if row is None:
                raise NotFound(f"case {case_id} has no protection key")
            self._cases[case_id] = unwrap_private(
                case_id, bytes(row[0]), bytes(row[1]), dict(row[2]), self._source()
            )
        return self._cases[case_id]

    def data_key(self, item_id: int) -> tuple[bytes, str]:
        """The item's data key and its plaintext SHA-256; refused for a sealed item."""
        row = self.connection.execute(
            select(ItemKey.case_id, ItemKey.wrapped_key, Item.sha256)
            .join(Item, Item.id == ItemKey.item_id)
            .where(ItemKey.item_id == item_id)
        ).first()
        if row is None:
            raise NotFound(f"item {item_id}: not stored encrypted")
        if row[1] is None:
            raise Refused(
                f"item {item_id}: sealed (consent withdrawn); its content no longer exists in"
                " readable form"
            )
        sha = str(row[2] or "")  # an item known by its description has no bytes, no hash
        key = open_data_key(self.case_key(int(row[0])), bytes(row[1]), sha, self._batches)
        return key, sha

    def secret(self, item_id: int) -> dict[str, Any]:
        key, sha = self.data_key(item_id)
        sealed = self.connection.execute(
            select(ItemKey.secret).where(ItemKey.item_id == item_id)
        ).scalar()
        return decrypt_secret(key, sha, bytes(sealed or b""))

    def plain_chunks(self, vault: Vault, item_id: int) -> Iterator[bytes]:
        """The item's original bytes, decrypted as they are read; each must be hashed by the
        caller (see :meth:`copy_to`) before it is trusted."""
        key, _sha = self.data_key(item_id)
        cipher = self.connection.execute(
            select(ItemKey.cipher_sha256).where(ItemKey.item_id == item_id)  # its address
        ).scalar_one()
        try:
            handle = vault.open(str(cipher))
        except OSError:
            raise Corrupt(f"item {item_id}: its ciphertext is missing from the vault") from None
        with handle:
            yield from decrypt_stream(key, handle, f"item {item_id}")

    def copy_to(self, vault: Vault, item_id: int, target: Path) -> int:
        """Decrypt the item's original to ``target`` (atomically), checked against its hash."""
        pending, size = self.decrypt_for(vault, item_id, target)
        try:
            pending.publish()
        except BaseException:
            pending.discard()
            raise
        return size

    def decrypt_for(self, vault: Vault, item_id: int, target: Path) -> tuple[Unnamed, int]:
        """Decrypt the item's original, checked against its hash, into a file that has no name
        yet (see :class:`Unnamed`); return it, for the caller to publish as ``target`` or to
        discard, and its size."""
        _key, sha = self.data_key(item_id)
        pending = Unnamed(target)
        try:
            actual, size = write_hashed(self.plain_chunks(vault, item_id), pending.out)
            if actual != sha:
                raise Corrupt(f"item {item_id}: decrypted bytes do not match its SHA-256")
        except BaseException:
            pending.discard()
            raise
        return pending, size

    def plain_copy(self, vault: Vault, item_id: int, size: int) -> PlainCopy:
        """Decrypt the item's original, checked against its hash, into a private copy that
        lives in memory (see :class:`PlainCopy`; ``size``, its expected size, decides) and
        return it finished, for the caller to :meth:`PlainCopy.remove` when done.

        This is how anything that needs a protected original as a file (a redaction, a
        preview, a report's picture) gets one: a decrypted copy written to a disk and
        deleted stays readable in the disk's free blocks to whoever seizes it, which is the
        very attack encryption at rest answers."""
        _key, sha = self.data_key(item_id)
        copy = PlainCopy.make(vault.spare_path(), size)
        try:
            assert copy.out is not None
            actual, _size = write_hashed(self.plain_chunks(vault, item_id), copy.out)
            if actual != sha:
                raise Corrupt(f"item {item_id}: decrypted bytes do not match its SHA-256")
            copy.finish()
        except BaseException:
            copy.remove()
            raise
        return copy

    def plain_sha256(self, vault: Vault, item_id: int) -> str:
        digest = hashlib.sha256()
        for chunk in self.plain_chunks(vault, item_id):
            digest.update(chunk)
        return digest.hexdigest()


# --- Sealing and re-wrapping --------------------------------------------------------------------


def seal(connection: Connection, item_id: int) -> str:
    """Destroy the item's data key (and its sealed secret record); return when it was done."""
    at = utc_now()
    done = connection.execute(
        update(ItemKey)
        .where(ItemKey.item_id == item_id, ItemKey.wrapped_key.is_not(None))
        .values(wrapped_key=None, secret=None, sealed_at=at)
    )
    if not done.rowcount:
        raise Refused(f"item {item_id}: already sealed")
    return at


def update_secret(
    connection: Connection, item_id: int, fields: Mapping[str, Any], source: KeySource
) -> None:
    """Put new identifying field values into an encrypted item's secret record."""
    opener = Opener(connection, source)
    key, sha = opener.data_key(item_id)
    record = opener.secret(item_id)
    record["fields"] = {**dict(record.get("fields") or {}), **dict(fields)}
    connection.execute(
        update(ItemKey)
        .where(ItemKey.item_id == item_id)
        .values(secret=encrypt_secret(key, sha, record))
    )


def add_to_secret(
    connection: Connection, item_id: int, sections: Mapping[str, Any], source: KeySource
) -> None:
    """Merge ``sections`` (by name, each a mapping by id) into an encrypted item's secret
    record — the words of claims read before it was protected, say."""
    opener = Opener(connection, source)
    key, sha = opener.data_key(item_id)
    record = opener.secret(item_id)
    for name, values in sections.items():
        record[name] = {**dict(record.get(name) or {}), **dict(values)}
    connection.execute(
        update(ItemKey)
        .where(ItemKey.item_id == item_id)
        .values(secret=encrypt_secret(key, sha, record))
    )


def rewrap_case(connection: Connection, case_id: int, old: KeySource, new: KeySource) -> None:
    """Wrap the case private key under a new passphrase or key file; no content is touched."""
    row = connection.execute(
        select(CaseKey.public_key, CaseKey.wrapped_private, CaseKey.kdf).where(
            CaseKey.case_id == case_id
        )
    ).first()
    if row is None:
        raise NotFound(f"case {case_id} has no protection key")
    public = bytes(row[0])
    private = unwrap_private(case_id, public, bytes(row[1]), dict(row[2]), old)
    params = new.new_params()
    connection.execute(
        update(CaseKey)
        .where(CaseKey.case_id == case_id)
        .values(wrapped_private=wrap_private(case_id, public, private, new, params), kdf=params)
    )


def read_chunked(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk
