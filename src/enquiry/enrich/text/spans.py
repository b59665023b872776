"""Learnt choice of the source and content spans of an attribution the rules proposed.

The rules (``attribution.py``) find a cue and follow learnt dependency paths to one source and
one content. Where the annotated span is not the subtree the path reaches — an object whose
content is its complement ("accused Obama of political exploitation"), a content that runs on
into the next sentence, a participle whose speaker is the subject of the clause it hangs on —
the rules' single guess is wrong although the right span is there in the parse. Here the parse
around a cue yields a set of candidate spans for each role (the rules' own guess among them); a
linear ranker over binary features of each candidate (how it was built, its head's dependency
and part of speech, its length, punctuation and quotation marks at its edges, where it lies
against the cue, the cue's lemma crossed with how it was built) picks one.

The weights are plain numbers in ``attribution_spans.json`` (feature name to weight), trained
by ``scripts/train_attribution_spans.py`` on PolNeAR's training split with scikit-learn; running
them needs no machine-learning library. The learnt choice replaces the rules' one only when its
score beats the rules' candidate by a margin chosen by cross-validation on training articles.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from enquiry.enrich.text.patterns import key_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from enquiry.enrich.text.attribution import Attribution, Span

SPANS_FILE = "attribution_spans.json"
NEWLINE = "\n"
_QUOTE_MARKS = frozenset("\"'“”‘’«»")
_SKIP_DEPS = frozenset(
    {"punct", "aux", "auxpass", "neg", "prt", "det", "cc", "mark", "case", "expl", "nsubj"}
    | {"nsubjpass", "agent", "poss", "compound", "amod", "nummod", "predet", "space"}
)
_SPEAKERS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
# Candidates that may run on over the next sentences of their paragraph.
_EXTENDED = frozenset(
    {"rules", "child:ccomp:after", "sentence-after", "quote-next", "cut-that", "dobj+compl"}
)


def _bin(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


@dataclass
class Candidate:
    """One candidate span for a role: its character pieces and the names of its features."""

    pieces: tuple[tuple[int, int], ...]  # () for "no source"
    kinds: list[str]
    head: Token | None


def _run(tokens: list[Token], anchor: Token) -> list[Token]:
    from enquiry.enrich.text.attribution import _contiguous, _paragraph, _trim

    return _trim(_paragraph(_contiguous(tokens, anchor), anchor))


def _pieces_of(tokens: list[Token]) -> tuple[tuple[int, int], ...]:
    if not tokens:
        return ()
    return ((tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)),)


def _paragraph_end(text: str, offset: int) -> int:
    found = text.find("\n\n", offset)
    return len(text) if found < 0 else found


def content_candidates(
    doc: Doc,
    cue: Token,
    attribution: Attribution,
    quotes: Sequence[tuple[int, int]],
    cue_keys: frozenset[str] | set[str] | dict[str, Any],
) -> list[Candidate]:
    """Candidate contents around ``cue``; the first is always the rules' own content."""
    from enquiry.enrich.text.attribution import text_of

    text = text_of(doc)
    rules = tuple((piece.start, piece.end) for piece in attribution.content.pieces)
    found: list[Candidate] = [Candidate(rules, ["rules"], None)]
    source = attribution.source
    source_ids = (
        {t.i for t in doc.char_span(source.start, source.end, alignment_mode="expand") or ()}
        if source is not None
        else set()
    )
    cue_ids = {t.i for t in cue.subtree}

    def add(tokens: list[Token], anchor: Token, kind: str) -> None:
        run = _run(tokens, anchor) if anchor in tokens else []
        if run and not (cue_ids & {t.i for t in run} and cue in run):
            found.append(Candidate(_pieces_of(run), [kind], anchor))

    for child in cue.children:
        if child.dep_ in _SKIP_DEPS or child.i in source_ids:
            continue
        side = "after" if child.i > cue.i else "before"
        subtree = [t for t in child.subtree if t.i not in source_ids]
        add(subtree, child, f"child:{child.dep_}:{side}")
        if child.dep_ == "prep":
            for pobj in child.children:
                if pobj.dep_ in ("pobj", "pcomp"):
                    add(list(pobj.subtree), pobj, f"pobj:{side}")
        if child.dep_ == "dobj" and side == "after":
            following = [
                s
                for s in cue.children
                if s.i > child.i and s.dep_ in ("oprd", "xcomp", "ccomp", "prep")
            ]
            if following:
                extended = subtree + [t for s in following for t in s.subtree]
                add(extended, child, "dobj+compl")
                first = following[0]
                add(list(first.subtree), first, f"compl:{first.dep_}")
                for pobj in first.children:
                    if first.dep_ == "prep" and pobj.dep_ in ("pobj", "pcomp"):
                        add(list(pobj.subtree), pobj, "compl:pobj")
            for grand in child.children:
                if grand.dep_ in ("acl", "relcl", "prep") and grand.i > child.i:
                    add(list(grand.subtree), grand, f"obj:{grand.dep_}")
    if cue.head.i != cue.i:
        head = cue.head
        tokens = [t for t in head.subtree if t.i not in cue_ids and t.i not in source_ids]
        add(tokens, head, f"head:{cue.dep_}")
    sentence = cue.sent
    after = [t for t in doc[cue.i + 1 : sentence.end] if t.i not in source_ids]
    if after:
        start = next((t for t in after if not (t.is_punct or t.is_space)), None)
        if start is not None:
            add(after, start, "sentence-after")
    before = [t for t in doc[sentence.start : cue.i] if t.i not in source_ids]
    if before:
        last = next((t for t in reversed(before) if not (t.is_punct or t.is_space)), None)
        if last is not None:
            add(before, last, "sentence-before")
    # quotations of the cue's paragraph, the nearest after and before the cue
    par_end = _paragraph_end(text, cue.idx)
    par_start = text.rfind("\n\n", 0, cue.idx)
    # no further than the sentence after the cue's, nor before the sentence before it
    reach_end = doc[sentence.end].sent.end_char if sentence.end < len(doc) else len(text)
    reach_start = doc[sentence.start - 1].sent.start_char if sentence.start > 0 else 0
    following_quotes = [
        q for q in quotes if cue.idx + len(cue.text) <= q[0] < min(par_end, reach_end)
    ]
    preceding_quotes = [q for q in quotes if q[1] <= cue.idx and q[0] > max(par_start, reach_start)]
    if following_quotes:
        found.append(Candidate((following_quotes[0],), ["quote-next"], None))
    if preceding_quotes:
        found.append(Candidate((preceding_quotes[-1],), ["quote-prev"], None))
    # the rules' content cut: without "that", at its first sentence's end, before a trailing
    # ", officials said"
    if len(rules) == 1:
        span = doc.char_span(rules[0][0], rules[0][1], alignment_mode="expand")
        if span is not None and len(span) > 1:
            words = list(span)
            if words[0].lower_ == "that":
                add(words[1:], words[1], "cut-that")
            commas = [t for t in words[3:-1] if t.text in (",", ";", "--", "—")]
            for comma in commas[:4]:
                add([t for t in words if t.i < comma.i], words[0], "cut-comma")
            ends = [t for t in words[:-1] if t.is_sent_end]
            if ends:
                add(words[: words.index(ends[0]) + 1], words[0], "cut-sentence")
            for token in words[1:]:
                if key_of(token) not in cue_keys or token.i <= max(cue.i, words[0].i + 2):
                    continue
                commas_before = [
                    t.i for t in doc[max(words[0].i, token.i - 5) : token.i] if t.text == ","
                ]
                if commas_before:
                    # '..., officials said': a later saying reported around the content
                    add([t for t in words if t.i < commas_before[-1]], words[0], "cut-trailing")
                    break
    # a candidate after the cue run on to the end of its sentence ("talk about the budget and
    # how the state will pay": the parse cut the coordination off the object)
    closing = _sentence_last(doc, sentence)
    if closing is not None:
        for candidate in list(found):
            if len(candidate.pieces) != 1 or (candidate.head is None and candidate is not found[0]):
                continue
            a, b = candidate.pieces[0]
            if a > cue.idx and b < closing and "\n\n" not in text[b:closing]:
                found.append(
                    Candidate(((a, closing),), [f"{candidate.kinds[0]}+to-end"], candidate.head)
                )
    # extensions over the sentences that follow in the same paragraph
    bases = [
        c
        for c in list(found)
        if len(c.pieces) == 1 and c.pieces[0][0] > cue.idx and set(c.kinds) & _EXTENDED
    ]
    for base in bases:
        end = base.pieces[0][1]
        limit = _paragraph_end(text, end)
        if limit <= end:
            continue
        tail = doc.char_span(end, limit, alignment_mode="expand")
        if tail is None:
            continue
        if not _ends_sentence(doc, end):
            continue
        sentences: list[tuple[int, int]] = []
        next_sentence: Any = doc[tail.start].sent
        if next_sentence.start_char < end:
            next_sentence = doc[next_sentence.end].sent if next_sentence.end < len(doc) else None
        while next_sentence is not None and len(sentences) < 2 and next_sentence.start < tail.end:
            sentences.append((next_sentence.start_char, min(next_sentence.end_char, limit)))
            next_sentence = doc[next_sentence.end].sent if next_sentence.end < len(doc) else None
        said = False
        for count, (begin, stop) in enumerate(sentences, 1):
            while stop > end and text[stop - 1].isspace():
                stop -= 1
            if stop <= begin:
                break
            added = doc.char_span(begin, stop, alignment_mode="expand")
            said = said or (added is not None and any(key_of(t) in cue_keys for t in added))
            opens = text[begin : begin + 1] in _QUOTE_MARKS
            found.append(
                Candidate(
                    ((base.pieces[0][0], stop),),
                    [f"{kind}+s{count}" for kind in base.kinds[:1]]
                    + [f"extend+s{count}", f"extend+s{count}|cue={said}|quote={opens}"],
                    base.head,
                )
            )
    return _merged(found)


