//! Block Kit for `/evidence`: a summary that fits Slack's limits, quotes with a *Wrong tag*
//! button each, and *Share in channel* / *Download pack* buttons.

use super::{Answer, date, dollars, percent};
use crate::evidence::pack::EvidencePack;
use serde_json::{Value, json};

pub const ACTION_SHARE: &str = "share_in_channel";
pub const ACTION_DOWNLOAD: &str = "download_pack";
pub const ACTION_WRONG_TAG: &str = "wrong_tag";

/// `{"text": fallback, "blocks": [...]}`, ready for chat.postMessage or a response_url.
pub fn message(answer: &Answer) -> Value {
    match answer {
        Answer::Pack(pack) => pack_message(pack),
        Answer::NoMatch { topic, suggestions, .. } => {
            let mut text = format!("Nothing matched `{}`.", escape(topic));
            if !suggestions.is_empty() {
                text.push_str(" Closest topics:");
                for s in suggestions {
                    text.push_str(&format!("\n• `/evidence {}` {} ({} items)", s.slug, escape(&s.title), s.items));
                }
            }
            json!({"text": text.clone(), "blocks": [section(&text)]})
        }
    }
}

fn pack_message(p: &EvidencePack) -> Value {
    let days = p.window.days();
    let rising = p.change.significant && p.change.current > p.change.previous;
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": clip(&format!("Evidence: {}", p.title), 150), "emoji": false}}),
        json!({"type": "context", "elements": [{"type": "mrkdwn", "text": format!("`{}` · {} → {} ({days} days) · {} items in all feedback", p.slug, date(p.window.from), date(p.window.to), p.change.current_total)}]}),
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
    summary.push_str(&format!("\n*Trend:* {}{}", if rising { ":chart_with_upwards_trend: " } else { "" }, p.change_text));
    summary.push_str(&format!("\n`{}` weekly", p.sparkline));
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
        blocks.push(json!({"type": "divider"}));
    }
    for q in &p.quotes {
        let who = q.account.as_deref().map(escape).unwrap_or_else(|| "unknown account".into());
        let link = q.url.as_deref().map(|u| format!(" · <{}|original>", escape_url(u))).unwrap_or_default();
        let why = if q.why.is_empty() { String::new() } else { format!("\n_counted because: {}_", escape(&q.why.join(", "))) };
        let text = format!(">{}\n— {who}, {} {}, {}{link}{why}", escape(&q.text), q.source, q.kind.replace('_', " "), date(q.created_at));
        let mut block = section(&text);
        block["accessory"] = json!({
            "type": "button",
            "text": {"type": "plain_text", "text": "Wrong tag"},
            "action_id": ACTION_WRONG_TAG,
            "value": q.item_id.to_string(),
        });
        blocks.push(block);
    }
    let precision: Vec<String> = p.why.precision.iter().map(|(c, v)| format!("{c} precision {}", percent(*v))).collect();
    let mut footer =
        format!("rules `{}` · model `{}` · items hash `{}`", p.reproduce.rules_version, p.reproduce.model_version, p.reproduce.items_hash);
    if !precision.is_empty() {
        footer = format!("{} · {footer}", precision.join(", "));
    }
    blocks.push(json!({"type": "context", "elements": [{"type": "mrkdwn", "text": clip(&footer, 3000)}]}));
    let value = format!("{} {days}d", p.slug);
    blocks.push(json!({"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "Share in channel"}, "action_id": ACTION_SHARE, "value": value},
        {"type": "button", "text": {"type": "plain_text", "text": "Download pack"}, "action_id": ACTION_DOWNLOAD, "value": value},
    ]}));
    let fallback = format!("Evidence for {}: {} items from {} accounts, {}", p.slug, p.items, p.accounts, p.change_text);
    json!({"text": fallback, "blocks": blocks})
}

fn section(text: &str) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": clip(text, 3000)}})
}

fn clip(text: &str, max: usize) -> String {
    crate::text::truncate_chars(text, max)
}

/// Slack's three control characters; `<!channel>` or `<@U123>` in ticket text stays text.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn escape_url(url: &str) -> String {
    escape(url).replace('|', "%7C")
}

/// Block Kit limits Slack enforces (and rejects messages over): ≤ 50 blocks, section text
/// ≤ 3000, header ≤ 150, button text ≤ 75, action value ≤ 2000, fallback text set.
pub fn check_limits(message: &Value) -> Result<(), String> {
    let text = message.get("text").and_then(Value::as_str).unwrap_or("");
    if text.trim().is_empty() {
        return Err("fallback text is empty".into());
    }
    let blocks = message.get("blocks").and_then(Value::as_array).ok_or("no blocks array")?;
    if blocks.len() > 50 {
        return Err(format!("{} blocks (limit 50)", blocks.len()));
    }
    let len = |v: &Value| v.as_str().map(|s| s.chars().count()).unwrap_or(0);
    for (i, b) in blocks.iter().enumerate() {
        match b.get("type").and_then(Value::as_str) {
            Some("header") if len(&b["text"]["text"]) > 150 => return Err(format!("block {i}: header over 150 characters")),
            Some("section") if len(&b["text"]["text"]) > 3000 => return Err(format!("block {i}: section text over 3000 characters")),
            Some("section") if len(&b["text"]["text"]) == 0 && b.get("fields").is_none() => {
                return Err(format!("block {i}: empty section"));
            }
            Some("context") if b["elements"].as_array().is_some_and(|e| e.len() > 10) => {
                return Err(format!("block {i}: over 10 context elements"));
            }
            None => return Err(format!("block {i} has no type")),
            _ => {}
        }
        let buttons = b["elements"].as_array().into_iter().flatten().chain(b.get("accessory"));
        for e in buttons.filter(|e| e["type"] == "button") {
            if len(&e["text"]["text"]) > 75 {
                return Err(format!("block {i}: button text over 75 characters"));
            }
            if len(&e["value"]) > 2000 {
                return Err(format!("block {i}: button value over 2000 characters"));
            }
        }
    }
    Ok(())
}
