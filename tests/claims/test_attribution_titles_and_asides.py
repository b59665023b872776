"""Readings that needed a name the tagger does not know, a title named only in passing, a
body that is neither a council nor a committee, or a saying set inside a relative clause:
"Witness B states …", "met Prime Minister Theresa May … The Prime Minister told him …",
"The Senate, … 1. Condemns …", "The inspectors, who, officials said, arrived …" (what PolNeAR marks: "who" "arrived …")."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_coded_witness_hung_on_the_verb_is_its_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "2. Witness K states that the aircraft circled twice before the first explosion."
    said = _one(_attributions(claim_extractor, text), "states")
    assert _source(said) == "Witness K"
    assert said.content.text.startswith("that the aircraft circled twice")
    assert _actors(claim_extractor, text) == {"states": "Witness K"}


def test_a_verb_taken_for_a_plural_noun_after_a_code_is_still_a_saying(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "4. Complainant D states that the smell reached the school within minutes."
    said = _one(_attributions(claim_extractor, text), "states")
    assert _source(said) == "Complainant D"
    assert said.content.text.startswith("that the smell reached the school")


def test_a_title_named_only_as_an_object_is_whom_the_bare_title_means(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Turkish delegation met Prime Minister Helen Carr in London on Tuesday. "
        "The Prime Minister told the delegation that the samples would be shared."
    )
    assert _actors(claim_extractor, text) == {"told": "Helen Carr"}


def test_a_qualified_title_does_not_reach_a_minister_of_another_office(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Reporters met Defence Minister Hulusi Akar in Ankara. "
        "The Prime Minister said the strike had been justified."
    )
    assert _actors(claim_extractor, text) == {"said": "Prime Minister"}
    text = (
        "Reporters met Defence Minister Hulusi Akar in Ankara. "
        "The minister said the strike had been justified."
    )
    assert _actors(claim_extractor, text) == {"said": "Hulusi Akar"}


def test_a_resolution_of_a_senate_or_a_board_numbers_its_body_s_claims(
    claim_extractor: ClaimExtractor,
) -> None:
    for body in ("The Senate", "The Board", "The General Assembly"):
        text = (
            f"{body},\n\n"
            "Recalling that sarin was used against civilians in April 2017,\n\n"
            "1. Condemns the use of chemical weapons by anyone;\n\n"
            "2. Calls on all parties to cooperate with the Mechanism.\n"
        )
        found = _attributions(claim_extractor, text)
        assert [a.cue.text for a in found] == ["Recalling", "Condemns", "Calls on"], body
        assert set(_actors(claim_extractor, text).values()) == {body[4:]}


def test_a_saying_set_inside_a_relative_clause_vouches_for_that_clause_alone(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The inspectors, who, officials said, arrived on Monday, took samples from the crater."
    said = _one(_attributions(claim_extractor, text), "said")
    assert _source(said) == "officials"
    assert said.content.text == "who arrived on Monday"
    assert [(p.start, p.end) for p in said.content.parts] == [(16, 19), (37, 54)]


def test_a_saying_set_in_the_main_clause_still_vouches_for_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The inspectors, officials said, took samples from the crater on Monday."
    said = _one(_attributions(claim_extractor, text), "said")
    assert said.content.text.startswith("The inspectors")
    assert "took samples from the crater" in said.content.text


def test_people_named_together_speak_together(claim_extractor: ClaimExtractor) -> None:
    assert _actors(
        claim_extractor, "Haddad and Lee (2019) note that the crater was made by a bomb."
    ) == {"note": "Haddad and Lee"}
    assert _actors(
        claim_extractor, "Two nurses, Rima Haddad and Salma Issa, said the patients choked."
    ) == {"said": "Rima Haddad and Salma Issa"}


def test_they_after_people_named_together_are_those_people(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Smith and Jones argued that the depot story was implausible. "
        "They added that no depot had been seen on the imagery."
    )
    assert _actors(claim_extractor, text) == {
        "argued": "Smith and Jones",
        "added": "Smith and Jones",
    }


def test_one_person_with_two_offices_is_still_one_person(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Deputy Prime Minister and Foreign Minister Walid al-Moallem said the army "
        "had never used chemical weapons."
    )
    assert _actors(claim_extractor, text) == {"said": "Walid al-Moallem"}
