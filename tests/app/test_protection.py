"""Protection is total: every output of enquiry, tried against a protected witness.

A protected testimony arrives as a file named after the witness, with her name in an identifying
field and a sentence only she would say. Every command that shows, lists, logs, dumps, reports,
analyses, verifies or refuses is run, and none of the identifying strings may appear in what it
prints or writes — until the user reveals, which the ledger records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from enquiry.cli import main

NAME = "Amina Yusuf"
SECRETS = ("Amina", "Yusuf", "Bint-Zaydun", "orchard behind the mill")
INCIDENT = "square-2020-01-01"

CASE = f"""\
format: enquiry-case/1
case: {{name: square, title: Shelling of the market square}}
sources:
- {{name: Field team, reliability: B}}
incidents:
- slug: {INCIDENT}
  title: Shell impact in the market square
  window: {{start: '2020-01-01T06:00:00+02:00', end: '2020-01-01T07:00:00+02:00'}}
  place: {{name: market square, lat: 10.5, lon: 20.25}}
  hypotheses:
  - {{id: H1, label: a shell fired from the hills hit the square}}
  - {{id: H2, label: nothing happened}}
  - {{id: H0, label: something else, other: true}}
items:
- key: crater-note
  kind: document
  source: Field team
  credibility: 2
  fields: {{title: Field note on the crater}}
  text: Fresh crater in the square; fragments of a 122 mm shell.
- key: witness-a
  kind: testimony
  source: Field team
  credibility: 3
  fields: {{witness_pseudonym: W-A, witness_name: {NAME}, interview_place: Bint-Zaydun, role: eyewitness}}
  file: {NAME}.txt
ratings:
- incident: {INCIDENT}
  item: crater-note
  analyst: A. Analyst
  values: {{H1: CC, H2: II, H0: N}}
- incident: {INCIDENT}
  item: witness-a
  analyst: A. Analyst
  values: {{H1: C, H2: I, H0: N}}
"""


class Cli:
    """Runs enquiry on one home and keeps everything it printed."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.runner = CliRunner()
        self.seen: list[tuple[str, str]] = []

    def __call__(self, *args: str, expect: int | None = 0) -> Result:
        result = self.runner.invoke(
            main, ["--home", str(self.home), "--as", "tester", *args], catch_exceptions=False
        )
        self.seen.append((" ".join(args), result.stdout + result.stderr))
        if expect is not None:
            assert result.exit_code == expect, (args, result.exit_code, result.output)
        return result


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret.lower() in text.lower()]


@pytest.fixture
def cli(tmp_path: Path, backend: str) -> Iterator[Cli]:
    folder = tmp_path / "casefolder"
    folder.mkdir()
    (folder / f"{NAME}.txt").write_text(
        "I ran to the orchard behind the mill when the shell fell at half past six.\n",
        encoding="utf-8",
    )
    (folder / "case.yaml").write_text(CASE, encoding="utf-8")
    second = tmp_path / "incoming" / f"{NAME} second interview.txt"
    second.parent.mkdir()
    second.write_text("Again: the orchard behind the mill burned.\n", encoding="utf-8")
    runner = Cli(tmp_path / "home")
    runner("load", str(folder / "case.yaml"))
    runner(
        "add",
        str(second),
        "--case",
        "square",
        "--kind",
        "testimony",
        "--field",
        "witness_pseudonym=W-A2",
        "--field",
        f"witness_name={NAME}",
    )
    runner.seen.clear()
    yield runner


def _protected_ids(cli: Cli) -> list[int]:
    listing = json.loads(cli("item", "list", "--json").stdout)
    ids = [row["id"] for row in listing["items"] if row["protected"]]
    assert len(ids) == 2
    return ids


def test_no_output_names_a_protected_witness(cli: Cli, tmp_path: Path) -> None:
    ids = _protected_ids(cli)
    for item in ids:
        cli("item", "show", str(item))
        cli("item", "show", str(item), "--json")
        cli("item", "show", str(item), "--text", expect=1)
        cli("item", "copy", str(item), "-o", str(tmp_path / "copy.txt"), expect=1)
        cli("log", "--item", str(item))
    cli("item", "list")
    cli("item", "list", "--case", "square", "--kind", "testimony", "--json")
    cli("case", "list")
    cli("log")
    cli("log", "--json")
    cli("log", "--case", "square", "--json")
    cli("dump", "square")
    (tmp_path / "out").mkdir()
    cli("dump", "square", "-o", str(tmp_path / "out" / "square.yaml"))
    cli("analyse", INCIDENT)
    cli("analyse", INCIDENT, "--json")
    cli("report", INCIDENT, "-o", str(tmp_path / "out" / "report.html"))
    cli("claims", "list", "--case", "square")
    cli("claims", "list", "--case", "square", "--json")
    cli("verify")
    cli("verify", "--json")
    for command, output in cli.seen:
        assert not leaks(output), (command, leaks(output), output[:2000])
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in written)
    for path in written:
        assert not leaks(path.name), path
        assert not leaks(path.read_text(encoding="utf-8", errors="replace")), path


