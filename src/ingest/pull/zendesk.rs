//! Zendesk: the cursor-based incremental ticket export,
//! `GET /api/v2/incremental/tickets/cursor.json`. The first call sends `start_time` (unix
//! seconds, at least a minute in the past); every later call sends the `after_cursor` of the
//! answer before, also after the end of the stream (the next poll starts there: reusing a
//! start time loses tickets). A page may be empty while `end_of_stream` is false: keep going.
//! Deleted tickets are left out (`exclude_deleted=true`); organizations are sideloaded for
//! the account's name and email domain.
//!
//! After the tickets, the same pass reads the satisfaction ratings (`zendesk_ratings`). The
//! cursor holds both positions: `{"tickets": <export cursor>, "ratings": <ratings position>}`,
//! with `"stream": "ratings"` while the ratings are being read.

use super::{Answer, Connector, HttpRequest, Need, Page, PageError, Step, json_body, later, refusal, seconds_header, zendesk_ratings};
use crate::config::PullAccess;
use crate::domain::{Source, company_domain};
use crate::ingest::sources::{self, ParseContext, Parsed, text_at, time_at};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::Duration;

/// Tickets per page (the most Zendesk allows).
pub const PER_PAGE: usize = 1000;

#[derive(Debug, Clone)]
pub struct Zendesk {
    api_url: String,
    ui_host: String,
    /// Read the satisfaction ratings after the tickets.
    ratings: bool,
}

impl Zendesk {
    pub fn new(access: &PullAccess) -> Self {
        Self { api_url: access.api_url.clone(), ui_host: access.ui_host.clone().unwrap_or_default(), ratings: access.satisfaction_ratings }
    }
}

impl Connector for Zendesk {
    fn source(&self) -> Source {
        Source::Zendesk
    }

    fn start(&self, since: DateTime<Utc>, now: DateTime<Utc>) -> Value {
        // Zendesk refuses a start time within the last minute.
        let tickets = since.min(now - chrono::Duration::seconds(60)).timestamp();
        json!({"tickets": {"start_time": tickets}, "ratings": {"start_time": since.timestamp()}})
    }

    /// A cursor stored before ratings were read holds the tickets' position alone: the ratings
    /// start where the tickets did, or a backfill's reach back.
    fn resume(&self, cursor: Value, now: DateTime<Utc>) -> Value {
        if cursor.get("tickets").is_some() {
            return cursor;
        }
        let ratings = cursor.get("start_time").and_then(Value::as_i64).unwrap_or((now - chrono::Duration::days(180)).timestamp());
        json!({"tickets": cursor, "ratings": {"start_time": ratings}})
    }

    fn request(&self, cursor: &Value) -> Result<HttpRequest, PageError> {
        if reading_ratings(cursor) && self.ratings {
            return zendesk_ratings::request(&self.api_url, &cursor["ratings"]);
        }
        let cursor = cursor.get("tickets").unwrap_or(cursor);
        let position = match (cursor.get("cursor").and_then(Value::as_str), cursor.get("start_time").and_then(Value::as_i64)) {
            (Some(c), _) => format!("cursor={}", urlencode(c)),
            (None, Some(t)) => format!("start_time={t}"),
            _ => return Err(PageError::Malformed(format!("stored cursor {cursor} has neither cursor nor start_time"))),
        };
        Ok(HttpRequest::get(format!(
            "{}/api/v2/incremental/tickets/cursor.json?{position}&per_page={PER_PAGE}&exclude_deleted=true&include=organizations",
            self.api_url
        )))
    }

    fn page(&self, cursor: &Value, answer: &Answer) -> Result<Page, PageError> {
        let tickets = cursor.get("tickets").unwrap_or(cursor).clone();
        let ratings = cursor.get("ratings").cloned().unwrap_or(Value::Null);
        if reading_ratings(cursor) && self.ratings {
            let mut page = zendesk_ratings::read(answer, &ratings, &self.api_url, &self.ui_host)?;
            page.next = match page.next {
                Step::More(r) => Step::More(json!({"stream": "ratings", "tickets": tickets, "ratings": r})),
                Step::Done(r) => Step::Done(json!({"tickets": tickets, "ratings": r})),
            };
            return Ok(page);
        }
        if answer.status != 200 {
            return Err(refusal(answer));
        }
        let mut page = read_page(&json_body(answer)?, &tickets, &self.ui_host)?;
        page.next = match page.next {
            Step::More(t) => Step::More(json!({"tickets": t, "ratings": ratings})),
            // The tickets are read: the ratings follow in the same pass (unless turned off).
            Step::Done(t) if !self.ratings => Step::Done(json!({"tickets": t, "ratings": ratings})),
            Step::Done(t) => Step::More(json!({"stream": "ratings", "tickets": t, "ratings": ratings})),
        };
        Ok(page)
    }

