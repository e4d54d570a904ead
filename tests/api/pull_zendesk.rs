//! Zendesk pulled through its incremental export: backfill and incremental syncs through rate
//! limits, outages and empty pages; a malformed page that stops Zendesk alone; wrong
//! credentials named in `sync --status`, `/pushback sources` and `/metrics`; serve syncing on
//! its own; a ticket that arrives by webhook and by pull, in either order.

use crate::fake_slack::FakeSlack;
use crate::fake_vendors::freshdesk::{self, FakeFreshdesk};
use crate::fake_vendors::zendesk::{FakeZendesk, ticket};
use crate::fake_vendors::{Fault, rfc3339};
use crate::helpers::{spawn_app, spawn_app_with};
use crate::pull_support::{freshdesk_api, now, source_status, stored, stored_ids, sync_once, zendesk_api};
use crate::slack::{configure, eventually_async, slash};
use pushback::domain::Source;
use serde_json::json;
use std::time::Duration;

const COMPLAINT: &str = "Checkout takes 30 seconds and times out";

fn history(n: i64) -> Vec<serde_json::Value> {
    let start = now() - 10 * 86_400;
    (1..=n).map(|i| ticket(i, &format!("Ticket {i}"), &format!("<p>{COMPLAINT} (order {i})</p>"), 9000 + i % 3, start + i * 60)).collect()
}

#[tokio::test]
async fn a_zendesk_backfill_follows_the_cursor_through_a_429_a_503_and_an_empty_page_and_stores_each_ticket_once() {
    let app = spawn_app().await;
    let fake = FakeZendesk::start().await;
    fake.put(history(2100));
    fake.organizations(vec![json!({"id": 9001, "name": "Globex", "domain_names": ["globex.com"]})]);
    fake.empty_page_next();
    fake.fail_next([Fault::Pass, Fault::RateLimited(1), Fault::ServerError(503)]);
    let mut settings = app.settings.clone();
    zendesk_api(&mut settings, &fake.base);

    sync_once(&settings, &["zendesk"]).await.expect("the backfill completes");
    let ids = stored_ids(&app.store, Source::Zendesk).await;
    assert_eq!(ids, (1..=2100).map(|i| i.to_string()).collect::<Vec<_>>(), "every ticket, once");
    let one = app.store.item_by_external(Source::Zendesk, "1").await.unwrap().unwrap();
    assert_eq!(one.url.as_deref(), Some("https://acme.zendesk.com/agent/tickets/1"));
    assert_eq!((one.account_id.as_deref(), one.account_name.as_deref()), (Some("9001"), Some("Globex")));
    assert_eq!(one.subject, "Ticket 1");
    assert!(one.body.starts_with(COMPLAINT) && !one.body.contains("<p>"), "{}", one.body);

    let calls = fake.recorder.calls();
    // An empty page (not the end), the 429, the 503, then three pages of 1000, 1000 and 100.
    assert_eq!(calls.len(), 6, "{:?}", calls.iter().map(|c| &c.query).collect::<Vec<_>>());
    let start_time: i64 = calls[0].param("start_time").unwrap().parse().unwrap();
    assert!(start_time <= now() - 60 && start_time >= now() - 181 * 86_400, "start_time {start_time}");
    assert!(calls[1..].iter().all(|c| c.param("cursor").is_some() && c.param("start_time").is_none()), "later calls follow the cursor");
    assert!(calls.iter().all(|c| c.param("per_page") == Some("1000") && c.param("exclude_deleted") == Some("true")));
    assert!(calls[2].at - calls[1].at >= Duration::from_millis(950), "Retry-After: 1 was waited for");

    let status = source_status(&app.store, &settings, "zendesk").await;
    assert!(status.configured && status.last_success.is_some() && status.last_error.is_none(), "{status:?}");
    assert_eq!((status.inserted, status.items), (2100, 2100));
    assert!(status.lag_seconds.is_some_and(|l| l < 600));

    // Incrementally: one new ticket and one edit; the next call starts from the stored cursor.
    fake.put([ticket(3001, "New", &format!("<p>{COMPLAINT}</p>"), 9001, now() - 120)]);
    fake.put([ticket(5, "Ticket 5", "<p>Edited: the checkout page crashes with an error</p>", 9002, now() - 100)]);
    sync_once(&settings, &["zendesk"]).await.unwrap();
    let next = &fake.recorder.calls()[6];
    assert!(next.param("cursor").is_some(), "the next sync starts from the stored cursor");
    assert!(next.param("start_time").is_none(), "never start_time again (tickets would be missed)");
    assert_eq!(stored(&app.store, Source::Zendesk).await.len(), 2101);
    let five = app.store.item_by_external(Source::Zendesk, "5").await.unwrap().unwrap();
    assert!(five.body.starts_with("Edited"), "{}", five.body);
    let status = source_status(&app.store, &settings, "zendesk").await;
    assert_eq!((status.inserted, status.updated), (2101, 1));
}

