"""A map of an incident's places drawn as inline SVG from their coordinates.

Nothing is fetched: no tiles, no fonts, no outlines from elsewhere. The report stays one file
whose hash means something, and a reader offline sees where the incident, the items and the
parties' claims put things relative to one another, with a scale bar to read distances. The
projection is equirectangular around the middle latitude, which is exact enough at the scale of
a town or a region.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from enquiry.publish.exports import Feature, isolated, visible

WIDTH, HEIGHT, MARGIN = 640, 400, 48
KM_PER_DEGREE = 111.32
COLOURS = {"incident": "#c0392b", "item": "#234e80", "claim": "#b9770e"}


@dataclass(frozen=True)
class Marker:
    """A feature as the map draws it, numbered for the legend under the map."""

    number: int
    feature: Feature


def _nice(km: float) -> float:
    """A round length (1, 2 or 5 times a power of ten) no longer than ``km``."""
    if km <= 0:
        return 0.0
    power = 10.0 ** math.floor(math.log10(km))
    return float(max(step * power for step in (1, 2, 5) if step * power <= km))


def draw(features: Sequence[Feature], radius_km: float | None = None) -> tuple[str, list[Marker]]:
    """The SVG (empty when nothing has a place) and the numbered markers for its legend."""
    if not features:
        return "", []
    points: list[tuple[float, float]] = []
    for feat in features:
        if feat.place.box is not None:
            w, s, e, n = feat.place.box
            points += [(w, s), (e, n)]
        elif feat.place.lat is not None and feat.place.lon is not None:
            points.append((feat.place.lon, feat.place.lat))
    lat0 = sum(p[1] for p in points) / len(points)
    cos = max(math.cos(math.radians(lat0)), 0.01)
    xs = [p[0] * cos for p in points]
    ys = [p[1] for p in points]
    incident = next((f for f in features if f.role == "incident"), None)
    if incident is not None and radius_km and incident.place.lat is not None:
        pad = radius_km / KM_PER_DEGREE
        assert incident.place.lon is not None
        xs += [incident.place.lon * cos - pad, incident.place.lon * cos + pad]
        ys += [incident.place.lat - pad, incident.place.lat + pad]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 0.5 / KM_PER_DEGREE)  # at least 500 m
    scale = min((WIDTH - 2 * MARGIN) / span, (HEIGHT - 2 * MARGIN) / span)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2

    def at(lon: float, lat: float) -> tuple[float, float]:
        return WIDTH / 2 + (lon * cos - cx) * scale, HEIGHT / 2 - (lat - cy) * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="Map of the places named in this report">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#f5f7f9" stroke="#d8dde3"/>',
    ]
    markers: list[Marker] = []
    for number, feat in enumerate(features, start=1):
        markers.append(Marker(number, feat))
        colour = COLOURS.get(feat.role, "#555")
        title = f"<title>{escape(isolated(visible(f'{number}. {feat.name}')))}</title>"
        if feat.place.box is not None:
            w, s, e, n = feat.place.box
            (x0, y0), (x1, y1) = at(w, n), at(e, s)
            parts.append(
                f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
                f'fill="none" stroke="{colour}" stroke-dasharray="5 3">{title}</rect>'
            )
            lx, ly = x0 + 4, y0 + 14
        else:
            assert feat.place.lon is not None and feat.place.lat is not None
            x, y = at(feat.place.lon, feat.place.lat)
            if feat.role == "incident" and radius_km:
                r = radius_km / KM_PER_DEGREE * scale
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" '
                    f'fill-opacity="0.10" stroke="{colour}" stroke-width="1"/>'
                )
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{colour}" stroke="#fff" '
                f'stroke-width="1.5">{title}</circle>'
            )
            lx, ly = x + 8, y - 8
        parts.append(
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-family="Helvetica, Arial, sans-serif" '
            f'font-size="13" font-weight="bold" fill="{colour}">{number}</text>'
        )
    km = _nice((WIDTH - 2 * MARGIN) / 3 / scale * KM_PER_DEGREE)
    if km > 0:
        length = km / KM_PER_DEGREE * scale
        label = f"{km:g} km" if km >= 1 else f"{km * 1000:g} m"
        y = HEIGHT - 18
        parts.append(
            f'<path d="M16 {y} h{length:.1f}" stroke="#1d232a" stroke-width="3"/>'
            f'<text x="16" y="{y - 6}" font-family="Helvetica, Arial, sans-serif" '
            f'font-size="12" fill="#1d232a">{label}</text>'
        )
    parts.append(
        f'<path d="M{WIDTH - 24} 40 l-7 16 h14 z" fill="#1d232a"/>'
        f'<text x="{WIDTH - 24}" y="32" text-anchor="middle" '
        'font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#1d232a">N</text>'
    )
    parts.append("</svg>")
    return "".join(parts), markers
