//! Fake GitHub, Jira Cloud and Linear on 127.0.0.1, answering as their documentation says:
//! GitHub `POST /repos/{owner}/{repo}/issues` 201 with `number`/`html_url`, 401 `Bad
//! credentials`, 422 `Validation Failed`, 429 with `Retry-After`; Jira `POST /rest/api/3/issue`
//! 201 `{id, key, self}`, 400 with `errors`; Linear GraphQL `issueCreate` 200 with `data`, or
//! `errors` with `extensions.code`. Every call is recorded; answers can be scripted per tracker.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Call {
    pub tracker: &'static str,
    pub path: String,
    pub authorization: Option<String>,
    pub body: Value,
}

/// A scripted answer: status, body, and a Retry-After header.
#[derive(Debug, Clone)]
pub struct Answer(pub u16, pub Value, pub Option<u64>);

#[derive(Default)]
struct Fake {
    calls: Mutex<Vec<Call>>,
    script: Mutex<HashMap<&'static str, VecDeque<Answer>>>,
    base: Mutex<String>,
}

pub struct FakeTrackers {
    pub base: String,
    fake: Arc<Fake>,
}

impl FakeTrackers {
    pub async fn start() -> Self {
        let fake = Arc::new(Fake::default());
        let app = Router::new()
            .route("/github/repos/{owner}/{repo}/issues", post(github))
            .route("/jira/rest/api/3/issue", post(jira))
            .route("/linear/graphql", post(linear))
            .with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind fake trackers");
        let base = format!("http://{}", listener.local_addr().unwrap());
        *fake.base.lock().unwrap() = base.clone();
        tokio::spawn(async move { axum::serve(listener, app).await.expect("fake trackers serve") });
        Self { base, fake }
    }

    pub fn script(&self, tracker: &'static str, answers: Vec<Answer>) {
        self.fake.script.lock().unwrap().entry(tracker).or_default().extend(answers);
    }

    pub fn calls(&self, tracker: &str) -> Vec<Call> {
        self.fake.calls.lock().unwrap().iter().filter(|c| c.tracker == tracker).cloned().collect()
    }
}

fn record(fake: &Fake, tracker: &'static str, path: String, headers: &HeaderMap, body: &str) -> Option<Answer> {
    let call = Call {
        tracker,
        path,
        authorization: headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string),
        body: serde_json::from_str(body).unwrap_or(Value::Null),
    };
    fake.calls.lock().unwrap().push(call);
    fake.script.lock().unwrap().get_mut(tracker).and_then(VecDeque::pop_front)
}

fn answer(a: &Answer) -> Response {
    let mut r = (StatusCode::from_u16(a.0).unwrap(), [("content-type", "application/json")], a.1.to_string()).into_response();
    if let Some(secs) = a.2 {
        r.headers_mut().insert("retry-after", secs.to_string().parse().unwrap());
    }
    r
}

async fn github(State(fake): State<Arc<Fake>>, Path((owner, repo)): Path<(String, String)>, headers: HeaderMap, body: String) -> Response {
    let n = fake.calls.lock().unwrap().len() + 1;
    if let Some(a) = record(&fake, "github", format!("/repos/{owner}/{repo}/issues"), &headers, &body) {
        return answer(&a);
    }
    if !headers.get("authorization").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("Bearer ")) {
        return answer(&Answer(
            401,
            json!({"message": "Requires authentication", "documentation_url": "https://docs.github.com/rest"}),
            None,
        ));
    }
    let base = fake.base.lock().unwrap().clone();
    answer(&Answer(
        201,
        json!({"id": 1000 + n, "number": n, "state": "open", "html_url": format!("https://github.com/{owner}/{repo}/issues/{n}"),
               "repository_url": format!("{base}/github/repos/{owner}/{repo}"), "title": serde_json::from_str::<Value>(&body).unwrap()["title"]}),
        None,
    ))
}

async fn jira(State(fake): State<Arc<Fake>>, headers: HeaderMap, body: String) -> Response {
    let n = fake.calls.lock().unwrap().len() + 1;
    if let Some(a) = record(&fake, "jira", "/rest/api/3/issue".into(), &headers, &body) {
        return answer(&a);
    }
    let parsed: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let project = parsed["fields"]["project"]["key"].as_str().unwrap_or_default().to_string();
    if parsed["fields"]["description"]["type"] != "doc" {
        return answer(&Answer(
            400,
            json!({"errorMessages": [], "errors": {"description": "Operation value must be an Atlassian Document"}}),
            None,
        ));
    }
    let key = format!("{project}-{n}");
    answer(&Answer(
        201,
        json!({"id": format!("{}", 10000 + n), "key": key, "self": format!("https://acme.atlassian.net/rest/api/3/issue/{}", 10000 + n)}),
        None,
    ))
}

async fn linear(State(fake): State<Arc<Fake>>, headers: HeaderMap, body: String) -> Response {
    let n = fake.calls.lock().unwrap().len() + 1;
    if let Some(a) = record(&fake, "linear", "/graphql".into(), &headers, &body) {
        return answer(&a);
    }
    let id = format!("ENG-{n}");
    answer(&Answer(
        200,
        json!({"data": {"issueCreate": {"success": true, "issue": {"id": format!("uuid-{n}"), "identifier": id, "url": format!("https://linear.app/acme/issue/{id}")}}}}),
        None,
    ))
}
