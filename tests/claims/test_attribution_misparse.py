"""Sentences the parser gets wrong in ways that cost a claim or cut its content short: a whole
sentence hung on "According", a colon before the speaker, a house style's space between two
closing quotation marks, a dateline set off by a horizontal bar, a reason given with
", citing", a second object hung on the cue, a sentence split where nothing ends it, a time
or a page's markup stuck to the speaker."""

from __future__ import annotations

from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.attribution import AttributionExtractor, quotations
from enquiry.enrich.text.claims import ClaimExtractor


def test_according_to_a_long_title_keeps_the_clause_after_the_comma(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "According to veteran field medic and hospital director Samir Haddad, the wounds "
        "bore no trace of shrapnel and the pupils of the dead were pinpoint."
    )
    found = _one(_attributions(claim_extractor, text), "According to")
    assert _source(found) == "veteran field medic and hospital director Samir Haddad"
    assert found.content.text.startswith("the wounds bore no trace")
    assert found.content.text.endswith("were pinpoint")


def test_according_to_goes_past_an_apposition(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "According to Samir Haddad, a field medic, the wounds bore no trace of shrapnel "
        "and the pupils of the dead were pinpoint."
    )
    found = _one(_attributions(claim_extractor, text), "According to")
    assert found.content.text.startswith("the wounds bore")
    assert _source(found) is not None and "Samir Haddad" in _source(found)  # type: ignore[operator]


def test_the_writers_clause_before_a_colon_is_not_what_the_speaker_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The report set off a new round of recriminations on Friday: diplomats said they "
        "were convinced the inquiry had been obstructed."
    )
    found = _one(_attributions(claim_extractor, text), "said")
    assert _source(found) == "diplomats"
    assert found.content.text.startswith("they were convinced")
    assert "recriminations" not in found.content.text


def test_a_space_between_two_closing_marks_still_closes_the_quotation(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "\"I have never liked the phrase 'humanitarian pause,' \" the envoy told the council, "
        "adding that a pause had never saved anyone."
    )
    found = _attributions(claim_extractor, text)
    told = _one(found, "told")
    assert _source(told) == "the envoy"
    assert "humanitarian pause" in told.content.text
    adding = _one(found, "adding")
    assert adding.content.text.startswith("that a pause")


def test_a_dateline_set_off_by_a_horizontal_bar_is_no_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "GENEVA ― The attack was a clear breach of the convention, three member states said "
        "on Friday."
    )
    found = _one(_attributions(claim_extractor, text), "said")
    assert _source(found) == "three member states"
    assert found.content.text == "The attack was a clear breach of the convention"


def test_citing_is_the_speakers_reason_and_a_claim_of_its_own(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Investigators said the talks on access had failed, citing the shelling of the road "
        "to the town."
    )
    found = _attributions(claim_extractor, text)
    said = _one(found, "said")
    assert said.content.text == "the talks on access had failed"
    citing = _one(found, "citing")
    assert _source(citing) == "Investigators"
    assert citing.content.text == "the shelling of the road to the town"


def test_a_second_object_hung_on_the_cue_stays_in_the_content(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The minister has mentioned reopening the crossings and forcing the convoys to wait "
        "at the border."
    )
    found = _one(_attributions(claim_extractor, text), "has mentioned")
    assert found.content.text == (
        "reopening the crossings and forcing the convoys to wait at the border"
    )


def test_a_second_infinitive_after_to_stays_in_the_content(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The government is promising to meet and in some cases exceed the inspectors' "
        "requests without delaying the mission."
    )
    found = _one(_attributions(claim_extractor, text), "is promising")
    assert found.content.text.startswith("to meet and in some cases exceed")
    assert found.content.text.endswith("without delaying the mission")


def test_a_sentence_split_where_nothing_ends_it_is_one_content(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The lawyer said she felt the 13th Amendment was worth examining because it matters."
    found = _one(_attributions(claim_extractor, text), "said")
    assert found.content.text.endswith("because it matters")


def test_a_sentence_that_did_end_is_not_run_on(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The monitors were seeking entry into the U.S. They will try again in spring."
    for attribution in _attributions(claim_extractor, text):
        assert "They will" not in attribution.content.text


def test_a_time_after_the_speaker_is_not_part_of_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The ministry this week also said it would open the crossings."
    found = _one(_attributions(claim_extractor, text), "said")
    assert _source(found) == "The ministry"


def test_markup_left_by_a_scraped_page_is_not_part_of_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = 'The figure is accurate.">Haddad said that the clinic had treated 300 people.'
    found = _one(_attributions(claim_extractor, text), "said")
    assert _source(found) == "Haddad"


def test_a_saying_between_commas_reports_the_sentence_around_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The difference now, the envoy told me on Friday, is that the convoys can move."
    found = _one(_attributions(claim_extractor, text), "told")
    assert _source(found) == "the envoy"
    pieces = [text[p.start : p.end] for p in found.content.parts]
    assert pieces == ["The difference now", "is that the convoys can move"]


def test_an_as_clause_between_commas_names_its_speaker(claim_extractor: ClaimExtractor) -> None:
    text = "The town, as one of the inspectors pointed out, had no military depot."
    found = _one(_attributions(claim_extractor, text), "pointed out")
    assert _source(found) == "one of the inspectors"
    assert found.content.text == "The town had no military depot"


def test_a_subject_set_before_the_speaker_is_part_of_the_content(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "These patients, Haddad explained earlier in the hearing, were all farmers."
    found = _one(_attributions(claim_extractor, text), "explained")
    assert _source(found) == "Haddad"
    assert found.content.text == "These patients were all farmers"


def test_a_fronted_time_or_place_is_no_subject(claim_extractor: ClaimExtractor) -> None:
    text = (
        "In 2013, the minister complained bitterly about the inspectors' visit, and railed "
        "about foreign interference in the country's affairs."
    )
    for attribution in _attributions(claim_extractor, text):
        assert not attribution.content.text.startswith("In 2013")


def test_a_comment_clause_with_a_phrase_of_means_reports_the_main_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "As one analyst pointed out with a side-by-side map, the crater lies far from any "
        "depot the army has named."
    )
    found = _one(_attributions(claim_extractor, text), "pointed out")
    assert _source(found) == "one analyst"
    assert found.content.text.startswith("the crater lies far")


def test_a_that_clause_after_a_time_is_what_was_reported(claim_extractor: ClaimExtractor) -> None:
    found = _attributions(
        claim_extractor,
        "The agency reported at the time that the inspectors had been turned back at the "
        "checkpoint.",
    )
    reported = _one(found, "reported")
    assert reported.content.text == ("that the inspectors had been turned back at the checkpoint")
    tweeted = _one(
        _attributions(
            claim_extractor,
            "The governor tweeted in the early morning hours that the video was “staged”.",
        ),
        "tweeted",
    )
    assert _source(tweeted) == "The governor"
    assert tweeted.content.text.startswith("that the video was")


def test_a_report_carried_by_an_agency_stays_the_speakers_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Russian Defence Ministry said the strike hit a depot where rebels stored toxic "
        "munitions, Interfax reported."
    )
    found = _attributions(claim_extractor, text)
    said = _one(found, "said")
    assert _source(said) == "The Russian Defence Ministry"
    assert said.content.text == "the strike hit a depot where rebels stored toxic munitions"
    reported = _one(found, "reported")
    assert _source(reported) == "Interfax"


def test_a_denial_relayed_by_a_spokesman_is_the_ministers(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The minister denied that the army had used chemical weapons in the town, his "
        "spokesman said."
    )
    denied = _one(_attributions(claim_extractor, text), "denied")
    assert _source(denied) == "The minister"
    assert denied.content.text == "that the army had used chemical weapons in the town"


def test_a_statement_quoted_in_the_next_paragraph(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The ministry said in a statement:\n\n"
        '"The strike hit a depot where rebels stored toxic munitions."\n\n'
        "The town lies south of Idlib."
    )
    said = _one(_attributions(claim_extractor, text), "said")
    assert _source(said) == "The ministry"
    assert said.content.text == '"The strike hit a depot where rebels stored toxic munitions."'


def test_a_statement_set_out_unquoted_in_the_next_paragraph(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Syrian Observatory for Human Rights said:\n\n"
        "At least 58 people were killed, among them 11 children.\n\n"
        "The town lies south of Idlib."
    )
    said = _one(_attributions(claim_extractor, text), "said")
    assert said.content.text.startswith("At least 58 people were killed")
    assert "Idlib" not in said.content.text


def test_a_title_word_after_the_quotation_is_the_speakers(claim_extractor: ClaimExtractor) -> None:
    # the tagger reads "Tulsa" as a verb, and the parser hangs it on the quotation or on nothing
    text = "“We will find who did this,” Tulsa police Chief Ann Brooks said Monday."
    said = _one(_attributions(claim_extractor, text), "said")
    assert said.content.text == "“We will find who did this,”"
    assert _source(said) == "Tulsa police Chief Ann Brooks"


def test_a_closing_report_is_the_agencys_and_the_rest_the_ministers(
    claim_extractor: ClaimExtractor,
) -> None:
    for text, agency in (
        ("The minister said the strike hit a depot, Interfax reported.", "Interfax"),
        ("The minister said the strike hit a depot, the agency reported on Friday.", "the agency"),
    ):
        found = _attributions(claim_extractor, text)
        said = _one(found, "said")
        assert _source(said) == "The minister"
        assert said.content.text == "the strike hit a depot"
        reported = _one(found, "reported")
        assert _source(reported) == agency
        assert reported.content.text == "The minister said the strike hit a depot"


def test_he_said_inside_an_agency_report_stays_his(claim_extractor: ClaimExtractor) -> None:
    text = "He said the strike hit a depot, the agency reported."
    found = _attributions(claim_extractor, text)
    said = _one(found, "said")
    assert _source(said) == "He"
    assert said.content.text == "the strike hit a depot"


def test_an_adjective_on_a_noun_of_saying_is_no_speaker() -> None:
    extractor = AttributionExtractor()
    text = "The moderator drew heavy criticism."
    doc = extractor.nlp(text)
    proposed = [a for a, _, _ in extractor.proposals(doc, quotations(text))]
    criticism = [a for a in proposed if a.cue.text == "criticism"]
    assert criticism, [(a.cue.text, a.content.text) for a in proposed]
    assert all(_source(a) != "heavy" for a in criticism)


def test_a_participle_after_a_denial_is_the_denier_going_on(
    claim_extractor: ClaimExtractor,
) -> None:
    # the parser hangs "calling" on the denied clause's verb
    text = (
        "The defence ministry denied that its helicopters had dropped barrel bombs "
        "on the market, calling the footage a crude fake."
    )
    found = _one(_attributions(claim_extractor, text), "calling")
    assert _source(found) == "The defence ministry"
    assert found.content.text.startswith("the footage a crude fake")


def test_a_phrase_of_means_between_told_and_its_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    # "that …" parsed as a relative clause of "call"
    text = (
        "Foreign Minister Anna Lindqvist told her Turkish counterpart in a phone call that the "
        "border crossings had to stay open."
    )
    found = _one(_attributions(claim_extractor, text), "told")
    assert _source(found) == "Foreign Minister Anna Lindqvist"
    assert found.content.text == "that the border crossings had to stay open"


def test_a_relative_clause_of_the_phrase_is_not_taken_for_what_was_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The envoy spoke at a meeting that lasted four hours and said the talks had stalled."
    contents = [a.content.text for a in _attributions(claim_extractor, text)]
    assert not any(c.startswith("that lasted") for c in contents), contents


def test_a_descriptor_the_parser_made_a_second_subject_stays_in_the_source(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        '"There was never a depot in the town," the opposition Syrian National Coalition said '
        "in a statement."
    )
    (record,) = claim_extractor.extract(text)
    assert _source(record.attribution) == "the opposition Syrian National Coalition"
    # the speaker is named from the name, not the descriptor
    assert record.speaker is not None and record.speaker.name == "Syrian National Coalition"


def test_called_on_with_its_infinitive_parsed_as_an_adverbial_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    # "director-general" is parsed as an adjective at the root and "called" as a clause on the name
    text = "Its director-general, Fatima Okoye, called on both sides to let the inspectors pass."
    found = _one(_attributions(claim_extractor, text), "called on")
    assert found.content.text == "both sides to let the inspectors pass"
    assert _source(found) is not None and "Fatima Okoye" in _source(found)  # type: ignore[operator]


def test_the_site_a_video_was_posted_on_does_not_show_it(
    claim_extractor: ClaimExtractor,
) -> None:
    # the parser reads "Facebook showing …" as a clause with the site as its subject
    text = "The civil defence posted a video on Facebook showing rescuers hosing down children."
    found = _one(_attributions(claim_extractor, text), "showing")
    assert _source(found) == "a video"


def test_the_source_added_is_the_unnamed_source_quoted_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Interfax quoted a Russian military source as saying the jets had hit a workshop "
        "producing shells. The source added that the workshop belonged to the Nusra Front."
    )
    records = claim_extractor.extract(text)
    added = next(r for r in records if r.attribution.cue.text == "added")
    assert added.speaker is not None
    assert added.speaker.name == "Russian military source"
    assert added.speaker.resolved_from == "source"


def test_a_full_name_with_a_middle_initial_is_a_person_he_refers_to(
    claim_extractor: ClaimExtractor,
) -> None:
    # in a meeting record the parse gives the name no entity at all
    text = (
        "SECURITY COUNCIL, 9001ST MEETING (PM)\n\n"
        "Vassily A. Nebenzia (Russian Federation) said the text had been drafted in haste. "
        "He went on to say that the inspectors had never visited the airfield."
    )
    records = claim_extractor.extract(text)
    later = next(r for r in records if r.attribution.source and r.attribution.source.text == "He")
    assert later.speaker is not None and later.speaker.name == "Vassily A. Nebenzia"


def test_a_journalists_question_in_a_transcript_is_no_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Question: Will the ministry release the flight logs?\n\n"
        "Maria Zakharova: The logs are a matter for the defence ministry."
    )
    sources = [_source(a) for a in _attributions(claim_extractor, text)]
    assert sources == ["Maria Zakharova"]


def test_she_after_an_unnamed_nurse_at_a_named_hospital_is_the_nurse(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Maria Zakharova called the reports a provocation.\n\n"
        "A nurse at the Al-Iman hospital in Kafr Nabl recalled that the patients could not "
        'breathe. "We ran out of atropine by noon," she said.'
    )
    records = claim_extractor.extract(text)
    said = next(r for r in records if r.attribution.cue.text == "said")
    assert said.speaker is not None and said.speaker.name.startswith("nurse")


def test_a_woman_named_since_a_man_of_unknown_gender_is_she(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Dr. Tamer Haroun told reporters the symptoms pointed to a nerve agent. His colleague, "
        "Dr. Hala Nasser, disagreed on one point. She said some patients smelled of chlorine."
    )
    records = claim_extractor.extract(text)
    said = next(r for r in records if r.attribution.cue.text == "said")
    assert said.speaker is not None and said.speaker.name == "Hala Nasser"


