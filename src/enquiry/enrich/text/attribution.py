"""Quote attribution: who said what, with the source, cue and content as character spans.

The extractor reads spaCy's dependency parse. Cue words and the dependency paths that lead from
a cue to its source and to its content are not written by hand: ``scripts/learn_cues.py``
learns them from the PolNeAR training articles into ``cues.json``. On top of the parse three
things the parse cannot see are handled here: quotations (a content that lies in a quotation is
widened to the whole quotation, even across sentence breaks), a cue that ends in a colon before
a quotation, and speakers that are pronouns or bare titles ("She", "the ambassador"), which are
resolved to the last fitting speaker named before them. Two learnt models sit on top: a filter
that keeps or drops each proposed relation (``learnt.py``), and a ranker that re-chooses the
content and source spans of the relations kept among candidates built from the parse
(``spans.py``).
"""

from __future__ import annotations

import bisect
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from enquiry.enrich.text.actors import (
    is_place,
    is_state,
    is_town,
    known_body,
    place_to_state,
    towns_in,
)
from enquiry.enrich.text.given_names import is_given_name, name_gender
from enquiry.enrich.text.learnt import AttributionModel, features, load_model
from enquiry.enrich.text.names import SPACY_MODEL, VERSION
from enquiry.enrich.text.patterns import follow, key_of
from enquiry.enrich.text.spans import SpanModel, load_span_model, respan

if TYPE_CHECKING:
    # spaCy is imported when a pipeline is loaded, not with this module: a coordinator that
    # only writes the claims its cluster workers read (unpickling them imports this module)
    # never parses a word.
    from spacy.language import Language
    from spacy.tokens import Doc, Token

# Reporting verbs of diplomatic speech that are too rare or too ambiguous in the news training
# data to pass the learnt precision threshold, yet are how statements are reported at the UN.
EXTRA_CUES = (
    *("maintain", "lash", "stress", "reiterate", "complain", "allege", "assert", "deny"),
    *("testify", "attest"),  # how witnesses speak before a court or a commission
    *("affirm", "underline", "emphasise", "regret"),  # a ministry's letter, a council's record
    # how a party pleads before a court ("The Prosecution submits that …") and how an embassy
    # or an agency gives its reading ("Post assesses that …")
    *("submit", "assess"),
    # a pleading's own word for what a party alleges ("Plaintiffs aver that …"), and how an
    # inquiry or a court writes down what it found ("the Mechanism recorded that …")
    *("aver", "record"),
)
# Verbs that name what they speak of, as "called" does: "branded the witnesses terrorist
# propagandists", "dubbed the report a fabrication". Only with an object and its complement.
NAMING_CUES = ("brand", "dub")
# Verbs that are a claim only with the target of their call ("appealed to the agencies to send
# antidotes", "appealed for calm"; never "the plan's appeal"), read as "called on" is.
TARGET_ONLY_CUES = ("appeal",)

# Nouns that name a role a person holds: "the envoy said" refers back to someone named.
_ROLES = frozenset(
    {
        "administrator",  # of a channel, a group or a page, who answers for it
        "ambassador",
        "envoy",
        "diplomat",
        "minister",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "president",
        "official",
        "secretary",
        "general",
        "commander",
        "senator",
        # a member of the House as her constituents' minutes name her: "the Congresswoman"
        "congressman",
        "congresswoman",
        "governor",
        "mayor",
        "chairman",
        "chairwoman",
        # a meeting's, as its minutes name the one presiding: "The Chair asked for order"
        "chair",
        "director",
        "representative",
        "delegate",
        "adviser",
        "advisor",
        "chief",
        "prosecutor",
        "investigator",
        "inspector",
        # a trial's
        "defendant",
        "accused",
    }
)
_ROLE_KIN = {
    "envoy": {"envoy", "ambassador", "representative", "diplomat"},
    "diplomat": {"diplomat", "ambassador", "envoy", "representative"},
    "ambassador": {"ambassador", "envoy", "representative"},
    "representative": {"representative", "ambassador", "envoy"},
    "spokesperson": {"spokesperson", "spokesman", "spokeswoman"},
    "spokesman": {"spokesman", "spokesperson"},
    "spokeswoman": {"spokeswoman", "spokesperson"},
}
# Kindred titles that only a definite description refers back to.
_DEFINITE_KIN = {"diplomat": {"minister", "spokesman", "spokeswoman", "spokesperson"}}
_PRONOUN_GENDER = {"she": "female", "her": "female", "he": "male", "him": "male"}
# Cues whose content is a target and a grievance in prepositional phrases, not a clause, with
# the prepositions that open it: "lashed out at Turkey for ...", "called on all sides to ...".
_TARGET_CUES = {
    "lash": frozenset({"at", "against"}),
    "rail": frozenset({"at", "against"}),
    "call": frozenset({"on", "upon", "for"}),
    "insist": frozenset({"on", "upon"}),
    # "appealed to international organisations to send antidotes", "appealed for calm"
    "appeal": frozenset({"to", "for"}),
}
# Cues whose content may be a gerund: "denied using chemical weapons", "admitted carrying out".
_GERUND_CUES = frozenset({"deny", "admit", "acknowledge", "reject"})
# Bodies of a state, which "the group" never refers back to.
_STATE_BODIES = frozenset(
    {"embassy", "ministry", "government", "army", "presidency", "council", "department"}
    | {"office", "administration", "parliament", "court", "military", "kremlin", "cabinet"}
)
# Nouns that stand for whatever organisation was named last ("the group said").
_GENERIC_GROUPS = frozenset({"group", "organisation", "organization", "body", "agency", "charity"})
_POSSESSIVES = frozenset({"his", "her", "its", "their"})
# "The Syrian government handed its arsenal to the OPCW. The organisation said …": words for
# a body that is not a state's own, which never stand for a government or its ministries.
_NO_GOVERNMENT = frozenset({"organisation", "organization", "charity"})
_GOVERNING = frozenset({"government", "ministry", "embassy", "army", "presidency", "kremlin"})
_PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "we"}
_POSSESSIVE_PRONOUNS = {"his": "he", "its": "it", "their": "they", "my": "i", "our": "we"}
_GROUP_PRONOUNS = {"they", "it", "we"}
_OPENING = {"“": "”", "‘": "’", "«": "»", '"': '"', "'": "'"}
# Typed text mixes curly and straight marks ("“I fundamentally disagree," he said): a curly
# opening may be closed by a straight mark and the other way round.
_CLOSERS = {"”": '”"', '"': '"”', "’": "’'", "'": "'’", "»": "»"}
_TRIM = set(",;:-–—") | {"(", ")"}
# Where a speaker hides when the learnt paths of a rare cue find none: the subject of the verb
# the cue hangs from ("Rubio sought to emphasize"), of the first of two joined verbs, or the
# agent of a passive ("was rebuked by opponents").
_FALLBACK_SOURCE_PATHS = (
    "nsubj",
    "^xcomp/nsubj",
    "^conj/nsubj",
    "^conj/nsubjpass",  # "Trump was forced into damage control and said that …"
    "^conj/^conj/nsubj",  # "Trump joked …, declined to …, and told his audience …"
    "^advcl/nsubj",
    "^xcomp/^conj/nsubj",  # "Trump joked ..., but went on to say ..."
    "^xcomp/^acomp/nsubj",  # "voters were more likely to say ..."
    "agent/pobj",
    "^pcomp/^prep/nsubjpass",  # "Nebenzia was quoted as saying"
    "^conj/^advcl/nsubj",  # "He ducked, pointing to his record and saying that ..."
    "^advcl/^conj/nsubj",  # "The panel met and judged it unlikely, noting that ..."
    "^pcomp/^prep/nsubj",  # "The minister attacked the plan by insisting that ..."
    "^pcomp/^prep/^conj/nsubj",  # "Dean appeared on MSNBC and began by saying ..."
    "^pcomp/^prep/^acomp/nsubj",  # "The critics are mistaken in suggesting that ..."
    "^acl/^dobj/nsubj",  # "The Commission has reasonable grounds to believe that ..."
)
# Prepositions that open what a complaint or a remark is about ("complained in parliament about
# the findings": the findings, not the place).
_TOPIC_PREPS = frozenset({"about", "over", "of", "regarding", "concerning", "against"})
# Nouns for people who can speak without being named ("two officials said"), beside the roles.
_PEOPLE_NOUNS = frozenset(
    {
        "official",
        "source",
        "aide",
        "lawyer",
        "witness",
        "activist",
        "analyst",
        "leader",
        "officer",
        "expert",
        "resident",
        "member",
        "people",
        "person",
        "campaigner",
        "critic",
        "supporter",
        "opponent",
        "voter",
        "lawmaker",
        "legislator",
        "negotiator",
        "monitor",
        # those who saw and treated the victims of an attack
        "doctor",
        "physician",
        "nurse",
        "medic",
        "paramedic",
        "survivor",
        "volunteer",
        "rescuer",
        "farmer",
        "journalist",
        # those who bring a case ("The complainants submit … They further submit")
        "complainant",
        "plaintiff",
        "claimant",
        "petitioner",
        # professions and offices whose holders speak ("a District Court judge sided with the
        # Democrats, saying …": the judge, not a name in the phrase after)
        "judge",
        "justice",
        "magistrate",
        "juror",
        "coroner",
        "scientist",
        "researcher",
        "professor",
        "economist",
        "historian",
        "pollster",
        "strategist",
        "consultant",
        "commentator",
        "columnist",
        "surgeon",
        "pathologist",
        "chemist",
        "toxicologist",
        "candidate",
        "nominee",
        "donor",
    }
)
_SOURCE_DROPPED = ("advcl",)
# Adverbs of a saying's place among others, which the parse can hang on its subject: "The witness
# elsewhere says …", "The minister later said …".
_WHERE_SAID_ELSE = frozenset({"elsewhere", "later", "earlier", "previously", "subsequently"})
# Subjects that name no one ("it was wrong to blame him"): never a speaker found by fallback.
_EMPTY_SUBJECTS = frozenset({"it", "this", "that", "there", "which", "what"})
# What completes an object content: "called it a crime", "accused the government of the attack".
_WITH_OBJECT = ("oprd", "xcomp", "ccomp")
_QUOTE_MARKS = frozenset({"“", "”", '"', "''", "``", "‘", "’", "'"})


# What "call" convenes rather than says: "called an emergency meeting", "called a vote".
_CONVENED = frozenset(
    {"meeting", "session", "election", "vote", "referendum", "summit", "conference", "strike"}
)
# Where or through whom something is said, not part of it: "in comments to state media", "in an
# interview with the BBC", "through his lawyer".
_MEDIA = frozenset(
    {"comment", "interview", "statement", "remark", "briefing", "post", "tweet", "speech"}
    | {"lawyer", "attorney", "counsel", "spokesman", "spokeswoman", "spokesperson"}
)


def _medium(phrase: Token) -> bool:
    """A phrase naming the medium of a saying ("in a letter to the Council", "during a
    briefing", "on Twitter" is a place and is left to the rules for places)."""
    if phrase.lower_ not in ("in", "during", "at", "via", "through"):
        return False
    said_in = next((child for child in phrase.children if child.dep_ == "pobj"), None)
    return said_in is not None and said_in.lemma_.lower() in _MEDIA | _PUBLISHED


def _temporal(phrase: Token) -> bool:
    """A phrase that says when ("on Friday"): it dates the saying, not part of what was said."""
    return any(token.ent_type_ in ("DATE", "TIME") for token in phrase.subtree)


# A cue inside the content of a cue word at least this often a cue counts as nested.
NESTING_PRECISION = 0.5
# "..., according to the agency" vouches for a report without nesting the saying it holds:
# "Pyongyang said X, according to KCNA" is still Pyongyang's claim.
_VOUCHING = frozenset({"accord/VERB"})
_CUE_PARTS = {"prt", "aux", "auxpass", "neg"}
_NAMED = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}


@dataclass(frozen=True)
class Span:
    """A stretch of the document's text by character offsets."""

    text: str
    start: int
    end: int
    # A span in several pieces (a quotation split by its speaker: "A," she said, "B."): each
    # piece in document order; ``text`` is then the pieces' words joined by a space, and
    # ``start``/``end`` the outer extent.
    parts: tuple[Span, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end}
        if self.parts:
            found["parts"] = [
                {"text": part.text, "start": part.start, "end": part.end} for part in self.parts
            ]
        return found

    @property
    def pieces(self) -> tuple[Span, ...]:
        """The span's pieces: its parts, or the span itself when it is in one piece."""
        return self.parts or (self,)


def joined(pieces: Sequence[Span]) -> Span:
    """One span made of ``pieces`` (in document order); a single piece is returned as it is."""
    flat = [part for piece in pieces for part in piece.pieces]
    if len(flat) == 1:
        return flat[0]
    text = " ".join(part.text for part in flat)
    return Span(text, flat[0].start, flat[-1].end, tuple(flat))


@dataclass
class Speaker:
    """Who a source span names: a canonical name, with the title and affiliation around it."""

    name: str
    type: str  # person, state, organisation, group, pronoun, unknown
    title: str = ""
    affiliation: str = ""
    resolved_from: str = ""
    gender: str = ""  # "female" / "male" when an honorific or title says so, else ""


@dataclass
class Attribution:
    """One attribution relation in a document."""

    cue: Span
    content: Span
    source: Span | None
    speaker: Speaker | None
    sentence: Span
    cue_key: str = ""
    cue_token_dep: str = ""  # the cue word's dependency label ("amod": a modifier, not speech)
    rare_cue: bool = False  # the cue word is from the learnt model's wider lexicon
    how: str = ""  # how the source and the content were found ("learnt/ccomp", "none/adjacent")
    cue_i: int = -1  # the cue word's token number in the parse (-1: a line, no cue word)


@lru_cache(maxsize=1)
def load_cues() -> dict[str, Any]:
    """The learnt lexicon and paths (see ``scripts/learn_cues.py``)."""
    raw = resources.files("enquiry.enrich.text").joinpath("cues.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    # Only with a reported clause: "maintained that ...", never "maintained a lead"; a verb of
    # naming only with an object and the name it is given.
    hand = [(lemma, "ccomp", False) for lemma in EXTRA_CUES]
    hand += [(lemma, "dobj", True) for lemma in NAMING_CUES]
    hand += [(lemma, "prep", False) for lemma in TARGET_ONLY_CUES]
    for lemma, content, complement in hand:
        data["cues"].setdefault(
            f"{lemma}/VERB",
            {
                "precision": 1.0,
                "count": 0,
                "sourceless": 0.0,
                "source_paths": [["nsubj", 1.0]],
                "content_paths": [[content, 1.0]],
                "needs_complement": complement,
            },
        )
    return data


def text_of(doc: Doc) -> str:
    """The document's text, built once: spaCy rebuilds ``doc.text`` from every token on each
    access, which made extraction slower than parsing."""
    cached = doc.user_data.get("enquiry_text")
    if cached is None:
        cached = doc.user_data["enquiry_text"] = doc.text
    return str(cached)


def ents_of(doc: Doc) -> tuple[Any, ...]:
    """The document's entities, listed once (spaCy builds them anew on every access)."""
    cached = doc.user_data.get("enquiry_ents")
    if cached is None:
        cached = doc.user_data["enquiry_ents"] = tuple(doc.ents)
    return tuple(cached)


def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after a blank line, and after a line break that follows a heading (a
    short line) or a full stop — but not inside hard-wrapped prose, where a line break is only
    a space. Without this the parser runs a headline into the first sentence."""
    line_start = 0
    for token in doc[:-1]:
        if token.lower_ == "hon.":
            doc[token.i + 1].is_sent_start = False  # "my right hon. Friend"
        if not (token.is_space and "\n" in token.text):
            continue
        previous = doc[token.i - 1] if token.i else None
        line = text_of(doc)[line_start : token.idx]
        line_start = token.idx + len(token.text)
        ends = previous is not None and previous.text[-1:] in ".!?:\"”'’"
        if (
            token.text.count("\n") > 1
            or ends
            or len(line.strip()) < 60
            or _bulleted(doc, token.i + 1)
        ):
            doc[token.i + 1].is_sent_start = True
            if token.i + 2 < len(doc) and _ABBREVIATION.fullmatch(doc[token.i + 1].text):
                # "U.S. officials rejected …" opening a paragraph: the parser would end a
                # sentence after the abbreviation
                doc[token.i + 2].is_sent_start = False
            elif token.i + 2 < len(doc) and _given_name_opening(doc[token.i + 1], doc[token.i + 2]):
                doc[token.i + 2].is_sent_start = False
    _cap_sentences(doc)
    return doc


# No sentence is longer than this many tokens. Prose never comes near it; text built to attack
# the reader does ("He said “He said “…" a thousand times over is one sentence to the parser),
# and every cue's walk over its sentence would then make the work grow with its square.
MAX_SENTENCE = 250


def _cap_sentences(doc: Doc) -> None:
    """Start a sentence wherever ``MAX_SENTENCE`` tokens have gone by since the last start this
    component set (the parser may cut more finely, never less)."""
    since = 0
    for token in doc[1:]:
        since = 0 if token.is_sent_start else since + 1
        if since >= MAX_SENTENCE and token.is_sent_start is None:
            token.is_sent_start = True
            since = 0


def _given_name_opening(first: Token, second: Token) -> bool:
    """ "Others\n\nTheodore Postol, a professor …, argued": a paragraph opening with a
    person's given name and surname, just after a heading, which the parser can cut into a
    sentence of one word ("Theodore") and one whose subject is the surname alone. Two
    capitalised words with one space between them on one line are one name, not two
    sentences."""
    return (
        first.is_alpha
        and second.is_alpha
        and first.is_title
        and second.is_title
        and len(first.text) > 2
        and first.idx + len(first.text) == second.idx - 1
    )


_ABBREVIATION = re.compile(r"(?:[A-Z]\.){2,}")


def _bulleted(doc: Doc, i: int) -> bool:
    """Whether the line starting at token ``i`` is a list's item ("- Health partners report
    that …"): a flash update's highlights end without a full stop, so the line before would
    otherwise run into it and lend it its subject."""
    return i + 1 < len(doc) and doc[i].text in _BULLETS and not doc[i + 1].is_space


# The marks a list's items open with.
_BULLETS = frozenset({"-", "–", "•", "*", "·"})


def prepare(nlp: Language) -> Language:
    """``nlp`` with the line-break sentence rule in front of its parser (added once)."""
    from spacy.language import Language

    if not Language.has_factory("enquiry_line_breaks"):
        Language.component("enquiry_line_breaks", func=line_breaks)
    if "enquiry_line_breaks" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("enquiry_line_breaks", before="parser")
    tokenizer: Any = nlp.tokenizer
    for abbreviation in ("hon.", "Hon."):
        # a parliament's "my right hon. Friend": no sentence ends there
        tokenizer.add_special_case(abbreviation, [{"ORTH": abbreviation}])
    from spacy.util import compile_infix_regex

    infixes = (*(nlp.Defaults.infixes or ()), *_GLUED_QUOTES)
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


# Double quotation marks typed against a word ("paranoia,”Clinton said", "Ryan said,“Look,
# …”"): spaCy keeps "paranoia,”Clinton" as one word, so the speaker after a quotation and the
# verb before one are lost to the parse. The mark, and a stop or comma before it, are words of
# their own when a word follows the mark; apostrophes are left alone ("Trump’s").
_GLUED_QUOTES = (
    r"(?<=\w\w)[,;:!?.](?=[“”\"]\w)",
    r"(?<=[\w,;:!?.])[“”\"](?=\w)",
)


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The spaCy pipeline, loaded once per process."""
    import spacy

    return prepare(spacy.load(SPACY_MODEL))


_DATELINE = re.compile(
    r"^[^\S\n]*[A-Z][A-Z'./\- ]{2,40}(?:,[^\S\n]*[A-Z][A-Za-z.\- ]{1,30}?)*"
    r"(?:,?[^\S\n]*(?:[A-Z][a-z]{2,8}\.?[^\S\n]\d{1,2}|\d{1,2}[^\S\n][A-Z][a-z]{2,8})(?:,?[^\S\n]\d{4})?)?"
    r"[^\S\n]*(?:\([A-Za-z .]+\))?[^\S\n]*(?:—|–|―|--|-)(?=\s)",
    re.M,
)


_TITLED_DATELINE = re.compile(
    r"^[^\S\n]*[A-Z][a-z]+(?:[^\S\n][A-Z][a-z]+)?(?:"
    r",[^\S\n]*(?:[A-Z][a-z]{2,8}\.?[^\S\n]\d{1,2}|\d{1,2}[^\S\n][A-Z][a-z]{2,8})(?:,?[^\S\n]\d{4})?"
    r"[^\S\n]*(?:\([A-Za-z .]+\))?"
    r"|(?:,[^\S\n]*[A-Z][a-z]+)?[^\S\n]*\([A-Z][A-Za-z .]*\)"  # "Washington (AFP) -"
    r"|,[^\S\n]*[A-Z]{2,6}"  # "Damascus, SANA -", an agency's own dateline
    r")[^\S\n]*(?:—|–|―|--|-)(?=\s)",
    re.M,
)


# A live page's time stamp opening an entry: "09:12 GMT - ", "11.45am: ", "7 p.m. (local) — ".
# A timeline's entry opening with its date (and time): "April 4, 06:45 - Residents report …",
# "October 26 - The Joint Investigative Mechanism reports …", "4 April 2017: …".
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE_STAMP = re.compile(
    rf"^[^\S\n]*(?:{_MONTH}[^\S\n]+\d{{1,2}}|\d{{1,2}}[^\S\n]+{_MONTH})(?:,?[^\S\n]+\d{{4}})?"
    r"(?:,?[^\S\n]+\d{1,2}[:.]\d{2}(?:[^\S\n]*(?:GMT|UTC|[A-Z]{2,4}T|local[^\S\n]+time))?)?"
    r"[^\S\n]*(?:—|–|―|--|-|:|\|)(?=[^\S\n])",
    re.M,
)
_TIME_STAMP = re.compile(
    r"^[^\S\n]*(?:\d{1,2}[:.]\d{2}(?:[^\S\n]*(?:a\.m\.|p\.m\.|am|pm))?"
    r"|\d{1,2}[^\S\n]*(?:a\.m\.|p\.m\.|am|pm))"
    r"(?:[^\S\n]*(?:GMT|UTC|[A-Z]{2,4}T|local[^\S\n]+time|\([^()\n]{1,20}\)))?"
    r"[^\S\n]*(?:—|–|―|--|-|:|\|)(?=\s)",
    re.M,
)

# A feed of news alerts: each line opens with its date and time, often with the alert's kind
# ("04 Apr 2017 08:14 BREAKING: …", "UPDATE 2 - …", "FLASH: …"); a kind alone opens a line
# too. The stamp would parse as part of the speaker ("04 Apr 2017 09:02 UPDATE 1 - Syrian
# Observatory"), and the lines, which end with no full stop, would run into one another.
_ALERT_KIND = (
    r"(?:BREAKING(?:[^\S\n]+NEWS)?|NEWSFLASH|FLASH|URGENT|ALERT|UPDATE(?:[^\S\n]*\d{1,2})?"
    r"|CORRECTION|CORRECTED|REFILE)"
)
_ALERT_STAMP = re.compile(
    rf"^[^\S\n]*(?:(?:\d{{1,2}}[^\S\n]+{_MONTH}|{_MONTH}[^\S\n]+\d{{1,2}})(?:,?[^\S\n]+\d{{4}})?"
    r",?[^\S\n]+\d{1,2}[:.]\d{2}(?:[^\S\n]*(?:GMT|UTC|[A-Z]{2,4}T))?[^\S\n]+)?"
    rf"{_ALERT_KIND}[^\S\n]*(?:—|–|―|--|-|:)(?=[^\S\n]+\S)"
    rf"|^[^\S\n]*(?:\d{{1,2}}[^\S\n]+{_MONTH}|{_MONTH}[^\S\n]+\d{{1,2}})(?:,?[^\S\n]+\d{{4}})?"
    r",?[^\S\n]+\d{1,2}[:.]\d{2}(?:[^\S\n]*(?:GMT|UTC|[A-Z]{2,4}T))?(?=[^\S\n]+[A-Z])",
    re.M,
)


# An exported chat's message stamp before its sender: "[06/04/2017, 07:12] Abu Hamza: …", or
# "06/04/2017, 07:12 - Abu Hamza: …". Blanked like an alert's, each message is a line of its
# own whose sender speaks it (see :func:`_colon_lines`).
_CHAT_STAMP = re.compile(
    r"^[^\S\n]*(?:\[\d{1,2}/\d{1,2}/\d{2,4},?[^\S\n]+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:[^\S\n]*[AaPp]\.?[Mm]\.?)?\]"
    r"|\d{1,2}/\d{1,2}/\d{2,4},?[^\S\n]+\d{1,2}:\d{2}(?:[^\S\n]*[AaPp]\.?[Mm]\.?)?[^\S\n]+[-–])"
    r"(?=[^\S\n]+[^\s:][^\n:]{0,40}:)",
    re.M,
)


# A monitoring service's source line under each item, in square brackets on a line of its own:
# "[Channel One TV, Moscow, in Russian 0900 gmt 5 Apr 17]". It cites the broadcast the item
# summarises; left in, the parser runs it into the next item's subject ("[Channel One TV …
# State TV said").
_MONITORING_SOURCE = re.compile(
    r"^[^\S\n]*\[[^\[\]\n]{3,160}?(?:\bin[^\S\n]+[A-Z][a-z]+[^\S\n]+\d{3,4}[^\S\n]*(?:gmt|GMT)"
    r"|\b\d{3,4}[^\S\n]*(?:gmt|GMT)\b)[^\[\]\n]*\][^\S\n]*$",
    re.M,
)


def _blank_alert(match: re.Match[str]) -> str:
    """An alert's stamp as blank, opening a paragraph of its own: a line break in place of its
    first character keeps every offset and ends the alert above."""
    stamp = match.group(0)
    if match.start() == 0 or not stamp:
        return " " * len(stamp)
    return "\n" + " " * (len(stamp) - 1)


# A chronology's time (or span of time) set in the left margin, the entry after a gap of
# spaces or a tab with no dash: "06:26   A plane spotter in Hama posts …", "11:30–12:30   …".
_MARGIN_TIME = re.compile(
    r"^[^\S\n]*\d{1,2}[:.]\d{2}(?:[^\S\n]*[–-][^\S\n]*\d{1,2}[:.]\d{2})?(?:\t|[^\S\n]{2,})(?=\S)",
    re.M,
)


# A run of this many characters or more without a space is no word anyone said (a long link,
# an encoded blob, a wall of quotation marks); spaCy's tokenizer takes time that grows with the
# square of such a run's length to peel marks off its ends, so it is not handed over.
_LONG_RUN = re.compile(r"\S{200,}")


def blank_datelines(text: str) -> str:
    """The text with news datelines ("MOSCOW, April 7 (Reuters) —"), a live page's time
    stamps ("09:12 GMT - "), a report's footnote marks ("[23]"), a social-media thread's
    post numbers ("2/ ", "3/12 ") and runs of 200 characters without a space turned into
    spaces.

    A dateline parses as the subject of the first sentence, which would make the city the
    speaker (and a time stamp part of the speaker's name or of what was said); blanking keeps
    every character offset as it was.
    """
    blank = _ALERT_STAMP.sub(_blank_alert, text)
    blank = _CHAT_STAMP.sub(_blank_alert, blank)
    blank = _MONITORING_SOURCE.sub(lambda match: " " * len(match.group(0)), blank)
    blank = _DATELINE.sub(lambda match: " " * len(match.group(0)), blank)
    blank = _TIME_STAMP.sub(lambda match: " " * len(match.group(0)), blank)
    blank = _MARGIN_TIME.sub(lambda match: " " * len(match.group(0)), blank)
    blank = _DATE_STAMP.sub(lambda match: " " * len(match.group(0)), blank)
    blank = _FOOTNOTE.sub(lambda match: " " * len(match.group(0)), blank)
    blank = _CITATION.sub(lambda match: " " * len(match.group(0)), blank)
    blank = _THREAD_NUMBER.sub(lambda match: " " * len(match.group(0)), blank)
    blank = _blank_portion_marks(blank)
    blank = _LONG_RUN.sub(lambda match: " " * len(match.group(0)), blank)
    blank = _PLACE_TOPIC.sub(
        lambda match: (
            " " * len(match.group(0)) if is_place(match.group("place")) else match.group(0)
        ),
        blank,
    )
    return _TITLED_DATELINE.sub(lambda match: " " * len(match.group(0)), blank)


# A headline's place label before a report that names its own speaker: "Syria: Witnesses
# describe sarin attack, rights group says" (the place would parse as the speaker).
_PLACE_TOPIC = re.compile(
    r"^(?P<place>[A-Z][\w'’-]*(?:[^\S\n][A-Z][\w'’-]*){0,2}):(?=[^\S\n]+[^\n]*,[^\S\n]+"
    r"[^,\n]{2,60}?[^\S\n](?:says|said|say|reports|reported|claims|claimed)\W*$)",
    re.M,
)


# A thread's post number at the start of a line ("2/ Local doctors …", "3/12 The ministry …"),
# which the parser hangs on the first noun as a number.
_THREAD_NUMBER = re.compile(r"^[^\S\n]*\d{1,3}/(?:\d{1,3})?(?=[^\S\n]+\S)", re.M)


# A report's footnote mark after a sentence's stop: "of the attacks.[23] One resident …" would
# otherwise run two sentences together. Only there, so that no claim's text (taken from the
# blanked text at the original's offsets) ever differs from the original inside a sentence.
_FOOTNOTE = re.compile(r"(?<=[.!?\"”’])(?:\[\d{1,3}\])+(?=\s|$)")

# A reference work's citation marks after a comma inside a sentence ("munitions,[8] a version
# that …"): the parser takes "[8]" for a phrase of its own and hangs what follows on it. Only
# after a comma or a semicolon, where a claim's content seldom runs on; marks stuck to a word
# ("the attacks[3] killed") are left in the text.
_CITATION = re.compile(r"(?<=[,;])(?:\[\d{1,3}\])+(?=\s)")

# A cable's portion mark at the head of a paragraph, after its number: "3. (C) Contact stated
# …", "5. (SBU) The official told …", "(S/NF) Post assesses …". It gives the paragraph's
# classification, not its speaker; left in, the parser takes it for part of the subject.
_PORTION_MARK = re.compile(
    r"(?<![^\n])(?P<lead>[^\S\n]*(?:\d{1,3}\.[^\S\n]+)?)"
    r"\((?:U|C|S|TS|SBU|LOU)(?:/{1,2}(?:NF|NOFORN|REL|FOUO|SBU|ORCON|PROPIN))*\)(?=[^\S\n]+\S)"
)


def _blank_portion_marks(text: str) -> str:
    """The text with a cable's portion marks ("(C)", "(SBU)") turned into spaces, offsets
    kept: the mark is a label of the paragraph, and a source read with it ("(C) Contact")
    names no one."""
    return _PORTION_MARK.sub(
        lambda match: match.group("lead") + " " * (len(match.group(0)) - len(match.group("lead"))),
        text,
    )


def quote_ending_by(quotes: Sequence[tuple[int, int]], at: int) -> list[tuple[int, int]]:
    """The last quotation of ``quotes`` (as :func:`quotations` gives them: in order, none
    overlapping another) that ends at or before ``at``, in a list of one, or an empty list.
    Found by halving: a text of thousands of quotations and cues would otherwise cost the
    square of their number."""
    count = bisect.bisect_right(quotes, at, key=lambda quote: quote[1])
    return list(quotes[count - 1 : count]) if count else []


def quote_opening_from(
    quotes: Sequence[tuple[int, int]], at: int, *, after: bool = False
) -> list[tuple[int, int]]:
    """The first quotation of ``quotes`` that opens at or after ``at`` (strictly after, with
    ``after``), in a list of one, or an empty list (see :func:`quote_ending_by`)."""
    find = bisect.bisect_right if after else bisect.bisect_left
    count = find(quotes, at, key=lambda quote: quote[0])
    return list(quotes[count : count + 1])


def quotations(text: str) -> list[tuple[int, int]]:
    """Quotations as (start, end) including their marks.

    A quotation never runs past its paragraph: news style opens each paragraph of a long quote
    anew and closes only the last, so an unclosed quotation ends where its paragraph does, or
    where the next one opens. A straight apostrophe counts as a quotation mark only at a word
    boundary ("UK's" opens nothing), and an unclosed single quote is taken for an apostrophe.
    """
    found: list[tuple[int, int]] = []
    position = 0
    length = len(text)
    while position < length:
        char = text[position]
        closing = _OPENING.get(char)
        if closing is None or not _can_open(text, position):
            position += 1
            continue
        end = position + 1
        stop = None
        closed = False
        while end < length:
            current = text[end]
            if current == "\n" and text[end + 1 : end + 2] == "\n":
                stop = end
                break
            if current in _CLOSERS[closing] and (current in "”»" or _can_close(text, end)):
                stop, closed = end + 1, True
                break
            if current == char == "“" and _typed_as_closing(text, end):
                stop, closed = end + 1, True  # "… for her here,“ said Jim Clyburn"
                break
            if current == char and char != closing and _can_open(text, end):
                stop = end
                break
            end += 1
        if stop is None:
            stop = length
        if not closed and closing in "'’":
            position += 1
            continue
        while stop > position + 1 and text[stop - 1].isspace():
            stop -= 1
        found.append((position, stop))
        position = max(stop, position + 1)
    return found


def _typed_as_closing(text: str, at: int) -> bool:
    """Whether an opening mark at ``at`` was typed where a closing one belongs: after a stop or
    a comma and before a space or the end ("… problems for her here,“ said Jim Clyburn")."""
    after = text[at + 1] if at + 1 < len(text) else " "
    return at > 0 and text[at - 1] in ",.!?" and after.isspace()


def _can_open(text: str, at: int) -> bool:
    before = text[at - 1] if at else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    if text[at] == "“" and before in ",;" and after.isalnum():
        return True  # typed against the verb: "Ryan said,“Look, …”"
    return (before.isspace() or before in "([—–-:") and not after.isspace()


def _can_close(text: str, at: int) -> bool:
    before = text[at - 1]
    after = text[at + 1] if at + 1 < len(text) else " "
    if before.isspace() and at > 1 and text[at - 2] in "'’" and text[at] in '"”':
        # "… the term 'outreach,' " he told the group": a house style sets a space between
        # an inner quotation's closing mark and the outer one's
        before = text[at - 2]
    if before in ",.!?" and after.isupper():
        return True  # typed against the next word: 'different audiences,"Katie Packer said'
    return not before.isspace() and (after.isspace() or after in ".,;:!?)—–-")


def _contiguous(tokens: Iterable[Token], anchor: Token) -> list[Token]:
    """The unbroken run of ``tokens`` (by position) that contains ``anchor``."""
    indices = sorted({token.i for token in tokens})
    if anchor.i not in indices:
        return []
    at = indices.index(anchor.i)
    low = high = at
    while low > 0 and indices[low - 1] == indices[low] - 1:
        low -= 1
    while high + 1 < len(indices) and indices[high + 1] == indices[high] + 1:
        high += 1
    doc = anchor.doc
    return [doc[i] for i in indices[low : high + 1]]


def _trim(tokens: list[Token]) -> list[Token]:
    while tokens and (tokens[0].is_space or tokens[0].text in _TRIM or tokens[0].text == "."):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_space or tokens[-1].text in _TRIM or tokens[-1].text == "."):
        tokens = tokens[:-1]
    return tokens


def _reason_for_content(doc: Doc, attribution: Attribution) -> bool:
    """ "I remember because I had just finished the night shift": a clause of the verb's
    adverbial "because" gives why, not what was remembered or said; taken for the content
    it makes a claim of the reason. Only a content that is such a clause, opened by its
    mark."""
    if not attribution.how.endswith("/advcl") or attribution.cue_i < 0:
        return False
    first = attribution.content.text.split(maxsplit=1)[:1]
    return bool(first) and first[0].lower() == "because"


def _root_noun_before_finite(cue: Token) -> Token | None:
    """ "Yet Respondent's own expert, Dr. Ines Navarro, conceded on cross-examination that
    …": after a sentence-opening "Yet" the parser can make the subject the sentence's root
    and the verb a clause on it. A past-tense verb (not a participle) hung as a clause on a
    root noun before it, with no subject of its own, is that noun's verb: the noun is its
    speaker."""
    head = cue.head
    if (
        cue.dep_ == "acl"
        and cue.tag_ == "VBD"
        and head.dep_ == "ROOT"
        and head.pos_ in ("NOUN", "PROPN")
        and head.i < cue.i
        and not any(child.dep_ in ("nsubj", "nsubjpass") for child in cue.children)
    ):
        return head
    return None


def _told_so(cue: Token, recipient: Token) -> bool:
    """ "I told the OPCW investigators so myself": "so" after the one told stands for what
    was told, as in "she told me so"; the object is whom it was told to."""
    return any(
        child.dep_ == "advmod" and child.lower_ == "so" and child.i > recipient.i
        for child in cue.children
    )


# Words that, as a denied verb's object, say that nothing was said or no one addressed.
_NO_ONE_OBJECTS = frozenset({"anyone", "anybody", "anything"})
_SAYING_NOTHING_VERBS = frozenset(
    {"say", "tell", "accuse", "blame", "claim", "allege", "suggest", "mention", "name", "write"}
)


def _nothing_said(cue: Token) -> bool:
    """ "An author who points to anomalies does not thereby accuse anyone of fraud", "She did
    not say anything": a negated verb whose object is "anyone" or "anything" says that no
    such saying took place; there is no content to give. Only of verbs of saying and
    accusing: "has not endorsed anyone in the race" is a stance taken, as news reads it."""
    return (
        cue.lemma_ in _SAYING_NOTHING_VERBS
        and any(child.dep_ == "neg" and child.lower_ in ("not", "n't") for child in cue.children)
        and any(
            child.dep_ == "dobj"
            and child.lower_ in _NO_ONE_OBJECTS
            # "had never seen anything like it" tells what they saw: a likeness, not nothing
            and all(c.dep_ == "prep" and c.lower_ in ("of", "about") for c in child.children)
            for child in cue.children
        )
    )


def _that_clause_child(cue: Token) -> bool:
    """Whether the cue has a clause of its own opened by "that" ("recorded that …")."""
    return any(
        child.dep_ == "ccomp"
        and any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children)
        for child in cue.children
    )


# What someone goes on undergoing, never a saying: "continues to suffer from seizures".
_UNDERGONE = frozenset({"suffer", "endure", "recover"})


# Prepositions of when or where a thing ended: "concluded at noon", "concluded on Friday".
_ENDED_AT = frozenset({"at", "on", "in", "after", "before", "by"})
# What a verb of ending has about it besides its time: its subject, auxiliaries, marks.
_ENDING_PARTS = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "prep", "punct", "cc", "conj"})


def _ended_at(cue: Token) -> bool:
    """ "The hearing concluded at 12:47 p.m.", "Talks concluded on Friday": "conclude" with no
    clause anywhere below it, only a phrase of time, is an ending, not a conclusion reached;
    the time is not what was concluded. ("concluded in a summary released on 11 April that
    …", whose clause the parser can hang on the participle, is a conclusion.)"""
    return (
        cue.lemma_ == "conclude"
        and not any(
            token.dep_ in ("ccomp", "dobj", "xcomp", "advcl", "oprd", "acomp", "relcl", "acl")
            for token in cue.subtree
            if token.i != cue.i
        )
        # "concluded as much in October": what was concluded is "as much"
        and all(child.dep_ in _ENDING_PARTS for child in cue.children)
        and any(
            child.dep_ == "prep"
            and child.lower_ in _ENDED_AT
            and any(c.dep_ == "pobj" and c.ent_type_ in ("TIME", "DATE") for c in child.children)
            for child in cue.children
        )
    )


def _span(doc: Doc, start: int, end: int) -> Span:
    text = text_of(doc)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(text[start:end], start, end)


def _token_span(tokens: list[Token]) -> Span | None:
    if not tokens:
        return None
    doc = tokens[0].doc
    return _span(doc, tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))


class AttributionExtractor:
    """Finds attributions in text with a spaCy pipeline and the learnt cues."""

    version = VERSION

    def __init__(self, nlp: Language | None = None, *, learnt: bool = True) -> None:
        # ``learnt=False``: the rules alone, as a baseline to measure the model against
        self.model: AttributionModel | None = load_model() if learnt else None
        # the learnt choice of source and content spans among candidates (``spans.py``)
        self.spans: SpanModel | None = load_span_model() if learnt else None
        self.nlp = prepare(nlp) if nlp is not None else load_nlp()
        data = load_cues()
        self.cues: dict[str, dict[str, Any]] = data["cues"]
        self.source_paths = [path for path, _ in data["source_paths"]]
        self.content_paths = [path for path, _ in data["content_paths"]]

    def extract(self, text: str) -> list[Attribution]:
        """Every attribution in ``text``, in document order."""
        return self.from_doc(self.nlp(blank_datelines(text)))

    def extract_many(
        self, texts: Iterable[str], batch_size: int = 16
    ) -> Iterator[list[Attribution]]:
        """Attributions of many texts, parsed in batches (much faster than one by one)."""
        for doc in self.nlp.pipe((blank_datelines(text) for text in texts), batch_size=batch_size):
            yield self.from_doc(doc)

    def from_doc(self, doc: Doc) -> list[Attribution]:
        """The attributions of an already parsed document."""
        quotes = quotations(text_of(doc))
        model = self.model
        proposals = self.proposals(doc, quotes)
        found = [
            attribution
            for attribution, names, lexicon in proposals
            if model is None
            or model.keeps(names, lexicon)
            or attribution.content.text.lower() in _RELATIVE  # cut by _cut_relative_denials
            # the speaker going on ("argued that X, saying Y", "... and called it 'a farce'"):
            # the model, trained before this rule, saw such verbs only with the reported
            # clause's subject as their speaker
            or _going_on(attribution)
            # "…, the agency reported": the closing report of a sentence that is itself one
            or (attribution.how.endswith("/behind") and attribution.source is not None)
            # "The attack, which the opposition blamed on government forces, killed 70"
            or attribution.how == "relative/dobj"
            or _finding_on_grounds(doc, attribution)
            or _found_in_samples(doc, attribution)
            or _holds_responsible(doc, attribution)
            or (attribution.cue_i >= 0 and _has_the_honour(doc[attribution.cue_i]) is not None)
            # "scoffed at what it called "a politicised investigation"": a naming is kept,
            # unless a kept claim's content holds it (below)
            or attribution.how.endswith(("/what-called", "/which-called"))
            or _owned_claim(doc, attribution)
            or _hearsay(doc, attribution)
            # "A strike, we were told, had hit a warehouse": told to the writer by no one named
            or (
                attribution.how.endswith("/parenthesis")
                and attribution.source is None
                and attribution.cue_i >= 0
                and doc[attribution.cue_i].lemma_ in _TOLD_TO_US
            )
            or _noted_claim(doc, attribution)
            or _found_as(doc, attribution)
            or _as_claimed_after(doc, attribution)
            or _as_i_said_before(doc, attribution)
            or _as_put_in_words(doc, attribution, quotes)
            or (
                attribution.cue_i >= 0
                and _own_view_joined(doc[attribution.cue_i])
                and not _quoted(doc[attribution.cue_i], quotes)  # a quotation's own "I think"
            )
        ]
        found = [
            # "urged all parties to allow medical teams in": what someone was asked to do, by a
            # verb not usually a saying, is no one's claim
            item
            for item in found
            if not (
                (item.rare_cue or (item.how.startswith("fallback") and _abstract_source(doc, item)))
                and item.cue_i >= 0
                and _requested(doc[item.cue_i]) is not None
            )
            # "We are continuing to look at that": a rarer verb's prepositional object that is
            # only a pronoun is what it acts on, not anything said
            and not (
                item.rare_cue
                and "prep" in item.how
                and item.content.text.lower() in ("that", "this", "it", "them")
            )
            and not _seen_record(doc, item)
            and not _hearer_pointed_to(doc, item)
        ]
        # "I should like to convey the following:": a letter's formula pointing at what comes;
        # "… has not been supported by any witness": no one (but "No one expected …" is kept,
        # as news annotators keep it, a stance of everyone)
        found = [
            item
            for item in found
            if not _WHAT_FOLLOWS.fullmatch(item.content.text)
            and not (item.source is not None and _NO_ONE.match(item.source.text))
            and not _thanks_to_those_named(doc, item)
        ]
        found = [
            # "The envoy condemned what he called a brazen breach": the naming is already part
            # of the condemnation; only a naming outside any claim ("…, in what diplomats
            # described as a rare concession") is a claim of its own
            item
            for item in found
            if not (
                item.how.endswith("/what-called")
                and any(
                    other is not item and other.content.start <= item.cue.start < other.content.end
                    for other in found
                )
            )
        ]
        operative = _operative_paragraphs(doc)
        if operative:
            # a resolution's "2. Demands that …": the body's, not a verb without a subject
            taken = {item.cue.start for item in operative}
            found = [
                item
                for item in found
                if item.cue.start not in taken and not _directed(item, operative)
            ] + operative
        found = _citing_their_sources(doc, found)
        found += _carried_reports(proposals, found, self.cues)
        found += _contrasted_speakers(doc, proposals, found, self.cues)
        found += _held_through_comment(doc, found, self.cues)
        inverted = _said_inverted(doc, quotes)
        inverted += _asked_by_the_object(doc, quotes, found)
        inverted += _quotation_tags(doc, quotes, found)
        inverted += _described_after_quotation(doc, quotes, found)
        inverted += _named_before_colon(doc, quotes, found)
        inverted += _read_text_opens(doc, quotes, found)
        glossed = _glossed_quotations(doc, quotes, self.cues)
        taken = {item.cue.start for item in glossed}
        found = [item for item in found if item.cue.start not in taken] + glossed
        lines = _colon_lines(doc) + _interview_answers(doc) + _label_paragraphs(doc)
        lines += _bracketed_turns(doc)
        lines += _radio_turns(doc)
        checked = _checked_claims(doc)
        if checked:
            # "CLAIM: The air force struck a depot" read by the tagger as a verb: the line's
            # reading stands in for it; inside the line, a bare participle with a subject ("the
            # children shown were borrowed") is a noun's modifier read as a clause. A saying
            # the claim reports ("Viral claim: Russia says …") stays.
            found = [
                item
                for item in found
                if not any(
                    line.sentence.start <= item.cue.start < line.sentence.end
                    and (
                        item.cue.start < line.cue.end
                        or (item.cue_i >= 0 and _bare_participle(doc[item.cue_i]))
                    )
                    for line in checked
                )
            ]
            lines += checked
        lines += _sound_bites(doc)
        lines += _floor_turns(doc)
        found = [item for item in found if not _abstract_inside_line(doc, item, lines)]
        found = [item for item in found if not _opening_of_a_line(item, lines)]
        found += lines + _dash_lines(doc) + inverted + _poll_findings(doc) + _tolls(doc)
        found += _in_their_view(doc) + _owned_claims(doc, found) + _information_from(doc, found)
        found += [
            item for item in _per_source(doc) if item.cue.start not in {f.cue.start for f in found}
        ]
        found += _alleged_to_have(doc, found)
        found += _verb_read_as_noun(doc, found)
        found += _finite_read_as_participle(doc, found)
        found += _saying_read_as_adjective(doc, found)
        found += _closing_saying_read_as_noun(doc, found)
        found += _that_after_confidence(doc, found)
        found += _impersonal_saying(doc, found)
        found += _said_inside_relative(doc, found)
        found += _said_of_relative(doc, found)
        found += _as_they_note(doc, found)
        found += _as_cited_notes(doc, found)
        found += _for_cited(doc, found)
        found += _cited_before_verb(doc, proposals, found)
        found += _third_person_read_as_noun(doc, found)
        found += _claim_made_by(doc, found)
        found += _held_that(doc, found)
        found += _provided_that(doc, found, quotes)
        found += _credited_below(doc, found)
        taken_up = _quotation_taken_up(doc, quotes)
        found = [item for item in found if item.cue_i not in {t.cue_i for t in taken_up}]
        found += taken_up
        found = _sure_that(doc, found, quotes)
        found = _of_the_view(doc, found, quotes)
        found = _proposed_by(doc, found)
        found = _believed_among(doc, found)
        found.sort(key=lambda item: item.cue.start)
        found = _once_each(found)
        _continue_quotations(doc, found, quotes)
        found = [
            item for item in found if item.how == "line" or not _inside_quotation(item, quotes)
        ]
        # before closing sources are cut: a method's "according to" would cut what it follows
        found = [item for item in found if item.cue_i < 0 or not _misread_analysis(doc, item)]
        _cut_trailing_sources(doc, found)
        denied = _cut_relative_denials(doc, found)
        found = _wish_to_say(doc, found)
        found = [item for item in found if not _restated(item, found)]
        if self.spans is not None:
            self._respan(doc, found, quotes)
            # the learnt spans may have taken the closing "according to KCNA" or ", which Moscow
            # denies" back into what the first speaker said
            _cut_trailing_sources(doc, found)
            _cut_closing_denials(doc, denied)
        found = _restarted_sayings(doc, found)
        found += _second_verb_of_the_speaker(doc, found, self.cues)
        found += _second_verb_read_as_noun(doc, found, self.cues)
        found += _second_saying_after_object(doc, found)
        _cut_line_labels(doc, found, lines)
        _cut_citing_aside(doc, found)
        _told_then_comma(doc, found, quotes)
        _cut_at_separators(doc, found, quotes)
        _cut_at_closing_bracket(doc, found)
        _comment_closing_a_clause(doc, found)
        _quotation_without_the_narration_after(doc, found, quotes)
        _object_with_its_relative(doc, found)
        _described_as_clause(doc, found)
        _whole_hyphenated(doc, found)
        _cut_occasions(doc, found)
        _according_over_a_time_clause(doc, found)
        _according_nearest_clause(doc, found)
        _as_much(doc, found)
        _cut_media(doc, found)
        _cut_source_media(doc, found)
        _later_complement(doc, found)
        _cut_vocatives(doc, found)
        _fronted_place(doc, found)
        _undated_sources(doc, found)
        _periodical_subject(doc, found)
        scenes = _told_in_scenes(doc)
        found = [
            item
            for item in found
            if item.cue_i < 0
            or not (
                _strike_acting(doc, item)
                or _purpose_infinitive(doc, item)
                or _bidden_to_say(doc, item, found)
                or _infinitive_after_as_it_is(doc, item)
                or _taking_place(doc[item.cue_i])
                or _what_the_paper_presents(doc, item)
                or _fact_against_fact(doc, item)
                or _looking_forward(doc[item.cue_i])
                or _gazing(doc[item.cue_i])
                or _misread_analysis(doc, item)
                or _reading_out(doc[item.cue_i])
                or _thought_untold(doc, item, scenes)
                or _bidding(doc, item)
                or _only_expected(doc[item.cue_i])
                or _what_a_draft_should_say(doc[item.cue_i])
                or _might_be_objected(doc, item)
                or _no_one_would(doc, item)
                or _predicate_taken_for_clause(doc, item)
                or _own_wish(doc, item)
                or _topic_announced(doc, item)
                or _sent_to_do(doc, item)
                or _you_know_what(doc, item)
                or _asked_of_you(doc, item)
                or _set_against(doc, item)
                or _reaction_count(doc, item)
                or _counting_its_own(doc[item.cue_i])
                or _medium_put_up(doc, item)
                or _evidence_compared(doc, item)
                or _narrative_aims(doc, item)
                or _infinitive_of_a_standard(doc, item)
                or _permission_given(doc, item)
                or _question_mark_label(doc, item)
                or _recommended_act(doc[item.cue_i])
                or _goods_delivered(doc, item)
                or _field_record_not_said(doc, item)
                or _participle_before_its_verb(doc, item)
                or _participle_in_apposition(doc, item)
                or _first_described(doc, item)
                or _thanks_formula(doc[item.cue_i])
                or _no_one_asked(doc, item)
                or _inside_a_question_put(doc, item)
                or _dated_field(doc, item)
                or _guests_to_discuss(doc, item)
                or _object_for_source(doc, item)
                or _said_what_was_said(doc, item)
                or _contact_relative_taken_for_report(doc, item)
                or _named_without_saying(doc, item)
                or _community_no_saying(doc, item)
                or _admitted_to_a_place(doc, item)
                or _funding_statement(doc, item)
                or _deed_judged(doc, item)
            )
        ]

        for item in found:
            if _circumstance_for_source(doc, item):
                # "Passages have been withheld under Article 11(1)": said by no one named
                item.source, item.speaker = None, None
        _glossed_word_before(doc, found)
        _name_after_the_role(doc, found)
        _named_after_contact_relative(doc, found)
        _courtesy_titles(doc, found)
        _cut_focus(doc, found)
        _cut_paragraph_numbers(doc, found)
        _cut_bullet_marks(doc, found)
        _cut_turn_brackets(doc, found)
        _told_by_one_that(doc, found)
        found = _asked_by_whether(doc, found)
        _cut_question_tags(found)
        _cut_open_bracket(doc, found)
        found = [
            item
            for item in found
            if not _put_to_the_witness(doc, item)
            and not _adopted_by_no_one(doc, item)
            and not _guest(doc, item)
            # "DR. ANA VOSS, having been sworn, testified as follows:" and then "Q. …": the
            # testimony is the answers, each its own claim, not counsel's first question
            and not re.match(r"Q[.:]\s", item.content.text)
        ]
        found += _post_that_claims(doc, found)
        found += _attributable_statements(doc, quotes)
        found += _pseudo_cleft_sayings(doc, found)
        found += _said_after_colon(doc, found)
        found += _posts_claiming(doc, found)
        found.sort(key=lambda item: item.cue.start)
        _cut_log_marks(doc, found)
        _cut_writers_gloss(doc, found)
        _says_set_inside(doc, found)
        _subject_as_compound(doc, found)
        _subject_of_the_first_conjunct(doc, found)
        _close_source_quotes(doc, found)
        _hyphened_source(doc, found)
        _et_al_split(doc, found)
        _et_al_source(doc, found)
        _source_after_topic_dash(doc, found)
        _as_role_puts_it(doc, found)
        _cited_for_content(doc, found)
        _object_after_a_listed_report(doc, found)
        _owner_of_a_noun_cue(doc, found)
        _cut_abstract_heading(doc, found)
        _figure_before_its_measure(doc, found)
        _object_list_taken_for_clause(doc, found)
        _object_taken_from_clause(doc, found)
        _as_claimed_not_asked(doc, found)
        _widen_to_reports(doc, found)
        denials = _summary_denials(doc, found)
        # "…, a claim the army denied": the denial's own reading ("denied a claim") gives way
        # to the one whose content is what was claimed
        taken = {item.cue.start for item in denials}
        found = [item for item in found if item.cue.start not in taken] + denials
        found = [
            item for item in found if not _bare_relative(doc, item) and not _earlier_version(item)
        ]
        found = _reference_readings(doc, found)
        found = _title_headline(doc, found)
        found = _closing_reporter(doc, found)
        found.sort(key=lambda item: item.cue.start)
        found = _one_reading_per_cue(found)
        found = _not_across_a_line_label(found)
        _member_title_kept(doc, found)
        mentions = _subject_mentions(doc, frozenset(item.cue.start for item in inverted))
        mentions += _introduced_by_copula(doc) + _presiding_as_subject(doc)
        mentions += _shown_in_brackets(doc)
        mentions = _not_the_byline(doc, mentions) + _kin_introduced(doc)
        issuer = _issuer(text_of(doc))
        if issuer is not None and issuer.type == "organisation":
            # "The Ministry considers …" in the ministry's own statement: the issuer
            mentions = [(0, issuer), *mentions]
        _bind_to_clause_subject(doc, found)
        _named_after_the_clause(doc, found)
        resolve_speakers(found, mentions, model.given_names if model else {}, quotes)
        _unnamed_kin_as_written(found)
        _note_sender_throughout(doc, found)
        _its_own(found, mentions)
        _not_the_turns_own(found, mentions)
        _answer_of_the_one_asked(doc, found)
        _some_of_them(doc, found)
        _they_the_ones_spoken_to(doc, found)
        _first_person_is_the_author(doc, found, quotes)
        _letter_addressee(doc, found, quotes)
        _written_answerer(doc, found, quotes)
        _you_the_one_asked(doc, found)
        _first_person_goes_on_in_the_turn(doc, found, quotes)
        _signed_comment(doc, found, quotes)
        _letters_page_signers(doc, found, quotes)
        _page_owners_own(doc, found, quotes)
        _not_from_another_post(doc, found)
        _testimonies(doc, found, quotes)
        _mail_writer(doc, found, quotes)
        _letter_signers(doc, found, quotes)
        _debate_sides(doc, found, quotes)
        _the_cited_author(doc, found)
        _reviewer_speaks(doc, found, quotes)
        _reference_speakers(doc, found)
        _members_addressed(found)
        _members_by_seat(doc, found)
        _it_after_relative(doc, found)
        _named_in_field(doc, found)
        _it_of_the_main_clause(doc, found)
        _it_of_the_first_conjunct(doc, found)
        _they_of_the_sentence_before(doc, found)
        _what_it_said(doc, found)
        _my_government(doc, found)
        _office_held_in_list(doc, found)
        _cue_with_its_preposition(doc, found)
        _put_to_whom(doc, found)
        _objects_of_one_list(doc, found)
        _as_participle_complement(doc, found)
        _interpreted_roles(found)
        _parties_named_in_caption(doc, found)
        _participants_by_role(doc, found)
        _witness_sections(doc, found)
        return found

    def _respan(self, doc: Doc, found: list[Attribution], quotes: list[tuple[int, int]]) -> None:
        """Let the learnt span model re-choose each relation's content and source among the
        candidates the parse offers (the rules' own is one of them)."""
        assert self.spans is not None
        keys = set(self.cues) | set(self.model.extra_cues if self.model else ())
        previous: Span | None = None
        for item in found:
            prior = previous
            if item.source is not None:
                previous = item.source
            if item.cue_i < 0:
                continue
            if item.how.endswith("/behind") and doc[item.cue_i].dep_ == "relcl":
                continue  # the parse's candidates are the misparse's; the rules mended it
            if item.how == "comment-held":
                continue  # the parse hung what was said on the comment clause's verb

            known = item.speaker if item.how.startswith("known/") else None
            # "The senator seemed to confirm that …": the model learnt that "appears to" alone
            # has no speaker, but with the verb it governs the cue is the subject's act; and
            # that "expects" is mostly "is expected to", but "is bearish and expects" is not
            cue = doc[item.cue_i]
            seeming = (
                (item.source, item.speaker)
                if _seeming_to_act(cue, item) or (_active_conjunct(cue) and item.source is not None)
                else None
            )
            ruled = (item.source, item.speaker)
            bracketed = item.content if _opens_a_bracket(doc, item.content) else None
            respan(self.spans, doc, doc[item.cue_i], item, quotes, keys, prior)
            if bracketed is not None and item.content.start < bracketed.start:
                item.content = bracketed  # "(the number is 15 percent, according to …)"
            if _keep_past_address(doc, cue, ruled[0], item.source):
                item.source, item.speaker = ruled  # "Colonel, the Russians say …"
            if known is not None:
                item.speaker = known  # "a witness identified only as K-17": a witness
            if seeming is not None and item.source is None:
                item.source, item.speaker = seeming

    def _going_on_with_no_saying(self, cue: Token) -> bool:
        """ "He continued to work at a clinic", "kept to fight on": going on with a deed; only
        a verb that reports ("continued to insist that …", "continues to deny …") makes the
        going on a saying. A verb is one that reports when the lexicon, or the learnt model's
        rarer words, hold it."""
        if cue.lemma_ not in ("continue", "keep"):
            return False
        if not any(
            child.dep_ == "nsubj"
            and (child.lower_ in _PERSON_PRONOUNS or child.ent_type_ == "PERSON")
            for child in cue.children
        ):
            return False  # "Immigration continues to rise with 30,000 expected": not a person's
        extra = self.model.extra_cues if self.model is not None else {}
        return any(
            child.dep_ == "xcomp"
            and child.tag_ == "VB"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
            and key_of(child) not in self.cues
            and key_of(child) not in extra
            for child in cue.children
        )

    def proposals(
        self, doc: Doc, quotes: list[tuple[int, int]]
    ) -> list[tuple[Attribution, list[str], str]]:
        """Every relation the rules propose, with its features for the learnt model and the
        lexicon its cue came from: "rules", or (only when there is a model) "extra" for the
        model's rarer cue words and "generic" for any other verb that takes a clause or object."""
        model = self.model
        extra_cues = model.extra_cues if model is not None else {}
        generic = model is not None and model.generic
        found = []
        for token in doc:
            key = key_of(token)
            lexicon = "rules"
            entry = self.cues.get(key)
            if entry is None:
                lexicon, entry = "extra", extra_cues.get(key)
            if entry is None and generic and _generic_cue(token):
                lexicon, entry = "generic", _GENERIC_ENTRY
            if entry is None or _ends_a_body_name(token):
                continue
            attribution = self._relation(doc, token, entry, quotes)
            if attribution is not None and _reason_for_content(doc, attribution):
                continue
            if attribution is not None:
                attribution.rare_cue = lexicon != "rules"
                found.append(
                    (attribution, features(token, attribution, entry, lexicon, quotes), lexicon)
                )
        _mark_nested(found, self.cues, quotes)
        return found

    def _relation(
        self, doc: Doc, cue: Token, entry: dict[str, Any], quotes: list[tuple[int, int]]
    ) -> Attribution | None:
        if entry.get("needs_complement") and not _names_something(cue):
            return None  # "branded the witnesses" names them nothing
        if cue.lemma_ in ("show", "display", "exhibit") and any(
            child.dep_ == "dobj" and child.lemma_ in ("sign", "symptom") for child in cue.children
        ):
            return None  # "victims show signs of nerve agent exposure": a symptom, not a saying
        if any(_unnamed_request(cue, child) for child in cue.children) or _unnamed_request(
            cue.head, cue
        ):
            return None  # "asked to be identified only as Umm Ahmed", "declined to be named"
        if (
            cue.lemma_ == "call"
            and any(child.dep_ == "dobj" and child.lemma_ in _CONVENED for child in cue.children)
            and not any(child.dep_ in ("oprd", "ccomp", "xcomp") for child in cue.children)
        ):
            return None  # "called an emergency meeting" convenes it; it says nothing
        if _put_to(cue):
            return None  # "A spokeswoman, asked about the delay, said …": she was asked
        if cue.lemma_ == "present" and any(
            child.dep_ == "dobj" and child.lemma_ in ("compliment", "regard")
            for child in cue.children
        ):
            return None  # "presents its compliments to …": a note verbale's courtesy
        if cue.dep_ == "pcomp" and cue.head.lower_ == "without":
            return None  # "left without saying that the talks had failed": nothing was said
        if _that_said(cue) or _i_quote(cue):
            return None  # "That said, a loss here would hurt her": a turn of the writer's
        if cue.lemma_ in ("support", "back", "fund", "finance") and any(
            child.dep_ == "dobj" and child.lemma_ in _MATERIAL_SUPPORT for child in cue.children
        ):
            return None  # "supports the regime's chemical weapons programme": aid, not a view
        if cue.lemma_ in ("continue", "keep") and any(
            child.dep_ == "xcomp" and child.tag_ == "VBG" for child in cue.children
        ):
            return None  # "committed to continue working together": going on, not saying
        if cue.lemma_ == "continue" and any(
            child.dep_ == "xcomp" and child.lemma_ in _UNDERGONE for child in cue.children
        ):
            return None  # "continues to suffer from seizures": what goes on is no saying
        if cue.lemma_ == "record" and not _that_clause_child(cue):
            return None  # "Her enthusiasm is recorded in detail:": set down, not said
        if _nothing_said(cue):
            return None  # "does not thereby accuse anyone of fraud": no one was accused
        if _ended_at(cue):
            return None  # "(Deposition concluded at 12:47 p.m.)": it ended, it found nothing
        if self._going_on_with_no_saying(cue):
            return None
        if _talked_for_a_time(cue):
            return None
        if _called_someone_up(cue):
            return None
        if _questions_said_of(cue):
            return None
        if _read_about(cue) or _founding(cue) or _founded_to(cue):
            return None
        if _asked_or_supposed(cue):
            return None
        if cue.lemma_ in ("fire", "launch", "shoot") and (
            any(child.dep_ == "dobj" and child.lemma_ in _WEAPONS for child in cue.children)
            or _weapons_after(cue)
        ):
            return None  # "The United States fires 59 Tomahawk missiles": a strike, not a saying
        if cue.lemma_ in ("offer", "provide", "give", "present", "produce", "cite") and any(
            child.dep_ == "dobj"
            and child.lemma_ in _GROUNDS
            and any(c.dep_ == "det" and c.lower_ == "no" for c in child.children)
            # "offered no proof that Clinton had a role": the claim made without proof stays
            # ("no evidence in support of the account": the account is no claim made here)
            and not any(
                c.dep_ in ("acl", "ccomp") or (c.dep_ == "prep" and c.lower_ != "in")
                for c in child.children
            )
            for child in cue.children
        ):
            return None  # "He offered no evidence.": the writer's remark; nothing was offered
        if _only_seen(cue):
            return None
        if cue.lemma_ in _ENACTED and cue.dep_ == "xcomp" and cue.head.lemma_ == "fail":
            return None  # "The Council failed to adopt a draft condemning …": nothing was adopted
        content_paths = [path for path, _ in entry["content_paths"]] or self.content_paths
        source_paths = [path for path, _ in entry["source_paths"]] or self.source_paths
        misread_clause = next(
            (
                child.dep_
                for child in cue.children
                if child.dep_ in ("acl", "advcl")
                and child.i > cue.i
                and any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children)
            ),
            None,
        )
        if (
            cue.pos_ == "VERB"
            and "ccomp" in content_paths
            and misread_clause is not None
            and not any(child.dep_ == "ccomp" for child in cue.children)
            # "rules out the claim, made by …, that …": the object is what was ruled out; but
            # "reassuring his counterpart that …" tells the object the clause
            and (
                cue.lemma_ in _TOLD | {"reassure"}
                or not any(c.dep_ == "dobj" for c in cue.children)
            )
        ):
            # "The Mechanism reports that it is confident …": the parse made the reported
            # clause a modifier of the verb; "saying in his statement only that he was …": or
            # a clause of its own on it
            content_paths = [misread_clause, *content_paths]
        if cue.lemma_ in _TOLD - {"ask"} and {"auxpass", "agent", "ccomp"} <= {
            child.dep_ for child in cue.children
        }:
            # "he had been told by the air force that no flights had taken place": the air
            # force's claim; the one told is the passive's subject
            content_paths = ["ccomp"]
            source_paths = ["agent/pobj", *source_paths]
        elif "dobj" in content_paths and _passive_with_agent(cue):
            # "His conclusions have been disputed by other experts": the active form's object
            # is the passive's subject, its subject the agent
            content_paths = ["nsubjpass", *content_paths]
            source_paths = ["agent/pobj", *source_paths]
        if cue.lemma_ == "quote" and any(
            child.dep_ == "prep" and child.lower_ == "as" for child in cue.children
        ):
            return None  # "was quoted as saying ...": the claim is the saying's
        if cue.lemma_ in ("quote", "cite") and any(
            _quoted_saying(said) for child in cue.children for said in child.children
        ):
            return None  # "quotes a military source saying …": likewise
        if (
            cue.lower_ == "reported"
            and cue.i + 1 < len(cue.doc)
            and cue.doc[cue.i + 1].lower_ in _HARMED
            and not any(c.dep_ in ("dobj", "ccomp", "auxpass") for c in cue.children)
        ):
            return None  # a headline's "Dozens reported killed": a passive, naming no one
        if (
            cue.lemma_ in _SHOWN
            and cue.tag_ == "VBN"
            and any(c.dep_ == "auxpass" for c in cue.children)
            and any(c.dep_ == "xcomp" and c.lemma_ in _SAYING_AGAIN for c in cue.children)
        ):
            return None  # "was shown saying …" on air: the claim is the saying's
        if cue.lemma_ == "cite" and any(
            child.dep_ == "prep"
            and child.lower_ == "as"
            and any(c.dep_ == "pcomp" and c.lemma_ in _SAYING_AGAIN for c in child.children)
            for child in cue.children
        ):
            return None  # "cited a source as saying ...", but "cited it as an example" stays
        if any(_stranded_relative(child) is not None for child in cue.children):
            return None  # "The families I've spoken to say …": the saying is "say", theirs, not
            # that of "I" who spoke to them
        again = _said_again_by(cue)
        fronted = _fronted_report(cue)
        quoted_after = _speaker_made_subject(doc, cue, quotes)
        honour = _has_the_honour(cue)
        source_head = (
            again
            or _participle_after_object(cue)
            or honour
            or _conjoined_subject(cue)
            or _stranded_relative(cue)
            or _quoted_one(cue)
            or _first(cue, source_paths)
            or _compound_subject(cue)
            or (fronted[0] if fronted else None)
            or (cue.head if quoted_after is not None else None)
        )
        if source_head is not None and _whence_in_passive(cue, source_head):
            return None
        if source_head is not None and _quoted(source_head, quotes):
            # '"That, unfortunately," he said, "is part of life."': the parse gave the verb
            # two subjects, the quotation's own and the speaker
            source_head = next(
                (
                    child
                    for child in cue.children
                    if child.dep_ == "nsubj" and child != source_head and not _quoted(child, quotes)
                ),
                source_head,
            )
        if (
            source_head is not None
            and cue.tag_ == "VBG"
            and cue.lemma_ != "accord"  # "according to ''The Trumps,'' a biography": the book
            and _quoted(source_head, quotes)
            and not _quoted(cue, quotes)
        ):
            # 'posted that "no one has presented any evidence", adding that …': the parse hangs
            # the participle on the quotation's verb; the one adding is who posted it
            source_head = _outside_quotation_subject(cue.head, quotes) or source_head
        if source_head is not None:
            source_head = _addressed(source_head) or _past_label(source_head) or source_head
            if _asked(cue, source_head):
                return None
        if (
            source_head is not None
            and source_head.dep_ == "amod"
            and source_head.pos_ in ("ADJ", "VERB")
            and source_head.ent_type_ not in ("NORP", "GPE")
        ):
            # "heavy criticism", "repeated warnings": a description of the saying, not who
            # said it ("Russian criticism" names its source)
            source_head = None
        if source_head is not None and source_head.pos_ in ("VERB", "AUX"):
            # A clause is no speaker: "urged the council to reject" is the council's, if anyone's
            source_head = _requested(cue) or source_head
        how = ("again" if again is not None else "learnt") if source_head is not None else "none"
        if source_head is None and (entry.get("sourceless", 0.0) < 0.5 or _active_conjunct(cue)):
            source_head = (
                _going_on_from_fronted(cue)
                or _shown_saying(cue)
                or _subject_above_infinitive(cue)
                or _first(cue, _FALLBACK_SOURCE_PATHS)
                or _gerund_adjunct_subject(cue)
                or _root_noun_before_finite(cue)
            )
            how = "fallback"
            if source_head is not None and source_head.lower_ in _EMPTY_SUBJECTS:
                source_head = None
            if (
                source_head is not None
                and cue.dep_ == "conj"
                and any(c.dep_ == "nsubjpass" for c in cue.children)
                and source_head not in cue.subtree
            ):
                # "nobody had seen it, and warplanes were reported to be taking off": a
                # passive with its own subject names no speaker; the clause before is not his
                source_head = None
            if source_head is None:
                source_head = _subject_hung_elsewhere(cue)
                how = "fallback" if source_head is None else "before"
        if source_head is not None:
            # "posted a video on Facebook showing …": the video shows, not the site
            source_head = _shown_by(cue, source_head) or source_head
        if source_head is not None and _abstract(source_head):
            # "The campaign went on through the envoy, accusing the panel": the one who speaks
            # is the person in the main clause's phrase, not the abstract subject
            source_head = _speaker_in_phrase(cue) or source_head
        reported_subject = None
        if source_head is not None and source_head.dep_ == "nsubj" and _abstract(source_head):
            closing = _closing_speaker(cue)
            if closing is not None and closing.i > source_head.i and closing in source_head.subtree:
                # "Air strikes … killed 18 people, the Observatory, which …, said.": the parse
                # made the report the subject and the speaker its apposition
                reported_subject, source_head = source_head, closing
        if cue.tag_ == "VBG" and cue.dep_ == "acl" and cue.head.lemma_ in _INFORMATION:
            # "The Commission received information indicating that …": the information says
            # it, from no one named; the Commission only received it
            source_head = cue.head
            how = "information"
        source_tokens = _source_tokens(source_head) if source_head is not None else []
        if how == "information":
            said = {token.i for token in cue.subtree}
            source_tokens = _trim([token for token in source_tokens if token.i not in said])
        # "A witness identified only as K-17 testified": the parse makes the verb a clause of
        # "identified … as"; the speaker is a witness, known by that name
        known = _known_as(cue, source_head) if source_head is not None else None
        stranded = False
        if source_head is not None and source_head == _stranded_relative(cue):
            # "Local doctors we spoke to describe …": the noun and its relative clause, up to
            # the verb of saying
            source_tokens = _trim(list(doc[source_head.left_edge.i : cue.i]))
            stranded = True
        if source_tokens and cue in source_tokens:
            # "The envoy called on all sides ...", the cue parsed as a clause on its speaker;
            # but "a policy urging employees to ..." is no one speaking
            if source_head is None or _abstract(source_head):
                return None
            inside = {token.i for token in cue.subtree}
            # "Yet the expert …", the conjunction hung on the noun made root: no part of it
            inside |= {
                child.i
                for child in source_head.children
                if child.dep_ == "cc" and child.i == source_head.left_edge.i
            }
            source_tokens = _trim(
                _contiguous([t for t in source_tokens if t.i not in inside], source_head)
            )
        content = (
            _target_content(cue, _TARGET_CUES[cue.lemma_]) if cue.lemma_ in _TARGET_CUES else None
        )
        if cue.lemma_ in TARGET_ONLY_CUES and (content is None or not _asks_to_act(cue)):
            return None  # "tried to appeal to moderate delegates": to please them, not a call
        how += "/target"
        relative = _relative_object(cue) if content is None else None
        if relative is not None:
            # "The attack, which the opposition blamed on government forces, killed 70"
            source_tokens, content = relative
            how = "relative/dobj"
        named_as = _what_it_called(cue, quotes) if content is None and source_tokens else None
        if named_as is not None:
            content = named_as
            how = how.split("/")[0] + "/what-called"
        if content is None and fronted is not None and source_head == fronted[0]:
            content = _token_span(_trim(_contiguous(fronted[1], cue.head)))
            how = "fronted/clause"
        if content is None and quoted_after is not None and source_head == cue.head:
            content = quoted_after
            how = "made-subject/quote"
        named = _named_after_quote(doc, cue, quotes) if content is None else None
        if named is None and content is None:
            named = _named_between_quotes(doc, cue, quotes)
        if named is None and content is None:
            named = _speaker_made_later_subject(doc, cue, quotes)
        if named is not None:
            # '"We were wrong," Ramos, 58, told AFP': the age in commas can make the parser
            # join the speaker and the cue to the quotation's own verb
            source_tokens, content = named
            how = "quote/named"
        which = _according_to_which(cue) if cue.lemma_.lower() == "accord" else None
        if content is None and which is not None:
            # "the account given by the ministry, according to which a warehouse was struck":
            # the account says what its relative clause holds
            source_tokens, content = which
            how = how.split("/")[0] + "/according-which"
        if content is None and cue.lemma_.lower() == "accord":
            content = _according_content(cue)
            how = how.split("/")[0] + "/according"
            if content is not None and source_tokens:
                # "according to the state news agency SANA": the name the parse set apart
                following = source_tokens[-1].i + 1
                while (
                    following < len(doc)
                    and _named_word(doc[following])
                    and not content.start <= doc[following].idx < content.end
                ):
                    source_tokens = [*source_tokens, doc[following]]
                    following += 1
            described = _described_after(doc, content, quotes) if content is not None else None
            if described is not None and source_tokens:
                # "According to one survivor, a woman whose children died, "…"": who the
                # survivor is belongs to the source, and what she said is the quotation
                described_tokens, content = described
                source_tokens = list(doc[source_tokens[0].i : described_tokens[-1].i + 1])
            swallowed = _according_swallowed(cue) if content is None else None
            if swallowed is not None:
                source_tokens, content = swallowed
        if content is None:
            content = _quote_after_i_quote(doc, cue, quotes)
        comma = self._reporter_behind(cue) if content is None else None
        if comma is None and content is None:
            comma = _inverted_closing(cue) or _closing_root_report(cue)
        if comma is not None:
            # "The minister said the strike hit a depot, Interfax reported": the agency reports
            # the whole sentence before the comma
            content = _token_span(_trim(list(doc[cue.sent.start : comma])))
            how = how.split("/")[0] + "/behind"
        if content is None:
            # "reported at the time that …", "tweeted in the early hours that …": the parser
            # can make the reported clause a relative clause of the time
            clause = _clause_on_time(cue)
            if clause is not None:
                content = self._content(cue, clause, "ccomp", source_tokens)
                how = how.split("/")[0] + "/ccomp"
        if content is None and reported_subject is not None and source_tokens:
            content = _token_span(
                _trim(list(doc[reported_subject.left_edge.i : source_tokens[0].i]))
            )
            how = "closing/subject"
        if content is None and cue.dep_ == "parataxis":
            # "The report, which, the minister said, would be published next week, blamed …":
            # what was said is of the report, in the relative clause alone
            content = _aside_in_relative(cue) or _aside_closing_relative(cue)
            how = how.split("/")[0] + "/relative-aside"
        if content is None:
            inserted = _parenthesis(cue, source_tokens)
            if inserted is not None:
                source_tokens, content = inserted
                how = how.split("/")[0] + "/parenthesis"
        for path in content_paths if content is None else ():
            heads = _quotation_first(follow(cue, path), cue, quotes)
            for head in _that_clause_first(heads, cue, quotes):
                if head.i == cue.i or head in source_tokens or head.is_punct:
                    continue
                if (
                    path == "acl"
                    and head.tag_ == "VBN"
                    and cue.pos_ == "NOUN"
                    and not any(c.dep_ in _CLAUSE_MARKS for c in head.children)
                ):
                    continue  # "Criminal complaint filed in Paris": what was done with it
                if path == "dobj" and cue.lemma_ in _TOLD and head.lower_ in _OBJECT_PRONOUNS:
                    continue  # "What the samples tell us": whom it was told
                if path == "dobj" and cue.lemma_ == "tell" and _told_so(cue, head):
                    continue  # "I told the investigators so": whom; "so" is what
                if (
                    path == "dobj"
                    and cue.lemma_ == "tell"
                    and head.right_edge.i + 1 < len(doc)
                    and doc[head.right_edge.i + 1].text == ":"
                ):
                    continue  # "told the Commons:" and the quotation below: whom it was told
                if (
                    path == "advcl"
                    and _said_again(head)
                    and head.lemma_ in _SAYING_AGAIN
                    and any(c.dep_ == "prep" and c.i < head.i for c in cue.children)
                ):
                    # "warned against what he called …, saying that …": the saying is the
                    # speaker going on, what was warned against the phrase
                    continue
                if path.startswith("prep") and _off_topic(cue, path, head):
                    continue
                if path == "mark" and head.lower_ == "as" and _as_clause(cue):
                    continue  # "…, as the JIM concluded": the main clause is what, not "as"
                stray = _dated_that_clause(head) if path.startswith("prep") else None
                if stray is not None:
                    head, path = stray, "ccomp"
                if path == "prep/pobj":
                    # "protested at the meeting over the conclusions": the parser hangs the
                    # topic on the place; what was protested is the topic
                    head = _topic_inside(head) or head
                    if _interlocutor(head):
                        continue  # "spoke with the Prime Minister": whom, not what
                if path.startswith("^conj") and _own_gerund(cue) is not None:
                    continue  # "…, and the government denied using them": its own gerund
                if path.startswith("^") and head.i > cue.i and self._trailing_cue(head):
                    continue  # '"...," the envoy said, officials said': not what the envoy said
                if _before_colon(cue, head):
                    continue
                if path == "ccomp" and _demonstrative_object(head):
                    continue
                if path == "ccomp" and _subordinate_before(cue, head):
                    continue
                content = self._content(cue, head, path, source_tokens)
                if content is not None:
                    how = how.split("/")[0] + "/" + path
                    break
            if content is not None:
                break
        if content is not None and "/prep" in how and _comment_with_means(cue):
            # "As one observer pointed out with a chart, the gap is vast": the main clause,
            # not the chart, is what was pointed out
            content = self._content(cue, cue.head, "^advcl", source_tokens)
            how = how.split("/")[0] + "/as-clause"
        if content is not None and how.endswith("/dobj") and cue.lemma_ == "tell":
            # 'telling reporters, "..."': the object is whom it was said to
            quoted = _quote_after_recipient(doc, cue, quotes)
            closing_comma = _closing_root_report(cue) if quoted is None else None
            if closing_comma is not None:
                # "This includes a special force, Carter told a Senate panel Wednesday."
                quoted = _token_span(_trim(list(doc[cue.sent.start : closing_comma])))
            past = _that_clause_past_a_time(cue) if quoted is None else None
            if past is not None:
                quoted = self._content(cue, past, "ccomp", source_tokens)
            clause = _clause_after_recipient(cue) if quoted is None else None
            if clause is not None:
                # "after Trump told The Post he was not ready": the parse made "told" a clause
                # on the reported one
                quoted = self._content(cue, clause, "^advcl", source_tokens)
            infinitive = _infinitive_after(cue) if quoted is None else None
            if infinitive is not None:
                # "tells his supporters at a rally to go and vote": what they were told to do
                quoted = _token_span(
                    _trim(list(doc[infinitive.left_edge.i : infinitive.right_edge.i + 1]))
                )
            if quoted is None and source_tokens:
                # '"Get ready!" he told the crowd': what was told came first
                first = min(source_tokens[0].idx, cue.idx)
                quoted = _quote_before(doc, first, quotes)
            if quoted is not None:
                content = quoted
                how = how.split("/")[0] + "/recipient"
        if content is None and cue.dep_ == "parataxis":
            # '"Your Honor," I said, "I would like to answer."': the parser made the cue a
            # parenthesis inside the sentence the quotation marks split; the two halves are
            # what was said
            content = _around_quotes(doc, cue, source_tokens, quotes)
            how = how.split("/")[0] + "/split"
        if content is None and cue.dep_ == "parataxis":
            # "he was angry but, friends say, never bitter", "She was, she says, on a train":
            # a parenthesis inside the predicate; what was said is the clause around it
            content = _around_parenthesis(doc, cue, source_tokens)
            if content is not None:
                how = how.split("/")[0] + "/parenthesis"
        if (
            content is None
            and cue.dep_ == "parataxis"
            and not (cue.head.i > cue.i and self._trailing_cue(cue.head))
        ):
            # "Now, he says, seven delegates have signed": the cue is a parenthesis in its
            # content; the content is the clause around it.
            content = _between_clauses(cue) or self._content(
                cue, cue.head, "^parataxis", source_tokens
            )
            how = how.split("/")[0] + "/parenthesis"
        if content is None and _as_clause(cue) and not _to_the_hearer(cue):
            # "As the envoy said, the talks have failed": the cue is an adverbial clause
            # opened by "as"; what was said is the main clause it hangs on.
            content = self._content(cue, cue.head, "^advcl", source_tokens)
            how = how.split("/")[0] + "/as-clause"
        if content is None and cue.lemma_ in _GERUND_CUES:
            # "Damascus has repeatedly denied using chemical weapons"
            gerund = _own_gerund(cue)
            if gerund is not None:
                content = self._content(cue, gerund, "xcomp", source_tokens)
        if content is None:
            # "France decried what it called the cynicism of …": the object is a clause
            # opened by "what", which the parser makes the cue's clause
            free = _free_relative(cue)
            if free is not None:
                content = self._content(cue, free, "ccomp", source_tokens)
                how = how.split("/")[0] + "/what"
        if content is None:
            content = _misparsed_clause(cue, source_tokens, self)
            how = how.split("/")[0] + "/misparsed"
        if content is None:
            content = _answer(doc, cue)
            how = how.split("/")[0] + "/answer"
        if content is None:
            content = _colon_quote(doc, cue, quotes)
            how = how.split("/")[0] + "/colon"
        if content is None:
            content = _fragment_before(cue, source_tokens)
            how = how.split("/")[0] + "/fragment"
        if content is None:
            content = _adjacent_quote(doc, cue, source_tokens, quotes)
            how = how.split("/")[0] + "/adjacent"
        if content is None:
            hung = _object_hung_above(cue)
            if hung is not None:
                content = self._content(cue, hung, "dobj", source_tokens)
                how = how.split("/")[0] + "/hung"
        if content is None:
            return None
        if content.text.lower() == "which" and cue.lemma_ in _NAMING_BARE:
            name_given = _which_named(cue, content, quotes)
            if name_given is not content:
                content = name_given
                how = how.split("/")[0] + "/which-called"
        if how.endswith("/dobj"):
            # "denied the report in comments to state media": where it was said, not what
            content = _without_medium(doc, content)
        antecedent = _said_of_antecedent(cue, content)
        if antecedent is not None:
            # "The crater, which the ministry said was caused by a rebel mortar": what was
            # said is of the crater
            content = joined([antecedent, content])
        cue_span = _cue_span(cue)
        if how.endswith("/according-which"):
            cue_span = _span(doc, cue.idx, doc[cue.i + 1].idx + len(doc[cue.i + 1]))
        through = _through_infinitive(cue, content)
        if through is not None:
            # "continues to believe that …": the verb that takes the clause is part of the cue
            cue_span = _span(doc, cue_span.start, through.idx + len(through))
        if cue.lemma_ in _TARGET_CUES and cue_span.end < content.start:
            opener = next(
                (
                    t
                    for t in cue.children
                    if t.dep_ == "prep" and t.idx >= cue_span.end and not _temporal(t)
                ),
                None,
            )
            if (
                opener is not None
                and opener.idx < content.start
                and opener.lower_ in _TARGET_CUES[cue.lemma_]
                # "insisted on Monday that …", "called on Friday for …": the cue alone
                and not doc.text[cue_span.end : opener.idx].strip()
            ):
                cue_span = _span(doc, cue_span.start, opener.idx + len(opener))
        if not content.parts:
            content = _widen_to_quotes(doc, content, cue_span, quotes)
        if content.text.lower() in _BARE_WH:
            return None  # "what it called the cynicism …": the clause is the outer cue's
        told_that = _told_occasion_that(cue) if cue.lemma_ in _TOLD else None
        if told_that is not None and not content.parts:
            content = told_that
        charge = _charge_after_agent(cue, source_tokens)
        if charge is not None and not content.parts:
            # "has been accused by Western states of covering up the attack": the charge is
            # what was said, not part of who said it
            source_tokens = [t for t in source_tokens if t.i < charge.left_edge.i]
            content = joined([content, _token_span(list(charge.subtree)) or content])
        source_tokens = _with_kunya(source_tokens)
        source = _closed(doc, _token_span(source_tokens))
        split_subject = _split_subject(source_tokens)
        if source is not None and split_subject is not None:
            source = _span(doc, split_subject.left_edge.idx, source.end)
            if source_tokens[-1].lower_ in _PLATFORMS:
                # the post on the site speaks, not the site
                source_tokens = list(split_subject.subtree) + source_tokens
        spilled = _quote_spilled(doc, content, source_tokens, quotes)
        if spilled is not None:
            content, source_tokens = spilled
            source = _closed(doc, _token_span(source_tokens))
        split = _split_quotation(doc, content, source or cue_span, cue_span, quotes)
        if split is not None:
            content = joined([split, content])
        if source is not None and (_within(source.start, content) or is_town(source.text)):
            return None  # a town never speaks: "Khan Shaykhun demands more than outrage"
        if source is None and any(
            child.dep_ == "aux" and child.lower_ == "to" for child in cue.children
        ):
            return None  # "it was wrong to blame him": an infinitive with no one saying it
        if _within(cue_span.start, content):
            return None
        sentence = _span(doc, cue.sent.start_char, cue.sent.end_char)
        speaker = describe(source_tokens) if source_tokens else None
        if speaker is not None and stranded:
            speaker = describe(_people_named(source_tokens)) or speaker
        if speaker is not None and source_tokens[0].tag_ in ("WP", "WDT") and cue.dep_ == "relcl":
            # "a spokesman, who declined to ...": the speaker is the noun the clause hangs on
            stands_for = _agreeing_antecedent(cue)
            its_words = _source_tokens(stands_for)
            if stands_for.ent_type_ != "DATE" and cue.head.ent_type_ == "DATE":
                # "a story on 30 October which …": the noun, without the date it is of
                its_words = [t for t in its_words if t.i <= stands_for.i] or its_words
            speaker = describe(its_words)
        if known is not None:
            how = "known/" + how.partition("/")[2]
            if source_head is not None and known.lemma_ in _PEOPLE_NOUNS | _ROLES:
                # "a witness identified only as K-17": a person, known by that name
                known_by = describe(_source_tokens(source_head))
                speaker = replace(known_by, type="person", title=known_by.title or known.lemma_)
        return Attribution(
            cue_span,
            content,
            source,
            speaker,
            sentence,
            key_of(cue),
            cue_token_dep=cue.dep_,
            how=how,
            cue_i=cue.i,
        )

    def _reporter_behind(self, cue: Token) -> int | None:
        """ "The minister said the strike hit a depot, Interfax reported": the parser can make
        the closing report the clause of the first verb, and the first verb's clause its own.
        For such a closing report (a verb of the lexicon with a subject right after a comma,
        the clause of an earlier verb of the lexicon or a relative clause of the noun before
        the comma, nothing after it but punctuation and a time), the token number of that
        comma; else None."""
        relative = cue.dep_ == "relcl" and cue.head.i < cue.i
        if not relative and (
            cue.dep_ != "ccomp" or cue.head.i > cue.i or key_of(cue.head) not in self.cues
        ):
            # "… staged by the White Helmets, the Russian Defence Ministry claimed on Tuesday":
            # the parser can also make the closing report a relative clause of the last noun
            return None
        if key_of(cue) not in self.cues:
            return None
        subject = next((c for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i), None)
        if subject is None or subject.left_edge.i == 0:
            return None
        comma = subject.left_edge.i - 1
        if cue.doc[comma].text != "," or comma <= cue.head.i:
            return None
        if not _nothing_after_but_time(cue):
            return None
        return comma

    def _trailing_cue(self, head: Token) -> bool:
        """A later saying the cue hangs from ('"...," the envoy said, officials said'): that
        clause is who reported the envoy's words, not what the envoy said."""
        return key_of(head) in self.cues and any(child.dep_ == "nsubj" for child in head.children)

    def _content(
        self, cue: Token, head: Token, path: str, source_tokens: list[Token]
    ) -> Span | None:
        if path == "ccomp" and head.i > cue.i and self._reporter_behind(head) is not None:
            # "said the strike hit a depot, Interfax reported": what was said is the clause
            # before the comma, not the agency's report of it
            inner = next((c for c in head.children if c.dep_ == "ccomp" and c.i < head.i), None)
            if inner is not None:
                head = inner
        excluded = {token.i for token in source_tokens}
        if path.startswith("^"):
            excluded |= {token.i for token in cue.subtree}
        if head.pos_ in ("NOUN", "PROPN"):
            excluded |= _aside(head)
        if path == "dobj" and head.pos_ in ("NOUN", "PROPN"):
            for participle in head.subtree:
                if participle.i > head.i and _participle_after_object(participle) is not None:
                    # "dismissed the accusations that … — saying …": the speaker going on
                    excluded |= {t.i for t in participle.subtree} | {participle.i - 1}
        if path == "ccomp":
            excluded |= _saying_again(head)
            excluded |= _when_said(cue, head)
            excluded |= _another_speaker_joined(head)
            that = next((c for c in head.children if c.dep_ == "mark" and c.lower_ == "that"), None)
            if that is not None and that.i > cue.i:
                # "reported, citing local sources, that the strike hit …": the parser hangs
                # the participle on the reported verb; it is no part of what was reported
                for aside in head.children:
                    if aside.dep_ == "advcl" and cue.i < aside.i < that.i:
                        excluded |= {t.i for t in aside.subtree}
                        excluded |= {
                            t.i for t in head.subtree if cue.i < t.i < that.i and t.is_punct
                        }
        excluded |= _excepted(head)
        going_on: set[int] = set()
        for token in cue.subtree:
            if token.i > cue.i and token.i != head.i and _finite_after_gerund(token):
                going_on |= {t.i for t in token.subtree}
                going_on |= {c.i for c in token.head.children if c.dep_ == "cc" and c.i < token.i}
        excluded |= going_on
        tokens = [token for token in head.subtree if token.i not in excluded]
        if path in ("dobj", "oprd"):  # "called Oz a quack": two complements, both oprd
            completed = [
                sibling
                for sibling in cue.children
                if sibling.i > head.i
                and (
                    sibling.dep_ in _WITH_OBJECT
                    or (cue.lemma_ == "hold" and sibling.lemma_ in _ANSWERABLE)
                    or (sibling.dep_ == "prep" and not _temporal(sibling) and not _medium(sibling))
                    # "judged it less likely than a bomb": the judgement's adjective, which the
                    # parser may hang on the verb as an adverb
                    or (
                        cue.lemma_ in _JUDGING
                        and sibling.pos_ == "ADJ"
                        and sibling.dep_ in ("advmod", "acomp")
                    )
                )
            ]
            for sibling in completed:
                tokens += [
                    token
                    for token in sibling.subtree
                    if token.i not in going_on
                    # "judged it much worse in a scathing report": the judgement, not where
                    and not (sibling.pos_ == "ADJ" and _in_prep_of(token, sibling))
                ]
            if any(sibling.dep_ == "xcomp" for sibling in completed):
                # "asked French prosecutors on Tuesday to open an investigation": the day
                # between the object and what they were asked to do would cut the two apart
                tokens += [
                    token
                    for child in cue.children
                    if child.dep_ in ("prep", "npadvmod")
                    and head.i < child.i
                    and child.i < min(s.i for s in completed if s.dep_ == "xcomp")
                    and (_temporal(child) or child.ent_type_ in ("DATE", "TIME"))
                    for token in child.subtree
                ]
            if completed:
                # 'called that vision "a necessary one"': the quotation marks around the
                # complement hang on the verb, and would cut the object from it
                last = max(token.i for token in tokens)
                tokens += [
                    child
                    for child in cue.children
                    if child.dep_ == "punct"
                    and child.text in _QUOTE_MARKS
                    and head.i < child.i < last
                ]
        if path == "ccomp" and head.i > cue.i:
            # "found that 449 back Clinton, while only 19 support Sanders": the parse hangs the
            # contrast on the cue, but it goes on with what was found
            for sibling in cue.children:
                if sibling.i > head.i and sibling.dep_ == "advcl" and _opens_contrast(sibling):
                    tokens += list(sibling.subtree)
            tokens += _run_on_clause(cue, head, tokens)
            tokens += _infinitives_going_on(cue, tokens)
            tokens += _subject_read_as_object(cue, head)
        if head.i > cue.i:
            tokens += _coordinated_more(cue, head, path, tokens)
        run = _trim(_paragraph(_contiguous(tokens, head), head))
        if run and head.i > cue.i:
            run += _stray_tail(cue, run[-1])
            run += _sentence_cut_short(run[-1])
        return _token_span(run)


def _subject_read_as_object(cue: Token, head: Token) -> list[Token]:
    """ "She said his frequent invocation of Vermont in defending his votes (though he does
    support an amendment) doesn't fly": after a long subject the parser can make it the
    object of "said" and leave the reported verb with none. For a finite reported verb with
    no subject of its own and the verb's object before it, the words from that object to the
    reported verb, which are its subject; else none."""
    if (
        head.i < cue.i
        or cue.lemma_ in _TOLD
        or any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "mark") for c in head.children)
    ):
        return []  # "told a news conference … that the army …": whom it was told
    if head.tag_ not in ("VBZ", "VBD", "VBP") and not any(
        c.dep_ == "aux" and c.tag_ in ("VBZ", "VBD", "VBP", "MD") for c in head.children
    ):
        return []
    if cue.lemma_ not in (_SAYING_AGAIN | _REPORTING) - _TOLD:
        return []
    obj = next((c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < head.i), None)
    if obj is None or obj.pos_ not in ("NOUN", "PROPN"):
        return []
    between = list(cue.doc[obj.left_edge.i : head.i])
    if any(t.lemma_ in _SAYING_AGAIN and t.pos_ == "VERB" for t in between):
        return []  # "a tax, which he favors but says would never win": the clause is his
    return between


def _infinitives_going_on(cue: Token, tokens: list[Token]) -> list[Token]:
    """ "said money is needed to develop a vaccine, educate the public and learn more": after
    a reported clause that ends in "to" and a verb, the parser can hang the next bare verbs of
    the list on the verb of saying, as if the speakers had educated the public. A bare verb
    right after the comma that ends the clause, with no subject, auxiliary or opening word of
    its own, goes on with the list; its words and the comma before it."""
    if not tokens:
        return []
    doc = cue.doc
    last = max(token.i for token in tokens)
    if doc[last].text == "," and last > 0:
        last -= 1  # the comma the reported clause's verb holds
    infinitive = doc[last]
    within = {t.i for t in tokens}
    while infinitive.i not in within or infinitive.dep_ != "xcomp":
        if infinitive.head is infinitive or infinitive.head.i == cue.i:
            return []
        infinitive = infinitive.head
    if infinitive.tag_ != "VB" or not any(
        c.dep_ == "aux" and c.lower_ == "to" for c in infinitive.children
    ):
        return []
    if last + 2 >= len(doc) or doc[last + 1].text != ",":
        return []
    verb = doc[last + 2]
    if (
        verb.head.i != cue.i
        or verb.dep_ not in ("advcl", "conj", "dep")
        or verb.tag_ != "VB"
        or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "mark") for c in verb.children)
    ):
        return []
    return [doc[last + 1], *verb.subtree]


def _coordinated_more(cue: Token, head: Token, path: str, tokens: list[Token]) -> list[Token]:
    """ "has mentioned refinancing student loans and forcing universities to spend more",
    "is promising to meet and in some cases exceed his goals": the parser can hang a second
    object or verb on the cue itself, as if the speaker had done two things. A conjunct of the
    cue with no subject of its own that can only be more of the same content — a noun (a verb
    does not coordinate with one), a gerund after a verb that is none, a bare verb after
    "to …" — is; its words and the "and" or comma before it."""
    if path not in ("dobj", "xcomp") or not tokens:
        return []
    last = max(token.i for token in tokens)
    doc = cue.doc
    for sibling in cue.children:
        if sibling.dep_ != "conj" or sibling.i <= last:
            continue
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in sibling.children):
            return []
        bare = not any(c.dep_ in ("aux", "auxpass", "neg") for c in sibling.children)
        same = bare and (
            (sibling.pos_ in ("NOUN", "PROPN") and path == "dobj")
            or (sibling.tag_ == "VBG" and cue.tag_ != "VBG" and path == "dobj")
            or (path == "xcomp" and head.tag_ == "VB" and sibling.tag_ in ("VB", "VBP"))
        )
        if not same:
            return []
        between = list(doc[last + 1 : sibling.left_edge.i])
        if not all(token.dep_ in ("cc", "punct") for token in between):
            return []
        if path == "xcomp" and any(token.is_punct for token in between):
            return []  # "wanted to see her event, and not stay up past 10": a second wish
        return between + list(sibling.subtree)
    return []


def _sentence_cut_short(last: Token) -> list[Token]:
    """ "said she felt the 13th Amendment was worth examining": the sentence splitter can break
    a sentence where nothing ends it (here after "13th"), and the content stopped there. When
    the content ends its sentence with no closing punctuation and the next sentence follows on
    the same line, the next sentence is the rest of it: its words, up to its own end."""
    sentence = last.sent
    doc = last.doc
    if last.i != sentence.end - 1 or sentence.end >= len(doc):
        return []
    if last.is_punct or last.text[-1] in ".!?" or "\n" in last.whitespace_:
        return []  # "entry into the U.S. They will …" did end
    following = doc[sentence.end].sent
    if following[0].is_space or following[0].is_punct:
        return []
    if not (last.is_lower or last.text[0].isdigit() or following[0].is_lower):
        return []  # a headline in capitals run into the first sentence
    return _trim([t for t in following if not t.is_space])


def _when_said(cue: Token, head: Token) -> set[int]:
    """ "The ministry said on Wednesday it had evidence": with no "that", the parser can hang
    the day on the reported clause. A phrase of time right after the cue, before the reported
    clause's subject, dates the saying; the token numbers of that phrase."""
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if head.i < cue.i or subject is None:
        return set()
    for child in head.children:
        if (
            child.dep_ in ("prep", "npadvmod")
            and child.left_edge.i == cue.i + 1
            and child.right_edge.i < subject.left_edge.i
            and _temporal(child)
        ):
            return {token.i for token in child.subtree}
    return set()


def _stray_tail(cue: Token, last: Token) -> list[Token]:
    """'said a jet circled over the town shortly before 7 a.m.': the tagger can read "a.m."
    as punctuation and the parser hang it, with its "7", on the verb of saying, so that the
    content stopped at "before". Words between the content and the end of its sentence that
    hang on the cue as punctuation although they are words belong to the content."""
    sentence_end = last.sent.end
    tail = list(last.doc[last.i + 1 : sentence_end])
    while tail and tail[-1].is_punct:
        tail.pop()
    stray = [t for t in cue.children if t.dep_ == "punct" and not t.is_punct and t.i > last.i]
    inside = {token.i for word in stray for token in word.subtree}
    if not tail or not stray or any(token.i not in inside for token in tail):
        return []
    return tail


def _run_on_clause(cue: Token, head: Token, tokens: list[Token]) -> list[Token]:
    """'said that it would "have been cool" had Clinton congratulated him': the parse makes
    the inverted condition a second clausal complement of the cue, so the content stopped at
    the quotation mark. A second complement that follows the content with nothing between
    but quotation marks (no comma, no "and") is the same content going on."""
    run = _contiguous(tokens, head)
    last = run[-1].i if run else head.i
    doc = cue.doc
    for sibling in cue.children:
        if sibling.dep_ != "ccomp" or sibling.i <= head.i or sibling.lemma_ == cue.lemma_:
            continue  # '… the community and one in four said …': another saying, not more
        if sibling.left_edge.i <= head.i:
            continue  # the clause holds the content: a report of it from behind
        words = [token for token in sibling.subtree if not token.is_punct]
        if not words:
            continue
        between = doc[last + 1 : words[0].i]  # a dash or comma opening the clause counts
        if all(token.text in _QUOTE_MARKS for token in between):
            return list(between) + list(sibling.subtree)
    return []


def _finite_after_gerund(verb: Token) -> bool:
    """ "accused Turkey of allowing toxic materials across its border and called the
    accusations a campaign": a past-tense verb of saying with no subject, which the parser
    joined to the gerund before it, though a gerund and a finite verb do not coordinate."""
    gerund = verb.head
    return (
        verb.dep_ == "conj"
        and verb.tag_ == "VBD"
        and gerund.tag_ == "VBG"
        and gerund.dep_ == "pcomp"  # "of allowing": the charge's phrase
        and gerund.head.dep_ == "prep"
        and gerund.head.head.lemma_ in _SAYING_AGAIN | _GOING_ON | _DENYING
        and verb.lemma_ in _SAYING_AGAIN | _GOING_ON
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    )


def _saying_again(head: Token) -> set[int]:
    """ "He says the response was to break them up and says he introduced a bill": the parse
    hangs the second "says" on the reported clause, but with no subject of its own it is the
    speaker saying something more, not part of the first thing said. The token numbers of
    that verb's clause and the "and" before it."""
    cut: set[int] = set()
    # "saying that the bill had the components but was waylaid - and arguing that …": the
    # parse can hang the speaker's next verb on the reported clause's own second verb
    chain = [head]
    for verb in chain:
        # "… will have to choose whose side she is on, saying, '…'": or on its infinitive
        chain += [
            c for c in verb.children if c.dep_ in ("conj", "xcomp") and c.pos_ in ("VERB", "AUX")
        ]
    for clause in chain:
        for verb in clause.children:
            if verb.i < clause.i or not (_said_again(verb) or _another_saying(verb)):
                continue
            if clause is not head and verb.tag_ != "VBG":
                continue  # "approached her and said, '…'": the one reported on, acting
            joiner = [
                c
                for c in clause.children
                if c.dep_ in ("cc", "punct") and clause.i < c.i < verb.i and not c.is_quote
            ]
            cut |= {t.i for t in verb.subtree}
            cut |= {c.i for c in joiner if c.i >= verb.left_edge.i - 2}
    return cut


def _another_saying(verb: Token) -> bool:
    """ "42% say they're liberal and 26% say they are conservative": a verb of saying with a
    subject and a clause of its own, joined to a reported clause, is another claim, by
    another speaker."""
    if verb.dep_ == "advcl":
        # "…, while the OPCW said its mission would go on": another speaker set against the
        # first; but "right when he said …" is part of what was said
        if not any(c.dep_ == "mark" and c.lower_ in ("while", "whereas") for c in verb.children):
            return False
        if any(c.dep_ == "nsubj" and c.pos_ == "PRON" for c in verb.children):
            return False
    return (
        verb.dep_ in ("conj", "advcl")
        and verb.lemma_ in _SAYING_AGAIN
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
        and any(c.dep_ == "ccomp" for c in verb.children)
    )


def _said_again(verb: Token) -> bool:
    """Whether a verb hung on a reported clause is its speaker saying more: a verb of saying
    without a subject, joined by "and" ("... and says he introduced a bill") or a participle
    after a comma ("argued that X, saying Y")."""
    if verb.lemma_ in _STRESSING and verb.dep_ == "advcl":
        if verb.lemma_ == "point" and not any(c.lower_ == "out" for c in verb.children):
            return False  # "pointing to his record" is not a reported clause
    elif (
        verb.lemma_ not in _SAYING_AGAIN | _GOING_ON
        and not _finite_after_modal(verb)
        and not _asking_whether(verb)
    ):
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children):
        return False
    if verb.dep_ == "conj":
        # "insisted Damascus had handed over its arsenal, and accused the investigators of
        # …": a charge after a comma and "and" is the speaker's; without the comma it may be
        # the reported clause's subject acting; a quotation's closing mark ends the clause as
        # the comma does ('said the attack "was a deliberate strike" and urged the Council to
        # act': the speaker urged)
        return (
            verb.lemma_ in _SAYING_AGAIN
            or (verb.i > 1 and verb.nbor(-2).text in (",", '"', "”"))
            or _finite_after_modal(verb)
            or _asking_whether(verb)
        )
    return verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.i > 0 and verb.nbor(-1).text == ","


def _asking_whether(verb: Token) -> bool:
    """ "noted that troop strength lags the target and asked whether the minister could reach
    it": a question put by someone ("asked whether", "wondered if") cannot be the reported
    clause's subject acting; joined to that clause, it is the speaker going on."""
    if verb.tag_ == "VBN" or any(c.dep_ in ("mark", "auxpass") for c in verb.children):
        return False  # "when asked whether he was encouraging them": he was asked
    return verb.lemma_ in ("ask", "wonder", "question") and any(
        child.dep_ == "ccomp"
        and any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in child.children)
        for child in verb.children
    )


def _active_conjunct(cue: Token) -> bool:
    """ "McKinley is bearish on student loans and expects them to become scarcer": a finite
    verb in the active joined to a clause with a subject, whose subject it shares, though the
    verb is more often a sourceless "is expected to"."""
    return (
        cue.dep_ == "conj"
        and cue.lemma_ not in ("seem", "appear")  # a hedge (see _seeming_to_act)
        and cue.tag_ in ("VBZ", "VBD", "VBP")
        and not any(c.dep_ in ("auxpass", "nsubj", "nsubjpass", "expl") for c in cue.children)
        and any(c.dep_ == "nsubj" for c in cue.head.children)
    )


def _object_hung_above(cue: Token) -> Token | None:
    """ "I would like to begin by condemning, in the strongest possible terms, the use of
    chemical weapons": after the phrase between commas the parser hangs the object on "like".
    For a gerund of the lexicon after "by" with no object of its own, the object of a verb
    above it that comes after the gerund; else None."""
    if cue.tag_ != "VBG" or cue.dep_ != "pcomp" or cue.head.lower_ != "by":
        return None
    if any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in cue.children):
        return None
    node = cue.head
    for _ in range(4):
        if node.dep_ == "ROOT":
            break
        node = node.head
        found = next((c for c in node.children if c.dep_ == "dobj" and c.i > cue.i), None)
        if found is not None:
            return found
    return None


def _asked_or_supposed(cue: Token) -> bool:
    """ "Did you order the strike?", "If the reports are confirmed, …": an interviewer's
    question to the one interviewed ("did" before "you"), or a condition with no one to say
    it, asks or supposes; it claims nothing. (News annotators mark other questions and
    conditions — "Why does Israel refuse …?", "If Erdogan decides …" — as the stances they
    are.)"""
    you = next((c for c in cue.children if c.dep_ == "nsubj" and c.lower_ == "you"), None)
    if you is not None:
        return any(c.dep_ == "aux" and c.lemma_ == "do" and c.i < you.i for c in cue.children)
    if (
        cue.dep_ == "advcl"
        and cue.tag_ in ("VBZ", "VBP")
        and any(c.dep_ == "mark" and c.lower_ == "until" for c in cue.children)
    ):
        # "We will not run the figure until a second source confirms it": a saying waited
        # for, in the present tense of a time to come, has not been made
        return True
    return (
        cue.dep_ == "advcl"
        and any(c.dep_ == "auxpass" for c in cue.children)
        and not any(c.dep_ == "agent" for c in cue.children)
        and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in cue.children)
    )


def _seeming_to_act(cue: Token, attribution: Attribution) -> bool:
    """Whether a relation's cue is "seemed to" or "appears to" with the verb it governs
    ("seemed to confirm", "appeared to imply"), or with a verb of saying after it, and a
    source the rules found."""
    return (
        cue.lemma_ in ("seem", "appear")
        and attribution.source is not None
        and any(
            c.dep_ == "xcomp"
            and (
                c.idx < attribution.cue.end
                # "appeared to suggest that …", the saying left in the content
                or c.lemma_ in _SAYING_AGAIN | _DENYING | _STRESSING | _HINTING
            )
            for c in cue.children
        )
    )


_HINTING = frozenset({"suggest", "imply", "indicate", "hint", "signal", "confirm", "blame"})


def _gerund_adjunct_subject(cue: Token) -> Token | None:
    """ "He refuses to discuss appointees, aside from saying he wants a diverse delegation",
    "Oz appeared at a hearing for his role in promoting diet pills and for saying that …": a
    saying in a prepositional phrase is spoken by the subject of the first verb above it that
    has one, through infinitives, conjuncts and adverbs (the fallback paths reach only the
    verb right above); not through a clause without a subject of its own, which is a misparse
    more often than not. Not when that verb has an object and the phrase is "for" ("attacked
    Clinton for saying …" is Clinton's saying, and news seldom marks it); None then."""
    preposition = cue.head
    if cue.tag_ != "VBG" or cue.dep_ != "pcomp" or preposition.lower_ not in _ADJUNCT_PREPOSITIONS:
        return None
    node = preposition
    for _ in range(6):
        if node.dep_ == "ROOT":
            return None
        node = node.head
        if node.pos_ in ("NOUN", "PROPN", "PRON"):
            return None  # "criticism of Oz for saying …": the phrase belongs to the noun
        if node.pos_ not in ("VERB", "AUX"):
            continue
        if preposition.lower_ == "for" and any(c.dep_ == "dobj" for c in node.children):
            return None
        subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None or node.dep_ not in ("xcomp", "conj"):
            return subject
    return None


_ADJUNCT_PREPOSITIONS = frozenset({"by", "from", "for", "after"})  # "without saying" says nothing


_SUBORDINATORS = frozenset(
    {"while", "although", "though", "whereas", "because", "since", "if", "when", "after"}
)


def _subordinate_before(cue: Token, head: Token) -> bool:
    """ "While he acknowledged funding was a reason, Ham also noted several intangibles left
    him disillusioned": the parser can make the opening subordinate clause a second reported
    clause of the verb. A reported clause before the verb that opens with "while",
    "although", "because" and the like, when the verb has another one after it, is not
    what was said."""
    return (
        head.i < cue.i
        and head.left_edge.dep_ == "mark"
        and head.left_edge.lower_ in _SUBORDINATORS
        and head.left_edge.head != head
        and any(c.dep_ == "ccomp" and c.i > cue.i for c in cue.children)
    )


def _has_the_honour(cue: Token) -> Token | None:
    """ "The Secretariat … has the honour to inform it that the Mission will deploy": a note
    verbale's formula, the verb of saying parsed as a clause of "honour". The subject of
    "has" (or of the verb "has" is joined to), who informs; else None."""
    honour = cue.head
    if cue.dep_ not in ("relcl", "acl") or honour.lemma_ not in ("honour", "honor"):
        return None
    have = honour.head
    if have.lemma_ != "have" or honour.dep_ != "dobj":
        return None
    subject = next((c for c in have.children if c.dep_ == "nsubj"), None)
    if subject is None and have.dep_ == "conj":
        subject = next((c for c in have.head.children if c.dep_ == "nsubj"), None)
    return subject


# What the writer did with the people who then speak: "Residents we spoke to said …".
_MET_WITH = frozenset({"speak", "talk", "interview", "meet"})


def _noun_before_relative_subject(clause: Token) -> Token | None:
    """The plural noun right before a clause's pronoun subject, hung on the clause as a loose
    modifier ("Residents I spoke to …", the noun an "npadvmod" of "spoke"): the noun the
    clause describes, with no "that" or "whom"; None when the clause's subject is no pronoun
    or no such noun comes right before it (a comma or a word between, a singular noun)."""
    subject = next((c for c in clause.children if c.dep_ == "nsubj" and c.i < clause.i), None)
    if subject is None or subject.tag_ != "PRP" or subject.i < 1:
        return None
    noun = subject.doc[subject.i - 1]
    if noun.head != clause or noun.dep_ not in ("npadvmod", "dep", "nsubj") or noun.tag_ != "NNS":
        return None
    return noun


def _stranded_relative(cue: Token) -> Token | None:
    """ "Local doctors we spoke to describe pinpoint pupils", "Residents we spoke to said …":
    the parser reads the verb as the purpose of the relative clause ("spoke to describe"; a
    finite "to said" too), or the relative clause as what was said, and the sentence as a
    noun phrase. The noun the clause describes is the speaker ("Most of the residents we spoke
    to": the share of them); None when the parse is not one of those."""
    clause = cue.head
    stranded = any(c.dep_ == "aux" and c.lower_ == "to" and c.i == cue.i - 1 for c in cue.children)
    noun: Token | None = None
    if stranded and clause.lemma_ in _MET_WITH and clause.i < cue.i:
        if cue.dep_ in ("xcomp", "advcl") and cue.tag_ == "VB" and clause.dep_ == "relcl":
            # "spoken to say they want …": the parser may also take it for the adverbial
            noun = clause.head if clause.head.dep_ in ("ROOT", "nsubj", "appos") else None
        elif cue.dep_ == "xcomp" and cue.tag_ == "VB" and clause.dep_ == "ROOT":
            # "Residents I spoke to say …": the relative clause made the sentence, its noun
            # left hanging before the clause's pronoun subject
            noun = _noun_before_relative_subject(clause)
        elif cue.dep_ in ("advcl", "xcomp") and cue.tag_ in ("VBD", "VBZ", "VBP"):
            # a finite verb after "to" is no purpose: the "to" is the relative clause's
            noun = clause.head if clause.dep_ == "relcl" else _people_met(clause)
    elif cue.dep_ == "ROOT" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children):
        # "Residents we spoke to in Khan Shaykhun said …": the relative clause made the
        # complement of the verb of saying, which is left with no subject
        clause = next(
            (
                c
                for c in cue.children
                if c.dep_ == "ccomp"
                and c.i < cue.i
                and c.lemma_ in _MET_WITH
                and any(g.dep_ == "prep" and g.lower_ in ("to", "with") for g in c.children)
            ),
            cue,
        )
        noun = _people_met(clause) if clause is not cue else None
    while noun is not None and noun.dep_ == "pobj" and noun.head.lower_ == "of":
        share = noun.head.head  # "Most of the residents", "Four of the doctors"
        if share.i > noun.i or share.pos_ not in ("ADJ", "NUM", "PRON", "NOUN"):
            break
        noun = share
    return noun if noun is not None and noun.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") else None


def _people_named(source: list[Token]) -> list[Token]:
    """The words of a stranded relative's source that name the people, without the clause
    of who met them ("Residents" of "Residents we spoke to", "Residents Human Rights Watch
    spoke to"): who speaks, not who listened."""
    clause = next((t for t in source if t.lemma_ in _MET_WITH and t.pos_ == "VERB"), None)
    subject = (
        next((c for c in clause.children if c.dep_ == "nsubj"), None)
        if clause is not None
        else None
    )
    if subject is None:
        return source
    first = subject.left_edge
    cut = first.i + 1 if first.tag_ == "NNS" and first.i < subject.i else first.i
    return _trim([t for t in source if t.i < cut]) or source


def _people_met(clause: Token) -> Token | None:
    """The people a clause of meeting or speaking opens with, which the parse hung on it
    ("Residents" in "Residents we spoke to …", as a modifier of the verb or as part of the
    name of whoever spoke to them, "Residents Human Rights Watch spoke to …"); else None."""
    subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return None
    for child in clause.children:
        if child.dep_ == "npadvmod" and child.i < subject.i and child.tag_ == "NNS":
            return child
    first = subject.left_edge
    if first.i < subject.i and first.tag_ == "NNS" and first.dep_ == "compound":
        return first
    return None


def _aside_in_relative(cue: Token) -> Span | None:
    """ "The inspectors, who, officials said, arrived on Monday, took samples": a saying set
    as an aside inside a relative clause vouches for that clause only ("who" "arrived on
    Monday", as PolNeAR marks it: the relative word and the rest, without the noun it hangs
    on), not for the sentence around it; None when the cue is no such aside."""
    clause = cue.head
    if clause.dep_ != "relcl" or clause.i < cue.i or clause.head.pos_ not in ("NOUN", "PROPN"):
        return None
    pronoun = next(
        (
            s
            for s in clause.children
            if s.dep_ in ("nsubj", "nsubjpass") and s.lower_ in _RELATIVE_WORDS | {"who"}
        ),
        None,
    )
    if pronoun is None or not pronoun.i < cue.left_edge.i:
        return None
    said = _token_span(_trim([t for t in clause.subtree if t.i > cue.right_edge.i]))
    before = _token_span(_trim([t for t in clause.subtree if pronoun.i <= t.i < cue.left_edge.i]))
    if said is None or before is None:
        return None
    return joined([before, said])


def _aside_closing_relative(cue: Token) -> Span | None:
    """ "a gas that smelled, one man said, like rotten onions": an aside right after a relative
    clause's verb, whose words after it the parser hangs on the aside's verb (with the aside on
    the sentence's verb), completes that clause: what was said is "that smelled" and "like
    rotten onions", as with '"which, Tompkins said, is usually full"'; None when the cue is no
    such aside, or nothing follows it."""
    doc = cue.doc
    first = next(t.i for t in cue.subtree if not t.is_punct)
    if first < 3 or doc[first - 1].text != ",":
        return None
    clause = doc[first - 2]
    while clause.dep_ != "relcl" and clause.head != clause and clause.head.i < first:
        clause = clause.head
    if clause.dep_ != "relcl" or clause.right_edge.i != first - 2:
        return None
    pronoun = clause.left_edge
    if pronoun.tag_ not in ("WDT", "WP") or cue.head.i >= pronoun.i:
        return None
    rest = [t for t in cue.subtree if t.i > cue.i and t.dep_ not in ("nsubj", "punct")]
    if not rest or any(t.dep_ in ("ccomp", "dobj", "xcomp") for t in cue.children):
        return None
    start = cue.i + 1 + (doc[cue.i + 1].text == ",")  # with a quotation's opening mark
    said = _token_span(_trim(list(doc[start : cue.right_edge.i + 1])))
    before = _token_span(_trim(list(doc[pronoun.i : first - 1])))
    if said is None or before is None:
        return None
    return joined([before, said])


def _compound_subject(cue: Token) -> Token | None:
    """ "3. Witness B states that she saw …": a name the tagger does not know ("Witness B",
    "Complainant A") can be hung on the verb after it as a compound, leaving the verb with no
    subject. The name right before a finite verb of saying without a subject is then its
    subject; else None."""
    if cue.i == 0 or cue.tag_ not in ("VBZ", "VBD", "VBP", "NNS"):
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in cue.children):
        return None
    name = cue.doc[cue.i - 1]
    if name.dep_ != "compound" or name.head != cue or name.pos_ != "PROPN":
        return None
    return name


def _conjoined_subject(verb: Token) -> Token | None:
    """ "Republicans said they're convinced the department mishandled the investigation and
    Democrats accused the GOP of stoking the issue": the parser can join the second speaker
    to the first clause's object, leaving the second verb of saying with no subject. The
    noun phrase right before a finite verb without a subject, joined by "and" or "but" to
    an object, when it names a person, group, body or state (or is a personal pronoun), is
    that verb's subject; else None."""
    if verb.dep_ not in ("ccomp", "conj") or verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i < 3:
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in verb.children):
        return None
    subject = verb.nbor(-1)
    first = subject.head
    if (
        subject.dep_ != "conj"
        or first.dep_ not in ("dobj", "pobj")
        or subject.right_edge != subject
    ):
        return None
    joiner = subject.left_edge.i - 1
    if not any(
        c.i == joiner and c.dep_ == "cc" and c.lower_ in ("and", "but") for c in first.children
    ):
        return None
    if (
        subject.ent_type_ in ("PERSON", "NORP", "ORG", "GPE")
        or subject.lower_ in ("he", "she", "they")
        or subject.lemma_.lower() in _PEOPLE_NOUNS | _ROLES | _ORG_WORDS  # "Western diplomats"
    ):
        return subject
    return None


def _excepted(head: Token) -> set[int]:
    """ "refused to discuss any changes, aside from saying that the core was not negotiable":
    what is set apart by "aside from" or "apart from" is not what was refused, and a saying
    in it is a claim of its own. Its words and the comma before, by token number."""
    cut: set[int] = set()
    for token in head.subtree:
        if token.lower_ in ("aside", "apart") and any(
            c.dep_ == "prep" and c.lower_ == "from" for c in token.children
        ):
            words = {t.i for t in token.subtree}
            if token.left_edge.i > 0 and token.doc[token.left_edge.i - 1].text == ",":
                words.add(token.left_edge.i - 1)
            cut |= words
    return cut


def _another_speaker_joined(head: Token) -> set[int]:
    """The words of a reported clause that are another speaker's saying the parser joined to
    it (:func:`_conjoined_subject`): that speaker, the "and" before them and their verb's
    clause, by token number."""
    cut: set[int] = set()
    for token in head.subtree:
        if token.i + 1 < len(token.doc) and _conjoined_subject(token.nbor(1)) == token:
            verb = token.nbor(1)
            cut |= {t.i for t in token.subtree} | {t.i for t in verb.subtree}
            cut.add(token.left_edge.i - 1)
    return cut


_MODAL_OR_DO = frozenset({"do", "will", "would", "can", "could", "shall", "should", "may", "might"})


def _finite_after_modal(verb: Token) -> bool:
    """ "said that she didn't want to think about it and predicted that Clinton will win": a
    past-tense verb with a clause of its own, which the parser joined to a bare verb after
    "did", "will" or "would", though the two forms do not coordinate there; it is the speaker
    going on, whatever the verb."""
    head = verb.head
    return (
        verb.dep_ == "conj"
        and verb.tag_ == "VBD"
        and head.tag_ == "VB"
        and any(c.dep_ == "aux" and c.lemma_ in _MODAL_OR_DO for c in head.children)
        and any(c.dep_ == "ccomp" for c in verb.children)
    )


def _quoted_one(cue: Token) -> Token | None:
    """ "Interfax quoted Kremlin spokesman Dmitry Peskov as saying …", "SANA cited a military
    source as saying …", "Al-Watan quotes a military source saying …": the one quoted is the
    speaker, not the agency that quotes them (whose part is to have carried the words). The
    object of "quoted" or "cited", or None."""
    if _quoted_saying(cue):
        return cue.head
    if cue.dep_ != "pcomp" or cue.head.lower_ != "as" or cue.lemma_ not in _SAYING_AGAIN:
        return None  # "cited a memo as pointing toward China" is the citer's reading
    verb = cue.head.head
    if verb.lemma_ not in ("quote", "cite"):
        return None
    return next((c for c in verb.children if c.dep_ == "dobj"), None)


def _quoted_saying(cue: Token) -> bool:
    """Whether ``cue`` is the participle on the object of "quotes" or "cites" ("quotes a
    military source saying …"), whose saying the object's."""
    return (
        cue.dep_ == "acl"
        and cue.tag_ == "VBG"
        and cue.lemma_ in _SAYING_AGAIN
        and cue.head.dep_ == "dobj"
        and cue.head.head.lemma_ in ("quote", "cite")
        # a person or a source quoted, not a document cited ("cites a memo saying as much")
        and (
            cue.head.ent_type_ in ("PERSON", "ORG", "NORP")
            or cue.head.lemma_.lower() in _PEOPLE_NOUNS | _ROLES
        )
    )


# Verbs by which a monitor or an agency closes its report ("…, the Observatory reported").
_REPORTING = frozenset({"report", "announce", "confirm", "state"})


def _fronted_report(cue: Token) -> tuple[Token, list[Token]] | None:
    """ "At least 92 people were killed in the town, the Observatory said on Tuesday": after a
    long reported clause the parser can make the speaker an apposition of the clause's last
    noun and the verb of saying a conjunct of the reported verb, so that the verb has neither a
    subject nor a clause. A verb of saying joined to an earlier verb without "and" or "but",
    right after a comma and a noun phrase with no verb in it, is that phrase's report of the
    clause before the comma. The speaker's head and the reported clause's words, or None."""
    if cue.lemma_ not in _SAYING_AGAIN | _REPORTING or cue.dep_ != "conj" or cue.head.i >= cue.i:
        return None
    if cue.head.pos_ not in ("VERB", "AUX") or any(
        c.dep_ in ("nsubj", "nsubjpass", "ccomp", "dobj") and c.i < cue.i for c in cue.children
    ):
        return None
    doc = cue.doc
    comma = next(
        (t for t in reversed(doc[cue.head.i + 1 : cue.i]) if t.text in (",", ";", "—", "–")), None
    )
    if comma is None or comma.text != ",":
        return None
    phrase = list(doc[comma.i + 1 : cue.i])
    while phrase and (phrase[-1].dep_ in ("advmod", "neg") or phrase[-1].lower_ == "also"):
        phrase = phrase[:-1]  # "…, the Observatory also said"
    if not phrase or len(phrase) > 12:
        return None
    if any(t.pos_ in ("VERB", "AUX") or t.dep_ == "cc" or t.is_quote for t in phrase):
        return None
    inside = {t.i for t in phrase}
    heads = [t for t in phrase if t.head.i not in inside]
    if len(heads) != 1 or heads[0].pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    if heads[0].pos_ == "PRON" and heads[0].lower_ not in _PERSON_PRONOUNS | _GROUP_PRONOUNS:
        return None
    clause = [t for t in cue.head.subtree if t.i < comma.i and t.i not in inside]
    if len(clause) < 3:
        return None
    return heads[0], clause


def _going_on_from_fronted(cue: Token) -> Token | None:
    """ "…, the Observatory said on Tuesday, adding that children were among the dead": in the
    parse of :func:`_fronted_report` the speaker going on hangs on the reported verb too. The
    speaker of that report, for a clause after it on the same verb; else None."""
    if cue.dep_ != "advcl":
        return None
    for sibling in cue.head.children:
        if sibling.dep_ == "conj" and sibling.i < cue.i:
            report = _fronted_report(sibling)
            if report is not None:
                return report[0]
    return None


def _speaker_made_subject(doc: Doc, cue: Token, quotes: list[tuple[int, int]]) -> Span | None:
    """'The press secretary repeated yesterday, "The evidence points to Damascus."': the parser
    can make the speaker the subject of the quotation's verb and the verb of saying a clause
    on the speaker. A verb of saying hung on a noun that is the subject of a verb inside a
    quotation opening right after the verb's own words (and a comma or colon) is that
    speaker's report of the quotation. The quotation, or None."""
    speaker = cue.head
    if cue.dep_ != "acl" or speaker.i > cue.i or speaker.dep_ not in ("nsubj", "nsubjpass"):
        return None
    if speaker.pos_ not in ("NOUN", "PROPN") or cue.tag_ not in ("VBD", "VBN", "VBZ"):
        return None
    last = max(token.i for token in cue.subtree)
    after = doc[last].idx + len(doc[last].text)
    text = doc.text
    for start, end in quotes:
        if after <= start and re.fullmatch(r"\s*[,:]?\s*", text[after:start]):
            if start <= speaker.head.idx < end:
                return _span_chars(text, start, end)
            return None
    return None


# What informs without being anyone: "information indicating that …", "reports suggesting …".
_INFORMATION = frozenset(
    {"information", "report", "evidence", "data", "intelligence", "document", "record"}
    | {"footage", "image", "account", "testimony", "material"}
)
# What is fired or launched when "fire" says nothing ("fired off a letter" does).
_WEAPONS = frozenset(
    {"missile", "rocket", "shell", "shot", "bullet", "munition", "weapon", "mortar"}
    | {"projectile", "salvo", "bomb", "grenade", "torpedo", "volley", "barrage"}
)


# What people are reported to be in a headline's passive ("Dozens reported killed").
_HARMED = frozenset(
    {"killed", "dead", "injured", "wounded", "hurt", "missing", "detained", "arrested"}
    | {"captured", "abducted", "kidnapped", "displaced", "trapped", "poisoned"}
)


def _shown_saying(cue: Token) -> Token | None:
    """A broadcast's "Konashenkov was shown saying …", "the minister was heard saying …": the
    one shown or heard is who says it (the subject of the passive the saying hangs on)."""
    head = cue.head
    if not (
        cue.dep_ == "xcomp"
        and cue.tag_ == "VBG"
        and cue.lemma_ in _SAYING_AGAIN
        and head.lemma_ in _SHOWN
        and any(c.dep_ == "auxpass" for c in head.children)
    ):
        return None
    return next((c for c in head.children if c.dep_ == "nsubjpass"), None)


# Verbs by which a broadcast puts someone on air: "was shown saying", "was heard saying".
_SHOWN = frozenset({"show", "hear", "see", "film", "record"})


def _weapons_after(cue: Token) -> bool:
    """Whether the noun phrase right after ``cue`` names weapons ("FIRED FIFTY-NINE CRUISE
    MISSILES"): a script in capitals is parsed badly, and the phrase may not hang on the verb."""
    for token in cue.doc[cue.i + 1 : cue.i + 7]:
        if _singular(token.lower_) in _WEAPONS:
            return True
        if token.pos_ not in ("NUM", "ADJ", "DET", "NOUN", "PROPN") and token.text != "-":
            return False
    return False


# What backs a claim, which a speaker can be said to have offered none of.
_GROUNDS = frozenset(["evidence", "proof", "detail", "explanation", "specific", "source"])
# Participles by which a speaker is said to have been asked: "…, asked about the delay, said".
_PUT_TO = frozenset(["ask", "question", "press", "contact", "reach", "approach", "quiz"])


def _put_to(cue: Token) -> bool:
    """Whether ``cue`` is a participle of being asked set off between a speaker and the verb
    of saying ("A spokeswoman, asked about the delay, said …", parsed as the speaker's own
    verb): the speaker was asked; they asked nothing."""
    head = cue.head
    return (
        cue.lemma_ in _PUT_TO
        and cue.dep_ == "advcl"
        and cue.tag_ in ("VBD", "VBN")
        and head.lemma_ in _SAYING_AGAIN
        and cue.i < head.i
        and cue.i > 0
        and cue.nbor(-1).text == ","
        and any(c.dep_ == "nsubj" and c.i < cue.i for c in cue.children)
    )


def _named_after_being_asked(cue: Token) -> Token | None:
    """ "When asked whether he knew of a store, W-12 replied that …": after a long opening
    clause of being asked, the parse can hang the speaker named right before the verb on that
    clause; the one asked is the one who answers. The name or noun between the clause's comma
    and the verb, or None."""
    if cue.i < 2:
        return None
    hung = cue.nbor(-1)
    clause = hung.head
    if (
        hung.pos_ in ("PROPN", "NOUN")
        and hung.dep_ in ("dep", "appos", "npadvmod")
        and clause.dep_ == "advcl"
        and clause.head == cue
        and clause.lemma_ in _PUT_TO
        and clause.i < hung.i
        and hung.left_edge.i > clause.i
        and cue.doc[hung.left_edge.i - 1].text == ","
    ):
        return hung
    return None


def _closing_speaker(cue: Token) -> Token | None:
    """ "…, the Britain-based Syrian Observatory for Human Rights, which relies on a network of
    sources inside Syria, said.": a speaker with a clause of its own between the report and a
    closing "said", which the parse made an object inside the report. The noun whose phrase
    fills the commas before the verb, or None."""
    doc = cue.doc
    if cue.i < 3 or doc[cue.i - 1].text != ",":
        return None
    if any(not (t.is_punct or t.is_space) for t in doc[cue.i + 1 : cue.sent.end]):
        return None  # the saying closes its sentence
    last = doc[cue.i - 2]
    found = None
    token = last
    while token.head.i != token.i and token.i < cue.i:
        if (
            token.pos_ in ("NOUN", "PROPN")
            and token.right_edge.i == last.i
            and token.left_edge.i > cue.sent.start + 2
            and doc[token.left_edge.i - 1].text == ","
            and any(c.dep_ == "relcl" for t in token.subtree for c in t.children)
        ):
            found = token
        token = token.head
    return found


def _subject_hung_elsewhere(cue: Token) -> Token | None:
    """The speaker of a verb of saying the parse left without a subject: "Voters going to the
    polls on Tuesday said ..." (the subject inside a clause made the verb's clausal subject),
    "While on the trail for his wife, former president Bill Clinton said ..." (the name
    made an apposition of a noun in the opening phrase), "About 4 in 10 say ..." (the share
    made the verb's number), '"It is valuable," said Skelly' (a surname the tagger does not know,
    read as an adverb of the verb). The clause, the share, or the name right before or after the
    verb; None when the verb has a subject or none of these is there."""
    if cue.i == 0 or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in cue.children):
        return None
    hung = _named_after_being_asked(cue)
    if hung is not None:
        return hung  # any verb that answers: "When asked …, W-12 replied that …"
    if cue.lemma_ not in _SAYING_AGAIN:
        return None
    clause = next((c for c in cue.children if c.dep_ == "csubj" and c.i < cue.i), None)
    if clause is not None and any(c.dep_ == "nsubj" for c in clause.children):
        return clause
    asked = next((c for c in cue.children if _put_to(c)), None)
    if asked is not None:
        # "A spokeswoman, asked about the delay, said …": the parse made the speaker the
        # subject of the participle set off before the verb
        return next((c for c in asked.children if c.dep_ == "nsubj"), None)
    # "About 4 in 10 say ...": the share of those asked, parsed as a number on the verb
    share = next((c for c in cue.children if c.dep_ == "nummod" and c.i < cue.i), None)
    if share is not None:
        return share
    closing = _closing_speaker(cue)
    if closing is not None:
        return closing
    misread = next(
        (
            c
            for c in cue.children
            if c.dep_ in ("ccomp", "csubj")
            and c.i < cue.i
            and c.tag_.startswith("VB")
            and c.text.isupper()
            and len(c.text) >= 3
            and any(g.dep_ == "nsubj" for g in c.children)
        ),
        None,
    )
    if misread is not None:
        # "State news agency SANA, quoting a military source, said …": the tagger read the
        # agency's name in capitals as a verb, its description as that verb's subject
        return misread
    before = cue.nbor(-1)
    if before.text == ",":
        # "Alarmed by the unrest, Senator Harry Reid, the minority leader, said …": the name
        # joined to the opening phrase, with its title in commas right before the verb
        titles = [
            t
            for t in cue.doc[cue.sent.start : cue.i - 1]
            if t.dep_ == "appos" and t.right_edge.i == cue.i - 2 and t.head.i < t.i
        ]
        if titles:  # the innermost: "At Boca West, …, Jay DiPietro, the club's owner, said"
            title = titles[-1]
            # "In a statement to the Observer, her adviser, Jake Sullivan, said": the name
            # itself when it is the one in commas
            named = title.pos_ == "PROPN" and title.head.pos_ != "PROPN"
            before = title if named else title.head
    if (
        before.pos_ == "PROPN"
        and before.dep_ in ("appos", "pobj", "conj")
        and before.head != cue
        and before.ent_type_ not in ("DATE", "TIME")  # "... on Tuesday called the remarks"
    ):
        return before
    after = cue.nbor(1) if cue.i + 1 < len(cue.doc) else None
    if (
        after is not None
        and before.is_punct  # the said thing came first: '"...," said Skelly'
        and after.head == cue
        and after.dep_ in _MISREAD_NAME
        and after.is_title
        and after.is_alpha
        and after.ent_type_ not in ("DATE", "TIME")
        and after.lower_ not in _CALENDAR
    ):
        return after
    return None


# How the parse hangs a surname it does not know on the verb of saying before it.
_MISREAD_NAME = frozenset({"advmod", "npadvmod", "dobj", "attr", "oprd", "dep", "intj"})
_CALENDAR = frozenset(
    {
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("today", "yesterday", "tonight", "january", "february", "march", "april", "may"),
        *("june", "july", "august", "september", "october", "november", "december"),
    }
)


def _subject_above_infinitive(cue: Token) -> Token | None:
    """ "They continued to veer off script, saying they were told …": a participle hung on an
    infinitive is said by the subject of the verb above it; but in "a strategist said Clinton
    will have to choose whose side she is on, saying, '…'" that verb is itself what was said,
    and the one going on is whoever said it. None when the participle hangs elsewhere."""
    if cue.dep_ != "advcl" or cue.tag_ != "VBG" or cue.head.dep_ != "xcomp":
        return None
    above = cue.head.head
    if above.dep_ == "ccomp" and above.head.lemma_ in _SAYING_AGAIN | _REPORTING:
        above = above.head
    return next((c for c in above.children if c.dep_ == "nsubj"), None)


def _participle_after_object(cue: Token) -> Token | None:
    """ "Wasserman Schultz dismissed the accusations that the campaign is violating the law —
    saying the Sanders campaign chose not to …": the parser can hang the participle on the
    verb of the noun's "that" clause, as if the campaign said it; but that clause is what the
    accusation says, and set off by a comma or a dash the participle is the main clause's
    subject going on. The subject of the verb whose object the noun is, or None."""
    if cue.dep_ != "advcl" or cue.tag_ != "VBG" or cue.lemma_ not in _SAYING_AGAIN or cue.i < 2:
        return None
    if cue.nbor(-1).text not in (",", "—", "–"):
        return None
    clause = cue.head
    while clause.dep_ == "conj" and clause.head.i < clause.i:
        clause = clause.head
    if clause.dep_ != "acl" or not any(
        c.dep_ == "mark" and c.lower_ == "that" for c in clause.children
    ):
        return None
    noun = clause.head
    verb = noun.head
    if noun.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head
    elif noun.dep_ != "dobj":
        return None
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


def _said_again_by(cue: Token) -> Token | None:
    """The speaker of a second verb of saying the parse hung on the first one's reported clause
    (see :func:`_saying_again`): the first verb's subject."""
    if _finite_after_gerund(cue):
        # "accused Turkey of allowing … and called the accusations …": the finite verb cannot
        # go on the gerund; it is the accuser going on
        verb = cue.head.head.head  # gerund → preposition → the verb of the charge
        return next((c for c in verb.children if c.dep_ == "nsubj"), None)
    clause = cue.head
    while clause.dep_ == "conj" and clause.head.i < clause.i and clause.pos_ in ("VERB", "AUX"):
        clause = clause.head  # "…, but was waylaid - and arguing that …": the first verb's clause
    if clause.dep_ != "ccomp" or cue.i < clause.i or not _said_again(cue):
        return None
    if clause.head.lemma_ not in _SAYING_AGAIN | _DENYING | _RULING | _STRESSING | {"write"}:
        return None  # "Byrne also wrote the agents knew …, saying": the writer going on
    subject = next((c for c in clause.head.children if c.dep_ == "nsubj"), None)
    if subject is None and clause.head.tag_ == "VBG":
        # "Russia has offered explanations, first claiming that a depot was hit and later
        # suggesting …": the first participle's own speaker, found as its speaker is
        subject = _first(clause.head, _FALLBACK_SOURCE_PATHS)
    return subject


# Verbs of finding and ruling, after whose reported clause a participle ("ruled that the
# witness's identity would remain protected, citing threats …") is the same speaker going on.
_RULING = frozenset(
    {"rule", "conclude", "find", "decide", "determine", "announce", "state", "insist", "testify"}
)


def _going_on(attribution: Attribution) -> bool:
    """Whether a relation is a speaker saying more (:func:`_said_again_by`) with a clause or a
    quotation as its content: kept whatever the learnt model says. With a bare object ("tell
    him", "telling reporters") it is left to the model."""
    if not attribution.how.startswith("again/"):
        return False
    # double marks only: a single one is as likely an apostrophe ("don't")
    return attribution.how == "again/ccomp" or any(
        mark in attribution.content.text for mark in ("“", '"', "«", "''")
    )


# Verbs of saying that, joined with "and" to a reported clause and without a subject, go on
# with the speaker's own sentence.
_SAYING_AGAIN = frozenset(
    {"say", "tell", "add", "call", "note", "argue", "insist", "claim", "warn", "suggest"}
)
# Verbs of stressing a point, frequent in official and translated news ("affirmed that …,
# pointing out that …", "stressed that …, emphasizing that …"): after a reported clause, a
# participle of one of them is the speaker going on.
_STRESSING = frozenset(
    {"affirm", "stress", "emphasize", "emphasise", "explain", "point", "reiterate", "underline"}
)
# Verbs that answer a charge with a reported clause, after which a participle ("denied that
# its aircraft had struck the town, calling the reports fabrications") is the same speaker going
# on, though the parser hangs it on the reported clause's verb.
_DENYING = frozenset({"deny", "reject", "dismiss", "confirm", "acknowledge", "admit"})
# Charges a speaker goes on to make after a reported clause ("…, and accused the panel of bias").
_GOING_ON = frozenset(
    {"accuse", "deny", "dismiss", "reject", "urge", "demand", "blame", "cite", "acknowledge"}
)


_COLON_LINE = re.compile(
    # a broadcast transcript's time before the speaker: "[06:02] PRESENTER: …"; a podcast's
    # mark of a clip it plays: "[CLIP] KONASHENKOV (through an interpreter): …"
    r"^[^\S\n]*(?:\[\d{1,2}:\d{2}(?::\d{2})?\][^\S\n]*)?(?:\[[A-Z][A-Z ]{1,15}\][^\S\n]*)?"
    # a post quoted inside another keeps its quotation mark: "> Lina Haddad (@lina): …"; a
    # repost its mark before the account reposted: "RT @SyriaCivilDef: …"
    r"(?:>[^\S\n]*)*(?:RT[^\S\n]+(?=@\w))?"
    # a page taken down as Markdown sets the label in bold: "**Spokesman**: …", "**Q:** …"
    r"[\"“]?(?:\*\*|__)?(?P<source>[^:“”\"\n]{2,120}?)(?:\*\*|__)?:(?:\*\*|__)?"
    # 'Rep. Trey Gowdy (R-S.C.):"I have not heard …"': a house style with no space before
    # the quotation
    r"(?:[^\S\n]+|(?=[\"“]))"
    r"(?P<content>\S[^\n]*)$",
    re.M,
)
# A line's label longer than this is a sentence, not a speaker, unless a digest's dash
# introduces the speaker after a topic (see :func:`_colon_lines`).
_LINE_LABEL_MAX = 60


def _singular(word: str) -> str:
    """A plural noun's singular, roughly ("aides", "officials"): enough for the word lists."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


# A headline label naming its speaker before a topic or after "from".
_TOPIC_LABEL = re.compile(
    r"(?P<name>[A-Z][^,:]*?) on (?:the )?[A-Z][^,:]*|[A-Z][^,:]*? from (?P<name2>[A-Z][^,:]*)"
)


def _before_the_post(words: list[str]) -> list[str]:
    """The words of a line's label up to where a role noun's place begins: "correspondent at
    the Rahma hospital", "nurse in the field clinic". A role then "at" or "in" names one
    person by what they do and where ("Our correspondent at the Rahma hospital: …"), whose
    place may be any common noun; a headline's topic ("Frustration with police:") has no
    role before its preposition, and is still refused for its own words."""
    roles = _ROLES | _PEOPLE_NOUNS | _WITNESSES | _BROADCAST_ROLES
    for at, word in enumerate(words[:-1]):
        if _singular(word.lower()) in roles and words[at + 1] in ("at", "in"):
            return words[: at + 1]
    return words


def _name_tokens(doc: Doc, start: int, end: int) -> list[Token] | None:
    """The tokens of a short name-like phrase (at most five words, capitalised, no verb or
    number) between character offsets, without a bracketed remark after the name ("JONES
    (voice-over)"); None when the phrase is no such name."""
    phrase = text_of(doc)[start:end]
    named = re.sub(r"\([^)]*\)", "", phrase)  # "JONES (voice-over)": the bracket aside
    words = phrase.split()
    # "Emily Thornberry (Islington South and Finsbury) (Lab):", a member, her seat and party
    # "truthseeker (@truthseeker99):", a post's author by a display name in lower case: the
    # handle after it says it is an account's name
    # a role and its place may run longer: "Our correspondent at the Rahma hospital"
    placed = len(_before_the_post(named.split()[1:])) + 1 < len(named.split())
    if (
        not words
        or len(named.split()) > (8 if placed else 5)
        or not (
            words[0][:1].isupper()
            or _HANDLE.search(phrase)
            or re.fullmatch(r"@\w{2,30}", phrase.strip())  # "RT @SyriaCivilDef:", the account
        )
    ):
        return None
    if (
        "," in named
        or any(
            word[:1].islower()
            and word not in _NAME_PARTICLES
            and not word.startswith(_ARTICLES)  # "al-Assad", "el-Sisi"
            and _singular(word.rstrip(".").lower())
            not in _ROLES | _PEOPLE_NOUNS | _WITNESSES | _ORG_WORDS | _BROADCAST_ROLES
            and word not in ("of", "the", "for", "to", "at", "in", "and", "camp", "campaign")
            for word in _before_the_post(named.split()[1:])
        )
    ):
        # "Ah, friends once more: Ted Cruz endorses …", "Frustration with police: …": a
        # headline's topic, not a speaker ("Syria's envoy to the UN:" still is one)
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    shouted = named.strip().isupper()  # "LAVROV:", "TENNARI (through translator):", in capitals
    # "Mr. Safronkov (Russian Federation) (spoke in Russian):": a bracket's words are no name's
    bracket = start + phrase.index("(") if "(" in phrase else end
    if span is None or any(
        token.pos_ in ("NUM", "AUX") or (token.pos_ == "VERB" and not shouted)
        for token in span
        if token.idx < bracket
    ):
        return None  # the tagger reads a surname in capitals as a verb; "FIX IS IN:" is none
    if shouted and len(words) == 1 and len(phrase.strip()) < 2:
        return None  # "A:", "Q:"
    tokens = _trim(list(span))
    if "(" in phrase:
        # "JONES (voice-over):", "SEN. JOHN MILLER (R-TX):": the name is before the bracket
        tokens = _trim([token for token in tokens if token.idx < start + phrase.index("(")])
    return tokens or None


# Where a post says an official spoke, as a hashtag closing the label: "… Safronkov at #UNSC".
_AT_HASHTAG = re.compile(r"[^\S\n]+at[^\S\n]+#[A-Za-z]\w*[^\S\n]*$")
# A label that is one hashtag of a capitalised name, as posts put a speaker: "#Lavrov:".
_HASHTAG_NAME = re.compile(r"#[A-Z][\w'-]{1,40}")


def _hashtag_person(doc: Doc, start: int, end: int) -> bool:
    """Whether the label between character offsets is one hashtag of a person's name
    ("#Zakharova"), as an account's post names whom it quotes; a hashtag of a place or a
    topic ("#Syria:", "#BREAKING:") heads a post about it and names no speaker."""
    if not _HASHTAG_NAME.fullmatch(text_of(doc), start, end):
        return False
    span = doc.char_span(start + 1, end, alignment_mode="expand")
    return span is not None and all(token.ent_type_ == "PERSON" for token in span)


# An account's handle in brackets after its display name: "(@SyriaCivilDef)".
_HANDLE = re.compile(r"\(@\w{1,30}\)")


# What a line's label ends with when it names a kind of text, not a speaker: "Editor's note:",
# "The Latest:", "UPDATE:", "VIDEO:", "Monday's Morning Email:", "A reminder:", "Name:".
_LINE_LABELS = frozenset(
    [
        "note",
        "notes",
        "latest",
        "update",
        "updates",
        "video",
        "videos",
        "email",
        "reminder",
        "name",
        "correction",
        "clarification",
        # a paper's withdrawal of a story, headed by the story's headline ("Retraction:
        # "Doctor says …"", "Apology: …"): the paper's notice, not a speaker's line
        "retraction",
        "apology",
        "erratum",
        "corrigendum",
        "disclosure",
        "photo",
        "photos",
        "watch",
        "related",
        "week",
        "digest",
        "briefing",
        "summary",
        "timeline",
        "chronology",
        "factbox",
        "explainer",
        "thread",  # a social-media thread's title: "Thread: what we know about …"
        # a channel's mark of haste over a message ("Urgent: reports of …", "Breaking: …"),
        # as a wire's "URGENT" or "BREAKING" is (see _ALERT_KIND), written as a word
        "urgent",
        "breaking",
        # a forum post's later additions by its own author ("EDIT: the WHO now says …"): the
        # mark of an amendment, not a speaker; what follows is the poster's, read by the rules
        "edit",
        "edited",
        # a diplomatic cable's subject line and its drafter's comment
        "subject",
        "comment",
        # a journalist's turn in a transcript asks; it claims nothing
        "question",
        "q",
        # a fact check's labels: what is checked, and the checker's rating of it; the kind of
        # text a headline opens with ("FACT CHECK: No, the victims were not actors")
        "claim",
        "verdict",
        "rating",
        "check",
        "fact-check",
        "factcheck",
        # a myth-buster's pairs ("MYTH: …" / "FACT: …")
        "myth",
        "myths",
        "fact",
        "facts",
        "reality",
        "truth",
        # a case record's fields, each a property of the record, not a speaker ("Outlet: RT
        # Arabic", "Language: Arabic", "Keywords: Chemical weapons")
        "outlet",
        "outlets",
        "language",
        "languages",
        "keywords",
        "tags",
        "disproof",
        # a page's flags, which are written in capitals like a transcript's names
        "breaking",
        "exclusive",
        "developing",
        "confirmed",
        "opinion",
        "analysis",
        "editorial",
        "warning",
        "live",
        "alert",
        "wow",
        "source",
        "sources",
        "caption",
        "credit",
        # a release's or an official document's numbering and language fields ("Release No:
        # NR-127-17", "Original: ENGLISH"), which file the document and speak for no one; a
        # United Nations document's distribution field ("Distr.: General") is another
        "no",
        "original",
        "distr",
        "distr.",
        # the sections of a paper or a report, which its authors write
        "abstract",
        "background",
        "introduction",
        "methods",
        "results",
        "discussion",
        "conclusion",
        "conclusions",
        "objective",
        "objectives",
        "highlights",
        "overview",
        # a transcript's own heading and the list of those who speak in it, whose names follow
        # ("TRANSCRIPT: …", "Presenters: Navy Capt. Jeff Davis, …"; one "PRESENTER:" speaks)
        "transcript",
        "presenters",
        "participants",
        "panelists",
        "panellists",
        "attendees",
        # a review's or a bulletin's pointer to what comes in a later edition ("Tomorrow:
        # reactions in the Gulf press", "Coming up next: …"), a time and no speaker
        "tomorrow",
        "tonight",
        "next",
        "later",
        # a standing feature's name heading a story ("Notebook: On the border", "Explainer:
        # …"), the kind of piece and no one who speaks
        "notebook",
        "diary",
        "explainer",
        "factbox",
        # a sanctions listing's statement of reasons for each person listed ("Reasons:
        # Responsible for the production of the sarin …"), which the listing body writes
        "reasons",
        "grounds",
        "justification",
        # a meeting's minutes: who came and who sent apologies ("Present: Ms. A. Brennan
        # (Chair), …"), and what is to be done by whom ("Action: Clerk to write to …")
        "present",
        "attendance",
        "apologies",
        "absent",
        "action",
        "actions",
        # the header fields of an e-mail or a memorandum ("From: Helen Marsh <…>", "To: …",
        # "MEMORANDUM FOR: Director …", "CLASSIFICATION: INTERNAL"), which say who wrote to
        # whom and when, and a survey's fieldwork line: addresses and dates, no one speaking
        "from",
        "to",
        "cc",
        "bcc",
        "date",
        "sent",
        "for",
        "classification",
        "recommendation",
        "recommendations",
        "attachment",
        "attachments",
        "fieldwork",
        # a mail's flags and a memorandum's routing and filing lines ("Importance: High",
        # "THROUGH: Deputy Director", "REF: Your minute of 5 April", "ATTN: Legal Adviser",
        # "Enclosure: Map …"), and a release's press contact ("Contact: Jane Doe, +41 …")
        "importance",
        "priority",
        "sensitivity",
        "through",
        "ref",
        "re",
        "attn",
        "attention",
        "enclosure",
        "enclosures",
        "encl",
        "contact",
        "contacts",
        "distribution",
        # a scholarly paper's or a manuscript's front matter: where to write, which manuscript,
        # its title and the editor's decision ("Correspondence: a.b@…", "Manuscript ID: JCD-…",
        # "Decision: Major revision"), and the laboratory a report comes from: fields, not speakers
        "correspondence",
        "id",
        "title",
        "decision",
        "laboratory",
        # a case report's and a laboratory report's own fields, and a press office's contact
        # line ("Consent: Written informed consent was obtained …", "Funding: None", "Report
        # No.: TOX-2017/0418", "Communications: E. Tas, WHO"): what the record states, no turn
        "consent",
        "funding",
        "no",
        "no.",
        "communications",
        # an incident report's, an archive's and an appeal's own fields ("Location: Khan
        # Shaykhun, near the silos", "Status: Verified", "Collection: …", "Salutation: Your
        # Excellency"): where, how far checked, filed under what, how to address; no one's turn
        "location",
        "status",
        "collection",
        "salutation",
        # a meeting note's header and its closing list ("Place: committee tent", "Venue: …",
        # "Action points:"): where it met and what is to be done, no one's turn
        "place",
        "venue",
        "points",
        # a statement's or an interview record's filing fields: when it came in or was taken
        # down ("Received: 21 July 2017. Statement written in Arabic …", "Recorded: Antakya")
        "received",
        "recorded",
    ]
)
# A report's or a judgment's section number in roman figures: "III. FIRST GROUND OF APPEAL:
# …" is a heading, whatever stands after its colon.
_ROMAN_SECTION = re.compile(r"[IVX]{1,5}\.[^\S\n]+")
# A numbered part of a programme, a paper or a book as a line's label: "Session 4B: Chemical
# Weapons Attribution", "Table 2: Admissions by hour", "Chapter 3: The critics": the title of
# that part follows, said by no one.
_NUMBERED_PART = re.compile(
    r"(?:Session|Panel|Table|Figure|Fig\.|Chapter|Section|Part|Appendix|Annex|Box|Track"
    r"|Workshop|Step|Phase|Stage|Module|Theme|Plenary)[^\S\n]+(?:\d+[A-Za-z]?|[IVX]{1,5}|[A-H])"
    r"(?:\.\d+)*[^\S\n]*"
)


def _account_label(doc: Doc, start: int, end: int) -> list[Token] | None:
    """A roundup's label naming whose account posted the quotation after it: "The White
    Helmets' Arabic channel: "Our volunteers were …"". The account's lower-case word keeps
    it from being a name, but a named owner's account before a quotation speaks for its owner
    (the quotation mark after the colon says the line gives someone's words)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) > 7 or span.root.lemma_.lower() not in _ACCOUNTS:
        return None
    if span.root.i != span[-1].i or any(t.pos_ in ("VERB", "AUX", "NUM") for t in span):
        return None
    owner = next((c for c in span.root.children if c.dep_ == "poss"), None)
    if owner is None or owner.pos_ == "PRON":
        return None  # "Our channel:", "Its own comment underneath:"
    if not any(t.text[:1].isupper() for t in owner.subtree if t.pos_ != "DET"):
        return None  # "The family's page:", no one named
    return _trim(list(span))


# The kinds of long-form writing a title line names, before or after its colon: "Profile: the
# investigator who …", "Voices from the town: an oral history", "Obituary: …"; such a line is a
# title, and no one says what follows its colon.
_WRITING_KINDS = frozenset(
    {
        "profile",
        "obituary",
        "tribute",
        "excerpt",
        "feature",
        "essay",
        "memoir",
        "history",
        "histories",
        "testimonies",
        "portrait",
        "dispatch",
        # an opinion page's own labels: "THE DEBATE: Was the strike right?", "Opinion: …"
        "debate",
        "opinion",
        "editorial",
        "column",
        "commentary",
    }
)
# A book's part or a collection's title before a colon: "From Chapter Seven:", "Part II:",
# "Voices from Aleppo:", "Letters from the front:".
_BOOK_HEADING = re.compile(
    r"(?:from\s+)?(?:chapter|part|book|section)\s+[\w-]+"
    r"|(?:voices|letters|scenes|portraits|stories|notes|lives)\s+(?:from|of)\s.*",
    re.I,
)


def _title_line(label: str, content: str) -> bool:
    """Whether a line ``label: content`` is a title of long-form writing, not a turn: its label
    is a book's part or a collection's name, or either side names the kind of writing."""
    if _BOOK_HEADING.fullmatch(label.strip()):
        return True
    words = re.findall(r"[A-Za-z]+", label.lower())
    said = re.findall(r"[A-Za-z]+", content.lower())
    return bool(
        (words and words[-1] in _WRITING_KINDS)
        or (said and said[-1] in _WRITING_KINDS and len(said) <= 4)
    )


_BRACKET_AFTER = re.compile(r"[^\S\n]*\([^()\n]*\)[^\S\n]*\Z")


_TIMED_LINE = re.compile(r"[^\S\n]*\[\d{1,2}:\d{2}(?::\d{2})?\]")


def _log_initials(text: str, match: re.Match[str]) -> bool:
    """ "[07:40] AH: Called the health directorate. They confirm …": in a desk's timed log,
    two or three capitals that name no body and occur nowhere but as such labels are the
    initials of the entry's writer, whose note it is, not a speaker's turn."""
    label = match.group("source").strip()
    if not re.fullmatch(r"[A-Z]{2,3}", label) or not _TIMED_LINE.match(match.group(0)):
        return False
    if known_body(label) or label in ("UN", "EU", "US", "UK", "WHO", "MSF", "ICRC", "AFP"):
        return False
    labels = len(re.findall(rf"\]\s*{label}:", text))
    return len(re.findall(rf"\b{label}\b", text)) == labels


def _line_content(doc: Doc, start: int, end: int) -> Span:
    """What a line or paragraph gives its speaker, without the full stop that closes it (an
    ellipsis is kept)."""
    content = _span(doc, start, end)
    if content.text.endswith(".") and not content.text.endswith(".."):
        content = Span(content.text[:-1], content.start, content.end - 1)
    return content


def _outlet_check(label: list[str]) -> bool:
    """ "Wash Post Fact-Check: If Obama Says It, It's True": a fact check an outlet names as
    its own speaks, as PolNeAR marks it; a bare "FACT CHECK:" is a label. So does a watchdog
    whose name ends in "Watch" ("Judicial Watch: State Department Hid …", "Human Rights
    Watch: …"), where "Watch:" or "Live Watch:" alone is a page's label."""
    if len(label) > 2 and label[-1].lower() in ("check", "fact-check", "factcheck"):
        return True
    return (
        len(label) >= 2
        and label[-1] == "Watch"
        and label[-2][:1].isupper()
        and label[-2].lower() not in _WATCH_LABELS
    )


# Words before "Watch:" that make it a page's label, not a watchdog's name.
_WATCH_LABELS = frozenset({"must", "live", "video", "now", "please", "also", "and", "or"})


# A television script's production cues before a colon: what is on tape or on screen, never
# who speaks ("SLUG:", "VO:", "SOT:", "LOWER THIRD:", "SUPER:", "ANCHOR TAG:"). A caption's
# words are a headline's, left to the rules; a sound bite's speaker is named after "SOT:"
# (see :func:`_sound_bites`).
_SCRIPT_CUES = frozenset(
    {"slug", "vo", "v/o", "sot", "vo/sot", "vosot", "nats", "nat sound", "natsot", "super"}
    | {"supers", "cg", "chyron", "lower third", "lower-third", "graphic", "gfx", "full screen"}
    | {"anchor tag", "tag", "bite", "soundbite", "sound bite", "standup", "stand-up", "pkg"}
    | {"package", "runs", "total running time", "trt", "ots", "intro", "outcue", "out cue"}
)


def _script_cue(label: str) -> bool:
    """Whether a line's label is a television script's production cue."""
    return re.sub(r"\s+", " ", label.strip().lower()) in _SCRIPT_CUES


# A sound bite in a television script: "SOT: CAPT. JEFF DAVIS, PENTAGON SPOKESMAN" names who
# speaks on tape (a bracket after says how: "(IN RUSSIAN, VOICE OF INTERPRETER)"), and the
# quotation on the line below is theirs.
_SOUND_BITE = re.compile(
    r"^[^\S\n]*(?:SOT|SOUNDBITE|SOUND[^\S\n]BITE|BITE|VO/SOT)[^\S\n]*:[^\S\n]*"
    r"(?P<source>(?P<name>[^\n(),:]{2,60}?)(?:,[^\n():]{2,80}?)?)[^\S\n]*(?:\([^()\n]*\))?"
    r"[^\S\n]*\n[^\S\n]*(?P<content>[\"“][^\n]*)$",
    re.M,
)


# A turn in the Congressional Record: the member's surname in capitals after the courtesy
# title, or the chair's office, then a full stop, not a colon ("Mr. DURANT. Mr. President, I
# rise …", "The PRESIDING OFFICER. Without objection, it is so ordered.").
_FLOOR_TURN = re.compile(
    r"^[^\S\n]*(?P<source>(?P<name>(?:Mr|Mrs|Ms|Miss)\.[^\S\n]+[A-Z][A-Z'’-]+"
    r"(?:[^\S\n]+of[^\S\n]+[A-Z][a-z]+(?:[^\S\n]+[A-Z][a-z]+)?)?)"
    r"|The[^\S\n]+(?:PRESIDING[^\S\n]+OFFICER|ACTING[^\S\n]+PRESIDENT[^\S\n]+pro[^\S\n]+"
    r"tempore|PRESIDENT[^\S\n]+pro[^\S\n]+tempore|SPEAKER[^\S\n]+pro[^\S\n]+tempore"
    r"|CHAIR|SPEAKER|CHAIRMAN|CHAIRWOMAN))"
    r"\.[^\S\n]+(?P<content>[A-Z\"“][^\n]*)$",
    re.M,
)


def _floor_turns(doc: Doc) -> list[Attribution]:
    """The Congressional Record marks who speaks with "Mr. DURANT." at the head of the
    paragraph, where a transcript has "DURANT:"; without the colon the label reads as a sentence
    of its own, and the senator's "I" as nobody's."""
    text = text_of(doc)
    found = []
    for match in _FLOOR_TURN.finditer(text):
        tokens = _name_tokens(doc, *match.span("name")) if match.group("name") else None
        source = _span(doc, *match.span("source"))
        if match.group("name") and tokens is None:
            continue
        if tokens is not None:
            speaker = describe(_without_honorific(tokens))
        else:
            office = _uncapitalised(source.text.split(None, 1)[1])
            speaker = Speaker(name=office, type="person", title=office)
        content = _line_content(doc, *match.span("content"))
        stop = match.end("source")
        cue = _span(doc, stop, stop + 1)
        sentence = _span(doc, match.start(), match.end())
        found.append(Attribution(cue, content, source, speaker, sentence, ":/PUNCT", how="line"))
    return found


def _sound_bites(doc: Doc) -> list[Attribution]:
    """A script's sound bites: the speaker named after "SOT:" says the quotation below."""
    text = text_of(doc)
    found = []
    for match in _SOUND_BITE.finditer(text):
        tokens = _name_tokens(doc, *match.span("name"))
        if tokens is None:
            continue
        source = _span(doc, *match.span("source"))
        content = _line_content(doc, *match.span("content"))
        colon = text.find(":", match.start(), match.start("source"))
        cue = _span(doc, colon, colon + 1)
        speaker = describe(_without_honorific(tokens))
        if match.group("name").strip().isupper():
            speaker = replace(
                speaker, name=_uncapitalised(speaker.name), title=speaker.title.lower()
            )
        sentence = _span(doc, match.start(), match.end())
        found.append(Attribution(cue, content, source, speaker, sentence, ":/PUNCT", how="line"))
    return found


# What an exported chat writes in a message's place: an attachment left out, a deleted
# message, the mark over a forwarded one (whose words are another's), a missed call. The
# sender says none of it. (A left-to-right mark may precede it.)
_CHAT_NOTE = re.compile(
    r"[\u200e\u200f]?(?:<[^<>\n]*(?:omitted|attached)[^<>\n]*>|[\w ]{0,12}omitted"
    r"|(?:This|You deleted this) message was deleted|You deleted this message|Forwarded"
    r"|Missed (?:voice|video) call|null)",
    re.I,
)


# A name given by its initials and surname alone ("K. Varga", "Dr. P. A. Holm"): after a label's
# colon it signs a report's line, as its author or checker; no one says a name and nothing more.
_INITIALLED_NAME = re.compile(
    r"(?:(?:Dr|Prof|Mr|Ms|Mrs)\.?[^\S\n]+)?(?:[A-Z]\.[^\S\n]*){1,3}[A-Z][\w'’-]+"
)


# A page's trail of sections, from the site down to the page ("Middle East Politics › Syria ›
# Khan Shaykhun"): two marks of a step between words.
_BREADCRUMB = re.compile(r"\S[^\S\n]*[›»][^\S\n]*\S[^\n]*?[^\S\n]*[›»][^\S\n]*\S")


def _not_across_a_line_label(found: list[Attribution]) -> list[Attribution]:
    """ "Eliot Ward (@eliotward_osint): The first videos were posted before 8am": the parser
    may take the name before a line's colon for the subject of the verb after it ("Ward …
    were posted"), and a passive cue then gets the label and the colon as its content. A
    content that holds a whole line label, its speaker and its colon, runs across two
    people's words and is no saying; the line's own relation (the poster's words) stays, and
    so does a line that reposts another's ("RT @mfa_russia: Lavrov: …" is the account's post
    of Lavrov's words)."""
    labels = [
        item
        for item in found
        if item.cue_i < 0 and item.cue.text == ":" and item.source is not None
    ]
    return [
        item
        for item in found
        if (item.cue_i < 0 and item.cue.text == ":")
        or not any(
            label is not item
            and label.source is not None
            and item.content.start <= label.source.start
            and label.cue.start < item.content.end
            for label in labels
        )
    ]


def _colon_lines(doc: Doc) -> list[Attribution]:
    """Headline and transcript lines of the form ``Speaker: what they said``.

    The part before the colon must be a short name-like phrase (no verb, capitalised), so that
    "Wait, it gets better:" or "9:30 a.m.:" are not taken for speakers, and no label of a kind
    of text ("Editor's note:", "UPDATE:"); what follows must have a word, so that a tally
    ("Sanders: 1,547") is no claim.
    """
    found: list[Attribution] = []
    asked = False  # the turn before was a question
    for match in _COLON_LINE.finditer(text_of(doc)):
        start, end = match.span("source")
        # "UPDATE (10 April):": the label's bracketed date or place is no part of its kind;
        # "QUESTION (Reuters, in English):", "QUESTION (Al Mayadeen) [translated from
        # Arabic]:": the bracket says who asks and in what language; the label is still a question
        label_words = _STAGE_NOTES.sub(" ", match.group("source")).split() or ["-"]
        unbracketed = _BRACKET_AFTER.sub("", match.group("source")) or match.group("source")
        if (
            label_words[-1].lower() in _LINE_LABELS
            or unbracketed.split()[-1].lower() in _LINE_LABELS
        ) and not _outlet_check(label_words):
            asked = label_words[-1].lower() in ("question", "q")
            continue
        if _title_line(match.group("source"), match.group("content")):
            continue
        if _BREADCRUMB.search(match.group("content")):
            continue  # "Forum: Middle East Politics › Syria › …": where a page sits, not words
        if _inside_brackets(match.group("source")):
            continue
        if _ROMAN_SECTION.match(match.group("source")):
            continue
        if _NUMBERED_PART.fullmatch(match.group("source")):
            continue  # "Session 4B: …", a programme's part and its title
        interpreting = label_words[0].lower() in _INTERPRETERS and len(label_words) <= 2
        if interpreting and asked:
            continue  # the interpreter puts the question to the speaker: it asks, as it did
        if not any(char.isalpha() for char in match.group("content")):
            continue
        if _log_initials(text_of(doc), match):
            continue
        c_at = match.start("content")
        if _script_cue(match.group("source")):
            continue  # "SLUG: …", "LOWER THIRD: …", "SOT: NAME, TITLE" (see _sound_bites)
        if _credit_line(doc, match.group("source"), match.group("content"), match.start("content")):
            continue  # "Newsreader: Claire Dunmore.", a script's credit
        if _INITIALLED_NAME.fullmatch(match.group("content").strip()):
            continue  # "Analyst: K. Varga", "Checked by: Dr. P. Holm": a report's signing line
        if _participant_field(doc, match.group("source"), match.group("content"), c_at):
            continue  # "Interviewee: KS-W23, male, driver", a record's heading names who took part
        if _CHAT_NOTE.fullmatch(match.group("content").strip()):
            continue  # a chat's own note in a message's place: "<Media omitted>", "Forwarded"
        if match.group("content")[:1] in _OPENING:
            # a digest's "Pollsters agree - Carl Bialik: “...”", "More from Jones: “...”": the
            # speaker is named after the topic's dash, or after "More from"
            label = match.group("source")
            dash = max(label.rfind(f" {mark} ") for mark in "-–—")
            start += dash + 3 if dash >= 0 else 0
            if text_of(doc).startswith("More from ", start):
                start += len("More from ")
        numbered = _QUESTION_NUMBER.match(text_of(doc), start, end)
        if numbered is not None:
            start = numbered.end()  # "1. Tom Tugendhat (Tonbridge and Malling) (Con):"
        if _hashtag_person(doc, start, end):
            # an account's post quoting someone under a hashtag of their name ("#Zakharova:
            # Russia has always called for …"): the name after the mark is the speaker
            start += 1
        office = _OFFICE_LABEL.fullmatch(text_of(doc), start, end)
        if office is not None and any(
            _singular(word.lower()) in _ROLES | _BROADCAST_ROLES
            for word in office.group("office").split()
        ):
            # a parliament's record: "The Secretary of State for Foreign and Commonwealth
            # Affairs (Boris Johnson):" names the member in the bracket
            start, end = office.span("name")
        end = start + _name_before_role(text_of(doc)[start:end])
        if end - start > _LINE_LABEL_MAX:
            continue
        tokens = _name_tokens(doc, start, end)
        venue = _AT_HASHTAG.search(text_of(doc)[start:end])
        if tokens is None and venue is not None:
            # a post's "Deputy Permanent Representative Safronkov at #UNSC: …": where the
            # official spoke, written as a hashtag, is no part of who speaks
            tokens = _name_tokens(doc, start, start + venue.start())
        if tokens is None:
            # a headline's "Obama on Climate Change: …", "A lesson from Loretta Lynch: …"
            topic = _TOPIC_LABEL.fullmatch(text_of(doc), start, end)
            if topic is not None:
                group = "name" if topic.group("name") else "name2"
                first, last = topic.span(group)
                name = text_of(doc)[first:last].strip()
                named = any(
                    ent.label_ in _NAMED
                    and (
                        (ent.start_char < last and ent.end_char > first)
                        or name in (ent.text, ent.text.split()[-1])  # named so elsewhere
                    )
                    for ent in ents_of(doc)
                )  # "Obama on Climate Change:", not "Success on Signature Issue:"
                tokens = _name_tokens(doc, first, last) if named else None
        if tokens is None and match.group("content")[:1] in _OPENING:
            tokens = _account_label(doc, start, end)
        if tokens is None or _led_by_preposition(tokens):
            continue
        c_start, c_end = match.span("content")
        said = doc.char_span(c_start, c_end, alignment_mode="expand")
        if is_town(_text_of(tokens)) and text_of(doc)[c_start] not in _OPENING:
            continue  # "Khan Shaykhun: what we know": a town is a topic; it never speaks
        if (
            said is not None
            and (
                all(token.ent_type_ in ("GPE", "NORP") for token in tokens)
                or is_place(_text_of(tokens))  # "Syrian Arab Republic: Idlib Flash Update"
            )
            and text_of(doc)[c_start] not in _OPENING
            and not any(token.pos_ in ("VERB", "AUX") for token in said)
        ):
            continue  # "Syria: Chemical attack on Khan Shaykhun", a report's title
        if _place_of_the_story(_text_of(tokens), match.group("content")):
            continue
        if (
            said is not None
            and tokens[-1].lower_ in ("report", "reports")
            and not any(token.pos_ in ("VERB", "AUX") for token in said)
        ):
            # "SAMS Field Report: The Chemical Attack on Khan Shaykhun", a report's title (but
            # a headline's "Report: Half of the meetings were with donors" is what it reports)
            continue
        c_start = _past_stage_note(doc, c_start, c_end)
        content = _line_content(doc, c_start, c_end)
        source = _token_span(tokens)
        if source is None or len(content.text) < 3:
            continue
        colon_at = text_of(doc).index(":", match.end("source"))  # past a bold label's "**"
        colon = _span(doc, colon_at, colon_at + 1)
        sentence = _span(doc, match.start(), match.end())
        speaker = _whole_shouted_name(tokens, describe(_without_honorific(tokens)))
        speaker = _as_written_elsewhere(doc, speaker)
        if interpreting and found and found[-1].speaker is not None:
            # consecutive interpretation: the interpreter speaks the minister's words in the
            # minister's first person ("INTERPRETER: We consider this an act of aggression"),
            # so the turn, and its "we", are those of the speaker whose turn it renders
            speaker = found[-1].speaker
        asked = False
        turn = _next_turn_in_line(doc, content)
        if turn is not None:
            content = _cut_before(text_of(doc), content, turn.sentence.start) or content
        found.append(Attribution(colon, content, source, speaker, sentence, ":/PUNCT", how="line"))
        if turn is not None:
            found.append(turn)
        if "@" in match.group("source"):
            found += _quoted_in_post(doc, content, sentence)
    return found


# 'Clinton: "Our goal is to defeat ISIS." Bush: "The mission is to destroy ISIS."': a second
# speaker's name and colon after a closing quotation mark, and their quotation.
_TURN_AFTER_QUOTE = re.compile(
    r"(?<=[”\"])[^\S\n]+(?P<name>[A-Z][\w.'’-]*(?:[^\S\n]+[A-Z][\w.'’-]*){0,2}):[^\S\n]*"
    r"(?=[“\"])"
)


def _next_turn_in_line(doc: Doc, content: Span) -> Attribution | None:
    """The turn of a second speaker set in the same paragraph after a quoted turn ('Clinton:
    "…" Bush: "…"'), from that name to the end of the line; None when there is none, or the
    name is no proper name."""
    text = text_of(doc)
    match = _TURN_AFTER_QUOTE.search(text, content.start, content.end)
    if match is None:
        return None
    span = doc.char_span(*match.span("name"), alignment_mode="expand")
    if span is None or not all(token.pos_ == "PROPN" for token in span) or is_place(span.text):
        return None
    said = _line_content(doc, match.end(), content.end)
    if len(said.text) < 3:
        return None
    tokens = list(span)
    colon = _span(doc, match.end("name"), match.end("name") + 1)
    return Attribution(
        colon,
        said,
        _token_span(tokens),
        describe(tokens),
        _span(doc, match.start("name"), content.end),
        ":/PUNCT",
        how="line",
    )


# What a post's text opens with when it quotes someone under their name: "Lavrov: the strikes
# were planned long before", "#Zakharova: …" (one to three capitalised words).
_POST_QUOTE_LABEL = re.compile(r"#?(?P<name>[A-Z][\w'.-]*(?:[^\S\n]+[A-Z][\w'.-]*){0,2}):[^\S\n]+")


def _quoted_in_post(doc: Doc, content: Span, sentence: Span) -> list[Attribution]:
    """ "RT @mfa_russia: Lavrov: the US strikes were planned long before …": the account's post
    (what the line gives the account) opens with a name and a colon, as posts quote an official;
    the words after that colon are the named one's too, a turn inside the post. Only for a
    label with an account's handle, and a name (no place, no flag such as "BREAKING")."""
    label = _POST_QUOTE_LABEL.match(text_of(doc), content.start)
    if label is None:
        return []
    start, end = label.span("name")
    span = doc.char_span(start, end, alignment_mode="expand")
    if (
        span is None
        or not all(token.pos_ == "PROPN" and token.ent_type_ in ("", "PERSON") for token in span)
        or is_place(span.text)
        or span.text.lower() in _LINE_LABELS
    ):
        return []  # "RT @mfa_russia: Syria: …", "RT @x: BREAKING: …": a topic, no one quoted
    said = _line_content(doc, label.end(), content.end)
    if len(said.text) < 3:
        return []
    colon = _span(doc, end, end + 1)
    tokens = list(span)
    return [
        Attribution(
            colon, said, _span(doc, start, end), describe(tokens), sentence, ":/PUNCT", how="line"
        )
    ]


# A subtitle transcript's speaker, who has no name, described in brackets at the head of a
# line: "[Man speaking Arabic]: Bring water!", "[Doctor, to camera]: …"; what follows a comma
# says how they speak ("crying", "off camera"), not who speaks.
_BRACKET_TURN = re.compile(
    r"^[^\S\n]*\[(?P<source>[A-Z][^\[\]:,\n]{1,50})(?:,[^\[\]:\n]{0,40})?\]:[^\S\n]+"
    r"(?P<content>\S[^\n]*)$",
    re.M,
)
# The words that make such a description one of a person ("[Text on screen: …]", "[Music]" are
# none): the nouns of people the rules know, and those a caption writes for a stranger.
_STRANGERS = frozenset(
    {"man", "woman", "men", "women", "boy", "girl", "child", "voice", "narrator", "speaker"}
    | {"soldier", "fighter", "father", "mother", "relative", "neighbour", "neighbor", "crowd"}
)


def _bracketed_turns(doc: Doc) -> list[Attribution]:
    """A subtitle transcript's turns of speakers described in brackets ("[Second man]: They
    were asleep"): the description is the source, as written, and the speaker; a note of what
    is heard rather than said that opens the turn is not part of it."""
    text = text_of(doc)
    found = []
    for match in _BRACKET_TURN.finditer(text):
        label = match.group("source")
        words = {_singular(word.lower()) for word in label.split()}
        if not words & (_STRANGERS | _PEOPLE_NOUNS | _WITNESSES | _ROLES | _BROADCAST_ROLES):
            continue
        c_start, c_end = match.span("content")
        c_start = _past_stage_note(doc, c_start, c_end)
        content = _line_content(doc, c_start, c_end)
        if len(content.text) < 3:
            continue
        source = _span(doc, *match.span("source"))
        colon_at = text.index("]:", match.start()) + 1
        colon = _span(doc, colon_at, colon_at + 1)
        speaker = Speaker(name=source.text, type="person")
        sentence = _span(doc, match.start(), match.end())
        found.append(Attribution(colon, content, source, speaker, sentence, ":/PUNCT", how="line"))
    return found


# A radio log's transmission: the time it went out, unbracketed, then the sender's call sign
# in capitals, a number after it when it names one crew of several ("06:55 NAJM 2: On scene,
# no fire. Over.", "07:31 BASE: All units …", "1412 RESCUE 7: …").
_RADIO_TURN = re.compile(
    r"^[^\S\n]*(?:\d{1,2}:\d{2}(?::\d{2})?|\d{4})[^\S\n]+"
    r"(?P<source>[A-Z][A-Z'-]+(?:[^\S\n][A-Z][A-Z'-]+)?(?:[^\S\n]\d{1,3})?)[^\S\n]*:[^\S\n]+"
    r"(?P<content>\S[^\n]*)$",
    re.M,
)
# So many timed lines of call signs make a log of transmissions, not a story with a time in it.
_RADIO_TURNS_MIN = 3


def _radio_turns(doc: Doc) -> list[Attribution]:
    """A transcribed radio log's transmissions: each timed line is said by the call sign before
    its colon, as a transcript's turn is by its speaker. The general reading of turns wants a
    bracketed time and a name without a number, and a call sign has none of either ("NAJM 2").
    Two or three capitals that stand nowhere but before such colons are a desk log's initials
    of whoever wrote the note, not a sender (see :func:`_log_initials`)."""
    text = text_of(doc)
    matches = list(_RADIO_TURN.finditer(text))
    if len(matches) < _RADIO_TURNS_MIN:
        return []
    found = []
    for match in matches:
        label = match.group("source").strip()
        if re.fullmatch(r"[A-Z]{2,3}", label) and len(re.findall(rf"\b{label}\b", text)) == len(
            re.findall(rf"\b{label}:", text)
        ):
            continue
        c_start, c_end = match.span("content")
        c_start = _past_stage_note(doc, c_start, c_end)
        content = _line_content(doc, c_start, c_end)
        if len(content.text) < 3 or not any(char.isalpha() for char in content.text):
            continue
        source = _span(doc, *match.span("source"))
        colon_at = text.index(":", match.end("source"))
        colon = _span(doc, colon_at, colon_at + 1)
        speaker = Speaker(name=source.text, type="group")
        sentence = _span(doc, match.start(), match.end())
        found.append(Attribution(colon, content, source, speaker, sentence, ":/PUNCT", how="line"))
    return found


def _interpreted_roles(found: list[Attribution]) -> None:
    """ "INTERPRETER: Sorry. The minister says that …": an interpreter who steps out of the
    first person names the one interpreted by role alone; inside the interpreter's turn, "the
    minister" (any role of the rules', without a name) is the speaker the turn renders."""
    turns = [
        item
        for item in found
        if item.how == "line"
        and item.source is not None
        and item.source.text.split()[0].lower() in _INTERPRETERS
        and item.speaker is not None
    ]
    for item in found:
        if item.source is None or item.how == "line":
            continue
        words = item.source.text.lower().split()
        if len(words) != 2 or words[0] != "the" or words[1] not in _ROLES:
            continue
        turn = next(
            (t for t in turns if t.content.start <= item.source.start < t.content.end), None
        )
        if turn is not None and turn.speaker is not None:
            item.speaker = turn.speaker


# A record's heading field naming who took part, at a line's head or after a field before it:
# "Interviewee: KS-W23, male, …", "Interpreter: Samir Haddad", "… Narrator: Yusuf al-Hamwi, b. 1961".
_ROLE_FIELD = re.compile(
    r"(?:^|(?<=\.[^\S\n]))[^\S\n]*(?P<role>Interviewer|Interviewee|Speaker|Narrator|Interpreter"
    r"|Translator|Witness|Respondent|Deponent|Declarant|Informant)[^\S\n]*:[^\S\n]+"
    r"(?P<name>(?:(?:Dr|Prof|Mr|Ms|Mrs)\.?[^\S\n]+)?(?:[A-Z]\.[^\S\n]*){0,3}[A-Z][\w'’-]+"
    r"(?:[^\S\n]+(?:[a-z]{1,3}-)?[A-Z][\w'’-]+){0,3})(?=[^\S\n]*(?:[(,.]|$))",
    re.M,
)
# The roles such a field gives, by the word a later sentence names the one who holds it with.
_ROLE_WORDS = {
    "interviewer": "interviewer",
    "interviewee": "witness",
    "speaker": "witness",
    "narrator": "narrator",
    "interpreter": "interpreter",
    "translator": "interpreter",
    "witness": "witness",
    "respondent": "witness",
    "deponent": "witness",
    "declarant": "witness",
    "informant": "witness",
}


def _participants_by_role(doc: Doc, found: list[Attribution]) -> None:
    """ "Interpreter: Samir Haddad" in an interview record's heading, then "The interpreter
    states that he translated faithfully": the heading names who holds each role, and a later
    "the interpreter", "the witness" (for the one interviewed), "the narrator" or "the
    interviewer" with no name of its own is that person. Only for a heading near the top that
    names one person per role."""
    named: dict[str, list[str]] = {}
    for match in _ROLE_FIELD.finditer(text_of(doc), 0, 800):
        if match.group("name").split()[0] in _FIELD_NOT_NAMES:
            continue
        named.setdefault(_ROLE_WORDS[match.group("role").lower()], []).append(match.group("name"))
    for item in found:
        if item.speaker is None:
            continue
        initials = item.speaker.name
        if re.fullmatch(r"[A-Z]{2,3}", initials) and not known_body(initials):
            # "Interviewer: R. Halvorsen (RH)", then "RH asked whether …": a log's writer
            # gives each interviewer's initials once, after the name, and writes them after
            owner = re.search(
                rf"(?P<name>(?:[A-Z]\.[^\S\n]*){{1,2}}[A-Z][\w'’-]+)[^\S\n]*\({initials}\)",
                text_of(doc),
            )
            if owner is not None:
                item.speaker = Speaker(
                    name=owner.group("name"), type="person", resolved_from=initials
                )
            continue
        names = named.get(_ROLE_WORDS.get(item.speaker.name.lower(), ""), [])
        if len(set(names)) == 1 and item.speaker.name.lower() in (
            "witness",
            "interviewee",
            "narrator",
            "interpreter",
            "translator",
            "interviewer",
        ):
            name = _INITIALS_AFTER.sub("", names[0])
            item.speaker = Speaker(name=name, type="person", resolved_from=item.speaker.name)


# A summary's section heading for one protected witness, on a line of its own: the witness's
# letter or code, then who they are in brackets ("Witness A (male, 41, farmer)", "W-12 (male, 52,
# shopkeeper)").
_WITNESS_HEADING = re.compile(
    r"^[^\S\n]*(?P<name>Witness[^\S\n]+[A-Z]{1,2}|[A-Z]{1,3}-[A-Z]?\d{1,5})"
    r"[^\S\n]*\([^()\n]{1,80}\)[^\S\n]*$",
    re.M,
)
# A line with no full stop, short enough to be a heading: where a witness's section ends.
_SHORT_HEADING = re.compile(r"^[^\S\n]*[A-Z][^\n.:]{0,60}$", re.M)


def _witness_sections(doc: Doc, found: list[Attribution]) -> None:
    """A summary of witness statements gives each witness a section under a heading with their
    code ("W-15 (female, 46, nurse)"), and in it "The witness stated …" (and a "she" that
    goes on, left as written for want of a name) is that witness. Only where two such headings or more head the text's parts, up
    to the next heading of any kind."""
    text = text_of(doc)
    headings = [(m.end(), m.group("name")) for m in _WITNESS_HEADING.finditer(text)]
    if len(headings) < 2:
        return
    sections = []
    for end, name in headings:
        stop = _SHORT_HEADING.search(text, end + 1)
        sections.append((end, stop.start() if stop else len(text), name))
    for item in found:
        # a "she" the resolver left as written, with no one named in the section, is the
        # witness the section is about
        if item.speaker is None or item.speaker.name.lower() not in ("witness", "he", "she"):
            continue
        at = item.cue.start
        section = next((s for s in sections if s[0] <= at < s[1]), None)
        if section is not None:
            item.speaker = Speaker(name=section[2], type="person", resolved_from=item.speaker.name)


# Words that open a field's value but name no one ("Speaker: Yes", "Witness: No").
_FIELD_NOT_NAMES = frozenset({"Yes", "No", "None", "Unknown", "Not", "N", "Anonymous"})
_INITIALS_AFTER = re.compile(r"[^\S\n]*\([A-Z]{1,4}\)$")


# Who renders another's words in a transcript: their turns speak for the one before them.
_INTERPRETERS = frozenset({"interpreter", "translator"})
# A transcript's bracketed notes: in a label, who asks or in what language ("QUESTION
# (Reuters, in English)"); at the head of a turn, what is heard or done rather than said
# ("[inaudible]", "(laughs)", "[interprets the question]", "(LAUGHTER)"), in lower case or all
# in capitals, so that an editor's insertion in a quotation ("[The army] did not …") stays.
_STAGE_NOTES = re.compile(r"\([^()\n]*\)|\[[^\[\]\n]*\]")
_STAGE_NOTE = re.compile(r"[\[(](?:[a-z][^\[\]()\n]{0,40}|[A-Z][^a-z\[\]()\n]{1,40})[\])][^\S\n]*")


def _past_stage_note(doc: Doc, start: int, end: int) -> int:
    """Where a turn's words begin, past the notes of what is heard rather than said that open
    it ("LAVROV: [inaudible]" says nothing; "A: (laughs) Let him come" says "Let him come");
    ``end`` when the turn is notes alone."""
    text = text_of(doc)
    note = _STAGE_NOTE.match(text, start, end)
    while note is not None:
        start = note.end()
        note = _STAGE_NOTE.match(text, start, end)
    return start if any(char.isalpha() for char in text[start:end]) else end


def _place_of_the_story(label: str, headline: str) -> bool:
    """Whether a line's label is the state where its headline's story happens, a press
    release's topic and no speaker: in "Syria: MSF treats victims of suspected chemical attack
    in Idlib" (or in capitals, "SYRIA: HORRIFIC CHEMICAL ATTACK ON KHAN SHAYKHUN …") the
    headline names a town of that state. ("Russia: the attack was staged" names none.)"""
    state = place_to_state(label.title()) if is_place(label.title()) else ""
    if not state:
        return False
    headline = headline.lower()
    return any(re.search(rf"\b{re.escape(town.lower())}\b", headline) for town in towns_in(state))


def _as_written_elsewhere(doc: Doc, speaker: Speaker) -> Speaker:
    """A transcript's label in capitals ("JENS STOLTENBERG:", or a host's given name alone,
    "NADIA:") names the one its heading or introduction writes as a name ("… by NATO Secretary
    General Jens Stoltenberg", "Hosts: Nadia Farouk and …"): the name as written there; the
    speaker as it was when the text writes it nowhere else."""
    name = speaker.name
    introduced = _role_introduced(doc, name) or _role_holder_named(doc, name)
    if introduced is not None:
        return _as_written_elsewhere(doc, replace(speaker, name=introduced, type="person"))
    if (
        name.isupper()
        and len(name.split()) == 1
        and name.lower() not in _ROLES
        # a given name, or at least no common word ("QUESTION:", "ANCHOR:") the text writes
        and (
            is_given_name(name)
            or not re.search(r"\b" + re.escape(name.lower()) + r"\b", text_of(doc))
        )
    ):
        # "NADIA:" after "Hosts: Nadia Farouk and Ben Ashworth": a podcast's hosts go by their
        # given names; the one full name the text writes with the label's word
        full_names = {
            normalise_space(match.group())
            for match in re.finditer(
                r"\b" + re.escape(name.title()) + r"[^\S\n]+[A-Z][\w'’-]+", text_of(doc)
            )
        }
        # "[CLIP] KONASHENKOV:" after "… Major General Igor Konashenkov": a surname, after a
        # given name the lists know
        full_names |= {
            normalise_space(match.group())
            for match in re.finditer(
                r"\b[A-Z][a-z]+[^\S\n]+" + re.escape(name.title()) + r"\b", text_of(doc)
            )
            if is_given_name(match.group().split()[0])
        }
        full_names = full_names or _named_in_capitals_or_alone(doc, name)
        if len(full_names) == 1:
            return replace(speaker, name=full_names.pop(), type="person")
        return speaker
    if not name.isupper() or len(name.split()) < 2:
        return speaker
    pattern = r"\b" + r"\s+".join(re.escape(word) for word in name.split()) + r"\b"
    for match in re.finditer(pattern, text_of(doc), re.I):
        written = normalise_space(match.group())
        if not written.isupper() and written[:1].isupper():
            return replace(speaker, name=written)
    return speaker


def _role_introduced(doc: Doc, label: str) -> str | None:
    """ "ANCHOR:" after "ANCHOR (DMITRY PETROV): …": a transcript names a role's holder in
    brackets at the first turn and writes the role alone after it; the one name the text gives
    that role, or None (two anchors, or none named)."""
    if label.lower() not in _BROADCAST_ROLES:
        return None
    names = {
        normalise_space(match.group(1))
        for match in re.finditer(
            r"(?im)^[^\S\n]*(?:\[[^\]\n]*\][^\S\n]*)?"
            + re.escape(label)
            # a name, not a manner ("CORRESPONDENT (voice-over):")
            + r"[^\S\n]*\(((?-i:[A-Z])[^()\n]{1,39})\)[^\S\n]*:",
            text_of(doc),
        )
    }
    return names.pop() if len(names) == 1 else None


# A factbox's speaker on a line of its own, what they said in the paragraph below it:
# "* RUSSIAN DEFENCE MINISTRY:" and then '"…"' or "Said the air force had struck …".
_LABEL_PARAGRAPH = re.compile(
    r"^[^\S\n]*(?P<bullet>[*•·\-–—][^\S\n]*)?(?P<source>[^\s:*•·][^:\n]{1,79}):[^\S\n]*\n"
    r"(?=(?:[^\S\n]*\n)?[^\S\n]*(?P<content>\S[^\n]*)$)",  # the next label may follow
    re.M,
)
# The verbs such a paragraph opens with, its subject being the label above it.
_LABEL_VERBS = frozenset(
    {"said", "says", "called", "calls", "denied", "denies", "accused", "accuses", "urged"}
    | {"urges", "warned", "warns", "blamed", "blames", "condemned", "condemns", "described"}
    | {"describes", "rejected", "rejects", "dismissed", "dismisses", "demanded", "demands"}
    | {"insisted", "insists", "told", "tells", "added", "adds", "welcomed", "welcomes"}
)
# "…, presidential sources said." closing such a paragraph: who reported the saying.
_CLOSING_REPORT = re.compile(
    r",[^\S\n]+(?:[^\s,]+[^\S\n]+){0,5}?(?:said|says|reported|reports|told[^\S\n]+\w+)\.?$"
)


def _label_paragraphs(doc: Doc) -> list[Attribution]:
    """A factbox of reactions: each speaker's label (in capitals, or after a bullet) on a line of
    its own, and below it a quotation, which is theirs, or a paragraph opening with a verb of
    saying and no subject ("Said the Syrian air force had struck …"), whose subject is the
    label. A paragraph with a subject of its own is left to the rules."""
    text = text_of(doc)
    found = []
    for match in _LABEL_PARAGRAPH.finditer(text):
        label = match.group("source")
        if not (match.group("bullet") or label.strip().isupper()):
            continue
        if label.split()[-1].lower() in _LINE_LABELS or _script_cue(label):
            continue
        start, end = match.span("source")
        office = _OFFICE_LABEL.fullmatch(text, start, end)
        role = (office.group("office") if office else label).split()
        on_air = len(role) == 1 and role[0].lower() in _BROADCAST_ROLES
        if on_air and office is not None:
            start, end = office.span("name")  # "ANCHOR (MARIA LOPEZ):", her turn
        tokens = _name_tokens(doc, start, end)
        if tokens is None:
            continue
        c_start, c_end = match.span("content")
        words = match.group("content").split()
        if text[c_start] in _OPENING or on_air:
            # a script's "ANCHOR:" over the lines the anchor reads, a turn as on one line
            cue = _span(doc, match.end("source"), match.end("source") + 1)
        elif words[0].lower() in _LABEL_VERBS and len(words) > 2:
            cue = _span(doc, c_start, c_start + len(words[0]))
            c_start = cue.end + 1
            closing = _CLOSING_REPORT.search(text, c_start, c_end)
            if closing is not None:
                c_end = closing.start()
        else:
            continue
        content = _line_content(doc, c_start, c_end)
        source = _token_span(tokens)
        if source is None or len(content.text) < 3:
            continue
        sentence = _span(doc, match.start("source"), match.end())
        speaker = describe(_without_honorific(tokens))
        if label.strip().isupper():
            speaker = replace(
                speaker, name=_uncapitalised(speaker.name), title=speaker.title.lower()
            )
        found.append(Attribution(cue, content, source, speaker, sentence, ":/PUNCT", how="line"))
    return found


# A resolution's subject on a line of its own at the top ("The Human Rights Council,"), and
# its numbered operative paragraphs, each opening with the body's verb ("1. Condemns …;").
# The subject may come after a title of a few heading lines, none a sentence ("EXECUTIVE
# COUNCIL DECISION / ADDRESSING THE THREAT … / The Executive Council,"); a legislature's
# resolution names it in its resolving clause instead ("Resolved, That the House of
# Representatives—"), and numbers its paragraphs "(1) condemns …". The blanks are taken
# whole (possessive), or lines of blanked stamps would be tried in every split.
_RESOLUTION_BODY = re.compile(
    r"\A\s*+(?:[^\n]*[^.\s][^\S\n]*+\n\s*+){0,6}?"
    r"(?:The[^\S\n]+)?(?P<name>[A-Z][\w'’-]*(?:[^\S\n]+[A-Z][\w'’-]*){0,5}),[^\S\n]*\n"
)
_RESOLVED_BODY = re.compile(
    r"^[^\S\n]*Resolved,?[^\S\n]+(?:by[^\S\n]+the[^\S\n]+[^\n,]+,[^\S\n]+)?That[^\S\n]+"
    r"(?:the[^\S\n]+)?(?P<name>[A-Z][\w'’-]*(?:[^\S\n]+[A-Z][\w'’-]*|[^\S\n]+of){0,5})"
    r"[^\S\n]*[—–:-]*[^\S\n]*\n",
    re.M,
)
_OPERATIVE = re.compile(
    r"^[^\S\n]*(?:\d{1,2}\.|\(\d{1,2}\))[^\S\n]+(?P<verb>[A-Za-z][a-z]+s)[^\S\n]+"
    r"(?P<content>[^\n]*?[^\s;.,])[;.,]?(?:[^\S\n]+and)?[^\S\n]*$",
    re.M,
)
# A preambular paragraph that says something ("Noting also that the Syrian Arab Republic has
# denied …,"): the body's claim too; one without a clause ("Recalling its previous
# resolutions,") only recites.
_CALLS_ON = re.compile(r"(on|upon)[^\S\n]+")
_PREAMBULAR = re.compile(
    r"^[^\S\n]*(?P<verb>Recalling|Noting|Recognizing|Recognising|Stressing|Emphasizing"
    r"|Emphasising|Reaffirming|Underlining|Acknowledging|Convinced|Concerned)"
    r"(?:[^\S\n]+(?:also|further|with(?:[^\S\n]+\w+)?[^\S\n]+concern))?[^\S\n]+"
    r"(?P<content>that[^\S\n][^\n]*?[^\s;.,])[;.,]?[^\S\n]*$",
    re.M,
)
_OPERATIVE_VERBS = frozenset(
    {
        *("condemns", "demands", "calls", "urges", "expresses", "stresses", "reaffirms"),
        *("deplores", "welcomes", "requests", "decides", "notes", "recalls", "emphasizes"),
        *("emphasises", "underlines", "encourages", "invites", "reiterates", "insists"),
        *("affirms", "recognizes", "recognises", "acknowledges", "reminds", "endorses"),
    }
)


def _operative_paragraphs(doc: Doc) -> list[Attribution]:
    """A resolution's operative paragraphs ("The Human Rights Council, … 1. Condemns in the
    strongest terms the use of chemical weapons …; 2. Demands that …"): each is a claim of
    the body the resolution opens with, though no paragraph names it (and the tagger may read
    "Condemns" as a noun)."""
    text = text_of(doc)
    body = _RESOLUTION_BODY.match(text) or _RESOLVED_BODY.search(text)
    if body is None or not any(w.lower() in _ORG_WORDS for w in body.group("name").split()):
        return []
    speaker = Speaker(name=body.group("name"), type="organisation")
    found = []
    matches = [*_OPERATIVE.finditer(text, body.end())]
    if matches:
        # the preamble runs from the body's line to the first operative paragraph
        matches += _PREAMBULAR.finditer(text, body.end(), matches[0].start())
    for match in matches:
        verb = match.group("verb")
        if match.re is _OPERATIVE and verb.lower() not in _OPERATIVE_VERBS:
            continue
        cue_end, content_start = match.end("verb"), match.start("content")
        particle = _CALLS_ON.match(text, content_start)
        if verb.lower() == "calls" and particle is not None:
            # "(3) calls on the President to …": the cue is the verb with its preposition
            cue_end, content_start = content_start + len(particle.group(1)), particle.end()
        cue = _span(doc, match.start("verb"), cue_end)
        content = _span(doc, content_start, match.end("content"))
        sentence = _span(doc, match.start(), match.end())
        word = next((t for t in doc if t.idx == match.start("verb")), None)
        lemma = verb.lower()[:-1] if word is None else word.lemma_.lower()
        key = f"{lemma}/VERB"
        found.append(Attribution(cue, content, None, speaker, sentence, key, how="operative"))
    return found


# What one supports with means, not with words: a programme, a regime, a force ("supports
# the regime's chemical weapons programme", "backed the militia").
_MATERIAL_SUPPORT = frozenset(
    {"programme", "program", "regime", "militia", "network", "army", "force", "operation"}
)


# Relative words that stand for a noun named before them, and the prepositions of a place or a
# means they follow ("from which", "in which"; not what is referred to, "to which").
_WHENCE_PREPS = frozenset({"from", "in", "at", "through", "by", "with", "where"})
_RELATIVES = frozenset({"which", "that", "who", "whom", "whose", "where"})


def _bare_relative(doc: Doc, item: Attribution) -> bool:
    """ "Shayrat airfield, from which the attack was launched": a content that is nothing but
    a relative word after a preposition of place or means stands for a place or a means,
    never for what someone said (a bare "which" as the object, "the plan, which he
    championed", or after "refers to", may stand for what was said)."""
    if item.content.text.strip().lower() not in _RELATIVES:
        return False
    word = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
    return (
        word is not None
        and len(word) == 1
        and word[0].dep_ == "pobj"
        and word[0].head.lower_ in _WHENCE_PREPS
    )


# The operative verbs that direct someone to act rather than say what the body holds.
_DIRECTING_VERBS = frozenset({"decide", "demand", "request", "call", "urge", "invite"})


def _directed(item: Attribution, operative: list[Attribution]) -> bool:
    """ "3. Decides that the Syrian Arab Republic shall declare within 90 days the facilities
    …": a verb of saying inside a paragraph that directs someone is what they are to do, not
    a claim they made."""
    return any(
        paragraph.cue_key.split("/")[0] in _DIRECTING_VERBS
        and paragraph.content.start <= item.cue.start < paragraph.content.end
        for paragraph in operative
    )


# What a body is given by someone: "received information from the Syrian Arab Republic that
# …", "obtained assurances from Moscow that …".
_GIVEN_NOUNS = frozenset({"information", "assurance", "confirmation", "report", "notification"})
_RECEIVING = frozenset({"receive", "obtain", "get", "have", "seek"})


def _information_from(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "The Mechanism received information from the Syrian Arab Republic that the air force
    had struck a warehouse": the claim is the giver's (the one after "from"), its content the
    clause; the receiver only received it. One relation per such noun, unless the rules
    already made one of it."""
    taken = {item.cue_i for item in found}
    made = []
    for noun in doc:
        if noun.lemma_ not in _GIVEN_NOUNS or noun.dep_ != "dobj" or noun.i in taken:
            continue
        if noun.head.lemma_ not in _RECEIVING:
            continue
        giver = next(
            (
                pobj
                for prep in noun.children
                if prep.dep_ == "prep" and prep.lower_ == "from"
                for pobj in prep.children
                if pobj.dep_ == "pobj"
            ),
            None,
        )
        clause = next(
            (
                c
                for c in noun.children
                if c.dep_ in ("acl", "ccomp")
                and c.i > noun.i
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            ),
            None,
        )
        if giver is None or clause is None:
            continue
        source_tokens = _source_tokens(giver)
        source = _token_span(source_tokens)
        content = _token_span(_trim(list(clause.subtree)))
        cue = _token_span([noun])
        if source is None or content is None or cue is None:
            continue
        made.append(
            Attribution(
                cue,
                content,
                source,
                describe(source_tokens),
                _span(doc, noun.sent.start_char, noun.sent.end_char),
                key_of(noun),
                how="given/from",
                cue_i=noun.i,
            )
        )
    return made


# How a parliament's member speaks of the member who spoke before: "the right hon. Lady",
# "the hon. Gentleman", "my hon. and learned Friend".
_MEMBER_ADDRESSED = re.compile(
    r"(?:the|my)\s+(?:right\s+)?hon\.?\s+(?:and\s+(?:learned|gallant)\s+)?"
    r"(?:Lady|Gentleman|Member|Friend)\b",
    re.I,
)


def _what_it_said(doc: Doc, found: list[Attribution]) -> None:
    """ "Syrian state television aired what it said were the confessions of two men": the "it"
    of a "what it said" is the subject of the verb the phrase is the object of, whatever was
    named before."""
    for item in found:
        source = item.source
        if source is None or item.cue_i < 0 or source.text.lower() not in ("it", "they"):
            continue
        cue = doc[item.cue_i]
        pronoun = next((c for c in cue.children if c.dep_ == "nsubj"), None)
        if pronoun is None or pronoun.i < 1 or doc[pronoun.i - 1].lower_ != "what":
            continue
        if cue.dep_ not in ("ccomp", "relcl", "dobj", "pobj"):
            continue
        verb = cue.head
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ == "PRON" or subject.i > pronoun.i:
            continue
        item.speaker = replace(describe(_source_tokens(subject)), resolved_from=source.text)


# "Its report said …", "Their investigators said …": a body's document or people, whose
# words are the body's.
_ITS_OWN = re.compile(
    r"(?i)(?:its|their) (?:report|statement|findings|letter|authors|investigators|inspectors"
    r"|experts|spokes(?:man|woman|person))"
)


def _its_own(found: list[Attribution], mentions: list[tuple[int, Speaker]]) -> None:
    """ "The Mechanism found no evidence of a depot. Its report said …": the speaker is the
    organisation or state last named as a subject or a speaker before, not "Its report"."""
    named = list(mentions) + [
        (item.source.start, item.speaker)
        for item in found
        if item.source is not None and item.speaker is not None
    ]
    for item in found:
        source = item.source
        if source is None or not _ITS_OWN.fullmatch(source.text.strip()):
            continue
        before = sorted(
            (
                (start, speaker)
                for start, speaker in named
                if start < source.start and speaker.type.rpartition("/")[2] in _BODIES
            ),
            key=lambda pair: pair[0],
        )
        if before:
            speaker = before[-1][1]
            kind = speaker.type.rpartition("/")[2]
            item.speaker = replace(speaker, type=kind, title="", resolved_from=source.text)


_BODIES = frozenset({"organisation", "state"})
# A subject that is only a share of a group named before: "Witnesses told the Mechanism …
# Several stated …" ("Others", who are not the same people, is not one; nor is "Both", who
# are most often two people named one by one).
_PARTITIVES = frozenset({"several", "many", "some", "most", "a few", "two", "three"})


def _people_in_plural(word: str) -> bool:
    """Whether a word names people in the plural: "witnesses", "experts", "Republicans"."""
    if not word.endswith("s") or word.lower() in _PARTITIVES:
        return False
    lower = word.lower()
    singulars = {lower[:-1], lower[:-2]}  # "experts", "witnesses"
    return word[:1].isupper() or bool(singulars & (_PEOPLE_NOUNS | _ROLES | _LOCALS))


def _some_of_them(doc: Doc, found: list[Attribution]) -> None:
    """ "Several stated that they saw a bomb fall" after "Witnesses told …" in the same
    paragraph: some of the witnesses, whose claim it is, not a body named "Several"."""
    text = text_of(doc)
    for index, item in enumerate(found):
        source = item.source
        if source is None or source.text.strip().lower() not in _PARTITIVES:
            continue
        group = next(
            (
                earlier
                for earlier in reversed(found[:index])
                if earlier.source is not None
                and earlier.speaker is not None
                and _people_in_plural(earlier.source.text.split()[-1])
                and "\n" not in text[earlier.source.start : source.start]
                and earlier.speaker.type not in ("pronoun", "person")
            ),
            None,
        )
        if group is not None and group.speaker is not None:
            item.speaker = replace(group.speaker, resolved_from=source.text)
    for item in found:
        source = item.source
        if source is None or item.cue_i < 0 or source.text.strip().lower() != "both":
            continue
        pair = _pair_named_before(doc[item.cue_i].sent)
        if pair is not None:
            item.speaker = replace(describe(pair), resolved_from=source.text)


def _pair_named_before(sentence: Any) -> list[Token] | None:
    """ "The Trial Chamber heard two expert witnesses on the crater. Both testified that …":
    the two people the sentence before names, whom "Both" means; None when it names no such
    pair (or more than one)."""
    doc = sentence.doc
    if sentence.start == 0:
        return None
    before = doc[sentence.start - 1].sent
    if "\n" in doc[before.start : sentence.start].text.strip():
        return None  # another paragraph
    pairs = [
        token
        for token in before
        if token.pos_ == "NOUN"
        and token.tag_ == "NNS"
        and _people_in_plural(token.text)
        and any(c.dep_ == "nummod" and c.lower_ in ("two", "2") for c in token.children)
    ]
    if len(pairs) != 1:
        return None
    noun = pairs[0]
    words = [t for t in noun.subtree if t.i <= noun.i and t.dep_ not in ("det", "nummod")]
    return _trim(words) or None


_MY_GOVERNMENT = frozenset({"my government", "our government"})
_GOVERNMENT_OF = re.compile(
    r"\b[Gg]overnment of (?:the )?[A-Z][\w'’-]*(?: (?:[A-Z][\w'’-]*|of|and))*"
)
_REPRESENTATIVE_OF = re.compile(
    r"Permanent (?:Representative|Mission) of (?P<state>(?:the )?[A-Z][\w'’-]*"
    r"(?: (?:[A-Z][\w'’-]*|of|and))*?) to the United Nations"
)


def _my_government(doc: Doc, found: list[Attribution]) -> None:
    """ "My Government affirms that …" in a letter of a permanent representative to the
    Secretary-General: the government the letter named before ("The Government of the Syrian
    Arab Republic categorically rejects …"), else that of the state its heading names ("from
    the Permanent Representative of the Syrian Arab Republic to the United Nations")."""
    text = text_of(doc)
    for item in found:
        source = item.source
        if source is None or source.text.strip().lower() not in _MY_GOVERNMENT:
            continue
        named = list(_GOVERNMENT_OF.finditer(text, 0, source.start))
        if named:
            words = doc.char_span(named[-1].start(), named[-1].end(), alignment_mode="expand")
            if words is not None:
                item.speaker = replace(describe(list(words)), resolved_from=source.text)
            continue
        heading = _REPRESENTATIVE_OF.search(text, 0, 800)
        if heading is not None:
            name = f"Government of {heading.group('state')}"
            item.speaker = Speaker(name=name, type="state", resolved_from=source.text)


# The words before a member's "Gentleman" that make it a member: "the right hon.", "my hon.
# and learned".
_MEMBER_TITLE = re.compile(
    r"(?:\b(?:the|my)\s+)(?:right\s+)?hon\.\s+(?:and\s+(?:learned|gallant)\s+)?$", re.I
)


def _member_title_kept(doc: Doc, found: list[Attribution]) -> None:
    """ "However, the right hon. Gentleman said …": the parser hangs "the right hon." on the
    verb, not on "Gentleman", so the source is a bare "Gentleman"; without its title the source
    is no member, and the member it names (the one who spoke before) is lost."""
    text = text_of(doc)
    for item in found:
        source = item.source
        if source is None or source.parts:
            continue
        if source.text.split(" ", 1)[0] not in ("Lady", "Gentleman", "Member", "Friend"):
            continue
        title = _MEMBER_TITLE.search(text, max(0, source.start - 40), source.start)
        if title is None:
            continue
        start, end = title.start(), source.end
        words = doc.char_span(source.start, source.end, alignment_mode="expand")
        after: list[Token] = list(doc[words.end : words.end + 12]) if words is not None else []
        if len(after) > 1 and after[0].lower_ == "the" and after[1].is_title:
            # "my right hon. Friend the Secretary of State for …": the office names the friend
            for token in after[1:]:
                if not (token.is_title or token.lower_ in ("of", "for", "and", "the")):
                    break
                end = token.idx + len(token.text)
        item.source = Span(text=text[start:end], start=start, end=end)


def _members_addressed(found: list[Attribution]) -> None:
    """In a parliament's record, "the right hon. Lady will know that …" inside a member's turn
    names the member of the turn before (another speaker), not a lady."""
    turns = [item for item in found if item.how == "line" and item.cue.text == ":"]
    for item in found:
        if item.source is None or not _MEMBER_ADDRESSED.fullmatch(item.source.text.strip()):
            continue
        before = [turn for turn in turns if turn.cue.start < item.cue.start]
        if not before or before[-1].speaker is None:
            continue
        current = before[-1].speaker.name
        earlier = [
            turn for turn in before if turn.speaker is not None and turn.speaker.name != current
        ]
        if earlier and earlier[-1].speaker is not None:
            item.speaker = replace(earlier[-1].speaker, resolved_from=item.source.text)


# A member named by the seat: "the right hon. Member for Gordon", "my hon. Friend the Member
# for Tonbridge and Malling".
_MEMBER_FOR = re.compile(
    r"(?:the|my)\s+(?:right\s+)?hon\.?\s+(?:and\s+(?:learned|gallant)\s+)?"
    r"(?:Lady|Gentleman|Member|Friend)\s+(?:the\s+Member\s+)?for\s+(?P<seat>[A-Z][^;:()]*?),?",
    re.I,
)
# A parliament's record's label: the member, then the seat in brackets ("Alex Salmond (Gordon)
# (SNP):").
_SEATED = re.compile(
    r"^[^\S\n]*(?:\d{1,3}\.[^\S\n]+)?(?P<name>[A-Z][^():\n]{1,60}?)[^\S\n]*"
    r"\((?P<seat>[A-Z][^()\n]{1,60})\)",
    re.M,
)


def _members_by_seat(doc: Doc, found: list[Attribution]) -> None:
    """ "The right hon. Member for Gordon knows perfectly well that …": a parliament names a member
    by the seat, and its record's labels give each member's seat ("Alex Salmond (Gordon)
    (SNP):"); the member is the one the label names, not the place."""
    seats = {
        match.group("seat").strip().lower(): match.group("name").strip()
        for match in _SEATED.finditer(text_of(doc))
    }
    if not seats:
        return
    for item in found:
        member = _MEMBER_FOR.fullmatch(item.source.text.strip()) if item.source else None
        seat = member.group("seat").strip().lower() if member else ""
        name = next(
            (
                named
                for held, named in seats.items()
                if seat and (held == seat or held.startswith(seat + ","))  # "Brighton, Pavilion"
            ),
            None,
        )
        if name is None or item.source is None:
            continue
        turn = next(
            (
                other.speaker
                for other in found
                if other.how == "line"
                and other.speaker is not None
                and other.source is not None
                and other.source.text == name
            ),
            None,
        )
        speaker = turn or Speaker(name=name, type="person")
        item.speaker = replace(speaker, resolved_from=item.source.text)


def _it_after_relative(doc: Doc, found: list[Attribution]) -> None:
    """ "The Council takes note of the report of the Mission, which confirmed that sarin was
    used. It expresses its full support for …": a sentence's opening "It" goes on with the
    subject of the sentence before, not with a body that sentence named only inside a relative
    clause (whose claim made it the last speaker the resolution saw)."""
    for item in found:
        if item.source is None or item.source.text != "It" or item.cue_i < 0:
            continue
        pronoun = doc[item.cue_i]
        subject = next((c for c in pronoun.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.lower_ != "it" or not subject.is_sent_start:
            continue
        before = doc[subject.i - 1].sent if subject.i else None
        if before is None:
            continue
        relative = [
            other
            for other in found
            if other.cue_i >= 0
            and doc[other.cue_i].sent == before
            and doc[other.cue_i].dep_ == "relcl"
            and other.source is not None
            and other.source.text.lower() in ("which", "that")
        ]
        said = relative[-1].speaker if relative else None
        if said is None or item.speaker is None or said.name != item.speaker.name:
            continue
        main = next((c for c in before.root.children if c.dep_ == "nsubj"), None)
        if main is None or main.pos_ in ("PRON", "DET") or main.ent_type_ == "PERSON":
            continue
        tokens = _source_tokens(main)
        speaker = describe(tokens) if tokens else None
        if speaker is not None and speaker.type in ("organisation", "state", "unknown", "body"):
            item.speaker = replace(speaker, resolved_from=item.source.text)


def _it_of_the_main_clause(doc: Doc, found: list[Attribution]) -> None:
    """ "A strike launched before any inquiry undermines the very rules it claims to defend":
    an "it" inside a relative clause on the main verb's object is that verb's subject, the
    one the sentence is about, not the last body named in the sentences before."""
    for item in found:
        if item.source is None or item.source.text.lower() != "it" or item.cue_i < 0:
            continue
        cue = doc[item.cue_i]
        pronoun = next((c for c in cue.children if c.dep_ == "nsubj"), None)
        held = cue.head
        main = held.head
        if (
            pronoun is None
            or pronoun.lower_ != "it"
            or cue.dep_ != "relcl"
            or held.dep_ != "dobj"
            or main.i > held.i
        ):
            continue
        subject = next((c for c in main.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ != "NOUN" or subject.tag_ != "NN":
            continue
        # the noun alone: "a strike launched before …" is a strike, whatever its description
        item.speaker = replace(describe([subject]), resolved_from=item.source.text)


_SMALL_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "to", "at"})


def _uncapitalised(name: str) -> str:
    """A name written in capitals as a name is written: "RUSSIAN DEFENCE MINISTRY" → "Russian
    Defence Ministry", "BASHAR AL-ASSAD" → "Bashar Al-Assad"; "U.S." stays."""
    words = []
    for number, word in enumerate(name.split()):
        if number and word.lower() in _SMALL_WORDS:
            words.append(word.lower())
        elif "." in word or len(word) <= 2:
            words.append(word)  # "U.S.", "UN": initials
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


# An interview printed as questions and answers: "Q: …" and "A: …" at the start of lines.
_QUESTION_LINE = re.compile(r"^[^\S\n]*Q[:.][^\S\n]+\S", re.M)
_ANSWER_LINE = re.compile(
    r"^[^\S\n]*(?P<source>A)(?P<cue>[:.])[^\S\n]+(?P<content>\S[^\n]*)$", re.M
)


def _interview_answers(doc: Doc) -> list[Attribution]:
    """The answers of an interview printed as "Q: …" / "A: …": each answer is a claim of the
    one interviewed, the person the text names before its first question (the last one in a
    sentence that speaks of an interview, else the first one named). The questions are no
    one's claim; what is reported inside them ("The United States says …") stays its own."""
    text = text_of(doc)
    first_question = _QUESTION_LINE.search(text)
    if first_question is None:
        return []
    before = [
        ent
        for ent in ents_of(doc)
        if ent.label_ == "PERSON"
        and ent.end_char <= first_question.start()
        and not is_town(ent.text)  # the small model can take "Khan Shaykhun" for a person
    ]
    interviewed = [ent for ent in before if "interview" in ent.sent.text.lower()] or before[:1]
    if not interviewed:
        return []
    who = describe(_capitals_before(interviewed[-1]))
    if interviewed[-1].text.isupper():
        # a court transcript's "DR. KAREN WHITFIELD, having been previously sworn, testified":
        # the name as a name is written
        who = replace(who, name=_uncapitalised(who.name), title=who.title.lower())
    found = []
    for match in _ANSWER_LINE.finditer(text, first_question.start()):
        c_start, c_end = match.span("content")
        c_start = _past_stage_note(doc, c_start, c_end)  # "A: (laughs) Let him come …"
        content = _line_content(doc, c_start, c_end)
        if len(content.text) < 3:
            continue
        found.append(
            Attribution(
                _span(doc, *match.span("cue")),
                content,
                _span(doc, *match.span("source")),
                who,
                _span(doc, match.start(), match.end()),
                ":/PUNCT",
                how="line",
            )
        )
    return found


def _capitals_before(ent: Any) -> list[Token]:
    """A name written in capitals with the words of it the tagger left out before it:
    "TRANSCRIPT OF DEPOSITION OF DR. OMAR FARHAT" is tagged "FARHAT" alone; the capitalised
    words on the same line just before it that are neither titles nor function words ("OMAR")
    are its given names. A name not in capitals is as tagged."""
    tokens = [token for token in ent if not token.is_space]
    if not ent.text.isupper() or not tokens:
        return list(ent)
    doc = ent.doc
    start = ent.start
    while start > 0:
        word = doc[start - 1]
        if not (
            word.is_alpha
            and word.is_upper
            and len(word.text) > 1
            and word.lower_ not in _TITLE_WORDS | _ORG_WORDS | _SMALL_WORDS
        ):
            break
        start -= 1
    return list(doc[start : ent.start]) + tokens


# Cue words whose object is the one told, and the pronouns that can only be that one.
_TOLD = frozenset({"tell", "ask", "inform", "warn", "assure", "remind", "brief"})
_OBJECT_PRONOUNS = frozenset({"us", "me", "him", "them", "you"})
# What makes a participle after a noun a clause of its own ("the claim that there have been …").
_CLAUSE_MARKS = frozenset({"mark", "nsubj", "nsubjpass", "expl", "aux", "auxpass"})
# The number of a question on a parliament's order paper before the member who asks it, whose
# seat and party follow in brackets.
_QUESTION_NUMBER = re.compile(r"\d{1,3}\.[^\S\n]+(?=[A-Z][^()\n]*\()")
# An office, then the name of the one who holds it in brackets.
_OFFICE_LABEL = re.compile(r"(?P<office>[A-Z][^()]*?)[^\S\n]*\((?P<name>[A-Z][^()]*)\)")
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "mr.", "mrs.", "ms.", "dr."})
# A broadcast transcript's roles, written before the name in brackets: "PRESENTER (JANE
# MORRIS):" is Jane Morris's turn, as "MORRIS:" is after it.
_BROADCAST_ROLES = frozenset(
    {"presenter", "host", "anchor", "moderator", "interviewer", "correspondent", "reporter"}
)
# Titles a transcript writes before a speaker's surname ("SEN. McCAIN:", "GEN. VOTEL:").
_LINE_TITLES = _HONORIFICS | frozenset(
    [
        "sen",
        "rep",
        "gen",
        "gov",
        "adm",
        "col",
        "lt",
        "maj",
        "capt",
        "sgt",
        "amb",
        "prof",
        "sen.",
        "rep.",
        "gen.",
        "gov.",
        "adm.",
        "col.",
        "lt.",
        "maj.",
        "capt.",
        "sgt.",
        "amb.",
        "prof.",
    ]
)


# A broadcast transcript's label at a speaker's first turn, the name and then what they are,
# all in capitals: "DANA KELLER, HOST:", "MAJ. GEN. FRANK DOHERTY (RET.), MILITARY ANALYST:".
_NAME_THEN_ROLE = re.compile(
    r"(?P<name>[A-Z][A-Z.'’ -]{2,50}?(?:[^\S\n]*\([A-Z.'’ -]{1,12}\))?),[^\S\n]*(?P<role>[A-Z][^,:\n]{1,60})"
)


def _name_before_role(label: str) -> int:
    """The length of a turn label's name when the label is a name in capitals and then, after
    a comma, what the speaker is ("DANA KELLER, HOST", "DR. NADIA SULEIMAN, FORMER WEAPONS
    INSPECTOR"); else the whole label's. A broadcast transcript labels a guest's first turn so,
    and only the surname after: the role says who speaks, it is no part of the name (and a
    comma otherwise makes the label a headline's topic)."""
    match = _NAME_THEN_ROLE.fullmatch(label.strip())
    if match is None or not label.strip().isupper():
        return len(label)
    role = match.group("role").split()
    if _singular(role[-1].lower()) not in _ROLES | _PEOPLE_NOUNS | _BROADCAST_ROLES:
        return len(label)
    if not 2 <= len(re.sub(r"\([^)]*\)", "", match.group("name")).split()) <= 6:
        return len(label)
    return len(label) - len(label.lstrip()) + match.end("name")


def _thanks_to_those_named(doc: Doc, attribution: Attribution) -> bool:
    """Whether the attribution is a host's closing "General Doherty, Dr. Suleiman, thank you
    both": the names before the comma are those addressed, not who thanks (the one whose turn
    it is), and a thanks said to guests reports nothing anyone claims."""
    cue_i = attribution.cue_i
    if attribution.source is None or not 0 < cue_i < len(doc) - 1:
        return False
    return (
        doc[cue_i].lower_ == "thank"
        and doc[cue_i - 1].text == ","
        and doc[cue_i + 1].lower_ == "you"
        and attribution.source.end <= doc[cue_i - 1].idx + 1
    )


# What one sees that is someone else's saying: "We've seen those reports", "I've seen the
# claims". (Seeing images or footage is witnessing, kept: "We have all seen the images".)
_SEEN_MEDIA = frozenset(
    {"report", "account", "story", "claim", "allegation", "statement", "tweet", "post"}
    | {"comment", "remark"}
)


def _seen_record(doc: Doc, attribution: Attribution) -> bool:
    """Whether a rarer verb's reading is a briefer's "We've seen those reports": seeing what
    others said acknowledges it and says nothing of it (the speaker's answer follows). Only
    the speaker's own "I"/"we" (news annotators keep a report's "backers watched footage of
    the rally" as what the crowd took in)."""
    if not attribution.rare_cue or attribution.cue_i < 0 or attribution.source is None:
        return False
    cue = doc[attribution.cue_i]
    if attribution.source.text.lower() not in _FIRST_PERSON:
        return False
    if cue.lemma_.lower() != "see" or not attribution.how.endswith("dobj"):
        return False
    objects = [c for c in cue.children if c.dep_ == "dobj"]
    return len(objects) == 1 and objects[0].lemma_.lower() in _SEEN_MEDIA


# A spoken topic broken off by a dash before the clause that speaks of it: "And the White
# Helmets -- the Russians claim they staged it".
_TOPIC_DASH = re.compile(
    r"[^\S\n]*(?:--|—|–)[^\S\n]*(?P<np>(?:the[^\S\n]+)?[A-Z][\w'’.-]*(?:[^\S\n]+[A-Z][\w'’.-]*){0,3})[^\S\n]+"
)


def _source_after_topic_dash(doc: Doc, found: list[Attribution]) -> None:
    """ "And the White Helmets -- the Russians claim they staged the whole thing": a reporter's
    question names its topic, breaks off with a dash and starts again; the parse can take the
    topic for the subject and the true one, after the dash, into the cue's phrase. A source
    that ends at such a dash, with a name right after it and then the cue, is that name."""
    text = text_of(doc)
    for item in found:
        source = item.source
        if source is None or source.parts or not source.text.rstrip().endswith(("--", "—", "–")):
            continue
        dash = text.rfind(source.text.rstrip()[-1], source.start, source.end) - 1
        gap = _TOPIC_DASH.fullmatch(text, max(source.start, dash), item.cue.start)
        if gap is None:
            continue
        named = doc.char_span(gap.start("np"), gap.end("np"), alignment_mode="expand")
        if named is None:
            continue
        item.source = _span(doc, gap.start("np"), gap.end("np"))
        item.speaker = describe(list(named))


def _they_the_ones_spoken_to(doc: Doc, found: list[Attribution]) -> None:
    """ "I've talked to colleagues at the OPCW, and they told me that …": when the clause
    before "and they said" has the speaker's own "I" or "we" for subject, "they" can only be
    the ones the speaker spoke to or read, its plural object, not the last body the text
    named."""
    for item in found:
        source = item.source
        if source is None or source.text.lower() != "they" or item.cue_i < 0:
            continue
        cue = doc[item.cue_i]
        head = cue.head
        if cue.dep_ != "conj" or head.i >= cue.i:
            continue
        if not any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in head.children):
            continue
        # whom the speaker met or read, or spoke to or with ("asked them for the sheets, and
        # they promised …": not what was asked for)
        objects = [c for c in head.children if c.dep_ in ("dobj", "dative")]
        objects += [
            g
            for c in head.children
            if c.dep_ == "prep" and c.lower_ in ("to", "with", "from")
            for g in c.children
            if g.dep_ == "pobj"
        ]
        plural = [o for o in objects if o.tag_ in ("NNS", "NNPS")]
        if len(plural) != 1 or any(o.pos_ == "PRON" for o in objects):
            continue
        words = list(plural[0].subtree)
        after = next((c for c in head.children if c.i == words[-1].i + 1), None)
        if after is not None and after.dep_ == "prep" and after.lower_ in ("at", "from", "in"):
            words += list(after.subtree)  # "colleagues at the OPCW", the parse's verb's
        named = [t for t in words if t.dep_ != "det" or t.i != words[0].i]
        item.speaker = replace(describe(named), resolved_from=source.text)


# Ranks a military briefing's transcript writes out in full, in capitals, before a speaker's
# name: "CAPTAIN JEFF LYONS:", "COLONEL MARK HALVORSEN:".
_SHOUTED_RANKS = frozenset(
    {"captain", "colonel", "major", "general", "lieutenant", "admiral", "sergeant"}
    | {"commander", "brigadier", "commodore"}
)


def _whole_shouted_name(tokens: list[Token], speaker: Speaker) -> Speaker:
    """ "CAPTAIN JEFF LYONS:": in capitals the tagger can read the surname as a verb and name
    the person by the given name alone, or read the rank as part of the name; a turn label's
    words after its rank are the whole name, and the later "CAPT. LYONS:" turns are the same
    person's."""
    words = [t.text for t in _without_honorific(tokens)]
    ranked = bool(words) and words[0].lower() in _SHOUTED_RANKS
    while words and words[0].lower() in _SHOUTED_RANKS:
        words = words[1:]
    whole = " ".join(words)
    if (
        not (speaker.type == "person" or (ranked and speaker.type == "unknown"))
        or not 2 <= len(words) <= 4
        or not all(w.isupper() and w.replace("-", "").replace("'", "").isalpha() for w in words)
        # the given name alone, or the whole label with its rank ("CAPTAIN ANNE PRICE")
        or not (whole.startswith(speaker.name + " ") or speaker.name.endswith(" " + whole))
    ):
        return speaker
    return replace(speaker, name=whole, type="person")


# A release's line giving whose the statement after it is: "The following statement is
# attributable to Navy Capt. Michael Reardon, Pentagon spokesman:".
_ATTRIBUTABLE_LINE = re.compile(
    r"^[^\S\n]*(?:The[^\S\n]+following[^\S\n]+(?:statement[^\S\n]+)?is|Statement)[^\S\n]+"
    r"(?P<cue>attributable[^\S\n]+to)[^\S\n]+(?P<name>[A-Z][^\n:]{2,160}):[^\S\n]*$",
    re.M,
)


def _attributable_statements(doc: Doc, quotes: Sequence[tuple[int, int]]) -> list[Attribution]:
    """A defence department's release: "The following statement is attributable to …
    spokesman:" and then the statement in quotation marks, one paragraph after another, each
    opened by a quotation mark and only the last one closed. The statement is the spokesman's,
    though no verb of saying stands near it: the line's "attributable to" is the cue, and the
    content runs from the first paragraph's quotation mark to the last one's end."""
    text = text_of(doc)
    found: list[Attribution] = []
    for line in _ATTRIBUTABLE_LINE.finditer(text):
        after = sorted(q for q in quotes if q[0] >= line.end())
        at = line.end()
        pieces: list[tuple[int, int]] = []
        for start, end in after:
            if text[at:start].strip():
                break
            pieces.append((start, end))
            at = end
        if not pieces:
            continue
        name_end = line.start("name") + len(line.group("name").split(",")[0])
        named = doc.char_span(line.start("name"), name_end, alignment_mode="expand")
        if named is None:
            continue
        found.append(
            Attribution(
                cue=_span(doc, *line.span("cue")),
                content=_span(doc, pieces[0][0], pieces[-1][1]),
                source=_span(doc, *line.span("name")),
                speaker=describe(_without_honorific(list(named))),
                sentence=_span(doc, line.start(), pieces[-1][1]),
                cue_key="attributable/line",
                how="line/attributable",
            )
        )
    return found


def _hearer_pointed_to(doc: Doc, attribution: Attribution) -> bool:
    """ "I'd point you to what was released today", "Let me refer you to the Syrians": a
    briefer sends the one who asked elsewhere and says nothing of it himself. Only with the
    hearer, "you", for the verb's object ("The senator pointed to the report" cites it)."""
    if attribution.cue_i < 0 or not attribution.how.endswith("prep"):
        return False
    cue = doc[attribution.cue_i]
    return cue.lemma_.lower() in ("point", "refer", "direct") and any(
        c.dep_ == "dobj" and c.lower_ == "you" for c in cue.children
    )


# Verbs of saying a pseudo-cleft turns into its subject: "What I can say is that …".
_CLEFT_SAYINGS = frozenset({"say", "tell", "stress", "confirm", "add", "argue", "claim"})


def _said_after_colon_of_cleft(be: Token) -> list[Token]:
    """ "What we have said from the beginning is very simple: there must be an inquiry": the
    words after the colon, where the "is" of the cleft has only a word of how it is
    ("simple", "clear") and the parser makes it a clause of what follows the colon; empty for
    any other shape."""
    doc = be.doc
    if be.dep_ != "ccomp" or be.head.i < be.i or not any(c.dep_ == "acomp" for c in be.children):
        return []
    colon = next((t for t in doc[be.i : be.head.i] if t.text == ":"), None)
    if colon is None:
        return []
    words = [t for t in doc[colon.i + 1 : be.sent.end] if not t.is_space]
    while words and words[-1].is_punct:
        words = words[:-1]
    return words


def _pseudo_cleft_sayings(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "What I can say is that we're not looking for a fight", "What the minister said was
    that the talks had failed": a speaker sets what is said after "is"/"was" and the saying
    inside the clause that is the subject; the parse hangs the reported clause on "is", not
    on the verb of saying, so no path from the verb finds it."""
    taken = {item.cue_i for item in found}
    made: list[Attribution] = []
    for verb in doc:
        head = verb.head
        if (
            verb.dep_ != "csubj"
            or verb.lemma_.lower() not in _CLEFT_SAYINGS
            or verb.i in taken
            or head.lemma_ != "be"
            or not any(c.lower_ == "what" and c.i < verb.i for c in verb.children)
        ):
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        clause = next((c for c in head.children if c.dep_ == "ccomp" and c.i > head.i), None)
        said = (
            [t for t in clause.subtree if not (t.is_punct and t.i == clause.right_edge.i)]
            if clause is not None
            else _said_after_colon_of_cleft(head)
        )
        if subject is None or not said:
            continue
        words = list(subject.subtree)
        aux = [c for c in verb.children if c.dep_ == "aux" and c.i > subject.right_edge.i]
        cue = _token_span([*aux, verb])
        content = _token_span(said)
        source = _token_span(words)
        if cue is None or content is None or source is None:
            continue
        made.append(
            Attribution(
                cue=cue,
                content=content,
                source=source,
                speaker=describe(words),
                sentence=_span(doc, verb.sent.start_char, verb.sent.end_char),
                cue_key=f"{verb.lemma_.lower()}/VERB",
                how="cleft/ccomp",
                cue_i=verb.i,
            )
        )
    return made


def _without_honorific(tokens: list[Token]) -> list[Token]:
    """A transcript's "MR. SPICER:" names Spicer. The tokenizer can part "MR" from its full
    stop at a text's opening, which would leave ". SPICER" for a name; the honorific is
    dropped from the tokens that name the speaker (the source span keeps it)."""
    rest = tokens
    while len(rest) > 1 and rest[0].lower_ in _LINE_TITLES:  # "MAJ. GEN. DOHERTY", each
        rest = rest[1:]
        if len(rest) > 1 and rest[0].text == ".":
            rest = rest[1:]
    return rest if rest and rest[0].text[:1].isupper() else tokens


# "Said Ellis: “…”", the cue before its speaker, at a sentence's opening.
_SAID_INVERTED = re.compile(
    r"(?:^|(?<=[.!?”\"][^\S\n]))Said[^\S\n]+"
    r"(?P<source>(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen)\.[^\S\n]+)?[A-Z][\w'’-]+"
    r"(?:[^\S\n]+[A-Z][\w'’-]+){0,2})[:,][^\S\n]+(?=[“\"])",
    re.M,
)


# A gloss in brackets right after a quotation of words in another language, and the comma
# before the speaker: '"Allahu akbar" [God is greatest], a man shouted'.
_GLOSS_AFTER = re.compile(r"[^\S\n]*(?:\[[^\[\]\n]{1,80}\]|\([^()\n]{1,80}\))[^\S\n]*,[^\S\n]+")


def _glossed_quotations(
    doc: Doc, quotes: list[tuple[int, int]], cues: dict[str, dict[str, Any]]
) -> list[Attribution]:
    """A news report's quotation of words in another language, transliterated and glossed in
    brackets, before its speaker and cue ('"Kulhum raho" [they are all gone], he repeated'):
    what was said is the quotation with its gloss. The bracket parts the quotation from the
    cue, so the parser hangs it on nothing, and takes the gloss, or a later clause, for what
    was said; the cue must be a verb of the lexicon whose subject follows the comma."""
    text = text_of(doc)
    found = []
    for q_start, q_end in quotes:
        gloss = _GLOSS_AFTER.match(text, q_end)
        if gloss is None:
            continue
        after = [token for token in doc if token.idx >= gloss.end()][:8]
        cue = next(
            (
                token
                for token in after
                if token.pos_ == "VERB" and key_of(token) in cues and token.idx > after[0].idx
            ),
            None,
        )
        if cue is None:
            continue
        # the speaker opens the clause after the comma ("…", a video shows the man saying: no);
        # the parser may take a word of the gloss for a second subject
        subject = next(
            (
                c
                for c in cue.children
                if c.dep_ == "nsubj" and c.left_edge.idx == gloss.end() and c.i < cue.i
            ),
            None,
        )
        if subject is None:
            continue
        tokens = _trim(list(subject.subtree))
        source = _token_span(tokens)
        if source is None:
            continue
        content = _span(doc, q_start, gloss.end())
        content = Span(
            content.text.rstrip(", "), content.start, content.start + len(content.text.rstrip(", "))
        )
        sentence = _span(doc, q_start, cue.sent.end_char)
        cue_span = _span(doc, cue.idx, cue.idx + len(cue.text))
        found.append(
            Attribution(
                cue_span,
                content,
                source,
                describe(tokens),
                sentence,
                key_of(cue),
                how="glossed",
                cue_i=cue.i,
            )
        )
    return found


def _said_inverted(doc: Doc, quotes: list[tuple[int, int]]) -> list[Attribution]:
    """'Said Ellis: “I don't get the sense …”': a quotation whose cue comes before its
    speaker. "Said" is also a common Arabic given name, and "Said Haddad: …" a transcript's
    turn, so the words after it count as a speaker only when they name someone already named
    otherwise: a title ("Said Mr. Haddad"), or a surname the text used before without "Said"
    in front of it ("Ryan Ellis, a tax consultant, …").
    """
    found = []
    text = text_of(doc)
    for match in _SAID_INVERTED.finditer(text):
        name = match.group("source")
        surname = name.split()[-1]
        before = text[: match.start()]
        titled = "." in name.split()[0]
        if not titled and not any(
            text[max(0, hit.start() - 5) : hit.start()] != "Said "
            for hit in re.finditer(rf"\b{re.escape(surname)}\b", before)
        ):
            continue
        quoted = next((q for q in quotes if q[0] == match.end()), None)
        tokens = _name_tokens(doc, *match.span("source"))
        source = _token_span(tokens) if tokens else None
        if quoted is None or tokens is None or source is None:
            continue
        cue = _span(doc, match.start(), match.start() + len("Said"))
        content = _span(doc, *quoted)
        sentence = _span(doc, match.start(), quoted[1])
        speaker = describe(tokens)
        if speaker.name.startswith("Said "):  # the tagger's "Said Comey", one name
            speaker.name = speaker.name[len("Said ") :]
        found.append(Attribution(cue, content, source, speaker, sentence, "say/VERB", how="line"))
    return found


# Verbs that tag a quotation put as a question, before their speaker ('"Why?" asked one
# reader'), which the parser may take for the verb's object.
_ASKING_TAGS = frozenset({"ask", "wonder", "demand", "inquire", "enquire"})


def _asked_by_the_object(
    doc: Doc, quotes: list[tuple[int, int]], found: list[Attribution]
) -> list[Attribution]:
    """'"Why does the paper still write that?" asked one reader last week.': a question
    quoted, then the verb of asking, then its speaker. The parser reads the speaker after the
    verb as the one asked (its object), so no subject is found. A question is never asked of
    a noun after the quotation in this order ("asked him" cannot close a quotation), so the
    object is the speaker. Only for a quotation ending in a question mark, the verb right
    after it, with no subject of its own."""
    text = text_of(doc)
    taken = {item.cue.start for item in found}
    result = []
    for start, end in quotes:
        if "?" not in text[max(start, end - 3) : end]:
            continue
        cue = next((t for t in doc if t.idx >= end), None)
        if (
            cue is None
            or cue.lemma_ not in _ASKING_TAGS
            or cue.pos_ != "VERB"
            or cue.idx in taken
            or text[end : cue.idx].strip()
            or any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children)
        ):
            continue
        asker = next(
            (c for c in cue.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None
        )
        if asker is None:
            continue
        tokens = list(doc[asker.left_edge.i : asker.right_edge.i + 1])
        source = _token_span(tokens)
        if source is None:
            continue
        result.append(
            Attribution(
                _span(doc, cue.idx, cue.idx + len(cue.text)),
                _span(doc, start, end),
                source,
                describe(tokens),
                _span(doc, start, asker.right_edge.idx + len(asker.right_edge.text)),
                key_of(cue),
                how="inverted/asked",
                cue_i=cue.i,
            )
        )
    return result


# The verbs a feature or a memoir tags a quotation with besides the verbs of saying: the
# speaker going on ("she goes on"), or a gesture made while speaking ("he shrugs", "she
# sighed"); and a memory told ("recalled Dr. Omar"). Only right after a quotation that the
# tag closes (its last words before the mark a comma, a question or an exclamation), so that
# "he shrugs off the question" or "she went on to Aleppo" is never a saying.
_TAG_VERBS = (
    r"(?:goes|went|carries|carried)[^\S\n]+on|continues|continued|shrugs|shrugged|sighs|sighed"
    r"|laughs|laughed|smiles|smiled|recalls|recalled|remembers|remembered"
)
_TAG_NAME = (
    r"(?:(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Sgt|Capt)\.[^\S\n]+)?[A-Z][\w'’-]+"
    r"(?:[^\S\n]+(?:al-|el-|van[^\S\n]+|de[^\S\n]+)?[A-Z][\w'’-]+){0,3}"
)
_QUOTE_TAG = re.compile(
    rf"[^\S\n]+(?:(?P<source>{_TAG_NAME}|[Hh]e|[Ss]he|I|[Ww]e|[Tt]hey)[^\S\n]+"
    rf"(?P<cue>{_TAG_VERBS})|(?P<cue2>{_TAG_VERBS})[^\S\n]+(?P<source2>{_TAG_NAME}))"
    r"(?=[.,;:!?\n]|$)"
)


# A quotation closed with a comma, then its speaker described at length, then the verb:
# '"If Reagan had gone with Kemp, …," Mr. Daniloff, now 81 and retired in Cambridge, Mass.,
# said by telephone', '"Very good reporter," Trump, the 2016 GOP frontrunner …, said when
# …'. The parser hangs the verb on the quotation's own clause, or makes the quotation's
# first noun its subject, so the speaker is lost.
_DESCRIBED_CLOSING = re.compile(
    rf"[^\S\n]*(?P<source>(?P<name>{_TAG_NAME}),[^\S\n]+[^\n“”\"!?]{{2,220}}?,)"
    r"[^\S\n]+(?P<cue>said|says|told|added|explained|wrote)\b(?P<rest>[^\n“”\"]*?)(?:[.!?]|$)"
)


def _described_after_quotation(
    doc: Doc, quotes: list[tuple[int, int]], found: list[Attribution]
) -> list[Attribution]:
    """The quotation before a speaker named and described between commas and a closing verb
    of saying ('"…," Steve Moody, a small-business owner, said at the rally'), when nothing
    else reports it. Only for a quotation whose last words end in a comma (a quotation
    continued by its tag), a capitalised name right after it, and a description without
    quotation marks; the source is the name with its description, as a reader would cite
    it."""
    text = text_of(doc)
    result = []
    for start, end in quotes:
        if text[max(start, end - 3) : end].rstrip("”\"'’").rstrip()[-1:] != ",":
            continue
        match = _DESCRIBED_CLOSING.match(text, end)
        if match is None:
            continue
        if any(
            (
                item.content.start < end
                and start < item.content.end
                and not start < item.cue.start < end
            )
            or item.cue.start == match.start("cue")
            for item in found
        ):
            continue
        tokens = _name_tokens(doc, *match.span("name"))
        words = _tokens_within(doc, *match.span("source"))
        cue = next((t for t in doc if t.idx == match.start("cue")), None)
        if not tokens or not words or cue is None or cue.pos_ not in ("VERB", "AUX"):
            continue
        described = {t.i for t in words if t.idx >= match.end("name")}
        if any(
            t.pos_ in ("VERB", "AUX")
            and t.tag_ in ("VBD", "VBZ", "VBP")
            and t.dep_ not in ("relcl", "advcl", "acl", "pcomp")
            and not any(c.dep_ == "mark" for c in t.children)
            and any(
                c.dep_ in ("nsubj", "nsubjpass")
                and c.i in described
                and c.tag_ not in ("WP", "WDT")
                for c in t.children
            )
            for t in words
        ):
            # a clause of its own between the commas ("…, he said,"); a relative or a
            # subordinate clause ("who …", "after the talks broke down") describes the speaker
            continue
        source = _span(doc, *match.span("source"))
        if source.text.endswith(","):
            source = _span(doc, source.start, source.end - 1)
        result.append(
            Attribution(
                _span(doc, cue.idx, cue.idx + len(cue.text)),
                _span(doc, start, end),
                source,
                describe(tokens),
                _span(doc, start, match.end()),
                key_of(cue),
                how="closing/described",
                cue_i=cue.i,
            )
        )
    return result


def _named_before_colon(
    doc: Doc, quotes: list[tuple[int, int]], found: list[Attribution]
) -> list[Attribution]:
    """ "The surge doesn't surprise Republican pollster Daron Shaw: “Historically, …”": a person
    named last before a colon, and a quotation after it that ends the paragraph. The colon
    gives the named person the word; the sentence before it is the writer's. Only when no other
    attribution takes the quotation ("told Shaw: “…”" is the teller's) and the name is a
    person's, with its titles ("Republican pollster")."""
    text = text_of(doc)
    result = []
    for start, end in quotes:
        colon = text.rfind(":", 0, start)
        if colon < 0 or text[colon + 1 : start].strip() or "\n" in text[colon:start]:
            continue
        rest = text[end : text.find("\n", end) if "\n" in text[end:] else len(text)]
        if rest.strip(" .”\"'’"):
            continue  # the quotation must close its paragraph
        if any(
            item.content.start < end
            and start < item.content.end
            and not start < item.cue.start < end
            for item in found
        ):
            continue
        name = next((t for t in doc if t.idx + len(t.text) == colon), None)
        if name is None or name.ent_type_ != "PERSON" or name.ent_iob_ == "O":
            continue
        head = name
        while head.head.i != head.i and head.head.ent_type_ == "PERSON" and head.head.i <= name.i:
            head = head.head
        if head.dep_ in ("pobj", "dative"):
            continue  # "a blunt message to Trump:", "posted on Twitter:": not the one speaking
        first = head.left_edge
        if first.i > name.i or any(t.pos_ in ("VERB", "AUX", "ADP") for t in doc[first.i : name.i]):
            continue
        tokens = list(doc[first.i : name.i + 1])
        if tokens and tokens[0].dep_ == "det":
            tokens = tokens[1:]
        source = _token_span(tokens)
        if source is None:
            continue
        result.append(
            Attribution(
                _span(doc, colon, colon + 1),
                _span(doc, start, end),
                source,
                describe(tokens),
                _span(doc, first.idx, end),
                ":/PUNCT",
                how="colon/named",
            )
        )
    return result


# What describes the speaker named after an inverted tag, to the sentence's end: ", who …",
# ", a surgeon at …".
_DESCRIBED_AFTER = re.compile(
    r",[^\S\n]+(?:who|whom|an?|the|one|his|her|then)\b[^.!?\n\"“”]*(?=[.!?])"
)


def _quotation_tags(
    doc: Doc, quotes: list[tuple[int, int]], found: list[Attribution]
) -> list[Attribution]:
    """'"Let them say what they want," Abu Khalil shrugs.', '"I thought it was a bomb," he
    goes on.', '"He saved people," recalled Dr. Rania Omar, who …': a quotation tagged with a
    verb of going on, of a gesture or of memory, which the parse does not read as a saying.
    The tag's subject (or the name after an inverted verb) is the source; the quotation is what
    was said. Where a cue was already found in the tag, nothing is added."""
    text = text_of(doc)
    taken = {item.cue.start for item in found}
    added = []
    for start, end in quotes:
        closing = text[start + 1 : end - 1].rstrip("'’")  # an inner quotation may end with it
        if end - start < 4 or closing[-1:] not in (",", "?", "!", "—"):
            continue
        match = _QUOTE_TAG.match(text, end)
        if match is None:
            continue
        cue_group, source_group = ("cue", "source") if match.group("cue") else ("cue2", "source2")
        if match.start(cue_group) in taken:
            continue
        first, last = match.span(source_group)
        name = match.group(source_group)
        if name.lower() in ("he", "she", "i", "we", "they"):
            tokens = _trim(list(doc.char_span(first, last, alignment_mode="expand") or []))
        else:
            tokens = _name_tokens(doc, first, last) or []
            if not tokens or not (
                any(token.ent_type_ == "PERSON" for token in tokens)
                or is_given_name(name.split()[0])
                or any(
                    ent.label_ == "PERSON" and _called_alone(name, ent.text) for ent in ents_of(doc)
                )
            ):
                # a name the tagger knows for a person's, a given name, or a person's named in
                # full before ("Holt sighs" after "Maren Holt"), not a place's or a day's
                continue
        source = _token_span(tokens)
        if source is None:
            continue
        described = _DESCRIBED_AFTER.match(text, match.end())
        if cue_group == "cue2" and described is not None:
            # "recalled Dr. Rania Omar, who worked beside him": the speaker's phrase runs to
            # the sentence's end, as a subject's relative clause or apposition does
            source = _span(doc, source.start, described.end())
        cue = _span(doc, *match.span(cue_group))
        content = _span(doc, start, end)
        sentence = _span(doc, start, max(match.end(), source.end))
        speaker = describe(tokens)
        added.append(Attribution(cue, content, source, speaker, sentence, "say/VERB", how="tag"))
    return added


# What a finding is "in": a poll or survey speaks for those it asked ("In a CNN poll, Clinton
# held a 24-point lead"); a poll average too ("the RealClearPolitics average of polls").
_POLLS = frozenset({"poll", "survey", "polling", "average"})
_WH = frozenset({"WDT", "WP", "WP$", "WRB"})


def _poll_findings(doc: Doc) -> list[Attribution]:
    """A clause reported "in" a poll: ``In a CNN poll, Clinton held a 24-point lead`` or
    ``Cruz had a 10-point lead in a Des Moines Register poll``. The cue is "in", the source the
    poll's phrase, the content the clause without it. Only where the phrase opens or closes its
    clause, so that what is left is one stretch of text, and the clause has a subject; an
    average must be of polls ("an average of 5 points" is no source)."""
    found = []
    for cue in doc:
        if cue.lower_ != "in" or cue.dep_ != "prep":
            continue
        poll = next((child for child in cue.children if child.dep_ == "pobj"), None)
        if poll is None or poll.lemma_.lower() not in _POLLS:
            continue
        if poll.lemma_.lower() == "average" and not any(
            token.lemma_.lower() in ("poll", "survey") for token in poll.subtree
        ):
            continue
        head = cue.head  # the clause's verb: "had a lead in a poll" hangs it on the lead
        while head.pos_ not in ("VERB", "AUX") and head.head != head:
            head = head.head
        if head.dep_ == "relcl" or not any(
            child.dep_ in ("nsubj", "nsubjpass", "expl") and child.tag_ not in _WH
            for child in head.children
        ):
            continue  # "the candidate who leads in the polls" describes, it reports nothing
        phrase = {token.i for token in cue.subtree}
        clause = [token for token in head.subtree if token.i not in phrase and not token.is_space]
        words_before = any(not token.is_punct for token in clause if token.i < cue.i)
        words_after = any(not token.is_punct for token in clause if token.i > cue.i)
        if words_before and words_after:
            continue
        content = _token_span(_trim(clause))
        if content is not None and len(content.text) >= 3:
            found += _one_word_cue(cue, content, _trim(list(poll.subtree)), "in/ADP", "poll")
    return found


def _one_word_cue(
    cue: Token,
    content: Span,
    named: list[Token],
    key: str,
    how: str,
    start: Token | None = None,
) -> list[Attribution]:
    """The relation a pass of its own found: the cue word (from ``start``, when the cue is a
    phrase ending in it: "is confident"), the content and the words naming the source; none
    when those words are empty."""
    source = _token_span(named)
    if source is None:
        return []
    doc = cue.doc
    sentence = cue.sent
    return [
        Attribution(
            _span(doc, (start or cue).idx, cue.idx + len(cue.text)),
            content,
            source,
            describe(named),
            _span(doc, sentence.start_char, sentence.end_char),
            key,
            how=how,
            cue_i=cue.i,
        )
    ]


# Verbs of getting in touch that a colon turns into saying: "Dr. Salloum called back: they
# have lost 11 patients", "The ministry replied: no comment was needed".
_COLON_CUES = frozenset({"call", "reply", "respond", "write", "text", "message", "answer"})


def _said_after_colon(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "12:45 JT — Dr. Salloum called back: they have now lost 11 patients.": in a log or a
    note, a verb of getting in touch closed by a colon gives what was said after it, unquoted,
    to its subject. Only where the verb has nothing said of its own and a clause follows."""
    taken = {item.cue_i for item in found}
    made = []
    for colon in doc:
        if colon.text != ":" or colon.i < 2 or colon.i + 2 >= len(doc):
            continue
        cue = last = doc[colon.i - 1]
        if cue.dep_ in ("prt", "advmod") and cue.lower_ in ("back", "in"):
            cue = doc[colon.i - 2]  # "called back:", the cue with its particle
        elif cue.dep_ == "dobj" and cue.head.i < cue.i and _addressee(cue):
            cue = last = cue.head  # "texted me:", sent to the one who tells it
        # the lemmatizer makes "texted" "texte"
        lemma = "text" if cue.lower_ in ("texted", "texts") else cue.lemma_.lower()
        if lemma not in _COLON_CUES or cue.tag_ not in ("VBD", "VBZ", "VBP"):
            continue
        if cue.lemma_.lower() == "call" and last.dep_ not in ("prt", "advmod"):
            continue  # "The clinic called: nobody answered" tells of a call, not what it said
        if cue.i in taken or any(
            c.dep_ == "ccomp" or (c.dep_ == "dobj" and not _addressee(c)) for c in cue.children
        ):
            continue  # but "Elif texted me: …" says it to me
        subject = next((c for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i), None)
        if subject is None and cue.dep_ == "acl" and cue.head.i < cue.i:
            subject = cue.head  # "The hospital director called back:", read as a participle
        if subject is None or (subject.pos_ == "PRON" and subject.lower_ not in ("he", "she")):
            continue
        sentence = colon.sent
        said = _trim([t for t in sentence if t.i > colon.i])
        if not any(t.pos_ in ("VERB", "AUX") for t in said) or (
            said[:1] and said[0].text in _OPENING
        ):
            continue  # a quotation after the colon is left to the rules for quotations
        content = _token_span(said)
        if content is None:
            continue
        named = _trim([t for t in _source_tokens(subject) if t.i < cue.i])
        for item in _one_word_cue(cue, content, named, key_of(cue), "colon"):
            item.cue = _span(doc, cue.idx, last.idx + len(last.text))
            made.append(item)
    return made


def _addressee(token: Token) -> bool:
    """Whether an object is whom a message went to ("texted me", "messaged his brother"),
    not what was sent ("wrote a letter")."""
    if token.lower_ in ("me", "us", "him", "her", "them"):
        return True
    return token.ent_type_ == "PERSON" or (
        token.lemma_.lower() in _PEOPLE_NOUNS | _ROLES
        and token.i + 1 < len(token.doc)
        and token.doc[token.i + 1].text == ":"
    )


# How a count of the dead is reported: "put the toll at 89", "placed the number of dead at 74".
_TOLL_VERBS = frozenset({"put", "place", "estimate", "set"})
_TOLLS = frozenset({"toll", "number", "figure", "count", "tally"})
# Events an account places in time, and the words of a time of day it places them at.
_TIMED_EVENTS = frozenset({"strike", "attack", "raid", "release", "bombing", "explosion"})
_TIMES_OF_DAY = frozenset(
    {"morning", "afternoon", "midday", "noon", "dawn", "evening", "night", "hour", "hours"}
)


# Spans of time a conversation can last: "talked for most of an afternoon".
_SPANS_OF_TIME = _TIMES_OF_DAY | frozenset(
    {"minute", "minutes", "day", "days", "week", "weeks", "month", "months", "while", "year"}
)


def _talked_for_a_time(cue: Token) -> bool:
    """ "She talked for most of an afternoon": how long someone spoke, with nothing said of
    what; a talk "about" something, or one with a clause or an object, is left to the rest."""
    if cue.lemma_ not in ("talk", "speak", "chat"):
        return False
    if any(child.dep_ in ("ccomp", "dobj", "xcomp") for child in cue.children):
        return False
    if any(child.dep_ == "prep" and child.lower_ == "about" for child in cue.children):
        return False
    for child in cue.children:
        if child.dep_ != "prep" or child.lower_ != "for":
            continue
        spans = [c for c in child.children if c.dep_ == "pobj"]
        # "for most of an afternoon", "for part of the day": the span after "of"
        spans += [g for s in spans for c in s.children if c.lower_ == "of" for g in c.children]
        if any(s.lemma_.lower() in _SPANS_OF_TIME or s.lower_ in _SPANS_OF_TIME for s in spans):
            return True
    return False


# What a verb of calling someone up can have beside the one called: when, where from, how.
_PHONED_WITH = frozenset(
    {"nsubj", "aux", "neg", "advmod", "punct", "dobj", "prep", "npadvmod", "cc", "conj", "mark"}
)


def _called_someone_up(cue: Token) -> bool:
    """ "Anas called me from Istanbul": a telephone call to someone named by a pronoun, with no
    name given them ("called him a liar") and nothing asked for ("called on me to …"); what was
    said on the call is another verb's."""
    if cue.lemma_ != "call" or cue.pos_ != "VERB":
        return False
    objects = [child for child in cue.children if child.dep_ == "dobj"]
    if len(objects) != 1 or objects[0].lower_ not in _OBJECT_PRONOUNS | {"her"}:
        return False  # "calling him ''actually a very intelligent man''": two objects, a name
    if any(child.dep_ == "punct" and child.text in _QUOTE_MARKS for child in cue.children):
        return False
    return all(
        (
            child.dep_ in _PHONED_WITH
            and not (child.dep_ == "prep" and child.lower_ in ("for", "as", "on", "to"))
        )
        # "When the report came out, Anas called me": when the call was
        or (
            child.dep_ == "advcl"
            and child.i < cue.i
            and any(
                c.dep_ in ("advmod", "mark") and c.lower_ in _WHEN_WORDS for c in child.children
            )
        )
        for child in cue.children
    )


_WHEN_WORDS = frozenset({"when", "after", "before", "once", "while", "as"})


def _questions_said_of(cue: Token) -> bool:
    """ "These are questions about the messengers": the writer calls something questions; no
    one is said to ask them, and the clause says nothing of its own."""
    if cue.lemma_ != "question" or cue.pos_ != "NOUN" or cue.dep_ != "attr":
        return False
    if cue.head.lemma_ != "be":
        return False
    if any(child.dep_ in ("acl", "relcl", "ccomp") for child in cue.children):
        return False
    return any(
        child.dep_ == "nsubj" and child.pos_ in ("PRON", "DET") for child in cue.head.children
    )


def _read_about(cue: Token) -> bool:
    """ "She had read about organophosphate poisoning": what someone learnt of a subject, not
    anything said; "had read that the samples …" (a clause) is left to the rest."""
    return (
        cue.lemma_ == "read"
        and cue.pos_ == "VERB"
        and any(c.dep_ == "prep" and c.lower_ == "about" for c in cue.children)
        and not any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in cue.children)
    )


# Verbs by which a body is brought into being, and what it is brought into being "to" do.
_FOUNDED = frozenset({"set", "establish", "create", "found", "form", "launch"})


def _founding(cue: Token) -> bool:
    """ "the mechanism, which the United Nations set up …": setting a body up says nothing."""
    return (
        cue.lemma_ == "set"
        and any(c.dep_ == "prt" and c.lower_ == "up" for c in cue.children)
        and not any(c.dep_ == "ccomp" for c in cue.children)
    )


def _founded_to(cue: Token) -> bool:
    """ "which the United Nations set up to name those responsible": what a body was set up to
    do is its remit, not anything said by whoever set it up."""
    return (
        cue.dep_ in ("advcl", "xcomp")
        and cue.tag_ == "VB"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children)
        and cue.head.lemma_ in _FOUNDED
        and (
            cue.head.lemma_ != "set"
            or any(c.dep_ == "prt" and c.lower_ == "up" for c in cue.head.children)
        )
    )


def _timing_put(cue: Token, event: Token | None) -> Token | None:
    """The "at/in/around/between" phrase of "put <an event> <at a time>" ("put its strike in
    the late morning", "puts that strike around midday", "put the raid at 11:30"), or None."""
    if cue.lemma_.lower() not in ("put", "place") or event is None:
        return None
    if event.lemma_.lower() not in _TIMED_EVENTS:
        return None
    return next(
        (
            c
            # "put the release between 06:30 and 07:00": the parser may hang the time on the event
            for c in [*cue.children, *event.children]
            if c.dep_ == "prep"
            and c.i > event.i
            and c.lower_ in ("at", "in", "around", "between")
            and any(t.ent_type_ in ("TIME", "DATE") or t.lower_ in _TIMES_OF_DAY for t in c.subtree)
        ),
        None,
    )


def _tolls(doc: Doc) -> list[Attribution]:
    """A source's count of the dead or wounded: "The health directorate put the toll at 89,
    including 31 children". Casualty figures differ by source, and each source's figure is a
    claim to weigh; the cue is the verb, the content its object and figure ("the toll at 89,
    including 31 children"), the source its subject."""
    found = []
    for cue in doc:
        if cue.lemma_.lower() not in _TOLL_VERBS or cue.pos_ != "VERB":
            continue
        count = next((c for c in cue.children if c.dep_ == "dobj"), None)
        at = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ == "at"), None)
        subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
        timed = _timing_put(cue, count)
        if timed is not None and subject is not None:
            # "The ministry put its strike in the late morning", "He puts that strike around
            # midday": when an event happened, by one account, is that account's claim
            at = timed
        elif (
            count is None
            or at is None
            or subject is None
            or at.i < count.i
            or count.lemma_.lower() not in _TOLLS
            or not any(token.like_num for token in at.subtree)
        ):
            continue
        assert count is not None and at is not None
        tokens = list(count.subtree) + list(at.subtree)
        tokens += [
            token
            for c in cue.children
            if c.dep_ == "prep" and c.i > at.i and c.lower_ in ("including", "among")
            for token in c.subtree
        ]
        tokens = list(doc[count.left_edge.i : max(t.i for t in tokens) + 1])
        content = _token_span(_trim(tokens))
        if content is not None:
            found += _one_word_cue(cue, content, _source_tokens(subject), key_of(cue), "toll")
    return found


_DASH_LINE = re.compile(
    r"^[^\S\n]*(?P<content>[\"“”][^\n]{2,}[\"”])[^\S\n]*(?P<cue>―|—|–|--)[^\S\n]*"
    r"(?P<source>[^\n]{2,60}?)(?:[^\S\n]|\.)*$",
    re.M,
)


# Nouns by which "In X's …," gives the clause after it to X.
_VIEWS = frozenset(["view", "opinion", "assessment", "estimation", "word"])
# Verbs whose clause has a speaker of its own: "In its assessment, the panel found that …" is
# the panel's finding, said once.
_OWN_SPEAKER = frozenset(
    ["say", "find", "conclude", "rule", "state", "write", "argue", "note", "determine"]
)


def _in_their_view(doc: Doc) -> list[Attribution]:
    """ "In our view, the chain of custody cannot be confirmed", "In Bolton's view, it is a
    failure", "In the opinion of the Russian side, …", "In its assessment, the crater was
    made by an aerial bomb", "In the words of one diplomat, …": the holder of the view says the clause
    the phrase opens (the view is the cue, as annotators mark it)."""
    found = []
    for view in doc:
        prep = view.head
        if (
            view.lemma_ not in _VIEWS
            or view.dep_ != "pobj"
            or prep.lower_ != "in"
            or prep.dep_ != "prep"
            # the phrase opens the clause it speaks for, or is set inside it between commas
            # after its verb ("The images were, in the view of observers, a film")
            or (prep.i > prep.head.i and not _between_commas(prep))
            or prep.head.lemma_ in _OWN_SPEAKER
            or _in_view_of(view)
        ):
            continue
        holder = next((c for c in view.children if c.dep_ == "poss"), None)
        of = next((c for c in view.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if holder is None and of is not None:
            holder = next((c for c in of.children if c.dep_ == "pobj"), None)
        if holder is None:
            continue
        said = [
            token
            for token in prep.head.subtree
            if not (prep.left_edge.i <= token.i <= prep.right_edge.i)
        ]
        content = _token_span(_trim(_contiguous(said, prep.head)))
        before = _subject_before_view(prep, said)
        if content is not None and before is not None:
            content = joined([before, content])
        if prep.i > prep.head.i:
            # the clause's words on either side of the aside, which it holds both of
            pieces = [
                _token_span(_trim(_contiguous(side, side[0]))) if side else None
                for side in (
                    [t for t in said if t.i < prep.left_edge.i],
                    [t for t in said if t.i > prep.right_edge.i],
                )
            ]
            if pieces[0] is None or pieces[1] is None:
                continue
            content = joined([pieces[0], pieces[1]])
        named = _trim([token for token in holder.subtree if token.dep_ != "case"])
        if content is not None:
            found += _one_word_cue(view, content, named, key_of(view), "view")
    return found


# Verbs of saying the tagger can read as nouns after a plural subject ("as critics note").
_NOTED = _SAYING_AGAIN | {"report", "remark", "comment", "observe", "point"}


def _as_they_note(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "As Haddad and Lee (2018) note, the markers match the stockpile": a comment clause
    whose verb the tagger took for a noun (its subject then for a possessive) still gives the
    clause it opens to the names between "as" and the verb; no noun takes "as" as the mark
    of a clause. Only where no proposal has the word for its cue already."""
    taken = {item.cue_i for item in found}
    made = []
    for cue in doc:
        marker = next((c for c in cue.children if c.dep_ == "mark" and c.lower_ == "as"), None)
        if (
            cue.i in taken
            or cue.pos_ != "NOUN"
            or cue.lemma_ not in _NOTED
            or cue.dep_ != "advcl"
            or marker is None
            or marker.i > cue.i
            or cue.head.i < cue.i  # the clause it opens comes after it
        ):
            continue
        named = _trim(list(doc[marker.i + 1 : cue.i]))
        if not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in named):
            continue  # "as noted": no one named
        if named and doc[named[-1].i + 1].text == ")" and any(t.text == "(" for t in named):
            named.append(doc[named[-1].i + 1])  # the year of a citation: "Haddad and Lee (2018)"
        said = [t for t in cue.head.subtree if not (cue.left_edge.i <= t.i <= cue.right_edge.i)]
        content = _token_span(_trim(_contiguous(said, cue.head)))
        if content is not None:
            made += _one_word_cue(cue, content, named, f"{cue.lemma_}/VERB", "as-noted")
            opened = next((t.i for t in named if t.text == "("), None)
            if made and opened is not None and opened > named[0].i:
                # the names without the year in brackets, as a speaker before a verb is named
                made[-1].speaker = describe([t for t in named if t.i < opened])
    return made


# A work cited in a scholarly text: its author's surname, several joined by commas, "and" or
# "&", or the first one's with "et al." or "and colleagues" ("Haddad and Lee", "Nassar et al.",
# "Hamid and colleagues"), and the year in brackets, with a page or a letter ("(2018)",
# "(2019: 143)", "(2018, p. 214)", "(2017a)").
_CITED_NAMES = (
    r"[A-Z][\w'’-]+(?:(?:,[^\S\n]*|[^\S\n]+and[^\S\n]+|[^\S\n]*&[^\S\n]*)[A-Z][\w'’-]+)*"
    r"(?:[^\S\n]+et[^\S\n]+al\.?|[^\S\n]+and[^\S\n]+(?:colleagues|co-workers|coworkers))?"
)
_CITED_YEAR = r"[^\S\n]*\([^()\n]{0,20}?(?:1[89]|20)\d{2}[a-z]?(?:[,:;][^()\n]{0,30})?\)"
# "as Okafor (2021) notes, …": the clause of comment a scholar's text opens with, before the
# clause it comments on, which is the cited work's finding.
_AS_CITED = re.compile(
    rf"\b[Aa]s[^\S\n]+(?P<names>{_CITED_NAMES})(?P<year>{_CITED_YEAR})[^\S\n]+"
    r"(?:(?:has|have)[^\S\n]+)?(?P<cue>(?:notes|noted|observes|observed|argues|argued|remarks"
    r"|remarked|suggests|suggested|contends|contended|writes|wrote|shows|showed|shown|stresses"
    r"|stressed|concludes|concluded|emphasi[sz]es|emphasi[sz]ed|puts|put)"
    r"(?:[^\S\n]+it)?|points[^\S\n]+out|pointed[^\S\n]+out)[^\S\n]*,[^\S\n]*"
)
# "For Nassar and colleagues (2018), the clustering … is decisive": the view a scholarly text
# gives as a cited work's, the work named with its year at the head of the sentence.
_FOR_CITED = re.compile(
    rf"(?P<cue>For)[^\S\n]+(?P<names>{_CITED_NAMES})(?P<year>{_CITED_YEAR})[^\S\n]*,[^\S\n]*"
)


def _cited_tokens(doc: Doc, match: re.Match[str]) -> list[Token]:
    """The words of a citation's names and year, as the parse has them."""
    span = doc.char_span(match.start("names"), match.end("year"), alignment_mode="expand")
    return list(span) if span is not None else []


def _cited_speaker(doc: Doc, match: re.Match[str]) -> Speaker:
    """Who a citation names: its names without the year in brackets ("Okafor (2021)" is
    Okafor), as a speaker named before a verb is; for "Brandt et al." or "Nassar and
    colleagues", the first author, as :func:`_et_al_split` names them."""
    names = match.group("names")
    others = re.search(r"[^\S\n]+(?:et[^\S\n]+al|and[^\S\n]+(?:colleagues|co-?workers))", names)
    end = match.start("names") + (others.start() if others is not None else len(names))
    span = doc.char_span(match.start("names"), end, alignment_mode="expand")
    return describe(_trim(list(span)) if span is not None else [])


def _rest_of_sentence(doc: Doc, start: int, cue: Token) -> Span | None:
    """The words from ``start`` to the end of the cue's sentence, without its closing stop."""
    end = cue.sent.end_char
    content = _span(doc, start, end)
    text = content.text.rstrip(".;")
    if len(text.split()) < 3 or start >= end:
        return None
    return _span(doc, start, start + len(text))


def _as_cited_notes(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "Third, as Okafor (2021) notes, no scholar has yet compared the two attacks": the
    tagger may read the verb of such a comment clause as a noun in apposition to the cited
    name, and then nothing is proposed; the clause after the comma, to the sentence's end, is
    what the cited work says. Only with the year in brackets (a scholarly citation), and
    where no relation has the verb for its cue already."""
    taken = {item.cue_i for item in found}
    text = text_of(doc)
    made = []
    for match in _AS_CITED.finditer(text):
        cue_span = doc.char_span(match.start("cue"), match.end("cue"), alignment_mode="expand")
        if cue_span is None or cue_span[0].i in taken:
            continue
        cue = cue_span[0]
        if cue.sent.start_char > match.start():
            continue
        content = _rest_of_sentence(doc, match.end(), cue)
        named = _cited_tokens(doc, match)
        if content is None or not named:
            continue
        cue_text = re.sub(r"[^\S\n]+it$", "", match.group("cue"))
        lemma = cue.lemma_.lower() if cue.pos_ == "VERB" else cue_text.split()[0].rstrip("s")
        made += _one_word_cue(cue, content, named, f"{lemma}/VERB", "as-cited")
        if made and made[-1].cue_i == cue.i:
            made[-1].cue = _span(doc, match.start("cue"), match.start("cue") + len(cue_text))
            made[-1].speaker = _cited_speaker(doc, match)
    return made


def _for_cited(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "For Nassar and colleagues (2018), the clustering of symptom onset is decisive": in
    a review, "For" and a cited work at the head of a sentence give the rest of it as that
    work's view, as "According to" does. Only with the year in brackets and where nothing
    found has the "For" for its cue."""
    taken = {item.cue_i for item in found}
    text = text_of(doc)
    made = []
    for match in _FOR_CITED.finditer(text):
        cue_span = doc.char_span(match.start("cue"), match.end("cue"), alignment_mode="expand")
        if cue_span is None or cue_span[0].i in taken or not cue_span[0].is_sent_start:
            continue
        cue = cue_span[0]
        content = _rest_of_sentence(doc, match.end(), cue)
        named = _cited_tokens(doc, match)
        if content is None or not named:
            continue
        made += _one_word_cue(cue, content, named, "for/ADP", "for-cited")
        if made and made[-1].cue_i == cue.i:
            made[-1].speaker = _cited_speaker(doc, match)
    return made


_CITED_BEFORE = re.compile(rf"(?P<names>{_CITED_NAMES})(?P<year>{_CITED_YEAR})[^\S\n]*$")


def _cited_before_verb(
    doc: Doc, proposals: list[tuple[Attribution, list[str], str]], found: list[Attribution]
) -> list[Attribution]:
    """ "In their recent article, Brandt et al. (2021) conclude that …": the parser may hang a
    cited work's names on the opening phrase ("In … article, Brandt et al.") and leave the
    verb after the citation's year without a subject; the names right before it, with the
    year, are its subject. Only for a finite verb the rules proposed without a source."""
    taken = {item.cue_i for item in found if item.source is not None}
    sourceless = {item.cue_i: item for item in found if item.source is None}
    text = text_of(doc)
    made = []
    for attribution, _, _ in proposals:
        if attribution.source is not None or attribution.cue_i < 0:
            continue
        cue = doc[attribution.cue_i]
        if cue.i in taken or cue.tag_ not in ("VBP", "VBZ", "VBD"):
            continue
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in cue.children):
            continue
        match = _CITED_BEFORE.search(text, cue.sent.start_char, cue.idx)
        named = _cited_tokens(doc, match) if match is not None else []
        if match is None or not named:
            continue
        kept = sourceless.get(cue.i)
        if kept is not None:
            # kept already by the learnt model, without its subject
            kept.source, kept.speaker = _token_span(named), _cited_speaker(doc, match)
        else:
            made.append(
                replace(
                    attribution,
                    source=_token_span(named),
                    speaker=_cited_speaker(doc, match),
                    how="cited-before",
                )
            )
        taken.add(cue.i)
    return made


def _cited_for_content(doc: Doc, found: list[Attribution]) -> None:
    """ "As several authors have pointed out (Haddad, 2018; Lee and Osei, 2020), more than two
    hundred patients had been admitted by 08:00": the citation in brackets after the verb is
    where the authors wrote it, not what they said; what they said is the clause the comment
    opens. A content that is only a bracketed citation, of a verb marked by "as" before the
    clause it hangs on, becomes that clause."""
    text = text_of(doc)
    for item in found:
        if item.cue_i < 0 or item.content.parts:
            continue
        start, end = item.content.start, item.content.end
        if not (
            text[:start].rstrip().endswith("(")
            and text[end:].lstrip().startswith(")")
            and re.search(r"\b(?:1[89]|20)\d{2}[a-z]?\b", item.content.text)
        ):
            continue
        cue = doc[item.cue_i]
        marker = next((c for c in cue.children if c.dep_ == "mark" and c.lower_ == "as"), None)
        if cue.dep_ != "advcl" or marker is None or cue.head.i < cue.i:
            continue
        said = [t for t in cue.head.subtree if not (cue.left_edge.i <= t.i <= cue.right_edge.i)]
        content = _token_span(_trim(_contiguous(said, cue.head)))
        if content is not None:
            item.content = content


def _third_person_read_as_noun(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "…; the Mechanism states that it interviewed 17 witnesses": the tagger may read a
    verb of saying in the third person as a plural noun ("Mechanism states", like "United
    States") heading the sentence, with the that-clause hung on it. A noun never takes a
    "that" clause as its complement at the head of a sentence with no verb; the words before
    it, a name among them, are its subject. Only where no relation has the word for its cue."""
    taken = {item.cue_i for item in found}
    made = []
    for cue in doc:
        if (
            cue.i in taken
            or cue.tag_ != "NNS"
            or cue.dep_ != "ROOT"
            or cue.lower_ not in _THIRD_PERSON_SAYINGS
            or cue.i + 1 >= len(doc)
            or doc[cue.i + 1].lower_ != "that"
            or doc[cue.i + 1].dep_ != "mark"
        ):
            continue
        clause = doc[cue.i + 1].head
        if clause.head != cue or clause.dep_ != "ccomp":
            continue
        named = [c for c in cue.lefts if c.dep_ in ("det", "compound", "amod", "poss")]
        if not any(t.dep_ == "compound" and t.text[:1].isupper() for t in named):
            continue
        subject = _trim(list(doc[named[0].i : cue.i]))
        content = _token_span(_trim(list(doc[cue.i + 1 : clause.right_edge.i + 1])))
        if content is not None and subject:
            made += _one_word_cue(cue, content, subject, f"{cue.lower_[:-1]}/VERB", "noun-verb")
    return made


# Verbs of saying in the third person singular that the tagger can take for plural nouns.
_THIRD_PERSON_SAYINGS = frozenset(
    {
        *("states", "notes", "argues", "claims", "reports", "suggests", "observes"),
        *("concludes", "finds", "contends", "maintains", "writes", "asserts", "stresses"),
        *("acknowledges", "concedes", "confirms", "explains", "warns", "insists"),
    }
)


def _admitted_to_a_place(doc: Doc, item: Attribution) -> bool:
    """ "More than two hundred patients had been admitted to hospitals by 08:00": admitted
    into a place (a hospital, a ward, a school) is taken in, not anything conceded. A passive
    "admit" with "to" or "into" and no clause of its own says nothing."""
    cue = doc[item.cue_i]
    return (
        cue.lemma_ == "admit"
        and any(c.dep_ == "auxpass" for c in cue.children)
        and any(c.dep_ == "prep" and c.lower_ in ("to", "into") for c in cue.children)
        and not any(c.dep_ in ("ccomp", "xcomp") for c in cue.children)
    )


# What a funding statement says was paid for: "This work was supported by the Science Policy
# Office", "The study was funded by …".
_FUNDED_WORK = frozenset(
    {
        *("work", "study", "research", "project", "trial", "survey", "analysis"),
        *("programme", "program", "investigation", "fieldwork", "paper", "publication"),
    }
)


def _funding_statement(doc: Doc, item: Attribution) -> bool:
    """ "This work was supported by the Belgian Science Policy Office": a paper's note of who
    paid for it, not a body backing a position. A passive "support" or "fund" whose subject
    is the work itself says nothing."""
    cue = doc[item.cue_i]
    if cue.lemma_ not in ("support", "fund", "finance", "sponsor"):
        return False
    # "Funding: This work was supported by …": the field's label may be read as a subject too
    return any(c.dep_ == "nsubjpass" and c.lemma_.lower() in _FUNDED_WORK for c in cue.children)


# The heading of a structured abstract's section, opening a line: "Background:", "Results:".
_ABSTRACT_HEADING = re.compile(
    r"(?:Background|Methods?|Results?|Conclusions?|Objectives?|Aims?|Introduction|Findings"
    r"|Purpose|Context|Design|Setting|Summary|Interpretation|Case[^\S\n]+presentation)"
    r"[^\S\n]*:[^\S\n]*"
)


def _cut_abstract_heading(doc: Doc, found: list[Attribution]) -> None:
    """ "Background: The use of sarin … killed at least 83 people according to the UN
    Commission of Inquiry": a structured abstract's section heading at the head of the line
    is no part of what the source said."""
    text = text_of(doc)
    for item in found:
        content = item.content
        if content.parts or (content.start > 0 and text[content.start - 1] != "\n"):
            continue
        heading = _ABSTRACT_HEADING.match(text, content.start)
        if heading is not None and heading.end() < content.end:
            item.content = _span(doc, heading.end(), content.end)


# A peer-review report's heading for each referee's part: "Reviewer 2", "Referee #1",
# "REVIEWER 1: comments to the authors"; and a line that ends the referee's part: the editor's
# letter, the authors' response.
_REVIEWER_HEADING = re.compile(
    r"^[^\S\n]*(?P<name>(?:Reviewer|Referee|REVIEWER|REFEREE)[^\S\n]*#?[^\S\n]*(?:\d{1,2}|[A-C]))"
    r"\b[^\n]{0,40}$",
    re.M,
)
_REVIEW_ENDS = re.compile(
    r"^[^\S\n]*(?:Dear[^\S\n]|[^\n]{0,30}\b(?:[Ee]ditor|EDITOR|[Dd]ecision|[Rr]esponse|[Rr]eply"
    r"|[Rr]ebuttal)\b[^\n.]{0,40}$)",
    re.M,
)


def _reviewer_speaks(doc: Doc, found: list[Attribution], quotes: Sequence[tuple[int, int]]) -> None:
    """ "Reviewer 2 / … I agree with the conclusion, but …": in a peer-review report each
    referee's part is headed by their number, which is all the report names them by; an "I"
    or "my" under that heading, before the next referee's or the editor's part, is that
    referee, not the editor who signs the letter below nor the last person named."""
    text = text_of(doc)
    headings = list(_REVIEWER_HEADING.finditer(text))
    if not headings:
        return
    ends = [m.start() for m in _REVIEW_ENDS.finditer(text)]
    for item in found:
        source = item.source
        if source is None or source.text.lower() not in ("i", "me", "my"):
            continue
        if _reported(found, item, quotes):
            continue
        heading = next((h for h in reversed(headings) if h.end() <= source.start), None)
        if heading is None or any(heading.end() < end <= source.start for end in ends):
            continue
        name = re.sub(r"\s+", " ", heading.group("name")).replace("# ", "#")
        referee = Speaker(name=name.title(), type="person", title="reviewer")
        item.speaker = replace(referee, resolved_from=source.text)


# Adjectives that judge doing something, before the infinitive of the deed: "It would be
# wrong to dismiss the critical literature": no one dismisses it.
_JUDGED_DEED = frozenset(
    {
        *("wrong", "mistaken", "unfair", "premature", "tempting", "foolish", "naive"),
        *("misleading", "unwise", "easy", "hard", "difficult", "simplistic"),
    }
)


def _deed_judged(doc: Doc, item: Attribution) -> bool:
    """ "It would be wrong, however, to dismiss the critical literature": an infinitive after
    "it is" and an adjective that judges the deed names an act the writer weighs, done by no
    one; it is no claim (the "it" is no speaker)."""
    cue = doc[item.cue_i]
    if cue.dep_ not in ("xcomp", "ccomp", "advcl") or not any(
        c.dep_ == "aux" and c.lower_ == "to" for c in cue.children
    ):
        return False
    head = cue.head
    return (
        head.lemma_ == "be"
        and any(c.dep_ == "nsubj" and c.lower_ == "it" for c in head.children)
        and any(c.dep_ == "acomp" and c.lower_ in _JUDGED_DEED for c in head.children)
    )


def _object_after_a_listed_report(doc: Doc, found: list[Attribution]) -> None:
    """ "Konashenkov asserted that a strike had hit a depot, Ulyanov later suggested a ground
    device": in a list of who said what, the parser may take the report before the comma for
    what the next speaker said, as in "…, the agency reported". When that clause is itself a
    report found on its own and the later verb has an object of its own after it, what the
    later speaker said is that object."""
    cues = {item.cue_i for item in found}
    for item in found:
        if item.cue_i < 0 or item.content.parts or item.content.end > item.cue.start:
            continue
        cue = doc[item.cue_i]
        fronted = next((c for c in cue.children if c.dep_ == "ccomp" and c.i < cue.i), None)
        said = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
        if fronted is None or said is None or fronted.i not in cues or cue.lemma_ in _TOLD:
            continue  # "…, the minister told journalists": whom it was told
        content = _token_span(_trim(list(said.subtree)))
        if content is not None:
            item.content = content


def _owner_of_a_noun_cue(doc: Doc, found: list[Attribution]) -> None:
    """ "My main concern is that the authors do not engage with the anomalies": a noun of
    saying or thinking that is the subject of "is", with what it holds after the verb, is
    the view of whoever owns it; a possessive before it ("my", "their", "Russia's") names
    that owner, as the subject of a verb would. Only where no source was found."""
    for item in found:
        if item.source is not None or item.cue_i < 0:
            continue
        cue = doc[item.cue_i]
        if cue.pos_ != "NOUN" or cue.dep_ != "nsubj" or cue.head.lemma_ != "be":
            continue
        owner = next((c for c in cue.children if c.dep_ == "poss" and c.i < cue.i), None)
        if owner is None or owner.lower_ in ("its", "whose"):
            continue
        named = _trim(list(owner.subtree))
        if named and named[-1].tag_ == "POS":
            named = named[:-1]
        source = _token_span(named)
        if source is not None:
            item.source, item.speaker = source, describe(named)


# What is done with a claim by the one who makes it: "the claim, made by Assad, that …".
_CLAIM_MAKING = frozenset({"make", "advance", "voice", "put", "raise", "level", "offer"})


def _claim_made_by(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "the claim, made by President Assad in an interview with AFP, that the attack was
    staged", "the allegation by Moscow that …": a noun of claiming with its that-clause names
    its maker after "by", on the noun or on a participle of making hung on it; the maker said
    what the clause says. Where the rules kept the noun without a source, it gets this one."""
    kept = {item.cue_i: item for item in found}
    made = []
    for cue in doc:
        if cue.pos_ != "NOUN" or cue.lemma_.lower() not in _CLAIM_NOUNS:
            continue
        item = kept.get(cue.i)
        if item is not None and item.source is not None:
            continue
        making = next(
            (
                c
                for c in cue.children
                if c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_ in _CLAIM_MAKING
            ),
            None,
        )
        # the clause hangs on the noun, or (no comma before it) on the participle of making
        clause = next(
            (
                c
                for c in [*cue.children, *(making.children if making is not None else ())]
                if c.dep_ in ("acl", "ccomp")
                and c.i > cue.i
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                and any(s.dep_ in ("nsubj", "nsubjpass") for s in c.children)
            ),
            None,
        )
        if clause is None:
            continue
        agent = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        if agent is None and making is not None:
            agent = next((c for c in making.children if c.dep_ == "agent"), None)
        maker = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        if maker is None:
            continue
        named = _trim(_source_tokens(maker))
        content = _token_span(_trim(list(doc[clause.left_edge.i : clause.right_edge.i + 1])))
        if content is None or not named:
            continue
        if item is not None:
            item.source, item.speaker, item.content = _token_span(named), describe(named), content
        else:
            made += _one_word_cue(cue, content, named, f"{cue.lemma_}/NOUN", "claim-made-by")
    return made


def _it_of_the_first_conjunct(doc: Doc, found: list[Attribution]) -> None:
    """ "The Mechanism did not, however, exclude it, and it stated that such a device could not
    be ruled out": the "it" that opens a clause joined by "and" to one with a named subject is
    that subject, the one the sentence goes on about, not the last body named before it. Only
    for a body (an "it" after a thing is the whole state of affairs more often). The speaker
    is the one given to that subject where it speaks elsewhere, else the noun itself."""
    for item in found:
        if item.source is None or item.source.text.lower() != "it" or item.cue_i < 0:
            continue
        cue = doc[item.cue_i]
        first = cue.head
        if cue.dep_ != "conj" or first.i > cue.i or first.pos_ not in ("VERB", "AUX"):
            continue
        if not any(c.dep_ == "cc" and c.lower_ == "and" for c in first.children if c.i < cue.i):
            continue
        subject = next((c for c in first.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.tag_ not in ("NN", "NNP"):
            continue
        if subject.lower_ not in _ORG_WORDS and subject.ent_type_ not in ("ORG", "GPE", "NORP"):
            continue  # "such a message is notable, and it shows …": a thing, no speaker
        tokens = _trim(_source_tokens(subject))
        written = " ".join(t.text for t in tokens).lower()
        known = next(
            (
                other.speaker
                for other in found
                if other.source is not None
                and other.speaker is not None
                and other.source.text.lower() == written
            ),
            None,
        )
        item.speaker = replace(known or describe(tokens), resolved_from=item.source.text)


# A letter to a journal's editor opens on a line of its own ("To the Editor:", "Sir,") and the
# authors' reply to it is headed so ("Authors' reply", "Reply", "Response from the authors").
_TO_THE_EDITOR = re.compile(
    r"^[^\S\n]*(?:To[^\S\n]+the[^\S\n]+Editor|Dear[^\S\n]+Editor|Sir|Dear[^\S\n]+Sir)[,:]?[^\S\n]*$"
    r"|^[^\S\n]*(?:(?:The[^\S\n]+)?[Aa]uthors?['’]?[^\S\n]+[Rr]eply|Reply|In[^\S\n]+reply"
    r"|Response[^\S\n]+(?:from|of)[^\S\n]+the[^\S\n]+authors)[^\S\n]*:?[^\S\n]*$",
    re.M,
)
_SIGNER_NAME = r"[A-Z][a-z'’-]+(?:[^\S\n]+[A-Z][a-z'’-]+){1,2}"
# The signers under such a letter: each on a line of their own with their degrees ("Samira
# Haddad, PhD"), or all on one line ("Lena Brandt, Deniz Yilmaz, Omar Nassar").
_SIGNER_LINE = re.compile(
    rf"^[^\S\n]*(?:(?:Dr|Prof|Professor)\.?[^\S\n]+)?(?P<name>{_SIGNER_NAME})"
    r"(?:,[^\S\n]*(?:PhD|MD|MSc|MA|MPH|BSc|DPhil|MBBS|FRCP|RN|MBChB)\.?)+[^\S\n]*$",
    re.M,
)
_SIGNERS_LINE = re.compile(
    rf"^[^\S\n]*(?P<names>{_SIGNER_NAME}(?:,[^\S\n]*{_SIGNER_NAME})*"
    rf"(?:,?[^\S\n]+and[^\S\n]+{_SIGNER_NAME}|,[^\S\n]*{_SIGNER_NAME}))[^\S\n]*$",
    re.M,
)


def _joined_names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _letter_signers(doc: Doc, found: list[Attribution], quotes: Sequence[tuple[int, int]]) -> None:
    """ "To the Editor: In their recent article, Brandt et al. conclude …. We do not dispute
    …" and, below the letter, "Samira Haddad, PhD / … / Kevin Lee, MSc": a letter to a journal
    is signed at its end, without a closing formula, and its "we" (or "I") is whoever signs it;
    so is the "we" of the authors' reply, signed in its turn. Each part runs from its opening
    line to the next; only a "we" before the part's signatures, in the writers' own voice."""
    text = text_of(doc)
    opens = [m.start() for m in _TO_THE_EDITOR.finditer(text)]
    if not opens:
        return
    parts = list(zip(opens, [*opens[1:], len(text)], strict=True))
    for start, end in parts:
        lines = [m for m in _SIGNER_LINE.finditer(text, start, end)]
        names = [m.group("name") for m in lines]
        if not lines:
            together = list(_SIGNERS_LINE.finditer(text, start, end))
            if not together or text[together[-1].end() : end].strip():
                continue  # the names must close the part
            lines = together[-1:]
            names = [n.strip() for n in re.split(r",|\band\b", together[-1].group("names"))]
            names = [n for n in names if n]
        signed = lines[0].start()
        several = len(names) > 1
        writers = Speaker(
            name=_joined_names(names),
            type="group" if several else "person",
            title="authors" if several else "author",
        )
        for item in found:
            source = item.source
            if source is None or not start <= source.start < signed:
                continue
            if source.text.lower() not in (("we", "our", "us") if several else ("i", "me", "my")):
                continue
            if not _reported(found, item, quotes):
                item.speaker = replace(writers, resolved_from=source.text)


# Plural nouns for those who write and study, whom a "they" after them goes on about.
_WRITING_PEOPLE = frozenset(
    {"author", "researcher", "investigator", "inspector", "scientist", "scholar", "reviewer"}
    | {"correspondent", "expert", "analyst", "doctor", "physician"}
)


def _they_of_the_sentence_before(doc: Doc, found: list[Attribution]) -> None:
    """ "The authors examine the claim …. They compile the published results and argue that
    …": a "they" the resolver left as written (it resolves to those named) is the plural
    subject of the sentence before it, when that subject is a kind of people who write or
    study ("the authors", "the inspectors"), as a reader takes it."""
    for item in found:
        source = item.source
        if source is None or source.text.lower() != "they" or item.cue_i < 0:
            continue
        if item.speaker is not None and item.speaker.name.lower() != "they":
            continue
        sentence = doc[item.cue_i].sent
        if sentence.start == 0 or doc[sentence.start].idx > source.start:
            continue
        if source.start != doc[sentence.start].idx:
            continue  # only a "They" that opens its sentence
        before = doc[sentence.start - 1].sent
        subject = next((c for c in before.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if (
            subject is None
            or subject.tag_ != "NNS"
            or subject.lemma_.lower() not in _WRITING_PEOPLE | _PEOPLE_NOUNS
        ):
            continue
        tokens = _trim(_source_tokens(subject))
        item.speaker = replace(describe(tokens), resolved_from=source.text)


def _held_that(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "The court held that the strike was unlawful", "This newspaper has never held that
    naming the guilty is enough": "hold" with a that-clause is holding a view, a claim of its
    subject's, though "hold" is mostly no saying ("held talks", "held a meeting"), so the
    lexicon lacks it. Only with "that" opening the clause, and a subject. "Record" is read
    the same way: "The Mechanism recorded that several admission times predate the release"
    is what a report states, though "recorded a video" is not."""
    taken = {item.cue_i for item in found}
    made = []
    for cue in doc:
        if cue.i in taken or cue.lemma_ not in ("hold", "record") or cue.pos_ != "VERB":
            continue
        clause = next(
            (
                c
                for c in cue.children
                if c.dep_ == "ccomp"
                and c.i > cue.i
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            ),
            None,
        )
        subject = next((c for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i), None)
        if clause is None or subject is None or subject.lower_ in _EMPTY_SUBJECTS:
            continue
        content = _token_span(_trim(list(clause.subtree)))
        start = cue
        while (
            start.i > 0
            and doc[start.i - 1].head == cue
            and doc[start.i - 1].dep_
            in (
                "aux",
                "neg",
            )
        ):
            start = doc[start.i - 1]  # "has never held"
        if content is not None:
            made += _one_word_cue(
                cue, content, _source_tokens(subject), f"{cue.lemma_}/VERB", "held-that", start
            )
    return made


# Verbs of saying a quotation can be taken up by: "“…” - that is what the anchor said".
_TAKEN_UP = frozenset({"say", "write", "tell", "claim", "tweet", "declare", "call", "report"})


def _sentence_taken_up(pointer: Token) -> tuple[int, int] | None:
    """ "The air force struck a depot. That is what the ministry reported.": the sentence just
    before, in the same paragraph, when "That" or "This" opens the sentence that takes it up;
    its closing stop is left out. None when there is none or a blank line lies between."""
    doc = pointer.doc
    sentence = pointer.sent
    if pointer.i != sentence.start or sentence.start == 0:
        return None
    before = doc[sentence.start - 1].sent
    text = text_of(doc)
    if "\n\n" in text[before.start_char : sentence.start_char] or '"' in before.text:
        return None
    words = [t for t in before if not t.is_space]
    while words and words[-1].is_punct:
        words = words[:-1]
    if len(words) < 4 or not any(t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX") for t in words):
        return None
    return words[0].idx, words[-1].idx + len(words[-1].text)


def _quotation_taken_up(doc: Doc, quotes: list[tuple[int, int]]) -> list[Attribution]:
    """ "“Beautiful pictures of missiles” - that is what one anchor said": a quotation set
    first, then taken up by "that is what X said". The verb's object is "what", which stands
    for the quotation just before "that"; the parse gives it no clause, so "what" alone is
    taken for what was said (and dropped by the learnt filter)."""
    text = text_of(doc)
    made = []
    for cue in doc:
        if cue.lemma_ not in _TAKEN_UP:
            continue
        what = next((c for c in cue.children if c.dep_ == "dobj" and c.lower_ == "what"), None)
        subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
        be = cue.head
        pointer = next(
            (c for c in be.children if c.dep_ == "nsubj" and c.lower_ in ("that", "this")), None
        )
        if (
            what is None
            or subject is None
            or subject.lower_ in ("i", "we", "you")
            or be.lemma_ != "be"
            or pointer is None
            or not (pointer.i < what.i < subject.i < cue.i)
        ):
            continue
        quote = next(
            (
                (start, stop)
                for start, stop in quotes
                if stop <= pointer.idx and not text[stop : pointer.idx].strip(" -–—,:\"”’'")
            ),
            None,
        ) or _sentence_taken_up(pointer)
        if quote is None:
            continue
        content = _span(doc, quote[0], quote[1])
        named = _trim(list(subject.subtree))
        made += _one_word_cue(cue, content, named, f"{cue.lemma_}/VERB", "taken-up")
    return made


def _subject_before_view(prep: Token, said: list[Token]) -> Span | None:
    """The words of the clause before an "in my view" set inside it between commas: in "The
    crater, in our view, was made by a bomb" the view holds the crater too, so what was said
    is both pieces ("But" or "And" opening the sentence joins it to the one before and is no
    part of it, nor is a "because" or "that" marking the clause). None when the phrase opens
    the clause."""
    if prep.head.i < prep.i:
        return None
    words = [t for t in said if t.i < prep.left_edge.i]
    while words and (words[0].dep_ in ("cc", "mark") or words[0].is_punct):
        words = words[1:]  # "because, in her words, …": the clause's mark is no one's words
    words = _trim(words)
    if words and words[-1].tag_ in ("WDT", "WP", "WP$"):
        return None  # "…, who, in our opinion, were not interested": the relative is no words
    if not words or any(t.head.i > prep.head.i and t.head != prep.head for t in words):
        return None
    if words != _contiguous(words, words[0]):
        return None
    return _token_span(words)


def _per_source(doc: Doc) -> list[Attribution]:
    """ "Per him, the hospital was hit again in the afternoon", "…, per the ministry.": a log's
    or a newsroom's shorthand for "according to", at either end of its sentence and set off by
    a comma. Its object must name someone (a pronoun, a name, a body): "per cent", "per day"
    and "per the agreement" are no sources."""
    found = []
    for per in doc:
        if per.lower_ != "per" or per.dep_ != "prep":
            continue
        obj = next((c for c in per.children if c.dep_ == "pobj"), None)
        if obj is None or not (
            obj.lower_ in _PERSON_PRONOUNS | {"them", "it"}
            or obj.ent_type_ in ("PERSON", "ORG", "NORP")
            or (obj.pos_ == "PROPN" and obj.ent_type_ not in ("DATE", "TIME", "GPE", "LAW"))
            or _singular(obj.lower_) in _ROLES | _PEOPLE_NOUNS | _ORG_WORDS
        ):
            continue
        sentence = per.sent
        phrase = list(per.subtree)
        words = [t for t in sentence if t.i < phrase[0].i or t.i > phrase[-1].i]
        if per.i == sentence.start or (per.i == sentence.start + 1 and per.nbor(-1).is_punct):
            if phrase[-1].i + 1 >= sentence.end or doc[phrase[-1].i + 1].text != ",":
                continue  # "Per him, …": the comma after the phrase
        elif phrase[0].i > sentence.start and doc[phrase[0].i - 1].text == ",":
            if any(not t.is_punct for t in sentence if t.i > phrase[-1].i):
                continue  # "…, per the ministry.": nothing but the full stop after it
        else:
            continue
        said = _trim(
            [t for t in words if not t.is_punct or t.i not in (per.i - 1, phrase[-1].i + 1)]
        )
        content = _token_span(said)
        source = _token_span([t for t in phrase if t is not per])
        if content is None or source is None or len(said) < 3:
            continue
        if not any(t.pos_ in ("VERB", "AUX") for t in said):
            continue
        cue = _span(doc, per.idx, per.idx + len(per.text))
        speaker = describe([t for t in phrase if t is not per])
        whole = _span(doc, sentence.start_char, sentence.end_char)
        found.append(Attribution(cue, content, source, speaker, whole, "per/ADP", how="per"))
    return found


# A fact check's line naming the claim it checks: "Claim: Footage of the attack was staged
# with paid actors." (in any case; "CLAIM:" the tagger may read as a verb, "Claim:" it does not),
# and a myth-buster's "MYTH: "The sarin came from a rebel warehouse."", a claim all the same.
_CHECKED_CLAIM = re.compile(
    r"^[^\S\n]*(?P<cue>(?:(?:The|Viral)[^\S\n]+)?(?:claim|Claim|CLAIM|myth|Myth|MYTH))[^\S\n]*:[^\S\n]+"
    r"(?P<content>\S[^\n]*)$",
    re.M,
)


def _participle_in_apposition(doc: Doc, item: Attribution) -> bool:
    """ "The presence of hexamine, a stabiliser declared in the state's own process, is a
    signature": a noun set beside another and qualified by a bare past participle with a
    phrase after it ("declared in …", "described by …"). The parser can read it as an aside
    ("…, officials said, …") whose subject is the noun, but a participle with no auxiliary
    says what was done to the noun, not what the noun said."""
    if not item.how.endswith("/parenthesis") or item.cue_i < 0:
        return False
    cue = doc[item.cue_i]
    if any(c.dep_ in ("aux", "auxpass") for c in cue.children) or not any(
        c.dep_ in ("prep", "agent") and c.i == cue.i + 1 for c in cue.children
    ):
        return False
    if cue.tag_ == "VBN":
        return True
    # the tagger may read the participle as a past tense ("a metal declared in …"): then only
    # when the noun is a thing, as "a spokesman said in a statement" is an aside
    subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    return (
        subject is not None
        and subject.pos_ == "NOUN"
        and not subject.ent_type_
        and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in subject.children)
        and subject.lemma_.lower()
        not in _PEOPLE_NOUNS | _ROLES | _GENERIC_GROUPS | _STATE_BODIES | _BODY_WORDS
    )


def _bare_participle(cue: Token) -> bool:
    """A past participle with neither an auxiliary nor a clause above it to lean on: "the
    children shown were borrowed", where "shown" qualifies the children."""
    return cue.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in cue.children)


def _checked_claims(doc: Doc) -> list[Attribution]:
    """A fact check's "Claim: <what was claimed>" line: the claim under check, whose maker the
    article names elsewhere (if at all), so it is given no source. The line must hold a clause
    ("Claim: The children were actors"), not a verdict or a title ("Claim: False")."""
    found = []
    for match in _CHECKED_CLAIM.finditer(text_of(doc)):
        c_start, c_end = match.span("content")
        said = doc.char_span(c_start, c_end, alignment_mode="expand")
        if said is None or not any(t.pos_ in ("VERB", "AUX") for t in said):
            continue
        content = _line_content(doc, c_start, c_end)
        if len(content.text.split()) < 3:
            continue
        cue = _span(doc, *match.span("cue"))
        sentence = _span(doc, match.start(), match.end())
        found.append(Attribution(cue, content, None, None, sentence, "claim/NOUN", how="line"))
    return found


def _dash_lines(doc: Doc) -> list[Attribution]:
    """A paragraph that is one quotation signed with a dash and a name (readers' and
    witnesses' words collected in a list): ``"We were afraid." ― Ana Ruiz``."""
    found = []
    for match in _DASH_LINE.finditer(text_of(doc)):
        tokens = _name_tokens(doc, *match.span("source"))
        source = _token_span(tokens) if tokens else None
        if tokens is None or source is None:
            continue
        content = _span(doc, *match.span("content"))
        cue = _span(doc, *match.span("cue"))
        sentence = _span(doc, match.start(), match.end())
        found.append(
            Attribution(cue, content, source, describe(tokens), sentence, "―/PUNCT", how="line")
        )
    return found


# A quotation set apart on its own line, with the line under it crediting it after a dash: a
# textbook's source box, an epigraph, a pull quote.
_CREDIT_BELOW = re.compile(
    r"^[^\S\n]*(?P<content>[\"“][^\n]{10,}[\"”])[^\S\n]*\n"
    r"[^\S\n]*(?P<cue>―|—|–|--|-)[^\S\n]+(?P<source>[A-Z][^\n,;(]{1,100}?)"
    r"[^\S\n]*(?:[,;(][^\n]*)?$",
    re.M,
)


def _issuer_of_work(tokens: list[Token]) -> list[Token]:
    """ "Seventh report of the OPCW-UN Joint Investigative Mechanism": a work credited by its
    title speaks for whoever issued it (the words after "of"); other names stay whole."""
    root = next((t for t in tokens if t.head not in tokens or t.head == t), None)
    if root is None or root.lemma_.lower() not in _PUBLISHED | {"evaluation", "study", "paper"}:
        return tokens
    of = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    issuer = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if issuer is None or issuer.pos_ != "PROPN":
        return tokens
    words = _trim([t for t in issuer.subtree if t.dep_ != "det" and t in tokens])
    return words or tokens


def _credited_below(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "The Leadership Panel is confident that …" on a line of its own, and under it "-
    Seventh report of the OPCW-UN Joint Investigative Mechanism, 26 October 2017": the dash
    credits the quotation to whoever the line names (up to the comma before the date); the
    quotation is theirs, as when the dash follows it on the same line."""
    made = []
    taken = {item.cue.start for item in found}
    for match in _CREDIT_BELOW.finditer(text_of(doc)):
        if match.start("cue") in taken:
            continue
        named = doc.char_span(*match.span("source"), alignment_mode="expand")
        tokens = _trim([t for t in named]) if named is not None else []
        source = _token_span(tokens)
        if source is None:
            continue
        made.append(
            Attribution(
                _span(doc, *match.span("cue")),
                _span(doc, *match.span("content")),
                source,
                describe(_issuer_of_work(tokens)),
                _span(doc, match.start(), match.end()),
                "―/PUNCT",
                how="line",
            )
        )
    return made


def _asks_to_act(cue: Token) -> bool:
    """Whether a call asks for something ("appealed for calm") or asks someone to act
    ("appealed to the agencies to send antidotes")."""
    return any(
        (child.dep_ == "prep" and child.lower_ == "for")
        or (
            child.dep_ in ("xcomp", "advcl", "ccomp")
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
        )
        for child in cue.children
        if child.i > cue.i
    )


def _target_content(cue: Token, openers: frozenset[str]) -> Span | None:
    """What "lashed out at Turkey for its operations in Syria" says: the target and the
    grievance, the prepositional phrases (and a following "to ..." clause) after the cue up to
    the first one saying when; None unless the first opens with one of ``openers``."""
    if any(child.dep_ in ("oprd", "dobj") and child.i > cue.i for child in cue.children):
        return None  # "has been called a charlatan … for promoting cures": a name given
    tokens: list[Token] = []
    opened = False
    for child in cue.children:
        infinitive = child.dep_ in ("advcl", "ccomp") and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in child.children
        )  # "called on all parties to cooperate", "called for compensation to be repaid": the
        # infinitive parsed as an adverbial clause or a clause of the cue
        marked = (
            not opened
            and child.dep_ == "advcl"
            and any(c.dep_ == "mark" and c.lower_ in openers for c in child.children)
        )  # "called for the samples to be tested", "for" parsed as the clause's mark
        # "called on fellow Republicans to …": the parser can make "on" a particle, still
        # with its object
        if child.i < cue.i or not (child.dep_ in ("prep", "prt", "xcomp") or infinitive or marked):
            continue
        if child.dep_ == "prt" and child.lower_ not in openers:
            continue  # "lashed out at …": the particle is the verb's, not an opener
        if marked:
            tokens += [t for t in child.subtree if not (t.dep_ == "mark" and t.head == child)]
            opened = True
            continue
        if _temporal(child) and not opened:
            continue  # "called on Friday for an inquiry"
        if _temporal(child) or (not opened and child.lower_ not in openers):
            break
        # the opening preposition belongs to the cue ("called on", "lashed out at")
        tokens += [token for token in child.subtree if token is not child or opened]
        opened = True
    return _token_span(_trim(_contiguous(tokens, tokens[0]))) if tokens else None


# Verbs a diplomat's letter wishes to say by: "I should like to state that …".
_SAID_COURTEOUSLY = frozenset(
    {"state", "say", "stress", "emphasize", "emphasise", "reiterate", "underline", "note"}
    | {"recall", "confirm", "reaffirm", "add", "highlight", "inform", "point", "express"}
)


# What announces a saying without saying it: "I want to say something", "let me add one thing".
_PLACEHOLDERS = frozenset({"something", "anything", "this", "thing", "word", "words"})


# Verbs by which a speaker bids a listener to speak or to ask ("Ask them to come", "Tell her").
_BIDDING = frozenset({"ask", "tell", "beg", "urge", "invite"})


def _bidding(doc: Doc, item: Attribution) -> bool:
    """ "Ask them to come and tell his mother …", opening its sentence without a subject: a
    speaker bidding the listener, not a report of anyone's asking (a resolution's operative
    verbs are in the third person: "Requests the Director-General …")."""
    cue = doc[item.cue_i]
    let = cue.head
    if (
        cue.dep_ == "ccomp"
        and let.lemma_ == "let"
        and let.dep_ == "ROOT"
        and let.i == let.sent.start
        and any(c.dep_ == "nsubj" and c.lower_ not in ("me", "us") for c in cue.children)
    ):
        return True  # "Let him explain why …": a challenge put to him; he has said nothing
    return (
        item.source is None
        and cue.tag_ == "VB"
        # a bidding to speak or to ask; "Expect economic issues to roar back" is the writer's
        # forecast, which PolNeAR marks
        and cue.lemma_ in _BIDDING
        and cue.dep_ == "ROOT"
        and cue.i == cue.sent.start
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in cue.children)
    )


_STANDARD_NOUNS = frozenset(("ground", "grounds", "reason", "reasons", "cause", "basis"))
_PURPOSE_NOUNS = frozenset(("purpose", "aim", "objective", "intention", "goal", "effect"))


def _infinitive_of_a_standard(doc: Doc, item: Attribution) -> bool:
    """ "may act where there are reasonable grounds to suspect that …", "The purpose of the
    Bill is to allow …": an infinitive after grounds that there are, or as what a purpose is,
    names a test or an aim that a law or plan sets, not anything anyone has said."""
    cue = doc[item.cue_i]
    to = [c for c in cue.children if c.dep_ == "aux" and c.lower_ == "to" and c.i == cue.i - 1]
    if not to or cue.i < 2:
        return False
    noun = doc[cue.i - 2]
    if (
        noun.lower_ in _STANDARD_NOUNS
        # "where there are grounds to suspect": a test to be met; "The Commission has
        # reasonable grounds to believe" is the Commission's finding, and stays
        and noun.dep_ == "attr"
        and any(c.dep_ == "expl" for c in noun.head.children)
    ):
        return True
    return (
        cue.dep_ == "xcomp"
        and cue.head.lemma_ == "be"
        and any(c.dep_ == "nsubj" and c.lemma_ in _PURPOSE_NOUNS for c in cue.head.children)
    )


_ASKING_FOR = frozenset(("request", "ask", "apply", "seek", "appeal", "complain"))


def _permission_given(doc: Doc, item: Attribution) -> bool:
    """ "you may request an internal review", "You can ask for a copy": a letter telling its
    reader what the reader is allowed to do reports nothing the reader said (a clause after it,
    "you may say that …", is left as found; only verbs of asking, for news marks "You can call
    RT America whatever you want" as the writer's naming)."""
    cue = doc[item.cue_i]
    return (
        cue.lemma_ in _ASKING_FOR
        and any(c.dep_ == "nsubj" and c.lower_ == "you" for c in cue.children)
        and any(c.dep_ == "aux" and c.lower_ in ("may", "can") for c in cue.children)
        and not item.content.text.lower().startswith(("that ", "to ", "whether ", "if "))
    )


_RECOMMENDING = frozenset(("recommend", "urge", "propose", "demand"))


def _recommended_act(cue: Token) -> bool:
    """ "We recommend that the Government continue to press for accountability": a verb in
    the subjunctive under a recommending is what someone is asked to do, not anything its
    subject has said ("recommend that the Government should say …" has a modal, and stays)."""
    verb = cue
    while verb.dep_ == "xcomp" and verb.head != verb:
        verb = verb.head
    return (
        verb.dep_ == "ccomp"
        and verb.head.lemma_ in _RECOMMENDING
        and verb.tag_ in ("VB", "VBP")
        and any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.children)
        and any(c.dep_ == "nsubj" for c in verb.children)
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    )


# What is delivered when delivering is saying: a speech, a warning, a verdict. Anything else
# delivered ("delivered 12 000 vials of atropine", "delivered aid") is carried, not said.
_DELIVERED_WORDS = frozenset(
    {"message", "speech", "address", "warning", "statement", "remark", "verdict", "ultimatum"}
    | {"report", "testimony", "lecture", "sermon", "eulogy", "briefing", "judgment", "ruling"}
    | {"judgement", "assessment", "news", "answer", "reply", "response", "rebuke", "apology"}
    | {"condemnation", "plea", "appeal", "demand", "threat", "promise", "pledge", "word"}
    | {"finding", "conclusion", "opinion", "decision", "sentence", "talk", "toast", "line"}
    | {"defense", "defence", "critique", "rebuttal", "denunciation", "tribute", "account"}
    | {"summary", "update", "keynote", "monologue", "oration", "homily", "presentation"}
)


def _goods_delivered(doc: Doc, item: Attribution) -> bool:
    """ "WHO has delivered 12 000 vials of atropine to four hospitals": a situation report's
    count of supplies handed over. "deliver" says something only of a thing said ("delivered a
    warning"); of goods, it reports a shipment, and its object is no one's words."""
    cue = doc[item.cue_i]
    if cue.lemma_.lower() != "deliver":
        return False
    thing = next((c for c in cue.children if c.dep_ == "dobj"), None)
    if thing is None or thing.lemma_.lower() in _DELIVERED_WORDS:
        return False
    # "delivering an extended version of his stump speech": a part or a form of words said
    return not any(
        prep.lower_ == "of" and pobj.lemma_.lower() in _DELIVERED_WORDS
        for prep in thing.children
        for pobj in prep.children
        if pobj.dep_ == "pobj"
    )


# Verbs of coming to a place: what a team "arrived and found" there it came upon, not a finding.
_ARRIVING = frozenset({"arrive", "reach", "enter", "return", "rush"})
# Those whose bodies show what they suffer: what they "show" is a sign, never a saying.
_AFFLICTED = frozenset({"patient", "victim", "casualty", "survivor", "body", "corpse"})
_AFFLICTED_WORDS = frozenset({"wounded", "injured", "sick", "dead"})
# Places of care and shelter a charity runs or backs: supporting one funds it, says nothing.
_SUPPORTED_PLACES = frozenset(
    {"hospital", "facility", "clinic", "centre", "center", "ambulance", "shelter", "camp"}
    | {"dispensary", "post", "unit", "ward", "school", "maternity", "pharmacy"}
)


def _field_record_not_said(doc: Doc, item: Attribution) -> bool:
    """What a field report, a relief agency's release or an incident form records being done,
    which the verbs of saying also spell: a form's field named by a participle before its
    colon, a team's coming upon victims, patients' signs, a charity's running of hospitals.
    None of them is anyone's statement; each reading is told apart by its own test below."""
    cue = doc[item.cue_i]
    return (
        _participle_field_name(cue)
        or _found_on_arrival(cue)
        or _signs_shown(cue)
        or _places_supported(cue)
    )


def _participle_field_name(cue: Token) -> bool:
    """ "Centres responding: Khan Shaykhun centre (Team 3), …", "Actions taken: - …": an
    incident form's field, a noun and a participle opening a line before a colon. The parser
    reads the participle as a verb with the noun for its subject and the field's value for
    what was said; a saying is never written so (it has a finite verb or a colon after a
    name), so the participle names the field."""
    doc = cue.doc
    if cue.tag_ not in ("VBG", "VBN") or cue.i + 1 >= len(doc) or doc[cue.i + 1].text != ":":
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in cue.children):
        return False
    line_start = cue.i
    while line_start > 0 and "\n" not in doc[line_start - 1].text_with_ws:
        line_start -= 1
    before = doc[line_start : cue.i]
    return 1 <= len(before) <= 3 and all(t.pos_ in ("NOUN", "ADJ", "DET") for t in before)


def _found_on_arrival(cue: Token) -> bool:
    """ "Team 3 arrived at 07:02 and found dozens of people collapsed in the road", "When the
    volunteers reached the house, they found three children dead": what a team finds on coming
    to a place is what it came upon there, not a finding it states. A "that"-clause ("arrived
    and found that the samples had been moved") is still a finding."""
    if cue.lemma_ != "find":
        return False
    came = cue.head if cue.dep_ == "conj" else None
    if came is None or came.lemma_ not in _ARRIVING:
        came = next(
            (
                c
                for c in cue.children
                if c.dep_ == "advcl" and c.lemma_ in _ARRIVING and c.i < cue.i
            ),
            None,
        )
    if came is None:
        return False
    return not any(
        t.dep_ == "mark" and t.lower_ == "that" for c in cue.children for t in c.children
    )


def _signs_shown(cue: Token) -> bool:
    """ "The patients showed constricted pupils, muscle spasms and …": the sick, the wounded
    and the dead show on their bodies what they suffer. What they show is a clinical sign,
    never a saying of theirs (a test or an image that "shows" something still reports it)."""
    if cue.lemma_ not in ("show", "display", "exhibit"):
        return False
    subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    return subject is not None and (
        subject.lemma_.lower() in _AFFLICTED or subject.lower_ in _AFFLICTED_WORDS
    )


def _places_supported(cue: Token) -> bool:
    """ "The organisation runs and supports medical facilities in Idlib": a charity backing
    hospitals, clinics or camps funds and staffs them. Supporting a place of care is no stance
    on anything said, unlike supporting a resolution, a plan or a view."""
    if cue.lemma_ != "support":
        return False
    thing = next((c for c in cue.children if c.dep_ == "dobj"), None)
    if thing is None and cue.dep_ == "conj":
        thing = next((c for c in cue.head.children if c.dep_ == "dobj"), None)
    return thing is not None and thing.lemma_.lower() in _SUPPORTED_PLACES


# The marks of a clause of time or cause that a report's "according to" may stand before.
_TIME_MARKS = frozenset({"after", "before", "when", "as", "while", "since", "because", "until"})


def _according_over_a_time_clause(doc: Doc, found: list[Attribution]) -> None:
    """ "At least 87 people were killed in the town, according to the Observatory, after an
    aircraft dropped a chemical munition": the parser joins the clause of time after the phrase
    to the sentence's verb as a second main clause and hangs the phrase on it, so the source
    seems to vouch for the time clause alone. The phrase vouches for the toll before it: the
    content becomes the main clause up to the phrase."""
    for item in found:
        if item.cue_i < 0 or doc[item.cue_i].lemma_.lower() != "accord":
            continue
        cue = doc[item.cue_i]
        held = cue.head
        if held.dep_ != "conj" or held.i < cue.i or held.head.i > cue.i:
            continue
        mark = next((c for c in held.children if c.dep_ == "mark"), None)
        if mark is None or mark.lower_ not in _TIME_MARKS or mark.i < cue.i:
            continue
        if item.content.start < mark.idx:
            continue
        run = list(doc[held.head.left_edge.i : min(t.i for t in cue.subtree)])
        run = [t for t in run if t.i >= cue.sent.start]
        while run and (run[-1].is_punct or run[-1].is_space):
            run.pop()
        content = _token_span(_trim(run)) if run else None
        if content is not None:
            item.content = content


def _according_nearest_clause(doc: Doc, found: list[Attribution]) -> None:
    """ "The tax has not made London less attractive: it was the financial capital of the world
    in 2015, according to one global index." A source named after what it vouches for vouches
    for the nearest clause: the one after a colon, or the second of two clauses joined by
    ", and" ("There is one relevant law, and Clinton broke it, according to …"), not the
    writer's lead-in before it. Not inside a quotation, nor in a list run on with semicolons,
    whose items the source vouches for together."""
    text = text_of(doc)
    for item in found:
        if item.cue_i < 0 or doc[item.cue_i].lemma_.lower() != "accord":
            continue
        content = item.content
        if len(content.pieces) != 1 or content.end > item.cue.start:
            continue
        if any(mark in content.text for mark in ';"“”«»') or "''" in content.text:
            continue
        words = _tokens_within(doc, content.start, content.end)
        start = None
        for token in words[1:-1]:
            if (token.text == ":" and token.whitespace_) or _and_a_clause(token):
                start = doc[token.i + 1].idx
        if start is None or not text[start : content.end].strip():
            continue
        rest = [t for t in words if t.idx >= start and not (t.is_punct or t.is_space)]
        if len(rest) >= 3:
            item.content = _span(doc, start, content.end)


def _and_a_clause(token: Token) -> bool:
    """Whether ``token`` is ", and" joining a second clause with a subject of its own."""
    return (
        token.lower_ == "and"
        and token.dep_ == "cc"
        and token.i > 0
        and token.doc[token.i - 1].text == ","
        and any(
            c.dep_ == "conj"
            and c.i > token.i
            and c.pos_ in ("VERB", "AUX")
            and any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children)
            for c in token.head.children
        )
    )


def _participle_before_its_verb(doc: Doc, item: Attribution) -> bool:
    """ "the concentrations found are consistent with …", "the figures reported were lower":
    a bare participle after its noun, taken by the parser for the sentence's verb with the real
    verb for its clause. That clause has no subject of its own and starts straight after the
    participle, which no saying allows ("they found are …"): the noun is modified, not
    said to have found anything."""
    cue = doc[item.cue_i]
    if cue.tag_ not in ("VBD", "VBN"):
        return False
    clause = next((c for c in cue.children if c.dep_ == "ccomp"), None)
    if clause is None or clause.i != cue.i + 1 or clause.tag_ not in ("VBP", "VBZ", "VBD", "MD"):
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "mark", "csubj") for c in clause.children):
        return False
    noun = doc[cue.i - 1] if cue.i > 0 else None
    if noun is None or noun.dep_ != "nsubj" or noun.head != cue or cue.dep_ in ("relcl", "acl"):
        return False
    # "a probe the agency said was ongoing": a relative without its pronoun after the noun it
    # hangs on, whose verb says, with its object gone before the clause it governs
    before = noun.left_edge.i - 1
    return noun.pos_ in ("NOUN", "PROPN") and (
        before < 0 or doc[before].pos_ not in ("NOUN", "PROPN", "PRON")
    )


_FIRST_NAMED = frozenset({"describe", "identify", "characterize", "characterise", "isolate"})


def _first_described(doc: Doc, item: Attribution) -> bool:
    """ "Intermediate syndrome was first described by Senanayake and Karalliedde": a paper's
    credit to whoever first set a disease or a compound out, a discovery dated, not a claim
    they make ("was described by the nurses as …" says how they spoke of it, and stays)."""
    cue = doc[item.cue_i]
    return (
        cue.lemma_.lower() in _FIRST_NAMED
        and cue.tag_ == "VBN"
        and any(c.dep_ == "auxpass" for c in cue.children)
        and any(c.dep_ == "advmod" and c.lower_ in ("first", "originally") for c in cue.children)
        and not any(c.dep_ == "prep" and c.lower_ == "as" for c in cue.children)
    )


def _question_mark_label(doc: Doc, item: Attribution) -> bool:
    """ "Q Thank you." in a transcript: the bare letter that opens a reporter's line is a
    label, not someone who speaks the verb after it."""
    if item.source is None or item.source.text != "Q":
        return False
    before = text_of(doc)[: item.source.start].rstrip(" \t")
    return before == "" or before.endswith("\n")


def _own_wish(doc: Doc, item: Attribution) -> bool:
    """ "I want the men who loaded that bomb to stand in a court", "I want justice": what one
    wants another to do, or wants had, is a wish of one's own, no statement of what is so."""
    cue = doc[item.cue_i]
    return (
        cue.lemma_ in ("want", "wish")
        and any(c.dep_ == "nsubj" and c.lower_ == "i" for c in cue.children)
        # "we want to make clear that …": the wish is the courtesy of a saying, left as found
        and not item.content.text.lower().startswith(("that ", "to "))
    )


def _topic_announced(doc: Doc, item: Attribution) -> bool:
    """ "Tonight I want to speak with you about Syria", "I want to talk about something serious":
    a speaker announcing what a speech will be about says nothing yet; the wish to talk about a
    topic has no claim for content."""
    cue = doc[item.cue_i]
    if cue.lemma_ not in ("want", "wish", "like") or not item.content.text.startswith("to "):
        return False
    talk = next((c for c in cue.children if c.dep_ == "xcomp"), None)
    if talk is None or talk.lemma_ not in ("talk", "speak"):
        return False
    about = [c for c in talk.children if c.dep_ == "prep" and c.lower_ == "about"]
    said = [c for c in talk.children if c.dep_ in ("ccomp", "dobj")]
    return bool(about) and not said


def _sent_to_do(doc: Doc, item: Attribution) -> bool:
    """ "The OPCW has sent a fact-finding mission to examine samples taken from victims": one
    sends people somewhere to do a thing; what they are sent to examine or collect is the
    errand's object, no message sent. Content found in the purpose clause ("to examine …") of
    "send" is no saying."""
    cue = doc[item.cue_i]
    if cue.lemma_ != "send" or item.content.parts:
        return False
    content = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
    if content is None:
        return False
    sent = [c for c in cue.children if c.dep_ == "dobj"]
    # "to examine …" hangs on the verb, or on the ones sent ("a mission to examine …")
    purpose = [
        c
        for head in [cue, *sent]
        for c in head.children
        if c.dep_ in ("advcl", "xcomp", "relcl", "acl")
        and c.i > cue.i
        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
    ]
    return any(content.root in p.subtree for p in purpose)


def _you_know_what(doc: Doc, item: Attribution) -> bool:
    """ "And you know what the Russians said?": a speaker's question to the audience, leading up
    to what follows; the listeners know nothing and have said nothing."""
    cue = doc[item.cue_i]
    if cue.lemma_ != "know" or not item.content.text.lower().startswith(("what ", "who ")):
        return False
    if not any(c.dep_ == "nsubj" and c.lower_ == "you" for c in cue.children):
        return False
    return cue.sent.text.rstrip(" \"”'’").endswith("?")


def _asked_of_you(doc: Doc, item: Attribution) -> bool:
    """ "How can you be sure it was sarin?", "Do you think the footage is real?": a question
    put to the one addressed, with the verb's subject "you" after its auxiliary or after
    "how"; it asks what they hold, and they have said nothing yet (their answer, if any,
    is theirs)."""
    cue = doc[item.cue_i]
    verb = cue.head if cue.dep_ == "acomp" else cue  # "be sure": the subject is the verb's
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.lower_ == "you"), None)
    if subject is None or not cue.sent.text.rstrip().rstrip(" \"”'’").endswith("?"):
        return False
    asked = [
        c
        for c in verb.children
        if c.i < subject.i
        and (c.dep_ in ("aux", "auxpass") or (c.dep_ == "advmod" and c.lower_ == "how"))
    ]
    return bool(asked)


def _predicate_taken_for_clause(doc: Doc, item: Attribution) -> bool:
    """ "Hexamine, the stabiliser Damascus declared to the OPCW, was there too": the parse can
    read a relative clause without "that" as the sentence, the noun before it as part of the
    speaker and the sentence's own predicate as what was declared. A reported clause has a
    subject of its own; a finite verb phrase without one, after the cue, is no content."""
    cue = doc[item.cue_i]
    content = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
    if content is None or item.content.parts:
        return False
    root = content.root
    return (
        root.dep_ == "ccomp"
        and root.head == cue
        and root.i > cue.i
        and root.tag_ in ("VBD", "VBZ", "VBP")
        and root.left_edge == root  # nothing before the verb ("the evidence points" is parsed
        # with "evidence" a compound, but it has its subject)
        and not any(
            c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "mark") for c in root.children
        )
        # the noun the relative clause hangs on glued to its subject ("the stabiliser
        # Damascus"); elsewhere ("argued his fight … is especially relevant", "a probe the
        # agency said was ongoing") the predicate overlaps what PolNeAR marks, and stays
        and any(c.dep_ == "nsubj" and c.i < cue.i and _noun_glued_on(c) for c in cue.children)
    )


def _noun_glued_on(subject: Token) -> bool:
    """Whether a noun before a subject was read into it: "the stabiliser Damascus", "the
    stabiliser his own government" (a common noun before a name, or before the subject's own
    determiner), not "the law enforcement agency"."""
    glued = [g for g in subject.children if g.dep_ in ("compound", "amod") and g.is_lower]
    if not glued:
        return False
    if subject.pos_ == "PROPN":
        return True
    return any(d.dep_ in ("poss", "det") and d.i > glued[0].i for d in subject.children)


def _wish_to_say(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "I should like to state that …", "we wish to stress that …": the saying is the claim,
    the wish only its courtesy; the relation of the wish gives way to the saying's."""
    cues = {item.cue_i for item in found}
    kept = []
    for item in found:
        wish = doc[item.cue_i] if item.cue_i >= 0 else None
        if wish is not None and wish.lemma_ in ("like", "wish", "want"):
            saying = next((c for c in wish.children if c.dep_ == "xcomp"), None)
            if saying is not None and saying.i in cues and saying.lemma_ in _SAID_COURTEOUSLY:
                continue
            if (
                saying is not None
                and saying.lemma_ in ("say", "tell", "add")
                and any(c.dep_ == "dobj" and c.lower_ in _PLACEHOLDERS for c in saying.children)
            ):
                # "I want to say something clearly.": what follows is said, not the wish
                continue
            if saying is not None and _invited_to_speak(wish, saying):
                continue
        kept.append(item)
    return kept


# What stands between an unnamed speaker and the verb when a contact relative and a name follow
# the noun: " I know, Dr. Fadi,", " we spoke to, Amal Saleh,".
_CONTACT_NAME = re.compile(
    r"[^\S\n]+(?:I|we|he|she|they)[^\S\n]+[a-z]+(?:[^\S\n]+(?:to|with))?,[^\S\n]+"
    r"(?P<name>(?:(?:Dr|Mr|Ms|Mrs|Prof)\.?[^\S\n]+)?[A-Z][\w'’-]+(?:[^\S\n]+[A-Z][\w'’-]+){0,2}),"
    r"[^\S\n]*"
)


def _named_after_contact_relative(doc: Doc, found: list[Attribution]) -> None:
    """ "A doctor I know, Dr. Fadi, told me …", "A nurse we spoke to, Amal Saleh, said …": the
    noun the speaker is brought on by, a relative clause of how the writer knows them, and
    their name in commas right before the verb: the one named speaks. The parse can hang the
    name on the relative clause, leaving the bare noun as the speaker."""
    text = text_of(doc)
    for item in found:
        if item.cue_i < 0 or item.source is None or item.source.parts:
            continue
        cue = doc[item.cue_i]
        subject = next((c for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i), None)
        if subject is None or subject.pos_ != "NOUN" or item.source.start > subject.idx:
            continue
        noun_end = subject.idx + len(subject.text)
        match = _CONTACT_NAME.fullmatch(text, noun_end, cue.idx)
        if match is None:
            continue
        name = doc.char_span(*match.span("name"), alignment_mode="expand")
        if name is None:
            continue
        item.source = _span(doc, item.source.start, match.end("name") + 1)
        item.speaker = describe(_without_honorific(list(name)))


def _restarted_sayings(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "She says - I'm sorry, she is repeating - she says she did not know": an interpreter or
    a speaker breaks off a saying with an aside between dashes and starts it again; the first
    saying's content is only the aside, and the saying is the one started again."""
    text = text_of(doc)
    kept = []
    for item in found:
        again = next(
            (
                other
                for other in found
                if other is not item
                and item.source is not None
                and other.source is not None
                and other.source.text.lower() == item.source.text.lower()
                and other.cue.text.lower() == item.cue.text.lower()
                and other.source.start >= item.content.end
                and re.fullmatch(
                    r"[\s\-–—]*[-–—][\s\-–—]*", text[item.content.end : other.source.start]
                )
            ),
            None,
        )
        broken = re.fullmatch(r"[^\S\n]*[-–—][^\S\n]*", text[item.cue.end : item.content.start])
        if again is not None and broken:
            continue
        if broken and item.source is not None and not item.content.parts:
            # the parse took the aside and the saying started again as one content
            restart = re.compile(
                rf"[^\S\n][-–—][^\S\n]+(?P<source>{re.escape(item.source.text)})[^\S\n]+"
                rf"(?P<cue>{re.escape(item.cue.text)})[^\S\n]+",
                re.I,
            ).search(text, item.content.start, item.content.end)
            if restart is not None:
                item.source = _span(doc, *restart.span("source"))
                item.cue = _span(doc, *restart.span("cue"))
                item.content = _span(doc, restart.end(), item.content.end)
        kept.append(item)
    return kept


def _invited_to_speak(wish: Token, saying: Token) -> bool:
    """ "What would you like to say about that?", "Is there anything you want to add?": an
    interviewer's question inviting the one asked to speak; no one has said anything yet."""
    return (
        saying.lemma_ in ("say", "tell", "add", "record")
        and any(c.dep_ == "nsubj" and c.lower_ == "you" for c in wish.children)
        and wish.sent.text.rstrip().endswith("?")
    )


def _restated(item: Attribution, found: list[Attribution]) -> bool:
    """A cue inside another attribution's content with the very same source span ("Beijing
    called on all sides to show restraint": not a second claim that Beijing "showed"), or a
    sourceless cue that only modifies a noun ("repeated warnings")."""
    if item.source is None and item.cue_token_dep == "amod":
        return True
    return item.source is not None and any(
        other is not item
        and other.source == item.source
        # in a quotation split around the cue, only the quoted parts count ('"A," she said,
        # referring to the bank, "B."' keeps her referring)
        and any(piece.start <= item.cue.start < piece.end for piece in other.content.pieces)
        for other in found
    )


def _cut_trailing_sources(doc: Doc, found: list[Attribution]) -> None:
    """ "Pyongyang said the test was self-defence, according to KCNA": the closing "according
    to KCNA" says where the report came from; it is not part of what Pyongyang said."""
    text = text_of(doc)
    for item in found:
        for other in found:
            if (
                other is item
                or item.content.parts
                or other.cue.text.lower() not in ("according to", "per")
                or not item.content.start < other.cue.start < item.content.end
                or other.content.start > other.cue.start
            ):
                continue
            end = other.cue.start
            while end > item.content.start and (
                text[end - 1].isspace() or text[end - 1] in ",;–—-"
            ):
                end -= 1
            if end > item.content.start:
                item.content = _span_chars(text, item.content.start, end)


_RELATIVE = ("which", "something which")


def _cut_relative_denials(
    doc: Doc, found: list[Attribution]
) -> list[tuple[Attribution, Attribution]]:
    """ "Diplomats accused Russia of tampering with evidence, which Moscow denies": the closing
    clause is a claim of its own whose content is what "which" stands for — the accusation —
    and not part of the accusation. Returns the pairs cut (the denial, the accusation)."""
    text = text_of(doc)
    pairs = []
    for item in found:
        if item.content.text.lower() not in _RELATIVE:
            continue
        if not text[: item.content.start].rstrip().endswith(","):
            continue  # "the pool of candidates from which she is drawing": a noun's clause
        if item.cue_i >= 0 and any(c.dep_ == "oprd" for c in doc[item.cue_i].children):
            continue  # "…, which he called "a cartel"": a name for the noun, not the claim
        for other in found:
            if other is item or not other.content.start < item.content.start < other.content.end:
                continue
            if other.content.parts:
                break
            if other.how == "line":
                # "A. … Hexamine was also present, which Syria had declared …": a turn of a
                # transcript is all its speaker said, the relative clause too
                break
            if item.cue_i >= 0:
                clause_end = max(t.idx + len(t.text) for t in doc[item.cue_i].subtree)
                if text[clause_end : other.content.end].strip(" ,.;:\"”’'"):
                    # "argued the pipeline, which is widely supported by Republicans, 'wouldn't
                    # go 10 feet'": a relative clause inside the claim, not closing it
                    break
            cut = _cut_before(text, other.content, item.content.start)
            if cut is not None:
                other.content = item.content = cut
                pairs.append((item, other))
            break
    return pairs


def _cut_closing_denials(doc: Doc, pairs: list[tuple[Attribution, Attribution]]) -> None:
    """After the learnt spans: an accusation whose content again runs over the ", which Moscow
    denies" that :func:`_cut_relative_denials` made a claim of its own is cut before "which"
    once more, and the denial keeps the same content."""
    text = text_of(doc)
    for item, other in pairs:
        if other.content.parts or not other.content.start < item.cue.start < other.content.end:
            continue
        if item.cue_i < 0 or doc[item.cue_i].lemma_ not in _DENYING | {"dispute", "contest"}:
            continue  # "…, which he called "an evil act"": the noun, maybe, not the claim
        cut = _cut_before(
            text, other.content, text.rfind("which", other.content.start, item.cue.start)
        )
        if cut is not None:
            other.content = item.content = cut


def _cut_before(text: str, content: Span, end: int) -> Span | None:
    """The content up to ``end``, without the spaces and the comma, semicolon or dash before
    it; None when nothing would be left."""
    while end > content.start and (text[end - 1].isspace() or text[end - 1] in ",;–—"):
        end -= 1
    return _span_chars(text, content.start, end) if end > content.start else None


# ", a conclusion Damascus rejects": the writer's note that someone denies what was just
# reported, after a noun summing it up.
_SUMMARY_DENIAL = re.compile(
    r",[^\S\n]+(?:a|an|the)[^\S\n]+(?:claim|conclusion|finding|charge|allegation|accusation"
    r"|account|assertion|version|assessment)[^\S\n]+(?:that[^\S\n]+|which[^\S\n]+)?"
    r"(?P<who>[^,;:.\"“”]{2,60}?)[^\S\n]+(?:(?:has|have|had|also|strongly|flatly|firmly|"
    r"vehemently|repeatedly)[^\S\n]+)*"
    r"(?P<verb>(?:rejects|rejected|denies|denied|disputes|disputed|contests|contested"
    r"|dismisses|dismissed|refutes|refuted|(?:called|calls|branded|brands|dubbed|dubs)"
    r"(?=[^\S\n]+(?P<named>[\"“][^\"“”\n]{1,80}[\"”]))))(?:[^\S\n]+(?P=named))?[\"”’]?\.?$"
)
# "…, a fact confirmed by Russian military specialists", "…, a claim denied by Damascus": the
# same, in the passive.
_SUMMARY_PASSIVE = re.compile(
    r",[^\S\n]+(?:a|an|the)[^\S\n]+(?:fact|claim|conclusion|finding|charge|allegation"
    r"|accusation|account|assertion|version|assessment)[^\S\n]+(?:(?:that|which)[^\S\n]+"
    r"(?:was|has[^\S\n]+been)[^\S\n]+)?(?:also[^\S\n]+)?(?P<verb>confirmed|corroborated"
    r"|rejected|denied|disputed|contested|dismissed|refuted)[^\S\n]+by[^\S\n]+"
    r"(?P<who>[^,;:.\"“”]{2,60}?)(?P<named>(?!))?\.?$"
)
# ", a claim that could not be independently verified": the writer's caution, not the claim's.
_UNVERIFIED = re.compile(
    r",[^\S\n]+(?:a|an)[^\S\n]+(?:claim|figure|toll|account|report|number)[^\S\n]+"
    r"(?:that|which)[^\S\n]+(?:could|can|cannot|could[^\S\n]+not|can[^\S\n]+not)"
    r"(?:[^\S\n]+not)?[^\S\n]+be[^\S\n]+(?:independently[^\S\n]+)?(?:verified|confirmed)\.?$"
)


def _cut_media(doc: Doc, found: list[Attribution]) -> None:
    """ "repeated the president's words in a letter to the Council": a content that ends with
    the phrase naming where the cue's saying was made ends before it (the learnt spans may
    take the object with every phrase after it)."""
    text = text_of(doc)
    for item in found:
        if item.cue_i < 0 or item.content.parts:
            continue
        for phrase in doc[item.cue_i].children:
            if phrase.dep_ != "prep" or phrase.i < item.cue_i or not _medium(phrase):
                continue
            first = phrase.left_edge.idx
            last = phrase.right_edge.idx + len(phrase.right_edge.text)
            if (
                item.content.start < first < item.content.end <= last + 1
                and text[last : item.content.end].strip(" .,") == ""
            ):
                end = first
                while end > item.content.start and (
                    text[end - 1].isspace() or text[end - 1] == ","
                ):
                    end -= 1
                item.content = _span_chars(text, item.content.start, end)


def _cut_source_media(doc: Doc, found: list[Attribution]) -> None:
    """ "…," wrote Maria Lindqvist, who leads the team, in a blog post": a source after its
    cue that ends with the phrase naming where the saying was made ends before it, the comma
    that closed the aside kept."""
    for item in found:
        source = item.source
        if source is None or source.parts:
            continue
        span = doc.char_span(source.start, source.end, alignment_mode="expand")
        if span is None or len(span) < 4:
            continue
        for phrase in span:
            if phrase.dep_ != "prep" or not _medium(phrase) or phrase.i == span.start:
                continue
            if phrase.right_edge.i != span.end - 1 or doc[phrase.i - 1].text != ",":
                continue
            end = doc[phrase.i - 1].idx + 1
            item.source = _span(doc, source.start, end)
            break


# Community texts: a local council's page and its comments, notes of a camp meeting, a school's
# letter home, voice notes relayed by a relative. Their lists, their headings and their spoken
# run-on sentences are read by the tagger as if they were news prose.

# The marks that open an item of a list typed by hand ("- Camp manager to ask …", "• NGO to …").
_HAND_BULLETS = frozenset({"-", "–", "•", "*", "·"})
# Who is meant by a saying under "if" that is no one's in particular: the reader addressed, or
# anyone at all ("If you saw anything, …", "if nobody speaks, …").
_ANYONE_IF = frozenset(
    {"you", "anyone", "anybody", "nobody", "someone", "somebody", "everyone", "everybody"}
)
# The verbs of such a condition: seeing and hearing what happened, or speaking of it.
_SEEN_OR_SAID_IF = frozenset({"see", "hear", "witness", "notice", "speak", "say", "tell"})


def _line_start(doc: Doc, token: Token) -> Token:
    """The first word of the line a token stands on (spaCy's sentences may run over lines)."""
    first = token
    while first.i > 0 and "\n" not in doc[first.i - 1].text_with_ws:
        first = doc[first.i - 1]
    while first.is_space and first.i < token.i:
        first = doc[first.i + 1]
    return first


def _heading_word_taken_for_verb(doc: Doc, cue: Token) -> bool:
    """ "Action points:" heading a list: the tagger reads the plural noun as a verb, with the
    list below as what it "points" to. A line of a few words ending in a colon, whose last word
    is a label's, is a heading; its word has no subject and says nothing."""
    if cue.lower_ not in _LINE_LABELS or any(
        c.dep_ in ("nsubj", "nsubjpass") for c in cue.children
    ):
        return False
    after = doc[cue.i + 1] if cue.i + 1 < len(doc) else None
    if after is None or after.text != ":":
        return False
    rest = doc.text[after.idx + 1 : after.idx + 200].split("\n", 1)[0]
    start = _line_start(doc, cue)
    return rest.strip() == "" and cue.i - start.i <= 3


def _task_on_a_list(doc: Doc, cue: Token) -> bool:
    """ "- Rasha to explain to families what giving testimony means": an item of a hand-typed
    list of actions names who is to do what. Its infinitive is a task given, not a saying of
    the one named (a news headline's "Minister to say …" stands on no list)."""
    if cue.tag_ != "VB" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children):
        return False
    if cue.dep_ != "ROOT":
        return False
    return _line_start(doc, cue).text in _HAND_BULLETS


def _saying_of_anyone_if(cue: Token) -> bool:
    """ "If you saw anything yourself, the office will take your name", "if nobody speaks, the
    world will believe them": a saying or a seeing under "if" by the reader or by anyone at all
    is a condition set, not something anyone said or saw."""
    if cue.lemma_ not in _SEEN_OR_SAID_IF or cue.dep_ != "advcl":
        return False  # "if you want to see her event": a wish of the reader's is kept
    if not any(c.dep_ == "mark" and c.lower_ == "if" for c in cue.children):
        return False
    return any(c.dep_ == "nsubj" and c.lower_ in _ANYONE_IF for c in cue.children)


def _agreeing_antecedent(cue: Token) -> Token:
    """ "rejects the lies of the Ministry of Defence, which claims that …": the parser hangs
    the relative clause on the first noun, but "claims" agrees with one alone; when that noun is
    plural and its "of" names a single body or person, "which" stands for the body (a
    statement's own words are not who makes them). A date the clause hangs on ("a story on
    30 October which described …") says when; the noun its preposition hangs on is what
    "which" stands for."""
    head = cue.head
    if head.ent_type_ == "DATE" and head.dep_ == "pobj" and head.head.dep_ == "prep":
        prep = head.head
        # the parser may hang the date's "on" on the verb before the noun ("pointed to a
        # story on 30 October which …"): the noun right before the preposition
        host = prep.head if prep.head.pos_ in ("NOUN", "PROPN") else prep.doc[max(prep.i - 1, 0)]
        if host.pos_ in ("NOUN", "PROPN") and host.ent_type_ != "DATE" and host.i < prep.i:
            return host
    if cue.tag_ != "VBZ" or head.tag_ != "NNS":
        return head
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of" and prep.i > head.i:
            owner = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if owner is not None and owner.tag_ in ("NN", "NNP"):
                return owner
    return head


# A relative brought on at the head of a relayed voice note or of a paragraph, with no verb:
# "[voice note 2, 0:41] Now my aunt.", "My uncle (my father's brother, he is 61):", "My cousin
# Yusuf (20)." The kinship word says whether "he" or "she" after it means them.
_KIN_GENDER = {
    "uncle": "male",
    "father": "male",
    "brother": "male",
    "son": "male",
    "nephew": "male",
    "grandfather": "male",
    "husband": "male",
    "aunt": "female",
    "mother": "female",
    "sister": "female",
    "daughter": "female",
    "niece": "female",
    "grandmother": "female",
    "wife": "female",
    "cousin": "",
    "neighbour": "",
    "neighbor": "",
}
_KIN_LINE = re.compile(
    r"^[^\S\n]*(?:\[[^\]\n]{1,40}\][^\S\n]*)?(?:(?:Now|Then|And)[^\S\n]+)?"
    r"(?P<kin>[Mm]y[^\S\n]+(?P<noun>" + "|".join(_KIN_GENDER) + r"))"
    r"(?:[^\S\n]+(?P<name>[A-Z][a-z'’-]+))?(?:[^\S\n]*\([^)\n]{1,60}\))?"
    r"(?:[^\S\n]+again)?(?:,[^\n:.]{0,80})?[^\S\n]*[.:]",
    re.M,
)


def _kin_introduced(doc: Doc) -> list[tuple[int, Speaker]]:
    """ "Now my aunt. She says the doctors …": someone relaying a family's voice notes or
    letters brings each relative on by a line of their own with no verb, and "he" or "she"
    after it means that relative (by name when the line gives one), as a subject would."""
    mentions = []
    for match in _KIN_LINE.finditer(text_of(doc)):
        gender = _KIN_GENDER[match.group("noun")]
        if match.group("name"):
            speaker = Speaker(name=match.group("name"), type="person", gender=gender)
            mentions.append((match.start("name"), speaker))
        else:
            name = match.group("kin")
            speaker = Speaker(name=name, type="unknown", gender=gender)
            mentions.append((match.start("kin"), speaker))
    quoted = quotations(text_of(doc))
    for token in doc:
        gender = _KIN_GENDER.get(token.lower_, "")
        if (
            gender
            and not any(start <= token.idx < end for start, end in quoted)  # another's words
            and token.dep_ == "nsubj"
            # the rest of the sentence or the next one goes on with them ("insisting that her
            # son was American. In that vein, the admiral …" goes on with another)
            and (
                _opens_with_pronoun_of(doc, token.sent.end, gender)
                or any(
                    t.lower_ == ("he" if gender == "male" else "she")
                    for t in doc[token.i + 1 : token.sent.end]
                )
            )
            and token.tag_ == "NN"
            and any(
                c.dep_ == "poss" and _OTHER_GENDER.get(c.lower_) == gender for c in token.children
            )
            and not any(t.pos_ == "PROPN" for t in token.subtree)
        ):
            # "She says her husband went out to see. He came back and said …": a relative
            # unnamed, the subject of a clause, of the gender other than whose relative they
            # are, is whom a "he" or "she" of that gender after it means, not anyone named
            # earlier ("his brother … he" may be either man, as "my son … he" may be anyone);
            # with no name, the pronoun stays as written (see :func:`_unnamed_kin_as_written`)
            tokens = _trim(list(token.subtree))
            name = _text_of(tokens)
            kin = Speaker(name=name, type="unknown", title=_UNNAMED_KIN, gender=gender)
            mentions.append((token.idx, kin))
    return mentions


def _opens_with_pronoun_of(doc: Doc, at: int, gender: str) -> bool:
    """Whether the sentence from token ``at`` opens with "he" (``gender`` male) or "she"."""
    return at < len(doc) and doc[at].lower_ == ("he" if gender == "male" else "she")


# A possessive and the gender of a relative who cannot be its owner: "her husband", "his wife".
_OTHER_GENDER = {"her": "male", "his": "female"}
# The mark of a relative the text names only by kinship, as a subject (see _kin_introduced).
_UNNAMED_KIN = "unnamed relative"


def _unnamed_kin_as_written(found: list[Attribution]) -> None:
    """A pronoun that means a relative named only by kinship ("her husband … He said") names
    no one the resolver holds: it stays as written, as any pronoun with no one named does."""
    for item in found:
        if item.speaker is not None and item.speaker.title == _UNNAMED_KIN:
            written = item.source.text if item.source is not None else item.speaker.name
            item.speaker = Speaker(name=written, type="unknown")


def _not_the_byline(doc: Doc, mentions: list[tuple[int, Speaker]]) -> list[tuple[int, Speaker]]:
    """ "Posted by Nadia Hallak": the writer a byline names speaks as "I" in what follows;
    a "she" or "he" there is someone the writer tells of, never the writer."""
    byline = _BYLINE.search(text_of(doc), 0, 600)
    if byline is None:
        return mentions
    start, end = byline.span("name")
    return [(at, speaker) for at, speaker in mentions if not start <= at < end]


def _asked_by_whether(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "I have been asked by the Council whether teachers would be willing to speak": the one
    who asks is the agent, and what is asked the "whether" clause; the one asked, the passive's
    subject, is neither (the learnt reading takes the subject for what was asked, or finds
    nothing). The reading of such a cue is replaced by, or added as, the agent's question."""
    kept = list(found)
    for cue in doc:
        if cue.lemma_ != "ask" or cue.tag_ != "VBN":
            continue
        if not any(c.dep_ == "nsubjpass" for c in cue.children):
            continue
        agent = next((c for c in cue.children if c.dep_ == "agent"), None)
        asker = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        clause = next(
            (
                c
                for c in cue.children
                if c.dep_ == "ccomp"
                and c.i > cue.i
                and any(m.dep_ == "mark" and m.lower_ in ("whether", "if") for m in c.children)
            ),
            None,
        )
        if asker is None or clause is None:
            continue
        said = _token_span(_trim(list(clause.subtree)))
        who = _token_span(_trim(_source_tokens(asker)))
        if said is None or who is None:
            continue
        helpers = [t.i for t in cue.children if t.dep_ in ("aux", "auxpass") and t.i < cue.i]
        start = min(helpers, default=cue.i)  # "have been asked", as "have been told" is read
        kept = [item for item in kept if item.cue_i != cue.i]
        kept.append(
            Attribution(
                _span(doc, doc[start].idx, cue.idx + len(cue.text)),
                said,
                who,
                describe(_source_tokens(asker)),
                _span(doc, cue.sent.start_char, cue.sent.end_char),
                key_of(cue),
                cue_token_dep=cue.dep_,
                how="asked/agent",
                cue_i=cue.i,
            )
        )
    return kept


# What a text read out to a gathering does after the words quoted from it: '"Our brothers were
# killed …," the announcement began.', '…," the statement went on.'
_DOCUMENT_OPENS = re.compile(
    r"[^\S\n]+(?P<source>the[^\S\n]+(?:announcement|statement|letter|message|appeal|notice"
    r"|sermon|communiqu[eé]|declaration))[^\S\n]+(?P<cue>began|opened|went[^\S\n]+on|continued"
    r"|ended|concluded|closed)(?=[.,;])"
)


def _read_text_opens(
    doc: Doc, quotes: list[tuple[int, int]], found: list[Attribution]
) -> list[Attribution]:
    """'"Our brothers were killed by poison," the announcement began.': a statement read out
    and quoted, tagged by how it opened, went on or ended; the quotation is what the statement
    says, as with "the statement said" (which the parse reads already)."""
    text = text_of(doc)
    taken = {item.cue.start for item in found}
    added = []
    for start, end in quotes:
        if end - start < 4 or text[start + 1 : end - 1].rstrip("'’")[-1:] not in (",", "—"):
            continue
        match = _DOCUMENT_OPENS.match(text, end)
        if match is None or match.start("cue") in taken:
            continue
        source = _span(doc, *match.span("source"))
        tokens = _trim(list(doc.char_span(*match.span("source"), alignment_mode="expand") or []))
        if not tokens:
            continue
        cue = _span(doc, *match.span("cue"))
        sentence = _span(doc, start, match.end())
        content = _span(doc, start, end)
        added.append(
            Attribution(cue, content, source, describe(tokens), sentence, "say/VERB", how="tag")
        )
    return added


def _a_word_about(cue: Token) -> bool:
    """ "Finally, I want to say a word about what our children hear": a letter's or a
    speaker's pointer to the next topic, whose "word" is what follows, not a claim about
    the topic it names."""
    if cue.lemma_ not in ("say", "add", "speak"):
        return False
    word = next((c for c in cue.children if c.dep_ == "dobj" and c.lemma_ == "word"), None)
    return word is not None and any(
        c.dep_ == "prep" and c.lower_ in ("about", "on") for c in (*word.children, *cue.children)
    )


def _community_no_saying(doc: Doc, item: Attribution) -> bool:
    """Readings of a community text's own layout and conditions that say nothing (above)."""
    cue = doc[item.cue_i]
    return (
        _heading_word_taken_for_verb(doc, cue)
        or _task_on_a_list(doc, cue)
        or _saying_of_anyone_if(cue)
        or _a_word_about(cue)
    )


def _later_complement(doc: Doc, found: list[Attribution]) -> None:
    """ "My brother went to carry the children, the doctors say his lungs are weak": two
    clauses run together with a comma, as people write in comments and speak in voice notes.
    The parser hangs both on the verb of saying; what is said is the clause after the verb,
    while the one before it is the writer's own. A content taken from the clause before moves
    to the one after."""
    for item in found:
        if item.cue_i < 0 or item.content.parts:
            continue
        cue = doc[item.cue_i]
        before = [c for c in cue.children if c.dep_ == "ccomp" and c.i < cue.i]
        after = [c for c in cue.children if c.dep_ == "ccomp" and c.i > cue.i]
        if len(before) != 1 or len(after) != 1:
            continue
        clause = before[0]
        if not (clause.left_edge.idx <= item.content.start < clause.right_edge.idx):
            continue
        comma = clause.right_edge.i + 1
        if comma >= cue.i or doc[comma].text != ",":
            continue
        if any(t.is_quote for t in clause.subtree):
            continue  # '"It may have been …," said his friend, who …': the quotation is said
        if not any(c.dep_ == "nsubj" and comma < c.i < cue.i for c in cue.children):
            continue  # the speaker stands between the two clauses, before the verb
        if any(t.text in (":", ";", "—", "–") for t in doc[cue.i + 1 : after[0].left_edge.i]):
            continue  # "…, the president often says: In his view, …" goes on to explain
        said = after[0]
        last = said.right_edge
        while last.i > said.i and (last.is_punct or last.is_space):
            last = doc[last.i - 1]
        item.content = _span(doc, said.left_edge.idx, last.idx + len(last.text))


def _summary_denials(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "The mechanism found that the government was responsible, a conclusion Damascus
    rejects": the closing phrase is no part of the finding but a claim of its own, whose
    content is the finding (as with "…, which Moscow denies"); with what it was called, in a
    second piece, when it was called something ("…, a claim the group called "a lie""); so is
    one in the passive ("…, a fact confirmed by Russian military specialists"). The finding is
    cut before the comma; the denials are returned. A closing ", a claim that could not be independently
    verified" is the writer's caution, and is cut the same way."""
    text = text_of(doc)
    denials = []
    for item in found:
        # to the end of the sentence: the learnt spans may have left the phrase out already
        end = max(item.content.end, item.sentence.end)
        caution = _UNVERIFIED.search(text, item.content.start, end)
        if caution is not None:
            if caution.start() < item.content.end and not item.content.parts:
                item.content = _span_chars(text, item.content.start, caution.start())
            continue
        match = _SUMMARY_DENIAL.search(text, item.content.start, end) or _SUMMARY_PASSIVE.search(
            text, item.content.start, end
        )
        if match is None or not item.cue.end <= match.start() <= item.content.end + 1:
            continue
        if item.content.parts and match.start() < item.content.end:
            continue  # a content in pieces is not cut
        who = doc.char_span(*match.span("who"), alignment_mode="expand")
        verb = doc.char_span(*match.span("verb"), alignment_mode="expand")
        if who is None or verb is None:
            continue
        accused = _accused(doc, item) if len(who) == 1 and who[0].pos_ == "PRON" else None
        if accused is None and not any(t.pos_ in ("PROPN", "NOUN") for t in who):
            continue
        if match.start() < item.content.end:
            item.content = _span_chars(text, item.content.start, match.start())
        said = item.content
        if match.group("named"):
            # "…, a claim the group called "a despicable lie"": what it called the claim
            said = joined([said, _span_chars(text, *match.span("named"))])
        denial = _one_word_cue(verb.root, said, _trim(list(who)), key_of(verb.root), "summary")
        if accused is not None:
            # "The group has been accused by Damascus of staging attacks, a charge it rejects":
            # "it" is the accused, not the accuser named last
            for made in denial:
                made.speaker = replace(describe(accused), resolved_from=who.text)
        denials += denial
    return denials


def _accused(doc: Doc, item: Attribution) -> list[Token] | None:
    """Who a passive charge is made against ("The group has been accused by Damascus of …"):
    the words of its subject; None when the cue is no such charge."""
    if item.cue_i < 0:
        return None
    cue = doc[item.cue_i]
    if cue.lemma_ not in ("accuse", "charge", "blame", "suspect"):
        return None
    subject = next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
    return _source_tokens(subject) if subject is not None else None


def _once_each(found: list[Attribution]) -> list[Attribution]:
    """One attribution per content: '"A," Trump said, adding ...' gives "A" to "said" and not
    again to "adding": of cues with the very same content, the first of the usual cue words keeps
    it ("attacked the plan by insisting that ...": "insisting"); ``found`` is in document order."""
    best: dict[tuple[int, int], Attribution] = {}
    for item in found:
        key = (item.content.start, item.content.end)
        if key not in best or (best[key].rare_cue and not item.rare_cue):
            best[key] = item
    kept = {id(item) for item in best.values()}
    return [item for item in found if id(item) in kept]


# The verbs by which a headline in title case puts its news in someone's mouth.
_HEADLINE_SAYS = frozenset(
    {
        "says",
        "claims",
        "warns",
        "vows",
        "admits",
        "insists",
        "argues",
        "predicts",
        "suggests",
        "declares",
        "reveals",
        "confirms",
        "announces",
    }
)
# Words that join a headline's phrases and never stand inside a speaker's name: "Ben Carson
# Defends Himself Against Claims He …" names no one "… Against".
_HEADLINE_LINKS = frozenset(
    {"against", "to", "for", "on", "in", "with", "by", "about", "after", "before", "over"}
)
# "Clinton Says Russians Hacked DNC, Calls Trump's Remarks 'Troubling.'": a second verb of the
# same speaker after a comma; "… As Sanders Turns Up The Heat", "…, But …": the headline's
# own circumstance or turn after what was said.
_HEADLINE_TAIL = re.compile(
    r",\s+(?P<verb>Says|Calls|Claims|Warns|Vows|Urges|Admits|Insists|Argues|Denies)\s+"
    r"|\s+(?:As|While|Amid|After|Before)\s+(?=\S)|,\s+But\b"
)


def _title_headline(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "Glenn Beck Says Trump, 'Alt Right' Pose A Threat To Democracy.": a headline in title
    case, every word capitalised, which the parser reads as a string of names. When the
    article's first line is such a headline and a word of :data:`_HEADLINE_SAYS` follows a
    short run of capitalised words, those words are the speaker and the rest of the line,
    up to a second verb of the same speaker (itself a claim: "…, Calls X 'Troubling'") or a
    clause of the headline's own ("… As Sanders Turns Up The Heat"), is what was said. Any
    other reading of that verb gives way."""
    text = text_of(doc)
    line_end = text.find("\n")
    line_end = len(text) if line_end < 0 else line_end
    line = text[:line_end].rstrip()
    words = re.findall(r"[A-Za-z][\w’'-]*", line)
    if len(words) < 4 or len(words) > 30:
        return found
    capitalised = sum(1 for word in words if word[0].isupper())
    if capitalised < 0.8 * len(words):
        return found
    tokens = [t for t in doc if t.idx < len(line)]
    verb = next(
        (t for t in tokens[1:8] if t.lower_ in _HEADLINE_SAYS and t.text[0].isupper()), None
    )
    if verb is None:
        return found
    speaker = tokens[: verb.i]
    if speaker and speaker[0].text in ("‘", "“", "'", '"'):
        return found
    comma = max((t.i for t in speaker if t.text == ","), default=-1)
    # "Railing Against Trump, Sanders Vows To …": the speaker is after the opening phrase
    speaker = [t for t in speaker if t.i > comma]
    if not speaker or not all(t.text[0].isupper() or t.is_punct for t in speaker):
        return found
    if any(t.lower_ in _HEADLINE_SAYS or t.lower_ in _HEADLINE_LINKS for t in speaker):
        return found
    if any(t.lower_ in ("himself", "herself", "itself", "themselves") for t in speaker):
        return found
    start = verb.idx + len(verb.text)
    while start < len(line) and line[start].isspace():
        start += 1
    end = len(line)
    second = None
    tail = _HEADLINE_TAIL.search(line, start)
    if tail is not None:
        end = tail.start()
        second = tail.group("verb")
    content = line[start:end].rstrip(" .,;:…")
    if len(content.split()) < 2:
        return found
    named = _trim(speaker)
    sentence = _span_chars(text, 0, len(line))
    made = [
        Attribution(
            _span_chars(text, verb.idx, verb.idx + len(verb.text)),
            _span_chars(text, start, start + len(content)),
            _token_span(named),
            describe(named),
            sentence,
            "say/VERB",
            how="headline/title",
            cue_i=verb.i,
        )
    ]
    if second is not None and tail is not None:
        cue_at = tail.start("verb")
        rest_at = tail.end()
        rest = line[rest_at:].rstrip(" …")
        later = _HEADLINE_TAIL.search(line, rest_at)
        if later is not None:
            rest = line[rest_at : later.start()].rstrip(" .,;:…")
        if len(rest.split()) >= 2:
            made.append(
                Attribution(
                    _span_chars(text, cue_at, cue_at + len(second)),
                    _span_chars(text, rest_at, rest_at + len(rest)),
                    _token_span(named),
                    describe(named),
                    sentence,
                    f"{second.lower().removesuffix('s')}/VERB",
                    how="headline/title",
                    cue_i=next((t.i for t in tokens if t.idx == cue_at), -1),
                )
            )
    taken = {item.cue.start for item in made}
    return [item for item in found if item.cue.start not in taken] + made


# "…, The Washington Post reported in 1991.", "…, reported the Washington Examiner.": a
# paper or agency closing a sentence as the one who reports all of it.
_NAME_RUN = r"(?:[Tt]he\s+)?[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,4}"
_CLOSING_REPORTER = re.compile(
    r"(?P<sep>,[”\"’']?)\s+(?:(?P<source>"
    + _NAME_RUN
    + r")\s+(?P<cue>reported|reports|wrote|writes)"
    r"|(?P<cue2>reported|reports|wrote|writes)\s+(?P<source2>" + _NAME_RUN + r"))"
    r"(?:\s+(?:on\s+)?(?:[A-Z][a-z]+day|in\s+\d{4}|last\s+\w+|earlier|at\s+the\s+time))?"
    r"[.]?[”\"’']?\s*\Z"
)


def _closing_reporter(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "During the investigation, Manafort acknowledged that the work could be termed
    'influence peddling,' The Washington Post reported in 1991.": a paper or agency named
    after the last comma of a sentence, with "reported" or "wrote" and perhaps a time, reports
    the whole sentence before it, the claim inside included, which ends at that comma. The
    parser often reads the report as part of that claim instead; where no reading has that
    verb as its cue, this gives the report, and cuts the claims inside at the comma."""
    text = text_of(doc)
    taken = {item.cue.start for item in found}
    made = []
    for sentence in doc.sents:
        start, end = sentence.start_char, sentence.end_char
        match = _CLOSING_REPORTER.search(text, start, end)
        if match is None:
            continue  # (the pattern runs to the sentence's end)
        cue_group = "cue" if match.group("cue") else "cue2"
        source_group = "source" if match.group("source") else "source2"
        if match.start(cue_group) in taken or len(text[start : match.start()].split()) < 5:
            continue
        source_at, source_end = match.span(source_group)
        while source_end > source_at and text[source_end - 1] == ".":
            source_end -= 1  # "…, reported the Washington Examiner."
        source = doc.char_span(source_at, source_end, alignment_mode="contract")
        cue = doc.char_span(*match.span(cue_group), alignment_mode="expand")
        if (
            source is None
            or cue is None
            or not all(t.pos_ in ("PROPN", "DET") or t.text[0].isupper() for t in source)
        ):
            continue
        if not any(t.ent_type_ in ("ORG", "PERSON", "GPE", "NORP") for t in source):
            continue
        # '… "influence peddling," The Washington Post reported': the quotation keeps its mark
        at = match.end("sep") if len(match.group("sep")) > 1 else match.start()
        content = _cut_before(text, _span_chars(text, start, at), at)
        if content is None:
            continue
        for item in found:
            if start <= item.cue.start < match.start() and item.content.end > match.start():
                cut = _cut_before(text, item.content, at)
                if cut is not None and not item.content.parts:
                    item.content = cut
        named = _trim(list(source))
        made.append(
            Attribution(
                _span_chars(text, cue.start_char, cue.end_char),
                content,
                _token_span(named),
                describe(named),
                _span_chars(text, start, end),
                "report/VERB",
                how="closing/report",
                cue_i=cue[0].i,
            )
        )
    return found + made


def _opens_a_bracket(doc: Doc, content: Span) -> bool:
    """Whether a content opens right after "(": what was said inside a bracket, which a
    reading that starts before the bracket would run together with the sentence around it."""
    return text_of(doc)[: content.start].rstrip().endswith("(")


def _span_chars(text: str, start: int, end: int) -> Span:
    return Span(text[start:end], start, end)


def _inside_quotation(attribution: Attribution, quotes: list[tuple[int, int]]) -> bool:
    """Whether the cue and the source both lie inside one quotation: reported speech within
    someone's quoted words is part of that quotation, not a statement of its own."""
    cue = attribution.cue
    source = attribution.source or cue
    return any(
        start < cue.start and cue.end < stop and start < source.start and source.end < stop
        for start, stop in quotes
    )


_GAP = re.compile(r"[^\S\n]*(?:[\w.'’-]+[^\S\n]*){0,4}[,.;:]?\s*")


def _continue_quotations(doc: Doc, found: list[Attribution], quotes: list[tuple[int, int]]) -> None:
    """``"A," she said. "B."`` — the quotation after the cue continues the one before it; so
    it does after a content that is not a quotation but comes before its cue (``It is time, he
    said, "not only for a leader."``; ``The benefit is "ten times the losses," he said. "B."``).

    Taken only when nothing but a few words (a day, "on Tuesday") stands between the speaker
    and the next quotation, no other cue is in that gap, and no other attribution claims it.
    """
    text = text_of(doc)
    for attribution in found:
        if attribution.content.pieces[0].end > attribution.cue.start:
            _run_on_paragraphs(doc, attribution, found, quotes)
            continue
        last = max(attribution.cue.end, attribution.source.end if attribution.source else 0)
        last = max(last, attribution.content.end)
        for start, stop in quotes:
            if start < last:
                continue
            gap = text[last:start]
            sentence_end = attribution.sentence.end
            next_sentence = last <= sentence_end <= start and not text[sentence_end:start].strip()
            # '"A," she said.\n\n"B."': a paragraph that is one quotation and nothing else
            # goes on with the speaker of the paragraph before
            if "\n" in gap and not (
                (next_sentence or not gap.strip()) and _whole_paragraph(text, start, stop)
            ):
                break
            aside = _participle_between(doc, attribution, last, start)
            if "\n" not in gap and not (
                _GAP.fullmatch(gap) or next_sentence or _JOINED_GAP.fullmatch(gap) or aside
            ):
                break
            if not next_sentence and _object_of_preposition(doc, start, stop):
                # 'he said on "Newsnight." "B."': the name of a programme is not his words,
                # but what he goes on to say may follow it
                last = stop
                continue
            taken = any(
                other is not attribution
                and not (
                    aside is not None and other.cue_i == aside.i and other.content.end <= start
                )
                and not _quoted_within(other, start, stop)
                and (
                    last <= other.cue.start < stop
                    or (other.content.start < stop and start < other.content.end)
                )
                for other in found
            )
            if not taken:
                attribution.content = joined([attribution.content, _span(doc, start, stop)])
                last = stop
                continue
            break


def _quoted_within(attribution: Attribution, start: int, stop: int) -> bool:
    """Whether the cue and the source of ``attribution`` both lie inside the quotation from
    ``start`` to ``stop``: a saying quoted in someone's words ('"We sold out. People told me it
    was the best event,"'), which is part of those words and claims none of them."""
    cue, source = attribution.cue, attribution.source or attribution.cue
    return start < cue.start and cue.end < stop and start < source.start and source.end < stop


# '"A," Jordan said, and still "B."', '"A," he said, but "B."': the speaker's words joined
# across the cue by a conjunction; a feature's '"A," she says, and then, more quietly: "B."'
# with the manner of the second saying.
_JOINED_GAP = re.compile(
    r"[^\S\n]*,?[^\S\n]*(?:and|but)(?:[^\S\n]+(?:still|also|then))?"
    r"(?:,?[^\S\n]*(?:[a-z]+[^\S\n]+){0,2}[a-z]+ly[,:]?)?[^\S\n]*"
)


def _run_on_paragraphs(
    doc: Doc, attribution: Attribution, found: list[Attribution], quotes: list[tuple[int, int]]
) -> None:
    """'The foreign secretary told the Commons:\n\n"The evidence points to …\n\n"We will …"':
    news style opens each paragraph of a long quotation anew and closes only the last, so a
    quotation after its cue whose paragraph ends unclosed goes on into the next paragraph,
    when that paragraph is a quotation and nothing else, and no one else's words."""
    text = text_of(doc)
    while True:
        piece = attribution.content.pieces[-1]
        if text[piece.start : piece.start + 1] not in _QUOTE_OPENERS:
            return
        if text[piece.end - 1 : piece.end] in _QUOTE_CLOSERS:
            return  # closed: the quotation ends here
        following = next((q for q in quotes if q[0] >= piece.end), None)
        if following is None or text[piece.end : following[0]].strip():
            return
        start, stop = following
        if "\n" not in text[piece.end : start] or not _whole_paragraph(text, start, stop):
            return
        if any(other is not attribution and start <= other.cue.start < stop for other in found):
            return
        attribution.content = joined([attribution.content, _span(doc, start, stop)])


_QUOTE_OPENERS = frozenset('"“«')
_QUOTE_CLOSERS = frozenset('"”»')


def _participle_between(doc: Doc, attribution: Attribution, last: int, start: int) -> Token | None:
    """'"A," Tester said, referring to the excuse, "B."', '"A," DuVernay said, emphasizing
    why the past matters. "B."': a participle phrase of the cue between the cue and the next
    quotation, which the quotation goes on after. The participle, when every word between
    the two is in its phrase; else None."""
    if attribution.cue_i < 0:
        return None
    cue = doc[attribution.cue_i]
    words = [t for t in _tokens_within(doc, last, start) if not (t.is_punct or t.is_space)]
    if not words:
        return None
    for child in cue.children:
        if child.dep_ == "advcl" and child.tag_ == "VBG" and child.i > cue.i:
            phrase = {t.i for t in child.subtree}
            if all(t.i in phrase for t in words):
                return child
    return None


def _tokens_within(doc: Doc, start: int, stop: int) -> list[Token]:
    """The tokens that lie wholly between two character offsets."""
    span = doc.char_span(start, stop, alignment_mode="contract")
    return list(span) if span is not None else []


def _object_of_preposition(doc: Doc, start: int, stop: int) -> bool:
    """Whether the words between two character offsets are the object of a preposition
    outside them (a title: 'on "Meet the Press"', 'in "The Art of the Deal"')."""
    return any(
        token.dep_ == "pobj" and not start <= token.head.idx < stop
        for token in _tokens_within(doc, start, stop)
    )


_CONTRASTS = frozenset({"while", "whereas", "although", "though", "because", "since"})


def _opens_contrast(clause: Token) -> bool:
    return any(child.dep_ == "mark" and child.lower_ in _CONTRASTS for child in clause.children)


def _within(offset: int, span: Span) -> bool:
    """Whether a character offset falls inside one of the span's pieces."""
    return any(piece.start <= offset < piece.end for piece in span.pieces)


def _between_clauses(cue: Token) -> Span | None:
    """ "The services lied about Iraq, they will say, so they must be lying now": a parenthesis
    set between a whole clause and a clause that follows from it ("so", "and", "because" …)
    tags the whole sentence, in two pieces, not the one clause the parse hangs it on. None
    when the parenthesis is not so set."""
    doc = cue.doc
    sentence = cue.sent
    if cue.left_edge.text != "," or cue.right_edge.text != ",":
        return None
    before = list(doc[sentence.start : cue.left_edge.i])
    after = [t for t in doc[cue.right_edge.i + 1 : sentence.end] if not t.is_space]
    if not after or after[0].lower_ not in _FOLLOWING_ON:
        return None
    inside = {t.i for t in before}
    if not any(
        t.pos_ in ("VERB", "AUX")
        and any(c.dep_ in ("nsubj", "nsubjpass") and c.i in inside for c in t.children)
        for t in before
    ):
        return None  # "Now, he says, so …": no clause before the parenthesis
    head = _token_span(_trim(before))
    tail = _token_span(_trim(after))
    if head is None or tail is None:
        return None
    return joined([head, tail])


# Words that open a clause following on from the one before: "…, so they must be lying now".
_FOLLOWING_ON = frozenset({"so", "therefore", "hence", "and", "because", "thus"})


def _around_parenthesis(doc: Doc, cue: Token, source_tokens: list[Token]) -> Span | None:
    """The clause a parenthesis "X says" stands inside, after the clause's subject and set off
    by commas ("She was, she says, on a train"; "he was angry but, friends say, never
    bitter"): the clause from its subject to its end, without the parenthesis, in two pieces.
    None when the parenthesis is not so set (or stands before the subject: "Now, he says,
    seven delegates have signed" is read from the parse)."""
    if not source_tokens or cue.i + 1 >= len(doc):
        return None
    first = min(token.i for token in source_tokens)
    if first == 0 or doc[first - 1].text != "," or doc[cue.i + 1].text != ",":
        return None
    if any(token.i > cue.i for token in source_tokens):
        return None
    host = cue.head
    while host.dep_ == "conj" and host.head.i < host.i:
        host = host.head
    subject = next((c for c in host.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.i >= first or (host.i > cue.i and host.dep_ != "ROOT"):
        return None
    start = subject.left_edge.i
    end = max(host.right_edge.i, cue.right_edge.i)
    while end > cue.i + 1 and doc[end].is_punct:
        end -= 1
    if end <= cue.i + 1 or doc[start].sent != cue.sent:
        return None
    before = _span(doc, doc[start].idx, doc[first - 1].idx)
    after = _span(doc, doc[cue.i + 2].idx, doc[end].idx + len(doc[end].text))
    if not before.text or not after.text:
        return None
    return joined([before, after])


def _around_quotes(
    doc: Doc, cue: Token, source_tokens: list[Token], quotes: list[tuple[int, int]]
) -> Span | None:
    """The two quotations right before and right after a speaker and cue that stand between
    them with nothing but commas ('"A," I said, "B."'), joined; None when there are not two."""
    around = [cue, *source_tokens]
    first = min(token.idx for token in around)
    last = max(token.idx + len(token.text) for token in around)
    text = text_of(doc)
    before = [
        (start, stop)
        for start, stop in quotes
        if stop <= first and not text[stop:first].strip(" ,\t")
    ]
    after = [
        (start, stop)
        for start, stop in quotes
        if start >= last and not text[last:start].strip(" ,\t")
    ]
    if not before or not after:
        return None
    return joined([_span(doc, *before[-1]), _span(doc, *after[0])])


def _according_to_which(cue: Token) -> tuple[list[Token], Span] | None:
    """ "…, the account given by the Russian Ministry of Defence, according to which a rebel
    warehouse was struck around midday": a relative "according to which" after a comma makes
    the phrase before it the source and the clause after it what that source says. The
    phrase's words and the clause, or None."""
    doc = cue.doc
    if cue.i < 2 or cue.i + 3 >= len(doc) or doc[cue.i - 1].text != ",":
        return None
    if doc[cue.i + 1].lower_ != "to" or doc[cue.i + 2].lower_ != "which":
        return None
    last = cue.i - 2
    nouns = [
        t
        for t in doc[cue.sent.start : cue.i - 1]
        if t.pos_ in ("NOUN", "PROPN") and t.right_edge.i == last
    ]
    if not nouns:
        return None
    antecedent = min(nouns, key=lambda t: t.left_edge.i)
    tokens = _trim(list(doc[antecedent.left_edge.i : last + 1]))
    to = doc[cue.i + 1]
    verb = to.head if to.head.pos_ in ("VERB", "AUX") and to.head != cue else None
    if verb is None:
        verb = next((c for c in cue.children if c.dep_ in ("pcomp", "ccomp", "advcl")), None)
    if verb is None or verb.right_edge.i <= cue.i + 2:
        return None
    run = _trim(list(doc[cue.i + 3 : verb.right_edge.i + 1]))
    content = _token_span(run)
    if not tokens or content is None:
        return None
    return tokens, content


def _according_content(cue: Token) -> Span | None:
    """ "According to the survey, 51 percent said they would vote for her" and "Most say they
    buy American, but the goods cost more, according to the survey": the phrase at either end of
    its sentence vouches for all the rest of it, reported sayings included. None when the phrase
    stands inside the sentence (the parse then says what it attaches to)."""
    phrase = sorted(token.i for token in cue.subtree)
    sentence = cue.sent
    doc = cue.doc
    held = cue.head
    if (
        held.i == phrase[-1] + 1
        and held.pos_ == "ADJ"
        and not any(child.i > held.i and not child.is_punct for child in held.children)
    ):
        # "…, according to diplomats present": the parse hangs the phrase on the adjective
        # that closes it
        phrase.append(held.i)
    before = [t for t in doc[sentence.start : phrase[0]] if not (t.is_punct or t.is_space)]
    after = [t for t in doc[phrase[-1] + 1 : sentence.end] if not (t.is_punct or t.is_space)]
    if (
        before
        and 0 < len(after) <= 3
        and after[0].i == phrase[-1] + 1
        and all(_named_word(t) for t in after)
    ):
        # "…, according to the state news agency SANA.": the agency's name, parsed apart
        phrase += [t.i for t in after]
        after = []
    if not before and after:
        run = list(doc[phrase[-1] + 1 : sentence.end])
    elif before and not after:
        run = list(doc[sentence.start : phrase[0]])
        opened = [t.i for t in run if t.text == "("]
        if opened and not any(t.text == ")" and t.i > opened[-1] for t in run):
            # "(the actual number is closer to 15 percent, according to Factcheck.org)": the
            # phrase inside a bracket vouches for the bracket only
            run = [t for t in run if t.i > opened[-1]]
    else:
        return None
    while run and (run[-1].is_punct or run[-1].is_space) and run[-1].text not in _CLOSING_MARKS:
        run.pop()
    if not run:
        return None
    return _token_span(_trim(_paragraph(run, run[-1] if before else run[0])))


_CLOSING_MARKS = frozenset("”\"’'")


def _named_word(token: Token) -> bool:
    """A capitalised word that the tagger may read as anything ("SANA" as a verb)."""
    return token.is_alpha and token.text[:1].isupper()


def _described_after(
    doc: Doc, content: Span, quotes: list[tuple[int, int]]
) -> tuple[list[Token], Span] | None:
    """A content that opens with a description of the speaker set off by commas and goes on
    with a quotation (", a woman whose three children died, "the street was full …""): the
    description's tokens and the quotation; else None."""
    text = text_of(doc)
    quoted = next((q for q in quotes if content.start < q[0] < content.end), None)
    if quoted is None or text[content.start : content.start + 2].lower() not in ("a ", "an"):
        return None
    between = text[content.start : quoted[0]].rstrip()
    if not between.endswith(",") or between.count(",") != 1 or '"' in between:
        return None
    described = doc.char_span(content.start, content.start + len(between) - 1, "expand")
    if described is None or not any(t.pos_ == "NOUN" for t in described):
        return None
    return _trim(list(described)), _span(doc, quoted[0], min(quoted[1], content.end))


def _according_swallowed(cue: Token) -> tuple[list[Token], Span] | None:
    """ "According to conservative talk radio host Rush Limbaugh, the move reeks of fear": the
    parser can make the whole sentence hang on "According", the clause an apposition of the
    name. When the phrase opens its sentence and runs to its end, the source is the phrase up to
    the first comma that is not an apposition's ("According to Smith, a senator, …" goes on
    past "a senator") and the content everything after it. The source's tokens and the
    content, or None."""
    sentence = cue.sent
    doc = cue.doc
    words = [t for t in sentence if not (t.is_punct or t.is_space)]
    if not words or words[0] != cue or cue.i + 2 >= sentence.end:
        return None
    if max(t.i for t in cue.subtree) < words[-1].i:
        return None
    commas = [t.i for t in doc[cue.i + 3 : sentence.end] if t.text == ","]
    for at, comma in enumerate(commas):
        following = commas[at + 1] if at + 1 < len(commas) else None
        segment = [t for t in doc[comma + 1 : following or sentence.end] if not t.is_punct]
        if not segment:
            return None
        appositive = (
            following is not None
            and len(segment) <= 8
            and (segment[0].lower_ in ("a", "an") or segment[0].like_num)
            and not any(t.pos_ in ("VERB", "AUX") for t in segment)
        )
        if appositive:
            continue
        source = _trim(list(doc[cue.i + 2 : comma]))
        run = _trim(list(doc[comma + 1 : sentence.end]))
        content = _token_span(run)
        if not source or content is None:
            return None
        return source, content
    return None


def _before_colon(cue: Token, head: Token) -> bool:
    """ "The revelation set off fireworks on Friday: Republicans said they were convinced …":
    the parser can make the clause before a colon (or semicolon) the one reported by the verb
    after it. A writer's own sentence ends at the colon; what the speaker said follows it."""
    if head.i > cue.i:
        return False
    # the colon may hang on the clause before it ("We have been here before: …")
    last = max(token.i for token in head.subtree if not token.is_punct)
    return any(token.text in (":", ";") for token in cue.doc[last + 1 : cue.i])


_MARKUP_LEFT = re.compile(r"[^\w\s]*>\s*")
# a speaker's label before a colon that opens the sentence: "SOKOLOV: ", "Anchor (Petrov): "
_LABEL_LEFT = re.compile(r"[^\W\d][\w.'\- ]{0,40}(?:\([^()\n]{1,40}\))?:\s+")


def _closed(doc: Doc, source: Span | None) -> Span | None:
    """A source phrase with its apposition closed as annotators mark it: "Rendell, a Clinton
    surrogate," keeps the comma that ends the apposition, "Jason Chaffetz (R-Utah)" its bracket."""
    if source is None:
        return None
    text = text_of(doc)
    markup = _MARKUP_LEFT.match(source.text)
    if markup is not None and markup.end() < len(source.text):
        # what a scraped page left of its markup ('">Sanders said'): no name begins with it
        source = _span_chars(text, source.start + markup.end(), source.end)
    label = _LABEL_LEFT.match(source.text)
    if (
        label is not None
        and label.end() < len(source.text)
        and not text[text.rfind("\n", 0, source.start) + 1 : source.start].strip()
    ):
        # a transcript's turn ("SOKOLOV: The ministry's spokesman, General Ivanov, has said
        # …"): the label, opening its line, names who speaks the turn, the phrase after it
        # who said the claim (a book's "The Fixers: Eddie Mannix …" inside a line is a title)
        source = _span_chars(text, source.start + label.end(), source.end)
    end = source.end
    if source.text.count("(") > source.text.count(")") and text[end : end + 1] == ")":
        end += 1
    if "," in source.text and text[end : end + 1] == ",":
        end += 1
    return source if end == source.end else _span_chars(text, source.start, end)


def _whole_paragraph(text: str, start: int, stop: int) -> bool:
    """Whether the quotation at ``start:stop`` is a paragraph on its own."""
    before = text.rfind("\n", 0, start)
    after = text.find("\n", stop)
    return (
        not text[before + 1 : start].strip()
        and not text[stop : len(text) if after < 0 else after].strip()
    )


def _misparsed_clause(
    cue: Token, source_tokens: list[Token], extractor: AttributionExtractor
) -> Span | None:
    """ "He said the depot made weapons": a reported clause the parser took for an object. An
    object of four or more words with a verb inside is read as the clause it is; so is a
    gerund the parser hung on a verb of saying ("He said legalizing it could create jobs")."""
    for child in cue.children:
        if child.i < cue.i:
            continue
        subtree = list(child.subtree)
        if child.dep_ == "dobj":
            clause = subtree[0].lower_ == "that" or any(
                token.pos_ in ("VERB", "AUX") for token in subtree
            )
            if (
                not clause
                and cue.lemma_ in _SAYING
                and len([t for t in subtree if not t.is_punct]) >= 3
                and any(t.pos_ == "ADJ" and t.i > child.i for t in subtree)
            ):
                # a headline's "OPCW chief says sarin exposure incontrovertible": a clause
                # without its verb
                return extractor._content(cue, child, child.dep_, source_tokens)
        elif child.dep_ == "xcomp" and child.tag_ == "VBG" and cue.lemma_ in _SAYING:
            clause = any(token.pos_ in ("VERB", "AUX") and token.i > child.i for token in subtree)
        elif child.dep_ == "advcl" and cue.lemma_ in _SAYING and subtree[0].i == cue.i + 1:
            # "saying a visit weeks after the attack could not rule anything out": the parser
            # took "after" for the clause's opening and the clause for one of time
            clause = (
                subtree[0].dep_ not in ("mark", "advmod")  # "said when Boyle asked him"
                and any(c.dep_ == "nsubj" for c in child.children)
                and not any(c.dep_ in ("ccomp", "dobj") for c in cue.children)
            )
        else:
            continue
        if len(subtree) >= 4 and clause:
            return extractor._content(cue, child, child.dep_, source_tokens)
    hung = _clause_in_phrase(cue)
    if hung is not None:
        return extractor._content(cue, hung, "ccomp", source_tokens)
    return None


def _clause_in_phrase(cue: Token) -> Token | None:
    """ "The spokesman said during an interview with the station that the army had withdrawn":
    after a phrase, the parser can hang the reported clause on the phrase's last noun, as if it
    were a relative clause on "the station". A clause opened by "that" with a subject of its
    own, inside a phrase after a verb of saying that has no other content, is what was said."""
    if cue.lemma_ not in _SAYING:
        return None
    for child in cue.children:
        if child.i < cue.i or child.dep_ != "prep":
            continue
        for token in child.subtree:
            if token.dep_ not in ("relcl", "acl") or token.pos_ not in ("VERB", "AUX"):
                continue
            first = min(token.subtree, key=lambda t: t.i)
            subject = any(
                c.dep_ in ("nsubj", "nsubjpass") and c.lower_ != "that" for c in token.children
            )
            if first.lower_ == "that" and subject:
                return token
    return None


_SAYING = frozenset({"say", "tell", "answer", "reply", "respond"})
_ANSWERS = frozenset({"yes", "no"})


def _answer(doc: Doc, cue: Token) -> Span | None:
    """ "The candidate said no", "55 percent said so": a one-word answer is what was said; and
    so is "the same" in the pollsters' "49 percent say the same of Trump" (with what it is the
    same of)."""
    if cue.lemma_ not in _SAYING:
        return None
    for child in cue.children:
        if child.i > cue.i and (
            (child.dep_ == "intj" and child.lower_ in _ANSWERS)
            or (child.dep_ == "advmod" and child.lower_ == "so")
        ):
            return _token_span([child])
        if child.i > cue.i and child.dep_ == "dobj" and child.lower_ == "same":
            return _token_span(_trim(_contiguous(list(child.subtree), child)))
    return None


def _aside(head: Token) -> set[int]:
    """The token numbers of a relative clause set off by a comma after a noun ("praised
    Franklin Graham, who has vowed ..."): it says more about the noun, not what was said."""
    doc = head.doc
    dropped: set[int] = set()
    for child in head.children:
        if child.dep_ == "relcl" and child.i > head.i:
            first = min(token.i for token in child.subtree)
            if first > 0 and doc[first - 1].text == ",":
                dropped |= {token.i for token in child.subtree}
    return dropped


# What sets a second speaker's saying against the first's: "…, while others cautioned …".
_SET_AGAINST = frozenset({"while", "whereas"})


def _contrasted_speakers(
    doc: Doc,
    proposals: list[tuple[Attribution, list[str], str]],
    kept: list[Attribution],
    cues: dict[str, dict[str, Any]],
) -> list[Attribution]:
    """ "Some members said the evidence pointed to the air force, while others cautioned
    against drawing conclusions": the parse hangs the second speaker's verb on the first one's
    reported clause, so the first claim ran on over the second and the filter dropped the
    second as a clause inside it. A dropped verb of the rules' lexicon that opens a "while" or
    "whereas" clause with a subject of its own, inside a kept claim's content, is a saying of
    its own; and the kept claim ends before it."""
    added: list[Attribution] = []
    for inner, _, lexicon in proposals:
        if lexicon != "rules" or inner in kept or inner.cue_i < 0 or inner.source is None:
            continue
        cue = doc[inner.cue_i]
        mark = next((c for c in cue.children if c.dep_ == "mark"), None)
        if (
            cue.dep_ != "advcl"
            or mark is None
            or mark.lower_ not in _SET_AGAINST
            or cue.head.i > mark.i  # "said that while polls showed X, Y": the speaker's own
            or not any(c.dep_ == "nsubj" and c.pos_ != "PRON" for c in cue.children)
            or inner.cue_key not in cues
            or not inner.cue_key.endswith("/VERB")
            or len(inner.content.text.split()) < 3  # "while police shout at him"
        ):
            continue
        outer = next(
            (
                o
                for o in kept
                if not o.content.parts
                and o.content.start < mark.idx < o.content.end
                and o.cue.end <= o.content.start
                and o.cue_i >= 0
                and cue.head.i != o.cue_i  # "said …, while …": the saying's own adjunct
                and o.source is not None
                and o.source.text.lower() not in _EMPTY_SUBJECTS  # "It shows …": a video
            ),
            None,
        )
        if outer is None:
            continue
        end = mark.idx
        while end > outer.content.start and text_of(doc)[end - 1] in " ,;":
            end -= 1
        outer.content = _span(doc, outer.content.start, end)
        added.append(inner)
    return added


def _held_through_comment(
    doc: Doc, kept: list[Attribution], cues: dict[str, dict[str, Any]]
) -> list[Attribution]:
    """ "The Government maintains, as its representatives have told this Council, that its
    aircraft struck a depot": the parse hangs the that-clause on the comment clause's verb, the
    last before it, and the main verb is left with nothing said. A verb of the rules' lexicon
    with a subject and no clause or object of its own, whose "as" clause set off by commas
    carries a kept claim, holds that claim too (the comment clause's own claim stays)."""
    added: list[Attribution] = []
    for item in kept:
        if item.cue_i < 0 or item.source is None:
            continue
        comment = doc[item.cue_i]
        head = comment.head
        if (
            comment.dep_ != "advcl"
            or not any(c.dep_ == "mark" and c.lower_ == "as" for c in comment.children)
            or head.i >= comment.i
            or head.pos_ != "VERB"
            or not any(t.text == "," for t in doc[head.i + 1 : comment.left_edge.i])
            or item.content.start < comment.idx  # what was said follows the comment
            or f"{head.lemma_}/VERB" not in cues
            # "those differences seemed a distant memory, as the two echoed …": a verb with a
            # complement of its own holds nothing of the comment's
            or any(
                c.dep_ in ("ccomp", "dobj", "xcomp", "oprd", "acomp", "attr") for c in head.children
            )
        ):
            continue
        subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if subject is None:
            continue
        named = _source_tokens(subject)
        found = _one_word_cue(head, item.content, named, f"{head.lemma_}/VERB", "comment-held")
        added += [a for a in found if not any(k.cue.start == a.cue.start for k in kept)]
    return added


# Verbs of a finding or a view that the lexicon of sayings leaves out.
_JUDGING = frozenset({"consider", "judge", "deem", "find", "conclude", "regard", "assess"})


def _second_verb_of_the_speaker(
    doc: Doc, found: list[Attribution], cues: dict[str, dict[str, Any]]
) -> list[Attribution]:
    """ "It judged that a device "could not be ruled out" but considered a bomb more likely":
    the parser can join the speaker's second verb to the last verb of the that-clause, so the
    first claim runs on into the second. A verb of the rules' lexicon, in the same tense as the
    cue and without a subject, joined by "but" or "and" to a clause head that cannot share its
    subject (a passive head: "could be ruled out"), is the speaker's second saying:
    the first content ends before the conjunction, and the second verb says what follows it."""
    added: list[Attribution] = []
    for item in found:
        if item.cue_i < 0 or item.source is None or item.content.parts:
            continue
        cue = doc[item.cue_i]
        if cue.pos_ != "VERB" or cue.tag_ not in ("VBD", "VBZ"):
            continue
        for clause in cue.children:
            # only a passive head ("could be ruled out"): an active one ("scientists had
            # analysed samples and found …") may well share its subject with the verb after it,
            # unless the tenses part them ("He pointed out that the groups hold chemicals, and
            # underlined that …": a past verb of saying is not joined to a present one)
            if clause.dep_ != "ccomp" or not (
                any(c.dep_ == "auxpass" for c in clause.children)
                or (cue.tag_ == "VBD" and clause.tag_ in ("VBP", "VBZ"))
            ):
                continue
            for verb in clause.children:
                if (
                    verb.dep_ != "conj"
                    or verb.pos_ != "VERB"
                    or verb.tag_ != cue.tag_
                    or (f"{verb.lemma_}/VERB" not in cues and verb.lemma_ not in _JUDGING)
                    or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)
                    or not any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in verb.children)
                ):
                    continue
                joint = next(
                    (c for c in clause.children if c.dep_ == "cc" and c.i == verb.i - 1), None
                )
                last = max(t.i for t in verb.subtree)
                while last > verb.i and doc[last].is_punct:
                    last -= 1
                end = doc[last].idx + len(doc[last].text)
                if joint is None or not item.content.start < joint.idx < end <= item.content.end:
                    continue
                before = doc[joint.i - 1]
                if before.is_punct and before.i > clause.left_edge.i:
                    before = doc[before.i - 1]  # ", and underlined": the comma is no one's
                item.content = _span(doc, item.content.start, before.idx + len(before.text))
                content = _span(doc, doc[verb.i + 1].idx, end)
                named = doc.char_span(item.source.start, item.source.end, alignment_mode="expand")
                taken = next((other for other in found if other.cue_i == verb.i), None)
                if taken is not None and named is not None:
                    # read before with the clause's subject for its speaker ("the order
                    # deemed …"): the speaker is the cue's
                    taken.source, taken.speaker = item.source, describe(list(named))
                elif named is not None:
                    key = f"{verb.lemma_}/VERB"
                    added += _one_word_cue(verb, content, list(named), key, "second-verb")
    return added


def _second_verb_read_as_noun(
    doc: Doc, found: list[Attribution], cues: dict[str, dict[str, Any]]
) -> list[Attribution]:
    """ "Amnesty International has learned that he is held by Air Force Intelligence, and fears
    that he is at risk of torture": the tagger reads the speaker's second verb, after "and", as
    a plural noun joined to the last verb of the first clause, and what was said after it as
    that noun's clause. A verb of saying spelt like a plural noun, right after "and" and right
    before "that", cannot be a noun there: it is the speaker's second saying, and the first
    content ends before the "and"."""
    added: list[Attribution] = []
    for item in found:
        if item.cue_i < 0 or item.source is None or item.content.parts:
            continue
        cue = doc[item.cue_i]
        if cue.pos_ != "VERB":
            continue
        for clause in cue.children:
            if clause.dep_ != "ccomp":
                continue
            for verb in clause.children:
                if (
                    verb.dep_ != "conj"
                    or verb.tag_ != "NNS"
                    or verb.lemma_.lower() not in _NOUN_LIKE_SAYINGS
                    or f"{verb.lemma_.lower()}/VERB" not in cues
                    or verb.i + 1 >= len(doc)
                    or doc[verb.i + 1].lower_ != "that"
                    or doc[verb.i - 1].lower_ != "and"
                ):
                    continue
                last = max(t.i for t in verb.subtree)
                while last > verb.i and doc[last].is_punct:
                    last -= 1
                end = doc[last].idx + len(doc[last].text)
                joint = doc[verb.i - 1]
                # the learnt span may have ended the first content before the "and" already
                if not item.content.start < joint.idx < end <= cue.sent.end_char:
                    continue
                before = doc[joint.i - 1]
                if before.is_punct and joint.i > 1:
                    before = doc[joint.i - 2]
                named = doc.char_span(item.source.start, item.source.end, alignment_mode="expand")
                if named is None:
                    continue
                cut = min(item.content.end, before.idx + len(before.text))
                item.content = _span(doc, item.content.start, cut)
                content = _span(doc, doc[verb.i + 1].idx, end)
                key = f"{verb.lemma_.lower()}/VERB"
                added += _one_word_cue(verb, content, list(named), key, "second-verb")
    return added


def _carried_reports(
    proposals: list[tuple[Attribution, list[str], str]],
    kept: list[Attribution],
    cues: dict[str, dict[str, Any]],
) -> list[Attribution]:
    """ "The defence ministry said the strike hit a depot, Interfax reported": the ministry's
    claim is carried by the agency, and is the ministry's claim all the same. News annotators
    seldom mark a report inside a report, so the learnt filter drops it; but a party's record
    must not lose what the party said because an agency relayed it. A report the filter
    dropped is kept when it lies inside the content of a kept report whose cue comes after it
    ("…, Interfax reported", "…, his spokesman said"), its cue is a verb of the rules' lexicon, and
    its speaker is a person (named or by office), body or state saying a clause of at least
    three words."""
    dropped = [
        attribution
        for attribution, names, lexicon in proposals
        if lexicon == "rules" and "nested" in names and attribution not in kept
    ]
    carried: list[Attribution] = []
    for inner in dropped:
        speaker = inner.speaker
        if inner.source is None or speaker is None:
            continue
        if (
            speaker.type not in _CARRIED_SPEAKERS
            and not speaker.title
            and inner.source.text.lower() not in _PERSON_PRONOUNS
        ):
            continue  # "the minister" and "he" are someone; "the videos" are not
        if inner.cue_key not in cues or not inner.cue_key.endswith("/VERB"):
            continue
        if len(inner.content.text.split()) < 3 or inner.source.start > inner.cue.start:
            continue
        if any(
            outer.cue.start >= inner.content.end
            and outer.source is not None
            and any(
                p.start <= inner.source.start and inner.content.end <= p.end
                for p in outer.content.pieces
            )
            for outer in kept
        ):
            carried.append(inner)
    return carried


_CARRIED_SPEAKERS = frozenset({"person", "organisation", "state"})


def _mark_nested(
    found: list[tuple[Attribution, list[str], str]],
    cues: dict[str, dict[str, Any]],
    quotes: list[tuple[int, int]],
) -> None:
    """Add a feature to each proposal whose cue lies inside the content of another proposal
    of a usual saying ("said the videos show Scott ..."): annotators mark such reported
    reports less often than the ones they sit in, and the learnt filter weighs that.

    A saying quoted inside a quotation ("''He says what everyone wants to say,'' Steve Moody
    said") holds nothing beyond that quotation, even when the parse runs its content on past the
    closing mark: the reporting verb after the quotation is not nested in the quoted one."""
    sayings = []
    for attribution, _, lexicon in found:
        if (
            lexicon != "rules"
            or attribution.cue_key in _VOUCHING
            or float(cues.get(attribution.cue_key, {}).get("precision", 0.0)) < NESTING_PRECISION
        ):
            continue
        cue = attribution.cue
        # the one quotation (they do not overlap) that can hold the cue: the last to open before
        before = bisect.bisect_left(quotes, cue.start, key=lambda quote: quote[0])
        quoted = [q for q in quotes[before - 1 : before] if before and cue.end < q[1]]
        sayings.append((attribution.cue_key, attribution.content.pieces, quoted))
    # The sayings' pieces by where they start: a cue is looked for only in those that open
    # before it and no further back than the longest piece, not in every saying of the text.
    pieces = sorted(
        (piece.start, piece.end, number)
        for number, (_, held, _) in enumerate(sayings)
        for piece in held
    )
    starts = [start for start, _, _ in pieces]
    longest = max((end - start for start, end, _ in pieces), default=0)
    for attribution, names, _ in found:
        cue = attribution.cue
        holding = set()
        at = bisect.bisect_right(starts, cue.start)
        while at > 0 and starts[at - 1] >= cue.start - longest:
            at -= 1
            if cue.end <= pieces[at][1]:
                holding.add(pieces[at][2])
        inside = [
            sayings[number][0]
            for number in holding
            if all(start < cue.start and cue.end < stop for start, stop in sayings[number][2])
        ]
        if inside:
            key = attribution.cue_key or "?"
            names += ["nested", f"nested|key={key}", f"nested|how={attribution.how}"]
            names += [f"nested|in={outer}" for outer in sorted(set(inside))]


# A verb outside both lexicons is proposed with the default paths; the model decides.
_GENERIC_ENTRY: dict[str, Any] = {
    "precision": 0.0,
    "count": 0,
    "sourceless": 0.0,
    "source_paths": [],
    "content_paths": [],
}
_GENERIC_CHILDREN = frozenset({"ccomp", "xcomp", "dobj", "prep", "dative"})


# A newspaper by how often it comes out: "The business daily adds …", "the weekly says …".
_PERIODICALS = frozenset({"daily", "weekly", "monthly", "fortnightly", "biweekly"})


def _periodical_subject(doc: Doc, found: list[Attribution]) -> None:
    """ "The business daily adds that …": the tagger reads "daily" as an adverb, so the verb has
    no subject and the claim no source; a determiner, perhaps a word or two, and a periodical's
    word right before the cue are the paper."""
    for item in found:
        if item.source is not None or item.cue_i < 1:
            continue
        paper = doc[item.cue_i - 1]
        if paper.lower_ not in _PERIODICALS:
            continue
        start = paper.i
        while start > paper.sent.start and doc[start - 1].pos_ in ("NOUN", "ADJ", "PROPN"):
            start -= 1
        if start == paper.i - 3 or start <= paper.sent.start:
            continue
        if (
            doc[start - 1].lower_ not in ("the", "this", "that")
            or doc[start - 1].i != paper.sent.start
        ):
            continue
        tokens = list(doc[start - 1 : paper.i + 1])
        item.source = _token_span(tokens)
        item.speaker = describe(tokens)


def _undated_sources(doc: Doc, found: list[Attribution]) -> None:
    """A date is never the speaker: in "The World Health Organization is deeply alarmed by
    reports of … on 4 April" the date hangs on the adjective that is the cue, and the speaker
    is the subject of the verb it completes."""
    for item in found:
        source = item.source
        if source is None or item.cue_i < 0 or doc[item.cue_i].dep_ != "acomp":
            continue
        span = doc.char_span(source.start, source.end, alignment_mode="expand")
        if span is None or not all(token.ent_type_ in ("DATE", "TIME") for token in span):
            continue
        cue = doc[item.cue_i]
        subjects = [c for c in cue.head.children if c.dep_ == "nsubj"]
        tokens = sorted(subjects[0].subtree, key=lambda t: t.i) if subjects else []
        item.source = _token_span(tokens)
        item.speaker = describe(tokens) if tokens else None


def _strike_acting(doc: Doc, item: Attribution) -> bool:
    """Whether a relation is a strike's or weapon's doing, or the response to one, with no
    clause for its content: "an air strike reportedly released toxic chemicals" (a strike says
    nothing), "Our teams are responding to an airstrike with toxic gas" (rescuers at work)."""
    cue = doc[item.cue_i]
    content = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
    if content is None or content.root.pos_ in ("VERB", "AUX"):
        return False
    if item.rare_cue and any(
        c.dep_ == "nsubj" and c.lemma_.lower() in _STRIKES | _WEAPONS for c in cue.children
    ):
        return True  # a rarer cue only: a misparse can hang "…, the Observatory said" so
    return cue.lemma_ in ("respond", "react") and content.root.lemma_.lower() in _STRIKES


# What strikes: a strike acts, it says nothing. (Not "attack", which in political news is
# as often a speech: "responded to attacks on Machado".)
_STRIKES = frozenset(
    {"strike", "airstrike", "raid", "bombardment", "bombing", "shelling", "explosion", "blast"}
    | {"barrel"}
)


def _purpose_infinitive(doc: Doc, item: Attribution) -> bool:
    """Whether the cue is an infinitive of purpose with a noun for its object, on a verb that
    is no saying: in "The teams are working with partners to confirm the number of victims"
    nothing is confirmed yet; it is what they work for."""
    cue = doc[item.cue_i]
    content = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
    return (
        item.how.startswith("fallback")
        and cue.dep_ == "advcl"
        and cue.tag_ == "VB"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children)
        and cue.head.pos_ == "VERB"
        # after the verb's own complement: "purports to show rescuers staging …" is what the
        # video is said to show
        and any(c.dep_ in ("prep", "dobj") and cue.head.i < c.i < cue.i for c in cue.head.children)
        and content is not None
        and content.root.dep_ == "dobj"
    )


def _bidden_to_say(doc: Doc, item: Attribution, found: list[Attribution]) -> bool:
    """Whether the cue is an infinitive that the one bidden is to carry out, given to the one
    who bids: in "We challenge the Russian side to name the location of the depot" the
    Russian side has named nothing, and the challenge, a claim of its own, holds the bidding
    whole. Only where the bidding verb has the one bidden for its object, before the
    infinitive, and the verb is itself found as a cue with the same source."""
    cue = doc[item.cue_i]
    bid = cue.head
    return (
        item.source is not None
        and cue.dep_ in ("advcl", "xcomp")
        and cue.tag_ == "VB"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children)
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children)
        and any(c.dep_ == "dobj" and bid.i < c.i < cue.i for c in bid.children)
        and any(
            other.cue_i == bid.i
            and other.source is not None
            and other.source.start == item.source.start
            for other in found
        )
    )


def _infinitive_after_as_it_is(doc: Doc, item: Attribution) -> bool:
    """Whether the cue is an infinitive the parse hangs on an aside of manner ("The army has
    hastened, as is its custom, to cover up the crime"), taking the aside's subject ("its
    custom") for the one who speaks: a custom or a habit says nothing; the infinitive belongs
    to the verb before the aside, which is no saying."""
    cue = doc[item.cue_i]
    aside = cue.head
    return (
        item.how.startswith("fallback")
        and cue.dep_ == "advcl"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children)
        and aside.lemma_ == "be"
        and aside.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in aside.children)
    )


def _taking_place(cue: Token) -> bool:
    """Whether the cue is "take" in "took place": an event happening, which says nothing (the
    learnt paths can read "according to …, the attack took place" as the verb's own saying)."""
    return cue.lemma_ == "take" and any(
        c.dep_ == "dobj" and c.lower_ == "place" and not any(True for _ in c.children)
        for c in cue.children
    )


def _what_the_paper_presents(doc: Doc, item: Attribution) -> bool:
    """Whether the cue is a paper's authors saying what it presents: "We describe five
    patients admitted to a hospital in southern Turkey" counts the cases; it claims nothing
    about them. (Their "The authors report that …" or "We believe that …" is a claim.)"""
    cue = doc[item.cue_i]
    content = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
    return (
        cue.lemma_ in ("describe", "report", "present")
        and cue.tag_ == "VBP"
        and any(c.dep_ == "nsubj" and c.lower_ == "we" for c in cue.children)
        and content is not None
        and content.root.dep_ == "dobj"
        and any(c.dep_ == "nummod" for c in content.root.children)
    )


def _set_against(doc: Doc, item: Attribution) -> bool:
    """Whether the cue heads a clause of contrast and its content is the clause it is set
    against: in "Forty people died, according to the monitor, while the ministry put the toll
    at 52" the ministry gives a figure of its own against the monitor's; it does not report
    that forty died."""
    cue = doc[item.cue_i]
    return (
        item.how.endswith("^advcl")
        and cue.dep_ == "advcl"
        # after what it is set against: "While he embraces what he believes …" holds its own
        and item.content.end <= item.cue.start
        and any(c.dep_ == "mark" and c.lower_ in ("while", "whereas") for c in cue.children)
    )


# What a page counts under a post or a video ("2.3K likes", "87 likes · 312 replies"), which
# the tagger can read as a verb whose subject is the figure before it.
_REACTIONS = frozenset(
    {"like", "likes", "share", "shares", "view", "views", "reply", "replies", "upvote", "upvotes"}
    | {"retweet", "retweets", "reaction", "reactions", "point", "points", "comment", "comments"}
)
_FIGURE = re.compile(r"[\d.,]+[KkMm]?")


def _reaction_count(doc: Doc, item: Attribution) -> bool:
    """Whether the cue is a page's count of reactions under a post, its "source" the figure
    written in digits before it: "1.1K likes · Reply" under a comment says nothing, and a
    figure is no speaker. (A number in words, "Three said …", is left to the rules.)"""
    return (
        item.source is not None
        and _FIGURE.fullmatch(item.source.text) is not None
        and doc[item.cue_i].lower_ in _REACTIONS
    )


# Verbs of saying whose base form is also a noun, which the tagger can read as one after a
# plural subject with a modifier ("The medical teams that received the injured report that …",
# "Partners on the ground note that …").
_NOUN_LIKE_SAYINGS = frozenset(
    {"report", "note", "claim", "state", "warn", "insist", "argue", "confirm", "estimate"}
    | {"stress", "maintain", "allege", "say", "believe", "fear", "suspect"}
)


def _verb_read_as_noun(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """A sentence the tagger leaves without a verb, reading its verb of saying as a noun at the
    end of a long plural subject ("the injured report", "the ground note") and what was said as
    a clause of that noun: the word right before a "that"-clause, in its base form, after a
    sentence opening with a plural noun, is the verb, the words before it the speaker."""
    taken = {item.cue_i for item in found}
    out = []
    for sent in doc.sents:
        root = sent.root
        if root.tag_ != "NNS" or root.i != next(
            (t.i for t in sent if t.pos_ in ("NOUN", "PROPN")), -1
        ):
            continue
        for cue in sent:
            if (
                cue.i in taken
                or cue.tag_ != "NN"
                or cue.lower_ not in _NOUN_LIKE_SAYINGS
                or cue.i + 1 >= sent.end
                or doc[cue.i + 1].lower_ != "that"
                or doc[cue.i + 1].dep_ != "mark"
            ):
                continue
            # what was said runs to the sentence's end (the parser, lost in it, may hang it on
            # a noun inside it, or read its verb as a noun too: "that the symptoms - pupils, …
            # - match poisoning")
            said = list(doc[cue.i + 1 : sent.end])
            # the subject from its first word (a paragraph's "[2]" is no part of it)
            first = next(t.i for t in sent if t.pos_ in ("DET", "ADJ", "NOUN", "PROPN"))
            tokens = _trim(list(doc[first : cue.i]))
            source = _token_span(tokens)
            content = _token_span(_trim(said))
            if source is None or content is None or len(tokens) < 3:
                continue
            # who they are, without the relative clause ("The medical teams that received …")
            relative = next((c.left_edge.i for c in root.children if c.dep_ == "relcl"), cue.i)
            speaker = describe(_trim(list(doc[first : min(relative, cue.i)])))
            out.append(
                Attribution(
                    _span(doc, cue.idx, cue.idx + len(cue.text)),
                    content,
                    source,
                    speaker,
                    _span(doc, sent.start_char, sent.end_char),
                    f"{cue.lemma_.lower()}/VERB",
                    how="noun-verb",
                    cue_i=cue.i,
                )
            )
            break
    return out


def _closing_saying_read_as_noun(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "Conclusions cannot be trusted, Russian MFA states.": a closing comment clause whose
    verb the tagger reads as a plural noun, joined to what comes before the comma. A verb of
    saying in its third person ("states", "notes"), lower case, closing its sentence right
    after a short subject that follows a comma, says the clause before the comma, as "…, the
    ministry says." does; the subject (no "and" in it, opening with a determiner, an adjective
    or a name) is the source."""
    taken = {item.cue_i for item in found}
    out = []
    for sent in doc.sents:
        words = [t for t in sent if not t.is_punct and not t.is_space]
        if not words:
            continue
        cue = words[-1]
        if (
            cue.i in taken
            or cue.tag_ != "NNS"
            or not cue.text.islower()
            or _singular(cue.lower_) not in _NOUN_LIKE_SAYINGS
            or not any(t.pos_ in ("VERB", "AUX") for t in sent if t.i < cue.i)
        ):
            continue
        comma = next((t for t in reversed(doc[sent.start : cue.i]) if t.text == ","), None)
        if comma is None or not 1 <= cue.i - comma.i - 1 <= 5:
            continue
        named = list(doc[comma.i + 1 : cue.i])
        if named[0].pos_ not in ("DET", "ADJ", "PROPN") or any(
            t.pos_ in ("CCONJ", "VERB", "AUX", "ADP", "PRON") for t in named
        ):
            continue
        said = _trim(list(doc[sent.start : comma.i]))
        content = _token_span(said)
        if content is None or not any(t.pos_ in ("VERB", "AUX") for t in said):
            continue
        out += _one_word_cue(
            cue, content, _trim(named), f"{_singular(cue.lower_)}/VERB", "closing-noun-verb"
        )
    return out


# Verbs of saying the tagger reads as adjectives after a pronoun ("We affirm that …", where
# "affirm" looks like "firm").
_SAYING_READ_AS_ADJECTIVE = frozenset({"affirm"})


def _saying_read_as_adjective(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "We affirm that there are no depots in the area", a statement's way of putting its
    position: the tagger reads the verb as an adjective, so no verb of saying carries the
    clause. A known verb of saying in its base form with a subject and a "that"-clause of its
    own is the cue, its subject the source."""
    taken = {item.cue_i for item in found}
    out = []
    for cue in doc:
        if cue.i in taken or cue.pos_ != "ADJ" or cue.lower_ not in _SAYING_READ_AS_ADJECTIVE:
            continue
        subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
        clause = next(
            (
                c
                for c in cue.children
                if c.dep_ == "ccomp"
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            ),
            None,
        )
        if subject is None or clause is None:
            continue
        content = _token_span(_trim(list(clause.subtree)))
        if content is not None:
            out += _one_word_cue(
                cue, content, _source_tokens(subject), f"{cue.lower_}/VERB", "adjective-verb"
            )
    return out


# The words a bracketed gloss translates, at the head of a line or sentence, before it:
# "Inshallah [God willing]" (at most three words, none closing a sentence).
_GLOSSED_WORDS = re.compile(
    r"(?:^|(?<=[.!?\n]))[^\S\n]*[\"“]?([A-Za-z][\w'’-]*(?:[^\S\n]+[\w'’-]+){0,2}[\"”]?)[^\S\n]*$"
)


_GLOSS_FRONTED = re.compile(
    r"(?:^|(?<=[.!?\n]))[^\S\n]*([A-Za-z][\w'’-]*(?:[^\S\n]+[\w'’-]+){0,2}[^\S\n]*"
    r"[\[(][^\[\]()\n]{1,60}[\])]),[^\S\n]*$"
)


def _opens_sentence(doc: Doc, offset: int) -> bool:
    """Whether the word at character ``offset`` opens a sentence in the parse (not a word after
    an abbreviation's full stop, "Sen. Claire McCaskill")."""
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    return span is not None and len(span) > 0 and bool(span[0].is_sent_start)


def _glossed_word_before(doc: Doc, found: list[Attribution]) -> None:
    """ "Inshallah [God willing], a doctor said, the world would act": what was said that
    opens with a gloss in brackets opens with the words it glosses, which the parser, taking
    the foreign word for a sentence of its own, leaves out."""
    text = text_of(doc)
    for item in found:
        content = item.content
        if item.how == "line":
            continue
        fronted = (
            _GLOSS_FRONTED.search(text, max(0, item.source.start - 100), item.source.start)
            if item.source is not None and item.source.start < content.start
            else None
        )
        if fronted is not None and not _opens_sentence(doc, fronted.start(1)):
            fronted = None  # "Sen. Claire McCaskill (D-Mo.), who …": a name after a title
        if fronted is not None and content.text[:1] not in "[(":
            # "Alhamdulillah [praise be to God], one driver said, the boy lived": the parser
            # may drop the glossed words before the aside altogether
            item.content = joined([_span(doc, *fronted.span(1)), content])
            continue
        if content.text[:1] not in "[(":
            continue
        before = _GLOSSED_WORDS.search(text, max(0, content.start - 60), content.start)
        if before is None:
            continue
        start = before.start(1)
        first = content.parts[0] if content.parts else content
        piece = Span(text[start : first.end], start, first.end)
        item.content = joined([piece, *content.parts[1:]]) if content.parts else piece


def _counting_its_own(cue: Token) -> bool:
    """Whether "count" is a place or people mourning, not a toll: "a town counts its dead"
    gives no figure, and a toll is one ("the directorate counted 87 dead"); the object is its
    own ("its", "their") with no number in it."""
    if cue.lemma_.lower() != "count":
        return False
    obj = next((c for c in cue.children if c.dep_ == "dobj"), None)
    return (
        obj is not None
        and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in obj.children)
        and not any(t.like_num for t in cue.subtree)
    )


# What is put up rather than said: a medium whose message the sentence does not give.
_PUT_UP = frozenset({"video", "videos", "photo", "photos", "photograph", "photographs", "clip"})
_PUT_UP |= frozenset({"clips", "picture", "pictures", "image", "images", "footage", "recording"})


def _medium_put_up(doc: Doc, item: Attribution) -> bool:
    """Whether a passive "posted" or "uploaded" with no one named as its agent says only that
    a video or photograph went up: in "every video I have seen was posted before 8 am" nothing
    is said and no one says it; the subject is what was put up, not a statement."""
    cue = doc[item.cue_i]
    subject = next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
    return (
        item.source is None
        and item.how.endswith("nsubjpass")
        and cue.lemma_ in ("post", "upload", "share")
        and subject is not None
        and subject.lower_ in _PUT_UP
    )


def _might_be_objected(doc: Doc, item: Attribution) -> bool:
    """Whether the cue is inside what "it might be objected" or "it could be argued" puts
    forward: "It might be objected that the footage shows a staged scene" weighs an objection
    no one is said to have made, and the footage claims nothing."""
    token = doc[item.cue_i]
    while token.dep_ in ("ccomp", "conj") and token.head != token:
        token = token.head
        if (
            token.tag_ == "VBN"
            and any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in token.children)
            and any(c.dep_ == "aux" and c.tag_ == "MD" for c in token.children)
        ):
            return True
    return False


# Who an opinion writer's "no one could doubt" or "why would anyone believe" speaks of: no one
# in particular; the sentence is the writer's own claim, or a question that claims nothing.
_ANYONE_AT_ALL = frozenset({"no one", "no-one", "nobody", "anyone", "anybody", "none"})


def _no_one_would(doc: Doc, item: Attribution) -> bool:
    """ "No one who has read them can doubt what happened", "Why would anyone believe that?":
    a saying or thinking put, with a modal, to no one or to anyone at all is the writer's
    rhetoric, not a statement someone made ("Nobody disputes that …", with no modal, is
    left)."""
    cue = doc[item.cue_i]
    subject = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return False
    words = [t.lower_ for t in subject.subtree if t.i <= subject.i]
    if " ".join(words[-2:]) not in _ANYONE_AT_ALL and words[-1] not in _ANYONE_AT_ALL:
        return False
    return any(
        c.dep_ == "aux" and c.lower_ in ("can", "could", "would", "might") for c in cue.children
    )


def _name_after_the_role(doc: Doc, found: list[Attribution]) -> None:
    """ "The paper quoted a nurse, Huda Ahmad, as saying …": the name set off by commas after
    an unnamed role is who the role is, though the parser can hang it on the verb instead of
    on the noun; the source then runs to the comma after the name, and names that person."""
    for item in found:
        if item.source is None or item.cue_i < 0 or item.source.parts:
            continue
        words = doc.char_span(item.source.start, item.source.end, alignment_mode="expand")
        if (
            words is None
            or words.root.lemma_.lower() not in _ROLES | _PEOPLE_NOUNS
            or any(t.ent_type_ == "PERSON" for t in words)
            or words.end + 2 >= len(doc)
            or doc[words.end].text != ","
        ):
            continue
        name = next((ent for ent in doc.ents if ent.start in (words.end + 1, words.end + 2)), None)
        if (
            name is None
            or name.label_ != "PERSON"
            or name.end >= len(doc)
            or doc[name.end].text != ","
            or name.root.head.i in range(words.start, words.end)  # already the noun's
            or not words.start < doc[item.cue_i].i  # the role before its cue
            or any(t.i >= doc[item.cue_i].i for t in doc[words.end : name.end])
        ):
            continue
        item.source = _span(doc, item.source.start, doc[name.end].idx + 1)
        item.speaker = replace(describe(list(name)), title=words.root.text)


def _ends_a_body_name(token: Token) -> bool:
    """Whether a capitalised word is the last of a body's name ("Human Rights Watch
    interviews with W-01, April 2017", a report's footnote with no verb, parses "Watch" as
    one); a name's word says nothing."""
    if not token.text[:1].isupper() or token.i == 0:
        return False
    words = [t.text for t in token.doc[max(0, token.i - 5) : token.i + 1]]
    return any(
        len(words) - first > 1 and known_body(" ".join(words[first:])) == " ".join(words[first:])
        for first in range(len(words) - 1)
    )


def _generic_cue(token: Token) -> bool:
    """A verb that could report: it has a subject and a clause, object or phrase after it."""
    if token.pos_ != "VERB":
        return False
    deps = {child.dep_ for child in token.children}
    return bool(deps & _GENERIC_CHILDREN) and bool(deps & {"nsubj", "nsubjpass"})


# Who a report rests on, when "citing" names them: "Kommersant, citing sources in the ministry,
# reported …".
_INFORMANTS = frozenset(
    {"source", "official", "diplomat", "insider", "person", "people", "aide", "officer"}
)


def _finding_on_grounds(doc: Doc, attribution: Attribution) -> bool:
    """ "The Commission has reasonable grounds to believe that the aircraft dispersed sarin":
    the standard of proof in which commissions of inquiry state their findings — a finding,
    whatever the learnt model makes of a belief; so is evidence found, or none found, of
    something named, in a sentence of its own (inside a reported clause it is part of what
    was reported)."""
    if attribution.cue_i < 0 or attribution.source is None:
        return False
    cue = doc[attribution.cue_i]
    if (
        cue.lemma_ == "find"
        and cue.dep_ == "ROOT"
        and any(
            # "The Mechanism found no evidence of such a depot", "found evidence that sarin was
            # used": what an investigation found, or did not, of something named
            child.dep_ == "dobj"
            and child.lemma_ in _EVIDENCE
            and any(c.dep_ in ("prep", "acl", "ccomp") and c.i > child.i for c in child.children)
            for child in cue.children
        )
    ):
        return True
    return (
        cue.lemma_ in ("believe", "conclude", "find", "suspect")
        and cue.dep_ == "acl"
        and cue.head.lemma_ in ("ground", "reason", "basis")
    )


# Who tests samples, and what they test: "The laboratories found sarin in the blood samples".
_TESTERS = frozenset(
    {"laboratory", "lab", "test", "analysis", "scientist", "chemist", "toxicologist"}
)
_SAMPLES = frozenset({"sample", "specimen", "blood", "urine", "tissue", "soil", "hair"})
# Those a doctor examines, in whom what is found is a clinical finding: "Doctors there found
# nerve agent in the victims", "found signs of sarin in the patients".
_EXAMINED = frozenset({"victim", "patient", "casualty", "survivor"})


def _found_in_samples(doc: Doc, attribution: Attribution) -> bool:
    """ "Two laboratories found sarin in the samples": what a laboratory found in what it
    tested is its finding, the evidence an investigator weighs, whatever the learnt model
    (which saw "found" mostly with a clause) makes of a bare object. A laboratory or a test
    finding something in anything, or anyone finding something in samples or blood; not
    "Rescuers found bodies in the rubble"."""
    if attribution.cue_i < 0 or attribution.source is None:
        return False
    cue = doc[attribution.cue_i]
    if cue.lemma_ != "find" or not any(c.dep_ == "dobj" for c in cue.children):
        return False
    if cue.dep_ != "ROOT" and not (cue.dep_ == "conj" and cue.head.dep_ == "ROOT"):
        return False  # "The OPCW says it found sarin in samples": one claim, the saying's
    subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    objects = [c for c in cue.children if c.dep_ == "dobj"]
    tested = [
        pobj
        # "found sarin in the samples": the parser hangs "in" on the verb or on its object
        for prep in [*cue.children, *(c for o in objects for c in o.children)]
        if prep.dep_ == "prep" and prep.lower_ == "in"
        for pobj in prep.children
        if pobj.dep_ == "pobj"
    ]
    return bool(tested) and (
        (subject is not None and subject.lemma_.lower() in _TESTERS)
        or any(pobj.lemma_.lower() in _SAMPLES | _EXAMINED for pobj in tested)
    )


_NO_ONE = re.compile(r"(?i)any\b")
_WHAT_FOLLOWS = re.compile(
    r"(?i)(?:to (?:convey|transmit|state|inform you of|bring to your attention) )?"
    r"the following[:.]?"
)


def _holds_responsible(doc: Doc, attribution: Attribution) -> bool:
    """ "The Coalition holds the Assad regime fully responsible for the massacre": a charge,
    the way a party to a conflict most often lays one, whatever the learnt model (which
    seldom saw the verb so) makes of it."""
    if attribution.cue_i < 0 or attribution.source is None:
        return False
    cue = doc[attribution.cue_i]
    if cue.dep_ != "ROOT" and not (cue.dep_ == "conj" and cue.head.dep_ == "ROOT"):
        return False  # "said the Council must hold the regime accountable": what was said
    if any(child.dep_ == "aux" and child.tag_ == "MD" for child in cue.children):
        return False  # "regulators could hold the executives liable": a possibility
    return cue.lemma_ == "hold" and any(
        (child.dep_ in ("ccomp", "oprd", "acomp", "xcomp", "advcl") and child.lemma_ in _ANSWERABLE)
        # "holds those who committed this crime fully responsible": the parse can hang the
        # adjective that closes the object's phrase on a noun in it
        or (
            child.dep_ == "dobj"
            and child.right_edge.dep_ == "amod"
            and child.right_edge.lemma_ in _ANSWERABLE
        )
        or (child.dep_ == "dobj" and _answerable_after_noun(child))
        for child in cue.children
    )


def _answerable_after_noun(obj: Token) -> bool:
    """ "holds the regime and its Russian ally fully responsible for this crime": with two
    objects joined the parse hangs the closing adjective on the second noun, and a phrase
    after it ends the object's span further on. An adjective of blame that follows the noun
    it hangs on, inside the object, is the verb's complement (English puts such an adjective
    before its noun when it describes it: "the responsible officer")."""
    return any(
        token.dep_ == "amod" and token.lemma_ in _ANSWERABLE and token.i > token.head.i
        for token in obj.subtree
    )


_ANSWERABLE = frozenset({"responsible", "accountable", "liable", "culpable"})
_EVIDENCE = frozenset({"evidence", "proof", "sign", "trace", "indication"})


# Nouns that name a claim of their owner's: "Russia's claim that the depot held munitions".
_CLAIM_NOUNS = frozenset(
    [
        "claim",
        "assertion",
        "allegation",
        "accusation",
        "contention",
        "insistence",
        "argument",
        "belief",
        "suggestion",
        "denial",
        "warning",
        "assurance",
        "charge",
        "conclusion",
        "finding",
        "assessment",
    ]
)


# Nouns for a party's account, which state a claim only as "X's version is that …".
_ACCOUNT_NOUNS = frozenset({"version", "position", "explanation", "account", "line", "view"})
# Verbs by which a speaker makes or repeats a claim of their own ("reiterated his claim").
_RESTATING = frozenset(
    [
        "reiterate",
        "repeat",
        "restate",
        "renew",
        "reaffirm",
        "make",
        "press",
        "maintain",
        "defend",
        "double",
        "voice",
    ]
)


_BECAUSE = frozenset(["because", "since", "as", "although", "though", "while"])
# A clause of time after what its subject did: "The Mechanism interviewed witnesses and studied
# samples before it concluded that …"; "it" is the one who did it.
_WHEN_DONE = frozenset(["before", "after", "once", "until"])


def _bind_to_clause_subject(doc: Doc, found: list[Attribution]) -> None:
    """ "Analysts believe the regime acted because it saw little risk": "it" in a clause of
    reason is the subject of the clause it explains (the regime), not the last body named in
    an earlier sentence."""
    for item in found:
        if item.source is None or item.cue_i < 0 or item.source.text.lower() not in ("it", "they"):
            continue
        cue = doc[item.cue_i]
        mark = next((c for c in cue.children if c.dep_ == "mark"), None)
        if cue.dep_ != "advcl" or mark is None or mark.lower_ not in _BECAUSE | _WHEN_DONE:
            continue
        head = cue.head
        if mark.lower_ in _WHEN_DONE:
            # "… interviewed witnesses, … and reviewed images before it concluded": the subject
            # of the first of the joined verbs the clause of time follows
            while head.dep_ == "conj" and head.head.pos_ in ("VERB", "AUX"):
                head = head.head
        subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if (
            subject is None
            or subject.pos_ not in ("NOUN", "PROPN")
            or (subject.tag_ in ("NNS", "NNPS")) != (item.source.text.lower() == "they")
        ):
            continue
        named = _source_tokens(subject)
        if named:
            item.speaker = replace(describe(named), resolved_from=item.source.text)


def _passive_with_agent(cue: Token) -> bool:
    """Whether the cue is a passive verb with both its subject and its agent ("was disputed
    by other experts")."""
    deps = {child.dep_ for child in cue.children}
    if "xcomp" in deps and cue.lemma_ in _ASKING | {"allege"}:
        # "I was asked by the Committee to comment on …": the one asked is the passive's
        # subject; what was asked is the infinitive, as in the active form ("is alleged by
        # prosecutors to have lied": what he is alleged to have done)
        return False
    # not a naming ("has been called a charlatan by fellow physicians": the name is what they
    # said, as in the active form)
    return cue.tag_ == "VBN" and {"auxpass", "nsubjpass", "agent"} <= deps and "oprd" not in deps


# Verbs that ask someone to act, whose passive subject is the one asked.
_ASKING = frozenset({"ask", "urge", "invite", "request", "encourage", "press", "tell"})


# What one notes or recalls that another claimed: a record's or an expert's account of a
# position taken ("The Chair noted that the Government had described the strike as …").
_NOTING = frozenset({"note", "recall", "observe"})
# A finding noted ("I note that the panel concluded that …") is the finder's as well, and a
# confirmation noted ("The Tribunal notes that the Mission confirmed exposure to sarin") is the
# body's finding even with a noun for its object.
_CLAIMING_NOTED = frozenset(
    {"claim", "allege", "assert", "describe", "deny", "insist", "maintain"}
    | {"conclude", "find", "report", "state", "confirm"}
)


def _own_gerund(cue: Token) -> Token | None:
    """The gerund a verb of denying or admitting takes for what it says ("denied using
    them"), or None. A verb joined to another ("Officials repeated the account, and the
    government denied using force") has its own content in it, not the first verb's object,
    which the learnt paths would otherwise share with it."""
    if cue.lemma_ not in _GERUND_CUES:
        return None
    return next((c for c in cue.children if c.dep_ == "xcomp" and c.tag_ == "VBG"), None)


def _noted_claim(doc: Doc, attribution: Attribution) -> bool:
    """ "I note that the Russian Ministry of Defence has claimed that a rebel depot was
    struck": a claim noted in another's that-clause, by a verb of claiming with a subject of
    its own, is that subject's claim too, whatever the learnt model (which seldom saw a
    noting hold one) makes of it."""
    if attribution.cue_i < 0 or attribution.source is None:
        return False
    cue = doc[attribution.cue_i]
    subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    return (
        cue.lemma_ in _CLAIMING_NOTED
        and cue.dep_ == "ccomp"
        and cue.head.lemma_ in _NOTING
        and subject is not None
        and subject.pos_ != "PRON"
    )


# Verbs by which a body of inquiry reports what it established.
_FINDING_AS = frozenset({"find", "conclude", "establish", "determine", "confirm"})


def _found_as(doc: Doc, attribution: Attribution) -> bool:
    """ "The samples matched the stockpile, as France's evaluation had found": a comment
    clause of finding, with a named finder for its subject, gives the main clause to the
    finder, as "as the Mechanism observed" does; the learnt model, which saw "find" mostly
    with an object ("found the body"), drops it. Only a subject that is no pronoun: "as we
    found" and "as it turned out" are the writer's."""
    if attribution.cue_i < 0 or attribution.source is None:
        return False
    cue = doc[attribution.cue_i]
    subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    return (
        attribution.how.endswith("/as-clause")
        and cue.lemma_ in _FINDING_AS
        and subject is not None
        and subject.pos_ in ("NOUN", "PROPN")
    )


def _hearsay(doc: Doc, attribution: Attribution) -> bool:
    """ "Abu Ahmad said his brother told him that the plane had come from the south": what
    someone was told, inside another's account, is the teller's claim as well — the chain an
    investigator follows back to its source. A verb of telling with its teller and a
    that-clause, whatever the learnt model (which seldom saw such chains marked) makes of it."""
    if attribution.cue_i < 0 or attribution.source is None:
        return False
    cue = doc[attribution.cue_i]
    return (
        cue.lemma_ in _TOLD
        and cue.lemma_ != "ask"
        and attribution.content.text.startswith("that ")
        and any(child.dep_ == "ccomp" for child in cue.children)
    )


def _owned_clause(noun: Token) -> tuple[Token, Token] | None:
    """The owner and the that-clause of a claim noun ("Russia's claim that …"), or None."""
    if noun.pos_ != "NOUN" or noun.lemma_ not in _CLAIM_NOUNS | _ACCOUNT_NOUNS:
        return None
    owner = next((child for child in noun.children if child.dep_ == "poss"), None)
    # "Russia's claim that …", or "Russia's version of events is that …"
    holder = noun.head if noun.dep_ == "nsubj" and noun.head.lemma_ == "be" else noun
    if holder is noun and noun.lemma_ not in _CLAIM_NOUNS:
        return None  # "his account of the attack" alone states nothing
    if owner is None:
        owner = _named_owner_after(noun)
    if owner is None and noun.lemma_ in _CLAIM_NOUNS:
        # "a Russian Defence Ministry claim that …", "a Kremlin claim that …": the name before
        # the noun, right next to it, owns it
        before = noun.doc[noun.i - 1] if noun.i > 0 else None
        if (
            before is not None
            and before.dep_ == "compound"
            and before.head == noun
            and before.pos_ == "PROPN"
            and before.ent_type_ in ("ORG", "PERSON", "GPE", "NORP")
        ):
            owner = before
        elif (
            before is not None
            and before.dep_ == "amod"
            and before.head == noun
            and before.ent_type_ == "NORP"
            and before.i > 0
            and noun.doc[before.i - 1].lower_ == "the"
            and noun.dep_ != "pobj"
        ):
            # "the Russian claim that a depot was hit": the state its people's adjective
            # names, as "Russia's claim" would; not after a preposition ("would not comment
            # on the Russian claim …"), where the verb's reading already has the noun phrase
            # as its content and the two readings would take one content
            owner = before
    clause = next(
        (
            child
            for child in [*noun.children, *holder.children]
            if (
                child.dep_ in ("acl", "ccomp")
                and any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children)
            )
            or _complement_read_as_relative(child)
            if child.i > noun.i
        ),
        None,
    )
    if owner is None or clause is None:
        return None
    if (
        (owner.lower_ in _POSSESSIVE_PRONOUNS or owner.lower_ == "her")
        and noun.dep_ == "dobj"
        and noun.head.lemma_ in _RESTATING
    ):
        return None  # "he reiterated his claim that …": one claim, the verb's
    return owner, clause


def _named_owner_after(noun: Token) -> Token | None:
    """The named owner of a claim noun in an "of" after it: "the conclusion of the Joint
    Investigative Mechanism that …" is the Mechanism's, as "the Mechanism's conclusion" is;
    only a name (a body, a person, a state), for "the claim of responsibility" owns nothing."""
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    owner = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if owner is None or not (
        owner.pos_ == "PROPN"
        or owner.ent_type_ in _NAMED
        # "the claims of the regime and its Russian ally that …", "the claim of residents
        # that …": a state's body or those who speak, unnamed, own a claim as a name does
        or (owner.pos_ == "NOUN" and _singular(owner.lower_) in _CLAIM_OWNERS)
    ):
        return None
    return owner


# Common nouns that can own a claim in an "of" after it: a state's bodies and people.
_CLAIM_OWNERS = (_STATE_BODIES | _PEOPLE_NOUNS | {"regime", "authority"}) - {"people", "source"}


def _complement_read_as_relative(child: Token) -> bool:
    """Whether a relative clause on a claim noun is its that-clause misread: in "the
    conclusion that the crater was made by an aerial bomb" the parser can make "that" the
    object of a passive verb that already has its subject, which no relative pronoun can be."""
    first = child.doc[child.left_edge.i]
    return (
        child.dep_ == "relcl"
        and first.lower_ == "that"
        and first.head == child
        and first.dep_ != "nsubjpass"
        and any(c.dep_ == "nsubjpass" and c.i > first.i for c in child.children)
    )


# Adjectives by which a subject states a conviction: "The Panel is confident that …".
_SURE = frozenset(["confident", "convinced", "certain", "sure", "adamant", "positive", "satisfied"])
# ... or a doubt, which a panel or a court states as firmly: "Moscow remains unconvinced that".
_DOUBTING = frozenset(["unconvinced", "unpersuaded", "sceptical", "skeptical", "doubtful"])
# Participles of being brought to a view, which the parse reads as a passive verb: "The
# Chamber is not persuaded that the samples were tampered with".
_BROUGHT_ROUND = frozenset(["convinced", "persuaded", "satisfied"])
# Adjectives by which a subject is said to have stated something plainly: "The Secretary has
# been clear that Russia bears responsibility" (he said so, and plainly); the parse hangs the
# clause on the verb rather than on the adjective.
_PLAIN = frozenset(["clear", "explicit", "emphatic", "unequivocal", "categorical"])


def _sure_that(
    doc: Doc, found: list[Attribution], quotes: list[tuple[int, int]]
) -> list[Attribution]:
    """``found`` with the convictions stated by an adjective and its clause: "The Leadership
    Panel is confident that the Syrian Arab Republic is responsible", "Moscow remains convinced
    the footage was staged". Commissions state findings this way; the cue is the verb and the
    adjective ("is confident"), the source the verb's subject. A proposal of the same adjective
    without a source gives way to it; one with a source stands. Not inside a quotation (the
    quoted words are the claim), nor an instruction ("to be sure that", "make sure")."""
    taken = {item.cue_i for item in found if item.source is not None}
    made = []
    for adjective in doc:
        if _brought_round(adjective) and adjective.i not in taken:
            # "The Chamber is not persuaded that …": the participle is the verb, its subject
            # the passive's
            clause = next((c for c in adjective.children if c.dep_ == "ccomp"), None)
            subject = next((c for c in adjective.children if c.dep_ == "nsubjpass"), None)
            if clause is None or subject is None or subject.lower_ in _EMPTY_SUBJECTS:
                continue
            content = _token_span(_trim(list(clause.subtree)))
            verb = next(c for c in adjective.children if c.dep_ == "auxpass")
            if content is not None and not _quoted(adjective, quotes):
                made += _one_word_cue(
                    adjective, content, _source_tokens(subject), key_of(adjective), "sure", verb
                )
            continue
        if (
            adjective.lower_ not in _SURE | _DOUBTING | _PLAIN
            or adjective.i in taken
            or adjective.dep_ not in ("acomp", "oprd")
            or adjective.head.pos_ not in ("AUX", "VERB")
            or adjective.head.lemma_ == "make"
            or any(c.dep_ == "aux" and c.lower_ == "to" for c in adjective.head.children)
            or any(start <= adjective.idx < stop for start, stop in quotes)
        ):
            continue
        clause = next((c for c in adjective.children if c.dep_ == "ccomp"), None)
        if clause is None and adjective.lower_ in _PLAIN:
            clause = _plainly_said(adjective)
        subject = next(
            (c for c in adjective.head.children if c.dep_ in ("nsubj", "nsubjpass")), None
        )
        if clause is None or subject is None or subject.lower_ in _EMPTY_SUBJECTS:
            continue
        content = _token_span(_trim(list(clause.subtree)))
        if content is not None:
            made += _one_word_cue(
                adjective,
                content,
                _source_tokens(subject),
                key_of(adjective),
                "sure",
                start=adjective.head,
            )
    return _replaced_by(found, made)


# Nouns of a held opinion that a copula and "of" make a verb of saying: "My Government is of
# the view that …", "The Committee remains of the opinion that …".
_HELD_OPINIONS = frozenset({"view", "opinion", "belief"})


def _of_the_view(
    doc: Doc, found: list[Attribution], quotes: list[tuple[int, int]]
) -> list[Attribution]:
    """``found`` with the opinions a subject states by "is of the view that …": a diplomatic
    letter's and a ministry's way of putting its position ("My Government is of the view that
    the attack constitutes a war crime", "We remain of the firm opinion that …"). The parse
    hangs the clause on the noun, so no verb of saying carries it; the cue is the copula to
    the noun ("is of the view"), the source the copula's subject. Only with a "that" clause
    (not "is of the view expressed by …"), and not inside a quotation (the quoted words are
    the claim)."""
    taken = {item.cue_i for item in found if item.source is not None}
    made = []
    for noun in doc:
        of = noun.head
        verb = of.head
        if (
            noun.lemma_ not in _HELD_OPINIONS
            or noun.dep_ != "pobj"
            or of.lower_ != "of"
            or of.dep_ != "prep"
            or verb.lemma_ not in ("be", "remain")
            or noun.i in taken
            or _quoted(noun, quotes)
        ):
            continue
        clause = next(
            (
                child
                for child in noun.children
                if child.dep_ in ("acl", "ccomp")
                and any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children)
            ),
            None,
        )
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if clause is None or subject is None or subject.lower_ in _EMPTY_SUBJECTS:
            continue
        content = _token_span(_trim(list(clause.subtree)))
        if content is not None:
            made += _one_word_cue(
                noun, content, _source_tokens(subject), key_of(noun), "sure", start=verb
            )
    return _replaced_by(found, made)


# A claim named by who put it forward, what it holds in a clause after "according to which":
# "The hypothesis put forward by Russia, according to which the sarin was released from a rebel
# depot, is not credible". The clause ends where the sentence's own verb comes.
_PROPOSED_BY = re.compile(
    r"\b(?:hypothesis|theory|version|claim|explanation|thesis|scenario|allegation|assertion"
    r"|account)"  # "the account given by the Russian Ministry of Defence, according to which"
    r"[^\S\n]+(?P<cue>put[^\S\n]+forward|advanced|floated|proposed|offered|presented|promoted"
    r"|given)"
    r"[^\S\n]+by[^\S\n]+(?P<source>[^,;:.\n]{2,80}?),[^\S\n]+according[^\S\n]+to[^\S\n]+which"
    r"[^\S\n]+(?P<content>[^;.\n]+?)(?=,[^\S\n]+(?:is|was|are|were|has|had|does|did|cannot|can|"
    r"remains?|seems?)\b|[.;\n]|$)",
    re.I,
)


def _proposed_by(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """``found`` with the claims a text names by their proponent and states in a relative clause
    ("the hypothesis put forward by Russia, according to which …"): the proponent said what the
    clause says. The parse makes a muddle of such a sentence (the clause's verb its root), so the
    words are read as written; the parse's own reading of the participle gives way."""
    made = []
    read: list[tuple[int, int]] = []
    for match in _PROPOSED_BY.finditer(text_of(doc)):
        cue = doc.char_span(*match.span("cue"), alignment_mode="expand")
        named = doc.char_span(*match.span("source"), alignment_mode="expand")
        if cue is None or named is None:
            continue
        content = _span(doc, *match.span("content"))
        tokens = _trim([token for token in named if token.dep_ != "det" or token.i > named.start])
        made += [
            replace(item, cue=_span(doc, *match.span("cue")), how="proposed-by")
            for item in _one_word_cue(cue[0], content, tokens, key_of(cue[0]), "proposed-by")
        ]
        read.append((match.start("cue"), match.start("content")))  # "… according to which"
    found = [item for item in found if not any(a <= item.cue.start < b for a, b in read)]
    return _replaced_by(found, made)


# The parts of an instrument that lay something down: "Article 9 provides that …".
_PROVISIONS = frozenset(
    {"article", "section", "subsection", "clause", "paragraph", "schedule", "annex", "rule"}
    | {"convention", "treaty", "protocol", "resolution", "statute", "charter", "law", "act"}
    | {"regulation", "decree", "bill", "agreement", "order", "code", "provision"}
)
# How an instrument lays it down (its "states that" is a saying like any other).
_LAYING_DOWN = frozenset({"provide", "stipulate", "specify", "prescribe"})


def _provided_that(
    doc: Doc, found: list[Attribution], quotes: list[tuple[int, int]]
) -> list[Attribution]:
    """What a law, a treaty or one of their parts lays down: "Article 9 of the Convention
    provides that each State Party shall …", "This clause stipulates that …". A bill's notes
    and a court's reasons cite provisions this way, and what the provision says is read as
    the provision's, as "Subsection (3) states that …" is; "provides" with an object ("provides
    aid") and a provision's subject that is no instrument ("The law firm provides …") say
    nothing."""
    taken = {item.cue_i for item in found}
    made = []
    for verb in doc:
        if verb.lemma_ not in _LAYING_DOWN or verb.pos_ != "VERB" or verb.i in taken:
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        clause = next(
            (
                c
                for c in verb.children
                if c.dep_ == "ccomp"
                and c.i > verb.i
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            ),
            None,
        )
        if subject is None or clause is None or subject.lemma_.lower() not in _PROVISIONS:
            continue
        if _quoted(verb, quotes):
            continue
        content = _token_span(_trim(list(clause.subtree)))
        if content is not None:
            made += _one_word_cue(verb, content, _source_tokens(subject), key_of(verb), "provision")
    return made


def _brought_round(token: Token) -> bool:
    """Whether ``token`` is "convinced", "persuaded" or "satisfied" as the passive verb of a
    clause of its own ("is not persuaded that …", never "has persuaded them that"), and held
    now: "if he can be convinced that …" or "wants to be persuaded" holds no view yet."""
    return (
        token.lower_ in _BROUGHT_ROUND
        and token.tag_ == "VBN"
        and any(c.dep_ == "auxpass" and c.i < token.i for c in token.children)
        and not any(
            (c.dep_ == "aux" and (c.tag_ == "MD" or c.lower_ == "to"))
            or (c.dep_ == "mark" and c.lower_ in ("if", "unless", "until"))
            for c in token.children
        )
    )


def _plainly_said(adjective: Token) -> Token | None:
    """The that-clause of "has been clear that …", which the parse hangs on the verb; only a
    clause opened by "that" right after the adjective (not "was clear, and the talks ended")."""
    verb = adjective.head
    if verb.lemma_ != "be" or adjective.i + 1 >= len(adjective.doc):
        return None
    if adjective.doc[adjective.i + 1].lower_ != "that":
        return None
    return next((c for c in verb.children if c.dep_ == "ccomp" and c.i > adjective.i), None)


def _replaced_by(found: list[Attribution], made: list[Attribution]) -> list[Attribution]:
    """``found`` without the relations of the cue words a rule of its own read again, and
    with that rule's ``made``."""
    made_at = {item.cue_i for item in made}
    return [item for item in found if item.cue_i not in made_at] + made


# Verbs of an impersonal passive whose holders a phrase names: "It is widely believed among
# Western diplomats that …", "It is thought by many in Washington that …".
_HELD_BY = frozenset(
    {"believe", "think", "understand", "assume", "fear", "expect", "accept", "feel", "suspect"}
    | {"allege", "claim", "report", "say", "suggest", "state", "argue", "assert"}
)


# Verbs of a comment clause set inside a relative clause: "which, the envoy told them, had …".
_COMMENT_VERBS = frozenset({"say", "tell", "add", "note", "explain"})


def _said_inside_relative(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "the findings of the Mission, which, the High Representative told them, had begun
    collecting samples": a comment clause between commas right after a relative pronoun says
    the relative clause it interrupts. The parse makes the pronoun and the speaker two subjects
    of the verb of saying and hangs the rest elsewhere; what was said is the words after the
    closing comma, up to the end of the phrase they head."""
    made = []
    taken = {item.cue_i for item in found}
    for verb in doc:
        if verb.lemma_ not in _COMMENT_VERBS or verb.i in taken or verb.pos_ != "VERB":
            continue
        if any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
            continue
        relative = doc[verb.left_edge.i]  # the parse makes it a subject or an object
        speaker = next((c for c in verb.children if c.dep_ == "nsubj" and c != relative), None)
        if (
            speaker is None
            or relative.lower_ not in ("which", "who")
            or relative.head != verb
            or doc[relative.i + 1].text != ","
            or speaker.left_edge.i != relative.i + 2
        ):
            continue
        close = verb.right_edge.i + 1
        if close + 1 >= len(doc) or doc[close].text != ",":
            continue
        first = doc[close + 1]
        head = first if first.dep_ not in ("aux", "auxpass", "neg") else first.head
        if head.i < first.i or head.pos_ not in ("VERB", "AUX"):
            continue
        content = _token_span(_trim(list(doc[first.i : head.right_edge.i + 1])))
        if content is None:
            continue
        named = _trim(list(doc[speaker.left_edge.i : speaker.i + 1]))
        made += _one_word_cue(verb, content, named, key_of(verb), "relative/comment")
    return made


def _said_of_relative(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "the autopsies, which it says confirm the use of sarin": a verb of saying set between a
    relative pronoun and the relative clause's verb, with no commas, says that clause. The
    parse makes both the pronoun and the speaker its subjects; what was said is the clause's
    verb and what follows it, up to a comma before an aside ("…, quoting the minister")."""
    made = []
    taken = {item.cue_i for item in found}
    for verb in doc:
        if verb.lemma_ not in ("say", "claim", "insist") or verb.i in taken:
            continue
        if verb.dep_ != "relcl" or verb.pos_ != "VERB":
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if len(subjects) != 2:
            continue
        relative, speaker = subjects
        if (
            relative.lower_ not in ("which", "that", "who")
            or relative.i + 1 != speaker.left_edge.i
            or speaker.i + 1 != verb.i
        ):
            continue
        clause = next(
            (c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and c.i == verb.i + 1),
            None,
        )
        if clause is None or clause.pos_ not in ("VERB", "AUX"):
            continue
        end = clause.right_edge.i
        comma = next((t.i for t in doc[clause.i : end + 1] if t.text == ","), None)
        if comma is not None:
            end = comma - 1
        content = _token_span(_trim(list(doc[clause.i : end + 1])))
        if content is None:
            continue
        named = _trim(list(doc[speaker.left_edge.i : speaker.i + 1]))
        items = _one_word_cue(verb, content, named, key_of(verb), "relative/said")
        owner = _subject_of_antecedent(verb) if speaker.lower_ in ("it", "he", "she") else None
        for item in items:
            if owner:
                # "Hurriyet leads with the autopsies, which it says …": "it" is the sentence's
                # named subject, whose thing the relative clause describes
                item.speaker = replace(describe(owner), resolved_from=speaker.text)
        made += items
    return made


def _subject_of_antecedent(verb: Token) -> list[Token] | None:
    """The named subject of the clause whose noun a relative clause describes ("Hurriyet" in
    "Hurriyet leads with the autopsies, which it says …"), or None."""
    head = verb.head
    while head.pos_ not in ("VERB", "AUX") and head.dep_ != "ROOT":
        head = head.head
    subject = next((c for c in head.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    if subject is None or subject.pos_ != "PROPN":
        return None
    return _trim(list(subject.doc[subject.left_edge.i : subject.i + 1]))


def _alleged_to_have(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "The suspects are alleged to have served as officers at the airbase": a charge laid
    by no one named (in a prosecutor's release, the office itself), whose content is what
    the accused are said to have done; with an agent, the agent's ("is alleged by prosecutors
    to have lied"). Only "alleged": "are said to" and "are believed to" are left to the learnt
    model."""
    made = []
    taken = {item.cue_i for item in found}
    for verb in doc:
        if verb.lemma_ != "allege" or verb.tag_ != "VBN" or verb.i in taken:
            continue
        children = {c.dep_: c for c in verb.children}
        did = children.get("xcomp")
        if (
            "nsubjpass" not in children
            or did is None
            or did.i < verb.i
            or not any(c.dep_ == "aux" and c.lower_ == "to" for c in did.children)
        ):
            continue
        first = min(
            (c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i),
            key=lambda c: c.i,
            default=verb,
        )
        content = _token_span(_trim(list(doc[did.left_edge.i : did.right_edge.i + 1])))
        if content is None:
            continue
        agent = children.get("agent")
        by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        if by is not None:
            # "is alleged by prosecutors to have lied": the prosecutors' charge
            named = _trim([t for t in by.subtree])
            made += _one_word_cue(verb, content, named, key_of(verb), "alleged-to", start=first)
            continue
        sentence = verb.sent
        made.append(
            Attribution(
                _span(doc, first.idx, verb.idx + len(verb.text)),
                content,
                None,
                None,
                _span(doc, sentence.start_char, sentence.end_char),
                key_of(verb),
                how="alleged-to",
                cue_i=verb.i,
            )
        )
    return made


def _believed_among(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """``found`` with the beliefs an impersonal passive gives to a group named after it: "It is
    widely believed among Western diplomats that Moscow knew" — the diplomats' belief, their
    claim. The parser often hangs the that-clause on the group as a relative clause, so the
    content is read as the words from "that" to the sentence's end. A proposal of the same verb
    gives way to it."""
    made = []
    for verb in doc:
        if verb.lemma_ not in _HELD_BY or verb.tag_ != "VBN":
            continue
        expletive = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        phrase = next(
            (
                c
                for c in verb.children
                if c.i > verb.i
                and ((c.dep_ == "prep" and c.lower_ == "among") or c.dep_ == "agent")
            ),
            None,
        )
        if expletive is None or expletive.lower_ != "it" or phrase is None:
            continue
        holder = next((c for c in phrase.children if c.dep_ == "pobj"), None)
        sentence = verb.sent
        that = next(
            (t for t in doc[phrase.i : sentence.end] if t.lower_ == "that" and t.i > phrase.i + 1),
            None,
        )
        if holder is None or that is None:
            continue
        named = _trim([t for t in doc[phrase.i + 1 : that.i]])
        content = _token_span(_trim([t for t in doc[that.i : sentence.end] if not t.is_space]))
        if content is None:
            continue
        first = min(
            (c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i),
            key=lambda c: c.i,
            default=verb,
        )
        made += _one_word_cue(verb, content, named, key_of(verb), "held-by", start=first)
    return _replaced_by(found, made)


def _owned_claim(doc: Doc, attribution: Attribution) -> bool:
    """ "The panel rejected Russia's claim that the depot held munitions": a claim named by
    its owner's possessive and stated in a that-clause is the owner's, even where the noun is
    the object of another cue (the learnt model, taught on news that seldom marks such nested
    claims, drops most nouns it sees there)."""
    if attribution.cue_i < 0 or attribution.source is None:
        return False
    found = _owned_clause(doc[attribution.cue_i])
    return (
        found is not None
        and attribution.source.start <= found[0].idx < attribution.source.end
        and attribution.content.start <= found[1].idx < attribution.content.end
    )


def _owned_claims(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """The owned claims (see :func:`_owned_claim`) no proposal found, for the nouns whose
    owner the learnt paths do not reach ("Syria's assertion that …", "Moscow's allegation
    that …")."""
    taken = {item.cue_i for item in found}
    made = []
    for noun in doc:
        owned = None if noun.i in taken else _owned_clause(noun)
        if owned is None:
            continue
        owner, clause = owned
        content = _token_span(_trim(list(clause.subtree)))
        named = _trim(list(owner.subtree))  # "Syria's", as annotators mark it
        if content is not None:
            made += _one_word_cue(noun, content, named, key_of(noun), "owned")
    return made


def _citing_their_sources(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """``found`` without the "citing" relations that only name whom a report rests on
    ("Kommersant, citing sources in the defence ministry, reported that …"): the report is
    the claim, the sources where it came from, not something Kommersant asserted. When the
    parse hung the report's clause on "citing" ("Reuters reported, citing two officials, that
    the convoy was hit"), the clause goes back to the report. "…, citing safety concerns" (a
    reason) stays."""
    kept = []
    for item in found:
        cue = doc[item.cue_i] if item.cue_i >= 0 else None
        mark = _cited_before_clause(cue) if cue is not None else None
        if mark is not None:
            continue  # the report's sources, set before its clause (see _cut_citing_aside)
        cited = (
            next((child for child in cue.children if child.dep_ == "dobj"), None)
            if cue is not None
            and (
                (
                    cue.lemma_ == "cite"
                    and cue.head.lemma_
                    in ("report", "say", "write", "claim", "add", "state", "announce")
                )
                # a broadcast's "described the strike as 'aggression', quoting the Kremlin's
                # spokesman": whose words the description gave, not a claim of its own
                or (
                    cue.lemma_ == "quote"
                    and cue.tag_ == "VBG"
                    and cue.head.lemma_ in ("describe", "call", "report", "say")
                    and not any(c.dep_ == "prep" and c.lower_ == "as" for c in cue.children)
                )
            )
            and cue.dep_ in ("advcl", "acl", "conj")
            else None
        )
        if (
            cue is None
            or cited is None
            or not (
                _singular(cited.lower_) in _INFORMANTS | _ROLES
                or cited.ent_type_ in ("PERSON", "ORG")
            )
        ):
            kept.append(item)
            continue
        clause = next((c for c in cue.children if c.dep_ == "ccomp" and c.i > cited.i), None)
        if clause is None or any(other.cue_i == cue.head.i for other in found):
            continue
        report = cue.head
        content = _token_span(_trim(list(clause.subtree)))
        if content is None:
            continue
        item.cue = _span(doc, report.idx, report.idx + len(report.text))
        item.cue_i = report.i
        item.cue_key = key_of(report)
        item.content = content
        kept.append(item)
    return kept


def _cited_before_clause(cue: Token) -> Token | None:
    """The "that" of a reported clause when ``cue`` is a "citing" set between a verb of
    reporting and that clause, naming whom the report rests on, but hung on the clause's verb
    ("reports, citing two officials, that the Pentagon has …"); else None."""
    if cue.lemma_ != "cite" or cue.dep_ != "advcl" or cue.head.dep_ != "ccomp":
        return None
    if cue.head.head.lemma_ not in ("report", "say", "write", "claim", "add", "state"):
        return None
    cited = next((child for child in cue.children if child.dep_ == "dobj"), None)
    if cited is None or not (
        _singular(cited.lower_) in _INFORMANTS | _ROLES or cited.ent_type_ in ("PERSON", "ORG")
    ):
        return None
    mark = next((c for c in cue.head.children if c.dep_ == "mark" and c.lower_ == "that"), None)
    if mark is None or not cue.head.head.i < cue.i < mark.i:
        return None
    return mark


def _cut_citing_aside(doc: Doc, found: list[Attribution]) -> None:
    """ "The Times reports, citing two officials, that the Pentagon …": the parser hangs
    "citing" on the reported clause, so the report's content would open with the aside; it
    opens at the clause's "that"."""
    for item in found:
        if item.cue_i < 0 or item.content.parts:
            continue
        for token in doc[item.cue_i + 1 : item.cue_i + 4]:
            mark = _cited_before_clause(token)
            if mark is None or token.head.head.i != item.cue_i:
                continue
            if item.content.start <= token.idx < mark.idx < item.content.end:
                start, end = mark.idx, item.content.end
                item.content = Span(text_of(doc)[start:end], start, end)


def _requested(cue: Token) -> Token | None:
    """The one asked, when ``cue`` is an infinitive someone was asked or told to do: "urged the
    council to reject the findings", "called on the council to reject them" — the council
    (the asking verb's object before the infinitive, or the object of its "on"), which is the
    infinitive's own subject, as annotators mark it. Without such an object ("declined to
    comment") the infinitive's subject is the asking verb's, found by the usual paths."""
    if cue.dep_ != "xcomp" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children):
        return None
    for child in cue.head.children:
        if child.i > cue.i:
            continue
        if child.dep_ in ("dobj", "dative"):
            return child
        if child.dep_ == "prep" and child.lower_ in ("on", "upon"):
            asked = next((grand for grand in child.children if grand.dep_ == "pobj"), None)
            if asked is not None:
                return asked
    return None


# What a sentence's subject does not begin with: "In 2008, …", "Beneath it all, …".
_NO_SUBJECT = frozenset({"ADP", "ADV", "SCONJ", "CCONJ", "INTJ", "PART"})
# Prepositions that name what a saying is about ("spoke about", "sparred over").
_TOPIC_PREPOSITIONS = frozenset({"about", "over", "on", "of", "to", "for", "against", "into"})


def _quote_spilled(
    doc: Doc, content: Span, source_tokens: list[Token], quotes: list[tuple[int, int]]
) -> tuple[Span, list[Token]] | None:
    """'"We will achieve justice," Tulsa police Chief Chuck Jordan said': the parser can hang
    the first word of the speaker's title (a town it takes for a verb) on the quotation, so that
    the content runs on past its closing mark, or on nothing at all, so that it is lost. A
    content that is a quotation, with a few words between it (or its closing mark) and the
    source and nothing else, is the quotation, and the words are the source's. The quotation
    and the source's tokens, or None."""
    if content.parts or not source_tokens:
        return None
    quote = next(((a, b) for a, b in quotes if a == content.start), None)
    if quote is None or quote[1] > content.end:
        return None
    first = source_tokens[0].idx
    if first < content.end:
        return None
    gap = doc.char_span(quote[1], first, alignment_mode="expand")
    between = [t for t in gap if not t.is_space] if gap is not None else []
    if not between or len(between) > 4:
        return None
    if any(t.is_punct or t.is_quote for t in between):
        return None
    if any(t.idx >= content.end and not t.is_title for t in between):
        return None  # only a capitalised word can have been cut off the speaker's title
    return _span(doc, *quote), between + source_tokens


def _comment_with_means(cue: Token) -> bool:
    """Whether the cue opens a comment clause ("as one observer pointed out with a chart")
    whose only phrases say how or where it was said; "as they sparred over spending" is a
    time, and the spending its topic."""
    return (
        _as_clause(cue)
        and not _completed(cue)
        and not any(c.dep_ == "prep" and c.lower_ in _TOPIC_PREPOSITIONS for c in cue.children)
    )


# Verbs whose object is whom something was said to ("told his counterpart that …").
_TOLD_SOMEONE = frozenset({"tell", "inform", "assure", "remind", "warn", "brief", "advise"})


def _infinitive_after(cue: Token) -> Token | None:
    """The "to …" infinitive a verb of telling has after its object ("told the crowd to go
    home"), whether parsed as its complement or as an adverbial clause; else None."""
    objects = [c.i for c in cue.children if c.dep_ == "dobj"]
    if not objects:
        return None
    return next(
        (
            c
            for c in cue.children
            if c.dep_ in ("advcl", "xcomp")
            and c.i > objects[0]
            and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        ),
        None,
    )


def _names_something(cue: Token) -> bool:
    """Whether a verb of naming ("branded", "dubbed") gives its object a name: a complement,
    or a quotation after the object, however the parser hung it ('branded the witnesses "paid
    actors"')."""
    if any(child.dep_ in _WITH_OBJECT for child in cue.children):
        return True
    return any(
        token.text in _QUOTE_MARKS and token.i > child.i
        for child in cue.children
        if child.dep_ == "dobj"
        for token in child.subtree
    )


_BARE_WH = frozenset({"what", "whatever"})


def _free_relative(cue: Token) -> Token | None:
    """The clause a cue without an object has for its object when that clause opens with
    "what" ("decried what it called …", "condemned what he called …"); else None."""
    if any(child.dep_ == "dobj" for child in cue.children):
        return None
    return next(
        (
            child
            for child in cue.children
            if child.dep_ == "ccomp"
            and child.i > cue.i
            and child.left_edge.tag_ == "WP"
            and child.left_edge.head == child
        ),
        None,
    )


def _completed(cue: Token) -> bool:
    """Whether the cue has a clause or an object of its own."""
    return any(child.dep_ in ("ccomp", "xcomp", "dobj") for child in cue.children)


def _clause_on_time(cue: Token) -> Token | None:
    """ "The Times reported at the time that the editor had objected", "Lavrov told his
    counterpart in a phone call that the strikes violated the law": a phrase of time, place or
    means between the cue and its "that"-clause, which the parser made a relative clause of the
    phrase's noun, or an adverbial clause of the cue. The clause's verb when it has a subject
    of its own and opens with "that" (not the relative pronoun: "the call that lasted an
    hour"); else None. The object of a verb said *to* someone is whom it was said to, and
    leaves the cue wanting its clause."""
    told = cue.lemma_ in _TOLD_SOMEONE and _completed(cue)
    if told and any(child.dep_ in ("ccomp", "xcomp") for child in cue.children):
        return None
    if _completed(cue) and not told:
        return None
    candidates = [c for c in cue.children if c.dep_ == "advcl" and c.i > cue.i]
    # the phrase hangs on the cue, or on its object ("told one of his aides on a regular basis
    # that …")
    preps = list(cue.children) + [
        token for child in cue.children if child.dep_ == "dobj" for token in child.subtree
    ]
    for prep in preps:
        if prep.dep_ == "prep" and prep.i > cue.i:
            candidates += [
                c for noun in prep.children for c in noun.children if c.dep_ in ("relcl", "acl")
            ]
    for clause in candidates:
        opener = clause.left_edge
        if opener.lower_ != "that" or opener.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
            continue  # "the day that changed everything"
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children):
            continue
        if (
            told
            and opener.tag_ != "IN"
            and not any(c.dep_ in _COMPLETE for c in clause.children)
            and not (
                # "told Al Jazeera in a phone interview that its teams had been working since
                # dawn": a medium's "that" opens what was told when the verb goes on without
                # wanting an object
                clause.head.lemma_.lower() in _MEDIA | _PUBLISHED
                and any(c.dep_ in ("prep", "advmod", "agent", "auxpass") for c in clause.children)
            )
        ):
            # "told a crowd that the campaign estimated at 3,000": after an object, a clause
            # whose verb lacks its own object is a relative clause with "that" as that object
            continue
        return clause
    return None


# What makes a clause complete: an object, a complement or a predicate.
_COMPLETE = ("dobj", "ccomp", "xcomp", "attr", "acomp", "oprd")


# Verbs by which the writer is told things, in the passive with "we" or "I" for its subject.
_TOLD_TO_US = frozenset({"tell", "assure", "inform", "promise"})


def _parenthesis(cue: Token, source_tokens: list[Token]) -> tuple[list[Token], Span] | None:
    """A saying set inside the sentence it reports, between commas: "The difference now, he
    told me, is that …", "Hawaii, as an adviser pointed out, rarely gets …", "These employees,
    the chief explained, were well paid" (which the parser can hang the other way round). When
    the words before the first comma are no clause (the reported sentence's subject) and the
    words after the second one are, the content is the two, in two pieces; the source is the
    speaker inside the commas. The source's tokens and the content, or None."""
    if _completed(cue) and cue.dep_ != "parataxis":
        return None
    sentence = cue.sent
    doc = cue.doc
    marker = next(
        (
            c
            for c in cue.children
            if c.i < cue.i and c.lower_ == "as" and c.dep_ in ("mark", "prep")
        ),
        None,
    )
    speaker = [t for t in source_tokens if t.i < cue.i]
    if marker is not None:
        subject = next(
            (c for c in cue.children if c.dep_ == "nsubj" and marker.i < c.i < cue.i), None
        )
        if subject is None:
            return None
        speaker = _source_tokens(subject)
    told = next(
        (
            c
            for c in cue.children
            if c.dep_ == "nsubjpass" and c.i < cue.i and c.lower_ in ("we", "i")
        ),
        None,
    )
    if not speaker and marker is None and told is not None and cue.lemma_ in _TOLD_TO_US:
        # "A strike, we were told, had hit a warehouse": what the writer was told, by no one
        # named; the parenthesis is set off as a speaker's is, and the source stays empty
        first = told.i
    elif not speaker:
        return None
    else:
        first = min([speaker[0].i] + ([marker.i] if marker is not None else []))
    if first - 1 <= sentence.start or doc[first - 1].text != ",":
        return None
    close = next((t.i for t in doc[cue.i + 1 : sentence.end] if t.text == ","), None)
    if close is None:
        return None
    before = [t for t in doc[sentence.start : first - 1] if not (t.is_punct or t.is_space)]
    after = [t for t in doc[close + 1 : sentence.end] if not (t.is_punct or t.is_space)]
    relative = _relative_clause_after(before, after)
    if relative is not None:
        return speaker, relative
    if not before or not after or len(before) > 12:
        return None
    inside = {t.i for t in before}
    heads = [t for t in before if t.head.i not in inside]
    if (
        any(t.pos_ in ("VERB", "AUX") for t in before)
        # "Much of what happened that day, the commission found, had been filmed": one
        # subject, with a clause inside it
        and not (len(heads) == 1 and heads[0].dep_ in ("nsubj", "nsubjpass"))
    ) or before[0].pos_ in _NO_SUBJECT:
        return None  # "In 2008, he complained …": a phrase of time or place, not a subject
    if not any(t.pos_ in ("VERB", "AUX") for t in after) or after[0].dep_ == "cc":
        return None  # "…, and railed about …": the speaker going on
    head = _token_span(_trim(list(doc[sentence.start : first - 1])))
    tail = _token_span(_trim(list(doc[close + 1 : sentence.end])))
    if head is None or tail is None:
        return None
    return speaker, joined([head, tail])


def _relative_clause_after(before: list[Token], after: list[Token]) -> Span | None:
    """ "The attack is the latest in a series in which, MSF says, hospitals … have been hit":
    a saying set between commas right after a relative word reports the relative clause it
    interrupts, the words after the second comma; the main clause is the writer's. The
    clause, or None. ("All of which, he said, would help …" opens its sentence: the words
    before the commas are the reported clause's subject.)"""
    if not before or not after or before[-1].tag_ not in ("WDT", "WP", "WRB"):
        return None
    if not any(t.pos_ in ("VERB", "AUX") for t in before):
        return None
    if not any(t.pos_ in ("VERB", "AUX") for t in after) or after[0].dep_ == "cc":
        return None
    return _token_span(_trim(list(after[0].doc[after[0].i : after[-1].i + 1])))


def _as_clause(cue: Token) -> bool:
    """Whether the cue opens a comment clause ("as the envoy said, ..."; "as she noted, ...")
    hanging on the main clause, which is then what was said."""
    return (
        cue.dep_ == "advcl"
        and cue.head.pos_ in ("VERB", "AUX")
        and any(child.dep_ == "mark" and child.lower_ == "as" for child in cue.children)
    )


# Diplomatic texts (readouts, communiqués, chairs' summaries, notes verbales, a spokesperson's
# briefing) have habits of their own, read by the few functions below.


def _to_the_hearer(cue: Token) -> bool:
    """ "As you will have seen, the report went to the Council", "as you know, …": a speaker at
    a briefing reminds the room of what it has seen or heard; the hearer says nothing, and the
    main clause is the speaker's own."""
    return any(
        child.dep_ in ("nsubj", "nsubjpass") and child.lower_ == "you" for child in cue.children
    )


def _between_commas(prep: Token) -> bool:
    """Whether the phrase ``prep`` heads is an aside set off by commas on both sides."""
    doc = prep.doc
    left, right = prep.left_edge.i, prep.right_edge.i
    return (
        left > 0
        and right + 1 < len(doc)
        and doc[left - 1].text == ","
        and (doc[right + 1].text == ",")
    )


def _in_view_of(view: Token) -> bool:
    """ "In view of the above, the Ministry suspends …": "in view of" is a preposition of
    cause, as "because of" is; a view holds no one's opinion unless it has a determiner or a
    holder ("in the view of the Russian side", "in our view")."""
    return view.lower_ == "view" and not any(
        child.dep_ in ("det", "poss") for child in view.children
    )


def _inside_brackets(label: str) -> bool:
    """ "Joint Communiqué (extract: Syria)": the colon of a heading's bracketed note is no
    speaker's; a label whose bracket is still open at the colon names no one."""
    return label.count("(") > label.count(")")


# A note verbale's opening: "The Ministry of Foreign Affairs … presents its compliments to …".
_COMPLIMENTS = re.compile(
    r"(?:^|\n)[^\S\n]*The[^\S\n]+([A-Z][^\n]{3,150}?)[^\S\n]+presents[^\S\n]+its[^\S\n]+compliments"
)


def _note_sender_throughout(doc: Doc, found: list[Attribution]) -> None:
    """ "The Ministry rejects …" in a note verbale the Ministry of Foreign Affairs sends: the
    note calls its sender "the Ministry" throughout, even after quoting another ministry ("As
    the Ministry of Defence has stated, …"); each bare "the Ministry" is given the sender, as
    its first one was."""
    opening = _COMPLIMENTS.search(text_of(doc))
    if opening is None:
        return
    sender = normalise_space(opening.group(1))
    head = sender.split(" of ")[0].lower()  # "ministry", "permanent representation"
    named = next(
        (
            a.speaker
            for a in found
            if a.speaker is not None
            and a.speaker.type in ("organisation", "state")
            and a.speaker.name.split()[:1] == sender.split()[:1]
            and sender.endswith(a.speaker.name)
        ),
        None,
    )
    if named is None:
        return
    for attribution in found:
        source = attribution.source.text if attribution.source is not None else ""
        if source.lower() == "the " + head and attribution.speaker is not None:
            attribution.speaker = replace(named, resolved_from=source)


def _role_holder_named(doc: Doc, label: str) -> str | None:
    """ "Spokesman:" in a briefing introduced as "… by Stéphane Dujarric, Spokesman for the
    Secretary-General": a transcript labels the turns of the one whose role it names once after
    his name; that name, if the text gives the role to one name only (else None)."""
    words = label.lower().split()
    if not words or len(words) > 2 or words[-1] not in _ROLES:
        return None
    pattern = (
        r"\b([A-Z][\w'’-]+(?:[^\S\n]+[A-Z][\w'’-]+){1,3}),[^\S\n]+(?:the[^\S\n]+)?"
        + r"[^\S\n]+".join("(?i:" + re.escape(word) + ")" for word in label.split())
        + r"\b"
    )
    names = {normalise_space(match.group(1)) for match in re.finditer(pattern, text_of(doc))}
    return names.pop() if len(names) == 1 else None


def _abstract_inside_line(doc: Doc, item: Attribution, lines: list[Attribution]) -> bool:
    """ "Al-Moallem: accusations against Syria aim to derail a political solution": inside a
    speaker's line, a rarer cue word whose subject names no one ("accusations … aim to") is
    part of what the speaker said, not a claim of its own."""
    if not item.rare_cue or item.cue_i < 0:
        return False
    subject = next((c for c in doc[item.cue_i].children if c.dep_ == "nsubj"), None)
    return (
        subject is not None
        and _abstract(subject)
        and any(line.content.start <= item.cue.start < line.content.end for line in lines)
    )


def _opening_of_a_line(item: Attribution, lines: list[Attribution]) -> bool:
    """ "Mr Alan Reddish (Northfield): To ask the Secretary of State …, what assessment he has
    made …": a written question opens with the member's "To ask"; the line already gives the
    question to the member, and a subject found after the opening verb, inside the question,
    is whom the question is about, not who asks; the label read again as the verb's subject
    is the line over again."""
    source = item.source
    return source is not None and any(
        line.content.start == item.cue.start
        and line.source is not None
        and (item.cue.start < source.start or source.start < line.source.end)
        for line in lines
    )


def _cut_line_labels(doc: Doc, found: list[Attribution], lines: list[Attribution]) -> None:
    """ "The Minister for the Middle East (Alistair Burt): The right hon. Lady will know …": the
    parse can run a transcript's label into the subject of the first sentence after it, or take
    the label alone for that subject; that sentence's source starts after the label's colon."""
    for item in found:
        source = item.source
        if source is None:
            continue
        line = next(
            (
                line
                for line in lines
                if source.start < line.cue.start < source.end <= line.content.end
            ),
            None,
        )
        if line is None:
            continue
        end = source.end if source.end > line.content.start else item.cue.start
        span = doc.char_span(line.content.start, end, alignment_mode="contract")
        tokens = _trim(list(span)) if span is not None else []
        own = _own_subject_after_label(doc, item, line, tokens)
        if own is None and (len(tokens) > 8 or any(t.pos_ in ("VERB", "AUX") for t in tokens)):
            continue  # the words before the cue are no subject alone
        tokens = own or tokens
        cut = _token_span(tokens) if tokens else None
        if cut is not None:
            item.source, item.speaker = cut, describe(tokens)


# Prepositions of a phrase that says where or when someone spoke ("in a phone call with …",
# "at a news conference", "during a visit", "on Tuesday").
_OCCASION_PREPOSITIONS = frozenset({"in", "at", "during", "on"})


# A wire alert's closing source after a spaced dash, on a line with no full stop: "… - monitor",
# "… - statement", "… - RIA", "… - U.S. officials" (a word or three, none a verb's ending).
_ALERT_TAIL = re.compile(r"[^\S\n]+[-–—][^\S\n]+(?:[A-Za-z][\w.']*[^\S\n]?){1,3}$")


def _ends_line(text: str, end: int) -> bool:
    """Whether ``end`` is where a line without a closing stop ends."""
    rest = text[end:].split("\n", 1)[0]
    return not rest.strip() and text[end - 1 : end] not in (".", "!", "?", '"', "”")


def _told_then_comma(doc: Doc, found: list[Attribution], quotes: list[tuple[int, int]]) -> None:
    """ "Instead, Trump told CNN, his policy would be …", "Bolton told radio host Matt Boyle,
    “…”": the one told, then a comma, then what was told. The parser makes the told one the
    verb's object and the clause after the comma the sentence's own (or the quotation a clause
    of the object), so the content came out as the one told. It becomes the quotation right
    after the comma, or the clause after it when the verb of telling is set into that clause."""
    text = text_of(doc)
    for item in found:
        if item.cue_i < 0 or len(item.content.pieces) != 1:
            continue
        cue = doc[item.cue_i]
        if cue.lemma_ != "tell" or item.content.start < item.cue.end:
            continue
        told = [c for c in cue.children if c.dep_ in ("dobj", "dative") and c.i > cue.i]
        if not told:
            continue
        covered = {t.i for c in told for t in c.subtree}
        words = _tokens_within(doc, item.content.start, item.content.end)
        if not words or any(t.i not in covered for t in words):
            continue
        # the marks after the one told may hang on it: its last word, not its subtree's edge;
        # a title after a name may hang elsewhere ("told Radio Rozana host Omar Saleh,")
        last = max(t.i for c in told for t in c.subtree if not t.is_punct)
        after = last + 1
        while (
            after < len(doc)
            and after - last <= 8
            and doc[after].text != ","
            and doc[after].pos_ in ("NOUN", "PROPN", "ADJ", "DET", "PUNCT", "X")
            and doc[after].text not in _QUOTE_MARKS
        ):
            after += 1
        if after >= len(doc) or doc[after].text != ",":
            continue
        rest = doc[after].idx + 1
        while rest < len(text) and text[rest] in " \t":
            rest += 1
        quoted = next((q for q in quotes if q[0] == rest), None)
        if quoted is not None:
            item.content = _span(doc, *quoted)
            continue
        sentence = cue.sent
        if cue.dep_ not in ("parataxis", "ccomp") or cue.head.i <= after:
            continue
        end_token = sentence[-1]
        while end_token.i > after and (end_token.is_punct or end_token.is_space):
            end_token = doc[end_token.i - 1]
        clause = [t for t in doc[after + 1 : end_token.i + 1] if not t.is_punct]
        if len(clause) >= 3:
            item.content = _span(doc, doc[after + 1].idx, end_token.idx + len(end_token.text))


def _cut_at_separators(doc: Doc, found: list[Attribution], quotes: list[tuple[int, int]]) -> None:
    """What was said ends where a page's separator begins something else: a title's bar
    ("Survivors describe the morning of the attack | FULL REPORT": the label after the bar is
    the page's), and a semicolon after a bare phrase or a quotation that opens a clause with a
    subject of its own ("we say 70 dead; the directorate has since raised the toll": the
    poster's own news, not what "we say"). A semicolon after a clause is left: the clause it
    joins may still be the speaker's."""
    text = text_of(doc)

    def quoted(token: Token) -> bool:
        return any(start <= token.idx < stop for start, stop in quotes) or token.is_quote

    for item in found:
        content = item.content
        if content.parts or content.start < item.cue.end:
            continue
        bar = content.text.find(" | ")
        if bar > 0:
            item.content = _span(doc, content.start, content.start + bar)
            continue
        tail = _ALERT_TAIL.search(content.text)
        if tail is not None and _ends_line(text, content.end):
            # an alert's "Syrian army denies using chemical weapons - statement": the words
            # after the closing dash name where the alert came from, not what was denied
            item.content = _span(doc, content.start, content.start + tail.start())
            continue
        semicolon = content.text.find(";")
        if semicolon <= 0 or item.cue_i < 0:
            continue  # a headline's "Caddell: Voters Worried …; It's 'in Their Heads'" is whole
        cut = content.start + semicolon
        before = doc.char_span(content.start, cut, alignment_mode="expand")
        after = doc.char_span(cut + 1, content.end, alignment_mode="expand")
        if before is None or after is None or "\n" in text[content.start : cut]:
            continue
        if any(t.pos_ in ("VERB", "AUX") and not quoted(t) for t in before):
            continue  # "he said the plane came low; it dropped …": a clause that may go on
        if any(
            t.dep_ in ("nsubj", "nsubjpass") and t.head.i >= after.start and not quoted(t)
            for t in after
        ):
            item.content = _span(doc, content.start, cut)


# A cited piece's date and page after its headline in brackets: "(Moscow blames rebels,
# 6 April, page 4)", "(Report, 27 October)", "(Letters, 31 October, p. 12)".
_CITED_DATE_PAGE = re.compile(
    r",[^\S\n]*(?:\d{1,2}[^\S\n]+[A-Z][a-z]+|[A-Z][a-z]+[^\S\n]+\d{1,2})"
    r"(?:,[^\S\n]*(?:[Pp]age|p\.)[^\S\n]*\d+)?[^\S\n]*$"
    r"|,[^\S\n]*(?:[Pp]age|p\.)[^\S\n]*\d+[^\S\n]*$"
)


def _cut_at_closing_bracket(doc: Doc, found: list[Attribution]) -> None:
    """A saying inside brackets ends where they close: a correction cites the story it mends
    by its headline, date and page ("A report (Moscow blames rebel depot, 6 April, page 4)
    quoted the spokesman …"), and the headline's verb says only the headline's words, not the
    sentence the brackets sit in. Its date and page, which cite the piece, are no part of it
    either."""
    text = text_of(doc)
    for item in found:
        content = item.content
        if content.parts or content.start < item.cue.end:
            continue
        line_start = text.rfind("\n", 0, item.cue.start) + 1
        before = text[line_start : item.cue.start]
        if before.count("(") <= before.count(")"):
            continue  # the cue is not inside brackets
        depth, cut = 0, -1
        for k, char in enumerate(content.text):
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    cut = k
                    break
                depth -= 1
        if cut < 0 and text[content.end : content.end + 2].strip()[:1] == ")":
            cut = len(content.text)  # the saying ends with the brackets
        if cut < 0:
            continue
        kept = content.text[:cut]
        tail = _CITED_DATE_PAGE.search(kept)
        if tail is not None:
            kept = kept[: tail.start()]
        kept = kept.rstrip(" ,;:")
        if kept:
            item.content = _span(doc, content.start, content.start + len(kept))


def _comment_closing_a_clause(doc: Doc, found: list[Attribution]) -> None:
    """ "Clerks were writing on whatever paper they had, she explained; nobody was looking at a
    watch": a comment clause between a comma and a semicolon closes the clause before it, as
    "…, she said." would; the parser hangs it on the clause after the semicolon (as an aside
    or as that clause's object), whose words it then takes for what was said. What was said is the clause before the comma (from the
    sentence's start or its last semicolon or colon)."""
    for item in found:
        if item.cue_i < 0 or item.source is None or item.content.parts:
            continue
        cue = item.cue_i
        verb = doc[cue]
        if (
            verb.dep_ not in ("parataxis", "ccomp")
            or verb.head.i <= cue
            or item.content.start < item.cue.end
        ):
            continue
        close = verb.right_edge.i + 1
        if close >= len(doc) or doc[close].text != ";":
            continue
        # the comma before the speaker, which the parse may hang on the comment itself
        opening = verb.left_edge.i if verb.left_edge.text == "," else verb.left_edge.i - 1
        if opening <= verb.sent.start or doc[opening].text != ",":
            continue
        start = max(
            [verb.sent.start]
            + [t.i + 1 for t in doc[verb.sent.start : opening] if t.text in (";", ":")]
        )
        clause = _trim(list(doc[start:opening]))
        if len(clause) < 3 or _quoted_tokens(clause):
            continue  # a quotation before the comment is the quotation rules' to take
        if not any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in clause):
            continue
        span = _token_span(clause)
        if span is not None:
            item.content = span


# The words that open narration going on after a speaker's quotation: '"…," he said, and then
# he was quiet'.
_NARRATION_GOES_ON = frozenset({"and", "but", "then", "before", "after", "so"})


def _in_prep_of(token: Token, head: Token) -> bool:
    """Whether ``token`` lies in a phrase of where or when hung on ``head`` ("worse in a
    report"; "less likely than a burst pipe" is the judgement's own comparison)."""
    return any(
        c.dep_ == "prep" and c.lower_ in _WHERE_OR_WHEN and token in c.subtree
        for c in head.children
    )


_WHERE_OR_WHEN = frozenset({"in", "on", "at", "during", "after", "before", "by"})


def _quotation_without_the_narration_after(
    doc: Doc, found: list[Attribution], quotes: list[tuple[int, int]]
) -> None:
    """'"They believe us," he said, and then he was quiet for a long time': the quotation
    closes before its speaker, and what follows "and then" is the writer's narration, which
    the parse joins to the quoted clause. What was said is the quotation alone (a quotation
    that opens again after the speaker, '"A," she said, "B."', is left whole)."""
    for item in found:
        parts = item.content.parts
        if item.cue_i < 0 or len(parts) != 2 or parts[0].text[:1] not in _QUOTE_MARKS:
            continue
        quote = next((q for q in quotes if q[0] == parts[0].start), None)
        if quote is None or quote[1] > item.cue.start or parts[1].start < item.cue.end:
            continue
        if parts[0].end > quote[1] + 1:
            continue  # '"A big truck" plowed through the barriers, he said': quoted in part
        first = parts[1].text.split(maxsplit=1)[0].lower() if parts[1].text.split() else ""
        if parts[1].text[:1] in _QUOTE_MARKS or first not in _NARRATION_GOES_ON:
            continue
        item.content = _span(doc, quote[0], quote[1])


# Relative pronouns that cannot open a reported clause ("that" can).
_WH_RELATIVES = frozenset({"which", "whom", "whose", "where"})


def _object_with_its_relative(doc: Doc, found: list[Attribution]) -> None:
    """ "A neighbour sent me a photograph in which the crater is clearly visible": what was
    sent is the photograph; the relative clause says what it shows, and is no content without
    the noun it describes (the parse can offer the clause alone). What was sent, posted or
    shown is the object with its relative clause, as "posted a video in which …" is read."""
    for item in found:
        if item.cue_i < 0 or item.content.parts:
            continue
        cue = doc[item.cue_i]
        for thing in (c for c in cue.children if c.dep_ == "dobj"):
            relative = next(
                (c for c in thing.children if c.dep_ == "relcl" and c.i > thing.i), None
            )
            if relative is None or doc[relative.left_edge.i].idx != item.content.start:
                continue
            opening = relative.left_edge
            if not (
                opening.lower_ in _WH_RELATIVES
                or (
                    opening.dep_ == "prep"
                    and opening.i + 1 < len(doc)
                    and doc[opening.i + 1].lower_ in _WH_RELATIVES
                )
            ):
                # "told a briefing that Beijing opposed …": a "that" the parse took for a
                # relative pronoun opens what was said
                continue
            widened = _token_span(_trim(list(thing.subtree)))
            if widened is not None and widened.end >= item.content.end:
                item.content = widened
            break


# Verbs that say what something is by saying it "as" something: "described the crater as …".
_DESCRIBED_AS = frozenset({"describe", "characterize", "characterise", "portray", "depict"})


def _described_as_clause(doc: Doc, found: list[Attribution]) -> None:
    """ "The report described the crater as most likely made by an aerial bomb": what the
    description says is in its "as" phrase, which the parse can make a clause of the verb
    ("as … made") rather than a phrase of the object; the content runs on to its end."""
    for item in found:
        if item.cue_i < 0 or item.content.parts:
            continue
        cue = doc[item.cue_i]
        if cue.lemma_ not in _DESCRIBED_AS:
            continue
        thing = next((c for c in cue.children if c.dep_ == "dobj"), None)
        if thing is None or item.content.end != thing.right_edge.idx + len(thing.right_edge.text):
            continue
        clause = next(
            (
                c
                for c in cue.children
                if c.dep_ == "advcl"
                and c.left_edge.i == thing.right_edge.i + 1
                and c.left_edge.lower_ == "as"
                and c.left_edge.dep_ == "mark"
            ),
            None,
        )
        if clause is None:
            continue
        last = _trim(list(clause.subtree))[-1]
        item.content = _span(doc, item.content.start, last.idx + len(last.text))


def _quoted_tokens(tokens: list[Token]) -> bool:
    """Whether any of ``tokens`` is a quotation mark."""
    return any(t.text in _QUOTE_MARKS or t.is_quote for t in tokens)


def _whole_hyphenated(doc: Doc, found: list[Attribution]) -> None:
    """What was said ends at a word's end, not inside a compound the tokenizer split at its
    hyphen: "asked for semi-protection" asked for "semi-protection", not for "semi"."""
    text = text_of(doc)
    for item in found:
        content = item.content
        if content.parts or content.start < item.cue.end:
            continue
        whole = re.compile(r"(?:-[A-Za-z]+)+").match(text, content.end)
        if whole is not None and content.text[-1:].isalpha():
            item.content = _span(doc, content.start, whole.end())


def _as_much(doc: Doc, found: list[Attribution]) -> None:
    """ "The Mechanism concluded as much in October": "as much" stands for what was said (the
    view just put), so it is the content, not the phrase of when that follows it."""
    for item in found:
        if item.cue_i < 0 or item.content.parts:
            continue
        cue = doc[item.cue_i]
        much = next(
            (
                c
                for c in cue.children
                if c.lower_ == "much"
                and c.i > cue.i
                and c.i > 0
                and doc[c.i - 1].lower_ == "as"
                and doc[c.i - 1].head in (c, cue)
            ),
            None,
        )
        if much is None or item.content.start <= much.idx < item.content.end:
            continue
        item.content = _span(doc, doc[much.i - 1].idx, much.idx + len(much.text))


def _cut_occasions(doc: Doc, found: list[Attribution]) -> None:
    """ "Iranian President Hassan Rouhani, in a phone call with his Syrian counterpart,
    expressed …": a phrase of the occasion set off by commas, which the parse can hang on the
    subject, is not part of who spoke (PolNeAR's annotators leave it out too)."""
    for item in found:
        source = item.source
        if source is None or item.how == "line":
            continue
        span = doc.char_span(source.start, source.end, alignment_mode="expand")
        if span is None or len(span) < 4 or not span[-1].is_punct or span[-1].text != ",":
            continue
        prep = next(
            (
                token
                for token in span[1:-1]
                if token.dep_ == "prep"
                and token.lower_ in _OCCASION_PREPOSITIONS
                and token.head == span.root  # not "Mr. Pruzan, at Dresdner," in a coordination
                and token.nbor(-1).text == ","
                and max(t.i for t in token.subtree) == span[-1].i - 1
            ),
            None,
        )
        if prep is None or prep.i - 1 <= span.start:
            continue
        if any(c.dep_ in ("relcl", "acl") and c.i < prep.i for c in span.root.children):
            continue  # "Don Fowler, who helmed the DNC …, during Bill Clinton's presidency,"
        kept = list(doc[span.start : prep.i - 1])
        if any(token.text == "," for token in kept):
            kept.append(prep.nbor(-1))  # "Whitehouse, a Democrat from Rhode Island," as marked
        cut = _token_span(kept if kept[-1].text == "," else _trim(kept))
        if cut is not None:
            item.source = cut


# Verbs that set one fact against another when no one speaks: "This cannot explain a release
# hours earlier", "That account is contradicted by the findings".
_FACT_VERBS = frozenset({"explain", "contradict", "belie"})


def _fact_against_fact(doc: Doc, item: Attribution) -> bool:
    """ "This cannot explain a release that occurred hours before": a fact or a finding that
    explains or contradicts a thing named by a noun is the writer's reasoning, no saying of
    the finding's; a person or a text that explains ("the minister explained the plan") or a
    clause explained ("explained that …") stays."""
    cue = doc[item.cue_i]
    if cue.lemma_ not in _FACT_VERBS or item.source is None:
        return False
    if any(c.dep_ in ("ccomp", "xcomp") for c in cue.children):
        return False
    span = doc.char_span(item.source.start, item.source.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root  # not a text, which explains as a writer does ("A textbook explains …")
    return root.lemma_.lower() in _FACTS or root.lower_ in ("this", "that", "these", "those", "it")


# Facts and findings, which bear on other facts without saying anything.
_FACTS = frozenset(
    {
        *("finding", "findings", "fact", "evidence", "data", "result", "timing"),
        # the physical evidence a disproof sets against a claim: "The claim that the attack
        # was staged is contradicted by the autopsies carried out in Turkey"
        *("autopsy", "sample", "image", "imagery", "footage", "photograph", "record"),
    }
)


def _looking_forward(cue: Token) -> bool:
    """ "Members of the Council looked forward to the findings of the Mission": a hope for
    what is to come, not anything said about it."""
    return cue.lemma_ == "look" and any(
        c.dep_ in ("advmod", "prt") and c.lower_ == "forward" for c in cue.children
    )


# Where a look is turned: "looks north toward the silos", "looked out over the town".
_GAZE_WORDS = frozenset(
    {
        *("toward", "towards", "into", "across", "over", "through", "out", "up", "down"),
        *("around", "away", "back", "north", "south", "east", "west", "outside", "ahead"),
    }
)


def _gazing(cue: Token) -> bool:
    """ "He looks north toward the grain silos": a look turned somewhere, which says nothing
    ("the report looks at three scenarios" is left to the model)."""
    return cue.lemma_ == "look" and any(
        c.dep_ in ("advmod", "prt", "prep", "npadvmod") and c.lower_ in _GAZE_WORDS
        for c in cue.children
    )


def _reading_out(cue: Token) -> bool:
    """ "My editor read me the Russian Defence Ministry's statement": one reading out another's
    document carries its words, which are the document's owner's, and claims nothing of their
    own ("he read a statement" without an owner named, or "read his statement", is left)."""
    if cue.lemma_ != "read":
        return False
    if any(c.dep_ in ("prt", "advmod") and c.lower_ == "back" for c in cue.children):
        # "Each summary was read back to the witness": a record read over to the one who gave
        # it, for them to confirm; the reader claims nothing
        return True
    document = next((c for c in cue.children if c.dep_ == "dobj"), None)
    if (
        document is not None
        and document.pos_ == "PRON"
        and any(c.dep_ in ("dative", "prep") and c.lower_ == "to" for c in cue.children)
    ):
        return True  # "my cousin read it to me": another's words, read aloud to a listener
    if document is None or document.lemma_.lower() not in _PUBLISHED:
        return False
    owner = next((c for c in document.children if c.dep_ == "poss"), None)
    return owner is not None and owner.pos_ in ("PROPN", "NOUN")


# Verbs of thinking that a feature, a memoir or a profile uses for what went on in a mind: the
# news reports them as views ("analysts think …"), but in a story told in scenes "She watched
# the videos and wondered how long it would take" is a thought, not a statement.
_THINKING = frozenset({"wonder", "assume", "imagine", "suppose", "think", "feel"})
# What makes a thought a saying: said aloud, or in a medium or an occasion of speech.
_VOICED = frozenset({"aloud", "publicly", "openly", "out"})
_SPEECH_OCCASIONS = frozenset(
    {
        *("interview", "statement", "tweet", "post", "briefing", "television", "radio"),
        *("conference", "letter", "speech", "column", "article", "podcast", "testimony"),
        *("hearing", "meeting", "debate", "book", "memoir", "email", "message", "call"),
    }
)
# Present-tense speech tags ("she says", "he recalls"), the mark of a feature or a profile
# telling its story in scenes; news tags its quotations in the past.
_PRESENT_TAGS = frozenset({"say", "recall", "remember", "explain", "add", "admit", "insist"})


def _told_in_scenes(doc: Doc) -> bool:
    """Whether the text tags what people say in the present ("he says", "she recalls") at
    least twice and more often than in the past: a feature's or a profile's way, not news'."""
    present = past = 0
    for token in doc:
        if token.lemma_ not in _PRESENT_TAGS or token.pos_ != "VERB":
            continue
        if token.tag_ == "VBZ":
            present += 1
        elif token.tag_ == "VBD":
            past += 1
    return present >= 2 and present > past


def _thought_untold(doc: Doc, item: Attribution, scenes: bool) -> bool:
    """A thought the story tells, never voiced: in a text told in scenes, "She wondered how
    long it would take", "Visitors assume it is a landscape", "he thought the bomb was
    ordinary" (a thought is a claim only said aloud, in an interview or the like, or quoted);
    anywhere, one's own thinking about a thing ("I have thought about that sentence for
    years"), which holds no claim."""
    cue = doc[item.cue_i]
    if cue.lemma_ not in _THINKING:
        return False
    if (
        cue.lemma_ == "think"
        # one's own musing; news marks "who is thinking about running for president", "You
        # don't think about the damage" and "we think about the big number" as views held
        and any(c.dep_ == "nsubj" and c.lower_ == "i" for c in cue.children)
        and any(
            c.dep_ == "prep"
            and c.lower_ in ("about", "of")
            and not any(g.tag_ == "VBG" for g in c.children)
            for c in cue.children
        )
        and not any(c.dep_ in ("ccomp", "xcomp") for c in cue.children)
    ):
        return True
    if not scenes or item.content.text[:1] in _OPENING:
        return False
    if item.content.text.startswith("that ") or (
        item.source is not None and item.source.text.lower() == "it"
    ):
        return False  # "it assumes that a majority would swarm to him": a plan's premise, a view
    if cue.lemma_ in ("think", "feel") and cue.tag_ != "VBD":
        return False  # "she thinks the evidence is overwhelming": her view, told now
    voiced = any(
        c.lower_ in _VOICED
        or (
            c.dep_ == "prep"
            and any(g.dep_ == "pobj" and g.lemma_.lower() in _SPEECH_OCCASIONS for g in c.children)
        )
        for c in cue.children
    )
    return not voiced


# Verbs of what one expects or fears others will do, not of anything they did.
_EXPECTING = frozenset({"expect", "anticipate", "predict", "foresee", "fear"})


def _only_expected(cue: Token) -> bool:
    """ "We expect Russia to veto any renewal": what one expects another to say or do, an
    infinitive with its own subject under a verb of expecting, has not been said by anyone;
    the expectation is the only claim."""
    return (
        cue.tag_ == "VB"
        and cue.dep_ in ("ccomp", "xcomp")
        and cue.head.lemma_ in _EXPECTING
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children)
        and any(c.dep_ == "nsubj" for c in cue.children)
    )


# Texts still to be written, which a writer tells colleagues what to put in.
_DRAFTS = frozenset(
    {"note", "statement", "letter", "text", "draft", "release", "reply", "brief", "summary"}
)


def _what_a_draft_should_say(cue: Token) -> bool:
    """ "The donor note should say that the toll is still rising": what a text is to say, by
    "should" or "must", is an instruction to whoever writes it; the text has said nothing."""
    subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    return (
        cue.lemma_ in ("say", "state", "mention", "read")
        and any(c.dep_ == "aux" and c.lower_ in ("should", "must") for c in cue.children)
        and subject is not None
        and subject.lemma_.lower() in _DRAFTS
    )


def _abstract_source(doc: Doc, item: Attribution) -> bool:
    """Whether the item's source is a phrase whose head names no one ("the evidence of
    government responsibility")."""
    if item.source is None:
        return False
    span = doc.char_span(item.source.start, item.source.end, alignment_mode="expand")
    return span is not None and _abstract(span.root)


def _abstract(head: Token) -> bool:
    """A subject that cannot speak: a common noun that names no one ("the campaign")."""
    return (
        head.pos_ == "NOUN"
        and not head.ent_type_
        and head.lemma_.lower() not in _ROLES | _PEOPLE_NOUNS | _ORG_WORDS | _GENERIC_GROUPS
    )


# Where things are posted or broadcast: never the one who shows or says what is posted there.
_PLATFORMS = frozenset(
    {"facebook", "twitter", "youtube", "telegram", "instagram", "tiktok", "whatsapp", "x"}
    | {"vkontakte", "website", "site", "channel", "page", "account", "television", "tv"}
)


def _shown_by(cue: Token, subject: Token) -> Token | None:
    """ "The rescuers posted a video on Facebook showing children …": the parser can read the
    site and the participle after it as a clause ("Facebook showing …"). When a participle's
    subject is a site or channel right after "on" or "in", the object of the verb that phrase
    hangs on (the video) is what shows it. That object, or None."""
    if cue.tag_ != "VBG" or cue.dep_ != "pcomp" or subject.lower_ not in _PLATFORMS:
        return None
    prep = cue.head
    if prep.lower_ not in ("on", "in") or subject.i != prep.i + 1:
        return None
    return next((c for c in prep.head.children if c.dep_ == "dobj" and c.i < prep.i), None)


def _speaker_in_phrase(cue: Token) -> Token | None:
    """For a participle cue hanging on a clause, a person or body named in a prepositional
    phrase of that clause ("went on through the envoy, accusing ..."), else None."""
    if cue.dep_ != "advcl" or cue.tag_ != "VBG":
        return None
    for prep in cue.head.children:
        if prep.dep_ != "prep" or prep.i > cue.i or _temporal(prep):
            continue
        for noun in prep.children:
            if noun.dep_ == "pobj" and (
                noun.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
                or noun.lemma_.lower() in _ROLES | _PEOPLE_NOUNS
            ):
                return noun
    return None


def _topic_inside(noun: Token) -> Token | None:
    """The object of a topic preposition ("over", "about" …) hung on the object of a place or
    occasion preposition ("at the meeting over the conclusions"); else None."""
    if noun.head.lower_ in _TOPIC_PREPS or not (
        noun.head.lower_ in _PLACE_PREPS or _interlocutor(noun)
    ):
        return None
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in _TOPIC_PREPS - {"of"}:
            return next((c for c in prep.children if c.dep_ == "pobj"), None)
    return None


# The offices of a meeting, written in brackets after the name of who holds them in the list
# of those present: "Present: Ms. A. Brennan (Chair), Mr. P. Osei, …".
_MEETING_OFFICES = frozenset(
    {"chair", "chairman", "chairwoman", "chairperson", "convenor", "convener", "rapporteur"}
    | {"vice-chair", "secretary", "clerk", "president"}
)
_HELD_IN_BRACKETS = re.compile(
    r"(?:(?P<honorific>Mr|Mrs|Ms|Dr|Prof)\.?[^\S\n]+)?"
    r"(?P<name>[A-Z][\w'’.-]*(?:[^\S\n]+[A-Z][\w'’.-]*){0,3})[^\S\n]*\((?P<office>[A-Za-z-]+)\)"
)


# A minutes' list of those present: "Present: Congresswoman Diane Kowalski; Selectboard Chair
# Robert Tully (moderator); Town Clerk Amy Sorensen (recording)", and an entry in it with the
# office before the name (a word for whose office it is may open it).
_PRESENT_LINE = re.compile(
    r"^[^\S\n]*(?:Present|Attending|In[^\S\n]+attendance|Attendees)[^\S\n]*:(?P<entries>[^\n]+)$",
    re.M,
)
_HELD_BEFORE_NAME = re.compile(
    r"(?:[A-Z][\w-]+[^\S\n]+)?(?P<office>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)[^\S\n]+"
    r"(?P<name>[A-Z][\w'’-]+(?:[^\S\n]+[A-Z][\w'’-]+){1,2})(?:[^\S\n]*\([^)]*\))?[^\S\n]*\.?$"
)


def _office_held_in_list(doc: Doc, found: list[Attribution]) -> None:
    """ "The Chair noted that …" in minutes whose list of those present reads "Ms. A. Brennan
    (Chair)": the office alone is the one the list names as holding it (one name only, else
    the office stays as written)."""
    text = text_of(doc)
    holders: dict[str, set[str]] = {}
    for match in _HELD_IN_BRACKETS.finditer(text):
        office = match.group("office").lower()
        if office in _MEETING_OFFICES:
            holders.setdefault(office, set()).add(match.group("name"))
    for line in _PRESENT_LINE.finditer(text):
        # "Present: …; Selectboard Chair Robert Tully (moderator); Town Clerk Amy Sorensen"
        for entry in line.group("entries").split(";"):
            held = _HELD_BEFORE_NAME.match(entry.strip())
            if held is not None and held.group("office").lower() in _MEETING_OFFICES:
                holders.setdefault(held.group("office").lower(), set()).add(held.group("name"))
    for item in found:
        source = item.source
        if source is None or item.speaker is None:
            continue
        office = source.text.lower().removeprefix("the ").strip()
        if item.speaker.resolved_from:
            # "He asked speakers to state their name" after "Chair Tully called the meeting
            # to order": a pronoun given the office alone, as the office is
            if item.speaker.type != "unknown" or item.speaker.name.lower() not in holders:
                continue
            office = item.speaker.name.lower()
        names = holders.get(office, set())
        if len(names) == 1:
            item.speaker = Speaker(
                name=next(iter(names)), type="person", title=office, resolved_from=source.text
            )


def _guest(doc: Doc, item: Attribution) -> bool:
    """ "The Chair welcomed Mr. D. Farouk, Director of …": one welcomed as a guest is a person,
    and welcoming them says nothing ("welcomed the decision" is a stance, and stays)."""
    if item.cue_i < 0 or doc[item.cue_i].lemma_ not in ("welcome", "greet"):
        return False
    span = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
    if span is None or item.content.parts:
        return False
    head = span.root
    if any(t.dep_ in ("xcomp", "ccomp") for t in span):
        return False  # "welcomed Trump to visit the city": a stance on what they are to do
    return head.ent_type_ == "PERSON" or (
        head.pos_ in ("NOUN", "PROPN")
        and (
            _singular(head.lower_) in _PEOPLE_NOUNS | _ROLES
            or any(
                c.dep_ == "compound" and c.lower_.rstrip(".") in ("mr", "mrs", "ms", "dr")
                for c in head.children
            )
        )
    )


def _demonstrative_object(head: Token) -> bool:
    """ "the Trial Chamber expressly considered that account and rejected it": the parser can
    take "that" before a noun for a clause's mark and the noun for a clause; a noun with a
    demonstrative "that" and no subject or verb of its own is the verb's object, not what was
    said."""
    return (
        head.pos_ == "NOUN"
        and any(
            c.dep_ == "det" and c.lower_ in ("that", "this", "those", "these")
            for c in head.children
        )
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "cop") for c in head.children)
    )


def _whence_in_passive(cue: Token, head: Token) -> bool:
    """ "The chain of custody was documented from the point of collection": a passive's "from"
    phrase naming no one (no name, no person, no body) is where or when the thing was done,
    not who said it; with no agent the passive claims nothing of anyone's."""
    return (
        head.dep_ == "pobj"
        and head.head.lower_ == "from"
        and head.head.head == cue
        and any(c.dep_ == "auxpass" for c in cue.children)
        and not any(c.dep_ == "agent" for c in cue.children)
        and not head.ent_type_
        and head.pos_ == "NOUN"
        and _singular(head.lower_) not in _PEOPLE_NOUNS | _ROLES | _ORG_WORDS
    )


# Verbs of a conversation, whose "with" names the other party ("spoke with the Prime Minister";
# an objection's "Counsel is arguing with the witness": whom counsel argues with, not a claim).
_CONVERSING = frozenset({"speak", "talk", "confer", "converse", "meet", "argue", "quarrel"})


def _interlocutor(noun: Token) -> bool:
    """ "The President spoke today with Prime Minister Claire Holloway about the attack": the
    object of a conversation's "with" is whom the speaker spoke to, never what was said (the
    parser hangs the "about" topic on the person)."""
    if not (
        noun.dep_ == "pobj"
        and noun.head.lower_ == "with"
        and noun.head.dep_ == "prep"
        and noun.head.head.lemma_ in _CONVERSING
    ):
        return False
    # "after arguing with the host on how the attack should be defined": an argument's topic
    # hung on whom one argued with is what was argued, as PolNeAR marks it
    return noun.head.head.lemma_ not in ("argue", "quarrel") or not any(
        c.dep_ == "prep" for c in noun.children
    )


def _dated_that_clause(head: Token) -> Token | None:
    """ "confirmed in its report of 29 June 2017 that sarin had been used": the parser hangs
    the "that"-clause on the date as a relative clause, but a relative "that" is the clause's
    subject or object, never its mark beside a subject of its own; the clause is what was
    said, the dated occasion where. Its verb, else None."""
    for token in head.subtree:
        if (
            token.dep_ == "relcl"
            and token.head.ent_type_ in ("DATE", "TIME")
            and any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children)
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
        ):
            return token
    return None


def _off_topic(cue: Token, path: str, head: Token) -> bool:
    """A content reached through a preposition that says where or how ("in parliament") while
    another preposition of the cue says what about ("about the findings"), or a platform or
    medium ("on Twitter", "in a statement") while the cue has a clause after it."""
    prep = head if path == "prep" else head.head
    if prep.dep_ != "prep" or prep.lower_ in _TOPIC_PREPS:
        return False
    where = head if path != "prep" else next((c for c in prep.children if c.dep_ == "pobj"), head)
    if (where.lower_ in _PLATFORMS or where.lemma_.lower() in _MEDIA | _PUBLISHED) and any(
        child.dep_ == "ccomp" and child.i > prep.i for child in cue.children
    ):
        # "responded on Twitter that the images were staged": the platform is where, and the
        # "that"-clause what
        return True
    return any(
        child.dep_ == "prep" and child.lower_ in _TOPIC_PREPS and child.i != prep.i
        for child in cue.children
    )


def _quoted(token: Token, quotes: list[tuple[int, int]]) -> bool:
    """Whether a token lies inside one of the quotations (character offsets)."""
    return any(start <= token.idx < stop for start, stop in quotes)


def _quotation_first(
    heads: Sequence[Token], cue: Token, quotes: list[tuple[int, int]]
) -> list[Token]:
    """Heads one path reaches, the quotation just before the cue first when the parse gave the
    cue two clauses before it: in 'X declared the need for resolve: "Build the bridge," he
    said', what he said is the quotation, not the sentence it follows."""
    found = list(heads)
    before = [head for head in found if head.i < cue.i]
    if len(before) < 2 or len(before) != len(found):
        return found
    nearest = max(before, key=lambda head: head.i)
    if not _quoted(nearest, quotes):
        return found
    return [nearest] + [head for head in found if head is not nearest]


def _that_clause_first(
    heads: list[Token], cue: Token, quotes: list[tuple[int, int]]
) -> list[Token]:
    """ "Writing for a panel that agreed Pence won, Barabak noted that the way he …": the parser
    can give the cue two clauses, one inside a fronted phrase before it. A "that"-clause after
    the cue is what was said — unless the one before is a quotation ('"…," he told a crowd
    that the campaign estimated at 3,000')."""
    if any(head.i < cue.i and _quoted(head, quotes) for head in heads):
        return heads
    doc = cue.doc
    # "… isn't rattled by the losses — in fact, she said it "humanizes" her": a clause before
    # a dash is the writer's, and the clause after the cue, with a subject of its own, is said
    cut_off = any(
        head.i < cue.i
        and any(t.text in ("—", "–", "--", ";") for t in doc[head.right_edge.i + 1 : cue.i])
        for head in heads
    )
    after = [
        head
        for head in heads
        if head.i > cue.i
        and any(
            (c.dep_ == "mark" and c.lower_ == "that") or (cut_off and c.dep_ == "nsubj")
            for c in head.children
        )
    ]
    if not after or len(after) == len(heads):
        return heads
    return after + [head for head in heads if head not in after]


def _first(cue: Token, paths: Sequence[str]) -> Token | None:
    """The first token any path reaches; of several reached by one path, a named one (a
    person's name first). Marks are never reached, but "%" is (spaCy counts it as
    punctuation): "47% say …" is spoken by the 47 %."""
    for path in paths:
        reached = [
            token
            for token in follow(cue, path)
            if token.i != cue.i and not (token.is_punct and token.pos_ != "NOUN")
        ]
        if len(reached) > 1:
            # "First videos of victims posted online; the footage shows …": a verbless phrase
            # before a semicolon is the writer's note, and the subject after it the verb's
            doc = cue.doc
            after = [
                token
                for token in reached
                if token.i < cue.i
                and any(
                    t.text == ";"
                    for other in reached
                    if other.i < token.i
                    for t in doc[other.right_edge.i + 1 : token.left_edge.i]
                )
            ]
            if after:
                reached = after
        if reached:
            named = [token for token in reached if token.ent_type_ or token.pos_ == "PROPN"]
            # "… in Berea, OH, after winning Ohio, Gov. John Kasich said": of two subjects the
            # parse gave the verb, a person's name before a place's
            people = [token for token in named if token.ent_type_ == "PERSON"]
            return (people or named or reached)[0]
    return None


def _unnamed_request(verb: Token, child: Token) -> bool:
    """Whether ``verb`` and its clause ``child`` ask not to be named ("asked to be identified
    only as …", "declined to be named", "requested not to be quoted", "asked us not to name
    him"): no claim, either of them."""
    return (
        verb.lemma_ in ("ask", "request", "decline", "refuse")
        and child.dep_ == "xcomp"
        and child.lemma_ in ("identify", "name", "quote")
        # "asked us not to name him", "asked reporters not to identify her": the same request
        and any(c.dep_ == "auxpass" or c.dep_ == "neg" for c in child.children)
    )


def _outside_quotation_subject(verb: Token, quotes: list[tuple[int, int]]) -> Token | None:
    """The subject of the first verb above ``verb`` that lies outside every quotation (the
    one who said the quotation ``verb`` is in); None when there is none."""
    while _quoted(verb, quotes) and verb.head.i != verb.i:
        verb = verb.head
    if _quoted(verb, quotes):
        return None
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _addressed(head: Token) -> Token | None:
    """'Q: Sean, the Russians say the evidence was fabricated': a singular name before a comma,
    with a plural subject right after it that the verb agrees with, is the one spoken to. The
    parse gives the verb both as subjects; the plural one is the speaker. None when the
    subject is no such address."""
    verb = head.head
    if head.dep_ != "nsubj" or head.tag_ != "NNP" or verb.tag_ != "VBP":
        return None
    edge = head.right_edge  # the parse can hang the comma on the name ("Colonel, the …")
    comma = edge.i if edge.text == "," else edge.i + 1
    if comma >= len(head.doc) or head.doc[comma].text != ",":
        return None
    return next(
        (
            child
            for child in verb.children
            if child.dep_ == "nsubj"
            and child.i > comma
            and child.tag_ in ("NNPS", "NNS")
            and child.left_edge.i == comma + 1
        ),
        None,
    )


def _clause_free(cue: Token) -> bool:
    """Whether ``cue`` has no clause of its own for a content (not "has seen that …")."""
    return not any(child.dep_ in ("ccomp", "xcomp", "advcl", "parataxis") for child in cue.children)


def _only_seen(cue: Token) -> bool:
    """ "Everything I have seen points to the Assad regime": a "seen" in a relative clause on
    "everything" or "nothing" has that word for its object (the parse can take the main verb,
    "points", for a noun it saw); it names what was looked at, not what anyone said. What a
    witness saw ("has seen images of children dying") is left as it is."""
    return (
        cue.lemma_ == "see"
        and cue.dep_ == "relcl"
        and cue.head.lower_ in ("everything", "anything", "nothing", "all", "something")
        and _clause_free(cue)
    )


def _own_view_joined(cue: Token) -> bool:
    """ "That explanation doesn't hold up, and I think the Russians know it": a speaker's
    "I think" joined to a clause of their own is still their view of what follows (the model,
    which saw few such, drops a joined "think")."""
    return (
        cue.lemma_ in ("think", "believe")
        and cue.dep_ == "conj"
        and cue.tag_ == "VBP"
        and any(c.dep_ == "nsubj" and c.lower_ == "i" for c in cue.children)
        and any(c.dep_ == "ccomp" for c in cue.children)
    )


def _past_label(head: Token) -> Token | None:
    """'Q: Russia said that …', 'Alex Salmond: The Foreign Secretary told the House …': the parse
    can make a transcript's label, standing before a colon at a line's start, a second subject
    of the first verb after it; the subject after the colon is the speaker. None when ``head``
    is no such label."""
    doc = head.doc
    edge = head.right_edge  # the parse can hang the colon on the label
    colon = edge.i if edge.text == ":" else edge.i + 1
    if head.dep_ != "nsubj" or colon >= len(doc) or doc[colon].text != ":":
        return None
    opening = head.left_edge
    if not (opening.i == 0 or opening.is_sent_start or "\n" in doc[opening.i - 1].text):
        return None  # a colon inside a sentence ("Their verdict: Russia lied") is no label
    return next(
        (
            child
            for child in head.head.children
            if child.dep_ in ("nsubj", "nsubjpass") and child.i > colon
        ),
        None,
    )


def _keep_past_address(doc: Doc, cue: Token, before: Span | None, after: Span | None) -> bool:
    """Whether the learnt span model, in re-choosing a source, took the one spoken to ("Colonel,
    the Russians say …") or a transcript's label ("Q: Russia said …") that the rules had gone
    past; the rules' choice then stands."""
    if before is None or after is None:
        return False
    return any(
        child.dep_ == "nsubj"
        and (_addressed(child) is not None or _past_label(child) is not None)
        and after.start <= child.idx < after.end
        and not before.start <= child.idx < before.end
        for child in cue.children
    )


def _asked(cue: Token, subject: Token) -> bool:
    """ "Does my right hon. Friend accept that …?", "But can he tell the House what …?": a
    question put to someone, its auxiliary before their name, says nothing of what they hold.
    The clause is read from the sentence's start, or from a transcript's label before a
    colon, past a leading "But" or "And"."""
    sentence = cue.sent
    last = next((t for t in reversed(sentence) if not t.is_space), None)
    if last is None or last.text != "?" or subject.i > cue.i:
        return False
    opening = [t for t in sentence if t.i < cue.i]
    colons = [n for n, t in enumerate(opening) if t.text.endswith(":")]
    if colons:
        opening = opening[colons[-1] + 1 :]
    words = [t for t in opening if not t.is_space]
    comma = next((n for n, t in enumerate(words) if t.text == ","), None)
    if comma is not None and 0 < comma <= 3 and all(t.pos_ == "PROPN" for t in words[:comma]):
        opening = words[comma + 1 :]  # "Dmitri, are you saying …?": the one spoken to first
    opening = [t for t in opening if not (t.is_space or t.is_punct or t.dep_ in ("cc", "intj"))]
    return bool(opening) and (opening[0].tag_ == "MD" or opening[0].pos_ == "AUX")


def _source_tokens(head: Token) -> list[Token]:
    """The source noun phrase, without relative clauses hanging off it, nor a phrase of when
    the parse hung on it ("Trump on Tuesday dismissed …")."""
    dropped: set[int] = set()
    for child in head.children:
        if child.i > head.i and (
            child.dep_ in _SOURCE_DROPPED
            or (child.dep_ == "prep" and _only_when(child))
            or (child.dep_ == "npadvmod" and _all_time(child))  # "Trump this week said"
            # "The witness elsewhere says …": where or when in the text the saying comes, hung
            # on the subject by the parse, is the verb's, no part of who says it
            or (child.dep_ == "advmod" and child.lower_ in _WHERE_SAID_ELSE)
        ):
            dropped |= {token.i for token in child.subtree}
    tokens = [token for token in head.subtree if token.i not in dropped]
    if head.pos_ == "PROPN" and head.dep_ in ("nsubj", "nsubjpass"):
        # "President Bashar al-Assad has called …": the parse can split a name into several
        # subjects of one verb; the names just before the head are the same person's
        first = min(tokens, key=lambda t: t.i)
        while first.i > 0:
            before = head.doc[first.i - 1]
            if before.pos_ != "PROPN" or (before.is_punct and before.text != "-"):
                break  # "Q: Russia said", "Colonel, the Russians say": a label, one spoken to
            while before.head != head.head and before.dep_ in ("compound", "appos", "flat"):
                before = before.head  # "Bashar" hung on "President", itself a subject
            if (
                before == head
                or before.head != head.head
                or before.dep_ != head.dep_
                or before.pos_ != "PROPN"
            ):
                break
            tokens += [t for t in before.subtree if t.i not in dropped and t not in tokens]
            first = min(before.subtree, key=lambda t: t.i)
    tokens = _trim(_paragraph(_contiguous(tokens, head), head))
    # '"…," Amal Hassan, 34, of Idlib, said': the parse can hang the quotation's closing mark
    # on the speaker after it
    while tokens and tokens[0].text in _QUOTE_MARKS and tokens[0] != head:
        tokens = _trim(tokens[1:])
    return _whole_words(tokens)


# Focusing words the writer puts before a speaker's name ("Even the OPCW admits …"): they
# weigh the saying; they are no part of who said it ("only" and "just" stay: "only a quarter
# of Americans agree" counts the speakers).
_FOCUS = frozenset({"even", "also"})


def _cut_focus(doc: Doc, found: list[Attribution]) -> None:
    """ "Even the OPCW admits that …": a source that opens with the writer's focusing word
    loses it, and the speaker is named without it (the relation was kept or dropped with the
    word in place, as the model learnt it)."""
    for item in found:
        source = item.source
        if source is None or source.parts:
            continue
        words = doc.char_span(source.start, source.end, alignment_mode="expand")
        if words is None or len(words) < 2:
            continue
        first = words[0]
        if first.lower_ not in _FOCUS or first.dep_ not in ("advmod", "preconj"):
            continue
        rest = _trim(list(words[1:]))
        if rest:  # the source keeps its own end ("Even China, …, said": the comma stays)
            item.source, item.speaker = _span(doc, rest[0].idx, source.end), describe(rest)


def _object_list_taken_for_clause(doc: Doc, found: list[Attribution]) -> None:
    """ "The Mission reported sarin, its degradation product IMPA and hexamine in the samples":
    the parse can read the list after the first object as a reported clause headed by a word
    that is no verb ("IMPA"), and the content loses its first item. A content that is such a
    verbless clause, after a comma that follows the cue's object, takes the object back."""
    for item in found:
        if item.cue_i < 0 or item.content.parts:
            continue
        cue = doc[item.cue_i]
        clause = next(
            (
                c
                for c in cue.children
                if c.dep_ == "ccomp" and c.left_edge.idx <= item.content.start <= c.idx
            ),
            None,
        )
        if (
            clause is None
            or clause.pos_ in ("VERB", "AUX")
            or any(c.dep_ in ("aux", "auxpass", "cop", "mark") for c in clause.children)
        ):
            continue
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i < clause.i), None)
        if obj is None or obj.left_edge.i != cue.i + 1 or doc[obj.right_edge.i + 1].text != ",":
            continue
        item.content = _span(doc, obj.left_edge.idx, item.content.end)


# A numbered paragraph's number at the start of a line: "4. ", "(4) ", "4) ".
# A paragraph's number, and a transcript's "Q." before a question, whose words the parse can
# take into the subject after it ("Q. Professor Postol has written that …").
_PARAGRAPH_NUMBER = re.compile(
    r"(?:\(\d{1,3}\)|\d{1,3}(?:\.\d{1,3}){0,3}[.)]|\d{1,3}(?:\.\d{1,3}){1,3}|Q[.:])[^\S\n]+"
    r"(?!(?:million|billion|thousand|per|percent)\b)(?=\S)"
)


def _cut_paragraph_numbers(doc: Doc, found: list[Attribution]) -> None:
    """ "4. Complainant A, whose wife died in the attack, states that …": a complaint's or a
    report's paragraph number, which the parse can hang on the subject after it, is where the
    paragraph stands, not part of who speaks."""
    text = text_of(doc)
    for item in found:
        source = item.source
        if source is None or source.parts:
            continue
        number = _PARAGRAPH_NUMBER.match(source.text)
        before = text[: source.start].rstrip(" \t")
        if number is None or not (before == "" or before.endswith("\n")):
            continue
        start = source.start + number.end()
        words = doc.char_span(start, source.end, alignment_mode="expand")
        rest = _trim(list(words)) if words is not None else []
        if rest:
            item.source, item.speaker = _span(doc, start, source.end), describe(rest)


def _cut_turn_brackets(doc: Doc, found: list[Attribution]) -> None:
    """ "[Correspondent] Political analyst Dr. Hassan Barakat believes that …": a broadcast
    script's bracketed mark of whose turn a paragraph is, which the parse can take into the
    subject after it (its opening bracket left out), is the script's, not part of who speaks;
    the source starts after the closing bracket."""
    for item in found:
        source = item.source
        if source is None or source.parts:
            continue
        closing = source.text.find("]")
        if closing < 0 or "[" in source.text[:closing]:
            continue
        start = source.start + closing + 1
        words = doc.char_span(start, source.end, alignment_mode="expand")
        rest = _trim([t for t in words if not t.is_space]) if words is not None else []
        if rest:
            item.source = _span(doc, rest[0].idx, source.end)
            item.speaker = describe(rest)


# The subject of a correction appended to a story: the paper's own earlier text.
_EARLIER_VERSION = re.compile(
    r"(?:an?|the)\s+(?:earlier|previous|original)\s+version\s+of\s+th(?:is|e)\s+"
    r"(?:article|story|report|piece|post|item)$",
    re.I,
)


def _earlier_version(item: Attribution) -> bool:
    """ "Correction: An earlier version of this article attributed a statement to the
    ministry": what a correction says the paper's own earlier text did is the paper owning a
    mistake, not a claim about the events reported (what the correction says the ministry
    said is read on its own)."""
    return item.source is not None and bool(_EARLIER_VERSION.match(item.source.text.strip()))


def _cut_bullet_marks(doc: Doc, found: list[Attribution]) -> None:
    """ "• Doctors at a field hospital described …": a list's bullet opening the line is where
    the item starts, not part of who speaks; after a line ending in a full stop the parse can
    take the mark into the subject (a hyphen is already trimmed as punctuation)."""
    text = text_of(doc)
    for item in found:
        source = item.source
        if source is None or source.parts or source.text[:1] not in _BULLETS:
            continue
        before = text[: source.start].rstrip(" \t")
        if not (before == "" or before.endswith("\n")):
            continue
        start = source.start + 1
        while start < source.end and text[start].isspace():
            start += 1
        words = doc.char_span(start, source.end, alignment_mode="expand")
        rest = _trim(list(words)) if words is not None else []
        if rest:
            item.source, item.speaker = _span(doc, start, source.end), describe(rest)


# A tag that turns a statement into a question put to a witness: "…, correct?", "…, right?",
# "…, isn't that so?".
_QUESTION_TAG = re.compile(
    r",[^\S\n]+(?:correct|right|true|yes|no|isn'?t[^\S\n]+(?:it|that[^\S\n]+so|that[^\S\n]+right)"
    r"|didn'?t[^\S\n]+(?:they|he|she|it|you)|don'?t[^\S\n]+you[^\S\n]+agree|is[^\S\n]+that[^\S\n]+right)"
    r"[?.]?$",
    re.I,
)


# Verbs by which a body adopts a text: a vote or a formality, not a saying.
_ADOPTING = frozenset({"approve", "adopt", "ratify", "endorse", "pass", "carry"})


def _adopted_by_no_one(doc: Doc, item: Attribution) -> bool:
    """ "The minutes of the 41st meeting were approved without amendment": a text adopted, in
    the passive with no one named as adopting it, is a record of business done, not a claim
    ("The Council adopted a resolution that …" names a body, and stays as the rules read it)."""
    if item.source is not None or item.cue_i < 0 or not item.how.endswith("/nsubjpass"):
        return False
    cue = doc[item.cue_i]
    subject = next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
    return (
        cue.lemma_ in _ADOPTING
        and not any(c.dep_ == "agent" for c in cue.children)
        # a meeting's own papers; "The plan was approved" in news is a decision PolNeAR marks
        and subject is not None
        and subject.lemma_.lower() in _MEETING_PAPERS
    )


# What a meeting approves of its own business: "The minutes … were approved", "The agenda was
# adopted".
_MEETING_PAPERS = frozenset({"minute", "minutes", "agenda", "record", "order"})


def _put_to_the_witness(doc: Doc, item: Attribution) -> bool:
    """ "Q. So you cannot say who handled those samples?": in a question line of a court's
    transcript, what "you" say is what the witness is asked to grant, not a claim of anyone's
    (what others said, "Q. Professor Postol has written that …", stays theirs). Only a
    transcript's "Q." with its "A." answers: a printed interview's "Q: You've been talking
    about …" tells what the one interviewed said, as PolNeAR marks it."""
    source = item.source
    if source is None or (source.text.lower() != "you" and not _asked_whether_said(doc, item)):
        return False
    text = text_of(doc)
    line = text.rfind("\n", 0, source.start) + 1
    return (
        _WITNESS_QUESTION.match(text, line) is not None and _WITNESS_ANSWER.search(text) is not None
    )


def _asked_whether_said(doc: Doc, item: Attribution) -> bool:
    """ "Q. Did anyone at the hospital say what the substance was?": a question turned about
    ("did" before its subject) asks whether something was said; it reports no saying. A
    statement put for the witness to grant ("Q. And the army told the Council that …,
    correct?") is not turned about and stays."""
    if item.cue_i < 0:
        return False
    cue = doc[item.cue_i]
    subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    return subject is not None and any(
        c.dep_ == "aux" and c.i < subject.i and c.lemma_ in ("do", "have", "will", "can")
        for c in cue.children
    )


# A court transcript's question and answer lines: "Q. Did you see …?", "A. Yes."
_WITNESS_QUESTION = re.compile(r"[^\S\n]*Q\.[^\S\n]+\S")
_WITNESS_ANSWER = re.compile(r"^[^\S\n]*A\.[^\S\n]+\S", re.M)


def _cut_question_tags(found: list[Attribution]) -> None:
    """ "And the Russian government told the Council that it was staged, correct?": a
    cross-examiner's tag asks the witness to agree; it is no part of what was told."""
    for item in found:
        content = item.content
        if content.parts:
            continue
        tag = _QUESTION_TAG.search(content.text)
        if tag is None or tag.start() < 3:
            continue
        end = content.start + tag.start()
        item.content = Span(content.text[: tag.start()], content.start, end)


def _cut_open_bracket(doc: Doc, found: list[Attribution]) -> None:
    """'dismissed these views as "fringe" (Tr. 212:4)': a brief's or a judgment's citation
    of the record in brackets after what was said is no part of it; the parse keeps its
    opening bracket and words and drops the closing one. A content that ends in a bracket
    opened and not closed, around a citation's numbers, ends before it."""
    text = text_of(doc)
    for item in found:
        content = item.content
        if content.parts:
            continue
        opened = _OPEN_BRACKET_AT_END.search(content.text)
        if opened is None or opened.start() < 3:
            continue
        closed = _CLOSED_AT_CLAUSE_END.match(text, content.end)
        if closed is None:
            continue  # "a donor to Sen. Marco Rubio (R-FL) to attack …": a content cut short
        if not any(char.isdigit() for char in opened.group() + closed.group()):
            continue  # "Sen. Ted Cruz (R-Tex.), that …": a party and state, no page cited
        cut = content.text[: opened.start()].rstrip()
        item.content = Span(cut, content.start, content.start + len(cut))


_OPEN_BRACKET_AT_END = re.compile(r"\s*\([^()]*$")
# The closing bracket right after a content, then the clause's end.
_CLOSED_AT_CLAUSE_END = re.compile(r"[^()\n]{0,20}\)\s*(?:[,.;:]|$)")


# A log entry's time and the initials of whoever wrote it, before a dash: "10:10 MB — ".
_LOG_MARK = re.compile(r"(?:\d{1,2}[:.]\d{2}[^\S\n]+)?[A-Z]{2,3}[^\S\n]*[—–-][^\S\n]+")
_LOG_TIME = re.compile(r"[^\S\n]*\d{1,2}[:.]\d{2}[^\S\n]+\Z")
_LOG_CLOCK = re.compile(r"\d{1,2}:\d{2}[^\S\n]+(?=[A-Z])")


def _cut_log_marks(doc: Doc, found: list[Attribution]) -> None:
    """ "10:10 MB — Russian MoD (Konashenkov) says …": a desk log's entry opens with its time
    and the writer's initials, which the parse can hang on the subject after them; they say
    when and by whom the entry was written, not who spoke. Only on a line that opens with the
    time, so that a name's initials elsewhere ("JT — the ministry") are left alone."""
    text = text_of(doc)
    for item in found:
        source = item.source
        if source is None or source.parts:
            continue
        mark = _LOG_MARK.match(source.text)
        line = text[text.rfind("\n", 0, source.start) + 1 : source.start]
        if mark is None and line.strip() == "":
            # "10:05 RH explained the purpose of the interview": an interview log's entry opens
            # with its clock time alone, before the one whose words it notes
            mark = _LOG_CLOCK.match(source.text)
        if mark is None or mark.end() >= len(source.text):
            continue
        timed = source.text[: mark.end()].strip()[:1].isdigit()
        if not (timed and line.strip() == "") and _LOG_TIME.fullmatch(line) is None:
            continue
        start = source.start + mark.end()
        words = doc.char_span(start, source.end, alignment_mode="expand")
        rest = _trim(list(words)) if words is not None else []
        if not rest:
            continue
        initials = mark.group().split()[-2] if len(mark.group().split()) > 1 else ""
        item.source = _span(doc, start, source.end)
        if item.speaker is None or initials in item.speaker.name.split():
            item.speaker = describe(rest)


# Verbs of saying in the third person that the tagger, after a date or a count, may read as
# plural nouns ("since 6 April claims that …").
_SAYS_AS_NOUN = frozenset(
    {"claims", "says", "alleges", "insists", "argues", "asserts", "suggests", "states"}
    | {"maintains", "warns"}
)
# What is done to a post by others: "A post shared 40,000 times", "a video viewed a million times".
_POSTED = frozenset(
    {"share", "post", "publish", "view", "retweet", "circulate", "upload", "watch", "like"}
)


def _post_that_claims(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "A post shared more than 40,000 times on Facebook since 6 April claims that the victims
    …": the participle that describes the post is read as its verb and the real verb as a
    noun ("April claims") or as a clause of time ("since March claims that"); the post, with
    all that describes it, claims the clause. The reading of the participle as a cue gives
    way."""
    made = []
    for says in doc:
        if says.lower_ not in _SAYS_AS_NOUN or says.i + 1 >= len(doc):
            continue
        if says.tag_ == "VBZ":
            # "… on YouTube since March claims that …": the verb read as a clause of time,
            # with the date for its subject
            subject = next((c for c in says.children if c.dep_ == "nsubj"), None)
            if says.dep_ != "advcl" or not (
                subject is None
                or subject.ent_type_ in ("DATE", "TIME")
                or any(c.dep_ == "mark" and c.lower_ == "since" for c in says.children)
            ):
                continue
        elif says.tag_ != "NNS":
            continue
        that = doc[says.i + 1]
        if that.lower_ != "that" or that.dep_ != "mark":
            continue
        node, posted = says, None
        for _ in range(6):
            node = node.head
            if node.lemma_ in _POSTED and node.tag_ in ("VBD", "VBN"):
                posted = node
                break
            if node.dep_ == "ROOT":
                break
        if posted is None:
            continue
        post = next((c for c in posted.children if c.dep_ == "nsubj" and c.i < posted.i), None)
        if post is None or post.pos_ != "NOUN":
            continue
        sentence = says.sent
        said = _trim([t for t in sentence if t.i >= that.i])
        source = _token_span(list(doc[post.left_edge.i : says.i]))
        content = _token_span(said)
        if source is None or content is None:
            continue
        cue = _span(doc, says.idx, says.idx + len(says.text))
        whole = _span(doc, sentence.start_char, sentence.end_char)
        speaker = describe(list(doc[post.left_edge.i : post.i + 1]))
        made.append(
            Attribution(
                cue, content, source, speaker, whole, "claim/VERB", how="posted/ccomp", cue_i=says.i
            )
        )
        found[:] = [
            item
            for item in found
            if item.cue_i != posted.i and not (that.idx <= item.content.start < content.end)
        ]
    return made


# What posts and pages claim as they are passed on: "shared memes claiming that …".
_POSTS_CLAIMING = frozenset(
    {"claim", "allege", "say", "suggest", "assert", "insist", "argue", "state"}
)
_POSTED_THINGS = frozenset(
    {"post", "tweet", "video", "message", "comment", "thread", "meme", "article", "image"}
    | {"photo", "picture", "leaflet", "page", "account", "channel", "story"}
)


def _posts_claiming(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "They shared memes claiming that the Douma attack was filmed in a studio": the memes
    claim the clause, whoever passed them on (the sharing is kept as it is read)."""
    taken = {item.cue_i: item for item in found}
    made = []
    for cue in doc:
        if cue.tag_ != "VBG" or cue.lemma_.lower() not in _POSTS_CLAIMING:
            continue
        post = cue.head
        if cue.dep_ == "advcl":
            # "forwarded a leaflet alleging that …", the participle hung on the verb: the
            # object right before it, with no comma between, is what alleges
            post = next((c for c in cue.head.children if c.dep_ == "dobj"), cue)
            if post.right_edge.i != cue.i - 1:
                continue
        elif cue.dep_ != "acl":
            continue
        if post.lemma_.lower() not in _POSTED_THINGS or post.i > cue.i:
            continue
        clause = next((c for c in cue.children if c.dep_ == "ccomp"), None)
        if clause is None or not any(
            c.dep_ == "mark" and c.lower_ == "that" for c in clause.children
        ):
            continue
        content = _token_span(_trim(list(clause.subtree)))
        inside = {t.i for t in cue.subtree}
        named = _trim([t for t in post.subtree if t.i not in inside and t.i <= post.i])
        if content is None or not named:
            continue
        if cue.i in taken:
            item = taken[cue.i]
            item.source, item.speaker = _token_span(named), describe(named)
            continue
        made += _one_word_cue(cue, content, named, key_of(cue), "posted/acl")
    return made


def _subject_as_compound(doc: Doc, found: list[Attribution]) -> None:
    """ "Russian state TV reporting that "terrorists" staged an incident": a note's verbless
    sentence whose participle the parse makes the head of the noun before it ("TV" as its
    compound); that noun phrase, right before the participle, is who reports."""
    for item in found:
        if item.source is not None or item.cue_i < 1:
            continue
        cue = doc[item.cue_i]
        if cue.tag_ != "VBG" or cue.dep_ != "ROOT":
            continue
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children):
            continue
        noun = doc[cue.i - 1]
        if noun.head != cue or noun.dep_ != "compound" or noun.pos_ not in ("NOUN", "PROPN"):
            continue
        named = _trim([t for t in noun.subtree if t.i < cue.i])
        if named:
            item.source, item.speaker = _token_span(named), describe(named)


def _subject_of_the_first_conjunct(doc: Doc, found: list[Attribution]) -> None:
    """ "The Committee is concerned that the mandate lapsed after the vetoes, and recommends
    that …": the parse hangs the second verb inside the first one's clause and gives it that
    clause's words, up to "and", for a subject; a noun phrase never ends in "and", and the one
    who recommends is the subject of the sentence's first verb."""
    for item in found:
        if item.source is None or item.cue_i < 0:
            continue
        words = item.source.text.rstrip(" ,").split()
        if not words or words[-1].lower() not in ("and", "but"):
            continue
        cue = doc[item.cue_i]
        above = cue.head
        while above.dep_ not in ("ROOT", "ccomp", "conj") and above.head != above:
            above = above.head
        if cue.dep_ != "ccomp" or above.dep_ != "ROOT":
            continue
        subjects = [c for c in above.children if c.dep_ == "nsubj" and c.idx < item.source.start]
        if len(subjects) != 1:
            continue
        named = _trim(list(subjects[0].subtree))
        if named:
            item.source, item.speaker = _token_span(named), describe(named)


def _says_set_inside(doc: Doc, found: list[Attribution]) -> None:
    """ "The lesson, says media researcher Dana Whitfield, is simple": a cue set between commas
    inside the sentence it reports, after its subject and before its verb, with its speaker
    after it. The parse may give the cue the sentence's subject as its own, or take the rest
    of the sentence for what was said; the speaker is the one after the cue, and what was said
    the sentence on both sides of the aside."""
    for item in found:
        if item.cue_i < 2 or item.content.parts:
            continue
        cue = doc[item.cue_i]
        if (
            cue.lemma_ not in _ASIDE_CUES
            or cue.tag_ not in ("VBZ", "VBD")
            or cue.nbor(-1).text != ","
        ):
            continue
        sentence = cue.sent
        first = _trim([t for t in sentence if t.i < cue.i - 1])
        close = next((t for t in sentence if t.i > cue.i and t.text == ","), None)
        if not first or close is None:
            continue
        speaker = _trim([t for t in sentence if cue.i < t.i < close.i])
        rest = _trim([t for t in sentence if t.i > close.i])
        if (
            not speaker
            or not rest
            or any(t.pos_ in ("VERB", "AUX") for t in first + speaker)
            or not any(t.pos_ in ("NOUN", "PROPN") for t in speaker)
            or not any(t.pos_ in ("NOUN", "PRON", "PROPN") for t in first)
            or rest[0].pos_ not in ("VERB", "AUX")
        ):
            continue
        opened, closed, named = _token_span(first), _token_span(rest), _token_span(speaker)
        if opened is None or closed is None or named is None:
            continue
        item.source, item.speaker = named, describe(speaker)
        item.content = joined([opened, closed])


# Verbs set between commas inside what they report: "The risk, says the minister, is growing".
_ASIDE_CUES = frozenset({"say", "add", "note", "argue", "insist", "warn", "explain", "write"})


# The writer's gloss on what was just said, set after it: ", a line that sounds cautious but
# is not", ", a phrase which has since become a slogan".
_GLOSS = re.compile(
    r",[^\S\n]+(?:a|an)[^\S\n]+(?:[a-z-]+[^\S\n]+)?(?:line|remark|phrase|refrain|slogan"
    r"|formula|comment|assertion|statement|claim)[^\S\n]+(?:that|which)[^\S\n]"
)


def _cut_writers_gloss(doc: Doc, found: list[Attribution]) -> None:
    """'told his followers that "nobody can know what happened", a line that sounds cautious
    but is not': the gloss after the words, a noun for them with a clause of its own, is the
    writer's comment, not part of what was said."""
    text = text_of(doc)
    for item in found:
        content = item.content
        if content.parts:
            continue
        gloss = _GLOSS.search(content.text)
        if gloss is None or gloss.start() == 0:
            continue
        item.content = _span_chars(text, content.start, content.start + gloss.start())


def _close_source_quotes(doc: Doc, found: list[Attribution]) -> None:
    """ "Another viral tweet, from an account calling itself "Syria Truth Now", asserted …": the
    parse hangs the closing quotation mark of a name inside the source on the verb, so the
    source would stop inside the quotation; it takes the mark back (and the comma after it,
    which closes the phrase the source opened with a comma)."""
    text = text_of(doc)
    for item in found:
        source = item.source
        if source is None or source.parts:
            continue
        straight = source.text.count('"') % 2 == 1
        curly = source.text.count("“") > source.text.count("”")
        end = source.end
        if not (straight and text.startswith('"', end)) and not (
            curly and text.startswith("”", end)
        ):
            continue
        end += 1
        if text.startswith(",", end) and "," in source.text:
            end += 1
        item.source = _span(doc, source.start, end)


# A word joined by a hyphen to the head of a source, written without spaces: "co-author",
# "ex-minister", "pro-government outlets".
_HYPHEN_PREFIX = re.compile(r"[A-Za-z]+-$")


def _hyphened_source(doc: Doc, found: list[Attribution]) -> None:
    """ "said co-author Dr. Rachel Ode": the parse splits "co-author" at its hyphen and takes
    "co" for the verb's subject, so the source would open at "author"; a source that opens
    just after a hyphen written inside a word takes the word's first part back."""
    text = text_of(doc)
    for item in found:
        source = item.source
        if source is None or source.parts or not source.text[:1].isalpha():
            continue
        prefix = _HYPHEN_PREFIX.search(text, max(0, source.start - 12), source.start)
        if prefix is None or prefix.end() != source.start:
            continue
        item.source = _span(doc, prefix.start(), source.end)


def _et_al_source(doc: Doc, found: list[Attribution]) -> None:
    """ "Kim et al. reported that …": a paper's authors cited by the first one's name; the
    tokenizer takes the abbreviation's full stop for the sentence's, so the source would end
    at "et al"; it keeps its stop, as written."""
    text = text_of(doc)
    for item in found:
        source = item.source
        if source is None or source.parts or not source.text.endswith(" et al"):
            continue
        if text.startswith(".", source.end):
            item.source = _span(doc, source.start, source.end + 1)


def _et_al_split(doc: Doc, found: list[Attribution]) -> None:
    """ "Okumura et al., writing on …, did not report …", "a study by Smith et al. found …":
    the parser may tag "et" and "al" as names of their own, so that the source ends at "et" or
    is "al" alone. Cited authors are the first one's name with "et al.", whole; the speaker is
    that first author."""
    text = text_of(doc)
    for item in found:
        source = item.source
        if source is None or source.parts:
            continue
        after = re.match(r"[^\S\n]+al\b\.?", text[source.end : source.end + 6])
        if source.text.endswith(" et") and after is not None:
            item.source = _span(doc, source.start, source.end + after.end())
            if item.speaker is not None and item.speaker.name.endswith(" et"):
                item.speaker = replace(item.speaker, name=item.speaker.name[:-3])
            continue
        before = re.search(r"\b([A-Z][\w'’-]+)[^\S\n]+et[^\S\n]+\Z", text[: source.start])
        if source.text in ("al", "al.") and before is not None:
            end = source.end + (1 if text.startswith(".", source.end) else 0)
            item.source = _span(doc, before.start(1), end)
            name = doc.char_span(*before.span(1))
            if name is not None:
                item.speaker = describe(list(name))


def _as_role_puts_it(doc: Doc, found: list[Attribution]) -> None:
    """ "as one trainer, Ruth Okafor, puts it: …": the parse takes the role for the object of
    "as" and the name alone for the subject; the source is the role with its name, as an
    apposition before a verb of saying is elsewhere ("A spokesman for the group, Ibrahim Abu
    Laith,")."""
    for item in found:
        source = item.source
        if source is None or source.parts or item.cue_i < 0:
            continue
        cue = doc[item.cue_i]
        subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ != "PROPN" or subject.ent_type_ != "PERSON":
            continue
        first = subject.left_edge
        if first.i < 2 or doc[first.i - 1].text != ",":
            continue
        role = doc[first.i - 2]
        as_ = role.head
        if (
            role.dep_ != "pobj"
            or as_.lower_ != "as"
            or as_.head != cue
            or (
                _singular(role.lower_) not in _ROLES | _PEOPLE_NOUNS
                and role.lower_ not in ("trainer", "researcher", "editor", "reporter", "author")
            )
        ):
            continue
        start = doc[as_.i + 1].idx
        end = source.end
        if doc[subject.i + 1].text == "," and doc[subject.i + 1].idx >= end:
            end = doc[subject.i + 1].idx + 1
        item.source = _span(doc, start, end)


# Evidence a checker sets side by side: comparing it is a method, not a saying ("We compared
# the stills in the post with the 2013 videos"); comparing a person ("compared Assad to …")
# likens and stays.
_COMPARED = frozenset(
    {"still", "video", "photo", "photograph", "image", "picture", "frame", "footage", "sample"}
    | {"recording", "clip", "timestamp", "record", "screenshot", "satellite"}
)


def _evidence_compared(doc: Doc, item: Attribution) -> bool:
    """ "We compared the stills in the post with the 2013 videos frame by frame": a check done
    on evidence is the checker's method; what it found is said next, or not at all."""
    cue = doc[item.cue_i]
    if cue.lemma_ != "compare":
        return False
    obj = next((c for c in cue.children if c.dep_ == "dobj"), None)
    return obj is not None and _singular(obj.lower_) in _COMPARED


# What a narrative or a campaign is said to do that is no saying: it "seeks to" clear someone,
# "echoes" or "mirrors" earlier claims.
_AIMING = frozenset({"seek", "aim", "echo", "mirror", "resemble"})


def _narrative_aims(doc: Doc, item: Attribution) -> bool:
    """ "a recurring narrative that seeks to clear the government", "The narrative echoes
    earlier claims": a story that cannot speak, said to aim at or to resemble something, is the
    writer's reading of it, not a claim of the story's."""
    cue = doc[item.cue_i]
    if cue.lemma_ not in _AIMING:
        return False
    subject = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return False
    if subject.tag_ in ("WDT", "WP") and cue.dep_ == "relcl":
        subject = cue.head  # "a narrative that seeks to …"
    return subject.lemma_.lower() in _STORIES


# What is told about an event without being anyone's statement (a lawsuit that "seeks damages"
# or a report that "echoes" another is a document, and a campaign that "is seeking to" is
# people; they stay).
_STORIES = frozenset(
    {"narrative", "story", "theory", "myth", "trope", "conspiracy", "disinformation"}
)


# A case record's field naming who published what it records: "Outlet: RT Arabic
# (rtarabic.com)", "Publisher: Sputnik".
_FIELD_NAME = re.compile(
    r"^[^\S\n]*(?P<field>Outlet|Media outlet|Publisher)[^\S\n]*:[^\S\n]*"
    r"(?P<name>[A-Z][^\n(,;]{1,60}?)[^\S\n]*(?:\(|$)",
    re.M,
)


def _named_in_field(doc: Doc, found: list[Attribution]) -> None:
    """ "the outlet alleges …" in a disinformation database's record whose "Outlet:" field names
    it: the outlet is the one the field names."""
    fields = {
        match.group("field").split()[-1].lower(): match.group("name").strip()
        for match in _FIELD_NAME.finditer(text_of(doc))
    }
    for item in found:
        speaker = item.speaker
        if speaker is None or item.source is None:
            continue
        name = fields.get(speaker.name.lower())
        if name and _strip_article(item.source.text).lower() == speaker.name.lower():
            item.speaker = Speaker(name=name, type="organisation", resolved_from=item.source.text)


# The words of a share after its figure: "68 per cent of respondents", "41 percent".
_SHARE = re.compile(r"(?:per[^\S\n]+cent|percent)\b", re.I)


def _figure_before_its_measure(doc: Doc, found: list[Attribution]) -> None:
    """ "68 per cent of respondents said …" at the head of a line: the parser can take a figure
    that opens a line for a list's number, a sentence of its own, and leave the share's words
    ("per cent of respondents") as the subject; the figure just before them, on the same line,
    is part of who speaks."""
    text = text_of(doc)
    for item in found:
        source = item.source
        if source is None or source.parts or not _SHARE.match(source.text):
            continue
        figure = re.search(r"(?<![\w.,])\d[\d.,]*[^\S\n]+$", text[: source.start])
        if figure is None:
            continue
        start = figure.start()
        words = doc.char_span(start, source.end, alignment_mode="expand")
        if words is not None:
            item.source, item.speaker = _span(doc, start, source.end), describe(list(words))


# Nouns for what others said, whose that-clause a cue responds to rather than asserts.
_REPORTED_NOUNS = frozenset(
    {"report", "claim", "allegation", "suggestion", "rumour", "rumor", "speculation"}
    | {"accusation", "charge", "assertion", "question"}
)


def _widen_to_reports(doc: Doc, found: list[Attribution]) -> None:
    """ "Neither the Pentagon nor the White House commented on reports that new strikes were
    being prepared": what they commented on is the reports, not that strikes were prepared;
    a content that is only the that-clause of such a noun takes the noun back in."""
    for item in found:
        if item.cue_i < 0 or item.content.parts:
            continue
        span = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
        root = span.root if span is not None else None
        if root is None or root.dep_ not in ("acl", "ccomp"):
            continue
        noun = root.head
        prep = noun.head
        if (
            noun.lemma_ in _REPORTED_NOUNS
            and noun.dep_ == "pobj"
            and prep.dep_ == "prep"
            and prep.lower_ in ("on", "to", "about", "over", "for", "against")  # not "in a report"
            and prep.head.i == item.cue_i
        ):
            item.content = _span(doc, noun.left_edge.idx, item.content.end)


# A form of address opening a question put to someone: "Mr. President, the whole world …".
_VOCATIVE = re.compile(
    r"(?:(?:Mr\.|Madam)[^\S\n]+(?:Prime[^\S\n]+Minister|Foreign[^\S\n]+Minister|President|"
    r"Minister|Secretary|Ambassador|Chairman|Chair|Speaker)|Sir|Senator|General|Doctor|Minister|"
    r"Ambassador|Your[^\S\n]+Excellency),[^\S\n]+(?=\S)"
)


def _cut_vocatives(doc: Doc, found: list[Attribution]) -> None:
    """A source that opens with a form of address at a sentence's start (or after a
    transcript's label) loses it: in "Mr. President, the whole world has seen the pictures"
    the world has seen them; the president is the one spoken to."""
    text = text_of(doc)
    for item in found:
        source = item.source
        if source is None:
            continue
        address = _VOCATIVE.match(source.text)
        before = text[: source.start].rstrip(" \t")
        if address is None and before.endswith(":"):
            address = _addressed_by_name(source.text, text)
        if address is None or not (before == "" or before.endswith(("\n", ":", ".", "?"))):
            continue
        start = source.start + address.end()
        span = doc.char_span(start, source.end, alignment_mode="expand")
        tokens = list(span) if span is not None else []
        if tokens:
            item.source = _span(doc, start, source.end)
            item.speaker = describe(tokens)


def _fronted_place(doc: Doc, found: list[Attribution]) -> None:
    """ "Months later, in The Hague, an official of the mission, who …, told me that …": the
    place set before the subject (after "in", "at" or "from") is where it was said, not who
    said it; the parse can take the place for the subject and the speaker for its apposition.
    The source is the phrase after the place's comma, when that names someone ("an official",
    "a spokesman", "two witnesses")."""
    text = text_of(doc)
    for item in found:
        source = item.source
        if source is None or not re.search(r"\b(?:in|at|from)\s+$", text[: source.start]):
            continue
        place = next(
            (
                ent
                for ent in ents_of(doc)
                if ent.label_ in ("GPE", "LOC", "FAC")
                and source.start <= ent.start_char <= source.start + 4  # "The Hague"
                and text.startswith(", ", ent.end_char)
            ),
            None,
        )
        if place is None:
            continue
        start = place.end_char + 2
        span = doc.char_span(start, source.end, alignment_mode="expand")
        if span is None or not (
            span.root.ent_type_ == "PERSON"
            or _singular(span.root.lower_) in _ROLES | _PEOPLE_NOUNS | _WITNESSES
        ):
            continue
        item.source = _span(doc, start, source.end)
        item.speaker = describe(_trim(list(span)))


def _addressed_by_name(source: str, text: str) -> re.Match[str] | None:
    """A turn opening with the given name of the one it answers: in a transcript's "REEVE:
    Jane, doctors here have been telling me …" the doctors have been telling; Jane is the
    presenter spoken to, named in full elsewhere ("JANE MORRIS"). ("Russia, its ally, says …"
    opens with no one's given name.)"""
    match = _NAME_ADDRESSED.match(source)
    if match is None or "," in source[match.end() :] or is_place(match.group(1).title()):
        return None  # "Russia, its ally, says …": an apposition closes with its comma
    name = match.group(1)
    named = re.search(rf"\b(?i:{name})[^\S\n]+[A-Z][A-Za-z'-]+", text) is not None
    return match if is_given_name(name) or named else None


# A given name and its comma before a lower-case subject: "Jane, doctors here".
_NAME_ADDRESSED = re.compile(r"([A-Z][a-z]+),[^\S\n]+(?=[a-z])")


# "the right hon. Lady": the noun a parliament's courtesy title goes with.
_COURTESY_NOUN = re.compile(r"[^\S\n]+(?:Lady|Gentleman|Friend|Member|Members|Ladies|Gentlemen)\b")


def _courtesy_titles(doc: Doc, found: list[Attribution]) -> None:
    """ "I agree with the right hon. Lady": the parse makes "hon." and "Lady" two objects of the
    preposition, so a content or source that ends at "hon." takes the noun after it back."""
    text = text_of(doc)
    for item in found:
        for name in ("content", "source"):
            span = getattr(item, name)
            if span is None or span.parts or not span.text.lower().endswith("hon."):
                continue
            noun = _COURTESY_NOUN.match(text, span.end)
            if noun is not None:
                setattr(item, name, _span(doc, span.start, noun.end()))


# What a site is called before its name: "the Russian social network VKontakte".
_SITE_WORDS = frozenset(["network", "site", "website", "platform", "app", "messenger", "channel"])


# The first word of an Arabic name by a child's name: "Umm Mohammed", "Abu Hamdi".
_KUNYA = frozenset({"Umm", "Um", "Abu", "Abou"})


def _with_kunya(tokens: list[Token]) -> list[Token]:
    """The speaker's tokens with the "Umm" or "Abu" the parse left out of the name (after a
    blanked dateline it can make "Umm" a sentence of its own)."""
    if not tokens or tokens[0].i == 0:
        return tokens
    before = tokens[0].doc[tokens[0].i - 1]
    return [before, *tokens] if before.text in _KUNYA and tokens[0].is_title else tokens


def _split_subject(tokens: list[Token]) -> Token | None:
    """ "the opposition Syrian National Coalition said": the parser can cut one noun phrase into
    two subjects side by side, a common noun and the name it describes. The first, when it
    ends right where the speaker's tokens begin; else None. The source span takes it in; the
    speaker is named from the name alone."""
    if not tokens:
        return None
    head = next((t for t in tokens if t.head.i == t.i or t.head not in tokens), None)
    if head is None or head.dep_ not in ("nsubj", "nsubjpass"):
        return None
    return next(
        (
            c
            for c in head.head.children
            if c.dep_ == head.dep_
            and c.pos_ in ("NOUN", "PROPN")
            and c.right_edge.i == tokens[0].i - 1
            and c.left_edge.dep_ in ("det", "poss")  # "the opposition", not "… public ― Trump"
            and (
                # a descriptor, not a phrase of its own
                (
                    len(list(c.subtree)) <= 4
                    and not any(t.is_punct or t.dep_ == "prep" for t in c.subtree)
                )
                # "A post on the Russian social network VKontakte claimed": the site's name
                or (c.right_edge.lower_ in _SITE_WORDS and not any(t.is_punct for t in c.subtree))
            )
            and not head.doc.text[c.right_edge.idx + len(c.right_edge) : tokens[0].idx].strip()
        ),
        None,
    )


def _all_time(phrase: Token) -> bool:
    """A phrase made of a time and nothing else ("this week", "last month")."""
    return all(
        token.ent_type_ in ("DATE", "TIME") or token.dep_ == "det" for token in phrase.subtree
    ) and any(token.ent_type_ in ("DATE", "TIME") for token in phrase.subtree)


_HYPHENS = frozenset({"-", "‐", "‑"})


def _whole_words(tokens: list[Token]) -> list[Token]:
    """A run of tokens that does not stop inside a hyphenated word: "President Bashar
    al-Assad" is tokenised "al", "-", "Assad", and the parser can hang the three on the verb
    one by one, so that the subject's subtree ends at "al"."""
    if not tokens:
        return tokens
    doc = tokens[0].doc
    last = tokens[-1].i
    extra: list[Token] = []
    while (
        last + 2 < len(doc)
        and not doc[last].whitespace_
        and doc[last + 1].text in _HYPHENS
        and not doc[last + 1].whitespace_
        and doc[last + 2].is_alpha
        and doc[last + 2].pos_ in ("PROPN", "NOUN")  # not "who co-developed"
    ):
        extra += [doc[last + 1], doc[last + 2]]
        last += 2
    return tokens + extra


def _only_when(phrase: Token) -> bool:
    """A phrase that is nothing but a time ("on Tuesday", "on Friday morning"), not one that
    merely holds one ("of the delegates selected Sunday") or measures an age ("of those 18 to
    35 years old")."""
    if phrase.lower_ not in ("on", "at", "during", "in"):
        return False
    rest = [token for token in phrase.subtree if token.i != phrase.i and token.dep_ != "det"]
    return bool(rest) and all(token.ent_type_ in ("DATE", "TIME") for token in rest)


def _paragraph(tokens: list[Token], anchor: Token) -> list[Token]:
    """Cut a run of tokens at paragraph breaks: a parse that runs over a blank line (a dateline,
    a timestamp, a heading) does not make one phrase of them."""
    low, high = 0, len(tokens)
    for position, token in enumerate(tokens):
        if (token.is_space and "\n" in token.text) or "\n" in token.whitespace_:
            if token.i < anchor.i:
                low = position + 1
            elif position + 1 < high:
                high = position + 1
                break
    return tokens[low:high]


def _through_infinitive(cue: Token, content: Span) -> Token | None:
    """The infinitive between a cue and its reported clause ("continues to believe that …",
    "refused to say whether …"), when the clause hangs on it; else None."""
    verb = next(
        (c for c in cue.children if c.dep_ == "xcomp" and c.tag_ == "VB" and c.i > cue.i), None
    )
    if verb is None or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return None
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if clause is None or not verb.idx + len(verb) <= content.start <= clause.left_edge.idx + 1:
        return None
    return verb


def _cue_span(cue: Token) -> Span:
    tokens = [cue]
    stranded = _stranded_relative(cue) is not None  # "doctors we spoke to describe": no "to"
    for child in cue.children:
        if stranded and child.dep_ == "aux":
            continue
        if child.dep_ in _CUE_PARTS or (cue.lemma_.lower() == "accord" and child.lower_ == "to"):
            tokens.append(child)
    head = cue.head
    if (
        cue.dep_ in ("xcomp", "advcl")  # the parser makes "say" an adverbial now and then
        and head.i < cue.i
        and (
            head.lemma_ in ("continue", "proceed")
            or (
                head.lemma_ == "go"
                and any(c.dep_ == "prt" and c.lower_ == "on" for c in head.children)
            )
        )
    ):
        # "went on to say", "continued to insist": the going on is part of the saying
        tokens += [head] + [c for c in head.children if c.dep_ in ("prt", "aux", "neg")]
    tokens.sort(key=lambda token: token.i)
    tokens = _contiguous(tokens, cue) or [cue]
    span = _token_span(tokens)
    assert span is not None
    return span


def _colon_quote(doc: Doc, cue: Token, quotes: list[tuple[int, int]]) -> Span | None:
    """``X told reporters: "..."`` where the parser split the quotation off the cue; also
    when the quotation opens the next paragraph ("The ministry said in a statement:" and the
    statement below it), the line break being a token of the cue's subtree."""
    end = max(token.idx + len(token.text) for token in cue.subtree if not token.is_space)
    tail = text_of(doc)[end : end + 4]
    colon = tail.find(":")
    if colon < 0 and text_of(doc)[max(0, end - 1) : end] != ":":
        return None
    after = end + (colon + 1 if colon >= 0 else 0)
    text = text_of(doc)
    while after < len(text) and text[after].isspace():
        after += 1
    for start, stop in quotes:
        if start == after:
            return _span(doc, start, stop)
    colon_at = text.rfind(":", 0, after)
    if "\n" in text[colon_at:after] and after < len(text):
        # "The ministry said in a statement:" and the statement as the next paragraph,
        # without quotation marks
        stop = text.find("\n", after)
        paragraph = _post_below_account(doc, _span(doc, after, len(text) if stop < 0 else stop))
        if len(paragraph.text.split()) >= 3:
            return paragraph
    return None


# Whom something is told, when it is not a name or a pronoun.
_AUDIENCES = frozenset(
    {
        "reporter",
        "journalist",
        "crowd",
        "audience",
        "supporter",
        "voter",
        "viewer",
        "listener",
        "reader",
        "lawmaker",
        "delegate",
        "people",
        "interviewer",
        "host",
        "rally",
        "gathering",
        "press",
        "newspaper",
        "station",
        "network",
        "magazine",
    }
)


# Occasions one tells something to: "told a daily briefing that …".
_TOLD_OCCASIONS = frozenset(
    {"briefing", "conference", "meeting", "session", "hearing", "parliament", "committee"}
    | {"council", "summit", "forum", "assembly", "news"}
)


def _inverted_closing(cue: Token) -> int | None:
    """ "The plant is hanging on, but it is under pressure from imports, said the company's
    chief executive, John Ferriola.": a closing report with its speaker after the verb, which
    the parser joins to the sentence's verb as one more thing the plant does. For a verb of
    saying joined so after a comma, its subject after it and nothing but that subject's words
    after it, the token number of the comma: the sentence before it is what was said."""
    doc = cue.doc
    if cue.lemma_ not in _SAYING_AGAIN or cue.dep_ not in ("conj", "parataxis"):
        return None
    if cue.head.i > cue.i or cue.i < 2 or doc[cue.i - 1].text != ",":
        return None
    subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.i < cue.i:
        return None
    if any(
        not (t.is_punct or t.is_space or t.i in {s.i for s in subject.subtree})
        for t in doc[cue.i + 1 : cue.sent.end]
    ):
        return None
    return cue.i - 1


# How a phrase before a verb can hang on it without being what the verb says.
_CIRCUMSTANCE_DEPS = frozenset(
    {"prep", "advmod", "advcl", "npadvmod", "punct", "cc", "mark", "intj", "aux", "neg"}
)


def _closing_root_report(cue: Token) -> int | None:
    """ "Those who take on heavy debt struggle, even with a good job, he said.": when the words
    before the comma hold no verb the parser can see ("struggle" read as a noun), it hangs
    them on the verb of saying as loose phrases, and the verb has a subject and nothing it
    says; "This includes a special force, Defense Secretary Ash Carter told a Senate panel
    Wednesday.": or it joins the verb to the sentence's own verb as one more thing done. For
    a verb of saying at the root, or so joined with no "and" or "but", with its subject right
    after a comma, nothing of its own after it but punctuation, a time and whom it was told,
    and no clause of its own anywhere, the token number of that comma: the sentence before
    it is what was said."""
    doc = cue.doc
    if cue.lemma_ not in (_SAYING_AGAIN | _REPORTING) - {"call"}:
        return None
    if cue.dep_ == "conj":
        if cue.head.i > cue.i or any(
            c.dep_ in ("cc", "preconj") and cue.head.i < c.i < cue.i for c in cue.head.children
        ):
            return None
    elif cue.dep_ != "ROOT":
        return None
    if any(c.dep_ in ("ccomp", "parataxis", "xcomp", "csubj") for c in cue.children):
        return None
    subject = next((c for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i), None)
    if subject is None or any(t.i > cue.i for t in subject.subtree):
        return None
    comma = subject.left_edge.i - 1
    if comma - cue.sent.start < 3 or doc[comma].text != ",":
        return None
    if any(comma < t.i < cue.i and t not in subject.subtree for t in cue.children):
        return None  # "…, he then said", "…, officials in Idlib said": only the subject between
    before = [t for t in cue.children if t.i < comma] if cue.dep_ == "ROOT" else [cue.head]
    if not any(t.pos_ in ("VERB", "AUX") for t in doc[cue.sent.start : comma]) or all(
        t.dep_ in _CIRCUMSTANCE_DEPS for t in before
    ):
        return None  # "In the morning, the minister said.": when, not what
    # "told a Senate panel": after a closing report, the object of "told" is whom it was told
    told = next((c for c in cue.children if c.dep_ in ("dobj", "dative") and c.i > cue.i), None)
    if cue.lemma_ == "tell" and told is None:
        return None
    heard = {t.i for t in told.subtree} if told is not None and cue.lemma_ == "tell" else set()
    if not _nothing_after_but_time(cue, heard):
        return None
    return comma


def _nothing_after_but_time(cue: Token, also: AbstractSet[int] = frozenset()) -> bool:
    """Whether nothing follows a closing report's verb in its sentence but punctuation, a
    time ("on Friday") and the tokens ``also`` (whom it was told): the mark of a report that
    closes the sentence it reports."""
    return all(
        t.is_punct
        or t.is_space
        or t.i in also
        or t.ent_type_ in ("DATE", "TIME")
        or (t.dep_ == "prep" and _temporal(t))
        for t in cue.doc[cue.i + 1 : cue.sent.end]
    )


# Verbs that say what something is by "as": "described the silos as disused".
_DESCRIBING_AS = frozenset(
    {"describe", "characterise", "characterize", "portray", "depict", "brand", "label"}
)


def _as_participle_complement(doc: Doc, found: list[Attribution]) -> None:
    """ "Two witnesses described the silos as disused": the parse can read a participle after
    "as" as a clause of its own on the verb, so the content stops at the object; what the
    object was described as is the point of the saying and belongs to it."""
    text = text_of(doc)
    for item in found:
        if item.cue_i < 0 or item.content.parts:
            continue
        cue = doc[item.cue_i]
        if cue.lemma_ not in _DESCRIBING_AS:
            continue
        obj = next((c for c in cue.children if c.dep_ == "dobj"), None)
        clause = next(
            (
                c
                for c in cue.children
                if c.dep_ == "advcl"
                and c.i > cue.i
                and any(m.dep_ == "mark" and m.lower_ == "as" for m in c.children)
                and not any(m.dep_ in ("nsubj", "nsubjpass") for m in c.children)
            ),
            None,
        )
        if obj is None or clause is None or obj.i > clause.i:
            continue
        if text[item.content.end : clause.left_edge.idx].strip():
            continue  # the content does not stop right before "as"
        end = clause.right_edge
        item.content = _span(doc, item.content.start, end.idx + len(end.text))


def _objects_of_one_list(doc: Doc, found: list[Attribution]) -> None:
    """ "She described patients with convulsions, foam at the mouth and pinpoint pupils": the
    parse can break a list after a comma into a second object of the verb; a verb has one
    direct object, so the objects after the content, each after a comma, are the rest of what
    was described. Only noun phrases with no verb in them, as a list of things is."""
    text = text_of(doc)
    for item in found:
        if item.cue_i < 0 or item.content.parts:
            continue
        cue = doc[item.cue_i]
        objects = [c for c in cue.children if c.dep_ == "dobj"]
        if len(objects) < 2:
            continue
        first, *rest = objects
        if first.left_edge.idx != item.content.start:
            continue
        if any(t.pos_ in ("VERB", "AUX") for o in objects for t in o.subtree):
            continue  # a clause's object hung on the verb ("the story of how he …, the line: …")
        end = item.content.end
        for other in rest:
            between = text[end : other.left_edge.idx]
            if between.strip() != ",":
                break
            end = other.right_edge.idx + len(other.right_edge.text)
        if end > item.content.end:
            item.content = _span(doc, item.content.start, end)


def _put_to_whom(doc: Doc, found: list[Attribution]) -> None:
    """ "NB put to the witness the ministry's account that …": what is put to someone is the
    phrase after the one it is put to, which the parse sets beside them; the one put to is no
    part of what is put."""
    for item in found:
        if item.cue_i < 0 or item.content.parts or not item.cue.text.lower().endswith(" to"):
            continue
        cue = doc[item.cue_i]
        if cue.lemma_ != "put":
            continue
        prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ == "to"), None)
        whom = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
        put = next((c for c in whom.children if c.dep_ == "appos"), None) if whom else None
        if put is None or whom is None or whom.idx < item.content.start:
            continue
        if whom.left_edge.idx != item.content.start or put.pos_ != "NOUN":
            continue
        item.content = _span(doc, put.left_edge.idx, item.content.end)


def _cue_with_its_preposition(doc: Doc, found: list[Attribution]) -> None:
    """ "The minister warned against a military escalation": when what was said is the object
    of a preposition that follows the cue word, the preposition is part of the cue ("warned
    against" | "a military escalation"); cut off, the cue reads as the opposite ("warned" | "a
    military escalation"). PolNeAR's annotators mark such cues so too ("accused … of", "warned
    against")."""
    text = text_of(doc)
    for item in found:
        if item.cue_i < 0 or item.cue.parts or item.content.parts:
            continue
        first = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
        if (
            first is not None
            and len(first) > 1
            and first[0].dep_ == "prep"
            and first[0].pos_ == "ADP"
            and first[0].lower_ in _TOPIC_PREPS | {"against", "for", "on", "to", "with"}
            and first[0].head.i == item.cue_i
            and not text[item.cue.end : item.content.start].strip()
        ):
            # "complained about the findings": the preposition taken into the content (but
            # "predict between two and four more rises" is a number, "predicted at the debate
            # that …" a place)
            item.cue = _span(doc, item.cue.start, first[0].idx + len(first[0]))
            item.content = _span(doc, first[1].idx, item.content.end)
            continue
        gap = _PREPOSITION_GAP.fullmatch(text, item.cue.end, item.content.start)
        if gap is None:
            continue
        preposition = doc.char_span(gap.start(1), gap.end(1))
        if preposition is None or len(preposition) != 1:
            continue
        word = preposition[0]
        if word.dep_ != "prep" or word.pos_ != "ADP" or word.head.i != item.cue_i:
            continue
        manner = _saying_by_manner(doc, word, item.content.start)
        if manner is not None:
            item.cue, item.content, item.cue_i = manner
            continue
        item.cue = _span(doc, item.cue.start, gap.end(1))


def _saying_by_manner(doc: Doc, word: Token, start: int) -> tuple[Span, Span, int] | None:
    """ "She opened by recalling that the strike had …", "closed by warning that …": the verb
    before "by" says how a turn began or ended, and the gerund after it is the saying, with
    the clause it reports; the cue is the gerund and what was said its clause (not "opened by"
    | "recalling that …")."""
    if word.lower_ != "by":
        return None
    gerund = next((c for c in word.children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None)
    if gerund is None or gerund.idx != start:
        return None
    clause = next((c for c in gerund.children if c.dep_ == "ccomp" and c.i > gerund.i), None)
    if clause is None or doc[clause.left_edge.i].lower_ != "that":
        return None
    end = clause.right_edge.idx + len(clause.right_edge)
    cue = _span(doc, gerund.idx, gerund.idx + len(gerund))
    return cue, _span(doc, clause.left_edge.idx, end), gerund.i


# A preposition alone between the cue and what was said: " against ".
_PREPOSITION_GAP = re.compile(r"[^\S\n]+([a-z]+)[^\S\n]+")


# The writer's "and I quote" between a verb of saying and the words it introduces.
_I_QUOTE = re.compile(r"[(,]?\s*(?:and\s+)?(?:I|we)\s+quote\s*[),:]?", re.IGNORECASE)


def _quote_after_i_quote(doc: Doc, cue: Token, quotes: list[tuple[int, int]]) -> Span | None:
    """'Trump said, and I quote, "We love the poorly educated."': the quotation after the
    writer's aside is what was said, however the parser hung the aside; None without one."""
    end = cue.idx + len(cue.text)
    text = text_of(doc)
    for start, stop in quotes:
        if start >= end:
            gap = text[end:start]
            if _I_QUOTE.search(gap) and not _I_QUOTE.sub("", gap).strip(" ,:\t"):
                return _span(doc, start, stop)
            return None
    return None


def _i_quote(cue: Token) -> bool:
    """Whether ``cue`` is the "quote" of "Trump said, and I quote, "…"" or "(I quote)": the
    writer vouching for the words that follow, which are the other speaker's; nobody quotes
    anyone here."""
    doc = cue.doc
    if cue.lower_ != "quote" or cue.i == 0 or doc[cue.i - 1].lower_ not in ("i", "we"):
        return False
    before = doc[cue.i - 2].lower_ if cue.i >= 2 else ""
    if before == "and":
        before = doc[cue.i - 3].lower_ if cue.i >= 3 else ""
    after = doc[cue.i + 1].text if cue.i + 1 < len(doc) else ""
    return before in (",", "(", "—", "–", "-") and after[:1] in (",", ":", ")", "—", "–", "-")


def _that_said(cue: Token) -> bool:
    """Whether ``cue`` is the "said" of "That said, …", "That being said, …" or "Having said
    that, …" opening a sentence: the writer's concession, with no one behind it and nothing
    reported."""
    doc = cue.doc
    start = cue.sent.start
    while start < cue.i and doc[start].is_punct:  # "(That said, …"
        start += 1
    if cue.lower_ != "said" or cue.i - start not in (1, 2):
        return False
    opening = [t.lower_ for t in doc[start : start + 4]]
    return opening[:3] in (["that", "said", ","], ["this", "said", ","]) or opening in (
        ["that", "being", "said", ","],
        ["having", "said", "that", ","],
    )


def _told_occasion_that(cue: Token) -> Span | None:
    """The reported clause of "told a daily briefing that Beijing opposed the use of …", which
    the parse can hang on the occasion as a relative clause (reading "that" as its object):
    the words from "that" to the clause's end, when "that" cannot be the relative pronoun
    (the clause has an object of its own, or "that" is its mark); else None."""
    told = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
    if told is None:
        return None
    clause = next((c for c in told.children if c.dep_ == "relcl"), None)
    if clause is None:
        return None
    that = clause.doc[clause.left_edge.i]
    if that.lower_ != "that" or that.head != clause:
        return None
    objects = [c for c in clause.children if c.dep_ in ("dobj", "ccomp", "attr") and c != that]
    occasion = told.lemma_ in _TOLD_OCCASIONS | _AUDIENCES
    # "informed the Mechanism that no aircraft had …": "that" as the clause's mark is no
    # relative pronoun, whoever was told
    if not (that.dep_ == "mark" or (occasion and that.dep_ == "dobj" and objects)):
        return None
    doc = cue.doc
    end = clause.right_edge
    while end.i > that.i and end.is_punct:
        end = doc[end.i - 1]
    return _span(doc, that.idx, end.idx + len(end.text))


def _recipient(cue: Token) -> Token | None:
    """Whom something was told: the object after the verb, when it is a name, a pronoun or a
    word of :data:`_AUDIENCES`."""
    told = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
    if told is None or not (told.pos_ in ("PRON", "PROPN") or told.lemma_ in _AUDIENCES):
        return None
    return told


def _that_clause_past_a_time(cue: Token) -> Token | None:
    """ "told The Huffington Post before he spoke before the committee that he believed …": the
    parser hangs the "that" clause on the verb of the clause of time between, which says
    nothing. The reported clause's verb, when a clause opened by "before", "after", "when",
    "while" or "as" after whom it was told holds it and its own verb is no verb of saying."""
    told = _recipient(cue)
    if told is None:
        return None
    for child in cue.children:
        if child.dep_ != "advcl" or child.i < told.i or child.lemma_ in _SAYING_AGAIN | _REPORTING:
            continue
        if not any(
            m.dep_ == "mark" and m.lower_ in ("before", "after", "when", "while", "as")
            for m in child.children
        ):
            continue
        for clause in child.children:
            if (
                clause.dep_ == "ccomp"
                and clause.i > child.i
                and any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children)
            ):
                return clause
    return None


def _clause_after_recipient(cue: Token) -> Token | None:
    """The reported clause the parse hung "told" on: "Trump told The Post he was not ready",
    where "told" came out as a clause on "was". The clause's verb, when its subject follows the
    one told with nothing between."""
    told = _recipient(cue)
    clause = cue.head
    if told is None or cue.dep_ != "advcl" or clause.i < cue.i:
        return None
    if clause.pos_ not in ("VERB", "AUX"):
        return None
    subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    last = max(token.i for token in told.subtree)
    if subject is None or min(token.i for token in subject.subtree) != last + 1:
        return None
    return clause


def _quote_after_recipient(doc: Doc, cue: Token, quotes: list[tuple[int, int]]) -> Span | None:
    """The quotation right after whom something was told ('telling reporters, "..."',
    'told CNN: "..."'), with nothing but a comma or colon between; None when the object is no
    audience (a name, a pronoun or a word of :data:`_AUDIENCES`) or no quotation follows."""
    told = _recipient(cue)
    if told is None:
        return None
    end = max(token.idx + len(token.text) for token in told.subtree)
    # quotations come in order: only the first one after the object can follow it directly
    start, stop = next(iter(quote_opening_from(quotes, end)), (-1, -1))
    text = text_of(doc)
    if start < 0 or not (
        _RECIPIENT_GAP.fullmatch(text, end, start) or _RECIPIENT_COLON.fullmatch(text, end, start)
    ):
        return None
    return _span(doc, start, stop)


_RECIPIENT_GAP = re.compile(r"[^\S\n]*[,:]?[^\S\n]*")
# 'told his audience, to rowdy applause:\n\n"…"': a short phrase, a colon, and the quotation
# in the paragraph after
_RECIPIENT_COLON = re.compile(r"(?:[^\S\n]*,[^\S\n]*[^\n\"“”:;,]{1,40})?[^\S\n]*:\s*")


# What ends the text before a quotation that opens a sentence.
_SENTENCE_ENDS = frozenset(".!?:\n”\"’'")
_NAME_AFTER_QUOTE = re.compile(
    r"[^\S\n]*,?[^\S\n]*(?P<name>(?:[A-Z][\w.'’-]*[^\S\n]+){0,3}[A-Z][\w.'’-]*)"
    r"(?:,[^\S\n]*\d{1,3},"
    # "Flynn, a top Trump surrogate, said": who the speaker is, between commas
    r"|(?P<described>,[^\S\n]*(?:a|an|the)[^\S\n][^,\n\"“”]{1,60}),)?[^\S\n]*"
)


_RELATIVE_WORDS = frozenset({"which", "that"})
# What a body does to a text that then speaks for it ("adopted a resolution condemning …").
_ENACTED = frozenset({"adopt", "approve", "pass", "endorse"})
# Verbs whose object is what someone charges, denies or judges: "the strike, which Moscow
# denied", "the report, which the ministry dismissed as fabricated".
_RELATIVE_CHARGES = frozenset(
    {
        "blame",
        "accuse",
        "attribute",
        "deny",
        "dismiss",
        "reject",
        "dispute",
        "contest",
        "refute",
        "confirm",
        "acknowledge",
        "admit",
        "condemn",
        "denounce",
        "criticise",
        "criticize",
        "describe",
    }
)


def _relative_object(cue: Token) -> tuple[list[Token], Span] | None:
    """(the speaker's tokens, what was said) when what a verb of the lexicon charges, denies or
    dismisses is the noun a relative clause hangs on: "The attack, which the opposition blamed
    on government forces, killed 70" is the opposition's claim that the attack was the
    government's. What was said is that noun's phrase and the verb's phrases after it ("on
    government forces"), in parts. The parser often misreads the clause between commas: it
    makes the speaker the sentence's subject and the verb a modifier of it; both readings are
    taken. None for anything else."""
    doc = cue.doc
    if cue.lemma_ not in _RELATIVE_CHARGES or cue.tag_ not in ("VBD", "VBN", "VBZ", "VBP"):
        return None
    if cue.tag_ in ("VBZ", "VBP") and cue.dep_ != "relcl":
        return None  # the present only as read ("The attack - which the government denies -")
    if cue.dep_ == "relcl":
        # read as it is: "an attack that the opposition blamed on government forces"; of
        # people, only as what they are called: "the rescuers, whom he described as a
        # propaganda outfit" ("a socialist whom she has accused of selling pipe dreams" is
        # accused of something, which is what was said)
        objects = [c for c in cue.children if c.dep_ == "dobj"]
        called_as = any(c.dep_ == "prep" and c.lower_ == "as" for c in cue.children)
        relative = (
            objects[0]
            if len(objects) == 1
            and (
                objects[0].lower_ in _RELATIVE_WORDS or (objects[0].lower_ == "whom" and called_as)
            )
            else None
        )
        subject = next((c for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i), None)
        if relative is None or subject is None or cue.head.i > relative.i:
            return None
        if _closing_relative(cue) and not (
            # "…, which they described as being in the road.": what is described as something
            # is the noun, never the clause before
            cue.lemma_ in _NAMING_AS
            and any(c.dep_ == "prep" and c.lower_ == "as" for c in cue.children)
        ):
            return None  # "…, which Moscow denies.": the whole claim before (_cut_relative_denials)
        antecedent = cue.head
    elif cue.dep_ == "acl" and cue.head.dep_ in ("nsubj", "nsubjpass") and cue.i == cue.head.i + 1:
        # misread: "which the opposition blamed on …, killed": "blamed" on "opposition"
        subject = cue.head
        first = subject.left_edge.i
        if first < 2 or doc[first - 1].lower_ not in _RELATIVE_WORDS:
            return None
        antecedent = doc[first - 3] if doc[first - 2].text == "," and first >= 3 else doc[first - 2]
    else:
        return None
    # "the crater, which they described as being in the road": a pronoun speaks too, in the
    # clause read as it is, and is resolved as any other
    spoken_by_pronoun = cue.dep_ == "relcl" and subject.lower_ in _PERSON_PRONOUNS | {"they"}
    if (subject.pos_ not in ("NOUN", "PROPN") and not spoken_by_pronoun) or antecedent.pos_ not in (
        "NOUN",
        "PROPN",
    ):
        return None
    if (
        doc[antecedent.i + 1].text == ","
        and antecedent.dep_ == "pobj"
        and antecedent.head.dep_ == "prep"
        and antecedent.head.head.pos_ in ("NOUN", "PROPN")
    ):
        # "The strike on the base, which Moscow condemned": the whole phrase, set off by a comma
        antecedent = antecedent.head.head
    clause = {token.i for token in cue.subtree}
    # misread, the verb hangs on its speaker: what it governs is not who said it
    speaker = [t for t in _source_tokens(subject) if t.i not in clause or cue.dep_ == "relcl"]
    inside = clause | {token.i for token in subject.subtree}
    noun = [
        t
        for t in _source_tokens(antecedent)
        if t.i not in inside and t.text not in (",", "-", "–", "—", "--")
    ]
    noun = _contiguous(noun, antecedent)
    if not speaker or not noun:
        return None
    pieces = [_token_span(noun)]
    for child in cue.children:
        if child.dep_ in ("prep", "oprd") and child.i > cue.i and not _temporal(child):
            pieces.append(_token_span(_trim(list(child.subtree))))
    spans = [piece for piece in pieces if piece is not None]
    if len(spans) < 2 and cue.dep_ == "acl":
        return None  # misread, and nothing charged: not sure enough
    return speaker, joined(spans)


_NAMING_AS = frozenset({"describe", "characterize", "characterise", "see", "regard", "view"})
_NAMING_BARE = frozenset({"call", "term", "dub", "label", "brand"})


def _which_named(cue: Token, which: Span, quotes: Sequence[tuple[int, int]]) -> Span:
    """ "…accreditation bodies, which he called "a cartel for higher education."": the name
    given, with the "which" that stands for the thing named, whatever clause holds the
    relative; ``which`` alone when the verb names nothing after it."""
    named = next((c for c in cue.children if c.dep_ == "oprd" and c.i > cue.i), None)
    span = _token_span(_trim(list(named.subtree))) if named is not None else None
    if span is None:
        return which
    for q_start, q_end in quotes:
        if q_start < span.end and span.start < q_end and q_start > which.start:
            span = _span(cue.doc, min(q_start, span.start), max(q_end, span.end))
    return joined([which, span])


def _what_it_called(cue: Token, quotes: Sequence[tuple[int, int]]) -> Span | None:
    """ "in what diplomats described as a rare concession", "a deterrence to what it called
    a clear threat": what the speaker called it is the name given (the words after "as", or
    the verb's second object); "what" stands for the thing named, which the outer clause says.
    None when the cue is not such a naming."""
    what = next(
        (c for c in cue.children if c.dep_ == "dobj" and c.lower_ == "what" and c.i < cue.i), None
    )
    if what is None or what.i == cue.sent.start or cue.sent.text.rstrip().endswith("?"):
        return None  # "What do you call a boy who …?": a question, not a naming
    for child in cue.children:
        if child.i < cue.i:
            continue
        if cue.lemma_ in _NAMING_AS and child.dep_ == "prep" and child.lower_ == "as":
            named = [t for c in child.children if c.dep_ == "pobj" for t in c.subtree]
        elif cue.lemma_ in _NAMING_BARE and child.dep_ in ("oprd", "xcomp", "attr", "dobj"):
            named = list(child.subtree)
        else:
            continue
        span = _token_span(_trim(named))
        if span is not None:
            # 'what it called "a politicised investigation."': the name runs from its opening
            # to its closing mark
            for q_start, q_end in quotes:
                if q_start < span.end and span.start < q_end and q_start > what.idx:
                    span = _span(cue.doc, min(q_start, span.start), max(q_end, span.end))
            return joined([_span(cue.doc, what.idx, what.idx + len(what)), span])
    return None


def _without_medium(doc: Doc, content: Span) -> Span:
    """An object's content without the closing phrase that says where it was said ("the report
    in comments to state media" → "the report"); the content as it was otherwise."""
    if content.parts:
        return content
    words = doc.char_span(content.start, content.end, alignment_mode="expand")
    if words is None:
        return content
    for token in words:
        pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
        if (
            token.dep_ == "prep"
            and token.lower_ in ("in", "through", "via")
            and token.i > words.start
            and pobj is not None
            and pobj.lemma_.lower() in _MEDIA
            and token.right_edge.i >= words.end - 1
        ):
            return _span(doc, content.start, doc[token.i - 1].idx + len(doc[token.i - 1]))
    return content


def _name_known_by(tokens: list[Token]) -> tuple[str, str] | None:
    """The name and the role of "a nurse, identified only as Umm Ahmed," (a name, capitalised,
    after "identified / known / named (only) as" set off in the source), or None."""
    inside = {token.i for token in tokens}
    for verb in tokens:
        if verb.dep_ != "acl" or verb.lemma_ not in ("identify", "know", "name"):
            continue
        after = [t for t in verb.subtree if t.i > verb.i and t.i in inside]
        words = [t for t in after if t.lower_ not in ("only", "simply", "as") and not t.is_punct]
        if not after or not any(t.lower_ == "as" for t in after[:3]) or not words:
            continue
        if not all(t.is_title or t.text[:1].isupper() or t.is_digit for t in words):
            continue
        first, last = words[0], words[-1]
        name = text_of(verb.doc)[first.idx : last.idx + len(last.text)]
        return name, verb.head.lemma_.lower() if verb.head.pos_ == "NOUN" else ""
    return None


def _known_as(cue: Token, subject: Token) -> Token | None:
    """The noun of "a witness identified only as K-17" when the speaker the parse found is the
    name after "identified (only) as", which it reads as a clause of its own or as a second
    subject; None otherwise."""
    doc = cue.doc
    first = subject.left_edge.i
    if subject.i > cue.i or first < 2 or doc[first - 1].lower_ != "as":
        return None
    verb = doc[first - 2]
    if verb.lower_ in ("only", "simply") and first >= 3:
        verb = doc[first - 3]
    if verb.dep_ != "acl" or verb.lemma_ not in ("identify", "know", "name", "describe"):
        return None
    return verb.head if verb.head.pos_ in ("NOUN", "PROPN") else None


def _closing_relative(cue: Token) -> bool:
    """Whether a relative clause opens after a comma and closes its sentence ("…, which Moscow
    denies."): its "which" may stand for the whole clause before, not for the noun it follows."""
    doc = cue.doc
    first = cue.left_edge.i
    rest = doc[cue.right_edge.i + 1 : cue.sent.end]
    return first > 0 and doc[first - 1].text == "," and all(t.is_punct or t.is_space for t in rest)


def _said_of_antecedent(cue: Token, content: Span) -> Span | None:
    """The noun a relative clause of saying hangs on, when the reported clause's subject is the
    relative pronoun: "The crater, which the ministry said was caused by a rebel mortar" says
    that the crater was caused by a mortar. None otherwise, or when the content already holds
    the noun."""
    if cue.dep_ != "relcl" or content.parts or cue.head.pos_ not in ("NOUN", "PROPN"):
        return None
    clause = next(
        (
            c
            for c in cue.children
            if c.dep_ == "ccomp"
            and any(
                s.dep_ in ("nsubj", "nsubjpass")
                and s.lower_ in _RELATIVE_WORDS | {"who"}
                and s.i < cue.i
                for s in c.children
            )
        ),
        None,
    )
    if clause is None or content.start < cue.idx:
        return None
    if _closing_relative(cue):
        return None  # "…, which he believes will make it impossible …": maybe the whole clause
    inside = {t.i for t in cue.subtree}
    noun = _contiguous(
        [t for t in _source_tokens(cue.head) if t.i not in inside and t.text != ","], cue.head
    )
    return _token_span(noun)


def _charge_after_agent(cue: Token, source_tokens: list[Token]) -> Token | None:
    """The "of …" phrase the parser hung on the agent of a passive charge ("accused by Western
    states of covering up the attack"); None when there is none."""
    if cue.lemma_ not in ("accuse", "charge", "blame", "suspect") or not source_tokens:
        return None
    agent = next((c for c in cue.children if c.dep_ == "agent"), None)
    said_by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
    if agent is None or said_by is None or said_by not in source_tokens:
        return None
    charges = [c for c in said_by.children if c.dep_ == "prep" and c.lower_ in ("of", "for")]
    # "has been accused by Damascus of staging attacks": the phrase can hang on the verb itself
    charges += [
        c for c in cue.children if c.dep_ == "prep" and c.lower_ in ("of", "for") and c.i > agent.i
    ]
    return charges[0] if charges else None


def _fragment_before(cue: Token, source_tokens: list[Token]) -> Span | None:
    """ "People like Scott, he said.": words with no verb of their own that open the sentence
    and end at the comma before the speaker, which the parser hangs loosely on the cue; None
    for a time ("Yesterday, he said"), a single word, or anything else."""
    if cue.lemma_ not in _SAYING_AGAIN or not source_tokens:
        return None
    for child in cue.children:
        if child.dep_ not in ("dep", "npadvmod") or child.i > cue.i:
            continue
        words = list(child.subtree)
        after = cue.doc[words[-1].i + 1] if words[-1].i + 1 < len(cue.doc) else None
        if (
            words[0].i == cue.sent.start
            and len(words) > 1
            and after is not None
            and after.text == ","
            and after.i + 1 == source_tokens[0].i
            and not _temporal(child)
            and not any(token.pos_ in ("VERB", "AUX") for token in words)
            and any(token.pos_ in ("NOUN", "PROPN") for token in words)
        ):
            return _token_span(words)
    return None


def _named_after_quote(
    doc: Doc, cue: Token, quotes: list[tuple[int, int]]
) -> tuple[list[Token], Span] | None:
    """(the speaker's tokens, the quotation) for ``"A," Name[, 58,] said``: a quotation that
    opens its sentence and ends right before a name, and the name right before the cue, with
    nothing else between but commas and the speaker's age. None for anything else, and when
    the name is not a proper name in the parse."""
    if cue.i == 0 or cue.pos_ not in ("VERB", "AUX"):
        return None
    # quotations come in order and do not overlap: only the last one ending before the cue
    # can end right before the name (found by halving: a text of thousands of quotations and
    # cues would otherwise cost the square of their number)
    last = quote_ending_by(quotes, cue.idx)
    if not last or cue.idx - last[0][1] > 60:
        return None
    start, stop = last[0]
    text = text_of(doc)
    gap = _NAME_AFTER_QUOTE.fullmatch(text, stop, cue.idx)
    opening = start
    while opening > 0 and text[opening - 1] in " \t":
        opening -= 1
    if gap is None or (opening > 0 and text[opening - 1] not in _SENTENCE_ENDS):
        # a quoted title or phrase inside a sentence ('appeared on "This Week," Rubio
        # said ...') is no one's words; only a quotation that opens its sentence is taken
        return None
    name = _name_tokens(doc, gap.start("name"), gap.end("name"))
    if not name or any(token.pos_ != "PROPN" for token in name):
        return None
    if gap.group("described"):
        described = doc.char_span(gap.start("name"), gap.end("described"), "expand")
        name = list(described) if described is not None else name
    return name, _span(doc, start, stop)


_BETWEEN_QUOTES = re.compile(r"[^\S\n]*,?[^\S\n]*")


def _speaker_made_later_subject(
    doc: Doc, cue: Token, quotes: list[tuple[int, int]]
) -> tuple[list[Token], Span] | None:
    """(the speaker's tokens, the quotation) for '"She needs big ideas," said Robert Reich,
    who served as labor secretary yet endorsed Bernie Sanders': the parse makes the name after
    the cue the subject of a later verb and hangs that verb on the cue as what was said. The
    speaker is the name with its own words up to that verb, what was said the quotation right
    before the cue; None for anything else."""
    if cue.pos_ not in ("VERB", "AUX") or cue.i + 1 >= len(doc):
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in cue.children):
        return None
    text = text_of(doc)
    before = quote_ending_by(quotes, cue.idx)
    if not before or not _BETWEEN_QUOTES.fullmatch(text, before[0][1], cue.idx):
        return None
    name = doc[cue.i + 1]
    if name.pos_ != "PROPN":
        return None
    while name.dep_ == "compound" and name.head.i > name.i:
        name = name.head
    verb = name.head
    if not (name.dep_ == "nsubj" and verb.dep_ == "ccomp" and verb.head == cue and verb.i > cue.i):
        return None
    speaker = _trim([t for t in name.subtree if t.i < verb.i])
    return (speaker, _span(doc, *before[0])) if speaker else None


def _named_between_quotes(
    doc: Doc, cue: Token, quotes: list[tuple[int, int]]
) -> tuple[list[Token], Span] | None:
    """(the speaker's tokens, the quotation in two parts) for ``"A," said Name, a title, "B."``:
    the cue right after a quotation, the speaker after the cue, and the quotation going on right
    after the speaker's phrase. The parse makes the second part's verb the sentence's and the
    speaker its subject, so neither the speaker nor the words were found."""
    if cue.pos_ not in ("VERB", "AUX") or cue.i + 1 >= len(doc):
        return None
    text = text_of(doc)
    before = quote_ending_by(quotes, cue.idx)
    if not before or not _BETWEEN_QUOTES.fullmatch(text, before[0][1], cue.idx):
        return None
    after = quote_opening_from(quotes, cue.idx, after=True)
    if not after:
        return None
    speaker = _trim(_tokens_within(doc, cue.idx + len(cue.text), after[0][0]))
    if not speaker or len(speaker) > 30 or speaker[0].pos_ not in ("PROPN", "DET"):
        return None
    end = speaker[-1].idx + len(speaker[-1].text)
    # the speaker's phrase ends with a comma: 'said the boy, who wore a "MAGA" hat' is no split
    comma = text[end : after[0][0]].strip(" \t") == "," or text[end - 1] == ","
    if not (comma and _BETWEEN_QUOTES.fullmatch(text, end, after[0][0])):
        return None
    if "\n" in text[cue.idx : after[0][0]]:
        return None
    if any(
        token.text in _QUOTE_MARKS or token.text in (".", "!", "?", ";") or token.sent != cue.sent
        for token in speaker
    ):
        return None  # '… said Sabato, a historian. He added that something "has to be big"'
    return speaker, joined([_span(doc, *before[0]), _span(doc, *after[0])])


def _split_quotation(
    doc: Doc, content: Span, source: Span, cue: Span, quotes: list[tuple[int, int]]
) -> Span | None:
    """``"A," Nebenzia said, "and B."``: the parse takes the second half as the content; the
    claim starts with the quotation just before the speaker, the second half continues it.
    Returns that first half, or None when the content is no such second half."""
    if content.text[:1] not in _OPENING or content.start < max(source.end, cue.end):
        return None
    if (content.start, content.end) not in quotes:
        return None
    # '"A," the envoy said on Monday, adding, "B."': "said" has the first quotation and
    # "adding" the second, two claims; only a cue right by its speaker splits a quotation
    first, second = (source, cue) if source.start <= cue.start else (cue, source)
    if any(token.pos_ in ("VERB", "AUX") for token in _tokens_within(doc, first.end, second.start)):
        return None
    before = _quote_before(doc, min(source.start, cue.start), quotes)
    opening = doc.char_span(first.start, first.end, alignment_mode="expand")
    if (
        before is not None
        and before.text.rstrip("”\"’' ")[-1:] in (".", "!", "?")
        and opening is not None
        and opening[0].is_sent_start
    ):
        # '… only that he was "refining some practices." He added: "My team remains."': a
        # whole sentence quoted before a new one opens with its speaker is no first half
        return None
    return before


def _quote_before(doc: Doc, first: int, quotes: list[tuple[int, int]]) -> Span | None:
    """The quotation that ends right before character ``first``, with nothing but spaces and
    commas between them on the same line; None when there is none."""
    text = text_of(doc)
    for start, stop in quotes:
        if stop <= first and not text[stop:first].strip(" ,\t") and "\n" not in text[stop:first]:
            return _span(doc, start, stop)
    return None


def _adjacent_quote(
    doc: Doc, cue: Token, source_tokens: list[Token], quotes: list[tuple[int, int]]
) -> Span | None:
    """``"...," she said`` and ``she said, "..."`` when the parser left the quotation unattached:
    the quotation just before the speaker and cue, else the one just after them."""
    near = source_tokens and min(abs(token.i - cue.i) for token in source_tokens) <= 2
    around = [cue, *source_tokens] if near else [cue]
    first = min(token.idx for token in around)
    last = max(token.idx + len(token.text) for token in around)
    text = text_of(doc)
    # quotations come in order and do not overlap: only the last one ending before the cue and
    # the first one opening after it can be next to it, so only those two are looked at
    ending = quote_ending_by(quotes, first)
    opening = next(iter(quote_opening_from(quotes, last)), None)
    before = [
        (start, stop)
        for start, stop in ending
        if not text[stop:first].strip(" ,\n\t") and "\n\n" not in text[stop:first]
    ]  # never a quotation of the paragraph before
    after = [
        (start, stop)
        for start, stop in ([opening] if opening is not None else [])
        if not _I_QUOTE.sub("", text[last:start]).strip(" ,:\t")
    ]
    # '"A," he said, adding, "B."': a participle introduces what follows it
    order = after + before if cue.tag_ == "VBG" else before + after
    return _span(doc, *order[0]) if order else None


def _widen_to_quotes(doc: Doc, content: Span, cue: Span, quotes: list[tuple[int, int]]) -> Span:
    """Widen a content to every quotation it overlaps, unless the cue is inside that quotation.

    This is how a quotation that runs over several sentences is kept whole: the parse sees one
    sentence, the quotation marks show where the words end.
    """
    start, end = content.start, content.end
    for q_start, q_end in quotes:
        if q_end <= start or q_start >= end:
            continue
        if q_start <= cue.start < q_end:
            continue
        start, end = min(start, q_start), max(end, q_end)
    if (start, end) == (content.start, content.end):
        return content
    return _span(doc, start, end)


_TITLE_TEXT = (
    "president vice prime minister foreign defence defense interior secretary general major "
    "lieutenant colonel col gen maj lt brig brigadier admiral ambassador amb deputy envoy "
    "spokesman spokeswoman spokesperson senator sen rep representative gov governor mayor "
    "congressman congresswoman "
    "chancellor king queen prince sheikh dr mr mrs ms director chief head commander adviser "
    "advisor chairman chairwoman chair official special permanent state of the "
    "activist journalist doctor lawyer judge prosecutor professor prof imam speaker leader "
    "majority minority whip captain capt sergeant sgt "
    # a broadcaster's or a writer's trade before the name: "Presenter Dmitry Kiselev"
    "presenter anchor host correspondent reporter columnist commentator analyst editor "
    # a party's place in a lawsuit, written before the name in pleadings and briefs
    # ("Plaintiff Khaled Barakat alleges …")
    "plaintiff claimant appellant appellee respondent petitioner complainant"
)
_TITLE_WORDS = frozenset(_TITLE_TEXT.split())
_CLAUSES = ("relcl", "acl", "appos", "advcl", "punct")


def _text_of(tokens: list[Token]) -> str:
    """The document's own text for a run of tokens, a leading article dropped."""
    while tokens and tokens[0].dep_ == "det" and tokens[0].lower_ in ("the", "a", "an"):
        tokens = tokens[1:]
    if not tokens:
        return ""
    doc = tokens[0].doc
    text = text_of(doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
    return _strip_possessive(_without_stray_quote(text))


def _without_stray_quote(text: str) -> str:
    """'an unnamed "medical source' → 'an unnamed medical source': a name whose phrase ends
    inside a quotation (the closing mark left after its last word) keeps no lone mark."""
    if text.count('"') == 1:
        text = text.replace('"', "")
    if text.count("“") != text.count("”"):
        text = text.replace("“", "").replace("”", "")
    return text


def _core(tokens: list[Token]) -> tuple[Token, list[Token]]:
    """The head of a source phrase and the phrase without its clauses and appositions."""
    inside = {token.i for token in tokens}
    head = next(
        (token for token in tokens if token.head.i not in inside or token.head == token), tokens[0]
    )
    dropped: set[int] = set()
    for child in head.children:
        if child.dep_ in _CLAUSES and child.i > head.i:
            dropped |= {token.i for token in child.subtree}
    for token in tokens:
        for child in token.children:
            # "a source in the army command, who requested anonymity": an aside set off by a
            # comma, whichever noun the parser hung it on
            opener = child.left_edge.i
            if (
                child.dep_ in _CLAUSES
                and child.i > head.i
                and opener > 0
                and child.doc[opener - 1].text == ","
            ):
                dropped |= {t.i for t in child.subtree}
    core = [token for token in tokens if token.i not in dropped]
    run = _contiguous(core, head) or [head]
    return head, _trim(run) or [head]


def _last_said(found: list[Attribution], before: Attribution, name: str) -> int:
    """The place among ``found`` of the last attribution before ``before`` whose speaker is
    named ``name``; -1 when none is."""
    last = -1
    for index, other in enumerate(found):
        if other is before:
            break
        if other.speaker is not None and other.speaker.name == name:
            last = index
    return last


# Who presides over a meeting, as its summary writes them with a capital ("The Chair noted …",
# "the Co-Chair recalled …"): one person, whom a later "he" or "she" means, not a body.
_CHAIRS = frozenset({"chair", "co-chair", "chairperson", "chairpersons"})
# A meeting's speakers as a summary counts them ("Several delegations", "Other participants"):
# several people, whom a "they" after them means.
_DELEGATIONS = frozenset({"delegation", "participant", "speaker", "panellist", "panelist"})


def _all_of_a_meeting(speaker: Speaker, earlier: Speaker) -> bool:
    """ "Participants thanked the hosts" after "Non-governmental participants described …": a
    meeting's speakers named by the bare plural are all of them, not the kind named before."""
    words = speaker.name.lower().split()
    return len(words) == 1 and _singular(words[0]) in _DELEGATIONS and len(earlier.name.split()) > 1


def _many(speaker: Speaker) -> bool:
    """Whether an unnamed speaker is several people ("two residents", "doctors in Idlib")."""
    words = speaker.name.lower().split()
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in ("and", ",")):
        words = words[:-1]  # "Witnesses 12 and 13": numbered, several all the same
    cut = next((i for i, word in enumerate(words) if word in _AFTER_HEAD), len(words))
    head = words[cut - 1] if cut else ""
    if head in ("people", "men", "women"):
        return True  # "People on television say …. They say": plurals without an "s"
    singular = {head[:-1], head[:-2] if head.endswith("es") else ""}  # "witnesses"
    if head.endswith("ies"):
        singular.add(head[:-3] + "y")  # "families"
    return head.endswith("s") and bool(
        singular & (_PEOPLE_NOUNS | _ROLES | _LOCALS | _DELEGATIONS | _CLOSE_PEOPLE)
    )


def _owned(name: str) -> bool:
    """Whether a speaker's name says whose they are ("Guterres's spokesman")."""
    return re.search(r"\w['’]s? ", name) is not None


# Those who speak for or stand with a person, whom a name before them owns ("a Putin aide").
_DEPENDANTS = frozenset(
    {"ally", "loyalist", "aide", "adviser", "advisor", "lawyer", "attorney", "spokesman"}
    | {"spokeswoman", "spokesperson", "delegate", "staffer", "surrogate"}
)


def _owner(root: Token) -> bool:
    """Whether a name is the possessor of a role or a group of people ("Obama's spokesman",
    "Mr. Assad's advisers"), or stands before one of those who speak for or stand with a
    person as a noun does ("a Putin aide", a headline's "Assad ally says …"): whose they are,
    not who speaks. A name before an office ("the Vermont
    senator") is where the office is, and is left to the other rules."""
    head = root.head.lemma_.lower()
    if root.dep_ == "compound":
        # only those who speak for a person: "Bernie Sanders supporters seeking to defeat …"
        # are read by news as the candidate's camp, and the learnt filter weighs them so
        return head in _DEPENDANTS
    return root.dep_ == "poss" and head in _ROLES | _PEOPLE_NOUNS | _DEPENDANTS


def _titled_name(core: list[Token], head: Token) -> tuple[str, str] | None:
    """A name the model did not recognise, behind its titles: "ministry spokesman
    Major-General Igor Konashenkov" → ("Igor Konashenkov", "ministry spokesman Major-General")."""
    if head.pos_ != "PROPN" or head.ent_type_ in ("ORG", "GPE", "NORP", "FAC", "LOC"):
        return None
    if head.tag_ == "NNPS" and any(token.lower_ == "the" for token in core if token.i < head.i):
        return None  # "the White Helmets": a body
    position = core.index(head) if head in core else len(core) - 1
    run: list[Token] = []
    for token in reversed(core[: position + 1]):
        if token.pos_ == "PROPN" or token.text == "-":
            run.insert(0, token)
        else:
            break
    named = list(run)
    while named and (named[0].lower_.rstrip(".") in _TITLE_WORDS or named[0].text == "-"):
        named = named[1:]
    if not named or (len(named) == len(run) == 1):
        return None
    if len(named) == 1 and _CODE_NAME.fullmatch(named[0].text):
        return None  # "Complainant A": known by the letter with the title, not the letter
    if any(token.lower_ in _ORG_WORDS for token in named):
        return None  # "The Syrian Observatory" is a body, whatever the tagger says
    doc = head.doc
    name = text_of(doc)[named[0].idx : named[-1].idx + len(named[-1].text)]
    before = [token for token in core if token.i < named[0].i and token.dep_ not in ("det",)]
    title = text_of(doc)[before[0].idx : before[-1].idx + len(before[-1].text)] if before else ""
    return _strip_possessive(name), title.strip()


def _given_names(doc: Doc, start: int, first: int) -> int:
    """Where a person's name really starts: the small model often tags only the surname of a
    name it does not know ("OPCW Director-General Ahmet Uzumcu" → "Uzumcu"); capitalised proper
    nouns just before it that are neither titles nor part of another name belong to it."""
    while start > first:
        token = doc[start - 1]
        word = token.text
        if not (
            token.pos_ == "PROPN"
            and word.isalpha()
            and word[:1].isupper()
            and word[1:].islower()
            and token.ent_type_ in ("", "PERSON")
            and word.lower() not in _TITLE_WORDS | _ORG_WORDS  # "Foreign Ministry Spokeswoman"
            and place_to_state(word) == word
            and not is_state(word)  # "the Ministry of Foreign Affairs of Iran Bahram Qasemi"
        ):
            break
        start -= 1
    return start


def _surname_after(person: Any, last: int) -> int:
    """Where a person's name really ends: the small model can tag only the given name of a
    name it does not know ("The expert Dr. Jonas Weil testified" → "Jonas"), leaving the
    surname as the phrase's head, untagged, with the given name its compound. That one
    capitalised word belongs to the name — only after one word tagged alone that is a
    given name or follows a title ("Dr.")."""
    doc = person.doc
    end = person.end
    if end >= last or len(person) != 1:
        return int(person.end_char)  # "Hillary Clinton Campaign": the name was whole
    titled = person.start > 0 and doc[person.start - 1].lower_.rstrip(".") in _TITLE_WORDS
    if not (titled or is_given_name(person.text)):
        return int(person.end_char)  # "Trump Campaign": a surname and a body's word
    token, before = doc[end], doc[end - 1]
    word = token.text
    if (
        token.pos_ == "PROPN"
        and not token.ent_type_
        and word.isalpha()
        and word[:1].isupper()
        and word[1:].islower()
        and before.dep_ == "compound"
        and before.head.i == token.i
        and word.lower() not in _TITLE_WORDS | _ORG_WORDS
        and place_to_state(word) == word
        and not is_town(word)
    ):
        return int(token.idx + len(word))
    return int(person.end_char)


def _plural_name(ent: Any) -> bool:
    """A name after "the" that ends in a plural ("the White Helmets"): a body, not a person."""
    before = ent.doc[ent.start - 1] if ent.start else None
    last = ent[-1]
    return (
        before is not None
        and before.lower_ == "the"
        and (last.tag_ == "NNPS" or (last.text.endswith("s") and not last.text.endswith("ss")))
    )


def describe(tokens: list[Token]) -> Speaker:
    """The speaker a source phrase names, with its title and affiliation.

    "Moscow's Deputy UN Ambassador Vladimir Safronkov" names the person Vladimir Safronkov, with
    the title "Deputy UN Ambassador" and the affiliation Russia (a capital stands for its state).
    "The Britain-based Syrian Observatory for Human Rights" is the Observatory: where a body is
    based is not part of its name.
    """
    owner = _account_owner(tokens)
    if owner:
        return describe(owner)
    if len(tokens) > 1 and _question_label(tokens[0]):
        # "Q. Professor Postol has written …": a transcript's question label, which the tagger
        # can take into the name after it
        return describe(tokens[1:])
    if len(tokens) > 1 and _log_clock(tokens[0]):
        # "10:05 RH explained …": an interview log's clock time before the one it notes
        return describe(tokens[1:])
    posted = _post_on_platform(tokens)
    if posted is not None:
        return posted
    speaker = _describe(tokens)
    if (speaker.type == "unknown" and _WITNESS_CODE.fullmatch(speaker.name)) or (
        speaker.type in ("unknown", "organisation") and _CASE_WITNESS_CODE.fullmatch(speaker.name)
    ):
        # "W-17 stated …": a protected witness's pseudonym is a person, whom a later "she" means;
        # so is a case's own code for its witness ("KS-W23"), which the tagger takes for a body
        return replace(speaker, type="person")
    words = speaker.name.lower().split()
    if (
        speaker.type == "organisation"
        and words
        and words[-1] in (_ROLES - {"general"}) | _CHAIRS
        and all(word in _TITLE_WORDS for word in words[:-1])
    ):
        # "The Spokesman said …" in a UN briefing's highlights, "The Prime Minister told him":
        # an office written with capitals, which the tagger takes for a body, is one person,
        # whom a later "he" means and whom the title names
        return replace(speaker, type="unknown", title=words[-1])
    if speaker.type == "organisation" and speaker.name.lower() in _PARTIES:
        # "The Appellant argues …. He further contends …": a party to a case, written with a
        # capital as a judgment writes it, is a person, whom a later "he" means
        return replace(speaker, type="unknown", title=speaker.name.lower())
    if speaker.type in ("organisation", "unknown"):
        name = _ACRONYM_AFTER.sub("", _BASED_IN.sub("", speaker.name))
        if name != speaker.name and name[:1].isupper():
            speaker = replace(speaker, name=name)
    if speaker.name.count("(") > speaker.name.count(")"):
        # "A comment piece (Why the West should wait, 10 April, page 31) said …": the
        # bracket cites the piece by headline and date, and the name was cut inside it
        name = speaker.name[: speaker.name.rfind("(")].rstrip(" ,")
        if name:
            speaker = replace(speaker, name=name)
    if (
        speaker.name.lower().startswith(_SO_CALLED)
        and speaker.name[len(_SO_CALLED) :][:1].isupper()
    ):
        # "The so-called Ministry of Defence in Moscow claimed …": a partisan text's scorn for
        # the body is no part of its name
        speaker = replace(speaker, name=speaker.name[len(_SO_CALLED) :])
    return speaker


_SO_CALLED = "so-called "


# The parties to a case as a judgment names them, each one person or one side.
_PARTIES = frozenset(
    {"appellant", "respondent", "accused", "defendant", "claimant", "applicant", "petitioner"}
    | {"plaintiff", "deponent", "declarant"}
)


# A case's caption: a party's name in capitals and its place in the case, on the line below
# ("MARCUS ELLINGHAM,\nAppellant,") or at the end of the same line ("RAMI DARWISH    Claimant").
_CAPTION_PARTY = re.compile(
    r"^[^\S\n]*(?P<name>[A-Z][A-Z.'&-]*(?:[^\S\n][A-Z][A-Z.'&-]*){0,7}),?"
    r"(?:[^\S\n]*\n[^\S\n]*|[^\S\n]{3,})"
    r"(?P<role>Plaintiff|Defendant|Appellant|Appellee|Respondent|Petitioner|Claimant|Applicant)"
    r"[,.]?[^\S\n]*$",
    re.M,
)


def _parties_named_in_caption(doc: Doc, found: list[Attribution]) -> None:
    """ "SYRIAN ARAB REPUBLIC,\n Defendant." at the head of a complaint, then "Defendant has
    denied responsibility": a pleading or a brief names each party once, in its caption, and
    then by its place in the case alone; the bare "Defendant" or "Appellant" who speaks is
    the party the caption names. Only a party named alone in capitals for a place held by
    one (a plural "Plaintiffs," stands for many), and only a speaker known by nothing but
    that place."""
    named: dict[str, Speaker] = {}
    seen: set[str] = set()
    for match in _CAPTION_PARTY.finditer(text_of(doc)[:3000]):
        role = match.group("role").lower()
        if role in seen:
            named.pop(role, None)  # two parties in one place: no one alone
            continue
        seen.add(role)
        name = _uncapitalised(match.group("name").strip().removeprefix("THE "))
        words = name.split()
        if place_to_state(name) != name:
            named[role] = Speaker(name=place_to_state(name), type="state")
        elif any(word.lower() in _ORG_WORDS for word in words) or len(words) > 3:
            named[role] = Speaker(name=name, type="organisation")
        else:
            named[role] = Speaker(name=name, type="person")
    if not named:
        return
    for item in found:
        speaker = item.speaker
        if speaker is None:
            continue
        role = speaker.name.lower()
        owner, _, document = role.partition("'s ")
        if document.split(maxsplit=1)[:1] and document.split()[0] in _PUBLISHED | {"brief"}:
            # "The defendant's article of 9 May", "Respondent's brief below": the party's
            role = owner
        if role not in named:
            continue
        party = named[role]
        item.speaker = replace(
            party, resolved_from=item.source.text if item.source is not None else speaker.name
        )


def _log_clock(token: Token) -> bool:
    """Whether ``token`` is a clock time ("10:05") opening its line, as a log's entry opens."""
    doc = token.doc
    return bool(re.fullmatch(r"\d{1,2}:\d{2}", token.text)) and (
        token.i == 0 or "\n" in doc[token.i - 1].text_with_ws or doc[token.i - 1].is_space
    )


def _question_label(token: Token) -> bool:
    """Whether ``token`` is a transcript's "Q." opening its line."""
    doc = token.doc
    return token.text in ("Q.", "Q:") and (
        token.i == 0 or "\n" in doc[token.i - 1].text_with_ws or doc[token.i - 1].is_space
    )


# What is posted, which speaks for whoever posted it.
_POSTS = frozenset({"post", "tweet", "video", "message", "comment", "thread", "meme"})


def _post_on_platform(tokens: list[Token]) -> Speaker | None:
    """ "A Facebook post claimed …", "a viral TikTok video alleged …": the site names where the
    post appeared, not who speaks; the speaker is the post, as "A widely shared post on
    VKontakte" is. None when the phrase is no such post."""
    heads = [token for token in tokens if token.head not in tokens or token.head == token]
    if len(heads) != 1 or heads[0].lemma_.lower() not in _POSTS:
        return None
    head = heads[0]
    if not any(c.dep_ == "compound" and c.lower_ in _PLATFORMS for c in head.children):
        return None
    words = [t for t in tokens if t.i <= head.i and t.dep_ != "det"]
    return Speaker(name=_text_of(words), type="unknown") if words else None


# What a body or a person posts through: "the presidency's account", "the ministry's Telegram
# channel".
_ACCOUNTS = frozenset({"account", "feed", "channel", "page", "website", "timeline"})


def _account_owner(tokens: list[Token]) -> list[Token]:
    """ "The Syrian presidency's account did not mention the attack": an account speaks for
    whose it is; the words naming the owner, or none when the phrase is no owner's account."""
    heads = [token for token in tokens if token.head not in tokens or token.head == token]
    words = [t for t in tokens if t.pos_ != "DET"]
    if len(words) > 3 and words[0].lemma_.lower() in _ACCOUNTS and words[1].is_quote:
        # "The channel "Rybar"", which the parse can head by the name: the name is whose
        name = [t for t in words[2:] if not t.is_quote]
        if words[-1].is_quote and all(t.text[:1].isupper() or not t.is_alpha for t in name):
            return name
    if len(heads) != 1 or heads[0].lemma_.lower() not in _ACCOUNTS:
        return []
    owner = next((c for c in heads[0].children if c.dep_ == "poss"), None)
    head = heads[0]
    if owner is None and head.i + 2 < len(head.doc) and head.nbor(1).is_quote:
        # "the channel "Rybar"": the name in quotation marks right after the account's word
        closing = next((t for t in head.doc[head.i + 2 : head.i + 8] if t.is_quote), None)
        kept = {x.i for x in tokens}
        name = [t for t in head.doc[head.i + 2 : closing.i] if t.i in kept] if closing else []
        if name and all(t.text[:1].isupper() or not t.is_alpha for t in name):
            return name
    if owner is None:
        # "the channel "Voenkor Kotenok"", "the channel of the Idlib Health Directorate": the
        # name set beside the account, or its owner's after "of", is whose it is
        named = next(
            (
                c if c.dep_ == "appos" else next(x for x in c.children if x.dep_ == "pobj")
                for c in heads[0].children
                if (c.dep_ == "appos" and c.pos_ == "PROPN")
                or (
                    c.dep_ == "prep"
                    and c.lower_ == "of"
                    and any(x.dep_ == "pobj" and x.pos_ == "PROPN" for x in c.children)
                )
            ),
            None,
        )
        if named is None:
            return []
        kept = {x.i for x in tokens}
        return _trim([t for t in named.subtree if t.i in kept and not t.is_quote])
    if owner.pos_ == "PRON":
        return []  # "its account": the pronoun is resolved as the speaker would be
    return _trim([t for t in owner.subtree if t.dep_ != "case" and t.i in {x.i for x in tokens}])


# A witness's pseudonym in a court's or a commission's record: "W-17", "P-0117" (with the
# hyphen: "G7" and "P5" are groups of states).
_WITNESS_CODE = re.compile(r"[A-Z]{1,3}-\d{1,5}")
_CASE_WITNESS_CODE = re.compile(r"[A-Z]{1,3}-[A-Z]\d{1,5}")
# "The Syrian Network for Human Rights (SNHR)": the short name in brackets is not the name.
_ACRONYM_AFTER = re.compile(r"\s*\([A-Z][A-Za-z.-]{1,9}\)?\s*$")


_BASED_IN = re.compile(r"^[A-Z][\w.]*(?:[ -][A-Z][\w.]*)*-based\s+")


def _coordinated_people(people: list[Any], core: set[int]) -> list[str]:
    """The names of the people coordinated with the first one named ("Haddad and Lee", "Smith
    and Jones", where the tagger may miss "Smith"), in order, titles left off; one name or none
    when the first is not coordinated with another person."""
    first = people[0]
    if first.root.i not in core and first.root.dep_ != "appos":
        return []
    names = {first.root.i: first}
    for ent in people[1:]:
        head = ent.root
        while head.dep_ == "conj" and head.head.i not in names and head.head != head:
            head = head.head
        if ent.root.dep_ == "conj" and head.head.i in names:
            names[ent.root.i] = ent
    if len(names) == 1 and first.root.dep_ == "conj":
        head = first.root.head
        if (
            head.pos_ == "PROPN"
            and head.is_title
            and not head.ent_type_
            and head.i < first.start
            and head.lower_.strip(".") not in _TITLE_WORDS  # "Deputy Prime Minister and …"
        ):
            # "Smith and Jones argued": the tagger named only the second
            return [head.text, _untitled(_strip_possessive(first.text))[0]]
    ordered = sorted(names.values(), key=lambda ent: ent.start)
    if any(all(w.lower().strip(".") in _TITLE_WORDS for w in ent.text.split()) for ent in ordered):
        return []  # "Deputy Prime Minister and Foreign Minister Walid al-Moallem": one man
    return [_untitled(_strip_possessive(ent.text))[0] for ent in ordered]


def _describe(tokens: list[Token]) -> Speaker:
    doc = tokens[0].doc
    first, last = tokens[0].i, tokens[-1].i + 1
    if len(tokens) == 1 and tokens[0].pos_ == "PRON":
        return Speaker(name=tokens[0].text, type="pronoun")
    inside = {token.i for token in tokens}
    handle = next((t for t in tokens if t.text.startswith("@") and len(t.text) > 2), None)
    if handle is not None and first < handle.i - 1 and doc[handle.i - 1].text == "(":
        # "Nikki Haley (@nikkihaley), the U.S. ambassador …": the handle in brackets is the
        # account of the one named before it, who is the speaker
        bracket = {handle.i - 1, handle.i}
        if handle.i + 1 < len(doc) and doc[handle.i + 1].text == ")":
            bracket.add(handle.i + 1)
        rest = _trim([token for token in tokens if token.i not in bracket])
        if rest and rest[0].i < handle.i:
            return _describe(rest)
    if handle is not None:
        # "One user, @SyrianTruthNow,": an account's handle is the name it posts under
        return Speaker(name=handle.text, type="unknown")
    known_as = _name_known_by(tokens)
    if known_as is not None:
        # "A 32-year-old father of three, identified only as Abu Ali,": the name he is known by
        name, role = known_as
        return Speaker(name=name, type="person", title=role, gender=name_gender(name))
    if tokens[0].pos_ == "PRON" and tokens[0].lower_ in ("we", "i"):
        # "We, the Foreign Ministers of France, Germany and the United Kingdom,": who "we" are
        named = next((c for c in tokens[0].children if c.dep_ == "appos" and c.i in inside), None)
        if named is not None:
            return describe(_trim([t for t in named.subtree if t.i in inside]))
    root = next((token for token in tokens if token.head.i not in inside), tokens[-1])
    body = known_body(_strip_possessive(_text_of(tokens)))
    if body and body.split()[-1] == root.text:  # not "director at Human Rights Watch"
        # "Medecins Sans Frontieres", "Doctors Without Borders": bodies the tagger may call people
        return Speaker(name=body, type="organisation")
    head, core = _core(tokens)
    author = _author_of_document(head)
    if author is not None:
        # "A statement from the Syrian Observatory said": the Observatory speaks
        return describe(author)
    core_ids = {token.i for token in core}
    entities = [
        _named_at_end(ent) for ent in ents_of(doc) if ent.start >= first and ent.end <= last
    ]
    # A person named in a clause about the speaker ("Egypt, which backs Haftar, said") is not
    # the speaker; one in an apposition ("A spokesman for the army, Ahmed al-Mismari") is.
    # Nor is one named as a member of the many who speak ("Doctors who treated the wounded,
    # including Dr. Hamza al-Khatib,"): the many speak.
    in_clauses = {
        token.i
        for child in head.children
        if (
            child.dep_ in ("relcl", "acl", "advcl")
            or (child.dep_ == "prep" and child.lower_ == "including" and head.tag_ == "NNS")
        )
        and child.i > head.i
        for token in child.subtree
    }
    people = [
        ent
        for ent in entities
        if (
            (ent.label_ == "PERSON" and not any(w.lower() in _ORG_WORDS for w in ent.text.split()))
            or _person_shaped(ent)
        )
        and not _body_word_after(ent, last)
        and not _plural_name(ent)
        and not is_town(ent.text)  # "One resident of Khan Shaykhun": the town, not a person
        and ent.text.lower() not in _PLATFORMS  # the tagger can take "Twitter" for a person
        and ent.root.i not in in_clauses
        # "Russia and Iran, Assad's main backers,": whose backers they are, not who speaks
        and not (
            ent.root.dep_ == "poss"
            and ent.root.head.dep_ == "appos"
            and head.ent_type_ in ("GPE", "ORG", "NORP")
        )
        # "Rendell, a Clinton surrogate,": whose surrogate he is, when the tagger missed the
        # name before it
        and not (
            ent.root.dep_ in ("compound", "poss")
            and ent.root.head.dep_ == "appos"
            and ent.root.head.head.i == head.i
            and head.pos_ == "PROPN"
            and head.is_title
            and (not head.ent_type_ or (head.ent_type_ == "ORG" and head.nbor(1).is_punct))
        )
        and not _where_they_are(ent.root, head)
    ]
    people.sort(
        key=lambda ent: (
            ent.root.i not in core_ids or ent.root.dep_ in ("poss", "pobj"),
            # "Erdogan's spokesman, Ibrahim Kalin,": the spokesman named, not whose he is
            ent.root.dep_ == "poss" and any(other.root.dep_ == "appos" for other in entities),
            # "by Labour's Rachel Osei", the party taken for a person: whose she is, not her
            # (but "Mr. Trump's hot wash of Mr. Bush" is Mr. Trump's)
            ent.root.dep_ == "poss" and ent.root.head.ent_type_ == "PERSON",
            ent.start,
        )
    )
    others = [
        ent
        for ent in entities
        if ent.label_ in _NAMED - {"PERSON"}
        and ent not in people
        and not _rank(ent.text)
        and ent.text.lower() not in _PLATFORMS  # "Users on Twitter": where they post
    ]
    together = _coordinated_people(people, core_ids) if people else []
    if len(together) > 1:
        # "Haddad and Lee (2018) note …", "Two residents, Umm Ahmed and Abu Ali, said …": the
        # people named together speak together; neither alone is the speaker
        return Speaker(name=", ".join(together[:-1]) + " and " + together[-1], type="group")
    if people and all(_owner(ent.root) for ent in people):
        # "Obama's spokesman", "one of Mr. Assad's advisers": someone who works for the person
        # named, not that person; the owner is their affiliation
        owner, _ = _untitled(_strip_possessive(people[0].text))
        role = people[0].root.head
        return Speaker(
            name=_text_of(core) or _text_of(tokens),
            type="unknown",
            title=role.lemma_.lower(),
            affiliation=owner,
        )
    if people:
        person = people[0]
        start = _given_names(doc, person.start, first)
        name, title_prefix = _untitled(
            _strip_possessive(text_of(doc)[doc[start].idx : _surname_after(person, last)])
        )
        affiliation = ""
        owners = [ent for ent in others if ent.end <= person.start]
        appositions = [ent for ent in others if ent.start >= person.end]
        if owners:
            affiliation = place_to_state(_strip_possessive(owners[0].text))
        elif appositions:
            affiliation = place_to_state(_strip_possessive(appositions[0].text))
        title_tokens = [
            token
            for token in doc[first:last]
            if token.i < start
            and token.i in core_ids
            and not any(ent.start <= token.i < ent.end for ent in owners[:1])
            and token.dep_ not in ("case", "det", "punct")
        ]
        # the title as written ("Director-General", not "Director General")
        before = (
            [text_of(doc)[title_tokens[0].idx : title_tokens[-1].idx + len(title_tokens[-1])]]
            if title_tokens
            else []
        )
        title_tokens = [
            token
            for token in doc[person.end : last]
            if token.dep_ in ("appos", "compound", "amod")
            and token.ent_type_ not in ("GPE", "NORP")
            and token.pos_ in ("NOUN", "PROPN", "ADJ")
        ]
        title = " ".join(before + [token.text for token in title_tokens] + [title_prefix]).strip()
        return Speaker(
            name=name,
            type="person",
            title=title,
            affiliation=affiliation,
            gender=_gender(tokens),
        )
    core_others = [ent for ent in others if ent.root.i in core_ids]
    if (
        head.lower_ in _ROLES | _WITNESSES | {"source", "person"}
        and not head.ent_type_
        and head.pos_ == "NOUN"
    ):
        # "the Russian envoy", "the ambassador": a role, to be matched to a person named before;
        # "a nurse at the Rahma hospital": one unnamed person, not the hospital
        places = [ent for ent in core_others if ent.label_ in ("GPE", "NORP")]
        affiliation = place_to_state(_strip_possessive(places[0].text)) if places else ""
        return Speaker(
            name=_text_of(core), type="unknown", affiliation=affiliation, title=head.lower_
        )
    if core_others:
        # the body's own name, else whose it is ("the Russian embassy in London" is Russia's)
        ahead = [ent for ent in core_others if ent.end <= head.i]
        main = next(
            (ent for ent in core_others if ent.start <= head.i < ent.end),
            ahead[-1] if ahead else core_others[-1],
        )
        text = _strip_possessive(main.text.removeprefix("the ").removeprefix("The "))
        span_text = _text_of(core)
        whole = normalise_space(text) == normalise_space(span_text)
        words = text.split()
        if whole and place_to_state(text) != text:
            return Speaker(name=place_to_state(text), type="state", resolved_from=text)
        if main.label_ == "GPE" and whole and not any(w.lower() in _ORG_WORDS for w in words):
            # a body the tagger read as a place ("The Syrian Observatory") is no state
            return Speaker(name=text, type="state")
        if (
            main.label_ in ("GPE", "NORP")
            and head.lower_ == "side"
            and all(t.i == head.i or t.dep_ == "det" or main.start <= t.i < main.end for t in core)
            and place_to_state(text) != text
        ):
            # "The Russian side believes …": the diplomatic register's name for a state
            return Speaker(name=place_to_state(text), type="state", resolved_from=span_text)
        if main.label_ in ("GPE", "NORP") and not whole:
            return Speaker(name=span_text, type="organisation", affiliation=place_to_state(text))
        places = [ent for ent in core_others if ent.label_ in ("GPE", "NORP") and ent != main]
        affiliation = place_to_state(_strip_possessive(places[0].text)) if places else ""
        if not affiliation:
            # "the Russian Defence Ministry": the model names the whole; its first word says whose
            first_word = _strip_possessive(span_text.split()[0]) if span_text else ""
            if place_to_state(first_word) != first_word:
                affiliation = place_to_state(first_word)
        return Speaker(name=span_text, type="organisation", affiliation=affiliation)
    titled = _titled_name(core, head)
    if titled is not None:
        return Speaker(name=titled[0], type="person", title=titled[1], gender=_gender(tokens))
    text = _text_of(core) or tokens[0].text
    return Speaker(name=text, type="organisation" if head.pos_ == "PROPN" else "unknown")


# One person who saw or treated the victims, named by what they are.
_WITNESSES = frozenset(
    {"witness", "resident", "doctor", "physician", "nurse", "medic", "paramedic", "survivor"}
    | {"volunteer", "rescuer", "farmer"}
)
# Prepositions of place: "witnesses in Khan Shaykhun" are not a person named Khan Shaykhun.
_PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around", "across"})
# People who speak as a group named by where they are.
_LOCALS = frozenset({"doctor", "survivor", "rescuer", "victim", "nurse", "villager", "medic"})
# People named by whose they are, as a speaker speaks of those close to them: "Our colleagues
# began calling us …. They said …", "The families I speak to …. They want …"; a "they" after
# them as a sentence's subject means them, not the last body named.
_CLOSE_PEOPLE = frozenset({"colleague", "family", "relative", "neighbour", "neighbor", "parent"})


def _where_they_are(root: Token, head: Token) -> bool:
    """A name the tagger took for a person's that is where the speakers are ("Witnesses in
    Khan Shaykhun said"): the object of a preposition of place on a common noun."""
    return (
        root.dep_ == "pobj"
        # "residents of Khan Shaykhun": where many are from
        and (root.head.lower_ in _PLACE_PREPS or (root.head.lower_ == "of" and head.tag_ == "NNS"))
        # "witnesses in Khan Shaykhun", "a nurse at the hospital in Kafr Nabl"
        and (root.head.head == head or _through_phrases(root.head.head, head))
        and head.pos_ == "NOUN"
        and head.lemma_.lower() in _PEOPLE_NOUNS | _ROLES | _LOCALS
    )


def _through_phrases(noun: Token, head: Token) -> bool:
    """Whether ``noun`` hangs on ``head`` through prepositional phrases alone."""
    while noun.dep_ == "pobj" and noun.head.dep_ == "prep":
        noun = noun.head.head
        if noun == head:
            return True
    return False


_FEMALE_TEXT = (
    "mrs ms miss madam madame lady queen princess spokeswoman chairwoman congresswoman "
    "businesswoman councilwoman stateswoman sister mother wife daughter actress"
)
_MALE_TEXT = (
    "mr sir lord king prince spokesman chairman congressman businessman councilman statesman "
    "brother father husband son actor"
)
_FEMALE = frozenset(_FEMALE_TEXT.split())
_MALE = frozenset(_MALE_TEXT.split())


# What is given by whoever provides it: "according to the information provided by the ministry".
_GIVEN_THINGS = frozenset({"information", "data", "datum", "figure", "account", "document"})
# What a body speaks through: "a statement from the ministry said", "a letter by the envoy".
_DOCUMENTS = frozenset({"statement", "letter", "communique", "communiqué", "release", "note"})


# What a body or a person publishes under its name: "a New York Times article", "the
# ministry's report", "a Human Rights Watch investigation".
_PUBLISHED = _DOCUMENTS | frozenset(
    {
        "article",
        "report",
        "editorial",
        "story",
        "column",
        "tweet",
        "post",
        "broadcast",
        "bulletin",
        "study",
        "investigation",
        "assessment",
        "analysis",
        "review",
        "survey",
        "inquiry",
        "probe",
        "memo",
        "cable",
        "briefing",
        "transcript",
        "readout",
        "recording",
    }
)


# How a document comes from whoever issued it: "released by the Kremlin", "provided by Syria";
# not "seen by Reuters" or "obtained by the Times", which only had it.
_ISSUING = frozenset(
    {"release", "publish", "issue", "provide", "compile", "prepare", "write", "produce"}
    | {"draft", "submit", "send", "deliver", "present", "post", "sign", "put"}
)


def _document_word(attribution: Attribution) -> str:
    """The kind of document a source phrase names ("a Times article": "article"), or ""."""
    if attribution.source is None:
        return ""
    last = _singular(attribution.source.text.split()[-1])  # "the letters"
    return last if last in _PUBLISHED else ""  # "the Post" is a newspaper


def _author_of_document(head: Token) -> list[Token] | None:
    """The words naming who issued the document a source phrase names ("A statement from the
    Syrian Observatory" is the Observatory's), when a name or a body ("the Turkish
    presidency") follows "from" or "by", or names it before ("A New York Times article", "the
    ministry's report", "a Trump tweet"); else None."""
    lemma = head.lemma_.lower()
    if lemma in _PUBLISHED and head.text.islower():  # not "The New York Post"
        named = [
            child
            for child in head.children
            if child.i < head.i
            and child.dep_ in ("compound", "poss")
            and (
                child.ent_type_ in ("ORG", "PERSON")
                or child.lemma_.lower() in _ORG_WORDS
                # "A Human Rights Watch investigation": a name the tagger did not tag
                or (
                    child.dep_ == "compound"
                    and not child.ent_type_
                    and all(t.pos_ == "PROPN" for t in child.subtree)
                )
            )
        ]
        nearest = max(
            (c.i for c in head.children if c.i < head.i and c.dep_ in ("compound", "poss")),
            default=-1,
        )
        if named and named[-1].i == nearest:  # not "a Khan Shaykhun hospital report"
            author = named[-1]
            # "A Syrian government statement": the state's word goes with the body
            states = [
                child
                for child in head.children
                if child.i < author.left_edge.i and child.ent_type_ in ("NORP", "GPE")
            ]
            if author.text.islower() and author.dep_ == "compound" and not states:
                return None  # "a news report", "a government statement": no one named
            return sorted(
                [t for s in states for t in s.subtree]
                + [t for t in author.subtree if t.dep_ != "case"],
                key=lambda t: t.i,
            )
    if lemma not in _PUBLISHED | _GIVEN_THINGS:
        return None
    # "a statement from the ministry"; "the information provided by the Syrian Arab Republic"
    preps = [c for c in head.children if c.dep_ == "prep"] + [
        agent
        for acl in head.children
        if acl.dep_ == "acl" and acl.tag_ == "VBN" and acl.lemma_ in _ISSUING
        for agent in acl.children
        if agent.dep_ == "agent"
    ]
    for prep in preps:
        if prep.lower_ == "of" and _issued_of(head, prep):
            # "the statement of the Ministry of Defence of the Russian Federation": a
            # judgment's way of naming whose statement it is
            body = next(c for c in prep.children if c.dep_ == "pobj")
            dated = {  # "the Ministry of Health of 9 May": the date is the statement's
                t.i
                for c in body.children
                if c.dep_ == "prep"
                and c.lower_ == "of"
                and any(g.ent_type_ == "DATE" or g.like_num for g in c.subtree)
                for t in c.subtree
            }
            return _trim([t for t in _source_tokens(body) if t.i not in dated])
        if prep.lower_ not in ("from", "by"):
            continue
        issuer = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if issuer is not None and (
            issuer.ent_type_
            or issuer.pos_ == "PROPN"
            # "a statement from the Turkish presidency", "… from the army's general command"
            or issuer.lemma_.lower() in _ORG_WORDS | {"presidency", "command", "headquarters"}
            # "statements by Russian officials": people who speak, named by what they are
            or (head.tag_ == "NNS" and issuer.lemma_.lower() in _ROLES | _PEOPLE_NOUNS)
        ):
            called = next(
                (c for c in issuer.children if c.dep_ == "appos" and c.ent_type_ in _NAMED),
                None,
            )
            # "by the open-source group Bellingcat": the group's name, not what it is
            return _source_tokens(called if called is not None else issuer)
    return None


def _issued_of(head: Token, prep: Token) -> bool:
    """Whether "of" after a document names the body that issued it: "the statement of the
    Ministry of Defence", with "the" and a body's name, not "a statement of principles" or
    "the report of the attack" (what it is about)."""
    issuer = next((c for c in prep.children if c.dep_ == "pobj"), None)
    return (
        issuer is not None
        and head.lemma_.lower() in ("statement", "declaration", "communique", "letter")
        and any(c.dep_ == "det" and c.lower_ == "the" for c in head.children)
        and issuer.ent_type_ == "ORG"
        and issuer.lemma_.lower() in _ORG_WORDS
    )


def _gender(tokens: Iterable[Token]) -> str:
    """What an honorific or a gendered title in the phrase says ("Mrs. Clinton",
    "spokeswoman Maria Zakharova"); "" when nothing does."""
    for token in tokens:
        word = token.lower_.rstrip(".")
        if word in _FEMALE:
            return "female"
        if word in _MALE:
            return "male"
    return ""


def normalise_space(text: str) -> str:
    return " ".join(text.split())


_ORG_TEXT = (
    "council ministry nations news agency party army forces committee office department "
    "government house university times post press union organisation organization group front "
    "court bank company inc corp association institute network media tv radio commission "
    "mechanism opcw un nato eu embassy mission service services guard brigade brigades "
    "coalition observatory watch international foundation center centre "
    "defence defense society directorate presidency command authority panel tribunal "
    "duma parliament knesset bundestag senate assembly board congress "
    # a court's divisions, which judge and find: "the Trial Chamber", "the Appeals Chamber"
    "chamber"
)
_ORG_WORDS = frozenset(_ORG_TEXT.split())


def _body_word_after(ent: Any, last: int) -> bool:
    """ "Khan Shaykhun Local Council: …": the tagger can end a person's name one word short
    of the body's own word ("Council", "Committee") that closes it; a name followed, in the
    same phrase, by such a word names the body, not a person."""
    return ent.end < last and ent.doc[ent.end].lower_ in _ORG_WORDS


def _named_at_end(ent: Any) -> Any:
    """A person's name the tagger ran into the body before it ("to the UN Bashar al-Jaafari",
    one organisation to the small model): the name from its given name on, as a person; else
    the entity as it is."""
    if ent.label_ != "ORG" or _person_shaped(ent):
        return ent
    spacy_span = type(ent)  # spaCy's Span, imported with the pipeline
    for size in (2, 3):
        # "the Ministry of Foreign Affairs of the Islamic Republic of Iran Bahram Qasemi": two
        # or three capitalised words after the state that ends the body's name are a person's
        if (
            len(ent) > size + 2
            and is_state(ent[-size - 1].text)
            and ent[-size - 2].lower_ == "of"  # "… of Iran", the end of the body's name
        ):
            tail = spacy_span(ent.doc, ent.end - size, ent.end, label="ORG")
            if _person_shaped(tail) and all(t.pos_ == "PROPN" for t in tail):
                return spacy_span(ent.doc, tail.start, tail.end, label="PERSON")
    for token in ent[1:]:
        if token.is_title and is_given_name(token.text):
            tail = spacy_span(ent.doc, token.i, ent.end, label="PERSON")
            if 2 <= len(tail.text.split()) <= 3 and _person_shaped(
                spacy_span(ent.doc, token.i, ent.end, label="ORG")
            ):
                return tail
            break
    return ent


def _person_shaped(ent: Any) -> bool:
    """An entity the small model calls an organisation but that reads like a person's name
    ("Nikki Haley", "Major-General Igor Konashenkov"): after any titles, one to three
    capitalised words, none of them an organisation word, and more than a bare title. One it
    calls a place is a person too when set beside a role ("Our reporter at the UN, Aisha
    Mbeki, argues"), opening with a known given name and followed by a surname."""
    if ent.label_ not in ("ORG", "GPE"):
        return False
    name, title = _untitled(ent.text)
    words = name.split()
    if ent.label_ == "GPE" and not (
        ent.root.dep_ == "appos" and len(words) >= 2 and is_given_name(words[0])
    ):
        return False
    return (
        1 <= len([word for word in words if word not in _NAME_PARTICLES]) <= 3
        and (len(words) >= 2 or bool(title))
        and _capitalised_name(words[0])
        and _capitalised_name(words[-1])
        and all(
            _capitalised_name(word) or word in _NAME_PARTICLES or _initial(word)
            for word in words[1:-1]
        )
        and not any(word.lower() in _ORG_WORDS for word in words)
        # "Major General" alone is a rank, not a name; "Permanent Representative" a title
        and not _rank(name)
        # "the Minister of Information": what follows a title's "of" is its portfolio
        and title.lower().split()[-1:] != ["of"]
        and not all(
            part.lower().rstrip(".") in _TITLE_WORDS
            for word in ent.text.split()
            for part in word.split("-")
        )
        and place_to_state(ent.text) == ent.text
    )


def _rank(text: str) -> bool:
    """Whether ``text`` is a military rank alone ("Major General", "Lieutenant-Colonel"),
    which the small model can tag as an organisation: neither a name nor a body."""
    parts = text.replace("-", " ").split()
    return bool(parts) and all(part.lower().rstrip(".") in _RANKS for part in parts)


_RANKS = frozenset(
    {"major", "maj", "general", "gen", "lieutenant", "lt", "colonel", "col", "brigadier"}
    | {"brig", "admiral", "commander", "captain", "capt", "sergeant", "marshal", "field"}
)


# Small words inside a person's name ("Staffan de Mistura", "Ursula von der Leyen").
_NAME_PARTICLES = frozenset(
    {"de", "da", "di", "du", "del", "della", "van", "von", "der", "den", "la", "le", "bin", "ibn"}
)


def _initial(word: str) -> bool:
    """A middle initial: the "A." of "Vassily A. Nebenzia"."""
    return len(word) == 2 and word[0].isupper() and word[1] == "."


def _capitalised_name(word: str) -> bool:
    """A word written as a name is: "Mistura", "al-Jaafari", "Abdel-Aziz"."""
    parts = word.split("-")
    return all(part.isalpha() for part in parts) and any(
        part[:1].isupper() and part[1:].islower() for part in parts
    )


def _untitled(text: str) -> tuple[str, str]:
    """A name without the titles in front of it: ("Igor Konashenkov", "Major-General")."""
    words = text.split()
    cut = 0
    while cut < len(words) - 1 and all(
        part.lower().rstrip(".") in _TITLE_WORDS for part in words[cut].split("-")
    ):
        cut += 1
    if cut and cut == len(words) - 1 and _CODE_NAME.fullmatch(words[-1]):
        return text, ""  # "Complainant A", "Witness K-17": the letter alone names no one
    return " ".join(words[cut:]), " ".join(words[:cut])


# A letter or a code an anonymised party or witness is known by ("A", "K-17", "W12").
_CODE_NAME = re.compile(r"[A-Z](?:-?\d+)?")


def _strip_possessive(text: str) -> str:
    for ending in ("'s", "’s", "'", "’"):
        if text.endswith(ending):
            return text[: -len(ending)].rstrip()
    return text.removeprefix("the ").removeprefix("The ")


# Verbs of speaking to someone: "I repeated this to Youssef", "I told Ahmad", "I asked Mariam".
_TOLD_TO = frozenset({"say", "tell", "repeat", "ask", "explain", "read", "show", "put"})
# How a writer gets hold of someone who then answers: "We contacted a hospital director".
_CONTACTED = frozenset({"contact", "reach", "interview", "phone", "call", "email", "approach"})


# A broadcast script's or a transcript's bracketed note of what is shown, on a line of its own,
# that brings on someone unnamed: "[Clip of a man in a hospital corridor, identified as a
# resident]", "[Video: a woman outside the clinic]".
_SHOWN_PERSON = re.compile(
    r"^[^\S\n]*\[[^\]\n]*?\b(?:an?|one|another)[^\S\n]+(?P<who>man|woman|boy|girl)\b"
    r"[^\]\n]*\][^\S\n]*$",
    re.M | re.I,
)


def _shown_in_brackets(doc: Doc) -> list[tuple[int, Speaker]]:
    """The unnamed person a bracketed note of what is shown brings on ("[Clip of a man in a
    hospital corridor]"): whom the "he says" under the clip means, not the last person named
    before it, who is off screen."""
    mentions = []
    for match in _SHOWN_PERSON.finditer(text_of(doc)):
        who = match.group("who").lower()
        gender = "female" if who in ("woman", "girl") else "male"
        mentions.append(
            (match.start("who"), Speaker(name=who, type="unknown", title=who, gender=gender))
        )
    return mentions


def _subject_mentions(
    doc: Doc, inverted: frozenset[int] = frozenset()
) -> list[tuple[int, Speaker]]:
    """Named people, states and organisations that are subjects of a clause: the candidates a
    later "she" or "it" most likely refers to even when they were not quoted. ``inverted``:
    where a "Said Comey, …" begins, which the tagger reads as one name."""
    mentions = []
    mentions += _bodies_named_with_acronym(doc)
    mentions += _owners_of_a_fragment(doc)
    mentions += _owners_of_their_words(doc)
    for ent in ents_of(doc):
        if ent.label_ not in _NAMED or ent.start_char in inverted or is_town(ent.text):
            continue
        if ent.root.dep_ in ("nsubj", "nsubjpass"):
            tokens = _source_tokens(ent.root)
            words = [token.i for token in ent if not token.is_punct]
            if tokens and words and not tokens[0].i <= words[0] <= words[-1] <= tokens[-1].i:
                # "Abdel Hamid al-Youssef lost …", the name's words parsed as subjects each
                tokens = list(doc[min(words[0], tokens[0].i) : max(words[-1], tokens[-1].i) + 1])
            if tokens:
                mentions.append((ent.start_char, describe(tokens)))
        elif (
            ent.label_ == "ORG"
            and ent.root.dep_ == "pobj"
            and ent.root.head.lower_ in ("for", "of", "at")
            and ent.root.head.head.dep_ in ("nsubj", "nsubjpass")
            and _singular(ent.root.head.head.lower_) in _ROLES
        ):
            # "A spokesperson for the World Health Organization said … The agency urged": the
            # body someone speaks for is named as much as they are
            tokens = _trim([token for token in ent if token.dep_ != "det"])
            if tokens:
                mentions.append((ent.start_char, describe(tokens)))
        elif (
            ent.label_ == "ORG"
            and ent.root.dep_ in ("compound", "poss")
            and ent.root.head.dep_ in ("nsubj", "nsubjpass")
            and ent.root.head.tag_ == "NNS"
        ):
            # "OPCW inspectors have completed a visit …, the organisation said": a body named
            # only as whose its people are, a candidate for "the organisation" when no body
            # was named outright
            tokens = _trim([token for token in ent if token.dep_ != "det"])
            found = describe(tokens) if tokens else None
            if found is not None and found.type == "organisation":
                mentions.append((ent.start_char, replace(found, type="body")))
        elif ent.label_ == "PERSON" and not (
            ent.root.dep_ == "pobj" and ent.root.head.lower_ in _PLACE_PREPS
        ):  # "an attack in Khan Shaykhun": a town the tagger took for a person
            # A person named in another role ("met Mr. Trump") is a candidate of last resort.
            before = doc[ent.start - 1] if ent.start else None
            titled = (
                before is not None and before.lower_.rstrip(".") in _TITLE_WORDS | _FEMALE | _MALE
            )
            start = ent.start - 1 if titled else ent.start
            while (
                titled
                and start > 0
                and doc[start - 1].dep_ == "compound"
                and (doc[start - 1].is_title and doc[start - 1].head.i >= start)
            ):
                start -= 1  # "met Prime Minister Theresa May": the whole title, as a speaker's
            found = describe(_trim(list(doc[start : ent.end])))
            if found.type == "person":
                found.type = "mentioned"
                mentions.append((ent.start_char, found))
    for token in doc:
        main = token.head.head
        if (
            token.dep_ == "nsubj"
            and token.tag_ == "NNS"
            and token.head.dep_ == "advcl"
            and token.head.i < main.i
            and any(
                c.dep_ == "nsubj" and c.lower_ == "they" and c.i > token.i for c in main.children
            )
        ):
            # "When the investigators came to Gaziantep, they asked me …": the people of the
            # clause set before the main one are whom its "they" means, and a "they" after
            group = describe(_source_tokens(token))
            if group is not None:
                mentions.append((token.idx, group))
        if (
            token.dep_ in ("oprd", "dobj")
            and token.tag_ == "NNP"
            and token.head.lemma_ in ("name", "call")
            and token.head.dep_ in ("acl", "relcl")
            and token.head.head.tag_ == "NN"
            and token.head.head.lower_ not in _ORG_WORDS
        ):
            # "a farmer named Abdelkarim", "a quiet man I will call Youssef": a person the
            # story introduces by name, whom a "he" after means as if they were the subject
            name = [t for t in token.subtree if t.dep_ in ("compound", "flat") or t == token]
            introduced = describe(_trim(name)) if name else None
            if introduced is not None:
                mentions.append((token.idx, replace(introduced, type="person")))
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        if (
            token.dep_ in ("dobj", "pobj")
            and token.lemma_.lower() in _DOCUMENTS
            and owner is not None
            and owner.ent_type_ in ("ORG", "GPE", "NORP")
        ):
            # "My editor read me the Russian Defence Ministry's statement. A strike, it
            # claimed, …": the statement speaks for its owner, whom the "it" after it means
            words = _trim(
                [t for t in owner.subtree if t.dep_ != "case" and t.text not in ("'s", "’s")]
            )
            body = describe(words) if words else None
            if body is not None and body.type in ("organisation", "state"):
                mentions.append((token.idx, body))
        addressed = token.head.head if token.dep_ == "pobj" and token.head.lower_ == "to" else None
        if token.dep_ in ("dative", "dobj"):
            addressed = token.head
        if (
            addressed is not None
            and token.tag_ == "NNP"
            and token.ent_type_ in ("PERSON", "")
            and addressed.lemma_ in _TOLD_TO
            and any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in addressed.children)
        ):
            # "I repeated this to Youssef. He laughed …": whom the narrator speaks to answers,
            # so a "he" after means them (never the narrator, who is "I")
            name = [t for t in token.subtree if t.dep_ in ("compound", "flat") or t == token]
            if name and name[0].text[:1].isupper():
                mentions.append((token.idx, replace(describe(_trim(name)), type="person")))
        if (
            token.dep_ == "dobj"
            and token.tag_ == "NN"
            and token.head.lemma_ in _CONTACTED
            and any(c.dep_ == "nsubj" and c.lower_ in ("i", "we") for c in token.head.children)
        ):
            # "We contacted a hospital director in Idlib. He said …": the one the writer
            # reached, by office, is whom the "he" that answers means
            tokens = _source_tokens(token)
            found = describe(tokens) if tokens else None
            if found is not None and found.type == "unknown" and _one_person(found):
                mentions.append((tokens[0].idx, found))
        if (
            token.dep_ in ("nsubj", "nsubjpass")
            and token.lower_ in _STATE_BODIES
            and any(child.ent_type_ in ("NORP", "GPE") for child in token.children)
        ):
            # "The Syrian government has not responded … It has previously denied …": a state's
            # government is named as much as the state is
            tokens = _source_tokens(token)
            body = describe(tokens) if tokens else None
            if body is not None and body.type in ("state", "organisation"):
                mentions.append((tokens[0].idx, body))
            continue
        if (
            token.dep_ == "compound"
            and token.tag_ == "NNP"
            and not token.ent_type_
            and token.text.isupper()
            and 2 <= len(token.text) <= 6
            and token.head.dep_ in ("nsubj", "nsubjpass")
            and token.head.tag_ == "NNS"
        ):
            # "OPCW inspectors …": an acronym the tagger did not call an organisation
            mentions.append((token.idx, Speaker(name=token.text, type="body")))
            continue
        if (
            token.dep_ == "dobj"
            and token.lemma_.lower() in _PUBLISHED
            and token.head.lemma_ in _ISSUING
        ):
            # "The Ministry … sent two identical letters to …": whose a later "the letters" are
            issuer = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
            tokens = _source_tokens(issuer) if issuer is not None else []
            found = describe(tokens) if tokens else None
            if found is not None and found.type in ("state", "organisation", "person"):
                kind = f"issuer/{found.type}"
                mentions.append((tokens[0].idx, replace(found, type=kind, title=token.lemma_)))
            continue
        # "Syrian officials had invited the inspectors to the base, which they said …": people
        # named by what they are as the sentence's subject, a candidate for a "they" later in
        # the same sentence only
        if (
            token.dep_ in ("nsubj", "nsubjpass")
            and token.head.dep_ == "ROOT"
            and not token.ent_type_
            and token.tag_ == "NNS"
            # "witnesses" is no "witnesse" plus "s"
            and {token.lower_[:-1], token.lemma_.lower()}
            & (_PEOPLE_NOUNS | _ROLES | _LOCALS | _CLOSE_PEOPLE)
        ):
            tokens = _source_tokens(token)
            if tokens:
                found = describe(tokens)
                if found.type in ("unknown", "organisation") and _many(found):
                    mentions.append((tokens[0].idx, replace(found, type="crowd")))
            continue
        # "The Secretary-General is deeply disturbed … He recalls …": one person by office
        if (
            token.dep_ in ("nsubj", "nsubjpass")
            and not token.ent_type_
            and token.lower_.split("-")[-1] in _ROLES
            and (token.tag_ in ("NN", "NNP") or token.lower_ == "accused")  # "the accused, …"
            and any(child.lower_ == "the" for child in token.children)
            # "Now the highest-ranking prosecutor …, Lynch rose": the office of one named
            and not any(
                t.ent_type_ == "PERSON" or (t.dep_ == "nsubj" and t != token)
                for t in (*token.children, *token.head.children)
            )
        ):
            tokens = _source_tokens(token)
            if tokens:
                found = describe(tokens)
                if found.type in ("unknown", "organisation"):
                    role = token.lower_.split("-")[-1]
                    found = replace(found, type="unknown", title=found.title or role)
                    if _one_person(found):
                        mentions.append((tokens[0].idx, found))
    return mentions


# What is held as one holds a view: the nouns a "which" held by someone may stand for.
_HELD_AS_VIEWS = (
    _CLAIM_NOUNS
    | _ACCOUNT_NOUNS
    | _VIEWS
    | frozenset({"theory", "idea", "notion", "assumption", "hypothesis", "conviction", "thesis"})
)


def _held_no_view(doc: Doc, item: Attribution) -> bool:
    """ "the Idlib Governorate, which was then held by armed opposition groups": "held" with
    nothing but a relative word for its content holds what the word stands for, and only a
    view, a belief or a theory so held is something someone says ("the view, which is held
    by many analysts"); a town, a seat or a meeting held is no saying."""
    if item.cue_i < 0 or doc[item.cue_i].lemma_ != "hold":
        return False
    if item.content.text.strip().lower() not in ("which", "that"):
        return False
    cue = doc[item.cue_i]
    return cue.dep_ == "relcl" and cue.head.lemma_.lower() not in _HELD_AS_VIEWS


def _relative_speaker_is_its_noun(doc: Doc, found: list[Attribution]) -> None:
    """ "used by those who hold that no attack took place": whatever pass found a saying in
    a relative clause, its "who" is the noun the clause hangs on, as the main reading has it
    ("a spokesman, who declined to …"); a pronoun "who" is no one to resolve."""
    for item in found:
        speaker = item.speaker
        source = item.source
        if item.cue_i < 0 or speaker is None or source is None:
            continue
        # "who" the relative word, not "WHO" the organisation
        if speaker.name not in ("who", "which") or source.text not in ("who", "which"):
            continue
        cue = doc[item.cue_i]
        relative = cue if cue.dep_ == "relcl" else _relative_clause_of(doc, source, cue)
        if relative is not None and relative.head.pos_ in ("NOUN", "PROPN", "PRON", "DET"):
            noun = relative.head
            if noun.dep_ == "attr" and noun.head.lemma_ == "be":
                # "Appellant is a writer who published articles questioning …": the writer
                # is the copula's subject
                noun = next((c for c in noun.head.children if c.dep_ == "nsubj"), noun)
            named = _source_tokens(noun)
            if named:
                item.speaker = describe(named)


def _relative_clause_of(doc: Doc, source: Span, cue: Token) -> Token | None:
    """The relative clause whose subject the source "who" is, when the cue is a participle
    on its verb ("a writer who published articles questioning the account": "questioning"
    hangs on "published"), or None. Not when that verb is itself a saying ("an architect who
    said he was stiffed …, saying …"): the participle may be another's, hung there by the
    parser."""
    word = doc.char_span(source.start, source.end)
    if word is None or len(word) != 1:
        return None
    token = word[0]
    verb = token.head
    if (
        token.dep_ == "nsubj"
        and verb.dep_ == "relcl"
        and cue.dep_ == "advcl"
        and cue.tag_ == "VBG"
        and cue.head.i == verb.i
        and key_of(verb) not in load_cues()["cues"]
    ):
        return verb
    return None


def _subject_taken_for_agent(doc: Doc, found: list[Attribution]) -> None:
    """ "Survivors interviewed by the mechanism described seeing an aircraft": the parser can
    read the saying verb as a participle on the interviewer ("the mechanism described …")
    and leave the sentence with a noun for its root. The people the sentence opens with,
    interviewed by someone, are who described it; the interviewer only asked."""
    for item in found:
        if item.cue_i < 0 or item.source is None:
            continue
        cue = doc[item.cue_i]
        by = cue.head.head if cue.dep_ == "acl" and cue.head.dep_ == "pobj" else None
        participle = by.head if by is not None and by.dep_ == "agent" else None
        people = participle.head if participle is not None and participle.dep_ == "acl" else None
        if (
            people is None
            or participle is None
            or people.dep_ != "ROOT"
            or people.pos_ not in ("NOUN", "PROPN")
            or not item.source.start <= cue.head.idx < item.source.end
        ):
            continue
        words = _trim([t for t in people.subtree if t.i < cue.i])
        if not words:
            continue
        item.source = _span(doc, words[0].idx, words[-1].idx + len(words[-1].text))
        item.speaker = describe(_trim([t for t in people.subtree if t.i < participle.i]))


# What a text calls itself or a part of itself when it says what it will do: "This page
# answers …", "This chapter explains …", "This explainer sets out …".
_SELF_PARTS = frozenset(
    {"page", "chapter", "section", "explainer", "glossary", "guide", "faq", "website", "site"}
)


def _without_signposts(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "This page answers the questions we are most often asked about our work": the text
    saying what it itself will do claims nothing, and a saying of no one named inside what it
    will do ("we are asked about our work") is part of the signpost. "This page finds that …",
    with a clause, is a claim and stays."""
    signposts = []
    for item in found:
        source = item.source
        if item.cue_i < 0 or source is None:
            continue
        words = source.text.lower().split()
        cue = doc[item.cue_i]
        if (
            len(words) == 2
            and words[0] in ("this", "the")
            and words[1] in _SELF_PARTS
            and not any(c.dep_ in ("ccomp", "mark") for c in cue.children)
            and not item.content.text.lower().startswith("that ")
        ):
            signposts.append(item)
    return [
        item
        for item in found
        if item not in signposts
        and not (
            item.source is None
            and any(s.content.start <= item.cue.start < s.content.end for s in signposts)
        )
    ]


def _what_a_word_means(doc: Doc, item: Attribution) -> bool:
    """A glossary's definitions: "attribution means identifying who is responsible" and
    "Staged: used by Russian officials to mean that the scene was arranged" say what a word
    stands for, not that anyone is responsible or that anything was arranged; the verb under
    "mean", or a word "used … to mean", is no saying."""
    if item.cue_i < 0:
        return False
    cue = doc[item.cue_i]
    if (
        cue.head.lemma_ == "mean"
        and cue.head.tag_ == "VBZ"  # a definition holds now; "for him, X meant embracing …"
        and cue.dep_ in ("xcomp", "ccomp")
        and cue.tag_ == "VBG"
        # a word defined, not "It means acknowledging that …", an argument's own step
        and any(c.dep_ == "nsubj" and c.pos_ != "PRON" for c in cue.head.children)
    ):
        return True
    return cue.lemma_ == "use" and any(
        c.dep_ in ("xcomp", "advcl") and c.lemma_ == "mean" for c in cue.children
    )


def _asked_of_any_one(doc: Doc, item: Attribution) -> bool:
    """ "Why might a government offer more than one explanation of the same event?": a
    textbook's question for its readers, put with a modal to any one of a kind ("a
    government"), imagines a saying; no one made it (as with "Why would anyone believe
    that?")."""
    if item.cue_i < 0:
        return False
    cue = doc[item.cue_i]
    if not cue.sent.text.rstrip().endswith("?"):
        return False
    subject = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return (
        subject is not None
        and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in subject.children)
        # the modal before the subject, as a question has it ("a reader would now ask: …?"
        # is a saying imagined, but not asked of the reader)
        and any(
            c.dep_ == "aux"
            and c.lower_ in ("can", "could", "would", "might", "should")
            and c.i < subject.i
            for c in cue.children
        )
    )


def _understood_why(doc: Doc, item: Attribution) -> bool:
    """ "We understand why people ask": understanding why or how something is so grants that
    it is so; it reports nothing anyone said ("We understand that the talks will resume"
    still reports what the speaker has been told)."""
    if item.cue_i < 0 or doc[item.cue_i].lemma_ != "understand":
        return False
    first = item.content.text.split()[:1]
    return bool(first) and first[0].lower() in ("why", "how")


def _work_cited(doc: Doc, item: Attribution) -> bool:
    """ "Included because it is cited so often by those who deny the attack": a work (or
    "it", standing for one) that is cited is referred to, not something its citers say; a
    reason cited ("officials cited security concerns") stays a saying."""
    if item.cue_i < 0 or doc[item.cue_i].lemma_ != "cite":
        return False
    cue = doc[item.cue_i]
    cited = next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
    return (
        cited is not None
        and item.content.start <= cited.idx < item.content.end
        and (cited.tag_ == "PRP" or cited.lemma_.lower() in _ENTRY_WORK_WORDS)
        and len(item.content.text.split()) <= 3
    )


def _clause_split_from_its_subject(doc: Doc, found: list[Attribution]) -> None:
    """ "those who deny the attack took place": the parser can take the reported clause's
    subject for the object of the saying verb and hang the clause's own verb elsewhere; the
    content is then the subject alone ("the attack"). A finite verb straight after that
    object, with no subject of its own, is the rest of what was denied."""
    for item in found:
        if item.cue_i < 0:
            continue
        cue = doc[item.cue_i]
        thing = next((c for c in cue.children if c.dep_ == "dobj"), None)
        if thing is None or thing.tag_ == "PRP" or thing.right_edge.i + 1 >= len(doc):
            continue
        verb = doc[thing.right_edge.i + 1]
        if (
            verb.tag_ not in ("VBD", "VBZ", "VBP")
            or verb.head == cue
            or cue.is_ancestor(verb)
            or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)
            or not item.content.start <= thing.idx < item.content.end
            or text_of(doc)[item.content.end : verb.idx].strip()
        ):
            continue
        words = _trim([t for t in verb.subtree if t.i >= verb.i and not t.is_punct])
        if words and all(words[n].i + 1 == words[n + 1].i for n in range(len(words) - 1)):
            item.content = _span(doc, item.content.start, words[-1].idx + len(words[-1].text))


def _reference_readings(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """The readings of reference texts (encyclopedia articles, textbooks, annotated
    bibliographies, questions and answers, glossaries), in one place: what their layout
    and habits make look like a saying and is none, and the spans and speakers the parser
    misreads in them. Each rule is right for any text; these texts are where it shows."""
    found = [
        item
        for item in found
        if not (
            _held_no_view(doc, item)
            or _work_cited(doc, item)
            or _what_a_word_means(doc, item)
            or _understood_why(doc, item)
            or _asked_of_any_one(doc, item)
        )
    ]
    found = _without_signposts(doc, found)
    _clause_split_from_its_subject(doc, found)
    _subject_taken_for_agent(doc, found)
    _relative_speaker_is_its_noun(doc, found)
    _cited_surnames_are_people(doc, found)
    return found


def _reference_speakers(doc: Doc, found: list[Attribution]) -> None:
    """Speakers of reference texts once pronouns are resolved: an annotation's "the author"
    or "this report" is its entry's author, and a "we" inside what "we" say is that we."""
    _entry_author(doc, found)
    _we_within_our_own_saying(found)


def _owners_of_a_fragment(doc: Doc) -> list[tuple[int, Speaker]]:
    """ "Fabrication. President Bashar al-Assad's word. "It is 100 percent fabrication," he
    told AFP": a glossary or a list of notes can open with a sentence without a verb whose
    noun belongs to someone; the sentence is about its owner as much as a subject would be,
    so a "he" just after means them, not the last person quoted."""
    mentions = []
    for sentence in doc.sents:
        root = sentence.root
        if root.pos_ not in ("NOUN", "PROPN") or any(t.pos_ in ("VERB", "AUX") for t in sentence):
            continue
        owner = next((c for c in root.children if c.dep_ == "poss"), None)
        if owner is None or owner.ent_type_ != "PERSON":
            continue
        words = _trim([t for t in owner.subtree if t.dep_ != "case" and t.text not in ("'s", "’s")])
        found = describe(words) if words else None
        if found is not None and found.type == "person":
            mentions.append((words[0].idx, found))
    return mentions


# What a person says, by which a sentence can be about them: "Mr. Clinton's remarks can be
# plodding … as he mentioned …".
_THEIR_WORDS = frozenset(
    {"remark", "speech", "word", "comment", "statement", "voice", "tone", "answer", "reply"}
    | {"address", "message", "testimony", "account"}
)


def _owners_of_their_words(doc: Doc) -> list[tuple[int, Speaker]]:
    """ "These days, Mr. Clinton's remarks can be plodding …. as he mentioned …": a clause
    whose subject is what a person says is about that person as much as if they were its
    subject, so a later "he" may mean them rather than the last person quoted."""
    mentions = []
    for token in doc:
        if token.dep_ != "poss" or token.ent_type_ != "PERSON":
            continue
        words_of = token.head
        if words_of.dep_ not in ("nsubj", "nsubjpass") or words_of.lemma_ not in _THEIR_WORDS:
            continue
        owner = _trim([t for t in token.subtree if t.dep_ != "case" and t.text not in ("'s", "’s")])
        found = describe(owner) if owner else None
        if found is not None and found.type == "person":
            mentions.append((owner[0].idx, found))
    return mentions


def _spells(acronym: str, name: str) -> bool:
    """Whether ``acronym`` is made of the initials of ``name``'s words, in order, some perhaps
    left out ("FFM" of "OPCW Fact-Finding Mission"; not "SNP" of "Mr Smith")."""
    initials = iter(part[0] for part in re.split(r"[\s-]+", name) if part[:1].isupper())
    return all(letter in initials for letter in acronym)


def _bodies_named_with_acronym(doc: Doc) -> list[tuple[int, Speaker]]:
    """Bodies a reference text introduces as a clause's subject by their full name and an
    acronym in brackets ("The OPCW Fact-Finding Mission (FFM) published its report …. It
    concluded …"; "The second, the Joint Investigative Mechanism (JIM), was asked …"). The
    tagger often sees no organisation in such a long name, only in the acronym; yet the
    bracket is how a text says "this body is named here, and will be named so again", so a
    later "it" means it even though it was not quoted."""
    mentions = []
    for token in doc:
        if not (
            token.dep_ == "appos"
            and token.tag_ == "NNP"
            and token.text.isupper()
            and 2 <= len(token.text) <= 6
            and token.i > 0
            and doc[token.i - 1].text == "("
            and token.head.tag_ == "NNP"
        ):
            continue
        name = token.head
        subject = name.head if name.dep_ in ("appos", "conj") else name
        if subject.dep_ not in ("nsubj", "nsubjpass"):
            continue
        words = _trim(
            [
                t
                for t in name.subtree
                if t.i < name.i or t == name
                if (t.dep_ != "det" and not t.is_punct) or t.tag_ == "HYPH"
            ]
        )
        found = describe(words) if words else None
        if (
            found is not None
            and found.type in ("organisation", "person", "unknown")
            and _spells(token.text, found.name)
        ):
            # a name given an acronym is a body's, whatever the tagger took it for
            mentions.append((words[0].idx, replace(found, type="organisation")))
    return mentions


_ARTICLES = ("al-", "el-", "ad-", "as-", "ash-", "at-", "az-", "ar-", "an-")


def _surnames(name: str) -> set[str]:
    """What a person may be called by alone: "Bashar al-Assad" → {"al-Assad", "Al-Assad",
    "Assad"}."""
    last = name.split()[-1]
    forms = {last}
    for article in _ARTICLES:
        if last.lower().startswith(article) and len(last) > len(article) + 1:
            forms.add(last[len(article) :])
    # "Al-Hariri said", opening a sentence, after "Nasr al-Hariri"
    return forms | {form[:1].upper() + form[1:] for form in forms}


def _called_alone(word: str, name: str) -> bool:
    """Whether a person named in full may be meant by ``word`` alone: a surname ("Holm" after
    "Peter Holm"), or, as a feature or an obituary calls people once they are introduced, the
    given name ("Hanan" after "Hanan Darwish"; not "Abu" of "Abu Khalil", nor "Al" of "Al Gore"
    )."""
    words = name.split()
    if len(words) < 2:
        return False
    if word in _surnames(name):
        return True
    return (
        word == words[0]
        and word[:1].isupper()
        and len(word) > 2
        and word.lower().rstrip(".") not in _TITLE_WORDS | _FEMALE | _MALE | {"abu", "umm", "ibn"}
    )


def _own_government(name: str, earlier: str) -> bool:
    """ "The Government does not accept the claim by the government of the Russian
    Federation": where the writer capitalises "the Government", as parliaments and ministries
    do, it is their own, and never a government the text wrote in small letters ("the Syrian
    government", "the government of …"), which is another state's."""
    return name == "Government" and "government" in earlier.split() and "Government" not in earlier


# Title words that tell one bearer of a surname from another: a rank or a calling, not what
# anyone is called ("Mr.") nor the small words of a title ("of", "the").
_DISTINGUISHING_TITLES = _TITLE_WORDS - {
    "mr",
    "mrs",
    "ms",
    "of",
    "the",
    "state",
    "special",
    "permanent",
}


def _person_called_so(alone: Speaker, people: list[Speaker]) -> Speaker | None:
    """ "Anas called …" after "My brother Anas woke me": a one-word name the tagger took for a
    body this time is the person named by it before, when more than the tagger said so (a
    title, or a gender the name itself gives; "Politifact", once tagged a person, stays a body;
    a gender guessed from a pronoun later is no evidence: "Sanders'" tagged a body is not the
    "she" of the sentence after); else None."""
    return next(
        (
            p
            for p in reversed(people)
            if p.type in ("person", "mentioned") and p.name == alone.name and (p.title or p.gender)
        ),
        None,
    )


def _named_in_full(
    alone: Speaker, candidates: list[Speaker], gender: Callable[[Speaker], str]
) -> Speaker | None:
    """The person named in full whom a name alone means, among ``candidates`` (latest first):
    the latest one it may stand for and whose gender, when known, is the one its honorific
    says ("Mrs. Clinton" is not Bill Clinton); but, when the name alone carries a rank or a
    calling, one named with it before the others ("Dr. Qaddour" after "Dr. Rami Qaddour … his
    daughter, Lina Qaddour" is the doctor, as an obituary calls its subject by title and
    surname)."""
    matching = [
        p
        for p in candidates
        if _called_alone(alone.name, p.name)
        and (not alone.gender or gender(p) in ("", alone.gender))
    ]
    if not matching:
        return None
    titles = {word.lower().rstrip(".") for word in alone.title.split()} & _DISTINGUISHING_TITLES
    if titles:
        titled = next(
            (
                p
                for p in matching
                if titles & {word.lower().rstrip(".") for word in p.title.split()}
            ),
            None,
        )
        if titled is not None:
            return titled
    return matching[0]


def _body_head(name: str) -> str:
    """The noun a body's name of several words is known by when named again: "Council" of
    "Council of the League of Arab States" and of "Security Council"; "" for one word."""
    words = name.split()
    if len(words) < 2:
        return ""
    return words[0] if words[1] == "of" else words[-1]


def _headline_taken_for_name(name: str) -> bool:
    """Whether a person's name as the tagger took it holds a pronoun, as a headline read as
    one name does ("Trump Says He Never"): no one's name."""
    return any(word in ("He", "She", "It", "They", "We", "I") for word in name.split()[1:])


def _headline_verb_in_name(name: str) -> bool:
    """Whether a name as the tagger took it holds a headline's verb of saying after its first
    word ("Obama Claims Hillary Most Qualified Presidential Candidate Ever"): a headline read
    as one name, whoever the surname before it is."""
    return any(word.lower() in _HEADLINE_SAYS for word in name.split()[1:])


def _body_before_of(name: str) -> str:
    """The words a body's name of several words is known by, two or three capitalised words
    before its "of", when named again ("General Command" of "General Command of Liwa al-Haqq");
    "" when the name has no such words."""
    words = name.split()
    at = words.index("of") if "of" in words else 0
    if not 2 <= at <= 3 or not all(word[:1].isupper() for word in words[:at]):
        return ""
    return " ".join(words[:at])


def resolve_speakers(
    found: list[Attribution],
    mentions: Iterable[tuple[int, Speaker]] = (),
    given_names: dict[str, str] | None = None,
    quotes: Sequence[tuple[int, int]] = (),
) -> None:
    """Give pronoun and bare-title speakers the name of the last fitting speaker before them.

    "He"/"She" take the last person named as a speaker or as a subject; "it"/"they" the last
    state or organisation; "the ambassador" the last person whose title contains "ambassador".
    Nothing fitting: the speaker stays as written, so an analyst sees it was not resolved.
    """
    people: list[Speaker] = []
    groups: list[Speaker] = []
    mentioned: list[Speaker] = []
    roles: list[Speaker] = []  # unnamed speakers by their role ("a senior official")
    # people named and unnamed ("the envoy, who asked not to be named"), in order: "she" after
    # an unnamed envoy is the envoy, not the last person named before her
    people_like: list[Speaker] = []
    genders: dict[str, str] = {}
    names = given_names or {}
    published: dict[str, Speaker] = {}  # "article": who issued the article last spoken of
    # bodies named only as a speaker's employer, with how many groups were named before them:
    # what "the agency" means when no body was named since, never what "it" or "they" means
    employers: list[tuple[int, Speaker]] = []
    named_at: dict[int, int] = {}  # id of a state or organisation → where it was last named

    def gender_of(speaker: Speaker) -> str:
        """What the honorific says, else what the given name usually is ("" when unknown)."""
        if speaker.gender or speaker.type not in ("person", "mentioned"):
            return speaker.gender
        if not speaker.name.split():
            return ""
        return names.get(speaker.name.split()[0].lower(), "") or name_gender(speaker.name)

    events: list[tuple[int, int, Attribution | Speaker]] = [
        (attribution.source.start if attribution.source else attribution.cue.start, 1, attribution)
        for attribution in found
    ]
    spoken = {attribution.source.start for attribution in found if attribution.source}
    events += [
        (position, 0, speaker)
        for position, speaker in mentions
        # a mention by office that is a speaker's own phrase is that speaker's, resolved below
        if not (speaker.type in ("unknown", "crowd") and position in spoken)
    ]
    bodies: list[Speaker] = []  # bodies named only as whose people are ("OPCW inspectors")
    # the last people named by what they are as a sentence's subject, not as speakers, and where
    sentence_crowd: Speaker | None = None
    crowd_at = -1
    group_at = -1  # where the last state or organisation was named
    for position, _, event in sorted(events, key=lambda item: (item[0], item[1])):
        if isinstance(event, Speaker):
            if event.type == "crowd":
                crowd_at, sentence_crowd = position, replace(event, type="unknown")
                continue
            if event.type == "body":
                bodies.append(replace(event, type="organisation"))
                continue
            if event.type.startswith("issuer/"):
                # "The ministry sent two letters …. The letters stressed …": the ministry's
                published[event.title] = replace(event, type=event.type[7:], title="")
                continue
            if event.type in ("state", "organisation"):
                group_at = position
            if event.type in ("person", "organisation") and len(event.name.split()) == 1:
                # "Holm" after "Peter Holm": the same person, with what is known of them (also
                # when the tagger took the surname alone for an organisation)
                event = (
                    _named_in_full(event, [*reversed(people + mentioned)], gender_of)
                    or (
                        _person_called_so(event, people + mentioned)
                        if event.type == "organisation"
                        else None
                    )
                    or event
                )
                if event.type == "mentioned":
                    event = Speaker(
                        name=event.name,
                        type="person",
                        title=event.title,
                        affiliation=event.affiliation,
                        gender=event.gender,
                    )
            if event.type == "organisation" and len(event.name.split()) == 1:
                # "The Council holds …" after "The Council of the League of Arab States
                # condemns …": the body named in full, whose head noun this is
                event = next(
                    (g for g in reversed(groups) if _body_head(g.name) == event.name), event
                )
            if event.type == "mentioned":
                mentioned.append(event)
                people_like.append(event)
            elif event.type == "unknown":
                people_like.append(event)  # one person by office, not quoted
                roles.append(event)
            elif event.type in ("person", "state", "organisation"):
                (people if event.type == "person" else groups).append(event)
                named_at[id(event)] = position
                if event.type == "person":
                    people_like.append(event)
                if gender_of(event):
                    genders.setdefault(event.name, gender_of(event))
            continue
        attribution = event
        speaker = attribution.speaker
        if speaker is None:
            continue
        word = speaker.name.lower()
        document = _document_word(attribution)
        if speaker.type == "unknown" and _singular(word) == document and document in published:
            # "a Times article hailed … the article read": the Times, whose article it is
            attribution.speaker = replace(published[document], resolved_from=speaker.name)
            groups.append(attribution.speaker)
            continue
        if document and speaker.type in ("state", "organisation", "person"):
            published[document] = speaker
        if speaker.type == "pronoun":
            # "In his view, …", "its statement said": whose view is whom "he" would mean
            word = _POSSESSIVE_PRONOUNS.get(word, word)
            pool = people if word in _PERSON_PRONOUNS else groups if word in _GROUP_PRONOUNS else []
            if word == "we" and not pool:
                pool = groups
            body = _body_just_before(found, attribution, word) if word in ("we", "it") else None
            if body is not None:
                # "This newspaper has long maintained … We believe …": the paper; "The
                # complaint alleges … It names …": the complaint
                attribution.speaker = replace(body, resolved_from=speaker.name)
                continue
            if word in _FIRST_PERSON and not _reported(found, attribution, quotes):
                # "We found no evidence that …" in the writer's own voice: the writer, not the
                # last person or body named (a byline names them; see below)
                continue
            if word == "they":
                # "Two residents … said …. They said": people who spoke after the last body
                crowd = next((r for r in reversed(roles) if _many(r)), None)
                if crowd is not None and (
                    not pool
                    or _last_said(found, attribution, crowd.name)
                    > _last_said(found, attribution, pool[-1].name)
                ):
                    pool = [crowd]
                if (
                    sentence_crowd is not None
                    and crowd_at > group_at
                    and (
                        attribution.sentence.start <= crowd_at
                        or _subject_goes_on(found, attribution, crowd_at)
                    )
                ):
                    # "Syrian officials had invited the inspectors to the base, which they said
                    # held …": the sentence's subject, no body named since; "Inspectors from the
                    # OPCW interviewed me. They asked …": the last sentence's, no one spoke since
                    pool = [sentence_crowd]
            # where the body "it" or "they" would take was named (-1: there is none; -2: it
            # is no body named in the text, such as the people of the sentence)
            named = named_at.get(id(pool[-1]), -2) if pool else -1
            teller = _teller_of(found, attribution, named, word) if word in ("it", "they") else None
            if teller is not None:
                # "The ministry said the OPCW had ignored the evidence. It added …": the
                # ministry, not the body named inside what the ministry said
                attribution.speaker = replace(teller, resolved_from=speaker.name)
                continue
            wanted = _PRONOUN_GENDER.get(word, "")
            if wanted:
                pool = [p for p in pool if genders.get(p.name, gender_of(p)) in ("", wanted)] or [
                    p for p in mentioned if genders.get(p.name, gender_of(p)) == wanted
                ]
            unnamed = _unnamed_before(people_like, wanted, genders) if wanted else None
            if unnamed is not None:
                genders[unnamed.name] = wanted
                attribution.speaker = replace(unnamed, resolved_from=speaker.name, gender=wanted)
                continue
            if pool:
                target = pool[-1]
                if wanted and not genders.get(target.name, gender_of(target)):
                    # "Dr. Shajul Islam told the BBC … Dr. Hala Kassem disagreed … She said":
                    # a person named since, known to be a woman, before one of unknown gender
                    target = (
                        _agreeing_since(
                            people_like,
                            target,
                            wanted,
                            lambda p: genders.get(p.name, gender_of(p)),
                        )
                        or target
                    )
                if wanted:
                    genders[target.name] = wanted  # "Haley ... she": later "he" is someone else
                attribution.speaker = Speaker(
                    name=target.name,
                    type="person" if target.type == "mentioned" else target.type,
                    title=target.title,
                    affiliation=target.affiliation,
                    resolved_from=speaker.name,
                    gender=wanted or target.gender,
                )
            continue
        if speaker.type == "unknown" and _SOME_OF_THEM.fullmatch(word):
            # "Witnesses described a plane …. Three of them said …": some of those people
            crowd = next((r for r in reversed(roles) if _many(r)), None)
            said = _last_said(found, attribution, crowd.name) if crowd is not None else -1
            # only people who spoke in this sentence or the one before
            if (
                crowd is not None
                and said >= 0
                and attribution.sentence.start - found[said].sentence.end <= 3
            ):
                attribution.speaker = replace(crowd, resolved_from=speaker.name)
                continue
        just = _speaker_just_before(found, attribution)
        if (
            _AGED.fullmatch(word)
            and attribution.source is not None
            and attribution.source.text.lower().startswith("the ")
            and just is not None
            and just.type == "person"
        ):
            # "Abu Jafar, a farmer, said …. The 38-year-old said": described by age, the person
            # who spoke just before ("a 21-year-old" is someone new)
            attribution.speaker = replace(just, resolved_from=speaker.name)
            continue
        owner_said = _its_document_of(found, attribution, word)
        if owner_said is not None:
            # "The Guardian writes …. Its editorial argues …": the paper that spoke just
            # before, whose editorial it is
            attribution.speaker = replace(owner_said, resolved_from=speaker.name)
            continue
        if speaker.type in ("unknown", "organisation") and word.split()[0] in _POSSESSIVES:
            # "his spokesman said": someone else's spokesman, not the last spokesman named
            persons = people or mentioned
            owner = persons[-1] if word.split()[0] in ("his", "her") and persons else None
            owner = owner or (
                groups[-1] if word.split()[0] in ("its", "their") and groups else None
            )
            if owner is not None and not speaker.affiliation:
                speaker.affiliation = owner.name
            continue
        if speaker.type in ("unknown", "organisation") and word in _ORG_WORDS | _GENERIC_GROUPS:
            # "the ministry said": the last organisation of that kind named before; "the group
            # said": the last organisation named before
            group = next(
                (
                    g
                    for g in reversed(groups)
                    # "the Mechanism" is not "Critics of the Mechanism"
                    if (
                        word in _title_head_words(g.name)
                        and not _own_government(speaker.name, g.name)
                    )
                    or (
                        word in _GENERIC_GROUPS
                        and g.type == "organisation"
                        # "the group" is no embassy, ministry or army; "the organisation"
                        # no government or ministry
                        and not (word == "group" and _STATE_BODIES & set(g.name.lower().split()))
                        and not (
                            word in _NO_GOVERNMENT and _GOVERNING & set(g.name.lower().split())
                        )
                    )
                ),
                None,
            )
            since = len(groups) - next(
                (n for n, g in enumerate(reversed(groups)) if g is group), len(groups)
            )
            employer = next(
                (
                    e
                    for at, e in reversed(employers)
                    # only a generic word: "the ministry" after a foreign minister may be a
                    # ministry the text has not named
                    if at >= since and word in _GENERIC_GROUPS
                ),
                None,
            )
            if employer is not None:
                # the body a speaker named since works for: "the agency" after "The World
                # Health Organization's regional director"
                group = employer
            if group is None and word in _GENERIC_GROUPS - {"group"} and bodies:
                group = bodies[-1]
            if group is not None:
                attribution.speaker = Speaker(
                    name=group.name,
                    type=group.type,
                    title=group.title,
                    affiliation=group.affiliation,
                    resolved_from=speaker.name,
                )
                continue
        if speaker.type in ("organisation", "unknown") and _PSEUDONYM.fullmatch(speaker.name):
            # "Witness K testified … he conceded": a protected witness is a person
            attribution.speaker = replace(speaker, type="person")
            people.append(attribution.speaker)
            people_like.append(attribution.speaker)
            continue
        if speaker.type == "organisation" and _full_name(speaker.name, names):
            # "Vassily A. Nebenzia (Russian Federation) said", no entity in the parse: a given
            # name, an initial and a surname are a person
            gender = names.get(speaker.name.split()[0].lower(), "") or name_gender(speaker.name)
            attribution.speaker = replace(speaker, type="person", gender=gender)
            people.append(attribution.speaker)
            people_like.append(attribution.speaker)
            genders.setdefault(speaker.name, gender)
            continue
        if speaker.type == "organisation" and len(speaker.name.split()) == 1:
            # "The Assembly calls on …" after "The Assembly of the African Union condemns …":
            # the body named in full, whose head noun this is
            body = next((g for g in reversed(groups) if _body_head(g.name) == speaker.name), None)
            if body is not None:
                attribution.speaker = replace(body, resolved_from=speaker.name)
                continue
        if speaker.type == "organisation" and 2 <= len(speaker.name.split()) <= 3:
            # "The General Command holds …" under "Statement issued by the General Command of
            # Liwa al-Haqq": the body named in full, whose name before its "of" this is
            body = next(
                (g for g in reversed(groups) if _body_before_of(g.name) == speaker.name), None
            )
            if body is not None:
                attribution.speaker = replace(body, resolved_from=speaker.name)
                continue
        if (
            (
                speaker.type in ("person", "organisation", "state")  # the model's guess
                or (speaker.type == "unknown" and speaker.name.isupper())  # "TENNARI:"
                # "Barakat added …" after "Dr. Hassan Barakat believes …", a surname the
                # tagger left without an entity: the one of that surname named before
                # (an office written alone, "Chair Tully called …" read as "Chair", is no surname)
                or (
                    speaker.type == "unknown"
                    and speaker.name.istitle()
                    and speaker.name.lower() not in _ROLES | _TITLE_WORDS
                )
            )
            and len(speaker.name.split()) == 1
            and (speaker.name[:1].isupper() or speaker.name.startswith(_ARTICLES))
        ):
            # "Abe told reporters" after "Prime Minister Shinzo Abe called ...": the same person
            full = next(
                (
                    p
                    for p in reversed(people + mentioned)
                    if len(p.name.split()) > 1
                    # "Mrs. Clinton" after "the Bill Clinton era" is not Bill Clinton
                    and gender_of(p) in ("", speaker.gender or gender_of(p))
                    # a surname the tagger left untagged is no headline it read as a name
                    # ("Trump Says He Never …")
                    and not (speaker.type == "unknown" and _headline_taken_for_name(p.name))
                    and not _headline_verb_in_name(p.name)
                    and (
                        _called_alone(speaker.name, p.name)
                        # "TENNARI:", a transcript's turn in capitals, after "Dr. Mohammed Tennari"
                        or (
                            speaker.name.isupper()
                            and speaker.name.lower() in {f.lower() for f in _surnames(p.name)}
                        )
                    )
                ),
                None,
            )
            if full is None and speaker.type == "organisation":
                full = _person_called_so(speaker, people + mentioned)
            if full is not None:
                attribution.speaker = Speaker(
                    name=full.name,
                    type="person",
                    title=full.title or speaker.title,
                    affiliation=full.affiliation or speaker.affiliation,
                    resolved_from=speaker.name,
                    gender=speaker.gender or full.gender,
                )
                people.append(attribution.speaker)
                people_like.append(attribution.speaker)
                continue
            gender = name_gender(speaker.name)
            if gender and speaker.type == "organisation":  # never a state ("Argentina")
                # "Zakharova said": a surname the model did not tag, whose form says a person
                attribution.speaker = replace(speaker, type="person", gender=gender)
                people.append(attribution.speaker)
                people_like.append(attribution.speaker)
                genders.setdefault(speaker.name, gender)
                continue
        if speaker.type == "unknown":
            role = speaker.title or word.split()[-1]
            kin = _ROLE_KIN.get(role, {role})
            if attribution.source is not None and attribution.source.text.lower().startswith(
                "the "
            ):
                # "The diplomat emphasised …" after a foreign ministry's spokeswoman or its
                # minister: the one named; never "a diplomat", someone new
                kin = kin | _DEFINITE_KIN.get(role, set())
            # "The Prime Minister" is not a foreign minister named before: the words that
            # qualify the title must be in the title of whom it means
            qualifiers = {w for w in word.split()[:-1] if w in _TITLE_WORDS}
            # The same word first: "the ambassador" after a French ambassador and a Russian
            # envoy is the ambassador; a kindred title ("envoy") only when none holds that one.
            for alike in ({role}, kin):
                match = next(
                    (
                        p
                        # "met Prime Minister Theresa May …. The Prime Minister told him": a
                        # person named with the title only as an object, when no speaker holds it
                        for p in [*reversed(people), *reversed(mentioned)]
                        if p.title
                        and alike & _title_head_words(p.title)
                        and qualifiers <= set(p.title.lower().split())
                        and (not speaker.affiliation or p.affiliation in ("", speaker.affiliation))
                        # "Guterres's spokesman" is not the last spokesman named, but Guterres's
                        and (not _owned(speaker.name) or p.affiliation == speaker.affiliation)
                        # "Embassy spokesman" is not the Kremlin's spokesman named before
                        and not _of_another_body(word, p)
                    ),
                    None,
                )
                unnamed_match = next(
                    (
                        r
                        for r in reversed(roles)
                        # "a senior official familiar with the talks … The official added"
                        if (r.name.lower().split()[-1] in alike or r.title in alike)
                        and not _all_of_a_meeting(speaker, r)
                    ),
                    None,
                )
                if match is not None or unnamed_match is not None:
                    break
            if (
                match is not None
                and unnamed_match is not None
                and len(word.split()) == 1
                and _last_said(found, attribution, unnamed_match.name)
                > _last_said(found, attribution, match.name)
            ):
                # "Peskov … Guterres's spokesman said … The spokesman added": the one who spoke
                # last under that title
                match = unnamed_match
            if match is None and len(word.split()) == 1:
                # "A senior U.S. official said ... The official added": the same unnamed one
                match = unnamed_match or next(
                    # "a Russian military source … The source added": an unnamed speaker the
                    # tagger made a body
                    (
                        g
                        for g in reversed(groups)
                        if g.name.split()[-1].islower() and g.name.lower().split()[-1] in kin
                    ),
                    None,
                )
            if match is not None:
                attribution.speaker = Speaker(
                    name=match.name,
                    type="person" if match.type == "mentioned" else match.type,
                    title=match.title,
                    affiliation=match.affiliation,
                    resolved_from=speaker.name,
                )
                if match.type == "person" or _one_person(match):
                    people_like.append(match)
            else:
                roles.append(speaker)
                told_of = attribution.source is not None and any(
                    _within(attribution.source.start, other.content)
                    for other in found
                    if other is not attribution
                )
                if _one_person(speaker) and _unnamed(attribution.source) and not told_of:
                    # ("Haley spoke after a Russian diplomat said …. She said": the diplomat,
                    # named inside what someone else said, is not who "she" means)
                    people_like.append(speaker)
            continue
        if _nested_owner(found, attribution):
            # "The Panel considered Syria's assertion that …. It determined": the owner of a
            # claim named inside another's is not whom the next "it" means
            continue
        (people if speaker.type == "person" else groups).append(speaker)
        if speaker.type == "person":
            people_like.append(speaker)
            works_for = _strip_article(speaker.affiliation)
            if any(word.lower() in _ORG_WORDS for word in works_for.split()):
                # "The World Health Organization's regional director … the agency added"
                employers.append((len(groups), Speaker(name=works_for, type="organisation")))
    _first_person_is_the_quoted(found)


# Bodies of a state whose name before a title says which of the state's offices the holder
# speaks for: "Embassy spokesman", "the army spokesman". The seats that stand for the state
# itself ("Kremlin spokesman", "government spokesman") are left out: a holder named with them
# is given the state as affiliation, which says nothing of the body.
_OFFICE_BODIES = frozenset({"embassy", "ministry", "army", "military", "council", "court"})


def _of_another_body(role: str, holder: Speaker) -> bool:
    """Whether the title ``role`` ("embassy spokesman") names a body of a state that the
    affiliation of ``holder``, named before with that title, does not: an embassy's spokesman
    posting in London is not the Kremlin's spokesman named two posts before, though both are
    spokesmen of Russia. A holder whose affiliation is unknown may still be the one meant."""
    bodies = {word for word in role.lower().split()[:-1] if word in _OFFICE_BODIES}
    known = set(holder.affiliation.lower().split()) | set(holder.title.lower().split())
    return bool(bodies) and bool(holder.affiliation) and not bodies & known


# How investigators name the witnesses they protect: "Witness K", "Witness 3", "Source No. 12".
_PSEUDONYM = re.compile(
    r"(?:Witness|Source|Victim|Survivor|Patient|Detainee|Interviewee|Informant|Insider)"
    r"\s+(?:No\.\s*|#)?[A-Z0-9]{1,4}"
)


def _full_name(name: str, given_names: dict[str, str]) -> bool:
    """Whether a speaker's name reads as a person's full name: two to four words written as
    names (or middle initials), the first a given name whose usual gender is known, none of
    them an organisation word."""
    words = name.split()
    if not 2 <= len(words) <= 4 or any(word.lower() in _ORG_WORDS for word in words):
        return False
    if not all(_capitalised_name(word) or _initial(word) for word in words):
        return False
    return bool(given_names.get(words[0].lower()) or name_gender(words[0]) or name_gender(name))


def _one_person(speaker: Speaker) -> bool:
    """An unnamed speaker who is one person: "the envoy", "a senior official", "one resident";
    not "officials", "the ministry" or "his spokesman"."""
    words = speaker.name.lower().split()
    if not words or words[0] in _POSSESSIVES:
        return False
    # the noun before a phrase of where or whom: "nurse at the hospital in Darkoush"
    cut = next((i for i, word in enumerate(words) if word in _AFTER_HEAD), len(words))
    head = (words[cut - 1] if cut else words[-1]).split("-")[-1]  # "secretary-general"
    # a party to a case, as a judgment names them: "the Respondent"
    return head in _ROLES or head in _PEOPLE_NOUNS - {"people"} or head in _PARTIES


_AFTER_HEAD = frozenset({"at", "in", "of", "for", "from", "with", "on"})


def _title_head_words(title: str) -> set[str]:
    """The words of a title before any phrase of whom or where it is: "Critics of the
    Mechanism" are critics, and "the Mechanism" said later is not one of them; "Minister of
    Foreign Affairs" is still a minister."""
    words = title.lower().split()
    cut = next((i for i, word in enumerate(words) if i and word in _AFTER_HEAD), len(words))
    return set(words[:cut])


_UNNAMED = re.compile(
    r"^(?:an?|one|another)\s|anonymity|not to be (?:named|identified)|declined to be (?:named|identified)"
    # a meeting record's speakers by delegation: "The representative of the Russian Federation"
    r"|^the\s+(?:representative|delegate|observer)\s+(?:of|for)\s"
    # a judgment's parties, whom it never names: "The Respondent submits …. He further argues"
    r"|^the\s+(?:appellant|respondent|accused|defendant|claimant|applicant|petitioner|plaintiff)$",
    re.I,
)


def _unnamed(source: Span | None) -> bool:
    """A speaker phrase that introduces someone unnamed ("a senior official", "one resident",
    "the envoy, who asked not to be named"), not a description of someone named before ("the
    Vermont senator" is Bernie Sanders, whom a later "he" still means)."""
    return source is not None and _UNNAMED.search(source.text) is not None


def _agreeing_since(
    people_like: list[Speaker],
    target: Speaker,
    wanted: str,
    gender: Callable[[Speaker], str],
) -> Speaker | None:
    """The last person named after ``target`` (whose gender is unknown) who is known to be of
    the pronoun's gender; else None."""
    for candidate in reversed(people_like):
        if candidate.name == target.name:
            return None
        if candidate.type in ("person", "mentioned") and gender(candidate) == wanted:
            return candidate
    return None


# A person described by age alone: "the 38-year-old", "the 72-year-old woman".
_AGED = re.compile(r"\d{1,3}-year-old(?:\s+(?:man|woman|boy|girl|mother|father|farmer))?")
_SOME_OF_THEM = re.compile(
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|some|many|most|several|all|\d+)"
    r" of them"
)


def _unnamed_before(
    people_like: list[Speaker], wanted: str, genders: dict[str, str]
) -> Speaker | None:
    """The unnamed person a "he" or "she" means, when the last person of fitting gender before
    the pronoun, named or not, is an unnamed one; else None (the named are looked up as
    before)."""
    for candidate in reversed(people_like):
        gender = genders.get(candidate.name, candidate.gender)
        if gender in ("", wanted):
            return candidate if candidate.type == "unknown" else None
    return None


_FIRST_PERSON = {"i", "we", "me", "us"}


# A person's name as a signature, a byline or a mail header writes it: two to four words, each
# opening with a capital ("Leila Haddad", "Tom Reid", "Dr. A. Brennan" after its title).
_SIGNED_NAME = r"[A-Z][\w'’-]+(?:[^\S\n]+[A-Z][\w'’.-]*){1,3}"
# A column's byline near its top: "By Leila Haddad"; a blog's, with the writer's title and the
# date after a comma: "Posted by Tom Reardon, former army ammunition technician, 2 May 2017".
_BYLINE = re.compile(
    r"^[^\S\n]*(?:(?:Posted|Written)[^\S\n]+by|By)[^\S\n]+"
    rf"(?P<name>{_SIGNED_NAME})[^\S\n]*(?:,[^\n]*)?$",
    re.M,
)
# A team's or a unit's byline: "By the Northlight verification team", "Prepared by the
# Geospatial Analysis Unit, Centre for Conflict Monitoring" — the "we" of what it wrote.
_TEAM_BYLINE = re.compile(
    r"^[^\S\n]*(?:(?:Prepared|Written|Compiled)[^\S\n]+by|By)[^\S\n]+the[^\S\n]+"
    r"(?P<name>[A-Z][\w'’-]*(?:[^\S\n]+[\w'’-]+){1,5}?)[^\S\n]*(?:,[^\n]*)?$",
    re.M,
)


# --- Analysts' texts: assessments, policy briefs, client notes, blogs and seminar minutes ---

# What a thing is done by when "according to" names a way of doing it, not a source: "produced
# according to the same method", "went according to plan", "analysed according to the procedure".
_MANNER_NOUNS = frozenset(
    {"method", "process", "procedure", "technique", "recipe", "formula", "plan", "schedule"}
    | {"timetable", "pattern", "design", "specification", "blueprint", "routine"}
    # a norm followed ("samples were not collected according to best practice")
    | {"practice", "protocol", "custom", "convention", "tradition"}
)


def _done_according_to_a_method(doc: Doc, item: Attribution) -> bool:
    """ "The sarin was produced according to the same method as in 2013": an "according to"
    straight after what was done, with no comma, whose noun is a method, a plan or a process,
    says how it was done, as a recipe does, and vouches for nothing. ("According to the plan,
    the troops withdraw", set off at the head of its sentence, still reports what a plan says.)"""
    cue = doc[item.cue_i]
    if cue.lemma_.lower() != "accord" or cue.i == 0 or doc[cue.i - 1].is_punct:
        return False
    if cue.i == cue.sent.start or item.source is None:
        return False
    noun = next(
        (t for t in doc[cue.i + 1 : cue.sent.end] if t.dep_ == "pobj" and t.head.head == cue),
        None,
    )
    return noun is not None and noun.lemma_.lower() in _MANNER_NOUNS


# A blog's byline with its date and comment count: "Posted on 12 April 2017 by Tom Reid |
# 23 comments", "Posted by Tom Reid on 12 April 2017", "Published on 3 May by Ana Ruiz · 4 min read".
_DATED_BYLINE = re.compile(
    r"^[^\S\n]*(?:Posted|Published|Written)[^\S\n]+(?:on[^\S\n]+[^\n]*?[^\S\n]+)?by[^\S\n]+"
    rf"(?P<name>{_SIGNED_NAME})[^\S\n]*(?:(?:on\b|[|·,–—-])[^\n]*)?$",
    re.M,
)


def _line_of(doc: Doc, at: int) -> tuple[int, int]:
    """The character offsets of the line of the text that holds offset ``at``."""
    text = text_of(doc)
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else end


def _dated_byline(doc: Doc, item: Attribution) -> bool:
    """ "Posted on 12 April 2017 by Tom Reid | 23 comments": a blog post's byline says who
    wrote the post and when; its "Posted" says nothing of its own (the post's "I" is the
    writer, see ``_first_person_is_the_author``)."""
    start, end = _line_of(doc, item.cue.start)
    return _DATED_BYLINE.fullmatch(text_of(doc), start, end) is not None


# A comment's heading in a blog's thread, the commenter's handle and the verb on a line of its
# own, the time it was posted on the next: "Kasim_Analyst says:\n12 April 2017 at 18:42".
_COMMENT_HEADER = re.compile(
    r"[^\S\n]*\S[^\n]{0,40}?[^\S\n]+(?:says|said|writes|wrote|replies|replied|commented):"
    r"[^\S\n]*\n[^\S\n]*[^\n]{0,30}\b(?:\d{4}|\d{1,2}:\d{2})\b[^\n]{0,20}"
)


def _comment_header(doc: Doc, item: Attribution) -> bool:
    """ "ProliferationWatcher says:" over "12 April 2017 at 20:17": the heading of a comment in a
    blog's thread names who wrote it; the "says" points at the comment below the stamp of its
    time, and the stamp is not what was said. What the comment itself says is read in it."""
    start, end = _line_of(doc, item.cue.start)
    text = text_of(doc)
    if not text[start:end].rstrip().endswith(":"):
        return False
    stamp_end = text.find("\n", end + 1)
    stamp_end = len(text) if stamp_end < 0 else stamp_end
    return _COMMENT_HEADER.fullmatch(text, start, stamp_end) is not None


def _what_was_released_did(doc: Doc, item: Attribution) -> bool:
    """ "A strike released a nerve agent that killed at least 80 people": what a release lets
    out is a substance or a thing, and the relative clause on it ("that killed …") says what
    that thing did, not what anyone released as a statement."""
    cue = doc[item.cue_i]
    if cue.lemma_.lower() not in ("release", "emit", "leak", "spread", "disperse"):
        return False
    said = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
    if said is None:
        return False
    root = said.root
    thing = root.head
    return (
        root.dep_ == "relcl"
        and thing.dep_ == "dobj"
        and thing.head == cue
        # "released a Web video that accuses Cruz of …": a publication says what it holds
        and thing.lemma_.lower() not in _PUBLISHED | _POSTS | _RECORDINGS
        and any(c.dep_ in ("nsubj", "nsubjpass") and c.tag_ == "WDT" for c in root.children)
    )


# What is released as a record of something, which says what it holds.
_RECORDINGS = frozenset(
    {"ad", "advertisement", "film", "footage", "recording", "audio", "tape", "photo", "image"}
    | {"picture", "clip", "transcript", "memo", "poll", "survey", "study", "list", "book"}
)


def _thing_sent(doc: Doc, item: Attribution) -> bool:
    """ "A reader has sent me photos of what he says is the fuse": what is sent is a thing (its
    "of …" says what it shows); the sender says nothing by sending it, and what is said of the
    thing ("what he says is …") is a saying of its own."""
    cue = doc[item.cue_i]
    if cue.lemma_.lower() != "send" or not item.content.text.lower().startswith("of "):
        return False
    # "sent messages of sympathy" is a saying; "sent me photos of the crater" is not
    return any(c.dep_ == "dobj" and c.lemma_.lower() in _THINGS_SENT for c in cue.children)


# What is sent that shows rather than says: "has sent me photos of the crater".
_THINGS_SENT = frozenset(
    {"photo", "photograph", "picture", "image", "video", "footage", "file", "sample", "copy"}
    | {"link", "recording", "scan", "map", "document"}
)


_MANDATING = frozenset({"ask", "request", "invite", "mandate", "task", "instruct", "empower"})


def _never_asked(doc: Doc, item: Attribution) -> bool:
    """ "The mission found that sarin was used, but it was not asked to say who used it": a
    request denied, in the passive with no one named who would have made it, is what a body's
    mandate left out; no one asked, and no one said anything, nor did the body say what it
    was not asked to ("to name those responsible")."""
    cue = doc[item.cue_i]
    asked = cue.head if cue.dep_ == "xcomp" and cue.head.i < cue.i else cue
    if asked.lemma_.lower() not in _MANDATING:
        return False
    if asked == cue and not item.content.text.lower().startswith("to "):
        return False
    children = {c.dep_ for c in asked.children}
    return {"neg", "auxpass"} <= children and "agent" not in children


def _misread_analysis(doc: Doc, item: Attribution) -> bool:
    """The readings above, that analysts' texts meet (see each)."""
    return (
        _done_according_to_a_method(doc, item)
        or _dated_byline(doc, item)
        or _comment_header(doc, item)
        or _what_was_released_did(doc, item)
        or _thing_sent(doc, item)
        or _never_asked(doc, item)
        or _document_presents_itself(doc, item)
    )


# The verbs of a judgement that a degree of confidence may qualify ("assess with high confidence
# that …") and the nouns of that confidence.
_JUDGED_WITH_CONFIDENCE = frozenset(
    {"assess", "judge", "conclude", "say", "believe", "state", "estimate", "consider"}
    | {"find", "determine", "establish", "affirm", "assert", "report", "know"}
)
_CONFIDENCE_NOUNS = frozenset({"confidence", "certainty", "assurance", "conviction"})


def _that_after_confidence(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "French services assess with a high degree of confidence that the sarin was produced
    by the same method": an intelligence assessment states how sure it is between its verb
    and what it judges, and the parser hangs the "that"-clause on "confidence" as that noun's
    own. The clause is what the services assess: the reading of the verb is given that content
    (made, when no reading was found)."""
    out = []
    by_cue = {item.cue_i: item for item in found if item.cue_i >= 0}
    for noun in doc:
        if noun.lemma_.lower() not in _CONFIDENCE_NOUNS:
            continue
        if noun.i + 1 >= len(doc) or doc[noun.i + 1].lower_ != "that":
            continue
        cue = noun.head
        while cue.dep_ in ("pobj", "prep") and cue.head != cue:
            cue = cue.head  # "with a high degree of confidence": up to the verb
        if (
            cue.pos_ != "VERB"
            or cue.lemma_.lower() not in _JUDGED_WITH_CONFIDENCE
            or not any(c.dep_ == "prep" and c.lower_ == "with" for c in cue.children)
        ):
            continue
        # the clause, hung on the noun, or split between the noun and the verb ("that the
        # sarin used on 4 April" on the noun, "was produced …" on the verb)
        ends = [c.right_edge.i for c in noun.children if c.i > noun.i]
        ends += [c.right_edge.i for c in cue.children if c.dep_ == "ccomp" and c.i > noun.i]
        if not ends:
            continue
        content = _token_span(_trim(list(doc[noun.i + 1 : max(ends) + 1])))
        if content is None:
            continue
        if cue.i in by_cue:
            by_cue[cue.i].content = content
            continue
        subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
        named = _source_tokens(subject) if subject is not None else []
        source = _token_span(named)
        if source is None:
            continue
        out.append(
            Attribution(
                _span(doc, cue.idx, cue.idx + len(cue.text)),
                content,
                source,
                describe(named),
                _span(doc, cue.sent.start_char, cue.sent.end_char),
                f"{cue.lemma_.lower()}/VERB",
                how="confidence/ccomp",
                cue_i=cue.i,
            )
        )
    return out


# The verbs of an impersonal passive that reports what is said by no one named: "It is often
# said that …", "It has been argued that …".
_SAID_OF_NO_ONE = frozenset(
    {"say", "claim", "argue", "allege", "suggest", "report", "rumour", "rumor", "contend"}
)


def _impersonal_saying(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "It is sometimes said that attribution without enforcement is pointless": a brief or a
    paper sets up the view it answers in an impersonal passive, "it" standing for the clause
    and no one named who says it. The clause is a claim, said by people left unnamed."""
    taken = {item.cue_i for item in found}
    out = []
    for cue in doc:
        if (
            cue.i in taken
            or cue.tag_ != "VBN"
            or cue.lemma_.lower() not in _SAID_OF_NO_ONE
            or not any(c.dep_ == "auxpass" for c in cue.children)
            or not any(c.dep_ in ("nsubjpass", "expl") and c.lower_ == "it" for c in cue.children)
            or any(c.dep_ == "agent" for c in cue.children)
        ):
            continue
        clause = next((c for c in cue.children if c.dep_ == "ccomp" and c.i > cue.i), None)
        if clause is None or not any(
            m.dep_ == "mark" and m.lower_ == "that" for m in clause.children
        ):
            continue
        content = _token_span(_trim(list(doc[clause.left_edge.i : clause.right_edge.i + 1])))
        if content is None:
            continue
        first = next(c for c in cue.children if c.dep_ == "auxpass")
        out.append(
            Attribution(
                _span(doc, first.idx, cue.idx + len(cue.text)),
                content,
                None,
                None,
                _span(doc, cue.sent.start_char, cue.sent.end_char),
                f"{cue.lemma_.lower()}/VERB",
                how="impersonal/ccomp",
                cue_i=cue.i,
            )
        )
    return out


# What a document says it sets out, in its own opening: "This assessment presents the
# conclusions of …", "This note outlines the risks".
_SELF_PRESENTING = frozenset({"present", "outline", "summarise", "summarize", "describe"})
_DOCUMENT_KINDS = frozenset(
    {"assessment", "report", "note", "brief", "paper", "document", "memo", "memorandum"}
    | {"study", "chapter", "section", "annex", "evaluation", "analysis", "update"}
)


def _document_presents_itself(doc: Doc, item: Attribution) -> bool:
    """ "This assessment presents the conclusions of the French services": a document saying
    what it holds is its table of contents, not a claim; what it concludes comes after. (Its
    "This report finds that …" is still a finding.)"""
    cue = doc[item.cue_i]
    if cue.lemma_.lower() not in _SELF_PRESENTING:
        return False
    subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    said = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
    return (
        subject is not None
        and subject.lemma_.lower() in _DOCUMENT_KINDS
        and any(c.dep_ == "det" and c.lower_ == "this" for c in subject.children)
        and said is not None
        and said.root.dep_ == "dobj"
    )


# A heading's first word that makes it a phrase of time or place, never a speaker's name:
# "After Khan Shaykhun: Saving Attribution", "Inside the JIM: how it works".
_HEADING_PREPOSITIONS = frozenset(
    {"after", "before", "beyond", "inside", "outside", "towards", "toward", "against", "under"}
    | {"behind", "without", "between", "since", "until", "through", "among", "amid", "across"}
    | {"within", "on", "in", "at", "for", "from", "into", "over", "despite", "during", "above"}
    | {"about", "of", "with", "by", "beneath", "unlike", "upon"}
)


def _led_by_preposition(tokens: list[Token]) -> bool:
    """ "After Khan Shaykhun: Saving Attribution from the Security Council": a heading whose
    part before the colon opens with a preposition is a phrase of time, place or topic, not
    the name of anyone who says what follows."""
    return tokens[0].lower_ in _HEADING_PREPOSITIONS and tokens[0].pos_ in ("ADP", "SCONJ")


# The verbs of a finding or a report that the parser may read as a participle after their
# subject ("The mission found in June that …" as "the mission [that was] found in June").
_FINDINGS_READ_AS_PARTICIPLES = frozenset(
    {"find", "conclude", "report", "state", "confirm", "determine", "establish", "announce"}
    | {"say", "note", "acknowledge", "claim", "assert", "declare"}
)


def _finite_read_as_participle(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "The OPCW fact-finding mission found in June that people had been exposed to sarin":
    the parser reads "found" as a participle on "mission" and makes the "that"-clause's verb
    the sentence's own. A sentence's main verb never opens with "that", so the participle
    there, right after its noun and before the clause, is the verb: the noun says the clause."""
    taken = {item.cue_i for item in found}
    out = []
    for sent in doc.sents:
        root = sent.root
        if not any(c.dep_ == "mark" and c.lower_ == "that" for c in root.children):
            continue
        for cue in sent:
            noun = cue.head
            if (
                cue.i in taken
                or cue.dep_ != "acl"
                or cue.tag_ not in ("VBD", "VBN")
                or cue.lemma_.lower() not in _FINDINGS_READ_AS_PARTICIPLES
                or noun.i != cue.i - 1
                or noun.dep_ not in ("nsubj", "nsubjpass")
                or noun.head != root
                or root.i < cue.i
            ):
                continue
            mark = next(c for c in root.children if c.dep_ == "mark" and c.lower_ == "that")
            if mark.i < cue.i:
                continue
            source = _token_span(_trim(list(doc[noun.left_edge.i : cue.i])))
            content = _token_span(_trim(list(doc[mark.i : sent.end])))
            if source is None or content is None:
                continue
            out.append(
                Attribution(
                    _span(doc, cue.idx, cue.idx + len(cue.text)),
                    content,
                    source,
                    describe(_trim(list(doc[noun.left_edge.i : cue.i]))),
                    _span(doc, sent.start_char, sent.end_char),
                    f"{cue.lemma_.lower()}/VERB",
                    how="participle-verb",
                    cue_i=cue.i,
                )
            )
            break
    return out


# An editorial's label at its top, on a line of its own: "THE EDITORIAL BOARD", "Editorial",
# "The Editorial Board"; the paper's own voice, whose "we" it is.
_EDITORIAL_LABEL = re.compile(
    r"^[^\S\n]*(?:THE[^\S\n]+EDITORIAL[^\S\n]+BOARD|The[^\S\n]+Editorial[^\S\n]+Board"
    r"|EDITORIAL|Editorial)[^\S\n]*$",
    re.M,
)


def _editorial_board(text: str) -> Speaker | None:
    """The editorial board an editorial's label near its top names, or None: who "we" are in
    a newspaper's own leader, which is signed by no one."""
    if _EDITORIAL_LABEL.search(text, 0, 300) is None:
        return None
    return Speaker(name="Editorial Board", type="organisation")


def _team_byline(text: str) -> Speaker | None:
    """The team or unit a byline near the top names ("By the Northlight verification team"),
    or None: who "we" are in an investigators' write-up or an analysis note that no title
    says is a body's statement."""
    byline = _TEAM_BYLINE.search(text, 0, 600)
    if byline is None:
        return None
    return Speaker(name=byline.group("name").strip(), type="organisation")


def _first_person_is_the_author(
    doc: Doc, found: list[Attribution], quotes: Sequence[tuple[int, int]]
) -> None:
    """ "I have never doubted what the survivors told me" in a signed column is its author's,
    not the last person the column named. Only for a text with a byline near its top, and
    only for an "I" in the writer's own voice, outside what anyone is reported to have said."""
    issuer = _issuer(text_of(doc)) or _team_byline(text_of(doc)) or _editorial_board(text_of(doc))
    if issuer is not None:
        # "Statement of the Ministry of Foreign Affairs …: We note that …": the ministry
        for attribution in found:
            source = attribution.source
            if source is None or (
                source.text.lower() not in ("we", "our", "us")
                and not source.text.lower().startswith("we,")  # "We, the Foreign Ministers …,"
                and not _OUR_WORK.fullmatch(source.text)  # "Our findings do not support …"
            ):
                continue
            if not _reported(found, attribution, quotes):
                attribution.speaker = replace(issuer, resolved_from=source.text)
    byline = (
        _BYLINE.search(text_of(doc), 0, 600)
        or _DATED_BYLINE.search(text_of(doc), 0, 600)
        or _SIGNATURE.search(text_of(doc))
        or _LETTER_CLOSE.search(text_of(doc))
    )
    deponent = _deponent(text_of(doc))
    if deponent is not None:
        author = deponent
        for attribution in found:
            # "[The witness elsewhere says …]": an investigator's note on a witness's own
            # statement means by "the witness" (and the "he" that goes on with it) its maker
            if attribution.speaker is not None and attribution.speaker.name.lower() in (
                "witness",
                "deponent",
                "declarant",
            ):
                attribution.speaker = replace(deponent, resolved_from=attribution.speaker.name)
    elif byline is not None:
        author = Speaker(name=byline.group("name").strip(), type="person", title="author")
    elif issuer is not None and issuer.type != "organisation":
        # "Opening statement by the Director-General …: I am confident that …": the speaker
        author = replace(issuer, type="person")
    else:
        return
    for attribution in found:
        source = attribution.source
        if source is None or source.text.lower() not in ("i", "me", "my"):
            continue
        if not _reported(found, attribution, quotes):
            attribution.speaker = replace(author, resolved_from=source.text)


# A letter's salutation to one person: "Dear Ms de Vries,", "Dear Dr Haddad:", "Dear Hanna
# de Vries," (not "Dear Sir or Madam", "Dear colleagues": no one named).
_SALUTATION = re.compile(
    r"^[^\S\n]*Dear[^\S\n]+(?:(?P<honorific>Mr|Mrs|Ms|Miss|Dr|Prof|Professor)\.?[^\S\n]+)?"
    r"(?P<name>(?:(?:de|van|von|al|el|der|den|da|du|le|la|bin|ibn)[^\S\n]+|[A-Z][\w'’-]+[^\S\n]+){0,3}"
    r"[A-Z][\w'’-]+)[^\S\n]*[,:]?[^\S\n]*$",
    re.M,
)
_SALUTATION_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "professor"})


def _letter_addressee(
    doc: Doc, found: list[Attribution], quotes: Sequence[tuple[int, int]]
) -> None:
    """ "Dear Ms de Vries, … you asked the Ministry to disclose …": in a signed letter the "you"
    of the writer's own voice is the one the salutation names, not the last person or body
    the letter named; the name is given in full when the address above gives it ("Ms Hanna de
    Vries"). Only for a letter that both opens with a salutation to someone named and closes
    with a signature, and only outside what anyone is reported to have said."""
    text = text_of(doc)
    salutation = _SALUTATION.search(text, 0, 1500)
    if salutation is None or _LETTER_CLOSE.search(text) is None:
        return
    name = salutation.group("name").strip()
    if salutation.group("honorific") is None and len(name.split()) < 2:
        return  # "Dear Editor", "Dear Colleagues"
    full = re.search(
        r"(?<![\w'’-])((?:[A-Z][\w'’-]+[^\S\n]+)+)" + re.escape(name) + r"(?![\w'’-])",
        text[: salutation.start()],
    )
    if full is not None:
        given = [
            w for w in full.group(1).split() if w.lower().rstrip(".") not in _SALUTATION_HONORIFICS
        ]
        name = " ".join([*given, name])
    addressee = Speaker(name=name, type="person", title="addressee")
    for attribution in found:
        source = attribution.source
        if source is None or source.start < salutation.end():
            continue
        if source.text.lower() not in ("you", "your") or _reported(found, attribution, quotes):
            continue
        attribution.speaker = replace(addressee, resolved_from=source.text)


# A written answer's heading of who answers it: "Answered by: Baroness Ainsworth",
# "Answered by Dr Tom Reid MP".
_ANSWERED_BY = re.compile(
    r"^[^\S\n]*Answered[^\S\n]+by:?[^\S\n]*(?:(?:Dr|Mr|Mrs|Ms)\.?[^\S\n]+)?"
    rf"(?P<name>{_SIGNED_NAME})[^\S\n]*(?:,[^\n]*)?$",
    re.M,
)


def _written_answerer(
    doc: Doc, found: list[Attribution], quotes: Sequence[tuple[int, int]]
) -> None:
    """ "Answered by: Baroness Ainsworth … I refer the noble Lord to the answer I gave him": in
    a parliament's written answers the "I" of an answer is the member named as answering it
    in the heading above, not the last person the question or the answer named. Only for an
    "I" in the answerer's own voice, after such a heading."""
    text = text_of(doc)
    headings = list(_ANSWERED_BY.finditer(text))
    if not headings:
        return
    for attribution in found:
        source = attribution.source
        if source is None or source.text.lower() not in ("i", "me", "my"):
            continue
        if _reported(found, attribution, quotes):
            continue
        before = [heading for heading in headings if heading.end() <= source.start]
        if not before:
            continue
        name = before[-1].group("name").strip()
        attribution.speaker = replace(
            Speaker(name=name, type="person", title="answerer"), resolved_from=source.text
        )


# A reporter's turn at a briefing, its asker unnamed: "QUESTION: …", "Q: …".
_QUESTION_TURN = re.compile(r"[^\S\n]*(?:QUESTION|Q)[^\S\n]*:[^\S\n]*\S")


def _you_the_one_asked(doc: Doc, found: list[Attribution]) -> None:
    """ "QUESTION: But you haven't said what that information is." then "MR TOLAND: I'm not
    going to …": at a briefing the "you" of a reporter's question is the one who answers it,
    whose turn comes next, not anyone the question named. Only for a turn labelled as a
    question with no one named as asking, and only when the next labelled turn follows it
    with no other question between."""
    text = text_of(doc)
    turns = sorted(
        (item for item in found if item.how == "line" and item.source is not None),
        key=lambda item: item.cue.start,
    )
    for item in found:
        source = item.source
        if source is None or source.text.lower() != "you" or item.how == "line":
            continue
        line = text.rfind("\n", 0, source.start) + 1
        if _QUESTION_TURN.match(text, line) is None:
            continue
        answer = next((turn for turn in turns if turn.cue.start > source.end), None)
        if answer is None or answer.speaker is None:
            continue
        between = text[source.end : answer.cue.start]
        if any(_QUESTION_TURN.match(row) for row in between.split("\n")[1:]):
            continue  # another question before the answer: whose "you" is unclear
        item.speaker = replace(answer.speaker, resolved_from=source.text)


# A wiki talk page's signature closing a comment: "- Levantine (talk) 12:03, 5 April 2017 (UTC)",
# "—Sparrowhawk (talk · contribs) 19:55, 27 October 2017 (UTC)".
_WIKI_SIGNATURE = re.compile(
    r"(?<!\S)[-–—]+[^\S\n]*(?P<name>[^\s()\-–—][^\n()]{0,40}?)[^\S\n]*\((?:talk|contribs)[^)\n]*\)"
    r"[^\S\n]*\d{1,2}:\d{2},[^\S\n]+\d{1,2}[^\S\n]+[A-Z][a-z]+[^\S\n]+\d{4}[^\S\n]*\(UTC\)"
)


# A letter's signature on a letters page: the writer's name alone on a line, after the
# letter's last sentence, with the town or the post on the line below ("Dr Keith Harland" /
# "Bristol").
_LETTER_SIGNER = re.compile(
    r"(?<=[.?!\"”’)]\n)[^\S\n]*(?P<title>(?:Dr|Prof|Mr|Mrs|Ms|Professor|Rev|Sir)\.?[^\S\n]+)?"
    rf"(?P<name>{_SIGNED_NAME})[^\S\n]*\n[^\S\n]*[A-Z][^\n]{{1,70}}(?<![.?!:])[^\S\n]*(?:\n|$)"
)


def _letters_page_signers(
    doc: Doc, found: list[Attribution], quotes: Sequence[tuple[int, int]]
) -> None:
    """ "I have worked in chemical analysis for 30 years." on a letters page is the writer of
    that letter, who signs it below, name on one line and town or post on the next: not the
    page's editor, nor the last person the letter named. Each first person, outside what
    anyone is reported to have said, is the writer of the first signature after it. Only on a
    page of two or more letters so signed, each name a person's (a known given name, a name
    the tagger takes for a person's, or a title before it), so that a name and a place on two lines elsewhere (a caption, a byline) are not taken for
    one."""
    text = text_of(doc)

    def person(match: re.Match[str]) -> bool:
        words = doc.char_span(*match.span("name"), alignment_mode="expand")
        return bool(match.group("title")) or (
            words is not None
            and (
                is_given_name(words[0].text) or all(token.ent_type_ == "PERSON" for token in words)
            )
        )

    signers = [match for match in _LETTER_SIGNER.finditer(text) if person(match)]
    if len(signers) < 2:
        return
    for attribution in found:
        source = attribution.source
        if source is not None and source.text.lower() in ("he", "she"):
            # "My late father … He always said …": a letter's "he" is someone in that letter,
            # not the writer who signed the letter above it
            speaker = attribution.speaker
            if speaker is not None and any(
                m.end() <= source.start and m.group("name").strip() == speaker.name for m in signers
            ):
                attribution.speaker = Speaker(name=source.text, type="pronoun")
            continue
        if source is None or source.text.lower() not in ("i", "me", "my"):
            continue
        if _reported(found, attribution, quotes):
            continue
        signer = next((m for m in signers if m.start() > source.end), None)
        if signer is None:
            continue
        name = signer.group("name").strip()
        title = (signer.group("title") or "").strip() or "writer"
        attribution.speaker = Speaker(
            name=name,
            type="person",
            title=title,
            gender=name_gender(name),
            resolved_from=source.text,
        )


def _signed_comment(doc: Doc, found: list[Attribution], quotes: Sequence[tuple[int, int]]) -> None:
    """ "I propose we give a range. - Levantine (talk) 12:03, 5 April 2017 (UTC)": on a talk
    page each comment is signed at its end, on its own line, so the "I" (or "we") of the
    comment's own voice is the user who signs that line, not the last person it names. A
    thread's or a video page's post is headed instead, by its author's handle above it."""
    text = text_of(doc)
    for attribution in found:
        source = attribution.source
        if source is None or source.text.lower() not in ("i", "me", "my", "we"):
            continue
        if _reported(found, attribution, quotes):
            continue
        line_end = text.find("\n", source.end)
        signature = _WIKI_SIGNATURE.search(
            text, source.end, len(text) if line_end < 0 else line_end
        )
        if signature is not None:
            name = signature.group("name").strip()
        else:
            # a thread's or a video page's post, under the line of its author's handle
            # ("@OrientNewsEN · 2 days ago", "u/levant_watcher [OP] · 41 points"), in the same
            # block of lines: no blank line between the handle and the "we"
            block = text.rfind("\n\n", 0, source.start)
            headers = list(
                _POST_HEADER.finditer(text, block + 1 if block >= 0 else 0, source.start)
            )
            if not headers:
                continue
            header = headers[-1]
            name = header.group("name") or header.group("poster") or header.group("channel")
            if header.group("channel"):
                channel = Speaker(name=name, type="organisation")
                attribution.speaker = replace(channel, resolved_from=source.text)
                continue
        author = Speaker(name=name, type="person", title="author")
        attribution.speaker = replace(author, resolved_from=source.text)


# Whose page a thread or a video page is, on a line near its top: a forum's opening post
# ("r/IAmA · Posted by u/DrRamiNasser · 12 Apr 2017") or a video's channel and its
# subscribers under the title ("Verify Lab · 88.4K subscribers").
_PAGE_OWNER = re.compile(
    r"^[^\n]*?Posted[^\S\n]+by[^\S\n]+(?P<poster>u/\w[\w.-]{1,29})"
    # (a messaging app's "Channel · 48,312 subscribers" names the kind, not whose it is)
    r"|^[^\S\n]*(?!(?:Channel|Group)[^\S\n]*·)(?P<channel>[^\s·][^\n·]{1,59}?)[^\S\n]*·"
    r"[^\S\n]*[\d.,]+[^\S\n]*[KkMm]?"
    r"[^\S\n]+subscribers[^\S\n]*$",
    re.M,
)


def _page_owners_own(doc: Doc, found: list[Attribution], quotes: Sequence[tuple[int, int]]) -> None:
    """ "We compare the videos filmed that morning with satellite images" in a video's
    description is the channel's, named under the title ("Verify Lab · 88.4K subscribers"),
    and the "I" of a forum's opening post its poster's ("Posted by u/DrRamiNasser"), even a
    paragraph away from that line: the page is theirs down to the first comment or reply
    (the first line of a post's author, see _POST_HEADER). Only for an "I" or "we" in the
    owner's own voice that no nearer heading has named."""
    text = text_of(doc)
    owner = _PAGE_OWNER.search(text, 0, 600)
    if owner is None:
        return
    first = _POST_HEADER.search(text, owner.end())
    end = first.start() if first is not None else len(text)
    if owner.group("poster"):
        speaker = Speaker(name=owner.group("poster"), type="person", title="author")
    else:
        speaker = Speaker(name=owner.group("channel").strip(), type="organisation")
    for attribution in found:
        source = attribution.source
        if source is None or source.text.lower() not in ("i", "me", "my", "we"):
            continue
        if not owner.end() <= source.start < end:
            continue
        if attribution.speaker is not None and attribution.speaker.resolved_from:
            continue
        if _reported(found, attribution, quotes):
            continue
        attribution.speaker = replace(speaker, resolved_from=source.text)


# A speaker described by a role and a clause about them, then named between commas: "the
# nurse we spoke to, Huda,", "A nurse I trained, Samira,".
_ROLE_THEN_NAME = re.compile(
    r"(?:[Tt]he|[Aa]n?|[Oo]ur|[Mm]y|[Oo]ne)[^\S\n]+(?P<role>[a-z]+)[^\S\n]+[^,\n]+,"
    r"[^\S\n]*(?P<name>[A-Z][\w'’-]+(?:[^\S\n]+[A-Z][\w'’-]+){0,2}),?"
)


def _named_after_the_clause(doc: Doc, found: list[Attribution]) -> None:
    """ "A nurse I trained, Samira, told me she had headaches": the speaker is named after the
    clause that says who she is, set off by commas; the parser hangs the name on the clause,
    not on the noun, and the speaker is then taken for "nurse". The name is who speaks, when
    the tagger reads it as a person's and the noun before the clause is a role or a word for
    people ("nurse", "resident", "doctor")."""
    roles = _ROLES | _PEOPLE_NOUNS | _WITNESSES | _BROADCAST_ROLES
    for item in found:
        source = item.source
        if source is None or item.speaker is None:
            continue
        match = _ROLE_THEN_NAME.fullmatch(source.text)
        if match is None or _singular(match.group("role")) not in roles:
            continue
        name = match.group("name")
        start = source.start + match.start("name")
        span = doc.char_span(start, start + len(name), alignment_mode="expand")
        if span is None or not all(
            token.ent_type_ == "PERSON"
            or (token.tag_ == "NNP" and not token.ent_type_)
            # a given name alone the tagger takes for a body's ("Huda")
            or (len(span) == 1 and token.ent_type_ == "ORG" and token.is_title)
            for token in span
        ):
            continue
        if item.speaker.name != name:
            item.speaker = Speaker(name=name, type="person", title=match.group("role"))


def _not_from_another_post(doc: Doc, found: list[Attribution]) -> None:
    """ "Spoke to a doctor in Reyhanli tonight. She says …" in a thread is the doctor of that
    post, not the last woman named in the replies above it: a post is written by another
    hand than the one before it, so "he", "she" or "they" goes back to someone only within
    its own post. Where the speaker a pronoun was given is named nowhere in the post that
    holds it (since the last line that opens a post), the pronoun stays as written, for an
    analyst to read, rather than naming the wrong one. Only in a text of at least two posts."""
    text = text_of(doc)
    starts = [match.start() for match in _POST_START.finditer(text)]
    if len(starts) < 2:
        return
    for attribution in found:
        source, speaker = attribution.source, attribution.speaker
        if source is None or speaker is None or not speaker.resolved_from:
            continue
        if source.text.lower() not in ("he", "she", "they"):
            continue
        opening = max((at for at in starts if at < source.start), default=-1)
        if opening < 0:
            continue
        post = text[opening : source.start].lower()
        words = [word for word in speaker.name.lower().split() if len(word) > 2]
        if any(re.search(rf"\b{re.escape(word)}\b", post) for word in words):
            continue
        if any(
            other.source is not None
            and opening <= other.source.start < source.start
            and other.speaker is not None
            and other.speaker.name == speaker.name
            for other in found
        ):
            continue
        attribution.speaker = Speaker(name=source.text, type="pronoun")


# A letter's closing and the name signed under it: "Yours sincerely,\n\nAmira Haddad",
# "Kind regards,\nDr Tom Reid, MD" (the courtesy title and the degrees are no part of the name).
_LETTER_CLOSE = re.compile(
    r"^[^\S\n]*(?:Yours[^\S\n]+(?:sincerely|faithfully|truly)|Sincerely(?:[^\S\n]+yours)?"
    r"|(?:With[^\S\n]+)?(?:[Kk]ind|[Bb]est|[Ww]arm)[^\S\n]+(?:regards|wishes)"
    r"|Respectfully(?:[^\S\n]+yours)?),?[^\S\n]*\n(?:[^\S\n]*\n)*[^\S\n]*"
    # an official signs for whom the letter speaks: "On behalf of the Minister of …,"
    r"(?:(?:On[^\S\n]+behalf[^\S\n]+of|For)[^\S\n]+[^\n]{3,80},[^\S\n]*\n(?:[^\S\n]*\n)*[^\S\n]*)?"
    r"(?:(?:Dr|Prof|Mr|Mrs|Ms|Professor)\.?[^\S\n]+)?"
    # a name signed with initials: "J. M. Bakker"
    rf"(?P<name>(?:[A-Z]\.[^\S\n]*){{1,3}}[A-Z][\w'’-]+|{_SIGNED_NAME})[^\S\n]*(?:,[^\n]*)?$",
    re.M,
)
# A mail's writer: its header's "From: Helen Marsh <h.marsh@…>" (a memorandum's "FROM: Paul
# Eriksen, Senior Analyst, …"), and the line that opens a quoted earlier mail, "On 6 Apr 2017,
# at 09:12, Tarek Nassar <t.nassar@…> wrote:", with the quotation marks (">") of its depth.
_MAIL_FROM = re.compile(
    rf"^[^\S\n]*(?:From|FROM):[^\S\n]*(?P<name>{_SIGNED_NAME})"
    r"[^\S\n]*(?:<[^>\n]*>|\[[^]\n]*\]|,[^\n]*)?[^\S\n]*$",
    re.M,
)
_MAIL_WROTE = re.compile(
    # the quoting marks, each with the blanks before it: written so that a long run of blanks
    # has one way to match, not one per place it could be cut (a square of its length)
    r"^(?P<depth>(?:[^\S\n]*>)*)[^\S\n]*On[^\S\n][^\n]*?"
    rf"(?P<name>(?!(?:AM|PM|UTC|GMT)\b){_SIGNED_NAME})"
    r"[^\S\n]*(?:<[^>\n]*>|\([^)\n]*\))?[^\S\n]*wrote:[^\S\n]*$",
    re.M,
)


def _quote_depth(text: str, at: int) -> int:
    """How many ">" open the line of a mail that holds ``at``."""
    line = text[text.rfind("\n", 0, at) + 1 : at]
    marks = re.match(r"[> \t]*", line)
    return marks.group(0).count(">") if marks else 0


def _mail_writer(doc: Doc, found: list[Attribution], quotes: Sequence[tuple[int, int]]) -> None:
    """ "I asked them for the admission sheets" in an e-mail chain is the writer of the mail it
    stands in, not the last person named: the mail at the top is the "From:" header's, and a
    mail quoted below it (its lines opened with ">") is the one named in the "On …, NAME
    wrote:" line over it, at one depth less. Only for an "I" in the writer's own voice."""
    text = text_of(doc)
    headers = list(_MAIL_FROM.finditer(text))
    wrote = list(_MAIL_WROTE.finditer(text))
    if not headers and not wrote:
        return
    for attribution in found:
        source = attribution.source
        if source is None or source.text.lower() not in ("i", "me", "my"):
            continue
        if _reported(found, attribution, quotes):
            continue
        depth = _quote_depth(text, source.start)
        if depth == 0:
            before = [header for header in headers if header.end() <= source.start]
        else:
            before = [
                line
                for line in wrote
                if line.end() <= source.start and line.group("depth").count(">") == depth - 1
            ]
        if not before:
            continue
        name = before[-1].group("name").strip()
        author = Speaker(name=name, type="person", title="author")
        attribution.speaker = replace(author, resolved_from=source.text)


# The line over a post in a thread or under a video: its author's handle and a dot before the
# time or the score ("@MariamTalks · 2 days ago", "u/khanasir_mapper · 312 points"); a reply
# set inside the post it answers keeps the quotation marks of its depth ("> u/DrX · 12
# points"); a forum numbers its posts and names the poster without a mark ("#41  Harbinger  ·
# 9 Apr 2017, 21:14").
_POST_HEADER = re.compile(
    r"^[> \t]*(?:(?:(?P<name>(?:u/|@)\w[\w.-]{1,29})|#\d{1,5}[^\S\n]+(?P<poster>\w{2,30}))"
    r"[^\S\n]*(?:\[OP\][^\S\n]*)?·[^\n]*"
    # a channel's message passed on from another, whose "we" is that channel's: "Forwarded
    # from Khan Shaykhun Media Centre" over the message's lines
    r"|Forwarded[^\S\n]+from[^\S\n]+(?P<channel>[^\s:][^\n:]{1,60}?)[^\S\n]*:?[^\S\n]*)$",
    re.M,
)
# Where a post of a thread, a channel or a forum begins: its author's line (above, or a display
# name with the handle in brackets, "Lina Haddad (@linahaddad_sy) · 4 Apr 2017"), a reply's
# "Replying to @…", a repost's "RT @…:", a quote-post's mark, a channel's time stamp over each
# message ("[04.04.17 07:12]") and its mark over a forwarded one ("Forwarded from …").
_POST_START = re.compile(
    r"^[> \t]*(?:(?:u/|@)\w[\w.-]{1,29}[^\S\n]*(?:\[OP\][^\S\n]*)?·"
    r"|#\d{1,5}[^\S\n]+\w{2,30}[^\S\n]*·"
    r"|[^\n()·]{1,60}\(@\w{1,30}\)[^\S\n]*·"
    r"|Replying[^\S\n]+to[^\S\n]+@\w"
    r"|RT[^\S\n]+@\w{1,30}:"
    r"|Quote[^\S\n]+(?:Tweet|post)\b"
    r"|\[\d{1,2}\.\d{1,2}\.\d{2,4}[^\S\n]+\d{1,2}:\d{2}(?::\d{2})?\]"
    r"|Forwarded[^\S\n]+from[^\S\n]+\S)",
    re.M,
)
# A testimony's heading in an oral history or a collection of witness accounts: the witness's
# name in capitals on a line of its own, then their age or what they do ("UMM AHMAD, 41,
# SCHOOLTEACHER", "DR. SAMIR K., 38, PHYSICIAN").
_TESTIMONY_HEADING = re.compile(
    r"(?:^|(?<=\n\n))[^\S\n]*(?P<name>(?:(?:DR|MR|MRS|MS)\.[^\S\n]+)?[A-Z][A-Z'’-]+"
    r"(?:[^\S\n]+[A-Z][A-Z'’.-]*){0,3}),[^\S\n]*(?P<rest>[^\n]*)\n",
)


def _testimonies(doc: Doc, found: list[Attribution], quotes: Sequence[tuple[int, int]]) -> None:
    """An oral history's "I", in the paragraphs under a witness's heading, is that witness:
    "UMM AHMAD, 41, SCHOOLTEACHER" then "I went to the window and saw smoke …". Only where at
    least two such headings (all capitals, an age or a calling after the name) head the text's
    parts, and only for an "I" in the witness's own voice, not in what they report of others."""
    text = text_of(doc)
    headings = []
    for match in _TESTIMONY_HEADING.finditer(text):
        rest = match.group("rest")
        if not rest.strip() or rest != rest.upper() or not re.search(r"\d|[A-Z]{3}", rest):
            continue
        words = match.group("name").split()
        if words[0].rstrip(".") in ("DR", "MR", "MRS", "MS"):
            words = words[1:]
        name = " ".join(word.title() if len(word) > 2 else word for word in words)
        headings.append((match.end(), Speaker(name=name, type="person")))
    if len(headings) < 2:
        return
    for attribution in found:
        source = attribution.source
        if source is None or source.text.lower() not in ("i", "me", "my"):
            continue
        heading = next((h for at, h in reversed(headings) if at <= source.start), None)
        if heading is not None and not _reported(found, attribution, quotes):
            attribution.speaker = replace(heading, resolved_from=source.text)


# A debate page's section heading: the side taken, then its writer's name and what they do, on a
# line of its own ("YES | Helen Marsh, senior fellow …", "AGAINST — Tom Reid, …").
_SIDE_HEADING = re.compile(
    r"^[^\S\n]*(?:YES|NO|FOR|AGAINST|PRO|CON)[^\S\n]*[|:—–-][^\S\n]*"
    r"(?P<name>[A-Z][\w'’.-]*(?:[^\S\n]+[A-Z][\w'’.-]*){1,3})[^\S\n]*(?:,[^\n]*)?$",
    re.M,
)


def _debate_sides(doc: Doc, found: list[Attribution], quotes: Sequence[tuple[int, int]]) -> None:
    """A debate page gives each side to a writer under a heading: "YES | Helen Marsh, …" and
    "NO | Tomasz Wrona, …". The "I" of each section, in its own voice, is the writer headed
    above it, and "my opponent" the other side's. Only where two headings take sides."""
    text = text_of(doc)
    headings = [(m.end(), m.group("name")) for m in _SIDE_HEADING.finditer(text)]
    if len(headings) != 2 or headings[0][1] == headings[1][1]:
        return
    for attribution in found:
        source = attribution.source
        if source is None or _reported(found, attribution, quotes):
            continue
        here = [n for n, (at, _) in enumerate(headings) if at <= source.start]
        if not here:
            continue
        side = here[-1]
        words = source.text.lower()
        if words in ("i", "me", "my"):
            name = headings[side][1]
        elif words == "my opponent":
            name = headings[1 - side][1]
        else:
            continue
        writer = Speaker(name=name, type="person", title="author")
        attribution.speaker = replace(writer, resolved_from=source.text)


# A sworn statement's opening, where its maker names themselves: "I, Samir Hallak, declare as
# follows:", "I, Dr Jane Roe, of Leeds, make oath and say"; and a witness's written statement,
# "I, Hassan al-Abdullah, born 1988 in …, make this statement of my own free will" (a surname
# may open with its article in lower case, "al-", "el-").
_SWORN_OPENING = re.compile(
    r"^[^\S\n]*I,[^\S\n]+(?P<name>[A-Z][\w'’.-]*(?:[^\S\n]+(?:[a-z]{1,3}-)?[A-Z][\w'’.-]*){1,3}),"
    r"[^\n]{0,120}?\b(?:declare|state|affirm|swear|depose|make[^\S\n]+oath"
    r"|make[^\S\n]+this[^\S\n]+(?:statement|declaration))",
    re.M,
)
# The title of a declaration, an affidavit or an expert's or witness's report to a court, which
# names the person who makes it: "DECLARATION OF SAMIR HALLAK", "Expert Report of Dr. Lina
# Moretti".
_DEPONENT_TITLE = re.compile(
    r"^[^\S\n]*(?:(?:SUPPLEMENTAL|Supplemental|SECOND|Second|FIRST|First)[^\S\n]+)?"
    r"(?:DECLARATION|Declaration|AFFIDAVIT|Affidavit|EXPERT[^\S\n]+REPORT|Expert[^\S\n]+[Rr]eport"
    r"|WITNESS[^\S\n]+STATEMENT|Witness[^\S\n]+[Ss]tatement)"
    r"[^\S\n]+(?:OF|of|BY|by)[^\S\n]+(?P<name>[A-Z][\w'’.-]*(?:[^\S\n]+[A-Z][\w'’.-]*){1,3})"
    r"[^\S\n]*$",
    re.M,
)


def _deponent(text: str) -> Speaker | None:
    """The person a declaration, an affidavit or an expert's report says makes it, or None:
    its "I" throughout, which is no byline's. The opening "I, NAME, declare" is taken first,
    as it writes the name in its own case; else the title near the top (in capitals, the name
    is written again with capitals only at the start of its words)."""
    match = _SWORN_OPENING.search(text, 0, 1500) or _DEPONENT_TITLE.search(text, 0, 600)
    if match is None:
        return None
    words = match.group("name").split()
    title = ""
    if words[0].lower().rstrip(".") in {"dr", "mr", "mrs", "ms", "professor", "prof"}:
        title, words = words[0], words[1:]
    if not 2 <= len(words) <= 3 or any(w.lower() in _ORG_WORDS for w in words):
        return None
    if all(w.isupper() for w in words):
        words = ["-".join(p.capitalize() for p in w.split("-")) for w in words]
    return Speaker(name=" ".join(words), type="person", title=title or "declarant")


# What a body found, in its own words: "Our findings do not support that account", "Our
# investigation shows": the body speaks, as in "we find".
_OUR_WORK = re.compile(
    r"[Oo]ur\s+(?:own\s+)?(?:findings|investigations?|inquiry|analysis|evidence|research|report)"
)


# A work cited by its author and year: "Postol (2017)", "Haddad and Lee (2018)", "Smith et al.
# (2019)".
_CITED = re.compile(r"\(\d{4}[a-z]?\)[\s,]*$")


# A reference list's entry line: who wrote the work, then the year in brackets ("Marsh, H.
# (2019) Investigating …"; "Human Rights Watch (2017) Death by Chemicals").
_ENTRY_LINE = re.compile(
    r"(?m)^[^\S\n]*(?P<author>[A-Z][\w'’.-]*(?:[ ,&]+(?:[A-Z][\w'’.-]*|of|for|on|and|the)){0,8},?)"
    r"[^\S\n]+\(\d{4}[a-z]?\)"
)
# "Marsh, H." or "Okafor, D. A.": a surname and initials, one person.
_SURNAME_INITIALS = re.compile(r"(?P<surname>[A-Z][\w'’-]+),\s+(?P<initials>(?:[A-Z]\.\s?){1,3})")
# What an entry's note calls the work or its writer: "The author argues", "This report finds".
_ENTRY_WORK_WORDS = _PUBLISHED | frozenset(
    {"author", "authors", "document", "evaluation", "study", "paper", "book", "briefing"}
)


def _we_within_our_own_saying(found: list[Attribution]) -> None:
    """ "We believe that an independent mechanism remains necessary, and we will keep
    pressing for one": a "we" inside what "we" say is the same we, whoever that is; not the
    last state named before (the one that vetoed the mechanism)."""
    for item in found:
        if item.source is None or item.source.text.lower() not in ("we", "i"):
            continue
        outer = next(
            (
                other
                for other in found
                if other is not item
                and other.source is not None
                and other.source.text.lower() == item.source.text.lower()
                and other.source.start < item.source.start
                and other.content.start <= item.cue.start < other.content.end
            ),
            None,
        )
        if outer is not None and outer.speaker is not None:
            item.speaker = replace(outer.speaker)


def _entry_author_name(author: str) -> tuple[str, str]:
    """The name and kind of whoever an entry line opens with: "Marsh, H." → ("H. Marsh",
    "person"); a body's name stays as written."""
    one = _SURNAME_INITIALS.fullmatch(author.strip().rstrip(","))
    if one is not None:
        return f"{one['initials'].strip()} {one['surname']}", "person"
    return author.strip().rstrip(",."), "organisation"


def _cited_surnames_are_people(doc: Doc, found: list[Attribution]) -> None:
    """ "Okafor, D. (2020) 'Proof at a distance' …. Okafor asks whether …. He answers …": a
    surname the tagger cannot place, which a reference list gives with initials, is a
    person (the "he" after it means them)."""
    authors = set()
    for line in _ENTRY_LINE.finditer(text_of(doc)):
        name, kind = _entry_author_name(line["author"])
        if kind == "person":
            authors.add(name.split()[-1])
    for item in found:
        speaker = item.speaker
        if speaker is not None and speaker.type == "organisation" and speaker.name in authors:
            item.speaker = replace(speaker, type="person")


def _entry_author(doc: Doc, found: list[Attribution]) -> None:
    """ "Marsh, H. (2019) Investigating Chemical Weapons Use. … The author argues that …": in
    an annotated reference list, the note under an entry speaks of that entry's work, so
    "the author", "this report" or "the evaluation" is whoever the entry line names; not the
    last report or writer spoken of, who belong to another entry."""
    text = text_of(doc)
    lines = list(_ENTRY_LINE.finditer(text))
    if len(lines) < 2:
        return
    for item in found:
        speaker = item.speaker
        where = item.source.start if item.source is not None else item.cue.start
        line = next((m for m in reversed(lines) if m.start() < where), None)
        if speaker is None or line is None or re.search(r"\n\s*\n", text[line.end() : where]):
            continue
        words = speaker.name.lower().split()
        name, kind = _entry_author_name(line["author"])
        # "The Mechanism concludes" under "OPCW-UN Joint Investigative Mechanism (2017)"
        called = kind == "organisation" and words == [name.split()[-1].lower()]
        if not words or not (called or words[-1] in _ENTRY_WORK_WORDS):
            continue
        item.speaker = Speaker(name=name, type=kind, resolved_from=speaker.name)


def _the_cited_author(doc: Doc, found: list[Attribution]) -> None:
    """ "Postol (2017) contends that …. The author claims, further, that …": in a critique,
    "the author" just after a cited work is that work's author, not a speaker of its own
    (before any citation, "the authors" are the paper's own, and stay as written). The
    number must agree: one name for "the author", several for "the authors". A letter's own
    "we" between the citation and "the authors" ("Brandt et al. (2021) conclude …. We do not
    dispute …, but the authors state …") is the writers, not another work cited. Once "the
    authors" are a cited work's, a later "the authors" in the same paragraph, before any
    other work is cited, are the same ones, whoever else spoke between."""
    text = text_of(doc)
    named: dict[str, tuple[Attribution, Speaker]] = {}  # "the authors" → who they were
    for at, attribution in enumerate(found):
        source = attribution.source
        if source is not None and _CITED.search(source.text):
            named.clear()  # another work cited: "the authors" are to be read anew
        if source is None or source.text.lower() not in ("the author", "the authors"):
            continue
        earlier = named.get(source.text.lower())
        if earlier is not None and "\n\n" not in text[earlier[0].cue.start : source.start]:
            attribution.speaker = replace(earlier[1], resolved_from=source.text)
            continue
        cited = next(
            (
                other
                for other in reversed(found[:at])
                if other.source is not None
                and other.speaker is not None
                and other.source.text.lower() not in ("we", "i", "our", "my")
            ),
            None,
        )
        if cited is None or cited.source is None or cited.speaker is None:
            continue
        several = bool(re.search(r"\band\b|\bet al\b", cited.source.text))
        if _CITED.search(cited.source.text) and several == source.text.lower().endswith("s"):
            attribution.speaker = replace(cited.speaker, resolved_from=source.text)
            named[source.text.lower()] = (attribution, cited.speaker)


# A letter's signature: "(Signed) Bashar Ja'afari".
_SIGNATURE = re.compile(
    r"^[^\S\n]*\(Signed\)[^\S\n]+(?P<name>[A-Z][\w'’.-]*(?:[^\S\n]+[A-Z][\w'’.-]*){0,3})[^\S\n]*$",
    re.M,
)
# A statement's title naming the body that issues it: "Statement of the Ministry of Foreign
# Affairs of the Russian Federation", "Comment by the Information and Press Department … on …",
# NATO's "Doorstep statement by NATO Secretary General …" (remarks to reporters at a door), a
# commission's "Oral update of the … Commission of Inquiry … to the Human Rights Council" and a
# parliament committee's "Written evidence submitted by Dr …".
_ISSUER_TITLE = re.compile(
    r"\A\s*(?:Joint[^\S\n]+|Opening[^\S\n]+|Closing[^\S\n]+|Doorstep[^\S\n]+)?(?:[Ss]tatement|[Cc]omment|[Cc]ommuniqu[eé]"
    r"|Press[^\S\n]+[Rr]elease|[Dd]eclaration|[Rr]emarks|[Ss]peech|[Aa]ddress|[Bb]riefing"
    r"|Oral[^\S\n]+update|Written[^\S\n]+evidence(?:[^\S\n]+submitted)?)"
    # a statement's number and the word of its issuing: "Statement No. 14/2017 issued by …"
    r"(?:[^\S\n]+No\.?[^\S\n]*[\w/.-]+)?(?:[^\S\n]+(?:issued|released|published))?"
    r"[^\S\n]+(?:by|of|from|attributable[^\S\n]+to)[^\S\n]+(?:the[^\S\n]+)?(?P<name>[A-Z][^\n]{2,160})"
)
_ISSUER_END = re.compile(
    r",|[^\S\n]*\((?=[^()\n]*\d)|[^\S\n]+(?:on|regarding|concerning|about|in connection with|to the|at the)[^\S\n]+"
)


def _issuer(text: str) -> Speaker | None:
    """The body a statement's title says issued it, or None: the "we" of its text."""
    title = _ISSUER_TITLE.match(text)
    if title is None:
        return None
    name = _ISSUER_END.split(title.group("name"), maxsplit=1)[0].strip()
    words = name.split()
    roles = [i for i, word in enumerate(words) if word.lower() in _ROLES]
    named = words[roles[-1] + 1 :] if roles else []
    if 2 <= len(named) <= 3 and all(
        word[:1].isupper() and word.lower() not in _ORG_WORDS | _ROLES for word in named
    ):
        # "Briefing by Foreign Ministry Spokesperson Maria Zakharova": a person, titled (not
        # "Statement by the Spokesperson for the Secretary-General")
        cut = roles[-1] + 1
        return Speaker(name=" ".join(named), type="person", title=" ".join(words[:cut]))
    if len(words) in (3, 4) and words[0].lower() in _HONORIFICS | {"professor", "prof."}:
        # "Written evidence submitted by Dr Helen Marsh, Senior Lecturer …": a person, whose
        # courtesy title is no part of the name
        return Speaker(name=" ".join(words[1:]), type="person", title=words[0])
    kind = "organisation" if any(w.lower() in _ORG_WORDS for w in words) else "unknown"
    return Speaker(name=name, type=kind)


def _reported(
    found: list[Attribution], attribution: Attribution, quotes: Sequence[tuple[int, int]]
) -> bool:
    """Whether ``attribution``'s source lies within quotation marks or within what someone
    else is reported to have said (a transcript's turn), where "I" and "we" are whoever
    speaks there, not the writer."""
    source = attribution.source
    if source is None:
        return False
    return any(start <= source.start < stop for start, stop in quotes) or any(
        p.start <= source.start and source.end <= p.end
        for other in found
        if other is not attribution
        for p in other.content.pieces
    )


# Texts that speak for themselves once named: "The complaint alleges … It names …".
_TEXTS = frozenset({"complaint", "indictment", "lawsuit", "petition", "resolution", "report"})
# A publication speaking as itself: "This newspaper has long maintained …".
_MASTHEADS = frozenset({"newspaper", "paper", "magazine", "board", "editors"})


def _speaker_just_before(found: list[Attribution], attribution: Attribution) -> Speaker | None:
    """The speaker of the saying right before ``attribution``, when its source ends at most a
    few sentences (300 characters) before this one's; else None."""
    index = next((n for n, other in enumerate(found) if other is attribution), 0)
    before = found[index - 1] if index else None
    if before is None or before.source is None or attribution.source is None:
        return None
    if not 0 <= attribution.source.start - before.source.end <= 300:
        return None
    return before.speaker


# Bodies that deliberate and find, named by what they are: "the Panel … It determined".
_PANELS = frozenset(
    ["panel", "committee", "commission", "council", "court", "mechanism", "tribunal", "board"]
)


def _strip_article(name: str) -> str:
    """ "The World Health Organization" → "World Health Organization"."""
    return name[4:] if name.lower().startswith("the ") else name


def _nested_owner(found: list[Attribution], attribution: Attribution) -> bool:
    """Whether the attribution's source is a possessive inside another's content ("rejected
    Russia's claim that …"): its owner is named in passing, not the one a later pronoun
    means."""
    source = attribution.source
    return (
        source is not None
        and source.text.endswith(("'s", "’s"))
        and any(
            other is not attribution and _within(source.start, other.content) for other in found
        )
    )


def _its_document_of(
    found: list[Attribution], attribution: Attribution, word: str
) -> Speaker | None:
    """The body that spoke in the sentence just before, when ``word`` is "its" and a document
    ("its editorial", "its report"): a press review's "The Guardian writes …. Its editorial
    argues …"; else None."""
    words = word.split()
    if len(words) != 2 or words[0] != "its" or _singular(words[1]) not in _PUBLISHED:
        return None
    index = next((n for n, other in enumerate(found) if other is attribution), 0)
    if not index:
        return None
    before = found[index - 1]
    speaker = before.speaker
    if speaker is None or speaker.type not in ("organisation", "state") or not speaker.name:
        return None
    if attribution.sentence.start - before.sentence.end > 2:
        return None  # only the sentence right before
    return speaker


def _saying_before(found: list[Attribution], attribution: Attribution) -> Attribution | None:
    """The saying right before ``attribution`` that a pronoun after it can go on with: past
    the claims of those named only in passing inside another's ("The Panel rejected Russia's
    claim that …. It …": the Panel's, not Russia's); None when there is none."""
    index = next((n for n, other in enumerate(found) if other is attribution), 0)
    while index and _nested_owner(found, found[index - 1]):
        index -= 1
    return found[index - 1] if index else None


def _body_just_before(
    found: list[Attribution], attribution: Attribution, pronoun: str
) -> Speaker | None:
    """The speaker of the saying right before ``attribution`` when a "we" that follows
    speaks for it ("this newspaper", "the ministry": a body named by what it is, which the
    pronoun rules do not count among the organisations) or an "it" that follows is it (a
    text: "the complaint", "the report"); else None."""
    saying = _saying_before(found, attribution)
    before = saying.speaker if saying is not None else None
    if before is None or before.type == "pronoun" or not before.name.split():
        return None
    last = before.name.split()[-1].lower()
    if pronoun == "it":
        if before.type == "organisation" and last in _PANELS:
            # "The Joint Investigative Mechanism's Leadership Panel states that it is confident
            # Syria is responsible …. It judged …": a deliberating body named in full, whose
            # finding named a state; the "it" that goes on is the body, not the state it named
            return before
        return before if before.type == "unknown" and last in _TEXTS | _PANELS else None
    return before if before.type == "unknown" and last in _MASTHEADS | _STATE_BODIES else None


def _subject_goes_on(found: list[Attribution], attribution: Attribution, named: int) -> bool:
    """Whether people named as a sentence's subject at ``named``, just before the sentence of
    ``attribution`` (within 250 characters), are still the subject a "they" goes on with: no
    one was given as saying anything since they were named."""
    if not 0 < attribution.sentence.start - named <= 250:
        return False
    return not any(
        other is not attribution
        and other.source is not None
        and named < other.source.start < attribution.sentence.start
        for other in found
    )


# What a body named by what it is may be called: "the ministry", "the panel", "the paper".
_BODY_WORDS = _STATE_BODIES | _GENERIC_GROUPS | _PANELS | _MASTHEADS


def _teller_of(
    found: list[Attribution], attribution: Attribution, named: int, pronoun: str
) -> Speaker | None:
    """The speaker of the saying right before ``attribution`` when the body an "it" or a
    "they" would otherwise take (named at ``named``) was named only inside what that speaker
    said (``named`` is -1 when there is no such body), and the speaker can be the pronoun's;
    else None.

    A pronoun that opens the next saying goes on with the one who spoke, not with whom they
    spoke of: "Russia said the OPCW had been misled. It demanded …" is Russia's demand."""
    before = _saying_before(found, attribution)
    if before is None:
        return None
    speaker = before.speaker
    if speaker is None or speaker.type == "pronoun" or not speaker.name.split():
        return None
    if named != -1 and not before.content.start <= named < before.content.end:
        return None  # the body was named outside what was said: the pronoun may be it
    if attribution.sentence.start - before.sentence.end > 3:
        return None  # only a saying of this sentence or the one before
    if speaker.type in ("state", "organisation"):
        return speaker
    if speaker.type == "unknown" and speaker.name.split()[-1].lower() in _BODY_WORDS:
        return speaker  # "the ministry", "the panel": a body named by what it is
    return speaker if pronoun == "they" and _many(speaker) else None


def _first_person(source: str) -> bool:
    """ "I", "we", and "we all" or "we both", or "our" and "my" of a view or a claim: the
    speaker themselves."""
    words = source.lower().split()
    if words in (["our"], ["my"]):
        return True
    return bool(words) and words[0] in _FIRST_PERSON and set(words[1:]) <= {"all", "both"}


def _first_person_is_the_quoted(found: list[Attribution]) -> None:
    """ "I" and "we" inside what someone is reported to have said are that someone: in
    "SMITH: We saw the bodies in the street", "we" is Smith, not the last person named before
    the transcript. Outer quotations first, so that a saying within a saying within a saying
    takes the speaker its own quotation was given."""
    by_size = sorted(found, key=lambda a: a.content.end - a.content.start, reverse=True)
    for attribution in by_size:
        speaker, source = attribution.speaker, attribution.source
        if speaker is None or source is None or not _first_person(source.text):
            continue
        holders = [
            other
            for other in found
            if other is not attribution
            and other.speaker is not None
            and any(p.start <= source.start and source.end <= p.end for p in other.content.pieces)
        ]
        if not holders:
            continue
        holder = min(holders, key=lambda a: a.content.end - a.content.start)
        outer = holder.speaker
        assert outer is not None
        if outer.type == "pronoun" and outer.name.lower() in _FIRST_PERSON:
            continue  # "I" within "we said": no one to name
        attribution.speaker = replace(outer, resolved_from=source.text)


# --- Broadcast talk: podcasts, call-in shows, documentary scripts, live blogs and bulletins ---

# A credit on a script's heading line: "Newsreader: Claire Dunmore.", "Hosts: A B and C D."
# (one or two full names, each a given name and a surname or two, then a full stop or the end).
_CREDITED_NAMES = re.compile(
    r"[^\S\n]*(?P<name>[A-Z][\w'’-]+(?:[^\S\n]+[A-Z][\w'’-]+){1,3})"
    r"(?:[^\S\n]+and[^\S\n]+[A-Z][\w'’-]+(?:[^\S\n]+[A-Z][\w'’-]+){1,3})?"
    r"(?:\.(?=\s)|[^\S\n]*$)"
)


def _credit_line(doc: Doc, label: str, content: str, at: int) -> bool:
    """ "Newsreader: Claire Dunmore. Duration 4'30"": a script's heading credits who reads,
    hosts or produces it, in the form of a field; a name alone after the label is no turn, as a
    speaker in a transcript opens with words of their own. Only a label written as a word
    ("Newsreader"), not in a turn's capitals ("NEWSREADER:")."""
    label = _BRACKET_AFTER.sub("", label).strip() or label
    if label.isupper() or len(label.split()) > 2:
        return False
    credited = _CREDITED_NAMES.match(content)
    if credited is None:
        return False
    start, end = at + credited.start("name"), at + credited.end("name")
    return is_given_name(credited.group("name").split()[0]) or any(
        ent.label_ == "PERSON" and ent.start_char <= start and end <= ent.end_char
        for ent in ents_of(doc)
    )


# The labels of a record's heading that name someone who took part in an interview or a
# statement ("Interviewer:", "Interviewee:", "Speaker:", "Narrator:", "Interpreter:").
_PARTICIPANT_FIELDS = frozenset(
    {
        "interviewer",
        "interviewee",
        "speaker",
        "narrator",
        "interpreter",
        "translator",
        "witness",
        "respondent",
        "deponent",
        "declarant",
        "informant",
        "investigator",
    }
)
# The name such a field gives, a code or initials and a surname, with its bracketed remark,
# and what closes it: a full stop, a comma before a description, or the line's end.
_FIELD_NAME_OPENING = re.compile(
    r"[^\S\n]*(?:(?:Dr|Prof|Mr|Ms|Mrs)\.?[^\S\n]+)?(?:[A-Z]\.[^\S\n]*){0,3}"
    r"[A-Z][\w'’-]+(?:[^\S\n]+[A-Z][\w'’-]+){0,3}"
    r"(?:[^\S\n]*\([^()\n]{1,30}\))?(?P<close>\.(?=\s)|,|[^\S\n]*$)"
)


def _participant_field(doc: Doc, label: str, content: str, at: int) -> bool:
    """ "Interviewee: KS-W23, male, ambulance driver, resident of …", "Speaker: Umm Khaled
    (pseudonym), resident of …", "Interviewer: R. Halvorsen (RH). Second investigator: …": an
    interview record's or a statement's heading names who took part, as a field: a name or a
    code, then a full stop or a description with no verb. A speaker in a transcript opens with
    words of their own, and a field's label is a participant's role written as a word (a
    turn's "INTERVIEWER:" in capitals asks its questions)."""
    label = _BRACKET_AFTER.sub("", label).strip() or label
    words = label.split()
    if label.isupper() or len(words) > 2 or words[-1].lower() not in _PARTICIPANT_FIELDS:
        return False
    if words[0].rstrip(".").lower() in ("mr", "madam", "madame", "mister"):
        return False  # "Mr Speaker:", the chair of a house, who speaks in turn
    opening = _FIELD_NAME_OPENING.match(content)
    if opening is None:
        return False
    first = doc.char_span(at, at + len(content), alignment_mode="expand")
    if first is None or first[0].pos_ in ("INTJ", "ADV", "PRON", "DET", "AUX", "VERB"):
        return False  # "Witness: Yes, I did.", "Witness: No, sir."
    if opening.group("close") != ",":
        # "R. Halvorsen (RH).", "Samir Haddad": a full name or one with initials, not a turn's
        # first word ("Mr Speaker: Order. I remind the House …")
        return len(opening.group().split()) > 1
    described = content[opening.end() :].split(". ")[0]
    rest = doc.char_span(
        at + opening.end(), at + opening.end() + len(described), alignment_mode="expand"
    )
    # a description may hold a participle ("living in the camp since 2015"), not a finite verb
    return rest is not None and not any(token.tag_ in ("VBD", "VBZ", "VBP", "MD") for token in rest)


def _own_subject_after_label(
    doc: Doc, item: Attribution, line: Attribution, before: list[Token]
) -> list[Token] | None:
    """ "NARRATOR (V.O.): In June, the mission confirmed that …": the parser can give the verb
    two subjects, the turn's label and the clause's own; the clause's own subject, after the
    label's colon, is the source; failing that, the words before the verb after a fronted
    "In Moscow," or "On Tuesday," (None: neither)."""
    if item.cue_i < 0:
        return None
    own = [
        child
        for child in doc[item.cue_i].children
        if child.dep_ in ("nsubj", "nsubjpass") and child.idx >= line.content.start
    ]
    if len(own) == 1:
        # only the words after the colon: the parser may hang the label itself on the subject
        # ("> Nadia Roy (@nadiaroy): Farmers say …", the label a modifier of "Farmers")
        words = doc[own[0].left_edge.i : own[0].right_edge.i + 1]
        return _trim([t for t in words if t.idx >= line.content.start]) or None
    comma = next((t.i for t in before if t.text == ","), None)
    if before and before[0].pos_ == "ADP" and comma is not None:
        return _trim([t for t in before if t.i > comma]) or None
    return None


def _one_reading_per_cue(found: list[Attribution]) -> list[Attribution]:
    """ "The ministry put that strike between 11:30 and 12:30, hours after …": two rules may
    read one verb with one speaker, the one content running further than the other; a verb
    said once is one attribution. The first reading in document order is kept."""
    kept: list[Attribution] = []
    for item in found:
        if item.cue_i >= 0 and any(
            other.cue_i == item.cue_i
            and other.source is not None
            and item.source is not None
            and (other.source.start, other.source.end) == (item.source.start, item.source.end)
            and other.content.start < item.content.end
            and item.content.start < other.content.end
            for other in kept
        ):
            continue
        kept.append(item)
    return kept


# What thanks go to when they are a formula, not a report: "thank you", "thank God".
_THANKED_FORMULA = frozenset({"you", "god", "goodness", "heaven", "heavens"})


def _thanks_formula(cue: Token) -> bool:
    """ "Lena Hartmann, thank you so much", "She is safe, thank God": thanks in the base form,
    to the one addressed or to God, are courtesy or relief and report nothing; a host's
    vocative is no subject. ("The chair thanks the witnesses", thanks reported, stays.)"""
    return (
        cue.lemma_ == "thank"
        and cue.tag_ in ("VB", "VBP")
        and any(child.dep_ == "dobj" and child.lower_ in _THANKED_FORMULA for child in cue.children)
    )


# A line opening with a speaker's label in capitals: "FALLIN: Well, I think …".
_LABEL_LINE = re.compile(r"^[^\S\n]*[A-Z][A-Z.'’ -]{1,40}:[^\S\n]", re.M)


def _turn_reach(turn: Attribution, turns: list[Attribution]) -> int:
    """Where a transcript's turn ends: at the next speaker's label. A speech or an answer runs
    on over many paragraphs under one label ("THE PRESIDENT: Good evening. …"), not only to the
    end of the label's own paragraph."""
    later = [t.source.start for t in turns if t.source is not None and t.cue.start > turn.cue.start]
    return max(turn.content.end, min(later)) if later else sys.maxsize


# A speaker's own voice in a sentence: "He told me …", "He says it's none of our concern".
_OWN_VOICE = re.compile(r"\b(?:I|me|my|we|us|our)\b")
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")


def _within_the_turn(item: Attribution, turn: Attribution, turns: list[Attribution]) -> bool:
    """Whether ``item`` lies in ``turn``: in the label's own paragraph, or in a later one before
    the next label when its sentence speaks in the first person outside quotation marks ("He
    told me, …"). A paragraph after a label that speaks of people in the third person only
    ("Zakharova noted that … She called …") may be the writer's, after the line quoted."""
    source = item.source
    if source is None or source.start < turn.content.start:
        return False
    if source.start < turn.content.end:
        return True
    if source.start >= _turn_reach(turn, turns):
        return False
    return bool(_OWN_VOICE.search(_QUOTED.sub(" ", item.sentence.text)))


def _first_person_goes_on_in_the_turn(
    doc: Doc, found: list[Attribution], quotes: Sequence[tuple[int, int]]
) -> None:
    """ "WHITCOMB: Thank you! …" then, paragraphs on, "I think a kid choking on nerve gas is
    everybody's concern": until the next label the "I" of a transcript is still the speaker of
    the turn, though the turn's first paragraph has ended; left unresolved, it would read as
    the writer's own voice."""
    turns = _transcript_turns(found)
    for item in found:
        source, speaker = item.source, item.speaker
        if source is None or item.how == "line" or source.text.lower() not in ("i", "me", "my"):
            continue
        if speaker is not None and speaker.name.lower() != source.text.lower():
            continue
        if _reported(found, item, quotes):
            continue
        before = [t for t in turns if t.content.start <= source.start < _turn_reach(t, turns)]
        if not before or before[-1].speaker is None:
            continue
        if _LABEL_LINE.search(text_of(doc), before[-1].content.end, source.start):
            continue  # "FALLIN: Well, I think …": a label the rules did not take for a turn
        item.speaker = replace(before[-1].speaker, resolved_from=source.text)


def _transcript_turns(found: list[Attribution]) -> list[Attribution]:
    """The turns of a transcript ("NAME: …" lines) when there is one: two speakers at least
    have turns, or the labels are written in capitals as a transcript writes them ("THE
    PRESIDENT: Good evening."); none for a headline's "Obama: The Trends Are 'Terrifying'" or
    "HUFFPOLLSTER: …", which label one line, not the article after it."""
    turns = [t for t in found if t.how == "line" and t.speaker is not None and t.source]
    speakers = {t.speaker.name for t in turns if t.speaker is not None}
    # one speaker's labels: "THE PRESIDENT:", "MAYOR LINDQVIST:", never a column's one-word
    # "HUFFPOLLSTER:" over its headline
    capitals = all(
        t.source is not None and t.source.text.isupper() and len(t.source.text.split()) > 1
        for t in turns
    )
    return turns if len(speakers) >= 2 or capitals else []


def _not_the_turns_own(found: list[Attribution], mentions: Iterable[tuple[int, Speaker]]) -> None:
    """ "PRIYA: And then Assad went further. LENA: He told AFP it was a fabrication": within a
    transcript's turn its speaker is "I", so "he" or "she" there is someone the talk names,
    never the turn's own speaker, whom the resolver, taking the last person to speak, may give.
    Such a pronoun takes the last person named as a subject since the turn before began (of a
    gender that fits, with no turn of their own), else stays as written: "my cousin … She
    said", someone unnamed."""
    turns = _transcript_turns(found)
    named = [
        (at, speaker)
        for at, speaker in mentions
        if speaker.type in ("person", "mentioned")
        # a label's own words ("MARIAM (Luton):") name no one the talk is about
        and not any(t.source and t.source.start <= at < t.content.start for t in turns)
    ]
    for item in found:
        speaker, source = item.speaker, item.source
        if speaker is None or source is None or item.how == "line":
            continue
        word = source.text.lower()
        wanted = _PRONOUN_GENDER.get(word, "")
        if not wanted or speaker.resolved_from.lower() != word:
            continue
        inside = [t for t in turns if _within_the_turn(item, t, turns)]
        if not inside:
            continue
        turn = inside[-1]
        own = turn.speaker
        assert own is not None
        if speaker.name != own.name:
            continue
        if own.name.split()[-1] in turn.content.text:
            # "Bernie Sanders: Credit scores. On his campaign website, Senator Bernie Sanders
            # calls for …": a section headed by whom it is about, who is named in it in the
            # third person, is no turn of theirs; its "he" may well be them
            continue
        before = [t for t in turns if t.cue.start < turn.cue.start]
        since = before[-1].cue.start if before else 0
        # nor anyone else who has a turn: the talk's own speakers are "you" to one another
        own_words = {w for t in turns if t.speaker for w in t.speaker.name.lower().split()}
        candidate = next(
            (
                s
                for at, s in reversed(named)
                if since <= at < source.start
                and not own_words & set(s.name.lower().split())
                and (s.gender or name_gender(s.name)) in ("", wanted)
            ),
            None,
        )
        if candidate is None:
            item.speaker = Speaker(name=source.text, type="pronoun")
            continue
        item.speaker = Speaker(
            name=candidate.name,
            type="person",
            title=candidate.title,
            affiliation=candidate.affiliation,
            resolved_from=source.text,
            gender=wanted,
        )


def _named_in_capitals_or_alone(doc: Doc, label: str) -> set[str]:
    """ "DEMIR:" under a documentary's lower third "AYSE DEMIR | Nurse": the full name a caption
    writes in capitals around the label's word (a title before it left out); else "DAVE:" after
    the host's "Dave in Hemel Hempstead": a call-in show's caller, by the given name and the
    town the host introduces them with, as the text writes it."""
    text = text_of(doc)
    captions = {
        normalise_space(match.group())
        for match in re.finditer(
            r"(?<![\w.'’-])[A-Z][A-Z'’-]+[^\S\n]+" + re.escape(label) + r"(?![\w'’-])", text
        )
        if match.group().split()[0].lower().rstrip(".") not in _TITLE_WORDS
    }
    if captions:
        # "TOM REEVE:" where the presenter says "Our correspondent Tom Reeve": as written there
        return {_written_not_in_capitals(text, caption) for caption in captions}
    alone = label.title()
    caller = r"\b" + re.escape(alone) + r"[^\S\n]+(?:in|from)[^\S\n]+[A-Z]"
    return {alone} if re.search(caller, text) else set()


def _object_taken_from_clause(doc: Doc, found: list[Attribution]) -> None:
    """ "One official told me the message to Damascus was simple": after the one told, the
    parser can read the reported clause's subject as the verb's object and leave the clause
    without one ("was simple"); what was said begins at that object."""
    for item in found:
        if item.cue_i < 0 or item.content.parts:
            continue
        cue = doc[item.cue_i]
        clause = next((c for c in cue.children if c.dep_ == "ccomp"), None)
        told = next((c for c in cue.children if c.dep_ in ("dative", "iobj")), None)
        taken = next((c for c in cue.children if c.dep_ == "dobj"), None)
        if clause is None or told is None or taken is None:
            continue
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in clause.children):
            continue
        after = taken.right_edge.i + 1
        if not (told.i < taken.i < clause.i) or after >= len(doc):
            continue
        if doc[after].idx != item.content.start or taken.left_edge.i <= told.i:
            continue
        item.content = _span(doc, doc[taken.left_edge.i].idx, item.content.end)


# Whom a hearing's or a programme's running order brings on: "First witness is Dr. Moreau".
_RUNNING_ORDER = frozenset(
    {"witness", "speaker", "guest", "caller", "panellist", "panelist", "interviewee"}
    | {"contributor", "questioner", "presenter", "chair", "moderator", "petitioner"}
)


def _introduced_by_copula(doc: Doc) -> list[tuple[int, Speaker]]:
    """ "First witness is Dr. Clare Whitlow, a former inspector. She tells MPs …": a live blog
    or a running story brings a person on by naming them after "is" ("The first speaker was
    …"); the "she" or "he" after means them, as if they had been the subject."""
    mentions = []
    for ent in ents_of(doc):
        root = ent.root
        if ent.label_ != "PERSON" or root.dep_ != "attr" or root.head.lemma_ != "be":
            continue
        subject = next((c for c in root.head.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.pos_ != "NOUN":
            continue  # "It was Smith": a cleft, or no one brought on
        if subject.lemma_.lower() not in _RUNNING_ORDER:
            continue  # "Trump's one policy guy is Stephen Miller" brings no one on to speak
        found = describe(_trim(list(doc[ent.start : ent.end])))
        if found.type in ("person", "mentioned"):
            mentions.append((ent.start_char, replace(found, type="person")))
    return mentions


def _written_not_in_capitals(text: str, name: str) -> str:
    """A name in capitals ("TOM REEVE") as the text writes it elsewhere in ordinary case ("Tom
    Reeve"); the capitals when it never does."""
    pattern = r"\b" + r"[^\S\n]+".join(re.escape(word) for word in name.split()) + r"\b"
    for match in re.finditer(pattern, text, re.I):
        written = normalise_space(match.group())
        if not written.isupper() and written[:1].isupper():
            return written
    return name


_PUTTING_QUESTIONS = frozenset({"ask", "wonder", "question", "inquire", "enquire"})


def _inside_a_question_put(doc: Doc, item: Attribution) -> bool:
    """ "asked whether the minister had seen the report", "To ask the Government whether they
    intend to publish the evidence": a saying or a stance inside the "whether" or "if" clause
    of someone's question is what the question asks about, not anything its subject said or
    holds; the asker's "asked" is the claim. An "as" clause in it still names who said what
    ("asked whether the sarin came from a depot, as Moscow claimed"), and a claim named by
    its noun was made whatever is asked of it ("asked whether the Russian claim that a depot
    was hit could be excluded")."""
    if item.cue_i < 0 or item.how.endswith("/as-clause"):
        return False
    cue = doc[item.cue_i]
    if cue.pos_ == "NOUN":
        return False
    if any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children):
        return False
    token = cue
    while token.head.i != token.i and token.sent.start == cue.sent.start:
        if token.dep_ in ("relcl", "acl"):
            return False  # "whether candidates like Mr. Carson, who claimed …, are wise"
        if (
            token.dep_ in ("ccomp", "advcl")
            and token.head.lemma_ in _PUTTING_QUESTIONS
            and any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in token.children)
        ):
            return True
        token = token.head
    return False


def _dated_field(doc: Doc, item: Attribution) -> bool:
    """ "Asked on: 24 April 2017", "Answered on: 8 May 2017": a record's field of when a
    question was put or answered; the date after "on" and its colon is when, never what was
    asked."""
    cue = doc[item.cue_i]
    content = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
    if content is None or not all(t.ent_type_ in ("DATE", "TIME") or t.is_punct for t in content):
        return False
    return any(
        c.dep_ == "prep"
        and c.lower_ in ("on", "at")
        and c.i + 1 < len(doc)
        and doc[c.i + 1].text == ":"
        and content.start > c.i
        for c in cue.children
    )


_CIRCUMSTANCE_PREPS = frozenset({"in", "on", "under", "at", "during"})
_NO_SPEAKER_ENTITIES = frozenset(
    {"DATE", "TIME", "LAW", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}
)


def _circumstance_for_source(doc: Doc, item: Attribution) -> bool:
    """ "Reports from the posts are disclosed in part", "Passages have been withheld under
    Article 11(1) of the Act", "asked the Ministry to disclose all documents … on 4 April
    2017": a phrase after a preposition of the cue other than the passive's "by" that says
    when, how much or under what rule is no one who says anything, and no source; the reading
    stays with none, as an agentless passive does ("it was revealed in March that …"). A
    person, a body or a place there may be a source ("heard from officials") and is kept."""
    if item.source is None or item.cue_i < 0:
        return False
    source = doc.char_span(item.source.start, item.source.end, alignment_mode="expand")
    if source is None:
        return False
    root = source.root
    prep = root.head
    if root.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in _CIRCUMSTANCE_PREPS:
        return False
    if prep.head.i != item.cue_i or prep.head.pos_ not in ("VERB", "AUX"):
        return False
    if root.ent_type_:
        # "under Article 11(1) of the Act": a provision, whatever follows it
        return root.ent_type_ == "LAW" or all(
            t.ent_type_ in _NO_SPEAKER_ENTITIES or t.is_punct or t.dep_ in ("det", "prep")
            for t in source
        )
    # a bare noun of manner or measure: "in part", "in full", "in principle" ("In her film,
    # she documents …" names where, and may be the source; "revered at home" names by whom)
    return (
        prep.lower_ == "in"
        and root.pos_ == "NOUN"
        and not list(root.children)
        and root.lemma_.lower() not in _ROLES | _PEOPLE_NOUNS | _ORG_WORDS | _GENERIC_GROUPS
    )


def _guests_to_discuss(doc: Doc, item: Attribution) -> bool:
    """ "With me to discuss it: Sir Anthony Rees, …; and Professor Oleg Vantsov …": a host
    bringing on a panel names who will speak and on what; the guests, named after the
    infinitive, have said nothing yet, and "it" is only the topic ("The senator declined to
    discuss it", its speaker before the cue, stays)."""
    if item.source is None or item.cue_i < 0:
        return False
    cue = doc[item.cue_i]
    if cue.lemma_ not in ("discuss", "debate", "talk"):
        return False
    if item.source.start < item.cue.end and item.source.text.lower() not in ("me", "us"):
        return False  # "With me to discuss it": the host, who brings them on
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children):
        return False
    content = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
    return content is not None and all(t.pos_ == "PRON" or t.is_punct for t in content)


def _object_for_source(doc: Doc, item: Attribution) -> bool:
    """ "If they sit in The Hague and read Twitter, no": a verb joined to the one before it by
    "and" shares that verb's subject, and its object is what is read or done, not who speaks;
    a reading that makes the object the source and the first verb's clause the content
    ('"…," read the statement' has its speaker as the subject) has no saying in it. A quotation
    before the verb is what was read out, whatever the parse ('"…, and included fragments …,"
    read the statement' is the statement's)."""
    if item.source is None or item.cue_i < 0 or not item.how.endswith("^conj"):
        return False
    if item.content.text[:1] in _QUOTE_OPENERS:
        return False
    cue = doc[item.cue_i]
    source = doc.char_span(item.source.start, item.source.end, alignment_mode="expand")
    return (
        source is not None
        and cue.dep_ == "conj"
        and source.root.dep_ == "dobj"
        and source.root.head.i == cue.i
    )


def _said_what_was_said(doc: Doc, item: Attribution) -> bool:
    """ "He said what he said", "I wrote what I wrote": a spokesman declining to gloss another's
    words points back at them and reports nothing new; its content is a free relative with the
    cue's own verb again."""
    if item.cue_i < 0:
        return False
    cue = doc[item.cue_i]
    content = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
    if content is None:
        return False
    words = [t for t in content if not t.is_punct]
    return (
        len(words) <= 4
        and bool(words)
        and words[0].lower_ == "what"
        and words[-1].lemma_ == cue.lemma_
        and words[-1].pos_ in ("VERB", "AUX")
    )


def _no_one_asked(doc: Doc, item: Attribution) -> bool:
    """ "Why is nobody asking about the US strike?": a reader's or a host's question whose
    saying has no one for its speaker reports no saying at all; it asks why there is none."""
    if item.source is None or item.source.text.lower() not in ("nobody", "no one", "no-one"):
        return False
    return doc[item.cue_i].sent.text.rstrip().rstrip("\"”'’").endswith("?")


def _as_claimed_after(doc: Doc, item: Attribution) -> bool:
    """ "… whether the sarin came from a rebel depot, as Moscow claimed in April": an "as"
    clause after what it vouches for names who said it, as one set before it does ("As Moscow
    claimed, …"), which the learnt filter keeps while dropping the one after; kept when it
    names its speaker and follows a clause of its own."""
    if not (
        item.how.endswith("/as-clause")
        and item.source is not None
        and item.cue_i >= 0
        and item.content.end <= item.source.start
        and doc[item.cue_i].lemma_ in _AS_CLAIMED
    ):
        return False
    cue = doc[item.cue_i]
    marker = next((c for c in cue.children if c.dep_ == "mark" and c.lower_ == "as"), None)
    opening = doc.char_span(item.content.start, item.content.end, alignment_mode="expand")
    if opening is None or opening[0].tag_ in ("VBN", "VBG"):
        return False  # "Asked whether …, as Damascus claimed, …": the parse took the wrong clause
    # "just as a page on climate says nothing about …": a likeness, its verb with its own object
    return (
        marker is not None
        and marker.i > 0
        and doc[marker.i - 1].lower_ not in ("just", "much", "even", "so")
        and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr") for c in cue.children)
    )


def _as_put_in_words(doc: Doc, item: Attribution, quotes: list[tuple[int, int]]) -> bool:
    """ "It was, as one diplomat later put it to me, "a story with a timestamp on it."": an "as
    … put it" inside the clause it vouches for, a quotation right after it. What was said is
    the quotation, the words the speaker put it in (the parse gives the clause's opening); the
    content is mended to it, and kept, as "As one diplomat put it, "…"" is."""
    if item.cue_i < 0 or item.source is None:
        return False
    cue = doc[item.cue_i]
    if cue.lemma_ != "put" or cue.dep_ != "advcl" or cue.head.i >= cue.i:
        return False
    if not any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children):
        return False
    if not any(c.dep_ == "dobj" and c.lower_ == "it" for c in cue.children):
        return False
    after = cue.right_edge.i + 1
    while after < len(doc) and doc[after].text == ",":
        after += 1
    if after >= len(doc):
        return False
    quote = next((q for q in quotes if q[0] == doc[after].idx), None)
    if quote is None or doc[after].sent != cue.sent:
        return False
    item.content = _span(doc, quote[0], quote[1])
    return True


# The verbs of an "as"-clause after its clause that report a saying, not a reasoning ("as Moscow
# claimed", not "as the map shows").
_AS_CLAIMED = frozenset({"claim", "say", "allege", "insist", "maintain", "assert", "argue"})


# A post's account line as a page quotes it: "Sam Whitcombe @samwhitcombe", "Ana Ruiz (@anaruiz)".
_ACCOUNT_LINE = re.compile(
    r"[A-Z][\w'’.-]*(?:[^\S\n]+[A-Z][\w'’.-]*){0,3}[^\S\n]+\(?@\w{1,30}\)?[^\S\n]*"
)


def _post_below_account(doc: Doc, paragraph: Span) -> Span:
    """ "Our reporter tweets:" and below it the quoted post, its account line first ("Sam
    Whitcombe @samwhitcombe") and its text on the next line: what was tweeted is the text, not
    who posted it; the paragraph itself when it is no account line."""
    if not _ACCOUNT_LINE.fullmatch(paragraph.text):
        return paragraph
    text = text_of(doc)
    start = paragraph.end
    while start < len(text) and text[start].isspace():
        start += 1
    stop = text.find("\n", start)
    post = _span(doc, start, len(text) if stop < 0 else stop)
    return post if len(post.text.split()) >= 3 else paragraph


# Who presides over a hearing or a programme, named by office alone ("The chair has opened …").
_PRESIDING = frozenset(
    {"chair", "chairman", "chairwoman", "chairperson", "moderator", "presenter", "host"}
)


def _presiding_as_subject(doc: Doc) -> list[tuple[int, Speaker]]:
    """ "The chair has opened the session. She says …": a live blog names who presides over a
    hearing by office alone, as the subject of what they do; the "she" or "he" after means
    them (the resolver counts only named subjects and speakers)."""
    mentions = []
    for token in doc:
        if (
            token.dep_ in ("nsubj", "nsubjpass")
            and token.tag_ == "NN"
            and token.lower_ in _PRESIDING
            and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
        ):
            mentions.append(
                (token.idx, Speaker(name=token.lower_, type="unknown", title=token.lower_))
            )
    return mentions


# A questioner's verbs that put a question to someone named as their object ("presses Whitlow
# on …"), and the verbs of the one who answers.
_QUESTIONING = frozenset({"press", "ask", "question", "quiz", "challenge", "grill", "push"})
_ANSWERING = frozenset({"concede", "reply", "answer", "respond", "admit", "acknowledge", "insist"})


def _answer_of_the_one_asked(doc: Doc, found: list[Attribution]) -> None:
    """ "Pell presses Whitlow on the anomalies. She concedes they are real, but says …": in an
    account of a hearing, "she" answering in the sentence after a question put to someone named
    is the one asked, not the asker whom the resolver, taking the last speaker, gives; what she
    goes on to say in that sentence is hers too."""
    for item in found:
        speaker, source = item.speaker, item.source
        if speaker is None or source is None or item.cue_i < 0:
            continue
        word = source.text.lower()
        if word not in ("he", "she") or speaker.resolved_from.lower() != word:
            continue
        cue = doc[item.cue_i]
        if cue.lemma_ not in _ANSWERING:
            continue
        sentence = cue.sent
        if sentence.start == 0:
            continue
        before = doc[sentence.start - 1].sent
        asked = next(
            (
                obj
                for verb in before
                if verb.lemma_ in _QUESTIONING and verb.pos_ == "VERB"
                for obj in verb.children
                if obj.dep_ == "dobj" and obj.tag_ == "NNP"
            ),
            None,
        )
        if asked is None:
            continue
        asker = next((c for c in asked.head.children if c.dep_ == "nsubj"), None)
        if asker is None or asker.text not in speaker.name.split():
            continue  # "she" is not the asker as resolved: left as it is
        named = next(
            (
                other.speaker
                for other in found
                if other.speaker is not None
                and other.speaker.type == "person"
                and _called_alone(asked.text, other.speaker.name)
            ),
            None,
        )
        answerer = named or Speaker(name=asked.text, type="person")
        for other in found:
            if other.source is not None and other.source.start == source.start:
                other.speaker = replace(answerer, resolved_from=source.text, gender="")


def _as_claimed_not_asked(doc: Doc, found: list[Attribution]) -> None:
    """ "Osei asks whether the sarin came from a depot, as Moscow claimed": the "as" clause
    vouches for the question's clause, but what Moscow claimed is that the sarin came from a
    depot, not whether it did; the question's "whether" or "if" is left out."""
    for item in found:
        if not item.how.endswith("/as-clause") or item.content.parts:
            continue
        first = item.content.text.split(" ", 1)
        if len(first) == 2 and first[0].lower() in ("whether", "if"):
            item.content = _span(doc, item.content.start + len(first[0]) + 1, item.content.end)


# Inspection teams' papers, witness statements, technical memoranda and cables have habits of
# their own (a second verb of the author's read as a noun, "I was told by an official that …",
# a relative clause with no "that" read as a trailing report, a passive that only names), read
# by the few functions below.

# Third-person verbs of saying spelt like plural nouns, which the tagger reads as nouns after
# "and" ("has reviewed his analysis and notes that …"); not "claims", "reports" or "estimates",
# which are as often the nouns themselves ("rejected the accusations and claims that …").
_SAYINGS_SPELT_PLURAL = frozenset(
    {"notes", "argues", "warns", "insists", "maintains", "stresses", "states", "confirms"}
    | {"says", "believes", "alleges", "suspects", "considers", "concludes", "observes"}
)


def _second_saying_after_object(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """ "The author has reviewed his analysis and notes that it relies on one photograph": the
    tagger reads the second verb as a plural noun joined to the first verb's object, and what
    was said as a relative clause of it. A verb of saying spelt like a plural noun, right after
    "and" and right before "that", joined to the object of a verb in the present (or present
    perfect) whose subject is singular, agrees with that subject as a verb and cannot be a
    noun there; the subject says what follows "that", to the sentence's end."""
    taken = {item.cue_i for item in found}
    added: list[Attribution] = []
    for cue in doc:
        if (
            cue.i in taken
            or cue.lower_ not in _SAYINGS_SPELT_PLURAL
            or cue.tag_ != "NNS"
            or cue.dep_ != "conj"
            or cue.head.dep_ != "dobj"
            or cue.i < 2
            or cue.i + 1 >= len(doc)
            or doc[cue.i - 1].lower_ != "and"
            or doc[cue.i + 1].lower_ != "that"
        ):
            continue
        verb = cue.head.head
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        present = verb.tag_ == "VBZ" or (
            verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ == "has" for c in verb.children)
        )
        if (
            subject is None
            or not present
            or subject.tag_ not in ("NN", "NNP", "PRP")
            or (subject.tag_ == "PRP" and subject.lower_ not in ("he", "she", "it"))
        ):
            continue
        sentence = cue.sent
        content = _token_span(_trim(list(doc[cue.i + 1 : sentence.end])))
        if content is None:
            continue
        named = _trim(list(subject.subtree))
        key = f"{cue.lower_[:-1]}/VERB"
        added += _one_word_cue(cue, content, named, key, "second-verb")
    return added


def _told_by_one_that(doc: Doc, found: list[Attribution]) -> None:
    """ "I was told by a senior official of that organisation that the samples had been
    passed to the OPCW": the parser hangs the "that"-clause on the last noun of the agent as a
    relative clause, so the one told became what was said. A relative clause opened by "that"
    as a mark, with a subject of its own, is no relative clause (a relative "that" is the
    clause's subject or object): it is what the agent told; the agent is the words before it."""
    for item in found:
        if item.cue_i < 0 or item.source is None or not item.how.endswith("nsubjpass"):
            continue
        cue = doc[item.cue_i]
        if cue.lemma_ not in _TOLD_TO_US | {"tell", "inform", "advise", "brief"}:
            continue
        agent = next((c for c in cue.children if c.dep_ == "agent"), None)
        if agent is None:
            continue
        clause = next(
            (
                t
                for t in agent.subtree
                if t.dep_ == "relcl"
                and any(c.dep_ == "mark" and c.lower_ == "that" for c in t.children)
                and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in t.children)
            ),
            None,
        )
        if clause is None:
            continue
        said = _token_span(_trim(list(clause.subtree)))
        who = _token_span(_trim(list(doc[agent.i + 1 : clause.left_edge.i])))
        if said is None or who is None:
            continue
        item.content, item.source = said, who


def _contact_relative_taken_for_report(doc: Doc, item: Attribution) -> bool:
    """ "… fall before the release window we are proposing": a relative clause with no "that"
    after a noun, whose verb the parser took for a report trailing the sentence before it
    ("…, we believe"). A trailing report is set off by a comma and is a plain "said" or
    "believe"; a pronoun subject right after a noun, with no comma, and a verb with an
    auxiliary ("are proposing", "have drafted") and no object is the noun's relative clause."""
    if item.cue_i < 0:
        return False
    cue = doc[item.cue_i]
    clause = next((c for c in cue.children if c.dep_ == "ccomp" and c.i < cue.i), None)
    subject = next((c for c in cue.children if c.dep_ == "nsubj" and c.i < cue.i), None)
    if clause is None or subject is None or subject.tag_ != "PRP" or subject.i < 1:
        return False
    before = doc[subject.i - 1]
    return (
        before.pos_ == "NOUN"
        and clause.right_edge.i == before.i
        and any(c.dep_ == "aux" and c.i < cue.i for c in cue.children)
        and not any(c.dep_ in ("dobj", "ccomp") and c.i > cue.i for c in cue.children)
    )


def _named_without_saying(doc: Doc, item: Attribution) -> bool:
    """ "The official is not named in the document", "No fins or fuze components were
    identified": a passive of naming or identifying with no one who names and no name given
    (as "identified as a Su-22" or "named in reports as the commander" give one) is the
    writer's own account of what the text holds or what was found; no one says anything."""
    if item.cue_i < 0:
        return False
    cue = doc[item.cue_i]
    deps = {c.dep_ for c in cue.children}
    # only a naming denied: "was named last week in a grand jury indictment" is the indictment's
    denied = "neg" in deps or any(
        c.dep_ == "nsubjpass" and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
        for c in cue.children
    )
    # "Witnesses are identified by code", "by number", "by their initials": how they are
    # named, not by whom; the record's own way of naming, which says nothing
    by_code = any(
        c.dep_ == "agent"
        and any(
            o.dep_ == "pobj"
            and o.pos_ == "NOUN"
            and o.is_lower
            and not any(d.dep_ in ("det", "amod", "compound", "prep") for d in o.children)
            for o in c.children
        )
        for c in cue.children
    )
    return (
        (denied or by_code)
        and cue.lemma_ in ("name", "identify")
        and cue.tag_ == "VBN"
        and "auxpass" in deps
        and (by_code or not deps & {"agent", "oprd", "xcomp", "ccomp", "attr"})
        and not deps & {"oprd", "xcomp", "ccomp", "attr"}
        and not any(t.lower_ == "as" and t.i > cue.i for t in cue.subtree)
    )


# The verbs a writer recalls an earlier saying of their own with: "As I pointed out in my note
# of 14 June", "As we noted in our last report", "As I said on Monday".
_RECALLED_SAYINGS = frozenset(
    {"point", "note", "say", "mention", "explain", "write", "argue", "stress", "state"}
    | {"indicate", "warn", "suggest", "report", "observe"}
)


def _as_i_said_before(doc: Doc, item: Attribution) -> bool:
    """ "As I pointed out in my note of 14 June, the admission times fall before the window":
    a writer who opens a sentence by recalling what they said before says it again; the learnt
    filter, which saw such openings mostly as a third party's ("As the envoy said, …"), drops
    the first person's. Kept when the "as" clause opens its sentence, its subject is "I" or
    "we" and its verb is one of saying, with no object or clause of its own."""
    if not (
        item.how.endswith("/as-clause")
        and item.source is not None
        and item.source.text.lower() in ("i", "we")
        and item.cue_i >= 0
        and item.source.end <= item.content.start
    ):
        return False
    cue = doc[item.cue_i]
    marker = next((c for c in cue.children if c.dep_ == "mark" and c.lower_ == "as"), None)
    return (
        cue.lemma_ in _RECALLED_SAYINGS
        and marker is not None
        and marker.i == cue.sent.start
        and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr") for c in cue.children)
    )