def test_a_failing_verify_and_a_refused_analysis_name_no_witness(cli: Cli) -> None:
    ids = _protected_ids(cli)
    shown = json.loads(cli("item", "show", str(ids[0]), "--json").stdout)
    from enquiry.store import open_store
    from enquiry.store.protected import at_rest

    store = open_store(cli.home, "attacker", create=False)
    with store.engine.connect() as connection:
        held = at_rest(connection, [ids[0]])[ids[0]]  # a protected original is only ciphertext
    assert not store.vault.has(shown["sha256"])
    blob = store.vault.path(held.cipher_address)
    blob.chmod(0o644)
    blob.write_bytes(b"tampered")
    cli("verify", expect=1)
    cli("analyse", INCIDENT, expect=1)
    cli("report", INCIDENT, "-o", str(cli.home.parent / "r.html"), expect=1)
    cli("item", "copy", str(ids[0]), "-o", str(cli.home.parent / "c.txt"), "--reveal", expect=1)
    for command, output in cli.seen:
        assert not leaks(output), (command, leaks(output), output[:2000])


def test_a_reveal_shows_the_identity_and_is_recorded(cli: Cli, tmp_path: Path) -> None:
    ids = _protected_ids(cli)
    before = len(json.loads(cli("log", "--json").stdout))
    shown = json.loads(cli("item", "show", str(ids[0]), "--json", "--reveal", "--text").stdout)
    assert shown["fields"]["witness_name"] == NAME
    assert any("orchard behind the mill" in text for text in shown["text"].values())
    cli("item", "copy", str(ids[1]), "-o", str(tmp_path / "copy.txt"), "--reveal")
    assert "orchard behind the mill" in (tmp_path / "copy.txt").read_text(encoding="utf-8")
    dumped = cli("dump", "square", "--reveal").stdout
    assert NAME in dumped
    events = json.loads(cli("log", "--json").stdout)[before:]
    dump_reveals = [
        e["item"] for e in events if e["action"] == "revealed" and "purpose" in e["details"]
    ]
    assert set(ids) <= set(dump_reveals)
    revealed = [(e["action"], e["item"]) for e in events if e["action"] == "revealed"]
    assert ("revealed", ids[0]) in revealed
    assert ("revealed", ids[1]) in revealed
    assert all(e["actor"] == "tester" for e in events)


def test_an_item_protected_after_claims_were_read_from_it(tmp_path: Path, backend: str) -> None:
    """Claims extracted before an item was protected — their words, their speaker, the actor
    made for the speaker, the ledger events that recorded them — are withheld once it is."""
    statement = tmp_path / "statement.txt"
    statement.write_text(
        f'{NAME} told the mission that "the orchard behind the mill burned at dawn", adding'
        " that the soldiers came from Bint-Zaydun.\n",
        encoding="utf-8",
    )
    other = tmp_path / "other.txt"
    other.write_text("The minister said on Monday that nothing happened.\n", encoding="utf-8")
    cli = Cli(tmp_path / "home")
    cli("ingest", str(statement), str(other), "--case", "sq", "--quiet")
    listing = json.loads(cli("item", "list", "--json").stdout)["items"]
    witness = next(row["id"] for row in listing if row["title"] == "statement.txt")
    cli("item", "update", str(witness), "--protect")
    cli.seen.clear()
    claims = json.loads(cli("claims", "list", "--case", "sq", "--json").stdout)["claims"]
    assert len(claims) == 3
    cli("claims", "list", "--case", "sq")
    for claim in claims:
        if claim["item_id"] == witness:
            # read before the item was protected: held encrypted with it, no vector to compare
            refused = cli("claims", "similar", str(claim["id"]), "--json", expect=1)
            assert "held encrypted" in refused.output
        else:
            cli("claims", "similar", str(claim["id"]), "--json")
    cli("log")
    cli("log", "--json", "--item", str(witness))
    cli("item", "show", str(witness), "--json")
    cli("dump", "sq")
    cli("dump", "sq", "-o", str(tmp_path / "out" / "sq.yaml"))
    for command, output in cli.seen:
        assert not leaks(output), (command, leaks(output), output[:2000])
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert not leaks(path.read_text(encoding="utf-8", errors="replace")), path
    before = json.loads(cli("log", "--json").stdout)[-1]["seq"]
    cli("load", str(tmp_path / "out" / "sq.yaml"))
    assert json.loads(cli("log", "--json").stdout)[-1]["seq"] == before, (
        "the dump loads back into its own home without a change"
    )
    revealed = cli("claims", "list", "--case", "sq", "--reveal").stdout
    assert NAME in revealed and "orchard behind the mill" in revealed
