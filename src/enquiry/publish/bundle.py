"""Writing bundles: one ZIP archive that anyone can check without this home or its database.

Every member is hashed as it is written, and ``manifest.json`` lists each one with its size and
SHA-256, the items, the custody ledger's head and the signer; the signature covers the
manifest's exact bytes. The ledger goes in whole, event 1 to the head, so the chain can be
recomputed offline: events about the bundle's case are carried in full, all others — another
case's, or a protected item's when its identity is withheld — by their number and hashes only,
which still lets the links be checked. What each check means is in :mod:`bundle_check`, which is
also the stand-alone ``tools/verify_bundle.py``.

Originals are read through :func:`open_original` alone, so a change in how the vault keeps them
(encryption at rest) changes one function.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Connection, Engine, delete, insert, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

import enquiry
from enquiry.errors import BadRequest, CatalogueError, Corrupt, EnquiryError, Refused
from enquiry.publish import bundle_check
from enquiry.publish.bundle_check import (
    FORMAT,
    MANIFEST,
    PUBLISHED_REDACTION,
    SIGNATURE,
    TIMESTAMP,
)
from enquiry.store import Store
from enquiry.store import index as search_index
from enquiry.store.db import (
    SQLITE_FILE,
    bind_restored,
    catalogue_home,
    make_engine,
    migrate_within,
    public_url,
    upgrade,
)
from enquiry.store.ledger import HEAD_LOCK, head_for_copy, head_text, read_head_file
from enquiry.store.tables import Base, CustodyEvent, Item, LedgerHead, WithheldItem
from enquiry.store.vault import CHUNK, temp_beside

LEDGER_MEMBER = "ledger/events.jsonl"
ORIGINALS = "originals/"
# Where a redacted bundle's case file names a carried protected redaction (an entry marked
# ``published``: bundle_check.PUBLISHED_REDACTION): never under the name it arrived with.
PUBLISHED_FOLDER = "published/"
HOME_PREFIX = "home/"

# Originals are mostly compressed media already: storing them is as fast as copying, and keeps
# verification at the speed of hashing.
DEFLATE_BELOW = 0  # members written with deflate: text ones, whatever their size


def open_original(store: Store, sha256: str) -> BinaryIO:
    """The stored original's bytes, for reading; the one way a bundle reads the vault.

    A protected original is held only as ciphertext: it is decrypted (with the protection key
    given to this process, else refused) into a private copy in memory that is gone once
    closed (see :meth:`Opener.plain_copy`), checked against its SHA-256, and checked again as
    it is copied into the bundle."""
    from enquiry.store.protected import Opener
    from enquiry.store.tables import Item, ItemKey

    with store.engine.connect() as connection:
        encrypted = connection.execute(
            select(ItemKey.item_id, Item.size)
            .join(Item, Item.id == ItemKey.item_id)
            .where(Item.sha256 == sha256)
            .limit(1)
        ).first()
        if encrypted is not None:
            copy = Opener(connection).plain_copy(
                store.vault, int(encrypted[0]), int(encrypted[1] or 0)
            )
            try:
                return copy.path.open("rb")  # its own handle: it outlives the copy's name
            finally:
                copy.remove()
    try:
        return store.vault.open(sha256)
    except FileNotFoundError:
        raise Corrupt(f"blob {sha256[:12]} is missing from the vault") from None
    except OSError as exc:
        raise Corrupt(f"blob {sha256[:12]} cannot be read ({exc.strerror or exc})") from None


@dataclass
class Signer:
    """Who signs: the key's name, public half and a function that signs bytes."""

    name: str
    fingerprint: str
    public_key: str
    sign: Callable[[bytes], bytes]


@dataclass
class Written:
    """A bundle on disk: its file's and its manifest's hashes, and what it holds."""

    path: Path
    sha256: str
    size: int
    manifest_sha256: str
    manifest: dict[str, Any]
    members: int


