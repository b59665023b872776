"""A redaction's confirmation crosses a handover only on the word of a signer the importing home
vouches for, and a bundle carries the bytes of no redaction but the one its report publishes.

A confirmation is a person's decision that a picture may be published. ``bundle import`` takes
it from a bundle when the importer gave the signer's public key (``--key``) or the bundle is
signed by one of the importing home's own keys; otherwise anyone could make and self-sign a
bundle saying "confirmed by reviewer X" and have the importing home publish that picture. Each
case is tried on real homes with the real export, import, redactor and command line; the
forger rewrites a real bundle with ``cryptography``'s Ed25519, as anyone can."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from bundle_helpers import PASSPHRASE, transferred, verify_both
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from sqlalchemy import select

from enquiry.app import Enquiry, bundles, cases, evidence, keys, publishing, redaction
from enquiry.cli import main
from enquiry.enrich.media import samples
from enquiry.intake.casefile import to_yaml
from enquiry.publish import bundle_check
from enquiry.store.tables import BundleImport, CustodyEvent, Item, WithheldItem
from small_case import one_incident_case

INCIDENT = "handover-2021"
CASE_NAME = "handover"
CASE = one_incident_case(CASE_NAME, "Pictures handed over", INCIDENT)
CASE_MEMBER = "case/case.yaml"


@dataclass(frozen=True)
class Source:
    """The home a case is handed over from, its bundles, and the key that signs them.

    ``face`` is a protected photo with two confirmed redactions (``face_old``, then
    ``face_new``); ``sensitive`` a photo nobody protected, also redacted and confirmed twice;
    ``other`` a protected photo whose one redaction (``other_redaction``) nobody confirmed.
    ``keys_only`` is a backup of the home taken when it held the key 'panel' and no case: a
    home restored from it holds the same key."""

    root: Path
    app: Enquiry
    ids: dict[str, int]
    shas: dict[str, str]
    key: Path
    keys_only: Path
    redacted: Path
    revealed: Path


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Source]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        root = tmp_path_factory.mktemp("handover")
        home = root / "source"
        app = Enquiry.at(home, "admin")
        keys.create(app, "panel", PASSPHRASE)
        keys.export_public(app, "panel", root / "panel.pub.json")
        keys_only = bundles.backup(app, root / "keys-only.zip").path
        (root / "case.yaml").write_text(CASE, encoding="utf-8")
        cases.load(app, root / "case.yaml")
        files = root / "files"
        files.mkdir()
        face = samples.photo("astronaut")
        ids: dict[str, int] = {}

        def add(name: str, pixels: np.ndarray, *, protected: bool) -> None:
            path = files / f"{name}.jpg"
            Image.fromarray(np.ascontiguousarray(pixels)).save(path, quality=92)
            evidence.add(app, [path], case=CASE_NAME, kind="photo", protected=protected)
            ids[name] = max(r.id for r in evidence.list_items(app, limit=1000).items)

        def redact(name: str, of: str, region: str, confirmed_by: str | None) -> None:
            ids[name] = redaction.redact(app, str(ids[of]), regions=[region]).item_id
            if confirmed_by is not None:
                redaction.confirm(Enquiry.at(home, confirmed_by), str(ids[name]))

        add("face", face, protected=True)
        redact("face_old", "face", "180,60,160,180", "reviewer-a")
        redact("face_new", "face", "150,40,220,260", "reviewer-b")
        add("sensitive", face[:, ::-1], protected=False)
        redact("sensitive_old", "sensitive", "180,60,160,180", "reviewer-a")
        redact("sensitive_new", "sensitive", "150,40,220,260", "reviewer-b")
        add("other", face[::-1], protected=True)
        redact("other_redaction", "other", "150,250,220,260", None)

        shas: dict[str, str] = {}
        with app.store(create=False).session() as session:
            for name, item_id in ids.items():
                found = session.get(Item, item_id)
                assert found is not None and found.sha256 is not None
                shas[name] = found.sha256
        assert len(set(shas.values())) == len(shas)  # every redaction is a picture of its own
        redacted = bundles.export_bundle(
            app,
            root / "redacted.zip",
            case=CASE_NAME,
            sign="panel",
            passphrase=PASSPHRASE,
            pdf=False,
        ).path
        revealed = bundles.export_bundle(
            app,
            root / "revealed.zip",
            case=CASE_NAME,
            sign="panel",
            passphrase=PASSPHRASE,
            reveal=True,
            pdf=False,
        ).path
        yield Source(root, app, ids, shas, root / "panel.pub.json", keys_only, redacted, revealed)


@pytest.fixture(autouse=True)
def _sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    """The homes a bundle is imported into are on SQLite."""
    monkeypatch.delenv("ENQUIRY_DB", raising=False)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _inlined(page: str) -> set[str]:
    found = re.findall(r'<img src="data:image/[\w.+-]+;base64,([A-Za-z0-9+/=]+)"', page)
    return {_sha(base64.b64decode(data)) for data in found}


def _report(app: Enquiry, out: Path) -> str:
    publishing.report(app, INCIDENT, out)
    return out.read_text(encoding="utf-8")


def _cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def _rows(app: Enquiry) -> dict[str, Item]:
    """The imported items by SHA-256."""
    with app.store(create=False).session() as session:
        rows = {
            str(row.sha256): row
            for row in session.scalars(select(Item).where(Item.sha256.is_not(None)))
        }
        for row in rows.values():
            session.expunge(row)
    return rows


def _confirmations(app: Enquiry) -> dict[int, dict[str, Any]]:
    """Every ``confirmed`` event of the home: item id -> its details."""
    with app.store(create=False).session() as session:
        events = session.execute(
            select(CustodyEvent.item_id, CustodyEvent.details).where(
                CustodyEvent.action == "confirmed"
            )
        ).all()
    return {int(item_id): json.loads(details) for item_id, details in events}


def _transferred(app: Enquiry) -> dict[str, Any]:
    """The details of the home's one ``transferred`` event of a bundle import."""
    return transferred(app, "bundle import")


