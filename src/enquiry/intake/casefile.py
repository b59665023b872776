"""Case files: a whole investigation as one YAML document, loaded into and dumped from a home.

A case file holds the case, its actors, graded sources, incidents with their hypotheses and
established facts, evidence items (kind fields, inline text, an attached file, or a reference to
evidence already in the store by its SHA-256), claims with structured slots, and the analysts'
ratings. ``load`` takes it in through the same intake and ledger as ``enquiry add`` (every
original goes to the vault, every creation and change is a custody event), as one transaction:
a file that fails anywhere leaves nothing behind. ``dump`` writes it back. Items carry stable
keys (or are named by their SHA-256), so loading the same file twice changes nothing and
``dump(load(x))`` is ``x`` in its normal form (see :func:`normalise`).

What a case file may say is declared in :mod:`enquiry.intake.casefile_schema`; how it is read
safely (limits, aliases, duplicate keys, line and column of every error) in
:mod:`enquiry.intake.yamlsafe`. The format is documented in ``docs/casefile.md``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection, insert, or_, select, update

from enquiry.intake.casefile_schema import (
    ACTOR_TYPES,
    FORMAT,
    REDACTED,
    SECTIONS,
    SHA256_PREFIX,
    AttachmentRefused,
    CaseDocument,
    CaseFileError,
    EvidenceNotStored,
    as_document,
    item_ref,
    parse_document,
    prune,
)
from enquiry.intake.extract import Extractor
from enquiry.intake.pipeline import IntakeError, IntakeOptions, add_within
from enquiry.intake.yamlsafe import YamlError, compose, file_type, read_text, represent
from enquiry.model.grades import RATINGS
from enquiry.model.kinds import KindError, get_kind
from enquiry.model.wording import EARLIER, Worded, wordings
from enquiry.store import Store
from enquiry.store.claims_at_rest import disclosed_claims
from enquiry.store.crypt import WITHHELD_AT_REST, WITHHELD_SAID, WITHHELD_SPEAKER
from enquiry.store.ledger import LedgerWriter, state_digest, utc_now
from enquiry.store.protected import Opener, at_rest, encrypt_description, secret_record
from enquiry.store.tables import (
    Actor,
    Case,
    Claim,
    CustodyEvent,
    Hypothesis,
    Incident,
    Item,
    Rating,
    Source,
)

__all__ = [
    "ACTOR_TYPES",
    "FORMAT",
    "SECTIONS",
    "AttachmentRefused",
    "CaseDocument",
    "CaseFileError",
    "DumpResult",
    "EvidenceNotStored",
    "LoadReport",
    "builtin_case",
    "dump_case",
    "load_case",
    "load_case_file",
    "normalise",
    "read_case_file",
    "to_yaml",
    "write_dump",
]

BUILTIN_DIR = Path(__file__).resolve().parents[1] / "cases"

# The parts of a claim's ``data`` column that a case file states; the rest is the extractor's.
CLAIM_FILE_DATA = frozenset({"incident", "supports", "evidence"})


def builtin_case(name: str = "khan-shaykhun-2017-04-04") -> Path:
    """The path of a case file shipped in the package."""
    path = BUILTIN_DIR / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml")))
        raise CaseFileError(f"no built-in case '{name}' (known: {known})")
    return path


# ---------------------------------------------------------------------------------------------
# Reading and normal form
# ---------------------------------------------------------------------------------------------


def read_case_file(path: Path) -> CaseDocument:
    """Parse and normalise a case file, or raise :class:`CaseFileError` naming the file, line,
    column and entry at fault. Size, nesting and alias expansion are bounded (see
    :mod:`enquiry.intake.yamlsafe`), so a hostile file is refused quickly and cheaply."""
    file = str(path)
    try:
        node = compose(read_text(path), file)
    except YamlError as exc:
        raise CaseFileError(str(exc)) from None
    return parse_document(node, file)


def normalise(raw: Any, file: str = "case file") -> CaseDocument:
    """The normal form of already-parsed case-file data: validated, typed, defaults dropped.

    Kind fields are parsed by their kind schema, times become ISO 8601 text, rationales that are
    the same for every hypothesis become one string. :func:`dump_case` writes exactly this form,
    so a normalised file and the dump of what it loaded are equal.
    """
    try:
        node = represent(raw, file)
    except YamlError as exc:
        raise CaseFileError(str(exc)) from None
    return parse_document(node, file)


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    """What a load did, by entity: how many were created, updated or already so."""

    case: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def note(self, what: str, outcome: str) -> None:
        counter = {"created": self.created, "updated": self.updated}.get(outcome, self.unchanged)
        counter[what] = counter.get(what, 0) + 1

    def summary(self) -> str:
        def line(label: str, counts: Mapping[str, int]) -> str:
            parts = ", ".join(f"{n} {what}" for what, n in counts.items())
            return f"{label}: {parts or 'nothing'}"

        return "; ".join(
            (
                line("created", self.created),
                line("updated", self.updated),
                line("unchanged", self.unchanged),
            )
        )


# Takes in an entry whose bytes are withheld: (connection, writer, case id, entry) -> item id.
Absent = Callable[[Connection, LedgerWriter, int, Mapping[str, Any]], int]


@dataclass(frozen=True)
class _Attachment:
    """An attached file after confinement: where it really is, and whether that is outside the
    case file's folder (allowed only when the caller said so, and then recorded)."""

    path: Path
    outside: bool


