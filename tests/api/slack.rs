//! Slack end to end against a fake Slack on 127.0.0.1: signed commands and buttons, the
//! outbox's retries and durability, and the weekly digest posted once across two instances.

use crate::fake_slack::{DEADLINE, FakeSlack, Scripted};
use crate::helpers::{TestApp, now, spawn_app_with, test_database_url};
use pushback::config::Settings;
use pushback::domain::DigestSchedule;
use pushback::domain::Source;
use pushback::slack::blocks::{SlackMessage, check_limits};
use pushback::slack::signature::sign;
use pushback::store::NewOutboxMessage;
use secrecy::SecretString;
use serde_json::{Value, json};
use std::time::Duration;

pub const SIGNING_SECRET: &str = "slack-signing-secret";
pub const BOT_TOKEN: &str = "xoxb-test-token";
pub const DIGEST_CHANNEL: &str = "C0DIGEST";

/// Polls `check` every 100 ms until it returns `Some`, failing the test after `DEADLINE`.
pub async fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `eventually` for checks that need to await (store queries).
pub async fn eventually_async<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Slack pointed at `fake`, with a token and signing secret; the digest only when asked.
pub fn configure(s: &mut Settings, fake: &FakeSlack, digest: bool) {
    s.slack.bot_token = Some(SecretString::from(BOT_TOKEN));
    s.slack.signing_secret = Some(SecretString::from(SIGNING_SECRET));
    s.slack.api_url = fake.api_url();
    s.slack.outbox_poll_secs = 1;
    s.slack.digest_check_secs = 1;
    // Spike alerts have their own tests (spikes.rs), and so has the monthly review's post
    // (review_slack.rs); here they would add posts.
    s.alerts.spikes = false;
    s.review.monthly = false;
    if digest {
        s.slack.digest_channel = Some(DIGEST_CHANNEL.into());
        // Monday 00:00 UTC has always passed in the current ISO week: the digest is due now.
        s.slack.digest_weekday = "monday".into();
        s.slack.digest_time = "00:00".into();
        s.slack.digest_timezone = "UTC".into();
    }
}

async fn slack_app(fake: &FakeSlack) -> TestApp {
    spawn_app_with(|s| configure(s, fake, false)).await
}

async fn post_signed(app: &TestApp, path: &str, body: String, headers: &[(&str, String)]) -> reqwest::Response {
    let mut req = app.client.post(format!("{}{path}", app.address)).header("content-type", "application/x-www-form-urlencoded").body(body);
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    req.send().await.expect("request sent")
}

fn slack_headers(secret: &str, ts: i64, body: &str) -> Vec<(&'static str, String)> {
    vec![("x-slack-signature", sign(secret.as_bytes(), ts, body.as_bytes())), ("x-slack-request-timestamp", ts.to_string())]
}

fn command_body(command: &str, text: &str, response_url: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("token", "unused"),
            ("team_id", "T0001"),
            ("team_domain", "example"),
            ("channel_id", "C2147483705"),
            ("channel_name", "test"),
            ("user_id", "U2147483697"),
            ("user_name", "Steve"),
            ("command", command),
            ("text", text),
            ("api_app_id", "A123456"),
            ("response_url", response_url),
            ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
        ])
        .finish()
}

/// A correctly signed slash command.
pub async fn slash(app: &TestApp, command: &str, text: &str, response_url: &str) -> reqwest::Response {
    let body = command_body(command, text, response_url);
    let headers = slack_headers(SIGNING_SECRET, now(), &body);
    post_signed(app, "/slack/commands", body, &headers).await
}

/// A `block_actions` payload (bolt-python's fixture shape) pressing one button.
fn button_body(action_id: &str, value: &str, response_url: &str) -> String {
    let payload = json!({
        "type": "block_actions",
        "user": {"id": "W111", "username": "primary-owner", "name": "primary-owner", "team_id": "T111"},
        "api_app_id": "A111", "token": "verification_token",
        "container": {"type": "message", "message_ts": "111.222", "channel_id": "C111", "is_ephemeral": true},
        "trigger_id": "111.222.valid",
        "team": {"id": "T111", "domain": "workspace-domain"},
        "channel": {"id": "C111", "name": "test-channel"},
        "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": "b", "text": {"type": "plain_text", "text": "Button", "emoji": true},
                     "value": value, "type": "button", "action_ts": "1596530385.194939"}]
    });
    url::form_urlencoded::Serializer::new(String::new()).append_pair("payload", &payload.to_string()).finish()
}

