//! The review's charts, drawn by the evidence chart's code (`evidence::render::chart`): the
//! monthly KPIs (responses as bars, the score as a line on the right axis) and each top topic's
//! weekly items over the quarter, as SVG for the HTML page.

use crate::evidence::render::chart::render_spec_svg;
use crate::evidence::render::chart::spec::{Bar, ChartSpec, METRIC_TICKS, MetricLine, Previous, metric_range, tick_decimals, y_top};
use crate::review::{MonthFigures, Review, TopicTrend};
use crate::text::plural;
use chrono::{Datelike, Duration};

/// One drawn chart: its SVG and a sentence saying what it shows (the figure's caption and the
/// text a reader without the picture gets).
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub caption: String,
    pub svg: String,
}

/// The KPI charts, then one trend chart per top topic. A chart that cannot be drawn (the font
/// does not parse) is left out and its caption says so.
pub fn charts(r: &Review) -> (Vec<Chart>, Vec<Chart>) {
    let kpis = [nps_spec(&r.history), csat_spec(&r.history)].iter().map(draw).collect();
    let trends = r.trends.iter().map(|t| draw(&trend_spec(r, t))).collect();
    (kpis, trends)
}

fn draw(spec: &ChartSpec) -> Chart {
    let caption = format!("{}. {}", spec.title, spec.subtitle);
    match render_spec_svg(spec) {
        Ok(svg) => Chart { caption, svg },
        Err(e) => Chart { caption: format!("{caption} (chart not drawn: {e})"), svg: String::new() },
    }
}

/// "Nov" for "2026-11".
fn month_label(m: &MonthFigures) -> String {
    m.figures.from.format("%b %Y").to_string()
}

fn line(legend: &str, axis: &str, points: Vec<Option<f64>>) -> Option<MetricLine> {
    let values: Vec<f64> = points.iter().flatten().copied().collect();
    if values.is_empty() {
        return None;
    }
    let range = metric_range(&values);
    Some(MetricLine { legend: legend.into(), axis: axis.into(), points, range, decimals: tick_decimals(range, METRIC_TICKS) })
}

fn monthly(history: &[MonthFigures], title: &str, what: &str, responses: &dyn Fn(&MonthFigures) -> u64) -> ChartSpec {
    let bars: Vec<Bar> = history.iter().map(|m| Bar { label: month_label(m), count: responses(m), days: 30 }).collect();
    let total: u64 = bars.iter().map(|b| b.count).sum();
    let tallest = bars.iter().map(|b| b.count).max().unwrap_or(0) as f64;
    let (first, last) = (history.first().map(month_label).unwrap_or_default(), history.last().map(month_label).unwrap_or_default());
    ChartSpec {
        title: title.into(),
        subtitle: format!("{} from {first} to {last}", plural(total, what)),
        bars,
        bar_legend: format!("{what}s in the month"),
        previous: Previous { per_week: 0.0, legend: String::new() },
        y_top: y_top(tallest),
        x_title: "Month".into(),
        y_title: format!("{what}s"),
        metric: None,
        notes: vec!["A month without responses has no score (no point on the line), never 0.".into()],
    }
}

fn nps_spec(history: &[MonthFigures]) -> ChartSpec {
    let mut spec = monthly(history, "NPS by month", "NPS response", &|m| m.figures.nps.responses);
    spec.metric = line("NPS, -100 to 100 (right axis)", "NPS", history.iter().map(|m| m.figures.nps.score).collect());
    spec
}

fn csat_spec(history: &[MonthFigures]) -> ChartSpec {
    let mut spec = monthly(history, "CSAT by month", "CSAT response", &|m| m.figures.csat.responses);
    spec.metric = line("CSAT, % satisfied (right axis)", "CSAT %", history.iter().map(|m| m.figures.csat.percent).collect());
    spec
}

/// A top topic's weekly items over the quarter, over a band at its weekly rate in the window of
/// the month's length before it (the window its trend is tested against).
fn trend_spec(r: &Review, t: &TopicTrend) -> ChartSpec {
    let bars: Vec<Bar> = t
        .weekly
        .iter()
        .map(|w| Bar { label: w.from.format("%b %-d").to_string(), count: w.count, days: (w.to - w.from).num_days() })
        .collect();
    let before = r.topics.iter().find(|h| h.slug == t.slug).map_or(0, |h| h.items_before);
    let days = (r.reproduce.to - r.reproduce.from).num_days().max(1);
    let per_week = before as f64 * 7.0 / days as f64;
    let tallest = bars.iter().map(|b| b.count).max().unwrap_or(0) as f64;
    let total: u64 = bars.iter().map(|b| b.count).sum();
    let mut notes = vec!["Items tagged performance or reliability in the topic, per week ending on the month's last day.".to_string()];
    if let Some(first) = bars.first().filter(|b| b.days < 7) {
        notes.push(format!("The first bar (lighter) covers {}.", plural(first.days.unsigned_abs(), "day")));
    }
    let (from, to) = (t.weekly.first().map(|w| w.from), t.weekly.last().map(|w| w.to - Duration::seconds(1)));
    let year = match (from, to) {
        (Some(a), Some(b)) if a.year() != b.year() => format!("{}–{}", a.year(), b.year()),
        (_, Some(b)) => b.year().to_string(),
        _ => String::new(),
    };
    ChartSpec {
        title: format!("{}: items per week", t.title),
        subtitle: format!(
            "{} over the quarter; {} in the {days} days before {}",
            plural(total, "item"),
            plural(before.unsigned_abs(), "item"),
            r.month
        ),
        bars,
        bar_legend: "Items in the week".into(),
        previous: Previous { per_week, legend: format!("The {days} days before {}: {per_week:.1} a week", r.month) },
        y_top: y_top(tallest.max(per_week)),
        x_title: format!("Week starting ({year})"),
        y_title: "Items per week".into(),
        metric: None,
        notes,
    }
}
