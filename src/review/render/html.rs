//! The review as one self-contained HTML page: inline CSS (`review.css`) and inline SVG charts
//! (`charts`), no script and nothing fetched (a Content-Security-Policy forbids both), A4 print
//! rules, and plain headings, tables and paragraphs so it pastes into a wiki as text. Every
//! piece of text from the data is escaped.

use super::charts::{Chart, charts};
use super::{SECTIONS, churn, count_share, csat, dollars, nps};
use crate::review::fixes::{Fix, OpenIssue};
use crate::review::news::News;
use crate::review::{HurtTopic, Period, Review, Voice};
use crate::text::plural;
use std::fmt::Write;

const STYLE: &str = include_str!("review.css");

/// Nothing may load: no script, font, image, frame or connection; only the inline style.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'";

/// Text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link when `url` is http(s), else the text alone (a `javascript:` URL is never a link).
fn link(url: &str, text: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        format!("<a href=\"{}\">{}</a>", esc(url), esc(text))
    } else {
        esc(text)
    }
}

fn h2(out: &mut String, n: usize) {
    let _ = writeln!(out, "<h2 id=\"s{}\">{}. {}</h2>", n + 1, n + 1, SECTIONS[n]);
}

fn figure(out: &mut String, chart: &Chart) {
    // The SVG scales with the page (its viewBox stays); its caption is its text for a reader without it.
    let svg =
        chart.svg.replacen("<svg width=\"960\" height=\"540\"", &format!("<svg role=\"img\" aria-label=\"{}\"", esc(&chart.caption)), 1);
    let _ = writeln!(out, "<figure>\n{}<figcaption>{}</figcaption>\n</figure>", svg.trim_end(), esc(&chart.caption));
}

fn headline(out: &mut String, r: &Review, kpi_charts: &[Chart]) {
    h2(out, 0);
    let h = &r.headline;
    let periods = [&h.this_month, &h.last_month, &h.quarter];
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th></th><th>{}</th><th>last month</th><th>quarter ({} to {})</th></tr></thead>\n<tbody>",
        esc(&r.month),
        h.quarter.from.format("%Y-%m"),
        r.month
    );
    let row = |out: &mut String, name: &str, cell: &dyn Fn(&Period) -> String| {
        let cells: String = periods.iter().map(|p| format!("<td>{}</td>", esc(&cell(p)))).collect();
        let _ = writeln!(out, "<tr><th>{name}</th>{cells}</tr>");
    };
    row(out, "Feedback items", &|p| p.items.to_string());
    row(out, "Performance", &|p| count_share(p.performance, p.performance_share));
    row(out, "Reliability", &|p| count_share(p.reliability, p.reliability_share));
    row(out, "NPS", &|p| nps(&p.nps));
    row(out, "CSAT", &|p| csat(&p.csat));
    row(out, "Churned ARR", &churn);
    let _ = writeln!(out, "</tbody>\n</table>");
    let k = &r.kpis;
    for (name, change) in [("NPS", &k.nps_change), ("CSAT", &k.csat_change)] {
        if let Some(c) = change {
            let class = if c.significant { " class=\"significant\"" } else { "" };
            let _ = writeln!(out, "<p{class}>{name}: {}.</p>", esc(&c.text));
        }
    }
    let t = &k.nps_by_tag;
    let _ = writeln!(
        out,
        "<p>NPS by what the comment is about: performance {}; reliability {}; neither {}.</p>",
        esc(&nps(&t.performance)),
        esc(&nps(&t.reliability)),
        esc(&nps(&t.neither))
    );
    for chart in kpi_charts {
        figure(out, chart);
    }
}

