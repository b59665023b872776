"""An item's bytes handed out — a preview in the browser or a download of the original — by one
read path: checked, allowed and recorded like any copy.

Bytes that leave the vault go out under the same rules however they are asked for:

* the user must be able to see the item (else it is *not found*, as a missing one); a sealed
  item's content is destroyed and refused;
* the bytes are checked against their SHA-256 before any of them leave, and refused if they
  no longer match (:class:`VerifiedBlobs` says how a blob checked a moment ago is not hashed
  again for every part a video player asks for, and why what is sent is still what was
  checked); bytes held encrypted are decrypted and checked into a private copy, unlinked at
  once, so nothing is left behind however the reading ends;
* a *preview* of a protected item never shows its own bytes: for a photograph or a video its
  newest *confirmed* redaction is shown in its place (what a report may publish), labelled with
  who confirmed it and when; anything else is refused; a preview is an ``accessed`` event
  naming the user and what was shown, one per *viewing*: the parts a player asks for as it
  plays and seeks, and the same picture shown again, are covered by the user's last
  ``accessed`` event of the same bytes by the same route if it is under
  :data:`PREVIEW_WINDOW` seconds old (see :func:`viewable`);
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

import hashlib
import json
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import BinaryIO, Protocol

from sqlalchemy import Connection, select

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
from enquiry.publish.lineage import PICTURES, confirmer
from enquiry.store.tables import CustodyEvent, Item
from enquiry.store.vault import Vault, short_address

PREVIEW_WINDOW = 600
"""Seconds during which a user's ``accessed`` event of a preview covers their further reads
of the same bytes by the same route: a video played and sought in for ten minutes is one event,
not one per part the player asked for; a preview still going after that is recorded again."""

VERIFIED_FOR = 300
"""Seconds for which a blob's check is trusted while its file is unchanged."""

VERIFIED_ENTRIES = 1024
"""How many checked blobs a process remembers (the least recently used are forgotten)."""

RACY_NS = 2_000_000_000
"""A blob changed less than this long (ns) before it is checked is not remembered: a change
made within the same tick of the file system's clock would leave its times as they were."""

CHUNK = 1 << 20


class Readable(Protocol):
    """What a :class:`Content` reads its bytes from."""

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


Identity = tuple[int, int, int, int, int]
"""A file's device, inode, size, modification and change times (ns)."""


def _identity(status: os.stat_result) -> Identity:
    return (
        status.st_dev,
        status.st_ino,
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
    )


class _Guarded:
    """A vault blob's own file, read only while it is still the very file that was checked:
    after every read its identity is taken again, and any change stops the reading before the
    bytes just read are handed on.

    A write to a file sets its change time before its bytes change (and a change of times or
    mode sets it too; no program can set it back), so bytes read while the identity still
    holds were the checked ones."""

    def __init__(self, handle: BinaryIO, identity: Identity, address: str, cache: VerifiedBlobs):
        self.handle = handle
        self.identity = identity
        self.address = address
        self.cache = cache

    def seek(self, offset: int, whence: int = 0, /) -> int:
        return self.handle.seek(offset, whence)

    def read(self, size: int = -1, /) -> bytes:
        data = self.handle.read(size)
        if _identity(os.fstat(self.handle.fileno())) != self.identity:
            self.cache.forget(self.address)
            raise Corrupt(
                f"blob {short_address(self.address)} changed while it was being read; refused"
            )
        return data

    def close(self) -> None:
        self.handle.close()


class VerifiedBlobs:
    """The blobs this process checked a moment ago, by their file's identity.

    A video player asks for a video in dozens of parts; hashing the whole file again for each
    would let any signed-in viewer keep the server's disks and processors busy with cheap
    requests. So a blob whose bytes hashed to its name is remembered with the identity of its
    file — device, inode, size, modification and change times — for :data:`VERIFIED_FOR`
    seconds. A later read opens the blob, and if the open file's identity is the remembered
    one, reads it unhashed through :class:`_Guarded`, which stops at once if the file changes
    under it. A blob rewritten in place (its times then change, and the change time cannot be
    set back), replaced by another file (another inode), or changed in the last
    :data:`RACY_NS` before it was checked is hashed again; so is every blob after its lifetime.

    Only blobs held in the clear are remembered: bytes held encrypted are decrypted and checked
    into a private copy on every read (a preview never shows them: what is protected is shown
    as its redaction). ``passes`` and ``hashed`` count the checks made and the bytes they read,
    which is what the remembering saves."""

    def __init__(self, lifetime: float = VERIFIED_FOR, entries: int = VERIFIED_ENTRIES) -> None:
        self.lifetime = lifetime
        self.entries = entries
        self._checked: OrderedDict[str, tuple[Identity, float]] = OrderedDict()
        self._lock = threading.Lock()
        self.passes = 0
        self.hashed = 0

    def forget(self, address: str | None = None) -> None:
        """Forget one blob's check (every blob's, without ``address``)."""
        with self._lock:
            if address is None:
                self._checked.clear()
            else:
                for key in [k for k in self._checked if k.endswith(address)]:
                    del self._checked[key]

    def _known(self, key: str, identity: Identity) -> bool:
        with self._lock:
            found = self._checked.get(key)
            if found is None:
                return False
            if found[0] != identity or time.monotonic() - found[1] > self.lifetime:
                del self._checked[key]
                return False
            self._checked.move_to_end(key)
            return True

    def _remember(self, key: str, identity: Identity, since: float) -> None:
        with self._lock:
            self._checked[key] = (identity, since)
            self._checked.move_to_end(key)
            while len(self._checked) > self.entries:
                self._checked.popitem(last=False)

    def counted(self, size: int) -> None:
        """Count one check of ``size`` bytes made elsewhere (a private copy)."""
        with self._lock:
            self.passes += 1
            self.hashed += size

    def open(self, vault: Vault, address: str) -> tuple[Readable, int] | None:
        """The blob at ``address`` (a SHA-256, held in the clear) checked, and its size; or
        ``None`` when its file changed so lately that its identity cannot vouch for it (the
        caller then checks a private copy, as for bytes held encrypted)."""
        path = vault.path(address)
        handle = vault.open_checked(address)
        try:
            before = os.fstat(handle.fileno())
            identity, key = _identity(before), str(path)
            if self._known(key, identity):
                return _Guarded(handle, identity, address, self), before.st_size
            started, now_ns = time.monotonic(), time.time_ns()
            if now_ns - max(before.st_mtime_ns, before.st_ctime_ns) < RACY_NS:
                handle.close()
                return None
            digest = hashlib.sha256()
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
            self.counted(before.st_size)
            after = _identity(os.fstat(handle.fileno()))
            if digest.hexdigest() != address or after != identity:
                self.forget(address)
                raise Corrupt(
                    f"blob {short_address(address)} is corrupt: its bytes no longer hash to "
                    "its name; refused (re-add the original to repair it)"
                )
            self._remember(key, identity, started)
            return _Guarded(handle, identity, address, self), before.st_size
        except BaseException:
            handle.close()
            raise


