"""Whether an item's bytes may leave the home, judged by the family of items it belongs to.

Pixels travel along ``derived_from``: a crop, a still or a working copy holds its original's
pixels, and an original holds the pixels of everything made from it. Judging an item by its own
flags alone lets a face out by a side door — a crop made before its original was protected (it
stays unprotected), a still of a video someone began to redact, a resized copy of a redaction
nobody confirmed, the confirmed redaction of a photograph whose witness has since withdrawn
consent. So every output that hands out bytes — the report's photographs, a bundle's originals,
the web preview and download — asks :func:`judge` about the item whose bytes would go out, and
withholds them when :meth:`Lineage.withheld` gives a reason.

The rule, for the item ``X`` whose bytes would leave:

1. ``X`` is sealed, or was made (at any remove) from a sealed item: never — consent was
   withdrawn, and a derivative is the sealed item's content in another form. No reveal lifts it.
2. With a reveal (by someone holding the right, recorded by the caller): yes.
3. ``X`` is a redaction: yes once a person confirmed it, unless a newer confirmed redaction
   of the same original supersedes it (only the newest is published); else no.
4. ``X`` is protected: no.
5. ``X`` is a picture (a photo or a video) and another item of its family is protected or
   sealed (its pixels are that item's, or that item's are its), or is a redaction (someone
   judged that the family shows a person): no — only a confirmed redaction goes out.
6. ``X`` was made from a protected item (a transcript made before the original was
   protected, say): no.

The module reads the catalogue only; deciding who may reveal, and recording it, is the
application core's job.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from enquiry.store.tables import CustodyEvent, Item, ItemKey

# Ids asked for in one ``IN (...)`` at most: SQLite's and PostgreSQL's limits on bound values
# are far above it, and a family is rarely larger.
BATCH = 500
REDACTED = "redacted"  # the ``how`` of a redaction's transformation (enquiry media redact)
PICTURES = ("image/", "video/")


@dataclass(frozen=True)
class Member:
    """What the rule needs to know of one item of a family."""

    id: int
    derived_from: int | None
    protected: bool
    picture: bool
    redaction: bool
    sealed: bool
    confirmed: bool


@dataclass(frozen=True)
class Lineage:
    """One item with its ancestors (nearest first) and the rest of its family (every item that
    descends from the same first original)."""

    item: Member
    ancestors: tuple[Member, ...]
    family: tuple[Member, ...]  # without the item itself

    @property
    def sealed(self) -> bool:
        """Whether the item, or an item it was made from, is sealed: nothing of it goes out."""
        return self.item.sealed or any(a.sealed for a in self.ancestors)

    @property
    def superseded_by(self) -> Member | None:
        """For a confirmed redaction, the newer confirmed redaction of the same original that
        replaces it (the highest item number, as
        :func:`enquiry.app.redaction.redactions_of` orders them), if any. What is published of
        a picture is its newest confirmed redaction; an older one — made again, perhaps,
        because it missed a face — goes out no more than an unconfirmed one, by no route."""
        me = self.item
        if not (me.redaction and me.confirmed and me.derived_from is not None):
            return None
        newer = [
            kin
            for kin in self.family
            if kin.redaction
            and kin.confirmed
            and kin.derived_from == me.derived_from
            and kin.id > me.id
        ]
        return max(newer, key=lambda kin: kin.id) if newer else None

    def withheld(self, *, reveal: bool = False, name_others: bool = True) -> str | None:
        """Why the item's bytes may not leave the home (one line), or ``None`` when they may.

        ``name_others`` off leaves other items' numbers out of the line, for a reader who may
        not learn that protected items exist."""
        me = self.item
        if me.sealed:
            return f"item {me.id}: sealed (consent withdrawn); its content is destroyed"
        sealed = next((a for a in self.ancestors if a.sealed), None)
        if sealed is not None:
            if not name_others:
                return f"item {me.id}: withheld; its content is not shown"
            return (
                f"item {me.id}: made from sealed item {sealed.id} (consent withdrawn); "
                "it is not published"
            )
        if reveal:
            return None
        if me.redaction:
            if not me.confirmed:
                return (
                    f"item {me.id}: an unconfirmed redaction; look at it, then run "
                    f"'enquiry media redact --confirm {me.id}'"
                )
            newer = self.superseded_by
            if newer is None:
                return None
            if not name_others:
                return f"item {me.id}: a superseded redaction; it is not shown"
            return (
                f"item {me.id}: superseded by item {newer.id}, a newer confirmed redaction of "
                "the same original; only that one is published"
            )
        if me.protected:
            return f"item {me.id}: protected (its content may identify a witness)"
        ancestor = next((a for a in self.ancestors if a.protected), None)
        if me.picture:
            kin = ancestor or next((m for m in self.family if m.protected or m.sealed), None)
            redaction = next((m for m in self.family if m.redaction), None)
            if (kin or redaction) is not None and not name_others:
                # a reader who may not learn that protected items exist is told nothing of them
                return f"item {me.id}: withheld; only a confirmed redaction of it may be shown"
            if kin is not None:
                how = "made from" if kin is ancestor else "of the same original as"
                return (
                    f"item {me.id}: {how} protected item {kin.id}; only a confirmed redaction "
                    "is published"
                )
            if redaction is not None:
                return (
                    f"item {me.id}: sensitive (item {redaction.id} is a redaction of it or of "
                    "a picture of the same original); only a confirmed redaction is published"
                )
            return None
        if ancestor is not None:
            source = f"protected item {ancestor.id}" if name_others else "evidence that is withheld"
            return f"item {me.id}: made from {source}; it is withheld like its original"
        return None


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    """``ids``, sorted, in lists of at most :data:`BATCH` (one query each)."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), BATCH):
        yield ordered[start : start + BATCH]


