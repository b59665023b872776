"""Intake: files in, items out — each original stored once, each handling in the ledger.

The work is split so that it is both fast and safe to interrupt:

* preparing a file (sniff its type, validate its fields, stream it into the vault, run the
  extractors on the stored copy) needs no database and runs in worker processes;
* writing (item rows, origins, texts, hashes and their custody events) happens in the main
  process in batches, each one transaction. A batch is either entirely in the catalogue and the
  ledger or not at all; a blob stored by a batch that never committed is only an unreferenced
  file, and a re-run finds its bytes already there.

Re-running the same command is idempotent: a path already taken in with the same size and
modification time is skipped without reading it, and bytes already in the case are recorded as
received again only when they come from a new path.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import multiprocessing
import os
import queue
import signal
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from multiprocessing.connection import Connection as Connection_
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, insert, select

from enquiry.cluster import Cluster, ClusterUnavailable, Killed
from enquiry.errors import EnquiryError
from enquiry.intake.extract import Extraction, Extractor
from enquiry.intake.limits import (
    DECODE_MB,
    DECODE_SECONDS,
    die_with_parent,
    exit_reason,
    limit_memory,
    limits,
    quiet_decoders,
)
from enquiry.intake.sniff import name_mismatch, sniff
from enquiry.intake.walk import Entry, case_name_problem, name_problem, printable, walk
from enquiry.model.kinds import Kind, KindError, all_kinds, get_kind
from enquiry.model.types import FieldError, is_utf8
from enquiry.progress import Progress, Silent, show_counts
from enquiry.store import Store
from enquiry.store.crypt import WITHHELD_AT_REST, KeyBatch, KeyUnavailable, new_data_key
from enquiry.store.db import insert_rows
from enquiry.store.ledger import LedgerWriter, state_digest, utc_now
from enquiry.store.protected import (
    at_rest,
    case_public_key,
    encrypted_row,
    key_row,
    plain_copies,
    sealing,
    secret_record,
)
from enquiry.store.tables import (
    Case,
    CaseKey,
    Item,
    ItemKey,
    ItemOrigin,
    ItemText,
    MediaHash,
    Source,
)
from enquiry.store.vault import (
    HEAD_BYTES,
    Sealing,
    Stored,
    Vault,
    VaultError,
    describe_os_error,
)

BATCH_FILES = 500
BATCH_SECONDS = 1.0
# A batch is written early once the texts its files gave reach this many characters: a second
# of readers finding long texts must not all sit in memory until the batch is written.
BATCH_CHARS = 256 * 1024 * 1024


class IntakeError(Exception):
    """A problem with the request as a whole (unknown kind, bad field), before any file."""


@dataclass(frozen=True)
class IntakeOptions:
    """What the user asked for: the case, and optionally kind, source and field values."""

    case: str
    kind: str | None = None
    source: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    max_size: int | None = None
    # Whether the caller wants progress reported (to the Progress it hands to add_paths).
    progress: bool = True
    jobs: int = 0
    derived_from: int | None = None
    transformation: Mapping[str, Any] | None = None
    key: str | None = None
    protected: bool | None = None
    # Extra facts for the receipt event (e.g. that a case file's attachment lay outside its
    # folder), so the one event that records the arrival says everything about it.
    receipt: Mapping[str, Any] | None = None
    # How long (seconds) and how much memory (MB) the readers of one file may take; None
    # takes ENQUIRY_DECODE_SECONDS / ENQUIRY_DECODE_MB, else the defaults below.
    decode_seconds: float | None = None
    decode_mb: int | None = None
    # (folder, label): a file under the folder is recorded as arriving from ``label/<its path
    # below the folder>`` rather than its own path. An upload is staged in a private folder
    # whose name means nothing; what it arrived as is who sent it under which name.
    origin_root: tuple[str, str] | None = None


def origin_of(options: IntakeOptions, path: str | os.PathLike[str]) -> str:
    """Where a file is recorded as coming from: its absolute path, or under ``origin_root``
    the label followed by its path below the root."""
    origin = os.path.abspath(path)
    if options.origin_root is not None:
        root, label = options.origin_root
        root = os.path.abspath(root)
        if origin.startswith(root + os.sep):
            origin = label + "/" + os.path.relpath(origin, root).replace(os.sep, "/")
    return printable(origin)


@dataclass
class FileResult:
    """What became of one path."""

    path: str
    status: str
    item_id: int | None = None
    sha256: str | None = None
    kind: str | None = None
    problems: list[str] = field(default_factory=list)
    repaired: bool = False


@dataclass
class IntakeReport:
    """The outcome of one intake: every path's result; ``interrupted`` if it was stopped."""

    results: list[FileResult] = field(default_factory=list)
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def problems(self) -> list[str]:
        """One line per file that had any problem."""
        return [f"{r.path}: {'; '.join(r.problems)}" for r in self.results if r.problems]

    @property
    def failed(self) -> bool:
        return self.interrupted or any(r.problems for r in self.results)

    def summary(self) -> str:
        """One line: how many files were stored, recognised, skipped, rejected."""
        labels = (
            ("stored", "stored"),
            ("duplicate", "already in the case (new path recorded)"),
            ("unchanged", "unchanged"),
            ("rejected", "rejected"),
        )
        parts = [f"{self.count(status)} {label}" for status, label in labels if self.count(status)]
        repaired = sum(1 for r in self.results if r.repaired)
        if repaired:
            parts.append(f"{repaired} corrupt vault blob(s) repaired from these files")
        # the files kept with a problem are among those counted, not more of them
        flagged = sum(1 for r in self.results if r.problems and r.status != "rejected")
        noted = f" ({flagged} of the files kept had problems)" if flagged else ""
        return (", ".join(parts) or "no files") + noted


@dataclass
class Prepared:
    """A file ready to be written: stored in the vault, typed, validated and extracted."""

    path: str
    origin: str
    size: int = 0
    mtime_ns: int = 0
    sha256: str | None = None
    media_type: str = ""
    kind: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    texts: list[tuple[str, str]] = field(default_factory=list)
    hashes: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rejected: bool = False
    # A protected file encrypted by the worker that read it: its item_keys row (without the
    # item's id) and its fields as the row keeps them.
    sealed: dict[str, Any] | None = None
    # The SHA-256 of each text, by reader, once the texts themselves went into the sealed
    # record (``texts`` then keeps only the readers' names).
    text_digests: dict[str, str] | None = None
    repaired: bool = False
    # The file it was read from (None for content that arrived otherwise), from which the
    # writer stores its bytes again if their blob was removed before the rows were committed.
    source: str | None = None


def detect_kind(media_type: str) -> str:
    """The evidence kind a media type suggests (``document`` when none claims it)."""
    for kind in all_kinds().values():
        if media_type in kind.media:
            return kind.name
    return "document"


def _json_safe(value: Any) -> Any:
    """Metadata as plain JSON that both databases store and return unchanged."""
    text = json.dumps(value, default=str, ensure_ascii=False)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\\u0000", "\ufffd")
    return json.loads(text)


def _clean_text(text: str) -> str:
    # PostgreSQL text cannot hold NUL; one replacement character keeps every offset in place.
    return (
        text.replace("\x00", "\ufffd").encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    )


@dataclass(frozen=True)
class _Job:
    vault: Vault
    options: IntakeOptions
    extractors: tuple[Extractor, ...]
    limits: tuple[float, int] = (DECODE_SECONDS, DECODE_MB)
    # The case's public key, when the case already has one: workers then encrypt protected
    # files themselves, in parallel, instead of the committing process one after another.
    public: bytes | None = None
    # Names this intake, so that each process seals its data keys in one key batch of its own
    # for the run (see :func:`_key_batch`); the batch itself is never part of the job.
    run: str = ""
    # On a cluster: each file's readers leave a mark in the vault while they run, so that the
    # coordinator can tell the file that killed a worker from those waiting beside it.
    marked: bool = False


def _choose_kind(job: _Job, media_type: str) -> Kind:
    return get_kind(job.options.kind or detect_kind(media_type))


