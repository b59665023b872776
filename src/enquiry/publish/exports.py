"""A case or an incident in the formats other tools read: CSV, GeoJSON, KML, PROV-O, CASE/UCO.

Every format is written from one :class:`Scope`, read in one session and already cut to what may
leave the home: a protected item keeps its key, kind, hash and ratings, but its identifying
fields, arrival name, origin, place and text (and the text of claims found in it) stay out
unless the caller reveals (:class:`~enquiry.publish.inputs.Withholding`). Custody is exported as
the ledger's sequence, time, actor, action and hashes, never the events' free-form details,
which name files and values a protected item arrived with.

Each writer returns bytes, and the same scope always gives the same bytes (sorted keys, fixed
ZIP times), so an export's SHA-256 recorded in the ledger names its content.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

import enquiry
from enquiry.publish.files import write_published
from enquiry.publish.inputs import Withholding, collection_date, opened_items
from enquiry.store import Store
from enquiry.store.crypt import KeyUnavailable
from enquiry.store.tables import (
    Actor,
    Case,
    Claim,
    CustodyEvent,
    Hypothesis,
    Incident,
    Item,
    Rating,
    Source,
)

FORMATS = ("csv", "geojson", "kml", "prov", "case-uco")
"""The export formats, as the command line names them."""


@dataclass(frozen=True)
class Place:
    """A point (lat, lon) or a box (west, south, east, north), in WGS 84 degrees."""

    lat: float | None = None
    lon: float | None = None
    box: tuple[float, float, float, float] | None = None
    role: str = "location"


@dataclass(frozen=True)
class ItemRow:
    key: str
    kind: str
    title: str
    source: str
    grade: str
    sha256: str | None
    size: int | None
    media_type: str
    file_name: str | None
    protected: bool
    derived_from: str | None
    origin: str | None
    dated: tuple[str, str] | None
    received_at: str
    places: tuple[Place, ...]


@dataclass(frozen=True)
class ClaimRow:
    key: str
    incident: str | None
    party: str
    date: str
    forum: str
    text: str
    item: str | None
    supports: tuple[str, ...]
    place: Place | None
    place_name: str


@dataclass(frozen=True)
class RatingRow:
    incident: str
    hypothesis: str
    target: str
    what: str
    rating: str
    likelihood: float | None
    rationale: str
    analyst: str
    at: str


@dataclass(frozen=True)
class CustodyRow:
    seq: int
    at: str
    actor: str
    action: str
    item: str | None
    hash: str
    prev_hash: str


@dataclass(frozen=True)
class IncidentRow:
    slug: str
    title: str
    category: str
    window_start: str | None
    window_end: str | None
    place: str
    lat: float | None
    lon: float | None
    radius_km: float | None
    hypotheses: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Scope:
    """What one export holds: a whole case, or one incident with the case's items."""

    case: str
    case_title: str
    mandate: str
    case_id: int
    incident: str | None
    incidents: tuple[IncidentRow, ...]
    items: tuple[ItemRow, ...]
    claims: tuple[ClaimRow, ...]
    ratings: tuple[RatingRow, ...]
    custody: tuple[CustodyRow, ...]
    revealed: bool = False

    @property
    def name(self) -> str:
        """The scope as a reader names it: the incident's slug, else the case's name."""
        return self.incident or self.case


# ---------------------------------------------------------------------------------------------
# Text as a reader sees it
# ---------------------------------------------------------------------------------------------

_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # control characters (not tab or line ends)
    "\u00ad\u061c\u115f\u1160\u180e"  # soft hyphen, Arabic letter mark, fillers, MVS
    "\u200b-\u200f\u202a-\u202e"  # zero-width space, ZWNJ, ZWJ, LRM, RLM; embeddings, overrides
    "\u2060-\u2064\u2066-\u206f"  # word joiner, invisible operators; isolates, deprecated
    "\u3164\ufeff\uffa0\ufff9-\ufffb"  # Hangul fillers, BOM, interlinear annotation
    "\ud800-\udfff"  # lone surrogates (not UTF-8)
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f]"  # tags
)
_JOINERS = "\u200c\u200d"
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
FSI, PDI = "\u2068", "\u2069"


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    if char in _JOINERS:
        text, at = match.string, match.start()
        before, after = text[at - 1 : at], text[at + 1 : at + 2]
        # ZWNJ and ZWJ belong to Persian, Urdu, Indic scripts and emoji: kept between two
        # characters outside ASCII, shown anywhere else (where they only hide a difference).
        neighbours = before + after
        if before > "\x7f" and after > "\x7f" and not _HIDDEN.search(neighbours):
            return char
    return f"[U+{ord(char):04X}]"