class _Loader:
    """Writes one normalised case file into a store, inside one open transaction."""

    def __init__(
        self,
        store: Store,
        doc: CaseDocument,
        base: Path,
        extractors: Sequence[Extractor],
        allow_outside: bool,
        conn: Connection,
        writer: LedgerWriter,
    ) -> None:
        self.store = store
        self.doc = doc
        self.base = base
        self.extractors = tuple(extractors)
        self.allow_outside = allow_outside
        self.conn = conn
        self.writer = writer
        self.name = Path(doc.file).name
        self.case_name = str(doc["case"]["name"])
        self.report = LoadReport(self.case_name)
        self.case_id = 0
        self.absent: Absent | None = None
        # The manifest SHA-256 of the verified bundle this document came from, if it did: the
        # only source whose word that a redaction was confirmed this home takes in.
        self.bundle: str | None = None
        self.actors: dict[str, int] = {}
        self.sources: dict[str, int] = {}
        self.incidents: dict[str, int] = {}
        self.hypotheses: dict[tuple[str, str], int] = {}
        # incident slug -> hypothesis key -> the digest of its wording now (model.wording)
        self.wordings: dict[str, dict[str, str]] = {}
        self.items: dict[str, int] = {}
        self.claims: dict[str, int] = {}
        self.attachments: dict[int, _Attachment] = {}
        self.entry_of: dict[str, int] = {item_ref(i): n for n, i in enumerate(doc.get("items", []))}

    def fail(
        self, path: str, message: str, kind: type[CaseFileError] = CaseFileError
    ) -> CaseFileError:
        return self.doc.error(path, message, kind)

    def _item_path(self, ref: str, part: str = "") -> str:
        index = self.entry_of.get(ref)
        if index is None:
            return ""
        return f"items[{index}]" + (f".{part}" if part else "")

    # -- before anything is written --------------------------------------------------------

    def precheck(self) -> None:
        """Refuse before taking anything in what would stop the load half-way: an attached
        file outside the case folder or missing, a name neither in the file nor in the case."""
        if self.bundle is None:
            for n, item in enumerate(self.doc.get("items", [])):
                if item.get("confirmed"):
                    raise self.fail(
                        f"items[{n}].confirmed",
                        f"item '{item_ref(item)}': a case file cannot confirm a redaction; only "
                        "'enquiry bundle import' takes in a confirmation, as the verified bundle "
                        "records it (here, look at the redaction and run 'enquiry media redact "
                        "--confirm ITEM')",
                    )
        known: dict[str, set[str]] = {"actor": set(), "source": set(), "item": set()}
        stored_shas: set[str] = set()
        case_id = self.store.case_id(self.conn, self.case_name)
        if case_id is not None:
            for what, table, column in (
                ("actor", Actor, Actor.name),
                ("source", Source, Source.name),
                ("item", Item, Item.key),
            ):
                rows = self.conn.execute(select(column).where(table.case_id == case_id))
                known[what].update(str(v) for v in rows.scalars() if v is not None)
            stored_shas.update(
                str(v)
                for v in self.conn.execute(
                    select(Item.sha256).where(Item.case_id == case_id, Item.sha256.is_not(None))
                ).scalars()
            )
        stored_items = set(known["item"])
        known["actor"].update(a["name"] for a in self.doc.get("actors", []))
        known["source"].update(s["name"] for s in self.doc.get("sources", []))
        known["item"].update(item_ref(i) for i in self.doc.get("items", []))
        wanted = [
            (f"sources[{n}].actor", "actor", s.get("actor"))
            for n, s in enumerate(self.doc.get("sources", []))
        ]
        for n, item in enumerate(self.doc.get("items", [])):
            wanted.append((f"items[{n}].source", "source", item.get("source")))
            if "file" not in item:
                continue
            stored = item.get("key") in stored_items or item.get("sha256") in stored_shas
            if stored and item.get("sha256"):
                # The stored original is what the entry names: the file is not read at all.
                continue
            attachment = self._confine(n, item, must_exist=not stored)
            if attachment is not None:
                self.attachments[n] = attachment
        for n, claim in enumerate(self.doc.get("claims", [])):
            wanted.append((f"claims[{n}].actor", "actor", claim["actor"]))
            wanted.append((f"claims[{n}].item", "item", claim.get("item")))
        for n, rating in enumerate(self.doc.get("ratings", [])):
            wanted.append((f"ratings[{n}].item", "item", rating.get("item")))
        for path, what, name in wanted:
            if name and name not in known[what] and not name.startswith(SHA256_PREFIX):
                raise self.fail(path, f"{what} '{name}' is not defined in the file or the case")

    def _confine(
        self, index: int, item: Mapping[str, Any], *, must_exist: bool
    ) -> _Attachment | None:
        """The attached file, if it lies inside the case file's folder (symbolic links
        resolved) and is a regular file; refused otherwise, unless ``allow_outside``."""
        written = str(item["file"])
        where = f"items[{index}].file"
        # A protected item's path may be the witness's name: the line and the key locate it.
        shown = "its file (path not shown: the item is protected)"
        label = f"item '{item_ref(item)}': " + (
            shown if item.get("protected") else f"file '{written}'"
        )
        hint = (
            "; attached files must lie in the case file's folder (--allow-outside reads elsewhere)"
        )
        relative = Path(written)
        if not self.allow_outside:
            if relative.is_absolute():
                raise self.fail(where, f"{label} is an absolute path{hint}", AttachmentRefused)
            if ".." in relative.parts:
                raise self.fail(
                    where, f"{label} leads out of the folder ('..'){hint}", AttachmentRefused
                )
        base = self.base.resolve()
        try:
            path = (base / relative).resolve(strict=True)
        except FileNotFoundError:
            if must_exist:
                raise self.fail(where, f"{label} does not exist") from None
            return None
        except (OSError, RuntimeError) as exc:
            raise self.fail(
                where, f"{label} cannot be read ({getattr(exc, 'strerror', None) or exc})"
            ) from None
        outside = not path.is_relative_to(base)
        if outside and not self.allow_outside:
            raise self.fail(
                where,
                f"{label} is a symbolic link to a file outside the folder{hint}",
                AttachmentRefused,
            )
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            raise self.fail(where, f"{label} cannot be read ({exc.strerror or exc})") from None
        if not stat.S_ISREG(mode):
            raise self.fail(where, f"{label} is {file_type(mode)}, not a file", AttachmentRefused)
        return _Attachment(path, outside)

    # -- the frame: case, actors, sources, incidents, hypotheses --------------------------------

    def frame(self) -> None:
        conn, writer = self.conn, self.writer
        self.case_id = self.store.ensure_case(conn, writer, self.case_name)
        case = self.doc["case"]
        self._upsert(
            "case",
            "case",
            Case,
            {"id": self.case_id},
            {"title": case.get("title", self.case_name), "mandate": case.get("mandate", "")},
            create=False,
        )
        # A dump's stand-in speaker is made only for a withheld claim this home lacks: loaded back
        # into its own home, the claims it stands in for keep their own speakers.
        stand_in = any(
            c.get("withheld") and self._held_claim(c["key"]) is None
            for c in self.doc.get("claims", [])
        )
        for n, actor in enumerate(self.doc.get("actors", [])):
            if actor["name"] == WITHHELD_SPEAKER and not stand_in:
                continue
            values = {
                "type": actor["type"],
                "aliases": actor.get("aliases", []),
                "title": actor.get("title", ""),
                "affiliation": actor.get("affiliation", ""),
            }
            self.actors[actor["name"]] = self._upsert(
                f"actors[{n}]",
                "actor",
                Actor,
                {"case_id": self.case_id, "name": actor["name"]},
                values,
            )
        self._known(Actor, Actor.name, self.actors)
        for n, source in enumerate(self.doc.get("sources", [])):
            actor_id = self._ref(self.actors, source.get("actor"), f"sources[{n}].actor", "actor")
            values = {
                "reliability": source["reliability"],
                "actor_id": actor_id,
                "description": source.get("description", ""),
            }
            self.sources[source["name"]] = self._upsert(
                f"sources[{n}]",
                "source",
                Source,
                {"case_id": self.case_id, "name": source["name"]},
                values,
            )
        self._known(Source, Source.name, self.sources)
        for n, incident in enumerate(self.doc.get("incidents", [])):
            self._incident(n, incident)

    def _incident(self, index: int, incident: Mapping[str, Any]) -> None:
        where = f"incidents[{index}]"
        found = self.conn.execute(
            select(Incident.case_id).where(Incident.slug == incident["slug"])
        ).scalar()
        if found is not None and found != self.case_id:
            raise self.fail(where, f"incident '{incident['slug']}' already belongs to another case")
        window = incident.get("window") or {}
        place = incident.get("place") or {}
        data = prune(
            {
                "place": {k: v for k, v in place.items() if k not in ("name", "lat", "lon")},
                "means": incident.get("means", []),
                "description": incident.get("description", ""),
                "casualties": incident.get("casualties", []),
                "thresholds": incident.get("thresholds", {}),
                "replies": incident.get("replies", []),
                "panel": incident.get("panel", []),
            }
        )
        values = {
            "case_id": self.case_id,
            "title": incident.get("title", ""),
            "category": incident.get("category", ""),
            "window_start": window.get("start"),
            "window_end": window.get("end"),
            "place": place.get("name", ""),
            "lat": place.get("lat"),
            "lon": place.get("lon"),
            "data": data,
        }
        incident_id = self._upsert(where, "incident", Incident, {"slug": incident["slug"]}, values)
        self.incidents[incident["slug"]] = incident_id
        before = self._wordings(incident_id)
        for n, hyp in enumerate(incident["hypotheses"]):
            values = {
                "label": hyp["label"],
                "description": hyp.get("description", ""),
                "is_other": bool(hyp.get("other")),
                "prior": hyp.get("prior"),
            }
            self.hypotheses[(incident["slug"], hyp["id"])] = self._upsert(
                f"{where}.hypotheses[{n}]",
                "hypothesis",
                Hypothesis,
                {"incident_id": incident_id, "key": hyp["id"]},
                values,
            )
        self._reworded(incident["slug"], incident_id, before)

    def _wordings(self, incident_id: int) -> dict[str, str]:
        """Hypothesis key -> the digest of its wording, as the incident's rows hold it now."""
        rows = self.conn.execute(
            select(
                Hypothesis.key, Hypothesis.label, Hypothesis.description, Hypothesis.is_other
            ).where(Hypothesis.incident_id == incident_id)
        )
        return wordings(
            Worded(str(r.key), str(r.label), str(r.description or ""), bool(r.is_other))
            for r in rows
        )

    def _reworded(self, slug: str, incident_id: int, before: Mapping[str, str]) -> None:
        """Record in the ledger which hypotheses this load reworded and how many ratings now
        stand against an earlier wording: the ``updated`` event of each hypothesis says what
        its text was, this one says what the change did to the ratings made under it (the
        catch-all is reworded by a change to any rival, see ``enquiry.model.wording``)."""
        now = self._wordings(incident_id)
        self.wordings[slug] = now
        changed = sorted(k for k, digest in before.items() if now.get(k) != digest)
        if not changed:
            return
        ids = [
            self.hypotheses.get((slug, k))
            or self.conn.execute(
                select(Hypothesis.id).where(
                    Hypothesis.incident_id == incident_id, Hypothesis.key == k
                )
            ).scalar()
            for k in changed
        ]
        key_of = dict(zip(ids, changed, strict=True))
        earlier = sum(
            1
            for hyp_id, wording in self.conn.execute(
                select(Rating.hypothesis_id, Rating.wording).where(
                    Rating.hypothesis_id.in_([i for i in ids if i is not None])
                )
            )
            if wording != now[key_of[hyp_id]]
        )
        self.writer.append(
            "updated",
            case_id=self.case_id,
            details={
                "incident": slug,
                "reworded": changed,
                "ratings_of_earlier_wording": earlier,
            },
        )

    def _known(self, table: Any, column: Any, into: dict[str, int]) -> None:
        """Entities of the case that this file does not list, so later references resolve."""
        for row_id, name in self.conn.execute(
            select(table.id, column).where(table.case_id == self.case_id)
        ):
            into.setdefault(name, row_id)

    def _ref(self, known: Mapping[str, int], name: str | None, where: str, what: str) -> int | None:
        if not name:
            return None
        if name not in known:
            if name.startswith(SHA256_PREFIX):
                raise self.fail(
                    where,
                    f"no item of case '{self.case_name}' holds the evidence {name}",
                    EvidenceNotStored,
                )
            raise self.fail(where, f"{what} '{name}' is not defined in the file or the case")
        return known[name]

    def _upsert(
        self,
        where: str,
        what: str,
        table: Any,
        match: Mapping[str, Any],
        values: Mapping[str, Any],
        *,
        create: bool = True,
    ) -> int:
        """Insert or update one row by its natural key; record the change in the ledger."""
        conn, writer = self.conn, self.writer
        columns = [getattr(table, k) for k in values]
        query = select(table.id, *columns)
        for k, v in match.items():
            query = query.where(getattr(table, k) == v)
        row = conn.execute(query).first()
        label = {k: v for k, v in match.items() if k not in ("case_id", "incident_id", "id")}
        if row is None:
            if not create:
                raise self.fail(where, f"{what} {label} does not exist")
            new = conn.execute(insert(table).values(**match, **values)).inserted_primary_key
            assert new is not None
            writer.append("created", case_id=self.case_id, details={what: label, **dict(values)})
            self.report.note(what, "created")
            return int(new[0])
        current = dict(zip(values, row[1:], strict=True))
        changed = {k: v for k, v in values.items() if current[k] != v}
        if changed:
            conn.execute(update(table).where(table.id == row.id).values(**changed))
            writer.append(
                "updated",
                case_id=self.case_id,
                details={
                    what: label,
                    "changed": dict(changed),
                    "was": {k: current[k] for k in changed},
                },
            )
            self.report.note(what, "updated")
        else:
            self.report.note(what, "unchanged")
        return int(row.id)

    # -- items ----------------------------------------------------------------------------------

    def load_items(self) -> None:
        # Evidence of the case may be named by its SHA-256 whether or not the file lists it.
        for row_id, sha in self.conn.execute(
            select(Item.id, Item.sha256)
            .where(Item.case_id == self.case_id, Item.sha256.is_not(None))
            .order_by(Item.derived_from.is_not(None), Item.id)
        ):
            self.items.setdefault(SHA256_PREFIX + str(sha), row_id)
        for row_id, key in self.conn.execute(
            select(Item.id, Item.key).where(Item.case_id == self.case_id, Item.key.is_not(None))
        ):
            self.items[str(key)] = row_id
        for index, item in enumerate(self.doc.get("items", [])):
            key = item.get("key")
            if key and key in self.items:
                self._refresh_item(index, item, self.items[key], check_content=True)
                continue
            stored = self._stored_match(index, item)
            if stored is not None:
                self.items[item_ref(item)] = stored
                self._refresh_item(index, item, stored, check_content=False)
            else:
                self._new_item(index, item)

    def _content(
        self, index: int, item: Mapping[str, Any]
    ) -> tuple[bytes | None, Path | None, dict[str, Any]]:
        """The item's bytes (inline text) or file, and the note that lets dump write it back."""
        if "text" in item:
            return str(item["text"]).encode("utf-8"), None, {"text": True}
        if "file" in item:
            attachment = self.attachments.get(index)
            return None, attachment.path if attachment else None, {"file": item["file"]}
        return None, None, {}

    def _expected_sha(self, index: int, item: Mapping[str, Any]) -> str | None:
        """The SHA-256 the entry stands for: its content's, checked against a ``sha256`` given
        beside it; else the ``sha256`` alone; ``None`` for an item known only by description."""
        data, path, _note = self._content(index, item)
        given = item.get("sha256")
        if data is not None:
            actual: str | None = hashlib.sha256(data).hexdigest()
        elif path is not None:
            actual = _file_sha256(path)
        else:
            actual = None
        if given and actual and actual != given:
            raise self.fail(
                f"items[{index}].sha256",
                f"item '{item_ref(item)}': the content's SHA-256 is {actual}, the file says {given}",
            )
        return actual or (str(given) if given else None)

    def _stored_match(self, index: int, item: Mapping[str, Any]) -> int | None:
        """The item of the case that already holds this entry's evidence (same SHA-256, same
        parent), so that evidence taken in by ``enquiry add`` can be named, rated and dumped
        back without being taken in twice."""
        sha = self._expected_sha(index, item)
        if sha is None:
            return None
        parent = self._ref(
            self.items,
            item.get("derived_from"),
            self._item_path(item_ref(item), "derived_from"),
            "item",
        )
        query = select(Item.id, Item.key).where(Item.case_id == self.case_id, Item.sha256 == sha)
        query = query.where(
            Item.derived_from.is_(None) if parent is None else Item.derived_from == parent
        )
        row = self.conn.execute(query.order_by(Item.key.is_not(None), Item.id)).first()
        if row is None:
            return None
        key = item.get("key")
        if key and row.key and row.key != key:
            raise self.fail(
                self._item_path(item_ref(item)),
                f"item '{key}': the same content is already item '{row.key}'; "
                "give each item its own content or list it once",
            )
        return int(row.id)

    def _new_item(self, index: int, item: Mapping[str, Any]) -> None:
        ref = item_ref(item)
        where = f"items[{index}]"
        data, path, note = self._content(index, item)
        source = item.get("source")
        self._ref(self.sources, source, f"{where}.source", "source")
        parent = self._ref(self.items, item.get("derived_from"), f"{where}.derived_from", "item")
        if data is None and path is None and item.get("sha256") and self.absent is not None:
            item_id = self.absent(self.conn, self.writer, self.case_id, item)
            self.items[ref] = item_id
            self.report.note("item", "created")
            self._settle_item(item_id, item, {}, created=True)
            self._confirmation(index, item, item_id)
            return
        if data is None and path is None and item.get("sha256"):
            raise self.fail(
                where,
                f"no item of case '{self.case_name}' holds the evidence {SHA256_PREFIX}"
                f"{item['sha256']}, and the entry carries no content (a dump without --reveal "
                "withholds protected items' content)",
                EvidenceNotStored,
            )
        if data is None and path is None:
            self._metadata_item(item, parent)
            return
        outside = self.attachments.get(index)
        options = IntakeOptions(
            case=self.case_name,
            kind=item["kind"],
            source=source,
            fields=item.get("fields", {}),
            progress=False,
            jobs=1,
            # a protected file goes into the vault only as ciphertext, from the first byte
            protected=bool(item.get("protected")),
            derived_from=parent,
            key=item.get("key"),
            transformation=(item.get("transformation") or {"relation": "copy of another item"})
            if parent
            else None,
            receipt={
                "casefile": self.name,
                **({"outside_case_folder": True} if outside and outside.outside else {}),
            },
        )
        try:
            result = add_within(
                self.conn,
                self.writer,
                self.store,
                data if data is not None else path,  # type: ignore[arg-type]
                f"{self.name}#items/{ref}",
                options,
                self.extractors,
            )
        except IntakeError as exc:
            raise self.fail(where, f"item '{ref}': {exc}") from None
        if result.item_id is None:
            problem = "; ".join(self._scrub(item, path, result.problems)) or "nothing was stored"
            raise self.fail(where, f"item '{ref}': {problem}")
        self.report.problems.extend(
            f"item '{ref}': {p}" for p in self._scrub(item, path, result.problems)
        )
        if item.get("sha256") and result.sha256 != item["sha256"]:
            raise self.fail(
                f"{where}.sha256",
                f"item '{ref}': the content's SHA-256 is {result.sha256}, the file says {item['sha256']}",
            )
        stored_key = self.conn.execute(select(Item.key).where(Item.id == result.item_id)).scalar()
        if item.get("key") and stored_key != item["key"]:
            raise self.fail(
                where,
                f"item '{ref}': the same content is already item '{stored_key or result.item_id}'; "
                "give each item its own content or list it once",
            )
        self.items[ref] = result.item_id
        self.report.note("item", "created")
        self._settle_item(result.item_id, item, note, created=True)
        self._confirmation(index, item, result.item_id)

    @staticmethod
    def _scrub(item: Mapping[str, Any], path: Path | None, problems: list[str]) -> list[str]:
        """Intake's problems about an item, without a protected item's file name or path."""
        if not item.get("protected") or path is None:
            return list(problems)
        names = sorted({str(path), path.name, str(item.get("file", ""))} - {""}, key=len)
        out = []
        for problem in problems:
            for name in reversed(names):
                problem = problem.replace(name, "(withheld)")
            out.append(problem)
        return out

    def _metadata_item(self, item: Mapping[str, Any], parent: int | None) -> None:
        """An item known only by its description (no bytes yet): a row and its custody event."""
        fields = dict(item.get("fields", {}))
        secret: dict[str, Any] | None = None
        if item.get("protected"):
            # No bytes to encrypt, but its identifying values go into a sealed secret record.
            record, fields = secret_record(
                "", fields, get_kind(item["kind"]).identifying_fields(), {}, [], {}
            )
            secret = record if record["fields"] else None
            if secret is None:
                fields = dict(item.get("fields", {}))
        row = {
            "case_id": self.case_id,
            "kind": item["kind"],
            "sha256": None,
            "size": None,
            "media_type": "",
            "original_name": "",
            "fields": fields,
            "meta": {},
            "source_id": self.sources.get(item.get("source", "")),
            "credibility": item.get("credibility"),
            "protected": bool(item.get("protected")),
            "derived_from": parent,
            "transformation": None,
            "origin": item.get("origin"),
            "key": item["key"],
            "created_at": utc_now(),
        }
        new = self.conn.execute(insert(Item).values(**row)).inserted_primary_key
        assert new is not None
        item_id = int(new[0])
        if secret is not None:
            encrypt_description(self.conn, case_id=self.case_id, item_id=item_id, secret=secret)
        self.writer.append(
            "received",
            case_id=self.case_id,
            item_id=item_id,
            details={
                "kind": item["kind"],
                "key": item["key"],
                "casefile": self.name,
                "content": None,
                "state": state_digest(row),
            },
        )
        self.items[item["key"]] = item_id
        self.report.note("item", "created")

    def _refresh_item(
        self, index: int, item: Mapping[str, Any], item_id: int, *, check_content: bool
    ) -> None:
        ref = item_ref(item)
        where = f"items[{index}]"
        row = self.conn.execute(
            select(Item.kind, Item.sha256, Item.transformation).where(Item.id == item_id)
        ).one()
        if row.kind != item["kind"]:
            raise self.fail(
                f"{where}.kind",
                f"item '{ref}': is a {row.kind} in the case, the file says {item['kind']}",
            )
        said = item.get("transformation")
        if said is not None and (row.transformation or None) != said:
            # How an item was made is recorded when it is taken in; a file cannot rewrite it
            # (nor turn a copy into a redaction).
            raise self.fail(
                f"{where}.transformation",
                f"item '{ref}': the case records another transformation for it; how an item "
                "was made is never changed",
            )
        if check_content:
            expected = self._expected_sha(index, item)
            if expected is not None and row.sha256 != expected:
                raise self.fail(
                    where,
                    f"item '{ref}': its content differs from the stored original ({row.sha256}); "
                    "originals are never changed: give the new version a new key",
                )
        self._ref(self.sources, item.get("source"), f"{where}.source", "source")
        changed = self._settle_item(item_id, item, {}, created=False)
        self._confirmation(index, item, item_id)
        self.report.note("item", "updated" if changed else "unchanged")

    def _confirmation(self, index: int, item: Mapping[str, Any], item_id: int) -> None:
        """Record the confirmation a verified bundle says a person gave this redaction in the
        home it came from: a ``confirmed`` event whose details say by whom and when, there, per
        the bundle — the acting user here confirmed nothing. Only an item this home records as
        a derivative made by redaction can be confirmed; one confirmed already is left as it is."""
        said = item.get("confirmed")
        if not said:
            return
        where = f"items[{index}].confirmed"
        if self.bundle is None:  # precheck refuses it first; never reached from a plain load
            raise self.fail(
                where, f"item '{item_ref(item)}': a case file cannot confirm a redaction"
            )
        row = self.conn.execute(
            select(Item.sha256, Item.derived_from, Item.transformation).where(Item.id == item_id)
        ).one()
        how = row.transformation.get("how") if isinstance(row.transformation, dict) else None
        if row.derived_from is None or how != REDACTED:
            raise self.fail(
                where,
                f"item '{item_ref(item)}': is not recorded here as a redaction of another item; "
                "only a redaction can be confirmed",
            )
        already = self.conn.execute(
            select(CustodyEvent.seq)
            .where(CustodyEvent.action == "confirmed", CustodyEvent.item_id == item_id)
            .limit(1)
        ).first()
        if already is not None:
            return
        self.writer.append(
            "confirmed",
            case_id=self.case_id,
            item_id=item_id,
            details={
                "sha256": row.sha256,
                "derived_from": int(row.derived_from),
                "purpose": "publication",
                "confirmed": {"in": "the source home", "by": said["by"], "at": said["at"]},
                "bundle": self.bundle,
            },
        )

    def _settle_item(
        self, item_id: int, item: Mapping[str, Any], note: Mapping[str, Any], *, created: bool
    ) -> bool:
        """Bring the columns intake does not set (credibility, origin, ...) to the file's values.

        How the item arrived (inline text or which file) is noted once, when it is created, so
        that loading a dump whose attachments sit elsewhere changes nothing.
        """
        current = _item_mapping(self.conn, item_id)
        fields = dict(item.get("fields", {}))
        for name in item.get("withheld", []):
            if name in current["fields"]:
                fields[name] = current["fields"][name]
        meta = dict(current["meta"] or {})
        if note:
            meta["casefile"] = dict(note)
        encrypted = bool(at_rest(self.conn, [item_id]))
        if encrypted:
            # The item's identifying values and the file it came from are in its encrypted
            # secret record; the row keeps only the marker (changing them takes the key:
            # 'enquiry item update').
            identifying = get_kind(item["kind"]).identifying_fields()
            fields = {k: (WITHHELD_AT_REST if k in identifying else v) for k, v in fields.items()}
            if "file" in meta.get("casefile", {}):
                meta["casefile"] = {**meta["casefile"], "file": WITHHELD_AT_REST}
        wanted = {
            "fields": fields,
            "meta": meta,
            "source_id": self.sources.get(item.get("source", "")),
            "credibility": item.get("credibility"),
            "protected": bool(item.get("protected")) or encrypted,
            "derived_from": self.items.get(item.get("derived_from", "")),
            "origin": item.get("origin"),
        }
        if item.get("transformation") is not None:
            # an item taken in without its bytes (withheld by a bundle) gets it here
            wanted["transformation"] = item["transformation"]
        if item.get("key") and current["key"] is None:
            wanted["key"] = item["key"]
        changed = {k: v for k, v in wanted.items() if current[k] != v}
        if not changed:
            return False
        self.conn.execute(
            update(Item)
            .where(Item.id == item_id)
            .values({getattr(Item, k): v for k, v in changed.items()})
        )
        new_row = {**current, **changed}
        shown = {k: v for k, v in changed.items() if k not in ("fields", "meta")}
        self.writer.append(
            "updated",
            case_id=self.case_id,
            item_id=item_id,
            details={
                "key": item_ref(item),
                "casefile": self.name,
                "changed": sorted(changed),
                "values": shown,
                "state": state_digest(new_row),
            },
        )
        return not created

    # -- claims and ratings ---------------------------------------------------------------------

    def load_claims_and_ratings(self) -> None:
        conn = self.conn
        for n, claim in enumerate(self.doc.get("claims", [])):
            where = f"claims[{n}]"
            key = claim["key"]
            if claim.get("withheld"):
                held = self._held_claim(key)
                if held is not None:  # its words and speaker are here; the dump had neither
                    self.claims[key] = held
                    continue
            actor_id = self._ref(self.actors, claim["actor"], f"{where}.actor", "actor")
            item_id = self._ref(self.items, claim.get("item"), f"{where}.item", "item")
            incident = claim.get("incident")
            if incident:
                self._known_incident(incident, f"{where}.incident")
            data = prune(
                {
                    "incident": incident,
                    "supports": claim.get("supports", []),
                    "evidence": claim.get("evidence", []),
                    "outcome": claim.get("outcome"),
                }
            )
            values = {
                "actor_id": actor_id,
                "item_id": item_id,
                "text": claim["text"],
                "date": claim.get("date"),
                "date_phrase": claim.get("date_phrase", ""),
                "forum": claim.get("forum", ""),
                "slots": claim.get("slots", {}),
                "origin": claim.get("origin"),
                "data": data,
            }
            match: dict[str, Any] = {"case_id": self.case_id, "key": key}
            unkeyed = self._unkeyed_claim(key, claim["text"])
            if unkeyed is not None:
                match = {"case_id": self.case_id, "id": unkeyed}
            values["data"] = self._kept_claim_data(match) | data
            self.claims[key] = self._upsert(where, "claim", Claim, match, values)
        for row_id, key in conn.execute(
            select(Claim.id, Claim.key).where(Claim.case_id == self.case_id, Claim.key.is_not(None))
        ):
            self.claims.setdefault(str(key), row_id)
        for n, rating in enumerate(self.doc.get("ratings", [])):
            self._rating(n, rating)

    def _held_claim(self, key: str) -> int | None:
        """The claim of this case a withheld claim of a dump stands for (by key, or by number
        for a claim that had none), if this home holds it."""
        query = select(Claim.id).where(Claim.case_id == self.case_id, Claim.key == key)
        found = self.conn.execute(query).scalar()
        unkeyed = re.fullmatch(r"claim-(\d+)", key)
        if found is None and unkeyed is not None and len(unkeyed.group(1)) < 10:
            found = self.conn.execute(
                select(Claim.id).where(
                    Claim.id == int(unkeyed.group(1)),
                    Claim.case_id == self.case_id,
                    Claim.key.is_(None),
                )
            ).scalar()
        return None if found is None else int(found)

    def _kept_claim_data(self, match: Mapping[str, Any]) -> dict[str, Any]:
        """What a stored claim records that a case file cannot say (where in the text the
        extractor found its speaker, cue and content, and which extractor): kept when the
        claim is loaded again, so a dump loaded back loses nothing."""
        query = select(Claim.data)
        for column, value in match.items():
            query = query.where(getattr(Claim, column) == value)
        stored = self.conn.execute(query).scalar()
        return {k: v for k, v in (stored or {}).items() if k not in CLAIM_FILE_DATA}

    def _unkeyed_claim(self, key: str, text: str) -> int | None:
        """The claim a dump named ``claim-<id>`` because it had no key (claims read from text
        by ``ingest`` have none): the same claim of this case, with the same words, is the one
        meant — so a dump loads back into its own home without a second copy of each claim."""
        found = re.fullmatch(r"claim-(\d+)", key)
        if found is None:
            return None
        row = self.conn.execute(
            select(Claim.id).where(
                Claim.id == int(found.group(1)),
                Claim.case_id == self.case_id,
                Claim.key.is_(None),
                Claim.text == text,
            )
        ).scalar()
        return None if row is None else int(row)

    def _known_incident(self, slug: str, where: str) -> int:
        if slug not in self.incidents:
            found = self.conn.execute(
                select(Incident.id).where(Incident.slug == slug, Incident.case_id == self.case_id)
            ).scalar()
            if found is None:
                raise self.fail(where, f"incident '{slug}' is not defined in the file or the case")
            self.incidents[slug] = int(found)
            for hyp_id, hyp_key in self.conn.execute(
                select(Hypothesis.id, Hypothesis.key).where(Hypothesis.incident_id == found)
            ):
                self.hypotheses[(slug, hyp_key)] = hyp_id
        if slug not in self.wordings:
            self.wordings[slug] = self._wordings(self.incidents[slug])
        return self.incidents[slug]

    def _rating(self, index: int, rating: Mapping[str, Any]) -> None:
        conn, writer = self.conn, self.writer
        where = f"ratings[{index}]"
        slug = rating["incident"]
        self._known_incident(slug, f"{where}.incident")
        item_id = self._ref(self.items, rating.get("item"), f"{where}.item", "item")
        claim_id = self._ref(self.claims, rating.get("claim"), f"{where}.claim", "claim")
        analyst = rating.get("analyst", "")
        values = rating.get("values", {})
        likelihoods = rating.get("likelihoods", {})
        rationale = rating.get("rationale", "")
        # a rating stated anew (a new row, or a changed value or rationale) is made under the
        # wording the hypothesis has now; ``worded`` (written by a dump) keeps the wording a
        # rating was made under when that was an earlier one, so a dump loaded elsewhere does
        # not present it as a rating of the current text
        worded = rating.get("worded", {})
        current = self.wordings[slug]
        changes: dict[str, Any] = {}
        for hyp in dict.fromkeys([*values, *likelihoods]):
            hyp_id = self.hypotheses.get((slug, hyp))
            if hyp_id is None:
                raise self.fail(where, f"incident '{slug}' has no hypothesis '{hyp}'")
            text = rationale if isinstance(rationale, str) else rationale.get(hyp, "")
            wanted = {
                "rating": values.get(hyp),
                "likelihood": likelihoods.get(hyp),
                "rationale": text,
            }
            row = conn.execute(
                select(
                    Rating.id, Rating.rating, Rating.likelihood, Rating.rationale, Rating.wording
                ).where(
                    Rating.hypothesis_id == hyp_id,
                    Rating.item_id.is_(item_id) if item_id is None else Rating.item_id == item_id,
                    Rating.claim_id.is_(None) if claim_id is None else Rating.claim_id == claim_id,
                    Rating.analyst == analyst,
                )
            ).first()
            if row is None:
                conn.execute(
                    insert(Rating).values(
                        hypothesis_id=hyp_id,
                        item_id=item_id,
                        claim_id=claim_id,
                        analyst=analyst,
                        created_at=utc_now(),
                        wording=worded.get(hyp, current[hyp]),
                        **wanted,
                    )
                )
                changes[hyp] = {"rating": wanted["rating"], "likelihood": wanted["likelihood"]}
                if worded.get(hyp, current[hyp]) != current[hyp]:
                    changes[hyp]["earlier_wording"] = True
            elif (row.rating, row.likelihood, row.rationale) != tuple(wanted.values()) or (
                hyp in worded and row.wording != worded[hyp]
            ):
                wording = worded.get(hyp, current[hyp])
                conn.execute(
                    update(Rating).where(Rating.id == row.id).values(**wanted, wording=wording)
                )
                changes[hyp] = {
                    "rating": wanted["rating"],
                    "likelihood": wanted["likelihood"],
                    "was": row.rating if row.likelihood is None else row.likelihood,
                }
                if wording != current[hyp]:
                    changes[hyp]["earlier_wording"] = True
        if changes:
            writer.append(
                "rated",
                case_id=self.case_id,
                item_id=item_id,
                details={
                    "incident": slug,
                    "item": rating.get("item"),
                    "claim": rating.get("claim"),
                    "analyst": analyst,
                    "ratings": changes,
                    "rationale": hashlib.sha256(str(rationale).encode()).hexdigest(),
                },
            )
            self.report.note("rating", "created")
        else:
            self.report.note("rating", "unchanged")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _item_mapping(conn: Connection, item_id: int) -> dict[str, Any]:
    row = conn.execute(select(Item.__table__).where(Item.id == item_id)).mappings().one()
    return {("meta" if k == "metadata" else k): v for k, v in row.items()}


