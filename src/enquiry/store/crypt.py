"""Protected evidence at rest: the key hierarchy and the authenticated encryption under it.

The threat is a copy of the home — a stolen laptop, a copied backup, a database dump — in the
hands of someone who wants a witness's name. So nothing that could name a witness is stored in
the clear, and the key that opens it never lives in the home:

* **wrapping key** — derived from ``ENQUIRY_PROTECTION_PASSPHRASE`` (scrypt, with the salt and
  cost stored beside the case key) or from the file named by ``ENQUIRY_PROTECTION_KEY_FILE``
  (HKDF over its bytes); it exists only in the process that was given it.
* **case key** — an X25519 key pair per case. The public half is stored in the clear, so that
  protected items can be received (encrypted to it) by anyone, with no secret at hand; the
  private half is stored wrapped (AES-256-GCM) by the wrapping key.
* **item data key** — 32 random bytes per protected item, sealed to the case's public key
  (ephemeral X25519, HKDF-SHA256, AES-256-GCM). It encrypts the item's bytes in the vault and
  its secret record (arrival name and path, identifying fields, metadata, extracted texts).
  Destroying it (:func:`seal`) makes all of those unrecoverable at once — crypto-shredding —
  while everything encrypted under other items' keys stays readable.

Rotating the wrapping key re-wraps the case private key; rotating a case key pair re-seals the
item data keys to the new public key. Neither re-encrypts any content.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from enquiry.errors import Corrupt, Refused

PASSPHRASE_ENV = "ENQUIRY_PROTECTION_PASSPHRASE"
KEY_FILE_ENV = "ENQUIRY_PROTECTION_KEY_FILE"

# The cipher stream of a vault blob: magic, an 8-byte random nonce prefix, then chunks of at
# most CHUNK plaintext bytes, each sealed with its 16-byte tag. A chunk's nonce is the prefix and
# its number; its associated data says whether it is the last, so a truncated or reordered
# stream fails to open rather than yielding a shorter original.
MAGIC = b"ENQ-AEAD-1\n"
CHUNK = 1 << 20
TAG = 16
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
WITHHELD_AT_REST = "[encrypted: protected item]"


class KeyUnavailable(Refused):
    """The protection key is needed and was not given (or is the wrong one)."""


def _hkdf(material: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(material)


@dataclass(frozen=True)
class KeySource:
    """What the user gave to open protected items: a passphrase or a key file's bytes."""

    method: str  # "passphrase" or "keyfile"
    secret: bytes

    def wrapping_key(self, params: dict[str, Any]) -> bytes:
        """The wrapping key for a case key stored with these derivation parameters."""
        if params.get("method") != self.method:
            raise KeyUnavailable(
                f"this case's key is protected by a {params.get('method')}, not by the"
                f" {self.method} given; set {_env_for(str(params.get('method')))}"
            )
        salt = bytes.fromhex(str(params["salt"]))
        if self.method == "passphrase":
            return Scrypt(
                salt=salt, length=32, n=int(params["n"]), r=int(params["r"]), p=int(params["p"])
            ).derive(self.secret)
        return _hkdf(self.secret, salt, b"enquiry wrapping key")

    def new_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"method": self.method, "salt": secrets.token_hex(16)}
        if self.method == "passphrase":
            params.update(SCRYPT)
        return params


def _env_for(method: str) -> str:
    return PASSPHRASE_ENV if method == "passphrase" else KEY_FILE_ENV


def key_source() -> KeySource | None:
    """The protection key given in the environment, or None.

    A key file must hold at least 32 bytes and must not sit inside a world-readable folder
    by accident of naming; its bytes are used as they are (hex or raw alike).
    """
    named = os.environ.get(KEY_FILE_ENV)
    if named:
        path = Path(named).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise KeyUnavailable(
                f"{KEY_FILE_ENV}={named}: cannot read the key file ({exc.strerror or exc})"
            ) from None
        if len(data.strip()) < 32:
            raise KeyUnavailable(
                f"{KEY_FILE_ENV}={named}: too short for a key (at least 32 bytes;"
                " make one with 'enquiry protection keyfile PATH')"
            )
        return KeySource("keyfile", data.strip())
    phrase = os.environ.get(PASSPHRASE_ENV)
    if phrase:
        if len(phrase) < 12:
            raise KeyUnavailable(f"{PASSPHRASE_ENV}: too short (at least 12 characters)")
        return KeySource("passphrase", phrase.encode("utf-8"))
    return None


def require_key() -> KeySource:
    source = key_source()
    if source is None:
        raise KeyUnavailable(
            f"the protection key is needed: set {KEY_FILE_ENV} (a key file) or {PASSPHRASE_ENV}"
        )
    return source


