"""Case files: a whole investigation as one YAML document, loaded into and dumped from a home.

A case file holds the case, its actors, graded sources, incidents with their hypotheses and
established facts, evidence items (kind fields, inline text or an attached file), claims with
structured slots, and the analysts' ratings. ``load`` takes it in through the same intake and
ledger as ``enquiry add`` (every original goes to the vault, every creation and change is a
custody event); ``dump`` writes it back. Items and claims carry stable keys, so loading the same
file twice changes nothing and ``dump(load(x))`` is ``x`` in its normal form (see
:func:`normalise`). The format is documented in ``docs/casefile.md``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection, insert, select, update

from enquiry.intake.extract import Extractor
from enquiry.intake.pipeline import FileResult, IntakeError, IntakeOptions, add_bytes, add_paths
from enquiry.model.grades import RATINGS, RELIABILITY
from enquiry.model.kinds import KindError, get_kind
from enquiry.model.types import FieldError, FieldSpec
from enquiry.store import Store
from enquiry.store.ledger import LedgerWriter, state_digest, utc_now
from enquiry.store.tables import (
    Actor,
    Case,
    Claim,
    Hypothesis,
    Incident,
    Item,
    Rating,
    Source,
)

FORMAT = "enquiry-case/1"
BUILTIN_DIR = Path(__file__).resolve().parents[1] / "cases"
ACTOR_TYPES = ("state", "organisation", "armed_group", "person", "outlet", "other")
SECTIONS = ("actors", "sources", "incidents", "items", "claims", "ratings")
_DATETIME = FieldSpec(name="datetime", type="datetime")


class CaseFileError(ValueError):
    """A case file is wrong; the message names the file, the entry and the problem."""


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


def read_case_file(path: Path) -> dict[str, Any]:
    """Parse and normalise a case file, or raise :class:`CaseFileError` naming what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(f"{path}: cannot read ({exc})") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CaseFileError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from exc
    return normalise(raw, str(path))


class _Where:
    """Builds error messages that say where in the file a value is."""

    def __init__(self, file: str, path: str = "") -> None:
        self.file = file
        self.path = path

    def at(self, part: str | int) -> _Where:
        step = f"[{part}]" if isinstance(part, int) else (f".{part}" if self.path else part)
        return _Where(self.file, self.path + step)

    def error(self, message: str) -> CaseFileError:
        return CaseFileError(
            f"{self.file}: {self.path}: {message}" if self.path else f"{self.file}: {message}"
        )


def _mapping(value: Any, where: _Where) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise where.error("expected a mapping (key: value)")
    return value


def _list(value: Any, where: _Where) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise where.error("expected a list")
    return value


def _text(value: Any, where: _Where, *, required: bool = False) -> str:
    if value is None:
        if required:
            raise where.error("a value is required")
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise where.error(f"expected text, not {type(value).__name__}")
    text = str(value).strip()
    if required and not text:
        raise where.error("a value is required")
    return text


def _number(value: Any, where: _Where) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.error(f"expected a number, not {value!r}")
    if not math.isfinite(value):
        raise where.error("expected a finite number")
    return float(value)


def _when(value: Any, where: _Where) -> str:
    try:
        parsed = _DATETIME.parse(value)
    except FieldError as exc:
        raise where.error(str(exc).split(": ", 1)[-1]) from None
    return str(parsed)


def _day(value: Any, where: _Where) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value, where, required=True)
    try:
        date.fromisoformat(text)
    except ValueError:
        try:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise where.error(f"'{text}' is not a date (YYYY-MM-DD)") from None
    return text


def _prune(values: Mapping[str, Any]) -> dict[str, Any]:
    """Drop empty values: the normal form omits what is absent, so absent and empty agree."""
    return {k: v for k, v in values.items() if not _empty(v)}


def _empty(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, str | list | dict) and not value)


def _window(value: Any, where: _Where) -> dict[str, str] | None:
    if value is None:
        return None
    raw = _mapping(value, where)
    unknown = set(raw) - {"start", "end"}
    if unknown:
        raise where.error(f"unknown key '{sorted(unknown)[0]}' (known: start, end)")
    start = _when(raw.get("start"), where.at("start"))
    end = _when(raw.get("end"), where.at("end"))
    first, last = datetime.fromisoformat(start), datetime.fromisoformat(end)
    if (first.tzinfo is None) == (last.tzinfo is None) and first > last:
        raise where.error(f"starts ({start}) after it ends ({end})")
    return {"start": start, "end": end}


def _place(value: Any, where: _Where) -> dict[str, Any] | None:
    if value is None:
        return None
    raw = _mapping(value, where)
    out: dict[str, Any] = {"name": _text(raw.get("name"), where.at("name"))}
    for key in ("lat", "lon", "radius_km"):
        out[key] = _number(raw.get(key), where.at(key))
    if out["lat"] is not None and not -90 <= out["lat"] <= 90:
        raise where.at("lat").error("latitude must lie in -90..90")
    if out["lon"] is not None and not -180 <= out["lon"] <= 180:
        raise where.at("lon").error("longitude must lie in -180..180")
    for key in sorted(set(raw) - set(out)):
        out[key] = raw[key]
    return _prune(out) or None


