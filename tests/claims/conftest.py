"""One spaCy pipeline for the whole claims test session: loading it is the slow part."""

from __future__ import annotations

import pytest

from enquiry.enrich.text.claims import ClaimExtractor


@pytest.fixture(scope="session")
def claim_extractor() -> ClaimExtractor:
    return ClaimExtractor()
