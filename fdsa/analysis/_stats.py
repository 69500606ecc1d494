"""Small, fast statistics: intervals, least squares and GLMs with standard errors.

Solved directly with numpy (normal equations / IRLS) rather than through
scikit-learn or statsmodels: at 1.7M rows × 50 columns a direct solve takes a
fraction of a second, and we need covariance matrices, which scikit-learn does
not give. Each routine is checked against statsmodels in the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse, stats
from threadpoolctl import threadpool_limits

Z95 = float(stats.norm.ppf(0.975))


def wilson(successes: np.ndarray | float, n: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval for a proportion (well behaved for small n and p near 0/1)."""
    s = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = s / n
        denom = 1 + Z95**2 / n
        centre = (p + Z95**2 / (2 * n)) / denom
        half = Z95 * np.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2)) / denom
    return centre - half, centre + half


def poisson_rate_interval(
    count: np.ndarray, exposure: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) 95% interval for a Poisson rate ``count / exposure``."""
    count = np.asarray(count, dtype=float)
    lo = np.where(count > 0, stats.chi2.ppf(0.025, 2 * count) / 2, 0.0)
    hi = stats.chi2.ppf(0.975, 2 * count + 2) / 2
    return lo / exposure, hi / exposure


def quantile_interval(values: np.ndarray, q: float = 0.5) -> tuple[float, float, float]:
    """Sample quantile with a distribution-free 95% interval from order statistics.

    The ranks bounding the interval come from the binomial(n, q) distribution, so
    no bootstrap is needed and the interval is exact up to discreteness.
    """
    x = np.sort(np.asarray(values, dtype=float))
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return np.nan, np.nan, np.nan
    est = float(np.quantile(x, q))
    lo_rank = int(stats.binom.ppf(0.025, n, q))
    hi_rank = int(stats.binom.ppf(0.975, n, q)) + 1
    lo = x[max(lo_rank - 1, 0)] if lo_rank >= 1 else -np.inf
    hi = x[min(hi_rank - 1, n - 1)] if hi_rank <= n else np.inf
    return est, float(lo if n >= 2 else np.nan), float(hi if n >= 2 else np.nan)


@dataclass(frozen=True)
class Fit:
    """Coefficients, their covariance and the fit's sample size."""

    names: list[str]
    coef: np.ndarray
    cov: np.ndarray
    n: int
    residuals: np.ndarray | None = None

    def table(self) -> pd.DataFrame:
        """One row per term: ``term``, ``estimate``, ``se``, ``lo``, ``hi``, ``n``."""
        se = np.sqrt(np.diag(self.cov))
        return pd.DataFrame(
            {
                "term": self.names,
                "estimate": self.coef,
                "se": se,
                "lo": self.coef - Z95 * se,
                "hi": self.coef + Z95 * se,
                "n": self.n,
            }
        )

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Linear predictor and its standard error for rows of ``x``."""
        x = np.atleast_2d(x)
        return x @ self.coef, np.sqrt(np.einsum("ij,jk,ik->i", x, self.cov, x))


def cluster_sums(x: np.ndarray, weights: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """Per-cluster sums of ``x * weights[:, None]``: one row per distinct cluster.

    No copy of the design and no Python loop over rows: a column-major ``x`` is
    summed one contiguous column at a time with ``bincount``; a row-major one in
    one pass through a sparse cluster-indicator matrix (CSC built without sorting).
    """
    codes, uniques = pd.factorize(clusters, sort=False)
    return group_sums(codes, x, len(uniques), weights)


def group_sums(
    codes: np.ndarray, x: np.ndarray, n_groups: int, weights: np.ndarray | None = None
) -> np.ndarray:
    """Per-group sums of the rows of ``x`` (times ``weights``): row ``g`` of the result
    sums the rows whose code is ``g``.

    No copy of ``x``: a column-major ``x`` is summed one contiguous column at a time
    with ``bincount``; a row-major one in one pass through a sparse group-indicator
    matrix (CSC built without sorting), which adds the same values in the same order
    and is about 2.5× faster.
    """
    n = len(codes)
    values = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    if x.flags.f_contiguous and not x.flags.c_contiguous:
        out = np.empty((n_groups, x.shape[1]))
        for j in range(x.shape[1]):
            column = x[:, j] if weights is None else x[:, j] * values
            out[:, j] = np.bincount(codes, weights=column, minlength=n_groups)
        return out
    indicator = sparse.csc_matrix((values, codes, np.arange(n + 1)), shape=(n_groups, n))
    return np.asarray(indicator @ x)


def positive_semidefinite(cov: np.ndarray) -> np.ndarray:
    """A two-way cluster-robust covariance with its negative eigenvalues set to zero.

    V(first) + V(second) − V(both) is not always positive semidefinite: with few
    clusters on one side a term's variance can come out negative. Cameron, Gelbach &
    Miller (2011, section 2.3) replace the negative eigenvalues by zero; a matrix that
    is already positive semidefinite is returned unchanged.
    """
    sym = (cov + cov.T) / 2
    values, vectors = np.linalg.eigh(sym)
    if values.min() >= 0:
        return cov
    return (vectors * np.clip(values, 0, None)) @ vectors.T


def ols(x: np.ndarray, y: np.ndarray, names: list[str], clusters: np.ndarray | None = None) -> Fit:
    """Least squares with HC1 or cluster-robust (CR1) covariance.

    Clustered errors (e.g. by freelancer) are needed whenever rows of one unit share
    an unobserved effect; ignoring it makes intervals too narrow.
    """
    n, k = x.shape
    xtx_inv = np.linalg.inv(x.T @ x)
    coef = xtx_inv @ (x.T @ y)
    resid = y - x @ coef
    if clusters is None:
        meat = x.T @ (x * (resid**2)[:, None])
        adj = n / (n - k)
    else:
        summed = cluster_sums(x, resid, clusters)
        g = summed.shape[0]
        meat = summed.T @ summed
        adj = g / (g - 1) * (n - 1) / (n - k)
    cov = adj * xtx_inv @ meat @ xtx_inv
    return Fit(names, coef, cov, n, resid)


def ols_by_blocks(
    design: Callable[[int, int], np.ndarray],
    n: int,
    y: np.ndarray,
    names: list[str],
    clusters: np.ndarray,
    rows: int = 1 << 17,
    *,
    second_clusters: np.ndarray | None = None,
) -> tuple[Fit, np.ndarray]:
    """:func:`ols` with cluster-robust (CR1) covariance, the design built in blocks.

    ``design(start, stop)`` returns rows ``start:stop`` of the design. Two passes
    (normal equations; then residuals and per-cluster score sums), so the whole
    n × k design never exists at once. Returns the fit and the design's column sums.
    With ``second_clusters`` the covariance is two-way cluster-robust (Cameron,
    Gelbach & Miller): V(first) + V(second) − V(both), each with its CR1 factor —
    for rows correlated within either kind of group (e.g. bids by one freelancer,
    and bids on one job).
    """
    k = len(names)
    xtx, xty, column_sums = np.zeros((k, k)), np.zeros(k), np.zeros(k)
    for lo in range(0, n, rows):
        x = design(lo, min(n, lo + rows))
        xtx += x.T @ x
        xty += x.T @ y[lo : lo + rows]
        column_sums += x.sum(axis=0)
    xtx_inv = np.linalg.inv(xtx)
    coef = xtx_inv @ xty
    groupings = [pd.factorize(clusters, sort=False)[0]]
    if second_clusters is not None:
        second = pd.factorize(second_clusters, sort=False)[0]
        both = pd.factorize(groupings[0].astype(np.int64) * (second.max() + 1) + second)[0]
        groupings += [second, both]
    sizes = [int(codes.max()) + 1 if len(codes) else 0 for codes in groupings]
    # a grouping of single rows (e.g. each freelancer bids once per job) needs no sums
    by_row = [g == n for g in sizes]
    scores = [np.zeros((k, k) if one else (g, k)) for g, one in zip(sizes, by_row, strict=True)]
    resid = np.empty(n)
    for lo in range(0, n, rows):
        x = design(lo, min(n, lo + rows))
        r = y[lo : lo + rows] - x @ coef
        resid[lo : lo + rows] = r
        for codes, g, single, score in zip(groupings, sizes, by_row, scores, strict=True):
            if single:
                xr = x * r[:, None]
                score += xr.T @ xr
                continue
            score += group_sums(codes[lo : lo + rows], x, g, r)
    meat = np.zeros((k, k))
    for sign, g, single, score in zip((1.0, 1.0, -1.0), sizes, by_row, scores, strict=False):
        outer = score if single else score.T @ score
        meat += sign * g / (g - 1) * (n - 1) / (n - k) * outer
    cov = xtx_inv @ meat @ xtx_inv
    if second_clusters is not None:
        cov = positive_semidefinite(cov)
    return Fit(names, coef, cov, n, resid), column_sums


_SUBSAMPLE_ABOVE = 200_000
_BLOCK_VALUES = 1 << 17  # design values per block of rows (1 MiB: stays in cache)


def _converged(step: float, last_step: float, tol: float) -> bool:
    """Whether the Newton iterate is within ``tol`` of the optimum.

    True when the step is below ``tol``, or when the error left after it, predicted
    from the quadratic contraction ``step / last_step**2``, is a hundredth of ``tol``
    (this saves the one confirming pass over the data; for linear convergence the
    prediction is conservative).
    """
    if step < tol:
        return True
    return bool(np.isfinite(last_step) and step**3 < tol / 100 * last_step**2)


def _mean(family: str, eta: np.ndarray) -> np.ndarray:
    """Inverse link: logistic or exponential."""
    if family == "poisson":
        return np.exp(eta)
    out = np.negative(eta)
    np.exp(out, out=out)
    out += 1
    return np.reciprocal(out, out=out)


def _newton_system(
    x: np.ndarray,
    y: np.ndarray,
    m: np.ndarray,
    family: str,
    coef: np.ndarray | None,
    offset: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, float]:
    """IRLS normal equations at ``coef``: ``X'WX``, ``X'Wz`` and the Pearson sum.

    Works through blocks of rows small enough to stay in cache, so each Newton
    step reads the design from memory once (linear predictor, weights, both
    products). Without ``coef`` the standard GLM start is used (fitted means near
    the data). ``offset`` is added to the linear predictor (Poisson exposure).
    """
    n, k = x.shape
    block = max(1024, _BLOCK_VALUES // max(k, 1))
    hessian, score, pearson = np.zeros((k, k)), np.zeros(k), 0.0
    scaled = np.empty((min(n, block), k))
    for lo in range(0, n, block):
        part, yy, mm = x[lo : lo + block], y[lo : lo + block], m[lo : lo + block]
        off = 0.0 if offset is None else offset[lo : lo + block]
        t = yy / mm if family == "logit" else yy
        if coef is not None:
            eta = np.clip(part @ coef + off, -30, 30)
            mu = _mean(family, eta)
        elif family == "logit":
            mu = (yy + 0.5) / (mm + 1)
            eta = np.log(mu / (1 - mu))
        else:
            mu = yy + 0.5
            eta = np.log(mu)
        v = np.maximum(mu * (1 - mu) if family == "logit" else mu, 1e-12)
        resid = t - mu
        pearson += float(mm @ (resid * resid / v))
        z = resid / v
        z += eta - off
        buf = scaled[: len(part)]
        np.multiply(part, (mm * v)[:, None], out=buf)
        hessian += part.T @ buf
        score += buf.T @ z
    return hessian, score, pearson


def glm(
    x: np.ndarray,
    y: np.ndarray,
    names: list[str],
    family: str,
    *,
    trials: np.ndarray | None = None,
    max_iter: int = 50,
    tol: float = 1e-8,
    scale_by_dispersion: bool = False,
    start: np.ndarray | None = None,
    offset: np.ndarray | None = None,
) -> Fit:
    """Logistic (``family='logit'``) or Poisson (``'poisson'``) regression by IRLS.

    With ``trials`` (logit only) each row is a group of ``trials`` identical
    observations of which ``y`` succeeded: the binomial likelihood of the grouped
    rows equals the logit likelihood of the individual rows, so estimates and
    covariance are exactly those of the ungrouped fit, from far fewer rows.
    ``n`` of the fit is then the number of observations. With
    ``scale_by_dispersion`` the covariance is multiplied by the Pearson
    dispersion (quasi-Poisson) when it exceeds 1. Newton steps converge
    quadratically, so stopping when a step is below ``tol`` (or the error it
    leaves is predicted far below ``tol``) leaves an error far below it. Above
    200,000 rows the iterations start from a fit on a random subsample
    (``start``), which saves most of the passes over the full data; each pass
    reads the design once, in cache-sized blocks of rows. ``offset`` (Poisson only)
    is a known term of the linear predictor, such as the log of each row's exposure.
    """
    n, k = x.shape
    if family not in ("logit", "poisson"):
        raise ValueError(f"unknown family {family!r}")
    if trials is not None and family != "logit":
        raise ValueError("trials are for the logit family only")
    if offset is not None:
        if family != "poisson":
            raise ValueError("offset is for the poisson family only")
        offset = np.asarray(offset, dtype=float)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    m = np.ones(n) if trials is None else np.asarray(trials, dtype=float)
    if start is None and n > _SUBSAMPLE_ABOVE:
        rows = np.random.default_rng(0).choice(n, _SUBSAMPLE_ABOVE // 2, replace=False)
        rows.sort()
        sub = glm(
            x[rows],
            y[rows],
            names,
            family,
            trials=None if trials is None else m[rows],
            offset=None if offset is None else offset[rows],
        )
        if np.all(np.isfinite(sub.coef)):
            start = sub.coef
    coef = None if start is None else np.asarray(start, dtype=float)
    # the products per block are k × k: BLAS threads would only spin
    with threadpool_limits(1, "blas"):
        hessian, score, pearson = _newton_system(x, y, m, family, coef, offset)
        last_step = np.inf
        for _ in range(max_iter):
            new = np.linalg.solve(hessian, score)
            step = np.inf if coef is None else float(np.max(np.abs(new - coef)))
            coef = new
            hessian, score, pearson = _newton_system(x, y, m, family, coef, offset)
            if _converged(step, last_step, tol):
                break
            last_step = step
    if coef is None:
        raise ValueError("max_iter must be at least 1")
    cov = np.linalg.inv(hessian)
    n_obs = int(round(m.sum()))
    if scale_by_dispersion:
        cov = cov * max(pearson / max(n_obs - k, 1), 1.0)
    return Fit(names, coef, cov, n_obs)


def benjamini_hochberg(p_values: np.ndarray, q: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """BH step-up: (rejected mask, adjusted q-values) controlling the false discovery rate."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    q_values = np.empty(m)
    q_values[order] = np.minimum(adjusted, 1.0)
    return q_values <= q, q_values


