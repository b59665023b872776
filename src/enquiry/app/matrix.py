"""The evidence × hypothesis matrix as analysts work on it: read it, rate a cell, change the
hypotheses, run the analysis and read its latest result.

These are the services behind the web app's matrix page, its API and the ``enquiry rate`` /
``hypothesis`` / ``matrix`` commands. Every change is a ledger event naming the acting user (the
row digests the ledger writer adds vouch for the row itself), and a rating is never overwritten:
each one is a new row, and the analysis counts a cell's latest (see
:func:`enquiry.publish.inputs.build_input`). Keeping every analyst's rating is what lets the
matrix show where analysts disagree.

Rows are built by :func:`enquiry.publish.inputs.matrix_rows` in the same pass as the engine's
input, so labels, grades and rationales are withheld for protected items exactly as the report
withholds them, and a user who may not know protected items exist (a viewer) gets no row for
them at all.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.orm import Session

from enquiry.analysis.tables import RATING_SCALE
from enquiry.app.access import Right, find_visible_item, may, require, require_incident
from enquiry.app.context import Enquiry
from enquiry.app.publishing import analyse
from enquiry.errors import BadRequest, EnquiryError, Forbidden, NotFound, Refused
from enquiry.intake.walk import printable
from enquiry.model.grades import RATINGS
from enquiry.model.wording import Worded, wordings
from enquiry.publish.inputs import (
    EvidenceRow,
    RatingRecord,
    build_input,
    inputs_hash,
    matrix_rows,
)
from enquiry.publish.report import Analysis, analysis_of, engine_version, record_finding
from enquiry.store.ledger import canonical, utc_now
from enquiry.store.tables import (
    Claim,
    Comment,
    CustodyEvent,
    Finding,
    Hypothesis,
    Incident,
    Item,
    LedgerHead,
    Rating,
    row_id,
)

KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
"""A hypothesis key: short, and free of the ``/`` that joins it to an incident (``INC/H1``)."""


# --- reading the matrix ------------------------------------------------------------------------


@dataclass(frozen=True)
class HypothesisView:
    """One column: the hypothesis as the engine gets it, with its description."""

    key: str
    label: str
    description: str
    prior: float | None
    is_other: bool


@dataclass(frozen=True)
class AnalystRating:
    """One analyst's latest rating of a cell."""

    analyst: str
    rating: str | None
    likelihood: float | None
    rationale: str
    at: str
    earlier_wording: bool = False
    """Made under an earlier wording of the hypothesis than the one it has now."""


@dataclass(frozen=True)
class CellView:
    """One cell: the rating that counts (the latest, by whoever gave it), and every analyst's
    latest rating beside it. ``disagreement`` is set when analysts' latest ratings differ;
    ``spread`` measures by how much, in steps of the scale II < I < N < C < CC (None when
    fewer than two of them are on that scale: NA, or a likelihood given as a number)."""

    rating: str | None
    likelihood: float | None
    rationale: str
    analyst: str
    at: str
    analysts: tuple[AnalystRating, ...]
    disagreement: bool
    spread: int | None
    ratings: int
    """How many ratings the cell has had, from all analysts."""
    earlier_wording: bool = False
    """No rating of the cell was made under the hypothesis's current wording: the one shown
    (the latest) judged an earlier wording and does not count — the engine takes the cell
    as unrated until an analyst rates it again."""
    set_aside: int = 0
    """How many of the analysts' latest ratings of the cell judged an earlier wording."""


@dataclass(frozen=True)
class RowView:
    """One row: an item or a claim, its grade, and its cells by hypothesis key (a hypothesis
    not rated on this row has no cell)."""

    evidence: str
    target: str
    target_id: int
    label: str
    kind: str
    source: str | None
    reliability: str
    credibility: int
    protected: bool
    sealed: bool
    cluster: str | None
    counted: bool
    """The row is in the engine's input (it has at least one rating)."""
    cells: dict[str, CellView] = field(default_factory=dict)


@dataclass(frozen=True)
class MatrixView:
    """The incident's matrix as the acting user may see it."""

    incident: str
    title: str
    case: str
    hypotheses: tuple[HypothesisView, ...]
    rows: tuple[RowView, ...]
    disagreements: int
    """How many cells analysts disagree on."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``enquiry matrix --json`` and of the API."""
        return asdict(self)


def _steps(ratings: list[str | None]) -> int | None:
    on_scale = [RATING_SCALE.index(r) for r in ratings if r in RATING_SCALE]
    return max(on_scale) - min(on_scale) if len(on_scale) >= 2 else None


