"""Claims and actors in the catalogue: storing what the text pipeline found, with custody.

Every document's claims are written in one transaction together with an ``enriched`` ledger
event naming the extractor and its version, so that any claim can be traced to the item, the
text and the software that produced it. New speakers become actors; an analyst's merge of two
actors is a ``merged`` event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select, update

from enquiry.enrich.text.actors import ActorIndex, KnownActor, normalise
from enquiry.enrich.text.attribution import SPACY_MODEL, Speaker
from enquiry.enrich.text.claims import ClaimExtractor, ClaimRecord
from enquiry.enrich.text.dates import document_date
from enquiry.intake.feeds import FEED_TYPES
from enquiry.store import Store
from enquiry.store.ledger import LedgerWriter
from enquiry.store.tables import (
    Actor,
    Case,
    Claim,
    ClaimStance,
    Embedding,
    Hypothesis,
    Incident,
    Item,
    ItemText,
    Rating,
)

CLAIM_KINDS = ("document", "statement")
ACTORS = Actor.__table__
CLAIMS = Claim.__table__
_ACTOR_TYPES = {"person": "person", "state": "state", "organisation": "organisation"}


class ClaimsError(Exception):
    """A request about claims that cannot be met (unknown case, actor or claim)."""


def cues_digest() -> str:
    """The SHA-256 of the shipped cue lexicon: part of the extractor's identity."""
    data = resources.files("enquiry.enrich.text").joinpath("cues.json").read_bytes()
    return hashlib.sha256(data).hexdigest()


def load_index(connection: Connection, case_id: int) -> ActorIndex:
    """The case's actors that have not been merged into another."""
    rows = connection.execute(
        select(*ACTORS.c).where(Actor.case_id == case_id, Actor.merged_into.is_(None))
    ).mappings()
    return ActorIndex(
        [
            KnownActor(
                id=row["id"],
                name=row["name"],
                type=row["type"],
                aliases=list(row["aliases"] or []),
                title=row["title"] or "",
                affiliation=row["affiliation"] or "",
            )
            for row in rows
        ]
    )


def case_id_of(store: Store, name: str) -> int:
    with store.engine.connect() as connection:
        found = store.case_id(connection, name)
    if found is None:
        raise ClaimsError(f"case '{name}': no such case")
    return found


@dataclass
class _ActorChanges:
    created: list[dict[str, Any]] = field(default_factory=list)
    aliases: list[dict[str, Any]] = field(default_factory=list)


def _resolve(
    connection: Connection,
    index: ActorIndex,
    case_id: int,
    speaker: Speaker | None,
    changes: _ActorChanges,
) -> int | None:
    """The actor id for a speaker, creating the actor if no known one fits."""
    if speaker is None or speaker.type == "pronoun" or not normalise(speaker.name):
        return None
    found = index.find(speaker.name, speaker.type, speaker.affiliation)
    if found is None and speaker.resolved_from:
        found = index.find(speaker.resolved_from, speaker.type, speaker.affiliation)
    if found is not None:
        added = [
            name
            for name in (speaker.name, speaker.resolved_from)
            if name and speaker.type != "pronoun" and index.add_alias(found, name)
        ]
        if speaker.resolved_from and speaker.type == "person":
            added = [name for name in added if name != speaker.resolved_from]
        if added:
            connection.execute(
                update(Actor).where(Actor.id == found.id).values(aliases=list(found.aliases))
            )
            changes.aliases.append({"actor_id": found.id, "aliases": added})
        return found.id
    aliases = []
    if speaker.resolved_from and speaker.type == "state" and speaker.resolved_from != speaker.name:
        aliases.append(speaker.resolved_from)
    row: dict[str, Any] = {
        "case_id": case_id,
        "name": speaker.name[:300],
        "type": _ACTOR_TYPES.get(speaker.type, "other"),
        "aliases": aliases,
        "title": speaker.title,
        "affiliation": speaker.affiliation,
        "data": {"first_seen_as": speaker.resolved_from or speaker.name},
    }
    new_id = connection.execute(insert(Actor).values(**row)).inserted_primary_key
    assert new_id is not None
    actor = KnownActor(
        int(new_id[0]),
        str(row["name"]),
        str(row["type"]),
        aliases,
        speaker.title,
        speaker.affiliation,
    )
    index.add(actor)
    changes.created.append({"actor_id": actor.id, "name": actor.name, "type": actor.type})
    return actor.id


