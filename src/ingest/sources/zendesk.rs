//! Zendesk: event webhooks (`zen:event-type:ticket.*`) and trigger webhooks whose body the
//! admin writes from placeholders (template in the README). The ticket id is the external id,
//! so a redelivered event changes nothing and a later event for the same ticket updates it.
//! The account is Zendesk's organization id everywhere (event `organization_id`, trigger
//! `{{ticket.organization.id}}`, the rating trigger's `organization_id`, the pull's
//! `organization_id`), so one customer is one account.
//!
//! Satisfaction ratings (CSAT) arrive from a trigger on "Satisfaction changed" whose body is
//! `{"satisfaction_rating": {...}}` in the shape of Zendesk's Satisfaction Ratings API (the pull
//! connector reads the same objects). A ticket has one rating, so the item's id is
//! `satisfaction-<ticket id>`: the webhook and the pull store it once, and a rating changed from
//! bad to good updates it. `good` is stored as CSAT 5 and `bad` as CSAT 1 (satisfied or not);
//! `offered` and `unoffered` are not answers and are not stored.

use super::{ParseContext, Parsed, require_body, require_text, tags_at, text_at, time_at};
use crate::domain::{AccountRef, FieldError, Kind, NewFeedback, Source, SurveyScore, SurveyType};
use crate::text::html_to_text;
use serde_json::Value;

