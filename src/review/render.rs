//! The review as Markdown, from the `Review` value alone: every figure here is in the JSON.

use super::{CsatFigure, Fix, HurtTopic, NpsFigure, Period, Review, Voice};
use crate::domain::ArrCents;
use crate::text::plural;
use std::fmt::Write;

fn dollars(cents: i64) -> String {
    ArrCents(cents).display_dollars()
}

fn responses(n: u64) -> String {
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

fn count_share(n: i64, share: Option<f64>) -> String {
    match share {
        Some(s) => format!("{n} ({s:.1}%)"),
        None => n.to_string(),
    }
}

fn churn(p: &Period) -> String {
    match p.blamed_share {
        Some(s) => format!("{} ({s:.1}% blamed on performance or reliability)", dollars(p.churned_arr_cents)),
        None => "none".into(),
    }
}

fn headline(out: &mut String, r: &Review) {
    let h = &r.headline;
    let periods = [&h.this_month, &h.last_month, &h.quarter];
    let row = |out: &mut String, name: &str, cell: &dyn Fn(&Period) -> String| {
        let cells: Vec<String> = periods.iter().map(|p| cell(p)).collect();
        let _ = writeln!(out, "| {name} | {} |", cells.join(" | "));
    };
    let _ = writeln!(out, "## Headline\n");
    let _ = writeln!(out, "| | {} | last month | quarter (3 months) |\n|---|---|---|---|", r.month);
    row(out, "Feedback items", &|p| p.items.to_string());
    row(out, "Performance", &|p| count_share(p.performance, p.performance_share));
    row(out, "Reliability", &|p| count_share(p.reliability, p.reliability_share));
    row(out, "NPS", &|p| nps(&p.nps));
    row(out, "CSAT", &|p| csat(&p.csat));
    row(out, "Churned ARR", &churn);
    let k = &r.kpis;
    if let Some(c) = &k.nps_change {
        let _ = writeln!(out, "\nNPS: {}.", c.text);
    }
    if let Some(c) = &k.csat_change {
        let _ = writeln!(out, "\nCSAT: {}.", c.text);
    }
    let t = &k.nps_by_tag;
    let _ = writeln!(
        out,
        "\nNPS by what the comment is about: performance {}; reliability {}; neither {}.",
        nps(&t.performance),
        nps(&t.reliability),
        nps(&t.neither)
    );
}

fn topics(out: &mut String, topics: &[HurtTopic]) {
    let _ = writeln!(out, "\n## Where customers hurt\n");
    if topics.is_empty() {
        let _ = writeln!(out, "No items tagged performance or reliability matched a topic this month.");
        return;
    }
    let _ = writeln!(out, "| Topic | ARR at risk | Accounts | Items | Trend |\n|---|---|---|---|---|");
    for t in topics {
        let _ =
            writeln!(out, "| {} (`{}`) | {} | {} | {} | {} |", t.title, t.slug, dollars(t.arr_at_risk_cents), t.accounts, t.items, t.trend);
    }
}

fn fixes(out: &mut String, fixes: &[Fix]) {
    let _ = writeln!(out, "\n## What we fixed and whether it worked\n");
    if fixes.is_empty() {
        let _ = writeln!(out, "No issue filed from a pack was closed as done this month.");
        return;
    }
    for f in fixes {
        let so_far = if f.complete { "" } else { " (after-window not over yet)" };
        let _ = writeln!(out, "- [{}]({}), closed {}: {}{so_far}", f.key, f.url, f.closed_at.format("%Y-%m-%d"), f.summary);
    }
}

fn voices(out: &mut String, voices: &[Voice]) {
    let _ = writeln!(out, "\n## Survey voices\n");
    if voices.is_empty() {
        let _ = writeln!(out, "No NPS detractor left a comment tagged performance or reliability this month.");
        return;
    }
    for v in voices {
        let account = v.account.as_deref().unwrap_or("unknown account");
        let arr = v.arr_cents.map(|c| format!(", {} ARR", dollars(c))).unwrap_or_default();
        let comment = v.comment.replace('\n', " ");
        let _ = writeln!(
            out,
            "> {comment}\n\n— {account}{arr}; NPS {} ({}), {}\n",
            v.score,
            v.tags.join(", "),
            v.created_at.format("%Y-%m-%d")
        );
    }
}

/// The review as Markdown.
pub fn markdown(r: &Review) -> String {
    let mut out = format!("# Monthly review: {}\n\n", r.month);
    headline(&mut out, r);
    topics(&mut out, &r.topics);
    fixes(&mut out, &r.fixes);
    voices(&mut out, &r.voices);
    let p = &r.reproduce;
    let _ = writeln!(
        out,
        "\n## Reproduce\n\nWindow {} to {} (UTC, end excluded); pushback {}; classifier {}; figures hash `{}`; generated {}.\n\n    {}",
        p.from.format("%Y-%m-%d %H:%M"),
        p.to.format("%Y-%m-%d %H:%M"),
        p.pushback_version,
        p.classifier_version,
        p.figures_hash,
        p.generated_at.format("%Y-%m-%d %H:%M UTC"),
        p.command
    );
    out
}
