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

/// The rollup totals as stored, rows at zero left out, in key order.
async fn totals(store: &Store) -> Vec<(i64, String, bool, bool, String, String, i64, i64, i64)> {
    let sql = "SELECT day, topic, is_performance, is_reliability, source, kind, items, lost_arr_cents, lost_arr_items FROM rollup_totals \
               WHERE items <> 0 OR lost_arr_cents <> 0 OR lost_arr_items <> 0 ORDER BY topic, day, is_performance, is_reliability, source, kind";
    match store {
        Store::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
    }
}

/// (all items, performance, reliability) created in `[from, to)`, counted here from the items.
async fn recount(store: &Store, from: chrono::DateTime<Utc>, to: chrono::DateTime<Utc>) -> (i64, i64, i64) {
    let sql = "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN is_performance THEN 1 ELSE 0 END), 0) AS BIGINT), \
               CAST(COALESCE(SUM(CASE WHEN is_reliability THEN 1 ELSE 0 END), 0) AS BIGINT) FROM feedback WHERE created_at >= $1 AND created_at < $2";
    let (from, to) = (from.timestamp(), to.timestamp());
    match store {
        Store::Sqlite(pool) => sqlx::query_as(sql).bind(from).bind(to).fetch_one(pool).await.unwrap(),
        Store::Postgres(pool) => sqlx::query_as(sql).bind(from).bind(to).fetch_one(pool).await.unwrap(),
    }
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

    // An edit that moves an item to another account on the same day leaves the totals as they were.
    let totals_before = totals(&store).await;
    let mut moved = item("d", Some("initech"), Kind::Ticket, 4, true, &["checkout-slow"]);
    moved.classification = store.item_by_external(Source::Generic, "d").await.unwrap().unwrap().classification;
    store.write_batch(&[moved], now).await.unwrap();
    assert_rollups_agree(&store, "after a move to another account").await;
    assert_eq!(totals(&store).await, totals_before, "the totals have no account to move");

    // A row off by one is named in words, and the check fails.
    raw(&store, "UPDATE rollups SET items = items + 1 WHERE topic = '' AND day = 1793750400 AND account_id = 'initech'").await;
    let (code, stdout, stderr) = pushback(&url, &["rollups", "check"]);
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.starts_with("2026-11-04, all items, ")
            && stdout.contains("account initech: the rollups say 2 items, a recount of the items says 1 item"),
        "{stdout}"
    );
    assert!(stderr.contains("rollups check: 1 difference in"), "{stderr}");
}

#[tokio::test]
async fn the_migration_counts_a_history_stored_before_the_rollups_existed() {
    let (store, _url, _dir) = open().await;
    store.write_batch(&history(), Utc::now()).await.unwrap();
    let kept = store.check_rollups().await.unwrap();
    raw(&store, "DROP TABLE rollup_totals").await;
    raw(&store, "DROP TABLE rollups").await;
    let migrations = match &store {
        Store::Sqlite(_) => [
            include_str!("../../migrations/sqlite/20261207006000_rollups.sql"),
            include_str!("../../migrations/sqlite/20261207007000_rollup_totals.sql"),
        ],
        Store::Postgres(_) => [
            include_str!("../../migrations/postgres/20261207006000_rollups.sql"),
            include_str!("../../migrations/postgres/20261207007000_rollup_totals.sql"),
        ],
    };
    for migration in migrations {
        raw(&store, migration).await;
    }
    let backfilled = store.check_rollups().await.unwrap();
    assert!(backfilled.differences.is_empty(), "{backfilled:?}");
    assert_eq!(
        (backfilled.rows, backfilled.total_rows, backfilled.items),
        (kept.rows, kept.total_rows, kept.items),
        "the same rows as the write path made"
    );
    // All items: (day 2, ticket), (day 2, churn), (day 3), (day 4); topics: 3 + 1 pricing. The
    // accounts were never apart on a day, so the totals have as many rows as the rollups.
    assert_eq!(backfilled.total_rows, 8, "{backfilled:?}");
    raw(&store, "DELETE FROM rollups WHERE topic = 'pricing'").await;
    let missing = store.check_rollups().await.unwrap();
    assert_eq!(missing.differences.len(), 1, "{missing:?}");
    assert!(missing.differences[0].contains("topic pricing") && missing.differences[0].contains("the rollups say 0 items"), "{missing:?}");
    raw(&store, "UPDATE rollup_totals SET items = items - 1 WHERE topic = 'checkout-slow' AND day = 1793750400").await;
    let missing = store.check_rollups().await.unwrap();
    assert_eq!(missing.differences.len(), 2, "{missing:?}");
    assert!(
        missing.differences[1].starts_with("2026-11-04, topic checkout-slow, ")
            && missing.differences[1].contains("every account: the rollup totals say 0 items, a recount of the items says 1 item"),
        "{missing:?}"
    );
}

