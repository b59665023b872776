"""Log-odds posteriors: every item counted, or each dependence cluster counted once.

Within a cluster (one origin repeated, or items derived one from another) the engine counts the
most diagnostic member only: the one whose log-LR contributions spread widest across the
hypotheses. Echoes of an origin add nothing to it; if an echo were graded higher than its origin
it would be the one counted, which is why a repeat should never be graded above its origin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from enquiry.analysis.matrix import FloatArray, IntArray, Matrix


@dataclass(frozen=True)
class Representatives:
    """Per cluster: the member counted, the runner-up, and the best member of another source."""

    rep: IntArray
    second: IntArray
    """Second most diagnostic member (-1 if the cluster has one member)."""
    other_source: IntArray
    """Most diagnostic member whose source differs from the representative's (-1 if none)."""
    spread: FloatArray
    """N: each item's diagnosticity, max minus min of its contributions."""


def spread(contrib: FloatArray) -> FloatArray:
    """Diagnosticity of rows of contributions: how far apart the hypotheses' log-LRs lie."""
    result: FloatArray = contrib.max(axis=-1) - contrib.min(axis=-1)
    return result


def representatives(m: Matrix) -> Representatives:
    """The member each cluster counts (ties go to the earlier item, so the choice is stable)."""
    n_clusters = len(m.cluster_ids)
    d = spread(m.contrib)
    order = np.lexsort((np.arange(len(d)), -d, m.cluster))
    sorted_clusters = m.cluster[order]
    starts = np.searchsorted(sorted_clusters, np.arange(n_clusters), side="left")
    ends = np.searchsorted(sorted_clusters, np.arange(n_clusters), side="right")
    rep = order[starts]
    has_second = ends - starts > 1
    second = np.where(has_second, order[np.minimum(starts + 1, len(order) - 1)], -1)
    other_source = np.full(n_clusters, -1, dtype=np.int64)
    mismatch = m.source[order] != m.source[rep][sorted_clusters]
    candidates = order[mismatch]
    if len(candidates):
        first = np.unique(m.cluster[candidates], return_index=True)
        other_source[first[0]] = candidates[first[1]]
    return Representatives(rep=rep, second=second, other_source=other_source, spread=d)


def log_posterior(prior: FloatArray, total: FloatArray) -> FloatArray:
    """Normalised log posterior from log prior plus summed contributions (any leading shape)."""
    logits = np.log(prior) + total
    top = logits.max(axis=-1, keepdims=True)
    norm = top + np.log(np.exp(logits - top).sum(axis=-1, keepdims=True))
    result: FloatArray = logits - norm
    return result


def posterior(prior: FloatArray, total: FloatArray) -> FloatArray:
    """Posterior probabilities from log prior plus summed contributions; rows sum to 1."""
    result: FloatArray = np.exp(log_posterior(prior, total))
    return result


@dataclass(frozen=True)
class Posteriors:
    """The headline (clusters once), the every-item-counted variant, and their bounds."""

    dependent_total: FloatArray
    independent_total: FloatArray
    dependent: FloatArray
    independent: FloatArray
    low: FloatArray
    high: FloatArray


def posteriors(m: Matrix, reps: Representatives) -> Posteriors:
    """Both dependence models; the headline counts each cluster once."""
    dep_total = m.contrib[reps.rep].sum(axis=0)
    ind_total = m.contrib.sum(axis=0)
    dep = posterior(m.prior, dep_total)
    ind = posterior(m.prior, ind_total)
    return Posteriors(
        dependent_total=dep_total,
        independent_total=ind_total,
        dependent=dep,
        independent=ind,
        low=np.minimum(dep, ind),
        high=np.maximum(dep, ind),
    )
