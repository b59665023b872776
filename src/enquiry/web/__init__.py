"""The web app and the REST API: adapters over the application core, like the command line.

``create_app(home)`` builds one FastAPI application over one opened store. Each request is
authenticated here (a bearer token for the API, a session cookie for the pages), turned into
an :class:`~enquiry.app.Enquiry` acting for that user, and handed to the same services the
command line calls; every access decision is the core's (:mod:`enquiry.app.access`), and every
refusal is the core's error mapped to an HTTP status (RFC 9457 problem JSON for the API).
"""

from __future__ import annotations

# First: it registers the ``segment`` convertor the routes' paths name (``{case:segment}``).
from enquiry.web import paths  # noqa: F401
from enquiry.web.app import create_app

__all__ = ["create_app"]
