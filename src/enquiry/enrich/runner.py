"""The one runner of enrichers: skip-if-done, writing, custody, progress, failure isolation.

Every processing stage over stored items goes through :func:`run_enrichers`, so none of them
repeats (or forgets) how an item is found to be done already, how its derived records are
written, which ledger event names the software that made them, how progress is reported, or
what happens when one item fails: that item is one problem line and the run goes on.

Each enriched item is written with one ledger event (the enricher's ``action``) whose details
name the enricher, its version and its inputs — what the records came from and how — so every
derived record can be traced back. Items are written in groups of :data:`WRITE_BATCH`, one
transaction per group: a group is in the catalogue whole or not at all.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import accumulate, islice
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, delete, insert, literal, select, update
from sqlalchemy.exc import DataError, IntegrityError

from enquiry.cluster import Cluster, ClusterUnavailable, Killed, ordered_map, worker_count
from enquiry.enrich.base import Enricher, Enrichment, StoredText, Target
from enquiry.errors import EnquiryError
from enquiry.progress import Progress, Silent, show_counts
from enquiry.store import Store
from enquiry.store.ledger import Head, LedgerWriter, state_digest, utc_now
from enquiry.store.protected import at_rest
from enquiry.store.tables import Claim, Embedding, Item, ItemFinding, ItemText, MediaHash
from enquiry.store.vault import Vault

PAGE = 500
T = TypeVar("T")
# Enriched items written per transaction: the transaction's fixed costs (taking the ledger's
# head, recording the rows it wrote, bringing the search index up to date, committing) are
# shared by the items of a group, and a group is small enough that an interrupted run loses
# little. Groups are cut by count, in the items' order, so a run on a cluster writes the same
# transactions as one on this machine.
WRITE_BATCH = 16


@dataclass
class Outcome:
    """What one enricher did with one item.

    ``status`` is ``enriched``, ``skipped`` (done before, at this version), ``not_accepted``
    (the enricher has nothing to say about such an item) or ``failed``. ``details`` are the
    ledger event's details of an enriched item; ``problems`` its problem lines, without the
    item's name.
    """

    enricher: str
    item_id: int
    status: str
    details: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    enrichment: Enrichment | None = None


@dataclass
class RunReport:
    """Every outcome of a run, enricher by enricher: first the items not accepted or skipped,
    then those enriched or failed, in the order they were done."""

    outcomes: list[Outcome] = field(default_factory=list)
    # Problem lines already shown in this run: two readers that find the same damage in one
    # item (the text reader and the OCR, both parsing a broken PDF) say it in the same words,
    # and the line is shown once; each reader's outcome still counts it.
    shown: set[str] = field(default_factory=set, repr=False)

    def say(self, progress: Progress, line: str) -> None:
        """Show a problem line, unless this run has shown the very same line already."""
        if line not in self.shown:
            self.shown.add(line)
            progress.problem(line)

    def of(self, enricher: str, status: str | None = None) -> list[Outcome]:
        """The outcomes of one enricher, optionally only those with ``status``."""
        return [
            o
            for o in self.outcomes
            if o.enricher == enricher and (status is None or o.status == status)
        ]

    @property
    def failed(self) -> list[Outcome]:
        """The items that could not be enriched, by any enricher."""
        return [o for o in self.outcomes if o.status == "failed"]


def run_enrichers(
    store: Store,
    item_ids: Sequence[int],
    enrichers: Sequence[Enricher],
    *,
    progress: Progress | None = None,
    force: bool = False,
    describe: Callable[[int], str] | None = None,
    cluster: Cluster | None = None,
) -> RunReport:
    """Run each enricher over the items it accepts, skipping those it has done (unless
    ``force``), writing what it derives with one ledger event per item under the store's actor.

    ``describe`` names an item in problem lines (default ``item N``); a caller that may show an
    item's name decides so there, since a protected item's name can be a witness's.

    With a ``cluster``, the enrichers' work (each batch of :meth:`Enricher.enrich_many`, with
    the originals it reads copied and verified on the worker from the shared vault) runs on
    its workers; the writing stays here, item by item in the same order as without it.
    """
    progress = progress or Silent()
    name_of = describe or (lambda item_id: f"item {item_id}")
    report = RunReport()
    wanted = list(dict.fromkeys(item_ids))
    for enricher in enrichers:
        _run_one(store, wanted, enricher, progress, force, name_of, report, cluster)
    return report


def pages(ids: Sequence[T], size: int = PAGE) -> Iterator[list[T]]:
    """Ids in pages, so no query names more of them than a database takes in one statement."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _run_one(
    store: Store,
    wanted: list[int],
    enricher: Enricher,
    progress: Progress,
    force: bool,
    name_of: Callable[[int], str],
    report: RunReport,
    cluster: Cluster | None = None,
) -> None:
    todo: list[int] = []
    # Encrypted items handed over without their bytes or text (a content_optional enricher).
    withheld: set[int] = set()
    with store.engine.connect() as connection:
        for page in pages(wanted):
            found = {
                row[0]: (row[1], row[2])
                for row in connection.execute(
                    select(Item.id, Item.media_type, Item.kind).where(Item.id.in_(page))
                )
            }
            # An encrypted (protected) item's bytes and text are never read by an enricher:
            # what it derived — claims, speakers, metadata — would lie in the catalogue in
            # the clear.
            reads_content = bool({"original", "text"} & set(enricher.reads))
            locked = set(at_rest(connection, page)) if reads_content else set()
            if enricher.content_optional:
                withheld |= locked
                locked = set()
            accepted = [
                i for i in page if i in found and i not in locked and enricher.accepts(*found[i])
            ]
            done = set() if force else enricher.done(connection, accepted)
            for item_id in page:
                if item_id in locked and item_id in found and enricher.accepts(*found[item_id]):
                    report.outcomes.append(Outcome(enricher.name, item_id, "encrypted"))
                    report.say(
                        progress,
                        f"{name_of(item_id)}: protected and stored encrypted;"
                        f" not read by {enricher.name}",
                    )
                elif item_id in found and item_id not in accepted:
                    report.outcomes.append(Outcome(enricher.name, item_id, "not_accepted"))
                elif item_id in done:
                    report.outcomes.append(Outcome(enricher.name, item_id, "skipped"))
                elif item_id in found:
                    todo.append(item_id)
    if not todo:
        return
    progress.start(enricher.name, total=len(todo), unit="item")
    counts = {"read": 0, "written": 0, "failed": 0} if cluster is not None else None
    loaded = _loaded_pages(store, enricher, todo, withheld)
    if cluster is not None:
        # One stream over every page, so the workers never wait for the last batch of a page
        # before the next page's are handed out.
        results = _on_cluster(store, enricher, loaded, len(todo), cluster)
    else:
        results = (
            result for targets, reads in loaded for result in _here(store, enricher, targets, reads)
        )
    # Where a page ends: a group is cut there too, so the transactions written are those of
    # a run page by page, whichever way the items were read.
    ends = set(accumulate(len(page) for page in pages(todo, PAGE)))
    group: list[tuple[Target, Enrichment | str]] = []
    carried = _Carried()
    try:
        try:
            for seen, result in enumerate(results, start=1):
                if counts is not None:
                    counts["read"] += 1
                    show_counts(progress, counts)
                group.append(result)
                if len(group) == WRITE_BATCH or seen in ends:
                    _settle(store, enricher, group, report, progress, name_of, counts, carried)
                    group = []
        except ClusterUnavailable:
            # What the workers finished before the scheduler went away is kept.
            if group:
                _settle(store, enricher, group, report, progress, name_of, counts, carried)
            raise
        if group:
            _settle(store, enricher, group, report, progress, name_of, counts, carried)
    finally:
        progress.finish()


