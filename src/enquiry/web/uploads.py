"""Receiving uploaded files, for the pages and the API alike.

An upload is evidence arriving: its bytes are streamed part by part, in pieces, into the core's
private staging folder in the home (:func:`enquiry.app.evidence.staging`, on the vault's file
system, so taking them in moves no bytes across devices), then handed to the intake once, and
the folder is removed whatever happens. The server never holds a whole file, and each file is
recorded as arriving from ``upload:<user>/<its name>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from enquiry.app import Enquiry, evidence, printable
from enquiry.app.evidence import Derived

CHUNK = 1 << 20
"""An upload is received in pieces of this size."""


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


async def _stage(parts: Sequence[UploadFile], folder: Path) -> list[Path]:
    """Copy each part into ``folder`` under its plain name, a piece at a time."""
    taken: set[str] = set()
    paths: list[Path] = []
    for part in parts:
        target = folder / plain_name(part.filename, taken)
        with target.open("xb") as out:
            while chunk := await part.read(CHUNK):
                out.write(chunk)
        await part.close()
        paths.append(target)
    return paths


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


def _problems(lines: Sequence[str], folder: Path) -> list[str]:
    """Problem lines without the staging folder's meaningless path."""
    return [printable(line.replace(f"{folder}/", "").replace(str(folder), "")) for line in lines]


async def take_in(
    app: Enquiry,
    case: str,
    parts: Sequence[UploadFile],
    *,
    kind: str | None = None,
    source: str | None = None,
    protected: bool = False,
) -> Uploaded:
    """Take the uploaded parts in as evidence of ``case``, as one intake (the core decides
    whether the user may add evidence there); each receipt is a ledger event naming the user
    and saying the file came as an upload."""
    with evidence.staging(app) as folder:
        paths = await _stage(parts, folder)
        report = await run_in_threadpool(
            evidence.add,
            app,
            paths,
            case=case,
            kind=kind,
            source=source,
            protected=protected,
            jobs=1,
            receipt={"via": "upload"},
            uploaded=folder,
        )
    files = [
        UploadedFile(
            name=Path(r.path).name,
            status=r.status,
            item_id=r.item_id,
            sha256=r.sha256,
            kind=r.kind,
            problems=_problems(r.problems, folder),
        )
        for r in report.results
    ]
    return Uploaded(files, report.count("stored"), report.summary())


async def derive_from(
    app: Enquiry,
    item: str,
    part: UploadFile,
    *,
    how: str,
    tool: str | None = None,
    kind: str | None = None,
) -> Derived:
    """Register an uploaded file as a derivative of ``item`` (see
    :func:`enquiry.app.evidence.derive`), received the same way as an upload."""
    with evidence.staging(app) as folder:
        (path,) = await _stage([part], folder)
        derived = await run_in_threadpool(
            evidence.derive, app, item, path, how=how, tool=tool, kind=kind, uploaded=folder
        )
    return Derived(
        derived.item_id, derived.derived_from, derived.how, _problems(derived.problems, folder)
    )