def judge(connection: Connection, item_ids: Iterable[int]) -> dict[int, Lineage]:
    """Each item's :class:`Lineage`, read from the catalogue: up ``derived_from`` to its first
    original, then down to everything made from that, with which items are sealed and which
    redactions a person confirmed. Items not in the catalogue are left out."""
    wanted = {int(i) for i in item_ids}
    rows: dict[int, tuple[int | None, bool, str, bool]] = {}

    def load(query_ids: set[int], *, children: bool) -> set[int]:
        column = Item.derived_from if children else Item.id
        found: set[int] = set()
        for chunk in _batches(query_ids):
            for row in connection.execute(
                select(
                    Item.id, Item.derived_from, Item.protected, Item.media_type, Item.transformation
                ).where(column.in_(chunk))
            ):
                item_id = int(row[0])
                if item_id in rows:
                    continue
                how = (row[4] or {}).get("how") if isinstance(row[4], dict) else None
                rows[item_id] = (
                    int(row[1]) if row[1] is not None else None,
                    bool(row[2]),
                    str(row[3] or ""),
                    how == REDACTED,
                )
                found.add(item_id)
        return found

    frontier = load(wanted, children=False)
    while frontier:  # up to the first originals
        parents = {p for i in frontier if (p := rows[i][0]) is not None and p not in rows}
        frontier = load(parents, children=False) if parents else set()
    frontier = set(rows)
    while frontier:  # down from everything known: whole families
        frontier = load(frontier, children=True)

    every = sorted(rows)
    sealed: set[int] = set()
    confirmed: set[int] = set()
    redactions = [i for i in every if rows[i][3]]
    for chunk in _batches(every):
        sealed |= {
            int(i)
            for i in connection.scalars(
                select(ItemKey.item_id).where(
                    ItemKey.item_id.in_(chunk), ItemKey.sealed_at.is_not(None)
                )
            )
        }
    for chunk in _batches(redactions):
        confirmed |= {
            int(i)
            for i in connection.scalars(
                select(CustodyEvent.item_id).where(
                    CustodyEvent.action == "confirmed", CustodyEvent.item_id.in_(chunk)
                )
            )
            if i is not None
        }
    members = {
        i: Member(
            id=i,
            derived_from=parent,
            protected=protected,
            picture=media_type.startswith(PICTURES),
            redaction=redaction,
            sealed=i in sealed,
            confirmed=i in confirmed,
        )
        for i, (parent, protected, media_type, redaction) in rows.items()
    }

    def chain(item_id: int) -> list[Member]:
        out: list[Member] = []
        seen = {item_id}
        parent = members[item_id].derived_from
        while parent is not None and parent in members and parent not in seen:
            seen.add(parent)
            out.append(members[parent])
            parent = members[parent].derived_from
        return out

    def root(item_id: int) -> int:
        up = chain(item_id)
        return up[-1].id if up else item_id

    families: dict[int, list[Member]] = {}
    for member in members.values():
        families.setdefault(root(member.id), []).append(member)
    out: dict[int, Lineage] = {}
    for item_id in sorted(wanted & set(members)):
        family = families[root(item_id)]
        out[item_id] = Lineage(
            members[item_id],
            tuple(chain(item_id)),
            tuple(m for m in sorted(family, key=lambda m: m.id) if m.id != item_id),
        )
    return out


def made_from(connection: Connection, item_id: int) -> list[int]:
    """Every item made from item ``item_id`` at any remove (``derived_from``), nearest first:
    what holds its content in another form, for a seal or a protection to reach as well."""
    found: list[int] = []
    seen = {int(item_id)}
    frontier = [int(item_id)]
    while frontier:
        children = [
            int(i)
            for chunk in _batches(frontier)
            for i in connection.scalars(
                select(Item.id).where(Item.derived_from.in_(chunk)).order_by(Item.id)
            )
            if int(i) not in seen
        ]
        seen.update(children)
        found += children
        frontier = children
    return found


def withheld(
    connection: Connection, item_id: int, *, reveal: bool = False, name_others: bool = True
) -> str | None:
    """Why item ``item_id``'s bytes may not leave the home, or ``None`` (see :func:`judge`)."""
    found = judge(connection, [item_id]).get(item_id)
    return found.withheld(reveal=reveal, name_others=name_others) if found else None


__all__ = ["Lineage", "Member", "judge", "made_from", "withheld"]


def confirmer(actor: str, at: str, details: str) -> tuple[str, str, bool]:
    """Who confirmed a redaction and when, from its ``confirmed`` event: the acting user, or,
    for a redaction handed over in a verified bundle, the person and time the bundle names in
    the home it came from (the importing user confirmed nothing). The flag says which."""
    try:
        said = json.loads(details).get("confirmed")
    except (TypeError, ValueError, AttributeError):
        said = None
    if isinstance(said, dict) and said.get("by") and said.get("at"):
        return str(said["by"]), str(said["at"]), True
    return str(actor), str(at), False
