//! Block Kit for `/evidence`: a summary within Slack's limits, quotes with a *Wrong tag* button
//! each, and *Share in channel* / *Download pack* buttons. Block builders, escaping and the
//! limit check are the Slack module's (`slack::content`).

use super::{Answer, date, dollars, percent};
use crate::domain::Category;
use crate::evidence::pack::EvidencePack;
use crate::slack::content::{
    ACTION_DOWNLOAD, ACTION_SHARE, ACTION_WRONG_TAG, PackRef, SlackMessage, WrongTag, button, context, divider, escape, header, link,
    section, section_with,
};
use serde_json::json;

/// The message for `answer`; `share` (already posted in the channel) drops *Share in channel*.
pub fn message(answer: &Answer, share: bool) -> SlackMessage {
    match answer {
        Answer::Pack(pack) => pack_message(pack, share),
        Answer::NoMatch { topic, suggestions, window } => {
            let asked = escape(&crate::text::truncate_chars(topic, 80));
            let mut body = format!("Nothing matched `{asked}` between {} and {}.", date(window.from), date(window.to));
            if suggestions.is_empty() {
                body.push_str(" No topics are configured yet (config/rules.toml).");
            } else {
                body.push_str(" Closest topics:");
                for s in suggestions {
                    body.push_str(&format!("\n• `/evidence {} {}d` {} ({} items)", s.slug, window.days(), escape(&s.title), s.items));
                }
            }
            let text =
                format!("Nothing matched {asked}; try {}", suggestions.iter().map(|s| s.slug.as_str()).collect::<Vec<_>>().join(", "));
            SlackMessage { text, blocks: vec![section(&body), context("`/pushback topics` lists every topic with its volume.")] }
        }
    }
}

fn pack_message(p: &EvidencePack, share: bool) -> SlackMessage {
    let days = p.window.days();
    let rising = p.change.significant && p.change.current > p.change.previous;
    let mut blocks = vec![
        header(&format!("Evidence: {}", p.title)),
        context(&format!(
            "`{}` · {} to {} ({days} days) · {} items of all feedback in the window",
            p.slug,
            date(p.window.from),
            date(p.window.to - chrono::Duration::seconds(1)),
            p.change.current_total
        )),
    ];
    let mut summary = format!(
        "*{} items* from *{} accounts* ({} of all feedback)\n*{}* ARR at affected accounts",
        p.items,
        p.accounts,
        percent(p.share_of_feedback),
        dollars(p.revenue.affected_arr_cents)
    );
    if p.revenue.churn_notes > 0 {
        summary.push_str(&format!(
            "\n*Churn:* {} cancellation notes, *{} ARR lost*",
            p.revenue.churn_notes,
            dollars(p.revenue.lost_arr_cents)
        ));
    }
    let marker = if rising { " :small_red_triangle: *significant rise*" } else { "" };
    summary.push_str(&format!("\n*Trend:* {}{marker}\n`{}` weekly", p.change_text, p.sparkline));
    blocks.push(section(&summary));

    if !p.top_accounts.is_empty() {
        let lines: Vec<String> = p
            .top_accounts
            .iter()
            .take(5)
            .map(|a| {
                let arr = a.arr_cents.map(dollars).unwrap_or_else(|| "ARR unknown".into());
                let churn = if a.churned { " · churned" } else { "" };
                format!("• {} ({arr}, {} items{churn})", escape(a.name.as_deref().unwrap_or(&a.id)), a.items)
            })
            .collect();
        blocks.push(section(&format!("*Largest accounts*\n{}", lines.join("\n"))));
    }
    if !p.quotes.is_empty() {
        blocks.push(divider());
    }
    for q in &p.quotes {
        let who = q.account.as_deref().map(escape).unwrap_or_else(|| "unknown account".into());
        let link = link(q.url.as_deref(), "original").map(|l| format!(" · {l}")).unwrap_or_default();
        let why = if q.why.is_empty() { String::new() } else { format!("\n_counted because: {}_", escape(&q.why.join(", "))) };
        let text = format!(">{}\n— {who}, {} {}, {}{link}{why}", escape(&q.text), q.source, q.kind.replace('_', " "), date(q.created_at));
        let category: Option<Category> = p.category.or_else(|| q.categories.first().and_then(|c| c.parse().ok()));
        blocks.push(match category {
            Some(category) => section_with(&text, button("Wrong tag", ACTION_WRONG_TAG, &WrongTag { item: q.item_id, category })),
            None => section(&text),
        });
    }
    let precision: Vec<String> = p.why.precision.iter().map(|(c, v)| format!("{c} tags {} precise", percent(*v))).collect();
    let mut footer = format!(
        "rules `{}` · model `{}` · {} items, hash `{}` · personal data redacted",
        p.reproduce.rules_version, p.reproduce.model_version, p.reproduce.item_count, p.reproduce.items_hash
    );
    if !precision.is_empty() {
        footer = format!("{} · {footer}", precision.join(", "));
    }
    blocks.push(context(&footer));
    let value = PackRef { topic: p.slug.clone(), days: u32::try_from(days).unwrap_or(u32::MAX) };
    let mut buttons = Vec::new();
    if !share {
        buttons.push(button("Share in channel", ACTION_SHARE, &value));
    }
    buttons.push(button("Download pack", ACTION_DOWNLOAD, &value));
    blocks.push(json!({"type": "actions", "block_id": "evidence_actions", "elements": buttons}));
    let text = format!("Evidence for {}: {} items from {} accounts, {}", p.title, p.items, p.accounts, p.change_text);
    SlackMessage { text, blocks }
}
