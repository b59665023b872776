"""OCR on request: read the text of stored scans and pictures of documents, then their claims.

Intake already reads image-only PDF pages and images that look like pages; this service is for
an item someone asks to have read — a photograph intake judged not to be a page, a document in
another language than the one detected, a scan read before Tesseract was installed. The item's
original is read through a verified copy, under the decoders' limits, by the same enricher
intake runs (:class:`~enquiry.enrich.ocr.OcrText`), and its text is stored beside any earlier
one with an ``enriched`` event naming the engine, its version and the languages. A document or
statement whose OCR text is new has its claims read from it as ``enquiry ingest`` would.
A protected item's arrival name is never shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from enquiry.app.access import require_admin
from enquiry.app.context import Enquiry
from enquiry.app.lookup import find_item
from enquiry.app.protection import shown_name
from enquiry.enrich.ocr import OcrText, check_languages, unavailable
from enquiry.enrich.runner import run_enrichers
from enquiry.enrich.text.catalogue import CLAIM_KINDS
from enquiry.errors import BadRequest, EnquiryError
from enquiry.intake.walk import printable
from enquiry.progress import Progress, Silent


@dataclass(frozen=True)
class ReadItem:
    """One item read: its shown name, and what the engine found (words, their mean confidence
    0–100, characters kept, the languages used, the pages read from pixels)."""

    item_id: int
    name: str
    words: int
    confidence: float
    chars: int
    languages: str
    pages: list[int]
    claims: int | None


@dataclass(frozen=True)
class OcrReport:
    """What ``enquiry ocr`` did: items read, items that are not pictures or PDFs (with their
    media type), items that failed (with the reason), and problem lines."""

    read: list[ReadItem]
    not_readable: list[tuple[int, str, str]]
    failed: list[tuple[int, str, str]]


def ocr_items(
    app: Enquiry,
    refs: Sequence[str],
    *,
    languages: str | None = None,
    claims: bool = True,
    progress: Progress | None = None,
) -> OcrReport:
    """Read the named items' text from their pixels (every image, however unlike a page; the
    scanned pages of a PDF), replacing an earlier OCR text of the same version; then, with
    ``claims``, read the claims of documents and statements that have none yet.

    ``languages`` (``eng``, ``rus+eng``, …) fixes the languages; by default they are chosen by
    the script of the first page.
    """
    require_admin(app, "ocr")
    if not refs:
        raise BadRequest("name at least one item to read (a number or a SHA-256 prefix)")
    why = unavailable()
    if why:
        raise EnquiryError(why)
    if languages is not None:
        problem = check_languages(languages)
        if problem:
            raise BadRequest(f"--lang: {problem}")
    progress = progress or Silent()
    store = app.store(create=False)
    with store.session() as session:
        items = [find_item(session, ref) for ref in refs]
        names = {item.id: printable(shown_name(item, reveal=False)) for item in items}
        types = {item.id: (item.media_type, item.kind) for item in items}
    item_ids = list(dict.fromkeys(names))
    # No text reader runs here: a damaged, encrypted or empty PDF is the OCR's to name.
    enricher = OcrText(languages, insist=True, alone=True)
    run = run_enrichers(
        store,
        item_ids,
        [enricher],
        progress=progress,
        force=True,
        describe=lambda item_id: f"item {item_id}: {names.get(item_id, '')}",
    )
    read = run.of(enricher.name, "enriched")
    counted: dict[int, int] = {}
    texted = [
        o.item_id
        for o in read
        if o.enrichment is not None
        and (o.enrichment.text or "").strip()  # a blank scan has no claims to read
        and types[o.item_id][1] in CLAIM_KINDS
    ]
    if claims and texted:
        from enquiry.enrich.text.enrichers import ClaimsEnricher

        found = run_enrichers(
            store,
            texted,
            [ClaimsEnricher()],
            progress=progress,
            describe=lambda item_id: f"item {item_id}: {names.get(item_id, '')}",
        )
        for outcome in found.of("claims", "enriched"):
            counted[outcome.item_id] = int(outcome.details.get("claims", 0))
    report = OcrReport(read=[], not_readable=[], failed=[])
    for outcome in run.of(enricher.name, "not_accepted"):
        report.not_readable.append(
            (outcome.item_id, names[outcome.item_id], types[outcome.item_id][0])
        )
    for outcome in run.of(enricher.name, "failed"):
        report.failed.append((outcome.item_id, names[outcome.item_id], "; ".join(outcome.problems)))
    # An encrypted item was asked for and not read: the request failed for it (the runner has
    # already said why, naming the item by its number).
    for outcome in run.of(enricher.name, "encrypted"):
        report.failed.append((outcome.item_id, names[outcome.item_id], "protected and encrypted"))
    for outcome in read:
        meta = outcome.enrichment.metadata if outcome.enrichment else {}
        text = outcome.enrichment.text if outcome.enrichment else None
        report.read.append(
            ReadItem(
                item_id=outcome.item_id,
                name=names[outcome.item_id],
                words=int(meta.get("words", 0)),
                confidence=float(meta.get("confidence", 0.0)),
                chars=len(text or ""),
                languages=str(meta.get("languages") or ""),
                pages=list(meta.get("pages_ocr") or []),
                claims=counted.get(outcome.item_id),
            )
        )
    return report


__all__ = ["OcrReport", "ReadItem", "ocr_items"]
