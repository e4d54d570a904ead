//! Help Scout (Mailbox API 2.0): `GET /v2/conversations?status=all&modifiedSince=…&sortField=
//! modifiedAt&sortOrder=asc&embed=threads&page=N`, 25 a page, the last page without
//! `_links.next`. Page numbers over a changing set repeat and skip items, so pages are asked by
//! time (`keyset`): each request starts from the newest modification seen, repeats are left out,
//! and each pass overlaps the last five minutes. The token is an OAuth client-credentials token,
//! refreshed on expiry and on 401 (`client`); 429 carries `X-RateLimit-Retry-After`. The link is
//! `_links.web.href`.

use super::keyset::Keyset;
use super::{Answer, Connector, HttpRequest, Page, PageError, Step, json_body, refusal, seconds_header};
use crate::config::PullAccess;
use crate::domain::{Source, company_domain};
use crate::ingest::sources::{self, ParseContext, Parsed, text_at, time_at};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use std::time::Duration;

/// How far back each pass reaches before where the last one ended, in seconds.
pub const OVERLAP_SECS: i64 = 300;

#[derive(Debug, Clone)]
pub struct Helpscout {
    api_url: String,
}

impl Helpscout {
    pub fn new(access: &PullAccess) -> Self {
        Self { api_url: access.api_url.clone() }
    }
}

impl Connector for Helpscout {
    fn source(&self) -> Source {
        Source::Helpscout
    }

    fn start(&self, since: DateTime<Utc>, _now: DateTime<Utc>) -> Value {
        Keyset::start(since.timestamp())
    }

    fn request(&self, cursor: &Value) -> Result<HttpRequest, PageError> {
        let since =
            super::cursor_time(cursor, "since").ok_or_else(|| PageError::Malformed(format!("stored cursor {cursor} has no `since`")))?;
        let page = cursor.get("page").and_then(Value::as_u64).unwrap_or(1);
        let since = since.to_rfc3339_opts(SecondsFormat::Secs, true);
        Ok(HttpRequest::get(format!(
            "{}/v2/conversations?status=all&modifiedSince={since}&sortField=modifiedAt&sortOrder=asc&embed=threads&page={page}",
            self.api_url
        )))
    }

    fn page(&self, cursor: &Value, answer: &Answer) -> Result<Page, PageError> {
        if answer.status != 200 {
            return Err(refusal(answer));
        }
        read_page(&json_body(answer)?, cursor)
    }

    fn rate_limit_wait(&self, headers: &http::HeaderMap, _now: DateTime<Utc>) -> Option<Duration> {
        seconds_header(headers, "x-ratelimit-retry-after")
    }

    fn credentials_hint(&self) -> String {
        "check PUSHBACK_SOURCES__HELPSCOUT__APP_ID and APP_SECRET (an OAuth app of a user who can see the mailboxes)".into()
    }
}

/// A conversation's modification time: the newest of the times it carries.
fn modified(conv: &Value) -> Option<DateTime<Utc>> {
    ["userUpdatedAt", "modifiedAt", "updatedAt", "createdAt"].iter().filter_map(|k| time_at(conv, &[k])).max()
}

