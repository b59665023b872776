"""Inputs a hostile reader (or a careless case file) could use to make the engine say something
the evidence does not: numbers that are not numbers, tables that make a standard of proof met
whatever the evidence, time windows misread by time zone or by a bare date — and the published
input read back, so that anyone holding a finding's inputs can run the engine on them again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from typing import Any

import pytest

from enquiry.analysis import (
    AnalysisInput,
    Claim,
    EstablishedFacts,
    Evidence,
    Hypothesis,
    analyse,
)
from enquiry.analysis.inputs import SourceRecord, input_from_dict
from enquiry.store.ledger import canonical

WINDOW = {"start": "2017-04-04T06:30:00+03:00", "end": "2017-04-04T07:00:00+03:00"}


def _input(**changes: Any) -> AnalysisInput:
    evidence = changes.pop("evidence", None) or (
        Evidence("crater", "crater analysis", "expert_analysis", "B", 2, "institute",
                 {"H1": "CC", "H2": "I", "H0": "N"}),
        Evidence("video", "video", "video", "C", 3, "media", {"H1": "C", "H2": "C", "H0": "N"},
                 cluster="footage"),
    )  # fmt: skip
    base = AnalysisInput(
        incident="hostile",
        hypotheses=(
            Hypothesis("H1", "an aircraft dropped a bomb"),
            Hypothesis("H2", "a device on the ground"),
            Hypothesis("H0", "something else", is_other=True),
        ),
        evidence=evidence,
    )
    return dataclasses.replace(base, **changes)


def _flags(slot: dict[str, str], window: dict[str, str] | None = None) -> list[str]:
    claim = Claim("c1", "Ministry", "2017-04-05", "it happened", supports=("H2",),
                  slots={"time_window": slot}, evidence=("crater",))  # fmt: skip
    result = analyse(_input(claims=(claim,), facts=EstablishedFacts(time_window=window or WINDOW)))
    return [
        f.explanation for n in result.narratives for f in n.flags if f.type == "contradicts_facts"
    ]


# --- time windows -------------------------------------------------------------------------------


def test_a_claim_dated_the_day_of_the_attack_does_not_contradict_its_hour() -> None:
    # "it happened on 4 April" is the whole day, not midnight: it contains 06:30-07:00
    assert _flags({"start": "2017-04-04"}) == []
    assert _flags({"start": "2017-04-04", "end": "2017-04-04"}) == []
    # a bare established date is that whole day too: a claim at 10:00 that day fits it
    assert _flags({"start": "2017-04-04T10:00"}, {"start": "2017-04-04", "end": "2017-04-04"}) == []


def test_a_day_that_misses_the_window_is_still_flagged_with_the_right_gap() -> None:
    (before,) = _flags({"start": "2017-04-03"})
    assert "by 6.5 h" in before and "2017-04-03 23:59" in before
    (after,) = _flags({"start": "2017-04-05T10:00"}, {"start": "2017-04-04", "end": "2017-04-04"})
    assert "by 10.0 h" in after


def test_a_window_mixing_a_zoned_and_a_local_end_is_read_not_crashed() -> None:
    # naive ends are read in the other end's offset, as naive claim times are
    assert _flags({"start": "2017-04-04T06:00:00+03:00", "end": "2017-04-04T08:00"}) == []
    assert _flags({"start": "2017-04-04T06:45"}, {**WINDOW, "end": "2017-04-04T07:00"}) == []
    (late,) = _flags({"start": "2017-04-04T11:30:00+03:00", "end": "2017-04-04T12:30"})
    assert "by 4.5 h" in late


def test_the_same_instant_in_another_zone_is_the_same_instant() -> None:
    assert _flags({"start": "2017-04-04T03:45Z"}) == []
    (off,) = _flags({"start": "2017-04-04T11:30Z"})
    assert "by 7.5 h" in off  # 11:30 UTC is 14:30 +03:00


# --- numbers that are not numbers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"credibility_table": {3: math.nan}}, "credibility table: 3 = nan is not a probability"),
        ({"credibility_table": {3: 5.0}}, "credibility table: 3 = 5.0 is not a probability"),
        ({"credibility_table": {3: -1.0}}, "credibility table: 3 = -1.0 is not a probability"),
        ({"credibility_table": {9: 0.5}}, "credibility table: 9 is not a grade 1-6"),
        ({"thresholds": {"confident": math.nan}}, "standards of proof table: confident = nan"),
        (
            {"thresholds": {"beyond reasonable doubt": -math.inf}},
            "beyond reasonable doubt = -inf is not a probability",
        ),
        ({"thresholds": {"confident": 2.0}}, "confident = 2.0 is not a probability"),
        ({"rating_table": {"CC": math.nan}}, "rating table: CC = nan"),
    ],
)
def test_a_table_that_is_not_a_probability_is_refused(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        analyse(_input(**changes))


@pytest.mark.parametrize("relevance", [math.nan, math.inf, -1.0])
def test_a_relevance_that_is_not_a_finite_weight_is_refused(relevance: float) -> None:
    bad = Evidence("crater", "crater", "expert_analysis", "B", 2, "institute",
                   {"H1": "CC", "H2": "I", "H0": "N"}, relevance=relevance)  # fmt: skip
    with pytest.raises(ValueError, match=r"evidence crater: relevance .* is not a finite number"):
        analyse(_input(evidence=(bad,)))


def test_a_place_at_nan_coordinates_is_refused_rather_than_never_contradicted() -> None:
    facts = EstablishedFacts(place={"name": "crater", "lat": math.nan, "lon": 36.6})
    with pytest.raises(ValueError, match="established facts: place lat nan is not a finite"):
        analyse(_input(facts=facts))
    claim = Claim("c9", "Ministry", "2017-04-05", "a depot", supports=("H2",),
                  slots={"place": {"name": "depot", "lat": 35.4, "lon": math.inf}})  # fmt: skip
    with pytest.raises(ValueError, match="claim c9: place lon inf is not a finite number"):
        analyse(_input(claims=(claim,)))


def test_no_published_result_carries_nan_or_infinity() -> None:
    result = analyse(_input(thresholds={"confident": 0.9}, credibility_table={3: 0.6}))
    json.dumps(result.to_dict(), allow_nan=False)


# --- the published input, read back ---------------------------------------------------------------


def test_the_published_input_reads_back_to_the_same_hash_and_result() -> None:
    inp = _input(
        claims=(
            Claim(
                "c1",
                "Igor Konashenkov",
                "2017-04-05",
                "a depot was hit",
                forum="briefing",
                supports=("H2",),
                slots={
                    "time_window": {
                        "start": "2017-04-04T11:30:00+03:00",
                        "end": "2017-04-04T12:30:00+03:00",
                    },
                    "means": "air strike",
                },
            ),
        ),
        facts=EstablishedFacts(
            time_window=WINDOW,
            place={"name": "crater", "lat": 35.44, "lon": 36.65, "radius_km": 0.5},
            means=("aerial bomb", "sarin"),
        ),
        thresholds={"confident": 0.85},
        credibility_table={3: 0.65},
        rating_table={"CC": 0.92},
        affiliations={"Igor Konashenkov": "Russian Federation"},
        records={"institute": SourceRecord(3, 4, 0.7, 0.3, 0.9, "B")},
    )
    published = json.loads(canonical(dataclasses.asdict(inp)))
    again = input_from_dict(published)
    digest = hashlib.sha256(canonical(published).encode("utf-8")).hexdigest()
    assert hashlib.sha256(canonical(dataclasses.asdict(again)).encode()).hexdigest() == digest
    assert canonical(analyse(again).to_dict()) == canonical(analyse(inp).to_dict())


def test_a_malformed_published_input_is_one_clear_error() -> None:
    published = json.loads(canonical(dataclasses.asdict(_input())))
    del published["hypotheses"]
    with pytest.raises(ValueError, match="analysis input: 'hypotheses' is missing"):
        input_from_dict(published)
    with pytest.raises(ValueError, match="analysis input: malformed"):
        input_from_dict({**json.loads(canonical(dataclasses.asdict(_input()))), "evidence": 3})