pub async fn press(app: &TestApp, action_id: &str, value: &str, response_url: &str) -> reqwest::Response {
    let body = button_body(action_id, value, response_url);
    let headers = slack_headers(SIGNING_SECRET, now(), &body);
    post_signed(app, "/slack/interactions", body, &headers).await
}

/// A correctly signed Events API request (`retry`: Slack's `X-Slack-Retry-Num`).
pub async fn post_event(app: &TestApp, body: &Value, retry: Option<&str>) -> reqwest::Response {
    let body = body.to_string();
    let mut headers = slack_headers(SIGNING_SECRET, now(), &body);
    if let Some(n) = retry {
        headers.push(("x-slack-retry-num", n.to_string()));
        headers.push(("x-slack-retry-reason", "http_timeout".to_string()));
    }
    let mut req = app.client.post(format!("{}/slack/events", app.address)).header("content-type", "application/json").body(body);
    for (k, v) in &headers {
        req = req.header(*k, v);
    }
    req.send().await.expect("request sent")
}

/// A correctly signed interaction carrying `payload` (e.g. a click inside a view).
pub async fn press_payload(app: &TestApp, payload: &Value) -> reqwest::Response {
    let body = url::form_urlencoded::Serializer::new(String::new()).append_pair("payload", &payload.to_string()).finish();
    let headers = slack_headers(SIGNING_SECRET, now(), &body);
    post_signed(app, "/slack/interactions", body, &headers).await
}

/// Stores `texts` as generic webhook items created a day ago; returns their ids.
async fn seed(app: &TestApp, texts: &[&str]) -> Vec<i64> {
    seed_at(app, texts, chrono::Utc::now() - chrono::Duration::days(1)).await
}

/// A day before the end of the current week's digest window for `schedule`.
pub fn in_digest_window(schedule: &DigestSchedule) -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    schedule.due_at(schedule.week_of(now)).min(now) - chrono::Duration::days(1)
}

static SEEDED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

pub async fn seed_at(app: &TestApp, texts: &[&str], created: chrono::DateTime<chrono::Utc>) -> Vec<i64> {
    let created = created.to_rfc3339();
    let mut ids = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let external = format!("S-{}", SEEDED.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let body = json!({"id": external, "kind": if i == 1 { "churn_note" } else { "ticket" }, "subject": "", "body": text,
                          "account": {"id": format!("acct-{i}"), "name": "Acme", "arr_cents": 1_200_000}, "created_at": created,
                          "url": format!("https://support.example.com/{external}")});
        let response = app.post_webhook(Source::Generic, &body.to_string()).await;
        assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
        ids.push(app.store.item_by_external(Source::Generic, &external).await.unwrap().expect("stored").id);
    }
    ids
}

pub const CHECKOUT: [&str; 3] = [
    "Checkout is painfully slow, the payment page takes 40 seconds. <!channel> mail jane@example.com",
    "We cancelled: checkout was too slow for months",
    "The checkout spinner is extremely slow again, call +1 415-555-0132",
];

fn text_of(v: &Value) -> String {
    v.to_string()
}

#[tokio::test]
async fn a_signed_evidence_command_is_acknowledged_and_answered_through_response_url() {
    let fake = FakeSlack::start().await;
    let app = slack_app(&fake).await;
    seed(&app, &CHECKOUT).await;

    let response = slash(&app, "/evidence", "checkout-slow 30d", &fake.response_url("r1")).await;
    assert_eq!(response.status(), 200);
    let ack: Value = response.json().await.unwrap();
    assert_eq!(ack["response_type"], "ephemeral");
    assert!(ack["text"].as_str().unwrap().contains("checkout-slow"), "{ack}");

    let answer = fake.wait_for_response("r1", 1).await.remove(0);
    assert_eq!(answer["response_type"], "ephemeral");
    let all = text_of(&answer);
    assert!(all.contains("Evidence: Checkout is slow") && all.contains("*3 items* from *3 accounts*"), "{all}");
    assert!(all.contains("wrong_tag") && all.contains("share_in_channel") && all.contains("download_pack"), "{all}");
    // Ticket text is redacted and escaped before it reaches Slack.
    assert!(!all.contains("<!channel>") && !all.contains("jane@example.com") && !all.contains("555-0132"), "{all}");

    // `share` answers in the channel.
    assert_eq!(slash(&app, "/evidence", "checkout-slow share", &fake.response_url("r2")).await.status(), 200);
    let shared = fake.wait_for_response("r2", 1).await.remove(0);
    assert_eq!(shared["response_type"], "in_channel");
    fake.assert_all_within_limits();
}

