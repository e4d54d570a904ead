//! Is a rise real? An exact conditional test of two Poisson rates, adjusted for overall volume.
//!
//! With `a` topic items among `n1` items in this window and `b` among `n0` in the previous one,
//! if the topic's share of feedback had not changed then, given `a + b`, `a` follows
//! Binomial(a + b, n1 / (n1 + n0)). The p-value is the two-sided exact binomial test with the
//! same definition as `scipy.stats.binomtest` (sum of the outcomes no more likely than the
//! observed one), so the figures can be checked with an independent tool.

pub mod spearman;

use serde::Serialize;

/// The comparison of a topic's volume in two windows of equal length.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub current: u64,
    pub previous: u64,
    /// Items of every topic in each window (the volume the share is taken of).
    pub current_total: u64,
    pub previous_total: u64,
    /// current / previous in raw counts; `None` when the previous window had none.
    pub ratio: Option<f64>,
    /// The same ratio for the topic's share of all feedback; `None` when undefined.
    pub share_ratio: Option<f64>,
    /// Two-sided exact p-value; `None` when there is nothing to test.
    pub p_value: Option<f64>,
    /// A rise or fall with p < 0.05.
    pub significant: bool,
}

pub const SIGNIFICANCE: f64 = 0.05;

impl Change {
    pub fn new(current: u64, previous: u64, current_total: u64, previous_total: u64) -> Self {
        let ratio = (previous > 0).then(|| current as f64 / previous as f64);
        let share_ratio = (previous > 0 && current_total > 0 && previous_total > 0)
            .then(|| (current as f64 / current_total as f64) / (previous as f64 / previous_total as f64));
        let p_value = (current + previous > 0 && current_total > 0 && previous_total > 0)
            .then(|| binomial_two_sided(current, current + previous, current_total as f64 / (current_total + previous_total) as f64));
        let significant = p_value.is_some_and(|p| p < SIGNIFICANCE);
        Self { current, previous, current_total, previous_total, ratio, share_ratio, p_value, significant }
    }

    /// Plain words: "3.1× more than the previous 90 days (p < 0.001)".
    pub fn describe(&self, window_days: i64) -> String {
        let period = format!("the previous {window_days} days");
        let p = self.p_value.map(format_p).map(|p| format!(", {p}")).unwrap_or_default();
        let verdict = if self.significant { "" } else { "; not a significant change" };
        match (self.current, self.previous) {
            (0, 0) => format!("none in this window or {period}"),
            (c, 0) => format!("{c} now, none in {period}{p}{verdict}"),
            (c, prev) if c == prev => format!("the same as {period} ({prev}){p}{verdict}"),
            (c, prev) if c > prev => {
                format!("{} more than {period} ({c} vs {prev}{p}){verdict}", times(self.ratio.unwrap_or(f64::INFINITY)))
            }
            (c, prev) => {
                let down = (1.0 - c as f64 / prev as f64) * 100.0;
                format!("{down:.0}% fewer than {period} ({c} vs {prev}{p}){verdict}")
            }
        }
    }
}

fn times(r: f64) -> String {
    if r >= 10.0 { format!("{r:.0}×") } else { format!("{r:.1}×") }
}

/// "p < 0.001", "p = 0.004", "p = 0.23".
pub fn format_p(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else if p < 0.01 {
        format!("p = {p:.3}")
    } else {
        format!("p = {p:.2}")
    }
}

/// Two-sided exact binomial test of `k` successes in `n` trials with success probability `p`:
/// the total probability of every outcome no more likely than `k` (scipy's definition, with the
/// same 1e-7 relative tolerance for ties).
pub fn binomial_two_sided(k: u64, n: u64, p: f64) -> f64 {
    assert!(k <= n, "k ≤ n");
    if p <= 0.0 {
        return if k == 0 { 1.0 } else { 0.0 };
    }
    if p >= 1.0 {
        return if k == n { 1.0 } else { 0.0 };
    }
    let log_pmf = log_pmf_table(n, p);
    let threshold = log_pmf[k as usize] + (1.0 + 1e-7f64).ln();
    let max = log_pmf.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (mut total, mut tail) = (0.0, 0.0);
    for &lp in &log_pmf {
        let w = (lp - max).exp();
        total += w;
        if lp <= threshold {
            tail += w;
        }
    }
    (tail / total).min(1.0)
}

/// ln P(X = j) for j in 0..=n, built by the ratio recurrence (no factorials, no overflow).
fn log_pmf_table(n: u64, p: f64) -> Vec<f64> {
    let (lp, lq) = (p.ln(), (1.0 - p).ln());
    let mut out = Vec::with_capacity(n as usize + 1);
    let mut log_choose = 0.0f64;
    for j in 0..=n {
        if j > 0 {
            log_choose += ((n - j + 1) as f64).ln() - (j as f64).ln();
        }
        out.push(log_choose + j as f64 * lp + (n - j) as f64 * lq);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values from scipy 1.x (python3 -c "from scipy.stats import binomtest; print(binomtest(k, n, p).pvalue)")(k, n, p).pvalue (two-sided).
    #[test]
    fn matches_scipy_binomtest() {
        let cases: [(u64, u64, f64, f64); 7] = [
            (7, 10, 0.5, 0.34375),
            (30, 40, 0.5, 0.0022214337732293643),
            (12, 20, 0.3, 0.005936084198097523),
            (0, 5, 0.5, 0.0625),
            (62, 80, 0.5, 8.142666624995287e-07),
            (300, 500, 0.55, 0.02464591094991411),
            (93, 123, 0.5, 1.0837914423674379e-08),
        ];
        for (k, n, p, expected) in cases {
            let got = binomial_two_sided(k, n, p);
            assert!((got - expected).abs() <= expected * 1e-9, "binomtest({k}, {n}, {p}) = {got}, scipy says {expected}");
        }
    }

    #[test]
    fn equal_shares_are_not_significant_and_big_rises_are() {
        let flat = Change::new(50, 50, 1000, 1000);
        assert!(!flat.significant);
        assert_eq!(flat.ratio, Some(1.0));
        let rise = Change::new(93, 30, 1000, 1000);
        assert!(rise.significant, "{rise:?}");
        assert!(rise.describe(90).starts_with("3.1× more than the previous 90 days (93 vs 30, p < 0.001)"), "{}", rise.describe(90));
    }

    #[test]
    fn a_rise_that_only_follows_total_volume_is_not_significant() {
        // Twice the items, but all feedback doubled too: the share is unchanged.
        let c = Change::new(40, 20, 2000, 1000);
        assert_eq!(c.share_ratio, Some(1.0));
        assert!(!c.significant, "{c:?}");
    }

    #[test]
    fn nothing_before_and_nothing_at_all_read_plainly() {
        assert_eq!(Change::new(0, 0, 10, 10).describe(30), "none in this window or the previous 30 days");
        let new = Change::new(4, 0, 100, 100);
        assert_eq!(new.ratio, None);
        assert!(new.describe(30).starts_with("4 now, none in the previous 30 days"));
        assert!(Change::new(10, 40, 100, 100).describe(7).starts_with("75% fewer than the previous 7 days (10 vs 40"));
    }

    #[test]
    fn p_values_are_worded_for_people() {
        assert_eq!(format_p(0.0004), "p < 0.001");
        assert_eq!(format_p(0.0042), "p = 0.004");
        assert_eq!(format_p(0.2345), "p = 0.23");
    }
}
