"""Commands of the matrix family: read the matrix, rate a cell, add or change a hypothesis,
run and read a stored finding, comment and sign off.

Each command calls one service of :mod:`enquiry.app.matrix` or :mod:`enquiry.app.review`;
access, the ledger events and the protection of witnesses are the services' business.
"""

from __future__ import annotations

import click

from enquiry.app import matrix as service
from enquiry.app import review
from enquiry.cli import App, echo, echo_json, pass_app, safe


def _shown(cell: service.CellView | None) -> str:
    if cell is None:
        return "."
    text = cell.rating or (f"p{cell.likelihood:.2f}" if cell.likelihood is not None else "?")
    return text + ("~" if cell.earlier_wording else "") + ("!" if cell.disagreement else "")


@click.command("matrix")
@click.argument("incident")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def matrix_command(app: App, incident: str, as_json: bool) -> None:
    """Show the incident's evidence × hypothesis matrix: each row's grade (source reliability
    and information credibility) and the rating that counts in each cell (the latest); '!'
    marks a cell on which analysts' latest ratings differ, listed below with who said what;
    '~' a cell whose ratings were all made under an earlier wording of its hypothesis (they
    do not count until the cell is rated again), listed below too."""
    view = service.matrix(app, incident)
    if as_json:
        echo_json(view.to_dict(), default=str)
        return
    keys = [h.key for h in view.hypotheses]
    echo(f"{safe(view.incident)}: {safe(view.title)}")
    for h in view.hypotheses:
        prior = f" (prior {h.prior:g})" if h.prior is not None else ""
        other = " [other]" if h.is_other else ""
        echo(f"  {safe(h.key)}{other}{prior}: {safe(h.label)}")
    width = max([len(r.evidence) for r in view.rows] + [8])
    echo(f"{'evidence':<{width}}  grade  " + " ".join(f"{safe(k):>5}" for k in keys))
    for row in view.rows:
        grade = f"{row.reliability}{row.credibility}"
        cells = " ".join(f"{_shown(row.cells.get(k)):>5}" for k in keys)
        mark = " (protected)" if row.protected else ""
        echo(f"{safe(row.evidence):<{width}}  {grade:<5}  {cells}{mark}")
    reworded = [
        (row, key, cell)
        for row in view.rows
        for key, cell in row.cells.items()
        if cell.earlier_wording or cell.set_aside
    ]
    if reworded:
        echo(
            f"{len(reworded)} cell(s) rated under an earlier wording of their hypothesis"
            " (reworded since; such ratings do not count until the cell is rated again):"
        )
        for row, key, cell in reworded:
            said = ", ".join(
                f"{safe(a.analyst)} {a.rating}" for a in cell.analysts if a.earlier_wording
            )
            counts = (
                "counts: nothing (unrated)"
                if cell.earlier_wording
                else f"counts: {cell.rating} ({safe(cell.analyst)})"
            )
            echo(f"  {safe(row.evidence)} × {safe(key)}: {said}; {counts}")
    if view.disagreements:
        echo(f"{view.disagreements} cell(s) on which analysts differ:")
        for row in view.rows:
            for key, cell in row.cells.items():
                if not cell.disagreement:
                    continue
                said = ", ".join(f"{safe(a.analyst)} {a.rating}" for a in cell.analysts)
                spread = f", {cell.spread} step(s) apart" if cell.spread is not None else ""
                echo(
                    f"  {safe(row.evidence)} × {safe(key)}: {said}{spread}; counts: {cell.rating}"
                    f" ({safe(cell.analyst)})"
                )


@click.command("rate")
@click.argument("incident")
@click.argument("hypothesis")
@click.argument("rating")
@click.option("--item", default=None, metavar="ID", help="The item rated (number or hash start).")
@click.option("--claim", default=None, metavar="ID", help="The claim rated (its number).")
@click.option("--rationale", required=True, metavar="TEXT", help="Why (required).")
@pass_app
def rate_command(
    app: App,
    incident: str,
    hypothesis: str,
    rating: str,
    item: str | None,
    claim: str | None,
    rationale: str,
) -> None:
    """Rate how an item or a claim bears on HYPOTHESIS of INCIDENT: RATING is one of CC, C,
    N, I, II, NA. A new rating is recorded (the latest counts; earlier ones stay), and a
    'rated' event names you."""
    done = service.rate(
        app, incident, hypothesis, item=item, claim=claim, rating=rating, rationale=rationale
    )
    before = (
        f" (was {done.previous} by {safe(done.previous_analyst or '')})" if done.previous else ""
    )
    echo(
        f"{safe(done.incident)}: {done.target} {done.target_id} × {safe(done.hypothesis)}: "
        f"{done.rating}{before}, rated by {safe(done.analyst)}"
    )


@click.group("hypothesis")
def hypothesis() -> None:
    """Add or change an incident's hypotheses (each change a ledger event naming you)."""


@hypothesis.command("add")
@click.argument("incident")
@click.argument("key")
@click.argument("label")
@click.option("--description", default="", help="A longer account of the hypothesis.")
@click.option("--prior", type=float, default=None, help="Its prior probability (0-1].")
@click.option("--other", is_flag=True, help="It is the catch-all (only if there is none).")
@pass_app
def hypothesis_add(
    app: App,
    incident: str,
    key: str,
    label: str,
    description: str,
    prior: float | None,
    other: bool,
) -> None:
    """Add hypothesis KEY (e.g. H5) with LABEL to INCIDENT."""
    done = service.add_hypothesis(app, incident, key, label, description, prior, other=other)
    echo(f"{safe(done.incident)}: hypothesis {safe(done.key)} added: {safe(done.label)}")