VERIFIED = VerifiedBlobs()
"""The blobs this process checked (see :class:`VerifiedBlobs`)."""


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
    handle: Readable
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


def _checked(app: Enquiry, item: Item, what: str) -> tuple[Readable, int]:
    """The item's original, checked against its SHA-256, and its size: the vault's own blob
    when it is held in the clear (hashed unless :data:`VERIFIED` checked it a moment ago),
    else a handle on a private copy, decrypted and re-hashed while it was made (already
    unlinked: the handle keeps it readable)."""
    store = app.store(create=False)
    assert item.sha256 is not None
    try:
        if item.id not in encrypted_ids(store, [item.id]):
            opened = VERIFIED.open(store.vault, item.sha256)
            if opened is not None:
                return opened
        with original_file(store, item) as path:
            size = path.stat().st_size
            VERIFIED.counted(size)
            return path.open("rb"), size
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
                by, at, handed_over = confirmer(event.actor, event.at, event.details)
                if handed_over:
                    by = f"{by} (in the home the case was handed over from)"
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
    the bytes :func:`preview` chose, checked against their SHA-256 before any leave.

    ``part`` narrows what is sent to a byte range (a player seeking in a video); the whole
    blob is checked first (or was, a moment ago: :class:`VerifiedBlobs`). A part beyond the
    end is :class:`Unsatisfiable`, and nothing is recorded.

    One viewing is one ``accessed`` event: it is written unless the ledger already holds one
    by the same user, of the same item, shown as the same bytes (the item, or the same
    redaction), through the same route (``via``), written less than :data:`PREVIEW_WINDOW`
    seconds ago — the parts a player asks for as it plays and seeks, or a page drawn again,
    add nothing to what the ledger says, and a hostile reader cannot flood it with cheap
    requests. The event names the first part asked for, if any."""
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
    details: dict[str, object] = {"content": True, "via": via}
    if shown.shown_item_id != item.id:
        details["redaction"] = shown.shown_item_id
    if shown.ranged:
        details["range"] = f"{shown.first}-{shown.first + shown.length - 1}/{size}"
    try:
        with store.engine.connect() as connection:
            covered = _viewed_lately(connection, app.actor, item.id, details)
        if not covered:
            with store.writing() as (connection, writer):
                # asked again under the ledger's lock: parts asked for at once record one
                if not _viewed_lately(connection, app.actor, item.id, details):
                    writer.append(
                        "accessed", case_id=item.case_id, item_id=item.id, details=details
                    )
    except BaseException:
        shown.close()
        raise
    return shown


LATELY_SCANNED = 200
"""How many of an item's newest events are read to find the user's last view of it."""


def _viewed_lately(
    connection: Connection, actor: str, item_id: int, details: dict[str, object]
) -> bool:
    """Whether the ledger holds an ``accessed`` event by ``actor`` of the item, of the same
    bytes by the same route, written within :data:`PREVIEW_WINDOW` seconds (among its
    :data:`LATELY_SCANNED` newest events: a busier item is only recorded more often)."""
    since = (datetime.now(UTC) - timedelta(seconds=PREVIEW_WINDOW)).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ"
    )
    rows = connection.execute(
        select(CustodyEvent.at, CustodyEvent.actor, CustodyEvent.action, CustodyEvent.details)
        .where(CustodyEvent.item_id == item_id)
        .order_by(CustodyEvent.seq.desc())
        .limit(LATELY_SCANNED)
    )
    for at, by, action, text in rows:
        if at < since:
            return False
        if by != actor or action != "accessed":
            continue
        try:
            earlier = json.loads(text)
        except ValueError:
            continue
        if (
            isinstance(earlier, dict)
            and earlier.get("content") is True
            and earlier.get("via") == details["via"]
            and earlier.get("redaction") == details.get("redaction")
        ):
            return True
    return False


__all__ = [
    "PREVIEW_WINDOW",
    "VERIFIED",
    "Content",
    "Original",
    "Part",
    "Shown",
    "Unsatisfiable",
    "VerifiedBlobs",
    "open_original",
    "preview",
    "viewable",
]
