//! `/metrics` with `prometheus-client` (OpenMetrics text): HTTP requests and latency by route,
//! ingested items by source and outcome, and the product's own series a team graphs beside its
//! service metrics: stored feedback by source, kind and category, items by topic and category
//! (topics come from rules.toml, so the label set is bounded; accounts are never labels), churn
//! notes and their lost ARR by category, the Slack outbox, the pull connectors (items by source
//! and outcome, errors, lag), and the classifier's version.
//!
//! Counters live in memory: seeded once from the database at start (`seed_*`), moved by each
//! stored item (`stored`), so a scrape never reads the database for them.

use crate::domain::{Category, Classification, Kind};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// The `category` label of an item tagged with neither category.
pub const UNCATEGORISED: &str = "none";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteStatus {
    route: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Route {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SourceOutcome {
    source: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SourceKindCategory {
    source: String,
    kind: String,
    category: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TopicCategory {
    topic: String,
    category: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CategoryLabel {
    category: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SourceLabel {
    source: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Status {
    status: String,
}

type Latency = Family<Route, Histogram, fn() -> Histogram>;

#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RouteStatus, Counter>,
    latency: Latency,
    items: Family<SourceOutcome, Counter>,
    feedback: Family<SourceKindCategory, Counter>,
    topics: Family<TopicCategory, Counter>,
    churn_notes: Family<CategoryLabel, Counter>,
    lost_arr: Family<CategoryLabel, Counter<f64, AtomicU64>>,
    outbox: Family<Status, Gauge>,
    sync_items: Family<SourceOutcome, Counter>,
    sync_errors: Family<SourceLabel, Counter>,
    sync_lag: Family<SourceLabel, Gauge>,
    socket_connections: Gauge,
    socket_reconnects: Family<Reason, Counter>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Reason {
    reason: String,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new("unknown", "unknown")
    }
}

fn latency_histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

/// An item's `category` labels: each category it carries, or `none`.
pub fn category_labels(c: &Classification) -> Vec<&'static str> {
    let categories = c.categories();
    if categories.is_empty() { vec![UNCATEGORISED] } else { categories.into_iter().map(Category::as_str).collect() }
}

impl Metrics {
    /// The registry, with the classifier's model and rules versions as an info metric.
    pub fn new(model_version: &str, rules_version: &str) -> Self {
        let mut registry = Registry::default();
        let m = Self {
            requests: Family::default(),
            latency: Latency::new_with_constructor(latency_histogram),
            items: Family::default(),
            feedback: Family::default(),
            topics: Family::default(),
            churn_notes: Family::default(),
            lost_arr: Family::default(),
            outbox: Family::default(),
            sync_items: Family::default(),
            sync_errors: Family::default(),
            sync_lag: Family::default(),
            socket_connections: Gauge::default(),
            socket_reconnects: Family::default(),
            registry: Registry::default(),
        };
        m.register_socket(&mut registry);
        registry.register("pushback_http_requests", "HTTP requests by route and status", m.requests.clone());
        registry.register("pushback_http_request_duration_seconds", "Request latency by route", m.latency.clone());
        registry.register("pushback_ingested_items", "Feedback items by source and outcome", m.items.clone());
        registry.register(
            "pushback_feedback_items",
            "Stored feedback items by source, kind and category (an item with both categories counts in each; none: neither)",
            m.feedback.clone(),
        );
        registry.register("pushback_topic_items", "Stored feedback items by topic (rules.toml) and category", m.topics.clone());
        registry.register("pushback_churn_notes", "Churn notes (cancellations) by category", m.churn_notes.clone());
        registry.register(
            "pushback_churn_lost_arr_dollars",
            "ARR lost in churn notes by category, as the notes state it",
            m.lost_arr.clone(),
        );
        registry.register(
            "pushback_slack_outbox_messages",
            "Slack outbox messages waiting (pending, sending) and failed",
            m.outbox.clone(),
        );
        registry.register("pushback_sync_items", "Items pulled from vendors' APIs by source and outcome", m.sync_items.clone());
        registry.register("pushback_sync_errors", "Pull syncs that stopped on an error, by source", m.sync_errors.clone());
        registry.register(
            "pushback_sync_lag_seconds",
            "How far behind the vendor a pulled source is: seconds since the time up to which every change is stored",
            m.sync_lag.clone(),
        );
        let info = Info::new(vec![
            ("model_version".to_string(), model_version.to_string()),
            ("rules_version".to_string(), rules_version.to_string()),
        ]);
        registry.register("pushback_classifier", "The classifier's model and rules versions", info);
        Self { registry, ..m }
    }

    fn register_socket(&self, registry: &mut Registry) {
        registry.register(
            "pushback_slack_socket_connections",
            "Slack Socket Mode connections open on this replica (said hello, not closed)",
            self.socket_connections.clone(),
        );
        registry.register(
            "pushback_slack_socket_reconnects",
            "Slack Socket Mode connections replaced, by reason (refresh_requested, warning, too_many_websockets, ping_timeout, closed, error)",
            self.socket_reconnects.clone(),
        );
    }

    /// This replica's open Socket Mode connections.
    pub fn set_socket_connections(&self, n: usize) {
        self.socket_connections.set(i64::try_from(n).unwrap_or(i64::MAX));
    }

    /// A Socket Mode connection was replaced because of `reason`.
    pub fn socket_reconnect(&self, reason: &str) {
        self.socket_reconnects.get_or_create(&Reason { reason: reason.into() }).inc();
    }

    /// One HTTP request on `route` (e.g. `webhooks/zendesk`, `healthz`) answered `status`.
    pub fn request(&self, route: &str, status: u16, elapsed: Duration) {
        self.requests.get_or_create(&RouteStatus { route: route.to_string(), status: status.to_string() }).inc();
        self.latency.get_or_create(&Route { route: route.to_string() }).observe(elapsed.as_secs_f64());
    }

    /// `n` items from `source` ended as `outcome` (inserted, updated, unchanged, rejected, ignored).
    pub fn items(&self, source: &str, outcome: &str, n: u64) {
        self.items.get_or_create(&SourceOutcome { source: source.to_string(), outcome: outcome.to_string() }).inc_by(n);
    }

    /// `n` stored items of `source` and `kind` carrying `categories` (`none` for neither), with
    /// `lost_arr_cents` stated by those that are churn notes.
    pub fn add_feedback(&self, source: &str, kind: &str, categories: &[&str], n: u64, lost_arr_cents: i64) {
        for category in categories {
            self.feedback
                .get_or_create(&SourceKindCategory { source: source.into(), kind: kind.into(), category: (*category).into() })
                .inc_by(n);
            if kind == Kind::ChurnNote.as_str() {
                let label = CategoryLabel { category: (*category).into() };
                self.churn_notes.get_or_create(&label).inc_by(n);
                self.lost_arr.get_or_create(&label).inc_by(lost_arr_cents as f64 / 100.0);
            }
        }
    }

    /// `n` stored items on `topic` carrying `categories`.
    pub fn add_topic(&self, topic: &str, categories: &[&str], n: u64) {
        for category in categories {
            self.topics.get_or_create(&TopicCategory { topic: topic.into(), category: (*category).into() }).inc_by(n);
        }
    }

    /// A newly stored item.
    pub fn stored(&self, source: &str, kind: Kind, classification: &Classification, lost_arr_cents: Option<i64>) {
        let categories = category_labels(classification);
        self.add_feedback(source, kind.as_str(), &categories, 1, lost_arr_cents.unwrap_or(0));
        for topic in &classification.topics {
            self.add_topic(topic, &categories, 1);
        }
    }

    /// The Slack outbox right now: messages per status (pending, sending, failed).
    pub fn set_outbox(&self, status: &str, n: i64) {
        self.outbox.get_or_create(&Status { status: status.into() }).set(n);
    }

    /// `n` items pulled from `source` ended as `outcome` (inserted, updated, unchanged).
    pub fn sync_items(&self, source: &str, outcome: &str, n: u64) {
        self.sync_items.get_or_create(&SourceOutcome { source: source.into(), outcome: outcome.into() }).inc_by(n);
    }

    /// A sync of `source` stopped on an error.
    pub fn sync_error(&self, source: &str) {
        self.sync_errors.get_or_create(&SourceLabel { source: source.into() }).inc();
    }

    /// `source` is `seconds` behind the vendor.
    pub fn sync_lag(&self, source: &str, seconds: i64) {
        self.sync_lag.get_or_create(&SourceLabel { source: source.into() }).set(seconds.max(0));
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// OpenMetrics text, for scrapers that ask for it (Prometheus does, in `Accept`).
pub const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
/// The classic Prometheus text format, for everything else (curl, `promtool check metrics`).
pub const TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The exposition and its content type for a request with `accept`.
pub fn negotiate(metrics: &Metrics, accept: Option<&str>) -> (&'static str, String) {
    let om = metrics.render();
    if accept.is_some_and(|a| a.contains("application/openmetrics-text")) { (OPENMETRICS, om) } else { (TEXT, to_text_format(&om)) }
}

/// OpenMetrics text as the classic format: a counter's HELP and TYPE name its `_total`
/// samples, an info metric is a gauge named `_info`, and there is no `# EOF` or `# UNIT`.
pub fn to_text_format(openmetrics: &str) -> String {
    let mut renamed = std::collections::HashMap::new();
    for line in openmetrics.lines() {
        let mut parts = line.splitn(4, ' ');
        if let (Some("#"), Some("TYPE"), Some(name), Some(kind)) = (parts.next(), parts.next(), parts.next(), parts.next()) {
            match kind {
                "counter" => renamed.insert(name.to_string(), (format!("{name}_total"), kind)),
                "info" => renamed.insert(name.to_string(), (format!("{name}_info"), "gauge")),
                _ => None,
            };
        }
    }
    let mut out = String::with_capacity(openmetrics.len());
    for line in openmetrics.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        let mut parts = line.splitn(4, ' ');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("#"), Some(what @ ("HELP" | "TYPE")), Some(name), rest) if renamed.contains_key(name) => {
                let (new_name, kind) = &renamed[name];
                let rest = if what == "TYPE" { kind } else { rest.unwrap_or("") };
                out.push_str(&format!("# {what} {new_name} {rest}\n"));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.request("webhooks/generic", 202, Duration::from_millis(3));
        m.request("webhooks/generic", 401, Duration::from_millis(30));
        m.items("generic", "inserted", 2);
        let text = m.render();
        assert!(text.contains("pushback_http_requests_total{route=\"webhooks/generic\",status=\"202\"} 1"), "{text}");
        assert!(text.contains("pushback_ingested_items_total{source=\"generic\",outcome=\"inserted\"} 2"));
        assert!(text.contains("_bucket{le=\"0.005\",route=\"webhooks/generic\"} 1"), "{text}");
        assert!(text.contains("_bucket{le=\"0.05\",route=\"webhooks/generic\"} 2"));
        assert!(text.contains("_count{route=\"webhooks/generic\"} 2"));
        assert!(text.ends_with("# EOF\n"));
        let classic = to_text_format(&text);
        assert!(classic.contains("# HELP pushback_http_requests_total HTTP requests by route and status.\n"), "{classic}");
        assert!(classic.contains("# TYPE pushback_http_requests_total counter\n"));
        assert!(classic.contains("# TYPE pushback_http_request_duration_seconds histogram\n"));
        assert!(classic.contains("# TYPE pushback_classifier_info gauge\n"));
        assert!(!classic.contains("# EOF"));
    }

    #[test]
    fn topics_categories_churn_and_the_classifier_version_are_series() {
        let m = Metrics::new("m-abc", "r-123");
        m.add_feedback("stripe", "churn_note", &["performance"], 2, 150_000);
        let c = Classification { performance: true, reliability: true, topics: vec!["checkout-slow".into()], ..Default::default() };
        m.stored("generic", Kind::Ticket, &c, None);
        m.stored("generic", Kind::Ticket, &Classification::default(), None);
        m.set_outbox("failed", 3);
        m.sync_items("zendesk", "inserted", 4);
        m.sync_error("intercom");
        m.sync_lag("zendesk", 75);
        let text = m.render();
        for line in [
            "pushback_feedback_items_total{source=\"stripe\",kind=\"churn_note\",category=\"performance\"} 2",
            "pushback_feedback_items_total{source=\"generic\",kind=\"ticket\",category=\"reliability\"} 1",
            "pushback_feedback_items_total{source=\"generic\",kind=\"ticket\",category=\"none\"} 1",
            "pushback_topic_items_total{topic=\"checkout-slow\",category=\"performance\"} 1",
            "pushback_churn_notes_total{category=\"performance\"} 2",
            "pushback_churn_lost_arr_dollars_total{category=\"performance\"} 1500.0",
            "pushback_slack_outbox_messages{status=\"failed\"} 3",
            "pushback_classifier_info{model_version=\"m-abc\",rules_version=\"r-123\"} 1",
            "pushback_sync_items_total{source=\"zendesk\",outcome=\"inserted\"} 4",
            "pushback_sync_errors_total{source=\"intercom\"} 1",
            "pushback_sync_lag_seconds{source=\"zendesk\"} 75",
        ] {
            assert!(text.contains(line), "missing {line} in\n{text}");
        }
    }
}
