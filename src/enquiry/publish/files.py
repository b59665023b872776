"""Writing what is published: whole or not at all, and hashed as written."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from enquiry.store.vault import temp_beside


def write_published(path: Path, data: bytes, *, private: bool = False) -> str:
    """Write ``data`` to ``path`` through a temporary file renamed into place (a reader never
    sees half a report or export) and return its SHA-256, which the ``exported`` event records.

    ``private``: what was written with a reveal holds protected identities, so it is created
    readable by its owner only (0600), whatever the umask would give it — a revealed report
    left in a shared folder must not be readable by every user of the machine. Sharing it is
    then a decision, not an accident."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_beside(path)
    mode = 0o600 if private else 0o666
    try:
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()
