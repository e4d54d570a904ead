//! Zendesk: event webhooks (`zen:event-type:ticket.*`) and trigger webhooks whose body the
//! admin writes from placeholders (template in the README). The ticket id is the external id,
//! so a redelivered event changes nothing and a later event for the same ticket updates it.

use super::{ParseContext, Parsed, require_body, require_text, tags_at, text_at, time_at};
use crate::domain::{AccountRef, FieldError, Kind, NewFeedback, Source};
use crate::text::html_to_text;
use serde_json::Value;

pub fn parse(json: &Value, ctx: &ParseContext) -> Result<Parsed, FieldError> {
    if let Some(event_type) = json.get("type").and_then(Value::as_str) {
        if !event_type.starts_with("zen:event-type:ticket.") {
            return Ok(Parsed::Ignored(format!("zendesk event type {event_type} is not a ticket event")));
        }
        return parse_event(json, ctx).map(|item| Parsed::Items(vec![item]));
    }
    if json.get("ticket").is_some() {
        return parse_trigger(json, ctx).map(|item| Parsed::Items(vec![item]));
    }
    Err(FieldError::new(
        "type",
        "expected a Zendesk ticket event (type zen:event-type:ticket.*) or a trigger body with a \"ticket\" object",
    ))
}

fn ticket_url(ctx: &ParseContext, id: &str) -> Option<String> {
    ctx.zendesk_subdomain.as_ref().map(|sub| format!("https://{sub}.zendesk.com/agent/tickets/{id}"))
}

fn parse_event(json: &Value, ctx: &ParseContext) -> Result<NewFeedback, FieldError> {
    let detail = json.get("detail").ok_or_else(|| FieldError::new("detail", "is required for ticket events"))?;
    let id = require_text(detail, &["id"]).map_err(|e| FieldError::new("detail.id", e.message))?;
    let body = html_to_text(&text_at(detail, &["description"]).unwrap_or_default());
    let body = require_body(body, "detail.description")?;
    Ok(NewFeedback {
        source: Source::Zendesk,
        url: ticket_url(ctx, &id),
        external_id: id,
        kind: Kind::Ticket,
        account: AccountRef { id: text_at(detail, &["organization_id"]).filter(|o| o != "0"), name: None },
        subject: text_at(detail, &["subject"]).unwrap_or_default(),
        body,
        tags: tags_at(detail, &["tags"], "name"),
        created_at: time_at(detail, &["created_at"]).or_else(|| time_at(json, &["time"])).unwrap_or(ctx.received_at),
        updated_at: time_at(detail, &["updated_at"]).or_else(|| time_at(json, &["time"])),
        lost_arr_cents: None,
        account_record: None,
        survey: None,
    })
}

fn parse_trigger(json: &Value, ctx: &ParseContext) -> Result<NewFeedback, FieldError> {
    let t = &json["ticket"];
    let id = require_text(t, &["id"]).map_err(|e| FieldError::new("ticket.id", e.message))?;
    let raw_body = text_at(t, &["description"]).or_else(|| text_at(t, &["latest_comment"])).unwrap_or_default();
    let body = require_body(html_to_text(&raw_body), "ticket.description")?;
    Ok(NewFeedback {
        source: Source::Zendesk,
        url: text_at(t, &["link"]).or_else(|| text_at(t, &["url"])).or_else(|| ticket_url(ctx, &id)),
        external_id: id,
        kind: Kind::Ticket,
        account: AccountRef {
            id: text_at(t, &["organization", "id"]).or_else(|| text_at(t, &["organization", "name"])),
            name: text_at(t, &["organization", "name"]),
        },
        subject: text_at(t, &["title"]).or_else(|| text_at(t, &["subject"])).unwrap_or_default(),
        body,
        tags: tags_at(t, &["tags"], "name"),
        created_at: time_at(t, &["created_at"]).unwrap_or(ctx.received_at),
        updated_at: time_at(t, &["updated_at"]),
        lost_arr_cents: None,
        account_record: None,
        survey: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ticket_event_becomes_an_item_with_a_link() {
        let v = json!({"type": "zen:event-type:ticket.created", "id": "evt-1", "time": "2026-11-02T10:00:00Z",
            "detail": {"id": "35436", "subject": "Checkout hangs", "description": "<p>Spinner for 40s</p>",
                       "organization_id": "9001", "tags": ["checkout"], "created_at": "2026-11-02T09:59:00Z"}});
        let ctx = ParseContext { zendesk_subdomain: Some("acme".into()), ..ParseContext::now() };
        let Parsed::Items(items) = parse(&v, &ctx).unwrap() else { panic!() };
        assert_eq!(items[0].external_id, "35436");
        assert_eq!(items[0].body, "Spinner for 40s");
        assert_eq!(items[0].url.as_deref(), Some("https://acme.zendesk.com/agent/tickets/35436"));
        assert_eq!(items[0].account.id.as_deref(), Some("9001"));
    }

    #[test]
    fn non_ticket_events_are_ignored_and_junk_is_rejected() {
        let v = json!({"type": "zen:event-type:user.active_changed", "detail": {}});
        assert!(matches!(parse(&v, &ParseContext::now()), Ok(Parsed::Ignored(_))));
        assert_eq!(parse(&json!({"hello": 1}), &ParseContext::now()).unwrap_err().field, "type");
        let v = json!({"type": "zen:event-type:ticket.created", "detail": {"subject": "x"}});
        assert_eq!(parse(&v, &ParseContext::now()).unwrap_err().field, "detail.id");
    }

    #[test]
    fn trigger_body_with_string_tags() {
        let v = json!({"ticket": {"id": 77, "title": "Slow search", "description": "Search takes 20 seconds",
            "tags": "search vip", "link": "https://acme.zendesk.com/agent/tickets/77",
            "organization": {"id": "org-5", "name": "Globex"}, "created_at": "2026-11-01 08:00:00"}});
        let Parsed::Items(items) = parse(&v, &ParseContext::now()).unwrap() else { panic!() };
        assert_eq!(items[0].tags, vec!["search", "vip"]);
        assert_eq!(items[0].account.name.as_deref(), Some("Globex"));
    }
}
