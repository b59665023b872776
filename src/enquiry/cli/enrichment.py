"""``enquiry enrich``: every enricher run again over items already in the store.

A thin adapter over :func:`enquiry.app.enrichment.enrich_items`: it parses the options, shows
per-stage progress and prints one line per enricher.
"""

from __future__ import annotations

import click

from enquiry.app import enrichment as service
from enquiry.cli import App, cluster_option, echo, pass_app
from enquiry.cli.progress import BarProgress


@click.command("enrich")
@click.argument("refs", nargs=-1, metavar="[ITEM...]")
@click.option("--all", "everything", is_flag=True, help="Every item (of --case, if given).")
@click.option("--case", "case_name", default=None, help="Only this case's items.")
@click.option("--force", is_flag=True, help="Run even where an enricher has already run.")
@cluster_option
@pass_app
def enrich(
    app: App,
    refs: tuple[str, ...],
    everything: bool,
    case_name: str | None,
    force: bool,
    cluster: str | None,
) -> None:
    """Re-run the enrichers (text, photo/video metadata, media hashes, OCR, claims, vectors,
    metadata checks) over ITEM... or --all, e.g. after a model update.

    Each enricher skips the items it has done unless --force. Exit status: 0 when every item
    was enriched or skipped, 1 when any failed (each named on one line).
    """
    report = service.enrich_items(
        app,
        refs,
        everything=everything,
        case=case_name,
        force=force,
        cluster=cluster,
        progress=BarProgress(),
    )
    for counts in report.enrichers:
        if counts.enriched or counts.skipped or counts.failed:
            echo(
                f"{counts.name}: {counts.enriched} enriched, {counts.skipped} already done,"
                f" {counts.failed} failed"
            )
    echo(f"{report.items} item(s) considered")
    if report.failed:
        raise SystemExit(1)


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    main.add_command(enrich)


__all__ = ["register"]
