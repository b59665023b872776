"""Texts that pass on what others said: a press review, a monitoring service's summary of
foreign broadcasts with a source line under each item, an exported chat group, a television
newsroom's script with its production cues, and a feed of news alerts."""

from __future__ import annotations

from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_an_alert_feed_s_stamps_and_kinds_are_no_part_of_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "12 Mar 2018 10:05 URGENT: Cholera cases confirmed in three camps near Mosul\n"
        "12 Mar 2018 11:20 UPDATE 1 - Health ministry says 40 patients admitted overnight\n"
        "12 Mar 2018 13:02 Governor: the camps will be closed to visitors\n"
    )
    found = _attributions(claim_extractor, text)
    says = _one(found, "says")
    assert _source(says) == "Health ministry"
    assert says.content.text == "40 patients admitted overnight"
    assert _source(_one(found, ":")) == "Governor"


def test_an_alert_s_closing_source_after_a_dash_is_not_what_was_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "FLASH - Iraqi police deny firing on protesters in Basra - spokesman\n"
    deny = _one(_attributions(claim_extractor, text), "deny")
    assert deny.content.text == "firing on protesters in Basra"


def test_a_headline_s_reported_dead_names_no_speaker(claim_extractor: ClaimExtractor) -> None:
    text = "BREAKING: Eleven reported dead after ferry capsizes off Lesbos - coastguard\n"
    assert not any(a.cue.text == "reported" for a in _attributions(claim_extractor, text))


def test_each_message_of_an_exported_chat_is_its_sender_s(claim_extractor: ClaimExtractor) -> None:
    text = (
        "[12/03/2018, 21:40] Nour: the bridge road is closed, soldiers everywhere\n"
        "[12/03/2018, 21:41] Nour: <Media omitted>\n"
        "[12/03/2018, 21:45] Karim Saleh: ‎Forwarded\n"
        "[12/03/2018, 21:46] Karim Saleh: They are letting ambulances through now\n"
        "[12/03/2018, 21:50] Nour: This message was deleted\n"
    )
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.content.text) for a in found] == [
        ("Nour", "the bridge road is closed, soldiers everywhere"),
        ("Karim Saleh", "They are letting ambulances through now"),
    ]


def test_a_script_s_production_cues_are_no_speakers(claim_extractor: ClaimExtractor) -> None:
    text = (
        "SLUG: FLOODS-VALENCIA\n\n"
        "ANCHOR (TOM REYES):\n"
        "RESCUE TEAMS WORKED THROUGH THE NIGHT IN VALENCIA.\n\n"
        "SOT: ELENA MARCH, FIRE CHIEF (SPANISH, SUBTITLED)\n"
        '"We reached every house on the river by dawn."\n\n'
        "LOWER THIRD: FLOODWATERS RECEDING\n"
    )
    found = _attributions(claim_extractor, text)
    assert {_source(a) for a in found} == {"TOM REYES", "ELENA MARCH, FIRE CHIEF"}
    bite = next(a for a in found if _source(a) == "ELENA MARCH, FIRE CHIEF")
    assert bite.content.text.startswith('"We reached every house')
    speakers = {r.speaker.name for r in claim_extractor.extract(text) if r.speaker is not None}
    assert speakers == {"Tom Reyes", "Elena March"}


def test_a_script_s_launch_of_missiles_in_capitals_is_no_saying(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "THE NAVY FIRED TWELVE ANTI-SHIP MISSILES AT THE CONVOY ON MONDAY.\n"
    assert _attributions(claim_extractor, text) == []


def test_a_monitoring_source_line_is_no_part_of_the_next_item(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Iranian state TV said the border crossing had reopened.\n"
        "[IRINN, Tehran, in Persian 0730 gmt 3 Mar 18]\n\n"
        "Press TV said the talks would resume next week.\n"
        "[Press TV, Tehran, in English 1100 gmt 3 Mar 18]\n"
    )
    found = _attributions(claim_extractor, text)
    assert [_source(a) for a in found] == ["Iranian state TV", "Press TV"]


def test_one_shown_or_heard_saying_is_the_speaker(claim_extractor: ClaimExtractor) -> None:
    text = "The interior minister was shown saying the curfew would be lifted on Friday."
    saying = _one(_attributions(claim_extractor, text), "saying")
    assert _source(saying) == "The interior minister"
    assert saying.content.text == "the curfew would be lifted on Friday"


def test_whom_a_report_cites_before_its_clause_is_no_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Der Spiegel reports, citing two intelligence officials, that the agency has opened an "
        "inquiry into the leak."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["reports"]
    assert found[0].content.text.startswith("that the agency")


def test_a_paper_named_by_how_often_it_comes_out_speaks(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Izvestia quotes an unnamed diplomat on the talks. "
        "The pro-Kremlin daily adds that no date has been set."
    )
    adds = _one(_attributions(claim_extractor, text), "adds")
    assert _source(adds) == "The pro-Kremlin daily"


def test_a_review_s_pointer_to_tomorrow_is_no_speaker(claim_extractor: ClaimExtractor) -> None:
    text = "Tonight: the view from Ankara.\nTomorrow: what the Gulf papers say.\n"
    assert _attributions(claim_extractor, text) == []


def test_a_saying_between_a_relative_pronoun_and_its_verb_says_the_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Milliyet leads with the blood tests, which it says prove exposure to chlorine, "
        "quoting the health minister."
    )
    says = _one(_attributions(claim_extractor, text), "says")
    assert _source(says) == "it"
    assert says.content.text == "prove exposure to chlorine"
    speakers = [r.speaker.name for r in claim_extractor.extract(text) if r.speaker is not None]
    assert speakers == ["Milliyet"]


def test_its_editorial_is_the_paper_that_spoke_just_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Financial Times says the sanctions will bite. "
        "Its editorial warns that the banks are exposed."
    )
    speakers = [r.speaker.name for r in claim_extractor.extract(text) if r.speaker is not None]
    assert speakers == ["Financial Times", "Financial Times"]
