//! Spike alerts: 28 days of normal history, then a burst. One alert for the burst topic, an
//! update of that alert (not a new post) when the burst grows, nothing for a flat topic.

use crate::fake_slack::FakeSlack;
use crate::helpers::{migrated_store, test_database_url, test_settings};
use crate::slack::{configure, eventually_async};
use chrono::{Duration, Utc};
use pushback::domain::{Account, AccountRef, ArrCents, Kind, NewFeedback, Source, StoredItem};
use pushback::store::Store;

fn item(id: &str, body: &str, days_ago: f64) -> NewFeedback {
    NewFeedback {
        source: Source::Generic,
        external_id: id.to_string(),
        kind: Kind::Ticket,
        account: AccountRef { id: Some(format!("acct-{}", id.len() % 5)), name: None },
        subject: String::new(),
        body: body.to_string(),
        tags: vec![],
        url: None,
        created_at: Utc::now() - Duration::seconds((days_ago * 86_400.0) as i64),
        updated_at: None,
        lost_arr_cents: None,
        account_record: None,
        survey: None,
    }
}

/// Every day of 28 (and today): 20 items about nothing urgent, one "search is slow"; checkout
/// is slow every other day.
fn history() -> Vec<NewFeedback> {
    let mut out = Vec::new();
    for day in 0..29 {
        let at = f64::from(day) + 0.5;
        for i in 0..20 {
            out.push(item(&format!("thanks-{day}-{i}"), &format!("Thanks for the onboarding call, note {i}."), at));
        }
        out.push(item(&format!("search-{day}"), "Search is really slow today.", at));
        if day > 0 && day % 2 == 0 {
            out.push(item(&format!("checkout-{day}"), "The checkout is too slow for us.", at));
        }
    }
    out
}

fn burst(from: usize, to: usize) -> Vec<NewFeedback> {
    (from..to).map(|i| item(&format!("burst-{i}"), "The checkout is too slow again, customers wait forever.", 0.1)).collect()
}

async fn write(store: &Store, items: Vec<NewFeedback>, settings: &pushback::config::Settings) {
    let classifier = pushback::app::offline_classifier(settings).unwrap();
    let prepared: Vec<StoredItem> = pushback::ingest::prepare(items, &classifier, false);
    store.write_batch(&prepared, Utc::now()).await.unwrap();
}

fn top_level_spike_posts(fake: &FakeSlack, label: &str) -> usize {
    fake.calls_mentioning("chat.postMessage", label).iter().filter(|c| c.json()["thread_ts"].is_null()).count()
}

#[tokio::test]
async fn a_burst_after_28_normal_days_alerts_once_then_updates_and_a_flat_topic_stays_quiet() {
    let fake = FakeSlack::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    let settings = test_settings(dir.path()).await;
    let store = migrated_store(&url).await;
    write(&store, history(), &settings).await;
    write(&store, burst(0, 10), &settings).await;
    let fake_ref = &fake;
    let app = crate::helpers::spawn_app_with(move |s| {
        configure(s, fake_ref, false);
        s.database.url = url;
        s.alerts.spikes = true;
        s.alerts.spike_check_secs = 1;
    })
    .await;
    let label = "Spike: Checkout is slow";
    let first = fake.wait_for_text("chat.postMessage", label).await;
    assert_eq!(first[0].json()["channel"], "#team-payments");
    let text = first[0].body.clone();
    assert!(text.contains("*10 items*") && text.contains("Evidence pack"), "{text}");

    // The burst grows: the alert is updated in place (chat.update), never posted again.
    write(&app.store, burst(10, 30), &settings).await;
    fake.wait_for_text("chat.update", "*30 items*").await;
    assert_eq!(top_level_spike_posts(&fake, label), 1);
    // Search is as slow as ever: no alert.
    assert!(fake.calls_mentioning("chat.postMessage", "Search is slow").is_empty());
    eventually_async("the rise recorded once", || async {
        app.store.spike_state("topic:checkout-slow").await.unwrap().filter(|s| s.checks > 1).map(|_| ())
    })
    .await;
    assert_eq!(
        app.store
            .outbox_rows("spike:topic:checkout-slow:")
            .await
            .unwrap()
            .iter()
            .filter(|r| !r.dedupe_key.contains(":update:") && !r.dedupe_key.contains(":reply:"))
            .count(),
        1
    );
    fake.assert_all_within_limits();
}

/// config/rules.toml, except that checkout-slow wants 50 items before it alerts and uploads
/// alerts on 3 (both below their first `channel` line).
fn rules_with_own_thresholds(dir: &std::path::Path) -> std::path::PathBuf {
    let rules = std::fs::read_to_string("config/rules.toml").unwrap();
    let rules = rules.replacen("channel = \"#team-payments\"\n", "channel = \"#team-payments\"\nspike_min_items = 50\n", 1);
    let rules = rules.replacen("channel = \"#team-storage\"", "channel = \"#team-storage\"\nspike_min_items = 3", 1);
    assert_eq!(rules.matches("\nspike_min_items = ").count(), 2, "both topics found");
    let path = dir.join("rules.toml");
    std::fs::write(&path, rules).unwrap();
    path
}

