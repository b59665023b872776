"""Questions and their answers: a briefing's reporters and the spokesman they ask, a panel
debate's transcript, a parliament's written question with its written answer, a ministry's
letter answering a request for information, and a public meeting's minutes."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_what_a_question_asks_about_is_no_saying_of_its_subject(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Mr Paul Greer asked whether the mayor had read the engineers' report on the bridge. "
        "To ask the Government whether they intend to publish the inspection records."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["asked"]
    assert _source(found[0]) == "Mr Paul Greer"


def test_a_relative_inside_a_question_still_names_who_said_what(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Voters may now ask whether candidates like Mr. Hale, who claimed last year that the "
        "dam was safe, are the right choice."
    )
    claimed = _one(_attributions(claim_extractor, text), "claimed")
    assert _source(claimed) == "who"
    assert claimed.content.text.startswith("that the dam was safe")


def test_the_date_a_question_was_asked_on_is_no_content(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Flood defences\nWritten question - HL4410\n\nAsked by Lord Marren\nAsked on: 3 March "
        "2019\n\nTo ask the Government what assessment they have made of the flood defences."
    )
    found = _attributions(claim_extractor, text)
    assert all(not a.content.text.startswith("3 March") for a in found), [
        (a.cue.text, a.content.text) for a in found
    ]


def test_a_capitalised_government_is_not_a_foreign_one_named_in_small_letters(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The government of Ruritania claimed that the dam burst by itself. "
        "The Government does not accept that account."
    )
    assert _actors(claim_extractor, text)["does not accept"] == "Government"


def test_a_small_letter_government_still_goes_back_to_the_one_named(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Ruritanian government said the dam burst by itself. "
        "The government later insisted that no one was hurt."
    )
    assert _actors(claim_extractor, text)["insisted"] == "Ruritanian government"


def test_that_is_what_they_reported_takes_up_the_sentence_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The levee gave way because the pumps had failed overnight. "
        "That is what the county engineers reported on Monday."
    )
    reported = _one(_attributions(claim_extractor, text), "reported")
    assert _source(reported) == "the county engineers"
    assert reported.content.text.startswith("The levee gave way because the pumps")


def test_a_letter_signed_on_behalf_of_a_minister_is_its_signers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Dear Mr Okafor,\n\nI consider that the records of the inspection may be released.\n\n"
        "Yours sincerely,\n\nOn behalf of the Minister of Transport,\n\nR. T. Lindqvist\n"
        "Head, Records Office\n"
    )
    assert _actors(claim_extractor, text)["consider"] == "R. T. Lindqvist"


def test_you_in_a_letter_is_the_one_the_salutation_names(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Mr Daniel Okafor\nRiverside Tenants' Association\n\nDear Mr Okafor,\n\n"
        "On 2 May you asked whether the Department had tested the water supply. "
        "You also said that the tenants had fallen ill.\n\n"
        "Yours sincerely,\n\nMaria Lindqvist\n"
    )
    found = _actors(claim_extractor, text)
    assert found["asked"] == "Daniel Okafor"
    assert found["said"] == "Daniel Okafor"


def test_a_rule_or_a_measure_after_a_preposition_is_no_source(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The inspection reports are disclosed in part. Names of the tenants have been withheld "
        "under Section 40(2) of the Act."
    )
    found = _attributions(claim_extractor, text)
    assert all(_source(a) is None for a in found), [(a.cue.text, _source(a)) for a in found]


def test_guests_brought_on_to_discuss_it_have_said_nothing_yet(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "With me to discuss it: Dame Ruth Olsen, a former water regulator; and Professor Ivan "
        "Petrov of the Institute of Hydrology. The minister declined to discuss it."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["declined"]


def test_the_object_of_a_joined_verb_is_not_its_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "PETROV: It depends. If they stay in their offices and read Facebook, no."
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == [":"]


def test_they_after_people_named_by_whose_they_are_means_them(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The water board said the supply was safe. Our neighbours began calling us at dawn. "
        "They said the tap water smelled of diesel."
    )
    found = claim_extractor.extract(text)
    they = next(r for r in found if r.attribution.source and r.attribution.source.text == "They")
    assert they.speaker is not None and they.speaker.name == "Our neighbours"


def test_he_said_what_he_said_reports_nothing(claim_extractor: ClaimExtractor) -> None:
    text = "I won't get ahead of the governor. He said what he said, and it stands."
    found = _attributions(claim_extractor, text)
    assert all(a.content.text != "what he said" for a in found), [
        (a.cue.text, a.content.text) for a in found
    ]


def test_the_i_of_a_written_answer_is_the_member_who_answers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "To ask the Government what progress has been made on the flood defences.\n\n"
        "Answered by: Baroness Whitcombe\nAnswered on: 9 March 2019\n\n"
        "I can confirm that the work on the northern embankment is complete."
    )
    assert _actors(claim_extractor, text)["can confirm"] == "Baroness Whitcombe"


def test_the_chair_is_the_one_the_list_of_those_present_names(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Present: Councillor Mary Dunn; Parish Chair Alan Moss (presiding); approximately 60 "
        "residents.\n\nThe Chair reminded residents that the survey closes in June. He said "
        "that the council would publish the results."
    )
    found = _actors(claim_extractor, text)
    assert found["reminded"] == "Alan Moss"
    assert found["said"] == "Alan Moss"


def test_the_congresswoman_is_the_member_named_before(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Congresswoman Ellen Marsh thanked residents for coming. Mr Tom Ruiz asked about the "
        "levee. The Congresswoman said that the funding had been approved."
    )
    assert _actors(claim_extractor, text)["said"] == "Ellen Marsh"


def test_what_was_said_after_the_colon_of_a_cleft(claim_extractor: ClaimExtractor) -> None:
    text = (
        "What the water board has said from the start is very simple: the reservoir was never "
        "contaminated."
    )
    said = _one(_attributions(claim_extractor, text), "has said")
    assert _source(said) == "the water board"
    assert said.content.text == "the reservoir was never contaminated"


def test_you_in_a_reporters_question_is_the_one_who_answers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "MS HALE: Good afternoon, everyone.\n\n"
        "QUESTION: Thanks. Tom Reyes, Reuters. The ministry says the dam was sound.\n\n"
        "MS HALE: Tom, we've seen the claim.\n\n"
        "QUESTION: But you haven't said what that information is.\n\n"
        "MS HALE: I'm not going to get into that from this podium."
    )
    assert _actors(claim_extractor, text)["haven't said"] == "HALE"
