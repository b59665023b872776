"""Records of proceedings: a sworn declaration ("I, NAME, declare as follows:"), a court
transcript's cross-examination ("Q." and "A." lines, objections, "THE COURT:"), an appeals
judgment ("The Appellant argues …", "The Appeals Chamber recalls …"), an expert's report to a
court ("In my opinion …") and the minutes of a committee meeting ("Present:", "The Chair
noted …", "Action:")."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_declarations_opening_names_its_i(claim_extractor: ClaimExtractor) -> None:
    text = (
        "I, Rania Haddad, declare as follows:\n\n"
        "1. I am a nurse. I worked at a clinic in Saraqib until 2018.\n\n"
        "2. I believe that the gas came from a cylinder dropped on the roof.\n"
    )
    assert _actors(claim_extractor, text)["believe"] == "Rania Haddad"


def test_an_expert_reports_title_names_its_i(claim_extractor: ClaimExtractor) -> None:
    text = (
        "EXPERT REPORT OF PROF. TOMAS RIEDEL\n\n"
        "1. I consider that the cylinder fell from a height onto the balcony.\n"
    )
    assert _actors(claim_extractor, text)["consider"] == "Tomas Riedel"


def test_a_question_lines_label_is_no_part_of_the_source(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Q. Professor Lund has argued that the cylinder was placed by hand. You have read "
        "his paper?\n\n"
        "A. I have.\n"
    )
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "has argued")) == "Professor Lund"
    assert _actors(claim_extractor, text)["has argued"] == "Lund"


def test_what_you_are_asked_to_grant_is_no_claim(claim_extractor: ClaimExtractor) -> None:
    text = (
        "DR. ANA VOSS, having been sworn, testified as follows:\n\n"
        "Q. So you cannot say who sealed the crates?\n\n"
        "A. The log shows it.\n"
    )
    found = _attributions(claim_extractor, text)
    assert all(_source(a) != "you" for a in found)


def test_a_cross_examiners_tag_is_no_part_of_what_was_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Q. And the Syrian delegation told the General Assembly that the whole incident was "
        "invented, correct?\n\n"
        "A. That was their position.\n"
    )
    found = _attributions(claim_extractor, text)
    assert _one(found, "told").content.text == "that the whole incident was invented"


def test_whom_counsel_argues_with_is_not_what_is_said(claim_extractor: ClaimExtractor) -> None:
    text = "MR. HALE: Objection. My friend is arguing with the expert.\n\nTHE COURT: Sustained.\n"
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == [":", ":"]


def test_a_passives_from_phrase_naming_no_one_is_no_source(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The transfer of custody was documented from the point of sampling."
    assert _attributions(claim_extractor, text) == []


def test_a_relative_clause_in_a_turn_stays_in_the_turn(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Dr. Omar Saleh, having been sworn, gave evidence as follows:\n\n"
        "Q. What was found in the soil?\n\n"
        "A. Traces of isopropanol were found, which the ministry had listed among its stocks.\n"
    )
    found = _attributions(claim_extractor, text)
    assert _one(found, ".").content.text.endswith("listed among its stocks")


def test_a_party_to_an_appeal_is_the_he_that_follows(claim_extractor: ClaimExtractor) -> None:
    text = (
        "12. The Respondent submits that the Chamber misread the logbook. He further argues "
        "that the helicopter could not have flown in such weather.\n"
    )
    assert _actors(claim_extractor, text)["argues"] == "Respondent"


def test_a_roman_section_heading_is_no_speaker(claim_extractor: ClaimExtractor) -> None:
    text = (
        "IV. SECOND GROUND OF APPEAL: THE WITNESS EVIDENCE\n\n"
        "52. The Appellant submits that the witnesses were coached.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["submits"]


def test_considering_that_account_says_nothing(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The Defence responds that the Pre-Trial Chamber expressly considered that account and "
        "rejected it."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["responds"]


def test_according_to_which_gives_the_phrase_before_it(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The court set aside the ministry's statement of 3 May, according to which the "
        "helicopter had been grounded for repairs."
    )
    found = _attributions(claim_extractor, text)
    according = _one(found, "according to")
    assert according.content.text.startswith("the helicopter had been grounded")
    assert _source(according) == "the ministry's statement of 3 May"


def test_an_account_given_by_a_body_is_its_claim(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The Defence relies on the account given by the air force command, according to which "
        "no aircraft took off that morning."
    )
    found = _attributions(claim_extractor, text)
    given = _one(found, "given")
    assert given.content.text.startswith("no aircraft took off")
    assert _source(given) == "air force command"


def test_minutes_labels_are_no_speakers(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Present: Mr. J. Holt (Chair), Ms. K. Ide, Dr. F. Amato\n"
        "Apologies: Mr. S. Rao\n\n"
        "The Chair said that the hearing would be held in public.\n\n"
        "Action: Secretariat to circulate the briefing paper before the next meeting.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]
    assert _actors(claim_extractor, text)["said"] == "J. Holt"


def test_welcoming_a_guest_says_nothing(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The Convenor welcomed Dr. M. Kline, head of the verification unit. The Convenor "
        "welcomed the publication of the inspectors' report."
    )
    found = _attributions(claim_extractor, text)
    assert [a.content.text for a in found] == ["the publication of the inspectors' report"]


def test_minutes_adopted_in_the_passive_are_no_claim(claim_extractor: ClaimExtractor) -> None:
    text = "The agenda for the session was approved without a vote."
    assert _attributions(claim_extractor, text) == []


def test_a_sworn_witnesss_as_follows_is_not_counsels_question(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "DR. ANA VOSS, having been sworn, testified as follows:\n\n"
        "Q. Where were you on the morning of 4 April?\n\n"
        "A. In Idlib.\n"
    )
    found = _attributions(claim_extractor, text)
    assert all(not a.content.text.startswith("Q.") for a in found)


def test_a_claim_noted_in_a_record_is_its_makers(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The rapporteur recalled that the Syrian delegation had denied that any helicopter "
        "flew that day."
    )
    found = _attributions(claim_extractor, text)
    denied = _one(found, "had denied")
    assert _source(denied) == "the Syrian delegation"
    assert denied.content.text == "that any helicopter flew that day"


def test_both_are_the_two_named_just_before(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The panel interviewed two nurses from the clinic. Both said that the patients had "
        "pinpoint pupils."
    )
    assert _actors(claim_extractor, text)["said"] == "nurses"
