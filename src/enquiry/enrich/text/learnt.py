"""The learnt half of attribution: which candidate relations to keep, and given names' genders.

The rules (``attribution.py``) propose a relation for every cue word of a wide lexicon; a
logistic model over the parse around each proposal (the cue's lemma, part of speech and
dependency label, what was found as source and content, quotation marks, negation, modality)
decides which to keep. The rules' own lexicon keeps the cue words that are usually cues; the
model adds the rarer ones ("found that", "believes that") where their context says they report
what someone holds, and drops proposals of the usual cue words whose context makes them unlikely.

Weights are plain numbers in ``attribution_model.json`` — a feature name to a weight — so running
the model needs no machine-learning library: ``scripts/train_attribution.py`` trains them on
PolNeAR's training split with scikit-learn and documents the data and settings it used.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Token

    from enquiry.enrich.text.attribution import Attribution

MODEL_FILE = "attribution_model.json"
_QUOTES = "\"'“‘«"
_PEOPLE_WORDS = frozenset(
    [
        "official",
        "officials",
        "source",
        "sources",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "aide",
        "aides",
        "minister",
        "president",
        "senator",
        "governor",
        "envoy",
        "ambassador",
        "expert",
        "experts",
        "analyst",
        "analysts",
        "lawyer",
    ]
)


def _bin(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def features(
    cue: Token,
    attribution: Attribution,
    entry: dict[str, Any],
    lexicon: str,
    quotes: Sequence[tuple[int, int]],
) -> list[str]:
    """The names of the features present for one proposed relation (all binary)."""
    key = attribution.cue_key or f"{cue.lemma_.lower()}/{cue.pos_}"
    content, source = attribution.content, attribution.source
    precision = float(entry.get("precision", 0.0))
    words = content.text.split()
    found = [
        "bias",
        f"key={key}",
        f"lexicon={lexicon}",
        f"precision={min(int(precision * 10), 9)}",
        f"dep={cue.dep_}",
        f"tag={cue.tag_}",
        f"head_dep={cue.head.dep_}",
        f"key|dep={key}|{cue.dep_}",
        f"tag|dep={cue.tag_}|{cue.dep_}",
        f"content_words={_bin(len(words), (1, 2, 4, 8, 16, 32))}",
        f"content_side={'after' if content.start >= attribution.cue.end else 'before'}",
        f"content_quoted={content.text[:1] in _QUOTES}",
        f"content_that={words[0].lower() == 'that' if words else False}",
        f"parts={len(content.parts)}",
        f"gap={_bin(max(content.start - attribution.cue.end, attribution.cue.start - content.end, 0), (0, 2, 10, 30, 80))}",
        f"cue_quoted={any(start < cue.idx < stop for start, stop in quotes)}",
        f"sourceless_share={min(int(float(entry.get('sourceless', 0.0)) * 4), 3)}",
    ]
    if attribution.how:
        source_how, _, content_how = attribution.how.partition("/")
        found += [
            f"how={attribution.how}",
            f"content_how={content_how}",
            f"key|content_how={key}|{content_how}",
            f"source_how={source_how}",
        ]
    head = cue.head
    found += [f"head_lemma={head.lemma_.lower()}" if head.i != cue.i else "head=root"]
    if source is None:
        found += ["source=none", f"key|source=none|{key}"]
    else:
        speaker = attribution.speaker
        # people named together ("Cruz and Trump") are a group now; the model was trained when
        # they were the first person named, and reads them so
        kind = (
            "person" if speaker and speaker.type == "group" else speaker.type if speaker else None
        )
        found += [
            f"source_type={kind or 'none'}",
            f"source_words={_bin(len(source.text.split()), (1, 2, 4, 8))}",
            f"source_side={'before' if source.start < attribution.cue.start else 'after'}",
            f"source_people={source.text.split()[-1].lower() in _PEOPLE_WORDS}",
        ]
    for child in cue.children:
        if child.dep_ == "neg":
            found.append("negated")
        elif child.dep_ in ("aux", "auxpass"):
            found.append(f"aux={child.lower_}")
        elif child.dep_ in ("ccomp", "dobj", "xcomp", "prep", "nsubj", "nsubjpass", "agent"):
            found.append(f"child={child.dep_}")
    return found


@dataclass
class AttributionModel:
    """Weights, decision thresholds, the extra cue lexicon and the given-name genders.

    Proposals come from three lexicons, each with its own threshold: the rules' cue words
    ("rules"), the rarer cue words learnt with the model ("extra"), and any other verb with a
    subject and a clause, object or phrase ("generic"), proposed only when ``threshold_generic``
    is at most 1 (the training script's ``--generic``; the shipped model leaves it off).
    """

    weights: dict[str, float]
    threshold_rules: float
    threshold_extra: float
    extra_cues: dict[str, dict[str, Any]]
    given_names: dict[str, str]
    threshold_generic: float = 2.0

    @property
    def generic(self) -> bool:
        """Whether verbs outside both lexicons are proposed at all."""
        return self.threshold_generic <= 1.0

    def probability(self, names: Sequence[str]) -> float:
        score = sum(self.weights.get(name, 0.0) for name in names)
        return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))

    def keeps(self, names: Sequence[str], lexicon: str) -> bool:
        """Whether a proposal from ``lexicon`` ("rules", "extra", "generic") is kept."""
        threshold = {
            "rules": self.threshold_rules,
            "extra": self.threshold_extra,
            "generic": self.threshold_generic,
        }[lexicon]
        return self.probability(names) >= threshold


@lru_cache(maxsize=1)
def load_model() -> AttributionModel | None:
    """The shipped model, or None when the package carries none (the rules then work alone)."""
    resource = resources.files("enquiry.enrich.text").joinpath(MODEL_FILE)
    if not resource.is_file():
        return None
    data = json.loads(resource.read_text("utf-8"))
    return AttributionModel(
        weights={str(k): float(v) for k, v in data["weights"].items()},
        threshold_rules=float(data["threshold_rules"]),
        threshold_extra=float(data["threshold_extra"]),
        extra_cues=dict(data["extra_cues"]),
        given_names={str(k): str(v) for k, v in data["given_names"].items()},
        threshold_generic=float(data.get("threshold_generic", 2.0)),
    )
