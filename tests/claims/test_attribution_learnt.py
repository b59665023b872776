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
