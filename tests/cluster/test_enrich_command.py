"""``enquiry enrich``: every enricher again over items in the store, skipping what is done.

Items taken in by ``add`` have their text, metadata and hashes but no claims; ``enrich --all``
reads the claims (and vectors, and metadata checks) and a second run does nothing; ``--force``
runs them again on the items named; a bad item is one line and nothing is done. With
a cluster (a running scheduler with two workers, shared by this module's tests) the records and
events are those of a run without it, and a corrupt original is refused on the worker as it is
here.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from cluster_helpers import corpus, run_here, running_scheduler, snapshot
from sqlalchemy import func, select

from enquiry.app import Enquiry, accounts
from enquiry.app.enrichment import enrich_items
from enquiry.cli import main
from enquiry.enrich.photo import PhotoMetadata
from enquiry.errors import Forbidden
from enquiry.store import open_store
from enquiry.store.tables import CustodyEvent, Item


@pytest.fixture(scope="module")
def added(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home holding the mixed corpus, taken in by ``add`` (no claims read yet)."""
    root = tmp_path_factory.mktemp("added")
    folder = corpus(root / "in")
    done = run_here(root / "home", "add", str(folder), "--case", "c")
    assert done.returncode == 0, done.stderr
    return root / "home"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with running_scheduler() as address:
        yield address


def _copy(home: Path, to: Path) -> Path:
    shutil.copytree(home, to)
    return to


def _events(home: Path) -> int:
    store = open_store(home, "tester")
    with store.engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(CustodyEvent)).scalar_one()
    store.engine.dispose()
    return int(count)


def _said_in_the_clear(stderr: str, scheduler: str) -> None:
    """The command said once, on standard error, that its scheduler is reached in the clear."""
    assert scheduler.startswith("tcp://")
    warning = f"enquiry: --cluster {scheduler}: the connection is neither encrypted nor"
    assert sum(line.startswith(warning) for line in stderr.splitlines()) == 1, stderr


def _lines(text: str) -> dict[str, str]:
    return {line.split(":")[0]: line for line in text.splitlines() if ": " in line}


def test_enrich_reads_what_add_left_and_then_skips_it(added: Path, tmp_path: Path) -> None:
    home = _copy(added, tmp_path / "home")
    first = run_here(home, "enrich", "--all")
    assert first.returncode == 0, first.stderr
    lines = _lines(first.stdout)
    # Intake read the texts, metadata and hashes: done already. The claims were never read.
    assert lines["text"] == "text: 0 enriched, 5 already done, 0 failed"
    assert lines["pdq"] == "pdq: 0 enriched, 4 already done, 0 failed"
    assert lines["claims"].startswith("claims: 5 enriched, 0 already done")
    assert "9 item(s) considered" in first.stdout
    claims = snapshot(home)
    assert sum(len(item["claims"]) for item in claims["items"].values()) >= 9
    events = _events(home)
    second = run_here(home, "enrich", "--all")
    assert second.returncode == 0, second.stderr
    assert all(" 0 enriched" in line for line in _lines(second.stdout).values()), second.stdout
    assert _events(home) == events  # nothing done, nothing recorded


def test_force_runs_again_on_the_items_named(added: Path, tmp_path: Path) -> None:
    home = _copy(added, tmp_path / "home")
    store = open_store(home, "tester")
    with store.engine.connect() as connection:
        photo = connection.execute(select(Item.id).where(Item.kind == "photo")).scalars().first()
    store.engine.dispose()
    events = _events(home)
    done = run_here(home, "enrich", str(photo), "--force")
    assert done.returncode == 0, done.stderr
    lines = _lines(done.stdout)
    assert lines["photo"] == "photo: 1 enriched, 0 already done, 0 failed"
    assert lines["pdq"] == "pdq: 1 enriched, 0 already done, 0 failed"
    assert "1 item(s) considered" in done.stdout
    assert _events(home) > events


def _claims(home: Path) -> int:
    return sum(len(item["claims"]) for item in snapshot(home)["items"].values())


