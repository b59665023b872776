"""`enquiry verify --since SEQ` starts from a head a full verify recorded: it re-checks the whole
ledger and every catalogue row, and re-hashes the stored bytes only of items changed after SEQ.

Each detection it promises is tested here by tampering with a real home (SQLite and
PostgreSQL), and so is each blind spot it documents: bytes of items untouched since SEQ.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import samples

from conftest import Run, runner_for, show
from demo_helpers import HomeTemplates


def _fill(home: Path) -> str:
    """Five items in case 'ks', verified once (the head it recorded is the ``--since`` base)."""
    root = home.parent / "in"
    root.mkdir()
    samples.jpeg_with_exif(root / "crater.jpg")
    for index in range(4):
        (root / f"statement-{index}.txt").write_text(f"statement {index}\n", encoding="utf-8")
    run = runner_for(home)
    run("add", str(root), "--case", "ks")
    return run("verify").stdout


@pytest.fixture
def verified(home_templates: HomeTemplates, run: Run, home: Path, backend: str) -> Run:
    home_templates.copy("verified-once", _fill, home, os.environ.get("ENQUIRY_DB"))
    return run


def _base(sql: Callable[[str], Any]) -> int:
    """The head the recorded full verify proved."""
    details = sql("SELECT details FROM custody_events WHERE action = 'verified'")[-1][0]
    return int(json.loads(details)["head"]["seq"])


def _add_late(home: Path, run: Run, name: str = "late.txt") -> int:
    """Take in one more item after the verified head; return its number."""
    path = home.parent / name
    path.write_text(f"a late statement in {name}\n", encoding="utf-8")
    out = run("add", str(path), "--case", "ks", "--json").stdout
    return int(json.loads(out)[0]["item_id"])


def _blob(home: Path, run: Run, item: int) -> Path:
    sha = show(run, item)["sha256"]
    return home / "vault" / "sha256" / sha[:2] / sha[2:4] / sha


def _flip(path: Path) -> None:
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _since_fails(run: Run, since: str = "last") -> str:
    result = run("verify", "--since", since, expect=1)
    assert "NOT intact" in result.stdout
    return result.stdout


def test_a_full_verify_records_the_head_it_proved(verified: Run, sql: Callable[[str], Any]) -> None:
    base = _base(sql)
    stored = sql(f"SELECT hash FROM custody_events WHERE seq = {base}")[0][0]
    details = json.loads(sql("SELECT details FROM custody_events WHERE action = 'verified'")[0][0])
    assert details["head"] == {"seq": base, "hash": stored}
    assert details["items"] == 5 and details["blobs"] == 5


def test_since_is_clean_on_an_untouched_home(verified: Run, sql: Callable[[str], Any]) -> None:
    base = _base(sql)
    for since in (str(base), "last"):
        out = verified("verify", "--since", since).stdout
        assert f"since verified event {base}" in out and "; intact" in out
        assert "0 blobs" in out  # nothing changed after the head: no bytes read again
    data = json.loads(verified("verify", "--since", "last", "--json").stdout)
    assert data["intact"] and data["since"] == base and data["items"] == 5


def test_since_re_hashes_the_items_added_after_the_head(
    verified: Run, home: Path, sql: Callable[[str], Any]
) -> None:
    late = _add_late(home, verified)
    data = json.loads(verified("verify", "--since", "last", "--json").stdout)
    assert data["intact"] and data["blobs"] == 1 and data["items"] == 6
    _flip(_blob(home, verified, late))
    assert f"item {late} (late.txt): blob" in _since_fails(verified)


def test_since_detects_an_event_after_the_head_edited(
    verified: Run, home: Path, sql: Callable[[str], Any]
) -> None:
    late = _add_late(home, verified)
    seq = sql(f"SELECT seq FROM custody_events WHERE item_id = {late} AND action = 'received'")
    sql(f"UPDATE custody_events SET actor = 'someone else' WHERE seq = {seq[0][0]}")
    assert f"event {seq[0][0]} (received, item {late}) was edited" in _since_fails(verified)


def test_since_still_detects_an_event_before_the_head_edited(
    verified: Run, sql: Callable[[str], Any]
) -> None:
    seq = sql("SELECT seq FROM custody_events WHERE item_id = 2 AND action = 'received'")[0][0]
    sql(f"UPDATE custody_events SET actor = 'someone else' WHERE seq = {seq}")
    assert f"event {seq} (received, item 2) was edited" in _since_fails(verified)


def test_since_detects_rows_changed_after_the_head(
    verified: Run, home: Path, sql: Callable[[str], Any]
) -> None:
    # Rows of items received before the head, changed after it without a ledger event:
    # the catalogue is compared with the ledger in full, whatever SEQ says.
    sql("UPDATE items SET kind = 'photo' WHERE id = 3")
    origin = sql("SELECT id FROM item_origins WHERE item_id = 4")[0][0]
    sql(f"UPDATE item_origins SET path = '/elsewhere/x.txt' WHERE id = {origin}")
    out = _since_fails(verified)
    assert "item 3 (statement-1.txt): row edited" in out
    assert f"item origin {origin}: edited after event" in out


def test_since_refuses_a_seq_no_full_verify_recorded(
    verified: Run, sql: Callable[[str], Any]
) -> None:
    base = _base(sql)
    for since, problem in (
        (str(base - 1), f"event {base - 1} is not a head a full verify recorded"),
        ("99999", "event 99999 is not a head a full verify recorded"),
        ("yesterday", "not an event number (or 'last')"),
    ):
        result = verified("verify", "--since", since, expect=2)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and problem in lines[0], result.stderr
        assert result.stdout == ""


def test_since_refuses_a_head_whose_event_was_rewritten(
    verified: Run, sql: Callable[[str], Any]
) -> None:
    base = _base(sql)
    sql(f"UPDATE custody_events SET hash = '{'0' * 64}' WHERE seq = {base}")
    result = verified("verify", "--since", str(base), expect=2)
    assert "no longer has the hash the verify of it recorded" in result.stderr


def test_since_on_a_home_never_verified_is_refused(home: Path, run: Run) -> None:
    (home.parent / "one.txt").write_text("one\n", encoding="utf-8")
    run("add", str(home.parent / "one.txt"), "--case", "ks")
    result = run("verify", "--since", "last", expect=2)
    assert "no full verify has been recorded yet" in result.stderr


def test_a_tampered_home_records_no_verified_head(
    verified: Run, home: Path, sql: Callable[[str], Any]
) -> None:
    _flip(_blob(home, verified, 2))
    verified("verify", expect=1)
    assert len(sql("SELECT seq FROM custody_events WHERE action = 'verified'")) == 1


# --- the documented blind spots: bytes of items no event after SEQ is about ----------------------


def test_blind_spot_a_blob_of_an_item_untouched_since_the_head(verified: Run, home: Path) -> None:
    _flip(_blob(home, verified, 2))
    # --since does not read it again (that is what it saves) ...
    assert "; intact" in verified("verify", "--since", "last").stdout
    # ... a full verify does, and names it.
    out = verified("verify", expect=1).stdout
    assert "item 2 (statement-0.txt): blob" in out and "changed" in out


def test_blind_spot_an_extracted_text_of_an_item_untouched_since_the_head(
    verified: Run, sql: Callable[[str], Any]
) -> None:
    sql("UPDATE item_texts SET text = 'forged words' WHERE item_id = 3")
    assert "; intact" in verified("verify", "--since", "last").stdout
    assert "item 3: extracted text" in verified("verify", expect=1).stdout


def test_an_item_touched_after_the_head_has_its_bytes_read_again(verified: Run, home: Path) -> None:
    # Reading an item's text is an event about it: from then on --since re-hashes its bytes.
    _flip(_blob(home, verified, 2))
    verified("item", "show", "2", "--text")
    assert "item 2 (statement-0.txt): blob" in _since_fails(verified)
