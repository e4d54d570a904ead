//! Owner channels: subscriptions changed in Slack (`topic_channels`) on top of the channels
//! config/rules.toml names, and channels Slack refused for good (`channel_problems`).

use super::{Store, StoreResult, from_unix};
use chrono::{DateTime, Utc};

/// A channel changed for a topic: `subscribed` false removes a channel rules.toml names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicChannel {
    pub topic: String,
    pub channel: String,
    pub subscribed: bool,
}

/// A channel Slack refused for good, with its error and when it was first seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelProblem {
    pub channel: String,
    pub error: String,
    pub first_seen: DateTime<Utc>,
}

impl Store {
    /// Every subscription change, by topic then channel.
    pub async fn topic_channels(&self) -> StoreResult<Vec<TopicChannel>> {
        on_pool!(self, pool => {
            let rows: Vec<(String, String, bool)> =
                sqlx::query_as("SELECT topic, channel, subscribed FROM topic_channels ORDER BY topic, channel").fetch_all(pool).await?;
            Ok(rows.into_iter().map(|(topic, channel, subscribed)| TopicChannel { topic, channel, subscribed }).collect())
        })
    }

    /// Subscribes `channel` to `topic` (or unsubscribes it); the latest change wins.
    pub async fn set_topic_channel(&self, change: &TopicChannel, by: &str, now: DateTime<Utc>) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO topic_channels (topic, channel, subscribed, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (topic, channel) DO UPDATE SET subscribed = excluded.subscribed, changed_by = excluded.changed_by, \
                         changed_at = excluded.changed_at")
                .bind(&change.topic).bind(&change.channel).bind(change.subscribed).bind(by).bind(now.timestamp())
                .execute(pool).await?;
        });
        Ok(())
    }

    /// Records that Slack refused `channel` for good. True only the first time (until cleared),
    /// so the caller reports it once.
    pub async fn record_channel_problem(&self, channel: &str, error: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let new: Option<String> = sqlx::query_scalar(
                "INSERT INTO channel_problems (channel, error, first_seen, last_seen) VALUES ($1, $2, $3, $3) \
                 ON CONFLICT (channel) DO NOTHING RETURNING channel")
                .bind(channel).bind(error).bind(now.timestamp()).fetch_optional(pool).await?;
            if new.is_none() {
                sqlx::query("UPDATE channel_problems SET error = $2, last_seen = $3 WHERE channel = $1")
                    .bind(channel).bind(error).bind(now.timestamp()).execute(pool).await?;
            }
            Ok(new.is_some())
        })
    }

    /// A post to `channel` got through: forgets its problem. True when there was one. Looks
    /// first, so the usual case (no problem) takes no write lock: on SQLite every write waits for
    /// the webhooks' group commits.
    pub async fn clear_channel_problem(&self, channel: &str) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let known: Option<String> =
                sqlx::query_scalar("SELECT channel FROM channel_problems WHERE channel = $1").bind(channel).fetch_optional(pool).await?;
            if known.is_none() {
                return Ok(false);
            }
            let done = sqlx::query("DELETE FROM channel_problems WHERE channel = $1").bind(channel).execute(pool).await?;
            Ok(done.rows_affected() > 0)
        })
    }

    /// Channels Slack refused, oldest first.
    pub async fn channel_problems(&self) -> StoreResult<Vec<ChannelProblem>> {
        on_pool!(self, pool => {
            let rows: Vec<(String, String, i64)> =
                sqlx::query_as("SELECT channel, error, first_seen FROM channel_problems ORDER BY first_seen, channel").fetch_all(pool).await?;
            Ok(rows.into_iter().map(|(channel, error, at)| ChannelProblem { channel, error, first_seen: from_unix(at) }).collect())
        })
    }
}