def _cell(history: tuple[RatingRecord, ...]) -> CellView:
    # the latest rating made under the hypothesis's current wording counts; when there is
    # none, the latest rating is shown, marked, and counts for nothing
    current = [given for given in history if not given.earlier_wording]
    counting = current[-1] if current else history[-1]
    latest: dict[str, RatingRecord] = {}
    for given in history:
        latest[given.analyst] = given
    analysts = tuple(
        AnalystRating(
            r.analyst, r.rating, r.likelihood, r.rationale, r.created_at, r.earlier_wording
        )
        for r in sorted(latest.values(), key=lambda r: (r.created_at, r.rating_id))
    )
    distinct = {(a.rating, a.likelihood) for a in analysts}
    return CellView(
        rating=counting.rating,
        likelihood=counting.likelihood,
        rationale=counting.rationale,
        analyst=counting.analyst,
        at=counting.created_at,
        analysts=analysts,
        disagreement=len(distinct) > 1,
        spread=_steps([a.rating for a in analysts]),
        ratings=len(history),
        earlier_wording=not current,
        set_aside=sum(1 for a in analysts if a.earlier_wording),
    )


def _row(row: EvidenceRow, counted: bool) -> RowView:
    e = row.evidence
    return RowView(
        evidence=e.id,
        target=row.target,
        target_id=row.target_id,
        label=e.label,
        kind=e.kind,
        source=e.source,
        reliability=e.reliability,
        credibility=e.credibility,
        protected=row.protected,
        sealed=e.sealed,
        cluster=e.cluster,
        counted=counted,
        cells={key: _cell(given) for key, given in row.history.items() if given},
    )


def matrix(app: Enquiry, incident: str) -> MatrixView:
    """The incident's hypotheses × its evidence rows (rated items and claims, then the case's
    unrated items and the incident's unrated claims), each cell with the rating that counts and
    every analyst's latest. Protected items' identities are withheld as in the report; a user
    who may not see protected items gets no row for them. Needs the right to read the case."""
    found = require_incident(app, incident)
    shows_protected = may(app, found.case_id, Right.PROTECTED_ITEMS)
    whole = _whole_matrix(app, found)
    if shows_protected:
        return whole
    shown = tuple(row for row in whole.rows if not row.protected)
    return replace(
        whole,
        rows=shown,
        disagreements=sum(1 for r in shown for c in r.cells.values() if c.disagreement),
    )


# The matrix as everyone allowed to see protected rows sees it, per incident, for as long as the
# ledger stands still: every change to a rating, a hypothesis, an item or a claim is a ledger
# event, so the head names the state the matrix was read from. A server answering many readers
# reads it once per change instead of once per request.
_MATRICES: dict[tuple[str, int, str], MatrixView] = {}
_MATRICES_LOCK = threading.Lock()
_MATRICES_KEPT = 32


def _whole_matrix(app: Enquiry, found: Incident) -> MatrixView:
    store = app.store(create=False)
    with store.session() as session:
        head = session.execute(select(LedgerHead.seq, LedgerHead.hash)).one()
        key = (f"{store.home}:{found.slug}", int(head.seq), str(head.hash))
        with _MATRICES_LOCK:
            cached = _MATRICES.get(key)
        if cached is not None:
            return cached
        inp, context, rows = matrix_rows(session, found.slug)
        hyps = session.scalars(
            select(Hypothesis).where(Hypothesis.incident_id == found.id).order_by(Hypothesis.id)
        ).all()
    counted = {e.id for e in inp.evidence}
    shown = tuple(_row(row, row.evidence.id in counted) for row in rows)
    view = MatrixView(
        incident=found.slug,
        title=context.title,
        case=context.case,
        hypotheses=tuple(
            HypothesisView(
                key=h.key,
                label=context.withholding.scrub(h.label),
                description=context.withholding.scrub(h.description or ""),
                prior=h.prior,
                is_other=bool(h.is_other),
            )
            for h in hyps
        ),
        rows=shown,
        disagreements=sum(1 for r in shown for c in r.cells.values() if c.disagreement),
    )
    with _MATRICES_LOCK:
        if len(_MATRICES) >= _MATRICES_KEPT:
            _MATRICES.pop(next(iter(_MATRICES)))
        _MATRICES[key] = view
    return view


# --- rating a cell -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RatedCell:
    """A rating just given: the new row, and the rating that counted before it (if any)."""

    rating_id: int
    incident: str
    hypothesis: str
    target: str
    target_id: int
    rating: str
    rationale: str
    analyst: str
    previous: str | None
    previous_analyst: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Hypothesis:
    id: int
    key: str
    label: str
    description: str
    prior: float | None
    is_other: bool


def _hypothesis(connection: Connection, incident: Incident, key: str) -> _Hypothesis:
    """The incident's hypothesis ``key``, read in the caller's transaction."""
    known = [
        _Hypothesis(int(r.id), r.key, r.label, r.description or "", r.prior, bool(r.is_other))
        for r in connection.execute(
            select(
                Hypothesis.id,
                Hypothesis.key,
                Hypothesis.label,
                Hypothesis.description,
                Hypothesis.prior,
                Hypothesis.is_other,
            )
            .where(Hypothesis.incident_id == incident.id)
            .order_by(Hypothesis.id)
        )
    ]
    for h in known:
        if h.key == key:
            return h
    listed = ", ".join(h.key for h in known) or "none"
    raise NotFound(
        f"hypothesis '{printable(key)}': no such hypothesis in incident '{incident.slug}' "
        f"(known: {listed})"
    )


