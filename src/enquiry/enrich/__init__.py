"""Enrichers: extractors that read stored originals (text, metadata, claims, media hashes).

:func:`default_extractors` is the list the command line hands to intake; each extractor is one
small class behind :class:`enquiry.intake.extract.Extractor`.
"""

from __future__ import annotations

from enquiry.intake.extract import Extractor


def default_extractors() -> list[Extractor]:
    """The extractors run on every file at intake, in order."""
    from enquiry.enrich.documents import DocumentText
    from enquiry.enrich.media.extractor import PdqExtractor
    from enquiry.enrich.photo import PhotoMetadata
    from enquiry.enrich.video import VideoMetadata

    return [DocumentText(), PhotoMetadata(), VideoMetadata(), PdqExtractor()]
