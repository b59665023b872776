"""RFC 3161 timestamps over the manifest, from an authority the tests start themselves."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from bundle_helpers import CASE_NAME, PASSPHRASE, Made, failed_lines, rewrite, verify_both
from click.testing import CliRunner
from tsa import Authority, authority

from enquiry.app import Enquiry, bundles
from enquiry.cli import main
from enquiry.errors import EnquiryError
from enquiry.publish import bundle_check, signing


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Authority]:
    with authority(tmp_path_factory.mktemp("tsa")) as served:
        yield served


@pytest.fixture(scope="module")
def stamped(made: Made, tsa: Authority) -> Path:
    origin = Enquiry.at(made.home, "panel-secretary")
    out = made.root / "stamped.zip"
    bundles.export_bundle(
        origin, out, case=CASE_NAME, sign="panel", passphrase=PASSPHRASE, tsa=tsa.url
    )
    return out


def _both(*args: str | Path) -> tuple[int, str]:
    status, out, err = verify_both(*args)
    return status, out + err


def test_a_stamped_bundle_verifies_against_the_pinned_authority(
    made: Made, tsa: Authority, stamped: Path
) -> None:
    with zipfile.ZipFile(stamped) as archive:
        manifest = archive.read("manifest.json")
        token = bundle_check.parse_token(archive.read("timestamp.tsr"))
    assert token.imprint == hashlib.sha256(manifest).digest()
    assert any(hashlib.sha256(manifest).digest() in request for request in tsa.requests)
    status, output = _both(stamped, "--key", made.key, "--tsa-cert", tsa.certificate)
    assert status == 0, output
    assert "timestamp: covers the manifest, signed by CN=enquiry test TSA at " in output


def test_the_test_authority_speaks_rfc_3161_as_openssl_reads_it(
    stamped: Path, tsa: Authority, tmp_path: Path
) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    with zipfile.ZipFile(stamped) as archive:
        (tmp_path / "manifest.json").write_bytes(archive.read("manifest.json"))
        (tmp_path / "token.der").write_bytes(archive.read("timestamp.tsr"))
    result = subprocess.run(
        [
            "openssl", "ts", "-verify", "-token_in", "-in", str(tmp_path / "token.der"),
            "-data", str(tmp_path / "manifest.json"), "-CAfile", str(tsa.certificate),
        ],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0 and "Verification: OK" in result.stdout, result.stderr


def test_a_token_that_does_not_cover_the_manifest_is_named(
    made: Made, tsa: Authority, stamped: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(stamped) as archive:
        foreign = archive.read("timestamp.tsr")
    bad = rewrite(
        made.bundle, tmp_path / "moved.zip", extra=[("timestamp.tsr", foreign)]
    )  # a token taken from another bundle
    status, output = _both(bad, "--key", made.key, "--tsa-cert", tsa.certificate)
    assert status == 1
    (line,) = failed_lines(output)
    assert line.startswith("FAILED: timestamp.tsr: does not cover the manifest (it stamps ")


def test_a_damaged_token_signature_is_named(
    made: Made, tsa: Authority, stamped: Path, tmp_path: Path
) -> None:
    def flip(name: str, data: bytes) -> bytes:
        return data[:-3] + bytes([data[-3] ^ 1]) + data[-2:] if name == "timestamp.tsr" else data

    bad = rewrite(stamped, tmp_path / "sig.zip", flip)
    status, output = _both(bad, "--key", made.key, "--tsa-cert", tsa.certificate)
    assert status == 1
    assert failed_lines(output) == [
        "FAILED: timestamp.tsr: bad signature — not signed by the pinned authority"
    ]


def test_a_pinned_authority_requires_a_timestamp(made: Made, tsa: Authority) -> None:
    status, output = _both(made.bundle, "--key", made.key, "--tsa-cert", tsa.certificate)
    assert status == 1
    assert failed_lines(output) == [
        "FAILED: timestamp.tsr: missing — the bundle carries no timestamp"
    ]


def test_with_a_timestamp_revocation_is_judged_by_the_authoritys_clock(
    made: Made, stamped: Path, tsa: Authority, tmp_path: Path
) -> None:
    private = signing.unlock(made.home, "panel", PASSPHRASE)
    document = json.loads(made.key.read_text())
    document["revocation"] = {
        "at": "2999-01-01",
        "signature": signing.revoke(private, "2999-01-01"),
    }
    key = tmp_path / "revoked.pub.json"
    key.write_text(json.dumps(document))
    status, output = _both(stamped, "--key", key, "--tsa-cert", tsa.certificate)
    assert status == 0
    assert "signed before, at " in output and "(the timestamping authority's clock)" in output


def test_an_authority_that_stamps_another_hash_leaves_no_bundle(
    made: Made, tsa: Authority, tmp_path: Path
) -> None:
    origin = Enquiry.at(made.home, "panel-secretary")
    tsa.stamp_other = True
    try:
        with pytest.raises(EnquiryError, match="the token stamps another hash; the bundle was not"):
            bundles.export_bundle(origin, tmp_path / "b.zip", case=CASE_NAME, tsa=tsa.url)
    finally:
        tsa.stamp_other = False
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_authority_is_one_line(made: Made, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "--home", str(made.home), "bundle", "export", "--case", CASE_NAME,
            "-o", str(tmp_path / "b.zip"), "--tsa", "http://127.0.0.1:9/tsa",
        ],
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "enquiry: timestamping authority http://127.0.0.1:9/tsa: cannot be reached ("
    )
    assert result.stderr.rstrip().endswith("the bundle was not written")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://[::1/tsa", "enquiry: timestamping authority 'http://[::1/tsa': not a URL ("),
        (
            "http://127.0.0.1:99999/tsa",
            "enquiry: timestamping authority 'http://127.0.0.1:99999/tsa': not a URL (",
        ),
        ("http:///tsa", "enquiry: timestamping authority 'http:///tsa': not an http(s) URL"),
        (
            "https://panel:s3cret-Pass@tsa.example.org/",
            "enquiry: timestamping authority 'https://***@tsa.example.org/': a name or password",
        ),
    ],
)
def test_an_authority_url_that_cannot_be_asked_is_one_line(
    made: Made, tmp_path: Path, url: str, said: str
) -> None:
    """Unclosed brackets reached urllib as a traceback; a password in the URL would have been
    printed by every message naming the authority, and never sent to it."""
    result = CliRunner().invoke(
        main,
        [
            "--home", str(made.home), "bundle", "export", "--case", CASE_NAME,
            "-o", str(tmp_path / "b.zip"), "--tsa", url,
        ],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(said)
    assert "s3cret" not in result.output + result.stderr
    assert list(tmp_path.iterdir()) == []
