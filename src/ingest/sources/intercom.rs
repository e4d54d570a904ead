//! Intercom: notification events. Conversation topics become items (the conversation id is
//! the external id, so a reply updates the same item); `ping` and other topics are ignored.

use super::{ParseContext, Parsed, require_body, require_text, tags_at, text_at, time_at};
use crate::domain::{AccountRef, FieldError, Kind, NewFeedback, Source};
use crate::text::html_to_text;
use serde_json::Value;

pub fn parse(json: &Value, ctx: &ParseContext) -> Result<Parsed, FieldError> {
    let topic = json
        .get("topic")
        .and_then(Value::as_str)
        .ok_or_else(|| FieldError::new("topic", "is required (an Intercom notification event)"))?;
    if topic == "ping" {
        return Ok(Parsed::Ignored("ping".into()));
    }
    if !topic.starts_with("conversation.") {
        return Ok(Parsed::Ignored(format!("intercom topic {topic} is not a conversation")));
    }
    let item =
        json.get("data").and_then(|d| d.get("item")).ok_or_else(|| FieldError::new("data.item", "is required for conversation topics"))?;
    let id = require_text(item, &["id"]).map_err(|e| FieldError::new("data.item.id", e.message))?;
    let body = require_body(conversation_text(item), "data.item.source.body")?;
    let url = text_at(item, &["links", "conversation_web"])
        .or_else(|| text_at(json, &["app_id"]).map(|app| format!("https://app.intercom.com/a/apps/{app}/inbox/inbox/conversation/{id}")));
    let company = item.get("company").or_else(|| item.get("companies").and_then(|c| c.get("companies")).and_then(|c| c.get(0)));
    Ok(Parsed::Items(vec![NewFeedback {
        source: Source::Intercom,
        external_id: id,
        kind: Kind::Ticket,
        account: AccountRef {
            id: company.and_then(|c| text_at(c, &["company_id"]).or_else(|| text_at(c, &["id"]))),
            name: company.and_then(|c| text_at(c, &["name"])),
        },
        subject: text_at(item, &["title"]).or_else(|| text_at(item, &["source", "subject"])).map(|s| html_to_text(&s)).unwrap_or_default(),
        body,
        tags: tags_at(item, &["tags", "tags"], "name"),
        url,
        created_at: time_at(item, &["created_at"]).or_else(|| time_at(json, &["created_at"])).unwrap_or(ctx.received_at),
        updated_at: time_at(item, &["updated_at"]),
        lost_arr_cents: None,
        account_record: None,
        survey: None,
    }]))
}

/// The customer's words: the opening message (current `source` or the old
/// `conversation_message`) followed by later parts written by users, not admins or bots.
fn conversation_text(item: &Value) -> String {
    let opening = text_at(item, &["source", "body"]).or_else(|| text_at(item, &["conversation_message", "body"])).unwrap_or_default();
    let mut parts = vec![html_to_text(&opening)];
    if let Some(list) = item.get("conversation_parts").and_then(|p| p.get("conversation_parts")).and_then(Value::as_array) {
        for part in list {
            let author = part.get("author").and_then(|a| a.get("type")).and_then(Value::as_str).unwrap_or("");
            if matches!(author, "user" | "lead" | "contact") {
                if let Some(text) = text_at(part, &["body"]) {
                    parts.push(html_to_text(&text));
                }
            }
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn conversation_with_user_replies() {
        let v = json!({"type": "notification_event", "id": "notif_1", "topic": "conversation.user.replied", "app_id": "abc123",
            "data": {"item": {"type": "conversation", "id": "555", "created_at": 1793613600, "title": null,
                "source": {"subject": "", "body": "<p>The dashboard won't load</p>"},
                "tags": {"tags": [{"name": "dashboards"}]},
                "conversation_parts": {"conversation_parts": [
                    {"author": {"type": "admin"}, "body": "<p>Looking</p>"},
                    {"author": {"type": "user"}, "body": "<p>Still a blank page</p>"}]}}}});
        let Parsed::Items(items) = parse(&v, &ParseContext::now()).unwrap() else { panic!() };
        assert_eq!(items[0].body, "The dashboard won't load\nStill a blank page");
        assert_eq!(items[0].url.as_deref(), Some("https://app.intercom.com/a/apps/abc123/inbox/inbox/conversation/555"));
        assert_eq!(items[0].tags, vec!["dashboards"]);
    }

    #[test]
    fn ping_and_user_topics_are_ignored() {
        assert_eq!(parse(&json!({"topic": "ping"}), &ParseContext::now()), Ok(Parsed::Ignored("ping".into())));
        assert!(matches!(parse(&json!({"topic": "user.created"}), &ParseContext::now()), Ok(Parsed::Ignored(_))));
        assert_eq!(parse(&json!({"data": {}}), &ParseContext::now()).unwrap_err().field, "topic");
    }
}
