"""The incident report: one self-contained HTML file a panel member can read and check.

Running the analysis for a report is an act on the record: the result is stored as a
:class:`~enquiry.store.tables.Finding` (with the hash of the exact input and the engine
version), the ledger records an "analysed" event for the finding and an "exported" event with
the report's SHA-256, so a reader holding the file can find the run that produced it.

The HTML carries its styles inline and loads nothing from elsewhere: it opens offline, prints,
and its hash stays meaningful.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import shlex
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy import insert

import enquiry
from enquiry.analysis.inputs import AnalysisInput
from enquiry.analysis.result import (
    AnalysisResult,
    MatrixRow,
    Narrative,
    earlier_wording_warnings,
)
from enquiry.analysis.tables import ICD203_BANDS, resolve
from enquiry.model.sample_custody import BREAK, breaks, has_break
from enquiry.publish.bundle_check import (
    FIGURE_ATTRIBUTE,
    SHOW_ATTRIBUTE,
    FigureIndex,
    figure_text,
    share,
    span,
    value_text,
)
from enquiry.publish.exports import Feature, features, isolated, read_scope, visible
from enquiry.publish.files import write_published
from enquiry.publish.inputs import (
    AnnexItem,
    IncidentContext,
    build_input,
    inputs_hash,
    resting_on,
)
from enquiry.publish.photographs import Photograph, screened
from enquiry.store import Store
from enquiry.store.ledger import utc_now
from enquiry.store.tables import Finding

TEMPLATES = Path(__file__).parent / "templates"

SAMPLE_BREAKS_SHOWN = 5
"""Breaks quoted per sample in the report; the rest are counted (``case custody-check``
lists them all)."""

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
    with store.session() as session:
        inp, context = build_input(session, slug, reveal=reveal)
    return analysis_of(inp, context, unverified=unverified)


def analysis_of(
    inp: AnalysisInput, context: IncidentContext, *, unverified: Sequence[str] = ()
) -> Analysis:
    """Run the engine on an input already read from the catalogue (no side effects).

    Ratings of an earlier wording of their hypothesis are not in ``inp`` (the reader left
    them out); the result names them, in ``earlier_wording`` and in its warnings, so that no
    output computed after a rewording is taken for one that weighed them."""
    from enquiry.analysis import analyse

    result = analyse(inp)
    if context.earlier_wording:
        result = replace(
            result,
            earlier_wording=context.earlier_wording,
            warnings=result.warnings + earlier_wording_warnings(context.earlier_wording),
        )
    if unverified:
        lines = tuple(context.withholding.scrub(str(line)) for line in unverified)
        result = replace(result, unverified=lines)
    return Analysis(inp, result, context, inputs_hash(inp), engine_version())


@dataclass(frozen=True)
class Written:
    """One file a report was written to: HTML or PDF, its hash and size."""

    path: Path
    format: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Published:
    """Where a report went, its hash, and the finding it records (``files`` holds every copy
    written from the one analysis: the HTML and its PDF)."""

    path: Path
    sha256: str
    size: int
    finding_id: int
    analysis: Analysis
    files: tuple[Written, ...] = ()


@dataclass(frozen=True)
class SignOff:
    """Who signed a report, when, and with which key: the slot the signing step fills."""

    signer: str
    signed_at: str
    key_name: str
    fingerprint: str
    note: str = ""


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


def report_format(path: Path) -> str:
    """ "pdf" for a ``.pdf`` file, else "html": the file name says what the reader wants."""
    return "pdf" if path.suffix.lower() == ".pdf" else "html"


def publish_report(
    store: Store,
    slug: str,
    path: Path,
    *,
    also: Sequence[Path] = (),
    reveal: bool = False,
    unverified: Sequence[str] = (),
    sign_off: SignOff | None = None,
    photographs: Sequence[Photograph] = (),
) -> Published:
    """Analyse the incident, store the finding, write the report and record its export.

    ``path`` (and each of ``also``) gets the report as HTML, or as PDF when its name ends in
    ``.pdf``: one analysis, one finding, one page printed two ways, an "exported" event per
    file with its SHA-256. Without ``reveal`` no identifying field, arrival name, origin or text
    of a protected item reaches the report. With ``unverified`` (the failure lines of a
    verification the caller chose to go past) the report is stamped as computed on an
    unverified catalogue and lists them. Deciding either, and recording the decision, is the
    caller's business. ``photographs`` are screened again here (:func:`screened`): none whose
    item is sealed, made from a sealed item, an unconfirmed redaction or kin of protected or
    sensitive evidence is inlined, whoever chose them.
    """
    from enquiry.publish.pdf import html_to_pdf

    photographs = screened(store, photographs, reveal=reveal)
    analysis = analyse_incident(store, slug, reveal=reveal, unverified=unverified)
    with store.session() as session:
        places = features(read_scope(session, incident=slug, reveal=reveal))
    finding_id, created = record_finding(store, analysis)
    page = render_report(
        analysis,
        finding_id=finding_id,
        generated_at=created,
        commands=commands(store.home, slug),
        places=places,
        sign_off=sign_off,
        photographs=photographs,
    )
    written = []
    for target in (path, *also):
        fmt = report_format(target)
        data = html_to_pdf(page) if fmt == "pdf" else page.encode("utf-8")
        digest = write_published(target, data, private=reveal)
        with store.writing() as (_conn, writer):
            writer.append(
                "exported",
                case_id=analysis.context.case_id,
                details={
                    "what": "report",
                    "format": fmt,
                    "incident": slug,
                    "finding": finding_id,
                    "sha256": digest,
                    "size": len(data),
                    "path": str(target.resolve()),
                    **({"revealed": True} if reveal else {}),
                    **({"unverified": True} if analysis.result.unverified else {}),
                    **(
                        {
                            "photographs": [
                                [p.item_id, p.shown_item_id] for p in photographs if p.data
                            ]
                        }
                        if photographs
                        else {}
                    ),
                },
            )
        written.append(Written(target, fmt, digest, len(data)))
    first = written[0]
    return Published(
        first.path, first.sha256, first.size, finding_id, analysis, files=tuple(written)
    )


@dataclass(frozen=True)
class Commands:
    """The commands a report's reader runs to check it, written to work when pasted into a
    shell on the machine that holds the home."""

    verify: str
    analyse: str


def program() -> str:
    """How a shell reaches this enquiry: the absolute path of the ``enquiry`` script beside
    the running interpreter, else the interpreter running the package.

    A bare ``enquiry`` only works in a shell whose PATH holds the virtual environment, which
    is not the shell ``make demo`` leaves a reader in; the report's commands must run when
    pasted into any shell on the machine.
    """
    bindir = Path(os.path.abspath(sys.executable)).parent
    script = bindir / "enquiry"
    if script.is_file() and os.access(script, os.X_OK):
        return shlex.quote(str(script))
    return f"{shlex.quote(os.path.abspath(sys.executable))} -m enquiry.cli"


def commands(home: Path, slug: str) -> Commands:
    """The report footer's commands for this home and incident, quoted for a POSIX shell."""
    where = f"{program()} --home {shlex.quote(str(Path(home).resolve()))}"
    return Commands(verify=f"{where} verify", analyse=f"{where} analyse {shlex.quote(slug)}")


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def finding_body(
    analysis: Analysis, samples: Mapping[str, Any] | bool | None = True
) -> dict[str, Any]:
    """The finding as a bundle carries it (``findings/<incident>.json``): the analysis with its
    inputs and the engine that made it. The report's marked figures are printed from this same
    object, so that a verifier holding the bundle can print them again and compare.

    The scenarios the report computes beside the engine's result — today, the samples whose
    chain of custody breaks set aside together (``samples``: :func:`sample_custody`'s note,
    computed here when left True) — are carried under ``set_aside``, each the engine's own
    :func:`~enquiry.analysis.engine.without_evidence` of the inputs, so that ``enquiry bundle
    verify`` recomputes them as it recomputes the result."""
    body: dict[str, Any] = {
        "incident": analysis.context.slug,
        "engine_version": analysis.engine_version,
        "inputs_sha256": analysis.inputs_hash,
        "inputs": dataclasses.asdict(analysis.input),
        "result": analysis.result.to_dict(),
    }
    note = sample_custody(analysis) if samples is True else samples or None
    scenario = note.get("scenario") if isinstance(note, Mapping) else None
    if scenario is not None:
        body["set_aside"] = {SAMPLES_SET_ASIDE: scenario.to_dict()}
    return body