def _sentence_last(doc: Doc, sentence: Any) -> int | None:
    """Where a sentence's words end, before its closing punctuation and spaces."""
    words = [t for t in doc[sentence.start : sentence.end] if not (t.is_space or t.is_punct)]
    if not words:
        return None
    last = words[-1]
    closing = [t for t in doc[last.i + 1 : sentence.end] if t.text in _QUOTE_MARKS]
    end = closing[-1] if closing else last
    return end.idx + len(end.text)


def _ends_sentence(doc: Doc, end: int) -> bool:
    """Whether a span ending at ``end`` ends its sentence (nothing but punctuation after it)."""
    span = doc.char_span(max(0, end - 1), end, alignment_mode="expand")
    if span is None:
        return False
    last = span[-1]
    sentence = last.sent
    return all(t.is_punct or t.is_space for t in doc[last.i + 1 : sentence.end])


def _merged(found: list[Candidate]) -> list[Candidate]:
    """One candidate per span, with the kinds of every way it was built (the first stays first)."""
    by_span: dict[tuple[tuple[int, int], ...], Candidate] = {}
    for candidate in found:
        known = by_span.get(candidate.pieces)
        if known is None:
            by_span[candidate.pieces] = candidate
        else:
            known.kinds += [k for k in candidate.kinds if k not in known.kinds]
            if known.head is None:
                known.head = candidate.head
    return list(by_span.values())


