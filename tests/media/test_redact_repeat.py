"""A redaction asked for again: no second item with the same bytes, the existing redaction
named, and the request itself recorded in the custody ledger under the name of who asked;
hostile videos refused in one line before a frame is decoded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from redaction_helpers import tagged_jpeg
from sqlalchemy import select

from enquiry.app import Enquiry
from enquiry.cli import main
from enquiry.enrich.media import redact as redact_module
from enquiry.enrich.media import samples
from enquiry.store.tables import CustodyEvent, Item


def _cli(home: Path, actor: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(home), "--as", actor, *args])
    return result.exit_code, result.stdout, result.stderr


def _events(home: Path, item_id: int) -> list[tuple[int, str, str, dict]]:
    store = Enquiry.at(home, "t").store(create=False)
    with store.session() as session:
        rows = session.scalars(
            select(CustodyEvent).where(CustodyEvent.item_id == item_id).order_by(CustodyEvent.seq)
        ).all()
        return [(e.seq, e.action, e.actor, json.loads(e.details)) for e in rows]


def test_a_repeated_redaction_is_recorded_against_the_existing_item(
    backend: str, home: Path, tmp_path: Path
) -> None:
    photo = tagged_jpeg(tmp_path / "witness.jpg")
    code, _out, err = _cli(home, "analyst", "add", str(photo), "--case", "c")
    assert code == 0, err
    request = ["media", "redact", "1", "--faces", "--regions", "300,340,40,30", "--json"]
    code, out, err = _cli(home, "analyst", *request)
    assert code == 0, err
    first = json.loads(out)
    assert first["existing"] is False and first.get("event") is None
    made = first["item"]
    # Another person asks for the same redaction: the same bytes, so the same item ...
    code, out, err = _cli(home, "reviewer", *request)
    assert code == 0, err
    again = json.loads(out)
    assert again["item"] == made and again["existing"] is True
    assert again["derived_from"] == 1
    # ... and the request is in the ledger, naming who asked, the item and what was asked.
    events = _events(home, made)
    repeat = [e for e in events if e[3].get("existing")]
    assert len(repeat) == 1, events
    seq, action, actor, details = repeat[0]
    assert (seq, action, actor) == (again.get("event"), "derived", "reviewer")
    assert details["derived_from"] == 1 and details["sha256"] == first["sha256"]
    assert details["requested"]["redaction"]["regions"] == [[300, 340, 40, 30]]
    assert details["requested"]["redaction"]["faces"] is True
    # No second item with the same bytes was made.
    store = Enquiry.at(home, "t").store(create=False)
    with store.session() as session:
        assert session.scalars(select(Item.id).where(Item.derived_from == 1)).all() == [made]
    # The plain output says what happened.
    code, out, err = _cli(home, "reviewer", *request[:-1])
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"item {made}\tUNCONFIRMED\tredaction of item 1 ")
    event = max(e[0] for e in _events(home, made))
    assert (
        f"already made: this request (1 face box(es) by opencv-haar, 1 region(s), metadata"
        f" removed (mosaic)) gives the same image as item {made}; no new item stored, the"
        f" request recorded in the ledger as event {event}"
    ) in out, out
    code, out, _ = _cli(home, "t", "verify")
    assert code == 0, out


def test_a_video_claiming_more_pixels_than_are_decoded_is_refused_in_one_line(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same pixel limit as for a photo, checked on the stream's declared size before a
    frame is decoded (lowered here, so a small real video stands for a huge one)."""
    video = tmp_path / "clip.mp4"
    frames = samples.scene_frames(samples.photo("astronaut"), 1.0, fps=10, size=(320, 240))
    samples.write_video(video, frames, fps=10)
    code, _out, err = _cli(home, "t", "add", str(video), "--case", "c")
    assert code == 0, err
    monkeypatch.setattr(redact_module, "MAX_PIXELS", 320 * 240 - 1)
    code, out, err = _cli(home, "t", "media", "redact", "1", "--faces")
    assert code == 1, out + err
    assert err.strip() == (
        f"enquiry: item 1: the video claims 320×240 pixels a frame: more than {320 * 240 - 1},"
        " so it is not decoded"
    )
    store = Enquiry.at(home, "t").store(create=False)
    with store.session() as session:
        assert session.scalars(select(Item.id)).all() == [1]
