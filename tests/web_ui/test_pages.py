"""End to end in a real browser: sign in, find the sarin samples, upload, open an item with its
custody, rate a cell and watch the posterior move, download the report — and a viewer of
another case sees none of it.

The tests share one server and one signed-in browser context per test process (a session per
user, as people use it); each takes a screenshot of its page for docs/web.md. With
`pytest -n` they may be spread over several processes, each with its own server, so a test
that needs what another did (the viewer sees the reviewer's sign-off) gets it from a fixture.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from enquiry.app.cases import DEMO_CASE, DEMO_INCIDENT

pytest.importorskip("playwright")

VIEWPORT = {"width": 1366, "height": 768}


def _sign_in(browser: Any, site: Any, name: str) -> Any:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.goto(site.url + "/")
    assert "/login" in page.url
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(site.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.url + "/")
    return page


@pytest.fixture(scope="module")
def owner(browser: Any, site: Any) -> Iterator[Any]:
    page = _sign_in(browser, site, "owner")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    yield page
    page.context.close()


def test_the_owner_signs_in_and_sees_the_case_dashboard(owner: Any, site: Any) -> None:
    owner.get_by_role("link", name=DEMO_CASE).click()
    owner.wait_for_url(f"{site.url}/cases/{DEMO_CASE}")
    assert owner.get_by_role("heading", name=f"Case {DEMO_CASE}").is_visible()
    assert owner.get_by_text("Ledger intact").is_visible()
    assert owner.get_by_role("link", name="environmental sample").is_visible()
    assert owner.locator("#h-activity + table tbody tr").count() > 0
    site.screenshot(owner, "dashboard")


def test_search_finds_the_khan_shaykhun_sarin_samples(owner: Any, site: Any) -> None:
    owner.goto(f"{site.url}/cases/{DEMO_CASE}/items")
    owner.get_by_label("Search items and claims").fill("sarin samples")
    owner.get_by_label("Search items and claims").press("Enter")
    owner.wait_for_url(re.compile(r".*q=sarin\+samples.*"))
    titles = owner.locator(".hits .hit-title a").all_inner_texts()
    assert any("Environmental samples from the crater area" in t for t in titles), titles
    assert any("Biomedical samples positive for sarin" in t for t in titles), titles
    assert owner.locator(".hits mark").count() > 0
    site.screenshot(owner, "evidence")


def test_bulk_upload_shows_progress_and_stores_every_file(owner: Any, site: Any) -> None:
    first = site.files / "field-note-1.txt"
    second = site.files / "field-note-2.txt"
    first.write_text("Field note: the crater was sampled on 4 April 2017 by a local team.\n")
    second.write_text("Field note: a second team photographed the silos on 5 April 2017.\n")
    owner.goto(f"{site.url}/cases/{DEMO_CASE}/items")
    owner.get_by_label("Files (choose one or many)").set_input_files([str(first), str(second)])
    owner.get_by_role("button", name="Upload").click()
    status = owner.locator("#upload-status")
    status.get_by_text("2 stored").wait_for()
    assert owner.locator("#upload-progress").get_attribute("value") == "100"
    links = status.get_by_role("link").all_inner_texts()
    assert len(links) == 2 and all(t.startswith("item ") for t in links)
    owner.get_by_label("Search items and claims").fill("silos photographed")
    owner.get_by_label("Search items and claims").press("Enter")
    owner.wait_for_url(re.compile(r".*q=silos.*"))
    assert owner.locator(".hits .hit-title").filter(has_text="field-note-2.txt").count() == 1


def test_an_item_shows_its_preview_metadata_and_custody(owner: Any, site: Any) -> None:
    owner.goto(f"{site.url}/items/7")
    assert owner.get_by_role("heading", name=re.compile("Environmental samples")).is_visible()
    assert owner.get_by_role("heading", name="Custody").is_visible()
    custody = owner.locator("ol.timeline li").all_inner_texts()
    assert any("received" in line for line in custody), custody
    # the protected survivor photograph is shown only as its confirmed redaction
    owner.goto(f"{site.url}/items/18")
    image = owner.get_by_role("img", name=re.compile("Confirmed redaction of item 18"))
    image.wait_for()
    assert owner.evaluate("document.querySelector('figure img').naturalWidth") > 0
    answer = owner.request.get(f"{site.url}/items/18/content")
    assert answer.status == 200 and answer.headers["x-enquiry-redacted"] == "confirmed redaction"
    assert answer.headers["x-enquiry-item"] != "18"
    owner.reload()
    assert owner.locator("ol.timeline li").filter(has_text="accessed by owner").count() >= 1
    site.screenshot(owner, "item")


def _posterior(page: Any, hypothesis: str) -> float:
    cell = page.locator(f"table.posterior td[data-hypothesis='{hypothesis}']")
    return float(cell.get_attribute("data-posterior"))


def test_rating_a_cell_moves_the_posterior(owner: Any, site: Any) -> None:
    owner.goto(f"{site.url}/incidents/{DEMO_INCIDENT}/matrix")
    before = _posterior(owner, "H1")
    row = owner.locator("#row-item-7")
    cell = row.locator("td.cell").first
    cell.locator("details.rate summary").click()
    cell.get_by_label(re.compile("Rating of .* against H1")).select_option("II")
    cell.get_by_label("Rationale").fill("Supposing the samples were planted: a test of the case.")
    cell.get_by_role("button", name="Save rating").click()
    owner.wait_for_url(re.compile(r".*/matrix\?saved=\d+.*"))
    assert owner.get_by_text("Rating saved and counted").is_visible()
    after = _posterior(owner, "H1")
    assert after < before, (before, after)
    analysts = owner.locator("#row-item-7 td.cell").first.locator("details ul li")
    assert analysts.filter(has_text="owner").count() == 1
    site.screenshot(owner, "matrix")


def test_analysis_claims_and_map_pages(owner: Any, site: Any) -> None:
    owner.goto(f"{site.url}/incidents/{DEMO_INCIDENT}/analysis")
    for heading in (
        "Sensitivity",
        "Evidence against the leader",
        "What would change the conclusion",
    ):
        assert owner.get_by_role("heading", name=heading).is_visible()
    prior = owner.get_by_text("How much the conclusion owes to its prior")
    assert prior.is_visible()
    # the figure depends on the ratings earlier tests moved; its form does not
    assert re.search(r"any prior above (1 in [\d,]+|\d+%)", prior.inner_text())
    site.screenshot(owner, "analysis")
    owner.goto(f"{site.url}/cases/{DEMO_CASE}/claims")
    assert owner.locator(".flags .tag.bad").count() > 0
    site.screenshot(owner, "claims")
    owner.goto(f"{site.url}/cases/{DEMO_CASE}/map")
    owner.wait_for_selector("#map[data-ready]")
    assert int(owner.get_attribute("#map", "data-ready")) > 0
    assert owner.locator("#map path.leaflet-interactive").count() > 0
    assert owner.get_attribute("#map", "data-basemap-failed") is None
    site.screenshot(owner, "map")
    assert not [e for e in owner.errors if "Content Security Policy" in e], owner.errors


def test_the_report_downloads(owner: Any, site: Any) -> None:
    owner.goto(f"{site.url}/incidents/{DEMO_INCIDENT}/analysis")
    with owner.expect_download() as waiting:
        owner.get_by_role("link", name="Report (HTML)").click()
    download = waiting.value
    assert download.suggested_filename == f"{DEMO_INCIDENT}.html"
    with open(download.path(), encoding="utf-8") as handle:
        html = handle.read()
    assert "<html" in html and "Khan Shaykhun" in html


@dataclass
class SignOff:
    """What the reviewer's page showed right after signing off the shown finding."""

    review: str
    remarks: list[str]
    signed: list[str]
    status: bool