def test_a_new_version_of_a_reader_reads_again_and_adds_no_claim_twice(
    added: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from enquiry.enrich.text import names
    from enquiry.enrich.text.attribution import AttributionExtractor

    home = _copy(added, tmp_path / "home")
    assert run_here(home, "enrich", "--all").returncode == 0
    claims = _claims(home)
    forced = run_here(home, "enrich", "--all", "--force")
    assert _lines(forced.stdout)["claims"].startswith("claims: 5 enriched")
    assert _claims(home) == claims  # read again, the same claims: none stored twice
    # A software update: the photo reader and the claims reader change version.
    monkeypatch.setattr(PhotoMetadata, "version", "updated")
    # The claim pipeline's version is named where a coordinator reads it without loading the
    # pipeline, and carried by the pipeline once loaded: an update changes both.
    monkeypatch.setattr(names, "VERSION", "attribution-updated")
    monkeypatch.setattr(AttributionExtractor, "version", "attribution-updated")
    again = _lines(run_here(home, "enrich", "--all").stdout)
    assert again["photo"] == "photo: 3 enriched, 0 already done, 0 failed"
    assert again["claims"].startswith("claims: 5 enriched, 0 already done")
    assert again["text"] == "text: 0 enriched, 5 already done, 0 failed"  # unchanged reader
    assert _claims(home) == claims
    settled = run_here(home, "enrich", "--all")
    assert all(" 0 enriched" in line for line in _lines(settled.stdout).values()), settled.stdout


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (["999"], 1, "item '999': no such item"),
        (["1", "nonsense"], 1, "item 'nonsense': no such item"),
        ([], 2, "enrich: name ITEM... or give --all (not both)"),
        (["--all", "1"], 2, "enrich: name ITEM... or give --all (not both)"),
        (["--all", "--case", "nope"], 1, "case 'nope': no such case"),
        (["--all", "--cluster", "local:x"], 2, "--cluster local:x: not a cluster address"),
    ],
)
def test_bad_requests_are_one_line_and_change_nothing(
    added: Path, args: list[str], status: int, words: str
) -> None:
    events = _events(added)
    done = CliRunner().invoke(main, ["--home", str(added), "enrich", *args])
    assert done.exit_code == status, done.output
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], done.stderr
    assert _events(added) == events


def test_only_the_administrator_enriches(added: Path, tmp_path: Path) -> None:
    home = _copy(added, tmp_path / "home")
    admin = Enquiry.at(home, "admin")
    accounts.add_user(admin, "ana", "correct horse battery staple")
    accounts.grant(admin, "ana", "c", "analyst")
    ana = admin.acting_as(
        accounts.authenticate_password(admin, "ana", "correct horse battery staple")
    )
    with pytest.raises(Forbidden, match="enrich: only the home's administrator"):
        enrich_items(ana, everything=True)


@pytest.mark.slow
def test_on_a_cluster_the_same_records_and_events(
    added: Path, tmp_path: Path, scheduler: str
) -> None:
    alone = _copy(added, tmp_path / "alone")
    clustered = _copy(added, tmp_path / "clustered")
    # --force: every reader runs again, each reading its verified copy of the original.
    done = run_here(alone, "enrich", "--all", "--force")
    assert done.returncode == 0, done.stderr
    done_there = run_here(clustered, "enrich", "--all", "--force", "--cluster", scheduler)
    assert done_there.returncode == 0, done_there.stderr
    assert done_there.stdout == done.stdout
    _said_in_the_clear(done_there.stderr, scheduler)
    one, other = snapshot(alone), snapshot(clustered)
    for key in ("items", "item_events", "events", "recorded"):
        assert other[key] == one[key], key
    checked = run_here(clustered, "verify")
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.slow
def test_a_corrupt_original_is_refused_on_the_worker(
    added: Path, tmp_path: Path, scheduler: str
) -> None:
    home = _copy(added, tmp_path / "home")
    store = open_store(home, "tester")
    with store.engine.connect() as connection:
        photo, sha = connection.execute(
            select(Item.id, Item.sha256).where(Item.kind == "photo")
        ).first()  # type: ignore[misc]
    blob = store.vault.path(sha)
    os.chmod(blob, 0o644)
    blob.write_bytes(b"\xff\xd8 not the photo that was taken in")
    store.engine.dispose()
    before = snapshot(home)
    app = Enquiry.at(home, "admin")
    report = enrich_items(
        app, [str(photo)], force=True, cluster=scheduler, enrichers=[PhotoMetadata()]
    )
    assert report.failed and [o.item_id for o in report.run.failed] == [photo]
    problem = report.run.failed[0].problems[0]
    assert sha[:12] in problem or "corrupt" in problem.lower() or "sha" in problem.lower(), problem
    assert snapshot(home)["items"] == before["items"]  # nothing derived from bad bytes
    assert json.dumps(before["items"][sha]["metadata"])  # its intake reading is kept


@pytest.mark.slow
def test_media_hash_on_a_cluster_the_same_records_and_events(
    added: Path, tmp_path: Path, scheduler: str
) -> None:
    alone = _copy(added, tmp_path / "alone")
    clustered = _copy(added, tmp_path / "clustered")
    done = run_here(alone, "media", "hash", "--all")
    assert done.returncode == 0, done.stderr
    done_there = run_here(clustered, "media", "hash", "--all", "--cluster", scheduler)
    assert done_there.returncode == 0, done_there.stderr
    _said_in_the_clear(done_there.stderr, scheduler)
    assert done_there.stdout == done.stdout and "4 item(s) hashed, 0 failed" in done.stdout
    one, other = snapshot(alone), snapshot(clustered)
    for key in ("items", "item_events", "events", "recorded"):
        assert other[key] == one[key], key
