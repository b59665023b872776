"""Listing a large case: migration 0007's indexes (added to an existing 0006 catalogue, and
taken away again), the date filter and paging by the last item shown — on both back ends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from catalogue_helpers import downgrade_catalogue
from conftest import Run
from enquiry.app import evidence
from enquiry.store import open_store
from enquiry.store.db import MIGRATIONS, database_url, make_engine
from enquiry.store.verify import verify

ITEM_INDEXES = {
    "ix_items_case_id_id",
    "ix_items_case_id_kind_id",
    "ix_items_case_id_source_id_id",
    "ix_items_case_id_item_date_id",
}
DATES = {"a.txt": "2017-04-04", "b.txt": "2017-05-10T08:00:00Z", "c.txt": "2018-01-01", "d.txt": ""}


def _take_in(home: Path, run: Run) -> dict[str, int]:
    """Four statements, three of them dated; returns file name → item number."""
    ids = {}
    for name, date in DATES.items():
        path = home.parent / name
        path.write_text(f"the statement in {name}\n", encoding="utf-8")
        fields = ["--field", f"collected_at={date}"] if date else []
        source = ["--source", "lab"] if name in ("b.txt", "d.txt") else []
        out = run(
            "add", str(path), "--case", "ks", "--kind", "statement", *fields, *source, "--json"
        )
        ids[name] = int(json.loads(out.stdout)[0]["item_id"])
    return ids


def _newest() -> str:
    """The newest revision of the migrations (what opening a home brings it to)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return str(ScriptDirectory.from_config(config).get_current_head())


def _indexes(home: Path) -> tuple[str, set[str]]:
    engine = make_engine(database_url(home))
    with engine.connect() as connection:
        version = str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar())
        found = {str(i["name"]) for i in inspect(connection).get_indexes("items")}
        columns = {str(c["name"]) for c in inspect(connection).get_columns("items")}
        if "item_date" in columns:
            found.add("column item_date")
    engine.dispose()
    return version, found


def test_migration_0007_upgrades_an_existing_0006_catalogue(
    backend: str, home: Path, run: Run
) -> None:
    _take_in(home, run)
    version, found = _indexes(home)
    assert version == _newest() and found >= ITEM_INDEXES | {"column item_date"}
    # Take the catalogue back to 0006, as a home made before this release has it.
    downgrade_catalogue(home, "0006")
    version, found = _indexes(home)
    assert version == "0006" and not (ITEM_INDEXES | {"column item_date"}) & found
    # Opening it brings it to the newest (0007's indexes made over the rows already there,
    # each item's date taken from the search index), nothing lost.
    store = open_store(home, "tester", create=False)
    version, found = _indexes(home)
    assert version == _newest() and found >= ITEM_INDEXES | {"column item_date"}
    report = verify(store)
    assert report.intact and report.items == 4, report.failures
    store.engine.dispose()
    listed = json.loads(run("item", "list", "--case", "ks", "--json").stdout)
    assert listed["total"] == 4
    dated = json.loads(run("item", "list", "--case", "ks", "--from", "2017", "--json").stdout)
    assert dated["total"] == 3


def _listed(run: Run, *options: str) -> list[int]:
    out = run("item", "list", "--case", "ks", "--json", *options).stdout
    return [row["id"] for row in json.loads(out)["items"]]


def test_items_listed_by_date_and_after_the_last_shown(backend: str, home: Path, run: Run) -> None:
    ids = _take_in(home, run)
    a, b, c, d = (ids[n] for n in DATES)
    assert _listed(run) == [a, b, c, d]
    assert _listed(run, "--from", "2017-04", "--to", "2017-05") == [a, b]
    assert _listed(run, "--from", "2017-05-10") == [b, c]
    assert _listed(run, "--to", "2017") == [a, b]
    assert _listed(run, "--from", "2018-01-01", "--to", "2018-01-01") == [c]
    assert _listed(run, "--from", "2019") == []
    # An undated item is in no date range, but in the listing without one.
    assert _listed(run, "--after", str(b)) == [c, d]
    assert _listed(run, "--after", str(a), "--limit", "1") == [b]
    assert _listed(run, "--after", str(a), "--from", "2017") == [b, c]
    assert _listed(run, "--source", "lab") == [b, d]
    assert _listed(run, "--source", "lab", "--from", "2018") == []
    assert _listed(run, "--source", "nobody") == []
    page = json.loads(run("item", "list", "--case", "ks", "--json", "--from", "2017").stdout)
    assert page["total"] == 3 and page["total_exact"]
    # The date follows the item's fields when they change (kept with the search index).
    run("item", "update", str(d), "--field", "collected_at=2019-02-03")
    run("item", "update", str(a), "--field", "collected_at=2016-12-31")
    assert _listed(run, "--from", "2019") == [d]
    assert _listed(run, "--from", "2017", "--to", "2017") == [b]
    assert "; intact" in run("verify").stdout


def test_a_bad_date_is_one_line(home: Path, run: Run) -> None:
    _take_in(home, run)
    result = run("item", "list", "--case", "ks", "--from", "April", expect=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--from 'April': not a date" in lines[0]


def test_an_offset_goes_no_deeper_than_the_cap_and_names_after(
    home: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _take_in(home, run)
    monkeypatch.setattr(evidence, "MAX_OFFSET", 2)
    assert _listed(run, "--offset", "2") == [ids["c.txt"], ids["d.txt"]]
    refused = run("item", "list", "--case", "ks", "--offset", "3", expect=2)
    assert "--after" in refused.stderr and refused.stderr.count("\n") == 1
    # The page past the cap is reached from the last item shown.
    assert _listed(run, "--after", str(ids["c.txt"])) == [ids["d.txt"]]


def _brin(home: Path) -> tuple[str, bool]:
    engine = make_engine(database_url(home))
    with engine.connect() as connection:
        version = str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar())
        found = connection.dialect.name == "postgresql" and "ix_search_index_doc_brin" in {
            str(i["name"]) for i in inspect(connection).get_indexes("search_index")
        }
    engine.dispose()
    return version, found


def test_migration_0009_adds_and_removes_the_search_range_index(
    backend: str, home: Path, run: Run
) -> None:
    _take_in(home, run)
    postgres = backend == "postgresql"
    assert _brin(home) == (_newest(), postgres)
    downgrade_catalogue(home, "0008")
    assert _brin(home) == ("0008", False)
    found = json.loads(run("search", "statement", "--json").stdout)  # opened: upgraded again
    assert found["total"] == 4 and found["total_exact"]
    assert _brin(home) == (_newest(), postgres)
