"""The application object: one acting user on one home.

Every entry point (the command line, the web app, the API) makes an :class:`Enquiry` for the
person acting and calls the services in ``enquiry.app`` with it. The services take the actor
from here and write every custody, access and export event under that name, so an entry point
cannot act anonymously or forget to record what it did.

Who acts is a :class:`Principal`. The command line acts as the home's administrator: whoever
can open the home's files holds its evidence anyway, and ``--as NAME`` only says under which
name the ledger records it — but never under an account's name: the ledger names an actor by
name alone, so an act recorded as ``alice`` must be alice's. The command line acts as an
account only when it presents one of the account's API tokens, and then with that account's
rights, decided by :mod:`enquiry.app.access` as for the web app and the API, which act for a
signed-in user.
"""

from __future__ import annotations

import unicodedata
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from enquiry.errors import BadRequest, NotFound, Unauthorized
from enquiry.intake.walk import printable
from enquiry.store import Store, open_store, resolve_home
from enquiry.store.tables import User

ACTOR_MAX = 200
"""The longest name an actor is recorded under."""

TOKEN_ENV = "ENQUIRY_TOKEN"
"""Where the command line takes an account's API token from, to act as that account (an
environment variable rather than an option, so that the token never shows in the process
list or the shell's history)."""


VIA_AS = "command line, --as"
VIA_OS_USER = "command line, OS user"
VIA_SERVER = "server"
VIA_HOME = "home's files"
"""How an administrator was established, as the ledger records it (``identified_by``, see
:data:`enquiry.store.ledger.IDENTIFIED_BY`): by the name given with ``--as``, by the
operating-system user's name, as the web server, or by code that opened the home's files. None
of them is proof of a person; an account's acts carry its token or session instead."""


@dataclass(frozen=True)
class Principal:
    """Who acts: a name for the ledger, either the administrator or a user account, and how
    they were established (``via``: recorded in every ledger event beside the name)."""

    name: str
    user_id: int | None = None
    admin: bool = True
    via: str = VIA_HOME

    @classmethod
    def administrator(cls, name: str, via: str = VIA_HOME) -> Principal:
        """The command line's actor: every right on the home."""
        return cls(name=name, user_id=None, admin=True, via=via)


# Letters of other scripts drawn like the Latin letters account names are made of (account
# names are lower-case ASCII): "аlice" with a Cyrillic а reads as "alice" in any listing.
_LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "ь": "b", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i",
        "ј": "j", "к": "k", "ӏ": "l", "м": "m", "о": "o", "р": "p", "ԛ": "q", "г": "r",
        "ѕ": "s", "т": "t", "у": "y", "х": "x", "ԝ": "w", "п": "n",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w",
        # Latin letters drawn like others
        "ı": "i", "ȷ": "j", "ɡ": "g", "ǀ": "l", "ɩ": "i", "ʋ": "u",
    }
)  # fmt: skip


# Within Latin letters and digits: what a digit or a pair of letters is drawn like ("a1ice",
# "0scar", "bernard" set as "bemard"). A capital I is drawn like both l and i, so it stands
# as IL (below) and matches either.
_DIGITS_DRAWN_AS_LETTERS = str.maketrans({"1": "l", "|": "l", "0": "o"})
_PAIRS_DRAWN_AS_ONE = (("rn", "m"), ("vv", "w"))
IL = "\ue000"  # a private-use character: in a key, "a capital I, read as i or l"


def account_key(name: str) -> str:
    """What a name reads as, to compare it with account names (see :func:`same_account`):
    compatibility forms folded (fullwidth ``ａｌｉｃｅ``), case ignored (account names are
    lower-case: ``Alice`` reads as ``alice``), accents, invisible characters (a zero-width
    space) and marks dropped, letters of other scripts drawn like Latin ones (a Cyrillic
    ``а``) taken for them, and so are digits and pairs drawn like a letter (``a1ice``,
    ``0scar``, ``rn`` for ``m``); a capital ``I`` is kept as :data:`IL`, which
    :func:`same_account` reads as ``i`` or ``l``. A lower-case ``i`` and ``l`` stay apart:
    ``neil`` and ``nell`` are two people."""
    nfkc = unicodedata.normalize("NFKC", name).replace("I", IL)
    folded = unicodedata.normalize("NFKD", nfkc.casefold())
    kept = "".join(c for c in folded if unicodedata.category(c) not in ("Mn", "Me", "Cf"))
    key = kept.translate(_LOOKALIKES).translate(_DIGITS_DRAWN_AS_LETTERS)
    for pair, one in _PAIRS_DRAWN_AS_ONE:
        key = key.replace(pair, one)
    return key.strip()


def same_account(name: str, account: str) -> bool:
    """Whether ``name`` reads as the account name ``account`` (:func:`account_key`): the
    same letters, a capital ``I`` in either read as ``i`` or ``l``, whichever the other has."""
    ours, theirs = account_key(name), account_key(account)
    return len(ours) == len(theirs) and all(
        a == b or (IL in (a, b) and {a, b} <= {IL, "i", "l"})
        for a, b in zip(ours, theirs, strict=True)
    )


