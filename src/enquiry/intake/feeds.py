"""RSS and Atom feeds read from local files: each entry becomes a document of its own.

Statements and news digests arrive as feeds. The feed file itself is preserved as it came; its
entries are turned into small plain-text documents (headline, date, author, link, then the text
of the entry) so that each one is an item with its own claims, its own date and its own custody
trail. Nothing here touches the network: a feed is read from a file already on disk.

A feed is hostile input like any other file. It is parsed in a child process under the
decoders' time and memory limits (:mod:`enquiry.intake.limits`), so that markup built to make
the parser loop or balloon costs that child; it is handed to feedparser as a stream of its
bytes, never as a string, because feedparser opens a string (and bytes) that names a file or a
URL — a feed whose whole content is a path would otherwise be read from that path. External
entities and DTDs are never fetched (feedparser drops the DOCTYPE's entities but plain-text
ones and turns external entity loading off).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FEED_TYPES = {"application/atom+xml", "application/rss+xml"}
_TAGS = re.compile(r"<[^>]+>")
# Control characters an entry may carry (feedparser turns ``&#0;`` into a NUL): a document
# holding them would be taken for a binary file and its text never read; each becomes one
# replacement character, so the rest keeps its place.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BLOCKS = re.compile(r"</?(p|div|br|li|h[1-6]|tr|blockquote)\b[^>]*>", re.IGNORECASE)


def _line(value: str) -> str:
    """A one-line field of an entry (headline, author, link): an entry whose title holds line
    breaks must not add lines of its own to the document's headline and facts."""
    return " ".join(value.split())


class FeedError(Exception):
    """A file that was meant to be a feed but cannot be read as one."""


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed, as text ready to be stored."""

    id: str
    title: str
    link: str
    published: str | None
    author: str
    text: str

    def document(self) -> str:
        """The entry as a plain-text document: headline, a line of facts, then the text.

        The date line uses ISO 8601 so that the document date is found again from the text.
        """
        facts = [_line(value) for value in (self.published, self.author, self.link) if value]
        lines = [_line(self.title), "  ".join(f for f in facts if f), "", self.text.strip(), ""]
        return _CONTROLS.sub("\ufffd", "\n".join(lines))

    def name(self, feed: Path) -> str:
        """Where the entry came from, as recorded for its item: control characters and
        direction overrides of a hostile id or link are escaped (:func:`printable`), so that
        the name prints as one honest line."""
        from enquiry.intake.walk import printable

        return printable(f"{feed}#{self.id or self.link or self.title}")[:1000]


def html_to_text(html: str) -> str:
    """Readable text of an entry's HTML: block elements become line breaks, tags go."""
    import html as html_lib

    text = _BLOCKS.sub("\n", html)
    text = html_lib.unescape(_TAGS.sub("", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs: list[str] = []
    for line in lines:
        if line:
            paragraphs.append(line)
    return "\n\n".join(paragraphs)


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            year, month, day, hour, minute, second = (int(part) for part in value[:6])
            stamp = dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
            return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def _body(entry: Any) -> str:
    contents = entry.get("content") or []
    for content in contents:
        value = content.get("value") if isinstance(content, dict) else None
        if value:
            return html_to_text(str(value))
    return html_to_text(str(entry.get("summary") or entry.get("description") or ""))


def read_feed(path: Path, problems: list[str] | None = None) -> tuple[str, list[FeedEntry]]:
    """The title and entries of the RSS or Atom feed in ``path``.

    feedparser reads what it can of a broken feed; what it could not read, and a feed without
    entries, is added to ``problems`` (one line naming the file) so that a truncated download
    is not mistaken for a feed that said nothing. The parsing runs under the decoders' time and
    memory limits (``ENQUIRY_DECODE_SECONDS`` / ``ENQUIRY_DECODE_MB``): a feed past them is a
    :class:`FeedError` naming the file and the limit."""
    # Imported before the fork, so that the limited child inherits the parser rather than
    # spending its clock on the import (which, on a busy machine, a small limit may not cover).
    import feedparser  # noqa: F401

    from enquiry.errors import EnquiryError
    from enquiry.intake.limits import LimitExceeded, limits, run_limited

    try:
        seconds, megabytes = limits()
        outcome = run_limited(_parse_file, path, seconds=seconds, megabytes=megabytes)
    except (LimitExceeded, EnquiryError) as exc:
        raise FeedError(f"{path}: not read as a feed ({exc})") from None
    if isinstance(outcome, str):
        raise FeedError(outcome)
    title, entries, found = outcome
    if problems is not None:
        problems.extend(found)
    return title, entries


def _parse_file(path: Path) -> str | tuple[str, list[FeedEntry], list[str]]:
    """What :func:`read_feed` returns, and the problems, or the one line saying why the file is
    not a feed (in the limited child: the line comes back, an exception would lose its kind)."""
    try:
        return _parse(path)
    except FeedError as exc:
        return str(exc)


def _parse(path: Path) -> tuple[str, list[FeedEntry], list[str]]:
    import feedparser

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FeedError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    # A stream, never the bytes themselves: see the module's docstring.
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception") or "no RSS or Atom feed found"
        reason = " ".join(str(problem).split())[:200]
        raise FeedError(f"{path}: not a readable feed ({reason})")
    problems: list[str] = []
    if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
        reason = " ".join(str(parsed["bozo_exception"]).split())[:200]
        problems.append(f"{path}: feed is not well-formed ({reason}); read what could be read")
    if not parsed.entries:
        problems.append(f"{path}: feed has no entries")
    entries = []
    for number, entry in enumerate(parsed.entries, start=1):
        entries.append(
            FeedEntry(
                id=str(entry.get("id") or entry.get("link") or f"entry-{number}"),
                title=str(entry.get("title") or ""),
                link=str(entry.get("link") or ""),
                published=_date(entry),
                author=str(entry.get("author") or ""),
                text=_body(entry),
            )
        )
    return str(parsed.feed.get("title") or ""), entries, problems


def is_feed(path: Path) -> bool:
    """Whether ``path`` holds an RSS or Atom feed, by its content."""
    import os
    import stat

    from enquiry.intake.sniff import sniff

    try:
        # Without blocking, and only a regular file: a FIFO put at a listed path would make a
        # plain open wait for a writer for ever.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return False
            head = handle.read(4096)
    except OSError:
        return False
    if sniff(head, path.name) in FEED_TYPES:
        return True
    return bool(re.search(rb"<(rss|feed)[\s>]", head[:1024])) and path.suffix.lower() in (
        ".rss",
        ".atom",
        ".xml",
    )
