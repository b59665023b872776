"""Evidence kinds declared as data: one YAML file per kind in ``model/kinds/``.

Adding a kind is adding a file. A file may ``extends`` another (``_base`` holds the fields every
item shares); files whose name starts with an underscore are bases, not kinds. Extra kind folders
can be named in ``ENQUIRY_KINDS_PATH`` (separated by ``os.pathsep``) so an investigation can add
its own kinds without touching the package.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from enquiry.errors import BadRequest
from enquiry.model.types import TYPES, FieldError, FieldSpec

KINDS_DIR = Path(__file__).parent / "kinds"


class KindError(BadRequest, ValueError):
    """A kind name or a kind file is wrong: one line wherever it is raised (a
    :class:`~enquiry.errors.BadRequest`), and a ``ValueError`` for the callers that take a
    wrong kind as a wrong value."""


@dataclass(frozen=True)
class Kind:
    """An evidence kind: its name, label, fields and the media types it is detected from."""

    name: str
    label: str
    description: str
    fields: tuple[FieldSpec, ...]
    media: tuple[str, ...] = ()
    protected: bool = False

    def is_protected(self, fields: Mapping[str, Any]) -> bool:
        """Whether an item of this kind with these fields protects a witness's identity: the
        ``protected`` field if given, else the kind's default (testimony: yes)."""
        return bool(fields.get("protected", self.protected))

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        known = ", ".join(f.name for f in self.fields)
        raise FieldError(f"field '{name}': kind '{self.name}' has no such field (known: {known})")

    def validate(self, values: Mapping[str, Any], *, complete: bool = True) -> dict[str, Any]:
        """Parse every value; with ``complete``, also insist on the required fields."""
        out: dict[str, Any] = {}
        for name, raw in values.items():
            parsed = self.field(name).parse(raw)
            if parsed is not None:
                out[name] = parsed
        if complete:
            for spec in self.fields:
                if spec.required and spec.name not in out:
                    raise FieldError(
                        f"field '{spec.name}': a value is required for kind '{self.name}'"
                    )
        return out

    def identifying_fields(self) -> tuple[str, ...]:
        """Fields that would identify a protected witness and are withheld without the right."""
        return tuple(f.name for f in self.fields if f.identifying)


def _spec(name: str, raw: Any, source: Path) -> FieldSpec:
    if isinstance(raw, str):
        raw = {"type": raw}
    if not isinstance(raw, Mapping):
        raise KindError(f"{source}: field '{name}' must be a type name or a mapping")
    type_name = str(raw.get("type", "string"))
    if type_name not in TYPES:
        raise KindError(f"{source}: field '{name}' has unknown type '{type_name}'")
    item = _spec(name, raw["item"], source) if "item" in raw else None
    subfields = tuple(_spec(k, v, source) for k, v in (raw.get("fields") or {}).items())
    return FieldSpec(
        name=name,
        type=type_name,
        label=str(raw.get("label", name.replace("_", " "))),
        help=str(raw.get("help", "")),
        required=bool(raw.get("required", False)),
        choices=tuple(str(c) for c in raw.get("choices", ())),
        identifying=bool(raw.get("identifying", False)),
        item=item,
        fields=subfields,
    )


def _kind_dirs() -> list[Path]:
    """The built-in kinds' folder, then each folder ``ENQUIRY_KINDS_PATH`` names. One that is
    not a folder is refused: its kinds would otherwise be missing without a word, and the
    files meant for them taken in as another kind."""
    extra = os.environ.get("ENQUIRY_KINDS_PATH", "")
    folders = [Path(p) for p in extra.split(os.pathsep) if p]
    for folder in folders:
        if not folder.is_dir():
            raise KindError(f"ENQUIRY_KINDS_PATH: {folder} is not a folder")
    return [KINDS_DIR, *folders]


def _read(path: Path) -> dict[str, Any]:
    """A kind file's mapping; anything else (unreadable, not UTF-8, not YAML, nested past
    what the parser takes) is a :class:`KindError` naming the file, in one line."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.MarkedYAMLError as exc:
        where = f"line {exc.problem_mark.line + 1}: " if exc.problem_mark is not None else ""
        reason = f"{where}{exc.problem or exc.context}"
    except UnicodeDecodeError:
        reason = "not UTF-8 text"
    except RecursionError:
        reason = "nested too deeply"
    except (OSError, yaml.YAMLError) as exc:
        reason = getattr(exc, "strerror", None) or type(exc).__name__
    else:
        if not isinstance(data, dict):
            raise KindError(f"{path}: a kind file must be a mapping")
        return data
    raise KindError(f"{path}: not a YAML kind file ({reason})")


def _load(name: str, files: Mapping[str, Path], seen: tuple[str, ...] = ()) -> Kind:
    if name in seen:
        raise KindError(f"kind '{name}': 'extends' loops through {' -> '.join(seen)}")
    path = files[name]
    data = _read(path)
    fields: dict[str, FieldSpec] = {}
    parent = data.get("extends")
    if parent:
        if parent not in files:
            raise KindError(f"{path}: extends unknown kind '{parent}'")
        fields = {f.name: f for f in _load(parent, files, (*seen, name)).fields}
    for field_name, raw in (data.get("fields") or {}).items():
        fields[field_name] = _spec(field_name, raw, path)
    return Kind(
        name=name,
        label=str(data.get("label", name.replace("_", " "))),
        description=str(data.get("description", "")).strip(),
        fields=tuple(fields.values()),
        media=tuple(str(m) for m in data.get("media", ())),
        protected=bool(data.get("protected", False)),
    )


@lru_cache(maxsize=1)
def _registry() -> dict[str, Kind]:
    files: dict[str, Path] = {}
    for folder in _kind_dirs():
        for path in sorted(folder.glob("*.yaml")):
            files[path.stem] = path
    return {name: _load(name, files) for name in files if not name.startswith("_")}


def all_kinds() -> dict[str, Kind]:
    """Every kind, by name."""
    return dict(_registry())


def get_kind(name: str) -> Kind:
    """The kind called ``name``; the error lists the known kinds."""
    kinds = _registry()
    if name not in kinds:
        raise KindError(f"unknown kind '{name}' (known: {', '.join(sorted(kinds))})")
    return kinds[name]


def reload_kinds() -> None:
    """Forget the cached kinds (after ``ENQUIRY_KINDS_PATH`` changed)."""
    _registry.cache_clear()
