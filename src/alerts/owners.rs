//! Owner channels: each topic's `channel` in config/rules.toml, changed by `/pushback
//! subscribe|unsubscribe` (stored in the database), and the fallback `alerts.channel` for
//! items no owned topic claims. A channel is an ID (`C0123ABC`) or a name (`#team-payments`);
//! chat.postMessage takes either.

use crate::classify::rules::Rules;
use crate::store::{Store, StoreResult, TopicChannel};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Owners {
    by_topic: BTreeMap<String, Vec<String>>,
    fallback: Option<String>,
}

/// The same channel written two ways (`#Team-Payments`, `team-payments`) compares equal.
pub fn same_channel(a: &str, b: &str) -> bool {
    let norm = |c: &str| c.trim().trim_start_matches('#').to_ascii_lowercase();
    norm(a) == norm(b)
}

impl Owners {
    /// The rules' channels with the stored changes applied in order.
    pub fn new(rules: &Rules, changes: &[TopicChannel], fallback: Option<&str>) -> Self {
        let mut by_topic: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for t in &rules.topics {
            if let Some(channel) = t.channel.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                by_topic.entry(t.slug.clone()).or_default().push(channel.to_string());
            }
        }
        for change in changes {
            let channels = by_topic.entry(change.topic.clone()).or_default();
            channels.retain(|c| !same_channel(c, &change.channel));
            if change.subscribed {
                channels.push(change.channel.trim().to_string());
            }
        }
        by_topic.retain(|_, channels| !channels.is_empty());
        let fallback = fallback.map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
        Self { by_topic, fallback }
    }

    /// Reads the stored subscriptions.
    pub async fn load(store: &Store, rules: &Rules, fallback: Option<&str>) -> StoreResult<Self> {
        Ok(Self::new(rules, &store.topic_channels().await?, fallback))
    }

    /// The channels that own `topic` (none when it has no owner).
    pub fn of_topic(&self, topic: &str) -> &[String] {
        self.by_topic.get(topic).map_or(&[], Vec::as_slice)
    }

    pub fn fallback(&self) -> Option<&str> {
        self.fallback.as_deref()
    }

    /// Every owner channel of `topics`, each once, in topic order; the fallback when none owns any.
    pub fn channels_for(&self, topics: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for channel in topics.iter().flat_map(|t| self.of_topic(t)) {
            if !out.iter().any(|c| same_channel(c, channel)) {
                out.push(channel.clone());
            }
        }
        if out.is_empty() {
            out.extend(self.fallback.clone());
        }
        out
    }

    /// Every owned topic with its channels, by slug.
    pub fn all(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.by_topic.iter().map(|(t, c)| (t.as_str(), c.as_slice()))
    }

    /// Each owner channel (as first written) with the topics it owns, by slug; channels in the
    /// order their first topic sorts.
    pub fn by_channel(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for (topic, channels) in &self.by_topic {
            for channel in channels {
                match out.iter_mut().find(|(c, _)| same_channel(c, channel)) {
                    Some((_, topics)) => topics.push(topic.clone()),
                    None => out.push((channel.clone(), vec![topic.clone()])),
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules::parse(
            "[[topic]]\nslug = \"checkout-slow\"\ntitle = \"Checkout\"\npatterns = ['checkout']\nchannel = \"#team-payments\"\n\n\
             [[topic]]\nslug = \"search-slow\"\ntitle = \"Search\"\npatterns = ['search']\n",
            "test",
        )
        .unwrap()
    }

    fn change(topic: &str, channel: &str, subscribed: bool) -> TopicChannel {
        TopicChannel { topic: topic.into(), channel: channel.into(), subscribed }
    }

    #[test]
    fn rules_channels_subscriptions_and_the_fallback_route_alerts() {
        let owners = Owners::new(&rules(), &[change("search-slow", "C0SEARCH", true)], Some("#feedback"));
        assert_eq!(owners.channels_for(&["checkout-slow".into()]), vec!["#team-payments"]);
        assert_eq!(owners.channels_for(&["search-slow".into(), "checkout-slow".into()]), vec!["C0SEARCH", "#team-payments"]);
        assert_eq!(owners.channels_for(&["unowned".into()]), vec!["#feedback"]);
        assert_eq!(owners.channels_for(&[]), vec!["#feedback"]);
        assert!(Owners::new(&rules(), &[], None).channels_for(&[]).is_empty());
    }

    #[test]
    fn each_channel_lists_the_topics_it_owns_however_it_is_written() {
        let owners = Owners::new(&rules(), &[change("search-slow", "Team-Payments", true), change("search-slow", "C0SEARCH", true)], None);
        assert_eq!(
            owners.by_channel(),
            vec![
                ("#team-payments".to_string(), vec!["checkout-slow".to_string(), "search-slow".to_string()]),
                ("C0SEARCH".to_string(), vec!["search-slow".to_string()]),
            ]
        );
    }

    #[test]
    fn unsubscribing_removes_a_rules_channel_however_it_is_written() {
        let owners = Owners::new(&rules(), &[change("checkout-slow", "Team-Payments", false)], None);
        assert!(owners.of_topic("checkout-slow").is_empty());
        assert!(owners.channels_for(&["checkout-slow".into()]).is_empty());
        let twice = Owners::new(&rules(), &[change("checkout-slow", "C1", true), change("checkout-slow", "#team-payments", true)], None);
        assert_eq!(twice.of_topic("checkout-slow"), ["C1", "#team-payments"]);
    }
}
