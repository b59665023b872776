"""The claims writer reads a case's actors once per run, not once per transaction — and again
whenever anything else wrote to the catalogue in between, since its copy could then be stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from enquiry.cli import main
from enquiry.enrich import runner
from enquiry.enrich.text import catalogue
from enquiry.store import open_store
from enquiry.store.tables import Actor, Claim


def _articles(folder: Path, count: int = 5) -> Path:
    folder.mkdir()
    for number in range(count):
        (folder / f"article-{number}.txt").write_text(
            f"Foreign Minister Ivan Petrov said on Monday that the strike of {number + 2} April"
            ' hit a depot. "We reject the findings," Petrov told reporters.\n\n'
            f"Envoy Maria Lopez said that the samples of site {number} were taken in the town."
            f" The agency of report {number} said the convoy had left.\n",
            encoding="utf-8",
        )
    return folder


def _ingest(home: Path, folder: Path) -> None:
    done = CliRunner().invoke(
        main, ["--home", str(home), "ingest", str(folder), "--case", "c", "--quiet"]
    )
    assert done.exit_code == 0, done.output


def _made(home: Path) -> tuple[list[Any], list[Any]]:
    store = open_store(home, "tester")
    with store.engine.connect() as connection:
        actors = connection.execute(
            select(Actor.id, Actor.name, Actor.type, Actor.aliases).order_by(Actor.id)
        ).all()
        claims = connection.execute(
            select(Claim.item_id, Claim.actor_id, Claim.text, Claim.start).order_by(Claim.id)
        ).all()
    return [tuple(a) for a in actors], [tuple(c) for c in claims]


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = catalogue.load_index

    def load_index(connection: Any, case_id: int) -> Any:
        calls.append(case_id)
        return real(connection, case_id)

    monkeypatch.setattr(catalogue, "load_index", load_index)
    return calls


def test_actors_read_once_per_run_give_what_reading_them_each_time_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _articles(tmp_path / "in")
    _ingest(tmp_path / "together", folder)  # one transaction for all five documents
    monkeypatch.setattr(runner, "WRITE_BATCH", 1)
    calls = _counting(monkeypatch)
    _ingest(tmp_path / "apart", folder)  # one transaction each
    assert len(calls) == 1  # read once, kept up to date through five transactions
    actors, claims = _made(tmp_path / "apart")
    assert len(actors) >= 2 and len(claims) >= 10
    assert (actors, claims) == _made(tmp_path / "together")


def test_actors_are_read_again_after_anything_else_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _articles(tmp_path / "in")
    monkeypatch.setattr(runner, "WRITE_BATCH", 1)
    calls = _counting(monkeypatch)
    real = runner._write_group
    groups: list[int] = []

    def write_group(store: Any, *args: Any) -> Any:
        written = real(store, *args)
        groups.append(len(groups))
        if len(groups) == 2:  # someone else writes between the second and third transaction
            with store.writing() as (_connection, writer):
                writer.append("accessed", details={"by": "another analyst"})
        return written

    monkeypatch.setattr(runner, "_write_group", write_group)
    _ingest(tmp_path / "home", folder)
    assert len(groups) == 5
    assert len(calls) == 2  # once at the start, once after the other write