@dataclass
class _Writer:
    """Adds members to the archive, hashing each as it goes."""

    archive: zipfile.ZipFile
    entries: list[dict[str, Any]] = field(default_factory=list)
    progress: Callable[[int], None] | None = None

    def add_bytes(self, name: str, data: bytes, *, compress: bool = True) -> str:
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        self.archive.writestr(info, data)
        digest = hashlib.sha256(data).hexdigest()
        self.entries.append({"path": name, "size": len(data), "sha256": digest})
        return digest

    def add_stream(self, name: str, handle: BinaryIO, *, expect: str | None = None) -> str:
        """Copy ``handle`` in as ``name``; with ``expect``, bytes that do not hash to it are
        refused (a corrupt original never reaches a bundle)."""
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = 0o444 << 16
        digest = hashlib.sha256()
        size = 0
        with self.archive.open(info, "w", force_zip64=True) as out:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
                if self.progress is not None:
                    self.progress(len(chunk))
        actual = digest.hexdigest()
        if expect is not None and actual != expect:
            raise Corrupt(
                f"blob {expect[:12]} is corrupt: its bytes now hash to {actual[:12]}; the bundle"
                " was not written"
            )
        self.entries.append({"path": name, "size": size, "sha256": actual})
        return actual


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def ledger_lines(
    store: Store, full: Callable[[Any], bool], *, engine: Engine | None = None
) -> tuple[bytes, dict[str, Any]]:
    """The whole chain as JSON lines: events ``full`` accepts in full, others by hash only.

    ``engine`` reads the chain from a snapshot of the catalogue instead of the live one, so a
    backup's ledger member and its catalogue end at the same head."""
    lines: list[str] = []
    with (engine or store.engine).connect() as connection:
        head = connection.execute(select(LedgerHead.seq, LedgerHead.hash)).one()
        rows = connection.execute(
            select(CustodyEvent.__table__)
            .where(CustodyEvent.seq <= head.seq)
            .order_by(CustodyEvent.seq)
            .execution_options(yield_per=5000)
        )
        for row in rows:
            if full(row):
                event = {
                    "seq": row.seq,
                    "at": row.at,
                    "actor": row.actor,
                    "action": row.action,
                    "case": row.case_id,
                    "item": row.item_id,
                    "details": row.details,
                    "prev": row.prev_hash,
                    "hash": row.hash,
                }
            else:
                event = {"seq": row.seq, "prev": row.prev_hash, "hash": row.hash, "elided": True}
            lines.append(bundle_check.canonical(event))
    text = "".join(line + "\n" for line in lines)
    return text.encode("utf-8"), {
        "member": LEDGER_MEMBER,
        "head": {"seq": head.seq, "hash": head.hash},
    }


@contextmanager
def _archive(output: Path) -> Iterator[tuple[zipfile.ZipFile, Path]]:
    """A new archive written beside ``output`` and moved into place only when complete."""
    output.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_beside(output)
    try:
        with zipfile.ZipFile(temp, "x", allowZip64=True) as archive:
            yield archive, temp
        os.replace(temp, output)
    finally:
        temp.unlink(missing_ok=True)


Stamper = Callable[[bytes], bytes]  # manifest bytes -> an RFC 3161 token over their hash


def _finish(
    writer: _Writer,
    manifest: dict[str, Any],
    signer: Signer | None,
    signed_at: str,
    stamper: Stamper | None = None,
) -> bytes:
    manifest["members"] = sorted(writer.entries, key=lambda entry: entry["path"])
    if signer is not None:
        manifest["signer"] = {
            "key": signer.name,
            "algorithm": "ed25519",
            "fingerprint": signer.fingerprint,
            "public_key": signer.public_key,
            "signed_at": signed_at,
        }
    data = _json_bytes(manifest)
    writer.archive.writestr(zipfile.ZipInfo(MANIFEST, date_time=(1980, 1, 1, 0, 0, 0)), data)
    if signer is not None:
        import base64

        signature = base64.b64encode(signer.sign(data)).decode("ascii")
        body = {"fingerprint": signer.fingerprint, "signature": signature}
        writer.archive.writestr(
            zipfile.ZipInfo(SIGNATURE, date_time=(1980, 1, 1, 0, 0, 0)), _json_bytes(body)
        )
    if stamper is not None:
        writer.archive.writestr(
            zipfile.ZipInfo(TIMESTAMP, date_time=(1980, 1, 1, 0, 0, 0)), stamper(data)
        )
    return data


def _file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@dataclass
class CaseContent:
    """What a case bundle carries besides the originals, prepared by the caller."""

    case_id: int
    case_name: str
    incident: str | None
    casefile: dict[str, Any]
    findings: list[dict[str, Any]]  # {"incident", "body", "html", "pdf"}
    hidden_items: set[int]  # protected items whose identity this bundle withholds
    reveal: bool
    hashes_only: bool


def withheld_items(store: Store, case_id: int) -> dict[int, str]:
    """Items of the case whose bytes this home never received (item id → reason)."""
    with store.session() as session:
        rows = session.execute(
            select(WithheldItem.item_id, WithheldItem.reason)
            .join(Item, Item.id == WithheldItem.item_id)
            .where(Item.case_id == case_id)
        )
        return {int(item_id): str(reason) for item_id, reason in rows}


