"""An environmental sample's chain of custody, checked hand-over by hand-over: each break and
warning the check names, the normalisation it compares names in, time zones, and fields as
hostile case files give them (missing, of the wrong type, huge, oddly encoded)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from enquiry.model.sample_custody import (
    LONG_INTERVAL,
    MAX_FINDINGS,
    CustodyFinding,
    check_custody,
    has_break,
    sample_findings,
)


def _sample(**changes: Any) -> dict[str, Any]:
    """A sample whose chain holds: collected, sealed, carried twice, analysed."""
    fields: dict[str, Any] = {
        "sample_id": "KS-01",
        "collected_at": "2017-04-04T10:00:00+03:00",
        "collected_by": "Field Team Alpha",
        "laboratory": "Designated Lab 1",
        "analysed_at": "2017-04-20",
        "analytes": [{"name": "sarin", "result": "detected"}],
        "custody": [
            {
                "at": "2017-04-05T09:00:00+03:00",
                "from": "Field Team Alpha",
                "to": "Courier B",
                "seal": "S-100",
            },
            {
                "at": "2017-04-07T12:00:00Z",
                "from": "Courier B",
                "to": "Designated Lab 1",
                "seal": "S-100",
            },
        ],
    }
    fields.update(changes)
    return fields


def _handovers(*entries: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return _sample(custody=list(entries), **changes)


def _codes(findings: tuple[CustodyFinding, ...]) -> list[tuple[str, str, tuple[int, ...]]]:
    return [(f.code, f.severity, f.handovers) for f in findings]


def test_a_chain_that_holds_has_no_finding() -> None:
    assert check_custody(_sample()) == ()


def test_analytes_or_a_laboratory_without_hand_overs_is_no_documented_chain() -> None:
    [both] = check_custody(_sample(custody=[]))
    assert (both.code, both.severity, both.handovers) == ("no-chain", "break", ())
    assert both.message == (
        "Analytes are reported and a laboratory is named, but no hand-over is recorded:"
        " there is no documented chain from collection to the laboratory."
    )
    lab_only = _sample(analytes=None)
    del lab_only["custody"]
    [found] = check_custody(lab_only)
    assert found.code == "no-chain" and found.message.startswith("A laboratory is named, but")
    [found] = check_custody(_sample(custody=None, laboratory=" "))
    assert found.message.startswith("Analytes are reported, but no hand-over")
    # nothing analysed and no laboratory: nothing claims a chain yet
    assert check_custody({"sample_id": "KS-02"}) == ()


def test_the_first_hand_over_must_come_from_the_collector() -> None:
    fields = _sample()
    fields["custody"][0]["from"] = "Local Council"
    [found] = check_custody(fields)
    assert _codes((found,)) == [("first-not-collector", "break", (1,))]
    assert "'Local Council'" in found.message and "'Field Team Alpha'" in found.message
    unknown = _sample(collected_by=None)
    unknown["custody"][0]["from"] = "Local Council"
    assert check_custody(unknown) == ()  # no collector recorded: nothing to compare with


def test_a_gap_between_hand_overs_asks_who_held_it() -> None:
    fields = _sample()
    fields["custody"][1]["from"] = "Courier C"
    [found] = check_custody(fields)
    assert _codes((found,)) == [("gap-in-chain", "break", (1, 2))]
    assert found.message == (
        "Hand-over 2 is from 'Courier C', but hand-over 1 went to 'Courier B': who held the"
        " sample in between is not recorded."
    )


def test_names_are_compared_normalised_never_approximately() -> None:
    fields = _sample()
    # case, white space, compatibility forms (full-width letters), invisible characters
    fields["custody"][0]["to"] = "  COURIER\u00a0\u00a0b "
    fields["custody"][1]["from"] = "Ｃｏｕｒｉｅｒ\u200b B"
    fields["custody"][1]["to"] = "designated  lab 1"
    assert check_custody(fields) == ()
    fields["custody"][1]["from"] = "Courier B."  # one character apart: another name
    assert [f.code for f in check_custody(fields)] == ["gap-in-chain"]


def test_a_hand_over_to_oneself_is_a_warning() -> None:
    fields = _sample()
    fields["custody"].insert(
        1, {"at": "2017-04-06T08:00Z", "from": "Courier B", "to": "courier b", "seal": "S-100"}
    )
    assert _codes(check_custody(fields)) == [("self-handover", "warning", (2,))]


def test_a_hand_over_without_giver_or_receiver_is_a_break() -> None:
    fields = _sample()
    del fields["custody"][1]["from"]
    fields["custody"][1]["to"] = ""
    [found] = check_custody(fields)
    assert _codes((found,)) == [("missing-party", "break", (2,))]
    assert (
        found.message == "Hand-over 2 does not say who handed the sample over or who received it."
    )


def test_times_out_of_order() -> None:
    fields = _sample()
    fields["custody"][1]["at"] = "2017-04-05T05:00:00Z"  # 08:00 at +03:00: before 09:00
    found = check_custody(fields)
    assert _codes(found) == [("out-of-order", "break", (1, 2))]
    assert found[0].message == (
        "Hand-over 2 (2017-04-05T05:00:00Z) is dated before hand-over 1"
        " (2017-04-05T09:00:00+03:00), which it follows in the record."
    )


def test_zoned_and_local_times_are_compared_as_the_zones_allow() -> None:
    # 08:00 local (no zone) after 09:00+03:00 may be 08:00 anywhere from UTC-12 to UTC+14:
    # some zone puts it after, so it is not called out of order
    local = _sample()
    local["custody"][1]["at"] = "2017-04-05T08:00:00"
    assert check_custody(local) == ()
    # a whole day earlier is out of order in every zone
    local["custody"][1]["at"] = "2017-04-04T00:00:00"
    assert "out-of-order" in [f.code for f in check_custody(local)]
    # two local times are read on one clock: 08:00 after 09:00 is out of order
    both = _handovers(
        {"at": "2017-04-05T09:00", "from": "Field Team Alpha", "to": "Courier B"},
        {"at": "2017-04-05T08:00", "from": "Courier B", "to": "Designated Lab 1"},
        collected_at="2017-04-04",
    )
    assert [f.code for f in check_custody(both)] == ["out-of-order"]
    # a date covers its whole day
    days = _handovers(
        {"at": "2017-04-05", "from": "Field Team Alpha", "to": "Courier B"},
        {"at": "2017-04-05T23:59", "from": "Courier B", "to": "Designated Lab 1"},
        collected_at="2017-04-05T10:00",
    )
    assert check_custody(days) == ()


def test_hand_overs_before_collection_or_after_analysis() -> None:
    # a date without a zone may be read in any zone: the 5th ends, at the latest, at 12:00 UTC
    # on the 6th, before hand-over 2
    fields = _sample(collected_at="2017-04-06T00:00:00+03:00", analysed_at="2017-04-05")
    found = check_custody(fields)
    assert _codes(found) == [
        ("before-collection", "break", (1,)),
        ("after-analysis", "break", (2,)),
    ]
    assert found[1].message == (
        "Hand-over 2 (2017-04-07T12:00:00Z) is dated after the laboratory analysed the sample"
        " (2017-04-05)."
    )
    backwards = _sample(collected_at="2017-05-01", analysed_at="2017-04-20", custody=[])
    assert check_custody(backwards)[0].code == "analysis-before-collection"


def test_datetime_and_date_objects_are_read_as_times() -> None:
    zone = timezone(timedelta(hours=3))
    fields = _handovers(
        {"at": datetime(2017, 4, 5, 9, 0, tzinfo=zone), "from": "Field Team Alpha", "to": "B"},
        {"at": date(2017, 4, 6), "from": "B", "to": "Designated Lab 1"},
        collected_at=datetime(2017, 4, 4, 10, 0, tzinfo=zone),
        analysed_at=date(2017, 4, 20),
    )
    assert check_custody(fields) == ()


def test_unreadable_times_are_findings_not_crashes() -> None:
    fields = _sample(collected_at="the morning after", analysed_at=20170420)
    fields["custody"][0]["at"] = "yesterday"
    fields["custody"][1]["at"] = None
    found = check_custody(fields)
    assert _codes(found) == [
        ("unreadable-time", "warning", ()),
        ("unreadable-time", "warning", ()),
        ("unreadable-time", "break", (1,)),
        ("missing-time", "break", (2,)),
    ]
    assert found[0].message.startswith("The collection time 'the morning after' is not a date")
    assert found[1].message.startswith("The analysis time is not a date")  # a number: not quoted
    assert "'yesterday'" in found[2].message


def test_a_seal_that_changes_without_a_note_is_a_break() -> None:
    fields = _sample()
    fields["custody"][1]["seal"] = "S-200"
    [found] = check_custody(fields)
    assert _codes((found,)) == [("seal-changed", "break", (1, 2))]
    assert "'S-100'" in found.message and "'S-200'" in found.message
    fields["custody"][1]["note"] = "Resealed by the courier after customs inspection, S-200."
    assert check_custody(fields) == ()
    fields["custody"][1]["seal"] = " s-100 "  # the same seal, written otherwise
    del fields["custody"][1]["note"]
    assert check_custody(fields) == ()


def test_a_seal_missing_after_sealed_hand_overs_is_a_break() -> None:
    fields = _sample()
    del fields["custody"][1]["seal"]
    assert _codes(check_custody(fields)) == [("seal-missing", "break", (1, 2))]
    fields["custody"][1]["note"] = "Carried in the sealed transport case; seal not recorded."
    assert check_custody(fields) == ()
    unsealed = _sample()
    for handover in unsealed["custody"]:
        del handover["seal"]
    assert check_custody(unsealed) == ()  # never sealed: nothing went missing


def test_the_chain_must_end_at_the_laboratory_named() -> None:
    fields = _sample(laboratory="Designated Lab 2")
    [found] = check_custody(fields)
    assert _codes((found,)) == [("not-at-laboratory", "break", (2,))]
    assert found.message == (
        "The last hand-over (2) goes to 'Designated Lab 1', not to the laboratory named,"
        " 'Designated Lab 2': how the sample reached the laboratory is not recorded."
    )
    [warned] = check_custody(_sample(laboratory=None))
    assert _codes((warned,)) == [("no-laboratory", "warning", ())]


def test_a_long_unexplained_interval_is_a_warning() -> None:
    assert timedelta(days=7) == LONG_INTERVAL
    fields = _sample(analysed_at="2017-05-30")
    fields["custody"][1]["at"] = "2017-04-20T12:00:00Z"
    [found] = check_custody(fields)
    assert _codes((found,)) == [("long-interval", "warning", (1, 2))]
    assert found.message.startswith("At least 15 days pass between hand-over 1 and hand-over 2")
    fields["custody"][1]["note"] = "Held in the mission's locked store over Easter."
    assert check_custody(fields) == ()
    fields["custody"][1]["at"] = "2017-04-12T05:59:00Z"  # under 7 days after 06:00Z on the 5th
    del fields["custody"][1]["note"]
    assert check_custody(fields) == ()
    late = _sample(collected_at="2017-03-01T10:00:00+03:00")
    assert _codes(check_custody(late)) == [("long-interval", "warning", (1,))]


def test_without_quoting_no_value_of_the_fields_is_in_any_sentence() -> None:
    fields = _handovers(
        {"at": "2017-04-05T09:00Z", "from": "Zaynab Qorvash", "to": "Zaynab Qorvash", "seal": "Q1"},
        {"at": "2017-04-01T09:00Z", "from": "Tel Qamar Clinic", "to": "Lab Qx", "seal": "Q2"},
        {"at": "tomorrow-ish", "from": "Lab Qx", "to": "Lab Qy"},
        collected_by="Qorvash family",
        laboratory="Lab Qz",
        collected_at="2017-04-02T00:00Z",
        analysed_at="2017-04-03",
    )
    quoted = check_custody(fields)
    plain = check_custody(fields, quote=False)
    assert [f.code for f in plain] == [f.code for f in quoted]
    assert any("Qorvash" in f.message for f in quoted)
    for finding in plain:
        for secret in ("Qorvash", "Qamar", "Lab Q", "Q1", "Q2", "2017", "tomorrow"):
            assert secret not in finding.message, finding


def test_what_an_output_shows_depends_on_what_is_withheld() -> None:
    assert sample_findings("document", _sample()) is None
    fields = _sample()
    fields["custody"][1]["from"] = "Courier C"
    [shown] = sample_findings("environmental_sample", fields) or ()
    assert "'Courier C'" in shown.message
    [plain] = sample_findings("environmental_sample", fields, withheld=["custody"]) or ()
    assert plain.code == "gap-in-chain" and "Courier" not in plain.message
    [unchecked] = sample_findings("environmental_sample", fields, unavailable=["custody"]) or ()
    assert (unchecked.code, unchecked.severity) == ("not-checked", "warning")
    assert not has_break([unchecked]) and has_break([shown])


@pytest.mark.parametrize(
    "fields",
    [
        None,
        "custody",
        12,
        ["a", "list"],
        {"custody": "handed over twice"},
        {"custody": {"at": "2017-04-05"}, "laboratory": "L"},
        {"custody": [None, 3, "x", ["nested"]], "analytes": 5},
        {"custody": [{"at": {"y": 1}, "from": ["A"], "to": 7, "seal": 3.5, "note": {}}]},
        {"custody": [{"at": True, "from": None, "to": None}], "laboratory": ["L"]},
        {"collected_at": "9999-12-31T23:59:59-23:59", "analysed_at": "0001-01-01"},
        {"custody": [{"at": "0001-01-01T00:00+14:00", "from": "a", "to": "b"}]},
        {"collected_by": "\ud800", "custody": [{"at": "2017", "from": "\udfff", "to": "\x00"}]},
        {"custody": [{"at": "x" * 1_000_000, "from": "y" * 1_000_000, "to": "z"}]},
        {"custody": [{"at": "2017-04-05T09:00+25:00", "from": "a\u202eb", "to": "a\u202eb"}]},
    ],
)
def test_hostile_fields_never_raise(fields: Any) -> None:
    found = check_custody(fields)
    assert isinstance(found, tuple)
    assert all(isinstance(f, CustodyFinding) and f.severity in ("break", "warning") for f in found)
    assert all(len(f.message) < 600 for f in found)  # a huge value is quoted cut short
    assert all("\u202e" not in f.message for f in found)  # an override is named, not obeyed


def test_wrong_shapes_are_named() -> None:
    assert [f.code for f in check_custody("custody")] == ["unreadable-fields"]
    assert [f.code for f in check_custody({"custody": "twice"})] == ["unreadable-custody"]
    found = check_custody(_handovers(None, {"at": "2017-04-06", "from": "x", "to": "y"}))
    assert _codes(found)[0] == ("unreadable-handover", "break", (1,))


def test_ten_thousand_hand_overs_are_checked_in_linear_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each hand-over is read once and compared with a bounded number of others (the one
    before it, the latest timed and sealed ones, collection and analysis): the comparisons
    grow with the chain, not with its square. Counted, not timed."""
    from enquiry.model import sample_custody

    calls = {"compared": 0}
    before = sample_custody._before

    def counting(first: Any, second: Any) -> bool:
        calls["compared"] += 1
        return before(first, second)

    monkeypatch.setattr(sample_custody, "_before", counting)

    def chain(n: int, broken: bool) -> dict[str, Any]:
        start = datetime(2017, 4, 5, tzinfo=UTC)
        entries = [
            {
                "at": (start + timedelta(hours=i)).isoformat(),
                "from": f"holder {i}",
                "to": f"holder {i + 1}" if not (broken and i % 2) else f"someone {i}",
                "seal": "S-1",
            }
            for i in range(n)
        ]
        return {
            "collected_by": "holder 0",
            "collected_at": start.isoformat(),
            "analysed_at": "2018-12-31",
            "laboratory": f"holder {n}",
            "custody": entries,
        }

    assert check_custody(chain(1_000, broken=False)) == ()
    small = calls["compared"]
    calls["compared"] = 0
    assert check_custody(chain(10_000, broken=False)) == ()
    assert calls["compared"] <= 10 * small + 10
    broken = check_custody(chain(10_000, broken=True))
    assert len(broken) == MAX_FINDINGS + 1  # the rest counted, not listed
    assert broken[-1].code == "more-findings" and broken[-1].severity == "break"
    assert broken[-1].message.startswith("4900 more finding(s), 4900 of them break(s)")
