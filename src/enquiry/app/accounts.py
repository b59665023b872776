"""Accounts: users, their roles on cases, API tokens and signed-in sessions.

Only the home's administrator manages accounts (the command line, unless it acts with an
account's token, or a user made ``--admin``). Every change — a user added or disabled, a role
granted or withdrawn, a token made or revoked — is a ledger event naming who did it, and the
rows are watched by the ledger like every other catalogue row, so a role slipped into the
database by hand shows up in ``verify``.

Secrets are stored so that a copy of the database does not open the door: passwords as Argon2
hashes, tokens and session cookies (long random strings) as their SHA-256. Authentication
failures all say the same thing, whatever was wrong, and an unknown name costs as much time as
a wrong password, so that names cannot be probed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.orm import Session

from enquiry.app.access import ROLE_RIGHTS, Right, Role, require_admin, role
from enquiry.app.context import Enquiry, Principal, same_account
from enquiry.app.lookup import find_case
from enquiry.errors import BadRequest, NotFound, Refused, Unauthorized
from enquiry.store import Store
from enquiry.store.ledger import utc_now
from enquiry.store.tables import (
    DIGITS,
    ApiToken,
    Case,
    CustodyEvent,
    Membership,
    User,
    WebSession,
    row_id,
)

TOKEN_PREFIX = "enq_"
SESSION_HOURS = 12
MIN_PASSWORD = 10
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-@")
NAME_START = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so a wrong name takes as long as a wrong
    password. Made when first needed, not on import: a hash costs a tenth of a second or more
    of every command's start, and most commands check no password. A server makes it as it
    starts (:func:`prepare_sign_in`), so that no sign-in pays for it."""
    return _hasher.hash(secrets.token_hex(16))


def prepare_sign_in() -> None:
    """Make the hash that an unknown name is checked against now, so that the first sign-in
    with an unknown name takes no longer than any other."""
    _dummy_hash()


CREDENTIALS = "the name, password or token is wrong, expired or revoked"


@dataclass(frozen=True)
class UserView:
    """A user as the administrator sees them: never a password hash."""

    name: str
    admin: bool
    created_at: str
    disabled: bool
    roles: dict[str, str]  # case name -> role (with "+protected" when they may see identities)


@dataclass(frozen=True)
class TokenView:
    """An API token as listed: its prefix and label, never the token."""

    id: int
    user: str
    prefix: str
    label: str
    created_at: str
    revoked: bool
    made_by: str | None = None
    """Who made it, as its ``token created`` event names them: the account itself, or the
    administrator, who may make a token for anyone and so act in their name (every act under
    a token names it: see :func:`token_via`)."""


@dataclass(frozen=True)
class NewToken:
    """A token just made: the only time its secret is ever shown."""

    view: TokenView
    token: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_name(name: str) -> str:
    """A user name: lower-case letters, digits and ``._-@``, 1–200 characters, starting with a
    letter or a digit — a name such as ``--admin`` would read as an option to every command
    that manages the account, and the administrator could not disable it plainly."""
    cleaned = name.strip().lower()
    if (
        not cleaned
        or len(cleaned) > 200
        or not set(cleaned) <= NAME_CHARS
        or cleaned[0] not in NAME_START
    ):
        raise BadRequest(
            f"user name '{name[:60]}': start with a letter or digit, then use letters, digits"
            " and . _ - @ only (at most 200)"
        )
    return cleaned


def check_password(password: str) -> str:
    """Refuse a password too short to survive guessing at the rate the login allows."""
    if len(password) < MIN_PASSWORD:
        raise BadRequest(f"password: at least {MIN_PASSWORD} characters, please")
    if "\n" in password or "\r" in password:
        raise BadRequest("password: one line, without line breaks")
    return password


def _user(store: Store, name: str) -> User:
    with store.session() as session:
        found = session.scalars(select(User).where(User.name == name.strip().lower())).first()
    if found is None:
        raise NotFound(f"user '{name[:60]}': no such user (enquiry users list)")
    return found


