"""Photographs a report publishes: the bytes the application core chose for each (a confirmed
redaction of a protected or sensitive photo, never its original unless revealed), inlined as
``data:`` URIs so that the HTML and its PDF stay self-contained and fetch nothing.

:func:`screened` is the last check before a picture is inlined: however the pictures were
chosen, a report carries none whose item's family says it may not leave the home (see
:mod:`enquiry.publish.lineage`), and none whose bytes are not those of the item they claim."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy import select

if TYPE_CHECKING:
    from enquiry.store import Store

# A picture larger than this is named, not inlined: a report is read, mailed and printed.
MAX_INLINE_BYTES = 4 * 1024 * 1024
# The pictures a report inlines: pixels only. An SVG (or any picture made of markup) can name
# other files and addresses — the PDF renderer then stops the whole report — and holds script.
INLINED_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


@dataclass(frozen=True)
class Photograph:
    """One photograph for the report: the item it shows, the item whose bytes are published
    (the redaction, or the original), a caption, the bytes, and a note (why it is withheld)."""

    item_id: int
    shown_item_id: int | None
    caption: str
    media_type: str = ""
    data: bytes = b""
    redacted: bool = False
    note: str = ""

    @property
    def data_uri(self) -> str:
        """The picture inline, or empty when it is withheld or too large to carry."""
        if not self.data or len(self.data) > MAX_INLINE_BYTES:
            return ""
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def screened(store: Store, photographs: Sequence[Photograph], *, reveal: bool) -> list[Photograph]:
    """The photographs as a report may carry them: each picture checked again against the
        catalogue, by the item whose bytes it is, and withheld (with a line saying why) when that
        item is sealed or made from a sealed item, is an unconfirmed redaction, or shares its pixels
        with protected or sensitive evidence — unless ``reveal``, which never lifts a seal — and
    withheld too when it is not a picture of pixels (:data:`INLINED_TYPES`).

        Each photograph's picture is chosen in the application core by the item's own flags; this
        looks at its whole family, so that a crop, a still or a copy made before its original was
        protected, a copy of a redaction nobody confirmed, or the confirmed redaction of a
        photograph whose witness has withdrawn consent cannot reach a report by a side door."""
    from enquiry.publish.lineage import judge
    from enquiry.store.tables import Item

    shown = {p.shown_item_id for p in photographs if p.data and p.shown_item_id is not None}
    digests: dict[int, str | None] = {}
    with store.engine.connect() as connection:
        families = judge(connection, shown)
        if shown:
            rows = connection.execute(
                select(Item.id, Item.sha256).where(Item.id.in_(sorted(shown)))
            )
            digests = {int(row[0]): row[1] for row in rows}
    out: list[Photograph] = []
    for photo in photographs:
        if not photo.data:
            out.append(photo)
            continue
        shown_id = photo.shown_item_id
        family = families.get(shown_id) if shown_id is not None else None
        if family is None:
            reason: str | None = f"item {photo.item_id}: the picture's item is not in the catalogue"
        else:
            reason = family.withheld(reveal=reveal)
        if reason is None and hashlib.sha256(photo.data).hexdigest() != digests.get(shown_id or 0):
            reason = f"item {shown_id}: the picture given is not its stored bytes"
        kind = photo.media_type.split(";")[0].strip().lower()
        if reason is None and kind not in INLINED_TYPES:
            reason = (
                f"item {shown_id}: {kind or 'a picture of no known type'} is not inlined in a"
                " report (only JPEG, PNG, GIF and WebP pixels are: a picture made of markup can"
                " name other files and hold script)"
            )
        if reason is None:
            out.append(photo)
            continue
        out.append(
            replace(
                photo,
                shown_item_id=None,
                media_type="",
                data=b"",
                redacted=False,
                note=f"withheld: {reason}",
            )
        )
    return out
