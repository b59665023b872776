"""Texts that open-source investigators, analysts and reference works write about an attack,
and what readers write back: a geolocation write-up and an imagery analysis note signed by a
team, an expert's signed post, an encyclopaedia article with its citation marks, a chronology
with its times in the left margin, a letters page, a podcast transcript and a readers'
questions explainer. Their "we" is the team a byline names, their citation marks and margin
times are no text, and a source asking not to be named claims nothing by asking."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_time_in_the_left_margin_is_no_part_of_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Timeline of the evening\n\n"
        "19:05   A nurse at the district hospital says the wards are full.\n\n"
        "20:15–20:40   Local officials report that the power has been cut."
    )
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "says")) == "A nurse at the district hospital"
    assert _source(_one(found, "report")) == "Local officials"


def test_citation_marks_inside_a_sentence_are_no_phrase_of_their_own(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "At least 40 people were killed, according to the provincial council,[4] while the "
        "health ministry put the toll at 52.[5][6]"
    )
    found = _attributions(claim_extractor, text)
    put = _one(found, "put")
    assert _source(put) == "the health ministry"
    assert put.content.text.startswith("the toll at 52")


def test_a_teams_byline_names_the_we_of_its_write_up(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Tracing the convoy\n\n"
        "By the Harbourlight research team\n\n"
        "We conclude that the trucks crossed the border before dawn."
    )
    assert _actors(claim_extractor, text)["conclude"] == "Harbourlight research team"


def test_a_posted_by_line_names_the_bloggers_i(claim_extractor: ClaimExtractor) -> None:
    text = (
        "A reply to my readers\n\n"
        "Posted by Anna Lindqvist, retired ballistics engineer, 3 June 2019\n\n"
        "I think the fragments came from a rocket, not a shell."
    )
    assert _actors(claim_extractor, text)["think"] == "Anna Lindqvist"


def test_asking_a_reporter_not_to_name_one_claims_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "A driver who asked the reporter not to identify him said the road had been closed "
        "since Monday."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_podcast_hosts_given_name_and_a_clips_surname_take_the_full_names(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Quiet Border, episode 7\n\n"
        "[Hosts: Maria Lindgren and Tom Okafor.]\n\n"
        "MARIA: Here is the governor, Pavel Sorokin, speaking on the day.\n\n"
        "[CLIP] SOROKIN (through an interpreter): The bridge was closed for repairs.\n\n"
        "TOM: That is not what the drivers told us."
    )
    actors = [
        (record.attribution.source.text if record.attribution.source else None, record.speaker)
        for record in claim_extractor.extract(text)
        if record.attribution.cue.text == ":"
    ]
    names = {source: speaker.name if speaker else None for source, speaker in actors}
    assert names == {"MARIA": "Maria Lindgren", "SOROKIN": "Pavel Sorokin", "TOM": "Tom Okafor"}


def test_a_phrase_before_a_semicolon_is_no_subject_of_the_verb_after_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Morning.\n\nPhotographs of the ward taken at dawn; the pictures show beds in the corridor."
    )
    found = _one(_attributions(claim_extractor, text), "show")
    assert _source(found) == "the pictures"
