//! Zendesk's cursor-based incremental ticket export, as documented: `start_time` (refused with
//! 422 within the last minute) or `cursor`, `per_page` up to 1000, tickets ordered by
//! `generated_timestamp` (then id), changes of the last minute left out, `after_cursor` /
//! `after_url` / `end_of_stream`, sideloaded organizations, `exclude_deleted`, Basic
//! `{email}/token:{api_token}` (401 `Couldn't authenticate you` otherwise), 429 with `Retry-After`.

use super::{Fault, Recorder, basic, fault_response, json_response, rfc3339, serve};
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use base64::Engine;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub const EMAIL: &str = "agent@acme.com";
pub const TOKEN: &str = "zd-api-token";

#[derive(Default)]
struct Data {
    tickets: BTreeMap<i64, Value>,
    organizations: Vec<Value>,
    /// Answer the next page with no tickets though the stream has not ended.
    empty_page: bool,
}

pub struct FakeZendesk {
    pub base: String,
    pub recorder: Arc<Recorder>,
    data: Arc<Mutex<Data>>,
}

type Shared = (Arc<Recorder>, Arc<Mutex<Data>>);

/// A ticket as the export returns it.
pub fn ticket(id: i64, subject: &str, description: &str, org: i64, updated_at: i64) -> Value {
    json!({"id": id, "url": format!("https://acme.zendesk.com/api/v2/tickets/{id}.json"), "subject": subject, "description": description,
        "status": "open", "organization_id": org, "requester_id": 9000 + id, "tags": ["support"],
        "created_at": rfc3339(updated_at - 3600), "updated_at": rfc3339(updated_at), "generated_timestamp": updated_at})
}

impl FakeZendesk {
    pub async fn start() -> Self {
        let recorder = Arc::new(Recorder::default());
        let data = Arc::new(Mutex::new(Data::default()));
        let app = Router::new().route("/api/v2/incremental/tickets/cursor.json", get(export)).with_state((recorder.clone(), data.clone()));
        Self { base: serve(app).await, recorder, data }
    }

    /// Adds or replaces tickets (an edit moves a ticket to the end of the stream).
    pub fn put(&self, tickets: impl IntoIterator<Item = Value>) {
        let mut d = self.data.lock().unwrap();
        for t in tickets {
            d.tickets.insert(t["id"].as_i64().unwrap(), t);
        }
    }

    pub fn organizations(&self, orgs: Vec<Value>) {
        self.data.lock().unwrap().organizations = orgs;
    }

    pub fn empty_page_next(&self) {
        self.data.lock().unwrap().empty_page = true;
    }

    pub fn fail_next(&self, faults: impl IntoIterator<Item = Fault>) {
        self.recorder.fail_next(faults);
    }
}

fn encode(ts: i64, id: i64) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{ts}.0||{id}|"))
}

fn decode(cursor: &str) -> Option<(i64, i64)> {
    let text = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(cursor).ok()?).ok()?;
    let (ts, rest) = text.split_once(".0||")?;
    Some((ts.parse().ok()?, rest.trim_end_matches('|').parse().ok()?))
}

async fn export(State((recorder, data)): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    recorder.record("/api/v2/incremental/tickets/cursor.json", raw.as_deref(), &headers, "");
    let call = recorder.calls().pop().unwrap();
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(basic(&format!("{EMAIL}/token"), TOKEN).as_str()) {
        return json_response(StatusCode::UNAUTHORIZED, json!({"error": "Couldn't authenticate you"}));
    }
    if let Some(fault) = recorder.next_fault() {
        let wait = if let Fault::RateLimited(s) = fault { s } else { 0 };
        return fault_response(&fault, vec![("retry-after", wait.to_string())], r#"{"tickets": [{"id": 1, "subject": "cut o"#);
    }
    let now = chrono::Utc::now().timestamp();
    let after: (i64, i64) = match (call.param("cursor"), call.param("start_time").and_then(|s| s.parse::<i64>().ok())) {
        (Some(c), _) => match decode(c) {
            Some(k) => k,
            None => {
                return json_response(
                    StatusCode::BAD_REQUEST,
                    json!({"error": "InvalidPaginationParameter", "description": "cursor is invalid"}),
                );
            }
        },
        (None, Some(t)) if t > now - 60 => {
            return json_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": "InvalidValue", "description": "Too recent start_time. Use a start_time older than 1 minute"}),
            );
        }
        (None, Some(t)) => (t, i64::MIN),
        (None, None) => return json_response(StatusCode::BAD_REQUEST, json!({"error": "InvalidPaginationParameter"})),
    };
    let per_page = call.param("per_page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(1000).clamp(1, 1000);
    let mut d = data.lock().unwrap();
    let empty = std::mem::take(&mut d.empty_page);
    let exclude_deleted = call.param("exclude_deleted") == Some("true");
    let mut visible: Vec<&Value> = d
        .tickets
        .values()
        .filter(|t| {
            let key = (t["generated_timestamp"].as_i64().unwrap(), t["id"].as_i64().unwrap());
            key > after && key.0 <= now - 60 && !(exclude_deleted && t["status"] == "deleted")
        })
        .collect();
    visible.sort_by_key(|t| (t["generated_timestamp"].as_i64().unwrap(), t["id"].as_i64().unwrap()));
    let page: Vec<Value> = if empty { Vec::new() } else { visible.iter().take(per_page).map(|t| (*t).clone()).collect() };
    let last = page.last().map_or(after, |t| (t["generated_timestamp"].as_i64().unwrap(), t["id"].as_i64().unwrap()));
    let after_cursor = encode(last.0, last.1);
    let orgs: Vec<Value> = if call.param("include").is_some_and(|i| i.contains("organizations")) {
        d.organizations.iter().filter(|o| page.iter().any(|t| t["organization_id"] == o["id"])).cloned().collect()
    } else {
        Vec::new()
    };
    json_response(
        StatusCode::OK,
        json!({"tickets": page, "organizations": orgs, "after_cursor": after_cursor,
            "after_url": format!("https://acme.zendesk.com/api/v2/incremental/tickets/cursor.json?cursor={after_cursor}"),
            "before_cursor": null, "before_url": null, "end_of_stream": !empty && visible.len() <= per_page}),
    )
}
