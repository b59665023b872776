"""Writing what is published: whole or not at all, and hashed as written."""

from __future__ import annotations

import hashlib
from pathlib import Path


def write_published(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path`` through a temporary file renamed into place (a reader never
    sees half a report or export) and return its SHA-256, which the ``exported`` event records."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    temp.write_bytes(data)
    temp.replace(path)
    return hashlib.sha256(data).hexdigest()
