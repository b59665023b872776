"""How low the leader's prior could go before the conclusion changes.

A finding is attacked first through its priors: "you assumed the answer". The engine's priors
are stated (or shared equally), and this answers the attack with numbers: the smallest prior
the leading hypothesis could be given — every rival keeping its share of the rest — at which it
would still lead, and at which each standard of proof it meets would still hold. A reader who
thinks the leader deserved less than its prior can see at once whether that would matter.

The prior enters twice: in the posterior's log prior, and in each item's base rate ``q`` (the
prior-weighted chance of the report whatever the truth), and so in which member of a
dependence cluster is counted. Each trial prior is therefore run through the same functions as
the headline (contributions, representatives, posteriors, standards), not through a shortcut
that assumes the evidence's weight stays fixed. The search is deterministic: a fixed grid of
trial priors, even in log-odds from 10⁻⁹ to the stated prior, finds the highest prior at which
the conclusion fails; bisection between it and the next grid point that holds gives the bound.
Above the bound, every grid point holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from enquiry.analysis.matrix import FloatArray, Matrix, contributions
from enquiry.analysis.posterior import Posteriors, posteriors, representatives
from enquiry.analysis.precision import published
from enquiry.analysis.result import PriorBounds

LOWEST_LOGIT = -20.7
"""The lowest trial prior, in log-odds (about 10⁻⁹): a bound under it is reported as 0."""

GRID_POINTS = 240
"""Trial priors on the grid between the lowest and the stated prior."""

BISECTIONS = 40
"""Halvings of the interval (in log-odds) that holds the bound once the grid has found it."""


def _logit(p: float) -> float:
    return math.log(p) - math.log1p(-p)


def _prior_at(prior: FloatArray, leader: int, logit: float) -> FloatArray:
    """The prior vector with the leader's prior at ``logit`` and the rivals scaled together."""
    share = 1.0 / (1.0 + math.exp(-logit))
    rest = prior.copy()
    rest[leader] = 0.0
    scaled: FloatArray = rest * ((1.0 - share) / rest.sum())
    scaled[leader] = share
    return scaled


def _trial(m: Matrix, leader: int, logit: float) -> Posteriors:
    prior = _prior_at(m.prior, leader, logit)
    q, contrib = contributions(m.p, m.r, prior)
    trial = replace(m, prior=prior, q=q, contrib=contrib)
    return posteriors(trial, representatives(trial))


def _lowest(
    holds: Callable[[Posteriors], bool],
    trials: list[tuple[float, Posteriors]],
    m: Matrix,
    leader: int,
) -> float:
    """The smallest prior above which ``holds`` is true at every trial (0 when it holds down
    to the lowest trial prior)."""
    failing = [i for i, (_logit, post) in enumerate(trials) if not holds(post)]
    if not failing:
        return 0.0
    last = failing[-1]
    low, high = trials[last][0], trials[last + 1][0]
    for _ in range(BISECTIONS):
        middle = (low + high) / 2.0
        if holds(_trial(m, leader, middle)):
            high = middle
        else:
            low = middle
    return 1.0 / (1.0 + math.exp(-high))


def prior_bounds(m: Matrix, leader: int, thresholds: dict[str, float]) -> PriorBounds | None:
    """The leader's lowest prior that keeps it leading, and each standard of proof it meets
    now (``thresholds``: name → the threshold its ``posterior_low`` must exceed). None when
    there is no rival to scale (a single hypothesis) or the stated prior is already 1."""
    stated = float(m.prior[leader])
    if len(m.prior) < 2 or not 0.0 < stated < 1.0:
        return None
    top = _logit(stated)
    bottom = min(LOWEST_LOGIT, top)
    logits = [bottom + (top - bottom) * k / GRID_POINTS for k in range(GRID_POINTS + 1)]
    trials = [(logit, _trial(m, leader, logit)) for logit in logits]
    trials[-1] = (top, posteriors(m, representatives(m)))

    def leads(post: Posteriors) -> bool:
        best = float(post.dependent[leader])
        others = np.delete(post.dependent, leader)
        return bool(best > float(others.max()))

    now = trials[-1][1]
    if not leads(now):
        return None
    met = {name: t for name, t in thresholds.items() if float(now.low[leader]) > t}
    standards: dict[str, float] = {}
    for name, threshold in sorted(met.items(), key=lambda kv: (kv[1], kv[0])):

        def meets(post: Posteriors, t: float = threshold) -> bool:
            return float(post.low[leader]) > t

        standards[name] = published(_lowest(meets, trials, m, leader))
    return PriorBounds(
        prior=published(stated),
        leads_above=published(_lowest(leads, trials, m, leader)),
        standards_above=standards,
    )