def visible(text: str) -> str:
    """Text with every invisible character a reader could be misled by written as ``[U+XXXX]``.

    A bidirectional override (U+202E) makes ``gnp.exe`` read ``exe.png`` and can turn a line of
    the report around; a zero-width space or joiner makes two names that print alike differ
    (or a searched name not match); a control character prints as nothing. Evidence is shown
    as it is, so such a character is not dropped but named where it stands. Zero-width
    (non-)joiners between two non-ASCII characters are kept, as the scripts that need them
    use them."""
    if not _HIDDEN.search(text):
        return text
    return _HIDDEN.sub(_shown, text)


def isolated(text: str) -> str:
    """Text holding right-to-left letters (Arabic, Hebrew …) wrapped in a first-strong isolate
    (U+2068 … U+2069), so that it cannot reorder the report's words, numbers and punctuation
    around it; other text is returned unchanged."""
    return f"{FSI}{text}{PDI}" if _RTL.search(text) else text


class UnknownScope(LookupError):
    """No case or incident has the name asked for; the message lists the known ones."""


# ---------------------------------------------------------------------------------------------
# Reading the scope
# ---------------------------------------------------------------------------------------------


def _degrees(value: Any, limit: float) -> float | None:
    """A coordinate in -limit..limit degrees, else None (a bool, NaN, infinity or a number off
    the Earth is no coordinate)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and -limit <= number <= limit else None


def on_earth(lat: Any, lon: Any) -> bool:
    """Whether ``lat, lon`` is a point on Earth: finite, latitude in -90..90, longitude in
    -180..180.

    The case file's loader checks places, but a catalogue can be edited behind it (and a
    report or export may be asked for past a failed verification): a NaN, an infinity or a
    latitude of 1000 would make the GeoJSON invalid JSON, the KML and the map's SVG nonsense,
    and one far-off point would shrink every real place on the map to a dot. Such a place is
    left out of every map and export, as if none were recorded."""
    return _degrees(lat, 90) is not None and _degrees(lon, 180) is not None


def _point(value: Any, role: str) -> Place | None:
    if isinstance(value, Mapping):
        lat, lon = _degrees(value.get("lat"), 90), _degrees(value.get("lon"), 180)
        if lat is not None and lon is not None:
            return Place(lat=lat, lon=lon, role=role)
    return None


def _box(value: Any) -> Place | None:
    if isinstance(value, Mapping):
        w, s, e, n = (
            _degrees(value.get(k), limit)
            for k, limit in (("west", 180), ("south", 90), ("east", 180), ("north", 90))
        )
        if w is not None and s is not None and e is not None and n is not None and s < n:
            return Place(box=(w, s, e, n), role="area")
    return None


def _radius(value: Any) -> float | None:
    """An incident's radius in km, or None when it is not a positive finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and 0 < value <= 20_000 else None


def _item_places(fields: Mapping[str, Any]) -> tuple[Place, ...]:
    found = [
        _point(fields.get("location"), "location"),
        _point(fields.get("claimed_place"), "claimed place"),
        _box(fields.get("bbox")),
    ]
    return tuple(p for p in found if p is not None)