def add_user(app: Enquiry, name: str, password: str, *, admin: bool = False) -> UserView:
    """Create an account; the name must be new. Recorded as an ``account`` event."""
    require_admin(app, "users add")
    cleaned = check_name(name)
    hashed = _hasher.hash(check_password(password))
    store = app.store(create=True)
    with store.writing() as (connection, writer):
        if connection.execute(select(User.id).where(User.name == cleaned)).first():
            raise Refused(f"user '{cleaned}': the name is in use")
        _refuse_ledger_namesake(app, connection, cleaned)
        connection.execute(
            insert(User).values(
                name=cleaned,
                password_hash=hashed,
                is_admin=admin,
                created_at=utc_now(),
                disabled_at=None,
            )
        )
        writer.append("account", details={"change": "user added", "user": cleaned, "admin": admin})
    return _view(store, _user(store, cleaned))


def _refuse_ledger_namesake(app: Enquiry, connection: Connection, cleaned: str) -> None:
    """Refuse a new account named as someone the ledger already records acts by (the command
    line's ``--as`` names, the operating-system user, the server's name): the ledger names an
    actor by name alone, so the account's acts and theirs could not be told apart. A recorded
    name counts in every form that reads as the account's (``Alice``, fullwidth ``ａｌｉｃｅ``,
    a Cyrillic ``а`` for an ``a``: :func:`~enquiry.app.context.account_key`), the forms the
    command line refuses once the account exists. The administrator making an account under
    their own name is the one exception."""
    if app.principal.user_id is None and same_account(app.actor, cleaned):
        return
    recorded = connection.execute(
        select(CustodyEvent.actor, func.min(CustodyEvent.seq)).group_by(CustodyEvent.actor)
    ).all()
    earlier = [int(seq) for actor, seq in recorded if same_account(str(actor), cleaned)]
    if earlier:
        raise Refused(
            f"user '{cleaned}': the ledger already records acts by '{cleaned}' (event "
            f"{min(earlier)}); choose another name, so that the ledger tells them apart"
        )


def set_password(app: Enquiry, name: str, password: str) -> None:
    """Replace a user's password (the administrator, or the user themselves) and sign them out
    everywhere."""
    user = _user(app.store(), name)
    if not app.principal.admin and app.principal.user_id != user.id:
        raise NotFound(f"user '{name[:60]}': no such user (enquiry users list)")
    hashed = _hasher.hash(check_password(password))
    with app.store().writing() as (connection, writer):
        connection.execute(update(User).where(User.id == user.id).values(password_hash=hashed))
        connection.execute(delete(WebSession).where(WebSession.user_id == user.id))
        writer.append("account", details={"change": "password set", "user": user.name})


def disable_user(app: Enquiry, name: str) -> None:
    """Disable an account: its sessions end and its tokens stop working; its name stays in the
    ledger and its row stays, so past events still say who acted."""
    require_admin(app, "users disable")
    user = _user(app.store(), name)
    with app.store().writing() as (connection, writer):
        connection.execute(delete(WebSession).where(WebSession.user_id == user.id))
        if user.disabled_at is not None:
            return  # disabling again keeps the first time and event (sessions swept all the same)
        connection.execute(update(User).where(User.id == user.id).values(disabled_at=utc_now()))
        writer.append("account", details={"change": "user disabled", "user": user.name})


def grant(
    app: Enquiry, name: str, case: str, role_name: str, *, see_protected: bool = False
) -> UserView:
    """Give ``name`` a role on ``case`` (replacing any role they had there), and with
    ``see_protected`` the right to see protected identities on it."""
    require_admin(app, "users grant")
    chosen = role(role_name)
    if see_protected and Right.PROTECTED_ITEMS not in ROLE_RIGHTS[chosen]:
        # A viewer never sees a protected item, so the right would be listed but mean nothing.
        raise BadRequest(
            f"--see-protected: a {chosen.value} does not see protected items at all; grant"
            " investigator, analyst, reviewer or owner with it"
        )
    store = app.store()
    user = _user(store, name)
    with store.session() as session:
        found = find_case(session, case)
    with store.writing() as (connection, writer):
        existing = connection.execute(
            select(Membership.id).where(
                Membership.user_id == user.id, Membership.case_id == found.id
            )
        ).scalar()
        values = {
            "role": chosen.value,
            "see_protected": see_protected,
            "granted_at": utc_now(),
            "granted_by": app.actor,
        }
        if existing is None:
            connection.execute(
                insert(Membership).values(user_id=user.id, case_id=found.id, **values)
            )
        else:
            connection.execute(update(Membership).where(Membership.id == existing).values(**values))
        writer.append(
            "granted",
            case_id=found.id,
            details={"user": user.name, "role": chosen.value, "see_protected": see_protected},
        )
    return _view(store, user)


