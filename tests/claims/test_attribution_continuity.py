"""Whom a report goes on with: a pronoun that opens the next saying after a body has spoken of
another body, a "they" after people named as the last sentence's subject, and the people a
writer spoke to ("Residents we spoke to said …"), whom the parse takes apart, and the one the
writer reached by office ("We contacted a hospital director. He said …")."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_it_after_a_state_spoke_of_a_body_is_the_state(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Russia said the OPCW had been misled by opposition activists. It demanded a new "
        "inquiry with inspectors on the ground."
    )
    assert _actors(claim_extractor, text)["demanded"] == "Russia"


def test_the_ministry_going_on_is_the_ministry(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The ministry said the Joint Investigative Mechanism had ignored its evidence. It added "
        "that the samples had been handled by militants."
    )
    assert _actors(claim_extractor, text)["added"] == "ministry"


def test_they_after_people_spoke_of_a_body_are_those_people(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "And the Russians will say the White Helmets are a British front. My guess is they "
        "will claim the video was filmed in a studio."
    )
    assert _actors(claim_extractor, text)["will claim"] == "Russians"


def test_it_is_still_the_body_when_a_person_spoke_of_it(claim_extractor: ClaimExtractor) -> None:
    text = "Lavrov said the OPCW had been misled. It has rejected the claim."
    assert _actors(claim_extractor, text)["has rejected"] == "OPCW"


def test_they_go_on_with_the_people_the_sentence_before_was_about(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Russian defence ministry says an airstrike hit a rebel depot. Inspectors from "
        "the OPCW interviewed me by video in June. They asked me to describe the smell."
    )
    assert _actors(claim_extractor, text)["asked"] == "Inspectors from the OPCW"


def test_people_the_writer_spoke_to_are_who_speak(claim_extractor: ClaimExtractor) -> None:
    text = "Villagers we spoke to said the jets came before sunrise."
    found = _attributions(claim_extractor, text)
    said = _one(found, "said")
    assert _source(said) == "Villagers we spoke to"
    assert said.content.text == "the jets came before sunrise"
    assert _actors(claim_extractor, text) == {"said": "Villagers"}


def test_people_an_organisation_spoke_to_are_who_speak(claim_extractor: ClaimExtractor) -> None:
    text = "Residents Human Rights Watch spoke to said the jets came at dawn."
    assert _actors(claim_extractor, text) == {"said": "Residents"}


def test_a_share_of_the_people_spoken_to_speaks(claim_extractor: ClaimExtractor) -> None:
    text = "Most of the residents we spoke to said the jets came at dawn."
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "said")) == "Most of the residents we spoke to"


def test_where_they_were_spoken_to_stays_with_them(claim_extractor: ClaimExtractor) -> None:
    text = "Residents we spoke to in Khan Shaykhun said the jets came at dawn."
    found = _attributions(claim_extractor, text)
    said = _one(found, "said")
    assert _source(said) == "Residents we spoke to in Khan Shaykhun"
    assert said.content.text == "the jets came at dawn"


def test_he_after_the_writer_reached_someone_by_office_is_them(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The minister spoke at noon. We contacted a hospital director in Idlib. He said the "
        "wards were full."
    )
    assert _actors(claim_extractor, text)["said"] == "hospital director in Idlib"


def test_he_after_the_writer_reached_an_administrator_is_them(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "We contacted the group's administrator by e-mail. He said the film was shot at dawn."
    assert _actors(claim_extractor, text)["said"] == "group's administrator"


def test_the_organisation_is_no_government_named_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Syrian government handed over its arsenal under the supervision of the OPCW in "
        "2014. The organisation said the handover was complete."
    )
    assert _actors(claim_extractor, text)["said"] != "Syrian government"


def test_an_office_written_alone_is_no_surname_of_someone_named_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Present: Mayor Joan Pike; Selectboard Chair Robert Tully (moderator); about 60 "
        "residents.\n\nChair Tully called the meeting to order at seven and said that the hall "
        "was full."
    )
    actor = _actors(claim_extractor, text)["said"]
    assert actor is not None and "Chair" not in actor