def test_a_statement_from_a_body_named_by_a_common_noun_is_the_bodys(
    claim_extractor: ClaimExtractor,
) -> None:
    text = '"We will answer this crime," a statement from the Turkish presidency said.'
    (record,) = claim_extractor.extract(text)
    assert record.speaker is not None and record.speaker.name == "Turkish presidency"


def test_a_body_the_tagger_reads_as_a_place_is_no_state(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "IDLIB, Syria (AP) - The Syrian Observatory, a Britain-based monitoring group, said 20 "
        "children were among the dead."
    )
    (record,) = claim_extractor.extract(text)
    assert record.speaker is not None
    assert (record.speaker.name, record.speaker.type) == ("Syrian Observatory", "organisation")


def test_someones_spokesman_is_not_that_someone(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov told reporters the strike was lawful. Guterres's "
        "spokesman said the attack was a crime. The spokesman added that the council would meet."
    )
    records = claim_extractor.extract(text)
    said = next(r for r in records if r.attribution.cue.text == "said")
    assert said.speaker is not None and said.speaker.name == "Guterres's spokesman"
    added = next(r for r in records if r.attribution.cue.text == "added")
    # the spokesman who spoke last, not the last person titled spokesman
    assert added.speaker is not None and added.speaker.name == "Guterres's spokesman"


def test_one_of_a_leaders_advisers_is_an_unnamed_adviser(claim_extractor: ClaimExtractor) -> None:
    (record,) = claim_extractor.extract(
        "One of Mr. Assad's advisers said the inspectors would be given access."
    )
    assert record.speaker is not None
    assert record.speaker.name == "One of Mr. Assad's advisers"
    assert record.speaker.affiliation == "Assad"


def test_told_someone_to_do_something_reports_the_infinitive(
    claim_extractor: ClaimExtractor,
) -> None:
    # the infinitive parsed as an adverbial clause after a phrase of place
    text = 'The commander tells his men at a checkpoint to "let nobody through without papers."'
    found = _one(_attributions(claim_extractor, text), "tells")
    assert found.content.text.startswith('to "let nobody through')


def test_called_for_with_a_passive_infinitive(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Though she called the ruling “shameful” and called for the samples to be “tested "
        "again” by a second laboratory, the minister accepted the report."
    )
    found = [a for a in _attributions(claim_extractor, text) if a.cue.text.startswith("called")]
    assert [a.content.text[:17] for a in found] == ["the ruling “shame", "the samples to be"]
    assert _source(found[1]) == "she"


def test_a_that_clause_after_the_cue_beats_one_inside_a_fronted_phrase(
    claim_extractor: ClaimExtractor,
) -> None:
    # the parser hangs "lost the vote" on "noted" as well
    text = (
        "Speaking to a Washington Post panel that all agreed Russia lost the vote, Anna M. Berg "
        "noted that the way the envoy carried himself was critical."
    )
    found = _one(_attributions(claim_extractor, text), "noted")
    assert found.content.text == "that the way the envoy carried himself was critical"


def test_a_writers_clause_holding_its_own_colon_is_not_what_was_declared(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "We have been here before: Abu Bakr al-Baghdadi declared war on the United States."
    found = _one(_attributions(claim_extractor, text), "declared")
    assert found.content.text == "war on the United States"


def test_a_that_clause_after_a_phrase_on_the_object_of_told(
    claim_extractor: ClaimExtractor,
) -> None:
    text = 'He also told one of his young recruits on a regular basis that "terror is the answer."'
    found = _one(_attributions(claim_extractor, text), "told")
    assert found.content.text.startswith('that "terror is the answer')


def test_began_by_saying_after_a_first_verb_is_its_subjects(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Haddad, a surgeon, then appeared on Al Jazeera on Tuesday and began by saying he "
        "had “never” seen such wounds."
    )
    found = _one(_attributions(claim_extractor, text), "saying")
    assert _source(found) == "Haddad, a surgeon,"
    assert found.content.text.startswith("he had")


def test_a_quotation_before_told_beats_a_relative_clause_on_the_crowd(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "''There seems to be a lot of shelling going on,'' the governor told a crowd that the "
        "police estimated at 2,000 people at a stadium here."
    )
    found = _one(_attributions(claim_extractor, text), "told")
    assert found.content.text == "''There seems to be a lot of shelling going on,''"


def test_information_provided_by_a_state_is_the_states(claim_extractor: ClaimExtractor) -> None:
    text = (
        "According to the information provided by the Syrian Arab Republic, no flights took "
        "place over the town that morning."
    )
    (record,) = claim_extractor.extract(text)
    assert record.speaker is not None and record.speaker.name == "Syria"


def test_an_abbreviation_opening_a_paragraph_stays_with_its_noun(
    claim_extractor: ClaimExtractor,
) -> None:
    # after a photo credit with no full stop, the parser ends a sentence after "U.S."
    text = (
        "A man carries a child at a field hospital. REUTERS/Ammar Abdullah\n\n"
        "U.S. officials rejected the Russian account."
    )
    found = _one(_attributions(claim_extractor, text), "rejected")
    assert _source(found) == "U.S. officials"


def test_a_photo_caption_is_no_speaker(claim_extractor: ClaimExtractor) -> None:
    text = "Photo caption: Rescuers hose down a child in Khan Shaykhun.\n\nThe town was quiet."
    assert _attributions(claim_extractor, text) == []


def test_condemned_what_someone_called_is_one_claim_of_the_condemner(
    claim_extractor: ClaimExtractor,
) -> None:
    # the parser makes "what he called …" the cue's clause and "what" the object of "called"
    text = 'The envoy condemned what he called a "brazen breach" of the ceasefire.'
    attributions = _attributions(claim_extractor, text)
    assert [(a.cue.text, a.content.text) for a in attributions] == [
        ("condemned", 'what he called a "brazen breach" of the ceasefire')
    ]


def test_branded_with_a_complement_is_a_claim_without_one_none(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'The envoy disputed the findings and branded the witnesses "paid actors". The '
        "ministry branded the vehicles."
    )
    found = _one(_attributions(claim_extractor, text), "branded")
    assert _source(found) == "The envoy"
    assert found.content.text == 'the witnesses "paid actors"'


def test_an_aside_on_the_speakers_phrase_is_not_in_the_speakers_name(
    claim_extractor: ClaimExtractor,
) -> None:
    # the parser hangs "who requested anonymity" on "command", not on "source"
    text = (
        "A source in the Syrian army command, who requested anonymity, told Reuters the army "
        "had never used poison gas."
    )
    (record,) = claim_extractor.extract(text)
    assert record.speaker is not None
    assert record.speaker.name == "source in the Syrian army command"
    assert (record.speaker.type, record.speaker.affiliation) == ("unknown", "Syria")


def test_they_after_residents_who_spoke_last_is_the_residents(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Russia's envoy said the town had been shelled by rebels.\n\n"
        "Three residents of Khan Shaykhun reached by telephone said they had seen a jet circle "
        "twice. They said the first bomb fell near the bakery."
    )
    records = claim_extractor.extract(text)
    residents = next(r for r in records if r.attribution.content.text.startswith("they had"))
    assert residents.speaker is not None
    assert residents.speaker.name == "Three residents of Khan Shaykhun"
    they = next(r for r in records if r.attribution.content.text.startswith("the first bomb"))
    assert they.speaker is not None and they.speaker.name == "Three residents of Khan Shaykhun"


def test_a_headlines_topic_before_a_colon_is_no_speaker(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Frustration with the inquiry: Diplomats say the panel has been obstructed.\n\n"
        "Ah, allies once more: Moscow and Damascus side by side at the council.\n\n"
        "Source: Reuters\n\n"
        "Clinton camp and aides: The inquiry was a sham.\n\n"
        "Nebenzia on the Findings: 'A provocation from start to finish.'\n\n"
        "Vassily Nebenzia told the council the mechanism was biased."
    )
    found = sorted((_source(a), a.cue.text) for a in _attributions(claim_extractor, text))
    assert found == [
        ("Clinton camp and aides", ":"),
        ("Diplomats", "say"),
        ("Nebenzia", ":"),
        ("Vassily Nebenzia", "told"),
    ]


def test_a_transcript_turn_in_capitals_is_a_turn(claim_extractor: ClaimExtractor) -> None:
    # the tagger reads "LAVROV" as a verb
    text = (
        "The talks resumed in Geneva.\n\n"
        "LAVROV: We have shown the evidence to everyone.\n\n"
        "BREAKING: Strikes reported near Idlib."
    )
    records = claim_extractor.extract(text)
    turn = next(r for r in records if r.attribution.cue.text == ":")
    assert _source(turn.attribution) == "LAVROV"
    assert turn.attribution.content.text == "We have shown the evidence to everyone"
    assert [r.attribution.cue.text for r in records].count(":") == 1


def test_a_topic_hung_on_the_place_of_a_protest(claim_extractor: ClaimExtractor) -> None:
    text = "The delegation protested at the meeting over the conclusions of the panel."
    found = _one(_attributions(claim_extractor, text), "protested")
    assert found.content.text == "the conclusions of the panel"


def test_a_protected_witness_testifies_and_is_he_after(claim_extractor: ClaimExtractor) -> None:
    # "testified" parsed as an adverbial clause of "identified"; the filter alone drops it
    text = (
        "A witness identified only as Witness Q testified that guards beat prisoners every "
        "night. Under cross-examination, he conceded that he had never seen the defendant."
    )
    records = claim_extractor.extract(text)
    testified = next(r for r in records if r.attribution.cue.text == "testified")
    assert _source(testified.attribution) == "Witness Q"
    assert testified.attribution.content.text == "that guards beat prisoners every night"
    conceded = next(r for r in records if r.attribution.cue.text == "conceded")
    assert conceded.speaker is not None and conceded.speaker.name == "Witness Q"
    assert conceded.speaker.type == "person"


def test_he_after_an_office_named_as_a_subject_is_that_office(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Secretary-General is deeply disturbed by the reports of an attack in Khan "
        "Shaykhun. He recalls that the use of chemical weapons is a war crime."
    )
    (record,) = claim_extractor.extract(text)
    assert record.speaker is not None and record.speaker.name == "Secretary-General"


def test_an_agencys_own_dateline_and_a_ministry_named_again(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Damascus, SANA - The Foreign and Expatriates Ministry affirmed in two letters to the "
        "Security Council that the army has never used toxic gases. The Ministry stressed that "
        "the accusations were based on fabricated videos."
    )
    records = claim_extractor.extract(text)
    assert [(r.attribution.cue.text, r.speaker.name if r.speaker else None) for r in records] == [
        ("affirmed", "Foreign and Expatriates Ministry"),
        ("stressed", "Foreign and Expatriates Ministry"),
    ]


def test_a_title_of_trade_before_a_name_is_no_part_of_it(claim_extractor: ClaimExtractor) -> None:
    text = 'Activist Huda Khalil told Al Jazeera: "We could do nothing."'
    (record,) = claim_extractor.extract(text)
    assert record.speaker is not None and record.speaker.name == "Huda Khalil"


def test_a_no_break_space_around_a_signed_quotations_dash(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "“We ran to the cellar when we smelled it.”\u00a0― Amal Darwish\u00a0\n\n"
        "“The doctors had no atropine left. What could we do?”\u00a0―\u00a0Yusuf Bakr.\n"
    )
    records = claim_extractor.extract(text)
    assert [
        (r.speaker.name if r.speaker else None, r.attribution.content.text) for r in records
    ] == [
        ("Amal Darwish", "“We ran to the cellar when we smelled it.”"),
        ("Yusuf Bakr", "“The doctors had no atropine left. What could we do?”"),
    ]


def test_said_before_a_speaker_named_before(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Ryan Ellis, a tax consultant, was unimpressed. Said Ellis: “I don’t get the sense "
        "she’s the least bit interested in tax reform.”\n\n"
        'Mr. Comey spoke on Friday. Said Comey, "The thought that an error is connected to '
        'this is wrong."'
    )
    records = claim_extractor.extract(text)
    assert [
        (
            r.attribution.source.text if r.attribution.source else None,
            r.speaker.name if r.speaker else None,
        )
        for r in records
    ] == [
        ("Ellis", "Ryan Ellis"),
        ("Comey", "Comey"),
    ]
    assert records[0].attribution.content.text.startswith("“I don’t get the sense")
    assert records[1].attribution.content.text.endswith('connected to this is wrong."')


def test_said_as_a_given_name_opens_a_turn_not_an_inversion(
    claim_extractor: ClaimExtractor,
) -> None:
    # "Said" is a common Arabic given name: Said Haddad, named here for the first time, speaks
    text = "Said Haddad: “We saw the planes circle twice before the first strike.”"
    records = claim_extractor.extract(text)
    assert [r.speaker.name if r.speaker else None for r in records] == ["Said Haddad"]


def test_the_ambassador_is_the_ambassador_not_the_envoy_named_since(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The French ambassador said the attack bore the signature of the government. The "
        "Russian envoy said the report was based on fabricated evidence. The ambassador added "
        "that Paris would press for sanctions."
    )
    records = claim_extractor.extract(text)
    assert [r.speaker.name if r.speaker else None for r in records] == [
        "French ambassador",
        "Russian envoy",
        "French ambassador",
    ]


def test_a_kindred_title_still_finds_the_only_diplomat(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The French ambassador said the attack bore the signature of the government. The "
        "envoy said the vote would come on Friday."
    )
    records = claim_extractor.extract(text)
    assert [r.speaker.name if r.speaker else None for r in records] == [
        "French ambassador",
        "French ambassador",
    ]


def test_a_document_speaks_for_whoever_issued_it(claim_extractor: ClaimExtractor) -> None:
    text = (
        "A New York Times article on Monday said the strike killed dozens. “The hospital was "
        "hit twice,” the article read. The Times wrote that the wounded were moved to Idlib.\n\n"
        "The ministry's latest report said the depot stored rebel munitions. A Human Rights "
        "Watch investigation found that the bomb was Soviet-made. A Syrian government "
        "statement said the army had never used chemical weapons. A news report said the "
        "road was closed. The New York Post said the strike was justified."
    )
    records = claim_extractor.extract(text)
    assert [r.speaker.name if r.speaker else None for r in records] == [
        "New York Times",
        "New York Times",
        "New York Times",
        "ministry",
        "Human Rights Watch",
        "Syrian government",
        "news report",  # no one named
        "New York Post",  # a newspaper's name, not a post
    ]


def test_a_name_given_in_two_complements_keeps_both(claim_extractor: ClaimExtractor) -> None:
    # the parser makes "Oz" and "fake" two complements of "called", with nothing as its object
    text = "One of the doctors called Oz a quack, fake and charlatan."
    found = _one(_attributions(claim_extractor, text), "called")
    assert found.content.text == "Oz a quack, fake and charlatan"


def test_a_live_pages_time_stamps_are_neither_speaker_nor_content(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "09:12 GMT - The death toll has risen to 72, the Idlib health directorate said.\n\n"
        "10:31 GMT - Kommersant reported that Moscow had not been warned of the strike.\n\n"
        "11.45am: A spokesperson for the World Health Organization said some of the cases "
        "showed signs of exposure to organophosphorus chemicals.\n"
    )
    records = claim_extractor.extract(text)
    assert [
        (r.attribution.source.text if r.attribution.source else None, r.attribution.content.text)
        for r in records
    ] == [
        ("the Idlib health directorate", "The death toll has risen to 72"),
        ("Kommersant", "that Moscow had not been warned of the strike"),
        (
            "A spokesperson for the World Health Organization",
            "some of the cases showed signs of exposure to organophosphorus chemicals",
        ),
    ]


def test_a_denial_after_a_noun_summing_up_the_claim_is_a_claim_of_its_own(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The joint mechanism found that the Syrian government was responsible, a conclusion "
        "Damascus rejects. Researchers identified the munition as a Soviet-era KhAB-250, a "
        "claim the Russian military has rejected."
    )
    records = claim_extractor.extract(text)
    assert [
        (r.speaker.name if r.speaker else None, r.attribution.cue.text, r.attribution.content.text)
        for r in records
    ] == [
        ("joint mechanism", "found", "that the Syrian government was responsible"),
        ("Syria", "rejects", "that the Syrian government was responsible"),
        ("Researchers", "identified", "the munition as a Soviet-era KhAB-250"),
        ("Russian military", "rejected", "the munition as a Soviet-era KhAB-250"),
    ]


def test_the_writers_caution_is_no_part_of_the_claim(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The Observatory said the hospital was hit twice, a claim that could not be "
        "independently verified."
    )
    (record,) = claim_extractor.extract(text)
    assert record.attribution.content.text == "the hospital was hit twice"


def test_citing_its_sources_is_where_a_report_came_from_not_a_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Reuters reported, citing two officials, that the convoy was hit. The company "
        "delayed the launch, citing safety concerns."
    )
    records = claim_extractor.extract(text)
    assert [(r.attribution.cue.text, r.attribution.content.text) for r in records] == [
        ("reported", "that the convoy was hit"),
        ("citing", "safety concerns"),  # a reason given is the company's
    ]


