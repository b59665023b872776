#!/usr/bin/env python3
"""Check an enquiry bundle with nothing but the bundle, the signer's public key and this file.

A bundle is one ZIP archive. ``manifest.json`` lists every other member with its size and
SHA-256, the items the bundle is about, the custody ledger's head and who signed it;
``signature.json`` holds the Ed25519 signature over the exact bytes of ``manifest.json``. This
file re-does every check an outsider needs — each member's bytes, members missing or not in the
manifest, the signature and the key, the ledger's hash chain event by event up to the signed
head, each item's receipt in that chain, each finding's inputs hash, and that each finding's
report prints the finding's own figures where it marks them — and names, for every failure, the
member, item or event and why.

It deliberately imports nothing from enquiry: it is the same file as ``tools/verify_bundle.py``
in the repository, so that a court or the accused state can read, audit and run it with only the
Python standard library and ``cryptography``:

    python3 tools/verify_bundle.py BUNDLE.zip --key PUBLIC-KEY.json

Exit status: 0 when everything holds, 1 when anything fails, 2 when the file cannot be read as a
bundle at all (not a ZIP, truncated, bytes outside its members, unsafe member names, a zip bomb).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import math
import os
import re
import stat
import struct
import sys
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

FORMAT = "enquiry-bundle/1"
# The mark of a protected item whose bytes a bundle withholding protected items may carry: the
# confirmed redaction (faces covered, metadata removed) that its report publishes.
PUBLISHED_REDACTION = "confirmed redaction"
KEY_FORMAT = "enquiry-public-key/1"
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
TIMESTAMP = "timestamp.tsr"
UNLISTED = frozenset({MANIFEST, SIGNATURE, TIMESTAMP})
GENESIS = "0" * 64
CHUNK = 1 << 20

MAX_MEMBERS = 1_000_000
MAX_MANIFEST = 256 << 20  # bytes of manifest.json
MAX_SMALL = 512 << 20  # bytes of any member read whole (a finding)
MAX_EVENT = 64 << 20  # bytes of one line of the ledger, which is read line by line
MAX_RATIO = 200  # uncompressed / compressed beyond this is a zip bomb, not evidence
RATIO_FLOOR = 16 << 20  # ... once a member is larger than this


class Unreadable(Exception):
    """The file cannot be read as a bundle at all; the message is the whole line."""


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"key {key!r} appears twice in one object")
        out[key] = value
    return out


def strict_json(data: bytes) -> Any:
    """JSON as enquiry writes it, read so that two readers cannot disagree on what it says.

    A key given twice in one object (one parser keeps the first, another the last: a signed
    manifest that says two things), ``NaN`` or ``Infinity`` (not JSON), and nesting too deep
    to read are refused with ValueError, never let through or raised as something else."""
    try:
        return json.loads(
            data.decode("utf-8"), object_pairs_hook=_unique_keys, parse_constant=_no_constant
        )
    except RecursionError:
        raise ValueError("nested too deeply") from None


def escaped(text: str) -> str:
    """``text`` as it may be printed: control characters (which a terminal obeys — clearing
    the screen, hiding the lines after, starting a new line that reads "VERIFIED") and
    bidirectional overrides (which reorder what is read) written as escapes, and so are lone
    surrogates (a file name's bytes that are not UTF-8, or ``\\ud800`` in JSON), which no
    terminal encoding can print."""
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 32 or code == 127 or 0x80 <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif _bidi(code):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def value_text(value: Any, limit: int = 120) -> str:
    """A value read from a bundle, for a line of the report: escaped, and cut at ``limit``."""
    text = str(value)
    return escaped(text[:limit]) + ("…" if len(text) > limit else "")


def _bidi(code: int) -> bool:
    """Bidirectional controls, and surrogates (which cannot be encoded)."""
    return (
        0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
        or code in (0x200E, 0x200F, 0x061C)
        or 0xD800 <= code <= 0xDFFF
    )


def canonical(value: Any) -> str:
    """The JSON text every enquiry hash is computed over: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(event: dict[str, Any]) -> str:
    """An event's hash: SHA-256 over the canonical JSON of its fields and the previous hash."""
    body = {
        "seq": event["seq"],
        "at": event["at"],
        "actor": event["actor"],
        "action": event["action"],
        "case": event["case"],
        "item": event["item"],
        "details": event["details"],
        "prev": event["prev"],
    }
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def fingerprint(raw_public_key: bytes) -> str:
    """A key's fingerprint: the SHA-256 of its 32 raw Ed25519 public-key bytes, in hex."""
    return hashlib.sha256(raw_public_key).hexdigest()


def revocation_statement(key_fingerprint: str, revoked_at: str) -> bytes:
    """The bytes a key signs to revoke itself."""
    return canonical({"revoke": key_fingerprint, "at": revoked_at}).encode("utf-8")


@dataclass
class PublicKey:
    """A public key as exported by ``enquiry keys export-public``, with its revocation if any."""

    name: str
    raw: bytes
    revoked_at: str | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.raw)


