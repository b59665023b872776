"""Analysis routes: claims (list, by party, accept a suggestion as a rating), the analysis of
an incident, and its report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from enquiry.app import claims, publishing
from enquiry.web.api.common import PROBLEMS, Limit, Offset, Reveal, User
from enquiry.web.api.models import AcceptedOut, AcceptIn, AnalysisOut, ClaimOut, ClaimPageOut

router = APIRouter(tags=["analysis"], responses=PROBLEMS)

# A report is a self-contained page: its own inline styles and embedded pictures, nothing else.
REPORT_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"
)


@router.get("/cases/{case:segment}/claims", response_model=ClaimPageOut)
def list_claims(
    app: User,
    case: str,
    party: Annotated[
        str | None,
        Query(max_length=500, description="Only this party's claims (its actors and affiliates)"),
    ] = None,
    reveal: Reveal = False,
    offset: Offset = 0,
    limit: Limit = 100,
) -> ClaimPageOut:
    """The case's claims in date order (undated last), a page at a time; a protected item's
    words and speaker are withheld unless ``reveal``."""
    found = claims.list_claims(app, case, party, reveal=reveal)
    return ClaimPageOut(
        claims=[ClaimOut(**vars(c)) for c in found[offset : offset + limit]],
        total=len(found),
        offset=offset,
        limit=limit,
    )


@router.post("/claims/{claim:segment}/ratings", response_model=AcceptedOut, status_code=201)
def accept_suggestion(app: User, claim: int, body: AcceptIn) -> AcceptedOut:
    """Turn a claim's suggested stance toward a hypothesis into your rating (or rate it as
    given); the rating is a ledger event naming you. Analysts and owners only."""
    accepted = claims.accept(
        app, claim, body.hypothesis, rating=body.rating, rationale=body.rationale
    )
    return AcceptedOut(**vars(accepted))


@router.get("/incidents/{incident:segment}/analysis", response_model=AnalysisOut)
def analyse(app: User, incident: str) -> AnalysisOut:
    """Weigh the incident's hypotheses against its rated evidence, once the catalogue has been
    verified (409 when it fails); nothing is stored."""
    return AnalysisOut(**publishing.analyse(app, incident).to_dict())


@router.get(
    "/incidents/{incident:segment}/report",
    response_class=Response,
    responses={200: {"content": {"text/html": {}}, "description": "The report (HTML)"}},
)
def report(app: User, incident: str, reveal: Reveal = False) -> Response:
    """The incident's self-contained HTML report: the analysis is stored as a finding and the
    export, with its SHA-256, is a ledger event naming you."""
    published, body = publishing.report_document(app, incident, reveal=reveal)
    return Response(
        body,
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Security-Policy": REPORT_POLICY,
            "X-Report-SHA256": published.sha256,
            "X-Finding-Id": str(published.finding_id),
        },
    )