def test_the_agency_is_the_body_a_spokesperson_spoke_for(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Syrian state television showed footage of rebel workshops. A spokesperson for the "
        "World Health Organization said some of the cases showed signs of exposure. The "
        "agency urged all parties to let medical teams reach the wounded."
    )
    records = claim_extractor.extract(text)
    urged = next(r for r in records if r.attribution.cue.text == "urged")
    assert urged.speaker is not None and urged.speaker.name == "World Health Organization"


def test_a_name_the_parse_splits_into_several_subjects_is_one_person(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'Abdel Hamid al-Youssef lost his wife and his twin babies in the attack. "I could '
        'not save anyone," says Youssef, 29.'
    )
    (record,) = claim_extractor.extract(text)
    assert record.speaker is not None and record.speaker.name == "Abdel Hamid al-Youssef"


def test_what_someone_was_urged_to_allow_is_not_their_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The agency urged all parties to allow medical teams to reach the wounded."
    records = claim_extractor.extract(text)
    assert [(r.attribution.cue.text, r.attribution.content.text) for r in records] == [
        ("urged", "all parties to allow medical teams to reach the wounded")
    ]


def test_a_reports_title_after_a_country_is_no_turn(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Syria: Chemical attack on Khan Shaykhun\n\n"
        "Russia: We will veto any draft that prejudges the inquiry.\n\n"
        'President al-Assad: the Khan Shaykhun story is "100 percent fabrication"\n'
    )
    records = claim_extractor.extract(text)
    turns = [
        (r.attribution.source.text, r.attribution.content.text)
        for r in records
        if r.attribution.cue.text == ":" and r.attribution.source
    ]
    assert turns == [
        ("Russia", "We will veto any draft that prejudges the inquiry"),
        ("President al-Assad", 'the Khan Shaykhun story is "100 percent fabrication"'),
    ]


def test_the_medium_of_a_saying_is_not_what_was_said(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The Foreign Ministry later repeated the president's words in a letter to the "
        "Security Council."
    )
    (record,) = claim_extractor.extract(text)
    assert record.attribution.content.text == "the president's words"


def test_a_platform_before_a_that_clause_is_where_not_what(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'The Russian embassy in London responded on Twitter that the images were "staged by '
        'the White Helmets", a claim the group called "a despicable lie". A spokesman for the '
        "group told Al Jazeera in a phone interview that its teams had been working since dawn."
    )
    records = claim_extractor.extract(text)
    found = [
        (r.speaker.name if r.speaker else None, r.attribution.cue.text, r.attribution.content.text)
        for r in records
    ]
    assert found[0] == (
        "Russian embassy in London",
        "responded",
        'that the images were "staged by the White Helmets"',
    )
    assert found[1][1:] == (
        "called",
        'that the images were "staged by the White Helmets" "a despicable lie"',
    )
    assert found[2][1:] == ("told", "that its teams had been working since dawn")
    assert records[0].speaker is not None and records[0].speaker.affiliation == "Russia"
    assert [p.text for p in records[1].attribution.content.pieces] == [
        'that the images were "staged by the White Helmets"',
        '"a despicable lie"',
    ]


def test_the_group_is_the_body_named_before_not_an_embassy(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "In a post on Facebook, the White Helmets wrote that their volunteers had rescued 200 "
        "people. The Russian embassy said the images were staged. The group said the embassy "
        "was lying."
    )
    records = claim_extractor.extract(text)
    assert [r.speaker.name if r.speaker else None for r in records] == [
        "White Helmets",
        "Russian embassy",
        "White Helmets",
    ]
    assert records[0].speaker is not None and records[0].speaker.type == "organisation"


def test_a_ministrys_register_the_side_a_view_and_an_insistence(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Russian side believes that the conclusions are based on unverified information. "
        "In our view, the chain of custody of the samples cannot be confirmed. Moscow insists "
        "on a new, genuinely independent investigation. The envoy insisted on Monday that the "
        "strike was lawful."
    )
    records = claim_extractor.extract(text)
    assert [
        (
            r.attribution.source.text if r.attribution.source else None,
            r.attribution.cue.text,
            r.attribution.content.text,
        )
        for r in records
    ] == [
        (
            "The Russian side",
            "believes",
            "that the conclusions are based on unverified information",
        ),
        ("our", "view", "the chain of custody of the samples cannot be confirmed"),
        (None, "cannot be confirmed", "the chain of custody of the samples"),  # as annotated
        ("Moscow", "insists on", "a new, genuinely independent investigation"),
        ("The envoy", "insisted", "that the strike was lawful"),
    ]
    assert records[0].speaker is not None and records[0].speaker.name == "Russia"


def test_a_name_given_is_not_a_call_for_something(claim_extractor: ClaimExtractor) -> None:
    text = "Oz has been called a charlatan by fellow physicians for promoting quack cures."
    found = _one(_attributions(claim_extractor, text), "has been called")
    assert found.content.text.startswith("a charlatan")


def test_a_commissions_reasonable_grounds_to_believe_is_its_finding(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Commission has reasonable grounds to believe that the aircraft dispersed sarin. "
        "The mechanism has sufficient basis to conclude that the government was responsible."
    )
    records = claim_extractor.extract(text)
    assert [
        (r.speaker.name if r.speaker else None, r.attribution.content.text) for r in records
    ] == [
        ("Commission", "that the aircraft dispersed sarin"),
        ("mechanism", "that the government was responsible"),
    ]


def test_according_to_a_speaker_described_before_a_quotation(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'According to one survivor, a woman whose three children died, "the street was full '
        'of bodies within minutes".'
    )
    found = _one(_attributions(claim_extractor, text), "According to")
    assert found.content.text == '"the street was full of bodies within minutes"'
    assert _source(found) is not None and "a woman whose three children died" in _source(found)  # type: ignore[operator]


def test_a_turn_in_capitals_with_a_translators_note_is_the_person_named_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "AMANPOUR: Joining me now is Dr. Mohammed Tennari, who treated victims of the attack.\n\n"
        "TENNARI (through translator): The patients could not breathe.\n"
    )
    records = claim_extractor.extract(text)
    turn = next(
        r for r in records if r.attribution.content.text == "The patients could not breathe"
    )
    assert turn.attribution.source is not None and turn.attribution.source.text == "TENNARI"
    assert turn.speaker is not None and turn.speaker.name == "Mohammed Tennari"


def test_a_speaker_described_between_commas_after_a_quotation(
    claim_extractor: ClaimExtractor,
) -> None:
    # the parser makes the programme's quoted name the subject of "said", and the speaker an
    # apposition of the quotation's last noun
    text = (
        "“There's a severe disconnect between this White House and our military,” Flynn, a "
        "top Trump surrogate, said Thursday morning on Fox News’s “Fox and Friends.”"
    )
    found = _one(_attributions(claim_extractor, text), "said")
    assert _source(found) == "Flynn, a top Trump surrogate,"
    assert found.content.text.startswith("“There's a severe disconnect")
    assert found.content.text.endswith("our military,”")


def test_calling_a_meeting_says_nothing(claim_extractor: ClaimExtractor) -> None:
    text = "Britain called a vote on the draft resolution. The envoy called the meeting a farce."
    records = claim_extractor.extract(text)
    assert [(r.attribution.cue.text, r.attribution.content.text) for r in records] == [
        ("called", "the meeting a farce")
    ]


def test_words_without_a_verb_before_the_speaker_are_what_was_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "A terrible mistake, the envoy said. Yesterday morning, he said the vote would come."
    records = claim_extractor.extract(text)
    assert [
        (r.attribution.source.text if r.attribution.source else None, r.attribution.content.text)
        for r in records
    ] == [
        ("the envoy", "A terrible mistake"),
        ("he", "the vote would come"),
    ]


def test_a_passive_charge_keeps_the_charge_out_of_its_accuser(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The Syrian government has been accused by Western states of covering up the attack."
    found = _one(_attributions(claim_extractor, text), "has been accused")
    assert _source(found) == "Western states"
    assert [piece.text for piece in found.content.pieces] == [
        "The Syrian government",
        "of covering up the attack",
    ]


def test_a_transcript_or_a_report_by_someone_is_theirs(claim_extractor: ClaimExtractor) -> None:
    text = (
        "According to a transcript released by the Kremlin, Putin told his French counterpart "
        "that the accusations were unfounded. A report by Human Rights Watch said the bomb was "
        "Soviet-made."
    )
    records = claim_extractor.extract(text)
    assert [r.speaker.name if r.speaker else None for r in records] == [
        "Russia",
        "Putin",
        "Human Rights Watch",
    ]


def _speakers(extractor: ClaimExtractor, text: str) -> list[tuple[str, str, str | None]]:
    """(cue, first words of the content, speaker's name) of every claim, in order."""
    return [
        (
            r.attribution.cue.text,
            " ".join(r.attribution.content.text.split()[:3]),
            r.speaker.name if r.speaker else None,
        )
        for r in extractor.extract(text)
    ]


def test_a_name_addressed_in_a_question_is_not_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "MR. HALE: We have nothing to add.\n\n"
        "Q: Sean, the Russians say the evidence was fabricated. How do you respond?\n"
    )
    found = _one(_attributions(claim_extractor, text), "say")
    assert _source(found) == "the Russians"


def test_an_honorific_at_a_transcript_s_opening_names_the_person(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Press Briefing by Press Secretary Sean Spicer, April 11, 2017\n\n"
        "MR. SPICER: Good afternoon. Our policy has not changed.\n"
    )
    found = [s for s in _speakers(claim_extractor, text) if s[0] == ":"]
    assert found == [(":", "Good afternoon. Our", "Sean Spicer")]


def test_a_parliament_s_record_names_the_member_not_the_office(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Secretary of State for Foreign and Commonwealth Affairs (Boris Johnson): British "
        "scientists have analysed the samples, and they tested positive for sarin.\n\n"
        "Emily Thornberry (Islington South and Finsbury) (Lab): We all share his revulsion at "
        "this atrocity. But can he tell the House what legal basis there would be for any "
        "further action?\n"
    )
    found = _speakers(claim_extractor, text)
    assert [s for s in found if s[0] == ":"] == [
        (":", "British scientists have", "Boris Johnson"),
        (":", "We all share", "Emily Thornberry"),
    ]
    assert ("share", "his revulsion at", "Emily Thornberry") in found  # "we all": hers
    assert not [s for s in found if s[0] == "tell"]  # a question put to him claims nothing


def test_a_column_s_i_is_its_author_and_we_after_the_paper_is_the_paper(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Opinion: Khan Shaykhun demands more than outrage\n\n"
        "By Leila Haddad\n\n"
        "One survivor, a teacher named Samer, insisted that the planes came before dawn. "
        "I have never doubted what the survivors told me. "
        '"I saw the cloud," Samer said.\n\n'
        "This newspaper has long maintained that accountability must come first. We believe "
        "the Council should refer the case to the International Criminal Court.\n"
    )
    found = _speakers(claim_extractor, text)
    assert ("have never doubted", "what the survivors", "Leila Haddad") in found
    assert ("said", '"I saw the', "Samer") in found
    assert ("believe", "the Council should", "This newspaper") in found


def test_what_was_done_with_a_complaint_and_whom_it_was_told_are_no_content(
    claim_extractor: ClaimExtractor,
) -> None:
    found = _speakers(claim_extractor, "Criminal complaint filed in Paris over the attack\n")
    assert found == []
    assert _speakers(claim_extractor, "What the samples tell us\n") == []
    text = (
        "Politifact did a fact-check on Trump's claim that there have been thousands of shootings."
    )
    kept = _one(_attributions(claim_extractor, text), "claim")
    assert kept.content.text == "that there have been thousands of shootings"


def test_a_state_s_government_named_as_a_subject_is_what_it_then_refers_to(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Paris prosecutor's office confirmed that it had received the complaint. "
        "The Syrian government did not attend the hearing. It has previously denied using "
        "chemical weapons."
    )
    found = _speakers(claim_extractor, text)
    assert ("denied", "using chemical weapons", "Syrian government") in found


def test_a_surname_with_its_article_in_lower_case_is_the_person_named_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Foreign Minister Walid al-Moallem affirmed that the army has never used chemical "
        "weapons. During a press conference held in Damascus on Thursday, al-Moallem stressed "
        "that the stockpile had been handed over."
    )
    found = _speakers(claim_extractor, text)
    assert ("stressed", "that the stockpile", "Walid al-Moallem") in found


def test_it_after_a_text_that_spoke_is_that_text(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The ministry received the filing on Monday. The complaint alleges that the attack "
        "was planned at the highest levels. It names several senior officers of the air force."
    )
    found = _speakers(claim_extractor, text)
    assert ("names", "several senior officers", "complaint") in found


