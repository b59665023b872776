"""Case files: normal form, idempotent load through intake and ledger, faithful dump."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from sqlalchemy import select

from enquiry.cli import main
from enquiry.enrich import default_extractors
from enquiry.intake.casefile import (
    CaseFileError,
    builtin_case,
    dump_case,
    load_case_file,
    normalise,
    read_case_file,
    to_yaml,
)
from enquiry.store import Store, open_store
from enquiry.store.tables import CustodyEvent, Item, Source
from enquiry.store.verify import verify

SMALL = """
format: enquiry-case/1
case: {name: small, title: A small test case}
actors:
- {name: Ruritania, type: state}
- {name: Minister Rassendyll, type: person, affiliation: Ruritania}
sources:
- {name: Field team, reliability: B}
- {name: Ministry, reliability: D, actor: Ruritania}
incidents:
- slug: small-incident
  title: Something happened
  window: {start: '2020-01-01T06:00:00+02:00', end: '2020-01-01T07:00:00+02:00'}
  place: {name: the square, lat: 10.5, lon: 20.25, radius_km: 1}
  means: [shell]
  hypotheses:
  - {id: H1, label: A shell hit the square}
  - {id: H2, label: Nothing happened}
  - {id: H0, label: Something else, other: true}
items:
- key: note-1
  kind: document
  source: Field team
  credibility: 2
  fields: {title: Field note}
  text: |
    A crater in the square, fragments of a shell.
- key: witness-1
  kind: testimony
  source: Field team
  credibility: 3
  protected: true
  fields: {title: A witness, witness_pseudonym: W-1, witness_name: Jane Roe, role: eyewitness}
  text: |
    I saw the shell land at six.
- key: lab-pending
  kind: environmental_sample
  source: Field team
  fields: {title: Sample awaiting analysis, sample_id: S-1, matrix: soil}
claims:
- key: minister-1
  actor: Minister Rassendyll
  incident: small-incident
  date: '2020-01-02'
  text: Nothing happened in the square.
  slots: {time_window: {start: '2020-01-01T12:00:00+02:00', end: '2020-01-01T13:00:00+02:00'}}
  supports: [H2]
ratings:
- incident: small-incident
  item: note-1
  analyst: tester
  values: {H1: CC, H2: II, H0: N}
  rationale: A crater with fragments.
- incident: small-incident
  claim: minister-1
  analyst: tester
  values: {H1: N, H2: C}
  likelihoods: {H0: 0.5}
  rationale: {H1: A denial is expected either way., H2: Asserted without evidence., H0: ''}
