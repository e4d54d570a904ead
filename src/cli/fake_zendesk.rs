//! A local stand-in for Zendesk's cursor-based incremental ticket export, as its documentation
//! describes it: `GET /api/v2/incremental/tickets/cursor.json` with `start_time` (refused within
//! the last minute) or an opaque `cursor`, up to `per_page` (at most 1000) tickets ordered by
//! `generated_timestamp`, `after_cursor` / `after_url` / `end_of_stream`, sideloaded
//! `organizations`, and 401 without Basic `{email}/token:{token}` credentials. The demo starts
//! it so its backfill runs the real pull path without a network; `pushback fake-zendesk` runs it
//! alone for the crash test and the backfill benchmark. It never throttles.
//!
//! It also serves the satisfaction ratings the pull reads after the tickets
//! (`GET /api/v2/satisfaction_ratings.json`: `score=received`, `start_time` on `updated_at`,
//! cursor pagination with `page[size]` up to 100 and `page[after]`, `meta.has_more` and
//! `meta.after_cursor`) and `GET /api/v2/tickets/show_many.json?ids=` for their organizations.

use crate::domain::{Account, NewFeedback};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

/// The demo's Zendesk subdomain and Intercom workspace (links point at `example` accounts).
pub const SUBDOMAIN: &str = "example";

/// The running number in a generated id (`zendesk-7-61` -> 61).
pub fn number(item: &NewFeedback) -> u64 {
    item.external_id.rsplit('-').next().and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// Zendesk's organizations for the demo's accounts (their ids are the accounts' ids).
pub fn organizations(accounts: &[Account]) -> Vec<Value> {
    accounts.iter().map(|a| json!({"id": a.id, "name": a.name, "domain_names": []})).collect()
}

/// A Zendesk ticket object, as the incremental export returns it.
pub fn zendesk_ticket(item: &NewFeedback) -> Value {
    ticket(number(item), item, SUBDOMAIN)
}
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the fake behaves.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Slows every page down (the crash test kills the server while pages are in flight).
    pub delay: Duration,
    /// Appends `<first ticket index> <count>` for every page asked for.
    pub log: Option<std::path::PathBuf>,
    /// Satisfaction ratings (Zendesk rating objects with `updated_at`), any order.
    pub ratings: Vec<Value>,
}

struct Fake {
    /// Sorted by `generated_timestamp`.
    tickets: Vec<Value>,
    stamps: Vec<i64>,
    organizations: HashMap<String, Value>,
    options: Options,
    log: Option<Mutex<std::fs::File>>,
    base: Mutex<String>,
}

/// Serves `tickets` (Zendesk ticket objects; `generated_timestamp` is taken from `updated_at`
/// when missing) and `organizations` on 127.0.0.1 at `port` (0: any). Returns the base URL.
pub async fn start(
    mut tickets: Vec<Value>,
    organizations: Vec<Value>,
    port: u16,
    options: Options,
) -> anyhow::Result<(String, tokio::task::JoinHandle<()>)> {
    for t in &mut tickets {
        if t.get("generated_timestamp").is_none() {
            let stamp =
                t.get("updated_at").and_then(Value::as_str).and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map_or(0, |d| d.timestamp());
            t["generated_timestamp"] = json!(stamp);
        }
    }
    tickets.sort_by_key(|t| t["generated_timestamp"].as_i64().unwrap_or(0));
    let stamps = tickets.iter().map(|t| t["generated_timestamp"].as_i64().unwrap_or(0)).collect();
    let organizations = organizations.into_iter().filter_map(|o| Some((crate::ingest::sources::text_at(&o, &["id"])?, o))).collect();
    let mut options = options;
    options.ratings.sort_by_key(rating_key);
    let log = match &options.log {
        Some(path) => Some(Mutex::new(std::fs::OpenOptions::new().create(true).append(true).open(path)?)),
        None => None,
    };
    let fake = Arc::new(Fake { tickets, stamps, organizations, options, log, base: Mutex::new(String::new()) });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let base = format!("http://{}", listener.local_addr()?);
    *fake.base.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = base.clone();
    let app = Router::new()
        .route("/api/v2/incremental/tickets/cursor.json", get(export))
        .route("/api/v2/satisfaction_ratings.json", get(ratings))
        .route("/api/v2/tickets/show_many.json", get(show_many))
        .with_state(fake);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok((base, task))
}

