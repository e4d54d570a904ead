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
        let period = format!("the previous {}", crate::text::plural(window_days.unsigned_abs(), "day"));
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

/// Did a fix work? The topic's rate after a fix against before it, adjusted for overall volume:
/// `before` topic items among `before_total` in the window before, `after` among `after_total`
/// in the window after. The p-value is `Change`'s exact conditional test; the 95% confidence
/// interval of the rate ratio comes from the Clopper-Pearson interval of `after / (after +
/// before)` transformed by `RR = p / (1 - p) · before_total / after_total`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact {
    pub before: u64,
    pub after: u64,
    pub before_total: u64,
    pub after_total: u64,
    /// (after / after_total) / (before / before_total); `None` when there was nothing before.
    pub rate_ratio: Option<f64>,
    /// 95% CI of the rate ratio (the upper end is infinite when nothing was seen before).
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    pub significant: bool,
}

impl Impact {
    pub fn new(before: u64, after: u64, before_total: u64, after_total: u64) -> Self {
        let change = Change::new(after, before, after_total, before_total);
        let (ci_low, ci_high) = match rate_ratio_ci(before, after, before_total, after_total, 0.95) {
            Some((lo, hi)) => (Some(lo), Some(hi)),
            None => (None, None),
        };
        Self {
            before,
            after,
            before_total,
            after_total,
            rate_ratio: change.share_ratio,
            ci_low,
            ci_high,
            p_value: change.p_value,
            significant: change.significant,
        }
    }
}

impl Impact {
    /// Plain words: "checkout-slow complaints fell 71% after PROJ-123 was closed (38 → 11 per 28
    /// days, rate ratio 0.29, 95% CI 0.13–0.58, p < 0.001)", with `fix` = "PROJ-123 was closed".
    /// `observed` is (days seen, days the after-window needs) while it is still open.
    pub fn describe(&self, topic: &str, fix: &str, days: i64, observed: Option<(i64, i64)>) -> String {
        let counts = format!("{} → {} per {}", self.before, self.after, crate::text::plural(days.unsigned_abs(), "day"));
        let ratio = match (self.rate_ratio, self.ci_low, self.ci_high) {
            (Some(rr), Some(lo), Some(hi)) => format!(", rate ratio {rr:.2}, 95% CI {lo:.2}–{}", ci_end(hi)),
            _ => String::new(),
        };
        let p = self.p_value.map(format_p).map(|p| format!(", {p}")).unwrap_or_default();
        let seen = observed.map(|(seen, of)| format!("; {seen} of {of} days observed")).unwrap_or_default();
        let yet = if observed.is_some() { " yet" } else { "" };
        match self.rate_ratio {
            Some(rr) if self.significant && rr < 1.0 => {
                format!("{topic} complaints fell {:.0}% after {fix} ({counts}{ratio}{p}){seen}", (1.0 - rr) * 100.0)
            }
            Some(rr) if self.significant => {
                format!("{topic} complaints rose {:.0}% after {fix} ({counts}{ratio}{p}){seen}", (rr - 1.0) * 100.0)
            }
            _ => format!("{topic}: no significant change{yet} after {fix} ({counts}{ratio}{p}){seen}"),
        }
    }
}

fn ci_end(x: f64) -> String {
    if x.is_finite() { format!("{x:.2}") } else { "∞".into() }
}

/// Confidence interval of the rate ratio (after / before, each per item of all feedback), from
/// the exact binomial interval of the after-share of the topic's items.
pub fn rate_ratio_ci(before: u64, after: u64, before_total: u64, after_total: u64, confidence: f64) -> Option<(f64, f64)> {
    if before + after == 0 || before_total == 0 || after_total == 0 {
        return None;
    }
    let (lo, hi) = clopper_pearson(after, before + after, confidence);
    let scale = before_total as f64 / after_total as f64;
    let odds = |p: f64| if p >= 1.0 { f64::INFINITY } else { p / (1.0 - p) * scale };
    Some((odds(lo), odds(hi)))
}

