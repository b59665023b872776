"""An item's bytes handed out — a preview in the browser or a download of the original — by one
read path: checked, allowed and recorded like any copy.

Bytes that leave the vault go out under the same rules however they are asked for:

* the user must be able to see the item (else it is *not found*, as a missing one); a sealed
  item's content is destroyed and refused;
* the bytes are re-hashed as they are copied out (decrypted first if held encrypted) and
  refused if they no longer match; the private copy is unlinked at once, so nothing is left
  behind however the reading ends;
* a *preview* of a protected item never shows its own bytes: for a photograph its newest
  *confirmed* redaction is shown in its place (what a report may publish), anything else is
  refused; each preview is an ``accessed`` event naming the user and what was shown;
* a *download* of a protected original needs ``reveal`` and the right to see protected
  identities, and is recorded as a reveal; each download is a ``copied`` event.

Whether an item's bytes may be shown is judged by its whole family
(:mod:`enquiry.publish.lineage`), not its own flags alone: a crop or still made before its
original was protected, a picture of the same original as a redaction (a *sensitive* one), an
unconfirmed redaction, and anything made from a sealed item are shown as a protected
photograph is (its confirmed redaction, or nothing), and downloaded only with ``reveal`` and
the right — never, when a seal destroyed what they were made from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from enquiry.app.access import Right, require, require_item
from enquiry.app.atrest import encrypted_ids, original_file
from enquiry.app.context import Enquiry
from enquiry.app.lookup import find_item
from enquiry.app.protection import record_reveal
from enquiry.app.redaction import redactions_of
from enquiry.app.release import (
    lineage_of,
    names_others,
    record_family_reveal,
    require_release,
)
from enquiry.errors import Corrupt, NotFound, Refused
from enquiry.store.tables import Item


@dataclass
class Content:
    """Checked bytes of an item, ready to be sent: read them with :meth:`chunks`.

    ``shown_item_id`` is the item whose bytes these are (a confirmed redaction shown in place of
    a protected photograph: ``redacted``); ``filename`` is what a download may be called."""

    item_id: int
    shown_item_id: int
    sha256: str
    size: int
    media_type: str
    filename: str
    redacted: bool
    handle: IO[bytes]

    def chunks(self, size: int = 1 << 20) -> Iterator[bytes]:
        """The bytes in pieces of ``size``; the copy is closed when they are all read."""
        try:
            while chunk := self.handle.read(size):
                yield chunk
        finally:
            self.handle.close()

    def close(self) -> None:
        self.handle.close()


Original = Content
"""A download of an item's original (the name the API's download speaks of)."""


def _readable(app: Enquiry, ref: str, *, reveal: bool = False) -> Item:
    """The item, if the user may see it and it has bytes that still exist."""
    store = app.store(create=False)
    with store.session() as session:
        item = find_item(session, ref)
        require_item(app, item, ref=ref)
        session.expunge(item)
    if item.protected and reveal:
        require(app, item.case_id, Right.REVEAL)
    held = encrypted_ids(store, [item.id]).get(item.id)
    if held is not None and held.sealed:
        raise Refused(f"item {item.id}: sealed (consent withdrawn); its content is destroyed")
    if item.sha256 is None:
        raise NotFound(f"item {item.id}: has no stored bytes")
    return item


def _checked(app: Enquiry, item: Item, what: str) -> tuple[IO[bytes], int]:
    """A handle on a private copy of the item's original, re-hashed (and decrypted) while it
    was made; the copy is already unlinked, the handle keeps it readable."""
    try:
        with original_file(app.store(create=False), item) as path:
            return path.open("rb"), path.stat().st_size
    except Corrupt as exc:
        raise Corrupt(f"item {item.id}: {exc}; {what} (run 'enquiry verify')") from None


def open_original(app: Enquiry, ref: str, *, reveal: bool = False) -> Content:
    """An item's original for download, re-hashed before anything is handed out; a ``copied``
    event names who took it. A protected original may identify its witness: it needs
    ``reveal`` (and the right), and the hand-out is recorded as a reveal too. So does an item
    whose family withholds it (made from protected evidence, a sensitive picture, an
    unconfirmed redaction); one made from a sealed item is refused even so."""
    item = _readable(app, ref, reveal=reveal)
    kin = require_release(app, item, reveal=reveal, ask="add reveal")
    handle, size = _checked(app, item, "nothing sent")
    with app.store(create=False).writing() as (_connection, writer):
        record_reveal(writer, [item], {"content": True})
        if kin:
            record_family_reveal(writer, item)
        writer.append(
            "copied",
            case_id=item.case_id,
            item_id=item.id,
            details={"sha256": item.sha256, "to": "download"},
        )
    # The arrival name of a protected item may name its witness: it is not offered as a name.
    name = f"item-{item.id}" if item.protected else item.original_name
    assert item.sha256 is not None
    return Content(item.id, item.id, item.sha256, size, item.media_type, name, False, handle)


@dataclass(frozen=True)
class Shown:
    """What a preview of an item shows: the item whose bytes go to the browser (the item, or
    its newest confirmed redaction), or nothing and the one line saying why."""

    item_id: int
    shown_item_id: int | None
    redacted: bool
    reason: str | None


def preview(app: Enquiry, ref: str) -> Shown:
    """What of item ``ref`` a preview may show the acting user, decided without reading it.

    A preview never reveals: an item whose family withholds its bytes (protected, sensitive,
    an unconfirmed redaction, made from protected or sealed evidence) is shown only as its
    newest confirmed redaction — a photograph's, under the same rule as a report — or not at
    all. A refusal names no other item to a reader who may not see protected items."""
    item = _readable(app, ref)
    return _preview(app, item)


def _preview(app: Enquiry, item: Item) -> Shown:
    family = lineage_of(app, item.id)
    names = names_others(app, item)
    reason = family.withheld(name_others=names)
    if reason is None:
        return Shown(item.id, item.id, family.item.redaction, None)
    if family.sealed or not item.media_type.startswith("image/") or family.item.redaction:
        return Shown(item.id, None, False, _for_browser(reason, item))
    with app.store(create=False).session() as session:
        confirmed = [r.id for r, ok in redactions_of(session, item.id) if ok]
    if not confirmed:
        return Shown(item.id, None, False, reason)
    again = lineage_of(app, confirmed[0]).withheld(name_others=names)
    if again is not None:
        return Shown(item.id, None, False, again)
    return Shown(item.id, confirmed[0], True, None)


def _for_browser(reason: str, item: Item) -> str:
    if item.protected and not item.media_type.startswith("image/"):
        return (
            f"item {item.id}: protected (its content may identify a witness); "
            "it is not shown in the browser"
        )
    return reason


def viewable(app: Enquiry, ref: str, *, via: str = "web preview") -> Content:
    """What of item ``ref`` the acting user may view in the browser, recorded in the ledger:
    the bytes :func:`preview` chose, re-hashed (and decrypted) as they are read."""
    item = _readable(app, ref)
    chosen = _preview(app, item)
    if chosen.shown_item_id is None:
        raise Refused(str(chosen.reason))
    store = app.store(create=False)
    if chosen.shown_item_id == item.id:
        source = item
    else:
        with store.session() as session:
            found = session.get(Item, chosen.shown_item_id)
            assert found is not None
            session.expunge(found)
        source = found
    assert source.sha256 is not None
    handle, size = _checked(app, source, "nothing shown")
    hidden_name = item.protected or chosen.redacted or source.protected
    shown = Content(
        item.id,
        source.id,
        source.sha256,
        size,
        source.media_type,
        f"item-{item.id}" if hidden_name else item.original_name,
        chosen.redacted,
        handle,
    )
    with store.writing() as (_connection, writer):
        details: dict[str, object] = {"content": True, "via": via}
        if shown.shown_item_id != item.id:
            details["redaction"] = shown.shown_item_id
        writer.append("accessed", case_id=item.case_id, item_id=item.id, details=details)
    return shown


__all__ = ["Content", "Original", "Shown", "open_original", "preview", "viewable"]
