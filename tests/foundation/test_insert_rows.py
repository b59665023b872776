"""Rows inserted together get their ids in the rows' order, on both back ends: on SQLite in a
writing transaction the ids are given as SQLite would give them (one statement for all), and
a later insert by SQLite itself continues after them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Table, delete, insert, select

from enquiry.store import open_store
from enquiry.store.db import insert_rows
from enquiry.store.ledger import utc_now
from enquiry.store.tables import Case

CASES = Case.__table__
assert isinstance(CASES, Table)


def _row(name: str) -> dict[str, str]:
    return {"name": name, "title": name.upper(), "mandate": "", "created_at": utc_now()}


def test_ids_follow_the_rows_order_and_the_database_continues_after_them(
    home: Path, backend: str
) -> None:
    store = open_store(home, "tester")
    with store.writing() as (connection, _writer):
        first = insert_rows(connection, CASES, [_row(f"case-{n}") for n in range(5)])
        assert first == sorted(first) and len(set(first)) == 5
        stored = dict(connection.execute(select(Case.id, Case.name)).all())
        assert [stored[i] for i in first] == [f"case-{n}" for n in range(5)]
        assert insert_rows(connection, CASES, []) == []
    with store.writing() as (connection, _writer):
        # the newest case removed: its number may be given again, as the database itself does
        connection.execute(delete(Case).where(Case.id == first[-1]))
        (again,) = insert_rows(connection, CASES, [_row("after")])
        by_database = connection.execute(
            insert(Case).values(**_row("by-database")).returning(Case.id)
        ).scalar_one()
        assert again > first[-2] and by_database > again
        names = dict(connection.execute(select(Case.id, Case.name)).all())
        assert names[again] == "after" and names[by_database] == "by-database"


def test_outside_a_writing_transaction_the_database_gives_the_ids(home: Path) -> None:
    store = open_store(home, "tester")
    with store.engine.begin() as connection:
        ids = insert_rows(connection, CASES, [_row("a"), _row("b"), _row("c")])
        names = dict(connection.execute(select(Case.id, Case.name)).all())
    assert [names[i] for i in ids] == ["a", "b", "c"]
