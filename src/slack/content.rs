//! Every message pushback posts to Slack is built here: evidence, top topics, the topic list,
//! the weekly digest and help. Builders are split into a fetch (`*_message`, reads the store)
//! and a pure compose step (`compose_*`), so the text and Block Kit shape are unit-tested.
//! Ticket text always passes through `redact` and mrkdwn escaping before it is rendered.

use crate::domain::{Category, Feedback, Kind};
use crate::redact::redact;
use crate::startup::AppState;
use crate::text::{fold_whitespace, truncate_chars};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;

use super::schedule::IsoWeek;

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

/// Quotes shown per topic.
const QUOTES: usize = 3;

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

// ---------------------------------------------------------------------------------------------
// Escaping and limits

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
pub(crate) fn link(url: Option<&str>, label: &str) -> Option<String> {
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
        match b["type"].as_str() {
            Some("header") => {
                if b["text"]["type"] != "plain_text" {
                    return Err(format!("{at}: header text must be plain_text"));
                }
                check_text(&at, &b["text"], MAX_HEADER_TEXT)?;
            }
            Some("section") => {
                let fields = b["fields"].as_array().map_or(&[][..], Vec::as_slice);
                if b.get("text").is_some() {
                    check_text(&at, &b["text"], MAX_SECTION_TEXT)?;
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
                    check_element(&at, accessory)?;
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
                    check_element(&at, e)?;
                }
            }
            Some("divider") => {}
            other => return Err(format!("{at}: unexpected block type {other:?}")),
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Block builders (they cut text to the limits, so a long title can never break a message)

pub(crate) fn header(text: &str) -> Value {
    json!({"type": "header", "text": {"type": "plain_text", "text": truncate_chars(text, MAX_HEADER_TEXT), "emoji": true}})
}

pub(crate) fn section(mrkdwn: &str) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": truncate_chars(mrkdwn, MAX_SECTION_TEXT)}})
}

pub(crate) fn section_with(mrkdwn: &str, accessory: Value) -> Value {
    let mut s = section(mrkdwn);
    s["accessory"] = accessory;
    s
}

pub(crate) fn context(mrkdwn: &str) -> Value {
    json!({"type": "context", "elements": [{"type": "mrkdwn", "text": truncate_chars(mrkdwn, MAX_SECTION_TEXT)}]})
}

pub(crate) fn divider() -> Value {
    json!({"type": "divider"})
}

pub(crate) fn button(text: &str, action_id: &str, value: &impl Serialize) -> Value {
    let value = serde_json::to_string(value).unwrap_or_default();
    json!({"type": "button", "text": {"type": "plain_text", "text": truncate_chars(text, MAX_BUTTON_TEXT)}, "action_id": action_id, "value": value})
}

/// Sections of at most `MAX_SECTION_TEXT` characters holding `lines`, never splitting a line.
fn sections_of_lines(lines: &[String]) -> Vec<Value> {
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
fn pack_messages(text: &str, groups: Vec<Vec<Value>>) -> Vec<SlackMessage> {
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

fn change(now: i64, before: i64) -> String {
    match (now, before) {
        (n, 0) if n > 0 => "new".into(),
        (n, b) if n == b => "±0%".into(),
        (n, b) => {
            let pct = ((n - b) as f64 / b as f64 * 100.0).round() as i64;
            if pct > 0 { format!("▲ {pct}%") } else { format!("▼ {}%", -pct) }
        }
    }
}

/// A rise unlikely to be noise: the topic's share of all feedback grew, by the exact
/// volume-adjusted test the evidence packs use (`evidence::stats`), at p < 0.05.
pub fn is_significant_rise(t: &TopicStats, totals: (i64, i64)) -> bool {
    let n = |x: i64| u64::try_from(x).unwrap_or(0);
    t.now > t.before && crate::evidence::stats::Change::new(n(t.now), n(t.before), n(totals.0), n(totals.1)).significant
}

fn stats_line(s: &TopicStats, period: &str, totals: (i64, i64)) -> String {
    let mut line = format!("*{}* items {period} (before: {}, {})", s.now, s.before, change(s.now, s.before));
    if is_significant_rise(s, totals) {
        line.push_str(" :small_red_triangle: *significant rise*");
    }
    if s.accounts > 0 {
        line.push_str(&format!(" · {} accounts", s.accounts));
    }
    if s.arr_cents > 0 {
        line.push_str(&format!(" · {} ARR", crate::domain::ArrCents(s.arr_cents).display_dollars()));
    }
    if s.churn_notes > 0 {
        line.push_str(&format!(" · {} churn notes", s.churn_notes));
    }
    line
}

fn day(t: DateTime<Utc>) -> String {
    t.format("%-d %b %Y").to_string()
}

fn quote_blocks(item: &Feedback, category: Option<Category>) -> Vec<Value> {
    let quote = format!(">{}", escape(&crate::evidence::pack::quote_text(item)));
    let category = category.or_else(|| item.classification.categories().first().copied());
    let quote_block = match category {
        Some(category) => section_with(&quote, button("Wrong tag", ACTION_WRONG_TAG, &WrongTag { item: item.id, category })),
        None => section(&quote),
    };
    let mut meta = Vec::new();
    if item.kind == Kind::ChurnNote {
        meta.push("*churn note*".to_string());
    }
    if let Some(name) = item.account_name.as_deref().or(item.account_id.as_deref()) {
        meta.push(ticket_text(name, 60));
    }
    meta.push(format!("{} #{}", item.source, item.id));
    meta.push(day(item.created_at));
    if let Some(l) = link(item.url.as_deref(), "open") {
        meta.push(l);
    }
    vec![quote_block, context(&meta.join(" · "))]
}

/// Up to `n` quotes, churn notes first (they carry lost revenue), then the most recent.
fn pick_quotes(items: &[Feedback], n: usize) -> Vec<&Feedback> {
    let mut picked: Vec<&Feedback> = items.iter().filter(|f| f.kind == Kind::ChurnNote).take(1).collect();
    picked.extend(items.iter().filter(|f| f.kind != Kind::ChurnNote).take(n - picked.len()));
    picked.extend(items.iter().filter(|f| f.kind == Kind::ChurnNote).skip(1).take(n - picked.len()));
    picked
}

// ---------------------------------------------------------------------------------------------
// Evidence

/// One topic's counts: now, in the window before, and who is affected.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicStats {
    pub slug: String,
    pub title: String,
    pub category: Option<Category>,
    pub now: i64,
    pub before: i64,
    pub accounts: i64,
    pub arr_cents: i64,
    pub churn_notes: i64,
}

/// Topic slugs and titles from the rules, with their volume over `days` to `now`.
async fn known_topics(state: &AppState, now: DateTime<Utc>, days: i64) -> anyhow::Result<Vec<(String, String, i64)>> {
    let counts: HashMap<String, i64> = state.store.topic_counts(now - Duration::days(days), now).await?.into_iter().collect();
    Ok(state.classifier.rules.topics.iter().map(|t| (t.slug.clone(), t.title.clone(), counts.get(&t.slug).copied().unwrap_or(0))).collect())
}

/// `/evidence <topic> <window>`: the evidence pack (`crate::evidence`) as Block Kit; an
/// unknown topic answers with the closest known ones.
pub async fn evidence_message(state: &AppState, topic: &str, window_days: u32, share: bool) -> anyhow::Result<SlackMessage> {
    let answer = evidence_answer(state, topic, window_days).await?;
    Ok(crate::evidence::render::slack::message(&answer, share))
}

async fn evidence_answer(state: &AppState, topic: &str, window_days: u32) -> anyhow::Result<crate::evidence::Answer> {
    let now = Utc::now();
    let request = crate::evidence::Request::last_days(topic, i64::from(window_days), now);
    Ok(crate::evidence::answer(&state.store, &state.classifier, &request, now).await?)
}

// ---------------------------------------------------------------------------------------------
// Top topics and the topic list

/// `totals`: all feedback in the window and in the one before (what significance is taken of).
pub fn compose_top(rows: &[TopicStats], category: Option<Category>, window_days: u32, totals: (i64, i64)) -> SlackMessage {
    let scope = category.map_or_else(|| "all feedback".to_string(), |c| c.to_string());
    let mut blocks = vec![header(&format!("Top topics: {scope}, last {window_days} days"))];
    let top: Vec<String> = rows
        .iter()
        .filter(|r| r.now > 0)
        .take(10)
        .enumerate()
        .map(|(i, r)| format!("{}. *{}* `{}`: {} ({} vs {})", i + 1, escape(&r.title), r.slug, r.now, change(r.now, r.before), r.before))
        .collect();
    if top.is_empty() {
        blocks.push(section(&format!("No {scope} feedback with a topic in the last {window_days} days.")));
    } else {
        blocks.extend(sections_of_lines(&top));
    }
    let rising = rising(rows, 5);
    if !rising.is_empty() {
        let lines: Vec<String> = rising
            .iter()
            .map(|r| {
                let mark = if is_significant_rise(r, totals) { " :small_red_triangle: significant" } else { "" };
                format!("• *{}* `{}`: {} → {} (+{}){mark}", escape(&r.title), r.slug, r.before, r.now, r.now - r.before)
            })
            .collect();
        blocks.push(section("*Rising fastest*"));
        blocks.extend(sections_of_lines(&lines));
    }
    blocks.push(context("`/evidence <topic> [7d|30d|90d]` shows the evidence for one topic."));
    let text = format!(
        "Top topics ({scope}, last {window_days} days): {}",
        rows.iter().take(3).map(|r| r.slug.as_str()).collect::<Vec<_>>().join(", ")
    );
    SlackMessage { text, blocks }
}

/// Topics that grew, largest rise first.
fn rising(rows: &[TopicStats], n: usize) -> Vec<&TopicStats> {
    let mut up: Vec<&TopicStats> = rows.iter().filter(|r| r.now > r.before).collect();
    up.sort_by(|a, b| (b.now - b.before).cmp(&(a.now - a.before)).then(b.now.cmp(&a.now)).then(a.slug.cmp(&b.slug)));
    up.truncate(n);
    up
}

/// Counts for every topic in `[from, to)` and the window before, largest first.
async fn topic_rows(
    state: &AppState,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    category: Option<Category>,
) -> anyhow::Result<Vec<TopicStats>> {
    let before: HashMap<String, i64> = state.store.topic_counts(from - (to - from), from).await?.into_iter().collect();
    let now: HashMap<String, i64> = state.store.topic_counts(from, to).await?.into_iter().collect();
    let rules = &state.classifier.rules;
    let mut slugs: Vec<&String> = now.keys().chain(before.keys()).collect();
    slugs.sort();
    slugs.dedup();
    let mut rows: Vec<TopicStats> = slugs
        .into_iter()
        .map(|slug| {
            let topic = rules.topic(slug);
            TopicStats {
                slug: slug.clone(),
                title: topic.map_or_else(|| slug.clone(), |t| t.title.clone()),
                category: topic.and_then(|t| t.category),
                now: now.get(slug).copied().unwrap_or(0),
                before: before.get(slug).copied().unwrap_or(0),
                accounts: 0,
                arr_cents: 0,
                churn_notes: 0,
            }
        })
        .filter(|r| category.is_none() || r.category == category)
        .collect();
    rows.sort_by(|a, b| b.now.cmp(&a.now).then(b.before.cmp(&a.before)).then(a.slug.cmp(&b.slug)));
    Ok(rows)
}

/// `/pushback top [category] [window]`.
pub async fn top_message(state: &AppState, category: Option<Category>, window_days: u32) -> anyhow::Result<SlackMessage> {
    let to = Utc::now();
    let from = to - Duration::days(i64::from(window_days));
    let rows = topic_rows(state, from, to, category).await?;
    let totals = (state.store.count_between(from, to).await?, state.store.count_between(from - (to - from), from).await?);
    Ok(compose_top(&rows, category, window_days, totals))
}

pub fn compose_topics(known: &[(String, String, i64)], categories: &HashMap<String, Option<Category>>, days: i64) -> SlackMessage {
    let lines: Vec<String> = known
        .iter()
        .map(|(slug, title, n)| {
            let cat = categories.get(slug).copied().flatten().map(|c| format!(" ({c})")).unwrap_or_default();
            format!("`{slug}` {}{cat}: {n} in {days} days", escape(title))
        })
        .collect();
    let mut blocks = vec![header("Known topics")];
    if lines.is_empty() {
        blocks.push(section("No topics are configured; add `[[topic]]` entries to config/rules.toml."));
    } else {
        blocks.extend(sections_of_lines(&lines));
    }
    blocks.push(context("`/evidence <topic>` for the evidence · topics come from config/rules.toml"));
    pack_messages(&format!("{} known topics", known.len()), vec![blocks]).remove(0)
}

/// `/pushback topics`: every configured topic with its volume over 30 days.
pub async fn topics_message(state: &AppState) -> anyhow::Result<SlackMessage> {
    let mut known = known_topics(state, Utc::now(), 30).await?;
    known.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let categories = state.classifier.rules.topics.iter().map(|t| (t.slug.clone(), t.category)).collect();
    Ok(compose_topics(&known, &categories, 30))
}

// ---------------------------------------------------------------------------------------------
// Weekly digest

#[derive(Debug, Clone)]
pub struct DigestData {
    pub week: IsoWeek,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// (label, this week, last week): all feedback, performance, reliability.
    pub volumes: Vec<(String, i64, i64)>,
    /// Every topic with counts, largest first.
    pub topics: Vec<TopicStats>,
    /// Recent items per topic shown in detail, newest first.
    pub quotes: HashMap<String, Vec<Feedback>>,
}

/// Topics the digest details: the five biggest, then up to three more of the fastest rising.
pub fn digest_topics(topics: &[TopicStats]) -> Vec<&TopicStats> {
    let mut shown: Vec<&TopicStats> = topics.iter().filter(|t| t.now > 0).take(5).collect();
    for r in rising(topics, 3) {
        if !shown.iter().any(|s| s.slug == r.slug) {
            shown.push(r);
        }
    }
    shown
}

/// The digest as one or more messages; later ones are posted as thread replies to the first.
pub fn compose_digest(data: &DigestData) -> Vec<SlackMessage> {
    let totals = data.volumes.first().map_or((0, 0), |v| (v.1, v.2));
    let mut intro = vec![
        header(&format!("Weekly feedback digest, {}", data.week)),
        context(&format!(
            "{} to {} compared with the 7 days before",
            data.from.format("%a %-d %b %H:%M UTC"),
            data.to.format("%a %-d %b %H:%M UTC")
        )),
    ];
    let volumes: Vec<String> =
        data.volumes.iter().map(|(label, now, before)| format!("*{label}*: {now} ({} vs {before})", change(*now, *before))).collect();
    intro.push(section(&volumes.join("\n")));
    let top: Vec<String> = data
        .topics
        .iter()
        .filter(|t| t.now > 0)
        .take(5)
        .map(|t| format!("• `{}` {} ({})", t.slug, t.now, change(t.now, t.before)))
        .collect();
    if !top.is_empty() {
        intro.push(section(&format!("*Top topics*\n{}", top.join("\n"))));
    }
    let up: Vec<String> = rising(&data.topics, 3)
        .iter()
        .map(|t| {
            let mark = if is_significant_rise(t, totals) { " :small_red_triangle: significant" } else { "" };
            format!("• `{}` {} → {}{mark}", t.slug, t.before, t.now)
        })
        .collect();
    if !up.is_empty() {
        intro.push(section(&format!("*Rising fastest*\n{}", up.join("\n"))));
    }
    let mut groups = vec![intro];
    for t in digest_topics(&data.topics) {
        let mut group = vec![divider(), section(&format!("*{}* `{}`\n{}", escape(&t.title), t.slug, stats_line(t, "this week", totals)))];
        for item in pick_quotes(data.quotes.get(&t.slug).map_or(&[][..], Vec::as_slice), QUOTES) {
            group.extend(quote_blocks(item, t.category));
        }
        group.push(
            json!({"type": "actions", "elements": [button("Download pack", ACTION_DOWNLOAD, &PackRef { topic: t.slug.clone(), days: 7 })]}),
        );
        groups.push(group);
    }
    let total = data.volumes.first().map_or(0, |v| v.1);
    let text = format!("Weekly feedback digest {}: {total} items; top topics {}", data.week, top_slugs(&data.topics));
    pack_messages(&text, groups)
}

fn top_slugs(topics: &[TopicStats]) -> String {
    let slugs: Vec<&str> = topics.iter().filter(|t| t.now > 0).take(3).map(|t| t.slug.as_str()).collect();
    if slugs.is_empty() { "none".into() } else { slugs.join(", ") }
}

/// The 7 days the digest of `week` covers: up to its scheduled time (or now, when previewed
/// before then).
pub fn digest_window(state: &AppState, week: IsoWeek, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let due = state.settings.slack.schedule().unwrap_or_default().due_at(week);
    let to = due.min(now);
    (to - Duration::days(7), to)
}

/// The digest of `week` (volume by category, top and rising topics, quotes) as messages.
pub async fn digest_messages(state: &AppState, week: IsoWeek) -> anyhow::Result<Vec<SlackMessage>> {
    let (from, to) = digest_window(state, week, Utc::now());
    let last = from - Duration::days(7);
    let (n, p, r) = state.store.category_counts(from, to).await?;
    let (n0, p0, r0) = state.store.category_counts(last, from).await?;
    let volumes = vec![("All feedback".to_string(), n, n0), ("Performance".to_string(), p, p0), ("Reliability".to_string(), r, r0)];
    let mut topics = topic_rows(state, from, to, None).await?;
    let mut quotes = HashMap::new();
    let shown: Vec<String> = digest_topics(&topics).into_iter().map(|t| t.slug.clone()).collect();
    for slug in &shown {
        let totals = state.store.topic_totals(slug, from, to).await?;
        if let Some(t) = topics.iter_mut().find(|t| &t.slug == slug) {
            (t.accounts, t.arr_cents, t.churn_notes) = (totals.accounts, totals.arr_cents, totals.churn_notes);
        }
        quotes.insert(slug.clone(), state.store.recent_topic_items(slug, from, to, 20).await?);
    }
    Ok(compose_digest(&DigestData { week, from, to, volumes, topics, quotes }))
}

// ---------------------------------------------------------------------------------------------
// Help and unknown input

pub fn help_message() -> SlackMessage {
    let usage = [
        "*/evidence <topic> [7d|30d|90d|<N>d] [share]*: the evidence for a topic, privately; `share` posts it in the channel",
        "*/pushback top [performance|reliability] [window]*: the biggest and fastest-rising topics",
        "*/pushback topics*: every known topic with its volume",
        "*/pushback digest*: preview this week's digest, privately",
        "*/pushback help*: this message",
    ];
    let examples = "*Examples*\n`/evidence checkout-slow`\n`/evidence search-slow 90d share`\n`/pushback top performance 30d`";
    SlackMessage {
        text: "pushback commands: /evidence <topic> [window] [share], /pushback top|topics|digest|help".into(),
        blocks: vec![header("pushback"), section(&usage.join("\n")), section(examples)],
    }
}

pub fn unknown_command_message(input: &str, problem: &str) -> SlackMessage {
    let mut help = help_message();
    let said = if input.is_empty() { String::new() } else { format!(" (you typed `{}`)", escape(&truncate_chars(input, 100))) };
    help.blocks.insert(0, section(&format!("Sorry, I didn't understand that: {}{said}.", escape(problem))));
    help.text = format!("Sorry, I didn't understand that: {}", escape(problem));
    help
}

// ---------------------------------------------------------------------------------------------
// Download pack

/// A file for *Download pack*.
#[derive(Debug, Clone, PartialEq)]
pub struct PackFile {
    pub filename: String,
    pub title: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The files behind *Download pack*: the evidence pack as Markdown, CSV (every item) and a
/// PNG chart of the weekly series.
pub async fn evidence_pack_files(state: &AppState, topic: &str, window_days: u32) -> anyhow::Result<Vec<PackFile>> {
    use crate::evidence::render::{Format, render};
    let answer = evidence_answer(state, topic, window_days).await?;
    let crate::evidence::Answer::Pack(pack) = &answer else {
        anyhow::bail!("nothing matched `{topic}` in the last {window_days} days");
    };
    let base = format!("{}-{}d-{}", pack.slug, window_days, Utc::now().format("%Y-%m-%d"));
    let file = |ext: &str, title: String, content_type: &str, format: Format| -> anyhow::Result<PackFile> {
        Ok(PackFile { filename: format!("{base}.{ext}"), title, content_type: content_type.into(), bytes: render(&answer, format)? })
    };
    Ok(vec![
        file("md", format!("Evidence: {} ({window_days}d)", pack.title), "text/markdown", Format::Md)?,
        file("csv", format!("Evidence items: {} ({window_days}d)", pack.title), "text/csv", Format::Csv)?,
        file("png", format!("Weekly items: {} ({window_days}d)", pack.title), "image/png", Format::Png)?,
    ])
}

// ---------------------------------------------------------------------------------------------
// Plain renderings (CLI `pushback digest`, demo)

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
                Some("section") => out.push_str(&format!("{}\n\n", unescape(text))),
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
    use crate::domain::{Classification, Source};

    fn item(id: i64, body: &str, kind: Kind) -> Feedback {
        Feedback {
            id,
            source: Source::Zendesk,
            external_id: id.to_string(),
            kind,
            account_id: Some("acme".into()),
            account_name: Some("Acme <Corp>".into()),
            subject: String::new(),
            body: body.into(),
            tags: vec![],
            url: Some(format!("https://acme.zendesk.com/agent/tickets/{id}")),
            created_at: DateTime::parse_from_rfc3339("2026-11-10T10:00:00Z").unwrap().with_timezone(&Utc),
            received_at: Utc::now(),
            lost_arr_cents: None,
            classification: Classification { performance: true, topics: vec!["checkout-slow".into()], ..Default::default() },
        }
    }

    fn stats(slug: &str, now: i64, before: i64) -> TopicStats {
        TopicStats {
            slug: slug.into(),
            title: format!("Title of {slug}"),
            category: Some(Category::Performance),
            now,
            before,
            accounts: 3,
            arr_cents: 1_200_000,
            churn_notes: 1,
        }
    }

    #[test]
    fn quoted_ticket_text_is_redacted_and_mentions_are_neutralised() {
        let f =
            item(1, "Ping <!channel> and <@U123>: mail jane@example.com or call +1 415-555-0132 & card 4111 1111 1111 1111", Kind::Ticket);
        let m = SlackMessage { text: "digest".into(), blocks: quote_blocks(&f, Some(Category::Performance)) };
        check_limits(&m).unwrap();
        let all = serde_json::to_string(&m.blocks).unwrap();
        assert!(!all.contains("<!channel>") && !all.contains("<@U123>"), "{all}");
        assert!(all.contains("&lt;!channel&gt;"), "{all}");
        assert!(!all.contains("jane@example.com") && !all.contains("4111") && !all.contains("555-0132"), "{all}");
        assert!(all.contains("Acme &lt;Corp&gt;"), "{all}");
        let long = item(2, &"very slow checkout ".repeat(1000), Kind::Ticket);
        check_limits(&SlackMessage { text: "x".into(), blocks: quote_blocks(&long, None) }).unwrap();
    }

    #[test]
    fn check_limits_catches_each_violation() {
        let ok = help_message();
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

    #[test]
    fn every_block_round_trips_through_slack_morphism_types() {
        let messages = [
            crate::evidence::render::slack::message(
                &crate::evidence::Answer::Pack(Box::new(crate::evidence::pack::build(crate::evidence::pack::tests::hand_made()))),
                false,
            ),
            help_message(),
            unknown_command_message("x", "`x` is not a pushback command"),
        ];
        for m in messages {
            for b in &m.blocks {
                let typed: slack_morphism::prelude::SlackBlock = serde_json::from_value(b.clone()).unwrap();
                assert_eq!(&serde_json::to_value(&typed).unwrap(), b);
            }
        }
    }

    #[test]
    fn significance_is_the_volume_adjusted_exact_test() {
        assert!(is_significant_rise(&stats("a", 30, 10), (1000, 1000)));
        assert!(!is_significant_rise(&stats("a", 12, 9), (1000, 1000)));
        assert!(!is_significant_rise(&stats("a", 4, 0), (1000, 1000)), "too few to tell");
        assert!(!is_significant_rise(&stats("a", 10, 20), (1000, 1000)), "a fall is not a rise");
        assert!(!is_significant_rise(&stats("a", 30, 10), (3000, 1000)), "all feedback tripled too");
    }

    fn digest_data(topics: usize) -> DigestData {
        let topics: Vec<TopicStats> = (0..topics).map(|i| stats(&format!("topic-{i}"), 50 - i as i64, (i as i64 * 7) % 30)).collect();
        let quotes = topics
            .iter()
            .map(|t| (t.slug.clone(), (0..5).map(|i| item(i, &format!("quote {i} about {}", t.slug), Kind::Ticket)).collect()))
            .collect();
        let to = Utc::now();
        DigestData {
            week: "2026-W47".parse().unwrap(),
            from: to - Duration::days(7),
            to,
            volumes: vec![("All feedback".into(), 120, 100), ("Performance".into(), 60, 40), ("Reliability".into(), 30, 35)],
            topics,
            quotes,
        }
    }

    #[test]
    fn a_big_digest_is_split_into_messages_within_the_limits() {
        let messages = compose_digest(&digest_data(12));
        assert!(messages.len() >= 2, "{}", messages.len());
        for m in &messages {
            check_limits(&m.clone()).unwrap();
        }
        assert!(messages[1].text.contains("continued"));
        let all = serde_json::to_string(&messages.iter().flat_map(|m| m.blocks.clone()).collect::<Vec<_>>()).unwrap();
        // Five biggest and three rising topics, each with quotes and a pack button.
        assert_eq!(all.matches(ACTION_DOWNLOAD).count(), digest_topics(&digest_data(12).topics).len());
        assert!(all.contains("Weekly feedback digest, 2026-W47"));
    }

    #[test]
    fn an_empty_digest_still_makes_one_valid_message() {
        let mut data = digest_data(0);
        data.volumes = vec![("All feedback".into(), 0, 0)];
        let messages = compose_digest(&data);
        assert_eq!(messages.len(), 1);
        check_limits(&messages[0]).unwrap();
        assert!(to_markdown(&messages).starts_with("# Weekly feedback digest, 2026-W47"));
    }

    #[test]
    fn top_topics_and_topic_lists_pass_the_limits() {
        let rows: Vec<TopicStats> = (0..40).map(|i| stats(&format!("topic-{i}"), 40 - i, i % 7)).collect();
        let m = compose_top(&rows, Some(Category::Performance), 7, (2000, 1500));
        check_limits(&m).unwrap();
        check_limits(&compose_top(&[], None, 30, (0, 0))).unwrap();
        let known: Vec<(String, String, i64)> = (0..300).map(|i| (format!("topic-{i}"), "A long topic title ".repeat(3), i)).collect();
        check_limits(&compose_topics(&known, &HashMap::new(), 30)).unwrap();
        check_limits(&compose_topics(&[], &HashMap::new(), 30)).unwrap();
    }

    #[test]
    fn help_and_unknown_input_show_usage_with_examples() {
        let m = unknown_command_message("deploy <!channel>", "`deploy` is not a pushback command");
        check_limits(&m).unwrap();
        let json = serde_json::to_string(&m.blocks).unwrap();
        assert!(json.contains("/evidence checkout-slow") && json.contains("&lt;!channel&gt;"), "{json}");
    }
}
