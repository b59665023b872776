"""Domain errors: what a user can cause or fix, as one line and an exit status.

Every layer raises these (or subclasses of them) instead of printing or exiting, so that the
command line, the web app and the API each decide how to show the same refusal. The message is
the whole user-facing line: it names the input and the problem, and never a protected witness's
identity. ``exit_code`` is what the command line exits with.
"""

from __future__ import annotations

from collections.abc import Sequence


class EnquiryError(Exception):
    """A refusal or failure a user can understand; ``str(error)`` is the one line to show."""

    exit_code: int = 1


class BadRequest(EnquiryError):
    """The request itself is wrong (an argument, an option, a value): nothing was done."""

    exit_code = 2


class NotFound(EnquiryError):
    """A case, item, incident, claim or file named by the request does not exist."""


class Refused(EnquiryError):
    """Policy forbids the request as asked (protected content without a reveal, a path outside
    the case file's folder, overwriting a file) — the message says what would allow it."""


class CatalogueError(EnquiryError):
    """The home and its catalogue database do not belong together, or cannot be reached."""


class Corrupt(EnquiryError):
    """Stored bytes no longer match their SHA-256: they are refused, never handed out."""


class Unverified(EnquiryError):
    """The catalogue failed verification, so nothing is computed or published from it.

    ``failures`` are the verify lines; the message names how many and how to override.
    """

    def __init__(self, message: str, failures: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.failures = list(failures)


class Forbidden(Refused):
    """The user may see this case but their role does not allow the request (an analyst
    adding evidence, a viewer rating a cell); the message names the right that is missing."""


class Unauthorized(EnquiryError):
    """The credentials given (password, token, session) are missing, wrong, expired or revoked.
    The message never says which, so that names and tokens cannot be probed one by one."""
