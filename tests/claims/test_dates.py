"""Relative and absolute date phrases resolved against the document date."""

from __future__ import annotations

import datetime as dt

import pytest

from enquiry.enrich.text.dates import document_date, find_dates

ANCHOR = dt.date(2017, 4, 13)  # a Thursday


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("he said yesterday", "2017-04-12"),
        ("she said today", "2017-04-13"),
        ("said on Tuesday", "2017-04-11"),
        ("said on Thursday", "2017-04-13"),
        ("said last Thursday", "2017-04-06"),
        ("said last week", "2017-04-03/2017-04-09"),
        ("said last month", "2017-03"),
        ("said three days ago", "2017-04-10"),
        ("said on 4 April", "2017-04-04"),
        ("said on April 4, 2016", "2016-04-04"),
        ("said on December 30", "2016-12-30"),
    ],
)
def test_phrases(text: str, value: str) -> None:
    found = find_dates(text, ANCHOR)
    assert [item.value for item in found] == [value]
    assert text[found[0].start : found[0].end] == found[0].phrase


def test_relative_phrase_without_document_date_is_kept_unresolved() -> None:
    found = find_dates("he said yesterday", None)
    assert [(item.phrase, item.value) for item in found] == [("yesterday", None)]


def test_document_date_from_metadata_then_dateline() -> None:
    assert document_date("text", "2017-04-05T10:00:00") == dt.date(2017, 4, 5)
    assert document_date("WASHINGTON, April 5, 2017 (AP) — Officials said") == dt.date(2017, 4, 5)
    assert document_date("Officials said on Tuesday") is None