def _notes(result: Result) -> list[str]:
    """The import's notes about redactions taken in unconfirmed."""
    return [
        line.strip()
        for line in result.stderr.splitlines()
        if line.strip().startswith("note: item") and "confirmed for publication" in line
    ]


def _members(bundle: Path) -> tuple[dict[str, Any], bytes, set[str], str]:
    """A bundle's manifest, case file, carried originals (by hash) and report page."""
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        casefile = archive.read(CASE_MEMBER)
        names = archive.namelist()
        report = archive.read(f"report/{INCIDENT}.html").decode("utf-8")
    carried = {n.removeprefix("originals/") for n in names if n.startswith("originals/")}
    return manifest, casefile, carried, report


def _rewritten(
    bundle: Path,
    target: Path,
    edit_casefile: Callable[[dict[str, Any]], None] | None,
    sign: Ed25519PrivateKey | None,
    *,
    keep_signer: bool = False,
) -> Path:
    """``bundle`` re-made as a forger would: its case file edited, the manifest's entry for it
    re-hashed, and the manifest signed again with ``sign`` — a key of the forger's own,
    calling itself 'panel' like the mechanism's — or, without one, left unsigned: the
    signature dropped and, unless ``keep_signer``, the manifest's signer too (kept, it still
    names the mechanism's key, with no signature to show for it)."""
    manifest, casefile, _carried, _report = _members(bundle)
    if edit_casefile is not None:
        doc = yaml.safe_load(casefile)
        edit_casefile(doc)
        casefile = to_yaml(doc).encode("utf-8")
    for entry in manifest["members"]:
        if entry["path"] == CASE_MEMBER:
            entry.update(size=len(casefile), sha256=_sha(casefile))
    signature: bytes | None = None
    if sign is not None:
        raw = sign.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        manifest["signer"].update(
            public_key=base64.b64encode(raw).decode(), fingerprint=bundle_check.fingerprint(raw)
        )
    elif not keep_signer:
        manifest.pop("signer")
    data = json.dumps(manifest).encode()
    if sign is not None:
        signature = json.dumps(
            {
                "fingerprint": manifest["signer"]["fingerprint"],
                "signature": base64.b64encode(sign.sign(data)).decode(),
            }
        ).encode()
    with zipfile.ZipFile(bundle) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename == "signature.json":
                if signature is not None:
                    new.writestr(info.filename, signature)
                continue
            body = old.read(info)
            if info.filename == "manifest.json":
                body = data
            elif info.filename == CASE_MEMBER:
                body = casefile
            new.writestr(info.filename, body, compress_type=info.compress_type)
    return target


# --- a bundle carries the bytes of the one redaction its report publishes ----------------------


