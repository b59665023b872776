"""Who may do what on which case: every access decision of every entry point, in one place.

A user's rights come from their membership of a case: a role (owner, investigator, analyst,
reviewer, viewer) and, apart from it, the right to see protected witnesses' identities. The
home's administrator (the command line, or a user made ``--admin``) holds every right.

Two refusals, chosen so that nothing leaks:

* a case the user has no right on, or an item they may not see, is *not found* — with the very
  message a missing one gets — so that a user cannot learn that a case or an item exists;
* a request the user's role does not allow on a case they may see is *forbidden*, naming the
  right that is missing.

Services call :func:`require` (or :func:`require_item`) before they read or change anything,
and filter lists with :func:`readable_cases` / :func:`item_visible`; the web app and the API
never decide access themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from enquiry.app.context import Enquiry
from enquiry.app.lookup import find_item, no_such_case, no_such_item
from enquiry.errors import BadRequest, Forbidden, NotFound
from enquiry.intake.walk import printable
from enquiry.store.tables import Case, Incident, Item, Membership


class Role(StrEnum):
    """A user's role on one case."""

    OWNER = "owner"
    INVESTIGATOR = "investigator"
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    VIEWER = "viewer"


class Right(StrEnum):
    """One thing a user may do on a case."""

    READ = "read"  # see the case, its non-protected items, claims, matrix, analysis, report
    PROTECTED_ITEMS = "see protected items"  # see that protected items exist (identity withheld)
    REVEAL = "see protected identities"  # the separate right, granted apart from the role
    ADD_EVIDENCE = "add evidence"
    ANALYSE = "analyse"  # claims, ratings, hypotheses, analysis runs
    REVIEW = "review"  # comment and sign off a finding
    MANAGE = "manage"  # grant roles on the case, seal items


ROLE_RIGHTS: dict[Role, frozenset[Right]] = {
    Role.OWNER: frozenset(
        {
            Right.READ,
            Right.PROTECTED_ITEMS,
            Right.ADD_EVIDENCE,
            Right.ANALYSE,
            Right.REVIEW,
            Right.MANAGE,
        }
    ),
    Role.INVESTIGATOR: frozenset({Right.READ, Right.PROTECTED_ITEMS, Right.ADD_EVIDENCE}),
    Role.ANALYST: frozenset({Right.READ, Right.PROTECTED_ITEMS, Right.ANALYSE}),
    Role.REVIEWER: frozenset({Right.READ, Right.PROTECTED_ITEMS, Right.REVIEW}),
    Role.VIEWER: frozenset({Right.READ}),
}

ALL_RIGHTS = frozenset(Right)


