"""The enricher runner: skip-if-done, one ledger event per item naming the enricher, its version
and inputs, per-item failure isolation, verified reads of originals — and a file enricher that
is one class for intake and for stored items alike."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from enquiry.cli import main
from enquiry.enrich.base import Enricher, Enrichment, FileEnricher, Target
from enquiry.enrich.documents import DocumentText
from enquiry.enrich.photo import PhotoMetadata
from enquiry.enrich.runner import run_enrichers
from enquiry.intake.pipeline import IntakeOptions, add_paths
from enquiry.progress import Silent
from enquiry.store import Store, open_store
from enquiry.store.tables import CustodyEvent, Item, ItemFinding, ItemText


def _documents(tmp_path: Path, count: int) -> list[Path]:
    paths = []
    for number in range(count):
        path = tmp_path / f"note-{number}.txt"
        path.write_text(f"Note {number}: the convoy left at dawn.\n", encoding="utf-8")
        paths.append(path)
    return paths


def _add(store: Store, paths: Sequence[Path], extractors: Sequence[FileEnricher]) -> list[int]:
    options = IntakeOptions(case="c", progress=False, jobs=1)
    report = add_paths(store, list(paths), options, extractors)
    return [r.item_id for r in report.results if r.item_id is not None]


def _events(store: Store, action: str) -> list[CustodyEvent]:
    with store.session() as session:
        return list(
            session.scalars(
                select(CustodyEvent).where(CustodyEvent.action == action).order_by(CustodyEvent.seq)
            )
        )


def _verify(home: Path) -> None:
    result = CliRunner().invoke(main, ["--home", str(home), "verify"])
    assert result.exit_code == 0, result.output


def test_text_read_at_intake_is_done_and_force_reads_it_again(
    backend: str, home: Path, tmp_path: Path
) -> None:
    store = open_store(home, "tester")
    ids = _add(store, _documents(tmp_path, 2), [DocumentText()])
    progress = Silent()
    first = run_enrichers(store, ids, [DocumentText()], progress=progress)
    assert [o.status for o in first.outcomes] == ["skipped", "skipped"]
    assert _events(store, "enriched") == []
    again = run_enrichers(store, ids, [DocumentText()], progress=progress, force=True)
    assert [o.status for o in again.outcomes] == ["enriched", "enriched"]
    events = _events(store, "enriched")
    assert [e.item_id for e in events] == ids
    details = json.loads(events[0].details)
    with store.session() as session:
        sha = session.get(Item, ids[0]).sha256  # type: ignore[union-attr]
        texts = session.scalars(select(ItemText).where(ItemText.item_id == ids[0])).all()
    assert (details["enricher"], details["version"], details["inputs"]) == (
        "text",
        "1",
        {"sha256": sha},
    )
    # the text is replaced, not doubled, and the event vouches for it and the item's new state
    assert len(texts) == 1 and details["texts"] == {"text/1": texts[0].sha256}
    assert "state" in details
    assert progress.problems == []
    _verify(home)


class _Version2(DocumentText):
    version = "2"


def test_a_new_version_runs_again_and_the_same_version_is_skipped(
    home: Path, tmp_path: Path
) -> None:
    store = open_store(home, "tester")
    ids = _add(store, _documents(tmp_path, 1), [DocumentText()])
    assert run_enrichers(store, ids, [_Version2()]).outcomes[0].status == "enriched"
    assert run_enrichers(store, ids, [_Version2()]).outcomes[0].status == "skipped"
    with store.session() as session:
        labels = sorted(session.scalars(select(ItemText.extractor)))
    assert labels == ["text/1", "text/2"]
    _verify(home)


class _Fragile(Enricher):
    """Fails on the item whose text mentions "2", in a batch or alone."""

    name = "fragile"
    version = "1"
    reads = frozenset({"text"})
    batch = 4

    def accepts(self, media_type: str, kind: str) -> bool:
        return kind == "document"

    def enrich(self, target: Target) -> Enrichment:
        assert target.text is not None
        if "Note 2" in target.text.text:
            raise ValueError("cannot cope")
        return Enrichment(findings=[], inputs={"text_sha256": target.text.sha256})

    def enrich_many(self, targets: Sequence[Target]) -> Iterator[Enrichment]:
        return iter([self.enrich(target) for target in targets])


def test_one_failing_item_is_one_problem_line_and_the_run_goes_on(
    home: Path, tmp_path: Path
) -> None:
    store = open_store(home, "tester")
    ids = _add(store, _documents(tmp_path, 5), [DocumentText()])
    progress = Silent()
    report = run_enrichers(
        store, ids, [_Fragile()], progress=progress, describe=lambda i: f"document {i}"
    )
    statuses = {o.item_id: o.status for o in report.outcomes}
    assert statuses == {i: ("failed" if i == ids[2] else "enriched") for i in ids}
    assert progress.problems == [f"document {ids[2]}: fragile failed (ValueError: cannot cope)"]
    assert {e.item_id for e in _events(store, "enriched")} == set(ids) - {ids[2]}
    # the failed item is not done: the next run tries it again, and only it
    again = run_enrichers(store, ids, [_Fragile()], progress=Silent())
    assert [o.status for o in again.outcomes if o.status != "skipped"] == ["failed"]


def test_corrupt_original_is_refused_and_the_others_are_read(home: Path, tmp_path: Path) -> None:
    store = open_store(home, "tester")
    ids = _add(store, _documents(tmp_path, 3), [])
    with store.session() as session:
        sha = str(session.get(Item, ids[1]).sha256)  # type: ignore[union-attr]
    blob = store.vault.path(sha)
    blob.chmod(0o644)
    blob.write_bytes(b"Note 1: the convoy never left.\n")
    progress = Silent()
    report = run_enrichers(store, ids, [DocumentText()], progress=progress)
    assert [o.status for o in report.outcomes] == ["enriched", "failed", "enriched"]
    assert len(progress.problems) == 1
    assert progress.problems[0].startswith(f"item {ids[1]}: blob {sha[:12]} is corrupt")
    with store.session() as session:
        read = set(session.scalars(select(ItemText.item_id)))
    assert read == {ids[0], ids[2]}


def test_file_enricher_gives_intake_and_stored_items_the_same_reading(
    backend: str, home: Path, tmp_path: Path
) -> None:
    from PIL import Image

    from enquiry.enrich.media import samples

    for name in ("coffee", "rocket"):
        Image.fromarray(samples.photo(name)).save(tmp_path / f"{name}.jpg", quality=90)
    store = open_store(home, "tester")
    at_intake = _add(store, [tmp_path / "coffee.jpg"], [PhotoMetadata()])
    later = _add(store, [tmp_path / "rocket.jpg"], [])
    report = run_enrichers(store, at_intake + later, [PhotoMetadata()])
    # the item read at intake has its reading; the item taken in without it is read now
    assert [o.status for o in report.outcomes] == ["skipped", "enriched"]
    with store.session() as session:
        items = {i: session.get(Item, i) for i in at_intake + later}
    metas = {i: item.meta for i, item in items.items() if item is not None}
    assert set(metas[at_intake[0]]["photo"]) == set(metas[later[0]]["photo"])
    assert metas[later[0]]["photo"]["width"] == 640
    _verify(home)


class _Dangling(Enricher):
    """Derives a vector for a claim that does not exist, for the item whose text says "1"."""

    name = "dangling"
    version = "1"
    action = "derived"
    reads = frozenset({"text"})

    def accepts(self, media_type: str, kind: str) -> bool:
        return True

    def enrich(self, target: Target) -> Enrichment:
        assert target.text is not None
        if "Note 1" in target.text.text:
            return Enrichment(embeddings=[{"claim_id": 999, "model": "m", "vector": b"\0"}])
        return Enrichment(findings=[])


def test_records_the_database_refuses_cost_one_item(
    backend: str, home: Path, tmp_path: Path
) -> None:
    store = open_store(home, "tester")
    ids = _add(store, _documents(tmp_path, 3), [DocumentText()])
    progress = Silent()
    report = run_enrichers(store, ids, [_Dangling()], progress=progress)
    assert [o.status for o in report.outcomes] == ["enriched", "failed", "enriched"]
    [line] = progress.problems
    assert line.startswith(f"item {ids[1]}: dangling: its records could not be stored (")
    assert {e.item_id for e in _events(store, "derived")} == {ids[0], ids[2]}
    _verify(home)


class _Recorder:
    """Progress that keeps every call, to see what the runner reports."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def start(self, stage: str, total: int | None = None, unit: str = "item") -> None:
        self.calls.append(("start", (stage, total, unit)))

    def advance(self, amount: int = 1) -> None:
        self.calls.append(("advance", amount))

    def problem(self, line: str) -> None:
        self.calls.append(("problem", line))

    def finish(self) -> None:
        self.calls.append(("finish", None))


