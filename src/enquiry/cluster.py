"""Where heavy per-item work runs: this process's own workers, or a Dask cluster.

Intake, enrichment and verification split into work that needs no catalogue (hash a file, copy
it into the vault, read its metadata and text, hash its pictures, re-hash a blob) and the writing
of catalogue rows and ledger events. The first may run anywhere the vault is mounted; the second
stays in the one process that started the command (the coordinator), in order and in batches,
so the ledger stays one hash chain whichever machines did the reading.

A cluster is named by an address:

* ``local:N`` starts a Dask ``LocalCluster`` of N single-threaded worker processes on this
  machine for the length of the command;
* ``tcp://HOST:PORT`` (or ``tls://…``) connects to a running ``dask scheduler`` whose workers
  mount the home's vault at the same path.

``--cluster`` on a command, else the ``ENQUIRY_CLUSTER`` environment variable, names it; with
neither the command runs as before, on this machine's own worker processes. Dask is imported
only when a cluster is asked for, so commands that never use one start as quickly as before.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from enquiry.errors import BadRequest, EnquiryError

if TYPE_CHECKING:
    from distributed import Client

ENVIRONMENT = "ENQUIRY_CLUSTER"
# How long to wait for a named scheduler before saying it cannot be reached.
CONNECT_SECONDS = 20.0

_LOCAL = re.compile(r"local:(\d+)")
_REMOTE = re.compile(r"(tcp|tls)://[^\s/:]+:\d+")


class ClusterUnavailable(EnquiryError):
    """The named scheduler cannot be reached or was lost: nothing more was done; what was
    committed stays, and running the command again finishes the work."""

    exit_code = 3


@dataclass(frozen=True)
class ClusterAddress:
    """A parsed cluster address: ``workers`` for ``local:N``, ``scheduler`` for a remote one."""

    text: str
    workers: int = 0
    scheduler: str = ""

    @property
    def local(self) -> bool:
        return not self.scheduler


def parse_address(text: str) -> ClusterAddress:
    """``local:N`` or ``tcp://HOST:PORT``; anything else is refused with one line."""
    value = text.strip()
    local = _LOCAL.fullmatch(value)
    if local:
        workers = int(local.group(1))
        if not 1 <= workers <= 512:
            raise BadRequest(f"--cluster {text}: local:N needs N between 1 and 512")
        return ClusterAddress(value, workers=workers)
    if _REMOTE.fullmatch(value):
        return ClusterAddress(value, scheduler=value)
    raise BadRequest(
        f"--cluster {text}: not a cluster address (local:N, or tcp://HOST:PORT of a dask scheduler)"
    )


def chosen_address(option: str | None) -> ClusterAddress | None:
    """The address a command runs on: its ``--cluster`` option, else ``ENQUIRY_CLUSTER``, else
    none (this machine's own worker processes)."""
    text = option if option else os.environ.get(ENVIRONMENT, "").strip()
    return parse_address(text) if text else None


@contextlib.contextmanager
def open_cluster(address: ClusterAddress | str | None) -> Iterator[Client | None]:
    """A Dask client on the cluster for the length of the block (None when no cluster is
    asked for). A ``local:N`` cluster is started here and shut down on leaving; a remote
    scheduler is only connected to."""
    if address is None:
        yield None
        return
    if isinstance(address, str):
        address = parse_address(address)
    from distributed import Client, LocalCluster

    if address.local:
        with (
            LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=address.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=50,
            ) as cluster,
            Client(cluster) as client,  # type: ignore[no-untyped-call]
        ):
            yield client
        return
    try:
        client = Client(address.scheduler, timeout=CONNECT_SECONDS)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise ClusterUnavailable(
            f"--cluster {address.text}: the scheduler cannot be reached ({exc})"
        ) from exc
    try:
        yield client
    finally:
        with contextlib.suppress(Exception):
            client.close()  # type: ignore[no-untyped-call]


def worker_count(client: Client | Any) -> int:
    """How many workers the cluster has now (at least one, so work is always handed out)."""
    try:
        return max(1, len(client.scheduler_info().get("workers", {})))
    except Exception:  # a scheduler lost between calls: the caller's next submit says so
        return 1


__all__ = [
    "CONNECT_SECONDS",
    "ENVIRONMENT",
    "ClusterAddress",
    "ClusterUnavailable",
    "chosen_address",
    "open_cluster",
    "parse_address",
    "worker_count",
]
