"""Search: full text over items (titles, file names, fields, extracted texts) and claims, with
facets, and semantic search over claims and texts with the shipped MiniLM embeddings.

One query syntax on both back ends, parsed here into a small tree and compiled to an FTS5
``MATCH`` expression (SQLite) or a ``to_tsquery('simple', …)`` expression (PostgreSQL):

* words must all match: ``sarin hospital``; ``sar*`` matches words starting with ``sar``;
* ``"quoted words"`` must stand together, in that order;
* ``-word`` (or ``-"a phrase"``) excludes what contains it;
* ``OR`` between two terms matches either (it binds tighter than the implicit AND:
  ``sarin nerve OR agent`` is ``sarin AND (nerve OR agent)``); parentheses group.

Everything else — FTS5's own syntax (``title:``, ``NEAR(…)``, ``^``, ``{…}``), tsquery's
operators, control characters — is only text: its words are searched for as a phrase, and only
words ever reach either back end, each quoted. A query is bounded (:data:`MAX_QUERY`
characters, :data:`MAX_WORDS` words, :data:`MAX_PREFIXES` prefixes, :data:`MAX_DEPTH` levels of
parentheses): past them it is refused in one line, before the database sees it, so no query
costs more than a handful of words' lookups and none reaches a limit of one back end's parser
(FTS5 refuses expressions nested more than 256 deep; PostgreSQL drops a word of more than
:data:`MAX_WORD_BYTES` bytes from a query without a word, and would then find more than SQLite).

Access is decided here, for the acting user, exactly as listings decide it: only cases they may
read, protected items (and the claims read from them) only where their role may see that
protected items exist — and a protected item's words are never in the index at all
(:mod:`enquiry.store.index`), so it is listed by kind and date only, its title withheld.
"""

from __future__ import annotations

import heapq
import json
import re
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple, cast

from sqlalchemy import Connection, bindparam, func, select, text

from enquiry.app import printable
from enquiry.app.access import Right, may, readable_cases, require_admin, require_case
from enquiry.app.context import Enquiry
from enquiry.app.evidence import _title, check_date
from enquiry.app.protection import WITHHELD, WITHHELD_IDENTITY
from enquiry.errors import BadRequest
from enquiry.model.kinds import KindError, get_kind
from enquiry.progress import Progress, Silent
from enquiry.store import index as search_index
from enquiry.store.index import FTS5_CONTENT, FTS5_DATE, TABLE, doc_of, ref_of, spans, words
from enquiry.store.tables import Actor, Case, Claim, Embedding, Item

FACETS = ("kind", "source", "grade", "party", "date")
MAX_LIMIT = 1000
# Below this cosine a claim or text is not offered as a semantic match: MiniLM puts unrelated
# sentences between about -0.1 and 0.2.
SEMANTIC_FLOOR = 0.25
SNIPPET = 240
# A query answers from a window of at most this many of its matches: the newest (those of the
# highest document numbers) for a query with words, the first in catalogue order for one without.
# Within the window hits are ranked and faceted exactly; a query matching more reports
# ``total_exact`` false and facets counted over the window (``facets_exact`` false). Neither
# FTS5 nor a GIN index can hand matches over best first, so ranking every match of a common
# word is work in proportion to the catalogue — the window bounds it.
WINDOW = 500
# The window is filled from slices of the index by document number, newest first (see
# _window); where no planner estimate sizes the first slice (SQLite), it spans this many
# document numbers per place in the window.
SLICE = 16
# The bounds of a query (see the module's docstring). The API refuses a longer ``q`` itself.
MAX_QUERY = 1000
MAX_WORDS = 64
MAX_PREFIXES = 8
MAX_DEPTH = 16
# PostgreSQL's longest lexeme, in bytes of UTF-8: a longer word is never in its index.
MAX_WORD_BYTES = 2047
# How much of a query a refusal quotes.
QUOTED = 60
# bm25 weights of the searched columns (title, fields, body; the stored date is not searched).
BM25 = "bm25(search_index, 4.0, 2.0, 1.0, 0.0)"


