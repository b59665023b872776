"""What a report may say: protected identities withheld unless revealed, an unverified catalogue
stamped, the typed result's JSON unchanged on the command line, and a footer whose commands run
as printed."""

from __future__ import annotations

import html
import json
import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from demo_helpers import DemoRun
from enquiry.cli import main
from enquiry.intake.casefile import load_case_file
from enquiry.publish.report import analyse_incident, publish_report
from enquiry.store import Store, open_store
from enquiry.store.tables import CustodyEvent, Finding, Item

SLUG = "market-shelling"
NAME = "Amina Yusuf"
SENTENCE = "the blue minaret fell at dawn while we queued for bread"
ORIGIN = "notes kept by Amina Yusuf's cousin"
CASE = f"""
format: enquiry-case/1
case: {{name: market}}
actors:
- {{name: Resident, type: person}}
- {{name: {NAME}, type: person}}
sources: [{{name: Field team, reliability: B}}]
incidents:
- slug: {SLUG}
  title: Shelling of the market
  hypotheses:
  - {{id: H1, label: a shell hit the market}}
  - {{id: H0, label: something else, other: true}}
items:
- key: witness-1
  kind: testimony
  source: Field team
  credibility: 2
  origin: {ORIGIN}
  fields: {{witness_pseudonym: W-7, witness_name: {NAME}, witness_contact: '+1 555 0100'}}
  file: {NAME}.txt
- key: photo-1
  kind: document
  source: Field team
  credibility: 2
  text: A photograph of the crater in the market square.
- key: summary-1
  kind: document
  source: Field team
  credibility: 3
  fields: {{title: What {NAME} told the team}}
  text: The team's summary of the interview.
claims:
- key: claim-1
  actor: Resident
  item: witness-1
  incident: {SLUG}
  date: '2020-03-01'
  text: {SENTENCE}
  supports: [H1]
- key: claim-2
  actor: {NAME}
  item: photo-1
  incident: {SLUG}
  date: '2020-03-02'
  text: the crater is where the stall stood
  supports: [H1]
ratings:
- {{incident: {SLUG}, item: witness-1, values: {{H1: C, H0: I}}}}
- {{incident: {SLUG}, item: photo-1, values: {{H1: CC, H0: I}}}}
- {{incident: {SLUG}, claim: claim-1, values: {{H1: C, H0: N}}}}
- {{incident: {SLUG}, item: summary-1, values: {{H1: C, H0: N}}, rationale: {NAME} was there}}
"""
SECRETS = (NAME, "Amina", "Yusuf", "555 0100", "blue minaret", "cousin")


@pytest.fixture
def market(tmp_path: Path, home: Path, backend: str) -> Store:
    """A home holding a protected testimony that arrived under the witness's own name, and
    free text elsewhere (a title, a rationale, an actor) that names her."""
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / f"{NAME}.txt").write_text(
        f"Interview W-7. {SENTENCE.capitalize()}. Then the second shell came.", encoding="utf-8"
    )
    (folder / "case.yaml").write_text(CASE, encoding="utf-8")
    store = open_store(home, "tester", create=True)
    load_case_file(store, folder / "case.yaml")
    with store.session() as session:
        witness = session.scalars(select(Item).where(Item.key == "witness-1")).one()
        # (the name it arrived under is held encrypted, not in the row)
        assert witness.protected and witness.original_name != f"{NAME}.txt"
    return store


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s.casefold() in text.casefold()]


