"""Analysis and publication: nothing is computed or published from a catalogue that fails
verification, unless the user says so and the output says so too.

An edited rating, source grade or catch-all hypothesis changes a conclusion as surely as a forged
document; :func:`verified` runs the ledger and row checks (and re-hashes the blobs of the case)
before any finding is computed, and refuses with the verify lines. ``allow_unverified`` lets an
investigator see what the tampered catalogue would say — the result is stamped as computed on
an unverified catalogue, and the ledger records that it was asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

from enquiry.app.access import Right, require, require_incident
from enquiry.app.context import Enquiry
from enquiry.app.lookup import case_blobs
from enquiry.app.outputs import refuse_home_output
from enquiry.errors import EnquiryError, NotFound, Unverified
from enquiry.intake.walk import printable
from enquiry.publish.inputs import UnknownIncident
from enquiry.publish.report import (
    Analysis,
    Published,
    SignOff,
    analyse_incident,
    publish_report,
)
from enquiry.store.tables import Item
from enquiry.store.vault import scratch_folder

HOW_TO_OVERRIDE = "run 'enquiry verify' for details, or add --allow-unverified"


def _case_of(app: Enquiry, incident: str) -> tuple[int, list[str]]:
    found = require_incident(app, incident)
    with app.store(create=False).session() as session:
        return found.case_id, case_blobs(session, found.case_id)


def verified(
    app: Enquiry, *, case_id: int | None, blobs: list[str], purpose: str, allow_unverified: bool
) -> list[str]:
    """Verify before computing or publishing; return the failure lines (empty when intact).

    On failure without ``allow_unverified`` raise :class:`Unverified`; with it, record in the
    ledger that ``purpose`` went ahead on an unverified catalogue.
    """
    from enquiry.store.verify import verify

    store = app.store(create=False)
    report = verify(store, blobs=blobs)
    if report.intact:
        return []
    if not allow_unverified:
        raise Unverified(
            f"the catalogue failed verification ({len(report.failures)} failure(s)); "
            f"{purpose} refused: {HOW_TO_OVERRIDE}",
            report.failures,
        )
    with store.writing() as (_connection, writer):
        writer.append(
            "analysed",
            case_id=case_id,
            details={
                "unverified": True,
                "purpose": purpose,
                "failures": len(report.failures),
            },
        )
    return list(report.failures)


def _engine_error(incident: str, exc: Exception) -> EnquiryError:
    if isinstance(exc, UnknownIncident):
        return NotFound(str(exc))
    return EnquiryError(f"incident '{incident}': {exc}")


def _verified_incident(
    app: Enquiry, incident: str, purpose: str, allow_unverified: bool
) -> tuple[int, list[str]]:
    """The incident's case, once the catalogue and the case's blobs have been verified."""
    case_id, blobs = _case_of(app, incident)
    failures = verified(
        app,
        case_id=case_id,
        blobs=blobs,
        purpose=f"{purpose} '{incident}'",
        allow_unverified=allow_unverified,
    )
    return case_id, failures


def analyse(app: Enquiry, incident: str, *, allow_unverified: bool = False) -> Analysis:
    """Weigh the incident's hypotheses against its rated evidence (nothing is stored)."""
    _case_id, failures = _verified_incident(app, incident, "analysis of", allow_unverified)
    try:
        return analyse_incident(app.store(create=False), incident, unverified=failures)
    except (UnknownIncident, ValueError) as exc:
        raise _engine_error(incident, exc) from None


