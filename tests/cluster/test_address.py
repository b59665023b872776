"""Cluster addresses: what ``--cluster`` and ENQUIRY_CLUSTER accept, and the one line for the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from enquiry.cluster import ENVIRONMENT, chosen_address, open_cluster, parse_address
from enquiry.errors import BadRequest


def test_local_and_remote_addresses() -> None:
    assert parse_address("local:2").workers == 2
    assert parse_address("local:2").local
    remote = parse_address("tcp://10.0.0.5:8786")
    assert remote.scheduler == "tcp://10.0.0.5:8786" and not remote.local


@pytest.mark.parametrize(
    "text", ["", "local:0", "local:x", "local", "http://h:1", "tcp://h", "h:8786"]
)
def test_bad_addresses_are_refused_with_one_line(text: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_address(text)
    assert "\n" not in str(caught.value) and "--cluster" in str(caught.value)


def test_option_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENVIRONMENT, "local:3")
    assert chosen_address(None) == parse_address("local:3")
    assert chosen_address("local:1") == parse_address("local:1")
    monkeypatch.delenv(ENVIRONMENT)
    assert chosen_address(None) is None


def test_a_local_cluster_runs_work_in_other_processes() -> None:
    import os

    heard: list[str] = []
    with open_cluster("local:1", heard.append) as client:
        assert client is not None
        assert client.submit(os.getpid).result() != os.getpid()
    assert heard == []  # closed by its own certificates: nothing to warn of


def test_a_scheduler_in_the_clear_is_named_for_what_it_exposes() -> None:
    """``tcp://`` carries the workers' results unencrypted to whoever reaches the scheduler,
    which also takes any client's code: the command says so in one line. ``tls://`` and a
    ``local:N`` cluster (closed by its own certificates) say nothing."""
    said = parse_address("tcp://10.0.0.5:8786").exposure
    assert said is not None and "\n" not in said
    assert said.startswith("--cluster tcp://10.0.0.5:8786: the connection is neither encrypted")
    assert "run code" in said and "tls://" in said
    assert parse_address("tls://10.0.0.5:8786").exposure is None
    assert parse_address("local:2").exposure is None


def test_tls_without_a_configuration_is_refused_in_one_line() -> None:
    """Dask would stop deep in its connection code with a TypeError; the command names the
    setting to give, before anything is sent."""
    with pytest.raises(BadRequest) as caught, open_cluster("tls://127.0.0.1:9"):
        pass
    said = str(caught.value)
    assert said.startswith("--cluster tls://127.0.0.1:9: no TLS configuration for this client")
    assert "\n" not in said and "distributed.comm.tls" in said


def test_a_configured_file_that_cannot_be_read_is_named() -> None:
    import dask

    with (
        dask.config.set({"distributed.comm.tls.ca-file": "/nonexistent/ca.pem"}),
        pytest.raises(
            BadRequest, match=r"ca-file in Dask's configuration names /nonexistent/ca\.pem"
        ),
        open_cluster("tls://127.0.0.1:9"),
    ):
        pass


def test_tcp_where_the_configuration_requires_encryption_is_refused() -> None:
    import dask

    heard: list[str] = []
    with (
        dask.config.set({"distributed.comm.require-encryption": True}),
        pytest.raises(BadRequest, match="requires encryption"),
        open_cluster("tcp://127.0.0.1:9", heard.append),
    ):
        pass
    assert heard == []  # refused before any warning: nothing was going to be sent


def test_a_tls_scheduler_configured_as_the_docs_say_is_used_without_a_warning(
    tmp_path: Path,
) -> None:
    """A scheduler and workers under a certificate of the team's own, and this client given
    the CA, certificate and key by Dask's configuration (docs/scale.md): the command connects,
    its work runs, and nothing is said about the clear."""
    import os

    import dask
    from distributed import LocalCluster
    from distributed.security import Security

    made = Security.temporary()  # type: ignore[no-untyped-call]
    files = {}
    for name, text in (
        ("ca-file", made.tls_ca_file),
        ("client.cert", made.tls_client_cert),
        ("client.key", made.tls_client_key),
    ):
        files[name] = tmp_path / f"{name}.pem"
        files[name].write_text(text, encoding="ascii")
    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        dashboard_address=None,
        security=made,
        host="127.0.0.1",
    ) as cluster:
        address = str(cluster.scheduler_address)
        assert address.startswith("tls://")
        settings = {f"distributed.comm.tls.{k}": str(v) for k, v in files.items()}
        heard: list[str] = []
        with dask.config.set(settings), open_cluster(address, heard.append) as client:
            assert client is not None
            assert client.submit(os.getpid).result() == os.getpid()  # a worker thread here
        assert heard == []


def test_the_command_says_the_configuration_is_missing_in_one_line(tmp_path: Path) -> None:
    from cluster_helpers import run_here

    statement = tmp_path / "statement.txt"
    statement.write_text("A statement.\n", encoding="utf-8")
    assert run_here(tmp_path / "home", "add", str(statement), "--case", "c").returncode == 0
    done = run_here(tmp_path / "home", "verify", "--cluster", "tls://127.0.0.1:9")
    assert done.returncode == BadRequest.exit_code
    assert done.stderr.splitlines() == [
        "enquiry: --cluster tls://127.0.0.1:9: no TLS configuration for this client; name the"
        " CA, this machine's certificate and its key in Dask's configuration"
        " (distributed.comm.tls; docs/scale.md)"
    ]
