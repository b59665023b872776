"""Markup planted by a user with few rights — in an uploaded file's name, a hypothesis's label
and description, a rating's rationale, a comment, a search — is shown as text on every page
that shows it, to every other user, never run as markup of this server."""

from __future__ import annotations

import re

from api_world import CASE, INCIDENT, PASSWORD, World

from web_helpers import signed_in

PAYLOAD = "\"'><script>alert(1)</script><img src=x onerror=alert(2)><a href=javascript:alert(3)>"
RAW = ("<script>alert(1)", "<img src=x", "<a href=javascript:")


def _clean(text: str, where: str) -> None:
    for raw in RAW:
        assert raw not in text, (where, raw)


def test_planted_markup_is_text_everywhere(sqlite_world: World) -> None:
    world = sqlite_world
    uploaded = world.post(
        "investigator",
        f"/cases/{CASE}/items",
        files=[("files", (f"{PAYLOAD}.txt", b"planted markup " + PAYLOAD.encode()))],
    )
    assert uploaded.status_code == 200, uploaded.text
    item = uploaded.json()["files"][0]["item_id"]
    added = world.post(
        "analyst",
        f"/incidents/{INCIDENT}/hypotheses",
        json={"key": "H9", "label": PAYLOAD, "description": PAYLOAD},
    )
    assert added.status_code == 201, added.text
    rated = world.post(
        "analyst",
        f"/incidents/{INCIDENT}/ratings",
        json={"hypothesis": "H9", "item": str(item), "rating": "C", "rationale": PAYLOAD},
    )
    assert rated.status_code in (200, 201), rated.text
    analyst = signed_in(world.client.app, "analyst", PASSWORD)
    page = analyst.get(f"/incidents/{INCIDENT}/analysis")
    action = re.search(r'action="(/incidents/[^"]+/comment)"', page.text)
    csrf = re.search(r'name="csrf" value="([^"]*)"', page.text)
    assert action is not None and csrf is not None
    commented = analyst.post(
        action.group(1), data={"body": PAYLOAD, "csrf": csrf.group(1)}, follow_redirects=False
    )
    assert commented.status_code == 303, commented.text[:300]
    viewer = signed_in(world.client.app, "owner", PASSWORD)
    for path in (
        f"/cases/{CASE}",
        f"/cases/{CASE}/items?q=planted",
        f"/cases/{CASE}/items?q={PAYLOAD}",
        f"/items/{item}",
        f"/incidents/{INCIDENT}/matrix",
        f"/incidents/{INCIDENT}/analysis",
        f"/cases/{CASE}/claims",
        f"/login?next={PAYLOAD}",
    ):
        answer = viewer.get(path)
        assert answer.status_code in (200, 400), (path, answer.status_code)  # 400: bad query
        _clean(answer.text, path)
        assert answer.headers["content-type"].startswith("text/html")
        assert "script-src 'self'" in answer.headers["content-security-policy"]
    # the payload did reach the pages, as text
    assert "&lt;script&gt;alert(1)" in viewer.get(f"/incidents/{INCIDENT}/matrix").text
