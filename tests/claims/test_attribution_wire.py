"""Wire-report shapes that went wrong on unseen news texts: surnames of people named earlier,
names the model tags only in part, someone else's spokesman, a ministry named again as "the
ministry", "according to" after a claim, and the target of "lashed out"."""

from __future__ import annotations

from enquiry.enrich.text.claims import ClaimExtractor, ClaimRecord


def _by_content(records: list[ClaimRecord], fragment: str) -> ClaimRecord:
    found = [r for r in records if fragment in r.attribution.content.text]
    assert found, f"no claim with content containing {fragment!r}"
    return found[0]


def _actor(record: ClaimRecord) -> str:
    assert record.speaker is not None
    return record.speaker.name


def test_a_surname_is_the_person_named_in_full_before(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Japanese Prime Minister Shinzo Abe called the launch a grave threat.\n\n"
        '"We will do our utmost to protect the lives of the people," Abe told reporters.'
    )
    record = _by_content(claim_extractor.extract(text), "our utmost")
    assert _actor(record) == "Shinzo Abe"
    assert record.speaker is not None and record.speaker.resolved_from == "Abe"
    assert record.attribution.source is not None and record.attribution.source.text == "Abe"


def test_a_surname_alone_stays_when_no_one_fits(claim_extractor: ClaimExtractor) -> None:
    text = '"We will not stand by," Delattre told reporters.'
    record = _by_content(claim_extractor.extract(text), "stand by")
    assert _actor(record) == "Delattre"


def test_given_name_the_model_missed_joins_the_surname(claim_extractor: ClaimExtractor) -> None:
    text = (
        '"The mission has concluded that sarin was used," OPCW Director-General Ahmet Uzumcu '
        "said in a statement."
    )
    record = _by_content(claim_extractor.extract(text), "mission has concluded")
    assert _actor(record) == "Ahmet Uzumcu"
    assert record.speaker is not None and "Director-General" in record.speaker.title


def test_his_spokesman_is_not_the_last_spokesman_named(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov told reporters that the strike had targeted only "
        "military infrastructure.\n\nUN Secretary-General Antonio Guterres unequivocally "
        "condemned the attack, his spokesman said."
    )
    record = _by_content(claim_extractor.extract(text), "condemned the attack")
    assert record.speaker is not None
    assert record.speaker.name == "his spokesman"
    assert record.speaker.affiliation == "Antonio Guterres"


def test_the_ministry_is_the_ministry_named_before(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Syria's Foreign Ministry said on Tuesday that Israeli warplanes had fired missiles near "
        'the airport.\n\n"This aggression will not go unanswered," the ministry said.'
    )
    record = _by_content(claim_extractor.extract(text), "unanswered")
    assert _actor(record) == "Syria's Foreign Ministry"
    assert record.speaker is not None and record.speaker.resolved_from == "ministry"


def test_a_closing_according_to_is_not_part_of_the_content(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Pyongyang said the test was a legitimate act of self-defence, according to the "
        "official KCNA news agency."
    )
    records = claim_extractor.extract(text)
    said = next(r for r in records if r.attribution.cue.text == "said")
    assert _actor(said) == "North Korea"
    assert said.attribution.content.text == "the test was a legitimate act of self-defence"
    span = said.attribution.content
    assert text[span.start : span.end] == span.text


def test_lashed_out_takes_the_target_and_grievance(claim_extractor: ClaimExtractor) -> None:
    text = (
        "U.S. Ambassador Nikki Haley said the veto protected the regime. She then lashed out at "
        "Turkey for its operations in northern Syria."
    )
    records = claim_extractor.extract(text)
    lashed = next(r for r in records if r.attribution.cue.text.startswith("lashed"))
    assert _actor(lashed) == "Nikki Haley"
    assert lashed.attribution.cue.text == "lashed out at"
    assert lashed.attribution.content.text == "Turkey for its operations in northern Syria"


def test_a_surname_the_model_does_not_know_as_a_person(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Germany's UN Ambassador Christoph Heusgen said on Friday that the council had let "
        'down millions of Syrians.\n\n"Today is a sad day," Heusgen said.'
    )
    record = _by_content(claim_extractor.extract(text), "sad day")
    assert _actor(record) == "Christoph Heusgen"


