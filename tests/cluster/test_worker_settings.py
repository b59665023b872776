"""A worker of a ``local:N`` cluster is one core's worth of work spent on the work: the libraries
it runs keep to one thread, so that N workers do not fight over N cores, and nothing samples its
tasks for a dashboard that a local cluster does not serve."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import dask
import distributed  # noqa: F401  (its defaults in dask.config)

from enquiry.cluster import open_cluster
from enquiry.enrich.text.embed import thread_allowance

ROOT = Path(__file__).resolve().parents[2]


def _periodic(dask_worker: Any) -> list[str]:
    return sorted(dask_worker.periodic_callbacks)


def test_each_local_worker_allows_one_thread_and_is_not_profiled() -> None:
    with open_cluster("local:2") as client:
        assert client is not None
        allowed = client.run(thread_allowance)
        periodic = client.run(_periodic)
    assert len(allowed) == 2
    assert set(allowed.values()) == {1}
    for names in periodic.values():
        assert "heartbeat" in names  # the worker's own callbacks are listed
        assert "profile" not in names and "profile-cycle" not in names


def _trim_threshold() -> str | None:
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def _worker_environment(config: Path) -> dict[str, str]:
    """A worker's environment as on a reading machine: the configuration folder, and this
    module importable (its functions are sent by reference). A nanny started earlier in this
    process (by another test) copied its variables into this process's environment as it
    spawned its worker; they are left out, so that what is checked is what the file does."""
    env = {k: v for k, v in os.environ.items() if k not in _NANNY_SETS}
    paths = [str(Path(__file__).parent), *filter(None, [os.environ.get("PYTHONPATH")])]
    return dict(env, DASK_CONFIG=str(config), PYTHONPATH=os.pathsep.join(paths))


# What a nanny puts in its workers' environment (and copies into its own process's).
_NANNY_SETS = set(dask.config.get("distributed.nanny.pre-spawn-environ"))


def test_the_configuration_docs_give_for_dask_worker_does_what_it_says(tmp_path: Path) -> None:
    """docs/scale.md gives a Dask configuration file for workers started by hand: a ``dask
    worker`` that reads it is started without the trim threshold and without the profiler."""
    text = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(distributed:\n.*?)```", text, re.S)
    assert block is not None
    (tmp_path / "enquiry.yaml").write_text(block.group(1), encoding="utf-8")
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=0, processes=True, dashboard_address=None, silence_logs=50) as cl,
        Client(cl) as client,
    ):
        dask_cli = str(Path(sys.executable).with_name("dask"))
        worker = subprocess.Popen(
            [dask_cli, "worker", str(cl.scheduler_address), "--nthreads", "1", "--no-dashboard"],
            env=_worker_environment(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            client.wait_for_workers(1, timeout=60)
            periodic = client.run(_periodic)
            trim = client.run(_trim_threshold)
            allowed = client.run(thread_allowance)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert len(periodic) == 1
    for names in periodic.values():
        assert "heartbeat" in names
        assert "profile" not in names
    assert set(trim.values()) == {None}
    assert set(allowed.values()) == {1}
