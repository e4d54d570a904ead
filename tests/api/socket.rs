//! Slack Socket Mode end to end against a fake Slack on 127.0.0.1 (`FakeSlack` for
//! apps.connections.open and response_url, `FakeSocket` for the WebSocket): commands, buttons
//! and events arrive over the socket and reach the same handlers as over HTTP; every envelope is
//! acknowledged by its id; redeliveries have one side effect across two replicas; `disconnect`
//! reasons, malformed frames and silent connections are handled as the issue (23) asks.

use crate::fake_slack::FakeSlack;
use crate::fake_socket::FakeSocket;
use crate::helpers::{TestApp, spawn_app_with, test_database_url};
use crate::slack::{BOT_TOKEN, CHECKOUT, eventually, eventually_async, seed_at, slash};
use pushback::config::Settings;
use secrecy::SecretString;
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

pub const APP_TOKEN: &str = "xapp-1-A111-1-test";
/// Slack's limit for an ack.
const ACK_DEADLINE: Duration = Duration::from_secs(3);

/// Socket Mode only: app and bot tokens, no signing secret, `connections` per replica.
pub fn socket_settings(s: &mut Settings, fake: &FakeSlack, connections: usize) {
    s.slack.bot_token = Some(SecretString::from(BOT_TOKEN));
    s.slack.app_token = Some(SecretString::from(APP_TOKEN));
    s.slack.signing_secret = None;
    s.slack.api_url = fake.api_url();
    s.slack.socket_connections = connections;
    s.slack.socket_ping_secs = 1;
    s.slack.outbox_poll_secs = 1;
    s.alerts.spikes = false;
}

async fn socket_app(fake: &FakeSlack, connections: usize) -> TestApp {
    spawn_app_with(|s| socket_settings(s, fake, connections)).await
}

pub async fn fakes() -> (FakeSlack, FakeSocket) {
    let (fake, socket) = (FakeSlack::start().await, FakeSocket::start().await);
    fake.serve_socket(&socket.url);
    (fake, socket)
}

/// A `slash_commands` envelope as Slack sends it.
pub fn slash_envelope(id: &str, command: &str, text: &str, response_url: &str) -> Value {
    json!({"envelope_id": id, "type": "slash_commands", "accepts_response_payload": true, "payload": {
        "token": "unused", "team_id": "T0001", "team_domain": "example", "channel_id": "C2147483705", "channel_name": "test",
        "user_id": "U2147483697", "user_name": "Steve", "command": command, "text": text, "api_app_id": "A111",
        "is_enterprise_install": "false", "response_url": response_url, "trigger_id": "13345224609.738474920.8088930838d88f008e0"}})
}

/// An `interactive` `block_actions` envelope pressing one button.
pub fn button_envelope(id: &str, action_id: &str, value: &str, response_url: &str) -> Value {
    json!({"envelope_id": id, "type": "interactive", "accepts_response_payload": false, "payload": {
        "type": "block_actions",
        "user": {"id": "W111", "username": "primary-owner", "name": "primary-owner", "team_id": "T111"},
        "api_app_id": "A111", "token": "verification_token",
        "container": {"type": "message", "message_ts": "111.222", "channel_id": "C111", "is_ephemeral": true},
        "trigger_id": "111.222.valid", "team": {"id": "T111", "domain": "workspace-domain"},
        "channel": {"id": "C111", "name": "test-channel"}, "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": "b", "text": {"type": "plain_text", "text": "Button", "emoji": true},
                     "value": value, "type": "button", "action_ts": "1596530385.194939"}]}})
}

/// An `events_api` envelope carrying `app_home_opened`; `retry` as Slack counts redeliveries.
pub fn home_opened_envelope(id: &str, event_id: &str, retry: u64) -> Value {
    let mut v = json!({"envelope_id": id, "type": "events_api", "accepts_response_payload": false, "retry_attempt": retry,
        "retry_reason": if retry > 0 { "timeout" } else { "" }, "payload": {
        "token": "unused", "team_id": "T111", "api_app_id": "A111", "type": "event_callback", "event_id": event_id,
        "event_time": 1_700_000_000, "event": {"type": "app_home_opened", "user": "U2147483697", "channel": "D111", "tab": "home",
        "event_ts": "1700000000.000100"}}});
    if retry == 0 {
        v.as_object_mut().unwrap().remove("retry_reason");
    }
    v
}

