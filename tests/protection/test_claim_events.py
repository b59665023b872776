"""A claim written in a case file and attributed to a protected testimony is recorded as an event
of the case, with the words said in it. The log shows that event as one of the testimony's: hidden
from a user who may not learn the testimony exists, its words withheld from one who may see it
without revealing, shown with the reveal (and the key)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from enquiry.app import Enquiry, accounts, cases, evidence

PASSWORD = "correct horse battery"
WORDS = "the granary roof caved in before the sirens"
SPEAKER = "Ilse Marchetti-Obuya"
CASE = f"""
format: enquiry-case/1
case: {{name: granary, title: Strike on the granary}}
actors:
- {{name: {SPEAKER}, type: person}}
sources: [{{name: Field team, reliability: B}}]
incidents:
- slug: granary-strike
  title: Strike on the granary
  window: {{start: '2022-02-01T05:00:00+00:00', end: '2022-02-01T06:00:00+00:00'}}
  place: {{name: granary, lat: 12.5, lon: 30.25}}
  hypotheses:
  - {{id: H1, label: an air strike}}
  - {{id: H0, label: something else, other: true}}
items:
- key: witness-1
  kind: testimony
  source: Field team
  protected: true
  fields: {{title: Eyewitness, witness_pseudonym: W-4}}
  text: I was at the granary that morning.
- key: note-1
  kind: document
  source: Field team
  fields: {{title: Field note}}
  text: The team's note on the granary.
claims:
- key: claim-w
  actor: {SPEAKER}
  item: witness-1
  incident: granary-strike
  date: '2022-02-01'
  text: {WORDS}
  supports: [H1]
- key: claim-n
  actor: {SPEAKER}
  item: note-1
  incident: granary-strike
  date: '2022-02-01'
  text: the stalls were hit from above
  supports: [H1]
"""


@pytest.fixture
def granary(tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch) -> Enquiry:
    monkeypatch.setenv("ENQUIRY_PROTECTION_PASSPHRASE", PASSWORD)
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    admin = Enquiry.at(tmp_path / "home", "admin")
    cases.load(admin, tmp_path / "case.yaml")
    for name in ("vera", "ana"):
        accounts.add_user(admin, name, PASSWORD)
    accounts.grant(admin, "vera", "granary", "viewer")
    accounts.grant(admin, "ana", "granary", "analyst", see_protected=True)
    return admin


def _as(admin: Enquiry, name: str) -> Enquiry:
    return admin.acting_as(accounts.authenticate_password(admin, name, PASSWORD))


def _claim_events(app: Enquiry, **options: bool) -> dict[str, dict[str, object]]:
    found = {}
    for event in evidence.read_log(app, **options):
        claim = event.details.get("claim")
        if event.action == "created" and isinstance(claim, dict):
            found[str(claim.get("key"))] = event.details
    return found


def test_a_claim_attributed_to_a_protected_item_is_logged_as_that_items(
    granary: Enquiry,
) -> None:
    admin, vera, ana = granary, _as(granary, "vera"), _as(granary, "ana")
    for app in (admin, ana):
        events = _claim_events(app)
        assert WORDS not in json.dumps(events) and SPEAKER not in json.dumps(events["claim-w"])
        assert events["claim-w"]["claim"] == {"key": "claim-w"}  # which claim, of which item
        assert isinstance(events["claim-w"]["item_id"], int)
        assert events["claim-n"]["text"] == "the stalls were hit from above"  # not protected
    # A viewer may not learn that the testimony exists: its claim's event is not shown at all.
    assert set(_claim_events(vera)) == {"claim-n"}
    assert WORDS not in json.dumps([e.details for e in evidence.read_log(vera)])
    # Revealed, with the key in the environment, the words are shown (and the sight recorded).
    assert _claim_events(admin, reveal=True)["claim-w"]["text"] == WORDS
    assert any(e.action == "revealed" for e in evidence.read_log(admin))