def revoke(app: Enquiry, name: str, case: str) -> UserView:
    """Withdraw ``name``'s role (and any right to identities) on ``case``."""
    require_admin(app, "users revoke")
    store = app.store()
    user = _user(store, name)
    with store.session() as session:
        found = find_case(session, case)
    with store.writing() as (connection, writer):
        gone = connection.execute(
            delete(Membership).where(Membership.user_id == user.id, Membership.case_id == found.id)
        ).rowcount
        if not gone:
            raise NotFound(f"user '{user.name}' has no role on case '{case}'")
        writer.append("withdrawn", case_id=found.id, details={"user": user.name})
    return _view(store, user)


def _view(store: Store, user: User) -> UserView:
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(Case.name, Membership.role, Membership.see_protected)
            .join(Case, Case.id == Membership.case_id)
            .where(Membership.user_id == user.id)
            .order_by(Case.name)
        ).all()
    return UserView(
        name=user.name,
        admin=user.is_admin,
        created_at=user.created_at,
        disabled=user.disabled_at is not None,
        roles={r.name: r.role + ("+protected" if r.see_protected else "") for r in rows},
    )


def list_users(app: Enquiry) -> list[UserView]:
    """Every account with its roles (the administrator's view)."""
    require_admin(app, "users list")
    store = app.store()
    with store.session() as session:
        users = session.scalars(select(User).order_by(User.name)).all()
    return [_view(store, user) for user in users]


def create_token(app: Enquiry, name: str, label: str = "") -> NewToken:
    """A new API token for ``name`` (the administrator's, or a user's own)."""
    store = app.store()
    user = _user(store, name)
    if not app.principal.admin and app.principal.user_id != user.id:
        raise NotFound(f"user '{name[:60]}': no such user (enquiry users list)")
    if user.disabled_at is not None:
        raise Refused(f"user '{user.name}' is disabled")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    prefix = token[: len(TOKEN_PREFIX) + 6]
    created = utc_now()
    with store.writing() as (connection, writer):
        new_id = connection.execute(
            insert(ApiToken).values(
                user_id=user.id,
                token_sha256=_digest(token),
                prefix=prefix,
                label=label[:200],
                created_at=created,
                revoked_at=None,
            )
        ).inserted_primary_key
        assert new_id is not None
        writer.append(
            "account",
            details={
                "change": TOKEN_CREATED,
                "user": user.name,
                "token": prefix,
                "id": int(new_id[0]),
            },
        )
    view = TokenView(int(new_id[0]), user.name, prefix, label[:200], created, False)
    return NewToken(view=view, token=token)


def list_tokens(app: Enquiry, name: str | None = None) -> list[TokenView]:
    """Tokens (all, or one user's) by prefix; a user sees only their own."""
    store = app.store()
    query = select(ApiToken, User.name).join(User, User.id == ApiToken.user_id)
    if not app.principal.admin:
        query = query.where(ApiToken.user_id == app.principal.user_id)
    elif name is not None:
        query = query.where(User.name == name.strip().lower())
    with store.session() as session:
        rows = session.execute(query.order_by(ApiToken.id)).all()
        makers = _token_makers(session) if rows else ({}, {})
    by_id, by_prefix = makers
    return [
        TokenView(
            t.id,
            user,
            t.prefix,
            t.label,
            t.created_at,
            t.revoked_at is not None,
            by_id.get(t.id) or by_prefix.get((user, t.prefix)),
        )
        for t, user in rows
    ]


TOKEN_CREATED = "token created"


