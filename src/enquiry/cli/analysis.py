"""Commands of the analysis family: load and dump case files, analyse, report, and the demo.

Each command calls one service of :mod:`enquiry.app.cases` or :mod:`enquiry.app.publishing`;
verification before analysis, the finding and the export events are the services' business.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from enquiry.app import cases, publishing
from enquiry.cli import App, echo, echo_json, pass_app, safe

if TYPE_CHECKING:
    from enquiry.analysis.result import Flag, Narrative
    from enquiry.publish.report import Analysis

ALLOW_UNVERIFIED = click.option(
    "--allow-unverified",
    is_flag=True,
    help="Go ahead on a catalogue that fails verification: the output is stamped so, and the"
    " ledger records it.",
)


@click.command("load")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--allow-outside",
    is_flag=True,
    help="Let attached files come from outside the case file's folder (recorded per file).",
)
@pass_app
def load_command(app: App, file: Path, allow_outside: bool) -> None:
    """Load a case file (YAML) into the home: actors, sources, incidents, hypotheses, items,
    claims and ratings, through the same intake and ledger as 'enquiry add'. Loading the same
    file again changes nothing; a file that fails leaves nothing behind."""
    report = cases.load(app, file, allow_outside=allow_outside)
    echo(f"case '{safe(report.case)}' loaded from {safe(str(file))}: {report.summary()}")
    for problem in report.problems:
        echo(f"  note: {safe(problem)}", err=True)


@click.command("dump")
@click.argument("case")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (attachments beside it) instead of standard output.",
)
@click.option(
    "--reveal",
    is_flag=True,
    help="Include protected items' content and identities (recorded as 'revealed').",
)
@ALLOW_UNVERIFIED
@pass_app
def dump_command(
    app: App, case: str, output: Path | None, reveal: bool, allow_unverified: bool
) -> None:
    """Write CASE back as a case file. A protected item's content, identifying fields and
    arrival names are replaced by its SHA-256 unless --reveal."""
    result = cases.dump(app, case, output, reveal=reveal, allow_unverified=allow_unverified)
    if output is None:
        echo(result.text, nl=False)
    else:
        echo(
            f"case '{safe(case)}' written to {safe(str(output))} (sha256 {result.sha256})", err=True
        )


def _summary(analysis: Analysis, *, brief: bool = False) -> list[str]:
    """A few lines a reader takes in at a glance: leader, band, confidence, standards, flags."""
    result = analysis.result
    lines = [f"{analysis.context.title or analysis.context.slug} ({analysis.context.slug})"]
    if result.unverified:
        lines.append(
            f"  COMPUTED ON A CATALOGUE THAT FAILED VERIFICATION ({len(result.unverified)} "
            "failure(s)); do not rely on these numbers"
        )
    if result.earlier_wording:
        lines.append(
            f"  {len(result.earlier_wording)} RATING(S) MADE UNDER AN EARLIER WORDING OF THEIR"
            " HYPOTHESIS ARE LEFT OUT (re-rate them to count them):"
        )
        if not brief:
            lines.extend(
                f"    {e.evidence} × {e.hypothesis}: {e.given()} by {e.analyst or 'unnamed'}"
                f" ({e.rated_at}); counted instead: {e.counts or 'nothing (unrated)'}"
                for e in result.earlier_wording
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
    bounds = result.prior_bounds
    if bounds is not None:
        line = (
            f"  prior: {result.leading} (given {bounds.prior:.3g}) leads with any prior above "
            f"{_floor(bounds.leads_above)}"
        )
        if bounds.standards_above:
            name, low = list(bounds.standards_above.items())[-1]
            line += f"; '{name}' holds above {_floor(low)}"
        lines.append(line)
    linchpins = sensitivity.linchpins
    for pin in linchpins[:3]:
        lines.append(
            f"  linchpin: {pin.change} -> {pin.leader_after} at {pin.leader_posterior_after:.3f}"
        )
    if len(linchpins) > 3:
        lines.append(f"  ... and {len(linchpins) - 3} more linchpins (see --json or the report)")
    lines.extend(_flag_lines(result.narratives, brief=brief))
    return lines


def _floor(value: float) -> str:
    return f"{value:.2g}" if value > 0 else "1e-09 (the lowest tried)"


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
@ALLOW_UNVERIFIED
@pass_app
def analyse_command(app: App, incident: str, as_json: bool, allow_unverified: bool) -> None:
    """Weigh INCIDENT's hypotheses against its rated evidence and print the result (nothing is
    stored; 'enquiry report' stores a finding). The catalogue is verified first."""
    analysis = publishing.analyse(app, incident, allow_unverified=allow_unverified)
    if as_json:
        echo_json(analysis.to_dict(), default=str)
        return
    echo("\n".join(safe(line) for line in _summary(analysis)))


@click.command("report")
@click.argument("incident")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write: HTML, or PDF when its name ends in .pdf.",
)
@click.option(
    "--reveal",
    is_flag=True,
    help="Include protected witnesses' identities in the report (recorded as 'revealed').",
)
@ALLOW_UNVERIFIED
@pass_app
def report_command(
    app: App, incident: str, output: Path, reveal: bool, allow_unverified: bool
) -> None:
    """Analyse INCIDENT and write a self-contained HTML report, or its PDF (-o FILE.pdf); the
    finding and the export are recorded in the ledger with the report's SHA-256. The catalogue
    is verified first."""
    published = publishing.report(
        app, incident, output, reveal=reveal, allow_unverified=allow_unverified
    )
    echo(
        f"report written to {safe(str(published.path))} ({published.size:,} bytes, "
        f"sha256 {published.sha256}); finding {published.finding_id}"
    )


@click.command("demo")
@click.option(
    "--no-serve", is_flag=True, help="Stop after writing the report instead of serving the web app."
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Where to serve the web app.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--no-pdf", is_flag=True, help="Write the HTML report only, not its PDF (nor the bundle's)."
)
@pass_app
def demo_command(app: App, no_serve: bool, host: str, port: int, no_pdf: bool) -> None:
    """Load the built-in Khan Shaykhun case, analyse it and write its report (HTML and PDF)
    into the home."""
    from enquiry.app.atrest import demo_key

    key = demo_key(app)
    if key is not None:
        echo(
            f"protected testimony is encrypted under the demo key file {safe(str(key))}"
            " (outside the home); set ENQUIRY_PROTECTION_KEY_FILE to it to reveal"
        )
    loaded = cases.load(app, cases.demo_case_file())
    echo(f"case '{loaded.case}' in {app.home}: {loaded.summary()}")
    for item_id in cases.redact_demo_photographs(app):
        echo(f"photograph redacted and confirmed for publication: item {item_id}")
    output = app.home / "reports" / f"{cases.DEMO_INCIDENT}.html"
    also = () if no_pdf else (output.with_suffix(".pdf"),)
    published = publishing.report(app, cases.DEMO_INCIDENT, output, also=also, inside_home=True)
    echo("\n".join(safe(line) for line in _summary(published.analysis, brief=True)))
    from enquiry.app.samples import check_case

    checked = check_case(app, loaded.case)
    if checked.samples:
        listed = ", ".join(
            f"item {s.item_id}: {', '.join(sorted({f.code for f in s.findings}))}"
            for s in checked.samples[:5]
        )
        echo(
            f"  samples' chain of custody: {checked.broken} of {checked.checked} sample(s) with"
            f" a break ({safe(listed)}); the report says what holds without them; see 'enquiry"
            f" case custody-check {safe(loaded.case)}'"
        )
    for written in published.files:
        echo(f"report: {written.path} (sha256 {written.sha256})")
    from enquiry.app.bundles import demo_bundle

    signed = demo_bundle(app, loaded.case, pdf=not no_pdf)
    echo(
        f"signed bundle: {signed.exported.path} (key 'demo', passphrase in"
        f" {signed.passphrase_file}); check it with: python3 tools/verify_bundle.py"
        f" {signed.exported.path} --key {signed.public_key}"
    )
    from enquiry.app.accounts import demo_user

    account = demo_user(app, loaded.case)
    echo(
        f"web app: sign in at http://{host}:{port}/ as '{account.name}' with password"
        f" {account.password} (saved in {account.password_file})"
    )
    if no_serve:
        echo(f"to serve it: enquiry --home {app.home} serve --port {port}")
        return
    from enquiry.cli.web import serve_home

    serve_home(app, host, port)


def register(main: click.Group) -> None:
    """Add this family's commands to the main group."""
    for command in (load_command, dump_command, analyse_command, report_command, demo_command):
        main.add_command(command)
