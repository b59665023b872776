"""The learnt half of attribution: shipped weights, and what they add to the rules and drop."""

from __future__ import annotations

import pytest

from enquiry.enrich.text.attribution import AttributionExtractor, load_nlp, quotations
from enquiry.enrich.text.learnt import AttributionModel, load_model


@pytest.fixture(scope="module")
def extractors() -> tuple[AttributionExtractor, AttributionExtractor]:
    nlp = load_nlp()
    return AttributionExtractor(nlp), AttributionExtractor(nlp, learnt=False)


def test_the_package_ships_a_model() -> None:
    model = load_model()
    assert model is not None
    assert 0.0 < model.threshold_rules < 1.0 and 0.0 < model.threshold_extra < 1.0
    assert "say/VERB" not in model.extra_cues  # the rules' own cue words stay the rules'
    assert model.given_names["sarah"] == "female" and model.given_names["peter"] == "male"


def test_model_adds_cue_words_the_rules_leave_out(
    extractors: tuple[AttributionExtractor, AttributionExtractor],
) -> None:
    learnt, rules = extractors
    text = "The inspectors found that the samples from the depot were clean."
    assert rules.extract(text) == []
    [found] = learnt.extract(text)
    assert (found.cue.text, found.content.text) == (
        "found",
        "that the samples from the depot were clean",
    )
    assert found.source is not None and found.source.text == "The inspectors"


def test_proposals_below_the_threshold_are_dropped(
    extractors: tuple[AttributionExtractor, AttributionExtractor],
) -> None:
    learnt, _ = extractors
    model = learnt.model
    assert model is not None
    text = "The minister believes that the talks will fail."
    doc = learnt.nlp(text)
    [(_, names, lexicon)] = learnt.proposals(doc, quotations(text))
    assert lexicon == "extra"
    strict = AttributionModel(model.weights, 1.0, 1.0, model.extra_cues, model.given_names)
    assert model.keeps(names, lexicon) and not strict.keeps(names, lexicon)
    learnt.model = strict
    try:
        assert learnt.extract(text) == []
    finally:
        learnt.model = model


def test_verbs_outside_both_lexicons_are_proposed_only_when_asked(
    extractors: tuple[AttributionExtractor, AttributionExtractor],
) -> None:
    learnt, _ = extractors
    model = learnt.model
    assert model is not None and not model.generic  # the shipped model leaves them out
    text = "The inspectors scribbled that the samples were clean."
    doc = learnt.nlp(text)
    assert all(lexicon != "generic" for _, _, lexicon in learnt.proposals(doc, quotations(text)))
    wide = AttributionModel(
        model.weights, 1.0, 1.0, model.extra_cues, model.given_names, threshold_generic=0.0
    )
    learnt.model = wide
    try:
        proposed = [
            (found.cue.text, found.content.text, lexicon)
            for found, _, lexicon in learnt.proposals(doc, quotations(text))
        ]
        assert ("scribbled", "that the samples were clean", "generic") in proposed
        [kept] = learnt.extract(text)
        assert kept.cue.text == "scribbled" and kept.rare_cue
    finally:
        learnt.model = model


def test_a_report_inside_what_someone_said_is_marked_nested(
    extractors: tuple[AttributionExtractor, AttributionExtractor],
) -> None:
    learnt, rules = extractors
    text = "Justin Bamberg, a family lawyer, said the videos show Scott calmly leaving his car."
    doc = learnt.nlp(text)
    marked = {
        attribution.cue.text: "nested" in names
        for attribution, names, _ in learnt.proposals(doc, quotations(text))
    }
    assert marked == {"said": False, "show": True}
    # the rules alone keep the report inside; the model, weighing the nesting, does not
    assert {item.cue.text for item in rules.extract(text)} == {"said", "show"}
    [found] = learnt.extract(text)
    assert found.cue.text == "said"
    assert found.content.text == "the videos show Scott calmly leaving his car"


def test_only_a_usual_saying_nests_what_it_holds(
    extractors: tuple[AttributionExtractor, AttributionExtractor],
) -> None:
    learnt, _ = extractors

    def nested(text: str) -> dict[str, bool]:
        doc = learnt.nlp(text)
        return {
            attribution.cue.text: "nested" in names
            for attribution, names, _ in learnt.proposals(doc, quotations(text))
        }

    # "hinted" is a cue word of the rules' lexicon, usually a cue: what it holds is nested
    assert nested("The minister hinted that officials said the talks would fail.") == {
        "hinted": False,
        "said": True,
    }
    # "found" comes from the model's rarer words: a saying inside it stands on its own
    text = "The inspectors found that officials said the talks would fail."
    assert nested(text) == {"found": False, "said": False}
    assert [item.cue.text for item in learnt.extract(text)] == ["found", "said"]
