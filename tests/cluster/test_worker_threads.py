"""A worker of a ``local:N`` cluster is one core's worth of work: the libraries it runs keep to
one thread, so that N workers do not fight over N cores."""

from __future__ import annotations

from enquiry.cluster import open_cluster
from enquiry.enrich.text.embed import thread_allowance


def test_each_local_worker_allows_its_model_one_thread() -> None:
    with open_cluster("local:2") as client:
        assert client is not None
        allowed = client.run(thread_allowance)
    assert len(allowed) == 2
    assert set(allowed.values()) == {1}