def role(name: str) -> Role:
    """A role by name, or a one-line refusal listing the roles there are."""
    try:
        return Role(name.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise BadRequest(f"role '{name}': no such role (one of {names})") from None


@dataclass(frozen=True)
class Grant:
    """A user's standing on one case."""

    case_id: int
    role: Role
    see_protected: bool

    @property
    def rights(self) -> frozenset[Right]:
        found = ROLE_RIGHTS[self.role]
        return found | {Right.REVEAL} if self.see_protected else found


def _grants(app: Enquiry) -> dict[int, Grant]:
    if app._rights is None:
        user_id = app.principal.user_id
        grants: dict[int, Grant] = {}
        if user_id is not None:
            with app.store().engine.connect() as connection:
                rows = connection.execute(
                    select(Membership.case_id, Membership.role, Membership.see_protected).where(
                        Membership.user_id == user_id
                    )
                ).all()
            for row in rows:
                try:
                    grants[int(row.case_id)] = Grant(
                        int(row.case_id), Role(row.role), bool(row.see_protected)
                    )
                except ValueError:
                    continue  # an unknown role grants nothing
        app._rights = grants
    return app._rights


def rights_on(app: Enquiry, case_id: int) -> frozenset[Right]:
    """Everything the acting user may do on the case (nothing: not even know it exists)."""
    if app.principal.admin:
        return ALL_RIGHTS
    grant = _grants(app).get(case_id)
    return grant.rights if grant is not None else frozenset()


def may(app: Enquiry, case_id: int, right: Right) -> bool:
    """Whether the acting user holds ``right`` on the case."""
    return right in rights_on(app, case_id)


def readable_cases(app: Enquiry) -> set[int] | None:
    """The cases the user may see; ``None`` means all (the administrator)."""
    if app.principal.admin:
        return None
    return {case_id for case_id, grant in _grants(app).items() if Right.READ in grant.rights}


def require(app: Enquiry, case: Case | int, right: Right, *, name: str | None = None) -> None:
    """Refuse unless the user holds ``right`` on the case: *not found* (as if the case did not
    exist) without any right on it, *forbidden* when they may see it but not do this."""
    case_id = case if isinstance(case, int) else case.id
    label = name if name is not None else (case.name if isinstance(case, Case) else str(case_id))
    held = rights_on(app, case_id)
    if Right.READ not in held:
        raise no_such_case(label)
    if right not in held:
        if name is None and isinstance(case, int):
            # They may see the case, so its name is theirs to read (its number says nothing).
            with app.store().session() as session:
                found = session.get(Case, case_id)
            label = found.name if found is not None else label
        raise Forbidden(f"case '{label}': you may not {_verb(right)} here (ask its owner)")


def require_case(app: Enquiry, name: str, right: Right = Right.READ) -> Case:
    """The named case, if the user holds ``right`` on it (else the refusals of :func:`require`)."""
    from enquiry.app.lookup import find_case

    with app.store().session() as session:
        found = find_case(session, name)
    require(app, found, right, name=name)
    return found


def item_visible(app: Enquiry, item: Item) -> bool:
    """Whether the user may know the item exists: a right on its case, and for a protected
    item a role above viewer."""
    held = rights_on(app, item.case_id)
    if Right.READ not in held:
        return False
    return not item.protected or Right.PROTECTED_ITEMS in held


def require_item(app: Enquiry, item: Item, right: Right = Right.READ, *, ref: str = "") -> None:
    """Refuse an item the user may not see as *not found*, with a missing item's message; then
    refuse a right they do not hold on its case as *forbidden*."""
    if not item_visible(app, item):
        raise no_such_item(ref or str(item.id))
    if right not in rights_on(app, item.case_id):
        raise Forbidden(f"item {item.id}: you may not {_verb(right)} on its case (ask its owner)")


def visible_condition(app: Enquiry) -> ColumnElement[bool] | None:
    """The SQL condition for the items the user may know of (``None``: all of them): items of
    their cases, and protected ones only where their role may see protected items."""
    readable = readable_cases(app)
    if readable is None:
        return None
    with_protected = sorted(c for c in readable if may(app, c, Right.PROTECTED_ITEMS))
    return and_(
        Item.case_id.in_(sorted(readable)),
        or_(Item.protected.is_(False), Item.case_id.in_(with_protected)),
    )


def find_visible_item(app: Enquiry, session: Session, ref: str, right: Right = Right.READ) -> Item:
    """The item ``ref`` names among those the user may know of, if they hold ``right`` on its
    case (else :func:`require_item`'s refusals).

    The reference is resolved among the visible items only: a number or a hash start that
    names an item of another case, or a protected item a viewer may not know of, is *not
    found*, and a hash start shared with such an item is not "ambiguous" — otherwise the
    answer would tell whether a case the user cannot see holds a given file."""
    found = find_item(session, ref, among=visible_condition(app))
    require_item(app, found, right, ref=ref)
    return found


def may_reveal(app: Enquiry, case_id: int) -> bool:
    """Whether the user may see protected identities on the case (still logged when they do)."""
    return Right.REVEAL in rights_on(app, case_id)


def require_admin(app: Enquiry, what: str) -> None:
    """Refuse what only the home's administrator may do (keys, accounts, backups, restores)."""
    if not app.principal.admin:
        raise Forbidden(f"{what}: only the home's administrator may do this")


def visible_items(app: Enquiry, items: Iterable[Item]) -> list[Item]:
    """The items of ``items`` the user may know of."""
    return [item for item in items if item_visible(app, item)]


def _verb(right: Right) -> str:
    return {
        Right.READ: "read",
        Right.PROTECTED_ITEMS: "see the whole record (reports, exports, protected items)",
        Right.REVEAL: "see protected identities",
        Right.ADD_EVIDENCE: "add evidence",
        Right.ANALYSE: "change claims, ratings or hypotheses",
        Right.REVIEW: "comment or sign off",
        Right.MANAGE: "manage the case",
    }[right]


def require_incident(app: Enquiry, slug: str, right: Right = Right.READ) -> Incident:
    """The incident so named, if the user holds ``right`` on its case. An incident of a case
    the user has no right on is refused exactly as a missing one, and the incidents the
    refusal lists are only those of cases the user may read."""
    store = app.store()
    readable = readable_cases(app)
    with store.session() as session:
        found = session.scalars(select(Incident).where(Incident.slug == slug)).first()
        if found is None or (readable is not None and found.case_id not in readable):
            query = select(Incident.slug).order_by(Incident.slug)
            if readable is not None:
                query = query.where(Incident.case_id.in_(sorted(readable)))
            known = ", ".join(printable(str(k)) for k in session.scalars(query))
            raise NotFound(
                f"no incident '{printable(slug)}' in this home (known: {known or 'none'})"
            )
    require(app, found.case_id, right)
    return found
