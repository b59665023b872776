"""How the app is served: uvicorn over HTTP/1.1 (h11), with bounds of its own on what a client
may hold of the server, so that the server needs no proxy in front of it to stay up.

The app bounds what a request may carry (:mod:`enquiry.web.limits`: bodies, uploads' total,
heads). What a connection may hold is the server's to bound, before the app sees a request:

* **connections** — at most :attr:`Bounds.connections` open at once per server process
  (uvicorn's ``limit_concurrency``): a request arriving beyond that is answered *503* at once
  and its connection closed, instead of every client waiting on a process that has run out of
  file descriptors or memory;
* **idle connections** — one kept alive after an answer is closed after
  :attr:`Bounds.keep_alive` seconds without a new request (uvicorn's ``timeout_keep_alive``),
  and a request's line and headers must arrive whole within :data:`HEAD_SECONDS` of the
  connection opening or of the answer before (:class:`BoundedH11Protocol`), or the connection
  is closed (*408* if part of a head had come). Without this a connection that sends nothing,
  or a byte now and then, would hold its place under the cap for ever: a few hundred of them
  would shut everyone else out;
* **heads** — h11 buffers at most :attr:`Bounds.header_max` bytes of an unfinished request
  head (``h11_max_incomplete_event_size``) and answers *400* beyond; the app refuses a longer
  head that arrived whole in one read (*431*). The server always speaks h11, which has this
  bound, whatever else is installed (uvicorn's ``auto`` would prefer httptools).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from enquiry.web.limits import HEADER_MAX, UPLOAD_MAX

CONNECTIONS_MAX = 256
"""Connections one server process holds open at once (a browser opens about six per site: some
forty people at once per process), unless told otherwise (``enquiry serve --max-connections``)."""

KEEP_ALIVE_SECONDS = 5
"""How long an idle connection is kept open after an answer, for the browser's next request,
unless told otherwise (``enquiry serve --keep-alive``)."""

HEAD_SECONDS = 10.0
"""How long a request's line and headers may take to arrive, counted from the connection's
opening or the answer before (a browser sends them at once)."""

_LATE = b"408 Request Timeout: the request's line and headers did not arrive in time\n"
_TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_LATE), _LATE)
)


@dataclass(frozen=True)
class Bounds:
    """The bounds a server is started with (each described in the module's note)."""

    upload_max: int = UPLOAD_MAX
    header_max: int = HEADER_MAX
    connections: int = CONNECTIONS_MAX
    keep_alive: int = KEEP_ALIVE_SECONDS


def server_options(bounds: Bounds) -> dict[str, Any]:
    """uvicorn's settings for ``bounds`` (and the rest of how enquiry is served: no logging
    below warnings, no trust in a proxy's forwarded headers)."""
    return {
        "http": f"{__name__}:BoundedH11Protocol",
        "h11_max_incomplete_event_size": bounds.header_max,
        "limit_concurrency": bounds.connections,
        "timeout_keep_alive": bounds.keep_alive,
        "log_level": "warning",
        "proxy_headers": False,
    }


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with one more bound: a request's head must arrive whole within
    :data:`HEAD_SECONDS`, counted from the connection's opening or the end of the answer before
    (uvicorn's own keep-alive timer stops at the first byte of the next request, and a fresh
    connection has none at all)."""

    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._head_arrived()  # a whole head was read (or the connection failed)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_arrived()
        super().connection_lost(exc)

    def _await_head(self) -> None:
        self._head_arrived()
        self._head_timer = self.loop.call_later(HEAD_SECONDS, self._head_overdue)

    def _head_arrived(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_overdue(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        begun, _closed = self.conn.trailing_data
        if begun:
            self.transport.write(_TIMED_OUT)
        with contextlib.suppress(h11.LocalProtocolError):  # already closed on our side
            self.conn.send(h11.ConnectionClosed())
        self.transport.close()


def serve(
    home: Path,
    *,
    actor: str,
    host: str,
    port: int,
    workers: int = 1,
    threads: int,
    secure_cookies: bool = True,
    bounds: Bounds = Bounds(),
) -> None:
    """Serve the app over ``home`` until interrupted. With several ``workers`` each is a
    process of its own over the same catalogue, which uvicorn starts by name
    (:func:`enquiry.web.app.from_environment`, told everything through the environment)."""
    import uvicorn

    from enquiry.web.app import (
        ENV_ACTOR,
        ENV_HEADER_MAX,
        ENV_HOME,
        ENV_INSECURE,
        ENV_THREADS,
        ENV_UPLOAD_MAX,
        create_app,
    )

    options = server_options(bounds)
    if workers > 1:
        os.environ[ENV_HOME] = str(home)
        os.environ[ENV_ACTOR] = actor
        os.environ[ENV_INSECURE] = "" if secure_cookies else "1"
        os.environ[ENV_THREADS] = str(threads)
        os.environ[ENV_UPLOAD_MAX] = str(bounds.upload_max)
        os.environ[ENV_HEADER_MAX] = str(bounds.header_max)
        uvicorn.run(
            "enquiry.web.app:from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            **options,
        )
        return
    web = create_app(
        home,
        actor=actor,
        secure_cookies=secure_cookies,
        threads=threads,
        upload_max=bounds.upload_max,
        header_max=bounds.header_max,
    )
    uvicorn.run(web, host=host, port=port, **options)


__all__ = [
    "CONNECTIONS_MAX",
    "HEAD_SECONDS",
    "KEEP_ALIVE_SECONDS",
    "BoundedH11Protocol",
    "Bounds",
    "serve",
    "server_options",
]