def write_case_bundle(
    store: Store,
    content: CaseContent,
    output: Path,
    *,
    signer: Signer | None,
    created_at: str,
    progress: Callable[[int], None] | None = None,
    stamper: Stamper | None = None,
) -> Written:
    """Write the case's bundle to ``output`` (atomically); nothing is recorded here."""
    with store.session() as session:
        items = list(
            session.scalars(select(Item).where(Item.case_id == content.case_id).order_by(Item.id))
        )
    absent = withheld_items(store, content.case_id)
    case_items = {item.id for item in items}
    kept_back, published = _bytes_out(store, items, content)
    item_entries: list[dict[str, Any]] = []
    included: dict[str, int] = {}
    for item in items:
        hidden = item.id in content.hidden_items
        if not item.sha256:
            state = "none"
        elif item.id in absent:
            state = absent[item.id]  # as the bundle it came in had it: never its bytes here
        elif (hidden and item.id not in published) or item.id in kept_back:
            state = "redacted"
        elif content.hashes_only:
            state = "hashes-only"
        else:
            state = "included"
            included.setdefault(item.sha256, item.size or 0)
        entry: dict[str, Any] = {
            "id": item.id,
            "key": item.key,
            "kind": item.kind,
            "sha256": item.sha256,
            "size": item.size,
            "media_type": item.media_type,
            "protected": bool(item.protected),
            "content": state,
            "member": ORIGINALS + item.sha256 if state == "included" and item.sha256 else None,
            "ledger": "elided" if hidden else "full",
        }
        if hidden and state == "included":
            entry["published"] = PUBLISHED_REDACTION
        item_entries.append(entry)

    shield = _Shield.of(store, content)
    elided: set[int] = set()  # items with an event carried by hash only for what it names

    def full(event: Any) -> bool:
        if event.item_id is not None:
            if event.item_id not in case_items or event.item_id in content.hidden_items:
                return False
        elif event.case_id != content.case_id:
            return False
        if shield.withholds(event.details):
            if event.item_id is not None:
                elided.add(event.item_id)
            return False
        return True

    ledger_bytes, ledger = ledger_lines(store, full)
    for entry in item_entries:
        if entry["id"] in elided:
            entry["ledger"] = "elided"
    casefile = shield.casefile(
        _casefile_for_bundle(
            content.casefile,
            {e["sha256"] for e in item_entries if e["member"]},
            {e["sha256"]: e["media_type"] for e in item_entries if e.get("published")},
            redactions(store, items),
        )
    )
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "kind": "case",
        "subject": {
            "name": content.case_name,
            "case": content.case_name,
            "incident": content.incident,
        },
        "created_at": created_at,
        "generator": f"enquiry {enquiry.__version__}",
        "options": {
            "protected": "revealed" if content.reveal else "redacted",
            "hashes_only": content.hashes_only,
        },
        "items": item_entries,
        "ledger": ledger,
        "findings": [],
    }
    from enquiry.intake.casefile import to_yaml

    with _archive(output) as (archive, _temp):
        writer = _Writer(archive, progress=progress)
        writer.add_bytes("case/case.yaml", to_yaml(casefile).encode("utf-8"))
        writer.add_bytes(LEDGER_MEMBER, ledger_bytes)
        for finding in content.findings:
            slug = str(finding["incident"])
            member = f"findings/{slug}.json"
            writer.add_bytes(member, _json_bytes(finding["body"]))
            manifest["findings"].append({"incident": slug, "member": member})
            writer.add_bytes(f"report/{slug}.html", finding["html"])
            if finding.get("pdf") is not None:
                writer.add_bytes(f"report/{slug}.pdf", finding["pdf"])
        for sha in sorted(included):
            with open_original(store, sha) as handle:
                writer.add_stream(ORIGINALS + sha, handle, expect=sha)
        data = _finish(writer, manifest, signer, created_at, stamper)
        count = len(writer.entries)
    digest, size = _file_digest(output)
    return Written(output, digest, size, hashlib.sha256(data).hexdigest(), manifest, count)


def _bytes_out(store: Store, items: list[Item], content: CaseContent) -> tuple[set[int], set[int]]:
    """Which items' bytes the family rule (:mod:`enquiry.publish.lineage`) keeps out of the
    bundle, and which protected items' bytes it lets in — the same rule the report follows for
    its photographs, so that a bundle carries the bytes of what its report may publish.

    Kept back, although not protected themselves: a sensitive photo or video, an unconfirmed
    redaction, a crop or still of protected or sensitive evidence, anything made from a sealed
    item (with ``reveal``, only what a seal destroyed). Let in, although protected (as made from
    a protected photo): a confirmed redaction of a family no seal reached. Its identity stays
    withheld like any protected item's — its events by hash only, its arrival name out of the
    case file — only its published pixels are carried, so that the picture the report shows
    can be checked by its hash.

    Of an original with more than one confirmed redaction, the report publishes the newest
    (:func:`enquiry.app.redaction.publishable_picture`), and so the bundle carries only its
    bytes: an older one, superseded — made again, perhaps, because it missed a face — is kept
    back like any withheld item, by its hash, unless the bundle reveals (the family rule:
    :attr:`~enquiry.publish.lineage.Lineage.superseded_by`)."""
    from enquiry.publish.lineage import judge

    wanted = [item.id for item in items if item.sha256]
    with store.engine.connect() as connection:
        families = judge(connection, wanted)
    kept_back = {
        item_id
        for item_id, family in families.items()
        if item_id not in content.hidden_items
        and family.withheld(reveal=content.reveal) is not None
    }
    published = {
        item_id
        for item_id, family in families.items()
        if item_id in content.hidden_items
        and family.item.redaction
        and family.withheld(reveal=False) is None
    }
    return kept_back, published


