"""The physical chain of custody of an environmental sample, checked hand-over by hand-over.

A sample proves something only if it can be shown to be the material collected at the site:
a party that wants a result set aside attacks exactly this record (who held the sample between
collection and the laboratory, whether its seal was ever broken). :func:`check_custody` reads
an ``environmental_sample``'s fields (``collected_at``, ``collected_by``, ``custody``,
``laboratory``, ``analysed_at``, ``analytes``) and says, one plain sentence per finding, where
the recorded chain breaks, so that investigators find the breaks before an adversary does.

Pure and total: the fields come from hostile case files and edits, so any of them may be
missing, of the wrong type, huge or oddly encoded; nothing here raises on them, and the work is
linear in the number of hand-overs. What it cannot see is a forged log that is consistent with
itself: it checks the record's internal continuity, not its truth.

Names are compared after NFKC normalisation, case folding, removal of invisible format
characters and collapsing of white space; they are never matched approximately, since
"A. Hassan" and "A. Hasan" may be two people and only an investigator can say they are one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final, Literal

SAMPLE_KIND: Final = "environmental_sample"
"""The kind whose items are checked."""

CHECKED_FIELDS: Final = frozenset(
    {"custody", "collected_by", "collected_at", "laboratory", "analysed_at", "analytes"}
)
"""The fields the checks read: when any of them is withheld from a viewer (a protected item's
identifying field), the findings are worded without quoting any value (see ``quote``)."""

LONG_INTERVAL: Final = timedelta(days=7)
"""An interval between consecutive hand-overs (or between collection and the first hand-over)
longer than this, with no note on the later hand-over, is a warning: a week is long enough for
a sample to be opened, swapped or left somewhere uncontrolled, and short enough that an ordinary
courier or laboratory queue stays under it."""

MAX_FINDINGS: Final = 100
"""Findings listed per sample; beyond them one finding counts the rest (and their breaks), so
that a hostile log of a million broken hand-overs cannot flood a report or a terminal."""

QUOTED_LENGTH: Final = 80
"""Characters of a value quoted in a sentence; a longer value is cut with an ellipsis."""

LONGEST_TIME: Final = 64
"""A time longer than this is not read at all: no ISO 8601 time is, and parsing is refused
rather than attempted on a megabyte of text."""

_ZONE_WEST: Final = 12 * 3600.0
_ZONE_EAST: Final = 14 * 3600.0
"""How far a local time without a zone may lie from UTC: offsets run from UTC-12 to UTC+14."""

Severity = Literal["break", "warning"]
BREAK: Final = "break"
WARNING: Final = "warning"


@dataclass(frozen=True)
class CustodyFinding:
    """One thing wrong with a sample's recorded chain of custody.

    ``severity`` is ``break`` when the record fails to show who held the sample (or shows it
    held out of order, or opened), ``warning`` when it is irregular but not broken.
    ``handovers`` are the hand-overs concerned, numbered from 1 in the order recorded (hand-over
    1 is ``custody[0]``), as the sentence numbers them; empty when the finding is about the
    sample as a whole."""

    code: str
    severity: Severity
    handovers: tuple[int, ...]
    message: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape (``item show --json``'s ``sample_custody``, the API, the report)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "handovers": list(self.handovers),
            "message": self.message,
        }


def breaks(findings: Sequence[CustodyFinding]) -> int:
    """How many of ``findings`` are breaks (the summary of a cut list counts those it holds)."""
    return sum(1 for f in findings if f.severity == BREAK)


def has_break(findings: Sequence[CustodyFinding] | None) -> bool:
    """Whether any finding is a break: the chain as recorded does not hold."""
    return any(f.severity == BREAK for f in findings or ())


def not_checked(reason: str) -> tuple[CustodyFinding, ...]:
    """The one finding for a sample whose fields could not be read here (``reason`` says why),
    so that an output never shows an unchecked chain as a clean one."""
    return (
        CustodyFinding(
            "not-checked", WARNING, (), f"The chain of custody was not checked: {reason}."
        ),
    )


def sample_findings(
    kind: object,
    fields: object,
    *,
    withheld: Collection[str] = (),
    unavailable: Collection[str] = (),
) -> tuple[CustodyFinding, ...] | None:
    """The findings an output shows for an item: None for an item that is not a sample.

    ``withheld`` names the fields the viewer may not see (a protected item's identifying
    fields, not revealed): if the checks read any of them, the sentences quote no value at all
    — no name, seal, laboratory or time — only hand-over numbers and what is wrong, so that a
    finding cannot carry what the field itself withholds. ``unavailable`` names fields whose
    values could not be read here (held encrypted, the key not given or the item sealed): the
    chain is then reported as not checked rather than checked against a placeholder."""
    if kind != SAMPLE_KIND:
        return None
    if CHECKED_FIELDS & set(unavailable):
        return not_checked(
            "its custody fields are held encrypted (a protected item) and could not be opened here"
        )
    return check_custody(fields, quote=not (CHECKED_FIELDS & set(withheld)))


# --- reading values ----------------------------------------------------------------------------


def _printable(text: str) -> str:
    """A value as a sentence may quote it: cut to :data:`QUOTED_LENGTH`, with control,
    format and unpaired surrogate characters named (``[U+202E]``) so that a quoted name can
    neither reorder the sentence nor hide inside it."""
    cut = text[:QUOTED_LENGTH]
    shown = "".join(
        f"[U+{ord(c):04X}]" if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") else c
        for c in cut
    )
    return shown + ("…" if len(text) > QUOTED_LENGTH else "")


def _text(value: object) -> str | None:
    """A value as text, if it is text (or a plain number); None otherwise."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _key(value: object) -> str | None:
    """The form two names (or seals, or laboratories) are compared in: NFKC, case-folded,
    invisible format characters removed, white space collapsed. None when there is no name."""
    text = _text(value)
    if text is None:
        return None
    folded = unicodedata.normalize("NFKC", text).casefold()
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    joined = " ".join(visible.split())
    return joined or None


