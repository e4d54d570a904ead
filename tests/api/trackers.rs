//! Evidence into GitHub, Jira and Linear issues and back, against fake trackers and a fake
//! Slack on 127.0.0.1: a *Create issue* click files exactly one issue holding the pack, a
//! second click none; tracker errors name the setting and leave no link; signed close webhooks
//! are recorded once, forged ones refused; the impact report is posted once, in the thread.

use crate::fake_slack::FakeSlack;
use crate::fake_trackers::{Answer, FakeTrackers};
use crate::helpers::{TestApp, now, spawn_app_with};
use crate::slack::SIGNING_SECRET;
use chrono::{Duration, Utc};
use pushback::app::{AppState, load_classifier};
use pushback::config::Settings;
use pushback::domain::{IssueState, Source, Tracker};
use pushback::signing::hmac_sha256;
use pushback::slack::client::SlackApi;
use pushback::slack::signature::sign;
use pushback::trackers::impact;
use secrecy::SecretString;
use serde_json::{Value, json};

const HOOK_SECRET: &str = "tracker-hook-secret";

fn configure(s: &mut Settings, slack: &FakeSlack, trackers: &FakeTrackers) {
    s.slack.bot_token = Some(SecretString::from("xoxb-test"));
    s.slack.signing_secret = Some(SecretString::from(SIGNING_SECRET));
    s.slack.api_url = slack.api_url();
    s.slack.digest_check_secs = 1;
    let t = &mut s.trackers;
    t.github.token = Some(SecretString::from("ghp_test"));
    t.github.repo = Some("acme/web".into());
    t.github.api_url = format!("{}/github", trackers.base);
    t.github.webhook_secret = Some(SecretString::from(HOOK_SECRET));
    t.jira.base_url = Some(format!("{}/jira", trackers.base));
    t.jira.email = Some("bot@acme.com".into());
    t.jira.api_token = Some(SecretString::from("jira-token"));
    t.jira.project = Some("PROJ".into());
    t.jira.webhook_secret = Some(SecretString::from(HOOK_SECRET));
    t.linear.api_key = Some(SecretString::from("lin_api_test"));
    t.linear.team_id = Some("team-1".into());
    t.linear.api_url = format!("{}/linear/graphql", trackers.base);
    t.linear.webhook_secret = Some(SecretString::from(HOOK_SECRET));
}

/// Generic items at `created`: `topic` of them about slow checkout, `other` about anything else.
async fn seed(app: &TestApp, tag: &str, topic: usize, other: usize, created: chrono::DateTime<Utc>) {
    let mut items = Vec::new();
    for i in 0..topic + other {
        let body = if i < topic {
            "Checkout takes 40 seconds and the cart spinner never stops"
        } else {
            "Please add a dark mode to the settings page"
        };
        items.push(json!({"id": format!("{tag}-{i}"), "body": body, "created_at": created.to_rfc3339(),
                          "account": {"id": format!("acct-{}", i % 7), "arr_cents": 1_200_000}}));
    }
    let response = app.post_webhook(Source::Generic, &Value::Array(items).to_string()).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
}

fn button_body(action_id: &str, value: &Value, response_url: &str, ephemeral: bool) -> String {
    let payload = json!({
        "type": "block_actions",
        "user": {"id": "W111", "username": "pat", "name": "pat", "team_id": "T111"},
        "api_app_id": "A111", "token": "verification_token",
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": "C111", "is_ephemeral": ephemeral},
        "trigger_id": "111.222.valid",
        "team": {"id": "T111", "domain": "workspace-domain"},
        "channel": {"id": "C111", "name": "test-channel"},
        "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": "evidence_actions", "text": {"type": "plain_text", "text": "Create issue"},
                     "value": value.to_string(), "type": "button", "action_ts": "1596530385.194939"}]
    });
    url::form_urlencoded::Serializer::new(String::new()).append_pair("payload", &payload.to_string()).finish()
}

