"""Evidence services: take in, derive, list, show, update, copy, log and verify.

Each service reads and writes only through the store, applies the protection rules of
:mod:`enquiry.app.protection`, and records in the ledger what it did on behalf of the acting
user: a reveal of a protected identity, a copy handed out, an update of an item.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, delete, func, select, update

from enquiry.app.access import (
    Right,
    find_visible_item,
    item_visible,
    may_reveal,
    readable_cases,
    require,
    require_admin,
    require_case,
    visible_condition,
)
from enquiry.app.atrest import (
    deliver_original,
    disclose,
    encrypted_ids,
    protect_existing,
    require_opening,
    restored,
    scrub_database,
    unprotect_existing,
)
from enquiry.app.context import Enquiry
from enquiry.app.lookup import (
    check_case_name,
    find_case,
    require_regular_file,
)
from enquiry.app.outputs import refuse_home_output
from enquiry.app.protection import (
    WITHHELD,
    hidden,
    kind_identifying,
    record_reveal,
    shown_details,
    shown_fields,
    shown_name,
)
from enquiry.app.release import record_family_reveal, require_release
from enquiry.app.samples import item_custody
from enquiry.cluster import chosen_address, cluster_for, open_cluster
from enquiry.errors import BadRequest, Corrupt, EnquiryError, NotFound, Refused
from enquiry.intake.extract import Extractor
from enquiry.intake.pipeline import IntakeError, IntakeOptions, IntakeReport, add_paths, origin_of
from enquiry.intake.walk import printable
from enquiry.model.kinds import KindError, get_kind
from enquiry.model.sample_custody import CustodyFinding
from enquiry.model.types import FieldError
from enquiry.progress import Progress, Silent
from enquiry.store.claims_at_rest import claims_in_clear, hold_claims
from enquiry.store.crypt import WITHHELD_AT_REST, require_key
from enquiry.store.index import dated_items
from enquiry.store.ledger import IDENTIFIED_BY, LedgerWriter, read_head_file, state_digest
from enquiry.store.protected import add_to_secret, update_secret
from enquiry.store.tables import (
    Case,
    CustodyEvent,
    Embedding,
    Item,
    ItemFinding,
    ItemOrigin,
    ItemText,
    MediaHash,
    Source,
    capped,
)
from enquiry.store.vault import MEMORY_FOLDER
from enquiry.store.verify import VerifyReport, record_verified, verified_head, verify


def _extractors() -> list[Extractor]:
    from enquiry.enrich import default_extractors

    return list(default_extractors())


def _intake(
    app: Enquiry,
    paths: Sequence[Path],
    options: IntakeOptions,
    progress: Progress,
    cluster: str | None = None,
) -> IntakeReport:
    # An upload is received into this process's memory (see :func:`staging`), which no
    # cluster worker can open: it is read here, whatever ENQUIRY_CLUSTER says.
    here = options.origin_root is not None
    address = None if here else chosen_address(cluster)  # a bad one refused before reading
    store = app.store(create=True)
    try:
        with cluster_for(address, progress.problem) as on:
            return add_paths(
                store, list(paths), options, _extractors(), progress=progress, cluster=on
            )
    except IntakeError as exc:
        raise BadRequest(str(exc)) from None


def add(
    app: Enquiry,
    paths: Sequence[Path],
    *,
    case: str,
    kind: str | None = None,
    source: str | None = None,
    fields: Mapping[str, str] | None = None,
    max_size: int | None = None,
    jobs: int = 0,
    progress: Progress | None = None,
    protected: bool = False,
    receipt: Mapping[str, Any] | None = None,
    uploaded: Path | None = None,
    cluster: str | None = None,
) -> IntakeReport:
    """Take files and folders in as evidence of ``case``; every receipt is in the ledger.

    ``cluster`` (else ``ENQUIRY_CLUSTER``) names a Dask cluster whose workers store and read
    the files (see :mod:`enquiry.cluster`); the catalogue and ledger are written here as
    without one.

    ``protected`` protects (and so encrypts) the files whatever their kind says; ``receipt``
    adds facts to each receipt event (that the file came as an upload, say). ``uploaded`` is
    the :func:`staging` folder the files were received into: each is then recorded as
    arriving from ``upload:<user>/<its name>``, not from a temporary path.
    A KeyboardInterrupt stops after the last committed batch and carries the partial report
    as ``exc.report``; running the same request again completes the rest. A user adds only to
    a case where they may add evidence; only the administrator opens a new case.
    """
    check_case_name(case)
    if not app.principal.admin:
        require_case(app, case, Right.ADD_EVIDENCE)
    options = IntakeOptions(
        case=case,
        kind=kind,
        source=source,
        fields=dict(fields or {}),
        max_size=max_size,
        jobs=jobs,
        protected=True if protected else None,
        progress=progress is not None and not isinstance(progress, Silent),
        receipt=receipt,
        origin_root=_upload_root(app, uploaded),
    )
    return _intake(app, paths, options, progress or Silent(), cluster)


def _upload_root(app: Enquiry, uploaded: Path | None) -> tuple[str, str] | None:
    """What an uploaded file's arrival path is recorded as: who sent it, under which name."""
    return None if uploaded is None else (str(uploaded), f"upload:{app.actor}")