# The name, in a finding's ``set_aside``, of the scenario without the broken samples.
SAMPLES_SET_ASIDE = "samples with a broken chain of custody"


class Figures:
    """The template's ``figure(show, *paths)``: a figure of the finding, printed the one way
    the bundle's verifier prints it again (:func:`~enquiry.publish.bundle_check.figure_text`)
    and marked with the paths it comes from, so that a report whose numbers are not its
    finding's fails the bundle's check."""

    def __init__(self, analysis: Analysis, samples: Mapping[str, Any] | None) -> None:
        # read back from JSON, as the verifier reads the finding: lists, not tuples
        self.body = json.loads(json.dumps(finding_body(analysis, samples)))
        self.index: FigureIndex = {}

    def __call__(self, show: str, *paths: Sequence[Any], cls: str = "") -> Markup:
        text = figure_text(self.body, paths, show, self.index)
        # the paths as ASCII JSON: an id's invisible characters must not be renamed in them
        where = json.dumps([list(path) for path in paths], ensure_ascii=True)
        shown_class = f' class="{escape(cls)}"' if cls else ""
        return Markup(
            f'<span{shown_class} {FIGURE_ATTRIBUTE}="{escape(where)}"'
            f' {SHOW_ATTRIBUTE}="{escape(show)}">{escape(text)}</span>'
        )


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


