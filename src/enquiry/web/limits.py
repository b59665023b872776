"""What a request's body may be, decided before it is read.

A route's parameters — a form's fields, an API call's JSON — are parsed from the body before
any check of who is asking runs, and the parsers hold what they read in memory: a form may
carry a thousand fields of a megabyte each, a JSON body has no bound at all. So anyone able to
reach the server, signed in or not, could make one process hold gigabytes with a single
request to the sign-in form or to any API route that takes a body. And a multipart body's
files would be received, whatever route it is sent to, before that route's checks run.

Every body is therefore bounded here, at the edge, as it streams in:

* a body with files (``multipart/form-data``) is received only by the routes that take evidence
  in (:func:`enquiry.web.auth.receives_files`; those refuse, unread, a sender who may not add
  evidence there); sent anywhere else it is *415* before a byte of it is read;
* every other body — a form, JSON — may be at most :data:`BODY_MAX` bytes, more than any
  field of this app allows: one declared longer is *413* before a byte of it is read, one that
  turns out longer (sent in chunks, or lying about its length) is *413* as soon as it has;
* a body with files may be at most ``upload_max`` bytes (:data:`UPLOAD_MAX` unless the server
  is told otherwise): one declared longer is *413* before a byte of it is read, one that turns
  out longer is *413* as soon as it has — before any of its files reaches the intake, so
  nothing of it is stored;
* such a small body must arrive within :data:`BODY_SECONDS`, and every piece of a file being
  uploaded within :data:`PIECE_SECONDS` of the one before, or the request is *408*: a client
  that trickles a body a byte at a time keeps no connection of the server for long.

A request's head — its line and headers — may be at most ``header_max`` bytes
(:data:`HEADER_MAX`), or it is *431*. The server stops reading a head at that size already
(:mod:`enquiry.web.serving`), but one that arrives whole in a single read can be longer; the
check here makes the bound exact, whatever server runs the app.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio

from enquiry.web.auth import receives_files

BODY_MAX = 1 << 20
"""The largest body without files, in bytes (the longest field of a form or a call is 20,000
characters: a few hundred kilobytes, however encoded)."""

BODY_SECONDS = 30.0
"""How long a body without files may take to arrive."""

PIECE_SECONDS = 120.0
"""How long an upload may pause between two pieces of its body."""

UPLOAD_MAX = 8 << 30
"""The largest body with files, in bytes, unless the server is told otherwise (``enquiry serve
--max-upload``): hours of video evidence in one request, yet a bound on what one request can
make the server write to disk before anyone looks at it."""

HEADER_MAX = 16 << 10
"""The longest request head (request line and headers), in bytes, unless the server is told
otherwise (``enquiry serve --max-header``): a session cookie, a bearer token and a browser's
usual headers take about 2 KiB."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _Refused(Exception):
    """The body broke a bound: the answer is ``status``, whatever the route was doing."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


TITLES = {
    408: "Request Timeout",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    431: "Request Header Fields Too Large",
}


def size_text(size: int) -> str:
    """A number of bytes as a person reads it: ``8 GiB``, ``1.5 MiB``, ``900 bytes``."""
    for shift, unit in ((40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")):
        if size >= 1 << shift:
            return f"{size / (1 << shift):.4g} {unit}"
    return f"{size} bytes"


def head_size(scope: Scope) -> int:
    """The size of a request's head as it came over the wire, near enough: its line (method,
    path, query, version) and every header with its separators."""
    path = scope.get("raw_path") or str(scope.get("path", "")).encode()
    line = len(scope.get("method", "")) + len(path) + 12
    line += len(scope.get("query_string") or b"") + 1
    return line + sum(len(name) + len(value) + 4 for name, value in scope.get("headers", []))


class BodyLimits:
    """The bounds above, as ASGI middleware around the whole app. ``headers`` are added to
    its own answers (the security headers every answer carries)."""

    def __init__(
        self,
        app: ASGIApp,
        headers: dict[str, str] | None = None,
        *,
        upload_max: int = UPLOAD_MAX,
        header_max: int = HEADER_MAX,
    ) -> None:
        self.app = app
        self.headers = dict(headers or {})
        self.upload_max = upload_max
        self.header_max = header_max

    async def _answer(self, scope: Scope, send: Send, status: int, detail: str) -> None:
        """A refusal: a problem document for the API and for a page's script that asks for
        JSON (the upload form's), a line of text otherwise (never a page a person is meant to
        land on: a form of this app breaks these bounds only with an upload too big)."""
        accept = b"".join(v for k, v in scope.get("headers", []) if k.lower() == b"accept")
        api = str(scope.get("path", "")).startswith("/api/") or b"application/json" in accept
        if api:
            body = json.dumps(
                {"type": "about:blank", "title": TITLES[status], "status": status, "detail": detail}
            ).encode()
            kind = "application/problem+json"
        else:
            body = f"{status} {TITLES[status]}: {detail}\n".encode()
            kind = "text/plain; charset=utf-8"
        headers = [
            (b"content-type", kind.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
            *[(k.lower().encode(), v.encode()) for k, v in self.headers.items()],
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if head_size(scope) > self.header_max:
            detail = f"a request's line and headers have at most {size_text(self.header_max)}"
            await self._answer(scope, send, 431, detail)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        kind = headers.get("content-type", "").strip().lower()
        files = kind.startswith("multipart/")
        if files and not receives_files(str(scope["path"])):
            await self._answer(scope, send, 415, "files are taken in by the upload routes only")
            return
        limit = self.upload_max if files else BODY_MAX
        too_long = (
            f"an upload has at most {size_text(limit)} in one request: send the files in several"
            if files
            else f"a body without files has at most {limit} bytes"
        )
        declared = headers.get("content-length", "")
        if declared.strip().isdigit() and int(declared) > limit:
            await self._answer(scope, send, 413, too_long)
            return
        await self._guarded(scope, receive, send, limit, files=files, too_long=too_long)

    async def _guarded(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        limit: int,
        *,
        files: bool,
        too_long: str,
    ) -> None:
        """Run the app with a ``receive`` that counts and times the body; if it breaks a bound,
        whatever the app makes of that is replaced by the refusal (unless it already began
        answering, when the answer is cut short)."""
        read = 0
        deadline = time.monotonic() + BODY_SECONDS
        broken: list[_Refused] = []
        started = False

        async def counted() -> Message:
            nonlocal read
            wait = PIECE_SECONDS if files else deadline - time.monotonic()
            try:
                with anyio.fail_after(max(wait, 0.0)):
                    message = await receive()
            except TimeoutError:
                broken.append(_Refused(408, "the body did not arrive in time"))
                raise broken[-1] from None
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                if read > limit:
                    broken.append(_Refused(413, too_long))
                    raise broken[-1]
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if broken:
                return  # the app's own answer to a broken body is replaced below
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except Exception:
            if not broken:
                raise
        if broken and not started:
            await self._answer(scope, send, broken[0].status, broken[0].detail)


__all__ = [
    "BODY_MAX",
    "BODY_SECONDS",
    "HEADER_MAX",
    "PIECE_SECONDS",
    "UPLOAD_MAX",
    "BodyLimits",
    "head_size",
    "size_text",
]
