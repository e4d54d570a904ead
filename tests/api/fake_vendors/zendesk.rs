//! Zendesk's cursor-based incremental ticket export, as documented: `start_time` (refused with
//! 422 within the last minute) or `cursor`, `per_page` up to 1000, tickets ordered by
//! `generated_timestamp` (then id), changes of the last minute left out, `after_cursor` /
//! `after_url` / `end_of_stream`, sideloaded organizations, `exclude_deleted`, Basic
//! `{email}/token:{api_token}` (401 `Couldn't authenticate you` otherwise), 429 with `Retry-After`.
//!
//! Satisfaction ratings: `GET /api/v2/satisfaction_ratings.json` with the `score` filter
//! (`received` = good and bad, not offered/unoffered), `start_time` and cursor pagination
//! (`page[size]` up to 100, `page[after]`; `meta.has_more`, `meta.after_cursor`, `links.next`),
//! 429 with `Retry-After` (its own fault script and recorder, `ratings`). Zendesk does not say
//! which time `start_time` compares; this fake compares `updated_at`, so a changed rating is
//! read again. `GET /api/v2/tickets/show_many.json?ids=` answers the tickets asked for.

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
    ratings: BTreeMap<i64, Value>,
}

pub struct FakeZendesk {
    pub base: String,
    pub recorder: Arc<Recorder>,
    /// The ratings endpoint's requests and faults.
    pub ratings: Arc<Recorder>,
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
        let ratings = Arc::new(Recorder::default());
        let app = Router::new()
            .route("/api/v2/incremental/tickets/cursor.json", get(export))
            .route("/api/v2/tickets/show_many.json", get(show_many))
            .with_state((recorder.clone(), data.clone()))
            .merge(Router::new().route("/api/v2/satisfaction_ratings.json", get(list_ratings)).with_state((ratings.clone(), data.clone())));
        Self { base: serve(app).await, recorder, ratings, data }
    }

    /// Adds or replaces satisfaction ratings (by rating id).
    pub fn put_ratings(&self, ratings: impl IntoIterator<Item = Value>) {
        let mut d = self.data.lock().unwrap();
        for r in ratings {
            d.ratings.insert(r["id"].as_i64().unwrap(), r);
        }
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

/// A rating as the Satisfaction Ratings API returns it.
pub fn rating(id: i64, ticket: i64, score: &str, comment: Option<&str>, updated_at: i64) -> Value {
    json!({"id": id, "url": format!("https://acme.zendesk.com/api/v2/satisfaction_ratings/{id}.json"), "assignee_id": 135,
        "group_id": 44, "requester_id": 9000 + ticket, "ticket_id": ticket, "score": score, "comment": comment,
        "created_at": rfc3339(updated_at - 60), "updated_at": rfc3339(updated_at)})
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(basic(&format!("{EMAIL}/token"), TOKEN).as_str())
}

async fn list_ratings(State((recorder, data)): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    recorder.record("/api/v2/satisfaction_ratings.json", raw.as_deref(), &headers, "");
    let call = recorder.calls().pop().unwrap();
    if !authorized(&headers) {
        return json_response(StatusCode::UNAUTHORIZED, json!({"error": "Couldn't authenticate you"}));
    }
    if let Some(fault) = recorder.next_fault() {
        let wait = if let Fault::RateLimited(s) = fault { s } else { 0 };
        return fault_response(&fault, vec![("retry-after", wait.to_string())], r#"{"satisfaction_ratings": [{"id": 1, "sc"#);
    }
    let size = call.param("page[size]").and_then(|p| p.parse::<usize>().ok()).unwrap_or(100);
    if size > 100 {
        return json_response(
            StatusCode::BAD_REQUEST,
            json!({"error": "InvalidPaginationParameter", "description": "page[size] must be at most 100"}),
        );
    }
    let after = match call.param("page[after]").map(decode) {
        Some(None) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                json!({"error": "InvalidPaginationParameter", "description": "cursor is invalid"}),
            );
        }
        Some(Some(k)) => Some(k),
        None => None,
    };
    let start = call.param("start_time").and_then(|t| t.parse::<i64>().ok()).unwrap_or(i64::MIN);
    let wanted = |score: &str| match call.param("score") {
        None => true,
        Some("received") => score == "good" || score == "bad",
        Some(s) => s == score,
    };
    let d = data.lock().unwrap();
    let key = |r: &Value| {
        (chrono::DateTime::parse_from_rfc3339(r["updated_at"].as_str().unwrap()).unwrap().timestamp(), r["id"].as_i64().unwrap())
    };
    let mut visible: Vec<&Value> = d
        .ratings
        .values()
        .filter(|r| wanted(r["score"].as_str().unwrap()) && key(r).0 >= start && after.is_none_or(|a| key(r) > a))
        .collect();
    visible.sort_by_key(|r| key(r));
    let page: Vec<Value> = visible.iter().take(size).map(|r| (*r).clone()).collect();
    let has_more = visible.len() > size;
    let after_cursor = page.last().map(|r| encode(key(r).0, key(r).1));
    let next = after_cursor
        .as_ref()
        .filter(|_| has_more)
        .map(|c| format!("https://acme.zendesk.com/api/v2/satisfaction_ratings.json?page[size]={size}&page[after]={c}"));
    json_response(
        StatusCode::OK,
        json!({"satisfaction_ratings": page, "meta": {"has_more": has_more, "after_cursor": after_cursor, "before_cursor": null},
            "links": {"next": next, "prev": null}}),
    )
}

async fn show_many(State((_recorder, data)): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    if !authorized(&headers) {
        return json_response(StatusCode::UNAUTHORIZED, json!({"error": "Couldn't authenticate you"}));
    }
    let query: Vec<(String, String)> = raw.map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default();
    let ids: Vec<i64> =
        query.iter().find(|(k, _)| k == "ids").map(|(_, v)| v.split(',').filter_map(|i| i.parse().ok()).collect()).unwrap_or_default();
    let d = data.lock().unwrap();
    let tickets: Vec<&Value> = ids.iter().filter_map(|i| d.tickets.get(i)).collect();
    json_response(StatusCode::OK, json!({"tickets": tickets}))
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
