"""Narratives: what each party said, when, which hypothesis it backed, and where it breaks.

Flags, each citing the claims and their dates:
- ``mutually_exclusive``: the party (or the line it speaks for) backed different hypotheses,
  which by construction cannot all be true;
- ``contradicts_facts``: a claim's time window misses the established one, its place lies
  farther than the established radius (or, without coordinates, names another place), or its
  means is none of the established ones;
- ``unsupported``: an assertion offered with no evidence item in the case.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from enquiry.analysis.inputs import AnalysisInput, Claim, EstablishedFacts
from enquiry.analysis.result import Flag, Narrative, NarrativeClaim

EARTH_RADIUS_KM = 6371.0088


def chain_of(party: str, affiliations: Mapping[str, str]) -> list[str]:
    """Whom a party speaks for, nearest first (a spokesman -> ministry -> state)."""
    chain: list[str] = []
    seen = {party}
    while party in affiliations and affiliations[party] not in seen:
        party = affiliations[party]
        seen.add(party)
        chain.append(party)
    return chain


def line_of(party: str, affiliations: Mapping[str, str]) -> str:
    """The root of a party's affiliation chain: the line it belongs to."""
    chain = chain_of(party, affiliations)
    return chain[-1] if chain else party


def speaker(party: str, affiliations: Mapping[str, str]) -> str:
    """A party named with whom it speaks for, e.g. "Igor Konashenkov (Russian Ministry of
    Defence, Russian Federation)", so a flag says whose claim it was at every level."""
    chain = chain_of(party, affiliations)
    return f"{party} ({', '.join(chain)})" if chain else party


