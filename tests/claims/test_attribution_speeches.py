"""Speeches and what is said around them: a senator's floor speech in the Congressional
Record, a president's address to the nation, a campaign rally's transcript, a member of
parliament's press release, and a minister's statement to the House with the opposition's
reply as Hansard prints it."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_the_right_hon_gentleman_keeps_his_title_and_is_the_member_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Ms Carla Ruiz (Wakefield) (Lab): Will the Minister publish the report?\n\n"
        "Mr John Hale: I will not.\n\n"
        "Ms Carla Ruiz: I am disappointed.\n\n"
        "However, the right hon. Gentleman said last week that the report would be "
        "published before the summer."
    )
    found = _attributions(claim_extractor, text)
    said = _one(found, "said")
    assert _source(said) == "the right hon. Gentleman"
    assert _actors(claim_extractor, text)["said"] == "John Hale"


def test_announcing_what_a_speech_is_about_says_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Good evening. Tonight I want to talk with you about the floods in the valley. "
        "The governor said that the dams would hold."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_the_first_person_paragraphs_after_a_label_are_the_turns_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "MAYOR LINDQVIST: Good morning, everyone. Thank you for coming.\n\n"
        "The water reached the old bridge at four o'clock.\n\n"
        "I have said before that the levee needs work, and I say it again today."
    )
    assert _actors(claim_extractor, text)["have said before"] == "LINDQVIST"


def test_what_a_team_is_sent_to_examine_is_no_message(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The ministry has sent a fact-finding mission to examine records held by hospitals "
        "in the north. Its spokesman said the hospitals had been cooperative."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_speakers_you_know_what_they_said_asks_the_crowd_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "And you know what the mayor told us? He said the road would be finished by June."
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]
    assert _source(_one(found, "said")) == "He"
