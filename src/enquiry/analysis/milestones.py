"""Milestones: the evidence not yet in hand that would move each hypothesis most.

The engine imagines one new, independent item from a high-grade source (``MILESTONE_GRADE``)
rated CC for the hypothesis and II for every rival (or the reverse) and reports what it would
do, and how many such items it would take to change which hypothesis leads.
"""

from __future__ import annotations

import math

import numpy as np

from enquiry.analysis.inputs import AnalysisInput
from enquiry.analysis.matrix import FloatArray, contributions, hit_probability
from enquiry.analysis.posterior import posterior
from enquiry.analysis.precision import published
from enquiry.analysis.result import Milestone
from enquiry.analysis.tables import MILESTONE_GRADE, Tables


def _item(k: int, j: int, for_j: bool, tables: Tables, prior: FloatArray, r: float) -> FloatArray:
    p = np.full(k, tables.rating["II" if for_j else "CC"])
    p[j] = tables.rating["CC" if for_j else "II"]
    _, c = contributions(p[None, :], np.array([r]), prior)
    row: FloatArray = c[0]
    return row


def _items_needed(logits: FloatArray, step: FloatArray, j: int, want_lead: bool) -> int | None:
    """Fewest identical independent items (each adding ``step``) for hypothesis j to lead, or for
    the leader j to be overtaken; None if no number of them would do it."""
    needs: list[int] = []
    for k in range(len(logits)):
        if k == j:
            continue
        gap = float(logits[k] - logits[j]) if want_lead else float(logits[j] - logits[k])
        per = float(step[j] - step[k]) if want_lead else float(step[k] - step[j])
        if gap < 0:
            needs.append(0)
        elif per > 0:
            needs.append(math.floor(gap / per) + 1)
    if want_lead:
        return max(needs) if len(needs) == len(logits) - 1 else None
    return min(needs) if needs else None


def _items(n: int) -> str:
    return "one such item" if n == 1 else f"{n} such items"


def milestones(
    inp: AnalysisInput, prior: FloatArray, total: FloatArray, tables: Tables
) -> tuple[Milestone, ...]:
    """For each hypothesis: the posterior after one confirming or refuting high-grade item, and
    how many such items would make it lead (or, for the leader, overturn it)."""
    k = len(inp.hypotheses)
    r = hit_probability(MILESTONE_GRADE[0], MILESTONE_GRADE[1], tables)
    grade = f"{MILESTONE_GRADE[0]}{MILESTONE_GRADE[1]}"
    logits = np.log(prior) + total
    now = posterior(prior, total)
    leader = int(np.argmax(now))
    result: list[Milestone] = []
    for j, h in enumerate(inp.hypotheses):
        confirm = _item(k, j, True, tables, prior, r)
        refute = _item(k, j, False, tables, prior, r)
        up = float(posterior(prior, total + confirm)[j])
        down = float(posterior(prior, total + refute)[j])
        if j == leader:
            n = _items_needed(logits, refute, j, want_lead=False)
            explanation = (
                f"{h.id} leads; one independent {grade} item rated II for it and CC for its rivals "
                f"would take it from {now[j]:.3f} to {down:.3f}"
                + (
                    f"; {_items(n)} would overturn it."
                    if n is not None
                    else "; no number of such items would overturn it."
                )
            )
        else:
            n = _items_needed(logits, confirm, j, want_lead=True)
            explanation = (
                f"one independent {grade} item rated CC for {h.id} and II for its rivals would take it "
                f"from {now[j]:.3g} to {up:.3g}"
                + (
                    f"; {_items(n)} would make it lead."
                    if n is not None
                    else "; no number of such items would make it lead."
                )
            )
        result.append(
            Milestone(
                hypothesis=h.id,
                posterior=published(float(now[j])),
                grade=grade,
                if_confirming_item=published(up),
                if_refuting_item=published(down),
                leads=j == leader,
                items_needed=n,
                explanation=explanation,
            )
        )
    return tuple(result)
