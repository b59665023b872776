"""What a case file may say, declared once: each section's keys, their types, defaults and rules.

The reader is driven by these declarations (:data:`SECTIONS`, :class:`Shape`, :class:`Key`), so
a key is known, typed and documented in one place, and a key that is not declared is refused
with a suggestion of the one that was probably meant. The walk works on PyYAML's composed nodes
(see :mod:`enquiry.intake.yamlsafe`), so every refusal names the file, the line and the column as
well as the entry (``items[3].source``).

The result is the case file's *normal form*: values parsed by their types, defaults and empty
values dropped, so that what ``dump`` writes and what ``load`` reads compare equal.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from enquiry.errors import EnquiryError, NotFound, Refused
from enquiry.intake.walk import case_name_problem, printable
from enquiry.intake.yamlsafe import Place, YamlError, construct, located
from enquiry.model.grades import RATINGS, RELIABILITY
from enquiry.model.kinds import Kind, KindError, get_kind
from enquiry.model.types import FieldError, FieldSpec
from enquiry.model.wording import EARLIER

FORMAT = "enquiry-case/1"
ACTOR_TYPES = ("state", "organisation", "armed_group", "person", "outlet", "other")
NULL_TAG = "tag:yaml.org,2002:null"
SHA256_PREFIX = "sha256:"
_DATETIME = FieldSpec(name="datetime", type="datetime")


class CaseFileError(EnquiryError, ValueError):
    """A case file is wrong; the message names the file, line, column, entry and problem."""

    exit_code = 1


class AttachmentRefused(CaseFileError, Refused):
    """An attached file lies outside the case file's folder, or is not a regular file."""


class EvidenceNotStored(CaseFileError, NotFound):
    """A case file refers to stored evidence (by SHA-256) that this case does not hold."""


Locations = dict[str, Place]


class At:
    """Where a value is: the file, its path inside the document, and its line and column."""

    def __init__(self, file: str, path: str, place: Place | None, locations: Locations) -> None:
        self.file = file
        self.path = path
        self.place = place
        self.locations = locations
        if path and place is not None:
            locations.setdefault(path, place)

    def at(self, part: str | int, node: Node | None = None) -> At:
        step = f"[{part}]" if isinstance(part, int) else f".{part}" if self.path else part
        path = self.path + step
        place = Place.of(node) if node is not None else self.locations.get(path, self.place)
        return At(self.file, path, place, self.locations)

    def there(self, node: Node | None) -> At:
        """The same path, placed at ``node`` (a key, rather than the entry that holds it)."""
        return At(self.file, self.path, Place.of(node) or self.place, self.locations)

    def error(self, message: str) -> CaseFileError:
        text = f"{self.path}: {message}" if self.path else message
        return CaseFileError(located(self.file, self.place, text))


Parser = Callable[[Node, At], Any]
Rule = Callable[[dict[str, Any], At, Mapping[str, Node]], None]


@dataclass(frozen=True)
class Key:
    """One key of an entry: how its value is parsed, whether it must be there, its default."""

    name: str
    parse: Parser
    required: bool = False
    default: Any = None
    help: str = ""


@dataclass(frozen=True)
class Shape:
    """One kind of entry: its declared keys, what keys beyond them become (``extra``; ``None``
    refuses them), and rules that relate several keys, run after each key is parsed."""

    name: str
    keys: tuple[Key, ...]
    extra: Parser | None = None
    rules: tuple[Rule, ...] = ()


# ---------------------------------------------------------------------------------------------
# Value types
# ---------------------------------------------------------------------------------------------


def is_null(node: Node | None) -> bool:
    return node is None or (isinstance(node, ScalarNode) and node.tag == NULL_TAG)


def _scalar(node: Node, at: At) -> Any:
    if isinstance(node, MappingNode):
        raise at.error("expected a single value, not a mapping")
    if isinstance(node, SequenceNode):
        raise at.error("expected a single value, not a list")
    try:
        return construct(node, at.file)
    except YamlError as exc:
        raise at.error(exc.problem) from None


def plain(node: Node, at: At) -> Any:
    """Any YAML value, as plain data (a kind's fields, a casualty figure, a place's extras)."""
    try:
        return construct(node, at.file)
    except YamlError as exc:
        raise at.error(exc.problem) from None


