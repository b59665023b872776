"""The report as PDF: the demo writes it beside the HTML from the same finding, and
``enquiry report INCIDENT -o FILE.pdf`` writes one; pypdf reads back its text, page numbers,
table of contents and bookmarks."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy import select

from demo_helpers import DemoRun
from enquiry.cli import main
from enquiry.store import open_store
from enquiry.store.tables import CustodyEvent

SLUG = "khan-shaykhun-2017-04-04"


@pytest.fixture
def demo(demo_with_pdf: DemoRun) -> Path:
    """The home where the demo ran in full, shared with the other tests that read it."""
    assert str(demo_with_pdf.home / "reports" / f"{SLUG}.pdf") in demo_with_pdf.output
    return demo_with_pdf.home


def _exports(home: Path, under: str = "") -> list[dict[str, Any]]:
    store = open_store(home, "tester", create=False)
    with store.session() as session:
        return [
            json.loads(d)
            for d in session.scalars(
                select(CustodyEvent.details)
                .where(CustodyEvent.action == "exported")
                .order_by(CustodyEvent.seq)
            )
            if json.loads(d).get("what") == "report" and under in json.loads(d)["path"]
        ]


def _outline(reader: PdfReader) -> list[tuple[str, int]]:
    """The bookmarks, flattened: (title, page number from 1)."""
    out: list[tuple[str, int]] = []

    def walk(entries: list[Any]) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                number = reader.get_destination_page_number(entry)
                assert number is not None
                out.append((str(entry.title), number + 1))

    walk(reader.outline)
    return out


def test_demo_writes_html_and_pdf_from_one_finding(demo: Path) -> None:
    html_file = demo / "reports" / f"{SLUG}.html"
    pdf_file = html_file.with_suffix(".pdf")
    assert pdf_file.read_bytes().startswith(b"%PDF-")
    # the reports the demo wrote into the home (the signed bundle carries its own)
    html_event, pdf_event = _exports(demo, under="/reports/")[-2:]
    assert (html_event["format"], pdf_event["format"]) == ("html", "pdf")
    assert html_event["finding"] == pdf_event["finding"]
    assert pdf_event["sha256"] == hashlib.sha256(pdf_file.read_bytes()).hexdigest()
    assert html_event["sha256"] == hashlib.sha256(html_file.read_bytes()).hexdigest()


def test_pdf_has_page_numbers_contents_and_bookmarks(demo: Path) -> None:
    reader = PdfReader(demo / "reports" / f"{SLUG}.pdf")
    pages = [p.extract_text() for p in reader.pages]
    total = len(pages)
    assert total > 5
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
    # every section is a bookmark, pointing at the page where its heading is printed
    sections = [(t, p) for t, p in _outline(reader) if re.match(r"\d+\. ", t)]
    assert [t for t, _p in sections][:3] == [
        "1. Executive summary",
        "2. Mandate, scope and method",
        "3. Chronology",
    ]
    assert sections[-1][0] == "15. Notes and sources"
    for title, page in sections:
        assert title in " ".join(pages[page - 1].split()), (title, page)
    # the table of contents prints the same page numbers
    contents = " ".join(pages[0].split()) + " " + " ".join(pages[1].split())
    for title, page in sections:
        name = title.split(". ", 1)[1]
        assert re.search(re.escape(name) + r" \.*\s*" + str(page) + r"\b", contents), name


def test_the_html_prints_the_same_sections(demo: Path) -> None:
    page = (demo / "reports" / f"{SLUG}.html").read_text(encoding="utf-8")
    headings = [
        re.sub(r"<[^>]+>", "", h).replace("&#39;", "'")
        for h in re.findall(r"<h2 id=\"[a-z-]+\">(.*?)</h2>", page)
    ]
    reader = PdfReader(demo / "reports" / f"{SLUG}.pdf")
    titles = [t for t, _p in _outline(reader)]
    assert [h for h in headings if h != "Contents"] == [t for t in titles if re.match(r"\d", t)]
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    # rationales are printed, not hidden in hover text
    assert "Sarin and its degradation products in the crater contradict a fabrication." in text
    assert "SHA-256" in text and "errors and systemic problems" in text


SMALL = """
format: enquiry-case/1
case: {name: small, mandate: Establish what hit the square.}
sources: [{name: Field team, reliability: B}]
incidents:
- slug: small-incident
  title: Shell in the square
  place: {name: the square, lat: 10.5, lon: 20.25}
  hypotheses:
  - {id: H1, label: a shell hit the square}
  - {id: H0, label: something else, other: true}
items:
- key: witness-1
  kind: testimony
  source: Field team
  credibility: 2
  protected: true
  fields: {witness_pseudonym: W-1, witness_name: Jane Roe}
  text: I saw the shell land.
ratings:
- {incident: small-incident, item: witness-1, values: {H1: C, H0: I}, rationale: Jane Roe saw it}
"""


def test_report_to_a_pdf_file(tmp_path: Path, home: Path) -> None:
    case = tmp_path / "small.yaml"
    case.write_text(SMALL, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["--home", str(home), "load", str(case)]).exit_code == 0
    out = tmp_path / "out" / "small.PDF"
    result = runner.invoke(main, ["--home", str(home), "report", "small-incident", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and hashlib.sha256(data).hexdigest() in result.output
    text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Establish what hit the square." in text and "Jane Roe" not in text
    assert "[withheld] saw it" in text
    event = _exports(home)[-1]
    assert event["format"] == "pdf" and event["sha256"] == hashlib.sha256(data).hexdigest()


def test_a_pdf_that_cannot_be_written_is_one_line(tmp_path: Path, home: Path) -> None:
    case = tmp_path / "small.yaml"
    case.write_text(SMALL, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["--home", str(home), "load", str(case)]).exit_code == 0
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker / "report.pdf"
    result = runner.invoke(main, ["--home", str(home), "report", "small-incident", "-o", str(out)])
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0 and "cannot write" in result.output