def test_report_withholds_the_protected_witness(market: Store, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    published = publish_report(market, SLUG, out)
    page = out.read_text(encoding="utf-8")
    assert _leaks(page) == []
    assert "witness-1" in page and "protected" in page
    assert "[withheld: said in a protected item]" in page and "What [withheld] told" in page
    # the numbers do not depend on the withholding
    revealed = analyse_incident(market, SLUG, reveal=True)
    assert [h.posterior for h in revealed.result.hypotheses] == [
        h.posterior for h in published.analysis.result.hypotheses
    ]
    # nor does anything else publish/ produced: the analysis JSON, the finding, the ledger
    assert _leaks(json.dumps(published.analysis.to_dict(), ensure_ascii=False)) == []
    with market.session() as session:
        finding = session.get(Finding, published.finding_id)
        assert finding is not None
        assert _leaks(json.dumps(finding.result, ensure_ascii=False)) == []
        details = session.scalars(
            select(CustodyEvent.details).where(CustodyEvent.action.in_(["analysed", "exported"]))
        ).all()
    assert _leaks(" ".join(details)) == []


def test_reveal_lets_the_identity_into_the_report(market: Store, tmp_path: Path) -> None:
    out = tmp_path / "revealed.html"
    publish_report(market, SLUG, out, reveal=True)
    page = out.read_text(encoding="utf-8")
    assert f"{NAME}.txt" in page and SENTENCE in page and ORIGIN in html.unescape(page)
    assert f"What {NAME} told the team" in page and f"{NAME} was there" in page
    with market.session() as session:
        exported = session.scalars(
            select(CustodyEvent.details).where(CustodyEvent.action == "exported")
        ).all()
    assert json.loads(exported[-1])["revealed"] is True


def test_unverified_catalogue_is_stamped_and_recorded(market: Store, tmp_path: Path) -> None:
    failures = ["rating 2: row changed outside the ledger", "source 1: reliability edited"]
    out = tmp_path / "stamped.html"
    named = f"item 1 ({NAME}.txt): blob changed"
    published = publish_report(market, SLUG, out, unverified=[*failures, named])
    page = out.read_text(encoding="utf-8")
    assert "computed on a catalogue that failed verification" in page.casefold()
    assert all(line in page for line in failures)
    assert "item 1 ([withheld]): blob changed" in page and _leaks(page) == []
    assert published.analysis.to_dict()["unverified"] is True
    with market.session() as session:
        finding = session.get(Finding, published.finding_id)
        assert finding is not None and finding.result["unverified"] is True
    analysis = analyse_incident(market, SLUG, unverified=failures)
    assert analysis.result.unverified == tuple(failures)
    assert analysis.to_dict()["unverified"] is True

    clean_out = tmp_path / "clean.html"
    clean = publish_report(market, SLUG, clean_out)
    assert "failed verification" not in clean_out.read_text(encoding="utf-8")
    assert "unverified" not in clean.analysis.to_dict()


# ---------------------------------------------------------------------- the demo, end to end


def _cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def demo(demo_home: DemoRun) -> Path:
    """The test's copy of a home where the demo ran."""
    return demo_home.home


def test_analyse_json_is_the_typed_result_to_dict(demo: Path) -> None:
    result = _cli("--home", str(demo), "analyse", "khan-shaykhun-2017-04-04", "--json")
    assert result.exit_code == 0, result.output
    analysis = analyse_incident(open_store(demo, "tester"), "khan-shaykhun-2017-04-04")
    expected = json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False) + "\n"
    assert result.stdout == expected
    data: dict[str, Any] = json.loads(result.stdout)
    assert list(data)[-2:] == ["title", "inputs_sha256"] and data["leading"] == "H1"


def test_the_footer_commands_work_as_printed(demo: Path, tmp_path: Path) -> None:
    """Pasted into a shell that has no virtual environment on its PATH, no ENQUIRY_HOME and
    another working directory, the footer's commands run and succeed."""
    # the report of this (copied) home, whose footer names this home (written outside it: a
    # named output inside the home is refused)
    out = tmp_path / "khan-shaykhun-2017-04-04.html"
    written = _cli("--home", str(demo), "report", "khan-shaykhun-2017-04-04", "-o", str(out))
    assert written.exit_code == 0, written.output
    page = out.read_text(encoding="utf-8")
    footer = page[page.index("<footer") :]
    printed = [
        html.unescape(c) for c in re.findall(r"<pre class=\"command\"><code>([^<]*)</code>", footer)
    ]
    assert {shlex.split(c)[-1] for c in printed} == {"verify", "khan-shaykhun-2017-04-04"}
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    if os.environ.get("PYTHONPATH"):  # a source tree run without installing, as in development
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    outputs = []
    for command in printed:
        done = subprocess.run(
            command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"{command}: {done.stdout} {done.stderr}"
        outputs.append(done.stdout)
    assert "intact" in outputs[0] and "H1" in outputs[1]
