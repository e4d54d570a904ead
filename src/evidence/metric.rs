//! The topic's service metric beside its complaints: the daily series, its change from the
//! previous window, and Spearman's ρ at lags 0-3 days, worded as association, never cause. Pure:
//! the series was fetched by `evidence::answer` (alongside the database queries).

use crate::domain::Window;
use crate::prometheus::DailyValue;
use crate::stats::format_p;
use crate::stats::spearman::{self, LaggedSpearman};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

/// What `evidence::answer` fetched for a topic with a `metric`: one value per day over the
/// previous and the current window, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricInput {
    pub label: String,
    pub query: String,
    pub series: Result<Vec<DailyValue>, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricSection {
    pub label: String,
    pub query: String,
    /// Why the metric is missing (Prometheus unreachable, a bad query, no data), when it is.
    pub unavailable: Option<String>,
    /// Each day of the window: complaints created that day and the metric's value.
    pub daily: Vec<MetricDay>,
    /// The metric's mean per week of `EvidencePack::weekly`, in the same order.
    pub weekly_mean: Vec<Option<f64>>,
    pub previous: Option<Summary>,
    pub current: Option<Summary>,
    pub change_text: String,
    /// ρ between daily complaints and the daily metric, complaints lagging by 0-3 days.
    pub correlation: Vec<LaggedSpearman>,
    /// The lag with the largest |ρ|.
    pub strongest: Option<LaggedSpearman>,
    pub association_text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MetricDay {
    pub day: NaiveDate,
    pub complaints: u64,
    pub value: Option<f64>,
}

/// The metric over one window: mean of the days with a value, and the last such value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub mean: f64,
    pub last: f64,
    pub days_with_data: usize,
}

/// The range `evidence::answer` asks Prometheus for: the previous window's first day, and the
/// number of days through the end of the current window.
pub fn fetch_range(window: Window) -> (DateTime<Utc>, i64) {
    (window.previous().from, 2 * window.days())
}

pub fn build(input: MetricInput, window: Window, complaints: &[u64]) -> MetricSection {
    let days = window.days();
    let dates: Vec<NaiveDate> = (0..days).map(|d| (window.from + Duration::days(d)).date_naive()).collect();
    let (previous_values, current_values, unavailable) = match input.series {
        Ok(series) => {
            let at = |day: NaiveDate| series.iter().find(|v| v.day == day).and_then(|v| v.value);
            let prev = dates.iter().map(|d| at(*d - Duration::days(days))).collect::<Vec<_>>();
            (prev, dates.iter().map(|d| at(*d)).collect::<Vec<_>>(), None)
        }
        Err(reason) => (vec![None; dates.len()], vec![None; dates.len()], Some(reason)),
    };
    let (previous, current) = (summary(&previous_values), summary(&current_values));
    let counts: Vec<f64> = complaints.iter().map(|&c| c as f64).collect();
    let correlation = if unavailable.is_some() { Vec::new() } else { spearman::lagged(&counts, &current_values) };
    let strongest = spearman::strongest(&correlation).copied();
    let unavailable = unavailable.or_else(|| current.is_none().then(|| "Prometheus has no values for this window".to_string()));
    MetricSection {
        change_text: change_text(&input.label, previous, current, days),
        association_text: association_text(&input.label, strongest.as_ref(), unavailable.as_deref()),
        weekly_mean: weekly_mean(&current_values, window),
        daily: dates
            .iter()
            .zip(complaints)
            .zip(&current_values)
            .map(|((&day, &c), &value)| MetricDay { day, complaints: c, value })
            .collect(),
        label: input.label,
        query: input.query,
        unavailable,
        previous,
        current,
        correlation,
        strongest,
    }
}

/// The complaints on each day of the window (days counted from its start; the last may be short).
pub fn daily_counts(created: &[DateTime<Utc>], window: Window) -> Vec<u64> {
    let mut counts = vec![0u64; window.days() as usize];
    for t in created.iter().filter(|t| window.contains(**t)) {
        if let Some(slot) = counts.get_mut((*t - window.from).num_days() as usize) {
            *slot += 1;
        }
    }
    counts
}

fn summary(values: &[Option<f64>]) -> Option<Summary> {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let last = *present.last()?;
    Some(Summary { mean: present.iter().sum::<f64>() / present.len() as f64, last, days_with_data: present.len() })
}

fn weekly_mean(values: &[Option<f64>], window: Window) -> Vec<Option<f64>> {
    window
        .weeks()
        .iter()
        .map(|w| {
            let (first, last) = ((w.from - window.from).num_days() as usize, (w.to - window.from).num_days() as usize);
            let week: Vec<Option<f64>> = values.get(first..last.min(values.len())).unwrap_or_default().to_vec();
            summary(&week).map(|s| s.mean)
        })
        .collect()
}

/// A value for people: three significant figures, no exponent for everyday magnitudes.
pub fn number(x: f64) -> String {
    let a = x.abs();
    if a == 0.0 {
        "0".into()
    } else if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else if a >= 0.01 {
        format!("{x:.3}").trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{x:.2e}")
    }
}

fn change_text(label: &str, previous: Option<Summary>, current: Option<Summary>, days: i64) -> String {
    match (previous, current) {
        (Some(p), Some(c)) => format!(
            "{label}: mean {} in the previous {}, {} in these (last value {} → {})",
            number(p.mean),
            crate::text::plural(days.unsigned_abs(), "day"),
            number(c.mean),
            number(p.last),
            number(c.last)
        ),
        (None, Some(c)) => {
            let span = crate::text::plural(days.unsigned_abs(), "day");
            format!("{label}: mean {} in these {span} (last {}); no values for the previous {span}", number(c.mean), number(c.last))
        }
        _ => format!("{label}: no values"),
    }
}

