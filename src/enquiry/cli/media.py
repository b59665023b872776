"""Commands of the media family: hash, match, sun, check."""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from enquiry.cli import App, fail, find_item, pass_app, safe
from enquiry.enrich.media.index import DEFAULT_RADIUS
from enquiry.store import Store
from enquiry.store.tables import Item, MediaHash


def _item(store: Store, ref: str) -> Item:
    """An item by number or by the start (8 or more hex digits) of its SHA-256."""
    with store.session() as session:
        return find_item(session, ref)


def _media_type(path: Path) -> str:
    from enquiry.intake.sniff import sniff

    with path.open("rb") as handle:
        head = handle.read(4096)
    return sniff(head, path.name)


@click.group()
def media() -> None:
    """Media verification: perceptual hashes, recycled footage, metadata, the sun."""


@media.command("hash")
@click.argument("refs", nargs=-1, metavar="[ITEM...]")
@click.option("--all", "everything", is_flag=True, help="Re-hash every photo and video item.")
@click.option("--rebuild-index", is_flag=True, help="Also rebuild the near-duplicate index.")
@pass_app
def hash_items(app: App, refs: tuple[str, ...], everything: bool, rebuild_index: bool) -> None:
    """PDQ-hash items already in the store (photos; videos: keyframes + ≤ 1 frame/s).

    With no ITEM, hashes the photo and video items that have no PDQ hash yet."""
    from tqdm import tqdm

    from enquiry.enrich.media.catalogue import open_index, write_hashes
    from enquiry.enrich.media.extractor import PdqExtractor, hash_file

    store = app.store()
    extractor = PdqExtractor()
    if refs:
        items = [_item(store, ref) for ref in refs]
    else:
        with store.session() as session:
            query = select(Item).where(Item.sha256.is_not(None)).order_by(Item.id)
            if not everything:
                hashed = select(MediaHash.item_id).where(MediaHash.algorithm == "pdq")
                query = query.where(Item.id.not_in(hashed))
            items = [i for i in session.scalars(query) if extractor.accepts(i.media_type, i.kind)]
    written = failed = 0
    for item in tqdm(items, desc="hashing", unit="item", disable=None, leave=False):
        assert item.sha256 is not None
        if not extractor.accepts(item.media_type, item.kind):
            click.echo(
                f"item {item.id}: {safe(item.original_name)}: not a photo or video "
                f"({item.media_type}); skipped",
                err=True,
            )
            continue
        entries, problems = hash_file(store.vault.path(item.sha256), item.media_type)
        for problem in problems:
            click.echo(f"item {item.id}: {safe(item.original_name)}: {problem}", err=True)
        if not entries:
            failed += 1
            continue
        write_hashes(store, item.id, entries)
        written += 1
        click.echo(
            f"item {item.id}\t{len(entries)} hash{'es' if len(entries) != 1 else ''}"
            f"\t{safe(item.original_name)}"
        )
    index = open_index(store, rebuild=rebuild_index)
    click.echo(f"{written} item(s) hashed, {failed} failed; index holds {len(index)} hashes")
    if failed:
        raise SystemExit(1)