def test_the_group_is_the_organisation_named_before(claim_extractor: ClaimExtractor) -> None:
    text = (
        'The Syrian American Medical Society said its doctors treated 11 people. "The symptoms '
        'were consistent with exposure to chlorine," the group said in a statement.'
    )
    record = _by_content(claim_extractor.extract(text), "symptoms")
    assert _actor(record) == "Syrian American Medical Society"


def test_the_official_is_the_unnamed_official_before(claim_extractor: ClaimExtractor) -> None:
    text = (
        "A senior U.S. official, speaking on condition of anonymity, said Washington was "
        "consulting its allies. The official added that no decision had been taken."
    )
    record = _by_content(claim_extractor.extract(text), "no decision")
    assert _actor(record) == "senior U.S. official"


def test_called_on_takes_whom_and_what(claim_extractor: ClaimExtractor) -> None:
    records = claim_extractor.extract("Beijing called on all sides to show restraint.")
    assert [(_actor(r), r.attribution.cue.text, r.attribution.content.text) for r in records] == [
        ("China", "called on", "all sides to show restraint")
    ]


def test_a_reporting_word_modifying_a_noun_is_no_claim(claim_extractor: ClaimExtractor) -> None:
    records = claim_extractor.extract("The vessel had ignored repeated warnings.")
    assert [r.attribution.cue.text for r in records] == []


def test_a_surname_without_its_arabic_article(claim_extractor: ClaimExtractor) -> None:
    text = (
        'Syrian President Bashar al-Assad told AFP that the incident was a "fabrication". '
        "Assad said the army had given up all its chemical weapons in 2013."
    )
    record = _by_content(claim_extractor.extract(text), "given up")
    assert _actor(record) == "Bashar al-Assad"


def test_denied_with_a_gerund(claim_extractor: ClaimExtractor) -> None:
    records = claim_extractor.extract("Damascus has repeatedly denied using chemical weapons.")
    assert [(_actor(r), r.attribution.content.text) for r in records] == [
        ("Syria", "using chemical weapons")
    ]


def test_demonyms_beyond_the_middle_east_give_the_state(claim_extractor: ClaimExtractor) -> None:
    records = claim_extractor.extract(
        "Japanese Prime Minister Shinzo Abe called the launch a grave threat. Tokyo said the "
        "missile fell into the sea."
    )
    abe = _by_content(records, "launch")
    assert abe.speaker is not None and abe.speaker.affiliation == "Japan"
    assert _actor(_by_content(records, "fell into the sea")) == "Japan"


COUNCIL = (
    'UNITED NATIONS, Feb 22, 2018 (Reuters) - "We will not accept this text," Russia\'s UN '
    'Ambassador Vassily Nebenzia said, "and we will not let the council be used for '
    'propaganda."\n\nNebenzia was quoted as saying by the TASS news agency that Moscow had '
    "proposed its own draft.\n\nKuwait's ambassador, who holds the council presidency this "
    "month, said a vote could take place soon."
)


def test_quotation_split_by_its_speaker(claim_extractor: ClaimExtractor) -> None:
    record = _by_content(claim_extractor.extract(COUNCIL), "accept this text")
    found = record.attribution
    assert _actor(record) == "Vassily Nebenzia"
    assert [part.text for part in found.content.parts] == [
        '"We will not accept this text,"',
        '"and we will not let the council be used for propaganda."',
    ]
    assert found.content.text == " ".join(part.text for part in found.content.parts)
    for span in found.content.parts:
        assert COUNCIL[span.start : span.end] == span.text
    assert (found.content.start, found.content.end) == (
        found.content.parts[0].start,
        found.content.parts[-1].end,
    )


def test_quoted_as_saying_names_the_one_quoted(claim_extractor: ClaimExtractor) -> None:
    record = _by_content(claim_extractor.extract(COUNCIL), "its own draft")
    assert record.attribution.source is not None
    assert record.attribution.source.text == "Nebenzia"
    assert _actor(record) == "Vassily Nebenzia"  # though the model tags "Nebenzia" as a place


def test_a_date_describing_the_speaker_does_not_date_the_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    import datetime as dt

    records = claim_extractor.extract(COUNCIL, dt.date(2018, 2, 22))
    record = _by_content(records, "a vote could take place")
    assert (record.date, record.date_phrase) == ("2018-02-22", "")