def write_claims(
    connection: Connection,
    writer: LedgerWriter,
    case_id: int,
    item_id: int,
    records: Sequence[ClaimRecord],
    *,
    text_extractor: str,
    version: str,
) -> list[int]:
    """Store one document's claims (and any new actors) with its ``enriched`` event."""
    index = load_index(connection, case_id)
    changes = _ActorChanges()
    rows = []
    for record in records:
        found = record.attribution
        actor_id = _resolve(connection, index, case_id, found.speaker, changes)
        speaker = found.speaker
        rows.append(
            {
                "case_id": case_id,
                "actor_id": actor_id,
                "item_id": item_id,
                "text": found.content.text,
                "start": found.content.start,
                "end": found.content.end,
                "cue": found.cue.text,
                "date": record.date,
                "date_phrase": record.date_phrase,
                "forum": "",
                "slots": {},
                "origin": text_extractor,
                "data": {
                    "source": found.source.as_dict() if found.source else None,
                    "cue": found.cue.as_dict(),
                    "content": found.content.as_dict(),
                    "continuation": [part.as_dict() for part in found.continuation],
                    "speaker": {
                        "name": speaker.name,
                        "type": speaker.type,
                        "title": speaker.title,
                        "affiliation": speaker.affiliation,
                        "resolved_from": speaker.resolved_from,
                    }
                    if speaker
                    else None,
                    "extractor": version,
                },
            }
        )
    ids: list[int] = []
    if rows:
        ids = list(
            connection.execute(
                insert(Claim).returning(Claim.id, sort_by_parameter_order=True), rows
            ).scalars()
        )
    writer.append(
        "enriched",
        case_id=case_id,
        item_id=item_id,
        details={
            "enricher": "claims",
            "extractor": version,
            "spacy_model": SPACY_MODEL,
            "cues_sha256": cues_digest(),
            "text": text_extractor,
            "claims": len(ids),
            "claim_ids": ids,
            "actors_created": changes.created,
            "aliases_added": changes.aliases,
        },
    )
    return ids


def _document_text(connection: Connection, item_id: int) -> tuple[str, str] | None:
    row = connection.execute(
        select(ItemText.extractor, ItemText.text)
        .where(ItemText.item_id == item_id, ItemText.extractor.like("text/%"))
        .order_by(ItemText.id.desc())
        .limit(1)
    ).first()
    return (str(row[0]), str(row[1])) if row else None


def _anchor(item: Any, text: str) -> dt.date | None:
    meta = item.meta or {}
    fields = item.fields or {}
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


@dataclass
class ClaimsRun:
    """What a claims pass over items did."""

    items: int = 0
    claims: int = 0
    skipped: int = 0
    without_text: list[int] = field(default_factory=list)


