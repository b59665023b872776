"""Hostile search queries, on both back ends: another engine's syntax is only words, a query
past the bounds is one line before the database sees it, no syntax finds a protected item by
its words (nor after a reindex), and a word written as a document writes it is found."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from enquiry.app import Enquiry, cases, evidence
from enquiry.app.search import (
    MAX_DEPTH,
    MAX_PREFIXES,
    MAX_QUERY,
    MAX_WORDS,
    parse,
    reindex,
    search,
    to_fts5,
)
from enquiry.cli import main
from enquiry.errors import BadRequest

CASE_FILE = """\
format: enquiry-case/1
case:
  name: alpha
  title: Alpha
items:
- key: wire
  kind: document
  fields:
    title: Agency report on the strike
  text: An air strike hit a warehouse; sarin and chlorine were reported by locals.
"""


@pytest.fixture
def alpha(tmp_path: Path, backend: str) -> Enquiry:
    """Case alpha: a report from a case file, a field note, and a protected testimony."""
    admin = Enquiry.at(tmp_path / "home", "admin")
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "case.yaml").write_text(CASE_FILE, encoding="utf-8")
    cases.load(admin, folder / "case.yaml")
    (folder / "note.txt").write_text("Field note: sarin near the bakery.\n", encoding="utf-8")
    (folder / "witness-salma.txt").write_text(
        "I am Salma. I smelled sarin near the bakery.\n", encoding="utf-8"
    )
    evidence.add(admin, [folder / "note.txt"], case="alpha")
    evidence.add(
        admin,
        [folder / "witness-salma.txt"],
        case="alpha",
        kind="testimony",
        fields={"witness_pseudonym": "W-07", "interview_date": "2017-04-10"},
    )
    return admin


def _found(app: Enquiry, query: str) -> set[tuple[str, str]]:
    return {(h.type, h.title) for h in search(app, query, limit=100).hits}


def _one_line(problem: BadRequest) -> str:
    message = str(problem)
    assert message.isprintable() and len(message) < 200, message
    return message


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("(" * 400 + "sarin" + ")" * 400, f"nest more than {MAX_DEPTH} deep"),
        ("(" * (MAX_DEPTH + 1) + "sarin" + ")" * (MAX_DEPTH + 1), "nest more than"),
        ("sarin " * 200, f"longer than {MAX_QUERY:,} characters"),
        (" ".join(f"w{n}" for n in range(MAX_WORDS + 1)), f"more than {MAX_WORDS} words"),
        (" OR ".join(f"w{n}" for n in range(MAX_WORDS + 1)), f"more than {MAX_WORDS} words"),
        (" ".join(f"{c}*" for c in "abcdefghij"), f"more than {MAX_PREFIXES} prefixes"),
        ("中" * 700, "longer than any indexed word"),
        ("sarin " + "\U00020000" * 520, "longer than any indexed word"),
        ("\x00\x1b[\n\u202e", "holds no word"),
        ('"\x1b["', "holds no word"),
    ],
)
def test_queries_past_the_bounds_are_one_line(query: str, problem: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse(query)
    assert problem in _one_line(caught.value)


def test_many_exclusions_nest_no_deeper_than_one() -> None:
    node = parse("sarin " + " ".join(f"-w{n}" for n in range(MAX_WORDS - 1)))
    assert node is not None
    assert to_fts5(node).count("NOT") == 1


def test_another_engine_s_syntax_is_only_words(alpha: Enquiry) -> None:
    note = ("item", "note.txt")
    # FTS5's column filters, NEAR, '^' and braces, and tsquery's operators, are words here:
    # the same hits on both back ends, and never an error from either.
    for query, same in (
        ("body:sarin", '"body sarin"'),
        ("^sarin", "sarin"),
        ("NEAR(sarin bakery)", "near sarin bakery"),
        ("{title body}:bakery", 'title "body bakery"'),
        ("sarin & bakery", "sarin bakery"),
        ("sarin <-> near", "sarin near"),
        ("sarin:*", "sarin"),
        ("'sarin'", "sarin"),
        ("title:sarin", '"title sarin"'),
    ):
        assert _found(alpha, query) == _found(alpha, same), query
    assert note in _found(alpha, "^sarin") and note in _found(alpha, "NEAR(sarin bakery)")
    assert _found(alpha, "title:sarin") == set()  # the phrase "title sarin": nowhere
    for query in ("-", "a OR", "((sarin)", "*", '"'):
        with pytest.raises(BadRequest) as caught:
            search(alpha, query)
        assert "fts5" not in _one_line(caught.value).lower()


def test_an_excluded_phrase(alpha: Enquiry) -> None:
    # docs/search.md: -"air strike" leaves out what contains the phrase.
    assert ("item", "note.txt") in _found(alpha, 'sarin -"air strike"')
    assert ("item", "Agency report on the strike") not in _found(alpha, 'sarin -"air strike"')
    assert ("item", "Agency report on the strike") in _found(alpha, 'sarin -"strike air"')


def test_a_protected_item_is_never_found_by_its_words_whatever_the_syntax(
    alpha: Enquiry,
) -> None:
    for query in (
        "salma",
        "fields:salma",
        "title:witness",
        "witness*",
        "w 07",
        "body:salma OR title:salma",
        "{title fields body}:salma",
        "testimony",
    ):
        assert all(not h.protected for h in search(alpha, query, limit=100).hits), query
    reindex(alpha)
    assert _found(alpha, "salma") == set()
    assert _found(alpha, "witness* OR smelled") == set()


def test_the_command_refuses_a_hostile_query_in_one_line(alpha: Enquiry) -> None:
    for query in ("(" * 500 + "x", "-" + '"x" ' * 300, "\udcff\x1b["):
        result = CliRunner().invoke(main, ["--home", str(alpha.home), "search", "--", query])
        assert result.exit_code == 2, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("enquiry: search query:"), lines
        assert "Traceback" not in result.output


def test_a_word_written_as_the_document_writes_it_is_found(alpha: Enquiry, tmp_path: Path) -> None:
    # FTS5 folds an Arabic hamza and a Latin letter with macron otherwise than the Python fold
    # does: the query's words reach FTS5 as written, so that its tokenizer folds them alike.
    page = tmp_path / "arabic.txt"
    page.write_text("أطفال في المستشفى. Ǣ sample.\n", encoding="utf-8")
    evidence.add(alpha, [page], case="alpha")
    for query in ("أطفال", '"في المستشفى"', "أطف*", "Ǣ"):
        assert ("item", "arabic.txt") in _found(alpha, query), query
