//! The monthly joint review (issue 21): the user-experience KPIs beside what customers complain
//! about, as one `Review` value. `gather` reads it from the store; the Markdown (`render`) and
//! the JSON (serde) are both made from it, so every figure in one is in the other.

pub mod fixes;
pub mod kpi;
pub mod month;
pub mod render;

use crate::classify::Classifier;
use crate::digest::topics::topic_rows;
use crate::stats::Change;
use crate::store::{Store, StoreResult, SurveyResponse};
use chrono::{DateTime, Utc};
use fixes::Fix;
use kpi::{Csat, MonthChange, Nps, one_decimal};
pub use month::Month;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Topics the "where customers hurt" section lists.
pub const TOP_TOPICS: usize = 5;
/// Detractor comments the "survey voices" section quotes.
pub const VOICES: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// "2026-11".
    pub month: String,
    pub kpis: Kpis,
    pub headline: Headline,
    pub topics: Vec<HurtTopic>,
    /// Tracker issues closed as done this month, with their impact so far.
    pub fixes: Vec<Fix>,
    pub voices: Vec<Voice>,
    pub reproduce: Reproduce,
}

/// An NPS, one decimal; `score` and `ci95` are `null` without responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NpsFigure {
    pub score: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub responses: u64,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
}

impl NpsFigure {
    pub fn of(nps: Option<&Nps>) -> Self {
        Self {
            score: nps.map(|n| one_decimal(n.score)),
            ci95: nps.map(|n| [one_decimal(n.ci95.0), one_decimal(n.ci95.1)]),
            responses: nps.map_or(0, |n| n.responses),
            promoters: nps.map_or(0, |n| n.promoters),
            passives: nps.map_or(0, |n| n.passives),
            detractors: nps.map_or(0, |n| n.detractors),
        }
    }
}

/// A CSAT, one decimal; `percent` and `ci95` are `null` without responses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CsatFigure {
    pub percent: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub responses: u64,
    pub satisfied: u64,
}

impl CsatFigure {
    pub fn of(csat: Option<&Csat>) -> Self {
        Self {
            percent: csat.map(|c| one_decimal(c.percent)),
            ci95: csat.map(|c| [one_decimal(c.ci95.0), one_decimal(c.ci95.1)]),
            responses: csat.map_or(0, |c| c.responses),
            satisfied: csat.map_or(0, |c| c.satisfied),
        }
    }
}

/// A KPI's change from last month and its test, with the words the Markdown shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeFigure {
    pub difference: f64,
    pub p_value: Option<f64>,
    pub significant: bool,
    pub text: String,
}