def _token_makers(session: Session) -> tuple[dict[int, str], dict[tuple[str, str], str]]:
    """Who made each token, from the ledger's ``token created`` events: by the token's number
    (recorded since it was kept), else by its account and prefix (the first such event)."""
    by_id: dict[int, str] = {}
    by_prefix: dict[tuple[str, str], str] = {}
    events = session.execute(
        select(CustodyEvent.actor, CustodyEvent.details)
        .where(
            CustodyEvent.action == "account",
            CustodyEvent.details.contains(f'"change":"{TOKEN_CREATED}"'),
        )
        .order_by(CustodyEvent.seq)
    )
    for actor, text in events:
        try:
            details = json.loads(text)
        except ValueError:
            continue  # an edited event: verify names it
        if not isinstance(details, dict):
            continue
        if isinstance(details.get("id"), int):
            by_id.setdefault(details["id"], str(actor))
        key = (str(details.get("user")), str(details.get("token")))
        by_prefix.setdefault(key, str(actor))
    return by_id, by_prefix


def revoke_token(app: Enquiry, ref: str) -> TokenView:
    """Revoke a token by its number or prefix (or the whole token): it stops working at once."""
    store = app.store()
    text = ref.strip()
    query = select(ApiToken)
    if text and set(text) <= DIGITS:
        query = query.where(ApiToken.id == (row_id(text) or 0))
    elif text.startswith(TOKEN_PREFIX) and len(text) > 20:
        query = query.where(ApiToken.token_sha256 == _digest(text))
    else:
        query = query.where(ApiToken.prefix == text)
    if not app.principal.admin:
        query = query.where(ApiToken.user_id == app.principal.user_id)
    with store.session() as session:
        found = session.scalars(query).all()
    if not found:
        raise NotFound(f"token '{text[:12]}': no such token (enquiry tokens list)")
    if len(found) > 1:
        raise BadRequest(f"token '{text[:12]}': several tokens match; give its number")
    token = found[0]
    if token.revoked_at is None:  # revoking again keeps the first revocation's time and event
        with store.writing() as (connection, writer):
            connection.execute(
                update(ApiToken)
                .where(ApiToken.id == token.id, ApiToken.revoked_at.is_(None))
                .values(revoked_at=utc_now())
            )
            writer.append("account", details={"change": "token revoked", "token": token.prefix})
    return next(t for t in list_tokens(app) if t.id == token.id)


def _principal(user: User, via: str) -> Principal:
    return Principal(name=user.name, user_id=user.id, admin=bool(user.is_admin), via=via)


VIA_PASSWORD = "password"
"""How a user signing in was established (the ``signed in`` event's ``identified_by``)."""


def token_via(prefix: str) -> str:
    """How an act under an API token is recorded: by the token's public prefix, which its
    ``token created`` event (naming who made it) and ``enquiry tokens list`` also show."""
    return f"API token {prefix}"


def session_via(token_sha256: str) -> str:
    """How an act in a browser session is recorded: by the session's fingerprint (the start of
    the stored digest of its cookie, which says nothing of the cookie), the one its ``signed
    in`` event names."""
    return f"web session {token_sha256[:SESSION_FINGERPRINT]}"


SESSION_FINGERPRINT = 12


def authenticate_password(app: Enquiry, name: str, password: str) -> Principal:
    """The user whose name and password these are, or :class:`Unauthorized` (one message for
    every failure; an unknown name is checked against a dummy hash to take the same time)."""
    with app.store().session() as session:
        user = session.scalars(select(User).where(User.name == name.strip().lower())).first()
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise Unauthorized(CREDENTIALS) from None
    if user is None or user.disabled_at is not None:
        raise Unauthorized(CREDENTIALS)
    return _principal(user, VIA_PASSWORD)


def authenticate_token(app: Enquiry, token: str) -> Principal:
    """The user a bearer token belongs to, or :class:`Unauthorized`."""
    return token_principal(app.store(), token)


