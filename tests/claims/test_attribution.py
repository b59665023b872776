"""Attribution on the sentences investigators meet: UN debates, ministry statements, quotes."""

from __future__ import annotations

import datetime as dt

from enquiry.enrich.text.attribution import blank_datelines, quotations
from enquiry.enrich.text.claims import ClaimExtractor

DEBATE = (
    "Moscow's Deputy UN Ambassador Vladimir Safronkov maintained that the mechanism will become "
    "a tool to settle accounts. 'Russia is trying to shoot the messenger,' the UK's Deputy UN "
    "Ambassador Jonathan Allen told the Security Council. Nikki Haley spoke next. She said the "
    "regime had used sarin.\n\nDamascus declared that the reports were a fabrication. Russia "
    "complained that the investigation was biased."
)


def _by_content(records: list, fragment: str):  # type: ignore[no-untyped-def]
    found = [r for r in records if fragment in r.attribution.content.text]
    assert found, f"no claim with content containing {fragment!r}"
    return found[0]


def test_offsets_point_into_the_text(claim_extractor: ClaimExtractor) -> None:
    records = claim_extractor.extract(DEBATE)
    assert len(records) >= 5
    for record in records:
        found = record.attribution
        for span in (found.cue, found.content, found.source):
            if span is not None:
                assert DEBATE[span.start : span.end] == span.text


def test_title_and_affiliation_are_separated_from_the_name(
    claim_extractor: ClaimExtractor,
) -> None:
    record = _by_content(claim_extractor.extract(DEBATE), "settle accounts")
    found = record.attribution
    assert found.cue.text == "maintained"
    assert found.source is not None
    assert found.source.text == "Moscow's Deputy UN Ambassador Vladimir Safronkov"
    assert found.speaker is not None
    assert found.speaker.name == "Vladimir Safronkov"
    assert found.speaker.title == "Deputy UN Ambassador"
    assert found.speaker.affiliation == "Russia"


def test_quote_before_speaker_keeps_its_marks(claim_extractor: ClaimExtractor) -> None:
    record = _by_content(claim_extractor.extract(DEBATE), "shoot the messenger")
    found = record.attribution
    assert found.content.text == "'Russia is trying to shoot the messenger,'"
    assert found.speaker is not None and found.speaker.name == "Jonathan Allen"
    assert found.speaker.affiliation == "United Kingdom"


def test_pronoun_takes_the_last_person_named(claim_extractor: ClaimExtractor) -> None:
    record = _by_content(claim_extractor.extract(DEBATE), "used sarin")
    assert record.attribution.source is not None
    assert record.attribution.source.text == "She"
    assert record.speaker is not None
    assert record.speaker.name == "Nikki Haley"
    assert record.speaker.resolved_from == "She"


def test_capitals_and_states_speak_for_governments(claim_extractor: ClaimExtractor) -> None:
    records = claim_extractor.extract(DEBATE)
    damascus = _by_content(records, "fabrication")
    assert damascus.speaker is not None
    assert (damascus.speaker.name, damascus.speaker.type) == ("Syria", "state")
    russia = _by_content(records, "biased")
    assert russia.speaker is not None and russia.speaker.name == "Russia"
    assert russia.attribution.cue.text == "complained"


def test_quotation_running_over_sentences_is_one_content(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'The minister told reporters: "We have no chemical weapons. We destroyed them in 2014. '
        'The story is fabricated." Then he left.'
    )
    record = _by_content(claim_extractor.extract(text), "no chemical weapons")
    assert record.attribution.content.text.endswith('The story is fabricated."')
    assert record.attribution.content.text.startswith('"We have')


def test_indirect_speech_with_according_to(claim_extractor: ClaimExtractor) -> None:
    text = "The aircraft took off from Shayrat at 6:26, according to the Mechanism's report."
    records = claim_extractor.extract(text)
    record = _by_content(records, "took off from Shayrat")
    assert record.attribution.cue.text == "according to"
    assert record.attribution.source is not None
    assert "report" in record.attribution.source.text


def test_headline_colon_names_the_speaker(claim_extractor: ClaimExtractor) -> None:
    text = "Lavrov: Khan Shaykhun attack was staged.\n\nThe foreign minister spoke in Moscow."
    record = _by_content(claim_extractor.extract(text), "attack was staged")
    assert record.attribution.cue.text == ":"
    assert record.speaker is not None and record.speaker.name == "Lavrov"


