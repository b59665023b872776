"""Rounding the result to a fixed number of significant digits, the same on every machine.

numpy's log and exp may differ in the last bit between CPUs (vectorised code paths differ), so
a reviewer re-running the engine elsewhere could see 0.96766303163902 where we saw
0.96766303163903. Published numbers are therefore rounded to ``SIGNIFICANT_DIGITS``, using only
IEEE-exact steps (a comparison with exactly parsed powers of ten, one multiplication, rounding,
one division), so a difference survives only when a value falls within a few ulps of a rounding
boundary.
"""

from __future__ import annotations

import numpy as np

from enquiry.analysis.matrix import FloatArray

SIGNIFICANT_DIGITS = 10

_LOWEST = -290
_POW10 = np.array([float(f"1e{k}") for k in range(_LOWEST, 309)], dtype=np.float64)
"""Exact (correctly rounded by the parser) powers of ten, so no pow() is involved."""


def rounded(x: FloatArray) -> FloatArray:
    """``x`` with every finite, non-zero value rounded to SIGNIFICANT_DIGITS digits."""
    out = np.array(x, dtype=np.float64, copy=True)
    a = np.abs(out)
    ok = np.isfinite(out) & (a >= _POW10[0])
    if not ok.any():
        return out
    index = np.searchsorted(_POW10, a[ok], side="right") - 1  # 10^e <= |x| < 10^(e+1)
    exponent = index + _LOWEST
    shift = np.clip(SIGNIFICANT_DIGITS - 1 - exponent, _LOWEST, 308)
    factor = _POW10[shift - _LOWEST]
    out[ok] = np.round(out[ok] * factor) / factor
    return out


def published(value: float) -> float:
    """One number as it is published: rounded like :func:`rounded`."""
    return float(rounded(np.array([value], dtype=np.float64))[0])


def published_number(value: float) -> float:
    """Like :func:`published` for a number that may be an int (a table value given as 1 stays
    the int 1, so the published JSON shows what the table said)."""
    return published(value) if isinstance(value, float) else value