def _kind_names(candidate: Candidate, rules: Candidate, cue: Token, lemma: str) -> list[str]:
    """The features content and source candidates share: how the candidate was built, with
    the cue's lemma, dependency and tag, and whether it is the rules' own choice."""
    names = ["bias"]
    for kind in candidate.kinds:
        names += [f"k={kind}", f"k|lemma={kind}|{lemma}", f"k|dep={kind}|{cue.dep_}"]
        names += [f"k|tag={kind}|{cue.tag_}"]
    names.append(f"is_rules={candidate is rules}")
    return names


def content_features(
    doc: Doc, cue: Token, candidate: Candidate, rules: Candidate, quotes: Sequence[tuple[int, int]]
) -> list[str]:
    """Binary features of one content candidate."""
    from enquiry.enrich.text.attribution import text_of

    text = text_of(doc)
    lemma = cue.lemma_.lower()
    start, end = candidate.pieces[0][0], candidate.pieces[-1][1]
    body = " ".join(text[a:b] for a, b in candidate.pieces)
    words = body.split()
    names = _kind_names(candidate, rules, cue, lemma)
    names.append(f"words={_bin(len(words), (1, 2, 3, 5, 8, 12, 20, 30, 50, 80))}")
    names.append(f"lemma|words={lemma}|{_bin(len(words), (2, 5, 12, 30))}")
    first, last = body[:1], body[-1:]
    names.append(f"first={'q' if first in _QUOTE_MARKS else first.isupper()}")
    names.append(f"last={'q' if last in _QUOTE_MARKS else last if not last.isalnum() else 'w'}")
    names.append(f"last2={body[-2:-1] if last in _QUOTE_MARKS else ''}")
    names.append(f"that={words[0].lower() == 'that' if words else False}")
    side = "after" if start >= cue.idx else "before"
    names.append(f"side={side}")
    names.append(f"lemma|side={lemma}|{side}")
    gap = max(start - (cue.idx + len(cue.text)), cue.idx - end, 0)
    names.append(f"gap={_bin(gap, (1, 3, 10, 30, 80))}")
    quoted = any(a <= start and end <= b for a, b in quotes)
    exact = any(a == start and end == b for a, b in quotes)
    names.append(f"quoted={quoted}|{exact}")
    sentences = text[start:end].count(". ") + text[start:end].count('." ')
    names.append(f"sentences={_bin(sentences, (0, 1, 2, 4))}")
    names.append(f"paragraphs={NEWLINE in text[start:end]}")
    opening = doc.char_span(*candidate.pieces[0], alignment_mode="expand")
    closing = doc.char_span(*candidate.pieces[-1], alignment_mode="expand")
    if opening is not None and closing is not None and len(opening) and len(closing):
        names += [f"first_word={_word(opening[0])}", f"last_word={_word(closing[-1])}"]
    names += _against_rules(doc, candidate, rules, lemma)
    overlap = _overlap(candidate.pieces, rules.pieces)
    names.append(f"rules_overlap={_bin(int(overlap * 10), (0, 3, 6, 8, 9))}")
    if candidate.head is not None:
        head = candidate.head
        relation = (
            "child"
            if head.head.i == cue.i
            else "ancestor"
            if cue in head.subtree
            else "grandchild"
            if head.head.head.i == cue.i
            else "other"
        )
        names += [
            f"head={head.dep_}|{head.pos_}",
            f"head_rel={relation}",
            f"head|lemma={head.dep_}|{lemma}",
        ]
    return names


