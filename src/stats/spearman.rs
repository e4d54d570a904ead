//! Spearman's rank correlation between daily complaints and a daily service metric, with the
//! two-sided p-value SciPy's `spearmanr` gives (Student's t with n - 2 degrees of freedom), at
//! lags of 0 to 3 days. Association only: it says two series moved together, not why.

use serde::Serialize;

/// The largest lag tried, in days (complaints following the metric by 0..=MAX_LAG days).
pub const MAX_LAG: usize = 3;

/// Spearman's ρ and its p-value over `n` paired observations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spearman {
    pub rho: f64,
    pub p_value: f64,
    pub n: usize,
}

/// ρ at one lag: complaints on day `t + lag_days` against the metric on day `t`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LaggedSpearman {
    pub lag_days: usize,
    #[serde(flatten)]
    pub result: Spearman,
}

/// Ranks from 1, ties given the average of the ranks they span (SciPy's `rankdata` "average").
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end hold ranks start+1..=end; their mean is (start + 1 + end) / 2.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman's ρ with average ranks for ties; `None` with fewer than 3 pairs, unequal lengths or
/// a constant series (where SciPy answers NaN).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<Spearman> {
    let n = x.len();
    if n < 3 || n != y.len() || x.iter().chain(y).any(|v| !v.is_finite()) {
        return None;
    }
    let rho = pearson(&average_ranks(x), &average_ranks(y))?;
    Some(Spearman { rho, p_value: rho_p_value(rho, n), n })
}

/// Two-sided p-value of ρ over `n` pairs: t = ρ √((n − 2) / (1 − ρ²)) against Student's t with
/// n − 2 degrees of freedom (as `scipy.stats.spearmanr`).
pub fn rho_p_value(rho: f64, n: usize) -> f64 {
    let df = n as f64 - 2.0;
    if 1.0 - rho * rho <= 0.0 {
        return 0.0;
    }
    let t = rho * (df / (1.0 - rho * rho)).sqrt();
    (2.0 * student_t_sf(t.abs(), df)).min(1.0)
}

/// P(T > t) for Student's t with `df` degrees of freedom, t ≥ 0: ½ I_{df/(df+t²)}(df/2, ½).
pub fn student_t_sf(t: f64, df: f64) -> f64 {
    0.5 * regularized_incomplete_beta(df / (df + t * t), df / 2.0, 0.5)
}

/// I_x(a, b), the regularized incomplete beta function (statrs), 0 below x = 0 and 1 above 1.
pub fn regularized_incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    statrs::function::beta::checked_beta_reg(a, b, x.clamp(0.0, 1.0)).unwrap_or(f64::NAN)
}

/// ρ at lags 0..=MAX_LAG: complaints on day `t + lag` against the metric on day `t`, skipping
/// days the metric has no value. Lags with fewer than 3 pairs or a constant side are left out.
pub fn lagged(complaints: &[f64], metric: &[Option<f64>]) -> Vec<LaggedSpearman> {
    (0..=MAX_LAG)
        .filter_map(|lag| {
            let (xs, ys): (Vec<f64>, Vec<f64>) =
                metric.iter().enumerate().filter_map(|(t, m)| Some(((*m)?, *complaints.get(t + lag)?))).unzip();
            spearman(&xs, &ys).map(|result| LaggedSpearman { lag_days: lag, result })
        })
        .collect()
}

