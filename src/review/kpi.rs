//! The user-experience KPIs, computed the standard way, each with its 95% interval, as pure
//! functions of the scores (issue 21). A month without responses has no KPI (`None`, shown as
//! "no responses"), never a score of 0.
//!
//! - NPS = % promoters (9-10) − % detractors (0-6), from −100 to 100. Its interval is the
//!   normal one with the variance of the difference of two multinomial shares,
//!   `(p₊ + p₋ − (p₊ − p₋)²) / n`, clamped to [−100, 100].
//! - CSAT = % of responses scoring 4-5, with the Wilson score interval.
//! - Month over month: a z-test on the NPS difference (the two months' variances added) and
//!   the pooled two-proportion z-test for CSAT, two-sided, significant at p < 0.05 as the packs'.

use crate::stats::{SIGNIFICANCE, format_p};
use serde::Serialize;

/// The normal quantile of a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Net Promoter Score of some NPS answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nps {
    pub responses: u64,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
    /// −100 to 100.
    pub score: f64,
    /// The 95% interval, within [−100, 100].
    pub ci95: (f64, f64),
    /// The variance of (p₊ − p₋), for the month-over-month test.
    #[serde(skip)]
    pub variance: f64,
}

/// The NPS of `scores` (each 0-10); `None` without responses.
pub fn nps(scores: &[i64]) -> Option<Nps> {
    if scores.is_empty() {
        return None;
    }
    let n = scores.len() as u64;
    let promoters = scores.iter().filter(|&&s| s >= 9).count() as u64;
    let detractors = scores.iter().filter(|&&s| s <= 6).count() as u64;
    let (p_plus, p_minus) = (promoters as f64 / n as f64, detractors as f64 / n as f64);
    let net = p_plus - p_minus;
    let variance = ((p_plus + p_minus - net * net) / n as f64).max(0.0);
    let half = Z95 * variance.sqrt();
    let ci95 = (((net - half) * 100.0).max(-100.0), ((net + half) * 100.0).min(100.0));
    Some(Nps { responses: n, promoters, passives: n - promoters - detractors, detractors, score: net * 100.0, ci95, variance })
}

/// Customer satisfaction: the share of satisfied answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Csat {
    pub responses: u64,
    pub satisfied: u64,
    /// 0 to 100.
    pub percent: f64,
    /// The Wilson 95% interval, within [0, 100].
    pub ci95: (f64, f64),
}

/// The CSAT of `scores` (each 1-5; 4 and 5 are satisfied); `None` without responses.
pub fn csat(scores: &[i64]) -> Option<Csat> {
    let satisfied = scores.iter().filter(|&&s| s >= 4).count() as u64;
    csat_of(satisfied, scores.len() as u64)
}

/// The CSAT of `satisfied` among `responses` (a Zendesk `good` counts as satisfied).
pub fn csat_of(satisfied: u64, responses: u64) -> Option<Csat> {
    if responses == 0 {
        return None;
    }
    let (lo, hi) = crate::stats::wilson_95(satisfied, responses);
    Some(Csat { responses, satisfied, percent: satisfied as f64 / responses as f64 * 100.0, ci95: (lo * 100.0, hi * 100.0) })
}

/// A KPI this month against last month, and whether the change passes its test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthChange {
    pub current: f64,
    pub previous: f64,
    /// current − previous, in points (NPS) or percentage points (CSAT).
    pub difference: f64,
    /// Two-sided; `None` when there is nothing to test (no spread in either month).
    pub p_value: Option<f64>,
    pub significant: bool,
}

impl MonthChange {
    fn new(current: f64, previous: f64, standard_error: f64) -> Self {
        let difference = current - previous;
        let p_value = (standard_error > 0.0).then(|| normal_two_sided(difference / standard_error));
        Self { current, previous, difference, p_value, significant: p_value.is_some_and(|p| p < SIGNIFICANCE) }
    }

    /// Worded as the packs word theirs: "up 12.0 points from last month (52.0 vs 40.0, p = 0.04)",
    /// with "; not a significant change" when the test does not pass.
    pub fn describe(&self, unit: &str) -> String {
        let p = self.p_value.map(format_p).map(|p| format!(", {p}")).unwrap_or_default();
        let verdict = if self.significant { "" } else { "; not a significant change" };
        let (now, before) = (self.current, self.previous);
        let direction = match self.difference {
            d if d > 0.0 => format!("up {d:.1} {unit} from last month"),
            d if d < 0.0 => format!("down {:.1} {unit} from last month", -d),
            _ => "the same as last month".to_string(),
        };
        format!("{direction} ({now:.1} vs {before:.1}{p}){verdict}")
    }
}

/// The z-test of this month's NPS against last month's: the difference over the square root
/// of the two variances' sum.
pub fn nps_change(current: &Nps, previous: &Nps) -> MonthChange {
    MonthChange::new(current.score, previous.score, 100.0 * (current.variance + previous.variance).sqrt())
}