def test_a_redacted_bundle_carries_only_the_redaction_its_report_publishes(
    source: Source, tmp_path: Path
) -> None:
    """Of a photo confirmed twice, the report publishes the newer redaction, and the bundle
    carries its bytes alone: the older is carried by its hash, like any withheld item — for a
    protected photo and for one nobody protected. The verifier and an import accept it, and
    the successor publishes the same pictures."""
    shas, ids = source.shas, source.ids
    manifest, _casefile, carried, report = _members(source.redacted)
    assert _inlined(report) == {shas["face_new"], shas["sensitive_new"]}
    assert {s for s in carried if s in shas.values()} == _inlined(report)
    entries = {entry["id"]: entry for entry in manifest["items"]}
    for old in ("face_old", "sensitive_old"):
        entry = entries[ids[old]]
        assert (entry["content"], entry["member"]) == ("redacted", None), old
        assert "published" not in entry
    new = entries[ids["face_new"]]
    assert (new["content"], new["member"]) == ("included", f"originals/{shas['face_new']}")
    assert new["published"] == "confirmed redaction"
    assert entries[ids["sensitive_new"]]["content"] == "included"

    # the command and the stand-alone script give the same account (verify_both)
    status, out, _err = verify_both(source.redacted, "--key", source.key)
    assert status == 0, out
    assert f"item {ids['face_old']} (photo, sha256 {shas['face_old'][:12]}): content redacted" in (
        out
    )

    # the honest handover: the signer's key given, the confirmations come along
    successor = Enquiry.at(tmp_path / "successor", "successor")
    imported = _cli(
        "--home", successor.home, "bundle", "import", source.redacted, "--key", source.key
    )
    assert imported.exit_code == 0, imported.output
    assert _notes(imported) == []
    rows = _rows(successor)
    with successor.store(create=False).session() as session:
        withheld = set(session.scalars(select(WithheldItem.item_id)))
    assert rows[shas["face_old"]].id in withheld and rows[shas["face_new"]].id not in withheld
    confirmed = _confirmations(successor)
    for name in ("face_old", "face_new", "sensitive_old", "sensitive_new"):
        said = confirmed[rows[shas[name]].id]
        assert said["confirmed"]["in"] == "the source home", name
    assert confirmed[rows[shas["face_new"]].id]["confirmed"]["by"] == "reviewer-b"
    assert rows[shas["other_redaction"]].id not in confirmed
    assert _transferred(successor)["vouched"] == "the key given (--key)"
    assert _inlined(_report(successor, tmp_path / "successor.html")) == _inlined(report)
    assert _cli("--home", successor.home, "verify").exit_code == 0

    # exported again, it carries the same picture and the older redaction by hash only
    again = bundles.export_bundle(successor, tmp_path / "again.zip", case=CASE_NAME, pdf=False)
    _manifest, _case, carried_again, _page = _members(again.path)
    assert {s for s in carried_again if s in shas.values()} == _inlined(report)
    assert _cli("bundle", "verify", again.path).exit_code == 0


def test_a_revealed_bundle_still_carries_every_redaction(source: Source) -> None:
    """A reveal carries everything the family rule lets out, the superseded redaction too."""
    _manifest, _casefile, carried, _report = _members(source.revealed)
    for name in ("face_old", "face_new", "sensitive_old", "sensitive_new", "other_redaction"):
        assert source.shas[name] in carried, name


# --- a confirmation is taken in only from a signer the home vouches for ------------------------


def test_a_forged_self_signed_confirmation_is_taken_in_unconfirmed(
    source: Source, tmp_path: Path
) -> None:
    """The forger takes a revealed bundle, writes in its case file that the redaction nobody
    confirmed was confirmed by 'reviewer-x', and signs it again with a key of its own named
    'panel'. It verifies, as a self-consistent bundle; imported without --key, no redaction
    comes in confirmed — that one, and those the source home did confirm, whose confirmation
    now rests on the forger's word alone — and each gets one note naming it, why, and what to
    do. Nothing is published until someone here confirms it."""
    shas = source.shas
    target = shas["other_redaction"]

    def claim(doc: dict[str, Any]) -> None:
        (entry,) = [item for item in doc["items"] if item.get("sha256") == target]
        assert "confirmed" not in entry
        entry["confirmed"] = {"by": "reviewer-x", "at": "2021-03-04T10:00:00.000000Z"}

    forged = _rewritten(
        source.revealed, tmp_path / "forged.zip", claim, Ed25519PrivateKey.generate()
    )
    checked = _cli("bundle", "verify", forged)
    assert checked.exit_code == 0, checked.output
    assert "calling itself 'panel'" in checked.stdout
    refused = _cli("bundle", "verify", forged, "--key", source.key)
    assert refused.exit_code == 1 and "wrong key" in refused.stdout

    successor = Enquiry.at(tmp_path / "successor", "successor")
    imported = _cli("--home", successor.home, "bundle", "import", forged)
    assert imported.exit_code == 0, imported.output
    assert _confirmations(successor) == {}
    rows = _rows(successor)
    item, original = rows[target].id, rows[shas["other"]].id
    notes = _notes(imported)
    assert len(notes) == 5, notes  # the forged one, and the four the source home confirmed
    (note,) = [line for line in notes if line.startswith(f"note: item {item} ")]
    assert f"(a redaction of item {original})" in note
    assert "confirmed for publication by 'reviewer-x' at 2021-03-04T10:00:00.000000Z" in note
    assert "a key calling itself 'panel'" in note and "not one of this home's keys" in note
    assert f"'enquiry media redact --confirm {item}'" in note and "--key" in note
    assert _transferred(successor)["vouched"] is None

    page = _report(successor, tmp_path / "successor.html")
    assert _inlined(page) == set()
    assert f"withheld: item {original}: protected, and no confirmed redaction" in page

    # a person here looks at it and confirms it: only then is it published
    confirmed = _cli(
        "--home", successor.home, "--as", "reviewer-here", "media", "redact", "--confirm", item
    )
    assert confirmed.exit_code == 0, confirmed.output
    assert target in _inlined(_report(successor, tmp_path / "after.html"))
    assert "in" not in _confirmations(successor)[item]  # the confirmation is this home's own