def load_case(
    store: Store,
    doc: Mapping[str, Any],
    *,
    extractors: Iterable[Extractor] = (),
    base: Path | None = None,
    name: str = "case file",
    allow_outside: bool = False,
    before_items: Callable[[Connection, LedgerWriter, int], None] | None = None,
    absent: Absent | None = None,
    bundle: str | None = None,
) -> LoadReport:
    """Load a normalised case file (see :func:`read_case_file`) into ``store``, as one
    transaction: a file that fails anywhere leaves no case, item, rating or ledger event behind
    (a blob already copied into the vault stays there, unreferenced, as after an interrupted
    ``add``).

    Idempotent: entities are matched by their natural keys (names, slugs, item keys or SHA-256,
    claim keys, hypothesis ids); what already matches is left alone, what differs is updated
    with a ledger event, and an item whose content differs from its stored original is refused.
    Attached files must lie inside ``base`` (the case file's folder) unless ``allow_outside``;
    the receipt of a file read from elsewhere records that it was. ``before_items`` runs in the
    same transaction once the case exists (with its id), before the items are taken in.
    ``absent`` takes in an entry known only by its SHA-256 whose bytes this home will never
    hold (an item withheld from an imported bundle) and returns its new item's id; without it
    such an entry is refused. ``bundle`` is the manifest SHA-256 of the verified bundle the
    document came from (``enquiry bundle import``): only then is an item's ``confirmed`` (a
    redaction a person confirmed in the home it came from) taken in, recorded as the bundle's
    word; any other load refuses it.
    """
    document = as_document(doc, name)
    with store.writing() as (conn, writer):
        loader = _Loader(
            store, document, base or Path.cwd(), list(extractors), allow_outside, conn, writer
        )
        loader.absent = absent
        loader.bundle = bundle
        loader.precheck()
        loader.frame()
        if before_items is not None:
            before_items(conn, writer, loader.case_id)
        loader.load_items()
        loader.load_claims_and_ratings()
    return loader.report


