"""Claims services: read a file's claims, ingest documents, list, match, suggest, rate, merge.

Every service takes the :class:`Enquiry` (the acting user), raises :mod:`enquiry.errors`, and
writes its own ledger events: the claims and vectors it derives through the enricher runner
(``enriched`` / ``derived``), a stance suggestion run (``analysed``), an accepted rating
(``rated``), a merge of actors (``merged``), a reveal of protected words (``revealed``).

Claims read from a protected item are a witness's words: their text, their speaker and the
item's name are withheld from every listing unless the caller asks to reveal them, and a reveal
is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import ColumnElement, Connection, delete, insert, or_, select, update

from enquiry.app.access import Right, may, require, require_admin, rights_on
from enquiry.app.context import Enquiry
from enquiry.app.lookup import check_case_name, find_case, require_regular_file
from enquiry.app.matrix import wording_of
from enquiry.app.protection import WITHHELD, WITHHELD_IDENTITY, record_reveal
from enquiry.cluster import Cluster, chosen_address, cluster_for
from enquiry.enrich.runner import RunReport, pages, run_enrichers
from enquiry.enrich.text.actors import normalise
from enquiry.enrich.text.catalogue import (
    CLAIMS,
    claim_text,
    find_actor,
    hypotheses,
    party_actor_ids,
)
from enquiry.enrich.text.enrichers import ClaimsEnricher, EmbeddingsEnricher
from enquiry.errors import BadRequest, EnquiryError, NotFound, Refused
from enquiry.intake.walk import printable
from enquiry.model.grades import RATINGS
from enquiry.progress import Progress, Silent
from enquiry.store import Store
from enquiry.store.claims_at_rest import disclosed_claims
from enquiry.store.crypt import WITHHELD_AT_REST
from enquiry.store.ledger import utc_now
from enquiry.store.protected import Opener, at_rest
from enquiry.store.tables import (
    Actor,
    Case,
    Claim,
    ClaimStance,
    Embedding,
    Item,
    ItemText,
    Rating,
    Source,
    row_id,
)

if TYPE_CHECKING:
    from enquiry.enrich.text.claims import ClaimExtractor
    from enquiry.intake.extract import Extraction

SAME_CLAIM = 0.75
SUGGESTED_RATING = {"supports": "C", "refutes": "I", "neutral": "N"}


# --- claims extract: a file on its own, no home ------------------------------------------------


@dataclass(frozen=True)
class ExtractedClaims:
    """The attributions of one file: each claim as a dict with character offsets into the
    file's extracted text; ``problems`` are warning lines about the file (read anyway)."""

    file: str
    document_date: str | None
    claims: list[dict[str, Any]]
    problems: list[str]


def _read_document(path: Path) -> tuple[str, dict[str, Any], list[str]]:
    """The text a file holds (HTML main text, PDF text, decoded plain text), its metadata and
    problems — the same extractor intake uses, so offsets agree with the stored text."""
    from enquiry.enrich.documents import DocumentText
    from enquiry.enrich.ocr import IMAGE_TYPES
    from enquiry.intake.sniff import sniff

    name = printable(str(path))
    require_regular_file(path, folder="give one file (enquiry ingest reads folders)")
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise EnquiryError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if not head:
        raise EnquiryError(f"{name}: empty file: no text to read claims from")
    media_type = sniff(head, path.name)
    extractor = DocumentText()
    if media_type in IMAGE_TYPES:
        found = _ocr(path, media_type, name)
    elif not extractor.accepts(media_type, "document"):
        raise EnquiryError(f"{name}: {media_type} holds no text to read claims from")
    else:
        found = _limited_text(extractor, path, media_type, name)
        if media_type == "application/pdf" and not (found.text or "").strip():
            # A scan: its pages are pictures; read them as intake would.
            scanned = _ocr(path, media_type, name)
            if (scanned.text or "").strip() or scanned.problems:
                found = scanned
    if not (found.text or "").strip():
        why = "; ".join(found.problems) or "only blank space"
        raise EnquiryError(f"{name}: no text to read claims from ({printable(why)})")
    return found.text or "", found.metadata, found.problems