async fn metric(app: &TestApp, needle: &str) -> Option<f64> {
    let text = app.get("/metrics").await.text().await.unwrap();
    text.lines().find(|l| l.starts_with(needle)).and_then(|l| l.rsplit(' ').next()).and_then(|v| v.parse().ok())
}

async fn readyz_socket(app: &TestApp) -> Value {
    let ready: Value = app.get("/readyz").await.json().await.unwrap();
    ready["slack_socket"].clone()
}

fn answers_on(fake: &FakeSlack, id: &str) -> usize {
    fake.calls("response_url").iter().filter(|c| c.id.as_deref() == Some(id)).count()
}

#[tokio::test]
async fn socket_evidence_command_is_acked_with_its_answer_and_answered_once_without_a_signing_secret() {
    let (fake, socket) = fakes().await;
    let app = socket_app(&fake, 1).await;
    seed_at(&app, &CHECKOUT, chrono::Utc::now() - chrono::Duration::days(1)).await;
    socket.wait_connection(0).await;
    let open = fake.calls("apps.connections.open");
    assert_eq!(open[0].authorization.as_deref(), Some(format!("Bearer {APP_TOKEN}").as_str()));

    socket.send(0, &slash_envelope("env-cmd-1", "/evidence", "checkout-slow", &fake.response_url("s1")));
    let ack = socket.wait_ack("env-cmd-1").await;
    assert!(ack.latency < ACK_DEADLINE, "ack after {:?}", ack.latency);
    let payload = ack.payload.expect("the immediate answer rides in the ack");
    assert_eq!(payload["response_type"], "ephemeral");
    assert!(payload["text"].as_str().unwrap().contains("checkout-slow"), "{payload}");

    let answer = fake.wait_for_response("s1", 1).await.remove(0);
    assert!(answer.to_string().contains("Evidence: Checkout is slow"), "{answer}");
    assert!(answer.to_string().contains("*3 items* from *3 accounts*"), "{answer}");
    // One answer per command: nothing more arrives.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(answers_on(&fake, "s1"), 1);
    assert_eq!(socket.acks_of("env-cmd-1").len(), 1);

    // Help answers in the ack alone; no response_url call.
    socket.send(0, &slash_envelope("env-help", "/pushback", "help", &fake.response_url("h1")));
    let help = socket.wait_ack("env-help").await.payload.unwrap();
    assert!(help.to_string().contains("/evidence"), "{help}");
    // Without a signing secret the HTTP route refuses, and says what is missing.
    let http = slash(&app, "/evidence", "checkout-slow", &fake.response_url("x")).await;
    assert_eq!(http.status(), 401);
    assert_eq!(answers_on(&fake, "h1"), 0);
    fake.assert_all_within_limits();
}

#[tokio::test]
async fn http_routes_keep_working_while_the_socket_is_connected() {
    let (fake, socket) = fakes().await;
    let app = spawn_app_with(|s| {
        socket_settings(s, &fake, 1);
        s.slack.signing_secret = Some(SecretString::from(crate::slack::SIGNING_SECRET));
    })
    .await;
    socket.wait_connection(0).await;
    let http = slash(&app, "/pushback", "help", &fake.response_url("x")).await;
    assert_eq!(http.status(), 200);
    socket.send(0, &slash_envelope("env-both", "/pushback", "help", &fake.response_url("y")));
    assert!(socket.wait_ack("env-both").await.payload.is_some());
}

