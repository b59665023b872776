#!/usr/bin/env python3
"""Check an enquiry bundle with nothing but the bundle, the signer's public key and this file.

A bundle is one ZIP archive. ``manifest.json`` lists every other member with its size and
SHA-256, the items the bundle is about, the custody ledger's head and who signed it;
``signature.json`` holds the Ed25519 signature over the exact bytes of ``manifest.json``. This
file re-does every check an outsider needs — each member's bytes, members missing or not in the
manifest, the signature and the key, the ledger's hash chain event by event up to the signed
head, each item's receipt in that chain, and each finding's inputs hash — and names, for every
failure, the member, item or event and why.

It deliberately imports nothing from enquiry: it is the same file as ``tools/verify_bundle.py``
in the repository, so that a court or the accused state can read, audit and run it with only the
Python standard library and ``cryptography``:

    python3 tools/verify_bundle.py BUNDLE.zip --key PUBLIC-KEY.json

Exit status: 0 when everything holds, 1 when anything fails, 2 when the file cannot be read as a
bundle at all (not a ZIP, truncated, unsafe member names, a zip bomb).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import stat
import sys
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

FORMAT = "enquiry-bundle/1"
KEY_FORMAT = "enquiry-public-key/1"
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
UNLISTED = frozenset({MANIFEST, SIGNATURE})
GENESIS = "0" * 64
CHUNK = 1 << 20

MAX_MEMBERS = 1_000_000
MAX_MANIFEST = 256 << 20  # bytes of manifest.json
MAX_SMALL = 512 << 20  # bytes of any member read whole (the ledger, findings)
MAX_RATIO = 200  # uncompressed / compressed beyond this is a zip bomb, not evidence
RATIO_FLOOR = 16 << 20  # ... once a member is larger than this


class Unreadable(Exception):
    """The file cannot be read as a bundle at all; the message is the whole line."""


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


def read_public_key(path: Path) -> PublicKey:
    """Read a public-key file; a revocation in it must be signed by the key itself."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"{path}: cannot read the key ({exc.strerror or exc})") from None
    if len(data) > 1 << 16:
        raise Unreadable(f"{path}: not a public key (too large)")
    try:
        body = json.loads(data.decode("utf-8"))
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

    @property
    def status(self) -> int:
        if self.unreadable is not None:
            return 2
        return 1 if self.failures else 0

    def lines(self) -> list[str]:
        """The report, as both this script and ``enquiry bundle verify`` print it."""
        if self.unreadable is not None:
            return [f"NOT VERIFIED: {self.unreadable}"]
        out = list(self.summary)
        out += [f"FAILED: {line}" for line in self.failures]
        out += [f"note: {line}" for line in self.notes]
        if self.failures:
            out.append(f"NOT VERIFIED: {len(self.failures)} failure(s) in {self.source}")
        else:
            out.append(f"VERIFIED: {self.source}")
        return out


