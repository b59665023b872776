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

import atexit
import contextlib
import logging
import multiprocessing
import os
import re
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from enquiry.errors import BadRequest, EnquiryError

if TYPE_CHECKING:
    from distributed import Client

ENVIRONMENT = "ENQUIRY_CLUSTER"
# How long to wait for a named scheduler before saying it cannot be reached.
CONNECT_SECONDS = 20.0

T = TypeVar("T")
R = TypeVar("R")

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

    @property
    def exposure(self) -> str | None:
        """What a user must be told before work goes to this cluster, or None.

        A ``tcp://`` scheduler takes any client that reaches its port and carries everything
        in the clear: whoever reaches it can read what the workers send back (the texts and
        metadata of unprotected files) and run code in the workers, which mount the vault.
        The command still connects (a team may run it on a network of its own), but says so
        every time, so that nobody sends evidence over it without knowing."""
        if not self.scheduler.startswith("tcp://"):
            return None
        return (
            f"--cluster {self.text}: the connection is neither encrypted nor authenticated;"
            " whoever reaches the scheduler can read what the workers send back and run code"
            " on them; use tls:// with certificates of your own (docs/scale.md)"
        )


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


# The Dask setting that has workers started with MALLOC_TRIM_THRESHOLD_ (see open_cluster).
TRIM_SETTING = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"
# The Dask setting that has each worker sample its task's stack every 10 ms (see open_cluster).
PROFILE_SETTING = "distributed.worker.profile.enabled"
# What the HTTP servers of a local cluster's scheduler and workers answer (see open_cluster).
HTTP_ROUTES = ("distributed.scheduler.http.routes", "distributed.worker.http.routes")


@contextlib.contextmanager
def open_cluster(
    address: ClusterAddress | str | None, warn: Callable[[str], None] | None = None
) -> Iterator[Client | None]:
    """A Dask client on the cluster for the length of the block (None when no cluster is
    asked for). A ``local:N`` cluster is started here and shut down on leaving; a remote
    scheduler is only connected to, after ``warn`` is told what a scheduler in the clear
    exposes (:attr:`ClusterAddress.exposure`)."""
    if address is None:
        yield None
        return
    if isinstance(address, str):
        address = parse_address(address)
    if address.scheduler:
        _check_client_security(address)
    if address.exposure is not None and warn is not None:
        warn(address.exposure)
    from distributed import Client, LocalCluster

    if address.local:
        import dask

        with (
            # Dask starts its workers with MALLOC_TRIM_THRESHOLD_ set, so that memory freed is
            # handed back at once; that also fixes glibc's mmap threshold, and the claim
            # pipeline's arrays are then mapped and unmapped at every allocation: about a
            # tenth more CPU for the same claims (benchmarks.md). Our workers keep the default.
            # Each worker's event loop also takes the interpreter every 10 ms to sample the
            # running task's stack for Dask's dashboard, which a local cluster does not serve:
            # the same claims took a worker about a tenth more time with it (benchmarks.md).
            #
            # A local cluster listens on the loopback, where every account of a shared machine
            # can reach it, and Dask's ports take any client: whoever connected could run code
            # in the workers, as the investigator, beside the originals they read and the vault
            # they write. So its scheduler, workers and client speak only TLS under a key and
            # certificate made in memory for this command (Dask's temporary security), which no
            # other process holds. The HTTP servers Dask starts anyway (no dashboard is asked
            # for) answer nothing: their pages would list the workers, tasks and call stacks.
            # The scheduler's is put on a free port of the loopback rather than Dask's 8787,
            # which a second command's cluster would find taken (and warn about).
            dask.config.set(
                {TRIM_SETTING: None, PROFILE_SETTING: False, **{key: [] for key in HTTP_ROUTES}}
            ),
            # The workers' own folders (where Dask spills results it cannot hold in memory)
            # in a folder of this command's, private to its user and removed with it. Dask's
            # default puts them in one folder of the system's temporary directory shared by
            # every account's clusters: it belongs to whichever account made it first, which
            # could then swap a worker's folder for one of its own. The command's work is
            # committed by the time the folder goes, so a file that cannot be removed then
            # (a killed worker's, still being let go) is left, private, rather than failing it.
            tempfile.TemporaryDirectory(
                prefix="enquiry-cluster-", ignore_cleanup_errors=True
            ) as scratch,
            LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=address.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                security=True,
                local_directory=scratch,
                silence_logs=50,
                # Each worker runs this module's dask_teardown as it closes.
                preload=[__name__],
            ) as cluster,
            Client(cluster) as client,  # type: ignore[no-untyped-call]
        ):
            yield client
        return
    _quiet()
    try:
        client = Client(address.scheduler, timeout=CONNECT_SECONDS)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise ClusterUnavailable(
            f"--cluster {address.text}: the scheduler cannot be reached ({exc})"
        ) from exc
    try:
        try:
            # A scheduler without workers would take the work and never do it.
            client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as exc:
            raise ClusterUnavailable(
                f"--cluster {address.text}: the scheduler has no workers (none joined within"
                f" {CONNECT_SECONDS:g} s); start some with 'dask worker {address.scheduler}'"
            ) from exc
        yield client
    finally:
        with contextlib.suppress(Exception):
            client.close()  # type: ignore[no-untyped-call]