def json_value(node: Node, at: At) -> Any:
    """Free-form data kept in a JSON column (a casualty figure, a place's extras): dates become
    ISO 8601 text; what JSON cannot hold the same way on every database is refused."""

    def convert(value: Any) -> Any:
        if isinstance(value, datetime | date):
            return value.isoformat()
        if isinstance(value, float) and not math.isfinite(value):
            raise at.error("expected a finite number")
        if isinstance(value, dict):
            return {str(k): convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        if value is None or isinstance(value, str | int | float | bool):
            return value
        raise at.error(f"a {type(value).__name__} value cannot be stored here")

    return convert(plain(node, at))


def text(node: Node, at: At) -> str:
    value = _scalar(node, at)
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise at.error(f"expected text, not {type(value).__name__}")
    return str(value).strip()


def case_name(node: Node, at: At) -> str:
    """A case's name: text that can be printed on a line of its own and fits the catalogue."""
    value = text(node, at)
    problem = case_name_problem(value)
    if problem is not None:
        raise at.error(problem)
    return value


def content_text(node: Node, at: At) -> str:
    """The verbatim text of an original: kept exactly as written, never stripped."""
    value = _scalar(node, at)
    if not isinstance(value, str) or not value:
        raise at.error("expected non-empty text")
    return value


def number(node: Node, at: At) -> float:
    value = _scalar(node, at)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise at.error(f"expected a number, not {value!r}")
    if not math.isfinite(value):
        raise at.error("expected a finite number")
    return float(value)


def ranged(low: float, high: float, message: str, *, open_low: bool = False) -> Parser:
    def parse(node: Node, at: At) -> float:
        value = number(node, at)
        inside = (low < value if open_low else low <= value) and value <= high
        if not inside:
            raise at.error(message)
        return value

    return parse


def boolean(node: Node, at: At) -> bool:
    value = _scalar(node, at)
    if not isinstance(value, bool):
        raise at.error("expected true or false")
    return value


def choice(values: tuple[str, ...], message: Callable[[str], str] | None = None) -> Parser:
    def parse(node: Node, at: At) -> str:
        value = text(node, at)
        if value not in values:
            if message is not None:
                raise at.error(message(value))
            raise at.error(f"'{value}' is not one of {', '.join(values)}")
        return value

    return parse


def when(node: Node, at: At) -> str:
    value = _scalar(node, at)
    try:
        parsed = _DATETIME.parse(value)
    except FieldError as exc:
        raise at.error(str(exc).split(": ", 1)[-1]) from None
    return str(parsed)


def day(node: Node, at: At) -> str:
    value = _scalar(node, at)
    if isinstance(value, datetime | date):
        return value.isoformat()
    written = text(node, at)
    try:
        date.fromisoformat(written)
    except ValueError:
        try:
            datetime.fromisoformat(written.replace("Z", "+00:00"))
        except ValueError:
            raise at.error(f"'{written}' is not a date (YYYY-MM-DD)") from None
    return written


def credibility(node: Node, at: At) -> int:
    value = _scalar(node, at)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
        raise at.error(
            f"{value!r} is not an information credibility grade 1 (confirmed) .. 6 "
            "(cannot be judged)"
        )
    return value


def sha256(node: Node, at: At) -> str:
    value = text(node, at).lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise at.error("expected 64 hexadecimal digits")
    return value


def names(node: Node, at: At) -> list[str]:
    """One name, or a list of names."""
    if isinstance(node, ScalarNode):
        value = text(node, at)
        return [value] if value else []
    items = listing(node, at)
    out = []
    for i, child in enumerate(items):
        here = at.at(i, child)
        value = "" if is_null(child) else text(child, here)
        if not value:
            raise here.error("a value is required")
        out.append(value)
    return out


def listing(node: Node, at: At) -> list[Node]:
    if is_null(node):
        return []
    if not isinstance(node, SequenceNode):
        raise at.error("expected a list")
    return list(node.value)


def pairs(node: Node, at: At) -> list[tuple[str, Node, Node]]:
    """A mapping's entries as (key text, key node, value node)."""
    if is_null(node):
        return []
    if not isinstance(node, MappingNode):
        raise at.error("expected a mapping (key: value)")
    return [(str(k.value), k, v) for k, v in node.value]


def mapping_of(value: Parser) -> Parser:
    """A mapping from free names (hypothesis ids, standards) to values of one type."""

    def parse(node: Node, at: At) -> dict[str, Any]:
        out = {}
        for name, _key, child in pairs(node, at):
            here = at.at(name, child)
            if is_null(child):
                raise here.error("a value is required")
            out[name] = value(child, here)
        return out

    return parse


def list_of(shape: Shape) -> Parser:
    def parse(node: Node, at: At) -> list[dict[str, Any]]:
        return [entry(shape, child, at.at(i, child)) for i, child in enumerate(listing(node, at))]

    return parse


def record(shape: Shape, *, none_if_empty: bool = False) -> Parser:
    def parse(node: Node, at: At) -> dict[str, Any] | None:
        out = entry(shape, node, at)
        return (out or None) if none_if_empty else out

    return parse


def suggestion(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6) or [
        k for k in known if k.lower() == name.lower()
    ]
    if close:
        return f" — did you mean '{close[0]}'?"
    return f" (known: {', '.join(known)})"


def entry(shape: Shape, node: Node, at: At) -> dict[str, Any]:
    """Parse one entry by its declaration; the normal form drops empty and default values."""
    given = pairs(node, at)
    declared = {k.name: k for k in shape.keys}
    nodes: dict[str, Node] = {}
    extras: list[tuple[str, Node, Node]] = []
    for name, key_node, value_node in given:
        if name in declared:
            nodes[name] = value_node
        elif shape.extra is None:
            raise at.there(key_node).error(
                f"unknown key '{printable(name)}'{suggestion(name, list(declared))}"
            )
        else:
            extras.append((name, key_node, value_node))
    out: dict[str, Any] = {}
    for key in shape.keys:
        child = nodes.get(key.name)
        here = at.at(key.name, child)
        if is_null(child):
            if key.required:
                raise here.error("a value is required")
            out[key.name] = key.default
            continue
        assert child is not None
        value = key.parse(child, here)
        if key.required and empty(value):
            raise here.error("a value is required")
        out[key.name] = value
    for name, _key_node, value_node in extras:
        assert shape.extra is not None
        out[name] = shape.extra(value_node, at.at(name, value_node))
    for rule in shape.rules:
        rule(out, at, nodes)
    return prune(out)


def empty(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, str | list | dict) and not value)


