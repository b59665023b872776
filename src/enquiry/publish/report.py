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
import math
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import insert

import enquiry
from enquiry.analysis.inputs import AnalysisInput
from enquiry.analysis.result import AnalysisResult, MatrixRow, Narrative
from enquiry.publish.inputs import IncidentContext, build_input, inputs_hash
from enquiry.publish.photographs import Photograph
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
    result: AnalysisResult
    context: IncidentContext
    inputs_hash: str
    engine_version: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON that ``enquiry analyse --json`` prints: the engine's published result with
        the incident's title and the hash of the exact input it was computed from."""
        payload = self.result.to_dict()
        payload["title"] = self.context.title
        payload["inputs_sha256"] = self.inputs_hash
        payload["engine_version"] = self.engine_version
        return payload


def engine_version() -> str:
    """The analysis engine's version as recorded with each finding."""
    from enquiry import analysis

    return str(
        getattr(analysis, "ENGINE_VERSION", getattr(analysis, "__version__", enquiry.__version__))
    )


def analyse_incident(
    store: Store, slug: str, *, reveal: bool = False, unverified: Sequence[str] = ()
) -> Analysis:
    """Read the incident from the catalogue and run the engine on it (no side effects).

    Protected items enter the engine without their identities (see
    :func:`~enquiry.publish.inputs.build_input`) unless ``reveal``; the caller decides and
    records a reveal. ``unverified`` are the failure lines of a verification the caller ran and
    chose to go past: the result carries them, and its JSON says ``unverified: true``.
    """
    from enquiry.analysis import analyse

    with store.session() as session:
        inp, context = build_input(session, slug, reveal=reveal)
    result = analyse(inp)
    if unverified:
        lines = tuple(context.withholding.scrub(str(line)) for line in unverified)
        result = replace(result, unverified=lines)
    return Analysis(inp, result, context, inputs_hash(inp), engine_version())


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
                result=analysis.result.to_dict(),
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
                "leading": analysis.result.leading,
                **({"unverified": True} if analysis.result.unverified else {}),
            },
        )
    return finding_id, created


def publish_report(
    store: Store,
    slug: str,
    path: Path,
    *,
    reveal: bool = False,
    unverified: Sequence[str] = (),
    photographs: Sequence[Photograph] = (),
) -> Published:
    """Analyse the incident, store the finding, write the HTML report and record its export.

    Without ``reveal`` no identifying field, arrival name, origin or text of a protected item
    reaches the report. With ``unverified`` (the failure lines of a verification the caller
    chose to go past) the report is stamped as computed on an unverified catalogue and lists
    them. Deciding either, and recording the decision, is the caller's business.
    """
    analysis = analyse_incident(store, slug, reveal=reveal, unverified=unverified)
    finding_id, created = record_finding(store, analysis)
    page = render_report(
        analysis,
        finding_id=finding_id,
        generated_at=created,
        commands=commands(store.home, slug),
        photographs=photographs,
    )
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
                **({"revealed": True} if reveal else {}),
                **({"unverified": True} if analysis.result.unverified else {}),
                **(
                    {"photographs": [[p.item_id, p.shown_item_id] for p in photographs if p.data]}
                    if photographs
                    else {}
                ),
            },
        )
    return Published(path, digest, len(data), finding_id, analysis)


@dataclass(frozen=True)
class Commands:
    """The commands a report's reader runs to check it, written to work when pasted into a
    shell on the machine that holds the home."""

    verify: str
    analyse: str


def commands(home: Path, slug: str) -> Commands:
    """The report footer's commands for this home and incident, quoted for a POSIX shell."""
    where = f"enquiry --home {shlex.quote(str(home))}"
    return Commands(verify=f"{where} verify", analyse=f"{where} analyse {shlex.quote(slug)}")


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
    engine_rows = {row.evidence: row for row in analysis.result.matrix.rows}
    rows = []
    for ev in analysis.input.evidence:
        engine: MatrixRow | None = engine_rows.get(ev.id)
        cells = []
        for hyp in analysis.input.hypotheses:
            rating = ev.ratings.get(hyp.id)
            likelihood = ev.likelihoods.get(hyp.id)
            cell = engine.cell(hyp.id) if engine is not None else None
            weight = cell.log_lr if cell is not None else None
            cells.append(
                {
                    "hypothesis": hyp.id,
                    "rating": rating or ("p=" + _number(likelihood) if likelihood else "–"),
                    "colour": _cell_colour(rating) if rating else _lr_colour(weight),
                    "weight": weight,
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
                "record": engine.record if engine is not None else "",
                "cluster": ev.cluster or "",
                "cells": cells,
                "range": engine.log_lr_range if engine is not None else None,
                "diagnostic": engine.diagnostic if engine is not None else True,
                "counted": engine.counted if engine is not None else True,
            }
        )
    return rows


def _against_leader(analysis: Analysis, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The rated evidence that cuts against the leading hypothesis, strongest first.

    A reader must see what the conclusion had to overcome (the JIM's own anomalies among it),
    not only what supports it.
    """
    leader = analysis.result.leading
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
    entry: Narrative
    for entry in analysis.result.narratives:
        line = entry.line or entry.party
        group = groups.setdefault(line, {"party": line, "members": [], "ids": [], "flags": []})
        members = list(entry.members) or [entry.party]
        is_line = len(members) > 1 and entry.party == line
        flags = list(entry.flags)
        group["flags"] = flags + group["flags"] if is_line else group["flags"] + flags
        for member in members:
            if member not in group["members"]:
                group["members"].append(member)
        for claim in entry.claims:
            if claim.id in claims and claim.id not in group["ids"]:
                group["ids"].append(claim.id)
    out: list[dict[str, Any]] = []
    for group in groups.values():
        flags = group["flags"]
        flagged = {c for f in flags for c in f.claims}
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
                "main_flags": [f for f in flags if f.type != "unsupported"],
                "unsupported": [c for f in flags if f.type == "unsupported" for c in f.claims],
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


def render_report(
    analysis: Analysis,
    *,
    finding_id: int | None,
    generated_at: str,
    commands: Commands | None = None,
    photographs: Sequence[Photograph] = (),
) -> str:
    """The report as one HTML page (inline CSS, no scripts, nothing fetched).

    ``commands`` are the footer's verify and re-run commands; without them (a page rendered
    away from its home) the footer names the commands without a home.
    """
    result = analysis.result
    template = _environment().get_template("report.html.j2")
    rows = _matrix_rows(analysis)
    slug = analysis.context.slug
    return template.render(
        ctx=analysis.context,
        result=result,
        hypotheses=result.hypotheses,
        leading=result.leader,
        matrix=rows,
        against=_against_leader(analysis, rows),
        matrix_hypotheses=[h.id for h in analysis.input.hypotheses],
        timelines=_timelines(analysis),
        casualties=_casualty_rows(analysis.context),
        standards=result.standards.levels,
        linchpins=result.sensitivity.linchpins,
        sensitivity=result.sensitivity,
        milestones=result.milestones,
        unverified=result.unverified,
        commands=commands
        or Commands(verify="enquiry verify", analyse=f"enquiry analyse {shlex.quote(slug)}"),
        finding_id=finding_id,
        generated_at=generated_at,
        inputs_hash=analysis.inputs_hash,
        engine_version=analysis.engine_version,
        version=enquiry.__version__,
        evidence_count=len(analysis.input.evidence),
        title=html.unescape(analysis.context.title or analysis.context.slug),
        photographs=list(photographs),
    )
