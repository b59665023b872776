"""An incident's replies from the parties and its panel: read, stored, dumped back, and refused
with the place they were written when malformed."""

from __future__ import annotations

from pathlib import Path

import pytest
from casefile_helpers import HEAD, write

from enquiry.intake.casefile import dump_case, load_case_file, read_case_file
from enquiry.intake.casefile_schema import CaseFileError
from enquiry.store import open_store

REPLIES = """  replies:
  - {party: Government of Ruritania, date: '2020-05-01', reference: note verbale 12/2020,
     summary: Denies that any of its aircraft flew that day.}
  panel:
  - {name: A. Chair, role: presiding}
  - {name: B. Member}
"""


def _with(extra: str) -> str:
    head, hypotheses = HEAD.split("  hypotheses:\n")
    return head + extra + "  hypotheses:\n" + hypotheses


def test_replies_and_panel_round_trip(tmp_path: Path, home: Path) -> None:
    path = write(tmp_path / "case", _with(REPLIES))
    store = open_store(home, "tester", create=True)
    load_case_file(store, path)
    dumped = dump_case(store, "small", reveal=True)
    incident = dumped["incidents"][0]
    assert incident["replies"] == [
        {
            "party": "Government of Ruritania",
            "date": "2020-05-01",
            "reference": "note verbale 12/2020",
            "summary": "Denies that any of its aircraft flew that day.",
        }
    ]
    assert incident["panel"] == [{"name": "A. Chair", "role": "presiding"}, {"name": "B. Member"}]
    again = load_case_file(store, path)
    assert again.created == {} and again.updated == {}


@pytest.mark.parametrize(
    "bad, where",
    [
        ("  replies:\n  - {party: Ruritania}\n", "incidents[0].replies[0]"),
        ("  replies:\n  - {party: Ruritania, summary: x, date: 'May 2020'}\n", "date"),
        ("  panel:\n  - {role: chair}\n", "incidents[0].panel[0]"),
    ],
)
def test_a_malformed_reply_or_panel_is_refused_where_written(
    tmp_path: Path, bad: str, where: str
) -> None:
    path = write(tmp_path / "case", _with(bad))
    with pytest.raises(CaseFileError) as raised:
        read_case_file(path)
    assert where in str(raised.value) and "case.yaml" in str(raised.value)
