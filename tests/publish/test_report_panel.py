"""The report as a panel files it: every section a mechanism's report has, rationales in the
printed text, citations that resolve, no false precision, replies and panel from the case file,
a signature slot, and the annex dated by the items' own dates."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo_helpers import HomeTemplates
from enquiry.publish.bundle_check import share, span
from enquiry.publish.report import SignOff, analyse_incident, render_report
from enquiry.store import open_store

SLUG = "khan-shaykhun-2017-04-04"


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, home_templates: HomeTemplates
) -> Iterator[tuple[Path, str]]:
    """The demo's HTML report and its home (a copy, taken once for the module)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        home = home_templates.demo(tmp_path_factory.mktemp("panel") / "home").home
        page = (home / "reports" / f"{SLUG}.html").read_text(encoding="utf-8")
        yield home, page


BLOCK = re.compile(r"</?(p|li|tr|td|th|h\d|div|br|ul|ol|table|title|svg|text)\b[^>]*>")


def _text(page: str) -> str:
    """What a reader sees (and a printer prints): the page without its tags and attributes."""
    body = page[page.find("<body") + 1 :] if "<body" in page else page
    flat = re.sub(r"<[^>]+>", "", BLOCK.sub(" ", body))
    return html.unescape(re.sub(r"\s+", " ", flat))


def _section(page: str, anchor: str) -> str:
    start = page.index(f'<h2 id="{anchor}">')
    end = page.find("<h2 ", start + 1)
    return _text(page[start : end if end > 0 else len(page)])


def test_every_section_of_a_panel_report_is_there_in_order(demo: tuple[Path, str]) -> None:
    _home, page = demo
    anchors = re.findall(r'<h2 id="([a-z-]+)">', page)
    assert anchors == [
        "contents", "summary", "mandate", "chronology", "map", "findings", "matrix",
        "rationale", "fragility", "limitations", "parties", "replies", "casualties", "panel",
        "annex", "notes",
    ]  # fmt: skip
    contents = re.findall(r'<li><a href="#([a-z-]+)">', page)
    assert contents == anchors[1:]


def test_summary_and_findings_name_the_account_and_the_standard(demo: tuple[Path, str]) -> None:
    _home, page = demo
    summary = _section(page, "summary")
    assert "It is almost certain that a Syrian Air Force aircraft dropped a sarin munition" in (
        summary
    )
    assert "confidence high" in summary and "“confident” is met" in summary
    findings = _section(page, "findings")
    assert "To the standard “confident”, the panel finds that" in findings
    assert re.search(r"beyond reasonable doubt above 98% ✗ not met", findings)


def test_method_explains_grades_ratings_dependence_and_words(demo: tuple[Path, str]) -> None:
    _home, page = demo
    method = _section(page, "mandate")
    assert "Identify, to the extent possible, who was responsible" in method  # the mandate
    for words in ("Admiralty", "cannot be judged", "share an origin", "ICD 203", "almost certain"):
        assert words in method
    assert "CC · very consistent 90%" in method and "II · very inconsistent 5%" in method
    assert "counts for 95% 85% 70% 50% 25% nothing" in method  # reliability A..F


def test_no_false_precision(demo: tuple[Path, str]) -> None:
    _home, page = demo
    text = _text(page)
    assert not re.search(r"\d\.\d+\s*%", text), re.findall(r".{40}\d\.\d+\s*%", text)[:3]
    assert not re.search(r"(?<![\d.])0%", text)  # no "0%" on its own, nor "0.0% – 0.0%"
    assert "below 1%" in text  # the unlikely accounts
    assert not re.search(r"\d(\.\d+)?e-\d", text)  # nor 8.86e-05 from the engine's own words
    assert not re.search(r"\b0\.0\d\d", text)  # nor 0.00174
    assert share(0.0) == "below 1%" and share(1.0) == "above 99%" and share(0.968) == "97%"
    assert span(0.0, 0.0001) == "below 1%" and span(0.96, 0.975) == "96–98%"
    assert span(0.004, 0.2) == "below 1% to 20%"


