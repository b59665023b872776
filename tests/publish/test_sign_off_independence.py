"""A sign-off by someone who rated the incident's evidence is not an independent review, and
every place that lists sign-offs says so — the party that wants a finding discredited will say
"the analysts signed off their own work", and a reader must be able to check."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from demo_helpers import DemoRun
from enquiry.app import Enquiry, review
from enquiry.app import matrix as mx
from enquiry.cli import main
from enquiry.store.tables import Rating

INCIDENT = "khan-shaykhun-2017-04-04"


def test_a_sign_off_by_an_analyst_of_the_finding_is_marked(demo_case_home: DemoRun) -> None:
    panel = Enquiry.at(demo_case_home.home, "panel-reviewer")
    with panel.store(create=False).session() as session:
        analyst = str(session.scalars(select(Rating.analyst).where(Rating.analyst != "")).first())
    _analysis, finding = mx.run_analysis(panel, INCIDENT)
    review.sign_off(panel, INCIDENT, finding, "reviewed: the numbers follow from the record")
    # the same name, written as another front end might write it
    own = Enquiry.at(demo_case_home.home, f"  {analyst.upper()} ")
    review.sign_off(own, INCIDENT, finding, "I agree with my own ratings")
    latest = mx.latest_result(panel, INCIDENT)
    assert latest is not None
    marks = {s.author.strip(): s.rated_by_author for s in latest.sign_offs}
    assert marks == {"panel-reviewer": False, analyst.upper(): True}
    shown = CliRunner().invoke(
        main, ["--home", str(demo_case_home.home), "finding", INCIDENT], catch_exceptions=False
    )
    lines = [line for line in shown.output.splitlines() if line.startswith("sign-off")]
    assert len(lines) == 2
    assert "not an independent review" not in lines[0]
    assert "not an independent review: its author rated evidence" in lines[1]
