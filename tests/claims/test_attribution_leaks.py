"""Texts that were never meant to be published, or were written for a closed room: an
inspection team's e-mail chain on a draft, a whistleblower's written evidence to a
parliamentary committee, an engineer's technical assessment memorandum, a diplomatic cable,
and the news stories built on such leaked documents."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_cables_portion_mark_is_no_part_of_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "3. (C) Contact stated that the governor would resign before the elections.\n\n"
        "4. (SBU) The deputy mayor told EconOff that the port would reopen in May.\n"
    )
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "stated")) == "Contact"
    assert _source(_one(found, "told")) == "The deputy mayor"


def test_a_dateline_of_two_cities_is_no_part_of_what_was_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "LONDON/PARIS (Reuters) - European ministers agreed to widen the sanctions, "
        "according to two diplomats who attended the meeting."
    )
    found = _attributions(claim_extractor, text)
    assert _one(found, "according to").content.text.startswith("European ministers")


def test_a_decimal_section_number_is_no_part_of_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "3.1 Dr Anna Berg has argued that the fire began in the kitchen of the warehouse.\n\n"
        "3.2 The fire brigade stated that the doors had been locked.\n"
    )
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "has argued")) == "Dr Anna Berg"
    assert _source(_one(found, "stated")) == "The fire brigade"


def test_a_committees_reference_after_the_witness_name_is_no_part_of_the_name(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Written evidence submitted by Ms Jane Doyle (SYR 0042)\n\n"
        "1. I believe that the aid convoys were diverted by local commanders.\n"
    )
    assert _actors(claim_extractor, text)["believe"] == "Jane Doyle"


def test_what_an_agent_told_is_the_that_clause_not_the_one_told(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "I was told by a senior official of the agency that the files had been sent to the court."
    )
    told = _one(_attributions(claim_extractor, text), "was told")
    assert _source(told) == "a senior official of the agency"
    assert told.content.text.startswith("that the files had been sent")


def test_a_second_verb_the_tagger_reads_as_a_plural_noun_is_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The engineer has reviewed the drawings and notes that the design relies on an old survey."
    )
    notes = _one(_attributions(claim_extractor, text), "notes")
    assert _source(notes) == "The engineer"
    assert notes.content.text.startswith("that the design relies")


def test_a_relative_clause_without_that_is_no_report_trailing_its_sentence(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "As I said in my note of 2 March, the figures fall before the window we are proposing."
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_writer_recalling_an_earlier_point_says_it_again(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "As I pointed out in my note of 2 March, the arrival times logged at three of the "
        "clinics fall before the time window we are proposing."
    )
    noted = _one(_attributions(claim_extractor, text), "pointed out")
    assert _source(noted) == "I"
    assert noted.content.text.startswith("the arrival times logged")


def test_a_passive_of_naming_with_no_name_given_says_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The driver is not named in the court papers. No traces of explosives were "
        "identified. Police said the car had been stolen in March."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_one_named_in_an_indictment_is_named_by_it(claim_extractor: ClaimExtractor) -> None:
    text = "Peter Santilli was named last week in a grand jury indictment."
    assert [a.cue.text for a in _attributions(claim_extractor, text)] == ["was named"]
