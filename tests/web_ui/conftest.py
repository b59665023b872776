"""A real server over a demonstration home, and Debian's chromium driven by Playwright.

The home is loaded once per session (the built-in Khan Shaykhun case, its survivor photograph
redacted and confirmed, plus a second case), with four accounts: ``owner`` holds the Khan
Shaykhun case, ``reviewer`` and ``viewer`` hold those roles on it, ``outsider`` is a viewer of
the other case only. The server is uvicorn on a free
loopback port in a thread of this process; the browser is the system's chromium (Playwright's
own browser download is not used).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "a long demo password"
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@dataclass(frozen=True)
class Site:
    """The running server: its address, its home, a folder for files to upload, and the
    password of its accounts."""

    url: str
    home: Path
    files: Path
    password: str = PASSWORD

    def screenshot(self, page: Any, name: str) -> None:
        """Take a picture of the page: into docs/screenshots when ENQUIRY_SCREENSHOTS=docs
        (to refresh docs/web.md's pictures), else beside the test's files, so that a test run
        leaves the working tree as it found it."""
        folder = (
            DOCS_SCREENSHOTS
            if os.environ.get("ENQUIRY_SCREENSHOTS") == "docs"
            else self.files.parent / "screenshots"
        )
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=False)
        assert (folder / f"{name}.png").stat().st_size > 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, _protection_key: Path) -> Iterator[Site]:
    """The demonstration home served on 127.0.0.1 for the whole session."""
    pytest.importorskip("playwright")
    import uvicorn

    from enquiry.app import Enquiry, accounts, cases, evidence
    from enquiry.web import create_app

    root = tmp_path_factory.mktemp("web-ui")
    admin = Enquiry.at(root / "home", "admin")
    cases.load(admin, cases.demo_case_file())
    cases.redact_demo_photographs(admin)
    other = root / "other"
    other.mkdir()
    (other / "memo.txt").write_text("A memo of another inquiry, about grain prices.\n")
    evidence.add(admin, [other / "memo.txt"], case="other-inquiry")
    accounts.add_user(admin, "owner", PASSWORD)
    accounts.grant(admin, "owner", cases.DEMO_CASE, "owner")
    for name in ("reviewer", "viewer"):
        accounts.add_user(admin, name, PASSWORD)
        accounts.grant(admin, name, cases.DEMO_CASE, name)
    accounts.add_user(admin, "outsider", PASSWORD)
    accounts.grant(admin, "outsider", "other-inquiry", "viewer")
    files = root / "uploads"
    files.mkdir()
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(admin.home), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    try:
        yield Site(f"http://127.0.0.1:{port}", admin.home, files)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless."""
    if shutil.which("chromium") is None and not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (make browser-tools installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            launched.close()