pub fn parse(json: &Value, ctx: &ParseContext) -> Result<Parsed, FieldError> {
    if let Some(event_type) = json.get("type").and_then(Value::as_str) {
        if !event_type.starts_with("zen:event-type:ticket.") {
            return Ok(Parsed::Ignored(format!("zendesk event type {event_type} is not a ticket event")));
        }
        return parse_event(json, ctx).map(|item| Parsed::Items(vec![item]));
    }
    if let Some(rating) = json.get("satisfaction_rating") {
        return Ok(match rating_item(rating, ctx).map_err(|e| FieldError::new(format!("satisfaction_rating.{}", e.field), e.message))? {
            Rating::Answer(item) => Parsed::Items(vec![*item]),
            Rating::NotAnswered(score) => Parsed::Ignored(format!("a satisfaction rating that is {score} is not an answer")),
        });
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
        // Zendesk's organization id (`{{ticket.organization.id}}`), as events (`organization_id`)
        // and the pull carry it, so a customer is one account however its tickets arrive. Not its
        // name nor its `external_id`: those would file the same customer under a second id.
        account: AccountRef { id: text_at(t, &["organization", "id"]).filter(|o| o != "0"), name: text_at(t, &["organization", "name"]) },
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

/// A satisfaction rating: an answer, or a survey offered (or not) and not answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Rating {
    Answer(Box<NewFeedback>),
    NotAnswered(String),
}

/// The external id of `ticket`'s satisfaction rating (one per ticket).
pub fn rating_external_id(ticket: &str) -> String {
    format!("satisfaction-{ticket}")
}

/// One satisfaction rating object (`id`, `score`, `comment`, `ticket_id`, `created_at`,
/// `updated_at`, and in a trigger body `organization_id`) as a CSAT item. Field names in errors
/// are relative to the rating object.
pub fn rating_item(r: &Value, ctx: &ParseContext) -> Result<Rating, FieldError> {
    if !r.is_object() {
        return Err(FieldError::new("score", "the satisfaction rating must be an object with score and ticket_id"));
    }
    let raw = text_at(r, &["score"]).unwrap_or_default().to_ascii_lowercase();
    // A trigger's {{satisfaction.current_rating}} reads "Good, I'm satisfied" or "Bad, I'm unsatisfied".
    let score = match raw.split([',', ' ']).next().unwrap_or_default() {
        "good" => 5,
        "bad" => 1,
        "offered" | "unoffered" => return Ok(Rating::NotAnswered(raw)),
        _ => {
            return Err(FieldError::new(
                "score",
                format!("survey.score: a Zendesk satisfaction score must be good or bad (or offered/unoffered, not stored); got '{raw}'"),
            ));
        }
    };
    let ticket = require_text(r, &["ticket_id"]).map_err(|e| FieldError::new("ticket_id", e.message))?;
    let updated = time_at(r, &["updated_at"]);
    Ok(Rating::Answer(Box::new(NewFeedback {
        source: Source::Zendesk,
        external_id: rating_external_id(&ticket),
        kind: Kind::Survey,
        account: AccountRef { id: text_at(r, &["organization_id"]).filter(|o| o != "0"), name: None },
        subject: String::new(),
        body: html_to_text(&text_at(r, &["comment"]).unwrap_or_default()).trim().to_string(),
        tags: Vec::new(),
        url: ticket_url(ctx, &ticket),
        created_at: time_at(r, &["created_at"]).or(updated).unwrap_or(ctx.received_at),
        updated_at: updated,
        lost_arr_cents: None,
        account_record: None,
        survey: Some(SurveyScore::new(SurveyType::Csat, score)?),
    })))
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

    /// The rating object as Zendesk's Satisfaction Ratings API documents it.
    fn rating(score: &str) -> Value {
        json!({"assignee_id": 135, "comment": "Took three days and the export still times out", "created_at": "2026-11-10T22:55:29Z",
            "group_id": 44, "id": 35436, "requester_id": 7881, "score": score, "ticket_id": 208,
            "updated_at": "2026-11-11T08:00:00Z", "url": "https://acme.zendesk.com/api/v2/satisfaction_ratings/35436.json"})
    }

    #[test]
    fn ratings_are_csat_answers_keyed_by_ticket() {
        let ctx = ParseContext { zendesk_subdomain: Some("acme".into()), ..ParseContext::now() };
        let Parsed::Items(items) = parse(&json!({"satisfaction_rating": rating("bad")}), &ctx).unwrap() else { panic!() };
        let it = &items[0];
        assert_eq!((it.kind, it.external_id.as_str()), (Kind::Survey, "satisfaction-208"));
        assert_eq!(it.survey, Some(SurveyScore { survey_type: SurveyType::Csat, score: 1 }));
        assert_eq!(it.body, "Took three days and the export still times out");
        assert_eq!(it.url.as_deref(), Some("https://acme.zendesk.com/agent/tickets/208"));
        assert_eq!(it.updated_at.map(|t| t.to_rfc3339()).as_deref(), Some("2026-11-11T08:00:00+00:00"));
        let Rating::Answer(good) = rating_item(&rating("Good, I'm satisfied"), &ctx).unwrap() else { panic!() };
        assert_eq!((good.survey.unwrap().score, good.external_id.as_str()), (5, "satisfaction-208"));
        for not_answered in ["offered", "unoffered"] {
            assert!(matches!(parse(&json!({"satisfaction_rating": rating(not_answered)}), &ctx), Ok(Parsed::Ignored(_))));
        }
        let err = parse(&json!({"satisfaction_rating": rating("meh")}), &ctx).unwrap_err();
        assert_eq!(err.field, "satisfaction_rating.score");
        assert!(err.message.contains("survey.score"), "{}", err.message);
        let mut no_ticket = rating("good");
        no_ticket.as_object_mut().unwrap().remove("ticket_id");
        assert_eq!(parse(&json!({"satisfaction_rating": no_ticket}), &ctx).unwrap_err().field, "satisfaction_rating.ticket_id");
    }

    #[test]
    fn trigger_body_with_string_tags() {
        let v = json!({"ticket": {"id": 77, "title": "Slow search", "description": "Search takes 20 seconds",
            "tags": "search vip", "link": "https://acme.zendesk.com/agent/tickets/77",
            "organization": {"id": "org-5", "name": "Globex"}, "created_at": "2026-11-01 08:00:00"}});
        let Parsed::Items(items) = parse(&v, &ParseContext::now()).unwrap() else { panic!() };
        assert_eq!(items[0].tags, vec!["search", "vip"]);
        assert_eq!((items[0].account.id.as_deref(), items[0].account.name.as_deref()), (Some("org-5"), Some("Globex")));
        // A ticket without an organization renders `{{ticket.organization.id}}` empty: no account,
        // not one named after the organization.
        let v = json!({"ticket": {"id": 78, "description": "Search takes 20 seconds", "organization": {"id": "", "name": "Globex"}}});
        let Parsed::Items(items) = parse(&v, &ParseContext::now()).unwrap() else { panic!() };
        assert_eq!(items[0].account.id, None);
    }
}