impl ChangeFigure {
    fn of(change: &MonthChange, unit: &str) -> Self {
        Self {
            difference: one_decimal(change.difference),
            p_value: change.p_value,
            significant: change.significant,
            text: change.describe(unit),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kpis {
    pub nps: NpsFigure,
    pub csat: CsatFigure,
    /// Against last month; `null` when either month has no responses.
    pub nps_change: Option<ChangeFigure>,
    pub csat_change: Option<ChangeFigure>,
    /// This month's NPS of respondents whose comment is tagged performance, reliability, neither.
    pub nps_by_tag: NpsByTagFigure,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NpsByTagFigure {
    pub performance: NpsFigure,
    pub reliability: NpsFigure,
    pub neither: NpsFigure,
}

/// The NPS and CSAT of some responses, and their changes from `previous` ones.
pub fn kpis(current: &[SurveyResponse], previous: &[SurveyResponse]) -> Kpis {
    let (nps_now, csat_now) = (kpi::nps(&scores(current, true)), kpi::csat(&scores(current, false)));
    let (nps_before, csat_before) = (kpi::nps(&scores(previous, true)), kpi::csat(&scores(previous, false)));
    let answers: Vec<(i64, bool, bool)> =
        current.iter().filter(|r| is_nps(r)).map(|r| (r.survey.score, r.performance, r.reliability)).collect();
    let by_tag = kpi::nps_by_tag(&answers);
    Kpis {
        nps: NpsFigure::of(nps_now.as_ref()),
        csat: CsatFigure::of(csat_now.as_ref()),
        nps_change: nps_now.as_ref().zip(nps_before.as_ref()).map(|(a, b)| ChangeFigure::of(&kpi::nps_change(a, b), "points")),
        csat_change: csat_now
            .as_ref()
            .zip(csat_before.as_ref())
            .map(|(a, b)| ChangeFigure::of(&kpi::csat_change(a, b), "percentage points")),
        nps_by_tag: NpsByTagFigure {
            performance: NpsFigure::of(by_tag.performance.as_ref()),
            reliability: NpsFigure::of(by_tag.reliability.as_ref()),
            neither: NpsFigure::of(by_tag.neither.as_ref()),
        },
    }
}

fn is_nps(r: &SurveyResponse) -> bool {
    r.survey.survey_type == crate::domain::SurveyType::Nps
}

/// The NPS (`nps`) or CSAT scores among `responses`.
fn scores(responses: &[SurveyResponse], nps: bool) -> Vec<i64> {
    responses.iter().filter(|r| is_nps(r) == nps).map(|r| r.survey.score).collect()
}

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

async fn period(store: &Store, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Period> {
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

/// A topic customers complained about this month, with the ARR of the accounts it touched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HurtTopic {
    pub slug: String,
    pub title: String,
    /// Items tagged performance or reliability, this month and in the window of equal length before.
    pub items: i64,
    pub items_before: i64,
    pub accounts: i64,
    pub arr_at_risk_cents: i64,
    pub churn_notes: i64,
    /// The packs' volume-adjusted exact test of this month against the window before.
    pub p_value: Option<f64>,
    pub significant: bool,
    /// The packs' words: "3.0× more than the previous 30 days (6 vs 2, p = 0.31); not a significant change".
    pub trend: String,
}

/// The month's topics by ARR at risk (then items), at most `TOP_TOPICS`: the digest's topic
/// counts and the packs' test, over the month and the window of equal length before it.
async fn hurt_topics(store: &Store, classifier: &Classifier, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<HurtTopic>> {
    let days = (to - from).num_days();
    let totals = (store.category_counts(from, to).await?.0, store.category_counts(from - (to - from), from).await?.0);
    let n = |x: i64| u64::try_from(x).unwrap_or(0);
    let mut out = Vec::new();
    for t in topic_rows(store, &classifier.rules, from, to, None).await?.into_iter().filter(|t| t.now > 0) {
        let reach = store.topic_totals(&t.slug, from, to).await?;
        let change = Change::new(n(t.now), n(t.before), n(totals.0), n(totals.1));
        out.push(HurtTopic {
            trend: change.describe(days),
            p_value: change.p_value,
            significant: change.significant,
            slug: t.slug,
            title: t.title,
            items: t.now,
            items_before: t.before,
            accounts: reach.accounts,
            arr_at_risk_cents: reach.arr_cents,
            churn_notes: reach.churn_notes,
        });
    }
    out.sort_by(|a, b| b.arr_at_risk_cents.cmp(&a.arr_at_risk_cents).then(b.items.cmp(&a.items)).then(a.slug.cmp(&b.slug)));
    out.truncate(TOP_TOPICS);
    Ok(out)
}

/// A detractor's comment tagged performance or reliability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Voice {
    pub score: i64,
    pub created_at: DateTime<Utc>,
    pub account: Option<String>,
    pub arr_cents: Option<i64>,
    pub tags: Vec<String>,
    /// Personal data (emails, phone numbers, cards) redacted.
    pub comment: String,
}

/// Up to `VOICES` NPS detractors (0-6) with a comment tagged performance or reliability,
/// largest ARR first, then lowest score, then oldest.
pub fn voices(responses: &[SurveyResponse]) -> Vec<Voice> {
    let mut picked: Vec<&SurveyResponse> = responses
        .iter()
        .filter(|r| is_nps(r) && r.survey.score <= 6 && (r.performance || r.reliability) && !r.body.trim().is_empty())
        .collect();
    picked.sort_by(|a, b| {
        b.arr_cents.unwrap_or(0).cmp(&a.arr_cents.unwrap_or(0)).then(a.survey.score.cmp(&b.survey.score)).then(a.id.cmp(&b.id))
    });
    picked
        .into_iter()
        .take(VOICES)
        .map(|r| Voice {
            score: r.survey.score,
            created_at: r.created_at,
            account: r.account_name.clone().or_else(|| r.account_id.clone()),
            arr_cents: r.arr_cents,
            tags: [(r.performance, "performance"), (r.reliability, "reliability")]
                .iter()
                .filter(|t| t.0)
                .map(|t| t.1.to_string())
                .collect(),
            comment: crate::redact::redact(r.body.trim()),
        })
        .collect()
}

/// How to get the same review again, and a hash that changes when any figure does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reproduce {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub pushback_version: String,
    /// The classifier (model/rules) loaded when the review was made; each item keeps the
    /// version that tagged it.
    pub classifier_version: String,
    /// SHA-256 (first 16 bytes, hex) of the JSON of every figure above (kpis, headline, topics, fixes, voices).
    pub figures_hash: String,
    pub generated_at: DateTime<Utc>,
    pub command: String,
}

/// The review of `month`, as of `now`; `impact_windows` are the trackers' (window days, settle
/// days) for the fixes' impact reports.
pub async fn gather(
    store: &Store,
    classifier: &Classifier,
    month: Month,
    impact_windows: (i64, i64),
    now: DateTime<Utc>,
) -> StoreResult<Review> {
    let (from, to) = month.window();
    let (last_from, _) = month.previous().window();
    let current = store.survey_responses(from, to).await?;
    let kpis = kpis(&current, &store.survey_responses(last_from, from).await?);
    let headline = Headline {
        this_month: period(store, from, to).await?,
        last_month: period(store, last_from, from).await?,
        quarter: period(store, month.quarter_window().0, to).await?,
    };
    let topics = hurt_topics(store, classifier, from, to).await?;
    let fixes = fixes::fixes(store, classifier, (from, to), impact_windows, now).await?;
    let voices = voices(&current);
    let figures = serde_json::to_string(&(&kpis, &headline, &topics, &fixes, &voices)).unwrap_or_default();
    let reproduce = Reproduce {
        from,
        to,
        pushback_version: env!("CARGO_PKG_VERSION").to_string(),
        classifier_version: classifier.version(),
        figures_hash: hex::encode(&Sha256::digest(figures.as_bytes())[..16]),
        generated_at: now,
        command: format!("pushback review --month {month} --format json"),
    };
    Ok(Review { month: month.to_string(), kpis, headline, topics, fixes, voices, reproduce })
}