# --- the query language --------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """Folded words that must stand together (one word, or a phrase); ``prefix``: the last
    one may be the start of a longer word."""

    words: tuple[str, ...]
    prefix: bool = False
    # The words as written (NFC, without control characters or quotation marks), for FTS5:
    # it folds a query's words with the tokenizer that folded the documents', which does not
    # fold every letter as :func:`~enquiry.store.index.fold` does (an Arabic hamza, say), so a
    # word written as a document writes it is found there.
    text: str = ""


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Node, ...]


Node = Term | Not | And | Or

_LEX = re.compile(r'\s+|-?"[^"]*"\*?|"|\(|\)|[^\s"()]+')


def _bad(problem: str) -> BadRequest:
    return BadRequest(f"search query: {problem}")


def _quoted(piece: str) -> str:
    """A piece of the query as a refusal quotes it: printable, on one line, and short."""
    shown = printable(piece)
    return shown if len(shown) <= QUOTED else shown[: QUOTED - 1] + "…"


def _lex(query: str) -> list[str | Term]:
    """Tokens: ``(``, ``)``, ``OR``, ``-`` and terms. A word with no letter or digit is left
    out, as the index leaves it out."""
    out: list[str | Term] = []
    for found in _LEX.finditer(query):
        token = found.group()
        if token.isspace() or token == "AND":
            continue
        if token == '"':
            raise _bad('a quotation mark (") is not closed')
        if token in ("(", ")", "OR"):
            out.append(token)
            continue
        if token == "-":
            raise _bad("'-' must stand right before the word or phrase to exclude")
        negated = token.startswith("-")
        token = token[1:] if negated else token
        prefix = token.endswith("*")
        if token.startswith('"'):
            inner = token.rstrip("*")[1:-1]
            if not words(inner):
                raise _bad(f"the phrase {_quoted(token.rstrip('*'))} holds no word")
        else:
            inner = token.rstrip("*")
            if "*" in inner:
                raise _bad(f"'{_quoted(token)}': '*' may only end a word")
            if prefix and not inner:
                raise _bad("'*' must end a word (as in sar*)")
        found_words = tuple(words(inner))
        for word in found_words:
            if len(word.encode("utf-8")) > MAX_WORD_BYTES:
                raise _bad(
                    f"'{_quoted(word)}' is longer than any indexed word"
                    f" ({MAX_WORD_BYTES} bytes at most)"
                )
        if found_words:
            term = Term(found_words, prefix, _as_written(inner))
            out += ["-", term] if negated else [term]
    return out


def _as_written(inner: str) -> str:
    """A term's text as FTS5 is given it (see :attr:`Term.text`): control characters, lone
    surrogates (which no driver can send) and quotation marks become spaces."""
    normal = unicodedata.normalize("NFC", inner)
    kept = "".join(
        " " if c == '"' or unicodedata.category(c) in ("Cc", "Cs") else c for c in normal
    )
    return " ".join(kept.split())


class _Parser:
    """seq := unit+ ; unit := '-' primary | primary ('OR' primary)* ; primary := term | (seq)"""

    def __init__(self, tokens: list[str | Term]) -> None:
        self.tokens = tokens
        self.at = 0
        self.depth = 0

    def peek(self) -> str | Term | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str | Term | None:
        token = self.peek()
        self.at += 1
        return token

    def seq(self, nested: bool) -> Node:
        parts: list[Node] = []
        while True:
            token = self.peek()
            if token is None or token == ")":
                break
            parts.append(self.unit())
        if not parts:
            raise _bad("empty parentheses" if nested else "no word to search for")
        if all(isinstance(p, Not) for p in parts):
            raise _bad("every term is excluded ('-'); give at least one to find")
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unit(self) -> Node:
        if self.peek() == "-":
            self.take()
            node: Node = Not(self.primary())
            if self.peek() == "OR":
                raise _bad("an excluded term ('-') cannot be part of OR")
            return node
        parts = [self.primary()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, ")", "OR"):
                raise _bad("OR needs a term on each side")
            if self.peek() == "-":
                raise _bad("an excluded term ('-') cannot be part of OR")
            parts.append(self.primary())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def primary(self) -> Node:
        token = self.take()
        if isinstance(token, Term):
            return token
        if token == "(":
            # Bounded before it recurses: a wall of '(' is a refusal, never a RecursionError.
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _bad(f"parentheses nest more than {MAX_DEPTH} deep")
            node = self.seq(nested=True)
            if self.take() != ")":
                raise _bad("a parenthesis '(' is not closed")
            self.depth -= 1
            return node
        if token == ")":
            raise _bad("a closing parenthesis ')' has no opening one")
        if token == "OR":
            raise _bad("OR needs a term on each side")
        raise _bad("no word to search for")


def parse(query: str) -> Node | None:
    """The query as a tree (None for a query without words: list by filters only); a query
    that cannot be read, or is past the bounds of a query, is a one-line :class:`BadRequest`."""
    if len(query) > MAX_QUERY:
        raise _bad(f"longer than {MAX_QUERY:,} characters ({len(query):,})")
    tokens = _lex(query)
    terms = [t for t in tokens if isinstance(t, Term)]
    if sum(len(t.words) for t in terms) > MAX_WORDS:
        raise _bad(f"more than {MAX_WORDS} words; search for fewer")
    if sum(t.prefix for t in terms) > MAX_PREFIXES:
        raise _bad(f"more than {MAX_PREFIXES} prefixes (word*); search for fewer")
    if not tokens:
        if query.strip():
            raise _bad(f"'{_quoted(query.strip())}' holds no word to search for")
        return None
    parser = _Parser(tokens)
    node = parser.seq(nested=False)
    if parser.peek() is not None:
        raise _bad("a closing parenthesis ')' has no opening one")
    return node


def to_fts5(node: Node) -> str:
    """The tree as an FTS5 MATCH expression."""
    if isinstance(node, Term):
        return '"' + (node.text or " ".join(node.words)) + '"' + ("*" if node.prefix else "")
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(p) for p in node.parts) + ")"
    if isinstance(node, Not):
        raise ValueError("an exclusion stands only inside a sequence")
    found = [p for p in node.parts if not isinstance(p, Not)]
    expression = "(" + " AND ".join(to_fts5(p) for p in found) + ")"
    excluded = [to_fts5(p.node) for p in node.parts if isinstance(p, Not)]
    if not excluded:
        return expression
    # One NOT of all the excluded terms, not a NOT per term nested in the next: as deep for
    # twenty exclusions as for one.
    either = excluded[0] if len(excluded) == 1 else "(" + " OR ".join(excluded) + ")"
    return f"({expression} NOT {either})"


def to_tsquery(node: Node) -> str:
    """The tree as PostgreSQL tsquery text, for ``to_tsquery('simple', …)``."""
    if isinstance(node, Term):
        lexemes = [f"'{w}'" for w in node.words]
        if node.prefix:
            lexemes[-1] += ":*"
        return "(" + " <-> ".join(lexemes) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(to_tsquery(p) for p in node.parts) + ")"
    if isinstance(node, Not):
        return "!" + to_tsquery(node.node)
    return "(" + " & ".join(to_tsquery(p) for p in node.parts) + ")"


def _wanted(node: Node | None) -> list[Term]:
    """The terms a hit is found by (not the excluded ones), for marking its snippet."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Term):
        return [node]
    return [t for part in node.parts for t in _wanted(part)]


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One item or claim found. ``snippet`` is a piece of its text and ``marks`` the
    (start, end) offsets of the matched words in it; ``date`` is what it speaks of."""

    type: str
    id: int
    case: str
    title: str
    snippet: str
    marks: list[tuple[int, int]]
    score: float
    kind: str
    source: str | None
    grade: str | None
    party: str | None
    date: str | None
    item_id: int | None = None
    protected: bool = False

    def marked(self, before: str = "«", after: str = "»") -> str:
        """The snippet with each match between ``before`` and ``after``."""
        out, last = [], 0
        for start, end in self.marks:
            out += [self.snippet[last:start], before, self.snippet[start:end], after]
            last = end
        return "".join([*out, self.snippet[last:]])

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["marks"] = [list(m) for m in self.marks]
        data["marked"] = self.marked()
        return data


@dataclass(frozen=True)
class FacetCount:
    value: str | None
    count: int


@dataclass(frozen=True)
class SearchResult:
    """A page of hits, how many there are in all, and the facets: for each facet, how many
    hits each value has under all the other filters (so that choosing another value of the
    same facet shows what it would give)."""

    query: str
    semantic: bool
    hits: list[Hit]
    total: int
    offset: int
    limit: int
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    # False when the query matches more than :data:`WINDOW`: ``total`` is then that window
    # ("more than N") and the hits are the best of the window.
    total_exact: bool = True
    # False when the facets count the window only, not every match.
    facets_exact: bool = True
    window: int = WINDOW

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "semantic": self.semantic,
            "total": self.total,
            "total_exact": self.total_exact,
            "facets_exact": self.facets_exact,
            "window": self.window,
            "offset": self.offset,
            "limit": self.limit,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {
                name: [{"value": f.value, "count": f.count} for f in counts]
                for name, counts in self.facets.items()
            },
        }


class _Row(NamedTuple):
    """A document found, as the candidate query returns it. ``rank`` orders best first
    (``-score``); the facet values stand together, ``date`` to ``party``, as the key
    :func:`_facets` groups by."""

    doc: int
    rank: float
    date: str | None
    kind: str
    source: str | None
    grade: str | None
    party: str | None
    protected: bool

    @property
    def score(self) -> float:
        return 0.0 - self.rank  # not -rank: a rank of 0.0 is a score of 0.0, never -0.0


# The slice of a row that holds its facet values: (date, kind, source, grade, party).
_KEY = slice(2, 7)
_Key = tuple[str | None, str, str | None, str | None, str | None]


# --- filters -------------------------------------------------------------------------------------


def _check_kinds(kinds: Sequence[str]) -> set[str]:
    for kind in kinds:
        if kind == "claim":
            continue
        try:
            get_kind(kind)
        except KindError as exc:
            raise BadRequest(f"{exc} (or 'claim')") from None
    return set(kinds)


@dataclass(frozen=True)
class _Filters:
    kinds: set[str]
    sources: set[str]
    grades: set[str]
    parties: set[str]
    date_from: str | None
    date_to: str | None

    def fails(self, key: _Key) -> list[str]:
        """The facets whose filter a document with these facet values does not pass."""
        date, kind, source, grade, party = key
        failed = []
        if self.kinds and kind not in self.kinds:
            failed.append("kind")
        if self.sources and source not in self.sources:
            failed.append("source")
        if self.grades and not self._grade(grade):
            failed.append("grade")
        if self.parties and party not in self.parties:
            failed.append("party")
        if (self.date_from or self.date_to) and not self._dated(date):
            failed.append("date")
        return failed

    def _grade(self, grade: str | None) -> bool:
        """``B2`` matches B2; ``B`` any grade of reliability B; ``2`` any of credibility 2."""
        if not grade:
            return False
        for wanted in self.grades:
            if wanted == grade or (len(wanted) == 1 and wanted in grade):
                return True
        return False

    def _dated(self, date: str | None) -> bool:
        if not date:
            return False
        if self.date_from and date[: len(self.date_from)] < self.date_from:
            return False
        return not (self.date_to and date[: len(self.date_to)] > self.date_to)

    @property
    def any(self) -> bool:
        return bool(self.kinds or self.sources or self.grades or self.parties) or bool(
            self.date_from or self.date_to
        )

    def sql(self, dialect: str) -> tuple[list[str], dict[str, Any], list[Any]]:
        """The filters as SQL conditions on a candidate row ``c`` (its columns as :class:`_Row`
        names them), their parameters and expanding binds: the same decisions as :meth:`fails`,
        made by the database so that a window holds only rows that pass."""
        conditions: list[str] = []
        params: dict[str, Any] = {}
        binds: list[Any] = []
        for name, column, values in (
            ("f_kinds", "c.kind", self.kinds),
            ("f_sources", "c.source", self.sources),
            ("f_parties", "c.party", self.parties),
        ):
            if values:
                conditions.append(f"{column} IN :{name}")
                params[name] = sorted(values)
                binds.append(bindparam(name, expanding=True))
        if self.grades:
            within = "instr(c.grade, {}) > 0" if dialect == "sqlite" else "strpos(c.grade, {}) > 0"
            either = []
            for number, wanted in enumerate(sorted(self.grades)):
                params[f"f_grade{number}"] = wanted
                bound = f":f_grade{number}"
                either.append(within.format(bound) if len(wanted) == 1 else f"c.grade = {bound}")
            conditions.append("(" + " OR ".join(either) + ")")
        if self.date_from or self.date_to:
            # Compared at the precision given, character by character as Python compares.
            collate = "" if dialect == "sqlite" else ' COLLATE "C"'
            conditions.append("c.date IS NOT NULL AND c.date <> ''")
            for name, value, operator in (
                ("f_from", self.date_from, ">="),
                ("f_to", self.date_to, "<="),
            ):
                if value:
                    params[name] = value
                    conditions.append(
                        f"substr(c.date, 1, {len(value)}){collate} {operator} :{name}{collate}"
                    )
        return conditions, params, binds


def _facets(
    rows: Sequence[Sequence[Any]], filters: _Filters
) -> tuple[Sequence[Sequence[Any]], dict[str, list[FacetCount]]]:
    """The rows passing every filter, and each facet's counts under the other filters.

    Rows are grouped by their facet values first: a case has few distinct combinations of
    kind, source, grade, party and date however many documents a query finds, so the filters
    are decided once per combination rather than once per document."""
    groups: Counter[_Key] = Counter(cast("_Key", row[_KEY]) for row in rows)
    counts: dict[str, Counter[str | None]] = {name: Counter() for name in FACETS}
    passing: set[_Key] = set()
    checking = filters.any
    for key, found in groups.items():
        date, kind, source, grade, party = key
        values = {
            "kind": kind,
            "source": source,
            "grade": grade,
            "party": party,
            "date": date[:7] if date else None,
        }
        failed = filters.fails(key) if checking else []
        if not failed:
            passing.add(key)
            for name in FACETS:
                counts[name][values[name]] += found
        elif len(failed) == 1:
            counts[failed[0]][values[failed[0]]] += found
    kept = rows if len(passing) == len(groups) else [r for r in rows if r[_KEY] in passing]
    facets = {
        name: [
            FacetCount(value, count)
            for value, count in sorted(
                counts[name].items(),
                key=(
                    (lambda vc: (vc[0] is None, vc[0] or ""))
                    if name == "date"
                    else (lambda vc: (-vc[1], vc[0] is None, vc[0] or ""))
                ),
            )
        ]
        for name in FACETS
    }
    return kept, facets


# --- the search ----------------------------------------------------------------------------------


def _match_sql(dialect: str, compiled: str | None, within: bool = False) -> str:
    """The documents matching ``compiled`` (all without it), with their score and date;
    ``within``: only those numbered from ``:lo`` up to (not including) ``:hi``."""
    if dialect == "sqlite":
        # The date straight from FTS5's content table (see FTS5_CONTENT): a query may find every
        # document of a large case, and reading each one's date through the virtual table
        # costs more than the match itself.
        if compiled is None:
            return (
                f"SELECT id AS doc, CAST(0 AS FLOAT) AS score, {FTS5_DATE} AS date"
                f" FROM {FTS5_CONTENT}" + (" WHERE id >= :lo AND id < :hi" if within else "")
            )
        return (
            f"SELECT {TABLE}.rowid AS doc, -{BM25} AS score, d.{FTS5_DATE} AS date FROM {TABLE}"
            f" JOIN {FTS5_CONTENT} d ON d.id = {TABLE}.rowid WHERE {TABLE} MATCH :q"
            + (f" AND {TABLE}.rowid >= :lo AND {TABLE}.rowid < :hi" if within else "")
        )
    if compiled is None:
        return f"SELECT doc, CAST(0 AS FLOAT) AS score, date FROM {TABLE}" + (
            " WHERE doc >= :lo AND doc < :hi" if within else ""
        )
    return (
        f"SELECT doc, ts_rank(tsv, to_tsquery('simple', :q)) AS score, date FROM {TABLE}"
        " WHERE tsv @@ to_tsquery('simple', :q)"
        + (" AND doc >= :lo AND doc < :hi" if within else "")
    )


def _candidates(
    app: Enquiry,
    connection: Connection,
    compiled: str | None,
    case_id: int | None,
    within: tuple[int, int] | None = None,
    filters: _Filters | None = None,
    newest: bool = True,
    limit: int | None = None,
) -> Sequence[Sequence[Any]]:
    """Every document the query matches (all, without one) that the user may know of, as
    plain rows laid out as :class:`_Row` (a query may find every document of a large case:
    nothing is built per row here but the row the driver gives).

    ``within`` (lo, hi): only documents numbered from lo up to hi; ``filters``: only those
    passing them; ``limit``: at most that many, the highest numbers first when ``newest``, the
    lowest otherwise."""
    readable = readable_cases(app)
    params: dict[str, Any] = {}
    if within is not None:
        params["lo"], params["hi"] = within
    item_where = ["m.doc % 2 = 0"]
    claim_where = ["m.doc % 2 = 1"]
    if compiled is not None:
        params["q"] = compiled
    if case_id is not None:
        params["case_id"] = case_id
        item_where.append("i.case_id = :case_id")
        claim_where.append("c.case_id = :case_id")
    binds: list[Any] = []
    if readable is not None:
        params["readable"] = sorted(readable)
        params["shown"] = sorted(c for c in readable if may(app, c, Right.PROTECTED_ITEMS))
        binds = [bindparam("readable", expanding=True), bindparam("shown", expanding=True)]
        item_where.append("i.case_id IN :readable AND (i.protected = FALSE OR i.case_id IN :shown)")
        claim_where.append(
            "c.case_id IN :readable AND (i.protected IS NULL OR i.protected = FALSE"
            " OR c.case_id IN :shown)"
        )
    # The Admiralty grade, source reliability then item credibility ("B2", "B", "2" or none).
    grade = (
        "NULLIF(COALESCE(s.reliability, '')"
        " || COALESCE(CAST(NULLIF(i.credibility, 0) AS VARCHAR), ''), '')"
    )
    parts = [
        (
            f"SELECT m.doc, -m.score AS rank, m.date, i.kind, s.name AS source, {grade} AS grade,"
            " NULL AS party, i.protected"
            " FROM m JOIN items i ON i.id = m.doc / 2 LEFT JOIN sources s ON s.id = i.source_id"
            " WHERE " + " AND ".join(item_where)
        ),
        (
            f"SELECT m.doc, -m.score, m.date, 'claim', s.name, {grade},"
            " CASE WHEN i.protected THEN NULL ELSE a.name END, i.protected"
            " FROM m JOIN claims c ON c.id = (m.doc - 1) / 2"
            " LEFT JOIN items i ON i.id = c.item_id LEFT JOIN sources s ON s.id = i.source_id"
            " LEFT JOIN actors a ON a.id = c.actor_id"
            " WHERE " + " AND ".join(claim_where)
        ),
    ]
    dialect = connection.dialect.name
    sql = f"WITH m AS MATERIALIZED ({_match_sql(dialect, compiled, within is not None)}) "
    if filters is None and limit is None:
        sql += " UNION ALL ".join(parts)
    else:
        sql += "SELECT * FROM (" + " UNION ALL ".join(parts) + ") AS c"
        if filters is not None and filters.any:
            conditions, more, more_binds = filters.sql(dialect)
            sql += " WHERE " + " AND ".join(conditions)
            params.update(more)
            binds += more_binds
        sql += " ORDER BY c.doc" + (" DESC" if newest else "")
        if limit is not None:
            sql += " LIMIT :n"
            params["n"] = limit
    return connection.execute(text(sql).bindparams(*binds), params).all()


def _bounds(connection: Connection) -> tuple[int, int] | None:
    """The lowest and highest document numbers in the index (None when it is empty)."""
    if connection.dialect.name == "sqlite":
        # Two subqueries: SQLite finds a lone min() or max() from the key, not both at once.
        sql = f"SELECT (SELECT min(id) FROM {FTS5_CONTENT}), (SELECT max(id) FROM {FTS5_CONTENT})"
    else:
        sql = f"SELECT min(doc), max(doc) FROM {TABLE}"
    low, high = connection.execute(text(sql)).one()
    return None if low is None else (int(low), int(high))


def _estimate(connection: Connection, compiled: str | None) -> float | None:
    """How many documents PostgreSQL's planner expects ``compiled`` to match (from the
    statistics ANALYZE keeps of the index's words): where the first slice of a window should
    end. None on SQLite, which keeps no such statistics: its slices start small and grow."""
    if connection.dialect.name == "sqlite":
        return None
    where = "" if compiled is None else " WHERE tsv @@ to_tsquery('simple', :q)"
    plan = connection.execute(
        text(f"EXPLAIN (FORMAT JSON) SELECT doc FROM {TABLE}{where}"),
        {"q": compiled} if compiled is not None else {},
    ).scalar()
    found: Any = json.loads(plan) if isinstance(plan, str) else plan
    return float(found[0]["Plan"]["Plan Rows"])


# Each case's part of the items, as the planner's statistics have it, per database: read again
# after this many seconds (it only sizes a first slice; ANALYZE changes it seldom).
SHARES_FOR = 300.0
_SHARES: dict[str, tuple[float, dict[int, float]]] = {}


def _share(connection: Connection, cases: set[int] | None) -> float:
    """The part of the catalogue's items that ``cases`` hold (all: ``None``), as PostgreSQL's
    planner statistics have it (1.0 where they do not say, and on SQLite): how much wider
    than the whole index's matches a window's first slice must be to hold a case's."""
    if cases is None or connection.dialect.name == "sqlite":
        return 1.0
    key = connection.engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    with _CACHE_LOCK:
        kept = _SHARES.get(key)
    if kept is None or now - kept[0] > SHARES_FOR:
        row = connection.execute(
            text(
                "SELECT most_common_vals::text, most_common_freqs FROM pg_stats"
                " WHERE schemaname = current_schema() AND tablename = 'items'"
                " AND attname = 'case_id'"
            )
        ).first()
        shares: dict[int, float] = {}
        if row is not None and row[0] is not None:
            values = [int(v) for v in str(row[0]).strip("{}").split(",") if v]
            shares = dict(zip(values, (float(f) for f in row[1] or ()), strict=False))
        kept = (now, shares)
        with _CACHE_LOCK:
            _SHARES[key] = kept
    share = sum(f for case, f in kept[1].items() if case in cases)
    return min(1.0, max(share, 0.01)) if share else 1.0