def prune(values: Mapping[str, Any]) -> dict[str, Any]:
    """Drop empty values: the normal form omits what is absent, so absent and empty agree."""
    return {k: v for k, v in values.items() if not empty(v)}


# ---------------------------------------------------------------------------------------------
# Rules that relate keys
# ---------------------------------------------------------------------------------------------


def _window_order(out: dict[str, Any], at: At, _nodes: Mapping[str, Node]) -> None:
    start, end = out["start"], out["end"]
    first, last = datetime.fromisoformat(start), datetime.fromisoformat(end)
    if (first.tzinfo is None) == (last.tzinfo is None) and first > last:
        raise at.error(f"starts ({start}) after it ends ({end})")


def _hypotheses_exhaustive(out: dict[str, Any], at: At, _nodes: Mapping[str, Node]) -> None:
    hypotheses = out["hypotheses"] or []
    where = at.at("hypotheses")
    ids = [h["id"] for h in hypotheses]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise where.error(f"hypothesis id '{duplicate}' is used twice")
    others = [h["id"] for h in hypotheses if h.get("other")]
    if len(others) != 1:
        raise where.error(
            "needs exactly one explicit 'other' hypothesis (other: true), so that the "
            f"hypotheses are exhaustive as well as mutually exclusive; found {len(others)}"
        )
    if len(hypotheses) < 2:
        raise where.error("needs at least one hypothesis besides 'other'")


