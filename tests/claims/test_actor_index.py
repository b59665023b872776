"""How a speaker's name finds a known actor of the case: by name or alias, by surname when only
one person fits, and never by guess when two do."""

from __future__ import annotations

from enquiry.enrich.text.actors import ActorIndex, KnownActor


def _index() -> ActorIndex:
    return ActorIndex(
        [
            KnownActor(1, "Vladimir Safronkov", affiliation="Russia"),
            KnownActor(2, "Russia", type="state", aliases=["Russian Federation"]),
            KnownActor(3, "Bashar al-Assad"),
            KnownActor(4, "Hafez Assad", affiliation="Syria"),
            KnownActor(5, "Haley"),
            KnownActor(6, "Ministry of Defence", type="organisation"),
        ]
    )


def test_a_name_or_alias_finds_its_actor_whatever_its_type() -> None:
    index = _index()
    assert index.find("the Russian Federation", "state").id == 2  # type: ignore[union-attr]
    assert index.find("vladimir safronkov").id == 1  # type: ignore[union-attr]


def test_a_bare_surname_finds_the_one_person_with_it() -> None:
    index = _index()
    assert index.find("Safronkov", "person").id == 1  # type: ignore[union-attr]
    # the small model often fails to call a bare surname a person
    assert index.find("Safronkov", "organisation").id == 1  # type: ignore[union-attr]
    assert index.find("Ministry", "organisation") is None


def test_two_people_with_one_surname_are_told_apart_only_by_affiliation() -> None:
    index = _index()
    assert index.find("Assad", "person") is None
    assert index.find("Assad", "person", "Syria").id == 4  # type: ignore[union-attr]


def test_a_full_name_finds_the_person_first_known_by_one_word() -> None:
    index = _index()
    assert index.find("Nikki Haley", "person").id == 5  # type: ignore[union-attr]
    assert index.find("Igor Safronkov", "person") is None  # a full name is not a one-word one


def test_people_added_later_are_found_and_make_a_surname_ambiguous() -> None:
    index = _index()
    index.add(KnownActor(7, "Igor Konashenkov"))
    assert index.find("Konashenkov", "person").id == 7  # type: ignore[union-attr]
    index.add(KnownActor(8, "Anna Konashenkova"))
    assert index.find("Konashenkov", "person").id == 7  # type: ignore[union-attr]
    index.add(KnownActor(9, "Pyotr Konashenkov"))
    assert index.find("Konashenkov", "person") is None


def test_only_people_are_found_by_surname() -> None:
    index = _index()
    index.add(KnownActor(7, "Konashenkov Group", type="organisation"))
    assert index.find("Group", "person") is None
