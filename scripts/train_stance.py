"""Train the document-level stance model and ship it as ``stance.npz``.

    .venv/bin/python scripts/stance_data.py        # once: embed every claim and sentence (cache)
    .venv/bin/python scripts/train_stance.py --sources emergent,fnc     # the shipped weights
    .venv/bin/python scripts/train_stance.py [--no-write] [--hidden 128] [--seed 0]

Data, and nothing else: Emergent train (claim vs article headline, 2,071 pairs), FNC-1 train
(headline vs whole article, 42,690 pairs) and ARC (headline vs user post, 14,233 pairs), all
from ``../shared/data``, plus constructed pairs: every Emergent headline is also paired with
another claim, chosen at random (seeded), and labelled unrelated, since Emergent on its own
never shows a text about something else.

Settings: features from :func:`enquiry.enrich.text.stance.features` (standardised); a network
with one ReLU layer of ``--hidden`` units (scikit-learn's ``MLPClassifier``, Adam, L2
``ALPHA``, ``EPOCHS`` epochs); each class weighted by the square root of its inverse frequency
within each source, and each source weighted to count as much as ``SOURCE_WEIGHT`` says, so the
small Emergent and the rare *refutes* class are not drowned by FNC's unrelated pairs. One group
in ``CALIBRATION`` (by claim for Emergent, by body for FNC and ARC) is held out of the fit, and
the softmax temperature that minimises the log-loss on it is stored with the weights — one for
one-sentence texts (headlines), one for longer texts.

The headline word model (:class:`enquiry.enrich.text.stance.WordModel`, :func:`fit_words`) is
learnt on the Emergent headlines alone: word and word-pair tf-idf (grams in at least
``WORD_MIN_DF`` headlines) and each headline's marks toward its claim
(:func:`enquiry.enrich.text.stance.marks`), a multinomial logistic regression with balanced
class weights, its inverse regularisation ``C`` chosen among ``WORD_C`` by the held-out log-loss
of a three-fold cross-validation grouped by claim within the training headlines.
``--words-only`` refits it alone into the shipped ``stance.npz``, the network's weights
unchanged (it needs no embeddings).

The honest accuracy figures come from ``benchmarks/stance.py`` (grouped cross-validation with
the shared scorer), which calls :func:`fit` the same way on each training fold.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stance_data import (
    CACHE,
    ROOT,
    CachedEmbedder,
    Pairs,
    arc,
    complete,
    emergent,
    fnc,
)

from enquiry.enrich.text.embed import MODEL_NAME
from enquiry.enrich.text.stance import (
    CLASSES,
    FEATURES,
    MARKS,
    MAX_SENTENCES,
    TEMPERATURE_KINDS,
    WORD_CLASSES,
    StanceModel,
    Vectors,
    WordModel,
    feature_matrix,
    marks,
    one_sentence,
    word_grams,
)

OUT = ROOT / "src" / "enquiry" / "enrich" / "text" / "stance.npz"
ALPHA = 1e-2
EPOCHS = 80
CALIBRATION = 0.15
MIN_CALIBRATION = 100
SOURCE_WEIGHT = {"emergent": 6.0, "fnc": 1.0, "arc": 0.7}
FEATURES_VERSION = "5"
WORD_C = (1.0, 3.0, 10.0, 30.0)
WORD_MIN_DF = 2
WORD_FOLDS = 3


def _word_vocabulary(texts: list[str]) -> WordModel:
    """Grams in at least :data:`WORD_MIN_DF` of the texts, with smoothed idf, no weights yet."""
    df: dict[str, int] = {}
    for text in texts:
        for gram in set(word_grams(text)):
            df[gram] = df.get(gram, 0) + 1
    vocabulary = sorted(gram for gram, n in df.items() if n >= WORD_MIN_DF)
    idf = np.array([np.log((1 + len(texts)) / (1 + df[gram])) + 1.0 for gram in vocabulary])
    zeros = np.zeros((len(WORD_CLASSES), len(vocabulary) + len(MARKS)))
    return WordModel(vocabulary, idf, zeros, np.zeros(len(WORD_CLASSES)))


def _word_rows(model: WordModel, claims: list[str], texts: list[str]) -> Any:
    """Each text's tf-idf grams (unit length) followed by its marks toward its claim, as
    :meth:`WordModel.probabilities` reads them."""
    from scipy.sparse import csr_matrix, hstack

    indptr, indices, values = [0], [], []
    for text in texts:
        columns, weights_of = model.row(text)
        indices.extend(columns.tolist())
        values.extend(weights_of.tolist())
        indptr.append(len(indices))
    grams = csr_matrix((values, indices, indptr), shape=(len(texts), len(model.index)))
    marked = np.array([marks(claim, text) for claim, text in zip(claims, texts, strict=True)])
    return hstack([grams, csr_matrix(marked)]).tocsr()


def _fit_word_model(claims: list[str], texts: list[str], labels: np.ndarray, c: float) -> WordModel:
    from sklearn.linear_model import LogisticRegression

    empty = _word_vocabulary(texts)
    network = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
    network.fit(_word_rows(empty, claims, texts), labels)
    order = [list(network.classes_).index(name) for name in WORD_CLASSES]
    vocabulary = sorted(empty.index, key=empty.index.__getitem__)
    return WordModel(vocabulary, empty.idf, network.coef_[order], network.intercept_[order])


def fit_words(
    claims: list[str], texts: list[str], labels: np.ndarray, groups: np.ndarray
) -> WordModel:
    """The headline word model, learnt on these headlines and their claims (rows labelled
    unrelated are left out: the word model only tells the stances of a text about the claim
    apart), ``C`` chosen by grouped cross-validation within them."""
    from sklearn.model_selection import GroupKFold

    keep = np.flatnonzero(np.isin(labels, WORD_CLASSES))
    claims = [claims[n] for n in keep]
    texts = [texts[n] for n in keep]
    labels, groups = np.asarray(labels)[keep], np.asarray(groups)[keep]
    losses = []
    for c in WORD_C:
        loss = 0.0
        for fit_part, held in GroupKFold(WORD_FOLDS).split(texts, labels, groups):
            model = _fit_word_model(
                [claims[n] for n in fit_part], [texts[n] for n in fit_part], labels[fit_part], c
            )
            p = model.probabilities([claims[n] for n in held], [texts[n] for n in held])
            truth = np.array([WORD_CLASSES.index(name) for name in labels[held]])
            loss -= float(np.log(np.clip(p[np.arange(len(held)), truth], 1e-12, None)).sum())
        losses.append(loss)
    return _fit_word_model(claims, texts, labels, WORD_C[int(np.argmin(losses))])


def unrelated_pairs(pairs: Pairs, indices: np.ndarray, seed: int) -> Pairs:
    """Each Emergent headline of ``indices`` with a claim of another group among ``indices``."""
    rng = np.random.default_rng(seed)
    pool = sorted({(pairs.groups[i], pairs.claims[i]) for i in indices})
    out = Pairs("emergent")
    for i in indices:
        while True:
            group, claim = pool[int(rng.integers(len(pool)))]
            if group != pairs.groups[i]:
                break
        out.claims.append(claim)
        out.texts.append(pairs.texts[i])
        out.labels.append("unrelated")
        out.groups.append(pairs.groups[i])
        out.ids.append(pairs.ids[i] + ":unrelated")
    return out


class Matrix:
    """Feature rows of a set of pairs, computed once (through the model's own feature code on
    cached embeddings) and kept on disk beside the embedding cache."""

    def __init__(
        self, pairs: Pairs, embedder: CachedEmbedder, vectors: Vectors, name: str = ""
    ) -> None:
        self.pairs = pairs
        name = name or pairs.source
        path = CACHE / f"features-{name}-{FEATURES_VERSION}-{MAX_SENTENCES}-{len(pairs)}.npy"
        if path.exists():
            self.x = np.load(path)
        else:
            started = time.perf_counter()
            self.x = feature_matrix(pairs.claims, pairs.texts, embedder, vectors)
            np.save(path, self.x)
            print(
                f"  features of {pairs.source}: {len(pairs)} pairs in "
                f"{time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        self.y = np.array(pairs.labels)
        self.groups = np.array(pairs.groups)


def weights(y: np.ndarray, sources: np.ndarray) -> np.ndarray:
    out = np.zeros(len(y))
    for source in np.unique(sources):
        inside = sources == source
        for name in np.unique(y[inside]):
            chosen = inside & (y == name)
            out[chosen] = np.sqrt(inside.sum() / (len(CLASSES) * chosen.sum()))
        out[inside] *= SOURCE_WEIGHT[str(source)] * len(y) / inside.sum() / len(SOURCE_WEIGHT)
    result: np.ndarray = out / out.mean()
    return result


def fit(
    x: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    sources: np.ndarray,
    seed: int = 0,
    hidden: int = 128,
) -> dict[str, np.ndarray]:
    """The model's parameters, fitted on these rows, its temperature on held-out groups."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import GroupShuffleSplit
    from sklearn.neural_network import MLPClassifier

    fit_part, calibration = next(
        GroupShuffleSplit(n_splits=1, test_size=CALIBRATION, random_state=seed).split(x, y, groups)
    )
    mean = x[fit_part].mean(axis=0)
    scale = np.maximum(x[fit_part].std(axis=0), 1e-3)
    network = MLPClassifier(
        hidden_layer_sizes=(hidden,),
        alpha=ALPHA,
        max_iter=EPOCHS,
        batch_size=512,
        learning_rate_init=1e-3,
        random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        network.fit(
            (x[fit_part] - mean) / scale,
            y[fit_part],
            sample_weight=weights(y[fit_part], sources[fit_part]),
        )
    order = [list(network.classes_).index(name) for name in CLASSES]
    parameters: dict[str, np.ndarray] = {
        "mean": mean.astype(np.float32),
        "scale": scale.astype(np.float32),
        "depth": np.array(len(network.coefs_)),
    }
    for number, (w, b) in enumerate(zip(network.coefs_, network.intercepts_, strict=True)):
        last = number == len(network.coefs_) - 1
        parameters[f"w{number}"] = (w[:, order] if last else w).astype(np.float32)
        parameters[f"b{number}"] = (b[order] if last else b).astype(np.float32)
    parameters["temperature"] = np.ones(len(TEMPERATURE_KINDS))
    held = x[calibration]
    kinds = one_sentence(held).astype(int)
    overall = temperature(parameters, held, y[calibration])
    parameters["temperature"] = np.array(
        [
            temperature(parameters, held[kinds == kind], y[calibration][kinds == kind])
            if (kinds == kind).sum() >= MIN_CALIBRATION
            else overall
            for kind in range(len(TEMPERATURE_KINDS))
        ]
    )
    return parameters


def temperature(parameters: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray) -> float:
    """The temperature minimising the log-loss of these (held-out) rows."""
    z = StanceModel(parameters, CLASSES, "calibrating").logits(x.astype(np.float32))
    truth = np.array([CLASSES.index(name) for name in y])
    best, best_loss = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.25), np.log(8.0), 121)):
        p = np.exp(z / t - (z / t).max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        loss = -np.log(np.clip(p[np.arange(len(truth)), truth], 1e-12, None)).mean()
        if loss < best_loss:
            best, best_loss = float(t), float(loss)
    return best


READERS = {"emergent": emergent, "fnc": fnc, "arc": arc}


def load(seed: int = 0, sources: tuple[str, ...] = tuple(READERS)) -> tuple[list[Matrix], Matrix]:
    """The real pairs of every source (Emergent first) whose every sentence is in the
    embedding cache, and the constructed unrelated Emergent pairs."""
    embedder = CachedEmbedder()
    vectors = Vectors(embedder)
    names = dict.fromkeys(("emergent", *sources))
    real = [Matrix(complete(READERS[name](), embedder), embedder, vectors) for name in names]
    constructed = unrelated_pairs(real[0].pairs, np.arange(len(real[0].pairs)), seed)
    extra = Matrix(constructed, embedder, vectors, f"emergent-unrelated-{seed}")
    return real, extra


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sources", default="emergent,fnc,arc")
    parser.add_argument("--words-only", action="store_true")
    args = parser.parse_args()
    headlines = emergent()
    words = fit_words(
        headlines.claims,
        headlines.texts,
        np.array(headlines.labels),
        np.array(headlines.groups),
    )
    print(f"word model: {len(words.index)} grams")
    if args.words_only:
        with np.load(OUT, allow_pickle=False) as data:
            kept = {key: data[key] for key in data.files if not key.startswith("words_")}
        name = str(kept["name"]).split(" + words")[0]
        kept["name"] = np.array(f"{name} + words (emergent {len(headlines)})")
        if not args.no_write:
            updated: dict[str, Any] = {**kept, **words.parameters()}
            np.savez_compressed(OUT, **updated)
            print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
        return
    real, extra = load(args.seed, tuple(dict.fromkeys(args.sources.split(","))))
    x = np.vstack([m.x for m in real] + [extra.x])
    y = np.concatenate([m.y for m in real] + [extra.y])
    groups = np.concatenate([m.groups for m in real] + [extra.groups])
    sources = np.concatenate(
        [[m.pairs.source] * len(m.y) for m in real] + [["emergent"] * len(extra.y)]
    )
    assert x.shape[1] == FEATURES
    started = time.perf_counter()
    parameters = fit(x, y, groups, sources, args.seed, args.hidden)
    print(
        f"fitted on {len(y)} pairs in {time.perf_counter() - started:.0f} s; "
        f"temperatures {parameters['temperature'].round(2).tolist()}"
    )
    if args.no_write:
        return
    stored: dict[str, Any] = {
        key: (value.astype(np.float16) if key.startswith("w") else value)
        for key, value in parameters.items()
    }
    stored["classes"] = np.array(CLASSES)
    stored.update(words.parameters())
    trained_on = "+".join(f"{m.pairs.source} {len(m.y)}" for m in real)
    stored["name"] = np.array(
        f"stance-document-mlp-1 ({MODEL_NAME}; {trained_on}) + words (emergent {len(headlines)})"
    )
    np.savez_compressed(OUT, **stored)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
