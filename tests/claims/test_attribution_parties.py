"""What the parties to a conflict put out themselves: an armed faction's statement, a
government's letter to the Security Council, a foreign ministry's statement on its spokesman's
remarks, a partisan channel's report with its presenter's and correspondent's marks, and an
embassy's posts quoting officials."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_government_of_the_view_that_states_its_position(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The delegation remains of the opinion that the inquiry was flawed from the start."
    found = _attributions(claim_extractor, text)
    held = _one(found, "remains of the opinion")
    assert _source(held) == "The delegation"
    assert held.content.text == "that the inquiry was flawed from the start"


def test_of_the_view_without_a_clause_says_nothing(claim_extractor: ClaimExtractor) -> None:
    text = "The committee was of the view expressed by its chair last year."
    found = _attributions(claim_extractor, text)
    assert not any("view" in a.cue.text for a in found)


def test_a_un_documents_distribution_field_is_no_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "General Assembly\n\nDistr.: Limited\n3 May 2018\n\n"
        "The delegation said that the vote had been postponed."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_hashtag_of_a_persons_name_before_a_colon_is_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "2 May 2018\n#Nebenzia: the inspectors have been misled by staged footage."
    found = _attributions(claim_extractor, text)
    turn = _one(found, ":")
    assert _source(turn) == "Nebenzia"
    assert turn.content.text.startswith("the inspectors have been misled")


def test_a_hashtag_of_a_place_or_a_flag_names_no_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    for text in ("#Syria: the shelling went on all night.", "#BREAKING: the shelling went on."):
        assert not [a for a in _attributions(claim_extractor, text) if a.cue.text == ":"]


def test_an_embassy_spokesman_is_not_the_kremlin_spokesman_named_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The sanctions are illegal, says Kremlin spokesman Peskov.\n\n"
        "Embassy spokesman: we have not been given any evidence by the Foreign Office."
    )
    assert _actors(claim_extractor, text)[":"] == "Embassy spokesman"


def test_the_ministry_spokeswoman_is_still_the_ministrys_spokeswoman_named_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Foreign Ministry spokeswoman Maria Zakharova said the report was biased. "
        "The ministry spokeswoman added that Moscow would not accept it."
    )
    assert _actors(claim_extractor, text)["added"] == "Maria Zakharova"


def test_affirm_read_as_an_adjective_after_we_is_still_a_saying(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "We affirm that none of our units were deployed near the village."
    found = _attributions(claim_extractor, text)
    affirmed = _one(found, "affirm")
    assert _source(affirmed) == "We"
    assert affirmed.content.text == "that none of our units were deployed near the village"


def test_the_one_challenged_to_name_something_has_named_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "We challenge the ministry to name a single witness who saw the convoy."
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["challenge"]


def test_an_aside_of_custom_is_no_speaker_of_the_infinitive_after_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The militia has hastened, as is its custom, to cover the crime of its patron."
    assert _attributions(claim_extractor, text) == []


def test_a_second_verb_of_saying_after_a_present_clause_is_the_speakers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "She pointed out that the militias keep artillery in the school, and underlined "
        "that the army had warned residents to leave."
    )
    found = _attributions(claim_extractor, text)
    pointed = _one(found, "pointed out")
    underlined = _one(found, "underlined")
    assert pointed.content.text == "that the militias keep artillery in the school"
    assert _source(underlined) == "She"
    assert underlined.content.text == "that the army had warned residents to leave"


def test_a_scripts_bracketed_turn_mark_is_no_part_of_the_source(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "[Anchor] The ceasefire did not hold.\n\n"
        "[Reporter] Military expert Colonel Samir Daher thinks that the shells came from "
        "the west."
    )
    thinks = _one(_attributions(claim_extractor, text), "thinks")
    assert _source(thinks) == "Military expert Colonel Samir Daher"
    assert _actors(claim_extractor, text)["thinks"] == "Samir Daher"


def test_an_event_taking_place_is_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The page posted the photos before the time at which, according to its own account, "
        "the attack took place."
    )
    found = _attributions(claim_extractor, text)
    assert "took" not in [a.cue.text for a in found]


def test_a_minister_of_a_portfolio_is_not_named_by_the_portfolio(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "In Amman, the Minister of Information stressed in a statement that reporters had "
        "been denied access."
    )
    assert _actors(claim_extractor, text)["stressed"] == "Minister of Information"


def test_he_under_a_clip_of_an_unnamed_man_is_that_man(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The governor, Adel Haddad, said that the market had been empty.\n\n"
        "[Footage of a man outside a bakery, described by the channel as a shopkeeper]\n"
        '"The bombs fell at noon," he says.'
    )
    assert _actors(claim_extractor, text)["says"] == "man"


def test_a_name_after_the_state_that_ends_a_ministrys_name_is_the_spokesman(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Spokesman of the Ministry of Foreign Affairs of the Islamic Republic of Iran Reza "
        "Tavakoli rejected the report on Monday. The spokesman said that it was biased."
    )
    actors = _actors(claim_extractor, text)
    assert actors["rejected"] == "Reza Tavakoli"
    assert actors["said"] == "Reza Tavakoli"


def test_a_closing_states_read_as_a_noun_still_says_the_clause_before_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The samples were taken without any chain of custody, the defence ministry states."
    found = _attributions(claim_extractor, text)
    states = _one(found, "states")
    assert _source(states) == "the defence ministry"
    assert states.content.text == "The samples were taken without any chain of custody"


def test_a_plural_noun_at_the_end_of_a_list_is_no_saying(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The convoy carried flour to villages, towns and small states."
    assert _attributions(claim_extractor, text) == []


def test_in_the_view_of_set_inside_the_clause_after_its_verb(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The fire was, in the opinion of the inspectors, an accident caused by a heater."
    view = _one(_attributions(claim_extractor, text), "opinion")
    assert _source(view) == "the inspectors"
    assert view.content.text == "The fire was an accident caused by a heater"


def test_so_called_before_a_body_is_no_part_of_its_name(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The so-called Interim Government in Ankara claimed that the road was open."
    assert _actors(claim_extractor, text)["claimed"] == "Interim Government in Ankara"


def test_amb_before_a_name_is_the_ambassadors_title(claim_extractor: ClaimExtractor) -> None:
    text = "3 May 2018\nAmb Petrenko: the draft resolution ignores the facts on the ground."
    assert _actors(claim_extractor, text)[":"] == "Petrenko"


def test_a_surname_the_tagger_left_untagged_is_the_person_named_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Economist Nabil Barakat said that the ceasefire was a trap. "
        "Barakat added that the talks had been arranged long before."
    )
    assert _actors(claim_extractor, text)["added"] == "Nabil Barakat"


def test_we_of_a_numbered_statement_is_the_body_that_issued_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Statement No. 3/2018 issued by the Military Council of Eastern Ghouta\n\n"
        "We declare that our fighters have withdrawn from the orchards."
    )
    assert _actors(claim_extractor, text)["declare"] == "Military Council of Eastern Ghouta"


def test_a_body_named_again_by_its_words_before_of_is_the_body_named_in_full(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Local Council of Saraqib condemned the raid on Monday. "
        "Later, the Local Council demanded that the convoy be allowed in."
    )
    assert _actors(claim_extractor, text)["demanded"] == "Local Council of Saraqib"


def test_a_name_opening_a_reposted_post_is_the_one_it_quotes(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "2 May 2018\nRT @mfa_russia: Ryabkov: the inspectors were never allowed to finish."
    found = _attributions(claim_extractor, text)
    turns = [a for a in found if a.cue.text == ":"]
    assert [_source(a) for a in turns] == ["@mfa_russia", "Ryabkov"]
    assert turns[1].content.text == "the inspectors were never allowed to finish"


def test_where_an_official_spoke_as_a_hashtag_is_no_part_of_the_label(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "3 May 2018\nFirst Deputy Permanent Representative Polyanskiy at #UNGA: the draft "
        "was written in advance."
    )
    turn = _one(_attributions(claim_extractor, text), ":")
    assert _source(turn) == "First Deputy Permanent Representative Polyanskiy"
    assert turn.content.text == "the draft was written in advance"
