//! Spike state: `spikes` (per subject, the rise it is in and what was announced) and
//! `spike_checks` (one claimed row per check slot, so one replica checks).

use super::{Store, StoreResult, from_unix};
use chrono::{DateTime, Utc};

/// A subject's rise as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SpikeState {
    pub subject: String,
    /// The outbox key of the rise's alert; updates and thread replies name it.
    pub rise_key: String,
    pub started_at: DateTime<Utc>,
    pub last_abnormal_at: DateTime<Utc>,
    /// The ratio last announced (the alert, or a later crossing).
    pub announced_ratio: f64,
    /// Checks that found the rise going on (numbers the alert's updates).
    pub checks: i64,
}

impl Store {
    pub async fn spike_state(&self, subject: &str) -> StoreResult<Option<SpikeState>> {
        on_pool!(self, pool => {
            let row: Option<(String, String, i64, i64, f64, i64)> = sqlx::query_as(
                "SELECT subject, rise_key, started_at, last_abnormal_at, announced_ratio, checks FROM spikes WHERE subject = $1")
                .bind(subject).fetch_optional(pool).await?;
            Ok(row.map(|(subject, rise_key, started, last, announced_ratio, checks)| SpikeState {
                subject, rise_key, started_at: from_unix(started), last_abnormal_at: from_unix(last), announced_ratio, checks,
            }))
        })
    }

    pub async fn save_spike_state(&self, s: &SpikeState) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query("INSERT INTO spikes (subject, rise_key, started_at, last_abnormal_at, announced_ratio, checks) VALUES ($1, $2, $3, $4, $5, $6) \
                         ON CONFLICT (subject) DO UPDATE SET rise_key = excluded.rise_key, started_at = excluded.started_at, \
                         last_abnormal_at = excluded.last_abnormal_at, announced_ratio = excluded.announced_ratio, checks = excluded.checks")
                .bind(&s.subject).bind(&s.rise_key).bind(s.started_at.timestamp()).bind(s.last_abnormal_at.timestamp())
                .bind(s.announced_ratio).bind(s.checks).execute(pool).await?;
        });
        Ok(())
    }

    /// Claims a check slot; true only for the caller whose insert created the row.
    pub async fn claim_spike_check(&self, slot: &str, by: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let won: Option<String> = sqlx::query_scalar(
                "INSERT INTO spike_checks (slot, claimed_by, claimed_at) VALUES ($1, $2, $3) ON CONFLICT (slot) DO NOTHING RETURNING slot")
                .bind(slot).bind(by).bind(now.timestamp()).fetch_optional(pool).await?;
            Ok(won.is_some())
        })
    }
}
