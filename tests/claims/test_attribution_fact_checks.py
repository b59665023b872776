"""Texts that check claims rather than make them: a fact check with its "Claim:" and "Rating:"
lines, a disinformation database's case record (its fields, the summary, the disproof), a
platform's note on the accounts it removed, a newsroom verification desk's timed log with the
initials of each entry's writer, and a media-literacy explainer that quotes claims to take them
apart (a claim reported as false is still its maker's)."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_fact_checks_claim_line_is_the_claim_checked_in_any_case(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Fact check: was the hospital in Saraqib empty?\n\n"
        "Claim: The hospital had been closed for a month before the shelling.\n\n"
        "Rating: Mostly false\n"
    )
    found = _attributions(claim_extractor, text)
    claim = _one(found, "Claim")
    assert claim.content.text.startswith("The hospital had been closed for a month")
    assert claim.source is None
    assert [a.cue.text for a in found] == ["Claim"]


def test_a_claim_line_without_a_clause_is_a_label(claim_extractor: ClaimExtractor) -> None:
    text = "Claim: False\n\nThe photograph was taken in Aleppo in 2014.\n"
    assert _attributions(claim_extractor, text) == []


def test_a_headlines_kind_of_text_and_a_records_fields_are_no_speakers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "FACT CHECK: The video from Douma was not filmed in a studio\n\n"
        "Outlet: Sputnik Deutsch\n"
        "Language: German\n"
        "Keywords: Chlorine, Douma\n"
    )
    found = _attributions(claim_extractor, text)
    assert all(_source(a) not in ("FACT CHECK", "Outlet", "Language") for a in found)
    assert found == []


def test_physical_evidence_that_contradicts_a_claim_says_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The claim that the cylinder was placed by hand is contradicted by the samples "
        "taken from the roof and by the images of the crater."
    )
    found = _attributions(claim_extractor, text)
    assert all(a.cue.text != "is contradicted" for a in found)


def test_a_post_described_by_its_shares_claims_what_follows(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "A video viewed two million times on YouTube since March claims that the clinic "
        "in Douma was never hit."
    )
    claims = _one(_attributions(claim_extractor, text), "claims")
    assert _source(claims) == "A video viewed two million times on YouTube since March"
    assert claims.content.text.startswith("that the clinic in Douma was never hit")


def test_a_quoted_name_inside_a_source_keeps_its_closing_mark(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'A second post, from a channel calling itself "Levant Facts", alleged that the '
        "hospital had been empty for weeks."
    )
    alleged = _one(_attributions(claim_extractor, text), "alleged")
    assert _source(alleged) == 'A second post, from a channel calling itself "Levant Facts",'


def test_checking_evidence_side_by_side_is_a_method_not_a_saying(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Our team compared the photographs in the tweet with archive images of the market. "
        "The critic compared the inspectors to a firing squad."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["compared"]
    assert _source(found[0]) == "The critic"


def test_a_narrative_that_seeks_or_echoes_is_the_writers_reading(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "It is a familiar story that seeks to shift the blame onto the rescuers. "
        "The theory echoes older rumours about Ghouta. "
        "The lawsuit seeks compensation for the families."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["seeks"]
    assert _source(found[0]) == "The lawsuit"


def test_a_log_entrys_time_and_initials_are_no_part_of_the_source(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "14:20 AK — Civil defence says two more bodies were found under the rubble.\n\n"
        "15:05 AK — Checked the clip's metadata. Nothing unusual.\n"
    )
    says = _one(_attributions(claim_extractor, text), "says")
    assert _source(says) == "Civil defence"


def test_per_someone_is_according_to_them(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Dr. Rana Haddad says the clinic is full. Per her, the generator failed at noon. "
        "Fuel prices rose 12 per cent. "
        "The second convoy was turned back at the checkpoint, per the Red Crescent."
    )
    found = _attributions(claim_extractor, text)
    per = [a for a in found if a.cue.text.lower() == "per"]
    assert [(_source(a), a.content.text) for a in per] == [
        ("her", "the generator failed at noon"),
        ("the Red Crescent", "The second convoy was turned back at the checkpoint"),
    ]
    assert _actors(claim_extractor, text)["Per"] == "Rana Haddad"


def test_a_saying_waited_for_has_not_been_made(claim_extractor: ClaimExtractor) -> None:
    text = "We will hold the figure until the hospital confirms it in writing."
    assert all(a.cue.text != "confirms" for a in _attributions(claim_extractor, text))


def test_it_after_the_work_a_body_did_is_that_body(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The Syrian Civil Defence said its volunteers were exhausted. "
        "The commission visited the site, took samples and interviewed doctors before it "
        "concluded that a nerve agent had been used."
    )
    assert _actors(claim_extractor, text)["concluded"] == "commission"


def test_a_role_taken_for_the_object_of_as_goes_with_the_name(
    claim_extractor: ClaimExtractor,
) -> None:
    text = 'As one researcher, Tomas Lind, puts it: "Doubt travels faster than evidence."'
    puts = _one(_attributions(claim_extractor, text), "puts")
    assert _source(puts) == "one researcher, Tomas Lind,"
    assert _actors(claim_extractor, text)["puts"] == "Tomas Lind"


def test_the_many_who_speak_are_not_the_one_named_among_them(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Nurses at the clinic, including Amal Saleh, said the patients had pinpoint pupils."
    assert _actors(claim_extractor, text)["said"] != "Amal Saleh"


def test_when_an_account_puts_an_event_is_its_claim(claim_extractor: ClaimExtractor) -> None:
    text = "The army's statement put the raid in the early afternoon."
    put = _one(_attributions(claim_extractor, text), "put")
    assert put.content.text == "the raid in the early afternoon"


def test_a_saying_the_checked_claim_reports_is_still_its_speakers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Viral claim: Damascus says the convoy carried weapons for the rebels\n"
    found = _attributions(claim_extractor, text)
    assert _one(found, "Viral claim").content.text.startswith("Damascus says the convoy")
    assert _source(_one(found, "says")) == "Damascus"


def test_a_post_on_a_platform_speaks_not_the_platform(claim_extractor: ClaimExtractor) -> None:
    text = "A TikTok video alleged that the rescuers had staged the scene."
    assert _actors(claim_extractor, text)["alleged"] == "TikTok video"


def test_a_dated_update_label_is_no_speaker(claim_extractor: ClaimExtractor) -> None:
    text = "UPDATE (3 May): The page has been taken down. Its owner said it had been hacked.\n"
    found = _attributions(claim_extractor, text)
    assert all(_source(a) != "UPDATE" for a in found)


def test_a_closing_per_is_no_part_of_what_was_said(claim_extractor: ClaimExtractor) -> None:
    text = "Officials said the bridge was closed on Monday, per the city council."
    said = _one(_attributions(claim_extractor, text), "said")
    assert said.content.text == "the bridge was closed on Monday"


def test_what_follows_the_colon_of_a_call_back_is_what_was_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "16:40 SH — The hospital director called back: two more patients have died.\n\n"
        "The clinic called: nobody answered.\n"
    )
    found = _attributions(claim_extractor, text)
    called = _one(found, "called back")
    assert _source(called) == "The hospital director"
    assert called.content.text == "two more patients have died"
    assert all(a.cue.text != "called" for a in found)


def test_statements_by_officials_are_the_officials(claim_extractor: ClaimExtractor) -> None:
    text = "Statements by Syrian officials denied that any aircraft had flown that morning."
    assert _actors(claim_extractor, text)["denied"] == "Syrian officials"


def test_the_outlet_of_a_case_record_is_the_one_its_field_names(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Outlet: Sputnik Arabic (sputniknews.com)\n"
        "Language: Arabic\n\n"
        "SUMMARY\n"
        "The convoy was destroyed by a rebel drone, the outlet claims.\n"
    )
    assert _actors(claim_extractor, text)["claims"] == "Sputnik Arabic"


def test_posts_passed_on_claim_what_they_say(claim_extractor: ClaimExtractor) -> None:
    text = "Several channels forwarded a leaflet alleging that the inspectors had been bribed."
    alleging = _one(_attributions(claim_extractor, text), "alleging")
    assert _source(alleging) == "a leaflet"
    assert alleging.content.text == "that the inspectors had been bribed"


def test_where_a_source_after_its_cue_wrote_is_no_part_of_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        '"We acted on behaviour, not content," wrote Jonas Berg, who heads the review team, '
        "in a blog post."
    )
    wrote = _one(_attributions(claim_extractor, text), "wrote")
    assert _source(wrote) == "Jonas Berg, who heads the review team,"


def test_a_myth_busters_myth_is_a_claim_and_its_fact_the_writers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'MYTH: "The convoy was hit by a rebel rocket."\n'
        "FACT: The craters were made by air-dropped bombs.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["MYTH"]
    assert found[0].content.text == '"The convoy was hit by a rebel rocket."'
    assert found[0].source is None


def test_a_timed_logs_initials_are_its_writer_not_a_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "[09:10] KM: Red Crescent says the convoy reached the town.\n"
        "[09:45] KM: Rang the clinic again, no answer.\n"
    )
    found = _attributions(claim_extractor, text)
    assert all(_source(a) != "KM" for a in found)
    assert _source(_one(found, "says")) == "Red Crescent"


def test_a_notes_subject_read_as_the_participles_compound_is_who_reports(
    claim_extractor: ClaimExtractor,
) -> None:
    text = '[10:05] KM: Syrian state TV reporting that "gunmen" attacked the clinic.\n'
    reporting = _one(_attributions(claim_extractor, text), "reporting")
    assert _source(reporting) == "Syrian state TV"


def test_a_claim_named_by_its_maker_before_it_is_the_makers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The accounts spread a Kremlin claim that the footage had been filmed in advance."
    claim = _one(_attributions(claim_extractor, text), "claim")
    assert _source(claim) == "Kremlin"
    assert claim.content.text == "that the footage had been filmed in advance"


def test_a_cue_set_inside_what_it_reports_has_its_speaker_after_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The real danger, says fact-checker Omar Saleh, is the speed at which rumours spread."
    says = _one(_attributions(claim_extractor, text), "says")
    assert _source(says) == "fact-checker Omar Saleh"
    assert says.content.text == "The real danger is the speed at which rumours spread"
    assert _actors(claim_extractor, text)["says"] == "Omar Saleh"


def test_the_writers_gloss_after_the_words_is_not_part_of_them(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'The presenter told viewers that "the truth will never be known", a phrase that '
        "has since been repeated on dozens of channels."
    )
    told = _one(_attributions(claim_extractor, text), "told")
    assert told.content.text == 'that "the truth will never be known"'
