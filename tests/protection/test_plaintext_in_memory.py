"""A protected original decrypted for use — redacted, previewed, read into a report — is
decrypted into memory, never into a file of the home's disk: a file deleted from a disk stays
in its free blocks, readable by whoever seizes the laptop, which is exactly what encrypting
the original at rest was for. Nor does the redaction of a protected photo, which may still
show a face until someone confirms it, pass through the home's disk on its way into the vault.

Every file the process opens for writing while it works is recorded (Python's audit hook on
``open``), on a real home with the real redactor."""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from enquiry.app import (
    Enquiry,
    accounts,
    bundles,
    cases,
    evidence,
    incoming,
    publishing,
    redaction,
)
from enquiry.app.atrest import original_file
from enquiry.app.bundles import export_bundle
from enquiry.app.content import open_original
from enquiry.enrich.media import samples
from enquiry.store import vault as vault_module
from enquiry.store.tables import Item
from enquiry.web.app import create_app
from small_case import one_incident_case

INCIDENT = "mem-2021"
CASE = one_incident_case("mem", "Memory", INCIDENT)

WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_WATCHING: list[list[str]] = []  # the list of the watch under way, if any


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event != "open" or not _WATCHING:
        return
    path, mode, flags = args
    if isinstance(path, int):  # an open descriptor wrapped: nothing new on any disk
        return
    writes = any(c in str(mode) for c in "wax+") if mode else bool(int(flags or 0) & WRITING)
    if writes:
        _WATCHING[-1].append(os.fsdecode(path))


sys.addaudithook(_audit)  # hooks cannot be removed; this one records only inside `_written`


class _Written:
    def __init__(self) -> None:
        self.paths: list[str] = []

    def __enter__(self) -> _Written:
        _WATCHING.append(self.paths)
        return self

    def __exit__(self, *exc: object) -> None:
        _WATCHING.remove(self.paths)


def _under_home_not_ciphertext(paths: list[str], home: Path) -> list[str]:
    """What was written inside the home that is not the catalogue's, the ledger's, the home's
    own binding (``home.json``, written beside and renamed) or a ciphertext's file (a ciphertext is written to ``vault/tmp/*.part``, then renamed into
    ``vault/blake3``): where a plaintext could have gone."""
    inside = []
    for raw in paths:
        path = Path(os.path.abspath(raw))
        try:
            relative = path.relative_to(home.resolve())
        except ValueError:
            try:
                relative = path.relative_to(home)
            except ValueError:
                continue
        parts = relative.parts
        if parts[:2] == ("vault", "blake3"):
            continue
        if parts[:2] == ("vault", "tmp") and path.name.endswith(".part"):
            continue
        if len(parts) == 1 and (
            path.name.startswith(("catalogue.sqlite", ".ledger", "ledger", ".home.json"))
            or path.name.endswith(".lock")
        ):
            continue
        inside.append(str(relative))
    return inside


@pytest.fixture
def protected_photo(tmp_path: Path, backend: str) -> Iterator[tuple[Enquiry, Path, int]]:
    home = tmp_path / "home"
    admin = Enquiry.at(home, "admin")
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    cases.load(admin, tmp_path / "case.yaml")
    path = tmp_path / "witness-photo.jpg"
    Image.fromarray(np.ascontiguousarray(samples.photo("astronaut"))).save(path, quality=92)
    evidence.add(admin, [path], case="mem", kind="photo", protected=True)
    item_id = max(r.id for r in evidence.list_items(admin, limit=100).items)
    yield admin, home, item_id


def _item(admin: Enquiry, item_id: int) -> Item:
    store = admin.store(create=False)
    with store.session() as session:
        found = session.get(Item, item_id)
        assert found is not None
        session.expunge(found)
        return found


def test_a_protected_original_is_decrypted_into_memory(
    protected_photo: tuple[Enquiry, Path, int],
) -> None:
    admin, home, item_id = protected_photo
    item = _item(admin, item_id)
    store = admin.store(create=False)
    with _Written() as written, original_file(store, item) as path:
        data = path.read_bytes()
        # an anonymous memory file, reached through this process's descriptor table
        assert os.readlink(path).startswith("/memfd:"), os.readlink(path)
    assert len(data) == item.size
    assert _under_home_not_ciphertext(written.paths, home) == []
    assert not path.exists()  # gone with the context


