"""Speech that reaches the page through an interpreter or a translator: a press conference
with consecutive interpretation, an interview printed as questions and answers, a report
quoting words in another language with their gloss in brackets, a video's subtitles with
bracketed speakers and notes of sound, and a statement given in two languages."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_an_interpreters_turn_is_the_ministers_and_so_is_its_we(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Briefing by the Foreign Minister of Ruritania, Anton Petrak, 3 May 2018\n\n"
        "PETRAK (in Ruritanian): Thank you all for coming.\n\n"
        "INTERPRETER: Thank you all for coming. We reject the report of the inspectors.\n\n"
        "INTERPRETER: The minister says that the samples were never sealed.\n"
    )
    found = _attributions(claim_extractor, text)
    turns = [a for a in found if a.cue.text == ":"]
    assert [_source(a) for a in turns] == ["PETRAK", "INTERPRETER", "INTERPRETER"]
    named = _actors(claim_extractor, text)
    assert named["reject"] == "Anton Petrak"
    assert named["says"] == "Anton Petrak"
    records = claim_extractor.extract(text)
    assert {r.speaker.name for r in records if r.speaker is not None} == {"Anton Petrak"}


def test_a_question_labelled_with_its_outlet_and_language_asks_and_so_does_its_interpreting(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "MINISTER: We have nothing to add.\n\n"
        "QUESTION (Al Jazeera) [translated from Arabic]: Will you let the inspectors in?\n\n"
        "INTERPRETER (into Ruritanian): Will you let the inspectors in?\n\n"
        "QUESTION (AP, in English): When did the planes take off?\n\n"
        "MINISTER: No planes took off that morning.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.content.text) for a in found if a.cue.text == ":"] == [
        ("MINISTER", "We have nothing to add"),
        ("MINISTER", "No planes took off that morning"),
    ]


def test_a_turn_of_sounds_alone_says_nothing_and_a_note_opening_a_turn_is_cut(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "HOST: Were you at the hospital?\n\n"
        "GUEST: [inaudible]\n\n"
        "HOST: Sorry, the line is bad.\n\n"
        "GUEST: (laughs) Every doctor in the province was there.\n"
    )
    found = _attributions(claim_extractor, text)
    guest = [a for a in found if _source(a) == "GUEST"]
    assert [a.content.text for a in guest] == ["Every doctor in the province was there"]


def test_an_answer_opening_with_a_note_of_laughter_is_the_words_after_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "An interview with Samir Haddad, a nurse, conducted through an interpreter.\n\n"
        "Q: The army says nobody died.\n"
        "A: (sighs) I washed the bodies myself.\n"
    )
    found = _attributions(claim_extractor, text)
    answer = next(a for a in found if _source(a) == "A")
    assert answer.content.text == "I washed the bodies myself"


def test_a_subtitle_speaker_described_in_brackets_speaks_and_a_caption_does_not(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "00:00:01 --> 00:00:04\n"
        "[Sirens]\n\n"
        "00:00:05 --> 00:00:09\n"
        "[Old woman, weeping]: They took my grandson to Turkey.\n\n"
        "00:00:10 --> 00:00:12\n"
        "[Caption: Saraqib, 4 February 2018]\n\n"
        "00:00:13 --> 00:00:16\n"
        "[Medic in a green vest]: [inaudible] ...chlorine, you can smell it.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.content.text) for a in found] == [
        ("Old woman", "They took my grandson to Turkey"),
        ("Medic in a green vest", "...chlorine, you can smell it"),
    ]


def test_a_quotation_glossed_in_brackets_is_what_its_speaker_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        '"Ya Allah" [O God], an old man cried as the rescuers carried the boy out. '
        '"Ma fi dawa" (there is no medicine), the nurse told us.'
    )
    found = _attributions(claim_extractor, text)
    cried = _one(found, "cried")
    assert cried.content.text == '"Ya Allah" [O God]'
    assert _source(cried) == "an old man"
    told = _one(found, "told")
    assert told.content.text == '"Ma fi dawa" (there is no medicine)'
    assert _source(told) == "the nurse"


def test_an_aside_after_a_relative_clauses_verb_completes_that_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The villagers described a cloud that tasted, one farmer said, like bitter almonds."
    said = _one(_attributions(claim_extractor, text), "said")
    assert said.content.text == "that tasted like bitter almonds"
    assert _source(said) == "one farmer"


def test_a_verb_of_saying_read_as_a_noun_after_a_long_plural_subject_still_says(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The nurses who treated the wounded report that most of them had pinpoint pupils."
    found = _attributions(claim_extractor, text)
    report = _one(found, "report")
    assert report.content.text.startswith("that most of them had pinpoint pupils")
    assert _source(report) == "The nurses who treated the wounded"


def test_a_claim_of_an_unnamed_body_after_of_is_its_own(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The ministry dismissed the claims of the army and its militias that the clinic had "
        "been a rebel base."
    )
    found = _attributions(claim_extractor, text)
    claims = _one(found, "claims")
    assert _source(claims) == "the army and its militias"
    assert claims.content.text.startswith("that the clinic had been a rebel base")


def test_a_town_counting_its_dead_gives_no_toll_but_a_figure_does(
    claim_extractor: ClaimExtractor,
) -> None:
    assert not [
        a
        for a in _attributions(claim_extractor, "A village counts its dead and its losses.")
        if a.cue.text == "counts"
    ]
    counted = _one(_attributions(claim_extractor, "The directorate counted 41 dead."), "counted")
    assert counted.content.text.startswith("41 dead")


def test_a_gloss_opening_what_was_said_brings_the_words_it_glosses(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The road was still closed. Alhamdulillah [praise be to God], one driver said, the boy lived."
    said = _one(_attributions(claim_extractor, text), "said")
    assert said.content.text.startswith("Alhamdulillah [praise be to God]")
    assert said.content.text.endswith("the boy lived")
