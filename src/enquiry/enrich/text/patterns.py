"""Dependency paths between a cue and its source or content, learnt from annotated text.

A path is the list of arcs walked in the parse from the cue's head token to the other span's
head token: ``^ccomp`` climbs from a token to its head over a ``ccomp`` arc, ``nsubj`` descends
to a child over an ``nsubj`` arc. The extractor replays the paths seen most often in training.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

MAX_PATH = 3


# British spellings of cue verbs the lexicon learnt from American news: "criticised" is the
# same cue as "criticized".
_BRITISH = {
    f"{stem}ise": f"{stem}ize"
    for stem in (
        "apolog",
        "authori",
        "categor",
        "character",
        "critic",
        "emphas",
        "legitim",
        "minim",
        "polit",
        "public",
        "real",
        "recogn",
        "scrutin",
        "summar",
        "sympath",
    )
}


def key_of(token: Token) -> str:
    """The lexicon key of a cue token: its lower-cased lemma (in American spelling) and coarse
    part of speech."""
    lemma = token.lemma_.lower()
    pos = token.pos_
    if (
        pos == "NOUN"
        and token.dep_ == "ROOT"
        and any(child.dep_ == "nsubj" for child in token.children)
        and any(child.dep_ in ("dobj", "ccomp") for child in token.children)
    ):
        # "We, the Foreign Ministers of …, condemn … the use of": a sentence's root with a
        # subject and an object is a verb, whatever the tagger says
        pos = "VERB"
    elif _verb_taken_for_plural(token):
        pos = "VERB"
    return f"{_BRITISH.get(lemma, lemma)}/{pos}"


def _verb_taken_for_plural(token: Token) -> bool:
    """ "4. Complainant A states that she saw the aircraft": after a name the tagger does not
    know, a verb in -s that opens a that-clause is read as a plural noun the name modifies; a
    sentence's root so read, with the name just before it and a clause after, is the verb."""
    return (
        token.pos_ == "NOUN"
        and token.tag_ == "NNS"
        and token.dep_ == "ROOT"
        and token.i > 0
        and token.doc[token.i - 1].dep_ == "compound"
        and token.doc[token.i - 1].pos_ == "PROPN"
        and any(child.dep_ == "ccomp" and child.i > token.i for child in token.children)
    )


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i:
        token = token.head
        depth += 1
    return depth


def span_head(doc: Doc, start: int, end: int) -> Token | None:
    """The highest token of the parse inside the character range ``start``–``end``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    words = [token for token in span if not token.is_punct and not token.is_space] or list(span)
    return min(words, key=lambda token: (_depth(token), token.i))


def path_between(origin: Token, target: Token) -> str | None:
    """The arcs from ``origin`` to ``target`` as ``"^ccomp/nsubj"``, or None if too long."""
    ups: list[Token] = [origin]
    while ups[-1].head.i != ups[-1].i:
        ups.append(ups[-1].head)
    downs: list[Token] = [target]
    index_of = {token.i: n for n, token in enumerate(ups)}
    while downs[-1].i not in index_of:
        if downs[-1].head.i == downs[-1].i:
            return None
        downs.append(downs[-1].head)
    meet = index_of[downs[-1].i]
    steps = [f"^{token.dep_}" for token in ups[:meet]]
    steps += [token.dep_ for token in reversed(downs[:-1])]
    if not steps or len(steps) > MAX_PATH:
        return None
    return "/".join(steps)


def follow(origin: Token, path: str) -> list[Token]:
    """Every token reached from ``origin`` by walking ``path``."""
    current = [origin]
    for step in path.split("/"):
        reached: list[Token] = []
        for token in current:
            if step.startswith("^"):
                if token.dep_ == step[1:] and token.head.i != token.i:
                    reached.append(token.head)
            else:
                reached.extend(child for child in token.children if child.dep_ == step)
        current = reached
        if not current:
            break
    return current


def tokens_between(tokens: Iterable[Token]) -> tuple[int, int]:
    """The character range covering ``tokens``."""
    listed = list(tokens)
    return listed[0].idx, max(token.idx + len(token.text) for token in listed)
