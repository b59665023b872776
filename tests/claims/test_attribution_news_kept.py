"""Readings of news that rules written for other registers must leave as PolNeAR marks them:
a printed interview's "Q: You've been talking about …", an argument with its topic, the
writer's forecast "Expect …", people named together with a verb the learnt filter keeps, and
"You do not think about the damage"; and whom news means by its pronouns, which rules for
transcripts and running orders must not change (a headline's "Obama: …" is no turn over the
article, a possessive owner of an act is its speaker)."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_printed_interview_s_question_tells_what_the_one_interviewed_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Q: You've been talking about how the economy is on the upswing, but the polls "
        "disagree.\n\n"
        "A: The polls will catch up.\n"
    )
    talking = _one(_attributions(claim_extractor, text), "'ve been talking about")
    assert _source(talking) == "You"
    assert talking.content.text.startswith("how the economy is on the upswing")


def test_an_argument_with_its_topic_is_what_was_argued(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The columnist walked off the set after arguing with the host on how the attack "
        "should be described."
    )
    arguing = _one(_attributions(claim_extractor, text), "arguing with")
    assert arguing.content.text.startswith("the host on how the attack")


def test_the_writer_s_forecast_is_no_bidding(claim_extractor: ClaimExtractor) -> None:
    text = "Expect foreign policy to return to the campaign next month."
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["Expect"]


def test_people_named_together_keep_the_claims_they_make(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Cruz and Trump have used the most aggressive language about the bombing campaign."
    assert _actors(claim_extractor, text) == {"have used": "Cruz and Trump"}


def test_thinking_about_a_thing_is_a_view_held_unless_it_is_one_s_own_musing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "You do not think about all the damage that happened to the children."
    found = _attributions(claim_extractor, text)
    assert [a.content.text for a in found] == ["all the damage that happened to the children"]
    assert _attributions(claim_extractor, "I have thought about that night ever since.") == []


def test_a_predicate_after_a_bare_relative_still_says_something(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Each release is a reminder of the inquiry into the breach — a probe the law "
        "enforcement agency said was ongoing as of earlier this month."
    )
    said = _one(_attributions(claim_extractor, text), "said")
    assert _source(said) == "the law enforcement agency"
    assert "ongoing" in said.content.text


def test_a_party_and_state_in_brackets_after_a_name_is_no_gloss(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Sen. Claire McCaskill (D-Mo.), who has endorsed Clinton, spoke first."
    endorsed = _one(_attributions(claim_extractor, text), "has endorsed")
    assert endorsed.content.text == "Clinton"


def test_an_outlet_s_own_fact_check_speaks(claim_extractor: ClaimExtractor) -> None:
    text = "Wash Post Fact-Check: If the President Says It, It's True"
    line = _one(_attributions(claim_extractor, text), ":")
    assert _source(line) == "Wash Post Fact-Check"
    assert _attributions(claim_extractor, "FACT CHECK: No, the victims were not actors") == []


def test_welcoming_someone_to_do_something_is_a_stance(claim_extractor: ClaimExtractor) -> None:
    text = "The town welcomed the senator to visit the clinic."
    welcomed = _one(_attributions(claim_extractor, text), "welcomed")
    assert welcomed.content.text == "the senator to visit the clinic"


def test_a_plan_approved_by_no_one_named_is_still_a_decision_reported(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "After months of debate, the plan was approved on Tuesday."
    approved = _one(_attributions(claim_extractor, text), "was approved")
    assert approved.content.text == "the plan"
    assert _attributions(claim_extractor, "The minutes of the last meeting were approved.") == []


def test_a_premise_in_a_that_clause_is_a_view_even_in_a_story_told_in_scenes(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        '"It is over," she says. "We lost," he says. '
        "The strategy assumes that a majority of delegates would then swarm to him."
    )
    assumes = _one(_attributions(claim_extractor, text), "assumes")
    assert assumes.content.text.startswith("that a majority of delegates")


def test_a_headlines_label_is_no_turn_over_the_article(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Obama: The Trends Are 'Terrifying.'\n\n"
        "Mr. Obama praised Richard M. Nixon and George Bush for their work on the environment. "
        "During his tour of Midway, he paused.\n\n"
        '"My hope," he said, "is that as ex-president I can have a little more time."\n'
    )
    assert _actors(claim_extractor, text)["said"] == "Obama"


def test_one_named_after_is_in_an_opinion_is_not_brought_on_to_speak(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Donald Trump has no policy team. Trump's one and only policy guy is the magnificent "
        "Stephen Miller. Maybe Trump is a fraud and he really wants fancy people to run it."
    )
    assert _actors(claim_extractor, text)["wants"] == "Donald Trump"


def test_the_owner_of_an_act_is_its_speaker(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Donald J. Trump criticised President George W. Bush. Mr. Trump's attack on Mr. Bush "
        "in a debate convinced many Republicans that Mr. Trump had gone too far."
    )
    assert _actors(claim_extractor, text)["convinced"] == "Donald J. Trump"


def test_an_i_after_a_label_the_rules_missed_is_not_the_turn_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "TAPPER: Governor, do you think he can heal the racial divides?\n\n"
        "FALLIN: Well, I think the whole nation needs to work together.\n\n"
        "TAPPER: Do you think Donald Trump has campaigned as a healer?\n"
    )
    assert _actors(claim_extractor, text).get("think") != "TAPPER"


def test_he_in_a_section_headed_by_whom_it_is_about_is_them(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Jeb Bush: Loans\n\nTeenagers might not be so lucky, according to Jason Delisle, an "
        "adviser.\n\nBernie Sanders: Credit scores On his campaign website, Senator Bernie "
        "Sanders calls for credit score reform. He does not offer further details.\n"
    )
    assert _actors(claim_extractor, text)["does not offer"] == "Bernie Sanders"


def test_a_relative_named_in_what_someone_insisted_is_not_the_he_two_sentences_on(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Admiral Harry Harris spoke to reporters on Tuesday. When his family moved back to "
        "Tennessee, his mother refused to teach him Japanese, insisting that her son was fully "
        'American. In that vein, the admiral does not dwell on his ancestry. "They try to '
        'demonize me," he said.'
    )
    assert _actors(claim_extractor, text)["said"] == "Harry Harris"


def test_a_surname_tagged_a_body_is_no_she_for_a_gender_guessed_later(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Bernie Sanders and Hillary Clinton met on stage Thursday.\n\n"
        "Sanders opened by saying Clinton had the experience to be president, but said he "
        "doubted her judgment on the Iraq war.\n\n"
        "Clinton answered that voters in New York had trusted her twice. She added that "
        "Sanders' interview with a newspaper had raised questions about his judgment.\n\n"
        "When Sanders accused Clinton of relying on Wall Street, she said she had stood up to "
        'the banks. Sanders shot back, "They must have been crushed by that."\n\n'
        "Clinton turned the issue to Sanders' failure to release his tax returns. Sanders said "
        "he would release them Friday.\n\n"
        "Clinton invoked President Obama and suggested that Sanders' critiques of her were "
        "attacks on Obama. In response to Sanders' charge that she has been weak on climate "
        "change, she said she and Obama had made progress."
    )
    found = [
        record.speaker.name if record.speaker else None
        for record in claim_extractor.extract(text)
        if record.attribution.content.text.startswith("she and Obama")
    ]
    assert found == ["Hillary Clinton"]
