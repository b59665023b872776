"""Names in addresses: a case or an incident is one segment of a path, whatever its name holds.

The core accepts any printable name for a case (:func:`enquiry.intake.walk.case_name_problem`)
and any text for an incident's slug: ``Khan Shaykhun / 4 April``, ``100% sure?``, ``خان شيخون``.
A name is put into an address as one segment with every reserved character quoted
(:func:`segment`: ``/`` becomes ``%2F``, ``?`` ``%3F``, ``%`` ``%25``, a space ``%20``, Arabic its
UTF-8 bytes quoted), so that a link to one case can never lead to another case or page.

The server, though, hands the app a path already unquoted (``scope["path"]``), in which a ``/``
that was ``%2F`` can no longer be told from a separator: ``/cases/a%2Fitems`` (the case
``a/items``) would look like the evidence list of case ``a``. So :class:`PathSegments` rebuilds
the path from the bytes the client sent (``scope["raw_path"]``), unquoting each segment but
keeping a ``/`` or a ``%`` inside one quoted (``%2F``, ``%25``); the routes take their names
through the ``segment`` convertor (``{case:segment}``), which unquotes those two again. Every
other part of the app sees the path as before, a separator still being a separator.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote, unquote, unquote_to_bytes

from starlette.convertors import Convertor, register_url_convertor

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]


def segment(name: object) -> str:
    """``name`` as one segment of a path: every character but letters, digits and ``-._~``
    quoted, ``/`` included (the template filter ``segment`` is this)."""
    return quote(str(name), safe="")


def _kept(text: str) -> str:
    """A segment's unquoted text with the two characters that would change the path's
    structure or its unquoting quoted again."""
    return text.replace("%", "%25").replace("/", "%2F")


def segmented_path(raw_path: bytes) -> str:
    """The path the routes match: ``raw_path`` unquoted segment by segment (as UTF-8, an
    invalid byte replaced, as the server does), a ``/`` or ``%`` within a segment kept quoted."""
    return "/".join(
        _kept(unquote_to_bytes(part).decode("utf-8", "replace")) for part in raw_path.split(b"/")
    )


class SegmentConvertor(Convertor[str]):
    """A name that fills one segment of a path (see the module's note): any text but an empty
    one, given back unquoted."""

    regex = "[^/]+"

    def convert(self, value: str) -> str:
        # only %25 and %2F can occur in a segment of the rebuilt path (every other % was
        # quoted as %25), so unquoting undoes exactly what _kept did
        return unquote(value)

    def to_string(self, value: str) -> str:
        return _kept(str(value))


register_url_convertor("segment", SegmentConvertor())


class PathSegments:
    """ASGI middleware around the whole app: the path rebuilt from what the client sent (see
    the module's note), before any route, check or bound looks at it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        raw = scope.get("raw_path")
        if scope["type"] in ("http", "websocket") and isinstance(raw, bytes):
            # a server may leave the query on raw_path; the path ends where it begins
            path = segmented_path(raw.split(b"?", 1)[0])
            if path.startswith("/"):
                scope = dict(scope)
                scope["path"] = path
        await self.app(scope, receive, send)


__all__ = ["PathSegments", "SegmentConvertor", "segment", "segmented_path"]