def test_statement_dates_resolve_against_the_document(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Russian Defence Ministry spokesman Igor Konashenkov said on Wednesday that aircraft "
        "struck a warehouse on 4 April. Assad told AFP yesterday that it was a fabrication."
    )
    records = claim_extractor.extract(text, dt.date(2017, 4, 13))
    ministry = _by_content(records, "warehouse")
    assert (ministry.date, ministry.date_phrase) == ("2017-04-12", "on Wednesday")
    assad = _by_content(records, "fabrication")
    assert (assad.date, assad.date_phrase) == ("2017-04-12", "yesterday")


def test_datelines_are_not_speakers(claim_extractor: ClaimExtractor) -> None:
    text = "MOSCOW, April 7 (Reuters) — The Kremlin said the strike broke international law."
    assert blank_datelines(text).startswith(" " * 20)
    record = _by_content(claim_extractor.extract(text), "broke international law")
    assert record.speaker is not None and record.speaker.name == "Russia"


def test_quotations_ignore_apostrophes() -> None:
    text = "the UK's envoy said 'no' and \u201cnever\u201d"
    spans = [text[a:b] for a, b in quotations(text)]
    assert spans == ["'no'", "\u201cnever\u201d"]


def test_quotation_continued_after_the_speaker(claim_extractor: ClaimExtractor) -> None:
    text = (
        '"It is clear to us that this was another attack by the regime," Tillerson told '
        'reporters. "We will respond."\n\nThe meeting ended.'
    )
    record = _by_content(claim_extractor.extract(text), "another attack")
    content = record.attribution.content
    assert [span.text for span in content.parts] == [
        '"It is clear to us that this was another attack by the regime,"',
        '"We will respond."',
    ]
    parts = record.as_dict()["content"]["parts"]
    assert [part["start"] for part in parts] == [0, text.index('"We will')]
    assert record.as_dict()["content"]["end"] == text.index("\n\n")
    assert "continuation" not in record.as_dict()


def test_reported_speech_inside_a_quotation_is_not_a_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = '"They told us the depot held weapons," the witness said.'
    records = claim_extractor.extract(text)
    assert [record.attribution.cue.text for record in records] == ["said"]


def test_unrecognised_name_behind_titles(claim_extractor: ClaimExtractor) -> None:
    text = (
        '"Syrian aviation struck a depot," ministry spokesman Major-General Igor Konashenkov '
        "said in a statement. He said the depot made chemical weapons."
    )
    records = claim_extractor.extract(text)
    first = _by_content(records, "struck a depot")
    assert first.speaker is not None and first.speaker.name == "Igor Konashenkov"
    assert "Major-General" in first.speaker.title
    second = _by_content(records, "chemical weapons")
    assert second.speaker is not None and second.speaker.name == "Igor Konashenkov"


def test_object_content_keeps_its_complement(claim_extractor: ClaimExtractor) -> None:
    text = "The opposition Syrian National Coalition accused the government of the attack."
    record = _by_content(claim_extractor.extract(text), "the government")
    assert record.attribution.content.text == "the government of the attack"
    assert record.speaker is not None and record.speaker.name == "Syrian National Coalition"


def test_quotations_end_with_their_paragraph_and_mix_marks() -> None:
    text = (
        '\u201cWe start here.\n\n\u201cWe go on," he said. \u2018Trump\u2019s man,\u2019 she said.'
    )
    spans = [text[a:b] for a, b in quotations(text)]
    assert spans == ["\u201cWe start here.", '\u201cWe go on,"', "\u2018Trump\u2019s man,\u2019"]


def test_parenthetical_cue_takes_the_clause_around_it(claim_extractor: ClaimExtractor) -> None:
    text = "Now, he says, at least seven of the delegates have signed the letter."
    records = claim_extractor.extract(text)
    assert records and "seven of the delegates have signed the letter" in (
        records[0].attribution.content.text
    )


def test_pronouns_agree_with_honorifics(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Mrs. Clinton met Mr. Trump in New York. She said the meeting was useful. "
        "He said it was a disaster."
    )
    records = claim_extractor.extract(text)
    speakers = {record.attribution.content.text: record.speaker for record in records}
    she, he = speakers["the meeting was useful"], speakers["it was a disaster"]
    assert she is not None and (she.name, she.resolved_from) == ("Clinton", "She")
    assert he is not None and (he.name, he.resolved_from) == ("Trump", "He")


def test_a_role_refers_back_to_the_person_who_holds_it(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Russian Deputy Ambassador Vladimir Safronkov attacked the British delegation. "
        "Later the Russian envoy told reporters that the mechanism was a tool of the West. "
        "The British envoy said it was not."
    )
    records = claim_extractor.extract(text)
    russian = _by_content(records, "tool of the West").speaker
    british = _by_content(records, "it was not").speaker
    assert russian is not None and russian.name == "Vladimir Safronkov"
    assert british is not None and british.name == "British envoy"  # no British envoy named
