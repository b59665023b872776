"""Media services: perceptual hashes, recycled pictures, metadata consistency, the sun.

Every service takes the :class:`Enquiry` (the acting user), raises :mod:`enquiry.errors` and
records what it derives or finds in the ledger: hashes through the enricher runner (a
``derived`` event per item), metadata findings through it too and a sun check's finding
directly (``analysed``). A stored original is read only through a verified copy, so corrupt
bytes are refused rather than hashed or matched. A protected item's arrival name is never
shown: its lines carry the withheld marker instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from enquiry.app.access import find_visible_item, item_visible, require_admin
from enquiry.app.context import Enquiry
from enquiry.app.lookup import HEX, find_item, require_regular_file
from enquiry.app.protection import shown_name
from enquiry.cluster import chosen_address, cluster_for
from enquiry.enrich.media import consistency, points, windows
from enquiry.enrich.media.align import ItemMatch
from enquiry.enrich.media.catalogue import (
    annotate_earliest,
    find_matches,
    item_entries,
    keypoint_matches,
    open_index,
    open_probe_index,
    point_candidates,
    query_frames,
    record_findings,
    window_hits,
    windowed_items,
)
from enquiry.enrich.media.extractor import PdqExtractor, hash_file
from enquiry.enrich.media.index import DEFAULT_RADIUS
from enquiry.enrich.media.pdq import ALGORITHM
from enquiry.enrich.media.windows import ALGORITHM as WINDOW_ALGORITHM
from enquiry.enrich.runner import pages, run_enrichers, verified_original
from enquiry.errors import EnquiryError, NotFound
from enquiry.intake.walk import printable
from enquiry.progress import Progress, Silent
from enquiry.store import Store
from enquiry.store.tables import Item, ItemFinding


def _items(store: Store, refs: Sequence[str]) -> list[Item]:
    """The items named, every one of them, before anything is done."""
    with store.session() as session:
        return [find_item(session, ref) for ref in refs]


def _names(store: Store, item_ids: Sequence[int]) -> dict[int, str]:
    """Each item's arrival name as it may be shown (withheld for a protected item)."""
    names: dict[int, str] = {}
    with store.session() as session:
        for page in pages(item_ids):
            for item in session.scalars(select(Item).where(Item.id.in_(page))):
                names[item.id] = printable(shown_name(item, reveal=False))
    return names


# --- media hash ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HashedItem:
    """An item hashed: how many PDQ hashes of whole pictures it now has (one per photo, several
    per video), and of windows (a photo's, see :mod:`enquiry.enrich.media.windows`)."""

    item_id: int
    name: str
    hashes: int
    windows: int = 0


@dataclass(frozen=True)
class HashReport:
    """What ``media hash`` did: items hashed, items not hashable, failures, the sizes of the
    index of whole pictures and of the index of windows. ``not_media`` pairs an item named by
    the request with its media type."""

    hashed: list[HashedItem]
    not_media: list[tuple[int, str, str]]
    failed: list[int]
    index_size: int
    window_index_size: int = 0


def hash_items(
    app: Enquiry,
    refs: Sequence[str] = (),
    *,
    everything: bool = False,
    rebuild_index: bool = False,
    progress: Progress | None = None,
    cluster: str | None = None,
) -> HashReport:
    """PDQ-hash photos and videos already in the store (videos: keyframes and about one frame
    a second), replacing their earlier hashes, each with a ``derived`` event.

    Items named in ``refs`` are hashed again; with none, the photo and video items without a
    PDQ hash are (all of them with ``everything``). A file that cannot be decoded is one
    problem line; the others go on. ``cluster`` (else ``ENQUIRY_CLUSTER``) names a Dask
    cluster whose workers do the hashing.
    """
    require_admin(app, "media hash")
    address = chosen_address(cluster)
    store = app.store(create=False)
    enricher = PdqExtractor()
    if refs:
        item_ids = [item.id for item in _items(store, refs)]
    else:
        with store.session() as session:
            rows = session.execute(
                select(Item.id, Item.media_type, Item.kind)
                .where(Item.sha256.is_not(None))
                .order_by(Item.id)
            ).all()
        item_ids = [row[0] for row in rows if enricher.accepts(row[1], row[2])]
    names = _names(store, item_ids)
    progress = progress or Silent()
    with cluster_for(address, progress.problem) as on:
        run = run_enrichers(
            store,
            item_ids,
            [enricher],
            progress=progress,
            force=bool(refs) or everything,
            describe=lambda item_id: f"item {item_id}: {names.get(item_id, '')}",
            cluster=on,
        )
    refused = [o.item_id for o in run.of(enricher.name, "not_accepted")]
    with store.session() as session:
        types = dict(
            session.execute(select(Item.id, Item.media_type).where(Item.id.in_(refused))).all()
        )
    index = open_index(store, rebuild=rebuild_index)
    window_index = open_probe_index(store, rebuild=rebuild_index, algorithm=WINDOW_ALGORITHM)
    open_probe_index(store, rebuild=rebuild_index, algorithm=points.ALGORITHM)  # kept current
    return HashReport(
        hashed=[
            HashedItem(
                o.item_id,
                names[o.item_id],
                int(o.details.get("by_algorithm", {}).get(ALGORITHM, 0)),
                int(o.details.get("by_algorithm", {}).get(WINDOW_ALGORITHM, 0)),
            )
            for o in run.of(enricher.name, "enriched")
        ],
        not_media=[(item_id, names[item_id], str(types[item_id])) for item_id in refused],
        failed=[o.item_id for o in run.of(enricher.name, "failed")],
        index_size=len(index),
        window_index_size=len(window_index),
    )


