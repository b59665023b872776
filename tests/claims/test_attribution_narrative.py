"""Long-form and narrative writing: a magazine feature told in the present ("she says", "he
goes on", scenes between the quotations), a book's first-person narrator reporting what others
told them, an oral history whose testimonies each stand under the witness's name, a profile
that tells what its subject thought (which is no claim), and an obituary quoting colleagues."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_quotation_tagged_with_going_on_or_a_gesture_is_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'Nadia Karim runs the pharmacy by the mosque. "We had no antidote left," she says. '
        '"The first boy we lost was eleven," she goes on. "Write what you like," Karim '
        'sighs. "Nobody comes back to check."'
    )
    found = _attributions(claim_extractor, text)
    assert _one(found, "goes on").content.text.startswith('"The first boy')
    sighs = _one(found, "sighs")
    assert _source(sighs) == "Karim"
    assert "Nobody comes back" in sighs.content.text
    assert set(_actors(claim_extractor, text).values()) == {"Nadia Karim"}


def test_an_inverted_memory_tag_gives_the_speaker_with_what_describes_them(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "\"She came in shaking and asked us, 'Is it the gas?',\" recalled Dr. Salim Nour, "
        "who ran the ward that night."
    )
    found = _attributions(claim_extractor, text)
    recalled = _one(found, "recalled")
    assert _source(recalled) == "Dr. Salim Nour, who ran the ward that night"
    assert recalled.content.text.startswith('"She came in shaking')
    assert _actors(claim_extractor, text) == {"recalled": "Salim Nour"}


def test_a_shrug_of_a_question_or_a_walk_on_is_no_tag(claim_extractor: ClaimExtractor) -> None:
    text = "The minister shrugs off the question. Then she went on to Aleppo by car."
    assert _attributions(claim_extractor, text) == []


def test_a_title_line_of_long_form_writing_is_no_turn(claim_extractor: ClaimExtractor) -> None:
    for title in (
        'From Part Two: "The Hospital"',
        "LETTERS FROM IDLIB: A CORRESPONDENCE",
        "Obituary: a surgeon who stayed",
        "The Ward: an oral history",
    ):
        text = f"{title}\n\nThe clinic reopened in May."
        assert _attributions(claim_extractor, text) == [], title


def test_a_given_name_alone_after_the_full_name_is_the_same_person(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Layla Haddad, a pharmacist, says the shelves were empty by noon. Later, Layla recalls "
        "that the lorries never came."
    )
    found = _actors(claim_extractor, text)
    assert found["says"] == "Layla Haddad"
    assert found["recalls"] == "Layla Haddad"


def test_a_name_inside_the_quotation_is_not_whom_he_means(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Maren Holt spent the winter on the samples. She says the work was slow. Tomas Berg, "
        'her deputy, calls her tireless. "Maren checks everything twice," he says.'
    )
    said = [
        r.speaker.name if r.speaker else None
        for r in claim_extractor.extract(text)
        if r.attribution.content.text.startswith('"Maren')
    ]
    assert said == ["Tomas Berg"]


def test_a_person_introduced_by_name_is_whom_he_means(claim_extractor: ClaimExtractor) -> None:
    text = (
        "At the checkpoint we met a driver named Karim. He said the road had been shelled. "
        "My interpreter, a student I will call Hassan, stayed in the car."
    )
    assert _actors(claim_extractor, text) == {"said": "Karim"}


def test_whom_the_narrator_spoke_to_answers(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Bilal Saeed drove us north. I told Rami about the ministry's version. "
        '"At noon?" he asked. "We were already digging graves by then."'
    )
    assert _actors(claim_extractor, text)["asked"] == "Rami"


def test_a_document_read_out_is_its_owners(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The producer read us the Syrian Foreign Ministry's statement. The attack, it "
        "claimed, had been staged by the rescuers."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["claimed"]
    assert _actors(claim_extractor, text) == {"claimed": "Syrian Foreign Ministry"}


def test_a_place_set_before_the_subject_is_not_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Weeks later, in The Hague, a spokesman for the mission, who declined to be named, "
        "told me that the samples were positive."
    )
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "told")) == (
        "a spokesman for the mission, who declined to be named,"
    )


def test_a_parenthesis_inside_the_predicate_holds_the_whole_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The inspector was, colleagues say, furious but calm. He was, he says, never afraid."
    found = _attributions(claim_extractor, text)
    assert _one(found, "say").content.text == "The inspector was furious but calm"
    assert _one(found, "says").content.text.startswith("He was never afraid")


def test_a_testimony_heading_names_the_witness_who_says_i(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "WITNESSES\n\n"
        "KHALED M., 52, BAKER\n\n"
        "I saw the plane turn over the silos. My wife said it was a drill.\n\n"
        "HIBA S., 19, STUDENT\n\n"
        "I remember that the birds fell first.\n"
    )
    found = _actors(claim_extractor, text)
    assert found["saw"] == "Khaled M."
    assert found["remember"] == "Hiba S."


def test_a_thought_in_a_story_told_in_scenes_is_no_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'Karin Vos keeps the first sample jar on a shelf. "It was leaking," she says. In 2017 '
        "she read the lab notes and wondered who had sealed it. Newcomers assume the jar is "
        'empty. "I checked it twice," she says. Later she wondered aloud in an interview '
        "whether the seal had been broken on purpose."
    )
    cues = [a.cue.text for a in _attributions(claim_extractor, text)]
    assert cues.count("wondered") == 1
    assert "assume" not in cues


def test_thinking_about_a_thing_holds_no_claim(claim_extractor: ClaimExtractor) -> None:
    text = "I have thought about that morning every day since."
    assert _attributions(claim_extractor, text) == []


def test_a_bidding_and_an_announced_saying_are_no_claims(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        '"I want to say one thing first. Ask them to visit the graves," the farmer said. '
        "He looks out over the orchard toward the road."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_second_quotation_after_and_then_with_its_manner_is_the_same_speakers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'Samira Aziz drove the ambulance. "The road was full," she says, and then, almost '
        'angrily: "Nobody let us through."'
    )
    found = _attributions(claim_extractor, text)
    assert "Nobody let us through" in _one(found, "says").content.text
