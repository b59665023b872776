"""Enrichers: extractors that read stored originals (text, metadata, claims, media hashes)."""
