"""The engine's numbers: posteriors, tracing, dependence, grading, flood resistance, wording."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import random

import pytest

from enquiry.analysis import AnalysisInput, AnalysisResult, Evidence, Hypothesis, analyse
from enquiry.analysis.result import HypothesisResult
from enquiry.analysis.tables import (
    CREDIBILITY_HIT,
    ICD203_BANDS,
    RATING_LIKELIHOOD,
    RELIABILITY_HIT,
    STANDARDS,
)

HYPS = (
    Hypothesis("H1", "an aircraft dropped a sarin bomb"),
    Hypothesis("H2", "a strike hit a depot"),
    Hypothesis("H3", "staged"),
    Hypothesis("H0", "something else", is_other=True),
)


def item(
    eid: str, ratings: dict[str, str], grade: str = "B2", source: str | None = None, **kw: object
) -> Evidence:
    return Evidence(
        id=eid,
        label=eid,
        kind="document",
        reliability=grade[0],
        credibility=int(grade[1]),
        source=source or f"src-{eid}",
        ratings=ratings,
        **kw,  # type: ignore[arg-type]
    )


STRONG = (
    item("E1", {"H1": "CC", "H2": "C", "H3": "II", "H0": "N"}, "B2"),
    item("E2", {"H1": "CC", "H2": "I", "H3": "II", "H0": "I"}, "B2"),
    item("E3", {"H1": "CC", "H2": "II", "H3": "I", "H0": "N"}, "A2"),
    item("E4", {"H1": "C", "H2": "II", "H3": "I", "H0": "I"}, "B1"),
    item("E5", {"H1": "CC", "H2": "I", "H3": "I", "H0": "N"}, "A1"),
    item("E6", {"H1": "I", "H2": "C", "H3": "C", "H0": "N"}, "C3"),
)


def case(evidence: tuple[Evidence, ...] = STRONG, **kw: object) -> AnalysisInput:
    return AnalysisInput(incident="test", hypotheses=HYPS, evidence=evidence, **kw)  # type: ignore[arg-type]


def by_id(result: AnalysisResult, hid: str) -> HypothesisResult:
    found = result.hypothesis(hid)
    assert found is not None
    return found


def random_case(seed: int, n: int = 12, k: int = 4) -> AnalysisInput:
    rng = random.Random(seed)
    hyps = tuple(Hypothesis(f"H{j}", f"hypothesis {j}", is_other=j == 0) for j in range(k))
    ev = []
    for i in range(n):
        ratings = {h.id: rng.choice(["CC", "C", "N", "I", "II", "NA"]) for h in hyps}
        cluster = f"k{rng.randrange(n // 2)}" if rng.random() < 0.5 else None
        ev.append(
            Evidence(
                id=f"E{i}",
                label=f"item {i}",
                kind="document",
                reliability=rng.choice("ABCDEF"),
                credibility=rng.randint(1, 6),
                source=f"S{rng.randrange(n // 3)}",
                ratings=ratings,
                cluster=cluster,
            )
        )
    return AnalysisInput(incident=f"random-{seed}", hypotheses=hyps, evidence=tuple(ev))


@pytest.mark.parametrize("seed", range(20))
def test_posteriors_sum_to_one_and_bounds_enclose(seed: int) -> None:
    result = analyse(random_case(seed))
    hyps = result.hypotheses
    assert math.isclose(sum(h.posterior for h in hyps), 1.0, abs_tol=1e-9)
    assert math.isclose(sum(h.posterior_independent for h in hyps), 1.0, abs_tol=1e-9)
    for h in hyps:
        assert h.posterior_low <= h.posterior <= h.posterior_high
        assert h.posterior_low <= h.posterior_independent <= h.posterior_high
    leader = max(hyps, key=lambda h: h.posterior)
    assert result.leading == leader.id and result.leader == leader


def test_same_input_gives_byte_identical_output() -> None:
    a = json.dumps(analyse(random_case(7)).to_dict())
    b = json.dumps(analyse(random_case(7)).to_dict())
    assert a == b
    assert analyse(random_case(7)) == analyse(random_case(7))
    assert a != json.dumps(analyse(random_case(8)).to_dict())


def test_every_cell_traces_to_the_tables() -> None:
    """Recompute each cell and the posterior by hand from the documented tables."""
    result = analyse(case())
    priors = {h.id: h.prior for h in result.hypotheses}
    totals = dict.fromkeys(priors, 0.0)
    for row in result.matrix.rows:
        r = RELIABILITY_HIT[row.reliability] * CREDIBILITY_HIT[row.credibility]
        assert row.r == pytest.approx(r)
        p = {c.hypothesis: RATING_LIKELIHOOD[c.rating] for c in row.cells}
        q = sum(priors[h] * p[h] for h in p)
        assert row.q == pytest.approx(q)
        for cell in row.cells:
            h = cell.hypothesis
            assert cell.p == pytest.approx(p[h])
            assert cell.log_lr == pytest.approx(math.log((r * p[h] + (1 - r) * q) / q))
            if row.counted:
                totals[h] += cell.log_lr
    z = sum(priors[h] * math.exp(totals[h]) for h in priors)
    for hyp in result.hypotheses:
        assert hyp.log_lr_total == pytest.approx(totals[hyp.id])
        assert hyp.posterior == pytest.approx(priors[hyp.id] * math.exp(totals[hyp.id]) / z)


def test_heuer_scores_count_inconsistency() -> None:
    result = analyse(case())
    # H3: II, II, I, I, I, C -> 2 + 2 + 1 + 1 + 1 = 7
    assert by_id(result, "H3").inconsistency == 7
    assert by_id(result, "H1").inconsistency == 1
    weighted = by_id(result, "H1").weighted_inconsistency
    assert weighted == pytest.approx(1 * RELIABILITY_HIT["C"] * CREDIBILITY_HIT[3])


def test_unreliable_source_tends_to_likelihood_ratio_one() -> None:
    spreads = []
    for grade in "ABCDEF":
        result = analyse(
            case((item("X", {"H1": "CC", "H2": "II", "H3": "II", "H0": "II"}, f"{grade}2"),))
        )
        cells = result.matrix.rows[0].cells
        spreads.append(max(c.log_lr for c in cells) - min(c.log_lr for c in cells))
    assert all(a > b for a, b in itertools.pairwise(spreads))
    assert spreads[-1] == 0.0


def test_echoes_in_one_cluster_count_once() -> None:
    origin = item("O", {"H1": "I", "H2": "CC", "H3": "N", "H0": "N"}, "C3", cluster="rumour")
    echoes = tuple(
        item(f"echo{i}", {"H1": "I", "H2": "CC", "H3": "N", "H0": "N"}, "D3", cluster="rumour")
        for i in range(10)
    )
    once = analyse(case((*STRONG, origin)))
    many = analyse(case((*STRONG, origin, *echoes)))
    assert [h.posterior for h in many.hypotheses] == [h.posterior for h in once.hypotheses]
    assert by_id(many, "H2").posterior_independent > by_id(once, "H2").posterior_independent
    assert by_id(many, "H1").posterior_low < by_id(many, "H1").posterior
    cluster = next(c for c in many.clusters if c.id == "rumour")
    assert cluster.counted == "O" and len(cluster.members) == 11


def test_derived_from_joins_a_cluster() -> None:
    copy = item(
        "E3copy", {"H1": "CC", "H2": "II", "H3": "I", "H0": "N"}, "A2", derived_from=("E3",)
    )
    result = analyse(case((*STRONG, copy)))
    cluster = next(c for c in result.clusters if "E3copy" in c.members)
    assert sorted(cluster.members) == ["E3", "E3copy"]
    assert [h.posterior for h in result.hypotheses] == [
        h.posterior for h in analyse(case()).hypotheses
    ]


@pytest.mark.parametrize("size", [10, 2000])
def test_flood_of_ungraded_sources_does_not_flip_the_conclusion(size: int) -> None:
    """Independent-looking F-graded sources, all backing the false H3, change nothing."""
    flood = tuple(
        item(
            f"F{i}",
            {"H1": "II", "H2": "I", "H3": "CC", "H0": "I"},
            f"F{1 + i % 6}",
            source=f"bot{i}",
        )
        for i in range(size)
    )
    base = analyse(case())
    flooded = analyse(case(STRONG + flood))
    assert flooded.leading == base.leading == "H1"
    assert [h.posterior for h in flooded.hypotheses] == pytest.approx(
        [h.posterior for h in base.hypotheses]
    )
    assert flooded.standards.met() == base.standards.met()
    # the counting method the flood was built to beat does flip
    assert min(flooded.hypotheses, key=lambda h: h.inconsistency).id == "H3"


def test_explicit_likelihoods_override_ratings() -> None:
    e = Evidence(
        "L",
        "lab",
        "document",
        "A",
        1,
        "lab",
        ratings={"H1": "N"},
        likelihoods={"H1": 0.8, "H2": 0.01},
    )
    row = analyse(case((e,))).matrix.rows[0]
    h1, h3 = row.cell("H1"), row.cell("H3")
    assert h1 is not None and h1.rating == "explicit" and h1.p == 0.8
    assert h3 is not None and h3.rating == "NA"


def test_stated_priors_are_kept_and_the_rest_share() -> None:
    hyps = (
        Hypothesis("H1", "a", prior=0.5),
        Hypothesis("H2", "b"),
        Hypothesis("H0", "other", is_other=True),
    )
    result = analyse(AnalysisInput(incident="p", hypotheses=hyps, evidence=()))
    assert [h.prior for h in result.hypotheses] == pytest.approx([0.5, 0.25, 0.25])
    assert [h.posterior for h in result.hypotheses] == pytest.approx([0.5, 0.25, 0.25])


def test_band_follows_icd203() -> None:
    result = analyse(case())
    p = result.leader.posterior
    name, low, high = next((b for b in ICD203_BANDS if b[1] <= p < b[2]), ICD203_BANDS[-1])
    assert result.band == name and result.band_range == (low, high)
    assert result.statement.startswith(f"It is {name} ")
    assert "confidence: " + result.confidence.level in result.statement


def test_standards_use_the_conservative_bound_and_can_be_overridden() -> None:
    result = analyse(case())
    low = result.leader.posterior_low
    assert {s.name: s.met for s in result.standards.levels} == {
        name: low > t for name, t in STANDARDS.items()
    }
    assert [s.threshold for s in result.standards.levels] == sorted(STANDARDS.values())
    strict = analyse(case(thresholds={"confident": 0.999999, "panel threshold": 0.1}))
    assert strict.standards.is_met("confident") is False
    assert strict.standards.is_met("panel threshold") is True


def test_strong_agreeing_case_is_high_confidence_and_contested_one_is_not() -> None:
    strong = analyse(case())
    assert strong.leading == "H1"
    assert strong.confidence.level == "high", strong.confidence.reasons
    weak = analyse(
        case(
            (
                item("A", {"H1": "C", "H2": "I", "H3": "N", "H0": "N"}, "C3"),
                item("B", {"H1": "I", "H2": "C", "H3": "N", "H0": "N"}, "C3"),
            )
        )
    )
    assert weak.confidence.level == "low"
    assert len(weak.confidence.reasons) == 3


def test_non_diagnostic_items_are_flagged() -> None:
    alike = item("same", {"H1": "C", "H2": "C", "H3": "C", "H0": "C"}, "A1")
    result = analyse(case((*STRONG, alike)))
    assert "same" in result.diagnosticity.non_diagnostic
    assert "E3" not in result.diagnosticity.non_diagnostic
    row = result.matrix.row("same")
    assert row is not None
    assert row.diagnostic is False and row.log_lr_range == pytest.approx(0.0)


def test_milestones_count_the_items_that_change_the_leader() -> None:
    base = case()
    result = analyse(base)
    for m in result.milestones:
        hid = m.hypothesis
        assert m.leads == (hid == result.leading)
        n = m.items_needed
        assert n is not None and n >= 1

        def with_items(count: int, hid: str = hid) -> str:
            others = [h.id for h in HYPS if h.id != hid]
            if hid == result.leading:
                ratings = {h.id: "CC" for h in HYPS} | {hid: "II"}
            else:
                ratings = dict.fromkeys(others, "II") | {hid: "CC"}
            extra = tuple(item(f"M{i}", ratings, "A2") for i in range(count))
            return analyse(dataclasses.replace(base, evidence=base.evidence + extra)).leading

        if hid == result.leading:
            assert with_items(n) != hid and with_items(n - 1) == hid
        else:
            assert with_items(n) == hid and with_items(n - 1) != hid


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        ((item("X", {"H9": "C"}),), "evidence X: rated against unknown hypothesis 'H9'"),
        ((item("X", {"H1": "maybe"}),), "evidence X: unknown rating 'maybe'"),
        ((item("X", {"H1": "C"}, "Z2"),), "evidence X: unknown source reliability grade 'Z'"),
        ((item("X", {"H1": "C"}), item("X", {"H1": "C"})), "evidence X: the id appears twice"),
    ],
)
def test_bad_input_names_the_evidence(evidence: tuple[Evidence, ...], message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        analyse(case(evidence))


def test_one_hypothesis_is_refused() -> None:
    with pytest.raises(ValueError, match="at least two hypotheses"):
        analyse(AnalysisInput(incident="x", hypotheses=HYPS[:1], evidence=()))


def test_grading_f_sources_is_what_stops_the_flood() -> None:
    """Give F a hit rate through the configurable table and the same flood does flip."""
    flood = tuple(
        item(f"F{i}", {"H1": "II", "H2": "I", "H3": "CC", "H0": "I"}, "F3", source=f"bot{i}")
        for i in range(200)
    )
    trusting = analyse(case((*STRONG, *flood), reliability_table={"F": 0.5}))
    assert trusting.leading == "H3"
    assert trusting.tables.defaults_overridden == ("reliability_hit",)


def test_evidence_against_the_leader_raises_the_conflict_share() -> None:
    base = analyse(case())
    anomalies = tuple(
        item(f"anomaly{i}", {"H1": "II", "H2": "C", "H3": "C", "H0": "C"}, "B2") for i in range(2)
    )
    contested = analyse(case((*STRONG, *anomalies)))
    assert contested.confidence.detail.conflict_share > base.confidence.detail.conflict_share
    assert contested.confidence.level != "high"


def _plain(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return type(value) in (str, int, float, bool, type(None))


@pytest.mark.parametrize("seed", range(5))
def test_result_is_plain_finite_json(seed: int) -> None:
    result = analyse(random_case(seed)).to_dict()
    assert _plain(result)
    json.dumps(result, allow_nan=False)


def test_a_leader_below_even_odds_is_only_called_leading() -> None:
    hyps = tuple(Hypothesis(f"H{j}", f"story {j}", is_other=j == 0) for j in range(5))
    weak = AnalysisInput(
        incident="weak",
        hypotheses=hyps,
        evidence=(item("A", {"H1": "C", "H2": "N", "H3": "N", "H4": "N", "H0": "N"}, "C3"),),
    )
    result = analyse(weak)
    assert result.leading == "H1"
    assert result.statement.startswith("No hypothesis is more likely than not; the leading one")
    assert result.statement.endswith("meets no standard of proof.")


def test_warnings_name_the_gaps() -> None:
    hyps = (Hypothesis("H1", "a"), Hypothesis("H2", "b"))
    evidence = (
        item("rated", {"H1": "C", "H2": "I"}, "B2"),
        item("blank", {}, "B2"),
        item("unjudged", {"H1": "CC", "H2": "II"}, "F6"),
    )
    warnings = analyse(AnalysisInput(incident="w", hypotheses=hyps, evidence=evidence)).warnings
    assert warnings[0].startswith("no explicit 'other' hypothesis")
    assert "1 evidence item(s) rated against no hypothesis: blank" in warnings
    assert any(
        w.startswith("1 evidence item(s) from sources whose reliability cannot be judged")
        for w in warnings
    )
    assert analyse(case()).warnings == ()


def test_published_numbers_have_ten_significant_digits() -> None:
    result = analyse(random_case(3))
    for h in result.hypotheses:
        for value in (h.posterior, h.posterior_low, h.log_lr_total):
            assert float(f"{value:.10g}") == pytest.approx(value, rel=1e-15)
    for row in result.matrix.rows:
        for cell in row.cells:
            assert float(f"{cell.log_lr:.10g}") == pytest.approx(cell.log_lr, rel=1e-15)
