"""Texts of medicine and rescue: a clinical case report in a journal (histories as patients'
relatives told them, the authors' findings, colleagues cited by name and "et al."), a
hospital's press statement, a toxicology laboratory's report of results to the body that asked
for them, a health cluster's situation report, and a transcribed ambulance radio log."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_case_reports_consent_and_funding_lines_are_fields(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Consent: Written informed consent was obtained from the patient's mother.\n"
        "Funding: The study received no external funding.\n"
    )
    assert _attributions(claim_extractor, text) == []


def test_a_reports_number_and_its_contact_line_are_fields(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Report No.: LAB-2018/0077\n"
        "Communications: Lina Haddad, Health Cluster Amman\n\n"
        "The clinic said that it had treated nine patients.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_each_transmission_of_a_radio_log_is_its_call_signs(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "09:02 CONTROL: All units, CONTROL. Fire reported at the market. Over.\n"
        "09:03 RESCUE 4: CONTROL, RESCUE 4. Moving now. Over.\n"
        "09:09 RESCUE 4: On scene. I think the gas line is broken. Over.\n"
        "09:10 CONTROL: RESCUE 4, copy. Keep back. Over.\n"
    )
    found = _attributions(claim_extractor, text)
    turns = [(_source(a), a.content.text.split(".")[0]) for a in found if a.cue.text == ":"]
    assert turns == [
        ("CONTROL", "All units, CONTROL"),
        ("RESCUE 4", "CONTROL, RESCUE 4"),
        ("RESCUE 4", "On scene"),
        ("CONTROL", "RESCUE 4, copy"),
    ]
    assert _actors(claim_extractor, text)["think"] == "RESCUE 4"


def test_supplies_delivered_are_no_ones_words(claim_extractor: ClaimExtractor) -> None:
    text = (
        "UNICEF has delivered 6 000 vials of insulin and 1 000 of glucagon to four clinics "
        "through the cross-border hub in Amman. The minister delivered a warning that the "
        "camps were full."
    )
    found = _attributions(claim_extractor, text)
    assert [_source(a) for a in found] == ["The minister"]


def test_a_version_of_a_speech_delivered_is_still_said(claim_extractor: ClaimExtractor) -> None:
    text = "The envoy delivered a shortened version of his address to the Council."
    found = _attributions(claim_extractor, text)
    assert [_source(a) for a in found] == ["The envoy"]


def test_a_participle_after_its_noun_has_found_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "In the view of the examiner, the levels found are typical of a fatal dose. "
        "The police said the man had been poisoned."
    )
    found = _attributions(claim_extractor, text)
    assert "found" not in [a.cue.text for a in found]
    assert _source(_one(found, "said")) == "The police"


def test_authors_cited_with_et_al_are_the_source_whole(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Lindqvist et al., writing on the Halabja survivors, reported that it was rare."
    found = _one(_attributions(claim_extractor, text), "reported")
    assert _source(found) == "Lindqvist et al."
    assert _actors(claim_extractor, text)["reported"] == "Lindqvist"
    text = "Moreau et al., writing on the Sardasht cases, did not report it among 90 patients."
    found = _one(_attributions(claim_extractor, text), "did not report")
    assert _source(found) == "Moreau et al."
    assert (_actors(claim_extractor, text)["did not report"] or "").startswith("Moreau")


def test_a_disease_first_described_by_someone_is_no_claim_of_theirs(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The syndrome was first described by Hartmann and Vogel in farm workers. The patient's "
        "wife said that he had sprayed the field the day before."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]
