"""What a rating was rated against: a digest of its hypothesis's wording.

A rating is a judgement of how one piece of evidence bears on a hypothesis *as written*. When
the hypothesis is reworded (a new label or description, from ``enquiry hypothesis update`` or
a case file loaded again), a rating made before says nothing about the new text, and a party
that wants a finding discredited can say the evidence "was rated against a different question".
Each rating therefore records the digest of the wording it was made under; a rating whose
digest is not the hypothesis's current one is known to be rated against an earlier wording.

The catch-all ("other") hypothesis means "none of the others": its wording is its own text and
the wording of every other hypothesis of the incident, so adding or rewording a rival changes
what it covers, and ratings made against it before are marked too.

The digest is SHA-256 over canonical JSON of the texts, so it is cheap to store (64 characters
per rating), the same on every machine and back end, and reveals nothing the texts do not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

EARLIER = "earlier"
"""Stored in place of a digest for a rating known to be made under an earlier wording that
was not itself recorded (a case file dumped from a home that kept no wordings yet)."""


@dataclass(frozen=True)
class Worded:
    """The parts of a hypothesis that make up its wording (its prior is not wording)."""

    key: str
    label: str
    description: str = ""
    is_other: bool = False


def _digest(value: object) -> str:
    body = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _own(h: Worded) -> dict[str, object]:
    return {
        "key": h.key,
        "label": h.label,
        "description": h.description or "",
        "other": bool(h.is_other),
    }


def wordings(hypotheses: Iterable[Worded]) -> dict[str, str]:
    """Hypothesis key -> the digest of its wording, for all the hypotheses of one incident.

    Every hypothesis of the incident must be given: the catch-all's wording includes its
    rivals' (see the module's docstring)."""
    listed = list(hypotheses)
    own = {h.key: _digest(_own(h)) for h in listed}
    out: dict[str, str] = {}
    for h in listed:
        if h.is_other:
            rivals = sorted(own[r.key] for r in listed if r.key != h.key)
            out[h.key] = _digest({**_own(h), "rivals": rivals})
        else:
            out[h.key] = own[h.key]
    return out


def is_digest(value: str) -> bool:
    """Whether ``value`` has the form of a wording digest (64 lower-case hex characters)."""
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


__all__ = ["EARLIER", "Worded", "is_digest", "wordings"]
