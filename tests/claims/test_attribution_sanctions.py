"""Texts of bodies that act on an attack rather than report it: a treasury's sanctions
designation, a council's listing with its statement of reasons per person, a legislature's
resolution ("Whereas …", "Resolved, That …"), a head of state's readout of a call, and an
executive council's decision with its preambular and operative paragraphs."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_decision_titled_above_its_body_still_gives_the_body_its_paragraphs(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "DECISION OF THE BOARD\n"
        "ON THE USE OF CHLORINE IN SARAQIB\n\n"
        "The General Council,\n\n"
        "Noting with concern that two cylinders were found in the town,\n\n"
        "1. Deplores the use of toxic chemicals as weapons;\n\n"
        "2. Decides to review the matter at its next session.\n"
    )
    found = _attributions(claim_extractor, text)
    assert _one(found, "Deplores").content.text.startswith("the use of toxic chemicals")
    assert _one(found, "Noting").content.text.startswith("that two cylinders")
    assert set(_actors(claim_extractor, text).values()) == {"General Council"}


def test_a_preamble_without_a_clause_only_recites(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The General Council,\n\n"
        "Recalling its earlier decisions on the matter,\n\n"
        "1. Condemns the attack on the clinic.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["Condemns"]


def test_a_legislatures_resolving_clause_names_the_body_of_its_numbered_clauses(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Whereas the town was struck with chlorine on 4 February 2018: Now, therefore, be it\n\n"
        "Resolved, That the House of Delegates—\n\n"
        "(1) deplores the attack on the civilians of Saraqib; and\n\n"
        "(2) calls upon the Secretary of State to press for an inquiry.\n"
    )
    found = _attributions(claim_extractor, text)
    assert _one(found, "deplores").content.text.startswith("the attack on the civilians")
    called = _one(found, "calls upon")
    assert called.content.text.startswith("the Secretary of State to press")
    assert set(_actors(claim_extractor, text).values()) == {"House of Delegates"}


def test_what_a_directing_paragraph_orders_someone_to_state_is_no_claim_of_theirs(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The General Council,\n\n"
        "1. Requests that the ministry shall report the stocks it holds within 30 days.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["Requests"]


def test_a_listings_reasons_label_is_no_speaker(claim_extractor: ClaimExtractor) -> None:
    text = (
        "3. Major Samir Khoury\n\n"
        "Reasons: Head of logistics at the air base. Involved in loading the munitions.\n"
    )
    found = _attributions(claim_extractor, text)
    assert all(_source(a) != "Reasons" for a in found)


def test_whom_a_leader_spoke_with_is_not_what_was_said(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The Chancellor spoke today with President Anna Lindqvist of Finland about the "
        "attack on the hospital in Idlib."
    )
    found = _attributions(claim_extractor, text)
    assert not any(a.content.text.startswith("President Anna Lindqvist") for a in found)


def test_a_relative_after_a_preposition_of_place_is_no_content(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The minister said that the jets had returned to the base at Tiyas, from which the "
        "raid was launched."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_continuing_to_work_is_not_a_saying(claim_extractor: ClaimExtractor) -> None:
    text = "The two ministers pledged to continue working together in Geneva on the inquiry."
    assert all(a.cue.text != "to continue" for a in _attributions(claim_extractor, text))


def test_supporting_a_programme_is_aid_not_a_view(claim_extractor: ClaimExtractor) -> None:
    text = "As deputy director, she manages the laboratory and supports the missile programme."
    assert all(a.cue.text != "supports" for a in _attributions(claim_extractor, text))


def test_a_that_clause_after_a_dated_occasion_is_what_was_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The laboratory reported in its letter of 12 March 2018 that chlorine had been found."
    reported = _one(_attributions(claim_extractor, text), "reported")
    assert reported.content.text.startswith("that chlorine had been found")
