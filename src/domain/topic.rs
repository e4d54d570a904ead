//! A topic stored in the database (made from an emerging cluster in Slack), next to the ones
//! config/rules.toml defines. Plain values: the classifier compiles them, the store keeps them.

use super::Category;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a *Make this a topic* button proposes: the topic as it would be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicDraft {
    pub slug: String,
    pub title: String,
    /// Regexes, as in rules.toml: an item belongs to the topic when any matches.
    pub patterns: Vec<String>,
    /// The category an item must carry as well (none: either).
    pub category: Option<Category>,
}

/// A stored topic: a rules.toml `[[topic]]` entry kept in the database, with who made it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredTopic {
    pub slug: String,
    pub title: String,
    pub patterns: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    pub category: Option<Category>,
    pub channel: Option<String>,
    /// PromQL and its label, like a rules.toml topic's `metric` and `metric_label`.
    pub metric: Option<String>,
    pub metric_label: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl StoredTopic {
    pub fn from_draft(draft: TopicDraft, created_by: &str, created_at: DateTime<Utc>) -> Self {
        Self {
            slug: draft.slug,
            title: draft.title,
            patterns: draft.patterns,
            exclude: Vec::new(),
            category: draft.category,
            channel: None,
            metric: None,
            metric_label: None,
            created_by: created_by.to_string(),
            created_at,
        }
    }
}