def test_the_infinitive_that_takes_the_clause_is_part_of_the_cue(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The President continues to believe that the regime carried out the attack."
    found = _one(_attributions(claim_extractor, text), "continues to believe")
    assert found.content.text == "that the regime carried out the attack"


def test_a_meeting_record_s_representatives_are_who_he_and_she_mean(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The representative of the Russian Federation said that his delegation could not "
        "support the text. He went on to say that the draft ignored the facts.\n\n"
        "The representative of the United States said the Council must act. She added that "
        "the evidence pointed to an air strike."
    )
    found = _speakers(claim_extractor, text)
    assert ("went on to say", "that the draft", "representative of the Russian Federation") in found
    assert ("added", "that the evidence", "representative of the United States") in found


def test_a_fact_check_s_verdict_is_a_label_and_its_we_is_not_the_last_body_named(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Syrian Civil Defence confirmed to us that it was a drill.\n\n"
        "Verdict: False. We found that none of the footage had been staged.\n"
    )
    found = _speakers(claim_extractor, text)
    assert not [s for s in found if s[0] == ":"]
    assert ("found", "that none of", "We") in found


def test_asking_to_be_identified_only_by_a_name_is_no_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "A woman who asked to be identified only as Umm Ahmed said she woke to the sound of "
        "a plane."
    )
    assert [s[0] for s in _speakers(claim_extractor, text)] == ["said"]


def test_the_diplomat_is_the_foreign_ministry_s_spokeswoman_named_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Russian Foreign Ministry spokeswoman Maria Zakharova wrote on Telegram that the "
        "campaign was a provocation. The diplomat emphasised that Moscow had warned of it."
    )
    found = _speakers(claim_extractor, text)
    assert ("emphasised", "that Moscow had", "Maria Zakharova") in found


def test_a_town_never_speaks_even_when_the_tagger_calls_it_a_person(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Khan Shaykhun demands more than outrage\n\n"
        "The Joint Investigative Mechanism has found the Syrian government responsible."
    )
    assert [s[0] for s in _speakers(claim_extractor, text)] == ["has found"]


def test_a_closing_report_parsed_as_a_relative_clause_reports_the_sentence(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The footage from the town was staged by the so-called White Helmets, the Russian "
        "Defence Ministry claimed on Tuesday."
    )
    found = _one(_attributions(claim_extractor, text), "claimed")
    assert _source(found) == "the Russian Defence Ministry"
    assert found.content.text == (
        "The footage from the town was staged by the so-called White Helmets"
    )


