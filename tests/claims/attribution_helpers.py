"""Small readers of what the claim extractor found, shared by the attribution tests."""

from __future__ import annotations

from enquiry.enrich.text.attribution import Attribution
from enquiry.enrich.text.claims import ClaimExtractor


def attributions(extractor: ClaimExtractor, text: str) -> list[Attribution]:
    """The attributions of every claim found in ``text``, in order."""
    return [record.attribution for record in extractor.extract(text)]


def one(found: list[Attribution], cue: str) -> Attribution:
    """The single attribution whose cue is ``cue`` (any case); fails listing all of them."""
    matching = [a for a in found if a.cue.text.lower() == cue.lower()]
    assert len(matching) == 1, [(a.cue.text, a.content.text) for a in found]
    return matching[0]


def source_of(attribution: Attribution) -> str | None:
    """The source as written, or None."""
    return attribution.source.text if attribution.source is not None else None


def actors(extractor: ClaimExtractor, text: str) -> dict[str, str | None]:
    """Cue → the name of the actor each claim of ``text`` is given (None: none)."""
    return {
        record.attribution.cue.text: record.speaker.name if record.speaker else None
        for record in extractor.extract(text)
    }
