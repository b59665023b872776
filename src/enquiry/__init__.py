"""enquiry: an open investigative mechanism in software.

The flow, and the package map that mirrors it::

    intake ──▶ vault + ledger ──▶ enrich ──▶ analysis ──▶ publish
"""

__version__ = "0.1.0"
