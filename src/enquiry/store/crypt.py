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

A wrapped data key comes in two forms, both opened by :func:`open_data_key`. The first (92
bytes) is a sealed box of its own: an ephemeral key pair and an exchange per item. The second
(:data:`WRAP_V2`, 109 bytes) shares one exchange among the items of an intake
(:class:`KeyBatch`): the exchange gives a batch secret, never stored; each item's
key-encryption key is derived from it with HKDF under 16 random bytes of its own, and wraps
its data key. The data key itself is still 32 random bytes drawn for that item alone, so the
batch secret — which anyone holding the case private key can recompute from any item of the
batch — opens an item's data key only together with that item's own wrapped key: destroying
one wrapped key shreds that item and no other.

Rotating the wrapping key re-wraps the case private key; rotating a case key pair re-seals the
item data keys to the new public key. Neither re-encrypts any content.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
import unicodedata
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

from enquiry.errors import BadRequest, Corrupt, Refused
from enquiry.model.types import is_utf8
from enquiry.store.vault import synced

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
# The Unicode form a passphrase is brought to before its key is derived (NIST SP 800-63B
# advises NFKC or NFKD for secrets people type), recorded in the key's parameters.
PASSPHRASE_FORM = "NFKC"
WITHHELD_AT_REST = "[encrypted: protected item]"
WITHHELD_SAID = "[withheld: said in a protected item]"
"""What stands for the words of a claim read from a protected item, wherever they are withheld."""
WITHHELD_SPEAKER = "[withheld speaker]"
"""The speaker a plain dump gives such a claim: who spoke in a protected item is the item's."""


class KeyUnavailable(Refused):
    """The protection key is needed and was not given (or is the wrong one)."""


def secret_bytes(text: str, source: str) -> bytes:
    """A passphrase's bytes (UTF-8). One that holds bytes that are not UTF-8 (set from a
    terminal or file in another encoding, and kept by Python as lone surrogates) is refused
    in one line: its key could only be opened again by the same bytes, which the same words
    typed in a UTF-8 terminal are not."""
    if not is_utf8(text):
        raise BadRequest(
            f"{source}: not UTF-8 text (set it from a terminal or file that uses UTF-8)"
        )
    return text.encode("utf-8")


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
            ).derive(self._passphrase(params.get("normalized")))
        return _hkdf(self.secret, salt, b"enquiry wrapping key")

    def _passphrase(self, form: object) -> bytes:
        """The passphrase's bytes as the key was made from them: in the Unicode form its
        parameters name (keys made since passphrases were normalised), else as typed (keys
        made before, which must still open)."""
        if form is None:
            return self.secret
        if form not in ("NFC", "NFKC", "NFD", "NFKD"):
            raise KeyUnavailable(f"this case's key names an unknown passphrase form ({form!r})")
        text = self.secret.decode("utf-8")  # UTF-8 by construction (secret_bytes)
        return unicodedata.normalize(form, text).encode("utf-8")

    def new_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"method": self.method, "salt": secrets.token_hex(16)}
        if self.method == "passphrase":
            params.update(SCRYPT)
            # The same words can reach us as different code points: é as one or as e and a
            # combining accent, an Arabic letter with hamza as one or two, a full-width digit,
            # depending on the keyboard and the system. Normalised, they all open the key.
            params["normalized"] = PASSPHRASE_FORM
        return params


# A key file holds a key: 64 hex digits as 'enquiry protection keyfile' writes them, or raw
# bytes. Anything much longer is the wrong file, and is refused before it is read whole.
KEY_FILE_MAX = 64 * 1024


