"""Texts of diplomacy: readouts of leaders' telephone calls, a joint communiqué of foreign
ministers in numbered paragraphs, a chair's summary of a conference ("Participants stressed",
"Several delegations", "The Chair noted"), a note verbale from a ministry to an embassy, and a
spokesperson's noon briefing with the correspondents' questions, as a web page gives it."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_bold_label_of_a_page_taken_down_as_markdown_marks_a_turn(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "**Question**: Has the envoy met the opposition?\n\n"
        "**Deputy Spokesman**: He met them on Tuesday in Geneva.\n\n"
        "**Question:** And the Government?\n\n"
        "**Deputy Spokesman:** Not yet, as far as I know.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.cue.text) for a in found] == [
        ("Deputy Spokesman", ":"),
        ("Deputy Spokesman", ":"),
    ]
    assert found[0].content.text.startswith("He met them on Tuesday")


def test_a_spokesmans_turns_are_the_one_the_briefing_names_in_that_role(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Noon briefing by Maria Lindqvist, Spokesperson for the High Commissioner.\n\n"
        "Spokesperson: The team has reached the border crossing.\n\n"
        "Question: When will it report?\n\n"
        "Spokesperson: In the coming weeks.\n"
    )
    assert set(_actors(claim_extractor, text).values()) == {"Maria Lindqvist"}


def test_what_the_room_has_seen_is_no_saying_of_the_hearer(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Good morning. As you will have seen, yesterday the High Commissioner transmitted to "
        "the Human Rights Council the final report of the mission."
    )
    assert _attributions(claim_extractor, text) == []


def test_in_view_of_gives_a_reason_and_no_ones_view(claim_extractor: ClaimExtractor) -> None:
    text = (
        "In view of these violations, the Government is withdrawing its ambassador. "
        "In the view of the Commission, the violations are grave."
    )
    found = _attributions(claim_extractor, text)
    assert [_source(a) for a in found] == ["the Commission"]


def test_a_colon_inside_a_headings_bracket_names_no_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Final Communiqué (extract: Yemen)\n\n"
        "We call on the parties to respect the truce and to open the port of Hodeidah.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["call on"]


def test_they_after_several_delegations_are_those_delegations(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Several delegations welcomed that the Assembly had adopted the resolution. They "
        "stressed that the inquiry must be independent."
    )
    assert _actors(claim_extractor, text)["stressed"] == "Several delegations"


def test_the_chair_of_a_meeting_is_a_person_whom_he_means(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Opening the session, the Chair recalled that the panel had met twice. He noted "
        "that its report would be issued in March."
    )
    assert _actors(claim_extractor, text)["noted"] == "Chair"


def test_participants_without_a_qualifier_are_all_of_them(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Civil society participants described threats against their staff. Participants "
        "agreed that the next meeting would be held in Nairobi."
    )
    assert _actors(claim_extractor, text)["agreed"] == "Participants"


def test_a_note_verbales_ministry_is_its_sender_after_another_ministry_is_quoted(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Ministry of Foreign Affairs of the Republic of Ruritania presents its compliments "
        "to the Embassy of Freedonia and has the honour to state the following.\n\n"
        "The Ministry rejects the allegation that Ruritanian troops crossed the border. As the "
        "Ministry of the Interior has stated, no unit was deployed in the area.\n\n"
        "The Ministry demands that the Embassy's statement of 3 May be withdrawn.\n"
    )
    found = _attributions(claim_extractor, text)
    assert _one(found, "rejects") is not None
    actors = _actors(claim_extractor, text)
    assert actors["rejects"] == actors["demands"]
    assert "Interior" not in str(actors["demands"])
