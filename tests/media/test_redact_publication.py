"""The demonstration's report publishes its photograph of a person only as the confirmed
redaction: the inline picture is the redaction's bytes, a second detector finds no face in it,
and without a confirmation the report carries no picture at all."""

from __future__ import annotations

import base64
import hashlib
import io
import re
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image
from redaction_helpers import ASTRONAUT_FACE, centre_in, lbp_faces
from sqlalchemy import select

from demo_helpers import DEMO_ACTOR, DemoRun
from enquiry.app import Enquiry
from enquiry.app.cases import DEMO_INCIDENT, demo_case_file
from enquiry.cli import main
from enquiry.store.tables import CustodyEvent, Item


def _cli(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(home), "--as", "demo-reviewer", *args])
    return result.exit_code, result.stdout, result.stderr


def _pictures(page: str) -> list[bytes]:
    return [
        base64.b64decode(data)
        for data in re.findall(r'<img src="data:image/\w+;base64,([A-Za-z0-9+/=]+)"', page)
    ]


def test_the_demo_report_publishes_the_confirmed_redaction_only(
    demo_home: DemoRun, backend: str
) -> None:
    home = demo_home.home  # the demo ran as DEMO_ACTOR
    assert "photograph redacted and confirmed for publication" in demo_home.output
    # the built-in case's samples record no hand-over: the demo says so, as the report does
    assert "samples' chain of custody: 1 of 1 sample(s) with a break (item " in demo_home.output
    assert ": no-chain); the report says what holds without them" in demo_home.output
    page = (home / "reports" / f"{DEMO_INCIDENT}.html").read_text(encoding="utf-8")
    pictures = _pictures(page)
    assert len(pictures) == 1
    original = (demo_case_file().parent / "stand-in-astronaut.jpg").read_bytes()
    with Enquiry.at(home, "t").store(create=False).session() as session:
        photo = session.scalars(select(Item).where(Item.key == "pho-stand-in-survivor")).one()
        redacted = session.scalars(select(Item).where(Item.derived_from == photo.id)).one()
        confirmed = session.scalars(
            select(CustodyEvent.actor).where(
                CustodyEvent.action == "confirmed", CustodyEvent.item_id == redacted.id
            )
        ).all()
    assert photo.protected and photo.sha256 == hashlib.sha256(original).hexdigest()
    assert confirmed == [DEMO_ACTOR]
    assert hashlib.sha256(pictures[0]).hexdigest() == redacted.sha256 != photo.sha256
    pixels = np.asarray(Image.open(io.BytesIO(pictures[0])))
    assert any(
        centre_in(f, ASTRONAUT_FACE)
        for f in lbp_faces(np.asarray(Image.open(io.BytesIO(original))))
    )
    assert not [f for f in lbp_faces(pixels) if centre_in(f, ASTRONAUT_FACE)]
    assert f"(item {photo.id}; redacted copy, item {redacted.id})" in page


def test_without_a_confirmation_the_report_withholds_the_photograph(
    demo_case_home: DemoRun,
) -> None:
    home = demo_case_home.home  # the built-in case loaded, its photograph not yet redacted
    with Enquiry.at(home, "t").store(create=False).session() as session:
        photo = session.scalars(select(Item).where(Item.key == "pho-stand-in-survivor")).one()
    code, _, err = _cli(home, "media", "redact", str(photo.id), "--faces")
    assert code == 0, err
    report = home.parent / "r.html"  # outside the home: a named output there is refused
    code, _, err = _cli(home, "report", DEMO_INCIDENT, "-o", str(report))
    assert code == 0, err
    page = report.read_text(encoding="utf-8")
    assert _pictures(page) == []
    assert f"withheld: item {photo.id}: protected, and no confirmed redaction" in page
    # With --reveal the original is published, and the reveal is in the ledger.
    code, _, err = _cli(home, "report", DEMO_INCIDENT, "-o", str(report), "--reveal")
    assert code == 0, err
    assert _pictures(report.read_text(encoding="utf-8")) == [
        (demo_case_file().parent / "stand-in-astronaut.jpg").read_bytes()
    ]
