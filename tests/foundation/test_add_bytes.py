"""Bytes that arrive other than as files (feed entries, case-file text) take the same road."""

from __future__ import annotations

from pathlib import Path

from enquiry.enrich import default_extractors
from enquiry.intake.pipeline import IntakeOptions, add_bytes
from enquiry.store import open_store
from enquiry.store.verify import verify


def test_keyed_items_are_their_own_even_with_equal_bytes_and_reloading_is_idempotent(
    home: Path,
) -> None:
    store = open_store(home, "loader")
    text = b"The Ministry of Defence said the strike hit a depot.\n"

    def load(key: str, data: bytes) -> tuple[str, int | None, list[str]]:
        options = IntakeOptions(
            case="ks", kind="statement", key=key, fields={"speaker": "I. Konashenkov"}
        )
        result = add_bytes(
            store, data, f"casefile.yaml#items/{key}", options, default_extractors()
        ).results[0]
        return result.status, result.item_id, result.problems

    assert load("mod-1", text)[:2] == ("stored", 1)
    assert load("mod-2", text)[:2] == ("stored", 2)
    assert load("mod-1", text)[:2] == ("unchanged", 1)
    status, item_id, problems = load("mod-1", b"other words\n")
    assert status == "rejected" and item_id is None
    assert "key 'mod-1' already names item 1" in problems[0]
    report = verify(store)
    assert report.intact, report.failures
    assert report.items == 2 and report.blobs == 1
