"""The scenario without the samples whose chain of custody breaks sets aside what rests on
them too: an item derived from a broken sample and a claim read from it are weighed on the
sample's word, so a scenario that left them in would still count the sample through them —
the first thing a party contesting the result would point out.

A small case: a broken swab (rated), a photograph of the swab's laboratory sheet registered as
derived from it (rated), a claim read from the swab's record (rated), and a field note that
rests on nothing (rated)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from enquiry.analysis.engine import without_evidence
from enquiry.app import Enquiry, bundles, cases, keys, publishing
from enquiry.publish import bundle_check
from enquiry.publish.inputs import resting_on
from enquiry.publish.report import SAMPLES_SET_ASIDE, finding_body, sample_custody
from small_case import broken_swab, one_incident_case

INCIDENT = "yard-2021"
CASE = "yard"
PASSPHRASE = "correct horse battery staple"

ITEMS = (
    broken_swab("swab", "A swab from the crater. Lab North found sarin in it.")
    + """\
- key: swab-sheet
  kind: photo
  source: Field team
  derived_from: swab
  fields: {title: Photograph of the swab's laboratory sheet}
  text: The laboratory sheet of swab SW-1.
- key: sheet-copy
  kind: document
  source: Field team
  derived_from: swab-sheet
  fields: {title: 'A copy of that photograph, as sent to the panel'}
  text: The same sheet, forwarded.
"""
)

CLAIMS = """\
claims:
- key: lab-says-sarin
  actor: Lab North
  item: swab
  incident: yard-2021
  text: Lab North found sarin in swab SW-1.
"""

RATED = """\
- incident: yard-2021
  item: swab
  analyst: A. Analyst
  values: {H1: C, H0: I}
- incident: yard-2021
  item: swab-sheet
  analyst: A. Analyst
  values: {H1: C, H0: I}
- incident: yard-2021
  item: sheet-copy
  analyst: A. Analyst
  values: {H1: C, H0: N}
- incident: yard-2021
  claim: lab-says-sarin
  analyst: A. Analyst
  values: {H1: CC, H0: I}
"""


@pytest.fixture(scope="module")
def yard(tmp_path_factory: pytest.TempPathFactory) -> Enquiry:
    root = tmp_path_factory.mktemp("resting")
    text = one_incident_case(CASE, "The yard", INCIDENT, place="yard")
    text = text.replace(
        "sources:\n", "actors:\n- {name: Lab North, type: organisation}\nsources:\n"
    )
    text = text.replace("ratings:\n", ITEMS + CLAIMS + "ratings:\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ENQUIRY_DB", raising=False)
        (root / "case.yaml").write_text(text + RATED, encoding="utf-8")
        admin = Enquiry.at(root / "home", "admin")
        cases.load(admin, root / "case.yaml")
        admin.store().engine.dispose()
    return admin


def test_what_rests_on_an_item_is_its_derivatives_and_the_claims_read_from_them(
    yard: Enquiry,
) -> None:
    analysis = publishing.analyse(yard, INCIDENT)
    assert resting_on(analysis.context, ["swab"]) == {
        "swab",
        "swab-sheet",
        "sheet-copy",
        "lab-says-sarin",
    }
    assert resting_on(analysis.context, ["swab-sheet"]) == {"swab-sheet", "sheet-copy"}
    assert resting_on(analysis.context, ["note"]) == {"note"}


def test_the_scenario_sets_aside_the_broken_sample_with_what_rests_on_it(
    yard: Enquiry, tmp_path: Path
) -> None:
    analysis = publishing.analyse(yard, INCIDENT)
    note = sample_custody(analysis)
    assert note is not None and [b["key"] for b in note["broken"]] == ["swab"]
    scenario = note["scenario"]
    assert set(scenario.evidence) == {"swab", "swab-sheet", "sheet-copy", "lab-says-sarin"}
    assert sorted(note["with_them"]) == ["lab-says-sarin", "sheet-copy", "swab-sheet"]
    # the note-only posterior: what is left when all four go, not the swab alone
    alone = without_evidence(analysis.input, ["swab"])
    assert scenario.leader_posterior_without < alone.leader_posterior_without
    assert (
        scenario.leader_posterior_without
        == without_evidence(
            analysis.input, ["swab", "swab-sheet", "sheet-copy", "lab-says-sarin"]
        ).leader_posterior_without
    )
    assert finding_body(analysis)["set_aside"][SAMPLES_SET_ASIDE] == scenario.to_dict()

    out = tmp_path / "report.html"
    publishing.report(yard, INCIDENT, out)
    page = out.read_text(encoding="utf-8")
    start = page.index('id="sample-custody"')
    section = re.sub(
        r"<span data-finding[^>]*>([^<]*)</span>", r"\1", page[start : page.index("</div>", start)]
    )
    words = " ".join(section.split())
    assert (
        "With this sample and the evidence resting on it (swab-sheet, sheet-copy,"
        " lab-says-sarin: derived from it or read from it) set aside" in words
    ), words


def test_a_bundle_carries_the_wider_scenario_and_it_is_recomputed(
    yard: Enquiry, tmp_path: Path
) -> None:
    keys.create(yard, "panel", PASSPHRASE)
    keys.export_public(yard, "panel", tmp_path / "panel.pub.json")
    bundle = tmp_path / "yard.zip"
    bundles.export_bundle(yard, bundle, case=CASE, sign="panel", passphrase=PASSPHRASE)
    with zipfile.ZipFile(bundle) as archive:
        body = json.loads(archive.read(f"findings/{INCIDENT}.json"))
    carried = body["set_aside"][SAMPLES_SET_ASIDE]
    assert set(carried["evidence"]) == {"swab", "swab-sheet", "sheet-copy", "lab-says-sarin"}
    outcome = bundle_check.check(bundle, tmp_path / "panel.pub.json")
    assert outcome.status == 0, outcome.lines()
    recomputed = bundles.check_bundle(bundle, tmp_path / "panel.pub.json")
    assert recomputed.status == 0, recomputed.lines()
    assert any(
        "1 scenario(s) of evidence set aside, the same" in line for line in recomputed.lines()
    ), recomputed.lines()
