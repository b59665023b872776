"""Heuer's step 6 as arithmetic: how far the conclusion moves when the inputs move.

Three families of perturbation, each one change at a time: leave a dependence cluster out, move
one rating one step along II < I < N < C < CC, downgrade one source one reliability grade. They
are computed incrementally: a perturbation changes a few rows, so the new totals are the old
totals minus the old cluster contributions plus the new ones, never a re-run of the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from enquiry.analysis.inputs import RELIABILITY, AnalysisInput
from enquiry.analysis.matrix import FloatArray, IntArray, Matrix, contributions, step_values
from enquiry.analysis.posterior import Posteriors, Representatives, log_posterior, spread
from enquiry.analysis.tables import Tables

CHUNK = 32768
"""Perturbations evaluated per vectorised batch (memory stays at CHUNK x K floats per array)."""

KINDS = ("leave_out_cluster", "rating_step", "downgrade_source")

TIE = 1e-9
"""Log-odds margin within which the old leader counts as tied, and a tie as not surviving."""


@dataclass(frozen=True)
class Outcome:
    """The result of one family of perturbations, one entry per perturbation."""

    kind: str
    leader: IntArray
    """The leading hypothesis after the perturbation."""
    leader_posterior: FloatArray
    """The original leader's posterior after the perturbation."""
    target: IntArray
    """Cluster, evidence row or source index the perturbation touched."""
    column: IntArray
    """Hypothesis column of a rating step (-1 otherwise)."""
    new_code: IntArray
    """Rating code reached by a rating step (-1 otherwise)."""


def _judge(prior: FloatArray, totals: FloatArray, leader: int) -> tuple[IntArray, FloatArray]:
    logp = log_posterior(prior, totals)
    new_leader = _leader_after(logp, leader)
    return new_leader, np.exp(logp[:, leader])


def _leader_after(logits: FloatArray, leader: int) -> IntArray:
    """The leader after a change; where the old leader only ties for first, a rival is named."""
    handicap = np.zeros(logits.shape[-1])
    handicap[leader] = TIE
    result: IntArray = (logits - handicap).argmax(axis=-1).astype(np.int64)
    return result


def _better(
    d_new: FloatArray, i_new: IntArray, d_old: FloatArray, i_old: IntArray
) -> npt.NDArray[np.bool_]:
    """Whether a (possibly changed) member displaces the counted one: more diagnostic, or tied
    and earlier — the same rule :func:`representatives` uses."""
    result: npt.NDArray[np.bool_] = (d_new > d_old) | ((d_new == d_old) & (i_new < i_old))
    return result


def leave_out_clusters(m: Matrix, reps: Representatives, post: Posteriors, leader: int) -> Outcome:
    """Each cluster removed in turn."""
    totals = post.dependent_total[None, :] - m.contrib[reps.rep]
    new_leader, p = _judge(m.prior, totals, leader)
    n = len(reps.rep)
    none = np.full(n, -1, dtype=np.int64)
    return Outcome("leave_out_cluster", new_leader, p, np.arange(n, dtype=np.int64), none, none)


def leave_out_evidence(
    m: Matrix, reps: Representatives, post: Posteriors, leader: int, rows: IntArray
) -> Outcome:
    """One perturbation: the evidence ``rows`` set aside together (the samples whose chain of
    custody is broken, say), where :func:`leave_out_clusters` sets aside one whole cluster at a
    time. A cluster that loses the member it counted counts its most diagnostic remaining member
    instead (the rule :func:`~enquiry.analysis.posterior.representatives` applies: ties to the
    earlier item); a cluster left with none counts nothing. Computed, like the other families,
    from the totals the analysis already has: old counted contributions out, new ones in."""
    dropped = np.zeros(len(m.cluster), dtype=np.bool_)
    dropped[rows] = True
    touched = np.unique(m.cluster[rows]) if len(rows) else np.empty(0, dtype=np.int64)
    lost = touched[dropped[reps.rep[touched]]]  # clusters whose counted member is set aside
    totals = post.dependent_total - m.contrib[reps.rep[lost]].sum(axis=0)
    remaining = np.nonzero(~dropped & np.isin(m.cluster, lost))[0]
    if len(remaining):
        order = remaining[np.lexsort((remaining, -reps.spread[remaining], m.cluster[remaining]))]
        first = np.ones(len(order), dtype=np.bool_)
        first[1:] = m.cluster[order][1:] != m.cluster[order][:-1]
        totals = totals + m.contrib[order[first]].sum(axis=0)
    new_leader, p = _judge(m.prior, totals[None, :], leader)
    none = np.full(1, -1, dtype=np.int64)
    return Outcome("leave_out_evidence", new_leader, p, none, none, none)


