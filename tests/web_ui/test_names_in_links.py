"""Cases and an incident named with '/', '?', '#', spaces and Arabic, clicked through in a real
browser: each link leads to the page of the very case or incident it names (the case ``x/items``
is not case ``x``'s evidence list), the map's script fetches that case's places, and the upload
form's script posts to that case."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from enquiry.app import Enquiry, accounts, cases, evidence
from enquiry.web.app import create_app
from web_helpers import serving

pytest.importorskip("playwright")

PASSWORD = "a long demo password"
PLAIN = ("x", "x/items", "خان شيخون / ٤ نيسان", "100% sure? #7")
LOADED = "Khan Shaykhun / 4 April"
INCIDENT = "ks/2017-04-04 #1?"
CASE_FILE = f"""format: enquiry-case/1
case: {{name: {json.dumps(LOADED)}}}
sources:
- {{name: Field team, reliability: B}}
incidents:
- slug: {json.dumps(INCIDENT)}
  title: The strike on the square
  place: {{name: Khan Shaykhun, lat: 35.44, lon: 36.65}}
  hypotheses:
  - {{id: H1, label: a shell fired from the north}}
  - {{id: H0, label: something else, other: true}}
items:
- key: crater-note
  kind: document
  source: Field team
  fields: {{title: Field note on the crater}}
  text: Fresh crater in the square; fragments of a 122 mm shell.
ratings:
- incident: {json.dumps(INCIDENT)}
  item: crater-note
  analyst: ana
  values: {{H1: CC, H0: N}}
  rationale: A fresh crater with shell fragments.
"""


@pytest.fixture(scope="module")
def names_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("names-ui")
    admin = Enquiry.at(root / "home", "admin")
    for number, name in enumerate(PLAIN):
        note = root / f"note-{number}.txt"
        note.write_text(f"The note of case number {number}.\n", encoding="utf-8")
        evidence.add(admin, [note], case=name)
    (root / "case.yaml").write_text(CASE_FILE, encoding="utf-8")
    cases.load(admin, root / "case.yaml")
    accounts.add_user(admin, "ana", PASSWORD)
    for name in (*PLAIN, LOADED):
        accounts.grant(admin, "ana", name, "owner")
    with serving(create_app(admin.home)) as url:
        yield url, root


@pytest.fixture
def page(browser: Any, names_site: tuple[str, Path]) -> Iterator[Any]:
    url, _root = names_site
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    opened = context.new_page()
    opened.goto(url + "/")
    opened.get_by_label("Name").fill("ana")
    opened.get_by_label("Password").fill(PASSWORD)
    opened.get_by_role("button", name="Sign in").click()
    opened.wait_for_url(url + "/")
    yield opened
    context.close()


def _on_case(page: Any, name: str, heading: str) -> None:
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == heading, page.content()[:600]
    assert page.locator(".case-name").inner_text() == name


def test_a_case_named_like_another_case_s_page_is_reached(
    page: Any, names_site: tuple[str, Path]
) -> None:
    url, root = names_site
    for name in PLAIN:
        page.goto(url + "/")
        page.get_by_role("link", name=name, exact=True).click()
        _on_case(page, name, f"Case {name}")
        page.get_by_role("link", name="Evidence").click()
        _on_case(page, name, "Evidence")
        assert page.locator(".hits .hit-title").count() == 1
    # the upload form's script posts to the case named, not to case 'x'
    upload = root / "from-the-page.txt"
    upload.write_text("Posted from the evidence page of x/items.\n", encoding="utf-8")
    page.goto(url + "/")
    page.get_by_role("link", name="x/items", exact=True).click()
    page.get_by_role("link", name="Evidence").click()
    page.get_by_label("Files (choose one or many)").set_input_files(str(upload))
    page.get_by_role("button", name="Upload").click()
    page.locator("#upload-status").get_by_text("1 stored").wait_for()
    page.reload()
    assert page.locator(".hits .hit-title").count() == 2
    page.goto(url + "/")
    page.get_by_role("link", name="x", exact=True).click()
    page.get_by_role("link", name="Evidence").click()
    assert page.locator(".hits .hit-title").count() == 1


def test_the_map_and_the_incident_pages_of_names_with_slashes(page: Any) -> None:
    page.get_by_role("link", name=LOADED, exact=True).click()
    _on_case(page, LOADED, f"Case {LOADED}")
    page.get_by_role("link", name="Map").click()
    page.wait_for_selector("#map[data-ready]")
    assert int(page.get_attribute("#map", "data-ready")) > 0
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Matrix").first.click()
    _on_case(page, LOADED, "Hypotheses × evidence")
    page.get_by_role("link", name="Analysis").first.click()
    _on_case(page, LOADED, "Analysis: The strike on the square")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Report (HTML)").first.click()
    assert "/" not in waiting.value.suggested_filename
    assert waiting.value.suggested_filename.endswith(".html")