def dask_teardown(worker: Any) -> None:
    """Run by each worker process of a ``local:N`` cluster as it closes (the cluster preloads
    this module): the process then ends without tearing its interpreter down.

    Such a worker is this command's own and holds nothing by the time it closes: every result
    has been handed back (and committed by the coordinator), its reading processes die with it
    (:func:`~enquiry.intake.limits.die_with_parent`) and its copies of originals are gone with
    the tasks that made them. Yet a Python process holding the claim pipeline takes about a
    second of CPU to free it object by object on the way out, and the command waits for every
    worker to end before it returns. Remote workers (``tcp://``) are not ours and are never
    given this.
    """
    atexit.register(_end_now)


def _end_now() -> None:
    """End the worker process at once. Exit handlers run last registered first: this one,
    registered as the worker closes, ends the process before those registered on import
    (which would only join reading processes that die with the worker anyway)."""
    with contextlib.suppress(Exception):
        logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def _check_client_security(address: ClusterAddress) -> None:
    """Refuse, in one line and before anything is sent, a remote address that Dask's
    configuration (the YAML files and ``DASK_*`` variables this client reads) cannot serve:
    ``tls://`` without this client's CA, certificate and key, or with files that cannot be
    read; ``tcp://`` where the configuration requires encryption. Dask itself would stop
    with a traceback deep in its connection code."""
    import dask
    from distributed.security import Security

    for setting in ("ca-file", "client.cert", "client.key"):
        named = dask.config.get(f"distributed.comm.tls.{setting}", None)
        # A value holding a line break is the PEM text itself, not a file's name.
        if isinstance(named, str) and named and "\n" not in named and not os.access(named, os.R_OK):
            raise BadRequest(
                f"--cluster {address.text}: distributed.comm.tls.{setting} in Dask's"
                f" configuration names {named}, which cannot be read"
            )
    try:
        security = Security()  # type: ignore[no-untyped-call]
        context = security.get_connection_args("client")["ssl_context"]  # type: ignore[no-untyped-call]
    except (OSError, ValueError) as exc:
        raise BadRequest(
            f"--cluster {address.text}: Dask's TLS configuration cannot be used ({exc})"
        ) from None
    if address.scheduler.startswith("tls://") and context is None:
        raise BadRequest(
            f"--cluster {address.text}: no TLS configuration for this client; name the CA, this"
            " machine's certificate and its key in Dask's configuration"
            " (distributed.comm.tls; docs/scale.md)"
        )
    if address.scheduler.startswith("tcp://") and security.require_encryption:
        raise BadRequest(
            f"--cluster {address.text}: Dask's configuration requires encryption"
            " (distributed.comm.require-encryption); name the scheduler tls://HOST:PORT"
        )


def _quiet() -> None:
    """The command says in one line what went wrong; Dask's own log lines (a reconnection
    attempt's traceback) would bury it. Its loggers each have their own level, so each is set."""
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] == "distributed"]
    for name in ["distributed", *names]:
        logging.getLogger(name).setLevel(logging.CRITICAL)


def worker_count(client: Client | Any) -> int:
    """How many workers the cluster has now (at least one, so work is always handed out)."""
    try:
        return max(1, len(client.scheduler_info().get("workers", {})))
    except Exception:  # a scheduler lost between calls: the caller's next submit says so
        return 1


def allow_child_processes() -> None:
    """Let a Dask worker process start child processes of its own.

    Dask starts its workers as daemonic processes, which ``multiprocessing`` forbids to have
    children; but every reading of a hostile file happens in a child under a time and memory
    limit (:mod:`enquiry.intake.limits`), so that a decoder that balloons or crashes costs that
    child, not the worker. Those children are killed by the kernel when their parent dies, so
    the daemon flag's one purpose (no orphans) holds without it. Called in the worker, by the
    task, before it forks.
    """
    process = multiprocessing.current_process()
    if process.daemon:
        process.daemon = False


@dataclass(frozen=True)
class Cluster:
    """A Dask client to hand work to, and the address it was opened from (named in the one
    line said if the scheduler is lost)."""

    client: Any
    address: str


@contextlib.contextmanager
def cluster_for(
    address: ClusterAddress | None, warn: Callable[[str], None] | None = None
) -> Iterator[Cluster | None]:
    """The cluster a command runs on (see :func:`chosen_address`, called by the command before
    it does anything, so a bad address costs nothing), open for the length of the block; None
    when no cluster is named. ``warn`` hears what a scheduler in the clear exposes."""
    if address is None:
        yield None
        return
    with open_cluster(address, warn) as client:
        yield Cluster(client, address.text)


