//! One pack, five renderings: Markdown, CSV, JSON and the chart as PNG or SVG. (The Slack message is
//! `slack::evidence`'s: evidence never imports the layer above it.)

pub mod chart;
pub mod csv;
pub mod markdown;

use super::Answer;
use crate::domain::ArrCents;
use chrono::{DateTime, Utc};

/// The formats a pack renders to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Md,
    Csv,
    Json,
    Png,
    /// The chart as SVG (text stays text).
    Svg,
    /// One row per day: complaints and the topic's metric.
    DailyCsv,
}

/// The bytes of `answer` in `format`. A topic with no match has no rows or chart: CSV, PNG and
/// SVG then fail with the closest topics in the message.
pub fn render(answer: &Answer, format: Format) -> anyhow::Result<Vec<u8>> {
    let pack = match answer {
        Answer::Pack(p) => Some(p),
        Answer::NoMatch { .. } => None,
    };
    Ok(match format {
        Format::Md => markdown::render(answer).into_bytes(),
        Format::Json => (serde_json::to_string_pretty(answer)? + "\n").into_bytes(),
        Format::Csv => csv::render(pack.ok_or_else(|| no_match(answer))?)?.into_bytes(),
        Format::Png => chart::render_png(pack.ok_or_else(|| no_match(answer))?)?,
        Format::Svg => chart::render_svg(pack.ok_or_else(|| no_match(answer))?)?.into_bytes(),
        Format::DailyCsv => {
            let pack = pack.ok_or_else(|| no_match(answer))?;
            csv::daily(pack)?
                .ok_or_else(|| anyhow::anyhow!("topic `{}` names no metric: add metric = '<PromQL>' to it in rules.toml", pack.slug))?
                .into_bytes()
        }
    })
}

fn no_match(answer: &Answer) -> anyhow::Error {
    anyhow::anyhow!("{}", markdown::render(answer).trim_start_matches("## ").replace('`', ""))
}

/// How far the pack's tags can be trusted, in words, for every rendering: per category the
/// workspace's own precision first (when its people checked enough items), then the held-out
/// precision per set, lowest first.
pub fn precision_lines(p: &super::EvidencePack) -> Vec<String> {
    let team = p.why.team_precision.iter().map(|(c, team)| team.describe(c));
    team.chain(p.why.precision_text.values().cloned()).collect()
}

pub(crate) fn date(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

pub(crate) fn dollars(cents: i64) -> String {
    ArrCents(cents).display_dollars()
}

pub(crate) fn percent(x: f64) -> String {
    let pct = x * 100.0;
    if pct > 0.0 && pct < 0.1 { "<0.1%".into() } else { format!("{pct:.1}%") }
}

#[cfg(test)]
mod tests;
