"""Claims read from an item before it was protected: their words held in its secret record.

An item taken in unprotected may have had its claims read (``enquiry ingest``, ``enquiry
enrich``) before anyone knew it was a witness's testimony. Those claims are the testimony's own
words — what was said, by whom, where and in which words — and their speaker may be the witness.
Protecting the item encrypts its bytes and texts; left in the ``claims`` and ``actors`` rows, the
same words would still sit in the catalogue in the clear, for anyone holding a copy of the home,
and a seal (consent withdrawn) would not reach them.

So protecting later moves them into the item's secret record, under its data key
(:func:`hold_claims`): each claim keeps its number, its place in the text (offsets), its cue
word, its date, its case-file links (incident, hypotheses, evidence) and its ratings, so the
analysis reads as before; its words, date phrase, forum, slots, the spans' text and the resolved
speaker go into the record. A speaker known only from protected items' claims is renamed
``[encrypted: speaker N]`` and its name, aliases, title and affiliation go into the record too.
Their vectors are removed (a vector of a witness's words says, in the clear, what they are
about). A seal then destroys them with the item's key; unprotecting puts them back
(:func:`restore_claims`); a reveal with the key and the right reads them
(:func:`disclosed_claims`).

What this cannot reach: the ledger's earlier events, which cannot be rewritten — the event that
recorded reading the claims names the speakers it created.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, delete, or_, select, update

from enquiry.store.crypt import WITHHELD_AT_REST
from enquiry.store.tables import Actor, Claim, Embedding, ItemKey, Source

CLAIMS = "claims"  # the secret record's section of claims, by claim id
ACTORS = "actors"  # and of speakers renamed with them, by actor id
# What a held claim's ``data`` keeps in the row: the case file's links (they decide what the
# analysis weighs) and which extractor read it; spans keep their offsets only.
KEPT_DATA = ("incident", "supports", "evidence", "outcome", "extractor", "cue")
SPANS = ("source", "content")


def masked_speaker(actor_id: int) -> str:
    """The name a speaker known only from protected items' claims stands under (unique in its
    case, as actor names must be)."""
    return f"[encrypted: speaker {actor_id}]"


def _offsets(span: Any) -> Any:
    """A span's offsets without its text (its parts too)."""
    if not isinstance(span, Mapping):
        return span
    kept: dict[str, Any] = {k: v for k, v in span.items() if k in ("start", "end")}
    parts = span.get("parts")
    if isinstance(parts, list):
        kept["parts"] = [_offsets(part) for part in parts]
    return kept


