"""Claims read from a document before it was protected: protecting it moves their words (and a
speaker only they name) into the item's secret record, so a stolen copy of the home holds none
of them, a seal destroys them with the item's key, a reveal with the key reads them, and
unprotecting puts them back — each step recorded, the ledger intact."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from protection_helpers import steal
from sqlalchemy import select

from enquiry.app import Enquiry, claims, evidence
from enquiry.app.atrest import seal_item
from enquiry.errors import Refused
from enquiry.store.claims_at_rest import restore_claims
from enquiry.store.crypt import WITHHELD_AT_REST
from enquiry.store.tables import Actor, Claim, CustodyEvent, Embedding

SPEAKER = "Wilhelmina Achterberg-Nkemelu"
SAID = "the cistern by the orchard was full of a sweet smelling haze"
ALSO = "Dr. Ptolemy Vasquez-Iwu ordered atropine for everyone"
STATEMENT = f"""Statement taken at the clinic, 4 April 2017.

{SPEAKER} said that {SAID}. "We carried the children out first," Achterberg-Nkemelu told
investigators. She added that {ALSO}.
"""
# What the claims hold of the testimony: never in a stolen copy once the item is protected. The
# speaker's name is left out here: the ledger event that recorded reading the claims named the
# speakers it created, and the ledger cannot be rewritten (tested apart below).
WORDS = (SAID, "sweet smelling haze", "We carried the children out first", ALSO, "Vasquez-Iwu")


@pytest.fixture
def read(tmp_path: Path, backend: str) -> tuple[Enquiry, int]:
    """A home whose statement had its claims read while it was not protected."""
    app = Enquiry.at(tmp_path / "home", "analyst")
    path = tmp_path / "in" / "statement.txt"
    path.parent.mkdir()
    path.write_text(STATEMENT, encoding="utf-8")
    report = claims.ingest(app, [path], case="clinic")
    assert report.claims >= 3, report
    item_id = max(i.id for i in evidence.list_items(app, limit=10).items)
    claims.ensure_embeddings(app.store(create=False), _case_id(app), None, None)
    with app.store(create=False).session() as session:
        assert session.scalars(select(Embedding.id).where(Embedding.claim_id.is_not(None))).first()
    return app, item_id


def _case_id(app: Enquiry) -> int:
    with app.store(create=False).session() as session:
        return int(session.scalars(select(Claim.case_id)).first() or 0)


def _rows(app: Enquiry) -> tuple[list[Claim], list[Actor]]:
    with app.store(create=False).session() as session:
        found = list(session.scalars(select(Claim).order_by(Claim.id)))
        actors = list(session.scalars(select(Actor).order_by(Actor.id)))
        session.expunge_all()
    return found, actors


def _anywhere(root: Path, needles: tuple[str, ...]) -> list[str]:
    """(file, needle) for every needle found in any file under ``root``, raw or JSON-escaped,
    in UTF-8 or UTF-16."""
    forms = []
    for needle in needles:
        forms += [
            needle.encode("utf-8"),
            needle.lower().encode("utf-8"),
            json.dumps(needle).strip('"').encode("ascii"),
            needle.encode("utf-16-le"),
        ]
    hits = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        hits += [f"{path.name}: {form[:30]!r}" for form in forms if form in data]
    return hits


def _ledger_names(app: Enquiry) -> bool:
    with app.store(create=False).session() as session:
        return any(SPEAKER in details for details in session.scalars(select(CustodyEvent.details)))


def test_protecting_later_leaves_no_word_of_its_claims_in_a_stolen_copy(
    read: tuple[Enquiry, int], tmp_path: Path, backend: str
) -> None:
    app, item_id = read
    # the attacker's search is real: before protection the words are there
    assert _anywhere(steal(app.home, tmp_path / "before"), WORDS)
    evidence.update_item(app, str(item_id), protect=True)
    assert not _anywhere(steal(app.home, tmp_path / "stolen"), WORDS)
    said, actors = _rows(app)
    assert said and all(c.text == WITHHELD_AT_REST and not c.slots for c in said)
    assert all("speaker" not in c.data and "text" not in c.data["content"] for c in said)
    assert all(c.data["content"]["end"] > c.data["content"]["start"] for c in said)  # kept
    assert [a.name for a in actors] == [f"[encrypted: speaker {actors[0].id}]"]
    assert SPEAKER not in json.dumps([a.aliases for a in actors])
    with app.store(create=False).session() as session:
        assert not session.scalars(select(Embedding.id)).first()
    # the ledger still names the speaker created when the claims were read (it cannot be
    # rewritten: documented), and verifies
    assert _ledger_names(app)
    _intact(app)


def test_the_key_and_the_right_read_them_and_unprotecting_puts_them_back(
    read: tuple[Enquiry, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, item_id = read
    before = [(c.id, _text(c), c.actor) for c in claims.list_claims(app, "clinic")]
    evidence.update_item(app, str(item_id), protect=True)
    shown = claims.list_claims(app, "clinic")
    assert all(c.withheld for c in shown)
    revealed = [(c.id, _text(c), c.actor) for c in claims.list_claims(app, "clinic", reveal=True)]
    assert revealed == before and SPEAKER in {r[2] for r in revealed}
    key = os.environ.pop("ENQUIRY_PROTECTION_KEY_FILE")
    try:
        with pytest.raises(Refused, match="protection key is needed"):
            claims.list_claims(app, "clinic", reveal=True)
    finally:
        os.environ["ENQUIRY_PROTECTION_KEY_FILE"] = key
    dumped = json.dumps(_dump(app, reveal=True))
    assert SAID in dumped and SPEAKER in dumped
    assert SAID not in json.dumps(_dump(app, reveal=False))
    evidence.update_item(app, str(item_id), protect=False)
    assert [(c.id, _text(c), c.actor) for c in claims.list_claims(app, "clinic")] == before
    said, actors = _rows(app)
    assert any(c.data.get("speaker") for c in said) and actors[0].name == SPEAKER
    _intact(app)


def _intact(app: Enquiry) -> None:
    report = evidence.verify_home(app)
    assert report.intact, report.failures


def _text(claim: claims.ListedClaim) -> str:
    return str(claim.content["text"])


def _dump(app: Enquiry, *, reveal: bool) -> dict[str, object]:
    from enquiry.intake.casefile import dump_case

    return dump_case(app.store(create=False), "clinic", reveal=reveal)


def test_a_seal_destroys_them_with_the_key(
    read: tuple[Enquiry, int], tmp_path: Path, backend: str
) -> None:
    app, item_id = read
    evidence.update_item(app, str(item_id), protect=True)
    seal_item(app, str(item_id), reason="consent withdrawn by W-7")
    shown = claims.list_claims(app, "clinic", reveal=True)
    assert shown and all(_text(c) == WITHHELD_AT_REST for c in shown)
    assert not _anywhere(steal(app.home, tmp_path / "stolen"), WORDS)
    _intact(app)


def test_words_left_in_the_clear_by_an_older_home_are_moved_in_or_destroyed(
    read: tuple[Enquiry, int], tmp_path: Path, backend: str
) -> None:
    """A home made before claims' words were held with their item: the item is encrypted, its
    claims still say everything. Protecting it again moves them in; a seal destroys them."""
    app, item_id = read
    evidence.update_item(app, str(item_id), protect=True)
    store = app.store(create=False)
    from enquiry.store.protected import Opener

    with store.writing() as (connection, _writer):
        restore_claims(connection, Opener(connection).secret(item_id))
    assert _anywhere(steal(app.home, tmp_path / "older"), WORDS)
    updated = evidence.update_item(app, str(item_id), protect=True)
    assert updated.changed
    assert not _anywhere(steal(app.home, tmp_path / "moved"), WORDS)
    assert SAID in _text(claims.list_claims(app, "clinic", reveal=True)[0])
    with store.writing() as (connection, _writer):
        restore_claims(connection, Opener(connection).secret(item_id))
    seal_item(app, str(item_id), reason="consent withdrawn by W-7")
    assert not _anywhere(steal(app.home, tmp_path / "sealed"), WORDS)
    with store.session() as session:
        sealed = [
            json.loads(d)
            for d in session.scalars(
                select(CustodyEvent.details).where(CustodyEvent.action == "sealed")
            )
        ]
    assert sealed[0]["claims_destroyed"] >= 3
    _intact(app)


def test_held_claims_get_no_vector_and_no_stance_suggestion(read: tuple[Enquiry, int]) -> None:
    app, item_id = read
    evidence.update_item(app, str(item_id), protect=True)
    store = app.store(create=False)
    claims.ensure_embeddings(store, _case_id(app), None, None)
    with store.session() as session:
        assert not session.scalars(select(Embedding.id)).first()
    # sqlite3 reads the catalogue file itself on the SQLite back end: no vector either
    database = app.home / "enquiry.db"
    if database.exists():
        with sqlite3.connect(database) as raw:
            assert raw.execute("SELECT COUNT(*) FROM embeddings").fetchone() == (0,)
