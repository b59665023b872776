"""An item's bytes for viewing in the browser: checked, allowed and recorded like any copy.

The web app previews an image, a video, a PDF or a text where the item is shown. Those bytes
leave the vault as surely as a working copy does, so they go out under the same rules:

* the user must be able to see the item (else it is *not found*, as a missing one);
* the bytes are re-hashed as they are copied out and refused if they no longer match;
* a protected item's own bytes are never previewed: for a photograph, its newest *confirmed*
  redaction is shown in its place (what a report may publish), anything else is refused;
* every preview is an ``accessed`` event naming the user, the item and what was shown.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from enquiry.app.access import require_item
from enquiry.app.atrest import copy_plain, encrypted_ids
from enquiry.app.context import Enquiry
from enquiry.app.lookup import find_item
from enquiry.app.redaction import publishable_picture
from enquiry.errors import Corrupt, NotFound, Refused
from enquiry.store.tables import Item


@dataclass(frozen=True)
class Viewable:
    """A private, checked copy of what may be shown of an item, until :meth:`discard`."""

    item_id: int
    shown_item_id: int
    media_type: str
    size: int
    path: Path
    redacted: bool
    _folder: Path = field(repr=False)

    def discard(self) -> None:
        """Remove the copy (after it has been sent)."""
        shutil.rmtree(self._folder, ignore_errors=True)


def viewable(app: Enquiry, ref: str, *, via: str = "web preview") -> Viewable:
    """A copy of item ``ref``'s bytes that the acting user may view, recorded in the ledger."""
    store = app.store(create=False)
    with store.session() as session:
        item = find_item(session, ref)
        require_item(app, item, ref=ref)
        session.expunge(item)
    held = encrypted_ids(store, [item.id]).get(item.id)
    if held is not None and held.sealed:
        raise Refused(f"item {item.id}: sealed (consent withdrawn); its content is destroyed")
    if item.sha256 is None:
        raise NotFound(f"item {item.id}: has no stored bytes")
    folder = Path(tempfile.mkdtemp(prefix=".view-", dir=store.home))
    target = folder / "content"
    try:
        if item.protected:
            if not item.media_type.startswith("image/"):
                raise Refused(
                    f"item {item.id}: protected (its content may identify a witness); "
                    "it is not shown in the browser"
                )
            picture = publishable_picture(app, item.id)
            target.write_bytes(picture.data)
            shown = Viewable(
                item.id,
                picture.shown_item_id,
                picture.media_type,
                len(picture.data),
                target,
                True,
                folder,
            )
        else:
            size = _copy_checked(app, item, target)
            shown = Viewable(item.id, item.id, item.media_type, size, target, False, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    with store.writing() as (_connection, writer):
        details: dict[str, object] = {"content": True, "via": via}
        if shown.redacted:
            details["redaction"] = shown.shown_item_id
        writer.append("accessed", case_id=item.case_id, item_id=item.id, details=details)
    return shown


def _copy_checked(app: Enquiry, item: Item, target: Path) -> int:
    store = app.store(create=False)
    assert item.sha256 is not None
    try:
        plain = copy_plain(store, item, target)
        return plain if plain is not None else store.vault.copy_verified(item.sha256, target)
    except Corrupt as exc:
        raise Corrupt(f"item {item.id}: {exc}; nothing shown (run 'enquiry verify')") from None
