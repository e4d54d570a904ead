//! Freshdesk pulled through the tickets list: more than 300 pages of tickets (Freshdesk refuses
//! page 301) all arrive, the `Link` header ends the pass, a 429 with `Retry-After` is obeyed.

use crate::fake_vendors::Fault;
use crate::fake_vendors::basic;
use crate::fake_vendors::freshdesk::{API_KEY, FakeFreshdesk, MAX_PAGE, ticket};
use crate::helpers::spawn_app;
use crate::pull_support::{freshdesk_api, now, source_status, stored, sync_once};
use pushback::domain::Source;
use std::time::Duration;

#[tokio::test]
async fn more_than_300_pages_of_freshdesk_tickets_all_arrive_once() {
    let app = spawn_app().await;
    let fake = FakeFreshdesk::start().await;
    let pages = MAX_PAGE as i64 + 1;
    let t0 = now() - 20 * 86_400;
    fake.put((1..=pages * 100).map(|i| ticket(i, t0 + i, "Checkout takes 30 seconds and times out")));
    // The fake refuses what Freshdesk refuses: page numbers past 300.
    let past_cap = reqwest::Client::new()
        .get(format!("{}/api/v2/tickets?updated_since=2020-01-01T00:00:00Z&per_page=100&page={}", fake.base, MAX_PAGE + 1))
        .header("authorization", basic(API_KEY, "X"))
        .send()
        .await
        .unwrap();
    assert_eq!(past_cap.status(), 400);
    fake.fail_next([Fault::Pass, Fault::Pass, Fault::RateLimited(1)]);
    let mut settings = app.settings.clone();
    freshdesk_api(&mut settings, &fake.base);

    sync_once(&settings, &["freshdesk"]).await.expect("the backfill completes");
    let items = stored(&app.store, Source::Freshdesk).await;
    assert_eq!(items.len() as i64, pages * 100, "every ticket, once");
    let one = app.store.item_by_external(Source::Freshdesk, "1").await.unwrap().unwrap();
    assert_eq!(one.url.as_deref(), Some("https://acme.freshdesk.com/a/tickets/1"));
    assert_eq!(one.body, "Checkout takes 30 seconds and times out");
    assert_eq!(one.account_id.as_deref(), Some("501"));

    let calls = fake.recorder.calls_to("/api/v2/tickets");
    let pulled: Vec<_> = calls.iter().filter(|c| c.header("authorization") == Some(basic(API_KEY, "X").as_str())).skip(1).collect();
    assert!(pulled.iter().all(|c| c.param("updated_since").is_some()
        && c.param("order_by") == Some("updated_at")
        && c.param("order_type") == Some("asc")
        && c.param("include") == Some("description")
        && c.param("per_page") == Some("100")));
    assert!(
        pulled.iter().all(|c| c.param("page").and_then(|p| p.parse::<usize>().ok()).is_some_and(|p| p <= MAX_PAGE)),
        "never past the cap"
    );
    assert!(pulled[3].at - pulled[2].at >= Duration::from_millis(950), "Retry-After: 1 was waited for");
    let status = source_status(&app.store, &settings, "freshdesk").await;
    assert!(status.last_success.is_some() && status.last_error.is_none(), "{status:?}");
    assert_eq!(status.inserted, pages * 100);
}