def load_case_file(
    store: Store,
    path: Path,
    *,
    extractors: Iterable[Extractor] = (),
    allow_outside: bool = False,
) -> LoadReport:
    """Read, check and load the case file at ``path`` (attachments relative to its folder, and
    confined to it unless ``allow_outside``)."""
    doc = read_case_file(path)
    return load_case(
        store,
        doc,
        extractors=extractors,
        base=path.parent,
        name=path.name,
        allow_outside=allow_outside,
    )


# ---------------------------------------------------------------------------------------------
# Dumping
# ---------------------------------------------------------------------------------------------


@dataclass
class _Dumped:
    """A dump's document and what protection did to it."""

    doc: dict[str, Any]
    case_id: int
    revealed: list[tuple[int, list[str]]]
    withheld: list[int]
    withheld_claims: int = 0


def dump_case(
    store: Store,
    case_name: str,
    *,
    reveal: bool = False,
    purpose: str = "dump",
    record_reveal: bool = True,
) -> dict[str, Any]:
    """The case as a case file in normal form.

    For protected items, identifying fields are left out and the content (inline text, or the
    attached file's name and path) is replaced by its SHA-256 — what was left out is listed
    under ``withheld`` — unless ``reveal``. A reveal is recorded as one "revealed" event per
    item unless ``record_reveal`` is false (for a caller that records it itself).
    """
    dumped = _dump(store, case_name, reveal=reveal)
    if dumped.revealed and record_reveal:
        with store.writing() as (_conn, writer):
            for item_id, names in dumped.revealed:
                writer.append(
                    "revealed",
                    case_id=dumped.case_id,
                    item_id=item_id,
                    details={"fields": names, "purpose": purpose},
                )
    return dumped.doc


