"""From the catalogue to the engine's input: grades, clusters, claims as evidence, party lines."""

from __future__ import annotations

from pathlib import Path

from enquiry.intake.casefile import load_case_file
from enquiry.publish.inputs import build_input, inputs_hash
from enquiry.store import open_store

CASE = """
format: enquiry-case/1
case: {name: lines}
actors:
- {name: Ruritania, type: state}
- {name: Ruritanian ministry, type: organisation, affiliation: Ruritania}
- {name: Spokesman, type: person, affiliation: Ruritanian ministry}
- {name: Professor, type: person, affiliation: Some University}
sources:
- {name: Team, reliability: B}
- {name: Ministry, reliability: D, actor: Ruritanian ministry}
incidents:
- slug: lines-1
  window: {start: '2020-01-01T06:00:00+02:00', end: '2020-01-01T07:00:00+02:00'}
  means: [shell]
  thresholds: {confident: 0.8}
  hypotheses:
  - {id: H1, label: a shell}
  - {id: H2, label: nothing}
  - {id: H0, label: something else, other: true}
items:
- {key: a, kind: document, source: Team, credibility: 2, origin: one witness, text: first outlet}
- {key: b, kind: document, source: Team, credibility: 3, origin: one witness, text: second outlet}
- {key: c, kind: document, source: Team, text: original footage note}
- {key: d, kind: document, source: Team, derived_from: c, text: a copy of it}
- {key: e, kind: document, source: Team, text: unrated}
- {key: s, kind: statement, source: Ministry, credibility: 5, text: the ministry speaks}
claims:
- {key: k1, actor: Spokesman, item: s, incident: lines-1, date: '2020-01-02', text: nothing, supports: [H2]}
- {key: k2, actor: Professor, incident: lines-1, date: '2020-01-03', text: a shell, supports: [H1], evidence: [a]}
ratings:
- {incident: lines-1, item: a, values: {H1: CC, H2: II}}
- {incident: lines-1, item: b, values: {H1: CC, H2: II}}
- {incident: lines-1, item: c, values: {H1: C, H2: I}}
- {incident: lines-1, item: d, values: {H1: C, H2: I}}
- {incident: lines-1, claim: k1, values: {H2: C}, likelihoods: {H1: 0.4}, rationale: a denial}
"""


def test_catalogue_becomes_engine_input(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "lines.yaml"
    path.write_text(CASE, encoding="utf-8")
    store = open_store(home, "tester")
    load_case_file(store, path)
    with store.session() as session:
        inp, context = build_input(session, "lines-1")
    evidence = {e.id: e for e in inp.evidence}
    assert set(evidence) == {"a", "b", "c", "d", "k1"}  # unrated items stay out
    assert evidence["a"].cluster == evidence["b"].cluster == "origin: one witness"
    assert evidence["c"].cluster == evidence["d"].cluster == "copies of c"
    assert evidence["a"].reliability == "B" and evidence["a"].credibility == 2
    assert evidence["c"].credibility == 6  # no grade given: cannot be judged
    claim = evidence["k1"]
    assert claim.kind == "claim" and claim.reliability == "D" and claim.credibility == 5
    assert claim.ratings == {"H2": "C"} and claim.likelihoods == {"H1": 0.4}
    assert claim.rationale == {"H1": "a denial", "H2": "a denial"}
    assert inp.affiliations == {
        "Ruritanian ministry": "Ruritania",
        "Spokesman": "Ruritanian ministry",
    }
    parties = {c.id: c.party for c in inp.claims}
    assert parties == {"k1": "Spokesman", "k2": "Professor"}
    assert next(c for c in inp.claims if c.id == "k2").evidence == ("a",)
    assert inp.facts.time_window == {
        "start": "2020-01-01T06:00:00+02:00",
        "end": "2020-01-01T07:00:00+02:00",
    }
    assert inp.facts.means == ("shell",) and inp.thresholds == {"confident": 0.8}
    assert [h.id for h in inp.hypotheses if h.is_other] == ["H0"]
    assert len(context.annex) == 6 and all(a.custody.events >= 2 for a in context.annex)
    with store.session() as session:
        again, _ = build_input(session, "lines-1")
    assert inputs_hash(again) == inputs_hash(inp)
