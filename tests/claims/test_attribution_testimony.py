"""Testimony and its records: protected witnesses' statements summarised under their codes, an
investigator's interview log, an account given through an interpreter, an oral-history
transcript, and a survivor's written statement with the investigator's notes in brackets."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_records_heading_naming_who_took_part_is_no_turn(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Interviewer: T. Lindqvist (TL). Note-taker: A. Moreau (AM).\n"
        "Interviewee: HM-K07, female, pharmacist, living in the camp since 2015.\n"
        "Speaker: Abu Salim (pseudonym), farmer from the eastern villages\n\n"
        "The pharmacist said the stock of atropine ran out by noon."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_turn_that_opens_with_a_word_is_still_a_turn(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Mr Speaker: Order. The House will come to order.\n\n"
        "Witness: No, sir. I did not see the aircraft myself."
    )
    found = _attributions(claim_extractor, text)
    assert [a.source.text for a in found if a.source is not None and a.cue.text == ":"] == [
        "Mr Speaker",
        "Witness",
    ]


def test_a_records_received_line_is_a_field(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Received: 3 March 2018. Statement typed from the witness's notes.\n\n"
        "The witness said the road was closed that morning."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_log_entrys_clock_time_is_no_part_of_who_spoke(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Interview notes, second session.\n\n"
        "14:20 TX-B11 said that the shelter was full by nine.\n\n"
        "14:26 He added that the generator had failed."
    )
    found = _attributions(claim_extractor, text)
    said = _one(found, "said")
    assert _source(said) == "TX-B11"
    assert _actors(claim_extractor, text) == {"said": "TX-B11", "added": "TX-B11"}


def test_initials_given_after_a_name_are_that_persons(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Interviewer: T. Lindqvist (TL).\n\n"
        "09:05 TL explained that the interview could stop at any time."
    )
    assert _actors(claim_extractor, text)["explained"] == "T. Lindqvist"


def test_the_one_asked_after_a_long_question_clause_answers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "When asked whether the clinic had received any warning before the strike, "
        "HM-4 replied that it had received none."
    )
    replied = _one(_attributions(claim_extractor, text), "replied")
    assert _source(replied) == "HM-4"


def test_a_statements_maker_is_its_i_and_the_witness_its_notes_speak_of(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "WRITTEN STATEMENT\n\n"
        "I, Nour el-Khatib, born 1979 in Saraqib, make this statement freely.\n\n"
        "1. I saw the helicopter hover over the market. [The witness elsewhere says it was "
        "two helicopters.]"
    )
    found = _attributions(claim_extractor, text)
    says = _one(found, "says")
    assert _source(says) == "The witness"
    assert _actors(claim_extractor, text) == {"saw": "Nour el-Khatib", "says": "Nour el-Khatib"}


def test_witnesses_named_by_code_are_not_named_by_anyone(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Those interviewed are identified by number. Every transcript was read back to the "
        "person interviewed. The driver said the convoy left at dawn."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_pronoun_after_an_unnamed_relative_is_not_someone_named_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Karim Aziz drove us to the border. She told me her father stayed behind to look "
        "for the neighbours. He later said the street was empty."
    )
    said = _one(_attributions(claim_extractor, text), "said")
    assert said.source is not None
    assert _actors(claim_extractor, text)["said"] == "He"


def test_an_interviewers_invitation_to_speak_says_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Is there anything you want to add about the clinic? "
        "The nurse said the clinic had no oxygen."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_saying_broken_off_by_an_aside_is_the_one_started_again(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "He says - I am sorry, he is going back - he says the water was cut off that night."
    found = _attributions(claim_extractor, text)
    assert [(a.cue.text, a.content.text) for a in found] == [
        ("says", "the water was cut off that night")
    ]


def test_the_name_after_a_contact_relative_names_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "A pharmacist we met, Rami, told us that the stocks had gone by noon."
    told = _one(_attributions(claim_extractor, text), "told")
    assert _source(told) == "A pharmacist we met, Rami,"
    assert _actors(claim_extractor, text)["told"] == "Rami"


def test_the_interpreter_and_the_witness_are_those_the_heading_names(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Account of a resident of Saraqib\n"
        "Speaker: Abu Salim (pseudonym), farmer\n"
        "Interpreter: Lina Haddad\n\n"
        "He says the helicopter came twice.\n\n"
        "The witness confirmed the account. The interpreter states that she translated "
        "every answer in full."
    )
    found = _actors(claim_extractor, text)
    assert found["confirmed"] == "Abu Salim"
    assert found["states"] == "Lina Haddad"


def test_the_witness_in_a_section_headed_by_a_code_is_that_witness(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Summary of statements\n\n"
        "W-03 (male, 60, baker)\n"
        "W-03 stated that he heard two explosions.\n\n"
        "W-09 (female, 33, midwife)\n"
        "The witness stated that the first patients came at dawn. She said the clinic "
        "had no masks.\n\n"
        "Observations\n"
        "The witness accounts agree on the time."
    )
    actors = [
        (record.attribution.content.text[:15], record.speaker.name if record.speaker else None)
        for record in claim_extractor.extract(text)
    ]
    assert ("that the first ", "W-09") in actors
    assert ("the clinic had ", "W-09") in actors


def test_what_is_put_to_a_witness_is_not_the_witness(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Interview log.\n\n"
        "11:02 JM put to the witness the Defence Ministry's account that a strike at noon "
        "had hit a depot. The witness rejected this.\n"
    )
    put = _one(_attributions(claim_extractor, text), "put to")
    assert put.content.text.startswith("the Defence Ministry's account")


def test_a_list_of_what_was_described_is_one_content(claim_extractor: ClaimExtractor) -> None:
    text = "The medic described children with seizures, froth at the lips and tiny pupils."
    described = _one(_attributions(claim_extractor, text), "described")
    assert described.content.text == ("children with seizures, froth at the lips and tiny pupils")


def test_what_a_thing_is_described_as_belongs_to_the_description(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "[Unconfirmed. The farmers described the well as poisoned.]"
    described = _one(_attributions(claim_extractor, text), "described")
    assert described.content.text == "the well as poisoned"