def _dump(store: Store, case_name: str, *, reveal: bool) -> _Dumped:
    with store.session() as session:
        case = session.execute(select(Case).where(Case.name == case_name)).scalar_one_or_none()
        if case is None:
            known = ", ".join(session.execute(select(Case.name).order_by(Case.name)).scalars())
            raise CaseFileError(f"no case '{case_name}' in this home (known: {known or 'none'})")
        actors = (
            session.execute(select(Actor).where(Actor.case_id == case.id).order_by(Actor.id))
            .scalars()
            .all()
        )
        actor_names = {a.id: a.name for a in actors}
        sources = (
            session.execute(select(Source).where(Source.case_id == case.id).order_by(Source.id))
            .scalars()
            .all()
        )
        source_names = {s.id: s.name for s in sources}
        incidents = (
            session.execute(
                select(Incident).where(Incident.case_id == case.id).order_by(Incident.id)
            )
            .scalars()
            .all()
        )
        hyps = (
            session.execute(
                select(Hypothesis)
                .where(Hypothesis.incident_id.in_([i.id for i in incidents]))
                .order_by(Hypothesis.id)
            )
            .scalars()
            .all()
        )
        items = (
            session.execute(select(Item).where(Item.case_id == case.id).order_by(Item.id))
            .scalars()
            .all()
        )
        claims = (
            session.execute(select(Claim).where(Claim.case_id == case.id).order_by(Claim.id))
            .scalars()
            .all()
        )
        ratings = (
            session.execute(
                select(Rating)
                .where(Rating.hypothesis_id.in_([h.id for h in hyps]))
                .order_by(Rating.id)
            )
            .scalars()
            .all()
        )
        earlier: dict[int, str] = {}
        for incident in incidents:
            own = [h for h in hyps if h.incident_id == incident.id]
            ids = {h.id for h in own}
            earlier |= earlier_wordings(
                session.connection(),
                case.id,
                incident.slug,
                own,
                [r for r in ratings if r.hypothesis_id in ids],
            )
    if reveal:
        _open_held_claims(store, items, claims, actors)
        actor_names = {a.id: a.name for a in actors}
    hidden_claims, hidden_actors = _said_in_protected(actors, sources, items, claims, reveal)
    actors = [a for a in actors if a.id not in hidden_actors]
    item_refs = {i.id: _dump_ref(i) for i in items}
    claim_keys = {c.id: c.key or f"claim-{c.id}" for c in claims}
    slug_of = {i.id: i.slug for i in incidents}
    hyp_of = {h.id: (slug_of[h.incident_id], h.key) for h in hyps}
    revealed: list[tuple[int, list[str]]] = []
    withheld: list[int] = []
    doc: dict[str, Any] = {
        "format": FORMAT,
        "case": prune(
            {
                "name": case.name,
                "title": case.title if case.title != case.name else "",
                "mandate": case.mandate,
            }
        ),
        "actors": [
            prune(
                {
                    "name": a.name,
                    "type": a.type,
                    "aliases": list(a.aliases or []),
                    "title": a.title,
                    "affiliation": a.affiliation,
                }
            )
            for a in actors
        ]
        + ([{"name": WITHHELD_SPEAKER}] if hidden_claims else []),
        "sources": [
            prune(
                {
                    "name": s.name,
                    "reliability": s.reliability,
                    "actor": actor_names.get(s.actor_id or 0, ""),
                    "description": s.description,
                }
            )
            for s in sources
        ],
        "incidents": [
            _dump_incident(i, [h for h in hyps if h.incident_id == i.id]) for i in incidents
        ],
        "items": [
            _dump_item(store, i, item_refs, source_names, reveal, revealed, withheld) for i in items
        ],
        "claims": [
            _withheld_claim(c, item_refs)
            if c.id in hidden_claims
            else _dump_claim(c, actor_names, item_refs)
            for c in claims
        ],
        "ratings": _dump_ratings(ratings, hyp_of, item_refs, claim_keys, earlier),
    }
    return _Dumped(
        prune(doc) | {"format": FORMAT}, int(case.id), revealed, withheld, len(hidden_claims)
    )


