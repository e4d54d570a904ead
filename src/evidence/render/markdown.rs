//! Markdown meant to be pasted into a Jira/Linear/GitHub issue or a planning doc.

use super::{Answer, date, dollars, percent};
use crate::classify::definitions;
use crate::evidence::metric::number;
use crate::evidence::pack::EvidencePack;
use crate::text::plural;
use std::fmt::Write;

pub fn render(answer: &Answer) -> String {
    match answer {
        Answer::Pack(pack) => pack_markdown(pack),
        Answer::NoMatch { topic, suggestions, window } => {
            let mut out = format!(
                "## No evidence for `{}`\n\nNothing matched `{}` between {} and {}.",
                escape(topic),
                escape(topic),
                date(window.from),
                date(window.to)
            );
            if !suggestions.is_empty() {
                out.push_str(" Closest topics:\n\n");
                for s in suggestions {
                    let _ = writeln!(out, "- `{}`: {} ({})", s.slug, escape(&s.title), plural(s.items.unsigned_abs(), "item"));
                }
            } else {
                out.push('\n');
            }
            if let Some(word) = crate::evidence::selector::search_hint(topic) {
                let _ = writeln!(out, "\nOr search every item's text with fewer words: `pushback evidence {word}`");
            }
            out
        }
    }
}

fn pack_markdown(p: &EvidencePack) -> String {
    let mut o = String::new();
    summary(&mut o, p);
    quotes(&mut o, p);
    accounts(&mut o, p);
    weekly(&mut o, p);
    why(&mut o, p);
    reproduce(&mut o, p);
    o
}

/// Title, window and the headline figures.
fn summary(o: &mut String, p: &EvidencePack) {
    let _ = writeln!(o, "## Evidence: {} (`{}`)\n", escape(&p.title), p.slug);
    let _ = writeln!(
        o,
        "*{} → {} ({}) · generated {}*\n",
        date(p.window.from),
        date(p.window.to - chrono::Duration::seconds(1)),
        plural(p.window.days().unsigned_abs(), "day"),
        p.reproduce.generated_at.format("%Y-%m-%d %H:%M UTC")
    );
    let (items, accounts) = (plural(p.items, "item"), plural(p.accounts, "account"));
    let _ = writeln!(o, "- **{items} from {accounts}**, {} of all feedback in the window", percent(p.share_of_feedback));
    let _ = writeln!(
        o,
        "- **{} ARR** at the {} with a known ARR",
        dollars(p.revenue.affected_arr_cents),
        plural(p.revenue.accounts_with_arr, "affected account")
    );
    if p.revenue.churn_notes > 0 {
        let _ = writeln!(
            o,
            "- **Churn:** {} from {} {} it, **{} ARR lost**",
            plural(p.revenue.churn_notes, "cancellation note"),
            plural(p.revenue.churned_accounts, "account"),
            if p.revenue.churn_notes == 1 { "mentions" } else { "mention" },
            dollars(p.revenue.lost_arr_cents)
        );
    } else {
        let _ = writeln!(o, "- **Churn:** no cancellation note in the window mentions it");
    }
    let marker = if p.change.significant && p.change.current > p.change.previous { " **(significant rise)**" } else { "" };
    let _ = writeln!(o, "- **Trend:** {}{marker}", p.change_text);
    if let Some(m) = &p.metric {
        match &m.unavailable {
            Some(_) => {
                let _ = writeln!(o, "- **Metric:** {}", escape(&m.association_text));
            }
            None => {
                let _ = writeln!(o, "- **Metric:** {}", escape(&m.change_text));
                let _ = writeln!(o, "- **Together:** {}", escape(&m.association_text));
            }
        }
    }
    let _ = writeln!(o, "- **Weekly:** `{}`\n", p.sparkline);
}

/// "What customers say": each quote with who, when, where and why it counts.
fn quotes(o: &mut String, p: &EvidencePack) {
    if !p.quotes.is_empty() {
        let _ = writeln!(o, "### What customers say\n");
        for q in &p.quotes {
            let who = q.account.as_deref().map(escape).unwrap_or_else(|| "unknown account".into());
            let arr = q.arr_cents.map(|a| format!(", {} ARR", dollars(a))).unwrap_or_default();
            let link = q.url.as_deref().map(|u| format!(" · [original]({u})")).unwrap_or_default();
            let _ = writeln!(
                o,
                "> {}\n>\n> — {who}{arr}, {} {}, {}{link}",
                escape(&q.text),
                escape(&q.reference),
                q.kind.replace('_', " "),
                date(q.created_at)
            );
            if !q.why.is_empty() {
                let reasons = q.why.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ");
                let _ = match &q.phrase {
                    Some(phrase) => writeln!(o, "> <sub>counted because it says \"{}\" ({reasons})</sub>", escape(phrase)),
                    None => writeln!(o, "> <sub>counted because: {reasons}</sub>"),
                };
            }
            o.push('\n');
        }
    }
}

