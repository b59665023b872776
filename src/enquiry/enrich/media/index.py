"""Exact Hamming-radius search over 256-bit hashes: multi-index hashing, vectorised with numpy.

Why this method (see docs/media.md for the numbers): split each hash into 16 chunks of 16 bits.
If two hashes differ in at most ``r`` bits, then by the pigeonhole principle at least one chunk
differs in at most ``r // 16`` bits (16 chunks each differing in more would add up to more than
``r``). So the candidates are exactly the hashes that share, in some chunk, a value within
``r // 16`` bits of the query's — for the default radius 31 that is the chunk value itself or one
of its 16 one-bit neighbours, 17 buckets in each of 16 tables. Each candidate's full distance is
then checked, so the answer is exactly brute force's (no approximation) while touching a few
thousand of a million hashes. The tables are counting-sorted arrays (one ``offsets`` row of
65,537 bucket starts and one ``order`` row per chunk), which numpy gathers without a Python loop.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

BITS = 256
CHUNKS = 16
CHUNK_BITS = BITS // CHUNKS
DEFAULT_RADIUS = 31
# Past this radius a bucket search visits most of the index anyway (and PDQ matches that far
# apart are noise), so the scan is brute force — still exact.
MAX_MIH_RADIUS = 63
FORMAT = 1


def _masks(sub_radius: int) -> NDArray[np.uint16]:
    """Every 16-bit mask with at most ``sub_radius`` bits set."""
    masks = [0]
    for weight in range(1, sub_radius + 1):
        for bits in combinations(range(CHUNK_BITS), weight):
            masks.append(sum(1 << b for b in bits))
    return np.array(masks, dtype=np.uint16)


def as_rows(hashes: NDArray[np.uint8] | list[str]) -> NDArray[np.uint8]:
    """Hashes as an (n, 32) uint8 array, from hex strings or bytes rows."""
    if isinstance(hashes, list):
        if not hashes:
            return np.zeros((0, BITS // 8), dtype=np.uint8)
        raw = bytes.fromhex("".join(hashes))
        if len(raw) != len(hashes) * (BITS // 8):
            raise ValueError("every hash must have 64 hex digits")
        return np.frombuffer(raw, dtype=np.uint8).reshape(-1, BITS // 8).copy()
    rows = np.ascontiguousarray(hashes, dtype=np.uint8)
    if rows.ndim != 2 or rows.shape[1] != BITS // 8:
        raise ValueError(f"hashes must be rows of {BITS // 8} bytes")
    return rows


def brute_force(
    rows: NDArray[np.uint8], query: NDArray[np.uint8], radius: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(positions, distances) of the rows within ``radius`` of ``query``, by scanning them all:
    the reference the index is checked against, and its fall-back for very large radii."""
    words = rows.view(np.uint64)
    q = np.ascontiguousarray(query, dtype=np.uint8).view(np.uint64)
    dist = np.bitwise_count(words ^ q).sum(axis=1, dtype=np.int64)
    positions = np.flatnonzero(dist <= radius)
    return positions.astype(np.int64), dist[positions]


@dataclass
class Match:
    """One indexed hash within the radius: its row's key and payload, and the distance."""

    key: int
    item: int
    t: float | None
    distance: int