def enrich_items(
    store: Store,
    case_id: int,
    item_ids: Iterable[int],
    *,
    extractor: ClaimExtractor | None = None,
    progress: bool = True,
    batch_size: int = 16,
    default_date: dt.date | None = None,
) -> ClaimsRun:
    """Extract and store the claims of documents that have none yet (re-runs are no-ops).

    ``default_date`` dates the documents whose own date (metadata, fields, dateline) is unknown.
    """
    run = ClaimsRun()
    wanted = sorted(set(item_ids))
    with store.engine.connect() as connection:
        done = set(
            connection.execute(
                select(Claim.item_id).where(Claim.item_id.in_(wanted)).distinct()
            ).scalars()
        )
        done |= set(
            connection.execute(
                select(Item.id).where(
                    Item.id.in_(wanted),
                    Item.id.in_(_enriched_items(case_id)),
                )
            ).scalars()
        )
        jobs: list[tuple[int, str, str, dt.date | None]] = []
        columns = select(
            Item.id, Item.kind, Item.media_type, Item.fields, Item.meta.label("meta")
        ).where(Item.id.in_(wanted))
        for item in connection.execute(columns).mappings():
            item_view = _ItemView(item)
            if (
                item["id"] in done
                or item["kind"] not in CLAIM_KINDS
                or item["media_type"] in FEED_TYPES
            ):
                run.skipped += 1
                continue
            found = _document_text(connection, item["id"])
            if found is None or not found[1].strip():
                run.without_text.append(item["id"])
                continue
            anchor = _anchor(item_view, found[1]) or default_date
            jobs.append((item["id"], found[0], found[1], anchor))
    if not jobs:
        return run
    extractor = extractor or ClaimExtractor()
    bar = _bar(len(jobs), progress)
    records_stream = extractor.extract_many(
        ((text, anchor) for _, _, text, anchor in jobs), batch_size=batch_size
    )
    for (item_id, text_extractor, _, _), records in zip(jobs, records_stream, strict=True):
        with store.writing() as (connection, writer):
            ids = write_claims(
                connection,
                writer,
                case_id,
                item_id,
                records,
                text_extractor=text_extractor,
                version=extractor.version,
            )
        run.items += 1
        run.claims += len(ids)
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return run


def _enriched_items(case_id: int) -> Any:
    """Items whose claims were extracted already, even if none were found."""
    from enquiry.store.tables import CustodyEvent

    return select(CustodyEvent.item_id).where(
        CustodyEvent.case_id == case_id,
        CustodyEvent.action == "enriched",
        CustodyEvent.details.like('%"enricher":"claims"%'),
    )


class _ItemView:
    """Attribute access to an item row mapping (``meta`` is the ``metadata`` column)."""

    def __init__(self, row: Any) -> None:
        self.meta = row.get("meta") or {}
        self.fields = row.get("fields") or {}


def _bar(total: int, enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="claims", file=sys.stderr, leave=False)


def find_actor(connection: Connection, case_id: int, ref: str) -> Any:
    """An actor of the case by number, name or alias."""
    query = select(*ACTORS.c).where(Actor.case_id == case_id)
    if ref.isdigit():
        row = connection.execute(query.where(Actor.id == int(ref))).mappings().first()
        if row is not None:
            return row
    key = normalise(ref)
    for row in connection.execute(query.order_by(Actor.id)).mappings():
        names = [normalise(name) for name in [row["name"], *(row["aliases"] or [])]]
        if key in names and row["merged_into"] is None:
            return row
    raise ClaimsError(f"actor '{ref}': no such actor in this case")


def merge_actors(store: Store, case: str, ref_a: str, ref_b: str) -> tuple[str, str, int]:
    """Merge actor A into actor B: B keeps A's names as aliases and A's claims.

    A stays in the catalogue, marked as merged, so the merge can be read back from both the
    table and the ledger.
    """
    case_id = case_id_of(store, case)
    with store.writing() as (connection, writer):
        a = find_actor(connection, case_id, ref_a)
        b = find_actor(connection, case_id, ref_b)
        if a["id"] == b["id"]:
            raise ClaimsError(f"actors '{ref_a}' and '{ref_b}' are the same actor")
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
    return str(a["name"]), str(b["name"]), int(moved or 0)


def party_actor_ids(connection: Connection, case_id: int, party: str) -> list[int]:
    """Actors that speak for ``party``: the actor so named (or aliased), actors merged into
    it, and actors affiliated to it directly or through another actor ("Russia" takes in the
    Ministry of Defence and the ministry's spokesman)."""
    rows = list(connection.execute(select(*ACTORS.c).where(Actor.case_id == case_id)).mappings())
    names_of = {
        int(row["id"]): {normalise(name) for name in [row["name"], *(row["aliases"] or [])]}
        for row in rows
    }
    key = normalise(party)
    members = {actor_id for actor_id, names in names_of.items() if key in names}
    changed = True
    while changed:
        known = set().union(*(names_of[actor_id] for actor_id in members)) | {key}
        grown = members | {
            int(row["id"])
            for row in rows
            if normalise(row["affiliation"] or "") in known
            or (row["merged_into"] is not None and int(row["merged_into"]) in members)
        }
        changed = grown != members
        members = grown
    return sorted(members)


