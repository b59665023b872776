"""A ``local:N`` cluster listens on the loopback, which every account of a shared machine can
reach. Whoever could connect to its scheduler or workers could run code in them as the
investigator; whoever could read its HTTP pages would see its workers, tasks and call stacks.
So it speaks only TLS under credentials made in memory for the command, and its HTTP servers
answer nothing. These tests are the other account: they know the ports, not the key."""

from __future__ import annotations

import os
import stat
import tempfile
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from typing import Any

import pytest
from distributed import Client
from distributed.security import Security

from enquiry.cluster import open_cluster

# Pages a stranger on the machine would ask Dask's HTTP servers for.
SCHEDULER_PAGES = (
    "/info/main/workers.html",
    "/json/identity.json",
    "/json/counts.json",
    "/metrics",
    "/health",
)
WORKER_PAGES = ("/metrics", "/health")


def _worker_folder(dask_worker: Any) -> str:
    return str(dask_worker.local_directory)


def _scheduler_http_place(dask_scheduler: Any) -> tuple[str, int]:
    return str(dask_scheduler.http_server.address), int(dask_scheduler.http_server.port)


def _worker_http_port(dask_worker: Any) -> int:
    return int(dask_worker.http_server.port)


def _status(port: int, page: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return int(refused.code)


def _connects(address: str, security: Security | None) -> bool:
    """Whether a Dask client of another process gets through to ``address``."""
    try:
        with Client(address, security=security, timeout=5):  # type: ignore[no-untyped-call]
            return True
    except (OSError, TimeoutError):
        return False


@pytest.fixture(scope="module")
def local_cluster() -> Any:
    with open_cluster("local:1") as client:
        assert client is not None
        yield client


def test_its_scheduler_and_workers_speak_only_tls(local_cluster: Client) -> None:
    scheduler = local_cluster.scheduler.address
    workers = list(local_cluster.scheduler_info()["workers"])
    assert scheduler.startswith("tls://127.0.0.1:"), scheduler
    assert workers and all(w.startswith("tls://127.0.0.1:") for w in workers), workers
    # The command's own client works over it.
    assert local_cluster.submit(sum, [1, 2, 3]).result(timeout=30) == 6


def test_a_client_without_the_commands_key_is_refused(local_cluster: Client) -> None:
    scheduler = local_cluster.scheduler.address
    # In the clear, at the same port.
    assert not _connects(scheduler.replace("tls://", "tcp://"), None)
    # Over TLS with a certificate of its own making, as Dask's defaults would let it make.
    assert not _connects(scheduler, Security.temporary())  # type: ignore[no-untyped-call]


def test_its_http_servers_answer_nothing(local_cluster: Client) -> None:
    _, port = local_cluster.run_on_scheduler(_scheduler_http_place)
    for page in SCHEDULER_PAGES:
        assert _status(port, page) == 404, page
    worker_ports = local_cluster.run(_worker_http_port)
    assert worker_ports
    for worker_port in worker_ports.values():
        for page in WORKER_PAGES:
            assert _status(worker_port, page) == 404, page


def test_two_commands_clusters_at_once_each_take_a_free_loopback_port() -> None:
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        with open_cluster("local:1") as first, open_cluster("local:1") as second:
            assert first is not None and second is not None
            places = [c.run_on_scheduler(_scheduler_http_place) for c in (first, second)]
    assert [host for host, _ in places] == ["127.0.0.1", "127.0.0.1"]
    assert places[0][1] != places[1][1]
    assert not [w for w in warned if "already in use" in str(w.message)], warned


def test_its_workers_folders_are_the_commands_own(local_cluster: Client) -> None:
    """Where Dask spills results it cannot hold: not its folder in the system's temporary
    directory that every account's clusters share, which belongs to whoever made it first."""
    folders = [Path(f) for f in local_cluster.run(_worker_folder).values()]
    assert folders
    system_temp = Path(tempfile.gettempdir()).resolve()
    for folder in folders:
        assert folder.is_dir()
        private = [
            parent
            for parent in [folder, *folder.parents]
            if parent.is_relative_to(system_temp)
            and parent != system_temp
            and stat.S_IMODE(parent.stat().st_mode) == 0o700
            and parent.stat().st_uid == os.getuid()
        ]
        assert private, f"{folder}: no folder of its own, closed to other accounts, holds it"
        assert not folder.is_relative_to(system_temp / "dask-scratch-space")


def test_the_workers_folders_are_removed_when_the_command_ends() -> None:
    with open_cluster("local:1") as client:
        assert client is not None
        folders = [Path(f) for f in client.run(_worker_folder).values()]
        assert folders and all(f.is_dir() for f in folders)
    assert not [f for f in folders if f.exists()]
