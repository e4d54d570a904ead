//! The evidence pack from the rollups (what Slack, Markdown, JSON and App Home show) equals the
//! pack built from every item (what the CSV reads), field by field, on a generated history with
//! churn notes, edits, redeliveries, a re-tag, a correction and accounts without a name, for
//! windows whose edges fall mid-day, on SQLite and PostgreSQL.

use crate::helpers::{assert_rollups_agree, test_settings};
use chrono::{DateTime, Duration, TimeZone, Utc};
use pushback::domain::{AccountRef, Classification, Kind, NewFeedback, Selector, Source, StoredItem, Window};
use pushback::evidence::summary::{Summary, of_rollups};
use pushback::evidence::{Answer, Request, answer, answer_with_rows};
use pushback::store::Store;

fn churn(id: &str, account: &str, topic: &str, at: DateTime<Utc>, lost: Option<i64>, score: f64) -> StoredItem {
    StoredItem {
        item: NewFeedback {
            source: Source::Stripe,
            external_id: id.into(),
            kind: Kind::ChurnNote,
            account: AccountRef { id: Some(account.into()), name: Some(format!("{account} as sent")) },
            subject: "Cancellation".into(),
            body: format!("We are leaving: it is far too slow for us ({id})."),
            tags: vec![],
            url: None,
            created_at: at,
            updated_at: None,
            lost_arr_cents: lost,
            account_record: None,
            survey: None,
        },
        classification: Classification {
            performance: true,
            reliability: false,
            score_performance: score,
            score_reliability: 0.2,
            explanation: vec!["term:slow".into(), "rule:leaving".into()],
            topics: vec![topic.to_string()],
            model_version: "m-test/r-test".into(),
        },
    }
}

