"""The demonstration signs its case with a key of its own, and an outsider can check it."""

from __future__ import annotations

from bundle_helpers import tool

from demo_helpers import DemoRun


def test_demo_writes_a_bundle_an_outsider_can_check(demo_with_pdf: DemoRun) -> None:
    home = demo_with_pdf.home
    bundle = home / "bundles" / "khan-shaykhun.zip"
    public = home / "bundles" / "demo.pub.json"
    assert f"signed bundle: {bundle} (key 'demo'" in demo_with_pdf.output
    assert (home / "keys" / "demo.key").read_bytes().startswith(b"-----BEGIN ENCRYPTED")
    checked = tool(bundle, "--key", public)
    assert checked.returncode == 0, checked.stdout
    assert "signature: valid, by key 'demo'" in checked.stdout
    assert checked.stdout.splitlines()[-1] == f"VERIFIED: {bundle}"