class HammingIndex:
    """An exact Hamming-radius index of 256-bit hashes, each with a key (e.g. the row id of the
    stored hash), an item id and a time in seconds (NaN for a still picture)."""

    def __init__(
        self,
        rows: NDArray[np.uint8],
        keys: NDArray[np.int64],
        items: NDArray[np.int64],
        times: NDArray[np.float64],
    ) -> None:
        self.rows = as_rows(rows)
        n = len(self.rows)
        if not (len(keys) == len(items) == len(times) == n):
            raise ValueError("hashes, keys, items and times must have the same length")
        self.keys = np.asarray(keys, dtype=np.int64)
        self.items = np.asarray(items, dtype=np.int64)
        self.times = np.asarray(times, dtype=np.float64)
        self._words = self.rows.view(np.uint64)
        chunks = self.rows.view(np.uint16)  # (n, 16)
        # Stable counting sort per chunk: order[j] lists row positions bucket by bucket, and
        # offsets[j, v] is where bucket v starts in it.
        self._order = np.empty((CHUNKS, n), dtype=np.int32 if n < 2**31 else np.int64)
        self._offsets = np.zeros((CHUNKS, 2**CHUNK_BITS + 1), dtype=np.int64)
        for j in range(CHUNKS):
            column = chunks[:, j]
            self._order[j] = np.argsort(column, kind="stable")
            np.cumsum(np.bincount(column, minlength=2**CHUNK_BITS), out=self._offsets[j, 1:])
        self._order_flat = self._order.reshape(-1)
        self._base = (np.arange(CHUNKS, dtype=np.int64) * n)[:, None]
        self._mask_cache: dict[int, NDArray[np.uint16]] = {}

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def empty(cls) -> HammingIndex:
        return cls(
            np.zeros((0, BITS // 8), dtype=np.uint8),
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.float64),
        )

    def search_positions(
        self, query: NDArray[np.uint8], radius: int = DEFAULT_RADIUS
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(positions, distances) of every indexed hash within ``radius`` bits of ``query``
        (32 bytes), positions ascending — exactly what :func:`brute_force` returns."""
        q = np.ascontiguousarray(query, dtype=np.uint8)
        if q.shape != (BITS // 8,):
            raise ValueError("a query is one 256-bit hash (32 bytes)")
        if radius < 0 or len(self.rows) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if radius > MAX_MIH_RADIUS:
            return brute_force(self.rows, q, radius)
        sub = radius // CHUNKS
        masks = self._mask_cache.get(sub)
        if masks is None:
            masks = self._mask_cache[sub] = _masks(sub)
        keys = (q.view(np.uint16)[:, None] ^ masks[None, :]).astype(np.int64)  # (16, m)
        rows_ix = np.arange(CHUNKS)[:, None]
        starts = self._offsets[rows_ix, keys]
        lengths = (self._offsets[rows_ix, keys + 1] - starts).reshape(-1)
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        flat_starts = (starts + self._base).reshape(-1)
        nonempty = lengths > 0
        lengths, flat_starts = lengths[nonempty], flat_starts[nonempty]
        # Concatenate the ranges [start, start + length) without a loop.
        ends = np.cumsum(lengths)
        shift = np.repeat(flat_starts - (ends - lengths), lengths)
        candidates = self._order_flat[np.arange(total, dtype=np.int64) + shift]
        dist = np.bitwise_count(self._words[candidates] ^ q.view(np.uint64)).sum(axis=1)
        hit = dist <= radius
        positions, first = np.unique(candidates[hit], return_index=True)
        return positions.astype(np.int64), dist[hit][first].astype(np.int64)

    def search(self, query: NDArray[np.uint8] | str, radius: int = DEFAULT_RADIUS) -> list[Match]:
        """The indexed hashes within ``radius`` of ``query`` (hex or bytes), nearest first."""
        q = as_rows([query])[0] if isinstance(query, str) else query
        positions, dist = self.search_positions(q, radius)
        order = np.argsort(dist, kind="stable")
        return [
            Match(
                key=int(self.keys[p]),
                item=int(self.items[p]),
                t=None if np.isnan(self.times[p]) else float(self.times[p]),
                distance=int(d),
            )
            for p, d in zip(positions[order], dist[order], strict=True)
        ]

    def extended(
        self,
        rows: NDArray[np.uint8],
        keys: NDArray[np.int64],
        items: NDArray[np.int64],
        times: NDArray[np.float64],
    ) -> HammingIndex:
        """A new index holding these hashes and the new ones (the tables are rebuilt: a counting
        sort of a million rows takes well under a second)."""
        return HammingIndex(
            np.concatenate([self.rows, as_rows(rows)]),
            np.concatenate([self.keys, keys]),
            np.concatenate([self.items, items]),
            np.concatenate([self.times, times]),
        )

    def save(self, folder: Path, stamp: dict[str, int], name: str = "pdq") -> None:
        """Write the hashes and payloads (the tables are rebuilt on load) plus a stamp saying
        which stored rows they cover, atomically enough: the stamp is written last. ``name``
        tells a home's indexes apart (whole pictures, windows)."""
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f"{name}.{os.getpid()}.tmp.npz"  # two writers never share a temporary
        with temp.open("wb") as handle:
            np.savez(handle, rows=self.rows, keys=self.keys, items=self.items, times=self.times)
        temp.replace(folder / f"{name}.npz")
        (folder / f"{name}.json").write_text(json.dumps({"format": FORMAT, **stamp}))

    @classmethod
    def load(cls, folder: Path, name: str = "pdq") -> tuple[HammingIndex, dict[str, int]] | None:
        """The saved index and its stamp, or None when there is none (or it is unreadable)."""
        try:
            stamp = json.loads((folder / f"{name}.json").read_text())
            if stamp.get("format") != FORMAT:
                return None
            with np.load(folder / f"{name}.npz") as saved:
                index = cls(saved["rows"], saved["keys"], saved["items"], saved["times"])
        except (OSError, ValueError, KeyError):
            return None
        if len(index) != stamp.get("count"):
            return None
        return index, stamp
