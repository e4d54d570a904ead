//! Emerging topics: a synthetic history with a planted new complaint (about a barcode scanner,
//! which no topic and no seed text mentions) names it among the fastest-growing clusters; the
//! digest's *Make this a topic* button, pressed as a signed interaction, stores it, and
//! `/evidence <slug>` at once answers with a pack of the planted items.

use crate::fake_slack::FakeSlack;
use crate::helpers::{migrated_store, spawn_app_with, test_database_url, test_settings};
use crate::slack::{configure, press, slash};
use chrono::{DateTime, Duration, TimeZone, Utc};
use pushback::digest::emerging::{IN_DIGEST, SAMPLE, build, gather, gather_sampled};
use pushback::domain::{Account, AccountRef, ArrCents, Kind, NewFeedback, Source, StoredItem};
use pushback::store::{PoolItem, Store};
use pushback::synth::{GenParams, accounts, items};

const PLANTED: &[&str] = &[
    "The barcode scanner freezes when I scan the second item",
    "Barcode scanning takes ten seconds per item now",
    "Scanning a barcode fails with an error since Monday",
    "barcode scanner keeps freezing at the till",
    "Our barcode reader stopped scanning labels, error every time",
    "barcode scan is so slow the queue grows",
    "Every barcode scan shows an error and we type codes by hand",
    "The barcode camera hangs before it reads anything",
    "Barcode scanner crashed twice during the lunch rush",
    "barcode lookups time out at the till",
];

fn planted(i: usize, days_ago: i64, end: DateTime<Utc>) -> NewFeedback {
    let shop = format!("shop-{}", i % 4);
    NewFeedback {
        source: Source::Zendesk,
        external_id: format!("barcode-{i}"),
        kind: Kind::Ticket,
        account: AccountRef { id: Some(shop.clone()), name: Some(format!("Shop {}", i % 4)) },
        subject: String::new(),
        body: PLANTED[i % PLANTED.len()].to_string(),
        tags: vec![],
        url: Some(format!("https://acme.zendesk.com/agent/tickets/barcode-{i}")),
        created_at: end - Duration::days(days_ago) - Duration::hours(i as i64),
        updated_at: None,
        lost_arr_cents: None,
        account_record: Some(Account { id: shop, name: None, plan: Some("pro".into()), arr_cents: Some(ArrCents(1_000_000)) }),
        survey: None,
    }
}

/// 60 days of synthetic history from the seed corpus up to `end`, and the planted complaint in
/// its last 6, classified as ingestion would.
fn history(settings: &pushback::config::Settings, seed: u64, end: DateTime<Utc>) -> Vec<StoredItem> {
    let params = GenParams { count: 4000, seed, end, days: 60, accounts: Some(80) };
    let mut all = items(&params, &pushback::classify::seed::corpus_rows(), &accounts(&params));
    let n = PLANTED.len() + 2;
    all.extend((0..n).map(|i| planted(i, (i % 6) as i64, end)));
    let classifier = pushback::app::offline_classifier(settings).unwrap();
    pushback::ingest::prepare(all, &classifier, false)
}

/// The history `load` writes, as it stood at this instant, moved forward to end now. Which
/// items fall in the digest's window and in which half decides the clusters, so a history made
/// to end at `Utc::now()` gave this test a different history every minute: on some (e.g. one
/// ending 2026-12-07 14:16) one synthetic item joins the planted cluster and four planted ones
/// fall out, and this test's exact figures fail. The sweep test below covers 63 other
/// histories and days with its 95% bar.
const HISTORY_END: &str = "2026-12-07T06:00:00Z";

async fn load(store: &Store, settings: &pushback::config::Settings) {
    let anchor: DateTime<Utc> = HISTORY_END.parse().unwrap();
    let shift = Utc::now() - anchor;
    let mut prepared = history(settings, 7, anchor);
    for s in &mut prepared {
        s.item.created_at += shift;
        s.item.updated_at = s.item.updated_at.map(|t| t + shift);
    }
    for chunk in prepared.chunks(1000) {
        store.write_batch(chunk, Utc::now()).await.unwrap();
    }
}