# --- media match ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchReport:
    """Stored items that share pictures with the query, best first (``media match --json``
    form), the shown name of each, and notes about the request itself."""

    matches: list[dict[str, Any]]
    names: dict[int, str]
    notes: list[str] = field(default_factory=list)


def _media_type(path: Path) -> str:
    from enquiry.intake.sniff import sniff

    with path.open("rb") as handle:
        head = handle.read(4096)
    return sniff(head, path.name)


def _is_item_ref(target: str) -> bool:
    text = target.lower()
    return target.isdigit() or (len(text) >= 8 and set(text) <= HEX)


def match(
    app: Enquiry,
    target: str,
    *,
    radius: int = DEFAULT_RADIUS,
    deep: bool = False,
    progress: Progress | None = None,
) -> MatchReport:
    """Find stored photos and videos that share pictures with a file or an item: the matching
    frame times, the overlapping segment, and the earliest evidence that each match existed.

    A photo is also looked up by its windows (see :mod:`enquiry.enrich.media.windows`): copies
    cropped by up to ~20 %, with a caption banner or a logo, inset in another picture, or
    turned by up to ~8° (its centre windows turned back). ``deep`` also compares a photo's
    keypoints with every stored photo (larger or uneven crops, turns with a crop or beyond ~8°).
    """
    require_admin(app, "media match")
    from enquiry.enrich.media.pdq import CANONICAL_SIDE, MIN_QUALITY, load_rgb

    progress = progress or Silent()
    path = Path(target)
    exclude = None
    store: Store | None = None
    notes: list[str] = []
    shown = printable(target)
    with ExitStack() as stack:
        if path.is_dir():
            raise EnquiryError(f"{shown}: is a folder; give one photo or video")
        if path.exists() and not _is_item_ref(target):
            require_regular_file(path)  # a FIFO or a device is named, never opened
        if path.is_file():
            try:
                if path.stat().st_size == 0:
                    raise EnquiryError(f"{shown}: empty file (0 bytes)")
                media_type = _media_type(path)
            except OSError as exc:
                raise EnquiryError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
            entries, problems = hash_file(path, media_type, query=True)
            if not entries:
                reason = problems[0] if problems else f"not a photo or video ({media_type})"
                raise EnquiryError(f"{shown}: {reason}")
            picture = path
        elif _is_item_ref(target):
            # A home not made yet holds no items: the answer is the one any home would give.
            store = app.store(create=True)
            item = _items(store, [target])[0]
            exclude = item.id
            entries = item_entries(store, item.id)
            if not entries:
                raise NotFound(
                    f"item {item.id}: has no PDQ hash (run 'enquiry media hash {item.id}')"
                )
            try:
                picture = stack.enter_context(verified_original(store, item.sha256))
            except EnquiryError as exc:
                raise EnquiryError(f"item {item.id}: {exc}") from None
            if any(e["t"] is not None for e in entries):
                # a stored video was sampled about once a second; as a query it is sampled from
                # every frame, like a file (see frames.QUERY_EVERY_S)
                dense, _ = hash_file(picture, item.media_type, query=True)
                entries = dense or entries
        else:
            raise NotFound(f"{shown}: no such file, and not an item number")
        frames = query_frames(entries)
        if not frames:
            best = max(int(e["quality"] or 0) for e in entries)
            raise EnquiryError(
                f"{shown}: too featureless to match (PDQ quality {best} < {MIN_QUALITY}): "
                "a blank, flat or silhouette picture matches unrelated ones"
            )
        store = store or app.store(create=False)
        index = open_index(store)
        looked_up = windows.lookups(entries)
        if not looked_up and all(e["t"] is None for e in entries):
            looked_up = windows.lookups(
                windows.query_entries(load_rgb(picture, least_side=CANONICAL_SIDE, grey=True))
            )
        # a photo's windows (crops, banners, logos, picture-in-picture), a video's frames (crops
        # of stored photos or keyframes), among stored windows
        extra = window_hits(
            open_probe_index(store, algorithm=WINDOW_ALGORITHM),
            looked_up,
            radius=radius,
            exclude=exclude,
        )
        confirmed: dict[int, ItemMatch] = {}
        found = find_matches(
            index,
            frames,
            radius=radius,
            exclude=exclude,
            extra=extra,
            vouch=_voucher(store, picture, confirmed),
        )
        for m in found:
            if m.item in confirmed:
                m.keypoints = confirmed[m.item].keypoints
        if all(e["t"] is None for e in entries):
            found += _by_corners(store, entries, picture, found, exclude)
        if deep:
            if any(e["t"] is not None for e in entries):
                notes.append("--deep compares photos only; this is a video")
            else:
                skip = {m.item for m in found} | ({exclude} if exclude is not None else set())
                found += keypoint_matches(store, load_rgb(picture), skip, progress)
    annotate_earliest(store, found)
    return MatchReport(
        matches=[m.as_json() for m in found],
        names=_names(store, [m.item for m in found]),
        notes=notes,
    )