def report(
    app: Enquiry,
    incident: str,
    output: Path,
    *,
    also: Sequence[Path] = (),
    reveal: bool = False,
    allow_unverified: bool = False,
    sign_off: SignOff | None = None,
    inside_home: bool = False,
) -> Published:
    """Analyse, store the finding and write the self-contained report (HTML, or PDF for a
    ``.pdf`` name; ``also`` writes further copies from the same finding); each export and its
    SHA-256 go into the ledger. Protected identities stay out unless ``reveal``. ``sign_off``
    fills the report's signature slot (who signed, when, with which key).

    A file inside the home is refused (:func:`~enquiry.app.outputs.refuse_home_output`) unless
    ``inside_home``, which only a caller choosing the file itself passes (the demo's
    ``reports/``, the web page's private download folder), never for a path a user named."""
    if not inside_home:
        for target in (output, *also):
            refuse_home_output(app, target)
    case_id, failures = _verified_incident(app, incident, "report on", allow_unverified)
    store = app.store(create=False)
    # A report covers the whole record, protected evidence included (withheld or not): a viewer,
    # who may not learn that protected items exist, does not get one.
    require(app, case_id, Right.PROTECTED_ITEMS)
    require_withholding_key(app, case_id, f"report on '{incident}'")
    if reveal:
        require(app, case_id, Right.REVEAL)
        record_case_reveal(app, case_id, {"report": incident})
    # imported here: the redactor's image libraries are loaded only when a report is written
    from enquiry.app.redaction import report_photographs

    photographs = report_photographs(app, case_id, reveal=reveal)
    try:
        return publish_report(
            store,
            incident,
            output,
            also=also,
            reveal=reveal,
            unverified=failures,
            sign_off=sign_off,
            photographs=photographs,
        )
    except (UnknownIncident, ValueError) as exc:
        raise _engine_error(incident, exc) from None
    except OSError as exc:
        # the temporary file beside the report is named as the report itself
        named = Path(str(exc.filename)) if exc.filename else output
        where = output if named.parent == output.parent else named
        raise EnquiryError(
            f"{printable(str(where))}: cannot write ({exc.strerror or exc})"
        ) from None


def report_document(
    app: Enquiry, incident: str, *, reveal: bool = False
) -> tuple[Published, bytes]:
    """The report of :func:`report` as bytes, for a caller that hands it on (the API): it is
    made in a private folder of memory (:func:`~enquiry.store.vault.scratch_folder`), since a
    revealed report names witnesses and a file deleted from a disk stays in its free blocks."""
    with scratch_folder("enquiry-report-") as folder:
        published = report(app, incident, Path(folder) / "report.html", reveal=reveal)
        return published, published.path.read_bytes()


def require_withholding_key(app: Enquiry, case_id: int, purpose: str) -> None:
    """Refuse to publish a case holding encrypted protected items without the protection key.

    What names a witness is in those items' encrypted records; an analyst may also have typed
    it elsewhere (an actor's name, a rationale, another item's title), and a published output
    withholds it there too only by searching for it — which needs the records opened. Without
    the key that search finds nothing and the name would go out, so nothing goes out. Sealed
    items' records are gone (no key opens them), so they need no key here."""
    from enquiry.store.crypt import KeyUnavailable
    from enquiry.store.protected import Opener, at_rest

    store = app.store(create=False)
    with store.engine.connect() as connection:
        protected = list(
            connection.scalars(
                select(Item.id).where(Item.case_id == case_id, Item.protected.is_(True))
            )
        )
        held = [h for h in at_rest(connection, protected).values() if not h.sealed]
        if not held:
            return
        try:
            Opener(connection).case_key(case_id)
        except KeyUnavailable as exc:
            raise KeyUnavailable(
                f"{purpose}: {len(held)} protected item(s) are stored encrypted, and their"
                " witnesses' names are withheld from free text elsewhere in the case only when"
                f" the protection key opens them; {exc}"
            ) from None


def record_case_reveal(app: Enquiry, case_id: int, what: dict[str, Any]) -> None:
    """Record a "revealed" event for the case's protected items, if it has any."""
    from enquiry.app.protection import record_reveal

    store = app.store(create=False)
    with store.session() as session:
        protected = session.scalars(
            select(Item).where(Item.case_id == case_id, Item.protected.is_(True))
        ).all()
    if protected:
        with store.writing() as (_connection, writer):
            record_reveal(writer, protected, what)
