//! The monthly review in Slack, against the fake Slack: `/pushback review 2026-11` answers
//! privately with the summary and *Download*, which sends the HTML file to the user's direct
//! messages (files upload v2); and the monthly post happens once when two replicas race for the
//! month and one restarts, on whichever backend the tests run.

use crate::fake_slack::FakeSlack;
use crate::helpers::{TestApp, spawn_app_at, spawn_app_with, test_database_url};
use crate::slack::{configure, eventually, eventually_async, in_digest_window, press, slash};
use chrono::{DateTime, Utc};
use pushback::config::Settings;
use pushback::domain::{Clock, DigestSchedule, Source};
use pushback::review::month::post_due;
use serde_json::{Value, json};
use std::time::Duration;

const REVIEW_CHANNEL: &str = "C0REVIEW";
const SLOW: &str = "Checkout extremely slow since Monday, the checkout page takes 30-40 seconds to load";

/// NPS answers in `month` (two detractors writing about slowness, one promoter).
async fn surveys(app: &TestApp, month: &str) {
    let items: Vec<Value> = [(3, SLOW), (5, SLOW), (10, "great")]
        .iter()
        .enumerate()
        .map(|(i, (score, body))| {
            json!({"id": format!("{month}-{i}"), "kind": "survey", "survey": {"type": "nps", "score": score}, "body": body,
                   "created_at": format!("{month}-1{i}T12:00:00Z"), "account": {"id": format!("acct-{i}"), "name": "Acme", "arr_cents": 2_400_000}})
        })
        .collect();
    let response = app.post_webhook(Source::Generic, &serde_json::to_string(&items).unwrap()).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
}

#[tokio::test]
async fn pushback_review_answers_privately_and_download_sends_the_html_to_the_users_direct_messages() {
    let fake = FakeSlack::start().await;
    let app = spawn_app_with(|s| configure(s, &fake, false)).await;
    surveys(&app, "2026-11").await;

    let ack: Value = slash(&app, "/pushback", "review 2026-11", &fake.response_url("r1")).await.json().await.unwrap();
    assert_eq!(ack["text"], "Putting the monthly review together…");
    let answer = fake.wait_for_response("r1", 1).await.remove(0);
    assert_eq!(answer["response_type"], "ephemeral", "{answer}");
    let all = answer.to_string();
    assert!(all.contains("Monthly review, 2026-11"), "{all}");
    // 1 promoter, 2 detractors: -33.3 ± 106.7, the lower end stopped at -100.
    assert!(all.contains("*NPS*: -33.3 (95% CI -100.0 to +73.4, 3 responses)"), "{all}");
    assert!(all.contains("*Proposed agenda*: 1. Checkout is slow (`checkout-slow`)"), "{all}");
    let button = answer["blocks"].as_array().unwrap().iter().find(|b| b["type"] == "actions").expect("a Download button");
    assert_eq!(button["elements"][0]["text"]["text"], "Download");
    let (action, value) = (button["elements"][0]["action_id"].as_str().unwrap(), button["elements"][0]["value"].as_str().unwrap());

    let bad: Value = slash(&app, "/pushback", "review november", &fake.response_url("r0")).await.json().await.unwrap();
    assert!(bad["text"].as_str().unwrap().contains("'november' is not a month like 2026-11"), "{bad}");

    assert_eq!(press(&app, action, value, &fake.response_url("r2")).await.status(), 200);
    let done = fake.wait_for_response("r2", 1).await.remove(0);
    assert_eq!(done["text"], "Sent the 2026-11 review to your direct messages with pushback.", "{done}");
    // The note to the user's ID opens the direct message (D111); the file is shared there.
    let note = &fake.calls("chat.postMessage")[0];
    assert_eq!(note.json()["channel"], "W111");
    let complete = fake.calls("files.completeUploadExternal");
    assert_eq!(complete.len(), 1);
    assert_eq!(complete[0].json()["channel_id"], "D111");
    let asked = &fake.calls("files.getUploadURLExternal")[0];
    assert!(asked.query.as_deref().unwrap().contains("filename=pushback-review-2026-11.html"), "{:?}", asked.query);
    let uploaded = &fake.calls("upload")[0].body;
    assert!(uploaded.starts_with("<!DOCTYPE html>") && uploaded.contains("<title>Monthly review: 2026-11</title>"), "{}", &uploaded[..200]);
    assert!(asked.query.as_deref().unwrap().contains(&format!("length={}", uploaded.len())));
}

/// Two replicas of one database posting the review to `REVIEW_CHANNEL` (the digest off).
fn replica<'a>(fake: &'a FakeSlack, url: &str) -> impl FnOnce(&mut Settings) + 'a {
    let url = url.to_string();
    move |s: &mut Settings| {
        configure(s, fake, false);
        s.database.url = url;
        s.review.monthly = true;
        s.review.channel = Some(REVIEW_CHANNEL.into());
        s.slack.digest_time = "00:00".into();
        s.slack.digest_timezone = "UTC".into();
    }
}