@hypothesis.command("update")
@click.argument("incident")
@click.argument("key")
@click.option("--label", default=None)
@click.option("--description", default=None)
@click.option("--prior", type=float, default=None, help="A new prior probability (0-1].")
@click.option("--clear-prior", is_flag=True, help="State no prior (the rest is shared).")
@click.option("--rationale", required=True, metavar="TEXT", help="Why (required).")
@pass_app
def hypothesis_update(
    app: App,
    incident: str,
    key: str,
    label: str | None,
    description: str | None,
    prior: float | None,
    clear_prior: bool,
    rationale: str,
) -> None:
    """Change hypothesis KEY of INCIDENT: its label, description or prior."""
    done = service.update_hypothesis(
        app,
        incident,
        key,
        label=label,
        description=description,
        prior=prior,
        clear_prior=clear_prior,
        rationale=rationale,
    )
    changes = ", ".join(
        f"{name} {done.was.get(name)!r} -> {value!r}" for name, value in done.changed.items()
    )
    echo(f"{safe(done.incident)}: hypothesis {safe(done.key)}: {safe(changes)}")


@click.command("finding")
@click.argument("incident")
@click.option("--run", is_flag=True, help="Run the analysis now and store it as a finding.")
@click.option("--allow-unverified", is_flag=True, help="Run on a catalogue failing verify.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored result as JSON.")
@pass_app
def finding_command(
    app: App, incident: str, run: bool, allow_unverified: bool, as_json: bool
) -> None:
    """Show the incident's latest stored finding (with --run, analyse and store one first):
    its number, which a sign-off names, and its inputs hash."""
    if run:
        service.run_analysis(app, incident, allow_unverified=allow_unverified)
    latest = service.latest_result(app, incident)
    if latest is None:
        echo(f"{safe(incident)}: no finding yet (run with --run)")
        return
    if as_json:
        echo_json(latest.to_dict(), default=str)
        return
    result = latest.result
    echo(
        f"finding {latest.finding_id} of {safe(latest.incident)} ({latest.created_at}): leading "
        f"{safe(str(result.get('leading')))}, {safe(str(result.get('band')))};"
        f" inputs sha256 {latest.inputs_hash}"
    )
    for h in result.get("hypotheses", []):
        echo(f"  {safe(str(h['id']))}: {h['posterior']:.4f}")
    earlier = result.get("earlier_wording") or []
    if earlier:
        echo(
            f"left out: {len(earlier)} rating(s) made under an earlier wording of their"
            " hypothesis (re-rate them to count them):"
        )
        for e in earlier:
            given = safe(str(e.get("rating") or f"p={e.get('likelihood')}"))
            instead = safe(str(e.get("counts") or "nothing (unrated)"))
            echo(
                f"  {safe(str(e.get('evidence')))} × {safe(str(e.get('hypothesis')))}: {given}"
                f" by {safe(str(e.get('analyst') or 'unnamed'))}; counted instead: {instead}"
            )
    # the numbers above are as stored: say whether they are still what the catalogue gives,
    # and whether each sign-off still holds, so an old sign-off is never read as a new one
    if latest.standing is not None:
        echo(f"standing: {safe(latest.standing.status)} ({safe(latest.standing.explanation)})")
    for signed in latest.sign_offs:
        echo(
            f"sign-off {signed.comment_id} of finding {signed.finding_id} by {safe(signed.author)}"
            f" ({signed.created_at}): {safe(signed.status)} ({safe(signed.explanation)})"
            + (
                "; not an independent review: its author rated evidence of the incident"
                if signed.rated_by_author
                else ""
            )
        )


@click.command("comment")
@click.argument("where", metavar="CASE_OR_INCIDENT")
@click.argument("subject")
@click.argument("body")
@pass_app
def comment_command(app: App, where: str, subject: str, body: str) -> None:
    """Comment on SUBJECT of a case: case, incident:SLUG, finding:N, item:N, claim:N,
    hypothesis:KEY or a matrix cell, cell:KEY/item:N (or cell:KEY/claim:N)."""
    done = review.comment(app, where, subject, body)
    echo(f"comment {done.id} on {safe(done.subject)} in {safe(done.case)}")


@click.command("comments")
@click.argument("where", metavar="CASE_OR_INCIDENT")
@click.option("--subject", default=None, help="Only comments on this subject.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def comments_command(app: App, where: str, subject: str | None, as_json: bool) -> None:
    """List a case's comments and sign-offs, oldest first."""
    found = review.list_comments(app, where, subject)
    if as_json:
        echo_json([c.to_dict() for c in found], default=str)
        return
    if not found:
        echo("no comments")
    for c in found:
        echo(f"{c.id} {c.created_at} {safe(c.author)} {c.kind} {safe(c.subject)}: {safe(c.body)}")


@click.command("sign-off")
@click.argument("incident")
@click.option("--finding", "finding_id", type=int, required=True, help="The finding's number.")
@click.option("--statement", required=True, metavar="TEXT", help="What you sign.")
@pass_app
def sign_off_command(app: App, incident: str, finding_id: int, statement: str) -> None:
    """Sign off the incident's latest finding (see 'enquiry finding') with a statement."""
    done = review.sign_off(app, incident, finding_id, statement)
    echo(f"{safe(done.subject)} of {safe(incident)} signed off by {safe(done.author)}")


def register(main: click.Group) -> None:
    """Add the matrix commands to the main group."""
    for command in (
        matrix_command,
        rate_command,
        hypothesis,
        finding_command,
        comment_command,
        comments_command,
        sign_off_command,
    ):
        main.add_command(command)
