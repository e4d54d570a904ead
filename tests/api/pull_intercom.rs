//! Intercom pulled through conversation search: inclusive bounds at page and pass edges, a 429
//! with `X-RateLimit-Reset`, accounts from the contacts' companies, links from the workspace.

use crate::fake_vendors::Fault;
use crate::fake_vendors::intercom::{APP, FakeIntercom, TOKEN, conversation};
use crate::helpers::spawn_app;
use crate::pull_support::{intercom_api, now, source_status, stored, stored_ids, sync_once};
use pushback::domain::Source;
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn intercom_conversations_sharing_a_second_at_page_and_pass_edges_are_all_stored_once() {
    let app = spawn_app().await;
    let fake = FakeIntercom::start().await;
    let t0 = now() - 5 * 86_400;
    // 320 conversations; 20 around the first page's edge (the 150th) share one second.
    let at = |i: i64| if (140..160).contains(&i) { t0 + 140 } else { t0 + i };
    fake.put((0..320).map(|i| conversation(i, at(i), "<p>Checkout takes <b>30 seconds</b> and times out</p>", &format!("c{}", i % 5))));
    for c in 0..4 {
        fake.company(&format!("c{c}"), json!({"type": "company", "id": format!("6f{c}"), "company_id": format!("co-{c}"), "name": format!("Company {c}"), "website": format!("https://company{c}.com")}));
    }
    fake.fail_next([Fault::Pass, Fault::RateLimited(1)]);
    let mut settings = app.settings.clone();
    intercom_api(&mut settings, &fake.base);

    sync_once(&settings, &["intercom"]).await.expect("the backfill completes");
    assert_eq!(stored_ids(&app.store, Source::Intercom).await, (0..320).map(|i| i.to_string()).collect::<Vec<_>>());
    let c7 = app.store.item_by_external(Source::Intercom, "7").await.unwrap().unwrap();
    assert_eq!(c7.body, "Checkout takes 30 seconds and times out");
    assert_eq!(c7.subject, "Help");
    assert_eq!(c7.url.as_deref(), Some(format!("https://app.intercom.com/a/apps/{APP}/inbox/inbox/conversation/7").as_str()));
    assert_eq!((c7.account_id.as_deref(), c7.account_name.as_deref()), (Some("co-2"), Some("Company 2")));
    let c4 = app.store.item_by_external(Source::Intercom, "4").await.unwrap().unwrap();
    assert_eq!(c4.account_id, None, "a contact without a company leaves the account empty, never guessed");

    let searches = fake.recorder.calls_to("/conversations/search");
    assert_eq!(searches.len(), 4, "page 1, the 429, page 2 again, page 3");
    assert!(searches[2].at - searches[1].at >= Duration::from_millis(450), "X-RateLimit-Reset was waited for");
    for call in &fake.recorder.calls() {
        assert_eq!(call.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
        assert!(call.header("intercom-version").is_some());
    }
    let first: Value = serde_json::from_str(&searches[0].body).unwrap();
    assert_eq!(first["sort"], json!({"field": "updated_at", "order": "ascending"}));
    assert_eq!(first["pagination"]["per_page"], 150);
    assert_eq!(fake.recorder.calls().iter().filter(|c| c.path.starts_with("/contacts/")).count(), 5, "each contact's company asked once");

    // The next pass starts at the newest second, inclusive: two conversations updated in that
    // same second after the pass read are not lost; the one already stored comes back unchanged.
    let newest = t0 + 319;
    fake.put([conversation(500, newest, "<p>Search crashes</p>", "c1"), conversation(501, newest, "<p>Export fails</p>", "c1")]);
    fake.put([conversation(502, now() - 100, "<p>Login is slow</p>", "c2")]);
    sync_once(&settings, &["intercom"]).await.unwrap();
    let last: Value = serde_json::from_str(&fake.recorder.calls_to("/conversations/search").last().unwrap().body).unwrap();
    assert_eq!(last["query"]["value"][0]["value"], newest, "{last}");
    assert_eq!(stored(&app.store, Source::Intercom).await.len(), 323);
    let status = source_status(&app.store, &settings, "intercom").await;
    assert_eq!((status.inserted, status.unchanged), (323, 1), "{status:?}");
}
