"""Commands of the analysis family: load and dump case files, analyse, report, and the demo."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from enquiry.cli import App, fail, pass_app, safe
from enquiry.intake.casefile import (
    CaseFileError,
    builtin_case,
    dump_case,
    load_case_file,
    to_yaml,
)
from enquiry.publish.inputs import UnknownIncident

if TYPE_CHECKING:
    from enquiry.analysis.result import Flag, Narrative
    from enquiry.publish.report import Analysis

DEMO_INCIDENT = "khan-shaykhun-2017-04-04"


def _extractors() -> list[Any]:
    from enquiry.enrich import default_extractors

    return list(default_extractors())


@click.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def load_command(app: App, file: Path) -> None:
    """Load a case file (YAML) into the home: actors, sources, incidents, hypotheses, items,
    claims and ratings, through the same intake and ledger as 'enquiry add'. Loading the same
    file again changes nothing."""
    if not file.is_file():
        fail(f"{safe(str(file))}: no such file")
    try:
        report = load_case_file(app.store(), file, extractors=_extractors())
    except CaseFileError as exc:
        fail(safe(str(exc)))
    click.echo(f"case '{report.case}' loaded from {safe(str(file))}: {report.summary()}")
    for problem in report.problems:
        click.echo(f"  note: {safe(problem)}", err=True)


def _write_attachments(store: Any, document: dict[str, Any], output: Path, reveal: bool) -> int:
    """Copy every attached original out of the vault beside the dump, so that the dump loads
    elsewhere; each file is named by its hash's start and its name, so equal names never clash.
    Protected items' files stay in the vault unless the dump reveals them."""
    folder = output.with_name(output.stem + ".files")
    count = 0
    for item in document.get("items", []):
        sha = item.get("sha256")
        if not sha or "file" not in item:
            continue
        if item.get("protected") and not reveal:
            continue
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(str(item["file"])).name).strip("._") or "file"
        target = folder / f"{sha[:12]}-{name.removeprefix(sha[:12] + '-')}"
        try:
            folder.mkdir(exist_ok=True)
            if not target.exists():
                shutil.copyfile(store.vault.path(sha), target)
        except OSError as exc:
            fail(f"{safe(str(target))}: cannot write ({exc.strerror or exc})")
        item["file"] = f"{folder.name}/{target.name}"
        count += 1
    return count


@click.command("dump")
@click.argument("case")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@click.option(
    "--reveal",
    is_flag=True,
    help="Include identifying fields of protected items (recorded as 'revealed').",
)
@pass_app
def dump_command(app: App, case: str, output: Path | None, reveal: bool) -> None:
    """Write CASE back as a case file. Identifying fields of protected witnesses are left out
    (and listed under 'withheld') unless --reveal."""
    store = app.store(create=False)
    try:
        document = dump_case(store, case, reveal=reveal)
    except CaseFileError as exc:
        fail(safe(str(exc)))
    copied = _write_attachments(store, document, output, reveal) if output is not None else 0
    text = to_yaml(document)
    data = text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    if output is not None:
        try:
            output.write_bytes(data)
        except OSError as exc:
            fail(f"{safe(str(output))}: cannot write ({exc.strerror or exc})")
    # The dump carries the originals' text out of the vault: custody records where it went.
    with store.writing() as (conn, writer):
        writer.append(
            "exported",
            case_id=store.case_id(conn, case),
            details={
                "what": "case file",
                "sha256": digest,
                "size": len(data),
                "path": str(output.resolve()) if output else "standard output",
                "revealed": reveal,
                "attachments": copied,
            },
        )
    if output is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"case '{case}' written to {safe(str(output))} (sha256 {digest})", err=True)


def _analysis(app: App, incident: str) -> Any:
    from enquiry.publish.report import analyse_incident

    try:
        return analyse_incident(app.store(create=False), incident)
    except UnknownIncident as exc:
        fail(str(exc))
    except ValueError as exc:  # the engine names the evidence or hypothesis at fault
        fail(f"incident '{incident}': {exc}")