def token_principal(store: Store, token: str) -> Principal:
    """The user an API token belongs to, on an opened store, or :class:`Unauthorized`: the one
    check of a token, for the API's bearer tokens and the command line's ``ENQUIRY_TOKEN``
    alike (which is checked while the command line's acting user is still being settled, so
    before its :class:`Enquiry` may open the store)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        raise Unauthorized(CREDENTIALS)
    with store.session() as session:
        row = session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_sha256 == _digest(token))
        ).first()
    if row is None:
        raise Unauthorized(CREDENTIALS)
    found, user = row
    if found.revoked_at is not None or user.disabled_at is not None:
        raise Unauthorized(CREDENTIALS)
    return _principal(user, token_via(found.prefix))


@dataclass(frozen=True)
class SignedIn:
    """A new browser session: the cookie value and the CSRF token forms must carry."""

    principal: Principal
    cookie: str
    csrf: str
    expires_at: str


def open_session(app: Enquiry, principal: Principal, *, hours: int = SESSION_HOURS) -> SignedIn:
    """Start a browser session for a user who has just proved who they are, and record it: a
    ``signed in`` event under their name, naming the session's fingerprint, which every act in
    the session carries (:func:`session_via`), so that an act is traced to a sign-in."""
    if principal.user_id is None:
        raise BadRequest("a session is for a user account")
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    expires = (datetime.now(UTC) + timedelta(hours=hours)).isoformat(timespec="seconds")
    digest = _digest(cookie)
    with app.acting_as(principal).store().writing() as (connection, writer):
        connection.execute(
            insert(WebSession).values(
                user_id=principal.user_id,
                token_sha256=digest,
                csrf=csrf,
                created_at=utc_now(),
                expires_at=expires,
            )
        )
        writer.append(
            "account",
            details={
                "change": "signed in",
                "user": principal.name,
                "session": digest[:SESSION_FINGERPRINT],
                "expires": expires,
            },
            item_changed=False,
        )
    return SignedIn(principal=principal, cookie=cookie, csrf=csrf, expires_at=expires)


def session_principal(app: Enquiry, cookie: str) -> tuple[Principal, str]:
    """The user and CSRF token of a live session cookie, or :class:`Unauthorized`."""
    row = _session_of(app, cookie)
    if row is None:
        raise Unauthorized(CREDENTIALS)
    found, user = row
    if found.expires_at < datetime.now(UTC).isoformat(timespec="seconds"):
        raise Unauthorized(CREDENTIALS)
    if user.disabled_at is not None:
        raise Unauthorized(CREDENTIALS)
    return _principal(user, session_via(found.token_sha256)), found.csrf


def _session_of(app: Enquiry, cookie: str) -> tuple[WebSession, User] | None:
    """The session a cookie opens and its user, live or not (None for no such session)."""
    if not cookie or len(cookie) > 200:
        return None
    with app.store().session() as session:
        row = session.execute(
            select(WebSession, User)
            .join(User, User.id == WebSession.user_id)
            .where(WebSession.token_sha256 == _digest(cookie))
        ).first()
    return None if row is None else (row[0], row[1])


def close_session(app: Enquiry, cookie: str) -> None:
    """Sign a browser out, recorded as a ``signed out`` event of the session's user (and sweep
    sessions that have expired: their end is the time their ``signed in`` event gave)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    row = _session_of(app, cookie)
    gone = (WebSession.token_sha256 == (row[0].token_sha256 if row else "")) | (
        WebSession.expires_at < now
    )
    if row is None:
        with app.store().engine.begin() as connection:
            connection.execute(delete(WebSession).where(gone))
        return
    found, user = row
    acting = app.acting_as(_principal(user, session_via(found.token_sha256)))
    with acting.store().writing() as (connection, writer):
        connection.execute(delete(WebSession).where(gone))
        writer.append(
            "account",
            details={
                "change": "signed out",
                "user": user.name,
                "session": found.token_sha256[:SESSION_FINGERPRINT],
            },
            item_changed=False,
        )


def csrf_ok(expected: str, given: str | None) -> bool:
    """Whether a form or header carries the session's CSRF token (compared in constant time)."""
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


TOO_MANY = "too many failed sign-ins; wait a few minutes and try again"
THROTTLE_FILE = "signin-failures.db"  # in the home: the web server's shared count of failures