#[tokio::test]
async fn an_unknown_topic_is_answered_with_the_closest_known_topics() {
    let fake = FakeSlack::start().await;
    let app = slack_app(&fake).await;
    assert_eq!(slash(&app, "/evidence", "chekout-slow share", &fake.response_url("u")).await.status(), 200);
    let answer = fake.wait_for_response("u", 1).await.remove(0);
    assert_eq!(answer["response_type"], "ephemeral", "suggestions stay private even with share");
    assert!(text_of(&answer).contains("/evidence checkout-slow"), "{answer}");
    fake.assert_all_within_limits();
}

#[tokio::test]
async fn forged_stale_and_unsigned_requests_are_refused_and_change_nothing() {
    let fake = FakeSlack::start().await;
    let app = slack_app(&fake).await;
    let ids = seed(&app, &CHECKOUT[..1]).await;
    let body = command_body("/evidence", "checkout-slow", &fake.response_url("forged"));
    for headers in [
        slack_headers("not-the-secret", now(), &body),
        slack_headers(SIGNING_SECRET, now() - 301, &body),
        slack_headers(SIGNING_SECRET, now(), "text=something-else"),
        vec![],
    ] {
        assert_eq!(post_signed(&app, "/slack/commands", body.clone(), &headers).await.status(), 401);
    }
    let wrong_tag = button_body("wrong_tag", &json!({"item": ids[0], "category": "performance"}).to_string(), &fake.response_url("forged"));
    let forged = slack_headers("not-the-secret", now(), &wrong_tag);
    assert_eq!(post_signed(&app, "/slack/interactions", wrong_tag, &forged).await.status(), 401);

    // A genuine command afterwards is answered; nothing from the forged ones ever arrives.
    assert_eq!(slash(&app, "/evidence", "checkout-slow", &fake.response_url("genuine")).await.status(), 200);
    fake.wait_for_response("genuine", 1).await;
    assert!(fake.calls("response_url").iter().all(|c| c.id.as_deref() == Some("genuine")));
    assert!(app.store.corrections().await.unwrap().is_empty());
    assert!(app.store.item(ids[0]).await.unwrap().unwrap().classification.performance);
}

#[tokio::test]
async fn ssl_check_is_answered_200() {
    let fake = FakeSlack::start().await;
    let app = slack_app(&fake).await;
    let response = post_signed(&app, "/slack/commands", "token=x&ssl_check=1".into(), &[]).await;
    assert_eq!(response.status(), 200);
    // ssl_check=1 on a real command does not bypass verification.
    let body = format!("{}&ssl_check=1", command_body("/pushback", "help", &fake.response_url("x")));
    assert_eq!(post_signed(&app, "/slack/commands", body, &[]).await.status(), 401);
}

#[tokio::test]
async fn help_and_unknown_input_answer_at_once_with_usage_and_examples() {
    let fake = FakeSlack::start().await;
    let app = slack_app(&fake).await;
    for (command, text) in [("/pushback", "help"), ("/pushback", "deploy <!channel>"), ("/evidence", "")] {
        let response = slash(&app, command, text, &fake.response_url("h")).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        let message: SlackMessage = serde_json::from_value(body.clone()).unwrap();
        check_limits(&message).unwrap();
        assert!(text_of(&body).contains("/evidence checkout-slow"), "{body}");
        assert!(!text_of(&body).contains("<!channel>"), "{body}");
    }
}

#[tokio::test]
async fn top_topics_and_digest_preview_are_answered_within_block_kit_limits() {
    let fake = FakeSlack::start().await;
    let app = slack_app(&fake).await;
    seed(&app, &CHECKOUT).await;
    seed_at(&app, &["Another slow checkout, in last week's digest"], in_digest_window(&DigestSchedule::default())).await;
    for (i, text) in ["top", "top performance 30d", "topics", "digest"].iter().enumerate() {
        assert_eq!(slash(&app, "/pushback", text, &fake.response_url(&format!("p{i}"))).await.status(), 200);
        let answer = fake.wait_for_response(&format!("p{i}"), 1).await.remove(0);
        assert!(text_of(&answer).contains("checkout-slow"), "{text}: {answer}");
    }
    fake.assert_all_within_limits();
}