fn topics(out: &mut String, topics: &[HurtTopic], trend_charts: &[Chart]) {
    h2(out, 1);
    if topics.is_empty() {
        let _ = writeln!(out, "<p>No items tagged performance or reliability matched a topic this month.</p>");
        return;
    }
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>Topic</th><th class=\"num\">ARR at risk</th><th class=\"num\">Accounts</th><th class=\"num\">Items</th><th>Trend</th><th>Metric, this month vs last</th></tr></thead>\n<tbody>"
    );
    for t in topics {
        let class = if t.significant { " class=\"significant\"" } else { "" };
        let _ = writeln!(
            out,
            "<tr><td>{} (<code>{}</code>)</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td{class}>{}</td><td>{}</td></tr>",
            esc(&t.title),
            esc(&t.slug),
            dollars(t.arr_at_risk_cents),
            t.accounts,
            t.items,
            esc(&t.trend),
            esc(&super::metric_text(t))
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
    for chart in trend_charts {
        figure(out, chart);
    }
}

fn fixes(out: &mut String, fixes: &[Fix], open: &[OpenIssue]) {
    h2(out, 2);
    if fixes.is_empty() {
        let _ = writeln!(out, "<p>No issue filed from a pack was closed as done this month.</p>");
    } else {
        let _ = writeln!(out, "<ul>");
        for f in fixes {
            let so_far = if f.complete { "" } else { " (after-window not over yet)" };
            let _ =
                writeln!(out, "<li>{}, closed {}: {}{so_far}</li>", link(&f.url, &f.key), f.closed_at.format("%Y-%m-%d"), esc(&f.summary));
        }
        let _ = writeln!(out, "</ul>");
    }
    let _ = writeln!(out, "<h3>Still open</h3>");
    if open.is_empty() {
        let _ = writeln!(out, "<p>No issue filed from a pack is open.</p>");
        return;
    }
    let _ = writeln!(out, "<table>\n<thead><tr><th>Issue</th><th>Topic</th><th>Filed</th><th class=\"num\">Age</th></tr></thead>\n<tbody>");
    for i in open {
        let _ = writeln!(
            out,
            "<tr><td>{} ({})</td><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td></tr>",
            link(&i.url, &i.key),
            esc(&i.tracker),
            esc(&i.topic),
            i.filed_at.format("%Y-%m-%d"),
            super::days(i.age_days)
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}

fn news(out: &mut String, n: &News) {
    h2(out, 3);
    if n.emerging.is_empty() {
        let _ = writeln!(
            out,
            "<p>No emerging complaint: the {} tagged performance or reliability that no topic claims formed no cluster of 5 items from 3 accounts.</p>",
            plural(n.unclaimed_items as u64, "item")
        );
    }
    for e in &n.emerging {
        let _ = writeln!(
            out,
            "<h3>{} <span class=\"muted\">(would be <code>{}</code>)</span></h3>\n<p>{} from {}, {} ARR; {}.</p>\n<blockquote>{}</blockquote>",
            esc(&e.title),
            esc(&e.slug),
            plural(e.items as u64, "item"),
            plural(e.accounts as u64, "account"),
            dollars(e.arr_cents),
            esc(&super::growth(e.growth, e.earlier, e.recent, e.p_value)),
            esc(&e.quote)
        );
    }
    let _ = writeln!(out, "<h3>Topics made this month</h3>");
    if n.made.is_empty() {
        let _ = writeln!(out, "<p>No topic was made this month.</p>");
        return;
    }
    let _ = writeln!(out, "<ul>");
    for t in &n.made {
        let _ = writeln!(
            out,
            "<li>{} (<code>{}</code>), made {} by {}: {} this month</li>",
            esc(&t.title),
            esc(&t.slug),
            t.created_at.format("%Y-%m-%d"),
            esc(&t.created_by),
            plural(t.items.unsigned_abs(), "item")
        );
    }
    let _ = writeln!(out, "</ul>");
}

fn voices(out: &mut String, voices: &[Voice]) {
    h2(out, 4);
    if voices.is_empty() {
        let _ = writeln!(out, "<p>No NPS detractor left a comment tagged performance or reliability this month.</p>");
        return;
    }
    for v in voices {
        let account = v.account.as_deref().unwrap_or("unknown account");
        let arr = v.arr_cents.map(|c| format!(", {} ARR", dollars(c))).unwrap_or_default();
        let _ = writeln!(
            out,
            "<blockquote>{}</blockquote>\n<p class=\"who\">— {}{arr}; NPS {} ({}), {}</p>",
            esc(&v.comment),
            esc(account),
            v.score,
            esc(&v.tags.join(", ")),
            v.created_at.format("%Y-%m-%d")
        );
    }
}

fn agenda(out: &mut String, r: &Review) {
    h2(out, 5);
    if r.agenda.is_empty() {
        let _ = writeln!(out, "<p>Nothing to rank: no topic had items tagged performance or reliability this month.</p>");
        return;
    }
    let _ = writeln!(
        out,
        "<p>Topics ranked by the sum of their places by ARR at risk and by the evidence that they are rising.</p>\n<ol class=\"agenda\">"
    );
    for a in &r.agenda {
        let _ = writeln!(out, "<li><strong>{}</strong> (<code>{}</code>): {}</li>", esc(&a.title), esc(&a.slug), esc(&a.reason));
    }
    let _ = writeln!(out, "</ol>");
}

fn glossary(out: &mut String, r: &Review) {
    h2(out, 6);
    let _ = writeln!(out, "<dl>");
    for c in &r.glossary.categories {
        let _ = writeln!(out, "<dt><strong>{}</strong></dt><dd>{}</dd>", c.category.as_str(), esc(&c.definition));
    }
    let _ = writeln!(out, "</dl>");
    if r.glossary.topics.is_empty() {
        let _ = writeln!(out, "<p>No topic had items this month.</p>");
        return;
    }
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>Topic</th><th>Category</th><th>An item belongs when its text matches</th></tr></thead>\n<tbody>"
    );
    for t in &r.glossary.topics {
        let patterns: Vec<String> = t.patterns.iter().map(|p| format!("<code>{}</code>", esc(p))).collect();
        let category = t.category.map_or("any", |c| c.as_str());
        let _ = writeln!(
            out,
            "<tr><td>{} (<code>{}</code>)</td><td>{category}</td><td>{}</td></tr>",
            esc(&t.title),
            esc(&t.slug),
            patterns.join(", ")
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
}

fn reproduce(out: &mut String, r: &Review) {
    h2(out, 7);
    let p = &r.reproduce;
    let _ = writeln!(
        out,
        "<p>Window {} to {} (UTC, end excluded); pushback {}; classifier {}; figures hash <code>{}</code>; generated {}.</p>\n<pre>{}</pre>",
        p.from.format("%Y-%m-%d %H:%M"),
        p.to.format("%Y-%m-%d %H:%M"),
        esc(&p.pushback_version),
        esc(&p.classifier_version),
        esc(&p.figures_hash),
        p.generated_at.format("%Y-%m-%d %H:%M UTC"),
        esc(&p.command)
    );
}

/// The review as one HTML document.
pub fn html(r: &Review) -> String {
    let (kpi_charts, trend_charts) = charts(r);
    let month = esc(&r.month);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Monthly review: {month}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <h1>Monthly review: {month}</h1>\n<p class=\"lead\">Customer feedback, survey scores, what it costs and what we fixed, for product and engineering. \
         Every figure is in <code>{}</code>.</p>\n",
        esc(&r.reproduce.command)
    );
    headline(&mut out, r, &kpi_charts);
    topics(&mut out, &r.topics, &trend_charts);
    fixes(&mut out, &r.fixes, &r.open_issues);
    news(&mut out, &r.new_this_month);
    voices(&mut out, &r.voices);
    agenda(&mut out, r);
    glossary(&mut out, r);
    reproduce(&mut out, r);
    out.push_str("</body>\n</html>\n");
    out
}
