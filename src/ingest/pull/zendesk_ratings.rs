//! Zendesk's second stream: satisfaction ratings (CSAT), read after the ticket export in the
//! same pass, with their own position in the connector's cursor.
//!
//! `GET /api/v2/satisfaction_ratings.json?score=received&start_time=<unix>&page[size]=100`, then
//! `page[after]=<meta.after_cursor>` while `meta.has_more` (cursor pagination). `received` leaves
//! out the surveys offered and not answered. The next pass starts at the newest `updated_at`
//! seen (what is read again is `unchanged`). Ratings carry no organization, so each page asks
//! `GET /api/v2/tickets/show_many.json?ids=...` once for its tickets' organizations: the account,
//! as the ticket and the webhook have it.

use super::{Answer, HttpRequest, Need, Page, PageError, Step, json_body, refusal};
use crate::ingest::sources::zendesk::{Rating, rating_item};
use crate::ingest::sources::{ParseContext, text_at, time_at};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Ratings per page (the most cursor pagination allows).
pub const PER_PAGE: usize = 100;
/// The prefix of a page's organization lookup.
pub const TICKETS_NEED: &str = "zendesk-rating-tickets:";

/// The ratings request at `position` (`{"start_time": t, "after": c?}`).
pub fn request(api_url: &str, position: &Value) -> Result<HttpRequest, PageError> {
    let start = position
        .get("start_time")
        .and_then(Value::as_i64)
        .ok_or_else(|| PageError::Malformed(format!("stored ratings position {position} has no start_time")))?;
    let after = match position.get("after").and_then(Value::as_str) {
        Some(c) => format!("&page[after]={}", url::form_urlencoded::byte_serialize(c.as_bytes()).collect::<String>()),
        None => String::new(),
    };
    Ok(HttpRequest::get(format!(
        "{api_url}/api/v2/satisfaction_ratings.json?score=received&start_time={start}&page[size]={PER_PAGE}{after}"
    )))
}

/// One page of ratings: the items, and the position that follows (`More` while `has_more`).
pub fn read(answer: &Answer, position: &Value, api_url: &str, ui_host: &str) -> Result<Page, PageError> {
    if answer.status != 200 {
        return Err(refusal(answer));
    }
    let body = json_body(answer)?;
    let ratings = body
        .get("satisfaction_ratings")
        .and_then(Value::as_array)
        .ok_or_else(|| PageError::Malformed("no `satisfaction_ratings` array".into()))?;
    let meta = body.get("meta").ok_or_else(|| PageError::Malformed("no `meta` (cursor pagination)".into()))?;
    let has_more = meta.get("has_more").and_then(Value::as_bool).ok_or_else(|| PageError::Malformed("no `meta.has_more`".into()))?;
    let start = position.get("start_time").and_then(Value::as_i64).unwrap_or_default();
    let mut newest = position.get("newest").and_then(Value::as_i64).unwrap_or(start);
    let ctx = ParseContext { zendesk_subdomain: None, ..ParseContext::now() };
    let mut page = Page::new(Step::Done(Value::Null));
    for r in ratings {
        newest = newest.max(time_at(r, &["updated_at"]).map_or(i64::MIN, |t| t.timestamp()));
        match rating_item(r, &ctx) {
            Ok(Rating::Answer(mut item)) => {
                item.url = text_at(r, &["ticket_id"]).map(|t| format!("https://{ui_host}/agent/tickets/{t}"));
                page.items.push(*item);
            }
            // Offered and not answered, or a score we cannot read: not a response.
            Ok(Rating::NotAnswered(_)) | Err(_) => page.skipped += 1,
        }
    }
    page.next = if has_more {
        let after = meta
            .get("after_cursor")
            .and_then(Value::as_str)
            .ok_or_else(|| PageError::Malformed("`has_more` but no `meta.after_cursor`".into()))?;
        Step::More(json!({"start_time": start, "after": after, "newest": newest}))
    } else {
        Step::Done(json!({"start_time": newest}))
    };
    let tickets: Vec<String> = page.items.iter().filter_map(|i| i.external_id.strip_prefix("satisfaction-").map(str::to_string)).collect();
    if !tickets.is_empty() {
        let ids = tickets.join(",");
        page.needs.push(Need {
            key: format!("{TICKETS_NEED}{ids}"),
            request: HttpRequest::get(format!("{api_url}/api/v2/tickets/show_many.json?ids={ids}")),
            items: (0..page.items.len()).collect(),
        });
    }
    Ok(page)
}

