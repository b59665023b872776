"""Media hashes in the store: keeping the on-disk near-duplicate index in step with the
``media_hashes`` table (which the enricher runner writes), and answering "seen before?".

The index lives in ``<home>/index/`` and is only a cache: a stamp records how many stored hash
rows it covers and the highest row id; rows added since are appended, anything else (rows
replaced by a re-hash) rebuilds it from the table.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from sqlalchemy import ColumnElement, func, or_, select

from enquiry.enrich.media.align import ALIGNED_EXTRA_BITS, Hit, ItemMatch, align
from enquiry.enrich.media.index import DEFAULT_RADIUS, HammingIndex, ProbeIndex, Tiered, as_rows
from enquiry.enrich.media.pdq import ALGORITHM, DIHEDRAL, MIN_QUALITY, MIRROR
from enquiry.enrich.runner import verified_original, write_findings
from enquiry.errors import EnquiryError
from enquiry.progress import Progress, Silent
from enquiry.store import Store
from enquiry.store.tables import Item, MediaHash

if TYPE_CHECKING:
    from enquiry.enrich.media.keypoints import Features

INDEX_FOLDER = "index"


def index_folder(store: Store) -> Path:
    """Where the index of a home is kept."""
    return store.home / INDEX_FOLDER


def drop_saved_indexes(store: Store) -> None:
    """Remove the home's saved indexes (made again from the ``media_hashes`` table when next
    opened): after an item's hashes are removed because it is now protected, the saved copies
    would still find it from any copy of the picture until then."""
    shutil.rmtree(index_folder(store), ignore_errors=True)


def _rows_after(
    store: Store, after_id: int, algorithm: str = ALGORITHM
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    with store.engine.connect() as conn:
        result = conn.execute(
            select(MediaHash.id, MediaHash.item_id, MediaHash.t, MediaHash.hash)
            .where(MediaHash.algorithm == algorithm, MediaHash.id > after_id, _matchable())
            .order_by(MediaHash.id)
        ).all()
    keys = np.array([r[0] for r in result], dtype=np.int64)
    items = np.array([r[1] for r in result], dtype=np.int64)
    times = np.array([np.nan if r[2] is None else r[2] for r in result], dtype=np.float64)
    return as_rows([r[3] for r in result]), keys, items, times


def _matchable() -> ColumnElement[bool]:
    """Rows good enough to match (see :data:`~enquiry.enrich.media.pdq.MIN_QUALITY`)."""
    return or_(MediaHash.quality.is_(None), MediaHash.quality >= MIN_QUALITY)


def _table_stamp(
    store: Store, up_to: int | None = None, algorithm: str = ALGORITHM
) -> dict[str, int]:
    query = select(func.count(MediaHash.id), func.max(MediaHash.id)).where(
        MediaHash.algorithm == algorithm, _matchable()
    )
    if up_to is not None:
        query = query.where(MediaHash.id <= up_to)
    with store.engine.connect() as conn:
        count, max_id = conn.execute(query).one()
    return {"count": int(count or 0), "max_id": int(max_id or 0)}


def _index_name(algorithm: str, probe: bool) -> str:
    name = "pdq" if algorithm == ALGORITHM else algorithm
    return f"{name}-probe" if probe else name


def open_index(
    store: Store, *, rebuild: bool = False, algorithm: str = ALGORITHM
) -> HammingIndex | Tiered:
    """The home's exact PDQ index of whole pictures (or of ``algorithm``'s rows), up to date
    with the ``media_hashes`` table (see :func:`_open` for how it is kept)."""
    return _open(HammingIndex, store, rebuild=rebuild, algorithm=algorithm)


def open_probe_index(
    store: Store, *, rebuild: bool = False, algorithm: str = ALGORITHM
) -> ProbeIndex | Tiered:
    """The home's probed index (see :class:`~.index.ProbeIndex`) of whole pictures, or with
    ``algorithm`` of windows (see :mod:`.windows`): what a query's hundreds of window hashes are
    looked up in. Saved as memory-mapped files and kept up to date like :func:`open_index`."""
    return _open(ProbeIndex, store, rebuild=rebuild, algorithm=algorithm)


_Index = TypeVar("_Index", HammingIndex, ProbeIndex)

# Hashes stored since the index was saved are indexed apart (see :class:`~.index.Tiered`)
# while they are at most this share of the saved ones, or this many whatever the size.
RECENT_SHARE = 0.1
RECENT_ROWS = 50_000


def _open(kind: type[_Index], store: Store, *, rebuild: bool, algorithm: str) -> _Index | Tiered:
    """The saved index, with the hashes stored since indexed apart while they are few (see
    :data:`RECENT_SHARE`); merged, or rebuilt if rows it holds were removed, and saved when
    not. ``rebuild`` makes it again from the table."""
    folder = index_folder(store)
    name = _index_name(algorithm, kind is ProbeIndex)
    current = _table_stamp(store, algorithm=algorithm)
    loaded = None if rebuild else kind.load(folder, name)
    if loaded is not None:
        index, stamp = loaded
        if stamp.get("count") == current["count"] and stamp.get("max_id") == current["max_id"]:
            return index
        if _table_stamp(store, up_to=stamp.get("max_id", 0), algorithm=algorithm) == {
            "count": stamp.get("count"),
            "max_id": stamp.get("max_id"),
        }:
            recent = _rows_after(store, stamp.get("max_id", 0), algorithm)
            if len(recent[0]) <= max(RECENT_ROWS, RECENT_SHARE * len(index)):
                return Tiered(index, kind(*recent))
            index = index.extended(*recent)
            index.save(folder, current, name)
            return index
    index = kind(*_rows_after(store, 0, algorithm))
    index.save(folder, current, name)
    return index


@dataclass
class QueryFrame:
    """One picture of the query: its time (None for a photo) and its hash variants by name."""

    t: float | None
    variants: dict[str, str]


def query_frames(entries: Iterable[dict[str, Any]]) -> list[QueryFrame]:
    """Query pictures from hash entries: a photo is looked up in all eight orientations, a video
    frame as it is and mirrored (rotated video is rare; mirrored re-uploads are common).
    Featureless pictures (quality under MIN_QUALITY) are left out: they match anything."""
    frames = []
    for entry in entries:
        if entry.get("algorithm", ALGORITHM) != ALGORITHM:
            continue  # windows (see window_hits)
        if entry.get("quality") is not None and entry["quality"] < MIN_QUALITY:
            continue
        data = entry.get("data") or {}
        variants = {data.get("variant", "original"): entry["hash"]}
        if "dihedral" in data:
            variants.update(zip(DIHEDRAL[1:], data["dihedral"], strict=False))
        elif "mirror" in data:
            variants[DIHEDRAL[MIRROR] if "variant" not in data else f"{data['variant']}+mirror"] = (
                data["mirror"]
            )
        frames.append(QueryFrame(t=entry.get("t"), variants=variants))
    return frames


def upright_hashes(frames: list[QueryFrame]) -> list[str]:
    """A photo query's hashes as it stands (whole, and inside its border if it has one), to
    look up among stored windows: a crop may be one of them."""
    return [v for f in frames for k, v in f.variants.items() if k in ("original", "deborder")]


def window_hits(
    window_index: ProbeIndex | Tiered,
    queries: list[tuple[float | None, str]],
    radius: int = DEFAULT_RADIUS,
    exclude: int | None = None,
) -> list[Hit]:
    """Hits through windows (see :mod:`.windows`): each query window's hash (time, hash) looked
    up among the stored windows of photos and video keyframes (the whole picture among them),
    all in one vectorised pass. A photo query's windows find crops, banners, logos and
    picture-in-picture; a video query's frames find photos and keyframes they are crops of.
    Stored windows of video keyframes carry their time, so a photo found in a video says
    where."""
    if not queries:
        return []
    asked, positions, distances = window_index.search_many(
        as_rows([value for _, value in queries]), radius
    )
    hits = []
    for a, p, d in zip(asked.tolist(), positions.tolist(), distances.tolist(), strict=True):
        found = window_index.match(p, d)
        if found.item != exclude:
            hits.append(Hit(found.item, queries[a][0], found.t, found.distance, "window"))
    return hits


def point_candidates(
    point_index: ProbeIndex | Tiered,
    queries: list[str],
    exclude: int | None = None,
) -> list[int]:
    """Stored photos that share corners with a query (see :mod:`.points`): those with at least
    :data:`~.points.MIN_HITS` corners in common — as many distinct query corners, each within
    :data:`~.points.RADIUS` bits of as many distinct stored ones (two corners side by side can
    have near descriptors, so one corner finding two is one) —, most in common first (then by
    item number), at most :data:`~.points.MAX_CHECKED`. Candidates only: their keypoints
    decide."""
    from enquiry.enrich.media import points

    if not queries:
        return []
    asked, positions, _ = point_index.search_many(as_rows(queries), points.RADIUS)
    mine: dict[int, set[int]] = {}
    theirs: dict[int, set[int]] = {}
    for a, position in zip(asked.tolist(), positions.tolist(), strict=True):
        item = point_index.match(position, 0).item
        if item != exclude:
            mine.setdefault(item, set()).add(a)
            theirs.setdefault(item, set()).add(position)
    common = {item: min(len(mine[item]), len(theirs[item])) for item in mine}
    ranked = sorted(
        (item for item, n in common.items() if n >= points.MIN_HITS),
        key=lambda item: (-common[item], item),
    )
    return ranked[: points.MAX_CHECKED]


# A hit between two photos in the last bits of the radius (more than ``radius - UNSURE_BITS``
# apart) is where chance agreements of unrelated pictures gather in a large archive: at a million
# stored photos every false match of the benchmark lay at 29-31 bits — whole pictures at 30 or 31,
# single window pairs at 29-31 — while on the robustness benchmark's photographs a true copy
# found at more than 28 bits was nearly always found by a second pair of pictures as well
# (docs/benchmarks.md). Such a hit counts only when a second, independent agreement backs it.
UNSURE_BITS = 3


def agreed(whole: list[int], windows: list[int], radius: int = DEFAULT_RADIUS) -> bool:
    """Whether a photo query's hits on one stored photo make a match: the distances of its
    whole-picture hits (any variant) and of its window pairs (a query window or picture against
    a stored window or picture, see :func:`window_hits`), each within ``radius``.

    One hit closer than the last :data:`UNSURE_BITS` bits is enough. Otherwise two agreements
    are needed: two window pairs, or the whole picture and a window pair. The whole picture
    counts once however many of its variants hit (they are the same picture turned), so a
    stored photo found only as a whole picture at 29-31 bits is no match — unless it has no
    stored windows to ask, which :func:`find_matches` decides."""
    sure = radius - UNSURE_BITS
    if any(d <= sure for d in whole) or any(d <= sure for d in windows):
        return True
    return len(windows) + (1 if whole else 0) >= 2


def find_matches(
    index: HammingIndex | Tiered,
    frames: list[QueryFrame],
    radius: int = DEFAULT_RADIUS,
    exclude: int | None = None,
    extra: list[Hit] | None = None,
    vouch: Callable[[set[int]], set[int]] | None = None,
) -> list[ItemMatch]:
    """Items whose stored pictures lie within ``radius`` of any query picture, aligned. Video
    frames are also looked up a little farther (:data:`~.align.ALIGNED_EXTRA_BITS`): such hits
    on stored video frames count when several of them line up in time (see :func:`.align`).
    ``extra`` hits (from :func:`window_hits`) are aligned with the others.

    ``vouch`` turns on the check of unsure photo hits (see :func:`agreed`): a photo query's hits
    on a stored photo count only when they agree, or when ``vouch``, given the stored photos
    whose hits do not, names them (`media match` asks the photos' keypoints, and keeps a photo
    stored before windows existed, which has none to agree). Without ``vouch`` every hit within
    the radius counts."""
    hits = list(extra or [])
    for frame in frames:
        for variant, value in frame.variants.items():
            # The wider look-up costs ~7× a plain one at a million hashes; mirrored copies are
            # looked up at the radius only.
            wide = frame.t is not None and "mirror" not in variant
            for found in index.search(value, radius + ALIGNED_EXTRA_BITS if wide else radius):
                if found.item == exclude or (found.distance > radius and found.t is None):
                    continue
                hits.append(
                    Hit(
                        item=found.item,
                        query_t=frame.t,
                        match_t=found.t,
                        distance=found.distance,
                        variant=variant,
                    )
                )
    if vouch is not None:
        hits = _agreeing(hits, radius, vouch)
    return align(hits, radius)


def _agreeing(hits: list[Hit], radius: int, vouch: Callable[[set[int]], set[int]]) -> list[Hit]:
    """``hits`` without the photo-to-photo hits that :func:`agreed` does not back and
    ``vouch`` does not name."""
    whole: dict[int, list[int]] = {}
    paired: dict[int, list[int]] = {}
    for hit in hits:
        if hit.query_t is None and hit.match_t is None:
            into = paired if hit.variant == "window" else whole
            into.setdefault(hit.item, []).append(hit.distance)
    refused = {
        item
        for item in whole.keys() | paired.keys()
        if not agreed(whole.get(item, []), paired.get(item, []), radius)
    }
    if refused:
        refused -= vouch(refused)
    return [
        hit
        for hit in hits
        if not (hit.item in refused and hit.query_t is None and hit.match_t is None)
    ]


def windowed_items(store: Store) -> Callable[[set[int]], set[int]]:
    """Which of some items have stored windows (see :mod:`.windows`), asked of the catalogue
    only for the few items a look-up is unsure of: a photo stored before windows existed has
    none to agree with a whole-picture hit."""
    from enquiry.enrich.media.windows import ALGORITHM as WINDOW_ALGORITHM

    def ask(items: set[int]) -> set[int]:
        with store.session() as session:
            return set(
                session.scalars(
                    select(MediaHash.item_id)
                    .where(
                        MediaHash.algorithm == WINDOW_ALGORITHM,
                        MediaHash.item_id.in_(sorted(items)),
                    )
                    .distinct()
                )
            )

    return ask


def _parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time, or EXIF's ``2016:08:14 10:10:00`` form; None when it is neither."""
    from enquiry.enrich.media.consistency import _parse

    return _parse(value)


