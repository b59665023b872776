"""`enquiry verify --cluster` re-hashes the blobs on Dask workers and reports exactly what a
verify on this machine reports: on a clean home and on a tampered one, on both back ends."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import samples

from conftest import Run, runner_for, show
from demo_helpers import HomeTemplates

pytestmark = pytest.mark.slow


def _fill(home: Path) -> str:
    root = home.parent / "in"
    root.mkdir()
    samples.jpeg_with_exif(root / "crater.jpg")
    samples.pdf(root / "report.pdf")
    for index in range(6):
        (root / f"statement-{index}.txt").write_text(f"statement {index}\n", encoding="utf-8")
    return runner_for(home)("add", str(root), "--case", "ks").stdout


@pytest.fixture
def filled(home_templates: HomeTemplates, run: Run, home: Path, backend: str) -> Run:
    home_templates.copy("cluster-filled", _fill, home, os.environ.get("ENQUIRY_DB"))
    return run


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A running Dask scheduler with two worker processes, as a team would start one."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield str(cluster.scheduler_address)


def _report(run: Run, *extra: str, expect: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run("verify", "--json", *extra, expect=expect).stdout)
    return data


def _blob(home: Path, run: Run, item: int) -> Path:
    sha = show(run, item)["sha256"]
    return home / "vault" / "sha256" / sha[:2] / sha[2:4] / sha


def test_a_clean_home_verifies_the_same_on_local_workers(filled: Run) -> None:
    on_cluster = _report(filled, "--cluster", "local:2", expect=0)
    here = _report(filled, expect=0)
    assert on_cluster["intact"] and on_cluster["blobs"] == 8
    # The cluster's run recorded its verified head: this run has one more event to walk.
    assert here["events"] == on_cluster["events"] + 1
    for key in ("intact", "items", "blobs", "failures", "notes"):
        assert on_cluster[key] == here[key]


def test_a_tampered_home_is_named_the_same_on_a_running_scheduler(
    filled: Run, home: Path, scheduler: str, sql: Callable[[str], Any]
) -> None:
    changed = _blob(home, filled, 2)
    os.chmod(changed, 0o644)
    changed.write_bytes(changed.read_bytes() + b"!")
    _blob(home, filled, 3).unlink()
    sql("UPDATE items SET kind = 'photo' WHERE id = 5")
    here = _report(filled, expect=1)
    on_cluster = _report(filled, "--cluster", scheduler, expect=1)
    assert on_cluster == here
    failures = "\n".join(here["failures"])
    assert "item 2 (report.pdf): blob" in failures and "changed" in failures
    assert "item 3 (statement-0.txt): blob" in failures and "missing" in failures
    assert "item 5 (statement-2.txt): row edited" in failures


def test_the_environment_names_the_cluster(
    filled: Run, home: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _blob(home, filled, 4).unlink()
    here = _report(filled, expect=1)
    monkeypatch.setenv("ENQUIRY_CLUSTER", scheduler)
    assert _report(filled, expect=1) == here
