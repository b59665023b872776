"""The learnt choice of content and source spans (``enquiry.enrich.text.spans``), on sentences
written for the test: a result list that runs on past "followed by", a coordination the parse
cut off a prepositional object, speakers PolNeAR does not mark ("Asked about ...", "is expected
to"), and the mechanism itself with hand-set weights (a content carried over the next sentence;
the rules' choice kept unless another candidate beats it by the margin)."""

from __future__ import annotations

from enquiry.enrich.text.attribution import Attribution, AttributionExtractor, quotations
from enquiry.enrich.text.claims import ClaimExtractor
from enquiry.enrich.text.spans import SpanModel, content_candidates, load_span_model


def _by_cue(extractor: ClaimExtractor, text: str, cue: str) -> Attribution:
    found = [r.attribution for r in extractor.extract(text) if r.attribution.cue.text == cue]
    assert len(found) == 1, [r.as_dict() for r in extractor.extract(text)]
    return found[0]


def test_a_poll_result_runs_on_past_followed_by(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The latest poll showed Smith leading the field with 31 percent of voters, "
        "followed by Jones at 17 percent and Brown at 9 percent."
    )
    found = _by_cue(claim_extractor, text, "showed")
    assert found.content.text == (
        "Smith leading the field with 31 percent of voters, "
        "followed by Jones at 17 percent and Brown at 9 percent"
    )
    assert found.source is not None and found.source.text == "The latest poll"


def test_a_coordination_after_the_object_stays_in_the_content(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The governor will talk about the budget and how the state plans to pay for new schools."
    found = _by_cue(claim_extractor, text, "will talk about")
    assert found.content.text == "the budget and how the state plans to pay for new schools"


def test_the_rules_alone_leave_the_coordination_cut() -> None:
    """The same sentence without the learnt models: what the span model mends."""
    text = "The governor will talk about the budget and how the state plans to pay for new schools."
    rules = AttributionExtractor(learnt=False)
    contents = [item.content.text for item in rules.extract(text)]
    assert "the budget and how the state plans to pay for new schools" not in contents


def test_asked_and_expected_name_no_speaker(claim_extractor: ClaimExtractor) -> None:
    text = "Asked about the delay, the minister said the trains would run again on Monday."
    asked = _by_cue(claim_extractor, text, "Asked about")
    assert asked.source is None and asked.speaker is None
    said = _by_cue(claim_extractor, text, "said")
    assert said.source is not None and said.source.text == "the minister"
    expected = _by_cue(
        claim_extractor,
        "The senator is expected to announce her decision on Friday.",
        "is expected",
    )
    assert expected.source is None


def test_a_content_carried_over_the_next_sentence_by_weights() -> None:
    """With a weight that favours running on over one more sentence, the content does; with the
    same weight below the margin, the rules' content stays."""
    text = (
        "Kerry said that 100,000 refugees would be accepted. "
        "That would double the number taken last year.\n\nThe vote is on Monday."
    )
    extractor = AttributionExtractor()
    extractor.spans = SpanModel({"k=extend+s1": 5.0}, {}, 0.0, 1e9)
    found = [item for item in extractor.extract(text) if item.cue.text == "said"]
    assert [item.content.text for item in found] == [
        "that 100,000 refugees would be accepted. That would double the number taken last year."
    ]
    extractor.spans = SpanModel({"k=extend+s1": 5.0}, {}, 6.0, 1e9)
    found = [item for item in extractor.extract(text) if item.cue.text == "said"]
    assert [item.content.text for item in found] == ["that 100,000 refugees would be accepted"]


def test_the_rules_own_content_is_the_first_candidate() -> None:
    extractor = AttributionExtractor(learnt=False)
    doc = extractor.nlp(
        "The mayor praised the efforts of a local charity, which rebuilt the harbour."
    )
    quotes = quotations(doc.text)
    (attribution,) = extractor.from_doc(doc)
    candidates = content_candidates(
        doc, doc[attribution.cue_i], attribution, quotes, extractor.cues
    )
    first = candidates[0]
    assert first.kinds[0] == "rules"
    assert doc.text[first.pieces[0][0] : first.pieces[0][1]] == attribution.content.text
    spans = {doc.text[a:b] for c in candidates for a, b in c.pieces}
    assert "the efforts of a local charity, which rebuilt the harbour" in spans
    assert len(spans) == len(candidates)  # one candidate per span


def test_choose_keeps_the_rules_unless_beaten_by_the_margin() -> None:
    model = SpanModel({"a": 1.0, "b": 1.5}, {}, 0.0, 0.0)
    assert model.choose(model.content_weights, [["a"], ["b"]], 0.0) == 1
    assert model.choose(model.content_weights, [["a"], ["b"]], 0.6) == 0
    assert model.choose(model.content_weights, [["b"], ["a"]], 0.0) == 0


def test_the_shipped_span_model_and_the_rules_baseline() -> None:
    model = load_span_model()
    assert model is not None and model.content_weights and model.source_weights
    assert AttributionExtractor(learnt=False).spans is None
