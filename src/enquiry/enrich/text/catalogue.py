"""Claims and actors in the catalogue: how the text pipeline's findings are stored and read.

A document's claims are written by the enricher runner (see :mod:`enquiry.enrich.text.enrichers`)
in the same transaction as the ``enriched`` ledger event naming the extractor and its version, so
that any claim can be traced to the item, the text and the software that produced it. New
speakers become actors. The services that list, match, rate and merge live in
:mod:`enquiry.app.claims`; this module holds what they share with the enrichers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Table, select, update

from enquiry.enrich.text.actors import ActorIndex, KnownActor, normalise
from enquiry.errors import NotFound
from enquiry.store.db import insert_rows
from enquiry.store.tables import Actor, Claim, Hypothesis, Incident, row_id

if TYPE_CHECKING:
    # The parser's types only: importing spaCy takes over a second, which a command that only
    # lists claims should not pay.
    from enquiry.enrich.text.attribution import Speaker
    from enquiry.enrich.text.claims import ClaimRecord

CLAIM_KINDS = ("document", "statement")
ACTORS = cast(Table, Actor.__table__)
CLAIMS = cast(Table, Claim.__table__)
_ACTOR_TYPES = {"person": "person", "state": "state", "organisation": "organisation"}


@cache
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


@dataclass
class _ActorChanges:
    """What resolving one document's speakers changed: actors to create (their rows written
    together once the document is resolved, when their numbers are known) and aliases added."""

    new: list[tuple[KnownActor, dict[str, Any]]] = field(default_factory=list)
    aliases: list[tuple[KnownActor, list[str]]] = field(default_factory=list)

    def write(self, connection: Connection) -> None:
        """Insert the new actors in the order they were met; give each its number."""
        if not self.new:
            return
        for actor, row in self.new:
            row["aliases"] = list(actor.aliases)
        ids = insert_rows(connection, ACTORS, [row for _actor, row in self.new])
        for (actor, _row), new_id in zip(self.new, ids, strict=True):
            actor.id = int(new_id)

    def created(self) -> list[dict[str, Any]]:
        return [{"actor_id": a.id, "name": a.name, "type": a.type} for a, _row in self.new]

    def added(self) -> list[dict[str, Any]]:
        return [{"actor_id": a.id, "aliases": names} for a, names in self.aliases]


def _resolve(
    connection: Connection,
    index: ActorIndex,
    case_id: int,
    speaker: Speaker | None,
    changes: _ActorChanges,
) -> KnownActor | None:
    """The actor a speaker is, a new one (written by :meth:`_ActorChanges.write`) if no known
    one fits."""
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
            if all(actor is not found for actor, _row in changes.new):
                connection.execute(
                    update(Actor).where(Actor.id == found.id).values(aliases=list(found.aliases))
                )
            changes.aliases.append((found, added))
        return found
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
    actor = KnownActor(
        0, str(row["name"]), str(row["type"]), list(aliases), speaker.title, speaker.affiliation
    )
    index.add(actor)
    changes.new.append((actor, row))
    return actor


def write_claim_rows(
    connection: Connection,
    case_id: int,
    item_id: int,
    records: Sequence[ClaimRecord],
    *,
    text_extractor: str,
    version: str,
    withhold_names: bool = False,
    actors: dict[int, ActorIndex] | None = None,
) -> dict[str, Any]:
    """Store one document's claims (and any new speakers as actors) inside the caller's
    transaction; return what was written, for the ledger event that vouches for it.

    With ``withhold_names`` (the document is protected: its speakers may be the witness and
    the people she names) the event names the actors created and the aliases added by number
    only; the rows themselves are vouched for by the ledger's record of changed rows.

    ``actors`` keeps each case's actor index across the documents written in one transaction
    (read once, then kept up to date here as speakers are added), so a transaction of many
    documents does not read and normalise every actor of the case again for each.
    """
    if actors is None:
        index = load_index(connection, case_id)
    else:
        if case_id not in actors:
            actors[case_id] = load_index(connection, case_id)
        index = actors[case_id]
    changes = _ActorChanges()
    # A claim the item already holds (the same words at the same place, under the same cue) is
    # not stored twice when its text is read again (``enrich --force``, a new version of the
    # reader): the one stored may be cited by stances and ratings, and stays.
    held = {
        (start, end, text, cue)
        for start, end, text, cue in connection.execute(
            select(Claim.start, Claim.end, Claim.text, Claim.cue).where(Claim.item_id == item_id)
        )
    }
    rows = []
    speakers: list[KnownActor | None] = []
    for record in records:
        found = record.attribution
        if (found.content.start, found.content.end, found.content.text, found.cue.text) in held:
            continue
        speakers.append(_resolve(connection, index, case_id, found.speaker, changes))
        speaker = found.speaker
        rows.append(
            {
                "case_id": case_id,
                "actor_id": None,
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
    changes.write(connection)
    for row, actor in zip(rows, speakers, strict=True):
        row["actor_id"] = None if actor is None else actor.id
    ids = insert_rows(connection, CLAIMS, rows)
    created, aliases = changes.created(), changes.added()
    if withhold_names:
        created = [{"actor_id": c["actor_id"], "type": c["type"]} for c in created]
        aliases = [{"actor_id": a["actor_id"], "aliases": len(a["aliases"])} for a in aliases]
    return {
        "claims": len(ids),
        "claim_ids": ids,
        "actors_created": created,
        "aliases_added": aliases,
    }


def find_actor(connection: Connection, case_id: int, ref: str) -> Any:
    """An actor of the case by number, name or alias."""
    query = select(*ACTORS.c).where(Actor.case_id == case_id)
    number = row_id(ref)  # a number no row can have (or "²") is looked for as a name
    if number is not None:
        row = connection.execute(query.where(Actor.id == number)).mappings().first()
        if row is not None:
            return row
    key = normalise(ref)
    for row in connection.execute(query.order_by(Actor.id)).mappings():
        names = [normalise(name) for name in [row["name"], *(row["aliases"] or [])]]
        if key in names and row["merged_into"] is None:
            return row
    raise NotFound(f"actor '{ref}': no such actor in this case")


def party_actor_ids(
    connection: Connection, case_id: int, party: str, *, leaving_out: frozenset[int] = frozenset()
) -> list[int]:
    """Actors that speak for ``party``: the actor so named (or aliased), actors merged into
    it, and actors affiliated to it directly or through another actor ("Russia" takes in the
    Ministry of Defence and the ministry's spokesman). Actors in ``leaving_out`` are not
    considered at all (speakers the asker may not know of)."""
    rows = [
        row
        for row in connection.execute(select(*ACTORS.c).where(Actor.case_id == case_id)).mappings()
        if int(row["id"]) not in leaving_out
    ]
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


def claim_text(text: str) -> str:
    """What is embedded: the claim's words without quotation marks or a leading "that"."""
    plain = text.strip().strip("\"'“”‘’«»,").strip()
    return plain[5:] if plain.lower().startswith("that ") else plain


def hypotheses(connection: Connection, case_id: int) -> list[Any]:
    """The hypotheses of the case's incidents, with the incident's slug, in order."""
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
