"""Protecting an item removes its plain blob once no unencrypted item needs it; an intake of
the very same bytes running at the same time in another process (into another case, in the
clear) may already have stored that blob — a no-op, since it existed — and not yet committed
its rows. Neither side may lose anything: the intake's new item must find its blob, and the
protected item's plaintext must not stay in the vault when nothing in the clear needs it.

Each side runs in a process of its own, held at a chosen point (the intake between storing
and committing, the protection between committing and removing the plain blob), so that both
orders really happen."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from integrity_helpers import cli, driven

from demo_helpers import HomeTemplates
from enquiry.store import open_store
from enquiry.store.verify import VerifyReport, verify

STATEMENT = b"Statement taken at the river crossing, second visit; the same copy twice\n"

# Replaces ``CLASS.METHOD`` of ``MODULE`` so that its first call that ``WHEN`` allows touches
# ``FOLDER/NAME-paused`` and waits for ``FOLDER/NAME-go`` before going on.
HOLD = """
import time
from pathlib import Path
import {module} as _module

_plain = getattr(_module.{cls}, {method!r})
_held = []

def _waiting(self, *args, **kwargs):
    if not _held and ({when}):
        _held.append(True)
        folder = Path({folder!r})
        (folder / {paused!r}).touch()
        deadline = time.monotonic() + 120
        while not (folder / {go!r}).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    return _plain(self, *args, **kwargs)