def _voucher(
    store: Store, picture: Path, confirmed: dict[int, ItemMatch]
) -> Callable[[set[int]], set[int]]:
    """For :func:`find_matches`: of the stored photos whose hashes only just agree with the
    query (see :func:`~enquiry.enrich.media.catalogue.agreed`), those that count after all — a
    photo stored before windows existed (it has none to agree), and a photo whose keypoints
    agree with the query's under one similarity transform, as ``--deep`` compares them, but
    with these few photos only. Those are noted in ``confirmed`` with their keypoints."""
    from enquiry.enrich.media.pdq import load_rgb

    have_windows = windowed_items(store)

    def vouch(items: set[int]) -> set[int]:
        windowed = have_windows(items)
        kept = items - windowed
        if windowed:
            try:
                rgb = load_rgb(picture)
            except (OSError, ValueError, SyntaxError):
                return kept  # a video, or not decodable as a still: no keypoints to ask
            for m in keypoint_matches(store, rgb, set(), only=windowed):
                confirmed[m.item] = m
                kept.add(m.item)
        return kept

    return vouch


def _by_corners(
    store: Store,
    entries: list[dict[str, Any]],
    picture: Path,
    found: list[ItemMatch],
    exclude: int | None,
) -> list[ItemMatch]:
    """Stored photos that a photo query's strongest corners point to (see
    :mod:`enquiry.enrich.media.points`) and whose keypoints agree with the query's, besides the
    ones already ``found``: crops no window lines up with (each side cut differently), insets
    whose edges cannot be seen, a logo on a cropped copy. The query's corners are its keypoints
    for the comparison: nothing is decoded or described again."""
    from enquiry.enrich.media.pdq import load_rgb

    if not points.lookups(entries):  # a stored photo asked about: its corners, as a query's
        try:
            entries = points.point_entries(load_rgb(picture, grey=True), query=True)
        except (OSError, ValueError, SyntaxError):
            return []  # not decodable as a still: no corners to ask
    skip = {m.item for m in found}
    index = open_probe_index(store, algorithm=points.ALGORITHM)
    candidates = [
        i for i in point_candidates(index, points.lookups(entries), exclude) if i not in skip
    ]
    if not candidates:
        return []
    described = points.query_features(entries)
    return keypoint_matches(
        store, None, set(), only=set(candidates), mirror=False, described=described
    )


# --- media sun -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SunReport:
    """The sun at a place and time and, given a shadow, whether and when it fits (``result``
    is the ``media sun --json`` form); ``recorded`` names the finding written, if any."""

    result: dict[str, Any]
    recorded: str | None = None


