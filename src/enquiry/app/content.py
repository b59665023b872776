"""An item's bytes handed out — a preview in the browser or a download of the original — by one
read path: checked, allowed and recorded like any copy.

Bytes that leave the vault go out under the same rules however they are asked for:

* the user must be able to see the item (else it is *not found*, as a missing one); a sealed
  item's content is destroyed and refused;
* the bytes are re-hashed as they are copied out (decrypted first if held encrypted) and
  refused if they no longer match; the private copy is unlinked at once, so nothing is left
  behind however the reading ends;
* a *preview* of a protected item never shows its own bytes: for a photograph or a video its
  newest *confirmed* redaction is shown in its place (what a report may publish), labelled with
  who confirmed it and when; anything else is refused; each preview — each part of one a
  player asks for — is an ``accessed`` event naming the user and what was shown;
* a *download* of a protected original needs ``reveal`` and the right to see protected
  identities, and is recorded as a reveal; each download is a ``copied`` event.

Whether an item's bytes may be shown is judged by its whole family
(:mod:`enquiry.publish.lineage`), not its own flags alone: a crop or still made before its
original was protected, a picture of the same original as a redaction (a *sensitive* one), an
unconfirmed redaction, and anything made from a sealed item are shown as a protected
picture is (its confirmed redaction, or nothing), and downloaded only with ``reveal`` and
the right — never, when a seal destroyed what they were made from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from sqlalchemy import select

from enquiry.app.access import Right, find_visible_item, item_visible, require
from enquiry.app.atrest import encrypted_ids, original_file
from enquiry.app.context import Enquiry
from enquiry.app.protection import record_reveal
from enquiry.app.redaction import redactions_of
from enquiry.app.release import (
    lineage_of,
    names_others,
    record_family_reveal,
    require_release,
)
from enquiry.errors import Corrupt, EnquiryError, NotFound, Refused
from enquiry.publish.lineage import PICTURES
from enquiry.store.tables import CustodyEvent, Item


@dataclass
class Content:
    """Checked bytes of an item, ready to be sent: read them with :meth:`chunks`.

    ``shown_item_id`` is the item whose bytes these are (a confirmed redaction shown in place of
    a protected picture: ``redacted``); ``filename`` is what a download may be called. ``size``
    is the whole file's; ``first`` and ``last`` (inclusive) bound the part to send, all of it
    unless a :class:`Part` was asked for (``ranged``)."""

    item_id: int
    shown_item_id: int
    sha256: str
    size: int
    media_type: str
    filename: str
    redacted: bool
    handle: IO[bytes]
    first: int = 0
    last: int | None = None
    ranged: bool = False  # a part was asked for: the answer says which (even if it is all)

    @property
    def length(self) -> int:
        """How many bytes :meth:`chunks` yields."""
        last = self.size - 1 if self.last is None else self.last
        return max(0, last - self.first + 1)

    def chunks(self, size: int = 1 << 20) -> Iterator[bytes]:
        """The bytes (of the part asked for) in pieces of at most ``size``; the copy is closed
        when they are all read, or when the reader stops."""
        try:
            left = self.length
            self.handle.seek(self.first)
            while left > 0 and (chunk := self.handle.read(min(size, left))):
                left -= len(chunk)
                yield chunk
        finally:
            self.handle.close()

    def close(self) -> None:
        self.handle.close()


Original = Content
"""A download of an item's original (the name the API's download speaks of)."""


@dataclass(frozen=True)
class Part:
    """A part of an item's bytes asked for (an HTTP byte range, which a video player uses to
    seek): bytes ``first`` to ``last`` inclusive (``last`` ``None``: to the end), or, with
    ``first`` ``None``, the final ``last`` bytes."""

    first: int | None
    last: int | None

    def within(self, size: int) -> tuple[int, int] | None:
        """The part's first and last offsets (inclusive) in a file of ``size`` bytes, cut to
        its end; ``None`` when no byte of it is there."""
        if self.first is None:
            wanted = self.last or 0
            if wanted <= 0 or size <= 0:
                return None
            return max(0, size - wanted), size - 1
        if self.first >= size or (self.last is not None and self.last < self.first):
            return None
        return self.first, size - 1 if self.last is None else min(self.last, size - 1)


class Unsatisfiable(EnquiryError):
    """A part asked for lies wholly beyond the end of the bytes: nothing was read out or
    recorded. ``size`` is the file's, for the answer to say (HTTP 416)."""

    def __init__(self, message: str, size: int) -> None:
        super().__init__(message)
        self.size = size


