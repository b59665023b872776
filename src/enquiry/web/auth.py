"""Who is asking: a bearer token (the API) or a session cookie (the pages, and the pages'
scripts calling the API), turned into an :class:`~enquiry.app.Enquiry` acting for that user.

Only authentication happens here; what the user may do is decided by the core. A request
without valid credentials is refused with 401 and ``WWW-Authenticate: Bearer``; a cookie-borne
request that changes anything must carry the session's CSRF token (header ``X-CSRF-Token`` or
form field ``csrf``), and the cookie itself is ``HttpOnly``, ``Secure`` and ``SameSite=Strict``.

The cookies are named with the ``__Host-`` prefix: a browser then accepts them only from this
very host, over HTTPS, for the whole site — never set by a neighbouring subdomain, which could
otherwise plant its own session (signing a user in as someone else) or shadow the real one.
The prefix needs ``Secure``, so a server started with insecure cookies uses plain names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from fastapi import Request, Response

from enquiry.app import Enquiry
from enquiry.app.accounts import (
    LoginThrottle,
    SignedIn,
    authenticate_token,
    csrf_ok,
    session_principal,
)
from enquiry.errors import EnquiryError, Forbidden, Unauthorized

COOKIE = "__Host-enquiry_session"
PLAIN_COOKIE = "enquiry_session"  # the same, sent without Secure (--insecure-cookies)
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Server:
    """What every request shares: the home opened once (as the server), and the sign-in
    throttle; each request acts through ``base.acting_as(user)``."""

    base: Enquiry
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    secure_cookies: bool = True


def server_of(request: Request) -> Server:
    server: Server = request.app.state.server
    return server


class LoginRequired(Exception):
    """A page asked for without a live session: the pages answer with the sign-in form."""


def cookie_name(server: Server) -> str:
    """The session cookie's name on this server (``__Host-`` only where it can be Secure)."""
    return COOKIE if server.secure_cookies else PLAIN_COOKIE


def session_cookie(request: Request) -> str:
    """The session cookie the browser sent, or ``""``."""
    return request.cookies.get(cookie_name(server_of(request)), "")


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _from_session(request: Request, base: Enquiry, *, form_csrf: str | None = None) -> Enquiry:
    principal, csrf = session_principal(base, session_cookie(request))
    if request.method not in SAFE_METHODS:
        given = request.headers.get(CSRF_HEADER) or form_csrf
        if not csrf_ok(csrf, given):
            raise Forbidden("the request lacks this session's CSRF token; reload the page")
    app = base.acting_as(principal)
    request.state.csrf = csrf
    request.state.user = principal.name
    return app


async def api_user(request: Request) -> Enquiry:
    """The acting user of an API request: bearer token first, else the session cookie.

    Run on the event loop, not in the thread pool: it is one indexed lookup (well under a
    millisecond), and a second hop between threads per request cost more than the lookup."""
    base = server_of(request).base
    token = _bearer(request)
    if token is not None:
        return base.acting_as(authenticate_token(base, token))
    if session_cookie(request):
        return _from_session(request, base)
    raise Unauthorized("credentials required: send 'Authorization: Bearer TOKEN'")


async def page_user(request: Request) -> Enquiry:
    """The acting user of a page (GET): a live session, else the sign-in form (on the event
    loop, as :func:`api_user`)."""
    base = server_of(request).base
    try:
        return _from_session(request, base)
    except Unauthorized:
        raise LoginRequired() from None


async def form_user(request: Request) -> Enquiry:
    """The acting user of a form post: a live session and the form's CSRF field."""
    base = server_of(request).base
    form = await request.form()
    given = form.get("csrf")
    try:
        return _from_session(request, base, form_csrf=given if isinstance(given, str) else None)
    except Unauthorized:
        raise LoginRequired() from None


# The routes that receive files, and what the sender must be allowed to do there.
_SENDS_TO_CASE = (
    re.compile(r"^/cases/([^/]+)/upload/?$"),
    re.compile(r"^/api/v1/cases/([^/]+)/items/?$"),
)
_SENDS_TO_ITEM = re.compile(r"^/api/v1/items/([^/]+)/derivatives/?$")


def receives_files(path: str) -> bool:
    """Whether the route at ``path`` takes files in (a multipart body): the upload form, the
    API's upload and its derivatives. Files sent anywhere else are refused unread
    (:mod:`enquiry.web.limits`)."""
    return any(p.match(path) for p in _SENDS_TO_CASE) or bool(_SENDS_TO_ITEM.match(path))


def require_sender(request: Request) -> None:
    """Refuse a request that carries files (``multipart/form-data``) before its body is read,
    unless it comes from a signed-in user who may add evidence where it is sent.

    A multipart body is received — every file written to memory or to the vault's temporary
    area — before a route's own checks run (its fields, the form's CSRF field among them, are
    read from the body). Without this, anyone able to reach the server, signed in or not, could
    make it take in gigabytes before being told no. The CSRF field is still checked by the
    route, from the body."""
    base = server_of(request).base
    token = _bearer(request)
    if token is not None:
        app = base.acting_as(authenticate_token(base, token))
    elif session_cookie(request):
        principal, _csrf = session_principal(base, session_cookie(request))
        app = base.acting_as(principal)
    elif request.url.path.startswith("/api/"):
        raise Unauthorized("credentials required: send 'Authorization: Bearer TOKEN'")
    else:
        raise LoginRequired()
    from enquiry.app.access import Right, find_visible_item, require_case
    from enquiry.app.lookup import no_such_item

    path = request.url.path
    for pattern in _SENDS_TO_CASE:
        if found := pattern.match(path):
            require_case(app, unquote(found.group(1)), Right.ADD_EVIDENCE)
            return
    if found := _SENDS_TO_ITEM.match(path):
        ref = unquote(found.group(1))
        # Looked up among the items the user may know of, and refused with the very message a
        # missing item gets: an answer here must not tell an invisible item from none.
        try:
            with app.store(create=False).session() as session:
                find_visible_item(app, session, ref, Right.ADD_EVIDENCE)
        except Forbidden:
            raise
        except EnquiryError:
            raise no_such_item(ref) from None


def set_session_cookie(response: Response, signed: SignedIn, *, secure: bool) -> None:
    """Hand the browser its session cookie: not readable by scripts, never sent cross-site."""
    response.set_cookie(
        COOKIE if secure else PLAIN_COOKIE,
        signed.cookie,
        httponly=True,
        secure=secure,
        samesite="strict",
        path="/",
        max_age=12 * 3600,
    )


def clear_session_cookie(response: Response, *, secure: bool) -> None:
    response.delete_cookie(
        COOKIE if secure else PLAIN_COOKIE,
        path="/",
        secure=secure,
        httponly=True,
        samesite="strict",
    )