def test_every_rating_has_its_rationale_in_the_printed_text(demo: tuple[Path, str]) -> None:
    home, page = demo
    printed = _section(page, "rationale")
    analysis = analyse_incident(open_store(home, "tester", create=False), SLUG)
    for evidence in analysis.input.evidence:
        for reason in evidence.rationale.values():
            assert " ".join(reason.split()) in printed, (evidence.id, reason)
    # nothing is said only in hover text
    assert 'title="H1: ' not in page


def test_matrix_names_the_hypotheses(demo: tuple[Path, str]) -> None:
    _home, page = demo
    matrix = _section(page, "matrix")
    assert "H2 (a Syrian air strike at 11:30–12:30 hit a rebel depot" in matrix
    assert "H0 (something else, none of the above)" in matrix


def test_chronology_map_replies_panel_and_signature(demo: tuple[Path, str]) -> None:
    _home, page = demo
    chronology = _section(page, "chronology")
    dates = re.findall(r"\b(20\d\d-\d\d-\d\d)\b", chronology)
    assert dates == sorted(dates) and dates[0] == "2017-04-04"
    assert "Seventh report of the OPCW-UN Joint Investigative Mechanism" in chronology
    mapped = page[page.index('<h2 id="map">') : page.index('<h2 id="findings">')]
    assert mapped.count("<svg") == 1 and "http://www.w3.org/2000/svg" in mapped
    assert "<image" not in mapped and "href=" not in mapped.split("<svg")[1].split("</svg>")[0]
    assert "incident: Sarin release at Khan Shaykhun" in _text(mapped)
    assert "claim: Igor Konashenkov" in _text(mapped)
    replies = _section(page, "replies")
    assert "errors and systemic problems" in replies and "2017-11-07" in replies
    panel = _section(page, "panel")
    assert "enquiry demonstration" in panel and "Unsigned." in panel
    assert 'data-slot="signature"' in page


def test_limitations_and_open_questions_come_from_the_evidence(demo: tuple[Path, str]) -> None:
    _home, page = demo
    limits = _section(page, "limitations")
    assert "cannot be judged (F) and carry no weight" in limits  # the open-source uploads
    assert "share an origin" in limits and "protected" in limits
    assert "casualty figures disagree" in limits
    assert "Open questions" in limits
    assert "is not excluded" not in limits  # no rival reaches 5% at either end of its range
    assert "from 2% to 21%; 2 such items would make it lead" in limits


def test_annex_gives_the_items_own_dates_not_load_dates(demo: tuple[Path, str]) -> None:
    _home, page = demo
    annex = _section(page, "annex")
    row = annex[annex.index("Seventh report of the OPCW-UN") :][:600]
    assert "published 2017-10-26" in row
    assert "entered the vault 20" in row  # the load date is named as what it is


def test_every_citation_resolves_to_a_note(demo: tuple[Path, str]) -> None:
    _home, page = demo
    cited = set(re.findall(r'href="#note-(\d+)"', page))
    notes = re.findall(r'<li id="note-(\d+)">', page)
    assert cited and cited == set(notes)
    assert notes == [str(n) for n in range(1, len(notes) + 1)]
    text = _section(page, "notes")
    assert "doc-jim-report (item): Seventh report" in text and "published 2017-10-26" in text
    assert "ru-mod-2017-04-05 (claim): Igor Konashenkov, 2017-04-05" in text
    # the summary's statement is cited
    assert 'class="cite"' in page[page.index('<h2 id="summary">') : page.index('id="mandate"')]


def test_the_signature_slot_is_filled_by_a_sign_off(demo: tuple[Path, str]) -> None:
    home, _page = demo
    analysis = analyse_incident(open_store(home, "tester", create=False), SLUG)
    signed = render_report(
        analysis,
        finding_id=None,
        generated_at="2026-01-01T00:00:00Z",
        sign_off=SignOff(
            signer="Panel chair",
            signed_at="2026-01-02T10:00:00Z",
            key_name="panel-2026",
            fingerprint="SHA256:abcd",
        ),
    )
    panel = _section(signed, "panel")
    assert "Signed by Panel chair on 2026-01-02 10:00:00 UTC with key panel-2026" in panel
    assert "SHA256:abcd" in panel and "Unsigned" not in panel
