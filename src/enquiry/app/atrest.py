"""Protected evidence at rest: opening it for a reveal, protecting and unprotecting it later,
sealing it when a witness withdraws consent, and rotating the key that guards it.

:mod:`enquiry.app.protection` decides what of a protected item may be shown; everything it
withholds is also stored encrypted (:mod:`enquiry.store.protected`). So a reveal here must open
the item's sealed secret record with the protection key this process was given — or be refused —
and every change of an item's protection is a ledger event written in the same transaction.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select, update

from enquiry.app.access import Right, find_visible_item, require_admin
from enquiry.app.context import Enquiry
from enquiry.app.lookup import find_case
from enquiry.app.protection import kind_identifying
from enquiry.errors import BadRequest, Corrupt, NotFound, Refused
from enquiry.store import Store
from enquiry.store import index as search_index
from enquiry.store.claims_at_rest import CLAIMS, hold_claims, restore_claims
from enquiry.store.crypt import (
    KEY_FILE_ENV,
    PASSPHRASE_ENV,
    WITHHELD_AT_REST,
    KeySource,
    read_key_file,
    require_key,
    secret_bytes,
    write_key_file,
)
from enquiry.store.db import SCRUB_PENDING, SQLITE_FILE, empty_wal
from enquiry.store.ledger import LedgerWriter, item_row, state_digest
from enquiry.store.protected import (
    AtRest,
    Opener,
    at_rest,
    encrypt_item,
    plain_copies,
    rewrap_case,
    seal,
    secret_record,
)
from enquiry.store.tables import Case, CaseKey, Item, ItemKey, ItemOrigin, ItemText, Rating
from enquiry.store.vault import MEMORY_COPY_LIMIT, Unnamed, scratch_folder, temp_beside

# The tables whose old row versions may hold what protecting or sealing an item removed: its
# key, names, fields and texts, and what was derived from them in the clear (perceptual hashes,
# its text's vector, its documents in the search index).
SCRUBBED = (
    "item_keys",
    "items",
    "item_texts",
    "item_origins",
    "media_hashes",
    "embeddings",
    "claims",
    "actors",
    search_index.TABLE,
)
ITEM_COLUMNS = (
    "case_id",
    "kind",
    "sha256",
    "size",
    "media_type",
    "original_name",
    "fields",
    "meta",
    "source_id",
    "credibility",
    "protected",
    "derived_from",
    "transformation",
    "key",
    "origin",
    "created_at",
)


@dataclass(frozen=True)
class Disclosed:
    """A protected item's secret record, opened: what a reveal shows."""

    name: str
    fields: dict[str, Any]
    meta: dict[str, Any]
    paths: list[str]
    texts: dict[str, str]


def encrypted_ids(store: Store, item_ids: Iterable[int] | None = None) -> dict[int, AtRest]:
    """Which items are held encrypted (and whether sealed)."""
    with store.engine.connect() as connection:
        return at_rest(connection, None if item_ids is None else list(item_ids))


def _disclosed(record: dict[str, Any]) -> Disclosed:
    return Disclosed(
        name=str(record.get("name") or ""),
        fields=dict(record.get("fields") or {}),
        meta=dict(record.get("meta") or {}),
        paths=[str(p) for p in record.get("paths") or []],
        texts={str(k): str(v) for k, v in dict(record.get("texts") or {}).items()},
    )


def disclose(store: Store, item: Item) -> Disclosed | None:
    """The secret record of an encrypted item (None for an item stored in the clear).

    Needs the protection key; a sealed item's record no longer exists and is refused.
    """
    with store.engine.connect() as connection:
        if not at_rest(connection, [item.id]):
            return None
        return _disclosed(Opener(connection).secret(item.id))


def require_opening(store: Store, items: Iterable[Item]) -> dict[int, AtRest]:
    """Refuse a reveal of ``items`` unless the protection key given opens their cases' keys.

    A reveal needs the key whatever an item's state: a sealed item's secret record is gone,
    but the ledger still holds what was recorded about it (a reason, a name recorded before it
    was protected), and that is not shown in the clear to someone who could not open the
    rest. Items held in the clear need no key. Returns how the encrypted ones are held.
    """
    listed = list(items)
    with store.engine.connect() as connection:
        held = at_rest(connection, [i.id for i in listed])
        opener = Opener(connection)
        for case_id in sorted({i.case_id for i in listed if i.id in held}):
            opener.case_key(case_id)  # no key, or the wrong one: refused (KeyUnavailable)
    return held


