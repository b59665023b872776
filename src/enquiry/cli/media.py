"""Commands of the media family: hash, match, sun, check, redact.

Each command parses its options, calls one service of :mod:`enquiry.app.media` and prints what
comes back; the main group turns a service's error into one line and its exit status.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import click

from enquiry.app import media as service
from enquiry.app import redaction
from enquiry.cli import App, cluster_option, echo, echo_json, pass_app, safe
from enquiry.cli.progress import BarProgress
from enquiry.errors import BadRequest


@click.group()
def media() -> None:
    """Media verification: perceptual hashes, recycled footage, metadata, the sun."""


@media.command("hash")
@click.argument("refs", nargs=-1, metavar="[ITEM...]")
@click.option("--all", "everything", is_flag=True, help="Re-hash every photo and video item.")
@click.option("--rebuild-index", is_flag=True, help="Also rebuild the near-duplicate index.")
@cluster_option
@pass_app
def hash_items(
    app: App, refs: tuple[str, ...], everything: bool, rebuild_index: bool, cluster: str | None
) -> None:
    """PDQ-hash items already in the store (photos; videos: keyframes + ≤ 1 frame/s).

    With no ITEM, hashes the photo and video items that have no PDQ hash yet."""
    progress = BarProgress()
    report = service.hash_items(
        app,
        refs,
        everything=everything,
        rebuild_index=rebuild_index,
        progress=progress,
        cluster=cluster,
    )
    for item_id, name, media_type in report.not_media:
        progress.problem(f"item {item_id}: {name}: not a photo or video ({media_type}); skipped")
    for item in report.hashed:
        echo(
            f"item {item.item_id}\t{item.hashes} hash{'es' if item.hashes != 1 else ''}"
            f"\t{safe(item.name)}"
        )
    echo(
        f"{len(report.hashed)} item(s) hashed, {len(report.failed)} failed; "
        f"index holds {report.index_size} hashes (and {report.window_index_size} of photo windows)"
    )
    if report.failed:
        raise SystemExit(1)


def _print_matches(matches: list[dict[str, Any]], names: dict[int, str]) -> None:
    if not matches:
        echo("no match: nothing in the store is within the radius")
        return
    for m in matches:
        if m["method"] == "keypoints":
            k = m["keypoints"]
            how = (
                f"keypoints: {k['inliers']} agree (scale {k['scale']:.2f}, "
                f"turned {k['rotation_deg']:+.1f}°)"
            )
        else:
            how = f"distance {m['distance']}"
        echo(f"item {m['item']}\t{how}\t{safe(names.get(m['item'], ''))}")
        if m["segment"]:
            q, s = m["segment"]["query"], m["segment"]["match"]
            echo(
                f"  overlap: query {q[0]:.1f}–{q[1]:.1f} s = match {s[0]:.1f}–{s[1]:.1f} s"
                f" ({len(m['frames'])} frames, offset {m['offset_s']:+.1f} s"
                + (
                    f", played at {m['speed']:.2g}× speed"
                    if m.get("speed") not in (None, 1.0)
                    else ""
                )
                + ")"
            )
        elif any(t is not None for pair in m["frames"] for t in pair):
            pairs = ", ".join(
                f"{'photo' if a is None else f'{a:.1f} s'} ↔ "
                f"{'photo' if b is None else f'{b:.1f} s'}"
                for a, b in m["frames"][:5]
            )
            echo(f"  frames: {pairs}")
        if m["variants"] and m["variants"] not in (["original"], ["keypoints"]):
            echo(f"  matched as: {safe(', '.join(m['variants']))}")
        if m["earliest"]:
            echo(f"  existed by: {safe(str(m['earliest']))} ({safe(str(m['earliest_basis']))})")


@media.command("match")
@click.argument("target", metavar="FILE|ITEM")
@click.option(
    "--radius",
    default=service.DEFAULT_RADIUS,
    show_default=True,
    type=click.IntRange(0, 256),
    help="Largest Hamming distance (of 256 bits) to report.",
)
@click.option(
    "--deep",
    is_flag=True,
    help="For a photo, also compare keypoints with every stored photo: finds uneven crops, "
    "turns beyond ~8° or with a crop, and captioned copies (slower: ~10 ms per stored photo).",
)
@click.option("--json", "as_json", is_flag=True, help='Print {"matches": [...]} as JSON.')
@pass_app
def match(app: App, target: str, radius: int, deep: bool, as_json: bool) -> None:
    """Find stored photos and videos that share pictures with FILE or ITEM, with the matching
    frame times, the overlapping segment and the earliest evidence the match existed."""
    progress = BarProgress()
    found = service.match(app, target, radius=radius, deep=deep, progress=progress)
    for note in found.notes:
        progress.problem(note)
    if as_json:
        echo_json({"matches": found.matches})
        return
    _print_matches(found.matches, found.names)


def _parse_time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"'{text}' is not an ISO 8601 time such as 2017-04-04T06:45+03:00", param_hint="--time"
        ) from None


def _finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """Reject NaN, which passes click's range checks (every comparison with it is false)."""
    if value is not None and not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number", ctx=ctx, param=param)
    return value