async fn raw(store: &Store, sql: &str) {
    match store {
        Store::Sqlite(pool) => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
        Store::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(|_| ()),
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Churn notes that test the per-account rule, an edit, a redelivery, a re-tag that moves an
/// item's scores and topics, a correction, and accounts whose record lost its name.
async fn change_history(store: &Store, topic: &str, end: DateTime<Utc>) {
    let at = |days: i64, secs: i64| end - Duration::days(days) + Duration::seconds(secs);
    let notes = vec![
        churn("two-a", "acct-churn-2", topic, at(10, 3_000), Some(1_200_000), 0.97),
        churn("two-b", "acct-churn-2", topic, at(20, 50_000), Some(4_800_000), 0.91),
        // The same account, day, source and tags as "two-a": one rollup row states two figures.
        churn("two-c", "acct-churn-2", topic, at(10, 3_500), Some(7_300_000), 0.9),
        churn("unstated", "acct-churn-0", topic, at(12, 7_000), None, 0.88),
        churn("one-of-two", "acct-churn-1", topic, at(14, 100), Some(900_000), 0.52),
        churn("unstated-too", "acct-churn-1", topic, at(15, 200), None, 0.99),
    ];
    store.write_batch(&notes, end).await.unwrap();
    let mut edited = notes[0].clone();
    edited.item.lost_arr_cents = Some(6_000_000);
    edited.item.body.push_str(" And support never answered.");
    store.write_batch(&[edited, notes[2].clone()], end).await.unwrap();
    raw(store, "UPDATE accounts SET name = NULL WHERE account_id IN ('acct-churn-2', 'acct-churn-1')").await;
    raw(store, "UPDATE accounts SET arr_cents = 2500000 WHERE account_id = 'acct-churn-0'").await;
    let page = store.items_after(0, 400).await.unwrap();
    let tagged: Vec<_> = page.iter().filter(|f| f.classification.topics.iter().any(|t| t == topic)).take(3).collect();
    let mut retag = tagged[0].classification.clone();
    retag.score_performance = 0.999;
    retag.score_reliability = 0.998;
    retag.topics.push("a-topic-of-its-own".into());
    store.set_classifications(&[(tagged[0].id, tagged[0].created_at, retag)]).await.unwrap();
    assert!(store.record_correction(tagged[1].id, false, true, "engineer", end).await.unwrap());
    let named: Vec<_> = page.iter().filter_map(|f| f.account_id.clone()).take(4).collect();
    raw(store, &format!("UPDATE accounts SET name = NULL WHERE account_id IN ('{}')", named.join("', '"))).await;
}

/// Windows of every shape: whole UTC days (as `/evidence` asks), mid-day edges at either end,
/// inside one day, and one reaching past the history.
fn windows(end: DateTime<Utc>) -> Vec<Window> {
    let mut out =
        vec![Window { from: end - Duration::days(90), to: end }, Window { from: end - Duration::days(30), to: end + Duration::days(9) }];
    for (days, shift) in [(7, 13_537), (30, 86_399), (1, 3_600), (45, -40_000), (90, 5)] {
        let to = end - Duration::days(2) + Duration::seconds(shift);
        out.push(Window { from: to - Duration::days(days) - Duration::seconds(shift / 3), to });
    }
    out.push(Window { from: end - Duration::hours(30), to: end - Duration::hours(25) });
    out
}

/// What a user sees: the pack without its CSV rows and its generation time.
fn shown(answer: Answer) -> pushback::evidence::EvidencePack {
    let Answer::Pack(mut pack) = answer else { panic!("a defined topic answers with a pack") };
    pack.rows.clear();
    *pack
}

#[tokio::test]
async fn a_pack_from_the_rollups_equals_the_pack_from_its_items() {
    let dir = tempfile::tempdir().unwrap();
    let settings = test_settings(dir.path()).await;
    let store = crate::helpers::migrated_store(&settings.database.url).await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pushback"))
        .args(["gen", "--count", "3000", "--seed", "11", "--end", "2026-11-30", "--days", "120"])
        .env("PUSHBACK_DATABASE__URL", &settings.database.url)
        .output()
        .expect("pushback runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let end = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let busiest = store.tagged_topic_counts(end - Duration::days(120), end).await.unwrap();
    assert!(busiest.len() >= 3, "the generated history has topics: {busiest:?}");
    change_history(&store, &busiest[0].0, end).await;
    assert_rollups_agree(&store, "after the changes").await;

    let classifier = pushback::app::load_classifier(&settings, &store).await.unwrap();
    let prometheus = pushback::prometheus::Source::default();
    let thresholds = (f64::from(classifier.model.performance.threshold), f64::from(classifier.model.reliability.threshold));
    let (mut compared, mut churned, mut quoted) = (0, 0, 0);
    for (slug, _) in busiest.iter().take(4) {
        let selector = pushback::evidence::selector::resolve(slug, &classifier.rules).expect("a rules topic");
        assert!(matches!(selector, Selector::Defined { .. }), "{slug}");
        let category = pushback::evidence::pack::selector_category(&selector);
        for (w, window) in windows(end).into_iter().enumerate() {
            let case = format!("{slug} [{}, {})", window.from, window.to);
            let request = Request { topic: slug.clone(), window, quotes: 3 + w % 6 };
            let from_rollups = shown(answer(&store, &classifier, &prometheus, &request, end).await.unwrap());
            let from_items = shown(answer_with_rows(&store, &classifier, &prometheus, &request, end).await.unwrap());
            assert_eq!(from_rollups, from_items, "{case}");
            // The parts no pack shows without a metric: the items per day.
            let mut items = store.evidence_items(&selector, window).await.unwrap();
            items.retain(|i| window.contains(i.item.created_at));
            items.sort_by_key(|i| i.item.id);
            let want = request.quotes;
            let mut reference = Summary::of_items(&items, window, category, thresholds, want);
            reference.rows.clear();
            let summary = of_rollups(&store, slug, window, category, thresholds, want, true).await.unwrap();
            assert_eq!(summary, reference, "{case}");
            compared += 1;
            churned += usize::from(from_items.revenue.churned_accounts > 0);
            quoted += usize::from(from_items.quotes.len() >= 3);
        }
    }
    assert!(compared >= 24 && churned >= 8 && quoted >= 8, "{compared} packs, {churned} with churn, {quoted} with quotes");

    // The quotes' index copies each item's scores: a copy that drifted is named by the check.
    raw(
        &store,
        &format!("UPDATE feedback_topics SET score_performance = 0.5 WHERE topic = '{}' AND score_performance <> 0.5", busiest[1].0),
    )
    .await;
    let found = store.check_rollups().await.unwrap();
    assert!(!found.differences.is_empty(), "{found:?}");
    assert!(found.differences.iter().all(|d| d.contains("topic row's time or scores differ from the item's")), "{found:?}");
}