@dataclass
class _Shield:
    """What of a redacted bundle's ledger and case file would name a protected witness.

    The report withholds a protected item's identity wherever it is written (see
    :class:`~enquiry.publish.inputs.Withholding`); the ledger and the case file a bundle
    carries must not give back what the report withholds. An event cannot be edited (its hash
    would break), so one that names a protected identity, or is about a claim read from a
    protected item (its words), is carried by its hash only; the case file's free text has each
    identity replaced by "[withheld N]"."""

    withholding: Any  # enquiry.publish.inputs.Withholding, or None when revealed
    hidden_items: set[int]
    hidden_claim_ids: set[int]
    hidden_claim_keys: set[str]

    @classmethod
    def of(cls, store: Store, content: CaseContent) -> _Shield:
        from enquiry.publish.inputs import Withholding, opened_items
        from enquiry.store.tables import Claim

        if content.reveal:
            return cls(None, set(), set(), set())
        with store.session() as session:
            items = list(session.scalars(select(Item).where(Item.case_id == content.case_id)))
            claims = list(session.scalars(select(Claim).where(Claim.case_id == content.case_id)))
            # The identities to look for are in the protected items' encrypted records; the
            # application core has made sure the key is given (see app.publishing).
            withholding = Withholding(opened_items(session, items), claims, reveal=False)
        hidden = set(content.hidden_items)
        shielded = [c for c in claims if c.item_id in hidden]
        return cls(
            withholding,
            hidden,
            {c.id for c in shielded},
            {str(c.key) for c in shielded if c.key},
        )

    def withholds(self, details: str) -> bool:
        """Whether an event with these details must be carried by its hash only."""
        if self.withholding is None:
            return False
        try:
            body = json.loads(details)
        except (TypeError, ValueError):
            return bool(self.withholding.names(str(details)))
        if isinstance(body, dict):
            claim = body.get("claim")
            key = claim.get("key") if isinstance(claim, dict) else claim
            if (
                body.get("item_id") in self.hidden_items
                or body.get("claim_id") in self.hidden_claim_ids
                or (isinstance(key, str) and key in self.hidden_claim_keys)
            ):
                return True
        return bool(self.withholding.names(json.dumps(body, ensure_ascii=False)))

    def casefile(self, doc: dict[str, Any]) -> dict[str, Any]:
        """The case file with every protected identity in its free text replaced; an item's
        inline ``text`` (its content, named by its SHA-256) is left as it is."""
        if self.withholding is None:
            return doc

        def scrub(value: Any) -> Any:
            if isinstance(value, str):
                return self.withholding.numbered(value)
            if isinstance(value, list):
                return [scrub(v) for v in value]
            if isinstance(value, dict):
                return {k: scrub(v) for k, v in value.items()}
            return value

        def kept(item: dict[str, Any], key: str, value: Any) -> bool:
            # An item's content, its hash, and the stand-in name of a carried redaction (its
            # hash again: :func:`stand_in_name`) — which a home that imported the redaction
            # holds as its arrival name — name no witness.
            if key in ("text", "sha256"):
                return True
            stand_in = f"{PUBLISHED_FOLDER}{item.get('sha256')}"
            return key == "file" and isinstance(value, str) and value.startswith(stand_in)

        out: dict[str, Any] = {}
        for section, value in doc.items():
            if section != "items" or not isinstance(value, list):
                out[section] = scrub(value)
                continue
            out[section] = [
                {k: (v if kept(item, k, v) else scrub(v)) for k, v in item.items()}
                if isinstance(item, dict)
                else item
                for item in value
            ]
        return out


def stand_in_name(sha256: str, media_type: str | None) -> str:
    """The name a carried protected redaction goes by in a bundle's case file: its hash and an
    extension for its media type, never the name it arrived under (which the dump withholds)."""
    import mimetypes

    extension = mimetypes.guess_extension(str(media_type or "").split(";")[0].strip()) or ""
    return f"{PUBLISHED_FOLDER}{sha256}{extension}"


