"""The vault: originals stored once, by the SHA-256 of their bytes, and never written again.

A blob's name is its hash, so identical bytes are stored once whatever they were called, and
any change to a stored byte shows as a name that no longer matches the content. Bytes are hashed
while they stream from the source into a private temporary file (never whole in memory); the
file is made read-only and then renamed into place, so a blob either exists complete or not at
all, even if the process is killed mid-copy.
"""

from __future__ import annotations

import errno
import hashlib
import os
import queue
import stat
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from enquiry.errors import Corrupt

CHUNK = 1 << 20
HEAD_BYTES = 8192


class VaultError(Exception):
    """A file could not be stored; the message names the problem."""


@dataclass(frozen=True)
class Stored:
    """What the vault knows of stored bytes: their hash, size, first bytes and whether new.

    ``repaired`` says the blob was already there but corrupt (its bytes no longer hashed to its
    name) and has just been replaced by these genuine bytes.
    """

    sha256: str
    size: int
    head: bytes
    new: bool
    repaired: bool = False
    # Stored sealed (see :class:`Sealing`): the blob written is the ciphertext, at its own hash;
    # ``sha256``, ``size`` and ``head`` are still the original's.
    cipher_sha256: str | None = None
    cipher_size: int = 0
    # A private plaintext copy in the vault's temporary area, for the caller to read and remove.
    plain_copy: Path | None = None


@dataclass(frozen=True)
class Sealing:
    """How to store a file that must never lie in the vault in the clear.

    ``encrypt`` turns the plaintext, piece by piece, into the bytes to store; they are stored
    under their own hash, and the original's hash is taken from the same single read.
    ``plain_copy`` asks, in the same pass, for a private plaintext copy in the vault's
    temporary area (for readers that need a file), which the caller removes when done.
    """

    encrypt: Callable[[Iterable[bytes]], Iterator[bytes]]
    plain_copy: bool = False


