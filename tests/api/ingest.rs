//! A signed webhook goes in and is stored exactly once, with the right fields; anything
//! unauthenticated or malformed is refused and stores nothing.

use crate::helpers::{expect_error, fixture, now, signed_headers, spawn_app, spawn_app_with};
use pushback::domain::{Kind, Source};
use serde_json::Value;

#[tokio::test]
async fn every_source_stores_a_correctly_signed_realistic_payload_with_its_fields() {
    let app = spawn_app().await;
    for source in Source::WEBHOOK {
        let response = app.post_webhook(source, fixture(source)).await;
        assert_eq!(response.status(), 202, "{source}: {}", response.text().await.unwrap());
    }
    assert_eq!(app.count().await, 7);

    let zd = app.store.item_by_external(Source::Zendesk, "35436").await.unwrap().expect("zendesk item");
    assert_eq!(zd.subject, "Checkout extremely slow since Monday");
    assert!(zd.body.starts_with("Hi team,\nSince Monday the checkout page takes 30-40 seconds"), "{}", zd.body);
    assert_eq!(zd.url.as_deref(), Some("https://acme.zendesk.com/agent/tickets/35436"));
    assert_eq!(zd.account_id.as_deref(), Some("9001"));
    assert_eq!(zd.tags, vec!["checkout", "vip"]);
    assert_eq!(zd.created_at.to_rfc3339(), "2026-11-02T10:00:00+00:00");

    let ic = app.store.item_by_external(Source::Intercom, "147").await.unwrap().expect("intercom item");
    assert_eq!(ic.account_id.as_deref(), Some("globex"));
    assert_eq!(ic.url.as_deref(), Some("https://app.intercom.com/a/apps/a86dr8yl/inbox/inbox/conversation/147"));
    assert!(ic.body.contains("blank page and an error 500"));

    let hs = app.store.item_by_external(Source::Helpscout, "123").await.unwrap().expect("helpscout item");
    assert_eq!(hs.subject, "Search times out");
    assert_eq!(hs.url.as_deref(), Some("https://secure.helpscout.net/conversation/123/15473"));

    let st = app.store.item_by_external(Source::Stripe, "sub_1MoGGtLkdIwHu7ixk5CfdiqC").await.unwrap().expect("stripe item");
    assert_eq!(st.kind, Kind::ChurnNote);
    assert_eq!(st.account_id.as_deref(), Some("cus_NffrFeUfNV2Hib"));
    assert_eq!(st.lost_arr_cents, Some(49_900 * 2 * 12));
    assert!(st.body.contains("Checkout kept timing out"));

    let fd = app.store.item_by_external(Source::Freshdesk, "881").await.unwrap().expect("freshdesk item");
    assert_eq!(fd.account_name.as_deref(), Some("Umbrella Corp"));
    assert_eq!(fd.tags, vec!["mobile", "ios"]);

    let gen_item = app.store.item_by_external(Source::Generic, "T-1042").await.unwrap().expect("generic item");
    assert_eq!(gen_item.account_id.as_deref(), Some("acme"));
    let tf = app.store.item_by_external(Source::Typeform, "x71for1wr6irs2rx71fotn12b3izh25v").await.unwrap().expect("typeform item");
    assert_eq!(tf.kind, Kind::Survey);
    assert_eq!(tf.account_id.as_deref(), Some("acme"));
    assert!(tf.body.starts_with("Search takes forever"), "{}", tf.body);
    let account = app.store.account("acme").await.unwrap().expect("account from the generic payload");
    assert_eq!(account.arr_cents.map(|a| a.0), Some(4_800_000));
    assert_eq!(account.plan.as_deref(), Some("enterprise"));
}

#[tokio::test]
async fn items_are_classified_on_the_way_in_with_the_model_version_stored() {
    let app = spawn_app().await;
    for source in [Source::Zendesk, Source::Freshdesk] {
        assert_eq!(app.post_webhook(source, fixture(source)).await.status(), 202);
    }
    let zd = app.store.item_by_external(Source::Zendesk, "35436").await.unwrap().unwrap();
    assert!(zd.classification.performance, "{:?}", zd.classification);
    assert!(zd.classification.topics.contains(&"checkout-slow".to_string()), "{:?}", zd.classification.topics);
    assert!(zd.classification.model_version.starts_with("m-"), "{}", zd.classification.model_version);
    let fd = app.store.item_by_external(Source::Freshdesk, "881").await.unwrap().unwrap();
    assert!(fd.classification.reliability, "{:?}", fd.classification);
    assert!(fd.classification.explanation.iter().any(|e| e == "rule:crash"), "{:?}", fd.classification.explanation);
}

