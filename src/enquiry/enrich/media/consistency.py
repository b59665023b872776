"""Does a photo's or video's own metadata fit what is claimed about it?

Each check compares what the file says (EXIF, container tags, read at intake into the item's
metadata) with what its provider claims (the item's ``claimed_at`` and ``claimed_place``
fields) or with what is physically possible, and returns a finding that carries its inputs, so
an analyst can redo the arithmetic. Metadata is easy to forge or lose: a consistent file proves
little, an inconsistent one is a question to ask, and missing metadata is normal for copies
passed through social networks.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from enquiry.enrich.base import Enricher, Enrichment, Target

ENRICHER = "media.consistency"
VERSION = "1"
TIME_TOLERANCE = timedelta(hours=1)
# Local clocks run from UTC-12 to UTC+14: a time without a zone is only known to that range.
ZONE_SPREAD = (timedelta(hours=-12), timedelta(hours=14))
PLACE_TOLERANCE_KM = 1.0
FAR_KM = 50.0
EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)
EDITORS = (
    "photoshop",
    "gimp",
    "lightroom",
    "snapseed",
    "picsart",
    "affinity",
    "pixelmator",
    "capture one",
    "facetune",
    "canva",
    "paint.net",
    "photopea",
    "premiere",
    "after effects",
    "final cut",
    "davinci",
    "imovie",
    "kdenlive",
    "handbrake",
    "capcut",
    "inshot",
    "vsco",
    "meitu",
    "luminar",
    "darktable",
    "rawtherapee",
)


@dataclass
class Issue:
    """One finding: a type, a severity (info / medium / high), a sentence and its inputs."""

    type: str
    severity: str
    message: str
    inputs: dict[str, Any] = field(default_factory=dict)


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    text = re.sub(r"^(\d{4}):(\d{2}):(\d{2})", r"\1-\2-\3", text).replace(" ", "T", 1)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _whole_day(value: Any) -> bool:
    """Whether a claimed time names a day rather than a moment: a bare date, or a midnight
    without a zone (how intake stores a bare date). Such a claim covers the whole day."""
    text = str(value or "").strip()
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}(T00:00(:00(\.0+)?)?)?", text))


def _offset_valid(offset: str) -> bool:
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", offset.strip())
    if not match:
        return False
    minutes = int(match.group(2)) * 60 + int(match.group(3))
    sign = -1 if match.group(1) == "-" else 1
    return -12 * 60 <= sign * minutes <= 14 * 60


def capture_time(meta: dict[str, Any], fields: dict[str, Any]) -> tuple[datetime, str, str] | None:
    """When the file says it was made: (time, raw text, basis); EXIF with its offset if any,
    else the container's creation time (UTC), else a ``captured_at`` field."""
    photo = meta.get("photo") or {}
    taken = photo.get("taken_at")
    if taken:
        offset = photo.get("offset")
        raw = f"{taken}{offset}" if offset and _offset_valid(str(offset)) else str(taken)
        parsed = _parse(raw)
        if parsed:
            return (
                parsed,
                raw,
                "EXIF DateTimeOriginal" + (" with OffsetTimeOriginal" if parsed.tzinfo else ""),
            )
    created = (meta.get("video") or {}).get("creation_time")
    parsed = _parse(created)
    if parsed:
        return parsed, str(created), "container creation_time"
    parsed = _parse(fields.get("captured_at"))
    if parsed:
        return parsed, str(fields["captured_at"]), "captured_at field"
    return None


def _difference_bounds(a: datetime, b: datetime) -> tuple[timedelta, timedelta]:
    """The range of ``a - b`` when either may lack a zone (two naive times are taken as the
    same local clock; one naive time may be in any zone on Earth)."""
    if (a.tzinfo is None) == (b.tzinfo is None):
        d = a - b
        return d, d
    if a.tzinfo is None:
        d = a.replace(tzinfo=UTC) - b
        return d - ZONE_SPREAD[1], d - ZONE_SPREAD[0]
    d = a - b.replace(tzinfo=UTC)
    return d + ZONE_SPREAD[0], d + ZONE_SPREAD[1]


def _human(delta: timedelta) -> str:
    seconds = abs(delta.total_seconds())
    if seconds >= 2 * 86400:
        return f"{seconds / 86400:.0f} days"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 60:.0f} minutes"


