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

    if not path.exists():
        fail(f"{safe(str(path))}: no such file")
    if path.is_dir():
        fail(f"{safe(str(path))}: is a folder; give one file (enquiry ingest reads folders)")
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        fail(f"{safe(str(path))}: cannot read ({exc.strerror or exc})")
    if not head:
        fail(f"{safe(str(path))}: empty file: no text to read claims from")
    media_type = sniff(head, path.name)
    extractor = DocumentText()
    if not extractor.accepts(media_type, "document"):
        fail(f"{safe(str(path))}: {media_type} holds no text to read claims from")
    found = extractor.extract(path, media_type)
    if not (found.text or "").strip():
        why = "; ".join(found.problems) or "only blank space"
        fail(f"{safe(str(path))}: no text to read claims from ({safe(why)})")
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
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON with character offsets.")
@click.option(
    "--date",
    "date_text",
    default=None,
    metavar="YYYY-MM-DD",
    help="The document's date, for relative dates (default: its metadata or dateline).",
)
def extract_command(file: Path, as_json: bool, date_text: str | None) -> None:
    """Print every attribution in FILE (text, HTML, PDF or an RSS/Atom feed); needs no
    enquiry home.

    Offsets are character offsets into the file's extracted text: for plain text the decoded
    file itself; for a feed, its entries as documents (headline, date line, text) one after the
    other, separated by a blank line, each dated by its own entry date.
    """
    from enquiry.enrich.text.claims import ClaimExtractor
    from enquiry.enrich.text.dates import document_date
    from enquiry.intake.feeds import FeedError, is_feed, read_feed

    given = _parse_date(date_text)
    segments: list[tuple[int, str, dt.date | None]] = []
    if is_feed(file):
        feed_problems: list[str] = []
        try:
            _title, entries = read_feed(file, feed_problems)
        except FeedError as exc:
            fail(str(exc))
        if not entries:
            fail(f"{safe(str(file))}: feed has no entries: no text to read claims from")
        for problem in feed_problems:
            click.echo(f"enquiry: {safe(problem)}", err=True)
        offset = 0
        for entry in entries:
            document = entry.document()
            segments.append((offset, document, document_date(document) or given))
            offset += len(document) + 2
    else:
        text, metadata, problems = _read_document(file)
        for problem in problems:
            click.echo(f"enquiry: {safe(str(file))}: {problem}", err=True)
        segments.append((0, text, given or document_date(text, metadata.get("date"))))
    extractor = ClaimExtractor()
    claims: list[dict[str, Any]] = []
    for offset, text, anchor in segments:
        for record in extractor.extract(text, anchor):
            claims.append(_shifted(record.as_dict(), offset))
    if as_json:
        anchors = {anchor.isoformat() if anchor else None for _, _, anchor in segments}
        payload = {
            "file": str(file),
            "document_date": anchors.pop() if len(anchors) == 1 else None,
            "claims": claims,
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    for claim in claims:
        who = claim["actor"] or "(no source)"
        said = claim["source"]["text"] if claim["source"] else ""
        shown = f"{who}" + (f" [{_quote(said, 60)}]" if said and said != who else "")
        when = claim["date"] or "undated"
        if claim["date_phrase"]:
            when += f" ({claim['date_phrase']})"
        content = claim["content"]
        click.echo(f"{content['start']}-{content['end']}  {when}  {safe(shown)} "
                   f"{safe(claim['cue']['text'])}: {safe(_quote(content['text']))}")
    click.echo(f"{len(claims)} claims", err=True)


def _shifted(claim: dict[str, Any], offset: int) -> dict[str, Any]:
    """A claim's spans moved by ``offset`` characters (its document's place in the file)."""
    if not offset:
        return claim
    for key in ("source", "cue", "content"):
        span = claim.get(key)
        if span:
            span["start"] += offset
            span["end"] += offset
    for span in claim.get("continuation") or []:
        span["start"] += offset
        span["end"] += offset
    return claim


def _print_claim(claim: dict[str, Any]) -> None:
    when = claim["date"] or "undated"
    if claim["date_phrase"]:
        when += f" ({claim['date_phrase']})"
    who = claim["actor"] or "(no source)"
    click.echo(
        f"#{claim['id']}  {when}  {safe(who)} {safe(claim['cue']['text'])}: "
        f"{safe(_quote(claim['content']['text']))}  [item {claim['item_id']}]"
    )


@claims.command("list")
@click.option("--case", "case_name", required=True, help="The case whose claims to list.")
@click.option(
    "--party",
    default=None,
    metavar="ACTOR",
    help="Only claims by this actor, its merged actors and those affiliated to it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def list_command(app: App, case_name: str, party: str | None, as_json: bool) -> None:
    """List the claims of a case in date order."""
    from enquiry.enrich.text.catalogue import ClaimsError, list_claims

    try:
        listed = list_claims(app.store(create=False), case_name, party)
    except ClaimsError as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps({"case": case_name, "claims": listed}, ensure_ascii=False, indent=1))
        return
    for claim in listed:
        _print_claim(claim)
    click.echo(f"{len(listed)} claims", err=True)


@claims.command("merge-actors")
@click.argument("actor_a")
@click.argument("actor_b")
@click.option("--case", "case_name", required=True, help="The case the actors belong to.")
@pass_app
def merge_command(app: App, actor_a: str, actor_b: str, case_name: str) -> None:
    """Merge ACTOR_A into ACTOR_B (by number, name or alias); the ledger records the merge."""
    from enquiry.enrich.text.catalogue import ClaimsError, merge_actors

    try:
        name_a, name_b, moved = merge_actors(app.store(create=False), case_name, actor_a, actor_b)
    except ClaimsError as exc:
        fail(str(exc))
    click.echo(f"merged '{safe(name_a)}' into '{safe(name_b)}'; {moved} claims moved")


@claims.command("similar")
@click.argument("claim_id", type=int)
@click.option("--limit", default=10, show_default=True, help="How many claims to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def similar_command(app: App, claim_id: int, limit: int, as_json: bool) -> None:
    """Claims of the same case closest in meaning to CLAIM_ID (the same claim repeated by
    other documents or other parties scores high; ≈ marks a likely repeat)."""
    from enquiry.enrich.text.catalogue import SAME_CLAIM, ClaimsError, similar_claims

    try:
        claim, ranked = similar_claims(app.store(create=False), claim_id, limit)
    except ClaimsError as exc:
        fail(str(exc))
    if as_json:
        payload = {
            "claim": claim,
            "similar": [
                {"score": round(score, 4), "same": score >= SAME_CLAIM, **other}
                for score, other in ranked
            ],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    _print_claim(claim)
    for score, other in ranked:
        mark = "≈" if score >= SAME_CLAIM else " "
        click.echo(f"  {mark} {score:.2f} ", nl=False)
        _print_claim(other)


@claims.command("stance")
@click.argument("claim_ids", nargs=-1, type=int)
@click.option("--case", "case_name", default=None, help="Every claim of this case.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def stance_command(
    app: App, claim_ids: tuple[int, ...], case_name: str | None, as_json: bool
) -> None:
    """Suggest the stance of claims toward each hypothesis of their case: supports, refutes
    or neutral, with a score. Suggestions only: 'claims accept' turns one into a rating."""
    from enquiry.enrich.text.catalogue import ClaimsError, list_claims, suggest_stances

    store = app.store(create=False)
    ids = list(claim_ids)
    try:
        if case_name:
            ids += [claim["id"] for claim in list_claims(store, case_name)]
        if not ids:
            fail("give claim numbers or --case NAME")
        suggestions = suggest_stances(store, ids)
    except ClaimsError as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps({"suggestions": suggestions}, ensure_ascii=False, indent=1))
        return
    if not suggestions:
        click.echo("no hypotheses in the case: nothing to suggest", err=True)
    for row in suggestions:
        click.echo(
            f"#{row['claim_id']}  {row['incident']}/{row['hypothesis']}  "
            f"{row['stance']:<8} {row['score']:.2f}  (suggested) {safe(row['label'])}"
        )


@claims.command("accept")
@click.argument("claim_id", type=int)
@click.argument("hypothesis")
@click.option(
    "--rating",
    default=None,
    type=click.Choice(["CC", "C", "N", "I", "II", "NA"]),
    help="The rating to record (default: from the suggested stance).",
)
@click.option("--rationale", default="", help="Why, in the analyst's words.")
@pass_app
def accept_command(
    app: App, claim_id: int, hypothesis: str, rating: str | None, rationale: str
) -> None:
    """Accept a suggested stance of CLAIM_ID toward HYPOTHESIS (its key, e.g. H1) as a rating."""
    from enquiry.enrich.text.catalogue import ClaimsError, accept_stance

    try:
        done = accept_stance(
            app.store(create=False), claim_id, hypothesis, rating=rating, rationale=rationale
        )
    except ClaimsError as exc:
        fail(str(exc))
    click.echo(
        f"rating {done['rating_id']}: claim #{claim_id} rated {done['rating']} "
        f"against {done['incident']}/{done['hypothesis']} by {safe(app.actor)}"
    )


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--case", "case_name", required=True, help="Case to add to (created if new).")
@click.option(
    "--kind",
    default=None,
    type=click.Choice(["document", "statement"]),
    help="Evidence kind of the documents (default: document).",
)
@click.option("--source", default=None, help="Where the documents came from.")
@click.option(
    "--date",
    "date_text",
    default=None,
    metavar="YYYY-MM-DD",
    help="Date of documents whose own date is unknown (for relative dates).",
)
@click.option("--quiet", is_flag=True, help="No progress bars.")
@pass_app
def ingest_command(
    app: App,
    paths: tuple[Path, ...],
    case_name: str,
    kind: str | None,
    source: str | None,
    date_text: str | None,
    quiet: bool,
) -> None:
    """Store articles, statements and RSS/Atom feeds (files or folders) and their claims."""
    from enquiry.enrich.text.catalogue import ingest_paths
    from enquiry.intake.feeds import FeedError
    from enquiry.intake.pipeline import IntakeError

    said: set[str] = set()

    def _say(line: str) -> None:
        """A problem line on stderr, once: intake reports a rejected file as it goes, and the
        summary lists it again."""
        if line not in said:
            said.add(line)
            click.echo(line, err=True)

    for path in paths:
        if not path.exists():
            fail(f"{safe(str(path))}: no such file or folder")
    try:
        results, run = ingest_paths(
            app.store(),
            list(paths),
            case=case_name,
            kind=kind,
            source=source,
            progress=not quiet,
            default_date=_parse_date(date_text),
            on_problem=lambda line: _say(f"enquiry: {safe(line)}"),
        )
    except (IntakeError, FeedError) as exc:
        fail(str(exc))
    stored = sum(1 for r in results if r.status == "stored")
    rejected = [r for r in results if r.status == "rejected"]
    click.echo(
        f"{len(results)} documents ({stored} new, {len(rejected)} rejected); "
        f"{run.claims} claims from {run.items} documents"
    )
    names = {r.item_id: r.path for r in results if r.item_id is not None}
    for item_id in run.without_text:
        name = safe(names[item_id]) if item_id in names else f"item {item_id}"
        _say(f"enquiry: {name}: no text to read claims from (item {item_id})")
    if rejected:
        for result in rejected:
            _say(f"enquiry: {safe(result.path)}: {'; '.join(result.problems)}")
        raise SystemExit(1)


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    main.add_command(claims)
    main.add_command(ingest_command)


__all__ = ["App", "pass_app", "register"]
