"""Writing what is published: whole or not at all, and hashed as written."""

from __future__ import annotations

import hashlib
from pathlib import Path

from enquiry.store.vault import temp_beside


def write_published(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` through a temporary file renamed into place (a reader never
    sees half a report or export) and return its SHA-256, which the ``exported`` event records."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_beside(path)
    try:
        with temp.open("xb") as handle:
            handle.write(data)
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()