def _safe_name(name: str) -> str | None:
    """Why a member name is unsafe to extract (absolute, climbing, odd), or None."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return "an absolute or malformed path"
    if len(name) > 1024:
        return "a name too long"
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
        _check_members(shown, archive)
    except Unreadable:
        archive.close()
        raise
    return archive


def _check_members(shown: str, archive: zipfile.ZipFile) -> None:
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
        if info.flag_bits & 0x1:
            raise Unreadable(f"{shown}: member {info.filename!r} is encrypted; refused")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Unreadable(f"{shown}: member {info.filename!r} uses an unsupported compression")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Unreadable(
                f"{shown}: member {info.filename!r} expands {info.compress_size} bytes to"
                f" {info.file_size} (a zip bomb); refused"
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


def load_manifest(archive: zipfile.ZipFile, shown: str) -> Bundle:
    infos = {info.filename: info for info in archive.infolist()}
    if MANIFEST not in infos:
        raise Unreadable(f"{shown}: no {MANIFEST} in the archive (not an enquiry bundle)")
    try:
        data = read_member(archive, infos[MANIFEST], MAX_MANIFEST)
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise Unreadable(f"{shown}: {MANIFEST} is not valid JSON ({exc})") from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise Unreadable(f"{shown}: {MANIFEST} cannot be read ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Unreadable(f"{shown}: {MANIFEST} is not of format {FORMAT}")
    if not isinstance(manifest.get("members"), list):
        raise Unreadable(f"{shown}: {MANIFEST} has no list of members")
    return Bundle(archive, data, manifest, infos)


def check_members(bundle: Bundle, outcome: Outcome, progress: Any = None) -> None:
    """Every listed member present with its size and SHA-256; every member listed."""
    listed: set[str] = set()
    for entry in bundle.manifest["members"]:
        try:
            name, size, sha = str(entry["path"]), int(entry["size"]), str(entry["sha256"])
        except (KeyError, TypeError, ValueError):
            outcome.failures.append(f"{MANIFEST}: a member entry is malformed ({entry!r:.80})")
            continue
        if name in listed:
            outcome.failures.append(f"{MANIFEST}: member {name} is listed twice")
        listed.add(name)
        info = bundle.infos.get(name)
        if info is None:
            outcome.failures.append(f"member {name}: missing from the archive")
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
        except (OSError, EOFError, ValueError, zlib.error) as exc:
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
    if info is None or not isinstance(signer, dict):
        if key is not None:
            outcome.failures.append(f"{SIGNATURE}: missing — the bundle is not signed")
        else:
            outcome.notes.append("the bundle is not signed: nothing ties it to its author")
        return
    try:
        body = json.loads(read_member(bundle.archive, info, 1 << 16).decode("utf-8"))
        signature = base64.b64decode(body["signature"], validate=True)
        named = str(body["fingerprint"])
    except (Unreadable, UnicodeDecodeError, ValueError, KeyError, TypeError):
        outcome.failures.append(f"{SIGNATURE}: malformed")
        return
    claimed = str(signer.get("fingerprint", ""))
    if named != claimed:
        outcome.failures.append(
            f"{SIGNATURE}: names key {named[:16]}, the manifest names {claimed[:16]}"
        )
        return
    label = f"key '{signer.get('key', '')}' ({claimed[:16]})"
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
            outcome.notes.append(
                f"signed by {label}; no --key given, so it is not checked that this is a key"
                " you trust"
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
    signed_at = str(signer.get("signed_at", ""))
    if key.revoked_at is not None:
        if signed_at >= key.revoked_at:
            outcome.failures.append(
                f"{SIGNATURE}: {label} was revoked at {key.revoked_at}; the bundle was signed"
                f" after, at {signed_at}"
            )
            return
        outcome.notes.append(
            f"{label} was revoked at {key.revoked_at}; this bundle was signed before, at"
            f" {signed_at} (the signer's own clock)"
        )
    outcome.summary.append(f"signature: valid, by {label} at {signed_at}")


def _events(bundle: Bundle, outcome: Outcome, member: str) -> list[dict[str, Any]] | None:
    info = bundle.infos.get(member)
    if info is None or member not in bundle.verified:
        return None  # already reported by check_members
    try:
        text = read_member(bundle.archive, info).decode("utf-8")
    except (Unreadable, UnicodeDecodeError) as exc:
        outcome.failures.append(f"member {member}: unreadable ({exc})")
        return None
    events: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), 1):
        try:
            event = json.loads(line)
            if not isinstance(event, dict):
                raise ValueError
            int(event["seq"])
        except (ValueError, KeyError, TypeError):
            outcome.failures.append(f"member {member}: line {number} is not an event")
            return None
        events.append(event)
    return events


def check_ledger(bundle: Bundle, outcome: Outcome) -> dict[int, list[dict[str, Any]]]:
    """Recompute every event's hash and link, event 1 to the signed head; return the full
    events by item."""
    ledger = bundle.manifest.get("ledger")
    by_item: dict[int, list[dict[str, Any]]] = {}
    if not isinstance(ledger, dict):
        outcome.failures.append(f"{MANIFEST}: no ledger section")
        return by_item
    member = str(ledger.get("member", ""))
    events = _events(bundle, outcome, member)
    if events is None:
        return by_item
    expected, previous, elided = 1, GENESIS, 0
    for event in events:
        seq = int(event["seq"])
        what = f"event {seq}" + (f" ({event['action']})" if "action" in event else "")
        if seq != expected:
            outcome.failures.append(f"ledger: event {expected} missing (the chain jumps to {seq})")
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
            if isinstance(event.get("item"), int):
                by_item.setdefault(event["item"], []).append(event)
        expected, previous = seq + 1, str(event.get("hash"))
    head = ledger.get("head") or {}
    if (expected - 1, previous) != (head.get("seq"), head.get("hash")):
        outcome.failures.append(
            f"ledger: the chain ends at event {expected - 1} ({previous[:12]}), the signed head"
            f" is event {head.get('seq')} ({str(head.get('hash'))[:12]})"
        )
    outcome.summary.append(
        f"ledger: {len(events)} events, chain recomputed to the head (event {expected - 1},"
        f" {previous[:16]})"
        + (f"; {elided} event(s) of other matters by hash only" if elided else "")
    )
    return by_item


def check_items(bundle: Bundle, outcome: Outcome, by_item: dict[int, list[dict[str, Any]]]) -> None:
    """Each item's original is the member it names, and the ledger records its receipt."""
    items = bundle.manifest.get("items") or []
    withheld = 0
    for item in items:
        number = item.get("id")
        sha = str(item.get("sha256") or "")
        label = f"item {number}"
        member = item.get("member")
        if member:
            if f"originals/{sha}" != member:
                outcome.failures.append(f"{label}: its member {member} is not named by its hash")
            elif member in bundle.verified and bundle.verified[member] != sha:
                outcome.failures.append(f"{label}: member {member} does not hold its original")
        elif sha:
            withheld += 1
            outcome.notes.append(
                f"{label} ({item.get('kind')}, sha256 {sha[:12]}): content {item.get('content')}"
                " — withheld from this bundle, its hash is vouched for"
            )
        events = by_item.get(number) if isinstance(number, int) else None
        if item.get("ledger") == "elided":
            continue
        if sha and not any(_records(event, sha) for event in events or ()):
            outcome.failures.append(
                f"{label}: no event in the ledger records its receipt with sha256 {sha[:12]}"
            )
    outcome.summary.append(
        f"items: {len(items)}" + (f", {withheld} withheld (hash only)" if withheld else "")
    )