def _classify(job: _Job, prepared: Prepared, head: bytes, name: str) -> Kind | None:
    prepared.media_type = sniff(head, name)
    mismatch = name_mismatch(name, prepared.media_type)
    if mismatch:
        prepared.meta.setdefault("intake", {})["name_mismatch"] = mismatch
    kind = _choose_kind(job, prepared.media_type)
    prepared.kind = kind.name
    try:
        prepared.fields = kind.validate(job.options.fields)
    except FieldError as exc:
        prepared.problems.append(str(exc))
        prepared.rejected = True
        return None
    return kind


def decode_limits(options: IntakeOptions) -> tuple[float, int]:
    """The time (seconds) and memory (MB) one file's readers may take: the options', else
    ``ENQUIRY_DECODE_SECONDS`` / ``ENQUIRY_DECODE_MB``, else 120 s and 2048 MB."""
    try:
        return limits(options.decode_seconds, options.decode_mb)
    except EnquiryError as exc:
        raise IntakeError(str(exc)) from None


def _extract(job: _Job, prepared: Prepared, blob: Path) -> None:
    """Run the readers on a stored file (in a worker process only: see :class:`_Workers`).

    The clock is the kernel's: SIGALRM with its default action ends the worker even inside a
    native decoder that never returns to Python, and the parent names the file. The memory
    limit is the worker's address-space limit, set before each chunk of files.
    """
    readers = [e for e in job.extractors if e.accepts(prepared.media_type, prepared.kind)]
    if readers:
        seconds, megabytes = job.limits
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            _run_extractors(readers, prepared, blob, megabytes)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    if prepared.problems:
        prepared.meta.setdefault("intake", {})["problems"] = list(prepared.problems)


def _run_extractors(
    readers: list[Extractor], prepared: Prepared, blob: Path, megabytes: int
) -> None:
    for extractor in readers:
        try:
            found: Extraction = extractor.extract(blob, prepared.media_type)
        except MemoryError:
            prepared.problems.append(
                f"needed more than {megabytes} MB to read; stored without what its readers"
                " would have found"
            )
            return
        except Exception as exc:  # an extractor bug must not lose the file: note it, go on
            prepared.problems.append(
                f"{extractor.name} extractor failed ({type(exc).__name__}: {exc})"[:300]
            )
            continue
        version = str(getattr(extractor, "version", "1"))
        # Which version of each reader read the file: `enquiry enrich` reads it again when a
        # reader changes, and only then.
        prepared.meta.setdefault("intake", {}).setdefault("read_by", {})[extractor.name] = version
        if found.metadata:
            prepared.meta[extractor.name] = _json_safe(found.metadata)
        if found.text is not None:
            prepared.texts.append((f"{extractor.name}/{version}", _clean_text(found.text)))
        prepared.hashes.extend(_json_safe(found.hashes))
        prepared.problems.extend(found.problems)


class _Refused(Exception):
    """The file's fields do not fit its kind; the reason is already in its problems."""


def _prepare_file(
    job: _Job, entry: Entry, announce: Callable[[Prepared], None] | None = None
) -> Prepared:
    """Store one file and read it; ``announce`` sees it, stored, just before its readers run."""
    prepared = Prepared(
        path=printable(str(entry.path)),
        origin=origin_of(job.options, entry.path),
        size=entry.size,
        mtime_ns=entry.mtime_ns,
        source=os.fsdecode(entry.path),
    )
    if entry.problem:
        prepared.problems.append(entry.problem)
        prepared.rejected = True
        return prepared
    if entry.size == 0:
        prepared.problems.append("empty file (0 bytes): nothing to preserve")
        prepared.rejected = True
        return prepared

    def inspect(head: bytes) -> None:
        if not head:
            raise VaultError("empty file (0 bytes): nothing to preserve")
        if _classify(job, prepared, head, entry.path.name) is None:
            raise _Refused

    data_key: bytes | None = None

    def seal() -> Sealing | None:
        # A protected file, when the case key is at hand, is encrypted as it is read: its
        # plaintext never becomes a blob, and its readers get a private copy made in the
        # same pass only when there are readers for it.
        nonlocal data_key
        if job.public is None or not _is_protected(job, prepared):
            return None
        data_key = new_data_key()
        readers = any(e.accepts(prepared.media_type, prepared.kind) for e in job.extractors)
        return sealing(data_key, plain_copy=readers)

    try:
        stored = job.vault.put_file(
            entry.path,
            max_size=job.options.max_size,
            inspect=inspect,
            sealing=seal,
            identity=entry.identity,
        )
        if stored.cipher_address is not None and job.vault.has(stored.sha256):
            # The same bytes are held in the clear for an unprotected item: stored again as
            # they are, so that a damaged copy of them is repaired, and encrypted from there.
            _drop_sealed(job.vault, stored)
            data_key = None
            stored = job.vault.put_file(
                entry.path, max_size=job.options.max_size, identity=entry.identity
            )
    except _Refused:
        return prepared
    except OSError as exc:
        prepared.problems.append(describe_os_error(exc))
        prepared.rejected = True
        return prepared
    except VaultError as exc:
        prepared.problems.append(str(exc))
        prepared.rejected = True
        return prepared
    prepared.sha256 = stored.sha256
    prepared.size = stored.size
    prepared.repaired = stored.repaired and stored.cipher_address is None
    note = name_problem(entry.path)
    if note:
        prepared.problems.append(note)
        prepared.meta.setdefault("intake", {})["raw_name_hex"] = os.fsencode(entry.path.name).hex()
    if announce is not None:
        announce(prepared)
    try:
        copy = stored.plain_copy
        _extract(job, prepared, copy.path if copy is not None else job.vault.path(stored.sha256))
    finally:
        if stored.plain_copy is not None:
            stored.plain_copy.remove()
    if data_key is not None and prepared.rejected:
        _drop_sealed(job.vault, stored)
    _seal_early(job, prepared, stored if data_key is not None else None, data_key)
    return prepared


@functools.lru_cache(maxsize=1)
def _key_batch(public: bytes, run: str) -> KeyBatch:
    """This process's key batch for the intake ``run`` into the case whose key is ``public``.

    One X25519 exchange per worker process and run, instead of one per protected file; the
    cache holds one batch, so a process that serves one run after another (a cluster worker)
    keeps the secret of the latest only.
    """
    return KeyBatch(public)


def _is_protected(job: _Job, prepared: Prepared) -> bool:
    if prepared.rejected or not prepared.kind:
        return False
    return bool(get_kind(prepared.kind).is_protected(prepared.fields) or job.options.protected)


def _drop_sealed(vault: Vault, stored: Stored) -> None:
    """Remove the ciphertext (and private plaintext copy) of a sealed store not to be used."""
    if stored.plain_copy is not None:
        stored.plain_copy.remove()
    if stored.new and stored.cipher_address is not None:
        vault.discard(stored.cipher_address)


def _seal_early(
    job: _Job, prepared: Prepared, sealed: Stored | None = None, data_key: bytes | None = None
) -> None:
    """Encrypt a protected file in the worker that read it (see :attr:`_Job.public`): its
    ``item_keys`` row, for the ciphertext ``sealed`` the vault stored under ``data_key`` as it
    read the file, or else encrypted now from the plain blob."""
    if job.public is None or prepared.rejected or prepared.sha256 is None:
        return
    if not _is_protected(job, prepared):
        return
    kind = get_kind(prepared.kind)
    record, stored = secret_record(
        printable(os.path.basename(prepared.origin)),
        prepared.fields,
        kind.identifying_fields(),
        prepared.meta,
        [prepared.origin],
        dict(prepared.texts),
    )
    if sealed is not None and sealed.cipher_address is not None and data_key is not None:
        row = key_row(
            public=job.public,
            batch=_key_batch(job.public, job.run),
            data_key=data_key,
            case_id=0,
            item_id=0,
            sha256=prepared.sha256,
            cipher=(sealed.cipher_address, sealed.cipher_size),
            secret=record,
        )
    else:
        row = encrypted_row(
            job.vault,
            public=job.public,
            batch=_key_batch(job.public, job.run),
            case_id=0,
            item_id=0,
            sha256=prepared.sha256,
            secret=record,
            rehash=False,  # this worker stored and hashed these very bytes a moment ago
        )
    prepared.sealed = {"row": row, "fields": stored}
    _forget_plaintext(prepared, stored)


