"""What is written with a reveal names protected witnesses: the report, an export and a dump so
written are their owner's alone, whatever the umask; the same outputs without a reveal are
written as the umask says (they are made to be shared)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from protection_helpers import INCIDENT, NAME, Cli


@pytest.fixture
def shared_umask() -> Iterator[None]:
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_revealed_outputs_are_their_owner_s_alone(
    worked: Cli, tmp_path: Path, shared_umask: None
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    worked("report", INCIDENT, "-o", str(out / "plain.html"))
    worked("report", INCIDENT, "-o", str(out / "revealed.html"), "--reveal")
    assert _mode(out / "plain.html") == 0o644
    assert _mode(out / "revealed.html") == 0o600
    assert NAME in (out / "revealed.html").read_text(encoding="utf-8")

    worked("export", "geojson", "--case", "saltworks", "-o", str(out / "plain.geojson"))
    worked("export", "csv", "--case", "saltworks", "-o", str(out / "revealed.zip"), "--reveal")
    assert _mode(out / "plain.geojson") == 0o644
    assert _mode(out / "revealed.zip") == 0o600

    worked("dump", "saltworks", "-o", str(out / "plain.yaml"))
    worked("dump", "saltworks", "-o", str(out / "revealed.yaml"), "--reveal")
    assert _mode(out / "plain.yaml") == 0o644
    assert _mode(out / "revealed.yaml") == 0o600
    assert NAME in (out / "revealed.yaml").read_text(encoding="utf-8")
    attachments = out / "revealed.files"
    assert attachments.is_dir() and _mode(attachments) == 0o700
