"""Round trips: a bundle taken into a successor's home verifies and analyses the same, exports
the same evidence again; redacted and left-out bytes come in as withheld items; a whole home
goes out and comes back as a backup."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest
from bundle_helpers import CASE_NAME, PASSPHRASE, SLUG, WITNESS, Made, manifest, rewrite, tool
from click.testing import CliRunner
from sqlalchemy import select

from enquiry.app import Enquiry, bundles, keys, publishing
from enquiry.app.evidence import list_cases, verify_home
from enquiry.cli import main
from enquiry.errors import BadRequest, Refused, Unverified
from enquiry.store.tables import BundleImport, CustodyEvent, WithheldItem


def _evidence(path: Path) -> tuple[object, dict[str, str]]:
    """What must survive export → import → export: the items, and the members that are the
    evidence and its analysis (the case file, the originals, the findings)."""
    body = manifest(path)
    members = {
        entry["path"]: entry["sha256"]
        for entry in body["members"]
        if not entry["path"].startswith(("ledger/", "report/"))
    }
    return body["items"], members


def test_import_continues_custody_verifies_and_analyses_the_same(
    made: Made, tmp_path: Path, backend: str
) -> None:
    successor = Enquiry.at(tmp_path / "successor", "successor")
    imported = bundles.import_bundle(successor, made.bundle, key=made.key)
    head = manifest(made.bundle)["ledger"]["head"]
    assert imported.head == (head["seq"], head["hash"])
    assert (imported.case, imported.withheld) == (CASE_NAME, 1)

    report = verify_home(successor)
    assert report.intact, report.failures
    assert report.withheld == 1
    assert any("withheld — blob" in note and "redacted" in note for note in report.notes)

    store = successor.store()
    with store.session() as session:
        row = session.scalars(select(BundleImport)).one()
        assert (row.head_seq, row.head_hash) == (head["seq"], head["hash"])
        assert row.manifest_sha256 == made.exported.manifest_sha256
        assert session.scalars(select(WithheldItem.reason)).all() == ["redacted"]
        transferred = session.scalars(
            select(CustodyEvent).where(CustodyEvent.action == "transferred")
        ).one()
    assert json.loads(transferred.details)["from_head"] == head

    ours = made.analysis
    theirs = publishing.analyse(successor, SLUG)
    assert theirs.inputs_hash == ours.inputs_hash
    assert theirs.result.to_dict() == ours.result.to_dict()

    again = bundles.export_bundle(successor, tmp_path / "again.zip", case=CASE_NAME)
    assert _evidence(again.path) == _evidence(made.bundle)
    assert tool(again.path).returncode == 0


def test_a_bundle_that_fails_verification_brings_nothing_in(made: Made, tmp_path: Path) -> None:
    bad = rewrite(made.bundle, tmp_path / "bad.zip", extra=[("originals/planted", b"x")])
    successor = Enquiry.at(tmp_path / "successor", "successor")
    with pytest.raises(Unverified, match=r"the bundle failed verification .*not in the manifest"):
        bundles.import_bundle(successor, bad, key=made.key)
    with pytest.raises(Unverified, match="wrong key"):
        bundles.import_bundle(successor, made.bundle, key=made.other_key)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(made.bundle.read_bytes()[:1000])
    with pytest.raises(BadRequest, match="not a ZIP archive, or truncated"):
        bundles.import_bundle(successor, cut)
    assert not (tmp_path / "successor").exists() or list_cases(successor) == []


def test_a_case_already_here_is_not_overwritten(made: Made, tmp_path: Path) -> None:
    successor = Enquiry.at(tmp_path / "successor", "successor")
    bundles.import_bundle(successor, made.bundle)
    with pytest.raises(Refused, match=f"case '{CASE_NAME}' exists in this home"):
        bundles.import_bundle(successor, made.bundle)


def test_hashes_only_carries_no_bytes_and_still_analyses_the_same(
    made: Made, tmp_path: Path
) -> None:
    origin = Enquiry.at(made.home, "panel-secretary")
    written = bundles.export_bundle(
        origin, tmp_path / "hashes.zip", incident=SLUG, hashes_only=True
    )
    with zipfile.ZipFile(written.path) as archive:
        assert not [n for n in archive.namelist() if n.startswith("originals/")]
        casefile = archive.read("case/case.yaml").decode()
    assert "The team's note on the collapsed span." not in casefile
    assert written.originals == 0 and written.withheld == 4
    successor = Enquiry.at(tmp_path / "successor", "successor")
    imported = bundles.import_bundle(successor, written.path)
    assert imported.withheld == 4
    report = verify_home(successor)
    assert report.intact and report.withheld == 4
    assert (
        publishing.analyse(successor, SLUG).result.to_dict()
        == publishing.analyse(origin, SLUG).result.to_dict()
    )


def test_a_reveal_carries_the_witness_and_is_recorded(made: Made, tmp_path: Path) -> None:
    origin = Enquiry.at(made.home, "panel-secretary")
    written = bundles.export_bundle(origin, tmp_path / "revealed.zip", case=CASE_NAME, reveal=True)
    with zipfile.ZipFile(written.path) as archive:
        assert WITNESS in archive.read("case/case.yaml").decode()
    assert written.withheld == 0
    with origin.store().session() as session:
        events = session.scalars(
            select(CustodyEvent).where(CustodyEvent.action.in_(["revealed", "exported"]))
        ).all()
    revealed = [e for e in events if e.action == "revealed"]
    assert revealed and all("revealed.zip" in e.details for e in revealed)
    last = json.loads(events[-1].details)
    assert (last["what"], last["revealed"], last["manifest_sha256"]) == (
        "bundle",
        True,
        written.manifest_sha256,
    )


def test_backup_and_restore_a_whole_home(
    made: Made, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from enquiry.store.vault import Vault

    synced: list[Path] = []
    sync = Vault.sync

    def watched_sync(self: Vault) -> None:
        synced.append(self.root)
        sync(self)

    monkeypatch.setattr(Vault, "sync", watched_sync)
    origin = Enquiry.at(made.home, "panel-secretary")
    backed = bundles.backup(origin, tmp_path / "home.zip", sign="panel", passphrase=PASSPHRASE)
    assert tool(backed.path, "--key", made.key).returncode == 0
    with pytest.raises(Refused, match="inside the home it backs up"):
        bundles.backup(origin, made.home / "inside.zip")

    restored_at = Enquiry.at(tmp_path / "restored", "successor")
    restored = bundles.restore(restored_at, backed.path, key=made.key)
    assert restored.files > 0
    # the restored vault is flushed to the disk before the restore is recorded
    assert tmp_path / "restored" / "vault" in synced
    # The protected witness's ciphertext comes back under its BLAKE3 address, and verifies.
    assert [p for p in (tmp_path / "restored" / "vault" / "blake3").rglob("*") if p.is_file()]
    assert verify_home(restored_at).intact
    assert [c.name for c in list_cases(restored_at)] == [c.name for c in list_cases(origin)]
    assert [k.fingerprint for k in keys.list_keys(restored_at)] == [
        k.fingerprint for k in keys.list_keys(origin)
    ]
    key_file = tmp_path / "restored" / "keys" / "panel.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    private = key_file.read_bytes()
    assert private.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert keys.unlock(restored_at, "panel", PASSPHRASE)[0].name == "panel"

    with pytest.raises(Refused, match="not empty"):
        bundles.restore(restored_at, backed.path)
    with pytest.raises(BadRequest, match="a case bundle, not a backup"):
        bundles.restore(Enquiry.at(tmp_path / "other", "x"), made.bundle)
    with pytest.raises(BadRequest, match="a backup bundle; restore a backup"):
        bundles.import_bundle(Enquiry.at(tmp_path / "third", "x"), backed.path)


def test_the_export_command_refuses_bad_requests(made: Made, tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["--home", str(made.home), "bundle", "export", "-o", str(tmp_path / "b.zip")]
    neither = runner.invoke(main, base)
    assert (neither.exit_code, neither.stderr) == (
        2,
        "enquiry: give exactly one of --case NAME or --incident ID\n",
    )
    both = runner.invoke(main, [*base, "--case", CASE_NAME, "--reveal", "--redact-protected"])
    assert both.exit_code == 2 and "not both" in both.stderr
    unknown = runner.invoke(main, [*base, "--case", "nope"])
    assert (unknown.exit_code, unknown.stderr) == (1, "enquiry: case 'nope': no such case\n")
    wrong = runner.invoke(
        main, [*base, "--case", CASE_NAME, "--sign", "panel"], env={"ENQUIRY_KEY_PASSPHRASE": "x"}
    )
    assert (wrong.exit_code, wrong.stderr) == (
        1,
        "enquiry: key 'panel': wrong passphrase, or the key file is damaged\n",
    )
    assert not (tmp_path / "b.zip").exists()