def _print_matches(matches: list[dict[str, Any]], names: dict[int, str]) -> None:
    if not matches:
        click.echo("no match: nothing in the store is within the radius")
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
        click.echo(f"item {m['item']}\t{how}\t{safe(names.get(m['item'], ''))}")
        if m["segment"]:
            q, s = m["segment"]["query"], m["segment"]["match"]
            click.echo(
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
            click.echo(f"  frames: {pairs}")
        if m["variants"] and m["variants"] not in (["original"], ["keypoints"]):
            click.echo(f"  matched as: {', '.join(m['variants'])}")
        if m["earliest"]:
            click.echo(f"  existed by: {m['earliest']} ({m['earliest_basis']})")


@media.command("match")
@click.argument("target", metavar="FILE|ITEM")
@click.option(
    "--radius",
    default=DEFAULT_RADIUS,
    show_default=True,
    type=click.IntRange(0, 256),
    help="Largest Hamming distance (of 256 bits) to report.",
)
@click.option(
    "--deep",
    is_flag=True,
    help="For a photo, also compare keypoints with every stored photo: finds crops, "
    "small rotations and captioned copies (slower: ~10 ms per stored photo).",
)
@click.option("--json", "as_json", is_flag=True, help='Print {"matches": [...]} as JSON.')
@pass_app
def match(app: App, target: str, radius: int, deep: bool, as_json: bool) -> None:
    """Find stored photos and videos that share pictures with FILE or ITEM, with the matching
    frame times, the overlapping segment and the earliest evidence the match existed."""
    from enquiry.enrich.media.catalogue import (
        annotate_earliest,
        find_matches,
        item_entries,
        keypoint_matches,
        open_index,
        query_frames,
    )
    from enquiry.enrich.media.extractor import hash_file
    from enquiry.enrich.media.pdq import MIN_QUALITY

    store = app.store()
    path = Path(target)
    exclude = None
    if path.is_dir():
        fail(f"{safe(target)}: is a folder; give one photo or video")
    if path.is_file():
        try:
            if path.stat().st_size == 0:
                fail(f"{safe(target)}: empty file (0 bytes)")
            media_type = _media_type(path)
        except OSError as exc:
            fail(f"{safe(target)}: cannot be read ({exc.strerror or exc})")
        entries, problems = hash_file(path, media_type, query=True)
        if not entries:
            reason = problems[0] if problems else f"not a photo or video ({media_type})"
            fail(f"{safe(target)}: {reason}")
        picture = path
    elif target.isdigit() or (
        len(target) >= 8 and all(c in "0123456789abcdef" for c in target.lower())
    ):
        item = _item(store, target)
        exclude = item.id
        entries = item_entries(store, item.id)
        if not entries:
            fail(f"item {item.id}: has no PDQ hash (run 'enquiry media hash {item.id}')")
        picture = store.vault.path(item.sha256 or "")
        if any(e["t"] is not None for e in entries):
            # a stored video was sampled about once a second; as a query it is sampled from
            # every frame, like a file (see frames.QUERY_EVERY_S)
            dense, _ = hash_file(picture, item.media_type, query=True)
            entries = dense or entries
    else:
        fail(f"{safe(target)}: no such file, and not an item number")
    frames = query_frames(entries)
    if not frames:
        best = max(int(e["quality"] or 0) for e in entries)
        fail(
            f"{safe(target)}: too featureless to match (PDQ quality {best} < {MIN_QUALITY}): "
            "a blank, flat or silhouette picture matches unrelated ones"
        )
    index = open_index(store)
    matches = find_matches(index, frames, radius=radius, exclude=exclude)
    if deep:
        if any(e["t"] is not None for e in entries):
            click.echo("enquiry: --deep compares photos only; this is a video", err=True)
        else:
            from enquiry.enrich.media.pdq import load_rgb

            skip = {m.item for m in matches} | ({exclude} if exclude is not None else set())
            matches += keypoint_matches(store, load_rgb(picture), skip)
    annotate_earliest(store, matches)
    result = [m.as_json() for m in matches]
    if as_json:
        click.echo(json.dumps({"matches": result}, indent=2, ensure_ascii=False))
        return
    with store.session() as session:
        names = dict(
            session.execute(
                select(Item.id, Item.original_name).where(Item.id.in_([m.item for m in matches]))
            ).all()
        )
    _print_matches(result, names)


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
    from enquiry.enrich.media import sun as solar
    from enquiry.enrich.media.catalogue import record_findings

    moment = _parse_time(when)
    if (object_height is None) != (shadow_length is None):
        fail("--object-height and --shadow-length go together")
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
        fail(f"--time {safe(when)}: the sun cannot be computed for it ({exc})")
    result["time_zone_given"] = moment.tzinfo is not None
    recorded = ""
    if item_ref is not None:
        if "fits" not in result:
            fail(
                "--item needs a measured shadow (--shadow-bearing or --object-height/--shadow-length)"
            )
        store = app.store()
        item = _item(store, item_ref)
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
        recorded = f"recorded as a {finding['type']} finding of item {item.id}"
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    zone = "" if result["time_zone_given"] else " (no offset given: taken as UTC)"
    click.echo(f"{lat:.5f},{lon:.5f} at {result['time']}{zone}")
    click.echo(
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
        click.echo(f"measured shadow: {', '.join(wanted)}")
        verdict = "FITS" if result["fits"] else "DOES NOT FIT"
        errors = [
            f"{name} off by {value:.1f}°"
            for name, value in (
                ("bearing", result["bearing_error"]),
                ("elevation", result["elevation_error"]),
            )
            if value is not None
        ]
        click.echo(f"the time {verdict}" + (f" ({', '.join(errors)})" if errors else ""))
        if result["windows"]:
            for window in result["windows"]:
                click.echo(f"  fits from {window['start']} to {window['end']}")
        else:
            click.echo("  no time on that day fits")
    if recorded:
        click.echo(recorded)


@media.command("check")
@click.argument("refs", nargs=-1, required=True, metavar="ITEM...")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@pass_app
def check(app: App, refs: tuple[str, ...], as_json: bool) -> None:
    """Check items' metadata against their claimed time and place and against what is possible
    (EXIF/container time, GPS, editing software, stripped or impossible values), and record the
    findings with their inputs."""
    from dataclasses import asdict

    from enquiry.enrich.media import consistency
    from enquiry.enrich.media.catalogue import record_findings

    store = app.store()
    report = []
    for ref in refs:
        item = _item(store, ref)
        issues = consistency.check_metadata(item.fields or {}, item.meta or {}, item.media_type)
        findings = [asdict(issue) for issue in issues]
        record_findings(store, item.id, consistency.ENRICHER, consistency.VERSION, findings)
        report.append({"item": item.id, "findings": findings})
        if not as_json:
            click.echo(f"item {item.id}\t{safe(item.original_name)}")
            if not findings:
                click.echo("  no inconsistency found")
            for finding in findings:
                click.echo(f"  [{finding['severity']}] {finding['type']}: {finding['message']}")
    if as_json:
        click.echo(json.dumps({"items": report}, indent=2, ensure_ascii=False))


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    main.add_command(media)
