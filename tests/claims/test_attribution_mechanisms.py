"""Texts that accountability mechanisms and the bodies around them write: a UN briefing's
highlights, a council's press elements, a commission's oral update, a fact-finding annex of
witness interviews, a criminal complaint's statement of facts, a parliament committee's written
evidence, a regional body's statement, a parliament's statement in translation, a state's note
verbale and a prosecutor's release on arrests. Their paragraphs are numbered, their offices are
written with a capital, their "we" is the body its title names, their witnesses are numbered,
and their charges are laid in the passive ("are alleged to have")."""

from __future__ import annotations

from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor, ClaimRecord


def _record(records: list[ClaimRecord], cue: str) -> ClaimRecord:
    found = [r for r in records if r.attribution.cue.text.lower() == cue.lower()]
    assert len(found) == 1, [(r.attribution.cue.text, r.attribution.content.text) for r in records]
    return found[0]


def _actor(record: ClaimRecord) -> str | None:
    return record.speaker.name if record.speaker is not None else None


def test_written_evidence_names_its_i_and_an_oral_update_its_we(
    claim_extractor: ClaimExtractor,
) -> None:
    evidence = (
        "Written evidence submitted by Professor Ruth Okafor, Reader in Toxicology (ABC0042)\n\n"
        "1. In my view, the signs in the victims point to organophosphate poisoning.\n\n"
        "2. I do not accept that the samples were contaminated in transit."
    )
    records = claim_extractor.extract(evidence)
    assert {_actor(r) for r in records} == {"Ruth Okafor"}
    update = (
        "Oral update of the Independent Commission of Inquiry on Ruritania to the Council\n\n"
        "Since our last report, the Commission has documented new attacks on markets.\n\n"
        "Our findings do not support the account given by the authorities.\n\n"
        "We urge the authorities to grant us access."
    )
    records = claim_extractor.extract(update)
    assert _actor(_record(records, "urge")) == "Independent Commission of Inquiry"
    assert _actor(_record(records, "do not support")) == "Independent Commission of Inquiry"


def test_a_paragraph_number_is_no_part_of_the_speaker(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Statement of facts\n\n"
        "3. Applicant B, whose house was destroyed in the shelling, states that soldiers "
        "searched the street the night before."
    )
    found = _one(_attributions(claim_extractor, text), "states")
    assert _source(found) == "Applicant B, whose house was destroyed in the shelling,"


def test_they_after_the_complainants_is_the_complainants(claim_extractor: ClaimExtractor) -> None:
    text = (
        "7. The plaintiffs argue that the permit was issued unlawfully.\n\n"
        "8. They further argue that the ministry ignored its own experts."
    )
    records = claim_extractor.extract(text)
    they = [r for r in records if r.attribution.source and r.attribution.source.text == "They"]
    assert len(they) == 1 and _actor(they[0]) == "plaintiffs"


def test_an_office_written_with_a_capital_is_whom_he_means(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Spokesperson said the envoy would travel to Geneva on Monday.\n\n"
        "Asked whether the Secretary-General had called the President, the Spokesperson said "
        "he had no call to announce.\n\n"
        "In answer to another question, he noted that the convoy had reached Aleppo."
    )
    records = claim_extractor.extract(text)
    assert _actor(_record(records, "noted")) == "Spokesperson"


def test_while_others_is_a_second_speaker(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Several delegates said the vote should go ahead on Friday, while others warned "
        "against rushing a decision on the text."
    )
    attributions = _attributions(claim_extractor, text)
    said = _one(attributions, "said")
    assert said.content.text == "the vote should go ahead on Friday"
    warned = _one(attributions, "warned against")
    assert _source(warned) == "others"
    assert "rushing a decision" in warned.content.text


def test_a_comment_clause_between_the_verb_and_its_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The ministry insists, as its officials have told journalists, that the convoy "
        "carried only food."
    )
    found = _one(_attributions(claim_extractor, text), "insists")
    assert _source(found) == "The ministry"
    assert found.content.text == "that the convoy carried only food"


def test_who_was_asked_in_the_passive_is_not_what_was_asked(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "She was asked by the tribunal to describe the layout of the prison."
    found = _one(_attributions(claim_extractor, text), "was asked")
    assert _source(found) == "the tribunal"
    assert found.content.text.startswith("to describe the layout")


def test_a_fact_that_explains_or_contradicts_says_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The fire started in the kitchen. This cannot explain the damage to the roof.\n\n"
        "The minister explained that the inspectors had left early."
    )
    attributions = _attributions(claim_extractor, text)
    assert [a.cue.text for a in attributions] == ["explained"]


def test_a_list_after_the_first_object_stays_what_was_reported(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The OPCW Fact-Finding Mission reported sarin, its degradation product IMPA and "
        "hexamine in soil taken from the crater."
    )
    found = _one(_attributions(claim_extractor, text), "reported")
    assert found.content.text.startswith("sarin, its degradation product")


def test_looking_forward_is_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = "Ministers looked forward to the report of the panel of experts."
    assert _attributions(claim_extractor, text) == []


def test_holding_responsible_with_the_adjective_on_the_object(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The assembly holds those who committed the massacre fully responsible."
    found = _one(_attributions(claim_extractor, text), "holds")
    assert _source(found) == "The assembly"


def test_alleged_to_have_is_a_charge(claim_extractor: ClaimExtractor) -> None:
    text = "The two men are alleged to have smuggled the precursors across the border."
    found = _one(_attributions(claim_extractor, text), "are alleged")
    assert _source(found) is None
    assert found.content.text.startswith("to have smuggled the precursors")


def test_what_numbered_witnesses_described_as_something(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Witnesses 3 and 5 pointed the team to the building, which they described as a "
        "former school."
    )
    record = _record(claim_extractor.extract(text), "described")
    assert "as a former school" in record.attribution.content.text
    assert _actor(record) == "Witnesses 3 and 5"


def test_a_saying_inside_a_relative_clause(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Donors praised the new clinic in the camp, which, the director told them, had "
        "treated 200 patients in its first week."
    )
    found = _one(_attributions(claim_extractor, text), "told")
    assert _source(found) == "the director"
    assert found.content.text.startswith("had treated 200 patients")


def test_a_body_named_again_by_its_head_noun(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The Assembly of the African Union condemns the killings in the strongest terms.\n\n"
        "The Assembly calls on all parties to respect the ceasefire.\n\n"
        "It expresses its condolences to the families of the victims."
    )
    records = claim_extractor.extract(text)
    assert {_actor(r) for r in records} == {"Assembly of the African Union"}


def test_a_parliament_is_a_body(claim_extractor: ClaimExtractor) -> None:
    text = "The State Duma expresses its concern over the sanctions."
    record = _record(claim_extractor.extract(text), "expresses")
    assert record.speaker is not None and record.speaker.type == "organisation"


def test_a_view_set_inside_the_clause_it_speaks_for(claim_extractor: ClaimExtractor) -> None:
    text = "The delays do not, in our assessment, change the outcome of the inquiry."
    found = _one(_attributions(claim_extractor, text), "assessment")
    assert found.content.text == "The delays do not change the outcome of the inquiry"
