"""Social media and what is said in it: a thread of posts with replies and reposts, a
messaging channel's stamped and forwarded messages, a question-and-answer session in a
forum, a video page's comments, and a forum thread whose posts quote earlier ones."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_pronoun_in_a_reply_is_not_someone_named_in_another_post(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Mark Olsen (@markolsen) · 3 May 2019\n"
        "The mayor, Peter Vance, said the dam was inspected last spring.\n\n"
        "Replying to @markolsen\n"
        "Nadia Roy (@nadiaroy): Met a retired engineer at the market today. "
        "He says the cracks have been there for years."
    )
    assert _actors(claim_extractor, text)["says"] == "He"


def test_a_pronoun_goes_back_to_someone_named_in_its_own_post(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "@river_watch · 2 days ago\n"
        "The engineer Peter Vance was on the radio this morning. "
        "He says the cracks have been there for years.\n\n"
        "@flood_mum · 1 day ago\n"
        "Our street was under water by noon."
    )
    assert _actors(claim_extractor, text)["says"] == "Peter Vance"


def test_the_i_of_a_reply_set_inside_a_question_is_the_one_who_replies(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "u/lakeside_anna · 210 points\n"
        "Were the floods worse than in 2010?\n\n"
        "> u/hydro_tom · 198 points\n"
        "> The gauges were higher this year. What I can tell you is that the river "
        "rose a metre in one night."
    )
    assert _actors(claim_extractor, text)["can tell"] == "u/hydro_tom"


def test_the_i_of_a_numbered_forum_post_is_its_poster(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "#12  GreyHeron  · 3 May 2019, 10:02\n"
        "Nobody saw this coming.\n\n"
        "#13  millpond  · 3 May 2019, 10:40\n"
        "I said in March that the levee would fail, and it did."
    )
    assert _actors(claim_extractor, text)["said"] == "millpond"


def test_the_we_of_a_forwarded_message_is_the_channel_it_came_from(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "[03.05.19 09:14]\n"
        "Forwarded from Valley Rescue Team\n"
        "Water is still rising in the lower town. We urge families to leave their "
        "houses before dark.\n\n"
        "[03.05.19 10:02]\n"
        "The council says two bridges are closed."
    )
    assert _actors(claim_extractor, text)["urge"] == "Valley Rescue Team"


def test_a_channels_urgent_mark_is_no_speaker(claim_extractor: ClaimExtractor) -> None:
    text = (
        "[03.05.19 06:40]\n"
        "Urgent: reports of a dam breach near the lower town.\n\n"
        "[03.05.19 07:05]\n"
        "Officials say the breach is small."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["say"]


def test_a_forums_trail_of_sections_is_no_speaker(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Board: Local News › Weather › The May floods (merged)\n\n"
        "#1  GreyHeron  · 3 May 2019, 10:02\n"
        "The council says two bridges are closed."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["says"]


def test_a_reporter_at_a_place_labels_a_line(claim_extractor: ClaimExtractor) -> None:
    text = (
        "[03.05.19 11:20]\n"
        'Our reporter at the county shelter: "Three hundred people slept here last night."'
    )
    found = _attributions(claim_extractor, text)
    assert [_source(a) for a in found] == ["Our reporter at the county shelter"]


def test_the_people_i_spoke_to_are_who_say_it(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The council has closed two bridges. Farmers I spoke to say the water came "
        "faster than in 2010."
    )
    said = _one(_attributions(claim_extractor, text), "say")
    assert _source(said) == "Farmers I spoke to"


def test_a_passive_verb_after_a_posters_name_takes_no_label_for_its_content(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Replying to @county_news\n"
        "Nadia Roy (@nadiaroy): The first photos were posted before noon. "
        "Your alert came hours later."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == [":"]


def test_a_judgement_of_an_object_runs_on_over_its_adjective(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The board studied the sabotage theory and judged it less likely than a burst pipe."
    judged = _one(_attributions(claim_extractor, text), "judged")
    assert judged.content.text == "it less likely than a burst pipe"


def test_a_quoted_posts_label_keeps_its_name_without_the_quotation_mark(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Quote Tweet\n"
        "Tom Ash (@tomash) · 3 May 2019\n"
        "Mapped the flooded streets from the drone footage.\n"
        "> Nadia Roy (@nadiaroy): Farmers say the water came faster than in 2010."
    )
    found = _attributions(claim_extractor, text)
    assert [_source(a) for a in found] == ["Nadia Roy", "Farmers"]


def test_the_we_of_a_video_description_is_the_channel_under_the_title(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The May floods: what the drone saw | Analysis\n"
        "River Desk · 12.1K subscribers\n"
        "40,210 views · 9 May 2019\n\n"
        "In this video we discuss the council's claim that the levee was sound.\n\n"
        "@flood_mum · 1 day ago\n"
        "Our street was under water by noon."
    )
    assert _actors(claim_extractor, text)["discuss"] == "River Desk"


def test_the_i_of_a_forums_opening_post_is_its_poster(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "r/IAmA · Posted by u/hydro_tom · 9 May 2019\n\n"
        "I am a hydrologist who measured the May floods. AMA.\n\n"
        "I believe the levee failed because nobody maintained it.\n\n"
        "u/lakeside_anna · 210 points\n"
        "Were the floods worse than in 2010?"
    )
    assert _actors(claim_extractor, text)["believe"] == "u/hydro_tom"


def test_a_speaker_named_after_the_clause_that_says_who_they_are(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The flood reached the clinic by noon. A paramedic I worked with, Jonas, told me "
        "the generator failed first."
    )
    assert _actors(claim_extractor, text)["told"] == "Jonas"


def test_a_claim_named_by_a_states_adjective_is_that_states(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Officials in the capital doubt the Turkish claim that the border post was shelled first."
    )
    found = _attributions(claim_extractor, text)
    claim = _one(found, "claim")
    assert claim.content.text == "that the border post was shelled first"
    assert _actors(claim_extractor, text)["claim"] == "Turkey"


def test_a_question_put_to_you_claims_nothing(claim_extractor: ClaimExtractor) -> None:
    text = (
        "u/lakeside_anna · 210 points\n"
        "How can you be sure the levee failed first and not the sluice?\n\n"
        "> u/hydro_tom · 198 points\n"
        "> The gauges say the levee went at six."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["say"]


def test_a_reposts_line_is_the_reposted_accounts(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Mark Olsen (@markolsen) · 3 May 2019\n"
        "Still no word from the council.\n\n"
        "RT @valley_rescue: Two families were lifted from a roof in the lower town."
    )
    found = _attributions(claim_extractor, text)
    assert [_source(a) for a in found] == ["@valley_rescue"]


def test_a_messaging_apps_channel_line_names_no_owner(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Valley Watch\n"
        "Channel · 8,120 subscribers\n\n"
        "We believe the lower town will flood again tonight.\n\n"
        "@flood_mum · 1 day ago\n"
        "Our street was under water by noon."
    )
    assert _actors(claim_extractor, text)["believe"] == "We"