@dataclass(frozen=True)
class Claim:
    """Who the command line says acts, not yet checked against the home's accounts: ``name``
    (from ``--as`` when ``named``, else the operating-system user) and the API token given
    (``ENQUIRY_TOKEN``), if any. Checked once, when the home is first used."""

    name: str
    named: bool
    token: str | None

    def principal(self, store: Store | None) -> Principal:
        """Whom the command line acts as on ``store`` (``None``: no home there yet, so no
        accounts either): the token's account, with its own rights, when a token is given;
        else the administrator under ``name``, unless ``name`` is an account's (enabled or
        disabled), which a command may take only with the account's token.

        The operating-system user gets no exception: its name is read from ``LOGNAME`` or
        ``USER`` first, which anyone sets as they please, so it proves no more than ``--as``."""
        if self.token is not None:
            if store is None:
                raise Unauthorized(f"{TOKEN_ENV}: no enquiry home here, so no account's token")
            from enquiry.app.accounts import CREDENTIALS, token_principal

            try:
                account = token_principal(store, self.token)
            except Unauthorized:
                raise Unauthorized(f"{TOKEN_ENV}: {CREDENTIALS}") from None
            if self.named and not same_account(self.name, account.name):
                raise BadRequest(
                    f"--as {self.name}: {TOKEN_ENV} holds a token of '{account.name}', who is"
                    f" the one acting; leave out --as, or unset {TOKEN_ENV} to act as the"
                    " home's administrator under a name that is no account's"
                )
            return replace(account, via=f"{account.via}, command line")
        if store is not None:
            with store.session() as session:
                # every account's name read as it looks: a handful of rows, compared here
                namesake = next(
                    (
                        str(found)
                        for found in session.scalars(select(User.name).order_by(User.id))
                        if same_account(self.name, str(found))
                    ),
                    None,
                )
            if namesake is not None:
                who = f"--as {self.name}" if self.named else f"the OS user '{self.name}'"
                raise Unauthorized(
                    f"{who}: that is the account '{namesake}', and the command line acts as an"
                    f" account only with one of its API tokens in {TOKEN_ENV}; else name"
                    " yourself with --as NAME, a name that is no account's"
                )
        return Principal.administrator(self.name, VIA_AS if self.named else VIA_OS_USER)


@dataclass
class Enquiry:
    """Who is acting, on which home; the store is opened on first use.

    Made by the command line, the acting user is a :class:`Claim` until the home is first
    used (:attr:`principal`, :attr:`actor` or :meth:`store`): a command that never opens a
    home (``kinds``, ``--help``) needs neither a home nor a token, and none is checked before
    it is wanted."""

    home: Path
    _principal: Principal
    _store: Store | None = field(default=None, repr=False)
    # Per-request memo of the principal's memberships (case id -> membership), filled by
    # enquiry.app.access on first use: an Enquiry lives for one command or one request.
    _rights: dict[int, Any] | None = field(default=None, repr=False)
    _claim: Claim | None = field(default=None, repr=False)

    @property
    def principal(self) -> Principal:
        """Who acts (the command line's claim checked first, if it is not yet)."""
        self._settle()
        return self._principal

    @property
    def actor(self) -> str:
        """The name the ledger records this user's acts under."""
        return self.principal.name

    @classmethod
    def at(cls, home: str | Path | None, actor: str, *, via: str = VIA_HOME) -> Enquiry:
        """The home given (or ``ENQUIRY_HOME``, or ``./enquiry-data``) for ``actor``, acting as
        the home's administrator: the web server under its own name (``via`` :data:`VIA_SERVER`),
        or code that holds the home's files. The command line uses :meth:`command_line`, which
        checks the name."""
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
        return cls(home=resolve_home(home), _principal=Principal.administrator(name, via))

    @classmethod
    def command_line(
        cls, home: str | Path | None, actor: str, *, named: bool, token: str | None = None
    ) -> Enquiry:
        """The command line's acting user: ``actor`` (``named`` when ``--as`` gave it, else
        the operating-system user) as the home's administrator, or with ``token`` the account
        it belongs to — checked when the home is first used (:meth:`Claim.principal`)."""
        app = cls.at(home, actor)
        app._claim = Claim(name=app._principal.name, named=named, token=token or None)
        return app

    @classmethod
    def for_user(cls, store: Store, principal: Principal) -> Enquiry:
        """An Enquiry acting for a signed-in user over an already opened store (the server
        keeps one store and hands each request its own view of it, named for its user)."""
        return cls(
            home=store.home,
            _principal=principal,
            _store=store.acting(principal.name, principal.via),
        )

    def _settle(self) -> None:
        """Check the command line's claim, once, before anything is decided or recorded under
        it. A claim refused stays unchecked, so that nothing can go on under it after all."""
        if self._claim is None:
            return
        if self._store is None:
            # No home there yet holds no accounts either; the command may go on to make one.
            with suppress(FileNotFoundError):
                self._store = open_store(self.home, self._principal.name, create=False)
        principal = self._claim.principal(self._store)
        if self._store is not None and (
            self._store.actor != principal.name or self._store.via != principal.via
        ):
            self._store = self._store.acting(principal.name, principal.via)
        self._principal = principal
        self._rights = None
        self._claim = None

    def store(self, *, create: bool = False) -> Store:
        """The opened store; ``create`` makes a new home where there is none."""
        self._settle()
        if self._store is None:
            try:
                self._store = open_store(
                    self.home, self._principal.name, create=create, via=self._principal.via
                )
            except FileNotFoundError as exc:
                raise NotFound(str(exc)) from None
        return self._store

    def acting_as(self, principal: Principal) -> Enquiry:
        """The same home and store, acting for someone else (memberships looked up afresh).
        The principal has proved who they are, so no command-line claim carries over."""
        store = (
            self._store.acting(principal.name, principal.via) if self._store is not None else None
        )
        return replace(self, _principal=principal, _store=store, _rights=None, _claim=None)
