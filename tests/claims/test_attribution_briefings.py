"""Official texts spoken or written for the record: a spokesperson's press briefing and its
reporters' questions, a foreign ministry's press conference in translation, a parliament's
record with members named by their seats, a government's numbered assessment, a council's
conclusions, a doorstep statement, a military briefing, a talk show's transcript and a roundup
of officials' posts. Their labels, forms of address and courtesy titles are no speakers, and
their speakers are often named only in a heading or by an office or a seat."""

from __future__ import annotations

from attribution_helpers import actors as _speakers
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_question_label_is_not_the_subject_of_the_sentence_after_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "A: We will study the report.\n\n"
        "Q: Damascus said that the inspectors never asked to visit the air base. Is that so?"
    )
    found = _one(_attributions(claim_extractor, text), "said")
    assert _source(found) == "Damascus"


def test_a_members_label_is_not_the_subject_of_the_sentence_after_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Mr Hague: I give way.\n\n"
        "Ann Clwyd: The Minister told the House that the samples were conclusive. Does he stand "
        "by that?"
    )
    found = _one(_attributions(claim_extractor, text), "told")
    assert _source(found) == "The Minister"


def test_the_one_spoken_to_before_a_comma_is_not_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Professor, the inspectors say the crater was made by a bomb. Do you agree?"
    found = _one(_attributions(claim_extractor, text), "say")
    assert _source(found) == "the inspectors"


def test_a_question_put_to_a_guest_named_first_is_no_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "HOST: Laila, are you saying the photographs were taken on another day?"
    cues = [a.cue.text for a in _attributions(claim_extractor, text)]
    assert cues == [":"]


def test_even_before_a_speaker_is_not_part_of_the_name(claim_extractor: ClaimExtractor) -> None:
    text = "Even the Syrian foreign ministry concedes that a strike took place that morning."
    speakers = _speakers(claim_extractor, text)
    assert speakers["concedes"] == "Syrian foreign ministry"


def test_a_transcripts_heading_and_its_list_of_presenters_are_no_speakers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "TRANSCRIPT: Evening News, April 9, 2017\n\n"
        "Presenters: Maj. Gen. Ann Lowry, Col. Tom Reyes\n\n"
        "GEN. LOWRY: The strike hit the runway and the hangars."
    )
    sources = [_source(a) for a in _attributions(claim_extractor, text)]
    assert sources == ["GEN. LOWRY"]


def test_an_account_in_brackets_after_a_name_is_not_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Kristin Olsen (@kolsen_un), Norway's envoy, wrote that the council had failed the "
        "people of Idlib."
    )
    assert _speakers(claim_extractor, text)["wrote"] == "Kristin Olsen"


def test_what_a_speaker_has_seen_that_points_somewhere_is_no_claim_of_seeing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Everything the inspectors have seen points to an aerial bomb."
    cues = [a.cue.text for a in _attributions(claim_extractor, text)]
    assert "seen" not in cues and "have seen" not in cues


def test_a_member_named_by_the_seat_is_the_member_the_label_names(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Caroline Lucas (Brighton, Pavilion) (Green): Will the Minister condemn the strike?\n\n"
        "Mr Burt: The hon. Member for Brighton, Pavilion knows that the strike was lawful."
    )
    assert _speakers(claim_extractor, text)["knows"] == "Caroline Lucas"


def test_the_courtesy_title_keeps_its_noun(claim_extractor: ClaimExtractor) -> None:
    text = "Mr Burt: I agree with the hon. Gentleman, and I can tell him that the talks go on."
    found = _one(_attributions(claim_extractor, text), "agree with")
    assert found.content.text == "the hon. Gentleman"


def test_a_doorstep_statements_speaker_is_named_in_its_heading(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Doorstep statement by EU High Representative Federica Mogherini\n\n"
        "I welcome that the inspectors have reached the town.\n\n"
        "QUESTION: Is the regime responsible?\n\n"
        "FEDERICA MOGHERINI: The regime bears the primary responsibility."
    )
    speakers = _speakers(claim_extractor, text)
    assert speakers["welcome"] == "Federica Mogherini"
    assert speakers[":"] == "Federica Mogherini"


def test_it_after_a_relative_clause_goes_on_with_the_sentence_subject(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Assembly welcomed the findings of the panel, which concluded that chlorine was "
        "used. It urges all parties to cooperate with the inquiry."
    )
    assert _speakers(claim_extractor, text)["urges"] == "Assembly"


def test_having_been_clear_that_is_saying_so(claim_extractor: ClaimExtractor) -> None:
    text = "The minister has been clear that no flights took off from the base that morning."
    found = _one(_attributions(claim_extractor, text), "been clear")
    assert _source(found) == "The minister"
    assert found.content.text.startswith("that no flights took off")


def test_it_is_clear_that_is_the_writers(claim_extractor: ClaimExtractor) -> None:
    text = "It is clear that the aircraft took off from the base that morning."
    assert _attributions(claim_extractor, text) == []


def test_a_hypothesis_put_forward_by_someone_is_their_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The version advanced by Damascus, according to which the victims had been brought "
        "from another town, is contradicted by the witnesses."
    )
    found = _one(_attributions(claim_extractor, text), "advanced")
    assert _source(found) == "Damascus"
    assert found.content.text == "the victims had been brought from another town"
    assert "according to" not in [a.cue.text for a in _attributions(claim_extractor, text)]


def test_i_think_joined_to_the_speakers_own_clause_is_kept(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The story does not add up, and I think the ministry knows it."
    found = _one(_attributions(claim_extractor, text), "think")
    assert _source(found) == "I"
    assert found.content.text == "the ministry knows it"


def test_an_account_speaks_for_its_owner(claim_extractor: ClaimExtractor) -> None:
    text = "The defence ministry's Telegram channel wrote that the convoy had been hit by rebels."
    assert _speakers(claim_extractor, text)["wrote"] == "defence ministry"
