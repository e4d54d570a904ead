//! The review as Markdown, from the `Review` value alone: every figure here is in the JSON.

use super::{churn, count_share, csat, dollars, nps};
use crate::review::fixes::{Fix, OpenIssue};
use crate::review::news::News;
use crate::review::{HurtTopic, Period, Review, Voice};
use std::fmt::Write;

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

/// Table cells: a `|` or a line break in customer text would break the row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn topics(out: &mut String, topics: &[HurtTopic]) {
    let _ = writeln!(out, "\n## Where customers hurt\n");
    if topics.is_empty() {
        let _ = writeln!(out, "No items tagged performance or reliability matched a topic this month.");
        return;
    }
    let _ = writeln!(out, "| Topic | ARR at risk | Accounts | Items | Trend | Metric, this month vs last |\n|---|---|---|---|---|---|");
    for t in topics {
        let (title, arr, metric) = (cell(&t.title), dollars(t.arr_at_risk_cents), cell(&super::metric_text(t)));
        let _ = writeln!(out, "| {title} (`{}`) | {arr} | {} | {} | {} | {metric} |", t.slug, t.accounts, t.items, t.trend);
    }
}

fn fixes(out: &mut String, fixes: &[Fix], open: &[OpenIssue]) {
    let _ = writeln!(out, "\n## What we fixed and whether it worked\n");
    if fixes.is_empty() {
        let _ = writeln!(out, "No issue filed from a pack was closed as done this month.");
    }
    for f in fixes {
        let so_far = if f.complete { "" } else { " (after-window not over yet)" };
        let _ = writeln!(out, "- [{}]({}), closed {}: {}{so_far}", f.key, f.url, f.closed_at.format("%Y-%m-%d"), f.summary);
    }
    let _ = writeln!(out, "\n### Still open\n");
    if open.is_empty() {
        let _ = writeln!(out, "No issue filed from a pack is open.");
        return;
    }
    let _ = writeln!(out, "| Issue | Topic | Filed | Age |\n|---|---|---|---|");
    for i in open {
        let (filed, age) = (i.filed_at.format("%Y-%m-%d"), super::days(i.age_days));
        let _ = writeln!(out, "| [{}]({}) ({}) | `{}` | {filed} | {age} |", cell(&i.key), i.url, i.tracker, i.topic);
    }
}

fn news(out: &mut String, n: &News) {
    let _ = writeln!(out, "\n## New this month\n");
    if n.emerging.is_empty() {
        let _ = writeln!(
            out,
            "No emerging complaint: the {} tagged performance or reliability that no topic claims formed no cluster of 5 items from 3 accounts.",
            crate::text::plural(n.unclaimed_items as u64, "item")
        );
    }
    for e in &n.emerging {
        let _ = writeln!(
            out,
            "- **{}** (would be `{}`): {} from {}, {} ARR; {}.\n  > {}",
            cell(&e.title),
            e.slug,
            crate::text::plural(e.items as u64, "item"),
            crate::text::plural(e.accounts as u64, "account"),
            dollars(e.arr_cents),
            super::growth(e.growth, e.earlier, e.recent, e.p_value),
            cell(&e.quote)
        );
    }
    let _ = writeln!(out, "\n### Topics made this month\n");
    if n.made.is_empty() {
        let _ = writeln!(out, "No topic was made this month.");
    }
    for t in &n.made {
        let by = t.created_by.replace(['\n', '\r'], " ");
        let made = t.created_at.format("%Y-%m-%d");
        let _ = writeln!(
            out,
            "- {} (`{}`), made {made} by {by}: {} this month",
            cell(&t.title),
            t.slug,
            crate::text::plural(t.items.unsigned_abs(), "item")
        );
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
        let comment = v.comment.replace(['\n', '\r'], " ");
        let _ = writeln!(
            out,
            "> {comment}\n\n— {account}{arr}; NPS {} ({}), {}\n",
            v.score,
            v.tags.join(", "),
            v.created_at.format("%Y-%m-%d")
        );
    }
}

fn agenda(out: &mut String, r: &Review) {
    let _ = writeln!(out, "\n## Proposed agenda\n");
    if r.agenda.is_empty() {
        let _ = writeln!(out, "Nothing to rank: no topic had items tagged performance or reliability this month.");
        return;
    }
    let _ = writeln!(out, "Topics ranked by the sum of their places by ARR at risk and by the evidence that they are rising.\n");
    for a in &r.agenda {
        let _ = writeln!(out, "{}. **{}** (`{}`): {}", a.rank, cell(&a.title), a.slug, a.reason);
    }
}

fn glossary(out: &mut String, r: &Review) {
    let _ = writeln!(out, "\n## Glossary\n");
    for c in &r.glossary.categories {
        let _ = writeln!(out, "- **{}**: {}", c.category.as_str(), c.definition);
    }
    if r.glossary.topics.is_empty() {
        let _ = writeln!(out, "\nNo topic had items this month.");
    } else {
        let _ = writeln!(out, "\n| Topic | Category | An item belongs when its text matches |\n|---|---|---|");
    }
    for t in &r.glossary.topics {
        let patterns: Vec<String> = t.patterns.iter().map(|p| format!("`{}`", cell(p).replace('`', "'"))).collect();
        let category = t.category.map_or("any", |c| c.as_str());
        let _ = writeln!(out, "| {} (`{}`) | {category} | {} |", cell(&t.title), t.slug, patterns.join(", "));
    }
}

/// The review as Markdown.
pub fn markdown(r: &Review) -> String {
    let mut out = format!("# Monthly review: {}\n\n", r.month);
    headline(&mut out, r);
    topics(&mut out, &r.topics);
    fixes(&mut out, &r.fixes, &r.open_issues);
    news(&mut out, &r.new_this_month);
    voices(&mut out, &r.voices);
    agenda(&mut out, r);
    glossary(&mut out, r);
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
