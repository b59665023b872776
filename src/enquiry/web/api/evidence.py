"""Evidence routes: cases, items (list, show, original, derive, upload) and custody logs."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field, ValidationError

from enquiry.app import content, evidence, samples
from enquiry.errors import Refused
from enquiry.web import problems, served, uploads
from enquiry.web.api.common import PROBLEMS, Limit, Offset, Reveal, User
from enquiry.web.api.models import (
    CaseCustodyCheckOut,
    CaseOut,
    CustodyLineOut,
    DerivedOut,
    EventOut,
    FindingOut,
    ItemOut,
    ItemPageOut,
    ItemRowOut,
    PreviewOut,
    SampleCustodyOut,
    UploadedFileOut,
    UploadOut,
)

router = APIRouter(tags=["evidence"], responses=PROBLEMS)


@router.get("/cases", response_model=list[CaseOut])
def list_cases(app: User) -> list[CaseOut]:
    """The cases you hold a role on, with the number of items you may see in each."""
    return [CaseOut(**vars(c)) for c in evidence.list_cases(app)]


@router.get("/cases/{case:segment}/items", response_model=ItemPageOut)
def list_items(
    app: User,
    case: str,
    kind: Annotated[str | None, Query(max_length=80)] = None,
    source: Annotated[str | None, Query(max_length=500, description="A source's name")] = None,
    protected: bool | None = None,
    date_from: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=40)] = None,
    after: Annotated[
        int | None, Query(ge=0, description="The last item id of the page before")
    ] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> ItemPageOut:
    """A page of the case's items, oldest first; a protected item's title is withheld.
    ``after`` pages by the last id shown (fast however deep); ``from``/``to`` filter by the
    date the item speaks of."""
    page = evidence.list_items(
        app,
        case=case,
        kind=kind,
        source=source,
        protected=protected,
        date_from=date_from,
        date_to=date_to,
        after=after,
        offset=offset,
        limit=limit,
    )
    return ItemPageOut(
        items=[ItemRowOut(**vars(row)) for row in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        total_exact=page.total_exact,
    )


_Form = TypeVar("_Form", bound=BaseModel)


class _UploadForm(BaseModel):
    """The fields of an upload besides its files."""

    kind: str | None = Field(None, max_length=80)
    source: str | None = Field(None, max_length=500)
    protected: bool = False


class _DeriveForm(BaseModel):
    """The fields of a derivative besides its file."""

    how: str = Field(min_length=1, max_length=2000, description="What was done")
    tool: str | None = Field(None, max_length=500)
    kind: str | None = Field(None, max_length=80)


def _fields(model: type[_Form], received: uploads.Received) -> _Form:
    """The form's fields checked as a route's parameters are (an empty one is left out, as
    FastAPI's form parameters take it): a wrong one is the same *400* naming it."""
    given = {name: received.value(name) for name in model.model_fields}
    try:
        return model.model_validate({k: v for k, v in given.items() if v})
    except ValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        ) from None


def _multipart(files: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """The request body's description for the API's schema: the body is read by the route
    itself (see :mod:`enquiry.web.uploads`), so FastAPI does not describe it."""
    schema = model.model_json_schema()
    schema["properties"] = {**files, **schema["properties"]}
    schema["required"] = [*files, *schema.get("required", [])]
    return {
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": schema}},
        }
    }


_FILE = {"type": "string", "contentMediaType": "application/octet-stream"}


@router.post(
    "/cases/{case:segment}/items",
    response_model=UploadOut,
    openapi_extra=_multipart(
        {
            "files": {
                "type": "array",
                "items": _FILE,
                "title": "Files",
                "description": "One or more files, any size",
            }
        },
        _UploadForm,
    ),
)
async def upload(request: Request, app: User, case: str) -> UploadOut:
    """Take files in as evidence of the case (investigators and owners): each is received
    into memory (into the vault's private temporary area if it is too large for memory; never
    as plaintext elsewhere on a disk), hashed and stored by the same intake as the command
    line, recorded as arriving from ``upload:<you>/<its name>``, and its receipt is a ledger
    event naming you. Fields: ``files`` (one or more), ``kind``, ``source``, ``protected``."""
    async with uploads.receive(app, request, "files") as received:
        form = _fields(_UploadForm, received)
        if not received.files:
            raise uploads.missing("files")
        taken = await uploads.take_in(
            app, case, received, kind=form.kind, source=form.source, protected=form.protected
        )
    return UploadOut(
        case=case,
        files=[
            UploadedFileOut(
                filename=f.name,
                status=f.status,
                item_id=f.item_id,
                sha256=f.sha256,
                kind=f.kind,
                problems=f.problems,
            )
            for f in taken.files
        ],
        stored=taken.stored,
        summary=taken.summary,
    )


@router.get("/items/{item:segment}", response_model=ItemOut)
def show_item(app: User, item: str, reveal: Reveal = False, text: bool = False) -> ItemOut:
    """One item: hashes, kind, fields, metadata, provenance, custody and media findings, and
    for an environmental sample its chain of custody checked hand-over by hand-over. A
    protected item's identifying values are withheld unless ``reveal``; every view of a
    protected item is a ledger event naming you."""
    view = evidence.show_item(app, item, with_text=text, reveal=reveal)
    findings = evidence.item_findings(app, item, reveal=reveal)
    data = asdict(view)
    data["custody"] = [CustodyLineOut(**vars(line)) for line in view.custody]
    data["findings"] = [FindingOut(**vars(f)) for f in findings]
    data["preview"] = _preview_of(app, view.id) if view.sha256 else None
    data["sample_custody"] = (
        None
        if view.sample_custody is None
        else [SampleCustodyOut(**f.to_dict()) for f in view.sample_custody]
    )
    return ItemOut(**data)


