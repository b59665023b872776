"""Field types for evidence-kind schemas, one small class each behind a registry.

A kind's YAML names a type per field; the type parses what a user typed on the command line
(always a string), checks what a case file supplied (already YAML-typed) and normalises both to
JSON-ready values, so that the value stored, hashed into the ledger and exported is one canonical
form. Errors say what was expected, never just "invalid".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any


class FieldError(ValueError):
    """A value does not fit its field; the message names the field and the value."""


JSON = Any


@dataclass(frozen=True)
class FieldSpec:
    """One field of a kind: its type and the rules a value must keep."""

    name: str
    type: str
    label: str = ""
    help: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    identifying: bool = False
    item: FieldSpec | None = None
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)

    def parse(self, raw: JSON, path: str | None = None) -> JSON:
        """Normalise ``raw`` (a CLI string or a YAML value) or raise :class:`FieldError`."""
        where = path or self.name
        if raw is None:
            if self.required:
                raise FieldError(f"field '{where}': a value is required")
            return None
        parser = TYPES.get(self.type)
        if parser is None:
            raise FieldError(f"field '{where}': unknown type '{self.type}'")
        return parser(self, raw, where)


def is_utf8(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8: it holds no lone surrogate, which is how
    Python keeps a byte that was not UTF-8 where it came from (an argument typed in a Latin-1
    terminal, a variable, a file's name on an old disk). No text column, JSON document or
    hash of text takes one."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _show(raw: JSON) -> str:
    text = raw if isinstance(raw, str) else json.dumps(raw, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _fail(where: str, raw: JSON, expected: str) -> FieldError:
    return FieldError(f"field '{where}': {_show(raw)!r} is not {expected}")


def _string(spec: FieldSpec, raw: JSON, where: str) -> JSON:
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise _fail(where, raw, "text")
    text = str(raw).strip()
    if spec.required and not text:
        raise FieldError(f"field '{where}': a value is required")
    return text


def _enum(spec: FieldSpec, raw: JSON, where: str) -> JSON:
    text = _string(spec, raw, where)
    if text not in spec.choices:
        raise _fail(where, raw, "one of " + ", ".join(spec.choices))
    return text


def _integer(spec: FieldSpec, raw: JSON, where: str) -> JSON:
    if isinstance(raw, bool):
        raise _fail(where, raw, "a whole number")
    if isinstance(raw, int):
        return raw
    try:
        return int(str(raw).strip())
    except ValueError:
        raise _fail(where, raw, "a whole number") from None


def _number(spec: FieldSpec, raw: JSON, where: str) -> JSON:
    if isinstance(raw, bool):
        raise _fail(where, raw, "a number")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise _fail(where, raw, "a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise _fail(where, raw, "a finite number")
    return value


_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def _boolean(spec: FieldSpec, raw: JSON, where: str) -> JSON:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _fail(where, raw, "yes or no")


def _date(spec: FieldSpec, raw: JSON, where: str) -> JSON:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    try:
        return date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError:
        raise _fail(where, raw, "a date (YYYY-MM-DD)") from None


def parse_datetime(text: str) -> datetime:
    """Parse ISO 8601, accepting a trailing 'Z'; raises ValueError."""
    return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))


def _datetime(spec: FieldSpec, raw: JSON, where: str) -> JSON:
    # A time without a zone is kept as given (local time at the place): evidence often states
    # local time only, and silently assuming UTC would move it by hours.
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, date):
        return raw.isoformat()
    else:
        try:
            value = parse_datetime(str(raw))
        except ValueError:
            raise _fail(where, raw, "a date-time (ISO 8601, e.g. 2017-04-04T06:45+03:00)") from None
    if value.tzinfo is not None and value.utcoffset() == UTC.utcoffset(None):
        return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


_NUM = r"[-+]?\d+(?:\.\d+)?"


def _floats(raw: JSON, count: int) -> list[float] | None:
    if isinstance(raw, list | tuple):
        values = list(raw)
    elif isinstance(raw, Mapping):
        return None
    else:
        values = re.findall(_NUM, str(raw))
        if len(re.sub(_NUM, "", str(raw)).strip(" ,;")) > 0:
            return None
    if len(values) != count:
        return None
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError):
        return None


_DMS = re.compile(
    r"(\d+(?:\.\d+)?)\s*°\s*(?:(\d+(?:\.\d+)?)\s*['′]\s*)?(?:(\d+(?:\.\d+)?)\s*[\"″]\s*)?([NSEW])",
    re.IGNORECASE,
)


def _dms(raw: str) -> list[float] | None:
    """'35°26'15"N 36°39'05"E' (degrees, minutes, seconds, hemisphere) as [lat, lon]."""
    parts = _DMS.findall(raw)
    if len(parts) != 2:
        return None
    out: dict[str, float] = {}
    for degrees, minutes, seconds, hemisphere in parts:
        value = float(degrees) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
        axis = "lat" if hemisphere.upper() in "NS" else "lon"
        out[axis] = -value if hemisphere.upper() in "SW" else value
    if set(out) != {"lat", "lon"}:
        return None
    return [round(out["lat"], 7), round(out["lon"], 7)]


