"""The export command: a case or an incident in the formats other tools read."""

from __future__ import annotations

from pathlib import Path

import click

from enquiry.app import exports
from enquiry.cli import App, echo, pass_app, safe
from enquiry.cli.analysis import ALLOW_UNVERIFIED
from enquiry.publish.exports import FORMATS


@click.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS))
@click.option("--case", "case", default=None, help="Export this whole case (by name).")
@click.option(
    "--incident", default=None, help="Export this incident (by id) with its case's items."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write (csv writes a ZIP of items, claims, ratings and custody tables).",
)
@click.option(
    "--reveal",
    is_flag=True,
    help="Include protected items' identities, places and texts (recorded as 'revealed').",
)
@ALLOW_UNVERIFIED
@pass_app
def export_command(
    app: App,
    fmt: str,
    case: str | None,
    incident: str | None,
    output: Path,
    reveal: bool,
    allow_unverified: bool,
) -> None:
    """Write a case or an incident as FORMAT: csv (a ZIP of four tables), geojson, kml, prov
    (W3C PROV-O JSON-LD) or case-uco (CASE/UCO JSON-LD). The catalogue is verified first and
    the export is recorded in the ledger with the file's SHA-256."""
    done = exports.export(
        app,
        fmt,
        output,
        case=case,
        incident=incident,
        reveal=reveal,
        allow_unverified=allow_unverified,
    )
    scope = done.scope
    echo(
        f"{fmt} export of {safe(scope.name)} written to {safe(str(done.path))} "
        f"({done.size:,} bytes, sha256 {done.sha256}): {len(scope.items)} items, "
        f"{len(scope.claims)} claims, {len(scope.ratings)} ratings, "
        f"{len(scope.custody)} custody events"
    )


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    main.add_command(export_command)
