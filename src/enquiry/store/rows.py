"""The ledger vouches for every catalogue row, not only for items.

Ratings, source grades, claims, hypotheses and findings decide what an analysis concludes, so an
edit to any of them must show as plainly as an edit to a blob. Rather than trusting every writer
to remember, the ledger writer watches its own transaction:

* rows whose id is above the table's largest id when the transaction began are new, and are
  recorded with their digests;
* rows an UPDATE or DELETE statement is about to touch are found (same WHERE clause) before it
  runs, and are recorded again, or as removed, when the transaction ends.

Rows that change outside a ledger transaction are therefore never recorded, and ``verify`` names
them. Items have their own, richer record (``ledger.state_digest``) and are not watched here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

from sqlalchemy import Connection, Delete, Table, Update, event, func, literal, select, union_all

from enquiry.store.tables import Base

WATCHED = (
    "cases",
    "incidents",
    "actors",
    "sources",
    "item_origins",
    "item_texts",
    "claims",
    "hypotheses",
    "ratings",
    "findings",
    "claim_stances",
    "embeddings",
    "media_hashes",
    "item_findings",
    "case_keys",
    "item_keys",
    "signing_keys",
    "bundle_imports",
    "withheld_items",
    "users",
    "memberships",
    "api_tokens",
    "comments",
)

# Tables the watch list leaves out on purpose; every catalogue table is in one list or the other.
EXEMPT = {
    # Items have their own, richer record: each custody event about an item carries its state
    # digest (ledger.state_digest), which verify compares with the row.
    "items": "vouched for by the state digest in its custody events",
    # The ledger itself: vouched for by its hash chain and the head recorded outside the DB.
    "custody_events": "the ledger: hash-chained",
    "ledger_head": "the ledger's head: checked against the chain and ledger.head",
    # Which home the database belongs to: checked against the home's home.json on every open,
    # and written once, before any event could record it.
    "catalogue_home": "the home's identity: checked against home.json when opened",
    # Signed-in browsers come and go by the minute; a session grants nothing its user's rows
    # (watched) do not, and every action taken under it is an event naming the user.
    "web_sessions": "short-lived sign-ins; what is done under them is in the ledger",
    # Derived from items, texts and claims (all vouched for) and made again by 'enquiry
    # reindex'; on SQLite its FTS5 shadow tables (search_index_data, ...) belong to it.
    "search_index": "the search index: derived, rebuilt from the catalogue by reindex",
}

# Extracted text is vouched for by its SHA-256 (checked against the text by verify), so the
# text itself need not be read back at every commit.
SKIPPED = {"item_texts": frozenset({"text"})}

# Columns a later migration added to a watched table: while NULL they are left out of a row's
# digest, so rows the ledger recorded before the column existed keep the digest it recorded
# (and a value written into such a row, or one taken out of a later row, still shows).
LATER = {"ratings": frozenset({"wording"})}

LABELS = {
    "cases": "case",
    "incidents": "incident",
    "actors": "actor",
    "sources": "source",
    "item_origins": "item origin",
    "item_texts": "extracted text",
    "claims": "claim",
    "hypotheses": "hypothesis",
    "ratings": "rating",
    "findings": "finding",
    "claim_stances": "claim stance",
    "embeddings": "embedding",
    "media_hashes": "media hash",
    "item_findings": "item finding",
    "case_keys": "case key",
    "item_keys": "protected item key",
    "signing_keys": "signing key",
    "bundle_imports": "imported bundle",
    "withheld_items": "withheld item",
    "users": "user",
    "memberships": "case membership",
    "api_tokens": "API token",
    "comments": "comment",
}


def watched_tables() -> list[Table]:
    """The tables whose every row the ledger records."""
    return [Base.metadata.tables[name] for name in WATCHED]


def _columns(table: Table) -> list[Any]:
    skipped = SKIPPED.get(table.name, frozenset())
    return [column for column in table.columns if column.name not in skipped]


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    return value


def row_digest(row: Mapping[str, Any]) -> str:
    """The digest of one catalogue row (all its columns but the skipped ones)."""
    from enquiry.store.ledger import canonical

    body = canonical({key: _plain(value) for key, value in row.items()})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def read_rows(
    connection: Connection,
    table: Table,
    *,
    above: int | None = None,
    ids: set[int] | None = None,
    reading: Callable[[str], Any] | None = None,
) -> Iterator[tuple[int, str]]:
    """(id, digest) of a table's rows: all, those above an id, or those with given ids.

    ``reading`` gives, for a column's name, what to select in its place (verify reads a
    value of the wrong type as the empty value of its column's type)."""
    columns = [reading(c.name) if reading else c for c in _columns(table)]
    query = select(*columns).order_by(table.c.id)
    if above is not None:
        query = query.where(table.c.id > above)
    if ids is not None:
        query = query.where(table.c.id.in_(sorted(ids)))
    result = connection.execute(query.execution_options(yield_per=5000))
    later = LATER.get(table.name, frozenset())
    for row in result:
        mapping = dict(row._mapping)
        for name in later:
            if mapping.get(name) is None:
                mapping.pop(name, None)
        yield int(mapping["id"]), row_digest(mapping)