const SEARCH_BURST: [&str; 4] = [
    "Search is painfully slow again, results take forever to show up. Write to ops@acme.test",
    "Searching our catalogue takes 30 seconds now, it used to be instant",
    "The search page is so slow that our staff gave up on it",
    "Search results load very slowly since Monday",
];

/// Ten slow-search complaints today from four accounts with ARR on record.
fn search_burst() -> Vec<NewFeedback> {
    (0..10)
        .map(|i| {
            let mut it = item(&format!("burst-search-{i}"), SEARCH_BURST[i % 4], 0.2);
            it.account = AccountRef { id: Some(format!("acct-s{}", i % 4)), name: None };
            it
        })
        .collect()
}

#[tokio::test]
async fn a_spike_alert_names_accounts_arr_and_two_quotes_and_each_topic_s_own_thresholds_hold() {
    let fake = FakeSlack::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    let mut settings = test_settings(dir.path()).await;
    settings.classifier.rules_path = rules_with_own_thresholds(dir.path());
    let store = migrated_store(&url).await;
    let accounts: Vec<Account> = (0..4)
        .map(|i| Account { id: format!("acct-s{i}"), name: Some(format!("Shop {i}")), plan: None, arr_cents: Some(ArrCents(1_000_000)) })
        .collect();
    store.upsert_accounts(&accounts, Utc::now()).await.unwrap();
    write(&store, history(), &settings).await;
    write(&store, burst(0, 10), &settings).await;
    write(&store, search_burst(), &settings).await;
    let uploads = (0..3).map(|i| item(&format!("upload-{i}"), "Uploads keep failing with an error since this morning.", 0.1)).collect();
    write(&store, uploads, &settings).await;

    // What would alert, from the command line: search (default thresholds) and uploads (its own 3 items), not checkout (50).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pushback"))
        .args(["spikes", "--format", "json"])
        .env("PUSHBACK_DATABASE__URL", &url)
        .env("PUSHBACK_CLASSIFIER__RULES_PATH", &settings.classifier.rules_path)
        .env_remove("PUSHBACK_CLASSIFIER__MODEL_PATH")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let subjects: Vec<&str> = found["spikes"].as_array().unwrap().iter().map(|s| s["subject"].as_str().unwrap()).collect();
    assert!(subjects.contains(&"topic:search-slow") && subjects.contains(&"topic:uploads"), "{found}");
    assert!(!subjects.contains(&"topic:checkout-slow"), "checkout-slow asks for 50 items: {found}");
    let search = found["spikes"].as_array().unwrap().iter().find(|s| s["subject"] == "topic:search-slow").unwrap();
    assert_eq!(search["thresholds"], serde_json::json!({"min_ratio": 2.0, "max_p": 0.01, "min_items": 5}));
    assert_eq!(search["quotes"].as_array().unwrap().len(), 2, "{search}");

    let rules_path = settings.classifier.rules_path.clone();
    let fake_ref = &fake;
    let app = crate::helpers::spawn_app_with(move |s| {
        configure(s, fake_ref, false);
        s.database.url = url;
        s.classifier.rules_path = rules_path;
        s.alerts.spikes = true;
        s.alerts.spike_check_secs = 1;
    })
    .await;
    let alert = fake.wait_for_text("chat.postMessage", "Spike: Search is slow").await.remove(0);
    assert_eq!(alert.json()["channel"], "#team-search");
    let body = alert.body;
    // 10 burst items plus the day's usual one (acct-3, no ARR on record): 5 accounts, 4 of them $10,000 each.
    assert!(body.contains("*11 items* in the last 24 hours") && body.contains("From *5 accounts* with *$40,000 ARR*"), "{body}");
    let quotes: Vec<&str> = body.matches("\\n— ").collect();
    assert_eq!(quotes.len(), 2, "two quotes: {body}");
    assert!(body.contains("— Shop 0, generic burst-search-0 ticket"), "a quote names its account and source ticket: {body}");
    assert!(!body.contains("ops@acme.test"), "quotes are redacted: {body}");
    assert!(body.contains("alerts at 2.0× with p < 0.01 and 5 items"), "{body}");
    let uploads = fake.wait_for_text("chat.postMessage", "Spike: Uploads").await.remove(0);
    assert_eq!(uploads.json()["channel"], "#team-storage");
    assert!(uploads.body.contains("*3 items*") && uploads.body.contains("and 3 items ·"), "its own threshold: {}", uploads.body);
    // The check that alerted for search and uploads found checkout below its 50 items.
    eventually_async("the rise recorded", || async { app.store.spike_state("topic:uploads").await.unwrap().map(|_| ()) }).await;
    assert!(app.store.spike_state("topic:checkout-slow").await.unwrap().is_none());
    assert!(app.store.outbox_rows("spike:topic:checkout-slow:").await.unwrap().is_empty());
    assert!(fake.calls_mentioning("chat.postMessage", "Spike: Checkout").is_empty());
    fake.assert_all_within_limits();
}
