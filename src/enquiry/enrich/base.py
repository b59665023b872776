"""The one shape of a processing stage: an enricher reads an item and returns derived records.

An :class:`Enricher` has a ``name`` and a ``version`` (together they say what produced a record),
says which items it ``accepts`` (by media type and kind, so intake can ask the same question
before an item exists), and ``enrich``-es one :class:`Target` into an :class:`Enrichment`. It
never writes: :func:`enquiry.enrich.runner.run_enrichers` owns skip-if-done, the writing of the
records, the ledger event naming the enricher, progress and per-item failure isolation.

An enricher that reads an item's original bytes is a :class:`FileEnricher`: its ``extract`` is
the whole of its logic, and the same object serves intake as an
:class:`~enquiry.intake.extract.Extractor`, so text, metadata and perceptual hashes are computed
by one piece of code whether a file is arriving or already stored.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import Connection, select

from enquiry.intake.extract import Extraction
from enquiry.intake.limits import limits, run_limited
from enquiry.store.tables import CustodyEvent, Item


@dataclass(frozen=True)
class StoredText:
    """An item's extracted text as stored: the label of what extracted it, and its digest."""

    extractor: str
    text: str
    sha256: str


@dataclass(frozen=True)
class Target:
    """What an enricher is given about one item. ``original`` is a verified copy of the item's
    bytes (for enrichers that read originals), ``text`` its latest extracted text (for those
    that read text); either is None when the enricher did not ask for it. ``claims`` are the
    item's claims as (id, text), for enrichers that read claims."""

    item_id: int
    case_id: int
    kind: str
    media_type: str
    sha256: str | None
    fields: dict[str, Any]
    meta: dict[str, Any]
    protected: bool
    original: Path | None = None
    text: StoredText | None = None
    claims: tuple[tuple[int, str], ...] = ()


@dataclass
class Enrichment:
    """The derived records an enricher found in one item; the runner writes them.

    ``inputs`` says what the records came from beyond the item itself (the text and its digest,
    a model, a lexicon); ``details`` are further facts for the ledger event. ``media_hashes``
    and ``findings`` replace the item's earlier rows of the same algorithm or enricher when they
    are not None; ``claims``, when not None, are the document's
    :class:`~enquiry.enrich.text.claims.ClaimRecord` objects (possibly none); ``embeddings`` are
    ``{"claim_id", "model", "vector"}`` rows. ``problems`` are one line each about the item's
    content; an enrichment with problems and nothing derived is a failure.
    """

    inputs: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    text: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    media_hashes: list[dict[str, Any]] | None = None
    findings: list[dict[str, Any]] | None = None
    claims: list[Any] | None = None
    embeddings: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether nothing at all was derived."""
        return (
            self.text is None
            and not self.metadata
            and not self.media_hashes
            and self.findings is None
            and not self.claims
            and not self.embeddings
        )

    @property
    def failed(self) -> bool:
        """Problems and nothing derived: the item could not be enriched."""
        return bool(self.problems) and self.empty


class Enricher(ABC):
    """One processing stage over stored items.

    ``action`` is the ledger action of its event: ``enriched`` for readings of an item (claims,
    text), ``derived`` for records computed from it (hashes, vectors), ``analysed`` for
    findings. ``reads`` names what the runner must hand over: ``"original"`` (a verified copy of
    the bytes), ``"text"`` (the latest extracted text), ``"claims"``. ``batch`` is how many
    targets :meth:`enrich_many` is given at once (an enricher with a model to run overrides it
    for throughput). An encrypted (protected) item's bytes and text are never handed over: an
    enricher reading them is not run on such an item, unless it is ``content_optional`` — it
    derives something from what else it reads (claims) — and is then given the item without
    them.
    """

    name: str
    action: ClassVar[str] = "enriched"
    reads: ClassVar[frozenset[str]] = frozenset()
    content_optional: ClassVar[bool] = False
    batch: ClassVar[int] = 1

    @property
    @abstractmethod
    def version(self) -> str:
        """What exactly produced the records (a class attribute, or a model's own version)."""

    @abstractmethod
    def accepts(self, media_type: str, kind: str) -> bool:
        """Whether this enricher has anything to say about such an item."""

    @abstractmethod
    def enrich(self, target: Target) -> Enrichment:
        """The derived records of one item. Report bad content in ``problems``; an exception
        is a failure of this item alone."""

    def enrich_many(self, targets: Sequence[Target]) -> Iterator[Enrichment]:
        """One enrichment per target, in order (override to batch a model's work)."""
        for target in targets:
            yield self.enrich(target)

    def done(self, connection: Connection, item_ids: Sequence[int]) -> set[int]:
        """The items this enricher, at this version, has already enriched (from the ledger)."""
        if not item_ids:
            return set()
        found = connection.execute(
            select(CustodyEvent.item_id).where(
                CustodyEvent.item_id.in_(list(item_ids)),
                CustodyEvent.action == self.action,
                CustodyEvent.details.like(f'%"enricher":"{self.name}"%'),
                CustodyEvent.details.like(f'%"version":"{self.version}"%'),
            )
        ).scalars()
        return {int(i) for i in found if i is not None}

    @property
    def label(self) -> str:
        """``name/version``: how its derived texts are labelled."""
        return f"{self.name}/{self.version}"


def read_at_intake(meta: dict[str, Any] | None, reader: str) -> str | None:
    """The version of ``reader`` that read the item at intake, if intake noted one."""
    versions = ((meta or {}).get("intake") or {}).get("read_by") or {}
    found = versions.get(reader)
    return str(found) if found is not None else None


class FileEnricher(Enricher):
    """An enricher that reads an item's original bytes; it is also an intake extractor."""

    reads: ClassVar[frozenset[str]] = frozenset({"original"})

    @abstractmethod
    def extract(self, path: Path, media_type: str) -> Extraction:
        """Read ``path`` (a read-only copy of an original). Never raise for bad content: report
        it in ``problems``."""

    def done(self, connection: Connection, item_ids: Sequence[int]) -> set[int]:
        """Items read by this version since (an event says so), or at intake: intake notes in
        the item's metadata which version of each reader read the file. An item read at intake
        by another version, or before intake noted versions, is read again: after a reader
        changes, ``enquiry enrich`` is how what it finds reaches the items already in."""
        read = {
            int(item_id)
            for item_id, meta in connection.execute(
                select(Item.id, Item.meta).where(Item.id.in_(list(item_ids)))
            )
            if read_at_intake(meta, self.name) == self.version
        }
        return super().done(connection, item_ids) | read

    def enrich(self, target: Target) -> Enrichment:
        assert target.original is not None, "the runner hands over the original"
        # Read as at intake: in a child process under the time and memory limits, so a file
        # built to make a decoder loop or balloon costs that child, not the run.
        seconds, megabytes = limits()
        found = run_limited(
            self.extract, target.original, target.media_type, seconds=seconds, megabytes=megabytes
        )
        return Enrichment(
            inputs={"sha256": target.sha256},
            text=found.text,
            metadata=dict(found.metadata),
            media_hashes=list(found.hashes) if found.hashes else None,
            problems=list(found.problems),
        )
