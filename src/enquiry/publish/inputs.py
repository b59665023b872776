"""From the catalogue to the analysis engine: one incident as an :class:`AnalysisInput`.

The engine is pure and never sees the database; this module is the one place that decides how
rows become its input, so that every number in a report can be traced back: evidence ids are
item and claim keys, clusters are named after the shared origin or the original item, and the
input's hash (:func:`inputs_hash`) is stored with every finding.

It also gathers what a report shows beside the engine's result (casualty figures by source, the
evidence annex with each item's hash and custody summary), read in the same session.

Protection starts here: unless the caller reveals, a protected item's arrival file name, origin,
identifying fields and text (and the text of claims found in it) never enter the engine's input
or the report's context, so nothing built from them can show them (:class:`Withholding`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from enquiry.analysis.inputs import (
    AnalysisInput,
    EstablishedFacts,
)
from enquiry.analysis.inputs import (
    Claim as ClaimInput,
)
from enquiry.analysis.inputs import (
    Evidence as EvidenceInput,
)
from enquiry.analysis.inputs import (
    Hypothesis as HypothesisInput,
)
from enquiry.analysis.result import EarlierWording
from enquiry.intake.casefile import earlier_wordings
from enquiry.model.kinds import KindError, get_kind
from enquiry.model.sample_custody import CHECKED_FIELDS, CustodyFinding, sample_findings
from enquiry.publish.records import analysis_records
from enquiry.store.crypt import WITHHELD_AT_REST, WITHHELD_SAID, KeyUnavailable
from enquiry.store.ledger import STATE_COLUMNS, canonical
from enquiry.store.protected import Opener, at_rest
from enquiry.store.tables import (
    Actor,
    Case,
    Claim,
    CustodyEvent,
    Hypothesis,
    Incident,
    Item,
    Rating,
    Source,
)

DATE_FIELDS = (
    ("collected_at", "collected"),
    ("captured_at", "captured"),
    ("interview_date", "interviewed"),
    ("stated_at", "stated"),
    ("published_at", "published"),
    ("delivered_at", "delivered"),
    ("analysed_at", "analysed"),
    ("claimed_at", "made, per its provider"),
    ("first_seen", "first seen"),
)
"""Which of an item's own dates a reader is shown, best first, and what each one means."""


def collection_date(
    fields: Mapping[str, Any], hidden: Sequence[str] = ()
) -> tuple[str, str] | None:
    """The item's own date and what it is (collected, captured, published, ...): when the
    investigation obtained it if that is recorded, else when it was made or published. Never
    the date it was loaded, which says nothing about the evidence. ``hidden`` fields (a
    protected item's identifying ones) are passed over."""
    for name, meaning in DATE_FIELDS:
        value = fields.get(name)
        if value and name not in hidden:
            text = str(value)
            return meaning, text[:10] if text[10:19] in ("", "T00:00:00") else text
    return None


class UnknownIncident(LookupError):
    """No incident has the slug asked for; the message lists the known ones."""


@dataclass(frozen=True)
class Custody:
    """An item's custody in brief: how many events, when first received, the last action."""

    events: int
    first_received: str | None
    last_action: str | None
    last_at: str | None
    last_actor: str | None


@dataclass(frozen=True)
class AnnexItem:
    """One line of the evidence annex. Identifying fields of protected items are not here."""

    id: int
    key: str
    kind: str
    kind_label: str
    title: str
    source: str
    reliability: str
    credibility: int | None
    sha256: str | None
    size: int | None
    media_type: str
    protected: bool
    derived_from: str | None
    origin: str | None
    custody: Custody
    dated: tuple[str, str] | None = None
    """The item's own date (collection first, see :func:`collection_date`), not the date it
    entered the vault."""
    sample_custody: tuple[CustodyFinding, ...] | None = None
    """For an environmental sample, what is wrong with its recorded chain of custody (see
    :func:`sample_custody`); None for any other item."""


