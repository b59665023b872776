"""Property-based tests of intake: whatever the file names and contents, no crash, no traceback,
no stored inconsistency.

Names are arbitrary bytes (control characters, invalid UTF-8, up to the file system's 255-byte
limit); contents are empty, tiny, random, or real JPEG/PNG/PDF/MP4/HTML files cut off at any
byte. Each file is either stored — its blob named by the SHA-256 of exactly its bytes, and the
store verifying clean — or rejected with one line saying why. The real readers run on them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))

import samples

from enquiry.enrich import default_extractors
from enquiry.intake.pipeline import IntakeOptions, add_paths
from enquiry.intake.walk import printable
from enquiry.store import Store, open_store
from enquiry.store.verify import verify


@functools.cache
def _real_files() -> list[bytes]:
    """Whole sample files, made once, when the first example asks for one."""
    from PIL import Image

    folder = Path(tempfile.mkdtemp(prefix="enquiry-samples-"))
    made = [
        samples.jpeg_with_exif(folder / "a.jpg"),
        samples.pdf(folder / "a.pdf"),
        samples.mp4(folder / "a.mp4", seconds=0.5),
        samples.html(folder / "a.html"),
    ]
    Image.new("RGB", (40, 30), (10, 200, 30)).save(folder / "a.png")
    made.append(folder / "a.png")
    return [path.read_bytes() for path in made]


REAL_KINDS = 5  # JPEG, PDF, MP4, HTML, PNG


def _cut(which: int, fraction: float) -> bytes:
    data = _real_files()[which]
    return data[: max(1, round(len(data) * fraction))]


names = (
    st.binary(min_size=1, max_size=255)
    .filter(lambda raw: b"/" not in raw and b"\x00" not in raw and raw not in (b".", b".."))
    .map(os.fsdecode)
)
contents = st.one_of(
    st.just(b""),
    st.binary(min_size=1, max_size=16),
    st.binary(min_size=17, max_size=4096),
    st.builds(
        _cut,
        st.integers(min_value=0, max_value=REAL_KINDS - 1),
        st.one_of(st.just(1.0), st.floats(min_value=0.0, max_value=1.0)),
    ),
)
files = st.dictionaries(names, contents, min_size=1, max_size=4)

_STORES: dict[str, Store] = {}
_COUNTER = iter(range(10**9))


def _store(home: Path) -> Store:
    if str(home) not in _STORES:
        _STORES[str(home)] = open_store(home, "tester")
    return _STORES[str(home)]


@pytest.fixture
def store(backend: str, home: Path) -> Iterator[Store]:
    """One store for all of a test's examples (a new home per example would cost seconds)."""
    yield _store(home)
    _STORES.pop(str(home)).engine.dispose()


@settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(given_files=files)
def test_any_names_and_contents_are_stored_or_refused_in_one_line(
    store: Store, tmp_path: Path, given_files: dict[str, bytes]
) -> None:
    folder = tmp_path / f"in-{next(_COUNTER)}"
    folder.mkdir()
    for name, data in given_files.items():
        (folder / name).write_bytes(data)
    options = IntakeOptions(case="props", progress=False, decode_seconds=20)
    report = add_paths(store, [folder], options, default_extractors())

    assert len(report.results) == len(given_files)
    by_path = {str(folder / name): data for name, data in given_files.items()}
    printed = {printable(path): data for path, data in by_path.items()}
    for result in report.results:
        data = printed[result.path]
        assert printable(result.path) == result.path, "a path is shown escaped"
        for problem in result.problems:
            assert "\n" not in problem and "Traceback" not in problem
        if result.status == "rejected":
            assert result.problems, f"{result.path!r} rejected without a reason"
            assert not data, "only empty files are refused here"
            continue
        assert result.status in ("stored", "duplicate", "unchanged")
        assert result.item_id is not None
        assert result.sha256 == hashlib.sha256(data).hexdigest()
        assert store.vault.rehash(result.sha256) == result.sha256
    checked = verify(store)
    assert checked.intact, checked.failures