def _item_rules(out: dict[str, Any], at: At, nodes: Mapping[str, Node]) -> None:
    if not out["key"] and not out["sha256"]:
        raise at.error("give a 'key', or the 'sha256' of evidence already in the store (or both)")
    if out["key"] and out["key"].startswith(SHA256_PREFIX):
        raise at.at("key", nodes.get("key")).error(
            f"a key may not start with '{SHA256_PREFIX}', which names evidence by its hash"
        )
    label = f"(item '{out['key'] or out['sha256']}')"
    try:
        kind = get_kind(out["kind"])
    except KindError as exc:
        raise at.at("kind", nodes.get("kind")).error(str(exc)) from None
    raw_fields = out["fields"] or {}
    if not isinstance(raw_fields, Mapping):
        raise at.at("fields", nodes.get("fields")).error("expected a mapping (key: value)")
    try:
        out["fields"] = kind.validate(raw_fields)
    except FieldError as exc:
        field_node = _field_node(nodes.get("fields"), str(exc))
        raise at.at("fields", field_node).error(f"{label} {_withholding(kind, str(exc))}") from None
    if out["protected"] is None:
        out["protected"] = kind.is_protected(out["fields"])
    if out["text"] and out["file"]:
        raise at.error(f"{label} give either 'text' or 'file', not both")
    how = out["transformation"]
    if how is not None and not isinstance(how, Mapping):
        raise at.at("transformation", nodes.get("transformation")).error(
            "expected a mapping (how: ..., and what else was recorded of how it was made)"
        )
    if out["confirmed"] and not (out["derived_from"] and (how or {}).get("how") == REDACTED):
        # Only a derivative recorded as a redaction can be confirmed for publication.
        raise at.at("confirmed", nodes.get("confirmed")).error(
            f"{label} only a redaction can be confirmed: give 'derived_from' and "
            f"'transformation' with how: {REDACTED}"
        )
    if how and not out["derived_from"]:
        raise at.at("transformation", nodes.get("transformation")).error(
            f"{label} says how it was made, but not from what: give 'derived_from'"
        )


def _withholding(kind: Kind, message: str) -> str:
    """A kind's complaint about a field, without the value when the field may identify a
    witness: a refusal must not repeat a protected name into a terminal or a log."""
    name = message[len("field '") :].split("'", 1)[0] if message.startswith("field '") else ""
    identifying = {f.name for f in kind.fields if f.identifying}
    if name.split(".", 1)[0].split("[", 1)[0] in identifying:
        return f"field '{name}': not a valid value (not shown: it may identify a witness)"
    return message


def _field_node(fields: Node | None, message: str) -> Node | None:
    """The node of the field a kind's error names (``field 'x': ...``), else the mapping."""
    if isinstance(fields, MappingNode) and message.startswith("field '"):
        name = message[len("field '") :].split("'", 1)[0]
        for key, value in fields.value:
            if key.value == name:
                found: Node = value
                return found
    return fields


def _rating_rules(out: dict[str, Any], at: At, nodes: Mapping[str, Node]) -> None:
    if bool(out["item"]) == bool(out["claim"]):
        raise at.error("name exactly one of 'item' or 'claim'")
    if not out["values"] and not out["likelihoods"]:
        raise at.error("gives no 'values' (CC/C/N/I/II/NA) and no 'likelihoods'")
    rationale = out["rationale"]
    if isinstance(rationale, dict):
        rated = {*(out["values"] or {}), *(out["likelihoods"] or {})}
        unknown = sorted(set(rationale) - rated)
        if unknown:
            raise at.at("rationale", nodes.get("rationale")).error(
                f"'{unknown[0]}' is not rated here"
            )
        texts = {rationale.get(h, "") for h in rated}
        if len(texts) == 1:
            out["rationale"] = texts.pop()
    worded = out.get("worded") or {}
    stray = sorted(set(worded) - {*(out["values"] or {}), *(out["likelihoods"] or {})})
    if stray:
        raise at.at("worded", nodes.get("worded")).error(f"'{stray[0]}' is not rated here")


def wording(node: Node, at: At) -> str:
    """The wording a rating was made under: a SHA-256 (enquiry.model.wording) or 'earlier'."""
    value = text(node, at).lower()
    if value == EARLIER:
        return value
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise at.error(f"expected a wording's SHA-256 (64 hexadecimal digits) or '{EARLIER}'")
    return value


def rationale(node: Node, at: At) -> str | dict[str, str]:
    """One text for every hypothesis, or one per hypothesis."""
    if isinstance(node, MappingNode):
        return {
            name: ("" if is_null(child) else text(child, at.at(name, child)))
            for name, _key, child in pairs(node, at)
        }
    return text(node, at)


