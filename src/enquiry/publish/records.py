"""Track records read from the catalogue: every claim as a report by its source.

A source's *record* is what became of the claims it made once an outcome was settled — by an
analyst closing the claim, by outcomes imported from a file, or by a case file's ``outcome:`` —
in any case of the home. The same source in several cases (the same name) has one record, a
Beta posterior pooled by the source's kind (:func:`enquiry.analysis.truth.track_record`); the
analysis input carries it beside each source's grade (:func:`analysis_records`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from enquiry.analysis.inputs import SourceRecord
from enquiry.analysis.truth import Reliability, Report, suggested_grade, track_record
from enquiry.store.tables import Actor, Claim, Item, Source

UNSPECIFIED = "unspecified"


def source_key(name: str) -> str:
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class HomeReports:
    """Every claim of the home as a report by its source, and the outcomes settled."""

    reports: list[Report]
    known: dict[str, str]
    names: dict[str, str]
    """A source's key -> the name it is shown by."""


def _claim_source(
    claim: Any,
    item_source: Mapping[int, int],
    source_of_actor: Mapping[int, int],
    actor_parent: Mapping[int, int],
) -> int | None:
    """The source a claim came from: its item's source, else the source speaking for its
    actor, or for the body the actor speaks for (up to three steps up)."""
    if claim.item_id is not None and claim.item_id in item_source:
        return item_source[claim.item_id]
    actor = claim.actor_id
    for _ in range(4):
        if actor is None:
            return None
        if actor in source_of_actor:
            return source_of_actor[actor]
        actor = actor_parent.get(actor)
    return None


def home_reports(connection: Connection) -> HomeReports:
    """Each claim of every case as a ``for`` report by its source, keyed by source name across
    cases; a claim's outcome (case file, close or import) makes it known."""
    sources = {
        row.id: row
        for row in connection.execute(
            select(Source.id, Source.case_id, Source.name, Source.actor_id)
        )
    }
    actors = {
        row.id: row
        for row in connection.execute(
            select(Actor.id, Actor.case_id, Actor.name, Actor.type, Actor.affiliation)
        )
    }
    by_name = {(a.case_id, source_key(a.name)): a.id for a in actors.values()}
    actor_parent = {
        a.id: by_name[(a.case_id, source_key(a.affiliation))]
        for a in actors.values()
        if a.affiliation and (a.case_id, source_key(a.affiliation)) in by_name
    }
    source_of_actor = {s.actor_id: s.id for s in sources.values() if s.actor_id is not None}
    item_source = {
        int(row.id): int(row.source_id)
        for row in connection.execute(
            select(Item.id, Item.source_id).where(Item.source_id.is_not(None))
        )
    }
    reports: list[Report] = []
    known: dict[str, str] = {}
    names: dict[str, str] = {}
    for claim in connection.execute(
        select(Claim.id, Claim.item_id, Claim.actor_id, Claim.date, Claim.text, Claim.data)
    ):
        source_id = _claim_source(claim, item_source, source_of_actor, actor_parent)
        if source_id is None:
            continue
        source = sources[source_id]
        kind = actors[source.actor_id].type if source.actor_id in actors else UNSPECIFIED
        key = source_key(source.name)
        names.setdefault(key, source.name)
        name = f"claim-{claim.id}"
        reports.append(Report(name, key, "for", claim.date, claim.text, kind or UNSPECIFIED))
        outcome = (claim.data or {}).get("outcome") or {}
        if outcome.get("truth") in ("true", "false", "unknown"):
            known[name] = str(outcome["truth"])
    return HomeReports(reports, known, names)


def records(connection: Connection) -> dict[str, Reliability]:
    """Every source's record over the whole home, by source key (its name, case-folded)."""
    found = home_reports(connection)
    return track_record(found.reports, found.known)


def analysis_records(connection: Connection, names: Mapping[int, str]) -> dict[str, SourceRecord]:
    """The records of the sources named (source id -> the name the analysis input uses), for
    the engine; sources without a report on a settled claim are left out."""
    found = records(connection)
    out = {}
    for name in names.values():
        record = found.get(source_key(name))
        if record is None or record.n == 0:
            continue
        suggested = suggested_grade(record)
        out[name] = SourceRecord(
            right=round(record.right),
            reports=record.n,
            reliability=round(record.mean, 4),
            low=round(record.low, 4),
            high=round(record.high, 4),
            suggested="" if suggested == "F" else suggested,
        )
    return out