def _records(event: dict[str, Any], sha: str) -> bool:
    try:
        details = json.loads(event["details"])
    except (TypeError, ValueError, KeyError):
        return False
    return isinstance(details, dict) and details.get("sha256") == sha


def check_findings(bundle: Bundle, outcome: Outcome) -> None:
    """Each finding's inputs hash to what the finding says it was computed from."""
    for entry in bundle.manifest.get("findings") or []:
        member = str(entry.get("member", ""))
        info = bundle.infos.get(member)
        if info is None or member not in bundle.verified:
            continue
        try:
            body = json.loads(read_member(bundle.archive, info).decode("utf-8"))
            inputs, claimed = body["inputs"], str(body["inputs_sha256"])
        except (Unreadable, UnicodeDecodeError, ValueError, KeyError, TypeError):
            outcome.failures.append(f"member {member}: not a finding")
            continue
        actual = hashlib.sha256(canonical(inputs).encode("utf-8")).hexdigest()
        if actual != claimed:
            outcome.failures.append(
                f"member {member}: its inputs hash to {actual[:12]}, the finding says"
                f" {claimed[:12]}"
            )
        else:
            outcome.summary.append(
                f"finding {entry.get('incident')}: engine {body.get('engine_version')},"
                f" inputs {claimed[:16]} recomputed"
            )


def check(path: Path, key_path: Path | None = None, progress: Any = None) -> Outcome:
    """Every check of the bundle at ``path``; ``progress`` (if given) is called with byte counts."""
    outcome = Outcome(str(path))
    try:
        key = read_public_key(key_path) if key_path is not None else None
        with open_archive(path) as archive:
            bundle = load_manifest(archive, str(path))
            manifest = bundle.manifest
            subject = manifest.get("subject") or {}
            outcome.summary.append(
                f"bundle: {manifest.get('kind', '?')} {subject.get('name', '')!s}"
                f" made {manifest.get('created_at', '?')} by {manifest.get('generator', '?')};"
                f" {len(manifest['members'])} members"
            )
            check_members(bundle, outcome, progress)
            check_signature(bundle, outcome, key)
            by_item = check_ledger(bundle, outcome)
            check_items(bundle, outcome, by_item)
            check_findings(bundle, outcome)
    except Unreadable as exc:
        outcome.unreadable = str(exc)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        outcome.unreadable = f"{path}: unreadable archive ({exc})"
    return outcome


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="verify_bundle.py",
        description="Check an enquiry bundle offline: members, signature, custody chain, findings.",
    )
    parser.add_argument("bundle", type=Path, help="the bundle (.zip)")
    parser.add_argument("--key", type=Path, help="the signer's public key (JSON) you trust")
    args = parser.parse_args(argv)
    outcome = check(args.bundle, args.key)
    stream = sys.stdout if outcome.status != 2 else sys.stderr
    for line in outcome.lines():
        print(line, file=stream)
    return outcome.status


if __name__ == "__main__":
    sys.exit(main())