def _verify_ed25519(raw: bytes, signature: bytes, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _small_file(path: Path, what: str) -> bytes:
    """The bytes of a small file given on the command line: a folder, a pipe or a device
    (which could be read forever) is refused, as is anything over 1 MiB."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"{path}: cannot read {what} (not a regular file)")
        with path.open("rb") as handle:
            return handle.read(1 << 20)
    except OSError as exc:
        raise Unreadable(f"{path}: cannot read {what} ({exc.strerror or exc})") from None


def read_public_key(path: Path) -> PublicKey:
    """Read a public-key file; a revocation in it must be signed by the key itself."""
    data = _small_file(path, "the key")
    if len(data) > 1 << 16:
        raise Unreadable(f"{path}: not a public key (too large)")
    try:
        body = strict_json(data)
        if body.get("format") != KEY_FORMAT or body.get("algorithm") != "ed25519":
            raise ValueError
        raw = base64.b64decode(body["public_key"], validate=True)
        if len(raw) != 32:
            raise ValueError
        key = PublicKey(str(body.get("name", "")), raw)
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        raise Unreadable(
            f"{path}: not an enquiry public key (expected JSON of format {KEY_FORMAT})"
        ) from None
    revocation = body.get("revocation")
    if revocation is not None:
        try:
            at = str(revocation["at"])
            signature = base64.b64decode(revocation["signature"], validate=True)
        except (KeyError, TypeError, ValueError):
            raise Unreadable(f"{path}: its revocation is malformed") from None
        if not _verify_ed25519(raw, signature, revocation_statement(key.fingerprint, at)):
            raise Unreadable(f"{path}: its revocation is not signed by the key itself")
        key.revoked_at = at
    return key


@dataclass
class Outcome:
    """What the check found: failures (any one means the bundle does not hold) and notes."""

    source: str
    summary: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unreadable: str | None = None
    # The fingerprint of the key whose signature over manifest.json verified: the key given, or
    # without one the key the manifest itself carries — which proves only that whoever made the
    # bundle holds that key, not who that is. None when the bundle is not signed.
    signed_by: str | None = None

    @property
    def status(self) -> int:
        if self.unreadable is not None:
            return 2
        return 1 if self.failures else 0

    def lines(self) -> list[str]:
        """The report, as both this script and ``enquiry bundle verify`` print it."""
        if self.unreadable is not None:
            return [escaped(f"NOT VERIFIED: {self.unreadable}")]
        out = list(self.summary)
        out += [f"FAILED: {line}" for line in self.failures]
        out += [f"note: {line}" for line in self.notes]
        if self.failures:
            out.append(f"NOT VERIFIED: {len(self.failures)} failure(s) in {self.source}")
        else:
            out.append(f"VERIFIED: {self.source}")
        # Every line is escaped: much of it is read from the bundle, whose author may be hostile.
        return [escaped(line) for line in out]


def _safe_name(name: str) -> str | None:
    """Why a member name is unsafe to extract (absolute, climbing, odd), or None."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return "an absolute or malformed path"
    if len(name) > 1024:
        return "a name too long"
    if "//" in name or name.endswith("/"):
        return "an empty path component (a folder, or two names for one member)"
    parts = PurePosixPath(name).parts
    if any(part in ("..", ".") for part in parts) or (len(parts[0]) == 2 and parts[0][1] == ":"):
        return "a path that climbs out of the archive"
    if any(ord(c) < 32 for c in name):
        return "control characters in its name"
    return None


def open_archive(path: Path) -> zipfile.ZipFile:
    """Open ``path`` as a bundle archive, refusing anything unsafe to read: one line each."""
    shown = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise Unreadable(f"{shown}: cannot read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable(f"{shown}: not a regular file")
    if info.st_size == 0:
        raise Unreadable(f"{shown}: empty file, not a bundle")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise Unreadable(f"{shown}: not a ZIP archive, or truncated ({exc})") from None
    except (OSError, ValueError, EOFError) as exc:
        raise Unreadable(f"{shown}: unreadable archive ({exc})") from None
    try:
        assert archive.fp is not None
        size = os.fstat(archive.fp.fileno()).st_size  # the file opened, not the one stat'ed
        _check_members(shown, archive, size)
        _check_layout(shown, archive, size)
    except Unreadable:
        archive.close()
        raise
    except (OSError, EOFError, struct.error) as exc:
        archive.close()
        raise Unreadable(f"{shown}: unreadable archive ({exc})") from None
    return archive


def _check_members(shown: str, archive: zipfile.ZipFile, size: int) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise Unreadable(f"{shown}: {len(infos)} members, more than a bundle may hold")
    seen: set[str] = set()
    for info in infos:
        problem = _safe_name(info.filename)
        if problem:
            raise Unreadable(f"{shown}: member {info.filename!r} has {problem}; refused")
        if info.filename in seen:
            raise Unreadable(f"{shown}: member {info.filename!r} appears twice; refused")
        seen.add(info.filename)
        if info.flag_bits & 0x41:  # bit 0: encrypted; bit 6: strong encryption
            raise Unreadable(f"{shown}: member {info.filename!r} is encrypted; refused")
        if info.flag_bits & 0x20:
            raise Unreadable(f"{shown}: member {info.filename!r} is patch data; refused")
        kind = stat.S_IFMT(info.external_attr >> 16)
        if stat.S_ISLNK(info.external_attr >> 16):
            # Nothing here extracts, but whoever unzips the bundle to look inside would make
            # the link, and a later member could be written through it. Info-ZIP's unzip reads
            # these mode bits whatever system the entry says made it (FAT, BeOS, Atari, ...),
            # so a link is refused whatever its "made by".
            raise Unreadable(f"{shown}: member {info.filename!r} is a symbolic link; refused")
        if kind not in (0, stat.S_IFREG):
            raise Unreadable(
                f"{shown}: member {info.filename!r} is not a regular file (a folder, device or"
                " pipe); refused"
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Unreadable(f"{shown}: member {info.filename!r} uses an unsupported compression")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Unreadable(
                f"{shown}: member {info.filename!r} expands {info.compress_size} bytes to"
                f" {info.file_size} (a zip bomb); refused"
            )
    # Members whose compressed bytes add up to more than the file itself share bytes: one
    # deflate stream read again under many names (the overlapping zip bomb), each looking small.
    packed = sum(info.compress_size for info in infos)
    if packed > size:
        raise Unreadable(
            f"{shown}: its members' compressed sizes add up to {packed} bytes, more than the"
            f" file's {size} (members overlap: a zip bomb); refused"
        )
    total = sum(info.file_size for info in infos)
    if total > RATIO_FLOOR and total > MAX_RATIO * max(size, 1):
        raise Unreadable(
            f"{shown}: its members expand {size} bytes to {total} (a zip bomb); refused"
        )


LOCAL = struct.Struct("<4s5H3I2H")  # a member's local header, before its name and extra
END = struct.Struct("<4s4H2IH")  # the end of central directory record
LOCATOR = 20  # bytes of the ZIP64 end of central directory locator


def _raw_name(info: zipfile.ZipInfo) -> bytes:
    return info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")


def _descriptor(handle: IO[bytes], info: zipfile.ZipInfo) -> int:
    """The length of the data descriptor after a member written with flag bit 3, checked to
    repeat the directory's checksum and sizes (32- or 64-bit, with or without signature)."""
    data = handle.read(24)
    for skip in (4, 0) if data[:4] == b"PK\x07\x08" else (0,):
        for form in ("<3I", "<I2Q"):
            length = skip + struct.calcsize(form)
            if len(data) >= length and struct.unpack(form, data[skip:length]) == (
                info.CRC,
                info.compress_size,
                info.file_size,
            ):
                return length
    raise Unreadable(f"member {info.filename!r}: its data descriptor disagrees with the directory")


def _check_layout(shown: str, archive: zipfile.ZipFile, size: int) -> None:
    """The members, their directory and its end record fill the file exactly, each member's
    local header agreeing with its directory entry.

    A ZIP reader finds the directory from the file's end and skips what it does not point at,
    so bytes before the first member, between members or after the end would not be checked:
    a bundle that verifies could be, read another way, a PDF or a web page saying something
    else (a polyglot), or hold members that a reader going through the local headers in order
    (some unzip tools, many streaming readers) sees and this check does not. The same goes for
    a local header that names another file, compression or checksum than the directory does."""
    handle = archive.fp
    assert handle is not None
    infos = sorted(archive.infolist(), key=lambda info: info.header_offset)
    at = 0
    for info in infos:
        if info.header_offset != at:
            where = (
                "before its first member (another file in front of it: a polyglot)"
                if at == 0
                else f"before member {info.filename!r} (data hidden from this check)"
            )
            raise Unreadable(
                f"{shown}: {abs(info.header_offset - at)} bytes unaccounted for {where}; refused"
            )
        handle.seek(at)
        header = handle.read(LOCAL.size)
        if len(header) < LOCAL.size:
            raise Unreadable(f"{shown}: truncated at member {info.filename!r}")
        magic, _version, flags, method, _time, _date, crc, packed, plain, named, extra = (
            LOCAL.unpack(header)
        )
        name = handle.read(named)
        problem = None
        if magic != b"PK\x03\x04":
            problem = "no local header where the directory points"
        elif name != _raw_name(info):
            problem = "another name"
        elif method != info.compress_type:
            problem = "another compression"
        elif flags & 0x849 != info.flag_bits & 0x849:
            problem = "other flags"
        elif not flags & 0x08 and (
            crc != info.CRC
            or packed not in (info.compress_size, 0xFFFFFFFF)
            or plain not in (info.file_size, 0xFFFFFFFF)
        ):
            problem = "another checksum or size"
        if problem is not None:
            raise Unreadable(
                f"{shown}: member {info.filename!r}: its local header gives {problem} than the"
                " directory (two readers would read two archives); refused"
            )
        at += LOCAL.size + named + extra + info.compress_size
        if flags & 0x08:
            handle.seek(at)
            try:
                at += _descriptor(handle, info)
            except Unreadable as exc:
                raise Unreadable(f"{shown}: {exc}; refused") from None
    if at != archive.start_dir:
        raise Unreadable(
            f"{shown}: {abs(archive.start_dir - at)} bytes unaccounted for after its last member"
            " (data hidden from this check); refused"
        )
    # The directory walked by its own length fields: zipfile reads it from a buffer of the
    # size the end record gives, so an entry running past that size is cut short without a
    # word, where another reader would take the following bytes into its name.
    for _ in archive.infolist():
        handle.seek(at)
        entry = handle.read(46)
        if len(entry) < 46 or entry[:4] != b"PK\x01\x02":
            raise Unreadable(f"{shown}: its directory is malformed; refused")
        named, extra, comment = struct.unpack("<3H", entry[28:34])
        at += 46 + named + extra + comment
    end = size - END.size
    handle.seek(end)
    record = handle.read(END.size)
    if not (record[:4] == b"PK\x05\x06" and record[-2:] == b"\0\0"):
        raise Unreadable(
            f"{shown}: a comment or other bytes after the archive's end (another file's"
            " content: a polyglot); refused"
        )
    _magic, disk, first, here, count, length, offset, _comment = END.unpack(record)
    entries = len(archive.infolist())
    if (
        (disk, first) != (0, 0)
        or here != count
        or count not in (entries, 0xFFFF)
        or length not in (at - archive.start_dir, 0xFFFFFFFF)
        or offset not in (archive.start_dir, 0xFFFFFFFF)
    ):
        # Readers that count entries, or trust the end record's sizes, would list another
        # set of members than this check reads.
        raise Unreadable(f"{shown}: its end record disagrees with its directory; refused")
    if at != end:
        handle.seek(at)
        zip64 = handle.read(12)
        closes = len(zip64) == 12 and zip64[:4] == b"PK\x06\x06"
        if closes:
            at += 12 + struct.unpack("<Q", zip64[4:])[0]
            handle.seek(end - LOCATOR)
            closes = at == end - LOCATOR and handle.read(4) == b"PK\x06\x07"
        if not closes:
            raise Unreadable(
                f"{shown}: bytes unaccounted for between its directory and its end (data hidden"
                " from this check); refused"
            )


def stream_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes in chunks, never more than it declares (a lying header is caught)."""
    total = 0
    handle: BinaryIO
    with archive.open(info) as handle:  # type: ignore[assignment]
        while chunk := handle.read(CHUNK):
            total += len(chunk)
            if total > info.file_size:
                raise Unreadable(f"member {info.filename!r} is longer than its header declares")
            yield chunk
    if total != info.file_size:
        # zipfile reads a stored member by its compressed size: a directory that says more
        # would go unnoticed, and the sizes the zip-bomb limits weigh would not be the real ones.
        raise Unreadable(f"member {info.filename!r} is shorter than its header declares")


def hash_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for chunk in stream_member(archive, info):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int = MAX_SMALL) -> bytes:
    if info.file_size > limit:
        raise Unreadable(f"member {info.filename!r} is larger than {limit} bytes")
    return b"".join(stream_member(archive, info))


@dataclass
class Bundle:
    """The parts of an opened bundle that the checks share."""

    archive: zipfile.ZipFile
    manifest_bytes: bytes
    manifest: dict[str, Any]
    infos: dict[str, zipfile.ZipInfo]
    verified: dict[str, str] = field(default_factory=dict)  # member -> sha256, when it matched
    listed: set[str] = field(default_factory=set)  # every member the manifest lists
    stamped_at: str | None = None  # the timestamping authority's time, once its token holds
    stamp_pinned: bool = False  # ... and whether that authority is the one the user trusts


def load_manifest(archive: zipfile.ZipFile, shown: str) -> Bundle:
    infos = {info.filename: info for info in archive.infolist()}
    if MANIFEST not in infos:
        raise Unreadable(f"{shown}: no {MANIFEST} in the archive (not an enquiry bundle)")
    try:
        data = read_member(archive, infos[MANIFEST], MAX_MANIFEST)
        manifest = strict_json(data)
    except Unreadable as exc:
        raise Unreadable(f"{shown}: {exc}; refused") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise Unreadable(f"{shown}: {MANIFEST} is not valid JSON ({exc})") from None
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise Unreadable(f"{shown}: {MANIFEST} cannot be read ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Unreadable(f"{shown}: {MANIFEST} is not of format {FORMAT}")
    if not isinstance(manifest.get("members"), list):
        raise Unreadable(f"{shown}: {MANIFEST} has no list of members")
    problem = manifest_problem(manifest)
    if problem is not None:
        raise Unreadable(f"{shown}: {MANIFEST} is malformed: {problem}")
    return Bundle(archive, data, manifest, infos)


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 63


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _optional(value: Any, kind: type) -> bool:
    return value is None or isinstance(value, kind)


def manifest_problem(manifest: dict[str, Any]) -> str | None:
    """What in the manifest has not the shape enquiry writes (a list where an object belongs,
    a size that is not a whole number, ...), or None: every later check may then read it
    without meeting a type it does not expect."""
    for name in ("kind", "created_at", "generator"):
        if not _optional(manifest.get(name), str):
            return f"'{name}' is not a string"
    for name in ("subject", "options", "signer"):
        if not _optional(manifest.get(name), dict):
            return f"'{name}' is not an object"
    signer = manifest.get("signer") or {}
    for name in ("key", "fingerprint", "public_key", "signed_at"):
        if not _optional(signer.get(name), str):
            return f"signer '{name}' is not a string"
    for number, entry in enumerate(manifest["members"]):
        if not (
            isinstance(entry, dict)
            and _text(entry.get("path"))
            and _integer(entry.get("size"))
            and _text(entry.get("sha256"))
        ):
            return f"members[{number}] is not {{path, size, sha256}}"
    for name in ("items", "findings"):
        if not _optional(manifest.get(name), list):
            return f"'{name}' is not a list"
    for number, item in enumerate(manifest.get("items") or []):
        if not (
            isinstance(item, dict)
            and _optional(item.get("id"), int)
            and _optional(item.get("sha256"), str)
            and _optional(item.get("member"), str)
        ):
            return f"items[{number}] is not an item {{id, sha256, member, ...}}"
    for number, entry in enumerate(manifest.get("findings") or []):
        if not (isinstance(entry, dict) and _text(entry.get("member"))):
            return f"findings[{number}] is not {{incident, member}}"
    ledger = manifest.get("ledger")
    if ledger is not None:
        head = ledger.get("head") if isinstance(ledger, dict) else None
        if not (
            isinstance(ledger, dict)
            and _text(ledger.get("member"))
            and isinstance(head, dict)
            and _integer(head.get("seq"))
            and _text(head.get("hash"))
        ):
            return "'ledger' is not {member, head: {seq, hash}}"
    return None


def check_members(bundle: Bundle, outcome: Outcome, progress: Any = None) -> None:
    """Every listed member present with its size and SHA-256; every member listed."""
    listed = bundle.listed
    for entry in bundle.manifest["members"]:
        try:
            name, size, sha = str(entry["path"]), int(entry["size"]), str(entry["sha256"])
        except (KeyError, TypeError, ValueError):
            outcome.failures.append(f"{MANIFEST}: a member entry is malformed ({entry!r:.80})")
            continue
        if name in listed:
            outcome.failures.append(f"{MANIFEST}: member {value_text(name)} is listed twice")
            continue  # hashed once: a name listed a million times is not read a million times
        listed.add(name)
        info = bundle.infos.get(name)
        if info is None:
            outcome.failures.append(f"member {value_text(name)}: missing from the archive")
            continue
        try:
            actual, actual_size = hash_member(bundle.archive, info)
        except Unreadable as exc:
            outcome.failures.append(str(exc))
            continue
        except zipfile.BadZipFile as exc:
            if "CRC" in str(exc):
                outcome.failures.append(
                    f"member {name}: changed (its bytes no longer match the archive's checksum)"
                )
            else:
                outcome.failures.append(f"member {name}: cannot be read ({exc})")
            continue
        except (OSError, EOFError, ValueError, zlib.error, NotImplementedError) as exc:
            outcome.failures.append(f"member {name}: cannot be read ({exc})")
            continue
        if progress is not None:
            progress(actual_size)
        if actual_size != size:
            outcome.failures.append(f"member {name}: {actual_size} bytes, the manifest says {size}")
        elif actual != sha:
            outcome.failures.append(
                f"member {name}: changed (its bytes hash to {actual[:12]}, the manifest says"
                f" {sha[:12]})"
            )
        else:
            bundle.verified[name] = sha
    for name in sorted(set(bundle.infos) - listed - UNLISTED):
        outcome.failures.append(f"member {name}: not in the manifest (added after signing)")


def check_signature(bundle: Bundle, outcome: Outcome, key: PublicKey | None) -> None:
    """The signature over manifest.json, by the key given (and not revoked before it signed)."""
    signer = bundle.manifest.get("signer")
    info = bundle.infos.get(SIGNATURE)
    if info is not None and not isinstance(signer, dict):
        # Left unlisted only because it signs the manifest; signing nothing, it is a member
        # nothing vouches for.
        outcome.failures.append(
            f"{SIGNATURE}: present, but {MANIFEST} names no signer (a member nothing vouches for)"
        )
        return
    if info is None or not isinstance(signer, dict):
        if key is not None:
            outcome.failures.append(f"{SIGNATURE}: missing — the bundle is not signed")
        else:
            outcome.notes.append("the bundle is not signed: nothing ties it to its author")
        return
    try:
        body = strict_json(read_member(bundle.archive, info, 1 << 16))
        signature = base64.b64decode(body["signature"], validate=True)
        named = str(body["fingerprint"])
    except (Unreadable, UnicodeDecodeError, ValueError, KeyError, TypeError):
        outcome.failures.append(f"{SIGNATURE}: malformed")
        return
    claimed = str(signer.get("fingerprint", ""))
    if named != claimed:
        outcome.failures.append(
            f"{SIGNATURE}: names key {str(named)[:16]}, the manifest names {str(claimed)[:16]}"
        )
        return
    label = f"key '{value_text(signer.get('key') or '')}' ({str(claimed)[:16]})"
    if key is None:
        try:
            raw = base64.b64decode(str(signer.get("public_key", "")), validate=True)
        except ValueError:
            raw = b""
        if fingerprint(raw) != claimed or not _verify_ed25519(
            raw, signature, bundle.manifest_bytes
        ):
            outcome.failures.append(f"{SIGNATURE}: bad signature for the {label} it names")
        else:
            outcome.signed_by = claimed
            # The name and fingerprint are the bundle's own word: anyone can make a key and call
            # it after the mechanism. Only --key ties the bundle to a signer.
            outcome.notes.append(
                f"signed by a key calling itself '{value_text(signer.get('key') or '')}',"
                f" fingerprint {claimed}; no --key given, so it is not checked that this is a key"
                " you trust — anyone can make a key of any name: compare this fingerprint, in"
                " full, with the one you were given"
            )
        return
    if key.fingerprint != claimed:
        outcome.failures.append(
            f"{SIGNATURE}: wrong key — signed by {label}, the key given is"
            f" '{key.name}' ({key.fingerprint[:16]})"
        )
        return
    if not _verify_ed25519(key.raw, signature, bundle.manifest_bytes):
        outcome.failures.append(
            f"{SIGNATURE}: bad signature — {MANIFEST} was not signed by {label}"
        )
        return
    signed_at = value_text(signer.get("signed_at") or "")
    clock = (
        "the signer's own clock: whoever holds the key can write any time there; only a"
        " timestamp by an authority you pin (--tsa-cert) shows when it was signed"
    )
    if bundle.stamped_at is not None and bundle.stamp_pinned:
        # An authority nobody pinned may be the key thief's own: its time is no better than
        # the signer's, and a revoked key would otherwise sign "before" its revocation at will.
        signed_at, clock = bundle.stamped_at, "the timestamping authority's clock"
    if key.revoked_at is not None:
        if signed_at >= key.revoked_at:
            outcome.failures.append(
                f"{SIGNATURE}: {label} was revoked at {key.revoked_at}; the bundle was signed"
                f" after, at {signed_at}"
            )
            return
        outcome.notes.append(
            f"{label} was revoked at {key.revoked_at}; this bundle was signed before, at"
            f" {signed_at} ({clock})"
        )
    outcome.signed_by = key.fingerprint
    outcome.summary.append(f"signature: valid, by {label} at {signed_at}")


# --- RFC 3161 timestamps ----------------------------------------------------------------------
#
# ``timestamp.tsr`` is a timestamping authority's token over the SHA-256 of manifest.json: a
# CMS SignedData whose content (TSTInfo) holds that hash and the authority's time. A few lines
# of DER reading suffice to check it with ``cryptography`` alone.

OID_SHA256 = bytes.fromhex("0609608648016503040201")
OID_MESSAGE_DIGEST = bytes.fromhex("06092a864886f70d010904")


def der(data: bytes, offset: int = 0) -> tuple[int, int, int]:
    """The DER element at ``offset``: (tag, start of its content, end)."""
    if offset + 2 > len(data):
        raise ValueError("truncated DER")
    tag, length = data[offset], data[offset + 1]
    offset += 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or offset + count > len(data):
            raise ValueError("bad DER length")
        length = int.from_bytes(data[offset : offset + count], "big")
        offset += count
    if offset + length > len(data):
        raise ValueError("truncated DER")
    return tag, offset, offset + length


def der_children(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """The elements inside a constructed element: (tag, element start, content start, end)."""
    out = []
    while start < end:
        tag, content, stop = der(data, start)
        out.append((tag, start, content, stop))
        start = stop
    return out


@dataclass
class Token:
    """What a timestamp token says, and the bytes its signature covers."""

    imprint_algorithm: bytes
    imprint: bytes
    gen_time: str
    content: bytes  # the TSTInfo's DER, digested into the signed attributes
    message_digest: bytes
    signed_attributes: bytes  # re-tagged as a SET, as signed
    signature: bytes
    certificates: list[bytes]


def parse_token(data: bytes) -> Token:
    """Read a TimeStampToken (CMS SignedData over a TSTInfo); ValueError when malformed."""
    _, content, end = der(data)
    info = der_children(data, content, end)
    if len(info) < 2 or info[1][0] != 0xA0:
        raise ValueError("not a CMS ContentInfo")
    _, signed_start, signed_end = der(data, info[1][2])
    parts = der_children(data, signed_start, signed_end)
    encap = der_children(data, parts[2][2], parts[2][3])
    _, octets, octets_end = der(data, encap[1][2])
    _, tst_start, tst_end = der(data, octets)
    tst = data[octets:octets_end]
    fields = der_children(data, tst_start, tst_end)
    imprint = der_children(data, fields[2][2], fields[2][3])
    algorithm = der_children(data, imprint[0][2], imprint[0][3])
    certificates = [
        data[child[1] : child[3]]
        for part in parts[3:]
        if part[0] == 0xA0
        for child in der_children(data, part[2], part[3])
    ]
    signers = der_children(data, parts[-1][2], parts[-1][3])
    signer = der_children(data, signers[0][2], signers[0][3])
    attributes = next(part for part in signer if part[0] == 0xA0)
    signed = b"\x31" + data[attributes[1] + 1 : attributes[3]]
    digest = b""
    for attribute in der_children(data, attributes[2], attributes[3]):
        pieces = der_children(data, attribute[2], attribute[3])
        if data[pieces[0][1] : pieces[0][3]] == OID_MESSAGE_DIGEST:
            value = der_children(data, pieces[1][2], pieces[1][3])[0]
            digest = data[value[2] : value[3]]
    signature = next(part for part in reversed(signer) if part[0] == 0x04)
    return Token(
        imprint_algorithm=data[algorithm[0][1] : algorithm[0][3]],
        imprint=data[imprint[1][2] : imprint[1][3]],
        gen_time=data[fields[4][2] : fields[4][3]].decode("ascii"),
        content=tst,
        message_digest=digest,
        signed_attributes=signed,
        signature=data[signature[2] : signature[3]],
        certificates=certificates,
    )


def iso_time(gen_time: str) -> str:
    """A GeneralizedTime (``YYYYMMDDHHMMSS[.f]Z``) as enquiry writes times."""
    whole, _, fraction = gen_time.rstrip("Z").partition(".")
    stamp = f"{whole[0:4]}-{whole[4:6]}-{whole[6:8]}T{whole[8:10]}:{whole[10:12]}:{whole[12:14]}"
    return f"{stamp}.{(fraction + '000000')[:6]}Z"


def _signed_by(certificate: bytes, token: Token) -> bool:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

    try:
        key = x509.load_der_x509_certificate(certificate).public_key()
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(token.signature, token.signed_attributes, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(
                token.signature, token.signed_attributes, padding.PKCS1v15(), hashes.SHA256()
            )
        elif isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(token.signature, token.signed_attributes)
        else:
            return False
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _subject(certificate: bytes) -> str:
    from cryptography import x509

    return x509.load_der_x509_certificate(certificate).subject.rfc4514_string()


def read_certificate(path: Path) -> bytes:
    """A TSA certificate to pin, PEM or DER, as DER."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    data = _small_file(path, "the certificate")
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data).public_bytes(Encoding.DER)
        return x509.load_der_x509_certificate(data).public_bytes(Encoding.DER)
    except ValueError:
        raise Unreadable(f"{path}: not an X.509 certificate") from None


def check_timestamp(bundle: Bundle, outcome: Outcome, pinned: bytes | None) -> None:
    """The authority's token covers the manifest's hash and is signed by the authority."""
    info = bundle.infos.get(TIMESTAMP)
    if info is None:
        if pinned is not None:
            outcome.failures.append(f"{TIMESTAMP}: missing — the bundle carries no timestamp")
        return
    try:
        token = parse_token(read_member(bundle.archive, info, 1 << 20))
    except (Unreadable, ValueError, IndexError, StopIteration, UnicodeDecodeError):
        outcome.failures.append(f"{TIMESTAMP}: not a timestamp token (malformed)")
        return
    expected = hashlib.sha256(bundle.manifest_bytes).digest()
    if token.imprint_algorithm != OID_SHA256 or token.imprint != expected:
        outcome.failures.append(
            f"{TIMESTAMP}: does not cover the manifest (it stamps {token.imprint.hex()[:12]},"
            f" {MANIFEST} hashes to {expected.hex()[:12]})"
        )
        return
    if token.message_digest != hashlib.sha256(token.content).digest():
        outcome.failures.append(f"{TIMESTAMP}: its signed digest does not match its content")
        return
    candidates = [pinned] if pinned is not None else token.certificates
    signer = next((cert for cert in candidates if _signed_by(cert, token)), None)
    if signer is None:
        whose = "the pinned authority" if pinned is not None else "the certificate it carries"
        outcome.failures.append(f"{TIMESTAMP}: bad signature — not signed by {whose}")
        return
    bundle.stamped_at = iso_time(token.gen_time)
    bundle.stamp_pinned = pinned is not None
    outcome.summary.append(
        f"timestamp: covers the manifest, signed by {_subject(signer)} at {bundle.stamped_at}"
    )
    if pinned is None:
        outcome.notes.append(
            "the timestamp's authority is not pinned (--tsa-cert); it is checked against the"
            " certificate the token carries"
        )


def member_lines(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    limit: int = MAX_EVENT,
    digest: Any = None,
) -> Iterator[bytes]:
    """A member's lines, read as they come (a ledger of a million events is never held whole).

    Lines end at ``\\n`` alone: JSON leaves U+2028, U+0085 and the like unescaped inside its
    strings, and a reader that also ended lines there (``str.splitlines``) would cut an event
    in two wherever a received file's name held one — so that anyone who can name a file the
    mechanism receives could make its bundles fail. A line longer than ``limit`` is refused.
    ``digest`` (a hashlib object), if given, is fed every byte read."""
    buffer = bytearray()
    for chunk in stream_member(archive, info):
        if digest is not None:
            digest.update(chunk)
        buffer += chunk
        start = 0
        while (end := buffer.find(b"\n", start)) != -1:
            if end - start > limit:
                break
            yield bytes(buffer[start:end])
            start = end + 1
        del buffer[:start]
        if len(buffer) > limit:
            raise Unreadable(f"member {info.filename!r} has a line longer than {limit} bytes")
    if buffer:
        yield bytes(buffer)


def _event(line: bytes) -> dict[str, Any]:
    event = strict_json(line)
    if not isinstance(event, dict) or not _integer(event.get("seq")):
        raise ValueError("not an event")
    return event


def _receipts(bundle: Bundle) -> dict[int, set[str]]:
    """The hashes each item of the manifest must have a receipt for, by item number."""
    wanted: dict[int, set[str]] = {}
    for item in bundle.manifest.get("items") or []:
        number, sha = item.get("id"), item.get("sha256")
        if _integer(number) and sha and item.get("ledger") != "elided":
            wanted.setdefault(number, set()).add(sha)
    return wanted


def check_ledger(bundle: Bundle, outcome: Outcome) -> set[tuple[int, str]]:
    """Recompute every event's hash and link, event 1 to the signed head; return the (item,
    sha256) receipts found for the manifest's items.

    The ledger is read line by line and only those receipts are kept, so memory does not grow
    with the length of the chain."""
    ledger = bundle.manifest.get("ledger")
    found: set[tuple[int, str]] = set()
    if not isinstance(ledger, dict):
        outcome.failures.append(f"{MANIFEST}: no ledger section")
        return found
    member = str(ledger.get("member", ""))
    info = bundle.infos.get(member)
    if member not in bundle.listed:
        outcome.failures.append(
            f"ledger: its member {value_text(member)} is not among the manifest's members, so"
            " nothing vouches for it"
        )
        return found
    if info is None or member not in bundle.verified:
        return found  # already reported by check_members
    wanted = _receipts(bundle)
    expected, previous, elided, count = 1, GENESIS, 0, 0
    number = 0
    digest = hashlib.sha256()
    try:
        for line in member_lines(bundle.archive, info, digest=digest):
            number += 1
            event = _event(line)
            count += 1
            seq = int(event["seq"])
            action = f" ({value_text(event['action'])})" if "action" in event else ""
            what = f"event {seq}{action}"
            if seq != expected:
                outcome.failures.append(
                    f"ledger: event {expected} missing (the chain jumps to {seq})"
                )
            if event.get("prev") != previous:
                outcome.failures.append(f"ledger: {what} does not link to event {seq - 1}")
            if "elided" in event:
                elided += 1
            else:
                try:
                    recomputed = event_hash(event)
                except KeyError as exc:
                    outcome.failures.append(f"ledger: {what} lacks its field {exc}")
                    recomputed = ""
                if recomputed != event.get("hash"):
                    outcome.failures.append(
                        f"ledger: {what} was edited (its content no longer matches its hash)"
                    )
                item = event.get("item")
                if _integer(item) and item in wanted:
                    sha = _recorded(event)
                    if sha in wanted[item]:
                        found.add((item, sha))
            expected, previous = seq + 1, str(event.get("hash"))
    except Unreadable as exc:
        outcome.failures.append(f"member {member}: unreadable ({exc})")
        return set()
    except (ValueError, TypeError):  # UnicodeDecodeError and UnicodeEncodeError are ValueErrors
        outcome.failures.append(f"member {member}: line {number} is not an event")
        return set()
    if digest.hexdigest() != bundle.verified[member]:
        outcome.failures.append(f"member {member}: changed while it was being read")
        return set()
    head = ledger["head"]
    if (expected - 1, previous) != (head["seq"], head["hash"]):
        outcome.failures.append(
            f"ledger: the chain ends at event {expected - 1} ({str(previous)[:12]}), the"
            f" signed head is event {head['seq']} ({str(head['hash'])[:12]})"
        )
    outcome.summary.append(
        f"ledger: {count} events, chain recomputed to the head (event {expected - 1},"
        f" {str(previous)[:16]})"
        + (f"; {elided} event(s) of other matters by hash only" if elided else "")
    )
    return found


def check_items(bundle: Bundle, outcome: Outcome, receipts: set[tuple[int, str]]) -> None:
    """Each item's original is the member it names, and the ledger records its receipt.

    A bundle that redacts protected items carries a protected item's bytes only as the
    confirmed redaction its report publishes (marked ``published`` in its entry): those bytes
    are checked against the item's SHA-256 like any original's, while its receipt — an event
    that may name the witness's file — is carried by hash only. A protected item carried in
    such a bundle without that mark is a failure: the bundle says it withholds what it holds."""
    items = bundle.manifest.get("items") or []
    options = bundle.manifest.get("options") or {}
    redacting = options.get("protected") == "redacted"
    withheld = published = 0
    for item in items:
        number = item.get("id")
        sha = str(item.get("sha256") or "")
        label = f"item {number}"
        member = item.get("member")
        if member:
            if f"originals/{sha}" != member:
                outcome.failures.append(
                    f"{label}: its member {value_text(member)} is not named by its hash"
                )
            elif member not in bundle.listed:
                # Said to be carried, yet nothing vouches for it: an importer would look for
                # bytes no check has read.
                outcome.failures.append(
                    f"{label}: its member {value_text(member)} is not among the manifest's members"
                )
            elif member in bundle.verified and bundle.verified[member] != sha:
                outcome.failures.append(f"{label}: member {member} does not hold its original")
            elif redacting and item.get("protected") is True:
                if item.get("published") != PUBLISHED_REDACTION:
                    outcome.failures.append(
                        f"{label}: protected, and its bytes are carried in a bundle that"
                        " withholds protected items (not as a confirmed redaction)"
                    )
                elif member in bundle.verified:
                    published += 1
                    outcome.notes.append(
                        f"{label} ({value_text(item.get('kind'))}, sha256 {sha[:12]}): a"
                        " confirmed redaction of protected evidence, carried as its report"
                        " publishes it — its bytes hash as the manifest says; its identity"
                        " and custody events are withheld"
                    )
        elif sha:
            withheld += 1
            outcome.notes.append(
                f"{label} ({value_text(item.get('kind'))}, sha256 {str(sha)[:12]}): content"
                f" {value_text(item.get('content'))} — withheld from this bundle, its hash is"
                " vouched for"
            )
        if item.get("ledger") == "elided":
            continue
        if sha and not (_integer(number) and (number, sha) in receipts):
            outcome.failures.append(
                f"{label}: no event in the ledger records its receipt with sha256 {str(sha)[:12]}"
            )
    outcome.summary.append(
        f"items: {len(items)}"
        + (f", {withheld} withheld (hash only)" if withheld else "")
        + (f", {published} published redaction(s) of protected items" if published else "")
    )


def _recorded(event: dict[str, Any]) -> str | None:
    """The sha256 an event's details record, if any."""
    try:
        details = strict_json(str(event["details"]).encode("utf-8"))
    except (ValueError, KeyError):
        return None
    sha = details.get("sha256") if isinstance(details, dict) else None
    return sha if isinstance(sha, str) else None


def _listed_member(bundle: Bundle, outcome: Outcome, member: str, unlisted: str) -> bytes | None:
    """The bytes of a member read whole, when the manifest lists it and its hash held; else
    None, with ``unlisted`` as the failure when the manifest does not list it (a member
    missing or changed is reported by :func:`check_members`, and one changed while it was
    read here is a failure of its own)."""
    info = bundle.infos.get(member)
    if member not in bundle.listed:
        outcome.failures.append(unlisted)
        return None
    if info is None or member not in bundle.verified:
        return None  # already reported by check_members
    data = read_member(bundle.archive, info)
    if hashlib.sha256(data).hexdigest() != bundle.verified[member]:
        outcome.failures.append(f"member {value_text(member)}: changed while it was being read")
        return None
    return data


def check_findings(bundle: Bundle, outcome: Outcome) -> dict[str, Any]:
    """Each finding's inputs hash to what the finding says it was computed from; the findings
    read, by incident."""
    bodies: dict[str, Any] = {}
    for entry in bundle.manifest.get("findings") or []:
        member = str(entry.get("member", ""))
        try:
            data = _listed_member(
                bundle,
                outcome,
                member,
                f"finding {value_text(entry.get('incident'))}: its member {value_text(member)} is"
                " not among the manifest's members, so nothing vouches for it",
            )
            if data is None:
                continue
            body = strict_json(data)
            inputs, claimed = body["inputs"], str(body["inputs_sha256"])
            actual = hashlib.sha256(canonical(inputs).encode("utf-8")).hexdigest()
        except (Unreadable, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
            outcome.failures.append(f"member {member}: not a finding")
            continue
        if actual != claimed:
            outcome.failures.append(
                f"member {member}: its inputs hash to {actual[:12]}, the finding says"
                f" {str(claimed)[:12]}"
            )
        else:
            outcome.summary.append(
                f"finding {value_text(entry.get('incident'))}: engine"
                f" {value_text(body.get('engine_version'))}, inputs {claimed[:16]} recomputed"
            )
        if isinstance(entry.get("incident"), str):
            bodies[entry["incident"]] = body
    return bodies


# ---------------------------------------------------------------------------------------------
# The report's figures
# ---------------------------------------------------------------------------------------------
# A finding's report is signed with the bundle, but the signature says only who made it, not
# that the numbers it prints are the finding's: a report rendered from another analysis, or
# edited, reads as authoritative as an honest one. The report marks each figure it takes from
# the finding (``data-finding``: the JSON list of paths into the finding, ``data-show``: how it
# is printed), and this check prints each again from the finding and compares.

FIGURE_ATTRIBUTE = "data-finding"
SHOW_ATTRIBUTE = "data-show"
MAX_FIGURES = 100_000  # marks in one report: a hostile report cannot make the check quadratic
FSI, PDI = "\u2068", "\u2069"


def share(value: Any) -> str:
    """A probability as a panel may print it: whole per cent, and never 0% or 100%.

    The grades and ratings a posterior comes from are coarse (six reliability grades, five
    ratings), so a tenth of a per cent is noise, and no evidence makes an account impossible
    or certain: the ends read "below 1%" and "above 99%"."""
    if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value):
        return "–"
    if value < 0.01:
        return "below 1%"
    if value > 0.99:
        return "above 99%"
    return f"{math.floor(100 * value + 0.5)}%"


def prior_floor(value: Any) -> str:
    """The lowest prior a conclusion would survive, as a panel may print it: whole per cent
    from 1% up (as :func:`share`), and below that as odds to two figures ("1 in 210"), since
    these bounds run far below a per cent and a decimal per cent would claim a precision the
    grades do not have; 0 means down to the lowest prior tried, one in a billion."""
    if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value):
        return "–"
    if value <= 0:
        return "one in a billion or less"
    if value >= 0.01:
        return share(value)
    odds = float(f"{1.0 / value:.2g}")
    return f"1 in {odds:,.0f}"


def percent(value: Any, digits: int = 1) -> str:
    """A probability in per cent to ``digits`` decimals ("95.2%")."""
    if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value):
        return "–"
    return f"{100 * value:.{digits}f}%"