def redactions(store: Store, items: list[Item]) -> dict[tuple[str, str], dict[str, Any]]:
    """What a case file says of each redaction among ``items`` so that the home a bundle is
    imported into judges its family as this one does (:mod:`enquiry.publish.lineage`): its
    ``transformation`` and, once a person confirmed it, ``confirmed`` — by whom and when, as
    its first ``confirmed`` event says (for a redaction itself imported, the home it was
    confirmed in, as that event records it). Keyed by how the case file names the item and
    its original (``derived_from``)."""
    from enquiry.publish.lineage import REDACTED, confirmer

    made = {
        item.id: item
        for item in items
        if item.derived_from is not None
        and isinstance(item.transformation, dict)
        and item.transformation.get("how") == REDACTED
    }
    if not made:
        return {}
    named = {item.id: _case_ref(item) for item in items}
    confirmed: dict[int, dict[str, str]] = {}
    with store.session() as session:
        events = session.execute(
            select(CustodyEvent.item_id, CustodyEvent.actor, CustodyEvent.at, CustodyEvent.details)
            .where(CustodyEvent.action == "confirmed", CustodyEvent.item_id.in_(sorted(made)))
            .order_by(CustodyEvent.seq)
        )
        for item_id, actor, at, details in events:
            if item_id is None or int(item_id) in confirmed:
                continue
            by, when, _handed_over = confirmer(actor, at, details)
            confirmed[int(item_id)] = {"by": by, "at": when}
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for item_id, item in made.items():
        entry: dict[str, Any] = {"transformation": json.loads(json.dumps(item.transformation))}
        if item_id in confirmed:
            entry["confirmed"] = confirmed[item_id]
        out[(named[item_id], named.get(int(item.derived_from or 0), ""))] = entry
    return out


def _case_ref(item: Item) -> str:
    """How a case file names an item (as ``enquiry dump`` does): its key, else its SHA-256."""
    if item.key:
        return str(item.key)
    if item.sha256:
        return "sha256:" + str(item.sha256)
    return f"item-{item.id}"


