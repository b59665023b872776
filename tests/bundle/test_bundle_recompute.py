"""A finding's numbers are recomputed from its inputs by `enquiry bundle verify` (and before an
import): the inputs hashing as the finding says proves only that the finding names them, and a
signer could publish, over honest inputs, a posterior the engine never gave. The stand-alone
verifier, which imports nothing of enquiry, cannot see that; enquiry's own check does."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bundle_helpers import SLUG, Made, reprinted_report, resigned
from click.testing import CliRunner

from enquiry.app import Enquiry, bundles
from enquiry.cli import main
from enquiry.errors import Unverified

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_bundle.py"
FINDING = f"findings/{SLUG}.json"
REPORT = f"report/{SLUG}.html"


def _cooked(made: Made, target: Path, cook: Callable[[dict[str, Any]], None]) -> Path:
    """The bundle as its own signer could re-make it: the finding's body changed by ``cook``,
    its report's figures printed again to match (page and PDF), and the manifest signed
    again."""
    with zipfile.ZipFile(made.bundle) as archive:
        body = json.loads(archive.read(FINDING))
        page = archive.read(REPORT)
    cook(body)
    data = (json.dumps(body, indent=1, sort_keys=True) + "\n").encode("utf-8")
    return resigned(made, target, {FINDING: data, **reprinted_report(page, body, SLUG)})


def _verify(path: Path, made: Made) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["bundle", "verify", str(path), "--key", str(made.key)])
    return result.exit_code, result.output


def _raise_the_leader(body: dict[str, Any]) -> None:
    leading = body["result"]["leading"]
    for hypothesis in body["result"]["hypotheses"]:
        if hypothesis["id"] == leading:
            hypothesis["posterior"] = round(min(0.999, hypothesis["posterior"] + 0.05), 3)


def test_an_honest_bundle_has_every_number_recomputed(made: Made) -> None:
    code, output = _verify(made.bundle, made)
    assert code == 0, output
    assert f"finding {SLUG}: every number recomputed from its inputs by engine" in output


def test_a_posterior_its_signer_raised_fails_the_check_and_the_import(
    made: Made, tmp_path: Path
) -> None:
    cooked = _cooked(made, tmp_path / "cooked.zip", _raise_the_leader)
    # the stand-alone verifier sees a signed bundle whose finding's inputs hash as it says
    alone = subprocess.run(
        [sys.executable, str(TOOL), str(cooked), "--key", str(made.key)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert alone.returncode == 0, alone.stdout + alone.stderr
    code, output = _verify(cooked, made)
    assert code == 1, output
    failed = [line for line in output.splitlines() if line.startswith("FAILED:")]
    assert len(failed) == 1, output
    assert f"finding {SLUG}: the engine does not give the result the bundle carries" in failed[0]
    assert "posterior" in failed[0] and "recomputed" in failed[0]
    successor = Enquiry.at(tmp_path / "successor", "successor")
    with pytest.raises(Unverified, match="the engine does not give the result"):
        bundles.import_bundle(successor, cooked, key=made.key)
    assert not (tmp_path / "successor" / "home.json").exists()


def test_a_dropped_warning_or_a_changed_band_is_found(made: Made, tmp_path: Path) -> None:
    def drop_warnings(body: dict[str, Any]) -> None:
        body["result"]["warnings"] = body["result"]["warnings"][1:] or ["all is well"]

    def another_band(body: dict[str, Any]) -> None:
        body["result"]["band"] = "almost certain"

    for name, cook in (("warnings", drop_warnings), ("band", another_band)):
        code, output = _verify(_cooked(made, tmp_path / f"{name}.zip", cook), made)
        assert code == 1, output
        assert f"result.{name}" in output, output


def test_a_finding_of_another_engine_is_noted_not_recomputed(made: Made, tmp_path: Path) -> None:
    def older(body: dict[str, Any]) -> None:
        body["engine_version"] = "0"
        _raise_the_leader(body)

    code, output = _verify(_cooked(made, tmp_path / "older.zip", older), made)
    assert code == 0, output
    assert f"note: finding {SLUG}: made by engine 0" in output
    assert "not recomputed" in output


def test_inputs_the_engine_cannot_read_fail_in_one_line(made: Made, tmp_path: Path) -> None:
    def broken(body: dict[str, Any]) -> None:
        body["inputs"]["hypotheses"] = "none"
        canonical = json.dumps(
            body["inputs"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        body["inputs_sha256"] = hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    code, output = _verify(_cooked(made, tmp_path / "broken.zip", broken), made)
    assert code == 1, output
    failed = [line for line in output.splitlines() if line.startswith("FAILED:")]
    assert len(failed) == 1, output  # the inputs hash as the finding says: only this fails
    assert f"finding {SLUG}: its inputs cannot be analysed by the engine it names" in failed[0]


@pytest.mark.parametrize(
    ("aside", "said"),
    [
        ("none", "set_aside is not an object of scenarios"),
        ({"x": {"evidence": "all"}}, "set_aside.x names no evidence set aside"),
        ({"x": {"evidence": []}}, "set_aside.x.leader_posterior is missing from the bundle"),
    ],
)
def test_a_scenario_set_aside_that_is_not_the_engines_fails(
    made: Made, tmp_path: Path, aside: Any, said: str
) -> None:
    def add(body: dict[str, Any]) -> None:
        body["set_aside"] = aside

    code, output = _verify(_cooked(made, tmp_path / "aside.zip", add), made)
    assert code == 1, output
    assert said in output, output
