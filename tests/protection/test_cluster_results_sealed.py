"""A protected file read by a cluster worker comes back to the catalogue's process without its
plaintext: the result crosses the cluster's network and may be spilled to a worker's disk, so
a testimony's words, a witness's name and a photograph's position travel only inside the sealed
record, encrypted on the worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cloudpickle
import pytest

from enquiry.app import Enquiry, evidence
from enquiry.intake import pipeline

WORDS = b"Zebulon Quartermaine-Oduya saw the aircraft over the bakery"
NAME = "Philippa Arkwright-Nwosu"


def test_a_sealed_result_carries_no_plaintext_over_the_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = Enquiry.at(tmp_path / "home", "admin")
    folder = tmp_path / "in"
    folder.mkdir()
    # the case's first protected file gives it its key pair; workers then seal files themselves
    (folder / "first.txt").write_bytes(b"an earlier statement\n")
    evidence.add(
        app,
        [folder / "first.txt"],
        case="clinic",
        kind="testimony",
        fields={"witness_pseudonym": "W-1"},
    )
    statement = tmp_path / "statement.txt"
    statement.write_bytes(WORDS + b"\n")

    came_back: list[bytes] = []
    real = pipeline._on_cluster

    def watched(*args: Any, **kwargs: Any) -> Iterator[pipeline.Prepared]:
        for prepared in real(*args, **kwargs):
            came_back.append(cloudpickle.dumps(prepared))
            yield prepared

    monkeypatch.setattr(pipeline, "_on_cluster", watched)
    report = evidence.add(
        app,
        [statement],
        case="clinic",
        kind="testimony",
        fields={"witness_name": NAME, "witness_pseudonym": "W-7"},
        cluster="local:1",
    )
    assert not report.failed, report.problems()
    assert came_back, "the file was not read on the cluster"
    for result in came_back:
        for secret in (b"Quartermaine", b"bakery", NAME.encode()):
            assert secret not in result, secret
    # the catalogue still holds the item, encrypted, and its text and name come back with the key
    item = max(evidence.list_items(app, limit=10).items, key=lambda row: row.id)
    assert item.protected
    shown = evidence.show_item(app, str(item.id), with_text=True, reveal=True)
    assert shown.text is not None and "bakery" in "".join(shown.text.values())
    assert shown.fields["witness_name"] == NAME
