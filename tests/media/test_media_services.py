"""The media services at the core: hashing and checking through the enricher runner, verified
reads of originals, and a protected item's arrival name kept out of every media output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from enquiry.app import Enquiry
from enquiry.app import media as service
from enquiry.cli import main
from enquiry.enrich import default_extractors
from enquiry.enrich.media.extractor import PdqExtractor
from enquiry.enrich.media.pdq import VERSION
from enquiry.intake.pipeline import IntakeOptions, add_paths
from enquiry.progress import Silent
from enquiry.store import Store
from enquiry.store.tables import CustodyEvent, Item

SECRET = "Amina Yusuf"


def _add(store: Store, paths: list[Path], *, pdq: bool, protected: bool | None = None) -> list[int]:
    extractors = [e for e in default_extractors() if pdq or not isinstance(e, PdqExtractor)]
    options = IntakeOptions(case="c", progress=False, jobs=1, protected=protected)
    report = add_paths(store, paths, options, extractors)
    return [r.item_id for r in report.results if r.item_id is not None]


def _corrupt(store: Store, item_id: int) -> str:
    with store.session() as session:
        sha = session.get(Item, item_id).sha256  # type: ignore[union-attr]
    assert sha is not None
    blob = store.vault.path(sha)
    blob.chmod(0o644)
    blob.write_bytes(blob.read_bytes()[:-100] + b"\0" * 100)
    return sha


def _cli(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    return result.exit_code, result.stdout, result.stderr


def test_hash_refuses_a_corrupt_original_and_hashes_the_rest(
    backend: str, home: Path, media_dir: Path
) -> None:
    app = Enquiry.at(home, "tester")
    store = app.store(create=True)
    ids = _add(store, [media_dir / "coffee.jpg", media_dir / "rocket.jpg"], pdq=False)
    sha = _corrupt(store, ids[1])
    code, out, err = _cli(home, "media", "hash")
    assert code == 1
    assert f"item {ids[0]}\t1 hash\tcoffee.jpg" in out
    assert "1 item(s) hashed, 1 failed" in out
    assert f"enquiry: item {ids[1]}: rocket.jpg: blob {sha[:12]} is corrupt" in err
    with store.session() as session:
        [event] = session.scalars(select(CustodyEvent).where(CustodyEvent.action == "derived"))
    details = json.loads(event.details)
    assert event.item_id == ids[0]
    assert (details["enricher"], details["version"], details["algorithm"]) == (
        "pdq",
        PdqExtractor.version,  # the PDQ hash's and the windows' versions
        VERSION,
    )
    with store.session() as session:
        good = session.get(Item, ids[0])
    assert details["inputs"] == {"sha256": good.sha256}  # type: ignore[union-attr]
    # a second plain run has nothing left to do but the refused item
    again = service.hash_items(app, progress=Silent())
    assert (again.hashed, again.failed) == ([], [ids[1]])


def test_match_of_an_item_whose_original_is_corrupt_is_one_line(
    home: Path, media_dir: Path
) -> None:
    app = Enquiry.at(home, "tester")
    store = app.store(create=True)
    [item_id] = _add(store, [media_dir / "scene.mp4"], pdq=True)
    sha = _corrupt(store, item_id)
    code, out, err = _cli(home, "media", "match", str(item_id))
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        f"enquiry: item {item_id}: blob {sha[:12]} is corrupt: its bytes now hash to "
        + err.split("hash to ")[1].split(";")[0]
        + "; refused (re-add the original to repair it)"
    ]


def test_media_outputs_withhold_a_protected_arrival_name(
    home: Path, media_dir: Path, tmp_path: Path
) -> None:
    named = tmp_path / f"{SECRET}.jpg"
    shutil.copy(media_dir / "coffee.jpg", named)
    app = Enquiry.at(home, "tester")
    store = app.store(create=True)
    [item_id] = _add(store, [named], pdq=False, protected=True)
    outputs = [_cli(home, "media", "hash"), _cli(home, "media", "hash", str(item_id))]
    outputs += [
        _cli(home, "media", "match", str(media_dir / "coffee.jpg")),
        _cli(home, "media", "match", str(media_dir / "coffee.jpg"), "--deep"),
        _cli(home, "media", "check", str(item_id)),
        _cli(home, "media", "check", str(item_id), "--json"),
    ]
    for code, out, err in outputs:
        assert code == 0, err
        assert SECRET not in out + err
    # A protected photo is stored encrypted and no enricher reads it after intake (its
    # perceptual hashes would lie in the catalogue in the clear: docs/protection.md), so it is
    # not matched; the refusal names it by its number only.
    assert any("protected and stored encrypted" in out + err for _c, out, err in outputs[:2])
    assert "no match" in outputs[2][1]


def test_check_runs_through_the_runner_and_replaces_findings(home: Path, media_dir: Path) -> None:
    app = Enquiry.at(home, "tester")
    store = app.store(create=True)
    [item_id] = _add(store, [media_dir / "camera.jpg"], pdq=False)
    first = service.check(app, [str(item_id)])
    second = service.check(app, [str(item_id)])
    assert [c.item_id for c in first] == [item_id]
    assert first[0].findings == second[0].findings
    with store.session() as session:
        events = session.scalars(
            select(CustodyEvent).where(CustodyEvent.action == "analysed")
        ).all()
    details = [json.loads(e.details) for e in events]
    assert [(d["enricher"], d["version"]) for d in details] == [("media.consistency", "1")] * 2
    assert details[1]["replaced"] == len(first[0].findings)