def sun(
    app: Enquiry,
    lat: float,
    lon: float,
    moment: datetime,
    *,
    shadow_bearing: float | None = None,
    object_height: float | None = None,
    shadow_length: float | None = None,
    bearing_tolerance: float = 5.0,
    elevation_tolerance: float = 2.0,
    item_ref: str | None = None,
) -> SunReport:
    """Where the sun was, and, with a measured shadow, the windows of that day whose sun casts
    it; with ``item_ref``, the verdict is recorded as a finding of that item (a mismatch is
    a high-severity finding)."""
    require_admin(app, "media sun")
    from enquiry.enrich.media import sun as solar

    if (object_height is None) != (shadow_length is None):
        raise EnquiryError("--object-height and --shadow-length go together")
    shadow_elevation = (
        solar.elevation_from_shadow(object_height, shadow_length)
        if object_height is not None and shadow_length is not None
        else None
    )
    try:
        result = solar.sun_check(
            lat,
            lon,
            moment,
            shadow_bearing,
            shadow_elevation,
            bearing_tolerance,
            elevation_tolerance,
        )
    except (OverflowError, ValueError) as exc:
        raise EnquiryError(
            f"--time {moment.isoformat()}: the sun cannot be computed for it ({exc})"
        ) from None
    result["time_zone_given"] = moment.tzinfo is not None
    if item_ref is None:
        return SunReport(result)
    if "fits" not in result:
        raise EnquiryError(
            "--item needs a measured shadow (--shadow-bearing or --object-height/--shadow-length)"
        )
    store = app.store(create=False)
    item = _items(store, [item_ref])[0]
    finding = {
        "type": "sun_consistent" if result["fits"] else "sun_mismatch",
        "severity": "info" if result["fits"] else "high",
        "message": (
            f"shadows fit the sun at {result['time']}"
            if result["fits"]
            else f"shadows do not fit the sun at {result['time']}: bearing off by "
            f"{result['bearing_error']}°, elevation off by {result['elevation_error']}°"
        ),
        "inputs": result,
    }
    record_findings(store, item.id, "media.sun", solar.ENGINE, [finding], replace=False)
    return SunReport(result, f"recorded as a {finding['type']} finding of item {item.id}")


# --- media check ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedItem:
    """One item's metadata findings (``{"type", "severity", "message", "inputs"}``)."""

    item_id: int
    name: str
    findings: list[dict[str, Any]]


def check(
    app: Enquiry, refs: Sequence[str], *, progress: Progress | None = None
) -> list[CheckedItem]:
    """Check items' metadata against their claimed time and place and against what is possible,
    and record the findings (each run replaces the item's earlier ones; the ledger keeps every
    run's ``analysed`` event)."""
    require_admin(app, "media check")
    store = app.store(create=False)
    item_ids = [item.id for item in _items(store, refs)]
    names = _names(store, item_ids)
    enricher = consistency.ConsistencyEnricher()
    run = run_enrichers(
        store,
        item_ids,
        [enricher],
        progress=progress,
        force=True,
        describe=lambda item_id: f"item {item_id}: {names.get(item_id, '')}",
    )
    if run.failed:
        raise EnquiryError(f"item {run.failed[0].item_id}: {run.failed[0].problems[0]}")
    checked = {
        o.item_id: list((o.enrichment.findings if o.enrichment else None) or [])
        for o in run.of(enricher.name, "enriched")
    }
    return [
        CheckedItem(item_id, names[item_id], checked[item_id])
        for item_id in dict.fromkeys(item_ids)
    ]


# --- what is known of one item -----------------------------------------------------------------


@dataclass(frozen=True)
class ItemMedia:
    """What the media stages recorded about one item, as its page shows it: the metadata
    findings, and the other items that share its pictures with the earliest evidence that
    each existed (``media match --json`` form). ``withheld`` when the item is protected: its
    findings quote its metadata, which may identify the witness."""

    findings: list[dict[str, Any]]
    near_duplicates: list[dict[str, Any]]
    names: dict[int, str]
    withheld: bool = False


def item_media(app: Enquiry, ref: str, *, radius: int = DEFAULT_RADIUS) -> ItemMedia:
    """The recorded findings and near-duplicates of item ``ref``, read from what the
    enrichers stored (nothing is hashed or re-checked here, so a page can show it at once);
    only items the acting user may see are named."""
    store = app.store(create=False)
    with store.session() as session:
        item = find_visible_item(app, session, ref)
        findings = [
            {"type": f.type, "severity": f.severity, "message": f.message, "at": f.created_at}
            for f in session.scalars(
                select(ItemFinding).where(ItemFinding.item_id == item.id).order_by(ItemFinding.id)
            )
        ]
    frames = query_frames(item_entries(store, item.id))
    found = (
        find_matches(open_index(store), frames, radius=radius, exclude=item.id) if frames else []
    )
    if found:
        with store.session() as session:
            shown = {
                i.id
                for i in session.scalars(select(Item).where(Item.id.in_([m.item for m in found])))
                if item_visible(app, i)
            }
        found = [m for m in found if m.item in shown]
        annotate_earliest(store, found)
    if item.protected:
        findings = []
    return ItemMedia(
        findings=findings,
        near_duplicates=[m.as_json() for m in found],
        names=_names(store, [m.item for m in found]),
        withheld=bool(item.protected),
    )


__all__ = [
    "DEFAULT_RADIUS",
    "CheckedItem",
    "HashReport",
    "HashedItem",
    "ItemMedia",
    "MatchReport",
    "SunReport",
    "check",
    "hash_items",
    "item_media",
    "match",
    "sun",
]