def _forget_plaintext(prepared: Prepared, stored: dict[str, Any]) -> None:
    """Drop from a sealed file's result what its sealed record now holds encrypted.

    The result goes back to the process that writes the catalogue — over a Dask cluster's
    network, through its scheduler, and into a worker's spill folder on disk when memory runs
    short. A testimony's words, a photograph's GPS position, a witness's name in its fields and
    a picture's perceptual hashes (which would find it from any copy) must not travel or rest
    in the clear there: the coordinator needs only the readers' names and their texts'
    digests, which the ``received`` event records."""
    prepared.text_digests = {name: _sha_text(text) for name, text in prepared.texts}
    prepared.texts = [(name, "") for name, _text in prepared.texts]
    prepared.fields = dict(stored)
    prepared.meta = {}
    prepared.hashes = []


# --- Worker processes ---------------------------------------------------------------------------
#
# Files are stored and read in worker processes, never in the main one: a decoder that loops,
# balloons or crashes on a hostile file then costs one worker, which the parent replaces, and
# the parent names the file. Each worker keeps, in memory shared with the parent, which task it
# is on and whether that file is already stored and being read, so that a death costs no
# message per file and the parent still knows what the dead worker was doing.

_STORING, _READING, _FINISHED = 0, 1, 2


@dataclass(frozen=True)
class _ReadStored:
    """A task for content already stored (by the main process): only read it."""

    prepared: Prepared


@dataclass(frozen=True)
class _StoreOnly:
    """A file whose readers killed a worker: store it again (a no-op for the vault), unread."""

    entry: Entry
    problem: str


_Task = Entry | _ReadStored | _StoreOnly


def _task_path(task: _Task) -> str:
    if isinstance(task, _ReadStored):
        return task.prepared.path
    entry = task.entry if isinstance(task, _StoreOnly) else task
    return printable(str(entry.path))


def _worker_main(
    job: _Job, conn: Connection_, state: Any, parent: int, inherited: list[Connection_]
) -> None:
    die_with_parent(parent)
    # The main process alone decides what an interrupt means.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    for other in inherited:  # other workers' pipes, inherited by fork: not ours to hold open
        other.close()
    quiet_decoders()
    _seconds, megabytes = job.limits
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        limit_memory(megabytes)
        results = []
        for index, task in message:
            state[0], state[1] = index, _STORING
            results.append((index, _run_task(job, state, task)))
            state[1] = _FINISHED
        conn.send(results)


def _run_task(job: _Job, state: Any, task: _Task) -> Prepared:
    mark = _reading_mark(job, _task_path(task)) if job.marked else None

    def reading(_prepared: Prepared) -> None:
        state[1] = _READING
        if mark is not None:
            with contextlib.suppress(OSError):  # without its mark a file is only tried again
                mark.touch()

    try:
        if isinstance(task, _ReadStored):
            prepared = task.prepared
            assert prepared.sha256 is not None
            reading(prepared)
            _extract(job, prepared, job.vault.path(prepared.sha256))
            return prepared
        if isinstance(task, _StoreOnly):
            unread = _Job(job.vault, job.options, (), job.limits)
            prepared = _prepare_file(unread, task.entry)
            if not prepared.rejected:
                prepared.problems.append(task.problem)
                prepared.meta.setdefault("intake", {})["problems"] = list(prepared.problems)
            return prepared
        return _prepare_file(job, task, reading)
    except Exception as exc:  # a bug in intake itself: the file is named, the rest goes on
        path = _task_path(task)
        failed = Prepared(path=path, origin=path, rejected=True)
        failed.problems.append(f"could not be taken in ({type(exc).__name__}: {exc})"[:300])
        return failed
    finally:
        # Reached unless the process died: a mark left behind names the file being read then.
        if mark is not None:
            with contextlib.suppress(OSError):
                mark.unlink(missing_ok=True)


def _reading_mark(job: _Job, path: str) -> Path:
    """Where the file at ``path`` is marked as being read during this intake (see
    :attr:`_Job.marked`): in the vault's scratch folder, which every cluster worker mounts."""
    digest = hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return job.vault.tmp / f"reading-{job.run}-{digest}"


def _clear_marks(job: _Job) -> None:
    for mark in job.vault.tmp.glob(f"reading-{job.run}-*"):
        with contextlib.suppress(OSError):
            mark.unlink(missing_ok=True)


@dataclass
class _Worker:
    process: Any
    conn: Connection_
    state: Any
    chunks: deque[list[int]] = field(default_factory=deque)

    @property
    def tasks(self) -> list[int]:
        """Every task handed to this worker whose result has not come back, in order."""
        return [index for chunk in self.chunks for index in chunk]


# Chunks a worker holds at once: the next is already in its pipe when it finishes one, so it
# never waits while the parent is busy writing a batch to the catalogue.
_AHEAD = 2

# How far the readers may run ahead of whoever takes their results (the writer of the
# catalogue): tasks per worker, and bytes of the files behind them. A result holds what its
# readers found — up to 64 MB of text for one file — and a writer slower than the readers (a
# batch of long texts to index) must make them wait, not let results pile up in this process
# until the machine runs out of memory.
AHEAD_TASKS = 256
AHEAD_BYTES = 256 * 1024 * 1024


def _task_size(task: _Task) -> int:
    if isinstance(task, _ReadStored):
        return task.prepared.size
    return (task.entry if isinstance(task, _StoreOnly) else task).size


