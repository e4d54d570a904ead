//! Freshdesk: no vendor schema, so the automation rule's body follows our template (README).
//! Placeholders are not JSON-escaped reliably by Freshdesk, so fields are read leniently.

use super::{ParseContext, Parsed, require_body, require_text, tags_at, text_at, time_at};
use crate::domain::{AccountRef, FieldError, Kind, NewFeedback, Source};
use crate::text::html_to_text;
use serde_json::Value;

pub fn parse(json: &Value, ctx: &ParseContext) -> Result<Parsed, FieldError> {
    // Accept both our flat template and a body wrapped as {"freshdesk_webhook": {...}}.
    let t = json.get("freshdesk_webhook").unwrap_or(json);
    let id = require_text(t, &["id"]).or_else(|_| require_text(t, &["ticket_id"]))?;
    let raw =
        text_at(t, &["body"]).or_else(|| text_at(t, &["description"])).or_else(|| text_at(t, &["ticket_description"])).unwrap_or_default();
    let body = require_body(html_to_text(&raw), "body")?;
    let company = text_at(t, &["company"]).or_else(|| text_at(t, &["ticket_company_name"]));
    Ok(Parsed::Items(vec![NewFeedback {
        source: Source::Freshdesk,
        external_id: id,
        kind: Kind::Ticket,
        account: AccountRef { id: text_at(t, &["company_id"]).or_else(|| company.clone()), name: company },
        subject: text_at(t, &["subject"]).or_else(|| text_at(t, &["ticket_subject"])).unwrap_or_default(),
        body,
        tags: tags_at(t, &["tags"], "name"),
        url: text_at(t, &["url"]).or_else(|| text_at(t, &["ticket_url"])),
        created_at: time_at(t, &["created_at"]).unwrap_or(ctx.received_at),
        updated_at: time_at(t, &["updated_at"]),
        lost_arr_cents: None,
        account_record: None,
        survey: None,
    }]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn template_body_parses_with_numeric_id_and_string_tags() {
        let v = json!({"source": "freshdesk", "id": 881, "subject": "App crashes", "body": "Crashes on launch",
            "company": "Initech", "created_at": "Mon, 02 Nov 2026 10:00:00 +0000", "tags": "mobile,crash",
            "url": "https://initech.freshdesk.com/a/tickets/881"});
        let Parsed::Items(items) = parse(&v, &ParseContext::now()).unwrap() else { panic!() };
        assert_eq!(items[0].external_id, "881");
        assert_eq!(items[0].account.id.as_deref(), Some("Initech"));
        assert_eq!(items[0].tags, vec!["mobile", "crash"]);
        assert_eq!(items[0].created_at.to_rfc3339(), "2026-11-02T10:00:00+00:00");
    }

    #[test]
    fn missing_id_or_body_is_named() {
        assert_eq!(parse(&json!({"body": "x"}), &ParseContext::now()).unwrap_err().field, "ticket_id");
        assert_eq!(parse(&json!({"id": 1}), &ParseContext::now()).unwrap_err().field, "body");
    }
}
