"""Redacted derivatives for publication, the human confirmation they need, and the one rule
that decides which picture of a photo may be published.

``redact`` makes a derived item in which detected faces and given regions are covered and every
piece of metadata is gone (see :mod:`enquiry.enrich.media.redact`); the original stays as it
was. A detector misses faces, so a redaction is *unconfirmed* until a person has looked at it
and ``confirm`` records a ``confirmed`` event under their name. :func:`publishable_picture` is
what reports and bundles call: for a protected or sensitive photo (one that has a redaction)
it hands out the newest confirmed redaction, never the original, unless the caller reveals it —
and a reveal of a protected item is recorded.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from enquiry import __version__
from enquiry.app.access import require_admin
from enquiry.app.atrest import original_file, work_folder
from enquiry.app.context import Enquiry
from enquiry.app.evidence import derive
from enquiry.app.lookup import find_item
from enquiry.app.protection import record_reveal
from enquiry.app.release import lineage_of
from enquiry.enrich.media.redact import STYLES, Request, parse_regions, redact_file
from enquiry.errors import BadRequest, Corrupt, EnquiryError, NotFound, Refused
from enquiry.intake.limits import LimitExceeded, limits, run_limited
from enquiry.progress import Progress, Silent
from enquiry.publish.photographs import Photograph
from enquiry.store import Store
from enquiry.store.tables import CustodyEvent, Item

HOW = "redacted"
# Video takes longer to redact than to read: a minute of 720p is a few minutes of work. The
# time limit grows with the duration the container declares, up to this many seconds.
VIDEO_SECONDS_PER_SECOND = 30.0
VIDEO_MAX_SECONDS = 6 * 3600.0


def is_redaction(item: Item) -> bool:
    """Whether an item is a redacted derivative made by :func:`redact`."""
    return bool(item.transformation) and (item.transformation or {}).get("how") == HOW


def _confirmed_ids(session: Session, item_ids: Sequence[int]) -> set[int]:
    if not item_ids:
        return set()
    found = session.scalars(
        select(CustodyEvent.item_id).where(
            CustodyEvent.action == "confirmed", CustodyEvent.item_id.in_(list(item_ids))
        )
    ).all()
    return {int(item_id) for item_id in found if item_id is not None}


def is_confirmed(session: Session, item: Item) -> bool:
    """Whether a person has confirmed this redaction (a ``confirmed`` event names it)."""
    return item.id in _confirmed_ids(session, [item.id])


def redactions_of(session: Session, item_id: int) -> list[tuple[Item, bool]]:
    """The redacted derivatives of an item, newest first, each with whether it is confirmed."""
    found = [
        i
        for i in session.scalars(
            select(Item).where(Item.derived_from == item_id).order_by(Item.id.desc())
        ).all()
        if is_redaction(i)
    ]
    confirmed = _confirmed_ids(session, [i.id for i in found])
    return [(i, i.id in confirmed) for i in found]


@dataclass(frozen=True)
class Redacted:
    """A redacted derivative: the new item, what it came from, and whether it is confirmed.
    ``existing`` says the same redaction had been made before (same bytes): nothing new, and
    ``transformation`` is then the one recorded when it was first made, while ``requested`` is
    always what this request asked for (two requests can blur to the same pixels: a region over
    a flat area, the same faces). ``event`` is the ledger event that recorded a request which
    made nothing new (its sequence number): the request is in the custody record all the same,
    naming the existing item. ``derived_from`` is the item the stored redaction was made from:
    the one asked for, unless another item's redaction holds the very same bytes (two copies
    of a photo that differ only in their metadata)."""

    item_id: int
    derived_from: int
    media_type: str
    sha256: str
    confirmed: bool
    existing: bool
    transformation: dict[str, Any] = field(default_factory=dict)
    requested: dict[str, Any] = field(default_factory=dict)
    event: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``enquiry media redact --json``."""
        redaction = self.transformation.get("redaction", {})
        return {
            "item": self.item_id,
            "derived_from": self.derived_from,
            "sha256": self.sha256,
            "media_type": self.media_type,
            "confirmed": self.confirmed,
            "existing": self.existing,
            "faces": len(redaction.get("faces_found", []))
            if "faces_found" in redaction
            else redaction.get("face_boxes"),
            "regions": redaction.get("regions", []),
            "transformation": self.transformation,
            "requested": self.requested,
            "event": self.event,
        }