def span(low: Any, high: Any) -> str:
    """A range of probabilities without false precision: one figure when both ends print
    alike ("below 1%", "97%"), else "96–98%"."""
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high)):
        return "–"
    lo, hi = share(min(low, high)), share(max(low, high))
    if lo == hi:
        return lo
    if lo.endswith("%") and hi.endswith("%") and lo[0].isdigit() and hi[0].isdigit():
        return f"{lo[:-1]}–{hi}"
    return f"{lo} to {hi}"


def _as_text(value: Any) -> str:
    return "–" if value is None else value if isinstance(value, str) else json.dumps(value)


def _signed(value: Any) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        return "–"
    return f"{value:+.1f}"


def _met(value: Any) -> str:
    return "✓ met" if value is True else "✗ not met"


# How a marked figure is printed from its values: the report's renderer and this check use
# these same functions, so that a figure printed honestly always reads back equal.
SHOWN: dict[str, Any] = {
    "text": _as_text,
    "share": share,
    "percent": percent,
    "prior_floor": prior_floor,
    "span": span,
    "signed": _signed,
    "met": _met,
}


# Lists of a finding indexed by a key of their elements, built on first use: a hostile
# report's many marks naming elements of a long list by id cost one pass, not one each.
FigureIndex = dict[tuple[int, str], dict[str, list[Any]]]


