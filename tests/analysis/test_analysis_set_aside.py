"""Setting evidence aside together (the samples whose chain of custody is broken) is one more
perturbation of the sensitivity machinery; it must agree with re-running the engine on the
input without that evidence, clusters and all."""

from __future__ import annotations

import dataclasses
import random

import pytest

from enquiry.analysis import AnalysisInput, Evidence, Hypothesis, analyse
from enquiry.analysis.engine import without_evidence


def _world(seed: int) -> AnalysisInput:
    rng = random.Random(seed)
    hyps = tuple(Hypothesis(f"H{j}", f"h{j}", is_other=j == 0) for j in range(3))
    evidence = tuple(
        Evidence(
            id=f"E{i}",
            label=f"e{i}",
            kind="environmental_sample" if i % 3 == 0 else "document",
            reliability=rng.choice("ABCDE"),
            credibility=rng.randint(1, 5),
            source=f"S{rng.randrange(4)}",
            ratings={h.id: rng.choice(["CC", "C", "N", "I", "II"]) for h in hyps},
            cluster=f"k{rng.randrange(3)}" if rng.random() < 0.5 else None,
        )
        for i in range(12)
    )
    return AnalysisInput(incident="w", hypotheses=hyps, evidence=evidence)


@pytest.mark.parametrize("seed", range(8))
def test_setting_aside_matches_a_rerun_without_the_evidence(seed: int) -> None:
    inp = _world(seed)
    rng = random.Random(1000 + seed)
    aside = rng.sample([e.id for e in inp.evidence], k=rng.randint(1, 6))
    scenario = without_evidence(inp, aside)
    full = analyse(inp)
    rest = analyse(
        dataclasses.replace(inp, evidence=tuple(e for e in inp.evidence if e.id not in aside))
    )
    assert scenario.leading == full.leading
    assert set(scenario.evidence) == set(aside)
    assert scenario.leading_without == rest.leading
    assert scenario.leader_survives is (rest.leading == full.leading)
    kept = rest.hypothesis(full.leading)
    assert kept is not None
    assert scenario.leader_posterior_without == pytest.approx(kept.posterior, abs=1e-9)


def test_a_cluster_counts_its_next_member_when_its_counted_one_is_set_aside() -> None:
    hyps = (Hypothesis("H1", "a strike"), Hypothesis("H0", "something else", is_other=True))
    strong = {"H1": "CC", "H0": "II"}
    weak = {"H1": "C", "H0": "N"}
    against = {"H1": "I", "H0": "C"}
    inp = AnalysisInput(
        incident="w",
        hypotheses=hyps,
        evidence=(
            Evidence("sample-a", "a", "environmental_sample", "A", 1, "lab", strong, cluster="k"),
            Evidence("sample-b", "b", "environmental_sample", "B", 2, "lab", weak, cluster="k"),
            Evidence("note", "n", "document", "B", 2, "team", against),
        ),
    )
    full = analyse(inp)
    scenario = without_evidence(inp, ["sample-a", "not-rated-here"])
    assert scenario.evidence == ("sample-a",)  # an id the input does not weigh is passed over
    rest = analyse(dataclasses.replace(inp, evidence=inp.evidence[1:]))
    kept = rest.hypothesis("H1")
    assert kept is not None
    assert scenario.leader_posterior_without == pytest.approx(kept.posterior, abs=1e-9)
    assert scenario.leader_posterior == full.hypothesis("H1").posterior  # type: ignore[union-attr]
    assert scenario.leader_posterior_without < scenario.leader_posterior
    # the whole cluster set aside: the note alone speaks, and against the strike
    both = without_evidence(inp, ["sample-a", "sample-b"])
    assert not both.leader_survives and both.leading_without == "H0"
    assert both.leader_posterior_without < 0.5
    nothing = without_evidence(inp, [])
    assert nothing.evidence == () and nothing.leader_survives
    assert nothing.leader_posterior_without == pytest.approx(nothing.leader_posterior)
