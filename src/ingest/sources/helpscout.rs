//! Help Scout: `convo.*` events; the event name arrives in the `X-HelpScout-Event` header and
//! the body is a Mailbox API conversation. The conversation id is the external id.

use super::{ParseContext, Parsed, require_body, require_text, tags_at, text_at, time_at};
use crate::domain::{AccountRef, FieldError, Kind, NewFeedback, Source};
use crate::text::html_to_text;
use serde_json::Value;

pub fn parse(json: &Value, event: Option<&str>, ctx: &ParseContext) -> Result<Parsed, FieldError> {
    let event = event.ok_or_else(|| FieldError::new("X-HelpScout-Event", "header is required"))?;
    if event == "helpscout.test" {
        return Ok(Parsed::Ignored("helpscout.test".into()));
    }
    if !event.starts_with("convo.") || event == "convo.deleted" {
        return Ok(Parsed::Ignored(format!("help scout event {event} is not stored")));
    }
    let id = require_text(json, &["id"])?;
    let thread_body = json
        .get("_embedded")
        .and_then(|e| e.get("threads"))
        .and_then(Value::as_array)
        .and_then(|threads| threads.iter().find(|t| t.get("type").and_then(Value::as_str) == Some("customer")).or_else(|| threads.first()))
        .and_then(|t| text_at(t, &["body"]));
    let raw = thread_body.or_else(|| text_at(json, &["preview"])).unwrap_or_default();
    let body = require_body(html_to_text(&raw), "_embedded.threads[0].body")?;
    let number = text_at(json, &["number"]).unwrap_or_else(|| id.clone());
    Ok(Parsed::Items(vec![NewFeedback {
        source: Source::Helpscout,
        url: Some(format!("https://secure.helpscout.net/conversation/{id}/{number}")),
        external_id: id,
        kind: Kind::Ticket,
        account: AccountRef {
            id: text_at(json, &["primaryCustomer", "company"]).or_else(|| email_domain(json)),
            name: text_at(json, &["primaryCustomer", "company"]),
        },
        subject: text_at(json, &["subject"]).unwrap_or_default(),
        body,
        tags: tags_at(json, &["tags"], "tag"),
        created_at: time_at(json, &["createdAt"]).unwrap_or(ctx.received_at),
        updated_at: ["userUpdatedAt", "modifiedAt", "updatedAt"].iter().filter_map(|k| time_at(json, &[k])).max(),
        lost_arr_cents: None,
        account_record: None,
        survey: None,
    }]))
}

/// Help Scout events carry no organisation; a customer's company email domain is the best
/// stand-in (free mail domains are not accounts).
fn email_domain(json: &Value) -> Option<String> {
    let email = text_at(json, &["primaryCustomer", "email"]).or_else(|| text_at(json, &["createdBy", "email"]))?;
    crate::domain::company_domain(&email)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn conversation_uses_the_customer_thread() {
        let v = json!({"id": 123, "number": 15473, "subject": "Need Help", "preview": "preview text",
            "createdBy": {"id": 12, "type": "customer", "email": "bear@acme.com"}, "createdAt": "2017-04-21T14:39:56Z",
            "tags": [{"id": 9150, "tag": "vip"}],
            "_embedded": {"threads": [{"id": 1, "type": "customer", "body": "<div>Exports time out</div>"}]}});
        let Parsed::Items(items) = parse(&v, Some("convo.created"), &ParseContext::now()).unwrap() else { panic!() };
        assert_eq!(items[0].body, "Exports time out");
        assert_eq!(items[0].url.as_deref(), Some("https://secure.helpscout.net/conversation/123/15473"));
        assert_eq!(items[0].account.id.as_deref(), Some("acme.com"));
        assert_eq!(items[0].tags, vec!["vip"]);
    }

    #[test]
    fn test_and_other_events_are_ignored() {
        let v = json!({"id": 1});
        assert!(matches!(parse(&v, Some("helpscout.test"), &ParseContext::now()), Ok(Parsed::Ignored(_))));
        assert!(matches!(parse(&v, Some("customer.created"), &ParseContext::now()), Ok(Parsed::Ignored(_))));
        assert_eq!(parse(&v, None, &ParseContext::now()).unwrap_err().field, "X-HelpScout-Event");
    }
}
