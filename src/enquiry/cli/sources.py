"""Commands of the sources and truth families: sources suggest / accept, and truth estimate /
close / outcomes.

``truth estimate`` needs no home: it reads a reports CSV (and outcomes) and prints every claim's
p_true and verdict and every source's reliability. The others work on the home's track record.
"""

from __future__ import annotations

from pathlib import Path

import click

from enquiry.app import sources as service
from enquiry.app import truth as truth_service
from enquiry.cli import App, echo, echo_json, pass_app, safe
from enquiry.cli.progress import BarProgress


@click.group()
def sources() -> None:
    """Sources judged by their record: suggested grades, and the analyst's choice."""


@sources.command("suggest")
@click.option("--case", default=None, metavar="NAME", help="Only this case's sources.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def suggest_command(app: App, case: str | None, as_json: bool) -> None:
    """List the Admiralty reliability grade each source's record supports, beside its grade,
    with the evidence: judged reports, right / wrong and the 90% interval. Nothing changes
    until an analyst runs 'enquiry sources accept'."""
    found = service.suggest(app, case)
    if as_json:
        echo_json([s.as_json() for s in found], indent=1)
        return
    if not found:
        echo("no sources")
        return
    for s in found:
        r = s.record
        if r is None or r.n == 0:
            evidence = "no record (no report on a claim whose outcome is known)"
        else:
            evidence = (
                f"{r.n} reports, {r.right:.0f} right / {r.wrong:.0f} wrong, "
                f"reliability {r.mean:.2f} [{r.low:.2f}-{r.high:.2f}]"
            )
        if s.suggested is None:
            advice = f"keep {s.grade}" + (" (record too short to judge)" if r and r.n else "")
        elif s.suggested == s.grade:
            advice = f"{s.grade} confirmed"
        else:
            advice = f"suggested {s.suggested}"
        mark = "* " if s.suggested not in (None, s.grade) else "  "
        echo(f"{mark}{safe(s.case)}: {safe(s.source)}: graded {s.grade}, {advice}: {evidence}")


@sources.command("accept")
@click.argument("source")
@click.argument("grade")
@click.option("--case", default=None, metavar="NAME", help="The source's case (if several).")
@pass_app
def accept_command(app: App, source: str, grade: str, case: str | None) -> None:
    """Give SOURCE the reliability GRADE (A-F); recorded as an 'updated' event naming you."""
    done = service.accept(app, source, grade, case)
    echo(
        f"{safe(done.case)}: {safe(done.source)}: reliability {done.before} -> {done.grade} "
        f"(by {safe(done.analyst)})"
    )


@click.group()
def truth() -> None:
    """Truth discovery: many claims judged from many sources' reports at once."""


@truth.command("estimate")
@click.argument("reports", type=click.Path(path_type=Path))
@click.option(
    "--known",
    type=click.Path(path_type=Path),
    default=None,
    metavar="KNOWN.csv",
    help="Outcomes already known (claim, truth: true / false / unknown), learnt from.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option(
    "--stance-from-text",
    is_flag=True,
    help="Predict missing stances from 'text' toward 'claim_text' with the stance model.",
)
def estimate_command(
    reports: Path, known: Path | None, as_json: bool, stance_from_text: bool
) -> None:
    """Estimate the truth of every claim in REPORTS (a CSV with claim, source, stance =
    for / against / observing, and optionally date, text, claim_text) and every source's
    reliability; needs no enquiry home."""
    done = truth_service.estimate_file(
        reports, known, stance_from_text=stance_from_text, progress=BarProgress()
    )
    result = done.result
    if as_json:
        echo_json(result.to_dict(), indent=1)
        return
    echo(
        f"{done.reports} reports on {len(result.claims)} claims by {len(result.sources)} "
        f"sources ({result.method}; {len(result.copies)} copy clusters counted once"
        + (f"; {done.predicted_stances} stances predicted" if done.predicted_stances else "")
        + ")"
    )
    for c in result.claims:
        echo(f"{c.verdict:8} p_true {c.p_true:.3f}  {safe(c.claim)}")
    echo("sources:")
    for s in sorted(result.sources, key=lambda s: (-s.mean, s.source)):
        echo(f"  {s.mean:.2f} [{s.low:.2f}-{s.high:.2f}] n={s.n}  {safe(s.source)}")


@truth.command("close")
@click.argument("claim")
@click.argument("outcome", type=click.Choice(["true", "false", "unknown"]))
@click.option("--case", default=None, metavar="NAME", help="The claim's case (for a key).")
@click.option("--basis", default="", help="The finding that settled it.")
@pass_app
def close_command(app: App, claim: str, outcome: str, case: str | None, basis: str) -> None:
    """Record how CLAIM (its number or key) turned out, as your finding; its sources' records
    count it from now on."""
    done = service.close(app, {claim: outcome}, case=case, basis=basis)
    echo(f"claim {done.claims[0]}: {outcome} (by {safe(app.actor)})")


@truth.command("outcomes")
@click.argument("known", type=click.Path(path_type=Path))
@click.option("--case", default=None, metavar="NAME", help="The claims' case (for keys).")
@pass_app
def outcomes_command(app: App, known: Path, case: str | None) -> None:
    """Import outcomes from KNOWN (a CSV with claim = number or key, truth = true / false /
    unknown), each recorded as your finding."""
    outcomes = truth_service.read_known(known)
    done = service.close(app, outcomes, case=case, imported_from=known)
    echo(f"{len(done.claims)} claim outcomes recorded from {safe(str(known))}")


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    main.add_command(sources)
    main.add_command(truth)