def list_claims(store: Store, case: str, party: str | None = None) -> list[dict[str, Any]]:
    """The case's claims in date order, each with its actor, item and offsets."""
    case_id = case_id_of(store, case)
    with store.engine.connect() as connection:
        query = (
            select(*CLAIMS.c, Actor.name.label("actor_name"), Item.original_name)
            .outerjoin(Actor, Actor.id == Claim.actor_id)
            .outerjoin(Item, Item.id == Claim.item_id)
            .where(Claim.case_id == case_id)
        )
        if party:
            ids = party_actor_ids(connection, case_id, party)
            if not ids:
                raise ClaimsError(f"party '{party}': no actor of case '{case}' has this name")
            query = query.where(or_(Claim.actor_id.in_(ids)))
        rows = connection.execute(query.order_by(Claim.date.asc().nulls_last(), Claim.id)).mappings().all()
    listed = []
    for row in rows:
        data = row["data"] or {}
        listed.append(
            {
                "id": row["id"],
                "item_id": row["item_id"],
                "item": row["original_name"],
                "actor_id": row["actor_id"],
                "actor": row["actor_name"],
                "source": data.get("source"),
                "cue": data.get("cue") or {"text": row["cue"]},
                "content": {"text": row["text"], "start": row["start"], "end": row["end"]},
                "continuation": data.get("continuation") or [],
                "date": row["date"],
                "date_phrase": row["date_phrase"],
            }
        )
    return listed


def ingest_paths(
    store: Store,
    paths: Sequence[Path],
    *,
    case: str,
    kind: str | None = None,
    source: str | None = None,
    progress: bool = True,
    on_problem: Any = None,
    default_date: dt.date | None = None,
) -> tuple[list[Any], ClaimsRun]:
    """Store files, folders and feeds through intake, then extract the claims of each document.

    A feed file is preserved as it came, and each of its entries becomes a document of its own.
    """
    from enquiry.enrich import default_extractors
    from enquiry.intake.feeds import is_feed, read_feed
    from enquiry.intake.pipeline import IntakeOptions, add_bytes, add_paths
    from enquiry.intake.walk import walk

    options = IntakeOptions(case=case, kind=kind, source=source, progress=progress)
    extractors = default_extractors()
    feeds = [
        entry.path for entry in walk(list(paths)) if entry.problem is None and is_feed(entry.path)
    ]
    others = [path for path in paths if path not in feeds]
    results: list[Any] = []
    if others:
        folders = [path for path in others if path.is_dir()]
        files = [path for path in others if not path.is_dir()]
        expanded = (
            files + [entry.path for entry in walk(folders) if entry.path not in feeds]
            if feeds and folders
            else others
        )
        report = add_paths(store, expanded, options, extractors, on_problem=on_problem)
        results.extend(report.results)
    for feed in feeds:
        report = add_paths(store, [feed], options, extractors, on_problem=on_problem)
        results.extend(report.results)
        feed_problems: list[str] = []
        _title, entries = read_feed(feed, feed_problems)
        for problem in feed_problems:
            if on_problem is not None:
                on_problem(problem)
        for entry in entries:
            entry_report = add_bytes(
                store, entry.document().encode("utf-8"), entry.name(feed), options, extractors
            )
            results.extend(entry_report.results)
    case_id = case_id_of(store, case)
    item_ids = [
        result.item_id
        for result in results
        if result.item_id is not None and result.status != "rejected"
    ]
    run = enrich_items(store, case_id, item_ids, progress=progress, default_date=default_date)
    return results, run


SAME_CLAIM = 0.75


