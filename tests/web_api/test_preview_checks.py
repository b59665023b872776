"""A video watched in a browser, and a hostile viewer asking for it in cheap parts: the server
checks the bytes once, not once per part, and writes one ``accessed`` event per viewing, not
one per part; yet a blob altered in the vault after it was checked — in place, with its times
put back, swapped for another file, or while it is being sent — is still never sent.

What the server reads is measured from the outside, by the kernel's count of the bytes this
process read (``rchar`` in ``/proc/self/io``), besides the core's own count of its checks."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from enquiry.app import Enquiry, accounts, content, evidence
from enquiry.errors import Corrupt
from enquiry.store.tables import CustodyEvent
from enquiry.web.app import create_app
from web_helpers import signed_in

PASSWORD = "correct horse battery"
CASE = "footage"
SIZE = 24 << 20
PARTS = 40


@dataclass
class Footage:
    home: Path
    admin: Enquiry
    app: Any
    item: int
    sha: str
    blob: Path


def _read_so_far() -> int:
    """How many bytes this process has read through the kernel, from files or pipes."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar")


def _settled(blob: Path) -> None:
    """Wait until the blob was last changed longer ago than a check can trust its times."""
    while time.time_ns() - blob.stat().st_ctime_ns < content.RACY_NS:
        time.sleep(0.1)


@pytest.fixture(scope="module")
def footage(tmp_path_factory: pytest.TempPathFactory) -> Footage:
    root = tmp_path_factory.mktemp("footage")
    admin = Enquiry.at(root / "home", "admin")
    data = root / "long-recording.bin"
    data.write_bytes(os.urandom(SIZE))
    evidence.add(admin, [data], case=CASE)
    (row,) = evidence.list_items(admin, case=CASE, limit=10).items
    sha = hashlib.sha256(data.read_bytes()).hexdigest()
    for name in ("watcher", "second"):
        accounts.add_user(admin, name, PASSWORD)
        accounts.grant(admin, name, CASE, "viewer")
    blob = root / "home" / "vault" / "sha256" / sha[:2] / sha[2:4] / sha
    assert blob.is_file()
    return Footage(root / "home", admin, create_app(root / "home"), row.id, sha, blob)


def _accesses(footage: Footage, actor: str) -> list[dict[str, Any]]:
    with footage.admin.store(create=False).session() as session:
        return [
            json.loads(e.details)
            for e in session.query(CustodyEvent)
            .filter(
                CustodyEvent.item_id == footage.item,
                CustodyEvent.action == "accessed",
                CustodyEvent.actor == actor,
            )
            .order_by(CustodyEvent.seq)
        ]


def _parts(browser: TestClient, footage: Footage, count: int) -> list[bytes]:
    got = []
    for n in range(count):
        first = (n * 997_003) % (SIZE - 4096)
        answer = browser.get(
            f"/items/{footage.item}/content", headers={"Range": f"bytes={first}-{first + 4095}"}
        )
        assert answer.status_code == 206, answer.text[:200]
        assert answer.headers["cache-control"] == "no-store"  # no shared cache keeps a part
        got.append(answer.content)
    return got


def test_parts_of_a_video_are_checked_once_and_recorded_once(footage: Footage) -> None:
    """Forty parts of a 24 MiB file: today's cost would be forty whole re-hashes (about a
    gigabyte read, twice over through a private copy) and forty ledger events."""
    _settled(footage.blob)
    content.VERIFIED.forget()
    browser = signed_in(footage.app, "watcher", PASSWORD)
    passes, read = content.VERIFIED.passes, _read_so_far()
    parts = _parts(browser, footage, PARTS)
    read = _read_so_far() - read
    whole = footage.blob.read_bytes()
    for n, part in enumerate(parts):
        first = (n * 997_003) % (SIZE - 4096)
        assert part == whole[first : first + 4096]
    assert content.VERIFIED.passes - passes == 1
    assert read < 3 * SIZE, f"read {read >> 20} MiB for {PARTS} parts of a {SIZE >> 20} MiB file"
    accesses = _accesses(footage, "watcher")
    assert [a.pop("identified_by")[:12] for a in accesses] == ["web session "]
    assert accesses == [{"content": True, "via": "web preview", "range": f"0-4095/{SIZE}"}]
    # another viewer's viewing is theirs, recorded under their name; the API's is its own
    other = signed_in(footage.app, "second", PASSWORD)
    _parts(other, footage, 3)
    assert len(_accesses(footage, "second")) == 1
    assert content.VERIFIED.passes - passes == 1