def _preview_of(app: User, item_id: int) -> PreviewOut:
    """What ``/items/{item}/preview`` would send, decided without reading it."""
    try:
        shown = content.preview(app, str(item_id))
    except Refused as exc:  # sealed: its content is destroyed
        return PreviewOut(item=item_id, shown_item=None, redacted=False, withheld=str(exc))
    return PreviewOut(
        item=item_id,
        shown_item=shown.shown_item_id,
        redacted=shown.redacted,
        media_type=shown.media_type or None,
        confirmed_by=shown.confirmed_by,
        confirmed_at=shown.confirmed_at,
        withheld=shown.reason,
    )


def _disposition(name: str) -> str:
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.get(
    "/items/{item:segment}/original",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The bytes"}},
)
def download(app: User, item: str, reveal: Reveal = False) -> StreamingResponse:
    """The item's original bytes, re-hashed before they are sent (corrupt bytes are refused);
    the download is a ledger event naming you. A protected original needs ``reveal``."""
    original = content.open_original(app, item, reveal=reveal)
    import base64
    import binascii

    digest = base64.b64encode(binascii.unhexlify(original.sha256)).decode("ascii")
    return StreamingResponse(
        original.chunks(),
        media_type=original.media_type or "application/octet-stream",
        headers={
            "Content-Length": str(original.size),
            "Content-Disposition": _disposition(original.filename),
            "Repr-Digest": f"sha-256=:{digest}:",
            # evidence, not this server's page: never run as one, even if opened in place
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )


@router.get(
    "/items/{item:segment}/preview",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "The bytes shown"},
        206: {"description": "The part asked for with Range (one byte range)"},
        416: {"description": "The range asked for lies beyond the end"},
    },
)
def preview(request: Request, app: User, item: str) -> Response:
    """What a preview may show you of the item, never revealing: the item's bytes, or for a
    protected or sensitive photo or video its newest confirmed redaction in its place
    (``X-Enquiry-Item`` names the item sent, ``X-Enquiry-Redacted`` says it is one; the item's
    ``preview`` says who confirmed it), else 409. One byte range may be asked for (``Range``);
    each answer is an ``accessed`` event naming you. The original needs ``/original``."""
    try:
        shown = content.viewable(app, item, via="api preview", part=served.asked_part(request))
    except content.Unsatisfiable as exc:
        answer = problems.problem(416, "Range Not Satisfiable", str(exc), instance=request.url.path)
        answer.headers.update(served.unsatisfiable(exc.size))
        return answer
    return served.send(shown)


@router.post(
    "/items/{item:segment}/derivatives",
    response_model=DerivedOut,
    status_code=201,
    openapi_extra=_multipart(
        {
            "file": {
                **_FILE,
                "title": "File",
                "description": "The derivative (working copy, translation)",
            }
        },
        _DeriveForm,
    ),
)
async def derive(request: Request, app: User, item: str) -> DerivedOut:
    """Register a file made from the item (a working copy, a still, a translation) as an item
    of its own, linked to it with how it was made; what comes from a protected item is
    protected too. Fields: ``file``, ``how`` (what was done), ``tool``, ``kind``."""
    async with uploads.receive(app, request, "file") as received:
        if not received.files:
            raise uploads.missing("file")
        form = _fields(_DeriveForm, received)
        derived = await uploads.derive_from(
            app, item, received, how=form.how, tool=form.tool, kind=form.kind
        )
    return DerivedOut(
        item_id=derived.item_id,
        derived_from=derived.derived_from,
        how=derived.how,
        problems=derived.problems,
    )


@router.get("/items/{item:segment}/custody", response_model=list[EventOut])
def item_custody(app: User, item: str, reveal: Reveal = False) -> list[EventOut]:
    """The item's custody log, oldest first: every receipt, copy, view and change."""
    return [EventOut(**e.to_dict()) for e in evidence.read_log(app, item=item, reveal=reveal)]


@router.get("/cases/{case:segment}/custody-check", response_model=CaseCustodyCheckOut)
def case_custody_check(app: User, case: str) -> CaseCustodyCheckOut:
    """Every environmental sample of the case checked hand-over by hand-over (gaps, order,
    seals, the laboratory at the end), the same check as ``enquiry case custody-check``; a
    protected sample's findings quote nothing of its withheld fields."""
    return CaseCustodyCheckOut(**samples.check_case(app, case).to_dict())


@router.get("/cases/{case:segment}/custody", response_model=list[EventOut])
def case_custody(
    app: User,
    case: str,
    limit: Annotated[int, Query(ge=0, le=100_000, description="The newest N (0: all)")] = 1000,
    reveal: Reveal = False,
    actor: Annotated[
        str | None, Query(max_length=200, description="Only the events under this name")
    ] = None,
    identified_by: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Only the events whose actor was established as this begins"
            " ('API token enq_AbCdEf', 'web session …', 'command line')",
        ),
    ] = None,
) -> list[EventOut]:
    """The case's custody and audit log, oldest first (the newest ``limit`` events)."""
    events = evidence.read_log(
        app,
        case=case,
        limit=limit,
        reveal=reveal,
        actor=actor,
        identified_by=identified_by,
    )
    return [EventOut(**e.to_dict()) for e in events]
