"""The command line: thin over the packages below it.

Each command family lives in its own module and registers itself on :data:`main`.
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from enquiry import __version__
from enquiry.intake.walk import printable as safe
from enquiry.store import Store, open_store, resolve_home
from enquiry.store.tables import Item


def default_actor() -> str:
    """The operating-system user, the actor recorded in the ledger unless ``--as`` says else."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "unknown")


@dataclass
class App:
    """What every command needs: where the home is, who is acting, and the store once opened."""

    home: Path
    actor: str
    _store: Store | None = field(default=None, repr=False)

    def store(self, *, create: bool = True) -> Store:
        if self._store is None:
            try:
                self._store = open_store(self.home, self.actor, create=create)
            except FileNotFoundError as exc:
                fail(str(exc))
        return self._store


pass_app = click.make_pass_decorator(App)

__all__ = ["App", "fail", "find_item", "main", "pass_app", "safe"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="enquiry")
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ENQUIRY_HOME",
    default=None,
    help="Folder holding the database and the vault [env ENQUIRY_HOME; default ./enquiry-data].",
)
@click.option(
    "--as",
    "actor",
    default=None,
    metavar="NAME",
    help="Who is acting, as recorded in the custody ledger [default: the OS user].",
)
@click.pass_context
def main(ctx: click.Context, home: Path | None, actor: str | None) -> None:
    """enquiry: preserve evidence, record custody, weigh hypotheses, publish verifiable findings."""
    if actor is not None and not actor.strip():
        fail("--as must name who is acting", 2)
    ctx.obj = App(home=resolve_home(home), actor=actor.strip() if actor else default_actor())


def find_item(session: Session, ref: str) -> Item:
    """An item by its number or by the start (8 or more hex digits) of its SHA-256; else stop."""
    item: Item | None = None
    if ref.isdigit():
        item = session.get(Item, int(ref))
    elif len(ref) >= 8 and all(c in "0123456789abcdef" for c in ref.lower()):
        matches = session.scalars(
            select(Item).where(Item.sha256.startswith(ref.lower())).limit(2)
        ).all()
        if len(matches) > 1:
            fail(f"item '{ref}': several items have a hash starting so; give more characters")
        item = matches[0] if matches else None
    if item is None:
        fail(f"item '{ref}': no such item (give its number or the start of its SHA-256)")
    assert item is not None
    return item


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line on standard error and stop with ``code``."""
    click.echo(f"enquiry: {message}", err=True)
    sys.exit(code)


from enquiry.cli import analysis, claims, evidence, media  # noqa: E402

for _module in (evidence, analysis, claims, media):
    _module.register(main)