#[tokio::test]
async fn socket_buttons_reach_the_same_handlers_as_http() {
    let (fake, socket) = fakes().await;
    let app = socket_app(&fake, 1).await;
    let ids = seed_at(&app, &CHECKOUT, chrono::Utc::now() - chrono::Duration::days(1)).await;
    socket.wait_connection(0).await;

    let wrong = json!({"item": ids[0], "category": "performance"}).to_string();
    socket.send(0, &button_envelope("env-b1", "wrong_tag", &wrong, &fake.response_url("b1")));
    let ack = socket.wait_ack("env-b1").await;
    assert!(ack.payload.is_none() && ack.latency < ACK_DEADLINE, "{ack:?}");
    let answer = fake.wait_for_response("b1", 1).await.remove(0);
    assert!(answer.to_string().contains("no longer counts as performance"), "{answer}");
    let corrections = app.store.corrections().await.unwrap();
    assert_eq!(corrections.len(), 1);

    let pack = json!({"topic": "checkout-slow", "days": 30}).to_string();
    socket.send(0, &button_envelope("env-b2", "share_in_channel", &pack, &fake.response_url("b2")));
    socket.wait_ack("env-b2").await;
    let shared = fake.wait_for_response("b2", 1).await.remove(0);
    assert_eq!(shared["response_type"], "in_channel");
}

#[tokio::test]
async fn a_redelivered_envelope_has_one_side_effect_across_two_replicas_on_one_database() {
    let (fake, socket) = fakes().await;
    let dir = tempfile::tempdir().unwrap();
    let url = test_database_url(dir.path()).await;
    let a = spawn_app_with(|s| {
        socket_settings(s, &fake, 1);
        s.database.url = url.clone();
    })
    .await;
    socket.wait_connection(0).await;
    let b = spawn_app_with(|s| {
        socket_settings(s, &fake, 1);
        s.database.url = url.clone();
    })
    .await;
    socket.wait_connection(1).await;
    let ids = seed_at(&a, &CHECKOUT, chrono::Utc::now() - chrono::Duration::days(1)).await;

    // The same button envelope delivered to both replicas: one correction, both acked.
    let wrong =
        button_envelope("env-r1", "wrong_tag", &json!({"item": ids[0], "category": "performance"}).to_string(), &fake.response_url("r1"));
    socket.send(0, &wrong);
    socket.send(1, &wrong);
    eventually("both deliveries acked", || (socket.acks_of("env-r1").len() == 2).then_some(())).await;
    fake.wait_for_response("r1", 1).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(a.store.corrections().await.unwrap().len(), 1);
    assert_eq!(answers_on(&fake, "r1"), 1);

    // A slash command delivered twice: one answer.
    let cmd = slash_envelope("env-r2", "/evidence", "checkout-slow", &fake.response_url("r2"));
    socket.send(0, &cmd);
    socket.send(1, &cmd);
    eventually("both command deliveries acked", || (socket.acks_of("env-r2").len() == 2).then_some(())).await;
    fake.wait_for_response("r2", 1).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(answers_on(&fake, "r2"), 1);
    assert_eq!(socket.acks_of("env-r2").iter().filter(|a| a.payload.is_some()).count(), 1);

    // An event, then Slack's retry of it in a new envelope to the other replica: both acked,
    // handled once (the event id was claimed by the first).
    socket.send(0, &home_opened_envelope("env-e1", "Ev0001", 0));
    socket.wait_ack("env-e1").await;
    socket.send(1, &home_opened_envelope("env-e2", "Ev0001", 1));
    socket.wait_ack("env-e2").await;
    assert!(b.store.slack_claim("event:Ev0001").await.unwrap().is_some());
    assert!(b.store.slack_claim("envelope:env-e1").await.unwrap().is_some());
    assert!(b.store.slack_claim("envelope:env-e2").await.unwrap().is_none(), "the retry was handled a second time");
    // Its side effect, the Home tab published, happened once.
    fake.wait_for("views.publish", 1).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(fake.calls("views.publish").len(), 1);
}

