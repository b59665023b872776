"""Commands for evidence: add, case list, item show, log, verify, kinds."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import click
from sqlalchemy import func, select, update

from enquiry.cli import App, fail, find_item, pass_app, safe
from enquiry.enrich import default_extractors
from enquiry.intake.pipeline import IntakeError, IntakeOptions, IntakeReport, add_paths
from enquiry.model.kinds import KindError, all_kinds, get_kind
from enquiry.model.types import FieldError
from enquiry.store.ledger import item_row, read_head_file, state_digest
from enquiry.store.tables import Case, CustodyEvent, Item, ItemOrigin, ItemText, Source
from enquiry.store.verify import verify

SIZE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def parse_size(text: str) -> int:
    """'500M', '2G', '1048576' → bytes."""
    value = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = value[-1:] if value[-1:] in SIZE_UNITS and not value[-1:].isdigit() else ""
    number = value[: -len(unit)] if unit else value
    try:
        return int(float(number) * SIZE_UNITS[unit])
    except ValueError:
        raise click.BadParameter(f"'{text}' is not a size such as 500M or 2G") from None


def _field_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"'{pair}' is not key=value", param_hint="--field")
        fields[key.strip()] = value
    return fields


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--case", "case_name", required=True, help="Case to add to (created if new).")
@click.option("--kind", default=None, help="Evidence kind (default: detected from content).")
@click.option("--source", default=None, help="Where the files came from (a source of the case).")
@click.option(
    "--field",
    "field_pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="A field of the kind; repeatable.",
)
@click.option(
    "--max-size", default=None, metavar="SIZE", help="Refuse files larger than this (e.g. 20G)."
)
@click.option(
    "--jobs",
    "-j",
    default=0,
    type=click.IntRange(min=0),
    help="Worker processes (default: one per core).",
)
@click.option("--json", "as_json", is_flag=True, help="Print each file's result as JSON.")
@pass_app
def add(
    app: App,
    paths: tuple[Path, ...],
    case_name: str,
    kind: str | None,
    source: str | None,
    field_pairs: tuple[str, ...],
    max_size: str | None,
    jobs: int,
    as_json: bool,
) -> None:
    """Take files and folders in as evidence: stored once by hash, every receipt in the ledger.

    Exit status: 0 when every file was stored cleanly, 1 when any file was rejected or had a
    problem (each named on one line), 130 when interrupted (committed files stay; re-run to
    finish).
    """
    options = IntakeOptions(
        case=case_name,
        kind=kind,
        source=source,
        fields=_field_pairs(field_pairs),
        max_size=parse_size(max_size) if max_size else None,
        jobs=jobs,
    )
    store = app.store()

    def problem(line: str) -> None:
        click.echo(f"enquiry: {safe(line)}", err=True)

    try:
        report = add_paths(store, list(paths), options, default_extractors(), on_problem=problem)
    except IntakeError as exc:
        fail(str(exc), 2)
    except BrokenProcessPool:
        # A file that crashes a decoder outright takes its worker with it; what was committed
        # stays, and the same command takes in the rest (the crashing file can then be added
        # with --jobs 1 to see which it is).
        fail(
            "a worker process died while reading a file (a hostile or damaged file?); files"
            " committed so far are kept; run the same command again, or with --jobs 1 to find it"
        )
    except KeyboardInterrupt as exc:
        partial: IntakeReport = getattr(exc, "report", IntakeReport())
        click.echo(
            f"enquiry: interrupted; committed so far: {partial.summary()}. Run the same command"
            " again to complete the rest.",
            err=True,
        )
        sys.exit(130)
    summary = f"case '{case_name}': {report.summary()}"
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in report.results], indent=2))
        click.echo(summary, err=True)
    else:
        click.echo(summary)
    sys.exit(1 if report.failed else 0)


@click.group()
def case() -> None:
    """Cases (investigations)."""


@case.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def case_list(app: App, as_json: bool) -> None:
    """List the cases with their item counts."""
    store = app.store(create=False)
    with store.session() as session:
        rows = session.execute(
            select(Case.name, Case.created_at, func.count(Item.id))
            .outerjoin(Item, Item.case_id == Case.id)
            .group_by(Case.id)
            .order_by(Case.name)
        ).all()
    if as_json:
        click.echo(
            json.dumps([{"name": n, "created_at": c, "items": k} for n, c, k in rows], indent=2)
        )
        return
    if not rows:
        click.echo("no cases yet (enquiry add PATH --case NAME creates one)")
    for name, created, count in rows:
        click.echo(f"{name}\t{count} items\tcreated {created}")


def _redacted_fields(item: Item, reveal: bool) -> tuple[dict[str, Any], list[str]]:
    try:
        identifying = get_kind(item.kind).identifying_fields() if item.protected else ()
    except KindError:
        identifying = ()
    fields = dict(item.fields)
    withheld = [name for name in identifying if name in fields]
    if not reveal:
        for name in withheld:
            fields[name] = "[withheld: protected witness identity]"
    return fields, withheld


@click.group()
def item() -> None:
    """Items of evidence."""


@item.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True)
@click.option("--text", "with_text", is_flag=True, help="Include the extracted text.")
@click.option("--reveal", is_flag=True, help="Show protected identities (recorded in the ledger).")
@pass_app
def item_show(app: App, ref: str, as_json: bool, with_text: bool, reveal: bool) -> None:
    """Show one item: hashes, kind, fields, metadata, provenance and custody.

    A protected item's identifying fields and its text are shown only with --reveal, which the
    ledger records.
    """
    store = app.store(create=False)
    with store.session() as session:
        found = find_item(session, ref)
        if with_text and found.protected and not reveal:
            fail(f"item {found.id}: protected (its text may identify a witness); add --reveal")
        fields, withheld = _redacted_fields(found, reveal)
        case_name = session.get(Case, found.case_id).name  # type: ignore[union-attr]
        source = session.get(Source, found.source_id).name if found.source_id else None  # type: ignore[union-attr]
        origins = session.scalars(
            select(ItemOrigin.path).where(ItemOrigin.item_id == found.id)
        ).all()
        events = session.execute(
            select(CustodyEvent.seq, CustodyEvent.at, CustodyEvent.actor, CustodyEvent.action)
            .where(CustodyEvent.item_id == found.id)
            .order_by(CustodyEvent.seq)
        ).all()
        texts = session.execute(
            select(ItemText.extractor, ItemText.text).where(ItemText.item_id == found.id)
        ).all()
    shown_text = with_text and found.protected
    if reveal and found.protected:
        with store.writing() as (_connection, writer):
            details: dict[str, Any] = {"fields": withheld}
            if shown_text:
                details["text"] = True
            writer.append("revealed", case_id=found.case_id, item_id=found.id, details=details)
    data: dict[str, Any] = {
        "id": found.id,
        "case": case_name,
        "kind": found.kind,
        "sha256": found.sha256,
        "size": found.size,
        "media_type": found.media_type,
        "name": found.original_name if (reveal or not found.protected) else WITHHELD,
        "fields": fields,
        "metadata": found.meta,
        "source": source,
        "protected": found.protected,
        "derived_from": found.derived_from,
        "transformation": found.transformation,
        "origins": list(origins) if (reveal or not found.protected) else [WITHHELD] * len(origins),
        "custody": [{"seq": s, "at": a, "actor": w, "action": x} for s, a, w, x in events],
    }
    if with_text:
        data["text"] = {extractor: text for extractor, text in texts}
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"item {found.id}  {found.kind}  {safe(data['name'])}")
    rows = [
        (key, data[key])
        for key in ("case", "sha256", "size", "media_type", "source", "protected", "derived_from")
    ]
    rows += list(fields.items())
    width = max(len(key) for key, _ in rows) + 2
    for key, value in rows:
        click.echo(f"  {key:<{width}}{safe(str(value))}")
    for name, values in found.meta.items():
        click.echo(f"  [{name}] " + json.dumps(values, ensure_ascii=False)[:300])
    for path in data["origins"]:
        click.echo(f"  {'from':<{width}}{safe(path)}")
    for seq, at, actor, action in events:
        click.echo(f"  #{seq:<6} {at}  {action:<10} by {actor}")
    if with_text:
        for extractor, text in texts:
            click.echo(f"--- {extractor} ---\n{text}")


@item.command("update")
@click.argument("ref")
@click.option("--kind", default=None, help="Change the kind (fields are checked against it).")
@click.option("--field", "field_pairs", multiple=True, metavar="KEY=VALUE")
@click.option("--protect/--unprotect", default=None, help="Protect the witness's identity, or not.")
@pass_app
def item_update(
    app: App, ref: str, kind: str | None, field_pairs: tuple[str, ...], protect: bool | None
) -> None:
    """Change an item's kind, fields or protection; the bytes never change.

    The ledger records the new state (and which fields changed, never their values, which may
    identify a witness); `verify` compares the row with it from then on.
    """
    store = app.store(create=False)
    with store.session() as session:
        found = find_item(session, ref)
    try:
        target = get_kind(kind or found.kind)
        fields = target.validate({**found.fields, **_field_pairs(field_pairs)})
    except (KindError, FieldError) as exc:
        fail(str(exc), 2)
    protected = found.protected or target.is_protected(fields)
    if "protected" in fields:
        protected = bool(fields["protected"])
    if protect is not None:
        protected = protect
    changed = sorted(
        k for k in set(fields) | set(found.fields) if fields.get(k) != found.fields.get(k)
    )
    if target.name == found.kind and not changed and protected == found.protected:
        click.echo(f"item {found.id}: nothing to change")
        return
    row = item_row(found)
    row.update(kind=target.name, fields=fields, protected=protected)
    with store.writing() as (connection, writer):
        connection.execute(
            update(Item)
            .where(Item.id == found.id)
            .values(kind=target.name, fields=fields, protected=protected)
        )
        writer.append(
            "updated",
            case_id=found.case_id,
            item_id=found.id,
            details={
                "kind": target.name,
                "fields_changed": changed,
                "protected": protected,
                "state": state_digest(row),
            },
        )
    click.echo(
        f"item {found.id} updated: kind {target.name}, protected {protected}"
        + (f", fields {', '.join(changed)}" if changed else "")
    )


@item.command("copy")
@click.argument("ref")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option(
    "--reveal", is_flag=True, help="Needed for a protected item (recorded in the ledger)."
)
@pass_app
def item_copy(app: App, ref: str, output: Path, force: bool, reveal: bool) -> None:
    """Write a working copy of an item's original to OUTPUT; the original stays in the vault.

    The copy is an ordinary writable file: edit it, translate it, crop it, then register what
    you made with `enquiry derive`. The ledger records who copied what, and where to.
    """
    store = app.store(create=False)
    with store.session() as session:
        found = find_item(session, ref)
    if found.sha256 is None:
        fail(f"item {found.id}: has no stored bytes to copy")
    assert found.sha256 is not None
    if found.protected and not reveal:
        fail(f"item {found.id}: protected (its content may identify a witness); add --reveal")
    if output.exists() and not force:
        fail(f"{safe(str(output))}: exists; add --force to overwrite it")
    try:
        with store.vault.open(found.sha256) as source, output.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
    except OSError as exc:
        fail(f"{safe(str(output))}: cannot write the copy ({exc.strerror})")
    with store.writing() as (_connection, writer):
        if found.protected:
            writer.append(
                "revealed", case_id=found.case_id, item_id=found.id, details={"content": True}
            )
        writer.append(
            "copied",
            case_id=found.case_id,
            item_id=found.id,
            details={"sha256": found.sha256, "to": safe(str(output.absolute()))},
        )
    click.echo(f"item {found.id} copied to {safe(str(output))} ({found.size} bytes)")


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        fail(f"{safe(str(path))}: cannot be read ({exc.strerror})")
    return digest.hexdigest()


@click.command("derive")
@click.argument("ref")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--how",
    required=True,
    help="The transformation: 'English translation by W. Smith', 'keyframe at 00:01:12', ...",
)
@click.option("--tool", default=None, help="Program and version used, if any.")
@click.option("--kind", default=None, help="Kind of the derived item (default: detected).")
@click.option("--field", "field_pairs", multiple=True, metavar="KEY=VALUE")
@pass_app
def derive(
    app: App,
    ref: str,
    path: Path,
    how: str,
    tool: str | None,
    kind: str | None,
    field_pairs: tuple[str, ...],
) -> None:
    """Register PATH as a derivative of item REF (working copy, translation, still, enhancement).

    The derivative is an item of its own, with `derived_from` and the transformation recorded,
    received with a `derived` ledger event; the original is never touched.
    """
    store = app.store(create=False)
    digest = _sha256_of(path)
    with store.session() as session:
        found = find_item(session, ref)
        case_name = session.get(Case, found.case_id).name  # type: ignore[union-attr]
        known = session.scalars(
            select(Item).where(Item.case_id == found.case_id, Item.sha256 == digest).limit(1)
        ).first()
    if known is not None:
        origin = f", derived from item {known.derived_from}" if known.derived_from else ""
        fail(f"{safe(str(path))}: already item {known.id}{origin}; nothing recorded")
    transformation = {"how": how, **({"tool": tool} if tool else {})}
    options = IntakeOptions(
        case=case_name,
        kind=kind,
        fields=_field_pairs(field_pairs),
        derived_from=found.id,
        transformation=transformation,
        progress=False,
        jobs=1,
        # What is made from a protected item (a transcript, a still) can identify the same witness.
        protected=True if found.protected else None,
    )
    try:
        report = add_paths(store, [path], options, default_extractors())
    except IntakeError as exc:
        fail(str(exc), 2)
        return
    for line in report.problems:
        click.echo(f"enquiry: {safe(line)}", err=True)
    result = report.results[0]
    if result.item_id is None:
        sys.exit(1)
    click.echo(f"item {result.item_id} derived from item {found.id}: {how}")
    sys.exit(1 if report.failed else 0)


WITHHELD = "[withheld: protected item]"
NAMING_DETAILS = ("name", "path", "to")


def _shown(details: dict[str, Any], protected: bool) -> dict[str, Any]:
    """Event details as shown: a protected item's file names and paths can name the witness."""
    if not protected:
        return details
    return {k: (WITHHELD if k in NAMING_DETAILS else v) for k, v in details.items()}