def _present(value: object) -> bool:
    """Whether a field holds anything at all (an empty list or blank text does not)."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | dict):
        return len(value) > 0
    return True


@dataclass(frozen=True)
class _Moment:
    """A recorded time as an interval of seconds on one axis, and whether its zone is known.

    An ISO time with an offset is one instant (UTC); a local time without a zone and a bare
    date are read on the local clock, a date as its whole day. Two times whose zones are both
    known, or both unknown, are compared directly (the log is taken to keep one local clock);
    a zoned time against an unzoned one widens the unzoned one by every offset there is, so
    that only an order no time zone could explain is reported."""

    low: float
    high: float
    zoned: bool
    shown: str


class _Unreadable:
    """A time that is there but is no date or ISO 8601 date-time (``shown`` is None when it
    is not even text: a number, a list)."""

    def __init__(self, shown: str | None) -> None:
        self.shown = shown


def _seconds(day: date) -> float:
    return float(day.toordinal()) * 86400.0


def _moment(value: object) -> _Moment | _Unreadable | None:
    """A time field read as a :class:`_Moment`; None when absent, :class:`_Unreadable` when
    present but not a time. Never raises (years 1 to 9999 only, as ISO 8601 and Python do)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        if isinstance(value, datetime):
            return _of_datetime(value, value.isoformat())
        if isinstance(value, date):
            return _of_day(value, value.isoformat())
    except (ArithmeticError, TypeError, ValueError):  # a foreign tzinfo that fails
        return _Unreadable(None)
    if not isinstance(value, str):
        return _Unreadable(None)
    text = value.strip()
    if len(text) > LONGEST_TIME:
        return _Unreadable(_printable(text))
    try:
        return _of_day(date.fromisoformat(text), text)
    except ValueError:
        pass
    try:
        return _of_datetime(datetime.fromisoformat(text.replace("Z", "+00:00")), text)
    except ValueError:
        return _Unreadable(_printable(text))


def _of_day(day: date, shown: str) -> _Moment:
    start = _seconds(day)
    return _Moment(start, start + 86399.999999, False, _printable(shown))


def _of_datetime(when: datetime, shown: str) -> _Moment:
    clock = (
        _seconds(when.date())
        + when.hour * 3600.0
        + when.minute * 60.0
        + when.second
        + when.microsecond / 1e6
    )
    offset = when.utcoffset()
    if offset is None:
        return _Moment(clock, clock, False, _printable(shown))
    utc = clock - offset.total_seconds()
    return _Moment(utc, utc, True, _printable(shown))


