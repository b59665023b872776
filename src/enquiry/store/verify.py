"""Proving nothing changed: re-walk the ledger, compare every item with it, re-hash every blob.

Each failure names exactly what is wrong and where — an event, an item, a blob — because a
report that says only "corrupted" helps nobody defend or repair an investigation.

Two ways to make it cheaper at scale, both giving the same report as the plain walk:

* ``since``: a verify that starts from a head a full verify recorded (a ``verified`` event).
  Everything in the catalogue database is still checked in full — the whole chain is
  recomputed, every item and every watched row is compared with the ledger — because that is
  cheap next to reading the evidence itself; what is skipped is re-hashing the stored bytes
  (blobs, extracted texts, protected plaintexts) of items no event after the head is about.
* ``client``: the blobs are re-hashed by the workers of a Dask cluster reading the shared
  vault; this process only compares the digests they send back.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Float,
    Integer,
    LargeBinary,
    String,
    and_,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.dialects import sqlite

from enquiry.errors import BadRequest, EnquiryError
from enquiry.store import Store
from enquiry.store.crypt import KeyUnavailable, key_source
from enquiry.store.ledger import GENESIS, Head, event_hash, read_head_file, state_digest
from enquiry.store.protected import AtRest, Opener, at_rest, plain_copies
from enquiry.store.rows import LABELS, read_rows, watched_tables
from enquiry.store.tables import (
    Base,
    CaseKey,
    CustodyEvent,
    Item,
    ItemKey,
    ItemText,
    WithheldItem,
)
from enquiry.store.vault import Vault, short_address

# The action of the event a full, intact verify appends: its details name the head it proved.
VERIFIED = "verified"
# Blobs handed to a cluster worker at a time: enough to amortise a task's overhead, few enough
# that a slow worker does not hold the end of the run.
CLUSTER_BATCH = 64
# Blobs that belong to no item named in verify's note about them (the rest are counted).
ORPHANS_NAMED = 5


@dataclass
class VerifyReport:
    """Failures (any one means the store is not intact) and notes (harmless findings)."""

    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    events: int = 0
    items: int = 0
    blobs: int = 0
    withheld: int = 0
    head: tuple[int, str] = (0, GENESIS)
    # The verified head a ``since`` run started from (None: a full verify).
    since: int | None = None

    @property
    def intact(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "events": self.events,
            "items": self.items,
            "blobs": self.blobs,
            "withheld": self.withheld,
            "head": {"seq": self.head[0], "hash": self.head[1]},
            "since": self.since,
            "failures": self.failures,
            "notes": self.notes,
        }


# A digest as verify holds it: a lower-case hex SHA-256 packed into its 32 bytes, anything
# else (a hostile ledger may record anything) kept as the text it is.
Digest = bytes | str


def _pack(digest: object) -> Digest:
    """A hex SHA-256 as its 32 bytes: verify holds one per item, per extracted text and per
    watched row until the walk ends — millions at scale — and the bytes take under half the
    memory of the string. Text that is not a lower-case hex SHA-256 stays text, so it never
    equals a packed digest."""
    text = str(digest)
    if len(text) == 64:
        try:
            packed = bytes.fromhex(text)
        except ValueError:
            return text
        if packed.hex() == text:
            return packed
    return text


def _shown(digest: Digest | None) -> str | None:
    """A held digest as the text the ledger recorded."""
    return digest.hex() if isinstance(digest, bytes) else digest


@dataclass(slots=True)
class _ItemRecord:
    state: Digest
    seq: int
    sha256: Digest | None
    size: int | None
    kind: str | None
    # Extractor → text digest. Shared, never changed, with the record before when an event
    # does not restate the texts.
    texts: dict[str, Digest] = field(default_factory=dict)


# A watched row's recorded digest and the event that recorded it: the packed digest followed
# by the event number in 8 bytes (one small object per row), or the pair when the digest is
# not a SHA-256.
RowRecord = bytes | tuple[str, int]


def _row_record(digest: object, seq: int) -> RowRecord:
    packed = _pack(digest)
    return packed + seq.to_bytes(8, "big") if isinstance(packed, bytes) else (packed, seq)


def _row_matches(record: RowRecord, digest: str) -> bool:
    if isinstance(record, bytes):
        return record[:32] == _pack(digest)
    return record[0] == digest


def _row_seq(record: RowRecord) -> int:
    return int.from_bytes(record[32:], "big") if isinstance(record, bytes) else record[1]


def _short(digest: str | None) -> str:
    return (digest or "none")[:12]


# --- Values of the wrong type ------------------------------------------------------------------
#
# SQLite keeps whatever value it is given in any column: text where an integer belongs, bytes
# where JSON does, text that is not UTF-8. Nothing enquiry writes is like that, so such a value
# is tampering (or damage) like any other, and it must be named as a failure, not crash the
# walk that reads it. Verify checks the stored type of every value of the tables it reads first,
# in SQL, and from then on reads each malformed value as the empty value of its column's type:
# its row is already a failure, and the checks that follow report the rest. (PostgreSQL refuses
# a value of the wrong type when it is written, so there this finds nothing to check.)

# The tables verify reads: the ledger, its head, the items, and every watched table.
_READ = ("custody_events", "ledger_head", "items")


def _is_utf8(value: bytes | None) -> int:
    if value is None:
        return 1
    try:
        bytes(value).decode("utf-8")
    except UnicodeDecodeError:
        return 0
    return 1


def _expected(column: Column[Any]) -> tuple[tuple[str, ...], str, str]:
    """(the SQLite storage classes that fit the column, what belongs there, the SQL of the
    empty value of its type, read in place of a malformed value)."""
    kind = column.type
    if isinstance(kind, Boolean):
        return ("integer",), "a boolean", "0"
    if isinstance(kind, Integer):
        return ("integer",), "an integer", "0"
    if isinstance(kind, Float):
        return ("real", "integer"), "a number", "0"
    if isinstance(kind, LargeBinary):
        return ("blob",), "bytes", "x''"
    if isinstance(kind, JSON):
        return ("text",), "JSON text", "'null'"
    if isinstance(kind, String):
        return ("text",), "text", "''"
    return (), "", ""  # a type whose storage is not checked


def _storage_problem(column: Column[Any]) -> Any:
    """SQL naming what is wrong with this column's value in a row (NULL: nothing)."""
    fits, what, _empty = _expected(column)
    if not fits:
        return None
    stored = func.typeof(column)
    whens: list[tuple[Any, Any]] = [
        (
            stored.not_in([*fits, "null"]),
            literal_column("'holds '", String) + stored + f", not {what}",
        )
    ]
    if "text" in fits:
        # SQLite has no test of UTF-8; decoding each text in Python costs less than any filter
        # SQL offers (GLOB for a byte above 127 is several times slower).
        invalid = func.enquiry_is_utf8(cast(column, LargeBinary)) == 0
        whens.append((invalid, literal_column("'holds text that is not UTF-8'")))
    if isinstance(column.type, Boolean):
        whens.append((column.not_in([0, 1]), literal_column("'holds neither 0 nor 1'")))
    if isinstance(column.type, JSON):
        not_json = and_(column.is_not(None), func.json_valid(column) == 0)
        whens.append((not_json, literal_column("'holds text that is not JSON'")))
    return case(*whens, else_=None)


