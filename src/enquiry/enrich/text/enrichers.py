"""The text enrichers: claims read from a document's text, and vectors of those claims.

Both run through :func:`enquiry.enrich.runner.run_enrichers`; text extraction itself is
:class:`enquiry.enrich.documents.DocumentText`, which intake also runs on arrival.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from enquiry.enrich.base import Enricher, Enrichment, Target
from enquiry.enrich.text.catalogue import CLAIM_KINDS, claim_text, cues_digest
from enquiry.enrich.text.dates import document_date
from enquiry.intake.feeds import FEED_TYPES
from enquiry.store.tables import Claim, CustodyEvent, Embedding

if TYPE_CHECKING:
    # spaCy is imported when the pipeline is first needed, not with this module.
    from enquiry.enrich.text.claims import ClaimExtractor


def document_anchor(fields: dict[str, Any], meta: dict[str, Any], text: str) -> dt.date | None:
    """The date a document speaks from: its stated or published date, its metadata's date, or
    its dateline — the anchor for "on Tuesday"."""
    for value in (
        fields.get("stated_at"),
        fields.get("published_at"),
        (meta.get("text") or {}).get("date"),
    ):
        if value:
            found = document_date("", str(value))
            if found:
                return found
    return document_date(text)


class ClaimsEnricher(Enricher):
    """Who said what, when: attributions and dates from a document's extracted text.

    Claims are cited by stances and ratings, so an item's claims are extracted once: an item
    with claims, or with a claims event of any version, counts as done. ``default_date`` dates
    documents whose own date is unknown.
    """

    name = "claims"
    reads = frozenset({"text"})
    batch = 16

    def __init__(
        self, extractor: ClaimExtractor | None = None, default_date: dt.date | None = None
    ) -> None:
        self._extractor = extractor
        self.default_date = default_date

    @property
    def extractor(self) -> ClaimExtractor:
        """The spaCy pipeline, loaded on first use (loading is the slow part)."""
        if self._extractor is None:
            from enquiry.enrich.text.claims import ClaimExtractor

            self._extractor = ClaimExtractor()
        return self._extractor

    @property
    def version(self) -> str:
        return self.extractor.version

    def accepts(self, media_type: str, kind: str) -> bool:
        # A feed is kept as it came; its entries are documents of their own.
        return kind in CLAIM_KINDS and media_type not in FEED_TYPES

    def done(self, connection: Connection, item_ids: Sequence[int]) -> set[int]:
        wanted = list(item_ids)
        if not wanted:
            return set()
        with_claims = connection.execute(
            select(Claim.item_id).where(Claim.item_id.in_(wanted)).distinct()
        ).scalars()
        enriched = connection.execute(
            select(CustodyEvent.item_id).where(
                CustodyEvent.item_id.in_(wanted),
                CustodyEvent.action == "enriched",
                CustodyEvent.details.like('%"enricher":"claims"%'),
            )
        ).scalars()
        return {int(i) for i in [*with_claims, *enriched] if i is not None}

    def enrich(self, target: Target) -> Enrichment:
        return next(self.enrich_many([target]))

    def enrich_many(self, targets: Sequence[Target]) -> Iterator[Enrichment]:
        from enquiry.enrich.text.attribution import SPACY_MODEL

        readable = [t for t in targets if t.text is not None and t.text.text.strip()]
        anchors = {
            t.item_id: document_anchor(t.fields, t.meta, t.text.text) or self.default_date
            for t in readable
            if t.text is not None
        }
        found = iter(
            self.extractor.extract_many(
                ((t.text.text, anchors[t.item_id]) for t in readable if t.text is not None),
                batch_size=self.batch,
            )
        )
        for target in targets:
            if target.text is None or not target.text.text.strip():
                yield Enrichment(problems=[f"no text to read claims from (item {target.item_id})"])
                continue
            anchor = anchors[target.item_id]
            yield Enrichment(
                claims=list(next(found)),
                inputs={
                    "text": target.text.extractor,
                    "text_sha256": target.text.sha256,
                    "document_date": anchor.isoformat() if anchor else None,
                },
                details={
                    "extractor": self.version,
                    "spacy_model": SPACY_MODEL,
                    "cues_sha256": cues_digest(),
                    "text": target.text.extractor,
                },
            )


class EmbeddingsEnricher(Enricher):
    """Vectors of an item's claims (for "the same claim, said again elsewhere").

    ``embedder`` is anything with ``name`` and ``embed(texts)``; by default the shipped
    MiniLM model. Its name is this enricher's version, so a new model embeds everything anew.
    """

    name = "embeddings"
    action = "derived"
    reads = frozenset({"claims"})
    batch = 64

    def __init__(self, embedder: Any = None) -> None:
        from enquiry.enrich.text.embed import MODEL_NAME

        self._embedder = embedder
        self.model = str(getattr(embedder, "name", MODEL_NAME))

    @property
    def version(self) -> str:
        return self.model

    def accepts(self, media_type: str, kind: str) -> bool:
        return kind in CLAIM_KINDS

    def done(self, connection: Connection, item_ids: Sequence[int]) -> set[int]:
        """Items none of whose claims lacks a vector from this model (claims embedded before
        embedding became an item's stage count too)."""
        wanted = list(item_ids)
        have = select(Embedding.claim_id).where(
            Embedding.model == self.model, Embedding.claim_id.is_not(None)
        )
        lacking = {
            int(i)
            for i in connection.execute(
                select(Claim.item_id).where(Claim.item_id.in_(wanted), Claim.id.not_in(have))
            ).scalars()
            if i is not None
        }
        return set(wanted) - lacking

    def enrich(self, target: Target) -> Enrichment:
        return next(self.enrich_many([target]))

    def enrich_many(self, targets: Sequence[Target]) -> Iterator[Enrichment]:
        from enquiry.enrich.text.embed import default_embedder, to_bytes

        texts = [claim_text(text) for target in targets for _, text in target.claims]
        embedder = self._embedder or default_embedder()
        vectors = iter(embedder.embed(texts) if texts else [])
        for target in targets:
            ids = [claim_id for claim_id, _ in target.claims]
            yield Enrichment(
                embeddings=[
                    {"claim_id": claim_id, "model": self.model, "vector": to_bytes(next(vectors))}
                    for claim_id in ids
                ],
                inputs={"claims": ids},
                details={
                    "derived": "claim embeddings",
                    "model": self.model,
                    "pooling": "mean, L2-normalised",
                    "claims": len(ids),
                    "claim_ids": ids,
                },
            )
