"""Stance of texts toward claims in bulk: a JSON-lines file of (claim, text) pairs in, one stance
per pair out.

The input is read and checked whole before any model work: a bad line stops the run with its
line number, so that nothing is scored from a file that is not what its writer meant (a partial
answer to a batch is easily taken for a whole one). Blank lines are skipped. Every distinct
claim and sentence is embedded once, however many pairs share it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from enquiry.app import printable
from enquiry.errors import BadRequest
from enquiry.progress import Progress

MAX_LINE_BYTES = 8 * 1024 * 1024
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
SCORE_DIGITS = 4


@dataclass(frozen=True)
class Pair:
    """One input line: an id given back unchanged, the claim and the text read against it."""

    id: str | int
    claim: str
    text: str


@dataclass(frozen=True)
class PairStance:
    """The stance of one pair's text toward its claim, with every class's probability."""

    id: str | int
    stance: str
    scores: dict[str, float]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "stance": self.stance, "scores": self.scores}


def _problem(path: Path, number: int, what: str) -> BadRequest:
    return BadRequest(f"{printable(str(path))}: line {number}: {what}")


def read_pairs(path: Path) -> list[Pair]:
    """The pairs of a JSON-lines file, each line ``{"id", "claim", "text"}``; ``id`` a string
    or an integer, ``claim`` a non-empty string, ``text`` a string (a headline, a post or a
    whole article)."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise BadRequest(f"{printable(str(path))}: not a file")
        if size > MAX_FILE_BYTES:
            raise BadRequest(f"{printable(str(path))}: {size} bytes, more than {MAX_FILE_BYTES}")
        handle = path.open("rb")
    except FileNotFoundError:
        raise BadRequest(f"{printable(str(path))}: no such file") from None
    except OSError as exc:
        raise BadRequest(f"{printable(str(path))}: cannot read: {exc.strerror}") from None
    try:
        with handle:
            pairs = _read_lines(path, handle)
    except OSError as exc:  # a file that fails as it is read (/proc/self/mem, a bad disk)
        raise BadRequest(f"{printable(str(path))}: cannot read: {exc.strerror or exc}") from None
    if not pairs:
        raise BadRequest(
            f"{printable(str(path))}: no pairs (expected lines of JSON objects "
            '{"id", "claim", "text"})'
        )
    return pairs


def _read_lines(path: Path, handle: BinaryIO) -> list[Pair]:
    """Every pair of the open file, each line checked (refused with its number)."""
    pairs: list[Pair] = []
    seen: dict[str | int, int] = {}
    # A line is read no further than the limit: one line of gigabytes is named, not loaded.
    lines = iter(lambda: handle.readline(MAX_LINE_BYTES + 1), b"")
    for number, raw in enumerate(lines, 1):
        if len(raw) > MAX_LINE_BYTES:
            raise _problem(path, number, f"longer than {MAX_LINE_BYTES} bytes")
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise _problem(path, number, "not UTF-8 text") from None
        if not line.strip():
            continue
        try:
            record = json.loads(line, object_pairs_hook=_unique_keys)
        except _DuplicateKey as exc:
            raise _problem(path, number, f"key {exc.key!r} appears twice") from None
        except (json.JSONDecodeError, RecursionError):
            raise _problem(path, number, "not a JSON object") from None
        except ValueError:
            # An integer of more digits than Python converts.
            digits = sys.get_int_max_str_digits()
            raise _problem(path, number, f"a number of more than {digits} digits") from None
        pair = _pair(path, number, record)
        if pair.id in seen:
            raise _problem(path, number, f"id {pair.id!r} already on line {seen[pair.id]}")
        seen[pair.id] = number
        pairs.append(pair)
    return pairs


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key[:100]


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all different: with a key given twice, which value its
    writer meant is unknown (``json`` would keep the last without a word)."""
    record: dict[str, Any] = {}
    for key, value in pairs:
        if key in record:
            raise _DuplicateKey(key)
        record[key] = value
    return record


def _lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds half of a UTF-16 pair (``"\\ud800"`` in JSON): no character, and
    nothing can print or encode it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _pair(path: Path, number: int, record: Any) -> Pair:
    if not isinstance(record, dict):
        raise _problem(path, number, 'not a JSON object {"id", "claim", "text"}')
    missing = [key for key in ("id", "claim", "text") if key not in record]
    if missing:
        raise _problem(path, number, f"no {', '.join(missing)}")
    identifier, claim, text = record["id"], record["claim"], record["text"]
    if isinstance(identifier, bool) or not isinstance(identifier, str | int):
        raise _problem(path, number, "id must be a string or an integer")
    if not isinstance(claim, str) or not claim.strip():
        raise _problem(path, number, "claim must be a non-empty string")
    if not isinstance(text, str):
        raise _problem(path, number, "text must be a string")
    if "\x00" in claim or "\x00" in text:
        raise _problem(path, number, "NUL character in the claim or text")
    for name, value in (("id", identifier), ("claim", claim), ("text", text)):
        if isinstance(value, str) and _lone_surrogate(value):
            raise _problem(path, number, f"lone surrogate in the {name}")
    return Pair(identifier, claim, text)


def stance_pairs(
    path: Path,
    progress: Progress | None = None,
    *,
    model: Any = None,
    embedder: Any = None,
) -> list[PairStance]:
    """The stance of every pair's text toward its claim, in the file's order."""
    from enquiry.enrich.text.embed import default_embedder
    from enquiry.enrich.text.stance import default_model

    pairs = read_pairs(path)
    model = model or default_model()
    stances = model.predict(
        [pair.claim for pair in pairs],
        [pair.text for pair in pairs],
        embedder or default_embedder(),
        progress=progress,
    )
    return [
        PairStance(
            pair.id,
            stance.label,
            {name: round(p, SCORE_DIGITS) for name, p in stance.probabilities.items()},
        )
        for pair, stance in zip(pairs, stances, strict=True)
    ]