def earliest_evidence(fields: dict[str, Any], meta: dict[str, Any]) -> tuple[str, str] | None:
    """The earliest time the item is known to have existed, and what says so: the capture time
    (EXIF, container, or the ``captured_at`` field), when it was collected, or first seen.

    Times without a zone (EXIF without an offset) are ordered as if UTC, which can misplace
    them by at most 14 hours; the basis names the source so an analyst can judge."""
    from enquiry.enrich.media.consistency import capture_time

    photo = meta.get("photo") or {}
    taken = None
    if photo.get("taken_at"):
        # the same reading as the consistency check: EXIF's 2016:08:14 form, an offset only
        # when it is a real one (−12:00..+14:00)
        captured = capture_time({"photo": photo}, {})
        taken = captured[0].isoformat() if captured else None
    candidates = [
        (taken, "photo taken (EXIF)"),
        ((meta.get("video") or {}).get("creation_time"), "video created (container)"),
        (fields.get("captured_at"), "captured_at field"),
        (fields.get("collected_at"), "collected_at field"),
        (fields.get("first_seen"), "first_seen field"),
    ]
    best: tuple[datetime, str, str] | None = None
    for raw, basis in candidates:
        parsed = _parse_time(raw)
        if parsed is None:
            continue
        key = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        if best is None or key < best[0]:
            best = (key, str(raw), basis)
    return (best[1], best[2]) if best else None


