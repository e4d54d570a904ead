//! The wiring every request handler and command needs: `AppState` (the open store, the
//! group-commit writer, the classifier, settings and metrics), and the functions that open the
//! configured database and load the classifier. Below the HTTP layer and the CLI, above the
//! evidence, digest, store and classifier modules it hands out.

pub mod retrain;
pub mod socket_health;
pub mod sync_status;

use crate::classify::model::Model;
use crate::classify::rules::Rules;
use crate::classify::stored_topics::NewTopicError;
use crate::classify::{Classifier, seed};
use crate::config::{Settings, redact_url};
use crate::domain::StoredTopic;
use crate::metrics::Metrics;
use crate::store::{Store, Writer};
use anyhow::Context;
use std::sync::Arc;

/// The classifier a running server uses: replaced whole when another model becomes active or a
/// topic is stored (by this replica or another), so one request sees one model and one rule set.
#[derive(Clone, Debug)]
pub struct LiveClassifier(Arc<std::sync::RwLock<Classifier>>);

impl LiveClassifier {
    pub fn new(classifier: Classifier) -> Self {
        Self(Arc::new(std::sync::RwLock::new(classifier)))
    }

    /// The classifier now (a cheap clone of two `Arc`s).
    pub fn get(&self) -> Classifier {
        self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    pub fn replace(&self, classifier: Classifier) {
        *self.0.write().unwrap_or_else(std::sync::PoisonError::into_inner) = classifier;
    }
}

/// How far back a topic made in Slack is given to the stored items it matches (the longest
/// `/evidence` window).
pub const BACKFILL_DAYS: i64 = 365;

/// A topic just stored: how many stored items now carry it, of how many looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adopted {
    pub slug: String,
    pub items: u64,
    pub scanned: u64,
}

/// Shared by every handler.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub writer: Writer,
    /// Read it with `classifier()`; `reload_classifier` swaps it.
    pub live: LiveClassifier,
    pub settings: Arc<Settings>,
    pub metrics: Arc<Metrics>,
    /// Where packs read a topic's service metric (none when `prometheus.url` is unset).
    pub prometheus: crate::prometheus::Source,
    /// Rung when messages were queued, so this replica's outbox delivery posts them at once
    /// instead of at its next poll.
    pub outbox_wake: Arc<tokio::sync::Notify>,
    /// This replica's Socket Mode connections, for `/readyz` (`off` without an app token).
    pub socket: Arc<socket_health::SocketHealth>,
    /// When the schedulers (weekly digest, monthly review) are: the system clock, or a fixed
    /// instant in tests.
    pub clock: crate::domain::Clock,
}

impl AppState {
    /// The classifier now: the active model and the rules with every stored topic.
    pub fn classifier(&self) -> Classifier {
        self.live.get()
    }

    /// Loads the classifier again (the database's active model, the rules and stored topics) and
    /// swaps it in when its version changed. Returns the new version when it did.
    pub async fn reload_classifier(&self) -> anyhow::Result<Option<String>> {
        let fresh = load_classifier(&self.settings, &self.store).await?;
        let before = self.classifier().version();
        if fresh.version() == before {
            return Ok(None);
        }
        let version = fresh.version();
        self.live.replace(fresh);
        tracing::info!(from = %before, to = %version, "classifier reloaded");
        Ok(Some(version))
    }

