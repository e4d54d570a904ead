//! What the evidence chart says, as plain values: the weekly bars, the previous window's weekly
//! rate (the shaded band), the metric's points and axis range, the texts, and how the weeks are
//! labelled. Pure: `chart::draw` only places these on a canvas.

use crate::evidence::pack::EvidencePack;
use crate::text::{plural, thousands};
use chrono::{Datelike, Duration};

#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// "Checkout is slow: feedback items per week".
    pub title: String,
    /// The headline: items, accounts and the change against the previous window.
    pub subtitle: String,
    pub bars: Vec<Bar>,
    /// The bars' key: "Items in the week".
    pub bar_legend: String,
    pub previous: Previous,
    /// The top of the items axis: above the tallest bar and the band, a whole number.
    pub y_top: f64,
    /// "Week starting (2026)".
    pub x_title: String,
    pub y_title: String,
    pub metric: Option<MetricLine>,
    /// Lines under the chart: the window, a short first week, a missing metric.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The week's first day, "Oct 1".
    pub label: String,
    pub count: u64,
    /// Days in the bucket: 7, or fewer for a window that is not whole weeks (the first one).
    pub days: i64,
}

/// The previous window of equal length, as items per seven days.
#[derive(Debug, Clone, PartialEq)]
pub struct Previous {
    pub per_week: f64,
    /// "Previous 28 days: 0.5 a week on average".
    pub legend: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MetricLine {
    /// "checkout p95 latency (s), weekly mean (right axis)".
    pub legend: String,
    /// The right axis's title: the metric's label.
    pub axis: String,
    /// The weekly mean per bar; `None` for a week without values (the line breaks there).
    pub points: Vec<Option<f64>>,
    pub range: (f64, f64),
    /// Decimals of the right axis's tick labels (the same on every tick).
    pub decimals: usize,
}

/// At most this many ticks on the metric's axis.
pub const METRIC_TICKS: usize = 6;

/// How the weeks are labelled under the bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labels {
    /// Horizontal, one per week.
    Across,
    /// Turned upright, one every `every` weeks (1: every week).
    Upright { every: usize },
}

pub fn spec(pack: &EvidencePack) -> ChartSpec {
    let bars: Vec<Bar> = pack
        .weekly
        .iter()
        .map(|w| Bar { label: w.from.format("%b %-d").to_string(), count: w.count, days: (w.to - w.from).num_days() })
        .collect();
    let days = pack.window.days().max(1);
    let per_week = pack.change.previous as f64 * 7.0 / days as f64;
    let span = thousands(days as u64);
    let legend = match pack.change.previous {
        0 => format!("Previous {span} days: none"),
        _ => format!("Previous {span} days: {} a week on average", rate(per_week)),
    };
    let metric = metric_line(pack);
    let tallest = bars.iter().map(|b| b.count).max().unwrap_or(0) as f64;
    ChartSpec {
        title: format!("{}: feedback items per week", pack.title),
        subtitle: format!("{} from {}: {}", count(pack.items, "item"), count(pack.accounts, "account"), pack.change_text),
        y_top: y_top(tallest.max(per_week)),
        x_title: x_title(pack),
        y_title: "Items per week".into(),
        notes: notes(pack, &bars),
        previous: Previous { per_week, legend },
        bar_legend: "Items in the week".into(),
        metric,
        bars,
    }
}

/// "1 item", "8,844 items".
fn count(n: u64, noun: &str) -> String {
    let words = plural(n, noun);
    let (_, noun) = words.split_once(' ').unwrap_or(("", &words));
    format!("{} {noun}", thousands(n))
}

/// A rate such as "0.5", "12" or "1,204".
fn rate(x: f64) -> String {
    if x >= 10.0 { thousands(x.round() as u64) } else { format!("{x:.1}") }
}

/// Room above the tallest of the bars and the band (a tenth, at least one item), whole.
pub fn y_top(tallest: f64) -> f64 {
    (tallest * 1.1).max(tallest + 1.0).ceil()
}

