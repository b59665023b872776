"""The kinds of attribution error seen on held-out news, each on sentences written for the test.

One test per family: who speaks in a gerund adjunct or a prepositional phrase, what the content
is when prepositions, time adverbs, fronted phrases or trailing attributions surround it, whom a
pronoun means, what a dateline and a transcript line are, and that one content is one claim.
"""

from __future__ import annotations

from enquiry.enrich.text.claims import ClaimExtractor, ClaimRecord


def _claims(extractor: ClaimExtractor, text: str) -> list[ClaimRecord]:
    return extractor.extract(text)


def _one(extractor: ClaimExtractor, text: str, fragment: str) -> ClaimRecord:
    found = [r for r in _claims(extractor, text) if fragment in r.attribution.content.text]
    assert len(found) == 1, [r.as_dict() for r in _claims(extractor, text)]
    return found[0]


def _source(record: ClaimRecord) -> str | None:
    source = record.attribution.source
    return source.text if source else None


def test_gerund_adjunct_speaks_for_the_main_subject(claim_extractor: ClaimExtractor) -> None:
    text = "The minister attacked the plan by insisting that it would fail."
    record = _one(claim_extractor, text, "it would fail")
    assert _source(record) == "The minister"
    assert record.speaker is not None and record.speaker.name == "minister"


def test_speaker_in_a_phrase_after_an_abstract_subject(claim_extractor: ClaimExtractor) -> None:
    text = "The campaign went on through the envoy, accusing the panel of bias."
    record = _one(claim_extractor, text, "the panel")
    assert _source(record) == "the envoy"
    assert record.speaker is not None and record.speaker.name != "campaign"


def test_content_in_a_prepositional_complement(claim_extractor: ClaimExtractor) -> None:
    text = "The ministry complained in parliament about the findings of the inquiry."
    record = _one(claim_extractor, text, "findings")
    assert "the findings of the inquiry" in record.attribution.content.text
    assert "parliament" not in record.attribution.content.text


def test_time_adverb_between_cue_and_quotation(claim_extractor: ClaimExtractor) -> None:
    for text in (
        'Ms. Varga opened the session. She repeated yesterday, "We will not sign this report."',
        'Ms. Varga opened the session. She insisted on Tuesday: "We will not sign this report."',
    ):
        record = _one(claim_extractor, text, "We will not sign")
        assert record.attribution.content.text == '"We will not sign this report."'
        assert record.speaker is not None and record.speaker.name == "Varga"


def test_pronoun_agrees_in_gender(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Sarah Lund met Peter Holm in the capital. Holm told reporters that the talks had "
        "stalled. She said the trucks had been searched at the border."
    )
    record = _one(claim_extractor, text, "trucks had been searched")
    assert record.speaker is not None and record.speaker.name == "Sarah Lund"
    assert record.speaker.resolved_from == "She"
    by_honorific = (
        "Mrs. Okafor met Daniel Brandt. Brandt told reporters the talks had stalled. He said "
        "the convoy had turned back. She said it had not."
    )
    records = _claims(claim_extractor, by_honorific)
    speakers = {r.attribution.content.text: r.speaker.name for r in records if r.speaker}
    assert speakers["the convoy had turned back"] == "Daniel Brandt"
    assert speakers["it had not"] == "Okafor"


def test_pronoun_agrees_with_a_common_english_given_name(claim_extractor: ClaimExtractor) -> None:
    # Neither name is in the training split's names: the lists of given names tell "Helen"
    # from "Simon", and the subject of the first sentence is not taken for "She"
    text = (
        "Simon Hale, the envoy, met the chemist Helen Ward on Tuesday. She said the samples "
        "held sarin."
    )
    record = _one(claim_extractor, text, "the samples held sarin")
    assert record.speaker is not None and record.speaker.name == "Helen Ward"