def rating_steps(
    m: Matrix, reps: Representatives, post: Posteriors, tables: Tables, leader: int
) -> Outcome:
    """Each rated cell moved one step up and one step down the scale (where the scale allows)."""
    up, down, up_code, down_code = step_values(tables)
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    values: list[FloatArray] = []
    codes: list[IntArray] = []
    scale_cells = m.rated & (m.codes >= 0)
    for table, code_table in ((up, up_code), (down, down_code)):
        ok = scale_cells.copy()
        ok[scale_cells] = code_table[m.codes[scale_cells]] >= 0
        ii, jj = np.nonzero(ok)
        rows.append(ii.astype(np.int64))
        cols.append(jj.astype(np.int64))
        values.append(table[m.codes[ii, jj]])
        codes.append(code_table[m.codes[ii, jj]])
    ii_all = np.concatenate(rows)
    jj_all = np.concatenate(cols)
    val_all = np.concatenate(values)
    code_all = np.concatenate(codes)
    order = np.lexsort((code_all, jj_all, ii_all))
    ii_all, jj_all, val_all, code_all = (
        ii_all[order],
        jj_all[order],
        val_all[order],
        code_all[order],
    )
    report = m.r[:, None] * m.p + (1.0 - m.r)[:, None] * m.q[:, None]
    log_prior = np.log(m.prior)
    p0 = float(post.dependent[leader])
    no_rival = np.iinfo(np.int64).max
    leaders: list[IntArray] = []
    probs: list[FloatArray] = []
    for start in range(0, len(ii_all), CHUNK):
        ii = ii_all[start : start + CHUNK]
        jj = jj_all[start : start + CHUNK]
        at = np.arange(len(ii))
        # P(E|H_j) moves by dp: the base rate q moves by prior_j * dp, so every hypothesis's
        # P(report|H) moves by (1 - r) * dq, and H_j's also by r * dp.
        rr = m.r[ii]
        dp = val_all[start : start + CHUNK] - m.p[ii, jj]
        dq = m.prior[jj] * dp
        c_new = report[ii]
        c_new += ((1.0 - rr) * dq)[:, None]
        c_new[at, jj] += rr * dp
        np.log(c_new, out=c_new)
        c_new -= np.log(m.q[ii] + dq)[:, None]
        d_new = c_new.max(axis=1) - c_new.min(axis=1)
        cl = m.cluster[ii]
        rep = reps.rep[cl]
        is_rep = ii == rep
        rival = np.where(is_rep, reps.second[cl], rep)
        d_rival = np.where(rival >= 0, reps.spread[np.maximum(rival, 0)], -np.inf)
        take_new = _better(d_new, ii, d_rival, np.where(rival >= 0, rival, no_rival))
        # a member that stays uncounted changes nothing: its row keeps the old verdict
        moved = take_new | is_rep
        leader_out = np.full(len(ii), leader, dtype=np.int64)
        p_out = np.full(len(ii), p0, dtype=np.float64)
        totals = c_new[moved]
        stay = ~take_new[moved]
        totals[stay] = m.contrib[rival[moved][stay]]
        totals += post.dependent_total[None, :] - m.contrib[rep[moved]]
        totals += log_prior[None, :]
        leader_out[moved] = _leader_after(totals, leader)
        totals -= totals.max(axis=1)[:, None]
        np.exp(totals, out=totals)
        p_out[moved] = totals[:, leader] / totals.sum(axis=1)
        leaders.append(leader_out)
        probs.append(p_out)
    return Outcome(
        "rating_step",
        np.concatenate(leaders) if leaders else np.empty(0, dtype=np.int64),
        np.concatenate(probs) if probs else np.empty(0, dtype=np.float64),
        ii_all,
        jj_all,
        code_all,
    )


def downgrade_sources(
    inp: AnalysisInput,
    m: Matrix,
    reps: Representatives,
    post: Posteriors,
    tables: Tables,
    leader: int,
) -> Outcome:
    """Each source's reliability lowered one grade (A -> B ... E -> F) for all its items at once."""
    n = len(inp.evidence)
    n_sources = len(m.source_ids)
    grade = np.array([RELIABILITY.index(e.reliability) for e in inp.evidence], dtype=np.int64)
    lower = np.minimum(grade + 1, len(RELIABILITY) - 1)
    factor = np.array([tables.credibility[e.credibility] for e in inp.evidence], dtype=np.float64)
    rel = np.array([tables.reliability[g] for g in RELIABILITY], dtype=np.float64)
    r_down = rel[lower] * factor if n else np.empty(0, dtype=np.float64)
    _, c_down = contributions(m.p, r_down, m.prior)
    d_down = spread(c_down)
    changed = np.zeros(n_sources, dtype=np.bool_)
    if n:
        changed[m.source[grade != lower]] = True
    n_clusters = len(m.cluster_ids)
    key = m.source * max(n_clusters, 1) + m.cluster
    order = np.lexsort((np.arange(n), -d_down, key))
    keys_sorted = key[order]
    first = np.ones(len(order), dtype=np.bool_)
    first[1:] = keys_sorted[1:] != keys_sorted[:-1]
    best = order[first]
    pair_source = m.source[best]
    pair_cluster = m.cluster[best]
    rep = reps.rep[pair_cluster]
    keep = np.where(m.source[rep] != pair_source, rep, reps.other_source[pair_cluster])
    d_keep = np.where(keep >= 0, reps.spread[np.maximum(keep, 0)], -np.inf)
    take_new = _better(
        d_down[best], best, d_keep, np.where(keep >= 0, keep, np.iinfo(np.int64).max)
    )
    counted = np.where(take_new[:, None], c_down[best], m.contrib[np.maximum(keep, 0)])
    delta = np.zeros((n_sources, m.contrib.shape[1]), dtype=np.float64)
    np.add.at(delta, pair_source, counted - m.contrib[rep])
    totals = post.dependent_total[None, :] + delta
    targets = np.nonzero(changed)[0].astype(np.int64)
    new_leader, p = _judge(m.prior, totals[targets], leader)
    none = np.full(len(targets), -1, dtype=np.int64)
    return Outcome("downgrade_source", new_leader, p, targets, none, none)


def run(
    inp: AnalysisInput,
    m: Matrix,
    reps: Representatives,
    post: Posteriors,
    tables: Tables,
    leader: int,
) -> list[Outcome]:
    """All three families, in a fixed order."""
    return [
        leave_out_clusters(m, reps, post, leader),
        rating_steps(m, reps, post, tables, leader),
        downgrade_sources(inp, m, reps, post, tables, leader),
    ]