def test_progress_is_one_stage_per_enricher_over_the_items_to_do(
    home: Path, tmp_path: Path
) -> None:
    store = open_store(home, "tester")
    ids = _add(store, _documents(tmp_path, 4), [DocumentText()])
    progress = _Recorder()
    run_enrichers(store, ids, [DocumentText(), _Fragile()], progress=progress)
    # text is done for all four (read at intake): no stage; the fragile one does four
    assert progress.calls[0] == ("start", ("fragile", 4, "item"))
    assert [name for name, _ in progress.calls].count("advance") == 4
    assert ("problem", f"item {ids[2]}: fragile failed (ValueError: cannot cope)") in progress.calls
    assert progress.calls[-1] == ("finish", None)


class _RefusedAt(Enricher):
    """Writes a finding for every item, and a vector for a claim that does not exist for the
    item whose text begins "Note N:"."""

    name = "refused-at"
    version = "1"
    action = "derived"
    reads = frozenset({"text"})

    def __init__(self, number: int) -> None:
        self.number = number

    def accepts(self, media_type: str, kind: str) -> bool:
        return True

    def enrich(self, target: Target) -> Enrichment:
        assert target.text is not None
        if target.text.text.startswith(f"Note {self.number}:"):
            return Enrichment(embeddings=[{"claim_id": 999, "model": "m", "vector": b"\0"}])
        finding = {"type": "seen", "severity": "info", "message": "read", "inputs": {}}
        return Enrichment(findings=[finding])


