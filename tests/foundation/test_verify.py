"""`enquiry verify` proves a store intact and names exactly what was tampered with."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import samples

from conftest import Run, runner_for, show
from demo_helpers import DemoRun, HomeTemplates


def _fill(home: Path) -> str:
    """Add a photo, a PDF and four statements to case 'ks' in ``home``; it verifies intact."""
    root = home.parent / "in"
    root.mkdir()
    samples.jpeg_with_exif(root / "crater.jpg")
    samples.pdf(root / "report.pdf")
    for index in range(4):
        (root / f"statement-{index}.txt").write_text(
            f"statement number {index}\n", encoding="utf-8"
        )
    run = runner_for(home)
    run("add", str(root), "--case", "ks")
    result = run("verify")
    assert "intact" in result.stdout and "NOT" not in result.stdout
    return result.stdout


@pytest.fixture
def filled(home_templates: HomeTemplates, run: Run, home: Path, backend: str) -> Run:
    """The test's copy of a home filled (once per back end) by :func:`_fill`."""
    home_templates.copy("filled", _fill, home, os.environ.get("ENQUIRY_DB"))
    return run


def _blob(home: Path, run: Run, item: int) -> Path:
    sha = show(run, item)["sha256"]
    return home / "vault" / "sha256" / sha[:2] / sha[2:4] / sha


def _receipt(sql: Callable[[str], Any], item: int) -> int:
    """The number of the event that received an item."""
    found = sql(f"SELECT seq FROM custody_events WHERE item_id = {item} AND action = 'received'")
    return int(found[0][0])


def _fails(run: Run) -> str:
    result = run("verify", expect=1)
    assert "NOT intact" in result.stdout
    return result.stdout


def test_one_changed_byte_in_a_blob(filled: Run, home: Path) -> None:
    blob = _blob(home, filled, 2)
    os.chmod(blob, 0o644)
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0x01
    blob.write_bytes(bytes(data))
    assert "item 2 (" in _fails(filled) and "changed" in _fails(filled)


def test_a_deleted_blob(filled: Run, home: Path) -> None:
    _blob(home, filled, 3).unlink()
    out = _fails(filled)
    assert "item 3 (" in out and "missing" in out


def test_an_edited_ledger_event(filled: Run, sql: Callable[[str], Any]) -> None:
    seq = _receipt(sql, 2)
    sql(f"UPDATE custody_events SET actor = 'someone else' WHERE seq = {seq}")
    assert f"event {seq} (received, item 2) was edited" in _fails(filled)


def test_an_edited_ledger_event_with_its_hash_recomputed_breaks_the_chain(
    filled: Run, sql: Callable[[str], Any]
) -> None:
    from enquiry.store.ledger import event_hash

    row = sql(
        "SELECT seq, at, actor, action, case_id, item_id, details, prev_hash FROM custody_events"
        f" WHERE seq = {_receipt(sql, 4)}"
    )[0]
    forged = event_hash(row[0], row[1], "forger", row[3], row[4], row[5], row[6], row[7])
    sql(f"UPDATE custody_events SET actor = 'forger', hash = '{forged}' WHERE seq = {row[0]}")
    assert f"event {row[0] + 1} (" in _fails(filled)
    assert f"does not link to event {row[0]} (one of them was edited)" in _fails(filled)


def test_a_deleted_ledger_event(filled: Run, sql: Callable[[str], Any]) -> None:
    seq = _receipt(sql, 4)
    sql(f"DELETE FROM custody_events WHERE seq = {seq}")
    assert f"event {seq} missing (deleted from the ledger)" in _fails(filled)


def test_the_newest_events_deleted(filled: Run, sql: Callable[[str], Any]) -> None:
    last = sql("SELECT max(seq) FROM custody_events")[0][0]
    sql(f"DELETE FROM custody_events WHERE seq = {last}")
    sql(
        f"UPDATE ledger_head SET seq = {last - 1}, hash = (SELECT hash FROM custody_events WHERE seq = {last - 1})"
    )
    assert f"ledger.head records event {last}, but the log ends at event {last - 1}" in _fails(
        filled
    )


def test_an_edited_item_hash(filled: Run, sql: Callable[[str], Any]) -> None:
    sha = show(filled, 5)["sha256"]
    other = show(filled, 6)["sha256"]
    sql(f"UPDATE items SET sha256 = '{other}' WHERE id = 5")
    out = _fails(filled)
    assert f"item 5 (statement-2.txt): row edited — sha256 is '{other}'" in out and sha in out


def test_edited_item_fields(filled: Run, sql: Callable[[str], Any]) -> None:
    sql("UPDATE items SET protected = NOT protected WHERE id = 1")
    assert "item 1 (crater.jpg): row edited" in _fails(filled)


def test_a_deleted_item_row(filled: Run, sql: Callable[[str], Any]) -> None:
    sql("DELETE FROM item_origins WHERE item_id = 6")
    sql("DELETE FROM item_texts WHERE item_id = 6")
    sql("DELETE FROM items WHERE id = 6")
    assert "item 6: row missing (deleted)" in _fails(filled)


def test_a_row_slipped_in_outside_the_ledger(filled: Run, sql: Callable[[str], Any]) -> None:
    sql(
        "INSERT INTO items (case_id, kind, sha256, size, media_type, original_name, fields, metadata,"
        " protected, created_at) SELECT case_id, kind, sha256, size, media_type, 'forged.txt', fields,"
        " metadata, protected, created_at FROM items WHERE id = 3"
    )
    assert "(forged.txt): no custody event records it" in _fails(filled)