def _geopoint(spec: FieldSpec, raw: JSON, where: str) -> JSON:
    if isinstance(raw, Mapping) and {"lat", "lon"} <= set(raw):
        values = _floats([raw["lat"], raw["lon"]], 2)
    elif isinstance(raw, str) and "°" in raw:
        values = _dms(raw)
    else:
        values = _floats(raw, 2)
    if values is None:
        raise _fail(where, raw, "a point 'lat,lon' in decimal degrees (or 35°26'15\"N 36°39'05\"E)")
    lat, lon = values
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _fail(where, raw, "a point on Earth (latitude -90..90, longitude -180..180)")
    return {"lat": lat, "lon": lon}


def _bbox(spec: FieldSpec, raw: JSON, where: str) -> JSON:
    keys = ("west", "south", "east", "north")
    if isinstance(raw, Mapping) and set(keys) <= set(raw):
        values = _floats([raw[k] for k in keys], 4)
    else:
        values = _floats(raw, 4)
    expected = "a bounding box 'west,south,east,north' in decimal degrees"
    if values is None:
        raise _fail(where, raw, expected)
    west, south, east, north = values
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south < north <= 90):
        raise _fail(where, raw, expected + " with south < north")
    return dict(zip(keys, values, strict=True))


def _decode_json(raw: JSON, where: str, expected: str) -> JSON:
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            raise _fail(where, raw, expected + " (JSON)") from None
    return raw


def _list(spec: FieldSpec, raw: JSON, where: str) -> JSON:
    value = _decode_json(raw, where, "a list") if isinstance(raw, str) and raw[:1] == "[" else raw
    if isinstance(value, str):
        value = [part.strip() for part in value.split(";") if part.strip()]
    if not isinstance(value, list):
        raise _fail(where, raw, "a list")
    inner = spec.item or FieldSpec(name=spec.name, type="string")
    return [inner.parse(v, f"{where}[{i}]") for i, v in enumerate(value)]


def _object(spec: FieldSpec, raw: JSON, where: str) -> JSON:
    value = _decode_json(raw, where, "an object")
    if not isinstance(value, Mapping):
        raise _fail(where, raw, "an object")
    known = {f.name: f for f in spec.fields}
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise FieldError(f"field '{where}': unknown key '{unknown[0]}' (known: {', '.join(known)})")
    out = {}
    for name, sub in known.items():
        parsed = sub.parse(value.get(name), f"{where}.{name}")
        if parsed is not None:
            out[name] = parsed
    return out


TYPES: dict[str, Callable[[FieldSpec, JSON, str], JSON]] = {
    "string": _string,
    "text": _string,
    "enum": _enum,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
    "geopoint": _geopoint,
    "bbox": _bbox,
    "list": _list,
    "object": _object,
}
