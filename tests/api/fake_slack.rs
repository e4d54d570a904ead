//! A fake Slack on 127.0.0.1: the Web API methods pushback calls (chat.postMessage, the file
//! upload flow) and response_url endpoints. It records every call and can be scripted to
//! answer `ok:false`, 5xx, or 429 with Retry-After.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use pushback::slack::blocks::{SlackMessage, check_limits};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Call {
    /// `chat.postMessage`, `files.getUploadURLExternal`, `upload`, `response_url`, ...
    pub method: String,
    /// The response_url or upload id, when the path has one.
    pub id: Option<String>,
    pub query: Option<String>,
    pub body: String,
    pub authorization: Option<String>,
    /// The status the fake answered with.
    pub status: u16,
    /// Whether the answer was `"ok": true` (a 200 can carry `ok: false`).
    pub ok: bool,
    pub at: tokio::time::Instant,
}

impl Call {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// A scripted answer, used once, in order, for one method.
#[derive(Debug, Clone)]
pub enum Scripted {
    RateLimited { retry_after_secs: u64 },
    NotOk(&'static str),
    ServerError,
}

#[derive(Default)]
struct Fake {
    calls: Mutex<Vec<Call>>,
    script: Mutex<HashMap<String, VecDeque<Scripted>>>,
    base: Mutex<String>,
    /// Channels chat.postMessage answers `channel_not_found` for.
    unknown_channels: Mutex<Vec<String>>,
    /// The WebSocket URL apps.connections.open hands out (`FakeSocket`).
    socket_url: Mutex<Option<String>>,
    /// File ids files.getUploadURLExternal handed out.
    issued_files: Mutex<Vec<String>>,
    /// Each user's current Home view hash (views.publish with another `hash` is a conflict).
    home_hashes: Mutex<HashMap<String, String>>,
    /// The channels (ID, name) users.conversations lists per user.
    members: Mutex<HashMap<String, Vec<(String, String)>>>,
}

pub struct FakeSlack {
    base: String,
    fake: Arc<Fake>,
}

fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    (status, [("content-type", "application/json")], body.to_string()).into_response()
}

impl FakeSlack {
    pub async fn start() -> Self {
        let fake = Arc::new(Fake::default());
        let app = Router::new()
            .route("/api/{method}", post(api).get(api))
            .route("/upload/{id}", post(upload))
            .route("/response/{id}", post(response_url))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind fake Slack");
        let base = format!("http://{}", listener.local_addr().unwrap());
        *fake.base.lock().unwrap() = base.clone();
        tokio::spawn(async move { axum::serve(listener, app).await.expect("fake Slack serves") });
        Self { base, fake }
    }

    /// For `slack.api_url`.
    pub fn api_url(&self) -> String {
        format!("{}/api/", self.base)
    }

    pub fn response_url(&self, id: &str) -> String {
        format!("{}/response/{id}", self.base)
    }

    /// apps.connections.open answers with `url` (a `FakeSocket`'s).
    pub fn serve_socket(&self, url: &str) {
        *self.fake.socket_url.lock().unwrap() = Some(url.to_string());
    }

    /// users.conversations for `user` lists `channels` (ID, name).
    pub fn set_member_of(&self, user: &str, channels: &[(&str, &str)]) {
        let channels = channels.iter().map(|(id, name)| (id.to_string(), name.to_string())).collect();
        self.fake.members.lock().unwrap().insert(user.to_string(), channels);
    }

    /// Someone else published `user`'s Home view: its hash is now `hash`.
    pub fn set_home_hash(&self, user: &str, hash: &str) {
        self.fake.home_hashes.lock().unwrap().insert(user.to_string(), hash.to_string());
    }

    pub fn home_hash(&self, user: &str) -> Option<String> {
        self.fake.home_hashes.lock().unwrap().get(user).cloned()
    }

    /// The next answers of `method`, used once each before the default success.
    pub fn script(&self, method: &str, answers: Vec<Scripted>) {
        self.fake.script.lock().unwrap().entry(method.to_string()).or_default().extend(answers);
    }

