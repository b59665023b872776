"""Receiving uploaded files, for the pages and the API alike.

An upload is evidence arriving, and it may be protected — a testimony, or any file sent as
protected — which is known only once its bytes are in (the form's fields may come after the
files, and a kind can be detected from the content). Protected evidence is encrypted at rest,
and its plaintext must never sit in a file of a disk that is deleted afterwards: a file deleted
from a disk stays in its free blocks, readable by whoever seizes the machine. So every upload
is received the same way, as a protected one must be.

The request's body is parsed here, as it streams in (not by Starlette's form parser, which
spools every file over 1 MiB to the system's temporary folder), and each file is written
straight into the place it is taken in from: an anonymous memory file (see
:class:`~enquiry.app.incoming.StagedFile`) while the file is at most
:data:`~enquiry.store.vault.MEMORY_COPY_LIMIT` and the uploads in flight hold at most
:data:`~enquiry.app.incoming.MEMORY_BUDGET` of memory between them; else — a long recording, or many uploads at once —
a file readable by its owner only in the vault's temporary area (``vault/tmp``), which a file
outgrowing memory is moved to. The intake is then given, once, the staging folder
(:func:`enquiry.app.evidence.staging`, in ``/dev/shm``), where each file is a link under its
plain name to its bytes, so that it is recorded as arriving from ``upload:<user>/<its name>``;
the files and the folder are removed whatever happens.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_multipart
from fastapi.exceptions import RequestValidationError
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request

from enquiry.app import Enquiry, evidence, printable
from enquiry.app.evidence import Derived
from enquiry.app.incoming import StagedFile

MAX_FILES = 1000
MAX_FIELDS = 1000
FIELD_MAX = 1 << 20
"""The bounds on a form's parts that Starlette's parser kept: files and other fields per
request, and the bytes of one field that is not a file."""

PIECE = 1 << 20
"""The body is handed to the parser, on a worker thread, in pieces of about this many bytes:
one thread hop per megabyte, not per network read."""

NAME_BYTES = 200
"""The longest plain name, in UTF-8 bytes: file systems refuse names over 255 bytes, and the
numbering that makes a name unique within an upload needs room too."""


def _fit(name: str, limit: int = NAME_BYTES) -> str:
    """``name`` shortened to at most ``limit`` UTF-8 bytes, keeping a short extension (the
    intake may recognise a kind by it) and never cutting a character in two."""
    if len(name.encode("utf-8")) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    tail = f".{ext}" if dot and stem and len(ext.encode("utf-8")) <= 16 else ""
    head = stem if tail else name
    room = limit - len(tail.encode("utf-8"))
    return head.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip() + tail


def plain_name(name: str | None, taken: set[str]) -> str:
    """The uploaded file's own name reduced to a plain file name — no folders, no control
    characters, no dot file, short enough for any file system (a long name of non-ASCII
    letters is far more bytes than letters) — so that it cannot point anywhere but its staging
    folder; made unique within one upload (``taken`` collects the names given)."""
    base = Path((name or "").replace("\\", "/")).name
    base = _fit(printable(base).strip().lstrip("."))
    base = base or "upload"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        stem, dot, ext = base.rpartition(".")
        candidate = f"{stem}-{n}.{ext}" if dot and stem else f"{base}-{n}"
    taken.add(candidate)
    return candidate


@dataclass
class Received:
    """An upload's body as received: its fields that are not files (each name's values, in
    order), and the files of the field that takes them, staged in ``folder``."""

    folder: Path
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[StagedFile] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        """The field's last value (as a form's own parser gives it), or None."""
        values = self.fields.get(name)
        return values[-1] if values else None

    def paths(self) -> list[Path]:
        return [f.link for f in self.files]

    def shown(self, line: str) -> str:
        """A problem line without the staging folder's meaningless path, nor the path of a
        file's bytes: a file is its plain name."""
        # the longest first: /proc/<pid>/fd/7 is the start of /proc/<pid>/fd/70
        for staged in sorted(self.files, key=lambda f: -len(str(f.copy.path))):
            line = line.replace(str(staged.copy.path), staged.name)
        return printable(line.replace(f"{self.folder}/", "").replace(str(self.folder), ""))


class _Parser:
    """The callbacks python-multipart calls as it parses a body: a file part of ``wanted``
    is written into its staging place as its bytes arrive, any other file part is dropped
    unread, any other field is kept (up to :data:`FIELD_MAX` bytes)."""

    def __init__(self, app: Enquiry, received: Received, wanted: str) -> None:
        self.app = app
        self.received = received
        self.wanted = wanted
        self.charset = "utf-8"
        self.taken: set[str] = set()
        self.files = 0
        self.fields = 0
        self._header = b""
        self._value = b""
        self._disposition = b""
        self._name = ""
        self._data: bytearray | None = None
        self._file: StagedFile | None = None

    def _decode(self, raw: bytes) -> str:
        try:
            return raw.decode(self.charset)
        except (UnicodeDecodeError, LookupError):
            return raw.decode("latin-1")

    def on_part_begin(self) -> None:
        self._disposition = b""
        self._data = None
        self._file = None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        if self._header.lower() == b"content-disposition":
            self._disposition = self._value
        self._header = self._value = b""

    def on_headers_finished(self) -> None:
        _disposition, options = parse_options_header(self._disposition)
        if b"name" not in options:
            raise _Malformed('The Content-Disposition header field "name" must be provided.')
        self._name = self._decode(options[b"name"])
        if b"filename" in options:
            self.files += 1
            if self.files > MAX_FILES:
                raise _Malformed(f"Too many files. Maximum number of files is {MAX_FILES}.")
            filename = self._decode(options[b"filename"])
            # a form with no file chosen sends a file part with no name and no bytes
            if self._name == self.wanted and filename:
                name = plain_name(filename, self.taken)
                self._file = StagedFile(self.app, name, self.received.folder / name)
                self.received.files.append(self._file)
        else:
            self.fields += 1
            if self.fields > MAX_FIELDS:
                raise _Malformed(f"Too many fields. Maximum number of fields is {MAX_FIELDS}.")
            self._data = bytearray()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None:
            self._file.write(data[start:end])
        elif self._data is not None:
            if len(self._data) + end - start > FIELD_MAX:
                raise _Malformed(f"Part exceeded maximum size of {FIELD_MAX >> 10}KB.")
            self._data += data[start:end]

    def on_part_end(self) -> None:
        if self._file is not None:
            self._file.finish()
        elif self._data is not None:
            self.received.fields.setdefault(self._name, []).append(self._decode(bytes(self._data)))
        self._file = None
        self._data = None