fn error(status: StatusCode, body: Value) -> Response {
    (status, axum::Json(body)).into_response()
}

fn authorized(headers: &HeaderMap) -> bool {
    let Some(encoded) = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Basic ")) else {
        return false;
    };
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok().and_then(|b| String::from_utf8(b).ok());
    decoded.is_some_and(|d| d.split_once(':').is_some_and(|(user, token)| user.contains("/token") && !token.is_empty()))
}

fn cursor_of(index: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{index}.0||{index}|"))
}

fn index_of(cursor: &str) -> Option<usize> {
    let text = String::from_utf8(base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()?;
    text.split('.').next()?.parse().ok()
}

/// Where a request starts: after its cursor, or at its `start_time`; the error answer otherwise.
fn start_index(fake: &Fake, q: &HashMap<String, String>, now: i64) -> Result<usize, (StatusCode, Value)> {
    match (q.get("cursor"), q.get("start_time").and_then(|s| s.parse::<i64>().ok())) {
        (Some(c), _) => index_of(c)
            .ok_or_else(|| (StatusCode::BAD_REQUEST, json!({"error": "InvalidPaginationParameter", "description": "cursor is invalid"}))),
        (None, Some(t)) if t > now - 60 => Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"error": "InvalidValue", "description": "Too recent start_time. Use a start_time older than 1 minute"}),
        )),
        (None, Some(t)) => Ok(fake.stamps.partition_point(|s| *s < t)),
        (None, None) => Err((
            StatusCode::BAD_REQUEST,
            json!({"error": "InvalidPaginationParameter", "description": "start_time or cursor is required"}),
        )),
    }
}

/// The organizations of `page`'s tickets, when `include=organizations` asks for them.
fn sideloaded(fake: &Fake, page: &[Value], q: &HashMap<String, String>) -> Vec<Value> {
    if !q.get("include").is_some_and(|i| i.split(',').any(|x| x == "organizations")) {
        return Vec::new();
    }
    let mut orgs: BTreeMap<String, Value> = BTreeMap::new();
    for t in page {
        if let Some(id) = crate::ingest::sources::text_at(t, &["organization_id"]) {
            if let Some(o) = fake.organizations.get(&id) {
                orgs.insert(id, o.clone());
            }
        }
    }
    orgs.into_values().collect()
}