    /// Forgets the answers scripted for `method` and not used yet.
    pub fn clear_script(&self, method: &str) {
        self.fake.script.lock().unwrap().remove(method);
    }

    /// chat.postMessage to `channel` is accepted again.
    pub fn restore_channel(&self, channel: &str) {
        self.fake.unknown_channels.lock().unwrap().retain(|c| c != channel);
    }

    /// chat.postMessage to `channel` answers `channel_not_found` from now on.
    pub fn forget_channel(&self, channel: &str) {
        self.fake.unknown_channels.lock().unwrap().push(channel.to_string());
    }

    /// The chat.postMessage calls to `channel`.
    pub fn posts_to(&self, channel: &str) -> Vec<Call> {
        self.calls("chat.postMessage").into_iter().filter(|c| c.json()["channel"] == channel).collect()
    }

    pub fn calls(&self, method: &str) -> Vec<Call> {
        self.fake.calls.lock().unwrap().iter().filter(|c| c.method == method).cloned().collect()
    }

    pub fn all_calls(&self) -> Vec<Call> {
        self.fake.calls.lock().unwrap().clone()
    }

    /// Waits (up to 20 s) until `method` has been called at least `n` times.
    pub async fn wait_for(&self, method: &str, n: usize) -> Vec<Call> {
        crate::slack::eventually(&format!("{n} calls of {method}"), || {
            let calls = self.calls(method);
            (calls.len() >= n).then_some(calls)
        })
        .await
    }

    /// The calls of `method` whose body mentions `needle`.
    pub fn calls_mentioning(&self, method: &str, needle: &str) -> Vec<Call> {
        self.calls(method).into_iter().filter(|c| c.body.contains(needle)).collect()
    }

    /// Waits (up to 20 s) until a call of `method` mentions `needle`; returns those calls.
    pub async fn wait_for_text(&self, method: &str, needle: &str) -> Vec<Call> {
        crate::slack::eventually(&format!("a {method} mentioning {needle}"), || {
            let calls = self.calls_mentioning(method, needle);
            (!calls.is_empty()).then_some(calls)
        })
        .await
    }

    /// The calls to one response_url.
    pub async fn wait_for_response(&self, id: &str, n: usize) -> Vec<serde_json::Value> {
        crate::slack::eventually(&format!("{n} answers on response_url {id}"), || {
            let calls: Vec<_> = self.calls("response_url").into_iter().filter(|c| c.id.as_deref() == Some(id)).map(|c| c.json()).collect();
            (calls.len() >= n).then_some(calls)
        })
        .await
    }