setattr(_module.{cls}, {method!r}, _waiting)
"""


def _hold(folder: Path, name: str, module: str, cls: str, method: str, when: str = "True") -> str:
    return HOLD.format(
        module=module,
        cls=cls,
        method=method,
        when=when,
        folder=str(folder),
        paused=f"{name}-paused",
        go=f"{name}-go",
    )


# The intake, once its workers have stored the file, before its transaction.
INTAKE = ("enquiry.intake.pipeline", "_CaseWriter", "write")
# The protection, once its transaction has committed, before the plain blob goes.
REMOVAL = ("enquiry.store", "Store", "remove_plain", "self.plain_to_remove")


def _wait_for(marker: Path, process: object) -> None:
    deadline = time.monotonic() + 120
    while not marker.exists():
        poll = getattr(process, "poll", None)
        if poll is not None and poll() is not None:
            pytest.fail(f"{marker.name}: the process ended first: {process.communicate()}")  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, f"{marker.name} never came"
        time.sleep(0.01)


def _add_the_statement(home: Path) -> str:
    """Case ``first`` holding the statement in the clear (item 1), added from a file beside
    the home."""
    original = home.parent / "in" / "statement.txt"
    original.parent.mkdir()
    original.write_bytes(STATEMENT)
    cli(home, "add", str(original), "--case", "first", "--kind", "document")
    return ""


def _setup(tmp_path: Path, templates: HomeTemplates) -> tuple[Path, Path]:
    """A home whose case ``first`` holds the statement in the clear (item 1), a copy of one
    built once per back end and test process; and a copy of the same bytes elsewhere, to be
    taken into case ``second``."""
    home = templates.copy(
        "statement-in-the-clear",
        _add_the_statement,
        tmp_path / "home",
        os.environ.get("ENQUIRY_DB"),
    ).home
    copy = tmp_path / "other" / "statement-copy.txt"
    copy.parent.mkdir()
    copy.write_bytes(STATEMENT)
    return home, copy


def _verified(home: Path) -> VerifyReport:
    store = open_store(home, "tester", create=False)
    try:
        return verify(store)
    finally:
        store.engine.dispose()


def _check(home: Path, copy_result: dict[str, object]) -> None:
    """The second case's item is in the clear and its blob is there; the first case's item is
    encrypted; nothing of it is lost; verify is clean."""
    sha = hashlib.sha256(STATEMENT).hexdigest()
    blob = home / "vault" / "sha256" / sha[:2] / sha[2:4] / sha
    assert copy_result["status"] == "stored", copy_result
    assert blob.is_file(), "the intake's item points at a blob that was removed"
    assert blob.read_bytes() == STATEMENT
    report = _verified(home)
    assert report.intact, report.failures
    assert not [n for n in report.notes if "belong to no item" in n], report.notes
    shown = cli(home, "verify")
    assert "intact" in shown.stdout, shown.stdout
    # The protected item still opens (its ciphertext is whole); the other is read in the clear.
    out = home.parent / "revealed.txt"
    cli(home, "item", "copy", "1", "-o", str(out), "--reveal")
    assert out.read_bytes() == STATEMENT


def _held_intake(tmp_path: Path, home: Path, *files: Path, kind: bool = True) -> Any:
    """An intake of ``files`` into the second case, held after their blobs are stored and
    before its transaction (until ``intake-go`` appears)."""
    intake = driven(
        home,
        _hold(tmp_path, "intake", *INTAKE),
        "add",
        *map(str, files),
        "--case",
        "second",
        *(("--kind", "document") if kind else ()),
        "--json",
        "-j",
        "1",
    )
    _wait_for(tmp_path / "intake-paused", intake)
    return intake


def _intake_result(process: object) -> dict[str, object]:
    out, err = process.communicate(timeout=120)  # type: ignore[attr-defined]
    assert process.returncode == 0, (out, err)  # type: ignore[attr-defined]
    results = json.loads(out)
    assert len(results) == 1, (out, err)
    return dict(results[0])


def test_a_protection_that_removes_the_blob_before_the_intake_commits(
    tmp_path: Path, backend: str, home_templates: HomeTemplates
) -> None:
    home, copy = _setup(tmp_path, home_templates)
    intake = _held_intake(tmp_path, home, copy)
    # The blob is stored (it was already there) and the intake has not committed: protect.
    cli(home, "item", "update", "1", "--protect")
    (tmp_path / "intake-go").touch()
    _check(home, _intake_result(intake))


def test_an_intake_that_commits_between_the_protection_and_its_removal(
    tmp_path: Path, backend: str, home_templates: HomeTemplates
) -> None:
    home, copy = _setup(tmp_path, home_templates)
    intake = _held_intake(tmp_path, home, copy)
    protection = driven(
        home, _hold(tmp_path, "removal", *REMOVAL), "item", "update", "1", "--protect"
    )
    _wait_for(tmp_path / "removal-paused", protection)
    # The protection has committed and meant to remove the plain blob; the intake commits now.
    (tmp_path / "intake-go").touch()
    result = _intake_result(intake)
    (tmp_path / "removal-go").touch()
    out, err = protection.communicate(timeout=120)
    assert protection.returncode == 0, (out, err)
    _check(home, result)


def test_the_plaintext_still_goes_when_nothing_in_the_clear_needs_it(
    tmp_path: Path, backend: str, home_templates: HomeTemplates
) -> None:
    # An intake of other bytes runs meanwhile: the protected item's plain blob must still go.
    home, _copy = _setup(tmp_path, home_templates)
    other = tmp_path / "other" / "unrelated.txt"
    other.write_bytes(b"An unrelated note\n")
    intake = _held_intake(tmp_path, home, other, kind=False)
    cli(home, "item", "update", "1", "--protect")
    (tmp_path / "intake-go").touch()
    assert _intake_result(intake)["status"] == "stored"
    sha = hashlib.sha256(STATEMENT).hexdigest()
    assert not (home / "vault" / "sha256" / sha[:2] / sha[2:4] / sha).exists()
    report = _verified(home)
    assert report.intact, report.failures


def test_a_blob_removed_meanwhile_that_cannot_be_stored_again_fails_only_its_file(
    tmp_path: Path, backend: str, home_templates: HomeTemplates
) -> None:
    # The source file is gone by the time the intake commits: that file is refused with one
    # line, the other file of the same intake is committed, and nothing points at a lost blob.
    home, copy = _setup(tmp_path, home_templates)
    other = tmp_path / "other" / "unrelated.txt"
    other.write_bytes(b"An unrelated note\n")
    intake = _held_intake(tmp_path, home, copy, other)
    cli(home, "item", "update", "1", "--protect")
    copy.unlink()
    (tmp_path / "intake-go").touch()
    out, err = intake.communicate(timeout=120)
    assert intake.returncode == 1, (out, err)
    results = {Path(str(r["path"])).name: r for r in json.loads(out)}
    assert results["unrelated.txt"]["status"] == "stored", results
    refused = results["statement-copy.txt"]
    assert refused["status"] == "rejected", refused
    assert refused["item_id"] is None, refused
    assert len(refused["problems"]) == 1 and "removed from the vault" in refused["problems"][0]
    sha = hashlib.sha256(STATEMENT).hexdigest()
    assert not (home / "vault" / "sha256" / sha[:2] / sha[2:4] / sha).exists()
    report = _verified(home)
    assert report.intact, report.failures
    assert not [n for n in report.notes if "belong to no item" in n], report.notes
