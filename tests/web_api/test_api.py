"""Each API endpoint through HTTP against the real app, on SQLite and on PostgreSQL: what it
answers, and what it leaves in the ledger under the caller's name."""

from __future__ import annotations

import base64
import hashlib
import json

from api_world import CASE, INCIDENT, SECRETS, World, unique_bytes
from sqlalchemy import select

from enquiry.store.tables import CustodyEvent


def _events(world: World, action: str, item: int | None = None) -> list[tuple[str, str]]:
    with world.admin.store().session() as session:
        query = select(CustodyEvent.actor, CustodyEvent.details).where(
            CustodyEvent.action == action
        )
        if item is not None:
            query = query.where(CustodyEvent.item_id == item)
        return [(a, d) for a, d in session.execute(query).all()]


def test_without_credentials_the_answer_is_401_with_the_bearer_scheme(world: World) -> None:
    for headers in ({}, {"Authorization": "Bearer enq_not-a-token"}, {"Authorization": "Basic x"}):
        answer = world.client.get("/api/v1/cases", headers=headers)
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"].startswith("Bearer")
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["status"] == 401


def test_cases_and_items_list_filter_and_page(world: World) -> None:
    listed = world.get("owner", "/cases").json()
    assert [c["name"] for c in listed] == [CASE]
    everything = world.get("owner", f"/cases/{CASE}/items", params={"limit": 500}).json()
    assert everything["total"] == len(everything["items"]) == listed[0]["items"]
    first = world.get("owner", f"/cases/{CASE}/items", params={"limit": 5}).json()
    second = world.get("owner", f"/cases/{CASE}/items", params={"offset": 5, "limit": 5}).json()
    assert [r["id"] for r in first["items"] + second["items"]] == [
        r["id"] for r in everything["items"][:10]
    ]
    photos = world.get("owner", f"/cases/{CASE}/items", params={"kind": "photo"}).json()
    assert photos["items"] and {r["kind"] for r in photos["items"]} == {"photo"}
    protected = world.get("owner", f"/cases/{CASE}/items", params={"protected": True}).json()
    assert protected["total"] >= 3 and all(r["protected"] for r in protected["items"])
    source = "Open-source uploads"
    by_source = world.get("owner", f"/cases/{CASE}/items", params={"source": source}).json()
    assert by_source["items"] and {r["source"] for r in by_source["items"]} == {source}
    bad = world.get("owner", f"/cases/{CASE}/items", params={"kind": "no-such-kind"})
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"
    assert world.get("owner", f"/cases/{CASE}/items", params={"limit": 0}).status_code == 400


def test_an_item_shows_metadata_custody_and_findings_and_a_protected_view_is_logged(
    world: World,
) -> None:
    plain = world.get("viewer", f"/items/{world.plain_item}").json()
    assert plain["id"] == world.plain_item and plain["custody"][0]["action"] == "received"
    assert isinstance(plain["findings"], list)
    before = len(_events(world, "accessed", world.protected_item))
    shown = world.get("reviewer", f"/items/{world.protected_item}")
    assert shown.status_code == 200
    body = shown.json()
    assert body["protected"] and set(body["withheld"]) >= {"witness_name", "interview_place"}
    assert not any(secret in shown.text for secret in SECRETS)
    accessed = _events(world, "accessed", world.protected_item)
    assert len(accessed) == before + 1 and accessed[-1][0] == "reviewer"
    revealed = world.get("revealer", f"/items/{world.protected_item}", params={"reveal": True})
    assert revealed.json()["fields"]["witness_name"] == "Zaynab Qorvash"
    assert _events(world, "revealed", world.protected_item)[-1][0] == "revealer"
    refused = world.get("reviewer", f"/items/{world.protected_item}", params={"reveal": True})
    assert refused.status_code == 403


def test_an_original_is_sent_rehashed_and_its_download_is_logged(world: World) -> None:
    answer = world.get("viewer", f"/items/{world.plain_item}/original")
    assert answer.status_code == 200
    item = world.get("viewer", f"/items/{world.plain_item}").json()
    assert hashlib.sha256(answer.content).hexdigest() == item["sha256"]
    digest = base64.b64encode(bytes.fromhex(item["sha256"])).decode()
    assert answer.headers["repr-digest"] == f"sha-256=:{digest}:"
    assert "attachment" in answer.headers["content-disposition"]
    assert _events(world, "copied", world.plain_item)[-1][0] == "viewer"
    protected = world.get("revealer", f"/items/{world.protected_item}/original")
    assert protected.status_code == 409  # protected bytes need reveal
    revealed = world.get(
        "revealer", f"/items/{world.protected_item}/original", params={"reveal": True}
    )
    assert revealed.status_code == 200 and b"Qorvash" in revealed.content
    assert "Qorvash" not in revealed.headers["content-disposition"]
    assert _events(world, "copied", world.protected_item)[-1][0] == "revealer"
    assert _events(world, "revealed", world.protected_item)[-1][0] == "revealer"


