"""Online and social texts: a forum thread with its posters' handles, quoted replies and
later edits; a roundup of messaging channels in translation with forwarded posts; a video
page with its title, description and comments under handles and like counts; a news site's
comment section; a wiki talk page whose comments are signed at their ends."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_an_edit_mark_is_no_speaker(claim_extractor: ClaimExtractor) -> None:
    text = "EDIT: the hospital now says eleven of the wounded have died."
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.cue.text) for a in found] == [("the hospital", "says")]


def test_a_count_of_likes_under_a_comment_says_nothing(claim_extractor: ClaimExtractor) -> None:
    text = (
        "@valley_nurse · 3 hours ago\n"
        "My cousin in the town says the water was poisoned.\n"
        "1.4K likes · Reply\n\n"
        "@other · 1 day ago\n"
        "Fake. The ministry said it was a depot.\n"
        "95 likes · 40 replies\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["says", "said"]


def test_a_video_put_up_with_no_one_named_is_no_statement(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Every clip I have watched was posted before dawn."
    assert _attributions(claim_extractor, text) == []


def test_a_title_bar_ends_what_was_said(claim_extractor: ClaimExtractor) -> None:
    text = "Nurses recall the first hour at the clinic | EXCLUSIVE\n\nThe clinic is closed."
    found = _attributions(claim_extractor, text)
    assert _one(found, "recall").content.text == "the first hour at the clinic"


def test_a_semicolon_after_a_bare_figure_ends_what_was_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The first post said 40 dead; the clinic has since counted 61."
    assert _one(_attributions(claim_extractor, text), "said").content.text == "40 dead"
    text = "He said the plane came low; it dropped two bombs."
    content = _one(_attributions(claim_extractor, text), "said").content.text
    assert content == "the plane came low; it dropped two bombs"


def test_a_hyphenated_object_is_taken_whole(claim_extractor: ClaimExtractor) -> None:
    text = "Our moderators have asked for semi-protection."
    found = _attributions(claim_extractor, text)
    assert _one(found, "have asked for").content.text == "semi-protection"


def test_a_signed_talk_page_comment_is_its_signers(claim_extractor: ClaimExtractor) -> None:
    text = (
        "== Toll ==\n"
        "I think the figure is too high. - Hawkeye7 (talk) 10:15, 6 April 2017 (UTC)\n"
        ":I believe it is right. —Mireille B (talk · contribs) 11:15, 6 April 2017 (UTC)\n"
    )
    assert _actors(claim_extractor, text) == {"think": "Hawkeye7", "believe": "Mireille B"}


def test_we_in_a_post_is_the_handle_above_it(claim_extractor: ClaimExtractor) -> None:
    text = "@ruralmedic · 5 hours ago\nWe said yesterday that 12 people died in the village.\n"
    assert _actors(claim_extractor, text) == {"said": "@ruralmedic"}


def test_a_channel_is_the_name_beside_it_or_its_owner(claim_extractor: ClaimExtractor) -> None:
    text = (
        'The channel "Rybar" wrote that the base was empty. The page of the Hama Health '
        "Directorate said 20 people were treated."
    )
    assert _actors(claim_extractor, text) == {"wrote": "Rybar", "said": "Hama Health Directorate"}


def test_an_owners_channel_before_a_quotation_speaks(claim_extractor: ClaimExtractor) -> None:
    text = 'The Syrian presidency\'s channel: "The aggression will not go unanswered."'
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.cue.text) for a in found] == [("The Syrian presidency's channel", ":")]
    assert _actors(claim_extractor, text) == {":": "Syrian presidency"}
    text = 'Its own comment below: "Look at the date."'
    assert _attributions(claim_extractor, text) == []


def test_a_quotation_taken_up_by_that_is_what(claim_extractor: ClaimExtractor) -> None:
    text = '"Not one more child" - that is what the protesters wrote on their banners.'
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "wrote")) == "the protesters"
    assert _one(found, "wrote").content.text == '"Not one more child"'
