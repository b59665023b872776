"""Texts of government business: answers to written questions, a response to a request for
information, a government's reply to a committee's recommendations, a press secretary's
transcript taken down on the move, and the notes that explain a bill clause by clause."""

from __future__ import annotations

from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_grounds_that_there_are_set_a_test_and_no_one_suspects(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Under section 4 an officer may seize goods where there are reasonable grounds to "
        "suspect that they were exported without a licence. The inspectors said that the "
        "goods were seized."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_what_a_purpose_is_says_nothing(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The aim of the regulations is to confirm that exporters keep records of every "
        "shipment. The ministry said the rules would take effect in May."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_reader_told_what_they_may_ask_has_said_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The department confirmed that it holds the minutes of the meeting. If you disagree "
        "with this decision, you can request a review by writing to the address above."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["confirmed"]


def test_the_bare_letter_of_a_reporters_line_is_no_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "MS. PARKER: We expect the talks to resume on Monday.\n\n"
        "Q Thank you, Dana.\n\n"
        "MS. PARKER: The minister told his counterpart that the ceasefire must hold.\n"
    )
    found = _attributions(claim_extractor, text)
    assert all(_source(a) != "Q" for a in found)
    assert _one(found, "told").content.text.startswith("that the ceasefire")


def test_a_recommended_act_is_no_saying_of_the_one_asked(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The panel urges that the ministry continue to press for an inquiry into the deaths."
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["urges"]


def test_the_verb_after_and_is_said_by_the_sentences_subject(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Commission is concerned that the Panel's mandate lapsed after China's vetoes, and "
        "recommends that the Council set out how it intends to replace it."
    )
    found = _one(_attributions(claim_extractor, text), "recommends")
    assert _source(found) == "The Commission"
    assert found.content.text.startswith("that the Council set out")


def test_a_written_questions_opening_is_the_members_and_no_one_elses(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Ms Clare Dunmore (Hexham): To ask the Minister for Trade, what steps she has taken "
        "to review export licences for dual-use chemicals since January 2018.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.cue.text) for a in found] == [("Ms Clare Dunmore", ":")]


def test_a_naming_put_to_the_reader_in_news_is_kept(claim_extractor: ClaimExtractor) -> None:
    # only a verb of asking is a permission granted; a naming stays, as news annotators mark it
    text = "You can call Sputnik whatever you want. Its editors take their orders from Moscow."
    found = _one(_attributions(claim_extractor, text), "can call")
    assert found.content.text.startswith("Sputnik")