/// The exact (Clopper-Pearson) interval for a binomial proportion `k / n`, as
/// `scipy.stats.binomtest(k, n).proportion_ci(confidence)`: the lower end is the `p` at which
/// P(X ≥ k) = α/2, the upper the `p` at which P(X ≤ k) = α/2, found by bisection.
pub fn clopper_pearson(k: u64, n: u64, confidence: f64) -> (f64, f64) {
    assert!(k <= n && n > 0, "0 ≤ k ≤ n, n > 0");
    let alpha = (1.0 - confidence) / 2.0;
    let low = if k == 0 { 0.0 } else { bisect(|p| tail(k, n, p, true) - alpha) };
    let high = if k == n { 1.0 } else { bisect(|p| alpha - tail(k, n, p, false)) };
    (low, high)
}

/// P(X ≥ k) when `upper`, else P(X ≤ k), for X ~ Binomial(n, p) with 0 < p < 1.
fn tail(k: u64, n: u64, p: f64, upper: bool) -> f64 {
    let log_pmf = log_pmf_table(n, p);
    let max = log_pmf.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (mut total, mut part) = (0.0, 0.0);
    for (j, &lp) in log_pmf.iter().enumerate() {
        let w = (lp - max).exp();
        total += w;
        if (upper && j as u64 >= k) || (!upper && j as u64 <= k) {
            part += w;
        }
    }
    part / total
}

/// The Wilson score interval at 95% for a proportion `k / n` (z = 1.96): unlike `k/n ± z·se`
/// it stays inside [0, 1] and is honest for small `n` and proportions near 0 or 1.
pub fn wilson_95(k: u64, n: u64) -> (f64, f64) {
    assert!(k <= n && n > 0, "0 ≤ k ≤ n, n > 0");
    const Z: f64 = 1.959_963_984_540_054;
    let (n, p) = (n as f64, k as f64 / n as f64);
    let denominator = 1.0 + Z * Z / n;
    let centre = (p + Z * Z / (2.0 * n)) / denominator;
    let half = Z * (p * (1.0 - p) / n + Z * Z / (4.0 * n * n)).sqrt() / denominator;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// The root in (0, 1) of an increasing function `f`.
fn bisect(f: impl Fn(f64) -> f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if f(mid) < 0.0 {
            lo = mid
        } else {
            hi = mid
        }
        if hi - lo < 1e-15 {
            break;
        }
    }
    (lo + hi) / 2.0
}

#[cfg(test)]
mod tests {
    #[test]
    fn wilson_matches_published_values() {
        // statsmodels.stats.proportion.proportion_confint(k, n, method="wilson"): 8/10 -> (0.4902,
        // 0.9433), 0/10 -> (0, 0.2775), 10/10 -> (0.7225, 1); 34/41 -> (0.6874, 0.9147).
        let close = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 5e-5 && (a.1 - b.1).abs() < 5e-5;
        assert!(close(super::wilson_95(8, 10), (0.4902, 0.9433)), "{:?}", super::wilson_95(8, 10));
        assert!(close(super::wilson_95(0, 10), (0.0, 0.2775)), "{:?}", super::wilson_95(0, 10));
        assert!(close(super::wilson_95(10, 10), (0.7225, 1.0)), "{:?}", super::wilson_95(10, 10));
        assert!(close(super::wilson_95(34, 41), (0.6874, 0.9147)), "{:?}", super::wilson_95(34, 41));
    }

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

