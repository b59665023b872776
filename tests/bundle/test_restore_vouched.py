"""A backup becomes a whole home only when someone vouches for who made it.

A forged backup verifies as well as a real one (its forger re-hashes the manifest, or signs it
with a key of their own and carries that key inside), and a new home has no key of its own to
tell them apart. So ``restore`` needs the signer's public key (``--key``) or the user's word on
the fingerprint they checked (``--accept-signer``, ``unsigned`` for a backup made without
``--sign``); otherwise it refuses before anything is unpacked, and the restore event records
what vouched for the backup."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bundle_helpers import PASSPHRASE, Made, enquiry, manifest, transferred

from enquiry.app import Enquiry, bundles
from enquiry.errors import BadRequest, Refused, Unverified


@dataclass(frozen=True)
class Backups:
    signed: Path
    unsigned: Path
    fingerprint: str  # of the key 'panel' that signed ``signed``


@pytest.fixture(scope="module")
def backups(made: Made, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backups]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        root = tmp_path_factory.mktemp("backups")
        origin = Enquiry.at(made.home, "panel-secretary")
        signed = bundles.backup(origin, root / "signed.zip", sign="panel", passphrase=PASSPHRASE)
        unsigned = bundles.backup(origin, root / "unsigned.zip")
        yield Backups(
            signed.path, unsigned.path, str(manifest(signed.path)["signer"]["fingerprint"])
        )


@pytest.fixture(autouse=True)
def _sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENQUIRY_DB", raising=False)


def _restore_event(home: Path) -> dict[str, Any]:
    return transferred(Enquiry.at(home, "reader"), "restore")


def _untouched(home: Path) -> bool:
    return not home.exists() or not any(home.iterdir())


def test_a_signed_backup_nobody_vouches_for_is_refused_before_anything_is_unpacked(
    backups: Backups, tmp_path: Path
) -> None:
    home = tmp_path / "restored"
    with pytest.raises(Refused) as refused:
        bundles.restore(Enquiry.at(home, "successor"), backups.signed)
    line = str(refused.value)
    assert f"signed by a key with fingerprint {backups.fingerprint[:16]}" in line
    assert "nothing here vouches for" in line and "nothing was restored" in line
    assert f"--accept-signer {backups.fingerprint[:16]}" in line and "\n" not in line
    assert _untouched(home)


def test_a_fingerprint_that_is_not_the_signers_is_refused(backups: Backups, tmp_path: Path) -> None:
    home = tmp_path / "restored"
    wrong = ("0" if backups.fingerprint[0] != "0" else "1") + backups.fingerprint[1:16]
    with pytest.raises(
        Refused, match=f"signed by the key with fingerprint {backups.fingerprint[:16]}, not {wrong}"
    ):
        bundles.restore(Enquiry.at(home, "successor"), backups.signed, accept_signer=wrong)
    for bad in ("abc", "panel", backups.fingerprint[:15], "g" * 16):
        with pytest.raises(BadRequest, match="not a key fingerprint"):
            bundles.restore(Enquiry.at(home, "successor"), backups.signed, accept_signer=bad)
    with pytest.raises(Refused, match="not signed, so nothing shows who made it"):
        bundles.restore(
            Enquiry.at(home, "successor"), backups.unsigned, accept_signer=backups.fingerprint
        )
    assert _untouched(home)


def test_the_signers_fingerprint_checked_restores_and_is_recorded(
    backups: Backups, tmp_path: Path
) -> None:
    home = tmp_path / "restored"
    said = backups.fingerprint[:20].upper()  # as a person may copy it
    restored = bundles.restore(Enquiry.at(home, "successor"), backups.signed, accept_signer=said)
    assert restored.signer == backups.fingerprint
    event = _restore_event(home)
    assert event["fingerprint"] == backups.fingerprint and event["key"] == "panel"
    assert event["vouched"] == "its fingerprint, checked by whoever restored it (--accept-signer)"


def test_the_signers_public_key_restores_and_is_recorded(
    made: Made, backups: Backups, tmp_path: Path
) -> None:
    home = tmp_path / "restored"
    bundles.restore(Enquiry.at(home, "successor"), backups.signed, key=made.key)
    event = _restore_event(home)
    assert (event["fingerprint"], event["vouched"]) == (
        backups.fingerprint,
        "the key given (--key)",
    )
    with pytest.raises(Unverified, match="wrong key"):
        bundles.restore(Enquiry.at(tmp_path / "other", "x"), backups.signed, key=made.other_key)
    assert _untouched(tmp_path / "other")


def test_an_unsigned_backup_restores_only_on_the_users_word(
    backups: Backups, tmp_path: Path
) -> None:
    home = tmp_path / "restored"
    with pytest.raises(
        Refused, match=r"not signed, so nothing shows who made it.*--accept-signer unsigned"
    ):
        bundles.restore(Enquiry.at(home, "successor"), backups.unsigned)
    assert _untouched(home)
    bundles.restore(Enquiry.at(home, "successor"), backups.unsigned, accept_signer="Unsigned ")
    event = _restore_event(home)
    assert event["fingerprint"] is None and event["key"] is None
    assert event["vouched"] == "the word of whoever restored it (--accept-signer unsigned)"


def test_the_command_line_refuses_in_one_line_and_says_what_vouched(
    backups: Backups, tmp_path: Path
) -> None:
    home = tmp_path / "restored"
    refused = enquiry("--home", home, "restore", backups.signed)
    assert refused.returncode != 0
    assert refused.stderr.strip().count("\n") == 0
    assert f"--accept-signer {backups.fingerprint[:16]}" in refused.stderr
    assert _untouched(home)
    done = enquiry(
        "--home", home, "restore", backups.signed, "--accept-signer", backups.fingerprint[:16]
    )
    assert done.returncode == 0, done.stderr
    assert (
        f"backup signed by {backups.fingerprint[:16]}; vouched for by its fingerprint, checked"
        " by whoever restored it (--accept-signer)"
    ) in done.stdout


def test_an_unsigned_backup_is_said_to_be_so_when_written(made: Made, tmp_path: Path) -> None:
    written = enquiry("--home", made.home, "backup", "-o", tmp_path / "plain.zip")
    assert written.returncode == 0, written.stderr
    assert "not signed, so nothing will show who made it" in written.stderr
    assert "--accept-signer unsigned" in written.stderr
    signed = enquiry(
        "--home", made.home, "backup", "-o", tmp_path / "signed.zip", "--sign", "panel"
    )
    assert signed.returncode == 0, signed.stderr
    assert "not signed" not in signed.stderr
