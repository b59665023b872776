"""Full-text search with facets against the raw FTS5 query on the same index, in the same run.

A case of 10,000 text items is taken in once (in a temporary directory, or kept in
``--workdir`` to be reused), each a report of 120 words from a fixed vocabulary: every item
holds the word ``hospital``, one in ten ``sarin``. Then, alternately, for each query:

* baseline: the bare FTS5 ``MATCH`` of the same expression on the same ``search_index`` table,
  best first by the same bm25 weights, ``LIMIT 20`` (one page: the least any search can do);
* search: ``enquiry.app.search.search`` for the home's administrator, one page of 20 hits,
  with every facet counted over all the hits (what ``enquiry search --facets`` and the web
  API do).

Also timed, as a reference: the bare ``MATCH`` of every hit with its bm25 and date, the least
the facets must read. Reported per query: p50 and p95 of each over ``--repeats`` runs, and the
ratio of the p50s (search / baseline). Goal: p50 < 50 ms for a query that finds all 10,000
items. SQLite (the default back end) only. Usage:

    .venv/bin/python benchmarks/search.py [--items 10000] [--repeats 31] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlalchemy import TextClause, text

from enquiry.app import evidence, search
from enquiry.app.context import Enquiry
from enquiry.store.index import TABLE

CASE = "bench"
PAGE = 20
QUERIES = ("hospital", "sarin", "sarin OR w123", "")
GOAL_MS = 50.0


def build(workdir: Path, items: int) -> Enquiry:
    """A home with one case of ``items`` reports (made once: a home left in ``workdir`` by an
    earlier run of the same size is used again)."""
    home = workdir / f"home-{items}"
    app = Enquiry.at(home, "bench")
    if (home / "ready").exists():
        return app
    shutil.rmtree(home, ignore_errors=True)
    app = Enquiry.at(home, "bench")
    folder = workdir / f"reports-{items}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(1)
    vocabulary = [f"w{n}" for n in range(20_000)]
    for number in range(items):
        body = " ".join(rng.choice(vocabulary) for _ in range(120))
        extra = " sarin" if number % 10 == 0 else ""
        (folder / f"report-{number:05d}.txt").write_text(
            f"Report {number}: {body}{extra} hospital\n", encoding="utf-8"
        )
    start = time.perf_counter()
    report = evidence.add(app, [folder], case=CASE, jobs=2)
    assert not report.failed, report.summary()
    print(f"built: {items} items taken in in {time.perf_counter() - start:.1f} s")
    (home / "ready").write_text("", encoding="utf-8")
    return app


def raw_sql(query: str) -> tuple[str, str, dict[str, str]]:
    """The bare FTS5 queries for ``query``, with the same MATCH expression and bm25 weights as
    the search: one page of it (the baseline: the least any search can do), and every hit with
    its date (a reference: what the facets must at least read), nothing joined, nothing
    counted."""
    node = search.parse(query)
    if node is None:
        return (
            f"SELECT rowid FROM {TABLE} ORDER BY rowid LIMIT {PAGE}",
            f"SELECT rowid, date FROM {TABLE}",
            {},
        )
    match = f"FROM {TABLE} WHERE {TABLE} MATCH :q"
    return (
        f"SELECT rowid {match} ORDER BY {search.BM25} LIMIT {PAGE}",
        f"SELECT rowid, {search.BM25}, date {match}",
        {"q": search.to_fts5(node)},
    )


def _p50(times: list[float]) -> float:
    return statistics.median(times) * 1000


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=31)
    parser.add_argument("--workdir", type=Path, help="keep the home here, to reuse it")
    args = parser.parse_args()
    os.environ.pop("ENQUIRY_DB", None)
    temporary = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="enquiry-bench-search-")) if temporary else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        app = build(workdir, args.items)
        engine = app.store(create=False).engine
        print(f"p50 / p95 over {args.repeats} runs each, alternating; page of {PAGE}")
        print()
        print(
            "| query | found | baseline: raw FTS5 MATCH, bm25, LIMIT 20 | search with facets"
            " | ratio of p50s | goal p50 < 50 ms | reference: raw MATCH of every hit with its"
            " date |"
        )
        print("|---|---|---|---|---|---|---|")
        with engine.connect() as connection:
            for query in QUERIES:
                page_sql, every_sql, params = raw_sql(query)

                def bare(statement: TextClause, params: dict[str, str] = params) -> None:
                    connection.execute(statement, params).all()

                steps: dict[str, Callable[[], None]] = {
                    "baseline": partial(bare, text(page_sql)),
                    "search": partial(search.search, app, query, case=CASE, limit=PAGE),
                    "reference": partial(bare, text(every_sql)),
                }
                found = search.search(app, query, case=CASE, limit=PAGE).total
                runs: dict[str, list[float]] = {name: [] for name in steps}
                for run in steps.values():  # each once before the clock
                    run()
                for _ in range(args.repeats):
                    for name, run in steps.items():
                        start = time.perf_counter()
                        run()
                        runs[name].append(time.perf_counter() - start)
                base, mine = _p50(runs["baseline"]), _p50(runs["search"])
                goal = ("met" if mine < GOAL_MS else "not met") if found >= args.items else "—"
                print(
                    f"| `{query}` | {found:,} | {base:.1f} / {_p95(runs['baseline']):.1f} ms"
                    f" | {mine:.1f} / {_p95(runs['search']):.1f} ms | **{mine / base:.2f}**"
                    f" | {goal} | {_p50(runs['reference']):.1f} /"
                    f" {_p95(runs['reference']):.1f} ms |"
                )
    finally:
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
