//! Stripe churn notes. The backfill lists cancelled subscriptions
//! (`GET /v1/subscriptions?status=canceled`, newest first, `starting_after` paging; Stripe
//! cannot filter on `canceled_at`, so older cancellations are skipped here). After it, passes
//! read `GET /v1/events?types[]=customer.subscription.deleted&created[gt]=T`. Stripe keeps
//! events for 30 days: a cursor older than that (a server down for a month) falls back to the
//! list rather than trust events to cover the gap. Each cancellation goes through the webhook
//! parser (its comment and feedback in words, the lost ARR).

use super::{Answer, Connector, HttpRequest, Page, PageError, Step, cursor_time, json_body, later, refusal};
use crate::config::PullAccess;
use crate::domain::Source;
use crate::ingest::sources::{self, ParseContext, Parsed, text_at, time_at};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

/// How long Stripe keeps events; a cursor older than this (less a margin) falls back to the list.
pub const EVENTS_KEPT_DAYS: i64 = 30;

#[derive(Debug, Clone)]
pub struct Stripe {
    api_url: String,
}

impl Stripe {
    pub fn new(access: &PullAccess) -> Self {
        Self { api_url: access.api_url.clone() }
    }
}

fn list_cursor(since: DateTime<Utc>, now: DateTime<Utc>) -> Value {
    json!({"mode": "list", "since": since.timestamp(), "started": now.timestamp(), "starting_after": null})
}

impl Connector for Stripe {
    fn source(&self) -> Source {
        Source::Stripe
    }

    fn start(&self, since: DateTime<Utc>, now: DateTime<Utc>) -> Value {
        list_cursor(since, now)
    }

    fn resume(&self, cursor: Value, now: DateTime<Utc>) -> Value {
        let oldest_event = now - Duration::days(EVENTS_KEPT_DAYS) + Duration::hours(1);
        match (cursor.get("mode").and_then(Value::as_str), cursor_time(&cursor, "gt")) {
            (Some("events"), Some(gt)) if gt < oldest_event => list_cursor(gt, now),
            _ => cursor,
        }
    }

    fn request(&self, cursor: &Value) -> Result<HttpRequest, PageError> {
        let after = cursor.get("starting_after").and_then(Value::as_str).map(|a| format!("&starting_after={a}")).unwrap_or_default();
        let url = match (cursor.get("mode").and_then(Value::as_str), cursor.get("gt").and_then(Value::as_i64)) {
            (Some("list"), _) => format!("{}/v1/subscriptions?status=canceled&limit=100{after}", self.api_url),
            (Some("events"), Some(gt)) => {
                format!("{}/v1/events?types[]=customer.subscription.deleted&created[gt]={gt}&limit=100{after}", self.api_url)
            }
            _ => return Err(PageError::Malformed(format!("stored cursor {cursor} is neither a list nor an events position"))),
        };
        Ok(HttpRequest::get(url))
    }

    fn page(&self, cursor: &Value, answer: &Answer) -> Result<Page, PageError> {
        if answer.status != 200 {
            return Err(refusal(answer));
        }
        read_page(&json_body(answer)?, cursor)
    }

    fn rate_limit_wait(&self, _headers: &http::HeaderMap, _now: DateTime<Utc>) -> Option<std::time::Duration> {
        // Stripe's 429 names no wait: back off with jitter.
        None
    }

    fn credentials_hint(&self) -> String {
        "check PUSHBACK_SOURCES__STRIPE__API_KEY (a restricted key with Read on Subscriptions, Customers and Events)".into()
    }
}

