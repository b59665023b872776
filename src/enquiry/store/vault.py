"""The vault: originals stored once, by the SHA-256 of their bytes, and never written again.

A blob's name is its hash, so identical bytes are stored once whatever they were called, and
any change to a stored byte shows as a name that no longer matches the content. Bytes are hashed
while they stream from the source into a private temporary file (never whole in memory); the
file is made read-only and then renamed into place, so a blob either exists complete or not at
all, even if the process is killed mid-copy.

A blob's *address* names its hash function as well as its digest. A bare hex digest is a
SHA-256 (``<root>/sha256/ab/cd/<hex>``): every original, and the ciphertexts of protected items
stored before BLAKE3 was used for them. ``blake3:<hex>`` is a BLAKE3 digest
(``<root>/blake3/ab/cd/<hex>``): the ciphertexts of protected items stored since. A ciphertext's
address only has to let anyone check, without a key, that its bytes are unchanged — which takes
a collision-resistant hash, not the one that names the original — and BLAKE3 gives that at a
few times the speed of SHA-256, so encrypting a file costs little more than hashing it once.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import queue
import shutil
import stat
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

import blake3

from enquiry.errors import Corrupt

CHUNK = 1 << 20
HEAD_BYTES = 8192
SHA256 = "sha256"
BLAKE3 = "blake3"
# The hash that addresses the ciphertext of a protected item stored from now on.
CIPHER_HASH = BLAKE3
_PREFIX = {SHA256: "", BLAKE3: BLAKE3 + ":"}


class _Hasher(Protocol):
    def update(self, data: bytes, /) -> object: ...

    def hexdigest(self) -> str: ...


def new_hasher(algorithm: str) -> _Hasher:
    """A fresh hash of the kind ``algorithm`` names (:data:`SHA256` or :data:`BLAKE3`)."""
    if algorithm == BLAKE3:
        return blake3.blake3()
    if algorithm == SHA256:
        return hashlib.sha256()
    raise ValueError(f"no such blob hash: {algorithm!r}")


def address_of(algorithm: str, hexdigest: str) -> str:
    """The vault address of a blob whose ``algorithm`` digest is ``hexdigest``."""
    return _PREFIX[algorithm] + hexdigest


def split_address(address: str) -> tuple[str, str]:
    """(hash function, hex digest) of a blob address (see the module's docstring)."""
    if address.startswith(_PREFIX[BLAKE3]):
        return BLAKE3, address[len(_PREFIX[BLAKE3]) :]
    return SHA256, address


def short_address(address: str | None) -> str:
    """An address cut short for messages: its hash function (unless SHA-256) and 12 digits."""
    if not address:
        return "none"
    algorithm, digest = split_address(address)
    return _PREFIX[algorithm] + digest[:12]


def temp_beside(target: Path) -> Path:
    """A name for a temporary file beside ``target`` that nobody else can have made: hidden,
    with this process's id and a random part. Opened with ``"xb"`` (never following a link
    someone planted there) and renamed over ``target`` when complete, so a reader never sees
    half a file and a failed write leaves the target as it was."""
    return target.parent / f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part"


class Unnamed:
    """A file being written for ``target`` that has no name until :meth:`publish` gives it
    ``target``'s: on Linux an anonymous file of the target's file system (``O_TMPFILE``,
    readable by its owner only), which vanishes with the process if it dies first — so bytes
    that must not be delivered without a record (a decrypted original whose custody events are
    not yet committed) are never left behind under any name. Elsewhere, a hidden file beside
    the target (see :func:`temp_beside`), removed by :meth:`discard`."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path: Path | None = None
        try:
            fd = os.open(target.parent, os.O_TMPFILE | os.O_WRONLY, 0o600)
        except (AttributeError, OSError):  # no O_TMPFILE here, or not on this file system
            self.path = temp_beside(target)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.out: BinaryIO = os.fdopen(fd, "wb")

    def publish(self) -> None:
        """Give the written file ``target``'s name (atomically replacing what is there)."""
        self.out.flush()
        if self.path is None:
            named = temp_beside(self.target)
            # linkat with AT_SYMLINK_FOLLOW, which a directory descriptor makes Python use: a
            # plain link() of the /proc entry is refused as a link across file systems.
            root = os.open("/", os.O_RDONLY)
            try:
                os.link(f"/proc/self/fd/{self.out.fileno()}", named, src_dir_fd=root)
            finally:
                os.close(root)
            self.path = named
        self.out.close()
        os.replace(self.path, self.target)

    def discard(self) -> None:
        """Drop the file unpublished."""
        self.out.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)


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
    # Stored sealed (see :class:`Sealing`): the blob written is the ciphertext, at its own
    # address (a BLAKE3 one); ``sha256``, ``size`` and ``head`` are still the original's.
    cipher_address: str | None = None
    cipher_size: int = 0
    # A private plaintext copy (in memory, or in the vault's temporary area), for the caller
    # to read and remove.
    plain_copy: PlainCopy | None = None


