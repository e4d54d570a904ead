//! The App Home tab end to end against the fake Slack (issue 23): an `app_home_opened` envelope
//! goes in and a `views.publish` with the week, what the user owns, the label queue and the
//! trust sentence comes out, within Slack's limits; each Home button, pressed over HTTP
//! (`/slack/interactions`) and over the socket, opens its modal; labels and topics made from a
//! modal happen once across two replicas; a user's view is rebuilt at most once a minute across
//! replicas and never over a newer view (`hash`).

use crate::fake_slack::{Call, FakeSlack};
use crate::helpers::{TestApp, spawn_app_with, test_database_url};
use crate::slack::{BOT_TOKEN, CHECKOUT, SIGNING_SECRET, configure, eventually, eventually_async, post_event, press_payload, seed_at};
use crate::socket::{fakes, home_opened_envelope, socket_settings};
use chrono::{Duration as Days, Utc};
use pushback::domain::{Category, NewIssueLink, TopicDraft, Tracker, Window};
use pushback::slack::home_view::check_home;
use pushback::slack::label::LabelRef;
use pushback::store::{IssueClaim, SpikeState};
use secrecy::SecretString;
use serde_json::{Value, json};
use std::time::Duration;

/// The user of `home_opened_envelope`.
const USER: &str = "U2147483697";

/// Socket Mode and signed HTTP both on, so each button can be pressed either way; `url` shares
/// a database between replicas.
async fn both_ways(fake: &FakeSlack, url: Option<&str>) -> TestApp {
    spawn_app_with(|s| {
        socket_settings(s, fake, 1);
        s.slack.signing_secret = Some(SecretString::from(SIGNING_SECRET));
        if let Some(url) = url {
            s.database.url = url.to_string();
        }
    })
    .await
}

/// A `block_actions` payload: `USER` pressed a button inside `view`.
fn click(action_id: &str, value: &str, view: Value, trigger: &str) -> Value {
    let mut payload = json!({"type": "block_actions", "user": {"id": USER, "username": "steve", "name": "steve", "team_id": "T111"},
        "api_app_id": "A111", "token": "verification_token", "container": {"type": "view", "view_id": view["id"]},
        "trigger_id": trigger, "team": {"id": "T111", "domain": "workspace-domain"},
        "actions": [{"action_id": action_id, "block_id": "b", "text": {"type": "plain_text", "text": "Button", "emoji": true},
                     "value": value, "type": "button", "action_ts": "1596530385.194939"}]});
    payload["view"] = view;
    payload
}

fn envelope(id: &str, payload: &Value) -> Value {
    json!({"envelope_id": id, "type": "interactive", "accepts_response_payload": false, "payload": payload})
}

fn home() -> Value {
    json!({"id": "V0HOME", "type": "home", "hash": "1700000000.000001", "blocks": [], "state": {"values": {}}})
}

/// A modal as Slack sends it back with a click, `share_to` picked in its channel select.
fn modal(id: &str, share_to: Option<&str>) -> Value {
    let values = match share_to {
        Some(c) => json!({"share_to": {"channel": {"type": "conversations_select", "selected_conversation": c}}}),
        None => json!({}),
    };
    json!({"id": id, "type": "modal", "hash": "1700000000.modal", "blocks": [{"type": "divider", "block_id": "x"}], "state": {"values": values}})
}

/// The calls of `method` whose body mentions `needle`, once there are `n`.
async fn wait_text(fake: &FakeSlack, method: &str, needle: &str, n: usize) -> Vec<Call> {
    eventually(&format!("{n} {method} mentioning {needle}"), || {
        let calls = fake.calls_mentioning(method, needle);
        (calls.len() >= n).then_some(calls)
    })
    .await
}

