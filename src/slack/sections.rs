//! The owner channels' part of the weekly digest: each channel that owns topics (rules.toml's
//! `channel` and `/pushback subscribe`) gets a short message with only its topics, queued with
//! the main digest in the week's claim (`slack::digest::claim_and_enqueue`), so it is posted
//! once per week per channel across replicas and restarts.

use super::blocks::{
    ACTION_DOWNLOAD, ACTION_WRONG_TAG, PackRef, SlackMessage, WrongTag, button, change, context, day, escape, header, link, pack_messages,
    section, section_with, ticket_text,
};
use super::outbox;
use crate::digest::compose::Digest;
use crate::digest::topics::{TopicStats, is_significant_rise};
use crate::domain::IsoWeek;
use crate::domain::{Category, Feedback, Kind};
use crate::store::NewOutboxMessage;
use crate::text::plural;
use serde_json::Value;

/// "*12 items* this week (before: 5, +140%) · 3 accounts · $36,000 ARR · 1 cancellation note".
pub(super) fn stats_line(s: &TopicStats, period: &str, totals: (i64, i64)) -> String {
    let n = |x: i64| u64::try_from(x).unwrap_or(0);
    let mut line = format!("*{}* {period} (before: {}, {})", plural(n(s.now), "item"), s.before, change(s.now, s.before));
    if is_significant_rise(s, totals) {
        line.push_str(" :small_red_triangle: *significant rise*");
    }
    if s.accounts > 0 {
        line.push_str(&format!(" · {}", plural(n(s.accounts), "account")));
    }
    if s.arr_cents > 0 {
        line.push_str(&format!(" · {} ARR", crate::domain::ArrCents(s.arr_cents).display_dollars()));
    }
    if s.churn_notes > 0 {
        line.push_str(&format!(" · {}", plural(n(s.churn_notes), "cancellation note")));
    }
    line
}

pub(super) fn quote_blocks(item: &Feedback, category: Option<Category>) -> Vec<Value> {
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

/// A channel as Slack renders it: `<#C0123>` for an ID, the name as written otherwise.
fn channel_mention(channel: &str) -> String {
    let c = channel.trim();
    let is_id = c.len() >= 9 && c.starts_with(['C', 'G']) && c.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit());
    if is_id { format!("<#{c}>") } else { escape(c) }
}

/// The section for `channel`: its topics with items this week or the week before (largest
/// first, each with its figures, its most telling quote and *Download pack*), then the quiet ones.
pub fn compose_section(data: &Digest, channel: &str, topics: &[String], digest_channel: Option<&str>) -> Vec<SlackMessage> {
    let totals = data.volumes.first().map_or((0, 0), |v| (v.1, v.2));
    let mut active: Vec<&TopicStats> = data.topics.iter().filter(|t| topics.contains(&t.slug) && (t.now > 0 || t.before > 0)).collect();
    active.sort_by(|a, b| b.now.cmp(&a.now).then(b.before.cmp(&a.before)).then(a.slug.cmp(&b.slug)));
    let quiet: Vec<&String> = topics.iter().filter(|s| !active.iter().any(|t| &&t.slug == s)).collect();
    let full = digest_channel.map(|c| format!(" · the whole digest is in {}", channel_mention(c))).unwrap_or_default();
    let mut intro = vec![
        header(&format!("Your topics this week, {}", data.week)),
        context(&format!(
            "Performance and reliability feedback on the {} {} owns, {} to {}, against the 7 days before{full}",
            plural(topics.len() as u64, "topic"),
            channel_mention(channel),
            data.from.format("%a %-d %b %H:%M UTC"),
            data.to.format("%a %-d %b %H:%M UTC"),
        )),
    ];
    if active.is_empty() {
        intro.push(section("A quiet week: none of your topics had performance or reliability feedback this week or the week before."));
    }
    let mut groups = vec![intro];
    for t in active.iter().copied() {
        let pack = button("Download pack", ACTION_DOWNLOAD, &PackRef { topic: t.slug.clone(), days: 7 });
        let mut group = vec![section_with(&format!("*{}* `{}`\n{}", escape(&t.title), t.slug, stats_line(t, "this week", totals)), pack)];
        if let Some(item) = data.quotes.get(&t.slug).and_then(|q| q.first()) {
            group.extend(quote_blocks(item, t.category));
        }
        groups.push(group);
    }
    if !quiet.is_empty() && quiet.len() < topics.len() {
        let names: Vec<String> = quiet.iter().map(|s| format!("`{s}`")).collect();
        groups.push(vec![context(&format!("No items this week or the week before: {}", names.join(", ")))]);
    }
    let text = format!("Your topics this week, {}: {}", data.week, summary(&active));
    pack_messages(&text, groups)
}