def _loaded_pages(
    store: Store, enricher: Enricher, todo: list[int], withheld: set[int]
) -> Iterator[tuple[list[Target], dict[int, bool]]]:
    """Each page of ``todo`` as targets (with the text and claims the enricher reads) and
    whether each target's original is to be read, a page read from the catalogue only when
    the one before is handed out."""
    for page in pages(todo, PAGE):
        with store.engine.connect() as connection:
            rows = {
                row.id: row
                for row in connection.execute(select(Item.__table__).where(Item.id.in_(page)))
            }
            readable = [i for i in page if i not in withheld]
            texts = _texts(connection, readable) if "text" in enricher.reads else {}
            claims = _claims(connection, page) if "claims" in enricher.reads else {}
        targets = [_target(rows[i], None, texts.get(i), claims) for i in page]
        reads = {i: "original" in enricher.reads and i not in withheld for i in page}
        yield targets, reads


def _on_cluster(
    store: Store,
    enricher: Enricher,
    loaded: Iterable[tuple[list[Target], dict[int, bool]]],
    total: int,
    cluster: Cluster,
) -> Iterator[tuple[Target, Enrichment | str]]:
    """Each target with its enrichment (or the line saying why it failed), in order, the work
    done by the cluster's workers in batches (:func:`cluster_batches`)."""
    workers = worker_count(cluster.client)
    entries = ((target, reads[target.item_id]) for targets, reads in loaded for target in targets)
    batches = cluster_batches(entries, total, enricher.batch, workers)
    work = partial(_enrich_remotely, enricher, store.vault, store.home)
    # Twice as many batches on the cluster as the default: they are of unequal length (an
    # article is longer than another), and a worker that finished its own must find the next.
    for finished in ordered_map(cluster, work, batches, on_killed=_killed_batch, ahead=4 * workers):
        yield from finished