def test_dateline_is_not_a_speaker(claim_extractor: ClaimExtractor) -> None:
    for text in (
        "WASHINGTON (AFP) - The ministry said the convoy had been attacked.",
        "Washington (AFP) - The ministry said the convoy had been attacked.",
        "GENEVA, March 3 (Reuters) - The ministry said the convoy had been attacked.",
    ):
        record = _one(claim_extractor, text, "convoy had been attacked")
        assert _source(record) == "The ministry", text


def test_trailing_attribution_is_not_swallowed(claim_extractor: ClaimExtractor) -> None:
    text = '"The convoy was attacked near the border," the envoy said, officials said on Monday.'
    records = _claims(claim_extractor, text)
    envoy = next(r for r in records if _source(r) == "the envoy")
    assert envoy.attribution.content.text == '"The convoy was attacked near the border,"'
    assert all("officials said" not in r.attribution.content.text for r in records)
    plain = "The shelling went on for two days, two officials said."
    record = _one(claim_extractor, plain, "shelling")
    assert record.attribution.content.text == "The shelling went on for two days"
    assert _source(record) == "two officials"


def test_fronted_phrase_is_not_the_content(claim_extractor: ClaimExtractor) -> None:
    for text in (
        "In an interview on Sunday, the envoy said the ceasefire was holding.",
        "In a statement on Sunday the ministry said the ceasefire was holding.",
        "Speaking to reporters in Geneva, the envoy said the ceasefire was holding.",
    ):
        record = _one(claim_extractor, text, "ceasefire")
        assert record.attribution.content.text == "the ceasefire was holding", text


def test_called_on_includes_what_to_do(claim_extractor: ClaimExtractor) -> None:
    text = "The envoy called on all sides to respect the truce and to release the detainees."
    record = _one(claim_extractor, text, "all sides")
    assert record.attribution.content.text.endswith("to release the detainees")
    assert "to respect the truce" in record.attribution.content.text
    assert _source(record) == "The envoy"


def test_the_one_asked_is_no_clause(claim_extractor: ClaimExtractor) -> None:
    # The infinitive someone was urged or called on to do is the one asked's, if anyone's
    # (annotators mark "the council ... to reject"); never a speaker made of the asking clause.
    for text in (
        "The foreign minister called on the council to reject the findings.",
        "The minister urged the council to reject the findings.",
    ):
        records = _claims(claim_extractor, text)
        sources = [_source(r) for r in records]
        assert all(s is None or "council" not in s or s == "the council" for s in sources), text
        asked = [r for r in records if r.attribution.cue.text.endswith("reject")]
        assert all(_source(r) == "the council" for r in asked), text
        asker = next(r for r in records if r.attribution.content.text.startswith("the council"))
        assert _source(asker) in ("The foreign minister", "The minister")


def test_same_content_is_one_claim(claim_extractor: ClaimExtractor) -> None:
    text = 'The envoy told reporters, "The convoy was attacked," adding, "We will respond."'
    records = _claims(claim_extractor, text)
    contents = [r.attribution.content.text for r in records]
    assert len(contents) == len(set(contents))
    attacked = [r for r in records if "attacked" in r.attribution.content.text]
    assert len(attacked) == 1 and attacked[0].attribution.cue.text == "told"
    quoted = '"The convoy was attacked," the envoy said in a statement, according to the agency.'
    cues = [r.attribution.cue.text for r in _claims(claim_extractor, quoted)]
    assert "said" in cues  # not taken for words inside the agency's quotation


def test_transcript_turns(claim_extractor: ClaimExtractor) -> None:
    text = (
        "MODERATOR: Thank you all for coming.\n"
        "VARGA (voice-over): The trucks were empty.\n"
        "Anna Weiss: I saw the convoy at dawn.\n"
    )
    records = _claims(claim_extractor, text)
    turns = {
        _source(r): r.attribution.content.text for r in records if r.attribution.cue.text == ":"
    }
    assert turns == {
        "MODERATOR": "Thank you all for coming",
        "VARGA": "The trucks were empty",
        "Anna Weiss": "I saw the convoy at dawn",
    }