@pytest.fixture(scope="module")
def signed_off(browser: Any, site: Any) -> SignOff:
    """The reviewer comments on and signs off the finding shown, once for the server of this
    test process: with `pytest -n`, the tests of this module may run on several processes,
    each with its own server, and a viewer's test must find a sign-off on its own."""
    page = _sign_in(browser, site, "reviewer")
    try:
        page.goto(f"{site.url}/incidents/{DEMO_INCIDENT}/analysis")
        review = page.locator("section[aria-labelledby='h-review']")
        finding = re.search(r"Comments and sign-offs on finding (\d+)", review.inner_text())
        assert finding is not None
        number = finding.group(1)
        page.get_by_label(f"Comment on finding {number}").fill("Were the samples' seals checked?")
        page.get_by_role("button", name="Add comment").click()
        page.wait_for_url(re.compile(r".*/analysis\?saved=comment.*"))
        page.get_by_label(f"Sign-off statement for finding {number}").fill(STATEMENT)
        page.get_by_role("button", name=f"Sign off finding {number}").click()
        page.wait_for_url(re.compile(r".*/analysis\?saved=sign-off.*"))
        listed = page.locator("ol.remarks li")
        done = SignOff(
            review=review.inner_text(),
            remarks=listed.all_inner_texts(),
            signed=listed.filter(has_text="signed off").all_inner_texts(),
            status=page.get_by_role("status").filter(has_text="Signed off").is_visible(),
        )
        site.screenshot(page, "review")
        return done
    finally:
        page.context.close()