def _names(value: Any, where: _Where) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    return [_text(v, where.at(i), required=True) for i, v in enumerate(_list(value, where))]


def _normal_case(raw: Any, where: _Where) -> dict[str, Any]:
    case = _mapping(raw, where)
    name = _text(case.get("name"), where.at("name"), required=True)
    return _prune(
        {
            "name": name,
            "title": _text(case.get("title"), where.at("title")),
            "mandate": _text(case.get("mandate"), where.at("mandate")),
        }
    )


def _normal_actor(raw: Any, where: _Where) -> dict[str, Any]:
    actor = _mapping(raw, where)
    kind = _text(actor.get("type"), where.at("type")) or "person"
    if kind not in ACTOR_TYPES:
        raise where.at("type").error(f"'{kind}' is not one of {', '.join(ACTOR_TYPES)}")
    return _prune(
        {
            "name": _text(actor.get("name"), where.at("name"), required=True),
            "type": kind,
            "aliases": _names(actor.get("aliases"), where.at("aliases")),
            "title": _text(actor.get("title"), where.at("title")),
            "affiliation": _text(actor.get("affiliation"), where.at("affiliation")),
        }
    )


def _normal_source(raw: Any, where: _Where) -> dict[str, Any]:
    source = _mapping(raw, where)
    grade = _text(source.get("reliability"), where.at("reliability")) or "F"
    if grade not in RELIABILITY:
        raise where.at("reliability").error(
            f"'{grade}' is not an Admiralty reliability grade (A completely reliable .. "
            "F cannot be judged)"
        )
    return _prune(
        {
            "name": _text(source.get("name"), where.at("name"), required=True),
            "reliability": grade,
            "actor": _text(source.get("actor"), where.at("actor")),
            "description": _text(source.get("description"), where.at("description")),
        }
    )


def _normal_hypothesis(raw: Any, where: _Where) -> dict[str, Any]:
    hyp = _mapping(raw, where)
    prior = _number(hyp.get("prior"), where.at("prior"))
    if prior is not None and not 0 < prior < 1:
        raise where.at("prior").error("a prior must lie strictly between 0 and 1")
    other = hyp.get("other", False)
    if not isinstance(other, bool):
        raise where.at("other").error("expected true or false")
    return _prune(
        {
            "id": _text(hyp.get("id"), where.at("id"), required=True),
            "label": _text(hyp.get("label"), where.at("label"), required=True),
            "description": _text(hyp.get("description"), where.at("description")),
            "other": other,
            "prior": prior,
        }
    )


def _normal_incident(raw: Any, where: _Where) -> dict[str, Any]:
    incident = _mapping(raw, where)
    slug = _text(incident.get("slug"), where.at("slug"), required=True)
    hypotheses = [
        _normal_hypothesis(h, where.at("hypotheses").at(i))
        for i, h in enumerate(_list(incident.get("hypotheses"), where.at("hypotheses")))
    ]
    ids = [h["id"] for h in hypotheses]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise where.at("hypotheses").error(f"hypothesis id '{duplicate}' is used twice")
    others = [h["id"] for h in hypotheses if h.get("other")]
    if len(others) != 1:
        raise where.at("hypotheses").error(
            "needs exactly one explicit 'other' hypothesis (other: true), so that the "
            f"hypotheses are exhaustive as well as mutually exclusive; found {len(others)}"
        )
    if len(hypotheses) < 2:
        raise where.at("hypotheses").error("needs at least one hypothesis besides 'other'")
    casualties = []
    for i, entry in enumerate(_list(incident.get("casualties"), where.at("casualties"))):
        figure = dict(_mapping(entry, where.at("casualties").at(i)))
        _text(figure.get("source"), where.at("casualties").at(i).at("source"), required=True)
        casualties.append(
            {k: (v.isoformat() if isinstance(v, date) else v) for k, v in figure.items()}
        )
    thresholds = {
        str(k): _number(v, where.at("thresholds").at(str(k)))
        for k, v in _mapping(incident.get("thresholds"), where.at("thresholds")).items()
    }
    return _prune(
        {
            "slug": slug,
            "title": _text(incident.get("title"), where.at("title")),
            "category": _text(incident.get("category"), where.at("category")),
            "window": _window(incident.get("window"), where.at("window")),
            "place": _place(incident.get("place"), where.at("place")),
            "means": _names(incident.get("means"), where.at("means")),
            "description": _text(incident.get("description"), where.at("description")),
            "casualties": casualties,
            "thresholds": thresholds,
            "hypotheses": hypotheses,
        }
    )


