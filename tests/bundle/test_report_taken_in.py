"""A report on a case taken in from a bundle says whose word it rests on.

What a bundle brings (items, their custody before the import, ratings) rests on whoever made
it. When nothing in the importing home vouched for the key that signed it (no ``--key``, not
one of the home's own keys), or it is not signed at all, the report's limitations say so,
naming the key as it calls itself, its fingerprint and the manifest, from the ledger's import
event; a bundle whose signer was vouched for adds no such line."""

from __future__ import annotations

import html
from pathlib import Path

from bundle_helpers import CASE_NAME, SLUG, Made, manifest

from enquiry.app import Enquiry, bundles, publishing


def _limitations(app: Enquiry, out: Path) -> str:
    publishing.report(app, SLUG, out)
    page = out.read_text(encoding="utf-8")
    return html.unescape(page.split('id="limitations"', 1)[1].split('id="parties"', 1)[0])


def test_a_case_from_a_bundle_nobody_here_vouched_for_says_so(made: Made, tmp_path: Path) -> None:
    body = manifest(made.bundle)
    fingerprint = str(body["signer"]["fingerprint"])
    successor = Enquiry.at(tmp_path / "successor", "successor")
    bundles.import_bundle(successor, made.bundle)
    section = _limitations(successor, tmp_path / "report.html")
    assert "This case was taken in on " in section
    assert f"signed by a key calling itself 'panel' (fingerprint {fingerprint[:16]})" in section
    assert "that nothing in this home vouched for" in section
    assert "rests on the word of whoever made that bundle" in section


def test_a_case_from_a_bundle_vouched_for_adds_no_such_line(made: Made, tmp_path: Path) -> None:
    successor = Enquiry.at(tmp_path / "successor", "successor")
    bundles.import_bundle(successor, made.bundle, key=made.key)
    section = _limitations(successor, tmp_path / "report.html")
    assert "taken in" not in section and "whoever made that bundle" not in section


def test_a_case_from_an_unsigned_bundle_says_so(made: Made, tmp_path: Path) -> None:
    origin = Enquiry.at(made.home, "panel-secretary")
    unsigned = bundles.export_bundle(origin, tmp_path / "unsigned.zip", case=CASE_NAME)
    successor = Enquiry.at(tmp_path / "successor", "successor")
    bundles.import_bundle(successor, unsigned.path)
    section = _limitations(successor, tmp_path / "report.html")
    assert "from a bundle that is not signed (manifest SHA-256 " in section
    assert unsigned.manifest_sha256[:16] in section
