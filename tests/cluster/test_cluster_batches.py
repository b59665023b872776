"""How work is cut for a cluster's workers, and how a local cluster's workers end."""

from __future__ import annotations

import multiprocessing
import os
import time

import psutil
import pytest

from enquiry.cluster import open_cluster
from enquiry.enrich.runner import cluster_batches


def test_batches_keep_the_order_and_shrink_toward_the_end() -> None:
    for total, workers in ((150, 2), (150, 1), (7, 2), (1, 4), (600, 2)):
        batches = list(cluster_batches(iter(range(total)), total, 16, workers))
        assert [entry for batch in batches for entry in batch] == list(range(total))
        sizes = [len(batch) for batch in batches]
        assert sizes == sorted(sizes, reverse=True), sizes
        assert max(sizes) <= 16 and min(sizes) >= 1
        if total >= 64 * workers:
            # The enricher's own batch while there is plenty left; short ones at the end.
            assert sizes[0] == 16 and sizes[-1] <= 4, sizes
            assert len(batches) >= 4 * workers
    # An enricher that reads one item at a time is never handed more.
    assert {len(b) for b in cluster_batches(iter(range(20)), 20, 1, 2)} == {1}


def _fork_a_reader() -> tuple[int, int]:
    """In a worker, as intake does: a forked reading process that dies with the worker."""
    from enquiry.cluster import allow_child_processes

    allow_child_processes()
    context = multiprocessing.get_context("fork")
    child = context.Process(target=_wait_for_parent, args=(os.getpid(),), daemon=True)
    child.start()
    _KEPT.append(child)
    return os.getpid(), int(child.pid or 0)


def _wait_for_parent(parent: int) -> None:
    from enquiry.intake.limits import die_with_parent

    die_with_parent(parent)
    time.sleep(120)


_KEPT: list[object] = []


def _gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def test_a_local_clusters_workers_end_with_their_reading_processes() -> None:
    """A local cluster's workers end without tearing their interpreter down; whatever they
    started ends with them."""
    with open_cluster("local:2") as client:
        assert client is not None
        workers = list(client.scheduler_info()["workers"])
        started = [client.submit(_fork_a_reader, pure=False, workers=[w]).result() for w in workers]
        pids = [pid for pair in started for pid in pair]
        assert all(psutil.pid_exists(pid) for pid in pids)
    assert all(_gone(pid) for pid in pids), pids


def test_the_coordinator_names_the_claim_pipeline_without_importing_spacy() -> None:
    """A coordinator writes the claims its workers read and names the pipeline's version; it
    must not pay spaCy's import (about a second of CPU while the workers wait) to do so."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from enquiry.enrich.text import attribution, enrichers\n"
        "assert enrichers.ClaimsEnricher().version == attribution.VERSION\n"
        "print('spacy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "False", done.stderr


def test_local_workers_keep_the_default_memory_trimming(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dask would start them with MALLOC_TRIM_THRESHOLD_ set, which costs the claim pipeline
    about a tenth more CPU (every large array mapped and unmapped)."""
    import os

    from enquiry.cluster import open_cluster

    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with open_cluster("local:1") as client:
        assert client is not None
        seen = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert list(seen.values()) == [None]