class SharedFailures:
    """Failed sign-ins in a small SQLite file that every server process of a machine opens, so
    that ``enquiry serve --workers N`` allows a guesser no more tries than one process would.

    Each row is one failure (a key — ``name:…`` or ``addr:…`` — and when, by the wall clock,
    which every process reads alike); rows older than the window are swept as attempts come.
    Counting and adding an attempt happen in one ``BEGIN IMMEDIATE`` transaction, which SQLite
    serialises across threads and processes. The file is readable by its owner only: it holds
    the names tried and the addresses they came from, for as long as the window lasts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        with closing(self._connect()) as db:
            db.execute("CREATE TABLE IF NOT EXISTS failures (key TEXT NOT NULL, at REAL NOT NULL)")
            db.execute("CREATE INDEX IF NOT EXISTS failures_key ON failures (key, at)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def attempt(self, keys: tuple[str, ...], now: float, window: float, limit: int) -> bool:
        """Count this attempt against ``keys`` unless one of them is at the limit (False)."""
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DELETE FROM failures WHERE at <= ?", (now - window,))
                if self._over(db, keys, limit):
                    db.execute("ROLLBACK")
                    return False
                db.executemany(
                    "INSERT INTO failures (key, at) VALUES (?, ?)", [(k, now) for k in keys]
                )
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        return True

    @staticmethod
    def _over(db: sqlite3.Connection, keys: tuple[str, ...], limit: int) -> bool:
        return any(
            db.execute("SELECT COUNT(*) FROM failures WHERE key = ?", (key,)).fetchone()[0] >= limit
            for key in keys
        )

    def over(self, keys: tuple[str, ...], now: float, window: float, limit: int) -> bool:
        """Whether any key has failed ``limit`` times within the window (nothing counted)."""
        with closing(self._connect()) as db:
            db.execute("DELETE FROM failures WHERE at <= ?", (now - window,))
            return self._over(db, keys, limit)

    def add(self, keys: tuple[str, ...], now: float) -> None:
        with closing(self._connect()) as db:
            db.executemany("INSERT INTO failures (key, at) VALUES (?, ?)", [(k, now) for k in keys])

    def remove(self, keys: tuple[str, ...], stamp: float | None) -> None:
        """One failure of each key stamped ``stamp``, or (None) all of each key's."""
        with closing(self._connect()) as db:
            for key in keys:
                if stamp is None:
                    db.execute("DELETE FROM failures WHERE key = ?", (key,))
                else:
                    db.execute(
                        "DELETE FROM failures WHERE rowid IN (SELECT rowid FROM failures"
                        " WHERE key = ? AND at = ? LIMIT 1)",
                        (key, stamp),
                    )

    def clear(self) -> None:
        """Forget every failure (an administrator lifting a lock-out at once)."""
        with closing(self._connect()) as db:
            db.execute("DELETE FROM failures")

    def keys(self) -> int:
        """How many keys have failures on record (for tests and diagnosis)."""
        with closing(self._connect()) as db:
            return int(db.execute("SELECT COUNT(DISTINCT key) FROM failures").fetchone()[0])