#[tokio::test]
async fn the_monthly_review_is_posted_once_when_two_replicas_race_and_one_restarts() {
    let fake = FakeSlack::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    // The replicas' schedulers read a fixed instant: Tuesday 1 December 2026 at noon, after the
    // first weekday's 00:00, so November's review is due whatever day the test runs.
    let at = "2026-12-01T12:00:00Z".parse::<DateTime<Utc>>().unwrap();
    let schedule = DigestSchedule::parse("monday", "00:00", "UTC").unwrap();
    let month = post_due(&schedule, at).expect("due on the month's first weekday");
    assert_eq!(month.to_string(), "2026-11");
    assert_eq!(
        post_due(&schedule, at - chrono::Duration::hours(13)).map(|m| m.to_string()),
        Some("2026-10".into()),
        "the evening before, October's"
    );
    // Seeded through a server that posts nothing, so the review is whole when first claimed.
    let seeder = spawn_app_with(|s| {
        s.database.url = url.clone();
    })
    .await;
    surveys(&seeder, &month.to_string()).await;
    seeder.stop().await;
    let (a, b) = tokio::join!(spawn_app_at(replica(&fake, &url), Clock::fixed(at)), spawn_app_at(replica(&fake, &url), Clock::fixed(at)));
    let summaries = eventually("the review's summary and file", || {
        let posts = fake.posts_to(REVIEW_CHANNEL);
        (!posts.is_empty() && !fake.calls("files.completeUploadExternal").is_empty()).then_some(posts)
    })
    .await;
    // The other replica checks every second: give it a few rounds, then restart one.
    tokio::time::sleep(Duration::from_secs(3)).await;
    a.stop().await;
    b.stop().await;
    let c = spawn_app_at(replica(&fake, &url), Clock::fixed(at)).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rows = eventually_async("both rows sent", || async {
        let rows = c.store.outbox_rows(&format!("review:{month}:")).await.unwrap();
        rows.iter().all(|r| r.status == "sent").then_some(rows)
    })
    .await;
    c.stop().await;
    assert_eq!(rows.len(), 2, "the summary and the file");
    let summaries: Vec<_> = summaries.iter().filter(|p| p.ok && p.body.contains(&format!("Monthly review, {month}"))).collect();
    assert_eq!(summaries.len(), 1, "one summary");
    assert_eq!(fake.posts_to(REVIEW_CHANNEL).len(), 1, "one post in all, after the restart too");
    let complete = fake.calls("files.completeUploadExternal");
    assert_eq!(complete.len(), 1, "one file");
    assert_eq!(complete[0].json()["channel_id"], REVIEW_CHANNEL);
    let uploads = fake.calls("upload");
    assert_eq!(uploads.len(), 1);
    assert!(uploads[0].body.contains(&format!("<title>Monthly review: {month}</title>")));
    assert!(summaries[0].body.contains("*NPS*: -33.3 (95% CI -100.0 to +73.4, 3 responses)"), "{}", summaries[0].body);
}

#[tokio::test]
async fn the_weekly_digest_has_a_survey_line_only_when_the_week_has_responses() {
    let fake = FakeSlack::start().await;
    let app = spawn_app_with(|s| configure(s, &fake, true)).await;
    slash(&app, "/pushback", "digest", &fake.response_url("d0")).await;
    let without = fake.wait_for_response("d0", 1).await.remove(0).to_string();
    assert!(without.contains("Weekly feedback digest") && !without.contains("Surveys this week"), "{without}");

    let at = in_digest_window(&DigestSchedule::parse("monday", "00:00", "UTC").unwrap()).to_rfc3339();
    let items: Vec<Value> = [10, 10, 2]
        .iter()
        .enumerate()
        .map(|(i, score)| json!({"id": format!("w-{i}"), "kind": "survey", "survey": {"type": "nps", "score": score}, "body": "", "created_at": at}))
        .collect();
    assert_eq!(app.post_webhook(Source::Generic, &serde_json::to_string(&items).unwrap()).await.status(), 202);
    slash(&app, "/pushback", "digest", &fake.response_url("d1")).await;
    let with = fake.wait_for_response("d1", 1).await.remove(0).to_string();
    // 2 promoters, 1 detractor: +33.3 ± 106.7, the upper end stopped at 100; no CSAT answer is "no responses", not 0.
    assert!(with.contains("*Surveys this week*: NPS +33.3 (95% CI -73.4 to +100.0, 3 responses); CSAT no responses"), "{with}");
}
