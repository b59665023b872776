"""Ed25519 signing keys: made, kept encrypted at rest, unlocked with a passphrase, used to sign.

A private key never lies on disk in the clear: it is written as PKCS#8 encrypted with the
passphrase (``cryptography``'s best available scheme), readable only by its owner. Its public
half, and a revocation once there is one, travel as a small JSON file that
:mod:`enquiry.publish.bundle_check` reads with nothing but ``cryptography``.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from enquiry.publish.bundle_check import KEY_FORMAT, fingerprint, revocation_statement
from enquiry.store.crypt import secret_bytes
from enquiry.store.vault import synced

NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


class KeyProblem(Exception):
    """A key cannot be made, read or unlocked; the message is the whole line."""


def check_name(name: str) -> str:
    """A key name fit for a file name and a signature line (letters, digits, '.', '_', '-')."""
    if not name or len(name) > 100 or not set(name) <= NAME_CHARS or name[0] in ".-":
        raise KeyProblem(
            f"key name {name!r:.40}: use 1-100 letters, digits, '.', '_' or '-' (not first)"
        )
    return name


def keys_folder(home: Path) -> Path:
    return home / "keys"


def private_path(home: Path, name: str) -> Path:
    return keys_folder(home) / f"{name}.key"


@dataclass(frozen=True)
class NewKey:
    """A freshly made key: its public bytes (base64) and fingerprint."""

    public_key: str
    fingerprint: str


def create_key(home: Path, name: str, passphrase: str) -> NewKey:
    """Make a key pair; write the private half encrypted with ``passphrase`` (never overwriting)."""
    if not passphrase:
        raise KeyProblem("a key's passphrase must not be empty")
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(secret_bytes(passphrase, "the key's passphrase")),
    )
    folder = keys_folder(home)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = private_path(home, name)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyProblem(f"key '{name}': a private key file already exists at {path}") from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    # on the disk before anything is signed with it
    synced(path)
    synced(folder, folder=True)
    return NewKey(base64.b64encode(raw).decode("ascii"), fingerprint(raw))


def unlock(home: Path, name: str, passphrase: str) -> Ed25519PrivateKey:
    """The private key, decrypted with ``passphrase``."""
    path = private_path(home, name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyProblem(
            f"key '{name}': its private key {path} cannot be read ({exc.strerror})"
        ) from None
    try:
        key = serialization.load_pem_private_key(
            data, password=secret_bytes(passphrase, "the key's passphrase")
        )
    except (ValueError, TypeError):
        raise KeyProblem(f"key '{name}': wrong passphrase, or the key file is damaged") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyProblem(f"key '{name}': {path} is not an Ed25519 key")
    return key


def public_raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def revoke(key: Ed25519PrivateKey, revoked_at: str) -> str:
    """The key's signed statement that it is revoked from ``revoked_at`` (base64)."""
    statement = revocation_statement(fingerprint(public_raw(key)), revoked_at)
    return base64.b64encode(key.sign(statement)).decode("ascii")


def public_document(
    name: str,
    public_key: str,
    created_at: str,
    revoked_at: str | None = None,
    revocation: str | None = None,
) -> dict[str, Any]:
    """The public-key file's content, as ``bundle_check.read_public_key`` reads it."""
    raw = base64.b64decode(public_key)
    body: dict[str, Any] = {
        "format": KEY_FORMAT,
        "name": name,
        "algorithm": "ed25519",
        "public_key": public_key,
        "fingerprint": fingerprint(raw),
        "created_at": created_at,
    }
    if revoked_at and revocation:
        body["revocation"] = {"at": revoked_at, "signature": revocation}
    return body


def public_text(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
