"""Search route: full text (or meaning) over items and claims, with facets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from enquiry.app import search as searching
from enquiry.web.api.common import PROBLEMS, Offset, User
from enquiry.web.api.models import SearchOut

router = APIRouter(tags=["search"], responses=PROBLEMS)

Many = Annotated[list[str], Query(max_length=50)]


@router.get("/search", response_model=SearchOut)
def search(
    app: User,
    q: Annotated[
        str, Query(max_length=searching.MAX_QUERY, description="The query (see docs/search.md)")
    ] = "",
    case: Annotated[str | None, Query(max_length=500)] = None,
    kind: Many = [],  # noqa: B006 - FastAPI copies defaults per request
    source: Many = [],  # noqa: B006
    grade: Many = [],  # noqa: B006
    party: Many = [],  # noqa: B006
    date_from: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=40)] = None,
    semantic: bool = False,
    every_match: Annotated[
        bool,
        Query(
            description="Rank, count and facet every match instead of the window of the newest"
            " (exact; slow for broad queries on a large catalogue)"
        ),
    ] = False,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=searching.MAX_LIMIT)] = 20,
) -> SearchOut:
    """Items and claims matching ``q`` that you may know of, best first, a page at a time,
    with facet counts; filters repeat (``kind=photo&kind=video``)."""
    found = searching.search(
        app,
        q,
        case=case,
        kinds=kind,
        sources=source,
        grades=grade,
        parties=party,
        date_from=date_from,
        date_to=date_to,
        semantic=semantic,
        offset=offset,
        limit=limit,
        every_match=every_match,
    )
    return SearchOut(**found.to_dict())
