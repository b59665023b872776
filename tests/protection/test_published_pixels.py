"""The pixels of a protected, sensitive or sealed picture reach nobody by a side door: not the
report's photographs, not a redacted bundle, not the web preview or download — through a crop
made before its original was protected, a copy of a redaction nobody confirmed, a picture of
a photo somebody began to redact, or the confirmed redaction of a photo whose witness withdrew
consent. Each is tried on a real home (SQLite and PostgreSQL) with the real redactor."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from demo_helpers import HomeTemplates
from enquiry.app import Enquiry, accounts, cases, evidence, publishing, redaction
from enquiry.app.atrest import original_file, seal_item
from enquiry.app.bundles import export_bundle
from enquiry.cli import main
from enquiry.enrich.media import samples
from enquiry.errors import EnquiryError
from enquiry.store.tables import Item
from enquiry.web.app import create_app
from small_case import one_incident_case
from web_helpers import signed_in

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_bundle.py"

PASSWORD = "correct horse battery"
INCIDENT = "pix-2021"
CASE = one_incident_case("pix", "Pictures", INCIDENT)


@dataclass
class Pictures:
    """The home and the items of each case tried."""

    home: Path
    admin: Enquiry
    ids: dict[str, int]
    shas: dict[str, str]
    built_in: Path  # the template home it was copied from: its events name that folder


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _bytes_of(app: Enquiry, item_id: int) -> bytes:
    store = app.store(create=False)
    with store.session() as session:
        found = session.get(Item, item_id)
        assert found is not None
        session.expunge(found)
    with original_file(store, found) as path:
        return path.read_bytes()


def _build_pictures(home: Path) -> str:
    """A case holding every way a picture could get out by a side door; its item numbers and
    hashes by name, as JSON (what the template hands each copy)."""
    admin = Enquiry.at(home, "admin")
    (home.parent / "case.yaml").write_text(CASE, encoding="utf-8")
    cases.load(admin, home.parent / "case.yaml")
    files = home.parent / "files"
    files.mkdir()
    face = samples.photo("astronaut")
    ids: dict[str, int] = {}

    def add(name: str, pixels: np.ndarray, *, protected: bool = False) -> int:
        path = files / f"{name}.jpg"
        Image.fromarray(np.ascontiguousarray(pixels)).save(path, quality=92)
        evidence.add(admin, [path], case="pix", kind="photo", protected=protected)
        ids[name] = max(r.id for r in evidence.list_items(admin, limit=1000).items)
        return ids[name]

    def derive(name: str, source: int, pixels: np.ndarray, how: str) -> int:
        path = files / f"{name}.png"
        Image.fromarray(np.ascontiguousarray(pixels)).save(path)
        made = evidence.derive(admin, str(source), path, how=how)
        assert made.item_id is not None
        ids[name] = made.item_id
        return made.item_id

    # A photo nobody protected, that somebody began to redact (sensitive), and a crop of it.
    sensitive = add("sensitive", face)
    ids["sensitive_redaction"] = redaction.redact(admin, str(sensitive), faces=True).item_id
    derive("sensitive_crop", sensitive, face[:400], "cropped")
    # A resized copy of that unconfirmed redaction (a derivative of a derivative).
    unconfirmed = _bytes_of(admin, ids["sensitive_redaction"])
    (files / "u.jpg").write_bytes(unconfirmed)
    resized = np.asarray(Image.open(files / "u.jpg").resize((256, 256)))
    derive("redaction_copy", ids["sensitive_redaction"], resized, "resized")
    # A photo cropped first and protected afterwards: the crop stays unprotected.
    later = add("protected_later", face[40:])
    derive("early_crop", later, face[40:300], "cropped")
    evidence.update_item(admin, str(later), protect=True)
    # A protected photo with a confirmed redaction, then sealed (consent withdrawn).
    sealed = add("sealed", face[:, ::-1], protected=True)
    ids["sealed_redaction"] = redaction.redact(admin, str(sealed), faces=True).item_id
    redaction.confirm(admin, str(ids["sealed_redaction"]))
    seal_item(admin, str(sealed), reason="consent withdrawn by W-1")
    # A protected photo with a confirmed redaction: what may be published of it.
    kept = add("protected_ok", face[::-1], protected=True)
    ids["protected_ok_redaction"] = redaction.redact(admin, str(kept), faces=True).item_id
    redaction.confirm(admin, str(ids["protected_ok_redaction"]))
    # A plain photo of no one: published as it is.
    add("plain", samples.photo("coffee"))

    shas: dict[str, str] = {}
    with admin.store(create=False).session() as session:
        for name, item_id in ids.items():
            found = session.get(Item, item_id)
            assert found is not None and found.sha256 is not None
            shas[name] = found.sha256
    for name, role, see in (
        ("viewer", "viewer", False),
        ("analyst", "analyst", False),
        ("revealer", "analyst", True),
    ):
        accounts.add_user(admin, name, PASSWORD)
        accounts.grant(admin, name, "pix", role, see_protected=see)
    admin.store().engine.dispose()  # closed before the home is copied
    return json.dumps({"ids": ids, "shas": shas})


@pytest.fixture
def pictures(home_templates: HomeTemplates, tmp_path: Path, backend: str) -> Pictures:
    """The test's own copy of that case's home, built once per back end and test process (the
    redactor, the seal and the accounts take seconds; a copy a fraction of one)."""
    run = home_templates.copy(
        "pictures", _build_pictures, tmp_path / "home", os.environ.get("ENQUIRY_DB")
    )
    made = json.loads(run.output)
    return Pictures(run.home, Enquiry.at(run.home, "admin"), made["ids"], made["shas"], run.ran_in)


# Pictures that must never be published without a reveal (their pixels are a face).
WITHHELD = (
    "sensitive",
    "sensitive_redaction",
    "sensitive_crop",
    "redaction_copy",
    "protected_later",
    "early_crop",
    "sealed",
    "sealed_redaction",
)


def _inlined(page: str) -> set[str]:
    found = re.findall(r'<img src="data:image/[\w.+-]+;base64,([A-Za-z0-9+/=]+)"', page)
    return {_sha(base64.b64decode(data)) for data in found}


def test_the_report_inlines_no_picture_of_protected_sensitive_or_sealed_evidence(
    pictures: Pictures, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    publishing.report(pictures.admin, INCIDENT, out)
    page = out.read_text(encoding="utf-8")
    inlined = _inlined(page)
    assert inlined == {pictures.shas["protected_ok_redaction"], pictures.shas["plain"]}
    ids = pictures.ids
    for name, why in (
        ("sensitive_crop", "sensitive"),
        ("redaction_copy", "sensitive"),
        # protected with its original (a crop made before the original was protected)
        ("early_crop", "protected, and no confirmed redaction"),
        # sealed with its original
        ("sealed_redaction", "sealed (consent withdrawn)"),
    ):
        assert f"withheld: item {ids[name]}: {why}" in page, name


def test_a_revealed_report_still_publishes_nothing_of_a_sealed_photo(
    pictures: Pictures, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    publishing.report(pictures.admin, INCIDENT, out, reveal=True)
    inlined = _inlined(out.read_text(encoding="utf-8"))
    shas = pictures.shas
    assert shas["early_crop"] in inlined and shas["protected_later"] in inlined  # revealed
    assert not inlined & {shas["sealed"], shas["sealed_redaction"]}


def test_a_redacted_bundle_carries_no_such_picture(pictures: Pictures, tmp_path: Path) -> None:
    """A redacted bundle carries the bytes of exactly the pictures its report publishes: the
    plain photo and the confirmed redaction of the protected one (itself marked protected, as
    made from a protected item) — and nothing else of that family, nor of any family the rule
    withholds."""
    out = tmp_path / "case.zip"
    export_bundle(pictures.admin, out, case="pix", pdf=False)
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        members = {name for name in archive.namelist() if name.startswith("originals/")}
        report = archive.read(f"report/{INCIDENT}.html").decode("utf-8")
    carried = {name.removeprefix("originals/") for name in members}
    shas, ids = pictures.shas, pictures.ids
    for name in (*WITHHELD, "protected_ok"):
        assert shas[name] not in carried, name
    assert shas["plain"] in carried
    published = shas["protected_ok_redaction"]
    assert published in carried
    assert _inlined(report) == {published, shas["plain"]}
    assert {s for s in carried if s in shas.values()} == _inlined(report)
    entries = {entry["id"]: entry for entry in manifest["items"]}
    assert entries[ids["early_crop"]]["content"] == "redacted"
    redaction = entries[ids["protected_ok_redaction"]]
    assert redaction["protected"] is True
    assert (redaction["content"], redaction["member"]) == ("included", f"originals/{published}")
    assert redaction["ledger"] == "elided"  # its events may name the witness's file
    assert entries[ids["protected_ok"]]["content"] == "redacted"
    # the bundle still verifies, its withheld items vouched for by hash, the redaction by its bytes
    result = CliRunner().invoke(main, ["bundle", "verify", str(out)])
    assert result.exit_code == 0, result.output
    assert f"item {ids['protected_ok_redaction']} " in result.output
    tool = subprocess.run(
        [sys.executable, str(TOOL), str(out)], capture_output=True, text=True, check=False
    )
    assert tool.returncode == 0, tool.stdout + tool.stderr
    # the same account, and one line more: the finding's numbers recomputed by the engine
    lines = result.stdout.splitlines()
    recomputed = [line for line in lines if "every number recomputed from its inputs" in line]
    assert len(recomputed) == 1, result.stdout
    assert tool.stdout == "".join(f"{line}\n" for line in lines if line not in recomputed)


def _arrival_names(pictures: Pictures) -> set[str]:
    """The names the protected photo and its redaction arrived under (held encrypted)."""
    from enquiry.store.protected import Opener

    store = pictures.admin.store(create=False)
    with store.engine.connect() as connection:
        opener = Opener(connection)
        names = {
            str(opener.secret(pictures.ids[name]).get("name") or "")
            for name in ("protected_ok", "protected_ok_redaction")
        }
    return {n for n in names | {"protected_ok.jpg"} if n}


def test_a_redacted_bundle_names_nothing_of_the_redactions_witness(
    pictures: Pictures, tmp_path: Path
) -> None:
    """The redaction's bytes go out; its arrival name, and the original's, do not — in no
    member but the picture itself."""
    out = tmp_path / "case.zip"
    export_bundle(pictures.admin, out, case="pix", pdf=False)
    names = _arrival_names(pictures)
    assert any(n != "protected_ok.jpg" for n in names)  # the redaction's own name was looked for
    with zipfile.ZipFile(out) as archive:
        for member in archive.namelist():
            if member.startswith("originals/"):
                continue
            data = archive.read(member)
            for name in names:
                assert name.encode("utf-8") not in data, (member, name)
                assert Path(name).stem.encode("utf-8") not in data, (member, name)


def _forge(
    bundle: Path, out: Path, manifest_edit: Callable[[dict[str, Any]], None], swap: dict[str, bytes]
) -> Path:
    """A copy of an unsigned ``bundle`` with members' bytes swapped and its manifest edited."""
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(out, "w") as target:
        manifest = json.loads(source.read("manifest.json"))
        for entry in manifest["members"]:
            if entry["path"] in swap:
                data = swap[entry["path"]]
                entry.update(size=len(data), sha256=_sha(data))
        manifest_edit(manifest)
        for info in source.infolist():
            if info.filename == "manifest.json":
                target.writestr(info, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
            else:
                target.writestr(info, swap.get(info.filename, source.read(info)))
    return out


def test_a_carried_redaction_is_checked_by_its_hash(pictures: Pictures, tmp_path: Path) -> None:
    """Another picture put in the redaction's place — the manifest's member list made to
    match, as a forger without the item's hash would — fails verification, by the tool too;
    so does a protected item's bytes in a redacted bundle not marked as its published
    redaction."""
    out = tmp_path / "case.zip"
    export_bundle(pictures.admin, out, case="pix", pdf=False)
    item = pictures.ids["protected_ok_redaction"]
    member = f"originals/{pictures.shas['protected_ok_redaction']}"
    forged = _forge(out, tmp_path / "forged.zip", lambda _m: None, {member: b"not the redaction"})
    result = CliRunner().invoke(main, ["bundle", "verify", str(forged)])
    assert result.exit_code == 1, result.output
    assert f"item {item}: member {member} does not hold its original" in result.output
    tool = subprocess.run(
        [sys.executable, str(TOOL), str(forged)], capture_output=True, text=True, check=False
    )
    assert tool.returncode == 1

    def unmarked(manifest: dict[str, Any]) -> None:
        for entry in manifest["items"]:
            entry.pop("published", None)

    forged = _forge(out, tmp_path / "unmarked.zip", unmarked, {})
    result = CliRunner().invoke(main, ["bundle", "verify", str(forged)])
    assert result.exit_code == 1, result.output
    assert f"FAILED: item {item}: protected, and its bytes are carried" in result.output


def test_the_carried_redaction_is_taken_in_encrypted_and_survives_a_backup(
    pictures: Pictures, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Imported into a fresh home, the published redaction is a protected item stored
    encrypted at rest, its bytes read back with the key and hashing as the bundle said; the
    protected original comes in withheld (hash only). A backup of that home restores it."""
    from enquiry.app import bundles
    from enquiry.store.protected import at_rest
    from enquiry.store.tables import WithheldItem
    from enquiry.store.verify import verify

    out = tmp_path / "case.zip"
    export_bundle(pictures.admin, out, case="pix", pdf=False)
    monkeypatch.delenv("ENQUIRY_DB", raising=False)  # the successor's home is on SQLite
    successor = Enquiry.at(tmp_path / "successor", "successor")
    imported = bundles.import_bundle(successor, out)
    shas = pictures.shas
    published = shas["protected_ok_redaction"]
    store = successor.store(create=False)
    with store.session() as session:
        rows = {
            str(row.sha256): row
            for row in session.scalars(select(Item).where(Item.sha256.is_not(None)))
        }
        withheld = set(session.scalars(select(WithheldItem.item_id)))
        for row in rows.values():
            session.expunge(row)
    redaction = rows[published]
    assert redaction.protected and redaction.id not in withheld
    assert rows[shas["protected_ok"]].id in withheld  # the original: its hash, never its bytes
    assert imported.withheld == len(withheld)
    with store.engine.connect() as connection:
        assert redaction.id in at_rest(connection, [redaction.id])
    assert not store.vault.has(published)  # no plain copy: only its ciphertext
    assert _sha(_bytes_of(successor, redaction.id)) == published
    plain = _bytes_of(pictures.admin, pictures.ids["protected_ok_redaction"])
    vault = [p.read_bytes() for p in (store.home / "vault").rglob("*") if p.is_file()]
    assert not [data for data in vault if plain[1000:1064] in data]
    every = {_sha(data) for data in vault}
    for name in (*WITHHELD, "protected_ok", "protected_ok_redaction"):
        assert shas[name] not in every, name
    assert verify(store).intact
    # the case file of the successor says what the manifest said: protected, its bytes held
    dumped = CliRunner().invoke(main, ["--home", str(successor.home), "dump", "pix"])
    assert dumped.exit_code == 0, dumped.output
    listed = {
        item.get("sha256"): item
        for item in yaml.safe_load(dumped.stdout)["items"]
        if "sha256" in item
    }
    assert listed[published]["protected"] is True
    assert "file" not in listed[published]  # its name is withheld, as for any protected item
    assert str(tmp_path) not in dumped.stdout
    assert str(pictures.built_in.parent) not in dumped.stdout
    # a backup and restore of the successor keeps it, encrypted and readable with the key
    backed = bundles.backup(successor, tmp_path / "successor.zip")
    restored_home = tmp_path / "restored"
    bundles.restore(Enquiry.at(restored_home, "successor"), backed.path, accept_signer="unsigned")
    restored = Enquiry.at(restored_home, "successor")
    assert not restored.store(create=False).vault.has(published)
    assert _sha(_bytes_of(restored, redaction.id)) == published
    assert verify(restored.store(create=False)).intact


def test_an_import_without_the_key_refuses_the_carried_redaction_in_one_line(
    pictures: Pictures, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A protected item whose bytes come in is stored only encrypted, which a new case can do
    only once the protection key has made its key: without it the import is refused with one
    line, and nothing is taken in."""
    out = tmp_path / "case.zip"
    export_bundle(pictures.admin, out, case="pix", pdf=False)
    monkeypatch.delenv("ENQUIRY_DB", raising=False)
    monkeypatch.delenv("ENQUIRY_PROTECTION_KEY_FILE", raising=False)
    monkeypatch.delenv("ENQUIRY_PROTECTION_PASSPHRASE", raising=False)
    home = tmp_path / "keyless"
    result = CliRunner().invoke(main, ["--home", str(home), "bundle", "import", str(out)])
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "ENQUIRY_PROTECTION_KEY_FILE" in lines[0], result.stderr
    assert "nothing was taken in" in lines[0]
    listed = CliRunner().invoke(main, ["--home", str(home), "case", "list", "--json"])
    assert "pix" not in listed.stdout


def _browser(pictures: Pictures, name: str) -> TestClient:
    return signed_in(create_app(pictures.home), name, PASSWORD)


@pytest.mark.parametrize("user", ["viewer", "analyst", "revealer"])
def test_the_web_preview_shows_no_such_picture(pictures: Pictures, user: str) -> None:
    browser = _browser(pictures, user)
    ids = pictures.ids
    for name in WITHHELD:
        answer = browser.get(f"/items/{ids[name]}/content")
        assert answer.status_code in (404, 409), (name, answer.status_code)
        assert _sha(answer.content) != pictures.shas[name]
        page = browser.get(f"/items/{ids[name]}")
        assert f'src="/items/{ids[name]}/content"' not in page.text, name
        if user == "viewer":
            # nothing in a refusal tells a viewer that protected evidence exists
            assert "protected" not in answer.text.lower() or answer.status_code == 404
            assert "sealed" not in answer.text.lower() or answer.status_code == 404
    plain = browser.get(f"/items/{ids['plain']}/content")
    assert plain.status_code == 200 and _sha(plain.content) == pictures.shas["plain"]
    if user != "viewer":
        shown = browser.get(f"/items/{ids['protected_ok']}/content")
        assert shown.status_code == 200
        assert _sha(shown.content) == pictures.shas["protected_ok_redaction"]
        assert shown.headers["x-enquiry-redacted"] == "confirmed redaction"


def test_a_download_of_such_a_picture_needs_the_right_and_a_reveal(pictures: Pictures) -> None:
    ids = pictures.ids
    tokens = {
        name: accounts.create_token(pictures.admin, name, "t").token
        for name in ("viewer", "analyst", "revealer")
    }
    client = TestClient(create_app(pictures.home), base_url="https://testserver")

    def get(user: str, path: str) -> tuple[int, bytes]:
        answer = client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {tokens[user]}"})
        return answer.status_code, answer.content

    # protected with its original: unseen by a viewer, revealed by one with the right
    status, _ = get("viewer", f"/items/{ids['early_crop']}/original?reveal=true")
    assert status == 404
    status, body = get("revealer", f"/items/{ids['early_crop']}/original?reveal=true")
    assert status == 200 and _sha(body) == pictures.shas["early_crop"]
    for name in ("sensitive_crop", "redaction_copy"):
        for user in ("viewer", "analyst", "revealer"):
            status, body = get(user, f"/items/{ids[name]}/original")
            assert status == 409 and _sha(body) != pictures.shas[name], (name, user)
        status, _ = get("analyst", f"/items/{ids[name]}/original?reveal=true")
        assert status == 403, name
        status, body = get("revealer", f"/items/{ids[name]}/original?reveal=true")
        assert status == 200 and _sha(body) == pictures.shas[name]
    # made from a sealed item: never, reveal or not
    status, body = get("revealer", f"/items/{ids['sealed_redaction']}/original?reveal=true")
    assert status == 409 and _sha(body) != pictures.shas["sealed_redaction"]
    assert os.environ.get("ENQUIRY_PROTECTION_KEY_FILE")  # the key was there all along


def test_a_working_copy_of_such_a_picture_needs_the_right_and_a_reveal(
    pictures: Pictures, tmp_path: Path
) -> None:
    """A working copy (``enquiry item copy``, ``evidence.copy_item``) hands out the same bytes
    as a download, under the same rule: a crop of protected or sensitive evidence and a copy of
    an unconfirmed redaction need a reveal and the right (and are recorded as revealed); what a
    seal destroyed, never. The command line acts as the home's administrator; accounts are
    tried through the application core."""
    ids, home = pictures.ids, pictures.home

    def cli(name: str, *extra: str) -> tuple[int, str, Path]:
        out = tmp_path / f"cli-{name}{len(extra)}.bin"
        args = ["--home", str(home), "item", "copy", str(ids[name]), "-o", str(out), *extra]
        result = CliRunner().invoke(main, args)
        return result.exit_code, result.stderr, out

    def as_user(user: str, name: str, reveal: bool) -> Path:
        app = Enquiry.for_user(
            pictures.admin.store(create=False),
            accounts.authenticate_password(pictures.admin, user, PASSWORD),
        )
        out = tmp_path / f"{user}-{name}-{reveal}.bin"
        evidence.copy_item(app, str(ids[name]), out, reveal=reveal)
        return out

    for name in ("early_crop", "sensitive_crop", "redaction_copy"):
        code, err, out = cli(name)
        assert code != 0 and not out.exists(), name
        assert len(err.strip().splitlines()) == 1 and err.strip().endswith("add --reveal"), err
        code, err, out = cli(name, "--reveal")
        assert code == 0, err
        assert _sha(out.read_bytes()) == pictures.shas[name]
        for user, reveal in (("viewer", False), ("analyst", False), ("analyst", True)):
            with pytest.raises(EnquiryError):
                as_user(user, name, reveal)
            assert not (tmp_path / f"{user}-{name}-{reveal}.bin").exists()
        assert _sha(as_user("revealer", name, True).read_bytes()) == pictures.shas[name]
    code, err, out = cli("sealed_redaction", "--reveal")
    assert code != 0 and not out.exists()
    assert "sealed (consent withdrawn)" in err  # sealed with its original
    with pytest.raises(EnquiryError) as refused:
        as_user("viewer", "sealed_redaction", True)
    assert "sealed" not in str(refused.value)  # a viewer learns nothing of protected items
    code, err, out = cli("plain")
    assert code == 0 and _sha(out.read_bytes()) == pictures.shas["plain"]
    assert _sha(as_user("viewer", "plain", False).read_bytes()) == pictures.shas["plain"]
    log = CliRunner().invoke(
        main, ["--home", str(home), "log", "--json", "--item", str(ids["sensitive_crop"])]
    )
    assert any(
        e["action"] == "revealed" and e["details"].get("withheld_by") == "its family"
        for e in json.loads(log.stdout)
    )


def _events(home: Path, item_id: int) -> list[dict[str, object]]:
    log = CliRunner().invoke(
        main, ["--home", str(home), "log", "--json", "--reveal", "--item", str(item_id)]
    )
    assert log.exit_code == 0, log.output
    events: list[dict[str, object]] = json.loads(log.stdout)
    return events


def test_protection_and_a_seal_reach_what_was_made_from_the_item(pictures: Pictures) -> None:
    """Protecting an item protects what was made from it before (a crop taken while it was
    unprotected), a redaction aside; sealing it seals what was made from it, redaction
    included — the witness's content in another form — each as its own recorded event."""
    ids, home = pictures.ids, pictures.home
    with pictures.admin.store(create=False).session() as session:
        assert session.get(Item, ids["early_crop"]).protected  # type: ignore[union-attr]
    sealed = [e for e in _events(home, ids["sealed_redaction"]) if e["action"] == "sealed"]
    assert len(sealed) == 1
    assert sealed[0]["details"]["with"] == ids["sealed"]  # type: ignore[index]
    shown = json.loads(
        CliRunner()
        .invoke(main, ["--home", str(home), "item", "show", str(ids["sealed_redaction"]), "--json"])
        .stdout
    )
    assert shown["sealed_at"]
    # protecting the sensitive photo: its crop and the copy of its redaction go with it
    result = CliRunner().invoke(
        main, ["--home", str(home), "item", "update", str(ids["sensitive"]), "--protect"]
    )
    assert result.exit_code == 0, result.output
    with_it = sorted((ids["sensitive_crop"], ids["redaction_copy"]))
    assert f"protected with it, as made from it: item(s) {', '.join(map(str, with_it))}" in (
        result.stdout
    )
    with pictures.admin.store(create=False).session() as session:
        for name in ("sensitive_crop", "redaction_copy"):
            assert session.get(Item, ids[name]).protected, name  # type: ignore[union-attr]
        redaction_row = session.get(Item, ids["sensitive_redaction"])
        assert redaction_row is not None and not redaction_row.protected
    # sealing it: everything made from it, the redaction too
    result = CliRunner().invoke(
        main,
        ["--home", str(home), "item", "seal", str(ids["sensitive"]), "--reason", "W-2 withdrew"],
    )
    assert result.exit_code == 0, result.output
    every = sorted((ids["sensitive_redaction"], ids["sensitive_crop"], ids["redaction_copy"]))
    assert f"sealed with it, as made from it: item(s) {', '.join(map(str, every))}" in (
        result.stdout
    )
    for name in ("sensitive_redaction", "sensitive_crop", "redaction_copy"):
        assert any(e["action"] == "sealed" for e in _events(home, ids[name])), name
    verified = CliRunner().invoke(main, ["--home", str(home), "verify"])
    assert verified.exit_code == 0, verified.output


def test_the_family_rule_holds_for_homes_made_before_protection_reached_derivatives() -> None:
    """A home from before protection and seals reached what was made from an item can hold an
    unprotected crop of a protected photo, or an unsealed one of a sealed photo: the family
    rule withholds both all the same."""
    from enquiry.publish.lineage import Lineage, Member

    def member(i: int, parent: int | None, **flags: bool) -> Member:
        base = dict(protected=False, picture=True, redaction=False, sealed=False, confirmed=False)
        return Member(id=i, derived_from=parent, **{**base, **flags})  # type: ignore[arg-type]

    original = member(1, None, protected=True)
    crop = member(2, 1)
    family = Lineage(crop, (original,), (original,))
    assert family.withheld() == (
        "item 2: made from protected item 1; only a confirmed redaction is published"
    )
    assert family.withheld(reveal=True) is None
    sealed = member(1, None, protected=True, sealed=True)
    assert Lineage(crop, (sealed,), (sealed,)).withheld(reveal=True) == (
        "item 2: made from sealed item 1 (consent withdrawn); it is not published"
    )
    transcript = member(3, 1, picture=False)
    assert Lineage(transcript, (original,), (original,)).withheld(name_others=False) == (
        "item 3: made from evidence that is withheld; it is withheld like its original"
    )


def _bundle_parts(bundle: Path) -> tuple[dict[str, Any], str, dict[str, str]]:
    """A bundle's manifest, its case file's text and its reports' pages (incident -> HTML)."""
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        casefile = archive.read("case/case.yaml").decode("utf-8")
        reports = {
            name.removeprefix("report/").removesuffix(".html"): archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("report/") and name.endswith(".html")
        }
    return manifest, casefile, reports


def _entry(manifest: dict[str, Any], sha: str) -> dict[str, Any]:
    found = [entry for entry in manifest["items"] if entry["sha256"] == sha]
    assert len(found) == 1, sha
    return dict(found[0])


def test_a_handed_over_redaction_is_published_by_the_successor(
    pictures: Pictures, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The handover keeps the publication decision: imported into another home with the
    signer's key, the confirmed redaction is still a redaction of its (withheld) original and
    still confirmed — recorded there as confirmed in the source home, by whom and when, per
    the bundle, never as the importing user's confirmation — so the successor's report
    publishes the same picture, its preview shows it, and a redacted bundle of the imported
    case carries it again. (Without a signer the successor vouches for, the confirmation stays
    behind: ``tests/bundle/test_bundle_confirmations.py``.)"""
    from enquiry.app import bundles, content, keys

    shas, ids = pictures.shas, pictures.ids
    published = shas["protected_ok_redaction"]
    keys.create(pictures.admin, "panel", PASSWORD)
    key = keys.export_public(pictures.admin, "panel", tmp_path / "panel.pub.json")
    source = tmp_path / "case.zip"
    export_bundle(pictures.admin, source, case="pix", sign="panel", passphrase=PASSWORD, pdf=False)
    source_manifest, source_casefile, source_reports = _bundle_parts(source)
    assert _inlined(source_reports[INCIDENT]) == {published, shas["plain"]}
    first = _events(pictures.home, ids["protected_ok_redaction"])

    monkeypatch.delenv("ENQUIRY_DB", raising=False)  # the successor's home is on SQLite
    successor = Enquiry.at(tmp_path / "successor", "successor")
    imported = bundles.import_bundle(successor, source, key=key)
    assert not [note for note in imported.notes if "confirmed for publication" in note]
    store = successor.store(create=False)
    with store.session() as session:
        rows = {
            str(row.sha256): row
            for row in session.scalars(select(Item).where(Item.sha256.is_not(None)))
        }
        for row in rows.values():
            session.expunge(row)
    carried, original = rows[published], rows[shas["protected_ok"]]
    assert carried.derived_from == original.id
    assert (carried.transformation or {}).get("how") == "redacted"

    # the ledger says whose confirmation it is: the source home's, as the bundle said
    confirmations = [e for e in _events(successor.home, carried.id) if e["action"] == "confirmed"]
    assert len(confirmations) == 1
    said = confirmations[0]["details"]
    assert isinstance(said, dict)
    assert said["confirmed"]["by"] == "admin"
    assert said["confirmed"]["in"] == "the source home"
    assert said["bundle"] == source_manifest_sha(source)
    assert said["confirmed"]["at"] == next(e["at"] for e in first if e["action"] == "confirmed")

    # its report publishes the same picture as the source home's
    out = tmp_path / "successor.html"
    publishing.report(successor, INCIDENT, out)
    assert _inlined(out.read_text(encoding="utf-8")) == _inlined(source_reports[INCIDENT])

    # its preview of the original shows the redaction, as the source home's does
    shown = content.preview(successor, str(original.id))
    assert (shown.shown_item_id, shown.redacted, shown.sha256) == (carried.id, True, published)
    # labelled with who confirmed it where it was confirmed, not the importing user
    assert shown.confirmed_by == "admin (in the home the case was handed over from)"
    direct = content.preview(successor, str(carried.id))
    assert (direct.shown_item_id, direct.reason) == (carried.id, None)

    # a redacted bundle of the imported case carries it again, marked, as the source's did
    again = tmp_path / "again.zip"
    export_bundle(successor, again, case="pix", pdf=False)
    manifest, casefile, reports = _bundle_parts(again)
    before, after = _entry(source_manifest, published), _entry(manifest, published)
    assert after["published"] == "confirmed redaction"
    assert {k: v for k, v in after.items() if k != "id"} == {
        k: v for k, v in before.items() if k != "id"
    }
    assert casefile == source_casefile
    assert _inlined(reports[INCIDENT]) == {published, shas["plain"]}
    result = CliRunner().invoke(main, ["bundle", "verify", str(again)])
    assert result.exit_code == 0, result.output
    verified = CliRunner().invoke(main, ["--home", str(successor.home), "verify"])
    assert verified.exit_code == 0, verified.output


def source_manifest_sha(bundle: Path) -> str:
    with zipfile.ZipFile(bundle) as archive:
        return _sha(archive.read("manifest.json"))


REDACTION_CLAIM = """\
format: enquiry-case/1
case: {name: claimed}
items:
- key: face
  kind: photo
  protected: true
  file: face.jpg
- key: face-redacted
  kind: photo
  protected: true
  derived_from: face
  file: face.jpg.png
  transformation: {how: redacted, tool: by hand}
  confirmed: {by: someone, at: '2024-01-01T00:00:00Z'}
"""


def test_a_hand_written_case_file_may_not_claim_a_confirmed_redaction(tmp_path: Path) -> None:
    """Anyone can write a case file: ``enquiry load`` refuses one that says a redaction was
    confirmed (with one line naming the entry), and takes nothing in; ``confirmed`` on an
    entry that is not a derivative recorded as a redaction is refused as it is read."""
    face = samples.photo("astronaut")
    Image.fromarray(face).save(tmp_path / "face.jpg", quality=92)
    Image.fromarray(face).save(tmp_path / "face.jpg.png")
    home = tmp_path / "home"

    def load(text: str) -> tuple[int, str]:
        path = tmp_path / "claimed.yaml"
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(main, ["--home", str(home), "load", str(path)])
        return result.exit_code, result.stderr.strip()

    code, err = load(REDACTION_CLAIM)
    assert code != 0
    assert len(err.splitlines()) == 1, err
    assert "items[1].confirmed" in err and "bundle import" in err
    listed = CliRunner().invoke(main, ["--home", str(home), "case", "list", "--json"])
    assert "claimed" not in listed.stdout
    # not a derivative recorded as a redaction: refused whatever loads it
    for edit in (
        ("  derived_from: face\n", ""),
        ("how: redacted", "how: cropped"),
        ("  transformation: {how: redacted, tool: by hand}\n", ""),
    ):
        code, err = load(REDACTION_CLAIM.replace(*edit))
        assert code != 0 and len(err.splitlines()) == 1, err
        assert "items[1]" in err and "redaction" in err, err
    # without the claim, the same derivative loads: an unconfirmed redaction, never published
    code, err = load(
        REDACTION_CLAIM.replace("  confirmed: {by: someone, at: '2024-01-01T00:00:00Z'}\n", "")
    )
    assert code == 0, err


def test_a_bundles_case_file_loaded_by_hand_claims_no_confirmation(
    pictures: Pictures, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The confirmation a bundle's case file carries is taken in only by ``bundle import``,
    which has verified the bundle: the same case file given to ``enquiry load`` is refused."""
    out = tmp_path / "case.zip"
    export_bundle(pictures.admin, out, case="pix", pdf=False)
    _manifest, casefile, _reports = _bundle_parts(out)
    assert "confirmed:" in casefile
    monkeypatch.delenv("ENQUIRY_DB", raising=False)  # the other home is on SQLite
    (tmp_path / "by-hand").mkdir()
    path = tmp_path / "by-hand" / "case.yaml"
    path.write_text(casefile.replace("name: pix", "name: pix-by-hand", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "other"), "load", str(path)])
    assert result.exit_code != 0
    assert ".confirmed: " in result.stderr and "bundle import" in result.stderr, result.stderr