def annotate_earliest(store: Store, matches: list[ItemMatch]) -> None:
    """Fill each match's earliest evidence of existence from its item's fields and metadata."""
    if not matches:
        return
    with store.session() as session:
        rows = session.execute(
            select(Item.id, Item.fields, Item.meta).where(Item.id.in_([m.item for m in matches]))
        ).all()
    found = {row[0]: earliest_evidence(row[1] or {}, row[2] or {}) for row in rows}
    for match in matches:
        evidence = found.get(match.item)
        if evidence:
            match.earliest, match.earliest_basis = evidence


def item_entries(store: Store, item_id: int) -> list[dict[str, Any]]:
    """The stored PDQ hash entries of an item, in time order."""
    with store.session() as session:
        rows = session.scalars(
            select(MediaHash)
            .where(MediaHash.item_id == item_id, MediaHash.algorithm == ALGORITHM)
            .order_by(MediaHash.t, MediaHash.id)
        ).all()
    return [
        {
            "algorithm": r.algorithm,
            "t": r.t,
            "hash": r.hash,
            "quality": r.quality,
            "data": r.data or {},
        }
        for r in rows
    ]


def record_findings(
    store: Store,
    item_id: int,
    enricher: str,
    version: str,
    findings: list[dict[str, Any]],
    *,
    replace: bool = True,
) -> int:
    """Store findings computed outside an enricher run (``media sun --item``: the inputs are
    the analyst's measurements) with an ``analysed`` custody event naming what computed them;
    with ``replace``, that enricher's earlier findings on the item are superseded."""
    with store.writing() as (conn, writer):
        case_id = conn.execute(select(Item.case_id).where(Item.id == item_id)).scalar_one()
        replaced = write_findings(conn, item_id, enricher, findings, replace=replace)
        writer.append(
            "analysed",
            case_id=case_id,
            item_id=item_id,
            details={
                "enricher": enricher,
                "version": version,
                "findings": len(findings),
                "types": sorted({f["type"] for f in findings}),
                "replaced": replaced,
            },
        )
    return len(findings)