def read_scope(
    session: Session, *, case: str | None = None, incident: str | None = None, reveal: bool = False
) -> Scope:
    """The scope of an export: a case by name or an incident by slug (exactly one)."""
    if (case is None) == (incident is None):
        raise ValueError("name a case or an incident, not both")
    slug: str | None = None
    if incident is not None:
        found = session.scalars(select(Incident).where(Incident.slug == incident)).first()
        if found is None:
            known = ", ".join(session.scalars(select(Incident.slug).order_by(Incident.slug)))
            raise UnknownScope(f"no incident '{incident}' in this home (known: {known or 'none'})")
        the_case = session.get(Case, found.case_id)
        slug = found.slug
        incidents = [found]
    else:
        the_case = session.scalars(select(Case).where(Case.name == case)).first()
        if the_case is None:
            known = ", ".join(session.scalars(select(Case.name).order_by(Case.name)))
            raise UnknownScope(f"no case '{case}' in this home (known: {known or 'none'})")
        incidents = list(
            session.scalars(
                select(Incident).where(Incident.case_id == the_case.id).order_by(Incident.id)
            )
        )
    assert the_case is not None
    items = list(session.scalars(select(Item).where(Item.case_id == the_case.id).order_by(Item.id)))
    claims = list(
        session.scalars(select(Claim).where(Claim.case_id == the_case.id).order_by(Claim.id))
    )
    if slug is not None:
        claims = [c for c in claims if (c.data or {}).get("incident") in (None, slug)]
    try:
        # With the key, an export that withholds still knows the identities it must scrub from
        # free text elsewhere (a rationale, a title, a party's name), as the report does.
        opened = opened_items(session, items)
    except KeyUnavailable:
        if reveal:
            raise
        opened = items
    withholding = Withholding(opened, claims, reveal)
    if reveal:
        items = opened
    sources = {
        s.id: s for s in session.scalars(select(Source).where(Source.case_id == the_case.id))
    }
    actors = {a.id: a for a in session.scalars(select(Actor).where(Actor.case_id == the_case.id))}
    keys = {i.id: i.key or f"item-{i.id}" for i in items}
    claim_keys = {c.id: c.key or f"claim-{c.id}" for c in claims}
    hyps = list(
        session.scalars(
            select(Hypothesis)
            .where(Hypothesis.incident_id.in_([i.id for i in incidents]))
            .order_by(Hypothesis.id)
        )
    )
    incident_rows = tuple(
        IncidentRow(
            slug=i.slug,
            title=withholding.scrub(i.title),
            category=i.category,
            window_start=i.window_start,
            window_end=i.window_end,
            place=withholding.scrub(i.place),
            lat=i.lat,
            lon=i.lon,
            radius_km=_radius((i.data or {}).get("place", {}).get("radius_km")),
            hypotheses=tuple(
                (h.key, withholding.scrub(h.label)) for h in hyps if h.incident_id == i.id
            ),
        )
        for i in incidents
    )
    item_rows = []
    for item in items:
        hidden = item.id in withholding.protected
        source = sources.get(item.source_id or 0)
        fields = item.fields or {}
        item_rows.append(
            ItemRow(
                key=keys[item.id],
                kind=item.kind,
                title=withholding.title(item),
                source=source.name if source else "",
                grade=f"{source.reliability if source else 'F'}{item.credibility or ''}",
                sha256=item.sha256,
                size=item.size,
                media_type=item.media_type,
                file_name=None if hidden else withholding.scrub(item.original_name) or None,
                protected=bool(item.protected),
                derived_from=keys.get(item.derived_from) if item.derived_from else None,
                origin=withholding.origin(item.origin),
                dated=None if hidden else collection_date(fields),
                received_at=item.created_at,
                places=() if hidden else _item_places(fields),
            )
        )
    claim_rows = []
    for claim in claims:
        actor = actors.get(claim.actor_id or 0)
        data = claim.data or {}
        hidden = claim.item_id in withholding.protected
        place_slot = (claim.slots or {}).get("place")
        claim_rows.append(
            ClaimRow(
                key=claim_keys[claim.id],
                incident=data.get("incident"),
                party=withholding.scrub(actor.name) if actor else "unknown",
                date=claim.date or "",
                forum=withholding.scrub(claim.forum),
                text=withholding.claim_text(claim),
                item=keys.get(claim.item_id) if claim.item_id else None,
                supports=tuple(str(h) for h in data.get("supports", [])),
                place=None if hidden else _point(place_slot, "claimed place"),
                place_name=(
                    ""
                    if hidden or not isinstance(place_slot, Mapping)
                    else withholding.scrub(str(place_slot.get("name", "")))
                ),
            )
        )
    hyp_by_id = {h.id: h for h in hyps}
    incident_slug = {i.id: i.slug for i in incidents}
    rating_rows = []
    if hyp_by_id:
        for rating in session.scalars(
            select(Rating)
            .where(Rating.hypothesis_id.in_(list(hyp_by_id)))
            .order_by(Rating.created_at, Rating.id)
        ):
            hyp = hyp_by_id[rating.hypothesis_id]
            if rating.item_id is not None:
                target, what = keys.get(rating.item_id, f"item-{rating.item_id}"), "item"
            elif rating.claim_id is not None and rating.claim_id in claim_keys:
                target, what = claim_keys[rating.claim_id], "claim"
            else:
                continue
            rating_rows.append(
                RatingRow(
                    incident=incident_slug[hyp.incident_id],
                    hypothesis=hyp.key,
                    target=target,
                    what=what,
                    rating=rating.rating or "",
                    likelihood=rating.likelihood,
                    rationale=withholding.scrub(rating.rationale),
                    analyst=rating.analyst,
                    at=rating.created_at,
                )
            )
    item_ids = list(keys)
    custody = tuple(
        CustodyRow(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            action=e.action,
            item=keys.get(e.item_id) if e.item_id is not None else None,
            hash=e.hash,
            prev_hash=e.prev_hash,
        )
        for e in session.scalars(
            select(CustodyEvent)
            .where(
                or_(CustodyEvent.case_id == the_case.id, CustodyEvent.item_id.in_(item_ids))
                if item_ids
                else CustodyEvent.case_id == the_case.id
            )
            .order_by(CustodyEvent.seq)
        )
    )
    return Scope(
        case=the_case.name,
        case_title=withholding.scrub(the_case.title),
        mandate=withholding.scrub(the_case.mandate),
        case_id=the_case.id,
        incident=slug,
        incidents=incident_rows,
        items=tuple(item_rows),
        claims=tuple(claim_rows),
        ratings=tuple(rating_rows),
        custody=custody,
        revealed=reveal,
    )