def incident_wordings(connection: Connection, incident_id: int) -> dict[str, str]:
    """Hypothesis key -> the digest of its wording now (:mod:`enquiry.model.wording`), for
    every hypothesis of the incident, read in the caller's transaction."""
    rows = connection.execute(
        select(Hypothesis.key, Hypothesis.label, Hypothesis.description, Hypothesis.is_other).where(
            Hypothesis.incident_id == incident_id
        )
    )
    return wordings(
        Worded(str(r.key), str(r.label), str(r.description or ""), bool(r.is_other)) for r in rows
    )


def wording_of(connection: Connection, hypothesis_id: int) -> str:
    """The digest of hypothesis ``hypothesis_id``'s wording now: what a rating made against
    it now records, so that a later rewording shows the rating as one of an earlier text."""
    found = connection.execute(
        select(Hypothesis.incident_id, Hypothesis.key).where(Hypothesis.id == hypothesis_id)
    ).one()
    return incident_wordings(connection, int(found.incident_id))[str(found.key)]


def _earlier_count(
    connection: Connection, incident_id: int, before: dict[str, str]
) -> dict[str, Any]:
    """What a change of the incident's hypotheses did to the ratings made under them: which
    hypotheses' wording changed (the catch-all's changes with any rival's) and how many of
    their ratings now stand against an earlier wording. Empty when no wording changed."""
    now = incident_wordings(connection, incident_id)
    changed = sorted(k for k, digest in before.items() if now.get(k) != digest)
    if not changed:
        return {}
    ids = {
        int(row.id): str(row.key)
        for row in connection.execute(
            select(Hypothesis.id, Hypothesis.key).where(
                Hypothesis.incident_id == incident_id, Hypothesis.key.in_(changed)
            )
        )
    }
    earlier = sum(
        1
        for hyp_id, wording in connection.execute(
            select(Rating.hypothesis_id, Rating.wording).where(Rating.hypothesis_id.in_(list(ids)))
        )
        if wording != now[ids[hyp_id]]
    )
    return {"reworded": changed, "ratings_of_earlier_wording": earlier}


def _rating_code(rating: str) -> str:
    code = rating.strip().upper()
    if code not in RATINGS:
        raise BadRequest(
            f"rating '{printable(rating[:10])}': not a rating (one of {', '.join(RATINGS)})"
        )
    return code


def _reason(rationale: str, what: str) -> str:
    text = (rationale or "").strip()
    if not text:
        raise BadRequest(f"{what}: a rationale is required (--rationale TEXT)")
    return text


def _claim_id(ref: str) -> int:
    """The claim number ``ref`` spells; 0, which no claim has, for a number beyond any row."""
    text = str(ref).strip().lower().removeprefix("claim:")
    if not text.isascii() or not text.isdigit():
        raise BadRequest(f"claim '{printable(str(ref))}': give the claim's number")
    return row_id(text) or 0