def _readable(app: Enquiry, ref: str, *, reveal: bool = False) -> Item:
    """The item, if the user may see it and it has bytes that still exist."""
    store = app.store(create=False)
    with store.session() as session:
        item = find_visible_item(app, session, ref)
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
    its newest confirmed redaction), or nothing and the one line saying why.

    The rest describes the bytes shown, so that a page can label them and a ``HEAD`` answer
    them without reading them: their type, size, hash and download name, and for a redaction
    who confirmed it and when (from its ``confirmed`` event). ``sealed`` says that no reveal
    could show the original either (it, or what it was made from, is sealed)."""

    item_id: int
    shown_item_id: int | None
    redacted: bool
    reason: str | None
    media_type: str = ""
    size: int | None = None
    sha256: str | None = None
    filename: str = ""
    confirmed_by: str | None = None
    confirmed_at: str | None = None
    sealed: bool = False


def preview(app: Enquiry, ref: str) -> Shown:
    """What of item ``ref`` a preview may show the acting user, decided without reading it.

    A preview never reveals: an item whose family withholds its bytes (protected, sensitive,
    an unconfirmed redaction, made from protected or sealed evidence) is shown only as its
    newest confirmed redaction — a photograph's or a video's, under the same rule as a report
    — or not at all; an unconfirmed redaction is never shown in its place. Those with the right
    to reveal see the original only by asking for it (a download with ``reveal``, recorded). A
    refusal names no other item to a reader who may not see protected items."""
    item = _readable(app, ref)
    return _preview(app, item)


def _picture(media_type: str) -> bool:
    return media_type.startswith(PICTURES)


def _preview(app: Enquiry, item: Item) -> Shown:
    family = lineage_of(app, item.id)
    names = names_others(app, item)
    reason = family.withheld(name_others=names)
    if reason is None:
        return _showing(app, item, item, redacted=family.item.redaction)
    if family.sealed or not _picture(item.media_type) or family.item.redaction:
        return Shown(item.id, None, False, _for_browser(reason, item), sealed=family.sealed)
    with app.store(create=False).session() as session:
        made = redactions_of(session, item.id)
        for redaction, _ok in made:
            session.expunge(redaction)
    confirmed = [r for r, ok in made if ok]
    if not confirmed:
        if made and names:
            pending = made[0][0].id
            reason += (
                f"; no confirmed redaction (item {pending} awaits confirmation: "
                f"'enquiry media redact --confirm {pending}')"
            )
        return Shown(item.id, None, False, reason)
    newest = confirmed[0]
    again = lineage_of(app, newest.id).withheld(name_others=names)
    if again is not None or newest.sha256 is None or not _picture(newest.media_type):
        return Shown(item.id, None, False, again or reason)
    if not item_visible(app, newest):
        # a redaction protected on its own is not named, nor shown, to one who may not see it
        return Shown(item.id, None, False, reason)
    return _showing(app, item, newest, redacted=True)


def _showing(app: Enquiry, item: Item, source: Item, *, redacted: bool) -> Shown:
    """The preview of ``item`` as the bytes of ``source`` (itself, or its confirmed
    redaction), with who confirmed a redaction and when."""
    by = at = None
    if redacted:
        with app.store(create=False).session() as session:
            event = session.scalars(
                select(CustodyEvent)
                .where(CustodyEvent.action == "confirmed", CustodyEvent.item_id == source.id)
                .order_by(CustodyEvent.seq)
                .limit(1)
            ).first()
            if event is not None:
                by, at = event.actor, event.at
    # The arrival name of a protected item (or of what is shown for it) may name its witness.
    hidden_name = item.protected or redacted or source.protected
    return Shown(
        item.id,
        source.id,
        redacted,
        None,
        media_type=source.media_type,
        size=source.size,
        sha256=source.sha256,
        filename=f"item-{item.id}" if hidden_name else item.original_name,
        confirmed_by=by,
        confirmed_at=at,
    )


def _for_browser(reason: str, item: Item) -> str:
    if item.protected and not _picture(item.media_type):
        return (
            f"item {item.id}: protected (its content may identify a witness); "
            "it is not shown in the browser"
        )
    return reason


def viewable(
    app: Enquiry, ref: str, *, via: str = "web preview", part: Part | None = None
) -> Content:
    """What of item ``ref`` the acting user may view in the browser, recorded in the ledger:
    the bytes :func:`preview` chose, re-hashed (and decrypted) as they are read.

    ``part`` narrows what is sent to a byte range (a player seeking in a video); the whole
    file is still re-hashed first, and the range is named in the ``accessed`` event. A part
    beyond the end is :class:`Unsatisfiable`, and nothing is recorded."""
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
    first, last = 0, None
    if part is not None:
        span = part.within(size)
        if span is None:
            handle.close()
            raise Unsatisfiable(f"item {item.id}: the range asked for is beyond its end", size)
        first, last = span
    shown = Content(
        item.id,
        source.id,
        source.sha256,
        size,
        source.media_type,
        chosen.filename,
        chosen.redacted,
        handle,
        first,
        last,
        part is not None,
    )
    with store.writing() as (_connection, writer):
        details: dict[str, object] = {"content": True, "via": via}
        if shown.shown_item_id != item.id:
            details["redaction"] = shown.shown_item_id
        if shown.ranged:
            details["range"] = f"{shown.first}-{shown.first + shown.length - 1}/{size}"
        writer.append("accessed", case_id=item.case_id, item_id=item.id, details=details)
    return shown


__all__ = [
    "Content",
    "Original",
    "Part",
    "Shown",
    "Unsatisfiable",
    "open_original",
    "preview",
    "viewable",
]
