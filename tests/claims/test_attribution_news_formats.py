"""News in formats of their own: an explainer's bullet points ("What we know"), a reporter's
dated notebook, a photo essay's captions with their credit lines, a story with corrections
appended, a wire service's questions and answers, and a headline in title case."""

from __future__ import annotations

from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_bullet_opening_the_line_is_no_part_of_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "KEY POINTS\n\n"
        "• The governor said the bridge would reopen in May.\n"
        "• Engineers at the site reported cracks in two of the piers.\n"
        "* Local traders said business had halved.\n"
    )
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "reported")) == "Engineers at the site"
    assert [_source(item) for item in found] == [
        "The governor",
        "Engineers at the site",
        "Local traders",
    ]


def test_a_correction_of_the_papers_own_earlier_text_is_no_claim(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Correction: A previous version of this story attributed a quotation to the mayor. "
        "The remark was made by her deputy, who said the budget was balanced.\n"
        "An earlier version of this report misstated the date of the vote."
    )
    found = _attributions(claim_extractor, text)
    assert [item.cue.text for item in found] == ["said"]
    assert _one(found, "said").content.text.startswith("the budget was balanced")


def test_a_hyphen_opening_a_roundups_line_is_no_part_of_the_writer_named(
    claim_extractor: ClaimExtractor,
) -> None:
    # a news roundup's list of reads ("-Nate Cohn explains why …"), as PolNeAR marks the name
    text = (
        "QUICK READS\n\n"
        "-Maria Lopez explains why the turnout models missed the rural vote.\n"
        "-John Poe finds that early voting favoured the incumbent.\n"
    )
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "finds")) == "John Poe"


def test_a_title_case_headline_names_its_speaker_before_the_verb(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Glenn Beck Says Trump, ‘Alt Right’ Pose A Threat To Democracy.\n\n"
        "The talk show host spoke on Friday."
    )
    says = _one(_attributions(claim_extractor, text), "Says")
    assert _source(says) == "Glenn Beck"
    assert says.content.text == "Trump, ‘Alt Right’ Pose A Threat To Democracy"


def test_a_title_case_headline_stops_at_its_own_clause_and_its_second_verb(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Clinton Says Russians Hacked DNC, Calls Trump’s Putin Remarks ‘Troubling.’\n\n"
        "She spoke on Sunday."
    )
    found = _attributions(claim_extractor, text)
    says, calls = _one(found, "Says"), _one(found, "Calls")
    assert says.content.text == "Russians Hacked DNC"
    assert _source(calls) == "Clinton"
    assert calls.content.text == "Trump’s Putin Remarks ‘Troubling.’"
    text = "Hillary Clinton Says No To Fox News As Sanders Turns Up The Heat.\n\nShe declined."
    says = _one(_attributions(claim_extractor, text), "Says")
    assert says.content.text == "No To Fox News"


def test_a_title_case_headline_is_no_ones_name(claim_extractor: ClaimExtractor) -> None:
    text = "Obama Claims Hillary Most Qualified Presidential Candidate Ever, But ….\n\nHe spoke."
    claims = _one(_attributions(claim_extractor, text), "Claims")
    assert claims.content.text == "Hillary Most Qualified Presidential Candidate Ever"
    assert claims.speaker is not None and claims.speaker.name == "Obama"


def test_a_headline_in_sentence_case_is_left_to_the_parse(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Clinton says Russians hacked the DNC, calls remarks troubling.\n\nShe spoke."
    found = _attributions(claim_extractor, text)
    assert all(item.how != "headline/title" for item in found)


def test_a_speakers_label_with_no_space_before_the_quotation_is_a_turn(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The panel questioned her.\n\n"
        'Rep. Trey Gowdy (R-S.C.):"I have not heard anyone else cite that figure. Who told you?"'
    )
    turn = _one(_attributions(claim_extractor, text), ":")
    assert _source(turn) == "Rep. Trey Gowdy"
    assert turn.content.text.startswith('"I have not heard anyone else')


def test_two_labelled_quotations_in_one_paragraph_are_two_turns(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Both reject the term.\n\n"
        'Clinton: "Our goal is to defeat and destroy ISIS." '
        'Bush: "The mission is to destroy ISIS -- not to contain it."\n\n'
        "Containment has been policy for decades."
    )
    turns = [a for a in _attributions(claim_extractor, text) if a.cue.text == ":"]
    assert [(_source(t), t.content.text) for t in turns] == [
        ("Clinton", '"Our goal is to defeat and destroy ISIS."'),
        ("Bush", '"The mission is to destroy ISIS -- not to contain it."'),
    ]


def test_a_watchdog_named_watch_speaks_in_a_headline(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Judicial Watch: State Department Hid Key Benghazi Email For Years.\n\n"
        "The department withheld an email."
    )
    turn = _one(_attributions(claim_extractor, text), ":")
    assert _source(turn) == "Judicial Watch"
    assert turn.content.text == "State Department Hid Key Benghazi Email For Years"
    text = "The report is out.\n\nMust Watch: the minister walks out of the hearing."
    assert all(a.cue.text != ":" for a in _attributions(claim_extractor, text))


def test_a_title_case_headline_with_a_verb_before_claims_names_no_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Ben Carson Defends Himself Against Claims He Exaggerated His Life Story.\n\nHe spoke."
    assert all(a.how != "headline/title" for a in _attributions(claim_extractor, text))
