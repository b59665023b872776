"""Input a user can get wrong: each gives one line naming the file and a non-zero exit, never a
traceback; a file that is merely not UTF-8 is read, with a warning naming it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import enquiry.enrich.text.claims as claims_module
from enquiry.cli import main
from enquiry.enrich.text.attribution import (
    MAX_SENTENCE,
    blank_datelines,
    quotations,
    quote_ending_by,
    quote_opening_from,
)
from enquiry.enrich.text.claims import ClaimExtractor


def _one_line_error(args: list[str], name: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert name in lines[0] and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("noise.txt", bytes(range(256)) * 8),
        ("blank.txt", b"  \n\n \t\n"),
        ("page.html", b"<html><head><title>x</title></head><body></body></html>"),
    ],
)
def test_extract_unreadable_file_is_one_line(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    _one_line_error(["claims", "extract", str(path)], name)


def test_extract_missing_file_is_one_line(tmp_path: Path) -> None:
    _one_line_error(["claims", "extract", str(tmp_path / "gone.txt")], "gone.txt")


def test_extract_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    _one_line_error(["claims", "extract", str(tmp_path / "articles")], "articles")


def test_extract_windows_1252_text_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Le ministère said the café was a target.\n".encode("cp1252"))
    result = CliRunner().invoke(main, ["claims", "extract", "--json", str(path)])
    assert result.exit_code == 0, result.output
    assert "latin.txt" in result.stderr and "UTF-8" in result.stderr
    assert "café" in result.stdout


def test_ingest_names_the_file_that_gave_no_text(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "note.txt").write_text("Russia said the report was biased.\n", encoding="utf-8")
    (folder / "noise.bin").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["ingest", "--quiet", "--case", "c", str(folder)])
    assert result.exit_code != 0  # the empty file was rejected
    problems = [line for line in result.stderr.splitlines() if line.startswith("enquiry:")]
    assert any("noise.bin" in line and "no text" in line for line in problems), problems
    assert sum("empty.txt" in line for line in problems) == 1, problems
    assert "1 claims from 1 documents" in result.stdout


def test_extract_feed_without_entries_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "quiet.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
        encoding="utf-8",
    )
    _one_line_error(["claims", "extract", str(path)], "quiet.rss")


def test_truncated_feed_is_read_with_a_warning(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Russia '
        "says the report is biased</title><description>Russia said on Tuesday that the report "
        "was biased.</description></item><item><title>Cut",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["claims", "extract", str(path)])
    assert result.exit_code == 0, result.output
    assert "cut.rss: feed is not well-formed" in result.stderr
    assert "report was biased" in result.stdout
    result = CliRunner().invoke(main, ["ingest", "--quiet", "--case", "c", str(path)])
    assert "cut.rss: feed is not well-formed" in result.stderr


# --- Text built to be long or to make the reader's work grow with its square --------------------


def test_a_text_over_a_million_characters_is_read_to_its_end(tmp_path: Path) -> None:
    """spaCy parses at most a million characters at once: a longer text is read in pieces, and
    a claim after the millionth character is found at its own offsets."""
    first = "Police said the road is closed.\n\n"
    last = "The mayor said the bridge is open.\n"
    text = first + "\n".join("x" * 199 for _ in range(5200)) + "\n\n" + last
    assert len(text) > 1_000_000
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["claims", "extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    claims = json.loads(result.stdout)["claims"]
    assert [c["actor"] for c in claims] == ["Police", "mayor"]
    for claim in claims:
        for role in ("source", "cue", "content"):
            span = claim[role]
            assert text[span["start"] : span["end"]] == span["text"]
    assert claims[1]["content"]["start"] > 1_000_000


def test_pieces_cut_at_paragraphs_and_find_what_the_whole_text_holds(
    claim_extractor: ClaimExtractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    paragraphs = [
        f"The minister said on Monday that convoy {n} would reach the town." for n in range(60)
    ]
    text = "\n\n".join(paragraphs)
    whole = [(r.attribution.content.start, r.attribution.content.end) for r in
             claim_extractor.extract(text)]  # fmt: skip
    monkeypatch.setattr(claims_module, "PIECE", 1_000)
    cut = claims_module.pieces(text)
    assert len(cut) > 3 and all(len(piece) <= 1_000 for _, piece in cut)
    assert all(piece.endswith("\n\n") for _, piece in cut[:-1])
    assert "".join(piece for _, piece in cut) == text
    heard: list[int] = []
    found = claim_extractor.extract(text, None, heard.append)
    assert sum(heard) == len(text) and len(heard) == len(cut)
    assert [(r.attribution.content.start, r.attribution.content.end) for r in found] == whole
    for record in found:
        content = record.attribution.content
        assert text[content.start : content.end] == content.text


def test_no_sentence_is_longer_than_the_cap(claim_extractor: ClaimExtractor) -> None:
    """ "He said “" a thousand times over is one sentence to the parser, and every cue's walk
    over it would cost the square of its length: sentences are capped."""
    doc = claim_extractor.attribution.nlp("He said “" * 400)
    assert max(len(sentence) for sentence in doc.sents) <= MAX_SENTENCE
    prose = claim_extractor.attribution.nlp("The envoy said the talks would resume. " * 3)
    assert len(list(prose.sents)) == 3


def test_runs_without_a_space_are_not_handed_to_the_tokenizer() -> None:
    text = 'He said "no". ' + '"' * 500 + " See https://example.org/a?b=c."
    blanked = blank_datelines(text)
    assert len(blanked) == len(text)
    assert '"' * 200 not in blanked and blanked.startswith('He said "no". ')
    assert blanked.endswith("https://example.org/a?b=c.")


def test_a_wall_of_quotation_marks_gives_no_claim(tmp_path: Path) -> None:
    path = tmp_path / "quotes.txt"
    path.write_text('"' * 100_000, encoding="utf-8")
    result = CliRunner().invoke(main, ["claims", "extract", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["claims"] == []


def test_a_long_text_among_short_ones_is_read_in_pieces_in_its_place(
    claim_extractor: ClaimExtractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claims enricher reads stored texts in batches: a long one among them is read piece
    by piece, and every text keeps its own claims, in order."""
    short = "The envoy said the convoy was stopped."
    long = "\n\n".join(f"The minister said that depot {n} was empty." for n in range(40))
    monkeypatch.setattr(claims_module, "PIECE", 600)
    texts = [short, long, short.replace("envoy", "mayor")]
    batched = list(claim_extractor.extract_many((text, None) for text in texts))
    alone = [claim_extractor.extract(text) for text in texts]
    assert [[r.as_dict() for r in found] for found in batched] == [
        [r.as_dict() for r in found] for found in alone
    ]
    assert len(batched[1]) == 40 and len(claims_module.pieces(long)) > 2


def test_the_quotation_before_or_after_a_place_is_found_by_halving() -> None:
    """What the searches by halving return is what a walk over every quotation returns."""
    text = 'A "one" b "two" c, "three," d said. "Four" and “five” e "six'
    quotes = quotations(text)
    assert len(quotes) >= 5
    for at in range(len(text) + 1):
        assert quote_ending_by(quotes, at) == [(a, b) for a, b in quotes if b <= at][-1:]
        assert quote_opening_from(quotes, at) == [(a, b) for a, b in quotes if a >= at][:1]
        assert (
            quote_opening_from(quotes, at, after=True) == [(a, b) for a, b in quotes if a > at][:1]
        )