def _limited_text(extractor: Any, path: Path, media_type: str, name: str) -> Extraction:
    """The text of an HTML page, a PDF or another document, read under the decoders' time and
    memory limits, as intake reads it: a hostile file (a PDF whose pages never end, markup
    nested a million deep) is one line naming it, not a hang. Plain text is read here."""
    from enquiry.intake.limits import LimitExceeded, limits, run_limited

    if media_type.startswith("text/plain"):
        return cast("Extraction", extractor.extract(path, media_type))
    seconds, megabytes = limits()
    try:
        found = run_limited(
            extractor.extract, path, media_type, seconds=seconds, megabytes=megabytes
        )
        return cast("Extraction", found)
    except LimitExceeded as exc:
        raise EnquiryError(f"{name}: {exc}") from None


def _ocr(path: Path, media_type: str, name: str) -> Extraction:
    """The text read from a picture or a scanned PDF, under the decoders' time and memory
    limits; for an image asked about by name, whatever the engine reads is kept."""
    from enquiry.enrich.ocr import OcrText
    from enquiry.intake.limits import LimitExceeded, limits, run_limited

    seconds, megabytes = limits()
    try:
        return run_limited(
            OcrText(insist=True).extract, path, media_type, seconds=seconds, megabytes=megabytes
        )
    except LimitExceeded as exc:
        raise EnquiryError(f"{name}: {exc}") from None


def extract_file(
    path: Path, date: dt.date | None = None, progress: Progress | None = None
) -> ExtractedClaims:
    """Every attribution in a text, HTML, PDF or feed file; ``date`` dates relative dates.

    A feed's entries are documents one after the other, separated by a blank line, each dated
    by its own entry date; offsets are into that sequence. ``progress`` hears the characters
    read, piece by piece (a long text takes minutes).
    """
    from enquiry.enrich.text.claims import ClaimExtractor, shifted
    from enquiry.enrich.text.dates import document_date
    from enquiry.intake.feeds import FeedError, is_feed, read_feed

    segments: list[tuple[int, str, dt.date | None]] = []
    problems: list[str] = []
    require_regular_file(path, folder="give one file (enquiry ingest reads folders)")
    if is_feed(path):
        try:
            _title, entries = read_feed(path, problems)
        except FeedError as exc:
            raise EnquiryError(str(exc)) from None
        if not entries:
            raise EnquiryError(
                f"{printable(str(path))}: feed has no entries: no text to read claims from"
            )
        offset = 0
        for entry in entries:
            document = entry.document()
            segments.append((offset, document, document_date(document) or date))
            offset += len(document) + 2
    else:
        text, metadata, found = _read_document(path)
        problems = [f"{path}: {problem}" for problem in found]
        segments.append((0, text, date or document_date(text, metadata.get("date"))))
    extractor = ClaimExtractor()
    bar = progress or Silent()
    bar.start("reading claims", sum(len(text) for _, text, _ in segments), unit="char")
    claims = [
        shifted(record, offset).as_dict()
        for offset, text, anchor in segments
        for record in extractor.extract(text, anchor, bar.advance)
    ]
    bar.finish()
    anchors = {anchor.isoformat() if anchor else None for _, _, anchor in segments}
    return ExtractedClaims(
        file=str(path),
        document_date=anchors.pop() if len(anchors) == 1 else None,
        claims=claims,
        problems=problems,
    )


# --- ingest: intake, then the claims enricher -----------------------------------------------


@dataclass(frozen=True)
class IngestReport:
    """What became of each path (intake's results) and of the documents' claims."""

    results: list[Any]
    documents: int
    claims: int
    without_text: list[int]
    run: RunReport = field(repr=False)


def _case_id(store: Store, name: str) -> int:
    with store.session() as session:
        return find_case(session, name).id


