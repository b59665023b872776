"""The catalogue's tables (SQLAlchemy 2). The Alembic migrations in ``migrations/`` create them.

Times are stored as ISO 8601 text in UTC so that SQLite and PostgreSQL hold, hash and return
exactly the same characters. Kind-specific fields and extracted metadata are JSON: the kind
schemas, not the database, say what they contain.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


DIGITS = frozenset("0123456789")

# The largest row number the catalogue can hold: its ids are 32-bit integers on PostgreSQL (and
# SQLite refuses to bind anything past 64 bits), so a larger number names no row on either back
# end. Checked before a query, it turns ``item show 99999999999999999999`` into "no such item"
# rather than a database error.
ROW_ID_MAX = 2**31 - 1


def row_id(value: str | int) -> int | None:
    """The row number ``value`` spells (ASCII digits only, as typed or as an int), or None when
    it names no row: not a number, negative, zero, or beyond :data:`ROW_ID_MAX`.

    ``str.isdigit`` is not enough: it accepts '²' and other digits ``int`` cannot read."""
    if isinstance(value, int):
        number = value
    else:
        text = value.strip()
        if not text or not set(text) <= DIGITS or len(text) > 12:
            return None
        number = int(text)
    return number if 0 < number <= ROW_ID_MAX else None


def capped(count: int) -> int:
    """A page size or offset the database can bind: anything past :data:`ROW_ID_MAX` means
    "every row" (there are no more), so it is capped there instead of overflowing a query."""
    return min(count, ROW_ID_MAX)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Case(Base):
    """An investigation with a mandate."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    mandate: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(40))


class Incident(Base):
    """What happened: a time window with its uncertainty, a place, casualty figures by source."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(100), default="")
    window_start: Mapped[str | None] = mapped_column(String(40))
    window_end: Mapped[str | None] = mapped_column(String(40))
    place: Mapped[str] = mapped_column(Text, default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Actor(Base):
    """A state, armed group, organisation or person, with its aliases."""

    __tablename__ = "actors"
    __table_args__ = (UniqueConstraint("case_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(40), default="person")
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    title: Mapped[str] = mapped_column(Text, default="")
    affiliation: Mapped[str] = mapped_column(Text, default="")
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("actors.id"))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Source(Base):
    """Where information comes from, graded A–F for reliability (Admiralty code)."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("case_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    reliability: Mapped[str] = mapped_column(String(1), default="F")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"))
    description: Mapped[str] = mapped_column(Text, default="")


class Item(Base):
    """A piece of evidence. Its bytes live in the vault under ``sha256``; never modified."""

    __tablename__ = "items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    size: Mapped[int | None] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(120), default="")
    original_name: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    credibility: Mapped[int | None] = mapped_column(Integer)
    protected: Mapped[bool] = mapped_column(Boolean, default=False)
    derived_from: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    transformation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    key: Mapped[str | None] = mapped_column(String(200))
    origin: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(40))
    # Derived, not evidence: the date the item speaks of (YYYY[-MM[-DD]], from its first dated
    # field), kept by the search index's code (store/index.py) so that a case is listed by date
    # from an index. Not in the state the ledger vouches for; 'enquiry reindex' makes it again.
    item_date: Mapped[str | None] = mapped_column(String(10))


Index("ix_items_case_sha", Item.case_id, Item.sha256)
Index("uq_items_case_key", Item.case_id, Item.key, unique=True)
# A case's items a page at a time, oldest first, whole or by kind, source or date (0007).
Index("ix_items_case_id_id", Item.case_id, Item.id)
Index("ix_items_case_id_kind_id", Item.case_id, Item.kind, Item.id)
Index("ix_items_case_id_source_id_id", Item.case_id, Item.source_id, Item.id)
Index("ix_items_case_id_item_date_id", Item.case_id, Item.item_date, Item.id)


class ItemOrigin(Base):
    """Each path an item arrived from: the same bytes may come in under many names."""

    __tablename__ = "item_origins"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    path: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    event_seq: Mapped[int] = mapped_column(Integer)


class ItemText(Base):
    """Text extracted from an item, with the extractor that made it (a derived artefact)."""

    __tablename__ = "item_texts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    extractor: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)