#[tokio::test]
async fn a_wrong_tag_button_records_a_correction_and_answers_privately() {
    let fake = FakeSlack::start().await;
    let app = slack_app(&fake).await;
    let ids = seed(&app, &CHECKOUT[..1]).await;
    assert!(app.store.item(ids[0]).await.unwrap().unwrap().classification.performance);

    let response = press(&app, "wrong_tag", &json!({"item": ids[0], "category": "performance"}).to_string(), &fake.response_url("w")).await;
    assert_eq!(response.status(), 200);
    let corrections = eventually_async("a correction", || async {
        let c = app.store.corrections().await.unwrap();
        (!c.is_empty()).then_some(c)
    })
    .await;
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0].item_id, ids[0]);
    assert!(!corrections[0].performance);
    assert!(!app.store.item(ids[0]).await.unwrap().unwrap().classification.performance);
    let answer = fake.wait_for_response("w", 1).await.remove(0);
    assert_eq!(answer["response_type"], "ephemeral");
    assert!(text_of(&answer).contains("no longer counts as performance"), "{answer}");
}

#[tokio::test]
async fn share_in_channel_reposts_the_evidence_in_the_channel() {
    let fake = FakeSlack::start().await;
    let app = slack_app(&fake).await;
    seed(&app, &CHECKOUT).await;
    assert_eq!(press(&app, "share_in_channel", r#"{"topic":"checkout-slow","days":30}"#, &fake.response_url("s")).await.status(), 200);
    let answer = fake.wait_for_response("s", 1).await.remove(0);
    assert_eq!(answer["response_type"], "in_channel");
    assert_eq!(answer["replace_original"], false);
    assert!(text_of(&answer).contains("Evidence: Checkout is slow") && !text_of(&answer).contains("share_in_channel"), "{answer}");
    fake.assert_all_within_limits();
}

#[tokio::test]
async fn download_pack_uploads_markdown_csv_and_chart_with_the_external_upload_flow() {
    let fake = FakeSlack::start().await;
    let app = slack_app(&fake).await;
    seed(&app, &CHECKOUT).await;
    assert_eq!(press(&app, "download_pack", r#"{"topic":"checkout-slow","days":30}"#, &fake.response_url("d")).await.status(), 200);
    let complete = fake.wait_for("files.completeUploadExternal", 1).await.remove(0);
    let urls = fake.calls("files.getUploadURLExternal");
    assert_eq!(urls.len(), 3);
    let queries: Vec<String> = urls.iter().map(|c| c.query.clone().unwrap_or_default()).collect();
    assert!(queries[0].contains(".md") && queries[1].contains(".csv") && queries[2].contains(".png"), "{queries:?}");
    assert!(urls.iter().all(|c| c.authorization.as_deref() == Some("Bearer xoxb-test-token")));
    let uploads = fake.calls("upload");
    assert_eq!(uploads.len(), 3);
    assert!(uploads[0].body.starts_with("## Evidence: Checkout is slow (`checkout-slow`)"), "{}", uploads[0].body);
    assert!(uploads[1].body.starts_with("id,created_at") && !uploads[1].body.contains("jane@example.com"), "{}", uploads[1].body);
    assert_eq!(complete.json()["channel_id"], "C111");
    assert_eq!(complete.json()["files"].as_array().unwrap().len(), 3);
    let answer = fake.wait_for_response("d", 1).await.remove(0);
    assert!(text_of(&answer).contains("Uploaded"), "{answer}");
}

fn queued(key: &str, text: &str) -> NewOutboxMessage {
    let message = SlackMessage { text: text.into(), blocks: vec![json!({"type": "section", "text": {"type": "mrkdwn", "text": text}})] };
    pushback::slack::outbox::row(key.into(), "C0CHANNEL", &message, None)
}

async fn wait_status(app: &TestApp, key: &str, status: &str) -> pushback::store::OutboxRow {
    eventually_async(&format!("{key} to be {status}"), || async { app.store.outbox_row(key).await.unwrap().filter(|r| r.status == status) })
        .await
}

#[tokio::test]
async fn a_rate_limited_post_is_retried_after_retry_after_and_delivered_exactly_once() {
    let fake = FakeSlack::start().await;
    fake.script("chat.postMessage", vec![Scripted::RateLimited { retry_after_secs: 1 }, Scripted::ServerError]);
    let app = slack_app(&fake).await;
    app.store.outbox_enqueue(&[queued("test:429", "hello after a 429")], chrono::Utc::now()).await.unwrap();
    let row = wait_status(&app, "test:429", "sent").await;
    assert_eq!(row.attempts, 3);
    let posts = fake.calls("chat.postMessage");
    assert_eq!(posts.iter().map(|c| c.status).collect::<Vec<_>>(), vec![429, 500, 200]);
    assert_eq!(posts.iter().filter(|c| c.status == 200).count(), 1);
    assert_eq!(posts[2].json()["channel"], "C0CHANNEL");
    assert_eq!(posts[2].authorization.as_deref(), Some("Bearer xoxb-test-token"));
    // Queuing the same key again does not post it again.
    assert_eq!(app.store.outbox_enqueue(&[queued("test:429", "again")], chrono::Utc::now()).await.unwrap(), 0);
    fake.assert_all_within_limits();
}

#[tokio::test]
async fn a_permanent_slack_error_marks_the_message_failed_without_retrying() {
    let fake = FakeSlack::start().await;
    fake.script("chat.postMessage", vec![Scripted::NotOk("channel_not_found")]);
    let app = slack_app(&fake).await;
    app.store.outbox_enqueue(&[queued("test:gone", "to nowhere"), queued("test:ok", "fine")], chrono::Utc::now()).await.unwrap();
    let failed = wait_status(&app, "test:gone", "failed").await;
    assert_eq!(failed.last_error.as_deref(), Some("channel_not_found"));
    assert_eq!(failed.attempts, 1);
    wait_status(&app, "test:ok", "sent").await;
    assert_eq!(fake.calls("chat.postMessage").len(), 2);
}

#[tokio::test]
async fn a_pending_outbox_message_survives_a_restart_and_is_delivered() {
    let fake = FakeSlack::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    // First run: no bot token, so nothing is posted and the message stays queued.
    let first = spawn_app_with(|s| s.database.url = url.clone()).await;
    first.store.outbox_enqueue(&[queued("test:restart", "queued before the restart")], chrono::Utc::now()).await.unwrap();
    assert_eq!(first.store.outbox_row("test:restart").await.unwrap().unwrap().status, "pending");
    drop(first);

    let second = spawn_app_with(|s| {
        configure(s, &fake, false);
        s.database.url = url.clone();
    })
    .await;
    wait_status(&second, "test:restart", "sent").await;
    let posts = fake.calls("chat.postMessage");
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].json()["text"], "queued before the restart");
}

#[tokio::test]
async fn the_weekly_digest_is_posted_once_when_two_instances_race_for_it() {
    let fake = FakeSlack::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    let seeder = spawn_app_with(|s| s.database.url = url.clone()).await;
    let schedule = DigestSchedule::parse("monday", "00:00", "UTC").unwrap();
    seed_at(&seeder, &CHECKOUT, in_digest_window(&schedule)).await;
    drop(seeder);
    // Two replicas on one database, both finding the digest due at once.
    let (a, b) = tokio::join!(
        spawn_app_with(|s| {
            configure(s, &fake, true);
            s.database.url = url.clone();
        }),
        spawn_app_with(|s| {
            configure(s, &fake, true);
            s.database.url = url.clone();
        })
    );
    let week = schedule.week_of(chrono::Utc::now()).to_string();
    let prefix = format!("digest:{week}:");
    let rows = eventually_async("every digest message sent", || async {
        let rows = a.store.outbox_rows(&prefix).await.unwrap();
        (!rows.is_empty() && rows.iter().all(|r| r.status == "sent")).then_some(rows)
    })
    .await;
    // Give both schedulers several more checks: a second claim would post again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    // The seeded churn note about a slow checkout also alerts its owners (alerts.rs tests that),
    // and the owner channels get their sections (digest.rs tests those).
    let (posts, others): (Vec<_>, Vec<_>) = fake.calls("chat.postMessage").into_iter().partition(|p| p.json()["channel"] == DIGEST_CHANNEL);
    assert!(others.iter().all(|p| p.body.contains("Churn: ") || p.body.contains("Your topics this week")), "{others:?}");
    assert_eq!(posts.len(), rows.iter().filter(|r| r.channel == DIGEST_CHANNEL).count(), "{posts:?}");
    let headers = posts.iter().filter(|p| p.body.contains(&format!("Weekly feedback digest, {week}"))).count();
    assert_eq!(headers, 1, "the digest was posted {headers} times");
    assert!(posts.iter().all(|p| p.json()["channel"] == DIGEST_CHANNEL));
    assert!(posts[0].json()["text"].as_str().unwrap().contains(&format!("Weekly feedback digest {week}")), "{}", posts[0].body);
    assert!(posts[0].body.contains("checkout-slow"), "{}", posts[0].body);
    // The week is claimed: a manual send would be refused, on either instance.
    assert!(!b.store.claim_digest(&week, "test", &[], chrono::Utc::now()).await.unwrap());
    assert!(b.store.digest_claimed(&week).await.unwrap());
    fake.assert_all_within_limits();
}
