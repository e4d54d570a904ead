//! Reads for the monthly review (issue 21): survey responses with their accounts, and the
//! churned ARR of a window with the part blamed on performance or reliability.

use super::{Store, StoreResult, from_unix};
use crate::domain::{SurveyScore, SurveyType};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// One stored survey response, its comment's tags and its account's record.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyResponse {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub survey: SurveyScore,
    /// The comment; may be empty.
    pub body: String,
    pub performance: bool,
    pub reliability: bool,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub arr_cents: Option<i64>,
}

/// Churn notes of a window: how many, the ARR they state, and the part of it on notes tagged
/// performance or reliability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChurnTotals {
    pub notes: i64,
    pub lost_arr_cents: i64,
    pub blamed_arr_cents: i64,
}

const SURVEYS: &str = "SELECT f.id, f.created_at, f.survey_type, f.survey_score, f.body, f.is_performance, f.is_reliability, \
    f.account_id, COALESCE(a.name, f.account_name) AS account_name, a.arr_cents FROM feedback f \
    LEFT JOIN accounts a ON a.account_id = f.account_id \
    WHERE f.survey_type IS NOT NULL AND f.created_at >= $1 AND f.created_at < $2 ORDER BY f.created_at, f.id";

const CHURN: &str = "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(lost_arr_cents), 0) AS BIGINT) AS lost, \
    CAST(COALESCE(SUM(CASE WHEN is_performance OR is_reliability THEN lost_arr_cents ELSE 0 END), 0) AS BIGINT) AS blamed \
    FROM feedback WHERE kind = 'churn_note' AND created_at >= $1 AND created_at < $2";

impl Store {
    /// Survey responses created in `[from, to)`, oldest first.
    pub async fn survey_responses(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<SurveyResponse>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(SURVEYS).bind(from.timestamp()).bind(to.timestamp()).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let kind: String = r.try_get("survey_type")?;
                let kind: SurveyType = kind.parse().map_err(|e| anyhow::anyhow!("stored survey_type: {e}"))?;
                let score: i64 = r.try_get::<Option<i64>, _>("survey_score")?.unwrap_or(-1);
                out.push(SurveyResponse {
                    id: r.try_get("id")?,
                    created_at: from_unix(r.try_get("created_at")?),
                    survey: SurveyScore::new(kind, score).map_err(|e| anyhow::anyhow!("stored survey_score: {e}"))?,
                    body: r.try_get("body")?,
                    performance: r.try_get("is_performance")?,
                    reliability: r.try_get("is_reliability")?,
                    account_id: r.try_get("account_id")?,
                    account_name: r.try_get("account_name")?,
                    arr_cents: r.try_get("arr_cents")?,
                });
            }
            Ok(out)
        })
    }

    /// Churn notes created in `[from, to)`.
    pub async fn churn_totals(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<ChurnTotals> {
        on_pool!(self, pool => {
            let r = sqlx::query(CHURN).bind(from.timestamp()).bind(to.timestamp()).fetch_one(pool).await?;
            Ok(ChurnTotals { notes: r.try_get("n")?, lost_arr_cents: r.try_get("lost")?, blamed_arr_cents: r.try_get("blamed")? })
        })
    }
}
