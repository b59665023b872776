"""Narratives: parties' claims in date order, and the three flags with their citations."""

from __future__ import annotations

import pytest

from enquiry.analysis import AnalysisInput, Claim, EstablishedFacts, Evidence, Hypothesis, analyse
from enquiry.analysis.narratives import haversine_km
from enquiry.analysis.result import Flag, Narrative

HYPS = (
    Hypothesis("H1", "an aircraft dropped a sarin bomb at 06:30-07:00"),
    Hypothesis("H2", "a strike at 11:30-12:30 hit a rebel depot"),
    Hypothesis("H3", "staged"),
    Hypothesis("H4", "a device on the ground"),
    Hypothesis("H0", "something else", is_other=True),
)
FACTS = EstablishedFacts(
    time_window={"start": "2017-04-04T06:30:00+03:00", "end": "2017-04-04T07:00:00+03:00"},
    place={"name": "Khan Shaykhun", "lat": 35.4416, "lon": 36.6508, "radius_km": 1.5},
    means=("aerial bomb", "sarin"),
)
SAMPLE = Evidence(
    "sample",
    "environmental samples",
    "environmental_sample",
    "B",
    2,
    "FFM",
    {"H1": "CC", "H2": "I"},
)
CLAIMS = (
    Claim(
        "ru-mod-depot",
        "Russian Ministry of Defence",
        "2017-04-05",
        "Syrian aircraft struck a rebel depot holding toxic munitions on the eastern outskirts",
        supports=("H2",),
        slots={
            "time_window": {
                "start": "2017-04-04T11:30:00+03:00",
                "end": "2017-04-04T12:30:00+03:00",
            },
            "place": {"name": "eastern outskirts of Khan Shaykhun", "lat": 35.4380, "lon": 36.6900},
            "means": "conventional strike on a chemical depot",
        },
    ),
    Claim("assad", "Bashar al-Assad", "2017-04-13", "100% fabrication", supports=("H3",)),
    Claim(
        "ulyanov-device",
        "Mikhail Ulyanov",
        "2017-10-13",
        "a device on the ground",
        supports=("H4",),
    ),
    Claim(
        "safronkov",
        "Vladimir Safronkov",
        "2017-11-07",
        "errors and systemic problems",
        supports=("H3",),
    ),
    Claim(
        "jim",
        "JIM",
        "2017-10-26",
        "confident that the Syrian Arab Republic is responsible",
        supports=("H1",),
        evidence=("sample",),
        slots={
            "time_window": {
                "start": "2017-04-04T06:30:00+03:00",
                "end": "2017-04-04T07:00:00+03:00",
            },
            "place": {"name": "Khan Shaykhun, northern part", "lat": 35.4430, "lon": 36.6500},
            "means": "sarin-filled aerial bomb",
        },
    ),
)
AFFILIATIONS = {
    "Russian Ministry of Defence": "Russian Federation",
    "Mikhail Ulyanov": "Russian Ministry of Foreign Affairs",
    "Russian Ministry of Foreign Affairs": "Russian Federation",
    "Vladimir Safronkov": "Russian Federation",
    "Bashar al-Assad": "Syrian Arab Republic",
}


def narratives(
    claims: tuple[Claim, ...] = CLAIMS, facts: EstablishedFacts = FACTS
) -> dict[str, Narrative]:
    result = analyse(
        AnalysisInput(
            incident="ks",
            hypotheses=HYPS,
            evidence=(SAMPLE,),
            claims=claims,
            facts=facts,
            affiliations=AFFILIATIONS,
        )
    )
    return {n.party: n for n in result.narratives}


def flags(entry: Narrative, kind: str) -> list[Flag]:
    return [f for f in entry.flags if f.type == kind]


def test_depot_claim_contradicts_established_time_place_and_means() -> None:
    mod = narratives()["Russian Ministry of Defence"]
    [flag] = flags(mod, "contradicts_facts")
    assert flag.claims == ("ru-mod-depot",)
    text = flag.explanation
    assert text.startswith(
        "Russian Ministry of Defence (Russian Federation), ru-mod-depot (2017-04-05)"
    )
    assert mod.line == "Russian Federation" and mod.affiliation == ("Russian Federation",)
    assert "misses the established" in text and "by 4.5 h" in text
    km = haversine_km(35.4380, 36.6900, 35.4416, 36.6508)
    assert f"{km:.1f} km" in text
    assert "conventional strike on a chemical depot" in text


