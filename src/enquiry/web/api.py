"""The REST API under ``/api/v1``: thin routes over the application core's services.

A route authenticates (``api_user``), calls one service with the user's Enquiry and returns
what it gives; the service decides access and writes the ledger. Models describe the JSON so
that ``/openapi.json`` documents it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from enquiry.app import Enquiry, evidence
from enquiry.web.auth import api_user

router = APIRouter(prefix="/api/v1", tags=["api"])
User = Annotated[Enquiry, Depends(api_user)]

PROBLEM_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"description": "Bad request (problem JSON)"},
    401: {"description": "No valid credentials (problem JSON, WWW-Authenticate: Bearer)"},
    404: {"description": "No such thing, or one you may not see (problem JSON)"},
}


class CaseOut(BaseModel):
    name: str
    created_at: str
    items: int


class ItemRowOut(BaseModel):
    id: int
    sha256: str | None
    kind: str
    size: int | None
    title: str
    source: str | None
    protected: bool
    case: str


class ItemPageOut(BaseModel):
    items: list[ItemRowOut]
    total: int
    offset: int
    limit: int


@router.get("/cases", response_model=list[CaseOut], responses=PROBLEM_RESPONSES)
def list_cases(app: User) -> list[CaseOut]:
    """The cases you hold a role on, with the number of items you may see in each."""
    return [CaseOut(**vars(c)) for c in evidence.list_cases(app)]


@router.get("/cases/{case}/items", response_model=ItemPageOut, responses=PROBLEM_RESPONSES)
def list_items(
    app: User,
    case: str,
    kind: str | None = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ItemPageOut:
    """A page of the case's items, oldest first; a protected item's title is withheld."""
    page = evidence.list_items(app, case=case, kind=kind, offset=offset, limit=limit)
    return ItemPageOut(
        items=[ItemRowOut(**vars(row)) for row in page.items],
        total=page.total,
        offset=page.offset,
        limit=page.limit,
    )
