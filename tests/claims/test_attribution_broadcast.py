"""Texts made to be heard, and the pages that follow them: a podcast's transcript with two hosts
and a guest, a radio call-in show with callers named by their first name and town, a
documentary's narration script with interviewees' lower thirds and archive clips, a live blog
of a parliamentary hearing with its timestamps and quoted posts, and a morning news bulletin as
the newsreader reads it, with its correspondents' pieces."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_scripts_credit_for_its_reader_is_no_turn(claim_extractor: ClaimExtractor) -> None:
    text = (
        "0800 NEWS - MONDAY 3 MARCH\n"
        "Newsreader: Martin Hale. Duration 3'10\". Script as broadcast.\n\n"
        "MARTIN HALE: Good morning. The army says the convoy was hit by mistake.\n"
    )
    found = _attributions(claim_extractor, text)
    assert all(_source(a) != "Newsreader" for a in found)
    assert _one(found, "says").content.text.startswith("the convoy was hit")


def test_the_clauses_own_subject_after_a_turns_label_is_the_source(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "NARRATOR (V.O.): In May, the OPCW's fact-finding mission confirmed that the villagers "
        "had been exposed to chlorine."
    )
    found = _one(_attributions(claim_extractor, text), "confirmed")
    assert _source(found) == "the OPCW's fact-finding mission"


def test_a_verb_read_by_two_rules_is_one_attribution(claim_extractor: ClaimExtractor) -> None:
    text = (
        "NARRATOR (V.O.): The air force put that strike between half past nine and half past "
        "ten, hours after the first patients had reached hospital."
    )
    found = [a for a in _attributions(claim_extractor, text) if a.cue.text == "put"]
    assert len(found) == 1
    assert _source(found[0]) == "The air force"


def test_thanks_to_the_one_addressed_or_to_god_report_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Daniel Okoro, thank you for joining us. My brother is alive, thank God. The ministry "
        "said the road was closed."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_he_in_a_turn_is_someone_the_talk_named_not_the_turns_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "[Transcript. Hosts: Ruth Okafor and Daniel Price.]\n\n"
        "RUTH: And then Lavrov himself weighed in, didn't he?\n\n"
        "DANIEL: He told reporters the strike was an act of aggression.\n"
    )
    assert _actors(claim_extractor, text)["told"] == "Lavrov"


def test_she_in_a_turn_with_no_one_named_stays_as_written(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "[Transcript. Hosts: Ruth Okafor and Daniel Price.]\n\n"
        "DANIEL: You have family there?\n\n"
        "RUTH: Yes, my aunt is a teacher in the town. She said the planes came at dawn.\n"
    )
    found = _one(_attributions(claim_extractor, text), "said")
    assert found.speaker is not None and found.speaker.name == "She"


def test_a_callers_label_is_the_name_the_host_introduces(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "HOST: Lines are open. Let's go to Tariq in Bolton. Tariq, go ahead.\n\n"
        "TARIQ (Bolton): My brother works at the clinic and the wounded are still coming in.\n"
    )
    found = [a for a in _attributions(claim_extractor, text) if _source(a) == "TARIQ"]
    assert [a.speaker.name if a.speaker else None for a in found] == ["Tariq"]


def test_a_lower_thirds_full_name_names_the_interviewees_turns(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "[INTERVIEW - lower third: KEMAL ARSLAN | Surgeon, Antakya]\n\n"
        "ARSLAN (subtitled): We treated eleven patients before noon. None of them had wounds.\n"
    )
    found = _one(_attributions(claim_extractor, text), ":")
    assert found.speaker is not None and found.speaker.name == "KEMAL ARSLAN"


def test_the_people_spoken_to_are_who_say(claim_extractor: ClaimExtractor) -> None:
    text = "The nurses we have spoken to say the patients could not breathe."
    found = _one(_attributions(claim_extractor, text), "say")
    assert _source(found) == "The nurses we have spoken to"
    assert found.content.text.startswith("the patients could not breathe")


def test_what_was_told_begins_at_the_subject_taken_for_an_object(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "A senior diplomat told me the message to Tehran was simple: stop."
    found = _one(_attributions(claim_extractor, text), "told")
    assert found.content.text.startswith("the message to Tehran was simple")


def test_whose_member_someone_is_does_not_speak_for_them(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "11:40\n"
        "Asked by Labour's Rachel Osei whether the convoy was hit from the air, the minister "
        "says he cannot yet say."
    )
    assert _actors(claim_extractor, text)["Asked"] == "Rachel Osei"


def test_she_after_a_witness_is_named_by_is_means_that_witness(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "First witness is Dr. Ines Moreau, a toxicologist. She tells MPs the samples were "
        "positive for chlorine."
    )
    assert _actors(claim_extractor, text)["tells"] == "Ines Moreau"


def test_asking_why_no_one_asks_reports_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = "Why is nobody asking about the convoy? The ministry said the road was closed."
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_an_as_clause_after_what_it_vouches_for_names_who_claimed_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The lorries were carrying weapons, as the ministry claimed on Monday. The first report "
        "leaves out the convoy, just as the second says nothing about the camp."
    )
    found = _attributions(claim_extractor, text)
    claimed = _one(found, "claimed")
    assert _source(claimed) == "the ministry"
    assert claimed.content.text == "The lorries were carrying weapons"
    # "just as …" is a likeness, not who vouches for the clause before it
    assert all(not a.content.text.startswith("The first report") for a in found)


def test_what_is_tweeted_is_the_posts_text_below_its_account_line(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "10:12\n"
        "Our correspondent at the hearing, Ana Ruiz, tweets:\n\n"
        "Ana Ruiz @anaruiz_news\n"
        "The minister refuses to say when the convoy was hit. Members visibly frustrated.\n"
        "10:11 AM - Mar 3, 2018\n"
    )
    found = _one(_attributions(claim_extractor, text), "tweets")
    assert found.content.text.startswith("The minister refuses to say")


def test_she_after_the_chair_opens_a_hearing_is_the_chair(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "10:02\nThe chair has welcomed the witnesses. She says the committee will sit until noon.\n"
    )
    assert _actors(claim_extractor, text)["says"] == "chair"


def test_she_answering_a_question_put_to_someone_is_the_one_asked(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "11:05\n"
        "Labour MP Owen Tracy asks the minister whether the convoy was hit from the air.\n\n"
        "11:09\n"
        "Tory MP Neil Garvey presses Harker on the missing flight logs. She admits they were "
        "never found, but says the radar data is complete.\n"
    )
    found = _actors(claim_extractor, text)
    assert found["admits"] == "Harker"
    assert found["says"] == "Harker"


def test_a_time_the_parser_hangs_on_the_event_still_places_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The panel put the attack between 05:30 and 06:00."
    found = _one(_attributions(claim_extractor, text), "put")
    assert _source(found) == "The panel"
    assert found.content.text.startswith("the attack between 05:30")


def test_what_an_as_clause_claims_is_no_question(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Asked by the chair whether the convoy could have been hit by shelling, as the army "
        "claimed, the witness says no. Asked whether the gas could have leaked from a rebel "
        "store, as Damascus claimed in May, Harker says the timings do not fit."
    )
    found = [a for a in _attributions(claim_extractor, text) if a.cue.text == "claimed"]
    # the second "as" clause the parse hangs on "Asked …", no clause that was claimed
    assert [a.content.text for a in found] == ["the convoy could have been hit by shelling"]