def _normal_item(raw: Any, where: _Where) -> dict[str, Any]:
    item = _mapping(raw, where)
    key = _text(item.get("key"), where.at("key"), required=True)
    kind_name = _text(item.get("kind"), where.at("kind"), required=True)
    try:
        kind = get_kind(kind_name)
        fields = kind.validate(_mapping(item.get("fields"), where.at("fields")))
    except (KindError, FieldError) as exc:
        raise where.error(f"(item '{key}') {exc}") from None
    credibility = item.get("credibility")
    if credibility is not None and (
        isinstance(credibility, bool) or credibility not in range(1, 7)
    ):
        raise where.at("credibility").error(
            f"{credibility!r} is not an information credibility grade 1 (confirmed) .. 6 "
            "(cannot be judged)"
        )
    if "text" in item and "file" in item:
        raise where.error(f"(item '{key}') give either 'text' or 'file', not both")
    protected = item.get("protected", kind_name == "testimony" or bool(fields.get("protected")))
    if not isinstance(protected, bool):
        raise where.at("protected").error("expected true or false")
    text = item.get("text")
    if text is not None and (not isinstance(text, str) or not text):
        raise where.at("text").error("expected non-empty text")
    sha = _text(item.get("sha256"), where.at("sha256")).lower()
    if sha and (len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha)):
        raise where.at("sha256").error("expected 64 hexadecimal digits")
    withheld = _names(item.get("withheld"), where.at("withheld"))
    return _prune(
        {
            "key": key,
            "kind": kind_name,
            "source": _text(item.get("source"), where.at("source")),
            "credibility": credibility,
            "protected": protected,
            "derived_from": _text(item.get("derived_from"), where.at("derived_from")),
            "origin": _text(item.get("origin"), where.at("origin")),
            "fields": fields,
            "withheld": withheld,
            "text": text,
            "file": _text(item.get("file"), where.at("file")),
            "sha256": sha,
        }
    )


def _normal_slots(raw: Any, where: _Where) -> dict[str, Any]:
    slots = dict(_mapping(raw, where))
    out: dict[str, Any] = {}
    if "time_window" in slots:
        out["time_window"] = _window(slots.pop("time_window"), where.at("time_window"))
    if "place" in slots:
        out["place"] = _place(slots.pop("place"), where.at("place"))
    for key in ("means", "agent"):
        if key in slots:
            out[key] = _text(slots.pop(key), where.at(key))
    out.update(slots)
    return _prune(out)


def _normal_claim(raw: Any, where: _Where) -> dict[str, Any]:
    claim = _mapping(raw, where)
    return _prune(
        {
            "key": _text(claim.get("key"), where.at("key"), required=True),
            "actor": _text(claim.get("actor"), where.at("actor"), required=True),
            "item": _text(claim.get("item"), where.at("item")),
            "incident": _text(claim.get("incident"), where.at("incident")),
            "date": _day(claim.get("date"), where.at("date")),
            "date_phrase": _text(claim.get("date_phrase"), where.at("date_phrase")),
            "forum": _text(claim.get("forum"), where.at("forum")),
            "text": _text(claim.get("text"), where.at("text"), required=True),
            "origin": _text(claim.get("origin"), where.at("origin")),
            "slots": _normal_slots(claim.get("slots"), where.at("slots")),
            "supports": _names(claim.get("supports"), where.at("supports")),
            "evidence": _names(claim.get("evidence"), where.at("evidence")),
        }
    )


def _normal_rating(raw: Any, where: _Where) -> dict[str, Any]:
    rating = _mapping(raw, where)
    item = _text(rating.get("item"), where.at("item"))
    claim = _text(rating.get("claim"), where.at("claim"))
    if bool(item) == bool(claim):
        raise where.error("name exactly one of 'item' or 'claim'")
    values = {}
    for hyp, grade in _mapping(rating.get("values"), where.at("values")).items():
        text = _text(grade, where.at("values").at(str(hyp)), required=True)
        if text not in RATINGS:
            raise (
                where.at("values")
                .at(str(hyp))
                .error(f"'{text}' is not one of {', '.join(RATINGS)}")
            )
        values[str(hyp)] = text
    likelihoods = {}
    for hyp, number in _mapping(rating.get("likelihoods"), where.at("likelihoods")).items():
        value = _number(number, where.at("likelihoods").at(str(hyp)))
        if value is None or not 0 < value <= 1:
            raise where.at("likelihoods").at(str(hyp)).error("P(E|H) must lie in (0, 1]")
        likelihoods[str(hyp)] = value
    if not values and not likelihoods:
        raise where.error("gives no 'values' (CC/C/N/I/II/NA) and no 'likelihoods'")
    raw_rationale = rating.get("rationale")
    rationale: str | dict[str, str]
    if isinstance(raw_rationale, Mapping):
        rationale = {
            str(h): _text(t, where.at("rationale").at(str(h))) for h, t in raw_rationale.items()
        }
        unknown = set(rationale) - set(values) - set(likelihoods)
        if unknown:
            raise where.at("rationale").error(f"'{sorted(unknown)[0]}' is not rated here")
        texts = {rationale.get(h, "") for h in {*values, *likelihoods}}
        if len(texts) == 1:
            rationale = texts.pop()
    else:
        rationale = _text(raw_rationale, where.at("rationale"))
    return _prune(
        {
            "incident": _text(rating.get("incident"), where.at("incident"), required=True),
            "item": item,
            "claim": claim,
            "analyst": _text(rating.get("analyst"), where.at("analyst")),
            "values": values,
            "likelihoods": likelihoods,
            "rationale": rationale,
        }
    )


def _unique(entries: Sequence[Mapping[str, Any]], key: str, where: _Where) -> None:
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        if entry[key] in seen:
            raise where.at(i).error(f"{key} '{entry[key]}' is used twice")
        seen.add(entry[key])


