"""The application object: one acting user on one home.

Every entry point (the command line, the web app, the API) makes an :class:`Enquiry` for the
person acting and calls the services in ``enquiry.app`` with it. The services take the actor
from here and write every custody, access and export event under that name, so an entry point
cannot act anonymously or forget to record what it did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from enquiry.errors import BadRequest, NotFound
from enquiry.store import Store, open_store, resolve_home


@dataclass
class Enquiry:
    """Who is acting, on which home; the store is opened on first use."""

    home: Path
    actor: str
    _store: Store | None = field(default=None, repr=False)

    @classmethod
    def at(cls, home: str | Path | None, actor: str) -> Enquiry:
        """The home given (or ``ENQUIRY_HOME``, or ``./enquiry-data``) for ``actor``."""
        if not actor or not actor.strip():
            raise BadRequest("the acting user must be named (--as NAME)")
        return cls(home=resolve_home(home), actor=actor.strip())

    def store(self, *, create: bool = False) -> Store:
        """The opened store; ``create`` makes a new home where there is none."""
        if self._store is None:
            try:
                self._store = open_store(self.home, self.actor, create=create)
            except FileNotFoundError as exc:
                raise NotFound(str(exc)) from None
        return self._store