def keypoint_matches(
    store: Store,
    rgb: np.ndarray | None,
    skip: set[int],
    progress: Progress | None = None,
    only: set[int] | None = None,
    mirror: bool = True,
    described: Features | None = None,
) -> list[ItemMatch]:
    """Photos of the store that share keypoints with ``rgb`` under one similarity transform
    (see :mod:`.keypoints`), leaving out the items in ``skip`` (and, given ``only``, every
    other item). Each stored photo's features are computed once, from a verified copy of it,
    and cached in ``<home>/index/orb/`` (a cache, rebuilt when missing); a photo whose stored
    bytes are corrupt is a problem line. ORB is not mirror-proof, so the query's mirror image
    is compared too, unless ``mirror`` is false (candidates found by the query's own corners,
    which a mirror image does not share). ``described`` gives the query's features already
    made (then ``rgb``, which may be None, is not described again)."""
    from enquiry.enrich.media import keypoints
    from enquiry.enrich.media.pdq import load_rgb

    progress = progress or Silent()
    if described is not None:
        query = described
    elif rgb is not None:
        query = keypoints.features(rgb)
    else:
        raise ValueError("keypoint_matches needs the query picture or its features")
    mirrored = (
        keypoints.features(np.ascontiguousarray(rgb[:, ::-1]))
        if mirror and rgb is not None
        else None
    )
    with store.session() as session:
        photos = (
            select(Item.id, Item.sha256)
            .where(Item.media_type.startswith("image/"), Item.sha256.is_not(None))
            .order_by(Item.id)
        )
        if only is not None:
            photos = photos.where(Item.id.in_(sorted(only)))
        rows = session.execute(photos).all()
    cache = index_folder(store) / "orb"
    found = []
    progress.start("keypoints", total=len(rows), unit="photo")
    for item_id, sha in rows:
        progress.advance()
        if item_id in skip:
            continue
        path = cache / f"{sha}.npz"
        stored = keypoints.Features.load(path)
        if stored is None:
            try:
                with verified_original(store, sha) as original:
                    stored = keypoints.features(load_rgb(original))
            except EnquiryError as exc:
                progress.problem(f"item {item_id}: {exc}")
                continue
            except (OSError, ValueError, SyntaxError):
                continue  # not decodable: intake already reported it
            stored.save(path)
        candidates = [
            (keypoints.compare(q, stored), name)
            for q, name in ((query, "keypoints"), (mirrored, "keypoints+mirror"))
            if q is not None
        ]
        scored = [(r, name) for r, name in candidates if r is not None]
        if scored:
            result, variant = max(scored, key=lambda pair: pair[0].inliers)
            found.append(
                ItemMatch(
                    item=item_id,
                    distance=None,
                    frames=[(None, None)],
                    variants=[variant],
                    method="keypoints",
                    keypoints={
                        "inliers": result.inliers,
                        "matches": result.matches,
                        "scale": result.scale,
                        "rotation_deg": result.rotation_deg,
                        "engine": keypoints.engine(),
                    },
                )
            )
    progress.finish()
    found.sort(key=lambda m: -(m.keypoints or {}).get("inliers", 0))
    return found