@dataclass
class _Malformed:
    """The values of the wrong type found in the tables verify reads: table → row id → the
    columns holding one."""

    cells: dict[str, dict[int, set[str]]] = field(default_factory=dict)

    def rows(self, table: str) -> set[int]:
        return set(self.cells.get(table, {}))

    def column(self, table: str, name: str) -> Any:
        """Column ``name`` of ``table`` as verify reads it: a malformed value read as the empty
        value of the column's type."""
        found = Base.metadata.tables[table]
        column = found.c[name]
        bad = sorted(i for i, names in self.cells.get(table, {}).items() if name in names)
        if not bad:
            return column
        key = found.primary_key.columns.values()[0]
        empty: Any = literal_column(_expected(column)[2])
        return type_coerce(case((key.in_(bad), empty), else_=column), column.type).label(name)

    def columns(self, table: str) -> list[Any]:
        return [self.column(table, c.name) for c in Base.metadata.tables[table].columns]


@cache
def _storage_queries() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """For each table verify reads: its name, the columns checked, and the SQLite query naming
    the rows holding a value of the wrong type in any of them.

    Made and compiled once per process: the queries are the same for every home, and building
    and compiling them costs more than running them on a small catalogue (a tenth of a second),
    which a server or any process that verifies more than once would pay every time."""
    dialect = sqlite.dialect()
    queries = []
    for table in [Base.metadata.tables[name] for name in _READ] + watched_tables():
        key = table.primary_key.columns.values()[0]
        problems = [(c.name, _storage_problem(c)) for c in table.columns if c is not key]
        problems = [(name, sql) for name, sql in problems if sql is not None]
        query = select(key, *(sql.label(name) for name, sql in problems)).where(
            or_(*(sql.is_not(None) for _name, sql in problems))
        )
        compiled = query.order_by(key).compile(
            dialect=dialect, compile_kwargs={"literal_binds": True}
        )
        queries.append((table.name, tuple(name for name, _sql in problems), str(compiled)))
    return tuple(queries)


def _check_storage(store: Store, report: VerifyReport) -> _Malformed:
    """Name every value of the wrong type in the tables verify reads (see above)."""
    found = _Malformed()
    with store.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            return found
        raw = connection.connection.driver_connection
        raw.create_function("enquiry_is_utf8", 1, _is_utf8, deterministic=True)  # type: ignore[union-attr]
        for table, names, sql in _storage_queries():
            for row in connection.exec_driver_sql(sql):
                named = {n: str(p) for n, p in zip(names, row[1:], strict=True) if p}
                found.cells.setdefault(table, {})[int(row[0])] = set(named)
                what = "; ".join(f"{name} {problem}" for name, problem in named.items())
                report.failures.append(f"{_row_label(table, int(row[0]))}: {what}")
    return found