    /// Every message pushback sent (posts and response_url answers) is within Block Kit limits.
    pub fn assert_all_within_limits(&self) {
        let calls = self.all_calls();
        let mut checked = 0;
        for c in calls.iter().filter(|c| c.method == "chat.postMessage" || c.method == "response_url") {
            let message: SlackMessage =
                serde_json::from_str(&c.body).unwrap_or_else(|e| panic!("{} body is not a message ({e}): {}", c.method, c.body));
            check_limits(&message).unwrap_or_else(|e| panic!("{} breaks Block Kit limits: {e}\n{}", c.method, c.body));
            checked += 1;
        }
        assert!(checked > 0, "no messages were sent");
    }
}

impl Fake {
    fn record(&self, call: Call) {
        self.calls.lock().unwrap().push(call);
    }
}

fn take_script(fake: &Fake, method: &str) -> Option<Scripted> {
    fake.script.lock().unwrap().get_mut(method).and_then(VecDeque::pop_front)
}

async fn api(State(fake): State<Arc<Fake>>, Path(method): Path<String>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let channel = serde_json::from_slice::<serde_json::Value>(&body).ok().and_then(|b| b["channel"].as_str().map(str::to_string));
    let unknown = method == "chat.postMessage" && channel.as_ref().is_some_and(|c| fake.unknown_channels.lock().unwrap().contains(c));
    let scripted = if unknown {
        Some(Scripted::NotOk("channel_not_found"))
    } else if let Some(problem) = invalid_upload(&fake, &method, uri.query(), &body) {
        Some(Scripted::NotOk(problem))
    } else {
        take_script(&fake, &method)
    };
    let (status, answer, ok) = match scripted {
        Some(Scripted::RateLimited { retry_after_secs }) => {
            let mut r = json(StatusCode::TOO_MANY_REQUESTS, &serde_json::json!({"ok": false, "error": "ratelimited"}));
            r.headers_mut().insert("retry-after", retry_after_secs.to_string().parse().unwrap());
            (429, r, false)
        }
        Some(Scripted::NotOk(code)) => (200, json(StatusCode::OK, &serde_json::json!({"ok": false, "error": code})), false),
        Some(Scripted::ServerError) => {
            (500, json(StatusCode::INTERNAL_SERVER_ERROR, &serde_json::json!({"ok": false, "error": "internal"})), false)
        }
        None => {
            let body = success(&fake, &method, uri.query(), &headers, &body);
            (200, json(StatusCode::OK, &body), body["ok"] == true)
        }
    };
    let call = Call {
        method,
        id: None,
        query: uri.query().map(str::to_string),
        body: String::from_utf8_lossy(&body).into_owned(),
        authorization: headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string),
        status,
        ok,
        at: tokio::time::Instant::now(),
    };
    fake.record(call);
    answer
}

/// Slack's checks on the upload flow (docs.slack.dev, files.getUploadURLExternal and
/// files.completeUploadExternal): `filename` and a `length` above 0 in the query; then `files`,
/// a non-empty list of `{"id", "title"}` whose ids getUploadURLExternal handed out.
fn invalid_upload(fake: &Fake, method: &str, query: Option<&str>, body: &[u8]) -> Option<&'static str> {
    let bad = match method {
        "files.getUploadURLExternal" => {
            let pairs: HashMap<String, String> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect();
            let length = pairs.get("length").and_then(|l| l.parse::<u64>().ok()).unwrap_or(0);
            pairs.get("filename").is_none_or(String::is_empty) || length == 0
        }
        "files.completeUploadExternal" => {
            let sent: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
            let issued = fake.issued_files.lock().unwrap();
            let files = sent["files"].as_array().cloned().unwrap_or_default();
            files.is_empty() || !files.iter().all(|f| f["id"].as_str().is_some_and(|id| issued.iter().any(|i| i == id)))
        }
        _ => false,
    };
    bad.then_some("invalid_arguments")
}