/// One page of cancelled subscriptions or of deletion events.
pub fn read_page(body: &Value, cursor: &Value) -> Result<Page, PageError> {
    let data = body.get("data").and_then(Value::as_array).ok_or_else(|| PageError::Malformed("no `data` list".into()))?;
    let more = body.get("has_more").and_then(Value::as_bool).ok_or_else(|| PageError::Malformed("no `has_more`".into()))?;
    let events = cursor.get("mode").and_then(Value::as_str) == Some("events");
    let since = cursor.get("since").and_then(Value::as_i64).unwrap_or(0);
    let mut max_seen = cursor.get("max_seen").and_then(Value::as_i64).or_else(|| cursor.get("gt").and_then(Value::as_i64));
    let mut page = Page::new(Step::More(Value::Null));
    let ctx = ParseContext::now();
    for object in data {
        let event = if events {
            max_seen = max_seen.max(object.get("created").and_then(Value::as_i64));
            object.clone()
        } else {
            if object.get("canceled_at").and_then(Value::as_i64).is_none_or(|t| t < since) {
                page.skipped += 1;
                continue;
            }
            json!({"type": "customer.subscription.deleted", "data": {"object": object}})
        };
        page.position_at = later(page.position_at, time_at(&event, &["data", "object", "canceled_at"]));
        match sources::stripe::parse(&event, &ctx) {
            Ok(Parsed::Items(items)) => page.items.extend(items),
            // A cancellation without a word from the customer (a failed payment) is not feedback.
            _ => page.skipped += 1,
        }
    }
    let last = data.last().and_then(|o| text_at(o, &["id"]));
    page.next = match (more, last) {
        (true, Some(last)) => {
            let mut next = cursor.clone();
            next["starting_after"] = json!(last);
            if events {
                next["max_seen"] = json!(max_seen);
            }
            Step::More(next)
        }
        (true, None) => return Err(PageError::Malformed("`has_more` is true on an empty page".into())),
        // Inclusive of the newest second seen: an event created in that second after this read
        // is not lost (the one already stored comes back unchanged).
        (false, _) if events => {
            let gt = max_seen.unwrap_or(0) - 1;
            Step::Done(json!({"mode": "events", "gt": gt, "max_seen": gt, "starting_after": null}))
        }
        // The list is read: events from just before it began take over.
        (false, _) => {
            let started = cursor.get("started").and_then(Value::as_i64).unwrap_or(0);
            let gt = started - 60;
            Step::Done(json!({"mode": "events", "gt": gt, "max_seen": gt, "starting_after": null}))
        }
    };
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(id: &str, canceled_at: i64, comment: Option<&str>) -> Value {
        json!({"id": id, "object": "subscription", "customer": "cus_1", "status": "canceled", "canceled_at": canceled_at,
            "cancellation_details": {"comment": comment, "feedback": if comment.is_some() { json!("too_complex") } else { Value::Null },
                "reason": if comment.is_some() { "cancellation_requested" } else { "payment_failed" }},
            "items": {"data": [{"quantity": 2, "price": {"unit_amount": 1000, "recurring": {"interval": "month", "interval_count": 1}}}]}})
    }

    #[test]
    fn the_list_keeps_cancellations_since_the_start_with_words_and_hands_over_to_events() {
        let cursor = list_cursor(DateTime::from_timestamp(1000, 0).unwrap(), DateTime::from_timestamp(5000, 0).unwrap());
        let body = json!({"object": "list", "has_more": false,
            "data": [sub("sub_3", 4000, Some("Reports take minutes to load")), sub("sub_2", 3000, None), sub("sub_1", 500, Some("old"))]});
        let page = read_page(&body, &cursor).unwrap();
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].external_id, "sub_3");
        assert_eq!(page.items[0].lost_arr_cents, Some(2000 * 12));
        assert_eq!(page.skipped, 2);
        assert_eq!(page.next, Step::Done(json!({"mode": "events", "gt": 4940, "max_seen": 4940, "starting_after": null})));
    }

    #[test]
    fn events_page_newest_first_and_the_next_pass_starts_after_the_newest() {
        let cursor = json!({"mode": "events", "gt": 100, "max_seen": 100, "starting_after": null});
        let event = |id: &str, created: i64| {
            json!({"id": id, "type": "customer.subscription.deleted", "created": created,
            "data": {"object": sub(&format!("sub_{id}"), created, Some("Too slow"))}})
        };
        let first = read_page(&json!({"data": [event("e3", 300), event("e2", 200)], "has_more": true}), &cursor).unwrap();
        let Step::More(next) = &first.next else { panic!() };
        assert_eq!(next["starting_after"], "e2");
        assert_eq!(next["max_seen"], 300);
        let last = read_page(&json!({"data": [event("e1", 150)], "has_more": false}), next).unwrap();
        assert_eq!(last.next, Step::Done(json!({"mode": "events", "gt": 299, "max_seen": 299, "starting_after": null})));
    }

    #[test]
    fn a_cursor_older_than_stripes_event_retention_falls_back_to_the_list() {
        let s = Stripe { api_url: "http://s".into() };
        let now = Utc::now();
        let fresh = json!({"mode": "events", "gt": (now - Duration::days(3)).timestamp(), "starting_after": null});
        assert_eq!(s.resume(fresh.clone(), now), fresh);
        let old_gt = (now - Duration::days(40)).timestamp();
        let stale = s.resume(json!({"mode": "events", "gt": old_gt, "starting_after": null}), now);
        assert_eq!(stale["mode"], "list");
        assert_eq!(stale["since"], old_gt);
        assert!(s.request(&stale).unwrap().url.contains("/v1/subscriptions?status=canceled"));
        assert!(s.request(&fresh).unwrap().url.contains("types[]=customer.subscription.deleted&created[gt]="));
    }
}
