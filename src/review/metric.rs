//! A top topic's linked Prometheus metric this month against last month ("where customers
//! hurt"): the mean of the metric's daily values in each calendar month, read as packs read them
//! (`prometheus::Source::daily`: a query with a range selector covers its day as written, an
//! instant query is averaged over the day's own 5-minute steps), and the change as a value and a
//! percent. Without Prometheus or without values, the reason in words, never 0.

use super::Month;
use crate::classify::rules::TopicMetric;
use crate::evidence::metric::number;
use crate::prometheus::{DailyValue, Source};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricChange {
    /// `metric_label` in rules.toml, else the query.
    pub label: String,
    pub query: String,
    pub this_month: Option<MonthMean>,
    pub last_month: Option<MonthMean>,
    /// This month's mean minus last month's, when both have values.
    pub change: Option<f64>,
    /// The change as a percent of last month's mean (none when that mean is 0).
    pub change_percent: Option<f64>,
    /// Why there is no change (Prometheus unreachable, a refused query, no values), when there is none.
    pub unavailable: Option<String>,
    /// "checkout latency (s): mean 4.2 in 2026-11 vs 5.1 in 2026-10, −0.9 (−17.6%)".
    pub text: String,
}

/// The mean of a month's daily values, over the days that have one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MonthMean {
    pub mean: f64,
    pub days_with_data: usize,
    /// Days in the month.
    pub days: usize,
}

/// Asks `prometheus` for `metric` on each day of `month` and the month before, in one query.
pub async fn fetch(prometheus: &Source, metric: TopicMetric, month: Month) -> MetricChange {
    let from = month.previous().start();
    let days = (month.next().start() - from).num_days();
    let series = prometheus.daily(&metric.query, from, days).await;
    if let Err(reason) = &series {
        tracing::warn!(label = %metric.label, %reason, "review without its metric's change");
    }
    compare(metric, month, series)
}

/// The change of `metric` between `month` and the month before, from its daily values (or why
/// there are none).
pub fn compare(metric: TopicMetric, month: Month, series: Result<Vec<DailyValue>, String>) -> MetricChange {
    let TopicMetric { query, label } = metric;
    let (this_month, last_month, unavailable) = match series {
        Ok(series) => {
            let (this, last) = (month_mean(&series, month), month_mean(&series, month.previous()));
            let why = match (this, last) {
                (None, None) => Some(format!("Prometheus has no values for {month} or {}", month.previous())),
                (None, Some(_)) => Some(format!("Prometheus has no values for {month}")),
                (Some(_), None) => Some(format!("Prometheus has no values for {} to compare with", month.previous())),
                (Some(_), Some(_)) => None,
            };
            (this, last, why)
        }
        Err(reason) => (None, None, Some(reason)),
    };
    let change = this_month.zip(last_month).map(|(t, l)| t.mean - l.mean);
    let change_percent = change.zip(last_month).filter(|(_, l)| l.mean != 0.0).map(|(c, l)| 100.0 * c / l.mean.abs());
    let text = text(&label, month, (this_month, last_month), (change, change_percent), unavailable.as_deref());
    MetricChange { label, query, this_month, last_month, change, change_percent, unavailable, text }
}

/// The mean of the values on `month`'s days, if any day has one.
pub fn month_mean(series: &[DailyValue], month: Month) -> Option<MonthMean> {
    let (from, to) = month.window();
    let (first, end): (NaiveDate, NaiveDate) = (from.date_naive(), to.date_naive());
    let values: Vec<f64> = series.iter().filter(|v| v.day >= first && v.day < end).filter_map(|v| v.value).collect();
    let days = usize::try_from((end - first).num_days()).unwrap_or(0);
    (!values.is_empty()).then(|| MonthMean { mean: values.iter().sum::<f64>() / values.len() as f64, days_with_data: values.len(), days })
}

/// A signed figure: "+0.9", "−0.9" (a minus sign, as the packs' ratios are printed).
fn signed(x: f64) -> String {
    if x < 0.0 { format!("−{}", number(-x)) } else { format!("+{}", number(x)) }
}

/// "+25.0", "−40.7": one decimal, with its sign.
fn signed_percent(p: f64) -> String {
    if p < 0.0 { format!("−{:.1}", -p) } else { format!("+{p:.1}") }
}

fn mean_in(m: MonthMean, month: Month) -> String {
    let partial = if m.days_with_data < m.days { format!(" ({} of {} days with values)", m.days_with_data, m.days) } else { String::new() };
    format!("{} in {month}{partial}", number(m.mean))
}

