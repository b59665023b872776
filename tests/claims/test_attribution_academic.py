"""Texts of the academic register: a journal article's discussion with its citations, a letter
to a journal's editor and the authors' reply, a conference abstract, a peer-review report with
the editor's letter below it, and a thesis chapter's review of the literature."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_as_a_cited_work_notes_its_finding_is_the_clause_after_the_comma(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Finally, as Moreau (2016) notes, the archive was never opened to researchers."
    found = _attributions(claim_extractor, text)
    notes = _one(found, "notes")
    assert _source(notes) == "Moreau (2016)"
    assert notes.content.text == "the archive was never opened to researchers"
    assert _actors(claim_extractor, text)["notes"] == "Moreau"


def test_a_bracketed_citation_after_the_verb_is_where_they_wrote_not_what_they_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "As two earlier studies have shown (Park, 2016; Diaz and Hale, 2019), the ward filled "
        "within an hour of the strike."
    )
    shown = _one(_attributions(claim_extractor, text), "have shown")
    assert shown.content.text == "the ward filled within an hour of the strike"


def test_patients_admitted_to_a_ward_concede_nothing(claim_extractor: ClaimExtractor) -> None:
    text = "By noon, forty children had been admitted to the ward at Binnish."
    assert [a.cue.text for a in _attributions(claim_extractor, text)] == []


def test_a_cited_work_before_a_verb_the_parse_left_without_subject_is_its_subject(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "To the Editor:\n\n"
        "In their recent survey, Ortega et al. (2019) conclude that the plume drifted west."
    )
    conclude = _one(_attributions(claim_extractor, text), "conclude")
    assert _source(conclude) == "Ortega et al. (2019)"
    assert _actors(claim_extractor, text)["conclude"] == "Ortega"


def test_a_verb_in_the_third_person_read_as_a_plural_noun_still_speaks(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "I could not find the source of this number; the Commission states that it spoke "
        "to nine doctors."
    )
    states = _one(_attributions(claim_extractor, text), "states")
    assert _source(states) == "the Commission"
    assert states.content.text == "that it spoke to nine doctors"


def test_a_body_that_recorded_that_something_happened_states_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The inspectors recorded that the seals on the storeroom door had been broken."
    recorded = _one(_attributions(claim_extractor, text), "recorded")
    assert _source(recorded) == "The inspectors"
    assert recorded.content.text == "that the seals on the storeroom door had been broken"


def test_recording_a_video_is_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = "The volunteers recorded a video of the crater before noon."
    assert [a.cue.text for a in _attributions(claim_extractor, text)] == []


def test_a_numbered_session_and_its_title_are_no_speaker_and_saying(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Session 2A: Remote Sensing and Conflict Monitoring\n\n"
        "Chair: Prof. L. Amato\n\n"
        "The first paper argued that radar imagery can date a crater."
    )
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.cue.text) for a in found] == [("The first paper", "argued")]


def test_a_structured_abstracts_heading_is_no_part_of_what_was_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Background: Nine people died in the raid on the market, according to local medics."
    according = _one(_attributions(claim_extractor, text), "according to")
    assert according.content.text == "Nine people died in the raid on the market"


def test_who_funded_the_work_is_no_backing_of_a_view(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Funding: This study was funded by the National Research Council.\n"
        "The research was supported by a grant from the Wellcome Trust."
    )
    assert [a.cue.text for a in _attributions(claim_extractor, text)] == []


def test_the_i_of_a_referees_part_is_the_referee_headed_above_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Reviewer 1\n\n"
        "The study is useful. I think that the sample is too small to support the claims.\n\n"
        "Reviewer 2\n\n"
        "I believe that the paper should be accepted with minor changes.\n\n"
        "Editor's letter\n\n"
        "Dear Dr Ruiz,\n\n"
        "I agree that the sample should be enlarged.\n\n"
        "Yours sincerely,\n"
        "Prof. Anna Berg\n"
    )
    assert _actors(claim_extractor, text) == {
        "think": "Reviewer 1",
        "believe": "Reviewer 2",
        "agree": "Anna Berg",
    }


def test_it_would_be_wrong_to_dismiss_is_no_one_dismissing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "It would be wrong, however, to dismiss these accounts out of hand."
    assert [a.cue.text for a in _attributions(claim_extractor, text)] == []


def test_in_a_list_of_who_said_what_the_later_speaker_said_their_own_object(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The officials gave different accounts: the mayor claimed that the well had been "
        "poisoned, the governor later suggested a gas leak."
    )
    suggested = _one(_attributions(claim_extractor, text), "suggested")
    assert suggested.content.text == "a gas leak"


def test_my_concern_is_that_is_mine(claim_extractor: ClaimExtractor) -> None:
    text = (
        "My main concern is that the authors do not engage with the objections the inspectors "
        "themselves raised, notably sampling dates that seem far too late."
    )
    concern = _one(_attributions(claim_extractor, text), "concern")
    assert _source(concern) == "My"
    assert concern.content.text.startswith("that the authors do not engage")


def test_a_claim_made_by_someone_is_theirs(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The paper revisits the claim, made by the governor in a radio interview, that the "
        "fire was set deliberately."
    )
    claim = _one(_attributions(claim_extractor, text), "claim")
    assert _source(claim) == "the governor"
    assert claim.content.text == "that the fire was set deliberately"


def test_for_a_cited_author_the_view_is_theirs(claim_extractor: ClaimExtractor) -> None:
    text = "For Alvarez and colleagues (2012), the hospital logs are the only reliable record."
    view = _one(_attributions(claim_extractor, text), "For")
    assert _source(view) == "Alvarez and colleagues (2012)"
    assert view.content.text == "the hospital logs are the only reliable record"
    assert _actors(claim_extractor, text)["For"] == "Alvarez"


def test_the_authors_after_a_letters_own_we_are_the_work_cited(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Ortega and Lim (2019) conclude that the plume drifted west. We do not dispute "
        "this, but the authors state that the wind was steady all morning."
    )
    assert _actors(claim_extractor, text)["state"] == "Ortega and Lim"


def test_a_report_before_a_verb_of_telling_stays_what_was_told(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Moscow insists that the samples be shared, the deputy minister told journalists."
    told = _one(_attributions(claim_extractor, text), "told")
    assert told.content.text.startswith("Moscow insists")


def test_a_judgement_keeps_its_adjective_with_the_object(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The panel met twice and judged the second account less credible than the first."
    judged = _one(_attributions(claim_extractor, text), "judged")
    assert judged.content.text == "the second account less credible than the first"


def test_a_participle_of_saying_after_a_joined_verb_is_its_subjects(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The commission visited the site and judged it unsafe, noting that the walls of the "
        "depot had collapsed."
    )
    noting = _one(_attributions(claim_extractor, text), "noting")
    assert _source(noting) == "The commission"
    assert noting.content.text == "that the walls of the depot had collapsed"


def test_it_after_and_is_the_subject_of_the_clause_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The envoy met the minister on Friday. The tribunal did not dismiss the charge, and "
        "it stated that the evidence would be heard in full."
    )
    assert _actors(claim_extractor, text)["stated"] == "tribunal"


def test_those_mistaken_in_suggesting_something_suggested_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The critics are mistaken in suggesting that the samples were planted after the raid."
    suggesting = _one(_attributions(claim_extractor, text), "suggesting")
    assert _source(suggesting) == "The critics"
    assert suggesting.content.text == "that the samples were planted after the raid"


def test_the_authors_stay_the_cited_ones_through_the_paragraph(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Ortega and Lim (2019) conclude that the plume drifted west. The authors state that "
        "the wind was steady. According to a farmer we met, it changed twice that morning. "
        "The authors argue that the change would not alter the result."
    )
    actors = _actors(claim_extractor, text)
    assert actors["state"] == actors["argue"] == "Ortega and Lim"


def test_a_letter_to_the_editor_and_the_reply_speak_for_those_who_sign_them(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "To the Editor:\n\n"
        "We believe that the survey by Ortega and Lim undercounts the injured.\n\n"
        "Maria Santos, MD\n"
        "General Hospital, Porto\n\n"
        "Tomas Berger, PhD\n"
        "University of Graz\n\n"
        "Authors' reply\n\n"
        "We accept that the count of the injured was incomplete.\n\n"
        "Ana Ortega, Wen Lim\n"
    )
    assert _actors(claim_extractor, text) == {
        "believe": "Maria Santos and Tomas Berger",
        "accept": "Ana Ortega and Wen Lim",
    }


def test_they_opening_a_sentence_are_the_plural_subject_before_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The minister spoke on Monday. The authors revisit the hospital logs. They argue that "
        "the clocks were wrong."
    )
    assert _actors(claim_extractor, text)["argue"] == "authors"
