//! `retrains`: one row per retrain on people's corrections. Inserting row `seq` is the claim,
//! so one replica retrains a batch; the row's `claim` token fences its outcome, so a replica
//! that took over a stale claim and the one it replaced cannot both activate a model.

use super::sql::BeginWrite;
use super::{Store, StoreResult, from_unix};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A retrain as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct RetrainRow {
    pub seq: i64,
    /// The highest correction id the batch trains on.
    pub through_correction: i64,
    pub claim: String,
    pub claimed_by: String,
    pub claimed_at: DateTime<Utc>,
    /// `running`, `activated`, `rejected` or `failed`.
    pub status: String,
    /// The model it trained and activated, when it did.
    pub model_version: Option<String>,
    /// What it measured and decided (JSON), once finished.
    pub report: Option<String>,
}

/// How a retrain ended: `status` (`activated`, `rejected`, `failed`), its report (JSON), the
/// highest correction id it trained on (corrections may have arrived since the claim), and the
/// model to store and activate, if any.
#[derive(Debug, Clone)]
pub struct RetrainOutcome<'a> {
    pub status: &'a str,
    pub report: &'a str,
    pub through: i64,
    pub model: Option<NewModel<'a>>,
}

/// A trained model to store and make active with a retrain's outcome.
#[derive(Debug, Clone)]
pub struct NewModel<'a> {
    pub version: &'a str,
    pub metrics: &'a str,
    pub json: &'a str,
}

const COLUMNS: &str = "seq, through_correction, claim, claimed_by, claimed_at, status, model_version, report";

macro_rules! retrain_from_row {
    ($r:expr) => {{
        let r = $r;
        RetrainRow {
            seq: r.try_get("seq")?,
            through_correction: r.try_get("through_correction")?,
            claim: r.try_get("claim")?,
            claimed_by: r.try_get("claimed_by")?,
            claimed_at: from_unix(r.try_get("claimed_at")?),
            status: r.try_get("status")?,
            model_version: r.try_get("model_version")?,
            report: r.try_get("report")?,
        }
    }};
}

impl Store {
    /// The latest retrain (the highest `seq`), if any.
    pub async fn last_retrain(&self) -> StoreResult<Option<RetrainRow>> {
        on_pool!(self, pool => {
            let row = sqlx::query(&format!("SELECT {COLUMNS} FROM retrains ORDER BY seq DESC LIMIT 1")).fetch_optional(pool).await?;
            Ok(match row { Some(r) => Some(retrain_from_row!(&r)), None => None })
        })
    }

    /// Every retrain, oldest first.
    pub async fn retrains(&self) -> StoreResult<Vec<RetrainRow>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM retrains ORDER BY seq")).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(retrain_from_row!(r));
            }
            Ok(out)
        })
    }

    /// Claims retrain `seq` (status `running`); true only for the caller whose insert made the row.
    pub async fn claim_retrain(&self, seq: i64, through: i64, claim: &str, by: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let won: Option<i64> = sqlx::query_scalar(
                "INSERT INTO retrains (seq, through_correction, claim, claimed_by, claimed_at, status) VALUES ($1, $2, $3, $4, $5, 'running') \
                 ON CONFLICT (seq) DO NOTHING RETURNING seq")
                .bind(seq).bind(through).bind(claim).bind(by).bind(now.timestamp()).fetch_optional(pool).await?;
            Ok(won.is_some())
        })
    }

    /// Takes over retrain `seq` when it is still running but was claimed before `stale_before`
    /// (its replica died); true for the one caller that did.
    pub async fn take_over_retrain(
        &self,
        seq: i64,
        claim: &str,
        by: &str,
        now: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let won: Option<i64> = sqlx::query_scalar(
                "UPDATE retrains SET claim = $2, claimed_by = $3, claimed_at = $4 WHERE seq = $1 AND status = 'running' AND claimed_at < $5 RETURNING seq")
                .bind(seq).bind(claim).bind(by).bind(now.timestamp()).bind(stale_before.timestamp()).fetch_optional(pool).await?;
            Ok(won.is_some())
        })
    }

    /// Records the outcome of the retrain the caller holds (`seq` with its `claim`) and, with a
    /// model, stores it as the only active one, in one transaction. False (nothing changed)
    /// when the claim is no longer the caller's.
    pub async fn finish_retrain(&self, seq: i64, claim: &str, outcome: &RetrainOutcome<'_>, now: DateTime<Utc>) -> StoreResult<bool> {
        let model = outcome.model.as_ref();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write_tx().await?;
            let held: Option<i64> = sqlx::query_scalar(
                "UPDATE retrains SET status = $3, report = $4, model_version = $5, finished_at = $6, through_correction = $7 \
                 WHERE seq = $1 AND claim = $2 AND status = 'running' RETURNING seq")
                .bind(seq).bind(claim).bind(outcome.status).bind(outcome.report).bind(model.map(|m| m.version)).bind(now.timestamp())
                .bind(outcome.through)
                .fetch_optional(&mut *tx).await?;
            if held.is_none() {
                return Ok(false);
            }
            if let Some(m) = model {
                sqlx::query("UPDATE models SET active = FALSE WHERE active").execute(&mut *tx).await?;
                sqlx::query("INSERT INTO models (version, created_at, active, metrics, model) VALUES ($1, $2, TRUE, $3, $4) \
                             ON CONFLICT (version) DO UPDATE SET active = TRUE, metrics = excluded.metrics, model = excluded.model")
                    .bind(m.version).bind(now.timestamp()).bind(m.metrics).bind(m.json).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The highest correction id the model `version` was trained on, when a retrain (or
    /// `pushback train --include-corrections --activate`) activated it.
    pub async fn model_trained_through(&self, version: &str) -> StoreResult<Option<i64>> {
        on_pool!(self, pool => {
            let row = sqlx::query("SELECT through_correction FROM retrains WHERE model_version = $1 AND status = 'activated' ORDER BY seq DESC LIMIT 1")
                .bind(version).fetch_optional(pool).await?;
            Ok(match row { Some(r) => Some(r.try_get("through_correction")?), None => None })
        })
    }
}
