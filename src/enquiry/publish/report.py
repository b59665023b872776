"""The incident report: one self-contained HTML file a panel member can read and check.

Running the analysis for a report is an act on the record: the result is stored as a
:class:`~enquiry.store.tables.Finding` (with the hash of the exact input and the engine
version), the ledger records an "analysed" event for the finding and an "exported" event with
the report's SHA-256, so a reader holding the file can find the run that produced it.

The HTML carries its styles inline and loads nothing from elsewhere: it opens offline, prints,
and its hash stays meaningful.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import insert

import enquiry
from enquiry.analysis.inputs import AnalysisInput
from enquiry.publish.inputs import IncidentContext, build_input, inputs_hash
from enquiry.store import Store
from enquiry.store.ledger import utc_now
from enquiry.store.tables import Finding

TEMPLATES = Path(__file__).parent / "templates"

RATING_WORDS = {
    "CC": "very consistent",
    "C": "consistent",
    "N": "neutral",
    "I": "inconsistent",
    "II": "very inconsistent",
    "NA": "not applicable",
}


@dataclass(frozen=True)
class Analysis:
    """One analysis of one incident: what went in, what came out, and the report context."""

    input: AnalysisInput
    result: dict[str, Any]
    context: IncidentContext
    inputs_hash: str
    engine_version: str


def engine_version() -> str:
    """The analysis engine's version as recorded with each finding."""
    from enquiry import analysis

    return str(
        getattr(analysis, "ENGINE_VERSION", getattr(analysis, "__version__", enquiry.__version__))
    )


def analyse_incident(store: Store, slug: str) -> Analysis:
    """Read the incident from the catalogue and run the engine on it (no side effects)."""
    from enquiry.analysis import analyse

    with store.session() as session:
        inp, context = build_input(session, slug)
    result = analyse(inp)
    return Analysis(inp, dict(result), context, inputs_hash(inp), engine_version())


@dataclass(frozen=True)
class Published:
    """Where a report went, its hash, and the finding it records."""

    path: Path
    sha256: str
    size: int
    finding_id: int
    analysis: Analysis


def record_finding(store: Store, analysis: Analysis) -> tuple[int, str]:
    """Store the analysis as a finding and record an "analysed" event; return its id and time."""
    created = utc_now()
    with store.writing() as (conn, writer):
        new = conn.execute(
            insert(Finding).values(
                incident_id=analysis.context.incident_id,
                inputs_hash=analysis.inputs_hash,
                engine_version=analysis.engine_version,
                result=json.loads(json.dumps(analysis.result, default=str)),
                created_at=created,
            )
        ).inserted_primary_key
        assert new is not None
        finding_id = int(new[0])
        writer.append(
            "analysed",
            case_id=analysis.context.case_id,
            details={
                "incident": analysis.context.slug,
                "finding": finding_id,
                "inputs_sha256": analysis.inputs_hash,
                "engine": analysis.engine_version,
                "leading": analysis.result.get("leading"),
            },
        )
    return finding_id, created


def publish_report(store: Store, slug: str, path: Path) -> Published:
    """Analyse the incident, store the finding, write the HTML report and record its export."""
    analysis = analyse_incident(store, slug)
    finding_id, created = record_finding(store, analysis)
    page = render_report(analysis, finding_id=finding_id, generated_at=created)
    data = page.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    temp.write_bytes(data)
    temp.replace(path)
    digest = hashlib.sha256(data).hexdigest()
    with store.writing() as (_conn, writer):
        writer.append(
            "exported",
            case_id=analysis.context.case_id,
            details={
                "what": "report",
                "format": "html",
                "incident": slug,
                "finding": finding_id,
                "sha256": digest,
                "size": len(data),
                "path": str(path.resolve()),
            },
        )
    return Published(path, digest, len(data), finding_id, analysis)


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def _percent(value: Any, digits: int = 1) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value):
        return "–"
    return f"{100 * value:.{digits}f}%"


def _number(value: Any, digits: int = 2) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return "–" if value is None else str(value)


def _cell_colour(rating: str | None) -> str:
    return {
        "CC": "#1a7f37",
        "C": "#7cc48c",
        "N": "#eeeeee",
        "I": "#f2a39b",
        "II": "#c0392b",
        "NA": "#ffffff",
    }.get(rating or "", "#ffffff")