def rate(
    app: Enquiry,
    incident: str,
    hypothesis: str,
    *,
    item: str | None = None,
    claim: str | int | None = None,
    rating: str,
    rationale: str,
) -> RatedCell:
    """The acting analyst rates how an item or a claim of the incident's case bears on one
    hypothesis. A new rating row is written (earlier ones stay: the latest counts), with a
    ``rated`` event naming the analyst, the cell, the rating and the one it replaces. Needs
    the right to analyse; a rationale is required; the rating is one the engine knows."""
    if (item is None) == (claim is None):
        raise BadRequest("rate: give exactly one of an item or a claim (--item ID or --claim ID)")
    code = _rating_code(rating)
    reason = _reason(rationale, f"rating of {hypothesis}")
    found = require_incident(app, incident, Right.ANALYSE)
    store = app.store(create=False)
    with store.session() as session:
        if item is not None:
            target_item: Item | None = find_visible_item(app, session, item, Right.ANALYSE)
            assert target_item is not None
            if target_item.case_id != found.case_id:
                raise NotFound(
                    f"item '{printable(item)}': not in the case of incident '{found.slug}'"
                )
            target, target_id = "item", target_item.id
        else:
            target_id = _claim_id(str(claim))
            row = session.get(Claim, target_id)
            target_item = session.get(Item, row.item_id) if row and row.item_id else None
            hidden = (
                target_item is not None
                and not may(app, found.case_id, Right.PROTECTED_ITEMS)
                and bool(target_item.protected)
            )
            if row is None or row.case_id != found.case_id or hidden:
                raise NotFound(
                    f"claim {printable(str(claim))}: no such claim in the case of incident"
                    f" '{found.slug}'"
                )
            target = "claim"
    column = Rating.item_id if target == "item" else Rating.claim_id
    with store.writing() as (connection, writer):
        hyp = _hypothesis(connection, found, hypothesis)
        before = connection.execute(
            select(Rating.rating, Rating.likelihood, Rating.analyst)
            .where(Rating.hypothesis_id == hyp.id, column == target_id)
            .order_by(Rating.created_at.desc(), Rating.id.desc())
            .limit(1)
        ).first()
        new = connection.execute(
            insert(Rating).values(
                hypothesis_id=hyp.id,
                item_id=target_id if target == "item" else None,
                claim_id=target_id if target == "claim" else None,
                rating=code,
                likelihood=None,
                rationale=reason,
                analyst=app.actor,
                created_at=utc_now(),
                wording=incident_wordings(connection, found.id)[hyp.key],
            )
        ).inserted_primary_key
        assert new is not None
        previous = None
        if before is not None:
            previous = before.rating if before.likelihood is None else f"p={before.likelihood}"
        writer.append(
            "rated",
            case_id=found.case_id,
            item_id=target_id if target == "item" else None,
            details={
                "incident": found.slug,
                "hypothesis": hyp.key,
                target: target_id,
                "rating_id": int(new[0]),
                "rating": code,
                "previous": None
                if before is None
                else {"rating": previous, "analyst": before.analyst},
                "analyst": app.actor,
                # the rationale may name a witness: the row's digest vouches for it, the
                # event carries only its hash (as a case file's ratings do)
                "rationale": hashlib.sha256(reason.encode("utf-8")).hexdigest(),
            },
        )
    return RatedCell(
        rating_id=int(new[0]),
        incident=found.slug,
        hypothesis=hyp.key,
        target=target,
        target_id=target_id,
        rating=code,
        rationale=reason,
        analyst=app.actor,
        previous=previous,
        previous_analyst=before.analyst if before is not None else None,
    )


# --- hypotheses --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HypothesisChange:
    """A hypothesis added or changed: what it is now and, for a change, what it was."""

    incident: str
    key: str
    label: str
    description: str
    prior: float | None
    is_other: bool
    changed: dict[str, Any] = field(default_factory=dict)
    was: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _prior(prior: float | None) -> float | None:
    if prior is not None and not 0.0 < prior <= 1.0:
        raise BadRequest(f"prior {prior}: must be above 0 and at most 1")
    return prior


def _check_priors(
    connection: Connection, incident: Incident, key: str, prior: float | None
) -> None:
    """Stated priors are kept and the rest of the mass is shared by the others: together they
    may not exceed 1, or the engine would have to scale what the analysts stated."""
    if prior is None:
        return
    others = connection.execute(
        select(func.coalesce(func.sum(Hypothesis.prior), 0.0)).where(
            Hypothesis.incident_id == incident.id, Hypothesis.key != key
        )
    ).scalar()
    if float(others or 0.0) + prior > 1.0 + 1e-9:
        raise BadRequest(
            f"prior {prior} for {key}: the incident's stated priors would add up to more than 1 "
            f"(the others already state {float(others or 0.0):g})"
        )


def add_hypothesis(
    app: Enquiry,
    incident: str,
    key: str,
    label: str,
    description: str = "",
    prior: float | None = None,
    *,
    other: bool = False,
) -> HypothesisChange:
    """Add a hypothesis to the incident (a ``created`` event naming the analyst). The incident
    keeps exactly one catch-all: ``other`` is refused when it has one already."""
    key = key.strip()
    if not KEY.match(key):
        raise BadRequest(
            f"hypothesis key '{printable(key[:50])}': use up to 40 letters, digits, '.', '_' or "
            "'-' (e.g. H5)"
        )
    label = label.strip()
    if not label:
        raise BadRequest(f"hypothesis {key}: a label is required")
    _prior(prior)
    found = require_incident(app, incident, Right.ANALYSE)
    store = app.store(create=False)
    with store.writing() as (connection, writer):
        rows = connection.execute(
            select(Hypothesis.key, Hypothesis.is_other).where(Hypothesis.incident_id == found.id)
        ).all()
        if any(r.key == key for r in rows):
            raise Refused(
                f"hypothesis {key}: incident '{found.slug}' has it already "
                "(change it with 'enquiry hypothesis update')"
            )
        if other and any(r.is_other for r in rows):
            raise Refused(
                f"hypothesis {key}: incident '{found.slug}' has its catch-all 'other' hypothesis "
                "already (there is exactly one)"
            )
        _check_priors(connection, found, key, prior)
        before = incident_wordings(connection, found.id)
        described = description.strip()
        values: dict[str, Any] = {
            "label": label,
            "description": described,
            "is_other": other,
            "prior": prior,
        }
        connection.execute(insert(Hypothesis).values(incident_id=found.id, key=key, **values))
        # a new rival narrows the catch-all: its ratings now stand against an earlier wording
        consequence = _earlier_count(connection, found.id, before)
        writer.append(
            "created",
            case_id=found.case_id,
            details={
                "hypothesis": key,
                "incident": found.slug,
                "analyst": app.actor,
                **values,
                **consequence,
            },
        )
    return HypothesisChange(found.slug, key, label, described, prior, other)


