//! The review rendered: Markdown (`markdown`), one self-contained HTML page (`html`, its charts
//! in `charts`) and JSON, each from the `Review` value alone. The phrases shared by the
//! Markdown and the HTML are here, so a figure reads the same in both.

pub mod charts;
pub mod html;
pub mod markdown;

use super::{CsatFigure, HurtTopic, NpsFigure, Period, Review};
use crate::domain::ArrCents;
use crate::text::plural;
pub use html::html;
pub use markdown::markdown;

/// The review as pretty JSON: every figure the Markdown and HTML show.
pub fn json(r: &Review) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default() + "\n"
}

/// The review's section titles, in order (Markdown `##`, HTML `<h2>`).
pub const SECTIONS: [&str; 8] = [
    "Headline",
    "Where customers hurt",
    "What we fixed and whether it worked",
    "New this month",
    "Survey voices",
    "Proposed agenda",
    "Glossary",
    "Reproduce",
];

/// "12 days", "1 day".
pub fn days(n: i64) -> String {
    plural(n.unsigned_abs(), "day")
}

/// "2.0× (3 then 6 items, p = 0.31)" for an emerging cluster's growth.
pub fn growth(g: f64, earlier: u64, recent: u64, p: Option<f64>) -> String {
    let p = p.map(crate::stats::format_p).map(|p| format!(", {p}")).unwrap_or_default();
    format!("{g:.1}× its share ({earlier} items in the first half, {recent} in the second{p})")
}

/// The topic's linked metric's change, or that it links none.
pub fn metric_text(t: &HurtTopic) -> String {
    t.metric.as_ref().map_or_else(|| "no metric linked".into(), |m| m.text.clone())
}

pub fn dollars(cents: i64) -> String {
    ArrCents(cents).display_dollars()
}

pub fn responses(n: u64) -> String {
    plural(n, "response")
}

/// "+23.0 (95% CI +5.1 to +40.9, 12 responses)", or "no responses".
pub fn nps(f: &NpsFigure) -> String {
    match (f.score, f.ci95) {
        (Some(score), Some([lo, hi])) => format!("{score:+.1} (95% CI {lo:+.1} to {hi:+.1}, {})", responses(f.responses)),
        _ => "no responses".into(),
    }
}

/// "80.0% (95% CI 49.0-94.3%, 10 responses)", or "no responses".
pub fn csat(f: &CsatFigure) -> String {
    match (f.percent, f.ci95) {
        (Some(pct), Some([lo, hi])) => format!("{pct:.1}% (95% CI {lo:.1}-{hi:.1}%, {})", responses(f.responses)),
        _ => "no responses".into(),
    }
}

pub fn count_share(n: i64, share: Option<f64>) -> String {
    match share {
        Some(s) => format!("{n} ({s:.1}%)"),
        None => n.to_string(),
    }
}

pub fn churn(p: &Period) -> String {
    match p.blamed_share {
        Some(s) => format!("{} ({s:.1}% blamed on performance or reliability)", dollars(p.churned_arr_cents)),
        None => "none".into(),
    }
}
