"""Files on their way in: received from outside (an upload), before the intake takes them.

An upload may be protected evidence, known only once its bytes are in, and protected
evidence's plaintext must never sit in a file of a disk that is deleted afterwards (it stays
in the disk's free blocks). So a file being received is held in an anonymous memory file
(:class:`~enquiry.store.vault.PlainCopy`) while it is at most
:data:`~enquiry.store.vault.MEMORY_COPY_LIMIT` and the files in flight hold at most
:data:`MEMORY_BUDGET` between them; else in a private file in the vault's temporary area, the
same exception the readers' plaintext copies make. The web app parses a request's body and
writes each file here; :func:`enquiry.app.evidence.staging` is the folder the intake is then
given, where each file is a link under its plain name.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from enquiry.app.context import Enquiry
from enquiry.store import vault as vault_module
from enquiry.store.vault import PlainCopy

CHUNK = 1 << 20
"""A file outgrowing memory is moved to the vault's temporary area in pieces of this size."""

MEMORY_BUDGET = 1 << 30
"""How many bytes of uploaded files the process holds in memory at once, across every upload
in flight: within it a file of up to :data:`~enquiry.store.vault.MEMORY_COPY_LIMIT` is received
into memory, beyond it into the vault's temporary area — so that many uploads at once cannot
take the memory the server and its readers need."""


class _Budget:
    """The bytes of uploads held in memory now, process-wide (taken on the event loop, given
    back there or from a worker thread, hence the lock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.held = 0

    def take(self, size: int) -> bool:
        with self._lock:
            if self.held + size > MEMORY_BUDGET:
                return False
            self.held += size
            return True

    def give(self, size: int) -> None:
        with self._lock:
            self.held -= size


BUDGET = _Budget()


class StagedFile:
    """One uploaded file as it is received: in memory while it may be, else in the vault's
    temporary area; ``link`` is its plain name in the staging folder, made when it is
    complete, which leads to its bytes."""

    def __init__(self, app: Enquiry, name: str, link: Path) -> None:
        self.name = name
        self.link = link
        self.size = 0
        self._spare = app.store(create=False).vault.spare_path
        self._held = 0  # bytes of the memory budget this file holds
        self.copy = PlainCopy.make(self._spare(), 0)

    def write(self, data: bytes) -> None:
        if self.copy.in_memory and not self._fits(len(data)):
            self._to_disk()
        self.copy.write(data)
        self.size += len(data)

    def _fits(self, more: int) -> bool:
        if self.size + more > vault_module.MEMORY_COPY_LIMIT or not BUDGET.take(more):
            return False
        self._held += more
        return True

    def _to_disk(self) -> None:
        """Move what memory holds of the file to a private file in the vault's temporary
        area, which receives the rest: it is larger than memory may hold."""
        held = self.copy
        held.finish()
        disk = PlainCopy.make(self._spare(), vault_module.MEMORY_COPY_LIMIT + 1)
        try:
            with held.path.open("rb") as source:
                while chunk := source.read(CHUNK):
                    disk.write(chunk)
        except BaseException:
            disk.remove()
            raise
        finally:
            self._release(held)
        self.copy = disk

    def _release(self, held: PlainCopy) -> None:
        held.remove()
        BUDGET.give(self._held)
        self._held = 0

    def finish(self) -> None:
        """Complete: sealed read-only in memory, and named in the staging folder."""
        self.copy.finish()
        os.symlink(self.copy.path, self.link)

    def remove(self) -> None:
        """Gone: the memory freed, or the file removed (safe to call more than once)."""
        self._release(self.copy)
        self.link.unlink(missing_ok=True)


__all__ = ["BUDGET", "MEMORY_BUDGET", "StagedFile"]
