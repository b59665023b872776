"""The application object: one acting user on one home.

Every entry point (the command line, the web app, the API) makes an :class:`Enquiry` for the
person acting and calls the services in ``enquiry.app`` with it. The services take the actor
from here and write every custody, access and export event under that name, so an entry point
cannot act anonymously or forget to record what it did.

Who acts is a :class:`Principal`. The command line acts as the home's administrator: whoever
can open the home's files holds its evidence anyway, and ``--as NAME`` only says under which
name the ledger records it. The web app and the API act for a signed-in user, whose rights on
each case come from their memberships (:mod:`enquiry.app.access` decides every request).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from enquiry.errors import BadRequest, NotFound
from enquiry.intake.walk import printable
from enquiry.store import Store, open_store, resolve_home

ACTOR_MAX = 200
"""The longest name an actor is recorded under."""


@dataclass(frozen=True)
class Principal:
    """Who acts: a name for the ledger, and either the administrator or a user account."""

    name: str
    user_id: int | None = None
    admin: bool = True

    @classmethod
    def administrator(cls, name: str) -> Principal:
        """The command line's actor: every right on the home."""
        return cls(name=name, user_id=None, admin=True)


@dataclass
class Enquiry:
    """Who is acting, on which home; the store is opened on first use."""

    home: Path
    actor: str
    principal: Principal = field(default=None)  # type: ignore[assignment]
    _store: Store | None = field(default=None, repr=False)
    # Per-request memo of the principal's memberships (case id -> membership), filled by
    # enquiry.app.access on first use: an Enquiry lives for one command or one request.
    _rights: dict[int, Any] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.principal is None:
            self.principal = Principal.administrator(self.actor)

    @classmethod
    def at(cls, home: str | Path | None, actor: str) -> Enquiry:
        """The home given (or ``ENQUIRY_HOME``, or ``./enquiry-data``) for ``actor``, acting as
        the home's administrator (the command line)."""
        if not actor or not actor.strip():
            raise BadRequest("the acting user must be named (--as NAME)")
        name = actor.strip()
        # The name is written into every ledger event and printed in logs and comment lists:
        # a control character in it could pass for a line of its own there.
        if printable(name) != name:
            raise BadRequest("--as: the acting user's name may not hold control characters")
        if len(name) > ACTOR_MAX:
            raise BadRequest(f"--as: {len(name)} characters; a name has at most {ACTOR_MAX}")
        from enquiry.intake.limits import quiet_decoders

        quiet_decoders()  # a picture read in this process (one to match) is named by its reader
        return cls(home=resolve_home(home), actor=name)

    @classmethod
    def for_user(cls, store: Store, principal: Principal) -> Enquiry:
        """An Enquiry acting for a signed-in user over an already opened store (the server
        keeps one store and hands each request its own view of it, named for its user)."""
        return cls(
            home=store.home,
            actor=principal.name,
            principal=principal,
            _store=store.acting(principal.name),
        )

    def store(self, *, create: bool = False) -> Store:
        """The opened store; ``create`` makes a new home where there is none."""
        if self._store is None:
            try:
                self._store = open_store(self.home, self.actor, create=create)
            except FileNotFoundError as exc:
                raise NotFound(str(exc)) from None
        return self._store

    def acting_as(self, principal: Principal) -> Enquiry:
        """The same home and store, acting for someone else (memberships looked up afresh)."""
        store = self._store.acting(principal.name) if self._store is not None else None
        return replace(self, actor=principal.name, principal=principal, _store=store, _rights=None)