def test_a_rank_the_tagger_calls_an_organisation_is_neither_name_nor_body(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Ministry spokesman Major General Igor Konashenkov branded the video a fake."
    records = claim_extractor.extract(text)
    assert [(r.speaker.name, r.speaker.affiliation) for r in records if r.speaker] == [
        ("Igor Konashenkov", "")
    ]


def test_a_report_s_footnote_marks_neither_join_sentences_nor_end_content(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Human Rights Watch interviewed 60 people with direct knowledge of the attacks.[23] "
        "One resident of Khan Shaykhun told Human Rights Watch that he saw a plane drop a "
        'bomb near the bakery.[24] "There was no blood on them," he said.[25]'
    )
    found = _speakers(claim_extractor, text)
    assert found == [
        ("told", "that he saw", "One resident of Khan Shaykhun"),
        ("said", '"There was no', "One resident of Khan Shaykhun"),
    ]
    told = _one(_attributions(claim_extractor, text), "told")
    assert told.content.text.endswith("near the bakery")


def test_adding_after_a_posted_quotation_is_the_poster_s(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'The Russian embassy in Washington posted that "no one has presented any evidence", '
        'adding that the investigation should be "impartial".'
    )
    found = _one(_attributions(claim_extractor, text), "adding")
    assert _source(found) == "The Russian embassy in Washington"


def test_declining_to_be_named_is_no_claim(claim_extractor: ClaimExtractor) -> None:
    text = (
        "A Syrian opposition official, who declined to be named, said the death toll could "
        "rise above 100."
    )
    assert [s[0] for s in _speakers(claim_extractor, text)] == ["said"]


def test_showing_signs_of_exposure_is_a_symptom_not_a_saying(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "WHO: Khan Shaykhun victims show signs consistent with nerve agent exposure\n"
    assert [s[0] for s in _speakers(claim_extractor, text)] == [":"]


def test_a_footnote_inside_a_sentence_stays_in_the_claim_s_text(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "One resident told investigators that the attacks[3] killed dozens in the town.[4]"
    found = _one(_attributions(claim_extractor, text), "told")
    assert found.content.text == text[found.content.start : found.content.end]
    assert "[3]" in found.content.text


def test_what_a_relative_clause_blames_or_denies_is_the_noun_it_hangs_on(
    claim_extractor: ClaimExtractor,
) -> None:
    # the parser makes "blamed" a modifier of "opposition" and "killed" the relative clause
    text = "The attack, which the opposition blamed on government forces, killed at least 70."
    found = _one(_attributions(claim_extractor, text), "blamed")
    assert _source(found) == "the opposition"
    assert [text[p.start : p.end] for p in found.content.parts] == [
        "The attack",
        "on government forces",
    ]
    assert "killed" not in found.content.text
    text = "It was an attack that the opposition blamed on government forces."
    found = _one(_attributions(claim_extractor, text), "blamed")
    assert found.content.text == "an attack on government forces"
    text = "The strike, which Moscow denied, hit a hospital in Idlib."
    found = _one(_attributions(claim_extractor, text), "denied")
    assert (_source(found), found.content.text) == ("Moscow", "The strike")
    # "which" standing for the whole claim before it stays that claim's
    text = "Diplomats accused Russia of tampering with evidence, which Moscow denies."
    found = _one(_attributions(claim_extractor, text), "denies")
    assert found.content.text.startswith("Russia of tampering")
    # a complementizer the parser took for a relative pronoun is no object
    text = (
        "The ministry's spokesman said in a televised briefing that Syrian jets had struck "
        "a rebel warehouse."
    )
    assert [s[0] for s in _speakers(claim_extractor, text)] == ["said"]


def test_the_organisation_of_whose_people_the_sentence_speaks_and_they_of_its_subject(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "OPCW inspectors have completed a visit to the Shayrat air base, the organisation "
        "said on Friday. Syrian officials had invited the inspectors to the base, which they "
        "said held no chemical weapons."
    )
    assert [(cue, speaker) for cue, _, speaker in _speakers(claim_extractor, text)] == [
        ("said", "OPCW"),
        ("said", "Syrian officials"),
    ]
    # a body named outright comes first; the people of a subordinate clause are not "they"
    text = (
        "The World Health Organization sent a team. OPCW inspectors have completed a visit, "
        "the organisation said."
    )
    assert [s[2] for s in _speakers(claim_extractor, text)] == ["World Health Organization"]
    text = (
        "Mr. Rubio's advisers conceded it had been a difficult night. But with one more day "
        "until voters in New Hampshire head to the polls, they argued, there was little time."
    )
    assert [s[2] for s in _speakers(claim_extractor, text)][-1] != "voters in New Hampshire"


def test_in_his_view_is_his_and_a_draft_not_adopted_says_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The representative of the Russian Federation, Vladimir Safronkov, said the text "
        "prejudged the findings. In his view, the sponsors sought a pretext for regime change."
    )
    assert ("view", "the sponsors sought", "Vladimir Safronkov") in _speakers(claim_extractor, text)
    text = (
        "The Security Council failed to adopt a draft resolution condemning the reported use "
        "of chemical weapons in Khan Shaykhun."
    )
    assert _speakers(claim_extractor, text) == []


def test_a_passive_charge_keeps_its_phrase_and_it_rejects_is_the_accused(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Syrian Civil Defence said four volunteers were affected. The group has been "
        "accused by Damascus of staging attacks, a charge it rejects."
    )
    found = _attributions(claim_extractor, text)
    accused = _one(found, "has been accused")
    assert (_source(accused), accused.content.text) == ("Damascus", "The group of staging attacks")
    assert _one(found, "rejects").content.text == accused.content.text
    assert [s[2] for s in _speakers(claim_extractor, text)] == [
        "Syrian Civil Defence",
        "Syria",
        "Syrian Civil Defence",
    ]


def test_what_a_relative_clause_of_saying_says_is_of_its_noun(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The crater, which the Russian Defence Ministry said was caused by a rebel mortar, is "
        "about 1.5 metres wide."
    )
    found = _one(_attributions(claim_extractor, text), "said")
    assert found.content.text == "The crater was caused by a rebel mortar"
    # closing the sentence, "which" may stand for the whole clause: left as it is
    text = (
        "The senator attacked Trump for alienating Hispanics, which he said would cost the "
        "party the election."
    )
    found = _one(_attributions(claim_extractor, text), "said")
    assert found.content.text == "would cost the party the election"


def test_a_closing_according_to_and_which_moscow_denies_stay_out_after_the_learnt_spans(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Flight-tracking data published by a network of plane spotters shows a Syrian Su-22 "
        "over the town at 6.26 a.m., according to the New York Times."
    )
    found = _one(_attributions(claim_extractor, text), "shows")
    assert found.content.text == "a Syrian Su-22 over the town at 6.26 a.m."
    text = "Diplomats accused Russia of tampering with evidence, which Moscow denies."
    found = _attributions(claim_extractor, text)
    assert _one(found, "accused").content.text == "Russia of tampering with evidence"
    assert _one(found, "denies").content.text == "Russia of tampering with evidence"


def test_an_analysis_by_a_named_group_is_the_groups(claim_extractor: ClaimExtractor) -> None:
    text = (
        "An analysis of satellite images and videos by the open-source group Bellingcat found "
        "that the crater was consistent with an air-dropped munition."
    )
    assert [s[2] for s in _speakers(claim_extractor, text)] == ["Bellingcat"]


def test_in_the_opinion_of_a_side_and_titles_before_a_name(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "In the opinion of the Russian side, such haste serves political goals."
    assert _speakers(claim_extractor, text) == [("opinion", "such haste serves", "Russia")]
    text = (
        "As Russian Foreign Ministry Spokeswoman Maria Zakharova pointed out at a briefing, "
        "Western capitals had rushed to accuse Damascus. Senate Majority Leader Mitch "
        "McConnell said the vote would fail."
    )
    assert [s[2] for s in _speakers(claim_extractor, text)] == [
        "Maria Zakharova",
        "Mitch McConnell",
    ]


def test_a_place_label_before_a_headline_that_names_its_speaker_is_a_topic(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Syria: Witnesses describe sarin attack, rights group says\n\nThe group spoke.\n"
    assert _speakers(claim_extractor, text) == [
        ("says", "Witnesses describe sarin", "rights group")
    ]
    # a label that is not a place stays a speaker
    text = "Lavrov: West rushed to judgment\n"
    assert [s[0] for s in _speakers(claim_extractor, text)] == [":"]


def test_where_a_denial_was_made_is_no_part_of_it_and_some_of_them_are_those_people(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "A Syrian military source denied the report in comments to state media."
    assert _one(_attributions(claim_extractor, text), "denied").content.text == "the report"
    text = (
        "Witnesses interviewed by the group described a plane circling the town twice. Three "
        "of them said they saw a plume of yellowish smoke."
    )
    assert [s[2] for s in _speakers(claim_extractor, text)] == ["Witnesses", "Witnesses"]


def test_a_witness_known_by_a_code_a_judge_citing_and_a_denial_through_a_lawyer(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "A witness identified only as K-17 testified that he had seen soldiers loading gas "
        "cylinders. Under cross-examination, the witness conceded that he could not read the "
        "markings. The presiding judge ruled that the witness's identity would remain "
        "protected, citing threats against his family."
    )
    assert _speakers(claim_extractor, text) == [
        ("testified", "that he had", "K-17"),
        ("conceded", "that he could", "K-17"),
        ("ruled", "that the witness's", "presiding judge"),
        ("citing", "threats against his", "presiding judge"),
    ]
    text = (
        "According to the indictment, the accused, a former air force officer, relayed the "
        "order. He has denied all charges through his lawyer."
    )
    denied = _one(_attributions(claim_extractor, text), "has denied")
    assert denied.content.text == "all charges"
    assert [s[2] for s in _speakers(claim_extractor, text)][-1] == "accused"


def test_bodies_the_tagger_takes_for_people_speak_as_bodies(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Doctors Without Borders said its staff treated eight patients. The charity said they "
        "showed constricted pupils. It added that staff had visited other hospitals. Bill "
        "Frelick, a director at Human Rights Watch, said the attack was deliberate."
    )
    assert [s[2] for s in _speakers(claim_extractor, text)] == [
        "Doctors Without Borders",
        "Doctors Without Borders",
        "Doctors Without Borders",
        "Bill Frelick",
    ]


def test_a_headline_says_a_clause_without_its_verb(claim_extractor: ClaimExtractor) -> None:
    text = 'OPCW chief says sarin exposure "incontrovertible"\n\nTHE HAGUE - Tests show exposure.\n'
    found = _one(_attributions(claim_extractor, text), "says")
    assert (_source(found), found.content.text) == (
        "OPCW chief",
        'sarin exposure "incontrovertible"',
    )


def test_letters_a_body_sent_speak_for_it(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The Ministry of Foreign Affairs and Expatriates sent two identical letters to the UN "
        "Secretary-General. The letters stressed that the terrorist groups bear full "
        "responsibility for the incident."
    )
    assert [s[2] for s in _speakers(claim_extractor, text)] == [
        "Ministry of Foreign Affairs and Expatriates"
    ]


def test_according_to_an_agency_and_its_name_the_tagger_reads_as_a_verb(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The ministry accused the groups of fabricating the figures, according to the state "
        "news agency SANA."
    )
    found = _one(_attributions(claim_extractor, text), "according to")
    assert _source(found) == "the state news agency SANA"
    assert found.content.text == "The ministry accused the groups of fabricating the figures"


def _records(extractor: ClaimExtractor, text: str) -> dict[str, tuple[str | None, str, str]]:
    """Cue → (source, content, actor) of each claim found."""
    return {
        record.attribution.cue.text: (
            _source(record.attribution),
            record.attribution.content.text,
            record.speaker.name if record.speaker is not None else "-",
        )
        for record in extractor.extract(text)
    }


def test_a_claim_named_by_its_owner_is_the_owners(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The Leadership Panel rejected Russia's claim that the depot held chemical munitions. "
        "It also considered Syria's assertion that the release was caused by an airstrike."
    )
    found = _records(claim_extractor, text)
    assert found["claim"][:2] == ("Russia's", "that the depot held chemical munitions")
    assert found["assertion"][0] == "Syria's"
    assert found["assertion"][1] == "that the release was caused by an airstrike"
    # the rejection is the panel's, and "It" is still the panel, not the owner named inside
    assert found["rejected"][0] == "The Leadership Panel"
    assert found["considered"][2] == "Leadership Panel"


def test_a_claim_restated_in_its_owners_words_is_one_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    found = _records(claim_extractor, "He reiterated his claim that the footage had been staged.")
    assert list(found) == ["reiterated"]


def test_a_conviction_stated_by_an_adjective(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The Leadership Panel is confident that the Syrian Arab Republic is responsible for "
        "the release of sarin. Moscow remains convinced the footage was staged. Inspectors "
        "must make sure that the samples are sealed."
    )
    found = _records(claim_extractor, text)
    assert found["is confident"] == (
        "The Leadership Panel",
        "that the Syrian Arab Republic is responsible for the release of sarin",
        "Leadership Panel",
    )
    assert found["remains convinced"][:2] == ("Moscow", "the footage was staged")
    assert "make sure" not in " ".join(found)  # an instruction, not a conviction


def test_a_belief_held_among_a_group(claim_extractor: ClaimExtractor) -> None:
    text = "It is widely believed among Western diplomats that Moscow knew of the attack."
    found = _records(claim_extractor, text)
    assert found["is widely believed"][:2] == (
        "Western diplomats",
        "that Moscow knew of the attack",
    )


def test_in_its_assessment_is_the_assessors(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The Mechanism found that an aircraft dropped a munition. In its assessment, the "
        "crater was created by an aerial bomb. In its judgment, the court found that the "
        "abuses were systematic."
    )
    found = _records(claim_extractor, text)
    assert found["assessment"][1:] == ("the crater was created by an aerial bomb", "Mechanism")
    # the court's finding is said once, by the court
    assert "judgment" not in found
    assert found["found"][0] in ("The Mechanism", "the court")


def test_a_person_described_by_age_is_the_person_just_named(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        '"We heard the planes first," said Abu Jafar, a farmer. The 38-year-old said he had '
        "run towards the smell."
    )
    found = [r for r in claim_extractor.extract(text) if r.attribution.cue.text == "said"]
    assert [r.speaker.name if r.speaker else None for r in found] == ["Abu Jafar", "Abu Jafar"]


def test_a_transcripts_military_title_is_no_name(claim_extractor: ClaimExtractor) -> None:
    text = (
        "SEN. McCAIN: General, who carried out the attack?\n\n"
        "GEN. VOTEL: Senator, our assessment is that the regime conducted the attack.\n"
    )
    turns = [r for r in claim_extractor.extract(text) if r.attribution.cue.text == ":"]
    assert [r.speaker.name if r.speaker else None for r in turns] == ["McCAIN", "VOTEL"]


def test_a_passive_with_its_agent_is_the_agents(claim_extractor: ClaimExtractor) -> None:
    text = "His conclusions have been disputed by other weapons experts."
    found = _records(claim_extractor, text)
    assert found["have been disputed"] == (
        "other weapons experts",
        "His conclusions",
        "other weapons experts",
    )


def test_it_in_a_clause_of_reason_is_the_subject_it_explains(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Pentagon declined to comment. Analysts believe the regime acted because it saw "
        "little risk of a response."
    )
    found = _records(claim_extractor, text)
    assert found["saw"][2] == "regime"


def test_a_rarer_verbs_pronoun_object_is_not_something_said(
    claim_extractor: ClaimExtractor,
) -> None:
    found = _records(claim_extractor, "We are continuing to look at that.")
    assert found == {}


def test_we_in_a_statement_is_the_body_its_title_names(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Statement of the Ministry of Foreign Affairs of the Russian Federation\n\n"
        "We note that the report was prepared without a visit to the site. The Ministry "
        "considers the document to be politically motivated.\n"
    )
    actors = {
        r.attribution.cue.text: r.speaker.name for r in claim_extractor.extract(text) if r.speaker
    }
    issuer = "Ministry of Foreign Affairs of the Russian Federation"
    assert actors == {"note": issuer, "considers": issuer}


def test_the_answers_of_a_printed_interview_are_the_interviewees(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Syrian President Bashar al-Assad told AFP in an exclusive interview that the attack "
        'was "100 percent fabricated".\n\n'
        "Q: Mr. President, the whole world has seen the pictures of dead children.\n\n"
        "A: We don't know whether those children were killed in Khan Shaykhun.\n"
    )
    found = {r.attribution.cue.text: r for r in claim_extractor.extract(text)}
    answer = found[":"]
    assert answer.attribution.content.text == (
        "We don't know whether those children were killed in Khan Shaykhun"
    )
    assert answer.speaker is not None and answer.speaker.name == "Bashar al-Assad"
    we = found["don't know"].speaker
    assert we is not None and we.name == "Bashar al-Assad"
    # the one addressed in the question is not the one who has seen the pictures
    assert _source(found["has seen"].attribution) == "the whole world"


def test_a_speaker_asked_about_something_says_it(claim_extractor: ClaimExtractor) -> None:
    text = (
        "A spokeswoman for the OPCW, asked about the delay in publishing its results, said the "
        "organisation would not comment before its analysis was complete."
    )
    found = _records(claim_extractor, text)
    assert list(found) == ["said"]
    assert found["said"][0] == "A spokeswoman for the OPCW"


def test_a_platform_is_where_a_claim_is_posted_not_who_makes_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "A widely shared post on the Russian social network VKontakte claimed that the "
        "children were actors. Users on Twitter pointed out that the girl was not the same child."
    )
    found = _records(claim_extractor, text)
    assert found["claimed"][0] == "A widely shared post on the Russian social network VKontakte"
    assert found["claimed"][2] != "VKontakte"
    assert found["pointed out"][2] == "Users on Twitter"


def test_offering_no_evidence_is_no_claim_unless_something_was_claimed(
    claim_extractor: ClaimExtractor,
) -> None:
    assert _records(claim_extractor, "He offered no evidence.") == {}
    found = _records(claim_extractor, "He offered no proof that Clinton had a role in it.")
    assert found["offered"][1].endswith("that Clinton had a role in it")


def test_an_unnamed_source_described_at_length_is_the_one_meant_later(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Tests showed the same result, according to a person familiar with the findings. The "
        "person said hexamine was also detected. A senior official familiar with the talks "
        "said Moscow objected. The official added that no vote was planned."
    )
    found = _records(claim_extractor, text)
    assert found["said"][2] == "senior official familiar with the talks"
    assert found["added"][2] == "senior official familiar with the talks"
    person = [r for r in claim_extractor.extract(text) if _source(r.attribution) == "The person"]
    assert person[0].speaker is not None
    assert person[0].speaker.name == "person familiar with the findings"


def test_british_spelling_is_the_same_cue(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Russian Foreign Minister Sergei Lavrov criticised Western governments for their rush "
        "to judgement. The envoy emphasised that the samples were unreliable."
    )
    found = _records(claim_extractor, text)
    assert found["criticised"][0] == "Russian Foreign Minister Sergei Lavrov"
    assert found["emphasised"][1] == "that the samples were unreliable"


def test_information_received_is_not_the_receivers_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Commission received information indicating that the main hospital had been "
        "struck on the same day."
    )
    found = _records(claim_extractor, text)
    assert found["indicating"][0] == "information"
    assert all(actor != "Commission" for _, _, actor in found.values())


def test_told_a_briefing_that_is_what_was_told(claim_extractor: ClaimExtractor) -> None:
    text = (
        "China's foreign ministry spokesman Lu Kang told a daily briefing that Beijing opposed "
        "the use of chemical weapons by anyone."
    )
    found = _records(claim_extractor, text)
    assert found["told"][1].startswith("that Beijing opposed the use of chemical weapons")


def test_a_surname_the_tagger_made_a_body_is_still_the_person(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Mohammed Jasim kept a notebook. Jasim said he later handed copies of the notebook to "
        "a team gathering evidence. The organisation did not respond to a request for comment."
    )
    found = _records(claim_extractor, text)
    assert found["said"][2] == "Mohammed Jasim"
    assert found["did not respond to"][2] != "Jasim"


def test_a_timelines_dates_are_not_speakers(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Timeline: the attack and its aftermath\n\n"
        "April 5 - Russia's defence ministry says Syrian aircraft struck a warehouse.\n\n"
        "April 4, 06:45 - Residents report an air strike on the town.\n"
    )
    found = _records(claim_extractor, text)
    assert ":" not in found  # "Timeline:" labels the text; it says nothing
    assert found["says"][0] == "Russia's defence ministry"
    assert found["report"][0] == "Residents"


def test_an_allegation_made_by_a_group_in_the_passive(claim_extractor: ClaimExtractor) -> None:
    text = (
        "It has been alleged by opposition activists that the same squadron carried out an "
        "earlier chlorine attack."
    )
    found = _records(claim_extractor, text)
    assert found["has been alleged"][:2] == (
        "opposition activists",
        "that the same squadron carried out an earlier chlorine attack",
    )


def test_firing_missiles_says_nothing(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The United States fires 59 Tomahawk missiles at Shayrat air base. The senator fired "
        "off a letter to the Pentagon demanding answers."
    )
    found = _records(claim_extractor, text)
    assert "fires" not in found
    assert found["fired off"][0] == "The senator"


def test_what_a_body_was_urged_to_do_is_no_claim_of_the_evidence(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Human Rights Watch said the evidence of government responsibility was overwhelming "
        "and urged the Security Council to refer the situation to the International Criminal "
        "Court."
    )
    found = _records(claim_extractor, text)
    assert "to refer" not in found
    assert found["said"][0] == "Human Rights Watch"


def test_a_reported_clause_parsed_as_a_modifier_of_the_verb(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Joint Investigative Mechanism reports that it is confident the Syrian government "
        "was responsible."
    )
    found = _records(claim_extractor, text)
    assert found["reports"][:2] == (
        "The Joint Investigative Mechanism",
        "that it is confident the Syrian government was responsible",
    )


def test_a_town_labelling_a_headline_is_a_topic(claim_extractor: ClaimExtractor) -> None:
    found = _records(claim_extractor, "Khan Shaykhun: what we know\n\nMoscow says it was a depot.")
    assert ":" not in found
    assert found["says"][0] == "Moscow"


def test_a_partys_version_is_that(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Russia's version of events is that the toxic cloud came from stored munitions. "
        "His account of the attack was detailed."
    )
    found = _records(claim_extractor, text)
    assert found["version"][:2] == ("Russia's", "that the toxic cloud came from stored munitions")
    assert "account" not in found


def test_what_someone_was_told_is_the_tellers_claim(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Abu Ahmad said his brother told him that the plane had come from the south. The "
        "regional health official said he had been told by the air force that no flights had "
        "taken place. The Syrian Arab Republic informed the Mechanism that no aircraft had "
        "flown that day."
    )
    found = _records(claim_extractor, text)
    assert found["told"][:2] == ("his brother", "that the plane had come from the south")
    assert found["had been told"][:2] == ("the air force", "that no flights had taken place")
    assert found["informed"][1] == "that no aircraft had flown that day"


def test_commenting_on_reports_is_not_asserting_them(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Neither the Pentagon nor the White House commented on reports that new strikes were "
        "being prepared. Theodore Postol argued in a report that the crater was made on the "
        "ground."
    )
    found = _records(claim_extractor, text)
    assert found["commented on"][1] == "reports that new strikes were being prepared"
    assert found["argued"][1] == "that the crater was made on the ground"


def test_whose_backers_they_are_is_not_who_speaks(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Russia and Iran, Assad's main backers, warned that any military response would be "
        "a violation of international law."
    )
    assert _records(claim_extractor, text)["warned"][2] == "Russia and Iran"


def test_an_arabic_name_by_a_childs_name(claim_extractor: ClaimExtractor) -> None:
    text = (
        "KHAN SHAYKHUN, Syria - Umm Mohammed, 41, said in Arabic that she had found her sons. "
        '"They were still warm," she said.'
    )
    actors = [r.speaker.name for r in claim_extractor.extract(text) if r.speaker]
    assert actors == ["Umm Mohammed", "Umm Mohammed"]  # "Umm": a mother, so "she"


def test_a_relative_clause_between_dashes(claim_extractor: ClaimExtractor) -> None:
    text = "The attack - which the government denies carrying out - killed at least 87 people."
    found = _records(claim_extractor, text)
    assert found["denies"][:2] == ("the government", "The attack")


def test_a_finding_set_inside_a_subject_with_a_clause(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Much of what happened that day, the commission later found, had been filmed by "
        "residents on their phones."
    )
    found = _records(claim_extractor, text)
    assert found["found"][0] == "the commission"
    assert found["found"][1].startswith("Much of what happened that day had been filmed")


def test_a_signed_letters_i_is_its_signatory(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Upon instructions from my Government, I should like to state that the army has never "
        "used chemical weapons.\n\n(Signed) Bashar Ja'afari\nAmbassador\n"
    )
    records = claim_extractor.extract(text)
    assert [r.attribution.cue.text for r in records] == ["to state"]
    assert records[0].speaker is not None and records[0].speaker.name == "Bashar Ja'afari"


def test_the_agency_after_a_speaker_who_works_for_one(claim_extractor: ClaimExtractor) -> None:
    text = (
        "UNICEF said it was horrified. The World Health Organization's regional director, Dr. "
        "Jaouad Mahjour, noted that the symptoms were consistent with a nerve agent. In a "
        "statement, the agency added that it had sent medicines."
    )
    assert _records(claim_extractor, text)["added"][2] == "World Health Organization"


def test_citing_no_sources_cites_nothing(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The television channel Rossiya 24 reported that the White Helmets had received "
        "advance notice of the attack. The channel cited no sources."
    )
    assert list(_records(claim_extractor, text)) == ["reported"]


def test_went_on_to_say_when_the_parse_makes_say_an_adverbial(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Al-Jaafari went on to say that certain Western states rushed to accuse Syria."
    found = _records(claim_extractor, text)
    assert list(found) == ["went on to say"]
    assert found["went on to say"][0] == "Al-Jaafari"


def test_a_participle_of_stressing_after_a_reported_clause_is_the_speaker_going_on(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Al-Jaafari affirmed that the army has never used chemical weapons against Syrians, "
        "pointing out that Syria handed over its entire stockpile in 2014."
    )
    found = _records(claim_extractor, text)
    assert found["affirmed"][1] == "that the army has never used chemical weapons against Syrians"
    assert found["pointing out"][:2] == (
        "Al-Jaafari",
        "that Syria handed over its entire stockpile in 2014",
    )
    # pointing to something is no reported clause
    text = "He said the army had won the battle, pointing to his record."
    assert list(_records(claim_extractor, text)) == ["said"]


def test_a_name_the_tagger_ran_into_the_body_before_it(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Syria's Permanent Representative to the UN Bashar al-Jaafari affirmed that the army "
        "has never used chemical weapons."
    )
    assert _records(claim_extractor, text)["affirmed"][2] == "Bashar al-Jaafari"
    text = (
        "Syria's Permanent Representative to the United Nations, Bashar al-Jaafari, said that "
        "the army has never used chemical weapons."
    )
    assert _records(claim_extractor, text)["said"][2] == "Bashar al-Jaafari"


def test_a_numbered_question_in_a_parliaments_record(claim_extractor: ClaimExtractor) -> None:
    text = (
        "1. Tom Tugendhat (Tonbridge and Malling) (Con): What assessment the Government have "
        "made of responsibility for the attack.\n\n"
        "Emily Thornberry (Islington South and Finsbury) (Lab): The House will want answers.\n\n"
        "The Minister for the Middle East (Alistair Burt): The right hon. Lady will know that "
        "the OPCW has already begun its work.\n"
    )
    records = claim_extractor.extract(text)
    turns = [r for r in records if r.attribution.cue.text == ":"]
    assert [r.speaker.name for r in turns if r.speaker] == [
        "Tom Tugendhat",
        "Emily Thornberry",
        "Alistair Burt",
    ]
    know = [r for r in records if r.attribution.cue.text == "will know"]
    assert know and know[0].speaker is not None
    assert know[0].speaker.name == "Emily Thornberry"  # the member who spoke before


def test_a_factbox_names_each_speaker_on_a_line_of_its_own(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "(Reuters) - Following are reactions to the attack:\n\n"
        "* U.S. PRESIDENT DONALD TRUMP:\n"
        '"These heinous actions cannot be tolerated."\n\n'
        "* RUSSIAN DEFENCE MINISTRY:\n"
        "Said the Syrian air force had struck a warehouse where rebels made munitions.\n\n"
        "* TURKISH PRESIDENT TAYYIP ERDOGAN:\n"
        'Called the attack "a crime against humanity" in a call with Putin, presidential '
        "sources said.\n\n"
        "* SYRIAN GOVERNMENT:\n"
        "The army denied using any chemical agents.\n"
    )
    found = _records(claim_extractor, text)
    assert found[":"] == (
        "U.S. PRESIDENT DONALD TRUMP",
        '"These heinous actions cannot be tolerated."',
        "Donald Trump",
    )
    assert found["Said"] == (
        "RUSSIAN DEFENCE MINISTRY",
        "the Syrian air force had struck a warehouse where rebels made munitions",
        "Russian Defence Ministry",
    )
    assert found["Called"][1:] == (
        'the attack "a crime against humanity" in a call with Putin',
        "Tayyip Erdogan",
    )
    assert found["said"][0] == "presidential sources"
    assert found["denied"][0] == "The army"  # a paragraph with a subject of its own
    assert len(found) == 5


def test_a_report_title_after_a_countrys_formal_name_is_no_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Syrian Arab Republic: Idlib Flash Update No. 3 (6 April 2017)\n\n"
        "Health partners report that 58 people remain in intensive care.\n"
    )
    assert list(_records(claim_extractor, text)) == ["report"]


def test_warned_against_a_phrase_then_a_saying_participle(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'The spokesman warned against what he called the "hasty judgement" of certain Western '
        "states, saying that the terrorists were known to have stockpiles of toxic materials."
    )
    found = _records(claim_extractor, text)
    assert found["warned against"][1] == (
        'what he called the "hasty judgement" of certain Western states'
    )
    assert found["saying"][:2] == (
        "The spokesman",
        "that the terrorists were known to have stockpiles of toxic materials",
    )


def test_a_phrase_of_the_occasion_between_commas_is_not_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Iranian President Hassan Rouhani, in a phone call with his Syrian counterpart, "
        "expressed the Islamic Republic's support for the Syrian government."
    )
    assert _records(claim_extractor, text)["expressed"][0] == "Iranian President Hassan Rouhani"
    # an apposition keeps its closing comma, as PolNeAR marks it
    text = (
        "Senator Sheldon Whitehouse, a Democrat from Rhode Island, in the name of curbing "
        "climate change, has proposed taxing carbon emissions."
    )
    assert _records(claim_extractor, text)["has proposed"][0] == (
        "Senator Sheldon Whitehouse, a Democrat from Rhode Island,"
    )


def test_a_statements_we_with_the_ministers_in_apposition(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Joint statement by the Foreign Ministers on the chemical attack\n\n"
        "We, the Foreign Ministers of France, Germany and the United Kingdom, condemn in the "
        "strongest terms the use of chemical weapons in Khan Shaykhun on 4 April.\n\n"
        "We call on all parties to cooperate fully with the Joint Investigative Mechanism.\n"
    )
    found = _records(claim_extractor, text)
    # the tagger calls "condemn" a noun: a root with a subject and an object is a verb
    assert found["condemn"][1:] == (
        "the use of chemical weapons in Khan Shaykhun on 4 April",
        "Foreign Ministers",
    )
    assert found["call on"][2] == "Foreign Ministers"


def test_asked_someone_on_a_day_to_do_something(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Lawyers for the families of victims asked French prosecutors on Tuesday to open an "
        "investigation into the attack."
    )
    assert _records(claim_extractor, text)["asked"][1] == (
        "French prosecutors on Tuesday to open an investigation into the attack"
    )


def test_an_accounts_handle_and_a_surrogate_the_tagger_missed(
    claim_extractor: ClaimExtractor,
) -> None:
    text = 'One user, @SyrianTruthNow, wrote: "The whole thing was filmed in a studio."'
    assert _records(claim_extractor, text)["wrote"][2] == "@SyrianTruthNow"
    text = "Rendell, a Clinton surrogate, said the plan was fine."
    assert _records(claim_extractor, text)["said"][2] == "Rendell"


def test_appealed_is_a_call_only_for_something_or_to_someone_to_act(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The council appealed to international organisations to send antidotes, warning that "
        "many of the wounded were still in their homes."
    )
    found = _records(claim_extractor, text)
    assert found["appealed to"][1] == "international organisations to send antidotes"
    assert found["warning"][1] == "that many of the wounded were still in their homes"
    assert _records(claim_extractor, "The UN appealed for calm.")["appealed for"][1] == "calm"
    text = "Johnson may hold particular appeal. The senator tried to appeal to moderate delegates."
    assert _records(claim_extractor, text) == {}


def test_a_papers_sections_are_not_its_speakers(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Methods: We reviewed the records of 32 patients admitted to three hospitals.\n\n"
        "Results: Treating physicians reported that atropine doses far above the usual were "
        "needed.\n\n"
        "Discussion: We conclude that the clinical picture is consistent with sarin.\n"
    )
    found = _records(claim_extractor, text)
    assert sorted(found) == ["conclude", "reported"]
    assert found["conclude"][0] == "We"


def test_a_closing_speaker_with_a_clause_of_its_own(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Air strikes on rebel-held towns in Idlib province killed at least 18 people on "
        "Saturday, the "
        "Britain-based Syrian Observatory for Human Rights, which relies on a network of "
        "sources inside Syria, said.\n"
    )
    source, content, actor = _records(claim_extractor, text)["said"]
    assert source == (
        "the Britain-based Syrian Observatory for Human Rights, which relies on a network of "
        "sources inside Syria,"
    )
    assert content == (
        "Air strikes on rebel-held towns in Idlib province killed at least 18 people on Saturday"
    )
    assert actor == "Syrian Observatory for Human Rights"  # where it is based is no name


def test_an_agency_in_capitals_the_tagger_read_as_a_verb(claim_extractor: ClaimExtractor) -> None:
    text = (
        "State news agency SANA, quoting a military source, said the army had repelled an "
        "attack by militants near Hama."
    )
    found = _records(claim_extractor, text)
    assert found["said"][:2] == (
        "State news agency SANA",
        "the army had repelled an attack by militants near Hama",
    )
    text = 'Pentagon spokesman Captain Jeff Davis told reporters: "We are confident."'
    assert _records(claim_extractor, text)["told"][2] == "Jeff Davis"


def test_a_closing_speaker_the_parse_made_an_apposition_of_the_report(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Air strikes on rebel-held towns killed at least 18 people on Saturday, the "
        "Britain-based Syrian Observatory for Human Rights, which relies on a network of "
        "sources inside Syria, said.\n"
    )
    source, content, actor = _records(claim_extractor, text)["said"]
    assert source.startswith("the Britain-based Syrian Observatory")  # type: ignore[union-attr]
    assert content == "Air strikes on rebel-held towns killed at least 18 people on Saturday"
    assert actor == "Syrian Observatory for Human Rights"


def test_a_claim_the_army_denied_is_one_denial_of_what_was_claimed(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Syrian rebels said on Monday they had shot down a government warplane over Hama "
        "province, a claim the army denied."
    )
    records = claim_extractor.extract(text)
    denials = [r for r in records if r.attribution.cue.text == "denied"]
    assert len(denials) == 1
    assert denials[0].attribution.content.text == (
        "they had shot down a government warplane over Hama province"
    )


def test_the_name_a_witness_is_known_by_is_the_speaker(claim_extractor: ClaimExtractor) -> None:
    text = (
        "A 32-year-old father of three, identified only as Abu Ali, described seeing his "
        "neighbours collapse in the street."
    )
    records = claim_extractor.extract(text)
    assert records[0].speaker is not None
    assert (records[0].speaker.name, records[0].speaker.gender) == ("Abu Ali", "male")
    text = "A nurse, identified only as Umm Ahmed, said the children died first."
    assert _records(claim_extractor, text)["said"][2] == "Umm Ahmed"


def test_what_it_said_is_the_subjects_and_an_acronym_is_no_part_of_a_name(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Syrian state television on Sunday aired what it said were the confessions of two men."
    assert _records(claim_extractor, text)["said"][2] == "Syrian state television"
    text = (
        "The Syrian Network for Human Rights (SNHR) said in a report that such confessions "
        "were obtained under torture."
    )
    assert _records(claim_extractor, text)["said"][2] == "Syrian Network for Human Rights"


def test_a_finite_verb_after_the_charges_gerund_is_the_accuser_going_on(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Al-Moualem accused Turkey of allowing toxic materials across its border and called "
        'the accusations against Damascus "a political campaign."'
    )
    found = _records(claim_extractor, text)
    assert found["accused"][1] == "Turkey of allowing toxic materials across its border"
    assert found["called"][:2] == (
        "Al-Moualem",
        'the accusations against Damascus "a political campaign."',
    )


def test_the_spokesman_named_not_whose_spokesman(claim_extractor: ClaimExtractor) -> None:
    text = "Erdogan's spokesman, Ibrahim Kalin, dismissed the remarks as an insult."
    assert _records(claim_extractor, text)["dismissed"][2] == "Ibrahim Kalin"
    text = "Obama's spokesman said the plan was fine."
    assert _records(claim_extractor, text)["said"][2] == "Obama's spokesman"


def test_a_second_speaker_joined_to_the_first_clauses_object_speaks_for_itself(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Moscow said the inspectors had ignored the evidence and Western diplomats accused "
        "Russia of shielding its ally."
    )
    found = _records(claim_extractor, text)
    assert found["said"][1] == "the inspectors had ignored the evidence"
    assert found["accused"][:2] == ("Western diplomats", "Russia of shielding its ally")


def test_a_past_tense_verb_joined_to_a_bare_verb_is_the_speaker_going_on(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The envoy said that she did not want to speculate about the cause and predicted "
        "that the inquiry would end in May."
    )
    found = _records(claim_extractor, text)
    assert found["said"][1] == "that she did not want to speculate about the cause"
    assert found["predicted"][:2] == ("The envoy", "that the inquiry would end in May")


def test_an_opening_while_clause_is_not_what_the_main_verb_reports(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "While he acknowledged the samples were few, the inspector also noted several "
        "symptoms pointed to sarin."
    )
    found = _records(claim_extractor, text)
    assert found["noted"][:2] == ("the inspector", "several symptoms pointed to sarin")


def test_a_saying_in_a_phrase_is_the_subjects_above_an_infinitive(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The minister declined to name the units, aside from saying that the air force had "
        "struck a depot."
    )
    found = _records(claim_extractor, text)
    assert found["saying"][:2] == ("The minister", "that the air force had struck a depot")
    # "without saying" says nothing; "attacked X for saying" is X's saying, not the attacker's
    text = "He left the meeting without saying that the talks had failed."
    assert "saying" not in _records(claim_extractor, text)
    text = "The ministry attacked the envoy for saying that the town was hit."
    assert _records(claim_extractor, text).get("saying", ("the envoy",))[0] != "The ministry"


def test_a_quotation_goes_on_after_a_participle_or_a_conjunction(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        '"The town was struck at dawn," the doctor said, referring to the first raid, '
        '"and we had no atropine left."'
    )
    found = {a.cue.text: a for a in _attributions(claim_extractor, text)}
    parts = [piece.text for piece in found["said"].content.pieces]
    assert parts == ['"The town was struck at dawn,"', '"and we had no atropine left."']
    # the participle keeps its own claim, spoken by the same doctor
    assert _source(found["referring to"]) == "the doctor"
    text = '"We respect the panel," the ambassador said, but "its methods are flawed."'
    said = _one(_attributions(claim_extractor, text), "said")
    assert said.content.text.endswith('"its methods are flawed."')
    text = (
        '"We saw the planes," the nurse said, describing the morning of the attack. '
        '"Then the children began to choke."'
    )
    said = _one(_attributions(claim_extractor, text), "said")
    assert [piece.text for piece in said.content.pieces][-1] == (
        '"Then the children began to choke."'
    )
    # a second speaker's quotation after "and" is not the first one's
    text = '"We did not do it," he said, and the minister added: "Never."'
    said = _one(_attributions(claim_extractor, text), "said")
    assert said.content.text == '"We did not do it,"'


def test_of_two_subjects_the_parse_gave_a_verb_the_persons_name_speaks(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Tuesday at Gaziantep University in Gaziantep, TR, after visiting the wounded, "
        "Dr. Mohammed Tennari (SAMS), said, “We ran out of atropine.”"
    )
    found = _records(claim_extractor, text)
    assert found["said"][0] == "Dr. Mohammed Tennari (SAMS)"
    assert found["said"][2] == "Mohammed Tennari"


def test_seemed_to_with_its_verb_keeps_its_subject_as_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The minister seemed to confirm that the strike had hit a depot."
    found = _records(claim_extractor, text)
    assert found["seemed to confirm"] == (
        "The minister",
        "that the strike had hit a depot",
        "minister",
    )


def test_a_broadcast_transcripts_time_before_the_speaker_keeps_the_turn(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "[06:02] PRESENTER: Reports are coming in of a chemical attack in Idlib province.\n"
    found = _records(claim_extractor, text)
    assert found[":"][:2] == (
        "PRESENTER",
        "Reports are coming in of a chemical attack in Idlib province",
    )


def test_a_letters_formula_pointing_at_what_follows_is_no_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Upon instructions from my Government, I should like to convey the following:\n"
    assert _records(claim_extractor, text) == {}


def test_my_government_in_a_letter_is_the_government_it_named(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Government of the Syrian Arab Republic rejects the allegations.\n\n"
        "My Government affirms that the incident was fabricated."
    )
    assert _records(claim_extractor, text)["affirms"][2] == "Government of the Syrian Arab Republic"


def test_its_report_speaks_for_the_body_named_before(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The OPCW-UN Joint Investigative Mechanism found no evidence of such a depot. "
        "Its report said the crater was caused by an aerial bomb."
    )
    found = _records(claim_extractor, text)
    assert found["found"][1] == "no evidence of such a depot"
    assert found["said"][2] == "OPCW-UN Joint Investigative Mechanism"
    # a person is no body whose report it could be
    text = "Dr. Tennari treated the victims. Its report said the crater was old."
    assert _records(claim_extractor, text)["said"][2] == "Its report"


def test_what_is_set_apart_by_aside_from_is_not_what_was_refused(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "She refused to discuss any changes to the text, aside from saying that the core of "
        "the mechanism was not negotiable."
    )
    found = _records(claim_extractor, text)
    assert found["refused"][1] == "to discuss any changes to the text"
    assert found["saying"][1] == "that the core of the mechanism was not negotiable"


def test_a_party_submits_before_a_court_and_an_embassy_assesses(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The Prosecution submits that the sarin came from an aerial bomb."
    assert _records(claim_extractor, text)["submits"][:2] == (
        "The Prosecution",
        "that the sarin came from an aerial bomb",
    )
    # without a reported clause it is a filing, not a claim
    text = "The Prosecution submitted its evidence on Monday."
    assert "submitted" not in _records(claim_extractor, text)


def test_a_threads_post_numbers_and_a_cables_labels_are_no_speakers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Thread: what we know about the attack\n\n"
        "2/ Local doctors we spoke to describe pinpoint pupils and foaming at the mouth, "
        "symptoms consistent with a nerve agent.\n\n"
        "SUBJECT: SYRIA: FOREIGN MINISTRY REJECTS CHARGES\n"
    )
    found = _records(claim_extractor, text)
    assert ":" not in found
    assert found["describe"] == (
        "Local doctors we spoke to",
        "pinpoint pupils and foaming at the mouth",
        "Local doctors",
    )


def test_a_witness_known_by_a_code_is_a_person_a_later_she_means(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "W-17 stated that the first patients arrived at about 07:00. She said that a "
        "colleague died two days later."
    )
    found = _records(claim_extractor, text)
    assert found["said"][2] == "W-17"


def test_a_fact_confirmed_by_someone_is_their_confirmation_of_the_clause_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The general added that the same munitions had been used in Aleppo, a fact "
        "confirmed by Russian military specialists."
    )
    found = _records(claim_extractor, text)
    assert found["added"][1] == "that the same munitions had been used in Aleppo"
    assert found["confirmed"][:2] == (
        "Russian military specialists",
        "that the same munitions had been used in Aleppo",
    )


def test_holding_someone_responsible_is_a_charge(claim_extractor: ClaimExtractor) -> None:
    text = "The Coalition holds the Assad regime fully responsible for the massacre."
    assert _records(claim_extractor, text)["holds"][:2] == (
        "The Coalition",
        "the Assad regime fully responsible for the massacre",
    )
    assert "held" not in _records(claim_extractor, "The company held a licence.")


def test_a_claim_supported_by_no_witness_is_no_witnesss_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The ministry's claim that the victims were brought from elsewhere has not been "
        "supported by any witness."
    )
    found = _records(claim_extractor, text)
    assert list(found) == ["claim"]
    assert found["claim"][2] == "ministry"


def test_several_of_a_group_named_before_speak_for_it_but_others_do_not(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Witnesses told the Mechanism that an aircraft was heard over the town. Several "
        "stated that they saw a bomb fall near the bakery."
    )
    assert _records(claim_extractor, text)["stated"][2] == "Witnesses"
    text = "Doctors said the patients had pinpoint pupils. Others said they smelled chlorine."
    assert _records(claim_extractor, text)["said"][2] == "Others"


def test_a_naming_outside_any_claim_is_a_claim_with_its_quotation_whole(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Damascus rejected the findings outright, while Moscow scoffed at what it called "
        '"a politicised investigation."'
    )
    found = _records(claim_extractor, text)
    assert found["called"] == ("it", 'what "a politicised investigation."', "Russia")
    text = 'In what diplomats described as "a rare concession," Moscow agreed to the visit.'
    assert _records(claim_extractor, text)["described"][1] == 'what "a rare concession,"'


def test_appeared_to_suggest_and_a_shared_subject_keep_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The minister appeared to suggest that the samples had been tampered with."
    assert _records(claim_extractor, text)["appeared"][0] == "The minister"
    text = "The envoy is sceptical of the talks and expects them to collapse before the summer."
    assert _records(claim_extractor, text)["expects"][0] == "The envoy"
    # with no saying after it, "appears to" is the writer's hedge, spoken by no one
    text = "The strike appears to have hit a depot."
    assert _records(claim_extractor, text)["appears"][0] is None


def test_called_on_keeps_whom_it_called_when_on_is_parsed_as_a_particle(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "In June, the senator called on fellow Republicans to unendorse the nominee."
    assert _records(claim_extractor, text)["called on"][1] == (
        "fellow Republicans to unendorse the nominee"
    )
    text = "He lashed out at Turkey for having shot down a Russian bomber."
    assert _records(claim_extractor, text)["lashed out at"][1] == (
        "Turkey for having shot down a Russian bomber"
    )


def test_an_interviewers_question_and_a_bare_condition_claim_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Question: Mr. President, did you order the strike on Khan Shaykhun?\n"
    assert _records(claim_extractor, text) == {}
    text = "If the reports are confirmed, the European Union said, new sanctions would follow."
    assert list(_records(claim_extractor, text)) == ["said"]


def test_a_quotation_after_told_the_house_runs_on_over_its_paragraphs(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The foreign secretary told the Commons:\n\n"
        '"The evidence points overwhelmingly to the Assad regime.\n\n'
        '"We will work with our partners."\n\n'
        '"It was a lie," the ambassador replied.\n'
    )
    found = {a.cue.text: a for a in _attributions(claim_extractor, text)}
    assert [piece.text for piece in found["told"].content.pieces] == [
        '"The evidence points overwhelmingly to the Assad regime.',
        '"We will work with our partners."',
    ]
    assert found["replied"].content.text == '"It was a lie,"'


def test_an_opening_statements_i_is_whoever_the_title_names(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Opening statement by the Director-General to the Executive Council\n\n"
        "I would like to begin by condemning, in the strongest possible terms, the use of "
        "chemical weapons in Khan Shaykhun. I am confident that the findings will stand."
    )
    found = _records(claim_extractor, text)
    assert found["condemning"][1:] == (
        "the use of chemical weapons in Khan Shaykhun",
        "Director-General",
    )
    assert found["am confident"][2] == "Director-General"


def test_a_participle_between_the_cue_and_that_is_no_part_of_what_was_reported(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Enab Baladi reported, citing local sources, that the first strike hit a residential "
        "street near the bakery."
    )
    assert _records(claim_extractor, text)["reported"][1] == (
        "that the first strike hit a residential street near the bakery"
    )


def test_a_resolutions_operative_paragraphs_are_the_bodys(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Human Rights Council,\n\n"
        "Recalling its previous resolutions,\n\n"
        "1. Condemns in the strongest terms the use of chemical weapons in Khan Shaykhun;\n\n"
        "2. Demands that the Syrian authorities cooperate fully with the Commission;\n"
    )
    found = _records(claim_extractor, text)
    assert found["Condemns"] == (
        None,
        "in the strongest terms the use of chemical weapons in Khan Shaykhun",
        "Human Rights Council",
    )
    assert found["Demands"][1:] == (
        "that the Syrian authorities cooperate fully with the Commission",
        "Human Rights Council",
    )


def test_a_monitor_reporting_after_a_toll_with_a_phrase_is_found(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "At least 58 people were killed, including 11 children, the Syrian Observatory for "
        "Human Rights reported."
    )
    assert _records(claim_extractor, text)["reported"][:2] == (
        "the Syrian Observatory for Human Rights",
        "At least 58 people were killed, including 11 children",
    )


def test_a_council_records_speaker_who_spoke_in_another_language_has_a_turn(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Mr. Safronkov (Russian Federation) (spoke in Russian): We are convinced that the "
        "incident was staged.\n"
    )
    found = _records(claim_extractor, text)
    assert found[":"][0] == "Mr. Safronkov"
    assert found["are convinced"][2] == "Safronkov"


def test_a_note_verbales_courtesy_is_no_claim_but_what_it_has_the_honour_to_say_is(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Technical Secretariat presents its compliments to the Permanent Representation "
        "of the Syrian Arab Republic and has the honour to inform it that the Mission will "
        "deploy on 20 April."
    )
    found = _records(claim_extractor, text)
    assert "presents" not in found
    assert found["to inform"][:2] == (
        "The Technical Secretariat",
        "that the Mission will deploy on 20 April",
    )


def test_information_received_from_someone_is_their_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Mechanism received information from the Syrian Arab Republic that the Syrian "
        "Arab Air Force had conducted an airstrike on a warehouse."
    )
    found = _records(claim_extractor, text)
    assert found["information"] == (
        "the Syrian Arab Republic",
        "that the Syrian Arab Air Force had conducted an airstrike on a warehouse",
        "Syria",
    )


def test_a_briefings_we_is_the_spokesperson_its_title_names(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Briefing by Foreign Ministry Spokesperson Maria Zakharova, Moscow, April 6, 2017\n\n"
        "We have repeatedly warned that terrorists in Idlib possess chemical weapons."
    )
    found = {r.attribution.cue.text: r for r in claim_extractor.extract(text)}
    speaker = found["warned"].speaker
    assert speaker is not None
    assert (speaker.name, speaker.title) == ("Maria Zakharova", "Foreign Ministry Spokesperson")


def test_a_second_participle_joined_inside_the_first_ones_clause_is_the_same_speakers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Its ally Russia has offered several competing explanations, first claiming that a "
        "rebel depot was hit and later suggesting the attack was staged."
    )
    found = _records(claim_extractor, text)
    assert found["claiming"][1] == "that a rebel depot was hit"
    assert found["suggesting"][:2] == ("Its ally Russia", "the attack was staged")
    assert found["suggesting"][2] == found["claiming"][2]  # one speaker


def test_that_said_opening_a_sentence_is_the_writers_concession(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "That said, a loss to the opposition in this province would be a blow to the "
        "government.\n\nHaving said that, the minister said the talks would go on."
    )
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.cue.text, a.content.text) for a in found] == [
        ("the minister", "said", "the talks would go on")
    ]


