"""A tampered catalogue through the web: the API and the pages refuse to compute or publish
from it, name the refusal, and store nothing — as the command line does."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from demo_helpers import DemoRun
from enquiry.app import Enquiry, accounts
from enquiry.store.tables import Finding
from enquiry.web import create_app

INCIDENT = "khan-shaykhun-2017-04-04"
PASSWORD = "correct horse battery"


def test_a_tampered_catalogue_gives_no_analysis_report_or_finding(
    demo_case_home: DemoRun,
) -> None:
    admin = Enquiry.at(demo_case_home.home, "admin")
    accounts.add_user(admin, "ana", PASSWORD)
    accounts.grant(admin, "ana", "khan-shaykhun", "owner")
    token = accounts.create_token(admin, "ana").token
    client = TestClient(create_app(demo_case_home.home))
    bearer = {"Authorization": f"Bearer {token}"}
    path = f"/api/v1/incidents/{INCIDENT}"
    assert client.get(f"{path}/analysis", headers=bearer).status_code == 200
    with admin.store().engine.begin() as connection:
        connection.execute(
            text("UPDATE ratings SET rating = 'CC' WHERE id = (SELECT MIN(id) FROM ratings)")
        )
    with admin.store().session() as session:
        findings = session.scalar(select(func.count()).select_from(Finding))
    for method, url in (
        ("GET", f"{path}/analysis"),
        ("POST", f"{path}/analysis"),
        ("GET", f"{path}/report"),
    ):
        answer = client.request(method, url, headers=bearer)
        assert answer.status_code == 409, (url, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert "failed verification" in answer.json()["detail"]
    with admin.store().session() as session:
        assert session.scalar(select(func.count()).select_from(Finding)) == findings
    # The rating itself reads as it is: the matrix shows what the catalogue holds.
    assert client.get(f"{path}/matrix", headers=bearer).status_code == 200
