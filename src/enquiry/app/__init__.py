"""The application core: one typed service per operation, for every entry point.

The command line, the web app and the API are adapters over this package. A service takes the
:class:`Enquiry` (the home and the acting user), decides access and protection, verifies the
catalogue before it computes or publishes anything from it, writes every custody, access and
export event itself, reports progress through a callback and raises :mod:`enquiry.errors` —
never prints, never exits. An adapter formats what a service returns and maps its errors to a
line and a status.
"""

from __future__ import annotations

from enquiry.app.context import Enquiry
from enquiry.intake.walk import printable

__all__ = ["Enquiry", "printable"]