def test_consistent_claim_with_evidence_is_not_flagged() -> None:
    assert narratives()["JIM"].flags == ()


def test_the_russian_line_backs_mutually_exclusive_hypotheses() -> None:
    line = narratives()["Russian Federation"]
    assert line.members == (
        "Russian Ministry of Defence",
        "Mikhail Ulyanov",
        "Vladimir Safronkov",
    )
    [flag] = flags(line, "mutually_exclusive")
    assert flag.claims == (
        "ru-mod-depot",
        "ulyanov-device",
        "safronkov",
    )
    assert flag.hypotheses == (
        "H2",
        "H3",
        "H4",
    )
    for date in ("2017-04-05", "2017-10-13", "2017-11-07"):
        assert date in flag.explanation
    # one actor alone backed one hypothesis: no exclusive flag at actor level
    assert flags(narratives()["Mikhail Ulyanov"], "mutually_exclusive") == []


def test_one_party_changing_its_story_is_flagged_and_claims_are_in_date_order() -> None:
    claims = (
        Claim("late", "Party", "2017-11-01", "it was staged", supports=("H3",)),
        Claim("early", "Party", "2017-04-05", "it was a depot", supports=("H2",)),
    )
    entry = narratives(claims)["Party"]
    assert [c.id for c in entry.claims] == ["early", "late"]
    [flag] = flags(entry, "mutually_exclusive")
    assert flag.claims == (
        "early",
        "late",
    )


def test_assertions_without_evidence_are_unsupported() -> None:
    parties = narratives()
    assert [f.claims for f in flags(parties["Bashar al-Assad"], "unsupported")] == [("assad",)]
    cites_missing = (
        Claim("c", "P", "2017-05-01", "see our file", supports=("H3",), evidence=("nowhere",)),
    )
    [flag] = flags(narratives(cites_missing)["P"], "unsupported")
    assert "nowhere" in flag.explanation


def test_place_by_name_when_coordinates_are_missing() -> None:
    facts = EstablishedFacts(place={"name": "Khan Shaykhun", "radius_km": 1})
    other = (Claim("a", "P", "2017-04-05", "x", slots={"place": {"name": "Hama"}}),)
    same = (Claim("b", "P", "2017-04-05", "x", slots={"place": {"name": "Khan Shaykhun, Idlib"}}),)
    assert len(flags(narratives(other, facts)["P"], "contradicts_facts")) == 1
    assert flags(narratives(same, facts)["P"], "contradicts_facts") == []


def test_overlapping_window_is_not_a_contradiction() -> None:
    claim = (
        Claim(
            "w",
            "P",
            "2017-04-05",
            "x",
            slots={
                "time_window": {
                    "start": "2017-04-04T06:00:00+03:00",
                    "end": "2017-04-04T06:40:00+03:00",
                }
            },
        ),
    )
    assert flags(narratives(claim)["P"], "contradicts_facts") == []


def test_a_malformed_time_names_the_claim() -> None:
    bad = (Claim("odd", "P", "2017-04-05", "x", slots={"time_window": {"start": "morning"}}),)
    with pytest.raises(
        ValueError, match=r"^claim odd time window start: 'morning' is not an ISO 8601"
    ):
        narratives(bad)


def test_hedging_within_one_claim_is_not_a_contradiction() -> None:
    hedge = (
        Claim("h1", "P", "2017-04-05", "staged, or a device", supports=("H3", "H4")),
        Claim("h2", "P", "2017-05-01", "a device", supports=("H4",)),
    )
    assert flags(narratives(hedge)["P"], "mutually_exclusive") == []
    turn = (*hedge, Claim("h3", "P", "2017-06-01", "a depot after all", supports=("H2",)))
    [flag] = flags(narratives(turn)["P"], "mutually_exclusive")
    assert flag.claims == (
        "h1",
        "h2",
        "h3",
    )
    assert flag.hypotheses == (
        "H2",
        "H3",
        "H4",
    )