def _claim_text(text: str) -> str:
    """What is embedded: the claim's words without quotation marks or a leading "that"."""
    plain = text.strip().strip("\"'“”‘’«»,").strip()
    return plain[5:] if plain.lower().startswith("that ") else plain


def ensure_embeddings(store: Store, case_id: int, embedder: Any = None) -> int:
    """Embed the case's claims that have no vector from the current model yet; the vectors
    are derived records, so their creation is a ledger event naming the model."""
    from enquiry.enrich.text.embed import MODEL_NAME, default_embedder, to_bytes

    with store.engine.connect() as connection:
        have = select(Embedding.claim_id).where(
            Embedding.model == MODEL_NAME, Embedding.claim_id.is_not(None)
        )
        rows = connection.execute(
            select(Claim.id, Claim.text).where(Claim.case_id == case_id, Claim.id.not_in(have))
        ).all()
    if not rows:
        return 0
    embedder = embedder or default_embedder()
    vectors = embedder.embed([_claim_text(text) for _, text in rows])
    with store.writing() as (connection, writer):
        connection.execute(
            insert(Embedding),
            [
                {
                    "claim_id": claim_id,
                    "item_id": None,
                    "model": MODEL_NAME,
                    "vector": to_bytes(vector),
                }
                for (claim_id, _), vector in zip(rows, vectors, strict=True)
            ],
        )
        writer.append(
            "derived",
            case_id=case_id,
            details={
                "derived": "claim embeddings",
                "model": MODEL_NAME,
                "pooling": "mean, L2-normalised",
                "claims": len(rows),
                "claim_ids": [claim_id for claim_id, _ in rows],
            },
        )
    return len(rows)


def similar_claims(
    store: Store, claim_id: int, limit: int = 10, embedder: Any = None
) -> tuple[dict[str, Any], list[tuple[float, dict[str, Any]]]]:
    """The claims of the same case closest in meaning to ``claim_id``, best first."""
    import numpy as np

    from enquiry.enrich.text.embed import MODEL_NAME, from_bytes

    with store.engine.connect() as connection:
        case_id = connection.execute(select(Claim.case_id).where(Claim.id == claim_id)).scalar()
        if case_id is None:
            raise ClaimsError(f"claim {claim_id}: no such claim")
        case_name = connection.execute(select(Case.name).where(Case.id == case_id)).scalar_one()
    ensure_embeddings(store, case_id, embedder)
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(Embedding.claim_id, Embedding.vector)
            .join(Claim, Claim.id == Embedding.claim_id)
            .where(Claim.case_id == case_id, Embedding.model == MODEL_NAME)
        ).all()
    ids = [int(row[0] or 0) for row in rows]
    matrix = np.stack([from_bytes(row[1]) for row in rows])
    target = matrix[ids.index(claim_id)]
    scores = matrix @ target
    listed = {claim["id"]: claim for claim in list_claims(store, str(case_name))}
    ranked = sorted(
        (
            (float(score), listed[other])
            for other, score in zip(ids, scores, strict=True)
            if other != claim_id
        ),
        key=lambda pair: -pair[0],
    )
    return listed[claim_id], ranked[:limit]


SUGGESTED_RATING = {"supports": "C", "refutes": "I", "neutral": "N"}


def _hypotheses(connection: Connection, case_id: int) -> list[Any]:
    return list(
        connection.execute(
            select(
                Hypothesis.id,
                Hypothesis.key,
                Hypothesis.label,
                Hypothesis.description,
                Incident.slug,
            )
            .join(Incident, Incident.id == Hypothesis.incident_id)
            .where(Incident.case_id == case_id)
            .order_by(Incident.id, Hypothesis.id)
        ).mappings()
    )


