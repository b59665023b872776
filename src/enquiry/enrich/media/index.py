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
import re
import secrets
import shutil
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Self

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


class _HashTable:
    """What both indexes share: stored hashes as ``rows`` and an empty index to start from."""

    rows: NDArray[np.uint8]

    def __init__(
        self,
        rows: NDArray[np.uint8],
        keys: NDArray[np.int64],
        items: NDArray[np.int64],
        times: NDArray[np.float64],
    ) -> None:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def empty(cls) -> Self:
        """An index of no hashes (a home with no pictures yet)."""
        return cls(
            np.zeros((0, BITS // 8), dtype=np.uint8),
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.int64),
            np.zeros(0, dtype=np.float64),
        )


class HammingIndex(_HashTable):
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


# --- the window index: probed by 24-bit keys, for tens of millions of hashes ---------------------

# Sixteen overlapping keys per hash: key ``j`` is the 24 bits of bytes 2j, 2j+1 and 2j+2 (the last
# wraps around), so every bit sits in one or two keys.
PROBE_TABLES = 16
PROBE_KEY_BITS = 24
PROBE_FORMAT = 2
# A saved generation's folder: the index's name, a dot and 32 hex digits.
_GENERATION = re.compile(r"[A-Za-z0-9_-]+\.[0-9a-f]{32}")
# A bucket holding this many times its fair share is a value shared by many hashes of flat or
# repetitive content (a stop word): it is not read (the other keys still find such a pair).
BUCKET_CAP_FACTOR = 64
BUCKET_CAP_MIN = 256


def _key_bits(n: int) -> int:
    """Key length for ``n`` hashes: about 4 buckets a hash (fewer random candidates the bigger
    the index), at most 24 bits, at least 12."""
    return int(min(PROBE_KEY_BITS, max(12, int(np.ceil(np.log2(max(n, 1)))) + 2)))


def probe_key(rows: NDArray[np.uint8], j: int, bits: int) -> NDArray[np.uint32]:
    """Key ``j`` of each hash: the low ``bits`` of the 24 bits at bytes 2j, 2j+1, 2j+2."""
    a, b, c = 2 * j, 2 * j + 1, (2 * j + 2) % (BITS // 8)
    key = rows[:, a].astype(np.uint32) | (rows[:, b].astype(np.uint32) << 8)
    key |= rows[:, c].astype(np.uint32) << 16
    return np.asarray(key & np.uint32((1 << bits) - 1), dtype=np.uint32)


def probe_keys(rows: NDArray[np.uint8], bits: int) -> NDArray[np.uint32]:
    """The (n, 16) keys of each hash (see :func:`probe_key`)."""
    return np.stack([probe_key(rows, j, bits) for j in range(PROBE_TABLES)], axis=1)


def _stable_order(keys: NDArray[np.uint32]) -> NDArray[np.intp]:
    """``np.argsort(keys, kind="stable")``, as two passes of numpy's radix sort of 16-bit
    values (low half, then high half): ~3× faster than its merge sort of 32-bit values."""
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    high = (keys[order] >> 16).astype(np.uint16)
    return np.asarray(order[np.argsort(high, kind="stable")], dtype=np.int64)


class ProbeIndex(_HashTable):
    """Hamming-radius search over tens of millions of hashes (the windows of a million photos)
    for hundreds of query hashes at a time, in milliseconds, memory-mapped from disk.

    Exact multi-index hashing (:class:`HammingIndex`) reads, for a radius of 31 bits, 17 buckets
    of 16-bit chunk values in each of 16 tables: with 20 million hashes that is ~80,000 candidates
    for each query hash, and a photo query has hundreds (its windows). Here each hash is filed
    under 16 overlapping keys of up to 24 bits (:func:`probe_keys`) and a query reads only the 16
    buckets of its own keys: ~1 random candidate per bucket. A pair is found when one of the 16
    keys is identical in both — always when they are within 7 bits (a bit sits in at most two
    keys), and for pairs 10–31 bits apart with a probability that falls with the distance (0.99
    at 15 bits, ~0.9 at 20, ~0.5 at 31 for independent bit flips; the windows of a copy come in
    dozens, so a copy is missed only when all of them are). Every candidate's full distance is
    checked: there are no false hits, only misses; so the results are a subset of brute force's,
    identical up to 7 bits.
    """

    def __init__(
        self,
        rows: NDArray[np.uint8],
        keys: NDArray[np.int64],
        items: NDArray[np.int64],
        times: NDArray[np.float64],
        *,
        tables: tuple[NDArray[np.integer], NDArray[np.integer]] | None = None,
    ) -> None:
        self.rows = rows if isinstance(rows, np.memmap) else as_rows(rows)
        n = len(self.rows)
        if not (len(keys) == len(items) == len(times) == n):
            raise ValueError("hashes, keys, items and times must have the same length")
        self.keys = keys if isinstance(keys, np.memmap) else np.asarray(keys, dtype=np.int64)
        self.items = items if isinstance(items, np.memmap) else np.asarray(items, dtype=np.int64)
        self.times = times if isinstance(times, np.memmap) else np.asarray(times, np.float32)
        self.bits = _key_bits(n)
        if tables is None:
            tables = self._build()
        self._order: NDArray[np.integer] = tables[0]
        self._offsets: NDArray[np.integer] = tables[1]
        if self._order.shape != (PROBE_TABLES, n) or self._offsets.shape != (
            PROBE_TABLES,
            (1 << self.bits) + 1,
        ):
            raise ValueError("the index tables do not fit its hashes")
        self._cap = max(BUCKET_CAP_MIN, BUCKET_CAP_FACTOR * n >> self.bits)

    def _build(self) -> tuple[NDArray[np.uint32], NDArray[np.uint32]]:  # order, offsets
        n = len(self.rows)
        if n >= 2**32 - 1:
            raise ValueError("an index holds fewer than 4 billion hashes")
        order = np.empty((PROBE_TABLES, n), dtype=np.uint32)
        offsets = np.zeros((PROBE_TABLES, (1 << self.bits) + 1), dtype=np.uint32)
        for j in range(PROBE_TABLES):
            # one table at a time: the keys of all 16 would take 64 bytes a hash at once
            column = self._column(j)
            order[j] = _stable_order(column)
            np.cumsum(np.bincount(column, minlength=1 << self.bits), out=offsets[j, 1:])
        return order, offsets

    def _column(self, j: int, step: int = 1 << 22) -> NDArray[np.uint32]:
        """Key ``j`` of every hash, computed in slices (memory stays at a few MB)."""
        out = np.empty(len(self.rows), dtype=np.uint32)
        for lo in range(0, len(self.rows), step):
            out[lo : lo + step] = probe_key(np.asarray(self.rows[lo : lo + step]), j, self.bits)
        return out

    def search_many(
        self, queries: NDArray[np.uint8], radius: int = DEFAULT_RADIUS
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        """(query numbers, positions, distances) of the indexed hashes found within ``radius``
        of each of the (q, 32) ``queries``, all looked up in one vectorised pass; sorted by
        query, then position."""
        q = as_rows(queries)
        none = np.zeros(0, dtype=np.int64)
        if radius < 0 or len(self.rows) == 0 or len(q) == 0:
            return none, none, none
        qkeys = probe_keys(q, self.bits).astype(np.int64)  # (q, 16)
        tables = np.arange(PROBE_TABLES)[None, :]
        starts = self._offsets[tables, qkeys].astype(np.int64)
        lengths = self._offsets[tables, qkeys + 1].astype(np.int64) - starts
        lengths[lengths > self._cap] = 0  # stop words
        flat_starts = (starts + tables * len(self.rows)).reshape(-1)
        lengths = lengths.reshape(-1)
        owner = np.repeat(np.arange(len(q), dtype=np.int64), PROBE_TABLES)
        nonempty = lengths > 0
        lengths, flat_starts, owner = lengths[nonempty], flat_starts[nonempty], owner[nonempty]
        total = int(lengths.sum())
        if total == 0:
            return none, none, none
        ends = np.cumsum(lengths)
        shift = np.repeat(flat_starts - (ends - lengths), lengths)
        order_flat = self._order.reshape(-1)
        candidates = np.asarray(order_flat[np.arange(total, dtype=np.int64) + shift], np.int64)
        asked = np.repeat(owner, lengths)
        words = np.asarray(self.rows[candidates]).view(np.uint64)
        dist = np.bitwise_count(words ^ q.view(np.uint64)[asked]).sum(axis=1, dtype=np.int64)
        hit = np.flatnonzero(dist <= radius)
        # A hash found through several of its keys is one hit. Made unique among the hits only:
        # sorting every candidate (tens of thousands a query for hundreds of corners) cost
        # more than measuring them all twice over.
        pair, first = np.unique(asked[hit] * len(self.rows) + candidates[hit], return_index=True)
        return pair // len(self.rows), pair % len(self.rows), dist[hit[first]]

    def search(self, query: NDArray[np.uint8] | str, radius: int = DEFAULT_RADIUS) -> list[Match]:
        """The indexed hashes found within ``radius`` of one query hash, nearest first."""
        q = as_rows([query]) if isinstance(query, str) else as_rows(np.asarray(query)[None, :])
        _, positions, dist = self.search_many(q, radius)
        order = np.argsort(dist, kind="stable")
        return [
            self.match(int(p), int(d)) for p, d in zip(positions[order], dist[order], strict=True)
        ]

    def match(self, position: int, distance: int) -> Match:
        """The payload of the hash at ``position`` as a :class:`Match`."""
        t = float(self.times[position])
        return Match(
            key=int(self.keys[position]),
            item=int(self.items[position]),
            t=None if np.isnan(t) else t,
            distance=distance,
        )

    def extended(
        self,
        rows: NDArray[np.uint8],
        keys: NDArray[np.int64],
        items: NDArray[np.int64],
        times: NDArray[np.float64],
    ) -> ProbeIndex:
        """A new index holding these hashes and the new ones (the tables are rebuilt)."""
        return ProbeIndex(
            np.concatenate([np.asarray(self.rows), as_rows(rows)]),
            np.concatenate([np.asarray(self.keys), keys]),
            np.concatenate([np.asarray(self.items), items]),
            np.concatenate([np.asarray(self.times, dtype=np.float64), times]),
        )

    _PARTS = ("rows", "keys", "items", "times", "order", "offsets")

    def save(self, folder: Path, stamp: dict[str, int], name: str) -> None:
        """Write the hashes, payloads and tables as ``.npy`` files (loaded memory-mapped, so
        opening a big index reads only what queries touch) in a generation folder of their own,
        and, last, the stamp ``<name>.json`` naming that folder, replaced in one rename.

        A reader therefore sees one whole generation or the one before, never parts of two
        (which could pair one generation's hashes with another's item ids); older generations
        are removed once the stamp names the new one."""
        folder.mkdir(parents=True, exist_ok=True)
        generation = f"{name}.{secrets.token_hex(16)}"
        target = folder / generation
        target.mkdir()
        parts = dict(
            zip(
                self._PARTS,
                (self.rows, self.keys, self.items, self.times, self._order, self._offsets),
                strict=True,
            )
        )
        for part, array in parts.items():
            with (target / f"{part}.npy").open("wb") as handle:
                np.save(handle, np.asarray(array))
        temp = folder / f"{name}.{os.getpid()}.tmp.json"
        temp.write_text(
            json.dumps(
                {"format": PROBE_FORMAT, "key_bits": self.bits, "generation": generation, **stamp}
            )
        )
        temp.replace(folder / f"{name}.json")
        for old in folder.glob(f"{name}.*"):
            if old.is_dir() and old.name != generation and _GENERATION.fullmatch(old.name):
                shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, name: str) -> tuple[ProbeIndex, dict[str, int]] | None:
        """The saved index (memory-mapped, read-only) and its stamp, or None when there is none
        or it does not hold together."""
        try:
            stamp = json.loads((folder / f"{name}.json").read_text())
            if stamp.get("format") != PROBE_FORMAT:
                return None
            generation = str(stamp.get("generation", ""))
            # The stamp names a folder beside it, nothing else (the home may be hostile).
            if not _GENERATION.fullmatch(generation) or not generation.startswith(name + "."):
                return None
            parts = {
                part: np.load(folder / generation / f"{part}.npy", mmap_mode="r")
                for part in cls._PARTS
            }
            index = cls(
                parts["rows"],
                parts["keys"],
                parts["items"],
                parts["times"],
                tables=(parts["order"], parts["offsets"]),
            )
        except (OSError, ValueError, KeyError, AttributeError):
            return None
        if len(index) != stamp.get("count") or index.bits != stamp.get("key_bits"):
            return None
        return index, stamp


class Tiered:
    """A saved index and a small one of the hashes stored since it was saved, searched as one.

    Bringing a saved index up to date after every intake would rebuild its tables over the
    whole archive each time: at a million photos (twenty million window hashes) that is the
    archive's size in work for a handful of new pictures. So the hashes stored since the save
    are indexed on their own, in memory, on each opening (work in proportion to them), and the
    two are merged and saved only once the new ones are a share of the whole (see
    ``enquiry.enrich.media.catalogue``): the rebuilding is paid once per share of growth. The
    answers are those of the two indexes together: the positions of ``recent`` follow
    ``main``'s.
    """

    def __init__(self, main: HammingIndex | ProbeIndex, recent: HammingIndex | ProbeIndex) -> None:
        self.main = main
        self.recent = recent

    def __len__(self) -> int:
        return len(self.main) + len(self.recent)

    def search(self, query: NDArray[np.uint8] | str, radius: int = DEFAULT_RADIUS) -> list[Match]:
        """The hashes of both within ``radius`` of ``query``, nearest first."""
        found = self.main.search(query, radius) + self.recent.search(query, radius)
        return sorted(found, key=lambda m: m.distance)

    def search_many(
        self, queries: NDArray[np.uint8], radius: int = DEFAULT_RADIUS
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        """As :meth:`ProbeIndex.search_many`, over both (sorted by query, then position)."""
        if not isinstance(self.main, ProbeIndex) or not isinstance(self.recent, ProbeIndex):
            raise TypeError("search_many needs probed indexes")
        asked, positions, distances = self.main.search_many(queries, radius)
        more_asked, more_positions, more_distances = self.recent.search_many(queries, radius)
        asked = np.concatenate([asked, more_asked])
        positions = np.concatenate([positions, more_positions + len(self.main)])
        distances = np.concatenate([distances, more_distances])
        order = np.lexsort((positions, asked))
        return asked[order], positions[order], distances[order]

    def match(self, position: int, distance: int) -> Match:
        """The payload of the hash at ``position`` of the two laid end to end."""
        if not isinstance(self.main, ProbeIndex) or not isinstance(self.recent, ProbeIndex):
            raise TypeError("match needs probed indexes")
        if position < len(self.main):
            return self.main.match(position, distance)
        return self.recent.match(position - len(self.main), distance)
