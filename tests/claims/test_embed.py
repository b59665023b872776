"""Sentence embeddings: unit vectors where a paraphrase is closer than an unrelated sentence."""

from __future__ import annotations

import numpy as np
import pytest

from enquiry.enrich.text.embed import (
    DIMENSIONS,
    Embedder,
    from_bytes,
    thread_allowance,
    to_bytes,
)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def test_paraphrase_is_closer_than_unrelated(embedder: Embedder) -> None:
    vectors = embedder.embed(
        [
            "The Syrian government used sarin in Khan Shaykhun.",
            "Damascus was behind the sarin attack on Khan Shaykhun.",
            "The football match was postponed because of heavy rain.",
        ]
    )
    assert vectors.shape == (3, DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    same, other = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert same > 0.6 > 0.2 > other


def test_batching_and_order_do_not_change_vectors(embedder: Embedder) -> None:
    texts = ["a short one", "a much longer sentence about the Security Council debate", "x"]
    together = embedder.embed(texts, batch_size=2)
    alone = np.stack([embedder.embed([text])[0] for text in texts])
    assert np.allclose(together, alone, atol=1e-4)
    assert np.array_equal(from_bytes(to_bytes(together[0])), together[0])


@pytest.mark.parametrize(
    ("value", "threads"), [("1", 1), ("3", 3), (" 2 ", 2), ("0", 0), ("", 0), ("two", 0)]
)
def test_thread_allowance_is_read_from_omp_num_threads(
    value: str, threads: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", value)
    assert thread_allowance() == threads


def test_one_thread_when_the_process_is_allowed_one_and_the_same_vectors(
    embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Dask worker runs with OMP_NUM_THREADS=1: its model then keeps to one thread, and what it
    computes does not depend on how many threads computed it."""
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    one = Embedder()
    assert one.threads == 1
    monkeypatch.delenv("OMP_NUM_THREADS")
    assert Embedder().threads == 0
    assert Embedder(threads=2).threads == 2
    texts = ["The envoy denied that the panel was biased.", "Rain postponed the match."]
    assert np.allclose(one.embed(texts), embedder.embed(texts), atol=1e-4)