def _parse(value: str, where: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not an ISO 8601 date and time") from None


def _comparable(a: datetime, b: datetime) -> tuple[datetime, datetime]:
    """Naive times are read in the other side's offset (a case's local time is the default)."""
    if (a.tzinfo is None) == (b.tzinfo is None):
        return a, b
    if a.tzinfo is None:
        return a.replace(tzinfo=b.tzinfo), b
    return a, b.replace(tzinfo=a.tzinfo)


def _date_only(value: str) -> bool:
    """A calendar date with no time of day ("2017-04-04", "20170404")."""
    return "T" not in value and " " not in value.strip() and len(value.strip()) <= 10


def _window(slot: Any, where: str) -> tuple[datetime, datetime] | None:
    """A slot's time window. A date without a time of day means that whole day (a claim that
    something happened "on 4 April" does not say "at midnight"), so as an end it reaches the
    day's last microsecond; a naive end is read in the start's offset (and the other way
    round), as :func:`_comparable` reads naive times."""
    if not isinstance(slot, Mapping) or "start" not in slot:
        return None
    first = str(slot["start"])
    last = str(slot.get("end") or slot["start"])
    start = _parse(first, f"{where} time window start")
    end = _parse(last, f"{where} time window end")
    if _date_only(last):
        end += timedelta(days=1, microseconds=-1)
    start, end = _comparable(start, end)
    if end < start:
        start, end = end, start
    return start, end


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _norm(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split())


def _fmt_time(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M") + (t.strftime(" %z") if t.tzinfo is not None else "")


def contradictions(claim: Claim, facts: EstablishedFacts) -> list[str]:
    """What in a claim's slots contradicts the established facts, one sentence each."""
    found: list[str] = []
    slots = claim.slots
    est_window = _window(facts.time_window, "established facts") if facts.time_window else None
    window = _window(slots.get("time_window"), f"claim {claim.id}")
    if est_window and window:
        start, est_end = _comparable(window[0], est_window[1])
        end, est_start = _comparable(window[1], est_window[0])
        if start > est_end or end < est_start:
            gap = start - est_end if start > est_end else est_start - end
            found.append(
                f"its time window {_fmt_time(window[0])} to {_fmt_time(window[1])} misses the established "
                f"{_fmt_time(est_window[0])} to {_fmt_time(est_window[1])} by {_hours(gap)}"
            )
    place = slots.get("place")
    est_place = facts.place
    if isinstance(place, Mapping) and est_place:
        coords = all(
            isinstance(x.get(key), (int, float))
            for x in (place, est_place)
            for key in ("lat", "lon")
        )
        if coords:
            km = haversine_km(
                float(place["lat"]),
                float(place["lon"]),
                float(est_place["lat"]),
                float(est_place["lon"]),
            )
            radius = float(est_place.get("radius_km", 1.0))
            if km > radius:
                found.append(
                    f"its place {place.get('name') or (place['lat'], place['lon'])} lies {km:.1f} km from the established "
                    f"{est_place.get('name') or 'place'} (radius {radius:g} km)"
                )
        elif place.get("name") and est_place.get("name"):
            a, b = _norm(str(place["name"])), _norm(str(est_place["name"]))
            if a not in b and b not in a:
                found.append(
                    f"its place {place['name']!r} is not the established {est_place['name']!r}"
                )
    means = slots.get("means")
    if means and facts.means:
        claimed = [means] if isinstance(means, str) else [str(x) for x in means]
        accepted = [_norm(x) for x in facts.means]
        for text in claimed:
            n = _norm(text)
            if not any(a in n or n in a for a in accepted):
                found.append(
                    f"its means {text!r} is none of the established ({', '.join(facts.means)})"
                )
    return found


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


def _cite(claim: Claim) -> str:
    return f"{claim.id} ({claim.date})"


def _exclusive_flag(claims: list[Claim], labels: Mapping[str, str], who: str) -> Flag | None:
    """Flag claims that cannot all be true: two claims whose backed hypotheses do not overlap.

    A single claim hedging between hypotheses is not a contradiction; a claim backing H3 after
    another backed H2 is, because the hypotheses are mutually exclusive by construction.
    """
    backing = [c for c in claims if c.supports]
    clashing: set[str] = set()
    for a_index, a in enumerate(backing):
        for b in backing[a_index + 1 :]:
            if not set(a.supports) & set(b.supports):
                clashing.update((a.id, b.id))
    if not clashing:
        return None
    cited = [c for c in backing if c.id in clashing]
    first: dict[str, Claim] = {}
    for c in cited:
        for h in c.supports:
            first.setdefault(h, c)
    parts = [
        f"{h} ({labels.get(h, h)}) in {', '.join(_cite(c) for c in cited if h in c.supports)}"
        for h in sorted(first, key=lambda h: (first[h].date, first[h].id, h))
    ]
    return Flag(
        type="mutually_exclusive",
        claims=tuple(c.id for c in cited),
        hypotheses=tuple(sorted(first)),
        explanation=f"{who} backed mutually exclusive hypotheses: " + "; ".join(parts) + ".",
    )


def narratives(inp: AnalysisInput) -> tuple[Narrative, ...]:
    """One entry per party (in order of its first claim), then one per line of two or more parties."""
    labels = {h.id: h.label for h in inp.hypotheses}
    evidence_ids = {e.id for e in inp.evidence}
    ordered = sorted(inp.claims, key=lambda c: (c.date, c.id))
    parties: dict[str, list[Claim]] = {}
    for c in ordered:
        parties.setdefault(c.party, []).append(c)
    result: list[Narrative] = []
    for party, claims in parties.items():
        who = speaker(party, inp.affiliations)
        flags: list[Flag] = []
        exclusive = _exclusive_flag(claims, labels, who)
        if exclusive:
            flags.append(exclusive)
        for c in claims:
            problems = contradictions(c, inp.facts)
            if problems:
                flags.append(
                    Flag(
                        type="contradicts_facts",
                        claims=(c.id,),
                        explanation=f"{who}, {_cite(c)}: " + "; ".join(problems) + ".",
                    )
                )
            offered = [e for e in c.evidence if e in evidence_ids]
            if not offered:
                why = (
                    "offers no evidence item"
                    if not c.evidence
                    else "cites only items not in the case (" + ", ".join(c.evidence) + ")"
                )
                flags.append(
                    Flag(
                        type="unsupported",
                        claims=(c.id,),
                        explanation=f"{who}, {_cite(c)}: the assertion {why}.",
                    )
                )
        result.append(
            Narrative(
                party=party,
                line=line_of(party, inp.affiliations),
                affiliation=tuple(chain_of(party, inp.affiliations)),
                members=(party,),
                claims=tuple(_claim_entry(c, labels) for c in claims),
                flags=tuple(flags),
            )
        )
    lines: dict[str, list[str]] = {}
    for party in parties:
        lines.setdefault(line_of(party, inp.affiliations), []).append(party)
    for line, members in lines.items():
        if len(members) < 2:
            continue
        claims = [c for c in ordered if c.party in members]
        flags = []
        exclusive = _exclusive_flag(claims, labels, f"The line of {line} ({', '.join(members)})")
        if exclusive:
            flags.append(exclusive)
        result.append(
            Narrative(
                party=line,
                line=line,
                affiliation=(),
                members=tuple(members),
                claims=tuple(_claim_entry(c, labels) for c in claims),
                flags=tuple(flags),
            )
        )
    return tuple(result)


def _claim_entry(c: Claim, labels: Mapping[str, str]) -> NarrativeClaim:
    return NarrativeClaim(
        id=c.id,
        party=c.party,
        date=c.date,
        forum=c.forum,
        text=c.text,
        supports=tuple(c.supports),
        supports_labels=tuple(labels.get(h, h) for h in c.supports),
        evidence=tuple(c.evidence),
    )
