"""Regional and state media in translation, and the posts and transcripts around them: a state
television segment's turns under a role with the name in brackets, a correspondent's turn that
reports another's statement, a local council's post with its comments, a charge laid on two
parties at once ("holds the regime and its ally responsible")."""

from __future__ import annotations

from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_charge_laid_on_two_parties_is_kept(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The medical committee holds the air force and its foreign backers fully responsible "
        "for the deaths and appeals to the United Nations to intervene."
    )
    found = _one(_attributions(claim_extractor, text), "holds")
    assert _source(found) == "The medical committee"
    assert found.content.text.startswith("the air force and its foreign backers")


def test_a_turns_label_is_not_part_of_the_source_inside_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "VOLKOV: The Defence Ministry's spokesman, Major-General Oleg Morozov, has said that "
        "Syrian aircraft struck a rebel warehouse."
    )
    found = _one(_attributions(claim_extractor, text), "has said")
    assert _source(found) == "The Defence Ministry's spokesman, Major-General Oleg Morozov,"


def test_a_role_alone_is_the_one_named_at_its_first_turn(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "HOST (ANNA BELOVA): Good evening. The ministry has promised an answer.\n\n"
        "CORRESPONDENT (PAVEL ORLOV): Anna, nobody here has seen the report.\n\n"
        "HOST: So the ministry has nothing to show yet?\n\n"
        "CORRESPONDENT: Nothing at all, and the officials will not talk to us."
    )
    found = _attributions(claim_extractor, text)
    actors = {item.content.text[:10]: item.speaker.name for item in found if item.cue.text == ":"}
    assert actors["So the min"] == "ANNA BELOVA"
    assert actors["Nothing at"] == "PAVEL ORLOV"
    assert actors["Anna, nobo"] == "PAVEL ORLOV"


def test_a_body_the_tagger_cut_short_keeps_its_last_word(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Sami Haddad: Is the road to the hospital open?\n\n"
        "Kafr Zita Relief Committee: The road is open and the ambulances are running."
    )
    found = [item for item in _attributions(claim_extractor, text) if item.cue.text == ":"]
    assert found[-1].speaker.name == "Kafr Zita Relief Committee"