def _row_label(table: str, row_id: int) -> str:
    if table == "custody_events":
        return f"ledger: event {row_id}"
    if table == "ledger_head":
        return "ledger: the head row"
    if table == "items":
        return f"item {row_id}"
    return f"{LABELS.get(table, table)} {row_id}"


def _events(store: Store, malformed: _Malformed) -> Iterator[Any]:
    with store.engine.connect() as connection:
        result = connection.execute(
            select(*malformed.columns("custody_events"))
            .order_by(CustodyEvent.seq)
            .execution_options(yield_per=5000)
        )
        yield from result


RowRecords = dict[str, dict[int, RowRecord]]


def _note_rows(rows: RowRecords, details: dict[str, Any], seq: int) -> None:
    for table in details.get("whole") or ():
        rows[table] = {}
    for table, found in (details.get("rows") or {}).items():
        known = rows.setdefault(table, {})
        for row_id, digest in found.items():
            known[int(row_id)] = _row_record(digest, seq)
    for table, gone in (details.get("forgot") or {}).items():
        for row_id in gone:
            rows.get(table, {}).pop(int(row_id), None)


@dataclass
class _Tail:
    """What the events after a verified head are about: the items whose stored bytes a
    ``since`` run re-hashes, and the extracted-text rows they recorded."""

    head: Head
    items: set[int] = field(default_factory=set)
    texts: set[int] = field(default_factory=set)

    def note(self, event: Any, details: Any) -> None:
        if event.seq <= self.head.seq:
            return
        if event.item_id is not None:
            self.items.add(int(event.item_id))
        if event.action == "recorded" and isinstance(details, dict):
            found = (details.get("rows") or {}).get("item_texts") or {}
            self.texts.update(int(i) for i in found)


def _check_chain(
    store: Store,
    report: VerifyReport,
    rows: RowRecords,
    malformed: _Malformed,
    tail: _Tail | None = None,
) -> dict[int, _ItemRecord]:
    """Walk the chain; return, per item, the latest state the ledger vouches for, and collect
    the recorded digest of every other catalogue row in ``rows`` (and in ``tail`` what the
    events after its head are about)."""
    records: dict[int, _ItemRecord] = {}
    expected, previous = 1, GENESIS
    for event in _events(store, malformed):
        report.events += 1
        label = f"event {event.seq} ({event.action}" + (
            f", item {event.item_id})" if event.item_id is not None else ")"
        )
        if event.seq != expected:
            gap = f"{expected}" if event.seq == expected + 1 else f"{expected}–{event.seq - 1}"
            report.failures.append(f"ledger: event {gap} missing (deleted from the ledger)")
        elif event.prev_hash != previous:
            report.failures.append(
                f"ledger: {label} does not link to event {event.seq - 1} (one of them was edited)"
            )
        recomputed = event_hash(
            event.seq,
            event.at,
            event.actor,
            event.action,
            event.case_id,
            event.item_id,
            event.details,
            event.prev_hash,
        )
        if recomputed != event.hash:
            report.failures.append(
                f"ledger: {label} was edited (its content no longer matches its hash)"
            )
        try:
            details = json.loads(event.details)
        except (TypeError, ValueError):
            details = {}
        if event.action == "recorded" and isinstance(details, dict):
            _note_rows(rows, details, event.seq)
        if tail is not None:
            tail.note(event, details)
            if event.seq == tail.head.seq and event.hash != tail.head.hash:
                report.failures.append(
                    f"ledger: event {event.seq} no longer has the hash the verify of it recorded"
                    f" ({_short(tail.head.hash)}): the ledger before it was rewritten"
                )
        if event.item_id is not None and isinstance(details, dict) and "state" in details:
            before = records.get(event.item_id)
            kind = details.get("kind", before.kind if before else None)
            texts = details.get("texts")
            records[event.item_id] = _ItemRecord(
                state=_pack(details["state"]),
                seq=event.seq,
                sha256=(
                    _pack(details["sha256"])
                    if details.get("sha256") is not None
                    else (before.sha256 if before else None)
                ),
                size=details.get("size", before.size if before else None),
                kind=sys.intern(kind) if isinstance(kind, str) else kind,
                texts=(
                    {sys.intern(str(k)): _pack(v) for k, v in texts.items()}
                    if texts and isinstance(texts, dict)
                    else (before.texts if before else {})
                ),
            )
        expected, previous = event.seq + 1, event.hash
    report.head = (expected - 1, previous)
    _check_head(store, report, malformed)
    return records


