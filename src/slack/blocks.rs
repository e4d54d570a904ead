//! Block Kit: the message type, Slack's limits and a check against them, the block builders
//! (which cut text to the limits, so a long title can never break a message), mrkdwn escaping
//! of customer text, and a plain Markdown rendering for terminals.

use crate::domain::Category;
use crate::redact::redact;
use crate::text::{fold_whitespace, truncate_chars};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Block Kit limits (docs.slack.dev/block-kit; python-slack-sdk's validators).
pub const MAX_BLOCKS: usize = 50;

pub const MAX_SECTION_TEXT: usize = 3000;

pub const MAX_FIELD_TEXT: usize = 2000;

pub const MAX_HEADER_TEXT: usize = 150;

pub const MAX_BUTTON_TEXT: usize = 75;

pub const MAX_ACTION_VALUE: usize = 2000;

pub const MAX_ID: usize = 255;

/// chat.postMessage asks for fallback text under 4,000 characters.
pub const MAX_FALLBACK_TEXT: usize = 4000;

pub const ACTION_SHARE: &str = "share_in_channel";

pub const ACTION_DOWNLOAD: &str = "download_pack";

pub const ACTION_WRONG_TAG: &str = "wrong_tag";

/// An alert's *Evidence for this topic*: the pack, privately, for whoever pressed it.
pub const ACTION_EVIDENCE: &str = "alert_evidence";
/// *Create issue* buttons: `create_issue_github`, `create_issue_jira`, `create_issue_linear`.
pub const ACTION_CREATE_ISSUE: &str = "create_issue_";

/// What a *Create issue* button carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueRef {
    pub topic: String,
    pub days: u32,
    pub tracker: crate::domain::Tracker,
}

/// A message as Slack takes it: fallback `text` (notifications, screen readers) and blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlackMessage {
    pub text: String,
    #[serde(default)]
    pub blocks: Vec<Value>,
}

/// What the *Share in channel* and *Download pack* buttons carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackRef {
    pub topic: String,
    pub days: u32,
}

/// What a *Wrong tag* button carries: the item, and the category it should not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrongTag {
    pub item: i64,
    pub category: Category,
}

/// Slack mrkdwn control characters as entities: `<!channel>` or `<@U123>` in ticket text
/// become inert text.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Ticket text made safe to show: personal data redacted, whitespace folded, cut to `max`
/// characters, then escaped.
pub fn ticket_text(text: &str, max: usize) -> String {
    escape(&truncate_chars(&fold_whitespace(&redact(text)), max))
}

/// A link only for plain http(s) URLs that cannot break out of `<url|label>`.
pub fn link(url: Option<&str>, label: &str) -> Option<String> {
    let url = url?.trim();
    let safe = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 2000
        && !url.chars().any(|c| c.is_whitespace() || matches!(c, '<' | '>' | '|'));
    safe.then(|| format!("<{}|{}>", url.replace('&', "&amp;"), escape(label)))
}

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn check_text(what: &str, text: &Value, max: usize) -> Result<(), String> {
    let n = chars(&text["text"]);
    if n == 0 {
        return Err(format!("{what} text is empty"));
    }
    if n > max {
        return Err(format!("{what} text is {n} characters (limit {max})"));
    }
    Ok(())
}

fn check_element(where_: &str, e: &Value) -> Result<(), String> {
    if chars(&e["action_id"]) > MAX_ID {
        return Err(format!("{where_}: action_id longer than {MAX_ID}"));
    }
    if e["type"] == "button" {
        check_text(&format!("{where_}: button"), &e["text"], MAX_BUTTON_TEXT)?;
        if chars(&e["value"]) > MAX_ACTION_VALUE {
            return Err(format!("{where_}: button value longer than {MAX_ACTION_VALUE}"));
        }
        if chars(&e["url"]) > 3000 {
            return Err(format!("{where_}: button url longer than 3000"));
        }
    }
    Ok(())
}

