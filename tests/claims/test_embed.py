"""Sentence embeddings: unit vectors where a paraphrase is closer than an unrelated sentence."""

from __future__ import annotations

import numpy as np
import pytest

from enquiry.enrich.text.embed import DIMENSIONS, Embedder, from_bytes, to_bytes


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
