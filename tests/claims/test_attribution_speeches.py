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


def test_a_congressional_record_label_with_a_full_stop_opens_a_turn(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Ms. ALVAREZ. Mr. President, I rise to speak about the drought in our State.\n\n"
        "I have said for years that the reservoirs are too small.\n\n"
        "The PRESIDING OFFICER. The Senator from Iowa."
    )
    found = _attributions(claim_extractor, text)
    turns = [a for a in found if a.cue.text == "."]
    assert [_source(a) for a in turns] == ["Ms. ALVAREZ", "The PRESIDING OFFICER"]
    assert _actors(claim_extractor, text)["have said"] == "ALVAREZ"


def test_he_in_a_later_paragraph_of_a_speakers_turn_is_not_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "HOST: Welcome back to the programme.\n\n"
        "DAVID MORAN: Thank you for having me. It has been a long week.\n\n"
        "On Monday I drove out to a farm by the river. He told me that the water had risen "
        "a metre overnight."
    )
    assert _actors(claim_extractor, text)["told"] != "DAVID MORAN"