def normalise(raw: Any, file: str = "case file") -> dict[str, Any]:
    """The normal form of a parsed case file: validated, typed, defaults dropped.

    Kind fields are parsed by their kind schema, times become ISO 8601 text, rationales that are
    the same for every hypothesis become one string. :func:`dump_case` writes exactly this form,
    so a normalised file and the dump of what it loaded are equal.
    """
    where = _Where(file)
    doc = _mapping(raw, where)
    declared = doc.get("format", FORMAT)
    if declared != FORMAT:
        raise where.at("format").error(
            f"'{declared}' is not a format this version reads ({FORMAT})"
        )
    unknown = set(doc) - {"format", "case", *SECTIONS}
    if unknown:
        raise where.error(
            f"unknown section '{sorted(unknown)[0]}' (known: case, {', '.join(SECTIONS)})"
        )
    builders: dict[str, Callable[[Any, _Where], dict[str, Any]]] = {
        "actors": _normal_actor,
        "sources": _normal_source,
        "incidents": _normal_incident,
        "items": _normal_item,
        "claims": _normal_claim,
        "ratings": _normal_rating,
    }
    out: dict[str, Any] = {
        "format": FORMAT,
        "case": _normal_case(doc.get("case"), where.at("case")),
    }
    for section, build in builders.items():
        here = where.at(section)
        out[section] = [
            build(entry, here.at(i)) for i, entry in enumerate(_list(doc.get(section), here))
        ]
    for section, key in (
        ("actors", "name"),
        ("sources", "name"),
        ("incidents", "slug"),
        ("items", "key"),
        ("claims", "key"),
    ):
        _unique(out[section], key, where.at(section))
    _check_references(out, where)
    return _prune(out) | {"format": FORMAT}


def _check_references(doc: Mapping[str, Any], where: _Where) -> None:
    """Names that point inside the file must exist there (earlier, for ``derived_from``)."""
    hyps = {i["slug"]: {h["id"] for h in i["hypotheses"]} for i in doc["incidents"]}
    claims = {c["key"]: c for c in doc["claims"]}
    items_seen: set[str] = set()
    for i, item in enumerate(doc["items"]):
        parent = item.get("derived_from")
        if parent and parent not in items_seen:
            raise (
                where.at("items")
                .at(i)
                .error(f"derived_from '{parent}' must name an item listed before this one")
            )
        items_seen.add(item["key"])
    for i, claim in enumerate(doc["claims"]):
        here = where.at("claims").at(i)
        incident = claim.get("incident")
        if incident and incident in hyps:
            for hyp in claim.get("supports", []):
                if hyp not in hyps[incident]:
                    raise here.error(f"supports '{hyp}', which incident '{incident}' does not have")
        for key in claim.get("evidence", []):
            if key not in items_seen:
                raise here.error(f"evidence '{key}' is not an item of this file")
    for i, rating in enumerate(doc["ratings"]):
        here = where.at("ratings").at(i)
        slug = rating["incident"]
        if slug in hyps:
            for hyp in [*rating.get("values", {}), *rating.get("likelihoods", {})]:
                if hyp not in hyps[slug]:
                    raise here.error(f"rates '{hyp}', which incident '{slug}' does not have")
        if rating.get("claim") and rating["claim"] not in claims:
            raise here.error(f"claim '{rating['claim']}' is not in this file")


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