def _transactions(store: Store) -> list[list[int | None]]:
    """The items of the "derived" events of each transaction (each ends with "recorded")."""
    groups: list[list[int | None]] = [[]]
    with store.session() as session:
        for event in session.scalars(
            select(CustodyEvent)
            .where(CustodyEvent.action.in_(["derived", "recorded"]))
            .order_by(CustodyEvent.seq)
        ):
            if event.action == "recorded":
                groups.append([])
            else:
                groups[-1].append(event.item_id)
    return [group for group in groups if group]


def test_items_are_written_sixteen_to_a_transaction_and_a_refused_one_costs_itself_only(
    backend: str, home: Path, tmp_path: Path
) -> None:
    store = open_store(home, "tester")
    ids = _add(store, _documents(tmp_path, 18), [DocumentText()])
    assert len(ids) == 18
    progress = Silent()
    report = run_enrichers(store, ids, [_RefusedAt(17)], progress=progress)
    assert [o.item_id for o in report.outcomes] == ids
    assert [o.status for o in report.outcomes] == ["enriched"] * 17 + ["failed"]
    [line] = progress.problems
    assert line.startswith(f"item {ids[17]}: refused-at: its records could not be stored (")
    # The first sixteen in one transaction; the second group was refused as a whole, rolled
    # back, and written again item by item: the one at fault left nothing behind.
    assert _transactions(store) == [ids[:16], [ids[16]]]
    with store.engine.connect() as connection:
        found = set(connection.execute(select(ItemFinding.item_id)).scalars())
    assert found == set(ids[:17])
    _verify(home)
    # Run again: only the refused item is tried, and refused again.
    again = run_enrichers(store, ids, [_RefusedAt(17)], progress=Silent())
    assert [o.status for o in again.outcomes if o.status != "skipped"] == ["failed"]
