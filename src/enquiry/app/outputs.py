"""Where a user-named output may go: anywhere but over the home's own files.

An export, a report, a bundle, a backup, a case-file dump, an item's working copy and a public
key are each written to a file the user names. A slip of ``-o`` must never replace the evidence
it was meant to publish, so every one of those writers asks :func:`refuse_home_output` first,
before anything is computed or written: a file that resolves (symbolic links followed, a file
not yet there through its folder) inside the home — its catalogue, the vault's originals, the
keys, the ledger head — or onto the catalogue's SQLite file kept elsewhere (``ENQUIRY_DB``) is
refused with one line. Anywhere else an existing file is replaced as before — but only a
regular file: the writers put a finished file in place by renaming over the target, which would
replace a device (``/dev/null`` for the root user), a FIFO or a socket with a plain file, so
those are refused too, as is a path under something that is not a folder.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from enquiry.app.context import Enquiry
from enquiry.errors import Refused
from enquiry.intake.walk import printable
from enquiry.intake.yamlsafe import file_type

# SQLite keeps a database's uncommitted pages beside it: overwriting these loses data as surely.
_SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def _catalogue_files(app: Enquiry) -> list[Path]:
    """The catalogue's SQLite file and its companions, when the catalogue is a SQLite file."""
    url = app.store(create=False).engine.url
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return []
    if database.startswith("file:"):  # a SQLite URI filename: its path, without parameters
        database = database.removeprefix("file:").split("?", 1)[0]
    return [Path(database + suffix) for suffix in _SQLITE_COMPANIONS]


def refuse_home_output(
    app: Enquiry, output: Path, *, inside: str = "the home, beside its catalogue and evidence"
) -> None:
    """Raise :class:`Refused` (one line naming ``output``) when writing ``output`` could
    overwrite the home's own files: it resolves inside the home, or it is the catalogue's SQLite
    database (or one of its journal files, or a hard link to it) wherever that is kept.

    ``inside`` names the home in the refusal ("the home it backs up" for a backup)."""
    try:
        target = output.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        raise Refused(f"{printable(str(output))}: cannot be resolved; name another file") from None
    if target.is_relative_to(app.store(create=False).home.resolve()):
        raise Refused(f"{printable(str(output))}: inside {inside}; write it elsewhere")
    _refuse_unwritable(output, target)
    for database in _catalogue_files(app):
        same = target == database.resolve()
        if not same:
            with contextlib.suppress(OSError):  # either file absent: not the same file
                same = os.path.samefile(target, database)
        if same:
            raise Refused(
                f"{printable(str(output))}: a file of the catalogue database"
                f" ({printable(str(database))}); write it elsewhere"
            )


def _refuse_unwritable(output: Path, target: Path) -> None:
    """Refuse ``output`` (resolved: ``target``) when no file can be put there: an existing
    device, FIFO or socket (a folder is left to the writer, which names it), or a path whose
    nearest existing parent is a file rather than a folder."""
    try:
        mode = target.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None  # not there yet, or under a file: the parents say which
    except OSError as exc:  # a name too long, a folder that may not be looked into
        raise Refused(f"{printable(str(output))}: cannot write there ({exc.strerror})") from None
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise Refused(
            f"{printable(str(output))}: {file_type(mode)}, not a regular file; name a file to write"
        )
    if mode is not None:
        return
    for parent in target.parents:
        try:
            parent_mode = parent.stat().st_mode
        except OSError:
            continue  # not there yet: the writer makes it
        if not stat.S_ISDIR(parent_mode):
            what = "a file" if stat.S_ISREG(parent_mode) else file_type(parent_mode)
            raise Refused(
                f"{printable(str(output))}: cannot write there: {printable(str(parent))} is"
                f" {what}, not a folder"
            )
        return
