"""A hypothesis reworded after evidence was rated against it.

A rating judges evidence against a hypothesis as written. When the wording changes (a case file
loaded again with a new label, ``hypothesis update``, a rival added to the catch-all), the
ratings made before judged a different question: the ledger records the change and what it did
to the ratings, the ratings are marked wherever they are shown, the analysis leaves them out
and says so, and a new rating of the cell under the current wording ends the mark.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from enquiry.app import Enquiry, cases, publishing
from enquiry.app import matrix as mx
from enquiry.cli import main
from enquiry.store.rows import read_rows, row_digest
from enquiry.store.tables import Base, CustodyEvent, Rating
from enquiry.store.verify import verify

INCIDENT = "square-2020-01-01"
CASE_FILE = """format: enquiry-case/1
case: {{name: square}}
sources:
- {{name: Field team, reliability: B}}
incidents:
- slug: square-2020-01-01
  hypotheses:
  - {{id: H1, label: {h1}}}
  - {{id: H2, label: nothing happened; the damage is old}}
  - {{id: H0, label: something else, other: true}}
items:
- key: crater-note
  kind: document
  source: Field team
  credibility: 2
  fields: {{title: Field note on the crater}}
  text: Fresh crater in the square; fragments of a 122 mm shell.
- key: shop-note
  kind: document
  source: Field team
  credibility: 3
  fields: {{title: Shopkeeper's account}}
  text: I heard the whistle and the blast at about half past six.
ratings:
- incident: square-2020-01-01
  item: crater-note
  analyst: ana
  values: {{H1: CC, H2: II, H0: N}}
  rationale: A fresh crater with shell fragments.
- incident: square-2020-01-01
  item: shop-note
  analyst: ana
  values: {{H1: C, H2: I, H0: N}}
  rationale: Heard a shell at the time of the impact.
"""
ARTILLERY = "an artillery shell fired from the hills hit the square"
MORTAR = "a mortar bomb fired from the river bank hit the square"


def _file(folder: Path, h1: str, name: str = "square.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(CASE_FILE.format(h1=h1), encoding="utf-8")
    return path


def _loaded(home: Path, files: Path) -> Enquiry:
    admin = Enquiry.at(home, "admin")
    cases.load(admin, _file(files, ARTILLERY))
    return admin


def _posteriors(admin: Enquiry) -> dict[str, float]:
    result = publishing.analyse(admin, INCIDENT).result
    return {h.id: h.posterior for h in result.hypotheses}


def _cell(admin: Enquiry, evidence: str, key: str) -> mx.CellView:
    row = next(r for r in mx.matrix(admin, INCIDENT).rows if r.evidence == evidence)
    return row.cells[key]


def _events(admin: Enquiry, action: str) -> list[dict[str, object]]:
    with admin.store().session() as session:
        return [
            json.loads(text)
            for text in session.scalars(
                select(CustodyEvent.details)
                .where(CustodyEvent.action == action)
                .order_by(CustodyEvent.seq)
            )
        ]


def test_a_case_file_loaded_again_with_a_new_label_sets_the_old_ratings_aside(
    backend: str, tmp_path: Path
) -> None:
    admin = _loaded(tmp_path / "home", tmp_path / "files")
    before = _posteriors(admin)
    assert not _cell(admin, "crater-note", "H1").earlier_wording

    cases.load(admin, _file(tmp_path / "files", MORTAR))

    # the ledger holds the new label, what it was, and what the change did to the ratings
    changed = [e for e in _events(admin, "updated") if "changed" in e and "hypothesis" in e]
    assert changed[-1]["changed"] == {"label": MORTAR}
    assert changed[-1]["was"] == {"label": ARTILLERY}
    consequence = [e for e in _events(admin, "updated") if "reworded" in e]
    # the catch-all covers whatever H1 and H2 do not: rewording H1 rewords it too
    assert consequence == [
        {
            "incident": INCIDENT,
            "reworded": ["H0", "H1"],
            "ratings_of_earlier_wording": 4,
            "identified_by": "home's files",
        }
    ]

    # the matrix marks the cells, and counts nothing in them
    cell = _cell(admin, "crater-note", "H1")
    assert (cell.rating, cell.earlier_wording, cell.set_aside) == ("CC", True, 1)
    assert cell.analysts[0].earlier_wording
    assert not _cell(admin, "crater-note", "H2").earlier_wording
    shown = mx.matrix(admin, INCIDENT).to_dict()
    row = next(r for r in shown["rows"] if r["evidence"] == "crater-note")
    assert row["cells"]["H1"]["earlier_wording"] is True

    # the analysis leaves them out and says so: in its result, its warnings and its JSON
    analysis = publishing.analyse(admin, INCIDENT)
    evidence = {e.id: e for e in analysis.input.evidence}
    assert dict(evidence["crater-note"].ratings) == {"H2": "II"}
    result = analysis.result
    assert {(e.evidence, e.hypothesis, e.rating, e.counts) for e in result.earlier_wording} == {
        ("crater-note", "H1", "CC", None),
        ("shop-note", "H1", "C", None),
        ("crater-note", "H0", "N", None),
        ("shop-note", "H0", "N", None),
    }
    assert any("hypothesis H1 was reworded after 2 rating(s)" in w for w in result.warnings)
    published = analysis.to_dict()
    assert {e["evidence"] for e in published["earlier_wording"]} == {"crater-note", "shop-note"}
    after = {h.id: h.posterior for h in result.hypotheses}
    assert after["H1"] < before["H1"], "the artillery ratings no longer back the mortar wording"

    # the report says so, above the findings and beside the matrix
    report = publishing.report(admin, INCIDENT, tmp_path / "out" / "report.html")
    html = report.path.read_text(encoding="utf-8")
    assert "Ratings of an earlier wording left out" in html
    assert 'id="earlier-wording"' in html and "reworded</small>" in html
    assert verify(admin.store()).intact


def test_re_rating_under_the_new_wording_clears_the_mark(backend: str, tmp_path: Path) -> None:
    admin = _loaded(tmp_path / "home", tmp_path / "files")
    before = _posteriors(admin)
    _analysis, old = mx.run_analysis(admin, INCIDENT)

    done = mx.update_hypothesis(admin, INCIDENT, "H1", label=MORTAR, rationale="the fragments")
    assert done.changed == {"label": MORTAR}
    details = [e for e in _events(admin, "updated") if e.get("hypothesis") == "H1"][-1]
    assert details["reworded"] == ["H0", "H1"] and details["ratings_of_earlier_wording"] == 4

    # the finding computed before the rewording counted them: it is stale, and says which
    latest = mx.latest_result(admin, INCIDENT)
    assert latest is not None and latest.finding_id == old and latest.standing is not None
    assert latest.standing.status == "stale"
    assert "earlier wording" in latest.standing.explanation
    assert "crater-note × H1" in latest.standing.explanation

    # a finding run now leaves them out and stores that it did
    _analysis, new = mx.run_analysis(admin, INCIDENT)
    stored = mx.latest_result(admin, INCIDENT)
    assert stored is not None and stored.finding_id == new
    assert stored.standing is not None and stored.standing.status == "current"
    assert len(stored.result["earlier_wording"]) == 4

    # one analyst confirms one cell: that mark goes, the others stay
    items = {r.evidence: str(r.target_id) for r in mx.matrix(admin, INCIDENT).rows}
    mx.rate(admin, INCIDENT, "H1", item=items["crater-note"], rating="CC", rationale="still")
    cell = _cell(admin, "crater-note", "H1")
    assert (cell.rating, cell.analyst, cell.earlier_wording, cell.set_aside) == (
        "CC",
        "admin",
        False,
        1,
    ), "ana's rating of the earlier wording stays on record, marked"
    assert _cell(admin, "shop-note", "H1").earlier_wording
    left = publishing.analyse(admin, INCIDENT).result.earlier_wording
    assert {(e.evidence, e.hypothesis) for e in left} == {
        ("shop-note", "H1"),
        ("crater-note", "H0"),
        ("shop-note", "H0"),
    }

    # every cell confirmed with the ratings it had: the numbers are the original ones again
    for evidence, key, rating in (
        ("shop-note", "H1", "C"),
        ("crater-note", "H0", "N"),
        ("shop-note", "H0", "N"),
    ):
        mx.rate(admin, INCIDENT, key, item=items[evidence], rating=rating, rationale="confirmed")
    again = publishing.analyse(admin, INCIDENT).result
    assert again.earlier_wording == ()
    assert not any("reworded" in w for w in again.warnings)
    assert {h.id: h.posterior for h in again.hypotheses} == before
    assert verify(admin.store()).intact


def test_a_new_rival_rewords_only_the_catch_all(backend: str, tmp_path: Path) -> None:
    admin = _loaded(tmp_path / "home", tmp_path / "files")
    added = mx.add_hypothesis(admin, INCIDENT, "H3", "a rocket fired from the airfield")
    assert added.key == "H3"
    created = [e for e in _events(admin, "created") if e.get("hypothesis") == "H3"][-1]
    assert created["reworded"] == ["H0"] and created["ratings_of_earlier_wording"] == 2
    assert _cell(admin, "crater-note", "H0").earlier_wording
    assert not _cell(admin, "crater-note", "H1").earlier_wording
    result = publishing.analyse(admin, INCIDENT).result
    assert {(e.evidence, e.hypothesis) for e in result.earlier_wording} == {
        ("crater-note", "H0"),
        ("shop-note", "H0"),
    }


def test_the_matrix_and_finding_commands_show_the_mark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENQUIRY_DB", raising=False)
    home = tmp_path / "home"
    admin = _loaded(home, tmp_path / "files")
    mx.update_hypothesis(admin, INCIDENT, "H2", label="the damage is from 2019", rationale="x")
    runner = CliRunner()
    shown = runner.invoke(main, ["--home", str(home), "matrix", INCIDENT])
    assert shown.exit_code == 0, shown.output
    assert "II~" in shown.output
    assert "4 cell(s) rated under an earlier wording" in shown.output
    assert "crater-note × H2: ana II; counts: nothing (unrated)" in shown.output
    ran = runner.invoke(main, ["--home", str(home), "finding", INCIDENT, "--run"])
    assert ran.exit_code == 0, ran.output
    assert "left out: 4 rating(s) made under an earlier wording" in ran.output
    assert "crater-note × H2: II by ana; counted instead: nothing (unrated)" in ran.output
    analysed = runner.invoke(main, ["--home", str(home), "analyse", INCIDENT])
    assert analysed.exit_code == 0, analysed.output
    assert "4 RATING(S) MADE UNDER AN EARLIER WORDING" in analysed.output


def test_a_dump_loaded_elsewhere_keeps_the_mark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENQUIRY_DB", raising=False)
    admin = _loaded(tmp_path / "home", tmp_path / "files")
    mx.update_hypothesis(admin, INCIDENT, "H1", label=MORTAR, rationale="the fragments")
    dumped = cases.dump(admin, "square", tmp_path / "dump" / "square.yaml")
    text = (tmp_path / "dump" / "square.yaml").read_text(encoding="utf-8")
    assert "worded:" in text, "the dump says which ratings judged an earlier wording"
    assert dumped.sha256
    other = Enquiry.at(tmp_path / "other", "admin")
    cases.load(other, tmp_path / "dump" / "square.yaml")
    here = {
        (e.evidence, e.hypothesis)
        for e in publishing.analyse(admin, INCIDENT).result.earlier_wording
    }
    there = {
        (e.evidence, e.hypothesis)
        for e in publishing.analyse(other, INCIDENT).result.earlier_wording
    }
    assert here == there and len(there) == 4
    # a hand-written case file states its ratings against its own labels: none is marked
    fresh = Enquiry.at(tmp_path / "fresh", "admin")
    cases.load(fresh, _file(tmp_path / "files", MORTAR, "mortar.yaml"))
    assert publishing.analyse(fresh, INCIDENT).result.earlier_wording == ()


def test_ratings_made_before_wordings_were_recorded_are_judged_by_the_ledger(
    backend: str, tmp_path: Path
) -> None:
    admin = _loaded(tmp_path / "home", tmp_path / "files")
    before = _posteriors(admin)
    store = admin.store()
    # as a home upgraded from before ratings recorded their wording holds them (the change
    # made in a ledger transaction, so that verify still vouches for the rows)
    with store.writing() as (connection, _writer):
        connection.execute(update(Rating).values(wording=None))
    assert verify(store).intact
    assert _posteriors(admin) == before, "with no rewording since, they count as before"
    mx.update_hypothesis(admin, INCIDENT, "H2", label="the damage is from 2019", rationale="x")
    left = publishing.analyse(admin, INCIDENT).result.earlier_wording
    assert {(e.evidence, e.hypothesis) for e in left} == {
        ("crater-note", "H2"),
        ("shop-note", "H2"),
        ("crater-note", "H0"),
        ("shop-note", "H0"),
    }
    assert verify(store).intact


def test_a_rating_without_a_wording_keeps_the_digest_recorded_before_the_column() -> None:
    table = Base.metadata.tables["ratings"]
    row = {c.name: None for c in table.columns} | {"id": 1, "rating": "CC", "analyst": "ana"}
    old = row_digest({k: v for k, v in row.items() if k != "wording"})
    assert row_digest(row) != old, "a NULL column would change the digest if it were hashed"

    class _Rows:
        def __init__(self, mapping: dict[str, object]) -> None:
            self._mapping = mapping

    class _Connection:
        def execute(self, _query: object) -> list[_Rows]:
            return [_Rows(dict(row))]

    assert list(read_rows(_Connection(), table)) == [(1, old)]  # type: ignore[arg-type]
    stamped = row | {"wording": "a" * 64}

    class _Stamped(_Connection):
        def execute(self, _query: object) -> list[_Rows]:
            return [_Rows(dict(stamped))]

    assert list(read_rows(_Stamped(), table)) == [(1, row_digest(stamped))]  # type: ignore[arg-type]