#[tokio::test]
async fn a_wrong_signature_is_rejected_with_401_and_nothing_is_stored() {
    let app = spawn_app().await;
    for source in Source::WEBHOOK {
        let body = fixture(source);
        let mut headers = signed_headers(source, body.as_bytes(), now());
        // Sign a different body: the signature is well-formed but wrong.
        let forged = signed_headers(source, b"{\"other\":true}", now());
        headers[0] = forged[0].clone();
        if source == Source::Freshdesk {
            headers[0].1 = "wrong-token".into();
        }
        let response = app.post_raw(source.as_str(), body.to_string(), &headers).await;
        assert_eq!(response.status(), 401, "{source}");
    }
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn a_missing_signature_header_is_rejected_with_401_and_nothing_is_stored() {
    let app = spawn_app().await;
    for source in Source::WEBHOOK {
        let response = app.post_raw(source.as_str(), fixture(source).to_string(), &[("x-helpscout-event", "convo.created".into())]).await;
        expect_error(response, 401, "missing header", source.as_str()).await;
    }
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn a_stale_timestamp_is_rejected_as_a_replay_for_timestamped_schemes() {
    // Intercom, Help Scout and Freshdesk sign no timestamp, so they have no replay window.
    let app = spawn_app().await;
    for source in [Source::Generic, Source::Stripe, Source::Zendesk] {
        let body = fixture(source);
        let headers = signed_headers(source, body.as_bytes(), now() - 301);
        let response = app.post_raw(source.as_str(), body.to_string(), &headers).await;
        assert_eq!(response.status(), 401, "{source}");
        let text = response.text().await.unwrap();
        assert!(text.contains("window"), "{source}: {text}");
    }
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn a_redelivery_does_not_duplicate_and_a_later_update_updates() {
    let app = spawn_app().await;
    for source in Source::WEBHOOK {
        let first: Value = app.post_webhook(source, fixture(source)).await.json().await.unwrap();
        let again = app.post_webhook(source, fixture(source)).await;
        assert_eq!(again.status(), 202, "{source}");
        let again: Value = again.json().await.unwrap();
        assert_eq!(again["items"][0]["outcome"], "unchanged", "{source}: {again}");
        assert_eq!(again["items"][0]["id"], first["items"][0]["id"], "{source}");
    }
    assert_eq!(app.count().await, 7);
    crate::helpers::assert_rollups_agree(&app.store, "after a redelivery from every source").await;

    let updated = crate::helpers::fixture(Source::Generic).replace("Paying takes 30 seconds", "Paying now takes 45 seconds");
    let response: Value = app.post_webhook(Source::Generic, &updated).await.json().await.unwrap();
    assert_eq!(response["items"][0]["outcome"], "updated");
    let item = app.store.item_by_external(Source::Generic, "T-1042").await.unwrap().unwrap();
    assert!(item.body.contains("45 seconds"));
    assert_eq!(app.count().await, 7);
    crate::helpers::assert_rollups_agree(&app.store, "after an edit").await;
}

#[tokio::test]
async fn a_malformed_body_gets_400_naming_the_problem_and_stores_nothing() {
    let app = spawn_app().await;
    let cases: [(Source, &str, &str); 8] = [
        (Source::Generic, r#"{"body":"no id"}"#, "id"),
        (Source::Generic, r#"{"id":"1","body":"x","created_at":"last tuesday"}"#, "created_at"),
        (Source::Generic, r#"{"id":"1","body":"x""#, "body"),
        (Source::Zendesk, r#"{"type":"zen:event-type:ticket.created","detail":{"subject":"no id"}}"#, "detail.id"),
        (Source::Intercom, r#"{"topic":"conversation.user.created","data":{}}"#, "data.item"),
        (Source::Helpscout, r#"{"subject":"no id"}"#, "id"),
        (Source::Stripe, r#"{"type":"customer.subscription.deleted","data":{}}"#, "data.object"),
        (Source::Freshdesk, r#"{"id":"9","body":"   "}"#, "body"),
    ];
    for (source, body, field) in cases {
        let response = app.post_webhook(source, body).await;
        assert_eq!(response.status(), 400, "{source} {body}");
        let json: Value = response.json().await.unwrap();
        assert_eq!(json["field"], field, "{source}: {json}");
        assert!(!json["error"].as_str().unwrap().is_empty());
    }
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn events_we_do_not_store_get_200_with_the_reason() {
    let app = spawn_app().await;
    let cases = [
        (Source::Intercom, r#"{"type":"notification_event","topic":"ping","data":{}}"#),
        (Source::Stripe, r#"{"id":"evt_2","type":"invoice.paid","data":{"object":{}}}"#),
        (Source::Zendesk, r#"{"type":"zen:event-type:user.created","id":"e","detail":{}}"#),
    ];
    for (source, body) in cases {
        let response = app.post_webhook(source, body).await;
        assert_eq!(response.status(), 200, "{source}");
        let json: Value = response.json().await.unwrap();
        assert!(json["ignored"].is_string(), "{source}: {json}");
    }
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn a_generic_batch_of_items_is_stored_in_one_request() {
    let app = spawn_app().await;
    let items: Vec<Value> =
        (0..50).map(|i| serde_json::json!({"id": format!("b-{i}"), "body": format!("search takes forever, attempt {i}")})).collect();
    let body = serde_json::to_string(&items).unwrap();
    let response: Value = app.post_webhook(Source::Generic, &body).await.json().await.unwrap();
    assert_eq!(response["stored"], 50);
    assert_eq!(app.count().await, 50);
}

#[tokio::test]
async fn bodies_over_one_mebibyte_get_413() {
    let app = spawn_app().await;
    let big = format!(r#"{{"id":"big","body":"{}"}}"#, "a".repeat(1024 * 1024 + 10));
    let response = app.post_webhook(Source::Generic, &big).await;
    assert_eq!(response.status(), 413);
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn a_source_without_a_secret_is_refused_with_401() {
    let app = spawn_app_with(|s| s.sources.zendesk.secret = None).await;
    let response = app.post_webhook(Source::Zendesk, fixture(Source::Zendesk)).await;
    assert_eq!(response.status(), 401);
    assert_eq!(app.count().await, 0);
}

#[tokio::test]
async fn an_unknown_source_is_404() {
    let app = spawn_app().await;
    let response = app.post_raw("salesforce", "{}", &[]).await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn personal_data_is_not_stored_when_redact_at_ingest_is_on() {
    let app = spawn_app_with(|s| s.ingest.redact_at_ingest = true).await;
    assert_eq!(app.post_webhook(Source::Generic, fixture(Source::Generic)).await.status(), 202);
    let item = app.store.item_by_external(Source::Generic, "T-1042").await.unwrap().unwrap();
    assert!(item.body.contains("[phone]") && !item.body.contains("555-0132"), "{}", item.body);
}
