"""RSS and Atom feeds read from local files."""

from __future__ import annotations

from pathlib import Path

import pytest

from enquiry.intake.feeds import FeedError, is_feed, read_feed

DATA = Path(__file__).parent / "data"

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>MFA</title>
<entry><title>Briefing</title><id>urn:1</id><updated>2017-04-06T09:00:00Z</updated>
<author><name>Press office</name></author>
<content type="html">&lt;p&gt;Spokeswoman Maria Zakharova said the claims were false.&lt;/p&gt;</content>
</entry></feed>"""


def test_rss_entries_become_dated_documents() -> None:
    title, entries = read_feed(DATA / "statements.rss")
    assert title == "Statements"
    assert [entry.id for entry in entries] == ["st-1", "st-2"]
    first = entries[0]
    assert first.published == "2017-04-12T10:00:00Z"
    document = first.document()
    assert document.splitlines()[0] == "Lavrov: Khan Shaykhun attack was staged"
    assert "Sergei Lavrov said on Tuesday" in document
    assert "<p>" not in document


def test_atom_content_is_read(tmp_path: Path) -> None:
    path = tmp_path / "mfa.atom"
    path.write_text(ATOM, encoding="utf-8")
    assert is_feed(path)
    _, entries = read_feed(path)
    assert entries[0].author == "Press office"
    assert entries[0].text == "Spokeswoman Maria Zakharova said the claims were false."


def test_plain_text_is_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("not a feed", encoding="utf-8")
    assert not is_feed(path)
    with pytest.raises(FeedError):
        read_feed(path)