def _casefile_for_bundle(
    doc: dict[str, Any],
    carried: set[str],
    published: dict[str, str | None] | None = None,
    made: dict[tuple[str, str], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The case file as the bundle carries it: an item whose bytes are not in the bundle keeps
    its SHA-256 and loses its inline text (which is its content). A file's name stays: the dump
    already left out a protected item's, and any other names the evidence, not a witness.

    A protected redaction whose bytes are carried (``published``: its SHA-256 → media type)
    names its file by :func:`stand_in_name`, so that an import takes the carried bytes in; its
    arrival name stays withheld (``withheld: [file]``).

    A redaction (``made``: see :func:`redactions`) says how it was made and whether, by whom
    and when it was confirmed, so that an import keeps the publication decision; only
    ``enquiry bundle import`` takes a confirmation in."""
    out = json.loads(json.dumps(doc))
    for item in out.get("items", []):
        ref = str(item.get("key") or "sha256:" + str(item.get("sha256")))
        item.update((made or {}).get((ref, str(item.get("derived_from") or "")), {}))
        sha = item.get("sha256")
        if published and sha in published and "file" not in item and "text" not in item:
            item["file"] = stand_in_name(str(sha), published[sha])
        text = item.get("text")
        if text is None:
            continue
        sha = item.get("sha256") or hashlib.sha256(str(text).encode("utf-8")).hexdigest()
        if sha not in carried:
            del item["text"]
            item["sha256"] = sha
    return dict(out)


# --- Reading a bundle back -----------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """A private copy of a bundle, and the SHA-256 and size of its bytes as they were copied."""

    path: Path
    sha256: str
    size: int


@contextmanager
def private_copy(
    source: Path,
    shown: str,
    progress: Callable[[int], None] | None = None,
    folder: Path | None = None,
) -> Iterator[Received]:
    """Copy the bundle at ``source`` into a folder only this user can enter (``folder``, else a
    new one in the system's temporary folder), hashing it as it goes, and remove the copy
    afterwards. A bundle may carry a witness's revealed testimony: the caller gives a folder
    in memory where it can (:func:`~enquiry.store.vault.private_folder`).

    The check and the import then read that copy, never ``source`` again: a bundle on a shared
    folder or a USB stick could otherwise be swapped between being checked and being read, and
    bytes no check has seen taken in. ``source`` is opened once, without following it into a
    FIFO or device (a file swapped for one after its stat would be waited on forever)."""
    own = folder is None
    folder = Path(tempfile.mkdtemp(prefix="enquiry-bundle-")) if folder is None else folder
    target = folder / "bundle.zip"
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        try:
            descriptor = os.open(source, flags)
        except OSError as exc:
            raise BadRequest(f"{shown}: cannot be read ({exc.strerror or exc})") from None
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise BadRequest(f"{shown}: not a regular file")
            out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(out, "wb") as copy:
                try:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        copy.write(chunk)
                        size += len(chunk)
                        if progress is not None:
                            progress(len(chunk))
                except OSError as exc:
                    raise EnquiryError(
                        f"{shown}: cannot be copied to be checked ({exc.strerror or exc});"
                        " nothing was taken in"
                    ) from None
        target.chmod(0o400)
        yield Received(target, digest.hexdigest(), size)
    finally:
        if own:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)


@dataclass
class Opened:
    """A checked bundle, open for reading its members.

    Every member is read against the SHA-256 the manifest gives it — the manifest that was
    checked, since :func:`opened` holds the file to the bytes the check read — so a member
    altered, or one the manifest does not list, is refused rather than used."""

    archive: zipfile.ZipFile
    manifest: dict[str, Any]
    manifest_sha256: str
    shown: str = ""

    def listed(self, name: str) -> str:
        """The SHA-256 the manifest gives member ``name``; refused if it gives none."""
        sha = member_sha(self.manifest, name)
        if sha is None:
            raise Corrupt(
                f"{self.shown}: member {_shown(name)} is not among the manifest's members;"
                " nothing was taken in"
            )
        return sha

    def _info(self, name: str) -> zipfile.ZipInfo:
        try:
            return self.archive.getinfo(name)
        except KeyError:
            raise Corrupt(
                f"{self.shown}: member {_shown(name)} is missing; nothing was taken in"
            ) from None

    def read(self, name: str, limit: int = bundle_check.MAX_SMALL) -> bytes:
        """A member's bytes, at most ``limit`` of them, checked against the manifest."""
        expect = self.listed(name)
        info = self._info(name)
        if info.file_size > limit:
            raise BadRequest(
                f"{self.shown}: member {_shown(name)} is {info.file_size:,} bytes; at most"
                f" {limit:,} are read; nothing was taken in"
            )
        digest = hashlib.sha256()
        parts = []
        for chunk in self._chunks(name, info):
            digest.update(chunk)
            parts.append(chunk)
        self._compare(name, digest.hexdigest(), expect)
        return b"".join(parts)

    def extract_to(self, name: str, target: Path, expect: str) -> None:
        """Copy a member out, refusing bytes that do not hash to ``expect`` — which must be the
        hash the manifest gives the member."""
        listed = self.listed(name)
        if listed != expect:
            raise Corrupt(
                f"{self.shown}: member {_shown(name)} is listed with sha256 {listed[:12]}, not"
                f" {expect[:12]}; nothing was taken in"
            )
        info = self._info(name)
        digest = hashlib.sha256()
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as out:
            try:
                for chunk in self._chunks(name, info):
                    digest.update(chunk)
                    out.write(chunk)
                self._compare(name, digest.hexdigest(), expect)
            except BaseException:
                target.unlink(missing_ok=True)
                raise

    def _chunks(self, name: str, info: zipfile.ZipInfo) -> Iterator[bytes]:
        try:
            yield from bundle_check.stream_member(self.archive, info)
        except bundle_check.Unreadable as exc:
            raise Corrupt(f"{self.shown}: {exc}; nothing was taken in") from None
        except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError) as exc:
            raise Corrupt(
                f"{self.shown}: member {_shown(name)} cannot be read ({exc}); nothing was taken in"
            ) from None

    def _compare(self, name: str, actual: str, expect: str) -> None:
        if actual != expect:
            raise Corrupt(
                f"{self.shown}: member {_shown(name)} changed since it was checked (its bytes hash"
                f" to {actual[:12]}, the manifest says {expect[:12]}); nothing was taken in"
            )


def _shown(name: str) -> str:
    return bundle_check.value_text(name)


@contextmanager
def opened(path: Path, *, sha256: str | None = None, shown: str | None = None) -> Iterator[Opened]:
    """Open a bundle that has already passed :func:`bundle_check.check`.

    With ``sha256`` — the file's hash when it was copied to be checked (:func:`private_copy`)
    — the whole file is hashed again through the very handle its members are then read
    through, and refused unless it matches: what is read is, byte for byte, what was checked,
    manifest included. ``shown`` is the name messages give the bundle (the file the user
    named, not the private copy)."""
    name = shown if shown is not None else str(path)
    try:
        archive = bundle_check.open_archive(path)
    except bundle_check.Unreadable as exc:
        raise Corrupt(
            f"{name}: changed since it was checked ({str(exc).replace(str(path), name)});"
            " nothing was taken in"
        ) from None
    with archive:
        if sha256 is not None:
            actual = _handle_digest(archive)
            if actual != sha256:
                raise Corrupt(
                    f"{name}: changed since it was checked (it now hashes to {actual[:12]}, it"
                    f" was checked as {sha256[:12]}); nothing was taken in"
                )
        try:
            loaded = bundle_check.load_manifest(archive, name)
        except bundle_check.Unreadable as exc:
            raise Corrupt(f"{exc}; nothing was taken in") from None
        digest = hashlib.sha256(loaded.manifest_bytes).hexdigest()
        yield Opened(archive, loaded.manifest, digest, name)


def _handle_digest(archive: zipfile.ZipFile) -> str:
    """The SHA-256 of the whole file the archive has open, read through its own handle (the
    archive seeks before every read of its own, so moving the handle here disturbs nothing)."""
    handle = archive.fp
    assert handle is not None
    digest = hashlib.sha256()
    handle.seek(0)
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def member_sha(manifest: dict[str, Any], name: str) -> str | None:
    """The SHA-256 the manifest lists for member ``name``, or None if it lists none."""
    for entry in manifest.get("members", []):
        if entry.get("path") == name:
            return str(entry["sha256"])
    return None


# --- Backups -------------------------------------------------------------------------------------

SKIP_IN_HOME = frozenset(
    {"enquiry.db", "enquiry.db-wal", "enquiry.db-shm", ".migrate.lock", HEAD_LOCK}
)
HEAD_FILE = "ledger.head"


def _home_files(home: Path) -> Iterable[tuple[str, Path]]:
    for path in sorted(home.rglob("*")):
        relative = path.relative_to(home).as_posix()
        if not path.is_file() or path.is_symlink():
            continue
        if relative in SKIP_IN_HOME or relative.startswith("vault/tmp/") or ".tmp" in path.name:
            continue
        yield relative, path


def catalogue_tables() -> list[Any]:
    """Every catalogue table, parents before children (the order rows can be inserted in)."""
    return list(Base.metadata.sorted_tables)


def copy_catalogue(
    source: Connection,
    target: Connection,
    *,
    rewrite: dict[str, dict[str, Any]] | None = None,
) -> int:
    """Copy every catalogue row from ``source`` into ``target``, a database just brought to the
    same schema by the migrations; return the rows copied.

    The rows travel as SQLAlchemy values, so a PostgreSQL catalogue and a SQLite one hold the
    same values after the copy and every row digest the verifier recomputes is unchanged. Rows
    the migrations themselves put in (the ledger head's starting row) are replaced by the
    copied ones. ``rewrite`` sets columns of a table to new values on the way (where the home
    now lives)."""
    known = {table.name for table in catalogue_tables()} | {"alembic_version"}
    known |= search_index.storage_tables(source)
    unknown = sorted(set(inspect(source).get_table_names()) - known)
    if unknown:
        raise Refused(
            f"the catalogue holds tables this version of enquiry does not know ({', '.join(unknown)});"
            " back it up with the version that made them"
        )
    ours = _revision(source)
    theirs = _revision(target)
    if ours != theirs:
        raise Refused(f"catalogue schema {ours} cannot be copied into schema {theirs}")
    tables = catalogue_tables()
    for table in reversed(tables):
        target.execute(delete(table))
    copied = 0
    for table in tables:
        changes = (rewrite or {}).get(table.name, {})
        rows = source.execute(
            select(table).order_by(*table.primary_key.columns).execution_options(yield_per=2000)
        )
        for part in rows.mappings().partitions():
            batch = [{**row, **changes} for row in part]
            target.execute(insert(table), batch)
            copied += len(batch)
    if target.dialect.name == "postgresql":
        _reset_sequences(target)
    # The search index is derived data in a format of each back end's own: made again.
    search_index.rebuild(target)
    return copied


def _revision(connection: Connection) -> str | None:
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _reset_sequences(connection: Connection) -> None:
    """Rows were inserted with their own ids: each serial column's sequence continues after
    the largest, so the next row written in the restored home gets a fresh id."""
    for table in catalogue_tables():
        for column in table.primary_key.columns:
            if column.autoincrement is False:
                continue
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence(:table, :column),"
                    f' COALESCE(MAX("{column.name}"), 1), MAX("{column.name}") IS NOT NULL)'
                    f' FROM "{table.name}"'
                ),
                {"table": table.name, "column": column.name},
            )