@dataclass
class Killed:
    """What :func:`ordered_map` hands ``on_killed``: the task the cluster gave up on (it killed,
    or was on, a worker that died ``distributed.scheduler.allowed-failures`` times over)."""

    task: Any
    reason: str


def lost(address: str, exc: BaseException) -> ClusterUnavailable:
    """The one line for a scheduler that went away in the middle of a command."""
    words = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return ClusterUnavailable(
        f"--cluster {address}: the cluster's scheduler was lost ({words[:200]}); what was"
        " written stays, run the same command again to finish"
    )


def ordered_map(
    cluster: Cluster,
    fn: Callable[[T], R],
    tasks: Iterable[T],
    *,
    on_killed: Callable[[Killed], tuple[list[T], None] | tuple[None, R]],
    ahead: int = 0,
) -> Iterator[R]:
    """``fn(task)`` for every task, run on the cluster's workers, yielded in the tasks' order.

    At most ``ahead`` tasks (default: twice the workers, so none waits while the caller writes)
    are on the cluster at once, so a long list never sits in the scheduler's memory and an
    interrupted command leaves little work behind. A task whose worker dies is run again by
    Dask on another; one that keeps killing workers comes back as ``KilledWorker``, and then
    ``on_killed`` says either what to run in its place (``(tasks, None)``: smaller tasks, in
    order, whose results are yielded in its place) or what its result is (``(None, result)``).
    A task that raises passes its exception to the caller. A scheduler that goes away raises
    :class:`ClusterUnavailable`: what the caller committed stays.
    """
    from distributed import KilledWorker
    from distributed.comm.core import CommClosedError

    client, address = cluster.client, cluster.address
    limit = ahead or 2 * worker_count(client)
    source = iter(tasks)
    running: deque[tuple[T, Any]] = deque()

    def submit(task: T) -> tuple[T, Any]:
        try:
            future = client.submit(fn, task, pure=False)
        except Exception as exc:  # a client whose scheduler is gone refuses new work
            raise lost(address, exc) from exc
        return task, future

    def refill() -> None:
        while len(running) < limit:
            task = next(source, _END)
            if task is _END:
                return
            running.append(submit(task))  # type: ignore[arg-type]

    try:
        refill()
        seen = time.monotonic()
        while running:
            task, future = running[0]
            try:
                result = future.result(timeout=_POLL_SECONDS)
            except TimeoutError as exc:
                if future.done():
                    if future.status == "error":  # the task's own TimeoutError, not the wait's
                        if _connected(client):
                            raise
                        raise lost(address, exc) from exc
                    continue  # it finished as the wait ended: its result is there now
                # Still working, as long as some worker is there to do it.
                if _workers_now(client) > 0:
                    seen = time.monotonic()
                elif time.monotonic() - seen > WORKERLESS_SECONDS:
                    raise ClusterUnavailable(
                        f"--cluster {address}: no worker left for {WORKERLESS_SECONDS:g} s; what"
                        " was written stays, run the same command again to finish"
                    ) from None
                continue
            except KilledWorker as exc:
                replacements, settled = on_killed(Killed(task, str(exc)))
                if replacements is not None:
                    running.popleft()
                    for replacement in reversed(replacements):
                        running.appendleft(submit(replacement))
                    continue
                result = settled
            except Exception as exc:
                # A connection closed while fetching a result that is not the task's own error
                # is the scheduler gone, even when the client has not noticed it yet.
                closed = isinstance(exc, CommClosedError) and future.status != "error"
                if _connected(client) and not closed:
                    raise
                raise lost(address, exc) from exc
            running.popleft()
            refill()
            yield result
    finally:
        for _task, future in running:
            with contextlib.suppress(Exception):
                future.cancel()


_END = object()
_POLL_SECONDS = 5.0
# How long work may wait with no worker at all (every one lost and none restarted or joined)
# before the command says so rather than waiting for ever.
WORKERLESS_SECONDS = 120.0


def _workers_now(client: Client | Any) -> int:
    try:
        return len(client.scheduler_info().get("workers", {}))
    except Exception:
        return 0


def _connected(client: Client | Any) -> bool:
    """Whether the client still talks to its scheduler (a task's own error is then the task's)."""
    try:
        if getattr(client, "status", "running") != "running":
            return False
        client.scheduler_info()
    except Exception:
        return False
    return True


__all__ = [
    "CONNECT_SECONDS",
    "ENVIRONMENT",
    "Cluster",
    "ClusterAddress",
    "ClusterUnavailable",
    "Killed",
    "allow_child_processes",
    "chosen_address",
    "cluster_for",
    "lost",
    "open_cluster",
    "ordered_map",
    "parse_address",
    "worker_count",
]
