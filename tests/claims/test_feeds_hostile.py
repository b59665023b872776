"""Hostile RSS and Atom feeds: nothing a feed says is fetched or read from the disk, a feed
that makes the parser work without end is stopped by the decoders' limits, and an entry's
hostile fields cannot change how its document is read."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from enquiry.cli import main
from enquiry.intake.feeds import FeedError, read_feed
from enquiry.intake.sniff import sniff
from enquiry.store import open_store
from enquiry.store.tables import Item, ItemText

SECRET = "TOPSECRET-LINE-OF-A-LOCAL-FILE"


def _secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def test_a_feed_whose_content_names_a_file_is_not_read_from_that_file(tmp_path: Path) -> None:
    # feedparser opens a string or bytes that name a file: a "feed" whose whole content is a
    # path (one that also looks like a feed) would be answered with the other file's entries.
    (tmp_path / "<rss>").mkdir()
    other = tmp_path / "other.xml"
    other.write_text(
        '<rss version="2.0"><channel><title>Elsewhere</title>'
        f"<item><title>{SECRET}</title></item></channel></rss>",
        encoding="utf-8",
    )
    feed = tmp_path / "pointer.rss"
    feed.write_text(f"{tmp_path}/<rss>/../other.xml", encoding="utf-8")
    try:
        title, entries = read_feed(feed)
    except FeedError:
        return
    assert title != "Elsewhere"
    assert not any(SECRET in entry.document() for entry in entries)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>',
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret}">]>',
        '<!DOCTYPE rss [<!ENTITY % p SYSTEM "file://{secret}"> %p; <!ENTITY xxe "x">]>',
        '<!DOCTYPE rss SYSTEM "file://{secret}">',
    ],
)
def test_external_entities_and_dtds_are_never_read(tmp_path: Path, doctype: str) -> None:
    secret = _secret(tmp_path)
    feed = tmp_path / "xxe.rss"
    feed.write_text(
        '<?xml version="1.0"?>\n'
        + doctype.format(secret=secret)
        + '\n<rss version="2.0"><channel><title>t &xxe;</title><item><title>a &xxe; b</title>'
        "<description>x &xxe; y</description></item></channel></rss>",
        encoding="utf-8",
    )
    problems: list[str] = []
    title, entries = read_feed(feed, problems)
    assert SECRET not in title
    assert entries and not any(SECRET in entry.document() for entry in entries)


def test_billion_laughs_is_not_expanded(tmp_path: Path) -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "' + f"&lol{n - 1};" * 10 + '">' for n in range(1, 10)
    )
    feed = tmp_path / "laughs.rss"
    feed.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{entities}]>\n<rss version="2.0"><channel>'
        "<title>t</title><item><title>&lol9;</title><description>&lol9;</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    started = time.monotonic()
    _title, entries = read_feed(feed)
    assert time.monotonic() - started < 30
    assert sum(len(entry.document()) for entry in entries) < 10_000


def test_a_feed_past_the_time_limit_is_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A hundred thousand nested elements take feedparser seconds; the limit is a fraction.
    feed = tmp_path / "deep.rss"
    feed.write_text(
        '<rss version="2.0"><channel><title>t</title><item><title>x</title><description>'
        + "<a>" * 100_000
        + "deep"
        + "</a>" * 100_000
        + "</description></item></channel></rss>",
        encoding="utf-8",
    )
    monkeypatch.setenv("ENQUIRY_DECODE_SECONDS", "0.3")
    started = time.monotonic()
    with pytest.raises(FeedError) as caught:
        read_feed(feed)
    assert time.monotonic() - started < 20
    message = str(caught.value)
    assert str(feed) in message and "0.3 s" in message and "\n" not in message


def test_an_entry_s_hostile_fields_stay_in_their_place(tmp_path: Path) -> None:
    feed = tmp_path / "hostile.rss"
    feed.write_bytes(
        b'<rss version="2.0"><channel><title>t</title><item>'
        b"<title>Headline&#0;\nsecond line</title><link>javascript:alert(1)\n2010-01-01</link>"
        b"<guid>id\x1b[2J\n../../etc/passwd\xe2\x80\xae</guid>"
        b"<description>Spokesman Ali said&#0; the strike was staged.</description>"
        b"</item></channel></rss>"
    )
    _title, [entry] = read_feed(feed)
    document = entry.document()
    lines = document.splitlines()
    assert lines[0] == "Headline\ufffd second line"
    assert lines[1] == "javascript:alert(1) 2010-01-01"
    assert "\x00" not in document
    # Still a text document, as intake types it: its words are read for claims.
    assert sniff(document.encode("utf-8")) == "text/plain"
    name = entry.name(feed)
    assert "\x1b" not in name and "\n" not in name and "\u202e" not in name


def test_ingest_of_a_hostile_feed_stores_no_local_file(
    tmp_path: Path, home: Path, backend: str
) -> None:
    secret = _secret(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "statements.rss").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<rss version="2.0"><channel><title>MFA</title><item><guid>st-1</guid>'
        "<title>Briefing &xxe;</title><description>The minister said&#0; the report was"
        " false. &xxe;</description></item></channel></rss>",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["ingest", "--quiet", "--case", "ks", str(folder)])
    assert result.exit_code == 0, result.output
    store = open_store(home, "tester")
    with store.session() as session:
        texts = session.scalars(select(ItemText.text)).all()
        names = session.scalars(select(Item.original_name)).all()
    assert not any(SECRET in (text or "") for text in texts)
    # The entry became a text document whose words were read, NUL and all.
    assert any("the report was false" in (text or "") for text in texts)
    assert any(name.endswith("#st-1") for name in names)


def test_a_feed_that_cannot_be_read_is_named_and_the_next_is_still_taken_in(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # "a-" sorts first: before, its failure ended the command and "b-" was never read
    (folder / "a-deep.rss").write_text(
        '<rss version="2.0"><channel><title>t</title><item><title>x</title><description>'
        + "<a>" * 100_000
        + "</a>" * 100_000
        + "</description></item></channel></rss>",
        encoding="utf-8",
    )
    (folder / "b-statements.rss").write_text(
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>MFA</title><item>'
        "<guid>st-2</guid><title>Briefing</title><description>The minister said the report"
        " was false.</description></item></channel></rss>",
        encoding="utf-8",
    )
    # The deep feed takes feedparser about 4 s on an idle machine; the small one, milliseconds.
    monkeypatch.setenv("ENQUIRY_DECODE_SECONDS", "1.5")
    result = CliRunner().invoke(main, ["ingest", "--quiet", "--case", "ks", str(folder)])
    assert result.exit_code == 1, result.output
    named = [line for line in result.output.splitlines() if "a-deep.rss" in line]
    assert len(named) == 1 and "1.5 s" in named[0], result.output
    store = open_store(home, "tester")
    with store.session() as session:
        names = session.scalars(select(Item.original_name)).all()
    assert any(name.endswith("#st-2") for name in names)