def ingest(
    app: Enquiry,
    paths: Sequence[Path],
    *,
    case: str,
    kind: str | None = None,
    source: str | None = None,
    default_date: dt.date | None = None,
    progress: Progress | None = None,
    extractor: ClaimExtractor | None = None,
    cluster: str | None = None,
) -> IngestReport:
    """Store files, folders and feeds as evidence of ``case`` (created if new), then read the
    claims of each document that has none yet.

    A feed file is preserved as it came, and each of its entries becomes a document of its own.
    ``default_date`` dates documents whose own date (metadata, fields, dateline) is unknown;
    ``extractor`` is the claim pipeline to use (loaded when first needed if not given);
    ``progress`` hears intake's bytes, the claims stage and every problem line. ``cluster``
    (else ``ENQUIRY_CLUSTER``) names a Dask cluster whose workers store and read the files and
    read the claims; the catalogue and ledger are written here as without one.
    """
    require_admin(app, "ingest")
    check_case_name(case)
    progress = progress or Silent()
    for path in paths:
        if not path.exists():
            raise NotFound(f"{printable(str(path))}: no such file or folder")
    address = chosen_address(cluster)
    store = app.store(create=True)
    with cluster_for(address, progress.problem) as on:
        return _ingest(store, paths, case, kind, source, default_date, progress, extractor, on)


def _ingest(
    store: Store,
    paths: Sequence[Path],
    case: str,
    kind: str | None,
    source: str | None,
    default_date: dt.date | None,
    progress: Progress,
    extractor: ClaimExtractor | None,
    cluster: Cluster | None,
) -> IngestReport:
    from enquiry.enrich import default_extractors
    from enquiry.intake.feeds import FeedError, is_feed, read_feed
    from enquiry.intake.pipeline import (
        FileResult,
        IntakeError,
        IntakeOptions,
        add_contents,
        add_paths,
    )
    from enquiry.intake.walk import Entry, walk

    options = IntakeOptions(case=case, kind=kind, source=source)
    extractors = default_extractors()
    results: list[Any] = []
    try:
        feeds = [e.path for e in walk(list(paths)) if e.problem is None and is_feed(e.path)]
        listed = set(feeds)
        others = [path for path in paths if path not in listed]
        if others:
            folders = [path for path in others if path.is_dir()]
            files = [path for path in others if not path.is_dir()]
            # The folders' entries as walked, not their paths: a path handed on would count as
            # named by the user, and a link in the folder to a file outside it be followed.
            expanded: list[Path | Entry] = (
                [*files, *(e for e in walk(folders) if e.path not in listed)]
                if feeds and folders
                else list(others)
            )
            report = add_paths(
                store, expanded, options, extractors, progress=progress, cluster=cluster
            )
            results.extend(report.results)
        for feed in feeds:
            report = add_paths(
                store, [feed], options, extractors, progress=progress, cluster=cluster
            )
            results.extend(report.results)
            feed_problems: list[str] = []
            try:
                _title, entries = read_feed(feed, feed_problems)
            except FeedError as exc:
                # One feed that cannot be read is named, as a rejected file is, and the feeds
                # after it are still taken in; the command ends non-zero.
                why = str(exc).removeprefix(f"{feed}: ")
                results.append(FileResult(str(feed), "rejected", problems=[why]))
                continue
            for problem in feed_problems:
                progress.problem(problem)
            # The entries are read together, by the cluster's workers when there is one.
            added = add_contents(
                store,
                [(entry.document().encode("utf-8"), entry.name(feed)) for entry in entries],
                options,
                extractors,
                cluster=cluster,
            )
            results.extend(added.results)
    except (IntakeError, FeedError) as exc:
        raise EnquiryError(str(exc)) from None
    stored = [r for r in results if r.item_id is not None and r.status != "rejected"]
    names = {r.item_id: r.path for r in stored}
    protected: set[int] = set()
    with store.session() as session:
        for page in pages(list(names)):
            protected.update(
                session.scalars(select(Item.id).where(Item.id.in_(page), Item.protected.is_(True)))
            )

    def describe(item_id: int) -> str:
        if item_id in protected or item_id not in names:
            return f"item {item_id}"
        return str(names[item_id])

    enricher = ClaimsEnricher(extractor, default_date)
    run = run_enrichers(
        store, list(names), [enricher], progress=progress, describe=describe, cluster=cluster
    )
    enriched = run.of("claims", "enriched")
    return IngestReport(
        results=results,
        documents=len(enriched),
        claims=sum(int(o.details.get("claims", 0)) for o in enriched),
        without_text=[o.item_id for o in run.of("claims", "failed")],
        run=run,
    )


# --- listing, with protection ----------------------------------------------------------------


