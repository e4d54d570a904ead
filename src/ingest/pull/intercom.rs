//! Intercom: `POST /conversations/search` for conversations updated since the cursor, sorted
//! by `updated_at` ascending, 150 a page, following `pages.next.starting_after`. Search has no
//! `>=`, so the bound is `>` OR `=`: a pass starts at the newest update time the last one saw,
//! inclusive, and a conversation updated in that same second is not lost (the ones already
//! stored come back unchanged). Text is the opening message's subject and body (HTML stripped)
//! and the customer's later parts, through the webhook parser. The account is the contact's
//! company (`GET /contacts/{id}/companies`, once per contact per run); the link is built from
//! the workspace's id (`GET /me`), as conversations carry none. Rate limits answer 429 with
//! `X-RateLimit-Reset`, a unix time. A rated conversation (`conversation_rating`, 1-5 and a
//! remark) also gives a CSAT survey item, `rating-<conversation id>`, with the same account; a
//! changed rating moves the conversation's `updated_at`, so the next pass updates it.

use super::{Answer, Connector, HttpRequest, Need, Page, PageError, Step, json_body, later, refusal};
use crate::config::PullAccess;
use crate::domain::{Source, company_domain};
use crate::ingest::sources::{self, ParseContext, Parsed, text_at, time_at};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::time::Duration;

pub const PER_PAGE: usize = 150;
/// The API version asked for in `Intercom-Version`.
pub const VERSION: &str = "2.11";

#[derive(Debug, Clone)]
pub struct Intercom {
    api_url: String,
}

impl Intercom {
    pub fn new(access: &PullAccess) -> Self {
        Self { api_url: access.api_url.clone() }
    }

    fn get(&self, path: &str) -> HttpRequest {
        let mut req = HttpRequest::get(format!("{}{path}", self.api_url));
        req.headers.push(("intercom-version", VERSION.into()));
        req
    }
}

/// The search body: updated at or after `since`, oldest first.
pub fn search_body(since: i64, starting_after: Option<&str>) -> Value {
    let mut pagination = json!({"per_page": PER_PAGE});
    if let Some(after) = starting_after {
        pagination["starting_after"] = json!(after);
    }
    json!({
        "query": {"operator": "OR", "value": [
            {"field": "updated_at", "operator": ">", "value": since},
            {"field": "updated_at", "operator": "=", "value": since}]},
        "sort": {"field": "updated_at", "order": "ascending"},
        "pagination": pagination,
    })
}

impl Connector for Intercom {
    fn source(&self) -> Source {
        Source::Intercom
    }

    fn start(&self, since: DateTime<Utc>, _now: DateTime<Utc>) -> Value {
        json!({"since": since.timestamp(), "starting_after": null})
    }

    fn request(&self, cursor: &Value) -> Result<HttpRequest, PageError> {
        let since = cursor
            .get("since")
            .and_then(Value::as_i64)
            .ok_or_else(|| PageError::Malformed(format!("stored cursor {cursor} has no `since`")))?;
        let mut req = self.get("/conversations/search");
        req.post = true;
        req.body = Some(search_body(since, cursor.get("starting_after").and_then(Value::as_str)));
        Ok(req)
    }

    fn page(&self, cursor: &Value, answer: &Answer) -> Result<Page, PageError> {
        if answer.status != 200 {
            return Err(refusal(answer));
        }
        let mut page = read_page(&json_body(answer)?, cursor)?;
        for need in &mut page.needs {
            need.request = self.get(&need.key);
        }
        if !page.items.is_empty() {
            page.needs.insert(0, Need { key: "me".into(), request: self.get("/me"), items: (0..page.items.len()).collect() });
        }
        Ok(page)
    }

    fn rate_limit_wait(&self, headers: &http::HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
        let reset = headers.get("x-ratelimit-reset")?.to_str().ok()?.trim().parse::<i64>().ok()?;
        Some(Duration::from_millis(((reset - now.timestamp()) * 1000).clamp(500, 3_600_000) as u64))
    }

    fn credentials_hint(&self) -> String {
        "check PUSHBACK_SOURCES__INTERCOM__ACCESS_TOKEN (an access token with Read conversations, Read users and companies)".into()
    }