def read_key_file(path: Path) -> bytes:
    """The bytes of the key file ``path`` (stripped), read only if it is a regular file of at
    most :data:`KEY_FILE_MAX` bytes: a FIFO would block the command and ``/dev/zero`` never
    ends. Raises :class:`OSError` with a ``strerror`` naming the problem."""
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise OSError(0, "is a folder")
    if not stat.S_ISREG(mode):
        kind = "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise OSError(0, f"{kind}, not a regular file")
    with open(path, "rb") as handle:
        data = handle.read(KEY_FILE_MAX + 1)
    if len(data) > KEY_FILE_MAX:
        raise OSError(0, f"longer than {KEY_FILE_MAX} bytes: not a key file")
    return data.strip()


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
            data = read_key_file(path)
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
        return KeySource("passphrase", secret_bytes(phrase, PASSPHRASE_ENV))
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
    # on the disk before any case key is wrapped under it: lost, it takes every protected
    # item with it
    synced(path)
    synced(path.parent, folder=True)


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


# The two forms of a wrapped data key (see the module's docstring). The first, a sealed box per
# item: ephemeral public key (32), nonce (12), the data key sealed (32 + 16). The second: this
# version byte, the batch's ephemeral public key (32), the item's salt (16), nonce (12), the
# data key sealed (32 + 16). A first-form key is always 92 bytes long, so the length and the
# version byte together tell the two apart.
WRAP_V1_SIZE = 32 + 12 + 32 + TAG
WRAP_V2 = b"\x02"
WRAP_V2_SIZE = 1 + 32 + 16 + 12 + 32 + TAG
_BATCH_INFO = b"enquiry item key batch v2"
_KEK_INFO = b"enquiry item key-encryption key v2"