# ---------------------------------------------------------------------------------------------
# The declarations
# ---------------------------------------------------------------------------------------------

WINDOW = Shape(
    "window",
    (
        Key("start", when, required=True, help="ISO 8601, with an offset"),
        Key("end", when, required=True, help="ISO 8601, with an offset"),
    ),
    rules=(_window_order,),
)

PLACE = Shape(
    "place",
    (
        Key("name", text),
        Key("lat", ranged(-90, 90, "latitude must lie in -90..90")),
        Key("lon", ranged(-180, 180, "longitude must lie in -180..180")),
        Key("radius_km", number),
    ),
    extra=json_value,
)

CASE = Shape(
    "case",
    (
        Key("name", case_name, required=True, help="the case's handle"),
        Key("title", text),
        Key("mandate", text),
    ),
)

ACTOR = Shape(
    "actor",
    (
        Key("name", text, required=True),
        Key("type", choice(ACTOR_TYPES), default="person"),
        Key("aliases", names),
        Key("title", text),
        Key("affiliation", text, help="the name of another actor, or free text"),
    ),
)

SOURCE = Shape(
    "source",
    (
        Key("name", text, required=True),
        Key(
            "reliability",
            choice(
                RELIABILITY,
                lambda v: (
                    f"'{v}' is not an Admiralty reliability grade (A completely "
                    "reliable .. F cannot be judged)"
                ),
            ),
            default="F",
        ),
        Key("actor", text),
        Key("description", text),
    ),
)


def _prior(node: Node, at: At) -> float:
    value = number(node, at)
    if not 0 < value < 1:
        raise at.error("a prior must lie strictly between 0 and 1")
    return value


HYPOTHESIS = Shape(
    "hypothesis",
    (
        Key("id", text, required=True),
        Key("label", text, required=True),
        Key("description", text),
        Key("other", boolean, default=False, help="true for the catch-all"),
        Key("prior", _prior),
    ),
)


CASUALTY = Shape("casualty figure", (Key("source", text, required=True),), extra=json_value)

REPLY = Shape(
    "reply",
    (
        Key("party", text, required=True, help="who replied (an actor's name)"),
        Key("date", day),
        Key("reference", text, help="document symbol, forum or letter"),
        Key("summary", text, required=True, help="what the reply says, in the panel's words"),
    ),
)

PANEL_MEMBER = Shape(
    "panel member",
    (Key("name", text, required=True), Key("role", text)),
)


INCIDENT = Shape(
    "incident",
    (
        Key("slug", text, required=True),
        Key("title", text),
        Key("category", text),
        Key("window", record(WINDOW)),
        Key("place", record(PLACE, none_if_empty=True)),
        Key("means", names),
        Key("description", text),
        Key(
            "casualties",
            lambda node, at: [
                entry(CASUALTY, c, at.at(i, c)) for i, c in enumerate(listing(node, at))
            ],
        ),
        Key("thresholds", mapping_of(number), help="standard of proof -> posterior"),
        Key("replies", list_of(REPLY), help="replies received from the parties"),
        Key("panel", list_of(PANEL_MEMBER), help="who wrote and answers for the report"),
        Key("hypotheses", list_of(HYPOTHESIS), default=[]),
    ),
    rules=(_hypotheses_exhaustive,),
)

REDACTED = "redacted"  # the ``how`` of a redaction's transformation (enquiry media redact)

CONFIRMATION = Shape(
    "confirmation",
    (
        Key(
            "by", text, required=True, help="who confirmed the redaction, in the home it came from"
        ),
        Key("at", text, required=True, help="when (the time of its confirmed event there)"),
    ),
)

ITEM = Shape(
    "item",
    (
        Key("key", text, help="the item's stable name in the case"),
        Key("kind", text, required=True),
        Key("source", text),
        Key("credibility", credibility),
        Key("protected", boolean),
        Key("derived_from", text, help="the key (or sha256:...) of an earlier item"),
        Key("origin", text),
        Key("fields", plain),
        Key("withheld", names, help="what a plain dump left out"),
        Key("text", content_text),
        Key("file", text, help="a path relative to the case file's folder"),
        Key("sha256", sha256),
        Key(
            "transformation",
            json_value,
            help="how it was made from 'derived_from' (how: redacted for a redaction)",
        ),
        Key(
            "confirmed",
            record(CONFIRMATION),
            help="a redaction confirmed for publication: taken in by 'bundle import' only",
        ),
    ),
    rules=(_item_rules,),
)