/// The largest accounts by ARR.
fn accounts(o: &mut String, p: &EvidencePack) {
    if !p.top_accounts.is_empty() {
        let _ = writeln!(o, "### Accounts (largest ARR first)\n\n| Account | Plan | ARR | Items | Churned |\n|---|---|---:|---:|---|");
        for a in &p.top_accounts {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                cell(a.name.as_deref().unwrap_or(&a.id)),
                cell(a.plan.as_deref().unwrap_or("")),
                a.arr_cents.map(dollars).unwrap_or_else(|| "unknown".into()),
                a.items,
                if a.churned { "yes" } else { "" }
            );
        }
        if p.accounts as usize > p.top_accounts.len() {
            let more = plural((p.accounts as usize - p.top_accounts.len()) as u64, "more account");
            let _ = writeln!(o, "\n…and {more} (all of them in the CSV).");
        }
        o.push('\n');
    }
}

/// Weekly counts, the previous window, and sources and kinds.
fn weekly(o: &mut String, p: &EvidencePack) {
    let metric = p.metric.as_ref().filter(|m| m.unavailable.is_none());
    match metric {
        Some(m) => {
            let _ = writeln!(o, "### Weekly counts\n\n| Week | Items | {} (mean) |\n|---|---:|---:|", cell(&m.label));
        }
        None => {
            let _ = writeln!(o, "### Weekly counts\n\n| Week | Items |\n|---|---:|");
        }
    }
    for (i, w) in p.weekly.iter().enumerate() {
        let value = metric.map(|m| match m.weekly_mean.get(i).copied().flatten() {
            Some(v) => format!(" {} |", number(v)),
            None => " no data |".into(),
        });
        let _ =
            writeln!(o, "| {} – {} | {} |{}", date(w.from), date(w.to - chrono::Duration::seconds(1)), w.count, value.unwrap_or_default());
    }
    let _ = writeln!(
        o,
        "\nPrevious {} ({} – {}): {} of {} in all; this window: {} of {}.\n",
        plural(p.window.days().unsigned_abs(), "day"),
        date(p.previous_window.from),
        date(p.previous_window.to),
        plural(p.change.previous, "item"),
        p.change.previous_total,
        p.change.current,
        p.change.current_total
    );

    let _ = writeln!(o, "### Where it came from\n\n| Source | Items |\n|---|---:|");
    for (s, n) in &p.by_source {
        let _ = writeln!(o, "| {s} | {n} |");
    }
    let _ = writeln!(o, "\n| Kind | Items |\n|---|---:|");
    for (k, n) in &p.by_kind {
        let _ = writeln!(o, "| {} | {n} |", k.replace('_', " "));
    }
}

/// What the topic matched and how far the tags can be trusted.
fn why(o: &mut String, p: &EvidencePack) {
    let _ = writeln!(o, "\n### Why these items count\n\nMatched by: `{}`", p.reproduce.query.replace('`', "'"));
    for c in crate::evidence::pack::involved_categories(p.category, &p.by_category) {
        let _ = writeln!(o, "*{c}* means {}; {}", definitions::short(c), definitions::PROBLEMS_ONLY.to_lowercase());
    }
    if !p.why.deciding.is_empty() {
        let reasons: Vec<String> = p.why.deciding.iter().map(|(r, n)| format!("`{r}` ({n})")).collect();
        let _ = writeln!(o, "Most frequent classifier reasons: {}.", reasons.join(", "));
    }
    for line in super::precision_lines(p) {
        let _ = writeln!(o, "{}{}.", line[..1].to_uppercase(), &line[1..]);
    }
}

/// Everything needed to regenerate exactly this pack.
fn reproduce(o: &mut String, p: &EvidencePack) {
    let r = &p.reproduce;
    let _ = writeln!(
        o,
        "\n### Reproduce\n\n- Window: {} to {} (UTC, end exclusive)\n- Rules `{}`, model `{}`\n- {}, hash `{}`\n- Generated {}\n- `{}`",
        r.window.from.to_rfc3339(),
        r.window.to.to_rfc3339(),
        r.rules_version,
        r.model_version,
        plural(r.item_count, "item"),
        r.items_hash,
        r.generated_at.to_rfc3339(),
        r.command
    );
}

/// Customer text must not become Markdown structure (links, HTML, emphasis, tables).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

fn cell(text: &str) -> String {
    escape(text)
}