class _Loader:
    """Writes one normalised case file into a store; each step is its own transaction."""

    def __init__(
        self,
        store: Store,
        doc: Mapping[str, Any],
        base: Path | None,
        extractors: Sequence[Extractor],
        name: str,
    ) -> None:
        self.store = store
        self.doc = doc
        self.base = base
        self.extractors = tuple(extractors)
        self.name = name
        self.case_name = str(doc["case"]["name"])
        self.report = LoadReport(self.case_name)
        self.case_id = 0
        self.actors: dict[str, int] = {}
        self.sources: dict[str, int] = {}
        self.incidents: dict[str, int] = {}
        self.hypotheses: dict[tuple[str, str], int] = {}
        self.items: dict[str, int] = {}
        self.claims: dict[str, int] = {}

    def fail(self, message: str) -> CaseFileError:
        return CaseFileError(f"{self.name}: {message}")

    # -- the frame: case, actors, sources, incidents, hypotheses --------------------------------

    def precheck(self) -> None:
        """Refuse before writing anything what would stop the load half-way: a missing
        attachment, a name that is neither in the file nor already in the case."""
        known: dict[str, set[str]] = {"actor": set(), "source": set(), "item": set()}
        with self.store.engine.connect() as conn:
            case_id = self.store.case_id(conn, self.case_name)
            if case_id is not None:
                for what, table, column in (
                    ("actor", Actor, Actor.name),
                    ("source", Source, Source.name),
                    ("item", Item, Item.key),
                ):
                    rows = conn.execute(select(column).where(table.case_id == case_id))
                    known[what].update(str(v) for v in rows.scalars() if v is not None)
        stored_items = set(known["item"])
        known["actor"].update(a["name"] for a in self.doc.get("actors", []))
        known["source"].update(s["name"] for s in self.doc.get("sources", []))
        known["item"].update(i["key"] for i in self.doc.get("items", []))
        wanted = [
            ("source", s["name"], "actor", s.get("actor")) for s in self.doc.get("sources", [])
        ]
        for item in self.doc.get("items", []):
            wanted.append(("item", item["key"], "source", item.get("source")))
            _, path, _ = self._content(item)
            if path is not None and not path.is_file() and item["key"] not in stored_items:
                raise self.fail(f"item '{item['key']}': attached file {path} does not exist")
        for claim in self.doc.get("claims", []):
            wanted.append(("claim", claim["key"], "actor", claim["actor"]))
            wanted.append(("claim", claim["key"], "item", claim.get("item")))
        for rating in self.doc.get("ratings", []):
            wanted.append(("rating", rating["incident"], "item", rating.get("item")))
        for what, owner, field_name, name in wanted:
            if name and name not in known[field_name]:
                raise self.fail(
                    f"{what} '{owner}': {field_name} '{name}' is not defined in the file or the case"
                )

    def frame(self) -> None:
        with self.store.writing() as (conn, writer):
            self.case_id = self.store.ensure_case(conn, writer, self.case_name)
            case = self.doc["case"]
            self._upsert(
                conn,
                writer,
                "case",
                Case,
                {"id": self.case_id},
                {"title": case.get("title", self.case_name), "mandate": case.get("mandate", "")},
                create=False,
            )
            for actor in self.doc.get("actors", []):
                values = {
                    "type": actor["type"],
                    "aliases": actor.get("aliases", []),
                    "title": actor.get("title", ""),
                    "affiliation": actor.get("affiliation", ""),
                }
                self.actors[actor["name"]] = self._upsert(
                    conn,
                    writer,
                    "actor",
                    Actor,
                    {"case_id": self.case_id, "name": actor["name"]},
                    values,
                )
            self._known(conn, Actor, Actor.name, self.actors)
            for source in self.doc.get("sources", []):
                actor_id = self._ref(
                    self.actors, source.get("actor"), "source", source["name"], "actor"
                )
                values = {
                    "reliability": source["reliability"],
                    "actor_id": actor_id,
                    "description": source.get("description", ""),
                }
                self.sources[source["name"]] = self._upsert(
                    conn,
                    writer,
                    "source",
                    Source,
                    {"case_id": self.case_id, "name": source["name"]},
                    values,
                )
            self._known(conn, Source, Source.name, self.sources)
            for incident in self.doc.get("incidents", []):
                self._incident(conn, writer, incident)

    def _incident(
        self, conn: Connection, writer: LedgerWriter, incident: Mapping[str, Any]
    ) -> None:
        found = conn.execute(
            select(Incident.case_id).where(Incident.slug == incident["slug"])
        ).scalar()
        if found is not None and found != self.case_id:
            raise self.fail(f"incident '{incident['slug']}' already belongs to another case")
        window = incident.get("window") or {}
        place = incident.get("place") or {}
        data = _prune(
            {
                "place": {k: v for k, v in place.items() if k not in ("name", "lat", "lon")},
                "means": incident.get("means", []),
                "description": incident.get("description", ""),
                "casualties": incident.get("casualties", []),
                "thresholds": incident.get("thresholds", {}),
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
        incident_id = self._upsert(
            conn, writer, "incident", Incident, {"slug": incident["slug"]}, values
        )
        self.incidents[incident["slug"]] = incident_id
        for hyp in incident["hypotheses"]:
            values = {
                "label": hyp["label"],
                "description": hyp.get("description", ""),
                "is_other": bool(hyp.get("other")),
                "prior": hyp.get("prior"),
            }
            self.hypotheses[(incident["slug"], hyp["id"])] = self._upsert(
                conn,
                writer,
                "hypothesis",
                Hypothesis,
                {"incident_id": incident_id, "key": hyp["id"]},
                values,
            )

    def _known(self, conn: Connection, table: Any, column: Any, into: dict[str, int]) -> None:
        """Entities of the case that this file does not list, so later references resolve."""
        for row_id, name in conn.execute(
            select(table.id, column).where(table.case_id == self.case_id)
        ):
            into.setdefault(name, row_id)

    def _ref(
        self, known: Mapping[str, int], name: str | None, what: str, owner: str, field_name: str
    ) -> int | None:
        if not name:
            return None
        if name not in known:
            raise self.fail(
                f"{what} '{owner}': {field_name} '{name}' is not defined in the file or the case"
            )
        return known[name]

    def _upsert(
        self,
        conn: Connection,
        writer: LedgerWriter,
        what: str,
        table: Any,
        match: Mapping[str, Any],
        values: Mapping[str, Any],
        *,
        create: bool = True,
    ) -> int:
        """Insert or update one row by its natural key; record the change in the ledger."""
        columns = [getattr(table, k) for k in values]
        query = select(table.id, *columns)
        for k, v in match.items():
            query = query.where(getattr(table, k) == v)
        row = conn.execute(query).first()
        label = {k: v for k, v in match.items() if k not in ("case_id", "incident_id", "id")}
        if row is None:
            if not create:
                raise self.fail(f"{what} {label} does not exist")
            new = conn.execute(insert(table).values(**match, **values)).inserted_primary_key
            assert new is not None
            writer.append("created", case_id=self.case_id, details={what: label, **_plain(values)})
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
                    "changed": _plain(changed),
                    "was": _plain({k: current[k] for k in changed}),
                },
            )
            self.report.note(what, "updated")
        else:
            self.report.note(what, "unchanged")
        return int(row.id)

    # -- items ----------------------------------------------------------------------------------

    def load_items(self) -> None:
        with self.store.engine.connect() as conn:
            for row_id, key in conn.execute(
                select(Item.id, Item.key).where(Item.case_id == self.case_id, Item.key.is_not(None))
            ):
                self.items[str(key)] = row_id
        for item in self.doc.get("items", []):
            if item["key"] in self.items:
                self._refresh_item(item)
            else:
                self._new_item(item)

    def _content(self, item: Mapping[str, Any]) -> tuple[bytes | None, Path | None, dict[str, Any]]:
        """The item's bytes (inline text) or file, and the note that lets dump write it back."""
        if "text" in item:
            return str(item["text"]).encode("utf-8"), None, {"text": True}
        if "file" in item:
            path = Path(item["file"])
            if not path.is_absolute() and self.base is not None:
                path = self.base / path
            return None, path, {"file": item["file"]}
        return None, None, {}

    def _new_item(self, item: Mapping[str, Any]) -> None:
        key = item["key"]
        data, path, note = self._content(item)
        source = item.get("source")
        self._ref(self.sources, source, "item", key, "source")
        parent = self._ref(self.items, item.get("derived_from"), "item", key, "derived_from")
        if data is None and path is None and item.get("sha256"):
            raise self.fail(f"item '{key}': a sha256 without 'file' or 'text' names no content")
        if data is None and path is None:
            self._metadata_item(item, parent)
            return
        options = IntakeOptions(
            case=self.case_name,
            kind=item["kind"],
            source=source,
            fields=item.get("fields", {}),
            progress=False,
            jobs=1,
            derived_from=parent,
            key=key,
            transformation={"relation": "copy of another item"} if parent else None,
        )
        try:
            if data is not None:
                report = add_bytes(
                    self.store, data, f"{self.name}#items/{key}", options, self.extractors
                )
            else:
                assert path is not None
                if not path.is_file():
                    raise self.fail(f"item '{key}': attached file {path} does not exist")
                report = add_paths(self.store, [path], options, self.extractors)
        except IntakeError as exc:
            raise self.fail(f"item '{key}': {exc}") from exc
        result = _one(report.results)
        if result is None or result.item_id is None:
            problem = "; ".join(result.problems) if result else "nothing was stored"
            raise self.fail(f"item '{key}': {problem}")
        self.report.problems.extend(f"item '{key}': {p}" for p in result.problems)
        if item.get("sha256") and result.sha256 != item["sha256"]:
            raise self.fail(
                f"item '{key}': the content's SHA-256 is {result.sha256}, "
                f"the file says {item['sha256']}"
            )
        with self.store.engine.connect() as conn:
            stored_key = conn.execute(select(Item.key).where(Item.id == result.item_id)).scalar()
        if stored_key != key:
            raise self.fail(
                f"item '{key}': the same content is already item '{stored_key or result.item_id}'; "
                "give each item its own content or list it once"
            )
        self.items[key] = result.item_id
        self.report.note("item", "created")
        self._settle_item(result.item_id, item, note, created=True)

    def _metadata_item(self, item: Mapping[str, Any], parent: int | None) -> None:
        """An item known only by its description (no bytes yet): a row and its custody event."""
        row = {
            "case_id": self.case_id,
            "kind": item["kind"],
            "sha256": None,
            "size": None,
            "media_type": "",
            "original_name": "",
            "fields": item.get("fields", {}),
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
        with self.store.writing() as (conn, writer):
            new = conn.execute(insert(Item).values(**row)).inserted_primary_key
            assert new is not None
            item_id = int(new[0])
            writer.append(
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

    def _refresh_item(self, item: Mapping[str, Any]) -> None:
        key = item["key"]
        item_id = self.items[key]
        with self.store.engine.connect() as conn:
            row = conn.execute(select(Item.kind, Item.sha256).where(Item.id == item_id)).one()
        if row.kind != item["kind"]:
            raise self.fail(
                f"item '{key}': is a {row.kind} in the case, the file says {item['kind']}"
            )
        data, path, note = self._content(item)
        expected = item.get("sha256") or (
            hashlib.sha256(data).hexdigest() if data is not None else None
        )
        if path is not None and expected is None and path.is_file():
            expected = _file_sha256(path)
        if expected is not None and row.sha256 != expected:
            raise self.fail(
                f"item '{key}': its content differs from the stored original ({row.sha256}); "
                "originals are never changed: give the new version a new key"
            )
        self._ref(self.sources, item.get("source"), "item", key, "source")
        changed = self._settle_item(item_id, item, note, created=False)
        self.report.note("item", "updated" if changed else "unchanged")

    def _settle_item(
        self, item_id: int, item: Mapping[str, Any], note: Mapping[str, Any], *, created: bool
    ) -> bool:
        """Bring the columns intake does not set (credibility, origin, ...) to the file's values."""
        with self.store.writing() as (conn, writer):
            current = _item_mapping(conn, item_id)
            fields = dict(item.get("fields", {}))
            for name in item.get("withheld", []):
                if name in current["fields"]:
                    fields[name] = current["fields"][name]
            meta = dict(current["meta"] or {})
            if note:
                meta["casefile"] = dict(note)
            wanted = {
                "fields": fields,
                "meta": meta,
                "source_id": self.sources.get(item.get("source", "")),
                "credibility": item.get("credibility"),
                "protected": bool(item.get("protected")),
                "derived_from": self.items.get(item.get("derived_from", "")),
                "origin": item.get("origin"),
            }
            changed = {k: v for k, v in wanted.items() if current[k] != v}
            if not changed:
                return False
            conn.execute(
                update(Item)
                .where(Item.id == item_id)
                .values({getattr(Item, k): v for k, v in changed.items()})
            )
            new_row = {**current, **changed}
            shown = {k: v for k, v in changed.items() if k not in ("fields", "meta")}
            writer.append(
                "updated",
                case_id=self.case_id,
                item_id=item_id,
                details={
                    "key": item["key"],
                    "casefile": self.name,
                    "changed": sorted(changed),
                    "values": _plain(shown),
                    "state": state_digest(new_row),
                },
            )
            return not created

    # -- claims and ratings ---------------------------------------------------------------------

    def load_claims_and_ratings(self) -> None:
        with self.store.writing() as (conn, writer):
            for claim in self.doc.get("claims", []):
                key = claim["key"]
                actor_id = self._ref(self.actors, claim["actor"], "claim", key, "actor")
                item_id = self._ref(self.items, claim.get("item"), "claim", key, "item")
                incident = claim.get("incident")
                if incident:
                    self._known_incident(conn, incident, f"claim '{key}'")
                data = _prune(
                    {
                        "incident": incident,
                        "supports": claim.get("supports", []),
                        "evidence": claim.get("evidence", []),
                    }
                )
                values = {
                    "actor_id": actor_id,
                    "item_id": item_id,
                    "text": claim["text"],
                    "date": claim["date"],
                    "date_phrase": claim.get("date_phrase", ""),
                    "forum": claim.get("forum", ""),
                    "slots": claim.get("slots", {}),
                    "origin": claim.get("origin"),
                    "data": data,
                }
                self.claims[key] = self._upsert(
                    conn,
                    writer,
                    "claim",
                    Claim,
                    {"case_id": self.case_id, "key": key},
                    values,
                )
            for row_id, key in conn.execute(
                select(Claim.id, Claim.key).where(
                    Claim.case_id == self.case_id, Claim.key.is_not(None)
                )
            ):
                self.claims.setdefault(str(key), row_id)
            for rating in self.doc.get("ratings", []):
                self._rating(conn, writer, rating)

    def _known_incident(self, conn: Connection, slug: str, owner: str) -> int:
        if slug not in self.incidents:
            found = conn.execute(
                select(Incident.id).where(Incident.slug == slug, Incident.case_id == self.case_id)
            ).scalar()
            if found is None:
                raise self.fail(
                    f"{owner}: incident '{slug}' is not defined in the file or the case"
                )
            self.incidents[slug] = int(found)
            for hyp_id, hyp_key in conn.execute(
                select(Hypothesis.id, Hypothesis.key).where(Hypothesis.incident_id == found)
            ):
                self.hypotheses[(slug, hyp_key)] = hyp_id
        return self.incidents[slug]

    def _rating(self, conn: Connection, writer: LedgerWriter, rating: Mapping[str, Any]) -> None:
        slug = rating["incident"]
        target = rating.get("item") or rating.get("claim")
        owner = f"rating of '{target}'"
        self._known_incident(conn, slug, owner)
        item_id = self._ref(self.items, rating.get("item"), "rating", str(target), "item")
        claim_id = self._ref(self.claims, rating.get("claim"), "rating", str(target), "claim")
        analyst = rating.get("analyst", "")
        values = rating.get("values", {})
        likelihoods = rating.get("likelihoods", {})
        rationale = rating.get("rationale", "")
        changes: dict[str, Any] = {}
        for hyp in dict.fromkeys([*values, *likelihoods]):
            hyp_id = self.hypotheses.get((slug, hyp))
            if hyp_id is None:
                raise self.fail(f"{owner}: incident '{slug}' has no hypothesis '{hyp}'")
            text = rationale if isinstance(rationale, str) else rationale.get(hyp, "")
            wanted = {
                "rating": values.get(hyp),
                "likelihood": likelihoods.get(hyp),
                "rationale": text,
            }
            row = conn.execute(
                select(Rating.id, Rating.rating, Rating.likelihood, Rating.rationale).where(
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
                        **wanted,
                    )
                )
                changes[hyp] = {"rating": wanted["rating"], "likelihood": wanted["likelihood"]}
            elif (row.rating, row.likelihood, row.rationale) != tuple(wanted.values()):
                conn.execute(update(Rating).where(Rating.id == row.id).values(**wanted))
                changes[hyp] = {
                    "rating": wanted["rating"],
                    "likelihood": wanted["likelihood"],
                    "was": row.rating if row.likelihood is None else row.likelihood,
                }
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


def _one(results: Sequence[FileResult]) -> FileResult | None:
    return results[0] if results else None


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items()}


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
) -> LoadReport:
    """Load a normalised case file (see :func:`read_case_file`) into ``store``.

    Idempotent: entities are matched by their natural keys (names, slugs, item and claim keys,
    hypothesis ids); what already matches is left alone, what differs is updated with a ledger
    event, and an item whose content differs from its stored original is refused.
    """
    loader = _Loader(store, doc, base, list(extractors), name)
    loader.precheck()
    loader.frame()
    loader.load_items()
    loader.load_claims_and_ratings()
    return loader.report


