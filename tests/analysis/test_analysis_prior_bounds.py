"""How low the leader's prior could go before the conclusion changes: each bound the engine
publishes is checked against full analyses run with the priors stated outright, just above it
(the conclusion holds) and just below it (it does not)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from enquiry.analysis import AnalysisInput, AnalysisResult, analyse
from enquiry.intake.casefile import builtin_case, load_case_file
from enquiry.publish.inputs import build_input
from enquiry.store import open_store

SLUG = "khan-shaykhun-2017-04-04"


@pytest.fixture(scope="module")
def demo_input(tmp_path_factory: pytest.TempPathFactory) -> AnalysisInput:
    store = open_store(tmp_path_factory.mktemp("priors") / "home", "tester", create=True)
    load_case_file(store, builtin_case(SLUG))
    with store.session() as session:
        inp, _context = build_input(session, SLUG)
    return inp


def _with_leader_prior(inp: AnalysisInput, leader: str, share: float) -> AnalysisResult:
    """The analysis with the leader's prior stated as ``share`` and the rivals sharing the rest
    in the proportions the input gave them (here, equally)."""
    rivals = [h for h in inp.hypotheses if h.id != leader]
    rest = (1.0 - share) / len(rivals)
    hypotheses = tuple(replace(h, prior=share if h.id == leader else rest) for h in inp.hypotheses)
    return analyse(replace(inp, hypotheses=hypotheses))


def test_the_leader_leads_above_its_bound_and_not_below(demo_input: AnalysisInput) -> None:
    result = analyse(demo_input)
    bounds = result.prior_bounds
    assert bounds is not None
    assert bounds.prior == pytest.approx(0.2)
    assert 0.0 < bounds.leads_above < bounds.prior
    assert _with_leader_prior(demo_input, "H1", bounds.leads_above * 1.02).leading == "H1"
    assert _with_leader_prior(demo_input, "H1", bounds.leads_above * 0.98).leading != "H1"


def test_each_standard_met_holds_above_its_bound_and_fails_below(
    demo_input: AnalysisInput,
) -> None:
    result = analyse(demo_input)
    bounds = result.prior_bounds
    assert bounds is not None
    met = result.standards.met()
    assert list(bounds.standards_above) == list(met)  # lowest threshold first
    lows = list(bounds.standards_above.values())
    assert lows == sorted(lows)  # a higher standard needs a higher prior
    for name, low in bounds.standards_above.items():
        assert _with_leader_prior(demo_input, "H1", low * 1.02).standards.is_met(name), name
        assert not _with_leader_prior(demo_input, "H1", low * 0.98).standards.is_met(name), name
    # a standard not met now has no bound
    assert "beyond reasonable doubt" not in bounds.standards_above


def test_the_bounds_are_published_and_reproduce(demo_input: AnalysisInput) -> None:
    first, second = analyse(demo_input).to_dict(), analyse(demo_input).to_dict()
    assert first["prior_bounds"] == second["prior_bounds"]
    published = first["prior_bounds"]
    assert set(published) == {"prior", "leads_above", "standards_above", "rule"}
    assert published["leads_above"] < published["standards_above"]["confident"]


def test_the_report_and_the_command_line_say_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from enquiry.cli import main

    home = tmp_path / "home"
    runner = CliRunner()
    loaded = runner.invoke(main, ["--home", str(home), "load", str(builtin_case(SLUG))])
    assert loaded.exit_code == 0, loaded.output
    shown = runner.invoke(main, ["--home", str(home), "analyse", SLUG])
    assert shown.exit_code == 0, shown.output
    line = next(x for x in shown.output.splitlines() if x.strip().startswith("prior:"))
    assert "H1 (given 0.2) leads with any prior above 0.0047" in line
    assert "'confident' holds above 0.056" in line
    out = tmp_path / "report.html"
    made = runner.invoke(main, ["--home", str(home), "report", SLUG, "-o", str(out)])
    assert made.exit_code == 0, made.output
    # the words as a reader sees them: the figures are marked for the bundle's check
    page = re.sub(r"<[^>]+>", "", out.read_text(encoding="utf-8"))
    assert "How much the conclusion owes to its prior" in page
    assert "it would still lead with any prior above 1 in 210" in page
    assert "6% (confident)" in page
    assert "1 in 170 (balance of probabilities)" in page
