//! The storage story, run unchanged on SQLite and PostgreSQL: write, redeliver, update,
//! correct, page through, keep models.

use crate::helpers::{assert_rollups_agree, migrated_store, test_database_url};
use chrono::{TimeZone, Utc};
use pushback::domain::{Account, AccountRef, ArrCents, Classification, Kind, NewFeedback, Source, StoredItem};
use pushback::store::{Store, WriteOutcome};

fn item(id: &str, body: &str, topics: &[&str]) -> StoredItem {
    StoredItem {
        item: NewFeedback {
            source: Source::Generic,
            external_id: id.into(),
            kind: Kind::Ticket,
            account: AccountRef { id: Some("acme".into()), name: Some("Acme".into()) },
            subject: "Subject".into(),
            body: body.into(),
            tags: vec!["t1".into()],
            url: Some(format!("https://x.example/{id}")),
            created_at: Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap(),
            updated_at: None,
            lost_arr_cents: None,
            account_record: None,
            survey: None,
        },
        classification: Classification {
            performance: true,
            reliability: false,
            score_performance: 0.9,
            score_reliability: 0.1,
            explanation: vec!["term:slow".into()],
            topics: topics.iter().map(|t| t.to_string()).collect(),
            model_version: "m-test/r-test".into(),
        },
    }
}

async fn open() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    let store = migrated_store(&url).await;
    store.migrate().await.expect("migrations are idempotent");
    (store, dir)
}

#[tokio::test]
async fn storage_story_write_redeliver_update_correct_and_page() {
    let (store, _dir) = open().await;
    let now = Utc::now();

    let written = store
        .write_batch(&[item("a", "slow", &["checkout-slow"]), item("b", "slower", &[]), item("a", "slow", &["checkout-slow"])], now)
        .await
        .unwrap();
    assert_eq!(
        written.iter().map(|w| w.outcome).collect::<Vec<_>>(),
        vec![WriteOutcome::Inserted, WriteOutcome::Inserted, WriteOutcome::Unchanged]
    );
    assert_eq!(written[0].id, written[2].id);
    assert_eq!(store.count_items().await.unwrap(), 2);
    assert_rollups_agree(&store, "after inserts and a repeat in the batch").await;

    let updated = store.write_batch(&[item("a", "slow and now broken", &[])], now).await.unwrap();
    assert_eq!(updated[0].outcome, WriteOutcome::Updated);
    assert_eq!(updated[0].id, written[0].id);
    let a = store.item(written[0].id).await.unwrap().unwrap();
    assert_eq!(a.body, "slow and now broken");
    assert_eq!(a.tags, vec!["t1"]);
    assert_eq!(a.classification.explanation, vec!["term:slow"]);
    assert_eq!(a.created_at, Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap());
    assert_rollups_agree(&store, "after an edit that drops a topic").await;

    assert!(store.record_correction(written[1].id, false, true, "tester", now).await.unwrap());
    assert!(!store.record_correction(999_999, false, true, "tester", now).await.unwrap());
    let corrections = store.corrections().await.unwrap();
    assert_eq!(corrections.len(), 1);
    assert!(corrections[0].reliability && !corrections[0].performance);
    assert_eq!(corrections[0].text, "Subject\nslower");
    let b = store.item(written[1].id).await.unwrap().unwrap();
    assert!(b.classification.reliability && !b.classification.performance);
    assert_rollups_agree(&store, "after a correction").await;

    let page1 = store.items_after(0, 1).await.unwrap();
    let page2 = store.items_after(page1[0].id, 10).await.unwrap();
    assert_eq!(page1.len() + page2.len(), 2);

    let acme = store.account("acme").await.unwrap().unwrap();
    assert_eq!(acme.name.as_deref(), Some("Acme"));
    store
        .upsert_accounts(&[Account { id: "acme".into(), name: None, plan: Some("pro".into()), arr_cents: Some(ArrCents(120_000)) }], now)
        .await
        .unwrap();
    let acme = store.account("acme").await.unwrap().unwrap();
    assert_eq!((acme.name.as_deref(), acme.plan.as_deref(), acme.arr_cents), (Some("Acme"), Some("pro"), Some(ArrCents(120_000))));
}

