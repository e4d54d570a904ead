//! Stripe pulled: cancellations backfilled from the subscriptions list, then read from events;
//! a cursor older than Stripe's 30 days of events falls back to the list; a 429 without a
//! header backs off; ARR from active subscriptions goes to the support accounts matched by
//! mapping or email domain, and the rest is listed as unmatched.

use crate::fake_vendors::Fault;
use crate::fake_vendors::stripe::{FakeStripe, subscription};
use crate::fake_vendors::zendesk::{FakeZendesk, ticket};
use crate::helpers::spawn_app;
use crate::pull_support::{now, pushback, status, stored, stripe_api, sync_once, zendesk_api};
use pushback::domain::{Source, StoredItem};
use pushback::store::{PageWrite, Store};
use serde_json::json;

const DAY: i64 = 86_400;

/// Zendesk organizations 9002 (globex.com), 9003 (no domain, to be mapped by hand) and 9004;
/// Stripe customers with active subscriptions and cancellations of several ages.
fn seed(stripe: &FakeStripe, zendesk: &FakeZendesk) {
    zendesk.put([ticket(1, "Slow", "Checkout takes 30 seconds and times out", 9002, now() - 3 * DAY)]);
    zendesk.put([ticket(2, "Crash", "The app crashes with an error on login", 9003, now() - 3 * DAY)]);
    zendesk.put([ticket(3, "Export", "Exports fail with an error", 9004, now() - 3 * DAY)]);
    zendesk.organizations(vec![
        json!({"id": 9002, "name": "Globex", "domain_names": ["globex.com"]}),
        json!({"id": 9003, "name": "Initech", "domain_names": []}),
    ]);
    stripe.customer("cus_globex", "ap@globex.com", "Globex Corp");
    stripe.customer("cus_mapped", "founder@gmail.com", "Initech");
    stripe.customer("cus_lone", "ceo@nowhere.dev", "Nowhere");
    stripe.put([
        subscription("sub_g1", "cus_globex", 5000, None, None),
        subscription("sub_g2", "cus_globex", 1000, None, None),
        subscription("sub_m", "cus_mapped", 20000, None, None),
        subscription("sub_l", "cus_lone", 3000, None, None),
        subscription("sub_old", "cus_globex", 900, Some(now() - 200 * DAY), Some("Too slow, years ago")),
        subscription("sub_35d", "cus_globex", 900, Some(now() - 35 * DAY), Some("Checkout takes 30 seconds and times out")),
        subscription("sub_10d", "cus_lone", 900, Some(now() - 10 * DAY), Some("Reports take minutes to load")),
        subscription("sub_pf", "cus_lone", 900, Some(now() - 5 * DAY), None),
    ]);
}

async fn arr(store: &Store, id: &str) -> Option<i64> {
    store.account(id).await.unwrap().and_then(|a| a.arr_cents).map(|a| a.0)
}

/// Stores `cursor` as Stripe's position, as a sync that last ran long ago left it.
async fn leave_cursor(store: &Store, cursor: &str) {
    let owner = "test-old-cursor";
    assert!(store.take_sync_lease("stripe", owner, chrono::Utc::now(), 30).await.unwrap());
    let write = PageWrite {
        source: "stripe",
        owner,
        items: &Vec::<StoredItem>::new(),
        outbox: &[],
        domains: &[],
        cursor,
        position_at: None,
        skipped: 0,
        lease_secs: 30,
    };
    assert!(store.write_page(&write, chrono::Utc::now()).await.unwrap().is_some());
    store.release_sync_lease("stripe", owner).await.unwrap();
}