#[tokio::test]
async fn opening_the_home_tab_publishes_the_users_home_view_within_slack_limits() {
    let (fake, socket) = fakes().await;
    let app = socket_app(&fake, 1).await;
    seed_at(&app, &CHECKOUT, chrono::Utc::now() - chrono::Duration::hours(1)).await;
    socket.wait_connection(0).await;
    socket.send(0, &home_opened_envelope("env-home", "Ev0002", 0));
    assert!(socket.wait_ack("env-home").await.latency < ACK_DEADLINE);
    let call = fake.wait_for("views.publish", 1).await.remove(0);
    assert_eq!(call.authorization.as_deref(), Some(format!("Bearer {BOT_TOKEN}").as_str()));
    let body = call.json();
    assert_eq!(body["user_id"], "U2147483697");
    assert_eq!(body["view"]["type"], "home");
    let blocks = body["view"]["blocks"].as_array().unwrap();
    assert!(!blocks.is_empty() && blocks.len() <= 100, "{} blocks", blocks.len());
    assert!(call.body.len() < 250_000);
    assert!(call.body.contains("Label queue") && call.body.contains("checkout-slow"), "{}", call.body);
}

#[tokio::test]
async fn refresh_requested_and_warning_open_the_replacement_before_the_old_connection_closes() {
    let (fake, socket) = fakes().await;
    let app = socket_app(&fake, 1).await;
    socket.wait_connection(0).await;
    for (old, reason) in [(0, "refresh_requested"), (1, "warning")] {
        let asked = tokio::time::Instant::now();
        socket.disconnect(old, reason);
        let new = socket.wait_connection(old + 1).await;
        let closed = socket.wait_closed(old).await;
        assert!(new.opened_at < closed, "{reason}: the old connection closed before the replacement said hello");
        assert!(new.opened_at - asked < Duration::from_secs(10), "{reason}: replaced after {:?}", new.opened_at - asked);
        // The replacement delivers.
        let id = format!("env-after-{reason}");
        socket.send(old + 1, &slash_envelope(&id, "/pushback", "help", &fake.response_url("z")));
        assert_eq!(socket.wait_ack(&id).await.connection, old + 1);
        let line = format!("pushback_slack_socket_reconnects_total{{reason=\"{reason}\"}}");
        assert_eq!(metric(&app, &line).await, Some(1.0), "{line}");
    }
    assert_eq!(socket.open_ids(), vec![2]);
}

