"""What the catalogue records is on the disk first: a blob's bytes and its name before any row
names it, and a SQLite commit before it returns.

A power cut cannot be staged in a test; what these check is the order of the flushes the
system makes (each still done, on the real file system), which is what a power cut would meet.
Without them a blob lived in the page cache for up to half a minute after its custody record
was committed: PostgreSQL's commit is durable, so a power cut in that window left a durable
record of evidence whose bytes were lost; and SQLite at ``synchronous=NORMAL`` could roll back
the latest commits — an intake the user was told had finished, or a seal that destroyed a
withdrawn witness's key."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from enquiry.intake import pipeline
from enquiry.intake.pipeline import IntakeOptions, add_paths
from enquiry.store import open_store
from enquiry.store.vault import Vault


def _watch_flushes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record every ``fsync`` (of which path) and ``replace`` (to which path), in order; both
    still happen."""
    seen: list[tuple[str, str]] = []
    fsync, replace = os.fsync, os.replace

    def watched_fsync(fd: int) -> None:
        seen.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        fsync(fd)

    def watched_replace(source: str | Path, target: str | Path) -> None:
        seen.append(("replace", str(target)))
        replace(source, target)

    monkeypatch.setattr(os, "fsync", watched_fsync)
    monkeypatch.setattr(os, "replace", watched_replace)
    return seen


def test_a_blob_is_on_disk_before_its_name_and_its_name_before_it_is_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = Vault(tmp_path / "vault")
    vault.ensure()
    seen = _watch_flushes(monkeypatch)
    stored = vault.put_bytes(b"the crater was fresh on the morning of the fourth\n")
    final = vault.path(stored.sha256)
    shard, parent = final.parent, final.parent.parent
    temp = seen[0][1]
    assert seen == [
        ("fsync", temp),  # the bytes, under their temporary name
        ("replace", str(final)),
        ("fsync", str(shard)),  # the folder that names the blob
        ("fsync", str(parent)),  # the folder that names that folder, made for it
        ("fsync", str(parent.parent)),  # and the one above, made too
    ]
    assert temp != str(final) and Path(temp).parent == vault.tmp

    # a blob whose folders exist already: only its bytes and the folder naming it
    note = b"a second note\n"
    folder = vault.path(hashlib.sha256(note).hexdigest()).parent
    folder.mkdir(parents=True)
    seen.clear()
    vault.put_bytes(note)
    assert [kind for kind, _ in seen] == ["fsync", "replace", "fsync"]
    assert seen[-1] == ("fsync", str(folder))


def test_an_intake_flushes_each_batch_once_before_committing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    for n in range(7):
        (folder / f"note-{n}.txt").write_text(f"note {n}: a crater by the silos\n", "utf-8")
    store = open_store(tmp_path / "home", "tester")
    order: list[str] = []
    sync, write = Vault.sync, pipeline._CaseWriter.write

    def watched_sync(self: Vault) -> None:
        order.append("sync")
        sync(self)

    def watched_write(
        self: pipeline._CaseWriter, batch: list[pipeline.Prepared], *a: object
    ) -> None:
        order.append(f"write {len(batch)}")
        write(self, batch, *a)  # type: ignore[arg-type]

    monkeypatch.setattr(Vault, "sync", watched_sync)
    monkeypatch.setattr(pipeline._CaseWriter, "write", watched_write)
    monkeypatch.setattr(pipeline, "BATCH_FILES", 3)
    seen = _watch_flushes(monkeypatch)
    options = IntakeOptions(case="durable", progress=False, jobs=1)
    report = add_paths(store, [folder], options, ())
    assert report.count("stored") == 7
    # one flush of the vault's file system before each batch's rows are written
    assert order == ["sync", "write 3", "sync", "write 3", "sync", "write 1"]
    # and not two or three flushes for every small file besides
    blobs = [path for kind, path in seen if kind == "fsync" and "/vault/" in path]
    assert blobs == []
    for result in report.results:
        assert result.sha256 is not None
        assert store.vault.path(result.sha256).is_file()


def test_a_sqlite_commit_is_on_disk_when_it_returns(tmp_path: Path) -> None:
    store = open_store(tmp_path / "home", "tester")
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        # FULL (2): the write-ahead log is flushed at every commit, not only at checkpoints
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2


def test_a_protection_key_file_and_a_signing_key_are_on_disk_when_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a key file lost to a power cut after case keys were wrapped under it would take every
    # protected item with it; a signing key, every signature made with it
    from enquiry.app.atrest import new_key_file
    from enquiry.publish.signing import create_key, private_path

    seen = _watch_flushes(monkeypatch)
    key = new_key_file(tmp_path / "protection.key")
    assert seen == [("fsync", str(key)), ("fsync", str(tmp_path))]
    seen.clear()
    home = tmp_path / "home"
    create_key(home, "panel", "a long passphrase for the test")
    private = private_path(home, "panel")
    assert seen == [("fsync", str(private)), ("fsync", str(private.parent))]


def test_the_ledger_head_file_is_replaced_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a power cut must leave the last head or the one before, not an empty file that verify
    # would rightly report as a deleted head
    from enquiry.store.ledger import GENESIS, Head, head_file, write_head_file

    home = tmp_path / "home"
    home.mkdir()
    seen = _watch_flushes(monkeypatch)
    write_head_file(home, Head(1, GENESIS))
    temp = seen[0][1]
    assert seen == [
        ("fsync", temp),
        ("replace", str(head_file(home))),
        ("fsync", str(home)),
    ]
    assert temp != str(head_file(home))
