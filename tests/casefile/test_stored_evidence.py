"""Evidence taken in with ``add`` is named, rated and dumped by its SHA-256, and round-trips."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from casefile_helpers import HEAD, catalogue, write
from click.testing import CliRunner
from sqlalchemy import select

from enquiry.cli import main
from enquiry.enrich import default_extractors
from enquiry.errors import Corrupt
from enquiry.intake.casefile import (
    CaseFileError,
    EvidenceNotStored,
    load_case_file,
    read_case_file,
    write_dump,
)
from enquiry.intake.pipeline import IntakeOptions, add_paths
from enquiry.store import Store, open_store
from enquiry.store.tables import Item, Rating
from enquiry.store.verify import verify

MEMO = b"The crater was fresh on the morning of the first.\n"
WITNESS = b"I, Jane Roe, saw the shell land at six.\n"


def _add(store: Store, folder: Path, *, witness: bool = True) -> tuple[str, str]:
    """Take in a memo and a protected testimony with the real intake, as 'enquiry add' does."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "memo.txt").write_bytes(MEMO)
    (folder / "jane-roe.txt").write_bytes(WITNESS)
    report = add_paths(
        store, [folder / "memo.txt"], IntakeOptions(case="small", progress=False, jobs=1), ()
    )
    assert report.count("stored") == 1
    if not witness:
        return hashlib.sha256(MEMO).hexdigest(), ""
    options = IntakeOptions(
        case="small",
        kind="testimony",
        fields={"witness_pseudonym": "W-1", "witness_name": "Jane Roe"},
        progress=False,
        jobs=1,
    )
    assert add_paths(store, [folder / "jane-roe.txt"], options, ()).count("stored") == 1
    return hashlib.sha256(MEMO).hexdigest(), hashlib.sha256(WITNESS).hexdigest()


def _rated(memo: str) -> str:
    return (
        HEAD
        + f"""items:
- sha256: {memo}
  kind: document
  source: Field team
  credibility: 2
ratings:
- incident: small-incident
  item: sha256:{memo}
  analyst: tester
  values: {{H1: C, H0: N}}
  rationale: A fresh crater.
"""
    )


def test_evidence_added_with_add_is_rated_from_a_case_file(
    tmp_path: Path, home: Path, backend: str
) -> None:
    store = open_store(home, "tester")
    memo, _witness = _add(store, tmp_path / "in")
    report = load_case_file(store, write(tmp_path, _rated(memo)))
    assert report.created.get("item") is None and report.updated == {"item": 1}
    with store.session() as session:
        item = session.execute(select(Item).where(Item.sha256 == memo)).scalar_one()
        assert item.credibility == 2 and item.key is None
        ratings = session.execute(select(Rating)).scalars().all()
        assert {r.item_id for r in ratings} == {item.id} and len(ratings) == 2
    again = load_case_file(store, write(tmp_path, _rated(memo)))
    assert again.created == {} and again.updated == {}
    assert verify(store).intact


def test_a_rating_of_evidence_the_case_does_not_hold_is_refused(tmp_path: Path, home: Path) -> None:
    store = open_store(home, "tester")
    _add(store, tmp_path / "in")
    before = catalogue(store)
    missing = "ab" * 32
    with pytest.raises(EvidenceNotStored, match=r"case.yaml:11:3: items\[0\]: no item of case"):
        load_case_file(store, write(tmp_path, _rated(missing)))
    text = (
        _rated(missing)
        .replace(
            f"- sha256: {missing}\n  kind: document\n  source: Field team\n  credibility: 2\n",
            "[]\n",
        )
        .replace("items:\n", "items: ")
    )
    with pytest.raises(
        EvidenceNotStored, match=r"ratings\[0\]\.item: no item of case 'small' holds"
    ):
        load_case_file(store, write(tmp_path, text))
    assert catalogue(store) == before


def test_a_key_may_be_given_to_stored_evidence(tmp_path: Path, home: Path) -> None:
    store = open_store(home, "tester")
    memo, _ = _add(store, tmp_path / "in")
    text = _rated(memo).replace(f"- sha256: {memo}\n", f"- key: memo\n  sha256: {memo}\n")
    text = text.replace(f"item: sha256:{memo}", "item: memo")
    load_case_file(store, write(tmp_path, text))
    with store.session() as session:
        assert session.execute(select(Item.key).where(Item.sha256 == memo)).scalar() == "memo"
    assert verify(store).intact


def test_dump_then_load_into_the_same_home_changes_nothing(
    tmp_path: Path, home: Path, backend: str
) -> None:
    store = open_store(home, "tester")
    memo, _ = _add(store, tmp_path / "in")
    load_case_file(store, write(tmp_path, _rated(memo)))
    for reveal in (False, True):
        out = tmp_path / f"dump-{reveal}" / "small.yaml"
        out.parent.mkdir()
        dumped = write_dump(store, "small", out, reveal=reveal)
        before = catalogue(store)
        report = load_case_file(store, out)
        assert report.created == {} and report.updated == {}, (reveal, report)
        assert catalogue(store) == before
        assert dumped.attachments == (2 if reveal else 1)
    assert verify(store).intact