def _tops(connection: Connection) -> dict[str, int]:
    """The largest id of each watched table (0 if it is empty), in one query: a transaction
    asks at its start and at its end, and one query per watched table each time was a good
    part of what writing a small transaction cost."""
    return {str(name): int(top or 0) for name, top in connection.execute(_tops_query())}


@cache
def _tops_query() -> Any:
    """The query of :func:`_tops`, built once. Each maximum is a scalar subquery of its own:
    SQLite answers a bare ``max(id)`` from the end of the table's index, but would scan the
    table for an aggregate inside a compound query."""
    return union_all(
        *(
            select(
                literal(table.name).label("name"), select(func.max(table.c.id)).scalar_subquery()
            )
            for table in watched_tables()
        )
    )


class RowWatcher:
    """Collects, over one transaction, which watched rows were added, changed or removed."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.tables = {table.name: table for table in watched_tables()}
        self.start = _tops(connection)
        self.touched: dict[str, set[int]] = {}
        self.whole: set[str] = set()
        event.listen(connection, "before_execute", self._before_execute)

    def _before_execute(
        self, connection: Connection, clause: Any, multiparams: Any, params: Any, options: Any
    ) -> None:
        if not isinstance(clause, Update | Delete):
            return
        table = clause.table
        name = getattr(table, "name", None)
        if name not in self.tables:
            return
        if multiparams or clause.whereclause is None:
            self.whole.add(name)
            return
        found = connection.execute(select(self.tables[name].c.id).where(clause.whereclause))
        self.touched.setdefault(name, set()).update(int(i) for i in found.scalars())

    def stop(self) -> None:
        """Stop watching the connection (safe to call more than once)."""
        if event.contains(self.connection, "before_execute", self._before_execute):
            event.remove(self.connection, "before_execute", self._before_execute)

    def close(self) -> dict[str, Any]:
        """Stop watching; return the details for the ledger event that records the changes."""
        self.stop()
        rows: dict[str, dict[str, str]] = {}
        forgot: dict[str, list[int]] = {}
        tops = _tops(self.connection)
        for name, table in self.tables.items():
            if name in self.whole:
                rows[name] = {str(i): d for i, d in read_rows(self.connection, table)}
                continue
            found = {}
            if tops[name] > self.start[name]:
                found = {
                    str(i): d for i, d in read_rows(self.connection, table, above=self.start[name])
                }
            touched = {i for i in self.touched.get(name, set()) if i <= self.start[name]}
            if touched:
                present = dict(read_rows(self.connection, table, ids=touched))
                found.update({str(i): d for i, d in present.items()})
                gone = sorted(touched - set(present))
                if gone:
                    forgot[name] = gone
            if found:
                rows[name] = found
        details: dict[str, Any] = {}
        if rows:
            details["rows"] = rows
        if forgot:
            details["forgot"] = forgot
        if self.whole:
            # For these tables the listing is complete: a recorded row not in it was removed.
            details["whole"] = sorted(self.whole)
        return details