"""


def _write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _store(home: Path) -> Store:
    return open_store(home, "tester")


def _events(store: Store, action: str) -> list[dict[str, Any]]:
    with store.session() as session:
        rows = session.execute(select(CustodyEvent).where(CustodyEvent.action == action)).scalars()
        return [{"item": r.item_id, **json.loads(r.details)} for r in rows]


def _cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), "--as", "tester", *args])


def test_builtin_case_round_trips_and_reloads_idempotently(home: Path, backend: str) -> None:
    store = _store(home)
    path = builtin_case()
    expected = read_case_file(path)
    first = load_case_file(store, path, extractors=default_extractors())
    assert first.created["item"] == len(expected["items"])
    dumped = dump_case(store, "khan-shaykhun", reveal=True)
    assert dumped == expected
    # Without a reveal, the testimonies' words are replaced by their SHA-256.
    plain = dump_case(store, "khan-shaykhun")
    testimonies = [i for i in plain["items"] if i["kind"] == "testimony"]
    assert testimonies and all(
        "text" not in i and i["withheld"] == ["text"] and len(i["sha256"]) == 64
        for i in testimonies
    )
    assert normalise(yaml.safe_load(to_yaml(dumped))) == dumped
    again = load_case_file(store, path, extractors=default_extractors())
    assert again.created == {} and again.updated == {}
    assert again.unchanged["item"] == len(expected["items"])
    with store.session() as session:
        assert len(session.execute(select(Item.id)).all()) == len(expected["items"])
    assert verify(store).intact


def test_dump_of_a_dump_is_byte_identical(tmp_path: Path, home: Path) -> None:
    source = _write(tmp_path, SMALL)
    assert _cli(home, "load", str(source)).exit_code == 0
    first = _cli(home, "dump", "small", "--reveal")
    assert first.exit_code == 0, first.output
    copy = _write(tmp_path, first.output, "copy.yaml")
    other_home = tmp_path / "other"
    assert _cli(other_home, "load", str(copy)).exit_code == 0
    second = _cli(other_home, "dump", "small", "--reveal")
    assert second.output == first.output
    exported = _events(_store(home), "exported")
    digest = hashlib.sha256(first.output.encode("utf-8")).hexdigest()
    assert [(e["what"], e["sha256"], e["revealed"]) for e in exported] == [
        ("case file", digest, True)
    ]
    assert yaml.safe_load(first.output) == normalise(yaml.safe_load(SMALL))


def test_a_case_without_an_other_hypothesis_is_refused(tmp_path: Path, home: Path) -> None:
    text = SMALL.replace("  - {id: H0, label: Something else, other: true}\n", "")
    text = text.replace(", H0: N", "").replace("  likelihoods: {H0: 0.5}\n", "")
    text = text.replace(", H0: ''", "")
    path = _write(tmp_path, text)
    with pytest.raises(CaseFileError, match="'other' hypothesis"):
        read_case_file(path)
    result = _cli(home, "load", str(path))
    assert result.exit_code != 0
    assert "case.yaml:17:3: incidents[0].hypotheses: needs exactly one" in result.output
    assert (
        not (home / "enquiry.db").exists()
        or _store(home).session().execute(select(Item.id)).first() is None
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "values: {H1: CC, H2: II, H0: N}",
            "values: {H1: CC, H2: XX, H0: N}",
            "'XX' is not one of",
        ),
        ("reliability: B}", "reliability: G}", "Admiralty reliability"),
        ("credibility: 2\n", "credibility: 9\n", "credibility grade"),
        ("witness_pseudonym: W-1, ", "", "witness_pseudonym"),
        ("supports: [H2]", "supports: [H7]", "supports 'H7'"),
    ],
)
def test_bad_entries_are_named(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in SMALL
    path = _write(tmp_path, SMALL.replace(old, new, 1))
    with pytest.raises(CaseFileError, match=message) as caught:
        read_case_file(path)
    assert str(caught.value).startswith(f"{path}:")


def test_protected_fields_are_withheld_unless_revealed(tmp_path: Path, home: Path) -> None:
    path = _write(tmp_path, SMALL)
    store = _store(home)
    load_case_file(store, path)
    plain = dump_case(store, "small")
    witness = next(i for i in plain["items"] if i["key"] == "witness-1")
    assert "witness_name" not in witness["fields"]
    assert witness["withheld"] == ["witness_name", "text"]
    assert "Jane Roe" not in to_yaml(plain)
    assert "I saw the shell" not in to_yaml(plain)
    assert _events(store, "revealed") == []
    # Re-loading a dump that withheld a field keeps the stored value.
    load_case_file(store, _write(tmp_path, to_yaml(plain), "plain.yaml"))
    revealed = dump_case(store, "small", reveal=True)
    witness = next(i for i in revealed["items"] if i["key"] == "witness-1")
    assert witness["fields"]["witness_name"] == "Jane Roe"
    events = _events(store, "revealed")
    assert len(events) == 1 and events[0]["fields"] == ["witness_name", "text"]
    assert verify(store).intact


def test_attached_files_and_described_items(tmp_path: Path, home: Path) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "memo.txt").write_text("A memo about the square.\n", encoding="utf-8")
    text = SMALL.replace(
        "claims:\n",
        "- key: memo\n  kind: document\n  source: Field team\n  fields: {title: Memo}\n"
        "  file: files/memo.txt\nclaims:\n",
    )
    path = _write(tmp_path, text)
    store = _store(home)
    load_case_file(store, path, extractors=default_extractors())
    dumped = dump_case(store, "small", reveal=True)
    memo = next(i for i in dumped["items"] if i["key"] == "memo")
    assert memo["file"] == "files/memo.txt"
    assert len(memo["sha256"]) == 64
    pending = next(i for i in dumped["items"] if i["key"] == "lab-pending")
    assert "sha256" not in pending and "text" not in pending
    assert store.vault.has(memo["sha256"])
    # The dump (now with the hash) loads back into the same home without change.
    report = load_case_file(store, _write(tmp_path, to_yaml(dumped), "again.yaml"))
    assert report.created == {} and report.updated == {}
    assert verify(store).intact


def test_changes_are_recorded_and_originals_never_replaced(tmp_path: Path, home: Path) -> None:
    store = _store(home)
    load_case_file(store, _write(tmp_path, SMALL))
    changed = SMALL.replace(
        "{name: Field team, reliability: B}", "{name: Field team, reliability: C}"
    )
    changed = changed.replace("credibility: 2\n", "credibility: 3\n", 1)
    report = load_case_file(store, _write(tmp_path, changed, "changed.yaml"))
    assert report.updated == {"source": 1, "item": 1}
    with store.session() as session:
        assert (
            session.execute(select(Source.reliability).where(Source.name == "Field team")).scalar()
            == "C"
        )
    updates = [e for e in _events(store, "updated") if e.get("key") == "note-1"]
    assert updates and "credibility" in updates[-1]["changed"]
    assert verify(store).intact
    rewritten = SMALL.replace("fragments of a shell.", "fragments of a rocket.")
    with pytest.raises(CaseFileError, match="originals are never changed"):
        load_case_file(store, _write(tmp_path, rewritten, "rewritten.yaml"))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  source: Field team\n  credibility: 2\n",
            "  source: Nobody\n  credibility: 2\n",
            "source 'Nobody' is not defined",
        ),
        (
            "  text: |\n    A crater",
            "  file: missing.txt\n  x: |\n    A crater",
            "file 'missing.txt' does not exist",
        ),
        ("  actor: Minister Rassendyll\n", "  actor: Someone Else\n", "actor 'Someone Else'"),
    ],
)
def test_a_load_that_cannot_finish_writes_nothing(
    tmp_path: Path, home: Path, old: str, new: str, message: str
) -> None:
    assert old in SMALL
    text = SMALL.replace(old, new, 1).replace(
        "  x: |\n    A crater in the square, fragments of a shell.\n", ""
    )
    store = _store(home)
    with pytest.raises(CaseFileError, match=message):
        load_case_file(store, _write(tmp_path, text))
    with store.session() as session:
        assert session.execute(select(Item.id)).first() is None
        assert session.execute(select(Source.id)).first() is None


def test_a_case_built_with_add_dumps_with_its_files_and_loads_elsewhere(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from enquiry.cli import main

    (tmp_path / "in" / "a").mkdir(parents=True)
    (tmp_path / "in" / "b").mkdir()
    (tmp_path / "in" / "a" / "x.txt").write_text("one\n", encoding="utf-8")
    (tmp_path / "in" / "b" / "x.txt").write_text("two\n", encoding="utf-8")
    runner = CliRunner()

    def run(home: str, *args: str) -> str:
        result = runner.invoke(
            main, ["--home", str(tmp_path / home), *args], catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        return result.output

    run("h1", "add", str(tmp_path / "in"), "--case", "c")
    (tmp_path / "out").mkdir()
    run("h1", "dump", "c", "-o", str(tmp_path / "out" / "c.yaml"))
    assert len(list((tmp_path / "out" / "c.files").iterdir())) == 2
    run("h2", "load", str(tmp_path / "out" / "c.yaml"))
    run("h2", "dump", "c", "-o", str(tmp_path / "out" / "again.yaml"))
    first = (tmp_path / "out" / "c.yaml").read_text(encoding="utf-8")
    again = (tmp_path / "out" / "again.yaml").read_text(encoding="utf-8")
    assert first.replace("c.files/", "again.files/") == again
    assert run("h2", "verify").rstrip().endswith("intact")
