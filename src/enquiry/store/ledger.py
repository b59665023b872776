"""The custody ledger: an append-only log in which each event carries the hash of the one before.

An event's hash covers its number, time, actor, action, case, item and details, and the previous
event's hash. Editing any past event changes its hash and breaks the link from the next one;
deleting one leaves a gap in the numbers. Deleting the newest events is caught by the head: the
last number and hash are also written to ``ledger.head`` in the home (and can be published
elsewhere: ``enquiry log --head``), so a database that is shorter than its head is shown to have
lost events.

The state of every item (its hash, size, kind, fields, metadata, ...) is digested into the event
that records it, so an edited item row no longer matches the ledger.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from enquiry.store.rows import RowWatcher
from enquiry.store.tables import CustodyEvent, Item, LedgerHead
from enquiry.store.vault import synced

GENESIS = "0" * 64

IDENTIFIED_BY = "identified_by"
"""The key of an event's details that says how its actor was established: ``API token
enq_AbCdEf`` (with ``, command line`` when given in ``ENQUIRY_TOKEN``), ``web session
<fingerprint>`` (opened by a ``signed in`` event), ``password`` (the sign-in itself), or the
word of whoever holds the home's files: ``command line, --as``, ``command line, OS user``,
``server``. Events written before it was recorded have none."""

ACTIONS = (
    "received",
    "accessed",
    "copied",
    "derived",
    "enriched",
    "updated",
    "analysed",
    "rated",
    "exported",
    "transferred",
    "revealed",
    "merged",
    "created",
    "recorded",
    "repaired",
    "sealed",
    "confirmed",
    "account",
    "granted",
    "withdrawn",
    "commented",
    "verified",
)

STATE_COLUMNS = (
    "case_id",
    "kind",
    "sha256",
    "size",
    "media_type",
    "fields",
    "meta",
    "source_id",
    "credibility",
    "protected",
    "derived_from",
    "transformation",
    "origin",
    "original_name",
    "key",
    "created_at",
)


def canonical(value: Any) -> str:
    """The one JSON text of ``value`` that every hash in enquiry is computed over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def utc_now() -> str:
    """Now, in UTC, as ISO 8601 with microseconds and a 'Z'."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    seq: int,
    at: str,
    actor: str,
    action: str,
    case_id: int | None,
    item_id: int | None,
    details: str,
    prev_hash: str,
) -> str:
    """The hash of one event: SHA-256 over the canonical JSON of all its fields."""
    body = canonical(
        {
            "seq": seq,
            "at": at,
            "actor": actor,
            "action": action,
            "case": case_id,
            "item": item_id,
            "details": details,
            "prev": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def item_state(row: Mapping[str, Any]) -> dict[str, Any]:
    """The columns of an item row that the ledger vouches for."""
    return {column: row.get(column) for column in STATE_COLUMNS}


def state_digest(row: Mapping[str, Any]) -> str:
    """The digest of an item's vouched-for state, as recorded in its custody events."""
    return hashlib.sha256(canonical(item_state(row)).encode("utf-8")).hexdigest()


def item_row(item: Item) -> dict[str, Any]:
    """An ORM item as the mapping :func:`state_digest` expects."""
    return {column: getattr(item, column) for column in STATE_COLUMNS}


@dataclass(frozen=True)
class Head:
    """The newest event's number and hash."""

    seq: int
    hash: str


