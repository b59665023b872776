"""From text to claim records: attributions, their speakers and the dates they were made.

This is the whole text-side pipeline that ``enquiry claims extract`` prints and ``enquiry
ingest`` stores; it knows nothing of the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from enquiry.enrich.text.attribution import (
    Attribution,
    AttributionExtractor,
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


class ClaimExtractor:
    """Attribution plus dating, over one text or a stream of texts."""

    def __init__(self, attribution: AttributionExtractor | None = None) -> None:
        self.attribution = attribution or AttributionExtractor()

    @property
    def version(self) -> str:
        return self.attribution.version

    def extract(self, text: str, anchor: dt.date | None = None) -> list[ClaimRecord]:
        """The claims of ``text``, dated against ``anchor`` (the document's date)."""
        return _records(text, self.attribution.extract(text), anchor)

    def extract_many(
        self, items: Iterable[tuple[str, dt.date | None]], batch_size: int = 16
    ) -> Iterator[list[ClaimRecord]]:
        """Claims of many (text, date) pairs, parsed in batches."""
        pairs = list(items)
        texts = (text for text, _ in pairs)
        for (text, anchor), found in zip(
            pairs, self.attribution.extract_many(texts, batch_size), strict=True
        ):
            yield _records(text, found, anchor)