def _check_head(store: Store, report: VerifyReport, malformed: _Malformed) -> None:
    last_seq, last_hash = report.head
    with store.engine.connect() as connection:
        row = connection.execute(
            select(malformed.column("ledger_head", "seq"), malformed.column("ledger_head", "hash"))
        ).first()
        recorded = read_head_file(store.home)
        at_recorded = None
        if recorded is not None and 0 < recorded.seq <= last_seq:
            at_recorded = connection.execute(
                select(malformed.column("custody_events", "hash")).where(
                    CustodyEvent.seq == recorded.seq
                )
            ).scalar()
    if row is not None and (row.seq, row.hash) != (last_seq, last_hash):
        if row.seq > last_seq:
            report.failures.append(
                f"ledger: the head names event {row.seq} but the log ends at event {last_seq}"
                " (newest events deleted)"
            )
        else:
            report.failures.append(
                f"ledger: the head names event {row.seq} ({_short(row.hash)}) but the log ends"
                f" at event {last_seq} ({_short(last_hash)})"
            )
    if recorded is None:
        if last_seq:
            report.failures.append(
                f"ledger: ledger.head is missing, though the log holds {last_seq} events"
                " (deleted, or the home was copied without it)"
            )
        return
    if recorded.seq < last_seq:
        report.notes.append(
            f"ledger.head names event {recorded.seq}, the log ends at event {last_seq}: the newest"
            " commit did not update it (a crash), or it was set back; compare with a published head"
        )
    if recorded.seq > last_seq:
        lost = (
            f"{last_seq + 1}" if recorded.seq == last_seq + 1 else f"{last_seq + 1}–{recorded.seq}"
        )
        report.failures.append(
            f"ledger: ledger.head records event {recorded.seq}, but the log ends at event"
            f" {last_seq} (event {lost} deleted)"
        )
    elif at_recorded is not None and at_recorded != recorded.hash:
        report.failures.append(
            f"ledger: event {recorded.seq} differs from the hash recorded in ledger.head"
        )


def _item_name(
    row: Any, mapping: dict[str, Any], record: _ItemRecord | None, digest: str | None = None
) -> str:
    """``item N``, with its arrival name only when the item is not protected.

    A protected witness's file name may be the witness's own name, and verify output is shown
    and shared freely, so it names such an item by number alone. Whether the item is protected
    is taken from the ledger where the row was edited: an attacker clearing the flag in the
    database must not make verify print the name.
    """
    if _protected(row, mapping, record, digest) or not row.original_name:
        return f"item {row.id}"
    return f"item {row.id} ({row.original_name})"


def _protected(
    row: Any, mapping: dict[str, Any], record: _ItemRecord | None, digest: str | None = None
) -> bool:
    if record is None or _pack(digest or state_digest(mapping)) == record.state:
        return bool(row.protected)
    # The row differs from its record: if clearing or setting the flag alone explains the
    # difference, the recorded flag is the opposite of the row's; otherwise keep to the row's.
    flipped = dict(mapping, protected=not row.protected)
    if _pack(state_digest(flipped)) == record.state:
        return not row.protected
    return bool(row.protected)


def _check_items(
    store: Store,
    report: VerifyReport,
    records: dict[int, _ItemRecord],
    encrypted: dict[int, AtRest],
    malformed: _Malformed,
    tail: _Tail | None = None,
    wanted: set[str] | None = None,
) -> dict[str, list[int]]:
    """Compare every item row with the ledger; return blob hash → the ids of the items that
    use it (and add to ``wanted`` the blobs of the items ``tail`` names). Ids, not names:
    a name is made again only for a blob that fails, since holding one per item costs
    hundreds of megabytes at a million items."""
    blobs: dict[str, list[int]] = {}
    seen: set[int] = set()
    with store.engine.connect() as connection:
        # Items whose bytes this home never received (redacted or left out of an imported
        # bundle): their hash is kept and vouched for, their blob is absent by design.
        withheld: dict[int, str] = dict(
            connection.execute(
                select(
                    malformed.column("withheld_items", "item_id"),
                    malformed.column("withheld_items", "reason"),
                )
            ).all()
        )
        rows = connection.execute(
            select(*malformed.columns("items")).execution_options(yield_per=5000)
        )
        for row in rows:
            report.items += 1
            seen.add(row.id)
            mapping = dict(row._mapping)
            mapping["meta"] = mapping.pop("metadata")
            record = records.get(row.id)
            digest = state_digest(mapping)
            name = _item_name(row, mapping, record, digest)
            held = encrypted.get(row.id)
            if tail is not None and wanted is not None and row.id in tail.items:
                blob = held.cipher_address if held is not None else row.sha256
                if blob and row.id not in withheld:
                    wanted.add(str(blob))
            if held is not None:
                # Only the ciphertext is in the vault; its own hash is checked without any key.
                if held.cipher_address:
                    blobs.setdefault(held.cipher_address, []).append(row.id)
                if held.sealed:
                    report.notes.append(
                        f"{name}: sealed at {held.sealed_at} (consent withdrawn: its data key was"
                        " destroyed); hash, kind, custody and ratings kept"
                    )
            elif row.sha256 and row.id in withheld:
                report.withheld += 1
                report.notes.append(
                    f"{name}: withheld — blob {_short(row.sha256)} absent by design"
                    f" ({withheld[row.id]} in the bundle it came from); its hash, kind and ratings are kept"
                )
            elif row.sha256:
                blobs.setdefault(row.sha256, []).append(row.id)
            if record is None:
                report.failures.append(
                    f"{name}: no custody event records it (row added outside the ledger, or its"
                    " receipt event was deleted)"
                )
                continue
            if _pack(digest) == record.state:
                continue
            changed = [
                f"{column} is {getattr(row, column)!r}, event {record.seq} recorded {shown!r}"
                for column, shown, same in (
                    ("sha256", _shown(record.sha256), _pack(row.sha256) == record.sha256),
                    ("size", record.size, row.size == record.size),
                    ("kind", record.kind, row.kind == record.kind),
                )
                if shown is not None and not same
            ]
            detail = (
                "; ".join(changed)
                if changed
                else f"its fields or metadata differ from the state recorded in event {record.seq}"
            )
            report.failures.append(f"{name}: row edited — {detail}")
    for item_id in sorted(set(records) - seen):
        report.failures.append(
            f"item {item_id}: row missing (deleted), though event {records[item_id].seq} records it"
        )
    return blobs