def _span(moment: _Moment, other: _Moment) -> tuple[float, float]:
    """``moment``'s interval as it may be compared with ``other`` (widened by every time zone
    when exactly one of the two has a zone and it is not this one)."""
    if moment.zoned or not other.zoned:
        return moment.low, moment.high
    return moment.low - _ZONE_EAST, moment.high + _ZONE_WEST


def _before(first: _Moment, second: _Moment) -> bool:
    """Whether ``first`` lies wholly before ``second`` however either is read."""
    return _span(first, second)[1] < _span(second, first)[0]


def _least_gap(first: _Moment, second: _Moment) -> float:
    """The shortest time that can have passed from ``first`` to ``second``, in seconds."""
    return _span(second, first)[0] - _span(first, second)[1]


# --- the checks --------------------------------------------------------------------------------


class _Findings:
    """Findings gathered in order, the first :data:`MAX_FINDINGS` kept and the rest counted."""

    def __init__(self) -> None:
        self.kept: list[CustodyFinding] = []
        self.dropped = 0
        self.dropped_breaks = 0

    def add(self, code: str, severity: Severity, handovers: tuple[int, ...], message: str) -> None:
        if len(self.kept) < MAX_FINDINGS:
            self.kept.append(CustodyFinding(code, severity, handovers, message))
            return
        self.dropped += 1
        self.dropped_breaks += severity == BREAK

    def result(self) -> tuple[CustodyFinding, ...]:
        if not self.dropped:
            return tuple(self.kept)
        more = CustodyFinding(
            "more-findings",
            BREAK if self.dropped_breaks else WARNING,
            (),
            f"{self.dropped} more finding(s), {self.dropped_breaks} of them break(s), are not"
            f" listed (the first {MAX_FINDINGS} are).",
        )
        return (*self.kept, more)


@dataclass(frozen=True)
class _Party:
    """A name as compared (``key``) and as a sentence quotes it (``shown``)."""

    key: str | None
    shown: str


def _shown(value: object) -> str:
    return _printable(_text(value) or "")


@dataclass(frozen=True)
class _Handover:
    """One hand-over as read: the names compared, the values quoted, its time and seal."""

    number: int
    giver: str | None
    taker: str | None
    giver_shown: str
    taker_shown: str
    at: _Moment | _Unreadable | None
    seal: str | None
    seal_shown: str
    noted: bool


def _handover(number: int, raw: Mapping[Any, Any]) -> _Handover:
    giver, taker, seal = raw.get("from"), raw.get("to"), raw.get("seal")
    return _Handover(
        number=number,
        giver=_key(giver),
        taker=_key(taker),
        giver_shown=_shown(giver),
        taker_shown=_shown(taker),
        at=_moment(raw.get("at")),
        seal=_key(seal),
        seal_shown=_shown(seal),
        noted=_key(raw.get("note")) is not None,
    )


