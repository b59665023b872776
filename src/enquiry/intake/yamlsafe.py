"""Reading YAML that arrived from someone else: located, bounded, and without surprises.

A case file comes from another team, a partner organisation or an attacker, so its reader must
say *where* a problem is and must not be made to do unbounded work. This module composes a
document into PyYAML's node graph with the safe loader only (no Python objects are ever
built from tags), and while it composes it

* refuses a file over :data:`MAX_BYTES`, a document of more than :data:`MAX_NODES` nodes, and
  nesting deeper than :data:`MAX_DEPTH`;
* counts what every alias would expand to, so that a "billion laughs" document (aliases of
  aliases) is refused after a few hundred nodes instead of growing to gigabytes once something
  walks it;
* refuses an alias to a node that is still being composed (a cycle), duplicate keys in a mapping
  (YAML says they are an error; PyYAML silently keeps the last), merge keys (``<<``) and keys that
  are not plain scalars.

Every error is a :class:`YamlError` carrying the file's name and the 1-based line and column.
"""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from enquiry.intake.walk import printable

MAX_BYTES = 64 * 1024 * 1024
MAX_NODES = 1_000_000
MAX_EXPANDED = 2_000_000
MAX_DEPTH = 100
MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True)
class Place:
    """A 1-based line and column in a file (``line`` 0 when the value did not come from a file)."""

    line: int
    column: int

    @classmethod
    def of(cls, node: Node | None) -> Place | None:
        mark = getattr(node, "start_mark", None)
        if mark is None:
            return None
        return cls(mark.line + 1, mark.column + 1)


def located(file: str, place: Place | None, message: str) -> str:
    """``file:line:column: message`` — the form editors and terminals jump to — on one line:
    a newline or control character taken from the file is shown escaped."""
    text = f"{file}:{place.line}:{place.column}: {message}" if place else f"{file}: {message}"
    return printable(text)


class YamlError(ValueError):
    """The text is not a YAML document this reader accepts; ``str()`` is one located line."""

    def __init__(self, file: str, place: Place | None, message: str) -> None:
        super().__init__(located(file, place, message))
        self.file = file
        self.place = place
        self.problem = message


class _Limited(Exception):
    """Raised inside the composer; turned into a :class:`YamlError` with the file's name."""

    def __init__(self, node_or_mark: Any, message: str) -> None:
        super().__init__(message)
        mark = getattr(node_or_mark, "start_mark", node_or_mark)
        self.place = Place(mark.line + 1, mark.column + 1) if mark is not None else None
        self.message = message


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader's composer, counting nodes, depth and alias expansion as it goes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._sizes: dict[int, int] = {}
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):
            event: Any = self.peek_event()  # type: ignore[no-untyped-call]
            target = self.anchors.get(event.anchor)
            if target is not None and id(target) not in self._sizes:
                raise _Limited(
                    event.start_mark,
                    f"alias *{event.anchor} refers to a node that contains it (a cycle)",
                )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            upcoming: Any = self.peek_event()  # type: ignore[no-untyped-call]
            raise _Limited(upcoming.start_mark, f"nested deeper than {MAX_DEPTH} levels")
        composed = super().compose_node(parent, index)
        assert composed is not None  # an event was there, or the parser would have said so
        node: Node = composed
        self._depth -= 1
        size = self._sizes.get(id(node))
        if size is None:
            if len(self._sizes) >= MAX_NODES:
                raise _Limited(node, f"more than {MAX_NODES:,} values in one document")
            size = 1 + sum(self._sizes[id(child)] for child in _children(node))
            self._sizes[id(node)] = size
        if size > MAX_EXPANDED:
            raise _Limited(
                node,
                f"aliases expand this value to more than {MAX_EXPANDED:,} values "
                "(a recursive alias bomb?)",
            )
        return node

    def compose_scalar_node(self, anchor: Any) -> ScalarNode:
        node: ScalarNode = super().compose_scalar_node(anchor)
        node.value = _whole_characters(node)
        return node

    def compose_mapping_node(self, anchor: Any) -> MappingNode:
        node: MappingNode = super().compose_mapping_node(anchor)
        seen: dict[str, ScalarNode] = {}
        for key, _value in node.value:
            if key.tag == MERGE_TAG:
                raise _Limited(key, "merge keys (<<) are not accepted: write the keys out")
            if not isinstance(key, ScalarNode):
                raise _Limited(key, "a key must be plain text, not a list or a mapping")
            first = seen.get(key.value)
            if first is not None:
                raise _Limited(
                    key,
                    f"duplicate key '{_short(key.value)}' (first at line "
                    f"{first.start_mark.line + 1}, column {first.start_mark.column + 1})",
                )
            seen[key.value] = key
        return node