def _check_rows(
    store: Store, report: VerifyReport, rows: RowRecords, malformed: _Malformed
) -> None:
    """Every watched catalogue row must be exactly as the ledger last recorded it."""
    with store.engine.connect() as connection:
        for table in watched_tables():
            label = LABELS[table.name]
            recorded = rows.get(table.name, {})
            seen: set[int] = set()
            reading = partial(malformed.column, table.name)
            for row_id, digest in read_rows(connection, table, reading=reading):
                seen.add(row_id)
                known = recorded.get(row_id)
                if known is None:
                    report.failures.append(
                        f"{label} {row_id}: not in the ledger (row added outside enquiry, or its"
                        " recording event was deleted)"
                    )
                elif not _row_matches(known, digest):
                    report.failures.append(
                        f"{label} {row_id}: edited after event {_row_seq(known)} recorded it"
                    )
            for row_id in sorted(set(recorded) - seen):
                report.failures.append(
                    f"{label} {row_id}: row missing (deleted), though event {_row_seq(recorded[row_id])} recorded it"
                )


def _check_texts(
    store: Store,
    report: VerifyReport,
    records: dict[int, _ItemRecord],
    encrypted: dict[int, AtRest],
    malformed: _Malformed,
    tail: _Tail | None = None,
) -> None:
    """Extracted texts are derived artefacts: each must still be what intake recorded (with a
    ``tail``, only the texts of the items and text rows written after its head are read)."""
    query = select(
        *(malformed.column("item_texts", c) for c in ("item_id", "extractor", "sha256", "text"))
    )
    with store.engine.connect() as connection:
        if tail is not None:
            # Read in pages of ids, never as one long list of bound values.
            pages = _pages(tail.items, ItemText.item_id) + _pages(tail.texts, ItemText.id)
            found: list[Any] = []
            seen: set[tuple[int, str]] = set()
            for where in pages:
                for row in connection.execute(query.where(where)):
                    if (row[0], row[1]) not in seen:
                        seen.add((row[0], row[1]))
                        found.append(row)
            rows: Any = found
        else:
            rows = connection.execute(query.execution_options(yield_per=2000))
        for item_id, extractor, recorded, text in rows:
            if item_id in encrypted:
                continue  # held in the item's sealed secret record; checked with the key
            actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
            expected = records[item_id].texts.get(extractor) if item_id in records else None
            if actual != recorded or (expected is not None and expected != _pack(actual)):
                report.failures.append(
                    f"item {item_id}: extracted text ({extractor}) was edited after intake"
                )


def _pages(ids: Collection[int], column: Any, size: int = 1000) -> list[Any]:
    ordered = sorted(ids)
    return [column.in_(ordered[at : at + size]) for at in range(0, len(ordered), size)]


def blob_problem(vault: Vault, address: str) -> tuple[str, str | None]:
    """What is wrong with one stored blob (None: its bytes still hash to its name), checked
    with the hash its address names — SHA-256, or BLAKE3 for newer protected ciphertexts —
    so a ciphertext is checked without any key."""
    path = vault.path(address)
    if not path.is_file():
        return address, "missing"
    try:
        actual = vault.rehash(address)
    except OSError as exc:
        return address, f"unreadable ({exc.strerror})"
    if actual == address:
        return address, None
    return address, f"changed (its bytes now hash to {short_address(actual)})"


def rehash_batch(vault_root: str, shas: list[str]) -> list[tuple[str, str | None]]:
    """Re-hash blobs of the vault at ``vault_root``: the task a cluster worker runs (a plain
    function of plain values, so the worker needs only the package and the mounted vault)."""
    vault = Vault(Path(vault_root))
    return [blob_problem(vault, sha) for sha in shas]


