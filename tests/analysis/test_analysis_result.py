"""The typed result and its JSON: the published contract stays what scripts were built on.

The golden file is the JSON the engine published for the built-in Khan Shaykhun case before the
result became typed (``enquiry analyse --json`` minus the title and input hash the command adds).
A change of it is a change of the published contract: bump ENGINE_VERSION when numbers change,
and regenerate it with ``json.dumps(analyse(inp).to_dict(), indent=2, ensure_ascii=False)``.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from enquiry.analysis import AnalysisInput, AnalysisResult, analyse
from enquiry.intake.casefile import builtin_case, load_case_file
from enquiry.publish.inputs import build_input
from enquiry.store import open_store

SLUG = "khan-shaykhun-2017-04-04"
GOLDEN = Path(__file__).parent / "golden" / f"{SLUG}.json"


@pytest.fixture(scope="module")
def demo_input(tmp_path_factory: pytest.TempPathFactory) -> AnalysisInput:
    """The built-in case read through the real case-file loader and catalogue."""
    store = open_store(tmp_path_factory.mktemp("golden") / "home", "tester", create=True)
    load_case_file(store, builtin_case(SLUG))
    with store.session() as session:
        inp, _context = build_input(session, SLUG)
    return inp


def _published(result: AnalysisResult) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"


def test_json_is_byte_identical_to_the_published_contract(demo_input: AnalysisInput) -> None:
    assert _published(analyse(demo_input)) == GOLDEN.read_text(encoding="utf-8")


def test_typed_members_are_the_numbers_the_json_publishes(demo_input: AnalysisInput) -> None:
    result = analyse(demo_input)
    data = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert list(data) == list(result.to_dict())
    assert result.leading == data["leading"] == "H1"
    assert result.leader.posterior == data["hypotheses"][0]["posterior"]
    assert [h.id for h in result.hypotheses] == [h["id"] for h in data["hypotheses"]]
    assert [h.inconsistency for h in result.hypotheses] == [
        h["inconsistency"] for h in data["hypotheses"]
    ]
    assert result.band == data["band"] and list(result.band_range) == data["band_range"]
    assert result.confidence.level == data["confidence"]
    assert list(result.confidence.reasons) == data["confidence_reasons"]
    assert {s.name: s.met for s in result.standards.levels} == data["standards"]
    assert result.standards.is_met("confident")
    assert result.standards.met()[-1] in result.statement
    assert result.sensitivity.leader_survives is data["sensitivity"]["leader_survives"]
    assert result.sensitivity.flips == data["sensitivity"]["flips"]
    assert len(result.sensitivity.linchpins) == len(data["linchpins"])
    assert [m.hypothesis for m in result.milestones] == [
        m["hypothesis"] for m in data["milestones"]
    ]
    russia = next(n for n in result.narratives if n.party == "Russian Federation")
    assert {f.type for f in russia.flags} == {"mutually_exclusive"}
    assert next(f.hypotheses for f in russia.flags) == ("H2", "H3", "H4")
    assert len(result.matrix.rows) == len(data["matrix"]["rows"])
    assert "unverified" not in data


def test_same_input_gives_an_equal_result_and_identical_json(demo_input: AnalysisInput) -> None:
    first, second = analyse(demo_input), analyse(demo_input)
    assert first == second
    assert _published(first) == _published(second)


def test_the_result_is_frozen(demo_input: AnalysisInput) -> None:
    result = analyse(demo_input)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.leading = "H2"  # type: ignore[misc]


def test_unverified_appears_in_the_json_only_when_set(demo_input: AnalysisInput) -> None:
    result = analyse(demo_input)
    stamped = dataclasses.replace(result, unverified=("rating 3: row changed outside the ledger",))
    data = stamped.to_dict()
    assert data.pop("unverified") is True
    assert data == result.to_dict()
