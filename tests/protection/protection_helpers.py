"""A case with protected testimony, worked on as an investigator would, and the attacker's tools:
every file of a copied home read raw and decoded (zlib, gzip, base64, hex, JSON escapes,
UTF-16) in search of a witness's name, words or original bytes."""

from __future__ import annotations

import base64
import binascii
import contextlib
import gzip
import json
import os
import re
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from demo_helpers import HomeTemplates
from enquiry.cli import main
from enquiry.store import open_store
from enquiry.store.tables import ItemKey

NAME = "Zephyrine Okonkwo-Lindqvist"
PLACE = "Qasr-Umlautabad"
WORDS = "the heron tower by the saltworks fell before the second call to prayer"
# A witness known so far only by a description in the case file (no recording yet).
DESCRIBED = "Thaddeus Quillfeather-Oyelaran"
SECRETS = (NAME, "Okonkwo-Lindqvist", PLACE, WORDS, "heron tower by the saltworks", DESCRIBED)
INCIDENT = "saltworks-2021-03-03"
# Random bytes of a protected recording: none of them may be found, in any encoding.
BLOB = os.urandom(48 * 1024)

CASE = f"""\
format: enquiry-case/1
case: {{name: saltworks, title: Strike on the saltworks}}
sources:
- {{name: Field team, reliability: B}}
incidents:
- slug: {INCIDENT}
  title: Strike on the saltworks
  window: {{start: '2021-03-03T04:00:00+02:00', end: '2021-03-03T06:00:00+02:00'}}
  place: {{name: saltworks, lat: 11.5, lon: 21.25}}
  hypotheses:
  - {{id: H1, label: an air strike hit the saltworks}}
  - {{id: H2, label: an accidental explosion}}
  - {{id: H0, label: something else, other: true}}
items:
- key: crater-note
  kind: document
  source: Field team
  credibility: 2
  fields: {{title: Field note on the crater}}
  text: A crater at the saltworks; fragments of an air-dropped bomb.
- key: witness-z
  kind: testimony
  source: Field team
  credibility: 3
  fields: {{title: Eyewitness at the saltworks, witness_pseudonym: W-Z, witness_name: {NAME}, interview_place: {PLACE}, role: eyewitness}}
  file: {NAME}.txt
- key: witness-y
  kind: testimony
  source: Field team
  credibility: 3
  protected: true
  fields: {{title: Second eyewitness, witness_pseudonym: W-Y}}
  text: "Inline testimony: {WORDS}, said W-Y."
- key: witness-x
  kind: testimony
  source: Field team
  protected: true
  fields: {{title: Third eyewitness (not yet interviewed), witness_pseudonym: W-X, witness_name: {DESCRIBED}}}
ratings:
- incident: {INCIDENT}
  item: crater-note
  analyst: A. Analyst
  values: {{H1: CC, H2: II, H0: N}}
- incident: {INCIDENT}
  item: witness-z
  analyst: A. Analyst
  values: {{H1: C, H2: I, H0: N}}
- incident: {INCIDENT}
  item: witness-y
  analyst: A. Analyst
  values: {{H1: C, H2: N, H0: N}}
"""