class _Workers:
    """A few worker processes taking tasks in chunks and replaced when one dies."""

    def __init__(self, job: _Job, size: int) -> None:
        self.job = job
        self.size = max(1, size)
        self.context = multiprocessing.get_context("fork")
        self.parent = os.getpid()
        self.workers: list[_Worker] = []
        self.unexplained = 0
        self._stopping = False
        self._pump: threading.Thread | None = None
        # Flow control (see AHEAD_TASKS): the index the caller of run() waits for next, and
        # the tasks (number, bytes) handed out that it has not yet taken.
        self._flow = threading.Condition()
        self._following = 0
        self._ahead = [0, 0]

    def _spawn(self) -> _Worker:
        ours, theirs = self.context.Pipe(duplex=True)
        state = self.context.RawArray("q", 2)
        state[0], state[1] = -1, _FINISHED
        inherited = [w.conn for w in self.workers]
        process = self.context.Process(
            target=_worker_main,
            args=(self.job, theirs, state, self.parent, inherited),
            daemon=True,
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours, state)
        self.workers.append(worker)
        return worker

    def ready(self) -> None:
        """Start the workers now, from the calling thread, and replace any that died.

        The kernel ends a worker when the *thread* that started it ends (see
        :func:`~enquiry.intake.limits.die_with_parent`); a pool kept from one :meth:`run` to the
        next must not be started by a run's own hand-out thread, which ends with the run.
        """
        for worker in list(self.workers):
            if not worker.process.is_alive():
                worker.process.join()
                worker.conn.close()
                self.workers.remove(worker)
        while len(self.workers) < self.size:
            self._spawn()

    def run(self, tasks: Sequence[_Task], chunk: int) -> Iterator[Prepared]:
        """Each task's result, in the order of ``tasks``.

        A thread of the parent hands tasks out and takes results in, so the workers go on
        reading while the caller writes a batch to the catalogue.
        """
        todo = list(tasks)
        results: queue.SimpleQueue[tuple[int, Prepared] | BaseException] = queue.SimpleQueue()
        with self._flow:
            self._following, self._ahead = 0, [0, 0]
        self._pump = threading.Thread(
            target=self._pump_all, args=(todo, chunk, results), daemon=True
        )
        self._pump.start()
        done: dict[int, Prepared] = {}
        following = 0
        while following < len(todo):
            got = results.get()
            if isinstance(got, BaseException):
                raise got
            done[got[0]] = got[1]
            while following in done:
                with self._flow:
                    self._ahead[0] -= 1
                    self._ahead[1] -= _task_size(todo[following])
                    self._following = following + 1
                    self._flow.notify_all()
                yield done.pop(following)
                following += 1

    def _pump_all(
        self,
        todo: list[_Task],
        chunk: int,
        results: queue.SimpleQueue[tuple[int, Prepared] | BaseException],
    ) -> None:
        pending: deque[int] = deque(range(len(todo)))
        done: dict[int, Prepared] = {}
        delivered: set[int] = set()
        try:
            while len(delivered) < len(todo) and not self._stopping:
                self._hand_out(todo, pending, chunk)
                if not any(w.chunks for w in self.workers):
                    # Every result is in; the caller has yet to take enough of them.
                    with self._flow:
                        self._flow.wait(timeout=0.5)
                    continue
                self._collect(todo, pending, done)
                for index in sorted(done):
                    prepared = done.pop(index)
                    if index not in delivered:
                        delivered.add(index)
                        results.put((index, prepared))
        except BaseException as exc:  # handed to the caller's thread, which raises it
            results.put(exc)

    def _hand_out(self, tasks: list[_Task], pending: deque[int], chunk: int) -> None:
        if self._stopping:
            return
        while pending and len(self.workers) < self.size:
            self._spawn()
        with self._flow:
            following = self._following
            room = [AHEAD_TASKS * self.size - self._ahead[0], AHEAD_BYTES - self._ahead[1]]

        def may(index: int) -> bool:
            # The task the caller waits for is always handed out, whatever is ahead of it.
            return index == following or (room[0] > 0 and room[1] > 0)

        given_all = [0, 0]
        try:
            for held in range(_AHEAD):
                for worker in self.workers:
                    if not pending or not may(pending[0]):
                        return
                    if len(worker.chunks) > held:
                        continue
                    given: list[int] = []
                    while pending and len(given) < chunk and may(pending[0]):
                        index = pending.popleft()
                        given.append(index)
                        size = _task_size(tasks[index])
                        room[0] -= 1
                        room[1] -= size
                        given_all[0] += 1
                        given_all[1] += size
                    worker.chunks.append(given)
                    worker.conn.send([(index, tasks[index]) for index in given])
        finally:
            with self._flow:
                self._ahead[0] += given_all[0]
                self._ahead[1] += given_all[1]

    def _collect(self, tasks: list[_Task], pending: deque[int], done: dict[int, Prepared]) -> None:
        busy = [w for w in self.workers if w.chunks]
        assert busy, "tasks left but none handed out"
        sentinels = {w.process.sentinel: w for w in busy}
        ready = wait([w.conn for w in busy] + list(sentinels))
        for worker in busy:
            if worker.conn in ready:
                self._receive(worker, done)
        for sentinel in ready:
            if sentinel in sentinels:
                self._bury(sentinels[sentinel], tasks, pending, done)

    def _receive(self, worker: _Worker, done: dict[int, Prepared]) -> None:
        try:
            while worker.chunks and worker.conn.poll():
                for index, prepared in worker.conn.recv():
                    done[index] = prepared
                worker.chunks.popleft()
        except (EOFError, OSError):
            pass  # the worker died; its sentinel says so

    def _bury(
        self,
        worker: _Worker,
        tasks: list[_Task],
        pending: deque[int],
        done: dict[int, Prepared],
    ) -> None:
        """A worker died: name the file it was on; its other files go to the other workers
        (those it had finished are stored already, and storing them again costs a re-hash)."""
        self._receive(worker, done)
        worker.process.join()
        self.workers.remove(worker)
        worker.conn.close()
        unfinished = worker.tasks
        if not unfinished:
            return
        index, phase = int(worker.state[0]), int(worker.state[1])
        if index not in unfinished or phase == _FINISHED:
            # Died between files: nothing to blame; try them again, but not for ever.
            self.unexplained += 1
            if self.unexplained > 3:
                raise IntakeError("worker processes keep dying between files; intake stopped")
            self._handed_back(tasks, unfinished)
            pending.extendleft(reversed(unfinished))
            return
        again = [i for i in unfinished if i != index]
        self._handed_back(tasks, again)
        pending.extendleft(reversed(again))
        code = worker.process.exitcode or 0
        task = tasks[index]
        if phase == _STORING or isinstance(task, _StoreOnly):
            failed = Prepared(path=_task_path(task), origin=_task_path(task), rejected=True)
            failed.problems.append(
                f"the process storing it died ({exit_reason(code)}); not stored, run the same"
                " command again"
            )
            done[index] = failed
            return
        seconds, _megabytes = self.job.limits
        if code == -signal.SIGALRM:
            reason = f"took longer than {seconds:g} s to read"
        else:
            reason = f"its reader crashed ({exit_reason(code)})"
        problem = f"{reason}; stored without what its readers would have found"
        if isinstance(task, _ReadStored):
            task.prepared.problems.append(problem)
            task.prepared.meta.setdefault("intake", {})["problems"] = list(task.prepared.problems)
            done[index] = task.prepared
        else:
            # The file is safe in the vault; a worker takes it in again without reading it.
            self._handed_back(tasks, [index])
            tasks[index] = _StoreOnly(task, problem)
            pending.appendleft(index)

    def _handed_back(self, tasks: list[_Task], indices: list[int]) -> None:
        """Tasks that go back to wait (their worker died) no longer count as handed out."""
        with self._flow:
            self._ahead[0] -= len(indices)
            self._ahead[1] -= sum(_task_size(tasks[i]) for i in indices)

    def close(self) -> None:
        """Stop every worker (an interrupted file leaves only a temporary file, cleaned later)."""
        self._stopping = True
        with self._flow:
            self._flow.notify_all()
        if self._pump is not None and self._pump.is_alive():
            # Interrupted: the pump is waiting on busy workers; ending them wakes it.
            for worker in list(self.workers):
                if worker.chunks:
                    worker.process.terminate()
            self._pump.join(timeout=10)
        for worker in self.workers:
            if not worker.chunks:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
            else:
                worker.process.terminate()
        for worker in self.workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.workers = []


def _prepare_all(
    job: _Job, entries: list[Entry], jobs: int, cluster: Cluster | None = None
) -> Iterator[Prepared]:
    if not entries:
        return
    if cluster is not None:
        yield from _on_cluster(job, _cluster_chunks(entries), cluster)
        return
    workers = _Workers(job, min(jobs, len(entries)))
    try:
        chunk = 1 if any(e.size > 8 * 1024 * 1024 for e in entries) else 16
        yield from workers.run(entries, chunk)
    finally:
        workers.close()


# --- On a Dask cluster ---------------------------------------------------------------------------
#
# Each Dask task is a few files, prepared on a worker exactly as here: by one forked worker
# process of its own (``_Workers``), under the same time and memory limits, so a file that
# balloons or crashes its reader costs that child process and that file's reading, never the
# Dask worker. A Dask worker that dies (killed, lost) has its task run again by Dask on another
# one; storing a file twice costs a re-hash and leaves one blob. A task that keeps killing
# workers comes back as KilledWorker: its files are then tried one by one, and the one at fault
# is stored without being read (a problem line, as for a crashing reader), or named as not
# stored if even that kills them.

# Files per Dask task, and bytes: enough to amortise a fork, few enough to keep workers even.
CLUSTER_FILES = 4
CLUSTER_BYTES = 32 * 1024 * 1024
# Tasks on the cluster at once, per worker. A task of a few small files takes a worker tens of
# milliseconds, while the coordinator commits a batch for up to a second (BATCH_SECONDS): with
# only two tasks each (the default of ordered_map), the workers would wait on every commit.
CLUSTER_AHEAD = 8


