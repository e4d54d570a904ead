//! `slack_home_views`: when each user's App Home view was last published, and the `hash` Slack
//! returned for it. Claiming a publish moves `published_at` forward only when the last one is
//! older than the interval, so replicas publish a user's Home at most once per interval; the
//! stored hash goes with the next views.publish so a newer view is never overwritten.
//! Also the Home tab's read of recent spikes.

use super::spikes::SpikeState;
use super::sql::BeginWrite;
use super::{Store, StoreResult, from_unix};
use chrono::{DateTime, Utc};

/// What a publish claim found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HomeClaim {
    /// This caller publishes; the hash of the view published last (none the first time).
    Publish { hash: Option<String> },
    /// Published less than the interval ago (by any replica).
    Recent,
}

impl Store {
    /// Claims `user`'s next Home publish when the last one is at least `min_secs` old.
    pub async fn claim_home_publish(&self, user: &str, min_secs: i64, now: DateTime<Utc>) -> StoreResult<HomeClaim> {
        let before = now.timestamp() - min_secs;
        on_pool!(self, pool => {
            let mut tx = pool.begin_write_tx().await?;
            let previous: Option<(i64, Option<String>)> =
                sqlx::query_as("SELECT published_at, view_hash FROM slack_home_views WHERE user_id = $1")
                    .bind(user).fetch_optional(&mut *tx).await?;
            let won: Option<String> = sqlx::query_scalar(
                "INSERT INTO slack_home_views (user_id, published_at) VALUES ($1, $2) \
                 ON CONFLICT (user_id) DO UPDATE SET published_at = excluded.published_at \
                 WHERE slack_home_views.published_at <= $3 RETURNING user_id")
                .bind(user).bind(now.timestamp()).bind(before)
                .fetch_optional(&mut *tx).await?;
            tx.commit().await?;
            Ok(match won {
                Some(_) => HomeClaim::Publish { hash: previous.and_then(|p| p.1) },
                None => HomeClaim::Recent,
            })
        })
    }

    /// Records the hash Slack returned for `user`'s newly published view.
    pub async fn set_home_hash(&self, user: &str, hash: &str) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE slack_home_views SET view_hash = $2 WHERE user_id = $1").bind(user).bind(hash).execute(pool).await?;
        });
        Ok(())
    }

    /// Rises that were alerted (started or still abnormal) since `since`, newest first.
    pub async fn spikes_since(&self, since: DateTime<Utc>) -> StoreResult<Vec<SpikeState>> {
        on_pool!(self, pool => {
            let rows: Vec<(String, String, i64, i64, f64, i64)> = sqlx::query_as(
                "SELECT subject, rise_key, started_at, last_abnormal_at, announced_ratio, checks FROM spikes \
                 WHERE last_abnormal_at >= $1 OR started_at >= $1 ORDER BY started_at DESC, subject")
                .bind(since.timestamp()).fetch_all(pool).await?;
            Ok(rows.into_iter().map(|(subject, rise_key, started, last, announced_ratio, checks)| SpikeState {
                subject, rise_key, started_at: from_unix(started), last_abnormal_at: from_unix(last), announced_ratio, checks,
            }).collect())
        })
    }
}
