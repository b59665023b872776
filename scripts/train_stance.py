"""Train the stance model on the Emergent headlines and ship it as ``stance.npz``.

    .venv/bin/python scripts/train_stance.py [--data ../shared/data/emergent] [--no-write]
                                             [--no-unrelated]

Reports 5-fold cross-validated accuracy and macro-F1 twice: with folds grouped by claim (no
claim's headlines on both sides of a split: the honest figure for new claims) and with plain
stratified folds (comparable to most published numbers). The majority class ("for") is the
baseline printed beside them. The final model is fitted on all of the training split.

Every Emergent headline is about its claim, so on its own the model would never learn that a
text about something else takes no stance. Each training headline is therefore also paired with
another claim, chosen at random (seeded) from the training part, and labelled "observing"
(neutral). These pairs are added to the training folds only; every score is computed on the
real pairs of the held-out fold.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import GroupKFold, StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from enquiry.enrich.text.embed import MODEL_NAME, Embedder  # noqa: E402
from enquiry.enrich.text.stance import CLASSES, features  # noqa: E402

OUT = ROOT / "src" / "enquiry" / "enrich" / "text" / "stance.npz"
C = 4.0


def read(data: Path) -> tuple[list[str], list[str], list[str], list[str]]:
    claims, headlines, labels, groups = [], [], [], []
    with (data / "url-versions-2015-06-14-clean-train.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            claims.append(row["claimHeadline"])
            headlines.append(row["articleHeadline"])
            labels.append(row["articleHeadlineStance"])
            groups.append(row["claimId"])
    return claims, headlines, labels, groups


def model() -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=2000, class_weight="balanced")


class Pairs:
    """Features of (claim, headline) pairs, real and unrelated, from embeddings made once."""

    def __init__(self, claims: list[str], headlines: list[str], groups: list[str]) -> None:
        self.claims, self.headlines, self.groups = claims, headlines, groups
        unique = sorted(set(claims) | set(headlines))
        vectors = Embedder().embed(unique)
        self.vector = {text: vectors[n] for n, text in enumerate(unique)}
        self.real = np.stack([self.row(c, h) for c, h in zip(claims, headlines, strict=True)])

    def row(self, claim: str, headline: str) -> np.ndarray:
        return features(claim, headline, float(self.vector[claim] @ self.vector[headline]))

    def unrelated(self, indices: np.ndarray, seed: int) -> np.ndarray:
        """Each headline of ``indices`` with another claim from the same indices."""
        rng = np.random.default_rng(seed)
        pool = sorted({(self.groups[i], self.claims[i]) for i in indices})
        rows = []
        for i in indices:
            while True:
                group, claim = pool[int(rng.integers(len(pool)))]
                if group != self.groups[i]:
                    break
            rows.append(self.row(claim, self.headlines[i]))
        return np.stack(rows)


UNRELATED = True


def fit(pairs: Pairs, y: np.ndarray, indices: np.ndarray, seed: int) -> LogisticRegression:
    if not UNRELATED:
        return model().fit(pairs.real[indices], y[indices])
    x = np.vstack([pairs.real[indices], pairs.unrelated(indices, seed)])
    labels = np.concatenate([y[indices], np.full(len(indices), "observing")])
    return model().fit(x, labels)


def cross_validate(
    pairs: Pairs, y: np.ndarray, splits: Iterable[tuple[np.ndarray, np.ndarray]]
) -> tuple[float, float]:
    predicted = np.empty_like(y)
    for fold, (train, test) in enumerate(splits):
        predicted[test] = fit(pairs, y, train, fold).predict(pairs.real[test])
    return accuracy_score(y, predicted), f1_score(y, predicted, average="macro")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/emergent")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--no-unrelated", action="store_true",
                        help="Train on the Emergent pairs alone (no unrelated pairs added).")
    args = parser.parse_args()
    global UNRELATED
    UNRELATED = not args.no_unrelated
    claims, headlines, labels, groups = read(args.data)
    pairs = Pairs(claims, headlines, groups)
    x = pairs.real
    y = np.array(labels)
    print(f"Emergent train: {len(y)} headlines on {len(set(groups))} claims; "
          + ", ".join(f"{name} {int((y == name).sum())}" for name in CLASSES))
    majority = max(CLASSES, key=lambda name: int((y == name).sum()))
    base_acc = float((y == majority).mean())
    base_f1 = f1_score(y, np.full_like(y, majority), average="macro")
    print(f"baseline (always '{majority}'): accuracy {base_acc:.3f}, macro-F1 {base_f1:.3f}")
    grouped = GroupKFold(n_splits=5).split(x, y, groups)
    acc, f1 = cross_validate(pairs, y, grouped)
    print(f"5-fold grouped by claim: accuracy {acc:.3f}, macro-F1 {f1:.3f} "
          f"(accuracy ratio to baseline {acc / base_acc:.2f})")
    stratified = StratifiedKFold(n_splits=5, shuffle=True, random_state=0).split(x, y)
    acc, f1 = cross_validate(pairs, y, stratified)
    print(f"5-fold stratified:       accuracy {acc:.3f}, macro-F1 {f1:.3f} "
          f"(accuracy ratio to baseline {acc / base_acc:.2f})")
    if args.no_write:
        return
    fitted = fit(pairs, y, np.arange(len(y)), 99)
    order = [list(fitted.classes_).index(name) for name in CLASSES]
    np.savez_compressed(
        OUT,
        coef=fitted.coef_[order].astype(np.float32),
        intercept=fitted.intercept_[order].astype(np.float32),
        classes=np.array(CLASSES),
        name=np.array(f"stance-emergent-logreg-2 ({MODEL_NAME} cosine, unrelated pairs)"),
    )
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
