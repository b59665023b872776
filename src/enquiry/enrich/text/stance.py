"""Stance of a text toward a claim: supports, refutes, discusses or unrelated, with scores.

The text may be a headline, a post or a whole article. A long text cannot be read as one bag of
words: most articles contain a negation, a hedge or a "deny" somewhere, whatever their stance.
So the text is split into sentences, each sentence is embedded with the shipped MiniLM
(:mod:`enquiry.enrich.text.embed`), and the sentences closest to the claim are the ones read:

* **relevance** — the cosine of every sentence with the claim; its maximum, the mean of the best
  three, the mean over the text, and the share of the claim's content words found in the text
  decide *unrelated*;
* **the claim-relevant sentences** (the best :data:`TOP` by cosine): their refuting, hedging,
  confirming and negating words are counted — in those sentences only, so that a denial
  elsewhere in a long article does not decide it;
* a small two-layer network (:class:`StanceModel`) turns these few numbers into four scores,
  divided by a temperature fitted on held-out training folds so that the scores are calibrated
  probabilities (one temperature for one-sentence texts such as headlines, one for longer texts:
  the network is surer of itself on one than on the other).

A one-sentence text (a headline) is also read word by word (:class:`WordModel`): a logistic
regression over its words and word pairs (tf-idf), learnt on the Emergent headlines, says how
likely it supports, refutes or discusses the claim, and that is averaged with the network's
reading of the same three (the network alone decides how likely the text is unrelated). The
network counts the words of three fixed lists; headlines refute with many more ("satire",
"photoshopped", "isn't", "no, ..."). Held out, the averaged stances are hardly more often
right, but they are better evidence: on Emergent truth discovery about a point more true/false
accuracy and a lower Brier score on every fold seed (docs/benchmarks.md).

Weights are trained by ``scripts/train_stance.py`` on Emergent (headlines), FNC-1 train (whole
articles) and ARC (user posts) and shipped as ``stance.npz``; at run time only numpy and the
embedder are needed.

API, for callers:

* ``default_model().predict(claims, texts, embedder) -> list[Stance]`` — one :class:`Stance` per
  (claim, text) pair, ``label`` among ``supports`` / ``refutes`` / ``discusses`` /
  ``unrelated`` (:data:`CLASSES`), ``score`` its probability and ``probabilities`` all four;
  embeddings are computed once per distinct claim and sentence.
* ``Stance.toward_hypothesis`` reads the label as a stance toward a hypothesis: ``supports``,
  ``refutes``, or ``neutral`` for a text that discusses the claim without taking a side or is
  about something else.
* For the three-way reading of the Emergent data (for / against / observing), supports is *for*,
  refutes is *against*, discusses and unrelated are both *observing* (:data:`AS_EMERGENT`).

The network reads only numbers that mean the same whatever the story: never the embeddings
themselves, nor which cue word was seen. Given those (the claim's vector compared element-wise
with the closest sentences', and a flag per cue word), it learnt the stories of its training
data: in cross-validation split by story, so that no held-out article's story, nor any of its
headlines, was seen in training — as in the challenge's own test, whose articles and headlines
are all new — it fell to 79.8 % of the FNC maximum (macro-F1 0.54) from 86.2 % split by article
alone; without them, 83.3 % (0.63) (docs/benchmarks.md).

These are suggestions for an analyst, never ratings.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from enquiry.progress import Progress

MODEL_FILE = "stance.npz"
CLASSES = ("supports", "refutes", "discusses", "unrelated")
AS_HYPOTHESIS_STANCE = {
    "supports": "supports",
    "refutes": "refutes",
    "discusses": "neutral",
    "unrelated": "neutral",
}
AS_EMERGENT = {
    "supports": "for",
    "refutes": "against",
    "discusses": "observing",
    "unrelated": "observing",
}
TOP = 3
MAX_SENTENCES = 12
MAX_SENTENCE_CHARS = 1000
EMBED_CHUNK = 64

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
_CONFIRMING_TEXT = (
    "confirm confirms confirmed confirmation official officially indeed proof proves proved "
    "true real revealed reveals announced announces shows showed evidence"
)
_STOP_TEXT = (
    "the a an of to in on for and or is are was were be been by with at from that this it its "
    "as has have had will would he she they his her their we you i"
)
REFUTING = frozenset(_REFUTING_TEXT.split())
HEDGING = frozenset(_HEDGING_TEXT.split())
CONFIRMING = frozenset(_CONFIRMING_TEXT.split())
NEGATIONS = frozenset({"not", "no", "never", "n't", "isn't", "wasn't", "didn't", "doesn't"})
STOP = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*[A-Z“\"])"
)
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Jr|Sr|No|vs|etc|Inc|Corp|Co)"
    r"|\b[A-Z])\.$"
)

SCALARS = (
    "max_cosine",
    "top_cosine",
    "mean_cosine",
    "first_cosine",
    "whole_cosine",
    "claim_words_found",
    "claim_words_in_top",
    "log_sentences",
    "single_sentence",
    "refuting_top",
    "hedging_top",
    "confirming_top",
    "negated_top",
    "question_top",
    "refuting_rate",
    "hedging_rate",
    "refuting_claim",
    "hedging_claim",
    "question_claim",
)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def sentences(text: str) -> list[str]:
    """The text's sentences, at most :data:`MAX_SENTENCES` (the first ones: the lead of an
    article says what it is about), each cut to :data:`MAX_SENTENCE_CHARS`."""
    parts: list[str] = []
    for part in _SENTENCE_END.split(text.strip()):
        part = part.strip()
        if parts and _ABBREVIATION.search(parts[-1]):
            parts[-1] = f"{parts[-1]} {part}"
        elif part:
            parts.append(part)
    kept = [part[:MAX_SENTENCE_CHARS] for part in parts if _WORD.search(part.lower())]
    return kept[:MAX_SENTENCES] or [text.strip()[:MAX_SENTENCE_CHARS]]


FEATURES = len(SCALARS)
"""The length of a feature row."""
_SINGLE_SENTENCE = SCALARS.index("single_sentence")
TEMPERATURE_KINDS = ("longer texts", "one-sentence texts")
WORD_CLASSES = CLASSES[:3]
"""What the word model tells apart: the stances of a text about the claim."""
WORD_SHARE = 0.5
"""The word model's share in a headline's supports / refutes / discusses probabilities."""
_GRAM = re.compile(r"\w+|\?")


def word_grams(text: str) -> list[str]:
    """The words of a text (lower case; a question mark counts as one) and its word pairs."""
    tokens = _GRAM.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


MARKS = (
    "refuting",
    "hedging",
    "confirming",
    "negated",
    "ends_in_question",
    "question",
    "claim_words_found",
    "negation_not_in_claim",
    "refuting_not_in_claim",
    "claim_refuting",
    "colon",
    "opens_with_no",
    "claim_negated",
    "length",
    "attributed",
)
"""What the word model reads of a headline beside its grams (:func:`marks`). A model stored with
an earlier, shorter list reads the marks it was learnt with."""

_ATTRIBUTING_TEXT = (
    "says say said claims claim claimed according reports report reported source sources "
    "insiders rumor rumors rumour rumours reportedly allegedly purportedly purports purported "
    "suggests believes tipped"
)
ATTRIBUTING = frozenset(_ATTRIBUTING_TEXT.split())
"""Words by which a headline puts its news in someone's mouth ("…, police say", "according
to …", "Report: …") rather than stating it: such a headline mostly reports the claim without
taking it up (Emergent's *observing*)."""


def marks(claim: str, text: str, names: Sequence[str] = MARKS) -> NDArray[np.float64]:
    """How a headline speaks of its claim, beyond its grams: whether it holds a refuting, hedging,
    confirming or negating word, and whether that word is its own rather than the claim's
    ("Tesla will build in Nevada, not Texas" against a claim that says "not"); a question; how
    much of the claim it repeats; a label before a colon ("Rumor: …", "Source: …"); an opening
    "No, …"; its length; whether it attributes its news to someone, in a word the claim does not
    use itself ("Priest claims …" does not attribute a claim that says the priest "says"). Grams alone cannot tell a headline's own denial
    from a claim it quotes, and most such words occur in too few headlines to be learnt one by one
    (grouped cross-validation on Emergent: 0.70 with grams alone, 0.75 with the first fourteen
    marks, 0.76 with the attribution). ``names`` chooses and orders them, as a model learnt them."""
    tokens = words(text)
    claim_tokens = words(claim)
    found, said = set(tokens), set(claim_tokens)
    content = said - STOP
    values = {
        "refuting": bool(found & REFUTING),
        "hedging": bool(found & HEDGING),
        "confirming": bool(found & CONFIRMING),
        "negated": bool(found & NEGATIONS),
        "ends_in_question": text.rstrip().endswith("?"),
        "question": "?" in text,
        "claim_words_found": len(content & found) / max(len(content), 1),
        "negation_not_in_claim": bool((found & NEGATIONS) - said),
        "refuting_not_in_claim": bool((found & REFUTING) - said),
        "claim_refuting": bool(content & REFUTING),
        "colon": ":" in text,
        "opens_with_no": tokens[:1] == ["no"],
        "claim_negated": bool(said & NEGATIONS),
        "length": len(tokens) / 20,
        "attributed": bool((found & ATTRIBUTING) - said),
    }
    return np.array([float(values[name]) for name in names])


class WordModel:
    """A headline's supports / refutes / discusses probabilities from its words: tf-idf
    (sublinear term frequency, smoothed idf, unit length) and, when it was learnt with them, its
    :func:`marks` toward the claim, read by a multinomial logistic regression, learnt by
    ``scripts/train_stance.py`` (:func:`fit_words` there)."""

    def __init__(
        self,
        vocabulary: Sequence[str],
        idf: NDArray[Any],
        coef: NDArray[Any],
        intercept: NDArray[Any],
        marked: Sequence[str] = MARKS,
    ) -> None:
        self.index = {gram: number for number, gram in enumerate(vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.marked = tuple(marked)
        unknown = set(self.marked) - set(MARKS)
        if unknown:
            raise ValueError(f"word model: learnt with unknown marks {sorted(unknown)}")
        columns = len(self.index) + len(self.marked)
        if self.coef.shape != (len(WORD_CLASSES), columns) or self.idf.shape != (len(self.index),):
            raise ValueError("word model: vocabulary, idf and weights do not match")

    def row(self, text: str) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """The text's known grams and their tf-idf weights (unit length)."""
        counts: dict[int, int] = {}
        for gram in word_grams(text):
            number = self.index.get(gram)
            if number is not None:
                counts[number] = counts.get(number, 0) + 1
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[columns]
        norm = float(np.linalg.norm(values))
        return columns, values / norm if norm > 0 else values

    def probabilities(self, claims: Sequence[str], texts: Sequence[str]) -> NDArray[np.float64]:
        """P(supports), P(refutes), P(discusses) of each text toward its claim
        (:data:`WORD_CLASSES`)."""
        if len(claims) != len(texts):
            raise ValueError(f"{len(claims)} claims for {len(texts)} texts")
        logits = np.tile(self.intercept, (len(texts), 1))
        grams = len(self.index)
        for n, (claim, text) in enumerate(zip(claims, texts, strict=True)):
            columns, values = self.row(text)
            logits[n] += self.coef[:, columns] @ values
            if self.marked:
                logits[n] += self.coef[:, grams:] @ marks(claim, text, self.marked)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        result: NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
        return result

    def parameters(self) -> dict[str, NDArray[Any]]:
        """The arrays that store it beside the network's (``words_*``)."""
        vocabulary = sorted(self.index, key=self.index.__getitem__)
        return {
            "words_vocabulary": np.array(vocabulary),
            "words_idf": self.idf.astype(np.float32),
            "words_coef": self.coef.astype(np.float32),
            "words_intercept": self.intercept,
            "words_marks": np.array(self.marked, dtype=str),
        }

    @classmethod
    def from_parameters(cls, parameters: dict[str, NDArray[Any]]) -> WordModel | None:
        """The word model stored in these arrays, ``None`` when they hold none (a model stored
        before the marks has grams only)."""
        if "words_coef" not in parameters:
            return None
        return cls(
            [str(gram) for gram in parameters["words_vocabulary"]],
            parameters["words_idf"],
            parameters["words_coef"],
            parameters["words_intercept"],
            [str(name) for name in parameters.get("words_marks", ())],
        )


def one_sentence(rows: NDArray[np.float32]) -> NDArray[np.bool_]:
    """Which feature rows are of one-sentence texts (headlines), calibrated apart."""
    result: NDArray[np.bool_] = rows[:, _SINGLE_SENTENCE] > 0.5
    return result


def features(
    claim: str,
    claim_vector: NDArray[np.float32],
    parts: Sequence[str],
    part_vectors: NDArray[np.float32],
) -> NDArray[np.float32]:
    """The feature row of a text's stance toward ``claim``, from the claim's embedding and the
    embeddings of the text's sentences (``parts``, as :func:`sentences` gives them)."""
    cosines = part_vectors @ claim_vector
    order = np.argsort(-cosines, kind="stable")[:TOP]
    whole = part_vectors.mean(axis=0)
    whole = whole / max(float(np.linalg.norm(whole)), 1e-9)
    top_tokens = [token for number in order for token in words(parts[int(number)])]
    all_tokens = [token for part in parts for token in words(part)]
    claim_tokens = words(claim)
    claim_content = set(claim_tokens) - STOP
    found = claim_content & set(all_tokens)
    in_top = claim_content & set(top_tokens)
    refuting_top = sum(1 for token in top_tokens if token in REFUTING)
    hedging_top = sum(1 for token in top_tokens if token in HEDGING)
    confirming_top = sum(1 for token in top_tokens if token in CONFIRMING)
    refuting_all = sum(1 for token in all_tokens if token in REFUTING)
    hedging_all = sum(1 for token in all_tokens if token in HEDGING)
    scalars = {
        "max_cosine": float(cosines.max()),
        "top_cosine": float(cosines[order].mean()),
        "mean_cosine": float(cosines.mean()),
        "first_cosine": float(cosines[0]),
        "whole_cosine": float(whole @ claim_vector),
        "claim_words_found": len(found) / max(len(claim_content), 1),
        "claim_words_in_top": len(in_top) / max(len(claim_content), 1),
        "log_sentences": float(np.log1p(len(parts))) / 5,
        "single_sentence": 1.0 if len(parts) == 1 else 0.0,
        "refuting_top": min(refuting_top, 4) / 4,
        "hedging_top": min(hedging_top, 4) / 4,
        "confirming_top": min(confirming_top, 4) / 4,
        "negated_top": 1.0 if set(top_tokens) & NEGATIONS else 0.0,
        "question_top": 1.0 if any(parts[int(n)].rstrip().endswith("?") for n in order) else 0.0,
        "refuting_rate": 10 * refuting_all / max(len(all_tokens), 1),
        "hedging_rate": 10 * hedging_all / max(len(all_tokens), 1),
        "refuting_claim": 1.0 if set(claim_tokens) & REFUTING else 0.0,
        "hedging_claim": 1.0 if set(claim_tokens) & HEDGING else 0.0,
        "question_claim": 1.0 if claim.rstrip().endswith("?") else 0.0,
    }
    return np.array([scalars[name] for name in SCALARS], dtype=np.float32)


class Vectors:
    """Embeddings of distinct texts, each computed once however many pairs share it."""

    def __init__(self, embedder: Any) -> None:
        self.embedder = embedder
        self.known: dict[str, NDArray[np.float32]] = {}

    def add(self, texts: Sequence[str], progress: Progress | None = None) -> None:
        """Embed the texts not yet known, in chunks so that ``progress`` moves."""
        new = sorted({text for text in texts if text not in self.known}, key=len)
        if not new:
            return
        if progress:
            progress.start("embedding sentences", len(new), "text")
        for begin in range(0, len(new), EMBED_CHUNK):
            chunk = new[begin : begin + EMBED_CHUNK]
            for text, vector in zip(chunk, self.embedder.embed(chunk), strict=True):
                self.known[text] = vector
            if progress:
                progress.advance(len(chunk))
        if progress:
            progress.finish()

    def __getitem__(self, text: str) -> NDArray[np.float32]:
        return self.known[text]


def feature_matrix(
    claims: Sequence[str],
    texts: Sequence[str],
    embedder: Any,
    vectors: Vectors | None = None,
    progress: Progress | None = None,
) -> NDArray[np.float32]:
    """Features of many (claim, text) pairs; every distinct claim and sentence is embedded once
    (in ``vectors``, which a caller may keep across calls)."""
    vectors = vectors or Vectors(embedder)
    split = {text: sentences(text) for text in set(texts)}
    vectors.add([*set(claims), *(part for parts in split.values() for part in parts)], progress)
    if progress:
        progress.start("reading pairs", len(claims), "pair")
    rows = []
    for number, (claim, text) in enumerate(zip(claims, texts, strict=True), 1):
        parts = split[text]
        part_vectors = np.stack([vectors[part] for part in parts])
        rows.append(features(claim, vectors[claim], parts, part_vectors))
        if progress and number % 256 == 0:
            progress.advance(256)
    if progress:
        progress.advance(len(claims) % 256)
        progress.finish()
    if not rows:
        return np.zeros((0, FEATURES), np.float32)
    return np.stack(rows)


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
    """The shipped network: standardised features, one ReLU layer, softmax over the classes
    at a fitted temperature (:data:`TEMPERATURE_KINDS`: one-sentence texts, longer texts); and,
    when stored with it, the :class:`WordModel` that reads one-sentence texts too."""

    def __init__(self, parameters: dict[str, NDArray[Any]], classes: Sequence[str], name: str):
        self.mean = parameters["mean"].astype(np.float32)
        self.scale = parameters["scale"].astype(np.float32)
        self.layers = [
            (parameters[f"w{n}"].astype(np.float32), parameters[f"b{n}"].astype(np.float32))
            for n in range(int(parameters["depth"]))
        ]
        self.temperatures = np.asarray(parameters["temperature"], dtype=np.float64).reshape(-1)
        self.classes = tuple(classes)
        self.name = name
        self.words = WordModel.from_parameters(parameters)
        if self.words is not None and self.classes[: len(WORD_CLASSES)] != WORD_CLASSES:
            raise ValueError(
                f"stance model {name}: classes {self.classes} do not start with "
                f"{WORD_CLASSES}, which its word model gives"
            )

    @classmethod
    def load(cls) -> StanceModel:
        path = resources.files("enquiry.enrich.text").joinpath(MODEL_FILE)
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            parameters = {key: data[key] for key in data.files}
        return cls(
            parameters,
            [str(name) for name in parameters["classes"]],
            str(parameters["name"]),
        )

    def logits(self, rows: NDArray[np.float32]) -> NDArray[np.float64]:
        hidden = (rows - self.mean) / self.scale
        for number, (weights, bias) in enumerate(self.layers):
            hidden = hidden @ weights + bias
            if number < len(self.layers) - 1:
                hidden = np.maximum(hidden, 0.0)
        return hidden.astype(np.float64)

    def temperature(self, rows: NDArray[np.float32]) -> NDArray[np.float64]:
        """Each row's temperature, by whether its text is a single sentence."""
        if len(self.temperatures) == 1:
            return np.full(len(rows), self.temperatures[0])
        result: NDArray[np.float64] = self.temperatures[one_sentence(rows).astype(int)]
        return result

    def probabilities(
        self,
        rows: NDArray[np.float32],
        texts: Sequence[str] | None = None,
        claims: Sequence[str] | None = None,
    ) -> NDArray[np.float64]:
        """Every class's probability for each row; given the rows' ``texts`` and ``claims``, a
        one-sentence text's supports / refutes / discusses are averaged with its word model's
        (:data:`WORD_SHARE`), its unrelated left as the network says."""
        logits = self.logits(rows) / self.temperature(rows)[:, None]
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        result: NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
        if self.words is None or texts is None or claims is None:
            return result
        if len(texts) != len(rows) or len(claims) != len(rows):
            raise ValueError(f"{len(texts)} texts, {len(claims)} claims for {len(rows)} rows")
        single = np.flatnonzero(one_sentence(rows))
        if len(single):
            said = self.words.probabilities(
                [claims[int(n)] for n in single], [texts[int(n)] for n in single]
            )
            k = len(WORD_CLASSES)
            related = result[single, :k].sum(axis=1, keepdims=True)
            network = result[single, :k] / np.maximum(related, 1e-12)
            mixed = WORD_SHARE * said + (1.0 - WORD_SHARE) * network
            result[single, :k] = mixed * related
        return result

    def stances(
        self,
        rows: NDArray[np.float32],
        texts: Sequence[str] | None = None,
        claims: Sequence[str] | None = None,
    ) -> list[Stance]:
        """The stance of each row (and of its text toward its claim, when given: see
        :meth:`probabilities`)."""
        out = []
        for row in self.probabilities(rows, texts, claims):
            best = int(np.argmax(row))
            out.append(
                Stance(
                    self.classes[best],
                    float(row[best]),
                    {name: float(p) for name, p in zip(self.classes, row, strict=True)},
                )
            )
        return out

    def predict(
        self,
        claims: Sequence[str],
        texts: Sequence[str],
        embedder: Any,
        vectors: Vectors | None = None,
        progress: Progress | None = None,
    ) -> list[Stance]:
        """The stance of each text toward its claim."""
        rows = feature_matrix(claims, texts, embedder, vectors, progress)
        return self.stances(rows, texts, claims)


@lru_cache(maxsize=1)
def default_model() -> StanceModel:
    return StanceModel.load()
