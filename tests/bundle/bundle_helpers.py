"""A small case with a protected witness, and tools to run the commands and rewrite archives."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / "tools" / "verify_bundle.py"
PASSPHRASE = "correct horse battery staple"

SLUG = "bridge-strike"
CASE_NAME = "bridge"
WITNESS = "Layla Haddad"
SECRETS = (WITNESS, "Layla", "Haddad", "555 0199", "orange crane")
CASE = f"""
format: enquiry-case/1
case: {{name: {CASE_NAME}, title: Strike on the bridge}}
actors:
- {{name: Ministry, type: organisation}}
sources: [{{name: Field team, reliability: B}}, {{name: Ministry, reliability: D, actor: Ministry}}]
incidents:
- slug: {SLUG}
  title: Strike on the river bridge
  window: {{start: '2021-05-01T05:00:00+00:00', end: '2021-05-01T06:00:00+00:00'}}
  place: {{name: River bridge, lat: 35.1, lon: 36.2}}
  hypotheses:
  - {{id: H1, label: an air strike}}
  - {{id: H2, label: a ground explosion}}
  - {{id: H0, label: something else, other: true}}
items:
- key: witness-1
  kind: testimony
  source: Field team
  credibility: 2
  fields: {{witness_pseudonym: W-3, witness_name: {WITNESS}, witness_contact: '+1 555 0199'}}
  file: {WITNESS}.txt
- key: photo-1
  kind: document
  source: Field team
  credibility: 2
  file: files/crater.bin
- key: note-1
  kind: document
  source: Field team
  credibility: 3
  text: The team's note on the collapsed span.
- key: statement-1
  kind: statement
  source: Ministry
  credibility: 5
  text: The ministry says nothing happened.
ratings:
- {{incident: {SLUG}, item: witness-1, values: {{H1: CC, H2: I, H0: I}}}}
- {{incident: {SLUG}, item: photo-1, values: {{H1: C, H2: I, H0: N}}}}
- {{incident: {SLUG}, item: note-1, values: {{H1: C, H2: N, H0: N}}, rationale: span cut cleanly}}
- {{incident: {SLUG}, item: statement-1, values: {{H1: I, H2: I, H0: C}}}}
"""


@dataclass(frozen=True)
class Made:
    """A home with keys 'panel' and 'other', and the case's bundle signed by 'panel'."""

    root: Path
    home: Path
    casefile: Path
    bundle: Path
    key: Path
    other_key: Path
    exported: Any
    analysis: Any  # the incident's analysis in the home the bundle came from


def write_case(folder: Path) -> Path:
    """The case file and its attachments in ``folder``; returns the case file."""
    (folder / "files").mkdir(parents=True)
    (folder / f"{WITNESS}.txt").write_text(
        "Interview W-3. I saw an orange crane fall from the sky before the span broke.",
        encoding="utf-8",
    )
    (folder / "files" / "crater.bin").write_bytes(bytes(range(256)) * 64)
    path = folder / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    return path


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    if "ENQUIRY_DB" not in extra:
        env.pop("ENQUIRY_DB", None)
    env["ENQUIRY_KEY_PASSPHRASE"] = PASSPHRASE
    env.update(extra)
    return env


def enquiry(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "enquiry.cli", *map(str, args)],
        capture_output=True,
        text=True,
        env=env or environment(),
        check=False,
        timeout=600,
    )


