//! Freshdesk: `GET /api/v2/tickets?updated_since=…&order_by=updated_at&order_type=asc&
//! include=description&per_page=100&page=N`; a `Link: <…>; rel="next"` header says another
//! page follows. Freshdesk answers 400 past page 300, and walking page numbers over tickets
//! that change meanwhile skips some, so each request restarts from the last `updated_at` seen
//! (`keyset`), the documented way past the cap: a pass of any length stays on page 1 unless
//! more than a page of tickets share one second. Without `updated_since` only the last 30 days
//! come back, so it is always sent. Basic auth with the API key; 429 carries `Retry-After`.

use super::keyset::Keyset;
use super::{Answer, Connector, HttpRequest, Page, PageError, Step, json_body, later, refusal, seconds_header};
use crate::config::PullAccess;
use crate::domain::Source;
use crate::ingest::sources::{self, ParseContext, Parsed, text_at, time_at};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use std::time::Duration;

pub const PER_PAGE: usize = 100;
/// Freshdesk refuses page numbers above this (400).
pub const MAX_PAGES: u64 = 300;
/// How far back each pass reaches before where the last one ended, in seconds.
pub const OVERLAP_SECS: i64 = 300;

#[derive(Debug, Clone)]
pub struct Freshdesk {
    api_url: String,
    ui_host: String,
}

impl Freshdesk {
    pub fn new(access: &PullAccess) -> Self {
        Self { api_url: access.api_url.clone(), ui_host: access.ui_host.clone().unwrap_or_default() }
    }
}

/// Whether a `Link` header names a next page.
pub fn has_next(headers: &http::HeaderMap) -> bool {
    headers.get_all("link").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|part| {
        part.split(';').skip(1).any(|p| {
            let p = p.trim().to_ascii_lowercase();
            p == "rel=\"next\"" || p == "rel=next"
        })
    })
}

impl Connector for Freshdesk {
    fn source(&self) -> Source {
        Source::Freshdesk
    }

    fn start(&self, since: DateTime<Utc>, _now: DateTime<Utc>) -> Value {
        Keyset::start(since.timestamp())
    }

    fn request(&self, cursor: &Value) -> Result<HttpRequest, PageError> {
        let keyset = Keyset::from_cursor(cursor);
        if keyset.page > MAX_PAGES {
            return Err(PageError::Refused {
                status: 400,
                message: format!(
                    "more than {} tickets were updated in one second, and Freshdesk pages no further than page {MAX_PAGES}",
                    MAX_PAGES as usize * PER_PAGE
                ),
            });
        }
        let since = DateTime::from_timestamp(keyset.since, 0).unwrap_or_default().to_rfc3339_opts(SecondsFormat::Secs, true);
        Ok(HttpRequest::get(format!(
            "{}/api/v2/tickets?updated_since={since}&order_by=updated_at&order_type=asc&include=description&per_page={PER_PAGE}&page={}",
            self.api_url, keyset.page
        )))
    }

    fn page(&self, cursor: &Value, answer: &Answer) -> Result<Page, PageError> {
        if answer.status != 200 {
            return Err(refusal(answer));
        }
        read_page(&json_body(answer)?, has_next(&answer.headers), cursor, &self.ui_host)
    }

    fn rate_limit_wait(&self, headers: &http::HeaderMap, _now: DateTime<Utc>) -> Option<Duration> {
        seconds_header(headers, "retry-after")
    }

    fn credentials_hint(&self) -> String {
        "check PUSHBACK_SOURCES__FRESHDESK__API_KEY and DOMAIN (an agent's API key from Profile settings → View API key)".into()
    }
}

/// One page of tickets (a JSON array), repeats left out.
pub fn read_page(body: &Value, more: bool, cursor: &Value, ui_host: &str) -> Result<Page, PageError> {
    let tickets = body.as_array().ok_or_else(|| PageError::Malformed("expected a list of tickets".into()))?;
    let mut keyset = Keyset::from_cursor(cursor);
    let mut page = Page::new(Step::More(Value::Null));
    let ctx = ParseContext::now();
    for ticket in tickets {
        let (Some(id), Some(at)) = (text_at(ticket, &["id"]), time_at(ticket, &["updated_at"])) else {
            return Err(PageError::Malformed("a ticket without `id` or `updated_at`".into()));
        };
        page.position_at = later(page.position_at, Some(at));
        if !keyset.take(&id, at.timestamp()) {
            page.skipped += 1;
            continue;
        }
        match sources::freshdesk::parse(ticket, &ctx) {
            Ok(Parsed::Items(items)) => page.items.extend(items.into_iter().map(|mut item| {
                item.url = Some(format!("https://{ui_host}/a/tickets/{}", item.external_id));
                item
            })),
            _ => page.skipped += 1,
        }
    }
    page.next = keyset.next(more, OVERLAP_SECS);
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_link_header_says_whether_a_page_follows() {
        let mut h = http::HeaderMap::new();
        assert!(!has_next(&h));
        h.insert("link", "<https://acme.freshdesk.com/api/v2/tickets?page=2&per_page=100>; rel=\"next\"".parse().unwrap());
        assert!(has_next(&h));
        h.insert("link", "<https://acme.freshdesk.com/api/v2/tickets?page=1>; rel=\"prev\"".parse().unwrap());
        assert!(!has_next(&h));
    }

    #[test]
    fn tickets_become_items_with_links_and_the_next_request_starts_at_the_newest_update() {
        let body = json!([
            {"id": 881, "subject": "App crashes", "description": "<div>Crashes on launch</div>", "description_text": "Crashes on launch",
             "company_id": 42, "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-02T10:00:00Z", "tags": ["mobile"]},
            {"id": 882, "subject": "empty", "description": "", "updated_at": "2026-11-02T10:00:03Z"}]);
        let page = read_page(&body, true, &Keyset::start(0), "acme.freshdesk.com").unwrap();
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].body, "Crashes on launch");
        assert_eq!(page.items[0].url.as_deref(), Some("https://acme.freshdesk.com/a/tickets/881"));
        assert_eq!(page.items[0].account.id.as_deref(), Some("42"));
        let t = DateTime::parse_from_rfc3339("2026-11-02T10:00:03Z").unwrap().timestamp();
        assert_eq!(page.next, Step::More(json!({"since": t, "page": 1, "seen": {"882": t}})));
        assert!(matches!(read_page(&json!({"tickets": []}), false, &json!({}), "a"), Err(PageError::Malformed(_))));
    }

    #[test]
    fn page_numbers_past_the_cap_are_refused_before_asking() {
        let f = Freshdesk { api_url: "http://f".into(), ui_host: "a".into() };
        assert!(f.request(&json!({"since": 0, "page": 300})).unwrap().url.ends_with("&page=300"));
        assert!(matches!(f.request(&json!({"since": 0, "page": 301})), Err(PageError::Refused { status: 400, .. })));
    }
}