/// One page: conversations to items (repeats left out), and the cursor to ask from next.
pub fn read_page(body: &Value, cursor: &Value) -> Result<Page, PageError> {
    let list = match body.get("_embedded").and_then(|e| e.get("conversations")) {
        Some(Value::Array(list)) => list.as_slice(),
        Some(_) => return Err(PageError::Malformed("`_embedded.conversations` is not a list".into())),
        None if body.get("page").is_some() => &[],
        None => return Err(PageError::Malformed("no `_embedded.conversations` and no `page`".into())),
    };
    let mut keyset = Keyset::from_cursor(cursor);
    let mut page = Page::new(Step::More(Value::Null));
    let ctx = ParseContext::now();
    for conv in list {
        let (Some(id), Some(at)) = (text_at(conv, &["id"]), modified(conv)) else {
            page.skipped += 1;
            continue;
        };
        page.position_at = super::later(page.position_at, Some(at));
        if !keyset.take(&id, at.timestamp()) {
            page.skipped += 1;
            continue;
        }
        let Ok(Parsed::Items(items)) = sources::helpscout::parse(conv, Some("convo.created"), &ctx) else {
            page.skipped += 1;
            continue;
        };
        for mut item in items {
            if let Some(link) = text_at(conv, &["_links", "web", "href"]) {
                item.url = Some(link);
            }
            if let (Some(account), Some(domain)) =
                (&item.account.id, text_at(conv, &["primaryCustomer", "email"]).and_then(|e| company_domain(&e)))
            {
                page.domains.push((account.clone(), domain));
            }
            page.items.push(item);
        }
    }
    let has_next = body.get("_links").and_then(|l| l.get("next")).is_some_and(|n| !n.is_null());
    page.next = keyset.next(has_next, OVERLAP_SECS);
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn conv(id: i64, at: &str) -> Value {
        json!({"id": id, "number": id + 1000, "subject": "Exports", "status": "active", "createdAt": "2026-11-01T00:00:00Z", "userUpdatedAt": at,
            "primaryCustomer": {"id": 1, "email": "ann@initech.com"},
            "_embedded": {"threads": [{"id": 1, "type": "customer", "body": "<div>Exports time out after 30 seconds</div>"}]},
            "_links": {"web": {"href": format!("https://secure.helpscout.net/conversation/{id}/{}/", id + 1000)}}})
    }

    fn body(convs: &[Value], next: bool) -> Value {
        let mut b = json!({"_embedded": {"conversations": convs}, "page": {"size": 25, "number": 1}, "_links": {"self": {"href": "x"}}});
        if next {
            b["_links"]["next"] = json!({"href": "y"});
        }
        b
    }

    #[test]
    fn each_page_asks_again_from_the_newest_time_and_repeats_are_left_out() {
        let start = json!({"since": 0, "page": 1, "seen": {}});
        let first = read_page(&body(&[conv(1, "2026-11-02T10:00:00Z"), conv(2, "2026-11-02T10:00:05Z")], true), &start).unwrap();
        assert_eq!(first.items.len(), 2);
        assert_eq!(first.items[0].url.as_deref(), Some("https://secure.helpscout.net/conversation/1/1001/"));
        assert_eq!(first.items[0].account.id.as_deref(), Some("initech.com"));
        let t2 = DateTime::parse_from_rfc3339("2026-11-02T10:00:05Z").unwrap().timestamp();
        let Step::More(next) = first.next else { panic!() };
        assert_eq!(next, json!({"since": t2, "page": 1, "seen": {"2": t2}}));
        // Conversation 2 comes back at the bound; 3 is new; 1 was edited since and comes again.
        let second = read_page(
            &body(&[conv(2, "2026-11-02T10:00:05Z"), conv(3, "2026-11-02T10:00:07Z"), conv(1, "2026-11-02T10:00:09Z")], false),
            &next,
        )
        .unwrap();
        let ids: Vec<&str> = second.items.iter().map(|i| i.external_id.as_str()).collect();
        assert_eq!(ids, vec!["3", "1"]);
        assert_eq!(second.skipped, 1);
        let Step::Done(done) = second.next else { panic!() };
        assert_eq!(done["since"], t2 + 4 - OVERLAP_SECS);
        assert_eq!(done["seen"].as_object().unwrap().len(), 3, "the overlap remembers what it will see again");
    }

    #[test]
    fn a_page_all_in_one_second_moves_the_page_number() {
        let t = DateTime::parse_from_rfc3339("2026-11-02T10:00:00Z").unwrap().timestamp();
        let page = read_page(&body(&[conv(1, "2026-11-02T10:00:00Z")], true), &json!({"since": t, "page": 1, "seen": {}})).unwrap();
        assert_eq!(page.next, Step::More(json!({"since": t, "page": 2, "seen": {"1": t}})));
        assert!(read_page(&json!({"_embedded": {}}), &json!({})).is_err());
        assert!(read_page(&json!({"page": {"totalElements": 0}}), &json!({})).unwrap().items.is_empty());
    }
}