def _cluster_chunks(entries: list[Entry]) -> Iterator[list[_Task]]:
    chunk: list[_Task] = []
    size = 0
    for entry in entries:
        if chunk and (len(chunk) >= CLUSTER_FILES or size + entry.size > CLUSTER_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(entry)
        size += entry.size
    if chunk:
        yield chunk


# The reading process of each thread of this cluster worker, kept from one task of the same
# intake to the next (keyed by the pickled job): it has imported its decoders and loaded what
# they load, as an intake's own workers do for its whole length, instead of doing so again for
# every chunk. One per thread: a worker started with several threads runs tasks side by side.
_POOL: dict[int, tuple[str, _Workers]] = {}


def _run_chunk(job: _Job, tasks: list[_Task]) -> list[Prepared]:
    """On a cluster worker: prepare a few files in a limited child process of its own."""
    import cloudpickle

    from enquiry.cluster import allow_child_processes

    allow_child_processes()
    thread = threading.get_ident()
    key = hashlib.sha256(cloudpickle.dumps(job)).hexdigest()
    kept = _POOL.get(thread)
    if kept is not None and kept[0] == key:
        workers = kept[1]
    else:
        if kept is not None:
            kept[1].close()
        workers = _Workers(job, 1)
        _POOL[thread] = (key, workers)
    workers.ready()
    try:
        return list(workers.run(list(tasks), len(tasks)))
    except BaseException:
        _POOL.pop(thread, None)
        workers.close()
        raise


class _GivenUp:
    """What to do with a task whose cluster workers kept dying (``on_killed`` of
    :func:`~enquiry.cluster.ordered_map`).

    A chunk's files are tried one by one. A single file is stored without being read when its
    readers were running as a worker died (its mark is still there, see :attr:`_Job.marked`).
    Otherwise it only sat beside the file at fault on the dying workers, and it is tried again,
    once; the file at fault has given up by then. A file that kills workers even when stored
    unread is named as not stored."""

    def __init__(self, job: _Job) -> None:
        self.job = job
        self.tried: set[str] = set()

    def __call__(
        self, killed: Killed
    ) -> tuple[list[list[_Task]], None] | tuple[None, list[Prepared]]:
        tasks: list[_Task] = killed.task
        if len(tasks) > 1:
            return [[task] for task in tasks], None
        task = tasks[0]
        path = _task_path(task)
        mark = _reading_mark(self.job, path)
        if not isinstance(task, _StoreOnly) and not mark.exists() and path not in self.tried:
            self.tried.add(path)
            again: list[_Task] = [task]
            return [again], None
        mark.unlink(missing_ok=True)
        problem = (
            "the cluster workers reading it kept dying; stored without what its readers would"
            " have found"
        )
        if isinstance(task, _ReadStored):
            # Content the coordinator stored: it stays stored, unread.
            prepared = task.prepared
            prepared.problems.append(problem)
            prepared.meta.setdefault("intake", {})["problems"] = list(prepared.problems)
            return None, [prepared]
        if not isinstance(task, _StoreOnly):
            unread: list[_Task] = [_StoreOnly(task, problem)]
            return [unread], None
        failed = Prepared(path=path, origin=path, rejected=True)
        failed.problems.append(
            "the cluster workers storing it kept dying; not stored, run the same command again"
        )
        return None, [failed]


def _on_cluster(job: _Job, chunks: Iterable[list[_Task]], cluster: Cluster) -> Iterator[Prepared]:
    """Each chunk's results, in order, from the cluster's workers; the files being read marked
    (see :attr:`_Job.marked`) so that a worker's death is charged to the right file."""
    from functools import partial

    from enquiry.cluster import ordered_map, worker_count

    job = replace(job, marked=True)
    try:
        for prepared in ordered_map(
            cluster,
            partial(_run_chunk, job),
            chunks,
            on_killed=_GivenUp(job),
            ahead=CLUSTER_AHEAD * worker_count(cluster.client),
        ):
            yield from prepared
    finally:
        _clear_marks(job)


def _read_stored(job: _Job, prepared: Prepared) -> Prepared:
    """Run the readers on content the main process has stored, in a worker of its own."""
    return _run_alone(job, _ReadStored(prepared))


def _run_alone(job: _Job, task: _Task) -> Prepared:
    workers = _Workers(job, 1)
    try:
        return next(workers.run([task], 1))
    finally:
        workers.close()


class _CaseWriter:
    """Writes prepared files of one case in batches, each batch one transaction."""

    def __init__(self, store: Store, options: IntakeOptions) -> None:
        self.store = store
        self.options = options
        self.case_id: int | None = None
        self.source_id: int | None = None
        self.by_sha: dict[str, int] = {}
        self.received_at: dict[int, str] = {}
        self.paths: dict[str, tuple[int, int, int]] = {}
        self.sha_of: dict[int, str] = {}
        # The caller's open transaction, when the intake is part of a larger one.
        self.within: tuple[Connection, LedgerWriter] | None = None
        # Secret records of protected items about to be written, and which items are encrypted.
        self.secrets: dict[int, dict[str, Any]] = {}
        self.encrypted: dict[int, bool] = {}
        self.public: bytes | None = None
        self.batch: KeyBatch | None = None

    def load(self) -> None:
        """What the case already holds: its originals by hash, and the paths taken in."""
        with self.store.engine.connect() as connection:
            case_id = self.store.case_id(connection, self.options.case)
            if case_id is None:
                return
            self.case_id = case_id
            rows = connection.execute(
                select(Item.id, Item.sha256, Item.created_at).where(
                    Item.case_id == case_id, Item.derived_from.is_(None), Item.sha256.is_not(None)
                )
            ).all()
            self.by_sha = {str(sha): int(item_id) for item_id, sha, _at in rows}
            self.sha_of = {item_id: sha for sha, item_id in self.by_sha.items()}
            self.received_at = {int(item_id): str(at) for item_id, _sha, at in rows}
            origins = connection.execute(
                select(
                    ItemOrigin.path, ItemOrigin.size, ItemOrigin.mtime_ns, ItemOrigin.item_id
                ).where(ItemOrigin.case_id == case_id)
            )
            self.paths = {path: (size, mtime, item) for path, size, mtime, item in origins}

    def unchanged(self, entry: Entry) -> int | None:
        """The item a path already became, if it has the same size and modification time."""
        known = self.paths.get(printable(os.path.abspath(entry.path)))
        if known and known[0] == entry.size and known[1] == entry.mtime_ns:
            # A blob that may have been touched since is read again, so the file repairs it.
            sha = self.sha_of.get(known[2])
            if sha is not None and not self._blob_untouched(sha, entry.size, known[2]):
                return None
            return known[2]
        return None

    def _blob_untouched(self, sha256: str, size: int, item_id: int) -> bool:
        """Whether the blob is as the vault left it: present, of the file's size, read-only,
        and with no change of its inode since the item was received. Writing into a blob means
        making it writable and writing, each of which moves its change time (ctime), which no
        one can set back; a blob that fails this is re-hashed through the normal path."""
        try:
            info = self.store.vault.path(sha256).stat()
        except OSError:
            return False
        if info.st_size != size or info.st_mode & 0o222:
            return False
        received = self.received_at.get(item_id)
        if received is None:
            return True
        try:
            at = datetime.fromisoformat(received.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return False
        return info.st_ctime <= at

    def _ensure_source(self, connection: Connection, writer: LedgerWriter) -> int | None:
        name = self.options.source
        if not name or self.case_id is None:
            return None
        found = connection.execute(
            select(Source.id).where(Source.case_id == self.case_id, Source.name == name)
        ).scalar()
        if found is not None:
            return int(found)
        new_id = connection.execute(
            insert(Source).values(case_id=self.case_id, name=name, reliability="F", description="")
        ).inserted_primary_key
        assert new_id is not None
        writer.append("created", case_id=self.case_id, details={"source": name, "reliability": "F"})
        return int(new_id[0])

    def write(self, batch: list[Prepared], results: list[FileResult]) -> None:
        if self.case_id is None and all(p.rejected for p in batch):
            # Nothing to keep: no case is created, and the ledger records nothing.
            results.extend(
                FileResult(p.path, "rejected", kind=p.kind or None, problems=list(p.problems))
                for p in batch
            )
            return
        # Ciphertexts the workers made under data keys that only this batch's rows hold: if
        # the transaction rolls back, nobody can ever open them, and they must not stay.
        self.store.made_for_transaction.update(
            str(p.sealed["row"]["cipher_sha256"]) for p in batch if p.sealed is not None
        )
        try:
            if self.within is not None:
                self._write_batch(*self.within, batch, results)
                return
            with self.store.writing() as (connection, writer):
                self._write_batch(connection, writer, batch, results)
        except KeyUnavailable:
            # Nothing of the batch was recorded: the plain copies of its protected files must
            # not stay behind in the vault.
            self.secrets.clear()
            self._forget_plain(batch)
            raise

    def _forget_plain(self, batch: list[Prepared]) -> None:
        # Under the writers' lock (the caller's, for an intake within its transaction), keeping
        # any that an unencrypted item committed since needs.
        self.store.discard_unneeded(
            {p.sha256 for p in batch if p.sha256},
            locked=self.within[0] if self.within is not None else None,
        )

    def _write_batch(
        self,
        connection: Connection,
        writer: LedgerWriter,
        batch: list[Prepared],
        results: list[FileResult],
    ) -> None:
        if self.case_id is None:
            self.case_id = self.store.ensure_case(connection, writer, self.options.case)
        if self.source_id is None:
            self.source_id = self._ensure_source(connection, writer)
        self._refresh(connection, batch)
        self._blobs_still_there(connection, batch)
        done = len(results)
        self._write(connection, writer, batch, results)
        self._record_repairs(connection, writer, batch, results[done:])

    def _blobs_still_there(self, connection: Connection, batch: list[Prepared]) -> None:
        """Make sure every plain blob the batch's rows will name is in the vault, now that the
        writers' lock is held (see :meth:`Store.discard_unneeded`).

        A worker that found the bytes already stored stored nothing; if an item holding them
        was protected meanwhile, in another process, and nothing committed in the clear
        needed them, their blob has since been removed. The bytes are stored again from the
        file just read; a file that cannot give them back (gone, or changed since) is refused
        with one line, and the rest of the batch is committed. The lock is held until the
        commit, so nothing removes a blob between this check and the rows naming it."""
        standalone = self.options.derived_from is not None or self.options.key is not None
        for prepared in batch:
            sha = prepared.sha256
            if prepared.rejected or sha is None or prepared.sealed is not None:
                continue  # a worker's ciphertext is under a fresh key: nobody else names it
            if self.store.vault.has(sha):
                continue
            known = None if standalone else self.by_sha.get(sha)
            if known is not None and self._encrypted(connection, known):
                continue  # a duplicate of an encrypted item names its ciphertext, not this
            problem = self._store_again(prepared, sha)
            if problem is not None:
                prepared.problems.append(problem)
                prepared.rejected = True

    def _store_again(self, prepared: Prepared, sha: str) -> str | None:
        """Store the file's bytes again under ``sha``; why not, if they cannot be."""
        reason = "it arrived as content, not as a file"
        if prepared.source is not None:
            try:
                stored = self.store.vault.put_file(
                    Path(prepared.source), max_size=self.options.max_size
                )
            except VaultError as exc:
                reason = str(exc)
            else:
                if stored.sha256 == sha:
                    return None
                if stored.new:
                    self.store.vault.discard(stored.sha256)
                reason = "its bytes have changed since it was read"
        return (
            "its bytes were removed from the vault while this intake ran (the item already"
            f" holding them was protected) and cannot be stored again: {reason}; not taken in,"
            " add it again"
        )

    def _refresh(self, connection: Connection, batch: list[Prepared]) -> None:
        """Learn what another intake into the same case committed since :meth:`load`.

        Runs under the ledger's lock, so two intakes of the same files at once still store
        each content once and record each path once.
        """
        shas = {p.sha256 for p in batch if p.sha256 and not p.rejected} - set(self.by_sha)
        if shas:
            rows = connection.execute(
                select(Item.id, Item.sha256)
                .where(
                    Item.case_id == self.case_id,
                    Item.derived_from.is_(None),
                    Item.sha256.in_(sorted(shas)),
                )
                .order_by(Item.id)
            )
            for item_id, sha in rows:
                self.by_sha.setdefault(str(sha), int(item_id))
        paths = {p.origin for p in batch if not p.rejected} - set(self.paths)
        if paths:
            origins = connection.execute(
                select(
                    ItemOrigin.path, ItemOrigin.size, ItemOrigin.mtime_ns, ItemOrigin.item_id
                ).where(ItemOrigin.case_id == self.case_id, ItemOrigin.path.in_(sorted(paths)))
            )
            for path, size, mtime, item in origins:
                self.paths[str(path)] = (int(size), int(mtime), int(item))

    def _record_repairs(
        self,
        connection: Connection,
        writer: LedgerWriter,
        batch: list[Prepared],
        results: list[FileResult],
    ) -> None:
        """A ``repaired`` event for every item whose blob these files just replaced.

        The vault replaced a corrupt blob with genuine bytes; every item holding that hash, in
        any case, had been pointing at bad bytes, and its custody record must say when that
        ended and who brought the bytes back.
        """
        repaired = sorted({p.sha256 for p in batch if p.repaired and p.sha256})
        if not repaired:
            return
        for result in results:
            result.repaired = result.sha256 in repaired
        rows = connection.execute(
            select(Item.id, Item.case_id, Item.sha256, Item.size)
            .where(Item.sha256.in_(repaired))
            .order_by(Item.id)
        )
        for item_id, case_id, sha, size in rows:
            writer.append(
                "repaired",
                case_id=case_id,
                item_id=item_id,
                details={"sha256": sha, "size": size, "blob": "replaced by genuine bytes"},
            )

    def _not_applied(self, connection: Connection, item_id: int) -> str | None:
        """Why a --kind or --field given for bytes already in the case was not applied."""
        options = self.options
        if not (options.kind or options.fields):
            return None
        row = connection.execute(select(Item.kind, Item.fields).where(Item.id == item_id)).first()
        if row is None:
            return None
        wanted = dict(row.fields or {})
        wanted.update(options.fields)
        if (options.kind in (None, row.kind)) and wanted == dict(row.fields or {}):
            return None
        return (
            f"already in the case as item {item_id} ({row.kind}); --kind/--field not applied:"
            f" change it with 'enquiry item update {item_id}'"
        )

    def _item_row(self, prepared: Prepared) -> dict[str, Any]:
        options = self.options
        kind = get_kind(prepared.kind)
        protected = kind.is_protected(prepared.fields)
        if options.protected is not None:
            protected = protected or options.protected
        row = {
            "case_id": self.case_id,
            "kind": prepared.kind,
            "sha256": prepared.sha256,
            "size": prepared.size,
            "media_type": prepared.media_type,
            "original_name": printable(os.path.basename(prepared.origin)),
            "fields": prepared.fields,
            "meta": prepared.meta,
            "source_id": self.source_id,
            "credibility": None,
            "protected": protected,
            "derived_from": options.derived_from,
            "transformation": dict(options.transformation) if options.transformation else None,
            "origin": None,
            "key": options.key,
            "created_at": utc_now(),
        }
        if protected and prepared.sealed is not None:
            row.update(original_name=WITHHELD_AT_REST, fields=prepared.sealed["fields"], meta={})
        elif protected:
            # What could name the witness goes into the item's sealed secret record; the row
            # keeps only what any listing shows.
            record, stored = secret_record(
                str(row["original_name"]),
                prepared.fields,
                kind.identifying_fields(),
                prepared.meta,
                [prepared.origin],
                dict(prepared.texts),
            )
            self.secrets[id(prepared)] = record
            row.update(original_name=WITHHELD_AT_REST, fields=stored, meta={})
        return row

    def _encrypted(self, connection: Connection, item_id: int) -> bool:
        if item_id not in self.encrypted:
            self.encrypted[item_id] = bool(at_rest(connection, [item_id]))
        return self.encrypted[item_id]

    def _keyed(self, connection: Connection, prepared: Prepared) -> int | None:
        """The item already holding this key with the same bytes; rejects other bytes."""
        key = self.options.key
        if key is None:
            return None
        row = connection.execute(
            select(Item.id, Item.sha256).where(Item.case_id == self.case_id, Item.key == key)
        ).first()
        if row is None:
            return None
        if row.sha256 != prepared.sha256:
            prepared.problems.append(
                f"key '{key}' already names item {row.id}, which holds other bytes; not replaced"
            )
            prepared.rejected = True
            return None
        return int(row.id)

    def _write(
        self,
        connection: Connection,
        writer: LedgerWriter,
        batch: list[Prepared],
        results: list[FileResult],
    ) -> None:
        assert self.case_id is not None
        fresh: list[Prepared] = []
        fresh_rows: list[dict[str, Any]] = []
        pending_sha: set[str] = set()
        keyed: dict[int, int] = {}
        # A derivative, or an item a case file names by key, is an item of its own even when
        # its bytes are already in the case; anything else with known bytes is a duplicate.
        standalone = self.options.derived_from is not None or self.options.key is not None
        for prepared in batch:
            if prepared.rejected or prepared.sha256 is None:
                continue
            if standalone:
                existing = self._keyed(connection, prepared)
                if existing is not None:
                    keyed[id(prepared)] = existing
                    continue
                if prepared.rejected:
                    continue
            elif prepared.sha256 in self.by_sha or prepared.sha256 in pending_sha:
                continue
            pending_sha.add(prepared.sha256)
            fresh.append(prepared)
            fresh_rows.append(self._item_row(prepared))
        if fresh_rows:
            table = Item.__table__
            assert isinstance(table, Table)
            ids = insert_rows(
                connection,
                table,
                [
                    {("metadata" if k == "meta" else k): v for k, v in row.items()}
                    for row in fresh_rows
                ],
            )
        else:
            ids = []
        new_ids = {id(p): item_id for p, item_id in zip(fresh, ids, strict=True)}
        rows_by = {id(p): row for p, row in zip(fresh, fresh_rows, strict=True)}
        origins: list[dict[str, Any]] = []
        texts: list[dict[str, Any]] = []
        hashes: list[dict[str, Any]] = []
        plain: set[str] = set()
        keys: list[dict[str, Any]] = []
        used: set[int] = set()
        for prepared in batch:
            result = FileResult(
                path=prepared.path,
                status="rejected" if prepared.rejected else "stored",
                sha256=prepared.sha256,
                kind=prepared.kind or None,
                problems=list(prepared.problems),
            )
            results.append(result)
            if id(prepared) in keyed:
                result.status, result.item_id = "unchanged", keyed[id(prepared)]
                continue
            if prepared.rejected or prepared.sha256 is None:
                result.status = "rejected"
                continue
            item_id = new_ids.get(id(prepared))
            if item_id is not None:
                row = rows_by[id(prepared)]
                text_digests = prepared.text_digests or {
                    name: _sha_text(text) for name, text in prepared.texts
                }
                secret = self.secrets.pop(id(prepared), None)
                if row["protected"] and prepared.sealed is not None:
                    secret = {}  # sealed by the worker: only the ids were missing
                    keys.append(dict(prepared.sealed["row"], item_id=item_id, case_id=self.case_id))
                    used.add(id(prepared))
                    self.encrypted[item_id] = True
                elif secret is not None:
                    if self.public is None:
                        self.public = case_public_key(connection, self.case_id)
                    if self.batch is None or self.batch.public != self.public:
                        self.batch = KeyBatch(self.public)
                    keys.append(
                        encrypted_row(
                            self.store.vault,
                            public=self.public,
                            batch=self.batch,
                            case_id=self.case_id,
                            item_id=item_id,
                            sha256=prepared.sha256,
                            secret=secret,
                        )
                    )
                    self.store.made_for_transaction.add(str(keys[-1]["cipher_sha256"]))
                    self.encrypted[item_id] = True
                else:
                    # A new item given no item_keys row in this transaction is not encrypted:
                    # no need to ask the catalogue, item by item, below.
                    self.encrypted[item_id] = False
                details: dict[str, Any] = {
                    "sha256": prepared.sha256,
                    "size": prepared.size,
                    "kind": prepared.kind,
                    "media_type": prepared.media_type,
                    "name": row["original_name"],
                    "path": WITHHELD_AT_REST if secret is not None else prepared.origin,
                    "state": state_digest(row),
                    **({"texts": text_digests} if text_digests else {}),
                }
                action = "received"
                if self.options.derived_from is not None:
                    action = "derived"
                    details["derived_from"] = self.options.derived_from
                    details["transformation"] = row["transformation"]
                else:
                    self.by_sha[prepared.sha256] = item_id
                if self.options.source:
                    details["source"] = self.options.source
                if self.options.receipt:
                    details.update(self.options.receipt)
                head = writer.append(action, case_id=self.case_id, item_id=item_id, details=details)
                for extractor, text in prepared.texts:
                    texts.append(
                        {
                            "item_id": item_id,
                            "extractor": extractor,
                            "text": "" if secret is not None else text,
                            "sha256": text_digests[extractor],
                        }
                    )
                # A protected photograph's perceptual hashes would find it, in the clear, from
                # any copy of it (resized, re-encoded, posted): they are not kept.
                for entry in [] if row["protected"] else prepared.hashes:
                    hashes.append(
                        {
                            "item_id": item_id,
                            "algorithm": entry.get("algorithm", ""),
                            "t": entry.get("t"),
                            "hash": entry.get("hash", ""),
                            "quality": entry.get("quality"),
                            "data": entry.get("data") or {},
                        }
                    )
            else:
                item_id = self.by_sha[prepared.sha256]
                result.status = "duplicate"
                refused = self._not_applied(connection, item_id)
                if refused:
                    result.problems.append(refused)
                known = self.paths.get(prepared.origin)
                if known and known[2] == item_id:
                    result.status = "unchanged"
                    result.item_id = item_id
                    continue
                head = writer.append(
                    "received",
                    case_id=self.case_id,
                    item_id=item_id,
                    details={
                        "sha256": prepared.sha256,
                        "size": prepared.size,
                        "path": (
                            WITHHELD_AT_REST
                            if self._encrypted(connection, item_id)
                            else prepared.origin
                        ),
                        "duplicate_of": item_id,
                    },
                )
            result.item_id = item_id
            encrypted = self._encrypted(connection, item_id)
            if encrypted:
                plain.add(prepared.sha256)
            origins.append(
                {
                    "item_id": item_id,
                    "case_id": self.case_id,
                    # A protected item's path is in its secret record (its first) or not kept.
                    "path": WITHHELD_AT_REST if encrypted else prepared.origin,
                    "size": prepared.size,
                    "mtime_ns": prepared.mtime_ns,
                    "event_seq": head.seq,
                }
            )
            self.paths[prepared.origin] = (prepared.size, prepared.mtime_ns, item_id)
        if keys:
            connection.execute(insert(ItemKey), keys)
        # Ciphertexts made by workers for files that turned out to be duplicates or rejected.
        self.store.plain_to_remove.update(
            str(p.sealed["row"]["cipher_sha256"])
            for p in batch
            if p.sealed is not None and id(p) not in used
        )
        self.store.plain_to_remove.update(plain_copies(connection, plain))
        if origins:
            connection.execute(insert(ItemOrigin), origins)
        if texts:
            connection.execute(insert(ItemText), texts)
        if hashes:
            connection.execute(insert(MediaHash), hashes)


def _sha_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_options(options: IntakeOptions) -> None:
    """Refuse a request that cannot succeed for any file: unknown kind, misnamed field."""
    problem = case_name_problem(options.case)
    if problem is not None:
        raise IntakeError(f"--case: {problem}")
    # Text typed in another encoding than UTF-8 is refused before any file is stored: the
    # catalogue, which takes only text, would refuse it after the vault had taken the files.
    texts = {"--source": options.source, "--key": options.key}
    texts.update({f"--field {k}": v for k, v in options.fields.items() if isinstance(v, str)})
    for option, text in texts.items():
        if text is not None and not is_utf8(text):
            raise IntakeError(
                f"{option}: '{printable(text)}' is not UTF-8 text (typed or set in another"
                " encoding)"
            )
    try:
        # Every kind is read now, so that a kind file that cannot be read stops the command in
        # one line naming it, rather than once for every file taken in.
        all_kinds()
        if options.kind:
            get_kind(options.kind).validate(options.fields, complete=True)
        else:
            for name, value in options.fields.items():
                specs = [f for k in all_kinds().values() for f in k.fields if f.name == name]
                if not specs:
                    raise FieldError(f"field '{name}': no evidence kind has such a field")
                specs[0].parse(value)
    except (KindError, FieldError) as exc:
        raise IntakeError(str(exc)) from exc
    if options.max_size is not None and options.max_size <= 0:
        raise IntakeError(f"--max-size must be positive, not {options.max_size}")


def _listed(paths: Sequence[Path | Entry]) -> Iterator[Entry]:
    """The files to take in: each path walked, each :class:`Entry` (a file a caller listed by
    walking a folder itself) as it is, with its problem — so that a caller that walks a folder
    to pick some of its files out hands over what the walk found, not bare paths that would
    count as named by the user (a link inside the folder to a file outside it is followed only
    when the user names it)."""
    run: list[Path] = []
    for path in paths:
        if isinstance(path, Entry):
            yield from walk(run)
            run = []
            yield path
        else:
            run.append(path)
    yield from walk(run)


def add_paths(
    store: Store,
    paths: Sequence[Path | Entry],
    options: IntakeOptions,
    extractors: Iterable[Extractor],
    *,
    on_problem: Callable[[str], None] | None = None,
    progress: Progress | None = None,
    cluster: Cluster | None = None,
) -> IntakeReport:
    """Take in files and folders; return what became of each path.

    With a ``cluster``, the files are stored and read by its workers (which must mount the
    vault at the same path) and only the writing happens here, in the same order and batches,
    so the catalogue and ledger are those a run without it would have made.

    ``progress`` hears the bytes read (one stage, in bytes) unless ``options.progress`` is
    false, and one line per problem as soon as it is known — or ``on_problem`` does, if given.
    A KeyboardInterrupt stops the intake after the last committed batch and is re-raised with
    the partial report attached as ``exc.report``.
    """
    check_options(options)
    store.vault.clean_temp()
    writer = _CaseWriter(store, options)
    writer.load()
    report = IntakeReport()
    entries: list[Entry] = []
    for entry in _listed(paths):
        # With --kind or --field the user asks for something about these files, so even an
        # unchanged path goes through the write, which says if it cannot be applied.
        quick = entry.problem is None and not (
            options.kind or options.fields or options.derived_from
        )
        item_id = writer.unchanged(entry) if quick else None
        if item_id is not None:
            report.results.append(FileResult(printable(str(entry.path)), "unchanged", item_id))
        else:
            entries.append(entry)
    # Files stored by this machine's workers are flushed to the disk together, once before
    # each batch is committed (see ``commit`` below); a cluster's workers, on other machines,
    # flush each of their own.
    job = _Job(
        store.vault if cluster is not None else store.vault.deferring(),
        options,
        tuple(extractors),
        decode_limits(options),
        public=_known_public_key(store, options.case),
        run=uuid.uuid4().hex,
    )
    jobs = options.jobs or (os.cpu_count() or 1)
    bar: Progress = progress if progress is not None and options.progress else Silent()
    sink = on_problem or (progress.problem if progress is not None else None)
    bar.start(f"{len(entries)} files", sum(e.size for e in entries), "B")
    batch: list[Prepared] = []
    batch_chars = 0
    started = time.monotonic()
    counts = {"read": 0, "written": 0, "problems": 0}
    try:

        def commit(batch: list[Prepared]) -> None:
            done = len(report.results)
            job.vault.sync()  # the batch's blobs on disk before its rows name them
            writer.write(batch, report.results)
            for result in report.results[done:]:
                if sink and result.problems:
                    sink(f"{result.path}: {'; '.join(result.problems)}")
            counts["written"] += len(batch)
            counts["problems"] += sum(1 for r in report.results[done:] if r.problems)
            show_counts(bar, counts)

        try:
            for prepared in _prepare_all(job, entries, jobs, cluster):
                batch.append(prepared)
                batch_chars += sum(len(text) for _name, text in prepared.texts)
                counts["read"] += 1
                show_counts(bar, counts)
                bar.advance(prepared.size)
                if (
                    len(batch) >= BATCH_FILES
                    or batch_chars >= BATCH_CHARS
                    or time.monotonic() - started > BATCH_SECONDS
                ):
                    commit(batch)
                    batch, batch_chars = [], 0
                    started = time.monotonic()
        except ClusterUnavailable:
            # The files read before the scheduler went away are kept; the rest wait for a re-run.
            if batch:
                commit(batch)
            raise
        if batch:
            commit(batch)
    except KeyboardInterrupt as exc:
        report.interrupted = True
        exc.report = report  # type: ignore[attr-defined]
        raise
    finally:
        bar.finish()
    return report


def _known_public_key(store: Store, case: str) -> bytes | None:
    with store.engine.connect() as connection:
        found = connection.execute(
            select(CaseKey.public_key)
            .join(Case, Case.id == CaseKey.case_id)
            .where(Case.name == case)
        ).scalar()
    return bytes(found) if found is not None else None


def _store_bytes(job: _Job, store: Store, data: bytes, name: str) -> Prepared:
    """Bytes that arrived other than as a file, typed and stored like a file (not yet read:
    ``sha256`` set when its readers are to run)."""
    prepared = Prepared(path=printable(name), origin=printable(name), size=len(data))
    if not data:
        prepared.problems.append("empty content: nothing to preserve")
        prepared.rejected = True
    elif _classify(job, prepared, data[:HEAD_BYTES], name) is not None:
        stored = store.vault.put_bytes(data)
        prepared.sha256 = stored.sha256
        prepared.repaired = stored.repaired
    return prepared


def _prepare_bytes(job: _Job, store: Store, data: bytes, name: str) -> Prepared:
    """Bytes that arrived other than as a file, typed, stored and read like a file."""
    prepared = _store_bytes(job, store, data, name)
    return _read_stored(job, prepared) if prepared.sha256 is not None else prepared


def _read_all(
    job: _Job, stored: list[Prepared], cluster: Cluster | None, jobs: int
) -> Iterator[Prepared]:
    """Read content the main process stored, in order: by the cluster's workers, or by this
    machine's reading processes — one pool for all of it, not one process per piece."""
    tasks: list[_Task] = [_ReadStored(prepared) for prepared in stored]
    if not tasks:
        return
    if cluster is not None:
        chunks = [tasks[at : at + CLUSTER_FILES] for at in range(0, len(tasks), CLUSTER_FILES)]
        yield from _on_cluster(job, chunks, cluster)
        return
    workers = _Workers(job, min(jobs, len(tasks)))
    try:
        yield from workers.run(tasks, 16)
    finally:
        workers.close()


def add_contents(
    store: Store,
    contents: Iterable[tuple[bytes, str]],
    options: IntakeOptions,
    extractors: Iterable[Extractor],
    *,
    cluster: Cluster | None = None,
) -> IntakeReport:
    """Take in many pieces of content that arrived other than as files (a feed's entries),
    each with the name recorded as its origin (e.g. its URL).

    Each is typed and stored here; then all are read together — by a cluster's workers when
    ``cluster`` is given (they mount the vault), else by this machine's reading processes —
    and written in order, in batches, as :func:`add_paths` writes files.
    """
    check_options(options)
    job = _Job(store.vault, options, tuple(extractors), decode_limits(options))
    prepared = [_store_bytes(job, store, data, name) for data, name in contents]
    to_read = [index for index, p in enumerate(prepared) if p.sha256 is not None]
    jobs = options.jobs or (os.cpu_count() or 1)
    for index, read in zip(
        to_read, _read_all(job, [prepared[i] for i in to_read], cluster, jobs), strict=True
    ):
        prepared[index] = read
    writer = _CaseWriter(store, options)
    writer.load()
    report = IntakeReport()
    for at in range(0, len(prepared), BATCH_FILES):
        writer.write(prepared[at : at + BATCH_FILES], report.results)
    return report


def add_bytes(
    store: Store,
    data: bytes,
    name: str,
    options: IntakeOptions,
    extractors: Iterable[Extractor],
) -> IntakeReport:
    """Take in bytes that arrived other than as a file (a case file's inline text, one feed
    entry); many at once: :func:`add_contents`.

    ``name`` is recorded as the origin (e.g. a URL or ``casefile.yaml#items/W-01``).
    """
    return add_contents(store, [(data, name)], options, extractors)


def add_within(
    connection: Connection,
    writer: LedgerWriter,
    store: Store,
    content: Path | bytes,
    name: str,
    options: IntakeOptions,
    extractors: Iterable[Extractor],
) -> FileResult:
    """Take in one file (a regular file the caller has checked) or one piece of content inside
    the caller's transaction, so that a larger operation (a case file's load) commits it
    together with everything else or not at all. ``name`` is the origin recorded for bytes.
    """
    check_options(options)
    job = _Job(store.vault, options, tuple(extractors), decode_limits(options))
    if isinstance(content, bytes):
        prepared = _prepare_bytes(job, store, content, name)
    else:
        info = content.stat()
        listed = Entry(content, info.st_size, info.st_mtime_ns, identity=(info.st_dev, info.st_ino))
        prepared = _run_alone(job, listed)
    case_writer = _CaseWriter(store, options)
    case_writer.within = (connection, writer)
    case_writer.case_id = store.case_id(connection, options.case)
    results: list[FileResult] = []
    case_writer.write([prepared], results)
    return results[0]