async fn click(app: &TestApp, tracker: &str, response_url: &str) {
    let value = json!({"topic": "checkout-slow", "days": 30, "tracker": tracker});
    let body = button_body(&format!("create_issue_{tracker}"), &value, response_url, false);
    let ts = now();
    let response = app
        .client
        .post(format!("{}/slack/interactions", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-slack-signature", sign(SIGNING_SECRET.as_bytes(), ts, body.as_bytes()))
        .header("x-slack-request-timestamp", ts.to_string())
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

async fn answer(slack: &FakeSlack, id: &str) -> Value {
    slack.wait_for_response(id, 1).await.remove(0)
}

#[tokio::test]
async fn a_create_issue_click_files_one_issue_with_the_pack_and_a_second_click_none() {
    let (slack, trackers) = (FakeSlack::start().await, FakeTrackers::start().await);
    let app = spawn_app_with(|s| configure(s, &slack, &trackers)).await;
    seed(&app, "c", 5, 5, Utc::now() - Duration::days(1)).await;

    for (tracker, label) in [("github", "GitHub"), ("jira", "Jira"), ("linear", "Linear")] {
        click(&app, tracker, &slack.response_url(&format!("{tracker}-1"))).await;
        let first = answer(&slack, &format!("{tracker}-1")).await;
        assert_eq!(first["replace_original"], true, "the evidence message is updated: {first}");
        assert!(first["text"].as_str().unwrap().starts_with(&format!("Created {label} issue")), "{first}");
        assert!(first.to_string().contains("Linked issues"), "the updated message shows the link: {first}");
        click(&app, tracker, &slack.response_url(&format!("{tracker}-2"))).await;
        let second = answer(&slack, &format!("{tracker}-2")).await;
        assert!(second["text"].as_str().unwrap().contains("no second issue was created"), "{second}");
        assert_eq!(trackers.calls(tracker).len(), 1, "{tracker}: exactly one issue");
    }

    let github = &trackers.calls("github")[0];
    assert_eq!(github.path, "/repos/acme/web/issues");
    assert_eq!(github.authorization.as_deref(), Some("Bearer ghp_test"));
    assert!(github.body["body"].as_str().unwrap().contains("## Evidence: Checkout is slow"), "the body is the pack");
    assert!(github.body["title"].as_str().unwrap().starts_with("Checkout is slow: 5 items from 5 accounts"));
    let jira = &trackers.calls("jira")[0];
    assert_eq!(jira.body["fields"]["project"]["key"], "PROJ");
    assert_eq!(jira.body["fields"]["description"]["type"], "doc");
    assert!(jira.body["fields"]["description"].to_string().contains("\"type\":\"blockquote\""), "quotes become ADF");
    let linear = &trackers.calls("linear")[0];
    assert!(linear.body["query"].as_str().unwrap().contains("issueCreate"));
    assert!(linear.body["variables"]["input"]["description"].as_str().unwrap().contains("### What customers say"));

    let links = app.store.issue_links("checkout-slow").await.unwrap();
    let keys: Vec<(Tracker, &str)> = links.iter().map(|l| (l.tracker, l.key.as_str())).collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
    assert!(
        links.iter().all(|l| l.created_by == "slack:W111" && l.slack_ts.as_deref() == Some("1700000000.000100") && !l.pack_hash.is_empty())
    );
    slack.assert_all_within_limits();
}

#[tokio::test]
async fn tracker_errors_name_the_setting_to_fix_and_leave_no_link() {
    let (slack, trackers) = (FakeSlack::start().await, FakeTrackers::start().await);
    let app = spawn_app_with(|s| configure(s, &slack, &trackers)).await;
    seed(&app, "e", 3, 3, Utc::now() - Duration::days(1)).await;
    trackers.script(
        "github",
        vec![
            Answer(401, json!({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}), None),
            Answer(
                422,
                json!({"message": "Validation Failed", "errors": [{"resource": "Issue", "field": "title", "code": "missing_field"}]}),
                None,
            ),
            Answer(429, json!({"message": "API rate limit exceeded"}), Some(30)),
        ],
    );
    trackers.script("jira", vec![Answer(400, json!({"errorMessages": [], "errors": {"project": "valid project is required"}}), None)]);
    let expected = [
        ("github", "PUSHBACK_TRACKERS__GITHUB__TOKEN"),
        ("github", "Validation Failed: title missing_field"),
        ("github", "try again in 30 s"),
        ("jira", "PUSHBACK_TRACKERS__JIRA__PROJECT"),
    ];
    for (n, (tracker, needle)) in expected.into_iter().enumerate() {
        click(&app, tracker, &slack.response_url(&format!("err-{n}"))).await;
        let said = answer(&slack, &format!("err-{n}")).await;
        assert!(said["text"].as_str().unwrap().contains(needle), "{tracker}: {said}");
        assert!(app.store.issue_links("checkout-slow").await.unwrap().is_empty(), "a failed create leaves no link");
    }
    // Once the tracker accepts, the next click works.
    click(&app, "github", &slack.response_url("ok")).await;
    assert!(answer(&slack, "ok").await["text"].as_str().unwrap().starts_with("Created GitHub issue"));
    assert_eq!(app.store.issue_links("checkout-slow").await.unwrap().len(), 1);
}

fn github_close(number: u64, reason: &str, closed_at: &str) -> String {
    json!({"action": "closed", "issue": {"number": number, "state": "closed", "state_reason": reason, "closed_at": closed_at},
           "repository": {"full_name": "acme/web"}, "sender": {"login": "dev"}})
    .to_string()
}

async fn post_hook(app: &TestApp, tracker: &str, body: &str, headers: &[(&str, String)]) -> reqwest::Response {
    app.post_raw(tracker, body.to_string(), headers).await
}

fn hub(body: &str, secret: &str) -> String {
    format!("sha256={}", hex::encode(hmac_sha256(secret.as_bytes(), &[body.as_bytes()])))
}

#[tokio::test]
async fn signed_close_webhooks_are_recorded_once_and_forged_ones_refused() {
    let (slack, trackers) = (FakeSlack::start().await, FakeTrackers::start().await);
    let app = spawn_app_with(|s| configure(s, &slack, &trackers)).await;
    seed(&app, "w", 3, 3, Utc::now() - Duration::days(1)).await;
    for tracker in ["github", "jira", "linear"] {
        click(&app, tracker, &slack.response_url(tracker)).await;
        answer(&slack, tracker).await;
    }
    let links = app.store.issue_links("checkout-slow").await.unwrap();
    let key = |t: Tracker| links.iter().find(|l| l.tracker == t).unwrap().key.clone();
    let gh_number: u64 = key(Tracker::Github).rsplit('#').next().unwrap().parse().unwrap();

    // Forged: wrong secret, then no signature. Nothing is recorded.
    let body = github_close(gh_number, "completed", "2026-11-02T10:00:00Z");
    let event = ("x-github-event", "issues".to_string());
    let forged = post_hook(&app, "github", &body, &[event.clone(), ("x-hub-signature-256", hub(&body, "wrong"))]).await;
    assert_eq!(forged.status(), 401);
    assert_eq!(post_hook(&app, "github", &body, std::slice::from_ref(&event)).await.status(), 401);
    assert_eq!(app.store.issue_by_key(Tracker::Github, &key(Tracker::Github)).await.unwrap().unwrap().state, IssueState::Open);

    // Signed: recorded, once.
    let signed = [event.clone(), ("x-hub-signature-256", hub(&body, HOOK_SECRET))];
    let first: Value = post_hook(&app, "github", &body, &signed).await.json().await.unwrap();
    assert_eq!(first["changed"], true, "{first}");
    let again: Value = post_hook(&app, "github", &body, &signed).await.json().await.unwrap();
    assert_eq!(again["changed"], false, "a redelivery changes nothing: {again}");
    let link = app.store.issue_by_key(Tracker::Github, &key(Tracker::Github)).await.unwrap().unwrap();
    assert_eq!((link.state, link.done_at.unwrap().to_rfc3339()), (IssueState::Done, "2026-11-02T10:00:00+00:00".to_string()));

    // Unlinked issue: 200, ignored. Malformed: 400 naming the field.
    let other = github_close(999_999, "completed", "2026-11-02T10:00:00Z");
    let r = post_hook(&app, "github", &other, &[event.clone(), ("x-hub-signature-256", hub(&other, HOOK_SECRET))]).await;
    assert_eq!(r.status(), 200);
    assert!(r.json::<Value>().await.unwrap()["ignored"].as_str().unwrap().contains("not filed"));
    let bad = r#"{"action":"closed","repository":{"full_name":"acme/web"}}"#;
    let r = post_hook(&app, "github", bad, &[event, ("x-hub-signature-256", hub(bad, HOOK_SECRET))]).await;
    let err = crate::helpers::expect_error(r, 400, "missing", "no issue number").await;
    assert_eq!(err["field"], "issue.number");

    // Linear: signed and fresh is recorded; stale is 401.
    let linear = |ms: i64| {
        json!({"action": "update", "type": "Issue", "webhookTimestamp": ms,
               "data": {"identifier": key(Tracker::Linear), "state": {"type": "completed", "name": "Done"}, "completedAt": "2026-11-03T09:00:00.000Z"}})
        .to_string()
    };
    let stale = linear((Utc::now() - Duration::seconds(120)).timestamp_millis());
    let sig = |b: &str| hex::encode(hmac_sha256(HOOK_SECRET.as_bytes(), &[b.as_bytes()]));
    assert_eq!(post_hook(&app, "linear", &stale, &[("linear-signature", sig(&stale))]).await.status(), 401);
    let fresh = linear(Utc::now().timestamp_millis());
    assert_eq!(post_hook(&app, "linear", &fresh, &[("linear-signature", sig(&fresh))]).await.status(), 200);
    assert_eq!(app.store.issue_by_key(Tracker::Linear, &key(Tracker::Linear)).await.unwrap().unwrap().state, IssueState::Done);

    // Jira: status category done.
    let jira = json!({"webhookEvent": "jira:issue_updated", "timestamp": Utc::now().timestamp_millis(),
                      "issue": {"key": key(Tracker::Jira), "fields": {"status": {"name": "Done", "statusCategory": {"key": "done"}}}}})
    .to_string();
    assert_eq!(post_hook(&app, "jira", &jira, &[("x-hub-signature", hub(&jira, "nope"))]).await.status(), 401);
    assert_eq!(post_hook(&app, "jira", &jira, &[("x-hub-signature", hub(&jira, HOOK_SECRET))]).await.status(), 200);
    assert_eq!(app.store.issue_by_key(Tracker::Jira, &key(Tracker::Jira)).await.unwrap().unwrap().state, IssueState::Done);
}

#[tokio::test]
async fn the_impact_report_shows_a_real_drop_is_posted_once_in_the_thread_and_a_reopen_cancels_it() {
    let (slack, trackers) = (FakeSlack::start().await, FakeTrackers::start().await);
    let app = spawn_app_with(|s| configure(s, &slack, &trackers)).await;
    let fix = (Utc::now() - Duration::days(40)).date_naive().and_hms_opt(0, 0, 0).unwrap().and_utc();
    // Before the fix 40 of 100 items are about slow checkout; after it, 8 of 68.
    seed(&app, "before", 40, 60, fix - Duration::days(10)).await;
    seed(&app, "after", 8, 60, fix + Duration::days(20)).await;
    // A flat stretch long before: 20 of 80 on both sides of an earlier "fix".
    let flat_fix = fix - Duration::days(80);
    seed(&app, "flat-before", 20, 60, flat_fix - Duration::days(10)).await;
    seed(&app, "flat-after", 20, 60, flat_fix + Duration::days(20)).await;

    let classifier = load_classifier(&app.settings, &app.store).await.unwrap();
    let drop = impact::report(&app.store, &classifier, "checkout-slow", "acme/web#1", fix, (28, 7), Utc::now()).await.unwrap().unwrap();
    assert!(drop.complete);
    assert_eq!((drop.impact.before, drop.impact.after, drop.impact.before_total, drop.impact.after_total), (40, 8, 100, 68));
    assert!(drop.impact.p_value.unwrap() < 0.01, "{drop:?}");
    assert!(drop.impact.ci_high.unwrap() < 1.0, "the CI excludes 1: {drop:?}");
    assert!(drop.summary.starts_with("checkout-slow complaints fell"), "{}", drop.summary);
    let flat = impact::report(&app.store, &classifier, "checkout-slow", "the fix", flat_fix, (28, 7), Utc::now()).await.unwrap().unwrap();
    assert!(!flat.impact.significant, "{flat:?}");
    assert!(flat.summary.contains("no significant change"), "{}", flat.summary);

    // File it from the evidence message in #C111, then close it as done on the fix date.
    click(&app, "github", &slack.response_url("file")).await;
    answer(&slack, "file").await;
    let link = app.store.issue_links("checkout-slow").await.unwrap().remove(0);
    let number: u64 = link.key.rsplit('#').next().unwrap().parse().unwrap();
    let body = github_close(number, "completed", &fix.to_rfc3339());
    let signed = [("x-github-event", "issues".to_string()), ("x-hub-signature-256", hub(&body, HOOK_SECRET))];
    assert_eq!(post_hook(&app, "github", &body, &signed).await.status(), 200);

    // Serve posts it in the evidence message's thread, and to the topic's owner channel...
    let reports = || slack.calls_mentioning("chat.postMessage", "complaints fell");
    crate::slack::eventually("the report in the thread and in the owner channel", || (reports().len() >= 2).then_some(())).await;
    let (thread, owner): (Vec<Value>, Vec<Value>) = reports().iter().map(|c| c.json()).partition(|p| p["channel"] == "C111");
    assert_eq!(thread.len(), 1, "{thread:?}");
    assert_eq!(thread[0]["thread_ts"].as_str(), Some("1700000000.000100"), "{thread:?}");
    assert_eq!(owner.len(), 1, "{owner:?}");
    assert_eq!((owner[0]["channel"].as_str(), owner[0]["thread_ts"].as_str()), (Some("#team-payments"), None), "{owner:?}");
    assert!(owner[0].to_string().contains("Did it work?") && owner[0].to_string().contains(&link.key), "{owner:?}");
    // ...once: another replica's pass finds nothing left to post or queue.
    let (replica, _writer) = AppState::new(app.store.clone(), classifier, app.settings.clone());
    let api = SlackApi::new(&replica.settings.slack).unwrap();
    assert_eq!(pushback::slack::issues::post_due_reports(&replica, &api, Utc::now()).await.unwrap(), 0);
    assert!(app.store.issue_by_key(Tracker::Github, &link.key).await.unwrap().unwrap().reported_at.is_some());
    assert_eq!(app.store.outbox_rows("impact:").await.unwrap().len(), 1, "one copy queued, for #team-payments");
    assert_eq!(reports().len(), 2);
    // The weekly digest lists the fix and its effect.
    let week = replica.settings.slack.schedule().unwrap_or_default().week_of(Utc::now());
    let digest = serde_json::to_string(&pushback::slack::digest::digest_messages(&replica, week).await.unwrap()).unwrap();
    assert!(digest.contains("Fixes and their effect") && digest.contains("checkout-slow complaints fell"), "{digest}");

    // A fix closed two days ago has no complete window; reopening it cancels its report.
    click(&app, "linear", &slack.response_url("lin")).await;
    answer(&slack, "lin").await;
    let key = app.store.issue_links("checkout-slow").await.unwrap().into_iter().find(|l| l.tracker == Tracker::Linear).unwrap().key;
    let linear = |state: &str| {
        json!({"action": "update", "type": "Issue", "webhookTimestamp": Utc::now().timestamp_millis(),
               "data": {"identifier": key, "state": {"type": state}, "completedAt": (Utc::now() - Duration::days(2)).to_rfc3339()}})
        .to_string()
    };
    for state in ["completed", "started"] {
        let b = linear(state);
        let sig = hex::encode(hmac_sha256(HOOK_SECRET.as_bytes(), &[b.as_bytes()]));
        assert_eq!(post_hook(&app, "linear", &b, &[("linear-signature", sig)]).await.status(), 200);
    }
    assert!(app.store.pending_reports().await.unwrap().is_empty(), "the reopened issue has no pending report");
}
