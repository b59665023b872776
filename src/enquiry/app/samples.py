"""Environmental samples: is the physical chain of custody from collection to the laboratory
recorded without a break?

The checks themselves are the domain's (:mod:`enquiry.model.sample_custody`); this module
decides what of them a user may see, so that every entry point gives the same answer: an
item's view (``enquiry item show``, the API's item route, the web page: :func:`item_custody`,
called by :func:`enquiry.app.evidence.show_item`), the case-wide check (``enquiry case
custody-check``: :func:`check_case`), and the report (through
:func:`enquiry.publish.inputs.sample_custody`, the same rule).

Protection: when a field the checks read is withheld from the viewer (a protected item's
identifying field, not revealed), the findings are still computed — from the item's secret
record, opened with the protection key, since a break must not hide behind protection — but
worded without quoting any value: no name, seal, laboratory or time, only hand-over numbers and
what is wrong. Without the key the chain is reported as not checked, never as clean.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from enquiry.app.access import Right, require_case, visible_condition
from enquiry.app.atrest import disclose, restored
from enquiry.app.context import Enquiry
from enquiry.app.protection import identifying_fields
from enquiry.errors import EnquiryError
from enquiry.model.sample_custody import (
    CHECKED_FIELDS,
    SAMPLE_KIND,
    CustodyFinding,
    breaks,
)
from enquiry.store import Store
from enquiry.store.crypt import WITHHELD_AT_REST
from enquiry.store.tables import Item

PURPOSE = "sample custody check"
"""What the ledger records as the purpose of opening a protected sample's record to check it."""


def _sealed_fields(item: Item) -> bool:
    """Whether a field the checks read is held encrypted in the row (a protected item)."""
    fields = item.fields or {}
    return any(fields.get(name) == WITHHELD_AT_REST for name in CHECKED_FIELDS)


def item_custody(
    store: Store, item: Item, *, withheld: Sequence[str]
) -> tuple[CustodyFinding, ...] | None:
    """The findings on one item's chain of custody as a viewer may see them (None: not a
    sample). ``item`` is the row as the caller read it (restored with its secret record when
    the caller revealed it); ``withheld`` names the fields the viewer is not shown. A protected
    sample's encrypted fields are opened here to be checked, never to be shown."""
    if item.kind != SAMPLE_KIND:
        return None
    # imported here: reading the catalogue for reports loads the analysis engine, which
    # showing any other item (or taking evidence in) does not need
    from enquiry.publish.inputs import sample_custody

    if _sealed_fields(item):
        # no key, the wrong one, or sealed: the fields stay encrypted, reported as not checked
        with suppress(EnquiryError):
            item = restored(item, disclose(store, item))
    return sample_custody(item, withheld)


@dataclass(frozen=True)
class SampleCustody:
    """One sample of a case and what is wrong with its recorded chain of custody."""

    item_id: int
    key: str | None
    title: str
    protected: bool
    findings: tuple[CustodyFinding, ...]

    @property
    def breaks(self) -> int:
        """How many of its findings are breaks."""
        return breaks(self.findings)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of one sample in ``case custody-check --json``."""
        return {
            "item": self.item_id,
            "key": self.key,
            "title": self.title,
            "protected": self.protected,
            "breaks": self.breaks,
            "warnings": len(self.findings) - self.breaks,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class CaseCustody:
    """The case-wide check: how many samples the user may see were checked, and those with
    findings, in item order."""

    case: str
    checked: int
    samples: tuple[SampleCustody, ...]

    @property
    def broken(self) -> int:
        """How many samples have at least one break: what makes the check fail."""
        return sum(1 for s in self.samples if s.breaks)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``case custody-check --json``."""
        return {
            "case": self.case,
            "checked": self.checked,
            "broken": self.broken,
            "samples": [s.to_dict() for s in self.samples],
        }


def check_case(app: Enquiry, case: str) -> CaseCustody:
    """Check the chain of custody of every environmental sample of ``case`` the user may see,
    and list those with findings.

    A protected sample whose checked fields are held encrypted is opened with the protection
    key to be checked (its findings then quote no value of those fields), and the ledger
    records that access with its purpose; without the key it is listed as not checked.
    """
    from enquiry.app.evidence import _title  # the listing's rule for a protected item's title
    from enquiry.publish.inputs import opened_items, sample_custody

    found = require_case(app, case, Right.READ)
    store = app.store(create=False)
    query = select(Item).where(Item.case_id == found.id, Item.kind == SAMPLE_KIND)
    seen = visible_condition(app)
    if seen is not None:
        query = query.where(seen)
    with store.session() as session:
        items = list(session.scalars(query.order_by(Item.id)).all())
        locked = [i for i in items if _sealed_fields(i)]
        try:
            opened = {i.id: i for i in opened_items(session, locked)}
        except EnquiryError:  # no protection key: those samples are not checked
            opened = {}
    read = [i.id for i in locked if i.id in opened and not _sealed_fields(opened[i.id])]
    if read:
        with store.writing() as (_connection, writer):
            for item in locked:
                if item.id in read:
                    writer.append(
                        "accessed",
                        case_id=item.case_id,
                        item_id=item.id,
                        details={"purpose": PURPOSE},
                    )
    listed = []
    for item in items:
        findings = sample_custody(opened.get(item.id, item), identifying_fields(item))
        if findings:
            listed.append(
                SampleCustody(
                    item_id=item.id,
                    key=item.key,
                    title=_title(
                        item.kind, item.fields or {}, item.original_name, bool(item.protected)
                    ),
                    protected=bool(item.protected),
                    findings=findings,
                )
            )
    return CaseCustody(case=found.name, checked=len(items), samples=tuple(listed))
