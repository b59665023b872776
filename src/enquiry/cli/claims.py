"""Commands of the claims family: claims extract / list / similar / stance / stance-pairs /
accept / merge-actors, and ingest (documents and feeds in, claims out).

Each command parses its options, calls one service of :mod:`enquiry.app.claims` and prints what
comes back; the main group turns a service's error into one line and its exit status.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from enquiry.app import claims as service
from enquiry.cli import App, cluster_option, echo, echo_json, pass_app, safe
from enquiry.cli.progress import BarProgress


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
    found = service.extract_file(file, _parse_date(date_text), BarProgress())
    for problem in found.problems:
        echo(f"enquiry: {safe(problem)}", err=True)
    if as_json:
        payload = {
            "file": found.file,
            "document_date": found.document_date,
            "claims": found.claims,
        }
        echo_json(payload, indent=1)
        return
    for claim in found.claims:
        who = claim["actor"] or "(no source)"
        said = claim["source"]["text"] if claim["source"] else ""
        shown = f"{who}" + (f" [{_quote(said, 60)}]" if said and said != who else "")
        when = claim["date"] or "undated"
        if claim["date_phrase"]:
            when += f" ({claim['date_phrase']})"
        content = claim["content"]
        echo(
            f"{content['start']}-{content['end']}  {safe(when)}  {safe(shown)} "
            f"{safe(claim['cue']['text'])}: {safe(_quote(content['text']))}"
        )
    echo(f"{len(found.claims)} claims", err=True)


def _print_claim(claim: service.ListedClaim) -> None:
    when = claim.date or "undated"
    if claim.date_phrase:
        when += f" ({claim.date_phrase})"
    who = claim.actor or "(no source)"
    echo(
        f"#{claim.id}  {safe(when)}  {safe(who)} {safe(claim.cue['text'])}: "
        f"{safe(_quote(claim.content['text']))}  [item {claim.item_id}]"
    )


REVEAL_HELP = "Show the words and speakers of claims read from protected items (logged)."


@claims.command("list")
@click.option("--case", "case_name", required=True, help="The case whose claims to list.")
@click.option(
    "--party",
    default=None,
    metavar="ACTOR",
    help="Only claims by this actor, its merged actors and those affiliated to it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--reveal", is_flag=True, help=REVEAL_HELP)
@pass_app
def list_command(app: App, case_name: str, party: str | None, as_json: bool, reveal: bool) -> None:
    """List the claims of a case in date order."""
    listed = service.list_claims(app, case_name, party, reveal=reveal)
    if as_json:
        payload = {"case": case_name, "claims": [claim.as_json() for claim in listed]}
        echo_json(payload, indent=1)
        return
    for claim in listed:
        _print_claim(claim)
    echo(f"{len(listed)} claims", err=True)


@claims.command("merge-actors")
@click.argument("actor_a")
@click.argument("actor_b")
@click.option("--case", "case_name", required=True, help="The case the actors belong to.")
@pass_app
def merge_command(app: App, actor_a: str, actor_b: str, case_name: str) -> None:
    """Merge ACTOR_A into ACTOR_B (by number, name or alias); the ledger records the merge."""
    merged = service.merge_actors(app, case_name, actor_a, actor_b)
    echo(
        f"merged '{safe(merged.name)}' into '{safe(merged.into)}'; "
        f"{merged.claims_moved} claims moved"
    )


@claims.command("similar")
@click.argument("claim_id", type=int)
@click.option("--limit", default=10, show_default=True, help="How many claims to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--reveal", is_flag=True, help=REVEAL_HELP)
@pass_app
def similar_command(app: App, claim_id: int, limit: int, as_json: bool, reveal: bool) -> None:
    """Claims of the same case closest in meaning to CLAIM_ID (the same claim repeated by
    other documents or other parties scores high; ≈ marks a likely repeat)."""
    found = service.similar(app, claim_id, limit, reveal=reveal, progress=BarProgress())
    if as_json:
        payload = {
            "claim": found.claim.as_json(),
            "similar": [
                {"score": round(score, 4), "same": found.same(score), **other.as_json()}
                for score, other in found.ranked
            ],
        }
        echo_json(payload, indent=1)
        return
    _print_claim(found.claim)
    for score, other in found.ranked:
        mark = "≈" if found.same(score) else " "
        echo(f"  {mark} {score:.2f} ", nl=False)
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
    suggestions = service.suggest_stances(app, claim_ids, case=case_name)
    if as_json:
        payload = {"suggestions": [row.as_json() for row in suggestions]}
        echo_json(payload, indent=1)
        return
    if not suggestions:
        echo("no hypotheses in the case: nothing to suggest", err=True)
    for row in suggestions:
        echo(
            f"#{row.claim_id}  {safe(row.incident)}/{safe(row.hypothesis)}  "
            f"{row.stance:<8} {row.score:.2f}  (suggested) {safe(row.label)}"
        )


@claims.command("stance-pairs")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the JSON lines only (no summary).")
def stance_pairs_command(file: Path, as_json: bool) -> None:
    """The stance of each text toward its claim, for a JSON-lines FILE of
    {"id", "claim", "text"}: one line {"id", "stance", "scores"} per pair on standard output,
    stance supports, refutes, discusses or unrelated; needs no enquiry home.

    The whole file is checked first: a bad line stops the run, naming its line number, before
    anything is printed. Without --json a count per stance follows on standard error.
    """
    from enquiry.app import stance as stance_service

    found = stance_service.stance_pairs(file, BarProgress())
    for row in found:
        echo_json(row.as_json(), indent=None)
    if not as_json:
        counts = {
            name: sum(1 for row in found if row.stance == name)
            for name in ("supports", "refutes", "discusses", "unrelated")
        }
        echo(
            f"{len(found)} pairs: " + ", ".join(f"{name} {n}" for name, n in counts.items()),
            err=True,
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
    done = service.accept(app, claim_id, hypothesis, rating=rating, rationale=rationale)
    echo(
        f"rating {done.rating_id}: claim #{claim_id} rated {done.rating} "
        f"against {safe(done.incident)}/{safe(done.hypothesis)} by {safe(done.analyst)}"
    )


class _Once(BarProgress):
    """Problem lines once each: intake reports a rejected file as it goes, and the summary
    lists it again."""

    def __init__(self, enabled: bool) -> None:
        super().__init__(enabled)
        self.said: set[str] = set()

    def problem(self, line: str) -> None:
        if line not in self.said:
            self.said.add(line)
            super().problem(line)


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
@cluster_option
@pass_app
def ingest_command(
    app: App,
    paths: tuple[Path, ...],
    case_name: str,
    kind: str | None,
    source: str | None,
    date_text: str | None,
    quiet: bool,
    cluster: str | None,
) -> None:
    """Store articles, statements and RSS/Atom feeds (files or folders) and their claims."""
    progress = _Once(enabled=not quiet)
    report = service.ingest(
        app,
        list(paths),
        case=case_name,
        kind=kind,
        source=source,
        default_date=_parse_date(date_text),
        progress=progress,
        cluster=cluster,
    )
    results = report.results
    stored = sum(1 for r in results if r.status == "stored")
    rejected = [r for r in results if r.status == "rejected"]
    echo(
        f"{len(results)} documents ({stored} new, {len(rejected)} rejected); "
        f"{report.claims} claims from {report.documents} documents"
    )
    for result in rejected:
        progress.problem(f"{result.path}: {'; '.join(result.problems)}")
    if rejected:
        raise SystemExit(1)


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    main.add_command(claims)
    main.add_command(ingest_command)


__all__ = ["App", "pass_app", "register"]
