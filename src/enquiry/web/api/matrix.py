"""Matrix routes: the hypotheses × evidence matrix, hypotheses (add, change with a rationale),
ratings of a cell, analysis runs and their stored results, and review (comments, sign-off).

Every change is made by a core service of :mod:`enquiry.app.matrix` or
:mod:`enquiry.app.review`, which decides who may make it and writes the ledger event naming
the user; these routes only carry the JSON.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from enquiry.app import matrix as matrices
from enquiry.app import review
from enquiry.app.matrix import LatestResult
from enquiry.errors import NotFound
from enquiry.web.api.common import PROBLEMS, User
from enquiry.web.api.models import (
    CommentIn,
    CommentOut,
    HypothesisIn,
    HypothesisOut,
    HypothesisUpdateIn,
    MatrixOut,
    RatedOut,
    RatingIn,
    SignOffIn,
    StoredAnalysisOut,
)

router = APIRouter(tags=["matrix and review"], responses=PROBLEMS)


@router.get("/incidents/{incident:segment}/matrix", response_model=MatrixOut)
def read_matrix(app: User, incident: str) -> MatrixOut:
    """The incident's hypotheses × its evidence: each cell's counting rating and every
    analyst's latest, with disagreements; protected items' identities are withheld, and a user
    who may not know protected items exist gets no row for them."""
    return MatrixOut(**matrices.matrix(app, incident).to_dict())


@router.post(
    "/incidents/{incident:segment}/hypotheses", response_model=HypothesisOut, status_code=201
)
def add_hypothesis(app: User, incident: str, body: HypothesisIn) -> HypothesisOut:
    """Add a hypothesis (analysts and owners); a ``created`` event names you."""
    added = matrices.add_hypothesis(
        app, incident, body.key, body.label, body.description, body.prior, other=body.other
    )
    return HypothesisOut(**added.to_dict())


@router.patch(
    "/incidents/{incident:segment}/hypotheses/{key:segment}", response_model=HypothesisOut
)
def update_hypothesis(
    app: User, incident: str, key: str, body: HypothesisUpdateIn
) -> HypothesisOut:
    """Change a hypothesis's label, description or prior with the reason for it (analysts and
    owners); an ``updated`` event names you, what changed and what it was."""
    changed = matrices.update_hypothesis(
        app,
        incident,
        key,
        label=body.label,
        description=body.description,
        prior=body.prior,
        clear_prior=body.clear_prior,
        rationale=body.rationale,
    )
    return HypothesisOut(**changed.to_dict())


@router.post("/incidents/{incident:segment}/ratings", response_model=RatedOut, status_code=201)
def rate(app: User, incident: str, body: RatingIn) -> RatedOut:
    """Rate how an item or a claim bears on a hypothesis, with a rationale (analysts and
    owners). Earlier ratings stay; the latest counts. A ``rated`` event names you."""
    rated = matrices.rate(
        app,
        incident,
        body.hypothesis,
        item=body.item,
        claim=body.claim,
        rating=body.rating,
        rationale=body.rationale,
    )
    return RatedOut(**rated.to_dict())


def _stored(result: LatestResult | None, incident: str) -> StoredAnalysisOut:
    if result is None:
        raise NotFound(f"incident '{incident}': no analysis has been run yet (POST to run one)")
    return StoredAnalysisOut(**result.to_dict())


@router.post(
    "/incidents/{incident:segment}/analysis", response_model=StoredAnalysisOut, status_code=201
)
def run_analysis(app: User, incident: str) -> StoredAnalysisOut:
    """Verify the catalogue, analyse the incident and store the result as a finding (analysts,
    reviewers and owners); an ``analysed`` event names you. 409 when verification fails."""
    _analysis, finding_id = matrices.run_analysis(app, incident)
    return _stored(matrices.stored_result(app, incident, finding_id), incident)


@router.get("/incidents/{incident:segment}/analysis/latest", response_model=StoredAnalysisOut)
def latest_analysis(app: User, incident: str) -> StoredAnalysisOut:
    """The incident's latest stored finding (404 when none has been run)."""
    return _stored(matrices.latest_result(app, incident), incident)


@router.get("/cases/{case:segment}/comments", response_model=list[CommentOut])
def list_comments(
    app: User,
    case: str,
    subject: Annotated[str | None, Query(max_length=300, description="Only this subject")] = None,
) -> list[CommentOut]:
    """The case's comments and sign-offs, oldest first; those on protected items only for
    users who may know those exist."""
    return [CommentOut(**c.to_dict()) for c in review.list_comments(app, case, subject)]


@router.post("/cases/{case:segment}/comments", response_model=CommentOut, status_code=201)
def add_comment(app: User, case: str, body: CommentIn) -> CommentOut:
    """Comment on the case or something in it (analysts, reviewers and owners); a
    ``commented`` event names you."""
    return CommentOut(**review.comment(app, case, body.subject, body.body).to_dict())


@router.post("/incidents/{incident:segment}/sign-off", response_model=CommentOut, status_code=201)
def sign_off(app: User, incident: str, body: SignOffIn) -> CommentOut:
    """Sign off the incident's latest finding with a statement (reviewers and owners); the
    event carries the finding's inputs hash. An older finding is refused (409)."""
    return CommentOut(**review.sign_off(app, incident, body.finding_id, body.statement).to_dict())