def _run(
    source: Path,
    media_type: str,
    stem: Path,
    request: Request,
    seconds: float,
    megabytes: int,
    frames: int | None,
    progress: Progress,
) -> dict[str, Any]:
    """Redact in a child process under the decode limits, reporting its frames as they go."""
    done = multiprocessing.get_context("fork").Value("q", 0, lock=False)

    def count(n: int) -> None:
        done.value = n

    stop = threading.Event()

    def watch() -> None:
        seen = 0
        while not stop.wait(0.25):
            now = int(done.value)
            if now > seen:
                progress.advance(now - seen)
                seen = now

    video = media_type.startswith("video/")
    progress.start("redacting", frames if video else 1, "frame" if video else "photo")
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        result: dict[str, Any] = run_limited(
            redact_file,
            source,
            media_type,
            stem,
            request,
            count,
            seconds=seconds,
            megabytes=megabytes,
        )
    finally:
        stop.set()
        watcher.join()
        if not video:
            progress.advance(1)
        progress.finish()
    return result


def _read_at_intake(item: Item, key: str) -> Any:
    """What intake's readers recorded under ``key`` (each reader keeps its own section)."""
    meta = item.meta or {}
    if key in meta:
        return meta[key]
    for section in meta.values():
        if isinstance(section, dict) and key in section:
            return section[key]
    return None


def _time_limit(item: Item, seconds: float) -> float:
    if not item.media_type.startswith("video/"):
        return seconds
    declared = _read_at_intake(item, "duration_s")
    duration = float(declared) if isinstance(declared, int | float) and declared > 0 else 60.0
    return seconds + min(VIDEO_MAX_SECONDS, duration * VIDEO_SECONDS_PER_SECOND)


def _frames(item: Item) -> int | None:
    for stream in _read_at_intake(item, "streams") or []:
        if isinstance(stream, dict) and stream.get("type") == "video":
            frames = stream.get("frames")
            return int(frames) if isinstance(frames, int) and frames > 0 else None
    return None


def redact(
    app: Enquiry,
    ref: str,
    *,
    faces: bool = False,
    regions: Sequence[str] = (),
    strip_metadata: bool = False,
    style: str = "mosaic",
    keep_audio: bool = False,
    progress: Progress | None = None,
) -> Redacted:
    """Make a redacted derivative of photo or video ``ref``: detected faces (``faces``) and the
    given ``x,y,w,h`` regions covered, every frame of a video, all metadata removed.

    Metadata goes from every redaction (the file is encoded anew from its pixels);
    ``strip_metadata`` alone asks for nothing more. The derivative records its source and the
    whole transformation (regions, detector and version, parameters, what was found) and stays
    unconfirmed until :func:`confirm`. The original is read through a verified copy and never
    written.
    """
    require_admin(app, "media redact")
    if style not in STYLES:
        raise BadRequest(f"--style {style}: one of {', '.join(STYLES)}")
    try:
        boxes = parse_regions(regions)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    if not (faces or boxes or strip_metadata):
        raise BadRequest("nothing to redact: give --faces, --regions x,y,w,h or --strip-metadata")
    store = app.store(create=False)
    with store.session() as session:
        item = find_item(session, ref)
    if is_redaction(item):
        raise BadRequest(
            f"item {item.id}: is itself a redaction of item {item.derived_from}; "
            f"redact item {item.derived_from} again instead"
        )
    if item.sha256 is None:
        raise NotFound(f"item {item.id}: has no stored file to redact")
    if not item.media_type.startswith(("image/", "video/")):
        raise BadRequest(f"item {item.id}: not a photo or video ({item.media_type})")
    hostile = _read_at_intake(item, "hostile")
    if _read_at_intake(item, "truncated") or hostile:
        what = f"suspected {hostile}" if hostile else "truncated"
        raise Refused(f"item {item.id}: the original is {what}; it cannot be redacted whole")
    request = Request(faces=faces, regions=boxes, style=style, keep_audio=keep_audio)
    seconds, megabytes = limits()
    bar = progress or Silent()
    with work_folder(store, item, ".redact-") as folder:
        try:
            with original_file(store, item) as original:
                result = _run(
                    original,
                    item.media_type,
                    Path(folder) / f"redacted-item-{item.id}",
                    request,
                    _time_limit(item, seconds),
                    megabytes,
                    _frames(item),
                    bar,
                )
        except Corrupt as exc:
            raise Corrupt(
                f"item {item.id}: {exc}; nothing redacted (run 'enquiry verify')"
            ) from None
        except LimitExceeded as exc:
            raise EnquiryError(f"item {item.id}: redaction stopped: {exc}") from None
        if "error" in result:
            error = BadRequest if result.get("bad_request") else EnquiryError
            raise error(f"item {item.id}: {result['error']}")
        output = Path(result["path"])
        details = {
            "redaction": result["transformation"],
            "strip_metadata": True,
            "audio": "kept" if keep_audio else "dropped",
        }
        try:
            made = derive(
                app,
                str(item.id),
                output,
                how=HOW,
                tool=f"enquiry {__version__}",
                fields={"title": f"Redacted copy of item {item.id}"},
                details=details,
            )
        except Refused:
            made = None
        digest = _sha256(output)
    with store.session() as session:
        if made is None or made.item_id is None:
            twin = session.scalars(
                select(Item).where(Item.case_id == item.case_id, Item.sha256 == digest).limit(1)
            ).first()
            if twin is None or not is_redaction(twin):
                problems = "; ".join(made.problems) if made else "the result is already an item"
                raise EnquiryError(f"item {item.id}: the redaction was not stored ({problems})")
            new, existing = twin, True
        else:
            new, existing = session.get(Item, made.item_id), False  # type: ignore[assignment]
        made_from = int(new.derived_from or item.id)
        found = Redacted(
            item_id=new.id,
            derived_from=made_from,
            media_type=new.media_type,
            sha256=str(new.sha256),
            confirmed=is_confirmed(session, new),
            existing=existing,
            transformation=dict(new.transformation or {}),
            requested=details,
        )
        case_id = new.case_id
    if not existing:
        return found
    return replace(found, event=_record_repeat(store, case_id, item.id, found))