def tool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the stand-alone verifier as an outsider would: the file itself, no enquiry imports."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ENQUIRY_HOME")}
    return subprocess.run(
        [sys.executable, str(TOOL), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
        cwd="/",
    )


# The lines of enquiry's own check that the stand-alone script cannot print: each finding's
# numbers recomputed by the engine (or why not), which needs enquiry installed.
RECOMPUTED = re.compile(
    r"^(finding .*: every number recomputed from its inputs by engine .*"
    r"|note: finding .*: made by engine .*: its numbers were not recomputed .*)$"
)
HASHED = re.compile(r"^finding .*: engine .*, inputs [0-9a-f]+ recomputed$")


def failed_lines(output: str) -> list[str]:
    """The failures a verifier printed, one line each."""
    return [line for line in output.splitlines() if line.startswith("FAILED: ")]


def verify_both(*args: str | Path) -> tuple[int, str, str]:
    """The stand-alone script's status, stdout and stderr; ``enquiry bundle verify``'s must be
    the same, line for line, but for one more line per finding whose inputs hash as it says:
    its numbers recomputed by the engine."""
    from click.testing import CliRunner

    from enquiry.cli import main

    alone = tool(*args)
    command = CliRunner().invoke(main, ["bundle", "verify", *map(str, args)])
    lines = command.stdout.splitlines()
    rest = "".join(f"{line}\n" for line in lines if not RECOMPUTED.match(line))
    assert (command.exit_code, rest, command.stderr) == (
        alone.returncode,
        alone.stdout,
        alone.stderr,
    ), (command.output, alone)
    hashed = [line for line in alone.stdout.splitlines() if HASHED.match(line)]
    assert len([line for line in lines if RECOMPUTED.match(line)]) == len(hashed), command.output
    return alone.returncode, alone.stdout, alone.stderr


def rewrite(
    source: Path,
    target: Path,
    change: Callable[[str, bytes], bytes | None] = lambda _name, data: data,
    extra: Iterable[tuple[str, bytes]] = (),
) -> Path:
    """Copy a bundle member by member; ``change`` may alter a member or drop it (None)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data, compress_type=info.compress_type)
        for name, data in extra:
            new.writestr(name, data)
    return target


def manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return dict(json.loads(archive.read("manifest.json")))


FIGURE = re.compile(r'<span([^>]*) data-finding="([^"]*)" data-show="([^"]*)">([^<]*)</span>')


def reprinted(page: bytes, body: Any) -> bytes:
    """A report's marked figures printed again from ``body``, as a signer who changed the
    finding would print them to keep the report in step with it."""
    from enquiry.publish.bundle_check import figure_text

    def again(match: re.Match[str]) -> str:
        paths = json.loads(html.unescape(match[2]))
        text = html.escape(figure_text(body, paths, match[3]), quote=False)
        return f'<span{match[1]} data-finding="{match[2]}" data-show="{match[3]}">{text}</span>'

    return FIGURE.sub(again, page.decode("utf-8")).encode("utf-8")


def reprinted_report(page: bytes, body: Any, slug: str) -> dict[str, bytes]:
    """A report's page and its PDF printed again from ``body`` (:func:`reprinted`), as a
    signer who changed the finding would publish both to keep them in step with it."""
    from enquiry.publish.pdf import html_to_pdf

    again = reprinted(page, body)
    return {f"report/{slug}.html": again, f"report/{slug}.pdf": html_to_pdf(again.decode("utf-8"))}


def resigned(made: Made, target: Path, members: dict[str, bytes | None]) -> Path:
    """The bundle as its own signer could re-make it: ``members`` replaced (or, given None,
    left out), their manifest entries re-hashed (or dropped) and the manifest signed again
    with the panel's key."""
    return resign(made.bundle, target, members, made.home, "panel", PASSPHRASE)


def resign(
    bundle: Path,
    target: Path,
    members: dict[str, bytes | None],
    home: Path,
    key_name: str,
    passphrase: str,
) -> Path:
    """:func:`resigned` for any bundle, signed again with ``home``'s key ``key_name``; a
    member the bundle does not hold yet is added and listed."""
    from enquiry.publish import signing

    with zipfile.ZipFile(bundle) as archive:
        listed = json.loads(archive.read("manifest.json"))
        held = set(archive.namelist())
    listed["members"] = [e for e in listed["members"] if members.get(e["path"], b"") is not None]
    added = [(name, data) for name, data in members.items() if name not in held and data]
    listed["members"] += [{"path": name} for name, _ in added]
    listed["members"].sort(key=lambda entry: entry["path"])
    for entry in listed["members"]:
        data = members.get(entry["path"])
        if data is not None:
            entry.update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    signed = (json.dumps(listed, indent=1, sort_keys=True) + "\n").encode("utf-8")
    key = signing.unlock(home, key_name, passphrase)
    signature = {
        "fingerprint": listed["signer"]["fingerprint"],
        "signature": base64.b64encode(key.sign(signed)).decode("ascii"),
    }
    replaced: dict[str, bytes | None] = {
        **members,
        "manifest.json": signed,
        "signature.json": json.dumps(signature).encode("utf-8"),
    }
    return rewrite(bundle, target, lambda name, old: replaced.get(name, old), added)


def transferred(app: Any, what: str) -> dict[str, Any]:
    """The details of the home's one ``transferred`` event of this kind ("bundle import",
    "restore")."""
    from enquiry.store.tables import CustodyEvent

    with app.store(create=False).session() as session:
        found = [
            json.loads(details)
            for details in session.scalars(
                select(CustodyEvent.details).where(CustodyEvent.action == "transferred")
            )
        ]
    (details,) = [d for d in found if d.get("what") == what]
    return dict(details)