def _whole_characters(node: ScalarNode) -> str:
    """A scalar's text with UTF-16 surrogate pairs (as JSON writes a character outside the
    basic plane: ``"\\ud83d\\udc68"``, which YAML's double quotes accept) joined into the
    character they stand for. A surrogate left alone is no character at all — nothing can store
    or print it — and is refused where it is written."""
    value = str(node.value)
    if not any("\ud800" <= c <= "\udfff" for c in value):
        return value
    try:
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        lone = next(c for c in value if "\ud800" <= c <= "\udfff")
        raise _Limited(
            node, f"a lone UTF-16 surrogate (\\u{ord(lone):04x}) is not a character"
        ) from None


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _short(text: str) -> str:
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def read_text(path: Path, *, max_bytes: int | None = None) -> str:
    """The UTF-8 text of the file at ``path``, refusing anything but a regular file of bounded
    size (opening a FIFO would block; a device may never end)."""
    name = str(path)
    if max_bytes is None:
        max_bytes = MAX_BYTES
    try:
        info = os.stat(path)
    except OSError as exc:
        raise YamlError(name, None, f"cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise YamlError(name, None, "is a folder, not a case file")
    if not stat.S_ISREG(info.st_mode):
        raise YamlError(name, None, f"is {file_type(info.st_mode)}, not a case file")
    if info.st_size > max_bytes:
        raise YamlError(
            name, None, f"is {info.st_size:,} bytes; a case file may have at most {max_bytes:,}"
        )
    try:
        with path.open("rb") as handle:
            # Read what the size promised plus one byte: a file that grew since is noticed
            # without reserving the whole limit in memory.
            data = handle.read(info.st_size + 1)
    except OSError as exc:
        raise YamlError(name, None, f"cannot read ({exc.strerror or exc})") from None
    if len(data) > info.st_size:
        raise YamlError(name, None, "changed while being read; try again when it is complete")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(name, Place(line, column), "not UTF-8 text") from None


def file_type(mode: int) -> str:
    """What a non-regular file is, in words ("a FIFO", "a folder", ...)."""
    for test, label in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return label
    return "not a regular file"


def compose(text: str, file: str) -> Node | None:
    """The one document in ``text`` as a node graph (``None`` for an empty document)."""
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text)
        node: Node | None = loader.get_single_node()
        return node
    except _Limited as exc:
        raise YamlError(file, exc.place, exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = Place(mark.line + 1, mark.column + 1) if mark is not None else None
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise YamlError(file, place, f"not valid YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise YamlError(
            file,
            Place(line, column),
            f"not valid YAML: character #x{exc.character:04x} is not allowed",
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(file, None, f"not valid YAML: {str(exc).splitlines()[0]}") from None
    finally:
        if loader is not None:
            loader.dispose()


def represent(value: Any, file: str) -> Node | None:
    """Already-parsed data as a node graph, so it is checked by the same code as a file.

    The nodes carry no marks; the same limits apply (a Python structure can be cyclic too).
    """
    if value is None:
        return None
    dumper = yaml.SafeDumper(io.StringIO())
    try:
        node: Node = dumper.represent_data(value)
    except yaml.YAMLError as exc:
        raise YamlError(file, None, f"cannot be read as a case file ({exc})") from None
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        if done:
            open_.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in _children(current))
            if sizes[key] > MAX_EXPANDED or len(sizes) > MAX_NODES:
                raise YamlError(file, None, "too many values (more than the limits allow)")
            continue
        if key in sizes:
            continue
        if key in open_:
            raise YamlError(file, None, "a value contains itself (a cycle)")
        open_.add(key)
        stack.append((current, True))
        stack.extend((child, False) for child in _children(current) if id(child) not in sizes)
    return node


def construct(node: Node, file: str) -> Any:
    """The plain Python value of a bounded node graph (shared nodes give shared objects)."""
    constructor = SafeConstructor()
    try:
        return constructor.construct_object(node, deep=True)
    except ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = Place(mark.line + 1, mark.column + 1) if mark is not None else Place.of(node)
        raise YamlError(file, place, f"not valid YAML: {exc.problem}") from None
    except (ValueError, OverflowError) as exc:
        # e.g. a timestamp such as 2020-13-45 that the resolver matched but no calendar has
        raise YamlError(file, Place.of(node), f"not a valid value ({exc})") from None