def test_a_person_in_a_clause_about_the_speaker_is_not_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Libya's government accused eastern commander Khalifa Haftar of undermining the truce, "
        "while his forces said they had only responded to provocations.\n\nEgypt, which backs "
        "Haftar, said it was following developments closely."
    )
    records = claim_extractor.extract(text)
    assert _actor(_by_content(records, "following developments")) == "Egypt"
    forces = _by_content(records, "only responded")
    assert forces.speaker is not None
    assert (forces.speaker.name, forces.speaker.affiliation) == ("his forces", "Khalifa Haftar")


def test_which_moscow_denies_is_a_denial_of_the_accusation(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Western diplomats have accused Russia of tampering with evidence, which Moscow denies."
    records = claim_extractor.extract(text)
    pairs = [(_actor(r), r.attribution.content.text) for r in records]
    assert ("Western diplomats", "Russia of tampering with evidence") in pairs
    assert ("Russia", "Russia of tampering with evidence") in pairs


def test_a_long_report_before_its_speaker_and_adding(claim_extractor: ClaimExtractor) -> None:
    """The parser made the speaker an apposition of the town and "said" a conjunct of
    "killed": no claim at all was found."""
    text = (
        "BEIRUT (Reuters) - At least 92 people were killed and hundreds wounded in a suspected "
        "nerve gas attack on the rebel-held town of Khan Shaykhun, the Syrian Observatory for "
        "Human Rights said on Tuesday, adding that children were among the dead."
    )
    records = claim_extractor.extract(text)
    said = _by_content(records, "At least 92 people were killed")
    assert said.attribution.cue.text == "said"
    assert said.attribution.content.text.endswith("Khan Shaykhun")
    assert _actor(said) == "Syrian Observatory for Human Rights"
    adding = _by_content(records, "children were among the dead")
    assert _actor(adding) == "Syrian Observatory for Human Rights"


def test_a_cue_the_parser_hung_on_the_quotations_subject(
    claim_extractor: ClaimExtractor,
) -> None:
    text = 'The White House press secretary repeated yesterday, "The evidence points to Damascus."'
    record = _by_content(claim_extractor.extract(text), "The evidence points to Damascus")
    assert record.attribution.cue.text == "repeated"
    assert record.attribution.source is not None
    assert record.attribution.source.text == "The White House press secretary"


def test_a_hyphenated_arabic_name_is_not_cut(claim_extractor: ClaimExtractor) -> None:
    text = 'President Bashar al-Assad said the attack was a "100 percent fabrication".'
    record = _by_content(claim_extractor.extract(text), "fabrication")
    assert record.attribution.source is not None
    assert record.attribution.source.text == "President Bashar al-Assad"
    assert _actor(record) == "Bashar al-Assad"


def test_according_to_people_present(claim_extractor: ClaimExtractor) -> None:
    """The parse hangs "according to diplomats" on the closing adjective."""
    text = "The envoy said nothing further, according to diplomats present."
    record = _by_content(claim_extractor.extract(text), "said nothing")
    assert record.attribution.cue.text.lower() == "according to"
    assert record.attribution.content.text == "The envoy said nothing further"


def test_witnesses_in_a_town_are_not_a_person_named_after_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Witnesses in Khan Shaykhun said a jet circled over the town shortly before 7 a.m."
    record = _by_content(claim_extractor.extract(text), "a jet circled")
    assert _actor(record) == "Witnesses in Khan Shaykhun"
    # "a.m." read as punctuation on "said" no longer cuts the time off the content
    assert record.attribution.content.text.endswith("before 7 a.m.")


def test_another_speaker_set_against_the_first_is_not_their_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Mikhail Ulyanov, a Russian foreign ministry official, suggested that a device on the "
        "ground might have burst in place, while the OPCW said its fact-finding mission would "
        "continue its work."
    )
    records = claim_extractor.extract(text)
    suggested = _by_content(records, "a device on the ground")
    assert "OPCW" not in suggested.attribution.content.text
    assert _actor(_by_content(records, "its fact-finding mission")) == "OPCW"


def test_a_digest_title_is_not_a_speaker(claim_extractor: ClaimExtractor) -> None:
    text = "Syria digest: Khan Shaykhun, one week on\n\nThe talks were postponed."
    assert not [
        r for r in claim_extractor.extract(text) if "one week on" in r.attribution.content.text
    ]