    fn apply(&self, page: &mut Page, need: &Need, answer: &Value) {
        if need.key.starts_with(zendesk_ratings::TICKETS_NEED) {
            zendesk_ratings::apply(page, need, answer);
        }
    }

    fn rate_limit_wait(&self, headers: &http::HeaderMap, _now: DateTime<Utc>) -> Option<Duration> {
        seconds_header(headers, "retry-after")
    }

    fn credentials_hint(&self) -> String {
        "check PUSHBACK_SOURCES__ZENDESK__API_TOKEN and EMAIL (an agent's email and an API token from Admin Center → Apps and integrations → Zendesk API)".into()
    }
}

fn reading_ratings(cursor: &Value) -> bool {
    cursor.get("stream").and_then(Value::as_str) == Some("ratings")
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// One answer of the export: tickets to items, the organizations' names and domains, the next cursor.
pub fn read_page(body: &Value, cursor: &Value, ui_host: &str) -> Result<Page, PageError> {
    let tickets = body.get("tickets").and_then(Value::as_array).ok_or_else(|| PageError::Malformed("no `tickets` array".into()))?;
    let end = body.get("end_of_stream").and_then(Value::as_bool).ok_or_else(|| PageError::Malformed("no `end_of_stream`".into()))?;
    let after = body.get("after_cursor").and_then(Value::as_str);
    let next_cursor = match after {
        Some(c) => json!({"cursor": c}),
        // The end of the stream may carry no cursor when nothing changed: keep the one we had.
        None if end => cursor.clone(),
        None => return Err(PageError::Malformed("`end_of_stream` is false but there is no `after_cursor`".into())),
    };
    let orgs: HashMap<String, (Option<String>, Option<String>)> = body
        .get("organizations")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|o| {
                    let domain = o.get("domain_names").and_then(|d| d.get(0)).and_then(Value::as_str).map(str::to_ascii_lowercase);
                    Some((text_at(o, &["id"])?, (text_at(o, &["name"]), domain)))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut page = Page::new(if end { Step::Done(next_cursor) } else { Step::More(next_cursor) });
    let ctx = ParseContext::now();
    for ticket in tickets {
        page.position_at = later(page.position_at, time_at(ticket, &["updated_at"]));
        if ticket.get("status").and_then(Value::as_str) == Some("deleted") {
            page.skipped += 1;
            continue;
        }
        let event = json!({"type": "zen:event-type:ticket.updated", "detail": ticket});
        let Ok(Parsed::Items(items)) = sources::zendesk::parse(&event, &ctx) else {
            // A ticket without a description has no words to classify.
            page.skipped += 1;
            continue;
        };
        for mut item in items {
            item.url = Some(format!("https://{ui_host}/agent/tickets/{}", item.external_id));
            if let Some((name, domain)) = item.account.id.as_ref().and_then(|o| orgs.get(o)) {
                item.account.name.clone_from(name);
                if let (Some(id), Some(d)) = (&item.account.id, domain.as_deref().and_then(company_domain)) {
                    page.domains.push((id.clone(), d));
                }
            }
            page.items.push(item);
        }
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &Value) -> Answer {
        Answer { status: 200, headers: http::HeaderMap::new(), body: axum::body::Bytes::from(body.to_string()) }
    }

    #[test]
    fn the_end_of_the_tickets_leads_to_the_ratings_and_their_end_ends_the_pass() {
        let z = Zendesk { api_url: "http://z".into(), ui_host: "acme.zendesk.com".into(), ratings: true };
        let cursor = json!({"tickets": {"cursor": "c1"}, "ratings": {"start_time": 100}});
        let more = z.page(&cursor, &answer(&json!({"tickets": [], "after_cursor": "c2", "end_of_stream": false}))).unwrap();
        assert_eq!(more.next, Step::More(json!({"tickets": {"cursor": "c2"}, "ratings": {"start_time": 100}})));
        let end = z.page(&cursor, &answer(&json!({"tickets": [], "after_cursor": "c3", "end_of_stream": true}))).unwrap();
        let ratings = end.next.cursor().clone();
        assert_eq!(ratings, json!({"stream": "ratings", "tickets": {"cursor": "c3"}, "ratings": {"start_time": 100}}));
        assert!(z.request(&ratings).unwrap().url.starts_with("http://z/api/v2/satisfaction_ratings.json?score=received&start_time=100"));
        let done = z.page(&ratings, &answer(&json!({"satisfaction_ratings": [], "meta": {"has_more": false}}))).unwrap();
        assert_eq!(done.next, Step::Done(json!({"tickets": {"cursor": "c3"}, "ratings": {"start_time": 100}})));
        // A cursor stored before ratings existed keeps the tickets' place.
        let old = z.resume(json!({"cursor": "c9"}), Utc::now());
        assert_eq!(old["tickets"], json!({"cursor": "c9"}));
        assert!(z.request(&old).unwrap().url.contains("cursor=c9"));
        // Turned off, the tickets' end ends the pass, and a pass stopped among the ratings reads tickets.
        let off = Zendesk { ratings: false, ..z };
        let end = off.page(&cursor, &answer(&json!({"tickets": [], "after_cursor": "c3", "end_of_stream": true}))).unwrap();
        assert_eq!(end.next, Step::Done(json!({"tickets": {"cursor": "c3"}, "ratings": {"start_time": 100}})));
        assert!(off.request(&ratings).unwrap().url.contains("/incremental/tickets/cursor.json?cursor=c3"));
    }

    #[test]
    fn a_page_becomes_items_with_links_accounts_and_the_next_cursor() {
        let body = json!({
            "tickets": [
                {"id": 35436, "subject": "Checkout slow", "description": "<p>Checkout takes 30 seconds and times out</p>",
                 "organization_id": 9001, "tags": ["checkout"], "created_at": "2026-11-02T09:00:00Z", "updated_at": "2026-11-03T09:00:00Z",
                 "url": "https://acme.zendesk.com/api/v2/tickets/35436.json", "status": "open"},
                {"id": 35437, "subject": "gone", "description": "x", "status": "deleted", "updated_at": "2026-11-04T09:00:00Z"},
                {"id": 35438, "subject": "no words", "description": "", "updated_at": "2026-11-03T10:00:00Z"}],
            "organizations": [{"id": 9001, "name": "Globex", "domain_names": ["Globex.com"]}],
            "after_cursor": "MTU3NjYxMzUzOS4wfHw0Njd8", "end_of_stream": false});
        let page = read_page(&body, &json!({"start_time": 1}), "acme.zendesk.com").unwrap();
        assert_eq!(page.items.len(), 1);
        let it = &page.items[0];
        assert_eq!(it.source, Source::Zendesk);
        assert_eq!(it.external_id, "35436");
        assert_eq!(it.subject, "Checkout slow");
        assert_eq!(it.body, "Checkout takes 30 seconds and times out");
        assert_eq!(it.url.as_deref(), Some("https://acme.zendesk.com/agent/tickets/35436"));
        assert_eq!((it.account.id.as_deref(), it.account.name.as_deref()), (Some("9001"), Some("Globex")));
        assert_eq!(it.updated_at.map(|t| t.to_rfc3339()).as_deref(), Some("2026-11-03T09:00:00+00:00"));
        assert_eq!(page.domains, vec![("9001".to_string(), "globex.com".to_string())]);
        assert_eq!(page.skipped, 2);
        assert_eq!(page.next, Step::More(json!({"cursor": "MTU3NjYxMzUzOS4wfHw0Njd8"})));
        assert_eq!(page.position_at.map(|t| t.to_rfc3339()).as_deref(), Some("2026-11-04T09:00:00+00:00"));
    }

    #[test]
    fn an_empty_page_before_the_end_continues_and_the_end_keeps_a_cursor() {
        let more = read_page(&json!({"tickets": [], "after_cursor": "c2", "end_of_stream": false}), &json!({"cursor": "c1"}), "a").unwrap();
        assert_eq!(more.next, Step::More(json!({"cursor": "c2"})));
        let end = read_page(&json!({"tickets": [], "after_cursor": null, "end_of_stream": true}), &json!({"cursor": "c1"}), "a").unwrap();
        assert_eq!(end.next, Step::Done(json!({"cursor": "c1"})));
    }

    #[test]
    fn malformed_pages_are_named() {
        for body in [json!({"results": []}), json!({"tickets": []}), json!({"tickets": [], "end_of_stream": false})] {
            assert!(matches!(read_page(&body, &json!({}), "a"), Err(PageError::Malformed(_))), "{body}");
        }
    }

    #[test]
    fn the_first_request_starts_a_minute_back_at_least_and_later_ones_follow_the_cursor() {
        let z = Zendesk { api_url: "http://z".into(), ui_host: "acme.zendesk.com".into(), ratings: true };
        let now = Utc::now();
        let start = z.start(now, now);
        assert!(start["tickets"]["start_time"].as_i64().unwrap() <= now.timestamp() - 60);
        assert!(z.request(&start).unwrap().url.contains("/incremental/tickets/cursor.json?start_time="));
        assert_eq!(start["ratings"]["start_time"], now.timestamp());
        let next = z.request(&json!({"cursor": "a+b/c="})).unwrap().url;
        assert!(
            next.starts_with("http://z/api/v2/incremental/tickets/cursor.json?cursor=a%2Bb%2Fc%3D&per_page=1000&exclude_deleted=true"),
            "{next}"
        );
    }
}