def suggest_stances(
    store: Store, claim_ids: Sequence[int], *, model: Any = None, embedder: Any = None
) -> list[dict[str, Any]]:
    """Suggest each claim's stance toward every hypothesis of its case's incidents and keep
    the suggestions (replacing earlier ones of the same model). Nothing becomes a rating."""
    from enquiry.enrich.text.embed import default_embedder
    from enquiry.enrich.text.stance import default_model

    model = model or default_model()
    with store.engine.connect() as connection:
        claims = connection.execute(
            select(Claim.id, Claim.case_id, Claim.text).where(Claim.id.in_(list(claim_ids)))
        ).all()
        missing = set(claim_ids) - {row[0] for row in claims}
        if missing:
            raise ClaimsError(f"claim {min(missing)}: no such claim")
        hypotheses = {
            case_id: _hypotheses(connection, case_id) for case_id in {row[1] for row in claims}
        }
    pairs = [(claim, hypothesis) for claim in claims for hypothesis in hypotheses[claim[1]]]
    if not pairs:
        return []
    texts = [_claim_text(claim[2]) for claim, _ in pairs]
    targets = [str(hypothesis["label"]) for _, hypothesis in pairs]
    stances = model.predict(targets, texts, embedder or default_embedder())
    out = []
    with store.writing() as (connection, writer):
        ids = [claim[0] for claim in claims]
        connection.execute(
            delete(ClaimStance).where(
                ClaimStance.claim_id.in_(ids), ClaimStance.model == model.name
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
                {
                    **row,
                    "hypothesis": hypothesis["key"],
                    "incident": hypothesis["slug"],
                    "label": hypothesis["label"],
                    "probabilities": stance.probabilities,
                }
            )
        connection.execute(insert(ClaimStance), rows)
        for case_id in sorted({claim[1] for claim in claims}):
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


def accept_stance(
    store: Store,
    claim_id: int,
    hypothesis_ref: str,
    *,
    rating: str | None = None,
    rationale: str = "",
) -> dict[str, Any]:
    """An analyst turns a suggested stance into a rating of the claim against a hypothesis."""
    from enquiry.store.ledger import utc_now

    with store.writing() as (connection, writer):
        case_id = connection.execute(select(Claim.case_id).where(Claim.id == claim_id)).scalar()
        if case_id is None:
            raise ClaimsError(f"claim {claim_id}: no such claim")
        fitting = [
            h
            for h in _hypotheses(connection, case_id)
            if hypothesis_ref in (str(h["id"]), h["key"], f"{h['slug']}/{h['key']}")
        ]
        if not fitting:
            raise ClaimsError(f"hypothesis '{hypothesis_ref}': no such hypothesis in the case")
        if len(fitting) > 1:
            raise ClaimsError(
                f"hypothesis '{hypothesis_ref}': several incidents have it; "
                f"write INCIDENT/{hypothesis_ref}"
            )
        hypothesis = fitting[0]
        suggestion = connection.execute(
            select(ClaimStance.stance, ClaimStance.score, ClaimStance.model)
            .where(ClaimStance.claim_id == claim_id, ClaimStance.hypothesis_id == hypothesis["id"])
            .order_by(ClaimStance.id.desc())
        ).first()
        if rating is None:
            if suggestion is None:
                raise ClaimsError(
                    f"claim {claim_id}: no stance suggested toward '{hypothesis_ref}'; "
                    "run 'enquiry claims stance' first or give --rating"
                )
            rating = SUGGESTED_RATING[suggestion[0]]
        row = {
            "hypothesis_id": hypothesis["id"],
            "item_id": None,
            "claim_id": claim_id,
            "rating": rating,
            "likelihood": None,
            "rationale": rationale,
            "analyst": store.actor,
            "created_at": utc_now(),
        }
        new_id = connection.execute(insert(Rating).values(**row)).inserted_primary_key
        assert new_id is not None
        details = {
            "rating_id": int(new_id[0]),
            "claim_id": claim_id,
            "hypothesis": hypothesis["key"],
            "incident": hypothesis["slug"],
            "rating": rating,
            "rationale": rationale,
            "from_suggestion": (
                {"stance": suggestion[0], "score": suggestion[1], "model": suggestion[2]}
                if suggestion
                else None
            ),
        }
        writer.append("rated", case_id=case_id, details=details)
    return details