/// The pooled two-proportion z-test of this month's CSAT against last month's.
pub fn csat_change(current: &Csat, previous: &Csat) -> MonthChange {
    let (n1, n0) = (current.responses as f64, previous.responses as f64);
    let pooled = (current.satisfied + previous.satisfied) as f64 / (n1 + n0);
    let standard_error = 100.0 * (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n0)).sqrt();
    MonthChange::new(current.percent, previous.percent, standard_error)
}

/// P(|Z| ≥ |z|) for a standard normal Z.
pub fn normal_two_sided(z: f64) -> f64 {
    statrs::function::erf::erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0)
}

/// The NPS of respondents whose comment is tagged performance, reliability, or neither (an
/// answer tagged both counts in both): the number that says "slowness costs us N points".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NpsByTag {
    pub performance: Option<Nps>,
    pub reliability: Option<Nps>,
    pub neither: Option<Nps>,
}

/// `answers` are (score, performance, reliability).
pub fn nps_by_tag(answers: &[(i64, bool, bool)]) -> NpsByTag {
    let of = |keep: &dyn Fn(bool, bool) -> bool| -> Option<Nps> {
        nps(&answers.iter().filter(|(_, p, r)| keep(*p, *r)).map(|(s, _, _)| *s).collect::<Vec<_>>())
    };
    NpsByTag { performance: of(&|p, _| p), reliability: of(&|_, r| r), neither: of(&|p, r| !p && !r) }
}

/// One decimal, and never "-0.0".
pub fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0 + 0.0
}

/// "+23.0 (95% CI +5.1 to +40.9, 12 responses)", or "no responses".
pub fn nps_text(nps: Option<&Nps>) -> String {
    match nps {
        None => "no responses".into(),
        Some(n) => format!(
            "{:+.1} (95% CI {:+.1} to {:+.1}, {})",
            one_decimal(n.score),
            one_decimal(n.ci95.0),
            one_decimal(n.ci95.1),
            crate::text::plural(n.responses, "response")
        ),
    }
}