@dataclass(frozen=True)
class ListedClaim:
    """One claim as shown: its actor, item and offsets; ``withheld`` when it was read from a
    protected item and not revealed (text, speaker and item name then carry the marker)."""

    id: int
    item_id: int | None
    item: str | None
    actor_id: int | None
    actor: str | None
    source: dict[str, Any] | None
    cue: dict[str, Any]
    content: dict[str, Any]
    date: str | None
    date_phrase: str | None
    withheld: bool = False

    def as_json(self) -> dict[str, Any]:
        """The claim as ``claims list --json`` prints it."""
        return {
            "id": self.id,
            "item_id": self.item_id,
            "item": self.item,
            "actor_id": self.actor_id,
            "actor": self.actor,
            "source": self.source,
            "cue": self.cue,
            "content": self.content,
            "date": self.date,
            "date_phrase": self.date_phrase,
        }


def _withheld_span(span: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if span is None else {**span, "text": WITHHELD}


def _listed(row: Any, protected: set[int], reveal: bool) -> ListedClaim:
    data = row["data"] or {}
    withhold = row["item_id"] in protected and not reveal
    cue = data.get("cue") or {"text": row["cue"]}
    content: dict[str, Any] = {"text": row["text"], "start": row["start"], "end": row["end"]}
    parts = list((data.get("content") or {}).get("parts") or [])
    if withhold:
        content = {**content, "text": WITHHELD}
        source = _withheld_span(data.get("source"))
        parts = [{**span, "text": WITHHELD} for span in parts]
    else:
        source = data.get("source")
    if parts:
        content["parts"] = parts
    return ListedClaim(
        id=row["id"],
        item_id=row["item_id"],
        item=WITHHELD if withhold else row["original_name"],
        actor_id=row["actor_id"],
        actor=WITHHELD_IDENTITY if withhold and row["actor_name"] else row["actor_name"],
        source=source,
        cue=cue,
        content=content,
        date=row["date"],
        date_phrase=row["date_phrase"],
        withheld=withhold,
    )


def _claim_rows(
    connection: Connection, case_id: int, party: str | None, case: str, *, reveal: bool = True
) -> list[Any]:
    """The case's claims (of ``party`` only, if given), oldest first.

    Without ``reveal``, a party is matched without the speakers of protected items' claims:
    listing a withheld claim under the party its speaker speaks for would say who the witness
    is, and a name known only as such a speaker is answered as a name no actor has — so the
    answer is the same whether or not protected testimony names it."""
    query = (
        select(*CLAIMS.c, Actor.name.label("actor_name"), Item.original_name)
        .outerjoin(Actor, Actor.id == Claim.actor_id)
        .outerjoin(Item, Item.id == Claim.item_id)
        .where(Claim.case_id == case_id)
    )
    if party:
        unseen = frozenset() if reveal else _protected_speakers(connection, case_id)
        ids = party_actor_ids(connection, case_id, party, leaving_out=unseen)
        if not ids:
            raise NotFound(f"party '{party}': no actor of case '{case}' has this name")
        query = query.where(or_(Claim.actor_id.in_(ids)))
        if not reveal:
            query = query.where(or_(Claim.item_id.is_(None), Item.protected.is_(False)))
    return list(
        connection.execute(query.order_by(Claim.date.asc().nulls_last(), Claim.id)).mappings()
    )


def _protected_speakers(connection: Connection, case_id: int) -> frozenset[int]:
    """Actors known only as speakers of protected items' claims (no claim of evidence in the
    clear, no case file's claim and no source names them)."""
    in_protected = set(
        connection.execute(
            select(Claim.actor_id)
            .join(Item, Item.id == Claim.item_id)
            .where(Claim.case_id == case_id, Item.protected.is_(True), Claim.actor_id.is_not(None))
        ).scalars()
    )
    if not in_protected:
        return frozenset()
    named = set(
        connection.execute(
            select(Claim.actor_id)
            .outerjoin(Item, Item.id == Claim.item_id)
            .where(
                Claim.case_id == case_id,
                or_(Claim.item_id.is_(None), Item.protected.is_(False)),
                Claim.actor_id.is_not(None),
            )
        ).scalars()
    ) | set(
        connection.execute(
            select(Source.actor_id).where(Source.case_id == case_id, Source.actor_id.is_not(None))
        ).scalars()
    )
    return frozenset(int(a) for a in in_protected - named if a is not None)


def _shown(
    store: Store, rows: list[Any], reveal: bool, what: str, *, drop_protected: bool = False
) -> list[ListedClaim]:
    """Rows as shown; a reveal of protected items' claims is recorded. ``drop_protected`` leaves
    out the claims of protected items altogether (for a user who may not know they exist)."""
    item_ids = sorted({row["item_id"] for row in rows if row["item_id"] is not None})
    items: list[Item] = []
    with store.session() as session:
        for page in pages(item_ids):
            items += session.scalars(
                select(Item).where(Item.id.in_(page), Item.protected.is_(True))
            )
    protected = {item.id for item in items}
    if drop_protected:
        rows = [row for row in rows if row["item_id"] not in protected]
        protected = set()
    if reveal and protected:
        rows = _opened(store, items, rows)
        with store.writing() as (_connection, writer):
            record_reveal(
                writer,
                items,
                {
                    "shown": what,
                    "claims": sorted(r["id"] for r in rows if r["item_id"] in protected),
                },
            )
    return [_listed(row, protected, reveal) for row in rows]


def _opened(store: Store, items: list[Item], rows: list[Any]) -> list[Any]:
    """Rows with the words their items' secret records hold put back (claims read before the
    item was protected: see :mod:`enquiry.store.claims_at_rest`); the key is needed."""
    with store.engine.connect() as connection:
        held = at_rest(connection, [item.id for item in items])
        if not held:
            return rows
        opener = Opener(connection)
        records = [opener.secret(item_id) for item_id, how in held.items() if not how.sealed]
    found = disclosed_claims(records)
    opened = []
    for row in rows:
        values = found.claim(int(row["id"]), row)
        values["actor_name"] = found.speaker(row["actor_id"], row["actor_name"])
        opened.append(values)
    return opened


def list_claims(
    app: Enquiry, case: str, party: str | None = None, *, reveal: bool = False
) -> list[ListedClaim]:
    """The case's claims in date order (undated last), optionally only those of a party: the
    actor so named, actors merged into it, and those affiliated to it."""
    store = app.store(create=False)
    case_id = _case_id(store, case)
    require(app, case_id, Right.READ, name=case)
    if reveal:
        require(app, case_id, Right.REVEAL, name=case)
    with store.engine.connect() as connection:
        rows = _claim_rows(connection, case_id, party, case, reveal=reveal)
    hide = not may(app, case_id, Right.PROTECTED_ITEMS)
    return _shown(store, rows, reveal, "claims list", drop_protected=hide)


# --- similar: the same claim said again -------------------------------------------------------


@dataclass(frozen=True)
class Similar:
    """A claim and the claims of its case closest in meaning, best first, with their scores
    (cosine); ``same`` marks a likely repeat."""

    claim: ListedClaim
    ranked: list[tuple[float, ListedClaim]]

    @staticmethod
    def same(score: float) -> bool:
        return score >= SAME_CLAIM


def ensure_embeddings(
    store: Store,
    case_id: int,
    embedder: Any = None,
    progress: Progress | None = None,
    *,
    texts: bool = False,
) -> RunReport:
    """Embed the claims (and with ``texts`` the texts) of the case's items that have no vector
    from the model yet (or whose text changed since); each item's vectors are a ``derived``
    event naming the model. A protected item's claims are embedded (they are shown, withheld,
    as any claim is), its text never."""
    wanted: ColumnElement[bool] = Item.id.in_(
        select(Claim.item_id).where(Claim.case_id == case_id, Claim.item_id.is_not(None))
    )
    if texts:
        with_text = select(ItemText.item_id).where(
            ItemText.extractor.like("text/%") | ItemText.extractor.like("ocr/%")
        )
        wanted = wanted | (Item.id.in_(with_text) & Item.protected.is_(False))
    with store.engine.connect() as connection:
        item_ids = list(
            connection.execute(
                select(Item.id).where(Item.case_id == case_id, wanted).order_by(Item.id)
            ).scalars()
        )
    return run_enrichers(
        store,
        [int(i) for i in item_ids],
        [EmbeddingsEnricher(embedder, texts=texts)],
        progress=progress,
    )


def similar(
    app: Enquiry,
    claim_id: int,
    limit: int = 10,
    *,
    reveal: bool = False,
    embedder: Any = None,
    progress: Progress | None = None,
) -> Similar:
    """The claims of the same case closest in meaning to ``claim_id``."""
    require_admin(app, "claims similar")
    if limit < 1:
        raise BadRequest(f"--limit {limit}: show at least 1 claim")
    if row_id(claim_id) is None:
        raise NotFound(f"claim {claim_id}: no such claim")
    import numpy as np

    from enquiry.enrich.text.embed import MODEL_NAME, from_bytes

    store = app.store(create=False)
    with store.engine.connect() as connection:
        case_id = connection.execute(select(Claim.case_id).where(Claim.id == claim_id)).scalar()
        if case_id is None or Right.READ not in rights_on(app, case_id):
            raise NotFound(f"claim {claim_id}: no such claim")
        require(app, case_id, Right.ANALYSE)
        case_name = connection.execute(select(Case.name).where(Case.id == case_id)).scalar_one()
    ensure_embeddings(store, case_id, embedder, progress)
    model = str(getattr(embedder, "name", MODEL_NAME))
    with store.engine.connect() as connection:
        vectors = connection.execute(
            select(Embedding.claim_id, Embedding.vector)
            .join(Claim, Claim.id == Embedding.claim_id)
            .where(Claim.case_id == case_id, Embedding.model == model)
        ).all()
        rows = {row["id"]: row for row in _claim_rows(connection, case_id, None, str(case_name))}
    ids = [int(row[0] or 0) for row in vectors]
    if claim_id not in ids:
        if claim_id in rows and rows[claim_id]["text"] == WITHHELD_AT_REST:
            # read before its item was protected: its words went into the item's secret
            # record, and a vector of them would say what they are about
            raise Refused(
                f"claim {claim_id}: its words are held encrypted with its protected item, so it"
                " has no vector to compare"
            )
        raise NotFound(f"claim {claim_id}: has no vector (its document was not embedded)")
    matrix = np.stack([from_bytes(row[1]) for row in vectors])
    scores = matrix @ matrix[ids.index(claim_id)]
    ranked = sorted(
        (
            (float(score), other)
            for other, score in zip(ids, scores, strict=True)
            if other != claim_id
        ),
        key=lambda pair: -pair[0],
    )[:limit]
    shown_rows = [rows[claim_id], *(rows[other] for _, other in ranked)]
    shown = {claim.id: claim for claim in _shown(store, shown_rows, reveal, "claims similar")}
    return Similar(shown[claim_id], [(score, shown[other]) for score, other in ranked])


# --- stance suggestions and ratings ------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A suggested stance of a claim toward a hypothesis (never a rating by itself)."""

    claim_id: int
    hypothesis_id: int
    stance: str
    score: float
    model: str
    hypothesis: str
    incident: str
    label: str
    probabilities: dict[str, float]

    def as_json(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim_id,
            "hypothesis_id": self.hypothesis_id,
            "stance": self.stance,
            "score": self.score,
            "model": self.model,
            "hypothesis": self.hypothesis,
            "incident": self.incident,
            "label": self.label,
            "probabilities": self.probabilities,
        }


def suggest_stances(
    app: Enquiry,
    claim_ids: Sequence[int] = (),
    *,
    case: str | None = None,
    model: Any = None,
    embedder: Any = None,
) -> list[Suggestion]:
    """Suggest each claim's stance toward every hypothesis of its case's incidents (the given
    claims, and with ``case`` every claim of that case) and keep the suggestions, replacing
    earlier ones of the same model; an ``analysed`` event per case records the run."""
    require_admin(app, "claims suggest")
    from enquiry.enrich.text.embed import default_embedder
    from enquiry.enrich.text.stance import default_model

    store = app.store(create=False)
    ids = list(claim_ids)
    for claim_id in ids:
        if row_id(claim_id) is None:
            raise NotFound(f"claim {claim_id}: no such claim")
    if case:
        case_id = _case_id(store, case)
        with store.engine.connect() as connection:
            ids += [row["id"] for row in _claim_rows(connection, case_id, None, case)]
    if not ids:
        raise EnquiryError("give claim numbers or --case NAME")
    with store.engine.connect() as connection:
        claims = connection.execute(
            select(Claim.id, Claim.case_id, Claim.text).where(Claim.id.in_(ids))
        ).all()
        missing = set(ids) - {row[0] for row in claims}
        if missing:
            raise NotFound(f"claim {min(missing)}: no such claim")
        # A claim whose words its protected item's secret record holds is not read.
        claims = [row for row in claims if row[2] != WITHHELD_AT_REST]
        by_case = {case_id: hypotheses(connection, case_id) for case_id in {r[1] for r in claims}}
    pairs = [(claim, hypothesis) for claim in claims for hypothesis in by_case[claim[1]]]
    if not pairs:
        return []
    model = model or default_model()
    stances = model.predict(
        [str(hypothesis["label"]) for _, hypothesis in pairs],
        [claim_text(claim[2]) for claim, _ in pairs],
        embedder or default_embedder(),
    )
    out: list[Suggestion] = []
    with store.writing() as (connection, writer):
        connection.execute(
            delete(ClaimStance).where(
                ClaimStance.claim_id.in_([claim[0] for claim in claims]),
                ClaimStance.model == model.name,
            )
        )
        rows = []
        for (claim, hypothesis), stance in zip(pairs, stances, strict=True):
            row = {
                "claim_id": claim[0],
                "hypothesis_id": hypothesis["id"],
                "stance": stance.toward_hypothesis,
                "score": round(stance.score, 4),
                "model": model.name,
            }
            rows.append(row)
            out.append(
                Suggestion(
                    **row,
                    hypothesis=hypothesis["key"],
                    incident=hypothesis["slug"],
                    label=hypothesis["label"],
                    probabilities=stance.probabilities,
                )
            )
        connection.execute(insert(ClaimStance), rows)
        for case_id in sorted(by_case):
            writer.append(
                "analysed",
                case_id=case_id,
                details={
                    "analysis": "stance suggestions",
                    "model": model.name,
                    "claims": sorted(c[0] for c in claims if c[1] == case_id),
                    "suggestions": sum(1 for c, _ in pairs if c[1] == case_id),
                },
            )
    return out


@dataclass(frozen=True)
class Accepted:
    """A rating recorded from a claim: by whom, against which hypothesis, from what suggestion."""

    rating_id: int
    claim_id: int
    hypothesis: str
    incident: str
    rating: str
    rationale: str
    analyst: str
    from_suggestion: dict[str, Any] | None


def accept(
    app: Enquiry,
    claim_id: int,
    hypothesis: str,
    *,
    rating: str | None = None,
    rationale: str = "",
) -> Accepted:
    """The acting analyst turns a suggested stance (or the ``rating`` given) of a claim toward
    a hypothesis (``H1``, ``INCIDENT/H1`` or its number) into a rating; a ``rated`` event
    records it."""
    if rating is not None and rating not in RATINGS:
        raise BadRequest(f"rating '{rating}': not a rating (one of {', '.join(RATINGS)})")
    if row_id(claim_id) is None:
        raise NotFound(f"claim {claim_id}: no such claim")
    store = app.store(create=False)
    with store.engine.connect() as connection:
        found = connection.execute(
            select(Claim.case_id, Item.protected)
            .outerjoin(Item, Item.id == Claim.item_id)
            .where(Claim.id == claim_id)
        ).first()
    # A claim of a case the user may not read, or read from a protected item they may not
    # know of, is as missing as one that does not exist.
    if found is None or not may(app, found[0], Right.PROTECTED_ITEMS if found[1] else Right.READ):
        raise NotFound(f"claim {claim_id}: no such claim")
    require(app, found[0], Right.ANALYSE)
    with store.writing() as (connection, writer):
        case_id = connection.execute(select(Claim.case_id).where(Claim.id == claim_id)).scalar()
        if case_id is None:
            raise NotFound(f"claim {claim_id}: no such claim")
        fitting = [
            h
            for h in hypotheses(connection, case_id)
            if hypothesis in (str(h["id"]), h["key"], f"{h['slug']}/{h['key']}")
        ]
        if not fitting:
            raise NotFound(f"hypothesis '{hypothesis}': no such hypothesis in the case")
        if len(fitting) > 1:
            raise EnquiryError(
                f"hypothesis '{hypothesis}': several incidents have it; write INCIDENT/{hypothesis}"
            )
        chosen = fitting[0]
        suggestion = connection.execute(
            select(ClaimStance.stance, ClaimStance.score, ClaimStance.model)
            .where(ClaimStance.claim_id == claim_id, ClaimStance.hypothesis_id == chosen["id"])
            .order_by(ClaimStance.id.desc())
        ).first()
        if rating is None:
            if suggestion is None:
                raise EnquiryError(
                    f"claim {claim_id}: no stance suggested toward '{hypothesis}'; "
                    "run 'enquiry claims stance' first or give --rating"
                )
            rating = SUGGESTED_RATING[suggestion[0]]
        new_id = connection.execute(
            insert(Rating).values(
                hypothesis_id=chosen["id"],
                item_id=None,
                claim_id=claim_id,
                rating=rating,
                likelihood=None,
                rationale=rationale,
                analyst=app.actor,
                created_at=utc_now(),
                wording=wording_of(connection, int(chosen["id"])),
            )
        ).inserted_primary_key
        assert new_id is not None
        accepted = Accepted(
            rating_id=int(new_id[0]),
            claim_id=claim_id,
            hypothesis=chosen["key"],
            incident=chosen["slug"],
            rating=rating,
            rationale=rationale,
            analyst=app.actor,
            from_suggestion=(
                {"stance": suggestion[0], "score": suggestion[1], "model": suggestion[2]}
                if suggestion
                else None
            ),
        )
        writer.append(
            "rated",
            case_id=case_id,
            details={
                "rating_id": accepted.rating_id,
                "claim_id": claim_id,
                "hypothesis": accepted.hypothesis,
                "incident": accepted.incident,
                "rating": rating,
                "rationale": rationale,
                "from_suggestion": accepted.from_suggestion,
            },
        )
    return accepted


# --- actors --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Merged:
    """Actor ``name`` merged into ``into``; ``claims_moved`` claims now speak for ``into``."""

    name: str
    into: str
    claims_moved: int
    aliases: list[str]


def merge_actors(app: Enquiry, case: str, ref_a: str, ref_b: str) -> Merged:
    """Merge actor A into actor B (by number, name or alias): B keeps A's names as aliases and
    A's claims. A stays in the catalogue, marked as merged, so the merge can be read back from
    both the table and the ``merged`` event."""
    require_admin(app, "claims merge")
    store = app.store(create=False)
    case_id = _case_id(store, case)
    with store.writing() as (connection, writer):
        a = find_actor(connection, case_id, ref_a)
        b = find_actor(connection, case_id, ref_b)
        if a["id"] == b["id"]:
            raise EnquiryError(f"actors '{ref_a}' and '{ref_b}' are the same actor")
        aliases = list(b["aliases"] or [])
        for name in [a["name"], *(a["aliases"] or [])]:
            if normalise(name) not in {normalise(n) for n in [b["name"], *aliases]}:
                aliases.append(name)
        connection.execute(update(Actor).where(Actor.id == b["id"]).values(aliases=aliases))
        connection.execute(update(Actor).where(Actor.id == a["id"]).values(merged_into=b["id"]))
        moved = connection.execute(
            update(Claim).where(Claim.actor_id == a["id"]).values(actor_id=b["id"])
        ).rowcount
        connection.execute(
            update(Actor).where(Actor.merged_into == a["id"]).values(merged_into=b["id"])
        )
        writer.append(
            "merged",
            case_id=case_id,
            details={
                "actor": a["id"],
                "name": a["name"],
                "into": b["id"],
                "into_name": b["name"],
                "claims_moved": moved,
                "aliases": aliases,
            },
        )
    return Merged(str(a["name"]), str(b["name"]), int(moved or 0), aliases)


__all__ = [
    "Accepted",
    "ExtractedClaims",
    "IngestReport",
    "ListedClaim",
    "Merged",
    "Similar",
    "Suggestion",
    "accept",
    "ensure_embeddings",
    "extract_file",
    "ingest",
    "list_claims",
    "merge_actors",
    "similar",
    "suggest_stances",
]
