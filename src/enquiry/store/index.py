"""The search index: derived from items, their texts and claims, kept up to date as they change.

One document per item and per claim, numbered ``doc = 2 × id`` for an item and ``2 × id + 1``
for a claim, with three searched columns — ``title`` (an item's title and file name, a claim's
speaker), ``fields`` (an item's field values; a claim's cue, date phrase and forum) and ``body``
(an item's extracted texts; a claim's words) — and its ``date`` for the date facet.

On SQLite the index is an FTS5 table; on PostgreSQL a table with a ``tsvector`` under a GIN
index. Both see the same words: PostgreSQL's vector is built from :func:`words`, which splits
and folds text the way FTS5's ``unicode61`` tokenizer does, so a query finds the same documents
on either back end.

A protected item's text, fields and name are never indexed (they are encrypted at rest and may
name a witness), nor are the claims read from it: their documents hold only a date, so they can
be listed by kind and date by those allowed to see protected items and are never found by
their words.

The index is not evidence and the ledger does not vouch for it (``rows.EXEMPT``): every
transaction that writes through the ledger brings it up to date (:func:`index_changes`, called
by ``LedgerWriter.flush``), and :func:`rebuild` makes it again from the catalogue.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, bindparam, select, text, update

from enquiry.model.kinds import KindError, get_kind
from enquiry.store.crypt import WITHHELD_AT_REST
from enquiry.store.tables import Actor, Claim, Item, ItemText

TABLE = "search_index"
# On SQLite, FTS5 keeps each document's columns in this shadow table, ``id`` (the rowid) then
# ``c0`` … ``c3`` (title, fields, body, date): reading the date from it in the same statement is
# cheaper than through the virtual table, which looks each row up with a statement of its own.
FTS5_CONTENT = f"{TABLE}_content"
FTS5_DATE = "c3"
# Only the first million characters of an item's texts are indexed: PostgreSQL's tsvector holds
# at most 1 MB, and both back ends must index the same words.
MAX_BODY = 1_000_000
PAGE = 500
# Events that only read an item; every other event about an item may have changed what is
# indexed of it.
READING = frozenset({"accessed", "copied", "exported", "revealed", "analysed", "rated"})
# Item fields holding the date the evidence speaks of, most telling first.
DATE_FIELDS = (
    "captured_at",
    "stated_at",
    "published_at",
    "admitted_at",
    "interview_date",
    "delivered_at",
    "analysed_at",
    "claimed_at",
    "collected_at",
    "first_seen",
)
TITLE_FIELDS = ("title", "headline", "subject")

_WORD = re.compile(r"[^\W_]+")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


def fold(word: str) -> str:
    """A word as the index holds it: lower case, without diacritics."""
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", lowered) if not unicodedata.combining(c)
    )
    return unicodedata.normalize("NFC", stripped)


def spans(text_: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, folded word) of every word of ``text_``: runs of letters and digits, as
    FTS5's ``unicode61`` tokenizer (with ``remove_diacritics 2``) splits and folds them."""
    for found in _WORD.finditer(unicodedata.normalize("NFC", text_)):
        yield found.start(), found.end(), fold(found.group())


def words(text_: str) -> list[str]:
    """The folded words of ``text_``, in order."""
    return [word for _start, _end, word in spans(text_)]


def doc_of(kind: str, ref_id: int) -> int:
    """The index document number of an item or a claim."""
    return 2 * ref_id + (1 if kind == "claim" else 0)


