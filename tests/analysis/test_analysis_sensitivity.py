"""Incremental sensitivity must agree with re-running the engine on each perturbed input."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest

from enquiry.analysis import AnalysisInput, Evidence, Hypothesis, analyse
from enquiry.analysis.inputs import RATINGS, RELIABILITY
from enquiry.analysis.matrix import build
from enquiry.analysis.posterior import posteriors, representatives
from enquiry.analysis.sensitivity import run
from enquiry.analysis.tables import resolve


def world(seed: int) -> AnalysisInput:
    rng = random.Random(seed)
    hyps = tuple(Hypothesis(f"H{j}", f"h{j}", is_other=j == 0) for j in range(4))
    evidence = []
    for i in range(14):
        evidence.append(
            Evidence(
                id=f"E{i}",
                label=f"e{i}",
                kind="document",
                reliability=rng.choice("ABCDEF"),
                credibility=rng.randint(1, 6),
                source=f"S{rng.randrange(5)}",
                ratings={h.id: rng.choice(["CC", "C", "N", "I", "II", "NA"]) for h in hyps},
                cluster=f"k{rng.randrange(6)}" if rng.random() < 0.6 else None,
            )
        )
    return AnalysisInput(incident="w", hypotheses=hyps, evidence=tuple(evidence))


def rerun(inp: AnalysisInput, leader: str) -> tuple[str, float]:
    result = analyse(inp)
    hypothesis = result.hypothesis(leader)
    assert hypothesis is not None
    return result.leading, hypothesis.posterior


@pytest.mark.parametrize("seed", range(6))
def test_incremental_sensitivity_matches_full_reruns(seed: int) -> None:
    inp = world(seed)
    tables = resolve(inp)
    m = build(inp, tables)
    reps = representatives(m)
    post = posteriors(m, reps)
    leader = int(np.argmax(post.dependent))
    lid = inp.hypotheses[leader].id
    leave, steps, downgrades = run(inp, m, reps, post, tables, leader)
    hyp_ids = [h.id for h in inp.hypotheses]

    for k, c in enumerate(leave.target):
        kept = tuple(e for i, e in enumerate(inp.evidence) if m.cluster[i] != c)
        new_leader, p = rerun(dataclasses.replace(inp, evidence=kept), lid)
        assert hyp_ids[leave.leader[k]] == new_leader
        assert leave.leader_posterior[k] == pytest.approx(p, rel=1e-8, abs=1e-12)

    assert len(steps.target) > 0
    for k in range(len(steps.target)):
        i, j = int(steps.target[k]), int(steps.column[k])
        e = inp.evidence[i]
        ratings = dict(e.ratings) | {hyp_ids[j]: RATINGS[int(steps.new_code[k])]}
        changed = (
            *inp.evidence[:i],
            dataclasses.replace(e, ratings=ratings),
            *inp.evidence[i + 1 :],
        )
        new_leader, p = rerun(dataclasses.replace(inp, evidence=changed), lid)
        assert hyp_ids[steps.leader[k]] == new_leader
        assert steps.leader_posterior[k] == pytest.approx(p, rel=1e-8, abs=1e-12)

    for k, s in enumerate(downgrades.target):
        source = m.source_ids[int(s)]
        changed = tuple(
            dataclasses.replace(
                e, reliability=RELIABILITY[min(RELIABILITY.index(e.reliability) + 1, 5)]
            )
            if e.source == source
            else e
            for e in inp.evidence
        )
        new_leader, p = rerun(dataclasses.replace(inp, evidence=changed), lid)
        assert hyp_ids[downgrades.leader[k]] == new_leader
        assert downgrades.leader_posterior[k] == pytest.approx(p, rel=1e-8, abs=1e-12)


def test_a_single_decisive_item_is_a_linchpin_and_the_leader_does_not_survive() -> None:
    hyps = (Hypothesis("H1", "a"), Hypothesis("H2", "b"), Hypothesis("H0", "other", is_other=True))
    key = Evidence(
        "key", "the one lab result", "document", "A", 1, "lab", {"H1": "CC", "H2": "II", "H0": "I"}
    )
    weak = Evidence(
        "weak", "a rumour", "document", "D", 4, "blog", {"H1": "I", "H2": "C", "H0": "N"}
    )
    result = analyse(AnalysisInput(incident="l", hypotheses=hyps, evidence=(key, weak)))
    assert result.leading == "H1"
    assert result.sensitivity.leader_survives is False
    assert result.sensitivity.flips["leave_out_cluster"] == 1
    first = result.sensitivity.linchpins[0]
    assert first.flips is True and first.evidence == ("key",) and first.leader_after == "H2"
    assert result.confidence.level == "low"
    assert all(
        lp.leader_posterior_after >= first.leader_posterior_after
        for lp in result.sensitivity.linchpins
        if not lp.flips
    )
