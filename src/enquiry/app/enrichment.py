"""Enrichment again: every enricher run over items already in the store.

Intake reads each file as it arrives (text, photo and video metadata, perceptual hashes, OCR)
and ``ingest`` reads claims; ``enquiry enrich`` runs all of them again over chosen items (after
a model or a reader was updated, or on items taken in by ``add`` that were never read for
claims), in the order each needs the one before: the file readers, then claims from the text,
then vectors of the claims and text, then the metadata checks. Each enricher skips the items it
has already done, by its own rule (:meth:`~enquiry.enrich.base.Enricher.done`), unless
``force``; every record it writes comes with its ledger event, through
:func:`enquiry.enrich.runner.run_enrichers`. With a cluster, the reading runs on its workers and
the writing here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from enquiry.app.access import require_admin
from enquiry.app.context import Enquiry
from enquiry.app.lookup import find_case, find_item
from enquiry.app.protection import shown_name
from enquiry.cluster import chosen_address, cluster_for
from enquiry.enrich.base import Enricher
from enquiry.enrich.runner import RunReport, pages, run_enrichers
from enquiry.errors import BadRequest
from enquiry.intake.walk import printable
from enquiry.progress import Progress, Silent
from enquiry.store import Store
from enquiry.store.tables import Item


def all_enrichers() -> list[Enricher]:
    """Every enricher, in the order their inputs are made: file readers (text first), claims
    (from the text), vectors (of claims and text), metadata checks (of what was read)."""
    from enquiry.enrich import default_extractors
    from enquiry.enrich.media.consistency import ConsistencyEnricher
    from enquiry.enrich.text.enrichers import ClaimsEnricher, EmbeddingsEnricher

    readers: list[Enricher] = [e for e in default_extractors() if isinstance(e, Enricher)]
    return [*readers, ClaimsEnricher(), EmbeddingsEnricher(), ConsistencyEnricher()]


@dataclass(frozen=True)
class EnricherCounts:
    """What one enricher did: items enriched, skipped (done before), failed, not its kind."""

    name: str
    enriched: int
    skipped: int
    failed: int
    not_accepted: int


@dataclass(frozen=True)
class EnrichReport:
    """What ``enrich`` did, enricher by enricher, over how many items."""

    items: int
    enrichers: list[EnricherCounts]
    run: RunReport = field(repr=False)

    @property
    def failed(self) -> bool:
        return bool(self.run.failed)


def _chosen(store: Store, refs: Sequence[str], everything: bool, case: str | None) -> list[int]:
    """The items named (every one must exist), or every item (of ``case``) with ``--all``."""
    if bool(refs) == everything:
        raise BadRequest("enrich: name ITEM... or give --all (not both)")
    with store.session() as session:
        case_id = find_case(session, case).id if case else None
        if refs:
            items = [find_item(session, ref) for ref in refs]
            if case_id is not None:
                for ref, item in zip(refs, items, strict=True):
                    if item.case_id != case_id:
                        raise BadRequest(f"item '{ref}': not in case '{case}'")
            return list(dict.fromkeys(item.id for item in items))
        query = select(Item.id).where(Item.sha256.is_not(None)).order_by(Item.id)
        if case_id is not None:
            query = query.where(Item.case_id == case_id)
        return [int(i) for i in session.scalars(query)]


def enrich_items(
    app: Enquiry,
    refs: Sequence[str] = (),
    *,
    everything: bool = False,
    case: str | None = None,
    force: bool = False,
    cluster: str | None = None,
    progress: Progress | None = None,
    enrichers: Sequence[Enricher] | None = None,
) -> EnrichReport:
    """Run every enricher (or ``enrichers``) over the items named in ``refs``, or over every
    item (of ``case``) with ``everything``; each skips what it has done unless ``force``.

    Only the administrator runs it, as ``media hash`` and ``ingest``: it rewrites derived
    records of any case. A named item that does not exist is refused before anything runs.
    ``cluster`` (else ``ENQUIRY_CLUSTER``) names a Dask cluster whose workers do the reading.
    """
    require_admin(app, "enrich")
    address = chosen_address(cluster)
    store = app.store(create=False)
    item_ids = _chosen(store, refs, everything, case)
    names: dict[int, str] = {}
    with store.session() as session:
        for page in pages(item_ids):
            for item in session.scalars(select(Item).where(Item.id.in_(page))):
                names[item.id] = printable(shown_name(item, reveal=False))
    chosen = list(enrichers) if enrichers is not None else all_enrichers()
    progress = progress or Silent()
    with cluster_for(address, progress.problem) as on:
        run = run_enrichers(
            store,
            item_ids,
            chosen,
            progress=progress,
            force=force,
            describe=lambda item_id: f"item {item_id}: {names.get(item_id, '')}",
            cluster=on,
        )
    return EnrichReport(
        items=len(item_ids),
        enrichers=[
            EnricherCounts(
                e.name,
                len(run.of(e.name, "enriched")),
                len(run.of(e.name, "skipped")),
                len(run.of(e.name, "failed")),
                len(run.of(e.name, "not_accepted")),
            )
            for e in chosen
        ],
        run=run,
    )


__all__ = ["EnrichReport", "EnricherCounts", "all_enrichers", "enrich_items"]