def update_hypothesis(
    app: Enquiry,
    incident: str,
    key: str,
    *,
    label: str | None = None,
    description: str | None = None,
    prior: float | None = None,
    clear_prior: bool = False,
    rationale: str,
) -> HypothesisChange:
    """Change a hypothesis's label, description or prior (``clear_prior`` lets the engine share
    the rest of the mass to it again), with the reason for the change; an ``updated`` event
    names the analyst, what changed and what it was. Whether it is the catch-all never
    changes here, so the incident keeps exactly one."""
    reason = _reason(rationale, f"change of hypothesis {key}")
    if prior is not None and clear_prior:
        raise BadRequest(f"hypothesis {key}: give a prior or clear it, not both")
    if label is not None and not label.strip():
        raise BadRequest(f"hypothesis {key}: the label may not be empty")
    _prior(prior)
    found = require_incident(app, incident, Right.ANALYSE)
    store = app.store(create=False)
    with store.writing() as (connection, writer):
        hyp = _hypothesis(connection, found, key)
        wanted: dict[str, Any] = {}
        if label is not None:
            wanted["label"] = label.strip()
        if description is not None:
            wanted["description"] = description.strip()
        if prior is not None or clear_prior:
            wanted["prior"] = prior
        current = {"label": hyp.label, "description": hyp.description, "prior": hyp.prior}
        changed = {k: v for k, v in wanted.items() if current[k] != v}
        if not changed:
            raise BadRequest(
                f"hypothesis {key}: nothing to change (give a new label, description or prior)"
            )
        _check_priors(connection, found, key, changed.get("prior"))
        before = incident_wordings(connection, found.id)
        connection.execute(update(Hypothesis).where(Hypothesis.id == hyp.id).values(**changed))
        was = {k: current[k] for k in changed}
        # a new wording leaves the ratings made under the old one standing against it: the
        # event says which hypotheses that touched and how many ratings
        consequence = _earlier_count(connection, found.id, before)
        writer.append(
            "updated",
            case_id=found.case_id,
            details={
                "hypothesis": key,
                "incident": found.slug,
                "analyst": app.actor,
                "changed": changed,
                "was": was,
                "rationale": reason,
                **consequence,
            },
        )
    now = {**current, **changed}
    return HypothesisChange(
        found.slug,
        key,
        str(now["label"]),
        str(now["description"] or ""),
        now["prior"],
        bool(hyp.is_other),
        changed=changed,
        was=was,
    )


# --- analysis runs -----------------------------------------------------------------------------


def run_analysis(
    app: Enquiry, incident: str, *, allow_unverified: bool = False
) -> tuple[Analysis, int]:
    """Verify, analyse the incident and store the result as a finding (an ``analysed`` event),
    as a report does but without writing one. Analysts and reviewers may run it."""
    found = require_incident(app, incident)
    require_analyse_or_review(app, found.case_id, f"incident '{found.slug}'", "run an analysis")
    result = analyse(app, found.slug, allow_unverified=allow_unverified)
    finding_id, _created = record_finding(app.store(create=False), result)
    return result, finding_id


class _Standing:
    """What a finding's and a sign-off's standing share: whether it holds, and its record."""

    status: str  # a field of each subclass (both are dataclasses)

    @property
    def current(self) -> bool:
        """Whether it still holds (``status`` is ``current``)."""
        return self.status == "current"

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = asdict(self)  # type: ignore[call-overload]
        return record


@dataclass(frozen=True)
class FindingStanding(_Standing):
    """How a stored finding stands against the catalogue as it is now.

    A finding is a row anyone with the database file could edit, and a matrix that keeps
    moving: whoever reads or signs one must learn whether its numbers still follow from the
    recorded inputs. ``status`` is one of

    * ``current`` — computed from exactly the input the catalogue gives now, by this engine,
      and the engine gives the stored result again, digit for digit;
    * ``stale`` — a rating, hypothesis, grade, item or claim changed since (or the engine did):
      its numbers are not what the catalogue gives now;
    * ``altered`` — its input is the current one, but the stored result is not what the engine
      computes from it: the row was edited after it was written;
    * ``unverified`` — computed on a catalogue that failed verification.
    """

    status: str
    explanation: str
    current_inputs_hash: str
    result_sha256: str
    """SHA-256 of the stored result's canonical JSON: what a sign-off binds."""


