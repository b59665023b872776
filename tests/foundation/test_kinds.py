"""Evidence kinds are data: one YAML each, typed fields, errors that name field and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from enquiry.model.kinds import get_kind, reload_kinds
from enquiry.model.types import FieldError

EXPECTED = {
    "document",
    "statement",
    "testimony",
    "medical_record",
    "environmental_sample",
    "photo",
    "video",
    "satellite_image",
    "expert_analysis",
}


def test_every_kind_of_the_mechanism_is_declared() -> None:
    from enquiry.model.kinds import all_kinds

    assert set(all_kinds()) >= EXPECTED


def test_environmental_sample_parses_custody_and_analytes() -> None:
    kind = get_kind("environmental_sample")
    values = kind.validate(
        {
            "sample_id": "ENV-07",
            "collected_at": "2017-04-04T10:15:00+03:00",
            "location": "35.4427, 36.6514",
            "custody": '[{"at": "2017-04-04T12:00Z", "from": "collector", "to": "courier", "seal": "S-19"}]',
            "analytes": [
                {"name": "sarin", "result": "detected", "method": "GC-MS"},
                {"name": "hexamine", "result": "detected"},
            ],
        }
    )
    assert values["location"] == {"lat": 35.4427, "lon": 36.6514}
    assert values["custody"][0]["at"] == "2017-04-04T12:00:00Z"
    assert [a["name"] for a in values["analytes"]] == ["sarin", "hexamine"]


@pytest.mark.parametrize(
    ("kind", "values", "message"),
    [
        (
            "environmental_sample",
            {"sample_id": "E1", "collected_at": "2017-13-45"},
            "field 'collected_at': '2017-13-45'",
        ),
        (
            "environmental_sample",
            {"sample_id": "E1", "location": "95,10"},
            "field 'location': '95,10'",
        ),
        (
            "environmental_sample",
            {"sample_id": "E1", "analytes": [{"name": "sarin", "result": "maybe"}]},
            "field 'analytes[0].result': 'maybe'",
        ),
        ("satellite_image", {"bbox": "36.6,35.5,36.7,35.4"}, "with south < north"),
        (
            "testimony",
            {"interview_date": "2017-04-10"},
            "field 'witness_pseudonym': a value is required",
        ),
        ("testimony", {"witness_pseudonym": "W1", "consent": "perhaps"}, "one of given, withheld"),
        ("photo", {"lens": "50mm"}, "field 'lens': kind 'photo' has no such field"),
    ],
)
def test_validation_errors_name_the_field_and_the_value(
    kind: str, values: dict[str, object], message: str
) -> None:
    with pytest.raises(FieldError) as caught:
        get_kind(kind).validate(values)
    assert message in str(caught.value)


def test_adding_a_kind_is_adding_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "intercept.yaml").write_text(
        "label: Intercepted communication\nextends: _base\n"
        "fields:\n  frequency_mhz: {type: number, required: true}\n  callsign: {type: string}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ENQUIRY_KINDS_PATH", str(tmp_path))
    reload_kinds()
    try:
        kind = get_kind("intercept")
        assert kind.validate({"frequency_mhz": "121.5"}) == {"frequency_mhz": 121.5}
        assert "collected_at" in {f.name for f in kind.fields}  # inherited from _base
    finally:
        monkeypatch.delenv("ENQUIRY_KINDS_PATH")
        reload_kinds()


def test_testimony_marks_identifying_fields() -> None:
    assert set(get_kind("testimony").identifying_fields()) >= {"witness_name", "witness_contact"}


def test_places_in_degrees_minutes_seconds() -> None:
    kind = get_kind("photo")
    parsed = kind.validate({"claimed_place": "35°26'15\"N 36°39'05\"E"})
    assert parsed["claimed_place"] == {"lat": 35.4375, "lon": 36.6513889}
    south = kind.validate({"claimed_place": "33°52′S, 151°12′E"})["claimed_place"]
    assert south["lat"] == pytest.approx(-33.8666667) and south["lon"] == 151.2
    with pytest.raises(FieldError, match="field 'claimed_place': '35°N'"):
        kind.validate({"claimed_place": "35°N"})
