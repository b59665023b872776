"""The ocr command: read the text of stored scans and pictures of documents.

It parses its options, calls :func:`enquiry.app.ocr.ocr_items` and prints what comes back; the
main group turns a service's error into one line and its exit status.
"""

from __future__ import annotations

import click

from enquiry.app import ocr as service
from enquiry.cli import App, echo, pass_app, safe
from enquiry.cli.progress import BarProgress


@click.command("ocr")
@click.argument("refs", nargs=-1, required=True, metavar="ITEM...")
@click.option(
    "--lang",
    "languages",
    default=None,
    metavar="LANGS",
    help="Tesseract languages, e.g. eng, rus+eng, ara+eng (default: from the script).",
)
@click.option("--no-claims", is_flag=True, help="Do not read claims from the new text.")
@pass_app
def ocr_command(app: App, refs: tuple[str, ...], languages: str | None, no_claims: bool) -> None:
    """Read the text of ITEMs from their pixels (images; the scanned pages of PDFs).

    Every image named is read, however unlike a page, and its text kept with the engine's
    confidence; a document or statement then has its claims read from the text."""
    progress = BarProgress()
    report = service.ocr_items(
        app, list(refs), languages=languages, claims=not no_claims, progress=progress
    )
    for item_id, name, media_type in report.not_readable:
        progress.problem(f"item {item_id}: {safe(name)}: not an image or PDF ({media_type})")
    for item in report.read:
        if not item.pages:
            echo(f"item {item.item_id}\tno scanned page: text layer only\t{safe(item.name)}")
            continue
        if not item.words:
            echo(
                f"item {item.item_id}\tno text found ({item.languages};"
                f" pages {len(item.pages)})\t{safe(item.name)}"
            )
            continue
        claims = "" if item.claims is None else f", {item.claims} claims"
        echo(
            f"item {item.item_id}\t{item.words} words, confidence {item.confidence:.0f},"
            f" {item.chars} characters ({item.languages}; pages {len(item.pages)}{claims})"
            f"\t{safe(item.name)}"
        )
    echo(
        f"{len(report.read)} item(s) read, {len(report.not_readable)} not readable,"
        f" {len(report.failed)} failed"
    )
    if report.failed or report.not_readable:
        raise SystemExit(1)


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    main.add_command(ocr_command)


__all__ = ["register"]