@click.command("log")
@click.option("--item", "item_ref", default=None, help="Only this item's events.")
@click.option("--case", "case_name", default=None, help="Only this case's events.")
@click.option("--limit", default=0, type=click.IntRange(min=0), help="Only the newest N events.")
@click.option(
    "--head", "head_only", is_flag=True, help="Print only the head (to publish elsewhere)."
)
@click.option("--reveal", is_flag=True, help="Show protected items' names and paths (recorded).")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def log(
    app: App,
    item_ref: str | None,
    case_name: str | None,
    limit: int,
    head_only: bool,
    reveal: bool,
    as_json: bool,
) -> None:
    """The custody and audit log, oldest first.

    The names and paths under which protected items arrived are withheld unless --reveal.
    """
    store = app.store(create=False)
    if head_only:
        head = read_head_file(store.home)
        click.echo(f"{head.seq} {head.hash}" if head else "0 (empty ledger)")
        return
    query = select(CustodyEvent)
    with store.session() as session:
        if item_ref:
            query = query.where(CustodyEvent.item_id == find_item(session, item_ref).id)
        if case_name:
            case_id = session.scalar(select(Case.id).where(Case.name == case_name))
            if case_id is None:
                fail(f"case '{case_name}': no such case")
            query = query.where(CustodyEvent.case_id == case_id)
        if limit:
            query = query.order_by(CustodyEvent.seq.desc()).limit(limit)
        events = sorted(session.scalars(query).all(), key=lambda e: e.seq)
        protected = set(session.scalars(select(Item.id).where(Item.protected.is_(True))).all())
    hidden = {e.item_id for e in events if e.item_id in protected}
    if reveal and hidden:
        with store.writing() as (_connection, writer):
            for item_id in sorted(i for i in hidden if i is not None):
                writer.append("revealed", item_id=item_id, details={"log": True})
        hidden = set()
    if as_json:
        rows = [
            {
                "seq": e.seq,
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "case": e.case_id,
                "item": e.item_id,
                "details": _shown(json.loads(e.details), e.item_id in hidden),
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in events
        ]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for e in events:
        target = f"item {e.item_id}" if e.item_id is not None else f"case {e.case_id}"
        details = json.dumps(
            _shown(json.loads(e.details), e.item_id in hidden), ensure_ascii=False, sort_keys=True
        )
        click.echo(
            f"#{e.seq:<6} {e.at}  {e.action:<10} {target:<11} by {e.actor}  {e.hash[:12]}  {safe(details)[:120]}"
        )


@click.command("verify")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def verify_command(app: App, as_json: bool) -> None:
    """Re-hash every blob, re-walk the ledger chain, compare every item with it.

    Exit 0 when intact; 1 with one line per failure otherwise.
    """
    from tqdm import tqdm

    store = app.store(create=False)
    with tqdm(desc="verifying blobs", unit="blob", disable=None, leave=False) as bar:
        report = verify(store, progress=bar.update)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        for line in report.failures:
            click.echo(f"FAIL {safe(line)}")
        for line in report.notes:
            click.echo(f"note {line}")
        state = "intact" if report.intact else f"NOT intact: {len(report.failures)} failure(s)"
        click.echo(
            f"{report.events} events, {report.items} items, {report.blobs} blobs checked; "
            f"head {report.head[0]} {report.head[1][:16]}; {state}"
        )
    sys.exit(0 if report.intact else 1)


@click.group()
def kinds() -> None:
    """Evidence kinds and their fields."""


@kinds.command("list")
def kinds_list() -> None:
    """List the evidence kinds."""
    for kind in all_kinds().values():
        click.echo(f"{kind.name:<22}{kind.label}")


@kinds.command("show")
@click.argument("name")
def kinds_show(name: str) -> None:
    """Show a kind's fields and their types."""
    try:
        kind = get_kind(name)
    except KindError as exc:
        fail(str(exc), 2)
        return
    click.echo(f"{kind.name}: {kind.label}\n{kind.description}\n")
    for spec in kind.fields:
        extra = " (required)" if spec.required else ""
        extra += " (identifying: withheld when protected)" if spec.identifying else ""
        choices = f" one of {', '.join(spec.choices)}" if spec.choices else ""
        click.echo(f"  {spec.name:<22}{spec.type}{choices}{extra}  {spec.help}")


def register(main: click.Group) -> None:
    """Add the evidence commands to the main group."""
    for command in (add, derive, case, item, log, verify_command, kinds):
        main.add_command(command)