@media.command("sun")
@click.option(
    "--lat",
    callback=_finite,
    type=click.FloatRange(-90, 90),
    required=True,
    help="Latitude, decimal degrees.",
)
@click.option(
    "--lon",
    callback=_finite,
    type=click.FloatRange(-180, 180),
    required=True,
    help="Longitude, decimal degrees.",
)
@click.option(
    "--time",
    "when",
    required=True,
    help="ISO 8601 time with its offset, e.g. 2017-04-04T06:45+03:00 (no offset: UTC).",
)
@click.option(
    "--shadow-bearing",
    callback=_finite,
    type=click.FloatRange(0, 360),
    default=None,
    help="Measured bearing of shadows, degrees clockwise from true north.",
)
@click.option(
    "--object-height",
    callback=_finite,
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Height of the object casting the shadow (any unit).",
)
@click.option(
    "--shadow-length",
    callback=_finite,
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Length of its shadow on level ground (same unit).",
)
@click.option(
    "--bearing-tolerance",
    callback=_finite,
    type=click.FloatRange(0, 180),
    default=5.0,
    show_default=True,
)
@click.option(
    "--elevation-tolerance",
    callback=_finite,
    type=click.FloatRange(0, 90),
    default=2.0,
    show_default=True,
)
@click.option(
    "--item",
    "item_ref",
    default=None,
    metavar="ITEM",
    help="Record the result as a finding of this item.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_app
def sun(
    app: App,
    lat: float,
    lon: float,
    when: str,
    shadow_bearing: float | None,
    object_height: float | None,
    shadow_length: float | None,
    bearing_tolerance: float,
    elevation_tolerance: float,
    item_ref: str | None,
    as_json: bool,
) -> None:
    """Where the sun was at a place and time, and, given a measured shadow, the windows of that
    day whose sun casts it (a finding when the claimed time is outside them)."""
    result = service.sun(
        app,
        lat,
        lon,
        _parse_time(when),
        shadow_bearing=shadow_bearing,
        object_height=object_height,
        shadow_length=shadow_length,
        bearing_tolerance=bearing_tolerance,
        elevation_tolerance=elevation_tolerance,
        item_ref=item_ref,
    )
    _print_sun(result, lat, lon, bearing_tolerance, elevation_tolerance, as_json)


def _print_sun(
    report: service.SunReport,
    lat: float,
    lon: float,
    bearing_tolerance: float,
    elevation_tolerance: float,
    as_json: bool,
) -> None:
    result, recorded = report.result, report.recorded
    if as_json:
        echo_json(result)
        return
    zone = "" if result["time_zone_given"] else " (no offset given: taken as UTC)"
    echo(f"{lat:.5f},{lon:.5f} at {result['time']}{zone}")
    echo(
        f"sun: azimuth {result['azimuth']:.2f}°, elevation {result['elevation']:.2f}°"
        + (
            f", shadows point {result['shadow_bearing']:.1f}°"
            if result["shadow_bearing"] is not None
            else " (below the horizon: no shadows)"
        )
    )
    if "fits" in result:
        shadow = result["shadow"]
        wanted = []
        if shadow["bearing"] is not None:
            wanted.append(f"bearing {shadow['bearing']:.1f}° ±{bearing_tolerance:g}°")
        if shadow["elevation"] is not None:
            wanted.append(f"sun elevation {shadow['elevation']:.1f}° ±{elevation_tolerance:g}°")
        echo(f"measured shadow: {', '.join(wanted)}")
        verdict = "FITS" if result["fits"] else "DOES NOT FIT"
        errors = [
            f"{name} off by {value:.1f}°"
            for name, value in (
                ("bearing", result["bearing_error"]),
                ("elevation", result["elevation_error"]),
            )
            if value is not None
        ]
        echo(f"the time {verdict}" + (f" ({', '.join(errors)})" if errors else ""))
        if result["windows"]:
            for window in result["windows"]:
                echo(f"  fits from {window['start']} to {window['end']}")
        else:
            echo("  no time on that day fits")
    if recorded:
        echo(safe(recorded))


@media.command("check")
@click.argument("refs", nargs=-1, required=True, metavar="ITEM...")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@pass_app
def check(app: App, refs: tuple[str, ...], as_json: bool) -> None:
    """Check items' metadata against their claimed time and place and against what is possible
    (EXIF/container time, GPS, editing software, stripped or impossible values), and record the
    findings with their inputs."""
    checked = service.check(app, refs, progress=BarProgress())
    if as_json:
        report = [{"item": item.item_id, "findings": item.findings} for item in checked]
        echo_json({"items": report})
        return
    for item in checked:
        echo(f"item {item.item_id}\t{safe(item.name)}")
        if not item.findings:
            echo("  no inconsistency found")
        for finding in item.findings:
            echo(
                f"  [{safe(str(finding['severity']))}] {safe(str(finding['type']))}:"
                f" {safe(str(finding['message']))}"
            )


@media.command("redact")
@click.argument("ref", required=False, metavar="[ITEM]")
@click.option("--faces", is_flag=True, help="Cover the faces the detector finds.")
@click.option(
    "--regions",
    multiple=True,
    metavar="X,Y,W,H",
    help="Cover this box (pixels of the upright picture; every frame of a video). Repeat the "
    "option, or separate boxes with ';'.",
)
@click.option(
    "--strip-metadata",
    is_flag=True,
    help="Remove all metadata (every redaction does; alone, it asks for nothing more).",
)
@click.option(
    "--style",
    type=click.Choice(redaction.STYLES),
    default="mosaic",
    show_default=True,
    help="mosaic: at most 4 cells across a covered box; fill: flat grey.",
)
@click.option("--keep-audio", is_flag=True, help="Keep a video's sound (it can carry a voice).")
@click.option(
    "--confirm",
    "confirm_ref",
    metavar="NEW_ID",
    help="Record that you looked at redaction NEW_ID and no one is recognisable: it may be "
    "published from now on.",
)
@click.option("--json", "as_json", is_flag=True, help='Print {"item": NEW_ID, ...} as JSON.')
@pass_app
def redact(
    app: App,
    ref: str | None,
    faces: bool,
    regions: tuple[str, ...],
    strip_metadata: bool,
    style: str,
    keep_audio: bool,
    confirm_ref: str | None,
    as_json: bool,
) -> None:
    """Make a redacted derivative of photo or video ITEM for publication: faces and regions
    covered beyond recognition (every frame of a video), EXIF/GPS, XMP, IPTC, ICC, maker-note
    and container metadata removed. It stays unconfirmed, and unpublished, until a person looks
    at it and runs 'enquiry media redact --confirm NEW_ID'."""
    if confirm_ref is not None:
        if ref is not None or faces or regions or strip_metadata or keep_audio:
            raise BadRequest("--confirm NEW_ID takes no ITEM and no redaction options")
        done = redaction.confirm(app, confirm_ref)
        if as_json:
            echo_json(
                {"item": done.item_id, "confirmed": True, "already": done.already}, indent=None
            )
            return
        echo(
            f"item {done.item_id}: redaction of item {done.derived_from} "
            + ("was already confirmed" if done.already else "confirmed for publication")
        )
        return
    if ref is None:
        raise BadRequest("give the ITEM to redact (or --confirm NEW_ID)")
    made = redaction.redact(
        app,
        ref,
        faces=faces,
        regions=regions,
        strip_metadata=strip_metadata,
        style=style,
        keep_audio=keep_audio,
        progress=BarProgress(),
    )
    if as_json:
        echo_json(made.to_dict())
        return
    state = "confirmed" if made.confirmed else "UNCONFIRMED"
    echo(
        f"item {made.item_id}\t{state}\tredaction of item {made.derived_from}"
        f" ({made.media_type}): {redaction.describe(made.transformation)}"
    )
    if made.existing:
        # Nothing new was stored; say so, and where the request itself was recorded.
        echo(
            f"  already made: this request ({redaction.describe(made.requested)}) gives the"
            f" same image as item {made.item_id}; no new item stored, the request recorded in"
            f" the ledger as event {made.event}"
        )
    if not made.confirmed:
        echo(
            f"  look at it ('enquiry item copy {made.item_id} -o FILE'), then publish it with "
            f"'enquiry media redact --confirm {made.item_id}'"
        )


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    main.add_command(media)