def _here(
    store: Store, enricher: Enricher, targets: list[Target], reads: dict[int, bool]
) -> Iterator[tuple[Target, Enrichment | str]]:
    """Each target with its enrichment (or the line saying why it failed), in order, the work
    done in this process, a batch of :meth:`Enricher.enrich_many` at a time."""
    for batch in pages(targets, max(1, enricher.batch)):
        done: dict[int, tuple[Target, Enrichment | str]] = {}
        with ExitStack() as stack:
            ready = []
            for target in batch:
                if reads[target.item_id]:
                    try:
                        original = stack.enter_context(verified_original(store, target.sha256))
                    except EnquiryError as exc:
                        done[target.item_id] = (target, str(exc))
                        continue
                    target = replace(target, original=original)
                ready.append(target)
            for target, result in _enrich(enricher, ready):
                done[target.item_id] = (replace(target, original=None), result)
        for target in batch:
            yield done[target.item_id]


def cluster_batches(
    entries: Iterable[T], total: int, largest: int, workers: int, smallest: int = 4
) -> Iterator[list[T]]:
    """``entries`` (``total`` of them) cut into batches for the cluster's workers, in order.

    A batch is the enricher's own (``largest``) while there is plenty left, then shrinks with
    what is left — a quarter of each worker's share of the rest, down to ``smallest`` — so
    every worker gets several batches and the last ones are short: the workers finish within
    a short batch of each other, rather than one idling while another reads a long last batch.
    """
    source = iter(entries)
    left = total
    while True:
        share = -(-left // (4 * max(1, workers)))
        size = max(1, min(largest, max(smallest, share)))
        batch = list(islice(source, size))
        if not batch:
            return
        left -= len(batch)
        yield batch


def _enrich_remotely(
    enricher: Enricher, vault: Vault, home: Path, batch: list[tuple[Target, bool]]
) -> list[tuple[Target, Enrichment | str]]:
    """On a cluster worker: one batch's enrichments, each target's original (when it is to be
    read) copied from the shared vault and checked against its SHA-256 there, as
    :func:`verified_original` does here; the targets come back without the copy's path."""
    from enquiry.cluster import allow_child_processes

    allow_child_processes()  # readers of originals run in limited child processes
    done: list[tuple[Target, Enrichment | str]] = []
    with ExitStack() as stack:
        targets = []
        for target, read in batch:
            if read:
                try:
                    original = stack.enter_context(verified_copy(vault, home, target.sha256))
                except EnquiryError as exc:
                    done.append((target, str(exc)))
                    continue
                target = replace(target, original=original)
            targets.append(target)
        for target, result in _enrich(enricher, targets):
            done.append((replace(target, original=None), result))
    return done


def _killed_batch(
    killed: Killed,
) -> (
    tuple[list[list[tuple[Target, bool]]], None]
    | tuple[None, list[tuple[Target, Enrichment | str]]]
):
    """A batch that kept killing cluster workers is tried item by item; an item that kills
    them on its own fails with one line."""
    batch: list[tuple[Target, bool]] = killed.task
    if len(batch) > 1:
        return [[entry] for entry in batch], None
    line: Enrichment | str = "the cluster workers enriching it kept dying; run it again"
    return None, [(target, line) for target, _read in batch]


def _target(
    row: Any,
    original: Path | None,
    text: StoredText | None,
    claims: dict[int, list[tuple[int, str]]],
) -> Target:
    return Target(
        item_id=row.id,
        case_id=row.case_id,
        kind=row.kind,
        media_type=row.media_type,
        sha256=row.sha256,
        fields=dict(row.fields or {}),
        meta=dict(row.metadata or {}),
        protected=bool(row.protected),
        original=original,
        text=text,
        claims=tuple(claims.get(row.id, ())),
    )


def _enrich(enricher: Enricher, targets: list[Target]) -> Iterator[tuple[Target, Enrichment | str]]:
    """Each target with its enrichment, or with the one line saying why it failed. A batch
    that raises is run again one target at a time, so only the item at fault fails."""
    if not targets:
        return
    try:
        results = list(enricher.enrich_many(targets))
    except Exception as exc:  # an enricher bug must cost one item, not the run
        if len(targets) > 1:
            for target in targets:
                yield from _enrich(enricher, [target])
            return
        yield targets[0], f"{enricher.name} failed ({type(exc).__name__}: {exc})"[:300]
        return
    yield from zip(targets, results, strict=True)


def _fail(
    report: RunReport,
    enricher: Enricher,
    item_id: int,
    line: str,
    progress: Progress,
    name_of: Callable[[int], str],
    problems: Sequence[str] = (),
) -> None:
    report.outcomes.append(
        Outcome(enricher.name, item_id, "failed", problems=list(problems) or [line])
    )
    for problem in list(problems) or [line]:
        report.say(progress, f"{name_of(item_id)}: {problem}")
    progress.advance()


@dataclass
class _Carried:
    """What one run's transactions pass on to the next (a case's actors, read once and kept
    up to date as speakers are added): reading a large case's actors again for every group cost
    the writer more than the group's own rows. Valid only while nothing else writes: the ledger
    head a transaction starts from must be the one the run's last transaction committed, since
    every change of the catalogue is a ledger event."""

    head: Head | None = None
    shared: dict[str, Any] = field(default_factory=dict)


def _settle(
    store: Store,
    enricher: Enricher,
    group: Sequence[tuple[Target, Enrichment | str]],
    report: RunReport,
    progress: Progress,
    name_of: Callable[[int], str],
    counts: dict[str, int] | None = None,
    carried: _Carried | None = None,
) -> None:
    """Write the enriched items of ``group`` in one transaction (one ledger event each, one
    record of the rows the transaction wrote), then report every item of it in order.

    If the database refuses a record, the transaction is rolled back and the group's items are
    written one per transaction, so that only the item at fault fails; whatever happens, a
    group is in the catalogue whole or not at all, and the next run does what is missing."""
    to_write = [
        (target, found)
        for target, found in group
        if not isinstance(found, str) and not found.failed
    ]
    written: dict[int, dict[str, Any] | str] = {}
    if to_write:
        try:
            written.update(_write_group(store, enricher, to_write, carried))
        except (DataError, IntegrityError) as exc:
            if len(to_write) == 1:
                written[to_write[0][0].item_id] = _refused(enricher, exc)
            else:
                for entry in to_write:
                    try:
                        written.update(_write_group(store, enricher, [entry]))
                    except (DataError, IntegrityError) as single:
                        written[entry[0].item_id] = _refused(enricher, single)
    for target, found in group:
        outcome = written.get(target.item_id)
        if isinstance(found, str):
            _fail(report, enricher, target.item_id, found, progress, name_of)
        elif found.failed:
            _fail(
                report,
                enricher,
                target.item_id,
                found.problems[0],
                progress,
                name_of,
                found.problems,
            )
        elif isinstance(outcome, str):
            _fail(report, enricher, target.item_id, outcome, progress, name_of)
        else:
            assert outcome is not None
            for problem in found.problems:
                report.say(progress, f"{name_of(target.item_id)}: {problem}")
            report.outcomes.append(
                Outcome(
                    enricher.name,
                    target.item_id,
                    "enriched",
                    details=outcome,
                    problems=list(found.problems),
                    enrichment=found,
                )
            )
            progress.advance()
        if counts is not None:
            counts[
                "failed"
                if isinstance(found, str) or found.failed or isinstance(outcome, str)
                else "written"
            ] += 1
    if counts is not None:
        show_counts(progress, counts)


def _write_group(
    store: Store,
    enricher: Enricher,
    group: Sequence[tuple[Target, Enrichment]],
    carried: _Carried | None = None,
) -> dict[int, dict[str, Any] | str]:
    """Write ``group`` in one transaction; each item's event details by its id."""
    details: dict[int, dict[str, Any] | str] = {}
    shared: dict[str, Any] = {}
    with store.writing() as (connection, writer):
        if carried is not None:
            if carried.head == writer.head:
                shared = carried.shared
            # Until this transaction commits, what it changes is nobody's to reuse.
            carried.head, carried.shared = None, {}
        for target, found in group:
            details[target.item_id] = write_enrichment(
                connection, writer, enricher, target, found, shared=shared
            )
    if carried is not None:
        carried.head, carried.shared = writer.head, shared
    return details


def _refused(enricher: Enricher, exc: DataError | IntegrityError) -> str:
    """The line for records the database refused (a value it cannot hold): they cost this item
    only, its transaction having been rolled back, so nothing of it is half-written."""
    return f"{enricher.name}: its records could not be stored ({type(exc.orig).__name__})"


def write_enrichment(
    connection: Connection,
    writer: LedgerWriter,
    enricher: Enricher,
    target: Target,
    found: Enrichment,
    *,
    shared: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write one item's derived records and the ledger event that vouches for them; return the
    event's details.

    ``shared`` is what the items written in one transaction may share (a case's actors, read
    once and kept up to date as each item adds to them); the runner passes it on to its next
    transaction only when nothing else has written in between (:class:`_Carried`)."""
    item_id = target.item_id
    details: dict[str, Any] = {
        **found.details,
        "enricher": enricher.name,
        "version": enricher.version,
        "inputs": found.inputs,
    }
    state_changed = False
    if found.text is not None:
        _write_text(connection, item_id, enricher.label, found.text)
        state_changed = True
    if found.metadata:
        meta = dict(target.meta)
        meta[enricher.name] = found.metadata
        connection.execute(update(Item).where(Item.id == item_id).values(meta=meta))
        state_changed = True
    if found.media_hashes is not None:
        details.update(_write_hashes(connection, item_id, found.media_hashes))
    if found.findings is not None:
        details["replaced"] = write_findings(
            connection, item_id, enricher.name, found.findings, replace=True
        )
        details["findings"] = len(found.findings)
        details["types"] = sorted({f["type"] for f in found.findings})
    if found.claims is not None:
        from enquiry.enrich.text.catalogue import write_claim_rows

        assert target.text is not None
        details.update(
            write_claim_rows(
                connection,
                target.case_id,
                item_id,
                found.claims,
                text_extractor=target.text.extractor,
                version=enricher.version,
                withhold_names=target.protected,
                actors=None if shared is None else shared.setdefault("actors", {}),
            )
        )
    if found.embeddings:
        # An item's text has one vector per model: a new one (of a new text) replaces it.
        for model in {r["model"] for r in found.embeddings if r.get("item_id") is not None}:
            connection.execute(
                delete(Embedding).where(
                    Embedding.item_id == item_id,
                    Embedding.claim_id.is_(None),
                    Embedding.model == model,
                )
            )
        connection.execute(
            insert(Embedding),
            [{"item_id": None, "claim_id": None, **row} for row in found.embeddings],
        )
    if state_changed:
        details.update(_state(connection, item_id))
    writer.append(
        enricher.action,
        case_id=target.case_id,
        item_id=item_id,
        details=details,
        item_changed=state_changed,
    )
    return details


def _write_text(connection: Connection, item_id: int, label: str, text: str) -> None:
    """The item's text from this extractor, replacing an earlier one of the same label."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    connection.execute(
        delete(ItemText).where(ItemText.item_id == item_id, ItemText.extractor == label)
    )
    connection.execute(
        insert(ItemText).values(item_id=item_id, extractor=label, text=text, sha256=digest)
    )


def _state(connection: Connection, item_id: int) -> dict[str, Any]:
    """The item's state and text digests as they now are, for the event to vouch for."""
    row = connection.execute(select(Item.__table__).where(Item.id == item_id)).one()
    mapping = dict(row._mapping)
    mapping["meta"] = mapping.pop("metadata")
    texts = dict(
        connection.execute(
            select(ItemText.extractor, ItemText.sha256).where(ItemText.item_id == item_id)
        ).all()
    )
    return {"state": state_digest(mapping), "texts": texts}


def _write_hashes(
    connection: Connection, item_id: int, entries: list[dict[str, Any]]
) -> dict[str, Any]:
    """Replace the item's hashes of the algorithms in ``entries``; say what was replaced."""
    algorithms = sorted({str(e.get("algorithm", "")) for e in entries})
    replaced = connection.execute(
        delete(MediaHash).where(MediaHash.item_id == item_id, MediaHash.algorithm.in_(algorithms))
    ).rowcount
    if entries:
        connection.execute(
            insert(MediaHash),
            [
                {
                    "item_id": item_id,
                    "algorithm": e.get("algorithm", ""),
                    "t": e.get("t"),
                    "hash": e.get("hash", ""),
                    "quality": e.get("quality"),
                    "data": e.get("data") or {},
                }
                for e in entries
            ],
        )
    by_algorithm: dict[str, int] = {}
    for e in entries:
        by_algorithm[str(e.get("algorithm", ""))] = (
            by_algorithm.get(str(e.get("algorithm", "")), 0) + 1
        )
    return {
        "count": len(entries),
        "by_algorithm": by_algorithm,
        "frames": sum(1 for e in entries if e.get("t") is not None),
        "replaced": int(replaced or 0),
    }


def write_findings(
    connection: Connection,
    item_id: int,
    enricher: str,
    findings: Sequence[dict[str, Any]],
    *,
    replace: bool,
) -> int:
    """Store findings (``{"type", "severity", "message", "inputs"}``) of an item; with
    ``replace``, the enricher's earlier findings on it go. Returns how many were replaced."""
    replaced = 0
    if replace:
        replaced = connection.execute(
            delete(ItemFinding).where(
                ItemFinding.item_id == item_id, ItemFinding.enricher == enricher
            )
        ).rowcount
    if findings:
        now = utc_now()
        connection.execute(
            insert(ItemFinding),
            [
                {
                    "item_id": item_id,
                    "type": f["type"],
                    "severity": f["severity"],
                    "message": f["message"],
                    "inputs": f["inputs"],
                    "enricher": enricher,
                    "created_at": now,
                }
                for f in findings
            ],
        )
    return int(replaced or 0)


def _texts(connection: Connection, item_ids: Sequence[int]) -> dict[int, StoredText]:
    """Each item's text: the OCR text when there is one (it stands for the whole document,
    its scanned pages read from their pixels), else the extracted text; the newest of each."""
    return _chosen(connection, item_ids, with_text=True)


def text_digests(connection: Connection, item_ids: Sequence[int]) -> dict[int, str]:
    """The SHA-256 of the text each item's text readers are given (see :func:`_texts`),
    without reading the texts themselves: what a stage that read it can be checked against."""
    return {i: t.sha256 for i, t in _chosen(connection, item_ids, with_text=False).items()}


def _chosen(
    connection: Connection, item_ids: Sequence[int], *, with_text: bool
) -> dict[int, StoredText]:
    body = ItemText.text if with_text else literal("")
    rows = connection.execute(
        select(ItemText.item_id, ItemText.extractor, body, ItemText.sha256)
        .where(
            ItemText.item_id.in_(list(item_ids)),
            ItemText.extractor.like("text/%") | ItemText.extractor.like("ocr/%"),
        )
        .order_by(ItemText.id)
    ).all()
    found: dict[int, StoredText] = {}
    for item_id, extractor, text, digest in rows:
        earlier = found.get(item_id)
        if earlier is None or not (
            earlier.extractor.startswith("ocr/") and not str(extractor).startswith("ocr/")
        ):
            found[item_id] = StoredText(str(extractor), str(text), str(digest))
    return found


def _claims(connection: Connection, item_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = {}
    rows = connection.execute(
        select(Claim.item_id, Claim.id, Claim.text)
        .where(Claim.item_id.in_(list(item_ids)))
        .order_by(Claim.id)
    ).all()
    for item_id, claim_id, text in rows:
        if item_id is not None:
            found.setdefault(int(item_id), []).append((int(claim_id), str(text)))
    return found


@contextmanager
def verified_original(store: Store, sha256: str | None) -> Iterator[Path]:
    """A private copy of a stored original whose bytes were checked against their SHA-256 while
    being copied; corrupt or missing bytes are refused, never handed to an enricher."""
    with verified_copy(store.vault, store.home, sha256) as target:
        yield target


@contextmanager
def verified_copy(vault: Vault, home: Path, sha256: str | None) -> Iterator[Path]:
    """A private copy, in a temporary folder under ``home``, of a blob of ``vault`` whose
    bytes were checked against their SHA-256 while being copied."""
    if not sha256:
        raise EnquiryError("the item has no stored original")
    with tempfile.TemporaryDirectory(prefix=".enrich-", dir=home) as folder:
        target = Path(folder) / sha256
        vault.copy_verified(sha256, target)
        yield target


__all__ = [
    "PAGE",
    "Outcome",
    "RunReport",
    "pages",
    "run_enrichers",
    "text_digests",
    "verified_copy",
    "verified_original",
    "write_enrichment",
    "write_findings",
]