fn lag_words(lag: usize) -> String {
    match lag {
        0 => "on the same day".into(),
        1 => "at a 1-day lag".into(),
        n => format!("at a {n}-day lag"),
    }
}

/// "complaints rose with checkout p95 latency: ρ = 0.81 at a 1-day lag, p < 0.001; this shows
/// they moved together, not that one caused the other".
pub fn association_text(label: &str, strongest: Option<&LaggedSpearman>, unavailable: Option<&str>) -> String {
    if let Some(reason) = unavailable {
        return format!("{label} is not shown: {reason}");
    }
    let Some(s) = strongest else {
        return format!("too few days with both complaints and {label} to compare them");
    };
    let (rho, p) = (s.result.rho, format_p(s.result.p_value));
    let figures = format!("ρ = {rho:.2} {}, {p}", lag_words(s.lag_days));
    if s.result.p_value >= crate::stats::SIGNIFICANCE {
        return format!("no clear association between complaints and {label} (strongest {figures})");
    }
    let (what, verb) = if rho > 0.0 {
        (format!("rose with {label}"), "moved together")
    } else {
        (format!("fell as {label} rose"), "moved in opposite directions")
    };
    format!("complaints {what}: {figures}; this shows they {verb}, not that one caused the other")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn window() -> Window {
        let from = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        Window { from, to: from + Duration::days(7) }
    }

    fn series(values: &[Option<f64>]) -> Vec<DailyValue> {
        let start = window().previous().from;
        values.iter().enumerate().map(|(d, v)| DailyValue { day: (start + Duration::days(d as i64)).date_naive(), value: *v }).collect()
    }

    fn created(per_day: &[usize]) -> Vec<DateTime<Utc>> {
        let w = window();
        per_day
            .iter()
            .enumerate()
            .flat_map(|(d, &n)| std::iter::repeat_n(w.from + Duration::days(d as i64) + Duration::hours(9), n))
            .collect()
    }

    #[test]
    fn the_metric_sits_beside_daily_complaints_with_its_change_and_correlation() {
        let prev = [Some(1.0), Some(1.0), Some(1.2), None, Some(1.0), Some(1.1), Some(1.3)];
        let cur = [Some(1.2), Some(2.0), Some(3.5), Some(3.0), Some(4.8), Some(4.1), Some(4.8)];
        let input = MetricInput { label: "checkout p95 latency (s)".into(), query: "q".into(), series: Ok(series(&[prev, cur].concat())) };
        let complaints = [1, 3, 6, 5, 9, 8, 10];
        let m = build(input, window(), &daily_counts(&created(&complaints), window()));
        assert_eq!(m.unavailable, None);
        assert_eq!(m.daily.len(), 7);
        assert_eq!(m.daily[2], MetricDay { day: NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(), complaints: 6, value: Some(3.5) });
        let (p, c) = (m.previous.unwrap(), m.current.unwrap());
        assert!((p.mean - 6.6 / 6.0).abs() < 1e-12 && p.last == 1.3 && p.days_with_data == 6);
        assert!((c.mean - 23.4 / 7.0).abs() < 1e-12 && c.last == 4.8);
        assert_eq!(m.change_text, "checkout p95 latency (s): mean 1.1 in the previous 7 days, 3.343 in these (last value 1.3 → 4.8)");
        // Lag 0 is the plain Spearman of the two columns above.
        let direct = spearman::spearman(&cur.map(Option::unwrap), &complaints.map(|c| c as f64)).unwrap();
        assert_eq!(m.correlation[0].result, direct);
        let best = m.strongest.unwrap();
        assert_eq!(best.lag_days, 0);
        assert!(
            m.association_text.starts_with("complaints rose with checkout p95 latency (s): ρ = 0.99 on the same day, p < 0.001"),
            "{}",
            m.association_text
        );
        assert!(m.association_text.ends_with("this shows they moved together, not that one caused the other"));
        assert_eq!(m.weekly_mean.len(), 1);
    }

    #[test]
    fn a_missing_metric_still_gives_a_section_saying_why() {
        let input =
            MetricInput { label: "p95".into(), query: "q".into(), series: Err("Prometheus at http://x did not answer within 2 s".into()) };
        let m = build(input, window(), &daily_counts(&created(&[1, 2, 3]), window()));
        assert_eq!(m.association_text, "p95 is not shown: Prometheus at http://x did not answer within 2 s");
        assert!(m.correlation.is_empty() && m.current.is_none());
        assert_eq!(m.daily.iter().map(|d| d.complaints).sum::<u64>(), 6);
    }

    #[test]
    fn weak_or_negative_associations_are_worded_as_such() {
        let weak = LaggedSpearman { lag_days: 2, result: spearman::Spearman { rho: 0.12, p_value: 0.43, n: 20 } };
        assert_eq!(
            association_text("p95", Some(&weak), None),
            "no clear association between complaints and p95 (strongest ρ = 0.12 at a 2-day lag, p = 0.43)"
        );
        let neg = LaggedSpearman { lag_days: 1, result: spearman::Spearman { rho: -0.7, p_value: 0.004, n: 20 } };
        assert!(
            association_text("uptime", Some(&neg), None).starts_with("complaints fell as uptime rose: ρ = -0.70 at a 1-day lag, p = 0.004")
        );
        assert_eq!(number(1234.6), "1235");
        assert_eq!(number(0.0042), "4.20e-3");
    }
}
