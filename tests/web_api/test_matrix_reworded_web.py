"""A hypothesis reworded after evidence was rated against it, as the web app and the API show
it: the cells rated under the earlier wording are marked on the matrix page and in the API's
matrix (so a reader of either is not shown them as counting), and a new rating clears the mark.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from enquiry.app import Enquiry, accounts, cases
from enquiry.app import matrix as mx
from enquiry.web.app import create_app
from web_helpers import signed_in

PASSWORD = "correct horse battery"
INCIDENT = "square-2020-01-01"
CASE_FILE = f"""format: enquiry-case/1
case: {{name: square}}
sources:
- {{name: Field team, reliability: B}}
incidents:
- slug: {INCIDENT}
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
- incident: {INCIDENT}
  item: crater-note
  analyst: ana
  values: {{H1: CC, H0: N}}
  rationale: A fresh crater with shell fragments.
"""


@pytest.fixture
def reworded(tmp_path: Path, backend: str) -> tuple[Enquiry, TestClient, str]:
    """A case whose H1 was reworded after its one item was rated; the web app on it, signed
    in as the case's owner, and an API token of theirs."""
    admin = Enquiry.at(tmp_path / "home", "admin")
    (tmp_path / "case.yaml").write_text(CASE_FILE, encoding="utf-8")
    cases.load(admin, tmp_path / "case.yaml")
    accounts.add_user(admin, "owner", PASSWORD)
    accounts.grant(admin, "owner", "square", "owner")
    mx.update_hypothesis(
        admin,
        INCIDENT,
        "H1",
        label="a shell fired from the south",
        rationale="the crater's shape points south",
    )
    token = accounts.create_token(admin, "owner").token
    browser = signed_in(create_app(admin.home), "owner", PASSWORD)
    return admin, browser, token


def test_the_matrix_page_and_the_api_mark_cells_of_an_earlier_wording(
    reworded: tuple[Enquiry, TestClient, str],
) -> None:
    admin, browser, token = reworded
    page = browser.get(f"/incidents/{INCIDENT}/matrix")
    assert page.status_code == 200
    # H1's cell, and the catch-all's: "something else" means "none of the others", and one of
    # the others changed.
    assert "2 cell(s) were rated against an earlier wording" in page.text
    assert 'class="cell r-CC reworded"' in page.text and 'class="cell r-N reworded"' in page.text
    assert "an earlier wording; not counted" in page.text
    api = browser.get(
        f"/api/v1/incidents/{INCIDENT}/matrix", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 200, api.text
    cell = api.json()["rows"][0]["cells"]["H1"]
    assert cell["earlier_wording"] is True and cell["set_aside"] == 1
    assert cell["analysts"][0]["earlier_wording"] is True
    assert api.json()["rows"][0]["cells"]["H0"]["earlier_wording"] is True

    # H1 rated again under its current wording: its mark is gone from both, H0's stays.
    mx.rate(admin, INCIDENT, "H1", item="1", rating="C", rationale="south: consistent")
    page = browser.get(f"/incidents/{INCIDENT}/matrix")
    assert "1 cell(s) were rated against an earlier wording" in page.text
    classes = re.findall(r'<td class="cell r-C([^"]*)"', page.text)
    assert classes and "reworded" not in classes[0]  # ana's CC is listed, marked, apart
    assert "1 reworded" in page.text
    api = browser.get(
        f"/api/v1/incidents/{INCIDENT}/matrix", headers={"Authorization": f"Bearer {token}"}
    )
    cells = api.json()["rows"][0]["cells"]
    assert cells["H1"]["earlier_wording"] is False and cells["H0"]["earlier_wording"] is True