    /// Stores a topic made in Slack (refused, with the reason, when its slug is taken or a pattern
    /// is bad), gives it to the stored items of the last `BACKFILL_DAYS` it matches, so
    /// `/evidence <slug>` answers at once, counts them in `/metrics`, and swaps in the classifier
    /// that has it. Other replicas pick it up at their next `classifier.reload_secs` check.
    pub async fn store_topic(&self, topic: StoredTopic) -> anyhow::Result<Result<Adopted, NewTopicError>> {
        let rules = self.classifier().rules;
        if let Err(e) = rules.check_new_topic(&topic) {
            return Ok(Err(e));
        }
        if !self.store.insert_stored_topic(&topic).await? {
            // Stored a moment ago (another replica, a second click): say by whom.
            let stored = self.store.stored_topics().await?;
            let other = stored.iter().find(|t| t.slug == topic.slug);
            let (by, on) = other
                .map_or_else(|| (String::new(), String::new()), |t| (t.created_by.clone(), t.created_at.format("%-d %b %Y").to_string()));
            return Ok(Err(NewTopicError::Stored { slug: topic.slug, by, on }));
        }
        let (merged, _) = rules.with_stored(std::slice::from_ref(&topic));
        let compiled = merged.topic(&topic.slug).context("a checked topic compiles")?;
        let since = chrono::Utc::now() - chrono::Duration::days(BACKFILL_DAYS);
        let (mut after, mut scanned, mut given) = (0, 0, 0);
        loop {
            let page = self.store.scan_page(after, since, 5_000).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            scanned += page.len() as u64;
            let hits: Vec<&crate::store::ScanRow> = page
                .iter()
                .filter(|r| {
                    let text = if r.subject.is_empty() { r.body.clone() } else { format!("{}\n{}", r.subject, r.body) };
                    compiled.claims(&text, r.performance, r.reliability)
                })
                .collect();
            given += self.store.add_topic_to_items(&topic.slug, &hits.iter().map(|r| (r.id, r.created_at)).collect::<Vec<_>>()).await?;
            for r in hits {
                let c = crate::domain::Classification { performance: r.performance, reliability: r.reliability, ..Default::default() };
                self.metrics.add_topic(&topic.slug, &crate::metrics::category_labels(&c), 1);
            }
        }
        self.reload_classifier().await?;
        tracing::info!(topic = %topic.slug, by = %topic.created_by, items = given, "topic stored");
        Ok(Ok(Adopted { slug: topic.slug, items: given, scanned }))
    }

    /// State over an open store; also returns the writer task, which ends once every clone of
    /// the state is dropped.
    pub fn new(store: Store, classifier: Classifier, settings: Settings) -> (Self, tokio::task::JoinHandle<()>) {
        let (writer, writer_task) = Writer::spawn(store.clone(), settings.ingest.max_batch);
        let prometheus = crate::prometheus::Source::new(&settings.prometheus).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "packs will show no Prometheus metric");
            crate::prometheus::Source::default()
        });
        let metrics = Arc::new(Metrics::new(&classifier.model.version, &classifier.rules.version));
        let outbox_wake = Arc::new(tokio::sync::Notify::new());
        let live = LiveClassifier::new(classifier);
        let socket = Arc::default();
        let clock = crate::domain::Clock::system();
        (Self { store, writer, live, settings: Arc::new(settings), metrics, prometheus, outbox_wake, socket, clock }, writer_task)
    }

    /// Seeds the `/metrics` counters of stored feedback from the database (once, at start):
    /// by source, kind and category, and by topic and category for the topics rules.toml defines.
    pub async fn seed_metrics(&self) -> anyhow::Result<()> {
        let (feedback, topics) = tokio::try_join!(self.store.feedback_tallies(), self.store.topic_tallies())?;
        let labels = |performance: bool, reliability: bool| {
            crate::metrics::category_labels(&crate::domain::Classification { performance, reliability, ..Default::default() })
        };
        for t in feedback {
            self.metrics.add_feedback(&t.source, &t.kind, &labels(t.performance, t.reliability), t.items as u64, t.lost_arr_cents);
        }
        let rules = self.classifier().rules;
        for t in topics.iter().filter(|t| rules.topic(&t.topic).is_some()) {
            self.metrics.add_topic(&t.topic, &labels(t.performance, t.reliability), t.items as u64);
        }
        self.refresh_outbox_gauge().await?;
        Ok(())
    }

    /// Sets the `/metrics` gauge of the Slack outbox (messages pending, sending, failed) from the
    /// database. `run_outbox_gauge` calls it every few seconds, so a scrape reads memory only.
    pub async fn refresh_outbox_gauge(&self) -> anyhow::Result<()> {
        let depth = self.store.outbox_depth().await?;
        for status in ["pending", "sending", "failed"] {
            self.metrics.set_outbox(status, depth.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n));
        }
        Ok(())
    }
}