def _word(token: Token) -> str:
    """A token as a feature: punctuation and function words as written, others by tag."""
    if token.is_punct or token.tag_ in ("CC", "IN", "WDT", "WP", "WRB", "DT", "TO"):
        return token.lower_
    return token.tag_


def _against_rules(doc: Doc, candidate: Candidate, rules: Candidate, lemma: str) -> list[str]:
    """What a candidate adds to or cuts from the rules' content at its end: the first word
    beyond the shorter of the two ("putting", "which", ",", "and") says whether the rest is
    still what was said."""
    if candidate is rules or len(rules.pieces) != 1 or len(candidate.pieces) != 1:
        return []
    (a, b), (c, d) = candidate.pieces[0], rules.pieces[0]
    names: list[str] = []
    if a == c and b != d:
        shorter = min(b, d)
        kind = "extends" if b > d else "cuts"
        tail = doc.char_span(shorter, max(b, d), alignment_mode="expand")
        words = [t for t in tail or () if not t.is_space]
        if words:
            first = words[0]
            second = _word(words[1]) if len(words) > 1 else "-"
            names += [
                f"{kind}={_word(first)}|{first.dep_}",
                f"{kind}2={_word(first)}|{second}",
                f"{kind}|lemma={lemma}|{_word(first)}",
                f"{kind}|words={_bin(len(words), (2, 5, 10, 20, 40))}",
            ]
    elif a != c and b == d:
        kind = "later_start" if a > c else "earlier_start"
        head = doc.char_span(min(a, c), max(a, c), alignment_mode="expand")
        words = [t for t in head or () if not t.is_space]
        if words:
            names += [f"{kind}={_word(words[0])}", f"{kind}|words={_bin(len(words), (1, 3, 10))}"]
    return names