def test_upload_of_several_files_and_a_derivative(world: World) -> None:
    one, two = unique_bytes("one"), unique_bytes("two")
    answer = world.post(
        "investigator",
        f"/cases/{CASE}/items",
        files=[("files", ("notes/../first.txt", one)), ("files", ("second.txt", two))],
        data={"source": "Open-source uploads"},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["stored"] == 2
    assert [f["filename"] for f in body["files"]] == ["first.txt", "second.txt"]
    assert body["files"][0]["sha256"] == hashlib.sha256(one).hexdigest()
    again = world.post("investigator", f"/cases/{CASE}/items", files=[("files", ("x.txt", one))])
    assert again.json()["files"][0]["status"] == "duplicate"
    received = _events(world, "received", body["files"][0]["item_id"])
    assert received[0][0] == "investigator" and json.loads(received[0][1])["via"] == "upload"
    assert json.loads(received[0][1])["path"] == "upload:investigator/first.txt"
    custody = world.get("investigator", f"/items/{body['files'][0]['item_id']}/custody").json()
    assert custody[0]["details"]["path"] == "upload:investigator/first.txt"
    origins = world.get("investigator", f"/items/{body['files'][0]['item_id']}").json()["origins"]
    assert origins == ["upload:investigator/first.txt", "upload:investigator/x.txt"]
    assert not list(world.home.glob(".incoming-*")), "the staging folder is removed"
    made = world.post(
        "investigator",
        f"/items/{body['files'][0]['item_id']}/derivatives",
        files={"file": ("translation.txt", unique_bytes("translation"))},
        data={"how": "translated into English", "tool": "by hand"},
    )
    assert made.status_code == 201, made.text
    derived = world.get("investigator", f"/items/{made.json()['item_id']}").json()
    assert derived["derived_from"] == body["files"][0]["item_id"]
    assert derived["transformation"]["how"] == "translated into English"
    no_how = world.post(
        "investigator",
        f"/items/{world.plain_item}/derivatives",
        files={"file": ("x.txt", unique_bytes())},
    )
    assert no_how.status_code == 400


def test_custody_logs_per_item_and_per_case(world: World) -> None:
    item_log = world.get("viewer", f"/items/{world.plain_item}/custody").json()
    assert item_log and {e["item"] for e in item_log} == {world.plain_item}
    assert all(len(e["hash"]) == 64 for e in item_log)
    case_log = world.get("viewer", f"/cases/{CASE}/custody", params={"limit": 20}).json()
    assert 0 < len(case_log) <= 20
    assert [e["seq"] for e in case_log] == sorted(e["seq"] for e in case_log)
    assert world.protected_item not in {e["item"] for e in case_log}, "a viewer's log"


def test_claims_list_by_party_and_a_suggestion_accepted(world: World) -> None:
    page = world.get("analyst", f"/cases/{CASE}/claims", params={"limit": 5}).json()
    assert page["total"] > 5 and len(page["claims"]) == 5
    party = world.get("analyst", f"/cases/{CASE}/claims", params={"party": "Russian Federation"})
    assert party.status_code == 200 and party.json()["total"] > 0
    unknown = world.get("analyst", f"/cases/{CASE}/claims", params={"party": "Nobody At All"})
    assert unknown.status_code == 404
    accepted = world.post(
        "analyst",
        f"/claims/{world.claim}/ratings",
        json={"hypothesis": f"{INCIDENT}/H1", "rating": "I", "rationale": "contradicts H1"},
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["analyst"] == "analyst"
    rated = _events(world, "rated")
    assert rated[-1][0] == "analyst" and "contradicts H1" in rated[-1][1]
    bad = world.post(
        "analyst", f"/claims/{world.claim}/ratings", json={"hypothesis": "H1", "rating": "Z"}
    )
    assert bad.status_code == 400
    refused = world.post(
        "viewer", f"/claims/{world.claim}/ratings", json={"hypothesis": "H1", "rating": "C"}
    )
    assert refused.status_code == 403


def test_analysis_and_the_html_report(world: World) -> None:
    analysis = world.get("viewer", f"/incidents/{INCIDENT}/analysis")
    assert analysis.status_code == 200
    assert analysis.json()["leading"] and analysis.json()["hypotheses"]
    report = world.get("reviewer", f"/incidents/{INCIDENT}/report")
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert hashlib.sha256(report.content).hexdigest() == report.headers["x-report-sha256"]
    assert not any(secret in report.text for secret in SECRETS)
    exported = _events(world, "exported")
    assert exported[-1][0] == "reviewer"
    missing = world.get("viewer", "/incidents/no-such-incident/analysis")
    assert missing.status_code == 404


def test_search_finds_the_sarin_samples_with_facets(world: World) -> None:
    found = world.get("viewer", "/search", params={"q": "sarin", "case": CASE, "limit": 5})
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["total"] > 0 and len(body["hits"]) <= 5
    assert "kind" in body["facets"]
    photos = world.get("viewer", "/search", params={"q": "sarin", "kind": "photo"}).json()
    assert all(hit["kind"] == "photo" for hit in photos["hits"])
    assert world.get("viewer", "/search", params={"q": "Qorvash"}).json()["total"] == 0
    assert world.get("viewer", "/search", params={"q": "x", "limit": 0}).status_code == 400


def test_hypotheses_ratings_matrix_analysis_runs_and_review(world: World) -> None:
    path = f"/incidents/{INCIDENT}"
    shown = world.get("viewer", f"{path}/matrix")
    assert shown.status_code == 200, shown.text
    assert "H1" in [h["key"] for h in shown.json()["hypotheses"]]
    assert not any(row["protected"] for row in shown.json()["rows"])
    new = {"key": "H-api", "label": "A hypothesis put by the API", "description": "to test"}
    added = world.post("analyst", f"{path}/hypotheses", json=new)
    assert added.status_code == 201, added.text
    assert added.json()["key"] == "H-api" and not added.json()["is_other"]
    assert _events(world, "created")[-1][0] == "analyst"
    assert world.post("analyst", f"{path}/hypotheses", json=new).status_code == 409
    assert world.post("viewer", f"{path}/hypotheses", json=new).status_code == 403
    patch = world.client.patch
    headers = world.headers("analyst")
    unreasoned = patch(f"/api/v1{path}/hypotheses/H-api", headers=headers, json={"label": "x"})
    assert unreasoned.status_code == 400
    changed = patch(
        f"/api/v1{path}/hypotheses/H-api",
        headers=headers,
        json={"label": "A hypothesis renamed", "rationale": "clearer wording"},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["changed"] == {"label": "A hypothesis renamed"}
    assert changed.json()["was"] == {"label": "A hypothesis put by the API"}
    actor, details = _events(world, "updated")[-1]
    assert actor == "analyst" and "clearer wording" in details
    rating = {"hypothesis": "H1", "item": str(world.plain_item), "rating": "C"}
    rated = world.post("analyst", f"{path}/ratings", json={**rating, "rationale": "fits H1"})
    assert rated.status_code == 201, rated.text
    assert rated.json()["analyst"] == "analyst" and rated.json()["target_id"] == world.plain_item
    assert _events(world, "rated", world.plain_item)[-1][0] == "analyst"
    both = {**rating, "claim": world.claim, "rationale": "x"}
    assert world.post("analyst", f"{path}/ratings", json=both).status_code == 400
    assert world.post("analyst", f"{path}/ratings", json=rating).status_code == 400
    assert (
        world.post("viewer", f"{path}/ratings", json={**rating, "rationale": "x"}).status_code
        == 403
    )
    row = next(
        r
        for r in world.get("viewer", f"{path}/matrix").json()["rows"]
        if r["target"] == "item" and r["target_id"] == world.plain_item
    )
    assert row["cells"]["H1"]["analyst"] == "analyst" and row["cells"]["H1"]["rating"] == "C"
    run = world.post("reviewer", f"{path}/analysis")
    assert run.status_code == 201, run.text
    finding = run.json()["finding_id"]
    assert len(run.json()["inputs_hash"]) == 64 and run.json()["result"]["leading"]
    assert _events(world, "analysed")[-1][0] == "reviewer"
    assert world.post("viewer", f"{path}/analysis").status_code == 403
    latest = world.get("viewer", f"{path}/analysis/latest")
    assert latest.status_code == 200 and latest.json()["finding_id"] == finding
    assert not any(secret in latest.text for secret in SECRETS)
    said = world.post(
        "reviewer", f"/cases/{CASE}/comments", json={"subject": f"finding:{finding}", "body": "ok"}
    )
    assert said.status_code == 201, said.text
    assert said.json()["author"] == "reviewer" and said.json()["kind"] == "comment"
    bad = world.post("reviewer", f"/cases/{CASE}/comments", json={"subject": "x:1", "body": "?"})
    assert bad.status_code == 400
    listed = world.get(
        "viewer", f"/cases/{CASE}/comments", params={"subject": f"finding:{finding}"}
    )
    assert [c["id"] for c in listed.json()] == [said.json()["id"]]
    assert world.post("viewer", f"/cases/{CASE}/comments", json={"body": "hi"}).status_code == 403
    sign = {"finding_id": finding, "statement": "checked against the matrix"}
    assert world.post("analyst", f"{path}/sign-off", json=sign).status_code == 403
    signed = world.post("reviewer", f"{path}/sign-off", json=sign)
    assert signed.status_code == 201, signed.text
    assert signed.json()["kind"] == "sign-off" and signed.json()["subject"] == f"finding:{finding}"
    assert _events(world, "commented")[-1][0] == "reviewer"
    latest = world.get("viewer", f"{path}/analysis/latest").json()
    assert latest["standing"]["status"] == "current"
    assert [(s["finding_id"], s["status"]) for s in latest["sign_offs"]] == [(finding, "current")]
    world.post("analyst", f"{path}/analysis")
    assert world.post("reviewer", f"{path}/sign-off", json=sign).status_code == 409
