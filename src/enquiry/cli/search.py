"""The search and reindex commands: find items and claims by their words or their meaning.

They parse their options, call :func:`enquiry.app.search.search` or
:func:`enquiry.app.search.reindex` and print what comes back; the query syntax, the access
rules and the index live in the core.
"""

from __future__ import annotations

import click

from enquiry.app import search as service
from enquiry.cli import App, echo, echo_json, pass_app, safe
from enquiry.cli.progress import BarProgress


@click.command("search")
@click.argument("query", default="")
@click.option("--case", "case_name", default=None, help="Only this case.")
@click.option(
    "--kind", "kinds", multiple=True, help="Only this kind ('claim' for claims); repeatable."
)
@click.option("--source", "sources", multiple=True, help="Only from this source; repeatable.")
@click.option(
    "--grade", "grades", multiple=True, help="Only this grade (B2; B: reliability; 2: credibility)."
)
@click.option("--party", "parties", multiple=True, help="Only claims by this actor; repeatable.")
@click.option("--from", "date_from", default=None, metavar="DATE", help="Dated on or after.")
@click.option("--to", "date_to", default=None, metavar="DATE", help="Dated on or before.")
@click.option("--semantic", is_flag=True, help="Rank claims and texts by closeness in meaning.")
@click.option(
    "--every-match",
    is_flag=True,
    help="Rank, count and facet every match, not the newest 500 (slow on broad queries).",
)
@click.option("--offset", default=0, show_default=True)
@click.option("--limit", default=20, show_default=True)
@click.option("--facets", "show_facets", is_flag=True, help="Also print the facet counts.")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def search_command(
    app: App,
    query: str,
    case_name: str | None,
    kinds: tuple[str, ...],
    sources: tuple[str, ...],
    grades: tuple[str, ...],
    parties: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    semantic: bool,
    every_match: bool,
    offset: int,
    limit: int,
    show_facets: bool,
    as_json: bool,
) -> None:
    """Find items and claims: words (all must match), word* (prefix), "a phrase", -word
    (exclude), a OR b. Without QUERY, list what the filters let through."""
    result = service.search(
        app,
        query,
        case=case_name,
        kinds=kinds,
        sources=sources,
        grades=grades,
        parties=parties,
        date_from=date_from,
        date_to=date_to,
        semantic=semantic,
        offset=offset,
        limit=limit,
        every_match=every_match,
    )
    if as_json:
        echo_json(result.to_dict())
        return
    for hit in result.hits:
        where = f"{hit.type} {hit.id}"
        details = "  ".join(
            safe(part)
            for part in (hit.case, hit.kind, hit.date or "", hit.grade or "", hit.party or "")
            if part
        )
        echo(f"{where}\t{hit.score:.3f}\t{safe(hit.title)}\t{details}")
        if hit.snippet:
            echo(f"    {safe(hit.marked())}")
    shown = f"{offset + 1}–{offset + len(result.hits)} of " if result.hits else ""
    if result.total_exact:
        echo(f"{shown}{result.total} found")
    else:
        echo(
            f"{shown}more than {result.total} found: the best of the {result.total} newest"
            " (narrow the query, or --every-match to rank them all)"
            if query
            else f"{shown}more than {result.total} found (the first {result.total} listed)"
        )
    if show_facets:
        if not result.facets_exact:
            echo(f"facets of the window of {result.window} matches, not of every match:")
        for name, counts in result.facets.items():
            listed = ", ".join(f"{safe(str(c.value or '(none)'))} {c.count}" for c in counts)
            echo(f"{name}: {listed or '-'}")


@click.command("reindex")
@click.option(
    "--embeddings",
    is_flag=True,
    help="Also give every claim and text a vector, for semantic search.",
)
@pass_app
def reindex_command(app: App, embeddings: bool) -> None:
    """Make the search index again from the catalogue (nothing of the evidence changes)."""
    done = service.reindex(app, BarProgress(), embeddings=embeddings)
    extra = f", {done.embedded} vector(s) of claims and texts made" if embeddings else ""
    echo(f"{done.documents} document(s) indexed{extra}")


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    main.add_command(search_command)
    main.add_command(reindex_command)


__all__ = ["register"]