def _window(
    app: Enquiry,
    connection: Connection,
    compiled: str | None,
    case_id: int | None,
    filters: _Filters | None = None,
) -> tuple[Sequence[Sequence[Any]], bool]:
    """The window of a query: its first :data:`WINDOW` matches that the user may know of (and
    that pass ``filters``), newest first for a query with words, in catalogue order without;
    and whether there are more.

    Read slice by slice of document numbers, so that a common word costs the window's worth
    of its matches, not all of them: the first slice is sized from the planner's estimate of
    the matches (PostgreSQL) or :data:`SLICE` (SQLite), each next one from how densely the
    slices so far held what was wanted. The rows are the same however the slices fall, on
    either back end."""
    bounds = _bounds(connection)
    if bounds is None:
        return [], False
    low, high = bounds
    every = high + 1 - low
    newest = compiled is not None
    wanted = WINDOW + 1
    estimate = _estimate(connection, compiled)
    if estimate is not None:
        # The user's part of the expected matches, and a quarter again: room for an estimate
        # off by a fifth in one slice (a next slice makes up the rest). A query expected to
        # match a few windows' worth is read whole: its matches cost less than a slice.
        readable = readable_cases(app)
        expected = estimate * _share(connection, {case_id} if case_id is not None else readable)
        span = (
            every if expected <= 4 * wanted else max(WINDOW, int(1.25 * wanted * every / expected))
        )
    else:
        span = WINDOW * SLICE
    found: list[Sequence[Any]] = []
    edge = high + 1 if newest else low
    covered = 0
    while low < edge if newest else edge <= high:
        if 2 * span >= (edge - low if newest else high + 1 - edge):
            span = every  # the rest in one slice rather than a slice and a sliver
        lo, hi = (max(low, edge - span), edge) if newest else (edge, min(high + 1, edge + span))
        found += _candidates(
            app,
            connection,
            compiled,
            case_id,
            within=None if (lo, hi) == (low, high + 1) else (lo, hi),
            filters=filters,
            newest=newest,
            limit=wanted - len(found),
        )
        if len(found) >= wanted:
            return found[:WINDOW], True
        covered += hi - lo
        edge = lo if newest else hi
        # The next slice: as wide as the density so far says the rest needs, with room.
        missing = wanted - len(found)
        span = max(WINDOW, int(1.5 * missing * covered / len(found)) if found else 8 * covered)
    return found, False


