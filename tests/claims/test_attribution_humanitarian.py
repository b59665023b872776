"""Texts that humanitarian and medical bodies publish about an attack: a UN agency's statement
and flash update, a medical charity's press release, a medical society's field report, a
rights group's report chapter with its footnotes, a broadcast transcript and a rescue
organisation's posts. Their titles put the country first ("Syria: …"), their highlights are
a list without full stops, their footnotes name the group that interviewed, their transcripts
name the presenter in brackets, and their writers hang a saying inside a relative clause."""

from __future__ import annotations

from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_a_state_before_a_headline_about_one_of_its_towns_is_the_topic(
    claim_extractor: ClaimExtractor,
) -> None:
    for title in (
        "Syria: Aid group opens field clinic near Idlib after shelling",
        "SYRIA: CIVILIANS TRAPPED IN DOUMA MUST BE ALLOWED TO LEAVE",
    ):
        found = _attributions(claim_extractor, title + "\n\nThe clinic has twelve beds.")
        assert all(a.cue.text != ":" for a in found), [(a.cue.text, _source(a)) for a in found]


def test_a_state_speaking_on_a_headline_line_is_still_a_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    found = _attributions(claim_extractor, "Russia: the opposition staged the whole episode")
    line = _one(found, ":")
    assert _source(line) == "Russia"


def test_a_report_named_in_a_title_says_nothing(claim_extractor: ClaimExtractor) -> None:
    found = _attributions(
        claim_extractor, "Union Annual Report: Health Care Under Fire in 2016\n\nIt has 40 pages."
    )
    assert all(a.cue.text != ":" for a in found)
    headline = _attributions(claim_extractor, "Report: Most of the clinics were hit twice")
    assert _source(_one(headline, ":")) == "Report"


def test_a_list_item_without_a_full_stop_does_not_run_into_the_next(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "KEY POINTS\n"
        "- More than 40 families displaced from Saraqib to camps near the border since Monday\n"
        "- Camp managers report that water trucking has been cut by half this week\n"
    )
    report = _one(_attributions(claim_extractor, text), "report")
    assert _source(report) == "Camp managers"
    assert report.content.text.startswith("that water trucking")


def test_the_last_word_of_a_bodys_name_is_no_cue(claim_extractor: ClaimExtractor) -> None:
    text = "[4] Human Rights Watch interviews with two nurses, Idlib, May 2017."
    assert _attributions(claim_extractor, text) == []


def test_a_presenter_named_in_brackets_is_the_speaker_of_the_turn(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "HOST (SARA LINDQVIST): Tonight, the inspectors' report and what it leaves open."
    found = claim_extractor.extract(text)
    turn = [record for record in found if record.attribution.cue.text == ":"]
    assert len(turn) == 1
    assert _source(turn[0].attribution) == "SARA LINDQVIST"


def test_a_turn_opening_with_the_presenters_given_name_addresses_her(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "PRESENTER (SARA LINDQVIST): What are people telling you?\n\n"
        "OKAFOR: Sara, the nurses here say that the wards were full by noon."
    )
    say = _one(_attributions(claim_extractor, text), "say")
    assert _source(say) == "the nurses here"


def test_an_apposition_after_a_turns_first_word_is_kept(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "OKAFOR: Turkey, its neighbour, says the border will stay open."
    says = _one(_attributions(claim_extractor, text), "says")
    assert _source(says) is not None and _source(says).startswith("Turkey")  # type: ignore[union-attr]


def test_a_post_by_a_display_name_in_lower_case_is_its_authors(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Replying to @SyriaCivilDef\nwatchful_eye (@watchful_eye7): Those pictures were staged."
    line = _one(_attributions(claim_extractor, text), ":")
    assert _source(line) == "watchful_eye"
    assert line.content.text.startswith("Those pictures were staged")


def test_a_date_after_an_adjective_cue_is_not_the_speaker(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The Red Crescent is gravely concerned by reports of shelling near Saraqib on 9 May."
    found = _attributions(claim_extractor, text)
    assert all(_source(a) != "9 May" for a in found), [(_source(a), a.cue.text) for a in found]


def test_a_strike_and_the_response_to_one_say_nothing(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Overnight, a barrel bomb reportedly released chlorine over the western districts. "
        "Civil defence crews are responding to a second airstrike on the market."
    )
    assert _attributions(claim_extractor, text) == []


def test_an_infinitive_of_purpose_confirms_nothing(claim_extractor: ClaimExtractor) -> None:
    text = "Field teams are travelling with the local council to verify the number of displaced."
    assert _attributions(claim_extractor, text) == []


def test_after_a_closing_quotation_mark_and_urged_is_the_speaker_going_on(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        'The union\'s chairman said the bombing "was aimed at the hospital itself" and urged '
        "donors to fund its repair."
    )
    urged = _one(_attributions(claim_extractor, text), "urged")
    assert _source(urged) == "The union's chairman"
    assert urged.content.text.startswith("donors to fund")


def test_a_saying_inside_a_relative_clause_reports_that_clause(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Saraqib was one of several towns where, the Red Crescent says, ambulances have been "
        "turned back at checkpoints."
    )
    says = _one(_attributions(claim_extractor, text), "says")
    assert _source(says) == "the Red Crescent"
    assert says.content.text.startswith("ambulances have been turned back")
    assert "Saraqib" not in says.content.text


def test_a_papers_count_of_its_cases_is_no_claim(claim_extractor: ClaimExtractor) -> None:
    text = (
        "We report three children treated for chlorine exposure in Saraqib. "
        "We believe that their symptoms were caused by the gas."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["believe"]
