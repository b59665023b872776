"""The worked case of ``protection_helpers`` as a fixture for every test here."""

from __future__ import annotations

from protection_helpers import worked

__all__ = ["worked"]