STATEMENT = "Reviewed: the posterior follows from the matrix as rated."


def test_a_reviewer_signs_off_the_shown_finding(signed_off: SignOff) -> None:
    assert signed_off.status
    assert len(signed_off.remarks) == 2
    assert "reviewer" in signed_off.remarks[0] and "seals checked" in signed_off.remarks[0]
    assert len(signed_off.signed) == 1
    assert "reviewer" in signed_off.signed[0] and STATEMENT in signed_off.signed[0]
    assert re.search(r"Comments and sign-offs on finding \d+", signed_off.review)


def test_a_viewer_sees_the_sign_off_but_no_forms(
    browser: Any, site: Any, signed_off: SignOff
) -> None:
    page = _sign_in(browser, site, "viewer")
    try:
        answer = page.goto(f"{site.url}/incidents/{DEMO_INCIDENT}/analysis")
        assert answer is not None and answer.status == 200
        assert page.get_by_role("heading", name="Review").is_visible()
        assert page.locator("main form").count() == 0
        assert page.get_by_label(re.compile("Comment on finding|Sign-off statement")).count() == 0
        assert page.locator("ol.remarks li").filter(has_text="signed off").count() == 1
        # the core decides: a viewer's post, with the session's token, is refused all the same
        finding = re.search(r"on finding (\d+)", page.locator("main").inner_text())
        assert finding is not None
        token = page.locator("form[action='/logout'] input[name=csrf]").get_attribute("value")
        for action, field in (("sign-off", "statement"), ("comment", "body")):
            refused = page.request.post(
                f"{site.url}/incidents/{DEMO_INCIDENT}/findings/{finding.group(1)}/{action}",
                form={"csrf": token or "", field: "not mine to write"},
                max_redirects=0,
            )
            assert refused.status == 403, (action, refused.status)
            assert "you may not" in refused.text(), refused.text()
        page.reload()
        assert "not mine to write" not in page.content()
    finally:
        page.context.close()


def test_a_viewer_of_another_case_sees_none_of_it(browser: Any, site: Any) -> None:
    page = _sign_in(browser, site, "outsider")
    try:
        assert page.locator("main table a").all_inner_texts() == ["other-inquiry"]
        for path in (
            f"/cases/{DEMO_CASE}",
            f"/cases/{DEMO_CASE}/items?q=sarin",
            f"/cases/{DEMO_CASE}/claims",
            f"/cases/{DEMO_CASE}/map",
            f"/cases/{DEMO_CASE}/map.geojson",
            "/items/7",
            "/items/7/content",
            f"/incidents/{DEMO_INCIDENT}/matrix",
            f"/incidents/{DEMO_INCIDENT}/analysis",
            f"/incidents/{DEMO_INCIDENT}/report",
        ):
            answer = page.goto(site.url + path)
            assert answer is not None and answer.status == 404, path
            assert "sarin" not in page.content().lower() or path.endswith("sarin"), path
        missing = page.goto(f"{site.url}/cases/no-such-case")
        assert missing is not None and missing.status == 404
        page.goto(f"{site.url}/cases/other-inquiry/items")
        assert "grain prices" in page.content()
        assert page.locator("#upload").count() == 0, "a viewer is offered no upload"
    finally:
        page.context.close()
