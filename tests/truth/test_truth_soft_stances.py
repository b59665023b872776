"""Predicted stances weighed by their probabilities: where the likeliest label misleads, the
probabilities still carry the claim; and ``truth estimate --stance-from-text`` end to end on a
tiny CSV with the project's real stance model."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from enquiry.analysis import truth as td
from enquiry.analysis.truth import Report
from enquiry.app import truth as service
from enquiry.cli import main
from enquiry.enrich.text.stance import Stance

SURE_FOR = (0.80, 0.05, 0.15)
SURE_AGAINST = (0.05, 0.80, 0.15)
LEANING_AGAINST = (0.35, 0.40, 0.25)
"""Likeliest label 'against', but nearly as much 'for': an unsure prediction."""


def _label(scores: tuple[float, float, float]) -> str:
    return td.STANCES[max(range(3), key=lambda n: scores[n])]


def _predicted(claim: str, source: str, scores: tuple[float, float, float]) -> Report:
    return Report(claim, source, _label(scores), scores=scores)


def _world(seed: int = 7) -> tuple[list[Report], dict[str, str]]:
    """Known claims reported with predicted stances: a true claim mostly draws sure 'for'
    predictions, a false one sure 'against', each with some unsure ones of either kind; every
    report by its own outlet (no copies)."""
    rng = random.Random(seed)
    reports: list[Report] = []
    known: dict[str, str] = {}
    outlet = 0
    for n in range(30):
        truth = "true" if n % 2 else "false"
        known[f"k{n}"] = truth
        for _ in range(4):
            outlet += 1
            draw = rng.random()
            if draw < 0.6:
                scores = SURE_FOR if truth == "true" else SURE_AGAINST
            elif draw < 0.85:
                scores = LEANING_AGAINST
            else:
                scores = SURE_AGAINST if truth == "true" else SURE_FOR
            reports.append(_predicted(f"k{n}", f"outlet{outlet}", scores))
    return reports, known


def _open_claim() -> list[Report]:
    """One sure 'for' and three unsure reports whose likeliest label is 'against': three
    labels against one, but more probability for the claim than against it."""
    return [
        _predicted("open", "wire", SURE_FOR),
        *(_predicted("open", f"blog-{n}", LEANING_AGAINST) for n in range(3)),
    ]


def _hard(reports: list[Report]) -> list[Report]:
    return [Report(r.claim, r.source, r.stance, kind=r.kind) for r in reports]


def test_probabilities_carry_a_claim_the_labels_would_get_wrong() -> None:
    reports, known = _world()
    reports += _open_claim()
    soft = td.estimate(reports, known)
    assert soft.method == "learnt from outcomes (pooled stances)"
    p_soft = {c.claim: c for c in soft.claims}["open"]
    assert p_soft.p_true > 0.6 and p_soft.verdict == "true"
    # the same reports with only their likeliest label: three 'against' outvote one 'for'
    hard = {c.claim: c for c in td.estimate(_hard(reports), known).claims}["open"]
    assert hard.p_true < 0.5
    # the soft path is what the baseline with expected counts also sees
    assert td.naive_bayes(reports, known, soft=True)["open"] > 0.5
    assert td.naive_bayes(reports, known)["open"] < 0.5


def test_the_vote_without_outcomes_weighs_stances_by_their_probabilities() -> None:
    reports = _open_claim()
    soft = {c.claim: c for c in td.estimate(reports).claims}["open"]
    hard = {c.claim: c for c in td.estimate(_hard(reports)).claims}["open"]
    assert soft.p_true > 0.5 > hard.p_true


def test_given_stances_keep_the_records_model_and_one_hot_weights() -> None:
    reports, known = _world()
    hard = _hard(reports)
    assert td.estimate(hard, known).method == "learnt from outcomes"
    assert Report("c", "s", "against").weights() == (0.0, 1.0, 0.0)
    assert Report("c", "s", "against", scores=LEANING_AGAINST).weights() == LEANING_AGAINST
    # the model can be named; an unknown name is refused
    assert td.estimate(reports, known, features="records").method == "learnt from outcomes"
    with pytest.raises(ValueError, match="features 'votes' unknown"):
        td.estimate(reports, known, features="votes")


@pytest.mark.parametrize(
    "scores",
    [(0.5, 0.5, 0.5), (1.2, -0.1, -0.1), (float("nan"), 0.5, 0.5), (0.5, 0.5)],
)
def test_stance_probabilities_that_are_not_probabilities_are_refused(
    scores: tuple[float, ...],
) -> None:
    bad = Report("c", "s", "for", scores=scores)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="stance probabilities"):
        td.estimate([bad])


def test_a_model_answer_becomes_a_stance_and_three_probabilities() -> None:
    answer = Stance(
        "unrelated", 0.35, {"supports": 0.3, "refutes": 0.1, "discusses": 0.25, "unrelated": 0.35}
    )
    stance, scores = service.as_report_stance(answer)
    # discusses and unrelated are both observing: 0.6 of it, so observing is the likeliest
    assert stance == "observing"
    assert scores == pytest.approx((0.3, 0.1, 0.6))


@pytest.mark.slow
def test_stance_from_text_end_to_end(tmp_path: Path) -> None:
    """Two claims, each reported by three headlines without a stance: the model's
    probabilities go with every predicted report into the estimate."""
    rows = [
        ["quake", "wire", "", "Earthquake of magnitude 6 confirmed by the geological survey"],
        ["quake", "paper", "", "Geological survey confirms a magnitude 6 earthquake struck"],
        ["quake", "radio", "", "A magnitude 6 earthquake hit the region, officials confirm"],
        ["shark", "wire", "", "Shark in flooded street photo is a hoax, experts say"],
        ["shark", "paper", "", "Viral shark photo debunked: the picture is fake"],
        ["shark", "radio", "", "No, a shark did not swim down the flooded street"],
        ["shark", "agency", "against", ""],
    ]
    claim_text = {
        "quake": "A magnitude 6 earthquake struck the region",
        "shark": "A shark swam down a flooded street",
    }
    path = tmp_path / "reports.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["claim", "source", "stance", "text", "claim_text"])
        for claim, source, stance, text in rows:
            writer.writerow([claim, source, stance, text, claim_text[claim] if text else ""])
    read = service.read_reports(path, stance_from_text=True)
    assert [r.scores is not None for r in read] == [True] * 6 + [False]
    for report in read[:6]:
        assert report.scores is not None and sum(report.scores) == pytest.approx(1.0)
        assert report.stance == td.STANCES[report.scores.index(max(report.scores))]
    assert read[6].stance == "against"
    result = CliRunner().invoke(
        main, ["truth", "estimate", str(path), "--stance-from-text", "--json"]
    )
    assert result.exit_code == 0, result.output
    claims = {c["claim"]: c for c in json.loads(result.output)["claims"]}
    assert claims["quake"]["p_true"] > 0.5 > claims["shark"]["p_true"]
    assert claims["shark"]["verdict"] == "false"
    shown = CliRunner().invoke(main, ["truth", "estimate", str(path), "--stance-from-text"])
    assert shown.exit_code == 0 and "6 stances predicted" in shown.output


SURE_DENIAL = (0.05, 0.90, 0.05)
UNSURE = (0.60, 0.25, 0.15)
"""Four of these add up to the same expected counts as one sure denial and three of
:data:`REPEATING`: (2.4, 1.0, 0.6)."""
REPEATING = (0.7833, 0.0333, 0.1834)


def _denial_world() -> tuple[list[Report], dict[str, str]]:
    """False claims each denied once, surely, among three reports that repeat them; true claims
    each with four reports the stance model is unsure of. Both have the same expected stance
    counts, so only how sure the surest denial is tells them apart."""
    reports: list[Report] = []
    known: dict[str, str] = {}
    for n in range(24):
        claim = f"k{n}"
        known[claim] = "true" if n % 2 else "false"
        pattern = [UNSURE] * 4 if n % 2 else [SURE_DENIAL, *[REPEATING] * 3]
        reports += [_predicted(claim, f"{claim}-outlet{m}", s) for m, s in enumerate(pattern)]
    return reports, known


def test_one_sure_denial_tells_a_false_claim_from_unsure_reports_of_the_same_counts() -> None:
    reports, known = _denial_world()
    reports += [
        _predicted("denied", f"d{m}", s) for m, s in enumerate([SURE_DENIAL, *[REPEATING] * 3])
    ]
    reports += [_predicted("unsure", f"u{m}", UNSURE) for m in range(4)]
    found = {c.claim: c for c in td.estimate(reports, known).claims}
    assert found["denied"].p_true < 0.4 and found["denied"].verdict == "false"
    assert found["unsure"].p_true > 0.6 and found["unsure"].verdict == "true"
    # the baseline over the same expected counts cannot tell them apart
    nb = td.naive_bayes(reports, known, soft=True)
    assert nb["denied"] == pytest.approx(nb["unsure"], abs=1e-3)
