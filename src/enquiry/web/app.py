"""The application factory: one FastAPI app over one home, its routes and its error mapping."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from enquiry import __version__
from enquiry.app import Enquiry
from enquiry.app.accounts import THROTTLE_FILE, LoginThrottle, SharedFailures, prepare_sign_in
from enquiry.app.context import VIA_SERVER
from enquiry.errors import EnquiryError
from enquiry.web import problems
from enquiry.web.auth import SAFE_METHODS, LoginRequired, Server, require_sender
from enquiry.web.limits import HEADER_MAX, UPLOAD_MAX, BodyLimits
from enquiry.web.paths import PathSegments

# What a page may load: only this server's own files; no inline script, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
        "style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}

DESCRIPTION = """The enquiry REST API: cases, evidence items and their custody, claims,
hypotheses and ratings, analysis, reports and search, over the same application core as the
command line. Authenticate with `Authorization: Bearer TOKEN` (`enquiry tokens create NAME`).
Every read of a protected item and every download or export is a ledger event naming the user.
Errors are RFC 9457 problem documents; something you may not see is 404, never 403."""


DEFAULT_THREADS = 6


def create_app(
    home: str | Path | None = None,
    *,
    actor: str = "server",
    secure_cookies: bool = True,
    threads: int = DEFAULT_THREADS,
    upload_max: int = UPLOAD_MAX,
    header_max: int = HEADER_MAX,
) -> FastAPI:
    """The web app and API over ``home`` (opened once, migrated if needed).

    ``threads`` bounds the threads that run requests' work at once. The work is Python holding
    the interpreter lock most of the time, so a few threads answer more requests, and sooner,
    than the usual forty contending for it (measured: docs/benchmarks.md). ``upload_max`` bounds
    the body of one upload and ``header_max`` a request's head, in bytes
    (:mod:`enquiry.web.limits`)."""
    base = Enquiry.at(home, actor, via=VIA_SERVER)
    base.store()  # opened (and migrated) once, before the first request
    prepare_sign_in()  # the first sign-in with an unknown name takes as long as any other

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = max(1, threads)
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="enquiry",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,  # Swagger UI would load its script from a CDN; /openapi.json documents the API
        redoc_url=None,
    )
    # Failed sign-ins are counted in a file beside the catalogue that every server process of
    # this home shares: '--workers N' gives a guesser no more tries than one process.
    throttle = LoginThrottle(shared=SharedFailures(base.home / THROTTLE_FILE))
    app.state.server = Server(base=base, throttle=throttle, secure_cookies=secure_cookies)
    app.state.upload_max = upload_max  # the upload form's script says so before sending more
    app.add_exception_handler(EnquiryError, _error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(Exception, _unexpected)

    @app.middleware("http")
    async def files_only_from_senders(request: Request, call_next):  # type: ignore[no-untyped-def]
        # Added before the headers' middleware, so that its refusals carry the headers too.
        kind = request.headers.get("content-type", "").lower()
        if request.method not in SAFE_METHODS and kind.startswith("multipart/"):
            try:
                require_sender(request)
            except LoginRequired as exc:
                return await _login_required(request, exc)
            except EnquiryError as exc:
                return await _error(request, exc)
        return await call_next(request)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    # A body is bounded before any route, parser or check reads it.
    app.add_middleware(
        BodyLimits, headers=SECURITY_HEADERS, upload_max=upload_max, header_max=header_max
    )
    # Outermost: the path every other part sees keeps a name's quoted '/' in its segment.
    app.add_middleware(PathSegments)

    from enquiry.web import analysis_pages, api, case_pages, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(case_pages.router)
    app.include_router(analysis_pages.router)
    app.mount("/static", StaticFiles(directory=str(pages.HERE / "static")), name="static")
    return app


ENV_HOME = "ENQUIRY_SERVE_HOME"
ENV_ACTOR = "ENQUIRY_SERVE_ACTOR"
ENV_INSECURE = "ENQUIRY_SERVE_INSECURE_COOKIES"
ENV_THREADS = "ENQUIRY_SERVE_THREADS"
ENV_UPLOAD_MAX = "ENQUIRY_SERVE_UPLOAD_MAX"
ENV_HEADER_MAX = "ENQUIRY_SERVE_HEADER_MAX"


def from_environment() -> FastAPI:
    """The app for a server worker process, which uvicorn starts by name: the home, the
    server's ledger name, the cookie setting and the bounds come from the environment
    ``enquiry serve`` set before starting its workers."""
    import os

    return create_app(
        os.environ[ENV_HOME],
        actor=os.environ.get(ENV_ACTOR, "server"),
        secure_cookies=not os.environ.get(ENV_INSECURE),
        threads=int(os.environ.get(ENV_THREADS) or DEFAULT_THREADS),
        upload_max=int(os.environ.get(ENV_UPLOAD_MAX) or UPLOAD_MAX),
        header_max=int(os.environ.get(ENV_HEADER_MAX) or HEADER_MAX),
    )


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _error(request: Request, exc: Exception) -> Response:
    if _is_api(request):
        return await problems.enquiry_error(request, exc)
    from enquiry.web.pages import error_page

    return error_page(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    if _is_api(request):
        return await problems.http_error(request, exc)
    from enquiry.web.pages import error_page

    return error_page(request, exc)


async def _validation_error(request: Request, exc: Exception) -> Response:
    """A wrong parameter: a problem document for the API, the error page for a page."""
    if _is_api(request):
        return await problems.validation_error(request, exc)
    from enquiry.errors import BadRequest
    from enquiry.web.pages import error_page

    assert isinstance(exc, RequestValidationError)
    return error_page(request, BadRequest(problems.validation_detail(exc)))


async def _unexpected(request: Request, exc: Exception) -> Response:
    """A fault of the server itself: one line, never the traceback, a path or a query (the
    server's log keeps those), with the same security headers as every other answer — this
    answer is written outside the middleware that adds them."""
    if _is_api(request):
        response: Response = problems.problem(
            500,
            "Internal Server Error",
            "the server failed (see its log)",
            instance=request.url.path,
        )
    else:
        from enquiry.web.pages import error_page

        response = error_page(request, exc)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def _login_required(request: Request, exc: Exception) -> Response:
    if _is_api(request):
        return await problems.enquiry_error(request, _unauthorized())
    # the address as the browser sent it, names quoted (the path seen here is unquoted)
    raw = request.scope.get("raw_path")
    path = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else request.url.path
    target = path + (f"?{request.url.query}" if request.url.query else "")
    from urllib.parse import quote

    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def _unauthorized() -> EnquiryError:
    from enquiry.errors import Unauthorized

    return Unauthorized("credentials required: send 'Authorization: Bearer TOKEN'")