def _row(found: Sequence[Any]) -> _Row:
    """A candidate row as a :class:`_Row` of plain Python values (the drivers differ in
    what they give for a boolean)."""
    doc, rank, date, kind, source, grade, party, protected = found
    return _Row(int(doc), float(rank), date, str(kind), source, grade, party, bool(protected))


def search(
    app: Enquiry,
    query: str,
    *,
    case: str | None = None,
    kinds: Sequence[str] = (),
    sources: Sequence[str] = (),
    grades: Sequence[str] = (),
    parties: Sequence[str] = (),
    date_from: str | None = None,
    date_to: str | None = None,
    semantic: bool = False,
    offset: int = 0,
    limit: int = 20,
    embedder: Any = None,
    every_match: bool = False,
) -> SearchResult:
    """Items and claims matching ``query`` that the acting user may know of, best first, a
    page at a time, with facets (kind, source, grade, party, month).

    A query without words lists everything the filters let through, in catalogue order.
    ``semantic`` ranks claims and item texts by closeness in meaning to the query instead
    (those with a vector from the shipped model: see ``enquiry reindex --embeddings``); a
    protected item's claims and texts are never ranked so.

    ``every_match`` ranks, counts and facets every match instead of the window: exact, for
    the investigator who must not miss an older document, at a cost in proportion to the
    matches (0.6 s for a common word at a million items).
    """
    if offset < 0 or not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"--offset must be 0 or more and --limit between 1 and {MAX_LIMIT}")
    filters = _Filters(
        kinds=_check_kinds(kinds),
        sources=set(sources),
        grades={g.strip().upper() for g in grades if g.strip()},
        parties=set(parties),
        date_from=check_date(date_from, "--from"),
        date_to=check_date(date_to, "--to"),
    )
    store = app.store(create=False)
    case_id = require_case(app, case).id if case is not None else None
    node = None if semantic else parse(query)
    if semantic and not words(query):
        raise _bad("semantic search needs words to compare meaning with")
    with store.engine.connect() as connection:
        compiled = None
        if node is not None:
            dialect = connection.dialect.name
            compiled = to_fts5(node) if dialect == "sqlite" else to_tsquery(node)
        total_exact = facets_exact = True
        rows: Sequence[Sequence[Any]]
        if semantic:
            # Ranked by the vectors, of which there is one per claim and text: not windowed.
            rows = _semantic(
                connection, _candidates(app, connection, None, case_id), query, embedder
            )
            kept, facets = _facets(rows, filters)
        elif every_match:
            rows = _candidates(app, connection, compiled, case_id)
            kept, facets = _facets(rows, filters)
        else:
            rows, more = _window(app, connection, compiled, case_id)
            kept, facets = _facets(rows, filters)
            if more:
                # More matches than the window: the facets are the window's; the hits are the
                # window of those passing the filters, which the database picks.
                facets_exact = False
                if filters.any:
                    kept, more = _window(app, connection, compiled, case_id, filters)
                total_exact = not more
        if not total_exact and offset >= len(kept):
            raise BadRequest(
                f"search pages reach the first {WINDOW:,} hits of a query that finds more:"
                " narrow it with words or filters, rank every match (--every-match), or list a"
                " case's items with --after"
            )
        # Best first, then in catalogue order (the rank is the score negated).
        best = heapq.nsmallest(offset + limit, kept, key=itemgetter(1, 0))
        page = [_row(found) for found in best[offset:]]
        hits = _hits(connection, page, _wanted(node))
    return SearchResult(
        query,
        semantic,
        hits,
        len(kept),
        offset,
        limit,
        facets,
        total_exact=total_exact,
        facets_exact=facets_exact,
        window=WINDOW,
    )