class _Malformed(Exception):
    """The body is not a form this server reads (*400*, as Starlette's parser answers)."""


@contextlib.asynccontextmanager
async def receive(app: Enquiry, request: Request, wanted: str) -> AsyncIterator[Received]:
    """Receive the request's body: its fields, and the files of the field ``wanted`` staged
    (see the module's docstring) for the length of the block, then removed. A body that is
    not ``multipart/form-data`` carries no files; a URL-encoded form's fields are read (they
    are bounded in size at the edge, :mod:`enquiry.web.limits`)."""
    with evidence.staging(app) as folder:
        received = Received(folder)
        try:
            kind = request.headers.get("content-type", "")
            if kind.lower().startswith("multipart/form-data"):
                await _parse(request, kind, _Parser(app, received, wanted))
            elif kind.lower().startswith("application/x-www-form-urlencoded"):
                for name, value in (await request.form()).multi_items():
                    if isinstance(value, str):
                        received.fields.setdefault(name, []).append(value)
            yield received
        finally:
            for staged in received.files:
                staged.remove()


async def _parse(request: Request, kind: str, parser: _Parser) -> None:
    _, params = parse_options_header(kind)
    charset = params.get(b"charset", b"utf-8")
    parser.charset = charset.decode("latin-1") if isinstance(charset, bytes) else charset
    if b"boundary" not in params:
        raise HTTPException(400, "Missing boundary in multipart.")
    callbacks: Any = {
        name: getattr(parser, name)
        for name in (
            "on_part_begin",
            "on_part_data",
            "on_part_end",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_headers_finished",
        )
    }
    reader = python_multipart.MultipartParser(params[b"boundary"], callbacks)
    try:
        pending: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            pending.append(chunk)
            size += len(chunk)
            if size >= PIECE:
                await run_in_threadpool(_feed, reader, pending)
                pending, size = [], 0
        pending.append(b"")
        await run_in_threadpool(_feed, reader, pending, finish=True)
    except _Malformed as exc:
        raise HTTPException(400, str(exc)) from None
    except FormParserError:
        raise HTTPException(400, "Invalid multipart data.") from None
    if parser._file is not None:  # the body ended inside a file
        raise HTTPException(400, "Invalid multipart data.")


def _feed(
    reader: python_multipart.MultipartParser, chunks: list[bytes], *, finish: bool = False
) -> None:
    """Parse ``chunks`` (and end the body if ``finish``), on a worker thread: parsing writes
    each file's bytes to where it is held, and a write to a disk that stalls, or a file moved
    out of memory (up to :data:`~enquiry.store.vault.MEMORY_COPY_LIMIT` copied), must not stop
    the server answering everyone else meanwhile."""
    for chunk in chunks:
        reader.write(chunk)
    if finish:
        reader.finalize()


def missing(name: str) -> RequestValidationError:
    """The answer to a form without a required field (as FastAPI words it)."""
    return RequestValidationError(
        [{"type": "missing", "loc": ("body", name), "msg": "Field required", "input": None}]
    )


@dataclass(frozen=True)
class UploadedFile:
    """What became of one uploaded file (``name``: the plain name it was received under)."""

    name: str
    status: str
    item_id: int | None
    sha256: str | None
    kind: str | None
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Uploaded:
    files: list[UploadedFile]
    stored: int
    summary: str


async def take_in(
    app: Enquiry,
    case: str,
    received: Received,
    *,
    kind: str | None = None,
    source: str | None = None,
    protected: bool = False,
) -> Uploaded:
    """Take the received files in as evidence of ``case``, as one intake (the core decides
    whether the user may add evidence there); each receipt is a ledger event naming the user
    and saying the file came as an upload."""
    report = await run_in_threadpool(
        evidence.add,
        app,
        received.paths(),
        case=case,
        kind=kind,
        source=source,
        protected=protected,
        jobs=1,
        receipt={"via": "upload"},
        uploaded=received.folder,
    )
    files = [
        UploadedFile(
            name=Path(r.path).name,
            status=r.status,
            item_id=r.item_id,
            sha256=r.sha256,
            kind=r.kind,
            problems=[received.shown(line) for line in r.problems],
        )
        for r in report.results
    ]
    return Uploaded(files, report.count("stored"), report.summary())


async def derive_from(
    app: Enquiry,
    item: str,
    received: Received,
    *,
    how: str,
    tool: str | None = None,
    kind: str | None = None,
) -> Derived:
    """Register the received file as a derivative of ``item`` (see
    :func:`enquiry.app.evidence.derive`), received the same way as an upload."""
    path = received.paths()[-1]  # the last, as a form's parser gives one field's value
    derived = await run_in_threadpool(
        evidence.derive, app, item, path, how=how, tool=tool, kind=kind, uploaded=received.folder
    )
    return Derived(
        derived.item_id,
        derived.derived_from,
        derived.how,
        [received.shown(line) for line in derived.problems],
    )