def _open_held_claims(
    store: Store, items: Sequence[Item], claims: Sequence[Claim], actors: Sequence[Actor]
) -> None:
    """Put back, in these detached rows, the words and speakers that protected items' secret
    records hold (claims read before the item was protected: see
    :mod:`enquiry.store.claims_at_rest`); a sealed item's are gone and stay marked."""
    with store.engine.connect() as connection:
        held = at_rest(connection, [i.id for i in items if i.protected])
        if not held:
            return
        opener = Opener(connection)
        found = disclosed_claims(opener.secret(i) for i, how in held.items() if not how.sealed)
    for claim in claims:
        for name, value in found.claims.get(claim.id, {}).items():
            setattr(claim, name, value)
    for actor in actors:
        for name, value in found.actors.get(actor.id, {}).items():
            setattr(actor, name, value)


def _said_in_protected(
    actors: Sequence[Actor],
    sources: Sequence[Source],
    items: Sequence[Item],
    claims: Sequence[Claim],
    reveal: bool,
) -> tuple[set[int], set[int]]:
    """Claims read from protected items, and the actors known only from them, which a plain
    dump leaves out: the words are the witness's, and a speaker found in them may be the
    witness. (Loading such a dump into the same home leaves them as they are.)"""
    if reveal:
        return set(), set()
    protected = {i.id for i in items if i.protected}
    hidden = {c.id for c in claims if c.item_id in protected}
    named = {s.actor_id for s in sources} | {c.actor_id for c in claims if c.id not in hidden}
    speakers = {c.actor_id for c in claims if c.id in hidden and c.actor_id is not None}
    only_there = speakers - named
    affiliations = {a.affiliation for a in actors if a.id not in only_there}
    return hidden, {a.id for a in actors if a.id in only_there and a.name not in affiliations}


