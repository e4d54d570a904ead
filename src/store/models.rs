//! Trained models: saved, made active, and the active one read at start.

use super::sql::BeginWrite;
use super::{Store, StoreResult, from_unix};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A stored model and whether it is the active one.
#[derive(Debug, Clone)]
pub struct StoredModel {
    pub version: String,
    pub created_at: DateTime<Utc>,
    pub active: bool,
    pub metrics: String,
    pub model: String,
}

impl Store {
    /// Saves a trained model; with `activate`, it becomes the only active one.
    pub async fn save_model(&self, version: &str, metrics: &str, model: &str, activate: bool, now: DateTime<Utc>) -> StoreResult<()> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write_tx().await?;
            if activate {
                sqlx::query("UPDATE models SET active = FALSE WHERE active").execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO models (version, created_at, active, metrics, model) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (version) DO UPDATE SET active = excluded.active, metrics = excluded.metrics, model = excluded.model")
                .bind(version).bind(now.timestamp()).bind(activate).bind(metrics).bind(model)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Marks a stored model version active. Returns false when there is no such version.
    pub async fn activate_model(&self, version: &str) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write_tx().await?;
            let found: Option<String> = sqlx::query_scalar("SELECT version FROM models WHERE version = $1").bind(version).fetch_optional(&mut *tx).await?;
            if found.is_none() {
                return Ok(false);
            }
            sqlx::query("UPDATE models SET active = (version = $1)").bind(version).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    pub async fn active_model(&self) -> StoreResult<Option<StoredModel>> {
        on_pool!(self, pool => {
            let row = sqlx::query("SELECT version, created_at, active, metrics, model FROM models WHERE active LIMIT 1")
                .fetch_optional(pool).await?;
            Ok(match row {
                Some(r) => Some(StoredModel {
                    version: r.try_get("version")?,
                    created_at: from_unix(r.try_get("created_at")?),
                    active: r.try_get("active")?,
                    metrics: r.try_get("metrics")?,
                    model: r.try_get("model")?,
                }),
                None => None,
            })
        })
    }
}