def write_key_file(path: Path) -> None:
    """Create a new random key file readable by its owner only; never overwrite one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(32) + "\n")


# --- Case keys ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCaseKey:
    """A new case key pair: the public half, the private half wrapped, and how it was wrapped."""

    public: bytes
    wrapped: bytes
    params: dict[str, Any]


def _case_aad(case_id: int, public: bytes) -> bytes:
    return b"enquiry case key|" + str(case_id).encode() + b"|" + public


def new_case_key(case_id: int, source: KeySource) -> NewCaseKey:
    private = X25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    params = source.new_params()
    return NewCaseKey(public, wrap_private(case_id, public, private, source, params), params)


def wrap_private(
    case_id: int,
    public: bytes,
    private: X25519PrivateKey,
    source: KeySource,
    params: dict[str, Any],
) -> bytes:
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    nonce = os.urandom(12)
    sealed = AESGCM(source.wrapping_key(params)).encrypt(nonce, raw, _case_aad(case_id, public))
    return nonce + sealed


def unwrap_private(
    case_id: int, public: bytes, wrapped: bytes, params: dict[str, Any], source: KeySource
) -> X25519PrivateKey:
    key = source.wrapping_key(params)
    try:
        raw = AESGCM(key).decrypt(wrapped[:12], wrapped[12:], _case_aad(case_id, public))
    except InvalidTag:
        raise KeyUnavailable(
            "the protection key given does not open this case's key (wrong passphrase or key file)"
        ) from None
    return X25519PrivateKey.from_private_bytes(raw)


# --- Item data keys -----------------------------------------------------------------------------


def _item_aad(sha256: str) -> bytes:
    return b"enquiry item key|" + sha256.encode("ascii")


def seal_data_key(public: bytes, data_key: bytes, sha256: str) -> bytes:
    """``data_key`` sealed to a case public key: ephemeral public key, nonce, ciphertext."""
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    eph = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = _hkdf(shared, eph + public, b"enquiry item data key")
    nonce = os.urandom(12)
    return eph + nonce + AESGCM(key).encrypt(nonce, data_key, _item_aad(sha256))


def open_data_key(private: X25519PrivateKey, wrapped: bytes, sha256: str) -> bytes:
    eph, nonce, body = wrapped[:32], wrapped[32:44], wrapped[44:]
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph))
    key = _hkdf(shared, eph + public, b"enquiry item data key")
    try:
        return AESGCM(key).decrypt(nonce, body, _item_aad(sha256))
    except InvalidTag:
        raise Corrupt(f"the data key of item {sha256[:12]} does not open: edited") from None


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


# --- Secret records -----------------------------------------------------------------------------


def encrypt_secret(data_key: bytes, sha256: str, record: dict[str, Any]) -> bytes:
    """An item's secret record (names, paths, identifying fields, metadata, texts) sealed."""
    body = json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")
    nonce = os.urandom(12)
    return nonce + AESGCM(data_key).encrypt(nonce, body, b"enquiry secret|" + sha256.encode())


def decrypt_secret(data_key: bytes, sha256: str, sealed: bytes) -> dict[str, Any]:
    try:
        body = AESGCM(data_key).decrypt(
            sealed[:12], sealed[12:], b"enquiry secret|" + sha256.encode()
        )
    except InvalidTag:
        raise Corrupt(f"the secret record of item {sha256[:12]} was edited") from None
    value = json.loads(body.decode("utf-8"))
    return value if isinstance(value, dict) else {}


# --- Blob streams -------------------------------------------------------------------------------


def _chunk_nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(4, "big")


def encrypt_stream(data_key: bytes, source: BinaryIO) -> Iterator[bytes]:
    """The cipher stream of ``source`` (see MAGIC), chunk by chunk; never whole in memory."""
    return encrypt_chunks(data_key, iter(lambda: source.read(CHUNK), b""))


def encrypt_chunks(data_key: bytes, plain: Iterable[bytes]) -> Iterator[bytes]:
    """The cipher stream of plaintext given piece by piece, in pieces of any size.

    The format needs every chunk but the last to hold exactly CHUNK bytes and the last to be
    known as last, so pieces are regrouped (a piece of exactly CHUNK bytes passes uncopied)
    and one chunk is held back until the next shows whether it was the last.
    """
    aead = AESGCM(data_key)
    prefix = os.urandom(8)
    yield MAGIC + prefix
    index = 0
    held: bytes | None = None
    # A bytearray, appended to in place: with bytes, every small piece would copy the whole
    # buffer again, and a chunk given in 1-byte pieces would cost CHUNK²/2 bytes of copying.
    buffer = bytearray()
    for piece in plain:
        if not piece:
            continue
        if buffer or len(piece) != CHUNK:
            buffer += piece
            if len(buffer) < CHUNK:
                continue
            piece = bytes(buffer[:CHUNK])
            del buffer[:CHUNK]
        # ``piece`` is a full chunk; ``buffer`` may hold more full chunks (from a piece larger
        # than CHUNK), taken in turn, and then less than one, kept for the next piece.
        while True:
            if held is not None:
                yield aead.encrypt(_chunk_nonce(prefix, index), held, b"more")
                index += 1
            held = piece
            if len(buffer) < CHUNK:
                break
            piece = bytes(buffer[:CHUNK])
            del buffer[:CHUNK]
    if held is not None and buffer:
        yield aead.encrypt(_chunk_nonce(prefix, index), held, b"more")
        index += 1
        held = bytes(buffer)
    last = held if held is not None else bytes(buffer)
    yield aead.encrypt(_chunk_nonce(prefix, index), last, b"last")


def decrypt_stream(data_key: bytes, source: BinaryIO, label: str) -> Iterator[bytes]:
    """The plaintext of a cipher stream; :class:`Corrupt` if any byte was changed or cut."""
    head = source.read(len(MAGIC) + 8)
    if len(head) != len(MAGIC) + 8 or not head.startswith(MAGIC):
        raise Corrupt(f"{label}: not an enquiry cipher stream")
    aead = AESGCM(data_key)
    prefix = head[len(MAGIC) :]
    index = 0
    chunk = source.read(CHUNK + TAG)
    while True:
        following = source.read(CHUNK + TAG) if len(chunk) == CHUNK + TAG else b""
        last = not following
        try:
            yield aead.decrypt(_chunk_nonce(prefix, index), chunk, b"last" if last else b"more")
        except InvalidTag:
            raise Corrupt(f"{label}: its ciphertext was changed or cut short; refused") from None
        if last:
            return
        index += 1
        chunk = following


def sha256_of_chunks(chunks: Iterable[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