def _dump_ref(item: Item) -> str:
    """How the dump names an item: its key, else its SHA-256 — which names the same evidence in
    any home — and only for an item with neither (which no intake makes) its number."""
    if item.key:
        return str(item.key)
    if item.sha256:
        return SHA256_PREFIX + str(item.sha256)
    return f"item-{item.id}"


def _dump_incident(incident: Incident, hyps: Sequence[Hypothesis]) -> dict[str, Any]:
    data = dict(incident.data or {})
    window = (
        {"start": incident.window_start, "end": incident.window_end}
        if incident.window_start or incident.window_end
        else None
    )
    place = prune(
        {"name": incident.place, "lat": incident.lat, "lon": incident.lon, **data.get("place", {})}
    )
    return prune(
        {
            "slug": incident.slug,
            "title": incident.title,
            "category": incident.category,
            "window": window,
            "place": place,
            "means": data.get("means", []),
            "description": data.get("description", ""),
            "casualties": data.get("casualties", []),
            "thresholds": data.get("thresholds", {}),
            "replies": data.get("replies", []),
            "panel": data.get("panel", []),
            "hypotheses": [
                prune(
                    {
                        "id": h.key,
                        "label": h.label,
                        "description": h.description,
                        "other": bool(h.is_other),
                        "prior": h.prior,
                    }
                )
                for h in hyps
            ],
        }
    )


def _dump_item(
    store: Store,
    item: Item,
    refs: Mapping[int, str],
    sources: Mapping[int, str],
    reveal: bool,
    revealed: list[tuple[int, list[str]]],
    withheld_items: list[int],
) -> dict[str, Any]:
    fields = dict(item.fields or {})
    withheld: list[str] = []
    shown: list[str] = []
    note = (item.meta or {}).get("casefile", {})
    secret: dict[str, Any] | None = None
    text = ""
    with store.engine.connect() as connection:
        held = at_rest(connection, [item.id]).get(item.id)
        if held is not None and held.sealed:
            reveal = False  # consent withdrawn: nothing of it can be shown any more
        elif held is not None and reveal:
            opener = Opener(connection)
            secret = opener.secret(item.id)
            fields.update(secret.get("fields") or {})
            if note.get("text"):
                text = b"".join(opener.plain_chunks(store.vault, item.id)).decode("utf-8")
            else:
                note = {**note, "file": secret.get("name") or note.get("file")}
    if item.protected:
        try:
            identifying = get_kind(item.kind).identifying_fields()
        except KindError:
            identifying = ()
        present = [name for name in identifying if name in fields]
        if reveal:
            shown = present
        else:
            withheld = present
            for name in present:
                del fields[name]
    content: dict[str, Any] = {}
    if item.sha256 and item.protected and not reveal:
        # The verbatim text, the arrival name and the path may each identify the witness.
        withheld.append("text" if note.get("text") else "file")
        content["sha256"] = item.sha256
    elif item.sha256 and note.get("text") and secret is not None:
        content["text"] = text
        shown.append("text")
    elif item.sha256 and note.get("text"):
        with store.vault.open(item.sha256) as handle:
            content["text"] = handle.read().decode("utf-8")
        if item.protected:
            shown.append("text")
    elif item.sha256:
        content["file"] = note.get("file") or item.original_name
        content["sha256"] = item.sha256
        if item.protected:
            shown.append("file")
    if shown:
        revealed.append((item.id, shown))
    if withheld:
        withheld_items.append(item.id)
    ref = refs[item.id]
    return prune(
        {
            "key": item.key or ("" if item.sha256 else ref),
            "kind": item.kind,
            "source": sources.get(item.source_id or 0, ""),
            "credibility": item.credibility,
            "protected": bool(item.protected),
            "derived_from": refs.get(item.derived_from or 0, ""),
            "origin": item.origin,
            "fields": fields,
            "withheld": withheld,
            **content,
        }
    )


def _dump_claim(
    claim: Claim, actors: Mapping[int, str], items: Mapping[int, str]
) -> dict[str, Any]:
    data = claim.data or {}
    return prune(
        {
            "key": claim.key or f"claim-{claim.id}",
            "actor": actors.get(claim.actor_id or 0, ""),
            "item": items.get(claim.item_id or 0, ""),
            "incident": data.get("incident", ""),
            "date": claim.date,
            "date_phrase": claim.date_phrase,
            "forum": claim.forum,
            "text": claim.text,
            "origin": claim.origin,
            "slots": dict(claim.slots or {}),
            "supports": list(data.get("supports", [])),
            "evidence": list(data.get("evidence", [])),
            "outcome": data.get("outcome"),
        }
    )


def _withheld_claim(claim: Claim, items: Mapping[int, str]) -> dict[str, Any]:
    """A claim read from a protected item, as a plain dump carries it: its words and speaker
    withheld, what it is evidence of kept — its ratings weigh in the findings, so a dump (and a
    bundle) loaded elsewhere analyses as the case does. ``withheld`` tells a load into a home
    that holds the claim to leave it as it is."""
    data = claim.data or {}
    return prune(
        {
            "key": claim.key or f"claim-{claim.id}",
            "actor": WITHHELD_SPEAKER,
            "item": items.get(claim.item_id or 0, ""),
            "incident": data.get("incident", ""),
            "text": WITHHELD_SAID,
            "supports": list(data.get("supports", [])),
            "evidence": list(data.get("evidence", [])),
            "withheld": True,
        }
    )


def _dump_ratings(
    ratings: Sequence[Rating],
    hyp_of: Mapping[int, tuple[str, str]],
    items: Mapping[int, str],
    claims: Mapping[int, str],
    earlier: Mapping[int, str],
) -> list[dict[str, Any]]:
    """The ratings as a case file states them, one entry per incident, item or claim and
    analyst. ``earlier`` (rating id -> the wording digest it was made under, or
    :data:`~enquiry.model.wording.EARLIER`) names the ratings made under an earlier wording of
    their hypothesis: the entry says so under ``worded``, so that loading the dump does not
    turn them into ratings of the current text."""
    groups: dict[tuple[str, int | None, int | None, str], list[Rating]] = {}
    for rating in ratings:
        slug = hyp_of[rating.hypothesis_id][0]
        groups.setdefault((slug, rating.item_id, rating.claim_id, rating.analyst), []).append(
            rating
        )
    out = []
    for (slug, item_id, claim_id, analyst), rows in groups.items():
        rows = sorted(rows, key=lambda r: r.hypothesis_id)
        values = {hyp_of[r.hypothesis_id][1]: r.rating for r in rows if r.rating}
        likelihoods = {
            hyp_of[r.hypothesis_id][1]: r.likelihood for r in rows if r.likelihood is not None
        }
        texts = {hyp_of[r.hypothesis_id][1]: r.rationale for r in rows}
        shown = {hyp_of[r.hypothesis_id][1]: r.id for r in rows}  # the newest row of each
        worded = {key: earlier[i] for key, i in shown.items() if i in earlier}
        rationale: str | dict[str, str] = (
            next(iter(texts.values())) if len(set(texts.values())) == 1 else texts
        )
        out.append(
            prune(
                {
                    "incident": slug,
                    "item": items.get(item_id or 0, ""),
                    "claim": claims.get(claim_id or 0, ""),
                    "analyst": analyst,
                    "values": values,
                    "likelihoods": likelihoods,
                    "rationale": rationale,
                    "worded": worded,
                }
            )
        )
    return out


