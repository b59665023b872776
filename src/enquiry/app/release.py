"""Whether an item's original may be handed out whole — a download, a working copy — one rule
for every entry point.

A protected original needs a reveal and the right to reveal. So does an item whose *family*
withholds it (:mod:`enquiry.publish.lineage`): a crop or still made from protected evidence, a
picture of the same original as a redaction, an unconfirmed redaction — their bytes are the
protected or sensitive pixels in another file. Anything made from a sealed item is refused even
with a reveal: consent was withdrawn, and a derivative is the sealed content in another form.
"""

from __future__ import annotations

from enquiry.app.access import Right, may, require
from enquiry.app.context import Enquiry
from enquiry.errors import Refused
from enquiry.publish.lineage import Lineage, judge
from enquiry.store.ledger import LedgerWriter
from enquiry.store.tables import Item


def lineage_of(app: Enquiry, item_id: int) -> Lineage:
    """The item's family as the catalogue records it (see :func:`enquiry.publish.lineage.judge`)."""
    with app.store(create=False).engine.connect() as connection:
        return judge(connection, [item_id])[item_id]


def names_others(app: Enquiry, item: Item) -> bool:
    """Whether a refusal about ``item`` may name other items: not to a reader who may not
    learn that protected items exist."""
    return may(app, item.case_id, Right.PROTECTED_ITEMS)


def require_release(app: Enquiry, item: Item, *, reveal: bool, ask: str) -> bool:
    """Refuse (:class:`Refused`, one line ending in ``ask``, the way to reveal at this entry
    point) unless ``item``'s original may be handed out whole to the acting user.

    Returns whether it is the item's family, not its own flag, that makes the hand-out a
    reveal: the caller then records it with :func:`record_family_reveal`."""
    if item.protected:
        if not reveal:
            raise Refused(f"item {item.id}: protected (its content may identify a witness); {ask}")
        require(app, item.case_id, Right.REVEAL)
    family = lineage_of(app, item.id)
    names = names_others(app, item)
    if family.sealed:
        raise Refused(str(family.withheld(name_others=names)))
    if item.protected or family.withheld() is None:
        return False
    if not reveal:
        raise Refused(f"{family.withheld(name_others=names)}; {ask}")
    require(app, item.case_id, Right.REVEAL)
    return True


def record_family_reveal(writer: LedgerWriter, item: Item) -> None:
    """A ``revealed`` event for an item handed out although its family withholds it."""
    writer.append(
        "revealed",
        case_id=item.case_id,
        item_id=item.id,
        details={"content": True, "withheld_by": "its family"},
    )


__all__ = ["lineage_of", "names_others", "record_family_reveal", "require_release"]
