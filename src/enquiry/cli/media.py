"""Commands of the media family: hash, match, sun, check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from enquiry.cli import App, fail, pass_app, safe
from enquiry.enrich.media.index import DEFAULT_RADIUS
from enquiry.store import Store
from enquiry.store.tables import Item, MediaHash


def _item(store: Store, ref: str) -> Item:
    """An item by number or by the start (≥ 8 hex digits) of its SHA-256."""
    with store.session() as session:
        item = None
        if ref.isdigit():
            item = session.get(Item, int(ref))
        elif len(ref) >= 8 and all(c in "0123456789abcdef" for c in ref.lower()):
            found = session.scalars(
                select(Item).where(Item.sha256.startswith(ref.lower())).limit(2)).all()
            if len(found) > 1:
                fail(f"item '{ref}': several items have a hash starting so; give more characters")
            item = found[0] if found else None
    if item is None:
        fail(f"item '{ref}': no such item (give its number or the start of its SHA-256)")
    assert item is not None
    return item


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
            click.echo(f"item {item.id}: {safe(item.original_name)}: not a photo or video "
                       f"({item.media_type}); skipped", err=True)
            continue
        entries, problems = hash_file(store.vault.path(item.sha256), item.media_type)
        for problem in problems:
            click.echo(f"item {item.id}: {safe(item.original_name)}: {problem}", err=True)
        if not entries:
            failed += 1
            continue
        write_hashes(store, item.id, entries)
        written += 1
        click.echo(f"item {item.id}\t{len(entries)} hash{'es' if len(entries) != 1 else ''}"
                   f"\t{safe(item.original_name)}")
    index = open_index(store, rebuild=rebuild_index)
    click.echo(f"{written} item(s) hashed, {failed} failed; index holds {len(index)} hashes")
    if failed:
        raise SystemExit(1)


def _print_matches(matches: list[dict[str, Any]], names: dict[int, str]) -> None:
    if not matches:
        click.echo("no match: nothing in the store is within the radius")
        return
    for m in matches:
        line = f"item {m['item']}\tdistance {m['distance']}\t{safe(names.get(m['item'], ''))}"
        click.echo(line)
        if m["segment"]:
            q, s = m["segment"]["query"], m["segment"]["match"]
            click.echo(f"  overlap: query {q[0]:.1f}–{q[1]:.1f} s = match {s[0]:.1f}–{s[1]:.1f} s"
                       f" ({len(m['frames'])} frames, offset {m['offset_s']:+.1f} s)")
        elif any(t is not None for pair in m["frames"] for t in pair):
            pairs = ", ".join(f"{'photo' if a is None else f'{a:.1f} s'} ↔ "
                              f"{'photo' if b is None else f'{b:.1f} s'}" for a, b in m["frames"][:5])
            click.echo(f"  frames: {pairs}")
        if m["variants"] and m["variants"] != ["original"]:
            click.echo(f"  matched as: {', '.join(m['variants'])}")
        if m["earliest"]:
            click.echo(f"  existed by: {m['earliest']} ({m['earliest_basis']})")


@media.command("match")
@click.argument("target", metavar="FILE|ITEM")
@click.option("--radius", default=DEFAULT_RADIUS, show_default=True,
              type=click.IntRange(0, 256), help="Largest Hamming distance (of 256 bits) to report.")
@click.option("--json", "as_json", is_flag=True, help="Print {\"matches\": [...]} as JSON.")
@pass_app
def match(app: App, target: str, radius: int, as_json: bool) -> None:
    """Find stored photos and videos that share pictures with FILE or ITEM, with the matching
    frame times, the overlapping segment and the earliest evidence the match existed."""
    from enquiry.enrich.media.catalogue import (
        annotate_earliest,
        find_matches,
        item_entries,
        open_index,
        query_frames,
    )
    from enquiry.enrich.media.extractor import hash_file

    store = app.store()
    path = Path(target)
    exclude = None
    if path.is_file():
        try:
            media_type = _media_type(path)
        except OSError as exc:
            fail(f"{safe(target)}: cannot be read ({exc.strerror or exc})")
        entries, problems = hash_file(path, media_type)
        if not entries:
            reason = problems[0] if problems else f"not a photo or video ({media_type})"
            fail(f"{safe(target)}: {reason}")
    elif target.isdigit() or (len(target) >= 8 and all(c in "0123456789abcdef" for c in target.lower())):
        item = _item(store, target)
        exclude = item.id
        entries = item_entries(store, item.id)
        if not entries:
            fail(f"item {item.id}: has no PDQ hash (run 'enquiry media hash {item.id}')")
    else:
        fail(f"{safe(target)}: no such file, and not an item number")
    index = open_index(store)
    matches = find_matches(index, query_frames(entries), radius=radius, exclude=exclude)
    annotate_earliest(store, matches)
    result = [m.as_json() for m in matches]
    if as_json:
        click.echo(json.dumps({"matches": result}, indent=2, ensure_ascii=False))
        return
    with store.session() as session:
        names = dict(session.execute(
            select(Item.id, Item.original_name).where(Item.id.in_([m.item for m in matches]))).all())
    _print_matches(result, names)


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    main.add_command(media)