#[tokio::test]
async fn only_one_model_is_active_at_a_time() {
    let (store, _dir) = open().await;
    let now = Utc::now();
    assert!(store.active_model().await.unwrap().is_none());
    store.save_model("m-1", "{}", "{\"a\":1}", true, now).await.unwrap();
    store.save_model("m-2", "{}", "{\"a\":2}", false, now).await.unwrap();
    assert_eq!(store.active_model().await.unwrap().unwrap().version, "m-1");
    assert!(store.activate_model("m-2").await.unwrap());
    assert_eq!(store.active_model().await.unwrap().unwrap().version, "m-2");
    assert!(!store.activate_model("m-9").await.unwrap());
}

#[tokio::test]
async fn a_correction_then_retraining_flips_a_previously_wrong_item() {
    use pushback::classify::train::{TrainParams, correction_examples, train};
    use pushback::classify::{Classifier, seed};

    let (store, _dir) = open().await;
    let rules = pushback::classify::rules::Rules::parse(seed::DEFAULT_RULES_TOML, "config/rules.toml").unwrap();
    let shipped = Classifier::new(seed::default_model(), rules.clone());
    // Domain jargon the seed corpus has never seen: the shipped model says "neither".
    let text = "the quorum rebalancer thrashes whenever the shard map grows";
    let before = shipped.classify_text(text);
    assert!(!before.performance, "precondition: the shipped model misses this one ({:?})", before.explanation);

    let mut stored = item("jargon-1", text, &[]);
    stored.item.subject = String::new();
    stored.classification = before;
    let written = store.write_batch(&[stored], Utc::now()).await.unwrap();
    assert!(store.record_correction(written[0].id, true, false, "engineer", Utc::now()).await.unwrap());

    // What `pushback train --include-corrections` does: the shipped recipe's examples (seed
    // corpus and data/public) plus each correction.
    let mut examples = pushback::classify::recipe::shipped_examples(&Default::default());
    for c in store.corrections().await.unwrap() {
        examples.extend(correction_examples(&c.text, c.performance, c.reliability));
    }
    let retrained = Classifier::new(train(&examples, &TrainParams::default()).unwrap(), rules);
    let after = retrained.classify_text(text);
    assert!(after.performance, "the correction did not flip the item: {:?}", after.explanation);
    assert_ne!(retrained.model.version, shipped.model.version);
}

#[tokio::test]
async fn a_batch_bigger_than_one_statement_keeps_every_item_and_its_outcome() {
    let (store, _dir) = open().await;
    let now = Utc::now();
    let mut batch: Vec<StoredItem> =
        (0..1202).map(|i| item(&format!("bulk-{i}"), &format!("slow checkout {i}"), &["checkout-slow"])).collect();
    let mut account_item = item("with-account", "slow", &[]);
    account_item.item.account_record =
        Some(Account { id: "globex".into(), name: Some("Globex".into()), plan: None, arr_cents: Some(ArrCents(5)) });
    batch.push(account_item);
    batch.push(item("bulk-5", "slow checkout, resent with more detail", &["checkout-slow"])); // a repeat in another chunk
    let written = store.write_batch(&batch, now).await.unwrap();
    assert_eq!(written.len(), 1204);
    assert!(written[..1203].iter().all(|w| w.outcome == WriteOutcome::Inserted));
    assert_eq!(written[1203].outcome, WriteOutcome::Updated);
    assert_eq!(written[1203].id, written[5].id);
    assert_eq!(store.count_items().await.unwrap(), 1203);
    assert_eq!(store.item(written[5].id).await.unwrap().unwrap().body, "slow checkout, resent with more detail");
    let from = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2026, 11, 3, 0, 0, 0).unwrap();
    assert_eq!(store.topic_counts(from, to).await.unwrap(), vec![("checkout-slow".to_string(), 1202)]);
    assert_eq!(store.account("globex").await.unwrap().unwrap().arr_cents, Some(ArrCents(5)));
    let again = store.write_batch(&batch, now).await.unwrap();
    assert!(again.iter().all(|w| w.outcome == WriteOutcome::Unchanged || w.id == written[5].id), "a redelivery changes nothing");
    assert!(again.iter().zip(&written).all(|(a, w)| a.id == w.id), "every redelivered item is matched to its stored row");
    assert_rollups_agree(&store, "after a batch over several statements and its redelivery").await;
}

