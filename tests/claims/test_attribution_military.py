"""Texts of the military and of arms control: a defence ministry's daily briefing read by a
general, a defence department's release on a strike with its spokesman's statement, a military
spokesman's question-and-answer session with reporters, an arms-control inspection report and
a television panel where a retired general and a second guest answer an anchor."""

from __future__ import annotations

from attribution_helpers import attributions as _attributions
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def _speakers(extractor: ClaimExtractor, text: str) -> list[str | None]:
    """The name of the actor of each claim of ``text``, in order (None: none)."""
    return [r.speaker.name if r.speaker else None for r in extractor.extract(text)]


def test_a_guests_first_turn_label_names_them_before_their_role(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "TOM BRENNAN, CNN ANCHOR: The strike hit the airfield before dawn.\n\n"
        "DR. ELLEN MARSH, FORMER UN INSPECTOR: The samples will tell us more.\n\n"
        "BRENNAN: Thank you, Ellen.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [_source(a) for a in found] == ["TOM BRENNAN", "DR. ELLEN MARSH", "BRENNAN"]
    assert found[0].content.text.startswith("The strike hit")
    assert _speakers(claim_extractor, text) == ["TOM BRENNAN", "ELLEN MARSH", "TOM BRENNAN"]


def test_two_ranks_before_a_turns_name_are_both_titles(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "LT. GEN. PAUL ANDERS: They went after the shelters and the fuel depots.\n"
    assert _speakers(claim_extractor, text) == ["PAUL ANDERS"]


def test_a_releases_number_and_a_documents_language_are_fields(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Release No: NR-311-18\nMay 2, 2018\n\n"
        "S/2018/77\nOriginal: FRENCH\n\n"
        "The spokesman said the convoy had reached the border.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_hosts_thanks_to_the_guests_named_is_no_saying(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "ANCHOR: That is all we have time for. Admiral Ross, Professor Khalil, thank you "
        "both for joining us.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == [":"]


def test_seeing_the_reports_a_reporter_asks_about_says_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "SPOKESMAN: We've seen the reports about the convoy. I've seen the claims on social "
        "media as well. I can tell you that the convoy was not struck by us.\n"
    )
    found = _attributions(claim_extractor, text)
    assert "'ve seen" not in [a.cue.text for a in found]
    assert any(a.cue.text == "can tell" for a in found)


def test_a_topic_broken_off_by_a_dash_is_not_who_claims(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Q: And the Red Crescent -- the Syrians claim they faked the footage.\n\n"
        "Q: And the hospital staff -- the Russians claim they were actors.\n\n"
        "The envoy -- a career diplomat -- said the talks had failed.\n"
    )
    found = _attributions(claim_extractor, text)
    assert [_source(a) for a in found][:2] == ["the Syrians", "the Russians"]
    assert _speakers(claim_extractor, text)[:2] == ["Syrians", "Russians"]
    assert (_source(found[2]) or "").startswith("The envoy")


def test_they_after_i_spoke_to_some_are_those_spoken_to(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The Syrian government denied it. I spoke to doctors in Idlib, and they told me that "
        "the patients had pinpoint pupils. Russia blamed the rebels. We met the inspectors, "
        "and they said the samples were sealed."
    )
    assert _speakers(claim_extractor, text) == [
        "Syrian government",
        "doctors in Idlib",
        "Russia",
        "inspectors",
    ]


def test_a_rank_written_out_before_a_turns_name_is_no_part_of_it(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "CAPTAIN ANNE PRICE: Good afternoon, everyone. We begin with Mosul.\n\n"
        "CAPT. PRICE: Next question, please.\n"
    )
    assert _speakers(claim_extractor, text) == ["ANNE PRICE", "ANNE PRICE"]


def test_a_statement_attributable_to_a_spokesman_is_his_over_its_paragraphs(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "WASHINGTON -- Coalition aircraft struck a bridge near Raqqa on Tuesday.\n\n"
        "The following is attributable to Army Col. Dana Whitlock, coalition spokesperson:\n\n"
        '"The bridge was used to move fighters and weapons across the river.\n\n'
        '"We took every precaution to avoid harm to civilians."\n\n'
        "Local activists said two fishermen were killed.\n"
    )
    found = _attributions(claim_extractor, text)
    statement = found[0]
    assert _source(statement) == "Army Col. Dana Whitlock, coalition spokesperson"
    assert statement.content.text.startswith('"The bridge was used')
    assert statement.content.text.endswith('avoid harm to civilians."')
    assert _speakers(claim_extractor, text)[0] == "Dana Whitlock"
    assert [a.cue.text for a in found[1:]] == ["said"]


def test_what_doctors_found_in_the_victims_is_their_finding(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "SPOKESMAN: Doctors in Idlib found nerve agent in the victims. Physicians found "
        "organophosphate poisoning in the casualties. Rescuers found bodies in the rubble.\n"
    )
    found = _attributions(claim_extractor, text)
    finding = [a for a in found if a.cue.text == "found"]
    assert [(_source(a), a.content.text) for a in finding] == [
        ("Doctors in Idlib", "nerve agent in the victims"),
        ("Physicians", "organophosphate poisoning in the casualties"),
    ]


def test_a_briefer_pointing_the_reporter_elsewhere_says_nothing(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Well, Lita, I'd point you to what was released today. The senator pointed to the report."
    )
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.cue.text) for a in found] == [("The senator", "pointed to")]


def test_what_a_speaker_says_set_in_a_pseudo_cleft_is_said(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "What the commander said was that the convoy had turned back. What I can tell you "
        "is that the bridge is closed."
    )
    found = _attributions(claim_extractor, text)
    assert [(_source(a), a.cue.text, a.content.text) for a in found] == [
        ("the commander", "said", "that the convoy had turned back"),
        ("I", "can tell", "that the bridge is closed"),
    ]