#[tokio::test]
async fn a_malformed_zendesk_page_stops_zendesk_at_its_position_while_freshdesk_goes_on_and_a_rerun_continues_from_there() {
    let app = spawn_app().await;
    let zd = FakeZendesk::start().await;
    zd.put(history(1500));
    zd.fail_next([Fault::Pass, Fault::Malformed]);
    let fd = FakeFreshdesk::start().await;
    fd.put((1..=120).map(|i| freshdesk::ticket(i, now() - 86_400 + i, COMPLAINT)));
    let mut settings = app.settings.clone();
    zendesk_api(&mut settings, &zd.base);
    freshdesk_api(&mut settings, &fd.base);

    let err = sync_once(&settings, &[]).await.unwrap_err();
    assert!(err.to_string().contains("1 source stopped"), "{err}");
    assert_eq!(stored(&app.store, Source::Zendesk).await.len(), 1000, "the first page is kept");
    assert_eq!(stored(&app.store, Source::Freshdesk).await.len(), 120, "the other source went on");
    let zs = source_status(&app.store, &settings, "zendesk").await;
    let error = zs.last_error.clone().unwrap();
    assert!(error.contains("malformed page from the API") && error.contains("stopped at its last stored position"), "{error}");
    assert!(zs.advice.unwrap().contains("pushback sync zendesk --once"));
    assert!(source_status(&app.store, &settings, "freshdesk").await.last_error.is_none());

    sync_once(&settings, &["zendesk"]).await.expect("the rerun completes");
    assert_eq!(stored_ids(&app.store, Source::Zendesk).await, (1..=1500).map(|i| i.to_string()).collect::<Vec<_>>());
    let calls = zd.recorder.calls();
    assert_eq!(calls[2].param("cursor"), calls[1].param("cursor"), "the rerun asked for the page that was malformed, not the start");
    assert!(source_status(&app.store, &settings, "zendesk").await.last_error.is_none(), "a success clears the error");
}

#[tokio::test]
async fn serve_pulls_zendesk_on_its_own_and_counts_items_and_lag_in_metrics() {
    let fake = FakeZendesk::start().await;
    fake.put(history(40));
    let base = fake.base.clone();
    let app = spawn_app_with(|s| {
        zendesk_api(s, &base);
        s.sync.every_secs = 1;
    })
    .await;
    eventually_async("serve's first pass", || async { (stored(&app.store, Source::Zendesk).await.len() == 40).then_some(()) }).await;
    fake.put([ticket(41, "New", COMPLAINT, 9001, now() - 90)]);
    eventually_async("the next pass", || async { (stored(&app.store, Source::Zendesk).await.len() == 41).then_some(()) }).await;
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains("pushback_sync_items_total{source=\"zendesk\",outcome=\"inserted\"} 41"), "{metrics}");
    assert!(metrics.contains("pushback_sync_lag_seconds{source=\"zendesk\"}"));
    assert!(metrics.contains("pushback_feedback_items_total{source=\"zendesk\""));
    app.stop().await;
}

#[tokio::test]
async fn a_wrong_zendesk_token_is_named_in_status_in_slack_and_in_metrics_and_nothing_is_stored() {
    let slack = FakeSlack::start().await;
    let fake = FakeZendesk::start().await;
    fake.put(history(5));
    let base = fake.base.clone();
    let app = spawn_app_with(|s| {
        configure(s, &slack, false);
        zendesk_api(s, &base);
        s.sources.zendesk.api_token = Some(secrecy::SecretString::from("revoked-token"));
        s.sync.every_secs = 3600;
    })
    .await;
    let error =
        eventually_async("serve's failed pass", || async { source_status(&app.store, &app.settings, "zendesk").await.last_error }).await;
    assert!(error.contains("zendesk: 401 from the API: check PUSHBACK_SOURCES__ZENDESK__API_TOKEN and EMAIL"), "{error}");
    assert!(stored(&app.store, Source::Zendesk).await.is_empty());

    assert_eq!(slash(&app, "/pushback", "sources", &slack.response_url("src")).await.status(), 200);
    let answer = slack.wait_for_response("src", 1).await.remove(0).to_string();
    assert!(answer.contains("401 from the API: check PUSHBACK_SOURCES__ZENDESK__API_TOKEN and EMAIL"), "{answer}");
    assert!(answer.contains("*intercom*: not configured") && answer.contains("PUSHBACK_SOURCES__INTERCOM__ACCESS_TOKEN"), "{answer}");
    slack.assert_all_within_limits();
    let metrics = app.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains("pushback_sync_errors_total{source=\"zendesk\"} 1"), "{metrics}");
    app.stop().await;
}

