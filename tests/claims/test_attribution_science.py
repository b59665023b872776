"""Texts of scientific and technical communication: a preprint's abstract and discussion, a
peer review report, a conference report on a keynote and its panels, a laboratory's analytical
note, and a university's press release about a study."""

from __future__ import annotations

from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_manuscripts_front_matter_and_a_reports_signing_lines_say_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Manuscript ID: ENV-2019-0077\n"
        "Title: Chlorine residues in the soil of Saraqib\n"
        "Decision: Minor revision\n\n"
        "The authors claim that the residues are recent.\n\n"
        "Laboratory: Trace Analysis Group\n"
        "Checked by: Dr. M. J. Okoro\n"
        "Correspondence: j.doe@example.net\n"
    )
    found = _attributions(claim_extractor, text)
    assert [item.cue.text for item in found] == ["claim"]


def test_a_transcripts_speaker_label_still_speaks_when_it_says_more_than_a_name(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "ANALYST: The cylinder was dropped from above.\nReporter: K. Varga\n"
    found = _attributions(claim_extractor, text)
    assert [(_source(item), item.content.text) for item in found] == [
        ("ANALYST", "The cylinder was dropped from above")
    ]


def test_a_hyphened_title_before_a_name_stays_in_the_source(
    claim_extractor: ClaimExtractor,
) -> None:
    text = '"The trial was too small to tell," said co-investigator Dr. Lena Ode, a chemist.'
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "said")) == "co-investigator Dr. Lena Ode, a chemist"


def test_a_papers_authors_cited_with_et_al_keep_the_abbreviations_stop(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Kim et al. reported that the agent degraded within days of the release."
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "reported")) == "Kim et al."


def test_a_turn_opened_by_recalling_gives_the_recalling_its_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The senator began by noting that the budget for inspections had doubled since 2015."
    found = _attributions(claim_extractor, text)
    noting = _one(found, "noting")
    assert noting.content.text == "that the budget for inspections had doubled since 2015"
    assert _source(noting) == "The senator"
