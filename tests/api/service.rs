//! Health, readiness and metrics.

use crate::helpers::{fixture, spawn_app};
use pushback::domain::Source;

#[tokio::test]
async fn health_and_readiness_answer_200_with_a_database() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    let json: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(json["status"], "ready");
}

#[tokio::test]
async fn metrics_count_requests_and_items_by_source_and_outcome() {
    let app = spawn_app().await;
    app.post_webhook(Source::Generic, fixture(Source::Generic)).await;
    app.post_webhook(Source::Generic, fixture(Source::Generic)).await;
    app.post_raw("generic", "{}", &[]).await;
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(text.contains(r#"pushback_http_requests_total{route="webhooks/generic",status="202"} 2"#), "{text}");
    assert!(text.contains(r#"pushback_http_requests_total{route="webhooks/generic",status="401"} 1"#), "{text}");
    assert!(text.contains(r#"pushback_ingested_items_total{source="generic",outcome="inserted"} 1"#), "{text}");
    assert!(text.contains(r#"pushback_ingested_items_total{source="generic",outcome="unchanged"} 1"#), "{text}");
    assert!(text.contains("pushback_http_request_duration_seconds_bucket"), "{text}");
}

#[tokio::test]
async fn responses_carry_a_request_id() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert!(response.headers().get("x-request-id").is_some());
}

/// The value of the sample `name{labels}` in an exposition, 0 when absent.
fn sample(text: &str, series: &str) -> f64 {
    text.lines().find_map(|l| l.strip_prefix(series).and_then(|rest| rest.trim().parse().ok())).unwrap_or(0.0)
}

#[tokio::test]
async fn topic_and_category_counters_move_with_each_stored_webhook_item() {
    let app = spawn_app().await;
    let topic = r#"pushback_topic_items_total{topic="checkout-slow",category="performance"}"#;
    let feedback = r#"pushback_feedback_items_total{source="generic",kind="ticket",category="performance"}"#;
    let churn = r#"pushback_churn_lost_arr_dollars_total{category="performance"}"#;
    let before = app.get("/metrics").await.text().await.unwrap();
    assert_eq!((sample(&before, topic), sample(&before, feedback)), (0.0, 0.0), "{before}");
    let now = chrono::Utc::now().to_rfc3339();
    let body = serde_json::json!([
        {"id": "m1", "kind": "ticket", "body": "Checkout is painfully slow, 30 second waits to pay", "created_at": now},
        {"id": "m2", "kind": "churn_note", "body": "Cancelling: checkout is far too slow for our shop", "created_at": now},
        {"id": "m3", "kind": "ticket", "body": "Please add dark mode", "created_at": now},
    ]);
    let response = app.post_webhook(Source::Generic, &body.to_string()).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    let response = app.get("/metrics").await;
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let after = response.text().await.unwrap();
    assert_eq!(sample(&after, topic), 2.0, "{after}");
    assert_eq!(sample(&after, feedback), 1.0, "{after}");
    assert_eq!(sample(&after, r#"pushback_feedback_items_total{source="generic",kind="ticket",category="none"}"#), 1.0, "{after}");
    assert_eq!(sample(&after, r#"pushback_churn_notes_total{category="performance"}"#), 1.0, "{after}");
    assert!(after.contains(churn), "the generic format states no lost ARR, but the series is there: {after}");
    assert!(after.contains("pushback_classifier_info{model_version="), "{after}");
    assert!(after.contains(r#"pushback_slack_outbox_messages{status="failed"} 0"#), "{after}");
    // The same delivery again stores nothing new, and the counters stay.
    app.post_webhook(Source::Generic, &body.to_string()).await;
    let again = app.get("/metrics").await.text().await.unwrap();
    assert_eq!(sample(&again, topic), 2.0);
    // Prometheus asks for OpenMetrics and gets it.
    let om = app
        .client
        .get(format!("{}/metrics", app.address))
        .header("accept", "application/openmetrics-text; version=1.0.0")
        .send()
        .await
        .unwrap();
    assert!(om.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
    assert!(om.text().await.unwrap().ends_with("# EOF\n"));
    // CI runs `promtool check metrics` on this exposition.
    if let Ok(path) = std::env::var("PUSHBACK_TEST_METRICS_OUT") {
        std::fs::write(path, &again).unwrap();
    }
}

#[tokio::test]
async fn counters_are_seeded_from_the_database_at_start() {
    let app = spawn_app().await;
    let now = chrono::Utc::now().to_rfc3339();
    let body =
        serde_json::json!([{"id": "s1", "kind": "ticket", "body": "Checkout is painfully slow, 30 second waits", "created_at": now}]);
    assert_eq!(app.post_webhook(Source::Generic, &body.to_string()).await.status(), 202);
    // A second server on the same database, as after a restart.
    let state = pushback::app::AppState::new(
        app.store.clone(),
        pushback::app::load_classifier(&app.settings, &app.store).await.unwrap(),
        app.settings.clone(),
    )
    .0;
    state.seed_metrics().await.unwrap();
    let text = state.metrics.render();
    assert_eq!(sample(&text, r#"pushback_topic_items_total{topic="checkout-slow",category="performance"}"#), 1.0, "{text}");
}

/// Every metric name the shipped Grafana dashboard queries, from its PromQL.
fn dashboard_metrics() -> std::collections::BTreeSet<String> {
    let dashboard: serde_json::Value =
        serde_json::from_str(include_str!("../../deploy/grafana/pushback.json")).expect("the dashboard is JSON");
    let names = regex::Regex::new(r"\bpushback_[a-z_]+").unwrap();
    let panels = dashboard["panels"].as_array().expect("panels");
    assert!(!panels.is_empty());
    panels
        .iter()
        .flat_map(|p| p["targets"].as_array().expect("targets").iter())
        .flat_map(|t| names.find_iter(t["expr"].as_str().expect("expr")).map(|m| m.as_str().to_string()).collect::<Vec<_>>())
        .collect()
}

#[tokio::test]
async fn the_grafana_dashboard_queries_only_metrics_that_metrics_exports() {
    let app = spawn_app().await;
    let now = chrono::Utc::now().to_rfc3339();
    let body = serde_json::json!([
        {"id": "g1", "kind": "ticket", "body": "Checkout is painfully slow", "created_at": now},
        {"id": "g2", "kind": "churn_note", "body": "Cancelling: checkout is far too slow", "created_at": now},
    ]);
    assert_eq!(app.post_webhook(Source::Generic, &body.to_string()).await.status(), 202);
    let text = app.get("/metrics").await.text().await.unwrap();
    let exported: std::collections::BTreeSet<&str> =
        text.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.split(['{', ' ']).next()).collect();
    let wanted = dashboard_metrics();
    assert!(wanted.len() >= 7, "{wanted:?}");
    for name in &wanted {
        assert!(exported.contains(name.as_str()), "the dashboard queries {name}, which /metrics does not export: {exported:?}");
    }
}