def _lr_colour(value: Any) -> str:
    """A diverging colour for a log-likelihood contribution: green for, red against."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "#ffffff"
    strength = min(abs(value) / 2.0, 1.0)
    if value >= 0:
        r, g, b = 255 - int(200 * strength), 255 - int(90 * strength), 255 - int(180 * strength)
    else:
        r, g, b = 255 - int(60 * strength), 255 - int(200 * strength), 255 - int(200 * strength)
    return f"#{r:02x}{g:02x}{b:02x}"


def _sentence(value: Any) -> str:
    """Text with its first letter capitalised (labels are written to sit inside a sentence)."""
    text = str(value or "")
    return text[:1].upper() + text[1:]


def _when(value: Any) -> str:
    """An ISO 8601 UTC time as a reader scans it: to the second, with 'UTC'."""
    text = str(value or "")
    if len(text) >= 19 and text.endswith("Z"):
        return f"{text[:10]} {text[11:19]} UTC"
    return text or "–"


def _window(window: Any) -> str:
    """An established time window as a reader says it: one date, two times, the offset."""
    if not isinstance(window, Mapping):
        return "not established"
    start, end = str(window.get("start", "")), str(window.get("end", ""))
    try:
        first, last = datetime.fromisoformat(start), datetime.fromisoformat(end)
    except ValueError:
        return f"{start} to {end}"
    offset = first.strftime("%z")
    zone = f" (UTC{offset[:3]}:{offset[3:]})" if offset else " (local time)"
    if first.date() == last.date() and first.utcoffset() == last.utcoffset():
        return f"{first:%Y-%m-%d} {first:%H:%M}–{last:%H:%M}{zone}"
    return f"{first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M}{zone}"


def _plain(value: Any) -> str:
    """Any JSON value as compact readable text (for parts of the result without a layout)."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return _number(value, 3)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    return _number(value)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["percent"] = _percent
    env.filters["number"] = _number
    env.filters["rating_colour"] = _cell_colour
    env.filters["lr_colour"] = _lr_colour
    env.filters["plain"] = _plain
    env.filters["sentence"] = _sentence
    env.filters["when"] = _when
    env.filters["window"] = _window
    env.globals["RATING_WORDS"] = RATING_WORDS
    return env


def _matrix_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """The heat map's rows: each rated item with its grades, ratings and rationale per cell.

    The weights shown are the engine's own per-cell log-likelihoods from its ``matrix`` (after
    source reliability and credibility), so the colours are the numbers the posterior was
    computed from, not a second calculation.
    """
    engine_rows = _engine_rows(analysis.result.get("matrix"))
    rows = []
    for ev in analysis.input.evidence:
        engine = engine_rows.get(ev.id, {})
        engine_cells = engine.get("cells") or {}
        cells = []
        for hyp in analysis.input.hypotheses:
            rating = ev.ratings.get(hyp.id)
            likelihood = ev.likelihoods.get(hyp.id)
            weight = (engine_cells.get(hyp.id) or {}).get("log_lr")
            cells.append(
                {
                    "hypothesis": hyp.id,
                    "rating": rating or ("p=" + _number(likelihood) if likelihood else "–"),
                    "colour": _cell_colour(rating) if rating else _lr_colour(weight),
                    "weight": weight if isinstance(weight, int | float) else None,
                    "rationale": ev.rationale.get(hyp.id, ""),
                }
            )
        texts = {c["rationale"] for c in cells}
        rows.append(
            {
                "rationale_all": texts.pop() if len(texts) == 1 else None,
                "id": ev.id,
                "label": ev.label,
                "kind": ev.kind,
                "source": ev.source or "",
                "grade": f"{ev.reliability}{ev.credibility}",
                "cluster": ev.cluster or "",
                "cells": cells,
                "range": engine.get("log_lr_range"),
                "diagnostic": engine.get("diagnostic", True),
                "counted": engine.get("counted", True),
            }
        )
    return rows


def _engine_rows(matrix: Any) -> dict[str, Mapping[str, Any]]:
    if not isinstance(matrix, Mapping):
        return {}
    rows = matrix.get("rows") or []
    return {
        str(row["evidence"]): row for row in rows if isinstance(row, Mapping) and "evidence" in row
    }