class LedgerWriter:
    """Appends events inside the caller's transaction.

    Opening a writer updates the single head row first, so a second writer (another process, or
    another PostgreSQL session) waits until this transaction ends; numbers never collide and the
    chain never forks.
    """

    def __init__(self, connection: Connection, actor: str, via: str = "") -> None:
        self.connection = connection
        self.actor = actor
        self.via = via
        connection.execute(update(LedgerHead).where(LedgerHead.id == 1).values(seq=LedgerHead.seq))
        row = connection.execute(select(LedgerHead.seq, LedgerHead.hash)).first()
        if row is None:
            raise RuntimeError("the ledger head row is missing: the database was damaged")
        self.head = Head(row.seq, row.hash)
        self._rows: list[dict[str, Any]] = []
        # Events about an item that changed neither its row nor its texts (see append).
        self._kept: set[int] = set()
        self.watcher = RowWatcher(connection)

    def append(
        self,
        action: str,
        *,
        case_id: int | None = None,
        item_id: int | None = None,
        details: Mapping[str, Any] | None = None,
        item_changed: bool = True,
    ) -> Head:
        """Add one event (written at :meth:`flush`); return the new head.

        ``item_changed=False`` says the event's item row was not changed by this event (an
        enricher that only added derived records: claims, hashes, findings), so the search
        index need not read and write the item's document again for it; texts written are
        seen by the index from the rows, whatever this says."""
        if action not in ACTIONS:
            raise ValueError(f"unknown custody action '{action}'")
        seq = self.head.seq + 1
        at = utc_now()
        body = dict(details or {})
        if self.via:
            # The name alone says who the ledger holds responsible; how they proved it (a token,
            # a session begun with a password, or only the command line's word) says how far
            # that may be trusted, and is covered by the event's hash like the rest.
            body.setdefault(IDENTIFIED_BY, self.via)
        text = canonical(body)
        digest = event_hash(seq, at, self.actor, action, case_id, item_id, text, self.head.hash)
        self._rows.append(
            {
                "seq": seq,
                "at": at,
                "actor": self.actor,
                "action": action,
                "case_id": case_id,
                "item_id": item_id,
                "details": text,
                "prev_hash": self.head.hash,
                "hash": digest,
            }
        )
        self.head = Head(seq, digest)
        if not item_changed:
            self._kept.add(seq)
        return self.head

    def flush(self) -> Head:
        """Record the catalogue rows this transaction changed, write the pending events and move
        the head row; the caller commits."""
        changes = self.watcher.close()
        # Every change of the catalogue passes here, so the search index follows each one in
        # the same transaction, whichever service, intake or enricher wrote it.
        from enquiry.store.index import index_changes

        index_changes(
            self.connection, changes, [row for row in self._rows if row["seq"] not in self._kept]
        )
        if changes:
            self.append("recorded", details=changes)
        if self._rows:
            self.connection.execute(insert(CustodyEvent), self._rows)
            self._rows = []
            self._kept = set()
            self.connection.execute(
                update(LedgerHead)
                .where(LedgerHead.id == 1)
                .values(seq=self.head.seq, hash=self.head.hash)
            )
        return self.head


def head_file(home: Path) -> Path:
    return home / "ledger.head"


def write_head_file(home: Path, head: Head) -> None:
    """Record the head outside the database, atomically (write then rename), never setting
    back a newer head another writer recorded.

    Writers commit one after another but write this file after their commits, in any order;
    reading the file, comparing and replacing it is one step under a lock beside it, or a
    writer paused between the reading and the replacing would put back an older head over a
    newer one — and the events after it could then be deleted without the file showing it.
    """
    path = head_file(home)
    with _head_lock(home):
        current = read_head_file(home)
        if current is not None and current.seq > head.seq:
            return
        temp = path.with_suffix(f".{os.getpid()}.tmp")
        temp.write_text(head_text(head), encoding="ascii")
        # flushed, so that a power cut leaves the last head or the one before, never an empty
        # file that verify would rightly take for a deleted one
        synced(temp)
        os.replace(temp, path)
        synced(home, folder=True)


HEAD_LOCK = ".ledger-head.lock"


@contextmanager
def _head_lock(home: Path) -> Iterator[None]:
    with (home / HEAD_LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def head_text(head: Head) -> str:
    """The text of a ``ledger.head`` file naming ``head``."""
    return f"{head.seq} {head.hash}\n"


def head_for_copy(recorded: Head | None, copy: Connection) -> Head | None:
    """The head a copy of the home should carry beside the catalogue ``copy`` (a snapshot),
    given the head its ``ledger.head`` recorded just before the snapshot was taken.

    Writers commit while a copy (a backup) is made, and the home's file moves with each commit:
    copied as it stands afterwards, it would name events the snapshot never saw, and the copy
    would fail verification as if they had been deleted. So a recorded head that the snapshot's
    chain holds (the same hash at that number) becomes the snapshot's own newest head, to which
    that chain leads by hashes; any other (none, a head beyond the snapshot, a hash the chain
    does not have) is kept as it was, so the copy shows exactly what the home showed.
    """
    if recorded is None:
        return None
    at = copy.execute(select(CustodyEvent.hash).where(CustodyEvent.seq == recorded.seq)).scalar()
    if recorded.seq and at != recorded.hash:
        return recorded
    row = copy.execute(select(LedgerHead.seq, LedgerHead.hash)).first()
    if row is None or int(row.seq) < recorded.seq:
        return recorded
    return Head(int(row.seq), str(row.hash))


def read_head_file(home: Path) -> Head | None:
    """The head last recorded outside the database, or None if there is none."""
    path = head_file(home)
    try:
        seq_text, digest = path.read_text(encoding="ascii").split()
        return Head(int(seq_text), digest)
    except (OSError, ValueError):
        return None
