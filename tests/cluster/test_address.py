"""Cluster addresses: what ``--cluster`` and ENQUIRY_CLUSTER accept, and the one line for the rest."""

from __future__ import annotations

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