def figure_value(body: Any, path: Sequence[Any], index: FigureIndex | None = None) -> Any:
    """The value at ``path`` in a finding: each step a key of an object, an index of a list,
    or ``{"key": value}`` for the one element of a list whose ``key`` is ``value`` (its
    canonical JSON the same: a hypothesis by its id). LookupError when the finding has no
    such value. ``index`` keeps the lists indexed between calls on the same ``body``."""
    index = {} if index is None else index
    node = body
    for step in path:
        listed = isinstance(node, list | tuple)
        if isinstance(step, dict) and len(step) == 1 and listed:
            ((key, wanted),) = step.items()
            table = index.get((id(node), key))
            if table is None:
                table = {}
                for element in node:
                    if isinstance(element, dict) and key in element:
                        table.setdefault(canonical(element[key]), []).append(element)
                index[id(node), key] = table
            found = table.get(canonical(wanted), [])
            if len(found) != 1:
                raise LookupError(step)
            node = found[0]
        elif isinstance(step, str) and isinstance(node, dict) and step in node:
            node = node[step]
        elif isinstance(step, int) and not isinstance(step, bool) and listed:
            if not 0 <= step < len(node):
                raise LookupError(step)
            node = node[step]
        else:
            raise LookupError(step)
    return node


def figure_text(
    body: Any, paths: Sequence[Sequence[Any]], show: str, index: FigureIndex | None = None
) -> str:
    """A figure as the report prints it: the values at ``paths`` shown as ``show`` says."""
    index = {} if index is None else index
    return str(SHOWN[show](*(figure_value(body, path, index) for path in paths)))


def figure_reading(text: str) -> str:
    """Text as both sides of the comparison are read: the report names an invisible character
    where it stands (``[U+200B]``) and isolates right-to-left text (U+2068 … U+2069) so that
    it cannot reorder the page; neither changes what a figure says."""
    out = []
    index = 0
    while index < len(text):
        char = text[index]
        if text.startswith("[U+", index):
            close = text.find("]", index, index + 10)
            digits = text[index + 3 : close] if close != -1 else ""
            if 4 <= len(digits) <= 6 and all(c in "0123456789ABCDEF" for c in digits):
                char, index = chr(min(int(digits, 16), 0x10FFFF)), close
        if char not in (FSI, PDI):
            out.append(char)
        index += 1
    return "".join(out)


@dataclass
class Figure:
    """One marked figure of a report: what it names and what it prints."""

    paths: Any
    show: str | None
    text: str = ""
    markup: bool = False  # a tag inside the mark: what it prints is not one figure


_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
_TAG_STOP = re.compile(r"""[>"']""")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_RAW_TEXT = {
    name: re.compile(f"</{name}", re.IGNORECASE)
    for name in ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")
}
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


def _tag_end(page: str, start: int) -> int:
    """Where the tag whose attributes begin at ``start`` ends (its ``>``), a value in quotes
    after ``=`` read whole; -1 when it never ends. Every character is read at most twice."""
    at = start
    while True:
        stop = _TAG_STOP.search(page, at)
        if stop is None:
            return -1
        where = stop.start()
        if page[where] == ">":
            return where
        before = where - 1
        while before >= start and page[before] in " \t\n\r\f":
            before -= 1
        if before >= start and page[before] == "=":
            closing = page.find(page[where], where + 1)
            if closing == -1:
                return -1
            at = closing + 1
        else:
            at = where + 1


def _attributes(text: str) -> dict[str, str]:
    """A tag's attributes, the first of a name given twice kept (as browsers do)."""
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text):
        name = match.group(1).lower()
        if name not in found:
            value = next((v for v in match.group(2, 3, 4) if v is not None), "")
            found[name] = html.unescape(value)
    return found


def html_parts(page: str) -> Iterator[tuple[str, str, dict[str, str]]]:
    """A page's parts in one pass, whatever it holds: ``("text", text, {})``, ``("start",
    name, attributes)``, ``("alone", name, attributes)`` for a tag that closes itself,
    ``("raw", name, {})`` for the raw text of a ``<style>``, ``<script>`` or ``<title>``
    (skipped), and ``("end", name, {})``.

    Not :class:`html.parser.HTMLParser`, which takes time quadratic in the length of some
    malformed pages (``<a`` written 100,000 times: half a minute for 200 KB), so that a
    hostile report could stall every verifier. This reads tags, comments, declarations and
    raw text as a browser delimits them, and nothing else; text is given unescaped."""
    at = 0
    while True:
        lt = page.find("<", at)
        if lt == -1:
            if page[at:]:
                yield "text", html.unescape(page[at:]), {}
            return
        if lt > at:
            yield "text", html.unescape(page[at:lt]), {}
        if page.startswith("<!--", lt):
            close = page.find("-->", lt + 4)
            if close == -1:
                return
            at = close + 3
            continue
        if page.startswith(("<!", "<?"), lt):
            close = page.find(">", lt + 2)
            if close == -1:
                return
            at = close + 1
            continue
        tag = _TAG.match(page, lt)
        if tag is None:
            yield "text", "<", {}
            at = lt + 1
            continue
        close = _tag_end(page, tag.end())
        if close == -1:
            return
        name = tag.group(2).lower()
        inside = page[tag.end() : close]
        at = close + 1
        if tag.group(1):
            yield "end", name, {}
            continue
        alone = inside.rstrip().endswith("/") or name in _VOID
        yield ("alone" if alone else "start"), name, _attributes(inside)
        raw = _RAW_TEXT.get(name)
        if raw is not None and not alone:
            ends = raw.search(page, at)
            if ends is None:
                return
            yield "raw", name, {}
            at = ends.start()