SLOTS = Shape(
    "slots",
    (
        Key("time_window", record(WINDOW)),
        Key("place", record(PLACE, none_if_empty=True)),
        Key("means", text),
        Key("agent", text),
    ),
    extra=json_value,
)


def truth_value(node: Node, at: At) -> str:
    """A claim's outcome: true, false (YAML's booleans or the words) or unknown."""
    value = _scalar(node, at)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(choice(("true", "false", "unknown"))(node, at))


OUTCOME = Shape(
    "outcome",
    (
        Key("truth", truth_value, required=True),
        Key("analyst", text, help="who closed the claim"),
        Key("basis", text, help="the finding that settled it"),
        Key("date", day),
    ),
)

CLAIM = Shape(
    "claim",
    (
        Key("key", text, required=True),
        Key("actor", text, required=True),
        Key("item", text),
        Key("incident", text),
        Key("date", day),
        Key("date_phrase", text),
        Key("forum", text),
        Key("text", text, required=True),
        Key("origin", text),
        Key("slots", record(SLOTS)),
        Key("supports", names),
        Key("evidence", names),
        Key("outcome", record(OUTCOME), help="how the claim turned out, once settled"),
        Key("withheld", boolean, help="words and speaker withheld by a dump (a protected item's)"),
    ),
)

RATING = Shape(
    "rating",
    (
        Key("incident", text, required=True),
        Key("item", text),
        Key("claim", text),
        Key("analyst", text),
        Key("values", mapping_of(choice(RATINGS))),
        Key(
            "likelihoods",
            mapping_of(ranged(0, 1, "P(E|H) must lie in (0, 1]", open_low=True)),
        ),
        Key("rationale", rationale),
        Key(
            "worded",
            mapping_of(wording),
            help="hypothesis -> the wording the rating was made under, when an earlier one",
        ),
    ),
    rules=(_rating_rules,),
)

FORMAT_KEY = Key(
    "format",
    choice((FORMAT,), lambda v: f"'{v}' is not a format this version reads ({FORMAT})"),
    default=FORMAT,
)

CASE_FILE = Shape(
    "case file",
    (
        FORMAT_KEY,
        Key("case", record(CASE), required=True),
        Key("actors", list_of(ACTOR), default=[]),
        Key("sources", list_of(SOURCE), default=[]),
        Key("incidents", list_of(INCIDENT), default=[]),
        Key("items", list_of(ITEM), default=[]),
        Key("claims", list_of(CLAIM), default=[]),
        Key("ratings", list_of(RATING), default=[]),
    ),
)

#: Every declared entry, by the section (or nested key) where it appears.
SECTIONS: dict[str, Shape] = {
    "case file": CASE_FILE,
    "case": CASE,
    "actors": ACTOR,
    "sources": SOURCE,
    "incidents": INCIDENT,
    "incidents[].hypotheses": HYPOTHESIS,
    "incidents[].window": WINDOW,
    "incidents[].place": PLACE,
    "incidents[].casualties": CASUALTY,
    "incidents[].replies": REPLY,
    "incidents[].panel": PANEL_MEMBER,
    "items": ITEM,
    "items[].confirmed": CONFIRMATION,
    "claims": CLAIM,
    "claims[].slots": SLOTS,
    "ratings": RATING,
}


def item_ref(item: Mapping[str, Any]) -> str:
    """How the rest of a case file names an item: its key, else ``sha256:<hex>``."""
    return str(item.get("key") or SHA256_PREFIX + str(item["sha256"]))


class CaseDocument(dict[str, Any]):
    """A case file in normal form, with where each entry and value was written.

    It is a plain ``dict`` to everything that reads it; ``locations`` maps paths such as
    ``items[3].file`` to their line and column, so that a problem found while loading (a
    missing attachment, an undefined name) is reported where it was written.
    """

    file: str = "case file"
    locations: Locations

    def place(self, path: str) -> Place | None:
        """The line and column of ``path``, or of the nearest entry that holds it."""
        probe = path
        while probe:
            found = self.locations.get(probe)
            if found is not None:
                return found
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return None

    def error(
        self, path: str, message: str, kind: type[CaseFileError] = CaseFileError
    ) -> CaseFileError:
        """A refusal naming the file, the line and column of ``path``, and ``path`` itself."""
        return kind(located(self.file, self.place(path), f"{path}: {message}" if path else message))