    fn apply(&self, page: &mut Page, need: &Need, answer: &Value) {
        if need.key == "me" {
            let Some(app) = text_at(answer, &["app", "id_code"]) else { return };
            for &i in &need.items {
                let id = page.items[i].external_id.trim_start_matches("rating-").to_string();
                page.items[i].url = Some(format!("https://app.intercom.com/a/apps/{app}/inbox/inbox/conversation/{id}"));
            }
            return;
        }
        let Some(company) = answer.get("data").and_then(|d| d.get(0)) else { return };
        for &i in &need.items {
            set_company(page, i, company);
        }
    }
}

/// Item `i`'s account: the conversation's company, else a lookup of its first contact's
/// companies (one request per contact per page).
fn set_account(page: &mut Page, i: usize, conv: &Value) {
    if let Some(company) = conv.get("company").filter(|c| c.is_object()) {
        set_company(page, i, company);
    } else if let Some(contact) =
        conv.get("contacts").and_then(|c| c.get("contacts")).and_then(|c| c.get(0)).and_then(|c| text_at(c, &["id"]))
    {
        let key = format!("/contacts/{contact}/companies");
        match page.needs.iter_mut().find(|n| n.key == key) {
            Some(need) => need.items.push(i),
            None => page.needs.push(Need { key: key.clone(), request: HttpRequest::get(key), items: vec![i] }),
        }
    }
}

/// The item's account from an Intercom company object; its website's domain for matching.
fn set_company(page: &mut Page, i: usize, company: &Value) {
    let id = text_at(company, &["company_id"]).or_else(|| text_at(company, &["id"]));
    let item = &mut page.items[i];
    item.account.id.clone_from(&id);
    item.account.name = text_at(company, &["name"]);
    let website = text_at(company, &["website"]).map(|w| {
        w.trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .split('/')
            .next()
            .unwrap_or("")
            .to_string()
    });
    if let (Some(id), Some(domain)) = (id, website.as_deref().and_then(company_domain)) {
        page.domains.push((id, domain));
    }
}