#[tokio::test]
async fn link_disabled_stops_socket_mode_with_a_reason_and_http_still_serves() {
    let (fake, socket) = fakes().await;
    let app = socket_app(&fake, 2).await;
    socket.wait_connection(1).await;
    socket.disconnect(0, "link_disabled");
    eventually_async("readyz to say stopped", || async {
        let s = readyz_socket(&app).await;
        (s["state"] == "stopped").then_some(s)
    })
    .await;
    let s = readyz_socket(&app).await;
    assert!(s["reason"].as_str().unwrap().contains("switched off"), "{s}");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(socket.connections().len(), 2, "no reconnect after link_disabled");
    assert!(socket.open_ids().is_empty(), "both connections closed");
    assert_eq!(fake.calls("apps.connections.open").len(), 2);
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn too_many_websockets_backs_off_instead_of_looping() {
    let (fake, socket) = fakes().await;
    let _app = socket_app(&fake, 1).await;
    socket.wait_connection(0).await;
    socket.disconnect(0, "too_many_websockets");
    socket.wait_closed(0).await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(fake.calls("apps.connections.open").len(), 1, "reconnected at once after too_many_websockets");
    assert_eq!(socket.connections().len(), 1);
}

#[tokio::test]
async fn binary_and_malformed_frames_are_ignored_and_the_connection_stays() {
    let (fake, socket) = fakes().await;
    let _app = socket_app(&fake, 1).await;
    socket.wait_connection(0).await;
    socket.send_raw(0, Message::binary(vec![0u8, 159, 146, 150]));
    socket.send_raw(0, Message::text("{not json"));
    socket.send_raw(0, Message::text(r#"{"type":"slash_commands","payload":{}}"#));
    socket.send_raw(0, Message::text(r#"{"type":"something_new"}"#));
    socket.send(0, &slash_envelope("env-after-junk", "/pushback", "help", &fake.response_url("j")));
    let ack = socket.wait_ack("env-after-junk").await;
    assert_eq!(ack.connection, 0);
    assert_eq!(socket.connections().len(), 1);
    assert_eq!(socket.acks().len(), 1, "only the valid envelope is acked");
}

#[tokio::test]
async fn a_connection_that_stops_answering_pings_is_replaced() {
    let (fake, socket) = fakes().await;
    let app = socket_app(&fake, 1).await;
    socket.wait_connection(0).await;
    socket.mute(0);
    let muted = tokio::time::Instant::now();
    let new = socket.wait_connection(1).await;
    // Two silent ping intervals (1 s each) and the next tick, then a jittered pause under 1 s.
    assert!(new.opened_at - muted < Duration::from_secs(10), "replaced after {:?}", new.opened_at - muted);
    assert_eq!(metric(&app, "pushback_slack_socket_reconnects_total{reason=\"ping_timeout\"}").await, Some(1.0));
    socket.send(1, &slash_envelope("env-after-mute", "/pushback", "help", &fake.response_url("m")));
    assert_eq!(socket.wait_ack("env-after-mute").await.connection, 1);
}

#[tokio::test]
async fn a_healthy_connection_is_kept_over_several_ping_intervals() {
    let (fake, socket) = fakes().await;
    let app = socket_app(&fake, 2).await;
    socket.wait_connection(1).await;
    eventually_async("readyz to say connected", || async {
        let s = readyz_socket(&app).await;
        (s["state"] == "connected" && s["connections"] == 2).then_some(())
    })
    .await;
    assert_eq!(metric(&app, "pushback_slack_socket_connections ").await, Some(2.0));
    // Six ping intervals of 1 s.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let conns = socket.connections();
    assert_eq!(conns.len(), 2, "a healthy connection was replaced: {conns:?}");
    assert!(conns.iter().all(|c| c.closed_at.is_none() && c.pings >= 4), "{conns:?}");
    assert_eq!(fake.calls("apps.connections.open").len(), 2);
    let text = app.get("/metrics").await.text().await.unwrap();
    assert!(!text.contains("pushback_slack_socket_reconnects_total{"), "{text}");
}

#[tokio::test]
async fn failed_connects_back_off_exponentially_then_connect() {
    let (fake, socket) = fakes().await;
    use crate::fake_slack::Scripted;
    fake.script("apps.connections.open", vec![Scripted::ServerError, Scripted::ServerError, Scripted::ServerError]);
    let app = socket_app(&fake, 1).await;
    socket.wait_connection(0).await;
    let calls = fake.calls("apps.connections.open");
    assert_eq!(calls.len(), 4, "{calls:?}");
    let gaps: Vec<Duration> = calls.windows(2).map(|w| w[1].at - w[0].at).collect();
    // Waits drawn from the upper half of 1 s, 2 s, 4 s.
    for (gap, least) in gaps.iter().zip([500, 1000, 2000]) {
        assert!(*gap >= Duration::from_millis(least), "{gaps:?}");
    }
    assert_eq!(readyz_socket(&app).await["state"], "connected");
}

#[tokio::test]
async fn a_connection_slack_closes_is_replaced_and_counted() {
    let (fake, socket) = fakes().await;
    let app = socket_app(&fake, 1).await;
    socket.wait_connection(0).await;
    socket.close(0);
    socket.wait_connection(1).await;
    assert_eq!(metric(&app, "pushback_slack_socket_reconnects_total{reason=\"closed\"}").await, Some(1.0));
    socket.send(1, &slash_envelope("env-after-close", "/pushback", "help", &fake.response_url("c")));
    assert_eq!(socket.wait_ack("env-after-close").await.connection, 1);
}

/// The ack latency benchmark of BENCHMARKS.md (not a test: no timed assertion): 1,000
/// `/evidence checkout-slow` envelopes over one socket, one in flight at a time, each slow
/// answer going on in the background as in production. Run it with
/// `cargo test --test api socket_ack_latency_bench -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "a benchmark; run by hand"]
async fn socket_ack_latency_bench() {
    let (fake, socket) = fakes().await;
    let app = socket_app(&fake, 1).await;
    seed_at(&app, &CHECKOUT, chrono::Utc::now() - chrono::Duration::days(1)).await;
    socket.wait_connection(0).await;
    let n = 1000;
    for i in 0..n {
        socket.send(0, &slash_envelope(&format!("bench-{i}"), "/evidence", "checkout-slow", &fake.response_url(&format!("b{i}"))));
        while socket.acks().len() <= i {
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
    }
    let mut latencies: Vec<Duration> = socket.acks().iter().map(|a| a.latency).collect();
    assert_eq!(latencies.len(), n);
    assert!(socket.acks().iter().all(|a| a.payload.is_some()));
    latencies.sort();
    let at = |q: f64| latencies[((n as f64 * q).ceil() as usize).min(n) - 1];
    println!(
        "socket ack latency over {n} slash-command envelopes ({}): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        app.store.backend(),
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        latencies[n - 1].as_secs_f64() * 1e3
    );
}

#[tokio::test]
async fn an_app_token_slack_refuses_is_named_with_what_to_do_and_not_retried_in_a_tight_loop() {
    let (fake, socket) = fakes().await;
    use crate::fake_slack::Scripted;
    fake.script("apps.connections.open", vec![Scripted::NotOk("invalid_auth"); 5]);
    let app = socket_app(&fake, 1).await;
    let s = eventually_async("readyz to give the refusal", || async {
        let s = readyz_socket(&app).await;
        s.get("last_error").is_some().then_some(s)
    })
    .await;
    assert_eq!(s["state"], "connecting");
    let why = s["last_error"].as_str().unwrap();
    assert!(why.contains("PUSHBACK_SLACK__APP_TOKEN (invalid_auth)") && why.contains("App-Level Tokens"), "{why}");
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(fake.calls("apps.connections.open").len(), 1, "retried at once after invalid_auth");
    assert_eq!(socket.accepted(), 0, "no WebSocket without a URL");
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn a_disconnect_before_hello_is_retried_after_a_pause_and_link_disabled_before_hello_stops() {
    let (fake, socket) = fakes().await;
    socket.greet_next_with(json!({"type": "disconnect", "reason": "refresh_requested", "debug_info": {"host": "applink-fake"}}));
    let app = socket_app(&fake, 1).await;
    let first = socket.wait_connection(0).await;
    assert_eq!(socket.accepted(), 2, "the first WebSocket got a disconnect, the second hello");
    let opens = fake.calls("apps.connections.open");
    assert_eq!(opens.len(), 2);
    assert!(opens[1].at - opens[0].at >= Duration::from_millis(400), "reconnected without a pause: {:?}", opens[1].at - opens[0].at);
    assert!(first.opened_at - opens[0].at < Duration::from_secs(10));
    socket.send(0, &slash_envelope("env-after-early", "/pushback", "help", &fake.response_url("e")));
    assert!(socket.wait_ack("env-after-early").await.payload.is_some());
    assert_eq!(metric(&app, "pushback_slack_socket_reconnects_total{reason=\"refresh_requested\"}").await, Some(1.0));

    let (fake, socket) = fakes().await;
    socket.greet_next_with(json!({"type": "disconnect", "reason": "link_disabled", "debug_info": {"host": "applink-fake"}}));
    let app = socket_app(&fake, 1).await;
    eventually_async("readyz to say stopped", || async { (readyz_socket(&app).await["state"] == "stopped").then_some(()) }).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!((fake.calls("apps.connections.open").len(), socket.accepted()), (1, 1), "no reconnect after link_disabled");
}

#[tokio::test]
async fn an_envelope_that_accepts_no_response_payload_is_acked_bare_and_answered_through_response_url() {
    let (fake, socket) = fakes().await;
    let _app = socket_app(&fake, 1).await;
    socket.wait_connection(0).await;
    let mut help = slash_envelope("env-nopayload", "/pushback", "help", &fake.response_url("np"));
    help["accepts_response_payload"] = json!(false);
    socket.send(0, &help);
    let ack = socket.wait_ack("env-nopayload").await;
    assert!(ack.payload.is_none(), "the ack carried a payload Slack said it would not accept: {ack:?}");
    assert!(ack.latency < ACK_DEADLINE);
    let answer = fake.wait_for_response("np", 1).await.remove(0);
    assert!(answer.to_string().contains("/evidence"), "{answer}");
    assert_eq!(answer["response_type"], "ephemeral");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(answers_on(&fake, "np"), 1);
}