def _summary(analysis: Analysis, *, brief: bool = False) -> list[str]:
    """A few lines a reader takes in at a glance: leader, band, confidence, standards, flags."""
    result = analysis.result
    lines = [f"{analysis.context.title or analysis.context.slug} ({analysis.context.slug})"]
    if result.unverified:
        lines.append(
            f"  COMPUTED ON A CATALOGUE THAT FAILED VERIFICATION ({len(result.unverified)} "
            "failure(s)); do not rely on these numbers"
        )
    lines.append(f"  {result.statement}")
    lines.append(
        "  hypotheses (posterior, [low, high] as dependence clusters are counted once or each item):"
    )
    for hyp in result.hypotheses:
        mark = "*" if hyp.id == result.leading else " "
        lines.append(
            f"  {mark} {hyp.id:<4} {hyp.posterior:7.4f}  [{hyp.posterior_low:.4f}, "
            f"{hyp.posterior_high:.4f}]  inconsistency {hyp.inconsistency:g}  {hyp.label}"
        )
    lines.append(f"  band: {result.band}; confidence: {result.confidence.level}")
    if result.standards.levels:
        shown = ", ".join(f"{s.name} {'yes' if s.met else 'no'}" for s in result.standards.levels)
        lines.append(f"  standards met: {shown}")
    sensitivity = result.sensitivity
    survives = "survives" if sensitivity.leader_survives else "does NOT survive"
    lines.append(
        f"  sensitivity: the leader {survives} {sensitivity.perturbations} single "
        f"changes; lowest posterior {sensitivity.min_leader_posterior:.3f}"
    )
    linchpins = sensitivity.linchpins
    for pin in linchpins[:3]:
        lines.append(
            f"  linchpin: {pin.change} -> {pin.leader_after} at {pin.leader_posterior_after:.3f}"
        )
    if len(linchpins) > 3:
        lines.append(f"  ... and {len(linchpins) - 3} more linchpins (see --json or the report)")
    lines.extend(_flag_lines(result.narratives, brief=brief))
    return lines


def _flag_lines(narratives: Sequence[Narrative], *, brief: bool) -> list[str]:
    """Narrative flags grouped by party line: in full, or one line per party line."""
    groups: dict[str, list[tuple[str, Flag]]] = {}
    for entry in narratives:
        line = entry.line or entry.party
        for flag in entry.flags:
            groups.setdefault(line, []).append((entry.party, flag))
    out = ["  narrative flags:"] if groups else []
    for line, flags in groups.items():
        speakers = sorted({party for party, _ in flags if party != line})
        who = f"{line} ({', '.join(speakers)})" if speakers else line
        counts: dict[str, set[str]] = {}
        for _, flag in flags:
            counts.setdefault(flag.type, set()).update(flag.claims)
        if brief:
            parts = []
            backed = {h for _, f in flags if f.type == "mutually_exclusive" for h in f.hypotheses}
            if backed:
                parts.append("backed mutually exclusive " + ", ".join(sorted(backed)))
            wording = {
                "contradicts_facts": "contradict established facts",
                "unsupported": "offer no evidence",
            }
            parts += [
                f"{len(counts[kind])} claim(s) {text}"
                for kind, text in wording.items()
                if kind in counts
            ]
            out.append(f"    {who}: {'; '.join(parts)}")
            continue
        out.append(f"    {who}:")
        for _party, flag in flags:
            if flag.type != "unsupported":
                out.append(f"      {flag.type}: {flag.explanation}")
        if "unsupported" in counts:
            ids = ", ".join(sorted(counts["unsupported"]))
            out.append(f"      unsupported: no evidence item offered for {ids}")
    return out


@click.command("analyse")
@click.argument("incident")
@click.option("--json", "as_json", is_flag=True, help="Print the engine's full result as JSON.")
@pass_app
def analyse_command(app: App, incident: str, as_json: bool) -> None:
    """Weigh INCIDENT's hypotheses against its rated evidence and print the result (nothing is
    stored; 'enquiry report' stores a finding)."""
    analysis = _analysis(app, incident)
    if as_json:
        click.echo(json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False, default=str))
        return
    click.echo("\n".join(_summary(analysis)))


@click.command("report")
@click.argument("incident")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The HTML file to write.",
)
@pass_app
def report_command(app: App, incident: str, output: Path) -> None:
    """Analyse INCIDENT and write a self-contained HTML report; the finding and the export are
    recorded in the ledger with the report's SHA-256."""
    from enquiry.publish.report import publish_report

    try:
        published = publish_report(app.store(create=False), incident, output)
    except UnknownIncident as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(f"incident '{incident}': {exc}")
    except OSError as exc:
        fail(f"{safe(str(output))}: cannot write ({exc.strerror or exc})")
    click.echo(
        f"report written to {safe(str(published.path))} ({published.size:,} bytes, "
        f"sha256 {published.sha256}); finding {published.finding_id}"
    )


@click.command("demo")
@click.option("--no-serve", is_flag=True, help="Stop after writing the report.")
@pass_app
def demo_command(app: App, no_serve: bool) -> None:
    """Load the built-in Khan Shaykhun case, analyse it and write its report into the home."""
    from enquiry.publish.report import publish_report

    store = app.store()
    path = builtin_case(DEMO_INCIDENT)
    try:
        loaded = load_case_file(store, path, extractors=_extractors())
    except CaseFileError as exc:
        fail(safe(str(exc)))
    click.echo(f"case '{loaded.case}' in {store.home}: {loaded.summary()}")
    output = store.home / "reports" / f"{DEMO_INCIDENT}.html"
    published = publish_report(store, DEMO_INCIDENT, output)
    click.echo("\n".join(_summary(published.analysis, brief=True)))
    click.echo(f"report: {published.path} (sha256 {published.sha256})")
    if not no_serve:
        click.echo("serving the web app is not available yet; open the report in a browser")


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    for command in (load_command, dump_command, analyse_command, report_command, demo_command):
        main.add_command(command)
