"""What a user sees of a cluster: per-stage counts as the work goes, ENQUIRY_CLUSTER taken when
no option is given, and one line when the scheduler cannot be reached."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

import enquiry.cluster
from enquiry.app import Enquiry, evidence
from enquiry.app.enrichment import enrich_items
from enquiry.cluster import ENVIRONMENT, ClusterUnavailable
from enquiry.enrich.text.enrichers import ClaimsEnricher


class Recorder:
    """A progress that keeps every stage, the per-step counts of each, and problem lines."""

    def __init__(self) -> None:
        self.stages: list[str] = []
        self.seen: list[tuple[str, dict[str, int]]] = []
        self.problems: list[str] = []

    def start(self, stage: str, total: int | None = None, unit: str = "item") -> None:
        self.stages.append(stage)

    def advance(self, amount: int = 1) -> None:
        return None

    def counts(self, values: dict[str, int]) -> None:
        self.seen.append((self.stages[-1], dict(values)))

    def problem(self, line: str) -> None:
        self.problems.append(line)

    def finish(self) -> None:
        return None

    def of(self, stage: str) -> list[dict[str, int]]:
        return [counts for named, counts in self.seen if named == stage]


def test_counts_per_step_on_a_cluster_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(10):
        (folder / f"s{index}.txt").write_text(
            f"The spokesman said on Monday that {index} convoys had crossed.\n", encoding="utf-8"
        )
    (folder / "empty.txt").write_bytes(b"")
    monkeypatch.setenv(ENVIRONMENT, "local:1")  # no --cluster: the environment names it
    app = Enquiry.at(tmp_path / "home", "admin")
    seen = Recorder()
    report = evidence.add(app, [folder], case="c", progress=seen)
    assert report.count("stored") == 10 and report.count("rejected") == 1
    intake = seen.of("11 files")
    assert intake[-1] == {"read": 11, "written": 11, "problems": 1}
    # The counts grew step by step, reading ahead of writing.
    assert all(c["written"] <= c["read"] for c in intake)
    assert any(c["written"] < c["read"] for c in intake)
    enriched = Recorder()
    done = enrich_items(app, everything=True, progress=enriched, enrichers=[ClaimsEnricher()])
    claims = enriched.of("claims")
    assert claims[-1] == {"read": 10, "written": 10, "failed": 0}
    assert done.enrichers[0].enriched == 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_scheduler_is_one_line_and_nothing_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(enquiry.cluster, "CONNECT_SECONDS", 2.0)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("a statement\n", encoding="utf-8")
    app = Enquiry.at(tmp_path / "home", "admin")
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(ClusterUnavailable) as caught:
        evidence.add(app, [folder], case="c", cluster=address)
    line = str(caught.value)
    assert "\n" not in line and line.startswith(f"--cluster {address}: the scheduler cannot")
    assert caught.value.exit_code == 3
    assert evidence.list_items(app).items == []


def test_a_scheduler_without_workers_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    monkeypatch.setattr(enquiry.cluster, "CONNECT_SECONDS", 3.0)
    port = _free_port()
    scheduler = subprocess.Popen(
        [Path(sys.executable).parent / "dask", "scheduler", "--host", "127.0.0.1", "--port",
         str(port), "--no-dashboard"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "a.txt").write_text("a statement\n", encoding="utf-8")
        app = Enquiry.at(tmp_path / "home", "admin")
        address = f"tcp://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # until the scheduler listens
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        with pytest.raises(ClusterUnavailable) as caught:
            evidence.add(app, [folder], case="c", cluster=address)
    finally:
        scheduler.kill()
        scheduler.wait()
    line = str(caught.value)
    assert "\n" not in line and "the scheduler has no workers" in line
    assert f"dask worker {address}" in line
    assert evidence.list_items(app).items == []
