"""Chronolocation: where the sun was, and when on a day the shadows in a picture could be cast.

Positions come from ``astral`` (NOAA's solar equations); the tests hold them to within 0.1° of
pvlib's NREL SPA, the reference used in solar engineering. A shadow points away from the sun, so
its bearing is the sun's azimuth plus 180°; an object of height h casting a shadow of length L
puts the sun at elevation atan(h / L) (the apparent elevation, refraction included, because that
is the light that casts the shadow).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from astral import Observer
from astral.sun import azimuth, elevation

ENGINE = "astral 3.2 (NOAA solar equations)"
DEFAULT_BEARING_TOLERANCE = 5.0
DEFAULT_ELEVATION_TOLERANCE = 2.0
STEP = timedelta(minutes=1)


@dataclass(frozen=True)
class SunPosition:
    """The sun seen from a place at a time, in degrees: azimuth clockwise from true north,
    elevation above the horizon (apparent, with refraction), the bearing of shadows, and the
    geometric elevation (without refraction, as some published tables give it)."""

    azimuth: float
    elevation: float
    shadow_bearing: float | None
    elevation_geometric: float


def _check_place(lat: float, lon: float) -> None:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(
            f"({lat}, {lon}) is not a place on Earth (latitude -90..90, longitude -180..180)"
        )


def position(lat: float, lon: float, when: datetime) -> SunPosition:
    """The sun's position at ``when`` (a zone-aware time; a naive one is taken as UTC)."""
    _check_place(lat, lon)
    moment = when if when.tzinfo else when.replace(tzinfo=UTC)
    observer = Observer(latitude=lat, longitude=lon)
    az = azimuth(observer, moment)
    el = elevation(observer, moment, with_refraction=True)
    return SunPosition(
        azimuth=round(az, 3),
        elevation=round(el, 3),
        shadow_bearing=round((az + 180.0) % 360.0, 3) if el > 0 else None,
        elevation_geometric=round(elevation(observer, moment, with_refraction=False), 3),
    )


def angle_between(a: float, b: float) -> float:
    """The smaller angle between two bearings, 0–180°."""
    return abs((a - b + 180.0) % 360.0 - 180.0)


def elevation_from_shadow(object_height: float, shadow_length: float) -> float:
    """The sun's elevation that makes an object of this height cast a shadow of this length
    (same units, on level ground)."""
    if object_height <= 0 or shadow_length <= 0:
        raise ValueError("object height and shadow length must be positive")
    return math.degrees(math.atan2(object_height, shadow_length))


@dataclass(frozen=True)
class Window:
    """A span of time in which the sun fits the measured shadow."""

    start: datetime
    end: datetime

    def as_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class ShadowFit:
    """How well the sun at one time fits a measured shadow."""

    sun: SunPosition
    bearing_error: float | None
    elevation_error: float | None
    fits: bool


def fit(
    sun: SunPosition,
    shadow_bearing: float | None,
    shadow_elevation: float | None,
    bearing_tolerance: float = DEFAULT_BEARING_TOLERANCE,
    elevation_tolerance: float = DEFAULT_ELEVATION_TOLERANCE,
) -> ShadowFit:
    """Whether the sun at one moment casts the measured shadow, within the tolerances."""
    if sun.shadow_bearing is None:
        return ShadowFit(sun, None, None, False)
    bearing_error = (
        None
        if shadow_bearing is None
        else round(angle_between(sun.shadow_bearing, shadow_bearing), 3)
    )
    elevation_error = (
        None if shadow_elevation is None else round(abs(sun.elevation - shadow_elevation), 3)
    )
    fits = (bearing_error is None or bearing_error <= bearing_tolerance) and (
        elevation_error is None or elevation_error <= elevation_tolerance
    )
    return ShadowFit(sun, bearing_error, elevation_error, fits)


def windows(
    lat: float,
    lon: float,
    day: date,
    zone: tzinfo,
    shadow_bearing: float | None,
    shadow_elevation: float | None,
    bearing_tolerance: float = DEFAULT_BEARING_TOLERANCE,
    elevation_tolerance: float = DEFAULT_ELEVATION_TOLERANCE,
) -> list[Window]:
    """The spans of the local ``day`` (in ``zone``), to the minute, when the sun is up and casts
    shadows of the measured bearing (and elevation, if given) within the tolerances."""
    if shadow_bearing is None and shadow_elevation is None:
        raise ValueError("give a shadow bearing or an object height with its shadow length")
    _check_place(lat, lon)
    moment = datetime.combine(day, time(0, 0), tzinfo=zone)
    end_of_day = moment + timedelta(days=1)
    spans: list[Window] = []
    open_since: datetime | None = None
    last = moment
    while moment < end_of_day:
        ok = fit(
            position(lat, lon, moment),
            shadow_bearing,
            shadow_elevation,
            bearing_tolerance,
            elevation_tolerance,
        ).fits
        if ok and open_since is None:
            open_since = moment
        elif not ok and open_since is not None:
            spans.append(Window(open_since, last))
            open_since = None
        last = moment
        moment += STEP
    if open_since is not None:
        spans.append(Window(open_since, last))
    return spans


def sun_check(
    lat: float,
    lon: float,
    when: datetime,
    shadow_bearing: float | None = None,
    shadow_elevation: float | None = None,
    bearing_tolerance: float = DEFAULT_BEARING_TOLERANCE,
    elevation_tolerance: float = DEFAULT_ELEVATION_TOLERANCE,
) -> dict[str, Any]:
    """Everything ``enquiry media sun`` reports: the sun at ``when`` and, given a measured shadow,
    the windows of that local day that fit it and whether ``when`` is inside one."""
    moment = when if when.tzinfo else when.replace(tzinfo=UTC)
    sun = position(lat, lon, moment)
    result: dict[str, Any] = {
        "lat": lat,
        "lon": lon,
        "time": moment.isoformat(),
        "engine": ENGINE,
        **asdict(sun),
    }
    if shadow_bearing is None and shadow_elevation is None:
        return result
    checked = fit(sun, shadow_bearing, shadow_elevation, bearing_tolerance, elevation_tolerance)
    zone = moment.tzinfo or UTC
    spans = windows(
        lat,
        lon,
        moment.date(),
        zone,
        shadow_bearing,
        shadow_elevation,
        bearing_tolerance,
        elevation_tolerance,
    )
    result.update(
        {
            "shadow": {
                "bearing": shadow_bearing,
                "elevation": None if shadow_elevation is None else round(shadow_elevation, 3),
                "bearing_tolerance": bearing_tolerance,
                "elevation_tolerance": elevation_tolerance,
            },
            "bearing_error": checked.bearing_error,
            "elevation_error": checked.elevation_error,
            "fits": checked.fits,
            "windows": [w.as_json() for w in spans],
        }
    )
    return result