def restored(item: Item, disclosed: Disclosed | None) -> Item:
    """A detached copy of ``item`` with its secret record put back (for a revealed output)."""
    if disclosed is None:
        return item
    copy = Item(**{column: getattr(item, column) for column in ITEM_COLUMNS})
    copy.id = item.id
    copy.fields = {**dict(item.fields), **disclosed.fields}
    copy.original_name = disclosed.name
    copy.meta = disclosed.meta
    return copy


def deliver_original(
    store: Store,
    item: Item,
    target: Path,
    record: Callable[[Connection, LedgerWriter], None],
) -> int:
    """Write the item's original (decrypted if it is encrypted) to ``target``, the custody
    events ``record`` appends committed first; return its size.

    The bytes are made ready in a private file beside ``target`` first; then, in one
    transaction under the ledger's lock, the item is checked not to have been sealed meanwhile
    and the events are written; only once they are committed is the file renamed into place.
    So a copy never reaches ``target`` without its events (a process killed before the commit
    leaves no copy there), and none reaches it after a seal that was committed while it was
    being decrypted — the ledger never shows a witness's withdrawn testimony handed out after
    the seal. The reverse (events committed, the process killed before the rename) records a
    copy that was not delivered, the safe side for a custody record.
    """
    if not item.sha256:
        raise NotFound(f"item {item.id}: has no stored bytes")
    with store.engine.connect() as connection:
        pending: Unnamed | Path
        if at_rest(connection, [item.id]):
            pending, size = Opener(connection).decrypt_for(store.vault, item.id, target)
        else:
            pending = temp_beside(target)
            size = store.vault.copy_verified(item.sha256, pending)
    try:
        with store.writing() as (connection, writer):
            held = at_rest(connection, [item.id]).get(item.id)
            if held is not None and held.sealed:
                raise Refused(
                    f"item {item.id}: sealed (consent withdrawn) while it was being copied;"
                    " nothing copied"
                )
            record(connection, writer)
        if isinstance(pending, Unnamed):
            pending.publish()
        else:
            os.replace(pending, target)
    except BaseException:
        if isinstance(pending, Unnamed):
            pending.discard()
        else:
            pending.unlink(missing_ok=True)
        raise
    return size


@contextmanager
def original_file(store: Store, item: Item) -> Iterator[Path]:
    """A private, checked copy of any item's original, as a file.

    An encrypted original is decrypted into memory (an anonymous memory file, or for one
    over :data:`~enquiry.store.vault.MEMORY_COPY_LIMIT` a private file in the vault's
    temporary area; see :meth:`Opener.plain_copy`), never into a file of the home's disk
    that is deleted afterwards but stays in its free blocks. One stored in the clear is
    copied beside the home, where its blob already lies in the clear."""
    if not item.sha256:
        raise NotFound(f"item {item.id}: has no stored bytes")
    with store.engine.connect() as connection:
        copy = (
            Opener(connection).plain_copy(store.vault, item.id, int(item.size or 0))
            if at_rest(connection, [item.id])
            else None
        )
    if copy is not None:
        try:
            yield copy.path
        finally:
            copy.remove()
        return
    with tempfile.TemporaryDirectory(prefix=".original-", dir=store.home) as folder:
        target = Path(folder) / "original"
        store.vault.copy_verified(item.sha256, target)
        yield target


