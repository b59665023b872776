"""A witness withdraws consent: `enquiry item seal` destroys the item's data key. Its content is
gone for good — even for someone holding the protection key — while its hash, kind, custody and
ratings stay, verify accepts it as sealed, and the analysis and report say what rested on it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from protection_helpers import (
    INCIDENT,
    NAME,
    PLACE,
    WORDS,
    Cli,
    findings,
    item_id,
    steal,
    wrapped_key,
)
from sqlalchemy import func, select

from enquiry.store import open_store
from enquiry.store.tables import Rating


def _ratings(home: Path, item: int) -> int:
    store = open_store(home, "reader", create=False)
    with store.engine.connect() as connection:
        count = connection.execute(
            select(func.count()).select_from(Rating).where(Rating.item_id == item)
        ).scalar_one()
    store.engine.dispose()
    return int(count)


def test_sealing_destroys_the_content_and_keeps_the_record(
    worked: Cli, tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    witness = item_id(worked, "Eyewitness at the saltworks")
    before = json.loads(worked("item", "show", str(witness), "--json").stdout)
    old_key = wrapped_key(worked.home, witness)
    assert old_key is not None
    ratings = _ratings(worked.home, witness)
    assert ratings == 3  # one per hypothesis

    # Anyone holding the home can shred; nobody needs the key for it.
    key_file = os.environ["ENQUIRY_PROTECTION_KEY_FILE"]
    monkeypatch.delenv("ENQUIRY_PROTECTION_KEY_FILE")
    done = worked("item", "seal", str(witness), "--reason", "consent withdrawn on 2021-04-01")
    assert "sealed" in done.stdout and "3 rating(s)" in done.stdout
    monkeypatch.setenv("ENQUIRY_PROTECTION_KEY_FILE", key_file)

    after = json.loads(worked("item", "show", str(witness), "--json").stdout)
    for column in ("sha256", "size", "kind", "case", "custody"):
        if column != "custody":
            assert after[column] == before[column]
    assert after["sealed_at"]
    assert [c["action"] for c in after["custody"]][-1] == "sealed"
    assert _ratings(worked.home, witness) == ratings
    assert wrapped_key(worked.home, witness) is None

    # Even with the protection key the content is gone, by every route.
    refused = worked("item", "show", str(witness), "--reveal", "--text", expect=1)
    assert "sealed" in refused.stderr
    worked("item", "copy", str(witness), "-o", str(tmp_path / "c.txt"), "--reveal", expect=1)
    shown = worked("item", "show", str(witness), "--reveal").stdout
    assert NAME not in shown
    dumped = worked("dump", "saltworks", "--reveal").stdout
    # (the other protected items are revealed; nothing of the sealed one is)
    assert PLACE not in dumped and "I saw how" not in dumped and WORDS in dumped

    verified = worked("verify")
    assert "sealed at" in verified.stdout and "intact" in verified.stdout
    log = json.loads(worked("log", "--json", "--item", str(witness)).stdout)
    sealed = [e for e in log if e["action"] == "sealed"]
    assert len(sealed) == 1 and sealed[0]["actor"] == "tester"

    # No old copy of the destroyed key is left in the database's own files.
    stolen = steal(worked.home, tmp_path / "stolen")
    for path in stolen.rglob("*"):
        if path.is_file():
            assert old_key not in path.read_bytes(), path
    assert not findings(stolen)


def test_the_analysis_and_report_say_what_rested_on_sealed_evidence(
    worked: Cli, tmp_path: Path
) -> None:
    plain = json.loads(worked("analyse", INCIDENT, "--json").stdout)
    assert "sealed" not in plain
    for title in ("Eyewitness at the saltworks", "Second eyewitness"):
        worked("item", "seal", str(item_id(worked, title)), "--reason", "consent withdrawn")
    result = json.loads(worked("analyse", INCIDENT, "--json").stdout)
    sealed = result["sealed"]
    assert sorted(sealed["evidence"]) == ["witness-y", "witness-z"]
    # The result still counts the ratings; the re-run sets them aside.
    assert result["leading"] == plain["leading"]
    without = sealed["leader_posterior_without"]
    leader = next(h for h in result["hypotheses"] if h["id"] == result["leading"])
    assert without is not None and without < leader["posterior"]
    assert sealed["sensitivity_without"] is not None
    assert sealed["leading_without"] in {h["id"] for h in result["hypotheses"]}
    report = tmp_path / "sealed.html"
    worked("report", INCIDENT, "-o", str(report))
    page = report.read_text(encoding="utf-8")
    assert "Evidence sealed at a witness" in page and "witness-z" in page
    # the posterior without them is a marked figure, which a bundle's check reads back
    from enquiry.publish.bundle_check import percent

    marked = "[[&#34;result&#34;, &#34;sealed&#34;, &#34;leader_posterior_without&#34;]]"
    assert f'data-finding="{marked}" data-show="percent">{percent(without)}<' in page


def test_what_cannot_be_sealed_is_refused(worked: Cli, tmp_path: Path) -> None:
    note = item_id(worked, "Field note on the crater")
    refused = worked("item", "seal", str(note), "--reason", "asked", expect=1)
    assert "not stored encrypted" in refused.stderr
    witness = item_id(worked, "Second eyewitness")
    assert worked("item", "seal", str(witness), "--reason", "  ", expect=2).exit_code == 2
    worked("item", "seal", str(witness), "--reason", "consent withdrawn")
    again = worked("item", "seal", str(witness), "--reason", "consent withdrawn", expect=1)
    assert "already sealed" in again.stderr
    worked("item", "update", str(witness), "--unprotect", expect=1)
    worked("item", "seal", "999", "--reason", "x", expect=1)


def test_revealing_a_sealed_items_log_needs_the_key(
    worked: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Received unprotected, so the ledger's `received` event names the file in the clear; then
    # protected and sealed. Its record is gone, but a reveal of its log still needs the key.
    arrived = tmp_path / "Vexlorn-Quist-3390.txt"
    arrived.write_text("What I saw at the saltworks.\n", encoding="utf-8")
    worked("add", str(arrived), "--case", "saltworks")
    witness = item_id(worked, arrived.name)
    worked("item", "update", str(witness), "--protect")
    worked("item", "seal", str(witness), "--reason", "consent withdrawn by W-V")

    def revealed() -> int:
        log = json.loads(worked("log", "--json", "--item", str(witness)).stdout)
        assert "Vexlorn" not in json.dumps(log)  # withheld without --reveal
        return sum(e["action"] == "revealed" for e in log)

    before = revealed()
    key_file = os.environ["ENQUIRY_PROTECTION_KEY_FILE"]
    monkeypatch.delenv("ENQUIRY_PROTECTION_KEY_FILE")
    for command in (("log", "--json", "--item", str(witness)), ("item", "show", str(witness))):
        refused = worked(*command, "--reveal", expect=1)
        assert "protection key is needed" in refused.stderr
        assert "Vexlorn" not in refused.output and str(tmp_path) not in refused.output
    wrong = tmp_path / "wrong.key"
    wrong.write_text(os.urandom(32).hex() + "\n", encoding="ascii")
    monkeypatch.setenv("ENQUIRY_PROTECTION_KEY_FILE", str(wrong))
    refused = worked("log", "--json", "--item", str(witness), "--reveal", expect=1)
    assert "does not open" in refused.stderr and "Vexlorn" not in refused.output
    assert revealed() == before  # nothing shown, no reveal recorded

    monkeypatch.setenv("ENQUIRY_PROTECTION_KEY_FILE", key_file)
    log = json.loads(worked("log", "--json", "--item", str(witness), "--reveal").stdout)
    received = next(e for e in log if e["action"] == "received")
    assert received["details"]["name"] == arrived.name  # what the ledger holds, in the clear
    sealed = next(e for e in log if e["action"] == "sealed")
    assert sealed["details"]["reason"] == "consent withdrawn by W-V"
    # What only its destroyed record held stays as stored: the marker, never a value.
    updated = next(e for e in log if e["action"] == "updated")
    assert "Vexlorn" not in json.dumps(updated)
    assert revealed() == before + 1