def ref_of(doc: int) -> tuple[str, int]:
    """(``item`` or ``claim``, its id) of an index document number."""
    return ("claim", doc // 2) if doc % 2 else ("item", doc // 2)


def _flat(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        for inner in value.values():
            yield from _flat(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _flat(inner)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, str):
        if value != WITHHELD_AT_REST:
            yield value
    else:
        yield str(value)


def _date(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    found = _DATE.match(value.strip())
    return found.group() if found else None


def _identifying(kind: str, fields: Mapping[str, Any]) -> set[str]:
    try:
        return set(get_kind(kind).identifying_fields())
    except KindError:
        return set(fields)  # an unknown kind cannot say which fields identify: none is used


def item_date(kind: str, fields: Mapping[str, Any], protected: bool) -> str | None:
    """The date an item speaks of (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), from its first
    dated field; never, for a protected item, from a field that identifies the witness."""
    skip = _identifying(kind, fields) if protected else set()
    for name in DATE_FIELDS:
        if name not in skip:
            found = _date(fields.get(name))
            if found:
                return found
    return None


def _item_doc(row: Any, texts: list[str]) -> dict[str, Any]:
    fields = dict(row.fields or {})
    date = item_date(row.kind, fields, bool(row.protected))
    if row.protected:
        return {"doc": doc_of("item", row.id), "title": "", "fields": "", "body": "", "date": date}
    titles = [str(fields[k]) for k in TITLE_FIELDS if isinstance(fields.get(k), str)]
    name = row.original_name if row.original_name != WITHHELD_AT_REST else ""
    rest = [v for k, v in fields.items() if k not in TITLE_FIELDS]
    return {
        "doc": doc_of("item", row.id),
        "title": "\n".join([*titles, name]).strip(),
        "fields": "\n".join(_flat(rest)),
        "body": "\n\n".join(t for t in texts if t)[:MAX_BODY],
        "date": date,
    }


def _claim_doc(row: Any) -> dict[str, Any]:
    doc = doc_of("claim", row.id)
    date = _date(row.date)
    if row.protected:
        return {"doc": doc, "title": "", "fields": "", "body": "", "date": date}
    return {
        "doc": doc,
        "title": row.actor_name or "",
        "fields": "\n".join(p for p in (row.cue, row.date_phrase, row.forum) if p),
        "body": row.text or "",
        "date": date,
    }


def _pages(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for begin in range(0, len(ordered), PAGE):
        yield ordered[begin : begin + PAGE]


def _delete(connection: Connection, docs: list[int]) -> None:
    column = "rowid" if connection.dialect.name == "sqlite" else "doc"
    connection.execute(
        text(f"DELETE FROM {TABLE} WHERE {column} IN :docs").bindparams(
            bindparam("docs", expanding=True)
        ),
        {"docs": docs},
    )


_PG_INSERT = (
    f"INSERT INTO {TABLE} (doc, title, fields, body, date, tsv) VALUES (:doc, :title, :fields,"
    " :body, :date, setweight(to_tsvector('simple', :tw), 'A')"
    " || setweight(to_tsvector('simple', :fw), 'B') || setweight(to_tsvector('simple', :bw), 'C'))"
)
_SQLITE_INSERT = (
    f"INSERT INTO {TABLE} (rowid, title, fields, body, date)"
    " VALUES (:doc, :title, :fields, :body, :date)"
)


def _write(connection: Connection, docs: list[dict[str, Any]]) -> None:
    if not docs:
        return
    if connection.dialect.name == "postgresql":
        rows = [
            {
                **doc,
                "tw": " ".join(words(doc["title"])),
                "fw": " ".join(words(doc["fields"])),
                "bw": " ".join(words(doc["body"])),
            }
            for doc in docs
        ]
        connection.execute(text(_PG_INSERT), rows)
    else:
        connection.execute(text(_SQLITE_INSERT), docs)


def index_items(connection: Connection, item_ids: Iterable[int]) -> set[int]:
    """Bring the documents of these items, and of the claims read from them, up to date (an
    item no longer in the catalogue leaves the index); return the claims so indexed."""
    indexed: set[int] = set()
    for page in _pages(item_ids):
        rows = connection.execute(
            select(
                Item.id, Item.kind, Item.fields, Item.original_name, Item.protected, Item.item_date
            ).where(Item.id.in_(page))
        ).all()
        texts: dict[int, list[str]] = {}
        for item_id, body in connection.execute(
            select(ItemText.item_id, ItemText.text)
            .where(ItemText.item_id.in_(page))
            .order_by(ItemText.item_id, ItemText.id)
        ):
            texts.setdefault(int(item_id), []).append(str(body or ""))
        _delete(connection, [doc_of("item", i) for i in page])
        docs = [_item_doc(row, texts.get(int(row.id), [])) for row in rows]
        _write(connection, docs)
        # The item's own copy of its date, for listings (see Item.item_date): kept with the
        # index, by the same code, in the same transaction.
        moved = [
            {"item": row.id, "date": doc["date"]}
            for row, doc in zip(rows, docs, strict=True)
            if row.item_date != doc["date"]
        ]
        if moved:
            connection.execute(
                update(Item)
                .where(Item.id == bindparam("item"))
                .values(item_date=bindparam("date")),
                moved,
            )
        claims = [
            int(c)
            for c in connection.execute(select(Claim.id).where(Claim.item_id.in_(page))).scalars()
        ]
        index_claims(connection, claims)
        indexed.update(claims)
    return indexed


def index_claims(connection: Connection, claim_ids: Iterable[int]) -> None:
    """Bring the documents of these claims up to date (a claim no longer there leaves)."""
    for page in _pages(claim_ids):
        rows = connection.execute(
            select(
                Claim.id,
                Claim.text,
                Claim.cue,
                Claim.date,
                Claim.date_phrase,
                Claim.forum,
                Actor.name.label("actor_name"),
                Item.protected,
            )
            .outerjoin(Actor, Actor.id == Claim.actor_id)
            .outerjoin(Item, Item.id == Claim.item_id)
            .where(Claim.id.in_(page))
        ).all()
        _delete(connection, [doc_of("claim", c) for c in page])
        _write(connection, [_claim_doc(row) for row in rows])


def index_changes(
    connection: Connection, changes: Mapping[str, Any], events: Sequence[Mapping[str, Any]]
) -> None:
    """Index what one ledger transaction changed: the items its events are about (unless the
    event only read them), and the claims whose rows — or whose speakers' rows — it wrote.
    ``changes`` are the row watcher's details (``rows``, ``forgot``, ``whole``)."""
    rows = changes.get("rows") or {}
    forgot = changes.get("forgot") or {}
    whole = set(changes.get("whole") or ())
    items = {
        int(e["item_id"])
        for e in events
        if e.get("item_id") is not None and e.get("action") not in READING
    }
    texts = [int(i) for i in rows.get("item_texts", {})]
    for page in _pages(texts):
        items.update(
            int(i)
            for i in connection.execute(
                select(ItemText.item_id).where(ItemText.id.in_(page))
            ).scalars()
        )
    claims = {int(i) for i in rows.get("claims", {})} | {int(i) for i in forgot.get("claims", ())}
    actors = [int(i) for i in rows.get("actors", {})]
    if "claims" in whole or "actors" in whole:
        claims.update(int(i) for i in connection.execute(select(Claim.id)).scalars())
    for page in _pages(actors):
        claims.update(
            int(i)
            for i in connection.execute(select(Claim.id).where(Claim.actor_id.in_(page))).scalars()
        )
    if items:
        claims -= index_items(connection, items)  # those read from the items are done there
    if claims:
        index_claims(connection, claims)


def clear(connection: Connection) -> None:
    """Empty the index."""
    connection.execute(text(f"DELETE FROM {TABLE}"))


def compact(connection: Connection) -> None:
    """Merge the index so that no deleted document survives in it.

    FTS5 deletes a document by adding a tombstone: the words it held stay in the index's older
    segments, word by word with their positions, until a merge drops them. When an item is
    protected (or sealed) those words are what must go, so the segments are merged into one
    (``optimize``), whose pages, freed, the connection's ``secure_delete`` zeroes. PostgreSQL
    keeps a deleted row's old version until a vacuum (see ``atrest.scrub_database``)."""
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')"))


def rebuild(connection: Connection, progress: Callable[[int], None] | None = None) -> int:
    """Make the whole index again from the catalogue, inside the caller's transaction; return
    the documents written. ``progress`` hears how many items and claims each step indexed.
    The old documents' words do not outlive it (:func:`compact`)."""
    clear(connection)
    count = 0
    item_ids = [int(i) for i in connection.execute(select(Item.id)).scalars()]
    for page in _pages(item_ids):
        index_items(connection, page)
        count += len(page)
        if progress is not None:
            progress(len(page))
    # Claims without an item (loaded from a case file) are not reached through their items.
    loose = [
        int(i)
        for i in connection.execute(select(Claim.id).where(Claim.item_id.is_(None))).scalars()
    ]
    index_claims(connection, loose)
    if progress is not None and loose:
        progress(len(loose))
    compact(connection)
    return count + int(
        connection.execute(select(text("count(*)")).select_from(Claim.__table__)).scalar() or 0
    )


def documents(connection: Connection) -> int:
    """How many documents the index holds."""
    return int(connection.execute(text(f"SELECT count(*) FROM {TABLE}")).scalar() or 0)


def needs_rebuild(connection: Connection) -> bool:
    """Whether the index is empty while the catalogue holds items or claims (a catalogue made
    before the index existed, or copied without it)."""
    if connection.execute(text(f"SELECT 1 FROM {TABLE} LIMIT 1")).first() is not None:
        return False
    return (
        connection.execute(select(Item.id).limit(1)).first() is not None
        or connection.execute(select(Claim.id).limit(1)).first() is not None
    )


def storage_tables(connection: Connection) -> set[str]:
    """The tables that hold the index: the index table and, on SQLite, the shadow tables in
    which FTS5 stores it (derived data, never copied: :func:`rebuild` makes it again)."""
    if connection.dialect.name != "sqlite":
        return {TABLE}
    names = connection.exec_driver_sql("PRAGMA table_list").all()
    return {TABLE} | {str(row[1]) for row in names if str(row[1]).startswith(f"{TABLE}_")}


def dated_items(date_from: str | None, date_to: str | None) -> ColumnElement[bool]:
    """The condition on ``items`` for an item whose date (:func:`item_date`, kept in
    ``items.item_date`` by :func:`index_items`) lies between ``date_from`` and ``date_to``
    (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, each end included, compared at the precision
    given, as the search's date filter compares them)."""
    conditions: list[ColumnElement[bool]] = [Item.item_date.is_not(None)]
    if date_from:
        conditions.append(Item.item_date >= date_from)
    if date_to:
        # A date is at most YYYY-MM-DD: digits and '-', all below '~', so every date that
        # starts with date_to (and every shorter one it starts) sorts below date_to + '~'.
        conditions.append(Item.item_date <= date_to + "~")
    return and_(*conditions)
