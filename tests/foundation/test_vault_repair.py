"""Corrupt bytes are never handed out, genuine bytes repair them, and verify can be scoped.

A blob is corrupted as an attacker or a failing disk would: its read-only bit cleared and a byte
written. Reads re-hash and refuse it; re-adding the original replaces it and the ledger says so.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select

from enquiry.errors import Corrupt
from enquiry.intake.pipeline import IntakeOptions, add_bytes, add_paths
from enquiry.store import Store, open_store
from enquiry.store.tables import CustodyEvent
from enquiry.store.vault import Vault
from enquiry.store.verify import verify

Run = Callable[..., Result]

ORIGINAL = b"The shelling began at 06:45 near the bakery.\n" * 50


def _corrupt(vault: Vault, sha256: str, data: bytes = b"X") -> None:
    blob = vault.path(sha256)
    os.chmod(blob, 0o644)
    with blob.open("r+b") as handle:
        handle.write(data)
    os.chmod(blob, 0o444)


def _events(store: Store, action: str) -> list[tuple[int | None, dict[str, object]]]:
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(CustodyEvent.item_id, CustodyEvent.details)
            .where(CustodyEvent.action == action)
            .order_by(CustodyEvent.seq)
        ).all()
    return [(item_id, json.loads(details)) for item_id, details in rows]


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    made = Vault(tmp_path / "vault")
    made.ensure()
    return made


def test_a_verified_copy_arrives_whole(vault: Vault, tmp_path: Path) -> None:
    data = os.urandom(3 * (1 << 20) + 17)
    sha = vault.put_bytes(data).sha256
    target = tmp_path / "out" / "copy.bin"
    target.parent.mkdir()
    assert vault.copy_verified(sha, target) == len(data)
    assert target.read_bytes() == data
    assert vault.read_verified(sha) == data
    assert os.listdir(target.parent) == ["copy.bin"]


def test_a_corrupt_blob_is_neither_copied_nor_read(vault: Vault, tmp_path: Path) -> None:
    sha = vault.put_bytes(ORIGINAL).sha256
    _corrupt(vault, sha)
    target = tmp_path / "copy.txt"
    target.write_bytes(b"what was here before")
    with pytest.raises(Corrupt) as caught:
        vault.copy_verified(sha, target)
    assert f"blob {sha[:12]} is corrupt" in str(caught.value)
    assert target.read_bytes() == b"what was here before", "the target is left as it was"
    assert sorted(os.listdir(tmp_path)) == ["copy.txt", "vault"], "no temporary file left"
    with pytest.raises(Corrupt, match=f"blob {sha[:12]} is corrupt"):
        vault.read_verified(sha)


def test_a_missing_blob_is_one_line(vault: Vault, tmp_path: Path) -> None:
    sha = hashlib.sha256(b"never stored").hexdigest()
    with pytest.raises(Corrupt, match=f"^blob {sha[:12]} is missing from the vault$"):
        vault.copy_verified(sha, tmp_path / "x")
    with pytest.raises(Corrupt, match="is missing"):
        vault.read_verified(sha)
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("size", [len(ORIGINAL), 3 * (1 << 20) + 5])
def test_storing_genuine_bytes_repairs_a_corrupt_blob(vault: Vault, size: int) -> None:
    data = (ORIGINAL * (size // len(ORIGINAL) + 1))[:size]
    first = vault.put_bytes(data)
    _corrupt(vault, first.sha256)
    source = vault.root.parent / "original.bin"
    source.write_bytes(data)
    again = vault.put_file(source)
    assert again.repaired and not again.new and again.sha256 == first.sha256
    assert vault.rehash(first.sha256) == first.sha256
    assert not vault.path(first.sha256).stat().st_mode & 0o222, "the repaired blob is read-only"
    assert not vault.put_file(source).repaired, "an intact blob is left alone"


def test_readding_the_original_repairs_the_blob_and_the_ledger_says_so(
    backend: str, home: Path, tmp_path: Path
) -> None:
    store = open_store(home, "tester")
    first = tmp_path / "statement.txt"
    first.write_bytes(ORIGINAL)
    report = add_paths(store, [first], IntakeOptions(case="c", progress=False), [])
    item_id, sha = report.results[0].item_id, report.results[0].sha256
    assert item_id is not None and sha is not None
    # The same bytes also sit in another case: every item holding them was affected.
    other = add_bytes(store, ORIGINAL, "copy.txt", IntakeOptions(case="d", progress=False), [])
    other_id = other.results[0].item_id
    _corrupt(store.vault, sha)
    assert not verify(store).intact

    again = tmp_path / "elsewhere" / "statement.txt"
    again.parent.mkdir()
    again.write_bytes(ORIGINAL)
    report = add_paths(store, [again], IntakeOptions(case="c", progress=False), [])
    result = report.results[0]
    assert result.repaired and result.item_id == item_id
    assert "repaired" in report.summary()
    checked = verify(store)
    assert checked.intact, checked.failures
    repaired = _events(store, "repaired")
    assert sorted(i for i, _ in repaired) == sorted([item_id, other_id])
    assert all(details["sha256"] == sha for _, details in repaired)
    store.engine.dispose()


def _taken_in_and_writable(home: Path, tmp_path: Path) -> tuple[Store, Path, str, Path]:
    """A statement taken in from a path, and its blob made writable as an attacker would."""
    store = open_store(home, "tester")
    source = tmp_path / "statement.txt"
    source.write_bytes(ORIGINAL)
    sha = add_paths(store, [source], IntakeOptions(case="c", progress=False), []).results[0].sha256
    assert sha is not None
    blob = store.vault.path(sha)
    os.chmod(blob, 0o644)
    return store, source, sha, blob


def test_readding_from_the_same_unchanged_path_repairs_a_truncated_blob(
    home: Path, tmp_path: Path
) -> None:
    store, source, _sha, blob = _taken_in_and_writable(home, tmp_path)
    os.truncate(blob, 10)
    report = add_paths(store, [source], IntakeOptions(case="c", progress=False), [])
    assert report.results[0].repaired
    assert verify(store).intact
    assert len(_events(store, "repaired")) == 1


@pytest.mark.parametrize("restore_mode", [True, False])
def test_readding_from_the_same_unchanged_path_repairs_a_byte_changed_in_place(
    backend: str, home: Path, tmp_path: Path, restore_mode: bool
) -> None:
    """Same size, one byte changed, the read-only bit put back or not: the unchanged path is
    not skipped, because writing moved the blob's change time past the item's receipt."""
    store, source, sha, blob = _taken_in_and_writable(home, tmp_path)
    with blob.open("r+b") as handle:
        handle.write(b"X")
    if restore_mode:
        os.chmod(blob, 0o444)
    assert not verify(store).intact
    report = add_paths(store, [source], IntakeOptions(case="c", progress=False), [])
    assert report.results[0].repaired, report.summary()
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == sha
    assert verify(store).intact
    # Once repaired, the same path is recognised as unchanged and nothing more is recorded.
    again = add_paths(store, [source], IntakeOptions(case="c", progress=False), [])
    assert [r.status for r in again.results] == ["unchanged"]
    store.engine.dispose()


def test_scoped_verify_rehashes_only_the_blobs_named(backend: str, home: Path) -> None:
    store = open_store(home, "tester")
    shas = []
    for index in range(3):
        content = f"statement {index}\n".encode()
        found = add_bytes(store, content, f"s{index}.txt", IntakeOptions(case="c"), [])
        shas.append(found.results[0].sha256)
    _corrupt(store.vault, shas[0])
    scoped = verify(store, blobs=[shas[1]])
    assert scoped.intact and scoped.blobs == 1
    assert scoped.items == 3, "every row is still checked"
    cited = verify(store, blobs=[shas[0], shas[1]])
    assert [f for f in cited.failures if "changed" in f] and cited.blobs == 2
    unknown = hashlib.sha256(b"cited but never stored").hexdigest()
    missing = verify(store, blobs=[unknown])
    assert missing.failures == [f"cited blob {unknown[:12]}: blob {unknown[:12]} missing"]
    store.engine.dispose()


def test_scoped_verify_still_checks_the_ledger_and_the_rows(home: Path) -> None:
    from sqlalchemy import text

    store = open_store(home, "tester")
    add_bytes(store, ORIGINAL, "s.txt", IntakeOptions(case="c"), [])
    with store.engine.begin() as connection:
        connection.execute(text("UPDATE items SET size = 1"))
        connection.execute(text("UPDATE custody_events SET actor = 'someone' WHERE seq = 1"))
    report = verify(store, blobs=[])
    assert report.blobs == 0
    assert any("row edited" in f for f in report.failures)
    assert any("event 1" in f and "edited" in f for f in report.failures)
    store.engine.dispose()


WITNESS = "Amira Haddad"


def test_verify_never_names_a_protected_items_file(
    backend: str, home: Path, tmp_path: Path
) -> None:
    store = open_store(home, "tester")
    arrival = tmp_path / f"{WITNESS} interview.txt"
    arrival.write_bytes(ORIGINAL)
    options = IntakeOptions(case="c", kind="testimony", fields={"witness_pseudonym": "W-9"})
    report = add_paths(store, [arrival], options, [])
    item_id, sha = report.results[0].item_id, report.results[0].sha256
    assert item_id is not None and sha is not None
    from enquiry.store.protected import at_rest

    with store.engine.connect() as connection:
        held = at_rest(connection, [item_id])[item_id]
    assert not store.vault.has(sha)  # a protected original is held only as its ciphertext
    _corrupt(store.vault, held.cipher_address)
    from sqlalchemy import text

    with store.engine.begin() as connection:
        # Clearing the flag in the database must not make verify print the name either.
        connection.execute(text(f"UPDATE items SET protected = false WHERE id = {item_id}"))
    failures = verify(store).failures
    assert failures and any(f.startswith(f"item {item_id}:") for f in failures)
    joined = "\n".join(failures)
    assert WITNESS not in joined and str(tmp_path) not in joined
    store.engine.dispose()


def test_the_command_line_says_it_repaired(run: Run, home: Path, tmp_path: Path) -> None:
    original = tmp_path / "statement.txt"
    original.write_bytes(ORIGINAL)
    run("add", str(original), "--case", "c")
    sha = hashlib.sha256(ORIGINAL).hexdigest()
    store = open_store(home, "tester")
    _corrupt(store.vault, sha)
    store.engine.dispose()
    assert run("verify", expect=1).exit_code == 1
    again = tmp_path / "copy" / "statement.txt"
    again.parent.mkdir()
    again.write_bytes(ORIGINAL)
    added = run("add", str(again), "--case", "c")
    assert "repaired" in added.stdout + added.stderr
    assert run("verify").exit_code == 0
    log = json.loads(run("log", "--json").stdout)
    assert [event["action"] for event in log].count("repaired") == 1
