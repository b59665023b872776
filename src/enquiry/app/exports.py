"""Exports: a case or an incident in CSV, GeoJSON, KML, PROV-O or CASE/UCO, under the same rules
as the report.

An export leaves the home as surely as a report does, so it is held to the same three rules:
the catalogue is verified first (or the user says to go past it, and the ledger records that),
protected identities stay out unless revealed (and the reveal is recorded), and the ledger
records an "exported" event with the file's SHA-256.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from enquiry.app.access import Right, may, require, require_case, require_incident
from enquiry.app.context import Enquiry
from enquiry.app.lookup import case_blobs
from enquiry.app.outputs import refuse_home_output
from enquiry.app.publishing import record_case_reveal, require_withholding_key, verified
from enquiry.errors import BadRequest, EnquiryError, NotFound
from enquiry.intake.walk import printable
from enquiry.publish.exports import (
    FORMATS,
    Exported,
    UnknownScope,
    features,
    geometry,
    read_scope,
    write_export,
)
from enquiry.store.tables import Item


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
    refuse_home_output(app, output)
    case_id = _case_id(app, case, incident)
    store = app.store(create=False)
    with store.session() as session:
        blobs = case_blobs(session, case_id)
    what = f"export of {'incident' if incident else 'case'} '{incident or case}'"
    verified(app, case_id=case_id, blobs=blobs, purpose=what, allow_unverified=allow_unverified)
    require(app, case_id, Right.PROTECTED_ITEMS)  # an export is of the whole record
    require_withholding_key(app, case_id, what)
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


def map_features(app: Enquiry, case: str) -> dict[str, Any]:
    """The case's incidents, items and claims that carry a place, as a GeoJSON feature
    collection for the map page: what a GeoJSON export would hold, protected identities
    withheld, and only what the acting user may see (an item's feature carries its number so
    that the map can link to it). Nothing leaves the home, so nothing is verified or recorded."""
    found = require_case(app, case)
    store = app.store(create=False)
    with store.session() as session:
        scope = read_scope(session, case=found.name)
        rows = session.execute(
            select(Item.id, Item.key, Item.protected).where(Item.case_id == found.id)
        ).all()
    visible = {int(i) for i, _k, p in rows if not p or may(app, found.id, Right.PROTECTED_ITEMS)}
    ids = {(key or f"item-{i}"): int(i) for i, key, _p in rows}
    claimed = {claim.key: claim.item for claim in scope.claims}
    out = []
    for feature in features(scope):
        item_id = ids.get(str(feature.properties.get("item")))
        claim_item = claimed.get(str(feature.properties.get("claim")))
        owner = item_id if item_id is not None else ids.get(str(claim_item))
        if owner is not None and owner not in visible:
            continue
        out.append(
            {
                "type": "Feature",
                "id": feature.id,
                "geometry": geometry(feature.place),
                "properties": {
                    "name": feature.name,
                    "role": feature.role,
                    **dict(feature.properties),
                    **({"item_id": item_id} if item_id is not None else {}),
                },
            }
        )
    return {"type": "FeatureCollection", "name": scope.name, "features": out}
