"""Previews of protected and sensitive videos and photos through the web app, with the real
redactor: a confirmed redaction is shown in the original's place, labelled (which item, who
confirmed it, when), never the original; an unconfirmed one never; a user with the right to
reveal gets the original only by the recorded reveal. Then the content paths as a hostile user
tries them: byte ranges (as a video player seeks, and malformed or huge), HEAD, other cases'
items, uploaded markup."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from enquiry.app import Enquiry, accounts, evidence, redaction
from enquiry.enrich.media import samples
from enquiry.store.tables import CustodyEvent, Item
from enquiry.web.app import create_app
from web_helpers import signed_in

PASSWORD = "correct horse battery"
CASE = "clips"
OTHER = "other-clips"


@dataclass
class Clips:
    home: Path
    admin: Enquiry
    app: Any
    ids: dict[str, int]
    shas: dict[str, str]
    tokens: dict[str, str]


def _video(path: Path, shade: int, frames: int = 8) -> Path:
    """A tiny H.264 MP4 (96×64, 8 frames) with a face-sized patch of the astronaut in it."""
    face = np.asarray(Image.fromarray(samples.photo("astronaut")[40:200, 150:310]).resize((40, 40)))
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 96, 64, "yuv420p"
        for index in range(frames):
            canvas = np.full((64, 96, 3), shade, dtype=np.uint8)
            canvas[10:50, 4 + 3 * index : 44 + 3 * index] = face
            for packet in stream.encode(av.VideoFrame.from_ndarray(canvas, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def _newest(admin: Enquiry) -> int:
    return max(r.id for r in evidence.list_items(admin, limit=1000).items)


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Clips:
    root = tmp_path_factory.mktemp("clips")
    admin = Enquiry.at(root / "home", "admin")
    files = root / "files"
    files.mkdir()
    ids: dict[str, int] = {}

    def add(name: str, path: Path, *, protected: bool = False, case: str = CASE) -> int:
        evidence.add(admin, [path], case=case, protected=protected)
        ids[name] = _newest(admin)
        return ids[name]

    def redact(name: str, *, confirm: bool) -> None:
        made = redaction.redact(admin, str(ids[name]), faces=True)
        ids[f"{name}_redaction"] = made.item_id
        if confirm:
            redaction.confirm(admin, str(made.item_id))

    # a protected video with a confirmed redaction, and an older unconfirmed one beside it
    add("protected_video", _video(files / "witness.mp4", 30), protected=True)
    redact("protected_video", confirm=True)
    # a video nobody protected that somebody began to redact (sensitive): not confirmed
    add("sensitive_video", _video(files / "street.mp4", 90))
    redact("sensitive_video", confirm=False)
    # a sensitive video whose redaction was confirmed: what a viewer may see of it
    add("confirmed_video", _video(files / "market.mp4", 150))
    redact("confirmed_video", confirm=True)
    # a protected video nobody redacted, and a protected photo with a confirmed redaction
    add("bare_video", _video(files / "bare.mp4", 200), protected=True)
    photo = files / "survivor.jpg"
    Image.fromarray(samples.photo("astronaut")).save(photo, quality=90)
    add("protected_photo", photo, protected=True)
    redact("protected_photo", confirm=True)
    # a plain video, nobody in it: previewed as it is
    add("plain_video", _video(files / "sky.mp4", 240))
    # an item of another case
    note = files / "other.txt"
    note.write_text("A note of another inquiry.\n", encoding="utf-8")
    add("other", note, case=OTHER)

    shas: dict[str, str] = {}
    with admin.store(create=False).session() as session:
        for name, item_id in ids.items():
            found = session.get(Item, item_id)
            assert found is not None and found.sha256 is not None
            shas[name] = found.sha256
    tokens: dict[str, str] = {}
    for name, role, see in (
        ("viewer", "viewer", False),
        ("investigator", "investigator", False),
        ("revealer", "analyst", True),
    ):
        accounts.add_user(admin, name, PASSWORD)
        accounts.grant(admin, name, CASE, role, see_protected=see)
        tokens[name] = accounts.create_token(admin, name, "t").token
    accounts.add_user(admin, "outsider", PASSWORD)
    accounts.grant(admin, "outsider", OTHER, "owner", see_protected=True)
    tokens["outsider"] = accounts.create_token(admin, "outsider", "t").token
    return Clips(root / "home", admin, create_app(root / "home"), ids, shas, tokens)


def _browser(clips: Clips, name: str) -> TestClient:
    return signed_in(clips.app, name, PASSWORD)


def _api(clips: Clips, name: str, path: str, **headers: str) -> Any:
    client = TestClient(clips.app, base_url="https://testserver")
    return client.get(
        f"/api/v1{path}", headers={"Authorization": f"Bearer {clips.tokens[name]}", **headers}
    )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_redaction_altered_in_the_vault_is_not_sent(clips: Clips) -> None:
    """The redaction's bytes are hashed again before any of them leave: altered in the vault
    (a tampered home), neither the page's preview, a part of it, nor the API's preview sends
    them."""
    ids, shas = clips.ids, clips.shas
    blob = clips.home / "vault" / "sha256" / shas["confirmed_video_redaction"][:2]
    blob = blob / shas["confirmed_video_redaction"][2:4] / shas["confirmed_video_redaction"]
    original, mode = blob.read_bytes(), blob.stat().st_mode
    video = ids["confirmed_video"]
    try:
        blob.chmod(0o644)
        blob.write_bytes(original[:-64] + bytes(64))
        browser = _browser(clips, "viewer")
        for headers in ({}, {"Range": "bytes=0-99"}):
            answer = browser.get(f"/items/{video}/content", headers=headers)
            assert answer.status_code >= 400 and original[:100] not in answer.content
        api = TestClient(clips.app, base_url="https://testserver").get(
            f"/api/v1/items/{video}/preview",
            headers={"Authorization": f"Bearer {clips.tokens['viewer']}"},
        )
        assert api.status_code >= 400 and original[:100] not in api.content
    finally:
        blob.write_bytes(original)
        blob.chmod(mode)


def _accesses(clips: Clips, item_id: int) -> list[tuple[str, dict[str, Any]]]:
    with clips.admin.store(create=False).session() as session:
        return [
            (e.actor, json.loads(e.details))
            for e in session.query(CustodyEvent)
            .filter(CustodyEvent.item_id == item_id, CustodyEvent.action == "accessed")
            .order_by(CustodyEvent.seq)
        ]


def _confirmed_at(clips: Clips, item_id: int) -> str:
    with clips.admin.store(create=False).session() as session:
        event = (
            session.query(CustodyEvent)
            .filter(CustodyEvent.item_id == item_id, CustodyEvent.action == "confirmed")
            .one()
        )
        return str(event.at)


# --- a confirmed redaction in place of the original -----------------------------------------


def test_a_protected_video_is_previewed_as_its_confirmed_redaction(clips: Clips) -> None:
    ids, shas = clips.ids, clips.shas
    browser = _browser(clips, "investigator")
    video, shown = ids["protected_video"], ids["protected_video_redaction"]
    page = browser.get(f"/items/{video}")
    assert page.status_code == 200
    assert f'<video src="/items/{video}/content"' in page.text
    # labelled: which item is shown, of which, confirmed by whom and when
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page.text))
    assert f"This is item {shown}, the confirmed redaction of item {video}" in text
    when = _confirmed_at(clips, shown)[:16].replace("T", " ")
    assert f"confirmed by admin on {when} UTC" in text
    assert "its original is not shown" in text
    answer = browser.get(f"/items/{video}/content")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "video/mp4"
    assert answer.headers["content-disposition"] == "inline"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["accept-ranges"] == "bytes"
    assert answer.headers["x-enquiry-item"] == str(shown)
    assert answer.headers["x-enquiry-redacted"] == "confirmed redaction"
    assert _sha(answer.content) == shas["protected_video_redaction"] != shas["protected_video"]
    actor, details = _accesses(clips, video)[-1]
    assert actor == "investigator" and details["redaction"] == shown


def test_a_protected_photo_is_labelled_with_its_redaction(clips: Clips) -> None:
    browser = _browser(clips, "investigator")
    photo, shown = clips.ids["protected_photo"], clips.ids["protected_photo_redaction"]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", browser.get(f"/items/{photo}").text))
    assert f"This is item {shown}, the confirmed redaction of item {photo}" in text
    assert "confirmed by admin on" in text
    answer = browser.get(f"/items/{photo}/content")
    assert _sha(answer.content) == clips.shas["protected_photo_redaction"]


def test_a_viewer_sees_a_sensitive_video_only_as_its_confirmed_redaction(clips: Clips) -> None:
    ids, shas = clips.ids, clips.shas
    browser = _browser(clips, "viewer")
    video = ids["confirmed_video"]
    page = browser.get(f"/items/{video}")
    assert f'<video src="/items/{video}/content"' in page.text
    assert "shares its pictures with protected or sensitive evidence" in page.text
    answer = browser.get(f"/items/{video}/content")
    assert answer.status_code == 200 and answer.headers["content-type"] == "video/mp4"
    assert _sha(answer.content) == shas["confirmed_video_redaction"] != shas["confirmed_video"]
    # the protected video does not exist for a viewer: its page, bytes and headers alike
    for path in (f"/items/{ids['protected_video']}", f"/items/{ids['protected_video']}/content"):
        assert browser.get(path).status_code == 404
        assert browser.head(path).status_code in (404, 405)
    assert browser.head(f"/items/{ids['protected_video']}/content").status_code == 404


@pytest.mark.parametrize("user", ["viewer", "investigator", "revealer"])
def test_an_unconfirmed_redaction_is_never_shown(clips: Clips, user: str) -> None:
    ids, shas = clips.ids, clips.shas
    browser = _browser(clips, user)
    video, pending = ids["sensitive_video"], ids["sensitive_video_redaction"]
    for item in (video, pending):
        page = browser.get(f"/items/{item}")
        assert page.status_code == 200
        assert f'src="/items/{item}/content"' not in page.text
        assert "the confirmed redaction of item" not in page.text and "<figure" not in page.text
        for answer in (
            browser.get(f"/items/{item}/content"),
            _api(clips, user, f"/items/{item}/preview"),
        ):
            assert answer.status_code == 409
            assert _sha(answer.content) not in (
                shas["sensitive_video"],
                shas["sensitive_video_redaction"],
            )
        described = _api(clips, user, f"/items/{item}").json()["preview"]
        assert described["shown_item"] is None and described["redacted"] is False
    if user != "viewer":
        page = browser.get(f"/items/{video}").text
        assert f"item {pending} awaits confirmation" in page
    # a protected video nobody redacted is shown to nobody
    if user != "viewer":
        bare = ids["bare_video"]
        assert browser.get(f"/items/{bare}/content").status_code == 409
        assert f'src="/items/{bare}/content"' not in browser.get(f"/items/{bare}").text


def test_the_api_describes_and_sends_the_redaction(clips: Clips) -> None:
    ids, shas = clips.ids, clips.shas
    video, shown = ids["protected_video"], ids["protected_video_redaction"]
    described = _api(clips, "investigator", f"/items/{video}").json()["preview"]
    assert described == {
        "item": video,
        "shown_item": shown,
        "redacted": True,
        "media_type": "video/mp4",
        "confirmed_by": "admin",
        "confirmed_at": _confirmed_at(clips, shown),
        "withheld": None,
    }
    answer = _api(clips, "investigator", f"/items/{video}/preview")
    assert answer.status_code == 200 and answer.headers["x-enquiry-item"] == str(shown)
    assert _sha(answer.content) == shas["protected_video_redaction"]
    actor, details = _accesses(clips, video)[-1]
    assert details.pop("identified_by").startswith("API token enq_")
    assert actor == "investigator" and details == {
        "content": True,
        "via": "api preview",
        "redaction": shown,
    }
    # the original stays where it was: a reveal, with the right
    assert _api(clips, "investigator", f"/items/{video}/original").status_code == 409


def test_one_who_may_reveal_sees_the_redaction_and_reveals_on_record(clips: Clips) -> None:
    ids, shas = clips.ids, clips.shas
    video = ids["protected_video"]
    revealer = _browser(clips, "revealer")
    page = revealer.get(f"/items/{video}").text
    assert f'<video src="/items/{video}/content"' in page
    link = f"/api/v1/items/{video}/original?reveal=true"
    assert link in page
    shown = revealer.get(f"/items/{video}/content")
    assert _sha(shown.content) == shas["protected_video_redaction"]  # a preview never reveals
    original = revealer.get(link)
    assert original.status_code == 200 and _sha(original.content) == shas["protected_video"]
    assert original.headers["content-disposition"].startswith("attachment")
    with clips.admin.store(create=False).session() as session:
        revealed = (
            session.query(CustodyEvent)
            .filter(CustodyEvent.item_id == video, CustodyEvent.action == "revealed")
            .all()
        )
    assert [e.actor for e in revealed] == ["revealer"]
    # without the right: no link, and the address refuses
    investigator = _browser(clips, "investigator")
    assert link not in investigator.get(f"/items/{video}").text
    assert investigator.get(link).status_code == 403


# --- byte ranges, as a video player asks for them --------------------------------------------


def _ranged(browser: TestClient, item: int, value: str, **more: str) -> Any:
    return browser.get(f"/items/{item}/content", headers={"Range": value, **more})


def _fresh_viewer(clips: Clips, name: str) -> TestClient:
    """A viewer of the case who has previewed nothing yet, signed in."""
    accounts.add_user(clips.admin, name, PASSWORD)
    accounts.grant(clips.admin, name, CASE, "viewer")
    return _browser(clips, name)


def test_a_player_may_ask_for_parts_and_one_viewing_is_recorded(clips: Clips) -> None:
    """Every part a player asks for is answered; the viewing is one ``accessed`` event (the
    part that opened it named), not one per part."""
    browser = _fresh_viewer(clips, "player")
    item = clips.ids["plain_video"]
    opening = _ranged(browser, item, "bytes=0-1")
    assert opening.status_code == 206
    whole = browser.get(f"/items/{item}/content").content
    size = len(whole)
    assert _sha(whole) == clips.shas["plain_video"]
    cases = {
        "bytes=0-99": (0, 99),
        "bytes=100-": (100, size - 1),
        "bytes=-10": (size - 10, size - 1),
        "bytes=5-99999999999999999999999999": (5, size - 1),  # cut to the end
        "BYTES = 7 - 8": (7, 8),
        "bytes=0-": (0, size - 1),
    }
    for value, (first, last) in cases.items():
        answer = _ranged(browser, item, value)
        assert answer.status_code == 206, value
        assert answer.headers["content-range"] == f"bytes {first}-{last}/{size}", value
        assert answer.headers["content-length"] == str(last - first + 1)
        assert answer.content == whole[first : last + 1], value
        assert answer.headers["content-type"] == "video/mp4"
        assert answer.headers["x-content-type-options"] == "nosniff"
    mine = [details for actor, details in _accesses(clips, item) if actor == "player"]
    assert [d.pop("identified_by")[:12] for d in mine] == ["web session "]
    assert mine == [{"content": True, "via": "web preview", "range": f"0-1/{size}"}]


def test_a_part_of_a_protected_video_is_a_part_of_its_redaction(clips: Clips) -> None:
    browser = _browser(clips, "investigator")
    item = clips.ids["protected_video"]
    redacted = browser.get(f"/items/{item}/content").content
    answer = _ranged(browser, item, "bytes=0-63")
    assert answer.status_code == 206 and answer.content == redacted[:64]
    assert answer.headers["x-enquiry-redacted"] == "confirmed redaction"
    tail = _ranged(browser, item, "bytes=-64")
    assert tail.content == redacted[-64:]


@pytest.mark.parametrize(
    "value",
    [
        "bytes=abc",
        "bytes=9-3",  # last before first: invalid, ignored
        "bytes=-",
        "items=0-9",
        "bytes=0-1,4-5",  # several parts: the whole file instead
        "bytes=\u0660-\u0661",  # digits, but not ASCII ones
        "bytes=0-9" + " " * 300,
        "bytes=" + "9" * 5000 + "-",  # longer than any number a file could need
    ],
)
def test_a_malformed_range_gets_the_whole_file(clips: Clips, value: str) -> None:
    browser = _browser(clips, "viewer")
    item = clips.ids["plain_video"]
    answer = browser.get(f"/items/{item}/content", headers={"Range": value.encode("utf-8")})  # type: ignore[dict-item]
    assert answer.status_code == 200, value
    assert _sha(answer.content) == clips.shas["plain_video"]
    assert "content-range" not in answer.headers


def test_if_range_gets_the_whole_file(clips: Clips) -> None:
    """No validator is sent, so no ``If-Range`` can match: the whole file, as HTTP says."""
    browser = _browser(clips, "viewer")
    item = clips.ids["plain_video"]
    answer = _ranged(browser, item, "bytes=0-9", **{"If-Range": '"anything"'})
    assert answer.status_code == 200 and _sha(answer.content) == clips.shas["plain_video"]


@pytest.mark.parametrize("value", ["bytes=99999999-", "bytes=-0", "bytes=99999999-99999999"])
def test_a_range_beyond_the_end_is_416_and_nothing_is_recorded(clips: Clips, value: str) -> None:
    browser = _fresh_viewer(clips, f"seeker-{_sha(value.encode())[:8]}")
    item = clips.ids["plain_video"]
    before = len(_accesses(clips, item))
    answer = _ranged(browser, item, value)
    assert answer.status_code == 416
    assert len(_accesses(clips, item)) == before  # nothing sent, nothing recorded
    size = len(browser.get(f"/items/{item}/content").content)
    assert answer.headers["content-range"] == f"bytes */{size}"
    assert answer.content == b""
    assert len(_accesses(clips, item)) == before + 1  # the whole read after it
    api = _api(clips, "viewer", f"/items/{item}/preview", Range=value)
    assert api.status_code == 416
    assert api.headers["content-type"] == "application/problem+json"
    assert api.headers["content-range"] == f"bytes */{size}"


def test_a_range_does_not_open_what_the_user_may_not_see(clips: Clips) -> None:
    """Access is decided before the range: an item of another case, or a protected one to a
    viewer, is *not found* whatever the range, never 416 or 206 (which would tell its size)."""
    ids = clips.ids
    viewer = _browser(clips, "viewer")
    for item in (ids["other"], ids["protected_video"], ids["protected_video_redaction"]):
        for value in ("bytes=0-0", "bytes=99999999-", "bytes=abc"):
            assert _ranged(viewer, item, value).status_code == 404
            assert _api(clips, "viewer", f"/items/{item}/preview", Range=value).status_code == 404
    outsider = _browser(clips, "outsider")
    for item in (ids["plain_video"], ids["protected_video"], ids["confirmed_video"]):
        assert _ranged(outsider, item, "bytes=0-0").status_code == 404
        assert outsider.head(f"/items/{item}/content").status_code == 404
    # an unconfirmed redaction is not sent in parts either
    investigator = _browser(clips, "investigator")
    pending = ids["sensitive_video_redaction"]
    assert _ranged(investigator, pending, "bytes=0-99").status_code == 409


# --- HEAD ------------------------------------------------------------------------------------


def test_head_says_what_a_get_would_send_without_sending_or_recording(clips: Clips) -> None:
    ids = clips.ids
    browser = _browser(clips, "investigator")
    item = ids["protected_video"]
    got = browser.get(f"/items/{item}/content")
    before = len(_accesses(clips, item))
    answer = browser.head(f"/items/{item}/content")
    assert answer.status_code == 200 and answer.content == b""
    for name in (
        "content-type",
        "content-length",
        "content-disposition",
        "content-security-policy",
        "accept-ranges",
        "x-enquiry-item",
        "x-enquiry-redacted",
        "x-content-type-options",
    ):
        assert answer.headers[name] == got.headers[name], name
    assert len(_accesses(clips, item)) == before  # no bytes left, nothing to record
    # refused as a GET is refused
    assert browser.head(f"/items/{ids['sensitive_video']}/content").status_code == 409
    assert browser.head(f"/items/{ids['other']}/content").status_code == 404
    nobody = TestClient(clips.app, base_url="https://testserver")
    assert nobody.head(f"/items/{item}/content", follow_redirects=False).status_code == 303


# --- what an upload may do in the browser ---------------------------------------------------

MARKUP = {
    "page.html": b"<!doctype html><script>fetch('/api/v1/cases')</script>",
    "drawing.svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(1)</script></svg>",
    "feed.xml": b'<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="#"?><rss></rss>',
}


@pytest.mark.parametrize("name", sorted(MARKUP))
def test_uploaded_markup_is_an_untyped_download(clips: Clips, name: str) -> None:
    """Markup is handed over as ``application/octet-stream``, an attachment with a plain name,
    sandboxed and ``nosniff``: a browser neither renders it in this origin nor lets a page load
    it as script or style."""
    upload = TestClient(clips.app, base_url="https://testserver").post(
        f"/api/v1/cases/{CASE}/items",
        headers={"Authorization": f"Bearer {clips.tokens['investigator']}"},
        files=[("files", (name, MARKUP[name] + name.encode()))],
    )
    assert upload.status_code == 200, upload.text
    item = upload.json()["files"][0]["item_id"]
    browser = _browser(clips, "viewer")
    for answer in (
        browser.get(f"/items/{item}/content"),
        browser.head(f"/items/{item}/content"),
        _api(clips, "viewer", f"/items/{item}/preview"),
    ):
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/octet-stream"
        assert answer.headers["content-disposition"] == (
            f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
        )
        assert answer.headers["content-security-policy"].startswith("sandbox")
        assert answer.headers["x-content-type-options"] == "nosniff"
