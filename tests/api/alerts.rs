//! Feedback that cannot wait: a signed Stripe cancellation about speed or breakage reaches the
//! topic's owner channel through the outbox, once, across redeliveries and replicas.

use crate::fake_slack::FakeSlack;
use crate::helpers::{TestApp, spawn_app_with};
use crate::slack::{configure, eventually_async, slash};
use pushback::domain::Source;
use serde_json::Value;

const OWNER: &str = "#team-payments";

/// A Stripe `customer.subscription.deleted` (the fixture's shape) for subscription `id`.
fn cancellation(id: &str, comment: &str, feedback: &str) -> String {
    let mut event: Value = serde_json::from_str(include_str!("../fixtures/stripe_subscription_deleted.json")).unwrap();
    let sub = &mut event["data"]["object"];
    sub["id"] = id.into();
    sub["cancellation_details"]["comment"] = comment.into();
    sub["cancellation_details"]["feedback"] = feedback.into();
    event["id"] = format!("evt_{id}").into();
    event.to_string()
}

/// A server whose outbox polls only hourly: an alert that arrives promptly came through the
/// webhook's wake-up, not a poll.
async fn alert_app(fake: &FakeSlack, database_url: Option<String>) -> TestApp {
    spawn_app_with(move |s| {
        configure(s, fake, false);
        s.slack.outbox_poll_secs = 3600;
        if let Some(url) = database_url {
            s.database.url = url;
        }
    })
    .await
}

async fn send(app: &TestApp, body: &str) {
    let response = app.post_webhook(Source::Stripe, body).await;
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
}

/// Sends an urgent cancellation after everything else and waits for its alert: the outbox
/// posts in queue order, so anything queued before it has been posted by then.
async fn sync_point(app: &TestApp, fake: &FakeSlack, id: &str) {
    send(app, &cancellation(id, "The checkout kept timing out and we lost orders.", "low_quality")).await;
    fake.wait_for_text("chat.postMessage", id).await;
}

#[tokio::test]
async fn a_slow_checkout_cancellation_alerts_the_owner_channel_once_naming_the_arr_lost() {
    let fake = FakeSlack::start().await;
    let app = alert_app(&fake, None).await;
    let body = cancellation("sub_slow", "Honestly the checkout was too slow, our customers gave up.", "low_quality");
    send(&app, &body).await;
    let posts = fake.wait_for_text("chat.postMessage", "sub_slow").await;
    assert_eq!(posts.len(), 1);
    let post = posts[0].json();
    assert_eq!(post["channel"], OWNER);
    let text = post.to_string();
    for needle in ["$11,976 ARR lost", "checkout-slow", "Evidence for this topic", "Wrong tag", "performance", "dashboard.stripe.com"] {
        assert!(text.contains(needle), "{needle} missing: {text}");
    }
    // The same webhook again (a redelivery) queues nothing and posts nothing.
    send(&app, &body).await;
    // Too expensive: a churn note, but not about speed or breakage.
    send(&app, &cancellation("sub_pricey", "We found it too expensive for our budget this year.", "too_expensive")).await;
    sync_point(&app, &fake, "sub_sync").await;
    assert_eq!(fake.calls_mentioning("chat.postMessage", "sub_slow").len(), 1, "the redelivery alerted again");
    assert!(fake.calls_mentioning("chat.postMessage", "sub_pricey").is_empty(), "too expensive alerted someone");
    assert_eq!(app.store.outbox_rows("churn:stripe:sub_slow:").await.unwrap().len(), 1);
    assert!(app.store.outbox_rows("churn:stripe:sub_pricey:").await.unwrap().is_empty());
    fake.assert_all_within_limits();
}

#[tokio::test]
async fn two_replicas_on_one_postgres_post_an_alert_once() {
    let fake = FakeSlack::start().await;
    let a = alert_app(&fake, None).await;
    if !a.on_postgres("replicas share a database only on PostgreSQL") {
        return;
    }
    let b = alert_app(&fake, Some(a.settings.database.url.clone())).await;
    let body = cancellation("sub_twice", "Checkout was too slow, and it timed out at the payment step.", "low_quality");
    let (ra, rb) = tokio::join!(a.post_webhook(Source::Stripe, &body), b.post_webhook(Source::Stripe, &body));
    assert_eq!((ra.status().as_u16(), rb.status().as_u16()), (202, 202));
    fake.wait_for_text("chat.postMessage", "sub_twice").await;
    sync_point(&b, &fake, "sub_sync_b").await;
    sync_point(&a, &fake, "sub_sync_a").await;
    assert_eq!(fake.calls_mentioning("chat.postMessage", "sub_twice").len(), 1);
}

#[tokio::test]
async fn subscriptions_route_alerts_and_a_refused_channel_is_reported_once_in_topics() {
    let fake = FakeSlack::start().await;
    let app = alert_app(&fake, None).await;
    // This channel (the command's channel_id) subscribes; the rules channel is unknown to Slack.
    let response = slash(&app, "/pushback", "subscribe checkout-slow", &fake.response_url("sub")).await;
    assert_eq!(response.status(), 200);
    let answer = fake.wait_for_response("sub", 1).await;
    assert!(answer[0]["text"].as_str().unwrap().contains("now gets the alerts for `checkout-slow`"), "{answer:?}");
    fake.forget_channel(OWNER);
    send(&app, &cancellation("sub_a", "The checkout was too slow to use.", "low_quality")).await;
    send(&app, &cancellation("sub_b", "The checkout was painfully slow again.", "low_quality")).await;
    let subscribed = "C2147483705";
    eventually_async("both alerts in the subscribed channel", || async { (fake.posts_to(subscribed).len() >= 2).then_some(()) }).await;
    eventually_async("both attempts to the refused channel failed", || async {
        let rows = app.store.outbox_rows("churn:stripe:sub_").await.unwrap();
        (rows.iter().filter(|r| r.channel == OWNER && r.status == "failed").count() == 2).then_some(())
    })
    .await;
    let problems = app.store.channel_problems().await.unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0].channel.as_str(), problems[0].error.as_str()), (OWNER, "channel_not_found"));
    slash(&app, "/pushback", "topics", &fake.response_url("topics")).await;
    let topics = fake.wait_for_response("topics", 1).await[0].to_string();
    assert!(topics.contains("#team-payments: Slack says `channel_not_found`"), "{topics}");
    assert!(topics.contains("<#C2147483705>"), "{topics}");
    // A topic that does not exist is refused, naming the known ones.
    slash(&app, "/pushback", "unsubscribe team-payments", &fake.response_url("bad")).await;
    assert!(fake.wait_for_response("bad", 1).await[0].to_string().contains("There is no topic"));
}