def check_time(
    meta: dict[str, Any], fields: dict[str, Any], tolerance: timedelta = TIME_TOLERANCE
) -> list[Issue]:
    """The capture time the file states against the claimed time (``claimed_at``) and against
    a ``captured_at`` field when the file's own time came from elsewhere."""
    captured = capture_time(meta, fields)
    if captured is None:
        return []
    when, raw, basis = captured
    issues = []
    for name in ("claimed_at", "captured_at"):
        claimed = _parse(fields.get(name))
        if claimed is None or basis == f"{name} field":
            continue
        low, high = _difference_bounds(when, claimed)
        # a claimed day runs from its midnight to the next: the capture may be anywhere in it
        day = timedelta(days=1) if _whole_day(fields.get(name)) else timedelta(0)
        inputs = {
            "capture_time": raw,
            "capture_basis": basis,
            "claim_field": name,
            name: fields.get(name),
            "difference_hours": [
                round(low.total_seconds() / 3600, 3),
                round(high.total_seconds() / 3600, 3),
            ],
            "tolerance_hours": tolerance.total_seconds() / 3600,
            "zone_known": when.tzinfo is not None and claimed.tzinfo is not None,
            "whole_day": bool(day),
        }
        if low - day <= tolerance and high >= -tolerance:
            continue
        gap = low - day if low - day > tolerance else high
        direction = "after" if gap > timedelta(0) else "before"
        severity = "high" if abs(gap) > timedelta(days=1) else "medium"
        note = "" if inputs["zone_known"] else " even allowing for any time zone"
        what = "the claimed time" if name == "claimed_at" else "the captured_at field"
        shown = str(fields.get(name))
        if day:
            what = "the claimed day" if name == "claimed_at" else "the captured_at day"
            shown = shown[:10]
        issues.append(
            Issue(
                "time_mismatch",
                severity,
                f"{basis} says {raw}: at least {_human(gap)} {direction} {what} {shown}{note}",
                inputs,
            )
        )
    return issues


