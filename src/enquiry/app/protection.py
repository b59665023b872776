"""Witness protection: the one place that decides what of a protected item may be shown.

A protected item's identifying fields, the names and paths under which it arrived, and its
extracted text can name a witness. Every service that shows, lists, logs, dumps, reports or
exports anything passes it through these functions, and only an explicit reveal — recorded in the
ledger by :func:`record_reveal` — lets the identity through.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from enquiry.model.kinds import KindError, get_kind
from enquiry.store.ledger import IDENTIFIED_BY, LedgerWriter
from enquiry.store.tables import Item

WITHHELD = "[withheld: protected item]"
WITHHELD_IDENTITY = "[withheld: protected witness identity]"

# Ledger details of a protected item's events that are shown without a reveal: hashes, sizes,
# kinds, counts, the names of fields and enrichers — never free text. Anything else (the name
# and path it arrived under, where a copy went, the speakers read from it, a key or a
# transformation someone typed) may name the witness and is withheld, whatever event wrote it.
SHOWN_DETAILS = frozenset(
    {
        IDENTIFIED_BY,  # how the actor, whose name is shown, was established: never the witness
        "sha256",
        "size",
        "kind",
        "media_type",
        "state",
        "texts",
        "text",
        "derived",
        "derived_from",
        "duplicate_of",
        "fields_changed",
        "changed",
        "fields",
        "protected",
        "content",
        "log",
        "dump",
        "report",
        "purpose",
        "repaired",
        "outside_case_folder",
        "enricher",
        "version",
        "extractor",
        "algorithm",
        "spacy_model",
        "cues_sha256",
        "inputs",
        "claims",
        "claim_ids",
        "incident",
        "analyst",
        "ratings",
        "rationale",
        "casefile",
        "source",
        "unverified",
    }
)


def identifying_fields(item: Item) -> tuple[str, ...]:
    """The fields of a protected item's kind that identify a witness (none if not protected)."""
    if not item.protected:
        return ()
    return kind_identifying(item.kind, item.fields)


def kind_identifying(kind: str, fields: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields of ``kind`` that identify a witness."""
    try:
        return get_kind(kind).identifying_fields()
    except KindError:
        # An unknown kind cannot say which fields identify: treat all of them as identifying.
        return tuple(fields)


def shown_fields(item: Item, reveal: bool) -> tuple[dict[str, Any], list[str]]:
    """The item's fields as shown, and the names of the identifying ones present."""
    fields = dict(item.fields)
    withheld = [name for name in identifying_fields(item) if name in fields]
    if not reveal:
        for name in withheld:
            fields[name] = WITHHELD_IDENTITY
    return fields, withheld


def hidden(item: Item, reveal: bool) -> bool:
    """Whether this item's names, paths and text must be withheld from this output."""
    return bool(item.protected) and not reveal


def shown_name(item: Item, reveal: bool) -> str:
    """The name the item arrived under, or the withheld marker."""
    return WITHHELD if hidden(item, reveal) else item.original_name


# What a case's event about a protected item (a claim attributed to it) shows: which claim, of
# which item, toward what. Its words, speaker, dates and place are the testimony's.
SHOWN_ABOUT_ITEM = frozenset({IDENTIFIED_BY, "claim", "item_id", "incident", "data"})


def shown_details(
    details: Mapping[str, Any], withhold: bool, *, of_item: bool = True
) -> dict[str, Any]:
    """Ledger event details as shown: names and paths of a protected item withheld. An event of
    the case that names the item (``of_item`` false) shows less: its ``text`` is what was said."""
    if not withhold:
        return dict(details)
    shown = SHOWN_DETAILS if of_item else SHOWN_ABOUT_ITEM
    return {k: (v if k in shown else WITHHELD) for k, v in details.items()}


def record_reveal(
    writer: LedgerWriter, items: Iterable[Item], what: Mapping[str, Any]
) -> list[int]:
    """Record that the acting user was shown protected items' identities; return their ids."""
    revealed: list[int] = []
    for item in items:
        if not item.protected:
            continue
        writer.append("revealed", case_id=item.case_id, item_id=item.id, details=dict(what))
        revealed.append(item.id)
    return revealed
