"""Exports: a case or an incident in CSV, GeoJSON, KML, PROV-O or CASE/UCO, under the same rules
as the report.

An export leaves the home as surely as a report does, so it is held to the same three rules:
the catalogue is verified first (or the user says to go past it, and the ledger records that),
protected identities stay out unless revealed (and the reveal is recorded), and the ledger
records an "exported" event with the file's SHA-256.
"""

from __future__ import annotations

from pathlib import Path

from enquiry.app.access import Right, require, require_case, require_incident
from enquiry.app.context import Enquiry
from enquiry.app.lookup import case_blobs
from enquiry.app.publishing import record_case_reveal, verified
from enquiry.errors import BadRequest, EnquiryError, NotFound
from enquiry.intake.walk import printable
from enquiry.publish.exports import FORMATS, Exported, UnknownScope, write_export


def _case_id(app: Enquiry, case: str | None, incident: str | None) -> int:
    if incident is not None:
        return require_incident(app, incident).case_id
    assert case is not None
    return require_case(app, case).id


def export(
    app: Enquiry,
    fmt: str,
    output: Path,
    *,
    case: str | None = None,
    incident: str | None = None,
    reveal: bool = False,
    allow_unverified: bool = False,
) -> Exported:
    """Write ``case`` or ``incident`` (exactly one) as ``fmt`` to ``output``."""
    if fmt not in FORMATS:
        raise BadRequest(f"unknown export format '{printable(fmt)}' (one of: {', '.join(FORMATS)})")
    if (case is None) == (incident is None):
        raise BadRequest("export: give either --case NAME or --incident ID")
    case_id = _case_id(app, case, incident)
    store = app.store(create=False)
    with store.session() as session:
        blobs = case_blobs(session, case_id)
    what = f"export of {'incident' if incident else 'case'} '{incident or case}'"
    verified(app, case_id=case_id, blobs=blobs, purpose=what, allow_unverified=allow_unverified)
    require(app, case_id, Right.PROTECTED_ITEMS)  # an export is of the whole record
    if reveal:
        require(app, case_id, Right.REVEAL)
        record_case_reveal(app, case_id, {"export": fmt, "of": incident or case})
    try:
        return write_export(store, fmt, output, case=case, incident=incident, reveal=reveal)
    except UnknownScope as exc:
        raise NotFound(str(exc)) from None
    except OSError as exc:
        raise EnquiryError(
            f"{printable(str(output))}: cannot write ({exc.strerror or exc})"
        ) from None