def _is_hex_sha256(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


class Vault:
    """Content-addressed blob storage under ``root`` (``<root>/sha256/ab/cd/<hash>``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.blobs = root / "sha256"
        self.tmp = root / "tmp"
        self._made: set[Path] = set()

    def ensure(self) -> None:
        """Create the vault's folders."""
        self.blobs.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        """Where the blob with this hash lives (whether or not it exists)."""
        return self.blobs / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        """Open a stored blob for reading."""
        return self.path(sha256).open("rb")

    def put_file(
        self,
        source: Path,
        *,
        max_size: int | None = None,
        inspect: Callable[[bytes], None] | None = None,
        sealing: Callable[[], Sealing | None] | None = None,
    ) -> Stored:
        """Copy ``source`` into the vault, hashing as it streams; return what was stored.

        ``inspect`` sees the first bytes before anything is written and may raise to refuse the
        file, so a file is opened once however it is checked. ``sealing``, asked after
        ``inspect``, may say the file is to be stored encrypted (:class:`Sealing`): it is then
        encrypted as it streams, and no plaintext of it is written to a blob at all. The
        source's size and modification time are compared before and after, so that a file
        still being written by someone else is refused rather than stored half-written.
        """
        try:
            handle = source.open("rb")
        except OSError as exc:
            raise VaultError(describe_os_error(exc)) from exc
        with handle:
            before = os.fstat(handle.fileno())
            if not stat.S_ISREG(before.st_mode):
                raise VaultError("not a regular file")
            if max_size is not None and before.st_size > max_size:
                raise VaultError(
                    f"too large: {before.st_size} bytes exceeds the limit of {max_size} bytes"
                )
            first = handle.read(CHUNK)
            if inspect is not None:
                inspect(first[:HEAD_BYTES])
            sealed = sealing() if sealing is not None else None
            if sealed is None and len(first) < CHUNK and not handle.read(1):
                stored = self.put_bytes(first)
            else:
                handle.seek(len(first))
                stored = self._put_stream(handle, first, max_size=max_size, sealing=sealed)
            after = os.fstat(handle.fileno())
        if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or (
            stored.size != before.st_size
        ):
            if stored.new:  # bytes of a moment in a file's writing are nobody's evidence
                self.discard(stored.cipher_sha256 or stored.sha256)
            if stored.plain_copy is not None:
                stored.plain_copy.unlink(missing_ok=True)
            raise VaultError("changed while being read; try again when it is complete")
        return stored

    def put_bytes(self, data: bytes) -> Stored:
        """Store bytes held in memory (a small file, or an artefact made by enquiry itself).

        Bytes already in the vault are not written again.
        """
        digest = hashlib.sha256(data).hexdigest()
        if self.has(digest) and self._intact(digest):
            return Stored(digest, len(data), data[:HEAD_BYTES], False)
        temp = self._temp_path()
        with temp.open("wb") as out:
            out.write(data)
        return self._settle(temp, digest, len(data), data[:HEAD_BYTES])

    def put_chunks(self, chunks: Iterable[bytes]) -> Stored:
        """Store bytes produced piece by piece (a cipher stream), hashing them as they are
        written, so that what is stored is never held whole in memory."""
        digest = hashlib.sha256()
        temp = self._temp_path()
        size = 0
        head = b""
        try:
            with temp.open("wb") as out:
                for chunk in chunks:
                    if len(head) < HEAD_BYTES:
                        head += chunk[: HEAD_BYTES - len(head)]
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
            return self._settle(temp, digest.hexdigest(), size, head)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def _temp_path(self) -> Path:
        # The writer's process id is in the name so that a later run can tell the leftovers of
        # a killed intake from the files of one still running.
        return self.tmp / f"{os.getpid()}-{uuid.uuid4().hex}.part"

    def _put_stream(
        self,
        handle: BinaryIO,
        first: bytes,
        *,
        max_size: int | None,
        sealing: Sealing | None = None,
    ) -> Stored:
        # Hashing and writing run on two cores: hashlib and file writes both release the GIL,
        # so a writer thread keeps the copy from costing more than the hash alone. Sealed, this
        # thread reads, hashes the plaintext and encrypts while the writer hashes the
        # ciphertext and writes it: one read, one write, each hash on its own core.
        digest = hashlib.sha256()  # of the original
        written = hashlib.sha256()  # of the ciphertext, when sealed
        temp = self._temp_path()
        copy = self._temp_path() if sealing is not None and sealing.plain_copy else None
        pending: queue.Queue[tuple[BinaryIO, bool, bytes] | None] = queue.Queue(maxsize=8)
        failure: list[BaseException] = []

        def write_all() -> None:
            try:
                while (item := pending.get()) is not None:
                    out, hashed, chunk = item
                    if hashed:
                        written.update(chunk)
                    out.write(chunk)
            except BaseException as exc:  # surfaced in the caller's thread below
                failure.append(exc)
                while pending.get() is not None:
                    pass

        size = 0
        cipher_size = 0
        cipher_head = b""

        def plain(copy_out: BinaryIO | None) -> Iterator[bytes]:
            nonlocal size
            chunk = first
            while chunk:
                size += len(chunk)
                if max_size is not None and size > max_size:
                    raise VaultError(f"too large: more than the limit of {max_size} bytes")
                digest.update(chunk)
                if copy_out is not None:
                    pending.put((copy_out, False, chunk))
                yield chunk
                chunk = handle.read(CHUNK)

        try:
            with temp.open("wb") as out, _private(copy) as copy_out:
                writer = threading.Thread(target=write_all, daemon=True)
                writer.start()
                try:
                    if sealing is None:
                        for chunk in plain(None):
                            pending.put((out, False, chunk))
                    else:
                        for chunk in sealing.encrypt(plain(copy_out)):
                            if len(cipher_head) < HEAD_BYTES:
                                cipher_head += chunk[: HEAD_BYTES - len(cipher_head)]
                            cipher_size += len(chunk)
                            pending.put((out, True, chunk))
                finally:
                    pending.put(None)
                    writer.join()
                if failure:
                    raise VaultError(f"cannot write to the vault: {failure[0]}")
            if sealing is None:
                return self._settle(temp, digest.hexdigest(), size, first[:HEAD_BYTES])
            cipher = self._settle(temp, written.hexdigest(), cipher_size, cipher_head)
            return Stored(
                digest.hexdigest(),
                size,
                first[:HEAD_BYTES],
                cipher.new,
                cipher.repaired,
                cipher_sha256=cipher.sha256,
                cipher_size=cipher_size,
                plain_copy=copy,
            )
        except BaseException:
            temp.unlink(missing_ok=True)
            if copy is not None:
                copy.unlink(missing_ok=True)
            raise

    def _settle(self, temp: Path, sha256: str, size: int, head: bytes) -> Stored:
        """Move a finished temporary file (whose bytes hash to ``sha256``) to its address.

        A blob already there is kept when its bytes still hash to its name; when they do not,
        the genuine bytes just read replace it — atomically and read-only, like any new blob —
        since leaving corrupt evidence in place would hand it out again at the next read.
        """
        final = self.path(sha256)
        repaired = False
        if final.exists():
            if self._intact(sha256):
                temp.unlink(missing_ok=True)
                return Stored(sha256, size, head, False)
            repaired = True
        if final.parent not in self._made:
            final.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(final.parent)
        os.chmod(temp, 0o444)
        os.replace(temp, final)
        return Stored(sha256, size, head, not repaired, repaired)

    def _intact(self, sha256: str) -> bool:
        """Whether the stored blob's bytes still hash to its name (an unreadable one does not)."""
        try:
            return self.rehash(sha256) == sha256
        except OSError:
            return False

    def discard(self, sha256: str) -> None:
        """Remove a blob this intake has just written and will not record."""
        self.path(sha256).unlink(missing_ok=True)

    def rehash(self, sha256: str) -> str:
        """Hash a stored blob again, from disk."""
        digest = hashlib.sha256()
        with self.open(sha256) as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest()

    def _open_checked(self, sha256: str) -> BinaryIO:
        try:
            return self.open(sha256)
        except FileNotFoundError:
            raise Corrupt(f"blob {sha256[:12]} is missing from the vault") from None
        except OSError as exc:
            raise Corrupt(f"blob {sha256[:12]} cannot be read ({describe_os_error(exc)})") from None

    def read_verified(self, sha256: str) -> bytes:
        """A small blob's bytes, re-hashed first: corrupt bytes are refused, never returned.

        The whole blob is read into memory, so this is for text-sized originals; anything
        large goes through :meth:`copy_verified`.
        """
        with self._open_checked(sha256) as handle:
            data = handle.read()
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise Corrupt(_corrupt_line(sha256, actual))
        return data

    def copy_verified(self, sha256: str, target: Path) -> int:
        """Copy a blob to ``target``, re-hashing as it streams; return the number of bytes.

        The copy is written to a temporary file beside ``target`` and renamed into place only
        when its bytes hash to the blob's name, so a corrupt blob never reaches the target (an
        existing file there is left as it was) and nothing half-copied is left behind.
        """
        digest = hashlib.sha256()
        size = 0
        temp = target.parent / f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part"
        with self._open_checked(sha256) as handle:
            try:
                with temp.open("xb") as out:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
                actual = digest.hexdigest()
                if actual != sha256:
                    raise Corrupt(_corrupt_line(sha256, actual))
                os.replace(temp, target)
            except BaseException:
                temp.unlink(missing_ok=True)
                raise
        return size

    def iter_hashes(self) -> Iterator[str]:
        """Every blob's name (hash) in the vault."""
        if not self.blobs.is_dir():
            return
        for path in self.blobs.glob("*/*/*"):
            if _is_hex_sha256(path.name):
                yield path.name

    def clean_temp(self) -> int:
        """Remove temporary files left by killed intakes (their process is gone)."""
        count = 0
        if self.tmp.is_dir():
            for path in self.tmp.glob("*.part"):
                pid_text = path.name.split("-", 1)[0]
                if pid_text.isdigit() and _alive(int(pid_text)):
                    continue
                path.unlink(missing_ok=True)
                count += 1
        return count


def write_hashed(chunks: Iterable[bytes], out: BinaryIO) -> tuple[str, int]:
    """Write ``chunks`` to ``out`` and return their SHA-256 and size, hashing and writing on a
    thread of their own while this one produces the chunks (decrypts them, say): hashlib and
    file writes release the GIL, so the two run on two cores."""
    digest = hashlib.sha256()
    pending: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
    failure: list[BaseException] = []

    def write_all() -> None:
        try:
            while (chunk := pending.get()) is not None:
                digest.update(chunk)
                out.write(chunk)
        except BaseException as exc:  # surfaced in the caller's thread below
            failure.append(exc)
            while pending.get() is not None:
                pass

    size = 0
    writer = threading.Thread(target=write_all, daemon=True)
    writer.start()
    try:
        for chunk in chunks:
            if failure:
                break
            size += len(chunk)
            pending.put(chunk)
    finally:
        pending.put(None)
        writer.join()
    if failure:
        raise failure[0]
    return digest.hexdigest(), size


@contextmanager
def _private(path: Path | None) -> Iterator[BinaryIO | None]:
    """A new file readable by its owner only (or nothing, for no path)."""
    if path is None:
        yield None
        return
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        yield out


def _corrupt_line(sha256: str, actual: str) -> str:
    return (
        f"blob {sha256[:12]} is corrupt: its bytes now hash to {actual[:12]}; refused"
        " (re-add the original to repair it)"
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_REASONS = {
    errno.ELOOP: "symbolic link loop",
    errno.ENOENT: "does not exist (or is a broken symbolic link)",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EISDIR: "is a directory",
    errno.EIO: "input/output error while reading",
    errno.ENAMETOOLONG: "name too long",
}


def describe_os_error(exc: OSError) -> str:
    """A short, user-facing reason for an operating-system error."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
