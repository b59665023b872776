"""A transaction that fails after protected bytes were stored encrypted must take its ciphertext
with it: no blob that no row names is left in the vault (a failed protection or unprotection
likewise), and ``verify`` reports the orphans an intake killed outright leaves, as notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from enquiry.app import Enquiry, atrest, evidence
from enquiry.store import ledger
from enquiry.store.verify import verify

SECRET = b"Statement of witness W-7, taken at the field clinic on the third day\n"


def _blobs(home: Path) -> set[Path]:
    vault = home / "vault"
    return {p for p in vault.rglob("*") if p.is_file() and p.relative_to(vault).parts[0] != "tmp"}


def _failing_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ledger's last step of the transaction fails (a full disk, a lost connection)."""

    def fail(_writer: ledger.LedgerWriter) -> ledger.Head:
        raise OSError("no space left on device")

    monkeypatch.setattr(ledger.LedgerWriter, "flush", fail)


def _case_with_key(tmp_path: Path) -> tuple[Enquiry, Path]:
    """A home whose case already has its key, so that a protected file is encrypted as it is
    read (one pass, no plain blob)."""
    app = Enquiry.at(tmp_path / "home", "admin")
    first = tmp_path / "in" / "first.txt"
    first.parent.mkdir()
    first.write_bytes(b"An earlier statement, which made the case key\n")
    evidence.add(app, [first], case="clinic", kind="document", protected=True)
    return app, first.parent


def _clean(app: Enquiry) -> None:
    report = verify(app.store(create=False))
    assert report.intact, report.failures
    assert not [n for n in report.notes if "belong to no item" in n], report.notes


def test_a_failed_protected_intake_leaves_no_ciphertext(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, folder = _case_with_key(tmp_path)
    before = _blobs(app.home)
    statement = folder / "statement.txt"
    statement.write_bytes(SECRET)
    with monkeypatch.context() as patch:
        _failing_commit(patch)
        with pytest.raises(OSError, match="no space left"):
            evidence.add(app, [statement], case="clinic", kind="document", protected=True)
    assert _blobs(app.home) == before
    _clean(app)


def test_a_failed_first_protected_intake_leaves_no_ciphertext(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The case has no key yet: the file goes through a plain blob, encrypted in the writing
    # transaction; both the plain blob and the ciphertext must go with the rollback.
    app = Enquiry.at(tmp_path / "home", "admin")
    statement = tmp_path / "statement.txt"
    statement.write_bytes(SECRET)
    with monkeypatch.context() as patch:
        _failing_commit(patch)
        with pytest.raises(OSError, match="no space left"):
            evidence.add(app, [statement], case="clinic", kind="document", protected=True)
    assert _blobs(app.home) == set()


def test_a_failed_protection_leaves_only_the_original(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, folder = _case_with_key(tmp_path)
    statement = folder / "statement.txt"
    statement.write_bytes(SECRET)
    evidence.add(app, [statement], case="clinic", kind="document")
    item = max(i.id for i in evidence.list_items(app, limit=10).items)
    before = _blobs(app.home)
    with monkeypatch.context() as patch:
        _failing_commit(patch)
        with pytest.raises(OSError, match="no space left"):
            evidence.update_item(app, str(item), protect=True)
    assert _blobs(app.home) == before
    _clean(app)


def test_a_failed_unprotection_leaves_no_plaintext(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, folder = _case_with_key(tmp_path)
    statement = folder / "statement.txt"
    statement.write_bytes(SECRET)
    evidence.add(app, [statement], case="clinic", kind="document", protected=True)
    item = max(i.id for i in evidence.list_items(app, limit=10).items)
    before = _blobs(app.home)
    with monkeypatch.context() as patch:
        _failing_commit(patch)
        with pytest.raises(OSError, match="no space left"):
            evidence.update_item(app, str(item), protect=False)
    assert _blobs(app.home) == before
    assert not [p for p in _blobs(app.home) if SECRET in p.read_bytes()]
    _clean(app)


def test_verify_names_orphans_as_notes_not_failures(tmp_path: Path) -> None:
    # What a process killed between storing and committing leaves: a blob no row names.
    app, _folder = _case_with_key(tmp_path)
    store = app.store(create=False)
    orphan = store.vault.put_bytes(b"bytes of an intake killed before it committed")
    report = verify(store)
    assert report.intact, report.failures
    notes = [n for n in report.notes if "belong to no item" in n]
    assert notes and orphan.sha256[:12] in notes[0], report.notes
    assert atrest.encrypted_ids(store)  # the home does hold protected items
