//! The rollups (daily counts kept beside the items) on SQLite and PostgreSQL: every way an item
//! changes moves them in its own transaction, `pushback rollups check` agrees after each and
//! names a difference in words when there is one, and the migration's backfill counts a history
//! stored before the rollups existed.

use crate::helpers::{assert_rollups_agree, migrated_store, test_database_url};
use chrono::{TimeZone, Utc};
use pushback::domain::{AccountRef, Classification, Kind, NewFeedback, Source, StoredItem};
use pushback::store::{Store, WriteOutcome};

fn item(id: &str, account: Option<&str>, kind: Kind, day: u32, performance: bool, topics: &[&str]) -> StoredItem {
    StoredItem {
        item: NewFeedback {
            source: Source::Generic,
            external_id: id.into(),
            kind,
            account: AccountRef { id: account.map(str::to_string), name: None },
            subject: "Checkout".into(),
            body: format!("checkout is slow and times out ({id})"),
            tags: vec![],
            url: None,
            created_at: Utc.with_ymd_and_hms(2026, 11, day, 23, 30, 0).unwrap(),
            updated_at: None,
            lost_arr_cents: (kind == Kind::ChurnNote).then_some(240_000),
            account_record: None,
            survey: None,
        },
        classification: Classification {
            performance,
            reliability: !performance,
            score_performance: 0.8,
            score_reliability: 0.3,
            explanation: vec!["term:slow".into()],
            topics: topics.iter().map(|t| t.to_string()).collect(),
            model_version: "m-test/r-test".into(),
        },
    }
}

fn history() -> Vec<StoredItem> {
    vec![
        item("a", Some("acme"), Kind::Ticket, 2, true, &["checkout-slow"]),
        item("b", Some("acme"), Kind::ChurnNote, 2, true, &["checkout-slow", "pricing"]),
        item("c", None, Kind::Ticket, 3, false, &[]),
        item("d", Some("globex"), Kind::Ticket, 4, true, &["checkout-slow", "checkout-slow"]),
    ]
}

async fn open() -> (Store, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    (migrated_store(&url).await, url, dir)
}

async fn raw(store: &Store, sql: &str) {
    match store {
        Store::Sqlite(pool) => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
        Store::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

fn pushback(url: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pushback"))
        .args(args)
        .env("PUSHBACK_DATABASE__URL", url)
        .env_remove("PUSHBACK_CLASSIFIER__MODEL_PATH")
        .output()
        .expect("pushback runs");
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[tokio::test]
async fn every_change_to_items_moves_the_rollups_with_it_and_a_tampered_row_is_named() {
    let (store, url, _dir) = open().await;
    let now = Utc::now();
    store.write_batch(&history(), now).await.unwrap();
    assert_rollups_agree(&store, "after the first write").await;
    let found = store.check_rollups().await.unwrap();
    assert_eq!(found.items, 4);
    // All items: (day 2, acme, ticket), (day 2, acme, churn), (day 3), (day 4); topics: 3 + 1 pricing.
    assert_eq!(found.rows, 8, "{found:?}");

    // A redelivery in the same batch as an edit that moves the item's tags, topics and account.
    let mut edited = item("a", Some("globex"), Kind::Ticket, 2, false, &["uploads-broken"]);
    edited.item.body = "uploads fail".into();
    let written = store.write_batch(&[history()[1].clone(), edited], now).await.unwrap();
    assert_eq!(written.iter().map(|w| w.outcome).collect::<Vec<_>>(), vec![WriteOutcome::Unchanged, WriteOutcome::Updated]);
    assert_rollups_agree(&store, "after a redelivery and an edit").await;

    // A re-tag (what reclassify and a retrain do), a topic made in Slack, a correction.
    let c = store.item_by_external(Source::Generic, "c").await.unwrap().unwrap();
    let mut retag = c.classification.clone();
    retag.topics = vec!["login-slow".into()];
    retag.performance = true;
    store.set_classifications(&[(c.id, c.created_at, retag)]).await.unwrap();
    assert_rollups_agree(&store, "after a re-tag").await;
    let d = store.item_by_external(Source::Generic, "d").await.unwrap().unwrap();
    assert_eq!(store.add_topic_to_items("pricing", &[(d.id, d.created_at), (c.id, c.created_at)]).await.unwrap(), 2);
    assert_rollups_agree(&store, "after a topic made in Slack").await;
    let b = store.item_by_external(Source::Generic, "b").await.unwrap().unwrap();
    assert!(store.record_correction(b.id, false, true, "engineer", now).await.unwrap());
    assert_rollups_agree(&store, "after a correction").await;

    // The command line: reclassify re-tags everything with the shipped model and checks.
    let (code, stdout, stderr) = pushback(&url, &["reclassify"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("rollups check: 0 differences in") && stdout.contains("counting 4 items"), "{stdout}");

    // A row off by one is named in words, and the check fails.
    raw(&store, "UPDATE rollups SET items = items + 1 WHERE topic = '' AND day = 1793750400").await;
    let (code, stdout, stderr) = pushback(&url, &["rollups", "check"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("2026-11-04, all items, ")
            && stdout.contains("account globex: the rollups say 2 items, a recount of the items says 1 item"),
        "{stdout}"
    );
    assert!(stderr.contains("rollups check: 1 difference in"), "{stderr}");
}

#[tokio::test]
async fn the_migration_counts_a_history_stored_before_the_rollups_existed() {
    let (store, _url, _dir) = open().await;
    store.write_batch(&history(), Utc::now()).await.unwrap();
    let kept = store.check_rollups().await.unwrap();
    raw(&store, "DROP TABLE rollups").await;
    let migration = match &store {
        Store::Sqlite(_) => include_str!("../../migrations/sqlite/20261207006000_rollups.sql"),
        Store::Postgres(_) => include_str!("../../migrations/postgres/20261207006000_rollups.sql"),
    };
    raw(&store, migration).await;
    let backfilled = store.check_rollups().await.unwrap();
    assert!(backfilled.differences.is_empty(), "{backfilled:?}");
    assert_eq!((backfilled.rows, backfilled.items), (kept.rows, kept.items), "the same rows as the write path made");
    raw(&store, "DELETE FROM rollups WHERE topic = 'pricing'").await;
    let missing = store.check_rollups().await.unwrap();
    assert_eq!(missing.differences.len(), 1, "{missing:?}");
    assert!(missing.differences[0].contains("topic pricing") && missing.differences[0].contains("the rollups say 0 items"), "{missing:?}");
}