def check_custody(fields: object, *, quote: bool = True) -> tuple[CustodyFinding, ...]:
    """Every break and irregularity in a sample's recorded chain of custody, in record order.

    ``fields`` are the item's fields (any value: a non-mapping is itself a finding). With
    ``quote`` false no value of the fields is quoted — see :func:`sample_findings`. The checks:

    * analytes reported or a laboratory named, but no hand-over recorded (break);
    * the custody field, or a hand-over, is not what the kind declares (break);
    * a hand-over without a giver or a receiver (break); from and to the same person (warning);
    * the first hand-over not from ``collected_by`` when that is known (break);
    * hand-over n+1 not from the person hand-over n went to (break: who held it between?);
    * a hand-over without a readable time (break); hand-overs out of time order, before the
      collection or after the analysis, or an analysis before the collection (break); an
      unreadable collection or analysis time (warning);
    * the seal changing, or disappearing after a sealed hand-over, with no note on the
      hand-over to explain it (break);
    * the chain not ending at the ``laboratory`` named (break); analytes with no laboratory
      named (warning);
    * more than :data:`LONG_INTERVAL` between collection and the first hand-over or between
      consecutive hand-overs with no note on the later one (warning).
    """
    found = _Findings()
    if not isinstance(fields, Mapping):
        found.add(
            "unreadable-fields",
            BREAK,
            (),
            "The sample's fields are not a set of named values, so its chain of custody cannot"
            " be checked.",
        )
        return found.result()

    def q(text: str) -> str:
        return f" '{text}'" if quote else ""

    def when(moment: _Moment) -> str:
        return f" ({moment.shown})" if quote else ""

    chain = fields.get("custody")
    collector = _Party(_key(fields.get("collected_by")), _shown(fields.get("collected_by")))
    laboratory = _key(fields.get("laboratory"))
    analytes = _present(fields.get("analytes"))
    collected = _moment(fields.get("collected_at"))
    analysed = _moment(fields.get("analysed_at"))
    for moment, what in ((collected, "collection"), (analysed, "analysis")):
        if isinstance(moment, _Unreadable):
            found.add(
                "unreadable-time",
                WARNING,
                (),
                f"The {what} time{q(moment.shown) if moment.shown is not None else ''} is not a date or an ISO 8601 date-time, so"
                f" the hand-overs cannot be checked against it.",
            )
    collected_at = collected if isinstance(collected, _Moment) else None
    analysed_at = analysed if isinstance(analysed, _Moment) else None
    if collected_at and analysed_at and _before(analysed_at, collected_at):
        found.add(
            "analysis-before-collection",
            BREAK,
            (),
            f"The sample is dated as analysed{when(analysed_at)} before it was"
            f" collected{when(collected_at)}.",
        )

    if not _present(chain):
        if analytes or laboratory is not None:
            what = " and ".join(
                part
                for part, there in (
                    ("analytes are reported", analytes),
                    ("a laboratory is named", laboratory is not None),
                )
                if there
            )
            found.add(
                "no-chain",
                BREAK,
                (),
                f"{what[:1].upper()}{what[1:]}, but no hand-over is recorded: there is no"
                " documented chain from collection to the laboratory.",
            )
        return found.result()
    if not isinstance(chain, list | tuple):
        found.add(
            "unreadable-custody",
            BREAK,
            (),
            "The custody field is not a list of hand-overs, so the chain from collection to the"
            " laboratory cannot be checked.",
        )
        return found.result()
    if laboratory is None and analytes:
        found.add(
            "no-laboratory",
            WARNING,
            (),
            "Analytes are reported but no laboratory is named, so whether the chain ends where"
            " the sample was analysed cannot be checked.",
        )

    previous: _Handover | None = None  # the hand-over just before, if it could be read
    timed: _Handover | None = None  # the latest hand-over with a readable time
    sealed: _Handover | None = None  # the latest hand-over that recorded a seal
    last: _Handover | None = None
    for number, raw in enumerate(chain, start=1):
        if not isinstance(raw, Mapping):
            found.add(
                "unreadable-handover",
                BREAK,
                (number,),
                f"Hand-over {number} is not a record of who handed the sample to whom and when,"
                " so it cannot be checked.",
            )
            previous = last = None
            continue
        this = _handover(number, raw)
        last = this
        _check_parties(found, this, previous, collector, quote)
        _check_time(found, this, timed, collected_at, analysed_at, quote)
        if isinstance(this.at, _Moment):
            timed = this
        if this.seal is not None:
            if sealed is not None and sealed.seal != this.seal and not this.noted:
                found.add(
                    "seal-changed",
                    BREAK,
                    (sealed.number, number),
                    (
                        f"The seal changes from '{sealed.seal_shown}' (hand-over"
                        f" {sealed.number}) to '{this.seal_shown}' (hand-over {number})"
                        if quote
                        else f"The seal recorded at hand-over {number} differs from the one"
                        f" recorded at hand-over {sealed.number}"
                    )
                    + " with no note to explain it: the container may have been opened.",
                )
            sealed = this
        elif previous is not None and previous.seal is not None and not this.noted:
            found.add(
                "seal-missing",
                BREAK,
                (previous.number, number),
                f"Hand-over {number} records no seal, though hand-over {previous.number} had"
                " one, and no note explains it: whether the container was still sealed is not"
                " recorded.",
            )
        previous = this

    if last is not None and laboratory is not None and last.taker not in (None, laboratory):
        found.add(
            "not-at-laboratory",
            BREAK,
            (last.number,),
            (
                f"The last hand-over ({last.number}) goes to '{last.taker_shown}', not to"
                f" the laboratory named, '{_shown(fields.get('laboratory'))}'"
                if quote
                else f"The last hand-over ({last.number}) does not go to the laboratory named"
            )
            + ": how the sample reached the laboratory is not recorded.",
        )
    return found.result()