/// Sets each rating's account to its ticket's organization, from `show_many`'s answer.
pub fn apply(page: &mut Page, need: &Need, answer: &Value) {
    let orgs: HashMap<String, String> = answer
        .get("tickets")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(|t| Some((text_at(t, &["id"])?, text_at(t, &["organization_id"])?))).collect())
        .unwrap_or_default();
    for &i in &need.items {
        if let Some(item) = page.items.get_mut(i) {
            let ticket = item.external_id.strip_prefix("satisfaction-").unwrap_or_default();
            if let Some(org) = orgs.get(ticket).filter(|o| *o != "0") {
                item.account.id = Some(org.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Kind, SurveyType};

    fn answer(body: &Value) -> Answer {
        Answer { status: 200, headers: http::HeaderMap::new(), body: axum::body::Bytes::from(body.to_string()) }
    }

    /// A page as Zendesk's Satisfaction Ratings API documents it, with cursor pagination.
    fn documented_page(has_more: bool) -> Value {
        json!({
            "satisfaction_ratings": [
                {"assignee_id": 135, "comment": "Awesome support!", "created_at": "2026-11-10T22:55:29Z", "group_id": 44, "id": 35436,
                 "requester_id": 7881, "score": "good", "ticket_id": 208, "updated_at": "2026-11-10T22:55:29Z",
                 "url": "https://acme.zendesk.com/api/v2/satisfaction_ratings/35436.json"},
                {"assignee_id": 135, "comment": null, "created_at": "2026-11-11T09:00:00Z", "group_id": 44, "id": 35437,
                 "requester_id": 7882, "score": "bad", "ticket_id": 209, "updated_at": "2026-11-12T09:00:00Z",
                 "url": "https://acme.zendesk.com/api/v2/satisfaction_ratings/35437.json"},
                {"id": 35438, "score": "offered", "ticket_id": 210, "updated_at": "2026-11-13T09:00:00Z"}],
            "meta": {"has_more": has_more, "after_cursor": if has_more { json!("xxx") } else { Value::Null }, "before_cursor": "yyy"},
            "links": {"next": if has_more { json!("https://acme.zendesk.com/api/v2/satisfaction_ratings.json?page[size]=100&page[after]=xxx") } else { Value::Null }, "prev": null}
        })
    }

    #[test]
    fn a_page_of_ratings_becomes_csat_items_an_organization_lookup_and_the_next_position() {
        let page = read(&answer(&documented_page(true)), &json!({"start_time": 100}), "http://z", "acme.zendesk.com").unwrap();
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.skipped, 1, "offered is not an answer");
        let (good, bad) = (&page.items[0], &page.items[1]);
        assert_eq!((good.kind, good.external_id.as_str(), good.survey.unwrap().score), (Kind::Survey, "satisfaction-208", 5));
        assert_eq!((bad.survey.unwrap().survey_type, bad.survey.unwrap().score, bad.body.as_str()), (SurveyType::Csat, 1, ""));
        assert_eq!(good.url.as_deref(), Some("https://acme.zendesk.com/agent/tickets/208"));
        let newest = chrono::DateTime::parse_from_rfc3339("2026-11-13T09:00:00Z").unwrap().timestamp();
        assert_eq!(page.next, Step::More(json!({"start_time": 100, "after": "xxx", "newest": newest})));
        assert_eq!(page.needs[0].request.url, "http://z/api/v2/tickets/show_many.json?ids=208,209");

        let mut page = page;
        let need = page.needs.remove(0);
        apply(&mut page, &need, &json!({"tickets": [{"id": 208, "organization_id": 9001}, {"id": 209, "organization_id": null}]}));
        assert_eq!(page.items[0].account.id.as_deref(), Some("9001"));
        assert_eq!(page.items[1].account.id, None);

        let last =
            read(&answer(&documented_page(false)), &json!({"start_time": 100, "after": "xxx", "newest": 5}), "http://z", "a").unwrap();
        assert_eq!(last.next, Step::Done(json!({"start_time": newest})));
    }

    #[test]
    fn requests_page_by_cursor_and_malformed_pages_are_named() {
        let first = request("http://z", &json!({"start_time": 100})).unwrap().url;
        assert_eq!(first, "http://z/api/v2/satisfaction_ratings.json?score=received&start_time=100&page[size]=100");
        let next = request("http://z", &json!({"start_time": 100, "after": "a+b="})).unwrap().url;
        assert!(next.ends_with("&page[after]=a%2Bb%3D"), "{next}");
        for body in
            [json!({"ratings": []}), json!({"satisfaction_ratings": []}), json!({"satisfaction_ratings": [], "meta": {"has_more": true}})]
        {
            assert!(matches!(read(&answer(&body), &json!({"start_time": 1}), "z", "a"), Err(PageError::Malformed(_))), "{body}");
        }
    }
}
