"""Loading is one transaction: a case file that fails anywhere leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from casefile_helpers import HEAD, catalogue, write

from enquiry.intake.casefile import CaseFileError, load_case_file
from enquiry.store import open_store
from enquiry.store.verify import verify

ITEMS = """items:
- key: note
  kind: document
  source: Field team
  fields: {title: Field note}
  text: A crater in the square.
- key: memo
  kind: document
  fields: {title: Memo}
  file: memo.txt
- key: pending
  kind: environmental_sample
  fields: {title: Sample awaiting analysis, sample_id: S-1, matrix: soil}
"""

GOOD_RATING = """- incident: small-incident
  item: note
  analyst: tester
  values: {H1: CC, H0: N}
"""


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        # Fails at the very end, after every item is in the vault and written.
        (
            "  item: sha256:" + "0" * 64 + "\n  analyst: tester\n  values: {H1: C, H0: N}\n",
            "ratings[1].item: no item of case 'small' holds the evidence sha256:000",
        ),
        ("  item: note\n  values: {H1: C, H0: N}\n", "ratings[1].incident: incident 'elsewhere'"),
    ],
)
def test_a_file_that_fails_late_leaves_nothing(
    tmp_path: Path, home: Path, backend: str, ratings: str, message: str
) -> None:
    (tmp_path / "memo.txt").write_text("A memo.\n", encoding="utf-8")
    incident = "elsewhere" if "incident" in message else "small-incident"
    text = HEAD + ITEMS + "ratings:\n" + GOOD_RATING + f"- incident: {incident}\n" + ratings
    store = open_store(home, "tester")
    before = catalogue(store)
    with pytest.raises(CaseFileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_case_file(store, write(tmp_path, text))
    assert catalogue(store) == before
    report = verify(store)
    assert report.intact, report.failures
    # The same file, put right, loads completely.
    fixed = text.replace(f"- incident: {incident}\n" + ratings, "")
    loaded = load_case_file(store, write(tmp_path, fixed))
    assert loaded.created["item"] == 3 and loaded.created["rating"] == 1
    assert verify(store).intact


def test_a_missing_attachment_in_an_existing_case_changes_nothing(
    tmp_path: Path, home: Path, backend: str
) -> None:
    (tmp_path / "memo.txt").write_text("A memo.\n", encoding="utf-8")
    store = open_store(home, "tester")
    load_case_file(store, write(tmp_path, HEAD + ITEMS))
    before = catalogue(store)
    changed = (
        HEAD.replace("reliability: B", "reliability: C")
        + ITEMS
        + ("- key: lost\n  kind: document\n  fields: {title: Lost}\n  file: lost.txt\n")
    )
    with pytest.raises(CaseFileError, match=r"case.yaml:\d+:9: items\[3\].file: .*does not exist"):
        load_case_file(store, write(tmp_path, changed))
    assert catalogue(store) == before
    assert verify(store).intact