def load_case_file(store: Store, path: Path, *, extractors: Iterable[Extractor] = ()) -> LoadReport:
    """Read, check and load the case file at ``path`` (attachments relative to its folder)."""
    doc = read_case_file(path)
    return load_case(store, doc, extractors=extractors, base=path.parent, name=path.name)


# ---------------------------------------------------------------------------------------------
# Dumping
# ---------------------------------------------------------------------------------------------


def dump_case(
    store: Store, case_name: str, *, reveal: bool = False, purpose: str = "dump"
) -> dict[str, Any]:
    """The case as a case file in normal form.

    Identifying fields of protected items are left out (their names listed under ``withheld``)
    unless ``reveal``, which the ledger records as a "revealed" event per item.
    """
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
    item_keys = {i.id: i.key or f"item-{i.id}" for i in items}
    claim_keys = {c.id: c.key or f"claim-{c.id}" for c in claims}
    slug_of = {i.id: i.slug for i in incidents}
    hyp_of = {h.id: (slug_of[h.incident_id], h.key) for h in hyps}
    revealed: list[tuple[int, list[str]]] = []
    doc: dict[str, Any] = {
        "format": FORMAT,
        "case": _prune(
            {
                "name": case.name,
                "title": case.title if case.title != case.name else "",
                "mandate": case.mandate,
            }
        ),
        "actors": [
            _prune(
                {
                    "name": a.name,
                    "type": a.type,
                    "aliases": list(a.aliases or []),
                    "title": a.title,
                    "affiliation": a.affiliation,
                }
            )
            for a in actors
        ],
        "sources": [
            _prune(
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
        "items": [_dump_item(store, i, item_keys, source_names, reveal, revealed) for i in items],
        "claims": [_dump_claim(c, actor_names, item_keys) for c in claims],
        "ratings": _dump_ratings(ratings, hyp_of, item_keys, claim_keys),
    }
    if revealed:
        with store.writing() as (_conn, writer):
            for item_id, names in revealed:
                writer.append(
                    "revealed",
                    case_id=case.id,
                    item_id=item_id,
                    details={"fields": names, "purpose": purpose},
                )
    return _prune(doc) | {"format": FORMAT}


def _dump_incident(incident: Incident, hyps: Sequence[Hypothesis]) -> dict[str, Any]:
    data = dict(incident.data or {})
    window = (
        {"start": incident.window_start, "end": incident.window_end}
        if incident.window_start or incident.window_end
        else None
    )
    place = _prune(
        {"name": incident.place, "lat": incident.lat, "lon": incident.lon, **data.get("place", {})}
    )
    return _prune(
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
            "hypotheses": [
                _prune(
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
    keys: Mapping[int, str],
    sources: Mapping[int, str],
    reveal: bool,
    revealed: list[tuple[int, list[str]]],
) -> dict[str, Any]:
    fields = dict(item.fields or {})
    withheld: list[str] = []
    if item.protected:
        try:
            identifying = get_kind(item.kind).identifying_fields()
        except KindError:
            identifying = ()
        present = [name for name in identifying if name in fields]
        if reveal and present:
            revealed.append((item.id, present))
        elif present:
            withheld = present
            for name in present:
                del fields[name]
    note = (item.meta or {}).get("casefile", {})
    content: dict[str, Any] = {}
    if item.sha256 and note.get("text"):
        with store.vault.open(item.sha256) as handle:
            content["text"] = handle.read().decode("utf-8")
    elif item.sha256:
        content["file"] = note.get("file") or item.original_name
        content["sha256"] = item.sha256
    return _prune(
        {
            "key": keys[item.id],
            "kind": item.kind,
            "source": sources.get(item.source_id or 0, ""),
            "credibility": item.credibility,
            "protected": bool(item.protected),
            "derived_from": keys.get(item.derived_from or 0, ""),
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
    return _prune(
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
        }
    )


def _dump_ratings(
    ratings: Sequence[Rating],
    hyp_of: Mapping[int, tuple[str, str]],
    items: Mapping[int, str],
    claims: Mapping[int, str],
) -> list[dict[str, Any]]:
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
        rationale: str | dict[str, str] = (
            next(iter(texts.values())) if len(set(texts.values())) == 1 else texts
        )
        out.append(
            _prune(
                {
                    "incident": slug,
                    "item": items.get(item_id or 0, ""),
                    "claim": claims.get(claim_id or 0, ""),
                    "analyst": analyst,
                    "values": values,
                    "likelihoods": likelihoods,
                    "rationale": rationale,
                }
            )
        )
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
_CaseDumper.add_representer(list, _seq)


def to_yaml(doc: Mapping[str, Any]) -> str:
    """The YAML text of a case file; the same document always gives the same bytes."""
    return yaml.dump(dict(doc), Dumper=_CaseDumper, sort_keys=False, allow_unicode=True, width=100)