# ---------------------------------------------------------------------------------------------
# CSV: a ZIP of four tables
# ---------------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What a spreadsheet may take for the start of a formula: OWASP's list (``= + - @``, tab,
carriage return), a line feed, and the full-width ``＝ ＋ － ＠`` that East Asian versions of
Excel read as their ASCII forms."""


_SPLIT_FORMULA = re.compile(
    "([;\t\r\n]\\s*)(?=[" + re.escape("".join(c for c in FORMULA_START if not c.isspace())) + "])"
)
"""A formula character after a ``;``, a tab or a line end (and any white space): where a
spreadsheet that splits on ``;`` or tabs, or ends a row at a line end, starts a new cell."""


def _cell(value: Any) -> str | int | float:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a leading "'"
    (OWASP's advice against CSV injection); numbers are written as numbers.

    Text is also prefixed when a formula character follows leading white space, since
    LibreOffice's "trim spaces" import option strips the spaces before it evaluates. And a
    formula character after a ``;``, a tab or a line end inside the text gets a "'" before it:
    opened where the list separator is ``;`` (much of Europe), a comma-separated file is not
    read by its quotes, and ``a;=1+1;`` would put ``=1+1`` in a cell of its own. Only text is
    ever changed: an int or a float from the catalogue (a size, a sequence number, a
    coordinate) stays a number a spreadsheet can sum."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = str(value)
    body = text.lstrip()
    lead = text[: len(text) - len(body)]
    guarded = lead + _SPLIT_FORMULA.sub(r"\1'", body)
    if text.startswith(FORMULA_START) or body.startswith(FORMULA_START):
        return "'" + guarded
    return guarded


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One CSV table. Every text cell is quoted (numbers are not): a spreadsheet opened with
    ``;`` or a tab as its list separator (the default in much of Europe) would otherwise split
    an unquoted ``a;=HYPERLINK(...)`` into two cells, the second a formula no prefix
    guarded."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every member's time in the ZIP: fixed, so the same scope gives the same bytes."""


def zip_folder(name: str) -> str:
    """The folder the CSV tables sit in inside the ZIP: the case's or incident's name with
    every character but letters, digits, ``-``, ``_`` and ``.`` turned into ``_`` and no
    leading dot.

    Names come from the case file and may hold ``/``, ``\\`` or ``..``: a member named
    ``../../x/items.csv`` is written outside the folder by an unzip tool that trusts member
    names (a "zip slip"), so the folder is one plain path segment."""
    folder = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".")
    return folder or "export"


ITEM_COLUMNS = (
    "key", "kind", "title", "source", "grade", "sha256", "size", "media_type", "file_name",
    "protected", "derived_from", "origin", "dated", "date", "received_at", "lat", "lon",
)  # fmt: skip
CLAIM_COLUMNS = (
    "key", "incident", "party", "date", "forum", "text", "item", "supports", "place", "lat", "lon",
)  # fmt: skip
RATING_COLUMNS = (
    "incident", "hypothesis", "target", "target_type", "rating", "likelihood", "rationale",
    "analyst", "at",
)  # fmt: skip
CUSTODY_COLUMNS = ("seq", "at", "actor", "action", "item", "hash", "prev_hash")


def _item_cells(i: ItemRow) -> tuple[Any, ...]:
    point = next((p for p in i.places if p.lat is not None), None)
    dated = i.dated or (None, None)
    return (
        i.key, i.kind, i.title, i.source, i.grade, i.sha256, i.size, i.media_type, i.file_name,
        i.protected, i.derived_from, i.origin, dated[0], dated[1], i.received_at,
        point.lat if point else None, point.lon if point else None,
    )  # fmt: skip


def _claim_cells(c: ClaimRow) -> tuple[Any, ...]:
    return (
        c.key, c.incident, c.party, c.date, c.forum, c.text, c.item, " ".join(c.supports),
        c.place_name, c.place.lat if c.place else None, c.place.lon if c.place else None,
    )  # fmt: skip


