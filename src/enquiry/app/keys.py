"""Signing keys: who vouches for a bundle, recorded in the ledger from creation to revocation.

The catalogue keeps each key's public half (watched by the ledger like any row); the private
half is a file under ``<home>/keys/``, encrypted with a passphrase the service is handed — the
entry point reads it from ``ENQUIRY_KEY_PASSPHRASE`` or asks for it. A revoked key signs nothing
more, and its exported public key carries the revocation, signed by the key itself, so that a
verifier with no access to this home can tell bundles signed before from those signed after.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import insert, select, update

from enquiry.app.access import require_admin
from enquiry.app.context import Enquiry
from enquiry.app.outputs import refuse_home_output
from enquiry.errors import BadRequest, EnquiryError, NotFound, Refused
from enquiry.intake.walk import printable
from enquiry.publish import signing
from enquiry.store.ledger import utc_now
from enquiry.store.tables import SigningKey

PASSPHRASE_ENV = "ENQUIRY_KEY_PASSPHRASE"


@dataclass(frozen=True)
class KeyView:
    """A key as listed: never its private half."""

    name: str
    algorithm: str
    fingerprint: str
    created_at: str
    revoked_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _view(row: SigningKey) -> KeyView:
    return KeyView(row.name, row.algorithm, row.fingerprint, row.created_at, row.revoked_at)


def _name(name: str) -> str:
    try:
        return signing.check_name(name)
    except signing.KeyProblem as exc:
        raise BadRequest(str(exc)) from None


def _find(app: Enquiry, name: str) -> SigningKey:
    store = app.store(create=False)
    with store.session() as session:
        row = session.scalars(select(SigningKey).where(SigningKey.name == name)).first()
        if row is None:
            known = ", ".join(session.scalars(select(SigningKey.name).order_by(SigningKey.name)))
            raise NotFound(f"key '{name}': no such key (known: {known or 'none'})")
        return row


def check_new(app: Enquiry, name: str) -> str:
    """``name`` (checked) if a key may be made under it: by the administrator, a valid name
    not in use. An adapter asks before prompting for a passphrase, so that a name that would
    be refused is refused before anyone types one."""
    require_admin(app, "keys create")
    name = _name(name)
    store = app.store(create=True)
    with store.session() as session:
        if session.scalars(select(SigningKey.id).where(SigningKey.name == name)).first():
            raise Refused(f"key '{name}': a key of that name exists; choose another name")
    return name


def create(app: Enquiry, name: str, passphrase: str) -> KeyView:
    """Make an Ed25519 key named ``name``; refuse a name in use. The ledger records it."""
    name = check_new(app, name)
    if not passphrase:
        raise BadRequest(f"key '{name}': the passphrase must not be empty")
    store = app.store(create=True)
    try:
        made = signing.create_key(store.home, name, passphrase)
    except signing.KeyProblem as exc:
        raise Refused(str(exc)) from None
    created = utc_now()
    with store.writing() as (connection, writer):
        connection.execute(
            insert(SigningKey).values(
                name=name,
                algorithm="ed25519",
                public_key=made.public_key,
                fingerprint=made.fingerprint,
                created_at=created,
            )
        )
        writer.append(
            "created", details={"key": name, "fingerprint": made.fingerprint, "what": "signing key"}
        )
    return KeyView(name, "ed25519", made.fingerprint, created, None)


def list_keys(app: Enquiry) -> list[KeyView]:
    require_admin(app, "keys list")
    store = app.store(create=False)
    with store.session() as session:
        return [_view(row) for row in session.scalars(select(SigningKey).order_by(SigningKey.name))]


def unlock(app: Enquiry, name: str, passphrase: str) -> tuple[KeyView, Ed25519PrivateKey]:
    """The key, unlocked for signing; a revoked key is refused."""
    require_admin(app, "keys")
    row = _find(app, _name(name))
    if row.revoked_at is not None:
        raise Refused(f"key '{name}' was revoked at {row.revoked_at}; it signs nothing more")
    try:
        private = signing.unlock(app.home, row.name, passphrase)
    except signing.KeyProblem as exc:
        raise Refused(str(exc)) from None
    if signing.public_raw(private) != base64.b64decode(row.public_key):
        raise EnquiryError(f"key '{name}': the private key file does not match the catalogue")
    return _view(row), private


def revoke(app: Enquiry, name: str, passphrase: str) -> KeyView:
    """Revoke the key from now on: recorded in the ledger, signed by the key itself."""
    require_admin(app, "keys revoke")
    view, private = unlock(app, name, passphrase)
    revoked_at = utc_now()
    statement = signing.revoke(private, revoked_at)
    store = app.store(create=False)
    with store.writing() as (connection, writer):
        connection.execute(
            update(SigningKey)
            .where(SigningKey.name == view.name)
            .values(revoked_at=revoked_at, revocation=statement)
        )
        writer.append(
            "updated",
            details={"key": view.name, "fingerprint": view.fingerprint, "revoked": revoked_at},
        )
    return KeyView(view.name, view.algorithm, view.fingerprint, view.created_at, revoked_at)


def public_document(app: Enquiry, name: str) -> dict[str, Any]:
    require_admin(app, "keys export-public")
    row = _find(app, _name(name))
    return signing.public_document(
        row.name, row.public_key, row.created_at, row.revoked_at, row.revocation
    )


def export_public(app: Enquiry, name: str, output: Path) -> Path:
    """Write the public key (with its revocation, if any) to ``output``, never overwriting."""
    refuse_home_output(app, output)
    text = signing.public_text(public_document(app, name))
    if output.exists():
        raise Refused(f"{printable(str(output))}: exists; choose another file")
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise EnquiryError(
            f"{printable(str(output))}: cannot write ({exc.strerror or exc})"
        ) from None
    return output
