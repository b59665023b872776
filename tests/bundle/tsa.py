"""A minimal RFC 3161 timestamping authority on 127.0.0.1, for tests: an ECDSA P-256 key, a
self-signed certificate marked for time stamping, and a token (CMS SignedData over a TSTInfo)
for every request's SHA-256 imprint."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from enquiry.publish import bundle_check
from enquiry.publish.timestamp import (
    SHA256,
    der_element,
    der_integer,
    der_octets,
    der_oid,
    der_sequence,
    der_set,
)

SIGNED_DATA = "1.2.840.113549.1.7.2"
TST_INFO = "1.2.840.113549.1.9.16.1.4"
CONTENT_TYPE = "1.2.840.113549.1.9.3"
MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47"
ECDSA_SHA256 = "1.2.840.10045.4.3.2"


@dataclass
class Authority:
    url: str
    certificate: Path  # PEM, to pin with --tsa-cert
    requests: list[bytes]
    stamp_other: bool = False  # misbehave: stamp a different hash than asked


def _certificate(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "enquiry test TSA")])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )


def token(
    key: ec.EllipticCurvePrivateKey,
    cert: x509.Certificate,
    imprint: bytes,
    nonce: bytes,
    serial: int,
) -> bytes:
    """A TimeStampToken for ``imprint`` (the request's MessageImprint, as DER)."""
    when = datetime.now(UTC).strftime("%Y%m%d%H%M%S.%fZ").encode()
    tst = der_sequence(
        der_integer(1),
        der_oid("1.3.6.1.4.1.99999.1"),
        imprint,
        der_integer(serial),
        der_element(0x18, when),
        nonce,
    )
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    # RFC 5816: which certificate signed (ESSCertIDv2, SHA-256 by default).
    essid = der_sequence(der_sequence(der_sequence(der_octets(hashlib.sha256(cert_der).digest()))))
    attributes = [
        der_sequence(der_oid(CONTENT_TYPE), der_set(der_oid(TST_INFO))),
        der_sequence(der_oid(SIGNING_CERTIFICATE_V2), der_set(essid)),
        der_sequence(der_oid(MESSAGE_DIGEST), der_set(der_octets(hashlib.sha256(tst).digest()))),
    ]
    signed = der_set(*attributes)
    signature = key.sign(signed, ec.ECDSA(hashes.SHA256()))
    issuer = cert.issuer.public_bytes()
    signer_info = der_sequence(
        der_integer(1),
        der_sequence(issuer, der_integer(cert.serial_number)),
        der_sequence(der_oid(SHA256)),
        b"\xa0" + signed[1:],  # [0] IMPLICIT SET OF Attribute
        der_sequence(der_oid(ECDSA_SHA256)),
        der_octets(signature),
    )
    signed_data = der_sequence(
        der_integer(3),
        der_set(der_sequence(der_oid(SHA256))),
        der_sequence(der_oid(TST_INFO), der_element(0xA0, der_octets(tst))),
        der_element(0xA0, cert_der),
        der_set(signer_info),
    )
    return der_sequence(der_oid(SIGNED_DATA), der_element(0xA0, signed_data))


@contextmanager
def authority(folder: Path) -> Iterator[Authority]:
    """Serve the authority on a free port until the block ends."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(key)
    pem = folder / "tsa.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    state = Authority("", pem, [])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append(body)
            _tag, start, end = bundle_check.der(body)
            parts = bundle_check.der_children(body, start, end)
            imprint = body[parts[1][1] : parts[1][3]]
            if state.stamp_other:
                imprint = der_sequence(
                    der_sequence(der_oid(SHA256), b"\x05\x00"), der_octets(b"\x00" * 32)
                )
            nonce = next((body[p[1] : p[3]] for p in parts[2:] if p[0] == 0x02), b"")
            answer = der_sequence(
                der_sequence(der_integer(0)), token(key, cert, imprint, nonce, len(state.requests))
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/tsa"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