/// Checks a message against Slack's Block Kit limits; `Err` names the first violation.
pub fn check_limits(message: &SlackMessage) -> Result<(), String> {
    let fallback = message.text.trim().chars().count();
    if fallback == 0 {
        return Err("fallback text is empty".into());
    }
    if fallback > MAX_FALLBACK_TEXT {
        return Err(format!("fallback text is {fallback} characters (limit {MAX_FALLBACK_TEXT})"));
    }
    if message.blocks.len() > MAX_BLOCKS {
        return Err(format!("{} blocks (limit {MAX_BLOCKS})", message.blocks.len()));
    }
    for (i, b) in message.blocks.iter().enumerate() {
        let at = format!("block {i} ({})", b["type"].as_str().unwrap_or("?"));
        if chars(&b["block_id"]) > MAX_ID {
            return Err(format!("{at}: block_id longer than {MAX_ID}"));
        }
        check_block(&at, b)?;
    }
    Ok(())
}

/// One block against the limits of its type.
fn check_block(at: &str, b: &Value) -> Result<(), String> {
    match b["type"].as_str() {
        Some("header") => {
            if b["text"]["type"] != "plain_text" {
                return Err(format!("{at}: header text must be plain_text"));
            }
            check_text(at, &b["text"], MAX_HEADER_TEXT)?;
        }
        Some("section") => {
            let fields = b["fields"].as_array().map_or(&[][..], Vec::as_slice);
            if b.get("text").is_some() {
                check_text(at, &b["text"], MAX_SECTION_TEXT)?;
            } else if fields.is_empty() {
                return Err(format!("{at}: a section needs text or fields"));
            }
            if fields.len() > 10 {
                return Err(format!("{at}: {} fields (limit 10)", fields.len()));
            }
            for f in fields {
                check_text(&format!("{at} field"), f, MAX_FIELD_TEXT)?;
            }
            if let Some(accessory) = b.get("accessory") {
                check_element(at, accessory)?;
            }
        }
        Some("context") => {
            let elements = b["elements"].as_array().map_or(0, Vec::len);
            if elements == 0 || elements > 10 {
                return Err(format!("{at}: {elements} elements (1 to 10)"));
            }
        }
        Some("actions") => {
            let elements = b["elements"].as_array().map_or(&[][..], Vec::as_slice);
            if elements.is_empty() || elements.len() > 25 {
                return Err(format!("{at}: {} elements (1 to 25)", elements.len()));
            }
            for e in elements {
                check_element(at, e)?;
            }
        }
        Some("divider") => {}
        other => return Err(format!("{at}: unexpected block type {other:?}")),
    }
    Ok(())
}

pub fn header(text: &str) -> Value {
    json!({"type": "header", "text": {"type": "plain_text", "text": truncate_chars(text, MAX_HEADER_TEXT), "emoji": true}})
}

pub fn section(mrkdwn: &str) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": truncate_chars(mrkdwn, MAX_SECTION_TEXT)}})
}

pub fn section_with(mrkdwn: &str, accessory: Value) -> Value {
    let mut s = section(mrkdwn);
    s["accessory"] = accessory;
    s
}

pub fn context(mrkdwn: &str) -> Value {
    json!({"type": "context", "elements": [{"type": "mrkdwn", "text": truncate_chars(mrkdwn, MAX_SECTION_TEXT)}]})
}

pub fn divider() -> Value {
    json!({"type": "divider"})
}

pub fn button(text: &str, action_id: &str, value: &impl Serialize) -> Value {
    let value = serde_json::to_string(value).unwrap_or_default();
    json!({"type": "button", "text": {"type": "plain_text", "text": truncate_chars(text, MAX_BUTTON_TEXT)}, "action_id": action_id, "value": value})
}

/// Sections of at most `MAX_SECTION_TEXT` characters holding `lines`, never splitting a line.
pub fn sections_of_lines(lines: &[String]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in lines {
        if !current.is_empty() && current.chars().count() + line.chars().count() + 1 > MAX_SECTION_TEXT {
            out.push(section(&current));
            current.clear();
        }
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        out.push(section(&current));
    }
    out
}