@dataclass(frozen=True)
class SignOffStanding(_Standing):
    """A reviewer's sign-off of one of the incident's findings, and whether what it signed
    still holds: ``current`` when the signed finding is current (see :class:`FindingStanding`)
    and the sign-off's ledger event binds that finding's inputs hash and result as stored."""

    comment_id: int
    finding_id: int
    author: str
    created_at: str
    statement: str
    inputs_hash: str
    """The inputs hash the sign-off's ``commented`` event carries."""
    status: str
    """``current``, ``stale``, ``altered`` or ``unverified`` (the signed finding's standing),
    or ``unbound`` when the event does not name the finding's inputs and result as stored."""
    explanation: str
    rated_by_author: bool = False
    """The sign-off's author had rated evidence of the incident when the finding was run: they
    vouch for judgements of their own, so the sign-off is not an independent review. Shown
    wherever sign-offs are, so a reader can tell a second pair of eyes from the first."""


@dataclass(frozen=True)
class LatestResult:
    """The incident's latest stored finding. For a user who may not know protected items
    exist, rows and lists naming them are left out of ``result`` (its numbers still count
    them: the finding is what it is).

    ``standing`` says whether its numbers are what the catalogue gives now, and
    ``sign_offs`` every sign-off of the incident's findings with whether it still holds, so
    that a reader never takes stored numbers, or an old sign-off, for the current ones."""

    finding_id: int
    incident: str
    created_at: str
    inputs_hash: str
    engine_version: str
    result: dict[str, Any]
    standing: FindingStanding | None = None
    sign_offs: tuple[SignOffStanding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def result_digest(result: dict[str, Any]) -> str:
    """SHA-256 of a stored result's canonical JSON (the form every enquiry hash is taken of)."""
    return hashlib.sha256(canonical(result).encode("utf-8")).hexdigest()


def _current_input(session: Session, slug: str, finding: Finding) -> tuple[Analysis | None, str]:
    """The incident's input as the catalogue gives it now, analysed when it is the input
    ``finding`` was computed from, and its hash. A finding made for a report that revealed
    protected identities hashes the revealed input: that one is tried too (its identities go
    nowhere; only the hash and the numbers are compared), when the protection key opens it."""
    inp, context = build_input(session, slug)
    digest = inputs_hash(inp)
    if digest != finding.inputs_hash:
        try:
            revealed, revealed_context = build_input(session, slug, reveal=True)
        except (EnquiryError, ValueError):
            return None, digest
        if inputs_hash(revealed) != finding.inputs_hash:
            return None, digest
        inp, context = revealed, revealed_context
    try:
        return analysis_of(inp, context), inputs_hash(inp)
    except ValueError:
        return None, digest


def finding_standing(session: Session, slug: str, finding: Finding) -> FindingStanding:
    """Check a stored finding against the catalogue now: is it computed from the current
    input, by this engine, and does the engine give its stored result again? (The engine is
    pure and fast: re-running it is the only check that the row's numbers were not edited.)"""
    stored = dict(finding.result)
    digest = result_digest(stored)
    if stored.get("unverified"):
        return FindingStanding(
            "unverified",
            f"finding {finding.id} was computed on a catalogue that failed verification",
            finding.inputs_hash,
            digest,
        )
    analysis, now = _current_input(session, slug, finding)
    if finding.engine_version != engine_version():
        return FindingStanding(
            "stale",
            f"finding {finding.id} was computed by engine {finding.engine_version}; this is "
            f"engine {engine_version()}",
            now,
            digest,
        )
    if analysis is None:
        return FindingStanding(
            "stale",
            f"finding {finding.id} was computed from inputs {finding.inputs_hash[:12]}; the "
            f"catalogue now gives {now[:12]} (a rating, hypothesis, grade, item or claim "
            f"changed since{_reworded_since(session, slug, stored)}): run the analysis again",
            now,
            digest,
        )
    fresh = json.loads(canonical(analysis.result.to_dict()))
    if canonical(fresh) != canonical(stored):
        return FindingStanding(
            "altered",
            f"finding {finding.id}: the stored result is not what the engine computes from its "
            "inputs (the row was edited after it was written); run 'enquiry verify'",
            now,
            digest,
        )
    return FindingStanding(
        "current",
        f"finding {finding.id} is computed from the current inputs and reproduces",
        now,
        digest,
    )


def _reworded_since(session: Session, slug: str, stored: dict[str, Any]) -> str:
    """The part of a stale finding's explanation that names ratings it counted which now
    stand against an earlier wording of their hypothesis: the finding weighed them as
    ratings of the current text, and a reader must not take it so."""
    _inp, context = build_input(session, slug)
    rows = {r.get("evidence"): r for r in (stored.get("matrix") or {}).get("rows", [])}
    counted = []
    for entry in context.earlier_wording:
        cell = ((rows.get(entry.evidence) or {}).get("cells") or {}).get(entry.hypothesis) or {}
        if cell.get("rating") not in (None, "NA") or entry.rating == "NA":
            counted.append(f"{entry.evidence} × {entry.hypothesis}")
    if not counted:
        return ""
    more = f" and {len(counted) - 5} more" if len(counted) > 5 else ""
    return (
        f"; it counted {len(counted)} rating(s) since set aside as made under an earlier "
        f"wording of their hypothesis: {', '.join(counted[:5])}{more}"
    )


def _sign_off_events(session: Session, case_id: int) -> dict[int, dict[str, Any]]:
    """Each sign-off comment's ``commented`` event details, by comment id."""
    events: dict[int, dict[str, Any]] = {}
    for text in session.scalars(
        select(CustodyEvent.details).where(
            CustodyEvent.case_id == case_id, CustodyEvent.action == "commented"
        )
    ):
        try:
            details = json.loads(text)
        except ValueError:
            continue
        if isinstance(details, dict) and details.get("kind") == "sign-off":
            comment = details.get("comment")
            if isinstance(comment, int):
                events[comment] = details
    return events


def sign_off_standings(
    session: Session, incident: Incident, standing: dict[int, FindingStanding] | None = None
) -> tuple[SignOffStanding, ...]:
    """Every sign-off of the incident's findings, oldest first, with whether it still holds.

    A sign-off holds only while the finding it names is current and its ledger event names that
    finding's inputs hash (and, for sign-offs that carry it, the SHA-256 of its result) as the
    row now stores them: a sign-off moved onto another finding, or a finding edited under a
    sign-off, reads ``unbound``. ``standing`` holds standings already worked out, by finding."""
    known = dict(standing or {})
    findings = {
        f.id: f for f in session.scalars(select(Finding).where(Finding.incident_id == incident.id))
    }
    if not findings:
        return ()
    subjects = {f"finding:{n}": n for n in findings}
    rows = session.scalars(
        select(Comment)
        .where(
            Comment.case_id == incident.case_id,
            Comment.kind == "sign-off",
            Comment.subject.in_(list(subjects)),
        )
        .order_by(Comment.id)
    ).all()
    events = _sign_off_events(session, incident.case_id) if rows else {}
    rated = (
        session.execute(
            select(Rating.analyst, Rating.created_at)
            .join(Hypothesis, Hypothesis.id == Rating.hypothesis_id)
            .where(Hypothesis.incident_id == incident.id)
        ).all()
        if rows
        else []
    )
    out = []
    for row in rows:
        finding = findings[subjects[row.subject]]
        if finding.id not in known:
            known[finding.id] = finding_standing(session, incident.slug, finding)
        now = known[finding.id]
        details = events.get(row.id, {})
        bound_hash = str(details.get("inputs_sha256", ""))
        bound_result = details.get("result_sha256")
        if (
            details.get("finding") != finding.id
            or bound_hash != finding.inputs_hash
            or (bound_result is not None and bound_result != now.result_sha256)
        ):
            status, why = (
                "unbound",
                f"sign-off {row.id}: its ledger event does not name finding {finding.id} as "
                "stored (inputs or result); run 'enquiry verify'",
            )
        else:
            status, why = now.status, now.explanation
        out.append(
            SignOffStanding(
                comment_id=row.id,
                finding_id=finding.id,
                author=row.author,
                created_at=row.created_at,
                statement=row.body,
                inputs_hash=bound_hash,
                status=status,
                explanation=why,
                rated_by_author=_same_person(row.author)
                in {_same_person(a) for a, at in rated if at <= finding.created_at},
            )
        )
    return tuple(out)


def _same_person(name: str | None) -> str:
    """A name as compared between a rating's analyst and a sign-off's author (case and spacing
    aside: the command line, the web app and case files write them alike otherwise)."""
    return " ".join((name or "").split()).casefold()


def latest_finding(session: Session, incident_id: int) -> Finding | None:
    """The incident's newest finding, if it has one."""
    return session.scalars(
        select(Finding)
        .where(Finding.incident_id == incident_id)
        .order_by(Finding.id.desc())
        .limit(1)
    ).first()


def latest_result(app: Enquiry, incident: str) -> LatestResult | None:
    """The latest stored analysis of the incident, or None if it was never run."""
    return stored_result(app, incident)


def stored_result(
    app: Enquiry, incident: str, finding_id: int | None = None
) -> LatestResult | None:
    """The incident's stored finding ``finding_id`` (its latest when None), as the acting
    user may see it; None if there is no such finding."""
    found = require_incident(app, incident)
    store = app.store(create=False)
    with store.session() as connection:
        if finding_id is None:
            finding = latest_finding(connection, found.id)
        else:
            finding = connection.scalars(
                select(Finding).where(Finding.id == finding_id, Finding.incident_id == found.id)
            ).first()
        if finding is None:
            return None
        standing = finding_standing(connection, found.slug, finding)
        signed = sign_off_standings(connection, found, {finding.id: standing})
        hidden: set[str] = set()
        if not may(app, found.case_id, Right.PROTECTED_ITEMS):
            protected = connection.execute(
                select(Item.id, Item.key).where(
                    Item.case_id == found.case_id, Item.protected.is_(True)
                )
            ).all()
            ids = [p.id for p in protected]
            hidden = {p.key or f"item-{p.id}" for p in protected}
            if ids:
                hidden |= {
                    c.key or f"claim-{c.id}"
                    for c in connection.execute(
                        select(Claim.id, Claim.key).where(Claim.item_id.in_(ids))
                    )
                }
    return LatestResult(
        finding_id=finding.id,
        incident=found.slug,
        created_at=finding.created_at,
        inputs_hash=finding.inputs_hash,
        engine_version=finding.engine_version,
        result=_without(dict(finding.result), hidden) if hidden else dict(finding.result),
        standing=standing,
        sign_offs=signed,
    )


def _without(result: dict[str, Any], hidden: set[str]) -> dict[str, Any]:
    """The result without the rows and list entries that name evidence in ``hidden``."""
    out = dict(result)
    table = dict(out.get("matrix") or {})
    table["rows"] = [r for r in table.get("rows", []) if r.get("evidence") not in hidden]
    out["matrix"] = table
    out["linchpins"] = [
        p for p in out.get("linchpins", []) if not hidden & set(p.get("evidence", []))
    ]
    diag = dict(out.get("diagnosticity") or {})
    diag["non_diagnostic"] = [e for e in diag.get("non_diagnostic", []) if e not in hidden]
    diag["most_diagnostic"] = [
        d for d in diag.get("most_diagnostic", []) if d.get("evidence") not in hidden
    ]
    out["diagnosticity"] = diag
    if out.get("earlier_wording"):
        out["earlier_wording"] = [
            e for e in out["earlier_wording"] if e.get("evidence") not in hidden
        ]
    out["clusters"] = [
        {**c, "members": [m for m in c.get("members", []) if m not in hidden]}
        for c in out.get("clusters", [])
    ]
    if out.get("sealed"):
        sealed = dict(out["sealed"])
        for name in ("evidence", "linchpins"):
            sealed[name] = [e for e in sealed.get(name, []) if e not in hidden]
        out["sealed"] = sealed
    return out


@dataclass(frozen=True)
class ShownAnalysis:
    """The analysis a page shows: the stored finding it is (``finding_id``, when stored), and
    whether it was taken from the store rather than computed for this view."""

    analysis: Analysis
    finding_id: int | None
    created_at: str | None
    reused: bool
    # every sign-off of the incident's findings and whether it still holds, as they stood when
    # the page was asked for: one of an earlier finding is shown stale, never as this one's
    sign_offs: tuple[SignOffStanding, ...] = ()


def current_analysis(app: Enquiry, incident: str) -> ShownAnalysis:
    """The incident's analysis as it stands, without re-verifying the catalogue when nothing
    has changed since it was last run.

    The current input is read from the catalogue and hashed as every finding's is. When the
    latest stored finding is ``current`` (:func:`finding_standing`: computed from exactly that
    input by this engine on a catalogue that verified, and its stored result is what the
    engine gives again), it is what is shown, so a view does not re-hash the case's originals.
    Otherwise (a new rating, a changed hypothesis, an edited finding row, no finding yet) the
    analysis is run — and the catalogue verified — stored as a finding by a user who may run
    analyses, computed without being stored for one who may only read."""
    found = require_incident(app, incident)
    store = app.store(create=False)
    with store.session() as session:
        inp, context = build_input(session, found.slug)
    latest = latest_result(app, found.slug)
    signed = latest.sign_offs if latest is not None else ()
    if latest is not None and latest.standing is not None and latest.standing.current:
        return ShownAnalysis(
            analysis_of(inp, context), latest.finding_id, latest.created_at, True, signed
        )
    if may(app, found.case_id, Right.ANALYSE) or may(app, found.case_id, Right.REVIEW):
        analysis, finding_id = run_analysis(app, found.slug)
        return ShownAnalysis(analysis, finding_id, None, False, signed)
    return ShownAnalysis(analyse(app, found.slug), None, None, False, signed)


def require_analyse_or_review(app: Enquiry, case_id: int, what: str, verb: str) -> None:
    """Refuse unless the user may analyse or review on the case (reading it is checked first,
    so an unseen case stays *not found*): running an analysis and commenting are open to
    both analysts and reviewers."""
    require(app, case_id, Right.READ)
    if not (may(app, case_id, Right.ANALYSE) or may(app, case_id, Right.REVIEW)):
        raise Forbidden(
            f"{what}: you may not {verb} here (analysts and reviewers may; ask the case's owner)"
        )


__all__ = [
    "AnalystRating",
    "CellView",
    "FindingStanding",
    "HypothesisChange",
    "HypothesisView",
    "LatestResult",
    "MatrixView",
    "RatedCell",
    "RowView",
    "ShownAnalysis",
    "SignOffStanding",
    "add_hypothesis",
    "current_analysis",
    "finding_standing",
    "latest_finding",
    "latest_result",
    "matrix",
    "rate",
    "require_analyse_or_review",
    "result_digest",
    "run_analysis",
    "sign_off_standings",
    "stored_result",
    "update_hypothesis",
]