# --- semantic ranking ------------------------------------------------------------------------------


@dataclass
class _Vectors:
    state: tuple[int, int]
    docs: Any  # numpy int64 array of document numbers
    matrix: Any  # numpy float32 array, one unit row per document


_CACHE: dict[tuple[str, str], _Vectors] = {}
_CACHE_LOCK = threading.Lock()


def _vectors(connection: Connection, model: str) -> _Vectors:
    """Every vector of ``model``, as one matrix kept per process and read again only when the
    embeddings table has changed (its row count or largest id)."""
    import numpy as np

    from enquiry.enrich.text.embed import DIMENSIONS, from_bytes

    key = (connection.engine.url.render_as_string(hide_password=True), model)
    count, top = connection.execute(
        select(func.count(Embedding.id), func.coalesce(func.max(Embedding.id), 0)).where(
            Embedding.model == model
        )
    ).one()
    state = (int(count), int(top))
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached.state == state:
            return cached
    latest: dict[int, bytes] = {}
    for claim_id, item_id, vector in connection.execute(
        select(Embedding.claim_id, Embedding.item_id, Embedding.vector)
        .where(Embedding.model == model)
        .order_by(Embedding.id)
    ):
        doc = doc_of("claim", claim_id) if claim_id is not None else doc_of("item", item_id or 0)
        latest[doc] = vector
    docs = np.fromiter(latest, dtype=np.int64, count=len(latest))
    matrix = (
        np.stack([from_bytes(v) for v in latest.values()])
        if latest
        else np.zeros((0, DIMENSIONS), dtype=np.float32)
    )
    found = _Vectors(state, docs, matrix)
    with _CACHE_LOCK:
        _CACHE[key] = found
    return found


