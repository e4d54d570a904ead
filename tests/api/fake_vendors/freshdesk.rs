//! Freshdesk's tickets API as documented: `GET /api/v2/tickets` with `updated_since` (without
//! it, only the last 30 days), `order_by` / `order_type`, `include=description` (else no
//! description), `per_page` up to 100, page numbers capped at 300 (400 past it), the next page
//! in a `Link: <…>; rel="next"` header, Basic `{api_key}:X`, 429 with `Retry-After`.

use super::{Fault, Recorder, basic, fault_response, json_response, rfc3339};
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

pub const API_KEY: &str = "fd-api-key";
pub const MAX_PAGE: usize = 300;

pub struct FakeFreshdesk {
    pub base: String,
    pub recorder: Arc<Recorder>,
    tickets: Arc<Mutex<Vec<(i64, i64, Value)>>>,
}

/// Tickets kept sorted by (updated_at, id), so a page is a binary search away.
type Shared = (Arc<Recorder>, Arc<Mutex<Vec<(i64, i64, Value)>>>, String);

pub fn ticket(id: i64, updated_at: i64, text: &str) -> Value {
    json!({"id": id, "subject": format!("Ticket {id}"), "description": format!("<div>{text}</div>"), "description_text": text,
        "company_id": 500 + id % 3, "requester_id": 70 + id, "status": 2, "priority": 1, "tags": [],
        "created_at": rfc3339(updated_at - 60), "updated_at": rfc3339(updated_at)})
}

impl FakeFreshdesk {
    pub async fn start() -> Self {
        let recorder = Arc::new(Recorder::default());
        let tickets = Arc::new(Mutex::new(Vec::new()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        // The Link header names the base, so it is known before the router is built.
        let app = Router::new().route("/api/v2/tickets", get(list)).with_state((recorder.clone(), tickets.clone(), base.clone()));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { base, recorder, tickets }
    }

    pub fn put(&self, tickets: impl IntoIterator<Item = Value>) {
        let new: Vec<(i64, i64, Value)> = tickets.into_iter().map(|t| (updated(&t), t["id"].as_i64().unwrap(), t)).collect();
        let ids: std::collections::HashSet<i64> = new.iter().map(|(_, id, _)| *id).collect();
        let mut all = self.tickets.lock().unwrap();
        all.retain(|(_, id, _)| !ids.contains(id));
        all.extend(new);
        all.sort_by_key(|(u, id, _)| (*u, *id));
    }

    pub fn fail_next(&self, faults: impl IntoIterator<Item = Fault>) {
        self.recorder.fail_next(faults);
    }
}

fn updated(t: &Value) -> i64 {
    chrono::DateTime::parse_from_rfc3339(t["updated_at"].as_str().unwrap()).unwrap().timestamp()
}

async fn list(State((recorder, tickets, base)): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    recorder.record("/api/v2/tickets", raw.as_deref(), &headers, "");
    let call = recorder.calls().pop().unwrap();
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(basic(API_KEY, "X").as_str()) {
        return json_response(
            StatusCode::UNAUTHORIZED,
            json!({"code": "invalid_credentials", "message": "You have to be logged in to perform this action."}),
        );
    }
    if let Some(fault) = recorder.next_fault() {
        let wait = if let Fault::RateLimited(s) = fault { s } else { 0 };
        return fault_response(
            &fault,
            vec![("retry-after", wait.to_string()), ("x-ratelimit-remaining", "0".into())],
            "<html>Down for maintenance</html>",
        );
    }
    let page: usize = call.param("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let per_page: usize = call.param("per_page").and_then(|p| p.parse().ok()).unwrap_or(30);
    if page > MAX_PAGE || per_page > 100 {
        let (field, message) = if per_page > 100 {
            ("per_page", "Has to be less than or equal to 100")
        } else {
            ("page", "You cannot access page beyond 300")
        };
        return json_response(
            StatusCode::BAD_REQUEST,
            json!({"description": "Validation failed", "errors": [{"field": field, "message": message, "code": "invalid_value"}]}),
        );
    }
    let since = match call.param("updated_since") {
        Some(s) => chrono::DateTime::parse_from_rfc3339(s).map(|t| t.timestamp()).unwrap_or(i64::MAX),
        None => chrono::Utc::now().timestamp() - 30 * 86_400,
    };
    let with_description = call.param("include").is_some_and(|i| i.split(',').any(|x| x == "description"));
    let all = tickets.lock().unwrap();
    let from = all.partition_point(|(u, _, _)| *u < since);
    let total = all.len() - from;
    let descending = call.param("order_type") == Some("desc");
    let skip = (page - 1) * per_page;
    let mut slice: Vec<Value> = if descending {
        all[from..].iter().rev().skip(skip).take(per_page).map(|(_, _, t)| t.clone()).collect()
    } else {
        all[from..].iter().skip(skip).take(per_page).map(|(_, _, t)| t.clone()).collect()
    };
    drop(all);
    if !with_description {
        for t in &mut slice {
            let o = t.as_object_mut().unwrap();
            o.remove("description");
            o.remove("description_text");
        }
    }
    let mut response = (StatusCode::OK, axum::Json(Value::Array(slice))).into_response();
    if page * per_page < total {
        response.headers_mut().insert("link", next_link(&call, &base, page).parse().unwrap());
    }
    response
}

/// `<url of the next page>; rel="next"`, the request's parameters kept.
fn next_link(call: &super::Call, base: &str, page: usize) -> String {
    let mut next: Vec<(String, String)> = call.query.iter().filter(|(k, _)| k != "page").cloned().collect();
    next.push(("page".into(), (page + 1).to_string()));
    let query: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(next).finish();
    format!("<{base}/api/v2/tickets?{query}>; rel=\"next\"")
}
