"""Critiques, replies and corrections: an expert's blog post answering critics, an academic
critique citing works by author and year ("Postol (2017) contends …", "As Haddad and Lee (2018)
note, …", "The author claims …"), a corrections column quoting a witness by role and name,
and a reference text's casualty figures set against each other. What their speakers say is
often hung on a noun ("the conclusion of the Mechanism that …", "in my view"), on a verb the
tagger takes for a noun, or inside an objection no one made."""

from __future__ import annotations

from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def _actor(extractor: ClaimExtractor, text: str, cue: str) -> str | None:
    found = [r for r in extractor.extract(text) if r.attribution.cue.text == cue]
    assert len(found) == 1, [(r.attribution.cue.text, r.attribution.content.text) for r in found]
    return found[0].speaker.name if found[0].speaker is not None else None


def test_a_laboratory_finding_in_samples_is_its_finding(claim_extractor: ClaimExtractor) -> None:
    text = "Two laboratories found sarin in the blood samples. Rescuers found bodies in the rubble."
    found = _attributions(claim_extractor, text)
    lab = _one(found, "found")
    assert _source(lab) == "Two laboratories"
    assert lab.content.text.startswith("sarin in the blood")


def test_a_view_set_inside_the_clause_holds_its_subject_too(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Am I sure? Not quite. But the shape of the crater, in our view, points to a bomb."
    found = _one(_attributions(claim_extractor, text), "view")
    assert found.content.text == "the shape of the crater points to a bomb"


def test_critics_of_a_body_are_not_the_body(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Critics of the Panel, most prominently Nebenzia (2018), have questioned the provenance "
        "of the samples. The Panel itself acknowledged that some records were incomplete."
    )
    assert _actor(claim_extractor, text, "acknowledged") == "Panel"


def test_a_named_body_owns_the_conclusion_of_it_that(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The panel endorsed the conclusion of the Fact-Finding Mission that the cylinder was "
        "dropped from a helicopter."
    )
    found = _one(_attributions(claim_extractor, text), "conclusion")
    assert _source(found) == "the Fact-Finding Mission"
    assert found.content.text.startswith("that the cylinder was dropped")


def test_a_conclusion_of_no_one_named_is_no_claim(claim_extractor: ClaimExtractor) -> None:
    text = "The panel endorsed the conclusion of the inquiry that the cylinder was dropped."
    assert not [a for a in _attributions(claim_extractor, text) if a.cue.text == "conclusion"]


def test_an_objection_no_one_made_claims_nothing(claim_extractor: ClaimExtractor) -> None:
    text = "It might be objected that the footage shows a staged scene. That is not so."
    assert _attributions(claim_extractor, text) == []


def test_as_cited_authors_note_with_the_verb_read_as_a_noun(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "As Morgan and Reyes (2019) note, the impurities match the declared stockpile."
    found = _one(_attributions(claim_extractor, text), "note")
    assert _source(found) == "Morgan and Reyes (2019)"
    assert found.content.text.startswith("the impurities match")


def test_the_author_after_a_cited_work_is_its_author(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Lloyd (2018) argues that the rocket was fired from the south. The author claims, "
        "moreover, that its range was short."
    )
    assert _actor(claim_extractor, text, "claims") == "Lloyd"


def test_a_name_after_a_role_quoted_as_saying_is_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The broadcast quoted a medic, Dr Samira Khalil, as saying that the patients had "
        "pinpoint pupils."
    )
    found = _one(_attributions(claim_extractor, text), "saying")
    assert _source(found) == "a medic, Dr Samira Khalil,"
    assert _actor(claim_extractor, text, "saying") == "Samira Khalil"


def test_a_toll_set_against_another_does_not_report_it(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Twelve people died, according to the civil defence,[2] while the governor put the "
        "toll at 20."
    )
    put = _one(_attributions(claim_extractor, text), "put")
    assert put.content.text == "the toll at 20"