fn buttons(view: &Value, action_id: &str) -> Vec<Value> {
    view["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|b| b["elements"].as_array().into_iter().flatten().chain(std::iter::once(&b["accessory"])))
        .filter(|e| e["action_id"] == action_id)
        .cloned()
        .collect()
}

#[tokio::test]
async fn opening_the_home_tab_shows_the_week_what_you_own_and_the_label_queue_within_limits() {
    let (fake, socket) = fakes().await;
    fake.set_member_of(USER, &[("C0PAY", "team-payments"), ("C0RANDOM", "random")]);
    let app = spawn_app_with(|s| socket_settings(s, &fake, 1)).await;
    let now = Utc::now();
    seed_at(&app, &CHECKOUT, now - Days::hours(1)).await;
    // An issue the user filed from the checkout pack, and a spike on the topic two days ago.
    let link = NewIssueLink {
        topic: "checkout-slow".into(),
        tracker: Tracker::Github,
        pack_hash: "h".into(),
        window: Window { from: now - Days::days(30), to: now },
        created_by: format!("slack:{USER}"),
        slack_channel: None,
        slack_ts: None,
    };
    let IssueClaim::Claimed(id) = app.store.claim_issue(&link, now).await.unwrap() else { panic!("claimed") };
    app.store.complete_issue(id, "acme/shop#42", "https://github.com/acme/shop/issues/42").await.unwrap();
    let spike = SpikeState {
        subject: "topic:checkout-slow".into(),
        rise_key: "spike:topic:checkout-slow:1".into(),
        started_at: now - Days::days(2),
        last_abnormal_at: now - Days::days(1),
        announced_ratio: 3.4,
        checks: 2,
    };
    app.store.save_spike_state(&spike).await.unwrap();
    socket.wait_connection(0).await;

    socket.send(0, &home_opened_envelope("env-h1", "EvH1", 0));
    let call = fake.wait_for("views.publish", 1).await.remove(0);
    let body = call.json();
    assert_eq!((body["user_id"].as_str(), body["view"]["type"].as_str()), (Some(USER), Some("home")));
    check_home(body["view"]["blocks"].as_array().unwrap()).unwrap();
    for needle in [
        "The last 7 days in customer feedback",
        "Top topics",
        "home_open_pack",
        "What you own",
        "*Checkout is slow* (`checkout-slow`) via <#C0PAY>",
        "acme/shop#42",
        "open since",
        "`topic:checkout-slow` at 3.4×",
        "Label queue",
        "How far these tags can be trusted",
        "/pushback glossary",
    ] {
        assert!(call.body.contains(needle), "{needle} missing: {}", call.body);
    }
    // Slack was asked which channels the user is in, with the bot token.
    let asked = fake.calls("users.conversations");
    assert_eq!(asked.len(), 1);
    assert!(asked[0].query.as_deref().unwrap_or_default().contains(&format!("user={USER}")), "{asked:?}");
    assert_eq!(asked[0].authorization.as_deref(), Some(format!("Bearer {BOT_TOKEN}").as_str()));
}

#[tokio::test]
async fn open_pack_shows_the_pack_in_a_modal_and_share_posts_it_where_the_user_chose_over_http_and_the_socket() {
    let (fake, socket) = fakes().await;
    let app = both_ways(&fake, None).await;
    seed_at(&app, &CHECKOUT, Utc::now() - Days::hours(1)).await;
    socket.wait_connection(0).await;
    let pack = json!({"topic": "checkout-slow", "days": 7}).to_string();

    // Over HTTP: a loading modal at once for the click's trigger_id, then the pack.
    assert_eq!(press_payload(&app, &click("home_open_pack", &pack, home(), "trig-http")).await.status(), 200);
    wait_text(&fake, "views.open", "trig-http", 1).await;
    let update = fake.wait_for("views.update", 1).await.remove(0).json();
    let view = &update["view"];
    assert_eq!(view["type"], "modal");
    let text = view.to_string();
    assert!(text.contains("Evidence: Checkout is slow") && text.contains("conversations_select"), "{text}");
    assert_eq!(buttons(view, "share_in_channel").len(), 1, "{text}");
    assert!(buttons(view, "download_pack").is_empty(), "a modal has no response_url for the message's buttons: {text}");
    let view_id = update["view_id"].as_str().unwrap().to_string();

    // Share to channel with C0SHARE picked: the pack is posted there, and the modal says so.
    press_payload(&app, &click("share_in_channel", &pack, modal(&view_id, Some("C0SHARE")), "trig-share")).await;
    let posted = eventually("the pack posted in C0SHARE", || fake.posts_to("C0SHARE").pop()).await;
    assert!(posted.body.contains("Checkout is slow"), "{}", posted.body);
    wait_text(&fake, "views.push", "Shared the evidence for `checkout-slow` in <#C0SHARE>", 1).await;
    // Nothing picked: the modal says what to do, nothing is posted.
    press_payload(&app, &click("share_in_channel", &pack, modal(&view_id, None), "trig-none")).await;
    wait_text(&fake, "views.push", "Pick a channel", 1).await;

    // Over the socket: the same two buttons.
    socket.send(0, &envelope("env-pack", &click("home_open_pack", &pack, home(), "trig-sock")));
    assert!(socket.wait_ack("env-pack").await.payload.is_none());
    wait_text(&fake, "views.open", "trig-sock", 1).await;
    fake.wait_for("views.update", 2).await;
    socket.send(0, &envelope("env-share", &click("share_in_channel", &pack, modal(&view_id, Some("C0OTHER")), "trig-sock-share")));
    eventually("the pack posted in C0OTHER", || fake.posts_to("C0OTHER").pop()).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(fake.posts_to("C0SHARE").len(), 1);
    assert_eq!(fake.posts_to("C0OTHER").len(), 1);
}

#[tokio::test]
async fn the_label_queue_opens_in_a_modal_where_a_label_is_recorded_once_across_two_replicas() {
    let (fake, socket) = fakes().await;
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    let a = both_ways(&fake, Some(&url)).await;
    socket.wait_connection(0).await;
    let b = both_ways(&fake, Some(&url)).await;
    socket.wait_connection(1).await;
    seed_at(&a, &CHECKOUT, Utc::now() - Days::hours(1)).await;

    assert_eq!(press_payload(&a, &click("home_label_queue", "\"queue\"", home(), "trig-label")).await.status(), 200);
    wait_text(&fake, "views.open", "trig-label", 1).await;
    let queue = fake.wait_for("views.update", 1).await.remove(0).json();
    let refs: Vec<LabelRef> =
        buttons(&queue["view"], "label_reliability").iter().map(|b| serde_json::from_str(b["value"].as_str().unwrap()).unwrap()).collect();
    assert!(refs.len() >= 2, "the queue's items each have label buttons: {queue}");

    // A label pressed in the modal, delivered to both replicas over the socket: recorded once,
    // as `/pushback label` records it, and the modal shows it in place.
    let labelled =
        envelope("env-label", &click("label_reliability", &serde_json::to_string(&refs[0]).unwrap(), modal("V-LABEL", None), "t1"));
    socket.send(0, &labelled);
    socket.send(1, &labelled);
    eventually("both deliveries acked", || (socket.acks_of("env-label").len() == 2).then_some(())).await;
    let update = wait_text(&fake, "views.update", "Labelled *reliability* by <@U2147483697>", 1).await.remove(0).json();
    assert_eq!(update["view_id"], "V-LABEL");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let corrections = a.store.corrections().await.unwrap();
    assert_eq!(corrections.len(), 1, "{corrections:?}");
    assert_eq!((corrections[0].item_id, corrections[0].performance, corrections[0].reliability), (refs[0].item, false, true));

    // The next item over HTTP, on the other replica.
    let second = click("label_performance", &serde_json::to_string(&refs[1]).unwrap(), modal("V-LABEL", None), "t2");
    assert_eq!(press_payload(&b, &second).await.status(), 200);
    eventually_async("the second label", || async { (a.store.corrections().await.unwrap().len() == 2).then_some(()) }).await;
}

#[tokio::test]
async fn make_this_a_topic_from_the_home_tab_stores_it_once_and_answers_in_a_modal() {
    let (fake, socket) = fakes().await;
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    let a = both_ways(&fake, Some(&url)).await;
    socket.wait_connection(0).await;
    let _b = both_ways(&fake, Some(&url)).await;
    socket.wait_connection(1).await;
    let draft = |slug: &str| {
        let d = TopicDraft {
            slug: slug.into(),
            title: "Barcode scanner".into(),
            patterns: vec![format!(r"\b{slug}\b")],
            category: Some(Category::Reliability),
        };
        serde_json::to_string(&d).unwrap()
    };

    assert_eq!(press_payload(&a, &click("make_topic", &draft("barcode"), home(), "trig-topic")).await.status(), 200);
    wait_text(&fake, "views.open", "Made `barcode` a topic", 1).await;

    let made = envelope("env-topic", &click("make_topic", &draft("scanner"), home(), "trig-topic-2"));
    socket.send(0, &made);
    socket.send(1, &made);
    eventually("both deliveries acked", || (socket.acks_of("env-topic").len() == 2).then_some(())).await;
    wait_text(&fake, "views.open", "Made `scanner` a topic", 1).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let slugs: Vec<String> = a.store.stored_topics().await.unwrap().into_iter().map(|t| t.slug).collect();
    assert_eq!(slugs.len(), 2, "{slugs:?}");
    assert_eq!(fake.calls_mentioning("views.open", "a topic").len(), 2, "one answer per click");
}

#[tokio::test]
async fn the_home_view_is_rebuilt_at_most_once_a_minute_per_user_across_replicas() {
    let (fake, socket) = fakes().await;
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    let _a = both_ways(&fake, Some(&url)).await;
    socket.wait_connection(0).await;
    let _b = both_ways(&fake, Some(&url)).await;
    socket.wait_connection(1).await;
    socket.send(0, &home_opened_envelope("env-m1", "EvM1", 0));
    fake.wait_for("views.publish", 1).await;
    // The user opens the tab again a moment later; the other replica gets it.
    socket.send(1, &home_opened_envelope("env-m2", "EvM2", 0));
    socket.wait_ack("env-m2").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(fake.calls("views.publish").len(), 1, "rebuilt twice within a minute");
}

#[tokio::test]
async fn a_replica_passes_the_last_hash_and_never_overwrites_a_newer_home_view() {
    let (fake, socket) = fakes().await;
    let _app = spawn_app_with(|s| {
        socket_settings(s, &fake, 1);
        s.slack.home_refresh_secs = 1;
    })
    .await;
    socket.wait_connection(0).await;
    socket.send(0, &home_opened_envelope("env-x1", "EvX1", 0));
    let first = fake.wait_for("views.publish", 1).await.remove(0);
    assert!(first.json().get("hash").is_none(), "no hash before the first view: {}", first.body);
    let h1 = fake.home_hash(USER).unwrap();

    tokio::time::sleep(Duration::from_millis(1100)).await;
    socket.send(0, &home_opened_envelope("env-x2", "EvX2", 0));
    let second = fake.wait_for("views.publish", 2).await.remove(1);
    assert_eq!(second.json()["hash"], h1.as_str());
    assert!(second.ok);
    let h2 = fake.home_hash(USER).unwrap();

    // Meanwhile a newer view was published (by a replica whose hash we never saw).
    fake.set_home_hash(USER, "1800000000.newer");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    socket.send(0, &home_opened_envelope("env-x3", "EvX3", 0));
    let third = fake.wait_for("views.publish", 3).await.remove(2);
    assert_eq!(third.json()["hash"], h2.as_str());
    assert!(!third.ok, "Slack refused the stale publish");
    assert_eq!(fake.home_hash(USER).as_deref(), Some("1800000000.newer"), "the newer view was kept");
}

/// An `event_callback` as Slack POSTs it to the events request URL.
fn home_opened_callback(event_id: &str) -> Value {
    json!({"token": "unused", "team_id": "T111", "api_app_id": "A111", "type": "event_callback", "event_id": event_id,
        "event_time": 1_700_000_000, "event": {"type": "app_home_opened", "user": USER, "channel": "D111", "tab": "home",
        "event_ts": "1700000000.000100"}})
}

#[tokio::test]
async fn over_http_the_events_url_is_verified_and_a_retried_app_home_opened_publishes_once() {
    let fake = FakeSlack::start().await;
    // HTTP only (no app token); no once-a-minute limit, so only the event id can stop a publish.
    let app = spawn_app_with(|s| {
        configure(s, &fake, false);
        s.slack.home_refresh_secs = 0;
    })
    .await;
    let challenge =
        json!({"token": "unused", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"});
    let answer = post_event(&app, &challenge, None).await;
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.json::<Value>().await.unwrap()["challenge"], challenge["challenge"]);
    let unsigned = app.client.post(format!("{}/slack/events", app.address)).body(challenge.to_string()).send().await.unwrap();
    assert_eq!(unsigned.status(), 401);

    assert_eq!(post_event(&app, &home_opened_callback("EvHTTP1"), None).await.status(), 200);
    fake.wait_for("views.publish", 1).await;
    // Slack retries the same event (it did not see our answer in time): acknowledged, not redone.
    assert_eq!(post_event(&app, &home_opened_callback("EvHTTP1"), Some("1")).await.status(), 200);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(fake.calls("views.publish").len(), 1, "a retried event was handled twice");
    assert!(app.store.slack_claim("event:EvHTTP1").await.unwrap().is_some());
    // A new opening of the tab is a new event: published again.
    assert_eq!(post_event(&app, &home_opened_callback("EvHTTP2"), None).await.status(), 200);
    fake.wait_for("views.publish", 2).await;
}