def as_document(doc: Mapping[str, Any], file: str) -> CaseDocument:
    """``doc`` as a :class:`CaseDocument` (already-normal data has no locations to give)."""
    if isinstance(doc, CaseDocument):
        return doc
    out = CaseDocument(doc)
    out.file = file
    out.locations = {}
    return out


def parse_document(node: Node | None, file: str) -> CaseDocument:
    """Check a composed case file against :data:`CASE_FILE` and return its normal form."""
    locations: Locations = {}
    root = At(file, "", Place.of(node) if node is not None else Place(1, 1), locations)
    if node is None:
        raise root.error("is empty: a case file needs at least a 'case' with a 'name'")
    if not isinstance(node, MappingNode):
        raise root.error("expected a mapping of sections (format, case, actors, ...)")
    out = entry(CASE_FILE, node, root)
    for section, key in (
        ("actors", "name"),
        ("sources", "name"),
        ("incidents", "slug"),
        ("claims", "key"),
    ):
        _unique(out.get(section, []), _by(key), key, root.at(section))
    _unique(out.get("items", []), item_ref, "item", root.at("items"))
    _check_references(out, root)
    doc = CaseDocument(prune(out) | {"format": FORMAT})
    doc.file = file
    doc.locations = locations
    return doc


def _by(key: str) -> Callable[[dict[str, Any]], str]:
    return lambda entry: str(entry[key])


def _unique(
    entries: list[dict[str, Any]], name_of: Callable[[dict[str, Any]], str], what: str, at: At
) -> None:
    seen: set[str] = set()
    for i, value in enumerate(entries):
        name = name_of(value)
        if name in seen:
            here = at.at(i)
            here.place = at.locations.get(here.path, at.place)
            raise here.error(f"{what} '{name}' is used twice")
        seen.add(name)


def _placed(at: At, *parts: str | int) -> At:
    here = at
    for part in parts:
        here = here.at(part)
    here.place = at.locations.get(here.path, here.place)
    return here


def _check_references(doc: Mapping[str, Any], at: At) -> None:
    """Names that point inside the file must exist there (earlier, for ``derived_from``).

    An item may also be named by ``sha256:<hex>`` of evidence the case already holds; whether
    it does is for the loader to say, since only the store knows.
    """
    hyps = {i["slug"]: {h["id"] for h in i["hypotheses"]} for i in doc.get("incidents", [])}
    claims = {c["key"] for c in doc.get("claims", [])}
    items_seen: set[str] = set()
    for i, item in enumerate(doc.get("items", [])):
        parent = item.get("derived_from")
        if parent and parent not in items_seen and not parent.startswith(SHA256_PREFIX):
            raise _placed(at, "items", i, "derived_from").error(
                f"'{parent}' must name an item listed before this one"
            )
        items_seen.add(item_ref(item))
    for i, claim in enumerate(doc.get("claims", [])):
        incident = claim.get("incident")
        if incident and incident in hyps:
            for hyp in claim.get("supports", []):
                if hyp not in hyps[incident]:
                    raise _placed(at, "claims", i, "supports").error(
                        f"supports '{hyp}', which incident '{incident}' does not have"
                    )
        for key in claim.get("evidence", []):
            if key not in items_seen and not key.startswith(SHA256_PREFIX):
                raise _placed(at, "claims", i, "evidence").error(
                    f"evidence '{key}' is not an item of this file"
                )
    for i, rating in enumerate(doc.get("ratings", [])):
        slug = rating["incident"]
        if slug in hyps:
            for part in ("values", "likelihoods"):
                for hyp in rating.get(part, {}):
                    if hyp not in hyps[slug]:
                        raise _placed(at, "ratings", i, part, hyp).error(
                            f"rates '{hyp}', which incident '{slug}' does not have"
                        )
        if rating.get("claim") and rating["claim"] not in claims:
            raise _placed(at, "ratings", i, "claim").error(
                f"claim '{rating['claim']}' is not in this file"
            )
