"""Errors as HTTP: each domain error of :mod:`enquiry.errors` has one status, and the API
answers with an RFC 9457 problem document (``application/problem+json``).

The ``detail`` is the core's one line, which by construction never names a protected witness
and never tells a missing case from one the user may not see.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from enquiry.errors import (
    BadRequest,
    CatalogueError,
    Corrupt,
    EnquiryError,
    Forbidden,
    NotFound,
    Refused,
    Unauthorized,
    Unverified,
)

PROBLEM = "application/problem+json"

# Most specific first: Forbidden is a kind of Refused.
STATUS: list[tuple[type[EnquiryError], int, str]] = [
    (Unauthorized, 401, "Unauthorized"),
    (Forbidden, 403, "Forbidden"),
    (NotFound, 404, "Not Found"),
    (BadRequest, 400, "Bad Request"),
    (Unverified, 409, "Catalogue failed verification"),
    (Refused, 409, "Refused"),
    (Corrupt, 500, "Stored evidence is corrupt"),
    (CatalogueError, 503, "Catalogue unavailable"),
]


def status_of(error: EnquiryError) -> tuple[int, str]:
    """The HTTP status and title for a domain error."""
    for kind, status, title in STATUS:
        if isinstance(error, kind):
            return status, title
    return 422, "Unprocessable"


def problem(
    status: int, title: str, detail: str, *, instance: str = "", **extra: Any
) -> JSONResponse:
    """An RFC 9457 problem response; a 401 also names the scheme to use."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update(extra)
    headers = {"WWW-Authenticate": 'Bearer realm="enquiry"'} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


async def enquiry_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, EnquiryError)
    status, title = status_of(exc)
    extra: dict[str, Any] = {}
    if isinstance(exc, Unverified):
        extra["failures"] = len(exc.failures)
    return problem(status, title, str(exc), instance=request.url.path, **extra)


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else ""
    response = problem(exc.status_code, _title(exc.status_code), detail, instance=request.url.path)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


def validation_detail(exc: RequestValidationError) -> str:
    """The first few wrong parameters, each as where it is and what is wrong (never the value
    given, which may be long or not printable)."""
    lines = []
    for error in exc.errors()[:5]:
        where = ".".join(str(part) for part in error.get("loc", ()))
        lines.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(lines)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem(400, "Bad Request", validation_detail(exc), instance=request.url.path)


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"