def test_what_was_told_at_a_meeting_is_the_clause_its_that_opens(
    claim_extractor: ClaimExtractor,
) -> None:
    # The parser hangs "that he may not follow through" on "meeting" as a relative clause,
    # though its "that" is a conjunction (a relative "that" would be the clause's object)
    text = (
        "He told the editorial board in a meeting that he may not follow through with his "
        "proposed measures."
    )
    found = _one(_attributions(claim_extractor, text), "told")
    assert found.content.text == "that he may not follow through with his proposed measures"


def test_a_clause_before_a_dash_is_the_writers_and_the_one_after_the_cue_is_said(
    claim_extractor: ClaimExtractor,
) -> None:
    # The parser gives "said" both clauses; the one before the dash is the writer's account
    text = (
        "The envoy is not worried about the delays in the inquiry — indeed, he said they "
        "“strengthen” its findings."
    )
    found = _one(_attributions(claim_extractor, text), "said")
    assert _source(found) == "he"
    assert found.content.text == "they “strengthen” its findings"


def test_a_speaker_joined_to_the_opening_phrase_with_a_title_in_commas_speaks(
    claim_extractor: ClaimExtractor,
) -> None:
    # The parser joins the name to "Idlib" and leaves "said" without a subject
    text = (
        "Alarmed by the reports from Idlib, Ambassador Nikki Haley, the American envoy, said "
        "that the Council could not stay silent."
    )
    found = _one(_attributions(claim_extractor, text), "said")
    assert _source(found) == "Ambassador Nikki Haley, the American envoy,"
    assert found.content.text == "that the Council could not stay silent"


