"""A redaction made again supersedes the one before it. What is published of a protected photo
is its newest confirmed redaction; the older one — made again, perhaps, because it missed a
face in the background — must go out by no route: not named by its own number in a report's
picture, a preview or a download, any more than an unconfirmed one. With a reveal, by someone
holding the right, it can still be looked at (and that is recorded). Real home, real redactor,
SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from demo_helpers import HomeTemplates
from enquiry.app import Enquiry, accounts, cases, content, evidence, redaction
from enquiry.enrich.media import samples
from enquiry.errors import Refused

CASE = """\
format: enquiry-case/1
case: {name: again, title: Made again}
sources:
- {name: Field team, reliability: B}
"""

PASSWORD = "correct horse battery"


def _make_again(home: Path, *, protected: bool) -> str:
    """A photo with two confirmed redactions, the second made with a region more; the photo's
    and the redactions' numbers, as JSON."""
    admin = Enquiry.at(home, "admin")
    (home.parent / "case.yaml").write_text(CASE, encoding="utf-8")
    cases.load(admin, home.parent / "case.yaml")
    path = home.parent / "witness.jpg"
    Image.fromarray(np.ascontiguousarray(samples.photo("astronaut"))).save(path, quality=92)
    evidence.add(admin, [path], case="again", kind="photo", protected=protected)
    photo = max(r.id for r in evidence.list_items(admin, limit=100).items)
    first = redaction.redact(admin, str(photo), faces=True).item_id
    redaction.confirm(admin, str(first))
    second = redaction.redact(admin, str(photo), faces=True, regions=["0,400,120,112"]).item_id
    redaction.confirm(admin, str(second))
    # closed before the home is copied (SQLite removes its -wal and -shm files as it closes)
    admin.store().engine.dispose()
    return json.dumps([photo, first, second])


@pytest.fixture(params=["protected", "sensitive"])
def made_again(
    home_templates: HomeTemplates, tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> tuple[Enquiry, int, int, int]:
    """A photo with two confirmed redactions, the second made with a region more: protected,
    or merely sensitive (nobody protected it; somebody redacted it). The test's own copy of a
    home where that was done once per kind, back end and test process."""
    run = home_templates.copy(
        f"made-again-{request.param}",
        partial(_make_again, protected=request.param == "protected"),
        tmp_path / "home",
        os.environ.get("ENQUIRY_DB"),
    )
    photo, first, second = json.loads(run.output)
    assert first != second
    return Enquiry.at(run.home, "admin"), photo, first, second


def test_a_superseded_redaction_is_neither_published_previewed_nor_handed_out(
    made_again: tuple[Enquiry, int, int, int],
) -> None:
    admin, photo, first, second = made_again
    assert redaction.publishable_picture(admin, photo).shown_item_id == second
    assert redaction.publishable_picture(admin, second).shown_item_id == second
    with pytest.raises(Refused, match=f"item {first}: superseded by item {second}"):
        redaction.publishable_picture(admin, first)
    assert content.preview(admin, str(photo)).shown_item_id == second
    assert content.preview(admin, str(second)).shown_item_id == second
    shown = content.preview(admin, str(first))
    assert shown.shown_item_id is None and shown.reason is not None
    assert "superseded" in shown.reason
    sensitive = not evidence.show_item(admin, str(photo)).protected
    refusal = f"item {first}: superseded by item {second}" if sensitive else "protected"
    with pytest.raises(Refused, match=refusal):
        content.open_original(admin, str(first))
    # the newest confirmed redaction of a sensitive photo is handed out as it is published;
    # that of a protected photo is protected itself, and needs a reveal like its original
    if sensitive:
        newest = content.open_original(admin, str(second))
        newest.handle.close()
    # a reveal, by someone with the right, still lets it be looked at
    revealed = content.open_original(admin, str(first), reveal=True)
    revealed.handle.close()


# a viewer sees no redaction of a protected photo at all
@pytest.mark.parametrize("made_again", ["sensitive"], indirect=True)
def test_a_reader_who_may_not_see_protected_items_is_not_told_of_the_newer_one(
    made_again: tuple[Enquiry, int, int, int],
) -> None:
    admin, _photo, first, second = made_again
    accounts.add_user(admin, "vera", PASSWORD)
    accounts.grant(admin, "vera", "again", "viewer")
    vera = admin.acting_as(accounts.authenticate_password(admin, "vera", PASSWORD))
    shown = content.preview(vera, str(first))
    assert shown.shown_item_id is None and shown.reason
    assert f"item {second}" not in shown.reason
    assert content.preview(vera, str(second)).shown_item_id == second
