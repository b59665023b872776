"""The pages of one case's evidence: the dashboard, the evidence list with search and upload,
an item with its preview and custody, and the item's bytes for that preview.

Each route calls the core as the signed-in user; what the user may not see is refused there
and shown as the error page (a case or item of another case is *not found*, like a missing
one).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from enquiry.app import Enquiry, evidence, media, overview
from enquiry.app.access import Right, may, may_reveal
from enquiry.app.content import Shown, Unsatisfiable, preview, viewable
from enquiry.errors import BadRequest, EnquiryError, Refused, Unauthorized
from enquiry.web import served
from enquiry.web.auth import LoginRequired, _from_session, page_user, server_of
from enquiry.web.pages import render
from enquiry.web.uploads import receive, take_in

router = APIRouter(include_in_schema=False)
PageUser = Annotated[Enquiry, Depends(page_user)]

PAGE = 25


def case_rights(app: Enquiry, case: str) -> dict[str, bool]:
    """What the page may offer the user (the core still decides each request)."""
    from enquiry.app.access import require_case

    found = require_case(app, case)
    return {
        "add": may(app, found.id, Right.ADD_EVIDENCE),
        "analyse": may(app, found.id, Right.ANALYSE),
        "review": may(app, found.id, Right.REVIEW),
        "manage": may(app, found.id, Right.MANAGE),
        "reveal": may_reveal(app, found.id),
    }


@router.get("/cases/{case:segment}", response_class=HTMLResponse)
def dashboard(request: Request, app: PageUser, case: str) -> Response:
    """The case at a glance: counts by kind, incidents, latest activity, the ledger check."""
    seen = overview.overview(app, case)
    return render(
        request, "dashboard.html", case=seen.case, seen=seen, rights=case_rights(app, case)
    )


def _page_links(request: Request, total: int, offset: int, limit: int) -> dict[str, str | None]:
    def at(start: int) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
        return "?" + urlencode([*params, ("offset", str(start))])

    return {
        "previous": at(max(0, offset - limit)) if offset > 0 else None,
        "next": at(offset + limit) if offset + limit < total else None,
    }


@router.get("/cases/{case:segment}/items", response_class=HTMLResponse)
def items_page(
    request: Request,
    app: PageUser,
    case: str,
    q: Annotated[str, Query(max_length=500)] = "",
    kind: Annotated[list[str] | None, Query(max_length=100)] = None,
    source: Annotated[list[str] | None, Query(max_length=300)] = None,
    grade: Annotated[list[str] | None, Query(max_length=10)] = None,
    party: Annotated[list[str] | None, Query(max_length=300)] = None,
    date_from: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=40)] = None,
    semantic: bool = False,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    """The evidence list: every item and claim matching the search and the chosen facets, a
    page at a time; the upload form for those who may add evidence."""
    from enquiry.app.search import search

    found = search(
        app,
        q,
        case=case,
        kinds=kind or (),
        sources=source or (),
        grades=grade or (),
        parties=party or (),
        date_from=date_from or None,
        date_to=date_to or None,
        semantic=semantic,
        offset=offset,
        limit=PAGE,
    )
    chosen = {
        "kind": set(kind or ()),
        "source": set(source or ()),
        "grade": set(grade or ()),
        "party": set(party or ()),
    }
    return render(
        request,
        "items.html",
        case=case,
        rights=case_rights(app, case),
        result=found,
        q=q,
        chosen=chosen,
        date_from=date_from or "",
        date_to=date_to or "",
        semantic=semantic,
        pages=_page_links(request, found.total, offset, PAGE),
        upload_max=request.app.state.upload_max,
    )


@router.post("/cases/{case:segment}/upload", response_class=HTMLResponse)
async def upload(request: Request, case: str) -> Response:
    """Take the posted files in as evidence of the case, received the same way as the API's
    uploads (:mod:`enquiry.web.uploads`): each file into memory (into the vault's private
    temporary area if it is too large for memory), one intake, then removed; the vault keeps
    the bytes. The form is read here, not by a dependency, so that no form parser spools its
    files to disk; its CSRF field is checked before anything is taken in."""
    base = server_of(request).base
    async with receive(base, request, "files") as received:
        try:
            app = _from_session(request, base, form_csrf=received.value("csrf"))
        except Unauthorized:
            raise LoginRequired() from None
        wants_json = "application/json" in request.headers.get("accept", "")
        if not received.files:
            raise BadRequest("upload: choose one or more files to add")
        kind = (received.value("kind") or "").strip()
        taken = await take_in(app, case, received, kind=kind or None)
    results = [
        {"name": f.name, "status": f.status, "item": f.item_id, "problems": f.problems}
        for f in taken.files
    ]
    if wants_json:
        return JSONResponse({"summary": taken.summary, "results": results})
    return render(request, "uploaded.html", case=case, summary=taken.summary, results=results)


@router.get("/items/{ref:segment}", response_class=HTMLResponse)
def item_page(request: Request, app: PageUser, ref: str) -> Response:
    """One item: its preview, metadata, media findings, near-duplicates and custody."""
    item = evidence.show_item(app, ref)
    facts = media.item_media(app, str(item.id))
    # what the preview may show is the core's decision (a confirmed redaction in place of a
    # protected or sensitive picture, or nothing): the page offers only that, labelled
    shown = Shown(item.id, None, False, None)
    if item.sha256:
        try:
            shown = preview(app, str(item.id))
        except Refused as exc:  # a sealed item: its content is destroyed
            shown = Shown(item.id, None, False, str(exc), sealed=True)
    guarded = item.protected or shown.shown_item_id != item.id
    kind = None
    if shown.shown_item_id is not None:
        kind = _preview_kind(shown.media_type, guarded)
    text = None
    if not guarded and kind in (None, "text", "pdf"):
        # what the intake read from it (reading it is recorded as an access)
        try:
            text = evidence.show_item(app, str(item.id), with_text=True).text
        except EnquiryError:
            text = None
    rights = case_rights(app, item.case)
    return render(
        request,
        "item.html",
        case=item.case,
        item=item,
        facts=facts,
        text=_joined_text(text),
        preview=kind,
        guarded=guarded,
        shown=shown,
        withheld=shown.reason,
        # the original of a guarded item is only revealed, by one with the right, as a
        # recorded download (the API's ``reveal``); a seal leaves nothing to reveal
        reveal=rights["reveal"] and guarded and bool(item.sha256) and not shown.sealed,
        rights=rights,
    )


def _preview_kind(media_type: str, guarded: bool) -> str | None:
    """How the page shows the bytes the core chose: an item guarded by protection or by its
    family is shown only as a (confirmed, redacted) photo or video."""
    kinds = [("image/", "image"), ("video/", "video")]
    if not guarded:
        kinds += [("audio/", "audio"), ("application/pdf", "pdf"), ("text/plain", "text")]
    for prefix, how in kinds:
        if media_type.startswith(prefix):
            return how
    return None


def _joined_text(texts: dict[str, str] | None) -> str | None:
    if not texts:
        return None
    best = max(texts.values(), key=len)
    return best[:20_000]


@router.get("/items/{ref:segment}/content")
def item_content(request: Request, app: PageUser, ref: str) -> Response:
    """The bytes behind an item's preview, through the core: checked against their hash,
    allowed for this user, and recorded in the ledger as an access — each part a player asks
    for (``Range``) too."""
    try:
        shown = viewable(app, ref, part=served.asked_part(request))
    except Unsatisfiable as exc:
        return Response(status_code=416, headers=served.unsatisfiable(exc.size))
    return served.send(shown)


@router.head("/items/{ref:segment}/content")
def item_content_head(app: PageUser, ref: str) -> Response:
    """What a ``GET`` would send, said without sending it: the same checks and refusals, the
    same headers, no bytes read and so nothing recorded."""
    shown = preview(app, ref)
    if shown.shown_item_id is None:
        raise Refused(str(shown.reason))
    return served.head(shown)