def _against_leader(analysis: Analysis, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rated evidence that cuts against the leading hypothesis, strongest first.

    A reader must see what the conclusion had to overcome (the JIM's own anomalies among it),
    not only what supports it.
    """
    leader = analysis.result.get("leading")
    out = []
    for row in rows:
        cell = next((c for c in row["cells"] if c["hypothesis"] == leader), None)
        if cell is None:
            continue
        weight = cell["weight"]
        if cell["rating"] in ("I", "II") or (weight is not None and weight < -0.05):
            out.append({**row, "leader_cell": cell})
    out.sort(key=lambda r: r["leader_cell"]["weight"] or 0.0)
    return out


def _timelines(analysis: Analysis) -> list[dict[str, Any]]:
    """Each party line's claims in date order, with every flag the engine raised on it.

    The engine judges each speaker and, where several speak for one state, the state's whole
    line; a reader wants one timeline per line (the Russian Federation: Konashenkov, Ulyanov,
    Safronkov) carrying both the line's flags and each speaker's.
    """
    labels = {h.id: h.label for h in analysis.input.hypotheses}
    claims = {c.id: c for c in analysis.input.claims}
    groups: dict[str, dict[str, Any]] = {}
    for entry in analysis.result.get("narratives", []) or []:
        if not isinstance(entry, Mapping):
            continue
        party = str(entry.get("party", ""))
        line = str(entry.get("line") or party)
        group = groups.setdefault(line, {"party": line, "members": [], "ids": [], "flags": []})
        members = [str(m) for m in entry.get("members") or [party]]
        is_line = len(members) > 1 and party == line
        flags = list(entry.get("flags") or [])
        group["flags"] = flags + group["flags"] if is_line else group["flags"] + flags
        for member in members:
            if member not in group["members"]:
                group["members"].append(member)
        for claim in entry.get("claims") or []:
            claim_id = str(claim.get("id") if isinstance(claim, Mapping) else claim)
            if claim_id in claims and claim_id not in group["ids"]:
                group["ids"].append(claim_id)
    out: list[dict[str, Any]] = []
    for group in groups.values():
        flags = group["flags"]
        flagged = {str(c) for f in flags for c in (f.get("claims") or [])}
        entries = [
            {
                "id": c.id,
                "date": c.date,
                "actor": c.party,
                "forum": c.forum,
                "text": c.text,
                "supports": [(h, labels.get(h, h)) for h in c.supports],
                "unsupported": not c.evidence,
                "flagged": c.id in flagged,
            }
            for c in sorted((claims[i] for i in group["ids"]), key=lambda c: (c.date, c.id))
        ]
        if not entries:
            continue
        out.append(
            {
                "party": group["party"],
                "speakers": [m for m in group["members"] if m != group["party"]],
                "claims": entries,
                "flags": flags,
                "main_flags": [f for f in flags if f.get("type") != "unsupported"],
                "unsupported": [
                    c
                    for f in flags
                    if f.get("type") == "unsupported"
                    for c in f.get("claims") or []
                ],
                "first": entries[0]["date"],
            }
        )
    out.sort(key=lambda p: (-len(p["main_flags"]), p["first"]))
    return out


def _casualty_rows(context: IncidentContext) -> list[dict[str, str]]:
    rows = []
    for figure in context.casualties:
        killed = figure.get("killed")
        low, high = figure.get("killed_min"), figure.get("killed_max")
        if killed is None and low is not None:
            killed = f"{low}–{high}" if high is not None else f"at least {low}"
        rows.append(
            {
                "source": str(figure.get("source", "")),
                "published": str(figure.get("published", "")),
                "killed": _number(killed),
                "children": _number(figure.get("children_killed")),
                "women": _number(figure.get("women_killed")),
                "injured": _number(figure.get("injured")),
                "note": str(figure.get("note", "")),
            }
        )
    return rows


def render_report(analysis: Analysis, *, finding_id: int | None, generated_at: str) -> str:
    """The report as one HTML page (inline CSS, no scripts, nothing fetched)."""
    result = analysis.result
    hypotheses = list(result.get("hypotheses", []))
    leading_id = result.get("leading")
    leading = next((h for h in hypotheses if h.get("id") == leading_id), None)
    template = _environment().get_template("report.html.j2")
    rows = _matrix_rows(analysis)
    return template.render(
        ctx=analysis.context,
        result=result,
        hypotheses=hypotheses,
        leading=leading,
        matrix=rows,
        against=_against_leader(analysis, rows),
        matrix_hypotheses=[h.id for h in analysis.input.hypotheses],
        timelines=_timelines(analysis),
        casualties=_casualty_rows(analysis.context),
        standards=_standards(result.get("standards"), result.get("standards_basis")),
        linchpins=_as_list(result.get("linchpins")),
        sensitivity=result.get("sensitivity"),
        milestones=_as_list(result.get("milestones")),
        finding_id=finding_id,
        generated_at=generated_at,
        inputs_hash=analysis.inputs_hash,
        engine_version=analysis.engine_version,
        version=enquiry.__version__,
        evidence_count=len(analysis.input.evidence),
        title=html.unescape(analysis.context.title or analysis.context.slug),
    )


def _standards(value: Any, basis: Any) -> list[dict[str, Any]]:
    """Each standard of proof, whether the leader met it, and its threshold when given."""
    if not isinstance(value, Mapping):
        return []
    thresholds = basis.get("thresholds", {}) if isinstance(basis, Mapping) else {}
    return [
        {"name": name, "met": bool(met), "threshold": thresholds.get(name)}
        for name, met in sorted(value.items(), key=lambda kv: thresholds.get(kv[0], 0))
    ]


def _as_list(value: Any) -> Sequence[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, Mapping):
        return [{"name": k, "value": v} for k, v in value.items()]
    return [value]
