"""A new home is its owner's alone, and verify notes a home other users of the machine may
enter: its vault holds evidence in the clear, its catalogue the accounts' password hashes."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from enquiry.cli import main
from enquiry.store import open_store


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


def test_a_home_made_by_another_process_a_moment_before_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two intakes started together into a new home: the second sees no folder, the first
    makes it, then the second makes it too. That second one opens the home, not fails with
    'File exists'."""
    home = tmp_path / "home"
    made = Path.mkdir

    def made_just_before(self: Path, *args: Any, **kwargs: Any) -> None:
        if self == home and not self.exists():
            made(self, mode=0o700)  # the other process, between the look and the make
        made(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", made_just_before)
    store = open_store(home, "tester")
    try:
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        assert (home / "vault").is_dir()
    finally:
        store.engine.dispose()