def _on_cluster(
    client: Any, vault: Vault, shas: list[str], progress: Callable[[int], None] | None
) -> dict[str, str | None]:
    """Every blob's problem, found by the cluster's workers; the lost cluster is one line."""
    from distributed import as_completed

    from enquiry.cluster import ClusterUnavailable

    batches = [shas[at : at + CLUSTER_BATCH] for at in range(0, len(shas), CLUSTER_BATCH)]
    found: dict[str, str | None] = {}
    try:
        futures = client.map(rehash_batch, [str(vault.root)] * len(batches), batches, pure=False)
        for _future, result in as_completed(futures, with_results=True):  # type: ignore[no-untyped-call]
            found.update(result)
            if progress:
                progress(len(result))
    except (OSError, TimeoutError) as exc:
        raise ClusterUnavailable(
            f"the cluster was lost while re-hashing blobs ({exc}); nothing was changed —"
            " run verify again"
        ) from exc
    return found


def _item_names(
    store: Store, records: dict[int, _ItemRecord], ids: list[int], malformed: _Malformed
) -> list[str]:
    """How verify names these items (as :func:`_check_items` does), read again for a report."""
    names: dict[int, str] = {}
    with store.engine.connect() as connection:
        for where in _pages(ids, Item.id):
            for row in connection.execute(select(*malformed.columns("items")).where(where)):
                mapping = dict(row._mapping)
                mapping["meta"] = mapping.pop("metadata")
                names[row.id] = _item_name(row, mapping, records.get(row.id))
    return [names.get(item_id, f"item {item_id}") for item_id in ids]


def _check_blobs(
    store: Store,
    report: VerifyReport,
    records: dict[int, _ItemRecord],
    blobs: dict[str, list[int]],
    progress: Callable[[int], None] | None,
    only: Collection[str] | None,
    withheld: Collection[str] = (),
    client: Any = None,
    malformed: _Malformed | None = None,
) -> None:
    vault = store.vault
    if only is not None:
        # Blobs asked for but named by no item are re-hashed too: a caller citing one must
        # learn that it is missing or changed.
        wanted = {
            sha: blobs.get(sha, []) for sha in set(only) if sha in blobs or sha not in withheld
        }
        blobs = wanted

    ordered = sorted(blobs)
    if client is not None:
        problems = _on_cluster(client, vault, ordered, progress)
        results: Iterator[tuple[str, str | None]] = ((sha, problems[sha]) for sha in ordered)
    else:
        pool = ThreadPoolExecutor(max_workers=2)
        results = pool.map(lambda sha: blob_problem(vault, sha), ordered)
    try:
        for sha, problem in results:
            report.blobs += 1
            if progress and client is None:
                progress(1)
            if problem:
                names = _item_names(store, records, blobs[sha], malformed or _Malformed()) or [
                    f"cited blob {short_address(sha)}"
                ]
                for name in names:
                    report.failures.append(f"{name}: blob {short_address(sha)} {problem}")
    finally:
        if client is None:
            pool.shutdown()
    if only is not None:
        return
    orphans = sorted(sha for sha in vault.iter_hashes() if sha not in blobs)
    if orphans:
        # Named, so that whoever reads the report can find them: the leftovers of a process
        # killed between storing and committing (nothing refers to them), or the blob of a row
        # whose name was changed (a failure of that item says so).
        shown = ", ".join(short_address(sha) for sha in orphans[:ORPHANS_NAMED])
        more = f" and {len(orphans) - ORPHANS_NAMED} more" if len(orphans) > ORPHANS_NAMED else ""
        report.notes.append(
            f"{len(orphans)} blob(s) in the vault belong to no item (left by an interrupted"
            f" intake, or an item row no longer names them): {shown}{more}"
        )


def _withheld_blobs(store: Store, malformed: _Malformed) -> set[str]:
    with store.engine.connect() as connection:
        found = connection.execute(
            select(malformed.column("items", "sha256")).join(
                WithheldItem, WithheldItem.item_id == Item.id
            )
        ).scalars()
        return {str(sha) for sha in found if sha}


def record_verified(store: Store, report: VerifyReport, blobs: int | None = None) -> None:
    """Record the head an intact full verify proved, as the ``verified`` event that
    :func:`verified_head` later reads (``blobs`` when the caller checked another number of
    blobs than the report counts, e.g. none)."""
    with store.writing() as (_connection, writer):
        writer.append(
            VERIFIED,
            details={
                "head": {"seq": report.head[0], "hash": report.head[1]},
                "events": report.events,
                "items": report.items,
                "blobs": report.blobs if blobs is None else blobs,
            },
        )