def test_she_after_an_unnamed_envoy_is_the_envoy(claim_extractor: ClaimExtractor) -> None:
    """The last person named before was a man; "she" was given his name."""
    text = (
        "Dr. Mohammad Firas al-Jundi, the opposition health minister, told Reuters that rescuers "
        "who arrived first had fainted.\n\nThe envoy, who asked not to be named, said the vote "
        'would be delayed. "We need more time," she said.'
    )
    record = _by_content(claim_extractor.extract(text), "We need more time")
    assert record.speaker is not None
    assert "al-Jundi" not in record.speaker.name
    assert record.speaker.name.lower().endswith("envoy")
    assert record.speaker.resolved_from == "she"


def test_an_unnamed_speaker_inside_another_claim_is_not_she(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Nikki Haley spoke after a Russian diplomat said the draft was dead. She said it was not."
    )
    record = _by_content(claim_extractor.extract(text), "it was not")
    assert _actor(record) == "Nikki Haley"


def test_the_day_after_the_cue_dates_the_saying(claim_extractor: ClaimExtractor) -> None:
    text = "The defence ministry said on Wednesday it had evidence of a depot."
    record = _by_content(claim_extractor.extract(text), "evidence of a depot")
    assert record.attribution.content.text == "it had evidence of a depot"


def test_each_sources_death_toll_is_its_claim(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The opposition's health directorate put the toll at 89, while a local rescue group "
        "said more than 100 had died. The team put the ball at the centre."
    )
    records = claim_extractor.extract(text)
    toll = _by_content(records, "the toll at 89")
    assert toll.attribution.cue.text == "put"
    assert _actor(toll) == "opposition's health directorate"
    assert _actor(_by_content(records, "more than 100 had died")) == "local rescue group"
    assert not [r for r in records if "ball" in r.attribution.content.text]


def test_russian_surnames_and_given_names_agree_with_pronouns(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Sergei Lavrov said the strike was illegal. Zakharova said the vote would fail. "
        "She added that Moscow would veto."
    )
    record = _by_content(claim_extractor.extract(text), "Moscow would veto")
    assert _actor(record) == "Zakharova"
    assert record.speaker is not None and record.speaker.type == "person"
    text = "Maria Zakharova said the strike was illegal. He said the vote would fail."
    record = _by_content(claim_extractor.extract(text), "the vote would fail")
    assert _actor(record) == "He"  # no one named fits; not Maria Zakharova


def test_a_state_is_never_read_as_a_surname(claim_extractor: ClaimExtractor) -> None:
    text = "Argentina said the vote was premature. She added that talks should go on."
    record = _by_content(claim_extractor.extract(text), "talks should go on")
    assert _actor(record) != "Argentina"


def test_the_one_an_agency_quotes_is_the_speaker(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Interfax quoted Kremlin spokesman Dmitry Peskov as saying that Moscow would not support "
        "the draft. The state news agency SANA cited a military source as saying the air force "
        "had struck only armed groups."
    )
    records = claim_extractor.extract(text)
    assert _actor(_by_content(records, "Moscow would not support")) == "Dmitry Peskov"
    assert _actor(_by_content(records, "the air force had struck")) == "military source"
    assert len(records) == 2  # "quoted" and "cited" are no claims of their own


def test_a_statement_from_a_body_is_the_bodys(claim_extractor: ClaimExtractor) -> None:
    text = "A statement from the Syrian Observatory said the death toll had risen to 88."
    record = _by_content(claim_extractor.extract(text), "death toll had risen")
    assert _actor(record) == "Syrian Observatory"


def test_a_charge_after_a_reported_clause_is_the_speakers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Syria's UN envoy insisted Damascus had handed over its entire arsenal, and accused the "
        'investigators of working from "open sources".'
    )
    records = claim_extractor.extract(text)
    insisted = _by_content(records, "Damascus had handed over")
    assert "accused" not in insisted.attribution.content.text
    accused = _by_content(records, "the investigators of working")
    assert accused.attribution.source is not None
    assert accused.attribution.source.text == "Syria's UN envoy"


def test_a_name_with_a_particle_is_a_person_and_the_envoy_is_he(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "UN envoy Staffan de Mistura said the talks would resume in Geneva. The envoy added "
        "that both delegations had agreed to a local ceasefire."
    )
    records = claim_extractor.extract(text)
    first = _by_content(records, "talks would resume")
    assert first.speaker is not None and first.speaker.type == "person"
    assert _actor(first) == "Staffan de Mistura"
    assert first.speaker.title == "envoy"
    second = _by_content(records, "local ceasefire")
    assert _actor(second) == "Staffan de Mistura"
