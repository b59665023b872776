"""A new home is its owner's alone, and verify notes a home other users of the machine may
enter: its vault holds evidence in the clear, its catalogue the accounts' password hashes."""

from __future__ import annotations

import stat
from pathlib import Path

from click.testing import CliRunner

from enquiry.cli import main


def test_a_new_home_is_its_owner_s_alone_and_an_open_one_is_noted(tmp_path: Path) -> None:
    home = tmp_path / "deep" / "home"
    evidence = tmp_path / "note.txt"
    evidence.write_text("a crater by the silos\n", encoding="utf-8")
    runner = CliRunner()
    added = runner.invoke(main, ["--home", str(home), "add", str(evidence), "--case", "c"])
    assert added.exit_code == 0, added.output
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    checked = runner.invoke(main, ["--home", str(home), "verify"])
    assert checked.exit_code == 0, checked.output
    assert "other users of this machine" not in checked.output

    home.chmod(0o755)
    checked = runner.invoke(main, ["--home", str(home), "verify"])
    assert checked.exit_code == 0, checked.output
    assert f"'chmod 700 {home}'" in checked.output and "mode 755" in checked.output
