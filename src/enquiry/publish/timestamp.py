"""RFC 3161: asking a timestamping authority to vouch for when a bundle's manifest existed.

The signer's own clock says when a bundle was signed; an authority's token says it
independently, so a revoked key cannot sign a backdated bundle. The request carries only the
manifest's SHA-256 (nothing of the case leaves the home), and the token that comes back is
checked to cover that hash before it goes into the bundle. The URL is configured with
``ENQUIRY_TSA_URL`` (or given per export).
"""

from __future__ import annotations

import hashlib
import secrets
import urllib.error
import urllib.request

from enquiry.publish import bundle_check

TSA_ENV = "ENQUIRY_TSA_URL"
MAX_RESPONSE = 1 << 20


class TimestampError(Exception):
    """The authority could not be reached or gave no usable token; the message says which."""


def der_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    body = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def der_element(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + der_length(len(content)) + content


def der_sequence(*parts: bytes) -> bytes:
    return der_element(0x30, b"".join(parts))


def der_set(*parts: bytes) -> bytes:
    return der_element(0x31, b"".join(sorted(parts)))


def der_integer(value: int) -> bytes:
    body = value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True)
    return der_element(0x02, body)


def der_oid(dotted: str) -> bytes:
    numbers = [int(part) for part in dotted.split(".")]
    body = bytearray([40 * numbers[0] + numbers[1]])
    for number in numbers[2:]:
        chunk = [number & 0x7F]
        number >>= 7
        while number:
            chunk.append(0x80 | (number & 0x7F))
            number >>= 7
        body.extend(reversed(chunk))
    return der_element(0x06, bytes(body))


def der_octets(value: bytes) -> bytes:
    return der_element(0x04, value)


SHA256 = "2.16.840.1.101.3.4.2.1"


def request(digest: bytes, nonce: int) -> bytes:
    """A TimeStampReq for a SHA-256 digest, asking for the authority's certificate."""
    imprint = der_sequence(der_sequence(der_oid(SHA256), b"\x05\x00"), der_octets(digest))
    return der_sequence(der_integer(1), imprint, der_integer(nonce), b"\x01\x01\xff")


def stamp(url: str, data: bytes, *, timeout: float = 30.0) -> bytes:
    """The authority's token over the SHA-256 of ``data``, checked to cover it."""
    digest = hashlib.sha256(data).digest()
    body = request(digest, secrets.randbits(63))
    post = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/timestamp-query"}, method="POST"
    )
    try:
        with urllib.request.urlopen(post, timeout=timeout) as response:
            answer: bytes = response.read(MAX_RESPONSE + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise TimestampError(
            f"timestamping authority {url}: cannot be reached ({reason})"
        ) from None
    if len(answer) > MAX_RESPONSE:
        raise TimestampError(f"timestamping authority {url}: answer too large")
    try:
        _tag, start, end = bundle_check.der(answer)
        parts = bundle_check.der_children(answer, start, end)
        status_info = bundle_check.der_children(answer, parts[0][2], parts[0][3])
        status = int.from_bytes(answer[status_info[0][2] : status_info[0][3]], "big")
        if status not in (0, 1) or len(parts) < 2:
            raise TimestampError(f"timestamping authority {url}: refused (status {status})")
        token = answer[parts[1][1] : parts[1][3]]
        parsed = bundle_check.parse_token(token)
    except (ValueError, IndexError, StopIteration) as exc:
        raise TimestampError(
            f"timestamping authority {url}: not a timestamp response ({exc})"
        ) from None
    if parsed.imprint != digest:
        raise TimestampError(f"timestamping authority {url}: the token stamps another hash")
    return token