def test_the_cli_round_trip_of_a_case_built_with_add(tmp_path: Path) -> None:
    """The reported failure: dump of a case built with 'add', loaded back into the same home."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("one\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("two\n", encoding="utf-8")
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(main, ["--home", str(tmp_path / "h"), *args])
        assert result.exit_code == 0, result.output
        return result.output

    run("add", str(tmp_path / "in"), "--case", "c")
    run("dump", "c", "-o", str(tmp_path / "c.yaml"))
    assert "item-1" not in (tmp_path / "c.yaml").read_text(encoding="utf-8")
    assert "created: nothing; updated: nothing" in run("load", str(tmp_path / "c.yaml"))
    assert run("verify").rstrip().endswith("intact")


def test_a_plain_dump_never_carries_a_protected_name_or_text(tmp_path: Path, home: Path) -> None:
    store = open_store(home, "tester")
    memo, witness = _add(store, tmp_path / "in")
    out = tmp_path / "out" / "small.yaml"
    out.parent.mkdir()
    result = write_dump(store, "small", out, reveal=False)
    everything = out.read_bytes() + b"".join(
        p.name.encode() + p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()
    )
    assert b"jane" not in everything.lower() and b"Jane Roe" not in everything
    assert WITNESS not in everything
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    protected = next(i for i in doc["items"] if i["sha256"] == witness)
    assert protected["withheld"] == ["witness_name", "file"]
    assert set(protected) == {"kind", "protected", "fields", "withheld", "sha256"}
    with store.session() as session:
        witness_id = session.execute(select(Item.id).where(Item.sha256 == witness)).scalar()
    assert result.withheld == [witness_id] and result.revealed == []
    assert result.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    # A fresh home cannot have the protected evidence from a plain dump: refused, nothing kept.
    fresh = open_store(tmp_path / "fresh", "tester")
    before = catalogue(fresh)
    with pytest.raises(EvidenceNotStored, match="dump without --reveal"):
        load_case_file(fresh, out)
    assert catalogue(fresh) == before
    assert memo in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("protected", [False, True])
def test_a_dump_loads_into_a_fresh_home(tmp_path: Path, home: Path, protected: bool) -> None:
    """Without protected items a plain dump carries everything; with them, a revealed one."""
    store = open_store(home, "tester")
    memo, witness = _add(store, tmp_path / "in", witness=protected)
    load_case_file(store, write(tmp_path, _rated(memo)))
    out = tmp_path / "out" / "small.yaml"
    out.parent.mkdir()
    first = write_dump(store, "small", out, reveal=protected)
    assert first.withheld == []
    fresh = open_store(tmp_path / "fresh", "tester")
    report = load_case_file(fresh, out, extractors=default_extractors())
    assert report.created["item"] == (2 if protected else 1)
    again = tmp_path / "again" / "small.yaml"
    again.parent.mkdir()
    second = write_dump(fresh, "small", again, reveal=protected)
    assert second.text == first.text
    assert verify(fresh).intact
    with fresh.session() as session:
        shas = set(session.execute(select(Item.sha256)).scalars())
    assert shas == ({memo, witness} if protected else {memo})
    assert read_case_file(out)["ratings"][0]["item"] == f"sha256:{memo}"


def test_a_corrupt_original_is_not_copied_out_by_a_dump(tmp_path: Path, home: Path) -> None:
    store = open_store(home, "tester")
    memo, _ = _add(store, tmp_path / "in", witness=False)
    blob = store.vault.path(memo)
    blob.chmod(0o644)
    blob.write_bytes(b"tampered\n")
    out = tmp_path / "out" / "small.yaml"
    out.parent.mkdir()
    with pytest.raises(Corrupt, match=f"blob {memo[:12]} is corrupt"):
        write_dump(store, "small", out, reveal=False)
    assert not out.exists()
    assert [p.name for p in (tmp_path / "out" / "small.files").iterdir()] == []


def test_content_and_a_different_sha256_are_refused(tmp_path: Path, home: Path) -> None:
    store = open_store(home, "tester")
    memo, _ = _add(store, tmp_path / "in", witness=False)
    text = _rated(memo).replace(f"- sha256: {memo}\n", f"- sha256: {memo}\n  text: Other words.\n")
    before = catalogue(store)
    with pytest.raises(CaseFileError, match=r"items\[0\]\.sha256: item 'sha256:.*the content's"):
        load_case_file(store, write(tmp_path, text))
    assert catalogue(store) == before
