//! Intercom: notification events. Conversation topics become items (the conversation id is
//! the external id, so a reply updates the same item); `ping` and other topics are ignored.

use super::{ParseContext, Parsed, require_body, require_text, tags_at, text_at, time_at};
use crate::domain::{AccountRef, FieldError, Kind, NewFeedback, Source, SurveyScore, SurveyType};
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

/// The external id of a conversation's rating (one per conversation: a changed rating updates it).
pub fn rating_external_id(conversation: &str) -> String {
    format!("rating-{conversation}")
}

/// A conversation's `conversation_rating` (`rating` 1-5, optional `remark`) as a CSAT item, or
/// `None` when the conversation was not rated (Intercom sends the object with null fields). The
/// error names `survey.score` when the rating is off the 1-5 scale.
pub fn rating_item(conversation: &Value) -> Option<Result<NewFeedback, FieldError>> {
    let rating = conversation.get("conversation_rating").filter(|r| r.is_object())?;
    let score = rating.get("rating").filter(|v| !v.is_null())?;
    let id = text_at(conversation, &["id"])?;
    let score = match score.as_i64() {
        Some(n) => SurveyScore::new(SurveyType::Csat, n),
        None => Err(FieldError::new("survey.score", format!("survey.score: an Intercom rating must be an integer 1-5; got {score}"))),
    };
    let updated = time_at(rating, &["updated_at"]).or_else(|| time_at(rating, &["created_at"]));
    Some(score.map(|score| NewFeedback {
        source: Source::Intercom,
        external_id: rating_external_id(&id),
        kind: Kind::Survey,
        account: AccountRef::default(),
        subject: String::new(),
        body: html_to_text(&text_at(rating, &["remark"]).unwrap_or_default()).trim().to_string(),
        tags: Vec::new(),
        url: None,
        created_at: time_at(rating, &["created_at"]).or_else(|| time_at(conversation, &["updated_at"])).unwrap_or_else(chrono::Utc::now),
        updated_at: updated,
        lost_arr_cents: None,
        account_record: None,
        survey: Some(score),
    }))
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

    #[test]
    fn a_conversation_rating_is_a_csat_item_and_an_unrated_conversation_has_none() {
        // The conversation model's documented `conversation_rating` (API 2.x).
        let rated = serde_json::json!({"type": "conversation", "id": "1911149811", "updated_at": 1_540_393_270,
            "conversation_rating": {"rating": 2, "remark": "Still waiting, the <b>export</b> keeps failing", "created_at": 1_540_393_000,
                "updated_at": 1_540_393_200, "contact": {"type": "contact", "id": "5bc8f7ae2d96695c18a"}, "teammate": {"type": "admin", "id": "814860"}}});
        let item = rating_item(&rated).unwrap().unwrap();
        assert_eq!((item.kind, item.external_id.as_str()), (Kind::Survey, "rating-1911149811"));
        assert_eq!(item.survey, Some(SurveyScore { survey_type: SurveyType::Csat, score: 2 }));
        assert_eq!(item.body, "Still waiting, the export keeps failing");
        assert_eq!(item.updated_at.map(|t| t.timestamp()), Some(1_540_393_200));
        let unrated = serde_json::json!({"id": "1", "conversation_rating": {"created_at": null, "contact": {"id": null, "type": null},
            "rating": null, "remark": null, "teammate": {"id": null, "type": null}}});
        assert!(rating_item(&unrated).is_none());
        assert!(rating_item(&serde_json::json!({"id": "1"})).is_none());
        let off_scale = serde_json::json!({"id": "1", "conversation_rating": {"rating": 7}});
        assert_eq!(rating_item(&off_scale).unwrap().unwrap_err().field, "survey.score");
    }
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
