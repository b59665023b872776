"""Texts of non-governmental organisations at work in a war: a human-rights group's report
with its method and footnotes, an urgent action asking readers to write, a civil-defence
team's incident report in fields, an open-source archive's note verifying a video, and a
medical charity's press release. Their fields, the deeds of their teams and the signs of
their patients are written with verbs that also say things; what they say is listed."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_an_incident_forms_participle_field_is_no_saying(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "INCIDENT REPORT\n"
        "Date of incident: 12/03/2018\n"
        "Teams responding: Saraqib centre (Team 2), Ariha centre (ambulance unit)\n"
        "Steps taken: - Evacuation of the wounded to the field hospital\n\n"
        "The team leader said that the shelter had collapsed on two families.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_records_location_status_and_collection_are_no_speakers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Verification note: video 0318-SQ-007\n"
        "Collection: Saraqib chlorine attack, 4 February 2018\n"
        "Location: Saraqib, eastern neighbourhood\n"
        "Status: Unverified\n\n"
        "The uploader claims the footage was filmed at night.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["claims"]


def test_an_appeals_salutation_is_no_speaker(claim_extractor: ClaimExtractor) -> None:
    text = (
        "PLEASE SEND APPEALS TO:\n"
        "Minister of Interior\n"
        "Salutation: Dear Minister\n\n"
        "Her lawyer said she had not been charged.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_what_a_team_came_upon_is_no_finding(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Team 2 arrived at 08:15 and found six people unconscious in a basement. "
        "The inspectors arrived in the town and found that the samples had been moved."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["found"]
    assert found[0].content.text.startswith("that the samples")


def test_the_signs_patients_show_are_not_sayings(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The casualties showed shallow breathing and blurred vision. The surgeon said that "
        "none of them had burns."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_charity_backing_clinics_takes_no_stance(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The charity has worked in Yemen since 2016. The organisation runs and supports medical "
        "facilities in Taiz governorate and along the coast. Its director said the clinics "
        "were short of staff."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_second_verb_of_saying_tagged_as_a_noun_is_the_speakers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Committee to Protect Journalists has learned that the reporter was moved to a "
        "military prison in Sednaya, and fears that she will be tried before a field court."
    )
    found = _attributions(claim_extractor, text)
    fears = _one(found, "fears")
    assert _source(fears) == "The Committee to Protect Journalists"
    assert fears.content.text.startswith("that she will be tried")
    learned = _one(found, "has learned")
    assert "fears" not in learned.content.text
    named = _actors(claim_extractor, text)
    assert named["fears"] == named["has learned"]


def test_according_to_before_a_clause_of_time_vouches_for_the_toll(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Twelve people were treated for breathing difficulties in Saraqib, according to the "
        "civil defence, after a barrel bomb hit the eastern quarter."
    )
    found = _one(_attributions(claim_extractor, text), "according to")
    assert _source(found) == "the civil defence"
    assert found.content.text.startswith("Twelve people were treated")
