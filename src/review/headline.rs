//! The headline: feedback volume, the share tagged performance and reliability, NPS and CSAT,
//! and churned ARR with the share blamed on either; for the month, the month before and the
//! quarter, and month by month for the KPI chart.

use super::Month;
use super::figures::{CsatFigure, NpsFigure, scores};
use super::kpi::{self, one_decimal};
use crate::store::{Store, StoreResult};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Months the KPI chart shows, this one last.
pub const HISTORY_MONTHS: usize = 6;

/// The headline figures of one window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Feedback items of every kind, survey responses included.
    pub items: i64,
    pub performance: i64,
    /// Percent of `items`, one decimal; `null` without items.
    pub performance_share: Option<f64>,
    pub reliability: i64,
    pub reliability_share: Option<f64>,
    pub nps: NpsFigure,
    pub csat: CsatFigure,
    pub churn_notes: i64,
    pub churned_arr_cents: i64,
    /// Churned ARR on notes tagged performance or reliability.
    pub blamed_arr_cents: i64,
    /// Percent of `churned_arr_cents`; `null` when none churned.
    pub blamed_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    pub this_month: Period,
    pub last_month: Period,
    /// This month and the two before it.
    pub quarter: Period,
}

/// `part` as a percent of `whole`, one decimal; `None` when `whole` is 0.
pub fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| one_decimal(part as f64 / whole as f64 * 100.0))
}

pub async fn period(store: &Store, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Period> {
    let (items, performance, reliability) = store.category_counts(from, to).await?;
    let responses = store.survey_responses(from, to).await?;
    let churn = store.churn_totals(from, to).await?;
    Ok(Period {
        from,
        to,
        items,
        performance,
        performance_share: share(performance, items),
        reliability,
        reliability_share: share(reliability, items),
        nps: NpsFigure::of(kpi::nps(&scores(&responses, true)).as_ref()),
        csat: CsatFigure::of(kpi::csat(&scores(&responses, false)).as_ref()),
        churn_notes: churn.notes,
        churned_arr_cents: churn.lost_arr_cents,
        blamed_arr_cents: churn.blamed_arr_cents,
        blamed_share: share(churn.blamed_arr_cents, churn.lost_arr_cents),
    })
}

/// One month's headline figures, for the chart of the last `HISTORY_MONTHS`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthFigures {
    /// "2026-11".
    pub month: String,
    pub figures: Period,
}

/// The headline of `month`: it, the month before, and the quarter ending with it.
pub async fn headline(store: &Store, month: Month) -> StoreResult<Headline> {
    let (from, to) = month.window();
    Ok(Headline {
        this_month: period(store, from, to).await?,
        last_month: period(store, month.previous().start(), from).await?,
        quarter: period(store, month.quarter_window().0, to).await?,
    })
}

/// The last `HISTORY_MONTHS` months up to `month`, oldest first.
pub async fn history(store: &Store, month: Month) -> StoreResult<Vec<MonthFigures>> {
    let mut months = vec![month];
    while months.len() < HISTORY_MONTHS {
        let earliest = months[months.len() - 1].previous();
        months.push(earliest);
    }
    let mut out = Vec::with_capacity(months.len());
    for m in months.into_iter().rev() {
        let (from, to) = m.window();
        out.push(MonthFigures { month: m.to_string(), figures: period(store, from, to).await? });
    }
    Ok(out)
}