def _check_parties(
    found: _Findings,
    this: _Handover,
    previous: _Handover | None,
    collector: _Party,
    quote: bool,
) -> None:
    """Who handed the sample over and who received it: present, different, and continuous."""
    n = this.number
    missing = [
        role
        for role, name in (
            ("who handed the sample over", this.giver),
            ("who received it", this.taker),
        )
        if name is None
    ]
    if missing:
        found.add(
            "missing-party",
            BREAK,
            (n,),
            f"Hand-over {n} does not say {' or '.join(missing)}.",
        )
    if this.giver is not None and this.giver == this.taker:
        found.add(
            "self-handover",
            WARNING,
            (n,),
            (
                f"Hand-over {n} is from '{this.giver_shown}' to '{this.taker_shown}'"
                if quote
                else f"Hand-over {n} is from and to the same person"
            )
            + ": it records no change of hands.",
        )
    if n == 1 and collector.key is not None and this.giver not in (None, collector.key):
        found.add(
            "first-not-collector",
            BREAK,
            (n,),
            (
                f"Hand-over 1 is from '{this.giver_shown}', but the sample was collected by"
                f" '{collector.shown}'"
                if quote
                else "Hand-over 1 is not from the person who collected the sample"
            )
            + ": who held it between collection and the first hand-over is not recorded.",
        )
    if (
        previous is not None
        and previous.taker is not None
        and this.giver is not None
        and this.giver != previous.taker
    ):
        found.add(
            "gap-in-chain",
            BREAK,
            (previous.number, n),
            (
                f"Hand-over {n} is from '{this.giver_shown}', but hand-over {previous.number}"
                f" went to '{previous.taker_shown}'"
                if quote
                else f"Hand-over {n} is not from the person hand-over {previous.number} went to"
            )
            + ": who held the sample in between is not recorded.",
        )


def _check_time(
    found: _Findings,
    this: _Handover,
    timed: _Handover | None,
    collected: _Moment | None,
    analysed: _Moment | None,
    quote: bool,
) -> None:
    """When the hand-over happened: readable, in order, within collection and analysis, and
    not after an unexplained long wait."""
    n = this.number
    at = this.at
    if at is None:
        found.add(
            "missing-time",
            BREAK,
            (n,),
            f"Hand-over {n} has no time, so it cannot be placed in the chain.",
        )
        return
    if isinstance(at, _Unreadable):
        shown = f" '{at.shown}'" if quote and at.shown is not None else ""
        found.add(
            "unreadable-time",
            BREAK,
            (n,),
            f"The time of hand-over {n}{shown} is not a date or an ISO 8601 date-time, so it"
            " cannot be placed in the chain.",
        )
        return

    def when(moment: _Moment) -> str:
        return f" ({moment.shown})" if quote else ""

    if collected is not None and _before(at, collected):
        found.add(
            "before-collection",
            BREAK,
            (n,),
            f"Hand-over {n}{when(at)} is dated before the sample was collected{when(collected)}.",
        )
    if analysed is not None and _before(analysed, at):
        found.add(
            "after-analysis",
            BREAK,
            (n,),
            f"Hand-over {n}{when(at)} is dated after the laboratory analysed the"
            f" sample{when(analysed)}.",
        )
    if timed is not None and isinstance(timed.at, _Moment):
        if _before(at, timed.at):
            found.add(
                "out-of-order",
                BREAK,
                (timed.number, n),
                f"Hand-over {n}{when(at)} is dated before hand-over {timed.number}"
                f"{when(timed.at)}, which it follows in the record.",
            )
        elif not this.noted:
            _check_interval(found, (timed.number, n), timed.at, at, quote)
    elif timed is None and n == 1 and collected is not None and not this.noted:
        _check_interval(found, (n,), collected, at, quote)


def _check_interval(
    found: _Findings, handovers: tuple[int, ...], first: _Moment, second: _Moment, quote: bool
) -> None:
    gap = _least_gap(first, second)
    if gap <= LONG_INTERVAL.total_seconds():
        return
    limit = LONG_INTERVAL.days
    start = f"hand-over {handovers[0]}" if len(handovers) == 2 else "the sample's collection"
    days = int(gap // 86400)
    amount = f"At least {days} days pass" if quote else f"More than {limit} days pass"
    found.add(
        "long-interval",
        WARNING,
        handovers,
        f"{amount} between {start} and hand-over {handovers[-1]} with no note to explain the"
        f" wait (waits over {limit} days are reported).",
    )