@dataclass(frozen=True)
class Derived:
    """A derivative registered from an item: the new item (if stored) and the problem lines."""

    item_id: int | None
    derived_from: int
    how: str
    problems: list[str]


def _sha256_of(path: Path) -> str:
    require_regular_file(path)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise NotFound(f"{printable(str(path))}: cannot be read ({exc.strerror})") from None
    return digest.hexdigest()


def derive(
    app: Enquiry,
    ref: str,
    path: Path,
    *,
    how: str,
    tool: str | None = None,
    kind: str | None = None,
    fields: Mapping[str, str] | None = None,
    details: Mapping[str, Any] | None = None,
    uploaded: Path | None = None,
) -> Derived:
    """Register ``path`` as a derivative of item ``ref`` (working copy, translation, still).

    The derivative is an item of its own with ``derived_from`` and the transformation (``how``,
    ``tool`` and any ``details`` of how it was made), received with a ``derived`` event. What is
    made from a protected item is protected too: a transcript or a still can identify the same
    witness. ``uploaded`` is the :func:`staging` folder an uploaded derivative was received
    into (see :func:`add`).
    """
    if not how.strip():
        raise BadRequest("--how must say what was done to make the derivative")
    store = app.store(create=False)
    digest = _sha256_of(path)
    with store.session() as session:
        found = find_visible_item(app, session, ref, Right.ADD_EVIDENCE)
        case_name = session.get(Case, found.case_id).name  # type: ignore[union-attr]
        known = session.scalars(
            select(Item).where(Item.case_id == found.case_id, Item.sha256 == digest).limit(1)
        ).first()
    transformation = {"how": how, **({"tool": tool} if tool else {}), **dict(details or {})}
    options = IntakeOptions(
        case=case_name,
        kind=kind,
        fields=dict(fields or {}),
        derived_from=found.id,
        transformation=transformation,
        progress=False,
        jobs=1,
        protected=True if found.protected else None,
        origin_root=_upload_root(app, uploaded),
    )
    if known is not None:
        origin = f", derived from item {known.derived_from}" if known.derived_from else ""
        shown = printable(str(path)) if uploaded is None else origin_of(options, path)
        raise Refused(f"{shown}: already item {known.id}{origin}; nothing recorded")
    report = _intake(app, [path], options, Silent())
    result = report.results[0]
    return Derived(result.item_id, found.id, how, report.problems)


@dataclass(frozen=True)
class CustodyLine:
    """One ledger event about an item, as shown with the item."""

    seq: int
    at: str
    actor: str
    action: str
    identified_by: str | None = None  # how the actor was established (see the ledger)


