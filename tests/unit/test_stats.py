"""The direct solvers agree with statsmodels; intervals behave as documented."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from fdsa.analysis import _stats


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    n = 4000
    x = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 2, n)])
    groups = rng.integers(0, 300, n)
    return rng, x, groups


def test_logit_matches_statsmodels(data):
    rng, x, _ = data
    y = (rng.random(len(x)) < 1 / (1 + np.exp(-(x @ [-1.0, 0.8, 0.5])))).astype(float)
    ours = _stats.glm(x, y, ["a", "b", "c"], "logit")
    ref = sm.Logit(y, x).fit(disp=0)
    np.testing.assert_allclose(ours.coef, ref.params, rtol=1e-6)
    np.testing.assert_allclose(np.sqrt(np.diag(ours.cov)), ref.bse, rtol=1e-5)


def test_poisson_matches_statsmodels(data):
    rng, x, _ = data
    y = rng.poisson(np.exp(x @ [0.5, 0.3, -0.2])).astype(float)
    ours = _stats.glm(x, y, ["a", "b", "c"], "poisson")
    ref = sm.GLM(y, x, family=sm.families.Poisson()).fit()
    np.testing.assert_allclose(ours.coef, ref.params, rtol=1e-6)
    np.testing.assert_allclose(np.sqrt(np.diag(ours.cov)), ref.bse, rtol=1e-5)


def test_clustered_ols_matches_statsmodels(data):
    rng, x, groups = data
    y = x @ [1.0, 2.0, -0.5] + rng.normal(0, 0.5, 300)[groups] + rng.normal(size=len(x))
    ours = _stats.ols(x, y, ["a", "b", "c"], clusters=groups)
    ref = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": groups})
    np.testing.assert_allclose(ours.coef, ref.params, rtol=1e-8)
    np.testing.assert_allclose(np.sqrt(np.diag(ours.cov)), ref.bse, rtol=1e-6)


def test_wilson_interval_is_inside_unit_range_and_contains_estimate():
    lo, hi = _stats.wilson(np.array([0, 5, 10]), np.array([10, 10, 10]))
    assert (lo >= 0).all() and (hi <= 1).all()
    assert lo[1] < 0.5 < hi[1]


def test_median_interval_covers_about_95_percent():
    rng = np.random.default_rng(0)
    hits = sum(
        lo <= 0 <= hi
        for lo, hi in (_stats.quantile_interval(rng.normal(size=60))[1:] for _ in range(400))
    )
    assert 0.92 <= hits / 400 <= 0.99


def test_benjamini_hochberg_controls_discoveries():
    rng = np.random.default_rng(1)
    p = np.concatenate([rng.random(95), np.full(5, 1e-6)])
    rejected, q = _stats.benjamini_hochberg(p, 0.05)
    assert rejected[-5:].all() and rejected[:95].sum() <= 2
    assert (q >= p).all()


def test_grouped_logit_equals_logit_on_every_row(data):
    rng, x, _ = data
    x = np.column_stack([x[:, 0], rng.integers(0, 3, len(x)), x[:, 2]])  # few patterns
    y = (rng.random(len(x)) < 1 / (1 + np.exp(-(x @ [-1.0, 0.4, 0.5])))).astype(float)
    patterns, inverse = np.unique(x, axis=0, return_inverse=True)
    trials = np.bincount(inverse.ravel()).astype(float)
    hired = np.bincount(inverse.ravel(), weights=y)
    grouped = _stats.glm(patterns, hired, ["a", "b", "c"], "logit", trials=trials)
    ref = sm.Logit(y, x).fit(disp=0)
    assert grouped.n == len(x)
    np.testing.assert_allclose(grouped.coef, ref.params, rtol=1e-8)
    np.testing.assert_allclose(np.sqrt(np.diag(grouped.cov)), ref.bse, rtol=1e-6)


def test_large_logit_with_subsample_start_matches_statsmodels():
    rng = np.random.default_rng(5)
    n = 250_000  # above the subsample threshold
    x = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 2, n)])
    y = (rng.random(n) < 1 / (1 + np.exp(-(x @ [-0.5, 0.3, 0.8])))).astype(float)
    ours = _stats.glm(x, y, ["a", "b", "c"], "logit")
    ref = sm.Logit(y, x).fit(disp=0, method="newton", tol=1e-12)
    np.testing.assert_allclose(ours.coef, ref.params, rtol=1e-8)
    np.testing.assert_allclose(np.sqrt(np.diag(ours.cov)), ref.bse, rtol=1e-6)


def test_cluster_sums_match_a_loop():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(500, 3))
    w = rng.normal(size=500)
    clusters = rng.choice(np.array([10, 3, 99, 7]), 500)
    order = pd.unique(clusters)
    expected = np.array([(x[clusters == c] * w[clusters == c, None]).sum(axis=0) for c in order])
    for layout in (np.ascontiguousarray(x), np.asfortranarray(x)):  # sparse / bincount paths
        np.testing.assert_allclose(_stats.cluster_sums(layout, w, clusters), expected)


def test_blocked_irls_matches_statsmodels_across_blocks_and_layouts(monkeypatch):
    rng = np.random.default_rng(11)
    n = 5000
    x = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 2, n)])
    y = (rng.random(n) < 1 / (1 + np.exp(-(x @ [0.2, -0.7, 0.4])))).astype(float)
    ref = sm.Logit(y, x).fit(disp=0, method="newton", tol=1e-12)
    monkeypatch.setattr(_stats, "_BLOCK_VALUES", 3 * 700)  # several blocks, a short last one
    for design in (x, np.asfortranarray(x)):
        ours = _stats.glm(design, y, ["a", "b", "c"], "logit")
        np.testing.assert_allclose(ours.coef, ref.params, rtol=1e-9)
        np.testing.assert_allclose(np.sqrt(np.diag(ours.cov)), ref.bse, rtol=1e-8)


def test_rate_design_fills_the_same_columns_as_dummies():
    from fdsa import taxonomy
    from fdsa.analysis import pricing

    df = pd.DataFrame(
        {
            "niche": ["nlp", "energy", "nlp", "bi_dashboards"],
            "freelancer_region": ["africa", "oceania", "africa", "africa"],
            "channel": ["invite", "application", "repeat", "invite"],
            "experience_level": ["entry", "expert", "intermediate", "entry"],
            "experience_years": [1.0, 2.5, 7.0, 3.0],
            "n_reviews": [0, 3, 10, 1],
            "rating": [np.nan, 4.0, 4.9, 5.0],
            "is_small_and_wide_after_5": [False, True, False, False],
            "is_new_client": [True, True, False, True],
        }
    )
    x, names = pricing._rate_design(df)
    assert x.flags.f_contiguous
    niche = _stats.dummies(df.niche, taxonomy.NICHES, taxonomy.REFERENCE_NICHE, "n_")
    assert [c for c in names if c.startswith(pricing.NICHE_PREFIX)] == [
        pricing.NICHE_PREFIX + c[2:] for c in niche.columns
    ]
    first = names.index(pricing.NICHE_PREFIX + "energy")
    np.testing.assert_array_equal(x[:, first], niche.n_energy.to_numpy())
    np.testing.assert_allclose(x[:, names.index("rate_log_per_star")], [0.0, -0.5, 0.4, 0.5])
    np.testing.assert_array_equal(x[:, names.index("rate_log_premium_new_client")], [1, 1, 0, 1])
    assert not any(c.startswith(pricing.REGION_PREFIX) for c in names)  # the between step


def test_conditional_logit_matches_statsmodels():
    from statsmodels.discrete.conditional_models import ConditionalLogit

    rng = np.random.default_rng(0)
    sizes = rng.integers(2, 12, 600)
    groups = np.repeat(np.arange(len(sizes)), sizes)
    n = len(groups)
    x = np.column_stack([rng.normal(size=n), rng.random(n) < 0.3, rng.normal(size=n) * 0.5])
    utility = x @ [0.8, -1.0, 2.0] + rng.gumbel(size=n)
    order = np.lexsort((-utility, groups))
    chosen = np.zeros(n, dtype=bool)
    chosen[order[np.r_[True, groups[order][1:] != groups[order][:-1]]]] = True
    ours = _stats.conditional_logit(x, chosen, groups, ["a", "b", "c"])
    model = ConditionalLogit(chosen.astype(float), x, groups=groups)
    ref = model.fit(method="bfgs", gtol=1e-10, maxiter=2000, disp=0)
    # at least as high a likelihood as statsmodels' optimum, and the same curvature there
    assert model.loglike(ours.coef) >= model.loglike(ref.params) - 1e-9
    np.testing.assert_allclose(ours.coef, ref.params, rtol=1e-3)
    se = np.sqrt(np.diag(np.linalg.inv(-model.hessian(ours.coef))))
    np.testing.assert_allclose(np.sqrt(np.diag(ours.cov)), se, rtol=1e-6)
    assert ours.n == n


def test_dummies_keep_vocabulary_order_and_skip_absent_levels():
    values = pd.Series(["b", "c", "b", "a"])
    d = _stats.dummies(values, ("a", "b", "c", "d"), "a", "x_")
    assert list(d.columns) == ["x_b", "x_c"]
    assert d.x_b.tolist() == [1.0, 0.0, 1.0, 0.0]


def test_ols_by_blocks_equals_ols(data):
    rng, x, groups = data
    y = x @ [1.0, 2.0, -0.5] + rng.normal(0, 0.5, 300)[groups] + rng.normal(size=len(x))
    whole = _stats.ols(x, y, ["a", "b", "c"], clusters=groups)
    blocks, sums = _stats.ols_by_blocks(
        lambda start, stop: x[start:stop], len(x), y, ["a", "b", "c"], groups, rows=999
    )
    np.testing.assert_allclose(blocks.coef, whole.coef, rtol=1e-12)
    np.testing.assert_allclose(blocks.cov, whole.cov, rtol=1e-10)
    np.testing.assert_allclose(blocks.residuals, whole.residuals, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(sums, x.sum(axis=0))


@pytest.mark.parametrize("unique_pairs", [False, True])
def test_two_way_clustered_ols_by_blocks_matches_statsmodels(unique_pairs):
    rng = np.random.default_rng(3)
    n = 3000
    first, second = rng.integers(0, 200, n), rng.integers(0, 300, n)
    if unique_pairs:  # each (first, second) pair once, like a freelancer's bid on a job
        pairs = rng.choice(200 * 300, n, replace=False)
        first, second = pairs // 300, pairs % 300
    x = np.column_stack([np.ones(n), rng.normal(size=n), rng.normal(size=n)])
    y = x @ [1.0, 2.0, -0.5] + rng.normal(0, 0.5, 200)[first] + rng.normal(0, 0.5, 300)[second]
    y = y + rng.normal(size=n)
    fit, _ = _stats.ols_by_blocks(
        lambda a, b: x[a:b], n, y, ["a", "b", "c"], first, rows=777, second_clusters=second
    )
    ref = sm.OLS(y, x).fit(
        cov_type="cluster", cov_kwds={"groups": np.column_stack([first, second])}
    )
    np.testing.assert_allclose(fit.coef, ref.params, rtol=1e-10)
    np.testing.assert_allclose(np.sqrt(np.diag(fit.cov)), ref.bse, rtol=1e-8)


# ---------------------------------------------------------------- clustered intervals


def _clustered_sample(rng, clusters: int = 200, mean_size: int = 8):
    """Rows of clusters that share a level: log values and 0/1 outcomes."""
    sizes = rng.geometric(1 / mean_size, clusters)
    who = np.repeat(np.arange(clusters), sizes)
    level = rng.normal(0, 1, clusters)[who]
    values = level + rng.normal(0, 0.5, len(who))  # true median 0
    outcome = rng.random(len(who)) < 1 / (1 + np.exp(-(level - 1)))
    return who, values, outcome


def test_cluster_quantile_interval_covers_where_order_statistics_do_not():
    rng = np.random.default_rng(5)
    clustered, naive = [], []
    for _ in range(200):
        who, values, _ = _clustered_sample(rng)
        _, _, lo, hi = _stats.cluster_quantile_interval(values, who)
        clustered.append(lo[0] <= 0 <= hi[0])
        _, n_lo, n_hi = _stats.quantile_interval(values)
        naive.append(n_lo <= 0 <= n_hi)
    assert 0.90 <= np.mean(clustered) <= 0.99
    assert np.mean(naive) < 0.8  # rows treated as independent: far too narrow


def test_cluster_quantile_interval_of_single_rows_matches_order_statistics():
    values = np.random.default_rng(1).normal(size=2000)
    n, est, lo, hi = _stats.cluster_quantile_interval(values, np.arange(2000))
    ref = _stats.quantile_interval(values)
    assert n[0] == 2000 and est[0] == pytest.approx(ref[0])
    assert lo[0] == pytest.approx(ref[1], abs=0.02) and hi[0] == pytest.approx(ref[2], abs=0.02)


def test_cluster_bootstrap_ratio_covers_and_is_seeded():
    rng = np.random.default_rng(9)
    truth = 0.30317  # E[expit(Z - 1)], Z standard normal
    hits = []
    for _ in range(100):
        who, _, outcome = _clustered_sample(rng, clusters=600)
        est, lo, hi = _stats.cluster_bootstrap_ratio(outcome, np.ones(len(who)), who, reps=200)
        hits.append(lo[0] <= truth <= hi[0])
    assert 0.85 <= np.mean(hits) <= 1.0
    again = _stats.cluster_bootstrap_ratio(outcome, np.ones(len(who)), who, reps=200)
    np.testing.assert_array_equal(again[1], lo)


def test_cluster_bootstrap_shares_sum_to_one_per_group():
    rng = np.random.default_rng(2)
    who = rng.integers(0, 100, 3000)
    cats, groups = rng.integers(0, 4, 3000), rng.integers(0, 2, 3000)
    share, lo, hi = _stats.cluster_bootstrap_shares(cats, who, 4, groups, 2)
    np.testing.assert_allclose(share.sum(axis=1), 1.0)
    assert ((lo <= share) & (share <= hi)).all()


def test_clustered_conditional_logit_widens_with_shared_effects():
    rng = np.random.default_rng(4)
    n_groups, per = 1500, 5
    groups = np.repeat(np.arange(n_groups), per)
    who = rng.integers(0, 300, n_groups * per)
    x = rng.normal(size=(n_groups * per, 1)) + rng.normal(0, 1, 300)[who][:, None]
    u = 0.5 * x[:, 0] + rng.normal(0, 1.5, 300)[who] + rng.gumbel(size=len(x))
    chosen = np.zeros(len(x), bool)
    chosen[np.arange(n_groups) * per + u.reshape(n_groups, per).argmax(axis=1)] = True
    model = _stats.conditional_logit(x, chosen, groups, ["b"])
    robust = _stats.conditional_logit(x, chosen, groups, ["b"], clusters=who)
    assert robust.coef == pytest.approx(model.coef)
    assert robust.cov[0, 0] > model.cov[0, 0]


def test_a_two_way_covariance_is_made_positive_semidefinite_only_when_it_is_not():
    from fdsa.analysis._stats import positive_semidefinite

    good = np.array([[2.0, 0.5], [0.5, 1.0]])
    assert positive_semidefinite(good) is good  # unchanged, same object
    bad = np.array([[1.0, 2.0], [2.0, 1.0]])  # eigenvalues 3 and -1
    fixed = positive_semidefinite(bad)
    assert np.linalg.eigvalsh(fixed).min() >= -1e-12
    assert np.all(np.diag(fixed) >= 0)
    assert np.allclose(fixed, [[1.5, 1.5], [1.5, 1.5]])  # the negative direction dropped