def _snapshot(store: Store, copy: Path) -> None:
    """The catalogue as one SQLite file, consistent even while others write: SQLite's own
    backup of itself, or a PostgreSQL catalogue read in one REPEATABLE READ, READ ONLY
    transaction into a SQLite database made by the same migrations — so a backup has one
    format whichever back end it came from."""
    if store.engine.dialect.name == "sqlite":
        source = sqlite3.connect(store.engine.url.database or store.home / SQLITE_FILE)
        copied = sqlite3.connect(copy)
        try:
            source.backup(copied)
        finally:
            copied.close()
            source.close()
        return
    made = make_engine(f"sqlite:///{copy}")
    try:
        upgrade(made)
        with store.engine.connect() as connection:
            snapshot = connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            with snapshot.begin(), made.begin() as target:
                copy_catalogue(snapshot, target)
    finally:
        made.dispose()


def write_backup(
    store: Store,
    output: Path,
    *,
    signer: Signer | None,
    created_at: str,
    progress: Callable[[int], None] | None = None,
    stamper: Stamper | None = None,
) -> Written:
    """The whole home — catalogue, vault, ledger head, keys (still encrypted) — as a bundle.

    The catalogue goes in as ``home/enquiry.db`` whatever its back end, and the ledger member is
    read from that same snapshot."""
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "kind": "backup",
        "subject": {"name": store.home.name, "home": str(store.home)},
        "created_at": created_at,
        "generator": f"enquiry {enquiry.__version__}",
        "items": [],
        "findings": [],
    }
    with store.vault.temp_folder("backup-") as scratch:
        copy = Path(scratch) / SQLITE_FILE
        recorded = read_head_file(store.home)  # before the snapshot: see head_for_copy
        _snapshot(store, copy)
        reader = make_engine(f"sqlite:///{copy}")
        try:
            ledger_bytes, manifest["ledger"] = ledger_lines(
                store, lambda _event: True, engine=reader
            )
            with reader.connect() as connection:
                head = head_for_copy(recorded, connection)
        finally:
            reader.dispose()
        with _archive(output) as (archive, _temp):
            writer = _Writer(archive, progress=progress)
            writer.add_bytes(LEDGER_MEMBER, ledger_bytes)
            with copy.open("rb") as handle:
                writer.add_stream(HOME_PREFIX + SQLITE_FILE, handle)
            if head is not None:
                writer.add_bytes(HOME_PREFIX + HEAD_FILE, head_text(head).encode("ascii"))
            for relative, path in _home_files(store.home):
                if relative == HEAD_FILE:
                    continue  # of the snapshot's moment, above
                with path.open("rb") as handle:
                    writer.add_stream(HOME_PREFIX + relative, handle)
            data = _finish(writer, manifest, signer, created_at, stamper)
            count = len(writer.entries)
    digest, size = _file_digest(output)
    return Written(output, digest, size, hashlib.sha256(data).hexdigest(), manifest, count)


