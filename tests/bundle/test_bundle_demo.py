"""The demonstration signs its case with a key of its own, and an outsider can check it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bundle_helpers import tool


def test_demo_writes_a_bundle_an_outsider_can_check(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("ENQUIRY_DB", "ENQUIRY_HOME")}
    env.pop("ENQUIRY_KEY_PASSPHRASE", None)  # the demo must not ask for one
    result = subprocess.run(
        [sys.executable, "-m", "enquiry.cli", "--home", str(home), "demo", "--no-serve"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    bundle = home / "bundles" / "khan-shaykhun.zip"
    public = home / "bundles" / "demo.pub.json"
    assert f"signed bundle: {bundle} (key 'demo'" in result.stdout
    assert (home / "keys" / "demo.key").read_bytes().startswith(b"-----BEGIN ENCRYPTED")
    checked = tool(bundle, "--key", public)
    assert checked.returncode == 0, checked.stdout
    assert "signature: valid, by key 'demo'" in checked.stdout
    assert checked.stdout.splitlines()[-1] == f"VERIFIED: {bundle}"