/// One search answer: conversations to items (accounts from the company when the
/// conversation carries it, else a lookup of the first contact's companies) and the next cursor.
pub fn read_page(body: &Value, cursor: &Value) -> Result<Page, PageError> {
    let conversations =
        body.get("conversations").and_then(Value::as_array).ok_or_else(|| PageError::Malformed("no `conversations` list".into()))?;
    let since = cursor.get("since").and_then(Value::as_i64).unwrap_or(0);
    let mut max_seen = cursor.get("max_seen").and_then(Value::as_i64).unwrap_or(since);
    let mut page = Page::new(Step::More(Value::Null));
    let ctx = ParseContext::now();
    for conv in conversations {
        max_seen = max_seen.max(conv.get("updated_at").and_then(Value::as_i64).unwrap_or(max_seen));
        page.position_at = later(page.position_at, time_at(conv, &["updated_at"]));
        let first = page.items.len();
        let event = json!({"topic": "conversation.user.created", "data": {"item": conv}});
        match sources::intercom::parse(&event, &ctx) {
            Ok(Parsed::Items(mut items)) if !items.is_empty() => {
                let mut item = items.remove(0);
                item.account = Default::default();
                page.items.push(item);
            }
            _ => page.skipped += 1,
        }
        match sources::intercom::rating_item(conv) {
            Some(Ok(rating)) => page.items.push(rating),
            Some(Err(_)) => page.skipped += 1,
            None => {}
        }
        for i in first..page.items.len() {
            set_account(&mut page, i, conv);
        }
    }
    let next = body.get("pages").and_then(|p| p.get("next")).and_then(|n| n.get("starting_after")).and_then(Value::as_str);
    page.next = match next {
        Some(after) => Step::More(json!({"since": since, "starting_after": after, "max_seen": max_seen})),
        None => Step::Done(json!({"since": max_seen, "starting_after": null, "max_seen": max_seen})),
    };
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(id: &str, updated: i64, contact: &str) -> Value {
        json!({"type": "conversation", "id": id, "created_at": updated - 100, "updated_at": updated,
            "source": {"type": "conversation", "subject": "<p>Slow</p>", "body": "<p>Checkout takes <b>30 seconds</b> and times out</p>",
                       "author": {"type": "user", "email": "bob@globex.com"}},
            "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": contact}]}})
    }

    #[test]
    fn a_page_strips_html_asks_for_each_contacts_company_once_and_pages_on() {
        let body = json!({"type": "conversation.list", "conversations": [conv("1", 500, "c1"), conv("2", 510, "c1"), conv("3", 520, "c2")],
            "pages": {"type": "pages", "next": {"page": 2, "starting_after": "WzE3"}}});
        let page = read_page(&body, &json!({"since": 400, "starting_after": null})).unwrap();
        assert_eq!(page.items.len(), 3);
        assert_eq!(page.items[0].subject, "Slow");
        assert_eq!(page.items[0].body, "Checkout takes 30 seconds and times out");
        assert_eq!(page.needs.len(), 2);
        assert_eq!(page.needs[0].items, vec![0, 1]);
        assert_eq!(page.next, Step::More(json!({"since": 400, "starting_after": "WzE3", "max_seen": 520})));
    }

    #[test]
    fn a_rated_conversation_gives_its_ticket_and_a_csat_item_with_the_same_account() {
        let mut rated = conv("7", 600, "c1");
        rated["conversation_rating"] = json!({"rating": 5, "remark": "Fixed fast, thanks", "created_at": 590, "updated_at": 595,
            "contact": {"type": "contact", "id": "c1"}, "teammate": {"type": "admin", "id": "814860"}});
        let mut unrated = conv("8", 610, "c1");
        unrated["conversation_rating"] = json!({"rating": null, "remark": null, "created_at": null});
        let mut page = read_page(&json!({"conversations": [rated, unrated]}), &json!({"since": 1})).unwrap();
        let ids: Vec<_> = page.items.iter().map(|i| i.external_id.as_str()).collect();
        assert_eq!(ids, ["7", "rating-7", "8"]);
        assert_eq!(page.items[1].survey.map(|s| s.score), Some(5));
        assert_eq!(page.needs[0].items, vec![0, 1, 2], "the rating's account comes from the same lookup");
        let i = Intercom { api_url: "http://i".into() };
        let me = Need { key: "me".into(), request: HttpRequest::get("x".into()), items: vec![0, 1, 2] };
        i.apply(&mut page, &me, &json!({"app": {"id_code": "abc123"}}));
        assert_eq!(page.items[1].url.as_deref(), Some("https://app.intercom.com/a/apps/abc123/inbox/inbox/conversation/7"));
    }

    #[test]
    fn the_last_page_starts_the_next_pass_at_the_newest_second_inclusive() {
        let page =
            read_page(&json!({"conversations": [conv("9", 777, "c")], "pages": {"next": null}}), &json!({"since": 700, "max_seen": 760}))
                .unwrap();
        assert_eq!(page.next, Step::Done(json!({"since": 777, "starting_after": null, "max_seen": 777})));
        let body = search_body(777, None);
        assert_eq!(body["query"]["operator"], "OR");
        assert_eq!(body["query"]["value"][1]["operator"], "=");
        assert!(matches!(read_page(&json!({"data": []}), &json!({})), Err(PageError::Malformed(_))));
    }

    #[test]
    fn companies_and_the_workspace_fill_in_account_link_and_domain() {
        let i = Intercom { api_url: "http://i".into() };
        let mut page = read_page(&json!({"conversations": [conv("5", 500, "c1")]}), &json!({"since": 1})).unwrap();
        let me = Need { key: "me".into(), request: HttpRequest::get("x".into()), items: vec![0] };
        i.apply(&mut page, &me, &json!({"type": "admin", "app": {"id_code": "abc123"}}));
        let need = page.needs[0].clone();
        i.apply(&mut page, &need, &json!({"type": "list", "data": [{"type": "company", "id": "6f", "company_id": "globex", "name": "Globex", "website": "https://www.globex.com/"}]}));
        assert_eq!(page.items[0].url.as_deref(), Some("https://app.intercom.com/a/apps/abc123/inbox/inbox/conversation/5"));
        assert_eq!((page.items[0].account.id.as_deref(), page.items[0].account.name.as_deref()), (Some("globex"), Some("Globex")));
        assert_eq!(page.domains, vec![("globex".to_string(), "globex.com".to_string())]);
    }
}