/// The default (successful) answer of `method`.
fn success(fake: &Fake, method: &str, query: Option<&str>, headers: &HeaderMap, body: &[u8]) -> serde_json::Value {
    let n = fake.calls.lock().unwrap().len();
    let base = fake.base.lock().unwrap().clone();
    match method {
        "chat.postMessage" => {
            let ts = format!("1700000000.{n:06}");
            // A user ID as the channel posts to the bot's direct message with them, whose ID
            // (D...) Slack answers with.
            let sent: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
            let channel = match sent["channel"].as_str() {
                Some(user) if user.starts_with('U') || user.starts_with('W') => format!("D{}", &user[1..]),
                _ => "C0DIGEST".to_string(),
            };
            serde_json::json!({"ok": true, "channel": channel, "ts": ts, "message": {"ts": ts, "text": "ok"}})
        }
        "chat.update" => {
            let sent: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
            if sent["ts"].as_str().is_some_and(|ts| !ts.is_empty()) {
                serde_json::json!({"ok": true, "channel": sent["channel"], "ts": sent["ts"], "text": sent["text"]})
            } else {
                serde_json::json!({"ok": false, "error": "message_not_found"})
            }
        }
        "files.getUploadURLExternal" => {
            fake.issued_files.lock().unwrap().push(format!("F{n}"));
            serde_json::json!({"ok": true, "upload_url": format!("{base}/upload/F{n}"), "file_id": format!("F{n}")})
        }
        "files.completeUploadExternal" => serde_json::json!({"ok": true, "files": [{"id": "F1"}]}),
        "views.publish" => views_publish(fake, n, body),
        "views.open" | "views.update" | "views.push" => {
            let sent: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
            let id = sent["view_id"].as_str().map(str::to_string).unwrap_or_else(|| format!("V{n}"));
            serde_json::json!({"ok": true, "view": {"id": id, "type": sent["view"]["type"], "hash": format!("{n}.view"),
                "blocks": sent["view"]["blocks"]}})
        }
        "users.conversations" => {
            let user = query
                .and_then(|q| url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "user").map(|(_, v)| v.into_owned()))
                .unwrap_or_default();
            let channels: Vec<serde_json::Value> = fake.members.lock().unwrap().get(&user).cloned().unwrap_or_default().into_iter()
                .map(|(id, name)| serde_json::json!({"id": id, "name": name, "created": 1_600_000_000, "is_channel": true, "is_member": true}))
                .collect();
            serde_json::json!({"ok": true, "channels": channels, "response_metadata": {"next_cursor": ""}})
        }
        "apps.connections.open" => match fake.socket_url.lock().unwrap().clone() {
            Some(url) if headers.get("authorization").is_some_and(|a| a.as_bytes().starts_with(b"Bearer xapp-")) => {
                serde_json::json!({"ok": true, "url": url})
            }
            Some(_) => serde_json::json!({"ok": false, "error": "not_allowed_token_type"}),
            None => serde_json::json!({"ok": false, "error": "socket_mode_not_enabled"}),
        },
        _ => serde_json::json!({"ok": false, "error": "unknown_method"}),
    }
}

/// views.publish as Slack documents `hash`: refused with `hash_conflict` when the given hash is
/// not the view's current one; each publish gets a new hash.
fn views_publish(fake: &Fake, n: usize, body: &[u8]) -> serde_json::Value {
    let sent: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let user = sent["user_id"].as_str().unwrap_or_default().to_string();
    let mut hashes = fake.home_hashes.lock().unwrap();
    if let (Some(given), Some(current)) = (sent["hash"].as_str(), hashes.get(&user)) {
        if given != current {
            return serde_json::json!({"ok": false, "error": "hash_conflict"});
        }
    }
    let hash = format!("1700000000.{n:06}");
    hashes.insert(user, hash.clone());
    serde_json::json!({"ok": true, "view": {"id": "V0HOME", "team_id": "T111", "type": "home", "blocks": sent["view"]["blocks"],
        "private_metadata": "", "callback_id": "", "state": {"values": {}}, "hash": hash,
        "clear_on_close": false, "notify_on_close": false, "root_view_id": "V0HOME", "app_id": "A111",
        "external_id": "", "app_installed_team_id": "T111", "bot_id": "B111"}})
}

async fn upload(State(fake): State<Arc<Fake>>, Path(id): Path<String>, body: Bytes) -> Response {
    let call = Call {
        method: "upload".into(),
        id: Some(id),
        query: None,
        body: String::from_utf8_lossy(&body).into_owned(),
        authorization: None,
        status: 200,
        ok: true,
        at: tokio::time::Instant::now(),
    };
    fake.record(call);
    (StatusCode::OK, "OK").into_response()
}

async fn response_url(State(fake): State<Arc<Fake>>, Path(id): Path<String>, body: String) -> Response {
    let scripted = take_script(&fake, "response_url");
    let status = if matches!(scripted, Some(Scripted::ServerError)) { 500 } else { 200 };
    let call = Call {
        method: "response_url".into(),
        id: Some(id),
        query: None,
        body,
        authorization: None,
        status,
        ok: status == 200,
        at: tokio::time::Instant::now(),
    };
    fake.record(call);
    (StatusCode::from_u16(status).unwrap(), [("content-type", "text/html")], "ok").into_response()
}

/// How long `eventually` waits before failing a test.
pub const DEADLINE: Duration = Duration::from_secs(20);
