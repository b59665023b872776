"""Texts a community writes and passes on: a local council's statement on its social page with
residents' comments under it, a mosque's or a church's announcement relayed by a local reporter,
a school's letter to parents, the notes of a meeting in a displacement camp, and a family's
voice notes transcribed and relayed by a relative abroad."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_meeting_notes_place_field_is_no_speaker(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Date: 3 May 2017\nPlace: school hall, Block B\n\n"
        "The chair said that the water tanks will be repaired next week.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_an_action_points_heading_is_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The nurse said that two children still need oxygen.\n\n"
        "Action points:\n"
        "- Driver to collect the blankets from the warehouse.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_task_on_a_list_of_actions_is_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The nurse said that two children still need oxygen.\n\n"
        "Follow-up:\n"
        "- Driver to collect the blankets.\n"
        "- Omar to inform the families that the bus leaves at eight.\n\n"
        "Next meeting: 9 May\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_seeing_under_if_by_the_reader_or_nobody_is_no_report(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "If you saw anything yourself, please write to the office. The mayor said that the "
        'road is open. According to him, if nobody speaks "the army will say it was an '
        'accident."'
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said", "According to"]


def test_a_word_about_a_topic_is_a_pointer_not_a_claim(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The nurses told us that the clinic will stay open. Lastly, I would like to say a word "
        "about the new timetable for the buses."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["told"]


def test_what_a_speaker_says_after_a_comma_spliced_clause_is_the_later_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The bakery closed early today, my neighbour says the flour has run out."
    found = _attributions(claim_extractor, text)
    assert _one(found, "says").content.text == "the flour has run out"


def test_which_after_the_words_of_a_body_agrees_with_the_body(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The residents reject the claims of the Ministry of Interior, which says that the fire "
        "was started by the farmers."
    )
    actors = _actors(claim_extractor, text)
    assert actors["says"] == "Ministry of Interior"


def test_the_one_asking_by_whether_is_the_agent(claim_extractor: ClaimExtractor) -> None:
    text = "We were asked by the health office whether the well water is still used for cooking."
    found = _attributions(claim_extractor, text)
    asked = _one(found, "were asked")
    assert _source(asked) == "the health office"
    assert asked.content.text.startswith("whether the well water")


def test_a_statement_quoted_as_it_began_is_the_statements(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The imam read the council's letter to the worshippers. \"The shelling of the market "
        'was a crime against the whole town," the letter began.'
    )
    found = _attributions(claim_extractor, text)
    began = _one(found, "began")
    assert _source(began) == "the letter"
    assert began.content.text.startswith('"The shelling of the market')


def test_a_relative_brought_on_by_a_line_of_their_own_is_whom_she_means(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Posted by Mariam Saleh, Lyon\n\n"
        "[voice note 4, 0:12] Now my grandmother. She says the road to the hospital is closed.\n"
    )
    actors = _actors(claim_extractor, text)
    assert actors["says"] == "my grandmother"


def test_a_bylines_writer_is_not_whom_she_means(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Posted by Mariam Saleh, Lyon, 3 May 2017\n\n"
        "My sister rang me last night. She says the road to the hospital is closed.\n"
    )
    actors = _actors(claim_extractor, text)
    assert actors["says"] != "Mariam Saleh"


def test_a_saying_that_goes_on_after_a_colon_keeps_the_clause_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "That strife is one of the chief reasons to oppose him, the president often says: "
        "in his view, the rival would worsen the climate."
    )
    found = _one(_attributions(claim_extractor, text), "says")
    assert found.content.text.startswith("That strife is one of the chief reasons")