def _point(value: Any) -> tuple[float, float] | None:
    if isinstance(value, dict) and "lat" in value and "lon" in value:
        try:
            return float(value["lat"]), float(value["lon"])
        except (TypeError, ValueError):
            return None
    if isinstance(value, str):
        # ISO 6709 as QuickTime and MP4 store it: +35.4375+036.6444/ (altitude may follow)
        match = re.match(r"^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)", value.strip())
        if match:
            return float(match.group(1)), float(match.group(2))
        numbers = re.findall(r"[-+]?\d+(?:\.\d+)?", value)
        if len(numbers) == 2:
            return float(numbers[0]), float(numbers[1])
    return None


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km (mean Earth radius 6371.0088 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def recorded_place(meta: dict[str, Any]) -> tuple[tuple[float, float], str] | None:
    """Where the file says it was made: EXIF GPS, else the container's ISO 6709 location."""
    gps = _point((meta.get("photo") or {}).get("gps"))
    if gps:
        return gps, "EXIF GPS"
    location = _point((meta.get("video") or {}).get("location"))
    if location:
        return location, "container location"
    return None


def check_place(
    meta: dict[str, Any], fields: dict[str, Any], tolerance_km: float = PLACE_TOLERANCE_KM
) -> list[Issue]:
    """The recorded position against the claimed place (``claimed_place``, else the item's
    ``location`` field), in km."""
    found = recorded_place(meta)
    field_name = "claimed_place" if fields.get("claimed_place") else "location"
    claimed = _point(fields.get(field_name))
    if found is None or claimed is None:
        return []
    point, basis = found
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        return []  # reported by check_impossible
    km = haversine_km(point, claimed)
    if km <= tolerance_km:
        return []
    return [
        Issue(
            "place_mismatch",
            "high" if km > FAR_KM else "medium",
            f"{basis} puts it at {point[0]:.5f},{point[1]:.5f}, {km:.1f} km from the "
            f"{'claimed place' if field_name == 'claimed_place' else 'location field'} "
            f"{claimed[0]:.5f},{claimed[1]:.5f}",
            {
                "recorded": list(point),
                "basis": basis,
                "claim_field": field_name,
                field_name: list(claimed),
                "distance_km": round(km, 3),
                "tolerance_km": tolerance_km,
            },
        )
    ]


def check_software(meta: dict[str, Any]) -> list[Issue]:
    """Editing software named in the file's tags (EXIF Software, the container's encoder)."""
    tags = {
        "EXIF Software": (meta.get("photo") or {}).get("software"),
        "container encoder": (meta.get("video") or {}).get("encoder"),
    }
    issues = []
    for where, value in tags.items():
        if not value:
            continue
        lowered = str(value).lower()
        editor = next((e for e in EDITORS if e in lowered), None)
        if editor:
            issues.append(
                Issue(
                    "editing_software",
                    "medium",
                    f"{where} names editing software: {value}",
                    {"tag": where, "value": value, "matched": editor},
                )
            )
        elif where == "container encoder" and lowered.startswith("lavf"):
            issues.append(
                Issue(
                    "reencoded",
                    "info",
                    f"{where} is {value}: written by FFmpeg, so re-encoded or "
                    "re-muxed after capture",
                    {"tag": where, "value": value},
                )
            )
    return issues


def check_missing(meta: dict[str, Any], media_type: str) -> list[Issue]:
    """Metadata a camera normally writes that this file lacks (stripped, or passed through a
    platform that removes it)."""
    if media_type.startswith("image/") and "photo" in meta:
        photo = meta["photo"] or {}
        missing = [k for k in ("taken_at", "make", "model") if not photo.get(k)]
        if photo.get("exif") is False or len(missing) == 3:
            return [
                Issue(
                    "metadata_missing",
                    "info",
                    "no camera metadata (time, make, model): stripped, or a copy from a "
                    "messaging app or social network; it cannot support the claimed time",
                    {"missing": missing, "exif": photo.get("exif")},
                )
            ]
    if (
        media_type.startswith("video/")
        and "video" in meta
        and not (meta["video"] or {}).get("creation_time")
    ):
        return [
            Issue(
                "metadata_missing",
                "info",
                "no creation time in the container: stripped or re-encoded",
                {"missing": ["creation_time"]},
            )
        ]
    return []


def check_impossible(meta: dict[str, Any], fields: dict[str, Any], now: datetime) -> list[Issue]:
    """Values that cannot be true: future capture times, times before digital cameras were
    common, offsets or coordinates off the planet, empty pictures."""
    issues = []
    captured = capture_time(meta, fields)
    if captured:
        when, raw, basis = captured
        aware = when if when.tzinfo else when.replace(tzinfo=UTC)
        if aware > now + timedelta(days=1):
            issues.append(
                Issue(
                    "impossible_value",
                    "high",
                    f"{basis} {raw} is in the future",
                    {"value": raw, "basis": basis, "checked_at": now.isoformat()},
                )
            )
        elif aware < EARLIEST_PLAUSIBLE:
            issues.append(
                Issue(
                    "impossible_value",
                    "medium",
                    f"{basis} {raw} is before 1990: an unset camera clock or an edit",
                    {"value": raw, "basis": basis},
                )
            )
    photo = meta.get("photo") or {}
    offset = photo.get("offset")
    if offset and not _offset_valid(str(offset)):
        issues.append(
            Issue(
                "impossible_value",
                "medium",
                f"EXIF time offset {offset} is no zone on Earth (-12:00..+14:00)",
                {"value": offset},
            )
        )
    found = recorded_place(meta)
    if found:
        (lat, lon), basis = found
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            issues.append(
                Issue(
                    "impossible_value",
                    "high",
                    f"{basis} {lat},{lon} is off the planet",
                    {"lat": lat, "lon": lon, "basis": basis},
                )
            )
        elif abs(lat) < 1e-6 and abs(lon) < 1e-6:
            issues.append(
                Issue(
                    "impossible_value",
                    "medium",
                    f"{basis} is 0,0 (in the Atlantic): a placeholder, not a fix",
                    {"lat": lat, "lon": lon, "basis": basis},
                )
            )
    for key in ("width", "height"):
        if key in photo and isinstance(photo[key], int | float) and photo[key] <= 0:
            issues.append(
                Issue(
                    "impossible_value", "medium", f"image {key} is {photo[key]}", {key: photo[key]}
                )
            )
    duration = (meta.get("video") or {}).get("duration_s")
    if isinstance(duration, int | float) and duration < 0:
        issues.append(
            Issue(
                "impossible_value",
                "medium",
                f"video duration is {duration} s",
                {"duration_s": duration},
            )
        )
    return issues


def check_metadata(
    fields: dict[str, Any], meta: dict[str, Any], media_type: str, now: datetime | None = None
) -> list[Issue]:
    """Every metadata check on one item's fields and extracted metadata."""
    moment = now or datetime.now(UTC)
    return (
        check_impossible(meta, fields, moment)
        + check_time(meta, fields)
        + check_place(meta, fields)
        + check_software(meta)
        + check_missing(meta, media_type)
    )


class ConsistencyEnricher(Enricher):
    """The metadata checks above as a stage: each run's findings replace the item's earlier
    ones (the ledger keeps what every run found)."""

    name = ENRICHER
    version = VERSION
    action = "analysed"

    def accepts(self, media_type: str, kind: str) -> bool:
        # Any item may carry claimed times and places; the checks say what they cannot read.
        return True

    def enrich(self, target: Target) -> Enrichment:
        issues = check_metadata(target.fields, target.meta, target.media_type)
        return Enrichment(findings=[asdict(issue) for issue in issues])
