"""Legal papers: a court's summary of the evidence ("The Court finds …", "the witness
testified …"), a complaint ("Plaintiffs aver …", its caption naming the parties), a deposition
("TRANSCRIPT OF DEPOSITION OF …", "Q." and "A." lines), an appellant's brief ("Appellant
contends …", record citations in brackets) and a tribunal's press release."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_what_a_pleading_avers_is_a_claim(claim_extractor: ClaimExtractor) -> None:
    text = "14. The claimants aver that the warehouse was empty on the day of the strike."
    found = _attributions(claim_extractor, text)
    assert (
        _one(found, "aver").content.text == "that the warehouse was empty on the day of the strike"
    )


def test_what_an_inquiry_recorded_is_its_finding(claim_extractor: ClaimExtractor) -> None:
    text = "The panel recorded that two of the logbooks had been rewritten after the event."
    found = _attributions(claim_extractor, text)
    assert _one(found, "recorded").content.text.startswith("that two of the logbooks")


def test_a_thing_recorded_in_detail_is_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = 'His reaction is recorded in the minutes:\n\n"We will not sign this," he said.'
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_partys_place_before_its_name_is_no_part_of_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "7. Claimant Leila Mansour alleges that the clinic was hit twice within an hour."
    assert _actors(claim_extractor, text)["alleges"] == "Leila Mansour"


def test_a_surname_the_tagger_left_out_is_part_of_the_name(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The chemist Dr. Jonas Weil told the panel that the residue contained hexamine."
    assert _actors(claim_extractor, text)["told"] == "Jonas Weil"


def test_going_on_suffering_is_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = "She testified that her son continues to suffer from headaches and poor sight."
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["testified"]


def test_a_hearing_that_ended_at_an_hour_found_nothing(claim_extractor: ClaimExtractor) -> None:
    text = "The session concluded at 4:15 p.m. and will resume on Monday."
    assert _attributions(claim_extractor, text) == []


def test_a_conclusion_in_a_dated_summary_is_kept(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The ministry concluded in a report published on 2 May that the shells came from "
        "army stocks."
    )
    found = _attributions(claim_extractor, text)
    assert _one(found, "concluded").content.text.startswith("that the shells came")


def test_a_reason_is_not_what_was_remembered(claim_extractor: ClaimExtractor) -> None:
    text = "A. Just after dawn. I remember because the call to prayer had ended."
    found = _attributions(claim_extractor, text)
    assert all(a.cue.text != "remember" for a in found)


def test_as_a_body_found_gives_it_the_main_clause(claim_extractor: ClaimExtractor) -> None:
    text = "The fragments came from a thin-walled casing, as the Dutch forensic institute found."
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "found")) == "the Dutch forensic institute"
    assert _one(found, "found").content.text.startswith("The fragments came")


def test_as_we_found_is_the_writers_own(claim_extractor: ClaimExtractor) -> None:
    text = "The road was closed that morning, as we found."
    assert _attributions(claim_extractor, text) == []


def test_as_it_concluded_gives_the_clause_not_as(claim_extractor: ClaimExtractor) -> None:
    text = "The shells were filled at the base, as the commission concluded."
    found = _attributions(claim_extractor, text)
    assert _one(found, "concluded").content.text == "The shells were filled at the base"


def test_a_deposition_headings_name_in_capitals_names_the_answers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "DEPOSITION OF MS. HANA KARIMI\n\n"
        "EXAMINATION BY MR. LOWE:\n\n"
        "Q. Where were you that morning?\n"
        "A. In the school. The windows were open.\n"
    )
    assert _actors(claim_extractor, text)["."] == "Hana Karimi"


def test_a_captions_party_is_who_its_place_speaks_for(claim_extractor: ClaimExtractor) -> None:
    text = (
        "YUSUF KARAM,\n"
        "Petitioner,\n"
        "v.\n"
        "THE MINISTRY OF INTERIOR,\n"
        "Respondent.\n\n"
        "PETITION FOR REVIEW\n\n"
        "1. Petitioner contends that the order was made without a hearing.\n"
        "2. Respondent has stated that the hearing was waived.\n"
    )
    found = _actors(claim_extractor, text)
    assert found["contends"] == "Yusuf Karam"
    assert found["has stated"] == "Ministry of Interior"


def test_parties_in_a_place_held_by_many_stay_as_written(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "ANA SILVA, et al.,\n"
        "Plaintiffs,\n"
        "v.\n"
        "ACME SHIPPING LIMITED,\n"
        "Defendant.\n\n"
        "3. Plaintiffs allege that the cargo was mislabelled.\n"
    )
    assert _actors(claim_extractor, text)["allege"] == "Plaintiffs"


def test_a_subject_made_root_after_yet_still_speaks(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Yet the agency's own analyst, Mr. Pavel Horak, admitted at the hearing that he had "
        "never seen the site."
    )
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "admitted")) == "the agency's own analyst, Mr. Pavel Horak,"
    assert _actors(claim_extractor, text)["admitted"] == "Pavel Horak"


def test_who_of_a_writer_named_by_the_copula_is_that_party(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Mr. Okoro is a blogger who published two videos last year disputing the official "
        "casualty figures."
    )
    assert _actors(claim_extractor, text)["disputing"] == "Okoro"


def test_whether_anyone_said_is_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = (
        "EXAMINATION OF MR. TAREK NASSER\n\n"
        "Q. Did the pharmacist tell you what the tablets were?\n"
        "A. No. He only gave them to us.\n"
    )
    found = _attributions(claim_extractor, text)
    assert all(a.cue.text != "tell" for a in found)


def test_a_name_keeps_no_lone_quotation_mark(claim_extractor: ClaimExtractor) -> None:
    text = (
        'The newspaper quoted an anonymous "security source" who said the flights had been '
        "cancelled."
    )
    found = _actors(claim_extractor, text)
    assert found["said"] == "anonymous security source"


def test_told_them_so_gives_so_not_whom(claim_extractor: ClaimExtractor) -> None:
    text = "The log was incomplete. I told the inspectors so at the time."
    found = _attributions(claim_extractor, text)
    assert _one(found, "told").content.text == "so"


def test_the_statement_of_a_ministry_is_the_ministrys(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The claimant relied on the statement of the Ministry of Health of 9 May, according to which "
        "forty patients had been treated."
    )
    assert _actors(claim_extractor, text)["according to"] == "Ministry of Health"


def test_a_record_citation_is_no_part_of_what_was_said(claim_extractor: ClaimExtractor) -> None:
    text = "The witness described the cloud as yellow (Tr. 88:3-9), and the court accepted it."
    found = _attributions(claim_extractor, text)
    assert _one(found, "described").content.text == "the cloud as yellow"


def test_no_evidence_in_support_of_an_account_offers_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The respondent has produced no evidence in support of that version of events."
    assert _attributions(claim_extractor, text) == []


def test_not_accusing_anyone_is_no_accusation(claim_extractor: ClaimExtractor) -> None:
    text = "A reporter who asks about the delays does not accuse anyone of lying."
    found = _attributions(claim_extractor, text)
    assert all(a.cue.text != "accuse" for a in found)


def test_a_partys_document_speaks_for_the_party_its_caption_names(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "SAMIR HADDAD,\n"
        "Claimant,\n"
        "v.\n"
        "NORTHGATE PRESS LIMITED,\n"
        "Defendant.\n\n"
        "PARTICULARS OF CLAIM\n\n"
        "4. The defendant's article of 2 June says that the clinic never existed.\n"
    )
    assert _actors(claim_extractor, text)["says"] == "Northgate Press Limited"


def test_a_confirmation_noted_by_a_court_is_the_confirmers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The Chamber notes that the laboratory in Ankara confirmed the presence of chlorine."
    found = _attributions(claim_extractor, text)
    assert _one(found, "confirmed").content.text == "the presence of chlorine"
