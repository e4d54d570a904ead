//! `/pushback top` and `/pushback topics`: the biggest and fastest-rising topics, and every
//! known topic with its volume.

use super::blocks::{SlackMessage, change, context, day, escape, header, pack_messages, section, sections_of_lines};
use super::subscribe::channel_mention;
use crate::alerts::Owners;
use crate::app::AppState;
use crate::digest::topics::{TopicStats, is_significant_rise, known_topics, rising, topic_rows};
use crate::domain::Category;
use crate::store::ChannelProblem;
use crate::text::plural;
use chrono::{Duration, Utc};
use std::collections::HashMap;

/// "1 item", "12 items".
fn items(n: i64) -> String {
    plural(u64::try_from(n).unwrap_or(0), "item")
}

/// `totals`: all feedback in the window and in the one before (what significance is taken of).
pub fn compose_top(rows: &[TopicStats], category: Option<Category>, window_days: u32, totals: (i64, i64)) -> SlackMessage {
    let scope = category.map_or_else(|| "all feedback".to_string(), |c| c.to_string());
    let days = plural(u64::from(window_days), "day");
    let mut blocks = vec![header(&format!("Top topics: {scope}, last {days}"))];
    let top: Vec<String> = rows
        .iter()
        .filter(|r| r.now > 0)
        .take(10)
        .enumerate()
        .map(|(i, r)| {
            format!("{}. *{}* `{}`: {} ({} vs {})", i + 1, escape(&r.title), r.slug, items(r.now), change(r.now, r.before), r.before)
        })
        .collect();
    if top.is_empty() {
        blocks.push(section(&format!("No {scope} feedback with a topic in the last {days}.")));
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
    let text =
        format!("Top topics ({scope}, last {days}): {}", rows.iter().take(3).map(|r| r.slug.as_str()).collect::<Vec<_>>().join(", "));
    SlackMessage { text, blocks }
}

/// `/pushback top [category] [window]`.
pub async fn top_message(state: &AppState, category: Option<Category>, window_days: u32) -> anyhow::Result<SlackMessage> {
    let to = Utc::now();
    let from = to - Duration::days(i64::from(window_days));
    let rows = topic_rows(&state.store, &state.classifier().rules, from, to, category).await?;
    let totals = (state.store.count_between(from, to).await?, state.store.count_between(from - (to - from), from).await?);
    Ok(compose_top(&rows, category, window_days, totals))
}

/// Every topic with its volume and owner channels, then the channels Slack refuses.
pub fn compose_topics(
    known: &[(String, String, i64)],
    categories: &HashMap<String, Option<Category>>,
    days: i64,
    owners: &Owners,
    problems: &[ChannelProblem],
) -> SlackMessage {
    let lines: Vec<String> = known
        .iter()
        .map(|(slug, title, n)| {
            let cat = categories.get(slug).copied().flatten().map(|c| format!(" ({c})")).unwrap_or_default();
            let channels: Vec<String> = owners.of_topic(slug).iter().map(|c| channel_mention(c)).collect();
            let owned = if channels.is_empty() { String::new() } else { format!(" → {}", channels.join(", ")) };
            format!("`{slug}` {}{cat}: {} in {}{owned}", escape(title), items(*n), plural(days.unsigned_abs(), "day"))
        })
        .collect();
    let mut blocks = vec![header("Known topics")];
    if lines.is_empty() {
        blocks.push(section("No topics are configured; add `[[topic]]` entries to config/rules.toml."));
    } else {
        blocks.extend(sections_of_lines(&lines));
    }
    let trouble: Vec<String> = problems
        .iter()
        .map(|p| {
            format!(
                "• {}: Slack says `{}` since {} (invite the bot, or fix the channel)",
                channel_mention(&p.channel),
                escape(&p.error),
                day(p.first_seen)
            )
        })
        .collect();
    if !trouble.is_empty() {
        blocks.push(section("*Channels that cannot get alerts*"));
        blocks.extend(sections_of_lines(&trouble));
    }
    let fallback = owners.fallback().map_or_else(|| "none (PUSHBACK_ALERTS__CHANNEL)".to_string(), channel_mention);
    blocks.push(context(&format!(
        "`/evidence <topic>` for the evidence · `/pushback subscribe <topic>` sends a topic's alerts here · other alerts: {fallback}"
    )));
    pack_messages(&plural(known.len() as u64, "known topic"), vec![blocks]).remove(0)
}

/// `/pushback topics`: every configured topic with its volume over 30 days.
pub async fn topics_message(state: &AppState) -> anyhow::Result<SlackMessage> {
    let mut known = known_topics(&state.store, &state.classifier().rules, Utc::now(), 30).await?;
    known.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let rules = &state.classifier().rules;
    for (slug, title, _) in &mut known {
        if let Some(crate::classify::rules::TopicOrigin::Stored { at, .. }) = rules.topic(slug).map(|t| &t.origin) {
            title.push_str(&format!(" (stored {})", day(*at)));
        }
    }
    let categories = rules.topics.iter().map(|t| (t.slug.clone(), t.category)).collect();
    let owners = Owners::load(&state.store, rules, state.settings.alerts.fallback_channel()).await?;
    let problems = state.store.channel_problems().await?;
    Ok(compose_topics(&known, &categories, 30, &owners, &problems))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::topics::tests::stats;
    use crate::slack::blocks::check_limits;

    #[test]
    fn top_topics_and_topic_lists_pass_the_limits() {
        let rows: Vec<TopicStats> = (0..40).map(|i| stats(&format!("topic-{i}"), 40 - i, i % 7)).collect();
        let m = compose_top(&rows, Some(Category::Performance), 7, (2000, 1500));
        check_limits(&m).unwrap();
        check_limits(&compose_top(&[], None, 30, (0, 0))).unwrap();
        let known: Vec<(String, String, i64)> = (0..300).map(|i| (format!("topic-{i}"), "A long topic title ".repeat(3), i)).collect();
        let problems: Vec<ChannelProblem> = (0..5)
            .map(|i| ChannelProblem { channel: format!("#gone-{i}"), error: "channel_not_found".into(), first_seen: Utc::now() })
            .collect();
        let m = compose_topics(&known, &HashMap::new(), 30, &Owners::default(), &problems);
        check_limits(&m).unwrap();
        assert!(serde_json::to_string(&m).unwrap().contains("#gone-4: Slack says `channel_not_found`"));
        check_limits(&compose_topics(&[], &HashMap::new(), 30, &Owners::default(), &[])).unwrap();
    }
}