def _rating_cells(r: RatingRow) -> tuple[Any, ...]:
    return (
        r.incident, r.hypothesis, r.target, r.what, r.rating, r.likelihood, r.rationale,
        r.analyst, r.at,
    )  # fmt: skip


def to_csv(scope: Scope) -> bytes:
    """A ZIP of ``items.csv``, ``claims.csv``, ``ratings.csv`` and ``custody.csv`` (UTF-8,
    RFC 4180), one table per kind of row, because the four have nothing in common to share
    columns with."""
    tables = {
        "items.csv": _table(ITEM_COLUMNS, map(_item_cells, scope.items)),
        "claims.csv": _table(CLAIM_COLUMNS, map(_claim_cells, scope.claims)),
        "ratings.csv": _table(
            RATING_COLUMNS,
            map(_rating_cells, scope.ratings),
        ),
        "custody.csv": _table(
            CUSTODY_COLUMNS,
            ((e.seq, e.at, e.actor, e.action, e.item, e.hash, e.prev_hash) for e in scope.custody),
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in tables.items():
            info = zipfile.ZipInfo(f"{zip_folder(scope.name)}/{name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# GeoJSON and KML: a feature for every place
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Feature:
    """One placed thing: the incident, an item or a claim, with its geometry and properties."""

    id: str
    role: str
    name: str
    place: Place
    properties: Mapping[str, Any]


def features(scope: Scope) -> list[Feature]:
    """Every feature of the scope: incidents first, then items, then claims."""
    out: list[Feature] = []
    for inc in scope.incidents:
        if on_earth(inc.lat, inc.lon):
            assert inc.lat is not None and inc.lon is not None
            out.append(
                Feature(
                    id=f"incident/{inc.slug}",
                    role="incident",
                    name=inc.title or inc.slug,
                    place=Place(lat=inc.lat, lon=inc.lon, role="established place"),
                    properties={
                        "incident": inc.slug,
                        "category": inc.category,
                        "place": inc.place,
                        "window_start": inc.window_start,
                        "window_end": inc.window_end,
                        "radius_km": inc.radius_km,
                    },
                )
            )
    for item in scope.items:
        for place in item.places:
            out.append(
                Feature(
                    id=f"item/{item.key}/{place.role.replace(' ', '-')}",
                    role="item",
                    name=item.title,
                    place=place,
                    properties={
                        "item": item.key,
                        "kind": item.kind,
                        "where": place.role,
                        "source": item.source,
                        "grade": item.grade,
                        "sha256": item.sha256,
                    },
                )
            )
    for claim in scope.claims:
        if claim.place is not None:
            out.append(
                Feature(
                    id=f"claim/{claim.key}",
                    role="claim",
                    name=f"{claim.party}: {claim.text}"[:200],
                    place=claim.place,
                    properties={
                        "claim": claim.key,
                        "incident": claim.incident,
                        "party": claim.party,
                        "date": claim.date,
                        "where": claim.place_name or "claimed place",
                        "supports": list(claim.supports),
                    },
                )
            )
    return out


def _ring(box: tuple[float, float, float, float]) -> list[list[float]]:
    """The box's outline, counter-clockwise from the south-west corner (RFC 7946's right-hand
    rule for an exterior ring)."""
    w, s, e, n = box
    return [[w, s], [e, s], [e, n], [w, n], [w, s]]


def geometry(place: Place) -> dict[str, Any]:
    if place.box is not None:
        return {"type": "Polygon", "coordinates": [_ring(place.box)]}
    return {"type": "Point", "coordinates": [place.lon, place.lat]}


def _dump(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def to_geojson(scope: Scope) -> bytes:
    """An RFC 7946 FeatureCollection (WGS 84, longitude first)."""
    return _dump(
        {
            "type": "FeatureCollection",
            "name": scope.name,
            "features": [
                {
                    "type": "Feature",
                    "id": f.id,
                    "geometry": geometry(f.place),
                    "properties": {"name": f.name, "role": f.role, **f.properties},
                }
                for f in features(scope)
            ],
        }
    )


KML = "http://www.opengis.net/kml/2.2"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*")


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: a character it forbids (a control character such as U+0001, a
    lone surrogate, U+FFFE) reads ``[U+0001]``.

    ElementTree writes such characters as they are, and one of them in an item's title would
    make the whole KML file unreadable to every XML parser."""
    return _NOT_XML.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def _kml_ids(found: Sequence[Feature]) -> list[str]:
    """An ``id`` per placemark that is a valid, unique ``xsd:ID`` (an XML NCName): the
    feature's id with ``/`` as ``.`` when that is one, else ``f-`` and a UUID derived from it
    (a key may hold spaces, ``:`` or ``<``, or start with a digit)."""
    out: list[str] = []
    used: set[str] = set()
    for feat in found:
        candidate = feat.id.replace("/", ".")
        if not _NCNAME.fullmatch(candidate) or candidate in used:
            candidate = f"f-{uuid.uuid5(NAMESPACE, feat.id)}"
        while candidate in used:
            candidate = f"f-{uuid.uuid5(NAMESPACE, candidate)}"
        used.add(candidate)
        out.append(candidate)
    return out


def to_kml(scope: Scope) -> bytes:
    """An OGC KML 2.2 document: one folder per role, a placemark per feature with its
    properties as extended data."""
    ET.register_namespace("", KML)

    def sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
        node = ET.SubElement(parent, f"{{{KML}}}{tag}")
        if text is not None:
            node.text = xml_text(text)
        return node

    root = ET.Element(f"{{{KML}}}kml")
    doc = sub(root, "Document")
    sub(doc, "name", scope.name)
    # KML's description is HTML to Google Earth and other viewers: the title is plain text,
    # so it is written escaped and shows as typed, never as markup or a script.
    sub(doc, "description", html.escape(scope.case_title, quote=False))
    folders: dict[str, ET.Element] = {}
    found = features(scope)
    for feat, mark_id in zip(found, _kml_ids(found), strict=True):
        folder = folders.get(feat.role)
        if folder is None:
            folder = folders[feat.role] = sub(doc, "Folder")
            sub(
                folder,
                "name",
                {"incident": "Incident", "item": "Items", "claim": "Claims"}[feat.role],
            )
        mark = sub(folder, "Placemark")
        mark.set("id", mark_id)
        sub(mark, "name", feat.name)
        data = sub(mark, "ExtendedData")
        for key, value in [("role", feat.role), *feat.properties.items()]:
            if value is None or value == "" or value == []:
                continue
            node = sub(data, "Data")
            node.set("name", xml_text(key))
            sub(node, "value", " ".join(value) if isinstance(value, list) else str(value))
        if feat.place.box is not None:
            polygon = sub(mark, "Polygon")
            ring = sub(sub(polygon, "outerBoundaryIs"), "LinearRing")
            sub(ring, "coordinates", " ".join(f"{x},{y}" for x, y in _ring(feat.place.box)))
        else:
            sub(sub(mark, "Point"), "coordinates", f"{feat.place.lon},{feat.place.lat}")
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


# ---------------------------------------------------------------------------------------------
# JSON-LD: PROV-O and CASE/UCO
# ---------------------------------------------------------------------------------------------

NAMESPACE = uuid.UUID("5b0f2a55-8f8e-4d4c-9a57-6e71757a7279")
"""Fixed namespace for the UUIDs of exported nodes, so the same thing keeps the same IRI."""


def _iri(scope: Scope, kind: str, name: str) -> str:
    """A stable IRI: ``kb:<kind>-<uuid>``, the UUID derived from the case and the thing's name
    (CASE recommends IRIs ending in a UUID)."""
    return f"kb:{kind}-{uuid.uuid5(NAMESPACE, f'{scope.case}/{kind}/{name}')}"


KB = "urn:enquiry:kb:"


def to_prov(scope: Scope) -> bytes:
    """W3C PROV-O in JSON-LD: items as entities (derived copies ``prov:wasDerivedFrom`` their
    original, attributed to their source), each custody event as an activity that used its item
    and was associated with the person or process that acted, those actors and sources as
    agents."""
    graph: list[dict[str, Any]] = []
    agents: dict[str, dict[str, Any]] = {}

    def agent(name: str, kind: str) -> str:
        iri = _iri(scope, f"agent-{kind}", name)
        agents.setdefault(iri, {"@id": iri, "@type": "prov:Agent", "rdfs:label": name})
        return iri

    entity_iri = {i.key: _iri(scope, "item", i.key) for i in scope.items}
    for item in scope.items:
        node: dict[str, Any] = {
            "@id": entity_iri[item.key],
            "@type": "prov:Entity",
            "rdfs:label": item.title,
            "dcterms:identifier": item.key,
            "enq:kind": item.kind,
        }
        if item.sha256:
            node["enq:sha256"] = item.sha256
        if item.size is not None:
            node["enq:sizeInBytes"] = {"@value": item.size, "@type": "xsd:integer"}
        if item.derived_from and item.derived_from in entity_iri:
            node["prov:wasDerivedFrom"] = {"@id": entity_iri[item.derived_from]}
        if item.source:
            node["prov:wasAttributedTo"] = {"@id": agent(item.source, "source")}
        if item.dated:
            node["enq:" + item.dated[0].replace(" ", "_")] = item.dated[1]
        graph.append(node)
    for event in scope.custody:
        node = {
            "@id": _iri(scope, "event", str(event.seq)),
            "@type": "prov:Activity",
            "rdfs:label": f"{event.action} (ledger event {event.seq})",
            "enq:action": event.action,
            "enq:ledgerSeq": {"@value": event.seq, "@type": "xsd:integer"},
            "enq:eventHash": event.hash,
            "enq:previousHash": event.prev_hash,
            "prov:startedAtTime": {"@value": event.at, "@type": "xsd:dateTime"},
            "prov:endedAtTime": {"@value": event.at, "@type": "xsd:dateTime"},
            "prov:wasAssociatedWith": {"@id": agent(event.actor, "user")},
        }
        if event.item and event.item in entity_iri:
            node["prov:used"] = {"@id": entity_iri[event.item]}
        graph.append(node)
    return _dump(
        {
            "@context": {
                "prov": "http://www.w3.org/ns/prov#",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
                "xsd": "http://www.w3.org/2001/XMLSchema#",
                "dcterms": "http://purl.org/dc/terms/",
                "enq": "urn:enquiry:terms:",
                "kb": KB,
            },
            "@graph": [*sorted(agents.values(), key=lambda a: a["@id"]), *graph],
        }
    )


def _decimal(value: float | None) -> str:
    """A number as an ``xsd:decimal`` lexical form: ``0.00001``, never Python's ``1e-05``,
    which is not one."""
    return format(Decimal(repr(float(value or 0.0))), "f")


def _hex(value: str) -> dict[str, str]:
    return {"@type": "xsd:hexBinary", "@value": value.upper()}


def to_case_uco(scope: Scope) -> bytes:
    """CASE/UCO JSON-LD (ontology 1.x): the case as a ``case-investigation:Investigation``,
    each item an ``uco-observable:File`` (or ``ObservableObject`` when no original is held)
    with its SHA-256 in a ``ContentDataFacet``, a ``case-investigation:ProvenanceRecord`` per
    item, each custody event an ``case-investigation:InvestigativeAction`` performed by a
    ``uco-identity:Identity`` on the item, and derivation as ``uco-core:Relationship``."""
    graph: list[dict[str, Any]] = []
    identities: dict[str, dict[str, Any]] = {}

    def identity(name: str) -> dict[str, str]:
        iri = _iri(scope, "identity", name)
        identities.setdefault(
            iri, {"@id": iri, "@type": "uco-identity:Identity", "uco-core:name": name}
        )
        return {"@id": iri}

    obj = {i.key: _iri(scope, "file", i.key) for i in scope.items}
    records: list[dict[str, Any]] = []
    for item in scope.items:
        facets: list[dict[str, Any]] = []
        if item.sha256:
            content: dict[str, Any] = {
                "@id": _iri(scope, "content-data-facet", item.key),
                "@type": "uco-observable:ContentDataFacet",
                "uco-observable:hash": [
                    {
                        "@id": _iri(scope, "hash", item.key),
                        "@type": "uco-types:Hash",
                        "uco-types:hashMethod": "SHA256",
                        "uco-types:hashValue": _hex(item.sha256),
                    }
                ],
            }
            if item.size is not None:
                content["uco-observable:sizeInBytes"] = {
                    "@type": "xsd:integer",
                    "@value": item.size,
                }
            if item.media_type:
                content["uco-observable:mimeType"] = item.media_type
            facets.append(content)
        if item.file_name:
            facets.append(
                {
                    "@id": _iri(scope, "file-facet", item.key),
                    "@type": "uco-observable:FileFacet",
                    "uco-observable:fileName": item.file_name,
                }
            )
        for place in item.places:
            if place.lat is not None:
                facets.append(
                    {
                        "@id": _iri(scope, "latlong-facet", f"{item.key}/{place.role}"),
                        "@type": "uco-location:LatLongCoordinatesFacet",
                        "uco-location:latitude": {"@type": "xsd:decimal", "@value": _decimal(place.lat)},
                        "uco-location:longitude": {"@type": "xsd:decimal", "@value": _decimal(place.lon)},
                    }
                )  # fmt: skip
        node: dict[str, Any] = {
            "@id": obj[item.key],
            "@type": "uco-observable:File" if item.sha256 else "uco-observable:ObservableObject",
            "uco-core:name": item.title,
            "uco-core:description": f"{item.kind}; source {item.source or 'unknown'}, "
            f"grade {item.grade}" + ("; protected" if item.protected else ""),
        }
        if facets:
            node["uco-core:hasFacet"] = facets
        graph.append(node)
        record: dict[str, Any] = {
            "@id": _iri(scope, "provenance-record", item.key),
            "@type": "case-investigation:ProvenanceRecord",
            "case-investigation:exhibitNumber": item.key,
            "uco-core:object": [{"@id": obj[item.key]}],
        }
        if item.derived_from and item.derived_from in obj:
            record["case-investigation:rootExhibitNumber"] = item.derived_from
            graph.append(
                {
                    "@id": _iri(scope, "relationship", item.key),
                    "@type": "uco-core:Relationship",
                    "uco-core:source": [{"@id": obj[item.key]}],
                    "uco-core:target": {"@id": obj[item.derived_from]},
                    "uco-core:kindOfRelationship": "Derived_From",
                    "uco-core:isDirectional": True,
                }
            )
        records.append({"@id": record["@id"]})
        graph.append(record)
    actions: list[dict[str, str]] = []
    for event in scope.custody:
        iri = _iri(scope, "investigative-action", str(event.seq))
        action: dict[str, Any] = {
            "@id": iri,
            "@type": "case-investigation:InvestigativeAction",
            "uco-core:name": event.action,
            "uco-core:description": f"ledger event {event.seq}, hash {event.hash}",
            "uco-action:startTime": {"@type": "xsd:dateTime", "@value": event.at},
            "uco-action:endTime": {"@type": "xsd:dateTime", "@value": event.at},
            "uco-action:performer": identity(event.actor),
        }
        if event.item and event.item in obj:
            action["uco-action:object"] = [{"@id": obj[event.item]}]
        graph.append(action)
        actions.append({"@id": iri})
    investigation: dict[str, Any] = {
        "@id": _iri(scope, "investigation", scope.case),
        "@type": "case-investigation:Investigation",
        "uco-core:name": scope.case_title or scope.case,
        "case-investigation:focus": [i.title or i.slug for i in scope.incidents] or [scope.case],
        "uco-core:object": [*({"@id": obj[k]} for k in obj), *records, *actions],
    }
    if scope.mandate:
        investigation["uco-core:description"] = scope.mandate
    return _dump(
        {
            "@context": {
                "kb": KB,
                "case-investigation": "https://ontology.caseontology.org/case/investigation/",
                "uco-action": "https://ontology.unifiedcyberontology.org/uco/action/",
                "uco-core": "https://ontology.unifiedcyberontology.org/uco/core/",
                "uco-identity": "https://ontology.unifiedcyberontology.org/uco/identity/",
                "uco-location": "https://ontology.unifiedcyberontology.org/uco/location/",
                "uco-observable": "https://ontology.unifiedcyberontology.org/uco/observable/",
                "uco-types": "https://ontology.unifiedcyberontology.org/uco/types/",
                "xsd": "http://www.w3.org/2001/XMLSchema#",
            },
            "@graph": [investigation, *sorted(identities.values(), key=lambda i: i["@id"]), *graph],
        }
    )


WRITERS: dict[str, Callable[[Scope], bytes]] = {
    "csv": to_csv,
    "geojson": to_geojson,
    "kml": to_kml,
    "prov": to_prov,
    "case-uco": to_case_uco,
}


# ---------------------------------------------------------------------------------------------
# Writing and recording
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    """Where an export went, its format and hash, and how much it holds."""

    path: Path
    format: str
    sha256: str
    size: int
    scope: Scope


def write_export(
    store: Store,
    fmt: str,
    path: Path,
    *,
    case: str | None = None,
    incident: str | None = None,
    reveal: bool = False,
) -> Exported:
    """Write the export (atomically) and record an "exported" event with its SHA-256."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown export format '{fmt}' (one of: {', '.join(FORMATS)})")
    with store.session() as session:
        scope = read_scope(session, case=case, incident=incident, reveal=reveal)
    data = WRITERS[fmt](scope)
    digest = write_published(path, data, private=reveal)
    with store.writing() as (_conn, writer):
        writer.append(
            "exported",
            case_id=scope.case_id,
            details={
                "what": "export",
                "format": fmt,
                **({"incident": scope.incident} if scope.incident else {"case": scope.case}),
                "sha256": digest,
                "size": len(data),
                "path": str(path.resolve()),
                "items": len(scope.items),
                "version": enquiry.__version__,
                **({"revealed": True} if reveal else {}),
            },
        )
    return Exported(path, fmt, digest, len(data), scope)
