"""Verify holds every recorded digest packed; packing must never make two different
recordings equal, nor lose the event number that recorded a row."""

from __future__ import annotations

import hashlib

from enquiry.store.verify import _pack, _row_matches, _row_record, _row_seq


def test_a_sha256_is_held_as_its_bytes_and_compares_with_the_hex() -> None:
    digest = hashlib.sha256(b"row").hexdigest()
    assert _pack(digest) == bytes.fromhex(digest)
    record = _row_record(digest, 1_234_567)
    assert isinstance(record, bytes) and len(record) == 40
    assert _row_matches(record, digest)
    assert _row_seq(record) == 1_234_567
    assert not _row_matches(record, hashlib.sha256(b"other").hexdigest())


def test_text_that_is_not_a_lower_case_sha256_never_equals_one() -> None:
    digest = hashlib.sha256(b"row").hexdigest()
    for recorded in (digest.upper(), digest[:63] + "g", " " + digest[:63], "", "None"):
        assert _pack(recorded) == recorded  # kept as it is
        assert _pack(recorded) != _pack(digest)
        record = _row_record(recorded, 7)
        assert record == (recorded, 7)
        assert not _row_matches(record, digest)
        assert _row_seq(record) == 7