/// "80.0% satisfied (95% CI 49.0-94.3%, 10 responses)", or "no responses".
pub fn csat_text(csat: Option<&Csat>) -> String {
    match csat {
        None => "no responses".into(),
        Some(c) => format!(
            "{:.1}% satisfied (95% CI {:.1}-{:.1}%, {})",
            one_decimal(c.percent),
            one_decimal(c.ci95.0),
            one_decimal(c.ci95.1),
            crate::text::plural(c.responses, "response")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64) {
        assert!((got - want).abs() < 1e-6, "got {got}, want {want}");
    }

    #[test]
    fn nps_of_all_promoters_all_detractors_and_one_answer() {
        let all_promoters = nps(&[9, 10, 9, 10]).unwrap();
        assert_eq!((all_promoters.score, all_promoters.ci95), (100.0, (100.0, 100.0)));
        let all_detractors = nps(&[0, 6, 3]).unwrap();
        assert_eq!((all_detractors.score, all_detractors.ci95, all_detractors.detractors), (-100.0, (-100.0, -100.0), 3));
        let one_passive = nps(&[7]).unwrap();
        assert_eq!((one_passive.score, one_passive.responses, one_passive.passives), (0.0, 1, 1));
        assert_eq!(nps_text(Some(&one_passive)), "+0.0 (95% CI +0.0 to +0.0, 1 response)");
        assert_eq!(nps(&[10]).unwrap().score, 100.0);
    }

    #[test]
    fn nps_interval_uses_the_multinomial_variance_and_is_clamped() {
        // 5 promoters, 2 passives, 3 detractors: 50% − 30% = 20; variance (0.8 − 0.04)/10.
        let mixed = nps(&[9, 10, 9, 10, 9, 7, 8, 0, 5, 6]).unwrap();
        close(mixed.score, 20.0);
        close(mixed.ci95.0, -34.032_478_230_482_226);
        close(mixed.ci95.1, 74.032_478_230_482_23);
        assert_eq!(nps_text(Some(&mixed)), "+20.0 (95% CI -34.0 to +74.0, 10 responses)");
        // 9 promoters, 1 detractor: 80 ± 37.2 would reach 117.2; it stops at 100.
        let high = nps(&[10, 10, 10, 10, 10, 9, 9, 9, 9, 0]).unwrap();
        close(high.score, 80.0);
        close(high.ci95.0, 42.812_298_061_726_31);
        assert_eq!(high.ci95.1, 100.0);
    }

    #[test]
    fn csat_has_a_wilson_interval_within_0_and_100() {
        let c = csat(&[5, 4, 4, 5, 5, 4, 4, 5, 2, 3]).unwrap();
        assert_eq!((c.satisfied, c.percent), (8, 80.0));
        close(c.ci95.0, 49.016_247_153_664_18);
        close(c.ci95.1, 94.331_784_854_562_47);
        let all = csat(&[5, 5, 4, 4, 5]).unwrap();
        close(all.ci95.0, 56.551_753_521_682_514);
        assert_eq!(all.ci95.1, 100.0);
        let none = csat(&[1, 2, 3]).unwrap();
        assert_eq!(none.percent, 0.0);
        close(none.ci95.0, 0.0);
        close(none.ci95.1, 56.149_703_175_504_54);
        let one = csat(&[4]).unwrap();
        close(one.ci95.0, 20.654_931_437_723_747);
        assert_eq!(csat_text(Some(&one)), "100.0% satisfied (95% CI 20.7-100.0%, 1 response)");
        assert_eq!(csat_of(3, 4).unwrap().percent, 75.0);
    }

    #[test]
    fn empty_months_have_no_kpi_rather_than_zero() {
        assert_eq!(nps(&[]), None);
        assert_eq!(csat(&[]), None);
        assert_eq!(nps_text(None), "no responses");
        assert_eq!(csat_text(None), "no responses");
        let by_tag = nps_by_tag(&[(10, true, false), (2, true, true)]);
        assert_eq!(by_tag.performance.unwrap().score, 0.0);
        assert_eq!(by_tag.reliability.unwrap().score, -100.0);
        assert_eq!(by_tag.neither, None);
    }

    #[test]
    fn single_answers_and_intervals_at_the_edges_match_hand_computation() {
        // n = 1: a promoter is +100 and a detractor -100, each with no spread to show.
        assert_eq!(nps_text(nps(&[10]).as_ref()), "+100.0 (95% CI +100.0 to +100.0, 1 response)");
        assert_eq!(nps_text(nps(&[0]).as_ref()), "-100.0 (95% CI -100.0 to -100.0, 1 response)");
        // 1 promoter, 9 detractors: -80, variance (1.0 - 0.64)/10 = 0.036, -80 ± 37.19: the lower end stops at -100.
        let low = nps(&[10, 1, 1, 1, 1, 1, 1, 1, 1, 1]).unwrap();
        close(low.score, -80.0);
        assert_eq!(low.ci95.0, -100.0);
        close(low.ci95.1, -42.812_298_061_726_31);
        // One promoter and one detractor: 0 ± 138.6 is clamped at both ends.
        assert_eq!(nps(&[10, 0]).unwrap().ci95, (-100.0, 100.0));
        // CSAT n = 1 unsatisfied: Wilson's interval is [0, z²/(1 + z²)] = [0, 79.35%].
        let unhappy = csat(&[1]).unwrap();
        assert_eq!((unhappy.percent, unhappy.ci95.0), (0.0, 0.0));
        close(unhappy.ci95.1, 79.345_068_562_276_25);
        assert_eq!(csat_text(Some(&unhappy)), "0.0% satisfied (95% CI 0.0-79.3%, 1 response)");
        // All satisfied: the upper end is exactly 100, never above.
        assert_eq!(csat_of(7, 7).unwrap().ci95.1, 100.0);
        // A month without responses has no change to test either.
        assert!(csat_of(0, 0).is_none());
    }

    #[test]
    fn month_over_month_tests_match_hand_computation() {
        // CSAT 40/50 vs 30/50: pooled 0.7, z = 0.2 / sqrt(0.21 · 0.04) = 2.1822, p = 0.0291.
        let change = csat_change(&csat_of(40, 50).unwrap(), &csat_of(30, 50).unwrap());
        close(change.difference, 20.0);
        assert!((change.p_value.unwrap() - 0.029_096_331_741_252_21).abs() < 1e-6);
        assert!(change.significant);
        assert_eq!(change.describe("percentage points"), "up 20.0 percentage points from last month (80.0 vs 60.0, p = 0.03)");
        // NPS +40 (var 0.064) vs −10 (var 0.069): z = 0.5 / sqrt(0.133) = 1.371, p = 0.170.
        let now = nps(&[10, 10, 10, 10, 10, 10, 8, 8, 2, 2]).unwrap();
        let before = nps(&[10, 10, 10, 8, 8, 8, 2, 2, 2, 2]).unwrap();
        let change = nps_change(&now, &before);
        assert!((change.p_value.unwrap() - 0.170_368_334_085_089_08).abs() < 1e-6);
        assert_eq!(change.describe("points"), "up 50.0 points from last month (40.0 vs -10.0, p = 0.17); not a significant change");
        let flat = nps_change(&nps(&[10]).unwrap(), &nps(&[9]).unwrap());
        assert_eq!((flat.p_value, flat.significant), (None, false));
        assert_eq!(flat.describe("points"), "the same as last month (100.0 vs 100.0); not a significant change");
    }

    #[test]
    fn normal_tail_matches_known_values() {
        close(normal_two_sided(1.959_963_984_540_054), 0.05);
        close(normal_two_sided(0.0), 1.0);
        close(normal_two_sided(-2.575_829_303_548_9), 0.01);
        assert_eq!(one_decimal(-0.04), 0.0);
        assert_eq!(one_decimal(74.049), 74.0);
    }
}