def _record_repeat(store: Store, case_id: int, asked: int, found: Redacted) -> int:
    """Record a redaction request that made no new item (its result was byte for byte an
    existing redaction): a ``derived`` event on that item naming what it was made from, the
    request and its hash, so the custody record shows every request for a redaction and who
    made it, and no second item with the same bytes is made. Returns the event's number."""
    details: dict[str, Any] = {
        "derived_from": found.derived_from,
        "sha256": found.sha256,
        "how": HOW,
        "tool": f"enquiry {__version__}",
        "existing": True,
        "requested": found.requested,
    }
    if asked != found.derived_from:
        details["requested_from"] = asked
    with store.writing() as (_connection, writer):
        head = writer.append(
            "derived", case_id=case_id, item_id=found.item_id, details=details, item_changed=False
        )
    return head.seq


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Confirmed:
    """A redaction confirmed (or found confirmed already) for publication."""

    item_id: int
    derived_from: int
    already: bool


def confirm(app: Enquiry, ref: str) -> Confirmed:
    """Record that the acting user has looked at redaction ``ref`` and found no one
    recognisable in it: from now on reports and bundles may publish it."""
    require_admin(app, "media redact --confirm")
    store = app.store(create=False)
    with store.session() as session:
        item = find_item(session, ref)
        if not is_redaction(item):
            raise BadRequest(
                f"item {item.id}: not a redaction (make one with 'enquiry media redact ITEM')"
            )
        already = is_confirmed(session, item)
    source = int(item.derived_from or 0)
    if not already:
        with store.writing() as (_connection, writer):
            writer.append(
                "confirmed",
                case_id=item.case_id,
                item_id=item.id,
                details={"sha256": item.sha256, "derived_from": source, "purpose": "publication"},
            )
    return Confirmed(item.id, source, already)


@dataclass(frozen=True)
class Publishable:
    """The picture that may be published for an item: its bytes (checked against their hash),
    which item they are (the redaction or the original) and whether they are redacted."""

    item_id: int
    shown_item_id: int
    media_type: str
    sha256: str
    data: bytes
    redacted: bool


