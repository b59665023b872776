"""Signing keys: encrypted at rest, names never reused, creation and revocation in the ledger."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from bundle_helpers import PASSPHRASE
from click.testing import CliRunner
from sqlalchemy import select

from enquiry.app import Enquiry, keys
from enquiry.app.evidence import verify_home
from enquiry.cli import main
from enquiry.errors import BadRequest, NotFound, Refused
from enquiry.publish import bundle_check
from enquiry.store.tables import CustodyEvent


def _events(app: Enquiry) -> list[tuple[str, dict[str, object]]]:
    with app.store().session() as session:
        rows = session.scalars(select(CustodyEvent).order_by(CustodyEvent.seq)).all()
        return [(row.action, json.loads(row.details)) for row in rows]


def test_a_key_is_made_encrypted_and_recorded(home: Path, backend: str) -> None:
    app = Enquiry.at(home, "chair")
    view = keys.create(app, "panel", PASSPHRASE)
    private = home / "keys" / "panel.key"
    data = private.read_bytes()
    assert data.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert (
        "created",
        {
            "key": "panel",
            "fingerprint": view.fingerprint,
            "what": "signing key",
            "identified_by": "home's files",
        },
    ) in (_events(app))
    assert [k.name for k in keys.list_keys(app)] == ["panel"]
    assert verify_home(app).intact


def test_a_name_in_use_is_refused_and_the_first_key_kept(home: Path, backend: str) -> None:
    app = Enquiry.at(home, "chair")
    first = keys.create(app, "panel", PASSPHRASE)
    before = (home / "keys" / "panel.key").read_bytes()
    with pytest.raises(Refused, match="key 'panel': a key of that name exists"):
        keys.create(app, "panel", "another passphrase")
    assert (home / "keys" / "panel.key").read_bytes() == before
    assert [k.fingerprint for k in keys.list_keys(app)] == [first.fingerprint]


@pytest.mark.parametrize("name", ["", "../escape", "-dash", "a b", "x" * 101])
def test_a_bad_key_name_is_refused(home: Path, name: str) -> None:
    with pytest.raises(BadRequest, match="use 1-100 letters"):
        keys.create(Enquiry.at(home, "chair"), name, PASSPHRASE)


def test_the_wrong_passphrase_unlocks_nothing(home: Path) -> None:
    app = Enquiry.at(home, "chair")
    keys.create(app, "panel", PASSPHRASE)
    with pytest.raises(Refused, match="key 'panel': wrong passphrase"):
        keys.unlock(app, "panel", "guess")
    with pytest.raises(NotFound, match="key 'nobody': no such key"):
        keys.unlock(app, "nobody", PASSPHRASE)


def test_revocation_is_recorded_signed_and_exported(
    home: Path, tmp_path: Path, backend: str
) -> None:
    app = Enquiry.at(home, "chair")
    made = keys.create(app, "panel", PASSPHRASE)
    revoked = keys.revoke(app, "panel", PASSPHRASE)
    assert revoked.revoked_at is not None
    action, details = _events(app)[-2]  # the revocation, then the row record
    assert (action, details["revoked"], details["fingerprint"]) == (
        "updated",
        revoked.revoked_at,
        made.fingerprint,
    )
    out = keys.export_public(app, "panel", tmp_path / "panel.pub.json")
    key = bundle_check.read_public_key(out)
    assert (key.fingerprint, key.revoked_at) == (made.fingerprint, revoked.revoked_at)
    with pytest.raises(Refused, match=r"revoked .* it signs nothing more"):
        keys.unlock(app, "panel", PASSPHRASE)
    with pytest.raises(Refused, match="exists; choose another file"):
        keys.export_public(app, "panel", out)
    assert verify_home(app).intact


def test_the_commands(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENQUIRY_KEY_PASSPHRASE", PASSPHRASE)
    runner = CliRunner()
    made = runner.invoke(main, ["--home", str(home), "keys", "create", "panel"])
    assert made.exit_code == 0 and made.stdout.startswith("key 'panel' created: ed25519 ")
    again = runner.invoke(main, ["--home", str(home), "keys", "create", "panel"])
    assert (again.exit_code, again.stderr) == (
        1,
        "enquiry: key 'panel': a key of that name exists; choose another name\n",
    )
    listed = runner.invoke(main, ["--home", str(home), "keys", "list", "--json"])
    assert [k["name"] for k in json.loads(listed.stdout)] == ["panel"]
    out = tmp_path / "p.json"
    exported = runner.invoke(
        main, ["--home", str(home), "keys", "export-public", "panel", "-o", str(out)]
    )
    assert exported.exit_code == 0 and json.loads(out.read_text())["name"] == "panel"
    monkeypatch.setenv("ENQUIRY_KEY_PASSPHRASE", "wrong")
    refused = runner.invoke(main, ["--home", str(home), "keys", "revoke", "panel"])
    assert (refused.exit_code, refused.stderr) == (
        1,
        "enquiry: key 'panel': wrong passphrase, or the key file is damaged\n",
    )


def test_a_name_that_would_be_refused_is_refused_before_the_passphrase_is_asked(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(keys.PASSPHRASE_ENV, raising=False)
    keys.create(Enquiry.at(home, "chair"), "panel", PASSPHRASE)
    runner = CliRunner()
    for name, reason in (("", "key name ''"), ("panel", "a key of that name exists")):
        # nothing on standard input: a prompt would read nothing and abort
        result = runner.invoke(main, ["--home", str(home), "keys", "create", name], input="")
        assert result.exit_code != 0 and reason in result.output, result.output
        assert "passphrase" not in result.output and "Aborted" not in result.output
