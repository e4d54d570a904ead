//! Survey inputs beside the generic format: Typeform webhooks (signed, forged, redelivered,
//! without a score), Zendesk satisfaction ratings (webhook and pull) and Intercom conversation
//! ratings (pull), each stored once and updated in place when the customer changes the rating.

use crate::fake_vendors::Fault;
use crate::fake_vendors::intercom::{self, FakeIntercom};
use crate::fake_vendors::zendesk::{self, FakeZendesk, ticket};
use crate::helpers::{expect_error, fixture, signed_headers, spawn_app};
use crate::pull_support::{intercom_api, now, stored, sync_once, zendesk_api};
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
    let not_a_number = typeform_with(|v| {
        v["form_response"]["answers"][0] =
            json!({"type": "choice", "choice": {"label": "Great"}, "field": {"id": "M8", "type": "multiple_choice", "ref": "nps_score"}})
    });
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

async fn surveys_of(app: &crate::helpers::TestApp, source: Source) -> Vec<String> {
    stored(&app.store, source).await.into_iter().filter(|f| f.kind == Kind::Survey).map(|f| f.external_id).collect()
}

#[tokio::test]
async fn zendesk_ratings_are_pulled_page_by_page_and_one_rating_by_webhook_and_pull_is_one_item_updated_when_changed() {
    let app = spawn_app().await;
    let fake = FakeZendesk::start().await;
    let t0 = now() - 5 * 86_400;
    fake.put((1..=10).map(|i| ticket(i, &format!("Ticket {i}"), "<p>The export times out</p>", 9000 + i % 2, t0 + i)));
    let comment = |i: i64| (i % 3 == 0).then(|| format!("Ticket {i}: the export still times out"));
    // 130 answers (two pages of 100 and 30) and 5 surveys offered but not answered.
    fake.put_ratings(
        (1..=130).map(|i| zendesk::rating(500 + i, i, if i % 2 == 0 { "good" } else { "bad" }, comment(i).as_deref(), t0 + 100 + i)),
    );
    fake.put_ratings((1..=5).map(|i| zendesk::rating(900 + i, 200 + i, "offered", None, t0 + 300 + i)));
    fake.ratings.fail_next([Fault::Pass, Fault::RateLimited(1)]);
    let mut settings = app.settings.clone();
    zendesk_api(&mut settings, &fake.base);

    sync_once(&settings, &["zendesk"]).await.expect("tickets and ratings are pulled");
    let surveys = surveys_of(&app, Source::Zendesk).await;
    assert_eq!(surveys.len(), 130, "every answer once, no offered survey");
    assert_eq!(score_of(&app, Source::Zendesk, "satisfaction-4").await, (SurveyType::Csat, 5, String::new()));
    assert_eq!(
        score_of(&app, Source::Zendesk, "satisfaction-3").await,
        (SurveyType::Csat, 1, "Ticket 3: the export still times out".into())
    );
    let three = app.store.item_by_external(Source::Zendesk, "satisfaction-3").await.unwrap().unwrap();
    assert_eq!(three.account_id.as_deref(), Some("9001"), "the ticket's organization");
    assert_eq!(three.url.as_deref(), Some("https://acme.zendesk.com/agent/tickets/3"));
    let calls = fake.ratings.calls();
    assert_eq!(calls.len(), 3, "page 1, the 429, page 2");
    assert!(calls.iter().all(|c| c.param("score") == Some("received") && c.param("page[size]") == Some("100")));
    assert!(calls[0].param("start_time").is_some() && calls[0].param("page[after]").is_none());
    assert_eq!(calls[2].param("page[after]"), calls[1].param("page[after]"), "the page refused with 429 is asked again");
    assert!(calls[2].param("page[after]").is_some());
    assert!(calls[2].at - calls[1].at >= std::time::Duration::from_millis(950), "Retry-After: 1 was waited for");

    // The trigger's webhook for rating 9 (bad), as pulled: the same item, unchanged.
    let hook = |score: &str, at: i64| {
        json!({"satisfaction_rating": {"ticket_id": "9", "score": score, "comment": "Ticket 9: the export still times out",
            "organization_id": "9001", "updated_at": zendesk_time(at)}})
        .to_string()
    };
    let again: Value = app.post_webhook(Source::Zendesk, &hook("Bad, I'm unsatisfied", t0 + 109)).await.json().await.unwrap();
    assert_eq!(again["items"][0]["outcome"], "unchanged", "{again}");
    // The customer changes it to good: the webhook updates the item, the pull that follows agrees.
    let changed: Value = app.post_webhook(Source::Zendesk, &hook("Good, I'm satisfied", t0 + 1000)).await.json().await.unwrap();
    assert_eq!(changed["items"][0]["outcome"], "updated", "{changed}");
    assert_eq!(score_of(&app, Source::Zendesk, "satisfaction-9").await.1, 5);
    fake.put_ratings([zendesk::rating(509, 9, "good", comment(9).as_deref(), t0 + 1000)]);
    // Only the pull sees rating 11 change from bad to good.
    fake.put_ratings([zendesk::rating(511, 11, "good", Some("Sorted now"), t0 + 1001)]);
    sync_once(&settings, &["zendesk"]).await.unwrap();
    assert_eq!(score_of(&app, Source::Zendesk, "satisfaction-9").await.1, 5);
    assert_eq!(score_of(&app, Source::Zendesk, "satisfaction-11").await, (SurveyType::Csat, 5, "Sorted now".into()));
    assert_eq!(surveys_of(&app, Source::Zendesk).await.len(), 130, "changed ratings update their item, never add one");
    // An offered survey through the webhook is not an answer.
    let offered =
        app.post_webhook(Source::Zendesk, &json!({"satisfaction_rating": {"ticket_id": "12", "score": "offered"}}).to_string()).await;
    assert_eq!(offered.status(), 200);
    assert_eq!(surveys_of(&app, Source::Zendesk).await.len(), 130);
}

