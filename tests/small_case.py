"""The smallest case a report can be written for, as a case file: one incident with an
answer and its catch-all, one rated field note. Tests that are about pictures, bundles or
outputs add their evidence to it."""

from __future__ import annotations


def one_incident_case(name: str, title: str, incident: str, place: str = "market") -> str:
    """The case file (YAML) of case ``name`` with incident ``incident`` at ``place``."""
    return f"""\
format: enquiry-case/1
case: {{name: {name}, title: {title}}}
sources:
- {{name: Field team, reliability: B}}
incidents:
- slug: {incident}
  title: Strike on the {place}
  window: {{start: '2021-03-03T04:00:00+02:00', end: '2021-03-03T06:00:00+02:00'}}
  place: {{name: {place}, lat: 11.5, lon: 21.25}}
  hypotheses:
  - {{id: H1, label: an air strike}}
  - {{id: H0, label: something else, other: true}}
items:
- key: note
  kind: document
  source: Field team
  fields: {{title: Field note}}
  text: A crater in the {place}.
ratings:
- incident: {incident}
  item: note
  analyst: A. Analyst
  values: {{H1: CC, H0: N}}
"""


def broken_swab(key: str, text: str) -> str:
    """The case-file entry (YAML, under ``items:``) of an environmental sample whose recorded
    chain of custody breaks: the courier who received it is not the one who handed it on."""
    return f"""\
- key: {key}
  kind: environmental_sample
  source: Field team
  fields:
    title: Swab from the crater
    sample_id: SW-1
    collected_by: Amal Haddad
    collected_at: '2021-03-03T07:00:00+02:00'
    laboratory: Lab North
    analysed_at: '2021-03-20'
    analytes: [{{name: sarin, result: detected}}]
    custody:
    - {{at: '2021-03-03T12:00:00+02:00', from: Amal Haddad, to: Courier Ode, seal: S-1}}
    - {{at: '2021-03-05T09:00:00+01:00', from: Courier Ilse, to: Lab North, seal: S-1}}
  text: {text}
"""
