"""Enrichers: stages that read stored items and derive records (text, metadata, claims, vectors,
media hashes, findings), each behind :class:`enquiry.enrich.base.Enricher` and run by
:func:`enquiry.enrich.runner.run_enrichers`.

:func:`default_extractors` is the list handed to intake: the enrichers that read originals
(:class:`~enquiry.enrich.base.FileEnricher`), which intake runs as extractors
(:class:`enquiry.intake.extract.Extractor`) while files arrive.
"""

from __future__ import annotations

from enquiry.intake.extract import Extractor


def default_extractors() -> list[Extractor]:
    """The file enrichers run on every file at intake, in order."""
    from enquiry.enrich.documents import DocumentText
    from enquiry.enrich.media.extractor import PdqExtractor
    from enquiry.enrich.ocr import OcrText
    from enquiry.enrich.photo import PhotoMetadata
    from enquiry.enrich.video import VideoMetadata

    # OCR comes last: it may use what is left of the file's time (its pages stop short of
    # the limit), so the quick readers must have run by then.
    return [DocumentText(), PhotoMetadata(), VideoMetadata(), PdqExtractor(), OcrText()]