class LoginThrottle:
    """At most ``limit`` failed sign-ins per name and per client address in ``window`` seconds;
    further attempts are refused without checking the password until the window passes.

    With ``shared`` (a :class:`SharedFailures` file) the count is kept there, for every server
    process of the machine; else in this process's memory. A shared count is timed by the wall
    clock (``clock`` defaults to it then), since each process's monotonic clock is its own.

    The sign-in form counts an attempt *before* the password is checked (:meth:`attempt`), in
    one step with the check: otherwise many guesses sent at once would all pass the check while
    the first were still being hashed, and the limit would bound nothing. A success then takes
    its own attempt back (:meth:`forgive`); it does not wipe the address's other failures, or
    signing in to one's own account between guesses would reset the count for every name.
    Keys with no failure left in the window are swept, so that a flood of made-up names does
    not grow the table without end."""

    def __init__(
        self,
        limit: int = 5,
        window: float = 300.0,
        *,
        clock: Callable[[], float] | None = None,
        shared: SharedFailures | None = None,
    ) -> None:
        self.limit = limit
        self.window = window
        self.shared = shared
        self._clock = clock or (time.time if shared is not None else time.monotonic)
        self._failures: dict[str, list[float]] = {}
        self._swept = self._clock()
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if now - t < self.window]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def _sweep(self, now: float) -> None:
        if now - self._swept < self.window:
            return
        self._swept = now
        for key in [k for k, v in self._failures.items() if not v or now - v[-1] >= self.window]:
            del self._failures[key]

    def _refuse_if_over(self, keys: tuple[str, ...], now: float) -> None:
        if any(len(self._recent(key, now)) >= self.limit for key in keys):
            raise Unauthorized(TOO_MANY)

    def check(self, *keys: str) -> None:
        """Refuse when any key has failed too often lately (nothing is counted)."""
        now = self._clock()
        if self.shared is not None:
            if self.shared.over(keys, now, self.window, self.limit):
                raise Unauthorized(TOO_MANY)
            return
        with self._lock:
            self._sweep(now)
            self._refuse_if_over(keys, now)

    def attempt(self, *keys: str) -> float:
        """Refuse when any key has failed too often lately, else count this attempt as a
        failure until :meth:`forgive` says otherwise; returns the attempt's stamp."""
        now = self._clock()
        if self.shared is not None:
            if not self.shared.attempt(keys, now, self.window, self.limit):
                raise Unauthorized(TOO_MANY)
            return now
        with self._lock:
            self._sweep(now)
            self._refuse_if_over(keys, now)
            for key in keys:
                self._failures.setdefault(key, []).append(now)
        return now

    def failed(self, *keys: str) -> None:
        """Count a failure that was not counted by :meth:`attempt`."""
        now = self._clock()
        if self.shared is not None:
            self.shared.add(keys, now)
            return
        with self._lock:
            for key in keys:
                self._recent(key, now)
                self._failures.setdefault(key, []).append(now)

    def forgive(self, stamp: float, *keys: str) -> None:
        """Take back one attempt counted by :meth:`attempt` (it succeeded)."""
        if self.shared is not None:
            self.shared.remove(keys, stamp)
            return
        with self._lock:
            for key in keys:
                stamps = self._failures.get(key)
                if stamps and stamp in stamps:
                    stamps.remove(stamp)
                    if not stamps:
                        del self._failures[key]

    def succeeded(self, *keys: str) -> None:
        """Forget every failure of these keys (a name whose owner has just proved who they
        are; never an address, which others share)."""
        if self.shared is not None:
            self.shared.remove(keys, None)
            return
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


@dataclass(frozen=True)
class DemoAccount:
    """The demonstration's account: its name, password, and the file that keeps it."""

    name: str
    password: str
    password_file: Path


def demo_user(app: Enquiry, case: str, name: str = "demo") -> DemoAccount:
    """An owner of the demonstration case, for signing in to the web app. Its password is made
    once and kept in a file beside the home (readable by its owner only), so that re-running
    the demonstration keeps the same sign-in."""
    require_admin(app, "demo")
    path = app.home.parent / f"{app.home.name}.demo-password"
    if path.is_file():
        password = path.read_text(encoding="utf-8").strip()
    else:
        password = secrets.token_urlsafe(12)
        path.touch(mode=0o600)
        path.write_text(password + "\n", encoding="utf-8")
    store = app.store()
    with store.session() as session:
        exists = session.scalars(select(User.id).where(User.name == name)).first() is not None
    if not exists:
        add_user(app, name, password)
    else:
        try:
            authenticate_password(app, name, password)
        except Unauthorized:
            set_password(app, name, password)
    grant(app, name, case, Role.OWNER.value)
    return DemoAccount(name=name, password=password, password_file=path)


__all__ = [
    "CREDENTIALS",
    "SESSION_FINGERPRINT",
    "THROTTLE_FILE",
    "TOKEN_CREATED",
    "VIA_PASSWORD",
    "DemoAccount",
    "LoginThrottle",
    "NewToken",
    "Role",
    "SharedFailures",
    "SignedIn",
    "TokenView",
    "UserView",
    "add_user",
    "authenticate_password",
    "authenticate_token",
    "close_session",
    "create_token",
    "csrf_ok",
    "demo_user",
    "disable_user",
    "grant",
    "list_tokens",
    "list_users",
    "open_session",
    "prepare_sign_in",
    "revoke",
    "revoke_token",
    "session_principal",
    "session_via",
    "set_password",
    "token_principal",
    "token_via",
]