def test_an_unsigned_bundle_carries_no_confirmation_and_names_no_signer(
    source: Source, tmp_path: Path
) -> None:
    """Its signature dropped, a bundle still verifies (a note says it is not signed) — with
    its manifest still naming the mechanism's key. Nothing vouches for that: its confirmations
    are not taken in, and the import records no signer."""
    unsigned = _rewritten(source.redacted, tmp_path / "unsigned.zip", None, None, keep_signer=True)
    assert _cli("bundle", "verify", unsigned).exit_code == 0
    successor = Enquiry.at(tmp_path / "successor", "successor")
    imported = bundles.import_bundle(successor, unsigned)
    assert imported.signer is None
    assert _confirmations(successor) == {}
    unconfirmed = [note for note in imported.notes if "confirmed for publication" in note]
    assert len(unconfirmed) == 4 and all("the bundle is not signed" in n for n in unconfirmed)
    rows = _rows(successor)
    new, old = rows[source.shas["face_new"]].id, rows[source.shas["face_old"]].id
    (about_new,) = [n for n in unconfirmed if n.startswith(f"item {new} ")]
    assert f"'enquiry media redact --confirm {new}'" in about_new
    # the older redaction's bytes stayed out: nothing to look at, nothing to publish
    (about_old,) = [n for n in unconfirmed if n.startswith(f"item {old} ")]
    assert "its bytes were withheld from the bundle" in about_old and "--confirm" not in about_old
    transferred = _transferred(successor)
    assert (transferred["key"], transferred["fingerprint"], transferred["vouched"]) == (
        None,
        None,
        None,
    )
    with successor.store(create=False).session() as session:
        assert session.scalars(select(BundleImport.signer)).one() is None
    assert _inlined(_report(successor, tmp_path / "successor.html")) == set()


def test_a_bundle_signed_by_this_homes_own_key_keeps_its_confirmations(
    source: Source, tmp_path: Path
) -> None:
    """A home holding the signing key itself vouches for it without --key: a sibling home of
    the mechanism's, restored from its backup, takes the confirmations in."""
    sibling = Enquiry.at(tmp_path / "sibling", "admin")
    bundles.restore(sibling, source.keys_only, accept_signer="unsigned")
    result = bundles.import_bundle(sibling, source.redacted)
    assert not [note for note in result.notes if "confirmed for publication" in note]
    assert len(_confirmations(sibling)) == 4
    assert _transferred(sibling)["vouched"] == "this home's key 'panel'"
    page = _report(sibling, tmp_path / "sibling.html")
    assert _inlined(page) == {source.shas["face_new"], source.shas["sensitive_new"]}


def test_a_key_this_home_revoked_vouches_for_no_confirmation(
    source: Source, tmp_path: Path
) -> None:
    """Revoked, the home's key may be in a thief's hands: a bundle it signed brings its
    redactions in unconfirmed, each with a note saying so."""
    revoked = Enquiry.at(tmp_path / "revoked", "admin")
    bundles.restore(revoked, source.keys_only, accept_signer="unsigned")
    keys.revoke(revoked, "panel", PASSPHRASE)
    result = bundles.import_bundle(revoked, source.redacted)
    assert _confirmations(revoked) == {}
    unconfirmed = [note for note in result.notes if "confirmed for publication" in note]
    assert len(unconfirmed) == 4
    assert all("this home's key 'panel', which was revoked at" in n for n in unconfirmed)
