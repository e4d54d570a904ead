//! Evidence packs: "checkout is slow and it costs us", with the numbers to back it.
//!
//! The path: `selector::resolve` turns what the user typed into a `Selector` (a topic from
//! rules.toml, or a full-text search), `Store::evidence_rows` reads the matching items and
//! totals (the only I/O here), `pack::build` computes everything as a pure function, and
//! `render` writes it as Markdown, CSV, JSON or a PNG chart (the Slack message is `slack`'s).

pub mod metric;
pub mod pack;
pub mod quotes;
pub mod render;
pub mod selector;
pub mod summary;

use crate::classify::Classifier;
use crate::classify::quality::{describe_precision, display_name};
use crate::classify::rules::TopicMetric;
use crate::domain::Category;
use crate::domain::Selector;
pub use crate::domain::Window;
use crate::prometheus::Source;
use crate::store::{EvidenceRows, Store, StoreResult, TagAgreement};
use chrono::{DateTime, Utc};
use metric::MetricInput;
pub use pack::EvidencePack;
use pack::{PackInput, TeamPrecision};
use serde::Serialize;
use std::collections::BTreeMap;

/// What was asked: a topic (any slug) over a window.
#[derive(Debug, Clone)]
pub struct Request {
    pub topic: String,
    pub window: Window,
    pub quotes: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Answer {
    Pack(Box<EvidencePack>),
    /// Nothing matched: never a bare error, always the closest known topics by volume.
    NoMatch {
        topic: String,
        window: Window,
        suggestions: Vec<Suggestion>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub slug: String,
    pub title: String,
    /// The topic's items in the requested window.
    pub items: i64,
}

pub const DEFAULT_QUOTES: usize = 5;

impl Request {
    /// `topic` over the last `days` whole UTC days, with the default number of quotes.
    pub fn last_days(topic: &str, days: i64, now: DateTime<Utc>) -> Self {
        Self { topic: topic.to_string(), window: Window::last_days(days, now), quotes: DEFAULT_QUOTES }
    }
}

/// Resolves, gathers and builds: the whole answer to `/evidence <topic>`. A topic from
/// rules.toml is counted from the rollups (`summary::of_rollups`: its items are not read, only
/// its quotes); a free-text search reads its items. A topic with a `metric` asks `prometheus`
/// for it while the database is read, so the answer takes as long as the slower of the two (the
/// metric's timeout is 2 s by default).
pub async fn answer(
    store: &Store,
    classifier: &Classifier,
    prometheus: &Source,
    request: &Request,
    now: DateTime<Utc>,
) -> StoreResult<Answer> {
    answer_from(store, classifier, prometheus, request, now, false).await
}

/// `answer` built from every item of the pack, with its rows: what the CSV needs.
pub async fn answer_with_rows(
    store: &Store,
    classifier: &Classifier,
    prometheus: &Source,
    request: &Request,
    now: DateTime<Utc>,
) -> StoreResult<Answer> {
    answer_from(store, classifier, prometheus, request, now, true).await
}

async fn answer_from(
    store: &Store,
    classifier: &Classifier,
    prometheus: &Source,
    request: &Request,
    now: DateTime<Utc>,
    with_rows: bool,
) -> StoreResult<Answer> {
    let window = request.window;
    let Some(selector) = selector::resolve(&request.topic, &classifier.rules) else {
        return no_match(store, classifier, request).await;
    };
    let (linked, rollup_topic) = match &selector {
        Selector::Defined { slug, .. } => (classifier.rules.topic(slug).and_then(|t| t.metric.clone()), (!with_rows).then(|| slug.clone())),
        Selector::Search { .. } => (None, None),
    };
    let from_rollups = rollup_topic.is_some();
    let rows = async {
        match from_rollups {
            true => store.evidence_counts(&selector, window).await,
            false => store.evidence_rows(&selector, window).await,
        }
    };
    let (rows, metric, agreement) = tokio::join!(rows, fetch_metric(prometheus, linked, window), store.correction_agreement());
    let EvidenceRows { items, previous_count, total_current, total_previous } = rows?;
    if items.is_empty() && previous_count == 0 && matches!(selector, Selector::Search { .. }) {
        return no_match(store, classifier, request).await;
    }
    let (precision, precision_text, precision_measured_on) = held_out_precision(classifier);
    let input = PackInput {
        selector,
        window,
        items,
        previous_count: previous_count as u64,
        total_current: total_current as u64,
        total_previous: total_previous as u64,
        model_version: classifier.model.version.clone(),
        rules_version: classifier.rules.version.clone(),
        precision,
        precision_text,
        precision_measured_on,
        team_precision: team_precision(&agreement?),
        generated_at: now,
        quotes: request.quotes,
        thresholds: (f64::from(classifier.model.performance.threshold), f64::from(classifier.model.reliability.threshold)),
        metric,
    };
    let Some(topic) = rollup_topic else { return Ok(Answer::Pack(Box::new(pack::build(input)))) };
    let (category, want) = (pack::selector_category(&input.selector), input.quotes.clamp(3, 8));
    let summary = summary::of_rollups(store, &topic, window, category, input.thresholds, want, input.metric.is_some()).await?;
    Ok(Answer::Pack(Box::new(pack::assemble(input, summary))))
}

/// The precision a pack quotes, measured on real feedback the model never trained on (each
/// public set scored by a model trained without it), in figures and words, and what it was
/// measured on. A model without such a measurement (trained by hand on other data) quotes none
/// rather than its own cross-validation. Never one pooled figure: per set, the lowest first (a
/// pooled one hides where it does worst).
fn held_out_precision(classifier: &Classifier) -> (BTreeMap<Category, f64>, BTreeMap<Category, String>, Option<String>) {
    let held_out = classifier.held_out_quality();
    let precision: BTreeMap<Category, f64> =
        held_out.map(|q| Category::ALL.into_iter().filter_map(|c| q.lowest_precision(c).map(|p| (c, p))).collect()).unwrap_or_default();
    let precision_text: BTreeMap<Category, String> =
        held_out.map(|q| Category::ALL.into_iter().map(|c| (c, describe_precision(q, c))).collect()).unwrap_or_default();
    let measured_on = held_out.map(|q| {
        let names: Vec<&str> = q.data_sets().into_iter().map(display_name).collect();
        format!(
            "{} real reviews in {} sets the model had not seen ({})",
            crate::text::thousands(q.rows() as u64),
            names.len(),
            names.join(", ")
        )
    });
    (precision, precision_text, measured_on)
}

/// How far tags can be trusted, in words, for both tags: the workspace's own precision first
/// (where its people checked enough items), then the held-out precision per set, lowest first.
/// The digest's footer.
pub async fn precision_sentences(store: &Store, classifier: &Classifier) -> StoreResult<Vec<String>> {
    let team = team_precision(&store.correction_agreement().await?);
    let mut lines: Vec<String> = team.iter().map(|(c, t)| t.describe(c.as_str())).collect();
    if let Some(q) = classifier.held_out_quality() {
        lines.extend(Category::ALL.into_iter().map(|c| describe_precision(q, c)));
    }
    Ok(lines)
}

/// The precision per category on the workspace's corrections, where there are enough of them.
fn team_precision(agreement: &[TagAgreement; 2]) -> BTreeMap<Category, TeamPrecision> {
    Category::ALL
        .into_iter()
        .zip(agreement)
        .filter_map(|(c, a)| TeamPrecision::measured(a.tagged.max(0) as u64, a.right.max(0) as u64).map(|t| (c, t)))
        .collect()
}

/// The linked metric over the previous and the current window, or why it is missing.
async fn fetch_metric(prometheus: &Source, linked: Option<TopicMetric>, window: Window) -> Option<MetricInput> {
    let TopicMetric { query, label } = linked?;
    let (from, days) = metric::fetch_range(window);
    let series = prometheus.daily(&query, from, days).await;
    if let Err(reason) = &series {
        tracing::warn!(%label, %reason, "evidence pack without its metric");
    }
    Some(MetricInput { label, query, series })
}

async fn no_match(store: &Store, classifier: &Classifier, request: &Request) -> StoreResult<Answer> {
    let volume = store.topic_counts(request.window.from, request.window.to).await?;
    let suggestions = selector::suggestions(&request.topic, &classifier.rules, &volume, 5)
        .into_iter()
        .map(|(slug, title, items)| Suggestion { slug, title, items })
        .collect();
    Ok(Answer::NoMatch { topic: request.topic.trim().to_string(), window: request.window, suggestions })
}