def _semantic(
    connection: Connection, rows: Sequence[Sequence[Any]], query: str, embedder: Any
) -> list[_Row]:
    """The rows (never protected ones) that have a vector close enough to the query's, with
    their cosine as the score."""
    import numpy as np

    from enquiry.enrich.text.embed import MODEL_NAME, default_embedder

    model = str(getattr(embedder, "name", MODEL_NAME))
    vectors = _vectors(connection, model)
    allowed = {row[0]: row for row in rows if not row[7]}
    if not allowed or not len(vectors.docs):
        return []
    mask = np.isin(vectors.docs, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
    if not mask.any():
        return []
    wanted = (embedder or default_embedder()).embed([query])[0]
    scores = vectors.matrix[mask] @ wanted
    out = []
    for doc, score in zip(vectors.docs[mask].tolist(), scores.tolist(), strict=True):
        if score >= SEMANTIC_FLOOR:
            row = _row(allowed[int(doc)])
            out.append(row._replace(rank=-round(float(score), 4)))
    return out


# --- a page of hits ----------------------------------------------------------------------------------


def _matches(term_words: Iterable[Term]) -> Callable[[str], bool]:
    exact = {w for t in term_words for w in (t.words if not t.prefix else t.words[:-1])}
    starts = tuple(t.words[-1] for t in term_words if t.prefix)
    return lambda word: word in exact or (bool(starts) and word.startswith(starts))


def snippet(body: str, terms: list[Term]) -> tuple[str, list[tuple[int, int]]]:
    """A piece of ``body`` around its first matched word, and where the matches are in it."""
    if not body:
        return "", []
    hit = _matches(terms)
    found = [(s, e) for s, e, w in spans(body) if hit(w)] if terms else []
    start = 0
    if found:
        start = max(0, found[0][0] - SNIPPET // 3)
        while start > 0 and not body[start - 1].isspace():
            start -= 1
    end = min(len(body), start + SNIPPET)
    while end < len(body) and not body[end].isspace() and end - start < SNIPPET + 40:
        end += 1
    piece = body[start:end]
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(body) else ""
    shift = len(lead) - start
    marks = [(s + shift, e + shift) for s, e in found if s >= start and e <= end]
    flat = lead + piece + tail
    # Line breaks in a one-line snippet become spaces; offsets stay as they are.
    return flat.replace("\n", " ").replace("\r", " ").replace("\t", " "), marks


def _hits(connection: Connection, page: list[_Row], terms: list[Term]) -> list[Hit]:
    if not page:
        return []
    docs = [row.doc for row in page]
    column = "rowid" if connection.dialect.name == "sqlite" else "doc"
    stored = {
        int(doc): (title, fields_, body)
        for doc, title, fields_, body in connection.execute(
            text(
                f"SELECT {column}, title, fields, body FROM {TABLE} WHERE {column} IN :docs"
            ).bindparams(bindparam("docs", expanding=True)),
            {"docs": docs},
        )
    }
    item_ids = [ref_of(d)[1] for d in docs if ref_of(d)[0] == "item"]
    claim_ids = [ref_of(d)[1] for d in docs if ref_of(d)[0] == "claim"]
    # (A page of items only asks nothing about claims, and the other way round.)
    items = {
        int(row.id): row
        for row in (
            connection.execute(
                select(
                    Item.id, Item.kind, Item.fields, Item.original_name, Item.protected, Case.name
                )
                .join(Case, Case.id == Item.case_id)
                .where(Item.id.in_(item_ids))
            )
            if item_ids
            else ()
        )
    }
    claims = {
        int(row.id): row
        for row in (
            connection.execute(
                select(Claim.id, Claim.item_id, Claim.text, Actor.name.label("actor"), Case.name)
                .join(Case, Case.id == Claim.case_id)
                .outerjoin(Actor, Actor.id == Claim.actor_id)
                .where(Claim.id.in_(claim_ids))
            )
            if claim_ids
            else ()
        )
    }
    matched = _matches(terms)
    hits = []
    for row in page:
        kind, ref = ref_of(row.doc)
        title_text, fields_text, body = stored.get(row.doc, ("", "", ""))
        found = next(
            (
                piece
                for piece in (body, fields_text, title_text)
                if piece and terms and any(matched(w) for _s, _e, w in spans(piece))
            ),
            body or fields_text,
        )
        shown, marks = snippet(found, terms)
        if kind == "item":
            item = items[ref]
            title = _title(item.kind, item.fields or {}, item.original_name, bool(item.protected))
            case, item_id = item.name, None
        else:
            claim = claims[ref]
            case, item_id = claim.name, claim.item_id
            if row.protected:
                title = WITHHELD_IDENTITY if claim.actor else WITHHELD
                shown, marks = WITHHELD, []
            else:
                title = claim.actor or f"claim {ref}"
        if row.protected and kind == "item":
            shown, marks = "", []
        hits.append(
            Hit(
                type=kind,
                id=ref,
                case=case,
                title=title,
                snippet=shown,
                marks=marks,
                score=round(row.score, 4),
                kind=row.kind,
                source=row.source,
                grade=row.grade,
                party=row.party,
                date=row.date,
                item_id=item_id,
                protected=row.protected,
            )
        )
    return hits


# --- reindex -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reindexed:
    """What a reindex made: the documents indexed, and the vectors made (of claims and of
    item texts)."""

    documents: int
    embedded: int


def reindex(
    app: Enquiry, progress: Progress | None = None, *, embeddings: bool = False
) -> Reindexed:
    """Make the search index again from the catalogue (it is derived data: nothing of the
    evidence changes, and the ledger records nothing). With ``embeddings``, first give every
    claim and every item's text (but a protected item's) of every case a vector from the
    shipped model (each item's vectors a ``derived`` event, as ``claims similar`` makes them),
    for semantic search."""
    require_admin(app, "reindex")
    from enquiry.app.claims import ensure_embeddings

    bar = progress or Silent()
    store = app.store(create=False)
    embedded = 0
    if embeddings:
        with store.engine.connect() as connection:
            case_ids = [int(c) for c in connection.execute(select(Case.id)).scalars()]
        for case_id in case_ids:
            run = ensure_embeddings(store, case_id, progress=bar, texts=True)
            embedded += sum(
                len(o.enrichment.embeddings or []) if o.enrichment else 0
                for o in run.of("embeddings", "enriched")
            )
    with store.engine.begin() as connection:
        total = int(connection.execute(select(func.count(Item.id))).scalar() or 0)
        bar.start("indexing", total, "item")
        try:
            documents = search_index.rebuild(connection, bar.advance)
        finally:
            bar.finish()
    return Reindexed(documents, embedded)
