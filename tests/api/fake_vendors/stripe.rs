//! Stripe's API as documented: `GET /v1/subscriptions` (`status`, `limit`, `starting_after`,
//! `expand[]=data.customer`; newest first; `has_more`), `GET /v1/events` (`types[]`,
//! `created[gt]`; newest first) where events live 30 days and older ones are simply gone,
//! Bearer secret or restricted keys (401 otherwise), and 429 without a wait header.

use super::{Fault, Recorder, fault_response, json_response, serve};
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const KEY: &str = "rk_test_readonly";

#[derive(Default)]
struct Data {
    subscriptions: Vec<Value>,
    customers: HashMap<String, Value>,
}

pub struct FakeStripe {
    pub base: String,
    pub recorder: Arc<Recorder>,
    data: Arc<Mutex<Data>>,
}

type Shared = (Arc<Recorder>, Arc<Mutex<Data>>);

/// A subscription at `monthly_cents` a month; cancelled at `canceled_at` with `comment` when given.
pub fn subscription(id: &str, customer: &str, monthly_cents: i64, canceled_at: Option<i64>, comment: Option<&str>) -> Value {
    let created = canceled_at.unwrap_or_else(|| chrono::Utc::now().timestamp()) - 200 * 86_400;
    json!({"id": id, "object": "subscription", "customer": customer, "created": created,
        "status": if canceled_at.is_some() { "canceled" } else { "active" }, "canceled_at": canceled_at, "ended_at": canceled_at,
        "cancellation_details": {"comment": comment, "feedback": if comment.is_some() { json!("low_quality") } else { Value::Null },
            "reason": if canceled_at.is_none() { Value::Null } else if comment.is_some() { json!("cancellation_requested") } else { json!("payment_failed") }},
        "items": {"object": "list", "data": [{"id": format!("si_{id}"), "quantity": 2,
            "price": {"id": "price_1", "unit_amount": monthly_cents, "currency": "usd", "recurring": {"interval": "month", "interval_count": 1}}}]},
        "metadata": {}})
}

impl FakeStripe {
    pub async fn start() -> Self {
        let recorder = Arc::new(Recorder::default());
        let data = Arc::new(Mutex::new(Data::default()));
        let app = Router::new()
            .route("/v1/subscriptions", get(subscriptions))
            .route("/v1/events", get(events))
            .with_state((recorder.clone(), data.clone()));
        Self { base: serve(app).await, recorder, data }
    }

    pub fn put(&self, subs: impl IntoIterator<Item = Value>) {
        self.data.lock().unwrap().subscriptions.extend(subs);
    }

    pub fn customer(&self, id: &str, email: &str, name: &str) {
        self.data
            .lock()
            .unwrap()
            .customers
            .insert(id.into(), json!({"id": id, "object": "customer", "email": email, "name": name, "metadata": {}}));
    }

    pub fn fail_next(&self, faults: impl IntoIterator<Item = Fault>) {
        self.recorder.fail_next(faults);
    }
}

fn refused(recorder: &Recorder, headers: &HeaderMap) -> Option<Response> {
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {KEY}")) {
        return Some(json_response(
            StatusCode::UNAUTHORIZED,
            json!({"error": {"message": "Invalid API Key provided: rk_test_****only", "type": "invalid_request_error"}}),
        ));
    }
    recorder.next_fault().map(|f| fault_response(&f, vec![], r#"{"object": "list", "data": "nothing here"}"#))
}

/// A newest-first list page after `starting_after`, at most `limit` long.
fn page(mut objects: Vec<Value>, call: &super::Call, url: &str) -> Value {
    objects.sort_by_key(|o| std::cmp::Reverse((o["created"].as_i64().unwrap_or(0), o["id"].as_str().unwrap_or("").to_string())));
    let limit: usize = call.param("limit").and_then(|l| l.parse().ok()).unwrap_or(10).clamp(1, 100);
    let start = call.param("starting_after").and_then(|a| objects.iter().position(|o| o["id"] == a)).map_or(0, |i| i + 1);
    let rest = &objects[start.min(objects.len())..];
    json!({"object": "list", "url": url, "has_more": rest.len() > limit, "data": rest.iter().take(limit).collect::<Vec<_>>()})
}

async fn subscriptions(State((recorder, data)): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    recorder.record("/v1/subscriptions", raw.as_deref(), &headers, "");
    if let Some(r) = refused(&recorder, &headers) {
        return r;
    }
    let call = recorder.calls().pop().unwrap();
    let d = data.lock().unwrap();
    // The default list leaves cancelled subscriptions out.
    let status = call.param("status").unwrap_or("active");
    let expand = call.query.iter().any(|(k, v)| k == "expand[]" && v == "data.customer");
    let subs: Vec<Value> = d
        .subscriptions
        .iter()
        .filter(|s| status == "all" || s["status"] == status)
        .map(|s| {
            let mut s = s.clone();
            if expand {
                let id = s["customer"].as_str().unwrap_or_default().to_string();
                s["customer"] = d.customers.get(&id).cloned().unwrap_or(json!({"id": id, "object": "customer"}));
            }
            s
        })
        .collect();
    json_response(StatusCode::OK, page(subs, &call, "/v1/subscriptions"))
}

async fn events(State((recorder, data)): State<Shared>, headers: HeaderMap, RawQuery(raw): RawQuery) -> Response {
    recorder.record("/v1/events", raw.as_deref(), &headers, "");
    if let Some(r) = refused(&recorder, &headers) {
        return r;
    }
    let call = recorder.calls().pop().unwrap();
    let gt: i64 = call.param("created[gt]").and_then(|g| g.parse().ok()).unwrap_or(i64::MIN);
    let types: Vec<&str> = call.query.iter().filter(|(k, _)| k == "types[]").map(|(_, v)| v.as_str()).collect();
    let kept_from = chrono::Utc::now().timestamp() - 30 * 86_400;
    let d = data.lock().unwrap();
    let events: Vec<Value> = d
        .subscriptions
        .iter()
        .filter_map(|s| s["canceled_at"].as_i64().map(|t| (t, s)))
        // Events are kept 30 days: older ones are not returned at all.
        .filter(|(t, _)| *t > gt && *t >= kept_from)
        .filter(|_| types.is_empty() || types.contains(&"customer.subscription.deleted"))
        .map(|(t, s)| json!({"id": format!("evt_{}", s["id"].as_str().unwrap()), "object": "event", "type": "customer.subscription.deleted", "created": t, "data": {"object": s}}))
        .collect();
    json_response(StatusCode::OK, page(events, &call, "/v1/events"))
}
