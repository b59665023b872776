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


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"fields: [1, 2\n", "bad.yaml: not a YAML kind file (line 2: expected ',' or ']'"),
        (b"\xff\xfe\x00 fields", "bad.yaml: not a YAML kind file (not UTF-8 text)"),
        (b"x: " + b"[" * 5000 + b"]" * 5000 + b"\n", "bad.yaml: not a YAML kind file (nested"),
        (b"- a list\n", "bad.yaml: a kind file must be a mapping"),
    ],
)
def test_a_kind_file_that_cannot_be_read_stops_the_intake_in_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, said: str
) -> None:
    """It was blamed on every file taken in ("statement.txt: could not be taken in
    (ParserError: …)", or a RecursionError), and each of them rejected."""
    from click.testing import CliRunner

    from enquiry.cli import main

    kinds = tmp_path / "kinds"
    kinds.mkdir()
    (kinds / "bad.yaml").write_bytes(content)
    statement = tmp_path / "statement.txt"
    statement.write_text("A statement.\n", encoding="utf-8")
    monkeypatch.setenv("ENQUIRY_KINDS_PATH", str(kinds))
    reload_kinds()
    try:
        done = CliRunner().invoke(
            main, ["--home", str(tmp_path / "home"), "add", str(statement), "--case", "c"]
        )
        listed = CliRunner().invoke(main, ["kinds", "list"])
    finally:
        monkeypatch.delenv("ENQUIRY_KINDS_PATH")
        reload_kinds()
    for result in (done, listed):
        assert result.exit_code == 2, result.output
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"enquiry: {kinds}/") and said in lines[0]
    assert not (tmp_path / "home" / "vault").exists() or not any(
        (tmp_path / "home" / "vault").rglob("*.txt")
    )


def test_a_kinds_path_that_is_not_a_folder_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its kinds were missing without a word, and files meant for them taken in as another."""
    from enquiry.model.kinds import KindError

    (tmp_path / "intercept.yaml").write_text("label: Intercept\n", encoding="utf-8")
    for named in (tmp_path / "intercept.yaml", tmp_path / "missing"):
        monkeypatch.setenv("ENQUIRY_KINDS_PATH", str(named))
        reload_kinds()
        try:
            with pytest.raises(KindError, match=f"ENQUIRY_KINDS_PATH: {named} is not a folder"):
                get_kind("document")
        finally:
            monkeypatch.delenv("ENQUIRY_KINDS_PATH")
            reload_kinds()


@pytest.mark.parametrize("args", [[], ["case"], ["kinds"]])
def test_a_family_named_without_a_command_shows_its_help(args: list[str]) -> None:
    """Click gives it as a usage error, which came out as one line with its line breaks
    escaped (\\x0a); it is the help, as --help shows it."""
    from click.testing import CliRunner

    from enquiry.cli import main

    done = CliRunner().invoke(main, args, prog_name="enquiry")
    asked = CliRunner().invoke(main, [*args, "--help"], prog_name="enquiry")
    assert done.exit_code == 0 and done.stderr == ""
    assert done.stdout == asked.stdout and done.stdout.startswith("Usage: enquiry")
