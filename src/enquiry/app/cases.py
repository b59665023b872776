"""Case-file services: load a case file, dump a case, run the built-in demonstration.

Loading goes through the same intake and ledger as ``add``; files attached by a case file are
confined to its folder unless the user allows more, and that is recorded. A dump carries
evidence out of the vault, so the export (and any reveal of protected identities) is recorded
with the dump's SHA-256.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from enquiry.app.access import Right, require, require_admin, require_case
from enquiry.app.context import Enquiry
from enquiry.app.lookup import case_blobs, find_case, require_regular_file
from enquiry.app.outputs import refuse_home_output
from enquiry.app.publishing import verified
from enquiry.errors import BadRequest
from enquiry.intake.casefile import (
    DumpResult,
    LoadReport,
    attachments_folder,
    builtin_case,
    load_case_file,
    write_dump,
)
from enquiry.intake.extract import Extractor
from enquiry.intake.walk import printable
from enquiry.store.tables import Item

DEMO_INCIDENT = "khan-shaykhun-2017-04-04"
DEMO_CASE = "khan-shaykhun"


def _extractors() -> list[Extractor]:
    from enquiry.enrich import default_extractors

    return list(default_extractors())


def load(app: Enquiry, path: Path, *, allow_outside: bool = False) -> LoadReport:
    """Load a case file into the home; loading the same file again changes nothing.

    A file that fails anywhere leaves nothing behind. ``allow_outside`` lets attachments come
    from beyond the case file's folder; each such receipt says so in the ledger.
    """
    require_admin(app, "load")
    require_regular_file(path)
    store = app.store(create=True)
    return load_case_file(store, path, extractors=_extractors(), allow_outside=allow_outside)


def dump(
    app: Enquiry,
    case: str,
    output: Path | None,
    *,
    reveal: bool = False,
    allow_unverified: bool = False,
) -> DumpResult:
    """Write ``case`` back as a case file (to ``output`` with its attachments, or as text).

    A dump is an export: the catalogue and the case's blobs are verified first, as for a
    report. Without ``reveal`` a protected item's content, identifying fields and arrival names
    are replaced by its SHA-256; with it they are carried, and the reveal is recorded per item.
    """
    if output is not None:
        if not output.name or output.name in (".", ".."):  # "", ".", "/": a folder, no file
            raise BadRequest(
                f"'{printable(str(output))}': a folder, not a file; name the case file to write"
            )
        for target in (output, attachments_folder(output)):
            refuse_home_output(app, target)
    store = app.store(create=False)
    case_id = require_case(app, case, Right.PROTECTED_ITEMS).id  # the whole record
    if reveal:
        require(app, case_id, Right.REVEAL)
    with store.session() as session:
        blobs = case_blobs(session, case_id)
    verified(
        app,
        case_id=case_id,
        blobs=blobs,
        purpose=f"dump of case '{case}'",
        allow_unverified=allow_unverified,
    )
    result = write_dump(store, case, output, reveal=reveal)
    with store.writing() as (_connection, writer):
        for item_id, shown in result.revealed:
            writer.append(
                "revealed",
                case_id=case_id,
                item_id=item_id,
                details={"fields": shown, "purpose": "dump"},
            )
        writer.append(
            "exported",
            case_id=case_id,
            details={
                "what": "case file",
                "sha256": result.sha256,
                "size": result.size,
                "path": str(output.resolve()) if output else "standard output",
                "revealed": reveal,
                "attachments": result.attachments,
            },
        )
    return result


# Name badges and the mission patch on the demonstration's stand-in photograph carry names a
# face detector cannot know about; a reviewer covers them with regions, as the demo does.
DEMO_REGIONS = {"pho-stand-in-survivor": ("272,334,64,44", "128,344,90,86")}


def redact_demo_photographs(app: Enquiry) -> list[int]:
    """Redact the demonstration's photographs of people (faces and the regions above) and
    confirm the redactions, as a reviewer would after looking at them; return the redactions.
    Run again, it finds them made and confirmed and changes nothing."""
    require_admin(app, "demo")
    from enquiry.app import redaction

    store = app.store(create=False)
    with store.session() as session:
        case_id = find_case(session, DEMO_CASE).id
        keys = {
            item_id: key
            for item_id, key in session.execute(
                select(Item.id, Item.key).where(
                    Item.case_id == case_id,
                    Item.key.in_(list(DEMO_REGIONS)),
                    Item.sha256.is_not(None),
                )
            ).all()
        }
        confirmed = {
            item_id: [r.id for r, ok in redaction.redactions_of(session, item_id) if ok]
            for item_id in keys
        }
    made: list[int] = []
    for item_id, key in sorted(keys.items()):
        if confirmed[item_id]:
            made.append(confirmed[item_id][0])
            continue
        done = redaction.redact(app, str(item_id), faces=True, regions=DEMO_REGIONS[str(key)])
        redaction.confirm(app, str(done.item_id))
        made.append(done.item_id)
    return made


def demo_case_file() -> Path:
    """The built-in Khan Shaykhun case file shipped with the package."""
    return builtin_case(DEMO_INCIDENT)