async fn export(State(fake): State<Arc<Fake>>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if !authorized(&headers) {
        return error(StatusCode::UNAUTHORIZED, json!({"error": "Couldn't authenticate you"}));
    }
    let per_page = q.get("per_page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(1000).clamp(1, 1000);
    let now = Utc::now().timestamp();
    let from = match start_index(&fake, &q, now) {
        Ok(i) => i,
        Err((status, body)) => return error(status, body),
    };
    // Changes within the last minute are left out until they are a minute old.
    let visible = fake.stamps.partition_point(|s| *s <= now - 60);
    let from = from.min(visible);
    let to = (from + per_page).min(visible);
    // Logged when asked, before the delay: a client killed while it waits has still asked.
    if let Some(log) = &fake.log {
        let mut f = log.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = writeln!(f, "{from} {}", to - from);
    }
    if !fake.options.delay.is_zero() {
        tokio::time::sleep(fake.options.delay).await;
    }
    let page = &fake.tickets[from..to];
    let base = fake.base.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    let after = cursor_of(to);
    axum::Json(json!({
        "tickets": page,
        "organizations": sideloaded(&fake, page, &q),
        "after_cursor": after,
        "after_url": format!("{base}/api/v2/incremental/tickets/cursor.json?cursor={after}&per_page={per_page}"),
        "before_cursor": cursor_of(from),
        "before_url": null,
        "end_of_stream": to == visible,
    }))
    .into_response()
}

fn rating_key(r: &Value) -> (i64, i64) {
    let at = r.get("updated_at").and_then(Value::as_str).and_then(|s| DateTime::parse_from_rfc3339(s).ok()).map_or(0, |d| d.timestamp());
    (at, r.get("id").and_then(Value::as_i64).unwrap_or(0))
}

async fn ratings(State(fake): State<Arc<Fake>>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if !authorized(&headers) {
        return error(StatusCode::UNAUTHORIZED, json!({"error": "Couldn't authenticate you"}));
    }
    let size = q.get("page[size]").and_then(|p| p.parse::<usize>().ok()).unwrap_or(100).clamp(1, 100);
    let start = q.get("start_time").and_then(|t| t.parse::<i64>().ok()).unwrap_or(i64::MIN);
    let after = match q.get("page[after]").map(|c| index_of(c)) {
        Some(None) => {
            return error(StatusCode::BAD_REQUEST, json!({"error": "InvalidPaginationParameter", "description": "cursor is invalid"}));
        }
        Some(Some(i)) => i,
        None => 0,
    };
    let received = q.get("score").is_some_and(|s| s == "received");
    let all = &fake.options.ratings;
    let chosen: Vec<usize> = (after..all.len())
        .filter(|&i| rating_key(&all[i]).0 >= start && (!received || matches!(all[i]["score"].as_str(), Some("good" | "bad"))))
        .collect();
    let page: Vec<&Value> = chosen.iter().take(size).map(|&i| &all[i]).collect();
    let has_more = chosen.len() > size;
    let after_cursor = chosen.get(size.min(chosen.len()).saturating_sub(1)).map(|&i| cursor_of(i + 1));
    axum::Json(json!({"satisfaction_ratings": page, "meta": {"has_more": has_more, "after_cursor": after_cursor, "before_cursor": null},
        "links": {"next": null, "prev": null}}))
    .into_response()
}

async fn show_many(State(fake): State<Arc<Fake>>, headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if !authorized(&headers) {
        return error(StatusCode::UNAUTHORIZED, json!({"error": "Couldn't authenticate you"}));
    }
    let ids: Vec<&str> = q.get("ids").map(|i| i.split(',').collect()).unwrap_or_default();
    let tickets: Vec<&Value> =
        fake.tickets.iter().filter(|t| crate::ingest::sources::text_at(t, &["id"]).is_some_and(|id| ids.contains(&id.as_str()))).collect();
    axum::Json(json!({"tickets": tickets})).into_response()
}

/// A Zendesk ticket object for a generated item.
pub fn ticket(id: u64, item: &crate::domain::NewFeedback, subdomain: &str) -> Value {
    let at = item.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    json!({
        "id": id,
        "url": format!("https://{subdomain}.zendesk.com/api/v2/tickets/{id}.json"),
        "subject": item.subject,
        "description": item.body,
        "status": "open",
        "organization_id": item.account.id,
        "requester_id": 1000 + id,
        "tags": item.tags,
        "created_at": at,
        "updated_at": at,
    })
}

/// `pushback fake-zendesk`'s options.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, default_value_t = 100_000)]
    tickets: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Milliseconds each page takes.
    #[arg(long, default_value_t = 0)]
    delay_ms: u64,
    /// Append `<first index> <count>` for each page served to this file.
    #[arg(long)]
    log: Option<std::path::PathBuf>,
}

/// `pushback fake-zendesk`: a generated history of `--tickets` tickets (a year, ending a day
/// ago) served until the process is killed. Prints its base URL first.
pub async fn alone(args: Args) -> anyhow::Result<()> {
    let end = Utc::now() - chrono::Duration::days(1);
    let params = crate::synth::GenParams { count: args.tickets, seed: args.seed, end, days: 365, accounts: None };
    let accounts = crate::synth::accounts(&params);
    let items = crate::synth::items(&params, &crate::classify::seed::corpus_rows(), &accounts);
    let tickets: Vec<Value> = items.iter().map(zendesk_ticket).collect();
    drop(items);
    let options = Options { delay: Duration::from_millis(args.delay_ms), log: args.log, ratings: Vec::new() };
    let (base, task) = start(tickets, organizations(&accounts), args.port, options).await?;
    println!("{base}");
    std::io::stdout().flush()?;
    eprintln!("fake Zendesk: {} at {base}/api/v2/incremental/tickets/cursor.json", crate::text::plural(args.tickets as u64, "ticket"));
    task.await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_junk_is_refused() {
        assert_eq!(index_of(&cursor_of(1234)), Some(1234));
        assert_eq!(index_of("not a cursor!"), None);
    }
}
