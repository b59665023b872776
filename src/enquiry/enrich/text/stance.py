"""Stance of a text toward a claim or hypothesis: for / against / observing, with a score.

A multinomial logistic regression over features in the manner of Ferreira & Vlachos (2016):
hashed words and word pairs of the text, counts of refuting and hedging words, a question mark,
and how close the two texts are (shared words, and the cosine of their MiniLM embeddings). The
weights are trained by ``scripts/train_stance.py`` on the Emergent headlines and shipped as
``stance.npz``; at run time only numpy is needed.

For an inquiry the classes read as: a claim that is *for* a hypothesis supports it, *against*
refutes it, *observing* is neutral. These are suggestions for an analyst, never ratings.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

HASH_DIMENSIONS = 2**12
MODEL_FILE = "stance.npz"
CLASSES = ("for", "against", "observing")
AS_HYPOTHESIS_STANCE = {"for": "supports", "against": "refutes", "observing": "neutral"}

_REFUTING_TEXT = (
    "fake fraud hoax false deny denies denied denying not no never despite nope doubt "
    "doubts bogus debunk debunks debunked prank pranks retract retracts fabricated "
    "fabrication fabricate staged lie lies lied myth rumor rumour untrue wrong baseless "
    "unfounded nonsense reject rejects rejected dismiss dismisses dismissed refute refutes "
    "refuted falsely provocation propaganda"
)
_HEDGING_TEXT = (
    "allegedly reportedly alleged claims claim claimed claiming may might could reports "
    "report reported rumored rumoured apparently purportedly suggest suggests suggested "
    "unconfirmed according possibly possible perhaps believed thought appears appear seems "
    "seem likely unclear unverified says said"
)
_STOP_TEXT = (
    "the a an of to in on for and or is are was were be been by with at from that this it its "
    "as has have had will would"
)
REFUTING = frozenset(_REFUTING_TEXT.split())
HEDGING = frozenset(_HEDGING_TEXT.split())
STOP = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
DENSE = (
    "refuting",
    "hedging",
    "question",
    "negated",
    "overlap",
    "overlap_content",
    "cosine",
    "cosine_x_refuting",
    "cosine_x_hedging",
    "bias",
)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _bucket(token: str) -> int:
    return zlib.crc32(token.encode("utf-8")) % HASH_DIMENSIONS


def features(claim: str, text: str, cosine: float) -> NDArray[np.float32]:
    """The feature vector of ``text``'s stance toward ``claim`` (their embedding cosine given)."""
    tokens = words(text)
    claim_tokens = words(claim)
    row = np.zeros(HASH_DIMENSIONS + len(DENSE), dtype=np.float32)
    grams = tokens + [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]
    for gram in grams:
        row[_bucket(gram)] += 1.0
    norm = float(np.linalg.norm(row[:HASH_DIMENSIONS]))
    if norm:
        row[:HASH_DIMENSIONS] /= norm
    refuting = sum(1 for token in tokens if token in REFUTING)
    hedging = sum(1 for token in tokens if token in HEDGING)
    seen, claimed = set(tokens), set(claim_tokens)
    content, claimed_content = seen - STOP, claimed - STOP
    dense = {
        "refuting": min(refuting, 3) / 3,
        "hedging": min(hedging, 3) / 3,
        "question": 1.0 if text.strip().endswith("?") else 0.0,
        "negated": 1.0 if seen & {"not", "no", "never", "n't", "isn't", "wasn't"} else 0.0,
        "overlap": len(seen & claimed) / max(len(seen | claimed), 1),
        "overlap_content": len(content & claimed_content) / max(len(claimed_content), 1),
        "cosine": cosine,
        "cosine_x_refuting": cosine * min(refuting, 1),
        "cosine_x_hedging": cosine * min(hedging, 1),
        "bias": 1.0,
    }
    row[HASH_DIMENSIONS:] = [dense[name] for name in DENSE]
    return row


def feature_matrix(
    claims: Sequence[str], texts: Sequence[str], embedder: Any
) -> NDArray[np.float32]:
    """Features of many (claim, text) pairs, the embeddings computed in one pass."""
    unique = sorted(set(claims) | set(texts))
    vectors = embedder.embed(unique)
    index = {text: number for number, text in enumerate(unique)}
    rows = [
        features(claim, text, float(vectors[index[claim]] @ vectors[index[text]]))
        for claim, text in zip(claims, texts, strict=True)
    ]
    return np.stack(rows) if rows else np.zeros((0, HASH_DIMENSIONS + len(DENSE)), np.float32)


@dataclass(frozen=True)
class Stance:
    """A suggested stance: the class, its probability, and every class's probability."""

    label: str
    score: float
    probabilities: dict[str, float]

    @property
    def toward_hypothesis(self) -> str:
        return AS_HYPOTHESIS_STANCE[self.label]


class StanceModel:
    """The shipped logistic regression."""

    def __init__(
        self,
        weights: NDArray[np.float32],
        bias: NDArray[np.float32],
        classes: Sequence[str],
        name: str,
    ) -> None:
        self.weights = weights
        self.bias = bias
        self.classes = tuple(classes)
        self.name = name

    @classmethod
    def load(cls) -> StanceModel:
        path = resources.files("enquiry.enrich.text").joinpath(MODEL_FILE)
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            return cls(
                data["coef"].astype(np.float32),
                data["intercept"].astype(np.float32),
                [str(name) for name in data["classes"]],
                str(data["name"]),
            )

    def probabilities(self, rows: NDArray[np.float32]) -> NDArray[np.float64]:
        logits = rows.astype(np.float64) @ self.weights.T.astype(np.float64) + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        result: NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
        return result

    def predict(self, claims: Sequence[str], texts: Sequence[str], embedder: Any) -> list[Stance]:
        """The stance of each text toward its claim."""
        probs = self.probabilities(feature_matrix(claims, texts, embedder))
        out = []
        for row in probs:
            best = int(np.argmax(row))
            out.append(
                Stance(
                    self.classes[best],
                    float(row[best]),
                    {name: float(p) for name, p in zip(self.classes, row, strict=True)},
                )
            )
        return out


@lru_cache(maxsize=1)
def default_model() -> StanceModel:
    return StanceModel.load()
