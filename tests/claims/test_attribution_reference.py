"""Reference texts: an encyclopedia article with numbered references, a textbook chapter
with its boxes and questions for the reader, an annotated bibliography whose notes speak of
the entry above them, an organisation's page of questions and answers, and a glossary that
says what each term means and who uses it."""

from __future__ import annotations

from attribution_helpers import actors as _actors
from attribution_helpers import attributions as _attributions
from attribution_helpers import one as _one
from attribution_helpers import source_of as _source

from enquiry.enrich.text.claims import ClaimExtractor


def test_it_after_a_body_introduced_with_its_acronym_is_that_body(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "The African Union Commission (AUC) met in May. The Human Rights Fact-Finding Team "
        "(HRFT) published its report on 2 May. It concluded that the attack was deliberate."
    )
    assert _actors(claim_extractor, text)["concluded"] == "Human Rights Fact-Finding Team"


def test_it_after_an_ordinal_naming_a_body_with_its_acronym_is_that_body(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Three days later the United States struck the airbase. The second, the Independent "
        "Investigative Mechanism (IIM), was asked who was responsible. It found that the army "
        "had fired."
    )
    assert _actors(claim_extractor, text)["found"] == "Independent Investigative Mechanism"


def test_he_after_a_glossary_line_naming_whose_word_it_is_is_that_person(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Provocation\n"
        "General Sergei Rudskoy said that the convoy had been attacked by militants.\n\n"
        "Hoax\n"
        'Foreign Minister Walid Muallem\'s word. "It is a hoax from start to finish," he told '
        "reporters in Damascus.\n"
    )
    assert _actors(claim_extractor, text)["told"] == "Walid Muallem"


def test_a_town_held_by_fighters_is_no_view_held(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The convoy was stopped near Kafr Nabl, which was then held by rebel factions. "
        "The theory, which is held by several analysts, is that the convoy was a decoy."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["is held"]


def test_a_work_cited_by_its_readers_is_no_saying(claim_extractor: ClaimExtractor) -> None:
    text = (
        "The blog post is widely shared, and it is quoted often because it is cited by "
        "prominent commentators. Officials cited security concerns for the delay."
    )
    found = _attributions(claim_extractor, text)
    assert "is cited" not in [a.cue.text for a in found]
    assert _one(found, "cited").content.text == "security concerns for the delay"


def test_a_denied_clause_parsed_as_an_object_keeps_its_verb(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Quoted because it is repeated so often by people who dispute the shelling happened."
    found = _attributions(claim_extractor, text)
    assert _one(found, "dispute").content.text == "the shelling happened"


def test_a_page_saying_what_it_answers_says_nothing(claim_extractor: ClaimExtractor) -> None:
    text = (
        "This section answers the questions journalists have asked about the convoy. The "
        "Red Crescent said that two of its drivers were killed."
    )
    found = _attributions(claim_extractor, text)
    assert [a.cue.text for a in found] == ["said"]


def test_a_definition_says_what_a_word_means_not_that_it_is_so(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Verification\n"
        "In the treaty's language, verification means confirming that a state has destroyed "
        "what it declared.\n\n"
        "Provocation\n"
        "Used by the defence ministry to mean that the victims were moved to the site "
        "afterwards.\n"
    )
    assert _attributions(claim_extractor, text) == []


def test_an_arguments_it_means_acknowledging_is_still_a_stance(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "Unity is hard. It means acknowledging that his message is the future of the party."
    assert [a.cue.text for a in _attributions(claim_extractor, text)] == ["acknowledging"]


def test_understanding_why_people_ask_reports_nothing(claim_extractor: ClaimExtractor) -> None:
    text = (
        "We understand why families want answers. We understand that the inquiry will "
        "report in May."
    )
    found = _attributions(claim_extractor, text)
    assert [a.content.text for a in found] == ["that the inquiry will report in May"]


def test_a_question_for_the_reader_about_any_government_is_no_saying(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Why would a ministry deny an attack that its own doctors recorded? The ministry "
        "denied that any attack had taken place."
    )
    found = _attributions(claim_extractor, text)
    assert [a.content.text for a in found] == ["that any attack had taken place"]


def test_people_questioned_by_someone_are_who_describe(claim_extractor: ClaimExtractor) -> None:
    text = "Farmers interviewed by the mechanism described seeing a jet before the explosion."
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "described")) == "Farmers interviewed by the mechanism"
    assert _actors(claim_extractor, text)["described"] == "Farmers"


def test_who_holding_a_view_is_the_noun_the_clause_hangs_on(
    claim_extractor: ClaimExtractor,
) -> None:
    text = "The phrase is favoured by those who hold that the convoy was never attacked."
    assert _actors(claim_extractor, text)["hold"] == "those"


def test_he_after_a_cited_surname_is_that_author(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Brennan, K. (2018) The Convoy Reports. Oxford: Clarendon.\n"
        "Brennan maintains that the convoy was hit from the air.\n\n"
        "Ibekwe, T. (2021) 'Counting the dead', Survival 63(1).\n"
        "Ibekwe asks how the toll was counted. He answers that the hospitals kept lists.\n"
    )
    assert _actors(claim_extractor, text)["answers"] == "Ibekwe"


def test_an_annotation_speaks_of_the_work_of_its_own_entry(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Amnesty International (2016) Death Everywhere. 13 May.\n"
        "This report finds that barrel bombs were dropped on markets.\n\n"
        "Vance, R. (2019) Aerial War in Syria. London: Hurst.\n"
        "The author argues that the air campaign aimed at civilians.\n\n"
        "Physicians for Human Rights (2017) Anatomy of a Crisis. 14 March.\n"
        "The report alleges that hospitals were struck on purpose.\n"
    )
    found = _actors(claim_extractor, text)
    assert found["finds"] == "Amnesty International"
    assert found["argues"] == "R. Vance"
    assert found["alleges"] == "Physicians for Human Rights"


def test_we_inside_what_we_say_is_the_same_we(claim_extractor: ClaimExtractor) -> None:
    text = (
        "Q: What next?\n"
        "A: The panel's mandate lapsed in March after China vetoed its renewal. We believe "
        "that a new panel remains necessary, and we will keep pressing for one.\n"
    )
    assert _actors(claim_extractor, text)["pressing for"] == "We"


def test_a_name_opening_a_paragraph_after_a_heading_stays_whole(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Others\n\n"
        "Richard Lloyd, a professor at the Massachusetts Institute of Technology, argued "
        "that the rocket had been fired from the south.\n"
    )
    found = _attributions(claim_extractor, text)
    assert _source(_one(found, "argued")).startswith("Richard Lloyd")


def test_a_quotation_credited_on_the_line_below_is_that_sources(
    claim_extractor: ClaimExtractor,
) -> None:
    text = (
        "Box 4.1 Primary source\n"
        '"The Commission has reasonable grounds to believe that the convoy was attacked '
        'from the air."\n'
        "- Report of the Independent International Commission of Inquiry, 1 March 2017\n"
    )
    found = _attributions(claim_extractor, text)
    credited = [a for a in found if a.cue.text == "-"]
    assert len(credited) == 1
    assert credited[0].content.text.startswith('"The Commission has')
    assert _actors(claim_extractor, text)["-"] == "Independent International Commission of Inquiry"
