"""A transaction that fails after a protected file's plaintext was stored (the first protected
file of a case goes through a plain blob before it is encrypted) must not leave that plaintext
in the vault; one that fails while protecting an existing item must keep its original."""

from __future__ import annotations

from pathlib import Path

import pytest

from enquiry.app import Enquiry, evidence
from enquiry.store import ledger
from enquiry.store.verify import verify

SECRET = b"Secret testimony of Zebulon Quartermaine-Oduya, taken at the clinic\n"


def _plaintext_in(home: Path) -> list[Path]:
    return [p for p in (home / "vault").rglob("*") if p.is_file() and SECRET in p.read_bytes()]


def _failing_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ledger's last step of the transaction fails (a full disk, a lost connection)."""

    def fail(_writer: ledger.LedgerWriter) -> ledger.Head:
        raise OSError("no space left on device")

    monkeypatch.setattr(ledger.LedgerWriter, "flush", fail)


def test_a_failed_protected_intake_leaves_no_plaintext(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = Enquiry.at(tmp_path / "home", "admin")
    statement = tmp_path / "in" / "statement.txt"
    statement.parent.mkdir()
    statement.write_bytes(SECRET)
    with monkeypatch.context() as patch:
        _failing_commit(patch)
        with pytest.raises(OSError, match="no space left"):
            evidence.add(app, [statement], case="clinic", kind="document", protected=True)
    assert not _plaintext_in(app.home)
    # taken in again, it is stored encrypted and verifies
    evidence.add(app, [statement], case="clinic", kind="document", protected=True)
    assert not _plaintext_in(app.home)
    report = verify(app.store(create=False))
    assert not [f for f in report.failures if "no item" not in f], report.failures


def test_a_failed_protection_keeps_the_original(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = Enquiry.at(tmp_path / "home", "admin")
    statement = tmp_path / "in" / "statement.txt"
    statement.parent.mkdir()
    statement.write_bytes(SECRET)
    evidence.add(app, [statement], case="clinic", kind="document")
    item = max(i.id for i in evidence.list_items(app, limit=10).items)
    with monkeypatch.context() as patch:
        _failing_commit(patch)
        with pytest.raises(OSError, match="no space left"):
            evidence.update_item(app, str(item), protect=True)
    assert _plaintext_in(app.home)  # still the unprotected item's original
    report = verify(app.store(create=False))
    assert not [f for f in report.failures if "no item" not in f], report.failures
