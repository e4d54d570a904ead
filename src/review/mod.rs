//! The monthly joint review (issue 21): the user-experience KPIs beside what customers complain
//! about, as one `Review` value. `gather` reads it from the store; `render` makes the Markdown,
//! the HTML and the JSON from it alone, so every figure in one is in the others.

pub mod agenda;
pub mod figures;
pub mod fixes;
pub mod glossary;
pub mod headline;
pub mod kpi;
pub mod metric;
pub mod month;
pub mod news;
pub mod render;
pub mod topics;
pub mod voices;

use crate::classify::Classifier;
use crate::classify::glossary::Glossary;
use crate::store::{Store, StoreResult};
use agenda::AgendaItem;
use chrono::{DateTime, Utc};
pub use figures::{ChangeFigure, CsatFigure, Kpis, NpsByTagFigure, NpsFigure, kpis};
use fixes::{Fix, OpenIssue};
pub use headline::{Headline, MonthFigures, Period, share};
pub use month::Month;
use news::News;
use serde::Serialize;
use sha2::{Digest, Sha256};
pub use topics::{HurtTopic, TopicTrend};
pub use voices::{Voice, voices};

/// Topics the "where customers hurt" section lists (and the trend charts draw).
pub const TOP_TOPICS: usize = 5;
/// Detractor comments the "survey voices" section quotes.
pub const VOICES: usize = 3;

/// The top topics, each with its linked metric's change (the queries run side by side, so the
/// review waits at most one Prometheus timeout).
async fn with_metrics(
    prometheus: &crate::prometheus::Source,
    classifier: &Classifier,
    month: Month,
    topics: Vec<HurtTopic>,
) -> Vec<HurtTopic> {
    let changes = futures_util::future::join_all(topics.iter().map(|t| async {
        let linked = classifier.rules.topic(&t.slug).and_then(|r| r.metric.clone())?;
        Some(metric::fetch(prometheus, linked, month).await)
    }))
    .await;
    topics.into_iter().zip(changes).map(|(t, metric)| HurtTopic { metric, ..t }).collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// "2026-11".
    pub month: String,
    pub kpis: Kpis,
    pub headline: Headline,
    /// The headline figures month by month, this month last (the KPI chart).
    pub history: Vec<MonthFigures>,
    /// The month's top topics by ARR at risk.
    pub topics: Vec<HurtTopic>,
    /// The top topics' weekly counts over the quarter (the trend charts).
    pub trends: Vec<TopicTrend>,
    /// Tracker issues closed as done this month, with their impact so far.
    pub fixes: Vec<Fix>,
    /// Issues filed from packs and still open, with their age.
    pub open_issues: Vec<OpenIssue>,
    pub new_this_month: News,
    pub voices: Vec<Voice>,
    pub agenda: Vec<AgendaItem>,
    /// The tag definitions and the topics with items this month.
    pub glossary: Glossary,
    pub reproduce: Reproduce,
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
    /// SHA-256 (first 16 bytes, hex) of the JSON of every figure above.
    pub figures_hash: String,
    pub generated_at: DateTime<Utc>,
    pub command: String,
}

/// Where the review reads from: the store, the classifier (rules, topics' metrics) and the
/// Prometheus the topics' metrics are read from.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    pub store: &'a Store,
    pub classifier: &'a Classifier,
    pub prometheus: &'a crate::prometheus::Source,
}

/// The review of `month`, as of `now`; `impact_windows` are the trackers' (window days, settle
/// days) for the fixes' impact reports.
pub async fn gather(
    Sources { store, classifier, prometheus }: Sources<'_>,
    month: Month,
    impact_windows: (i64, i64),
    now: DateTime<Utc>,
) -> StoreResult<Review> {
    let (from, to) = month.window();
    let current = store.survey_responses(from, to).await?;
    let kpis = kpis(&current, &store.survey_responses(month.previous().start(), from).await?);
    let headline = headline::headline(store, month).await?;
    let history = headline::history(store, month).await?;
    let all_topics = topics::hurt_topics(store, classifier, month).await?;
    let agenda = agenda::agenda(&all_topics);
    let slugs: Vec<&str> = all_topics.iter().map(|t| t.slug.as_str()).collect();
    let glossary = glossary::month_glossary(&classifier.rules, &slugs);
    let topics = with_metrics(prometheus, classifier, month, all_topics.iter().take(TOP_TOPICS).cloned().collect()).await;
    let trends = topics::trends(store, month, &topics).await?;
    let fixes = fixes::fixes(store, classifier, (from, to), impact_windows, now).await?;
    let open_issues = fixes::open_issues(store, to, now).await?;
    let new_this_month = news::news(store, classifier, month).await?;
    let voices = voices(&current);
    let figures = serde_json::to_string(&(
        (&kpis, &headline, &history, &topics, &trends),
        (&fixes, &open_issues, &new_this_month, &voices, &agenda, &glossary),
    ))
    .unwrap_or_default();
    let reproduce = Reproduce {
        from,
        to,
        pushback_version: env!("CARGO_PKG_VERSION").to_string(),
        classifier_version: classifier.version(),
        figures_hash: hex::encode(&Sha256::digest(figures.as_bytes())[..16]),
        generated_at: now,
        command: format!("pushback review --month {month} --format json"),
    };
    Ok(Review {
        month: month.to_string(),
        kpis,
        headline,
        history,
        topics,
        trends,
        fixes,
        open_issues,
        new_this_month,
        voices,
        agenda,
        glossary,
        reproduce,
    })
}
