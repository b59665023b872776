"""Listing a party's claims must not say who speaks in protected testimony.

Before, ``claims list --party NAME`` matched the speakers of protected items' claims too: a user
without the reveal right got the withheld claim listed under the party its speaker speaks for
(so they learnt whose testimony it is), and a name known only as such a speaker answered
differently from a name no actor has (so a viewer learnt the testimony exists)."""

from __future__ import annotations

from pathlib import Path

import pytest

from enquiry.app import Enquiry, accounts, cases, claims
from enquiry.errors import NotFound

PASSWORD = "correct horse battery"
WITNESS = "Ottoline Brackenridge-Asante"
SPOKESMAN = "Colonel Ivo Harkness-Mbeki"
CASE = f"""
format: enquiry-case/1
case: {{name: depot, title: Strike on the depot}}
actors:
- {{name: {WITNESS}, type: person}}
- {{name: {SPOKESMAN}, type: person, affiliation: Ministry of Defence}}
- {{name: Ministry of Defence, type: organisation}}
sources: [{{name: Field team, reliability: B}}]
incidents:
- slug: depot-strike
  title: Strike on the depot
  window: {{start: '2022-02-01T05:00:00+00:00', end: '2022-02-01T06:00:00+00:00'}}
  place: {{name: depot, lat: 12.5, lon: 30.25}}
  hypotheses:
  - {{id: H1, label: an air strike}}
  - {{id: H0, label: something else, other: true}}
items:
- key: witness-1
  kind: testimony
  source: Field team
  protected: true
  fields: {{title: Eyewitness, witness_pseudonym: W-9}}
  text: I saw the aircraft over the depot.
- key: witness-2
  kind: testimony
  source: Field team
  protected: true
  fields: {{title: Second eyewitness, witness_pseudonym: W-10}}
  text: The colonel came the next day.
- key: statement-1
  kind: document
  source: Field team
  fields: {{title: Ministry statement}}
  text: The ministry says a depot of chemical weapons was hit.
claims:
- key: claim-w
  actor: {WITNESS}
  item: witness-1
  incident: depot-strike
  date: '2022-02-01'
  text: an aircraft dropped something over the depot
- key: claim-s
  actor: {SPOKESMAN}
  item: witness-2
  incident: depot-strike
  date: '2022-02-02'
  text: nobody must speak of this
- key: claim-m
  actor: {SPOKESMAN}
  item: statement-1
  incident: depot-strike
  date: '2022-02-03'
  text: a depot of chemical weapons was hit
"""


@pytest.fixture
def depot(tmp_path: Path, backend: str) -> Enquiry:
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    admin = Enquiry.at(tmp_path / "home", "admin")
    cases.load(admin, tmp_path / "case.yaml")
    for name, role, see in (("vera", "viewer", False), ("ana", "analyst", True)):
        accounts.add_user(admin, name, PASSWORD)
        accounts.grant(admin, name, "depot", role, see_protected=see)
    return admin


def _as(admin: Enquiry, name: str) -> Enquiry:
    return admin.acting_as(accounts.authenticate_password(admin, name, PASSWORD))


def _keys(app: Enquiry, party: str, *, reveal: bool = False) -> set[int]:
    return {c.id for c in claims.list_claims(app, "depot", party, reveal=reveal)}


def _refusal(app: Enquiry, party: str) -> str:
    with pytest.raises(NotFound) as refused:
        claims.list_claims(app, "depot", party)
    return str(refused.value).replace(party, "NAME")


def test_a_party_lists_no_claim_of_protected_testimony_without_a_reveal(depot: Enquiry) -> None:
    admin, vera, ana = depot, _as(depot, "vera"), _as(depot, "ana")
    everything = {c.id: c for c in claims.list_claims(admin, "depot", reveal=True)}
    in_clear = {c.id for c in claims.list_claims(admin, "depot") if not c.withheld}
    assert len(in_clear) == 1 and len(everything) == 3
    for app in (vera, ana, admin):
        # the ministry's spokesman speaks in the clear too: only that claim is listed under it
        assert _keys(app, "Ministry of Defence") == in_clear
        assert _keys(app, SPOKESMAN) == in_clear
    # a name known only as a protected witness's answers as a name no actor has
    nobody = _refusal(ana, "Nobody Atall")
    for app in (vera, ana):
        assert _refusal(app, WITNESS) == nobody
    # with the right and a reveal (recorded), the party takes in the protected claims too
    assert _keys(admin, SPOKESMAN, reveal=True) == {
        i for i, c in everything.items() if c.actor == SPOKESMAN
    }
    assert len(_keys(admin, WITNESS, reveal=True)) == 1
