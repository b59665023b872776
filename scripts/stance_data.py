"""The stance training and evaluation data, read in one place, and an embedding cache for it.

Used by ``scripts/train_stance.py`` and ``benchmarks/stance.py``. Labels are mapped to the
model's classes: Emergent's for / against / observing to supports / refutes / discusses; FNC-1's
and ARC's agree / disagree / discuss / unrelated to supports / refutes / discusses / unrelated.
The data stays in ``../shared/data``; the embedding cache lives outside the repository
(``/tmp/enquiry-stance-cache`` unless told otherwise) and is keyed by the exact text and the
embedding model's name.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.text.embed import MODEL_NAME, Embedder  # noqa: E402
from enquiry.enrich.text.stance import sentences  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CACHE = Path(os.environ.get("ENQUIRY_STANCE_CACHE", "/tmp/enquiry-stance-cache"))
FROM_EMERGENT = {"for": "supports", "against": "refutes", "observing": "discusses"}
FROM_FNC = {
    "agree": "supports",
    "disagree": "refutes",
    "discuss": "discusses",
    "unrelated": "unrelated",
}
TO_FNC = {value: key for key, value in FROM_FNC.items()}


@dataclass
class Pairs:
    """(claim, text) pairs with their class, the group no fold may split, and the source."""

    source: str
    claims: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.labels)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def emergent(data: Path = DATA / "emergent") -> Pairs:
    """Emergent train: claim vs article headline, grouped by claim."""
    pairs = Pairs("emergent")
    for row in _rows(data / "url-versions-2015-06-14-clean-train.csv"):
        pairs.claims.append(row["claimHeadline"])
        pairs.texts.append(row["articleHeadline"])
        pairs.labels.append(FROM_EMERGENT[row["articleHeadlineStance"]])
        pairs.groups.append("emergent:" + row["claimId"])
        pairs.ids.append(row["articleId"])
    return pairs


def fnc_format(source: str, bodies: Path, stances: Path) -> Pairs:
    """FNC-1-style data (FNC-1 train, ARC): headline vs body, grouped by body."""
    body = {row["Body ID"]: row["articleBody"] for row in _rows(bodies)}
    pairs = Pairs(source)
    for row in _rows(stances):
        pairs.claims.append(row["Headline"])
        pairs.texts.append(body[row["Body ID"]])
        pairs.labels.append(FROM_FNC[row["Stance"]])
        pairs.groups.append(f"{source}:{row['Body ID']}")
        pairs.ids.append(row["Body ID"])
    return pairs


def fnc(data: Path = DATA / "fnc-1-train") -> Pairs:
    return fnc_format("fnc", data / "train_bodies.csv", data / "train_stances.csv")


def arc(data: Path = DATA / "arc") -> Pairs:
    return fnc_format("arc", data / "arc_bodies.csv", data / "arc_stances_train.csv")


class CachedEmbedder:
    """The real embedder behind a cache on disk: texts embedded in an earlier run are read back,
    new ones embedded and appended. ``embed`` has the embedder's signature, so the model's own
    feature code runs unchanged on cached vectors."""

    name = MODEL_NAME

    def __init__(self, directory: Path = CACHE) -> None:
        self.directory = directory / hashlib.sha256(MODEL_NAME.encode()).hexdigest()[:12]
        self.directory.mkdir(parents=True, exist_ok=True)
        self.texts_file = self.directory / "texts.jsonl"
        self.vectors_file = self.directory / "vectors.npy"
        self.index: dict[str, int] = {}
        self.vectors = np.zeros((0, 384), dtype=np.float32)
        if self.texts_file.exists() and self.vectors_file.exists():
            texts = [json.loads(line) for line in self.texts_file.read_text("utf-8").splitlines()]
            self.vectors = np.load(self.vectors_file)
            texts = texts[: len(self.vectors)]
            self.index = {text: number for number, text in enumerate(texts)}
        self._embedder: Embedder | None = None

    def embed(self, texts: Sequence[str], batch_size: int = 4) -> np.ndarray:
        missing = sorted({text for text in texts if text not in self.index})
        if missing:
            self._embedder = self._embedder or Embedder(threads=1)
            chunk = 256
            for begin in range(0, len(missing), chunk):
                part = missing[begin : begin + chunk]
                new = self._embedder.embed(part, batch_size)
                start = len(self.vectors)
                self.vectors = np.vstack([self.vectors, new])
                for offset, text in enumerate(part):
                    self.index[text] = start + offset
                with self.texts_file.open("a", encoding="utf-8") as handle:
                    handle.writelines(json.dumps(text) + "\n" for text in part)
                np.save(self.vectors_file, self.vectors)
                if (begin // chunk) % 8 == 7 or begin + chunk >= len(missing):
                    print(f"  embedded {begin + len(part)}/{len(missing)}", file=sys.stderr)
        return self.vectors[[self.index[text] for text in texts]]


def all_texts(*datasets: Pairs) -> list[str]:
    """Every distinct claim and sentence the model will embed for these pairs."""
    out: set[str] = set()
    for pairs in datasets:
        out.update(pairs.claims)
        for text in set(pairs.texts):
            out.update(sentences(text))
    return sorted(out)


def complete(pairs: Pairs, cache: CachedEmbedder) -> Pairs:
    """The pairs whose claim and every sentence are already in the cache."""
    out = Pairs(pairs.source)
    ready: dict[str, bool] = {}
    for n in range(len(pairs)):
        text = pairs.texts[n]
        if text not in ready:
            ready[text] = all(part in cache.index for part in sentences(text))
        if ready[text] and pairs.claims[n] in cache.index:
            out.claims.append(pairs.claims[n])
            out.texts.append(text)
            out.labels.append(pairs.labels[n])
            out.groups.append(pairs.groups[n])
            out.ids.append(pairs.ids[n])
    return out


def main() -> None:
    """Embed the claims first, then the bodies one after another in a seeded random order, so
    that an interrupted run leaves whole bodies in the cache."""
    cache = CachedEmbedder()
    datasets = (emergent(), fnc(), arc())
    cache.embed(all_texts(datasets[0]))
    cache.embed(sorted({claim for pairs in datasets for claim in pairs.claims}))
    rng = np.random.default_rng(0)
    for pairs in datasets[1:]:
        bodies = sorted(set(pairs.texts))
        order = rng.permutation(len(bodies))
        print(f"{pairs.source}: {len(bodies)} bodies", file=sys.stderr)
        for begin in range(0, len(order), 40):
            chosen = [bodies[i] for i in order[begin : begin + 40]]
            cache.embed(sorted({part for body in chosen for part in sentences(body)}))
            print(
                f"  {pairs.source}: {min(begin + 40, len(order))}/{len(bodies)} bodies",
                file=sys.stderr,
            )


if __name__ == "__main__":
    main()
