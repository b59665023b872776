"""Commands for evidence: add, derive, case list, item list/show/update/copy, log, verify, kinds.

Each command calls one service of :mod:`enquiry.app.evidence` and formats its result.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from enquiry.app import evidence as service
from enquiry.cli import (
    App,
    cluster_option,
    echo,
    echo_json,
    fail,
    json_text,
    pass_app,
    safe,
    say_problem,
)
from enquiry.cli.progress import BarProgress
from enquiry.model.kinds import KindError, all_kinds, get_kind
from enquiry.model.sample_custody import CustodyFinding

SIZE_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def parse_size(text: str) -> int:
    """'500M', '2G', '1048576' → bytes."""
    value = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = value[-1:] if value[-1:] in SIZE_UNITS and not value[-1:].isdigit() else ""
    number = value[: -len(unit)] if unit else value
    try:
        return int(float(number) * SIZE_UNITS[unit])
    except (ValueError, OverflowError):  # OverflowError: 'inf', '1e400'
        raise click.BadParameter(f"'{text}' is not a size such as 500M or 2G") from None


def field_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    """``KEY=VALUE`` options as a mapping."""
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
@click.option("--field", "pairs", multiple=True, metavar="KEY=VALUE", help="A field; repeatable.")
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
@click.option(
    "--protected",
    is_flag=True,
    help="Protect these files whatever their kind (stored encrypted; see docs/protection.md).",
)
@cluster_option
@pass_app
def add(
    app: App,
    paths: tuple[Path, ...],
    case_name: str,
    kind: str | None,
    source: str | None,
    pairs: tuple[str, ...],
    max_size: str | None,
    jobs: int,
    as_json: bool,
    protected: bool,
    cluster: str | None,
) -> None:
    """Take files and folders in as evidence: stored once by hash, every receipt in the ledger.

    Exit status: 0 when every file was stored cleanly, 1 when any file was rejected or had a
    problem (each named on one line), 130 when interrupted (committed files stay; re-run to
    finish).
    """
    try:
        report = service.add(
            app,
            list(paths),
            case=case_name,
            kind=kind,
            source=source,
            fields=field_pairs(pairs),
            max_size=parse_size(max_size) if max_size else None,
            jobs=jobs,
            progress=BarProgress(),
            protected=protected,
            cluster=cluster,
        )
    except KeyboardInterrupt as exc:
        partial = getattr(exc, "report", None)
        done = partial.summary() if partial is not None else "no files"
        echo(
            f"enquiry: interrupted; committed so far: {done}. Run the same command"
            " again to complete the rest.",
            err=True,
        )
        sys.exit(130)
    summary = f"case '{safe(case_name)}': {report.summary()}"
    if as_json:
        echo_json([r.__dict__ for r in report.results])
        echo(summary, err=True)
    else:
        echo(summary)
    sys.exit(1 if report.failed else 0)


@click.group()
def case() -> None:
    """Cases (investigations)."""


@case.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def case_list(app: App, as_json: bool) -> None:
    """List the cases with their item counts."""
    rows = service.list_cases(app)
    if as_json:
        echo_json([{"name": c.name, "created_at": c.created_at, "items": c.items} for c in rows])
        return
    if not rows:
        echo("no cases yet (enquiry add PATH --case NAME creates one)")
    for row in rows:
        echo(f"{safe(row.name)}\t{row.items} items\tcreated {row.created_at}")


def echo_sample_custody(findings: Sequence[CustodyFinding], *, indent: str = "") -> None:
    """A sample's chain-of-custody findings, one per line after a count (see docs/evidence.md
    for what is checked)."""
    broken = sum(1 for f in findings if f.severity == "break")
    state = (
        f"{broken} break(s), {len(findings) - broken} warning(s)"
        if findings
        else "no break found in the hand-overs recorded"
    )
    echo(f"{indent}chain of custody: {state}")
    for f in findings:
        where = f" [hand-over {', '.join(map(str, f.handovers))}]" if f.handovers else ""
        echo(f"{indent}  {f.severity:<8}{safe(f.code)}{where}: {safe(f.message)}")


@case.command("custody-check")
@click.argument("case_name", metavar="CASE")
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on warnings too (a long wait, a sample not checked for want of the key).",
)
@pass_app
def case_custody_check(app: App, case_name: str, as_json: bool, strict: bool) -> None:
    """Check the chain of custody of every environmental sample of CASE, hand-over by
    hand-over, and list the samples with findings (see docs/evidence.md).

    Exit status: 0 when no sample's chain has a break (warnings alone do not fail, unless
    --strict), 1 when at least one does — so the command can gate a pipeline; an unknown case
    is refused as by every command (1, with a message on standard error).
    """
    from enquiry.app.samples import check_case

    done = check_case(app, case_name)
    if as_json:
        echo_json(done.to_dict())
    else:
        for sample in done.samples:
            mark = "  protected" if sample.protected else ""
            key = f" ({safe(sample.key)})" if sample.key else ""
            echo(f"item {sample.item_id}{key}  {safe(sample.title)[:80]}{mark}")
            echo_sample_custody(sample.findings, indent="  ")
        echo(
            f"case '{safe(done.case)}': {done.checked} sample(s) checked, {done.broken} with a"
            f" broken chain, {len(done.samples) - done.broken} with warnings only"
        )
    sys.exit(1 if done.broken or (strict and done.samples) else 0)


@click.group()
def item() -> None:
    """Items of evidence."""


@item.command("list")
@click.option("--case", "case_name", default=None, help="Only this case's items.")
@click.option("--kind", default=None, help="Only items of this kind.")
@click.option("--source", default=None, help="Only items from this source (its name).")
@click.option("--from", "date_from", default=None, help="Only items dated from (YYYY[-MM[-DD]]).")
@click.option("--to", "date_to", default=None, help="Only items dated up to (YYYY[-MM[-DD]]).")
@click.option(
    "--after", default=None, type=click.IntRange(min=0), help="Start after this item number."
)
@click.option("--offset", default=0, type=click.IntRange(min=0), help="Skip this many items.")
@click.option(
    "--limit", default=100, show_default=True, type=click.IntRange(min=1), help="Page size."
)
@click.option("--json", "as_json", is_flag=True)
@pass_app
def item_list(
    app: App,
    case_name: str | None,
    kind: str | None,
    source: str | None,
    date_from: str | None,
    date_to: str | None,
    after: int | None,
    offset: int,
    limit: int,
    as_json: bool,
) -> None:
    """List items a page at a time: id, SHA-256, kind, size, title, source, protected.

    A protected item's title is withheld here as everywhere. ``--after N`` pages by the last
    item number shown, as fast deep in a large case as at its start.
    """
    page = service.list_items(
        app,
        case=case_name,
        kind=kind,
        source=source,
        date_from=date_from,
        date_to=date_to,
        after=after,
        offset=offset,
        limit=limit,
    )
    if as_json:
        echo_json(
            {
                "total": page.total,
                "total_exact": page.total_exact,
                "offset": page.offset,
                "limit": page.limit,
                "items": [row.__dict__ for row in page.items],
            }
        )
        return
    for row in page.items:
        mark = "protected" if row.protected else ""
        echo(
            f"{row.id:>7}  {(row.sha256 or '-')[:16]}  {row.kind:<20} {row.size or 0:>12}  "
            f"{safe(row.title)[:60]}  {safe(row.source or '')}  {mark}".rstrip()
        )
    end = page.offset + len(page.items)
    first = page.items[0].id if page.items else 0
    total = f"{page.total}" if page.total_exact else f"more than {page.total}"
    shown = f"items {page.offset + 1}-{end} of {total}" if page.items else "no items"
    if after is not None and page.items:
        shown = f"items {first}-{page.items[-1].id} (by number) of {total}"
    left = end < page.total or not page.total_exact
    more = f" (next: --after {page.items[-1].id})" if page.items and left else ""
    echo(shown + more, err=True)


@item.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True)
@click.option("--text", "with_text", is_flag=True, help="Include the extracted text.")
@click.option("--reveal", is_flag=True, help="Show protected identities (recorded in the ledger).")
@pass_app
def item_show(app: App, ref: str, as_json: bool, with_text: bool, reveal: bool) -> None:
    """Show one item: hashes, kind, fields, metadata, provenance and custody.

    A protected item's identifying fields, names, metadata and text are shown only with
    --reveal, which the ledger records.
    """
    view = service.show_item(app, ref, with_text=with_text, reveal=reveal)
    if as_json:
        echo_json(view.to_dict())
        return
    echo(f"item {view.id}  {safe(view.kind)}  {safe(view.name)}")
    rows = [
        ("case", view.case),
        ("sha256", view.sha256),
        ("size", view.size),
        ("media_type", view.media_type),
        ("source", view.source),
        ("protected", view.protected),
        *([("sealed", view.sealed_at)] if view.sealed_at else []),
        ("derived_from", view.derived_from),
        *view.fields.items(),
    ]
    width = max(len(key) for key, _ in rows) + 2
    for key, value in rows:
        echo(f"  {safe(str(key)):<{width}}{safe(str(value))}")
    for name, values in view.metadata.items():
        echo(f"  [{safe(name)}] " + json_text(values, indent=None)[:300])
    for path in view.origins:
        echo(f"  {'from':<{width}}{safe(path)}")
    if view.sample_custody is not None:
        echo_sample_custody(view.sample_custody, indent="  ")
    for line in view.custody:
        how = f" ({safe(line.identified_by)})" if line.identified_by else ""
        echo(f"  #{line.seq:<6} {line.at}  {line.action:<10} by {safe(line.actor)}{how}")
    for extractor, text in (view.text or {}).items():
        echo(f"--- {safe(extractor)} ---\n{safe(text, multiline=True)}")


@item.command("update")
@click.argument("ref")
@click.option("--kind", default=None, help="Change the kind (fields are checked against it).")
@click.option("--field", "pairs", multiple=True, metavar="KEY=VALUE")
@click.option("--protect/--unprotect", default=None, help="Protect the witness's identity, or not.")
@pass_app
def item_update(
    app: App, ref: str, kind: str | None, pairs: tuple[str, ...], protect: bool | None
) -> None:
    """Change an item's kind, fields or protection; the bytes never change.

    The ledger records the new state (and which fields changed, never their values, which may
    identify a witness); `verify` compares the row with it from then on.
    """
    done = service.update_item(app, ref, kind=kind, fields=field_pairs(pairs), protect=protect)
    if not done.changed:
        echo(f"item {done.item_id}: nothing to change")
        return
    changed = f", fields {safe(', '.join(done.fields_changed))}" if done.fields_changed else ""
    echo(
        f"item {done.item_id} updated: kind {safe(done.kind)}, protected {done.protected}{changed}"
    )
    if done.derivatives:
        listed = ", ".join(map(str, done.derivatives))
        echo(f"protected with it, as made from it: item(s) {listed}")


@item.command("seal")
@click.argument("ref")
@click.option(
    "--reason",
    required=True,
    help="Why: 'consent withdrawn by W-1 on …'. Stored in the ledger in the clear: name the"
    " witness by pseudonym, never by name.",
)
@pass_app
def item_seal(app: App, ref: str, reason: str) -> None:
    """Seal a protected item for good: destroy its data key (consent withdrawn).

    Its content becomes unrecoverable everywhere at once (vault, backups, bundles); its hash,
    kind, custody and ratings stay, marked sealed, and the analysis says which conclusions
    rested on it. Needs no protection key. Recorded in the ledger with the reason.

    The reason is recorded in the ledger in the clear (outputs withhold it without --reveal,
    but the database and every backup hold it as typed): it must not identify the witness.
    Write the pseudonym ('W-1'), not the name.
    """
    from enquiry.app.atrest import seal_item

    done = seal_item(app, ref, reason=reason)
    echo(
        f"item {done.item_id} sealed at {done.sealed_at}: its data key is destroyed;"
        f" {done.ratings} rating(s) now rest on sealed evidence"
    )
    if done.derivatives:
        listed = ", ".join(map(str, done.derivatives))
        echo(f"sealed with it, as made from it: item(s) {listed}")
    if done.residue:
        echo(f"note: {done.residue}", err=True)


@item.command("copy")
@click.argument("ref")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
@click.option(
    "--reveal", is_flag=True, help="Needed for a protected item (recorded in the ledger)."
)
@pass_app
def item_copy(app: App, ref: str, output: Path, force: bool, reveal: bool) -> None:
    """Write a working copy of an item's original to OUTPUT; the original stays in the vault.

    The bytes are checked against the item's SHA-256 as they are copied; corrupted bytes are
    refused. The copy is an ordinary writable file: edit it, translate it, crop it, then
    register what you made with `enquiry derive`. The ledger records who copied what, and where.
    """
    done = service.copy_item(app, ref, output, force=force, reveal=reveal)
    echo(f"item {done.item_id} copied to {safe(str(done.path))} ({done.size} bytes)")


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
@click.option("--field", "pairs", multiple=True, metavar="KEY=VALUE")
@pass_app
def derive(
    app: App,
    ref: str,
    path: Path,
    how: str,
    tool: str | None,
    kind: str | None,
    pairs: tuple[str, ...],
) -> None:
    """Register PATH as a derivative of item REF (working copy, translation, still, enhancement).

    The derivative is an item of its own, with `derived_from` and the transformation recorded,
    received with a `derived` ledger event; the original is never touched.
    """
    done = service.derive(app, ref, path, how=how, tool=tool, kind=kind, fields=field_pairs(pairs))
    for line in done.problems:
        say_problem(line)
    if done.item_id is None:
        sys.exit(1)
    echo(f"item {done.item_id} derived from item {done.derived_from}: {safe(how)}")
    sys.exit(1 if done.problems else 0)


@click.command("log")
@click.option("--item", "item_ref", default=None, help="Only this item's events.")
@click.option("--case", "case_name", default=None, help="Only this case's events.")
@click.option("--limit", default=0, type=click.IntRange(min=0), help="Only the newest N events.")
@click.option(
    "--head", "head_only", is_flag=True, help="Print only the head (to publish elsewhere)."
)
@click.option("--actor", default=None, help="Only the events recorded under this name.")
@click.option(
    "--identified-by",
    "identified_by",
    default=None,
    metavar="TEXT",
    help="Only the events whose actor was established as TEXT begins: 'API token enq_AbCdEf'"
    " (every act under that token), 'web session FINGERPRINT', 'command line'.",
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
    actor: str | None,
    identified_by: str | None,
    reveal: bool,
    as_json: bool,
) -> None:
    """The custody and audit log, oldest first.

    The names and paths under which protected items arrived are withheld unless --reveal.
    """
    if head_only:
        head = service.ledger_head(app)
        echo(f"{head[0]} {head[1]}" if head else "0 (empty ledger)")
        return
    events = service.read_log(
        app,
        item=item_ref,
        case=case_name,
        limit=limit,
        reveal=reveal,
        actor=actor,
        identified_by=identified_by,
    )
    if as_json:
        echo_json([e.to_dict() for e in events])
        return
    for e in events:
        target = f"item {e.item}" if e.item is not None else f"case {e.case}"
        # How the actor was established is shown beside the name, not cut off with the details.
        how = e.identified_by
        actor = safe(e.actor) + (f" ({safe(how)})" if how else "")
        details = json_text(e.other_details, indent=None, sort_keys=True)
        echo(
            f"#{e.seq:<6} {e.at}  {e.action:<10} {target:<11} by {actor}  {e.hash[:12]}"
            f"  {safe(details)[:120]}"
        )


@click.command("verify")
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--since",
    metavar="SEQ",
    help="Start from the head a full verify recorded at event SEQ (or 'last'): re-hash only"
    " the blobs and texts of items changed after it; the ledger and rows are checked in full.",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Re-hash blobs on a Dask cluster: local:N, or tcp://HOST:PORT of a scheduler whose"
    " workers mount the vault (default: ENQUIRY_CLUSTER).",
)
@pass_app
def verify_command(app: App, as_json: bool, since: str | None, cluster: str | None) -> None:
    """Re-hash every blob, re-walk the ledger chain, compare every item with it.

    Exit 0 when intact (a full verify then records the head it proved, for --since); 1 with
    one line per failure otherwise.
    """
    report = service.verify_home(app, BarProgress(), since=since, cluster=cluster, record=True)
    if as_json:
        echo_json(report.as_dict())
    else:
        for line in report.failures:
            echo(f"FAIL {safe(line)}")
        for line in report.notes:
            echo(f"note {safe(line)}")
        state = "intact" if report.intact else f"NOT intact: {len(report.failures)} failure(s)"
        scope = (
            f" (blobs of items changed since verified event {report.since})"
            if report.since is not None
            else ""
        )
        echo(
            f"{report.events} events, {report.items} items, {report.blobs} blobs{scope} checked; "
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
        echo(f"{kind.name:<22}{kind.label}")


@kinds.command("show")
@click.argument("name")
def kinds_show(name: str) -> None:
    """Show a kind's fields and their types."""
    try:
        kind = get_kind(name)
    except KindError as exc:
        fail(str(exc), 2)
    echo(f"{kind.name}: {kind.label}\n{kind.description}\n")
    for spec in kind.fields:
        extra = " (required)" if spec.required else ""
        extra += " (identifying: withheld when protected)" if spec.identifying else ""
        choices = f" one of {', '.join(spec.choices)}" if spec.choices else ""
        echo(f"  {spec.name:<22}{spec.type}{choices}{extra}  {spec.help}")


def register(main: click.Group) -> None:
    """Add the evidence commands to the main group."""
    for command in (add, derive, case, item, log, verify_command, kinds):
        main.add_command(command)