def shown(value: Any) -> Any:
    """Every value the report prints, as a reader may trust to see it.

    Text has its invisible and direction-changing characters named (``[U+202E]``, see
    :func:`~enquiry.publish.exports.visible`) and, when it holds right-to-left letters, is
    isolated so it cannot reorder the words around it; markup the report built (citations,
    the map) has the same characters named and is otherwise left alone. Autoescaping then
    escapes the text as usual. It is the template's ``finalize``, so no field, label or
    attribute can be printed without it."""
    if isinstance(value, Markup):
        return Markup(visible(str(value)))
    if isinstance(value, str):
        return isolated(visible(value))
    return value


@cache
def _environment() -> Environment:
    """The report's template environment, made once per process: it keeps the templates it
    has compiled, and compiling the report's is most of the cost of rendering a small case."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=shown,
    )
    env.filters["number"] = _number
    env.filters["rating_colour"] = _cell_colour
    env.filters["lr_colour"] = _lr_colour
    env.filters["sentence"] = _sentence
    env.filters["when"] = _when
    env.filters["window"] = _window
    env.filters["share"] = share
    env.filters["span"] = span
    env.filters["day"] = _day
    env.filters["milestone"] = milestone_text
    env.globals["RATING_WORDS"] = RATING_WORDS
    return env


def _day(value: Any) -> str:
    """A date or time as its calendar day (YYYY-MM-DD), or "–"."""
    text = str(value or "")
    return text[:10] if len(text) >= 10 else (text or "–")


class Notes:
    """The report's notes: every statement cites the items, claims or sources it rests on.

    Templates call :meth:`cite` where a statement is made; the same reference always gets the
    same number, numbered in the order first cited, and the notes list printed at the end says
    what each number is (an item with its source, grade, date and SHA-256; a claim with who
    said it, when and where; or a named source).
    """

    def __init__(self, analysis: Analysis) -> None:
        self._annex = {a.key: a for a in analysis.context.annex}
        self._claims = {c.id: c for c in analysis.input.claims}
        self._evidence = {e.id: e for e in analysis.input.evidence}
        self._numbers: dict[str, int] = {}
        self.entries: list[dict[str, Any]] = []

    def cite(self, *refs: str) -> Markup:
        """Superscript links to the notes for ``refs`` (item or claim keys, or any source)."""
        links = []
        for ref in dict.fromkeys(r for r in refs if r):
            number = self._numbers.get(ref)
            if number is None:
                number = self._numbers[ref] = len(self.entries) + 1
                self.entries.append(self._entry(number, ref))
            links.append(Markup('<a href="#note-{0}">{0}</a>').format(number))
        if not links:
            return Markup("")
        return Markup('<sup class="cite">') + Markup(",").join(links) + Markup("</sup>")

    def _entry(self, number: int, ref: str) -> dict[str, Any]:
        item: AnnexItem | None = self._annex.get(ref)
        if item is not None:
            grade = f"{item.reliability}{item.credibility or ''}"
            dated = f"{item.dated[0]} {item.dated[1]}" if item.dated else "date not recorded"
            return {
                "number": number,
                "ref": ref,
                "what": "item",
                "text": f"{item.title}. Source: {item.source or 'unknown'}, grade {grade}; "
                f"{dated}.",
                "sha256": item.sha256,
            }
        claim = self._claims.get(ref)
        if claim is not None:
            where = f", {claim.forum}" if claim.forum else ""
            return {
                "number": number,
                "ref": ref,
                "what": "claim",
                "text": f"{claim.party}, {claim.date or 'undated'}{where}.",
                "sha256": None,
            }
        evidence = self._evidence.get(ref)
        if evidence is not None:
            return {
                "number": number,
                "ref": ref,
                "what": evidence.kind,
                "text": f"{evidence.label}. Source: {evidence.source or 'unknown'}, grade "
                f"{evidence.reliability}{evidence.credibility}.",
                "sha256": evidence.sha256,
            }
        return {"number": number, "ref": "", "what": "source", "text": ref, "sha256": None}


def matrix_rows(analysis: Analysis) -> list[dict[str, Any]]:
    """The heat map's rows: each rated item with its grades, ratings and rationale per cell.

    The weights shown are the engine's own per-cell log-likelihoods from its ``matrix`` (after
    source reliability and credibility), so the colours are the numbers the posterior was
    computed from, not a second calculation.
    """
    engine_rows = {row.evidence: row for row in analysis.result.matrix.rows}
    # a cell whose latest rating judged an earlier wording shows it was set aside
    earlier = {(e.evidence, e.hypothesis): e.given() for e in analysis.result.earlier_wording}
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
                    "rated": bool(rating),
                    "rating": rating or ("p=" + _number(likelihood) if likelihood else "–"),
                    "colour": _cell_colour(rating) if rating else _lr_colour(weight),
                    "weight": weight,
                    "rationale": ev.rationale.get(hyp.id, ""),
                    "earlier": earlier.get((ev.id, hyp.id), ""),
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


def against_leader(analysis: Analysis, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
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


def timelines(analysis: Analysis) -> list[dict[str, Any]]:
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


def _supporting(rows: Sequence[Mapping[str, Any]], leader: str, count: int = 4) -> list[str]:
    """The items that weigh most for the leading hypothesis, strongest first: what the
    executive summary cites."""
    weights = []
    for row in rows:
        cell = next((c for c in row["cells"] if c["hypothesis"] == leader), None)
        weight = cell["weight"] if cell is not None else None
        if weight is not None and weight > 0.05 and row["counted"]:
            weights.append((weight, row["id"]))
    weights.sort(key=lambda w: -w[0])
    return [ref for _w, ref in weights[:count]]


def _chronology(analysis: Analysis) -> list[dict[str, Any]]:
    """The incident's story in date order: the established window, what the items are dated,
    what the parties said, the figures published and the replies received."""
    ctx = analysis.context
    entries: list[dict[str, Any]] = []
    if ctx.window:
        entries.append(
            {
                "date": str(ctx.window["start"]),
                "what": "incident",
                "text": f"{ctx.title or ctx.slug}: established window {_window(ctx.window)}"
                + (f", {ctx.place.get('name')}" if ctx.place.get("name") else ""),
                "refs": (),
            }
        )
    for item in ctx.annex:
        if item.dated is not None:
            entries.append(
                {
                    "date": item.dated[1],
                    "what": item.dated[0],
                    "text": item.title,
                    "refs": (item.key,),
                }
            )
    for claim in analysis.input.claims:
        if claim.date:
            text = claim.text if len(claim.text) <= 180 else claim.text[:177] + "…"
            entries.append(
                {
                    "date": claim.date,
                    "what": "claim",
                    "text": f"{claim.party}: “{text}”",
                    "refs": (claim.id,),
                }
            )
    for figure in ctx.casualties:
        if figure.get("published"):
            entries.append(
                {
                    "date": str(figure["published"]),
                    "what": "casualty figure",
                    "text": f"{figure.get('source', '')} publishes its casualty figures",
                    "refs": (str(figure.get("source", "")),),
                }
            )
    for reply in ctx.replies:
        if reply.get("date"):
            entries.append(
                {
                    "date": str(reply["date"]),
                    "what": "reply",
                    "text": f"{reply.get('party', '')} replies: {reply.get('summary', '')}",
                    "refs": (str(reply.get("reference") or reply.get("party", "")),),
                }
            )
    entries.sort(key=lambda e: (e["date"][:10], e["what"] != "incident", e["date"]))
    return entries


def _limitations(
    analysis: Analysis, rows: Sequence[Mapping[str, Any]], against: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """What the assessment cannot carry, worked out from the input and the result, each with
    the items it is about."""
    result = analysis.result
    out: list[dict[str, Any]] = []
    ungraded = [r["id"] for r in rows if str(r["grade"]).startswith("F")]
    if ungraded:
        out.append(
            {
                "text": f"{len(ungraded)} rated item(s) come from sources whose reliability "
                "cannot be judged (F) and carry no weight until they are graded.",
                "refs": ungraded,
            }
        )
    flat = [r["id"] for r in rows if not r["diagnostic"]]
    if flat:
        out.append(
            {
                "text": f"{len(flat)} rated item(s) fit every hypothesis about alike and do "
                "not help to choose between them.",
                "refs": flat,
            }
        )
    clusters: dict[str, list[str]] = {}
    for row in rows:
        if row["cluster"]:
            clusters.setdefault(row["cluster"], []).append(row["id"])
    if clusters:
        out.append(
            {
                "text": f"{len(clusters)} group(s) of items share an origin; each group is "
                "counted as one item at the conservative end of the range, since they may "
                "repeat one another.",
                "refs": [i for ids in clusters.values() for i in ids],
            }
        )
    if against:
        out.append(
            {
                "text": f"{len(against)} rated item(s) cut against the conclusion; they are "
                "weighed, not set aside (see the sensitivity section).",
                "refs": [r["id"] for r in against],
            }
        )
    protected = [a.key for a in analysis.context.annex if a.protected]
    if protected:
        out.append(
            {
                "text": f"{len(protected)} item(s) are protected: their content was weighed, "
                "but who gave them is withheld from this report, so a reader cannot check "
                "those sources directly.",
                "refs": protected,
            }
        )
    if len(analysis.context.casualties) > 1:
        out.append(
            {
                "text": f"The {len(analysis.context.casualties)} casualty figures disagree "
                "and are not reconciled.",
                "refs": [str(c.get("source", "")) for c in analysis.context.casualties],
            }
        )
    broken = [a.key for a in analysis.context.annex if has_break(a.sample_custody)]
    if broken:
        out.append(
            {
                "text": f"{len(broken)} environmental sample(s) have a recorded chain of custody"
                " that does not hold from collection to the laboratory (see section 8).",
                "refs": broken,
            }
        )
    for bundle in analysis.context.taken_in:
        if bundle.get("vouched"):
            continue
        name = value_text(bundle.get("key") or "", 60)
        fingerprint = str(bundle.get("fingerprint") or "")[:16]
        signed = (
            f"signed by a key calling itself '{name}' (fingerprint {fingerprint}) that nothing"
            " in this home vouched for"
            if fingerprint
            else "that is not signed"
        )
        out.append(
            {
                "text": f"This case was taken in on {_day(bundle.get('at'))} from a bundle"
                f" {signed} (manifest SHA-256 {str(bundle.get('manifest_sha256'))[:16]}…):"
                " what it brought — its items, their custody before that day, its ratings —"
                " rests on the word of whoever made that bundle.",
                "refs": [],
            }
        )
    unsupported = sorted(
        {c for n in result.narratives for f in n.flags if f.type == "unsupported" for c in f.claims}
    )
    if unsupported:
        out.append(
            {
                "text": f"{len(unsupported)} claim(s) by the parties came with no evidence "
                "item; they are recorded, not weighed as evidence.",
                "refs": unsupported,
            }
        )
    return out


def sample_custody(analysis: Analysis) -> dict[str, Any] | None:
    """The report's note on the case's environmental samples (None when it has none): the
    samples whose recorded chain of custody breaks, each with its breaks, and whether the
    leading hypothesis still leads with them set aside together — one more scenario of the
    sensitivity analysis (:func:`~enquiry.analysis.engine.without_evidence`), so the reader
    sees at once whether the conclusion rests on evidence a party will attack first."""
    from enquiry.analysis.engine import without_evidence

    samples = [a for a in analysis.context.annex if a.sample_custody is not None]
    if not samples:
        return None
    broken = [a for a in samples if has_break(a.sample_custody)]
    scenario = None
    keys = {a.key for a in broken}
    if broken:
        # what rests on the samples goes with them: items derived from them, claims read from them
        resting = resting_on(analysis.context, keys)
        try:
            scenario = without_evidence(analysis.input, sorted(resting))
        except ValueError:
            scenario = None
    weighed = set(scenario.evidence) if scenario is not None else set()
    return {
        "samples": len(samples),
        "broken": [
            {
                "key": a.key,
                "title": a.title,
                "weighed": a.key in weighed,
                "breaks": [f for f in a.sample_custody or () if f.severity == BREAK][
                    :SAMPLE_BREAKS_SHOWN
                ],
                "more": max(0, breaks(a.sample_custody or ()) - SAMPLE_BREAKS_SHOWN),
                "warnings": sum(1 for f in a.sample_custody or () if f.severity != BREAK),
            }
            for a in broken
        ],
        "warned": [a.key for a in samples if a.sample_custody and not has_break(a.sample_custody)],
        "scenario": scenario,
        # weighed here and set aside with the samples, resting on them (in the engine's order)
        "with_them": [key for key in (scenario.evidence if scenario else ()) if key not in keys],
        "case": analysis.context.case,
    }


def milestone_text(milestone: Any) -> str:
    """What it would take to move an account, in words and rounded shares (the engine's own
    explanation carries its numbers to three significant digits)."""
    who = milestone.hypothesis
    if milestone.leads:
        text = (
            f"{who} leads; one more independent item graded {milestone.grade}, very inconsistent "
            f"with it and very consistent with its rivals, would take it from "
            f"{share(milestone.posterior)} to {share(milestone.if_refuting_item)}"
        )
        tail = "would overturn it"
    else:
        text = (
            f"One more independent item graded {milestone.grade}, very consistent with {who} and "
            f"very inconsistent with its rivals, would take it from {share(milestone.posterior)} "
            f"to {share(milestone.if_confirming_item)}"
        )
        tail = "would make it lead"
    if milestone.items_needed:
        return f"{text}; {milestone.items_needed} such items {tail}."
    return f"{text}; no number of such items tested {tail}."


def _open_questions(analysis: Analysis) -> list[str]:
    """What is still open: hypotheses the evidence does not exclude, and what would move the
    assessment (the engine's milestones and linchpins)."""
    result = analysis.result
    out = []
    for hyp in result.hypotheses:
        if hyp.id != result.leading and max(hyp.posterior_low, hyp.posterior_high) >= 0.05:
            out.append(
                f"{hyp.id} ({hyp.label}) is not excluded: "
                f"{span(hyp.posterior_low, hyp.posterior_high)}."
            )
    for pin in result.sensitivity.linchpins:
        out.append(
            f"The conclusion depends on {', '.join(pin.evidence)}: {pin.change} would leave "
            f"{pin.leader_after} leading at {share(pin.leader_posterior_after)}."
        )
    for milestone in result.milestones:
        if milestone.hypothesis != result.leading:
            out.append(milestone_text(milestone))
    return out


def render_report(
    analysis: Analysis,
    *,
    finding_id: int | None,
    generated_at: str,
    commands: Commands | None = None,
    places: Sequence[Feature] = (),
    sign_off: SignOff | None = None,
    photographs: Sequence[Photograph] = (),
) -> str:
    """The report as one HTML page (inline CSS, no scripts, nothing fetched) that prints as
    it reads: the same page makes the PDF.

    ``commands`` are the footer's verify and re-run commands; without them (a page rendered
    away from its home) the footer names the commands without a home. ``places`` are drawn on
    the map; ``sign_off`` fills the signature slot (unsigned without it).
    """
    from enquiry.publish.mapsvg import draw

    result = analysis.result
    template = _environment().get_template("report.html.j2")
    rows = matrix_rows(analysis)
    against = against_leader(analysis, rows)
    slug = analysis.context.slug
    radius = analysis.context.place.get("radius_km")
    svg, markers = draw(places, float(radius) if isinstance(radius, int | float) else None)
    notes = Notes(analysis)
    tables = resolve(analysis.input)
    hyp_labels = {h.id: h.label for h in analysis.input.hypotheses}
    samples = sample_custody(analysis)
    return template.render(
        figure=Figures(analysis, samples),
        notes=notes,
        cite=notes.cite,
        supporting=_supporting(rows, result.leading),
        chronology=_chronology(analysis),
        limitations=_limitations(analysis, rows, against),
        open_questions=_open_questions(analysis),
        map_svg=Markup(svg),
        markers=markers,
        sign_off=sign_off,
        tables=tables,
        bands=ICD203_BANDS,
        hyp_labels=hyp_labels,
        met=[s for s in result.standards.levels if s.met],
        ctx=analysis.context,
        result=result,
        hypotheses=result.hypotheses,
        leading=result.leader,
        matrix=rows,
        against=against,
        matrix_hypotheses=[h.id for h in analysis.input.hypotheses],
        timelines=timelines(analysis),
        casualties=_casualty_rows(analysis.context),
        standards=result.standards.levels,
        linchpins=result.sensitivity.linchpins,
        sensitivity=result.sensitivity,
        milestones=result.milestones,
        samples=samples,
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
