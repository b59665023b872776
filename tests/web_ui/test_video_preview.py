"""In a real browser: a protected video is played as its confirmed redaction, labelled, and the
player seeks in it by byte ranges; the original's bytes never reach the page."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from enquiry.app.cases import DEMO_CASE

pytest.importorskip("playwright")

VIEWPORT = {"width": 1366, "height": 768}


def _clip(path: Path) -> Path:
    """A one-second H.264 MP4, 128×96, a light square moving over a dark ground."""
    import av
    import numpy as np

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 128, 96, "yuv420p"
        for index in range(10):
            frame = np.full((96, 128, 3), 40, dtype=np.uint8)
            frame[30:70, 8 * index : 8 * index + 40] = 220
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.fixture(scope="module")
def protected_clip(site: Any) -> tuple[int, int, str, str]:
    """A protected video added to the demonstration case, redacted and confirmed by the
    administrator: its number, its redaction's, and both hashes."""
    from enquiry.app import Enquiry, evidence, redaction

    admin = Enquiry.at(site.home, "admin")
    evidence.add(admin, [_clip(site.files / "witness-clip.mp4")], case=DEMO_CASE, protected=True)
    item = max(r.id for r in evidence.list_items(admin, case=DEMO_CASE, limit=1000).items)
    made = redaction.redact(admin, str(item), faces=True, regions=["0,0,64,48"])
    redaction.confirm(admin, str(made.item_id))
    original = evidence.show_item(admin, str(item)).sha256
    assert original is not None
    return item, made.item_id, original, made.sha256


def test_a_protected_video_plays_as_its_labelled_confirmed_redaction(
    browser: Any, site: Any, protected_clip: tuple[int, int, str, str]
) -> None:
    item, shown, original, redacted = protected_clip
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    answers: list[Any] = []
    page.on("response", lambda r: answers.append(r) if f"/items/{item}/content" in r.url else None)
    try:
        page.goto(site.url + "/")
        page.get_by_label("Name").fill("owner")
        page.get_by_label("Password").fill(site.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(site.url + "/")
        page.goto(f"{site.url}/items/{item}")
        video = page.get_by_label(re.compile(f"Confirmed redaction of item {item}"))
        video.wait_for()
        caption = page.locator("figure.redacted figcaption").inner_text()
        assert f"This is item {shown}, the confirmed redaction of item {item}" in caption
        assert re.search(r"confirmed by admin on \d{4}-\d\d-\d\d \d\d:\d\d UTC", caption)
        assert "its original is not shown" in caption
        # the player reads the redaction, then seeks in it (by byte ranges)
        page.wait_for_function("document.querySelector('figure video').readyState >= 1")
        size = page.evaluate(
            "[document.querySelector('figure video').videoWidth,"
            " document.querySelector('figure video').duration]"
        )
        assert size[0] == 128 and size[1] > 0.5, size
        page.evaluate(
            "() => new Promise(done => { const v = document.querySelector('figure video');"
            " v.addEventListener('seeked', done, {once: true}); v.currentTime = 0.6; })"
        )
        assert page.evaluate("document.querySelector('figure video').error") is None
        assert answers and all(a.status in (200, 206) for a in answers)
        assert all(a.headers["x-enquiry-item"] == str(shown) for a in answers)
        assert all(a.headers["content-type"] == "video/mp4" for a in answers)
        # what the page's address sends is the redaction, never the original
        whole = page.request.get(f"{site.url}/items/{item}/content").body()
        assert hashlib.sha256(whole).hexdigest() == redacted != original
        part = page.request.get(f"{site.url}/items/{item}/content", headers={"Range": "bytes=0-99"})
        assert part.status == 206 and part.body() == whole[:100]
        site.screenshot(page, "item-video")
    finally:
        context.close()