class FigureReader:
    """The marked figures of a report (:func:`html_parts`); a mark holds text only, anything
    else inside it is flagged."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self.too_many = False
        self._open: Figure | None = None
        self._parts: list[str] = []
        self._tag = ""
        self._depth = 0

    def read(self, page: str) -> FigureReader:
        for kind, value, marks in html_parts(page):
            if kind == "text":
                if self._open is not None and value:
                    self._parts.append(value)
            elif kind == "end":
                self._end(value)
            elif kind == "raw":
                if self._open is not None:
                    self._open.markup = True
            else:
                self._start(value, marks, kind == "alone")
        self._close()
        return self

    def _start(self, name: str, marks: dict[str, str], alone: bool) -> None:
        if self._open is not None:
            self._open.markup = True
            self._depth += name == self._tag and not alone
            return
        if FIGURE_ATTRIBUTE not in marks:
            return
        if len(self.figures) >= MAX_FIGURES:
            self.too_many = True
            return
        try:
            paths = json.loads(marks[FIGURE_ATTRIBUTE])
        except (ValueError, RecursionError):
            paths = None
        figure = Figure(paths, marks.get(SHOW_ATTRIBUTE))
        self.figures.append(figure)
        if not alone:  # a mark that closes itself prints nothing
            self._open, self._tag, self._depth = figure, name, 0

    def _end(self, name: str) -> None:
        if self._open is None or name != self._tag:
            return
        if self._depth:
            self._depth -= 1
        else:
            self._close()

    def _close(self) -> None:
        if self._open is not None:
            self._open.text = "".join(self._parts)
        self._open, self._parts = None, []


def _path_text(paths: Any) -> str:
    return value_text(json.dumps(paths, ensure_ascii=False), 160)


def required_figures(body: Any) -> list[list[Any]]:
    """The paths a finding's report must mark: what it was computed from and by, and what it
    concludes — the leading account, its likelihood band and confidence, and every account's
    posterior."""
    paths: list[list[Any]] = [
        ["inputs_sha256"],
        ["engine_version"],
        ["result", "leading"],
        ["result", "band"],
        ["result", "confidence"],
    ]
    result = body.get("result") if isinstance(body, dict) else None
    hypotheses = result.get("hypotheses") if isinstance(result, dict) else None
    for hypothesis in hypotheses if isinstance(hypotheses, list) else []:
        if isinstance(hypothesis, dict) and "id" in hypothesis:
            paths.append(["result", "hypotheses", {"id": hypothesis["id"]}, "posterior"])
    # a scenario the finding carries beside its result (evidence set aside) and weighs
    aside = body.get("set_aside") if isinstance(body, dict) else None
    for name, scenario in aside.items() if isinstance(aside, dict) else ():
        if isinstance(scenario, dict) and scenario.get("evidence"):
            paths.append(["set_aside", name, "leader_posterior_without"])
    return paths


def report_problems(page: str, body: Any) -> tuple[list[str], int]:
    """What is wrong with a report's marked figures against its finding, and how many marks
    were compared."""
    reader = FigureReader().read(page)
    problems: list[str] = []
    if reader.too_many:
        problems.append(f"marks more than {MAX_FIGURES} figures")
    marked: set[str] = set()
    index: FigureIndex = {}
    for figure in reader.figures:
        paths, show = figure.paths, figure.show
        if (
            show not in SHOWN
            or not isinstance(paths, list)
            or not paths
            or not all(isinstance(p, list) for p in paths)
        ):
            problems.append(f"a mark that names no figure ({_path_text(paths)}, {show!r})")
            continue
        where = _path_text(paths if len(paths) > 1 else paths[0])
        if figure.markup:
            problems.append(f"the figure {where} holds markup, not only its text")
            continue
        try:
            expected = figure_text(body, paths, show, index)
        except (LookupError, TypeError, ValueError):
            problems.append(f"it shows a figure {where} that the finding does not have")
            continue
        if figure_reading(figure.text) != figure_reading(expected):
            problems.append(
                f"it shows {value_text(figure.text, 60)!r} for {where},"
                f" where the finding gives {value_text(expected, 60)!r}"
            )
        marked.update(canonical(p) for p in paths)
    for path in required_figures(body):
        if canonical(path) not in marked:
            problems.append(f"it does not show {_path_text(path)} where it can be checked")
    return problems, len(reader.figures)


# --- A report's PDF, read back ------------------------------------------------------------------
#
# The PDF a bundle carries beside its report is what most people are sent and quote, so it is
# read back too: its text must be the page's own, figure for figure, in the same order. Only
# the standard library is used, so the reader knows what WeasyPrint writes — cross-reference
# tables and streams, object streams, Flate, fonts with a ToUnicode map, form XObjects — and
# says so, naming what it met, when a PDF holds anything else. Every size, depth and count it
# reads is bounded: the file may be hostile.

MAX_PDF = 256 << 20  # bytes of a report's PDF, read whole
# bytes of its streams read, inflated or as stored, and again each time one is read again
MAX_PDF_INFLATED = 512 << 20
MAX_PDF_DEPTH = 64  # nesting of arrays and dictionaries, references, page tree, forms
MAX_PDF_PAGES = 100_000
MAX_PDF_OBJECTS = 500_000  # objects its cross-reference may name (a report has thousands)
MAX_PDF_OPERATORS = 5_000_000  # drawing operators interpreted, forms drawn again included
MAX_PDF_PREDICTED = 16 << 20  # bytes of a stream under a PNG predictor (read byte by byte)
MAX_PDF_TEXT = 1 << 25  # characters of text shown, forms drawn again included
MAX_PDF_UNICODE = 512  # bytes of one ToUnicode entry's text (the limit the CMap format sets)
_PDF_ESCAPES = {
    ord("n"): b"\n",
    ord("r"): b"\r",
    ord("t"): b"\t",
    ord("b"): b"\b",
    ord("f"): b"\f",
    ord("("): b"(",
    ord(")"): b")",
    ord("\\"): b"\\",
}


class PdfError(Exception):
    """A PDF this reader cannot read: malformed, or made with what it does not know."""


class PdfName(str):
    """A PDF name (``/Font``), told apart from a keyword or an operator."""


@dataclass(frozen=True)
class PdfRef:
    number: int
    generation: int


@dataclass
class PdfStream:
    info: dict[str, Any]
    raw: bytes


@dataclass
class PdfKeyword:
    word: bytes


def _pdf_int(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise PdfError(f"{what} is not an integer")
    return value


_PDF_TOKEN = re.compile(
    rb"(?>(?:[\x00\t\n\x0c\r ]|%[^\r\n]*)*)"  # white space and comments, then one of:
    rb"(?:(?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+))(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"
    rb"|/(?P<name>[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)"
    rb"|(?P<word>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)"
    rb"|(?P<mark><<|>>|[\[\]{}])"
    rb"|(?P<other>[^\x00\t\n\x0c\r ]))"
)
_NO_TOKEN = object()
_PDF_BLANKS = b"\x00\t\n\x0c\r "  # PDF's white space
# The rest of an array of hexadecimal strings and plain numbers, up to its "]": how a PDF
# shows most of its text ("[<0012>-250<00340056>] TJ", glyph codes and the spacing between
# them). Read in one match rather than token by token, which is most of the work of reading a
# long report back; an array of anything else is read token by token.
_PDF_SHOWN_ARRAY = re.compile(
    rb"(?:[\x00\t\n\x0c\r ]*+(?:<[0-9A-Fa-f\x00\t\n\x0c\r ]*+>"
    rb"|[+-]?\d{1,15}(?:\.\d{0,15})?(?=[\x00\t\n\x0c\r <\]])))*+[\x00\t\n\x0c\r ]*+\]"
)
_PDF_HEX_STRING = re.compile(rb"<([^>]*)>")
_PDF_LITERAL_SPECIAL = re.compile(rb"[()\\]")


class PdfLexer:
    """The objects of PDF syntax in ``data`` from a position on, one regular expression match
    a token. ``refs`` off reads ``n g R`` as three tokens (a content stream has no references),
    which spares a look ahead after every number."""

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None, refs: bool = True):
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end
        self.refs = refs

    def token(self) -> Any:
        """The next object, or a :class:`PdfKeyword` (an operator, ``R``, ``obj``, ``]``…);
        None at the end."""
        match = _PDF_TOKEN.match(self.data, self.pos, self.end)
        if match is None:
            self.pos = self.end
            return None
        self.pos = match.end()
        kind = match.lastgroup
        if kind == "number":
            word = match.group("number")
            if b"." in word:
                return float(word)
            if len(word) > 20:
                raise PdfError("a number too long to be one")
            return int(word)
        if kind == "name":
            return PdfName(_pdf_name(match.group("name")))
        if kind == "word":
            word = match.group("word")
            if word == b"true" or word == b"false":
                return word == b"true"
            if word == b"null":
                return None
            return PdfKeyword(word)
        if kind == "mark":
            return PdfKeyword(match.group("mark"))
        start = match.start("other")
        if self.data[start] == 0x28:  # (
            self.pos = start
            return self._literal()
        if self.data[start] == 0x3C:  # <
            close = self.data.find(b">", start, self.end)
            if close == -1:
                raise PdfError("a hexadecimal string never ends")
            self.pos = close + 1
            return _pdf_hex(self.data[start + 1 : close])
        raise PdfError(f"an unexpected character {chr(self.data[start])!r}")

    def _literal(self) -> bytes:
        """A literal string from its ``(``: the runs between special characters copied whole,
        so a long string costs a search, not a step per byte."""
        data, at, depth = self.data, self.pos + 1, 1
        out = bytearray()
        while True:
            special = _PDF_LITERAL_SPECIAL.search(data, at, self.end)
            if special is None:
                raise PdfError("a string never ends")
            where = special.start()
            out += data[at:where]
            char = data[where]
            at = where + 1
            if char == 0x5C:  # backslash
                if at >= self.end:
                    raise PdfError("a string never ends")
                escape = data[at]
                if escape in _PDF_ESCAPES:
                    out += _PDF_ESCAPES[escape]
                    at += 1
                elif 0x30 <= escape <= 0x37:
                    digits = re.match(rb"[0-7]{1,3}", data[at : at + 3])
                    assert digits is not None
                    out.append(int(digits.group(0), 8) & 0xFF)
                    at += len(digits.group(0))
                elif escape == 0x0D:
                    at += 2 if data[at + 1 : at + 2] == b"\n" else 1
                elif escape != 0x0A:
                    out.append(escape)
                    at += 1
                else:
                    at += 1
                continue
            depth += 1 if char == 0x28 else -1
            if depth == 0:
                self.pos = at
                return bytes(out)
            out.append(char)

    def value(self, depth: int = 0, token: Any = _NO_TOKEN) -> Any:
        """The next whole object (or the one ``token`` begins): arrays, dictionaries and
        ``n g R`` read together."""
        if depth > MAX_PDF_DEPTH:
            raise PdfError("arrays or dictionaries nested too deep")
        if token is _NO_TOKEN:
            token = self.token()
        if isinstance(token, PdfKeyword):
            if token.word == b"[":
                items: list[Any] = []
                while True:
                    item = self.token()
                    if isinstance(item, PdfKeyword) and item.word == b"]":
                        return items
                    if item is None and self.pos >= self.end:
                        raise PdfError("an array never ends")
                    items.append(self.value(depth + 1, item))
            if token.word == b"<<":
                entries: dict[str, Any] = {}
                while True:
                    key = self.token()
                    if isinstance(key, PdfKeyword) and key.word == b">>":
                        return entries
                    if not isinstance(key, PdfName):
                        raise PdfError("a dictionary key is not a name")
                    entries.setdefault(str(key), self.value(depth + 1))
            raise PdfError(f"an unexpected {token.word[:20].decode('latin-1')!r}")
        if self.refs and isinstance(token, int) and not isinstance(token, bool):
            mark = self.pos
            generation = self.token()
            if isinstance(generation, int) and not isinstance(generation, bool):
                keyword = self.token()
                if isinstance(keyword, PdfKeyword) and keyword.word == b"R":
                    return PdfRef(token, generation)
            self.pos = mark
        return token


def _pdf_hex(raw: bytes) -> bytes:
    """The bytes a hexadecimal string's digits (between its ``<`` and ``>``) stand for: white
    space skipped, a missing last digit read as 0."""
    digits = raw.translate(None, _PDF_BLANKS)
    try:
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
    except ValueError:
        raise PdfError("a hexadecimal string holds other characters") from None


def _pdf_name(raw: bytes) -> str:
    """A name's characters, ``#xx`` escapes read."""
    if b"#" in raw:
        raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
    return raw.decode("latin-1")


class PdfFile:
    """The objects of one PDF, found through its cross-reference tables or streams."""

    def __init__(self, data: bytes) -> None:
        if not data.startswith(b"%PDF-"):
            raise PdfError("it does not begin as a PDF does")
        self.data = data
        self.stream_bytes = 0  # bytes of streams read so far (see :meth:`decoded`)
        self.where: dict[int, tuple[int, int]] = {}  # number -> (0, offset) | (stream, index)
        self.cache: dict[int, Any] = {}
        # number -> (inflated bytes, (object number, offset) of each object): inflated once,
        # however many of its objects are read
        self.object_streams: dict[int, tuple[bytes, list[tuple[int, int]]]] = {}
        self.trailer: dict[str, Any] = {}
        tail = data.rfind(b"startxref", max(0, len(data) - 2048))
        if tail == -1:
            raise PdfError("it has no startxref")
        offset = PdfLexer(data, tail + len(b"startxref")).token()
        seen: set[int] = set()
        while isinstance(offset, int) and not isinstance(offset, bool):
            if offset in seen or len(seen) > MAX_PDF_DEPTH or not 0 <= offset < len(data):
                raise PdfError("its cross-reference sections loop or point outside it")
            seen.add(offset)
            offset = self._section(offset)
        self.revisions = len(seen)  # one, unless it was saved over (an incremental update)

    def _section(self, offset: int) -> Any:
        """Read the cross-reference section at ``offset``; the offset of the one before."""
        lexer = PdfLexer(self.data, offset)
        first = lexer.token()
        if isinstance(first, PdfKeyword) and first.word == b"xref":
            while True:
                start = lexer.token()
                if isinstance(start, PdfKeyword) and start.word == b"trailer":
                    break
                count = lexer.token()
                if not isinstance(start, int) or not isinstance(count, int) or count < 0:
                    raise PdfError("a cross-reference table is malformed")
                if start + count > MAX_PDF_OBJECTS:
                    raise PdfError("too many objects")
                for number in range(start, start + count):
                    entry_offset, _generation, kind = lexer.token(), lexer.token(), lexer.token()
                    if not isinstance(kind, PdfKeyword) or kind.word not in (b"n", b"f"):
                        raise PdfError("a cross-reference entry is malformed")
                    if kind.word == b"n" and number not in self.where:
                        self.where[number] = (0, _pdf_int(entry_offset, "an offset"))
                        self._count()
            trailer = lexer.value()
        else:
            lexer.pos = offset
            stream = self._indirect(lexer)
            if not isinstance(stream, PdfStream) or stream.info.get("Type") != "XRef":
                raise PdfError("startxref points at neither a table nor a stream")
            trailer = stream.info
            self._xref_stream(stream)
        if not isinstance(trailer, dict):
            raise PdfError("its trailer is not a dictionary")
        for key, value in trailer.items():
            self.trailer.setdefault(key, value)
        if "XRefStm" in trailer:
            hybrid = _pdf_int(trailer["XRefStm"], "XRefStm")
            self._xref_stream(self._indirect(PdfLexer(self.data, hybrid)))
        return trailer.get("Prev")

    def _xref_stream(self, stream: Any) -> None:
        if not isinstance(stream, PdfStream):
            raise PdfError("a cross-reference stream is not a stream")
        widths = stream.info.get("W")
        if (
            not isinstance(widths, list)
            or len(widths) != 3
            or not all(isinstance(w, int) and 0 <= w <= 8 for w in widths)
        ):
            raise PdfError("a cross-reference stream's /W is malformed")
        size = _pdf_int(stream.info.get("Size"), "/Size")
        index = stream.info.get("Index", [0, size])
        if not isinstance(index, list) or len(index) % 2:
            raise PdfError("a cross-reference stream's /Index is malformed")
        rows = self.decoded(stream)
        width = sum(widths)
        if not width:
            raise PdfError("a cross-reference stream's /W is malformed")
        at = 0
        for pair in range(0, len(index), 2):
            start = _pdf_int(index[pair], "/Index")
            count = _pdf_int(index[pair + 1], "/Index")
            if start < 0 or count < 0 or start + count > MAX_PDF_OBJECTS:
                raise PdfError("a cross-reference stream's /Index is out of range")
            for number in range(start, start + count):
                if at + width > len(rows):
                    raise PdfError("a cross-reference stream is shorter than its /Index")
                fields, cursor = [], at
                for w in widths:
                    fields.append(int.from_bytes(rows[cursor : cursor + w], "big"))
                    cursor += w
                at += width
                kind = fields[0] if widths[0] else 1
                if number in self.where:
                    continue
                if kind == 1:
                    self.where[number] = (0, fields[1])
                    self._count()
                elif kind == 2:
                    self.where[number] = (fields[1], fields[2])
                    self._count()

    def _count(self) -> None:
        if len(self.where) > MAX_PDF_OBJECTS:
            raise PdfError(f"it names more than {MAX_PDF_OBJECTS} objects")

    def _indirect(self, lexer: PdfLexer) -> Any:
        """The object ``n g obj … endobj`` at the lexer, its stream read by /Length."""
        number, generation, keyword = lexer.token(), lexer.token(), lexer.token()
        if (
            not isinstance(number, int)
            or not isinstance(generation, int)
            or not isinstance(keyword, PdfKeyword)
            or keyword.word != b"obj"
        ):
            raise PdfError("an object's offset does not point at an object")
        value = lexer.value()
        mark = lexer.pos
        after = lexer.token()
        if not (isinstance(after, PdfKeyword) and after.word == b"stream"):
            lexer.pos = mark
            return value
        if not isinstance(value, dict):
            raise PdfError("a stream's dictionary is not one")
        start = lexer.pos
        if self.data.startswith(b"\r\n", start):
            start += 2
        elif self.data.startswith(b"\n", start):
            start += 1
        length = self.resolve(value.get("Length"))
        if not isinstance(length, int) or length < 0 or start + length > len(self.data):
            raise PdfError("a stream's /Length is wrong")
        return PdfStream(value, self.data[start : start + length])

    def resolve(self, value: Any, depth: int = 0) -> Any:
        """``value`` with a reference replaced by what it refers to (null when nothing)."""
        while isinstance(value, PdfRef):
            depth += 1
            if depth > MAX_PDF_DEPTH:
                raise PdfError("references refer to each other in a loop")
            value = self.get(value.number)
        return value

    def get(self, number: int) -> Any:
        if number in self.cache:
            return self.cache[number]
        place = self.where.get(number)
        self.cache[number] = None  # a loop through this object reads null, not forever
        if place is None:
            return None
        container, at = place
        if container == 0:
            if not 0 <= at < len(self.data):
                raise PdfError("an object's offset points outside the file")
            value = self._indirect(PdfLexer(self.data, at))
        else:
            value = self._from_object_stream(container, at)
        self.cache[number] = value
        return value

    def _from_object_stream(self, container: int, index: int) -> Any:
        stream = self.get(container)
        if not isinstance(stream, PdfStream) or stream.info.get("Type") != "ObjStm":
            raise PdfError("an object is said to be in a stream that is not an object stream")
        first = _pdf_int(stream.info.get("First"), "/First")
        known = self.object_streams.get(container)
        if known is None:
            data = self.decoded(stream)
            count = _pdf_int(stream.info.get("N"), "/N")
            lexer = PdfLexer(data, 0, min(first, len(data)))
            offsets: list[tuple[int, int]] = []
            for _ in range(min(count, MAX_PDF_OBJECTS)):
                number, offset = lexer.token(), lexer.token()
                if not isinstance(number, int) or not isinstance(offset, int):
                    break
                offsets.append((number, offset))
            self.object_streams[container] = known = (data, offsets)
        data, offsets = known
        if not 0 <= index < len(offsets):
            raise PdfError("an object's place in its object stream does not exist")
        start = first + offsets[index][1]
        if not 0 <= start <= len(data):
            raise PdfError("an object's offset in its object stream points outside it")
        return PdfLexer(data, start).value()

    def decoded(self, stream: PdfStream) -> bytes:
        """A stream's bytes through its filters (Flate only).

        Every stream read counts against one budget, inflated or stored as it is, and again
        each time it is read: a form drawn a million times is read a million times, so a
        small file could otherwise make the reader lex gigabytes."""
        filters = self.resolve(stream.info.get("Filter"))
        names = filters if isinstance(filters, list) else [] if filters is None else [filters]
        data = stream.raw
        for name in names:
            if name != "FlateDecode":
                raise PdfError(f"a stream is encoded with {value_text(name, 40)}")
            inflater = zlib.decompressobj()
            try:
                data = inflater.decompress(data, MAX_PDF_INFLATED - self.stream_bytes + 1)
            except zlib.error:
                raise PdfError("a stream does not inflate") from None
            self._reading(len(data))
        if not names:
            self._reading(len(data))
        parameters = self.resolve(stream.info.get("DecodeParms"))
        if isinstance(parameters, list):
            parameters = parameters[0] if parameters else None
        if isinstance(parameters, dict):
            predictor = parameters.get("Predictor", 1)
            if isinstance(predictor, int) and predictor >= 10:
                columns = _pdf_int(parameters.get("Columns", 1), "/Columns")
                colours = _pdf_int(parameters.get("Colors", 1), "/Colors")
                if len(data) > MAX_PDF_PREDICTED:
                    raise PdfError(
                        f"a stream under a predictor is over {MAX_PDF_PREDICTED >> 20} MiB"
                    )
                data = _png_rows(data, columns * colours, colours)
            elif predictor != 1:
                raise PdfError(f"a stream uses predictor {value_text(predictor, 20)}")
        return data

    def _reading(self, size: int) -> None:
        self.stream_bytes += size
        if self.stream_bytes > MAX_PDF_INFLATED:
            raise PdfError(
                f"its streams come to more than {MAX_PDF_INFLATED >> 20} MiB as read"
                " (inflated, and each time a form is drawn again)"
            )


def _png_rows(data: bytes, columns: int, bpp: int = 1) -> bytes:
    """Rows of ``columns`` bytes under PNG's filters (one filter byte before each row; ``bpp``
    bytes to a pixel), as cross-reference streams, a PDF's pictures and PNG files are written."""
    if not 1 <= columns <= 1 << 20 or not 1 <= bpp <= 8:
        raise PdfError("a stream's /Columns is out of range")
    out = bytearray()
    previous = bytes(columns)
    for start in range(0, len(data) - columns, columns + 1):
        kind, row = data[start], bytearray(data[start + 1 : start + 1 + columns])
        if kind == 2:
            row = bytearray((a + b) & 0xFF for a, b in zip(row, previous, strict=False))
        elif kind in (1, 3, 4):
            for i in range(len(row)):
                left = row[i - bpp] if i >= bpp else 0
                up = previous[i]
                if kind == 1:
                    row[i] = (row[i] + left) & 0xFF
                elif kind == 3:
                    row[i] = (row[i] + (left + up) // 2) & 0xFF
                else:
                    corner = previous[i - bpp] if i >= bpp else 0
                    guess = left + up - corner
                    far_left, far_up = abs(guess - left), abs(guess - up)
                    far_corner = abs(guess - corner)
                    if far_left <= far_up and far_left <= far_corner:
                        near = left
                    elif far_up <= far_corner:
                        near = up
                    else:
                        near = corner
                    row[i] = (row[i] + near) & 0xFF
        elif kind != 0:
            raise PdfError("a stream's row filter is unknown")
        out += row
        previous = bytes(row)
    return bytes(out)


@dataclass
class PdfFont:
    """How a font's codes read as text: its ToUnicode map and code lengths."""

    unicode: dict[bytes, str]
    lengths: tuple[int, ...]  # the code lengths its code space allows, shortest first

    def text(self, codes: bytes, room: int) -> str:
        """The text ``codes`` show, refused past ``room`` characters: one code may stand for
        up to 256 letters, so a short string can stand for a great deal of text."""
        out: list[str] = []
        at = size = 0
        while at < len(codes):
            for length in self.lengths:
                code = codes[at : at + length]
                if code in self.unicode or length == self.lengths[-1]:
                    letters = self.unicode.get(code, "\ufffd")
                    out.append(letters)
                    size += len(letters)
                    at += length
                    break
            if size > room:
                raise PdfError(f"it shows more than {MAX_PDF_TEXT:,} characters of text")
        return "".join(out)


def _cmap_font(pdf: PdfFile, font: Any) -> PdfFont:
    """A font's reading from its ToUnicode CMap. A font without one cannot be read back."""
    font = pdf.resolve(font)
    if not isinstance(font, dict):
        raise PdfError("a font is not a dictionary")
    stream = pdf.resolve(font.get("ToUnicode"))
    if not isinstance(stream, PdfStream):
        raise PdfError(f"a font ({value_text(font.get('BaseFont'), 40)}) has no ToUnicode map")
    lexer = PdfLexer(pdf.decoded(stream))
    unicode: dict[bytes, str] = {}
    lengths: set[int] = set()
    operands: list[Any] = []
    section: bytes | None = None
    while True:
        token = lexer.token()
        if token is None:
            break
        if isinstance(token, PdfKeyword):
            if token.word in (b"begincodespacerange", b"beginbfchar", b"beginbfrange"):
                section, operands = token.word[5:], []
                continue
            if token.word in (b"endcodespacerange", b"endbfchar", b"endbfrange"):
                _cmap_section(section, operands, unicode, lengths)
                section, operands = None, []
                continue
            if token.word == b"[":
                operands.append(lexer.value(0, token))
                continue
            operands = [] if section is None else operands
            continue
        operands.append(token)
        if len(unicode) > 1 << 20:
            raise PdfError("a ToUnicode map is too large")
    if not lengths:
        lengths = {len(next(iter(unicode)))} if unicode else {1}
    return PdfFont(unicode, tuple(sorted(lengths)))


def _unicode_bytes(value: Any) -> bytes:
    """A ToUnicode entry's text, as UTF-16 bytes, within the length the CMap format allows."""
    if not isinstance(value, bytes):
        raise PdfError("a ToUnicode map names no text")
    if len(value) > MAX_PDF_UNICODE:
        raise PdfError(f"a ToUnicode entry is longer than {MAX_PDF_UNICODE} bytes")
    return value


def _utf16(value: Any) -> str:
    return _unicode_bytes(value).decode("utf-16-be", "replace")


def _cmap_section(
    section: bytes | None, operands: list[Any], unicode: dict[bytes, str], lengths: set[int]
) -> None:
    if section == b"codespacerange":
        for low in operands[0::2]:
            if isinstance(low, bytes) and 1 <= len(low) <= 4:
                lengths.add(len(low))
    elif section == b"bfchar":
        for code, text in zip(operands[0::2], operands[1::2], strict=False):
            if isinstance(code, bytes):
                unicode[code] = _utf16(text)
    elif section == b"bfrange":
        for at in range(0, len(operands) - 2, 3):
            low, high, target = operands[at : at + 3]
            if not isinstance(low, bytes) or not isinstance(high, bytes) or len(low) != len(high):
                raise PdfError("a ToUnicode range is malformed")
            first, last = int.from_bytes(low, "big"), int.from_bytes(high, "big")
            if last < first or last - first > 0xFFFF:
                raise PdfError("a ToUnicode range is out of order or too wide")
            if len(unicode) + last - first > 1 << 20:
                raise PdfError("a ToUnicode map is too large")
            for offset in range(last - first + 1):
                code = (first + offset).to_bytes(len(low), "big")
                if isinstance(target, list):
                    if offset < len(target):
                        unicode[code] = _utf16(target[offset])
                else:
                    base = bytearray(_unicode_bytes(target))
                    if not base:
                        raise PdfError("a ToUnicode range maps to nothing")
                    tail = int.from_bytes(base[-2:], "big") + offset
                    base[-2:] = (tail & 0xFFFF).to_bytes(2, "big")
                    unicode[code] = bytes(base).decode("utf-16-be", "replace")


class PdfText:
    """The text a PDF shows, page by page and block (``BT`` … ``ET``) by block."""

    def __init__(self, pdf: PdfFile) -> None:
        self.pdf = pdf
        self.fonts: dict[int, PdfFont] = {}
        self.operators = 0
        self.characters = 0  # of text shown so far, bounded by MAX_PDF_TEXT
        self.drawing: set[int] = set()  # the forms being drawn, each inside the one before

    def pages(self) -> list[list[str]]:
        root = self.pdf.resolve(self.pdf.trailer.get("Root"))
        if not isinstance(root, dict):
            raise PdfError("it has no document catalogue")
        out: list[list[str]] = []
        self._walk(root.get("Pages"), {}, out, set(), 0)
        return out

    def _walk(
        self, node: Any, inherited: dict[str, Any], out: list[list[str]], seen: set[int], depth: int
    ) -> None:
        if isinstance(node, PdfRef):
            if node.number in seen:
                raise PdfError("its page tree loops")
            seen.add(node.number)
        node = self.pdf.resolve(node)
        if not isinstance(node, dict) or depth > MAX_PDF_DEPTH:
            raise PdfError("its page tree is malformed or too deep")
        resources = self.pdf.resolve(node.get("Resources", inherited.get("Resources")))
        here = {"Resources": resources}
        kids = self.pdf.resolve(node.get("Kids"))
        if isinstance(kids, list):
            for kid in kids:
                self._walk(kid, here, out, seen, depth + 1)
            return
        if len(out) >= MAX_PDF_PAGES:
            raise PdfError(f"it has more than {MAX_PDF_PAGES} pages")
        blocks: list[str] = []
        contents = self.pdf.resolve(node.get("Contents"))
        streams = contents if isinstance(contents, list) else [contents]
        data = b"".join(
            self.pdf.decoded(s) + b"\n"
            for s in (self.pdf.resolve(c) for c in streams)
            if isinstance(s, PdfStream)
        )
        self._run(data, resources, blocks, 0)
        out.append(blocks)

    def _font(self, resources: Any, name: Any) -> PdfFont:
        fonts = self.pdf.resolve(resources.get("Font")) if isinstance(resources, dict) else None
        reference = fonts.get(str(name)) if isinstance(fonts, dict) else None
        if reference is None:
            raise PdfError(f"it selects a font {value_text(name, 40)} its page does not have")
        key = reference.number if isinstance(reference, PdfRef) else id(reference)
        if key not in self.fonts:
            self.fonts[key] = _cmap_font(self.pdf, reference)
        return self.fonts[key]

    def _run(self, data: bytes, resources: Any, blocks: list[str], depth: int) -> None:
        """Interpret one content stream's text operators (and forms it draws)."""
        if depth > MAX_PDF_DEPTH:
            raise PdfError("its forms draw each other too deep")
        lexer = PdfLexer(data, refs=False)
        operands: list[Any] = []
        font: PdfFont | None = None
        current: list[str] | None = None
        while True:
            token = lexer.token()
            if token is None:
                break
            if isinstance(token, PdfKeyword) and token.word == b"[":
                shown = _PDF_SHOWN_ARRAY.match(data, lexer.pos)
                if shown is not None:
                    # only the strings: the numbers between them are spacing, which no
                    # operator read here takes from an array
                    lexer.pos = shown.end()
                    operands.append([_pdf_hex(m) for m in _PDF_HEX_STRING.findall(shown[0])])
                    continue
            if not isinstance(token, PdfKeyword) or token.word in (b"[", b"<<"):
                operands.append(lexer.value(0, token))
                continue
            self.operators += 1
            if self.operators > MAX_PDF_OPERATORS:
                raise PdfError("it draws too much to be read back")
            word = token.word
            if word == b"BT":
                current = []
            elif word == b"ET":
                if current is not None:
                    blocks.append("".join(current))
                current = None
            elif word == b"Tr" and operands and operands[-1] in (3, 7):
                # text that is there to be extracted, not seen: what is read would not be
                # what is shown
                raise PdfError("it draws text invisibly")
            elif word == b"Tf" and len(operands) >= 2:
                font = self._font(resources, operands[-2])
            elif word in (b"Tj", b"'", b'"', b"TJ") and operands:
                if font is None:
                    raise PdfError("it shows text before it selects a font")
                shown = operands[-1]
                parts = shown if isinstance(shown, list) else [shown]
                text = "".join(
                    font.text(p, MAX_PDF_TEXT - self.characters)
                    for p in parts
                    if isinstance(p, bytes)
                )
                self.characters += len(text)
                (current if current is not None else blocks).append(text)
            elif word == b"Do" and operands:
                self._form(resources, operands[-1], blocks, depth)
            elif word == b"BI":
                # WeasyPrint draws every picture as an image of its own; one drawn inside the
                # content could be any picture, and the picture check would never meet it
                raise PdfError("it draws an inline image, which no report's page has")
            operands = []
        if current:
            blocks.append("".join(current))

    def _form(self, resources: Any, name: Any, blocks: list[str], depth: int) -> None:
        objects = (
            self.pdf.resolve(resources.get("XObject")) if isinstance(resources, dict) else None
        )
        reference = objects.get(str(name)) if isinstance(objects, dict) else None
        form = self.pdf.resolve(reference)
        if isinstance(form, PdfStream) and form.info.get("Subtype") == "Form":
            key = reference.number if isinstance(reference, PdfRef) else -1
            if key in self.drawing:
                raise PdfError("its forms draw each other in a loop")
            self.drawing.add(key)
            inner = self.pdf.resolve(form.info.get("Resources"))
            self._run(self.pdf.decoded(form), inner if inner else resources, blocks, depth + 1)
            self.drawing.discard(key)


def read_pdf(data: bytes) -> tuple[PdfFile, list[list[str]]]:
    """A PDF opened, and its text: for each page, its text blocks in the order they are
    drawn."""
    if len(data) > MAX_PDF:
        raise PdfError(f"it is larger than {MAX_PDF >> 20} MiB")
    try:
        pdf = PdfFile(data)
        return pdf, PdfText(pdf).pages()
    except RecursionError:
        raise PdfError("it nests too deep") from None


# What a link may do: go to a place in the report, or open a web address.
_PDF_LINK_ACTIONS = frozenset({"GoTo", "URI"})


def pdf_additions(pdf: PdfFile) -> str | None:
    """What a PDF carries beside its pages' text and pictures that a viewer shows or runs,
    or None when it carries nothing of the kind; WeasyPrint writes none of it for a report.

    Each is outside what the text and picture checks read: an annotation's text or
    appearance is laid over the page (a FreeText note saying "staged"), an attached file
    opens from the viewer's panel (the photograph before its redaction), a script or an
    action runs by itself, and an incremental update keeps in the file what it replaced."""
    if pdf.revisions > 1:
        return (
            f"it was saved over {pdf.revisions - 1} time(s) (an incremental update keeps in the"
            " file what it replaced), where a report's PDF is written once"
        )
    for number in sorted(pdf.where):
        value = pdf.get(number)
        found = _addition(pdf, value.info if isinstance(value, PdfStream) else value, 0)
        if found is not None:
            return f"it carries {found}, which a report's PDF does not"
    return None


def _addition(pdf: PdfFile, value: Any, depth: int) -> str | None:
    """:func:`pdf_additions` for one object and the objects written inside it (each object
    named by reference is looked at on its own)."""
    if depth > MAX_PDF_DEPTH:
        raise PdfError("it nests too deep")
    if isinstance(value, list):
        for inner in value:
            found = _addition(pdf, inner, depth + 1)
            if found is not None:
                return found
        return None
    if not isinstance(value, dict):
        return None
    kind = value.get("Type")
    if kind == "Annot":
        subtype = value.get("Subtype")
        if subtype != "Link":
            return f"a {value_text(subtype, 40)} annotation"
        if "AP" in value:
            return "a link drawn with an appearance of its own"
    if kind == "EmbeddedFile" or "EF" in value or "EmbeddedFiles" in value:
        return "an attached file"
    if {"JS", "JavaScript", "OpenAction", "AA"} & value.keys():
        return "a script or an action that runs by itself"
    action = pdf.resolve(value.get("A"))
    if isinstance(action, dict) and action.get("S") not in _PDF_LINK_ACTIONS:
        return f"a {value_text(action.get('S'), 40)} action"
    for inner in value.values():
        found = _addition(pdf, inner, depth + 1)
        if found is not None:
            return found
    return None


def pdf_text(data: bytes) -> list[list[str]]:
    """The text of a PDF (:func:`read_pdf`)."""
    return read_pdf(data)[1]


# What the report's print styles add to its page, and nothing else may: a list's number or
# bullet (drawn as blocks of their own), the running head, "Page N of M", and in the contents a
# leader of dots and the page number after each entry.
_PDF_MARKER = re.compile(r"(?:\d{1,4}\.|[•◦▪‣-])")
_PDF_FOOTER = re.compile(r"page\d+of\d+")
_PDF_LEADER = re.compile(r"\.{2,}\d{1,6}")


def reading_text(text: str) -> str:
    """Text as a page and its PDF are compared: compatibility forms folded (a ligature glyph
    is its letters), case folded (print styles set some headings in capitals), and without
    white space, invisible characters, or letters of right-to-left scripts, which a PDF holds
    in the order they are drawn, not read."""
    folded = unicodedata.normalize("NFKC", figure_reading(text)).casefold()
    return "".join(
        char
        for char in folded
        if not char.isspace()
        and unicodedata.category(char) != "Cf"
        and unicodedata.bidirectional(char) not in ("R", "AL", "AN", "NSM")
    )


@dataclass
class PageText:
    """What a report's page shows (:func:`page_text`), read as it is compared."""

    flow: str  # its text in its order
    drawn: list[str]  # the texts of its drawings (``<svg>``), which a PDF draws after the text
    repeated: set[str]  # its first ``<h1>`` and its tables' heads, printed again on every page
    contents_end: int = 0  # where its contents (``<nav class="toc">``) end in ``flow``


def page_text(page: str) -> PageText:
    """The text of a report's page (:func:`html_parts`): the flow, and apart what its print
    styles draw elsewhere or repeat."""
    flow: list[str] = []
    drawn: list[str] = []
    repeated: set[str] = set()
    collecting: dict[str, list[str]] = {}  # "h1" (the first only), "thead": text so far
    depth = 0
    first_heading = True
    contents = 0  # how deep inside the contents' <nav>
    contents_end = 0
    for kind, value, attributes in html_parts(page):
        if value == "nav" and (kind == "start" or (kind == "end" and contents)):
            if kind == "end":
                contents -= 1
                if not contents:
                    contents_end = len(reading_text("".join(flow)))
            elif contents or "toc" in attributes.get("class", "").split():
                contents += 1
        if kind in ("start", "end") and value == "svg":
            depth = max(0, depth + (1 if kind == "start" else -1))
        elif kind == "start" and (value == "thead" or (value == "h1" and first_heading)):
            collecting[value] = []
            first_heading = first_heading and value != "h1"
        elif kind == "end" and value in collecting:
            repeated.add(reading_text("".join(collecting.pop(value))))
        elif kind == "text":
            (drawn if depth else flow).append(value)
            for parts in collecting.values():
                parts.append(value)
    repeated.discard("")
    return PageText(
        reading_text("".join(flow)),
        [t for t in map(reading_text, drawn) if t],
        repeated,
        contents_end,
    )


def _context(text: str, at: int, before: bool) -> str:
    return value_text(text[max(0, at - 40) : at] if before else text[at : at + 40], 60)


def _matched(shown: str, at: int, printed: str, limit: int, leaders: int = 0) -> tuple[int, int]:
    """How far ``printed`` reads as ``shown`` from ``at`` on, up to ``limit`` characters of it:
    where each stops. A leader and page number is skipped only within the page's first
    ``leaders`` characters (its contents, where the print styles add them): elsewhere dots
    and digits the page does not have could change a figure ("0.96..58")."""
    index = 0
    while index < min(len(printed), limit):
        if at < len(shown) and shown[at] == printed[index]:
            at += 1
            index += 1
            continue
        leader = _PDF_LEADER.match(printed, index) if at <= leaders else None
        if leader is None:
            break
        index = leader.end()
    return index, at


def pdf_problem(page: str, pages: list[list[str]]) -> str | None:
    """How a PDF's text departs from its page's, or None when it prints every character of
    the page, in the same order, and adds nothing but what the print styles add.

    A block that the print styles could have added (a list's number, the running head, the
    page's footer) or that a drawing holds is read as the page's next text only when the
    block after it goes on from there; otherwise it is passed over."""
    read = page_text(page)
    shown, drawn, repeated = read.flow, read.drawn, read.repeated
    leaders = read.contents_end

    def matched(at: int, printed: str, limit: int) -> tuple[int, int]:
        return _matched(shown, at, printed, limit, leaders)

    blocks = [
        (number, printed)
        for number, page_blocks in enumerate(pages, start=1)
        for printed in map(reading_text, page_blocks)
        if printed
    ]

    def aside(printed: str) -> bool:
        return bool(
            _PDF_MARKER.fullmatch(printed)
            or _PDF_FOOTER.fullmatch(printed)
            or printed in repeated
            or printed in drawn
        )

    at = 0
    for k, (number, printed) in enumerate(blocks):
        if aside(printed):
            if shown.startswith(printed, at):
                after = next((p for _, p in blocks[k + 1 :] if not aside(p)), None)
                reads_on = after is not None and matched(at + len(printed), after, 24)[0] >= min(
                    len(after), 24
                )
                passed = (
                    after is not None
                    and not reads_on
                    and matched(at, after, 24)[0] >= min(len(after), 24)
                )
                if not passed:
                    at += len(printed)
                    continue
            if printed in drawn:
                drawn.remove(printed)
            continue
        index, reached = matched(at, printed, len(printed))
        if index < len(printed):  # a table's head printed again, then its rows
            head = next((r for r in repeated if printed.startswith(r)), "")
            if head and matched(at, printed[len(head) :], len(printed))[0] == len(printed) - len(
                head
            ):
                index, reached = matched(at, printed[len(head) :], len(printed))
                index += len(head)
        at = reached
        if index < len(printed):
            return (
                f"on its page {number}, after {_context(shown, at, True)!r} it prints"
                f" {_context(printed, index, False)!r} where the page goes on"
                f" {_context(shown, at, False)!r}"
            )
    if at < len(shown):
        return f"it ends where the page goes on {_context(shown, at, False)!r}"
    if drawn:
        return f"it does not print {value_text(drawn[0], 40)!r}, drawn on its page"
    return None


# A report's pictures and its PDF's. WeasyPrint embeds a JPEG as it is (unless the picture's
# EXIF orientation made it redraw it) and a PNG's pixels (its alpha apart, as a soft mask), so
# a JPEG is compared byte for byte and an 8-bit PNG pixel for pixel; a picture neither can be
# compared by (a GIF, a WebP, a palette PNG, a JPEG redrawn upright) only by its size.
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def picture_size(data: bytes) -> tuple[int, int] | None:
    """A JPEG's, PNG's, GIF's or WebP's width and height, from its header; None otherwise."""
    if data.startswith(_PNG) and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        chunk = data[12:16]
        if chunk == b"VP8X":
            return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(
                data[27:30], "little"
            )
        if chunk == b"VP8 ":
            width, height = struct.unpack("<HH", data[26:30])
            return width & 0x3FFF, height & 0x3FFF
        if chunk == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        return None
    at = 2 if data.startswith(b"\xff\xd8") else len(data)
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:
            at += 2
            continue
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return None


def png_planes(data: bytes) -> tuple[int, int, bytes, bytes | None] | None:
    """An 8-bit, non-interlaced PNG's pixels as a PDF holds them: width, height, the colour
    samples row by row and the alpha samples apart (None without alpha); None for any other
    PNG, or one too large to unfilter here."""
    if not data.startswith(_PNG):
        return None
    at, header, chunks = 8, b"", []
    while at + 12 <= len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        at += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind in (b"PLTE", b"tRNS"):
            return None
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
    if len(header) != 13:
        return None
    width, height, depth, colour, _compression, _filter, interlace = struct.unpack(
        ">IIBBBBB", header
    )
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    size = height * (width * (channels or 0) + 1)
    if depth != 8 or interlace or channels is None or not 0 < size <= MAX_PDF_PREDICTED:
        return None
    try:
        inflated = zlib.decompressobj().decompress(b"".join(chunks), size + 1)
    except zlib.error:
        return None
    if len(inflated) != size:
        return None
    rows = _png_rows(inflated, width * channels, channels)
    if channels in (1, 3):
        return width, height, rows, None
    colour_planes = bytearray(len(rows) // channels * (channels - 1))
    for plane in range(channels - 1):
        colour_planes[plane :: channels - 1] = rows[plane::channels]
    return width, height, bytes(colour_planes), rows[channels - 1 :: channels]


def png_idat(data: bytes) -> bytes | None:
    """A PNG's compressed pixel data (its IDAT chunks joined), None when it is not a PNG."""
    if not data.startswith(_PNG):
        return None
    at, chunks = 8, []
    while at + 12 <= len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        if data[at + 4 : at + 8] == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    return b"".join(chunks)


@dataclass
class PdfPicture:
    """A picture a PDF carries: its size, its JPEG bytes or its compressed pixels, and the
    means to decode those (with its soft mask's) when they must be compared one by one."""

    width: int
    height: int
    pdf: PdfFile
    jpeg: bytes | None = None
    stream: PdfStream | None = None
    mask: PdfStream | None = None
    plain: bool = True  # drawn as its samples say: no /Decode, /Mask or odd depth
    matched: bool = False

    def planes(self) -> tuple[int, int, bytes, bytes | None] | None:
        """Width, height, colour samples and alpha samples, as :func:`png_planes` gives a
        PNG's; None for a JPEG or a picture too large to decode here."""
        if self.stream is None or not 0 < self.width * self.height * 4 <= MAX_PDF_PREDICTED:
            return None
        alpha = self.pdf.decoded(self.mask) if self.mask is not None else None
        return self.width, self.height, self.pdf.decoded(self.stream), alpha


def _plain(pdf: PdfFile, image: PdfStream) -> bool:
    """Whether an image is drawn as its samples say: eight bits a sample, a device colour
    space, no colour-key mask or stencil, and no /Decode but the inversion WeasyPrint gives
    an Adobe CMYK JPEG. Anything else could show the same samples as another picture."""
    info = {key: pdf.resolve(value) for key, value in image.info.items()}
    space = info.get("ColorSpace")
    decode = info.get("Decode")
    cmyk = space == "DeviceCMYK" and decode == [1, 0] * 4
    return (
        info.get("BitsPerComponent") == 8
        and space in ("DeviceRGB", "DeviceGray", "DeviceCMYK")
        and "Mask" not in info
        and not info.get("ImageMask")
        and (decode is None or cmyk)
    )


def pdf_pictures(pdf: PdfFile) -> list[PdfPicture]:
    """Every image a PDF holds, drawn or not, its soft mask read with the image it masks."""
    images: list[tuple[int, PdfStream]] = []
    masks: set[int] = set()
    for number in sorted(pdf.where):
        value = pdf.get(number)
        if isinstance(value, PdfStream) and value.info.get("Subtype") == "Image":
            images.append((number, value))
            mask = value.info.get("SMask")
            if isinstance(mask, PdfRef):
                masks.add(mask.number)
    pictures = []
    for number, image in images:
        if number in masks:
            continue
        width = _pdf_int(pdf.resolve(image.info.get("Width")), "an image's /Width")
        height = _pdf_int(pdf.resolve(image.info.get("Height")), "an image's /Height")
        picture = PdfPicture(width, height, pdf, plain=_plain(pdf, image))
        filters = pdf.resolve(image.info.get("Filter"))
        if filters == "DCTDecode" or filters == ["DCTDecode"]:
            picture.jpeg = image.raw
        else:
            mask = pdf.resolve(image.info.get("SMask"))
            picture.stream = image
            picture.mask = mask if isinstance(mask, PdfStream) else None
        pictures.append(picture)
    return pictures


def page_pictures(page: str) -> list[bytes]:
    """The distinct pictures a report's page shows (``<img>`` with a ``data:`` address), in
    order; a picture that is not one (another address, bad base64) is empty bytes."""
    found: dict[bytes, None] = {}
    for kind, value, attributes in html_parts(page):
        if kind in ("start", "alone") and value == "img":
            source = attributes.get("src", "")
            head, _, body = source.partition(",")
            data = b""
            if head.startswith("data:") and head.endswith(";base64"):
                try:
                    data = base64.b64decode(body, validate=False)
                except ValueError:
                    data = b""
            found.setdefault(data, None)
    return list(found)


def _same_pixels(data: bytes, picture: PdfPicture, planes: dict[str, Any]) -> bool:
    """Whether a PNG of the page and a pixel picture of the PDF hold the same pixels: at once
    when the PDF holds the PNG's own compressed rows (a PNG without alpha, written as
    WeasyPrint writes one), else decoded (``planes`` keeps the PNG's, decoded once)."""
    if picture.stream is None or not picture.plain:
        return False
    if picture.mask is None and picture.stream.raw == png_idat(data):
        return True
    if "png" not in planes:
        planes["png"] = png_planes(data)
    return planes["png"] is not None and picture.planes() == planes["png"]


def pictures_problem(page: str, printed: list[PdfPicture]) -> tuple[str | None, str]:
    """Whether a PDF carries exactly its page's pictures: the problem (None when it does) and
    how they were compared."""
    exact = pixel = by_size = 0
    for number, data in enumerate(page_pictures(page), start=1):
        size = picture_size(data)
        is_png = data.startswith(_PNG)
        planes: dict[str, Any] = {}
        found = None
        for picture in printed:
            if picture.matched:
                continue
            if picture.plain and data.startswith(b"\xff\xd8") and picture.jpeg == data:
                found, exact = picture, exact + 1
                break
            same_size = size == (picture.width, picture.height)
            if is_png and same_size and _same_pixels(data, picture, planes):
                found, pixel = picture, pixel + 1
                break
        redrawn = data.startswith(b"\xff\xd8") and b"Exif\0\0" in data[:65536]
        if is_png:
            if "png" not in planes:
                planes["png"] = png_planes(data)
            comparable = planes["png"] is not None
        else:
            comparable = data.startswith(b"\xff\xd8") and not redrawn
        if found is None and not comparable and size is not None:
            for picture in printed:
                if picture.matched:
                    continue
                sizes = {size, size[::-1]} if redrawn else {size}
                if (picture.width, picture.height) in sizes:
                    found, by_size = picture, by_size + 1
                    break
        if found is None:
            shown = f"{size[0]}×{size[1]}" if size else "unreadable"
            return f"it does not carry the page's picture {number} ({shown}) as it is", ""
        found.matched = True
    extra = next((p for p in printed if not p.matched), None)
    if extra is not None:
        return f"it carries a picture ({extra.width}×{extra.height}) its page does not show", ""
    how = f"{exact + pixel + by_size} picture(s) of the page, {exact} byte for byte and {pixel}"
    how += " pixel for pixel" + (f", {by_size} by size only" if by_size else "")
    return None, how


def check_reports(bundle: Bundle, outcome: Outcome, findings: dict[str, Any]) -> None:
    """Each finding's report (``report/<incident>.html``) prints the finding's own figures
    wherever it marks one, and marks every figure a reader takes its conclusion from."""
    for incident, body in findings.items():
        member = f"report/{incident}.html"
        data = _listed_member(
            bundle,
            outcome,
            member,
            f"finding {value_text(incident)}: its report {value_text(member)} is not among"
            " the manifest's members",
        )
        if data is None:
            continue
        try:
            problems, count = report_problems(data.decode("utf-8"), body)
        except UnicodeDecodeError:
            problems, count = ["it is not UTF-8 text"], 0
        shown = value_text(member)
        outcome.failures += [f"report {shown}: {problem}" for problem in problems[:20]]
        if len(problems) > 20:
            outcome.failures.append(f"report {shown}: {len(problems) - 20} more such problems")
        if not problems:
            outcome.summary.append(
                f"report {shown}: its {count} marked figures are the finding's (posteriors,"
                " band, confidence, ratings, inputs hash)"
            )
            check_printed(bundle, outcome, f"report/{incident}.pdf", data.decode("utf-8"))


def check_printed(bundle: Bundle, outcome: Outcome, member: str, page: str) -> None:
    """A report's PDF, when the bundle carries one, prints its checked page: every character,
    in the same order, with nothing added but what the page's print styles add; and it
    carries the page's pictures and no other."""
    info = bundle.infos.get(member)
    if member not in bundle.listed or info is None:
        return
    shown = value_text(member)
    if info.file_size > MAX_PDF:
        outcome.failures.append(f"report {shown}: larger than {MAX_PDF >> 20} MiB")
        return
    data = _listed_member(bundle, outcome, member, "")
    if data is None:
        return
    try:
        pdf, pages = read_pdf(data)
        added = pdf_additions(pdf)
        problem = pdf_problem(page, pages)
        pictures, compared = pictures_problem(page, pdf_pictures(pdf))
    except (PdfError, ValueError, TypeError, LookupError, AttributeError, zlib.error) as exc:
        outcome.failures.append(f"report {shown}: it cannot be read back ({value_text(exc)})")
        return
    except RecursionError:
        outcome.failures.append(f"report {shown}: it cannot be read back (it nests too deep)")
        return
    if added is not None:
        outcome.failures.append(f"report {shown}: {added}")
    if problem is not None:
        outcome.failures.append(f"report {shown}: it does not print its page: {problem}")
    if pictures is not None:
        outcome.failures.append(f"report {shown}: {pictures}")
    if added is None and problem is None and pictures is None:
        outcome.summary.append(
            f"report {shown}: its {len(pages)} pages print the checked page, character for"
            " character in the same order (list numbers, running heads and page numbers"
            f" aside); it carries {compared}"
        )


def check(
    path: Path,
    key_path: Path | None = None,
    progress: Any = None,
    tsa_certificate: Path | None = None,
) -> Outcome:
    """Every check of the bundle at ``path``; ``progress`` (if given) is called with byte counts.
    ``tsa_certificate`` pins the timestamping authority whose token the bundle must carry."""
    outcome = Outcome(str(path))
    try:
        key = read_public_key(key_path) if key_path is not None else None
        pinned = read_certificate(tsa_certificate) if tsa_certificate is not None else None
        with open_archive(path) as archive:
            bundle = load_manifest(archive, str(path))
            manifest = bundle.manifest
            subject = manifest.get("subject") or {}
            outcome.summary.append(
                f"bundle: {value_text(manifest.get('kind') or '?')}"
                f" {value_text(subject.get('name') or '')}"
                f" made {value_text(manifest.get('created_at') or '?')}"
                f" by {value_text(manifest.get('generator') or '?')};"
                f" {len(manifest['members'])} members"
            )
            check_members(bundle, outcome, progress)
            check_timestamp(bundle, outcome, pinned)
            check_signature(bundle, outcome, key)
            receipts = check_ledger(bundle, outcome)
            check_items(bundle, outcome, receipts)
            check_reports(bundle, outcome, check_findings(bundle, outcome))
    except Unreadable as exc:
        outcome.unreadable = str(exc)
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error, NotImplementedError) as exc:
        outcome.unreadable = f"{path}: unreadable archive ({exc})"
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, OverflowError) as exc:
        # A malformation no check above foresaw: still one line and exit 2, never a traceback
        # (which a court's clerk cannot read, and which would say nothing about the bundle).
        outcome.unreadable = f"{path}: malformed bundle ({type(exc).__name__}: {value_text(exc)})"
    return outcome


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="verify_bundle.py",
        description="Check an enquiry bundle offline: members, signature, custody chain, findings.",
    )
    parser.add_argument("bundle", type=Path, help="the bundle (.zip)")
    parser.add_argument("--key", type=Path, help="the signer's public key (JSON) you trust")
    parser.add_argument(
        "--tsa-cert", type=Path, help="the timestamping authority's certificate you trust"
    )
    args = parser.parse_args(argv)
    outcome = check(args.bundle, args.key, tsa_certificate=args.tsa_cert)
    stream = sys.stdout if outcome.status != 2 else sys.stderr
    for line in outcome.lines():
        print(line, file=stream)
    return outcome.status


if __name__ == "__main__":
    sys.exit(main())