/// Opens the configured database and applies migrations, with errors that say what to set.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    let url = &settings.database.url;
    let store = Store::connect(url, settings.database.max_connections)
        .await
        .with_context(|| format!("cannot open database {}; check PUSHBACK_DATABASE__URL", redact_url(url)))?;
    store.migrate().await.with_context(|| format!("cannot migrate database {}", redact_url(url)))?;
    Ok(store)
}

/// Rules from `classifier.rules_path` (the built-in copy when the default path is absent) with the
/// stored topics, and
/// the model from `classifier.model_path`, else the database's active model, else the shipped one.
pub async fn load_classifier(settings: &Settings, store: &Store) -> anyhow::Result<Classifier> {
    let rules = with_stored_topics(load_rules(settings)?, store).await?;
    let model = if let Some(path) = &settings.classifier.model_path {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read model file {} (classifier.model_path)", path.display()))?;
        Model::from_json(&text).with_context(|| format!("model file {} is not a pushback model", path.display()))?
    } else if let Some(stored) = store.active_model().await? {
        Model::from_json(&stored.model).with_context(|| format!("stored model {} is unreadable", stored.version))?
    } else {
        seed::default_model()
    };
    tracing::debug!(model = %model.version, rules = %rules.version, "classifier loaded");
    Ok(Classifier::new(model, rules))
}

/// `rules` with the topics stored in the database (made from emerging clusters). A stored topic
/// that cannot join (rules.toml now defines its slug) is logged and left out.
pub async fn with_stored_topics(rules: Rules, store: &Store) -> anyhow::Result<Rules> {
    let stored = store.stored_topics().await.context("cannot read the stored topics")?;
    let (merged, skipped) = rules.with_stored(&stored);
    for s in skipped {
        tracing::warn!(topic = %s.slug, reason = %s.reason, "stored topic left out");
    }
    Ok(merged)
}

pub fn load_rules(settings: &Settings) -> anyhow::Result<Rules> {
    let path = &settings.classifier.rules_path;
    if !path.exists() && path == std::path::Path::new("config/rules.toml") {
        return Ok(Rules::parse(seed::DEFAULT_RULES_TOML, "built-in config/rules.toml")?);
    }
    Ok(Rules::load(path)?)
}

/// The classifier without a database (shipped or file model): for `classify` and `eval`.
pub fn offline_classifier(settings: &Settings) -> anyhow::Result<Classifier> {
    let rules = load_rules(settings)?;
    let model = match &settings.classifier.model_path {
        Some(path) => Model::from_json(&std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?)?,
        None => seed::default_model(),
    };
    Ok(Classifier::new(model, rules))
}

/// Runs `job` every `every` (first one period after start) until `stop` turns true; a failed
/// run is logged as `failed` and tried again next time.
async fn run_every<F, Fut>(every: std::time::Duration, mut stop: tokio::sync::watch::Receiver<bool>, failed: &str, mut job: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        if let Err(e) = job().await {
            tracing::warn!(error = format!("{e:#}"), "{failed}");
        }
    }
}

/// Keeps a server's classifier current: another replica, `pushback train --activate` or a topic
/// made from Slack may change the active model or the stored topics. Checks every `every`
/// until `stop` turns true; a failed check is logged and tried again next time.
pub async fn run_classifier_reload(state: AppState, every: std::time::Duration, stop: tokio::sync::watch::Receiver<bool>) {
    let state = &state;
    run_every(every, stop, "cannot check for a new classifier; keeping the current one", || async move {
        state.reload_classifier().await.map(drop)
    })
    .await;
}

/// Keeps `/metrics`' Slack outbox gauge current (a scrape then reads memory only).
pub async fn run_outbox_gauge(state: AppState, every: std::time::Duration, stop: tokio::sync::watch::Receiver<bool>) {
    let state = &state;
    run_every(every, stop, "cannot read the Slack outbox depth for /metrics; keeping the last value", || state.refresh_outbox_gauge())
        .await;
}
