"""Commands of the claims family: claims extract / list / similar / stance / accept /
merge-actors, and ingest (documents and feeds in, claims out)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from enquiry.cli import App, fail, pass_app, safe


def _read_document(path: Path) -> tuple[str, dict[str, Any], list[str]]:
    """The text a file holds (HTML main text, PDF text, decoded plain text), its metadata and
    problems — the same extractor intake uses, so offsets agree with the stored text."""
    from enquiry.enrich.documents import DocumentText
    from enquiry.intake.sniff import sniff

    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        fail(f"{safe(str(path))}: cannot read ({exc.strerror or exc})")
    media_type = sniff(head, path.name)
    extractor = DocumentText()
    if not extractor.accepts(media_type, "document"):
        fail(f"{safe(str(path))}: {media_type} holds no text to read claims from")
    found = extractor.extract(path, media_type)
    return found.text or "", found.metadata, found.problems


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date such as 2017-04-05") from None


def _quote(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@click.group()
def claims() -> None:
    """Claims from text: who said what, when; matching and stance toward hypotheses."""


@claims.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON with character offsets.")
@click.option(
    "--date",
    "date_text",
    default=None,
    metavar="YYYY-MM-DD",
    help="The document's date, for relative dates (default: its metadata or dateline).",
)
def extract_command(file: Path, as_json: bool, date_text: str | None) -> None:
    """Print every attribution in FILE (text, HTML or PDF); needs no enquiry home.

    Offsets are character offsets into the file's extracted text (for plain text, the decoded
    file itself).
    """
    from enquiry.enrich.text.claims import ClaimExtractor
    from enquiry.enrich.text.dates import document_date

    text, metadata, problems = _read_document(file)
    for problem in problems:
        click.echo(f"enquiry: {safe(str(file))}: {problem}", err=True)
    anchor = _parse_date(date_text) or document_date(text, metadata.get("date"))
    records = ClaimExtractor().extract(text, anchor)
    if as_json:
        payload = {
            "file": str(file),
            "document_date": anchor.isoformat() if anchor else None,
            "claims": [record.as_dict() for record in records],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    for record in records:
        found = record.attribution
        who = found.speaker.name if found.speaker else "(no source)"
        said = found.source.text if found.source else ""
        shown = f"{who}" + (f" [{_quote(said, 60)}]" if said and said != who else "")
        when = record.date or "undated"
        if record.date_phrase:
            when += f" ({record.date_phrase})"
        click.echo(f"{found.content.start}-{found.content.end}  {when}  {safe(shown)} "
                   f"{safe(found.cue.text)}: {safe(_quote(found.content.text))}")
    click.echo(f"{len(records)} claims", err=True)


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    main.add_command(claims)


__all__ = ["App", "pass_app", "register"]