/// N in a pack's "*N items* from".
fn items_in(pack: &str) -> usize {
    let at = pack.find(" items* from").expect("an item count");
    let digits: String = pack[..at].chars().rev().take_while(char::is_ascii_digit).collect();
    digits.chars().rev().collect::<String>().parse().unwrap()
}

#[tokio::test]
async fn a_planted_complaint_is_among_the_fastest_growing_and_its_button_makes_a_topic_with_evidence() {
    let fake = FakeSlack::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    let settings = test_settings(dir.path()).await;
    let store = migrated_store(&url).await;
    load(&store, &settings).await;

    let rules = pushback::app::load_rules(&settings).unwrap();
    // The planted items the classifier tagged and no topic claims: what the cluster can hold.
    let pool = store.unclaimed_items(Utc::now() - Duration::days(14), Utc::now()).await.unwrap();
    let unclaimed: Vec<i64> = pool.iter().filter(|p| p.body.to_lowercase().contains("barcode")).map(|p| p.id).collect();
    assert!(unclaimed.len() >= 6, "{} planted items are unclaimed", unclaimed.len());
    let found = gather(&store, &rules, Utc::now(), 14).await.unwrap();
    let top: Vec<_> = found.clusters.iter().take(IN_DIGEST).collect();
    let hit = top.iter().find(|c| c.terms[0].term == "barcode").unwrap_or_else(|| {
        panic!("not in the top {IN_DIGEST}: {:?}", found.clusters.iter().map(|c| (&c.draft.slug, c.items, c.growth)).collect::<Vec<_>>())
    });
    assert!(hit.item_ids.iter().all(|id| unclaimed.contains(id)), "only planted items: {:?}", hit.item_ids);
    assert!(hit.items + 1 >= unclaimed.len(), "{} of the {} unclaimed planted items", hit.items, unclaimed.len());
    assert_eq!((hit.accounts, hit.arr_cents, hit.earlier), (4, 4_000_000, 0), "4 shops at $10,000, none before");
    let hit = (*hit).clone();
    assert_eq!(hit.draft.patterns[0], r"\bbarcode\b");
    let draft = hit.draft.clone();

    let fake_ref = &fake;
    let app = spawn_app_with(move |s| {
        configure(s, fake_ref, false);
        s.database.url = url;
    })
    .await;
    // A slug config/rules.toml has is refused, with the reason.
    let taken = serde_json::json!({"slug": "checkout-slow", "title": "Checkout", "patterns": ["\\bbarcode\\b"], "category": null});
    assert_eq!(press(&app, "make_topic", &taken.to_string(), &fake.response_url("taken")).await.status(), 200);
    let refused = fake.wait_for_response("taken", 1).await.remove(0).to_string();
    assert!(refused.contains("`checkout-slow` is already a topic in config/rules.toml"), "{refused}");

    assert_eq!(press(&app, "make_topic", &serde_json::to_string(&draft).unwrap(), &fake.response_url("make")).await.status(), 200);
    let made = fake.wait_for_response("make", 1).await.remove(0).to_string();
    assert!(made.contains(&format!("Made `{}` a topic", draft.slug)) && made.contains(&format!("/evidence {}", draft.slug)), "{made}");
    let stored = app.store.stored_topics().await.unwrap();
    assert_eq!((stored.len(), stored[0].slug.as_str(), stored[0].created_by.as_str()), (1, draft.slug.as_str(), "slack:W111"));

    // The pack holds the planted items at once (the topic was given to the stored items).
    assert_eq!(slash(&app, "/evidence", &format!("{} 30d", draft.slug), &fake.response_url("ev")).await.status(), 200);
    let pack = fake.wait_for_response("ev", 1).await.remove(0).to_string();
    let shown = items_in(&pack);
    assert!(shown >= hit.items, "{shown} items: {pack}");
    assert!((0..4).all(|i| pack.contains(&format!("Shop {i} ($10,000, 3 items)"))), "the four shops' planted items: {pack}");
    assert!(PLANTED.iter().any(|p| pack.contains(p)), "{pack}");
    // `/pushback topics` lists it, marked as stored.
    slash(&app, "/pushback", "topics", &fake.response_url("topics")).await;
    let topics = fake.wait_for_response("topics", 1).await.remove(0).to_string();
    assert!(topics.contains(&format!("`{}` Barcode", draft.slug)) && topics.contains("(stored "), "{topics}");
    // Pressing it again is refused: the topic exists.
    press(&app, "make_topic", &serde_json::to_string(&draft).unwrap(), &fake.response_url("again")).await;
    let again = fake.wait_for_response("again", 1).await.remove(0).to_string();
    assert!(again.contains("is already a stored topic"), "{again}");
    // The cluster is no longer emerging: its items carry a topic now.
    let after = gather(&app.store, &rules, Utc::now(), 14).await.unwrap();
    assert!(after.clusters.iter().all(|c| c.terms[0].term != "barcode"));
    fake.assert_all_within_limits();
}

