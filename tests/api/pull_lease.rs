//! The sync lease: one process at a time syncs a source, and a page is committed with its
//! cursor only while its writer holds the lease (a process whose lease expired and was taken
//! over writes nothing).

use crate::helpers::{migrated_store, test_database_url};
use chrono::{Duration, Utc};
use pushback::classify::seed;
use pushback::domain::{AccountRef, Kind, NewFeedback, Source, StoredItem};
use pushback::store::PageWrite;

fn item(id: &str) -> StoredItem {
    let item = NewFeedback {
        source: Source::Zendesk,
        external_id: id.into(),
        kind: Kind::Ticket,
        account: AccountRef::default(),
        subject: String::new(),
        body: "Checkout takes 30 seconds and times out".into(),
        tags: vec![],
        url: None,
        created_at: Utc::now(),
        updated_at: None,
        lost_arr_cents: None,
        account_record: None,
        survey: None,
    };
    let rules = pushback::classify::rules::Rules::parse(seed::DEFAULT_RULES_TOML, "config/rules.toml").unwrap();
    let classification = pushback::classify::Classifier::new(seed::default_model(), rules).classify("", &item.body);
    StoredItem { item, classification }
}

#[tokio::test]
async fn one_process_at_a_time_holds_a_sources_lease_and_a_page_is_written_only_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = migrated_store(&test_database_url(dir.path()).await).await;
    let now = Utc::now();
    assert!(store.take_sync_lease("zendesk", "replica-a", now, 60).await.unwrap());
    assert!(!store.take_sync_lease("zendesk", "replica-b", now, 60).await.unwrap(), "held by a");
    assert!(store.take_sync_lease("intercom", "replica-b", now, 60).await.unwrap(), "another source is free");

    let items = vec![item("1")];
    let page = |owner: &'static str, cursor: &'static str| PageWrite {
        source: "zendesk",
        owner,
        items: &items,
        outbox: &[],
        domains: &[],
        cursor,
        position_at: None,
        skipped: 0,
        lease_secs: 60,
    };
    assert!(store.write_page(&page("replica-b", "b-1"), now).await.unwrap().is_none(), "b does not hold the lease");
    assert_eq!(store.count_items().await.unwrap(), 0, "and nothing of its page was written");
    let written = store.write_page(&page("replica-a", "a-1"), now).await.unwrap().expect("a holds it");
    assert_eq!(written.len(), 1);
    assert_eq!(store.sync_row("zendesk").await.unwrap().unwrap().cursor.as_deref(), Some("a-1"));

    // a stops renewing; after the lease runs out, b takes over and a's late page is refused.
    let later = now + Duration::seconds(61);
    assert!(store.take_sync_lease("zendesk", "replica-b", later, 60).await.unwrap());
    assert!(store.write_page(&page("replica-a", "a-2"), later).await.unwrap().is_none());
    assert_eq!(store.sync_row("zendesk").await.unwrap().unwrap().cursor.as_deref(), Some("a-1"));
    store.release_sync_lease("zendesk", "replica-b").await.unwrap();
    assert!(store.take_sync_lease("zendesk", "replica-a", later, 60).await.unwrap(), "released: free at once");
}
