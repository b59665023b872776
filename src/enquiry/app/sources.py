"""Sources judged by their record: track records, suggested grades, and the analyst's choice.

A source's *record* is what became of the claims it made (or reported for, or against) once an
outcome was settled — by an analyst closing the claim (``enquiry truth close``), by outcomes
imported from a file (``enquiry truth outcomes``), or by a case file's ``outcome:`` — in any case
of the home. The same source in several cases (the same name) has one record. Each record is a
Beta posterior pooled by the source's kind (:func:`enquiry.analysis.truth.track_record`).

A record never changes a grade by itself: ``suggest`` lists the grade it supports beside the
analyst's, and ``accept`` applies one, as an ``updated`` event naming the analyst.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update

from enquiry.analysis.truth import MIN_REPORTS, Reliability, suggested_grade
from enquiry.app.access import require_admin
from enquiry.app.context import Enquiry
from enquiry.app.lookup import find_case
from enquiry.errors import BadRequest, NotFound
from enquiry.intake.walk import printable
from enquiry.model.grades import RELIABILITY
from enquiry.publish.records import records, source_key
from enquiry.store.ledger import utc_now
from enquiry.store.tables import DIGITS, Case, Claim, Source, row_id


@dataclass(frozen=True)
class Suggestion:
    """A source's record and the grade it supports, beside the grade the analyst gave."""

    source: str
    case: str
    grade: str
    suggested: str | None
    """None while the record is too short (fewer than MIN_REPORTS reports on settled claims)
    to suggest anything: the analyst's grade stands."""
    record: Reliability | None

    def as_json(self) -> dict[str, Any]:
        record = self.record
        return {
            "source": self.source,
            "case": self.case,
            "grade": self.grade,
            "suggested": self.suggested,
            "reports": record.n if record else 0,
            "right": round(record.right, 3) if record else 0,
            "wrong": round(record.wrong, 3) if record else 0,
            "reliability": round(record.mean, 4) if record else None,
            "low": round(record.low, 4) if record else None,
            "high": round(record.high, 4) if record else None,
        }


def suggest(app: Enquiry, case: str | None = None) -> list[Suggestion]:
    """The grade each source's record supports (of one case, or every case), with the record;
    nothing is changed."""
    require_admin(app, "sources suggest")
    store = app.store(create=False)
    if case is not None:
        with store.session() as session:
            case_id = find_case(session, case).id
    with store.engine.connect() as connection:
        query = select(Source.name, Source.reliability, Case.name.label("case")).join(
            Case, Case.id == Source.case_id
        )
        if case is not None:
            query = query.where(Source.case_id == case_id)
        rows = connection.execute(query.order_by(Case.name, Source.name)).all()
        found = records(connection)
    out = []
    for row in rows:
        record = found.get(source_key(row.name))
        judged = record is not None and record.n >= MIN_REPORTS
        suggested = suggested_grade(record) if record is not None and judged else None
        out.append(Suggestion(row.name, row.case, row.reliability, suggested, record))
    return out


@dataclass(frozen=True)
class Accepted:
    """A grade applied to a source by an analyst."""

    source: str
    case: str
    before: str
    grade: str
    analyst: str


def accept(app: Enquiry, source: str, grade: str, case: str | None = None) -> Accepted:
    """Give ``source`` the reliability ``grade`` (usually the one its record suggests); the
    ``updated`` event names the analyst, the grade before and after, and the record then."""
    require_admin(app, "sources accept")
    grade = grade.strip().upper()
    if grade not in RELIABILITY:
        raise BadRequest(f"grade '{printable(grade[:10])}' is not one of {', '.join(RELIABILITY)}")
    store = app.store(create=False)
    with store.writing() as (connection, writer):
        query = select(Source.id, Source.case_id, Source.reliability, Case.name).join(
            Case, Case.id == Source.case_id
        )
        query = query.where(Source.name == source)
        if case is not None:
            query = query.where(Case.name == case)
        rows = connection.execute(query).all()
        if not rows:
            where = f" in case '{printable(case)}'" if case else ""
            raise NotFound(f"source '{printable(source)}': no such source{where}")
        if len(rows) > 1:
            raise BadRequest(
                f"source '{printable(source)}': in several cases "
                f"({', '.join(sorted(r.name for r in rows))}); give --case"
            )
        row = rows[0]
        record = records(connection).get(source_key(source))
        connection.execute(update(Source).where(Source.id == row.id).values(reliability=grade))
        writer.append(
            "updated",
            case_id=row.case_id,
            details={
                "source": source,
                "reliability": {"before": row.reliability, "after": grade},
                "analyst": app.actor,
                "record": None if record is None else _record_details(record),
                "suggested": suggested_grade(record) if record is not None else "F",
            },
        )
    return Accepted(source, row.name, row.reliability, grade, app.actor)


def _record_details(record: Reliability) -> dict[str, Any]:
    return {
        "reports": record.n,
        "right": round(record.right, 3),
        "wrong": round(record.wrong, 3),
        "reliability": round(record.mean, 4),
        "low": round(record.low, 4),
        "high": round(record.high, 4),
    }


# -- outcomes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Closed:
    """Claims whose outcome was recorded."""

    claims: list[int]
    truth: dict[int, str]


def _find_claim(connection: Connection, case_id: int | None, ref: str) -> tuple[int, int]:
    text = ref.strip()
    numbered = bool(text) and set(text) <= DIGITS
    match = Claim.id == (row_id(text) or 0) if numbered else Claim.key == text
    query = select(Claim.id, Claim.case_id).where(match)
    if case_id is not None:
        query = query.where(Claim.case_id == case_id)
    rows = connection.execute(query).all()
    if not rows:
        raise NotFound(f"claim '{printable(text[:80])}': no such claim (give its number or key)")
    if len(rows) > 1:
        raise BadRequest(f"claim '{printable(text[:80])}': several cases have it; give --case")
    return int(rows[0].id), int(rows[0].case_id)


def close(
    app: Enquiry,
    outcomes: Mapping[str, str],
    *,
    case: str | None = None,
    basis: str = "",
    imported_from: Path | None = None,
) -> Closed:
    """Record each claim's outcome (claim number or key -> true / false / unknown) as the acting
    analyst's finding, with its basis; one ``recorded`` event per claim."""
    require_admin(app, "truth close")
    store = app.store(create=False)
    done: dict[int, str] = {}
    with store.writing() as (connection, writer):
        case_id = None
        if case is not None:
            found = connection.execute(select(Case.id).where(Case.name == case)).scalar()
            if found is None:
                raise NotFound(f"case '{printable(case)}': no such case")
            case_id = int(found)
        for ref, truth in outcomes.items():
            if truth not in ("true", "false", "unknown"):
                raise BadRequest(f"truth '{printable(truth[:20])}' is not true, false or unknown")
            claim_id, claim_case = _find_claim(connection, case_id, ref)
            data = dict(
                connection.execute(select(Claim.data).where(Claim.id == claim_id)).scalar() or {}
            )
            outcome = {"truth": truth, "analyst": app.actor, "date": utc_now()[:10]}
            if basis:
                outcome["basis"] = basis
            if imported_from is not None:
                outcome["basis"] = basis or f"imported from {imported_from.name}"
            before = data.get("outcome")
            data["outcome"] = outcome
            connection.execute(update(Claim).where(Claim.id == claim_id).values(data=data))
            writer.append(
                "recorded",
                case_id=claim_case,
                details={"claim_id": claim_id, "outcome": outcome, "before": before},
            )
            done[claim_id] = truth
    return Closed(sorted(done), done)
