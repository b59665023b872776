"""News in formats of their own: an explainer's bullet points ("What we know"), a reporter's
dated notebook, a photo essay's captions with their credit lines, a story with corrections
appended, and a wire service's questions and answers."""

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
