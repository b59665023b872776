"""What every API route shares: the acting user, and the problem responses it may answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from enquiry.app import Enquiry
from enquiry.web.api.models import Problem
from enquiry.web.auth import api_user

User = Annotated[Enquiry, Depends(api_user)]

Reveal = Annotated[
    bool,
    Query(
        description="Show protected identities (needs that right on the case; the ledger "
        "records every reveal)"
    ),
]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Limit = Annotated[int, Query(ge=1, le=500)]


def _problem(description: str) -> dict[str, object]:
    return {
        "description": description,
        "model": Problem,
        "content": {"application/problem+json": {}},
    }


PROBLEMS: dict[int | str, dict[str, object]] = {
    400: _problem("Bad request: a parameter or a value is wrong"),
    401: _problem("No valid credentials (answered with WWW-Authenticate: Bearer)"),
    403: _problem("You may see the case, but your role does not allow this"),
    404: _problem("No such thing, or one you may not see"),
    409: _problem(
        "Refused as asked (e.g. protected content without reveal, a duplicate), "
        "or the catalogue failed verification"
    ),
}
