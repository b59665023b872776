"""Review: comments on a case's findings, items, claims, hypotheses and matrix cells, and the
reviewer's sign-off of a finding.

A comment names what it is about by a *subject*: ``case``, ``incident:SLUG``, ``finding:3``,
``item:12``, ``claim:4``, ``hypothesis:H1`` or a matrix cell, ``cell:H1/item:12`` (or
``cell:H1/claim:4``). The subject must exist in the case, and an item the user may not see is
refused as missing. A sign-off is a comment of kind ``sign-off`` on the incident's latest
finding only, and only while that finding is current (computed from the input the catalogue
gives now, and reproduced by the engine): signing an older or stale run, or an edited row,
would vouch for numbers the matrix no longer gives. Each is
a ``commented`` event naming its author; the event carries the text's hash and the row digest
the ledger writer adds vouches for the row.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from enquiry.app.access import Right, item_visible, may, readable_cases, require_incident
from enquiry.app.context import Enquiry
from enquiry.app.lookup import no_such_item
from enquiry.app.matrix import finding_standing, latest_finding, require_analyse_or_review
from enquiry.errors import BadRequest, NotFound, Refused
from enquiry.intake.walk import printable
from enquiry.store.ledger import utc_now
from enquiry.store.tables import (
    Case,
    Claim,
    Comment,
    Finding,
    Hypothesis,
    Incident,
    Item,
    row_id,
)

HYP = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}"
SUBJECT = re.compile(
    rf"^(?:(?P<case>case)|incident:(?P<incident>[^\s/]{{1,200}})|finding:(?P<finding>\d+)"
    rf"|item:(?P<item>\d+)|claim:(?P<claim>\d+)|hypothesis:(?P<hypothesis>{HYP})"
    rf"|cell:(?P<cell>{HYP})/(?P<what>item|claim):(?P<target>\d+))$"
)
SUBJECTS = "case, incident:SLUG, finding:N, item:N, claim:N, hypothesis:KEY, cell:KEY/item:N"
LONGEST = 20_000
"""The longest comment or statement taken, in characters."""


@dataclass(frozen=True)
class CommentView:
    """One comment or sign-off."""

    id: int
    case: str
    subject: str
    kind: str
    author: str
    body: str
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Scope:
    case_id: int
    case: str
    incident: Incident | None


def _scope(app: Enquiry, name: str) -> _Scope:
    """The case named, or the case of the incident named (an incident of a case the user may
    not read is no more found than a case they may not read)."""
    store = app.store(create=False)
    readable = readable_cases(app)
    with store.session() as session:
        incident = session.scalars(select(Incident).where(Incident.slug == name)).first()
        if incident is not None and (readable is None or incident.case_id in readable):
            case = session.get(Case, incident.case_id)
            assert case is not None
            return _Scope(case.id, case.name, incident)
        case = session.scalars(select(Case).where(Case.name == name)).first()
    if case is None or (readable is not None and case.id not in readable):
        raise NotFound(f"'{printable(name)}': no such case or incident")
    return _Scope(case.id, case.name, None)


def _text(text: str, what: str) -> str:
    body = (text or "").strip()
    if not body:
        raise BadRequest(f"{what}: the text is empty")
    if len(body) > LONGEST:
        raise BadRequest(f"{what}: {len(body)} characters; at most {LONGEST}")
    return body


def _hidden_item(app: Enquiry, connection: Session, item_id: int) -> bool:
    item = connection.execute(select(Item).where(Item.id == item_id)).scalar_one_or_none()
    return item is not None and not item_visible(app, item)


def _check_subject(app: Enquiry, connection: Session, scope: _Scope, subject: str) -> None:
    """Refuse a subject that is malformed, or names nothing in the case (or an item the user
    may not see: refused as missing)."""
    match = SUBJECT.match(subject)
    if match is None:
        raise BadRequest(f"subject '{printable(subject[:80])}': not a subject (one of {SUBJECTS})")
    part = match.groupdict()
    incidents = select(Incident.id).where(Incident.case_id == scope.case_id)
    if scope.incident is not None:
        incidents = incidents.where(Incident.id == scope.incident.id)
    where = f"in case '{scope.case}'"
    if part["incident"] is not None:
        slug = part["incident"]
        if (
            connection.execute(
                select(Incident.id).where(Incident.slug == slug, Incident.case_id == scope.case_id)
            ).first()
            is None
        ):
            raise NotFound(f"incident '{printable(slug)}': no such incident {where}")
    if part["finding"] is not None and (
        connection.execute(
            select(Finding.id).where(
                Finding.id == _number(part["finding"]), Finding.incident_id.in_(incidents)
            )
        ).first()
        is None
    ):
        raise NotFound(f"finding {part['finding']}: no such finding {where}")
    hypothesis = part["hypothesis"] or part["cell"]
    if (
        hypothesis is not None
        and connection.execute(
            select(Hypothesis.id).where(
                Hypothesis.key == hypothesis, Hypothesis.incident_id.in_(incidents)
            )
        ).first()
        is None
    ):
        raise NotFound(f"hypothesis '{hypothesis}': no such hypothesis {where}")
    item = part["item"] or (part["target"] if part["what"] == "item" else None)
    if item is not None:
        row = connection.execute(select(Item.case_id).where(Item.id == _number(item))).first()
        if (
            row is None
            or row.case_id != scope.case_id
            or _hidden_item(app, connection, _number(item))
        ):
            raise no_such_item(item)
    claim = part["claim"] or (part["target"] if part["what"] == "claim" else None)
    if claim is not None:
        found = connection.execute(
            select(Claim.case_id, Claim.item_id).where(Claim.id == _number(claim))
        ).first()
        if (
            found is None
            or found.case_id != scope.case_id
            or (found.item_id is not None and _hidden_item(app, connection, found.item_id))
        ):
            raise NotFound(f"claim {claim}: no such claim {where}")


def _write(
    app: Enquiry, scope: _Scope, subject: str, kind: str, body: str, extra: dict[str, Any]
) -> CommentView:
    store = app.store(create=False)
    created = utc_now()
    with store.writing() as (connection, writer):
        new = connection.execute(
            insert(Comment).values(
                case_id=scope.case_id,
                subject=subject,
                kind=kind,
                author=app.actor,
                body=body,
                created_at=created,
            )
        ).inserted_primary_key
        assert new is not None
        writer.append(
            "commented",
            case_id=scope.case_id,
            details={
                "comment": int(new[0]),
                "kind": kind,
                "subject": subject,
                "author": app.actor,
                **extra,
                "body_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
            },
        )
    return CommentView(int(new[0]), scope.case, subject, kind, app.actor, body, created)


def comment(app: Enquiry, case_or_incident: str, subject: str, body: str) -> CommentView:
    """Comment on something in a case (a finding, an item, a claim, a hypothesis, a matrix
    cell); analysts and reviewers may. A ``commented`` event names the author."""
    text = _text(body, "comment")
    subject = subject.strip()
    scope = _scope(app, case_or_incident)
    require_analyse_or_review(app, scope.case_id, f"case '{scope.case}'", "comment")
    with app.store(create=False).session() as connection:
        _check_subject(app, connection, scope, subject)
    return _write(app, scope, subject, "comment", text, {})


def sign_off(app: Enquiry, incident: str, finding_id: int, statement: str) -> CommentView:
    """A reviewer signs off the incident's latest finding with a statement: a ``sign-off``
    comment on ``finding:N`` and a ``commented`` event carrying the finding's inputs hash,
    engine, the SHA-256 of its stored result, its leader and the leader's posterior, so the
    sign-off names exactly what was computed from what, and an edit of the finding's row
    after it is seen (:func:`~enquiry.app.matrix.sign_off_standings`).

    Refused: an older finding; a finding the catalogue no longer gives (a rating, hypothesis,
    grade, item or claim changed since it was run: its numbers are not the matrix's now);
    one computed on a catalogue that failed verification; and one whose stored result the
    engine does not reproduce from its inputs (an edited row) — a reviewer signs only numbers
    that follow from the record."""
    text = _text(statement, "sign-off statement")
    found = require_incident(app, incident, Right.REVIEW)
    with app.store(create=False).session() as connection:
        finding = connection.execute(
            select(Finding).where(
                Finding.id == (row_id(finding_id) or 0), Finding.incident_id == found.id
            )
        ).scalar_one_or_none()
        if finding is None:
            raise NotFound(f"finding {finding_id}: no such finding of incident '{found.slug}'")
        latest = latest_finding(connection, found.id)
        case = connection.execute(select(Case.name).where(Case.id == found.case_id)).scalar_one()
        assert latest is not None
        if latest.id != finding.id:
            raise Refused(
                f"finding {finding_id}: not the latest of incident '{found.slug}' (finding "
                f"{latest.id} is); sign off the latest, or run the analysis again"
            )
        standing = finding_standing(connection, found.slug, finding)
        result = dict(finding.result)
    if not standing.current:
        raise Refused(f"sign-off refused: {standing.explanation}")
    leader = str(result.get("leading", ""))
    posterior = next(
        (h.get("posterior") for h in result.get("hypotheses", []) if h.get("id") == leader), None
    )
    return _write(
        app,
        _Scope(found.case_id, str(case), found),
        f"finding:{finding.id}",
        "sign-off",
        text,
        {
            "incident": found.slug,
            "finding": finding.id,
            "inputs_sha256": finding.inputs_hash,
            "engine": finding.engine_version,
            "result_sha256": standing.result_sha256,
            "leading": leader,
            "posterior": posterior,
        },
    )


def _number(digits: str) -> int:
    """The row a subject's number names; 0, which no row has, for a number beyond any row."""
    return row_id(digits) or 0


def _names_hidden(app: Enquiry, connection: Session, subject: str) -> bool:
    match = SUBJECT.match(subject)
    if match is None:
        return False
    part = match.groupdict()
    item = part["item"] or (part["target"] if part["what"] == "item" else None)
    if item is not None:
        return _hidden_item(app, connection, _number(item))
    claim = part["claim"] or (part["target"] if part["what"] == "claim" else None)
    if claim is not None:
        owner = connection.execute(select(Claim.item_id).where(Claim.id == _number(claim))).scalar()
        return owner is not None and _hidden_item(app, connection, int(owner))
    return False


def list_comments(app: Enquiry, case: str, subject: str | None = None) -> list[CommentView]:
    """The comments and sign-offs of a case (or of an incident's case), oldest first, of one
    subject if given. Comments on protected items are left out for a user who may not know
    those exist."""
    scope = _scope(app, case)
    with app.store(create=False).session() as connection:
        query = select(Comment).where(Comment.case_id == scope.case_id).order_by(Comment.id)
        if subject is not None:
            query = query.where(Comment.subject == subject.strip())
        rows = list(connection.execute(query).scalars())
        if not may(app, scope.case_id, Right.PROTECTED_ITEMS):
            rows = [r for r in rows if not _names_hidden(app, connection, r.subject)]
    return [
        CommentView(r.id, scope.case, r.subject, r.kind, r.author, r.body, r.created_at)
        for r in rows
    ]


__all__ = ["CommentView", "comment", "list_comments", "sign_off"]