    // Reference intervals from scipy 1.17:
    // python3 -c "from scipy.stats import binomtest; ci = binomtest(k, n).proportion_ci(); print(ci.low, ci.high)"
    #[test]
    fn clopper_pearson_matches_scipy_proportion_ci() {
        let cases: [(u64, u64, f64, f64); 6] = [
            (11, 49, 0.11774342055419111, 0.3662430188592968),
            (30, 60, 0.3680620319424367, 0.6319379680575633),
            (5, 20, 0.08657146910143455, 0.49104587170795755),
            (0, 10, 0.0, 0.30849710781876294),
            (10, 10, 0.6915028921812371, 1.0),
            (120, 400, 0.2554667280958006, 0.34752187907368887),
        ];
        for (k, n, low, high) in cases {
            let (lo, hi) = clopper_pearson(k, n, 0.95);
            assert!((lo - low).abs() <= 1e-9, "binomtest({k}, {n}) low = {lo}, scipy says {low}");
            assert!((hi - high).abs() <= 1e-9, "binomtest({k}, {n}) high = {hi}, scipy says {high}");
        }
    }

    // The example: 38 before, 11 after, equal totals. With scipy:
    // python3 -c "from scipy.stats import binomtest; r = binomtest(11, 49); ci = r.proportion_ci();
    //   f = lambda p: p / (1 - p); print(11 / 38, f(ci.low), f(ci.high), r.pvalue)"
    // -> 0.2894736842105263 0.13345711814147293 0.5778918887806074 0.00014197068519905542
    #[test]
    fn impact_rate_ratio_ci_and_p_match_scipy() {
        let i = Impact::new(38, 11, 1000, 1000);
        assert!((i.rate_ratio.unwrap() - 0.2894736842105263).abs() < 1e-12);
        assert!((i.ci_low.unwrap() - 0.13345711814147293).abs() < 1e-8, "{i:?}");
        assert!((i.ci_high.unwrap() - 0.5778918887806074).abs() < 1e-8, "{i:?}");
        assert!((i.p_value.unwrap() - 0.00014197068519905542).abs() < 1e-12);
        assert!(i.significant);
    }

    // Unequal volume: 40 of 2000 before, 30 of 1000 after (the share rose 1.5×).
    // python3 -c "from scipy.stats import binomtest; r = binomtest(30, 70, 1000 / 3000); ci = r.proportion_ci();
    //   f = lambda p: p / (1 - p) * 2000 / 1000; print(f(ci.low), f(ci.high), r.pvalue)"
    // -> 0.9022012652440591 2.469402513628893 0.09944936310149693
    #[test]
    fn impact_scales_the_ci_by_the_volumes() {
        let i = Impact::new(40, 30, 2000, 1000);
        assert!((i.rate_ratio.unwrap() - 1.5).abs() < 1e-12);
        assert!((i.ci_low.unwrap() - 0.9022012652440591).abs() < 1e-8, "{i:?}");
        assert!((i.ci_high.unwrap() - 2.469402513628893).abs() < 1e-8, "{i:?}");
        assert!((i.p_value.unwrap() - 0.09944936310149693).abs() < 1e-9, "{i:?}");
        assert!(!i.significant);
    }

    #[test]
    fn impact_with_nothing_before_has_an_open_interval() {
        let i = Impact::new(0, 5, 100, 100);
        assert_eq!(i.rate_ratio, None);
        assert_eq!(i.ci_high, Some(f64::INFINITY));
        assert_eq!(Impact::new(0, 0, 100, 100).ci_low, None);
    }

    #[test]
    fn impact_reads_plainly() {
        assert_eq!(
            Impact::new(38, 11, 1000, 1000).describe("checkout-slow", "PROJ-123 was closed", 28, None),
            "checkout-slow complaints fell 71% after PROJ-123 was closed (38 → 11 per 28 days, rate ratio 0.29, 95% CI 0.13–0.58, p < 0.001)"
        );
        let flat = Impact::new(20, 17, 1000, 1000).describe("checkout-slow", "PROJ-123 was closed", 28, Some((9, 14)));
        assert!(flat.starts_with("checkout-slow: no significant change yet after PROJ-123 was closed (20 → 17 per 28 days"), "{flat}");
        assert!(flat.ends_with("p = 0.74); 9 of 14 days observed"), "{flat}");
    }
}
