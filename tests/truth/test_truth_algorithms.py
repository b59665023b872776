"""Truth discovery and track records as pure functions: data in, estimates out."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np
import pytest

from enquiry.analysis import truth as td
from enquiry.analysis.truth import Report


def _world(
    seed: int,
    claims: int = 120,
    good: int = 8,
    bad: int = 8,
    good_right: float = 0.9,
    bad_right: float = 0.35,
) -> tuple[list[Report], dict[str, str]]:
    """Claims with a known truth; good sources are right 90% of the time, bad ones 35%."""
    rng = random.Random(seed)
    truth = {f"c{n}": rng.choice(["true", "false"]) for n in range(claims)}
    reports = []
    sources = [(f"good{n}", good_right, "agency") for n in range(good)] + [
        (f"bad{n}", bad_right, "ministry") for n in range(bad)
    ]
    for claim, value in truth.items():
        for name, right, kind in rng.sample(sources, 6):
            said_true = (value == "true") == (rng.random() < right)
            reports.append(Report(claim, name, "for" if said_true else "against", kind=kind))
    return reports, truth


def _accuracy(result: td.TruthResult, truth: dict[str, str], claims: list[str]) -> float:
    said = {c.claim: c.verdict for c in result.claims}
    return sum(said[c] == truth[c] for c in claims) / len(claims)


def test_learnt_records_beat_the_majority_when_many_sources_are_wrong() -> None:
    reports, truth = _world(1)
    claims = sorted(truth)
    known = {c: truth[c] for c in claims[:80]}
    held = claims[80:]
    result = td.estimate(reports, known)
    assert result.method == "learnt from outcomes"
    majority = td.majority_vote(reports)
    majority_acc = sum(td.verdict(majority[c], 0.0) == truth[c] for c in held) / len(held)
    ours = _accuracy(result, truth, held)
    assert ours >= 0.85
    assert ours > majority_acc + 0.1
    records = {s.source: s for s in result.sources}
    assert min(records[f"good{n}"].mean for n in range(8)) > max(
        records[f"bad{n}"].mean for n in range(8)
    )


def test_without_outcomes_the_vote_recovers_the_truth_from_mostly_honest_sources() -> None:
    reports, truth = _world(2, good=12, bad=4, bad_right=0.45)
    result = td.estimate(reports)
    assert result.method == "reliability vote"
    decided = [c for c in result.claims if c.verdict != "unknown"]
    right = sum(c.verdict == truth[c.claim] for c in decided)
    assert len(decided) >= 100 and right / len(decided) >= 0.85


def test_known_claims_keep_their_outcome_and_unsettled_ones_are_estimated() -> None:
    reports, _truth = _world(3)
    known = {"c0": "true", "c1": "false", "c2": "unknown"}
    result = {c.claim: c for c in td.estimate(reports, known).claims}
    assert (result["c0"].verdict, result["c0"].p_true) == ("true", 1.0)
    assert (result["c1"].verdict, result["c1"].p_true) == ("false", 0.0)
    assert 0.0 < result["c2"].p_true < 1.0


def test_copies_are_counted_once() -> None:
    text = "Ministry says the depot was struck at noon"
    original = Report("c", "wire", "for", "2017-04-05", text)
    copies = [Report("c", f"outlet{n}", "for", "2017-04-05", text + "!") for n in range(9)]
    other = Report("c", "observer", "against", "2017-04-05", "Satellite images show no depot")
    reports = [original, *copies, other]
    _roots, clusters = td.copy_clusters(reports)
    assert clusters == [tuple(range(10))]
    weights = td.copy_weights(reports)
    assert sum(weights[:10]) == pytest.approx(1.0) and weights[10] == 1.0
    # with the copies counted once, ten echoes weigh as much as the one denial
    result = {c.claim: c for c in td.estimate(reports).claims}
    assert result["c"].p_true == pytest.approx(0.5, abs=0.05)
    assert result["c"].verdict == "unknown"
    counted = {c.claim: c for c in td.estimate(reports, copies=False).claims}
    assert counted["c"].verdict == "true" and counted["c"].p_true > 0.9


def test_a_report_following_another_in_time_with_shared_wording_is_a_copy() -> None:
    first = Report(
        "c", "a", "for", "2015-03-01", "Apple to sell nineteen million watches this year"
    )
    later = Report("c", "b", "for", "2015-03-02", "Apple could sell nineteen million watches")
    much_later = Report("c", "d", "for", "2015-05-01", "Apple could sell nineteen million watches")
    undated = Report("c", "e", "for", None, "Apple could sell nineteen million watches")
    _, clusters = td.copy_clusters([first, later])
    assert clusters == [(0, 1)]
    _, clusters = td.copy_clusters([first, much_later])
    assert clusters == []
    _, clusters = td.copy_clusters([first, undated])
    assert clusters == []


def test_the_same_source_repeating_itself_counts_once_but_a_change_of_stance_does_not() -> None:
    reports = [Report("c", "s", "for"), Report("c", "s", "for"), Report("c", "s", "against")]
    _, clusters = td.copy_clusters(reports)
    assert clusters == [(0, 1)]


def test_a_new_source_starts_from_its_kinds_record() -> None:
    reports = [Report(f"c{n}", f"m{n % 4}", "for", kind="ministry") for n in range(20)]
    reports += [Report(f"c{n}", f"a{n % 4}", "for", kind="agency") for n in range(20, 40)]
    known = {f"c{n}": "false" for n in range(20)} | {f"c{n}": "true" for n in range(20, 40)}
    reports += [Report("new1", "m-new", "for", kind="ministry")]
    reports += [Report("new2", "a-new", "for", kind="agency")]
    records = td.track_record(reports, known)
    assert records["m-new"].n == 0 and records["a-new"].n == 0
    assert records["m-new"].mean < 0.35 < 0.65 < records["a-new"].mean
    assert records["m0"].n == 5 and records["m0"].wrong == 5
    assert records["m0"].low < records["m0"].mean < records["m0"].high


def test_suggested_grades_follow_the_interval_and_need_a_record() -> None:
    def record(right: int, wrong: int) -> td.Reliability:
        low, high = td.beta_interval(1 + right, 1 + wrong)
        return td.Reliability("s", "", right + wrong, right, wrong, 1 + right, 1 + wrong, low, high)

    assert td.suggested_grade(record(2, 0)) == "F"
    assert td.suggested_grade(record(40, 0)) == "A"
    assert td.suggested_grade(record(14, 3)) == "B"
    assert td.suggested_grade(record(6, 3)) == "C"
    assert td.suggested_grade(record(4, 4)) == "D"
    assert td.suggested_grade(record(0, 12)) == "E"


def test_beta_interval_matches_known_quantiles() -> None:
    low, high = td.beta_interval(1.0, 1.0, 0.9)
    assert low == pytest.approx(0.05, abs=1e-3) and high == pytest.approx(0.95, abs=1e-3)
    low, high = td.beta_interval(2.0, 1.0, 0.9)  # cdf x^2
    assert low == pytest.approx(0.05**0.5, abs=2e-3) and high == pytest.approx(0.95**0.5, abs=2e-3)


def test_bad_stance_or_truth_is_refused_with_its_name() -> None:
    with pytest.raises(ValueError, match="stance 'maybe'"):
        td.estimate([Report("c", "s", "maybe")])
    with pytest.raises(ValueError, match="truth 'yes'"):
        td.estimate([Report("c", "s", "for")], {"c": "yes"})


def test_baselines() -> None:
    reports = [Report("c", "a", "for"), Report("c", "b", "for"), Report("c", "d", "against")]
    assert td.majority_vote(reports)["c"] == pytest.approx(0.6)
    found = td.truthfinder(reports)
    assert found["c"] > 0.5
    known_reports = [*reports, Report("k1", "a", "for"), Report("k2", "d", "against")]
    nb = td.naive_bayes(known_reports, {"k1": "true", "k2": "false"})
    assert 0.0 < nb["c"] < 1.0


def test_emergent_held_out_claims_beat_majority_vote_and_naive_bayes_brier(
    shared_data: Path,
) -> None:
    """Real outcomes: learn on four fifths of the Emergent claims, judge the rest."""
    reports, truth = [], {}
    with (shared_data / "emergent" / "edata_train.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            reports.append(
                Report(
                    row["claimId"],
                    row["source"],
                    row["articleHeadlineStance"],
                    text=row["articleHeadline"],
                )
            )
            truth[row["claimId"]] = row["claimTruth"]
    claims = sorted(truth)
    held = claims[::5]
    known = {c: truth[c] for c in claims if c not in set(held)}
    result = {c.claim: c for c in td.estimate(reports, known).claims}
    settled = [c for c in held if truth[c] != "unknown"]
    y = np.array([truth[c] == "true" for c in settled], dtype=float)
    ours = np.array([result[c].p_true for c in settled])
    majority = td.majority_vote(reports)
    nb = td.naive_bayes(reports, known)
    accuracy = np.mean([result[c].verdict == truth[c] for c in settled])
    majority_accuracy = np.mean([td.verdict(majority[c], 0.0) == truth[c] for c in settled])
    assert accuracy > majority_accuracy + 0.15
    brier = float(np.mean((ours - y) ** 2))
    assert brier < float(np.mean((np.array([nb[c] for c in settled]) - y) ** 2))
    assert brier < float(np.mean((np.array([majority[c] for c in settled]) - y) ** 2))


def test_grading_sources_by_their_record_can_change_the_leader() -> None:
    from enquiry.analysis import AnalysisInput, Evidence, Hypothesis, analyse
    from enquiry.analysis.inputs import SourceRecord

    hyps = (Hypothesis("H0", "other", is_other=True), Hypothesis("H1", "a"), Hypothesis("H2", "b"))
    evidence = tuple(
        Evidence(
            id=f"e{n}",
            label=f"e{n}",
            kind="statement",
            reliability="A" if n < 3 else "C",
            credibility=2,
            source="Ministry" if n < 3 else "Agency",
            ratings={"H0": "N", "H1": "CC", "H2": "II"}
            if n < 3
            else {"H0": "I", "H1": "II", "H2": "CC"},
        )
        for n in range(5)
    )
    plain = AnalysisInput(incident="w", hypotheses=hyps, evidence=evidence)
    assert analyse(plain).by_record is None
    assert "sensitivity_by_record" not in analyse(plain).to_dict()
    records = {
        "Ministry": SourceRecord(
            right=1, reports=15, reliability=0.1, low=0.02, high=0.25, suggested="E"
        ),
        "Agency": SourceRecord(
            right=16, reports=17, reliability=0.9, low=0.8, high=0.97, suggested="A"
        ),
    }
    result = analyse(
        AnalysisInput(incident="w", hypotheses=hyps, evidence=evidence, records=records)
    )
    assert result.leading == "H1"
    assert result.by_record is not None
    assert result.by_record.regraded == ("Agency: C -> A", "Ministry: A -> E")
    assert result.by_record.leader == "H2" and not result.by_record.leader_survives
    rows = {r.evidence: r.record for r in result.matrix.rows}
    assert rows["e0"] == "graded A; record 1 right of 15"
    assert rows["e4"] == "graded C; record 16 right of 17"
