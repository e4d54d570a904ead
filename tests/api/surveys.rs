//! Survey inputs beside the generic format: Typeform webhooks (signed, forged, redelivered,
//! without a score), Zendesk satisfaction ratings (webhook and pull) and Intercom conversation
//! ratings (pull), each stored once and updated in place when the customer changes the rating.

use crate::helpers::{expect_error, fixture, signed_headers, spawn_app};
use pushback::domain::{Kind, Source, SurveyType};
use pushback::ingest::signature::sign;
use serde_json::{Value, json};

const TOKEN: &str = "x71for1wr6irs2rx71fotn12b3izh25v";

fn typeform_with(edit: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(fixture(Source::Typeform)).unwrap();
    edit(&mut v);
    v.to_string()
}

#[tokio::test]
async fn a_signed_typeform_response_is_stored_once_with_its_score_and_comment() {
    let app = spawn_app().await;
    let response = app.post_webhook(Source::Typeform, fixture(Source::Typeform)).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    let again: Value = app.post_webhook(Source::Typeform, fixture(Source::Typeform)).await.json().await.unwrap();
    assert_eq!(again["items"][0]["outcome"], "unchanged", "a redelivery is stored once: {again}");
    assert_eq!(app.count().await, 1);

    let item = app.store.item_by_external(Source::Typeform, TOKEN).await.unwrap().expect("stored under the response token");
    assert_eq!(item.kind, Kind::Survey);
    assert_eq!(item.account_id.as_deref(), Some("acme"));
    assert!(item.classification.performance || item.classification.reliability, "the comment is classified: {:?}", item.classification);
    let (from, to) = (chrono::DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").unwrap().to_utc(), chrono::Utc::now());
    let stored = app.store.survey_responses(from, to).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].survey.survey_type, stored[0].survey.score), (SurveyType::Nps, 3));
    assert_eq!(stored[0].created_at.to_rfc3339(), "2026-11-14T09:12:00+00:00");

    // Without a comment the score alone is a response.
    let bare = typeform_with(|v| {
        v["form_response"]["token"] = json!("no-comment-1");
        v["form_response"]["answers"].as_array_mut().unwrap().pop();
    });
    assert_eq!(app.post_webhook(Source::Typeform, &bare).await.status(), 202);
    assert_eq!(app.store.item_by_external(Source::Typeform, "no-comment-1").await.unwrap().unwrap().body, "");
}

#[tokio::test]
async fn forged_unsigned_scoreless_and_out_of_range_typeform_responses_store_nothing() {
    let app = spawn_app().await;
    let body = fixture(Source::Typeform);
    let forged = vec![("typeform-signature", sign::typeform(b"not-the-secret", body.as_bytes()))];
    expect_error(app.post_raw("typeform", body.to_string(), &forged).await, 401, "signature does not match", "forged").await;
    expect_error(app.post_raw("typeform", body.to_string(), &[]).await, 401, "missing header typeform-signature", "unsigned").await;
    // Signed for one body, sent with another: the signature covers the raw bytes.
    let tampered = body.replace("\"number\": 3", "\"number\": 10");
    assert_ne!(tampered, body);
    let headers = signed_headers(Source::Typeform, body.as_bytes(), 0);
    assert_eq!(app.post_raw("typeform", tampered, &headers).await.status(), 401);

    let no_score = typeform_with(|v| {
        v["form_response"]["answers"].as_array_mut().unwrap().remove(0);
    });
    let json = expect_error(app.post_webhook(Source::Typeform, &no_score).await, 400, "nps_score", "no score").await;
    assert_eq!(json["field"], "survey.score");
    let too_high = typeform_with(|v| v["form_response"]["answers"][0]["number"] = json!(11));
    let json = expect_error(app.post_webhook(Source::Typeform, &too_high).await, 400, "0-10", "out of range").await;
    assert_eq!(json["field"], "survey.score");
    let not_a_number = typeform_with(|v| v["form_response"]["answers"][0] = json!({"type": "choice", "choice": {"label": "Great"}, "field": {"id": "M8", "type": "multiple_choice", "ref": "nps_score"}}));
    expect_error(app.post_webhook(Source::Typeform, &not_a_number).await, 400, "survey.score", "a choice").await;
    assert_eq!(app.count().await, 0, "nothing refused was stored");
}

/// The stored survey score of `source`'s item `external_id`.
async fn score_of(app: &crate::helpers::TestApp, source: Source, external_id: &str) -> (SurveyType, i64, String) {
    let item = app.store.item_by_external(source, external_id).await.unwrap().unwrap_or_else(|| panic!("{external_id} stored"));
    let (from, to) = (chrono::Utc::now() - chrono::Duration::days(400), chrono::Utc::now() + chrono::Duration::days(1));
    let all = app.store.survey_responses(from, to).await.unwrap();
    let s = all.iter().find(|s| s.id == item.id).unwrap_or_else(|| panic!("{external_id} is a survey response"));
    (s.survey.survey_type, s.survey.score, s.body.clone())
}

#[tokio::test]
async fn a_csv_backfill_refuses_surveys_without_a_valid_score_and_stores_the_valid_ones() {
    use pushback::ingest::import::{ImportOptions, import_file};
    let app = spawn_app().await;
    let classifier = pushback::app::load_classifier(&app.settings, &app.store).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("surveys.csv");
    std::fs::write(
        &path,
        "id,kind,body,account_id,created_at,survey_type,survey_score\n\
         s-1,survey,Search takes forever,acme,2026-11-03T10:00:00Z,nps,2\n\
         s-2,survey,,acme,2026-11-04T10:00:00Z,csat,4\n\
         s-3,survey,No score given,acme,2026-11-05T10:00:00Z,,\n\
         s-4,survey,Eleven,acme,2026-11-05T10:00:00Z,nps,11\n\
         s-5,survey,Which scale?,acme,2026-11-05T10:00:00Z,ces,3\n",
    )
    .unwrap();
    let options = ImportOptions { batch: 10, redact_at_ingest: false, zendesk_subdomain: None };
    let summary = import_file(&app.store, &classifier, Source::Csv, &path, &options, |_| {}).await.unwrap();
    assert_eq!(summary.inserted, 2);
    let rejected: Vec<_> = summary.rejected.iter().map(|(line, why)| (*line, why.clone())).collect();
    assert_eq!(rejected.iter().map(|r| r.0).collect::<Vec<_>>(), [4, 5, 6], "{rejected:?}");
    assert!(rejected[0].1.contains("survey.score") && rejected[1].1.contains("survey.score"), "{rejected:?}");
    assert!(rejected[2].1.contains("survey.type"), "{rejected:?}");
    assert_eq!(score_of(&app, Source::Csv, "s-1").await, (SurveyType::Nps, 2, "Search takes forever".into()));
    assert_eq!(app.count().await, 2, "nothing refused was stored");
}
