"""The text enrichers: claims read from a document's text, and vectors of those claims and of
the text itself.

Both run through :func:`enquiry.enrich.runner.run_enrichers`; text extraction itself is
:class:`enquiry.enrich.documents.DocumentText`, which intake also runs on arrival.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from enquiry.enrich.base import Enricher, Enrichment, Target
from enquiry.enrich.runner import text_digests
from enquiry.enrich.text import names
from enquiry.enrich.text.catalogue import CLAIM_KINDS, claim_text, cues_digest
from enquiry.enrich.text.dates import document_date
from enquiry.intake.feeds import FEED_TYPES
from enquiry.store.crypt import WITHHELD_AT_REST
from enquiry.store.tables import Claim, CustodyEvent, Embedding, Item

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


@lru_cache(maxsize=1)
def default_claim_extractor() -> ClaimExtractor:
    """One claim pipeline per process (the coordinator's, or each cluster worker's)."""
    from enquiry.enrich.text.claims import ClaimExtractor

    return ClaimExtractor()


def _loaded_default() -> ClaimExtractor | None:
    return default_claim_extractor() if default_claim_extractor.cache_info().currsize else None


class ClaimsEnricher(Enricher):
    """Who said what, when: attributions and dates from a document's extracted text.

    An item counts as done once this version has read it; a new version reads it again, and
    adds only the claims the item does not hold yet (those stored stay: stances and ratings
    cite them). An item holding claims that no reading of its text put there (a case file's,
    an analyst's) is left alone. ``default_date`` dates documents whose own date is unknown.
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
            self._extractor = default_claim_extractor()
        return self._extractor

    def __getstate__(self) -> dict[str, Any]:
        # Sent to a cluster worker without the default pipeline: the worker loads its own once
        # (default_claim_extractor) rather than receiving a spaCy model with every batch.
        state = dict(self.__dict__)
        if state.get("_extractor") is not None and state["_extractor"] is _loaded_default():
            state["_extractor"] = None
        return state

    @property
    def version(self) -> str:
        if self._extractor is None:
            # The default pipeline's version, without loading it (nor importing spaCy): a
            # coordinator whose claims are read by cluster workers writes their records but
            # never runs the pipeline.
            return names.VERSION
        return self._extractor.version

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
        read = connection.execute(
            select(CustodyEvent.item_id).where(
                CustodyEvent.item_id.in_(wanted),
                CustodyEvent.action == "enriched",
                CustodyEvent.details.like('%"enricher":"claims"%'),
            )
        ).scalars()
        read_before = {int(i) for i in read if i is not None}
        elsewhere = {int(i) for i in with_claims if i is not None} - read_before
        return Enricher.done(self, connection, wanted) | elsewhere

    def enrich(self, target: Target) -> Enrichment:
        return next(self.enrich_many([target]))

    def enrich_many(self, targets: Sequence[Target]) -> Iterator[Enrichment]:
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
                    "spacy_model": names.SPACY_MODEL,
                    "cues_sha256": cues_digest(),
                    "text": target.text.extractor,
                },
            )