def _reword_events(
    connection: Connection, case_id: int, since: str
) -> list[tuple[str, dict[str, Any]]]:
    """The case's ledger events after ``since`` that created or reworded a hypothesis, as
    (time, details), oldest first."""
    found = []
    for at, text in connection.execute(
        select(CustodyEvent.at, CustodyEvent.details)
        .where(
            CustodyEvent.case_id == case_id,
            CustodyEvent.action.in_(("created", "updated")),
            CustodyEvent.at > since,
            or_(
                CustodyEvent.details.contains('"hypothesis"'),
                CustodyEvent.details.contains('"reworded"'),
            ),
        )
        .order_by(CustodyEvent.seq)
    ):
        try:
            details = json.loads(text)
        except ValueError:
            continue
        if isinstance(details, dict):
            found.append((str(at), details))
    return found


def _rewords(details: Mapping[str, Any], slug: str) -> tuple[set[str], bool]:
    """Which hypotheses of incident ``slug`` an event reworded (keys), and whether it created
    one. A case file's events name a hypothesis by key only: they are taken to concern every
    incident of the case with that key (the safe side: a rating is marked, never cleared)."""
    incident = details.get("incident")
    if isinstance(incident, str) and incident != slug:
        return set(), False
    if isinstance(details.get("reworded"), list):
        return {str(k) for k in details["reworded"]}, False
    named = details.get("hypothesis")
    key = named.get("key") if isinstance(named, dict) else named
    if not isinstance(key, str):
        return set(), False
    if "changed" not in details:
        return set(), True
    changed = details.get("changed")
    if isinstance(changed, dict) and {"label", "description", "is_other"} & set(changed):
        return {key}, False
    return set(), False


def earlier_wordings(
    connection: Connection,
    case_id: int,
    slug: str,
    hypotheses: Sequence[Hypothesis],
    ratings: Sequence[Rating],
) -> dict[int, str]:
    """The ratings of incident ``slug`` made under an earlier wording of their hypothesis:
    rating id -> the wording digest it was made under (:data:`EARLIER` when not recorded).

    ``hypotheses`` are all the incident's; ``ratings`` any of theirs. A rating records the
    wording it was made under (``enquiry.model.wording``); one made before ratings did
    (``wording`` NULL) is taken as made under an earlier wording when the ledger shows its
    hypothesis reworded after it — or, for the catch-all, any hypothesis of the incident
    created or reworded after it — and as made under the current one otherwise."""
    current = wordings(
        Worded(h.key, h.label, h.description or "", bool(h.is_other)) for h in hypotheses
    )
    by_id = {h.id: h for h in hypotheses}
    out: dict[int, str] = {}
    legacy: list[Rating] = []
    for r in ratings:
        if r.wording is None:
            legacy.append(r)
        elif r.wording != current.get(by_id[r.hypothesis_id].key):
            out[r.id] = r.wording
    if not legacy:
        return out
    events = _reword_events(connection, case_id, min(r.created_at for r in legacy))
    if not events:
        return out
    for r in legacy:
        hyp = by_id[r.hypothesis_id]
        for at, details in events:
            if at <= r.created_at:
                continue
            keys, created = _rewords(details, slug)
            if hyp.key in keys or (hyp.is_other and (created or keys)):
                out[r.id] = EARLIER
                break
    return out


class _CaseDumper(yaml.SafeDumper):
    """Block style for nested data, literal blocks for multi-line text, short lists inline."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _seq(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    short = (
        all(isinstance(v, str) and "\n" not in v for v in value)
        and sum(len(str(v)) for v in value) < 60
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=short)


def _map(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
    # A row of ratings reads best on one line, like a row of the matrix.
    ratings = bool(value) and all(v in RATINGS for v in value.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=ratings or None)


_CaseDumper.add_representer(str, _str)
_CaseDumper.add_representer(dict, _map)
_CaseDumper.add_representer(CaseDocument, _map)
_CaseDumper.add_representer(list, _seq)


def to_yaml(doc: Mapping[str, Any]) -> str:
    """The YAML text of a case file; the same document always gives the same bytes."""
    return yaml.dump(dict(doc), Dumper=_CaseDumper, sort_keys=False, allow_unicode=True, width=100)


# ---------------------------------------------------------------------------------------------
# Writing a dump with its attachments
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DumpResult:
    """A written dump: its text and digest, how many attached originals were copied beside it,
    which items had something withheld, and what was revealed (item id, what) — for the caller
    to record, since writing a dump records nothing itself."""

    text: str
    sha256: str
    size: int
    path: Path | None
    attachments: int
    withheld: list[int]
    revealed: list[tuple[int, list[str]]]
    case_id: int
    withheld_claims: int = 0


def write_dump(store: Store, case: str, output: Path | None, *, reveal: bool) -> DumpResult:
    """Dump ``case``; with ``output``, write it there and copy every attached original out of
    the vault into ``<stem>.files/`` beside it (each checked against its SHA-256 as it is
    copied), so that the dump loads in another home. Protected items' content stays in the
    vault unless ``reveal``. Nothing is written to the ledger: the caller records the export.

    Raises :class:`CaseFileError` for an unknown case or an unwritable output, and
    :class:`enquiry.errors.Corrupt` for a stored original that no longer matches its hash.
    """
    dumped = _dump(store, case, reveal=reveal)
    if output is not None:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CaseFileError(f"{output.parent}: cannot create ({exc.strerror or exc})") from None
    copied = _write_attachments(store, dumped.doc, output, reveal) if output is not None else 0
    text = to_yaml(dumped.doc)
    data = text.encode("utf-8")
    if output is not None:
        try:
            if reveal:
                # A revealed dump names protected witnesses: its owner's alone (0600), however
                # the umask would leave it; sharing it is a decision, not an accident.
                write_private(output, data)
            else:
                output.write_bytes(data)
        except OSError as exc:
            raise CaseFileError(f"{output}: cannot write ({exc.strerror or exc})") from None
    return DumpResult(
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        path=output,
        attachments=copied,
        withheld=list(dumped.withheld),
        revealed=list(dumped.revealed),
        case_id=dumped.case_id,
        withheld_claims=dumped.withheld_claims,
    )


def attachments_folder(output: Path) -> Path:
    """The folder beside a dump written to ``output`` that its attached originals go into."""
    return output.with_name(output.stem + ".files")


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by its owner only, an existing file included."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(data)


def _write_attachments(
    store: Store, document: dict[str, Any], output: Path, reveal: bool = False
) -> int:
    """Copy the attached originals the document names beside the dump, and point the document
    at the copies; each copy is named by its hash's start and its name, so equal names never
    clash. (A protected item's file is in the document only when the dump reveals it: the
    folder is then its owner's alone.)"""
    folder = attachments_folder(output)
    if reveal:
        folder.mkdir(mode=0o700, exist_ok=True)
        folder.chmod(0o700)
    count = 0
    with store.engine.connect() as connection:
        held = at_rest(connection)
        # A protected original is held only as ciphertext: a revealed dump decrypts it.
        encrypted = {
            str(sha): int(item_id)
            for item_id, sha in connection.execute(
                select(Item.id, Item.sha256).where(Item.id.in_(sorted(held)))
            )
            if sha and not held[int(item_id)].sealed
        }
        opener = Opener(connection)
        for item in document.get("items", []):
            count += _attach(store, opener, encrypted, item, folder)
    return count


def _attach(
    store: Store, opener: Opener, encrypted: dict[str, int], item: dict[str, Any], folder: Path
) -> int:
    sha = item.get("sha256")
    if not sha or "file" not in item:
        return 0
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(str(item["file"])).name).strip("._") or "file"
    target = folder / f"{sha[:12]}-{name.removeprefix(sha[:12] + '-')}"
    try:
        folder.mkdir(exist_ok=True)
        if not target.exists() and sha in encrypted and not store.vault.has(sha):
            opener.copy_to(store.vault, encrypted[sha], target)  # checked against sha
        elif not target.exists():
            # Re-hashed as it streams: a corrupt original raises Corrupt, never reaches
            # the dump, and leaves no partial copy.
            store.vault.copy_verified(sha, target)
    except OSError as exc:
        raise CaseFileError(f"{target}: cannot write ({exc.strerror or exc})") from None
    item["file"] = f"{folder.name}/{target.name}"
    return 1
