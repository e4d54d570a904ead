//! `/pushback subscribe|unsubscribe <topic>`: the channel the command was typed in gets (or
//! stops getting) the topic's alerts. Stored in the database, so every replica routes alike.

use super::blocks::{SlackMessage, escape};
use crate::alerts::Owners;
use crate::app::AppState;
use crate::store::TopicChannel;

pub async fn subscribe_message(app: &AppState, topic: &str, on: bool, channel: &str, user: &str) -> anyhow::Result<SlackMessage> {
    let rules = &app.classifier().rules;
    let text = if rules.topic(topic).is_none() {
        let known: Vec<String> = rules.topics.iter().map(|t| format!("`{}`", t.slug)).collect();
        format!("There is no topic `{}`. Known topics: {}.", escape(topic), known.join(", "))
    } else if channel.trim().is_empty() {
        "Slack did not say which channel this is; type the command in the channel that should get the alerts.".to_string()
    } else {
        let change = TopicChannel { topic: topic.to_string(), channel: channel.to_string(), subscribed: on };
        app.store.set_topic_channel(&change, &format!("slack:{user}"), chrono::Utc::now()).await?;
        let owners = Owners::load(&app.store, rules, app.settings.alerts.fallback_channel()).await?;
        let now = owners.of_topic(topic).iter().map(|c| channel_mention(c)).collect::<Vec<_>>();
        let now = if now.is_empty() { "no channel".to_string() } else { now.join(", ") };
        if on {
            format!("This channel now gets the alerts for `{}` (owners: {now}).", escape(topic))
        } else {
            format!("This channel no longer gets the alerts for `{}` (owners: {now}).", escape(topic))
        }
    };
    Ok(SlackMessage { text, blocks: vec![] })
}

/// A channel as Slack shows it: `<#C0123>` for an ID, `#name` as written for a name.
pub fn channel_mention(channel: &str) -> String {
    let c = channel.trim();
    let is_id = c.len() >= 9 && c.starts_with(['C', 'G']) && c.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit());
    if is_id { format!("<#{c}>") } else { escape(&format!("#{}", c.trim_start_matches('#'))) }
}