def dummy_levels(
    values: pd.Series, levels: tuple[str, ...], reference: str
) -> tuple[np.ndarray, list[tuple[int, str]]]:
    """Codes of ``values`` in ``levels`` (−1 if absent) and the (code, level) pairs
    that get a 0/1 column: every level present except ``reference``, in vocabulary order.
    """
    codes = pd.Categorical(values, categories=list(levels)).codes
    present = np.bincount(codes[codes >= 0], minlength=len(levels)) > 0
    return codes, [(i, lv) for i, lv in enumerate(levels) if lv != reference and present[i]]


def dummies(
    values: pd.Series, levels: tuple[str, ...], reference: str, prefix: str
) -> pd.DataFrame:
    """0/1 columns for every level present except ``reference`` (named ``prefix + level``)."""
    codes = pd.Categorical(values, categories=list(levels)).codes
    present = np.bincount(codes[codes >= 0], minlength=len(levels)) > 0
    return pd.DataFrame(
        {
            f"{prefix}{lv}": (codes == i).astype(float)
            for i, lv in enumerate(levels)
            if lv != reference and present[i]
        },
        index=values.index,
    )


def two_group_logit(
    n: np.ndarray, successes: np.ndarray, names: list[str], *, min_n: int = 30
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A yes/no outcome in a reference group and a compared group: rates and logit.

    Returns
    -------
    (rates, model)
        ``rates``: one row per group (reference first): ``n``, ``count``, ``rate``,
        ``lo``, ``hi`` (Wilson 95%), ``low_n``. ``model``: the logit of the outcome on
        "compared group" (binomial on the two groups, which equals the logit on every
        row): ``names[0]`` the reference log-odds, ``names[1]`` the difference.

    Raises
    ------
    ValueError
        When a group has fewer than 10 rows or all or none of them succeeded.
    """
    n = np.asarray(n, dtype=int)
    k = np.asarray(successes, dtype=int)
    rates = pd.DataFrame({"n": n, "count": k})
    share_n = rates.n.where(rates.n > 0)
    rates["rate"] = rates["count"] / share_n
    rates["lo"], rates["hi"] = wilson(rates["count"], share_n)
    rates["low_n"] = rates.n < min_n
    if (n < 10).any() or (k == 0).any() or (k == n).any():
        raise ValueError(f"too few rows in each group to compare them (n={n.tolist()})")
    fit = glm(np.column_stack([np.ones(2), [0.0, 1.0]]), k.astype(float), names, "logit", trials=n)
    return rates, fit.table()


def conditional_logit(
    x: np.ndarray,
    chosen: np.ndarray,
    groups: np.ndarray,
    names: list[str],
    *,
    max_iter: int = 100,
    tol: float = 1e-8,
    start: np.ndarray | None = None,
    clusters: np.ndarray | None = None,
    optimum: tuple[np.ndarray, np.ndarray] | None = None,
) -> Fit:
    """Conditional (fixed-effects) logit: in each group exactly one row was chosen.

    P(row i chosen | its group) = exp(x_i·β) / Σ_group exp(x_j·β), the model of a
    client picking one of a job's proposals (McFadden). Anything common to a group
    (the job, its client, its pay) cancels. Newton–Raphson with the exact Hessian,
    halving a step that would lower the (concave) log-likelihood; the covariance is
    the inverse Hessian (model-based). With ``clusters`` (per-row labels, e.g. the
    freelancer) it is a two-way cluster-robust sandwich instead (Cameron, Gelbach &
    Miller: by cluster and by group, minus by row, each with its CR1 factor), for
    rows of one cluster that share something the model does not see. Above
    200,000 rows the iterations start from a fit on a subsample of the groups. Rows
    must be sorted by ``groups``; ``n`` of the fit is the number of rows.
    ``optimum``: ``(fit.coef, fit.cov)`` of a model-based fit of this very model and
    data, so that another covariance of it needs no iterations (the same numbers).
    """
    x = np.asarray(x, dtype=float)
    chosen = np.asarray(chosen, dtype=bool)
    n, k = x.shape
    new_group = np.r_[True, groups[1:] != groups[:-1]]
    starts = np.flatnonzero(new_group)
    index = np.cumsum(new_group) - 1
    if optimum is not None:  # another covariance at a known optimum: no iterations
        coef, bread = optimum
        return _robust(x, chosen, starts, index, names, coef, bread, clusters)
    target = x[chosen].sum(axis=0)
    # the choice sets as a sparse groups × rows matrix whose entries are the rows'
    # probabilities: its product with x sums p·x by group without an n × k temporary
    by_group = sparse.csr_matrix(
        (np.ones(n), np.arange(n), np.r_[starts, n]), shape=(len(starts), n)
    )
    block = max(1, _BLOCK_VALUES // max(k, 1))

    def state(coef: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        eta = x @ coef
        eta -= np.maximum.reduceat(eta, starts)[index]
        w = np.exp(eta)
        total = np.add.reduceat(w, starts)
        loglik = float(eta[chosen].sum() - np.log(total).sum())
        p = w / total[index]
        by_group.data = p
        m = by_group @ x
        # x' diag(p) x in blocks of rows that stay in cache
        weighted = np.zeros((k, k))
        for lo in range(0, n, block):
            part = x[lo : lo + block]
            weighted += part.T @ (part * p[lo : lo + block, None])
        return loglik, target - m.sum(axis=0), weighted - m.T @ m

    coef = np.zeros(k) if start is None else np.asarray(start, dtype=float)
    if start is None and n > _SUBSAMPLE_ABOVE:
        # start from a fit on every m-th choice set: most Newton steps on a fraction
        # of the rows, then a few on all of them
        m = -(-n // (_SUBSAMPLE_ABOVE // 2))
        keep = (index % m) == 0
        sub = conditional_logit(x[keep], chosen[keep], index[keep], names, tol=1e-4)
        if np.all(np.isfinite(sub.coef)):
            coef = sub.coef
    with threadpool_limits(1, "blas"):
        loglik, score, hessian = state(coef)
        last_step = np.inf
        for _ in range(max_iter):
            step = np.linalg.solve(hessian, score)
            for _ in range(60):
                new = state(coef + step)
                if new[0] >= loglik - 1e-9 * abs(loglik):
                    break
                step = step / 2
            coef = coef + step
            loglik, score, hessian = new
            size = float(np.max(np.abs(step)))
            if _converged(size, last_step, tol):
                break
            last_step = size
    return _robust(x, chosen, starts, index, names, coef, np.linalg.inv(hessian), clusters)


def _robust(
    x: np.ndarray,
    chosen: np.ndarray,
    starts: np.ndarray,
    index: np.ndarray,
    names: list[str],
    coef: np.ndarray,
    bread: np.ndarray,
    clusters: np.ndarray | None,
) -> Fit:
    """The conditional logit's fit at ``coef``: model-based (``bread``, the inverse
    Hessian) without ``clusters``, else the two-way cluster-robust sandwich.
    """
    n, k = x.shape
    if clusters is None:
        return Fit(names, coef, bread, n)
    eta = x @ coef
    eta -= np.maximum.reduceat(eta, starts)[index]
    w = np.exp(eta)
    p = w / np.add.reduceat(w, starts)[index]
    scores = x * (chosen - p)[:, None]  # per-row parts of each group's score
    meat = np.zeros((k, k))
    for sign, labels in ((1.0, clusters), (1.0, index), (-1.0, None)):
        if labels is None:
            summed, g = scores, n
        else:
            summed = cluster_sums(scores, np.ones(n), labels)
            g = len(summed)
        meat += sign * g / max(g - 1, 1) * (summed.T @ summed)
    return Fit(names, coef, positive_semidefinite(bread @ meat @ bread), n)


# ---------------------------------------------------------------- cluster bootstrap

BOOTSTRAP_REPS = 400
"""Replicates of :func:`cluster_bootstrap_ratio` and :func:`cluster_bootstrap_quantile`."""
_BOOTSTRAP_CELLS = 1 << 22  # replicate × row weights held at once (32 MiB)


def cluster_weights(
    n_clusters: int, reps: int = BOOTSTRAP_REPS, seed: int = 0
) -> Iterator[np.ndarray]:
    """Resampling counts of ``n_clusters`` clusters, in chunks of replicates.

    Each row of a chunk says how often each cluster is drawn in one replicate (a
    draw of ``n_clusters`` clusters with replacement: multinomial counts), the
    classic cluster bootstrap. Seeded, so every call gives the same intervals; the
    ``reps`` rows come in chunks of about four million cells, so memory stays
    bounded whatever the number of clusters.
    """
    rng = np.random.default_rng(seed)
    chunk = max(1, _BOOTSTRAP_CELLS // max(n_clusters, 1))
    for start in range(0, reps, chunk):
        rows = min(chunk, reps - start)
        if n_clusters == 0:
            yield np.zeros((rows, 0))
            continue
        draws = rng.integers(0, n_clusters, size=(rows, n_clusters), dtype=np.int64)
        draws += (np.arange(rows, dtype=np.int64) * n_clusters)[:, None]
        counts = np.bincount(draws.ravel(), minlength=rows * n_clusters)
        yield counts.reshape(rows, n_clusters).astype(float)


def bootstrap_totals(
    totals: list[np.ndarray], reps: int = BOOTSTRAP_REPS, seed: int = 0
) -> list[np.ndarray]:
    """Replicate totals of cluster × column tables: ``reps`` × column, one per table.

    All tables share each replicate's draw of clusters (:func:`cluster_weights`).
    """
    out: list[list[np.ndarray]] = [[] for _ in totals]
    # narrow products (a few columns): BLAS threads would only spin
    with threadpool_limits(1, "blas"):
        for w in cluster_weights(len(totals[0]), reps, seed):
            for part, table in zip(out, totals, strict=True):
                part.append(w @ table)
    return [
        np.vstack(p) if p else np.zeros((0, t.shape[1])) for p, t in zip(out, totals, strict=True)
    ]


def _percentile_interval(
    numerators: np.ndarray, denominators: np.ndarray, reps: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratios of column totals and their 2.5th–97.5th cluster-bootstrap percentiles.

    ``numerators`` and ``denominators`` are cluster × column totals.
    """
    num, den = bootstrap_totals([numerators, denominators], reps, seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        est = numerators.sum(axis=0) / denominators.sum(axis=0)
        boot = num / den
        if len(boot) and len(est):
            lo, hi = np.nanpercentile(boot, [2.5, 97.5], axis=0)
        else:
            lo, hi = np.full(len(est), np.nan), np.full(len(est), np.nan)
    empty = ~(denominators.sum(axis=0) > 0) | (len(numerators) < 2)
    lo[empty] = np.nan
    hi[empty] = np.nan
    return est, lo, hi


def cluster_bootstrap_ratio(
    numerator: np.ndarray,
    denominator: np.ndarray,
    clusters: np.ndarray,
    groups: np.ndarray | None = None,
    n_groups: int = 1,
    *,
    reps: int = BOOTSTRAP_REPS,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratio ``Σ numerator / Σ denominator`` per group with a cluster-bootstrap 95% interval.

    For rates computed from rows that share a cluster (proposals of one freelancer,
    contracts of one client): whole clusters are resampled with replacement
    (:func:`cluster_weights`), the same draw for every group, and the interval is
    the 2.5th–97.5th percentile of the replicates. Vectorised: the rows are summed
    per cluster and group once; each replicate is a row of one matrix product.

    Parameters
    ----------
    numerator, denominator
        Per-row amounts (e.g. hires and proposals of a row of counts).
    clusters
        Per-row cluster labels.
    groups
        Per-row group codes ``0 .. n_groups - 1`` (all rows one group when omitted).

    Returns
    -------
    (estimate, lo, hi)
        Arrays of length ``n_groups``; NaN where a group has no denominator.
    """
    codes, uniques = pd.factorize(np.asarray(clusters), sort=True)  # any row order: same draws
    g = np.zeros(len(codes), np.int64) if groups is None else np.asarray(groups, np.int64)
    cells = codes.astype(np.int64) * n_groups + g
    size, shape = len(uniques) * n_groups, (len(uniques), n_groups)
    num = np.bincount(cells, weights=np.asarray(numerator, float), minlength=size).reshape(shape)
    den = np.bincount(cells, weights=np.asarray(denominator, float), minlength=size).reshape(shape)
    return _percentile_interval(num, den, reps, seed)


def cluster_bootstrap_shares(
    categories: np.ndarray,
    clusters: np.ndarray,
    n_categories: int,
    groups: np.ndarray | None = None,
    n_groups: int = 1,
    *,
    weights: np.ndarray | None = None,
    reps: int = BOOTSTRAP_REPS,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Share of each category within each group, with cluster-bootstrap 95% intervals.

    Like :func:`cluster_bootstrap_ratio`, for a distribution: rows (or ``weights``
    of rows, when rows are counts) of category ``c`` in group ``g`` over all rows of
    ``g``; clusters resampled whole.

    Returns
    -------
    (share, lo, hi)
        Arrays of shape ``(n_groups, n_categories)``.
    """
    codes, uniques = pd.factorize(np.asarray(clusters), sort=True)  # any row order: same draws
    n_clusters = len(uniques)
    g = np.zeros(len(codes), np.int64) if groups is None else np.asarray(groups, np.int64)
    c = np.asarray(categories, np.int64)
    wt = np.ones(len(codes)) if weights is None else np.asarray(weights, float)
    cells = (codes.astype(np.int64) * n_groups + g) * n_categories + c
    size = n_clusters * n_groups * n_categories
    num = np.bincount(cells, weights=wt, minlength=size).reshape(n_clusters, -1)
    den = np.repeat(num.reshape(n_clusters, n_groups, n_categories).sum(axis=2), n_categories, 1)
    est, lo, hi = _percentile_interval(num, den, reps, seed)
    shape = (n_groups, n_categories)
    return est.reshape(shape), lo.reshape(shape), hi.reshape(shape)


def cluster_quantile_interval(
    values: np.ndarray,
    clusters: np.ndarray,
    groups: np.ndarray | None = None,
    n_groups: int = 1,
    q: float = 0.5,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Quantile ``q`` per group with a cluster-robust (Woodruff) 95% interval.

    Rows of one cluster (contracts of one freelancer) share the cluster's level, so
    order statistics that treat them as independent are too narrow. Woodruff's
    method: the share of rows at or below the sample quantile has a cluster-robust
    standard error ``se`` (sums of ``1{x <= quantile} - q`` per cluster, CR1 factor),
    and the interval is the sample quantiles at ``q ± 1.96 se``; no density estimate
    and no resampling, O(n log n). With one row per cluster it is the usual
    distribution-free interval.

    Returns
    -------
    (n, estimate, lo, hi)
        Arrays of length ``n_groups``: rows, sample quantile and its interval (NaN for
        an empty group; the interval is NaN with fewer than two clusters).
    """
    x = np.asarray(values, dtype=float)
    keep = ~np.isnan(x)
    x = x[keep]
    codes = pd.factorize(np.asarray(clusters)[keep], sort=False)[0].astype(np.int64)
    g = np.zeros(len(x), np.int64) if groups is None else np.asarray(groups, np.int64)[keep]
    order = np.lexsort((x, g))
    x, codes, g = x[order], codes[order], g[order]
    bounds = np.searchsorted(g, np.arange(n_groups + 1))
    n = np.diff(bounds)
    est, lo, hi = (np.full(n_groups, np.nan) for _ in range(3))
    for k in np.flatnonzero(n):
        part, cl = x[bounds[k] : bounds[k + 1]], codes[bounds[k] : bounds[k + 1]]
        est[k] = float(np.quantile(part, q))
        cl = pd.factorize(cl, sort=False)[0]
        n_clusters = int(cl.max()) + 1
        if n_clusters < 2:
            continue
        u = (part <= est[k]) - q
        sums = np.bincount(cl, weights=u, minlength=n_clusters)
        se = np.sqrt(n_clusters / (n_clusters - 1) * float(sums @ sums)) / len(part)
        bounds_q = np.clip([q - Z95 * se, q + Z95 * se], 0, 1)
        lo[k], hi[k] = np.quantile(part, bounds_q, method="inverted_cdf")
    return n, est, lo, hi
