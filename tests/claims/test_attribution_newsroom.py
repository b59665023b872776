"""A newsroom's own pages: a corrections column citing stories by headline, date and page, an
editor's note on a disputed story, a retraction, a readers' editor's column and a letters
page whose letters are signed below, name on one line and town on the next."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_verb_of_denying_joined_to_another_keeps_its_own_gerund(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The mayor repeated his figures, and the contractor denied cutting any corners."
    denied = _one(_attributions(claim_extractor, text), "denied")
    assert _source(denied) == "the contractor"
    assert denied.content.text == "cutting any corners"


def test_a_finding_noted_in_a_that_clause_is_the_finders_too(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "I note that the inspectors concluded that the dam had been poorly maintained."
    found = _attributions(claim_extractor, text)
    concluded = _one(found, "concluded")
    assert _source(concluded) == "the inspectors"
    assert concluded.content.text.startswith("that the dam")


def test_a_quoted_question_is_asked_by_the_noun_after_the_verb(
    claim_extractor: ClaimExtractor,
) -> None:
    text = '"Who will pay for the new bridge?" asked one resident at the meeting.'
    asked = _one(_attributions(claim_extractor, text), "asked")
    assert _source(asked) == "one resident"
    assert asked.content.text.startswith('"Who will pay')


def test_done_according_to_best_practice_names_no_source(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The inquiry found that the records were not kept according to best practice."
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["found"]


def test_a_cited_headlines_saying_ends_with_its_brackets(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'A report on the strike (Union says pay offer "an insult", 3 March, page 5) '
        "wrongly gave the union's membership as 40,000."
    )
    says = _one(_attributions(claim_extractor, text), "says")
    assert says.content.text == 'pay offer "an insult"'


def test_a_cited_piece_is_named_without_its_bracketed_headline(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "A leading article (Why the council must think again, 9 March, page 30) said that the "
        "library would close in May."
    )
    assert _actors(claim_extractor, text)["said"] == "leading article"


def test_a_name_the_tagger_takes_for_a_place_beside_a_role_is_a_person(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Our correspondent in Geneva, Aisha Mbeki, argues that the vote was rushed. "
        "In her view, the delegates had too little time."
    )
    named = _actors(claim_extractor, text)
    assert named["argues"] == "Aisha Mbeki"
    assert named["view"] == "Aisha Mbeki"


def test_which_after_a_date_stands_for_the_noun_the_date_is_of(
    claim_extractor: ClaimExtractor,
) -> None:
    text = 'Both readers pointed to an article on 2 May which described the fire as "arson".'
    assert _actors(claim_extractor, text)["described"] == "article"


def test_a_participle_set_beside_a_noun_is_no_aside(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The level of arsenic in the wells, a poison declared in the mill's own records, "
        "is close to proof."
    )
    assert _attributions(claim_extractor, text) == []


def test_a_speaker_set_aside_with_where_they_said_it_is_still_an_aside(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The strike, a spokesman said in a statement, was a mistake."
    assert _source(_one(_attributions(claim_extractor, text), "said")) == "a spokesman"


def test_a_retraction_heading_a_headline_is_no_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Retraction: \"Council leader: 'We were never told'\"\n\n"
        "The council's spokesman said that the leader had been briefed in January."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


_LETTERS = (
    "LETTERS\n\n"
    "I have lived beside the river for forty years. I think that the new flood wall is "
    "too low.\n"
    "Margaret Ellison\n"
    "Kendal\n\n"
    "Mrs Ellison (Letters, 4 June) is right about the wall. My late grandfather farmed "
    "the valley. He always said that the river would come back for the town.\n"
    "Dr Owen Pritchard\n"
    "Department of Geography, University of Lancaster\n"
)


def test_a_letters_first_person_is_the_writer_who_signs_below(
    claim_extractor: ClaimExtractor,
) -> None:
    assert _actors(claim_extractor, _LETTERS)["think"] == "Margaret Ellison"


def test_a_letters_he_is_not_the_writer_of_the_letter_above(
    claim_extractor: ClaimExtractor,
) -> None:
    assert _actors(claim_extractor, _LETTERS)["said"] != "Margaret Ellison"


def test_a_name_before_an_aide_or_an_ally_is_whose_they_are(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Merkel ally says coalition talks have stalled. A Macron aide said the vote would wait."
    named = _actors(claim_extractor, text)
    assert named["says"] == "Merkel ally"
    assert named["said"] == "Macron aide"
