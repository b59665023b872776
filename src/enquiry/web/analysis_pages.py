"""The pages of a case's analysis: claims by party on a timeline, the hypotheses × evidence
matrix where analysts rate, the analysis, the map, and the report.

The analysis shown is the incident's latest stored finding when it was computed from exactly
the current inputs, else it is run now (see :func:`enquiry.app.matrix.current_analysis`): a view
does not re-hash the case's originals when nothing changed, and a rating saved a moment ago
changes the inputs, so its posterior shows at once. The matrix,
the claims' flags and "what would change the conclusion" all read the same result object the
report is written from, through the report's own helpers.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from enquiry.app import Enquiry, claims, exports, publishing, review
from enquiry.app.matrix import current_analysis
from enquiry.model.grades import RATINGS
from enquiry.publish.report import (
    RATING_WORDS,
    against_leader,
    matrix_rows,
    milestone_text,
    timelines,
)
from enquiry.web.auth import form_user, page_user
from enquiry.web.case_pages import case_rights
from enquiry.web.pages import render
from enquiry.web.paths import segment

router = APIRouter(include_in_schema=False)
PageUser = Annotated[Enquiry, Depends(page_user)]
FormUser = Annotated[Enquiry, Depends(form_user)]


@router.get("/cases/{case:segment}/claims", response_class=HTMLResponse)
def claims_page(request: Request, app: PageUser, case: str) -> Response:
    """Each party's claims in date order with the flags the engine raised on its line, per
    incident; then every claim of the case by speaker."""
    from enquiry.app.overview import overview

    seen = overview(app, case, activity=0)
    lines = []
    for incident in seen.incidents:
        analysis = current_analysis(app, incident.slug).analysis
        lines.append({"incident": incident, "timelines": timelines(analysis)})
    by_party: dict[str, list[Any]] = {}
    for claim in claims.list_claims(app, case):
        by_party.setdefault(claim.actor or "unattributed", []).append(claim)
    return render(
        request,
        "claims.html",
        case=seen.case,
        rights=case_rights(app, case),
        lines=lines,
        by_party=sorted(by_party.items()),
    )


def _analysis_context(app: Enquiry, incident: str) -> dict[str, Any]:
    shown = current_analysis(app, incident)
    analysis = shown.analysis
    rows = matrix_rows(analysis)
    return {
        "shown": shown,
        "analysis": analysis,
        "result": analysis.result,
        "against": against_leader(analysis, rows),
        "milestones": [milestone_text(m) for m in analysis.result.milestones],
        "posteriors": {h.id: h for h in analysis.result.hypotheses},
    }


@router.get("/incidents/{incident:segment}/analysis", response_class=HTMLResponse)
def analysis_page(request: Request, app: PageUser, incident: str, saved: str = "") -> Response:
    """The posterior of each hypothesis with its bounds, the sensitivity, the evidence against
    the leader and what would change the conclusion; the shown finding's comments and
    sign-offs, with the forms to add one for those who may."""
    context = _analysis_context(app, incident)
    case = context["analysis"].context.case
    finding_id = context["shown"].finding_id
    remarks = (
        review.list_comments(app, incident, f"finding:{finding_id}")
        if finding_id is not None
        else []
    )
    return render(
        request,
        "analysis.html",
        case=case,
        incident=incident,
        rights=case_rights(app, case),
        remarks=remarks,
        saved=saved if saved in ("comment", "sign-off") else "",
        **context,
    )


def _back_to_analysis(incident: str, saved: str) -> Response:
    return RedirectResponse(
        f"/incidents/{segment(incident)}/analysis?saved={saved}#h-review", status_code=303
    )


@router.post("/incidents/{incident:segment}/findings/{finding}/comment")
def comment_on_finding(
    app: FormUser,
    incident: str,
    finding: int,
    body: Annotated[str, Form(max_length=review.LONGEST)],
) -> Response:
    """Comment on the finding shown, as the signed-in analyst or reviewer (a ``commented``
    event naming them; the core refuses anyone else); back to the analysis page."""
    review.comment(app, incident, f"finding:{finding}", body)
    return _back_to_analysis(incident, "comment")


@router.post("/incidents/{incident:segment}/findings/{finding}/sign-off")
def sign_off_finding(
    app: FormUser,
    incident: str,
    finding: int,
    statement: Annotated[str, Form(max_length=review.LONGEST)],
) -> Response:
    """A reviewer signs off the finding shown with a statement; the core refuses a finding that
    is no longer the latest (the matrix changed since the page was drawn) and anyone but a
    reviewer. Back to the analysis page."""
    review.sign_off(app, incident, finding, statement)
    return _back_to_analysis(incident, "sign-off")


@router.get("/incidents/{incident:segment}/matrix", response_class=HTMLResponse)
def matrix_page(request: Request, app: PageUser, incident: str, saved: str = "") -> Response:
    """Hypotheses × evidence: each cell's counting rating, every analyst's latest with their
    rationale and whether they disagree; a form to rate a cell for those who may analyse."""
    from enquiry.app.matrix import matrix

    view = matrix(app, incident)
    context = _analysis_context(app, incident)
    return render(
        request,
        "matrix.html",
        case=view.case,
        incident=incident,
        view=view,
        rights=case_rights(app, view.case),
        ratings=[(code, RATING_WORDS[code]) for code in RATINGS],
        saved=saved,
        **context,
    )


@router.post("/incidents/{incident:segment}/rate")
def rate_cell(
    request: Request,
    app: FormUser,
    incident: str,
    hypothesis: Annotated[str, Form(max_length=40)],
    target: Annotated[str, Form(pattern="^(item|claim):[0-9]+$")],
    rating: Annotated[str, Form(max_length=4)],
    rationale: Annotated[str, Form(max_length=4000)],
) -> Response:
    """Rate one cell with a rationale, as the signed-in analyst (a ledger event naming them);
    back to the matrix, whose posterior now counts the new rating."""
    from enquiry.app.matrix import rate

    what, _, number = target.partition(":")
    rated = rate(
        app,
        incident,
        hypothesis,
        item=number if what == "item" else None,
        claim=number if what == "claim" else None,
        rating=rating,
        rationale=rationale,
    )
    anchor = f"row-{what}-{number}"
    return RedirectResponse(
        f"/incidents/{segment(incident)}/matrix?saved={rated.rating_id}#{anchor}",
        status_code=303,
    )


@router.get("/cases/{case:segment}/map", response_class=HTMLResponse)
def map_page(request: Request, app: PageUser, case: str) -> Response:
    """Items, claims and incidents with a place, on an offline map of country outlines; the
    same features listed as a table for keyboards and screen readers."""
    features = exports.map_features(app, case)
    return render(
        request,
        "map.html",
        case=case,
        rights=case_rights(app, case),
        features=features["features"],
    )


@router.get("/cases/{case:segment}/map.geojson")
def map_data(app: PageUser, case: str) -> Response:
    """The map's features as GeoJSON (what the map page's script draws)."""
    return JSONResponse(exports.map_features(app, case), media_type="application/geo+json")


@router.get("/incidents/{incident:segment}/report")
def report_download(app: PageUser, incident: str) -> Response:
    """The incident's HTML report, written by the core (verified first, protected identities
    withheld, the export and its SHA-256 in the ledger) and handed over as a download."""
    folder = Path(tempfile.mkdtemp(prefix=".report-", dir=app.store(create=False).home))
    try:
        # written under a fixed name: the slug is any text ('a/b', '..'), never part of a path
        published = publishing.report(app, incident, folder / "report.html", inside_home=True)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    written = published.files[0]
    return FileResponse(
        written.path,
        media_type="text/html; charset=utf-8",
        filename=_download_name(incident),
        headers={"X-Enquiry-SHA256": written.sha256},
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


def _download_name(incident: str) -> str:
    """The report's file name as the browser is offered it: the slug with no folder in it."""
    plain = "".join("_" if c in "/\\" or not c.isprintable() else c for c in incident)
    return f"{plain.strip('. ') or 'report'}.html"