def restore_backup(bundle: Opened, target: Path, catalogue_url: str | None = None) -> int:
    """Unpack a checked backup into ``target`` (which must be new or empty); return the files.

    With ``catalogue_url`` (an empty PostgreSQL database) the backed-up catalogue's rows go
    there, in one transaction with the schema the migrations make, and no SQLite file is left
    in the home; without it the home keeps the SQLite catalogue. Either way ``home.json`` binds
    the home to where its catalogue now is."""
    if bundle.manifest.get("kind") != "backup":
        raise ValueError("not a backup of a home (a case bundle is taken in with 'bundle import')")
    target.mkdir(parents=True, exist_ok=True)
    scratch = target / f".restore-{uuid.uuid4().hex[:8]}"
    count = 0
    try:
        for entry in bundle.manifest["members"]:
            name = str(entry["path"])
            if not name.startswith(HOME_PREFIX):
                continue
            relative = name[len(HOME_PREFIX) :]
            unpacked = scratch / relative
            try:
                bundle.extract_to(name, unpacked, str(entry["sha256"]))
            except (
                OSError
            ) as exc:  # "home/a" and "home/a/b": one member stands where another's folder must
                raise Corrupt(
                    f"the backup's member {ascii(name)[1:-1]} cannot be unpacked"
                    f" ({exc.strerror or exc}): its members clash; nothing was restored"
                ) from None
            if relative.startswith("keys/"):
                unpacked.parent.chmod(0o700)
                unpacked.chmod(0o600)  # private keys: their owner's alone, as when made
            elif relative.startswith("vault/"):
                unpacked.chmod(0o444)  # originals are never written again
            count += 1
        home_id = _place_catalogue(scratch, target, catalogue_url)
        bind_restored(scratch, catalogue_url or f"sqlite:///{target / SQLITE_FILE}", home_id)
        for child in scratch.iterdir():
            os.replace(child, target / child.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return count


def _place_catalogue(scratch: Path, target: Path, catalogue_url: str | None) -> str:
    """Bring the unpacked catalogue to the newest schema and to where it will live; return
    the home's identity it records."""
    unpacked = scratch / SQLITE_FILE
    if not unpacked.is_file():
        raise Corrupt(f"the backup holds no catalogue (home/{SQLITE_FILE})")
    snapshot = make_engine(f"sqlite:///{unpacked}")
    try:
        upgrade(snapshot)  # a backup made by an older version has an older schema
        where = {"catalogue_home": {"home_path": str(target)}}
        if catalogue_url is None:
            with snapshot.begin() as connection:
                connection.execute(catalogue_home.update().values(where["catalogue_home"]))
                home_id = connection.execute(select(catalogue_home.c.home_id)).scalar_one()
            return str(home_id)
        destination = make_engine(catalogue_url)
        try:
            with snapshot.connect() as source, destination.begin() as connection:
                if inspect(connection).get_table_names():
                    raise Refused(
                        f"catalogue database {public_url(catalogue_url)} is not empty;"
                        " restore into a new, empty database"
                    )
                migrate_within(connection)
                copy_catalogue(source, connection, rewrite=where)
                home_id = source.execute(select(catalogue_home.c.home_id)).scalar_one()
        except SQLAlchemyError as exc:
            reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
            raise CatalogueError(
                f"catalogue database {public_url(catalogue_url)}: the backup's rows cannot be"
                f" restored into it ({reason[:200]}); it was left empty"
            ) from None
        finally:
            destination.dispose()
    finally:
        snapshot.dispose()
    for leftover in (SQLITE_FILE, f"{SQLITE_FILE}-wal", f"{SQLITE_FILE}-shm"):
        (scratch / leftover).unlink(missing_ok=True)
    return str(home_id)
