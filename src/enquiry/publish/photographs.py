"""Photographs a report publishes: the bytes the application core chose for each (a confirmed
redaction of a protected or sensitive photo, never its original unless revealed), inlined as
``data:`` URIs so that the HTML and its PDF stay self-contained and fetch nothing."""

from __future__ import annotations

import base64
from dataclasses import dataclass

# A picture larger than this is named, not inlined: a report is read, mailed and printed.
MAX_INLINE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Photograph:
    """One photograph for the report: the item it shows, the item whose bytes are published
    (the redaction, or the original), a caption, the bytes, and a note (why it is withheld)."""

    item_id: int
    shown_item_id: int | None
    caption: str
    media_type: str = ""
    data: bytes = b""
    redacted: bool = False
    note: str = ""

    @property
    def data_uri(self) -> str:
        """The picture inline, or empty when it is withheld or too large to carry."""
        if not self.data or len(self.data) > MAX_INLINE_BYTES:
            return ""
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"