def test_a_viewing_is_recorded_again_once_its_window_has_passed(
    footage: Footage, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = signed_in(footage.app, "watcher", PASSWORD)
    # A viewing of its own first: the module's other tests, which also view as "watcher", may
    # have run in another test process, or longer than the window ago.
    _parts(browser, footage, 1)
    before = len(_accesses(footage, "watcher"))
    _parts(browser, footage, 2)
    assert len(_accesses(footage, "watcher")) == before  # within the window: covered
    monkeypatch.setattr(content, "PREVIEW_WINDOW", 0)
    _parts(browser, footage, 2)
    assert len(_accesses(footage, "watcher")) == before + 2


def _tamper(blob: Path, how: str) -> None:
    """Alter the blob in the vault as an intruder in the home might."""
    data = bytearray(blob.read_bytes())
    data[SIZE // 2] ^= 0xFF
    status = blob.stat()
    if how == "replaced":
        swapped = blob.with_name("swap")
        swapped.write_bytes(bytes(data))
        os.utime(swapped, ns=(status.st_atime_ns, status.st_mtime_ns))
        os.replace(swapped, blob)
        return
    blob.chmod(0o644)
    with blob.open("r+b") as out:
        out.seek(SIZE // 2)
        out.write(data[SIZE // 2 : SIZE // 2 + 1])
    blob.chmod(status.st_mode)
    if how == "times put back":
        os.utime(blob, ns=(status.st_atime_ns, status.st_mtime_ns))


def _restore(blob: Path, original: bytes) -> None:
    mode = blob.stat().st_mode
    blob.chmod(0o644)
    blob.write_bytes(original)
    blob.chmod(mode)
    content.VERIFIED.forget()


@pytest.mark.parametrize("how", ["in place", "times put back", "replaced"])
def test_a_blob_altered_after_its_check_is_refused(footage: Footage, how: str) -> None:
    """Checked and remembered, then altered in the vault: the next part asked for is refused,
    by the page and the API alike, and no byte of it is sent."""
    original = footage.blob.read_bytes()
    _settled(footage.blob)
    browser = signed_in(footage.app, "watcher", PASSWORD)
    _parts(browser, footage, 2)  # checked and remembered
    token = accounts.create_token(footage.admin, "watcher", f"t-{how}").token
    try:
        _tamper(footage.blob, how)
        for answer in (
            browser.get(f"/items/{footage.item}/content", headers={"Range": "bytes=0-99"}),
            browser.get(f"/items/{footage.item}/content"),
            TestClient(footage.app, base_url="https://testserver").get(
                f"/api/v1/items/{footage.item}/preview",
                headers={"Authorization": f"Bearer {token}", "Range": "bytes=0-99"},
            ),
        ):
            assert answer.status_code == 500, answer.status_code
            assert original[:100] not in answer.content
            assert "corrupt" in answer.text
    finally:
        _restore(footage.blob, original)


def test_a_blob_altered_while_it_is_sent_stops_the_sending(footage: Footage) -> None:
    """A change made after the check, while the bytes are being read out, stops the reading
    before any byte read after the change is handed on."""
    original = footage.blob.read_bytes()
    _settled(footage.blob)
    viewer = footage.admin.acting_as(
        accounts.authenticate_password(footage.admin, "watcher", PASSWORD)
    )
    shown = content.viewable(viewer, str(footage.item))
    pieces = shown.chunks(1 << 20)
    first = next(pieces)
    assert first == original[: 1 << 20]
    try:
        _tamper(footage.blob, "times put back")
        with pytest.raises(Corrupt, match="changed while it was being read"):
            for _piece in pieces:
                pass
    finally:
        _restore(footage.blob, original)
