"""Shared by the cluster tests: a small mixed corpus, the enquiry command, a catalogue snapshot.

The snapshot is what must be the same whether the reading ran on a cluster or not: every item
(hash, kind, media type, fields, metadata, texts, media hashes, claims) and every ledger event
(action, the item's hash, details) in order, without what only records when it happened (event
times and sequence numbers, row creation times, and the state digests that cover them).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import func, select

from enquiry.cli import main
from enquiry.store import open_store
from enquiry.store.tables import Claim, CustodyEvent, Item, ItemOrigin, ItemText, MediaHash

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "foundation"))
import samples

ENQUIRY = [sys.executable, "-m", "enquiry.cli"]

ARTICLES = [
    "GENEVA, 12 March 2019 (Reuters) - The Syrian foreign ministry said on Tuesday that no"
    " chemical weapons had been used in Douma. The United States ambassador told the Security"
    " Council that the attack had killed dozens of civilians. Witnesses said helicopters dropped"
    " two cylinders on the building shortly after 7 p.m.",
    "MOSCOW, 7 April 2017 - The Russian Defence Ministry said on Wednesday that Syrian aircraft"
    " had struck a warehouse on the eastern outskirts of Khan Shaykhun. A spokesman, Igor"
    " Konashenkov, said the depot held munitions for fighters in Iraq. Doctors in the town said"
    " they had treated more than 300 people.",
    "THE HAGUE, 1 July 2018 - The OPCW said on Friday that its fact-finding mission had found"
    " chlorine at the site. The director-general told reporters that the samples were collected"
    " within days. The Syrian government said the findings were fabricated.",
]


def corpus(folder: Path, articles: int = 3) -> Path:
    """Photos, a short video, a PDF, a news page and news-like articles, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for index, taken in enumerate(
        ["2017:04:04 06:52:10", "2018:04:07 19:30:00", "2019:03:12 08:00:00"]
    ):
        samples.jpeg_with_exif(folder / f"photo-{index}.jpg", taken=taken, lat=35.0 + index)
    samples.mp4(folder / "clip.mp4", seconds=1.0)
    samples.pdf(folder / "report.pdf")
    samples.html(folder / "page.html")
    for index in range(articles):
        (folder / f"article-{index}.txt").write_text(
            ARTICLES[index % len(ARTICLES)] + f" (Story {index}.)\n", encoding="utf-8"
        )
    return folder


def enquiry(
    home: Path, *args: str, timeout: float = 240, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The enquiry command on ``home``, as a user runs it."""
    environment = {**os.environ, "ENQUIRY_HOME": str(home), **(env or {})}
    environment.pop("ENQUIRY_CLUSTER", None)
    return subprocess.run(
        [*ENQUIRY, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        check=False,
    )


@dataclass(frozen=True)
class Done:
    """What a command run in this process left: its status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def run_here(home: Path, *args: str, env: dict[str, str] | None = None) -> Done:
    """The enquiry command on ``home``, run by its click entry point in this process.

    The same command a user types, without starting a Python for it: the models it loads stay
    loaded for the next test. :func:`enquiry` runs it as its own process where that matters (a
    process to kill, a cluster the command starts and stops itself)."""
    environment: dict[str, str | None] = {"ENQUIRY_CLUSTER": None, **(env or {})}
    done = CliRunner().invoke(main, ["--home", str(home), *args], env=environment)
    stderr = done.stderr
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        stderr += "".join(traceback.format_exception(done.exception))
    return Done(done.exit_code, done.stdout, stderr)


@contextlib.contextmanager
def running_scheduler(workers: int = 2) -> Iterator[str]:
    """A Dask scheduler with ``workers`` single-threaded worker processes, as a team starts one,
    for ``--cluster tcp://…``: several commands share it, as several runs of a team share theirs
    (its workers keep the models they loaded)."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=50,
    ) as cluster:
        yield str(cluster.scheduler_address)


_TIMES = {"at", "created_at", "state", "seq", "event_seq"}


def _timeless(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _timeless(v) for k, v in value.items() if k not in _TIMES}
    if isinstance(value, list):
        return [_timeless(v) for v in value]
    return value


def snapshot(home: Path) -> dict[str, Any]:
    """The catalogue and ledger of ``home``, item by item, without times and sequence."""
    store = open_store(home, "tester")
    with store.engine.connect() as connection:
        sha_of = {int(i): str(s) for i, s in connection.execute(select(Item.id, Item.sha256))}
        items: dict[str, Any] = {}
        for row in connection.execute(select(Item.__table__).order_by(Item.id)):
            texts = connection.execute(
                select(ItemText.extractor, ItemText.text, ItemText.sha256)
                .where(ItemText.item_id == row.id)
                .order_by(ItemText.extractor)
            ).all()
            hashes = connection.execute(
                select(MediaHash.algorithm, MediaHash.t, MediaHash.hash, MediaHash.quality)
                .where(MediaHash.item_id == row.id)
                .order_by(MediaHash.algorithm, MediaHash.t, MediaHash.hash)
            ).all()
            claims = connection.execute(
                select(Claim.text, Claim.start, Claim.end, Claim.cue, Claim.date, Claim.slots)
                .where(Claim.item_id == row.id)
                .order_by(Claim.start, Claim.end)
            ).all()
            items[str(row.sha256)] = {
                "kind": row.kind,
                "media_type": row.media_type,
                "name": row.original_name,
                "fields": row.fields,
                "metadata": _timeless(row.metadata),
                "texts": [tuple(t) for t in texts],
                "hashes": [tuple(h) for h in hashes],
                "claims": [
                    (c[0], c[1], c[2], c[3], c[4], json.dumps(c[5], sort_keys=True)) for c in claims
                ],
            }
        # Events about items, item by item in order; other events in order; and which rows the
        # "recorded" events (one per transaction, vouching for the rows it wrote) cover: how
        # rows fall into transactions depends on timing, which rows are covered does not.
        by_item: dict[str, list[Any]] = {}
        others: list[Any] = []
        recorded: dict[str, set[str]] = {}
        for event in connection.execute(select(CustodyEvent).order_by(CustodyEvent.seq)):
            details = json.loads(event.details)
            if event.action == "recorded":
                for table, rows in details.get("rows", {}).items():
                    recorded.setdefault(table, set()).update(rows)
                continue
            entry = (event.action, _timeless(details))
            if event.item_id is not None:
                by_item.setdefault(sha_of[int(event.item_id)], []).append(entry)
            else:
                others.append(entry)
    store.engine.dispose()
    return {"items": items, "item_events": by_item, "events": others, "recorded": recorded}


def counts(home: Path) -> tuple[int, int]:
    """How many items and arrival records the home holds (a re-run must add neither)."""
    store = open_store(home, "tester")
    with store.engine.connect() as connection:
        items = connection.execute(select(func.count()).select_from(Item)).scalar_one()
        origins = connection.execute(select(func.count()).select_from(ItemOrigin)).scalar_one()
    store.engine.dispose()
    return int(items), int(origins)


def clean(home: Path) -> None:
    """The home verifies: whatever the fault, the custody record holds."""
    from enquiry.store.verify import verify

    report = verify(open_store(home, "tester"))
    assert report.intact, report.failures
