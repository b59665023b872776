"""Opinion writing about an attack: a minister's signed op-ed in the first person, a paper's
editorial in its own "we", a columnist quoting opponents to mock them ("We are told that …",
"Critics will say …", rhetorical questions), a debate page with a writer under each side's
heading, and a reader's essay by a survivor."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_debate_pages_title_is_no_turn(claim_extractor: ClaimExtractor) -> None:
    text = (
        "THE DEBATE: Should the inspectors have gone to Douma sooner?\n\n"
        "The mission waited eleven days at the edge of the town.\n"
    )
    found = _attributions(claim_extractor, text)
    assert all(_source(a) != "THE DEBATE" for a in found)


def test_each_sides_i_is_the_writer_under_its_heading(claim_extractor: ClaimExtractor) -> None:
    text = (
        "FOR | Miriam Okafor, a former weapons inspector\n\n"
        "I believe that the samples from Douma were handled properly.\n\n"
        "AGAINST | Peter Lund, a professor of chemistry\n\n"
        "I doubt that the chain of custody was ever complete. "
        "My opponent claims that the seals were intact.\n"
    )
    found = _actors(claim_extractor, text)
    assert found["believe"] == "Miriam Okafor"
    assert found["doubt"] == "Peter Lund"
    assert found["claims"] == "Miriam Okafor"


def test_no_one_could_doubt_is_the_writers_own_claim(claim_extractor: ClaimExtractor) -> None:
    text = (
        "No one who has seen the footage could deny what happened in Saraqib. "
        "Why would anybody believe that the cylinder was planted? "
        "The ministry said the cylinder had been planted."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_name_split_into_subjects_is_one_source(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The council ended its session without a vote.\n\n"
        'President Bashar al-Assad has called the whole report a "fabrication".'
    )
    assert _source(_one(_attributions(claim_extractor, text), "has called")) == (
        "President Bashar al-Assad"
    )


def test_as_much_is_what_was_concluded(claim_extractor: ClaimExtractor) -> None:
    text = "The inspectors concluded as much in March, after the second visit."
    assert _one(_attributions(claim_extractor, text), "concluded").content.text == "as much"


def test_what_we_were_told_has_no_one_for_its_source(claim_extractor: ClaimExtractor) -> None:
    text = "The helicopter, we were told, had never left its base that night."
    told = _one(_attributions(claim_extractor, text), "were told")
    assert told.source is None
    assert told.content.text.startswith("The helicopter")
    assert "had never left its base" in told.content.text


def test_a_tag_between_two_clauses_tags_both(claim_extractor: ClaimExtractor) -> None:
    text = "The inspectors were wrong about Douma, the skeptics will say, so they are wrong now."
    said = _one(_attributions(claim_extractor, text), "will say")
    assert said.content.text.startswith("The inspectors were wrong about Douma")
    assert said.content.text.endswith("so they are wrong now")


def test_a_passive_with_its_own_subject_borrows_no_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "By then nobody in the capital had read the report, and helicopters were reported "
        "to be flying over the town again."
    )
    found = _attributions(claim_extractor, text)
    assert all(a.source is None for a in found if a.cue.text == "were reported")


def test_a_challenge_to_explain_claims_nothing(claim_extractor: ClaimExtractor) -> None:
    text = "Let the minister explain why the cylinder landed on a bed."
    assert _attributions(claim_extractor, text) == []


def test_a_relative_clause_without_that_is_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = "Chlorine, the gas the ministry declared to the inspectors, was found in the cellar."
    found = _attributions(claim_extractor, text)
    assert all(not a.content.text.startswith("was found") for a in found)


def test_holding_that_is_a_view(claim_extractor: ClaimExtractor) -> None:
    text = "This paper has long held that sanctions alone will not stop such attacks."
    held = _one(_attributions(claim_extractor, text), "held")
    assert _source(held) == "This paper"
    assert held.content.text.startswith("that sanctions alone")


def test_an_editorials_we_is_its_board(claim_extractor: ClaimExtractor) -> None:
    text = (
        "EDITORIAL\n\n"
        "The Douma report\n\n"
        "We believe the inspectors' findings should settle the matter.\n"
    )
    assert _actors(claim_extractor, text)["believe"] == "Editorial Board"


def test_they_after_a_clause_naming_a_group_is_that_group(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "When the inspectors reached the clinic, they said the cylinder had been moved. "
        "Later they said nothing more."
    )
    found = _attributions(claim_extractor, text)
    said = [a for a in found if a.cue.text == "said"]
    assert said
    assert set(_actors(claim_extractor, text).values()) == {"inspectors"}


def test_reading_it_aloud_to_someone_claims_nothing(claim_extractor: ClaimExtractor) -> None:
    text = "The ministry said the cylinder had been planted. My neighbour read it to me."
    assert [a.cue.text for a in _attributions(claim_extractor, text)] == ["said"]


def test_ones_own_wish_is_no_claim(claim_extractor: ClaimExtractor) -> None:
    text = (
        "I want the pilots who flew that night to answer for it. "
        "We want to make clear that the samples were sealed."
    )
    found = _attributions(claim_extractor, text)
    assert [a.content.text[:7] for a in found] == ["to make"]


def test_it_in_a_relative_on_the_object_is_the_main_subject(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The ministry called for restraint. "
        "A raid ordered in haste weakens the very order it claims to uphold."
    )
    assert _actors(claim_extractor, text)["claims"] == "raid"
