"""Longform and what it says of who said what: a magazine feature that paraphrases its
interviewees at length, a book's chapter, an obituary that calls its subject by title and
surname among relatives of the same name, a profile, and a memoir in the first person, whose
people come back by a given name alone and whose asides close a clause before a semicolon."""

from __future__ import annotations

from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_surname_with_a_title_is_the_one_named_with_that_title(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Dr. Karim Haddad ran the clinic in Saraqib for a decade. His niece, Rana Haddad, said "
        "the building had been hit twice. Colonel Adel Masri said the town was calm. In 2016 "
        "Dr. Haddad moved to Idlib. He said later that the move had saved his life."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said", "said", "said"]
    assert found[2].content.text == "that the move had saved his life"
    names = [r.speaker.name if r.speaker else None for r in claim_extractor.extract(text)]
    assert names[2] == "Karim Haddad"


def test_an_honorific_says_which_of_a_family_is_meant(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Maria Lund, a surgeon, said the ward was full. Her husband, Peter Lund, ran the "
        "pharmacy next door. Mayor Tom Berg said the town would help. Mrs. Lund then left for "
        "the capital. He said later that the money had arrived."
    )
    names = [r.speaker.name if r.speaker else None for r in claim_extractor.extract(text)]
    assert names == ["Maria Lund", "Tom Berg", "Tom Berg"]


def test_a_person_whose_speeches_are_the_subject_is_whom_he_means(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Governor Paul Reyes toured the county on Friday. The pollster Dan Ortiz said the "
        "crowds had been small. These days, Mr. Reyes's speeches can be slow and rambling. By "
        "the end of the evening he said that the budget would balance."
    )
    names = [r.speaker.name if r.speaker else None for r in claim_extractor.extract(text)]
    assert names == ["Dan Ortiz", "Paul Reyes"]


def test_a_given_name_the_tagger_takes_for_a_body_is_the_person_named_so(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "My brother Anas woke me. He said that a plane had dropped something near the silos.\n\n"
        "Later President Assad said on television that the whole thing was fabricated.\n\n"
        "When the investigators published their report in October, Anas called me from "
        "Istanbul. He had read the whole thing on his phone."
    )
    found = claim_extractor.extract(text)
    read = next(r for r in found if r.attribution.cue.text == "had read")
    assert read.speaker is not None and read.speaker.name == "Anas"


def test_going_on_with_work_is_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = (
        "In 2015 the engineer Samir Aziz crossed into Lebanon. He continued to work at a "
        "school for refugees in Tripoli until last spring."
    )
    assert _attributions(claim_extractor, text) == []
    text = "She continued to insist that the samples had been tampered with."
    said = _one(_attributions(claim_extractor, text), "continued to insist")
    assert said.content.text == "that the samples had been tampered with"


def test_how_long_someone_talked_is_nothing_said(claim_extractor: ClaimExtractor) -> None:
    text = "When I visited him in March, he talked for nearly two hours."
    assert _attributions(claim_extractor, text) == []


def test_calling_someone_up_is_no_saying_but_calling_them_names_is(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "When the results came in, Hadi called me from Gaziantep."
    assert _attributions(claim_extractor, text) == []
    text = "The minister called him a liar on live television."
    called = _one(_attributions(claim_extractor, text), "called")
    assert called.content.text.startswith("him a liar")


def test_things_the_writer_calls_questions_are_asked_by_no_one(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "These are fair questions about the chain of custody."
    assert _attributions(claim_extractor, text) == []


def test_an_aside_before_a_semicolon_reports_the_clause_before_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Porters were carrying the wounded in whatever blankets they had, he explained; nobody "
        "had a stretcher."
    )
    explained = _one(_attributions(claim_extractor, text), "explained")
    assert (
        explained.content.text == "Porters were carrying the wounded in whatever blankets they had"
    )
    text = (
        "Most of the staff had gone home by then, the nurse recalled; only two doctors stayed "
        "behind."
    )
    recalled = _one(_attributions(claim_extractor, text), "recalled")
    assert recalled.content.text == "Most of the staff had gone home by then"


def test_as_someone_put_it_inside_a_clause_says_the_quotation_after_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'The ceasefire was, as one aid worker put it to me, "a pause for breath and nothing more."'
    )
    put = _one(_attributions(claim_extractor, text), "put")
    assert _source(put) == "one aid worker"
    assert put.content.text == '"a pause for breath and nothing more."'


def test_reading_about_a_subject_is_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = (
        "He had studied in Damascus and had read about nerve agents, but he had never treated "
        "a case."
    )
    assert _attributions(claim_extractor, text) == []


def test_what_a_body_was_set_up_to_do_is_no_claim(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The tribunal, which the three governments set up to try those accused of the "
        "massacre, met for the first time in May."
    )
    assert _attributions(claim_extractor, text) == []


def test_a_quotation_closed_before_its_speaker_leaves_the_narration_after(
    claim_extractor: ClaimExtractor,
) -> None:
    text = '"The report is out," she said, and then she was silent for a while.'
    said = _one(_attributions(claim_extractor, text), "said")
    assert said.content.text == '"The report is out,"'
    text = '"We will not leave," she said, "until the last patient is safe."'
    said = _one(_attributions(claim_extractor, text), "said")
    assert said.content.text.endswith('"until the last patient is safe."')


def test_what_was_sent_is_the_object_with_its_relative_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "A neighbour sent me a photograph in which the crater is clearly visible."
    sent = _one(_attributions(claim_extractor, text), "sent")
    assert sent.content.text == "a photograph in which the crater is clearly visible"


def test_a_description_runs_on_to_its_as_clause(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The engineers' study described the bridge as probably weakened by the flood, and "
        "found that the pillars were sound."
    )
    described = _one(_attributions(claim_extractor, text), "described")
    assert described.content.text == "the bridge as probably weakened by the flood"
