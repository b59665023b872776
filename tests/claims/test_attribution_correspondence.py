"""Correspondence and internal documents: an e-mail chain with its headers and quoted replies,
a memorandum with its header fields and numbered paragraphs, a formal letter signed under its
closing, a law firm's release for its clients, and a survey's summary of what respondents said."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_the_header_fields_of_a_mail_or_a_memo_are_no_speakers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "From: Omar Bakri <o.bakri@aidnet.org>\n"
        "To: Field Team <field@aidnet.org>\n"
        "Cc: Lena Fischer <l.fischer@aidnet.org>\n"
        "Date: Mon, 10 Apr 2017 08:05\n"
        "Subject: Saraqib clinic\n\n"
        "The clinic said it had run out of atropine.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]
    memo = (
        "MEMORANDUM FOR: Head of Section\n"
        "FROM: Ruth Ames, Desk Officer\n"
        "CLASSIFICATION: RESTRICTED\n\n"
        "1. The embassy reported that the road to Hama was closed.\n"
    )
    assert [_source(a) for a in _attributions(claim_extractor, memo)] == ["The embassy"]


def test_an_i_in_a_mail_chain_is_the_writer_of_the_mail_it_stands_in(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "From: Omar Bakri <o.bakri@aidnet.org>\n"
        "Subject: RE: supplies\n\n"
        "I told the warehouse that the masks must go first.\n\n"
        "On 9 Apr 2017, at 17:40, Lena Fischer <l.fischer@aidnet.org> wrote:\n\n"
        "> The pharmacist says the stock of atropine will last two days.\n"
        "> I promised him that a lorry would come on Tuesday.\n"
        ">\n"
        "> On Sun, 9 Apr 2017 at 08:02 AM Sami Aziz <s.aziz@aidnet.org> wrote:\n"
        ">> I warned the council that the road would be cut.\n"
    )
    found = _actors(claim_extractor, text)
    assert found["told"] == "Omar Bakri"
    assert found["promised"] == "Lena Fischer"
    assert found["says"] == "pharmacist"
    assert found["warned"] == "Sami Aziz"


def test_a_letters_i_is_the_name_signed_under_its_closing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Dear Minister,\n\n"
        "The ambassador has told us that the inquiry will not resume this year. "
        "I would ask that you raise the matter in Brussels.\n\n"
        "Yours faithfully,\n\n"
        "Prof. Daniel Okafor\n"
        "Chair, Society of Emergency Physicians\n"
    )
    found = _actors(claim_extractor, text)
    assert found["would ask"] == "Daniel Okafor"


def test_a_share_that_opens_a_line_keeps_its_figure(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Main results\n\n"
        "57 per cent of those interviewed said they had lost a relative in the war.\n"
    )
    said = _one(_attributions(claim_extractor, text), "said")
    assert _source(said) == "57 per cent of those interviewed"


def test_it_after_a_panels_finding_is_the_panel_not_the_state_it_named(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Appeals Panel stated that it was satisfied the Republic of Kordia had broken the "
        "treaty. The judges heard eleven witnesses. It found that the records were incomplete."
    )
    assert _actors(claim_extractor, text)["found"] == "Appeals Panel"


def test_a_second_verb_the_parser_hangs_inside_the_clause_is_the_speakers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The court found that the order had been given by the general but deemed the "
        "evidence against his deputy weak."
    )
    found = _attributions(claim_extractor, text)
    assert _one(found, "found").content.text == "that the order had been given by the general"
    deemed = _one(found, "deemed")
    assert _source(deemed) == "The court"
    assert deemed.content.text == "the evidence against his deputy weak"


def test_what_one_expects_another_to_do_is_no_saying_of_theirs(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Our office expects China to veto the draft resolution on Thursday."
    found = _attributions(claim_extractor, text)
    assert all(_source(a) != "China" for a in found)


def test_what_a_draft_should_say_is_an_instruction_not_a_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The press statement should say that the convoy reached Douma safely."
    found = _attributions(claim_extractor, text)
    assert all(a.cue.text != "should say" for a in found)


def test_a_mails_flags_and_a_memos_routing_lines_are_no_speakers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Importance: High\n"
        "THROUGH: Deputy Director\n"
        "REF: Your minute of 5 April\n"
        "ATTN: Legal Adviser\n\n"
        "The base commander told our driver that the jets had been moved.\n\n"
        "Contact: Jane Doe, +41 22 555 0000\n"
    )
    assert [_source(a) for a in _attributions(claim_extractor, text)] == ["The base commander"]


def test_a_letters_signer_with_degrees_after_the_name(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Dear Dr Lee,\n\n"
        "I believe the samples from the crater were handled properly.\n\n"
        "Sincerely,\n"
        "Tom Reid, MD\n"
        "Director, Forensic Unit\n"
    )
    assert _actors(claim_extractor, text)["believe"] == "Tom Reid"
