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
