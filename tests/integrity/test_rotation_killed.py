"""A key rotation killed at any point leaves every protected item readable under exactly one
key — the old one if it died before its commit, the new one after — and the home verifying."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from integrity_helpers import die_at, driven

from enquiry.app import Enquiry, evidence
from enquiry.store.verify import verify

SECRET = b"Statement of witness W-9 on the checkpoint at kilometre 12\n"


@pytest.mark.parametrize(
    ("module", "name", "before", "opens"),
    [
        # the case key re-wrapped in the transaction, which never commits
        ("enquiry.app.atrest", "rewrap_case", False, "old"),
        # committed; killed before the head file is written
        ("enquiry.store", "write_head_file", True, "new"),
    ],
)
def test_a_rotation_killed_midway_loses_no_key(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    protection_key_file: Path,
    module: str,
    name: str,
    before: bool,
    opens: str,
) -> None:
    app = Enquiry.at(tmp_path / "home", "admin")
    (tmp_path / "in").mkdir()
    for index in range(3):
        path = tmp_path / "in" / f"s{index}.txt"
        path.write_bytes(SECRET + bytes([65 + index]))
    evidence.add(app, [tmp_path / "in"], case="c", kind="document", protected=True)
    new_key = tmp_path / "new.key"
    new_key.write_text(os.urandom(32).hex(), encoding="ascii")
    rotating = driven(
        app.home,
        die_at(module, name, before=before),
        "protection",
        "rotate",
        "--case",
        "c",
        "--new-key-file",
        str(new_key),
    )
    rotating.communicate(timeout=120)
    assert rotating.returncode == 137
    keys = {"old": protection_key_file, "new": new_key}
    for which, key in keys.items():
        monkeypatch.setenv("ENQUIRY_PROTECTION_KEY_FILE", str(key))
        report = verify(app.store(create=False))
        if which == opens:
            assert report.intact, report.failures
            assert not [n for n in report.notes if "checked by their ciphertext only" in n]
            copy = tmp_path / f"copy-{which}.txt"
            evidence.copy_item(app, "1", copy, reveal=True)
            assert copy.read_bytes().startswith(SECRET)
        else:
            assert [f for f in report.failures if "does not open" in f], report.failures
