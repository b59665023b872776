"""From text to claim records: attributions, their speakers and the dates they were made.

This is the whole text-side pipeline that ``enquiry claims extract`` prints and ``enquiry
ingest`` stores; it knows nothing of the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from enquiry.enrich.text.attribution import (
    Attribution,
    AttributionExtractor,
    Span,
    Speaker,
    quotations,
)
from enquiry.enrich.text.dates import statement_date

EXTRACTOR = "enquiry.claims"


@dataclass
class ClaimRecord:
    """One claim found in a text: the attribution and when it was made."""

    attribution: Attribution
    date: str | None
    date_phrase: str

    @property
    def speaker(self) -> Speaker | None:
        return self.attribution.speaker

    def as_dict(self) -> dict[str, Any]:
        """The JSON form of ``enquiry claims extract --json``."""
        found = self.attribution
        speaker = found.speaker
        return {
            "source": found.source.as_dict() if found.source else None,
            "cue": found.cue.as_dict(),
            "content": found.content.as_dict(),
            "actor": speaker.name if speaker else None,
            "actor_type": speaker.type if speaker else None,
            "title": speaker.title if speaker else "",
            "affiliation": speaker.affiliation if speaker else "",
            "date": self.date,
            "date_phrase": self.date_phrase,
        }


_QUOTE_MARKS = "\"'“‘«"


def _nested_in_quotation(
    attribution: Attribution, found: list[Attribution], quotes: list[tuple[int, int]]
) -> bool:
    """Whether the cue lies inside another attribution's quoted words ("We demand ...," he
    said): what the speaker says others said is part of their claim, not a claim of its own.
    Inside the quotation marks themselves: '"A," the envoy said, according to the agency' gives
    the agency a content that starts with a quotation, but the envoy's "said" is outside it."""
    cue = attribution.cue
    return any(
        other is not attribution
        and other.content.text[:1] in _QUOTE_MARKS
        and other.content.start <= cue.start < other.content.end
        and any(start < cue.start and cue.end < stop for start, stop in quotes)
        for other in found
    )


def _records(text: str, found: list[Attribution], anchor: dt.date | None) -> list[ClaimRecord]:
    records = []
    quotes = quotations(text)
    for attribution in found:
        if _nested_in_quotation(attribution, found, quotes):
            continue
        date, phrase = statement_date(
            text,
            (attribution.sentence.start, attribution.sentence.end),
            (attribution.content.start, attribution.content.end),
            (attribution.cue.start, attribution.cue.end),
            anchor,
            (attribution.source.start, attribution.source.end) if attribution.source else None,
        )
        records.append(ClaimRecord(attribution, date, phrase))
    return records


# A text longer than this is read in pieces of at most this many characters, each ending at a
# paragraph's end where there is one. spaCy parses at most a million characters at once, and
# a piece bounds the work that grows faster than a text's length (the speakers and quotations
# a cue is compared with). A news article or a statement is one piece; a long report is read
# a few pages at a time, and a pronoun at the top of a piece does not reach a name in the one
# before.
PIECE = 50_000
_CUTS = ("\n\n", "\n", ". ", " ")


def pieces(text: str, size: int | None = None) -> list[tuple[int, str]]:
    """(offset, piece) of ``text`` cut into pieces of at most ``size`` characters (default
    :data:`PIECE`): at the last blank line in the second half of each, else the last line
    break, sentence end or space, else at ``size`` itself."""
    size = size or PIECE
    found: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = size
        for mark in _CUTS:
            at = window.rfind(mark, size // 2)
            if at > 0:
                cut = at + len(mark)
                break
        found.append((start, window[:cut]))
        start += cut
    found.append((start, text[start:]))
    return found


def _moved(span: Span, offset: int) -> Span:
    return replace(
        span,
        start=span.start + offset,
        end=span.end + offset,
        parts=tuple(_moved(part, offset) for part in span.parts),
    )


def shifted(record: ClaimRecord, offset: int) -> ClaimRecord:
    """A record found in a part of a text (a piece, a feed's entry), with its offsets into the
    whole text."""
    if not offset:
        return record
    found = record.attribution
    moved = replace(
        found,
        cue=_moved(found.cue, offset),
        content=_moved(found.content, offset),
        source=_moved(found.source, offset) if found.source else None,
        sentence=_moved(found.sentence, offset),
    )
    return replace(record, attribution=moved)


class ClaimExtractor:
    """Attribution plus dating, over one text or a stream of texts."""

    def __init__(self, attribution: AttributionExtractor | None = None) -> None:
        self.attribution = attribution or AttributionExtractor()

    @property
    def version(self) -> str:
        return self.attribution.version

    def extract(
        self,
        text: str,
        anchor: dt.date | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[ClaimRecord]:
        """The claims of ``text``, dated against ``anchor`` (the document's date); a long text
        piece by piece (see :data:`PIECE`), ``progress`` hearing how many characters each
        piece held."""
        records: list[ClaimRecord] = []
        for offset, piece in pieces(text):
            found = _records(piece, self.attribution.extract(piece), anchor)
            records += [shifted(record, offset) for record in found]
            if progress is not None:
                progress(len(piece))
        return records

    def extract_many(
        self, items: Iterable[tuple[str, dt.date | None]], batch_size: int = 16
    ) -> Iterator[list[ClaimRecord]]:
        """Claims of many (text, date) pairs, parsed in batches (a long text on its own, piece
        by piece)."""
        pairs = list(items)
        long = {number for number, (text, _) in enumerate(pairs) if len(text) > PIECE}
        parsed = self.attribution.extract_many(
            (text for number, (text, _) in enumerate(pairs) if number not in long), batch_size
        )
        for number, (text, anchor) in enumerate(pairs):
            if number in long:
                yield self.extract(text, anchor)
            else:
                yield _records(text, next(parsed), anchor)