@dataclass(frozen=True)
class Sealing:
    """How to store a file that must never lie in the vault in the clear.

    ``encrypt`` turns the plaintext, piece by piece, into the bytes to store; they are stored
    under their own BLAKE3 address, and the original's SHA-256 is taken from the same single
    read.
    ``plain_copy`` asks, in the same pass, for a private plaintext copy (for readers that need
    a file: see :class:`PlainCopy`), which the caller removes when done.
    ``encrypt`` is called with ``reuse=True`` by the streaming writer, which hashes and writes
    each piece before asking for the next (see :func:`~enquiry.store.crypt.encrypt_chunks`).
    """

    encrypt: Callable[..., Iterator[bytes]]
    plain_copy: bool = False


# A reader's plaintext copy of a sealed file up to this size is held in memory; a larger one
# (a long recording) in a private file in the vault's temporary area, rather than in memory
# that two workers might each need in full at once.
MEMORY_COPY_LIMIT = 256 << 20
_MEMORY_FILES: list[bool] = []  # whether this system gives readable anonymous memory files


# A memory file system where the system has one (Linux): see scratch_folder.
MEMORY_FOLDER = Path("/dev/shm")


def scratch_folder(prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A private folder (mode 0700, removed on exit) for a reader's intermediate files — a
    page rendered from a PDF, an image handed to Tesseract — in memory where the system has a
    memory file system (``/dev/shm``), else in the system's temporary folder. What such files
    hold is derived from evidence that may be protected, and a file deleted from a disk can be
    read back from it; one deleted from memory cannot."""
    usable = MEMORY_FOLDER.is_dir() and os.access(MEMORY_FOLDER, os.W_OK | os.X_OK)
    return tempfile.TemporaryDirectory(prefix=prefix, dir=str(MEMORY_FOLDER) if usable else None)


MEMORY_FOLDER_LIMIT = 1 << 30
"""Files totalling up to this many bytes, that may be plaintext of protected evidence (a
received bundle and the originals it carries), are held in a private folder of the memory
file system when it has room for them (see :func:`private_folder`)."""


def private_folder(prefix: str, size: int, spare: Path | None) -> tempfile.TemporaryDirectory[str]:
    """A private folder (mode 0700, removed on exit) for ``size`` bytes of files that may hold
    a protected witness's plaintext — a bundle being taken in, the originals it carries.

    In memory (``/dev/shm``) when they fit within :data:`MEMORY_FOLDER_LIMIT` and the memory
    file system has room for them; else in ``spare``, the vault's private temporary area (the
    exception a large plaintext copy makes, see :class:`PlainCopy`); only without either (a
    home not made yet, a system without a memory file system) in the system's temporary
    folder. A file deleted from a disk stays in its free blocks; one deleted from memory does
    not."""
    if size <= MEMORY_FOLDER_LIMIT and _memory_room() > size + (16 << 20):
        return tempfile.TemporaryDirectory(prefix=prefix, dir=str(MEMORY_FOLDER))
    if spare is not None:
        return owned_folder(spare, prefix)
    return tempfile.TemporaryDirectory(prefix=prefix)


def owned_folder(area: Path, prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A private folder (mode 0700, removed on exit) in the vault's temporary ``area``, named
    after this process (``<pid>-<prefix>…``) so that, should the process be killed before it
    removes it, the next intake's :meth:`Vault.clean_temp` knows it for a dead process's
    leftovers and removes it with whatever plaintext it holds."""
    area.mkdir(mode=0o700, parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(prefix=f"{os.getpid()}-{prefix}", dir=str(area))


def _memory_room() -> int:
    """Bytes free in the memory file system (0 where there is none this process may use)."""
    if not (MEMORY_FOLDER.is_dir() and os.access(MEMORY_FOLDER, os.W_OK | os.X_OK)):
        return 0
    try:
        found = os.statvfs(MEMORY_FOLDER)
    except OSError:
        return 0
    return found.f_bavail * found.f_frsize


class PlainCopy:
    """A private plaintext copy of a protected file, for the readers that take a path.

    Where the system allows (Linux), it is an anonymous memory file (``memfd_create``): it has
    no name in any filesystem, is never written to a disk (there is no swap to write it to
    unless the machine has one, and then no more than the rest of the process's memory), is
    made read-only once written (sealed against writing, growing and shrinking), and vanishes
    when closed or when the process dies. Readers, and the programs they run, open it through
    ``/proc/<this process>/fd/<n>``, which only its owner (and root) may open. Elsewhere, or
    for a file larger than :data:`MEMORY_COPY_LIMIT`, it is a file readable by its owner only in
    the vault's temporary area, removed by :meth:`remove` (or, after a crash, by the next
    intake's :meth:`Vault.clean_temp`).
    """

    def __init__(self, path: Path, out: BinaryIO, fd: int | None = None) -> None:
        self.path = path
        self.out: BinaryIO | None = out
        self.in_memory = fd is not None
        self._fd = fd

    @classmethod
    def make(cls, disk: Path, size: int) -> PlainCopy:
        """A new, empty copy for a file of ``size`` bytes (``disk``: where, if not in memory)."""
        if size <= MEMORY_COPY_LIMIT and _memory_files():
            fd = os.memfd_create("enquiry-plain", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
            os.fchmod(fd, 0o400)  # the writer holds it open for writing; nobody else may
            return cls(_fd_path(fd), os.fdopen(fd, "wb", closefd=False), fd)
        fd = os.open(disk, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        return cls(disk, os.fdopen(fd, "wb"))

    def write(self, data: bytes) -> None:
        assert self.out is not None, "the copy is finished"
        self.out.write(data)

    def finish(self) -> None:
        """Done writing: the copy is complete and, in memory, sealed read-only."""
        if self.out is None:
            return
        self.out.close()
        self.out = None
        if self._fd is not None:
            import fcntl

            fcntl.fcntl(
                self._fd,
                fcntl.F_ADD_SEALS,
                fcntl.F_SEAL_WRITE | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_SEAL,
            )

    def remove(self) -> None:
        """Gone: the memory freed, or the file removed. Safe to call more than once."""
        if self.out is not None:
            self.out.close()
            self.out = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        elif not self.in_memory:
            self.path.unlink(missing_ok=True)


def _fd_path(fd: int) -> Path:
    # By process id, not /proc/self: a reader may hand the path to a program of its own.
    return Path(f"/proc/{os.getpid()}/fd/{fd}")


def _memory_files() -> bool:
    """Whether anonymous memory files can be made and opened by path here (asked once)."""
    if not _MEMORY_FILES:
        works = False
        if hasattr(os, "memfd_create"):
            try:
                fd = os.memfd_create("enquiry-probe", os.MFD_CLOEXEC)
                try:
                    os.write(fd, b"x")
                    with _fd_path(fd).open("rb") as handle:
                        works = handle.read() == b"x"
                finally:
                    os.close(fd)
            except OSError:
                works = False
        _MEMORY_FILES.append(works)
    return _MEMORY_FILES[0]


def _is_hex_digest(name: str) -> bool:
    return len(name) == 64 and all(c in "0123456789abcdef" for c in name)


class Vault:
    """Content-addressed blob storage under ``root`` (``<root>/sha256/ab/cd/<hash>``, and
    ``<root>/blake3/ab/cd/<hash>`` for BLAKE3-addressed ciphertexts)."""

    # The hash that addresses the ciphertexts stored from now on (those already stored keep
    # the address they were given, which names its own hash).
    cipher_hash: str = CIPHER_HASH

    def __init__(self, root: Path, *, sync_each: bool = True) -> None:
        self.root = root
        self.blobs = root / SHA256
        self.tmp = root / "tmp"
        self.sync_each = sync_each
        self._made: set[Path] = set()

    def deferring(self) -> Vault:
        """This vault, for a writer that makes what it stores durable in batches: its blobs are
        not flushed one by one, and whoever records them calls :meth:`sync` before the
        catalogue names them (an intake, once before each batch it commits, rather than two
        or three flushes for every small file)."""
        return Vault(self.root, sync_each=False)

    def sync(self) -> None:
        """Flush everything written to the vault's file system to the disk (``syncfs``; where
        there is none, ``sync``)."""
        import ctypes

        fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        try:
            syncfs = getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)
            if syncfs is None or syncfs(fd) != 0:
                os.sync()
        finally:
            os.close(fd)

    def ensure(self) -> None:
        """Create the vault's folders."""
        self.blobs.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def path(self, address: str) -> Path:
        """Where the blob with this address lives (whether or not it exists)."""
        algorithm, digest = split_address(address)
        return self.root / algorithm / digest[:2] / digest[2:4] / digest

    def has(self, address: str) -> bool:
        return self.path(address).is_file()

    def open(self, address: str) -> BinaryIO:
        """Open a stored blob for reading."""
        return self.path(address).open("rb")

    def put_file(
        self,
        source: Path,
        *,
        max_size: int | None = None,
        inspect: Callable[[bytes], None] | None = None,
        sealing: Callable[[], Sealing | None] | None = None,
        identity: tuple[int, int] | None = None,
    ) -> Stored:
        """Copy ``source`` into the vault, hashing as it streams; return what was stored.

        ``inspect`` sees the first bytes before anything is written and may raise to refuse the
        file, so a file is opened once however it is checked. ``sealing``, asked after
        ``inspect``, may say the file is to be stored encrypted (:class:`Sealing`): it is then
        encrypted as it streams, and no plaintext of it is written to a blob at all. The
        source's size and modification time are compared before and after, so that a file
        still being written by someone else is refused rather than stored half-written.

        The file is opened without blocking (a FIFO put at the path since it was listed would
        otherwise wait for a writer for ever) and must be a regular file; with ``identity``, the
        (device, inode) the caller listed, it must be that very file, not a link to another one
        swapped in since.
        """
        try:
            handle = os.fdopen(os.open(source, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb")
        except OSError as exc:
            raise VaultError(describe_os_error(exc)) from exc
        with handle:
            before = os.fstat(handle.fileno())
            if not stat.S_ISREG(before.st_mode):
                raise VaultError("not a regular file")
            if identity is not None and (before.st_dev, before.st_ino) != identity:
                raise VaultError("replaced by another file since it was listed; not read")
            if max_size is not None and before.st_size > max_size:
                raise VaultError(
                    f"too large: {before.st_size} bytes exceeds the limit of {max_size} bytes"
                )
            first = handle.read(CHUNK)
            if inspect is not None:
                inspect(first[:HEAD_BYTES])
            sealed = sealing() if sealing is not None else None
            if len(first) < CHUNK and not handle.read(1):
                # The whole file is in hand: no thread is worth starting for it.
                stored = (
                    self.put_bytes(first) if sealed is None else self._put_sealed(first, sealed)
                )
            else:
                handle.seek(len(first))
                stored = self._put_stream(
                    handle, first, max_size=max_size, sealing=sealed, size_hint=before.st_size
                )
            after = os.fstat(handle.fileno())
        if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or (
            stored.size != before.st_size
        ):
            if stored.new:  # bytes of a moment in a file's writing are nobody's evidence
                self.discard(stored.cipher_address or stored.sha256)
            if stored.plain_copy is not None:
                stored.plain_copy.remove()
            raise VaultError("changed while being read; try again when it is complete")
        return stored

    def put_bytes(self, data: bytes, *, algorithm: str = SHA256) -> Stored:
        """Store bytes held in memory (a small file, or an artefact made by enquiry itself)
        under their ``algorithm`` address (returned as ``sha256``).

        Bytes already in the vault are not written again.
        """
        hasher = new_hasher(algorithm)
        hasher.update(data)
        address = address_of(algorithm, hasher.hexdigest())
        if self.has(address) and self._intact(address):
            return Stored(address, len(data), data[:HEAD_BYTES], False)
        temp = self._temp_path()
        with temp.open("wb") as out:
            out.write(data)
        return self._settle(temp, address, len(data), data[:HEAD_BYTES])

    def put_chunks(self, chunks: Iterable[bytes], *, algorithm: str = SHA256) -> Stored:
        """Store bytes produced piece by piece (a cipher stream), hashing them as they are
        written, so that what is stored is never held whole in memory; they are stored under
        their ``algorithm`` address (returned as ``sha256``)."""
        digest = new_hasher(algorithm)
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
            return self._settle(temp, address_of(algorithm, digest.hexdigest()), size, head)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def temp_folder(self, prefix: str) -> tempfile.TemporaryDirectory[str]:
        """A private folder in the vault's temporary area, removed on exit, and by the next
        intake if this process dies first (see :func:`owned_folder`)."""
        return owned_folder(self.tmp, prefix)

    def spare_path(self) -> Path:
        """A new name in the vault's temporary area, private to this process's use (a
        plaintext copy too large for memory goes there: see :class:`PlainCopy`)."""
        self.tmp.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self._temp_path()

    def _temp_path(self) -> Path:
        # The writer's process id is in the name so that a later run can tell the leftovers of
        # a killed intake from the files of one still running.
        return self.tmp / f"{os.getpid()}-{uuid.uuid4().hex}.part"

    def _put_sealed(self, data: bytes, sealing: Sealing) -> Stored:
        """Store a small file held whole in memory encrypted (see :meth:`_put_stream`)."""
        copy = PlainCopy.make(self._temp_path(), len(data)) if sealing.plain_copy else None
        try:
            if copy is not None:
                copy.write(data)
                copy.finish()
            cipher = self.put_bytes(b"".join(sealing.encrypt([data])), algorithm=self.cipher_hash)
        except BaseException:
            if copy is not None:
                copy.remove()
            raise
        return Stored(
            hashlib.sha256(data).hexdigest(),
            len(data),
            data[:HEAD_BYTES],
            cipher.new,
            cipher.repaired,
            cipher_address=cipher.sha256,
            cipher_size=cipher.size,
            plain_copy=copy,
        )

    def _put_stream(
        self,
        handle: BinaryIO,
        first: bytes,
        *,
        max_size: int | None,
        sealing: Sealing | None = None,
        size_hint: int = 0,
    ) -> Stored:
        # Two threads, so that storing costs about one hash pass of wall time: this one reads
        # and takes the original's SHA-256; the writer writes — and, sealed, encrypts, takes the
        # ciphertext's BLAKE3 and writes the private plaintext copy, if any. hashlib, blake3
        # and file writes release the GIL; AES-GCM (cryptography) holds it, but for a fraction
        # of a millisecond a chunk, while this thread's SHA-256 runs without it.
        digest = hashlib.sha256()  # of the original
        written = new_hasher(self.cipher_hash)  # of the ciphertext, when sealed
        temp = self._temp_path()
        copy = None
        if sealing is not None and sealing.plain_copy:
            copy = PlainCopy.make(self._temp_path(), size_hint)
        pending: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        failure: list[BaseException] = []
        cipher_size = 0

        def received() -> Iterator[bytes]:
            while (chunk := pending.get()) is not None:
                yield chunk

        def write_all(out: BinaryIO) -> None:
            nonlocal cipher_size
            try:
                if sealing is None:
                    for chunk in received():
                        out.write(chunk)
                    return
                plain = received()
                if copy is not None:
                    plain = _copied(plain, copy)
                # Each encrypted piece is hashed and written before the next is made, so one
                # buffer serves them all.
                for chunk in sealing.encrypt(plain, reuse=True):
                    written.update(chunk)
                    out.write(chunk)
                    cipher_size += len(chunk)
                if copy is not None:
                    copy.finish()
            except BaseException as exc:  # surfaced in the caller's thread below
                failure.append(exc)
                while pending.get() is not None:
                    pass

        size = 0
        try:
            with temp.open("wb") as out:
                writer = threading.Thread(target=write_all, args=(out,), daemon=True)
                writer.start()
                try:
                    chunk = first
                    while chunk and not failure:
                        size += len(chunk)
                        if max_size is not None and size > max_size:
                            raise VaultError(f"too large: more than the limit of {max_size} bytes")
                        digest.update(chunk)
                        pending.put(chunk)
                        chunk = handle.read(CHUNK)
                finally:
                    pending.put(None)
                    writer.join()
                if failure:
                    raise VaultError(f"cannot write to the vault: {failure[0]}")
            if sealing is None:
                return self._settle(temp, digest.hexdigest(), size, first[:HEAD_BYTES])
            cipher = self._settle(
                temp, address_of(self.cipher_hash, written.hexdigest()), cipher_size, b""
            )
            return Stored(
                digest.hexdigest(),
                size,
                first[:HEAD_BYTES],
                cipher.new,
                cipher.repaired,
                cipher_address=cipher.sha256,
                cipher_size=cipher_size,
                plain_copy=copy,
            )
        except BaseException:
            temp.unlink(missing_ok=True)
            if copy is not None:
                copy.remove()
            raise

    def _settle(self, temp: Path, address: str, size: int, head: bytes) -> Stored:
        """Move a finished temporary file (whose bytes hash to ``address``) to its address.

        A blob already there is kept when its bytes still hash to its name; when they do not,
        the genuine bytes just read replace it — atomically and read-only, like any new blob —
        since leaving corrupt evidence in place would hand it out again at the next read.
        """
        final = self.path(address)
        repaired = False
        if final.exists():
            if self._intact(address):
                temp.unlink(missing_ok=True)
                return Stored(address, size, head, False)
            repaired = True
        made: list[Path] = []
        if final.parent not in self._made:
            if self.sync_each:
                made = [p for p in (final.parent.parent, final.parent) if not p.is_dir()]
            final.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(final.parent)
        # On disk before its name is, and its name before the catalogue records it: a power
        # cut must not leave a custody record whose blob was still only in memory (a deferring
        # vault leaves this to one sync before the batch that records it: see :meth:`sync`).
        if self.sync_each:
            synced(temp)
        os.chmod(temp, 0o444)
        os.replace(temp, final)
        if self.sync_each:
            # the folder that now names it, and each folder that names a folder made for it
            for folder in dict.fromkeys([final.parent, *(p.parent for p in reversed(made))]):
                synced(folder, folder=True)
        return Stored(address, size, head, not repaired, repaired)

    def _intact(self, address: str) -> bool:
        """Whether the stored blob's bytes still hash to its name (an unreadable one does not)."""
        try:
            return self.rehash(address) == address
        except OSError:
            return False

    def discard(self, address: str) -> None:
        """Remove a blob this intake has just written and will not record."""
        self.path(address).unlink(missing_ok=True)

    def rehash(self, address: str) -> str:
        """Hash a stored blob again, from disk, with the hash its address names; return the
        address its bytes have now."""
        algorithm, _digest = split_address(address)
        digest = new_hasher(algorithm)
        with self.open(address) as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        return address_of(algorithm, digest.hexdigest())

    def open_checked(self, address: str) -> BinaryIO:
        """The blob's file, open for reading; a missing or unreadable one is
        :class:`Corrupt` with one line naming it."""
        try:
            return self.open(address)
        except FileNotFoundError:
            raise Corrupt(f"blob {short_address(address)} is missing from the vault") from None
        except OSError as exc:
            raise Corrupt(
                f"blob {short_address(address)} cannot be read ({describe_os_error(exc)})"
            ) from None

    def read_verified(self, address: str) -> bytes:
        """A small blob's bytes, re-hashed first: corrupt bytes are refused, never returned.

        The whole blob is read into memory, so this is for text-sized originals; anything
        large goes through :meth:`copy_verified`.
        """
        algorithm, _digest = split_address(address)
        with self.open_checked(address) as handle:
            data = handle.read()
        digest = new_hasher(algorithm)
        digest.update(data)
        actual = address_of(algorithm, digest.hexdigest())
        if actual != address:
            raise Corrupt(_corrupt_line(address, actual))
        return data

    def copy_verified(self, address: str, target: Path) -> int:
        """Copy a blob to ``target``, re-hashing as it streams; return the number of bytes.

        The copy is written to a temporary file beside ``target`` and renamed into place only
        when its bytes hash to the blob's name, so a corrupt blob never reaches the target (an
        existing file there is left as it was) and nothing half-copied is left behind.
        """
        algorithm, _digest = split_address(address)
        digest = new_hasher(algorithm)
        size = 0
        temp = temp_beside(target)
        with self.open_checked(address) as handle:
            try:
                with temp.open("xb") as out:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
                actual = address_of(algorithm, digest.hexdigest())
                if actual != address:
                    raise Corrupt(_corrupt_line(address, actual))
                os.replace(temp, target)
            except BaseException:
                temp.unlink(missing_ok=True)
                raise
        return size

    def iter_hashes(self) -> Iterator[str]:
        """Every blob's address in the vault."""
        for algorithm in (SHA256, BLAKE3):
            folder = self.root / algorithm
            if not folder.is_dir():
                continue
            for path in folder.glob("*/*/*"):
                if _is_hex_digest(path.name):
                    yield address_of(algorithm, path.name)

    def clean_temp(self) -> int:
        """Remove temporary files and folders left by killed processes (their process is gone:
        intakes' ciphertexts and copies, :func:`owned_folder`'s folders), and marks of
        files being read on a cluster (``reading-*``, empty) that an intake stopped before it
        could clear them, once a day old."""
        count = 0
        if self.tmp.is_dir():
            for path in self.tmp.glob("*.part"):
                pid_text = path.name.split("-", 1)[0]
                if pid_text.isdigit() and _alive(int(pid_text)):
                    continue
                path.unlink(missing_ok=True)
                count += 1
            for path in self.tmp.glob("[0-9]*-*"):
                # a folder of a killed process (owned_folder): a redaction on its way, a bundle
                # being taken in, the files of an upload — plaintext nobody will remove else
                pid_text = path.name.split("-", 1)[0]
                if not pid_text.isdigit() or _alive(int(pid_text)):
                    continue
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                    count += 1
            day_ago = time.time() - 86_400
            for path in self.tmp.glob("reading-*"):
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < day_ago:
                        path.unlink()
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


def _copied(chunks: Iterable[bytes], out: PlainCopy) -> Iterator[bytes]:
    """``chunks``, each written to ``out`` as it passes."""
    for chunk in chunks:
        out.write(chunk)
        yield chunk


def synced(path: Path, *, folder: bool = False) -> None:
    """Flush a file's bytes, or a folder's entries, to the disk (``fsync``)."""
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if folder else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _corrupt_line(address: str, actual: str) -> str:
    return (
        f"blob {short_address(address)} is corrupt: its bytes now hash to"
        f" {short_address(actual)}; refused (re-add the original to repair it)"
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
