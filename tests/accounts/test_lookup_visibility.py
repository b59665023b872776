"""The core services resolve an item reference among what the acting user may know of, on both
back ends: a hash that another case (or a protected item a viewer may not know of) also holds
is neither ambiguous nor any different from a hash no item has; the administrator, who sees
everything, is answered as before."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from demo_helpers import HomeTemplates
from enquiry.app import Enquiry, accounts, content, evidence
from enquiry.app.access import find_visible_item
from enquiry.app.lookup import find_item
from enquiry.errors import BadRequest, NotFound

PASSWORD = "correct horse battery"
SHARED = b"The same leaked video, held by two cases.\n"
SHA = hashlib.sha256(SHARED).hexdigest()


def _build(home: Path) -> str:
    """Cases alpha and beta, each made by taking in a file of its own; users: vera (viewer on
    alpha), ivo (investigator on beta), pia (viewer on both)."""
    admin = Enquiry.at(home, "admin")
    for case in ("alpha", "beta"):  # a case is made by taking in a file of its own
        _take(admin, home.parent, case, f"The first exhibit of {case}.\n".encode())
    for name in ("vera", "ivo", "pia"):
        accounts.add_user(admin, name, PASSWORD)
    accounts.grant(admin, "vera", "alpha", "viewer")
    accounts.grant(admin, "ivo", "beta", "investigator")
    accounts.grant(admin, "pia", "alpha", "viewer")
    accounts.grant(admin, "pia", "beta", "viewer")
    # closed before the home is copied (SQLite removes its -wal and -shm files as it closes)
    admin.store().engine.dispose()
    return ""


@pytest.fixture
def home(home_templates: HomeTemplates, tmp_path: Path, backend: str) -> Enquiry:
    """alpha and beta hold the same file; users: vera (viewer on alpha), ivo (investigator on
    beta), pia (viewer on both). The test's own copy of a home built by :func:`_build` once per
    back end and test process (each account's password is hashed on purpose slowly)."""
    run = home_templates.copy(
        "lookup-alpha-beta", _build, tmp_path / "home", os.environ.get("ENQUIRY_DB")
    )
    return Enquiry.at(run.home, "admin")


def _take(admin: Enquiry, root: Path, case: str, data: bytes, *, protected: bool = False) -> int:
    folder = root / "files" / case
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:12]}.txt"
    path.write_bytes(data)
    found = evidence.add(admin, [path], case=case, protected=protected).results[0]
    assert found.item_id is not None, found
    return found.item_id


def _as(admin: Enquiry, name: str) -> Enquiry:
    return admin.acting_as(accounts.authenticate_password(admin, name, PASSWORD))


def _refusal(call: object, ref: str) -> str:
    """The message a refusal gives, with the reference it repeats taken out."""
    assert callable(call)
    with pytest.raises(NotFound) as refused:
        call(ref)
    return str(refused.value).replace(ref, "REF")


def test_a_hash_another_case_also_holds_names_the_users_own_item(
    home: Enquiry, tmp_path: Path
) -> None:
    mine = _take(home, tmp_path, "alpha", SHARED)
    vera = _as(home, "vera")
    seen_before = [evidence.show_item(vera, ref).id for ref in (SHA, SHA[:8], f"sha256:{SHA}")]
    theirs = _take(home, tmp_path, "beta", SHARED)
    for ref in (SHA, SHA[:8], f"sha256:{SHA}", f"item:{mine}"):
        assert evidence.show_item(vera, ref).id == mine
        assert [e.item for e in evidence.read_log(vera, item=ref)] != []
        assert evidence.item_findings(vera, ref) == []
        assert content.open_original(vera, ref).sha256 == SHA
    assert seen_before == [mine] * 3
    ivo = _as(home, "ivo")
    assert evidence.show_item(ivo, SHA).id == theirs
    working = tmp_path / "working-copy.txt"
    working.write_bytes(b"A still taken from the video.\n")
    derived = evidence.derive(ivo, SHA, working, how="a still")
    assert derived.derived_from == theirs
    # The administrator sees both, and is told so, as before.
    with pytest.raises(BadRequest, match="several items"):
        evidence.show_item(home, SHA)
    with home.store().session() as session, pytest.raises(BadRequest, match="several items"):
        find_item(session, SHA)


def test_an_item_the_user_may_not_see_is_refused_as_a_missing_one(
    home: Enquiry, tmp_path: Path
) -> None:
    beta_only = _take(home, tmp_path, "beta", b"Only beta holds this.\n")
    beta_sha = hashlib.sha256(b"Only beta holds this.\n").hexdigest()
    witness = b"I am the witness; my name is in here.\n"
    _take(home, tmp_path, "alpha", witness, protected=True)
    witness_sha = hashlib.sha256(witness).hexdigest()
    absent_sha = hashlib.sha256(b"nobody took this in").hexdigest()
    vera = _as(home, "vera")
    for call in (
        lambda ref: evidence.show_item(vera, ref),
        lambda ref: content.open_original(vera, ref),
        lambda ref: evidence.read_log(vera, item=ref),
    ):
        missing = _refusal(call, absent_sha)
        assert _refusal(call, beta_sha) == missing
        assert _refusal(call, beta_sha[:9]) == _refusal(call, absent_sha[:9])
        assert _refusal(call, witness_sha) == missing, "a viewer knows of no protected item"
        assert _refusal(call, str(beta_only)) == _refusal(call, "99999999")
    with vera.store().session() as session, pytest.raises(NotFound):
        find_visible_item(vera, session, beta_sha)


def test_a_protected_item_a_viewer_may_not_know_of_makes_no_hash_ambiguous(
    home: Enquiry, tmp_path: Path
) -> None:
    _take(home, tmp_path, "alpha", SHARED, protected=True)
    plain = _take(home, tmp_path, "beta", SHARED)
    pia = _as(home, "pia")
    assert evidence.show_item(pia, SHA).id == plain
    assert evidence.show_item(pia, SHA[:10]).id == plain