#[tokio::test]
async fn stripe_churn_notes_backfill_from_the_list_with_arr_on_matched_accounts_and_the_rest_listed() {
    let app = spawn_app().await;
    let (stripe, zendesk) = (FakeStripe::start().await, FakeZendesk::start().await);
    seed(&stripe, &zendesk);
    stripe.fail_next([Fault::RateLimited(0)]);
    let mut settings = app.settings.clone();
    zendesk_api(&mut settings, &zendesk.base);
    stripe_api(&mut settings, &stripe.base);
    sync_once(&settings, &["zendesk"]).await.unwrap();
    pushback(&settings, &["accounts", "map", "9003", "cus_mapped"]).await.unwrap();

    sync_once(&settings, &["stripe"]).await.expect("the backfill completes after the 429");
    let notes = stored(&app.store, Source::Stripe).await;
    let ids: Vec<&str> = notes.iter().map(|n| n.external_id.as_str()).collect();
    assert_eq!(ids, vec!["sub_10d", "sub_35d"], "cancellations since the backfill start, with the customer's words");
    assert_eq!(notes[1].body, "Checkout takes 30 seconds and times out");
    assert_eq!(notes[1].lost_arr_cents, Some(900 * 2 * 12));
    assert_eq!(notes[1].account_id.as_deref(), Some("9002"), "the note belongs to the support account matched to its customer");
    assert!(stripe.recorder.calls().iter().any(|c| c.path == "/v1/subscriptions" && c.param("status") == Some("canceled")));

    // ARR: each item's price x quantity in a year, summed per customer, on the matched account.
    assert_eq!(arr(&app.store, "9002").await, Some((5000 + 1000) * 2 * 12), "matched by email domain");
    assert_eq!(arr(&app.store, "9003").await, Some(20000 * 2 * 12), "matched by the mapping");
    let accounts = status(&app.store, &settings).await.accounts.expect("Stripe has synced");
    assert_eq!((accounts.customers, accounts.matched), (3, 2));
    assert_eq!(accounts.unmatched_customers[0].customer_id, "cus_lone");
    assert!(accounts.unmatched_customers[0].note.as_deref().unwrap().contains("nowhere.dev"));
    assert_eq!(accounts.unmatched_accounts.iter().map(|a| a.account_id.as_str()).collect::<Vec<_>>(), vec!["9004"]);
}

#[tokio::test]
async fn stripe_then_follows_events_and_a_cursor_older_than_their_30_days_falls_back_to_the_list() {
    let app = spawn_app().await;
    let (stripe, zendesk) = (FakeStripe::start().await, FakeZendesk::start().await);
    seed(&stripe, &zendesk);
    let mut settings = app.settings.clone();
    stripe_api(&mut settings, &stripe.base);
    sync_once(&settings, &["stripe"]).await.unwrap();

    // Incremental: a new cancellation arrives through events after the last one seen.
    stripe.put([subscription("sub_new", "cus_lone", 900, Some(now()), Some("Search crashes every time"))]);
    sync_once(&settings, &["stripe"]).await.unwrap();
    let events = stripe.recorder.calls_to("/v1/events");
    let last = events.last().expect("events were read");
    assert_eq!(
        last.query.iter().filter(|(k, _)| k == "types[]").map(|(_, v)| v.as_str()).collect::<Vec<_>>(),
        vec!["customer.subscription.deleted"]
    );
    assert!(last.param("created[gt]").is_some());
    assert!(stored(&app.store, Source::Stripe).await.iter().any(|n| n.external_id == "sub_new"));

    // A cursor 40 days old (the server was down for weeks): events no longer reach back, so the
    // list is read again and a cancellation 33 days ago is not lost.
    leave_cursor(
        &app.store,
        &json!({"mode": "events", "gt": now() - 40 * DAY, "max_seen": now() - 40 * DAY, "starting_after": null}).to_string(),
    )
    .await;
    stripe.put([subscription("sub_33d", "cus_lone", 900, Some(now() - 33 * DAY), Some("Dashboards crash every morning"))]);
    let lists_before = stripe.recorder.calls_to("/v1/subscriptions").len();
    sync_once(&settings, &["stripe"]).await.unwrap();
    assert!(stored(&app.store, Source::Stripe).await.iter().any(|n| n.external_id == "sub_33d"), "recovered from the list");
    let lists = stripe.recorder.calls_to("/v1/subscriptions");
    assert!(lists[lists_before..].iter().any(|c| c.param("status") == Some("canceled")));
    assert_eq!(stored(&app.store, Source::Stripe).await.len(), 4, "nothing twice");
}