def test_a_protected_original_too_large_for_memory_goes_to_the_vaults_private_area(
    protected_photo: tuple[Enquiry, Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    admin, home, item_id = protected_photo
    monkeypatch.setattr(vault_module, "MEMORY_COPY_LIMIT", 1024)
    item = _item(admin, item_id)
    with original_file(admin.store(create=False), item) as path:
        assert path.parent == home / "vault" / "tmp"
        assert path.stat().st_mode & 0o077 == 0
        assert path.stat().st_size == item.size
    assert not path.exists()


def test_redacting_a_protected_photo_writes_no_plaintext_into_the_home(
    protected_photo: tuple[Enquiry, Path, int],
) -> None:
    admin, home, item_id = protected_photo
    with _Written() as written:
        made = redaction.redact(admin, str(item_id), faces=True)
    assert made.item_id != item_id
    assert _under_home_not_ciphertext(written.paths, home) == []
    # the redaction itself is held encrypted, and is what the report publishes once confirmed
    redaction.confirm(admin, str(made.item_id))
    with _Written() as written:
        publishing.report(admin, INCIDENT, home.parent / "report.html")
        download = open_original(admin, str(item_id), reveal=True)
        download.handle.read()
        download.handle.close()
    assert _under_home_not_ciphertext(written.paths, home) == []


def _in_system_temp(paths: list[str], own: Path) -> list[str]:
    """What was written in the system's temporary folder outside the test's own folder (a
    report that names witnesses, made there and deleted, would stay in that disk's blocks)."""
    temp = Path(tempfile.gettempdir()).resolve()
    out = []
    for raw in paths:
        path = Path(os.path.abspath(raw)).resolve()
        if path.is_relative_to(temp) and not path.is_relative_to(own.resolve()):
            out.append(str(path))
    return out


@pytest.mark.parametrize("reveal", [False, True])
def test_a_bundle_decrypts_protected_evidence_only_in_memory(
    protected_photo: tuple[Enquiry, Path, int], reveal: bool
) -> None:
    admin, home, item_id = protected_photo
    made = redaction.redact(admin, str(item_id), faces=True)
    redaction.confirm(admin, str(made.item_id))
    out = home.parent / f"bundle-{reveal}.zip"
    with _Written() as written:
        export_bundle(admin, out, case="mem", reveal=reveal, pdf=False)
    assert out.is_file()
    assert _under_home_not_ciphertext(written.paths, home) == []
    assert _in_system_temp(written.paths, home.parent) == []


@pytest.mark.parametrize("into", ["a new home", "a home that exists"])
def test_a_revealed_bundle_is_taken_in_without_its_plaintext_touching_a_disk(
    protected_photo: tuple[Enquiry, Path, int], monkeypatch: pytest.MonkeyPatch, into: str
) -> None:
    """A revealed bundle carries a witness's original in the clear. Taking it in, the bundle
    was copied to be checked, and its originals unpacked to be loaded, into the system's
    temporary folder, and deleted there: both are now in memory, and the original reaches the
    vault only as ciphertext."""
    admin, home, item_id = protected_photo
    out = home.parent / "revealed.zip"
    export_bundle(admin, out, case="mem", reveal=True, pdf=False)
    original = _item(admin, item_id)
    monkeypatch.delenv("ENQUIRY_DB", raising=False)  # the successor's home is on SQLite
    successor = Enquiry.at(home.parent / "successor", "successor")
    if into == "a home that exists":
        successor.store(create=True)
    with _Written() as written:
        imported = bundles.import_bundle(successor, out)
    assert imported.withheld == 0  # the original came in, not only its hash
    assert _in_system_temp(written.paths, home.parent) == []
    assert _under_home_not_ciphertext(written.paths, successor.home) == []
    store = successor.store(create=False)
    with store.session() as session:
        taken = session.scalars(select(Item).where(Item.sha256 == original.sha256)).one()
        assert taken.protected
    assert original.sha256 is not None and not store.vault.has(original.sha256)


def test_a_revealed_report_through_the_api_is_made_in_memory(
    protected_photo: tuple[Enquiry, Path, int],
) -> None:
    admin, home, item_id = protected_photo
    evidence.update_item(admin, str(item_id), fields={"title": "Photo by W-7"})
    accounts.add_user(admin, "chief", "correct horse battery", admin=True)
    token = accounts.create_token(admin, "chief", "t").token
    client = TestClient(create_app(home), base_url="https://testserver")
    with _Written() as written:
        answer = client.get(
            f"/api/v1/incidents/{INCIDENT}/report?reveal=true",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 200, answer.text
    assert "witness-photo.jpg" in answer.text or "Photo by W-7" in answer.text
    assert _in_system_temp(written.paths, home.parent) == []
    assert _under_home_not_ciphertext(written.paths, home) == []


# --- an upload is received in memory ---------------------------------------------------------


@pytest.fixture
def upload_server(tmp_path: Path, backend: str) -> Iterator[tuple[Enquiry, Path, TestClient, str]]:
    home = tmp_path / "home"
    admin = Enquiry.at(home, "admin")
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    cases.load(admin, tmp_path / "case.yaml")
    accounts.add_user(admin, "chief", "correct horse battery", admin=True)
    token = accounts.create_token(admin, "chief", "t").token
    client = TestClient(create_app(home), base_url="https://testserver")
    yield admin, home, client, token


def _testimony(size: int) -> bytes:
    """A witness's recording longer than ``size`` bytes: a line naming the witness, then
    bytes that are no text (so that no reader spends seconds on a megabyte of prose; what is
    tried here is where the bytes go, not what is read from them)."""
    head = b"W-7 saw the strike on the market at dawn.\n"
    return head + random.Random(size).randbytes(size + 1)


class _Staged:
    """What the intake was handed by an upload: for each path, where its bytes were."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.places: list[tuple[str, str, int, int]] = []  # (name, bytes at, size, mode)
        real_add, real_derive = evidence.add, evidence.derive

        def add(app: Enquiry, paths: list[Path], **kw: Any) -> Any:
            self.look(paths)
            return real_add(app, paths, **kw)

        def derive(app: Enquiry, ref: str, path: Path, **kw: Any) -> Any:
            self.look([path])
            return real_derive(app, ref, path, **kw)

        monkeypatch.setattr(evidence, "add", add)
        monkeypatch.setattr(evidence, "derive", derive)

    def look(self, paths: list[Path]) -> None:
        for path in paths:
            target = os.path.realpath(path)
            if target.startswith("/proc/"):  # a descriptor: say what it holds
                target = os.readlink(target)
            info = os.stat(path)
            self.places.append((Path(path).name, target, info.st_size, info.st_mode & 0o777))


def _upload(client: TestClient, token: str, name: str, data: bytes) -> dict[str, Any]:
    answer = client.post(
        "/api/v1/cases/mem/items",
        headers={"Authorization": f"Bearer {token}"},
        data={"kind": "document", "protected": "true"},
        files=[("files", (name, data, "text/plain"))],
    )
    assert answer.status_code == 200, answer.text
    received: dict[str, Any] = answer.json()["files"][0]
    return received


def test_an_uploaded_testimony_never_touches_a_disk_in_plaintext(
    upload_server: tuple[Enquiry, Path, TestClient, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over 1 MiB, a form parser would spool it to the system's temporary folder, and it was
    then copied into a folder of the home before the intake encrypted it: both deleted
    afterwards, both left in the disk's free blocks."""
    admin, home, client, token = upload_server
    staged = _Staged(monkeypatch)
    data = _testimony(3 << 19)
    translation = _testimony(5 << 18).replace(b"saw", b"vi")
    with _Written() as written:
        received = _upload(client, token, "testimony-W7.txt", data)
        derived = client.post(
            f"/api/v1/items/{received['item_id']}/derivatives",
            headers={"Authorization": f"Bearer {token}"},
            data={"how": "translated"},
            files={"file": ("translation.txt", translation, "text/plain")},
        )
    assert _in_system_temp(written.paths, tmp_path) == []
    assert _under_home_not_ciphertext(written.paths, home) == []
    assert derived.status_code == 201, derived.text
    assert received["status"] == "stored" and received["filename"] == "testimony-W7.txt"
    assert received["sha256"] == hashlib.sha256(data).hexdigest()
    # each was handed to the intake from an anonymous memory file, under its own name
    assert [(name, at.startswith("/memfd:"), size) for name, at, size, _mode in staged.places] == [
        ("testimony-W7.txt", True, len(data)),
        ("translation.txt", True, len(translation)),
    ]
    for item_id, plain in ((received["item_id"], data), (derived.json()["item_id"], translation)):
        item = _item(admin, item_id)
        assert item.protected and item.sha256 == hashlib.sha256(plain).hexdigest()
        assert not admin.store(create=False).vault.has(item.sha256)  # stored encrypted
        original = open_original(admin, str(item_id), reveal=True)
        assert hashlib.sha256(original.handle.read()).hexdigest() == item.sha256
        original.handle.close()
    custody = client.get(
        f"/api/v1/items/{received['item_id']}/custody?reveal=true",
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    assert custody[0]["details"]["path"] == "upload:chief/testimony-W7.txt"
    assert incoming.BUDGET.held == 0  # the memory is given back
    assert [p for p in (home / "vault" / "tmp").iterdir()] == []


def test_an_uploads_bytes_are_written_off_the_servers_event_loop(
    upload_server: tuple[Enquiry, Path, TestClient, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server answers every user from one event loop: an upload's bytes written there — to
    a disk that stalls under load, or a file outgrowing memory copied to ``vault/tmp`` — would
    keep everyone else waiting. Every write, move and completion of a file being received
    happens on a worker thread."""
    _admin, _home, client, token = upload_server
    monkeypatch.setattr(vault_module, "MEMORY_COPY_LIMIT", 256 << 10)  # so that it moves, too
    calls: list[tuple[str, bool]] = []

    def watched(method: Any) -> Any:
        def call(self: incoming.StagedFile, *args: Any) -> Any:
            try:
                asyncio.get_running_loop()
                calls.append((method.__name__, True))
            except RuntimeError:
                calls.append((method.__name__, False))
            return method(self, *args)

        return call

    for name in ("write", "_to_disk", "finish"):
        monkeypatch.setattr(incoming.StagedFile, name, watched(getattr(incoming.StagedFile, name)))
    received = _upload(client, token, "long-testimony.txt", _testimony(600 << 10))
    assert received["status"] == "stored"
    assert {name for name, _ in calls} == {"write", "_to_disk", "finish"}
    assert [name for name, on_loop in calls if on_loop] == []


@pytest.mark.parametrize("bound", ["MEMORY_COPY_LIMIT", "MEMORY_BUDGET"])
def test_an_upload_larger_than_memory_may_hold_goes_to_the_vaults_private_area(
    upload_server: tuple[Enquiry, Path, TestClient, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    bound: str,
) -> None:
    """A file over the bound of one file in memory, or over what the uploads in flight may
    hold between them, is received into a private file in ``vault/tmp``, removed afterwards."""
    admin, home, client, token = upload_server
    monkeypatch.setattr(
        vault_module if bound == "MEMORY_COPY_LIMIT" else incoming, bound, 256 << 10
    )
    staged = _Staged(monkeypatch)
    data = _testimony(600 << 10)
    with _Written() as written:
        received = _upload(client, token, "long-testimony.txt", data)
    assert _in_system_temp(written.paths, tmp_path) == []
    assert _under_home_not_ciphertext(written.paths, home) == []
    ((name, at, size, mode),) = staged.places
    assert name == "long-testimony.txt" and size == len(data) and mode == 0o600
    assert Path(at).parent == home / "vault" / "tmp"
    assert not Path(at).exists()  # removed once taken in
    assert [p for p in (home / "vault" / "tmp").iterdir()] == []
    assert received["status"] == "stored"
    assert received["sha256"] == hashlib.sha256(data).hexdigest()
    assert _item(admin, received["item_id"]).protected
    assert incoming.BUDGET.held == 0


def test_an_upload_is_read_here_even_when_a_cluster_is_named(
    upload_server: tuple[Enquiry, Path, TestClient, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An upload lies in this process's memory, which no cluster worker can open: it is read
    by the server itself, whatever ``ENQUIRY_CLUSTER`` names (here a scheduler nobody runs)."""
    _admin, _home, client, token = upload_server
    monkeypatch.setenv("ENQUIRY_CLUSTER", "tcp://127.0.0.1:9")
    data = _testimony(1 << 16)
    received = _upload(client, token, "statement.txt", data)
    assert received["status"] == "stored"
    assert received["sha256"] == hashlib.sha256(data).hexdigest()