#[tokio::test]
async fn a_ticket_arriving_by_webhook_and_by_pull_is_one_item_and_the_later_edit_wins_either_way_round() {
    let app = spawn_app().await;
    let fake = FakeZendesk::start().await;
    let mut settings = app.settings.clone();
    zendesk_api(&mut settings, &fake.base);
    let webhook = |id: i64, text: &str, at: i64| {
        json!({"type": "zen:event-type:ticket.updated", "id": format!("evt-{id}-{at}"), "time": rfc3339(at),
            "detail": {"id": id.to_string(), "subject": format!("Ticket {id}"), "description": text, "organization_id": "9001",
                       "created_at": rfc3339(at - 3600), "updated_at": rfc3339(at)}})
        .to_string()
    };
    let store = app.store.clone();
    let body = |id: &'static str| {
        let store = store.clone();
        async move { store.item_by_external(Source::Zendesk, id).await.unwrap().unwrap().body }
    };
    let (t1, t2, t3) = (now() - 3000, now() - 2000, now() - 1000);

    // Webhook first with the newer version, then a pull of the older one: the webhook's stays.
    assert_eq!(app.post_webhook(Source::Zendesk, &webhook(101, "v2 Checkout takes 30 seconds and times out", t2)).await.status(), 202);
    fake.put([ticket(101, "Ticket 101", "v1 Checkout is slow", 9001, t1)]);
    sync_once(&settings, &["zendesk"]).await.unwrap();
    assert!(body("101").await.starts_with("v2"));

    // Pull first with the newer version, then an older webhook: still the pulled one; a newer
    // webhook then wins, and a newer pull after it wins again.
    fake.put([ticket(102, "Ticket 102", "v2 Checkout takes 30 seconds and times out", 9001, t2)]);
    sync_once(&settings, &["zendesk"]).await.unwrap();
    let late = app.post_webhook(Source::Zendesk, &webhook(102, "v1 Checkout is slow", t1)).await;
    let answer: serde_json::Value = late.json().await.unwrap();
    assert_eq!(answer["items"][0]["outcome"], "unchanged", "an older edit is kept out: {answer}");
    assert!(body("102").await.starts_with("v2"));
    let newer = app.post_webhook(Source::Zendesk, &webhook(102, "v3 Checkout crashes with an error", t3)).await;
    assert_eq!(newer.json::<serde_json::Value>().await.unwrap()["items"][0]["outcome"], "updated");
    assert!(body("102").await.starts_with("v3"));
    fake.put([ticket(101, "Ticket 101", "v3 Checkout crashes with an error", 9001, t3)]);
    sync_once(&settings, &["zendesk"]).await.unwrap();
    assert!(body("101").await.starts_with("v3"));

    assert_eq!(stored_ids(&app.store, Source::Zendesk).await, vec!["101", "102"], "one item each, however it arrived");
}

/// The first ```json block of the README after the line containing `marker`.
fn readme_json(marker: &str) -> String {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let after = &readme[readme.find(marker).unwrap_or_else(|| panic!("the README has {marker:?}"))..];
    let block = &after[after.find("```json\n").expect("a JSON block after it") + 8..];
    block[..block.find("```").unwrap()].to_string()
}

/// `template` with each `{{placeholder}}` as Zendesk would render it from `values`; a placeholder
/// not in `values` fails the test.
fn render_placeholders(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    assert!(!out.contains("{{"), "a placeholder the test does not know: {out}");
    out
}

#[tokio::test]
async fn a_customers_tickets_and_rating_are_one_account_by_webhook_and_by_pull() {
    let app = spawn_app().await;
    let fake = FakeZendesk::start().await;
    // Globex: Zendesk organization 9001, whose own external id (from a CRM) is globex-crm-7.
    fake.organizations(vec![json!({"id": 9001, "name": "Globex", "external_id": "globex-crm-7", "domain_names": ["globex.com"]})]);
    fake.put([ticket(301, "Ticket 301", &format!("<p>{COMPLAINT}</p>"), 9001, now() - 600)]);
    let mut settings = app.settings.clone();
    zendesk_api(&mut settings, &fake.base);
    sync_once(&settings, &["zendesk"]).await.unwrap();

    // Ticket 302 of Globex and its rating through the README's two trigger bodies, as Zendesk
    // renders their placeholders.
    let at = rfc3339(now() - 300);
    let values = [
        ("ticket.id", "302"),
        ("ticket.title", "Slow search"),
        ("ticket.description", COMPLAINT),
        ("ticket.tags", "checkout"),
        ("ticket.link", "https://acme.zendesk.com/agent/tickets/302"),
        ("ticket.created_at_with_timestamp", at.as_str()),
        ("ticket.updated_at_with_timestamp", at.as_str()),
        ("ticket.organization.id", "9001"),
        ("ticket.organization.external_id", "globex-crm-7"),
        ("ticket.organization.name", "Globex"),
        ("satisfaction.current_rating", "bad"),
        ("satisfaction.current_comment", "Checkout is so slow"),
    ];
    for marker in ["connect it to a trigger and use this JSON body", "For satisfaction ratings (CSAT), add a second trigger"] {
        let body = render_placeholders(&readme_json(marker), &values);
        let response = app.post_webhook(Source::Zendesk, &body).await;
        assert_eq!(response.status(), 202, "{body}: {}", response.text().await.unwrap());
    }
    for id in ["301", "302", "satisfaction-302"] {
        let item = app.store.item_by_external(Source::Zendesk, id).await.unwrap().unwrap_or_else(|| panic!("{id} stored"));
        assert_eq!(item.account_id.as_deref(), Some("9001"), "{id}: one customer, one account, however it arrived");
    }
}
