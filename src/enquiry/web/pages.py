"""The server-rendered pages: sign-in, and the team's views of its cases.

Pages are plain HTML forms with a little script for enhancement; a form that changes anything
carries the session's CSRF token. Every page calls the same core services as the API.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from enquiry import __version__
from enquiry.app import Enquiry, evidence
from enquiry.app.accounts import authenticate_password, close_session, csrf_ok, open_session
from enquiry.errors import EnquiryError, Unauthorized
from enquiry.publish.bundle_check import prior_floor, share, span
from enquiry.web.auth import (
    Server,
    clear_session_cookie,
    form_user,
    page_user,
    server_of,
    session_cookie,
    set_session_cookie,
)
from enquiry.web.limits import size_text
from enquiry.web.paths import segment
from enquiry.web.problems import status_of

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals["version"] = __version__
# Probabilities are worded as the report words them (never 0% or 100%, no false precision).
templates.env.filters["share"] = share
templates.env.filters["prior_floor"] = prior_floor
templates.env.filters["span"] = span
# A case's or an incident's name in a link: one segment, '/' and all quoted (enquiry.web.paths);
# Jinja's own ``urlencode`` leaves '/' as it is, which would split the name in two.
templates.env.filters["segment"] = segment
templates.env.filters["size_text"] = size_text
router = APIRouter(include_in_schema=False)
PageUser = Annotated[Enquiry, Depends(page_user)]
FormUser = Annotated[Enquiry, Depends(form_user)]
# The sign-in form's own CSRF cookie; ``__Host-`` (whole site, this host only) where it can be
# Secure, so that a neighbouring subdomain cannot plant a token of its choosing.
LOGIN_COOKIE = "__Host-enquiry_login"
PLAIN_LOGIN_COOKIE = "enquiry_login"


def login_cookie_name(server: Server) -> str:
    """The sign-in form's cookie name on this server."""
    return LOGIN_COOKIE if server.secure_cookies else PLAIN_LOGIN_COOKIE


def _set_login_cookie(response: Response, server: Server, token: str) -> None:
    response.set_cookie(
        login_cookie_name(server),
        token,
        httponly=True,
        secure=server.secure_cookies,
        samesite="strict",
        path="/",
        max_age=3600,
    )


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page from its template, with the signed-in user and the CSRF token forms need."""
    context.setdefault("user", getattr(request.state, "user", None))
    context.setdefault("csrf", getattr(request.state, "csrf", ""))
    return templates.TemplateResponse(request, name, context, status_code=status)


def _safe_next(target: str | None) -> str:
    """Only a path on this server: never an open redirect to somewhere else."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", next=_safe_next(next), login_csrf=token)
    _set_login_cookie(response, server_of(request), token)
    return response


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Sign in: throttled per name and per address; one message for every failure.

    Each attempt is counted before the password is checked, so that guesses sent together
    cannot all slip under the limit. A success ends the session the browser held before (a
    shared computer's previous user, or a session someone managed to plant) and opens a new
    one."""
    server = server_of(request)
    client = request.client.host if request.client else "unknown"
    name_key, addr_key = f"name:{name.strip().lower()}", f"addr:{client}"
    if not csrf_ok(request.cookies.get(login_cookie_name(server), ""), csrf):
        return render(
            request,
            "login.html",
            400,
            next=_safe_next(next),
            login_csrf="",
            error="the sign-in form expired; load it again",
        )
    try:
        stamp = server.throttle.attempt(name_key, addr_key)
        principal = authenticate_password(server.base, name, password)
    except Unauthorized as exc:
        token = secrets.token_urlsafe(24)
        response = render(
            request, "login.html", 401, next=_safe_next(next), login_csrf=token, error=str(exc)
        )
        _set_login_cookie(response, server, token)
        return response
    server.throttle.forgive(stamp, addr_key)
    server.throttle.succeeded(name_key)
    previous = session_cookie(request)
    if previous:
        close_session(server.base, previous)
    signed = open_session(server.base, principal)
    redirect = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookie(redirect, signed, secure=server.secure_cookies)
    redirect.delete_cookie(
        login_cookie_name(server),
        path="/",
        secure=server.secure_cookies,
        httponly=True,
        samesite="strict",
    )
    return redirect


@router.post("/logout")
def logout(request: Request, app: FormUser) -> Response:
    """Sign out: the session ends on the server, not only in the browser. The header's form
    carries the session's CSRF token as a field, so the form's field is what is checked (a
    script may send ``X-CSRF-Token`` instead); without it the session would stay alive."""
    server = server_of(request)
    close_session(server.base, session_cookie(request))
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, secure=server.secure_cookies)
    return response


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, app: PageUser) -> Response:
    """The cases the user holds a role on."""
    return render(request, "cases.html", cases=evidence.list_cases(app))


def error_page(request: Request, exc: Exception) -> Response:
    """A refusal as a page: the core's one line and the matching status."""
    if isinstance(exc, EnquiryError):
        status, title = status_of(exc)
        detail = str(exc)
    elif isinstance(exc, StarletteHTTPException):
        status, title, detail = exc.status_code, "Error", str(exc.detail)
    else:
        status, title, detail = 500, "Error", "something went wrong"
    return render(request, "error.html", status, title=title, detail=detail, code=status)


def csrf_valid(request: Request, given: str | None) -> bool:
    """Whether a page form carries this session's CSRF token."""
    return csrf_ok(getattr(request.state, "csrf", ""), given)