/// Windows of every shape: whole UTC days, mid-day edges, inside one day, empty, beyond the history.
fn windows(end: chrono::DateTime<Utc>) -> Vec<(chrono::DateTime<Utc>, chrono::DateTime<Utc>)> {
    use chrono::Duration;
    let mut out =
        vec![(end - Duration::days(400), end + Duration::days(1)), (end, end), (end + Duration::days(5), end + Duration::days(9))];
    for (days, shift) in [(7, 0), (30, 0), (90, 0), (7, 13_537), (30, 86_399), (1, 3_600), (0, 7_200), (45, -40_000)] {
        let to = end - Duration::days(3) + Duration::seconds(shift);
        let from = if days == 0 { to - Duration::hours(5) } else { to - Duration::days(days) };
        out.push((from, to));
    }
    out
}

#[tokio::test]
async fn counts_from_the_rollups_equal_a_recount_of_the_items_on_a_generated_history() {
    let (store, url, _dir) = open().await;
    let (code, stdout, stderr) = pushback(&url, &["gen", "--count", "3000", "--seed", "7", "--end", "2026-11-30", "--days", "120"]);
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert_rollups_agree(&store, "after gen").await;
    let end = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let all = store.count_between(end - chrono::Duration::days(400), end).await.unwrap();
    assert_eq!(all, 3000, "the whole history");
    let busiest = store.tagged_topic_counts(end - chrono::Duration::days(120), end).await.unwrap();
    assert!(busiest.len() >= 3, "the generated history has topics: {busiest:?}");
    for (from, to) in windows(end) {
        let case = format!("[{from}, {to})");
        let counted = recount(&store, from, to).await;
        assert_eq!(store.category_counts(from, to).await.unwrap(), counted, "{case}");
        assert_eq!(store.category_counts_of_items(from, to).await.unwrap(), counted, "{case}");
        assert_eq!(store.count_between(from, to).await.unwrap(), counted.0, "{case}");
        assert_eq!(store.topic_counts(from, to).await.unwrap(), store.topic_counts_scan(from, to).await.unwrap(), "{case}");
        assert_eq!(store.tagged_topic_counts(from, to).await.unwrap(), store.tagged_topic_counts_scan(from, to).await.unwrap(), "{case}");
        for (slug, _) in busiest.iter().take(3) {
            let selector =
                pushback::domain::Selector::Defined { slug: slug.clone(), title: slug.clone(), category: None, patterns: vec![] };
            let window = pushback::domain::Window { from, to };
            // A pack's counts: the topic now and before, and all feedback in both windows.
            let rows = store.evidence_rows(&selector, window).await.unwrap();
            let prev = window.previous();
            assert_eq!(rows.previous_count, store.evidence_count_scan(&selector, prev).await.unwrap(), "{slug} {case}");
            assert_eq!(rows.items.len() as i64, store.evidence_count_scan(&selector, window).await.unwrap(), "{slug} {case}");
            assert_eq!(store.evidence_count(&selector, window).await.unwrap(), rows.items.len() as i64, "{slug} {case}");
            assert_eq!(rows.total_current, counted.0, "{case}");
            assert_eq!(rows.total_previous, recount(&store, prev.from, prev.to).await.0, "{case}");
        }
    }
}
