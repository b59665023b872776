"""The same folder taken in with and without a cluster gives the same catalogue and ledger.

A mixed folder (photos with EXIF, a short video, a PDF, a news page, news-like articles) goes
through ``enquiry ingest`` (intake, then claims) once on this machine's own processes and once
with ``--cluster local:2``, into two homes. Item by item — hash, kind, media type, fields,
metadata, texts, media hashes, claims — and event by event — action, item, details — the two
are equal, apart from when things happened; and both verify.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cluster_helpers import corpus, enquiry, run_here, snapshot


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The folder, and what a run without a cluster makes of it."""
    root = tmp_path_factory.mktemp("single")
    folder = corpus(root / "in")
    done = run_here(root / "home", "ingest", str(folder), "--case", "c", "--quiet")
    assert done.returncode == 0, done.stderr
    return folder, snapshot(root / "home")


def _same(single: dict[str, object], clustered: dict[str, object]) -> None:
    items = single["items"]
    assert isinstance(items, dict) and len(items) == 9
    kinds = sorted(item["kind"] for item in items.values())
    assert kinds == ["document"] * 5 + ["photo"] * 3 + ["video"]
    # Something was read from each kind of file, so equality below says something.
    assert sum(len(item["claims"]) for item in items.values()) >= 9
    assert all(item["hashes"] for item in items.values() if item["kind"] in ("photo", "video"))
    assert all(item["texts"] for item in items.values() if item["kind"] == "document")
    for key in ("items", "item_events", "events", "recorded"):
        assert clustered[key] == single[key], key


@pytest.mark.slow
def test_ingest_on_a_local_cluster_equals_a_single_machine_run(
    single: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    folder, alone = single
    home = tmp_path / "home"
    done = enquiry(home, "ingest", str(folder), "--case", "c", "--quiet", "--cluster", "local:2")
    assert done.returncode == 0, done.stderr
    _same(alone, snapshot(home))
    checked = run_here(home, "verify")
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.slow
@pytest.mark.postgres
def test_the_same_on_postgresql(
    single: tuple[Path, dict[str, object]],
    tmp_path: Path,
    pg_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder, alone = single
    home = tmp_path / "home"
    on_pg = {"ENQUIRY_DB": pg_url}
    # In this process (the command above ran as its own): the coordinator's side is the same.
    done = run_here(
        home, "ingest", str(folder), "--case", "c", "--quiet", "--cluster", "local:2", env=on_pg
    )
    assert done.returncode == 0, done.stderr
    monkeypatch.setenv("ENQUIRY_DB", pg_url)
    _same(alone, snapshot(home))
    checked = run_here(home, "verify", env=on_pg)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.slow
def test_pages_read_as_one_stream_write_the_same_transactions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Items are read from the catalogue a page at a time; on a cluster the pages' batches
    follow one another without waiting for the last of a page, yet the groups written are cut
    at each page's end as in a run without a cluster. Pages of two documents make five
    documents three pages, and the claims of one page are never written with another's (in
    one page they would be one transaction)."""
    from enquiry.enrich import runner

    monkeypatch.setattr(runner, "PAGE", 2)
    folder = corpus(tmp_path / "in")
    made = _both_ways(folder, tmp_path)
    for label in made:
        made[label]["claim transactions"] = _claim_transactions(tmp_path / label)
    _same(made["alone"], made["cluster"])
    alone, clustered = made["alone"]["claim transactions"], made["cluster"]["claim transactions"]
    assert len(alone) >= 2 and clustered == alone


def _both_ways(folder: Path, root: Path) -> dict[str, dict[str, Any]]:
    """``folder`` ingested without a cluster (home ``root/alone``) and with ``local:2``
    (``root/cluster``): what each made."""
    made = {}
    for label, extra in (("alone", ()), ("cluster", ("--cluster", "local:2"))):
        home = root / label
        done = run_here(home, "ingest", str(folder), "--case", "c", "--quiet", *extra)
        assert done.returncode == 0, done.stderr
        made[label] = snapshot(home)
    return made


def _claim_transactions(home: Path) -> list[dict[str, int]]:
    """The rows each transaction of the claims stage wrote, table by table (how many), in
    order: the transactions after the first item was enriched."""
    from sqlalchemy import select

    from enquiry.store import open_store
    from enquiry.store.tables import CustodyEvent

    store = open_store(home, "tester")
    found: list[dict[str, int]] = []
    enriched = False
    with store.engine.connect() as connection:
        for action, details in connection.execute(
            select(CustodyEvent.action, CustodyEvent.details).order_by(CustodyEvent.seq)
        ):
            enriched = enriched or action == "enriched"
            if enriched and action == "recorded":
                rows = json.loads(details).get("rows", {})
                found.append({table: len(keys) for table, keys in rows.items()})
    store.engine.dispose()
    return found


def _feed(folder: Path, entries: int = 6) -> Path:
    folder.mkdir(parents=True)
    items = "".join(
        f"<item><title>Statement {n}</title><link>http://example.org/{n}</link>"
        f"<guid>s-{n}</guid><pubDate>Wed, {10 + n:02d} Apr 2017 10:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;The envoy number {n} said on Tuesday that the strike of"
        f' {n} April hit a depot.&lt;/p&gt;&lt;p&gt;"We reject the findings," the minister'
        f" told reporters.&lt;/p&gt;</description></item>"
        for n in range(entries)
    )
    (folder / "statements.rss").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Statements</title>{items}</channel></rss>",
        encoding="utf-8",
    )
    return folder


@pytest.mark.slow
def test_a_feeds_entries_are_read_on_the_cluster_as_here(tmp_path: Path) -> None:
    """A feed's entries are stored by the coordinator and read by the workers (all at once,
    not one reading process per entry): the catalogue is the one a run without a cluster
    makes, each entry a document with its text and claims, its link as origin."""
    folder = _feed(tmp_path / "in")
    made = _both_ways(folder, tmp_path)
    items = made["alone"]["items"]
    documents = [item for item in items.values() if item["texts"] and item["kind"] == "document"]
    assert len(documents) == 7  # the feed itself and its six entries
    assert sum(len(item["claims"]) for item in documents) >= 12
    for key in ("items", "item_events", "events", "recorded"):
        assert made["cluster"][key] == made["alone"][key], key
