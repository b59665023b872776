"""A case at a glance: what it holds, what happened to it last, and whether its record is intact.

The web app's case dashboard shows this on every visit, so it must be cheap: the counts are one
grouped query over the items the user may see, the activity is the newest events of the case's
ledger, and the integrity is a *ledger check* — the hash chain, its recorded head and every
catalogue row against it — without re-hashing the originals (that is ``enquiry verify``, whose
cost grows with the bytes held). The check's answer is kept per ledger head: nothing can have
been recorded since, so a second visit costs nothing until the ledger moves.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import func, select

from enquiry.app.access import Right, require_case, rights_on, visible_condition
from enquiry.app.context import Enquiry
from enquiry.app.evidence import EventView, ledger_head, read_log
from enquiry.store.ledger import utc_now
from enquiry.store.tables import Claim, Incident, Item
from enquiry.store.verify import verify


@dataclass(frozen=True)
class Integrity:
    """The outcome of a ledger check: intact or not, how much was checked, and when.

    ``failures`` are the check's lines, shown only to whoever may manage the case (a line can
    name an item of another case); everyone else sees whether the check passed and how many
    problems it found.
    """

    intact: bool
    problems: int
    failures: tuple[str, ...]
    events: int
    head_seq: int
    checked_at: str
    blobs_rehashed: bool = False


@dataclass(frozen=True)
class IncidentRef:
    slug: str
    title: str


@dataclass(frozen=True)
class Overview:
    """One case as its dashboard shows it."""

    case: str
    items: int
    by_kind: dict[str, int]
    protected: int
    claims: int
    incidents: tuple[IncidentRef, ...]
    activity: tuple[EventView, ...]
    integrity: Integrity


_checked: dict[tuple[str, int, str], tuple[bool, tuple[str, ...], int, str]] = {}
_lock = threading.Lock()


def ledger_check(app: Enquiry) -> tuple[bool, tuple[str, ...], int, int, str]:
    """The home's ledger, head and rows checked (no blob re-hashed), remembered per head:
    ``(intact, failure lines, events, head seq, checked at)``."""
    head = ledger_head(app) or (0, "")
    key = (str(app.home), head[0], head[1])
    with _lock:
        known = _checked.get(key)
    if known is None:
        report = verify(app.store(create=False), blobs=())
        known = (report.intact, tuple(report.failures), report.events, utc_now())
        with _lock:
            _checked.clear()  # one home per server: only the newest head is worth keeping
            _checked[key] = known
    intact, failures, events, at = known
    return intact, failures, events, head[0], at


def overview(app: Enquiry, case: str, *, activity: int = 12) -> Overview:
    """The case's counts by kind, its incidents, its newest ``activity`` events and a ledger
    check, as the acting user may see them."""
    found = require_case(app, case)
    store = app.store(create=False)
    seen = visible_condition(app)
    counting = (
        select(Item.kind, Item.protected, func.count(Item.id))
        .where(Item.case_id == found.id)
        .group_by(Item.kind, Item.protected)
    )
    if seen is not None:
        counting = counting.where(seen)
    by_kind: dict[str, int] = {}
    protected = 0
    with store.session() as session:
        for kind, is_protected, count in session.execute(counting).all():
            by_kind[str(kind)] = by_kind.get(str(kind), 0) + int(count)
            protected += int(count) if is_protected else 0
        claims = int(
            session.scalar(select(func.count(Claim.id)).where(Claim.case_id == found.id)) or 0
        )
        incidents = tuple(
            IncidentRef(str(slug), str(title or slug))
            for slug, title in session.execute(
                select(Incident.slug, Incident.title)
                .where(Incident.case_id == found.id)
                .order_by(Incident.id)
            ).all()
        )
    intact, failures, events, head_seq, at = ledger_check(app)
    shown = failures if Right.MANAGE in rights_on(app, found.id) else ()
    return Overview(
        case=found.name,
        items=sum(by_kind.values()),
        by_kind=dict(sorted(by_kind.items())),
        protected=protected,
        claims=claims,
        incidents=incidents,
        activity=tuple(reversed(read_log(app, case=found.name, limit=activity))),
        integrity=Integrity(intact, len(failures), shown, events, head_seq, at),
    )