def publishable_picture(app: Enquiry, ref: str | int, *, reveal: bool = False) -> Publishable:
    """What a report or a bundle may publish of photo ``ref``.

    - With ``reveal`` the original is published; for a protected item the reveal is recorded.
    - Else a confirmed redaction of the item, the newest, is published in its place.
    - Else a protected or sensitive photo (one somebody began to redact) is refused, and so is
      an unconfirmed redaction named directly.
    - Else (a photo nobody protected or redacted) the original is.
    """
    store = app.store(create=False)
    with store.session() as session:
        item = find_item(session, str(ref))
        if is_redaction(item):
            # unconfirmed, superseded by a newer confirmed one, or of a sealed family: the
            # family rule decides, as for every other way out of the home
            why = lineage_of(app, item.id).withheld()
            if why is not None:
                raise Refused(why)
            return _read(store, item, item, redacted=True)
        redactions = redactions_of(session, item.id)
    if reveal:
        if item.protected:
            with store.writing() as (_connection, writer):
                record_reveal(writer, [item], {"content": True, "purpose": "publication"})
        return _read(store, item, item, redacted=False)
    confirmed = [r for r, ok in redactions if ok]
    if confirmed:
        return _read(store, item, confirmed[0], redacted=True)
    if item.protected or redactions:
        pending = f" (item {redactions[0][0].id} awaits confirmation)" if redactions else ""
        raise Refused(
            f"item {item.id}: {'protected' if item.protected else 'sensitive'}, and no "
            f"confirmed redaction{pending}; run 'enquiry media redact {item.id} --faces' and "
            "confirm it, or reveal the original"
        )
    return _read(store, item, item, redacted=False)


def _read(store: Store, asked: Item, shown: Item, *, redacted: bool) -> Publishable:
    if shown.sha256 is None:
        raise NotFound(f"item {shown.id}: has no stored file")
    try:
        # decrypted when the copy is held encrypted (a redaction of a protected photo is
        # protected until published): the protection key is then needed, else Refused
        with original_file(store, shown) as original:
            data = original.read_bytes()
    except Corrupt as exc:
        raise Corrupt(f"item {shown.id}: {exc}; nothing published (run 'enquiry verify')") from None
    return Publishable(asked.id, shown.id, shown.media_type, shown.sha256, data, redacted)


MAX_REPORT_PHOTOGRAPHS = 12


def report_photographs(app: Enquiry, case_id: int, *, reveal: bool = False) -> list[Photograph]:
    """The case's photographs as a report may carry them, each through
    :func:`publishable_picture`: a confirmed redaction in place of a protected or sensitive
    photo, a line saying why one is withheld, at most :data:`MAX_REPORT_PHOTOGRAPHS`."""
    store = app.store(create=False)
    with store.session() as session:
        photos = [
            item
            for item in session.scalars(
                select(Item)
                .where(Item.case_id == case_id, Item.sha256.is_not(None))
                .order_by(Item.id)
            ).all()
            if item.media_type.startswith("image/") and not is_redaction(item)
        ][:MAX_REPORT_PHOTOGRAPHS]
    shown: list[Photograph] = []
    for item in photos:
        title = (item.fields or {}).get("title")
        caption = title if isinstance(title, str) and title.strip() else f"Photograph {item.id}"
        try:
            picture = publishable_picture(app, item.id, reveal=reveal)
        except (Refused, NotFound, Corrupt) as exc:
            shown.append(Photograph(item.id, None, caption, note=f"withheld: {exc}"))
            continue
        shown.append(
            Photograph(
                item.id,
                picture.shown_item_id,
                caption,
                media_type=picture.media_type,
                data=picture.data,
                redacted=picture.redacted,
            )
        )
    return shown


def describe(transformation: dict[str, Any]) -> str:
    """One line saying how a redaction was made, for listings."""
    redaction = transformation.get("redaction") or {}
    parts = []
    if redaction.get("faces"):
        found = redaction.get("faces_found")
        count = len(found) if isinstance(found, list) else redaction.get("face_boxes", 0)
        parts.append(f"{count} face box(es) by {redaction.get('detector', {}).get('name')}")
    if redaction.get("regions"):
        parts.append(f"{len(redaction['regions'])} region(s)")
    parts.append("metadata removed")
    return ", ".join(parts) + f" ({redaction.get('style', '?')})"


__all__ = [
    "STYLES",
    "Confirmed",
    "Publishable",
    "Redacted",
    "confirm",
    "describe",
    "is_redaction",
    "publishable_picture",
    "redact",
    "redactions_of",
    "report_photographs",
]