def work_folder(store: Store, item: Item, prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A private folder (0700, removed on exit) for files made from ``item``'s original — a
    redaction on its way into the vault, say. For an encrypted item what lands there is as
    telling as the original (an unconfirmed redaction may still show a face), so it is made
    in memory (:func:`~enquiry.store.vault.scratch_folder`), or for an original over
    :data:`~enquiry.store.vault.MEMORY_COPY_LIMIT` in the vault's temporary area, like the
    plaintext copies; anything else, beside the home."""
    if encrypted_ids(store, [item.id]):
        if int(item.size or 0) <= MEMORY_COPY_LIMIT:
            return scratch_folder(prefix)
        return store.vault.temp_folder(prefix)
    return tempfile.TemporaryDirectory(prefix=prefix, dir=store.home)


# --- Sealing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sealed:
    """What a seal did: the item, when, and how many ratings now rest on sealed evidence."""

    item_id: int
    sha256: str | None
    sealed_at: str
    ratings: int
    derivatives: tuple[int, ...] = ()  # items made from it, sealed with it
    residue: str | None = None  # what the database's own files may still hold, and until when


def seal_item(app: Enquiry, ref: str, *, reason: str) -> Sealed:
    """Honour a witness's withdrawn consent: destroy the item's data key (crypto-shredding).

    The ciphertext, the secret record and every copy of them (in backups and bundles made since
    the item was received) become unreadable at once, because the one key that opened them is
    gone. The item's hash, kind, custody and the ratings that used it stay, marked sealed, so
    the chain of custody and the analysis record are unbroken. Needs no protection key: anyone
    holding the home may shred, nobody may read.
    """
    if not reason or not reason.strip():
        raise BadRequest("--reason must say why the item is sealed (e.g. 'consent withdrawn')")
    store = app.store(create=False)
    with store.session() as session:
        found = find_visible_item(app, session, ref, Right.MANAGE)
    with store.engine.connect() as connection:
        held = at_rest(connection, [found.id]).get(found.id)
    if held is None:
        raise Refused(
            f"item {found.id}: not stored encrypted, so there is no key to destroy; protect it"
            f" first ('enquiry item update {found.id} --protect')"
        )
    if held.sealed:
        raise Refused(f"item {found.id}: already sealed at {held.sealed_at}")
    at, ratings = _seal_one(store, found, {"reason": reason.strip()})
    sealed_too = _seal_derivatives(app, found.id)
    residue = scrub_database(store)
    return Sealed(found.id, found.sha256, at, ratings, sealed_too, residue)


def _seal_one(store: Store, item: Item, details: dict[str, Any]) -> tuple[str, int]:
    """Destroy one encrypted item's data key, as a ``sealed`` event; when, and its ratings."""
    with store.writing() as (connection, writer):
        at = seal(connection, item.id)
        # Words of claims read before the item was protected that a home made before they
        # were held with it still shows in the clear: the seal reaches them too.
        held = hold_claims(connection, item.id).get(CLAIMS) or {}
        if held:
            details = {**details, "claims_destroyed": len(held)}
        ratings = len(
            connection.execute(select(Rating.id).where(Rating.item_id == item.id)).scalars().all()
        )
        writer.append(
            "sealed",
            case_id=item.case_id,
            item_id=item.id,
            details={
                "sha256": item.sha256,
                "kind": item.kind,
                **details,
                "ratings": ratings,
                "state": state_digest(item_row(item)),
            },
        )
    return at, ratings


def _seal_derivatives(app: Enquiry, item_id: int) -> tuple[int, ...]:
    """Seal every item made from the sealed item ``item_id`` (a crop, a still, a transcript, a
    redaction): each holds the withdrawn content in another form, and consent withdrawn is
    withdrawn from all of them. One not yet encrypted is protected first (an ``updated``
    event), so that it has a data key to destroy. Each seal names the item it follows from."""
    # imported here: the item services build on this module
    from enquiry.app.evidence import update_item
    from enquiry.publish.lineage import made_from

    store = app.store(create=False)
    with store.engine.connect() as connection:
        below = made_from(connection, item_id)
    done: list[int] = []
    for derived in below:
        with store.engine.connect() as connection:
            held = at_rest(connection, [derived]).get(derived)
        if held is not None and held.sealed:
            continue
        with store.session() as session:
            row = session.get(Item, derived)
            if row is None or row.sha256 is None:
                continue
        if held is None:
            update_item(app, str(derived), protect=True)
        with store.session() as session:
            row = session.get(Item, derived)
            assert row is not None
            session.expunge(row)
        _seal_one(store, row, {"reason": f"made from sealed item {item_id}", "with": item_id})
        done.append(derived)
    return tuple(done)


SCRUB_WAIT_MS = 5000
"""How long a scrub waits for readers of an older snapshot to finish before leaving the
write-ahead log to be emptied by the next command that opens the home."""


def scrub_database(store: Store) -> str | None:
    """Leave no old copy of a destroyed key or of newly encrypted text in the database's own
    files (the search index's older segments, SQLite's write-ahead log, PostgreSQL's dead row
    versions). A line saying what is left, when a reader kept SQLite's log from being emptied:
    the home then carries a mark, and the next command that opens it empties the log."""
    with store.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # The index still held the item's words beside their tombstones until merged.
            search_index.compact(connection)
            connection.commit()
            # secure_delete zeroed the freed bytes; the WAL may still hold the old page, and
            # it is only emptied when no reader still needs the snapshot that page belongs to.
            mark = store.home / SCRUB_PENDING
            if empty_wal(connection, SCRUB_WAIT_MS):
                mark.unlink(missing_ok=True)
                return None
            mark.touch()
            return (
                f"another reader of the catalogue held an older snapshot of it, so its "
                f"write-ahead log ({SQLITE_FILE}-wal) may still hold what was destroyed; the "
                "next enquiry command that opens this home empties it (any command will do, "
                "once that reader has finished)"
            )
        if connection.dialect.name == "postgresql":
            # Rewrites the table, leaving no dead row version holding the old key behind.
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            for table in SCRUBBED:
                connection.exec_driver_sql(f"VACUUM FULL {table}")
    return None


# --- Protecting and unprotecting later ----------------------------------------------------------


def protect_existing(
    store: Store, connection: Connection, writer: LedgerWriter, item: Item
) -> str | None:
    """Encrypt an item taken in unprotected: its bytes, names, paths, fields, metadata, texts.

    Returns the ciphertext's address (None if it has no bytes and nothing to encrypt). The plain
    blob is removed once the transaction commits, unless an unprotected item still needs it —
    asked again then, under the writers' lock, since an intake of the same bytes in another
    process may have committed one since (see :meth:`Store.discard_unneeded`).
    Earlier ledger events keep whatever they recorded in the clear: the chain cannot be
    rewritten, so a protected item should be received as protected.
    """
    if at_rest(connection, [item.id]) or not item.sha256:
        return None
    paths = [
        str(p)
        for p in connection.execute(
            select(ItemOrigin.path).where(ItemOrigin.item_id == item.id).order_by(ItemOrigin.id)
        ).scalars()
    ]
    texts = {
        str(e): str(t)
        for e, t in connection.execute(
            select(ItemText.extractor, ItemText.text).where(ItemText.item_id == item.id)
        )
    }
    record, stored = secret_record(
        item.original_name,
        dict(item.fields),
        kind_identifying(item.kind, item.fields),
        dict(item.meta),
        paths,
        texts,
    )
    # The words of claims read before protection, and speakers only they name (see
    # enquiry.store.claims_at_rest): sealed with the rest, so a seal reaches them too.
    record.update(hold_claims(connection, item.id))
    cipher = encrypt_item(
        connection,
        store.vault,
        case_id=item.case_id,
        item_id=item.id,
        sha256=item.sha256,
        secret=record,
    )
    store.made_for_transaction.add(cipher)  # under a data key that a rollback destroys
    connection.execute(
        update(Item)
        .where(Item.id == item.id)
        .values(original_name=WITHHELD_AT_REST, fields=stored, metadata={}, protected=True)
    )
    connection.execute(
        update(ItemOrigin).where(ItemOrigin.item_id == item.id).values(path=WITHHELD_AT_REST)
    )
    connection.execute(update(ItemText).where(ItemText.item_id == item.id).values(text=""))
    store.plain_to_remove.update(plain_copies(connection, {item.sha256}))
    return cipher


def unprotect_existing(
    store: Store, connection: Connection, item: Item, source: KeySource
) -> dict[str, Any]:
    """Decrypt an item back into the clear; return its row as it now stands."""
    opener = Opener(connection, source)
    secret = opener.secret(item.id)
    record = _disclosed(secret)
    assert item.sha256 is not None
    stored = store.vault.put_chunks(opener.plain_chunks(store.vault, item.id))
    # The plaintext of an item still protected until this commits: gone if it rolls back.
    store.made_for_transaction.add(stored.sha256)
    if stored.sha256 != item.sha256:
        raise Corrupt(f"item {item.id}: decrypted bytes do not match its SHA-256; unchanged")
    cipher = connection.execute(
        select(ItemKey.cipher_sha256).where(ItemKey.item_id == item.id)
    ).scalar_one()
    fields = {**dict(item.fields), **record.fields}
    connection.execute(
        update(Item)
        .where(Item.id == item.id)
        .values(original_name=record.name, fields=fields, metadata=record.meta, protected=False)
    )
    origin_ids = list(
        connection.execute(
            select(ItemOrigin.id).where(ItemOrigin.item_id == item.id).order_by(ItemOrigin.id)
        ).scalars()
    )
    for origin_id, path in zip(origin_ids, record.paths, strict=False):
        connection.execute(update(ItemOrigin).where(ItemOrigin.id == origin_id).values(path=path))
    for extractor, text in record.texts.items():
        connection.execute(
            update(ItemText)
            .where(ItemText.item_id == item.id, ItemText.extractor == extractor)
            .values(text=text)
        )
    restore_claims(connection, secret)
    connection.execute(delete(ItemKey).where(ItemKey.item_id == item.id))
    if not connection.execute(select(ItemKey.id).where(ItemKey.cipher_sha256 == cipher)).first():
        store.plain_to_remove.add(str(cipher))
    row = item_row(item)
    row.update(original_name=record.name, fields=fields, meta=record.meta, protected=False)
    return row


# --- Keys ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseKeyStatus:
    """A case's protection key and what it guards."""

    case: str
    has_key: bool
    method: str | None
    encrypted: int
    sealed: int


def key_status(app: Enquiry) -> list[CaseKeyStatus]:
    """Per case: whether it has a key, how it is wrapped, how many items it guards."""
    require_admin(app, "protection status")
    store = app.store(create=False)
    out: list[CaseKeyStatus] = []
    with store.engine.connect() as connection:
        keys = {
            int(c): dict(k) for c, k in connection.execute(select(CaseKey.case_id, CaseKey.kdf))
        }
        held: dict[int, list[bool]] = {}
        for case_id, wrapped in connection.execute(
            select(ItemKey.case_id, ItemKey.wrapped_key.is_(None))
        ):
            held.setdefault(int(case_id), []).append(bool(wrapped))
        for case_id, name in connection.execute(select(Case.id, Case.name).order_by(Case.name)):
            flags = held.get(int(case_id), [])
            kdf = keys.get(int(case_id))
            out.append(
                CaseKeyStatus(
                    str(name),
                    kdf is not None,
                    str(kdf.get("method")) if kdf else None,
                    len(flags),
                    sum(flags),
                )
            )
    return out


def new_key_file(path: Path) -> Path:
    """Write a new random key file (owner-readable only) for ENQUIRY_PROTECTION_KEY_FILE."""
    try:
        write_key_file(path)
    except FileExistsError:
        raise Refused(f"{path}: exists; a key file is never overwritten") from None
    except OSError as exc:
        raise BadRequest(f"{path}: cannot write the key file ({exc.strerror or exc})") from None
    return path.absolute()


def demo_key(app: Enquiry) -> Path | None:
    """Give this process a protection key for the demo when none was given; return its file.

    The demo case holds protected testimony, which is stored encrypted; so that ``make demo``
    runs unattended, a key file is made once beside the home — never inside it, so a copy of
    the home alone still reveals nothing — and used for this process only. None when the user
    gave a key of their own.
    """
    if os.environ.get(KEY_FILE_ENV) or os.environ.get(PASSPHRASE_ENV):
        return None
    path = app.home.parent / f"{app.home.name}.demo-protection.key"
    if not path.exists():
        app.home.parent.mkdir(parents=True, exist_ok=True)
        new_key_file(path)
    os.environ[KEY_FILE_ENV] = str(path)
    return path.absolute()


def new_key_source(new_key_file: Path | None, new_passphrase_env: str | None) -> KeySource:
    """The new key a rotation wraps under: a key file, or a passphrase read from a variable."""
    if (new_key_file is None) == (new_passphrase_env is None):
        raise BadRequest("give exactly one of --new-key-file and --new-passphrase-env")
    if new_key_file is not None:
        try:
            data = read_key_file(new_key_file)
        except OSError as exc:
            raise BadRequest(f"{new_key_file}: cannot read ({exc.strerror or exc})") from None
        if len(data) < 32:
            raise BadRequest(f"{new_key_file}: too short for a key (at least 32 bytes)")
        return KeySource("keyfile", data)
    phrase = os.environ.get(str(new_passphrase_env), "")
    if len(phrase) < 12:
        raise BadRequest(f"{new_passphrase_env}: unset or too short (at least 12 characters)")
    return KeySource("passphrase", secret_bytes(phrase, str(new_passphrase_env)))


def rotate_key(
    app: Enquiry,
    case: str,
    *,
    new_key_file: Path | None = None,
    new_passphrase_env: str | None = None,
) -> str:
    """Wrap the case's key under a new passphrase or key file (the old one given as usual).

    Only the case private key is re-wrapped: no item's data key and no content is re-encrypted,
    so rotation is instant however much evidence the case holds. Returns the new key's method.
    """
    require_admin(app, "protection rotate")
    new = new_key_source(new_key_file, new_passphrase_env)
    store = app.store(create=False)
    old = require_key()
    with store.session() as session:
        case_id = find_case(session, case).id
    with store.writing() as (connection, writer):
        rewrap_case(connection, case_id, old, new)
        writer.append(
            "updated", case_id=case_id, details={"case_key": "rewrapped", "method": new.method}
        )
    return new.method


__all__ = [
    "CaseKeyStatus",
    "Disclosed",
    "Sealed",
    "deliver_original",
    "demo_key",
    "disclose",
    "encrypted_ids",
    "key_status",
    "new_key_file",
    "original_file",
    "protect_existing",
    "restored",
    "rotate_key",
    "scrub_database",
    "seal_item",
    "unprotect_existing",
    "work_folder",
]