#[tokio::test]
async fn the_last_delivery_of_an_item_in_a_batch_wins_even_when_it_restores_the_stored_text() {
    let (store, _dir) = open().await;
    let now = Utc::now();
    let first = store.write_batch(&[item("a", "slow", &["checkout-slow"])], now).await.unwrap();
    // Stored "slow"; the batch changes it, then changes it back, then repeats that.
    let batch =
        [item("a", "slow and broken", &["uploads-broken"]), item("a", "slow", &["checkout-slow"]), item("a", "slow", &["checkout-slow"])];
    let written = store.write_batch(&batch, now).await.unwrap();
    assert_eq!(
        written.iter().map(|w| w.outcome).collect::<Vec<_>>(),
        vec![WriteOutcome::Updated, WriteOutcome::Updated, WriteOutcome::Unchanged]
    );
    assert!(written.iter().all(|w| w.id == first[0].id));
    assert_eq!(store.item(first[0].id).await.unwrap().unwrap().body, "slow");
    let from = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2026, 11, 3, 0, 0, 0).unwrap();
    assert_eq!(store.topic_counts(from, to).await.unwrap(), vec![("checkout-slow".to_string(), 1)], "topics of the last delivery only");
    assert_rollups_agree(&store, "after one item changed twice in a batch").await;
}

#[tokio::test]
async fn a_redelivery_stamped_later_is_unchanged_and_an_edit_keeps_the_first_creation_time() {
    let (store, _dir) = open().await;
    let now = Utc::now();
    let first = store.write_batch(&[item("a", "slow", &["checkout-slow"])], now).await.unwrap();
    let created = store.item(first[0].id).await.unwrap().unwrap().created_at;
    // The same ticket again without a creation time of its own: the parser stamps it with its
    // receipt time, a day later.
    let mut later = item("a", "slow", &["checkout-slow"]);
    later.item.created_at = created + chrono::Duration::days(1);
    assert_eq!(store.write_batch(std::slice::from_ref(&later), now).await.unwrap()[0].outcome, WriteOutcome::Unchanged);
    later.item.body = "slow, and now it times out".into();
    assert_eq!(store.write_batch(&[later], now).await.unwrap()[0].outcome, WriteOutcome::Updated);
    let stored = store.item(first[0].id).await.unwrap().unwrap();
    assert_eq!((stored.body.as_str(), stored.created_at), ("slow, and now it times out", created));
    let (from, to) = (created - chrono::Duration::hours(1), created + chrono::Duration::hours(1));
    assert_eq!(store.topic_counts(from, to).await.unwrap(), vec![("checkout-slow".to_string(), 1)], "topic rows keep the stored time");
    assert_rollups_agree(&store, "after an edit stamped a day later").await;
}

#[tokio::test]
async fn after_a_bulk_load_postgres_tables_are_vacuumed_and_analysed() {
    let (store, _dir) = open().await;
    store.write_batch(&[item("a", "slow", &["checkout-slow"]), item("b", "slower", &[])], Utc::now()).await.unwrap();
    let ran = store.settle_after_bulk_load().await.unwrap();
    match &store {
        Store::Sqlite(_) => assert!(!ran, "nothing to do on SQLite"),
        Store::Postgres(pool) => {
            assert!(ran);
            let settled: Vec<(String, bool, bool)> = sqlx::query_as(
                "SELECT relname::text, last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables \
                 WHERE relname IN ('feedback', 'feedback_topics', 'accounts') ORDER BY relname",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            assert_eq!(
                settled,
                ["accounts", "feedback", "feedback_topics"].map(|t| (t.to_string(), true, true)).to_vec(),
                "every loaded table vacuumed and analysed"
            );
        }
    }
}