@dataclass(frozen=True)
class ItemView:
    """One item as the acting user may see it; withheld parts carry the withheld marker."""

    id: int
    case: str
    kind: str
    sha256: str | None
    size: int | None
    media_type: str
    name: str
    fields: dict[str, Any]
    metadata: dict[str, Any]
    source: str | None
    protected: bool
    derived_from: int | None
    transformation: dict[str, Any] | None
    origins: list[str]
    custody: list[CustodyLine]
    text: dict[str, str] | None = None
    withheld: list[str] = field(default_factory=list)
    # When consent was withdrawn and the item's content destroyed (see 'enquiry item seal').
    sealed_at: str | None = None
    # An environmental sample's chain of custody checked hand-over by hand-over (None: not a
    # sample); see enquiry.app.samples for what a viewer of a protected one is shown.
    sample_custody: tuple[CustodyFinding, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``enquiry item show --json``: ``sample_custody`` only for an
        environmental sample."""
        data = asdict(self)
        data.pop("withheld")
        if self.text is None:
            data.pop("text")
        if self.sample_custody is None:
            data.pop("sample_custody")
        else:
            data["sample_custody"] = [f.to_dict() for f in self.sample_custody]
        return data


def show_item(app: Enquiry, ref: str, *, with_text: bool = False, reveal: bool = False) -> ItemView:
    """One item: hashes, kind, fields, metadata, provenance and custody.

    A protected item's identifying fields, arrival names, metadata and text are withheld unless
    ``reveal``, which the ledger records; asking for a protected item's text without a reveal
    is refused rather than answered with a blank. Reading an item's text is recorded as an
    ``accessed`` event.
    """
    store = app.store(create=False)
    with store.session() as session:
        found = find_visible_item(app, session, ref)
        if reveal and found.protected and not may_reveal(app, found.case_id):
            require(app, found.case_id, Right.REVEAL)
        if with_text and found.protected and not reveal:
            raise Refused(
                f"item {found.id}: protected (its text may identify a witness); add --reveal"
            )
        held = encrypted_ids(store, [found.id]).get(found.id)
        if held is not None and held.sealed and with_text:
            raise Refused(f"item {found.id}: sealed (consent withdrawn); its text is destroyed")
        if reveal and held is not None and held.sealed:
            require_opening(store, [found])  # a reveal needs the key, sealed or not
        disclosed = disclose(store, found) if reveal and held and not held.sealed else None
        found = restored(found, disclosed)
        fields, withheld = shown_fields(found, reveal)
        case_name = session.get(Case, found.case_id).name  # type: ignore[union-attr]
        source = session.get(Source, found.source_id).name if found.source_id else None  # type: ignore[union-attr]
        origins = list(
            session.scalars(
                select(ItemOrigin.path)
                .where(ItemOrigin.item_id == found.id)
                .order_by(ItemOrigin.id)
            ).all()
        )
        events = session.execute(
            select(
                CustodyEvent.seq,
                CustodyEvent.at,
                CustodyEvent.actor,
                CustodyEvent.action,
                CustodyEvent.details,
            )
            .where(CustodyEvent.item_id == found.id)
            .order_by(CustodyEvent.seq)
        ).all()
        texts = (
            {
                str(e): str(t)
                for e, t in session.execute(
                    select(ItemText.extractor, ItemText.text).where(ItemText.item_id == found.id)
                ).all()
            }
            if with_text
            else None
        )
    if disclosed is not None:
        origins = disclosed.paths + origins[len(disclosed.paths) :]
        if texts is not None:
            texts = dict(disclosed.texts)
    revealing = reveal and found.protected
    if revealing or with_text or found.protected:
        # Reading what an item says is an access to the evidence, recorded like a copy; so is
        # any view of a protected item, even of its withheld metadata alone; a protected
        # identity shown is recorded as a reveal.
        with store.writing() as (_connection, writer):
            if revealing:
                details: dict[str, Any] = {"fields": withheld}
                if with_text:
                    details["text"] = True
                record_reveal(writer, [found], details)
            if with_text:
                writer.append(
                    "accessed",
                    case_id=found.case_id,
                    item_id=found.id,
                    details={"text": sorted(texts or {})},
                )
            elif found.protected and not revealing:
                writer.append(
                    "accessed",
                    case_id=found.case_id,
                    item_id=found.id,
                    details={"metadata": True},
                )
    withhold = hidden(found, reveal)
    return ItemView(
        id=found.id,
        case=case_name,
        kind=found.kind,
        sha256=found.sha256,
        size=found.size,
        media_type=found.media_type,
        name=shown_name(found, reveal),
        fields=fields,
        # Metadata read from a protected file (a PDF's author, EXIF GPS and camera serial, the
        # raw bytes of its name) can identify the witness as surely as a field.
        metadata={"withheld": WITHHELD} if withhold and found.meta else dict(found.meta),
        source=source,
        protected=found.protected,
        derived_from=found.derived_from,
        transformation=found.transformation,
        origins=[WITHHELD] * len(origins) if withhold else origins,
        custody=[CustodyLine(s, a, w, x, _identified_by(_parsed(d))) for s, a, w, x, d in events],
        text=texts,
        withheld=withheld,
        sealed_at=held.sealed_at if held is not None else None,
        sample_custody=item_custody(store, found, withheld=[] if reveal else withheld),
    )


@dataclass(frozen=True)
class Updated:
    """What an update changed: kind, protection, the names of the changed fields."""

    item_id: int
    kind: str
    protected: bool
    fields_changed: list[str]
    changed: bool
    derivatives: tuple[int, ...] = ()  # items made from it, protected with it


def update_item(
    app: Enquiry,
    ref: str,
    *,
    kind: str | None = None,
    fields: Mapping[str, str] | None = None,
    protect: bool | None = None,
) -> Updated:
    """Change an item's kind, fields or protection; the bytes never change.

    The ledger records the new state and which fields changed, never their values (they may
    identify a witness); ``verify`` compares the row with it from then on.
    """
    store = app.store(create=False)
    with store.session() as session:
        found = find_visible_item(app, session, ref, Right.ADD_EVIDENCE)
    found_was_protected = found.protected
    if found.protected and protect is False:
        # Lifting protection shows the identity to everyone who may read the case.
        require(app, found.case_id, Right.MANAGE)
        require(app, found.case_id, Right.REVEAL)
    held = encrypted_ids(store, [found.id]).get(found.id)
    try:
        target = get_kind(kind or found.kind)
        new_fields = target.validate({**found.fields, **dict(fields or {})})
    except (KindError, FieldError) as exc:
        raise BadRequest(str(exc)) from None
    protected = found.protected or target.is_protected(new_fields)
    if "protected" in new_fields:
        protected = bool(new_fields["protected"])
    if protect is not None:
        protected = protect
    changed = sorted(
        k for k in set(new_fields) | set(found.fields) if new_fields.get(k) != found.fields.get(k)
    )
    # A protected item taken in before encryption existed (or by a path that did not encrypt
    # it) is encrypted when protection is asked for again.
    encrypt = protected and held is None and found.sha256 is not None
    decrypt = not protected and held is not None
    # Claims read before the item was protected, their words still in their rows (a home made
    # before such words were held with the item): protecting again moves them in (key needed).
    loose = 0
    if protected and held is not None and not held.sealed:
        with store.engine.connect() as connection:
            loose = claims_in_clear(connection, found.id)
    if held is not None and held.sealed and (changed or decrypt):
        raise Refused(f"item {found.id}: sealed (consent withdrawn); it can no longer change")
    if (
        target.name == found.kind
        and not changed
        and protected == found.protected
        and not encrypt
        and not loose
    ):
        return Updated(found.id, found.kind, found.protected, [], False)
    secret_changes: dict[str, Any] = {}
    if held is not None and not decrypt:
        # Identifying values of an encrypted item go into its secret record, never the row.
        identifying = set(kind_identifying(target.name, new_fields))
        secret_changes = {k: new_fields[k] for k in changed if k in identifying}
        for name in secret_changes:
            new_fields[name] = WITHHELD_AT_REST
    with store.writing() as (connection, writer):
        connection.execute(
            update(Item)
            .where(Item.id == found.id)
            .values(kind=target.name, fields=new_fields, protected=protected)
        )
        found.kind, found.fields, found.protected = target.name, new_fields, protected
        if protected:
            # A vector of a protected item's text would say, in the clear, what the witness
            # said (its claims' vectors go when it is encrypted, with their words).
            connection.execute(
                delete(Embedding).where(Embedding.item_id == found.id, Embedding.claim_id.is_(None))
            )
        details: dict[str, Any] = {}
        if protected:
            # Perceptual hashes would find a protected photograph, in the clear, from any copy
            # of it; intake keeps none for protected items, and protecting later removes them.
            removed = connection.execute(delete(MediaHash).where(MediaHash.item_id == found.id))
            if removed.rowcount:
                details["media_hashes_removed"] = removed.rowcount
        if encrypt:
            cipher = protect_existing(store, connection, writer, found)
            details["encrypted"] = cipher
        elif decrypt:
            unprotect_existing(store, connection, found, require_key())
            details["decrypted"] = True
        elif secret_changes:
            update_secret(connection, found.id, secret_changes, require_key())
        if loose:
            add_to_secret(connection, found.id, hold_claims(connection, found.id), require_key())
            details["claims_encrypted"] = loose
        stored = connection.execute(select(Item.__table__).where(Item.id == found.id)).one()
        row = dict(stored._mapping)
        row["meta"] = row.pop("metadata")
        writer.append(
            "updated",
            case_id=found.case_id,
            item_id=found.id,
            details={
                "kind": target.name,
                "fields_changed": changed,
                "protected": protected,
                **details,
                "state": state_digest(row),
            },
        )
    if details.get("media_hashes_removed"):
        # imported here: the media index brings numpy, which most commands never need
        from enquiry.enrich.media.catalogue import drop_saved_indexes

        drop_saved_indexes(store)
    if encrypt or secret_changes or loose:
        scrub_database(store)
    also: tuple[int, ...] = ()
    if protected and not found_was_protected:
        also = protect_derivatives(app, found.id)
    return Updated(found.id, target.name, protected, changed, True, also)


def protect_derivatives(app: Enquiry, item_id: int) -> tuple[int, ...]:
    """Protect every item made from item ``item_id`` that is not protected yet: a crop, a still,
    a transcript or a translation holds the protected content in another form. A redaction is
    left as it is (it is made to be published, and is published only once a person confirmed
    it: :mod:`enquiry.publish.lineage`). Each is its own ``updated`` event; returns their ids."""
    from enquiry.publish.lineage import REDACTED, made_from

    store = app.store(create=False)
    with store.engine.connect() as connection:
        below = made_from(connection, item_id)
    with store.session() as session:
        rows = session.scalars(select(Item).where(Item.id.in_(below))).all() if below else []
        plain = [
            row.id
            for row in sorted(rows, key=lambda r: below.index(r.id))
            if not row.protected and (row.transformation or {}).get("how") != REDACTED
        ]
    for derived in plain:
        update_item(app, str(derived), protect=True)
    return tuple(plain)


@dataclass(frozen=True)
class Copied:
    """A working copy handed out: which item, where to, how many bytes."""

    item_id: int
    path: Path
    size: int


def copy_item(
    app: Enquiry, ref: str, output: Path, *, force: bool = False, reveal: bool = False
) -> Copied:
    """Write a working copy of an item's original to ``output``; the original stays.

    The bytes are re-hashed as they are copied and refused if they no longer match the item's
    SHA-256, so a corrupted blob is never handed out under the original's name. The ledger
    records who copied what, and where to.
    """
    refuse_home_output(app, output)  # --force never reaches the vault or the catalogue
    store = app.store(create=False)
    with store.session() as session:
        found = find_visible_item(app, session, ref)
    if found.sha256 is None:
        raise NotFound(f"item {found.id}: has no stored bytes to copy")
    kin = require_release(app, found, reveal=reveal, ask="add --reveal")
    if output.is_dir():
        raise BadRequest(f"{printable(str(output))}: is a folder; name the file to write")
    if output.exists() and not force:
        raise Refused(f"{printable(str(output))}: exists; add --force to overwrite it")

    def record(_connection: Connection, writer: LedgerWriter) -> None:
        record_reveal(writer, [found], {"content": True})
        if kin:
            record_family_reveal(writer, found)
        writer.append(
            "copied",
            case_id=found.case_id,
            item_id=found.id,
            details={"sha256": found.sha256, "to": printable(str(output.absolute()))},
        )

    try:
        # The copy reaches ``output`` only once its events are committed (see there).
        size = deliver_original(store, found, output, record)
    except Corrupt as exc:
        raise Corrupt(f"item {found.id}: {exc}; nothing copied (run 'enquiry verify')") from None
    except OSError as exc:
        raise EnquiryError(
            f"{printable(str(output))}: cannot write the copy ({exc.strerror or exc})"
        ) from None
    return Copied(found.id, output, size)


@contextmanager
def staging(app: Enquiry) -> Iterator[Path]:
    """A private folder (mode 0700, removed with whatever is left in it) that names the files
    on their way in (an upload being received), for the intake to be given paths and to
    record each file under its own name.

    It holds names, not bytes: the uploads put in it links to where each file's bytes are
    (see :mod:`enquiry.web.uploads`). Even so it is made where nothing lingers — the memory
    file system (``/dev/shm``) where the system has one, else the vault's private temporary
    area (``vault/tmp``) — never in the system's temporary folder or elsewhere in the home:
    an uploaded file's name can identify a witness as well as its bytes."""
    memory = MEMORY_FOLDER
    if memory.is_dir() and os.access(memory, os.W_OK | os.X_OK):
        made = tempfile.TemporaryDirectory(prefix="enquiry-incoming-", dir=memory)
    else:
        made = app.store(create=False).vault.temp_folder("enquiry-incoming-")
    with made as folder:
        yield Path(folder)


@dataclass(frozen=True)
class Finding:
    """Something an enricher found about an item (a metadata inconsistency, a sun mismatch),
    with the inputs it used; a protected item's inputs are withheld unless revealed."""

    type: str
    severity: str
    message: str
    enricher: str
    created_at: str
    inputs: dict[str, Any]


def item_findings(app: Enquiry, ref: str, *, reveal: bool = False) -> list[Finding]:
    """The media-consistency findings recorded for an item, oldest first.

    The inputs of a protected item's findings (EXIF coordinates, a camera's serial number) can
    identify its witness: they are withheld unless ``reveal``, which needs the right to see
    protected identities (the item view that shows them records the reveal).
    """
    store = app.store(create=False)
    with store.session() as session:
        found = find_visible_item(app, session, ref)
        if reveal and found.protected:
            require(app, found.case_id, Right.REVEAL)
        rows = session.scalars(
            select(ItemFinding).where(ItemFinding.item_id == found.id).order_by(ItemFinding.id)
        ).all()
    withhold = found.protected and not reveal
    return [
        Finding(
            type=row.type,
            severity=row.severity,
            message=WITHHELD if withhold else row.message,
            enricher=row.enricher,
            created_at=row.created_at,
            inputs={"withheld": WITHHELD} if withhold and row.inputs else dict(row.inputs or {}),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ItemRow:
    """One line of an item listing; a protected item's title is withheld."""

    id: int
    sha256: str | None
    kind: str
    size: int | None
    title: str
    source: str | None
    protected: bool
    case: str


# A listing counts the matching items up to this many: an exact count of a case of a million
# reads every one of its index entries (hundreds of milliseconds), for a number nobody pages to.
COUNT_LIMIT = 10_000
# The deepest page ``offset`` reaches: an offset steps over every item before the page (a
# case's 600,000th item costs 50–200 ms), where ``after`` (the last id of the page before)
# starts any page from the index in constant time. As search engines cap their result
# windows, a listing refuses deeper offsets and names ``after``.
MAX_OFFSET = COUNT_LIMIT


@dataclass(frozen=True)
class ItemPage:
    """A page of items and how many match in all: exactly up to :data:`COUNT_LIMIT`; beyond,
    ``total`` is that limit and ``total_exact`` is false ("more than 10,000")."""

    items: list[ItemRow]
    total: int
    offset: int
    limit: int
    total_exact: bool = True


def _title(kind: str, item_fields: Mapping[str, Any], name: str, protected: bool) -> str:
    """A line naming the item: its title field, else the name it arrived under — never, for a
    protected item, the arrival name or an identifying field."""
    skip = kind_identifying(kind, item_fields) if protected else ()
    for key in ("title", "headline", "subject", "description"):
        value = item_fields.get(key)
        if key not in skip and isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return WITHHELD if protected else name


_ISO = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def check_date(value: str | None, option: str) -> str | None:
    """A date filter's value (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; empty: none), or the
    one-line refusal naming the option.

    The value is compared with stored dates as text, so a month 13 or a 30 February would
    quietly match nothing (or the wrong range) instead of being named as the mistake it is."""
    if value is None or value == "":
        return None
    match = _ISO.match(value)
    try:
        if match is None:
            raise ValueError(value)
        year, month, day = (int(part) if part else 1 for part in match.groups())
        datetime.date(year, month, day)
    except ValueError:
        raise BadRequest(
            f"{option} '{printable(value[:80])}': not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
        ) from None
    return value


def list_items(
    app: Enquiry,
    *,
    case: str | None = None,
    kind: str | None = None,
    source: str | None = None,
    protected: bool | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    after: int | None = None,
    offset: int = 0,
    limit: int = 100,
) -> ItemPage:
    """Items, oldest first, a page at a time; filtered by case, kind, source (its name),
    whether they are protected, and the date they speak of (``date_from`` … ``date_to``:
    ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, as the search's date filter).

    Only the columns a listing needs are read, one page of them, so a large case lists at the
    speed of its indexes. ``after`` (the last id of the page before) starts the page after that
    item: as fast on the ten-thousandth page as on the first, where ``offset`` has to step over
    every item before it, and goes no deeper than :data:`MAX_OFFSET`. A protected item is
    listed (its existence is not secret), its title withheld.
    """
    if offset < 0 or limit < 1:
        raise BadRequest("--offset must be 0 or more and --limit 1 or more")
    if offset > MAX_OFFSET:
        raise BadRequest(
            f"--offset goes as deep as {MAX_OFFSET:,}: page further with --after"
            " (the last item number of the page before)"
        )
    if after is not None and after < 0:
        raise BadRequest("--after must be an item number (0 or more)")
    limit = capped(limit)
    after = None if after is None else capped(after)
    date_from = check_date(date_from, "--from")
    date_to = check_date(date_to, "--to")
    store = app.store(create=False)
    query = (
        select(
            Item.id,
            Item.sha256,
            Item.kind,
            Item.size,
            Item.original_name,
            Item.fields,
            Item.protected,
            Source.name,
            Case.name,
        )
        .join(Case, Case.id == Item.case_id)
        .outerjoin(Source, Source.id == Item.source_id)
    )
    counting = select(Item.id)
    seen = visible_condition(app)
    if seen is not None:
        query, counting = query.where(seen), counting.where(seen)
    with store.session() as session:
        if case is not None:
            case_id = find_case(session, case).id
            require(app, case_id, Right.READ, name=case)
            query = query.where(Item.case_id == case_id)
            counting = counting.where(Item.case_id == case_id)
        if kind is not None:
            try:
                get_kind(kind)
            except KindError as exc:
                raise BadRequest(str(exc)) from None
            query = query.where(Item.kind == kind)
            counting = counting.where(Item.kind == kind)
        if source is not None:
            # The source's ids first, then equality: with one id, the (case, source, id) index
            # hands over the page in order — a subquery here made PostgreSQL walk the whole case
            # when the source had few items in it.
            wanted = select(Source.id).where(Source.name == source)
            if case is not None:
                wanted = wanted.where(Source.case_id == case_id)
            ids = sorted(int(i) for i in session.scalars(wanted))
            named = Item.source_id == ids[0] if len(ids) == 1 else Item.source_id.in_(ids)
            query, counting = query.where(named), counting.where(named)
        if protected is not None:
            flag = Item.protected.is_(protected)
            query, counting = query.where(flag), counting.where(flag)
        if date_from or date_to:
            dated = dated_items(date_from, date_to)
            query, counting = query.where(dated), counting.where(dated)
        found = session.scalar(
            select(func.count()).select_from(counting.limit(COUNT_LIMIT + 1).subquery())
        )
        total = min(int(found or 0), COUNT_LIMIT)
        # The page's ids first, from the index alone (the filters are all on items), then
        # only those rows: a month of 8,000 items is sorted by id in the index, not read.
        page = counting if after is None else counting.where(Item.id > after)
        page = page.order_by(Item.id).offset(offset).limit(limit)
        rows = session.execute(query.where(Item.id.in_(page)).order_by(Item.id)).all()
    items = [
        ItemRow(
            id=row[0],
            sha256=row[1],
            kind=row[2],
            size=row[3],
            title=_title(row[2], row[5] or {}, row[4], bool(row[6])),
            source=row[7],
            protected=bool(row[6]),
            case=row[8],
        )
        for row in rows
    ]
    return ItemPage(items, total, offset, limit, total_exact=int(found or 0) <= COUNT_LIMIT)


@dataclass(frozen=True)
class CaseSummary:
    """A case with its item count."""

    name: str
    created_at: str
    items: int


def list_cases(app: Enquiry) -> list[CaseSummary]:
    """The cases with their item counts, by name."""
    store = app.store(create=False)
    readable = readable_cases(app)
    joined = Item.case_id == Case.id
    seen = visible_condition(app)
    if seen is not None:
        joined = and_(joined, seen)
    query = (
        select(Case.name, Case.created_at, func.count(Item.id))
        .outerjoin(Item, joined)
        .group_by(Case.id)
        .order_by(Case.name)
    )
    if readable is not None:
        query = query.where(Case.id.in_(sorted(readable)))
    with store.session() as session:
        rows = session.execute(query).all()
    return [CaseSummary(str(n), str(c), int(k)) for n, c, k in rows]


@dataclass(frozen=True)
class EventView:
    """One ledger event as shown; a protected item's names and paths withheld."""

    seq: int
    at: str
    actor: str
    action: str
    case: int | None
    item: int | None
    details: dict[str, Any]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def identified_by(self) -> str | None:
        """How the actor was established (``None`` for events recorded before it was kept)."""
        return _identified_by(self.details)

    @property
    def other_details(self) -> Any:
        """The details without :attr:`identified_by`, which a listing shows beside the actor
        (an edited event's details may be any JSON: ``verify`` names it)."""
        if not isinstance(self.details, dict):
            return self.details
        return {k: v for k, v in self.details.items() if k != IDENTIFIED_BY}


def read_log(
    app: Enquiry,
    *,
    item: str | None = None,
    case: str | None = None,
    limit: int = 0,
    reveal: bool = False,
    actor: str | None = None,
    identified_by: str | None = None,
) -> list[EventView]:
    """The custody and audit log, oldest first (the newest ``limit`` events if given).

    ``actor`` keeps the events recorded under that name; ``identified_by`` those whose actor
    was established as it begins (``API token enq_AbCdEf``: every act under a token, to
    account for a token that leaked; ``web session 3fa9c2d1e0b4``: a session's acts).

    The names and paths under which protected items arrived or went are withheld unless
    ``reveal``, which is recorded for each protected item whose events are shown.
    """
    store = app.store(create=False)
    query = select(CustodyEvent)
    if actor is not None:
        query = query.where(CustodyEvent.actor == actor)
    if identified_by is not None:
        # canonical JSON: the key, then the value's opening quote and its first characters;
        # found case-sensitively (SQLite's LIKE ignores case, and token prefixes differ by it)
        needle = f'"{IDENTIFIED_BY}":' + json.dumps(identified_by, ensure_ascii=False)[:-1]
        position = func.instr if store.engine.dialect.name == "sqlite" else func.strpos
        query = query.where(position(CustodyEvent.details, needle) > 0)
    with store.session() as session:
        if item:
            named = find_visible_item(app, session, item)
            query = query.where(CustodyEvent.item_id == named.id)
        if case:
            case_id = find_case(session, case).id
            require(app, case_id, Right.READ, name=case)
            query = query.where(CustodyEvent.case_id == case_id)
        readable = readable_cases(app)
        if readable is not None:
            # A user's log holds the events of their cases only; home-wide events (accounts,
            # keys) are the administrator's.
            query = query.where(CustodyEvent.case_id.in_(sorted(readable)))
        if limit:
            query = query.order_by(CustodyEvent.seq.desc()).limit(capped(limit))
        events = sorted(session.scalars(query).all(), key=lambda e: e.seq)
        protected_items = {
            i.id: i for i in session.scalars(select(Item).where(Item.protected.is_(True))).all()
        }
    details = {e.seq: json.loads(e.details) for e in events}
    about = {e.seq: _about_item(e.item_id, details[e.seq]) for e in events}
    if readable is not None:
        events = [
            e
            for e in events
            if about[e.seq] not in protected_items
            or item_visible(app, protected_items[about[e.seq]])
        ]
    shown_protected = sorted({about[e.seq] for e in events if about[e.seq] in protected_items})
    for case_id in sorted({protected_items[i].case_id for i in shown_protected}) if reveal else []:
        require(app, case_id, Right.REVEAL)
    opened: dict[int, Any] = {}
    if reveal and shown_protected:
        # The names and paths a protected item arrived under are in its encrypted record. The
        # key is needed for a sealed item too, though its record is gone: what the ledger holds
        # about it is not shown in the clear to someone without the key.
        held = require_opening(store, [protected_items[i] for i in shown_protected])
        opened = {
            i: disclose(store, protected_items[i])
            for i in shown_protected
            if i in held and not held[i].sealed
        }
        with store.writing() as (_connection, writer):
            record_reveal(writer, [protected_items[i] for i in shown_protected], {"log": True})
    return [
        EventView(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            action=e.action,
            case=e.case_id,
            item=e.item_id,
            details=_opened_details(
                shown_details(
                    details[e.seq],
                    about[e.seq] in protected_items and not reveal,
                    of_item=e.item_id is not None,
                ),
                opened.get(about[e.seq]),
            ),
            prev_hash=e.prev_hash,
            hash=e.hash,
        )
        for e in events
    ]


def _identified_by(details: Any) -> str | None:
    """How an event's actor was established, from its parsed details (``None`` for events
    recorded before that was kept, or edited into something else: ``verify`` names those)."""
    found = details.get(IDENTIFIED_BY) if isinstance(details, dict) else None
    return found if isinstance(found, str) else None


def _parsed(details: str) -> Any:
    """An event's details text read as JSON (None where an edit left something else)."""
    try:
        return json.loads(details)
    except ValueError:
        return None


def _about_item(item_id: int | None, details: Any) -> int:
    """The item an event is about: its own, or for a case's event the item its details name
    (a claim written in a case file and attributed to an item is recorded as the case's, with
    the words said in it) — so that an event about a protected item is shown, and withheld,
    as that item's events are. 0 (no item's number) when it names none."""
    if item_id is not None:
        return item_id
    named = details.get("item_id") if isinstance(details, dict) else None
    return named if isinstance(named, int) and not isinstance(named, bool) else 0


def _opened_details(details: dict[str, Any], disclosed: Any) -> dict[str, Any]:
    """Event details with the encrypted markers of a revealed item replaced by its record."""
    if disclosed is None:
        return details
    known = {"name": disclosed.name, "path": disclosed.paths[0] if disclosed.paths else None}
    return {k: (known.get(k) or v) if v == WITHHELD_AT_REST else v for k, v in details.items()}


def ledger_head(app: Enquiry) -> tuple[int, str] | None:
    """The head recorded outside the database (number and hash), to publish elsewhere."""
    head = read_head_file(app.store(create=False).home)
    return (head.seq, head.hash) if head else None


def _since(value: int | str | None) -> int | str | None:
    if value is None or isinstance(value, int):
        return value
    text = value.strip().lower()
    if text == "last" or text.isdigit():
        return text if text == "last" else int(text)
    raise BadRequest(f"--since {value}: not an event number (or 'last')")


def verify_home(
    app: Enquiry,
    progress: Progress | None = None,
    *,
    since: int | str | None = None,
    cluster: str | None = None,
    record: bool = False,
) -> VerifyReport:
    """Re-hash every blob, re-walk the ledger, compare every catalogue row with it.

    With ``record`` (``enquiry verify`` asks for it), a full verify that finds the home intact
    appends a ``verified`` event naming the head it proved, so that a later ``since`` run can
    start from it: the ledger vouches for that record like for any other. ``since`` (that head's event number, or ``last``) re-hashes only the
    blobs and texts of items the events after it are about; the ledger and every catalogue row
    are still checked in full. ``cluster`` (or ``ENQUIRY_CLUSTER``) re-hashes the blobs on a
    Dask cluster's workers.

    It reads every case of the home and may record under the acting user's name, so it is
    the administrator's (the command line's, or an account made ``--admin``), like a backup.
    """
    require_admin(app, "verify")
    store = app.store(create=False)
    asked = _since(since)
    head = verified_head(store, asked) if asked is not None else None
    address = chosen_address(cluster)
    bar = progress or Silent()
    bar.start("verifying blobs", None, "blob")
    try:
        with open_cluster(address, bar.problem) as client:
            report = verify(store, progress=bar.advance, since=head, client=client)
    finally:
        bar.finish()
    if record and report.intact and head is None:
        record_verified(store, report)
    return report
