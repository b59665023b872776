"""The REST API under ``/api/v1``: thin routes over the application core's services.

A route authenticates (``api_user``), calls the services with the user's Enquiry and returns
what they give; the services decide access and write the ledger. Models describe the JSON so
that ``/openapi.json`` documents it. The routes are grouped by what they serve: evidence
(cases, items, originals, uploads, custody), analysis (claims, accepting a suggestion, the
analysis, the report), the matrix (hypotheses, ratings, analysis runs, comments, sign-off) and
search.
"""

from __future__ import annotations

from fastapi import APIRouter

from enquiry.web.api import analysis, evidence, matrix, search

router = APIRouter(prefix="/api/v1")
router.include_router(evidence.router)
router.include_router(analysis.router)
router.include_router(matrix.router)
router.include_router(search.router)

__all__ = ["router"]