def _raw_public(key: X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def _batch_secret(shared: bytes, eph: bytes, public: bytes) -> bytes:
    return _hkdf(shared, eph + public, _BATCH_INFO)


def _wrap_v2(secret: bytes, eph: bytes, data_key: bytes, sha256: str) -> bytes:
    salt = os.urandom(16)
    nonce = os.urandom(12)
    kek = _hkdf(secret, salt, _KEK_INFO)
    sealed = AESGCM(kek).encrypt(nonce, data_key, _item_aad(sha256))
    return WRAP_V2 + eph + salt + nonce + sealed


class KeyBatch:
    """Data keys sealed to one case public key under a single ephemeral X25519 exchange.

    An exchange costs about as much as everything else an 8 KiB protected file's intake does
    beyond an unprotected one's, so an intake makes one per process and case, not one per
    item. The ephemeral private key is dropped at once; the batch secret derived from the
    exchange lives only in this object (never stored, never pickled: a cluster worker makes its
    own batch), and each item still gets a random data key and a key-encryption key of its own
    (HKDF under a random salt), so shredding one item's wrapped key loses that item alone.
    """

    def __init__(self, public: bytes) -> None:
        ephemeral = X25519PrivateKey.generate()
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
        self.public = public
        self.ephemeral = _raw_public(ephemeral)
        self._secret = _batch_secret(shared, self.ephemeral, public)

    def seal(self, data_key: bytes, sha256: str) -> bytes:
        """``data_key`` wrapped for the item whose plaintext SHA-256 is ``sha256``."""
        return _wrap_v2(self._secret, self.ephemeral, data_key, sha256)

    def __reduce__(self) -> Any:
        raise TypeError("a key batch holds a secret and is never pickled; make one per process")


def seal_data_key(
    public: bytes, data_key: bytes, sha256: str, batch: KeyBatch | None = None
) -> bytes:
    """``data_key`` sealed to a case public key, in a ``batch`` (which must be made for that
    key) or, without one, in a batch of its own (an exchange for this key alone)."""
    if batch is None:
        batch = KeyBatch(public)
    elif batch.public != public:
        raise ValueError("the key batch was made for another case key")
    return batch.seal(data_key, sha256)


def open_data_key(
    private: X25519PrivateKey,
    wrapped: bytes,
    sha256: str,
    batches: dict[bytes, bytes] | None = None,
) -> bytes:
    """The data key in ``wrapped`` (either form), for the item whose SHA-256 is ``sha256``.

    ``batches`` (case public key and ephemeral public key → batch secret), kept by a caller
    opening many items, saves an exchange per item of a batch already met.
    """
    public = _raw_public(private)
    try:
        if len(wrapped) == WRAP_V2_SIZE and wrapped[:1] == WRAP_V2:
            eph, salt, nonce, body = wrapped[1:33], wrapped[33:49], wrapped[49:61], wrapped[61:]
            secret = batches.get(public + eph) if batches is not None else None
            if secret is None:
                shared = private.exchange(X25519PublicKey.from_public_bytes(eph))
                secret = _batch_secret(shared, eph, public)
                if batches is not None:
                    batches[public + eph] = secret
            key = _hkdf(secret, salt, _KEK_INFO)
        elif len(wrapped) == WRAP_V1_SIZE:
            eph, nonce, body = wrapped[:32], wrapped[32:44], wrapped[44:]
            shared = private.exchange(X25519PublicKey.from_public_bytes(eph))
            key = _hkdf(shared, eph + public, b"enquiry item data key")
        else:
            raise Corrupt(f"the data key of item {sha256[:12]} is of no known form: edited")
        return AESGCM(key).decrypt(nonce, body, _item_aad(sha256))
    except (InvalidTag, ValueError):  # a changed byte; an exchange with a point made up
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


def encrypt_chunks(
    data_key: bytes, plain: Iterable[bytes], *, reuse: bool = False
) -> Iterator[bytes]:
    """The cipher stream of plaintext given piece by piece, in pieces of any size.

    The format needs every chunk but the last to hold exactly CHUNK bytes and the last to be
    known as last, so pieces are regrouped (a piece of exactly CHUNK bytes passes uncopied)
    and one chunk is held back until the next shows whether it was the last.

    ``reuse`` encrypts every chunk into one buffer, yielded as a view that is only valid until
    the next chunk is asked for: for a caller that hashes and writes each chunk before taking
    the next (the vault's writer), it saves allocating — and faulting in — a fresh megabyte per
    chunk. Anyone who keeps the chunks (``b"".join``) must leave it off.
    """
    aead = AESGCM(data_key)
    prefix = os.urandom(8)
    yield MAGIC + prefix
    if reuse:
        yield from _encrypt_into(aead, prefix, _full_chunks(plain))
        return
    for index, (chunk, last) in enumerate(_full_chunks(plain)):
        yield aead.encrypt(_chunk_nonce(prefix, index), chunk, b"last" if last else b"more")


def _full_chunks(plain: Iterable[bytes]) -> Iterator[tuple[bytes, bool]]:
    """(chunk, whether it is the last) of plaintext given in pieces of any size: every chunk
    but the last exactly CHUNK bytes (a piece of exactly CHUNK bytes passes uncopied), the
    last empty only for empty plaintext; one chunk is held back until the next shows whether
    it was the last."""
    held: bytes | None = None
    # A bytearray, appended to in place: with bytes, every small piece would copy the whole
    # buffer again, and a chunk given in 1-byte pieces would cost CHUNK²/2 bytes of copying.
    buffer = bytearray()
    for piece in plain:
        if not piece:
            continue
        if not buffer and len(piece) == CHUNK:
            if held is not None:
                yield held, False
            held = piece
            continue
        buffer += piece
        while len(buffer) >= CHUNK:
            if held is not None:
                yield held, False
            held = bytes(buffer[:CHUNK])
            del buffer[:CHUNK]
    if held is not None and buffer:
        yield held, False
        held = None
    yield (held if held is not None else bytes(buffer)), True


def _encrypt_into(
    aead: AESGCM, prefix: bytes, chunks: Iterable[tuple[bytes, bool]]
) -> Iterator[bytes]:
    out = memoryview(bytearray(CHUNK + TAG))
    for index, (chunk, last) in enumerate(chunks):
        view = out[: len(chunk) + TAG]
        aead.encrypt_into(_chunk_nonce(prefix, index), chunk, b"last" if last else b"more", view)
        yield view  # type: ignore[misc]  # a view: read before asking for the next


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