fn zendesk_time(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0).unwrap().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[tokio::test]
async fn intercom_conversation_ratings_are_csat_items_once_with_the_conversations_account_and_a_new_rating_updates() {
    let app = spawn_app().await;
    let fake = FakeIntercom::start().await;
    let t0 = now() - 86_400;
    let slow = "<p>Checkout takes <b>30 seconds</b> and times out</p>";
    fake.put([
        intercom::rated(intercom::conversation(1, t0, slow, "c1"), 5, Some("Quick and friendly"), t0 + 10),
        intercom::rated(intercom::conversation(2, t0 + 20, slow, "c1"), 2, Some("The export <b>still</b> fails"), t0 + 30),
        intercom::conversation(3, t0 + 40, slow, "c2"),
    ]);
    fake.company("c1", json!({"type": "company", "id": "6f1", "company_id": "globex", "name": "Globex", "website": "https://globex.com"}));
    let mut settings = app.settings.clone();
    intercom_api(&mut settings, &fake.base);

    sync_once(&settings, &["intercom"]).await.expect("the pull completes");
    assert_eq!(surveys_of(&app, Source::Intercom).await, ["rating-1", "rating-2"], "unrated conversations give no rating");
    assert_eq!(stored(&app.store, Source::Intercom).await.len(), 5, "three conversations and two ratings");
    assert_eq!(score_of(&app, Source::Intercom, "rating-2").await, (SurveyType::Csat, 2, "The export still fails".into()));
    let r1 = app.store.item_by_external(Source::Intercom, "rating-1").await.unwrap().unwrap();
    assert_eq!(r1.account_id.as_deref(), Some("globex"));
    assert_eq!(r1.url.as_deref(), Some(format!("https://app.intercom.com/a/apps/{}/inbox/inbox/conversation/1", intercom::APP).as_str()));

    // Read again: nothing new. Re-rated 2 -> 4: the same item, updated.
    sync_once(&settings, &["intercom"]).await.unwrap();
    fake.put([intercom::rated(intercom::conversation(2, t0 + 20, slow, "c1"), 4, Some("Fixed after all"), now() - 100)]);
    sync_once(&settings, &["intercom"]).await.unwrap();
    assert_eq!(score_of(&app, Source::Intercom, "rating-2").await, (SurveyType::Csat, 4, "Fixed after all".into()));
    assert_eq!(stored(&app.store, Source::Intercom).await.len(), 5, "stored once however often it is read");
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

#[tokio::test]
async fn zendesk_ratings_can_be_turned_off_for_accounts_without_legacy_csat() {
    let app = spawn_app().await;
    let fake = FakeZendesk::start().await;
    let t0 = now() - 86_400;
    fake.put([ticket(1, "Ticket 1", "<p>The export times out</p>", 9001, t0)]);
    fake.put_ratings([zendesk::rating(501, 1, "bad", Some("Still slow"), t0 + 100)]);
    let mut settings = app.settings.clone();
    zendesk_api(&mut settings, &fake.base);
    settings.sources.zendesk.satisfaction_ratings = Some(false);
    sync_once(&settings, &["zendesk"]).await.expect("the pull completes");
    assert!(fake.ratings.calls().is_empty(), "the ratings list is never asked for");
    assert_eq!(stored(&app.store, Source::Zendesk).await.len(), 1, "the ticket alone");
}
