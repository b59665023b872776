"""Texts of analysts: a government's declassified intelligence assessment, a think tank's policy
brief with its citations, a risk consultancy's note to its clients, a weapons expert's blog post
with its updates and its readers' comments, and the minutes of a university seminar's debate."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_thing_made_according_to_a_method_has_no_source(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The laboratory reported that the chlorine had been bottled according to the process "
        "used at the state plant."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["reported"]
    assert found[0].content.text.endswith("used at the state plant")


def test_what_is_assessed_with_confidence_is_the_that_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The analysts assess with a high degree of confidence that the mortar was made in Iran."
    found = _one(_attributions(claim_extractor, text), "assess")
    assert _source(found) == "The analysts"
    assert found.content.text == "that the mortar was made in Iran"


def test_a_document_saying_what_it_presents_claims_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "This report presents the results of the field survey. The survey team found that "
        "most wells were dry."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["found"]


def test_information_said_not_to_exist_is_still_read_as_news_reads_it(
    claim_extractor: ClaimExtractor,
) -> None:
    # news annotators mark "There is no public information showing whether …" as a relation
    # whose source is the information denied; the reading is kept, the source as written
    text = "There is no public information showing whether the donation complied with the law."
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.cue.text) for a in found] == [("no public information", "showing")]


def test_a_heading_opening_with_a_preposition_names_no_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Beyond the Veto: Rebuilding Trust in Inspections\n\n"
        "We argue that the inspectorate needs a standing budget."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["argue"]


def test_a_finding_verb_read_as_a_participle_still_finds(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'He told the paper that the case was "a hoax." The mission found in June that people '
        "had been exposed to chlorine."
    )
    found = _one(_attributions(claim_extractor, text), "found")
    assert _source(found) == "The mission"
    assert found.content.text == "that people had been exposed to chlorine"


def test_a_body_that_was_not_asked_to_say_is_asked_by_no_one(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The inquiry concluded that the dam failed, but it was not asked to name those responsible."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["concluded"]


def test_it_is_said_that_is_a_claim_of_no_one_named(claim_extractor: ClaimExtractor) -> None:
    text = "It is sometimes said that inspections only delay a war. We disagree."
    found = _attributions(claim_extractor, text)
    assert len(found) == 1
    assert _source(found[0]) is None
    assert found[0].content.text == "that inspections only delay a war"


def test_what_a_release_lets_out_did_is_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = (
        "On 12 May, a shell fired at the plant released a toxic gas that sickened forty workers. "
        "Doctors said most were treated for burns."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_photos_sent_are_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = "A reader in Idlib has sent me photos of what he says is the remnant of the fuse."
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["says"]


def test_messages_sent_are_still_sayings(claim_extractor: ClaimExtractor) -> None:
    text = "Leaders across Europe sent messages of sympathy and outrage."
    assert [a.cue.text for a in _attributions(claim_extractor, text)] == ["sent"]


def test_a_blogs_dated_byline_says_nothing_and_its_i_is_the_writer(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Posted on 3 May 2018 by Anna Berg | 12 comments\n\n"
        "I think the ministry has the range wrong."
    )
    assert _actors(claim_extractor, text) == {"think": "Anna Berg"}


def test_a_comment_heading_over_its_time_says_nothing(claim_extractor: ClaimExtractor) -> None:
    text = (
        "RangeFinder88 says:\n"
        "3 May 2018 at 14:05\n"
        "Nice post. The army has claimed the rockets were fired by rebels.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["has claimed"]


def test_a_video_released_says_what_it_holds(claim_extractor: ClaimExtractor) -> None:
    text = "The senator has released a video that accuses the envoy of lying to the Council."
    found = _one(_attributions(claim_extractor, text), "has released")
    assert _source(found) == "The senator"
