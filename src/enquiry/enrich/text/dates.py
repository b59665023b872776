"""When a statement was made: relative date phrases resolved against the document's date.

News reports date statements relative to their own date ("said on Tuesday", "told reporters
yesterday", "last week"). The resolved date is what a chronology needs; the raw phrase is kept
beside it because the resolution is an inference an analyst may want to check. Periods are ISO
8601: a day ``2017-04-04``, a month ``2017-04``, a year ``2017`` or an interval
``2017-03-27/2017-04-02``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
    "an": 1,
}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_ABSOLUTE = re.compile(
    r"\b(?:"
    + rf"{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?\b"
    + r"|"
    + _MONTH.replace("month", "month2")
    + r"\s+"
    + _DAY.replace("day", "day2")
    + r"(?:,?\s+"
    + _YEAR.replace("year", "year2")
    + r")?\b"
    + r"|(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)(?!\d)"
    + r")",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(?:"
    r"(?P<yesterday>yesterday|last night)"
    r"|(?P<today>today|tonight|this (?:morning|afternoon|evening)|earlier today)"
    r"|(?P<lastweekday>last (?:" + "|".join(WEEKDAYS) + r"))"
    r"|(?P<weekday>(?:on |early |late )?(?:" + "|".join(WEEKDAYS) + r"))"
    r"(?: (?:morning|afternoon|evening|night))?"
    r"|(?P<period>(?:last|this|earlier this|previous) (?:week|month|year))"
    r"|(?P<ago>(?P<count>\d+|" + "|".join(NUMBERS) + r") (?P<unit>day|week|month|year)s? ago)"
    r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DatePhrase:
    """A date phrase found in text, where it is, and what it resolves to (None if it cannot)."""

    phrase: str
    start: int
    end: int
    value: str | None


def parse_iso(value: str | None) -> dt.date | None:
    """The calendar date at the start of an ISO string (``2017-04-05T10:00Z`` → 2017-04-05)."""
    if not value:
        return None
    match = re.match(r"((?:19|20)\d\d)-([01]\d)-([0-3]\d)", value.strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _absolute(match: re.Match[str], anchor: dt.date | None) -> str | None:
    if match["iso"]:
        parsed = parse_iso(match["iso"])
        return parsed.isoformat() if parsed else None
    month = MONTHS[(match["month"] or match["month2"]).lower()]
    day = int(match["day"] or match["day2"])
    year_text = match["year"] or match["year2"]
    if year_text:
        year = int(year_text)
    elif anchor is not None:
        # "April 4" in an article of 5 January means last April, not next April.
        year = anchor.year if (month, day) <= (anchor.month, anchor.day) else anchor.year - 1
    else:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _week(day: dt.date) -> str:
    monday = day - dt.timedelta(days=day.weekday())
    return f"{monday.isoformat()}/{(monday + dt.timedelta(days=6)).isoformat()}"


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _relative(match: re.Match[str], anchor: dt.date) -> str | None:
    phrase = match.group(0).lower()
    if match["yesterday"]:
        return (anchor - dt.timedelta(days=1)).isoformat()
    if match["today"]:
        return anchor.isoformat()
    weekday = next((n for n, name in enumerate(WEEKDAYS) if name in phrase), None)
    if match["lastweekday"] and weekday is not None:
        back = (anchor.weekday() - weekday) % 7 or 7
        return (anchor - dt.timedelta(days=back)).isoformat()
    if match["weekday"] and weekday is not None:
        # News speaks of the past: "on Tuesday" is the latest Tuesday up to the article's day.
        back = (anchor.weekday() - weekday) % 7
        return (anchor - dt.timedelta(days=back)).isoformat()
    if match["period"]:
        unit = phrase.split()[-1]
        past = phrase.startswith(("last", "previous"))
        if unit == "week":
            return _week(anchor - dt.timedelta(days=7) if past else anchor)
        if unit == "month":
            first = _shift_months(anchor, 1 if past else 0)
            return f"{first.year:04d}-{first.month:02d}"
        return str(anchor.year - 1 if past else anchor.year)
    if match["ago"]:
        count_text = match["count"].lower()
        count = int(count_text) if count_text.isdigit() else NUMBERS[count_text]
        unit = match["unit"].lower()
        if unit == "day":
            return (anchor - dt.timedelta(days=count)).isoformat()
        if unit == "week":
            return _week(anchor - dt.timedelta(days=7 * count))
        if unit == "month":
            first = _shift_months(anchor, count)
            return f"{first.year:04d}-{first.month:02d}"
        return str(anchor.year - count)
    return None


def find_dates(text: str, anchor: dt.date | None) -> list[DatePhrase]:
    """Every date phrase in ``text``, resolved against ``anchor`` (the document's date)."""
    found = []
    for match in _ABSOLUTE.finditer(text):
        found.append(
            DatePhrase(match.group(0), match.start(), match.end(), _absolute(match, anchor))
        )
    taken = [(item.start, item.end) for item in found]
    for match in _RELATIVE.finditer(text):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue
        value = _relative(match, anchor) if anchor is not None else None
        found.append(DatePhrase(match.group(0), match.start(), match.end(), value))
    return sorted(found, key=lambda item: item.start)


def statement_date(
    text: str,
    sentence: tuple[int, int],
    content: tuple[int, int],
    cue: tuple[int, int],
    anchor: dt.date | None,
    source: tuple[int, int] | None = None,
) -> tuple[str | None, str]:
    """The date a statement was made and the phrase that says so.

    Only the sentence outside the quoted content is searched: a date inside the content is the
    date of what is reported ("the strike at 6:30 on 4 April"), not of the saying. The phrase
    nearest the cue wins. No phrase: the document's date (a statement is made by the time it is
    published) with an empty phrase.
    """
    start, end = sentence
    chars = list(text[start:end])
    for position in range(max(content[0], start), min(content[1], end)):
        chars[position - start] = " "
    if source is not None:
        # "Kuwait's ambassador, who holds the presidency this month, said": a date describing
        # the speaker is not the date of the saying
        for position in range(max(source[0], start), min(source[1], end)):
            chars[position - start] = " "
    candidates = find_dates("".join(chars), anchor)
    if candidates:
        middle = (cue[0] + cue[1]) / 2 - start
        best = min(candidates, key=lambda item: abs((item.start + item.end) / 2 - middle))
        return best.value, best.phrase
    return (anchor.isoformat() if anchor else None), ""


def document_date(text: str, metadata_date: str | None = None) -> dt.date | None:
    """The date of a document: its metadata's, else the first full date in its opening lines
    (a dateline such as "WASHINGTON, April 5, 2017 (AP) —")."""
    parsed = parse_iso(metadata_date)
    if parsed is not None:
        return parsed
    for match in _ABSOLUTE.finditer(text[:400]):
        if match["iso"] or match["year"] or match["year2"]:
            value = _absolute(match, None)
            if value:
                return dt.date.fromisoformat(value)
    return None
