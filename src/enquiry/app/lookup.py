"""Finding what a request names: items by number or hash start, cases by name."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from enquiry.errors import BadRequest, NotFound
from enquiry.intake.walk import case_name_problem, printable
from enquiry.intake.yamlsafe import file_type
from enquiry.store.tables import DIGITS, Case, Item, row_id

HEX = frozenset("0123456789abcdef")


def find_item(session: Session, ref: str, *, among: ColumnElement[bool] | None = None) -> Item:
    """An item by its number or by the start (8 or more hex digits) of its SHA-256.

    ``among`` limits the search to the items it admits (those the acting user may know of, see
    :func:`~enquiry.app.access.find_visible_item`): a hash start is then ambiguous only if it
    is among them, so an answer never depends on items the user cannot see. Without it, every
    item of the home is looked at (the administrator's view)."""
    text = ref.strip().lower().removeprefix("item:").removeprefix("sha256:")
    item: Item | None = None
    if text and set(text) <= DIGITS:
        number = row_id(text)
        if number is not None and among is not None:
            item = session.scalars(select(Item).where(Item.id == number, among)).first()
        elif number is not None:
            item = session.get(Item, number)
    elif len(text) >= 8 and set(text) <= HEX:
        query = select(Item).where(Item.sha256.startswith(text))
        if among is not None:
            query = query.where(among)
        matches = session.scalars(query.limit(2)).all()
        if len(matches) > 1:
            raise BadRequest(f"item '{ref}': several items have a hash starting so; give more")
        item = matches[0] if matches else None
    if item is None:
        raise no_such_item(ref)
    return item


def no_such_item(ref: str) -> NotFound:
    """The refusal for an item that does not exist — and for one the user may not see, so that
    the two cannot be told apart."""
    return NotFound(f"item '{ref}': no such item (give its number or the start of its SHA-256)")


def no_such_case(name: str) -> NotFound:
    """The refusal for a case that does not exist, and for one the user has no right on."""
    return NotFound(f"case '{name}': no such case")


def check_case_name(name: str) -> str:
    """``name`` as a case may be called (stripped), or the one-line refusal naming ``--case``
    (see :func:`~enquiry.intake.walk.case_name_problem`)."""
    problem = case_name_problem(name)
    if problem is not None:
        raise BadRequest(f"--case: {problem}")
    return name.strip()


def find_case(session: Session, name: str) -> Case:
    """A case by its name."""
    found = session.scalars(select(Case).where(Case.name == name)).first()
    if found is None:
        raise no_such_case(name)
    return found


def case_blobs(session: Session, case_id: int) -> list[str]:
    """The SHA-256 of every original a case holds (what an export of it cites)."""
    found = session.scalars(
        select(Item.sha256).where(Item.case_id == case_id, Item.sha256.is_not(None))
    )
    return sorted({str(sha) for sha in found})


def require_regular_file(path: Path, folder: str = "give a file") -> None:
    """Refuse, naming ``path``, an input that is not a regular file: missing, a folder (``folder``
    says what to give instead), or a FIFO, socket or device — reading a FIFO waits for a writer
    that never comes and reading ``/dev/zero`` never ends, so neither is opened."""
    name = printable(str(path))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise NotFound(f"{name}: no such file") from None
    except NotADirectoryError:
        raise NotFound(f"{name}: no such file (a part of the path is a file)") from None
    except OSError as exc:
        raise NotFound(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise BadRequest(f"{name}: is a folder; {folder}")
    if not stat.S_ISREG(mode):
        raise BadRequest(f"{name}: {file_type(mode)}, not a regular file")