def test_an_edited_extracted_text(filled: Run, sql: Callable[[str], Any]) -> None:
    sql("UPDATE item_texts SET text = 'nothing happened' WHERE item_id = 3")
    assert "item 3: extracted text (text/1) was edited after intake" in _fails(filled)


@pytest.fixture
def analysed(demo_home: DemoRun, run: Run, backend: str) -> Run:
    """A home holding the built-in case, analysed and reported (ratings, claims, findings...):
    the test's copy of the demo's home and database."""
    assert "intact" in run("verify").stdout
    return run


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("UPDATE ratings SET rating = 'II' WHERE id = 1", "rating 1: edited after event"),
        ("UPDATE sources SET reliability = 'A' WHERE id = 2", "source 2: edited after event"),
        ("UPDATE hypotheses SET prior = 0.9 WHERE id = 2", "hypothesis 2: edited after event"),
        ("UPDATE claims SET text = 'nothing happened' WHERE id = 1", "claim 1: edited after event"),
        ("UPDATE actors SET affiliation = 'nobody' WHERE id = 3", "actor 3: edited after event"),
        (
            "UPDATE incidents SET window_start = '2017-04-04T11:30:00+03:00'",
            "incident 1: edited after event",
        ),
        ("UPDATE findings SET engine_version = 'x' WHERE id = 1", "finding 1: edited after event"),
        ("UPDATE cases SET name = 'renamed'", "case 1: edited after event"),
        ("DELETE FROM ratings WHERE id = 3", "rating 3: row missing (deleted)"),
        ("DELETE FROM item_origins WHERE id = 1", "item origin 1: row missing (deleted)"),
        ("DELETE FROM item_texts WHERE id = 1", "extracted text 1: row missing (deleted)"),
        (
            "INSERT INTO ratings (hypothesis_id, item_id, rating, rationale, analyst, created_at)"
            " SELECT hypothesis_id, item_id, 'CC', 'forged', 'nobody', created_at FROM ratings WHERE id = 1",
            "not in the ledger (row added outside enquiry",
        ),
    ],
)
def test_tampering_with_what_the_analysis_reads(
    analysed: Run, sql: Callable[[str], Any], statement: str, expected: str
) -> None:
    sql(statement)
    assert expected in _fails(analysed)


# A trigger that quietly rates every item "confirmed" whenever the ledger grows: the catalogue's
# rows would change as enquiry writes them, so verify names the trigger itself.
PLANTED = {
    "sqlite": [
        "CREATE TRIGGER quiet AFTER INSERT ON custody_events BEGIN"
        " UPDATE items SET credibility = 1; END"
    ],
    "postgresql": [
        "CREATE FUNCTION quiet() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN UPDATE items SET credibility = 1; RETURN NEW; END $$",
        "CREATE TRIGGER quiet AFTER INSERT ON custody_events FOR EACH ROW EXECUTE FUNCTION quiet()",
        "CREATE VIEW everything AS SELECT id FROM items",
    ],
}


def test_a_trigger_or_view_planted_in_the_catalogue_is_named(
    filled: Run, sql: Callable[[str], Any], backend: str
) -> None:
    for statement in PLANTED[backend]:
        sql(statement)
    failures = _fails(filled)
    assert "catalogue: a trigger 'quiet' on custody_events that enquiry did not make" in failures
    if backend == "postgresql":
        assert "catalogue: a view 'everything' that enquiry did not make" in failures


def test_a_deleted_ledger_head_file(filled: Run, home: Path) -> None:
    (home / "ledger.head").unlink()
    assert "ledger.head is missing" in _fails(filled)


def test_a_renamed_item(filled: Run, sql: Callable[[str], Any]) -> None:
    sql("UPDATE items SET original_name = 'innocent.pdf' WHERE id = 2")
    assert "item 2 (innocent.pdf): row edited" in _fails(filled)


# --- Values of the wrong type (SQLite keeps any value in any column) ---------------------------


@pytest.fixture
def protected_photo(
    home_templates: HomeTemplates, run: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> Run:
    """The filled home on SQLite (PostgreSQL refuses a value of the wrong type), its photo
    (item 1) protected."""
    monkeypatch.delenv("ENQUIRY_DB", raising=False)
    home_templates.copy("filled", _fill, home)
    run("item", "update", "1", "--protect")
    return run


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (
            "UPDATE item_keys SET secret = substr(secret, 1, 10) || x'00' || substr(secret, 12)"
            " WHERE item_id = 1",
            "protected item key 1: secret holds text, not bytes",
        ),
        (
            "UPDATE item_keys SET cipher_size = 'big'",
            "protected item key 1: cipher_size holds text, not an integer",
        ),
        (
            "UPDATE items SET fields = x'ff00' WHERE id = 1",
            "item 1: fields holds blob, not JSON text",
        ),
        (
            "UPDATE custody_events SET details = x'ff' WHERE seq = 5",
            "ledger: event 5: details holds blob, not text",
        ),
        (
            "UPDATE items SET original_name = CAST(x'6e616d65ff2e747874' AS TEXT) WHERE id = 3",
            "item 3: original_name holds text that is not UTF-8",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_a_failure_not_a_crash(
    protected_photo: Run, home: Path, sql: Callable[[str], Any], statement: str, expected: str
) -> None:
    sql(statement)
    _blob(home, protected_photo, 4).unlink()  # and something else wrong, reported as well
    result = protected_photo("verify", expect=1)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"FAIL {expected}" in result.stdout, result.stdout
    assert "item 4 (" in result.stdout and "missing" in result.stdout  # the check went on
    assert "NOT intact" in result.stdout
