"""Finding what a request names: items by number or hash start, cases by name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from enquiry.errors import BadRequest, NotFound
from enquiry.store.tables import Case, Item

HEX = frozenset("0123456789abcdef")


def find_item(session: Session, ref: str) -> Item:
    """An item by its number or by the start (8 or more hex digits) of its SHA-256."""
    text = ref.strip().lower().removeprefix("item:").removeprefix("sha256:")
    item: Item | None = None
    if text.isdigit():
        item = session.get(Item, int(text))
    elif len(text) >= 8 and set(text) <= HEX:
        matches = session.scalars(select(Item).where(Item.sha256.startswith(text)).limit(2)).all()
        if len(matches) > 1:
            raise BadRequest(f"item '{ref}': several items have a hash starting so; give more")
        item = matches[0] if matches else None
    if item is None:
        raise no_such_item(ref)
    return item


def no_such_item(ref: str) -> NotFound:
    """The refusal for an item that does not exist — and for one the user may not see, so that
    the two cannot be told apart."""
    return NotFound(f"item '{ref}': no such item (give its number or the start of its SHA-256)")


def no_such_case(name: str) -> NotFound:
    """The refusal for a case that does not exist, and for one the user has no right on."""
    return NotFound(f"case '{name}': no such case")


def find_case(session: Session, name: str) -> Case:
    """A case by its name."""
    found = session.scalars(select(Case).where(Case.name == name)).first()
    if found is None:
        raise no_such_case(name)
    return found


def case_blobs(session: Session, case_id: int) -> list[str]:
    """The SHA-256 of every original a case holds (what an export of it cites)."""
    found = session.scalars(
        select(Item.sha256).where(Item.case_id == case_id, Item.sha256.is_not(None))
    )
    return sorted({str(sha) for sha in found})
