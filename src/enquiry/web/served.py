"""How an item's bytes are answered over HTTP — a preview on a page, the API's preview — once
the core has decided which bytes may go (:mod:`enquiry.app.content`).

The bytes are evidence, written by whoever made the file, not by this server. Opened on their
own they may show but never run: only what a preview shows (a raster picture, a recording, a
PDF, plain text) is answered ``inline``; anything else — an uploaded HTML page or SVG above
all, whose markup would otherwise run as if this server had written it — is a download typed
``application/octet-stream``, so that no page could load it as script or style either. Every
answer but a PDF's carries a sandboxing policy, and the app adds ``nosniff`` to all of them.

A video player seeks by asking for byte ranges, so a single ``Range: bytes=…`` is honoured
(206 with ``Content-Range``); several ranges at once, a malformed header or an ``If-Range``
(no validator is ever sent, so none can match) get the whole file (200), as HTTP allows, and a
range beyond the end gets 416. The part that opens a viewing is named in its ``accessed``
event, and the parts that follow are covered by it (:func:`enquiry.app.content.viewable`).
``HEAD`` answers the same headers from the catalogue, without reading or recording the bytes.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response, StreamingResponse

from enquiry.app.content import Content, Part, Shown

# Opened on their own, the bytes get an origin of their own: no script, form or plugin.
CONTENT_POLICY = (
    "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; "
    "style-src 'unsafe-inline'; frame-ancestors 'none'"
)
INLINE_PREFIXES = ("image/", "video/", "audio/")
INLINE_EXACT = frozenset({"text/plain", "application/pdf"})
DOWNLOAD_TYPE = "application/octet-stream"
# A Range header longer than this is not one a player sends: it is ignored (the whole file).
RANGE_MAX = 200
_RANGE = re.compile(r"bytes[ \t]*=[ \t]*([0-9]*)[ \t]*-[ \t]*([0-9]*)", re.ASCII | re.IGNORECASE)


def essence(media_type: str) -> str:
    """The type without its parameters, lower case (``Text/Plain; charset=x`` → ``text/plain``)."""
    return media_type.split(";")[0].strip().lower()


def is_pdf(media_type: str) -> bool:
    """A PDF keeps the pages' policy instead of the sandbox, in which browsers refuse to run
    their PDF viewer (which runs no script of the document in this origin anyway)."""
    return essence(media_type) == "application/pdf"


def shown_inline(media_type: str) -> bool:
    """Whether the browser may render these bytes in place: a raster picture, a recording, a
    PDF or plain text. Not SVG or any XML-based picture, whose markup may hold script."""
    kind = essence(media_type)
    if kind in INLINE_EXACT:
        return True
    if "svg" in kind or "xml" in kind:
        return False
    return kind.startswith(INLINE_PREFIXES)


def asked_part(request: Request) -> Part | None:
    """The one byte range the request asks for, or ``None`` for the whole file: no ``Range``,
    one that is malformed, several at once, another unit, or an ``If-Range`` (which names a
    validator this server never sent, so it cannot match)."""
    header = request.headers.get("range")
    if header is None or request.headers.get("if-range") is not None:
        return None
    if len(header) > RANGE_MAX:
        return None
    found = _RANGE.fullmatch(header.strip())
    if found is None:
        return None
    first, last = found.group(1), found.group(2)
    if not first and not last:
        return None
    if not first:
        return Part(None, int(last))
    if last and int(last) < int(first):
        return None  # invalid: ignored, as RFC 9110 says
    return Part(int(first), int(last) if last else None)


def disposition(inline: bool, filename: str) -> str:
    """``inline`` or ``attachment`` with the name given both plainly (ASCII, quotes and
    separators replaced) and exactly (RFC 8187)."""
    if inline:
        return "inline"
    name = filename or "item"
    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def _headers(
    media_type: str, filename: str, shown_item_id: int, redacted: bool
) -> tuple[str, dict[str, str]]:
    """The type to send and the headers every answer about these bytes carries."""
    inline = shown_inline(media_type)
    sent_type = media_type if inline else DOWNLOAD_TYPE
    if essence(sent_type) == "text/plain" and "charset" not in sent_type.lower():
        sent_type += "; charset=utf-8"
    headers = {
        "Content-Disposition": disposition(inline, filename),
        "Accept-Ranges": "bytes",
        "X-Enquiry-Item": str(shown_item_id),
    }
    if not is_pdf(media_type):
        headers["Content-Security-Policy"] = CONTENT_POLICY
    if redacted:
        headers["X-Enquiry-Redacted"] = "confirmed redaction"
    return sent_type, headers


def send(content: Content) -> StreamingResponse:
    """The checked bytes as an answer: the whole file (200) or the part asked for (206)."""
    sent_type, headers = _headers(
        content.media_type, content.filename, content.shown_item_id, content.redacted
    )
    headers["Content-Length"] = str(content.length)
    status = 200
    if content.ranged:
        status = 206
        end = content.first + content.length - 1
        headers["Content-Range"] = f"bytes {content.first}-{end}/{content.size}"
    return StreamingResponse(content.chunks(), status, headers=headers, media_type=sent_type)


def head(shown: Shown) -> Response:
    """The headers a ``GET`` of the whole file would carry, from the catalogue (the bytes are
    neither read nor recorded: none leave)."""
    assert shown.shown_item_id is not None
    sent_type, headers = _headers(
        shown.media_type, shown.filename, shown.shown_item_id, shown.redacted
    )
    if shown.size is not None:
        headers["Content-Length"] = str(shown.size)
    return Response(status_code=200, headers=headers, media_type=sent_type)


def unsatisfiable(size: int) -> dict[str, str]:
    """The headers of a 416 answer: the file's size, so a client can ask again."""
    return {"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"}


__all__ = [
    "CONTENT_POLICY",
    "asked_part",
    "disposition",
    "head",
    "is_pdf",
    "send",
    "shown_inline",
    "unsatisfiable",
]
