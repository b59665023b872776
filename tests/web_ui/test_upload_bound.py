"""The upload form against a server that takes at most 8 KiB in one upload, in a real browser:
files over the bound are not sent at all (the page says why), a body the server refuses anyway
is reported in the server's words, and nothing of either is stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from enquiry.app import Enquiry, accounts, evidence
from enquiry.web.app import create_app
from web_helpers import serving

pytest.importorskip("playwright")

PASSWORD = "a long demo password"
CASE = "bounded"
BOUND = 8 << 10


@pytest.fixture(scope="module")
def bounded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Enquiry]]:
    root = tmp_path_factory.mktemp("bounded-ui")
    admin = Enquiry.at(root / "home", "admin")
    (root / "seed.txt").write_text("A seed note.\n", encoding="utf-8")
    evidence.add(admin, [root / "seed.txt"], case=CASE)
    accounts.add_user(admin, "ivy", PASSWORD)
    accounts.grant(admin, "ivy", CASE, "investigator")
    with serving(create_app(admin.home, upload_max=BOUND)) as url:
        yield url, root, admin


def test_the_upload_form_keeps_to_the_server_s_bound(
    browser: Any, bounded: tuple[str, Path, Enquiry]
) -> None:
    url, root, admin = bounded
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(f"{url}/cases/{CASE}/items")
    page.get_by_label("Name").fill("ivy")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/cases/{CASE}/items")
    assert page.get_by_text("At most 8 KiB in one upload.").is_visible()
    posts.clear()
    status = page.locator("#upload-status")
    big = root / "big.bin"
    big.write_bytes(b"x" * (20 << 10))
    page.get_by_label("Files (choose one or many)").set_input_files(str(big))
    page.get_by_role("button", name="Upload").click()
    status.get_by_text(
        "These files come to 20 KiB; one upload takes at most 8 KiB: send them in several uploads."
    ).wait_for()
    assert posts == [], "nothing is sent"
    # within the bound by the files' size, over it with the form around them: the server says no
    edge = root / "edge.bin"
    edge.write_bytes(b"y" * (BOUND - 100))
    page.get_by_label("Files (choose one or many)").set_input_files(str(edge))
    page.get_by_role("button", name="Upload").click()
    status.get_by_text(
        "Upload failed: an upload has at most 8 KiB in one request: send the files in several"
    ).wait_for()
    assert evidence.list_items(admin, case=CASE).total == 1
    small = root / "small.txt"
    small.write_text("A small note, well within the bound.\n", encoding="utf-8")
    page.get_by_label("Files (choose one or many)").set_input_files(str(small))
    page.get_by_role("button", name="Upload").click()
    status.get_by_text("1 stored").wait_for()
    assert evidence.list_items(admin, case=CASE).total == 2
    context.close()