def verified_heads(connection: Connection) -> dict[int, str]:
    """Every head a full, intact verify recorded: event number → its hash then."""
    heads: dict[int, str] = {}
    stored: Any = CustodyEvent.details
    if connection.dialect.name == "sqlite":
        stored = cast(stored, LargeBinary)  # as bytes: text that is not UTF-8 is an edit too
    for (details,) in connection.execute(select(stored).where(CustodyEvent.action == VERIFIED)):
        try:
            head = json.loads(details)["head"]
            heads[int(head["seq"])] = str(head["hash"])
        except (TypeError, ValueError, KeyError):
            continue  # an edited event: the chain walk names it
    return heads


def verified_head(store: Store, since: int | str) -> Head:
    """The verified head ``since`` names (an event number, or ``last``), checked against the
    ledger: the event must still have the hash the verify recorded. Refused with one line when
    no full verify recorded that head."""
    with store.engine.connect() as connection:
        heads = verified_heads(connection)
        if since == "last":
            if not heads:
                raise BadRequest(
                    "--since last: no full verify has been recorded yet; run 'enquiry verify'"
                )
            seq = max(heads)
        else:
            seq = int(since)
        if seq not in heads:
            known = ", ".join(str(s) for s in sorted(heads)[-5:]) or "none yet"
            raise BadRequest(
                f"--since {since}: event {seq} is not a head a full verify recorded"
                f" (verified heads: {known}); run 'enquiry verify' without --since"
            )
        stored = connection.execute(
            select(CustodyEvent.hash).where(CustodyEvent.seq == seq)
        ).scalar()
    if stored != heads[seq]:
        raise BadRequest(
            f"--since {since}: event {seq} no longer has the hash the verify of it recorded"
            " (the ledger was changed); run 'enquiry verify' without --since"
        )
    return Head(seq, heads[seq])


def _check_home_mode(store: Store, report: VerifyReport) -> None:
    """A note when other users of this machine may enter the home: its vault holds evidence in
    the clear (all but protected items), its catalogue the accounts' password hashes and
    sessions. A note, not a failure: nothing was altered, and a shared group may be meant."""
    try:
        mode = store.home.stat().st_mode & 0o777
    except OSError:
        return
    if mode & 0o077:
        report.notes.append(
            f"home {store.home}: other users of this machine may read it (mode {mode:o}):"
            f" 'chmod 700 {store.home}' keeps them out"
        )


def verify(
    store: Store,
    progress: Callable[[int], None] | None = None,
    *,
    blobs: Collection[str] | None = None,
    since: Head | None = None,
    client: Any = None,
) -> VerifyReport:
    """Check the ledger chain and head, every item against the ledger, every blob's bytes.

    ``blobs`` limits the re-hashing (the slow part) to those blobs — what an analysis, report or
    export is about to cite — while the ledger, the head and every catalogue row are still
    checked in full, since any of them can change what is published.

    ``since`` (a head a full verify recorded: :func:`verified_head`) limits the re-hashing of
    blobs, texts and protected plaintexts to the items the events after it are about; the
    ledger and every catalogue row are still checked in full. ``client`` (a Dask client)
    re-hashes the blobs on the cluster's workers; the report is the same.
    """
    report = VerifyReport(since=since.seq if since is not None else None)
    _check_schema(store, report)
    _check_home_mode(store, report)
    rows: RowRecords = {}
    tail = _Tail(since) if since is not None else None
    malformed = _check_storage(store, report)
    records = _check_chain(store, report, rows, malformed, tail)
    with store.engine.connect() as connection:
        encrypted = _at_rest(connection, malformed)
        if blobs is not None and encrypted:
            # A protected original is held only as its ciphertext: a citation of its plaintext
            # hash is checked there (and, with the key, by decrypting it).
            cipher_of = {
                str(sha): encrypted[int(item_id)].cipher_address
                for item_id, sha in connection.execute(
                    select(Item.id, malformed.column("items", "sha256")).where(
                        Item.id.in_(sorted(encrypted))
                    )
                )
            }
            blobs = {cipher_of.get(sha, sha) for sha in blobs} | set(blobs) - set(cipher_of)
    wanted: set[str] = set()
    named = _check_items(store, report, records, encrypted, malformed, tail, wanted)
    if tail is not None:
        blobs = wanted if blobs is None else set(blobs) & wanted
    _check_texts(store, report, records, encrypted, malformed, tail)
    _check_rows(store, report, rows, malformed)
    withheld = _withheld_blobs(store, malformed)
    _check_blobs(store, report, records, named, progress, blobs, withheld, client, malformed)
    _check_protected(store, report, records, encrypted, blobs, malformed)
    return report