def _row_data(data: Mapping[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in data.items() if k in KEPT_DATA}
    for name in SPANS:
        if name in data:
            kept[name] = _offsets(data[name])
    return kept


def hold_claims(connection: Connection, item_id: int) -> dict[str, Any]:
    """Take the words of item ``item_id``'s claims (and of speakers no one else names) out of
    their rows; return them as sections of the item's secret record (empty if it has none).

    Called in the transaction that encrypts the item, before its secret record is sealed."""
    claims = connection.execute(
        select(
            Claim.id,
            Claim.actor_id,
            Claim.text,
            Claim.date_phrase,
            Claim.forum,
            Claim.slots,
            Claim.data,
        ).where(Claim.item_id == item_id, Claim.text != WITHHELD_AT_REST)
    ).all()
    if not claims:
        return {}
    held_claims: dict[str, Any] = {}
    for row in claims:
        held_claims[str(row.id)] = {
            "text": row.text,
            "date_phrase": row.date_phrase,
            "forum": row.forum,
            "slots": dict(row.slots or {}),
            "data": dict(row.data or {}),
        }
        connection.execute(
            update(Claim)
            .where(Claim.id == row.id)
            .values(
                text=WITHHELD_AT_REST,
                date_phrase="",
                forum="",
                slots={},
                data=_row_data(row.data or {}),
            )
        )
    ids = [int(row.id) for row in claims]
    connection.execute(delete(Embedding).where(Embedding.claim_id.in_(ids)))
    speakers = sorted({int(row.actor_id) for row in claims if row.actor_id is not None})
    held_actors = {
        str(actor_id): values
        for actor_id in speakers
        if (values := _hold_speaker(connection, actor_id, item_id)) is not None
    }
    return {CLAIMS: held_claims, **({ACTORS: held_actors} if held_actors else {})}


def claims_in_clear(connection: Connection, item_id: int) -> int:
    """How many of the item's claims still hold their words in their rows (read before it was
    protected, in a home made before such words were held with the item)."""
    return len(
        connection.execute(
            select(Claim.id).where(Claim.item_id == item_id, Claim.text != WITHHELD_AT_REST)
        ).all()
    )


def _hold_speaker(connection: Connection, actor_id: int, item_id: int) -> dict[str, Any] | None:
    """Rename a speaker whom only protected items' claims name; its values, or None if it is
    named elsewhere (a claim of evidence in the clear, a case file's claim, a source, a merge)
    and so is no secret of this item's."""
    actor = connection.execute(select(Actor.__table__).where(Actor.id == actor_id)).first()
    if actor is None or actor.name == masked_speaker(actor_id):
        return None
    elsewhere = connection.execute(
        select(Claim.id).where(
            Claim.actor_id == actor_id,
            or_(
                Claim.item_id.is_(None),
                and_(Claim.item_id != item_id, Claim.item_id.not_in(select(ItemKey.item_id))),
            ),
        )
    ).first()
    named = (
        elsewhere is not None
        or connection.execute(select(Source.id).where(Source.actor_id == actor_id)).first()
        or connection.execute(select(Actor.id).where(Actor.merged_into == actor_id)).first()
        or actor.merged_into is not None
    )
    if named:
        return None
    values = {
        "name": actor.name,
        "aliases": list(actor.aliases or []),
        "title": actor.title,
        "affiliation": actor.affiliation,
        "data": dict(actor.data or {}),
    }
    connection.execute(
        update(Actor)
        .where(Actor.id == actor_id)
        .values(name=masked_speaker(actor_id), aliases=[], title="", affiliation="", data={})
    )
    return values


def restore_claims(connection: Connection, record: Mapping[str, Any]) -> None:
    """Put the claims and speakers a secret record holds back into their rows (an item
    unprotected). A claim removed since stays removed; a speaker whose name another actor of the
    case has taken since hands its claims to that actor."""
    for claim_id, values in dict(record.get(CLAIMS) or {}).items():
        connection.execute(
            update(Claim)
            .where(Claim.id == int(claim_id))
            .values(
                text=str(values.get("text") or ""),
                date_phrase=str(values.get("date_phrase") or ""),
                forum=str(values.get("forum") or ""),
                slots=dict(values.get("slots") or {}),
                data=dict(values.get("data") or {}),
            )
        )
    for key, values in dict(record.get(ACTORS) or {}).items():
        actor_id = int(key)
        actor = connection.execute(select(Actor.__table__).where(Actor.id == actor_id)).first()
        if actor is None or actor.name != masked_speaker(actor_id):
            continue
        name = str(values.get("name") or "")
        taken = connection.execute(
            select(Actor.id).where(Actor.case_id == actor.case_id, Actor.name == name)
        ).scalar()
        if taken is not None:
            connection.execute(
                update(Claim).where(Claim.actor_id == actor_id).values(actor_id=int(taken))
            )
            continue
        connection.execute(
            update(Actor)
            .where(Actor.id == actor_id)
            .values(
                name=name,
                aliases=list(values.get("aliases") or []),
                title=str(values.get("title") or ""),
                affiliation=str(values.get("affiliation") or ""),
                data=dict(values.get("data") or {}),
            )
        )


@dataclass
class Disclosed:
    """Held claims and speakers opened with the key, by claim id and by actor id."""

    claims: dict[int, dict[str, Any]] = field(default_factory=dict)
    actors: dict[int, dict[str, Any]] = field(default_factory=dict)

    def claim(self, claim_id: int, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` (a claim's columns) with what its item's record holds put back."""
        held = self.claims.get(claim_id)
        return dict(values) if held is None else {**values, **held}

    def speaker(self, actor_id: int | None, name: str | None) -> str | None:
        """The speaker's name as it was, where the record holds it."""
        held = self.actors.get(actor_id or 0)
        return name if held is None else str(held.get("name") or name)


def disclosed_claims(records: Iterable[Mapping[str, Any]]) -> Disclosed:
    """What the secret records of items (opened by the caller, with the key) hold of their
    claims and speakers."""
    found = Disclosed()
    for record in records:
        for claim_id, values in dict(record.get(CLAIMS) or {}).items():
            found.claims[int(claim_id)] = dict(values)
        for actor_id, values in dict(record.get(ACTORS) or {}).items():
            found.actors[int(actor_id)] = dict(values)
    return found