/// "Week starting (2026)", or "(2025–2026)" for a window across new year.
fn x_title(pack: &EvidencePack) -> String {
    let first = pack.window.from.year();
    let last = (pack.window.to - Duration::seconds(1)).year();
    if first == last { format!("Week starting ({first})") } else { format!("Week starting ({first}–{last})") }
}

fn notes(pack: &EvidencePack, bars: &[Bar]) -> Vec<String> {
    let last_day = pack.window.to - Duration::seconds(1);
    let mut window = format!(
        "{} to {} (UTC), generated {} by pushback.",
        pack.window.from.format("%Y-%m-%d"),
        last_day.format("%Y-%m-%d"),
        pack.reproduce.generated_at.format("%Y-%m-%d")
    );
    if let Some(first) = bars.first().filter(|b| b.days < 7 && bars.len() > 1) {
        let (short, whole) = (plural(first.days as u64, "day"), count(pack.window.days() as u64, "day"));
        window.push_str(&format!(" The first bar (lighter) covers {short}: the window is {whole} long."));
    }
    let mut notes = vec![window];
    if let Some(reason) = pack.metric.as_ref().and_then(|m| m.unavailable.as_ref().map(|r| (&m.label, r))) {
        notes.push(format!("{} is not shown: {}.", reason.0, reason.1.trim_end_matches('.')));
    }
    notes
}

fn metric_line(pack: &EvidencePack) -> Option<MetricLine> {
    let m = pack.metric.as_ref().filter(|m| m.unavailable.is_none())?;
    let values: Vec<f64> = m.weekly_mean.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    if values.is_empty() {
        return None;
    }
    Some(MetricLine {
        legend: format!("{}, weekly mean (right axis)", m.label),
        axis: m.label.clone(),
        points: m.weekly_mean.iter().map(|v| v.filter(|v| v.is_finite())).collect(),
        range: metric_range(&values),
        decimals: tick_decimals(metric_range(&values), METRIC_TICKS),
    })
}

/// The right axis's range: from zero for a non-negative metric whose smallest value is not
/// close to its largest (so heights compare), else around the values with some room.
pub fn metric_range(values: &[f64]) -> (f64, f64) {
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if min >= 0.0 && max <= 0.0 {
        return (0.0, 1.0);
    }
    if min >= 0.0 && min <= 0.6 * max {
        return (0.0, max * 1.15);
    }
    let pad = if max > min { (max - min) * 0.15 } else { (max.abs() * 0.05).max(1e-9) };
    (min - pad, max + pad)
}

/// The decimals a tick label needs on an axis over `range` with at most `ticks` ticks: plotters
/// puts them at multiples of 1, 2 or 5 × 10^k, the finest step that gives no more than `ticks`.
pub fn tick_decimals(range: (f64, f64), ticks: usize) -> usize {
    let (lo, hi) = range;
    if !lo.is_finite() || !hi.is_finite() || hi <= lo {
        return 2;
    }
    let fits = |step: f64| (hi / step).floor() - (lo / step).ceil() + 1.0 <= ticks as f64;
    let mut step = 10f64.powi((hi - lo).log10().ceil() as i32 + 1);
    'finer: loop {
        for next in [step / 2.0, step / 5.0, step / 10.0] {
            if !fits(next) {
                break 'finer;
            }
            step = next.max(f64::MIN_POSITIVE);
        }
    }
    (-(step.log10() + 1e-9).floor()).max(0.0) as usize
}

/// The note under a chart whose week labels had to thin out.
pub fn label_note(labels: Labels, weeks: usize) -> Option<String> {
    match labels {
        Labels::Upright { every } if every > 1 && weeks > every => Some(format!("One week in {every} is labelled, the latest always.")),
        _ => None,
    }
}