class Cli:
    """Runs enquiry on one home."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.runner = CliRunner()

    def __call__(self, *args: str, expect: int | None = 0) -> Result:
        result = self.runner.invoke(
            main, ["--home", str(self.home), "--as", "tester", *args], catch_exceptions=False
        )
        if expect is not None:
            assert result.exit_code == expect, (args, result.exit_code, result.output)
        return result


def item_id(cli: Cli, title: str) -> int:
    listing = json.loads(cli("item", "list", "--json").stdout)["items"]
    return next(row["id"] for row in listing if row["title"] == title)


def _work(home: Path) -> str:
    """Load the case (twice), add to it, analyse, report, reveal and verify it in ``home``."""
    tmp_path = home.parent
    folder = tmp_path / "casefolder"
    folder.mkdir()
    (folder / f"{NAME}.txt").write_text(
        f"I am {NAME} of {PLACE}. I saw how {WORDS}.\n", encoding="utf-8"
    )
    (folder / "case.yaml").write_text(CASE, encoding="utf-8")
    recording = tmp_path / "incoming" / f"{NAME} recording.bin"
    recording.parent.mkdir()
    recording.write_bytes(BLOB)
    cli = Cli(home)
    cli("load", str(folder / "case.yaml"))
    cli("load", str(folder / "case.yaml"))  # a reload changes nothing and leaks nothing
    cli(
        "add",
        str(recording),
        "--case",
        "saltworks",
        "--kind",
        "testimony",
        "--field",
        "witness_pseudonym=W-Z2",
        "--field",
        f"witness_name={NAME}",
    )
    cli("add", str(recording), "--case", "saltworks")  # the same bytes arrive again
    cli("ingest", str(folder / f"{NAME}.txt"), "--case", "saltworks", "--quiet")
    cli("analyse", INCIDENT)
    cli("report", INCIDENT, "-o", str(tmp_path / "report.html"))
    witness = item_id(cli, "Eyewitness at the saltworks")
    shown = json.loads(cli("item", "show", str(witness), "--json", "--reveal", "--text").stdout)
    assert shown["fields"]["witness_name"] == NAME  # the key opens what the home hides
    assert any(WORDS in text for text in shown["text"].values())
    cli("item", "copy", str(witness), "-o", str(tmp_path / "copy.txt"), "--reveal")
    assert WORDS in (tmp_path / "copy.txt").read_text(encoding="utf-8")
    described = item_id(cli, "Third eyewitness (not yet interviewed)")
    shown = json.loads(cli("item", "show", str(described), "--json", "--reveal").stdout)
    assert shown["fields"]["witness_name"] == DESCRIBED
    cli("log", "--reveal")
    cli("verify")
    return ""


@pytest.fixture
def worked(home_templates: HomeTemplates, tmp_path: Path, backend: str) -> Cli:
    """A case loaded, added to, analysed, reported, revealed and verified: the test's copy of
    a home where that was done once for this back end."""
    home = home_templates.copy("worked", _work, tmp_path / "home", os.environ.get("ENQUIRY_DB"))
    return Cli(home.home)


# --- The attacker's side ------------------------------------------------------------------------


def steal(home: Path, into: Path) -> Path:
    """Copy the home (and, on PostgreSQL, a dump of its database) without the key."""
    shutil.copytree(home, into)
    url = os.environ.get("ENQUIRY_DB", "")
    if url.startswith("postgresql"):
        dump = subprocess.run(
            ["pg_dump", "--no-owner", "--dbname", url.replace("postgresql+psycopg", "postgresql")],
            check=True,
            capture_output=True,
        ).stdout
        (into / "stolen-database.sql").write_bytes(dump)
    return into


def _needles() -> list[bytes]:
    texts = [s.encode("utf-8") for s in SECRETS]
    out: list[bytes] = []
    for text in texts:
        out += [text, text.lower()]
        decoded = text.decode("utf-8")
        out += [decoded.encode("utf-16-le"), decoded.encode("utf-16-be")]
        out.append(json.dumps(decoded).strip('"').encode("ascii"))
    # Windows of the protected recording, raw, as hex and as base64 (at three alignments).
    for start in (0, len(BLOB) // 2, len(BLOB) - 64):
        window = BLOB[start : start + 48]
        out += [window, window.hex().encode(), window.hex().upper().encode()]
        for shift in range(3):
            out.append(base64.b64encode(window[shift : shift + 45])[4:40])
    return out


def _decoded(data: bytes) -> Iterator[bytes]:
    """The file and everything that decodes out of it."""
    yield data
    yield data.lower()
    for match in re.finditer(rb"[A-Za-z0-9+/=_-]{24,}", data):
        for decoder in (base64.b64decode, base64.urlsafe_b64decode):
            with contextlib.suppress(binascii.Error, ValueError):
                yield decoder(match.group() + b"==")
    for match in re.finditer(rb"(?:\\\\x|\\x)?((?:[0-9a-fA-F]{2}){16,})", data):
        with contextlib.suppress(ValueError):
            yield bytes.fromhex(match.group(1).decode())
    for match in re.finditer(rb"\x78[\x01\x5e\x9c\xda]|\x1f\x8b", data):
        chunk = data[match.start() :]
        try:
            if chunk.startswith(b"\x1f\x8b"):
                yield gzip.decompress(chunk)
            else:
                yield zlib.decompressobj().decompress(chunk, 1 << 24)
        except (OSError, zlib.error, EOFError):
            pass
    with contextlib.suppress(ValueError, UnicodeDecodeError):
        yield json.dumps(json.loads(data), ensure_ascii=False).encode("utf-8")


def findings(root: Path) -> list[str]:
    """Every (file, secret) an attacker holding ``root`` could find."""
    needles = _needles()
    found: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        for needle in (n for n in (path.name.encode("utf-8"),) for n in [n]):
            if any(s.encode("utf-8").lower() in needle.lower() for s in SECRETS):
                found.append(f"{path}: file name")
        data = path.read_bytes()
        for view in _decoded(data):
            hits = [n for n in needles if n in view]
            if hits:
                found.append(f"{path.relative_to(root)}: {hits[0][:40]!r}")
                break
    return found


def wrapped_key(home: Path, item: int) -> bytes | None:
    """The item's data key as stored, wrapped (None once a seal destroyed it)."""
    store = open_store(home, "reader", create=False)
    with store.engine.connect() as connection:
        value = connection.execute(
            select(ItemKey.wrapped_key).where(ItemKey.item_id == item)
        ).scalar()
    store.engine.dispose()
    return bytes(value) if value is not None else None