def test_a_verb_of_saying_joined_to_a_passive_is_its_subjects(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "By the end of the week the minister was forced into a retreat and said that his "
        "words had been misconstrued."
    )
    found = _one(_attributions(claim_extractor, text), "said")
    assert _source(found) == "the minister"
    assert found.content.text == "that his words had been misconstrued"


def test_that_said_in_brackets_is_still_the_writers(claim_extractor: ClaimExtractor) -> None:
    text = 'She called the envoy "fair." (That said, she also noted, "He is not neutral.")'
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["called", "noted"]
    assert _source(_one(found, "noted")) == "she"


def test_asking_whether_after_a_reported_clause_is_the_speaker_going_on(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The inspector noted that the samples had been stored for a week and asked whether "
        "the chain of custody had been kept."
    )
    found = {a.cue.text: a for a in _attributions(claim_extractor, text)}
    assert found["noted"].content.text == "that the samples had been stored for a week"
    assert _source(found["asked"]) == "The inspector"
    assert found["asked"].content.text == "whether the chain of custody had been kept"


def test_a_closing_report_with_its_speaker_after_the_verb_reports_the_sentence(
    claim_extractor: ClaimExtractor,
) -> None:
    # The parser joins "said" to "is holding" as one more thing the clinic does
    text = (
        "In Idlib, the clinic is holding on, but it is short of atropine, said the charity's "
        "director, Nour Haddad."
    )
    found = _one(_attributions(claim_extractor, text), "said")
    assert _source(found) == "the charity's director, Nour Haddad"
    assert found.content.text == ("In Idlib, the clinic is holding on, but it is short of atropine")


def test_a_speaker_the_parse_made_the_subject_of_a_later_verb_speaks_the_quotation(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        '"The samples leave no doubt," said Marta Lind, who led the laboratory during the '
        "first inquiry yet criticised its methods in the second."
    )
    found = _one(_attributions(claim_extractor, text), "said")
    assert _source(found) == "Marta Lind, who led the laboratory during the first inquiry"
    assert found.content.text == '"The samples leave no doubt,"'


def test_a_preposition_between_the_cue_and_what_was_said_belongs_to_the_cue(
    claim_extractor: ClaimExtractor,
) -> None:
    # Without it the cue reads as its opposite: "warned | a military escalation"
    text = (
        "The minister warned against a military escalation. The envoy cautioned against "
        "drawing conclusions. The ministry complained about the findings of the inquiry."
    )
    found = {(a.cue.text, a.content.text) for a in _attributions(claim_extractor, text)}
    assert ("warned against", "a military escalation") in found
    assert ("cautioned against", "drawing conclusions") in found
    assert ("complained about", "the findings of the inquiry") in found


def test_a_verb_with_a_complement_of_its_own_holds_nothing_of_an_as_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Those quarrels seemed a distant memory on Monday, as the two ministers echoed the same "
        "demands."
    )
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.cue.text) for a in found] == [("the two ministers", "echoed")]


def test_a_surname_with_mrs_is_not_the_man_of_that_name_named_before(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Ms. Lund has criticised the policies of the Peter Holm years.\n\n"
        "Mrs. Holm said the inquiry should go on."
    )
    records = claim_extractor.extract(text)
    said = next(r for r in records if r.attribution.cue.text == "said")
    assert said.speaker is not None and said.speaker.name != "Peter Holm"