/// The lag with the strongest association (largest |ρ|; the shorter lag on a tie).
pub fn strongest(lags: &[LaggedSpearman]) -> Option<&LaggedSpearman> {
    lags.iter().fold(None, |best: Option<&LaggedSpearman>, l| match best {
        Some(b) if b.result.rho.abs() >= l.result.rho.abs() => Some(b),
        _ => Some(l),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, rel: f64) -> bool {
        (got - want).abs() <= want.abs() * rel + 1e-15
    }

    // SciPy 1.17.1:
    // python3 -c "from scipy.stats import spearmanr; r = spearmanr(x, y); print(repr(r.statistic), repr(r.pvalue))"
    #[test]
    fn matches_scipy_spearmanr_with_ties() {
        let cases: [(&[f64], &[f64], f64, f64); 3] = [
            // Ties on both sides (2, 2 and 5, 5, 5; 4, 4 and 9, 9).
            (
                &[1.0, 2.0, 2.0, 3.0, 5.0, 5.0, 5.0, 8.0, 9.0, 10.0],
                &[2.0, 1.0, 4.0, 4.0, 6.0, 5.0, 7.0, 9.0, 9.0, 12.0],
                0.9566976126686475,
                1.4597463273492559e-05,
            ),
            (
                &[3.1, 2.0, 4.5, 4.5, 1.0, 6.2, 7.0, 7.0, 2.0],
                &[10.0, 12.0, 9.0, 14.0, 8.0, 20.0, 15.0, 15.0, 11.0],
                0.7627392542713822,
                0.01683294673547029,
            ),
            // No ties, negative.
            (&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[6.0, 4.0, 5.0, 2.0, 3.0, 1.0], -0.8857142857142858, 0.01884548104956266),
        ];
        for (x, y, rho, p) in cases {
            let got = spearman(x, y).unwrap();
            assert!(close(got.rho, rho, 1e-12), "rho {} vs scipy {rho}", got.rho);
            assert!(close(got.p_value, p, 1e-9), "p {} vs scipy {p}", got.p_value);
            assert_eq!(got.n, x.len());
        }
    }

    // python3 -c "from scipy.stats import t; from scipy.special import betainc;
    //   print(repr(t.sf(2.5, 7)), repr(t.sf(0.3, 28)), repr(betainc(2.5, 0.5, 0.3)))"
    // -> 0.020496109292876444 0.38319656238429034 0.018927124071945658
    #[test]
    fn student_t_and_incomplete_beta_match_scipy() {
        assert!(close(student_t_sf(2.5, 7.0), 0.020496109292876444, 1e-10));
        assert!(close(student_t_sf(0.3, 28.0), 0.38319656238429034, 1e-10));
        assert!(close(regularized_incomplete_beta(0.3, 2.5, 0.5), 0.018927124071945658, 1e-10));
        assert!(close(student_t_sf(0.0, 5.0), 0.5, 1e-12));
    }

    #[test]
    fn ranks_average_ties() {
        assert_eq!(average_ranks(&[10.0, 20.0, 20.0, 5.0, 20.0]), vec![2.0, 4.0, 4.0, 1.0, 4.0]);
    }

    #[test]
    fn undefined_cases_give_none_and_perfect_order_gives_p_zero() {
        assert_eq!(spearman(&[1.0, 2.0], &[1.0, 2.0]), None, "fewer than 3 pairs");
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None, "constant side");
        let perfect = spearman(&[1.0, 2.0, 3.0, 4.0], &[10.0, 20.0, 30.0, 40.0]).unwrap();
        assert_eq!((perfect.rho, perfect.p_value), (1.0, 0.0));
    }

    #[test]
    fn a_lag_pairs_the_metric_with_later_complaints() {
        // Complaints echo the metric one day later; at lag 1 the order is identical.
        let metric = [Some(1.0), Some(5.0), Some(2.0), None, Some(4.0), Some(3.0), Some(6.0)];
        let complaints = [0.0, 1.0, 5.0, 2.0, 9.0, 4.0, 3.0];
        let lags = lagged(&complaints, &metric);
        assert_eq!(lags.iter().map(|l| l.lag_days).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
        let best = strongest(&lags).unwrap();
        assert_eq!(best.lag_days, 1);
        // Pairs at lag 1 (day 6 has no next day, day 3 no metric): (1,1) (5,5) (2,2) (4,4) (3,3).
        assert_eq!(best.result.n, 5);
        assert!((best.result.rho - 1.0).abs() < 1e-12);
    }
}