def sample_custody(item: Item, withheld: Sequence[str]) -> tuple[CustodyFinding, ...] | None:
    """The findings on a sample's chain of custody as an output may show them: computed from
    the item's fields as read (opened, for a protected item, when the key was given), worded
    without quoting any value when a field the checks read is ``withheld`` from the output,
    and "not checked" when such a field is still held encrypted."""
    fields = item.fields or {}
    return sample_findings(
        item.kind,
        fields,
        withheld=withheld,
        unavailable=[n for n in CHECKED_FIELDS if fields.get(n) == WITHHELD_AT_REST],
    )


@dataclass(frozen=True)
class IncidentContext:
    """What a report needs besides the engine's result."""

    case: str
    case_title: str
    case_id: int
    incident_id: int
    slug: str
    title: str
    category: str
    description: str
    window: Mapping[str, str] | None
    place: Mapping[str, Any]
    means: tuple[str, ...]
    casualties: tuple[Mapping[str, Any], ...]
    annex: tuple[AnnexItem, ...]
    withholding: Withholding
    """What this context withholds, for text that arrives later (verify failure lines)."""
    mandate: str = ""
    replies: tuple[Mapping[str, Any], ...] = ()
    """Replies received from the parties, as the case file records them."""
    panel: tuple[Mapping[str, Any], ...] = ()
    """Who wrote and answers for the report, as the case file names them."""
    earlier_wording: tuple[EarlierWording, ...] = ()
    """Cells whose latest rating was made under an earlier wording of its hypothesis: left
    out of the input, and said so beside the result (see :func:`build_input`)."""
    read_from: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Each rated claim's evidence id -> the key of the item it was read from (see
    :func:`resting_on`)."""
    taken_in: tuple[Mapping[str, Any], ...] = ()
    """The bundles this case was taken in from, as the ledger's import events say: when, the
    manifest's SHA-256, the signer's key name and fingerprint, and what vouched for it (see
    :func:`taken_in`)."""


def taken_in(session: Session, case_id: int) -> tuple[dict[str, Any], ...]:
    """The bundle imports of this case, read from its ``transferred`` ledger events (covered
    by the hash chain, so the report's word on them can be checked), oldest first.

    The evidence and custody a case brought with it rest on whoever made the bundle: a report
    built on it must say whose word that is, and whether anything here vouched for the key
    that signed it."""
    out = []
    rows = session.execute(
        select(CustodyEvent.at, CustodyEvent.details)
        .where(CustodyEvent.action == "transferred", CustodyEvent.case_id == case_id)
        .order_by(CustodyEvent.seq)
    )
    for at, details in rows:
        said = json.loads(details)
        if not isinstance(said, dict) or said.get("what") != "bundle import":
            continue
        out.append(
            {
                "at": str(at),
                "manifest_sha256": str(said.get("manifest_sha256") or ""),
                "key": said.get("key"),
                "fingerprint": said.get("fingerprint"),
                "vouched": said.get("vouched"),
            }
        )
    return tuple(out)


def resting_on(context: IncidentContext, keys: Iterable[str]) -> set[str]:
    """The items ``keys`` and every piece of evidence that rests on them: items derived from
    one of them (a working copy, a translation, a keyframe; and what is derived from those),
    and claims read from any of these. What is set aside with an item whose integrity is in
    doubt (a sample whose chain of custody breaks) must take these with it, or the scenario
    without it would still count it through them."""
    resting = set(keys)
    derived = [(a.key, a.derived_from) for a in context.annex if a.derived_from]
    grew = True
    while grew:  # a chain of derivations, however long (each pass adds at least one item)
        grew = False
        for key, parent in derived:
            if parent in resting and key not in resting:
                resting.add(key)
                grew = True
    resting.update(claim for claim, item in context.read_from.items() if item in resting)
    return resting


def _incident(session: Session, slug: str) -> Incident:
    found = session.execute(select(Incident).where(Incident.slug == slug)).scalar_one_or_none()
    if found is None:
        known = ", ".join(session.execute(select(Incident.slug).order_by(Incident.slug)).scalars())
        raise UnknownIncident(f"no incident '{slug}' in this home (known: {known or 'none'})")
    return found


def affiliations(actors: Sequence[Actor]) -> dict[str, str]:
    """Actor -> the case actor it speaks for, as the engine's narratives expect.

    Konashenkov belongs to the Ministry of Defence, which belongs to the Russian Federation, so
    the engine can judge each speaker and also the line of the state they speak for. An
    affiliation that is not an actor of the case (a university) is no party line.
    """
    index = _actor_index(actors)
    out: dict[str, str] = {}
    for actor in actors:
        parent = index.get(actor.affiliation) if actor.affiliation else None
        if parent is not None and parent.name != actor.name:
            out[actor.name] = parent.name
    return out


def _actor_index(actors: Sequence[Actor]) -> dict[str, Actor]:
    index: dict[str, Actor] = {}
    for actor in actors:
        for alias in actor.aliases or []:
            index.setdefault(str(alias), actor)
    for actor in actors:
        index[actor.name] = actor
    return index


WITHHELD_TEXT = WITHHELD_SAID
"""What stands for the text of a claim found in a protected item."""

WITHHELD = "[withheld]"
"""What stands for a protected identity named in free text (a title, a rationale, a party)."""

SHORTEST_SECRET = 3
"""Identifying values shorter than this are not searched for in free text: they would match
inside ordinary words and blank out the report without protecting anyone."""


class Withholding:
    """What of the protected items a report may not show, and what stands in its place.

    Origins shared with a protected item are replaced by "withheld origin N" (numbered in the
    order items and claims are read), so the dependence clusters stay exactly as they are while
    the origin's words, which may name the witness or the place they were met, stay out.
    Free text written about the case (titles of other items, rationales, parties' names) is
    searched for the protected items' identifying values and arrival names, because an analyst
    may well have typed the witness's name where the kind's declaration cannot reach.
    """

    def __init__(self, items: Sequence[Item], claims: Sequence[Claim], reveal: bool) -> None:
        self.protected = {i.id for i in items if i.protected} if not reveal else set()
        shielded = [i for i in items if i.id in self.protected]
        secret = [i.origin for i in shielded if i.origin]
        secret += [c.origin for c in claims if c.item_id in self.protected and c.origin]
        self._origins: dict[str, str] = {}
        for origin in secret:
            self._origins.setdefault(origin, f"withheld origin {len(self._origins) + 1}")
        values = {v for item in shielded for v in _identities(item)}
        ordered = sorted(values, key=lambda v: (-len(v), v))  # longest first: whole names win
        self._pattern = (
            re.compile("|".join(re.escape(v) for v in ordered), re.IGNORECASE) if ordered else None
        )
        self._numbers = {v.casefold(): n for n, v in enumerate(ordered, 1)}

    def scrub(self, text: str) -> str:
        """Free text with every protected identity in it replaced by :data:`WITHHELD`."""
        return self._pattern.sub(WITHHELD, text) if self._pattern is not None else text

    def names(self, text: str) -> bool:
        """Whether ``text`` holds a protected identity."""
        return self._pattern is not None and self._pattern.search(text) is not None

    def numbered(self, text: str) -> str:
        """Free text with each protected identity replaced by a placeholder of its own,
        "[withheld N]": where the text is a name other records refer to (an actor in a case
        file), two witnesses' names stay two names."""
        if self._pattern is None:
            return text
        return self._pattern.sub(
            lambda found: f"[withheld {self._numbers.get(found.group().casefold(), 0)}]", text
        )

    def origin(self, origin: str | None) -> str | None:
        """The origin as it may be shown."""
        if origin is None:
            return None
        return self._origins.get(origin, self.scrub(origin))

    def title(self, item: Item) -> str:
        """An item's title: its ``title`` field, else (unprotected only) its arrival name, else
        its key. A protected item's title field is shown only when its kind does not declare
        ``title`` identifying."""
        fields = item.fields or {}
        if item.id not in self.protected:
            return self.scrub(str(fields.get("title") or item.original_name or item.key or item.id))
        title = fields.get("title") if "title" not in _identifying(item.kind) else None
        return self.scrub(str(title or item.key or f"item-{item.id}"))

    def claim_text(self, claim: Claim) -> str:
        """A claim's words, or a placeholder when it was found in a protected item."""
        return WITHHELD_TEXT if claim.item_id in self.protected else self.scrub(claim.text)


def _identities(item: Item) -> list[str]:
    """The strings that would identify a protected item's witness: its identifying fields' values
    and the name of the file it arrived in (unless that is only its key, as for inline text)."""
    fields = item.fields or {}
    found = [str(fields[name]) for name in _identifying(item.kind) if fields.get(name)]
    if item.original_name and item.original_name != item.key:
        found.append(item.original_name)
    return [v.strip() for v in found if len(v.strip()) >= SHORTEST_SECRET]


def _identifying(kind: str) -> tuple[str, ...]:
    try:
        return get_kind(kind).identifying_fields()
    except KindError:
        return ()


def _clusters(items: Sequence[Item], withholding: Withholding) -> dict[int, str]:
    """Items that share an origin or descend one from another, grouped; singletons left out."""
    parent: dict[int, int] = {item.id: item.id for item in items}

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def join(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_origin: dict[str, int] = {}
    for item in items:
        if item.derived_from is not None and item.derived_from in parent:
            join(item.id, item.derived_from)
        if item.origin:
            if item.origin in by_origin:
                join(item.id, by_origin[item.origin])
            else:
                by_origin[item.origin] = item.id
    members: dict[int, list[Item]] = {}
    for item in items:
        members.setdefault(root(item.id), []).append(item)
    names: dict[int, str] = {}
    for group in members.values():
        if len(group) < 2:
            continue
        first = min(group, key=lambda i: i.id)
        origin = withholding.origin(next((i.origin for i in group if i.origin), None))
        name = f"origin: {origin}" if origin else f"copies of {first.key or first.id}"
        for item in group:
            names[item.id] = name
    return names


@dataclass(frozen=True)
class RatingRecord:
    """One rating of one cell as it was given: who, what, why (free text scrubbed of protected
    identities, as the report scrubs it) and when."""

    rating_id: int
    analyst: str
    rating: str | None
    likelihood: float | None
    rationale: str
    created_at: str
    earlier_wording: bool = False
    """Made under an earlier wording of its hypothesis than the one it has now: it does not
    count (see :func:`build_input`)."""


@dataclass(frozen=True)
class EvidenceRow:
    """One row of the matrix an analyst works on: the evidence as the engine sees it (an
    unrated row has no ratings and is not in the engine's input), which item or claim it is,
    and every rating of each of its cells, oldest first (the last one counts)."""

    target: str
    """"item" or "claim"."""
    target_id: int
    item_id: int | None
    """The item, or the item the claim was read from."""
    protected: bool
    """The item (or the claim's item) is protected: its identities are withheld here."""
    evidence: EvidenceInput
    history: Mapping[str, tuple[RatingRecord, ...]]
    """Hypothesis key -> the cell's ratings, oldest first."""


def build_input(
    session: Session, slug: str, *, reveal: bool = False
) -> tuple[AnalysisInput, IncidentContext]:
    """The engine's input for incident ``slug``, and the context a report shows beside it.

    Evidence is every item or claim with at least one rating against the incident's
    hypotheses; where several analysts rated the same cell the latest rating counts. A rating
    made under an earlier wording of its hypothesis (reworded since: ``enquiry.model.wording``)
    judged a different question and never counts: the cell counts the latest rating made under
    the current wording, or none; the context's ``earlier_wording`` lists each cell where that
    set aside the latest rating, so that whatever shows the result says so. Protected
    items are described without their identities unless ``reveal`` (see :class:`Withholding`);
    the numbers do not depend on it, the input's hash does.
    """
    inp, context, _rows = _read(session, slug, reveal=reveal, every_row=False)
    return inp, context


def matrix_rows(
    session: Session, slug: str, *, reveal: bool = False
) -> tuple[AnalysisInput, IncidentContext, tuple[EvidenceRow, ...]]:
    """What :func:`build_input` gives, and the rows of the matrix an analyst rates: the rated
    evidence in the engine's order with each cell's every rating, then the case's unrated
    items and the incident's unrated claims, so that there is something to rate. Read in the
    same pass as the input, so the rows and the numbers cannot disagree."""
    return _read(session, slug, reveal=reveal, every_row=True)


def _read(
    session: Session, slug: str, *, reveal: bool, every_row: bool
) -> tuple[AnalysisInput, IncidentContext, tuple[EvidenceRow, ...]]:
    incident = _incident(session, slug)
    case = session.get(Case, incident.case_id)
    assert case is not None
    hyps = (
        session.execute(
            select(Hypothesis).where(Hypothesis.incident_id == incident.id).order_by(Hypothesis.id)
        )
        .scalars()
        .all()
    )
    hyp_key = {h.id: h.key for h in hyps}
    items = (
        session.execute(select(Item).where(Item.case_id == case.id).order_by(Item.id))
        .scalars()
        .all()
    )
    sources = {
        s.id: s for s in session.execute(select(Source).where(Source.case_id == case.id)).scalars()
    }
    actors = (
        session.execute(select(Actor).where(Actor.case_id == case.id).order_by(Actor.id))
        .scalars()
        .all()
    )
    actor_by_id = {a.id: a for a in actors}
    claims = (
        session.execute(select(Claim).where(Claim.case_id == case.id).order_by(Claim.id))
        .scalars()
        .all()
    )
    ratings = (
        session.execute(
            select(Rating)
            .where(Rating.hypothesis_id.in_(list(hyp_key)))
            .order_by(Rating.created_at, Rating.id)
        )
        .scalars()
        .all()
    )
    try:
        # With the key, even a report that withholds knows the identities it must scrub from
        # free text elsewhere (a title, a rationale, an actor's name).
        items = opened_items(session, items)
    except KeyUnavailable:
        if reveal:
            raise
    withholding = Withholding(items, claims, reveal)
    sealed = {i for i, held in at_rest(session.connection()).items() if held.sealed}
    clusters = _clusters(items, withholding)
    item_by_id = {i.id: i for i in items}
    claim_by_id = {c.id: c for c in claims}
    earlier = earlier_wordings(session.connection(), case.id, slug, hyps, ratings)
    cells: dict[tuple[str, int], dict[str, dict[str, Any]]] = {}
    history: dict[tuple[str, int], dict[str, list[Rating]]] = {}
    for rating in ratings:  # oldest first: the latest rating of a cell counts
        target = (
            ("item", rating.item_id) if rating.item_id is not None else ("claim", rating.claim_id)
        )
        if target[1] is None:
            continue
        history.setdefault((target[0], target[1]), {}).setdefault(
            hyp_key[rating.hypothesis_id], []
        ).append(rating)
        if rating.id in earlier:
            continue  # judged an earlier wording: listed below, never counted
        cell = cells.setdefault((target[0], target[1]), {})
        cell[hyp_key[rating.hypothesis_id]] = {
            "rating": rating.rating,
            "likelihood": rating.likelihood,
            "rationale": rating.rationale,
        }

    def row_evidence(what: str, row_id: int, cell: Mapping[str, Any]) -> EvidenceInput:
        if what == "item":
            item = item_by_id[row_id]
            found = _item_evidence(item, cell, sources, clusters, withholding)
            return dataclasses.replace(found, sealed=item.id in sealed)
        claim = claim_by_id[row_id]
        found = _claim_evidence(claim, cell, item_by_id, sources, actor_by_id, withholding)
        return dataclasses.replace(found, sealed=claim.item_id in sealed)

    rated = sorted(cells, key=lambda target: (target[0] != "item", target[1]))
    evidence = [row_evidence(what, row_id, cells[(what, row_id)]) for what, row_id in rated]
    evidence_ids = {target: e.id for target, e in zip(rated, evidence, strict=True)}
    set_aside: list[EarlierWording] = []
    for target in sorted(history, key=lambda t: (t[0] != "item", t[1])):
        for key, given in history[target].items():
            latest = given[-1]
            if latest.id not in earlier:
                continue
            if target not in evidence_ids:
                evidence_ids[target] = row_evidence(target[0], target[1], {}).id
            counting = cells.get(target, {}).get(key)
            set_aside.append(
                EarlierWording(
                    evidence=evidence_ids[target],
                    hypothesis=key,
                    rating=latest.rating,
                    likelihood=latest.likelihood,
                    analyst=withholding.scrub(latest.analyst or ""),
                    rated_at=latest.created_at,
                    counts=None
                    if counting is None
                    else (
                        counting["rating"]
                        if counting["likelihood"] is None
                        else f"p={counting['likelihood']:g}"
                    ),
                )
            )
    item_keys = {i.id: i.key or f"item-{i.id}" for i in items}
    claim_inputs: list[ClaimInput] = []
    for claim in claims:
        data = claim.data or {}
        if data.get("incident") not in (None, slug) or (
            not data.get("incident") and not data.get("supports")
        ):
            continue
        actor = actor_by_id.get(claim.actor_id or 0)
        key = claim.key or f"claim-{claim.id}"
        claim_inputs.append(
            ClaimInput(
                id=key,
                party=withholding.scrub(actor.name) if actor else "unknown",
                date=claim.date or "",
                text=withholding.claim_text(claim),
                forum=claim.forum,
                supports=tuple(str(h) for h in data.get("supports", [])),
                slots=dict(claim.slots or {}),
                evidence=tuple(str(e) for e in data.get("evidence", [])),
            )
        )
    claim_inputs.sort(key=lambda c: (c.date, c.id))
    data = dict(incident.data or {})
    window = (
        {"start": incident.window_start, "end": incident.window_end}
        if incident.window_start and incident.window_end
        else None
    )
    place = {
        k: v
        for k, v in {
            "name": incident.place,
            "lat": incident.lat,
            "lon": incident.lon,
            **dict(data.get("place", {})),
        }.items()
        if v not in (None, "")
    }
    means = tuple(str(m) for m in data.get("means", []))
    inp = AnalysisInput(
        incident=slug,
        hypotheses=tuple(
            HypothesisInput(id=h.key, label=h.label, is_other=bool(h.is_other), prior=h.prior)
            for h in hyps
        ),
        evidence=tuple(evidence),
        claims=tuple(claim_inputs),
        facts=EstablishedFacts(time_window=window, place=place or None, means=means),
        thresholds=dict(data["thresholds"]) if data.get("thresholds") else None,
        affiliations={
            withholding.scrub(a): withholding.scrub(b) for a, b in affiliations(actors).items()
        },
        records=analysis_records(session.connection(), {s.id: s.name for s in sources.values()}),
    )
    context = IncidentContext(
        taken_in=taken_in(session, case.id),
        case=case.name,
        case_title=case.title,
        case_id=case.id,
        incident_id=incident.id,
        slug=slug,
        title=incident.title,
        category=incident.category,
        description=str(data.get("description", "")),
        window=window,
        place=place,
        means=means,
        casualties=tuple(dict(c) for c in data.get("casualties", [])),
        annex=_annex(session, items, sources, item_keys, withholding),
        withholding=withholding,
        mandate=withholding.scrub(case.mandate or ""),
        replies=tuple(
            {k: withholding.scrub(str(v)) for k, v in dict(r).items()}
            for r in data.get("replies", [])
        ),
        panel=tuple(
            {k: withholding.scrub(str(v)) for k, v in dict(p).items()}
            for p in data.get("panel", [])
        ),
        earlier_wording=tuple(set_aside),
        read_from={
            e.id: item_keys[read]
            for (what, row_id), e in zip(rated, evidence, strict=True)
            if what == "claim" and (read := claim_by_id[row_id].item_id) in item_keys
        },
    )
    if not every_row:
        return inp, context, ()
    of_incident = {c.id for c in claim_inputs}
    targets = list(rated)
    # rows whose every rating judged an earlier wording: not in the input, still shown
    targets += sorted((t for t in history if t not in cells), key=lambda t: (t[0] != "item", t[1]))
    targets += [
        ("item", i.id)
        for i in items
        if ("item", i.id) not in cells and ("item", i.id) not in history
    ]
    targets += [
        ("claim", c.id)
        for c in claims
        if ("claim", c.id) not in cells
        and ("claim", c.id) not in history
        and (c.key or f"claim-{c.id}") in of_incident
    ]
    rows = []
    for n, (what, row_id) in enumerate(targets):
        item_id = row_id if what == "item" else claim_by_id[row_id].item_id
        owner = item_by_id.get(item_id) if item_id is not None else None
        rows.append(
            EvidenceRow(
                target=what,
                target_id=row_id,
                item_id=item_id,
                protected=bool(owner is not None and owner.protected),
                evidence=evidence[n] if n < len(evidence) else row_evidence(what, row_id, {}),
                history={
                    key: tuple(
                        RatingRecord(
                            rating_id=r.id,
                            analyst=r.analyst,
                            rating=r.rating,
                            likelihood=r.likelihood,
                            rationale=withholding.scrub(r.rationale or ""),
                            created_at=r.created_at,
                            earlier_wording=r.id in earlier,
                        )
                        for r in given
                    )
                    for key, given in history.get((what, row_id), {}).items()
                },
            )
        )
    return inp, context, tuple(rows)


def opened_items(session: Session, items: Sequence[Item]) -> list[Item]:
    """For a revealed report or export, and for knowing what to scrub from free text: detached copies of encrypted items with their secret records
    (arrival name, identifying fields, metadata) put back; needs the protection key. The
    copies never join the session, so nothing decrypted is written back."""
    held = at_rest(session.connection())
    opener: Opener | None = None
    out: list[Item] = []
    for item in items:
        found = held.get(item.id)
        if found is None or found.sealed:
            out.append(item)
            continue
        opener = opener or Opener(session.connection())
        record = opener.secret(item.id)
        copy = Item(**{column: getattr(item, column) for column in STATE_COLUMNS})
        copy.id = item.id
        copy.fields = {**dict(item.fields), **dict(record.get("fields") or {})}
        copy.original_name = str(record.get("name") or item.original_name)
        copy.meta = dict(record.get("meta") or {})
        out.append(copy)
    return out


def _item_evidence(
    item: Item,
    cell: Mapping[str, Mapping[str, Any]],
    sources: Mapping[int, Source],
    clusters: Mapping[int, str],
    withholding: Withholding,
) -> EvidenceInput:
    source = sources.get(item.source_id or 0)
    return EvidenceInput(
        id=item.key or f"item-{item.id}",
        label=withholding.title(item),
        kind=item.kind,
        reliability=source.reliability if source else "F",
        credibility=item.credibility or 6,
        source=source.name if source else None,
        ratings={h: c["rating"] for h, c in cell.items() if c["rating"]},
        likelihoods={h: c["likelihood"] for h, c in cell.items() if c["likelihood"] is not None},
        cluster=clusters.get(item.id),
        rationale={h: withholding.scrub(c["rationale"]) for h, c in cell.items() if c["rationale"]},
        sha256=item.sha256,
    )


def _claim_evidence(
    claim: Claim,
    cell: Mapping[str, Mapping[str, Any]],
    items: Mapping[int, Item],
    sources: Mapping[int, Source],
    actors: Mapping[int, Actor],
    withholding: Withholding,
) -> EvidenceInput:
    """A rated claim enters the matrix graded by the source of the item it was found in."""
    item = items.get(claim.item_id or 0)
    source = sources.get(item.source_id or 0) if item else None
    if source is None and claim.actor_id is not None:
        source = next((s for s in sources.values() if s.actor_id == claim.actor_id), None)
    actor = actors.get(claim.actor_id or 0)
    return EvidenceInput(
        id=claim.key or f"claim-{claim.id}",
        label=(
            f"{withholding.scrub(actor.name) if actor else 'unknown'}: "
            f"{withholding.claim_text(claim)}"
        )[:200],
        kind="claim",
        reliability=source.reliability if source else "F",
        credibility=(item.credibility if item and item.credibility else 6),
        source=source.name if source else None,
        ratings={h: c["rating"] for h, c in cell.items() if c["rating"]},
        likelihoods={h: c["likelihood"] for h, c in cell.items() if c["likelihood"] is not None},
        cluster=f"origin: {withholding.origin(claim.origin)}" if claim.origin else None,
        rationale={h: withholding.scrub(c["rationale"]) for h, c in cell.items() if c["rationale"]},
        sha256=item.sha256 if item else None,
    )


def _annex(
    session: Session,
    items: Sequence[Item],
    sources: Mapping[int, Source],
    keys: Mapping[int, str],
    withholding: Withholding,
) -> tuple[AnnexItem, ...]:
    ids = [i.id for i in items]
    counts: dict[int, int] = {}
    first: dict[int, str] = {}
    last: dict[int, tuple[int, str, str, str]] = {}
    if ids:
        for item_id, count, first_at in session.execute(
            select(CustodyEvent.item_id, func.count(), func.min(CustodyEvent.at))
            .where(CustodyEvent.item_id.in_(ids))
            .group_by(CustodyEvent.item_id)
        ):
            if item_id is not None:
                counts[item_id] = count
                first[item_id] = first_at
        for item_id, seq, action, at, actor in session.execute(
            select(
                CustodyEvent.item_id,
                CustodyEvent.seq,
                CustodyEvent.action,
                CustodyEvent.at,
                CustodyEvent.actor,
            ).where(CustodyEvent.item_id.in_(ids))
        ):
            if item_id is None:
                continue
            known = last.get(item_id)
            if known is None or seq > known[0]:
                last[item_id] = (seq, action, at, actor)
    annex = []
    for item in items:
        source = sources.get(item.source_id or 0)
        try:
            kind_label = get_kind(item.kind).label
        except KindError:
            kind_label = item.kind
        latest = last.get(item.id)
        hidden = _identifying(item.kind) if item.id in withholding.protected else ()
        annex.append(
            AnnexItem(
                id=item.id,
                key=keys[item.id],
                kind=item.kind,
                kind_label=kind_label,
                title=withholding.title(item),
                source=source.name if source else "",
                reliability=source.reliability if source else "F",
                credibility=item.credibility,
                sha256=item.sha256,
                size=item.size,
                media_type=item.media_type,
                protected=bool(item.protected),
                derived_from=keys.get(item.derived_from) if item.derived_from else None,
                origin=withholding.origin(item.origin),
                dated=collection_date(item.fields or {}, hidden),
                sample_custody=_scrubbed(sample_custody(item, hidden), withholding),
                custody=Custody(
                    events=counts.get(item.id, 0),
                    first_received=first.get(item.id),
                    last_action=latest[1] if latest else None,
                    last_at=latest[2] if latest else None,
                    last_actor=latest[3] if latest else None,
                ),
            )
        )
    return tuple(annex)


def _scrubbed(
    findings: tuple[CustodyFinding, ...] | None, withholding: Withholding
) -> tuple[CustodyFinding, ...] | None:
    """Findings whose sentences name no protected identity: a courier named in one sample's
    hand-overs may be a protected witness of another item, as a title or a rationale may name
    one (see :class:`Withholding`)."""
    if findings is None:
        return None
    return tuple(dataclasses.replace(f, message=withholding.scrub(f.message)) for f in findings)


def inputs_hash(inp: AnalysisInput) -> str:
    """SHA-256 of the input's canonical JSON: a finding names exactly what it was computed from."""
    return hashlib.sha256(canonical(dataclasses.asdict(inp)).encode("utf-8")).hexdigest()