def test_a_clause_the_parser_reads_without_its_verb_is_what_the_closing_speaker_said(
    claim_extractor: ClaimExtractor,
) -> None:
    # "struggle" read as a noun leaves the words before the comma hung loosely on "said"
    text = 'Those who take on heavy debt struggle, even with a "good" job, he said on Monday.'
    said = _one(_attributions(claim_extractor, text), "said")
    assert _source(said) == "he"
    assert said.content.text == 'Those who take on heavy debt struggle, even with a "good" job'


def test_a_time_or_a_clause_of_when_before_the_speaker_is_not_what_was_said(
    claim_extractor: ClaimExtractor,
) -> None:
    for text in ("In the morning, the minister said.", "When the strike came, the minister said."):
        assert _attributions(claim_extractor, text) == [], text


def test_the_writers_i_quote_leaves_the_quotation_to_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    for text in (
        'No wonder the minister said, and I quote, "We will never negotiate." Talks began.',
        'The minister said (I quote): "We will never negotiate."',
    ):
        found = _attributions(claim_extractor, text)
        assert [a.cue.text for a in found] == ["said"], text
        assert _source(found[0]) == "The minister" if "(" in text else "the minister"
        assert found[0].content.text == '"We will never negotiate."'


def test_a_name_given_in_a_relative_inside_a_claim_is_a_naming_of_its_own(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The governor said he has backed bills that would curb regional accreditation bodies, "
        "which he called “a cartel for higher education.” He would do more."
    )
    found = _attributions(claim_extractor, text)
    said, called = _one(found, "said"), _one(found, "called")
    assert said.content.text.startswith("he has backed bills")
    assert called.content.text == "which “a cartel for higher education.”"
    assert [p.text for p in called.content.parts] == ["which", "“a cartel for higher education.”"]
    # what "which" stands for is the bodies, so the governor's claim keeps its relative
    assert said.content.text.endswith("“a cartel for higher education.”")


def test_bare_verbs_after_to_and_a_verb_go_on_with_the_reported_list(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Public health experts said money is desperately needed to develop a vaccine, "
        "educate the public and learn more about the virus."
    )
    found = _attributions(claim_extractor, text)
    said = _one(found, "said")
    assert said.content.text == (
        "money is desperately needed to develop a vaccine, educate the public and learn more "
        "about the virus"
    )
    assert [a.cue.text for a in found] == ["said"]


def test_a_closing_told_joined_to_the_sentences_verb_reports_the_sentence(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The force is growing. This includes a special unit to assist the Peshmerga, "
        "Defense Secretary Ash Carter told a Senate panel Wednesday. Senators disagreed."
    )
    told = _one(_attributions(claim_extractor, text), "told")
    assert _source(told) == "Defense Secretary Ash Carter"
    assert told.content.text == "This includes a special unit to assist the Peshmerga"


def test_the_third_verb_of_a_list_has_the_first_verbs_subject(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The candidate joked about his rivals, declined to affirm his support for the treaty, "
        "and told his audience they would not back him."
    )
    told = _one(_attributions(claim_extractor, text), "told")
    assert _source(told) == "The candidate"
    assert told.content.text == "they would not back him"


def test_told_with_a_colon_has_the_quotation_of_the_next_paragraph(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "He told the delegates, to rowdy applause:\n\n"
        "“Nobody has ever been more qualified to lead this organisation.”\n\n"
        "The claim does not hold."
    )
    told = _one(_attributions(claim_extractor, text), "told")
    assert told.content.text == ("“Nobody has ever been more qualified to lead this organisation.”")


def test_a_that_clause_hung_on_a_clause_of_time_is_what_was_told(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Ben Jealous, a former president of the NAACP, told The Huffington Post before he "
        "spoke before the committee that he believed the nominee must reach out to her rival."
    )
    told = _one(_attributions(claim_extractor, text), "told")
    assert told.content.text == "that he believed the nominee must reach out to her rival"


def test_according_to_inside_a_bracket_vouches_for_the_bracket_only(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "He repeated his claim that 81 percent of the victims were killed by strangers (the "
        "actual number is closer to 15 percent, according to Factcheck.org). He defended it."
    )
    according = _one(_attributions(claim_extractor, text), "according to")
    assert _source(according) == "Factcheck.org"
    assert according.content.text == "the actual number is closer to 15 percent"


def test_a_participle_on_an_infinitive_has_the_subject_of_the_verb_above(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "They continued to awkwardly veer off script, saying they were being told to stretch "
        "their time on stage."
    )
    saying = _one(_attributions(claim_extractor, text), "saying")
    assert _source(saying) == "They"
    assert saying.content.text.startswith("they were being told")


def test_a_that_clause_read_as_a_clause_of_its_own_is_what_was_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The retired neurosurgeon has provided no details about how he planned to reboot his "
        "campaign, saying in his statement only that he was “refining some operational "
        "practices.” He added: “My senior team remains in place.”"
    )
    found = _attributions(claim_extractor, text)
    saying, added = _one(found, "saying"), _one(found, "added")
    assert _source(saying) == "The retired neurosurgeon"
    assert saying.content.text.endswith("that he was “refining some operational practices.”")
    # the quotation closing the sentence before is no first half of what he added
    assert added.content.text == "“My senior team remains in place.”"


def test_a_speaker_going_on_after_a_reported_clause_of_two_verbs_is_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Rubio pushed back on those claims Thursday, saying that the bill had the correct "
        "security components but was waylaid by voter mistrust - and arguing that he and Cruz "
        'shared "almost all the same" views.'
    )
    found = _attributions(claim_extractor, text)
    saying, arguing = _one(found, "saying"), _one(found, "arguing")
    assert saying.content.text.endswith("was waylaid by voter mistrust")
    assert _source(arguing) == "Rubio"
    assert arguing.content.text.startswith("that he and Cruz shared")


def test_a_judge_is_someone_who_speaks_not_an_abstract_subject(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "In May, a U.S. District Court judge sided with the Democrats, saying the law violated "
        "the Constitution."
    )
    saying = _one(_attributions(claim_extractor, text), "saying")
    assert _source(saying) == "a U.S. District Court judge"


def test_a_participle_after_a_nouns_that_clause_is_the_main_subject_going_on(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The party chair dismissed the accusations that the campaign is violating election law "
        "— saying the rival campaign chose not to accept the same help."
    )
    found = _attributions(claim_extractor, text)
    dismissed, saying = _one(found, "dismissed"), _one(found, "saying")
    assert dismissed.content.text.endswith("violating election law")
    assert _source(saying) == "The party chair"
    assert saying.content.text == "the rival campaign chose not to accept the same help"


def test_a_writer_going_on_after_what_she_wrote(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Byrne also wrote the agents knew to brace for the eruptions, saying, “They didn’t "
        "happen every day.”"
    )
    saying = _one(_attributions(claim_extractor, text), "saying")
    assert _source(saying) == "Byrne"


def test_a_participle_on_a_reported_infinitive_is_the_reporter_going_on(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Even a top strategist said the candidate will have to choose whose side she is on, "
        "saying, “At some point, she is going to have to come out.”"
    )
    found = _attributions(claim_extractor, text)
    said, saying = _one(found, "said"), _one(found, "saying")
    assert said.content.text == "the candidate will have to choose whose side she is on"
    assert _source(saying) == "a top strategist"
    assert saying.content.text == "“At some point, she is going to have to come out.”"


def test_reassuring_someone_that_reports_the_that_clause(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Xi met Putin on Friday, reassuring his counterpart Vladimir Putin that Beijing has no "
        "plans to counter his country’s dominance in Central Asia."
    )
    reassuring = _one(_attributions(claim_extractor, text), "reassuring")
    assert reassuring.content.text.startswith("that Beijing has no plans")


def test_a_long_subject_read_as_the_object_of_said_stays_with_its_verb(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "She said his frequent invocation of his rural state of Vermont in defending his past "
        "votes (though he does currently support an amendment to the liability bill in the "
        "Senate) doesn’t fly."
    )
    said = _one(_attributions(claim_extractor, text), "said")
    assert said.content.text.startswith("his frequent invocation of his rural state")
    assert said.content.text.endswith("doesn’t fly")


def test_a_paper_reporting_after_the_last_comma_reports_the_sentence(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "During the investigation, the lobbyist acknowledged that the work could be termed "
        '"influence peddling," The Washington Post reported in 1991. The firm was sold.'
    )
    found = _attributions(claim_extractor, text)
    acknowledged, reported = _one(found, "acknowledged"), _one(found, "reported")
    assert acknowledged.content.text == 'that the work could be termed "influence peddling,"'
    assert _source(reported) == "The Washington Post"
    assert reported.content.text.startswith("During the investigation, the lobbyist")
    assert reported.content.text.endswith('"influence peddling,"')
    text = (
        "The charity's president noted that the clinic is central to the party's platform for "
        "the first time, reported the Washington Examiner."
    )
    reported = _one(_attributions(claim_extractor, text), "reported")
    assert _source(reported) == "the Washington Examiner"
    assert reported.content.text.endswith("for the first time")


def test_the_verb_after_a_quotation_is_not_nested_in_a_saying_quoted_inside_it(
    claim_extractor: ClaimExtractor,
) -> None:
    # the parse runs the quoted "says" on past the closing marks, over the speaker and the verb
    # that report the quotation; the learnt filter then took the report for a reported report
    text = (
        "The crowd stayed late. ''He says what everyone else wants to say but they're too "
        "scared to say,'' Omar Haddad, a baker from the old town, said at the rally on Friday. "
        "''We are tired "
        "of waiting for the convoys.''"
    )
    said = _one(_attributions(claim_extractor, text), "said")
    assert _source(said) == "Omar Haddad, a baker from the old town,"
    assert said.content.text.startswith("''He says what everyone else wants to say")


def test_quotation_marks_typed_against_a_word_still_open_and_close_a_quotation(
    claim_extractor: ClaimExtractor,
) -> None:
    closed = (
        "“It is a shame to see the convoys stopped at the checkpoint again and again,”Haddad "
        "said. “Nobody has explained why.”"
    )
    said = _one(_attributions(claim_extractor, closed), "said")
    assert _source(said) == "Haddad"
    assert said.content.text.startswith("“It is a shame to see the convoys")
    opened = "The envoy said,“Look, the convoys have no place at a checkpoint.”"
    said = _one(_attributions(claim_extractor, opened), "said")
    assert _source(said) == "The envoy"
    assert said.content.text == "“Look, the convoys have no place at a checkpoint.”"
    assert quotations(opened) == [(15, len(opened))]
    straight = (
        '"The convoys were stopped at the checkpoint again and again,"Omar Haddad, who drives '
        'one of them, said in a statement. "Nobody has explained why."'
    )
    said = _one(_attributions(claim_extractor, straight), "said")
    assert _source(said) == "Omar Haddad, who drives one of them,"
    assert said.content.text.startswith('"The convoys were stopped')
    assert quotations(straight)[0] == (0, straight.index("Omar"))
    # an opening mark typed where the closing one belongs, after the comma
    mistyped = (
        "“If the crossing closes again, the hospital will run out of fuel within the week,“ "
        "said Samir Haddad, the hospital's director."
    )
    said = _one(_attributions(claim_extractor, mistyped), "said")
    assert _source(said) is not None and _source(said).startswith("Samir Haddad")  # type: ignore[union-attr]
    assert said.content.text.endswith("within the week,“")


def test_a_speaker_described_at_length_between_a_quotation_and_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "“The shelling never stopped, not even at night,” Haddad, now 64 and living in Gaziantep, "
        "Turkey, said by telephone this week. “We slept in the basement.”"
    )
    said = _one(_attributions(claim_extractor, text), "said")
    assert (_source(said) or "").rstrip(",") == "Haddad, now 64 and living in Gaziantep, Turkey"
    assert said.content.text.startswith("“The shelling never stopped")
    text = (
        "“The convoy was turned back twice,” Haddad, the chief negotiator for the relief agencies "
        "in the northern province after the talks in Geneva broke down, said when reporters "
        "asked him about the delay."
    )
    said = _one(_attributions(claim_extractor, text), "said")
    assert _source(said) is not None and _source(said).startswith("Haddad, the chief negotiator")  # type: ignore[union-attr]
    assert said.content.text == "“The convoy was turned back twice,”"


def test_a_saying_quoted_in_the_next_quotation_does_not_stop_it_going_on(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The clinic reopened on Monday.\n\n"
        "“It was a relief to see the queue again,” she said. “We ran out of forms by noon. "
        "Some mothers told me that it was the first time in a month they had seen a doctor.”"
        "\n\nThe ministry did not comment."
    )
    said = _one(_attributions(claim_extractor, text), "said")
    assert said.content.text.startswith("“It was a relief")
    assert said.content.text.endswith("they had seen a doctor.”")
    assert len(said.content.pieces) == 2


def test_according_to_after_the_sentence_vouches_for_its_nearest_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The blockade has not emptied the market: bread was sold at twice its price in March, "
        "according to one relief agency."
    )
    according = _one(_attributions(claim_extractor, text), "according to")
    assert according.content.text == "bread was sold at twice its price in March"
    text = (
        "There is one law that bans the shelling of hospitals, and the army broke it, according "
        "to Samir Haddad, who ran the clinic."
    )
    according = _one(_attributions(claim_extractor, text), "according to")
    assert according.content.text == "the army broke it"
    # a list run on with semicolons is vouched for whole
    text = (
        "The first convoy was turned back on Monday; the second was looted on Tuesday; and the "
        "third never left the depot, according to the relief agencies."
    )
    according = _one(_attributions(claim_extractor, text), "according to")
    assert according.content.text.startswith("The first convoy")


def test_a_person_named_last_before_a_colon_says_the_quotation_after_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The timing of the offensive does not surprise military analyst Samir Haddad: "
        "“Historically, sieges in the province have ended with the first rains.”"
    )
    colon = _one(_attributions(claim_extractor, text), ":")
    assert _source(colon) == "military analyst Samir Haddad"
    assert colon.content.text.startswith("“Historically, sieges")
    # the one a message is delivered to, or a platform, is not the speaker
    text = (
        "The envoy delivered a blunt message to Samir Haddad: “It is time to open the "
        "crossings and let the convoys through.”"
    )
    assert not [a for a in _attributions(claim_extractor, text) if _source(a) == "Samir Haddad"]


def test_what_was_told_after_the_one_told_and_a_comma(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "In discussing the scandals, former envoy Samir Haddad told Radio Rozana Daily SiriusXM "
        "host Omar Saleh, “The crossings might as well be Closed for Good – Not Opened, Yet!”"
    )
    told = _one(_attributions(claim_extractor, text), "told")
    assert told.content.text.startswith("“The crossings might as well be Closed")
    for told_whom in ("CNN", "the BBC"):
        text = (
            f"Instead, the envoy told {told_whom}, the convoys would merely be “held for "
            "inspection” if they reach the border."
        )
        told = _one(_attributions(claim_extractor, text), "told")
        assert told.content.text.startswith("the convoys would merely be")
