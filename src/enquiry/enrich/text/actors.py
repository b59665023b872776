"""Naming speakers: places that stand for states, and matching a speaker to a known actor.

News writing lets a capital speak for its government ("Damascus declared", "Moscow's deputy
ambassador"); the claim belongs to the state, with the capital kept as an alias. The tables are
in ``places.json`` so that adding a state is adding a line.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _places() -> dict[str, dict[str, str]]:
    raw = resources.files("enquiry.enrich.text").joinpath("places.json").read_text("utf-8")
    data = json.loads(raw)
    data.pop("_about", None)
    return {key: dict(value) for key, value in data.items()}


def is_town(name: str) -> bool:
    """Whether ``name`` is a town or region that the news names as a place, never as a speaker
    ("Khan Shaykhun demands more than outrage" is a title; the tagger may even call the town a
    person, "Khan" being a surname)."""
    return name.removeprefix("the ").strip() in _places().get("towns", {})


def known_body(name: str) -> str:
    """The body of the table ``name`` ends with ("the medical charity Medecins Sans Frontieres"
    → "Medecins Sans Frontieres"), else "": a body the tagger may take for a person."""
    for body in _places().get("bodies", {}):
        if name == body or name.endswith(" " + body):
            return body
    return ""


def is_place(name: str) -> bool:
    """Whether ``name`` is a state, a capital or a town of the tables ("Syria", "Idlib"), as a
    headline's topic label is ("Syria: Witnesses describe …")."""
    places = _places()
    name = name.removeprefix("the ").strip()
    return (
        any(name in places.get(table, {}) for table in ("states", "capitals", "towns"))
        or name in places["states"].values()
    )


def is_state(name: str) -> bool:
    """Whether ``name`` is a state as the tables name it ("Iran", "the United States", "UK"):
    a word that, written before a person's name, ends the name of a body ("the Foreign Ministry
    of Iran Bahram Qasemi") rather than beginning the person's."""
    places = _places()
    name = name.removeprefix("the ").strip()
    return (
        name in places["states"]
        or name in places["states"].values()
        or name in places["capitals"].values()
        or name in places["demonyms"].values()
    )


def towns_in(state: str) -> tuple[str, ...]:
    """The towns and regions the tables place in ``state`` ("Syria" → "Khan Shaykhun", "Idlib",
    …), which a headline's place label may be the state of."""
    return tuple(town for town, where in _places().get("towns", {}).items() if where == state)


def place_to_state(name: str) -> str:
    """The state a place name or demonym stands for ("Damascus" → "Syria"), else ``name``."""
    places = _places()
    for table in ("capitals", "states", "demonyms"):
        if name in places[table]:
            return places[table][name]
    return name


@lru_cache(maxsize=1 << 16)
def normalise(name: str) -> str:
    """A name as compared: accents dropped, case folded, "the" and punctuation gone.

    Remembered: matching one speaker compares it with every known person of the case, so the
    same names are normalised again and again as a case grows."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = re.sub(r"[’'`]s\b", "", plain)
    words = re.sub(r"[^\w\s-]", " ", plain.casefold()).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=1 << 16)
def surname(name: str) -> str:
    """The last word of a person's name without an Arabic article ("al-Assad" → "assad")."""
    words = normalise(name).split()
    if not words:
        return ""
    last = words[-1]
    for article in ("al-", "el-", "ad-", "as-", "ar-"):
        if last.startswith(article) and len(last) > len(article) + 1:
            return last[len(article) :]
    return last


@dataclass
class KnownActor:
    """An actor of a case as the resolver sees it."""

    id: int
    name: str
    type: str = "person"
    aliases: list[str] = field(default_factory=list)
    title: str = ""
    affiliation: str = ""

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class ActorIndex:
    """Finds the known actor a speaker is, by name, alias, surname or title.

    "Safronkov" is "Vladimir Safronkov" when only one known person has that surname (or only
    one with the speaker's affiliation); "Vladimir Safronkov" is the actor first recorded as
    "Safronkov". A speaker that fits no one is not guessed: the caller creates a new actor.
    """

    def __init__(self, actors: list[KnownActor]) -> None:
        self.actors: list[KnownActor] = []
        self._by_name: dict[str, KnownActor] = {}
        # People by the surname of their name, all of them and those known by one word only
        # ("Safronkov"), in the order they were added: a surname is looked up for most
        # speakers, and scanning every person of a case for each would grow with the square
        # of the case.
        self._people: dict[str, list[KnownActor]] = {}
        self._one_word: dict[str, list[KnownActor]] = {}
        for actor in actors:
            self.add(actor)

    def add(self, actor: KnownActor) -> None:
        self.actors.append(actor)
        for name in actor.names():
            self._by_name.setdefault(normalise(name), actor)
        if actor.type == "person":
            last = surname(actor.name)
            self._people.setdefault(last, []).append(actor)
            if len(normalise(actor.name).split()) == 1:
                self._one_word.setdefault(last, []).append(actor)

    def add_alias(self, actor: KnownActor, alias: str) -> bool:
        """Record another name of ``actor``; False if it was known already."""
        key = normalise(alias)
        if not key or key in self._by_name:
            return False
        actor.aliases.append(alias)
        self._by_name[key] = actor
        return True

    def find(self, name: str, type_: str = "", affiliation: str = "") -> KnownActor | None:
        """The known actor ``name`` refers to, or None."""
        key = normalise(name)
        if not key:
            return None
        exact = self._by_name.get(key)
        if exact is not None:
            return exact
        words = key.split()
        # The small NER model often fails to call a bare surname a person ("Safronkov later
        # told"), so a single capitalised word is tried as a surname whatever its type.
        if type_ != "person" and not (len(words) == 1 and name[:1].isupper() and type_ != "state"):
            return None
        last = surname(name)
        fitting = list((self._people if len(words) == 1 else self._one_word).get(last, ()))
        if len(fitting) > 1 and affiliation:
            fitting = [actor for actor in fitting if actor.affiliation == affiliation] or fitting
        if len(fitting) == 1:
            return fitting[0]
        return None