# Objects the migrations never make, each able to change what a query reads or a write stores
# without a statement of enquiry's own: a trigger that edits rows whenever an event is appended,
# a rule that rewrites an INSERT, a view standing in for a table. A catalogue taken from a
# backup (or a database another party could reach) may carry one.
_FOREIGN_OBJECTS = {
    "sqlite": (
        "SELECT type, name, tbl_name FROM sqlite_master"
        " WHERE type IN ('trigger', 'view') ORDER BY name"
    ),
    "postgresql": (
        "SELECT 'trigger', t.tgname, c.relname FROM pg_trigger t"
        " JOIN pg_class c ON c.oid = t.tgrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
        " UNION ALL SELECT 'rule', rulename, tablename FROM pg_rules"
        " WHERE schemaname = current_schema()"
        " UNION ALL SELECT 'view', table_name, table_name FROM information_schema.views"
        " WHERE table_schema = current_schema() ORDER BY 2"
    ),
}


def _check_schema(store: Store, report: VerifyReport) -> None:
    """Fail on a trigger, rule or view in the catalogue: enquiry makes none, and one could
    alter rows as enquiry writes them (the ledger would record what the trigger left)."""
    with store.engine.connect() as connection:
        query = _FOREIGN_OBJECTS.get(connection.dialect.name)
        if query is None:
            return
        for kind, name, table in connection.execute(text(query)):
            on = f" on {table}" if kind != "view" else ""
            report.failures.append(
                f"catalogue: a {kind} '{ascii(str(name))[1:-1]}'{on} that enquiry did not make:"
                " it can change rows as they are written or read; drop it once read, or"
                " restore a backup made before it"
            )


def _at_rest(connection: Connection, malformed: _Malformed) -> dict[int, AtRest]:
    """Every encrypted item, as :func:`at_rest` reads it, with malformed values read empty."""
    if not malformed.rows("item_keys"):
        return at_rest(connection)
    read = partial(malformed.column, "item_keys")
    query = select(
        read("item_id"),
        read("cipher_sha256"),
        read("cipher_size"),
        read("wrapped_key"),
        read("sealed_at"),
    )
    return {
        int(row[0]): AtRest(int(row[0]), str(row[1]), int(row[2]), row[3] is None, row[4])
        for row in connection.execute(query)
    }


def _check_protected(
    store: Store,
    report: VerifyReport,
    records: dict[int, _ItemRecord],
    encrypted: dict[int, AtRest],
    only: Collection[str] | None,
    malformed: _Malformed,
) -> None:
    """No plain copy of a protected original may be left in the vault; with the protection
    key given, every readable protected item's plaintext must still hash to its identity."""
    if not encrypted:
        return
    with store.engine.connect() as connection:
        shas = {
            int(i): str(s)
            for i, s in connection.execute(
                select(Item.id, malformed.column("items", "sha256")).where(
                    Item.id.in_(sorted(encrypted))
                )
            )
            if s
        }
        for sha in sorted(plain_copies(connection, set(shas.values()))):
            if store.vault.has(sha):
                items = ", ".join(f"item {i}" for i, s in shas.items() if s == sha)
                report.failures.append(
                    f"{items}: a plain copy of this protected original is still in the vault"
                    f" (blob {_short(sha)}); run 'enquiry item protect' on it again"
                )
        try:
            source = key_source()
        except KeyUnavailable as exc:
            report.failures.append(f"protection key: {exc}")
            return
        if source is None:
            report.notes.append(
                f"{len(encrypted)} protected item(s) checked by their ciphertext only (give the"
                " protection key to check their plaintext hashes too)"
            )
            return
        opener = Opener(connection, source)
        # A key whose row holds a value of the wrong type (a failure named above) is not used.
        unusable = malformed.rows("items") | {
            int(i)
            for i in connection.execute(
                select(malformed.column("item_keys", "item_id")).where(
                    or_(
                        ItemKey.id.in_(sorted(malformed.rows("item_keys"))),
                        ItemKey.case_id.in_(
                            select(CaseKey.case_id).where(
                                CaseKey.id.in_(sorted(malformed.rows("case_keys")))
                            )
                        ),
                    )
                )
            ).scalars()
        }
        for item_id, held in sorted(encrypted.items()):
            if held.sealed or item_id not in shas:
                continue
            if item_id in unusable:
                report.notes.append(
                    f"item {item_id}: its plaintext was not checked (its key or row holds a value"
                    " of the wrong type: see the failures)"
                )
                continue
            if only is not None and held.cipher_address not in only and shas[item_id] not in only:
                continue
            try:
                actual = opener.plain_sha256(store.vault, item_id)
                secret = opener.secret(item_id)
            except EnquiryError as exc:
                report.failures.append(f"item {item_id}: {exc}")
                continue
            if actual != shas[item_id]:
                report.failures.append(
                    f"item {item_id}: its decrypted bytes hash to {_short(actual)}, not to its"
                    f" SHA-256 {_short(shas[item_id])}"
                )
            recorded = records[item_id].texts if item_id in records else {}
            for extractor, text in dict(secret.get("texts") or {}).items():
                digest = hashlib.sha256(str(text).encode("utf-8")).hexdigest()
                if extractor in recorded and recorded[extractor] != _pack(digest):
                    report.failures.append(
                        f"item {item_id}: extracted text ({extractor}) was edited after intake"
                    )
