"""Naming speakers: places that stand for states, and matching a speaker to a known actor.

News writing lets a capital speak for its government ("Damascus declared", "Moscow's deputy
ambassador"); the claim belongs to the state, with the capital kept as an alias. The tables are
in ``places.json`` so that adding a state is adding a line.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _places() -> dict[str, dict[str, str]]:
    raw = resources.files("enquiry.enrich.text").joinpath("places.json").read_text("utf-8")
    data = json.loads(raw)
    data.pop("_about", None)
    return {key: dict(value) for key, value in data.items()}


def place_to_state(name: str) -> str:
    """The state a place name or demonym stands for ("Damascus" → "Syria"), else ``name``."""
    places = _places()
    for table in ("capitals", "states", "demonyms"):
        if name in places[table]:
            return places[table][name]
    return name
