"""A case file written by a JSON tool spells a character outside the basic plane as a UTF-16
surrogate pair in double quotes ("\\ud83d\\udc68"), which YAML accepts. It is read as the
character; a surrogate left alone is refused with the file, line and column — before, both
crashed the load with a traceback when the database was asked to store them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from enquiry.app import Enquiry, cases
from enquiry.cli import main


def test_a_surrogate_pair_is_read_as_its_character(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        'format: enquiry-case/1\ncase: {name: sg, title: "Family \\ud83d\\udc68 at the well"}\n',
        encoding="utf-8",
    )
    app = Enquiry.at(tmp_path / "home", "admin")
    cases.load(app, path)
    listed = CliRunner().invoke(
        main, ["--home", str(tmp_path / "home"), "dump", "sg"], catch_exceptions=False
    )
    assert "Family \U0001f468 at the well" in listed.output


def test_a_lone_surrogate_is_one_line_naming_where(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(
        'format: enquiry-case/1\ncase: {name: sg, title: "lone \\ud83d here"}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), "load", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"enquiry: {path}:2:25: a lone UTF-16 surrogate (\\ud83d) is not a character"
    ]
