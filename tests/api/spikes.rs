//! Spike alerts: 28 days of normal history, then a burst. One alert for the burst topic, an
//! update of that alert (not a new post) when the burst grows, nothing for a flat topic.

use crate::fake_slack::FakeSlack;
use crate::helpers::{test_database_url, test_settings};
use crate::slack::{configure, eventually_async};
use chrono::{Duration, Utc};
use pushback::domain::{AccountRef, Kind, NewFeedback, Source, StoredItem};
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
        lost_arr_cents: None,
        account_record: None,
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
    let store = Store::connect(&url, 2).await.unwrap();
    store.migrate().await.unwrap();
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