class CustodyEvent(Base):
    """One entry of the append-only, hash-chained custody and audit log."""

    __tablename__ = "custody_events"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    item_id: Mapped[int | None] = mapped_column(Integer, index=True)
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class LedgerHead(Base):
    """The last event's number and hash; one row, updated in the appending transaction so that
    concurrent writers queue on it."""

    __tablename__ = "ledger_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class Claim(Base):
    """An assertion by an actor at a time, located in an item's text."""

    __tablename__ = "claims"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    key: Mapped[str | None] = mapped_column(String(200))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    cue: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[str | None] = mapped_column(String(40))
    date_phrase: Mapped[str] = mapped_column(Text, default="")
    forum: Mapped[str] = mapped_column(Text, default="")
    slots: Mapped[dict[str, Any]] = mapped_column(default=dict)
    origin: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Hypothesis(Base):
    """One of an incident's mutually exclusive explanations; ``is_other`` marks the catch-all."""

    __tablename__ = "hypotheses"
    __table_args__ = (UniqueConstraint("incident_id", "key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    is_other: Mapped[bool] = mapped_column(Boolean, default=False)
    prior: Mapped[float | None] = mapped_column(Float)


class Rating(Base):
    """An analyst's judgement of how an item or a claim bears on a hypothesis."""

    __tablename__ = "ratings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hypothesis_id: Mapped[int] = mapped_column(ForeignKey("hypotheses.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    rating: Mapped[str | None] = mapped_column(String(4))
    likelihood: Mapped[float | None] = mapped_column(Float)
    rationale: Mapped[str] = mapped_column(Text, default="")
    analyst: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[str] = mapped_column(String(40))
    # SHA-256 of the hypothesis's wording when the rating was made (enquiry.model.wording), so
    # that a rating of an earlier wording is never counted as one of the current text (0010).
    # NULL for ratings made before that revision.
    wording: Mapped[str | None] = mapped_column(String(64))


class Finding(Base):
    """A stored, reproducible analysis run."""

    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    inputs_hash: Mapped[str] = mapped_column(String(64))
    engine_version: Mapped[str] = mapped_column(String(40))
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[str] = mapped_column(String(40))


class ClaimStance(Base):
    """A suggested stance of a claim toward a hypothesis (supports / refutes / neutral).

    Only a suggestion: an analyst turns it into a :class:`Rating`, and the ledger records that.
    """

    __tablename__ = "claim_stances"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    hypothesis_id: Mapped[int] = mapped_column(ForeignKey("hypotheses.id"), index=True)
    stance: Mapped[str] = mapped_column(String(20))
    score: Mapped[float] = mapped_column(Float)
    model: Mapped[str] = mapped_column(String(120))


class Embedding(Base):
    """A vector for a claim or an item's text, with the model that made it."""

    __tablename__ = "embeddings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"), index=True)
    model: Mapped[str] = mapped_column(String(120))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class MediaHash(Base):
    """A perceptual hash of a photo or of one video frame (``t`` seconds in), derived from an
    item's original bytes, which stay untouched."""

    __tablename__ = "media_hashes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    algorithm: Mapped[str] = mapped_column(String(40))
    t: Mapped[float | None] = mapped_column(Float)
    hash: Mapped[str] = mapped_column(String(128))
    quality: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class ItemFinding(Base):
    """Something an enricher found about an item (metadata inconsistency, sun mismatch, ...),
    with the inputs it used so the finding can be checked."""

    __tablename__ = "item_findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    type: Mapped[str] = mapped_column(String(80))
    severity: Mapped[str] = mapped_column(String(20), default="info")
    message: Mapped[str] = mapped_column(Text)
    inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    enricher: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[str] = mapped_column(String(40))


class CaseKey(Base):
    """A case's key pair for protected evidence: the public half in the clear (so that anyone
    can receive protected items), the private half wrapped by a key that is never stored here."""

    __tablename__ = "case_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped_private: Mapped[bytes] = mapped_column(LargeBinary)
    kdf: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[str] = mapped_column(String(40))


class ItemKey(Base):
    """A protected item's encrypted form: where its ciphertext lives in the vault, its data key
    sealed to the case key (gone once the item is sealed), and its sealed secret record."""

    __tablename__ = "item_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # The ciphertext's vault address: its SHA-256 (older ones) or ``blake3:<hex>`` (store.vault).
    cipher_sha256: Mapped[str] = mapped_column(String(80), index=True)
    cipher_size: Mapped[int] = mapped_column(BigInteger)
    wrapped_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    secret: Mapped[bytes | None] = mapped_column(LargeBinary)
    sealed_at: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(40))


class SigningKey(Base):
    """A key that signs bundles: its public half and, once revoked, when and the revocation
    it signed. The private half stays in the home's ``keys/`` folder, encrypted."""

    __tablename__ = "signing_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    algorithm: Mapped[str] = mapped_column(String(20), default="ed25519")
    public_key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[str] = mapped_column(String(40))
    revoked_at: Mapped[str | None] = mapped_column(String(40))
    revocation: Mapped[str | None] = mapped_column(String(200))


class BundleImport(Base):
    """A bundle taken into this home: what it was and the signed head its custody continues."""

    __tablename__ = "bundle_imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    head_seq: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    signer: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[str] = mapped_column(String(40))


class WithheldItem(Base):
    """An item whose bytes this home never received (redacted or left out of a bundle): its
    hash, kind and ratings are kept, its content is absent by design."""

    __tablename__ = "withheld_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True, unique=True)
    reason: Mapped[str] = mapped_column(String(40))
    bundle_import_id: Mapped[int | None] = mapped_column(ForeignKey("bundle_imports.id"))


class User(Base):
    """A person who signs in to the web app or the API. The password is kept only as an
    Argon2 hash; a disabled account keeps its row so the ledger's names stay resolvable."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[str] = mapped_column(String(40))
    disabled_at: Mapped[str | None] = mapped_column(String(40))


class Membership(Base):
    """A user's role on one case, and whether they may see protected witnesses' identities
    there (a right of its own, granted apart from the role)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "case_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    see_protected: Mapped[bool] = mapped_column(Boolean, default=False)
    granted_at: Mapped[str] = mapped_column(String(40))
    granted_by: Mapped[str] = mapped_column(String(200))


class ApiToken(Base):
    """A bearer token for the API: only its SHA-256 is stored (the token is random and long,
    so a plain hash suffices); ``prefix`` lets a user tell their tokens apart."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(40))
    revoked_at: Mapped[str | None] = mapped_column(String(40))


class WebSession(Base):
    """A signed-in browser: the SHA-256 of its cookie, its CSRF token and when it expires."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[str] = mapped_column(String(40))


class Comment(Base):
    """A reviewer's comment on, or sign-off of, something in a case (a finding, an item, a
    cell of the matrix); ``subject`` names it, e.g. ``finding:3`` or ``item:12``."""

    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="comment")
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[str] = mapped_column(String(40))