class EmbeddingsEnricher(Enricher):
    """Vectors of an item's claims (for "the same claim, said again elsewhere") and of its
    text (for semantic search over texts that hold no claim saying the same).

    The text's vector is the normalised mean of its first few passages
    (:func:`~enquiry.enrich.text.embed.passages`): one per item, which is what the
    ``embeddings`` table can tell apart, and a bounded cost however long the text. A protected
    item's text is never embedded — a vector of a witness's words would sit in the catalogue
    in the clear beside a text that is encrypted at rest — and the runner hands this stage an
    encrypted item without its text (``content_optional``), for its claims alone.

    ``embedder`` is anything with ``name`` and ``embed(texts)``; by default the shipped
    MiniLM model. Its name is this enricher's version, so a new model embeds everything anew.
    Without ``texts`` only claims are embedded (a text costs a few passages of up to 256
    tokens each, a claim one sentence: ``claims similar`` needs no texts).
    """

    name = "embeddings"
    action = "derived"
    reads = frozenset({"claims", "text"})
    content_optional = True
    batch = 64

    def __init__(self, embedder: Any = None, *, texts: bool = True) -> None:
        from enquiry.enrich.text.embed import MODEL_NAME

        self._embedder = embedder
        self.model = str(getattr(embedder, "name", MODEL_NAME))
        self.texts = texts

    @property
    def version(self) -> str:
        return self.model

    def accepts(self, media_type: str, kind: str) -> bool:
        # A feed's own text is its markup; its entries are documents of their own.
        return media_type not in FEED_TYPES

    def done(self, connection: Connection, item_ids: Sequence[int]) -> set[int]:
        """Items none of whose claims lacks a vector from this model (claims embedded before
        embedding became an item's stage count too), and whose text, unless protected or
        empty, has a vector from this model made from the text as it now is (a text read
        again, by OCR say, is embedded again)."""
        wanted = list(item_ids)
        if not wanted:
            return set()
        have = select(Embedding.claim_id).where(
            Embedding.model == self.model, Embedding.claim_id.is_not(None)
        )
        lacking = {
            int(i)
            for i in connection.execute(
                select(Claim.item_id).where(
                    Claim.item_id.in_(wanted),
                    Claim.id.not_in(have),
                    Claim.text != WITHHELD_AT_REST,  # words held in a secret record: no vector
                )
            ).scalars()
            if i is not None
        }
        open_items = set(
            connection.execute(
                select(Item.id).where(Item.id.in_(wanted), Item.protected.is_(False))
            ).scalars()
        )
        digests = {i: d for i, d in text_digests(connection, wanted).items() if i in open_items}
        if digests and self.texts:
            lacking |= set(digests) - self._texts_done(connection, digests)
        return set(wanted) - lacking

    def _texts_done(self, connection: Connection, digests: dict[int, str]) -> set[int]:
        """The items whose text, with the digest it now has, was embedded by this model (the
        digest is in the inputs of the event that vouches for the vector) and whose vector is
        still there — or whose text had no word to embed."""
        vectored = set(
            connection.execute(
                select(Embedding.item_id).where(
                    Embedding.item_id.in_(list(digests)),
                    Embedding.claim_id.is_(None),
                    Embedding.model == self.model,
                )
            ).scalars()
        )
        done: set[int] = set()
        for item_id, details in connection.execute(
            select(CustodyEvent.item_id, CustodyEvent.details).where(
                CustodyEvent.item_id.in_(list(digests)),
                CustodyEvent.action == self.action,
                CustodyEvent.details.like(f'%"enricher":"{self.name}"%'),
                CustodyEvent.details.like(f'%"version":"{self.version}"%'),
                CustodyEvent.details.like('%"text_sha256":%'),
            )
        ):
            found = json.loads(details)
            item = int(item_id or 0)
            if (found.get("inputs") or {}).get("text_sha256") == digests[item] and (
                item in vectored or not found.get("passages")
            ):
                done.add(item)
        return done

    def enrich(self, target: Target) -> Enrichment:
        return next(self.enrich_many([target]))

    def enrich_many(self, targets: Sequence[Target]) -> Iterator[Enrichment]:
        """Every claim and passage of the batch goes to the model in one call, so its own
        batching (by length) works across documents."""
        import numpy as np

        from enquiry.enrich.text.embed import default_embedder, mean_vector, to_bytes

        cut = {t.item_id: _passages(t) if self.texts else [] for t in targets}
        # Claims whose words went into their item's secret record when it was protected
        # (enquiry.store.claims_at_rest) get no vector: it would say what they are about.
        said = {t.item_id: [c for c in t.claims if c[1] != WITHHELD_AT_REST] for t in targets}
        claim_texts = [claim_text(text) for target in targets for _, text in said[target.item_id]]
        texts = claim_texts + [p for target in targets for p in cut[target.item_id]]
        embedder = self._embedder or default_embedder()
        vectors = np.asarray(embedder.embed(texts) if texts else [], dtype=np.float32)
        claim_vectors = iter(vectors[: len(claim_texts)])
        at = len(claim_texts)
        for target in targets:
            ids = [claim_id for claim_id, _ in said[target.item_id]]
            rows = [
                {"claim_id": claim_id, "model": self.model, "vector": to_bytes(next(claim_vectors))}
                for claim_id in ids
            ]
            inputs: dict[str, Any] = {"claims": ids}
            details: dict[str, Any] = {
                "derived": "claim and text embeddings",
                "model": self.model,
                "pooling": "mean, L2-normalised",
                "claims": len(ids),
                "claim_ids": ids,
            }
            pieces = cut[target.item_id]
            if self.texts and target.text is not None and not target.protected:
                inputs.update(text=target.text.extractor, text_sha256=target.text.sha256)
                details.update(passages=len(pieces))
            if pieces:
                vector = mean_vector(vectors[at : at + len(pieces)])
                at += len(pieces)
                rows.append(
                    {"item_id": target.item_id, "model": self.model, "vector": to_bytes(vector)}
                )
                details.update(text_pooling="mean of passages, L2-normalised")
            yield Enrichment(embeddings=rows, inputs=inputs, details=details)


def _passages(target: Target) -> list[str]:
    """The passages of the target's text to embed: none for a protected item, nor for a text
    withheld (emptied when its item was encrypted) or without words."""
    from enquiry.enrich.text.embed import passages

    if target.protected or target.text is None or target.text.text.strip() == WITHHELD_AT_REST:
        return []
    return passages(target.text.text)