fn text(
    label: &str,
    month: Month,
    means: (Option<MonthMean>, Option<MonthMean>),
    change: (Option<f64>, Option<f64>),
    why: Option<&str>,
) -> String {
    let previous = month.previous();
    match (means, change) {
        ((Some(t), Some(l)), (Some(c), Some(p))) => {
            format!("{label}: mean {} vs {}, {} ({}%)", mean_in(t, month), mean_in(l, previous), signed(c), signed_percent(p))
        }
        ((Some(t), Some(l)), (Some(c), None)) => {
            format!("{label}: mean {} vs {}, {} (no percent: last month's mean is 0)", mean_in(t, month), mean_in(l, previous), signed(c))
        }
        ((Some(t), None), _) => format!("{label}: mean {}; no change shown: {}", mean_in(t, month), why.unwrap_or("no values last month")),
        _ => format!("{label}: no change shown: {}", why.unwrap_or("no values")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn metric() -> TopicMetric {
        TopicMetric { query: "max(x)".into(), label: "checkout latency (s)".into() }
    }

    /// October and November 2026 (31 + 30 days), each day's value from `value(day index)`.
    fn series(value: impl Fn(i64) -> Option<f64>) -> Vec<DailyValue> {
        let start = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        (0..61).map(|d| DailyValue { day: start + Duration::days(d), value: value(d) }).collect()
    }

    fn nov() -> Month {
        "2026-11".parse().unwrap()
    }

    #[test]
    fn the_change_is_the_difference_of_the_monthly_means_and_its_percent() {
        // October: 2.0 every day (mean 2). November: 1.0 on its first 15 days, 4.0 on the last 15 (mean 2.5).
        let s = series(|d| {
            Some(if d < 31 {
                2.0
            } else if d < 46 {
                1.0
            } else {
                4.0
            })
        });
        let m = compare(metric(), nov(), Ok(s));
        assert_eq!(m.this_month, Some(MonthMean { mean: 2.5, days_with_data: 30, days: 30 }));
        assert_eq!(m.last_month, Some(MonthMean { mean: 2.0, days_with_data: 31, days: 31 }));
        assert_eq!((m.change, m.change_percent, m.unavailable.as_deref()), (Some(0.5), Some(25.0), None));
        assert_eq!(m.text, "checkout latency (s): mean 2.5 in 2026-11 vs 2 in 2026-10, +0.5 (+25.0%)");
    }

    #[test]
    fn days_without_values_are_left_out_of_the_mean_and_a_fall_reads_as_one() {
        // October: 10.0 on its first 10 days only (mean 10). November: 4.0 and 8.0 alternating on
        // even/odd days, none on the 30th: 15 × 4 + 14 × 8 over 29 days = 172/29 = 5.931.
        let s = series(|d| match d {
            0..=9 => Some(10.0),
            31..=59 => Some(if (d - 31) % 2 == 0 { 4.0 } else { 8.0 }),
            _ => None,
        });
        let m = compare(metric(), nov(), Ok(s));
        let (t, l) = (m.this_month.unwrap(), m.last_month.unwrap());
        assert!((t.mean - 172.0 / 29.0).abs() < 1e-12 && t.days_with_data == 29);
        assert_eq!((l.mean, l.days_with_data, l.days), (10.0, 10, 31));
        let change = 172.0 / 29.0 - 10.0;
        assert!((m.change.unwrap() - change).abs() < 1e-12);
        assert!((m.change_percent.unwrap() - 10.0 * change).abs() < 1e-9, "−40.69%");
        assert_eq!(
            m.text,
            "checkout latency (s): mean 5.931 in 2026-11 (29 of 30 days with values) vs 10.0 in 2026-10 (10 of 31 days with values), −4.069 (−40.7%)"
        );
    }

    #[test]
    fn a_zero_last_month_has_no_percent_and_missing_values_are_said_in_words() {
        let zero = compare(metric(), nov(), Ok(series(|d| Some(if d < 31 { 0.0 } else { 3.0 }))));
        assert_eq!((zero.change, zero.change_percent), (Some(3.0), None));
        assert!(zero.text.ends_with("+3 (no percent: last month's mean is 0)"), "{}", zero.text);

        let only_now = compare(metric(), nov(), Ok(series(|d| (d >= 31).then_some(1.5))));
        assert_eq!((only_now.change, only_now.last_month), (None, None));
        assert_eq!(
            only_now.text,
            "checkout latency (s): mean 1.5 in 2026-11; no change shown: Prometheus has no values for 2026-10 to compare with"
        );

        let only_before = compare(metric(), nov(), Ok(series(|d| (d < 31).then_some(1.5))));
        assert_eq!(only_before.text, "checkout latency (s): no change shown: Prometheus has no values for 2026-11");
        let none = compare(metric(), nov(), Ok(series(|_| None)));
        assert_eq!(none.unavailable.as_deref(), Some("Prometheus has no values for 2026-11 or 2026-10"));

        let down = compare(metric(), nov(), Err("cannot reach Prometheus at http://x".into()));
        assert_eq!((down.this_month, down.change), (None, None));
        assert_eq!(down.text, "checkout latency (s): no change shown: cannot reach Prometheus at http://x");
        assert!(!down.text.contains(" 0"), "never a 0 for a missing figure");
    }

    #[test]
    fn a_negative_baseline_changes_by_its_magnitude() {
        // −2 to −1 is a rise of 1, +50% of |−2|.
        let m = compare(metric(), nov(), Ok(series(|d| Some(if d < 31 { -2.0 } else { -1.0 }))));
        assert_eq!((m.change, m.change_percent), (Some(1.0), Some(50.0)));
    }
}