/// "checkout-errors 12 items, checkout-slow 1 item" for the notification text.
fn summary(active: &[&TopicStats]) -> String {
    let parts: Vec<String> =
        active.iter().filter(|t| t.now > 0).map(|t| format!("{} {}", t.slug, plural(u64::try_from(t.now).unwrap_or(0), "item"))).collect();
    if parts.is_empty() { "a quiet week".into() } else { parts.join(", ") }
}

/// The outbox key of `channel`'s section: `digest:<week>:channel:<channel>:<n>`.
pub fn section_key(week: IsoWeek, channel: &str, i: usize) -> String {
    format!("digest:{week}:channel:{}:{i}", channel.trim().trim_start_matches('#').to_ascii_lowercase())
}

/// Outbox rows for one channel's section; later messages reply in the first one's thread.
pub fn outbox_rows(week: IsoWeek, channel: &str, messages: &[SlackMessage]) -> Vec<NewOutboxMessage> {
    let key = |i: usize| section_key(week, channel, i);
    messages.iter().enumerate().map(|(i, m)| outbox::row(key(i), channel, m, (i > 0).then(|| key(0)))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::topics::tests::stats;
    use crate::slack::blocks::check_limits;
    use chrono::Utc;

    fn digest() -> Digest {
        let to = Utc::now();
        Digest {
            week: "2026-W47".parse().unwrap(),
            from: to - chrono::Duration::days(7),
            to,
            volumes: vec![("All feedback".into(), 120, 100)],
            topics: vec![stats("checkout-slow", 1, 4), stats("search-slow", 30, 10), stats("checkout-errors", 12, 0)],
            quotes: std::collections::HashMap::new(),
        }
    }

    #[test]
    fn a_channel_s_section_shows_only_its_topics_in_plain_english() {
        let topics = vec!["checkout-slow".to_string(), "checkout-errors".to_string(), "refunds".to_string()];
        let m = compose_section(&digest(), "#team-payments", &topics, Some("C0DIGEST01"));
        assert_eq!(m.len(), 1);
        check_limits(&m[0]).unwrap();
        let all = serde_json::to_string(&m[0]).unwrap();
        assert!(!all.contains("search-slow"), "another channel's topic: {all}");
        assert!(all.contains("*12 items* this week") && all.contains("*1 item* this week"), "{all}");
        assert!(all.contains("3 topics #team-payments owns") && all.contains("whole digest is in <#C0DIGEST01>"), "{all}");
        assert!(all.find("checkout-errors").unwrap() < all.find("`checkout-slow`").unwrap(), "largest first: {all}");
        assert!(all.contains("No items this week or the week before: `refunds`"), "{all}");
        assert_eq!(m[0].text, "Your topics this week, 2026-W47: checkout-errors 12 items, checkout-slow 1 item");
        let quiet = compose_section(&digest(), "C0QUIET001", &["refunds".to_string()], None);
        assert!(serde_json::to_string(&quiet).unwrap().contains("A quiet week"));
        assert_eq!(section_key("2026-W47".parse().unwrap(), "#Team-Payments", 0), "digest:2026-W47:channel:team-payments:0");
    }
}