/// The pool `Store::unclaimed_items` would read from `stored` (ids in insertion order).
fn pool(stored: &[StoredItem], from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<PoolItem> {
    let arr = |s: &StoredItem| s.item.account_record.as_ref().and_then(|a| a.arr_cents).map(|c| c.0);
    stored
        .iter()
        .enumerate()
        .filter(|(_, s)| s.item.created_at >= from && s.item.created_at < to)
        .filter(|(_, s)| (s.classification.performance || s.classification.reliability) && s.classification.topics.is_empty())
        .map(|(i, s)| PoolItem {
            id: i as i64 + 1,
            source: s.item.source,
            kind: s.item.kind,
            account_id: s.item.account.id.clone(),
            account_name: s.item.account.name.clone(),
            subject: s.item.subject.clone(),
            body: s.item.body.clone(),
            url: s.item.url.clone(),
            created_at: s.item.created_at,
            performance: s.classification.performance,
            reliability: s.classification.reliability,
            arr_cents: arr(s),
        })
        .collect()
}

/// The planted complaint reaches the digest's top clusters whatever the history around it: 21
/// ends (three weeks of days at varied hours, so every weekday pattern of the synthetic history)
/// for each of three seeds, clustered as `digest::emerging::build` does. Seed 2 is one of the
/// few histories that hide it on some days (3 of 252 over seeds 1-12 on 2026-12-04: no burst
/// cluster forms there and k-means scatters the planted texts), so the bar is 95%.
#[tokio::test]
async fn the_planted_complaint_is_found_across_histories_and_days() {
    let dir = tempfile::tempdir().unwrap();
    let settings = test_settings(dir.path()).await;
    let rules = pushback::app::load_rules(&settings).unwrap();
    let base = Utc.with_ymd_and_hms(2026, 11, 2, 9, 30, 0).unwrap();
    let mut missed = Vec::new();
    let mut runs = 0;
    for seed in [1, 2, 3] {
        for day in 0..21 {
            let end = base + Duration::days(day) + Duration::minutes(day * 317);
            let stored = history(&settings, seed, end);
            let from = end - Duration::days(14);
            let items = pool(&stored, from, end);
            assert!(items.len() <= SAMPLE, "the digest would cluster a sample of this pool, not all {}", items.len());
            let halves = |a: DateTime<Utc>, b: DateTime<Utc>| {
                stored.iter().filter(|s| s.item.created_at >= a && s.item.created_at < b).count() as u64
            };
            let middle = from + Duration::days(7);
            let found = build(&items, &rules, (from, middle, end), (halves(from, middle), halves(middle, end)));
            runs += 1;
            let top: Vec<_> = found.clusters.iter().take(IN_DIGEST).map(|c| c.terms[0].term.clone()).collect();
            if !top.iter().any(|t| t == "barcode") {
                let planted_ids: Vec<i64> = items.iter().filter(|p| p.body.contains("arcode")).map(|p| p.id).collect();
                let holders: Vec<_> = found
                    .clusters
                    .iter()
                    .filter(|c| c.item_ids.iter().any(|i| planted_ids.contains(i)))
                    .map(|c| {
                        (
                            c.terms.iter().map(|t| t.term.clone()).collect::<Vec<_>>(),
                            c.items,
                            c.item_ids.iter().filter(|i| planted_ids.contains(i)).count(),
                            c.accounts,
                            c.growth,
                        )
                    })
                    .collect();
                missed.push(format!("seed {seed}, end {end}: {top:?} planted {} in pool, held by {holders:?}", planted_ids.len()));
            }
        }
    }
    eprintln!("the planted complaint in the top {IN_DIGEST} in {} of {runs} histories", runs - missed.len());
    assert!(missed.len() * 20 <= runs, "missed in {} of {runs}:\n{}", missed.len(), missed.join("\n"));
}

/// A pool larger than the sample bound: the digest clusters a sample of it, each half of the
/// window in proportion, and still finds a planted complaint, its counts scaled to the pool.
#[tokio::test]
async fn a_planted_complaint_is_found_in_a_sample_of_a_larger_pool() {
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    let settings = test_settings(dir.path()).await;
    let store = migrated_store(&url).await;
    let anchor: DateTime<Utc> = HISTORY_END.parse().unwrap();
    let params = GenParams { count: 4000, seed: 7, end: anchor, days: 60, accounts: Some(80) };
    let mut all = items(&params, &pushback::classify::seed::corpus_rows(), &accounts(&params));
    all.extend((0..40).map(|i| planted(i, (i % 6) as i64, anchor)));
    let classifier = pushback::app::offline_classifier(&settings).unwrap();
    let shift = Utc::now() - anchor;
    let mut prepared = pushback::ingest::prepare(all, &classifier, false);
    for s in &mut prepared {
        s.item.created_at += shift;
    }
    for chunk in prepared.chunks(1000) {
        store.write_batch(chunk, Utc::now()).await.unwrap();
    }
    let rules = pushback::app::load_rules(&settings).unwrap();
    let now = Utc::now();
    let pool = store.unclaimed_items(now - Duration::days(14), now).await.unwrap();
    let planted_in_pool = pool.iter().filter(|p| p.body.to_lowercase().contains("barcode")).count();
    let max = 150;
    assert!(pool.len() > max + max / 2, "a pool of {} is not larger than the bound", pool.len());

    let found = gather_sampled(&store, &rules, now, 14, max).await.unwrap();
    assert_eq!((found.pooled, found.sampled), (pool.len(), max));
    let top: Vec<_> = found.clusters.iter().take(IN_DIGEST).collect();
    // The planted cluster leads with "barcode" or with "scanning" beside it ("scanning-barcode"):
    // which of its two words comes first depends on the sample.
    let planted = |c: &pushback::digest::emerging::EmergingCluster| c.terms.iter().take(2).any(|t| t.term == "barcode");
    let hit = top.iter().copied().find(|c| planted(c)).unwrap_or_else(|| {
        panic!("not in the top {IN_DIGEST}: {:?}", found.clusters.iter().map(|c| (&c.draft.slug, c.items, c.growth)).collect::<Vec<_>>())
    });
    assert!(hit.item_ids.len() < hit.items, "counts are scaled from the {} sampled items to the pool: {}", hit.item_ids.len(), hit.items);
    assert_eq!(hit.earlier, 0);
    // The estimate is near the planted items the pool holds (a sample of about a third of them).
    assert!(hit.items * 2 >= planted_in_pool && hit.items <= planted_in_pool * 2, "{} against {planted_in_pool}", hit.items);
    // The same history clustered whole finds it too, with its exact count.
    let whole = gather_sampled(&store, &rules, now, 14, pool.len()).await.unwrap();
    assert_eq!((whole.pooled, whole.sampled), (pool.len(), pool.len()));
    assert!(whole.clusters.iter().take(IN_DIGEST).any(planted));
}