/// A tick on the metric's axis: `decimals` places, thousands separated when whole.
pub fn metric_tick(v: f64, decimals: usize) -> String {
    if decimals == 0 && v.abs() >= 1000.0 {
        let sign = if v < 0.0 { "-" } else { "" };
        return format!("{sign}{}", thousands(v.abs().round() as u64));
    }
    let text = format!("{v:.decimals$}");
    // -0.0 reads as 0.
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') { text.trim_start_matches('-').to_string() } else { text }
}

/// Week labels across when the widest fits its slot with room, else upright: on every week when
/// a line of upright text (`line_px` high) fits the slot, else on every few weeks.
pub fn labels(slot_px: f64, widest_px: f64, line_px: f64) -> Labels {
    if slot_px >= widest_px + 10.0 {
        return Labels::Across;
    }
    let every = ((line_px + 2.0) / slot_px.max(0.1)).ceil().max(1.0) as usize;
    Labels::Upright { every }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_items_axis_clears_the_tallest_bar_with_a_whole_number() {
        assert_eq!(y_top(0.0), 1.0);
        assert_eq!(y_top(3.0), 4.0);
        assert_eq!(y_top(0.5), 2.0);
        assert_eq!(y_top(40.0), 44.0);
        assert_eq!(y_top(1234.0), 1358.0);
    }

    #[test]
    fn the_metric_axis_starts_at_zero_unless_the_values_sit_close_together() {
        assert_eq!(metric_range(&[1.2, 4.8]), (0.0, 4.8 * 1.15));
        assert_eq!(metric_range(&[0.0, 0.0]), (0.0, 1.0));
        let (lo, hi) = metric_range(&[99.0, 99.9]);
        assert!(lo > 95.0 && lo < 99.0 && hi > 99.9 && hi < 102.0, "{lo} {hi}");
        let (lo, hi) = metric_range(&[-3.0, 2.0]);
        assert!(lo < -3.0 && hi > 2.0);
        let (lo, hi) = metric_range(&[5.0, 5.0]);
        assert!(lo < 5.0 && hi > 5.0, "a flat metric still gets a range");
    }

    #[test]
    fn week_labels_turn_upright_then_thin_out_as_weeks_get_narrow() {
        assert_eq!(labels(63.0, 40.0, 12.0), Labels::Across);
        assert_eq!(labels(31.0, 40.0, 12.0), Labels::Upright { every: 1 });
        assert_eq!(labels(14.6, 40.0, 12.0), Labels::Upright { every: 1 }, "a year of weeks");
        assert_eq!(labels(13.0, 40.0, 12.0), Labels::Upright { every: 2 });
        assert_eq!(labels(1.5, 40.0, 12.0), Labels::Upright { every: 10 });
    }

    #[test]
    fn metric_ticks_share_their_decimals() {
        // plotters' ticks for these ranges: 0, 1, ... 5; 0, 0.5, ... 2.5; 98, 99, 100, 101; 0, 0.2, ... 1.
        assert_eq!(tick_decimals((0.0, 5.52), 6), 0);
        assert_eq!(tick_decimals((0.0, 2.76), 6), 1);
        assert_eq!(tick_decimals((97.88, 101.9), 6), 0);
        assert_eq!(tick_decimals((0.0, 1.0), 6), 1);
        assert_eq!(tick_decimals((0.0, 0.0023), 6), 4);
        assert_eq!(tick_decimals((0.0, 48_000.0), 6), 0);
        assert_eq!(metric_tick(1.5, 1), "1.5");
        assert_eq!(metric_tick(2.0, 1), "2.0");
        assert_eq!(metric_tick(-0.0001, 2), "0.00");
        assert_eq!(metric_tick(12_500.0, 0), "12,500");
    }

    #[test]
    fn counts_in_the_subtitle_are_separated_by_thousands() {
        assert_eq!(count(1, "item"), "1 item");
        assert_eq!(count(8_844, "item"), "8,844 items");
    }
}
