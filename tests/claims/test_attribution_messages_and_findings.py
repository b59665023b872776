"""A message passed on with its addressee before a colon ("Elif texted me: …"), a source quoted
by a paper with a participle ("quotes a military source saying …"), and a view stated by being
convinced or not ("The Chamber is not persuaded that …", "Moscow remains unconvinced that …"),
a broadcaster's trade written as a title ("Presenter Dmitry Kiselev"), and what a provision
lays down ("Article 9 provides that …")."""

from __future__ import annotations

from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_message_sent_to_the_writer_is_the_senders(claim_extractor: ClaimExtractor) -> None:
    text = "At noon Rami texted me: the road to the hospital is open again."
    said = _one(_attributions(claim_extractor, text), "texted")
    assert _source(said) == "Rami"
    assert said.content.text == "the road to the hospital is open again"


def test_a_call_to_the_writer_says_nothing_by_itself(claim_extractor: ClaimExtractor) -> None:
    text = "The clinic called me: the line went dead after a minute."
    assert not [a for a in _attributions(claim_extractor, text) if "called" in a.cue.text]


def test_a_source_a_paper_quotes_saying_something_speaks(claim_extractor: ClaimExtractor) -> None:
    text = "Al-Watan quotes a security official saying the airbase had been emptied."
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.cue.text) for a in found] == [("a security official", "saying")]
    assert found[0].content.text == "the airbase had been emptied"


def test_a_document_cited_saying_something_stays_the_citers(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Frank cites a White House memo saying as much."
    assert _source(_one(_attributions(claim_extractor, text), "cites")) == "Frank"


def test_a_chamber_not_persuaded_states_its_view(claim_extractor: ClaimExtractor) -> None:
    text = "The Chamber is not persuaded that the samples were tampered with in transit."
    found = _one(_attributions(claim_extractor, text), "is not persuaded")
    assert _source(found) == "The Chamber"
    assert found.content.text == "that the samples were tampered with in transit"


def test_a_state_that_remains_unconvinced_states_its_doubt(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Moscow remains unconvinced that the footage from the town is genuine."
    found = _one(_attributions(claim_extractor, text), "remains unconvinced")
    assert found.content.text == "that the footage from the town is genuine"


def test_one_who_might_yet_be_convinced_holds_no_view(claim_extractor: ClaimExtractor) -> None:
    text = "He could back the plan, but only if he can be convinced that it pays."
    assert not [a for a in _attributions(claim_extractor, text) if "convinced" in a.cue.text]


def test_a_broadcasters_trade_before_the_name_is_a_title(claim_extractor: ClaimExtractor) -> None:
    text = "Presenter Yulia Sergeyeva said the footage from Idlib had been staged."
    record = claim_extractor.extract(text)[0]
    assert record.speaker is not None
    assert record.speaker.name == "Yulia Sergeyeva"


def test_what_a_provision_lays_down_is_the_provisions(claim_extractor: ClaimExtractor) -> None:
    text = "Article 4 of the Convention stipulates that each State Party shall declare its stocks."
    found = _one(_attributions(claim_extractor, text), "stipulates")
    assert _source(found) == "Article 4 of the Convention"
    assert found.content.text == "that each State Party shall declare its stocks"


def test_one_who_provides_something_lays_nothing_down(claim_extractor: ClaimExtractor) -> None:
    text = "The charity provides that families in the camp receive bread every day."
    assert not [a for a in _attributions(claim_extractor, text) if a.cue.text == "provides"]