def _overlap(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> float:
    """Character-overlap F1 of two sets of pieces."""
    common = sum(max(0, min(x2, y2) - max(x1, y1)) for x1, x2 in a for y1, y2 in b)
    size = sum(x2 - x1 for x1, x2 in a) + sum(y2 - y1 for y1, y2 in b)
    return 2 * common / size if size else 1.0


def source_candidates(
    doc: Doc, cue: Token, attribution: Attribution, previous: Span | None
) -> list[Candidate]:
    """Candidate sources of a cue; the first is the rules' own (or none), the second none."""
    from enquiry.enrich.text.attribution import _closed, _source_tokens, _token_span

    source = attribution.source
    rules = ((source.start, source.end),) if source is not None else ()
    found = [Candidate(rules, ["rules"], None), Candidate((), ["none"], None)]
    content = attribution.content

    def add(head: Token | None, kind: str) -> None:
        if head is None or head.is_punct or head.i == cue.i:
            return
        tokens = _source_tokens(head)
        if cue in tokens:
            return
        span = _closed(doc, _token_span(tokens))
        if span is None:
            return
        if any(piece.start <= span.start < piece.end for piece in content.pieces):
            return
        found.append(Candidate(((span.start, span.end),), [kind], head))

    for child in cue.children:
        if child.dep_ in ("nsubj", "nsubjpass", "poss"):
            add(child, f"child:{child.dep_}")
        elif child.dep_ == "agent":
            for pobj in child.children:
                add(pobj, "agent")
        elif child.dep_ == "prep" and child.lower_ in ("from", "by", "of", "among"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    add(pobj, f"prep:{child.lower_}")
    climb = cue
    for level in range(1, 4):
        if climb.head.i == climb.i:
            break
        via = climb.dep_
        climb = climb.head
        if via in ("relcl", "acl") and climb.pos_ in ("NOUN", "PROPN", "PRON"):
            add(climb, f"up{level}:{via}:noun")
        for child in climb.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.i != cue.i:
                add(child, f"up{level}:{via}:{child.dep_}")
    if previous is not None and previous.start < cue.idx:
        found.append(Candidate(((previous.start, previous.end),), ["previous"], None))
    return _merged(found)


def source_features(doc: Doc, cue: Token, candidate: Candidate, rules: Candidate) -> list[str]:
    """Binary features of one source candidate."""
    from enquiry.enrich.text.attribution import text_of

    lemma = cue.lemma_.lower()
    names = _kind_names(candidate, rules, cue, lemma)
    names.append(f"rules_none={not rules.pieces}")
    if not candidate.pieces:
        names.append(f"none|lemma={lemma}")
        names.append(f"none|dep={cue.dep_}|{cue.tag_}")
        return names
    start, end = candidate.pieces[0]
    body = text_of(doc)[start:end]
    words = body.split()
    names.append(f"words={_bin(len(words), (1, 2, 3, 5, 8, 12))}")
    side = "before" if start < cue.idx else "after"
    names.append(f"side={side}")
    gap = max(start - (cue.idx + len(cue.text)), cue.idx - end, 0)
    names.append(f"gap={_bin(gap, (1, 5, 20, 60, 150))}")
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None:
        ents = {t.ent_type_ for t in span if t.ent_type_ in _SPEAKERS}
        names += [f"ent={e}" for e in sorted(ents)] or ["ent=none"]
        head = candidate.head or span.root
        names.append(f"head={head.pos_}|{head.tag_}")
        names.append(f"pron={head.lower_ if head.pos_ == 'PRON' else ''}")
    return names


@dataclass
class SpanModel:
    """Weights of the content and source rankers and the margins by which the learnt choice
    must beat the rules' candidate to replace it (above 1e6: that role is left to the rules)."""

    content_weights: dict[str, float]
    source_weights: dict[str, float]
    content_margin: float
    source_margin: float

    def choose(self, weights: dict[str, float], rows: list[list[str]], margin: float) -> int:
        """Index of the chosen candidate; 0 (the rules' own) unless another beats it by
        ``margin``."""
        scores = [sum(weights.get(name, 0.0) for name in row) for row in rows]
        best = max(range(len(scores)), key=lambda n: scores[n])
        return best if scores[best] >= scores[0] + margin and best != 0 else 0


def _span_of(doc: Doc, pieces: tuple[tuple[int, int], ...]) -> Span | None:
    from enquiry.enrich.text.attribution import _span, joined

    if not pieces:
        return None
    return joined([_span(doc, a, b) for a, b in pieces])


def respan(
    model: SpanModel,
    doc: Doc,
    cue: Token,
    attribution: Attribution,
    quotes: Sequence[tuple[int, int]],
    cue_keys: frozenset[str] | set[str] | dict[str, Any],
    previous: Span | None,
) -> None:
    """Replace the rules' content and source of ``attribution`` by the learnt choice."""
    from enquiry.enrich.text.attribution import _source_tokens, describe

    if model.content_margin < 1e6:
        candidates = content_candidates(doc, cue, attribution, quotes, cue_keys)
        if len(candidates) > 1:
            rows = [content_features(doc, cue, c, candidates[0], quotes) for c in candidates]
            chosen = model.choose(model.content_weights, rows, model.content_margin)
            if chosen:
                span = _span_of(doc, candidates[chosen].pieces)
                if span is not None:
                    attribution.content = span
    if model.source_margin < 1e6:
        candidates = source_candidates(doc, cue, attribution, previous)
        rows = [source_features(doc, cue, c, candidates[0]) for c in candidates]
        chosen = model.choose(model.source_weights, rows, model.source_margin)
        if chosen:
            picked = candidates[chosen]
            attribution.source = _span_of(doc, picked.pieces)
            if picked.head is not None:
                attribution.speaker = describe(_source_tokens(picked.head))
            elif attribution.source is None:
                attribution.speaker = None
            else:
                words = doc.char_span(
                    attribution.source.start, attribution.source.end, alignment_mode="expand"
                )
                attribution.speaker = describe(list(words)) if words is not None else None


@lru_cache(maxsize=1)
def load_span_model() -> SpanModel | None:
    """The shipped span model, or None when the package carries none."""
    resource = resources.files("enquiry.enrich.text").joinpath(SPANS_FILE)
    if not resource.is_file():
        return None
    data = json.loads(resource.read_text("utf-8"))
    return SpanModel(
        content_weights={str(k): float(v) for k, v in data["content_weights"].items()},
        source_weights={str(k): float(v) for k, v in data["source_weights"].items()},
        content_margin=float(data["content_margin"]),
        source_margin=float(data["source_margin"]),
    )