/// Packs groups of blocks into messages of at most `MAX_BLOCKS` blocks, never splitting a
/// group. The first message's fallback is `text`; later ones say they continue it.
pub fn pack_messages(text: &str, groups: Vec<Vec<Value>>) -> Vec<SlackMessage> {
    let mut messages: Vec<SlackMessage> = Vec::new();
    let mut blocks: Vec<Value> = Vec::new();
    for mut group in groups {
        group.truncate(MAX_BLOCKS);
        if !blocks.is_empty() && blocks.len() + group.len() > MAX_BLOCKS {
            messages.push(SlackMessage { text: String::new(), blocks: std::mem::take(&mut blocks) });
        }
        blocks.extend(group);
    }
    if !blocks.is_empty() || messages.is_empty() {
        messages.push(SlackMessage { text: String::new(), blocks });
    }
    let total = messages.len();
    for (i, m) in messages.iter_mut().enumerate() {
        m.text = if i == 0 { text.to_string() } else { format!("{text} (continued, {}/{total})", i + 1) };
    }
    messages
}

pub fn change(now: i64, before: i64) -> String {
    match (now, before) {
        (n, 0) if n > 0 => "new".into(),
        (n, b) if n == b => "±0%".into(),
        (n, b) => {
            let pct = ((n - b) as f64 / b as f64 * 100.0).round() as i64;
            if pct > 0 { format!("▲ {pct}%") } else { format!("▼ {}%", -pct) }
        }
    }
}

pub fn day(t: DateTime<Utc>) -> String {
    t.format("%-d %b %Y").to_string()
}

/// Messages as Markdown, for people reading a terminal.
pub fn to_markdown(messages: &[SlackMessage]) -> String {
    let mut out = String::new();
    for (i, m) in messages.iter().enumerate() {
        if i > 0 {
            out.push_str("\n---\n\n");
        }
        for b in &m.blocks {
            let text = b["text"]["text"].as_str().unwrap_or_default();
            match b["type"].as_str() {
                Some("header") => out.push_str(&format!("# {text}\n\n")),
                Some("section") => match b["accessory"]["type"].as_str() {
                    Some("button") => {
                        out.push_str(&format!("{} [{}]\n\n", unescape(text), b["accessory"]["text"]["text"].as_str().unwrap_or("?")))
                    }
                    _ => out.push_str(&format!("{}\n\n", unescape(text))),
                },
                Some("actions") => {
                    let buttons: Vec<String> = b["elements"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|e| e["text"]["text"].as_str())
                        .map(|t| format!("[{t}]"))
                        .collect();
                    out.push_str(&format!("{}\n\n", buttons.join(" ")));
                }
                Some("context") => {
                    let parts: Vec<&str> = b["elements"].as_array().into_iter().flatten().filter_map(|e| e["text"].as_str()).collect();
                    out.push_str(&format!("_{}_\n\n", unescape(&parts.join(" "))));
                }
                Some("divider") => out.push_str("* * *\n\n"),
                _ => {}
            }
        }
    }
    out
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_limits_catches_each_violation() {
        let ok = crate::slack::help::help_message();
        check_limits(&ok).unwrap();
        let mut m = ok.clone();
        m.text = " ".into();
        assert!(check_limits(&m).is_err());
        let mut m = ok.clone();
        m.blocks = vec![divider(); 51];
        assert!(check_limits(&m).unwrap_err().contains("51 blocks"));
        let mut m = ok.clone();
        m.blocks = vec![json!({"type": "section", "text": {"type": "mrkdwn", "text": "x".repeat(3001)}})];
        assert!(check_limits(&m).is_err());
        let mut m = ok.clone();
        m.blocks = vec![json!({"type": "header", "text": {"type": "mrkdwn", "text": "x"}})];
        assert!(check_limits(&m).is_err());
        let mut m = ok.clone();
        m.blocks = vec![json!({"type": "header", "text": {"type": "plain_text", "text": "x".repeat(151)}})];
        assert!(check_limits(&m).is_err());
        let mut m = ok.clone();
        let mut b = button("x", "a", &1);
        b["text"]["text"] = json!("y".repeat(76));
        m.blocks = vec![json!({"type": "actions", "elements": [b]})];
        assert!(check_limits(&m).is_err());
        let mut m = ok;
        let mut b = button("x", "a", &1);
        b["value"] = json!("v".repeat(2001));
        m.blocks = vec![section_with("q", b)];
        assert!(check_limits(&m).is_err());
    }
}
